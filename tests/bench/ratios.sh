# make bench, second VM: the ioctl-level ratios only (see the Makefile).
grep -o -w erms /proc/cpuinfo | head -1 | sed "s/^/cpu flag present: /"
dumpbench 1024
