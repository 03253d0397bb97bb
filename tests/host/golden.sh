#!/bin/bash
# vmxctl's text and JSON outputs, byte for byte, against committed golden
# files: the host's safety net for changes to how vmxctl prints (the e2e
# tests and docs/json-schema.md depend on every byte). vmxctl runs against
# tests/host/fakedev.so, which plays vmx.ko with fixed data, so this needs
# no VM, module or root. A case's file holds its stdout, stderr and exit
# status.
# Usage: golden.sh VMXCTL [--update]; VMXCTL must be linked dynamically
# (LD_PRELOAD). Prints a diff per failed case, then "golden: N cases, N
# failed"; --update rewrites the files from this vmxctl instead.
set -u
vmxctl=${1:?usage: golden.sh VMXCTL [--update]}
update=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
dir=$here/golden
shim=$(dirname "$vmxctl")/fakedev.so
# Private: two runs at once must not read each other's output.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# -U_FORTIFY_SOURCE: the shim defines open(), which fortify would inline.
cc -std=gnu11 -U_FORTIFY_SOURCE -O2 -Wall -Wextra -Werror -fPIC -shared \
	-I"$top/include" -o "$shim" "$here/fakedev.c" -ldl || exit 1
export LD_PRELOAD=$shim VMXCTL_DEVICE=/nonexistent/fakevmx LC_ALL=C
if ! "$vmxctl" version | grep -q '6.12.0-fake'; then
	echo "golden: fakedev.so did not take: is $vmxctl linked statically?" >&2
	exit 1
fi

# What the window helper reads on stdin (every case gets it; others ignore it).
window_input='info
read 0
read 0 8
write 0 hello world
read 0 32
read 1
read 9
bogus
quit'

# NAME [VAR=VALUE...] ARGS...: VAR=VALUE words set fakedev.c's knobs.
cases=$(cat <<'EOF'
help help
help-j -j help
help-dump help dump
help-edit-j -j help edit
help-tlb-p -p help tlb
legend dump --legend
legend-j -j dump --legend
version version
version-j -j version
version-absent VMX_FAKE_ABSENT=1 version
version-absent-j VMX_FAKE_ABSENT=1 -j version
info-absent-j VMX_FAKE_ABSENT=1 -j info
info info
info-j -j info
info-p -p info
info-5 VMX_FAKE_LEVELS=5 info
info-5-j VMX_FAKE_LEVELS=5 -j info
info-hidden VMX_FAKE_HIDDEN=1 info
info-hidden-j VMX_FAKE_HIDDEN=1 -j info
dump dump 4242
dump-v dump 4242 -v
dump-j -j dump 4242
dump-p-leaves-merge -p dump 4242 leaves merge
dump-ndjson --ndjson dump 4242 leaves
dump-sliced VMX_FAKE_DUMP_SLICE=3 dump 4242 -v
dump-ndjson-sliced VMX_FAKE_DUMP_SLICE=2 --ndjson dump 4242 leaves
dump-ndjson-exited VMX_FAKE_DUMP_ESRCH=1 --ndjson dump 4242
ndjson-pretty --ndjson -p dump 4242
dump-prefixes dump 4242 lea mer raw ver
dump-range-unaligned dump 4242 range 0x7ffd4e60c001 0x7ffd4e60e801 leaves
dump-range-decimal dump 4242 ran 140725918367744 140725919416320 -v
dump-ambiguous dump 4242 r 0x1000
dump-dashes dump 4242 --
resolve-prefix-kernel resolve k 0xffff888001234567 --exp -v
dump-leaves-merge-raw dump 4242 leaves merge raw -v
dump-raw-j -j dump 4242 raw
dump-range-v dump 4242 range 0x7ffd4e600000 0x7ffd4e700000 -v
dump-5-v VMX_FAKE_LEVELS=5 dump 4242 -v
dump-5-j VMX_FAKE_LEVELS=5 -j dump 4242
dump-stop dump 4242 stop
dump-stop-j -j dump 4242 stop leaves
dump-exited VMX_FAKE_DUMP_ESRCH=1 dump 4242
dump-exited-j VMX_FAKE_DUMP_ESRCH=1 -j dump 4242
dump-exited-stop VMX_FAKE_DUMP_ESRCH=1 dump 4242 stop
dump-nopid-j -j dump
dump-gone dump 777
resolve-thp resolve 4242 0x55d0c0c01234
resolve-thp-e resolve 4242 0x55d0c0c01234 --explain
resolve-thp-v resolve 4242 0x55d0c0c01234 -v
resolve-thp-j -j resolve 4242 0x55d0c0c01234
resolve-thp-ej -p resolve 4242 0x55d0c0c01234 --explain
resolve-pte-ev resolve 4242 0x7ffd4e60d008 --explain -v
resolve-zero resolve 4242 0x55d0c0e01000
resolve-pkey-j -j resolve 4242 0x7ffd4e611000
resolve-hugetlb-e resolve 4242 0x7f3a40001000 --explain
resolve-hugetlb-j -j resolve 4242 0x7f3a40001000
resolve-swap-e resolve 4242 0x55d0c0e02000 --explain
resolve-swap-j -j resolve 4242 0x55d0c0e02000
resolve-marker-e resolve 4242 0x55d0c0e03000 --explain
resolve-protnone-e resolve 4242 0x7ffd4e60f000 --explain
resolve-protnone-j -j resolve 4242 0x7ffd4e60f000
resolve-migration-e resolve 4242 0x7ffd4e610000 --explain
resolve-invma-e resolve 4242 0x55d0c0a02000 --explain
resolve-invma-j -j resolve 4242 0x55d0c0a02000
resolve-novma-e resolve 4242 0x1000 --explain
resolve-novma-j -j resolve 4242 0x1000 --explain
resolve-kernel-ev resolve kernel 0xffff888001234567 --explain -v
resolve-kernel-j -j resolve kernel 0xffff888001234567 --explain
resolve-5-ev VMX_FAKE_LEVELS=5 resolve 4242 0x7ffd4e60c123 --explain -v
resolve-5-j VMX_FAKE_LEVELS=5 -j resolve 4242 0x7ffd4e60c123
resolve-5-kernel VMX_FAKE_LEVELS=5 resolve kernel 0xff11000040201000 -v
resolve-noncanon resolve 4242 0x800000000000
resolve-noncanon-j -j resolve 4242 0x800000000000
peek peek 4242 0x7ffd4e60c010
peek-len peek 4242 0x7ffd4e60cf00 100
peek-past peek 4242 0x7ffd4e60cff0 100
peek-j -j peek 4242 0x7ffd4e60c010 40
peek-hidden VMX_FAKE_HIDDEN=1 peek 4242 0x55d0c0c00000 20
peek-swap peek 4242 0x55d0c0e02000
peek-swap-j -j peek 4242 0x55d0c0e02000
peek-5 VMX_FAKE_LEVELS=5 peek 4242 0x7f3a40000000 16
phys-anon phys 0x1b7c01123
phys-anon-j -j phys 0x1b7c01123
phys-notram phys 0x9f800
phys-notram-j -j phys 0x9f800
phys-free phys 0x8001000
phys-free-j -j phys 0x8001000
phys-table phys 0x109003000
phys-hugetlb phys 0x140001000
phys-thp-j -j phys 0x13e400000
phys-reserved phys 0x500
phys-other phys 0x200000000
phys-range phys 0x300000000
phys-range-j -j phys 0x300000000
phys-hidden VMX_FAKE_HIDDEN=1 phys 0x1b7c01000
vmas vmas 4242
vmas-v vmas 4242 -v
vmas-j -j vmas 4242
vmas-raw-p -p vmas 4242 raw
vmas-stop vmas 4242 stop
vmas-5-v VMX_FAKE_LEVELS=5 vmas 4242 -v
vmas-5-j VMX_FAKE_LEVELS=5 -j vmas 4242 stop
vmas-tree vmas 4242 --tree
vmas-tree-v vmas 4242 --tree -v
vmas-tree-j -j vmas 4242 --tree
vmas-tree-p -p vmas 4242 --tree stop
vmas-gone vmas 777
stats stats 4242
stats-j -j stats 4242
stats-p-stop -p stats 4242 stop
stats-5 VMX_FAKE_LEVELS=5 stats 4242
stats-5-j VMX_FAKE_LEVELS=5 -j stats 4242
watch-help help watch
watch-no-pid watch
watch-interval-0 watch 4242 --interval 0
watch-count-0 watch 4242 count 0
watch-range-reversed watch 4242 range 0x2000 0x1000
watch-no-such-pid-j -j watch 4242 --count 1
snapshot-help help snapshot
snapshot-no-pid snapshot
snapshot-range-reversed snapshot 4242 range 0x2000 0x1000
diff-help help diff
diff-one-side diff 4242
diff-not-a-file diff /etc/hostname /etc/hostname
diff-missing-j -j diff /nonexistent/a.snap 4242
why-help help why
why-no-access why 4242 0x1000
why-two-accesses why 4242 0x1000 read write
why-user-and-kernel why 4242 0x1000 read --user --kernel
why-no-vma-j -j why 4242 0x1000 read
map map 4242 0x7ffd4e60c000 4343 0x7f5500000000 2
map-ro map 4242 0x7ffd4e60c000 4343 0x7f5500000000 ro
map-j -j map 4242 0x7ffd4e60c000 4343 0x7f5500000000 2 ro
grant-short grant 4242 0x55d0c0c00000 4343 0x7f5500000000 8
grant-short-j -j grant 4242 0x55d0c0c00000 4343 0x7f5500000000 8
retarget retarget 4242 0x7ffd4e60d000 4343 0x7f5500001000
revoke revoke 4343 0x7f5500000000 4
revoke-one revoke 4343 0x7f5500000000
revoke-j -j revoke 4343 0x7f5500000000 4
protect-ro protect 4343 0x7f5500000000 4 ro
protect-rw-one protect 4343 0x7f5500000000 rw
protect-j -j protect 4343 0x7f5500000000 2 ro
map-nopid map 777 0x7ffd4e60c000 4343 0x7f5500000000
map-nowindow VMX_FAKE_ERRNO=2 map 4242 0x7ffd4e60c000 4343 0x7f5500000000
map-busy-j VMX_FAKE_ERRNO=16 -j map 4242 0x7ffd4e60c000 4343 0x7f5500000000
abi1-module-dump VMX_FAKE_ABI=1 dump 4242
abi1-module-info VMX_FAKE_ABI=1 info
map-mapped VMX_FAKE_ERRNO=17 map 4242 0x7ffd4e60c000 4343 0x7f5500000000 2
map-nowindow-j VMX_FAKE_ERRNO=2 -j map 4242 0x7ffd4e60c000 4343 0x7f5500000000
edit-clear edit 4242 0x7ffd4e60c123 clear accessed
edit-clear-j -j edit 4242 0x7ffd4e60c123 clear accessed,sd
edit-set-dry edit 4242 0x7ffd4e60c000 set nx clear write --dry-run
edit-set-dry-j -j edit 4242 0x7ffd4e60c000 set nx --dry-run
edit-noflush edit 4242 0x7ffd4e60d000 clear dirty --no-flush
edit-set edit 4242 0x55d0c0a00000 set write,a
edit-same edit 4242 0x7ffd4e60c000 set accessed
edit-expect edit 4242 0x7ffd4e60c000 clear a expect 0x1234
edit-expect-j -j edit 4242 0x7ffd4e60c000 clear a expect 0x1234
edit-expect-ok -j edit 4242 0x7ffd4e60c000 clear a expect 0x80000001c0a10867
edit-huge edit 4242 0x55d0c0c00000 clear a
edit-swap-j -j edit 4242 0x55d0c0e02000 clear a
edit-write-level edit 4242 0x55d0c0a00000 set write
edit-write-dry edit 4242 0x55d0c0a00000 set write --dry-run
edit-write-file VMX_FAKE_ALLOW_EDITS=2 edit 4242 0x55d0c0a00000 set write
edit-write-zero VMX_FAKE_ALLOW_EDITS=2 edit 4242 0x55d0c0e01000 set w
edit-write-readonly VMX_FAKE_ALLOW_EDITS=2 edit 4242 0x7ffd4e7fc000 set w
tlb tlb flush
tlb-j -j tlb flush 4242
tlb-gone tlb flush 777
tlb-gone-j -j tlb flush 777
window window open 4
window-j -j window open 2
window-p -p window open 2
usage-j -j frobnicate
EOF
)

failed=0 n=0
mkdir -p "$dir"
while read -r name words; do
	[ -n "$name" ] || continue
	n=$((n + 1))
	envs=() args=()
	for w in $words; do
		if [ ${#args[@]} = 0 ] && [[ $w == VMX_FAKE_*=* ]]; then
			envs+=("$w")
		else
			args+=("$w")
		fi
	done
	# A vmxctl that loops must fail its case (exit 124), not hang make test.
	out=$(timeout 20 env "${envs[@]}" "$vmxctl" "${args[@]}" <<<"$window_input" 2>"$tmp/err"
	      echo "--- exit $?")
	got=$(printf '$ %svmxctl %s\n%s\n--- stderr\n%s' "${envs[*]:+${envs[*]} }" "${args[*]}" \
		"$out" "$(cat "$tmp/err")")
	if [ "$update" = --update ]; then
		printf '%s\n' "$got" >"$dir/$name.out"
	elif ! diff -u "$dir/$name.out" <(printf '%s\n' "$got") >"$tmp/diff"; then
		echo "not ok $name"
		head -n 40 "$tmp/diff"
		failed=$((failed + 1))
	fi
done <<<"$cases"
# A dump handed out a few records a call (the cursor loop, dumploop.c) must
# print what one call gives, byte for byte.
for pair in "dump-sliced dump-v" "dump-ndjson-sliced dump-ndjson"; do
	set -- $pair
	n=$((n + 1))
	if ! diff <(tail -n +2 "$dir/$1.out") <(tail -n +2 "$dir/$2.out") >"$tmp/diff"; then
		echo "not ok $1 prints what $2 does"
		head -n 20 "$tmp/diff"
		failed=$((failed + 1))
	fi
done
# Progress: on stderr when it is a terminal and stdout is not, then erased.
# script(1) gives vmxctl a terminal; VMXCTL_PROGRESS_MS=0 shows every slice.
n=$((n + 1))
if ! command -v script >/dev/null; then
	echo "not ok dump-progress: no script(1) (bsdutils) to give vmxctl a terminal"
	failed=$((failed + 1))
else
	VMX_FAKE_DUMP_SLICE=2 VMXCTL_PROGRESS_MS=0 timeout 20 script -qec \
		"$vmxctl dump 4242 leaves >$tmp/progress.out" /dev/null >"$tmp/tty" 2>&1
	want=$(printf '\rvmxctl: dump: 2 records, at 0x55d0c0c00000 (67%% of the range)\033[K')
	if ! grep -qF "$want" "$tmp/tty" || [ "$(tail -c 4 "$tmp/tty" | od -An -c | tr -d ' ')" != '\r033[K' ] ||
		[ "$(grep -c . "$tmp/progress.out")" != "$(VMX_FAKE_DUMP_SLICE=2 "$vmxctl" dump 4242 leaves | grep -c .)" ]; then
		echo "not ok dump-progress"
		od -c "$tmp/tty" | head -n 12
		failed=$((failed + 1))
	fi
fi
echo "golden: $n cases, $failed failed"
[ "$failed" = 0 ]
