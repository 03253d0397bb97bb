# The reproducers of the reliability review (tests/e2e/adversary.c): each
# finding's case, reported check by check. Races run longer on the kunit
# kernels, where KASAN and lockdep watch them.
. /files/e2e/lib.sh

# adversary CASE ARGS...: every "ok"/"not ok" line it prints becomes a result.
adversary() {
	local line
	/vmx/adversary "$@" >/tmp/adv.out 2>&1
	echo "adversary $*: exit $?" >/dev/kmsg
	while IFS= read -r line; do
		case $line in
		"ok "*) pass "adv_${line#ok }" ;;
		"not ok "*)
			line=${line#not ok }
			fail "adv_${line%%:*}" "${line#*: }"
			;;
		"skip "*)
			line=${line#skip }
			skip "adv_${line%%:*}" "${line#*: }"
			;;
		*) echo "adversary: $line" >/dev/kmsg ;;
		esac
	done </tmp/adv.out
}

secs=5 rounds=200
if [ "${KERNEL#kunit-}" != "$KERNEL" ]; then
	secs=10 rounds=300
fi
mkdir -p /tmp/huge && mount -t hugetlbfs -o pagesize=2M none /tmp/huge
echo 8 >/proc/sys/vm/nr_hugepages
adversary hugeshare "$secs" /tmp/huge
adversary grant-hugetlb
adversary grant-race "$rounds"
adversary grant-twice "$rounds"
adversary grant-vs-unmap "$rounds"
adversary protect-ro /tmp/adv-ro-file
rm -f /tmp/adv-ro-file
adversary protect-race "$rounds" /tmp/adv-ro-file
rm -f /tmp/adv-ro-file
adversary peek-large /tmp/huge
adversary timens
adversary inherited-fd
adversary memlock
adversary size-flip 20000
adversary own-thread
# An MMU notifier registered while an edit runs (test_hmm's mirror; kept
# loaded once in, see 55-edit.sh).
if [ -e /dev/hmm_dmirror0 ] || { [ -e /files/modules/test_hmm.ko ] &&
	insmod /files/modules/test_hmm.ko; }; then
	# 300 rounds take 80 s on a debug kernel (a fork, a mirror and a
	# global TLB flush each); the unfixed check failed 1 round in 300.
	echo 1 >/sys/module/vmx/parameters/allow_edits
	adversary edit-notifier 60
	echo 0 >/sys/module/vmx/parameters/allow_edits
else
	skip adv_edit_notifier_no_write_under_readonly_entry "no test_hmm.ko for this kernel"
fi
# 60,000 VMAs take 80 s to make on the debug kernels: the stock ones run it.
if [ "${KERNEL#kunit-}" = "$KERNEL" ]; then
	adversary mtree-big 60000
else
	skip adv_mtree_big_one_tree "60,000 VMAs take too long to make on the debug kernels: run on the stock ones"
fi

# Audit lines are rate-limited: 200 protects in a row log at most a
# handful (none, when the races above used up this 5 s interval's budget).
before=$(dmesg | grep -c 'vmx: protect by pid')
adversary audit-flood 200
logged=$(( $(dmesg | grep -c 'vmx: protect by pid') - before ))
expect_match audit_lines_rate_limited "$logged" '^([0-9]|1[0-9]|20)$'
umount /tmp/huge

# A disk filesystem, so that drop_caches really drops clean page cache:
# ext2 on a RAM disk, built into the kunit kernels only.
if [ -b /dev/ram0 ] && grep -qw ext2 /proc/filesystems; then
	mkdir -p /tmp/disk
	mke2fs -q /dev/ram0 >/dev/null 2>&1 && mount -t ext2 /dev/ram0 /tmp/disk &&
		adversary dirty-unpin /tmp/disk/file
	umount /tmp/disk
else
	skip adv_dirty_unpin_write_kept "no ext2 on a RAM disk in this kernel"
fi

# kptr_restrict=2: kernel virtual addresses are reported as 0, and the
# kernel half is not translated (its layout is what KASLR hides).
kbase=$(json_field page_offset_base "$(vmxctl -j info)")
old=$(cat /proc/sys/kernel/kptr_restrict)
echo 2 >/proc/sys/kernel/kptr_restrict
expect_eq kptr_restrict_hides_page_offset_base \
	"$(json_field page_offset_base "$(vmxctl -j info)")" 0x0
run vmxctl resolve kernel "$kbase"
expect_match kptr_restrict_refuses_resolve_kernel "$RC $ERR" '^1 .*EPERM'
range=$(awk '/\[stack\]/ {print $1; exit}' /proc/$$/maps)
run vmxctl -j peek $$ "$(printf '0x%x' $((0x${range#*-} - 4096)))" 8
expect_match kptr_restrict_peek_direct_map_zero "$RC $(json_field direct_map "$OUT")" '^0 0x0$'
echo "$old" >/proc/sys/kernel/kptr_restrict
expect_match kptr_restrict_lifted_shows_base \
	"$(json_field page_offset_base "$(vmxctl -j info)")" '^0xff'
