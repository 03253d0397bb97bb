# make shell: the VM as the tests see it, before the prompt: zram swap (the
# stock kernels' zram.ko from /files/modules) and hugetlbfs mounts. Audit
# lines of vmx go to dmesg, not the console (the VM boots with "quiet").
for m in /files/modules/*.ko; do
	[ -e "$m" ] && insmod "$m" 2>/dev/null
done
if [ -e /sys/block/zram0 ] && echo 64M >/sys/block/zram0/disksize &&
	mkswap /dev/zram0 >/dev/null && swapon /dev/zram0; then
	swap="64M of zram swap"
else
	swap="no swap (no zram)"
fi
mkdir -p /mnt/huge /mnt/huge1g
mount -t hugetlbfs -o pagesize=2M none /mnt/huge 2>/dev/null
mount -t hugetlbfs -o pagesize=1G none /mnt/huge1g 2>/dev/null
echo "vmx test VM: $swap; hugetlbfs at /mnt/huge (8 x 2M) and /mnt/huge1g (1 x 1G);"
echo "  two fake NUMA nodes; vmx's audit lines are in dmesg; 'maptarget DIR &' sets up"
echo "  one mapping of each kind (DIR/kinds says which is where), as the tests use."
