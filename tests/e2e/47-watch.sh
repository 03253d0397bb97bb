# vmxctl watch against a known working set (watchtarget): in each phase the
# target reads every STEP-th page of its 256 and writes every 2*STEP-th,
# inside one sample; watch must count exactly those pages as accessed and
# written. page_idle (kunit kernels) is the kernel's own second opinion on
# the same frames. Aging that clears A bits by itself is turned off:
# MGLRU, NUMA balancing; khugepaged cannot collapse a NOHUGEPAGE buffer.
. /files/e2e/lib.sh

# In the 5-level VM of each kernel only: watch reads leaves and clears A
# bits through the kernel, the paging depth changes nothing of it (and the
# 4-level VMs keep their minutes for the checks where it does).
if [ "$PAGING" = 4 ]; then
	skip watch "run in the 5-level VM of this kernel"
	return 0
fi

W=/tmp/watch
rm -rf "$W" && mkdir -p "$W"
LRU=/sys/kernel/mm/lru_gen/enabled NUMA=/proc/sys/kernel/numa_balancing
lru_was=$(cat $LRU 2>/dev/null) numa_was=$(cat $NUMA 2>/dev/null)
[ -w $LRU ] && echo n >$LRU
[ -w $NUMA ] && echo 0 >$NUMA

# Until watch's output began: it prints its header once the first clear
# (and its TLB flush) is done, whatever the A bits were before.
wait_header() {
	i=0
	while [ ! -s "$1" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

target_start "$W" watchtarget
wait_lines 1
set -- $(head -n 1 "$W/t.out")
tpid=$2 buf=$(($3)) pages=$4 thp=$(($5))
end=$((buf + pages * 4096))
idle=0
[ -w /sys/kernel/mm/page_idle/bitmap ] && idle=1

for step in 2 3 5; do
	want_r=$(((pages + step - 1) / step))
	want_w=$(((pages + 2 * step - 1) / (2 * step)))
	vmxctl -j watch "$tpid" range "$buf" "$end" --interval 2000 --count 1 --dirty \
		>"$W/s$step.json" 2>"$W/s$step.err" &
	wpid=$!
	wait_header "$W/s$step.json"
	if [ $idle = 1 ]; then
		tell idle-mark
		expect_eq "watch_step${step}_page_idle_marked" "$REPLY" "marked $pages"
	fi
	tell "read $step"
	tell "write $((2 * step))"
	wait "$wpid"
	rc=$?
	s=$(cat "$W/s$step.json")
	expect_eq "watch_step${step}_exit" "$rc $(head -c 200 "$W/s$step.err")" "0 "
	expect_eq "watch_step${step}_accessed_pages" "$(json_field wss_pages "$s")" "$want_r"
	expect_eq "watch_step${step}_written_pages" "$(json_field written_pages "$s")" "$want_w"
	expect_eq "watch_step${step}_resident" "$(json_field resident_total_bytes "$s")" "$((pages * 4096))"
	if [ $idle = 1 ]; then
		tell idle-count
		expect_eq "watch_step${step}_page_idle_agrees" "$REPLY" "busy $want_r"
	fi
done
[ $idle = 1 ] || skip watch_page_idle_agrees "no /sys/kernel/mm/page_idle on this kernel"

# A huge leaf is accessed whole: one byte read counts its 2M.
leaf=$(vmxctl -j dump "$tpid" range "$thp" $((thp + 4096)) leaves raw)
if [ "$(json_field size "$leaf")" = 2M ]; then
	vmxctl -j watch "$tpid" range "$thp" $((thp + 2097152)) --interval 2000 --count 1 \
		>"$W/thp.json" 2>&1 &
	wpid=$!
	wait_header "$W/thp.json"
	tell thp
	wait "$wpid"
	expect_eq watch_thp_whole_leaf "$(json_field wss_pages "$(cat "$W/thp.json")")" 512
else
	skip watch_thp_whole_leaf "the THP region is not one 2M leaf here ($(json_field size "$leaf"))"
fi

# Hot pages stay in the TLB: without --dirty (whose clear flushes), watch's
# own flush is what makes the CPU set A again. 64 pages read over and over
# for 3 s, no flush by the target: the second sample sees all 64 too.
vmxctl -j watch "$tpid" range "$buf" "$end" --interval 1000 --count 2 >"$W/hot.json" 2>&1 &
wpid=$!
wait_header "$W/hot.json"
n=$(wc -l <"$W/t.out")
echo "spin 1 64 3000 0" >&9
wait "$wpid"
wait_lines $((n + 1))
expect_eq watch_hot_pages_every_sample \
	"$(grep -o '"wss_pages":[0-9]*' "$W/hot.json" | tr '\n' ' ')" '"wss_pages":64 "wss_pages":64 '

# Several samples: a time series, its text form, and the heatmap.
run vmxctl watch "$tpid" --interval 200 --count 3 --heatmap "$W/h.svg"
expect_eq watch_text_samples "$RC $(echo "$OUT" | grep -cE '^ +[0-9]+ +[0-9.]+ ')" "0 3"
expect_match watch_text_cost "$OUT" '^# cost a sample: clear [0-9.]+ ms \+ read [0-9.]+ ms$'
expect_eq watch_heatmap_columns "$(grep -o 'data-columns="[0-9]*"' "$W/h.svg")" 'data-columns="3"'
# (not through run: NDJSON lines are not for 80 columns)
vmxctl --ndjson watch "$tpid" --interval 100 --count 2 >"$W/nd.json" 2>&1
expect_eq watch_ndjson_lines "$? $(wc -l <"$W/nd.json") $(tail -n 1 "$W/nd.json" | grep -c '"end":true')" "0 4 1"

# DAMON, the kernel's own monitor (its sysfs interface: the stock 6.12
# kernel), on the same accesses as watch, one after the other (DAMON
# clears A bits without a TLB flush: beside it watch would miss pages): 64
# pages read over and over, contiguous (the first 64) and spread (every
# 4th of 256). watch must see exactly 64 pages; DAMON's figure is the
# bytes of its regions over the buffer it saw accessed, reported beside
# it (docs/watch.md).
DA=/sys/kernel/mm/damon/admin
damon_start() {
	echo 1 >$DA/kdamonds/nr_kdamonds
	K=$DA/kdamonds/0
	echo 1 >$K/contexts/nr_contexts
	C=$K/contexts/0
	echo vaddr >$C/operations
	echo 5000 >$C/monitoring_attrs/intervals/sample_us
	echo 100000 >$C/monitoring_attrs/intervals/aggr_us
	echo 1 >$C/targets/nr_targets
	echo "$tpid" >$C/targets/0/pid_target
	echo 1 >$C/schemes/nr_schemes
	S=$C/schemes/0
	echo stat >$S/action
	echo 18446744073709551615 >$S/access_pattern/sz/max
	echo 4294967295 >$S/access_pattern/nr_accesses/max
	echo 4294967295 >$S/access_pattern/age/max
	echo on >$K/state
}
# Bytes of [buf, end) in the regions DAMON last saw accessed; its regions
# in all, those over the buffer, and the smallest of those in KiB.
damon_wss() {
	echo update_schemes_tried_regions >$K/state
	sum=0 nreg=0 over=0 small=
	for r in "$S"/tried_regions/[0-9]*; do
		[ -d "$r" ] || continue
		nreg=$((nreg + 1))
		lo=$(cat "$r/start") hi=$(cat "$r/end")
		[ "$hi" -gt "$buf" ] && [ "$lo" -lt "$end" ] || continue
		over=$((over + 1))
		kib=$(((hi - lo) / 1024))
		[ -z "$small" ] || [ "$kib" -lt "$small" ] && small=$kib
		[ "$(cat "$r/nr_accesses")" -gt 0 ] || continue
		[ "$lo" -lt "$buf" ] && lo=$buf
		[ "$hi" -gt "$end" ] && hi=$end
		sum=$((sum + hi - lo))
	done
	echo "$sum $nreg $over ${small:-0}"
}
# spin STEP N MS in the background of the caller; its reply is awaited later.
spin_start() {
	spin_n=$(wc -l <"$W/t.out")
	echo "spin $1 $2 $3" >&9
}
if [ -d $DA ]; then
	for pat in "1 64 contiguous" "4 256 spread"; do
		set -- $pat
		vmxctl -j watch "$tpid" range "$buf" "$end" --interval 1500 --count 1 >"$W/d.json" 2>&1 &
		wpid=$!
		wait_header "$W/d.json"
		spin_start "$1" "$2" 2000
		wait "$wpid"
		wait_lines $((spin_n + 1))
		vw=$(json_field wss_bytes "$(cat "$W/d.json")")
		damon_start
		spin_start "$1" "$2" 3000
		sleep 2
		set -- $3 $(damon_wss)
		wait_lines $((spin_n + 1))
		echo off >$K/state
		report "note watch_vs_damon $1: 64 pages read (262144 bytes): vmx $vw, DAMON $2 ($3 regions, $4 over the buffer, the smallest $5 KiB)"
		expect_eq "watch_vs_damon_$1_vmx_exact" "$vw" 262144
		expect_match "watch_vs_damon_$1_damon_regions" "$3" '^[1-9][0-9]*$'
	done
	echo 0 >$DA/kdamonds/nr_kdamonds
else
	skip watch_vs_damon "no DAMON sysfs interface on this kernel"
fi

# Errors: a bad interval, a gone pid, an exiting target mid-watch.
run vmxctl watch "$tpid" --interval 0
expect_match watch_interval_0_usage "$RC $ERR" '^2 .*--interval 0: from 1 to'
run vmxctl watch 999999 --count 1
expect_match watch_no_such_pid "$RC $ERR" '^1 .*ESRCH'
vmxctl -j watch "$tpid" --interval 500 >"$W/exit.json" 2>&1 &
wpid=$!
wait_header "$W/exit.json"
echo quit >&9
exec 9>&-
wait "$wpid"
rc=$?
expect_eq watch_target_exit_ends_cleanly "$rc $(json_field ended "$(tail -c 300 "$W/exit.json")")" \
	"0 target exited"
wait "$T_PID"
[ -n "$lru_was" ] && [ -w $LRU ] && echo "$lru_was" >$LRU
[ -n "$numa_was" ] && [ -w $NUMA ] && echo "$numa_was" >$NUMA
