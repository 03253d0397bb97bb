# libvmx (lib/): every function against pagemap, maps and the bytes the
# process wrote (tests/e2e/libvmx_check.c), check by check.
. /files/e2e/lib.sh

/vmx/libvmx_check >/tmp/libvmx.out 2>&1
rc=$?
echo "libvmx_check: exit $rc" >/dev/kmsg
while IFS= read -r line; do
	case $line in
	"ok "*) pass "libvmx_${line#ok }" ;;
	"not ok "*)
		line=${line#not ok }
		fail "libvmx_${line%%:*}" "${line#*: }"
		;;
	"done "*) ;;
	"skip "*)
		line=${line#skip }
		skip "libvmx_${line%%:*}" "${line#*: }"
		;;
	*) echo "libvmx_check: $line" >/dev/kmsg ;;
	esac
done </tmp/libvmx.out
# A crash or an early exit leaves checks untold: "done N" must come, and
# account for every result line.
n=$(grep -cE '^(ok|not ok|skip) ' /tmp/libvmx.out)
if grep -qx "done $n" /tmp/libvmx.out && [ "$rc" -le 1 ]; then
	pass libvmx_ran_to_the_end
else
	fail libvmx_ran_to_the_end "exit $rc after $n results: $(tail -n 2 /tmp/libvmx.out | tr '\n' ' ')"
fi
