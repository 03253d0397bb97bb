#!/bin/bash
# Build vmx.ko (and vmx_kunit.ko where the kernel has KUnit) for one kernel
# of the matrix, in a copy of the sources under build/<kernel>/mod so that
# kernels never share objects. W=1; any compiler or modpost warning fails.
# With --sparse, sparse runs too (C=2) and any finding in our files fails.
# usage: build-for-kernel.sh KERNEL [--sparse]
set -eu
. "$(dirname "$0")/common.sh"

name=$1
sparse=${2:-}
kernel_paths "$name"
mod=$VMX_BUILD/$name/mod
mkdir -p "$mod"
rsync -a --include='*/' --include='*.[ch]' --include=Kbuild \
	--include='scripts/*.sh' --exclude='*' \
	--exclude=build/ --exclude=.git/ --exclude=tools/ --exclude=tests/ \
	"$VMX_TOP/" "$mod/"

args=(-C "$KDIR" M="$mod" W=1)
[ "$sparse" = --sparse ] && args+=(C=2 CHECK=sparse)
log=$VMX_BUILD/$name/build.log
if ! make "${args[@]}" modules >"$log" 2>&1; then
	cat "$log" >&2
	die "module build for $name failed"
fi
# Findings in kernel headers are the kernel's business; ours are not. Paths
# are absolute (under $mod) or, on newer Kbuild, relative to it.
ours='(vmx_mod\.c|ioctl/[^:]*|walker/[^:]*|kunit/[^:]*|include/vmx_[^:]*|include/uapi/vmx\.h)'
if grep -E "^($mod/)?$ours:[0-9]+(:[0-9]+)?: (warning|error)|^WARNING: modpost" "$log" >&2; then
	die "warnings building for $name (log: $log)"
fi
echo "$mod"
