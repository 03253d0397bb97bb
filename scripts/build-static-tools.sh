#!/bin/bash
# Static builds of what runs inside the VM: vmxctl, vmxtest, vmx-exit.
# Prints the directory that holds them.
set -eu
. "$(dirname "$0")/common.sh"

out=$VMX_BUILD/static
mkdir -p "$out"
make -s -C "$VMX_TOP/tools/vmxctl" O="$out" STATIC=1 >&2
cflags=(-std=c11 -Wall -Wextra -Werror -O2 -static -pthread -I"$VMX_TOP/include")
# Each program: its main source, then the other sources it links.
build() {
	local bin=$out/$1 src
	shift
	for src in "$@" include/uapi/vmx.h lib/vmx.h lib/internal.h lib/ptedit_header.h; do
		if [ ! -e "$bin" ] || [ "$VMX_TOP/$src" -nt "$bin" ]; then
			(cd "$VMX_TOP" && gcc "${cflags[@]}" -o "$bin" "$@") >&2
			return
		fi
	done
}
build vmxtest tests/e2e/vmxtest.c tests/e2e/pagemap_compare.c tests/e2e/ptdump_compare.c tests/e2e/maps_compare.c tests/e2e/abi1_compare.c tests/e2e/compact_compare.c \
	tests/e2e/mtree_compare.c tests/e2e/selfmap.c
# libvmx's own check links the library from its sources (-Ilib).
cflags+=(-I"$VMX_TOP/lib")
libvmx=(lib/handle.c lib/proc.c lib/inspect.c lib/dump.c lib/vmas.c lib/edit.c lib/remap.c)
build libvmx_check tests/e2e/libvmx_check.c "${libvmx[@]}"
build ptedit_check tests/e2e/ptedit_check.c lib/ptedit.c "${libvmx[@]}"
build watchbench tests/bench/watchbench.c "${libvmx[@]}"
build maptarget tests/e2e/maptarget.c
build racetarget tests/e2e/racetarget.c
build adversary tests/e2e/adversary.c tests/e2e/procinfo.c
build vmxfuzz tests/fuzz/vmxfuzz.c tests/e2e/procinfo.c
build remaptarget tests/e2e/remaptarget.c
build watchtarget tests/e2e/watchtarget.c
build snaptarget tests/e2e/snaptarget.c
build whytarget tests/e2e/whytarget.c
build peerbench tests/bench/peerbench.c
build inspectbench tests/bench/inspectbench.c
build remapbench tests/bench/remapbench.c
build vmx-exit initramfs/vmx-exit.c
echo "$out"
