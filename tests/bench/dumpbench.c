// SPDX-License-Identifier: GPL-2.0
/*
 * dumpbench [MiB] [hold]: how fast VMX_IOC_DUMP reads page tables, against one
 * read of /proc/self/pagemap over the same range, in the same process.
 * Touches MiB (default 1024) of 4K anonymous pages (THP off for the range),
 * then times, best of 5 runs each: pagemap; the dump with raw tables only
 * (VMX_DUMP_TABLES: whole page tables, 8 bytes per entry as pagemap's);
 * full records; and merged records.
 * Prints the times and the ratios pagemap / dump. With "hold", it then
 * prints "ready PID" and waits, as a target for timing vmxctl itself.
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

#define RUNS	5

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int fd, pm;
static char *region;
static size_t len, pages, bufsize;
static void *buf;

static double time_pagemap(void)
{
	double t = now();

	if (pread(pm, buf, pages * 8, ((uintptr_t)region / 4096) * 8) != (ssize_t)(pages * 8)) {
		perror("dumpbench: pagemap");
		exit(1);
	}
	return now() - t;
}

static double time_dump(uint64_t flags, unsigned long *records)
{
	size_t esize = flags & VMX_DUMP_TABLES ? sizeof(struct vmx_raw_table) :
		       sizeof(struct vmx_entry);
	struct vmx_dump d = {
		.size = sizeof(d), .flags = flags, .pid = getpid(),
		.entry_size = esize,
		.start = (uintptr_t)region, .end = (uintptr_t)region + len,
		.entries = (uintptr_t)buf, .max_entries = bufsize / esize,
	};
	double t = now();

	*records = 0;
	do {
		if (ioctl(fd, VMX_IOC_DUMP, &d) < 0) {
			perror("dumpbench: VMX_IOC_DUMP");
			exit(1);
		}
		*records += d.count;
	} while (d.cursor != d.end);
	return now() - t;
}

static double best(double (*f)(void))
{
	double b = 1e9;

	for (int i = 0; i < RUNS; i++) {
		double t = f();

		if (t < b)
			b = t;
	}
	return b;
}

static unsigned long nrec;
static double raw_run(void) { return time_dump(VMX_DUMP_TABLES, &nrec); }
static double full_run(void) { return time_dump(VMX_DUMP_LEAVES, &nrec); }
static double merge_run(void) { return time_dump(VMX_DUMP_LEAVES | VMX_DUMP_MERGE, &nrec); }

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 1024;
	double tp, tr, tf, tm;
	unsigned long nr, nf, nm;

	len = mib << 20;
	pages = len / 4096;
	region = mmap(NULL, len, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	bufsize = (pages + 1024) * sizeof(struct vmx_entry);
	buf = malloc(bufsize);
	fd = open(VMX_DEVICE_PATH, O_RDWR);
	pm = open("/proc/self/pagemap", O_RDONLY);
	if (region == MAP_FAILED || !buf || fd < 0 || pm < 0) {
		perror("dumpbench: setup");
		return 1;
	}
	madvise(region, len, MADV_NOHUGEPAGE);
	for (size_t i = 0; i < len; i += 4096)
		region[i] = 1;

	tp = best(time_pagemap);
	tr = best(raw_run);
	nr = nrec;
	tf = best(full_run);
	nf = nrec;
	tm = best(merge_run);
	nm = nrec;
	printf("dumpbench: %zu MiB of 4K anon pages (%zu pages), best of %d runs\n",
	       mib, pages, RUNS);
	printf("  pagemap read            %8.2f ms\n", tp * 1e3);
	printf("  dump raw tables         %8.2f ms  %7lu tables   pagemap/dump %.2f\n",
	       tr * 1e3, nr, tp / tr);
	printf("  dump full records       %8.2f ms  %7lu records  pagemap/dump %.2f\n",
	       tf * 1e3, nf, tp / tf);
	printf("  dump merged             %8.2f ms  %7lu records  pagemap/dump %.2f\n",
	       tm * 1e3, nm, tp / tm);
	if (argc > 2) {
		printf("ready %d\n", (int)getpid());
		fflush(stdout);
		for (;;)
			pause();
	}
	return 0;
}
