#!/bin/bash
# make run's picture: the demo process's page (vmxctl dump --html), sent
# through the VM's console in base64 between VMX-PICTURE markers, written
# to OUT. Prints where it is.
# usage: vm-picture.sh CONSOLE_LOG OUT
set -eu
. "$(dirname "$0")/common.sh"

log=${1:?usage: vm-picture.sh CONSOLE_LOG OUT} out=${2:?usage: vm-picture.sh CONSOLE_LOG OUT}
tr -d '\r' <"$log" | sed -n '/^VMX-PICTURE-BEGIN$/,/^VMX-PICTURE-END$/p' |
	sed '1d;$d' | base64 -d >"$out.tmp" 2>/dev/null ||
	die "no picture in $log (the demo did not reach it)"
[ -s "$out.tmp" ] || die "no picture in $log (the demo did not reach it)"
mv "$out.tmp" "$out"
echo "vmx: the demo process's page tables, to open in a browser: $out"
