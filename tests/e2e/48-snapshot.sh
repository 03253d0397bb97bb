# vmxctl snapshot and diff on snaptarget: each step of the process's life
# must show exactly its own changes, nothing more. BUF is 64 written pages:
# mprotect of 8 (RW cleared, the VMA split in 3), MADV_DONTNEED of 8
# (unmapped), MADV_PAGEOUT of 8 (leaf to swap), then fork (every present
# writable page write-protected, swap entries lose their exclusive mark)
# and a write by the parent (copy on write: one page, another frame). THP
# is 512 written 4K pages collapsed into one 2M leaf: its PTE table freed.
. /files/e2e/lib.sh

S=/tmp/snap
rm -rf "$S" && mkdir -p "$S"

# counts FILE: the summary's figures of a diff's JSON, in a fixed order.
counts() {
	j=$(sed -n 's/.*"summary":{\([^}]*\)}.*/\1/p' "$1")
	for k in vmas_added vmas_removed vmas_changed tables_added tables_freed mapped unmapped \
		frame_changed flags_changed kind_changed value_changed; do
		printf '%s=%s ' "$k" "$(json_field "$k" "$j")"
	done
}

# step NAME COMMAND WANT: snapshot, COMMAND, diff against the live process.
step() {
	vmxctl snapshot "$tpid" range "$R0" "$R1" -o "$S/$1.snap" 2>"$S/$1.err"
	expect_eq "snapshot_$1_taken" "$? $(head -c 200 "$S/$1.err")" \
		"0 vmxctl: snapshot of pid $tpid (snaptarget): $(sed -n 's/.*(snaptarget): //p' "$S/$1.err")"
	tell "$2"
	expect_match "snapshot_$1_command" "$REPLY" '^(ok|child [0-9]+)$'
	vmxctl -j diff "$S/$1.snap" "$tpid" >"$S/$1.json" 2>"$S/$1.derr"
	expect_eq "diff_$1" "$(counts "$S/$1.json")" "$3"
}

setup_swap || skip snapshot_swap "no zram swap here"
target_start "$S" snaptarget
wait_lines 1
set -- $(head -n 1 "$S/t.out")
tpid=$2 buf=$(($3)) thp=$(($4))
R0=$buf R1=$((buf + 64 * 4096))

none="vmas_added=0 vmas_removed=0 vmas_changed=0 tables_added=0 tables_freed=0"
step mprotect "mprotect 8 8" \
	"vmas_added=3 vmas_removed=1 vmas_changed=0 tables_added=0 tables_freed=0 mapped=0 unmapped=0 frame_changed=0 flags_changed=8 kind_changed=0 value_changed=0 "
expect_match diff_mprotect_clears_rw "$(cat "$S/mprotect.json")" '"change":"flags",[^}]*"set":\[\],"cleared":\["RW"(,"D")?\]'
step dontneed "dontneed 16 8" \
	"$none mapped=0 unmapped=8 frame_changed=0 flags_changed=0 kind_changed=0 value_changed=0 "
if grep -q '^/dev/zram0' /proc/swaps; then
	step pageout "pageout 24 8" \
		"$none mapped=0 unmapped=0 frame_changed=0 flags_changed=0 kind_changed=8 value_changed=0 "
	expect_match diff_pageout_to_swap "$(cat "$S/pageout.json")" '"kind_a":"leaf","kind_b":"swap"'
	# What fork must count next: the pages that really went (all 8 above).
	swapped=$(sed -n 's/.*"kind_changed":\([0-9]*\).*/\1/p' "$S/pageout.json")
else
	swapped=0
fi
# THP collapse: 512 4K leaves go, one 2M leaf comes, the PTE table is freed.
R0=$thp R1=$((thp + 2097152))
vmxctl snapshot "$tpid" range "$R0" "$R1" -o "$S/collapse.snap" 2>/dev/null
tell collapse
if [ "$REPLY" = ok ]; then
	vmxctl -j diff "$S/collapse.snap" "$tpid" >"$S/collapse.json"
	expect_eq diff_collapse "$(counts "$S/collapse.json")" \
		"vmas_added=0 vmas_removed=0 vmas_changed=1 tables_added=0 tables_freed=1 mapped=1 unmapped=512 frame_changed=0 flags_changed=0 kind_changed=0 value_changed=0 "
	expect_eq diff_collapse_mapped_2m "$(json_field mapped_bytes "$(cat "$S/collapse.json")")" 2097152
else
	skip diff_collapse "MADV_COLLAPSE: $REPLY"
fi

R0=$buf R1=$((buf + 64 * 4096))
# fork: 64 - 8 unmapped - swapped present pages, 8 of them read-only already.
step fork fork \
	"$none mapped=0 unmapped=0 frame_changed=0 flags_changed=$((64 - 8 - swapped - 8)) kind_changed=0 value_changed=$swapped "
step cow "write 0" \
	"$none mapped=0 unmapped=0 frame_changed=1 flags_changed=0 kind_changed=0 value_changed=0 "
expect_match diff_cow_sets_rw "$(cat "$S/cow.json")" '"change":"frame",[^}]*"set":\[[^]]*"RW"'

# Text, two files, a running snapshot, errors.
run vmxctl diff "$S/mprotect.snap" "$S/dontneed.snap"
expect_match diff_text_files "$RC $OUT" '^0 # A: /tmp/snap/mprotect.snap'
expect_match diff_text_run "$OUT" ' flags +PTE +[0-9a-f]+-[0-9a-f]+ +8 -RW'
run vmxctl snapshot "$tpid" --running -o "$S/running.snap"
expect_match snapshot_running_marked "$RC $ERR" '^0 .*taken running: not atomic'
run vmxctl -j diff "$S/running.snap" "$S/running.snap"
expect_match diff_running_marked "$OUT" '"a":\{[^}]*"frozen":false'
expect_match diff_same_file_no_change "$OUT" '"mapped":0,"mapped_bytes":0,"unmapped":0'
run vmxctl diff "$S/mprotect.snap" /proc/self/status
expect_match diff_not_a_snapshot "$RC $ERR" '^1 .*/proc/self/status: not a vmx snapshot'
head -c 100 "$S/mprotect.snap" >"$S/cut.snap"
run vmxctl diff "$S/cut.snap" "$tpid"
expect_match diff_truncated "$RC $ERR" '^1 .*cut.snap: (truncated|not a vmx snapshot)'
run vmxctl snapshot 999999 -o "$S/gone.snap"
expect_match snapshot_no_such_pid "$RC $ERR" '^1 .*ESRCH'
# The picture of a real process (dump --html/--svg): every entry the dump
# has, and a row of the SVG per table the page counts.
vmxctl dump "$tpid" stop --html "$S/p.html" --svg "$S/p.svg" >"$S/p.txt" 2>&1
n=$(vmxctl --ndjson dump "$tpid" stop raw | grep -c '"level":')
expect_eq picture_html_entries "$(grep -o '<body data-entries="[0-9]*"' "$S/p.html")" \
	"<body data-entries=\"$n\""
expect_eq picture_svg_tables "$(grep -o 'data-tables="[0-9]*"' "$S/p.svg")" \
	"$(grep -o 'data-tables="[0-9]*"' "$S/p.html")"
expect_eq picture_html_self_contained "$(grep -c 'src=\|href=' "$S/p.html")" 0
# The target is running again after each frozen snapshot.
expect_eq snapshot_target_resumed "$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' /proc/"$tpid"/status)" S
target_end
