#!/bin/bash
# Static builds of what runs inside the VM: vmxctl, vmxtest, vmx-exit.
# Prints the directory that holds them.
set -eu
. "$(dirname "$0")/common.sh"

out=$VMX_BUILD/static
mkdir -p "$out"
make -s -C "$VMX_TOP/tools/vmxctl" O="$out" STATIC=1 >&2
cflags=(-std=c11 -Wall -Wextra -Werror -O2 -static -I"$VMX_TOP/include")
for t in tests/e2e/vmxtest.c initramfs/vmx-exit.c; do
	bin=$out/$(basename "$t" .c)
	if [ ! -e "$bin" ] || [ "$VMX_TOP/$t" -nt "$bin" ] ||
		[ "$VMX_TOP/include/uapi/vmx.h" -nt "$bin" ]; then
		gcc "${cflags[@]}" -o "$bin" "$VMX_TOP/$t" >&2
	fi
done
echo "$out"
