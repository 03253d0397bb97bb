# Inspect (resolve, peek, phys, vmas) on the stopped maptarget of
# 30-dump.sh ($pid), against pagemap, /proc/pid/maps and the bytes the
# target wrote. Sourced by 30-dump.sh, which owns the target.

addr_of() {
	sed -n "s/^addr $1 //p" /tmp/mt/kinds
}

# pagemap's frame for a user address (bits 0-54 of its 8-byte word).
pagemap_pfn() {
	w=$(dd if=/proc/"$pid"/pagemap bs=8 skip=$(($1 / 4096)) count=1 2>/dev/null |
		od -An -tx8 | tr -d ' ')
	printf '%d\n' $((0x$w & 0x7fffffffffffff))
}

run vmxtest maps "$pid"
expect_eq vmas_match_proc_maps "$RC" 0
[ "$RC" = 0 ] || echo "$OUT" | head -n 20 >/dev/kmsg

# A caller built against ABI 1 gets ABI 1's records, VMA inside.
run vmxtest abi1 "$pid" "$a"
expect_eq abi1_caller_served "$RC" 0
[ "$RC" = 0 ] || echo "$OUT" | head -n 20 >/dev/kmsg

# Compact records: the full records' address, level, kind and raw entry.
run vmxtest compact "$pid"
expect_eq dump_compact_matches_records "$RC" 0
echo "vmxtest compact: $OUT" | tail -n 3 >/dev/kmsg

# vmas --tree: the maple tree's nodes against maps (one VMA per line) and,
# where the kernel has CONFIG_DEBUG_MAPLE_TREE, its own mt_dump().
run vmxtest mtree "$pid"
echo "$OUT" | grep -E '^(vmx|mt_dump):' >/dev/kmsg
case $RC in
0) pass mtree_vmas_match_maps; pass mtree_matches_mt_dump ;;
3) pass mtree_vmas_match_maps
   skip mtree_matches_mt_dump "no mt_dump() (CONFIG_DEBUG_MAPLE_TREE) in this kernel" ;;
*) fail mtree_matches "$(echo "$OUT" | tail -n 2 | tr '\n' ' ')"
   echo "$OUT" | head -n 25 >/dev/kmsg ;;
esac
run vmxctl -j vmas "$pid" --tree
expect_eq vmas_tree_exit_0 "$RC" 0
expect_eq vmas_tree_json_vmas "$(json_field vmas "$OUT")" \
	"$(grep -vc '\[vsyscall\]' /proc/"$pid"/maps)"
run vmxctl vmas "$pid" --tree -v
width=$(echo "$OUT" | awk '{ if (length > m) m = length } END { print m + 0 }')
expect_eq vmas_tree_text_fits_80_columns \
	"$([ "$RC" = 0 ] && [ "$width" -le 80 ] && echo yes || echo "no: rc $RC, $width")" yes
run vmxctl vmas "$pid" --tree raw
expect_eq vmas_tree_raw_is_usage_error "$RC" 2

# resolve: the frame is pagemap's, the offset survives, every ending is a
# normal result.
anon=$(addr_of anon)
a=$(printf '0x%x' $((anon + 16)))
run vmxctl -j resolve "$pid" "$a"
expect_eq resolve_exit_0 "$RC" 0
expect_eq resolve_mapped "$(json_field result "$OUT")" mapped
pa=$(json_field pa "$OUT")
expect_eq resolve_frame_matches_pagemap "$((pa >> 12))" "$(pagemap_pfn $((anon + 16)))"
expect_eq resolve_keeps_offset "$((pa & 4095))" 16
expect_eq resolve_in_vma "$(json_field in_vma "$OUT")" true
run vmxctl resolve "$pid" "$a" --explain
expect_match resolve_explain_names_index_bits "$OUT" 'bits 20-12 of the address'
run vmxctl -j resolve "$pid" "$(addr_of untouched)"
expect_eq resolve_untouched_exit_0 "$RC" 0
expect_eq resolve_untouched_not_mapped "$(json_field result "$OUT")" not-mapped
run vmxctl resolve "$pid" "$(addr_of swap)"
expect_match resolve_swapped_entry "$OUT" 'swapped out: swap area [0-9]+, offset'
run vmxctl -j resolve "$pid" 0x10000000000
expect_eq resolve_outside_vmas "$(json_field result "$OUT") $(json_field in_vma "$OUT")" \
	"not-mapped false"
# The direct map: page_offset_base + PA maps PA. Physical 1 GiB on: large
# pages, as the kernel's ptdump says where there is one (debug kernels may
# use 4K ones), else the 1G or 2M pages of a stock kernel.
base=$(json_field page_offset_base "$(vmxctl -j info)")
run vmxctl -j resolve kernel "$base"
expect_eq resolve_kernel_direct_map_base "$(json_field result "$OUT") $(json_field pa "$OUT")" \
	"mapped 0x0"
gig=$(printf '0x%x' $((base + 0x40000123)))
run vmxctl -j resolve kernel "$gig"
expect_eq resolve_kernel_direct_map_1g "$(json_field pa "$OUT")" 0x40000123
size=$(json_field leaf_size "$OUT")

# ptdump_level ADDR FILE: the level name of the ptdump line holding ADDR.
ptdump_level() {
	grep '^0x' "$2" | while read -r range _ rest; do
		s=${range%-*} e=${range#*-}
		if [ $(($1 - s)) -ge 0 ] && [ $((e - $1)) -gt 0 ]; then
			echo "${rest##* }"
			break
		fi
	done
}
# The kernel's ptdump as 10-info.sh copied it: read in the 4-level VMs only
# (20 s on the debug kernels under 5-level paging).
kptdump=/tmp/kernel-ptdump
if [ -r "$kptdump" ]; then
	want=$(ptdump_level "$gig" "$kptdump" | sed 's/pte/4K/; s/pmd/2M/; s/pud/1G/')
	# The copy is from 10-info.sh: since then the kernel may have split that
	# 1G page (set_memory_* on the direct-map alias of a module's pages, seen
	# once). Smaller now: read the ptdump again and compare with that.
	if [ "$size" != "$want" ] && [ -r /sys/kernel/debug/page_tables/kernel ]; then
		cat /sys/kernel/debug/page_tables/kernel >"$kptdump"
		run vmxctl -j resolve kernel "$gig"
		size=$(json_field leaf_size "$OUT")
		want=$(ptdump_level "$gig" "$kptdump" | sed 's/pte/4K/; s/pmd/2M/; s/pud/1G/')
	fi
	expect_eq resolve_kernel_page_size_is_ptdumps "$size" "$want"
else
	expect_match resolve_kernel_page_size_is_ptdumps "$size" '^(1G|2M)$'
fi

# peek: the bytes the target wrote, from the frame resolve named.
run vmxctl -j peek "$pid" "$a" 13
expect_eq peek_reads_target_bytes "$(json_field bytes "$OUT")" \
	"$(printf 'vmx peek test' | od -An -tx1 | tr -d ' \n')"
expect_eq peek_frame_is_resolves "$(json_field pa "$OUT")" "$pa"
run vmxctl peek "$pid" "$(addr_of swap)" 8
expect_match peek_swapped_enoent "$RC $ERR" '^1 .*ENOENT'
run vmxctl peek "$pid" "$a" 5000
expect_eq peek_past_page_exit_2 "$RC" 2

# phys: what the frame is used for, and where physical memory ends.
run vmxctl -j phys "$pa"
expect_eq phys_of_anon_frame "$(json_field type "$OUT")" anon
run vmxctl -j phys 0xa0000
expect_eq phys_vga_hole_not_ram "$(json_field type "$OUT")" not-ram
run vmxctl phys "$(json_field phys_ram_end "$(vmxctl -j info)")"
expect_match phys_beyond_ram_erange "$RC $ERR" '^1 .*ERANGE'
# The upper tables x86 allocates without the PageTable type: the root
# (and under PTI its user copy, the second page of an order-1 block, which
# has no reference count of its own) and, with 5-level paging, a P4D table.
J=$(vmxctl -j resolve "$pid" "$a")
run vmxctl -j phys "$(json_field root_pa "$J")"
expect_eq phys_of_root_is_pagetable "$(json_field type "$OUT")" pagetable
run vmxctl -j phys "$(json_field root_pa_user "$J")"
expect_eq phys_of_user_root_is_pagetable "$(json_field type "$OUT")" pagetable
if [ "$PAGING" = 5 ]; then
	p4d=$(printf '%s\n' "$J" | grep -o '"table_pa":"0x[0-9a-f]*"' | sed -n '2s/.*"\(0x[0-9a-f]*\)"/\1/p')
	run vmxctl -j phys "$p4d"
	expect_eq phys_of_p4d_table_is_pagetable "$p4d $(json_field type "$OUT")" "$p4d pagetable"
else
	skip phys_of_p4d_table_is_pagetable "4-level paging: no P4D tables"
fi
# The page maptarget put in the last PGD slot of the user half (5-level):
# PHYS scans every user slot of the root for P4D tables, the last included.
high=$(addr_of high)
if [ "$PAGING" = 5 ] && [ -n "$high" ]; then
	J=$(vmxctl -j resolve "$pid" "$high")
	expect_match resolve_high_page_slot_255 "$J" '"steps":\[\{"level":"PGD","bits":"56-48","index":255,'
	p4d=$(printf '%s\n' "$J" | grep -o '"table_pa":"0x[0-9a-f]*"' | sed -n '2s/.*"\(0x[0-9a-f]*\)"/\1/p')
	run vmxctl -j phys "$p4d"
	expect_eq phys_of_last_slot_p4d_is_pagetable "$p4d $(json_field type "$OUT")" "$p4d pagetable"
elif [ "$PAGING" = 5 ]; then
	fail resolve_high_page_slot_255 "maptarget could not map 0xff000000000000: $(grep '^high' /tmp/mt/kinds)"
else
	skip resolve_high_page_slot_255 "4-level paging: no address above 2^47"
	skip phys_of_last_slot_p4d_is_pagetable "4-level paging: no P4D tables"
fi

# Bad input.
run vmxctl resolve "$pid" 0x8000000000000000
expect_eq resolve_noncanonical_exit_2 "$RC" 2
run vmxctl resolve kernel 0x1000
expect_eq resolve_kernel_user_addr_exit_2 "$RC" 2
run vmxctl resolve 2 0x1000
expect_match resolve_kernel_thread_enxio "$ERR" 'ENXIO'

# vmas: per VMA, what the page tables hold against smaps' Rss (vmxctl's
# rss_bytes follows smaps' rules: no zero page or raw PFNs, hugetlb apart).
vmx_rss=$(vmxctl -j vmas "$pid" | tr '{' '\n' |
	awk -F'"start":"0x' 'NF > 1 { split($2, a, "\""); s = a[1] }
		/"rss_bytes":/ { match($0, /"rss_bytes":[0-9]+/)
			print s, substr($0, RSTART + 12, RLENGTH - 12) }')
smaps_rss=$(awk '/^[0-9a-f]+-[0-9a-f]+ / { split($1, a, "-"); s = a[1]; sub(/^0+/, "", s) }
	/^Rss:/ { if (s != "ffffffffff600000") print s, $2 * 1024 }' /proc/"$pid"/smaps)
expect_eq vmas_rss_matches_smaps "$(echo "$vmx_rss" | md5sum)" "$(echo "$smaps_rss" | md5sum)"
[ "$vmx_rss" = "$smaps_rss" ] || { echo "vmx: $vmx_rss"; echo "smaps: $smaps_rss"; } |
	head -n 80 >/dev/kmsg
expect_match vmas_rss_not_empty "$vmx_rss" " [1-9][0-9]{5,}$"
expect_match vmas_lists_heap_and_stack "$(vmxctl vmas "$pid")" '\[stack\]'
run vmxctl vmas "$pid" -v
expect_eq vmas_verbose_exit_0 "$RC" 0

# stats: PUD + PMD + PTE tables are VmPTE, less the PTE table the kernel
# deposits beside each anonymous PMD leaf (THP or huge zero page).
J=$(vmxctl -j stats "$pid")
deposits=$(vmxctl dump "$pid" leaves | grep ' PMD ' | grep -E ' (anon|hzero)' | grep -vc htlb)
expect_eq stats_tables_match_vmpte \
	"$(($(json_field vmx_bytes "$J") + deposits * 4096))" "$(json_field status_bytes "$J")"
run vmxctl stats "$pid"
expect_match stats_text_split_line "$OUT" 'if every huge leaf were 4K pages'
