#!/bin/bash
# make fuzz [SECONDS=3600] [KERNEL=kunit-6.12] [PAGING=5]: the fuzzer alone,
# for a long run, in one VM; then the console scan. Exit 0 only when the
# fuzzer found nothing and the console has no splat.
set -u
. "$(dirname "$0")/common.sh"

secs=${1:-3600} kernel=${2:-kunit-6.12} paging=${3:-5}
if [ "$paging" = 4 ]; then pti=on; else pti=off; fi
dir=$VMX_BUILD/fuzz-$kernel-$paging
logf=$VMX_BUILD/logs/fuzz-$kernel-$paging.log
rm -rf "$dir" && mkdir -p "$dir" "$VMX_BUILD/logs"
printf 'KERNEL=%s\nPAGING=%s\nPTI=%s\n' "$kernel" "$paging" "$pti" >"$dir/expect.env"
echo "$secs" >"$dir/fuzz-seconds"
bash "$VMX_TOP/initramfs/vm.sh" run --kernel "$kernel" --paging "$paging" \
	--script "$VMX_TOP/tests/fuzz/vm-fuzz.sh" \
	--files "$VMX_TOP/tests/e2e $dir/expect.env $dir/fuzz-seconds" \
	--append "pti=$pti hugepagesz=2M hugepages=8" \
	--log "$logf" --timeout $((secs + 600)) --quiet
rc=$?
grep -E 'VMX-E2E|VMX-FUZZ-RATE|fuzz [a-z]*: vmxfuzz: [0-9]' "$logf"
grep -A12 -E 'fuzz [a-z]*: vmxfuzz: coverage' "$logf"
if ! bash "$VMX_TOP/scripts/splat-scan.sh" "$logf" >/dev/null; then
	echo "vmx: splats in $logf:"
	bash "$VMX_TOP/scripts/splat-scan.sh" "$logf" | head -n 20
	rc=1
fi
echo "vmx: fuzz on $kernel, $paging-level paging, $secs s: VM status $rc (log: $logf)"
exit $rc
