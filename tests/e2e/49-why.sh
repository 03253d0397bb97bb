# vmxctl why against what the access really does: whytarget holds a page
# for each reason and performs the access on request, reporting the
# signal and its si_code, or the minor and major faults it took. Each
# case: why's verdict and reason, then the access, then the two compared.
. /files/e2e/lib.sh

Y=/tmp/why
rm -rf "$Y" && mkdir -p "$Y"
setup_swap >/dev/null 2>&1

wait_lines() {
	i=0
	while [ "$(wc -l <"$Y/t.out")" -lt "$1" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

tell() {
	n=$(wc -l <"$Y/t.out")
	echo "$1" >&8
	wait_lines $((n + 1))
	REPLY=$(sed -n "$((n + 1))p" "$Y/t.out")
}

addr() {
	sed -n "s/^$1 \(0x[0-9a-f]*\).*/\1/p" "$Y/t.out"
}

# case NAME PAGE ACCESS REASON OUTCOME: why says REASON, then the access
# gives OUTCOME (a grep -E pattern over "ok MIN MAJ" or "signal SIG CODE").
case_() {
	a=$(addr "$2")
	if [ -z "$a" ]; then
		skip "why_$1" "no $2 page here"
		return
	fi
	j=$(vmxctl -j why "$tpid" "$a" "$3")
	expect_eq "why_$1_reason" "$(json_field reason "$j")" "$4"
	tell "$3 $a"
	expect_match "why_$1_really" "$(json_field verdict "$j") $REPLY" "$5"
}

mkfifo "$Y/t.in"
whytarget <"$Y/t.in" >"$Y/t.out" 2>&1 &
exec 8>"$Y/t.in"
i=0
while ! grep -q '^done$' "$Y/t.out" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
tpid=$(sed -n 's/^ready //p' "$Y/t.out")

# si_code: SEGV_MAPERR 1, SEGV_ACCERR 2, SEGV_PKUERR 4. The protection key
# first: a signal handler runs with the default PKRU (every key but 0
# access-disabled) and siglongjmp() keeps it, so after any SIGSEGV the key's
# page cannot even be read, and why must see that in the thread's PKRU.
case_ pkey_read pkey read mapped '^no-fault ok 0 0$'
case_ pkey_write pkey write protection-key '^SIGSEGV signal SIGSEGV 4$'
case_ pkey_read_after_signal pkey read protection-key '^SIGSEGV signal SIGSEGV 4$'
case_ pkey_never_touched pkey_fresh write protection-key '^SIGSEGV signal SIGSEGV 4$'
case_ no_vma hole read no-vma '^SIGSEGV signal SIGSEGV 1$'
case_ vma_read_only ro write vma-permissions '^SIGSEGV signal SIGSEGV 2$'
case_ vma_prot_none none read vma-permissions '^SIGSEGV signal SIGSEGV 2$'
case_ vma_no_exec code exec vma-permissions '^SIGSEGV signal SIGSEGV 2$'
case_ mapped_write rw write mapped '^no-fault ok 0 0$'
case_ never_touched_read fresh_r read not-mapped '^minor-fault ok 1 0$'
case_ never_touched_write fresh_w write not-mapped '^minor-fault ok 1 0$'
case_ cow_after_fork cow write copy-on-write '^minor-fault ok 1 0$'
if [ "$(json_field kind "$(vmxctl -j resolve "$tpid" "$(addr swap)")")" = swap ]; then
	# zram: a major fault, or minor when the page is still in the swap cache.
	case_ swapped swap read swapped '^major-fault ok (0 1|1 0)$'
else
	skip why_swapped "MADV_PAGEOUT did not swap the page here"
fi
[ -n "$(addr pkey)" ] || skip why_pkey "no protection keys here"

# userfaultfd: the access waits for the handler, which serves it once (6.1
# counts the retried fault as major, 6.12 as minor).
case_ uffd_missing uffd read uffd-missing '^fault ok (1 0|0 1)$'
if [ -n "$(addr uffd)" ]; then
	tell uffd-events
	expect_eq why_uffd_missing_served "$REPLY" "events 1"
fi

# A simulated memory error: SIGBUS, BUS_MCEERR_AR (4).
case_ hwpoison hwpoison read hwpoison '^SIGBUS signal SIGBUS 4$'

# A kernel-mode fetch of a user page: SMEP when the CPU has it, else PTI's
# NX root copy when PTI is on, else the page's own NX (a data page).
j=$(vmxctl -j why "$tpid" "$(addr rw)" exec --kernel)
if grep -qw smep /proc/cpuinfo; then
	want=smep
elif [ "$PTI" = on ]; then
	want=pti-nx
else
	want=nx
fi
expect_eq why_kernel_exec "$(json_field reason "$j") $(json_field verdict "$j")" "$want oops"
run vmxctl why "$tpid" "$(addr ro)" write
expect_match why_text_paragraph "$RC $OUT" '^0 # pid [0-9]+ \(whytarget\): a user-mode write of 0x'
expect_match why_text_verdict "$OUT" 'verdict: SIGSEGV \(SIGSEGV, SEGV_ACCERR\) \[vma-permissions\]'
run vmxctl why "$tpid" "$(addr rw)"
expect_match why_needs_access "$RC $ERR" '^2 .*say one access'
run vmxctl -j why "$tpid" 0x800000000000000 read
expect_match why_non_canonical "$(json_field reason "$OUT") $(json_field si_code "$OUT")" '^(non-canonical SI_KERNEL|kernel-address SEGV_MAPERR)$'
run vmxctl why 999999 0x1000 read
expect_match why_no_such_pid "$RC $ERR" '^1 .*ESRCH'
echo quit >&8
exec 8>&-
wait
