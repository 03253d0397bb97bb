#!/bin/bash
# libvmx on the host, without a module: make install-user into a DESTDIR;
# a program built from libvmx(3)'s example with pkg-config against that
# install, linked to the shared library and run against the fake module
# (fakedev.so); the exported symbols against vmx.h and the manual; an
# ABI 1 module refused with -EPROTO. Prints "libvmx: N checks, N failed".
# tests/host/libvmx.sh FAKEDEV_SO
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
shim=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$(dirname "$0")/check.sh"


out=$(make -s -C "$top" install-user DESTDIR="$work/root" PREFIX=/usr \
	BUILD="$work/build" 2>&1)
check install_user $? "$out"
for f in usr/sbin/vmxctl usr/lib/libvmx.a usr/lib/libvmx.so.0.1.0 usr/lib/libvmx.so.0 \
	usr/lib/libvmx.so usr/lib/pkgconfig/libvmx.pc usr/include/vmx/vmx.h \
	usr/include/vmx/uapi/vmx.h usr/include/vmx/ptedit_header.h usr/share/man/man3/libvmx.3 usr/share/man/man4/vmx.4 \
	usr/share/man/man8/vmxctl.8 usr/share/bash-completion/completions/vmxctl; do
	name=${f#usr/}
	check "installed_${name//\//_}" "$([ -e "$work/root/$f" ]; echo $?)" "no $f"
done
so=$work/root/usr/lib/libvmx.so.0.1.0
soname=$(readelf -d "$so" 2>/dev/null | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
check soname "$([ "$soname" = libvmx.so.0 ]; echo $?)" "SONAME '$soname'"

# Exported: every function vmx.h declares, versioned, and nothing else.
declared=$(cat "$top/lib/vmx.h" "$top/lib/ptedit_header.h" |
	grep -oE '^[a-z].*[ *]((vmx|ptedit)_[a-z0-9_]+)\(' |
	grep -oE '(vmx|ptedit)_[a-z0-9_]+\($' | tr -d '(' | sort)
exported=$(nm -D --defined-only "$so" | awk '$2 == "T" { print $3 }' | sed 's/@.*//' | sort)
check exports_match_header "$([ "$declared" = "$exported" ]; echo $?)" \
	"$(diff <(echo "$declared") <(echo "$exported") | head -n 5 | tr '\n' ' ')"
unversioned=$(nm -D --defined-only "$so" | awk '$2 == "T" && $3 !~ /@@LIBVMX_0.1$/' | head -n 3)
check symbols_versioned "$([ -z "$unversioned" ]; echo $?)" "$unversioned"
data=$(nm -D --defined-only "$so" | awk '$2 == "D" { print $3 }' | sed 's/@.*//' | sort | tr '\n' ' ')
check exported_data "$([ "$data" = "ptedit_resolve ptedit_update " ]; echo $?)" "data symbols: $data"
missing=
for f in $(echo "$declared" | grep '^vmx_'); do
	grep -q "\*\*.*\b$f\b" "$top/docs/man/libvmx.3.rst" || missing="$missing $f"
done
check manual_has_every_function "$([ -z "$missing" ]; echo $?)" "not in libvmx.3:$missing"
missing=
for f in $(echo "$declared" | grep '^ptedit_') ptedit_resolve ptedit_update; do
	grep -q "^|.*\`$f\`" "$top/docs/ptedit.md" || missing="$missing $f"
done
check ptedit_table_has_every_function "$([ -z "$missing" ]; echo $?)" "not in docs/ptedit.md:$missing"

# The header in C++ too (extern "C", no keyword as a field name).
printf '#include <vmx.h>\nint main() { struct vmx_edit e = {}; return (int)e.new_; }\n' >"$work/cxx.cpp"
out=$(g++ -std=c++17 -Wall -Wextra -Werror -I"$work/root/usr/include/vmx" -c -o "$work/cxx.o" \
	"$work/cxx.cpp" 2>&1)
check header_builds_as_cxx "$?" "$(echo "$out" | head -n 3)"

# The manual's example, built as a user would against the install.
awk '/^EXAMPLE/ { on = 1; next } on && /^VERSIONS/ { exit }
	on && /^    / { sub(/^    /, ""); print }' "$top/docs/man/libvmx.3.rst" >"$work/example.c"
export PKG_CONFIG_PATH=$work/root/usr/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$work/root
flags=$(pkg-config --cflags --libs libvmx 2>&1)
check pkg_config "$?" "$flags"
out=$(cc -std=c11 -Wall -Wextra -Werror -o "$work/example" "$work/example.c" $flags 2>&1)
check example_builds "$?" "$out"
check example_linked_shared "$(ldd "$work/example" 2>/dev/null | grep -q 'libvmx.so.0'; echo $?)" \
	"$(ldd "$work/example" 2>&1 | head -n 3 | tr '\n' ' ')"
dev=/nonexistent/fakevmx
run() {
	env LD_LIBRARY_PATH="$work/root/usr/lib" LD_PRELOAD="$shim" VMXCTL_DEVICE=$dev \
		VMX_DEVICE=$dev "$@"
}
out=$(run "$work/example" 2>&1)
check example_runs "$(echo "$out" | grep -qE '^argv is at physical 0x[0-9a-f]+ after [0-9] steps$'; echo $?)" "$out"
out=$(run env VMX_FAKE_ABSENT=1 "$work/example" 2>&1)
check example_says_not_loaded "$(echo "$out" | grep -q "^cannot open $dev: No such file or directory (is vmx.ko loaded?)$"; echo $?)" "$out"
out=$(run env VMX_FAKE_ABI=1 "$work/example" 2>&1)
check abi1_module_eproto "$(echo "$out" | grep -q 'VMX_IOC_RESOLVE: vmx.ko speaks ABI 1, libvmx ABI 2: Protocol error'; echo $?)" "$out"

# A PTEditor program, its include line unchanged, against the install.
cat >"$work/pt.c" <<'PT'
#include "ptedit_header.h"

int main(void)
{
	if (ptedit_init())
		return 1;
	printf("%d %zx %s\n", ptedit_get_pagesize(), ptedit_get_mts(),
	       ptedit_mt_to_string((unsigned char)ptedit_get_mt(0)));
	ptedit_print_entry(0x8000000012345067ULL);
	ptedit_cleanup();
	return 0;
}
PT
out=$(cc -std=c11 -Wall -Wextra -Werror -O2 -o "$work/pt" "$work/pt.c" $flags 2>&1)
check ptedit_program_builds "$?" "$out"
out=$(run "$work/pt" 2>&1 | sed 's/\x1b\[[0-9]*m//g')
check ptedit_program_runs "$([ "$(echo "$out" | sed -n 1p)" = "4096 407050600070106 WB" ] &&
	echo "$out" | grep -qxF '| 1|          0x12345 |1|0|0|0|0|0|1|1| 0| 0|1|1|1|'; echo $?)" "$out"

checks_end libvmx
