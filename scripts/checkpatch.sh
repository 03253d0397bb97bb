#!/bin/bash
# checkpatch --strict over the project's kernel sources, with the kernel's
# own checkpatch.pl from linux-source-6.12 (unpacked in the cache).
set -eu
. "$(dirname "$0")/common.sh"

tarball=/usr/src/linux-source-6.12.tar.xz
dir=$VMX_CACHE/checkpatch
if [ ! -e "$dir/.ready" ]; then
	rm -rf "$dir" && mkdir -p "$dir"
	tar -xf "$tarball" -C "$dir" --strip-components=1 --wildcards \
		'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch'
	touch "$dir/.ready"
fi
cd "$VMX_TOP"
files=$(ls vmx_mod.c debugfs.c ioctl/*.c walker/*.[ch] remap/*.c arch/*/*.[ch] kunit/*.c include/*.h include/uapi/*.h tests/bench/floor/*.c)
# checkpatch reads .checkpatch.conf from the current directory.
perl "$dir/scripts/checkpatch.pl" --no-tree --strict --quiet -f $files
