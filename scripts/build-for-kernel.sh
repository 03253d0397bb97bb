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
# rsync takes the first rule that matches: the exclusions go first.
rsync -a --exclude=/build/ --exclude=.git/ --exclude=/tools/ --exclude=/tests/ \
	--include='*/' --include='*.[ch]' --include=Kbuild \
	--include='scripts/*.sh' --exclude='*' \
	"$VMX_TOP/" "$mod/"

args=(-C "$KDIR" M="$mod" W=1 -j"$VMX_JOBS")
[ "$sparse" = --sparse ] && args+=(C=2 CHECK="$(bash "$VMX_TOP/scripts/sparse.sh")")
log=$VMX_BUILD/$name/build.log
if ! make "${args[@]}" modules >"$log" 2>&1; then
	cat "$log" >&2
	die "module build for $name failed"
fi
if grep -E "specified, but .* is not available or not up to date" "$log" >&2; then
	die "sparse did not run for $name (log: $log)"
fi
# Findings in kernel headers are the kernel's business; ours are not. Paths
# are absolute (under $mod) or, on newer Kbuild, relative to it.
ours='(vmx_mod\.c|debugfs\.c|ioctl/[^:]*|walker/[^:]*|remap/[^:]*|arch/[^:]*|kunit/[^:]*|include/vmx_[^:]*|include/uapi/vmx\.h)'
if grep -E "^($mod/)?$ours:[0-9]+(:[0-9]+)?: (warning|error)|^WARNING: modpost" "$log" >&2; then
	die "warnings building for $name (log: $log)"
fi
echo "$mod"
