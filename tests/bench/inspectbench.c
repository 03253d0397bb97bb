// SPDX-License-Identifier: GPL-2.0
/*
 * inspectbench [hold]: the cost of the inspect requests, in one process.
 * Sets up 10,000 VMAs (mprotect on every other page of one mapping), then
 * times, best of 5 runs: one read of /proc/self/maps against the whole
 * VMX_IOC_VMAS listing and the whole VMX_IOC_MTREE; and the mean time of
 * one VMX_IOC_RESOLVE over 10,000 calls. With "hold" it then prints "ready PID" and waits, as a
 * target for timing vmxctl itself.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "uapi/vmx.h"

#define RUNS		5
#define NVMAS		10000
#define RESOLVES	10000

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int fd;
static struct vmx_info info = { .size = sizeof(info) };
static char maps_buf[8 << 20];
static struct vmx_vma vmas[NVMAS + 256];

static double time_maps(size_t *lines)
{
	double t = now();
	int m = open("/proc/self/maps", O_RDONLY);
	ssize_t got, len = 0;

	while ((got = read(m, maps_buf + len, sizeof(maps_buf) - len)) > 0)
		len += got;
	close(m);
	t = now() - t;
	*lines = 0;
	for (ssize_t i = 0; i < len; i++)
		*lines += maps_buf[i] == '\n';
	return t;
}

static double time_vmas(size_t *count)
{
	struct vmx_vmas d = {
		.size = sizeof(d), .pid = getpid(), .entry_size = sizeof(vmas[0]),
		.entries = (uintptr_t)vmas, .max_entries = NVMAS + 256,
	};
	double t = now();

	*count = 0;
	do {
		d.entries = (uintptr_t)(vmas + *count);
		d.max_entries = NVMAS + 256 - *count;
		if (ioctl(fd, VMX_IOC_VMAS, &d) < 0) {
			perror("inspectbench: VMX_IOC_VMAS");
			exit(1);
		}
		*count += d.count;
	} while (d.cursor != info.user_va_end && *count < NVMAS + 256);
	return now() - t;
}

static struct vmx_mt_node nodes[4096];

static double time_mtree(unsigned int *count)
{
	struct vmx_mtree d = {
		.size = sizeof(d), .pid = getpid(), .entry_size = sizeof(nodes[0]),
		.nodes = (uintptr_t)nodes, .max_nodes = 4096,
	};
	double t = now();

	if (ioctl(fd, VMX_IOC_MTREE, &d) < 0 || d.count != d.total) {
		perror("inspectbench: VMX_IOC_MTREE");
		exit(1);
	}
	*count = d.count;
	return now() - t;
}

static double time_resolve(uintptr_t addr)
{
	struct vmx_resolve r = { .size = sizeof(r), .pid = getpid(), .addr = addr };
	double t = now();

	for (int i = 0; i < RESOLVES; i++) {
		if (ioctl(fd, VMX_IOC_RESOLVE, &r) < 0 || r.result != VMX_RESOLVE_MAPPED) {
			perror("inspectbench: VMX_IOC_RESOLVE");
			exit(1);
		}
	}
	return (now() - t) / RESOLVES;
}

int main(int argc, char **argv)
{
	double tm = 1e9, tv = 1e9, tt = 1e9, tr;
	size_t lines = 0, count = 0;
	unsigned int nnodes = 0;
	char *p;

	fd = open(VMX_DEVICE_PATH, O_RDWR);
	if (fd < 0 || ioctl(fd, VMX_IOC_INFO, &info) < 0) {
		perror("inspectbench: /dev/vmx");
		return 1;
	}
	p = mmap(NULL, NVMAS * 4096UL, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("inspectbench: mmap");
		return 1;
	}
	for (size_t i = 0; i < NVMAS; i += 2)
		mprotect(p + i * 4096, 4096, PROT_READ);
	p[4096] = 1;
	for (int i = 0; i < RUNS; i++) {
		double a = time_maps(&lines), b = time_vmas(&count);
		double c = time_mtree(&nnodes);

		tm = a < tm ? a : tm;
		tv = b < tv ? b : tv;
		tt = c < tt ? c : tt;
	}
	tr = time_resolve((uintptr_t)p + 4096);
	printf("inspectbench: %zu VMAs (maps lines %zu), best of %d runs\n", count, lines, RUNS);
	printf("  /proc/self/maps read     %8.2f ms\n", tm * 1e3);
	printf("  VMX_IOC_VMAS listing     %8.2f ms  maps/vmas %.2f\n", tv * 1e3, tm / tv);
	printf("  VMX_IOC_MTREE, %u nodes %8.2f ms  maps/mtree %.2f\n", nnodes, tt * 1e3,
	       tm / tt);
	printf("  VMX_IOC_RESOLVE          %8.2f us per call (mean of %d)\n", tr * 1e6, RESOLVES);
	if (argc > 1 && argv[1][0]) {
		printf("ready %d\n", (int)getpid());
		fflush(stdout);
		for (;;)
			pause();
	}
	return 0;
}
