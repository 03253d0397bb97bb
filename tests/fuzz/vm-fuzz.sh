# What `make fuzz` runs inside the VM: only the fuzzer's part of the suite,
# for as long as /files/fuzz-seconds says.
echo "VMX-SUITE-BEGIN" >/dev/kmsg
FUZZ_SECONDS=$(cat /files/fuzz-seconds)
E2E_FAILED=0
. /files/e2e/70-fuzz.sh
echo "VMX-E2E-END" >/dev/kmsg
sleep 1
[ "$E2E_FAILED" -lt 100 ] || E2E_FAILED=100
exit "$E2E_FAILED"
