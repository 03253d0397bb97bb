# NUMA-hint entries: with two (fake) nodes, NUMA balancing makes a running
# process's pages PROT_NONE so that its next access faults and tells the
# kernel where it runs. vmx must show them as protnone with the numa hint,
# and pagemap (which counts them present) must agree.
. /files/e2e/lib.sh

nodes=$(cat /sys/devices/system/node/online 2>/dev/null)
if [ "$nodes" != 0-1 ]; then
	fail dump_numa_two_nodes "online nodes '$nodes', want 0-1 (numa=fake=2)"
	return 0 2>/dev/null || exit 0
fi
echo 1 >/proc/sys/kernel/numa_balancing
knobs=/sys/kernel/debug/sched/numa_balancing
[ -d "$knobs" ] && echo 0 >"$knobs/scan_delay_ms" && echo 100 >"$knobs/scan_period_min_ms"

# A copy of vmxtest: the checker must not share page-cache pages (and so
# mapcounts) with the target while it looks at them.
cp "$(command -v vmxtest)" /tmp/numa-spin
/tmp/numa-spin spin 8 300 >/tmp/numa-spin.pid &
i=0
while [ ! -s /tmp/numa-spin.pid ] && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
pid=$(cat /tmp/numa-spin.pid)
hints=0
i=0
while [ "$hints" = 0 ] && [ $i -lt 120 ]; do
	sleep 1
	hints=$(vmxctl dump "$pid" leaves | grep -c ' numa')
	i=$((i + 1))
done
kill -STOP "$pid"
echo "numa: $hints hint entries after $i s" >/dev/kmsg
expect_match dump_numa_hint_entries "$hints" '^[1-9]'
run vmxtest pagemap "$pid"
expect_eq dump_numa_matches_pagemap "$RC" 0
# vmxctl why on a hint entry: a NUMA hinting fault (the spinner's next
# access takes it and gets the page back; pagemap already calls it present).
a=$(vmxctl dump "$pid" leaves | grep -m1 ' numa' | awk '{print $2}')
if [ -n "$a" ]; then
	j=$(vmxctl -j why "$pid" "0x$a" read)
	expect_eq why_numa_hint "$(json_field reason "$j") $(json_field verdict "$j")" "numa-hint minor-fault"
fi
[ "$RC" = 0 ] || echo "$OUT" | head -n 25 >/dev/kmsg
kill -KILL "$pid"
wait "$pid" 2>/dev/null
echo 0 >/proc/sys/kernel/numa_balancing
