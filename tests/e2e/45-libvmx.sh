# libvmx (lib/): every function against pagemap, maps and the bytes the
# process wrote (tests/e2e/libvmx_check.c), check by check.
. /files/e2e/lib.sh

/vmx/libvmx_check >/tmp/libvmx.out 2>&1
echo "libvmx_check: exit $?" >/dev/kmsg
while IFS= read -r line; do
	case $line in
	"ok "*) pass "libvmx_${line#ok }" ;;
	"not ok "*)
		line=${line#not ok }
		fail "libvmx_${line%%:*}" "${line#*: }"
		;;
	"skip "*)
		line=${line#skip }
		skip "libvmx_${line%%:*}" "${line#*: }"
		;;
	*) echo "libvmx_check: $line" >/dev/kmsg ;;
	esac
done </tmp/libvmx.out
grep -q '^ok open_and_info' /tmp/libvmx.out || fail libvmx_ran "no result: $(head -c 200 /tmp/libvmx.out)"
