# What `make test` runs inside each VM (as /run.sh): the KUnit module, with
# its KTAP framed by markers in the kernel log, then the end-to-end checks.
echo "VMX-SUITE-BEGIN" >/dev/kmsg
if [ -e /vmx/vmx_kunit.ko ]; then
	echo "VMX-KTAP-BEGIN" >/dev/kmsg
	insmod /vmx/vmx_kunit.ko
	echo "VMX-KTAP-END" >/dev/kmsg
	rmmod vmx_kunit
fi
failed=0
for t in /files/e2e/[0-9]*.sh; do
	E2E_FAILED=0
	. "$t"
	failed=$((failed + E2E_FAILED))
done
echo "VMX-E2E-END" >/dev/kmsg
# Let the console drain before /init powers the VM off.
sleep 1
[ "$failed" -lt 100 ] || failed=100
exit "$failed"
