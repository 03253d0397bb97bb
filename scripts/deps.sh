#!/bin/bash
# Install what building and testing vmx needs on Debian 12 (as root). Quick
# when everything is there already: apt runs only for missing packages.
set -eu
. "$(dirname "$0")/common.sh"

pkgs=(build-essential bc bison flex libelf-dev libssl-dev cpio xz-utils zstd
	gzip rsync kmod dwarves python3 sparse qemu-system-x86 busybox-static
	linux-source-6.12 util-linux bsdutils python3-docutils chromium)
# Extra packages one target needs (make bench: gnuplot-nox).
pkgs+=("$@")

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	[ "$(id -u)" = 0 ] || die "missing packages (${missing[*]}); run as root or install them"
	log "installing ${missing[*]}"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >/dev/null
fi
mkdir -p "$VMX_CACHE"
