#!/bin/bash
# make bench: two VM boots of one kernel (CPU with ERMS, then without), the
# peers in each, then the table and the plot from what they printed, in
# build/bench (table.md, ns-per-page.svg, and each VM's console log).
set -eu
. "$(dirname "$0")/common.sh"

kernel=${KERNEL:-debian-6.12} paging=${PAGING:-5}
out=$VMX_BUILD/bench
mkdir -p "$out"
pt=$(bash "$VMX_TOP/scripts/build-page-types.sh")
# The floor module, built for the bench kernel outside the clone.
kernel_paths "$kernel"
floor=$VMX_BUILD/$kernel/floor
rm -rf "$floor" && mkdir -p "$floor"
cp "$VMX_TOP"/tests/bench/floor/* "$floor/"
make -s -C "$KDIR" M="$floor" W=1 modules >&2 || die "vmx_floor.ko did not build"
# vmxctl's formatting on the host, without the emulator (tests/bench/format.sh).
host=$VMX_BUILD/bench-host
mkdir -p "$host"
make -s -C "$VMX_TOP/tools/vmxctl" O="$host" >&2
cc -std=gnu11 -U_FORTIFY_SOURCE -O2 -Wall -Wextra -Werror -fPIC -shared \
	-I"$VMX_TOP/include" -o "$host/fakedev.so" "$VMX_TOP/tests/host/fakedev.c" -ldl
static=$(bash "$VMX_TOP/scripts/build-static-tools.sh")
bash "$VMX_TOP/tests/bench/format.sh" "$host/vmxctl" "$host/fakedev.so" "$pt" \
	"$static/vmxtest" | tee "$out/host.log"
# What libvmx adds to a call, against the same fake module.
make -s -C "$VMX_TOP/lib" O="$host" "$host/libvmx.a" >&2
cc -std=c11 -O2 -Wall -Wextra -Werror -I"$VMX_TOP/lib" -I"$VMX_TOP/include" \
	-o "$host/libvmx_overhead" "$VMX_TOP/tests/bench/libvmx_overhead.c" "$host/libvmx.a"
LD_PRELOAD=$host/fakedev.so VMXCTL_DEVICE=/nonexistent/fakevmx VMX_DEVICE=/nonexistent/fakevmx \
	"$host/libvmx_overhead" | tee "$out/libvmx.log"
for cpu in erms noerms; do
	if [ $cpu = erms ]; then script=run.sh flags=; else script=erms-off.sh flags=-erms; fi
	log "bench: $kernel, $paging-level paging, CPU $cpu"
	bash "$VMX_TOP/initramfs/vm.sh" run --kernel "$kernel" --paging "$paging" \
		${flags:+--cpu-flags "$flags"} --script "$VMX_TOP/tests/bench/$script" \
		--files "$VMX_TOP/tests/bench $pt $floor/vmx_floor.ko" --append "quiet ${APPEND:-}" \
		--log "$out/$cpu.log" --timeout 3600
done
bash "$VMX_TOP/tests/bench/report.sh" "$out" "$kernel $paging-level, QEMU TCG, $(date -u +%F)"
