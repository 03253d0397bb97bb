#!/bin/bash
# Boot the vmx test VM: the chosen kernel, an initramfs with busybox, vmx.ko
# (loaded by /init), vmxctl and the test helpers, under QEMU (TCG).
#   vm.sh run   --kernel K --paging 4|5 --script FILE [--files "F..."]
#               [--append "ARGS"] [--log FILE] [--timeout SECS] [--quiet]
#               [--cpu-flags "+F,-F..."]
#   vm.sh shell --kernel K --paging 4|5 [--files "F..."] [--append "ARGS"]
# run exits with the script's exit status; 124 on timeout; 125 when the VM
# died before the script finished (panic, triple fault). The console log is
# kept (default build/logs/<kernel>-<paging>.log).
set -eu
. "$(dirname "$0")/../scripts/common.sh"

mode=${1:?usage: vm.sh run|shell [options]}
shift
kernel=debian-6.12 paging=5 script= files= append= logf= timeout=600 quiet=
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift ;;
	--paging) paging=$2; shift ;;
	--script) script=$2; shift ;;
	--files) files=$2; shift ;;
	--append) append=$2; shift ;;
	--log) logf=$2; shift ;;
	--timeout) timeout=$2; shift ;;
	--quiet) quiet=1 ;;
	--cpu-flags) cpu_flags=$2; shift ;;
	*) die "vm.sh: unknown option $1" ;;
	esac
	shift
done
case $paging in
5) cpu=max ;;
4) cpu=max,-la57 ;;
*) die "PAGING must be 4 or 5, not '$paging'" ;;
esac
[ -z "${cpu_flags:-}" ] || cpu="$cpu,$cpu_flags"
[ "$mode" = shell ] || [ -f "$script" ] || die "no such script: '$script'"

# What takes time before the boot, said as it happens (the first time a
# kernel is fetched or built takes minutes), unless --quiet.
say() { [ -n "$quiet" ] || log "$@"; }
say "$kernel: kernel (fetched or built once, then cached in $VMX_CACHE)"
kernel_paths "$kernel"
say "$kernel: building vmx.ko"
mod=$(bash "$VMX_TOP/scripts/build-for-kernel.sh" "$kernel")
say "building vmxctl and the test tools (static, for the VM)"
static=$(bash "$VMX_TOP/scripts/build-static-tools.sh")
for f in $files; do
	[ -e "$f" ] || die "no such file to copy in: '$f'"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/vmx-vm.XXXXXX")
trap 'rm -rf "$work"' EXIT
bash "$VMX_TOP/initramfs/mkimage.sh" "$work/initramfs.cpio.gz" "$mod" "$static" \
	"$script" $files
[ "$mode" = shell ] || say "booting $kernel, $paging-level paging, under QEMU (TCG: no KVM; about a minute)"

mkdir -p "$VMX_BUILD/logs"
[ -n "$logf" ] || logf=$VMX_BUILD/logs/$kernel-$paging.log
qemu=(qemu-system-x86_64 -nographic -no-reboot -m 6G -smp 2 -cpu "$cpu"
	-kernel "$KIMAGE" -initrd "$work/initramfs.cpio.gz"
	-device isa-debug-exit,iobase=0xf4,iosize=0x04)
# printk.devkmsg=on: test results travel through /dev/kmsg, unthrottled.
cmdline="console=ttyS0 panic=-1 loglevel=7 printk.devkmsg=on vmx.mode=$mode $append"

if [ "$mode" = shell ]; then
	log "booting $kernel ($paging-level paging); console also in $logf"
	"${qemu[@]}" -append "$cmdline" | tee "$logf"
	exit 0
fi

set +e
if [ -n "$quiet" ]; then
	timeout -k 10 "$timeout" "${qemu[@]}" -append "$cmdline" \
		</dev/null >"$logf" 2>&1
	rc=$?
else
	timeout -k 10 "$timeout" "${qemu[@]}" -append "$cmdline" \
		</dev/null 2>&1 | tee "$logf"
	rc=${PIPESTATUS[0]}
fi
set -e
tr -d '\r' <"$logf" >"$logf.tmp" && mv "$logf.tmp" "$logf"

if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
	log "VM timed out after ${timeout}s (log: $logf)"
	exit 124
fi
status=$(sed -n 's/^VMX-EXIT: \([0-9]*\)$/\1/p' "$logf" | tail -n 1)
if [ -z "$status" ] || [ $((rc & 1)) -ne 1 ]; then
	log "VM stopped before the script finished, QEMU status $rc (log: $logf)"
	exit 125
fi
exit "$status"
