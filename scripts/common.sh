# Shared settings for the project's shell scripts (sourced, not run).
# Everything downloaded or built lives in VMX_CACHE, outside the clone, so
# that a fresh clone on the same machine reuses kernels and packages.
VMX_CACHE=${VMX_CACHE:-/var/cache/vmx}
VMX_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VMX_JOBS=${VMX_JOBS:-$(nproc)}
export VMX_CACHE VMX_TOP VMX_JOBS

die() { echo "vmx: $*" >&2; exit 1; }
log() { echo "vmx: $*" >&2; }

# Serialise work on one cache entry between concurrent invocations.
with_lock() {
	local name=$1; shift
	mkdir -p "$VMX_CACHE/locks"
	(flock 9 && "$@") 9>"$VMX_CACHE/locks/$name"
}

VMX_BUILD=${VMX_BUILD:-$VMX_TOP/build}
VMX_KERNELS="kunit-6.12 kunit-latest debian-6.1 debian-6.12"
export VMX_BUILD

# Set KIMAGE (bootable kernel) and KDIR (tree to build modules against).
kernel_paths() {
	local dir
	case $1 in
	kunit-*)
		dir=$(bash "$VMX_TOP/scripts/kunit-kernel.sh" "$1") || return 1
		KIMAGE=$dir/arch/x86/boot/bzImage
		KDIR=$dir
		;;
	debian-*)
		dir=$(bash "$VMX_TOP/scripts/stock-kernel.sh" "$1") || return 1
		KIMAGE=$dir/vmlinuz
		KDIR=$dir/kdir
		;;
	*)
		echo "vmx: unknown kernel '$1' (one of: $VMX_KERNELS)" >&2
		return 1
		;;
	esac
}
