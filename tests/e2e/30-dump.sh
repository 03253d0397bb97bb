# vmxctl dump against the kernel's own accounts of the same process:
# /proc/pid/pagemap for every page, VmPTE for the tables, /proc/pid/maps for
# the VMAs; and every kind of bad input.
. /files/e2e/lib.sh

mkdir -p /tmp/mt && mount -t tmpfs tmpfs /tmp/mt
run setup_swap
expect_eq dump_swap_on_zram "$RC" 0
maptarget /tmp/mt &
mtpid=$!
# Its set-up (a 1G hugetlb page, swap-out, uffd) took 8 s of a 10 s limit
# on a stock kernel, and once more than 10: a minute, then it is killed,
# so that no later wait waits for it.
i=0
while [ ! -s /tmp/mt/ready ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
pid=$(cat /tmp/mt/ready 2>/dev/null)
if [ -z "$pid" ]; then
	fail dump_target_started "maptarget did not start in 60 s"
	kill -KILL "$mtpid" 2>/dev/null
	wait "$mtpid" 2>/dev/null
	umount /tmp/mt
	return 0 2>/dev/null || exit 0
fi
# Each special kind the target set up (hugetlb pages reserved on the
# command line, swap, uffd-wp) must be there on every kernel we test. The 1G
# page only in the 5-level VMs (scripts/test.sh: 13-19 s to clear one).
gig_why="no 1G page reserved in the 4-level VMs (the 5-level VM of this kernel has one)"
for k in hugetlb-2M hugetlb-1G swap uffd-wp; do
	if [ "$k" = hugetlb-1G ] && [ "$PAGING" = 4 ]; then
		skip "dump_target_has_$k" "$gig_why"
		continue
	fi
	expect_match "dump_target_has_$k" "$(grep "^$k " /tmp/mt/kinds)" "^$k ok"
done

# Soft-dirty as the kernel tracks it: cleared for the whole process, then
# set again by the target's own writes to 4 pages.
echo 4 >/proc/"$pid"/clear_refs
kill -USR1 "$pid"
i=0
while [ ! -e /tmp/mt/wrote ] && [ $i -lt 150 ]; do
	sleep 0.2
	i=$((i + 1))
done
expect_eq dump_target_wrote_after_clear_refs "$([ -e /tmp/mt/wrote ] && echo yes)" yes

# The kernel's own ptdump of the target, as the target itself reads it.
# Without PTI (the 5-level VMs) that file holds the kernel half too, KASAN's
# shadow included: 20 s under TCG, so of the 5-level VMs only the newest
# kernel's reads it.
ptdump=/sys/kernel/debug/page_tables/current_user
if [ "$PTI" = off ] && [ "$KERNEL" = kunit-6.12 ]; then
	ptdump=
fi
if [ -r "$ptdump" ]; then
	kill -USR2 "$pid"
	i=0
	while [ ! -e /tmp/mt/ptdump ] && [ $i -lt 150 ]; do
		sleep 0.2
		i=$((i + 1))
	done
fi

# Stopped, and khugepaged kept away, so that both views see the same state.
echo never >/sys/kernel/mm/transparent_hugepage/khugepaged/defrag 2>/dev/null
kill -STOP "$pid"

if [ -z "$ptdump" ]; then
	skip dump_matches_kernel_ptdump "without PTI this takes 20 s: kunit-latest's 5-level VM reads it"
elif [ -r "$ptdump" ]; then
	run vmxtest ptdump "$pid" /tmp/mt/ptdump
	expect_eq dump_matches_kernel_ptdump "$RC" 0
	echo "$OUT" | tail -n 21 >/dev/kmsg
elif [ "${KERNEL#kunit-}" != "$KERNEL" ]; then
	fail dump_matches_kernel_ptdump "no $ptdump in a kunit kernel"
else
	skip dump_matches_kernel_ptdump "this kernel has no PTDUMP_DEBUGFS"
fi

lap setup-ptdump
run vmxtest pagemap "$pid"
expect_eq dump_matches_pagemap_and_vmpte "$RC" 0
[ "$RC" = 0 ] || echo "$OUT" | head -n 25 >/dev/kmsg
echo "vmxtest pagemap: $OUT" | tail -n 1 >/dev/kmsg
expect_match dump_saw_present_pages "$OUT" 'present=[1-9][0-9]{2,}'
expect_match dump_saw_swap_entries "$OUT" 'swapped=[1-9]'
expect_match dump_saw_uffd_wp_markers "$OUT" 'markers=[1-9]'
expect_match dump_saw_uffd_wp_bits "$OUT" 'uffd_wp=[1-9]'
expect_match dump_saw_soft_dirty "$OUT" 'soft_dirty=([4-9]|[1-9][0-9]+) soft_clean=[1-9]'
expect_match dump_saw_hugetlb_2m "$OUT" 'hugetlb_2m=[1-9][0-9]{2,}'
if [ "$PAGING" = 4 ]; then
	skip dump_saw_hugetlb_1g "$gig_why"
else
	expect_match dump_saw_hugetlb_1g "$OUT" 'hugetlb_1g=[1-9][0-9]{5,}'
fi

lap pagemap
run vmxctl dump "$pid"
expect_eq dump_text_exit_0 "$RC" 0
expect_match dump_text_header "$OUT" "^# pid $pid \(maptarget\)"
expect_match dump_text_has_root "$OUT" '^PGD [0-9a-f]{16} +(256T|512G) table'
expect_match dump_text_has_leaf "$OUT" ' (PMD|PTE) [0-9a-f]{16} +(2M|4K) [0-9a-f]{10} P '
expect_match dump_text_zero_page "$OUT" ' sp zero'
expect_match dump_text_protnone "$OUT" ' PROTNONE'
width=$(printf '%s\n' "$OUT" | grep -v '^#' | awk '{ if (length($0) > m) m = length($0) } END { print m }')
expect_eq dump_text_fits_80_columns "$([ "$width" -le 80 ] && echo yes || echo "no: $width")" yes
# A line names each VMA before its first leaf: range, permissions and name
# as /proc/pid/maps has them (a name cut to fit 80 columns starts "...").
printf '%s\n' "$OUT" | grep '^# vma ' >/tmp/mt/vmalines
# One awk over both files: a grep a line costs a fork each under TCG.
set -- $(awk '
	function hex(x) { sub(/^0+/, "", x); return x }
	function rest(from,   i, r) { r = ""; for (i = from; i <= NF; i++) r = r (i > from ? " " : "") $i; return r }
	NR == FNR { split($1, r, "-"); m[hex(r[1]) "-" hex(r[2]) " " $2] = rest(6); next }
	{
		n++; split($3, r, "-"); k = hex(r[1]) "-" hex(r[2]) " " $4; name = rest(5)
		if (!(k in m) || (name != "" && substr(name, 1, 3) != "..." && m[k] != name)) {
			bad++; print "dump vma line not in maps: " $0 > "/dev/kmsg"
		}
	}
	END { print n + 0, bad + 0 }' /proc/"$pid"/maps /tmp/mt/vmalines)
n=$1 bad=$2
expect_eq dump_vma_lines_match_maps "$([ "$n" -ge 5 ] && echo "$bad" || echo "only $n lines")" 0
expect_match dump_vma_line_names_the_stack "$(cat /tmp/mt/vmalines)" ' rw-p \[stack\]$'
width=$(awk '{ if (length($0) > m) m = length($0) } END { print m }' /tmp/mt/vmalines)
expect_eq dump_vma_lines_fit_80_columns "$([ "$width" -le 80 ] && echo yes || echo "no: $width")" yes

# Every VMA start vmx reports is a VMA start in /proc/pid/maps.
vmx_vmas=$(vmxctl -j dump "$pid" leaves | tr '{' '\n' | sed -n 's/.*"vma_start":"0x\([0-9a-f]*\)".*/\1/p' | sort -u)
bad=0
for v in $vmx_vmas; do
	grep -q "^0*$v-" /proc/"$pid"/maps || bad=$((bad + 1))
done
expect_eq dump_vmas_match_maps "$bad" 0

run vmxctl -j dump "$pid" leaves
expect_match dump_json_shape "$OUT" '^\{"schema_version":3,"release":"[^"]+","levels":[45],"pti":(true|false),"pid":'"$pid"',.*"entries":\[\{"level":"(PTE|PMD)"'
expect_match dump_json_closed "$OUT" '\]\}$'
# The root table the dump walked is the one RESOLVE starts from.
R=$(vmxctl -j resolve "$pid" "$(sed -n "s/^addr anon //p" /tmp/mt/kinds)")
expect_eq dump_root_is_resolves "$(json_field root_pa "$OUT") $(json_field root_pa_user "$OUT")" \
	"$(json_field root_pa "$R") $(json_field root_pa_user "$R")"
# A leaf's effective protections, from the table entries above it in the
# stream, are what RESOLVE finds for it level by level.
a=$(sed -n "s/^addr anon //p" /tmp/mt/kinds)
D=$(vmxctl -j dump "$pid" range "$a" "$(printf '0x%x' $((a + 4096)))")
expect_eq dump_effective_is_resolves "$(printf '%s' "$D" | grep -o '"effective":\[[^]]*\]' | tail -n 1)" \
	"$(printf '%s' "$R" | grep -o '"effective":\[[^]]*\]' | tail -n 1)"
# --ndjson: the header, a line per record (as many as the text view has,
# the target being stopped), and the end line that counts them.
vmxctl --ndjson dump "$pid" leaves >/tmp/mt/nd
lines=$(wc -l </tmp/mt/nd)
text=$(vmxctl dump "$pid" leaves | grep -vc '^#')
expect_match dump_ndjson_header "$(head -n 1 /tmp/mt/nd)" '^\{"schema_version":3,"release":.*"stopped":false,"root_pa":"0x[0-9a-f]+","root_pa_user":"0x[0-9a-f]+"\}$'
expect_eq dump_ndjson_end_line "$(tail -n 1 /tmp/mt/nd)" '{"schema_version":3,"end":true,"records":'"$text"'}'
expect_eq dump_ndjson_a_record_a_line "$((lines - 2)) $(sed '1d;$d' /tmp/mt/nd | grep -vc '^{"level":".*}$')" "$text 0"

lap dumps
# merge: fewer records, same pages.
all=$(vmxctl dump "$pid" leaves | grep -vc '^#')
merged=$(vmxctl dump "$pid" leaves merge | grep -vc '^#')
expect_eq dump_merge_is_smaller "$([ "$merged" -lt "$all" ] && echo yes || echo "no: $merged vs $all")" yes
# The target's 8 read-only pages of the zero page: one merged record.
expect_match dump_merge_zero_page_run "$(vmxctl dump "$pid" leaves merge | grep ' zero$')" \
	'PTE [0-9a-f]{16}   4K\*8 [0-9a-f]{10} P US .*sp zero'
# Its 8 zero pages made PROT_NONE: one merged PROT_NONE record.
expect_match dump_merge_protnone_run "$(vmxctl dump "$pid" leaves merge | grep 'PROTNONE.* zero$')" \
	'PTE [0-9a-f]{16}   4K\*8 [0-9a-f]{10} .*PROTNONE.* zero$'

run vmxctl dump "$pid" stop
expect_match dump_stop_header "$OUT" 'target stopped'

lap merge-stop
. /files/e2e/inspect-checks.sh
lap inspect

# Bad input: each a clear message and errno, never a splat.
kill -CONT "$pid"
kill "$pid"
wait "$pid" 2>/dev/null
run vmxctl dump "$pid"
expect_eq dump_gone_pid_exit_1 "$RC" 1
expect_match dump_gone_pid_esrch "$ERR" '\(ESRCH\)'
run vmxctl dump 2
expect_match dump_kernel_thread_enxio "$ERR" 'no user address space.*\(ENXIO\)'
run vmxctl dump 1 range 0x2000 0x1000
expect_eq dump_empty_range_exit_2 "$RC" 2
run vmxctl dump 1 range 0 0xffff888000000000
expect_match dump_kernel_range_refused "$ERR" 'beyond the user half.*\(EINVAL\)'
run vmxctl dump notapid
expect_eq dump_bad_pid_exit_2 "$RC" 2
run vmxctl dump 1 bogus
expect_eq dump_bad_argument_exit_2 "$RC" 2
umount /tmp/mt
