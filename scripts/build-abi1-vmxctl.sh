#!/bin/bash
# A real ABI 1 vmxctl: the last vmxctl before ABI 2 (the parent of 8bd9056),
# taken from this clone's history and built static, cached outside the
# clone. The upgrade test runs it against the newest module: the module must
# serve a binary nobody rebuilt (the request-size mechanism, ioctl/abi1.c).
# Prints the binary's path; fails when the history is not in this clone.
set -eu
. "$(dirname "$0")/common.sh"

commit=b9db600b1bd40124fef0e8770636dc3262811f01
out=$VMX_CACHE/abi1-vmxctl-${commit:0:12}
build() {
	[ -x "$out/vmxctl" ] && return
	git -C "$VMX_TOP" cat-file -e "$commit^{commit}" 2>/dev/null ||
		die "ABI 1 vmxctl: commit ${commit:0:12} is not in this clone (a shallow clone?); 'git fetch --unshallow' brings it"
	tmp=$(mktemp -d "$VMX_CACHE/abi1.XXXXXX")
	trap 'rm -rf "${tmp:-}"' EXIT
	git -C "$VMX_TOP" archive "$commit" tools/vmxctl include | tar -x -C "$tmp"
	grep -q '^#define VMX_ABI_VERSION[[:space:]]*1$' "$tmp/include/uapi/vmx.h" ||
		die "ABI 1 vmxctl: ${commit:0:12}'s uapi/vmx.h is not ABI 1"
	make -s -C "$tmp/tools/vmxctl" O="$tmp" STATIC=1 >&2
	mkdir -p "$out" && mv "$tmp/vmxctl" "$out/vmxctl" && rm -rf "$tmp"
}
mkdir -p "$VMX_CACHE"
with_lock abi1-vmxctl build
echo "$out/vmxctl"
