# Ctrl-C in the middle of a dump: vmxctl ends at a record boundary, says the
# output is incomplete (EINTR), resumes the target it stopped and exits 1,
# in text and in JSON. The reader keeps the pipe full until the signal.
. /files/e2e/lib.sh

state_of() {
	awk '{print $3}' /proc/"$1"/stat 2>/dev/null
}

# Whether vmxctl ($vp) waits in write(), system call 1 on x86-64.
in_write() {
	[ "$(cut -d' ' -f1 /proc/"$vp"/syscall 2>/dev/null)" = 1 ]
}

vmxtest hold 16 300 >/tmp/hold.pid &
holder=$!
i=0
while [ ! -s /tmp/hold.pid ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
pid=$(cat /tmp/hold.pid)
for mode in text json; do
	j=
	[ "$mode" = json ] && j=-j
	# The whole dump's size, to hold the cut one to.
	full=$(vmxctl $j dump "$pid" stop | wc -c)
	rm -f /tmp/dfifo && mkfifo /tmp/dfifo
	vmxctl $j dump "$pid" stop >/tmp/dfifo 2>/tmp/derr &
	vp=$!
	exec 7</tmp/dfifo
	i=0
	while [ "$(state_of "$pid")" != T ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	expect_eq "interrupt_${mode}_target_stopped_meanwhile" "$(state_of "$pid")" T
	# vmxctl fills the pipe (16 MiB is 4096 lines) and waits in write().
	i=0
	while ! in_write && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	expect_eq "interrupt_${mode}_vmxctl_waits_for_the_reader" \
		"$(in_write && echo yes)" yes
	kill -INT "$vp"
	cat <&7 >/tmp/dout
	exec 7<&-
	wait "$vp"
	expect_eq "interrupt_${mode}_exit_1" "$?" 1
	expect_match "interrupt_${mode}_target_resumed" "$(state_of "$pid")" '^[RS]$'
	got=$(wc -c </tmp/dout)
	expect_eq "interrupt_${mode}_output_cut_short" \
		"$([ "$got" -gt 0 ] && [ "$got" -lt "$full" ] && echo yes || echo "no: $got of $full bytes")" yes
	if [ "$mode" = text ]; then
		expect_match interrupt_text_says_so "$(cat /tmp/derr)" \
			'^vmxctl: interrupted; output is incomplete: .*\(EINTR\); the target was resumed'
		expect_match interrupt_text_last_line_whole "$(tail -n 1 /tmp/dout)" \
			'^ *(PGD|P4D|PUD|PMD|PTE) [0-9a-f]{16} .*[^ ]$'
		expect_eq interrupt_text_ends_in_newline "$(tail -c 1 /tmp/dout | od -An -c | tr -d ' ')" '\n'
	else
		expect_match interrupt_json_closed_with_error "$(tail -c 200 /tmp/dout)" \
			'\}\],"error":"interrupted; output is incomplete","errno":"EINTR","errno_code":4,"hint":"the target was resumed \(SIGCONT\)"\}$'
		expect_eq interrupt_json_nothing_on_stderr "$(cat /tmp/derr)" ""
	fi
done
kill "$holder"
wait "$holder" 2>/dev/null
rm -f /tmp/dfifo /tmp/dout /tmp/derr /tmp/hold.pid
