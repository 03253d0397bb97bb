#!/bin/bash
# The Debian 12 test VM (make test's "debian-vm" row): the packages of
# make deb, and the next version's, on a test disk beside the cached root
# filesystem (scripts/debian-rootfs.sh, written to a throwaway snapshot);
# tests/debian/run.sh installs and checks them inside. Prints each check,
# the minutes, and "debian-vm: N checks, N failed".
set -eu
. "$(dirname "$0")/common.sh"

out=$VMX_BUILD/debian-vm
rootfs=$(bash "$VMX_TOP/scripts/debian-rootfs.sh")
rm -rf "$out" && mkdir -p "$out/disk/debs" "$out/disk/upgrade" "$out/disk/src"
bash "$VMX_TOP/scripts/deps.sh" debhelper dh-dkms dpkg-dev lintian >&2
version=$(dpkg-parsechangelog -l "$VMX_TOP/debian/changelog" -S Version)
next=$version.1
bash "$VMX_TOP/scripts/make-deb.sh" "$out/deb" >/dev/null
VMX_DEB_VERSION=$next bash "$VMX_TOP/scripts/make-deb.sh" "$out/deb-next" >/dev/null
cp $(ls "$out"/deb/*.deb | grep -v dbgsym) "$out/disk/debs/"
cp $(ls "$out"/deb-next/*.deb | grep -v dbgsym) "$out/disk/upgrade/"
# Debian's own checks of the packages, errors and warnings (not in the VM).
if lintian --fail-on error,warning --tag-display-limit 0 "$out"/deb/*.changes >"$out/lintian.txt" 2>&1; then
	host_ok="ok lintian_clean"
else
	host_ok="not ok lintian_clean: $(grep -E '^(E|W):' "$out/lintian.txt" | head -n 3 | tr '\n' ' ')"
fi
mkdir -p "$out/disk/abi1"
cp "$(bash "$VMX_TOP/scripts/build-abi1-vmxctl.sh")" "$out/disk/abi1/vmxctl"
cp "$VMX_TOP/tests/debian/run.sh" "$VMX_TOP/tests/debian/abi1_check.py" "$out/disk/"
cp "$VMX_TOP/tests/e2e/libvmx_check.c" "$VMX_TOP/tests/e2e/ptedit_check.c" "$out/disk/src/"
echo "$version" >"$out/disk/version"
echo "$next" >"$out/disk/next_version"
cp "$rootfs/releases" "$out/disk/releases"
mke2fs -q -t ext4 -d "$out/disk" "$out/test.img" 256M >&2
# DKMS's compiles under TCG take most of the VM's time: ccache keeps them on
# a disk of their own, cached outside the clone, so a warm run compiles
# only what changed. The module is built, installed, loaded and checked all
# the same; the VM prints the cache's hits (ccache_hits).
ccache_img=$VMX_CACHE/debian12-ccache-$(basename "$rootfs").img
boot() {
	if [ ! -e "$ccache_img" ]; then
		truncate -s 2G "$ccache_img.tmp" && mke2fs -q -t ext4 -L vmxccache "$ccache_img.tmp" >&2 &&
			mv "$ccache_img.tmp" "$ccache_img" || return 1
	fi
	timeout 2400 qemu-system-x86_64 -nographic -no-reboot -m 3G -smp 2 -cpu max \
		-kernel "$rootfs/vmlinuz" -initrd "$rootfs/initrd.img" \
		-append "root=/dev/vda console=ttyS0 init=/sbin/vmx-launch quiet panic=-1" \
		-drive file="$rootfs/rootfs.img",if=virtio,format=raw,snapshot=on \
		-drive file="$out/test.img",if=virtio,format=raw \
		-drive file="$ccache_img",if=virtio,format=raw </dev/null >"$out/console.log" 2>&1 || true
}
t0=$(date +%s)
with_lock debian-ccache boot || die "cannot make $ccache_img"
secs=$(($(date +%s) - t0))
tr -d '\r' <"$out/console.log" | grep -ao 'VMX-DEB .*' | sed 's/^VMX-DEB //' >"$out/results.txt" || true
vm_checks=$(grep -cE '^(ok|not ok) ' "$out/results.txt" || true)
echo "$host_ok" >>"$out/results.txt"
cat "$out/results.txt"
checks=$(grep -cE '^(ok|not ok) ' "$out/results.txt" || true)
failed=$(grep -c '^not ok ' "$out/results.txt" || true)
# Every result the VM counted must have reached the log.
if ! grep -qx "done $vm_checks" "$out/results.txt"; then
	echo "not ok debian_vm_results_complete: $vm_checks results, the VM said $(sed -n 's/^done //p' "$out/results.txt")"
	checks=$((checks + 1)) failed=$((failed + 1))
fi
if ! grep -qa 'VMX-DEB-EXIT: 0' "$out/console.log"; then
	echo "not ok debian_vm_finished: see $out/console.log"
	checks=$((checks + 1)) failed=$((failed + 1))
fi
echo "debian-vm: $secs s in the VM"
echo "debian-vm: $checks checks, $failed failed"
