#!/bin/bash
# Fetch (or find in the cache) one of Debian 12's stock kernels and print its
# directory: vmlinuz, the unpacked image (its own modules, e.g. zram.ko) and a
# kdir/ to build vmx.ko against. Packages are unpacked, never installed.
#   debian-6.1   the kernel of linux-image-amd64 (Debian 12's default)
#   debian-6.12  the kernel of linux-image-6.12-amd64
set -eu
. "$(dirname "$0")/common.sh"

name=${1:?usage: stock-kernel.sh debian-6.1|debian-6.12}
case $name in
debian-6.1) meta=linux-image-amd64 ;;
debian-6.12) meta=linux-image-6.12-amd64 ;;
*) die "unknown stock kernel '$name'" ;;
esac

depends() {
	apt-cache depends "$1" | awk '$1 == "Depends:" {print $2}'
}

image=$(depends "$meta" | grep -E '^linux-image-' | head -n 1)
if [ -z "$image" ]; then
	# A fresh machine may have no package lists yet.
	apt-get update -qq >&2 || true
	image=$(depends "$meta" | grep -E '^linux-image-' | head -n 1)
fi
[ -n "$image" ] || die "cannot resolve $meta: is Debian 12's archive reachable?"
release=${image#linux-image-}
dir=$VMX_CACHE/stock/$name-$release
if [ -e "$dir/.vmx-ready" ]; then
	echo "$dir"
	exit 0
fi

# Two runs at once (make test beside make bench) fetch it once: the second
# waits for the lock, then finds it ready.
fetch() {
	[ -e "$dir/.vmx-ready" ] && return
	headers=linux-headers-$release
	pkgs=("$image" "$headers")
	for p in $(depends "$headers"); do
		case $p in linux-headers-*|linux-kbuild-*) pkgs+=("$p") ;; esac
	done

	log "fetching $name ($release): ${pkgs[*]}"
	rm -rf "$dir" && mkdir -p "$dir/debs"
	(cd "$dir/debs" && apt-get -qq -o APT::Sandbox::User=root download "${pkgs[@]}" >&2)
	for deb in "$dir"/debs/*.deb; do
		dpkg-deb -x "$deb" "$dir/root"
	done
	rm -rf "$dir/debs"

	# Debian's per-flavour Makefile includes the common one by absolute path.
	kdir=$dir/root/usr/src/$headers
	sed -i "s|/usr/src/|$dir/root/usr/src/|g" "$kdir/Makefile"
	ln -s "$kdir" "$dir/kdir"
	ln -s "root/boot/vmlinuz-$release" "$dir/vmlinuz"
	echo "$release" >"$dir/release"
	touch "$dir/.vmx-ready"
}
mkdir -p "$VMX_CACHE/stock"
with_lock "stock-$name" fetch
echo "$dir"
