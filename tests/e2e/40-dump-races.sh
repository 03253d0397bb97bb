# Dumps racing a process that remaps itself (THP collapse and split,
# migration, KSM merging among its changes) and finally exits: several
# dumpers at once for 15 s on the kunit kernels (KASAN and lockdep
# watching), 5 s on the stock ones. Every dump ends cleanly or with ESRCH
# once the target is gone; the console scan catches any splat.
. /files/e2e/lib.sh

secs=5
[ "${KERNEL#kunit-}" != "$KERNEL" ] && secs=15
# KSM merges the target's MADV_MERGEABLE pages meanwhile, where built in.
ksm=/sys/kernel/mm/ksm
if [ -w "$ksm/run" ]; then
	echo 10 >"$ksm/sleep_millisecs"
	echo 1 >"$ksm/run"
fi
racetarget "$secs" &
target=$!
dumpers=
for d in 1 2 3; do
	(
		ok=0 bad=0
		while kill -0 "$target" 2>/dev/null; do
			case $d in
			1) vmxctl dump "$target" >/dev/null 2>/tmp/race.err.$d ;;
			2) vmxctl -j dump "$target" leaves merge >/tmp/race.err.$d 2>&1 ;;
			3) vmxctl dump "$target" leaves raw >/dev/null 2>/tmp/race.err.$d ;;
			esac
			rc=$?
			if [ "$rc" = 0 ] || grep -q '(ESRCH)\|(ENXIO)\|"errno":"ESRCH"\|"errno":"ENXIO"' /tmp/race.err.$d; then
				ok=$((ok + 1))
			else
				bad=$((bad + 1))
				tail -c 300 /tmp/race.err.$d >/dev/kmsg
			fi
		done
		echo "$ok $bad" >/tmp/race.result.$d
	) &
	dumpers="$dumpers $!"
done
wait "$target"
expect_eq race_target_finished "$?" 0
[ -w "$ksm/run" ] && echo 2 >"$ksm/run"	# stop, and unmerge
# The dumpers only: a plain wait would also wait for whatever an earlier
# part left running.
for d in $dumpers; do wait "$d"; done
total=0 bad=0
for d in 1 2 3; do
	read -r o b </tmp/race.result.$d
	total=$((total + o + b))
	bad=$((bad + b))
done
expect_eq race_dumps_clean "$bad" 0
expect_match race_dumps_ran "$total" '^[1-9][0-9]*$'
echo "race: $total dumps in ${secs}s" >/dev/kmsg
run vmxctl dump "$target"
expect_match race_gone_is_esrch "$ERR" '\(ESRCH\)'
