# Raw edits and TLB flushes on a live process (remaptarget), with what it
# then does as the oracle: a write to a write-protected page takes a minor
# fault and succeeds; a read after clearing Accessed sets it again; a write
# after clearing soft-dirty sets it again, as pagemap (after clear_refs)
# agrees. allow_edits goes from 0 to 1 to 2 and back.

. /files/e2e/lib.sh

E=/tmp/edit
rm -rf "$E" && mkdir -p "$E"
PARAM=/sys/module/vmx/parameters/allow_edits

# The raw PTE of ADDR in the target, in hex.
pte() {
	json_field raw "$(vmxctl -j resolve "$tpid" "$1")"
}

# pagemap's soft-dirty bit (55) for ADDR.
pagemap_sd() {
	w=$(dd if=/proc/"$tpid"/pagemap bs=8 skip=$(($1 / 4096)) count=1 2>/dev/null |
		od -An -tx8 | tr -d ' ')
	echo $(((0x$w >> 55) & 1))
}

# bit HEX N: bit N of a 64-bit hex value (shell arithmetic is signed).
bit() {
	h=${1#0x}
	while [ ${#h} -lt 16 ]; do h=0$h; done
	c=$(echo "$h" | cut -c$((16 - $2 / 4)))
	echo $(((0x$c >> ($2 % 4)) & 1))
}

target_start "$E" remaptarget
wait_lines 1
set -- $(head -n 1 "$E/t.out")
tpid=$2 priv=$4
p1=$(printf '0x%x' $((priv + 4096)))

echo 0 >"$PARAM"
before=$(pte "$priv")
run vmxctl edit "$tpid" "$priv" clear write
expect_match edit_off_eperm "$RC $ERR" '^1 .*edits are off \(allow_edits=0\).*EPERM'
# A dry run writes nothing: it needs no allow_edits, and says what would.
run vmxctl edit "$tpid" "$priv" clear nx --dry-run
expect_eq edit_dry_run_at_level_0 "$RC $(pte "$priv")" "0 $before"
expect_match edit_dry_run_says_level "$OUT" '^  needs allow_edits=2 \(it is 0\)$'
echo 3 >"$PARAM" 2>/dev/null
expect_eq allow_edits_rejects_3 "$(cat "$PARAM")" 0

echo 1 >"$PARAM"
# Write-protect: the next write faults once (minor) and succeeds.
run vmxctl -j edit "$tpid" "$priv" clear write
expect_eq edit_wp_exit_0 "$RC" 0
expect_eq edit_wp_rw_clear "$(bit "$(pte "$priv")" 1)" 0
expect_match edit_wp_audit_line "$(dmesg | grep 'vmx: edit by pid' | tail -n 1)" \
	"pid $tpid $priv: 0x[0-9a-f]+ -> 0x[0-9a-f]+"
tell minflt
m0=${REPLY#minflt }
tell "write private 0 after-wp"
tell minflt
m1=${REPLY#minflt }
expect_eq edit_wp_write_succeeds_after_minor_fault \
	"$(tell "read private 0"; echo "$REPLY") $([ "$m1" -gt "$m0" ] && echo fault)" \
	"text 'after-wp' fault"
expect_eq edit_wp_write_restores_rw "$(bit "$(pte "$priv")" 1)" 1

# Accessed: cleared, then set again by a read.
run vmxctl edit "$tpid" "$priv" clear accessed
expect_eq edit_clear_accessed "$RC $(bit "$(pte "$priv")" 5)" "0 0"
tell "read private 0"
expect_eq read_sets_accessed_again "$(bit "$(pte "$priv")" 5)" 1

# Soft-dirty (bit 11), against pagemap once clear_refs has cleared VM_SOFTDIRTY.
echo 4 >/proc/"$tpid"/clear_refs
tell "write private 0 dirty-again"
expect_eq soft_dirty_after_write "$(bit "$(pte "$priv")" 11) $(pagemap_sd "$priv")" "1 1"
run vmxctl edit "$tpid" "$priv" clear soft-dirty
expect_eq edit_clear_soft_dirty \
	"$RC $(bit "$(pte "$priv")" 11) $(bit "$(pte "$priv")" 1) $(pagemap_sd "$priv")" "0 0 0 0"
tell "write private 0 dirty-once-more"
expect_eq write_sets_soft_dirty_again "$(bit "$(pte "$priv")" 11) $(pagemap_sd "$priv")" "1 1"

# Dry run and compare-and-swap.
before=$(pte "$priv")
run vmxctl edit "$tpid" "$priv" clear write --dry-run
expect_eq edit_dry_run_writes_nothing "$RC $(pte "$priv")" "0 $before"
run vmxctl edit "$tpid" "$priv" clear write expect 0x1
expect_match edit_expect_mismatch_eagain "$RC $ERR $(pte "$priv")" "^1 .*EAGAIN.* $before\$"
# The error names the entry as it is now (the module returns it with EAGAIN).
expect_match edit_eagain_gives_current_entry "$ERR" "it is $before,"

# --no-flush leaves stale TLB entries: an experiment, refused at level 1.
run vmxctl edit "$tpid" "$priv" clear accessed --no-flush
expect_match edit_level1_refuses_no_flush "$RC $ERR" '^1 .*EACCES'
# Memory types: refused at every level.
run vmxctl edit "$tpid" "$priv" set pcd
expect_match edit_pcd_refused "$RC $ERR" '^1 .*memory-type.*EOPNOTSUPP'

# Level 1 refuses experiments; every level refuses write on a shared page.
run vmxctl edit "$tpid" "$p1" clear nx
expect_match edit_level1_refuses_nx "$RC $ERR" '^1 .*EACCES'
echo 2 >"$PARAM"
run vmxctl edit "$tpid" "$(sed -n 's/^ready [0-9]* \(0x[0-9a-f]*\) .*/\1/p' "$E/t.out")" set write
expect_match edit_write_on_shared_refused "$RC $ERR" '^1 vmxctl: set write: a file page \(page cache or shmem\).*EACCES'
tell "write private 1 nx-page"
# Data pages are NX: making one executable is an experiment.
run vmxctl -j edit "$tpid" "$p1" clear nx
expect_eq edit_level2_clear_nx_taints \
	"$RC $(json_field tainted "$OUT") $(bit "$(pte "$p1")" 63)" "0 true 0"
expect_eq kernel_tainted_user "$(( ($(cat /proc/sys/kernel/tainted) >> 6) & 1 ))" 1
tell "read private 1"
expect_eq nx_page_still_readable "$REPLY" "text 'nx-page'"

# TLB flush on its own.
flushes=$(sed -n 's/^tlb_flushes //p' /sys/kernel/debug/vmx/stats)
run vmxctl tlb flush "$tpid"
expect_eq tlb_flush_counts "$RC $(sed -n 's/^tlb_flushes //p' /sys/kernel/debug/vmx/stats)" \
	"0 $((flushes + 1))"

# A process with an MMU notifier (test_hmm's mirror device, kunit kernels):
# edits and remaps are refused, as KVM or an IOMMU would keep the old entry.
# (49-why.sh may have loaded test_hmm already.)
if [ -e /files/modules/test_hmm.ko ] &&
	{ [ -e /dev/hmm_dmirror0 ] || insmod /files/modules/test_hmm.ko; }; then
	tell notifier
	expect_eq hmm_mirror_opened "$REPLY" ok
	run vmxctl edit "$tpid" "$priv" clear accessed
	expect_match edit_refused_with_mmu_notifier "$RC $ERR" '^1 .*EBUSY'
	tell "window 1"
	run vmxctl map "$tpid" "$(sed -n 's/^ready [0-9]* \(0x[0-9a-f]*\) .*/\1/p' "$E/t.out")" \
		"$tpid" "${REPLY#window }"
	expect_match map_refused_with_mmu_notifier "$RC $ERR" '^1 .*EBUSY'
	hmm=1
else
	skip edit_refused_with_mmu_notifier "no test_hmm.ko for this kernel"
	hmm=
fi

echo 0 >"$PARAM"
target_end
# test_hmm stays loaded: on 6.12 its unload leaks its devices' names and
# device structs (kmemleak, backtrace in dev_set_name/device_add from
# test_hmm's init), which later kmemleak scans would report as a splat.
: "$hmm"
