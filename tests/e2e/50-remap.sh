# Remaps: windows, map, grant, revoke, retarget and protect, with what the
# two processes themselves read and write as the oracle (remaptarget.c and
# `vmxctl window open`); then the lifecycles, each of which must bring the
# pinned-page count and the frames' reference counts back to where they
# were, with no splat (the console scan) and, on the kunit kernels, no leak
# (kmemleak).

R=/tmp/remap
rm -rf "$R" && mkdir -p "$R"
PG=4096

# peer_wait NAME N: until NAME's output has N lines (10 s at most).
peer_wait() {
	i=0
	while [ "$(wc -l <"$R/$1.out")" -lt "$2" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

# peer_start NAME FD CMD...: CMD in the background, reading commands from a
# FIFO held open on FD; waits for its first line.
peer_start() {
	name=$1 fd=$2
	shift 2
	rm -f "$R/$name.in" && mkfifo "$R/$name.in"
	: >"$R/$name.out"
	"$@" <"$R/$name.in" >"$R/$name.out" 2>&1 &
	eval "PID_$name=$!"
	eval "exec $fd>\"$R/$name.in\""
	peer_wait "$name" 1
}

# ask NAME FD COMMAND: one reply line, in REPLY.
ask() {
	n=$(wc -l <"$R/$1.out")
	echo "$3" >&"$2"
	peer_wait "$1" $((n + 1))
	REPLY=$(sed -n "$((n + 1))p" "$R/$1.out")
}

# peer_stop NAME FD: quit, close the FIFO, reap.
peer_stop() {
	echo quit >&"$2"
	eval "exec $2>&-"
	eval "wait \$PID_$1"
}

stat_of() {
	sed -n "s/^$1 //p" /sys/kernel/debug/vmx/stats
}

# The reference count of the frame behind ADDR in PID.
refcount_at() {
	pa=$(json_field pa "$(vmxctl -j resolve "$1" "$2")")
	json_field refcount "$(vmxctl -j phys "$pa")"
}

# window_of NAME: the address a `vmxctl window open` printed.
window_of() {
	sed -n 's/^window pid [0-9]* start_time [0-9]* addr \(0x[0-9a-f]*\) .*/\1/p' "$R/$1.out"
}

hex() {
	printf '0x%x' "$1"
}

pinned0=$(stat_of pinned_pages)
windows0=$(stat_of windows)

peer_start src 5 remaptarget
set -- $(head -n 1 "$R/src.out")
spid=$2 shared=$3 private=$4
peer_start win 6 vmxctl window open 4
wpid=$PID_win waddr=$(window_of win)
ref0=$(refcount_at "$spid" "$shared")
expect_match remap_setup "$spid $shared $wpid $waddr $ref0" \
	'^[0-9]+ 0x[0-9a-f]+ [0-9]+ 0x[0-9a-f]+ [0-9]+$'

# map: both sides see each other's writes.
ask win 6 "read 0"
expect_match window_empty_sigbus "$REPLY" 'SIGBUS'
run vmxctl map "$spid" "$shared" "$wpid" "$waddr" 4
expect_eq map_exit_0 "$RC" 0
expect_eq map_pins_4 "$(stat_of pinned_pages)" $((pinned0 + 4))
ask win 6 "read 3"
expect_match map_window_reads_source "$REPLY" '\|shared-3'
ask win 6 "write 1 from-window"
ask src 5 "read shared 1"
expect_eq map_source_reads_window_write "$REPLY" "text 'from-window'"
ask src 5 "write shared 2 from-source"
ask win 6 "read 2"
expect_match map_window_reads_source_write "$REPLY" '\|from-source'
expect_match map_audit_line "$(dmesg | grep 'vmx: map by pid' | tail -n 1)" \
	"pid $spid $shared -> pid $wpid window $waddr, 4 pages, frame 0x0 -> 0x[0-9a-f]+"

# retarget: window page 0 now shows the source's page 3.
run vmxctl retarget "$spid" "$(hex $((shared + 3 * PG)))" "$wpid" "$waddr" 1
ask win 6 "read 0"
expect_match retarget_window_shows_other_frame "$RC $REPLY" '^0 .*\|shared-3'
expect_eq retarget_pins_unchanged "$(stat_of pinned_pages)" $((pinned0 + 4))

# protect: a write to a read-only window page is SIGBUS, reads go on.
run vmxctl protect "$wpid" "$waddr" 4 ro
ask win 6 "write 1 denied"
expect_match protect_ro_write_sigbus "$RC $REPLY" '^0 .*SIGBUS'
ask win 6 "read 1"
expect_match protect_ro_read_ok "$REPLY" '\|from-window'
run vmxctl protect "$wpid" "$waddr" 4 rw
ask win 6 "write 1 allowed"
expect_match protect_rw_write_ok "$RC $REPLY" '^0 .*wrote'

# revoke: SIGBUS again, every pin dropped, the frame's count as before.
run vmxctl revoke "$wpid" "$waddr" 4
ask win 6 "read 1"
expect_match revoke_then_sigbus "$RC $REPLY" '^0 .*SIGBUS'
expect_eq revoke_unpins "$(stat_of pinned_pages)" "$pinned0"
expect_eq revoke_refcount_restored "$(refcount_at "$spid" "$shared")" "$ref0"

# grant: the source's private pages move; it then reads zeros there.
run vmxctl grant "$spid" "$private" "$wpid" "$waddr" 2
expect_eq grant_exit_0 "$RC" 0
ask src 5 "read private 1"
expect_eq grant_source_reads_zeros "$REPLY" "text ''"
ask src 5 "read private 2"
expect_eq grant_source_keeps_the_rest "$REPLY" "text 'private-2'"
ask win 6 "read 1"
expect_match grant_window_has_the_data "$REPLY" '\|private-1'

# Refusals: each a clean errno.
run vmxctl map "$spid" "$(hex $((private + 2 * PG)))" "$wpid" "$(hex $((waddr + 2 * PG)))"
expect_match map_private_refused "$RC $ERR" '^1 .*EINVAL'
run vmxctl grant "$spid" "$shared" "$wpid" "$(hex $((waddr + 2 * PG)))"
expect_match grant_shared_refused "$RC $ERR" '^1 .*EINVAL'
run vmxctl map "$spid" "$shared" "$wpid" "$waddr"
expect_match map_over_mapped_eexist "$RC $ERR" "^1 vmxctl: the window in pid $wpid already has a page mapped at $waddr: .*EEXIST"
run vmxctl revoke "$wpid" "$(hex $((waddr + 3 * PG)))"
expect_match revoke_empty_enoent "$RC $ERR" '^1 vmxctl: no page mapped in the window at .*ENOENT'
run vmxctl map "$spid" "$shared" "$spid" "$private"
expect_match map_to_non_window_enoent "$RC $ERR" "^1 vmxctl: no vmx window at $private in pid $spid: .*ENOENT"
run vmxctl map "$spid" "$shared" "$wpid" "$(hex $((waddr + 3 * PG)))" 2
expect_match map_past_window_end_enoent "$RC $ERR" "^1 vmxctl: past the window's end: the window at $waddr holds 4 pages, 1 from $(hex $((waddr + 3 * PG))): .*ENOENT"

# The window's owner exits while it holds granted pages.
peer_stop win 6
expect_eq owner_exit_unpins "$(stat_of pinned_pages)" "$pinned0"
expect_eq owner_exit_frees_window "$(stat_of windows)" "$windows0"

# The source exits first: the window keeps the frame until revoked.
peer_start win 6 vmxctl window open 1
run vmxctl map "$spid" "$shared" "$PID_win" "$(window_of win)"
peer_stop src 5
ask win 6 "read 0"
expect_match source_exit_window_keeps_frame "$REPLY" '\|shared-0'
peer_stop win 6
expect_eq source_exit_then_owner_unpins "$(stat_of pinned_pages)" "$pinned0"

# One frame in three windows: a write through one is seen in the others.
peer_start src 5 remaptarget
set -- $(head -n 1 "$R/src.out")
spid=$2 shared=$3
ref0=$(refcount_at "$spid" "$shared")
for w in 1 2 3; do
	peer_start "w$w" $((6 + w)) vmxctl window open 1
	eval "vmxctl map \"$spid\" \"$shared\" \"\$PID_w$w\" \"\$(window_of w$w)\""
done
ask w1 7 "write 0 one-frame"
ask w3 9 "read 0"
expect_match three_windows_share_a_frame "$(stat_of pinned_pages) $REPLY" \
	"^$((pinned0 + 3)) .*\|one-frame"
for w in 1 2 3; do
	peer_stop "w$w" $((6 + w))
done
expect_eq three_windows_unpin "$(stat_of pinned_pages)" "$pinned0"
expect_eq three_windows_refcount_restored "$(refcount_at "$spid" "$shared")" "$ref0"

# A window is whole and not inherited: split, move, grow, MADV_DOFORK and
# a private mapping are refused; a child does not have it.
ask src 5 "window 2"
wself=$(echo "$REPLY" | sed -n 's/^window //p')
run vmxctl map "$spid" "$shared" "$spid" "$wself"
for t in split move grow dofork private; do
	ask src 5 "$t"
	expect_match "window_${t}_refused" "$REPLY" '^refused E'
done
ask src 5 fork
expect_eq window_not_inherited "$REPLY" "child SIGSEGV"
ask src 5 "read window 0"
expect_eq window_intact_after_fork "$REPLY" "text 'one-frame'"

# The module stays while a window or an open /dev/vmx exists.
rmmod vmx 2>/dev/null
expect_eq rmmod_refused_with_window "$?" 1
peer_stop src 5
exec 5</dev/vmx
rmmod vmx 2>/dev/null
expect_eq rmmod_refused_with_open_file "$?" 1
exec 5<&-
expect_eq all_windows_gone "$(stat_of windows) $(stat_of pinned_pages)" \
	"$windows0 $pinned0"

# insmod, map, exit with the window mapped, rmmod: 20 times in the 4-level
# VMs of the kunit kernels (kmemleak looks at them at the end of that
# suite), 10 elsewhere.
rounds=10
[ "${KERNEL#kunit-}" != "$KERNEL" ] && [ "$PAGING" = 4 ] && rounds=20
ok=0
i=0
t0=$(cut -d' ' -f1 /proc/uptime)
while [ $i -lt $rounds ]; do
	i=$((i + 1))
	rmmod vmx || break
	insmod /vmx/vmx.ko || break
	vmxtest selfmap || break
	ok=$((ok + 1))
done
[ -e /dev/vmx ] || insmod /vmx/vmx.ko
echo "vmx-e2e: $ok insmod/map/exit/rmmod rounds in $(awk -v a="$t0" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { printf "%.1f", b - a }') s" >/dev/kmsg
expect_eq insmod_map_exit_rmmod_rounds "$ok" "$rounds"
# kmemleak: one scan at the end of the suite (70-fuzz.sh) covers these
# rounds too; a scan costs about 30 s under KASAN and TCG.
