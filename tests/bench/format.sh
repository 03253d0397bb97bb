#!/bin/bash
# make bench, on the host: vmxctl's formatting without the emulator. vmxctl
# formats a dump of 262,144 present 4K leaves (as many as the VM's 1 GiB
# target has) from the fake module (tests/host/fakedev.c, VMX_FAKE_BULK);
# page-types -L -N reads a native process holding 1 GiB touched in 4K
# pages: the same number of pages, each a line. Best of 5, output to
# /dev/null. Prints the rows, and PLOT lines for report.sh.
# usage: format.sh VMXCTL FAKEDEV_SO PAGE_TYPES VMXTEST
set -eu
vmxctl=$1 shim=$2 pt=$3 vmxtest=$4
pages=262144

# best CMD...: the shortest of 5 runs, in seconds.
best() {
	local b= s e t
	for _ in 1 2 3 4 5; do
		s=$(date +%s.%N)
		"$@" >/dev/null 2>&1 || return 1
		e=$(date +%s.%N)
		t=$(echo "$e $s" | awk '{ print $1 - $2 }')
		b=$(echo "$t ${b:-$t}" | awk '{ print ($1 < $2 ? $1 : $2) }')
	done
	echo "$b"
}

fifo=$(mktemp -u)
mkfifo "$fifo"
"$vmxtest" hold 1024 600 >"$fifo" &
holder=$!
read -r pid <"$fifo"
rm -f "$fifo"
trap 'kill $holder 2>/dev/null || true' EXIT

echo "host (no emulator): $pages pages, output to /dev/null, best of 5"
if ptt=$(best "$pt" -p "$pid" -L -N); then
	printf '  %-32s %8.3f s  %6.2fx\n' "page-types -p PID -L -N" "$ptt" 1
	echo "PLOT host page-types $ptt 1"
else
	ptt=
	echo "  page-types: cannot read /proc/kpageflags here (root?): no ratios"
fi
for v in :text :leaves -j:json --ndjson:ndjson; do
	opt=${v%%:*} words=${v#*:}
	[ "$words" = text ] || [ "$words" = json ] || [ "$words" = ndjson ] && words=
	t=$(LD_PRELOAD=$shim VMXCTL_DEVICE=/nonexistent/fakevmx VMX_FAKE_BULK=$pages LC_ALL=C \
		best "$vmxctl" $opt dump 4242 $words)
	r=$(echo "$t ${ptt:-0}" | awk '{ print ($2 > 0 ? $1 / $2 : 0) }')
	printf '  %-32s %8.3f s  %6.2fx\n' "vmxctl $opt dump PID $words" "$t" "$r"
	echo "PLOT host vmxctl${opt:+-}${opt#--}-dump${words:+-}$(echo "$words" | tr ' ' '-') $t $r"
done
