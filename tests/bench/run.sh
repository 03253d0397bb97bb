# make bench, inside the VM: the ioctl-level dump benchmark (dumpbench),
# then vmxctl end to end on the same process (1 GiB of touched 4K anon
# pages); inspectbench and vmxctl on 10,000 VMAs; remapbench.

# wait_ready FILE: until a benchmark holding its target prints "ready PID"
# there (5 minutes at most).
wait_ready() {
	i=0
	while ! grep -q '^ready' "$1" 2>/dev/null && [ $i -lt 600 ]; do
		sleep 0.5
		i=$((i + 1))
	done
}

dumpbench 1024 hold >/tmp/bench.out &
wait_ready /tmp/bench.out
cat /tmp/bench.out
pid=$(sed -n 's/^ready //p' /tmp/bench.out)
echo
echo "vmxctl end to end on pid $pid (output to /dev/null):"
for mode in "" "-j"; do
	for args in "" "leaves" "leaves merge" "leaves raw"; do
		start=$(cut -d' ' -f1 /proc/uptime)
		vmxctl $mode dump "$pid" $args >/tmp/out
		end=$(cut -d' ' -f1 /proc/uptime)
		printf '  vmxctl %-3s dump %-13s %6s s  %s lines/bytes\n' "$mode" "$args" \
			"$(echo "$end $start" | awk '{ printf "%.2f", $1 - $2 }')" \
			"$(wc -l </tmp/out)/$(wc -c </tmp/out)"
	done
done
kill "$pid"
echo
echo "/sys/kernel/debug/vmx/stats after all of the above:"
sed 's/^/  /' /sys/kernel/debug/vmx/stats

echo
inspectbench hold >/tmp/ib.out &
wait_ready /tmp/ib.out
cat /tmp/ib.out
pid=$(sed -n 's/^ready //p' /tmp/ib.out)
addr=$(grep -m1 'r--p' /proc/"$pid"/maps | cut -d- -f1)
echo "vmxctl end to end on pid $pid (output to /dev/null), 10 runs each:"
for cmd in "cat /proc/$pid/maps" "vmxctl vmas $pid" "vmxctl vmas $pid --tree" "vmxctl resolve $pid 0x$addr"; do
	start=$(cut -d' ' -f1 /proc/uptime)
	for i in 1 2 3 4 5 6 7 8 9 10; do $cmd >/dev/null 2>&1; done
	end=$(cut -d' ' -f1 /proc/uptime)
	printf '  %-36s %6s s per run\n' "$cmd" "$(echo "$end $start" | awk '{ printf "%.3f", ($1 - $2) / 10 }')"
done
kill "$pid"

echo
echo 1 >/sys/module/vmx/parameters/allow_edits
remapbench
echo 0 >/sys/module/vmx/parameters/allow_edits
