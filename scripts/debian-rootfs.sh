#!/bin/bash
# The second kind of test VM: a minimal Debian 12 root filesystem made with
# debootstrap, with Debian's stock 6.12 kernel installed (it boots from its
# own initrd), the headers of 6.12 and 6.1 for DKMS, and what installing
# vmx's packages needs (dkms, a compiler, python3, pkg-config): no network
# is needed in the VM. Built once and cached in $VMX_CACHE, keyed by this
# script. Prints the directory holding rootfs.img, vmlinuz and initrd.img.
set -eu
. "$(dirname "$0")/common.sh"

rel612=$(cat "$(bash "$VMX_TOP/scripts/stock-kernel.sh" debian-6.12)/release")
rel61=$(cat "$(bash "$VMX_TOP/scripts/stock-kernel.sh" debian-6.1)/release")
key=$( (cat "$0"; echo "$rel612 $rel61") | sha256sum | cut -c1-12)
dir=$VMX_CACHE/debian12-rootfs-$key
if [ -e "$dir/.vmx-ready" ]; then
	echo "$dir"
	exit 0
fi
bash "$VMX_TOP/scripts/deps.sh" debootstrap e2fsprogs >&2
mirror=http://deb.debian.org/debian
root=$dir/root

# Never a recursive rm through a mount: the chroot borrows the host's /dev
# and a /proc. Unmounted, checked, or nothing is removed.
unmount_all() {
	local m
	for m in "$root/dev" "$root/proc"; do
		if mountpoint -q "$m"; then
			umount "$m" || umount -l "$m" || return 1
		fi
	done
	! mountpoint -q "$root/dev" && ! mountpoint -q "$root/proc"
}

remove_root() {
	[ -d "$root" ] || return 0
	unmount_all || die "cannot unmount $root/dev or $root/proc: left in place"
	rm -rf --one-file-system "$root"
}

build() {
	# Another run finished it meanwhile (the lock serialises the two).
	[ -e "$dir/.vmx-ready" ] && return 0
	remove_root
	rm -rf --one-file-system "$dir" && mkdir -p "$dir" || die "cannot make $dir"
	trap 'unmount_all || true' EXIT
	log "debian rootfs: debootstrap bookworm (once, about 5 minutes)"
	debootstrap --variant=minbase bookworm "$root" "$mirror" >"$dir/debootstrap.log" 2>&1 ||
		{ tail -n 20 "$dir/debootstrap.log" >&2; die "debootstrap failed (see $dir/debootstrap.log)"; }
	cat >"$root/etc/apt/sources.list" <<SRC
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
SRC
	# The VM's disks: virtio, ext4; the initrd must carry both.
	mkdir -p "$root/etc/initramfs-tools"
	printf 'virtio_pci\nvirtio_blk\next4\n' >>"$root/etc/initramfs-tools/modules"
	# ccache: DKMS's compiles are cached on a disk of their own between
	# runs (scripts/debian-vm.sh); apt and DKMS are exercised all the same.
	log "debian rootfs: the kernel $rel612, headers of $rel612 and $rel61, dkms, gcc, ccache, python3"
	mount -t proc proc "$root/proc"
	mount --bind /dev "$root/dev"
	if ! chroot "$root" /usr/bin/env DEBIAN_FRONTEND=noninteractive sh -c \
		"apt-get update -qq && apt-get install -y -qq --no-install-recommends \
		linux-image-$rel612 linux-headers-$rel612 linux-headers-$rel61 dkms \
		build-essential python3 pkg-config kmod initramfs-tools ccache && apt-get clean" \
		>"$dir/install.log" 2>&1; then
		tail -n 20 "$dir/install.log" >&2
		unmount_all || true
		die "installing into the rootfs failed (see $dir/install.log)"
	fi
	unmount_all || die "cannot unmount $root/dev or $root/proc"
	# The VM runs what the test disk (/dev/vdb) brings: this launcher is
	# all the image itself knows of the test.
	cat >"$root/sbin/vmx-launch" <<'LAUNCH'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sys /sys 2>/dev/null
mount -t devtmpfs dev /dev 2>/dev/null
mount -o remount,rw /
mkdir -p /test
mount /dev/vdb /test && [ -x /test/run.sh ] && /test/run.sh
echo "VMX-DEB-EXIT: $?"
sync
echo o >/proc/sysrq-trigger
LAUNCH
	chmod 755 "$root/sbin/vmx-launch"
	# Called in an && list (with_lock), where set -e does not act: each
	# step says when it fails.
	cp "$root/boot/vmlinuz-$rel612" "$dir/vmlinuz" || die "no vmlinuz-$rel612"
	cp "$root/boot/initrd.img-$rel612" "$dir/initrd.img" || die "no initrd.img-$rel612"
	echo "$rel612 $rel61" >"$dir/releases"
	mke2fs -q -t ext4 -L vmxroot -d "$root" "$dir/rootfs.img" 4G >&2 || die "mke2fs failed"
	remove_root
	touch "$dir/.vmx-ready"
}

# One builder at a time: make test starts this in the background.
with_lock "debian-rootfs-$key" build
[ -e "$dir/.vmx-ready" ] || die "no Debian root filesystem in $dir"
echo "$dir"
