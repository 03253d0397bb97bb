#!/bin/bash
# Host-side check of scripts/compat-probe.sh on made-up trees: a symbol
# exported to every module is found; one exported to a namespace (7.x's
# EXPORT_SYMBOL_FOR_KVM) is not, since modpost would refuse to link vmx.ko
# against it. Prints one line per check; exits 1 when one failed.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

probe() {
	printf '%b' "$1" >"$tmp/Module.symvers"
	sh "$top/scripts/compat-probe.sh" "$tmp" "$tmp"
}

check() {
	if [ "$2" = "$3" ]; then
		echo "ok $1"
	else
		echo "not ok $1: got '$2', want '$3'"
		failed=1
	fi
}

check plain_export_found \
	"$(probe '0x1\t__flush_tlb_all\tvmlinux\tEXPORT_SYMBOL_GPL\t\n')" \
	" -DVMX_HAVE_FLUSH_TLB_ALL"
check namespaced_export_ignored \
	"$(probe '0x1\t__flush_tlb_all\tvmlinux\tEXPORT_SYMBOL_GPL\tmodule:kvm,kvm-amd,kvm-intel\n')" ""
check other_symbol_ignored \
	"$(probe '0x1\t__flush_tlb_all_x\tvmlinux\tEXPORT_SYMBOL_GPL\t\n')" ""
exit $failed
