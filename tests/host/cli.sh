#!/bin/bash
# vmxctl's grammar and help on the host, with no vmx.ko (VMXCTL_DEVICE names
# a device that does not exist): what needs no kernel is checked here in
# seconds, and again in the VM by tests/e2e/20-errors.sh. The command table
# (`vmxctl -j help`) is held against its help texts and docs/vmxctl.md.
# Usage: cli.sh VMXCTL; prints one line per failed check, exits 1 if any.
set -u
vmxctl=${1:?usage: cli.sh VMXCTL}
top=$(cd "$(dirname "$0")/../.." && pwd)
export VMXCTL_DEVICE=/nonexistent/vmx
# Private: two runs at once must not read each other's stderr.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0 checks=0

check() {	# check NAME CONDITION-RESULT(0 ok) DETAIL
	checks=$((checks + 1))
	if [ "$2" != 0 ]; then
		echo "not ok $1: $3"
		failed=$((failed + 1))
	fi
}

# run ARGS...: sets RC, OUT, ERR.
run() {
	OUT=$("$vmxctl" "$@" 2>"$tmp/err")
	RC=$?
	ERR=$(cat "$tmp/err")
}

valid_json() {
	printf '%s' "$1" | python3 -c 'import json, sys; json.load(sys.stdin)' 2>/dev/null
}

width() {
	printf '%s\n' "$1" | awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }'
}

run -j help
check help_json_valid "$(valid_json "$OUT"; echo $?)" "$OUT"
table=$OUT
cmds=$(printf '%s' "$table" | python3 -c '
import json, sys
for c in json.load(sys.stdin)["commands"]:
    print(c["name"])')
check table_has_commands "$([ "$(echo "$cmds" | wc -l)" -ge 15 ]; echo $?)" "$cmds"

run help
check help_exit_0 "$RC" "exit $RC"
check help_fits_80_columns "$([ "$(width "$OUT")" -le 80 ]; echo $?)" "$(width "$OUT") columns"
for c in $cmds; do
	check "help_lists_$c" "$(printf '%s\n' "$OUT" | grep -q "^  $c "; echo $?)" "not in 'vmxctl help'"
done

docs=$top/docs/vmxctl.md
for c in $cmds; do
	run help "$c"
	h=$OUT
	check "help_${c}_exit_0" "$RC" "exit $RC: $ERR"
	check "help_${c}_fits_80_columns" "$([ "$(width "$h")" -le 80 ]; echo $?)" \
		"$(width "$h") columns"
	check "help_${c}_has_example" "$(printf '%s\n' "$h" | grep -q '^example: vmxctl '; echo $?)" "no example"
	[ "$c" = help ] && continue
	run "$c" --help
	check "${c}_--help_is_help_$c" "$([ "$RC $OUT" = "0 $h" ]; echo $?)" "exit $RC"
	run "$c" help
	check "${c}_help_is_help_$c" "$([ "$RC $OUT" = "0 $h" ]; echo $?)" "exit $RC"
	# Every command and each of its words is in the manual.
	check "docs_have_$c" "$(grep -qE "^###+ .*\b$c\b" "$docs"; echo $?)" "no heading in docs/vmxctl.md"
	words=$(printf '%s' "$table" | python3 -c '
import json, sys
for c in json.load(sys.stdin)["commands"]:
    if c["name"] == sys.argv[1]:
        for k in c["keywords"]:
            print(k["word"].split("|")[0])' "$c")
	for w in $words; do
		check "docs_${c}_word_$w" "$(grep -qF -- "\`$w" "$docs"; echo $?)" \
			"'$w' is not in docs/vmxctl.md"
	done
done

# dump --legend: every column, bit, kind and tag, from the tables dump
# prints with; each tag in docs/vmxctl.md, each JSON name in the schema.
run dump --legend
check legend_exit_0 "$RC" "exit $RC: $ERR"
check legend_fits_80_columns "$([ "$(width "$OUT")" -le 80 ]; echo $?)" "$(width "$OUT") columns"
run -j dump --legend
check legend_json_valid "$(valid_json "$OUT"; echo $?)" "$OUT"
legend=$OUT
# The schema's row for the field (| `kind` |, | `sw` |, ...) must list the
# name as a word of its own (zero is not huge-zero).
while read -r key name tag; do
	row=$(grep -m1 "^| \`$key\` | \(string\|array\) |" "$top/docs/json-schema.md")
	check "legend_${key}_${name}_in_schema" \
		"$(printf '%s\n' "$row" | grep -qE -- "[ :,]$name[ ,|(]"; echo $?)" \
		"'$name' is not in the $key row of docs/json-schema.md"
	[ "$tag" = - ] && continue
	check "legend_${key}_${tag}_in_docs" "$(grep -qF -- "\`$tag\`" "$docs"; echo $?)" \
		"tag '$tag' is not in docs/vmxctl.md"
done < <(printf '%s' "$legend" | python3 -c '
import json, sys
d = json.load(sys.stdin)
for k in d["kinds"]:
    print("kind", k["name"], "-")
for key in ("sw", "page", "marker"):
    for b in d[key]:
        print(key, b["name"], b["tag"])')

# The man pages build without a warning, and name every command, word,
# flag (vmxctl.8) and request (vmx.4).
mandir=$(mktemp -d)
for page in vmxctl.8 vmx.4 libvmx.3; do
	rst2man --strict "$top/docs/man/$page.rst" "$mandir/$page" >"$mandir/err" 2>&1
	check "man_${page}_builds" "$?" "$(head -n 3 "$mandir/err")"
done
rst=$top/docs/man/vmxctl.8.rst
for c in $cmds; do
	check "man_has_$c" "$(grep -qE "^\\*\\*.*\\b$c\\b" "$rst"; echo $?)" \
		"no entry for $c in docs/man/vmxctl.8.rst"
done
manwords=$(printf '%s' "$table" | python3 -c '
import json, sys
for c in json.load(sys.stdin)["commands"]:
    for k in c["keywords"]:
        if k["kind"] != "placeholder":
            for w in k["word"].split("|"):
                print(w)' | sort -u)
for w in $manwords; do
	check "man_has_word_$w" "$(grep -qF -- "**$w**" "$rst"; echo $?)" \
		"'$w' is not in docs/man/vmxctl.8.rst"
done
for r in $(sed -n 's/^#define \(VMX_IOC_[A-Z_]*\)[[:space:]]*_IO.*/\1/p' "$top/include/uapi/vmx.h"); do
	check "man_vmx4_has_$r" "$(grep -qF "**$r**" "$top/docs/man/vmx.4.rst"; echo $?)" \
		"$r is not in docs/man/vmx.4.rst"
done
rm -rf "$mandir"

# Completion knows every command, word and flag of the table, and works.
comp=$top/tools/vmxctl/vmxctl.bash
words=$(printf '%s' "$table" | python3 -c '
import json, sys
for c in json.load(sys.stdin)["commands"]:
    print(c["name"])
    for k in c["keywords"]:
        if k["kind"] in ("word", "flag"):
            for w in k["word"].split("|"):
                print(w)' | sort -u)
# Word lists only (compgen -W "..." and the commands and flags lists), not
# the comments.
complist=$(grep -v '^[[:space:]]*#' "$comp" | tr -s ' \t"()' '\n\n\n\n\n' | grep -v '^$')
for w in $words; do
	check "completion_knows_$w" "$(printf '%s\n' "$complist" | grep -qxF -- "$w"; echo $?)" \
		"'$w' is not in tools/vmxctl/vmxctl.bash"
done
# complete_words WORDS...: the candidates for the last word.
complete_words() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _vmxctl
		echo "${COMPREPLY[*]}"' _ "$comp" "$@"
}
while IFS='|' read -r name want line; do
	[ -n "$name" ] || continue
	# shellcheck disable=SC2086
	got=$(complete_words $line)
	check "completion_$name" "$([ "$got" = "$want" ]; echo $?)" "'$line': got '$got', want '$want'"
done <<'COMPLETIONS'
command|dump|vmxctl du
options|--json|vmxctl -j --j
dump_word|leaves|vmxctl dump 1 le
dump_prefix_command|merge|vmxctl du 1 me
resolve_kernel|kernel|vmxctl resolve ker
edit_words|--dry-run|vmxctl edit 1 0x1000 --d
edit_flag_list|accessed,write accessed,w|vmxctl edit 1 0x1000 set accessed,w
protect_mode|ro rw|vmxctl protect 1 0x1000 1 r
help_command|edit|vmxctl help ed
tlb_flush|flush|vmxctl tlb f
COMPLETIONS

# The flags help names are the flags edit takes (its parser is separate):
# each gets past parsing to the missing device (exit 1), never exit 2.
flags=$(printf '%s' "$table" | python3 -c '
import json, sys
for c in json.load(sys.stdin)["commands"]:
    for k in c["keywords"]:
        if k["kind"] == "flag":
            for w in k["word"].split("|"):
                print(w)')
for f in $flags; do
	run edit 1 0x1000 clear "$f" --dry-run
	check "edit_takes_flag_$f" "$([ "$RC" = 1 ]; echo $?)" "exit $RC: $ERR"
done

# Usage errors need no module: exit 2, one line naming the command's help,
# valid JSON under -j, and nothing from getopt.
while IFS='|' read -r name args; do
	[ -n "$name" ] || continue
	# shellcheck disable=SC2086
	run $args
	check "usage_${name}_exit_2" "$([ "$RC" = 2 ]; echo $?)" "vmxctl $args: exit $RC: $ERR"
	check "usage_${name}_one_line" "$([ "$(printf '%s\n' "$ERR" | wc -l)" = 1 ] &&
		printf '%s' "$ERR" | grep -q "^vmxctl: .*; see 'vmxctl help"; echo $?)" "vmxctl $args: $ERR"
	# shellcheck disable=SC2086
	run -j $args
	check "usage_${name}_json" "$([ "$RC" = 2 ] && valid_json "$OUT" &&
		printf '%s' "$OUT" | grep -q '"error":' && [ -z "$ERR" ]; echo $?)" "vmxctl -j $args: $OUT $ERR"
done <<'EOF'
dump_not_a_pid|dump abc
dump_range_short|dump 1 range 0x1000
dump_range_empty|dump 1 range 0x2000 0x1000
dump_bad_word|dump 1 bogus
resolve_no_addr|resolve 1
resolve_bad_option|resolve 1 0x1000 --bogus
peek_no_addr|peek 1
peek_bad_len|peek 1 0x1000 0
phys_none|phys
vmas_raw_tree|vmas 1 raw --tree
stats_none|stats
window_none|window
window_bad_pages|window open 0
map_short|map 1 0x1000
grant_unaligned|grant 1 0x1001 2 0x2000
protect_no_mode|protect 1 0x1000 1
edit_no_change|edit 1 0x1000
edit_bad_flag|edit 1 0x1000 set bogus
edit_both|edit 1 0x1000 set a clear a
tlb_bad|tlb purge
info_extra|info extra
version_extra|version extra
help_extra|help dump extra
unknown_command|frobnicate
unknown_option|--bogus
getopt_short|-x
dump_ambiguous_word|dump 1 r
dump_word_twice|dump 1 leaves leaves
dump_bad_number|dump 1 range 0x1000 0x2g
edit_set_twice|edit 1 0x1000 set a set d
edit_no_value|edit 1 0x1000 clear
protect_ro_rw|protect 1 0x1000 ro rw
resolve_extra|resolve 1 0x1000 0x2000
map_too_many|map 1 0x1000 2 0x2000 3 4
EOF

# The shared parser (args.c): unique prefixes of a command's words, the
# candidates of an ambiguous one, numbers in hex (0x) or decimal only.
run dump 1 r
check ambiguous_word_lists_candidates "$(printf '%s' "$ERR" | grep -q "dump: ambiguous word 'r': range, raw"; echo $?)" "$ERR"
run dump 1 range 0x10 017x
check decimal_or_hex_only "$(printf '%s' "$ERR" | grep -q "'017x' is not an address: give it in hex (0x...) or decimal"; echo $?)" "$ERR"

run re
check ambiguous_lists_candidates "$(printf '%s' "$ERR" | grep -q "ambiguous command 're': resolve, retarget, revoke"; echo $?)" "$ERR"
run help re
check help_ambiguous_lists_candidates "$(printf '%s' "$ERR" | grep -q "resolve, retarget, revoke"; echo $?)" "$ERR"
run
check no_command_exit_2 "$([ "$RC" = 2 ]; echo $?)" "exit $RC"

# Without the module: a runtime error with the hint (exit 1), not usage.
run info
check no_module_exit_1 "$([ "$RC" = 1 ]; echo $?)" "exit $RC"
check no_module_hint "$(printf '%s' "$ERR" | grep -q '(ENOENT); is vmx.ko loaded?'; echo $?)" "$ERR"

echo "cli: $checks checks, $failed failed"
[ "$failed" = 0 ]
