#!/bin/bash
# stock-modules.sh KERNEL DIR: the stock kernel's own zram.ko and the modules
# it depends on, decompressed (busybox insmod reads plain .ko only), as
# DIR/NN-name.ko in load order, for the VM's swap. The kunit kernels have
# zram built in; for them DIR gets their test_hmm.ko instead, whose device
# puts an MMU notifier on the mm of a process that opens it.
set -eu
. "$(dirname "$0")/common.sh"

k=${1:?usage: stock-modules.sh KERNEL DIR}
out=${2:?usage: stock-modules.sh KERNEL DIR}
mkdir -p "$out"
case $k in
debian-*) ;;
kunit-*)
	kernel_paths "$k"
	[ ! -e "$KDIR/lib/test_hmm.ko" ] || cp "$KDIR/lib/test_hmm.ko" "$out/test_hmm.ko"
	exit 0
	;;
*) exit 0 ;;
esac
dir=$(bash "$VMX_TOP/scripts/stock-kernel.sh" "$k")
mods=$(echo "$dir"/root/lib/modules/*)
n=0

add() {
	local f d
	[ -e "$out/.seen-$1" ] && return 0
	touch "$out/.seen-$1"
	f=$(find "$mods/kernel" \( -name "$1.ko" -o -name "$1.ko.xz" -o -name "$1.ko.zst" \) |
		head -n 1)
	[ -n "$f" ] || die "$k: no module $1 under $mods"
	for d in $(/sbin/modinfo -F depends "$f" | tr ',' ' '); do
		add "$d"
	done
	n=$((n + 1))
	case $f in
	*.xz) xz -dc "$f" ;;
	*.zst) zstd -qdc "$f" ;;
	*) cat "$f" ;;
	esac >"$out/$(printf '%02d' "$n")-$1.ko"
}

add zram
rm -f "$out"/.seen-*
