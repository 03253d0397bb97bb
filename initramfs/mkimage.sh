#!/bin/bash
# Assemble the test VM's initramfs: busybox, /init, the modules, the static
# tools, the script to run (/run.sh) and extra files (/files). Assembled
# afresh for each boot: it is small and takes a fraction of a second.
# usage: mkimage.sh OUT.cpio.gz MODDIR STATICDIR SCRIPT|"" [FILES...]
set -eu
. "$(dirname "$0")/../scripts/common.sh"

out=$1 mod=$2 static=$3 script=$4
shift 4
root=$(mktemp -d "${TMPDIR:-/tmp}/vmx-root.XXXXXX")
trap 'rm -rf "$root"' EXIT
chmod 755 "$root"	# the image root: non-root test users must reach /vmx

mkdir -p "$root"/{bin,sbin,etc,proc,sys,dev,tmp,root,vmx,files}
cp /bin/busybox "$root/bin/busybox"
install -m 755 "$VMX_TOP/initramfs/init" "$root/init"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' \
	>"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
cp "$mod"/*.ko "$root/vmx/"
for t in vmxctl vmxtest libvmx_check ptedit_check maptarget racetarget adversary vmxfuzz remaptarget watchtarget snaptarget whytarget peerbench inspectbench remapbench watchbench vmx-exit; do
	cp "$static/$t" "$root/vmx/"
done
[ -z "$script" ] || cp "$script" "$root/run.sh"
for f in "$@"; do
	cp -r "$f" "$root/files/"
done
(cd "$root" && find . | cpio -o -H newc --quiet) | gzip -1 >"$out"
