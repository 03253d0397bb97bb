# PTEditor's API on vmx (lib/ptedit_header.h): a program in PTEditor's
# style calls every function of docs/ptedit.md at allow_edits=1 and checks
# each against pagemap, its own bytes, the CPU's accessed bit and the
# kernel's PAT line (tests/e2e/ptedit_check.c).
. /files/e2e/lib.sh

param=/sys/module/vmx/parameters/allow_edits
was=$(cat $param)
echo 1 >$param
/vmx/ptedit_check >/tmp/ptedit.out 2>&1
rc=$?
echo "$was" >$param
echo "ptedit_check: exit $rc" >/dev/kmsg
while IFS= read -r line; do
	case $line in
	"ok "*) pass "ptedit_${line#ok }" ;;
	"not ok "*)
		line=${line#not ok }
		fail "ptedit_${line%%:*}" "${line#*: }"
		;;
	"skip "*)
		line=${line#skip }
		skip "ptedit_${line%%:*}" "${line#*: }"
		;;
	"done "*) ;;
	*) echo "ptedit_check: $line" >/dev/kmsg ;;
	esac
done </tmp/ptedit.out
n=$(grep -cE '^(ok|not ok|skip) ' /tmp/ptedit.out)
if grep -qx "done $n" /tmp/ptedit.out && [ "$rc" -le 1 ]; then
	pass ptedit_ran_to_the_end
else
	fail ptedit_ran_to_the_end "exit $rc after $n results: $(tail -n 2 /tmp/ptedit.out | tr '\n' ' ')"
fi
