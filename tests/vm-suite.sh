# What `make test` runs inside each VM (as /run.sh): the KUnit module, with
# its KTAP framed by markers in the kernel log, then the end-to-end checks.
# Each part's seconds go to the log (VMX-TIME), so test.sh can show where a
# VM's time went when the suite's budget is exceeded.
. /files/e2e/lib.sh
echo "VMX-SUITE-BEGIN" >/dev/kmsg
echo "VMX-TIME boot $(uptime_s)" >/dev/kmsg
# kmemleak's own scan every 10 minutes (the first a minute after boot) takes
# a vCPU from the tests for half a minute under TCG; 70-fuzz.sh scans when
# the suite is done instead.
[ -w /sys/kernel/debug/kmemleak ] && echo scan=off >/sys/kernel/debug/kmemleak
if [ -e /vmx/vmx_kunit.ko ]; then
	t_start=$(uptime_s)
	echo "VMX-KTAP-BEGIN" >/dev/kmsg
	insmod /vmx/vmx_kunit.ko
	echo "VMX-KTAP-END" >/dev/kmsg
	rmmod vmx_kunit
	echo "VMX-TIME kunit $(($(uptime_s) - t_start))" >/dev/kmsg
fi
failed=0
for t in /files/e2e/[0-9]*.sh; do
	E2E_FAILED=0
	vmx_part=${t##*/} t_start=$(uptime_s) lap_t=
	. "$t"
	echo "VMX-TIME $vmx_part $(($(uptime_s) - t_start))" >/dev/kmsg
	failed=$((failed + E2E_FAILED))
done
echo "VMX-E2E-END" >/dev/kmsg
# Let the console drain before /init powers the VM off.
sleep 1
[ "$failed" -lt 100 ] || failed=100
exit "$failed"
