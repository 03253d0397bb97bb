# vmxctl info against sources that do not go through vmx: the CPU flags, how
# QEMU was started, the kernel's own messages, ptdump and /proc/iomem.
. /files/e2e/lib.sh

run vmxctl -j info
expect_eq info_exit_0 "$RC" 0
J=$OUT
levels=$(json_field levels "$J")

if grep -qw la57 /proc/cpuinfo; then cpu_levels=5; else cpu_levels=4; fi
expect_eq info_levels_match_cpuinfo_la57 "$levels" "$cpu_levels"
expect_eq info_levels_match_qemu_cpu "$levels" "$PAGING"
expect_eq info_virt_bits_match_levels "$(json_field virt_bits "$J")" \
	"$([ "$PAGING" = 5 ] && echo 57 || echo 48)"

if dmesg | grep -q 'page tables isolation: enabled'; then dm=true; else dm=false; fi
expect_eq info_pti_matches_dmesg "$(json_field pti "$J")" "$dm"
case " $(cat /proc/cmdline) " in
*" pti=on "*) want=true ;;
*" pti=off "*) want=false ;;
*) want=$dm ;;
esac
expect_eq info_pti_matches_cmdline "$(json_field pti "$J")" "$want"

expect_eq info_release_matches_uname "$(json_field release "$J")" "$(uname -r)"
expect_match info_lists_feature_info "$J" '"features":\[[^]]*"info"'
# The behaviours added after their requests, each with its own bit.
for f in dump-tables merge-runs edit-dry-run remap-eexist phys-roots dump-compact resolve-no-page pat; do
	expect_match "info_lists_feature_$f" "$J" '"features":\[[^]]*"'"$f"'"'
done

# The PAT the module read (IA32_PAT) is what the kernel said it programmed.
want=$(dmesg | sed -n 's/.*x86\/PAT: Configuration \[0-7\]: *//p' | head -n 1 | tr -s ' ' | sed 's/ *$//')
got=$(echo "$J" | sed -n 's/.*"pat":\[\([^]]*\)\].*/\1/p' | tr -d '"' | tr ',' ' ')
if [ -z "$want" ]; then
	skip info_pat_matches_dmesg "no x86/PAT line in the kernel log"
else
	expect_eq info_pat_matches_dmesg "$got" "$want"
fi

# The highest "System RAM" range of /proc/iomem ends where vmx says RAM ends.
last=$(grep 'System RAM' /proc/iomem | tail -n 1 | sed 's/^ *[0-9a-f]*-\([0-9a-f]*\) .*/\1/')
expect_eq info_ram_end_matches_iomem "$(json_field phys_ram_end "$J")" \
	"$(printf '0x%x' $((0x$last + 1)))"

# The kernel's own page-table dump: the first range after its "Low Kernel
# Mapping" marker lies in the 1G-aligned slot (KASLR's granularity) that
# starts at page_offset_base. (Physical page 0 is not mapped, so the range
# itself starts a little above the base.)
# Under 5-level paging on the debug kernels the kernel's ptdump takes 20 s
# to read: the 4-level VM of each kernel reads it; the 5-level one checks
# the base by resolving it (inspect-checks.sh).
ptdump=/sys/kernel/debug/page_tables/kernel
if [ "$PAGING" = 5 ] && [ "${KERNEL#kunit-}" != "$KERNEL" ]; then
	skip info_direct_map_matches_ptdump "ptdump of the kernel is read in the 4-level VM (20 s here)"
elif [ -r "$ptdump" ]; then
	# Kept for inspect-checks.sh, which would read it again otherwise.
	cat "$ptdump" >/tmp/kernel-ptdump
	first=$(grep -A1 'Low Kernel Mapping' /tmp/kernel-ptdump | tail -n 1 | cut -d- -f1)
	expect_eq info_direct_map_matches_ptdump "$(json_field page_offset_base "$J")" \
		"$(printf '0x%x' $((first & ~0x3fffffff)))"
elif [ "${KERNEL#kunit-}" != "$KERNEL" ]; then
	fail info_direct_map_matches_ptdump "no $ptdump in a kunit kernel"
else
	skip info_direct_map_matches_ptdump "this kernel has no PTDUMP_DEBUGFS"
fi

lap ptdump
# Text and JSON say the same.
run vmxctl info
expect_match info_text_levels "$OUT" "^paging +$levels levels"
expect_match info_text_pti "$OUT" "^pti +$([ "$(json_field pti "$J")" = true ] && echo on || echo off) "
