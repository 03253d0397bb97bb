// SPDX-License-Identifier: GPL-2.0
/*
 * Test helper for the end-to-end checks, run inside the VM:
 *   vmxtest nocap CMD [ARGS]    run CMD as root without CAP_SYS_ADMIN
 *   vmxtest asuser UID CMD ...  run CMD as an unprivileged user
 *   vmxtest ioctl NUMBER        issue a raw ioctl with a valid INFO struct
 *   vmxtest efault              INFO with a pointer to nothing
 *   vmxtest pagemap PID         VMX_IOC_DUMP against /proc/PID/pagemap
 *   vmxtest ptdump PID FILE     its leaves against the kernel's ptdump of
 *                               PID, which PID itself copied into FILE
 *   vmxtest maps PID            VMX_IOC_VMAS against /proc/PID/maps
 *   vmxtest compact PID         VMX_DUMP_COMPACT against full records
 *   vmxtest mtree PID           VMX_IOC_MTREE against maps and mt_dump()
 *   vmxtest selfmap             map a page into its own window and exit
 *   vmxtest hold MIB SECONDS    touch MIB of anon memory in 4K pages, print
 *                               the pid, then sleep: a big, quiet target
 *   vmxtest spin MIB SECONDS    touch MIB of anon memory on the NUMA node
 *                               CPU 0 is not on, print the pid, then run
 *                               on CPU 0 without touching it (a target for
 *                               NUMA balancing's hinting scan)
 * The ioctl forms print "ok" or the errno's name, so the shell can compare.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/mempolicy.h>
#include <sched.h>
#include <sys/mman.h>
#include <time.h>
#include <sys/prctl.h>
#include <grp.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "uapi/vmx.h"
#include "vmxtest.h"

static int drop_cap_sys_admin(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];
	int word = CAP_SYS_ADMIN / 32;
	unsigned int bit = 1U << (CAP_SYS_ADMIN % 32);

	if (prctl(PR_CAPBSET_DROP, CAP_SYS_ADMIN, 0, 0, 0))
		return -1;
	if (syscall(SYS_capget, &hdr, data))
		return -1;
	data[word].effective &= ~bit;
	data[word].permitted &= ~bit;
	data[word].inheritable &= ~bit;
	return syscall(SYS_capset, &hdr, data);
}

static int raw_ioctl(unsigned long number, void *arg)
{
	int fd = open(VMX_DEVICE_PATH, O_RDWR);

	if (fd < 0) {
		printf("open:%s\n", strerrorname_np(errno));
		return 1;
	}
	if (ioctl(fd, number, arg) < 0)
		printf("%s\n", strerrorname_np(errno));
	else
		printf("ok\n");
	close(fd);
	return 0;
}

static int hold(size_t mib, int seconds)
{
	size_t len = mib << 20;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || madvise(p, len, MADV_NOHUGEPAGE)) {
		perror("vmxtest hold: mmap");
		return 1;
	}
	memset(p, 1, len);
	printf("%d\n", (int)getpid());
	fflush(stdout);
	sleep(seconds);
	return 0;
}

static int spin(size_t mib, int seconds)
{
	size_t len = mib << 20;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	time_t end = time(NULL) + seconds;
	volatile unsigned long n = 0;

	unsigned long mask;
	cpu_set_t cpu0;

	if (p == MAP_FAILED) {
		perror("vmxtest spin: mmap");
		return 1;
	}
	/*
	 * The scan leaves alone pages already on the node a single-threaded
	 * task runs on: place them on the other node, then give the range
	 * back the default policy (a strict bind would exempt it from
	 * NUMA balancing altogether).
	 */
	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	mask = access("/sys/devices/system/cpu/cpu0/node0", F_OK) ? 1UL << 0 : 1UL << 1;
	if (sched_setaffinity(0, sizeof(cpu0), &cpu0) ||
	    syscall(SYS_mbind, p, len, MPOL_BIND, &mask, 8 * sizeof(mask), 0)) {
		perror("vmxtest spin: placing the memory");
		return 1;
	}
	memset(p, 1, len);
	if (syscall(SYS_mbind, p, len, MPOL_DEFAULT, NULL, 0, 0)) {
		perror("vmxtest spin: mbind MPOL_DEFAULT");
		return 1;
	}
	printf("%d\n", (int)getpid());
	fflush(stdout);
	/* On the CPU, so that the scheduler's tick runs the scan for us. */
	while (time(NULL) < end)
		n++;
	return 0;
}

int main(int argc, char **argv)
{
	struct vmx_info info = { .size = sizeof(info) };

	if (argc >= 3 && !strcmp(argv[1], "nocap")) {
		if (drop_cap_sys_admin()) {
			perror("vmxtest: dropping CAP_SYS_ADMIN");
			return 125;
		}
		execvp(argv[2], argv + 2);
		perror("vmxtest: exec");
		return 127;
	}
	if (argc >= 4 && !strcmp(argv[1], "asuser")) {
		uid_t uid = (uid_t)strtoul(argv[2], NULL, 0);

		if (setgroups(0, NULL) || setgid(uid) || setuid(uid)) {
			perror("vmxtest: setuid");
			return 125;
		}
		execvp(argv[3], argv + 3);
		perror("vmxtest: exec");
		return 127;
	}
	if (argc == 3 && !strcmp(argv[1], "ioctl"))
		return raw_ioctl(strtoul(argv[2], NULL, 0), &info);
	if (argc == 2 && !strcmp(argv[1], "efault"))
		return raw_ioctl(VMX_IOC_INFO, NULL);
	if (argc == 3 && !strcmp(argv[1], "pagemap"))
		return pagemap_compare((pid_t)atoi(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "ptdump"))
		return ptdump_compare((pid_t)atoi(argv[2]), argv[3]);
	if (argc == 3 && !strcmp(argv[1], "maps"))
		return maps_compare((pid_t)atoi(argv[2]));
	if (argc == 3 && !strcmp(argv[1], "mtree"))
		return mtree_compare((pid_t)atoi(argv[2]));
	if (argc == 3 && !strcmp(argv[1], "compact"))
		return compact_compare((pid_t)atoi(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "abi1"))
		return abi1_compare((pid_t)atoi(argv[2]), strtoull(argv[3], NULL, 0));
	if (argc == 2 && !strcmp(argv[1], "selfmap"))
		return selfmap();
	if (argc == 4 && !strcmp(argv[1], "hold"))
		return hold(strtoul(argv[2], NULL, 0), atoi(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "spin"))
		return spin(strtoul(argv[2], NULL, 0), atoi(argv[3]));
	if (argc == 2 && !strcmp(argv[1], "info-cmd")) {
		printf("0x%lx\n", (unsigned long)VMX_IOC_INFO);
		return 0;
	}
	fprintf(stderr, "usage: vmxtest nocap|asuser|ioctl|efault|pagemap|ptdump|maps|mtree|abi1|compact|selfmap|hold|spin|info-cmd ...\n");
	return 2;
}
