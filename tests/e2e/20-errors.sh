# Who may use /dev/vmx, and what every kind of bad input gets back.
. /files/e2e/lib.sh

expect_eq dev_vmx_is_0600_root "$(stat -c '%a %U' /dev/vmx)" "600 root"

run vmxtest nocap vmxctl info
expect_eq eperm_without_cap_sys_admin_exit_1 "$RC" 1
expect_match eperm_without_cap_sys_admin_message "$ERR" '\(EPERM\).*CAP_SYS_ADMIN'

run vmxtest asuser 65534 vmxctl info
expect_eq eacces_non_root_exit_1 "$RC" 1
expect_match eacces_non_root_message "$ERR" '\(EACCES\).*run vmxctl as root'

run vmxtest asuser 65534 vmxctl -j info
expect_match json_error_is_json "$OUT" '^\{"schema_version":3,"error":"[^"]+","errno":"EACCES","errno_code":13,"hint":"[^"]+"\}$'

info_cmd=$(vmxtest info-cmd)
run vmxtest ioctl "$((info_cmd + 0x7f))"
expect_eq unknown_ioctl_number_enotty "$OUT" ENOTTY
run vmxtest ioctl 0x5401
expect_eq foreign_ioctl_magic_enotty "$OUT" ENOTTY
run vmxtest ioctl "$info_cmd"
expect_eq raw_info_ioctl_ok "$OUT" ok
run vmxtest efault
expect_eq null_pointer_efault "$OUT" EFAULT

run vmxctl bogus
expect_eq unknown_command_exit_2 "$RC" 2
expect_match unknown_command_message "$ERR" "unknown command 'bogus'"
run vmxctl info extra
expect_eq extra_argument_exit_2 "$RC" 2
run vmxctl --bogus
expect_eq unknown_option_exit_2 "$RC" 2
run vmxctl
expect_eq no_command_exit_2 "$RC" 2
run vmxctl -j bogus
expect_match usage_error_json "$OUT" '^\{"schema_version":3,"error":"unknown command'
run vmxctl help
expect_eq help_exit_0 "$RC" 0
run vmxctl inf
expect_eq prefix_match_runs_info "$RC $(printf '%s' "$OUT" | head -n 1 | cut -c1-14)" "0 kernel release"
run vmxctl -j version
expect_match version_reports_module "$OUT" '"module":\{"available":true,"abi_version":2,'

# Without the module: a hint, not a mystery; and the module comes back.
if rmmod vmx; then
	pass rmmod_vmx
	run vmxctl info
	expect_eq not_loaded_exit_1 "$RC" 1
	expect_match not_loaded_hint "$ERR" '\(ENOENT\).*is vmx.ko loaded\?'
	insmod /vmx/vmx.ko
	run vmxctl info
	expect_eq reload_works "$RC" 0
else
	fail rmmod_vmx "rmmod vmx failed"
fi
