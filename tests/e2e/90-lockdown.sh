# Last, as lockdown cannot be lifted: peek reads memory as /dev/mem would,
# and is refused once the kernel is locked down; so are edits (even with
# allow_edits on) and remaps, which hand one process another's memory.
. /files/e2e/lib.sh

mountpoint -q /sys/kernel/security || mount -t securityfs securityfs /sys/kernel/security
ld=/sys/kernel/security/lockdown
if [ -w "$ld" ]; then
	echo 1 >/sys/module/vmx/parameters/allow_edits
	echo integrity >"$ld"
	run vmxctl peek 1 0x400000 8
	expect_match peek_refused_under_lockdown "$RC $ERR" '^1 .*EPERM'
	run vmxctl -j resolve 1 0x400000
	expect_eq resolve_allowed_under_lockdown "$RC" 0
	run vmxctl edit 1 0x400000 clear accessed
	expect_match edit_refused_under_lockdown "$RC $ERR" '^1 .*EPERM'
	run vmxctl map 1 0x400000 1 0x400000
	expect_match map_refused_under_lockdown "$RC $ERR" '^1 .*EPERM'
	echo 0 >/sys/module/vmx/parameters/allow_edits
	# Confidentiality hides the kernel's layout as /proc/kcore does.
	kbase=$(json_field page_offset_base "$(vmxctl -j info)")
	echo confidentiality >"$ld"
	expect_eq info_hides_page_offset_base_under_lockdown \
		"$(json_field page_offset_base "$(vmxctl -j info)")" 0x0
	run vmxctl resolve kernel "$kbase"
	expect_match resolve_kernel_refused_under_lockdown "$RC $ERR" '^1 .*EPERM'
elif [ "${KERNEL#kunit-}" != "$KERNEL" ]; then
	fail peek_refused_under_lockdown "no $ld in a kunit kernel"
else
	skip peek_refused_under_lockdown "this kernel has no lockdown LSM active"
fi
