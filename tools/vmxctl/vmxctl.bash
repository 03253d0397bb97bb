# bash completion for vmxctl(8): commands, their words, edit's flags, and
# pids where a command wants one. tests/host/cli.sh holds it to the command
# table (`vmxctl -j help`). Install as
# /usr/share/bash-completion/completions/vmxctl, or source it.

_vmxctl_pids()
{
	local p pids=
	for p in /proc/[0-9]*; do
		pids+=" ${p#/proc/}"
	done
	COMPREPLY+=($(compgen -W "$pids" -- "$1"))
}

_vmxctl()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local commands="info dump resolve vmas stats watch snapshot diff why peek phys
		window map grant
		retarget revoke protect edit tlb version help"
	local flags="accessed a write rw w dirty d soft-dirty sd nx pwt pcd"
	local i cmd= c n

	COMPREPLY=()
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-*) ;;
		*) cmd=${COMP_WORDS[i]}; break ;;
		esac
	done
	if [ -z "$cmd" ]; then
		COMPREPLY=($(compgen -W "$commands -j --json -p --pretty --ndjson -h --help
			-V --version" -- "$cur"))
		return
	fi
	# A unique prefix names a command, as vmxctl itself takes it.
	for c in $commands; do
		case $c in "$cmd"*) n+=" $c" ;; esac
	done
	[ "$(echo $n | wc -w)" = 1 ] && cmd=${n# }
	# n: which word after the command is being completed (0: the first).
	n=$((COMP_CWORD - i - 1))
	case $cmd in
	dump)
		if [ $n = 0 ]; then
			COMPREPLY=($(compgen -W "--legend legend help" -- "$cur"))
			_vmxctl_pids "$cur"
		elif [ "$prev" = --html ] || [ "$prev" = html ] || [ "$prev" = --svg ] ||
			[ "$prev" = svg ]; then
			COMPREPLY=($(compgen -f -- "$cur"))
		elif [ "$prev" != range ]; then
			COMPREPLY=($(compgen -W "range leaves merge raw stop -v verbose
				--html html --svg svg help" -- "$cur"))
		fi ;;
	resolve)
		if [ $n = 0 ]; then
			COMPREPLY=($(compgen -W "kernel help" -- "$cur"))
			_vmxctl_pids "$cur"
		elif [ $n -ge 2 ]; then
			COMPREPLY=($(compgen -W "--explain -e explain -v verbose" -- "$cur"))
		fi ;;
	vmas)
		if [ $n = 0 ]; then _vmxctl_pids "$cur"
		else
			COMPREPLY=($(compgen -W "stop raw -v verbose --tree tree" -- "$cur"))
		fi ;;
	stats)
		if [ $n = 0 ]; then _vmxctl_pids "$cur"
		else COMPREPLY=($(compgen -W "stop" -- "$cur"))
		fi ;;
	watch)
		if [ $n = 0 ]; then _vmxctl_pids "$cur"
		elif [ "$prev" = --heatmap ] || [ "$prev" = heatmap ]; then
			COMPREPLY=($(compgen -f -- "$cur"))
		elif [ "$prev" != range ] && [ "$prev" != --interval ] &&
			[ "$prev" != interval ] && [ "$prev" != --count ] && [ "$prev" != count ]; then
			COMPREPLY=($(compgen -W "range --interval interval --count count
				--dirty dirty --heatmap heatmap" -- "$cur"))
		fi ;;
	snapshot)
		if [ $n = 0 ]; then _vmxctl_pids "$cur"
		elif [ "$prev" = -o ] || [ "$prev" = --output ]; then
			COMPREPLY=($(compgen -f -- "$cur"))
		elif [ "$prev" != range ]; then
			COMPREPLY=($(compgen -W "range --running running -o --output" -- "$cur"))
		fi ;;
	diff)
		if [ $n -lt 2 ]; then
			COMPREPLY=($(compgen -f -- "$cur"))
			_vmxctl_pids "$cur"
		elif [ "$prev" != range ]; then
			COMPREPLY=($(compgen -W "range --running running" -- "$cur"))
		fi ;;
	why)
		if [ $n = 0 ]; then _vmxctl_pids "$cur"
		elif [ $n -ge 2 ]; then
			COMPREPLY=($(compgen -W "read write exec --user user --kernel kernel" -- "$cur"))
		fi ;;
	peek)
		[ $n = 0 ] && _vmxctl_pids "$cur" ;;
	window)
		[ $n = 0 ] && COMPREPLY=($(compgen -W "open help" -- "$cur")) ;;
	map | grant | retarget)
		if [ $n = 0 ] || [ $n = 2 ]; then _vmxctl_pids "$cur"
		elif [ $n -ge 4 ]; then COMPREPLY=($(compgen -W "ro" -- "$cur"))
		fi ;;
	revoke)
		[ $n = 0 ] && _vmxctl_pids "$cur" ;;
	protect)
		if [ $n = 0 ]; then _vmxctl_pids "$cur"
		elif [ $n -ge 2 ]; then COMPREPLY=($(compgen -W "ro rw" -- "$cur"))
		fi ;;
	edit)
		if [ $n = 0 ]; then _vmxctl_pids "$cur"
		elif [ "$prev" = set ] || [ "$prev" = clear ]; then
			# FLAGS is comma-separated: complete the last name.
			local done=${cur%,*} last=${cur##*,}
			[ "$done" = "$cur" ] && done= || done+=,
			COMPREPLY=($(compgen -P "$done" -W "$flags" -- "$last"))
		elif [ $n -ge 2 ] && [ "$prev" != expect ]; then
			COMPREPLY=($(compgen -W "set clear expect --dry-run --no-flush" -- "$cur"))
		fi ;;
	tlb)
		if [ $n = 0 ]; then COMPREPLY=($(compgen -W "flush help" -- "$cur"))
		elif [ $n = 1 ]; then _vmxctl_pids "$cur"
		fi ;;
	help)
		[ $n = 0 ] && COMPREPLY=($(compgen -W "$commands" -- "$cur")) ;;
	esac
}
complete -F _vmxctl vmxctl
