#!/bin/bash
# make run's picture: the demo process's page (vmxctl dump --html), sent
# through the VM's console in base64 between VMX-PICTURE markers (the end
# marker carries its sha256), written to OUT. Kernel lines that land in
# between are left out; a picture cut short or changed is refused.
# usage: vm-picture.sh CONSOLE_LOG OUT
set -eu
. "$(dirname "$0")/common.sh"

log=${1:?usage: vm-picture.sh CONSOLE_LOG OUT} out=${2:?usage: vm-picture.sh CONSOLE_LOG OUT}
block=$(tr -d '\r' <"$log" | sed -n '/^VMX-PICTURE-BEGIN$/,/^VMX-PICTURE-END /p')
sum=$(printf '%s\n' "$block" | sed -n 's/^VMX-PICTURE-END \([0-9a-f]*\)$/\1/p')
[ -n "$sum" ] || die "no whole picture in $log (the demo did not get to its end)"
printf '%s\n' "$block" | grep -E '^[A-Za-z0-9+/=]+$' | base64 -d >"$out.tmp" ||
	die "the picture in $log does not decode"
[ "$(sha256sum <"$out.tmp" | cut -d' ' -f1)" = "$sum" ] ||
	die "the picture in $log came through damaged (its sha256 differs)"
mv "$out.tmp" "$out"
echo "vmx: the demo process's page tables, to open in a browser: $out"
