# vmxctl why against what the access really does: whytarget holds a page
# for each reason and performs the access on request, reporting the
# signal and its si_code, or the minor and major faults it took. Each
# case: why's verdict and reason, then the access, then the two compared.
. /files/e2e/lib.sh

Y=/tmp/why
rm -rf "$Y" && mkdir -p "$Y"
setup_swap >/dev/null 2>&1

addr() {
	sed -n "s/^$1 \(0x[0-9a-f]*\).*/\1/p" "$Y/t.out"
}

# Why whytarget could not make PAGE ("no PAGE: why" in its output).
missing() {
	m=$(sed -n "s/^no $1: //p" "$Y/t.out")
	echo "no $1 page here${m:+: $m}"
}

# case NAME PAGE ACCESS REASON OUTCOME: why says REASON, then the access
# gives OUTCOME (a grep -E pattern over "ok MIN MAJ" or "signal SIG CODE").
case_() {
	a=$(addr "$2")
	if [ -z "$a" ]; then
		skip "why_$1" "$(missing "$2")"
		return
	fi
	j=$(vmxctl -j why "$tpid" "$a" "$3")
	expect_eq "why_$1_reason" "$(json_field reason "$j")" "$4"
	tell "$3 $a"
	expect_match "why_$1_really" "$(json_field verdict "$j") $REPLY" "$5"
}

target_start "$Y" whytarget
wait_for done
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

# userfaultfd write-protect on a present page: a read goes through; a write
# waits for the handler, which unprotects the page (its one WP event).
case_ uffd_wp_read uffd_wp read mapped '^no-fault ok 0 0$'
case_ uffd_wp_write uffd_wp write uffd-wp '^fault ok [0-9]+ [0-9]+$'
if [ -n "$(addr uffd_wp)" ]; then
	tell wp-events
	expect_eq why_uffd_wp_served "$REPLY" "events 1"
fi
# On a shared memfd page never touched, the protection is a PTE marker: a
# read fills the page in (a minor fault, no event) and it stays protected;
# a write also reaches the handler.
case_ wp_marker_read wp_marker_r read uffd-wp-marker '^minor-fault ok 1 0$'
if [ -n "$(addr wp_marker_r)" ]; then
	j=$(vmxctl -j why "$tpid" "$(addr wp_marker_r)" write)
	expect_eq why_wp_marker_read_keeps_protection "$(json_field reason "$j")" uffd-wp
	tell wp-events
	expect_eq why_wp_marker_read_no_event "$REPLY" "events $(($(addr uffd_wp | wc -l)))"
fi
case_ wp_marker_write wp_marker write uffd-wp-marker '^fault ok [0-9]+ [0-9]+$'
if [ -n "$(addr wp_marker)" ]; then
	tell wp-events
	expect_eq why_wp_marker_served "$REPLY" "events $(($(addr uffd_wp | wc -l) + 1))"
fi
# Registered for missing pages too, the page not cached: the read goes to
# the handler (one more missing event), which fills it in.
case_ wp_marker_missing wp_marker_m read uffd-wp-marker '^fault ok [0-9]+ [0-9]+$'
if [ -n "$(addr wp_marker_m)" ]; then
	tell uffd-events
	expect_eq why_wp_marker_missing_served "$REPLY" "events $(($(addr uffd | wc -l) + 1))"
fi
# Markers that end in a signal: UFFDIO_POISON (6.6+) and guard regions
# (MADV_GUARD_INSTALL, 6.13+).
case_ poisoned poisoned read poisoned '^SIGBUS signal SIGBUS 4$'
case_ guard guard read guard '^SIGSEGV signal SIGSEGV 1$'
# A shadow stack takes no plain write (where the CPU has user shadow stacks).
case_ shadow_stack shstk write shadow-stack '^SIGSEGV signal SIGSEGV 2$'

# NX on a present PTE of an executable VMA, set by vmxctl edit (allow_edits
# 2): the fetch gets SIGSEGV (SEGV_ACCERR), as it ran before the edit.
case_ exec_before_nx xpage exec mapped '^no-fault ok 0 0$'
if [ -n "$(addr xpage)" ]; then
	was=$(cat /sys/module/vmx/parameters/allow_edits)
	echo 2 >/sys/module/vmx/parameters/allow_edits
	run vmxctl edit "$tpid" "$(addr xpage)" set nx
	echo "$was" >/sys/module/vmx/parameters/allow_edits
	if [ "$RC" = 0 ]; then
		case_ nx xpage exec nx '^SIGSEGV signal SIGSEGV 2$'
	else
		skip why_nx "vmxctl edit set nx: $ERR"
	fi
fi

# Migration entries live only while a page is being moved. A mover starved
# on CPU 0 (SCHED_IDLE beside a spinning hog) stops in the middle of
# move_pages() for long stretches; meanwhile the target's own pagemap shows
# a page of the batch not present, why must call it migrating, and the
# access waits for the move and takes a minor fault. Once the read has
# begun to wait, the hog is stopped so that the mover finishes at once.
# Tried for 90 s at most until the three agree; a signal or a major fault
# where why said migrating fails; no window at all is a skip.
# 512 pages: move_pages() isolates them all before it unmaps any, and a
# starved mover would take minutes to isolate many more.
if [ "$(cat /sys/devices/system/node/online 2>/dev/null)" = 0-1 ] && [ -n "$(addr migr)" ]; then
	set -- $(grep '^migr ' "$Y/t.out")
	whytarget hog 9>&- &
	hog=$!
	whytarget move "$tpid" "$2" "$3" 9>&- 2>"$Y/move.err" &
	mover=$!
	seen=0 agree=0 bad= tries=0
	t_end=$(($(uptime_s) + 90))
	while [ "$agree" = 0 ] && [ -z "$bad" ] && [ "$(uptime_s)" -lt "$t_end" ]; do
		tries=$((tries + 1))
		tell find-migrating
		[ "${REPLY%% *}" = at ] || continue
		a=${REPLY#at }
		seen=$((seen + 1))
		r=$(json_field reason "$(vmxctl -j why "$tpid" "$a" read)")
		n=$(wc -l <"$T_OUT")
		echo "read $a" >&9
		sleep 0.5
		kill -STOP "$hog"
		wait_lines $((n + 1)) 300
		kill -CONT "$hog"
		REPLY=$(sed -n "$((n + 1))p" "$T_OUT")
		case "$r $REPLY" in
		"migrating ok "[1-9]*" 0") agree=1 ;;
		"migrating ok 0 0") ;;	# the move ended between why and the read
		migrating*) bad="$a: why $r, the read: ${REPLY:-no reply}" ;;
		*) ;;	# ended before why looked
		esac
		# A reply still missing would answer the next command.
		[ -n "$REPLY" ] || { bad="$a: no reply to the read"; break; }
	done
	kill "$hog" "$mover" 2>/dev/null
	wait "$hog" "$mover" 2>/dev/null
	report "note why_migrating: $tries tries, $seen with a page not present in pagemap, agreed: $agree$(sed -n '1s/^/; mover: /p' "$Y/move.err")"
	if [ -n "$bad" ]; then
		fail why_migrating_agrees "$bad"
	elif [ "$agree" = 1 ]; then
		pass why_migrating_agrees
	else
		skip why_migrating_agrees "no migration entry held long enough in 90 s ($seen seen)"
	fi
else
	skip why_migrating "$(missing migr) (or not two NUMA nodes)"
fi

# Device memory (test_hmm.ko, kunit kernels): a page migrated to the
# device's private memory, and one the device holds exclusively. The CPU's
# access faults once and brings the page back. After the edit above: the
# mirror puts an MMU notifier on the target, and edits are then refused.
if [ -e /files/modules/test_hmm.ko ]; then
	[ -e /dev/hmm_dmirror0 ] || insmod /files/modules/test_hmm.ko
	tell hmm
	wait_for "hmm done"
	case_ device_private devpriv read device '^minor-fault ok 1 0$'
	case_ device_exclusive devexcl read device '^minor-fault ok 1 0$'
	if [ -n "$(addr devpriv)" ]; then
		j=$(vmxctl -j why "$tpid" "$(addr devpriv)" read)
		expect_eq why_device_private_back "$(json_field reason "$j")" mapped
	fi
else
	skip why_device "no test_hmm.ko for this kernel"
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
target_end
