# make bench, first VM (CPU with ERMS): vmx against its peers, end to end
# included (peers.sh); inspectbench and vmxctl on 10,000 VMAs; remapbench.
. /files/bench/peers.sh e2e
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
# vmas also counts each VMA's pages and tables, as smaps does: its peer.
for cmd in "cat /proc/$pid/maps" "cat /proc/$pid/smaps" "vmxctl vmas $pid" "vmxctl vmas $pid --tree" "vmxctl resolve $pid 0x$addr"; do
	start=$(cut -d' ' -f1 /proc/uptime)
	for i in 1 2 3 4 5 6 7 8 9 10; do $cmd >/dev/null 2>&1; done
	end=$(cut -d' ' -f1 /proc/uptime)
	printf '  %-36s %6s s per run\n' "$cmd" "$(echo "$end $start" | awk '{ printf "%.3f", ($1 - $2) / 10 }')"
done
kill "$pid"

echo
# VMX_EDIT_NO_FLUSH is an experiment: level 2, which taints this VM's kernel.
echo 2 >/sys/module/vmx/parameters/allow_edits
remapbench
echo
# vmxctl watch's sample, and the EDIT path it did not take (docs/watch.md).
watchbench 1024
echo 0 >/sys/module/vmx/parameters/allow_edits
