#!/bin/bash
# Build (or find in the cache) a kunit-* test kernel and print its build dir.
#   kunit-6.12    Debian 12's linux-source-6.12
#   kunit-latest  the newest linux-source-* in Debian unstable (a tarball
#                 fetched with a private apt configuration, never installed)
# The cache key covers the source version, the kunitconfig fragments and the
# compiler, so a changed config or toolchain builds a fresh tree.
set -eu
. "$(dirname "$0")/common.sh"

name=${1:?usage: kunit-kernel.sh kunit-6.12|kunit-latest}
. "$(dirname "$0")/unstable-apt.sh"

# Fetch the newest linux-source-* of unstable; prints "package version tarball".
fetch_latest() {
	local pkg ver deb dir
	unstable_update || return 1
	pkg=$(unstable_apt apt-cache pkgnames linux-source- |
		grep -E '^linux-source-[0-9]+\.[0-9]+$' | sort -V | tail -n 1)
	[ -n "$pkg" ] || die "no linux-source-* package in unstable"
	ver=$(unstable_apt apt-cache show "$pkg" | awk '/^Version:/ {print $2}' | sort -V | tail -n 1)
	dir=$UNSTABLE/debs/$pkg-$ver
	if [ ! -e "$dir/.extracted" ]; then
		rm -rf "$dir" && mkdir -p "$dir"
		(cd "$dir" && unstable_apt apt-get -qq download "$pkg=$ver" >&2)
		deb=$(ls "$dir"/*.deb)
		dpkg-deb -x "$deb" "$dir/root" && rm -f "$deb"
		touch "$dir/.extracted"
	fi
	echo "$pkg $ver $(ls "$dir"/root/usr/src/linux-source-*.tar.xz)"
}

latest_cached() {
	local f
	f=$(ls -d "$VMX_CACHE"/build/kunit-latest-*/.vmx-built 2>/dev/null | tail -n 1)
	[ -n "$f" ] && cat "$f"
}

case $name in
kunit-6.12)
	pkg=linux-source-6.12
	ver=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null) ||
		die "$pkg is not installed (run scripts/deps.sh)"
	tarball=/usr/src/linux-source-6.12.tar.xz
	;;
kunit-latest)
	if ! read -r pkg ver tarball < <(fetch_latest); then
		# Unstable out of reach: reuse the newest tree built before.
		read -r pkg ver build < <(latest_cached) ||
			die "cannot fetch linux-source from unstable and no cached build"
		log "unstable unreachable; using cached $pkg $ver"
		echo "$build"
		exit 0
	fi
	;;
*) die "unknown kunit kernel '$name'" ;;
esac

src=$VMX_CACHE/src/$pkg-$ver
if [ ! -e "$src/.extracted" ]; then
	log "unpacking $pkg $ver"
	rm -rf "$src" && mkdir -p "$src"
	tar -xf "$tarball" -C "$src" --strip-components=1
	touch "$src/.extracted"
fi

frags=("$VMX_TOP/kunit/kernel.kunitconfig")
# Feature probe, not a version test: name X86_5LEVEL only where it exists.
grep -q '^config X86_5LEVEL$' "$src/arch/x86/Kconfig" &&
	frags+=("$VMX_TOP/kunit/kernel-x86-5level.kunitconfig")
[ "$name" = kunit-latest ] && frags+=("$VMX_TOP/kunit/kernel-kvm.kunitconfig")

key=$( { echo "$pkg $ver"; cat "${frags[@]}"; gcc --version | head -n 1; } |
	sha256sum | cut -c1-12)
build=$VMX_CACHE/build/$name-$ver-$key
if [ -e "$build/.vmx-built" ]; then
	echo "$build"
	exit 0
fi

log "building $name ($pkg $ver) in $build; this takes about 10 minutes"
mkdir -p "$build"
args=(--arch=x86_64 --build_dir="$build" --jobs="$VMX_JOBS")
for f in "${frags[@]}"; do args+=(--kunitconfig="$f"); done
(cd "$src" && python3 tools/testing/kunit/kunit.py build "${args[@]}") \
	>"$build/build.log" 2>&1 || {
	tail -n 40 "$build/build.log" >&2
	die "kernel build failed; log in $build/build.log"
}
echo "$pkg $ver $build" >"$build/.vmx-built"
# Older trees of this kernel are several GiB each and never used again.
for old in "$VMX_CACHE"/build/"$name"-*; do
	[ "$old" = "$build" ] || rm -rf "$old"
done
echo "$build"
