# make bench, inside the VM: vmx against its peers (peerbench.c) on 128 MiB,
# 1 GiB and 4 GiB of touched 4K pages and on a sparse 64 TiB reservation;
# then, with "e2e", vmxctl dump end to end against page-types -L -N (the
# kernel's tools/mm/page-types.c, built by scripts/build-page-types.sh) on
# the 1 GiB process. Every figure is a best of several runs.

# wait_ready FILE: until a benchmark holding its target prints "ready PID"
# there (5 minutes at most).
wait_ready() {
	i=0
	while ! grep -q '^ready' "$1" 2>/dev/null && [ $i -lt 600 ]; do
		sleep 0.5
		i=$((i + 1))
	done
}

grep -o -w erms /proc/cpuinfo | head -1 | sed "s/^/cpu flag present: /"
insmod /files/vmx_floor.ko || echo "no floor: vmx_floor.ko did not load"
for size in 128 4096 sparse; do
	peerbench "$size"
	echo
done
peerbench 1024 hold >/tmp/bench.out &
wait_ready /tmp/bench.out
cat /tmp/bench.out
pid=$(sed -n 's/^ready //p' /tmp/bench.out)

# best_of N CMD...: the shortest of N runs of CMD, output to /dev/null, in s.
best_of() {
	n=$1
	shift
	b=
	for i in $(seq "$n"); do
		s=$(cut -d' ' -f1 /proc/uptime)
		"$@" >/dev/null 2>&1
		e=$(cut -d' ' -f1 /proc/uptime)
		b=$(echo "$e $s $b" | awk '{ t = $1 - $2; if ($3 == "" || t < $3) print t; else print $3 }')
	done
	echo "$b"
}

if [ "${1:-}" = e2e ]; then
	echo
	echo "end to end on pid $pid, the whole process, output to /dev/null, best of 3:"
	pt=$(best_of 3 /files/page-types -p "$pid" -L -N)
	printf '  %-32s %8.2f s  %6.2fx\n' "page-types -p PID -L -N" "$pt" 1
	echo "PLOT e2e page-types $pt 1"
	# OPTION:WORDS, as "vmxctl OPTION dump PID WORDS".
	for v in :text :leaves -j:json --ndjson:ndjson ":leaves merge"; do
		opt=${v%%:*} words=${v#*:}
		[ "$words" = text ] || [ "$words" = json ] || [ "$words" = ndjson ] && words=
		t=$(best_of 3 vmxctl $opt dump "$pid" $words)
		r=$(echo "$t $pt" | awk '{ print $1 / $2 }')
		printf '  %-32s %8.2f s  %6.2fx\n' "vmxctl $opt dump PID $words" "$t" "$r"
		echo "PLOT e2e vmxctl${opt:+-}${opt#--}-dump${words:+-}$(echo "$words" | tr ' ' '-') $t $r"
	done
fi
kill "$pid"
