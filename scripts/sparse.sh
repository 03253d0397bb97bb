#!/bin/bash
# Print the sparse to use. Kernels since 6.15 or so insist on a sparse that
# knows __typeof_unqual__ (scripts/checker-valid.sh), which Debian 12's
# 0.6.4 does not; so sparse is built from Debian unstable's source package
# into the cache (about 10 s). Falls back to the system's sparse when
# unstable cannot be reached; the build then reports that sparse was off.
set -eu
. "$(dirname "$0")/common.sh"
. "$(dirname "$0")/unstable-apt.sh"

built() {
	ls -d "$VMX_CACHE"/sparse/*/sparse 2>/dev/null | sort -V | tail -n 1
}

if unstable_update 2>/dev/null; then
	ver=$(unstable_apt apt-cache showsrc sparse | awk '/^Version:/ {print $2}' |
		sort -V | tail -n 1)
	dir=$VMX_CACHE/sparse/$ver
	if [ -n "$ver" ] && [ ! -x "$dir/sparse" ]; then
		log "building sparse $ver from Debian unstable's source"
		rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
		(cd "$dir.tmp" && unstable_apt apt-get -qq --download-only source "sparse=$ver" >&2 &&
			tar -xf sparse_*.orig.tar.* &&
			make -s -C sparse-*/ -j"$VMX_JOBS" HAVE_LLVM=no HAVE_SQLITE=no \
				HAVE_GTK=no HAVE_LIBXML=no sparse >build.log 2>&1 &&
			mkdir -p "$dir" && cp sparse-*/sparse "$dir/sparse") ||
			log "could not build sparse $ver"
		rm -rf "$dir.tmp"
	fi
fi
s=$(built)
[ -n "$s" ] || s=$(command -v sparse) || die "no sparse at all"
echo "$s"
