# The fuzzer (tests/fuzz/vmxfuzz.c) for a bounded time: 30 s per VM on the
# kunit kernels (two VMs each, so 60 s a kernel), with allow_edits=2 and,
# for the second half, fault injection through fail-nth; 15 s on the stock
# kernels. FUZZ_SECONDS overrides the length (make fuzz). Afterwards every
# window and pin is gone, the module unloads, and kmemleak finds nothing.
. /files/e2e/lib.sh

secs=15
[ "${KERNEL#kunit-}" != "$KERNEL" ] && secs=30
[ -n "${FUZZ_SECONDS:-}" ] && secs=$FUZZ_SECONDS
half=$((secs / 2))
stats=/sys/kernel/debug/vmx/stats
field() { awk -v k="$1" '$1 == k":" || $1 == k {print $NF; exit}' "$stats"; }

mkdir -p /tmp/fuzzhuge
mountpoint -q /tmp/fuzzhuge || mount -t hugetlbfs -o pagesize=2M none /tmp/fuzzhuge
echo 2 >/sys/module/vmx/parameters/allow_edits
# Allocation failures on demand, for this task only (fail-nth), quietly.
fi=
for d in /sys/kernel/debug/failslab /sys/kernel/debug/fail_page_alloc; do
	[ -d "$d" ] || continue
	echo N >"$d/ignore-gfp-wait"
	echo 0 >"$d/verbose"
	[ -e "$d/min-order" ] && echo 0 >"$d/min-order"
	fi=--failnth
done

total=0 rate=0
for part in plain faults; do
	flags=
	[ "$part" = faults ] && flags=$fi
	[ "$part" = faults ] && [ -z "$fi" ] && continue
	/vmx/vmxfuzz "$half" --edits --huge /tmp/fuzzhuge $flags >/tmp/fuzz.out 2>&1
	rc=$?
	# One line per write: /dev/kmsg takes a write as one record.
	while IFS= read -r l; do
		echo "fuzz $part: $l" >/dev/kmsg
	done </tmp/fuzz.out
	expect_eq "fuzz_${part}_no_failure" "$rc" 0
	n=$(sed -n 's/^vmxfuzz: \([0-9]*\) ioctls in \([0-9]*\) s.*/\1 \2/p' /tmp/fuzz.out)
	set -- $n
	total=$((total + ${1:-0}))
	expect_match "fuzz_${part}_ran" "${1:-0}" '^[1-9][0-9]*$'
done
[ -z "$fi" ] && skip fuzz_faults_no_failure "no failslab/fail_page_alloc in this kernel"
echo 0 >/sys/module/vmx/parameters/allow_edits
echo "VMX-FUZZ-RATE $((total / (secs > 0 ? secs : 1))) ioctl/s over $secs s ($total ioctls)" >/dev/kmsg
umount /tmp/fuzzhuge 2>/dev/null

# Nothing left behind: no window, no pin; the module goes away and back.
sleep 1
expect_eq fuzz_no_windows_left "$(field windows)" 0
expect_eq fuzz_no_pins_left "$(field pinned_pages)" 0
if rmmod vmx && insmod /vmx/vmx.ko; then
	pass fuzz_rmmod_insmod
else
	fail fuzz_rmmod_insmod "the module would not unload and load again"
fi
# A scan takes 30 s under TCG with 6 GiB: the 4-level VM of each kunit
# kernel scans (the whole suite, so every kind of request the fuzzer makes
# too); the 5-level one says so.
if [ -w /sys/kernel/debug/kmemleak ] && [ "$PAGING" = 5 ] && [ -z "${FUZZ_SECONDS:-}" ]; then
	skip kmemleak_nothing_of_vmx "kmemleak scans in the 4-level VM of this kernel (30 s a scan)"
elif [ -w /sys/kernel/debug/kmemleak ]; then
	# Two scans: the first only takes each object's checksum (a new
	# object counts as changed, so as referenced, mm/kmemleak.c
	# update_checksum()); the second reports the unreferenced ones whose
	# contents stayed the same. vm-suite.sh turned the periodic scan off,
	# so nothing scanned before. They cover the whole suite, 50-remap.sh's
	# insmod/rmmod rounds too.
	t_scan=$(uptime_s)
	echo scan >/sys/kernel/debug/kmemleak
	echo scan >/sys/kernel/debug/kmemleak
	echo "VMX-TIME kmemleak-scans $(($(uptime_s) - t_scan))" >/dev/kmsg
	expect_eq kmemleak_nothing_of_vmx "$(grep -c 'vmx' /sys/kernel/debug/kmemleak)" 0
	# Whatever kmemleak holds, for the reader of the log (the console
	# scan fails the run on a leak report of its own).
	head -n 80 /sys/kernel/debug/kmemleak | while IFS= read -r l; do
		echo "kmemleak: $l" >/dev/kmsg
	done
fi
