#!/bin/bash
# page-types (tools/mm/page-types.c), the kernel's own pagemap reader and
# make bench's end-to-end peer of `vmxctl dump`, built statically at bench
# time from Debian's linux-source-6.12 (installed by make deps; nothing of
# it is committed). Prints the binary's path.
set -eu
. "$(dirname "$0")/common.sh"

tarball=/usr/src/linux-source-6.12.tar.xz
out=$VMX_CACHE/page-types/page-types
[ -e "$tarball" ] || die "no $tarball: 'make deps' installs linux-source-6.12"
if [ ! -x "$out" ] || [ "$tarball" -nt "$out" ]; then
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	t=linux-source-6.12
	tar -xf "$tarball" -C "$tmp" --wildcards "$t/tools/mm/page-types.c" \
		"$t/tools/lib/api/*" "$t/tools/include/*" \
		"$t/include/uapi/linux/magic.h" "$t/include/uapi/linux/kernel-page-flags.h"
	s=$tmp/$t
	mkdir -p "$(dirname "$out")"
	gcc -O2 -static -I"$s/tools/lib" -I"$s/tools/lib/api" -I"$s/tools/include" \
		-o "$out.tmp" "$s/tools/mm/page-types.c" "$s/tools/lib/api/fs/fs.c" \
		"$s/tools/lib/api/debug.c" >&2
	mv "$out.tmp" "$out"
fi
echo "$out"
