# README's window flow (map/grant through `vmxctl window open`), extracted
# from README.md by scripts/test.sh and run as a user pastes it into make
# shell: the README stays true. test.sh hands the lines to the VM make
# shell boots (debian-6.12, 5-level) and an empty file to the others.
. /files/e2e/lib.sh

if [ -s /files/readme-window.sh ]; then
	rm -rf /tmp/d /tmp/w.in /tmp/w.out
	# The flow waits for maptarget in a loop: bounded here, not there.
	(cd /tmp && timeout 120 sh -c '. /files/readme-window.sh') >/tmp/rw.out 2>&1
	rc=$?
	[ -s /tmp/d/ready ] && kill "$(cat /tmp/d/ready)" 2>/dev/null
	# The sleep that kept the helper's fifo open (busybox has no pkill).
	for p in $(pidof sleep); do
		grep -q 100000 /proc/"$p"/cmdline 2>/dev/null && kill "$p"
	done
	expect_eq readme_window_flow_exit_0 "$rc" 0
	expect_match readme_window_grant "$(cat /tmp/rw.out)" '^granted 1 page, read-write$'
	# What maptarget wrote at the start of its anonymous page.
	expect_match readme_window_read "$(cat /tmp/rw.out)" \
		'^page 0: 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 76 6d 78 20 70 65 65 6b'
	expect_match readme_window_revoke "$(cat /tmp/rw.out)" \
		"^revoked 1 page of pid [0-9]+'s window at 0x[0-9a-f]+$"
	[ "$E2E_FAILED" = 0 ] || sed 's/^/readme-window: /' /tmp/rw.out | head -n 30 >/dev/kmsg
fi
