# Helpers for the end-to-end checks, sourced by each tests/e2e/*.sh in the
# VM. Results go through /dev/kmsg, so they sit in the console log in order
# with whatever the kernel printed meanwhile; the host counts them.
. /files/expect.env

report() {
	echo "VMX-E2E $*" >/dev/kmsg
}

pass() {
	report "ok $1"
}

fail() {
	report "not ok $1: $2"
	E2E_FAILED=$((${E2E_FAILED:-0} + 1))
}

skip() {
	report "skip $1: $2"
}

# Whole seconds since boot, for the VMX-TIME lines.
uptime_s() {
	read -r up _ </proc/uptime
	echo "${up%.*}"
}

# lap NAME: the seconds since the previous lap (or the part's start) as a
# VMX-TIME line of their own, where one part's time needs splitting.
lap() {
	local now
	now=$(uptime_s)
	echo "VMX-TIME ${vmx_part:-?}:$1 $((now - ${lap_t:-${t_start:-$now}}))" >/dev/kmsg
	lap_t=$now
}

# expect_eq NAME GOT WANT
expect_eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got '$2', want '$3'"; fi
}

# expect_match NAME TEXT PATTERN: PATTERN is a grep -E expression.
expect_match() {
	if printf '%s\n' "$2" | grep -qE -- "$3"; then
		pass "$1"
	else
		fail "$1" "'$(printf '%s' "$2" | head -c 300)' does not match '$3'"
	fi
}

# A scalar field of vmxctl's one-line JSON.
json_field() {
	printf '%s\n' "$2" | sed -n "s/.*\"$1\":\(\"[^\"]*\"\|[^,}]*\).*/\1/p" | tr -d '"'
}

# run CMD...: sets OUT (stdout), ERR (stderr) and RC.
run() {
	"$@" >/tmp/e2e.out 2>/tmp/e2e.err
	RC=$?
	OUT=$(cat /tmp/e2e.out)
	ERR=$(cat /tmp/e2e.err)
	[ "$1" != vmxctl ] || note_width "$@"
}

# Every line vmxctl prints on stdout for a person fits 80 columns (-v and JSON
# excepted): each vmxctl run through run() that is over is noted here, and
# 95-widths.sh fails on the notes.
WIDTHS=/tmp/e2e.widths
note_width() {
	local a w
	for a in "$@"; do
		case $a in -j | -p | --json | --pretty | -v | verbose) return 0 ;; esac
	done
	w=$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' /tmp/e2e.out)
	[ "$w" -le 80 ] || echo "$w columns: $*" >>"$WIDTHS"
}

# Targets driven line by line over a FIFO. target_start DIR PROG [ARGS...]
# runs PROG reading DIR/t.in, which fd 9 writes, and writing DIR/t.out; a
# command sent with tell() gets one line back. target_end sends "quit",
# closes the FIFO and waits for the target (T_PID) alone. The helpers of
# one test: vm-suite.sh sources every test into one shell.
target_start() {
	local d=$1
	shift
	T_OUT=$d/t.out
	mkfifo "$d/t.in"
	"$@" <"$d/t.in" >"$T_OUT" 2>&1 &
	T_PID=$!
	exec 9>"$d/t.in"
}

# wait_lines N [TENTHS]: until the target has printed N lines (10 s at
# most, or TENTHS tenths of a second).
wait_lines() {
	local i=0
	while [ "$(wc -l <"$T_OUT")" -lt "$1" ] && [ $i -lt "${2:-100}" ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

# wait_for LINE: until the target has printed exactly LINE (10 s at most).
wait_for() {
	local i=0
	while ! grep -qx -- "$1" "$T_OUT" && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

# tell COMMAND [TENTHS]: the target's reply line, in REPLY.
tell() {
	local n
	n=$(wc -l <"$T_OUT")
	echo "$1" >&9
	wait_lines $((n + 1)) "${2:-100}"
	REPLY=$(sed -n "$((n + 1))p" "$T_OUT")
}

target_end() {
	echo quit >&9
	exec 9>&-
	wait "$T_PID"
}

# Swap on zram, for swapped-out entries: built into the kunit kernels; the
# stock ones load their own zram.ko (and its dependencies) from /files/modules.
setup_swap() {
	grep -q '^/dev/zram0' /proc/swaps && return 0
	if [ ! -e /sys/block/zram0 ]; then
		for m in /files/modules/*.ko; do
			[ -e "$m" ] && insmod "$m"
		done
	fi
	[ -e /sys/block/zram0 ] || return 1
	echo 64M >/sys/block/zram0/disksize &&
		mkswap /dev/zram0 >/dev/null && swapon /dev/zram0
}
