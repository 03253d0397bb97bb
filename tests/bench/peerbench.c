// SPDX-License-Identifier: GPL-2.0
/*
 * peerbench MiB|sparse [hold]: vmx's read paths against the tools a user
 * would pick instead, on the same memory of this process, best of 5 runs:
 * one pread of /proc/self/pagemap (the baseline), PAGEMAP_SCAN (6.7 on),
 * one VMX_IOC_RESOLVE per address (as PTEditor's VM_RESOLVE is used), the
 * floor (the walk alone, in the kernel: tests/bench/floor) and every
 * VMX_IOC_DUMP mode. MiB: that much touched 4K anonymous memory (THP
 * off). sparse: a 64 TiB MAP_NORESERVE reservation with 1,000 touched
 * pages spread over it; pagemap is then timed on a 1 GiB slice and
 * extrapolated (labelled so). Prints a table and "PLOT" lines for the
 * plot. With "hold", prints "ready PID" and waits: the target for
 * vmxctl and page-types end to end (run.sh).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "uapi/vmx.h"

#define RUNS		5
#define PAGE		4096UL
#define SPARSE_LEN	(64ULL << 40)
#define SPARSE_PAGES	1000
#define SLICE		(1ULL << 30)	/* pagemap's slice of the sparse case */
#define RESOLVE_SAMPLE	4096		/* addresses resolved, spread evenly */

/* PAGEMAP_SCAN, as include/uapi/linux/fs.h has it from 6.7 on. */
struct pm_scan_arg {
	uint64_t size, flags, start, end, walk_end, vec, vec_len, max_pages;
	uint64_t category_inverted, category_mask, category_anyof_mask, return_mask;
};

struct page_region {
	uint64_t start, end, categories;
};

#define PAGEMAP_SCAN	_IOWR('f', 16, struct pm_scan_arg)
#define PAGE_IS_PRESENT	(1 << 3)

static int fd, pm;
static char *region;
static uint64_t len, touched;	/* the range, and the pages touched in it */
static void *buf;
static size_t bufsize;
static unsigned long count;	/* what the last run returned */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* pagemap over [region, region + n), in 64 MiB reads (8 bytes a page). */
static double pagemap_range(uint64_t n)
{
	double t = now();

	for (uint64_t off = 0; off < n; off += 64ULL << 20) {
		uint64_t chunk = n - off < (64ULL << 20) ? n - off : 64ULL << 20;
		size_t bytes = chunk / PAGE * 8;

		if (pread(pm, buf, bytes, ((uintptr_t)region + off) / PAGE * 8) != (ssize_t)bytes)
			die("peerbench: pagemap");
	}
	return now() - t;
}

static double run_pagemap(void)
{
	return pagemap_range(len);
}

static double run_pagemap_slice(void)
{
	return pagemap_range(SLICE) * (double)(len / SLICE);
}

/* -1: this kernel has no PAGEMAP_SCAN. */
static double run_scan(void)
{
	struct page_region *vec = buf;
	struct pm_scan_arg a = {
		.size = sizeof(a), .start = (uintptr_t)region,
		.end = (uintptr_t)region + len, .vec = (uintptr_t)vec,
		.vec_len = bufsize / sizeof(*vec),
		.category_mask = PAGE_IS_PRESENT, .return_mask = PAGE_IS_PRESENT,
	};
	double t = now();
	long n;

	count = 0;
	do {
		n = ioctl(pm, PAGEMAP_SCAN, &a);
		if (n < 0) {
			if (errno == ENOTTY || errno == EINVAL)
				return -1;
			die("peerbench: PAGEMAP_SCAN");
		}
		for (long i = 0; i < n; i++)
			count += (vec[i].end - vec[i].start) / PAGE;
		a.start = a.walk_end;
	} while (a.walk_end < a.end);
	return now() - t;
}

static uint64_t nth_touched(uint64_t i)
{
	return (uintptr_t)region + (len == SPARSE_LEN ?
				    i * (SPARSE_LEN / SPARSE_PAGES / PAGE) * PAGE : i * PAGE);
}

static uint64_t resolve_flags;
static size_t resolve_size = sizeof(struct vmx_resolve);

/* One RESOLVE per address, a sample of them: the time per address. */
static double run_resolve(void)
{
	uint64_t n = touched < RESOLVE_SAMPLE ? touched : RESOLVE_SAMPLE;
	struct vmx_resolve r = { .size = resolve_size, .pid = getpid(),
				 .flags = resolve_flags };
	double t = now();

	for (uint64_t i = 0; i < n; i++) {
		r.addr = nth_touched(i * (touched / n));
		if (ioctl(fd, VMX_IOC_RESOLVE, &r) < 0 || r.result != VMX_RESOLVE_MAPPED)
			die("peerbench: VMX_IOC_RESOLVE");
	}
	return (now() - t) / n;
}

/* The cost of any ioctl on /dev/vmx: one the module refuses (ENOTTY). */
static double run_ioctl_floor(void)
{
	uint64_t size = 8;
	double t = now();

	for (int i = 0; i < RESOLVE_SAMPLE; i++)
		if (ioctl(fd, _IOWR(VMX_IOC_MAGIC, 0x7f, uint64_t), &size) == 0)
			die("peerbench: ioctl 0x7f was accepted");
	return (now() - t) / RESOLVE_SAMPLE;
}

static uint64_t dump_flags;

static double run_dump(void)
{
	size_t esize = dump_flags & VMX_DUMP_TABLES ? sizeof(struct vmx_raw_table) :
		       dump_flags & VMX_DUMP_COMPACT ?
		       (dump_flags & VMX_DUMP_NO_PAGE ? sizeof(struct vmx_compact) :
			sizeof(struct vmx_compact_page)) :
		       sizeof(struct vmx_entry);
	struct vmx_dump d = {
		.size = sizeof(d), .flags = dump_flags, .pid = getpid(),
		.entry_size = esize, .start = (uintptr_t)region,
		.end = (uintptr_t)region + len, .entries = (uintptr_t)buf,
		.max_entries = bufsize / esize,
	};
	double t = now();

	count = 0;
	do {
		if (ioctl(fd, VMX_IOC_DUMP, &d) < 0)
			die("peerbench: VMX_IOC_DUMP");
		count += d.count;
	} while (d.cursor != d.end);
	return now() - t;
}

/*
 * The floor: the same walk under the same locks, reading each present
 * entry and nothing more, timed in the kernel by make bench's module
 * (tests/bench/floor). -1 without it.
 */
static double run_floor(void)
{
	char cmd[64], res[64];
	unsigned long long ns;
	int f = open("/sys/kernel/debug/vmx_floor", O_RDWR);
	ssize_t n;

	if (f < 0)
		return -1;
	snprintf(cmd, sizeof(cmd), "%lx %lx", (unsigned long)region,
		 (unsigned long)region + (unsigned long)len);
	if (write(f, cmd, strlen(cmd)) < 0)
		die("peerbench: vmx_floor");
	n = pread(f, res, sizeof(res) - 1, 0);
	close(f);
	if (n <= 0)
		die("peerbench: vmx_floor");
	res[n] = '\0';
	if (sscanf(res, "%llu %lu", &ns, &count) != 2)
		die("peerbench: vmx_floor");
	return ns / 1e9;
}

static double best(double (*f)(void))
{
	double b = 1e30;

	for (int i = 0; i < RUNS; i++) {
		double t = f();

		if (t < 0)
			return t;
		if (t < b)
			b = t;
	}
	return b;
}

static const char *size_name;
static double base;	/* pagemap's time: every ratio's denominator */

/* A row: the time, ns per touched page, the ratio to pagemap. */
static void row(const char *what, double t, const char *note)
{
	if (t < 0) {
		printf("  %-30s %12s  %s\n", what, "n/a", note);
		return;
	}
	printf("  %-30s %10.2f ms %9.1f ns/page %7.2fx  %s\n", what, t * 1e3,
	       t * 1e9 / touched, t / base, note);
	printf("PLOT %s %s %.1f %.3f\n", size_name, what, t * 1e9 / touched, t / base);
}

static void dump_row(const char *what, uint64_t flags, const char *unit)
{
	char note[64];
	double t;

	dump_flags = flags;
	t = best(run_dump);
	snprintf(note, sizeof(note), "%lu %s", count, unit);
	row(what, t, note);
}

int main(int argc, char **argv)
{
	int sparse = argc > 1 && !strcmp(argv[1], "sparse");
	char note[64], name[32];
	double t;

	if (argc < 2) {
		fprintf(stderr, "usage: peerbench MiB|sparse [hold]\n");
		return 2;
	}
	len = sparse ? SPARSE_LEN : strtoull(argv[1], NULL, 0) << 20;
	touched = sparse ? SPARSE_PAGES : len / PAGE;
	region = mmap(NULL, len, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | (sparse ? MAP_NORESERVE : 0), -1, 0);
	/* Room for every page's record, or a 1 GiB slice of pagemap words. */
	bufsize = (sparse ? SLICE / PAGE * 8 : touched * sizeof(struct vmx_entry)) + (1 << 20);
	buf = malloc(bufsize);
	fd = open(VMX_DEVICE_PATH, O_RDWR);
	pm = open("/proc/self/pagemap", O_RDONLY);
	if (region == MAP_FAILED || !buf || fd < 0 || pm < 0)
		die("peerbench: setup");
	madvise(region, len, MADV_NOHUGEPAGE);
	for (uint64_t i = 0; i < touched; i++)
		region[nth_touched(i) - (uintptr_t)region] = 1;

	if (sparse)
		snprintf(name, sizeof(name), "sparse");
	else
		snprintf(name, sizeof(name), "%lluM", (unsigned long long)(len >> 20));
	size_name = name;
	printf("peerbench %s: %llu touched 4K pages in %llu MiB, best of %d runs\n", name,
	       (unsigned long long)touched, (unsigned long long)(len >> 20), RUNS);
	base = best(sparse ? run_pagemap_slice : run_pagemap);
	row("pagemap pread", base, sparse ? "extrapolated from a 1 GiB slice" : "the baseline");
	t = best(run_scan);
	snprintf(note, sizeof(note), "%lu present pages", count);
	row("PAGEMAP_SCAN", t, t < 0 ? "not in this kernel (6.7 on)" : note);
	t = best(run_resolve);
	snprintf(note, sizeof(note), "%.0f ns per call", t * 1e9);
	row("RESOLVE per address", t < 0 ? t : t * touched, note);
	/*
	 * What PTEditor's VM_RESOLVE gives: every level's entry and the
	 * frame, no page data: the struct up to @final.
	 */
	resolve_flags = VMX_RESOLVE_NO_PAGE;
	resolve_size = offsetof(struct vmx_resolve, final);
	t = best(run_resolve);
	snprintf(note, sizeof(note), "%.0f ns per call", t * 1e9);
	row("RESOLVE per address, steps only", t < 0 ? t : t * touched, note);
	t = best(run_ioctl_floor);
	snprintf(note, sizeof(note), "%.0f ns per call: an unknown ioctl", t * 1e9);
	row("ioctl round trip alone", t < 0 ? t : t * touched, note);
	t = best(run_floor);
	snprintf(note, sizeof(note), "%lu present entries, in-kernel time", count);
	row("floor: the walk alone", t, t < 0 ? "no vmx_floor.ko loaded" : note);
	dump_row("dump TABLES", VMX_DUMP_TABLES, "tables");
	dump_row("dump compact records, no page data",
		 VMX_DUMP_LEAVES | VMX_DUMP_COMPACT | VMX_DUMP_NO_PAGE, "records");
	dump_row("dump compact records", VMX_DUMP_LEAVES | VMX_DUMP_COMPACT, "records");
	dump_row("dump records, no page data", VMX_DUMP_LEAVES | VMX_DUMP_NO_PAGE, "records");
	dump_row("dump full records", VMX_DUMP_LEAVES, "records");
	dump_row("dump MERGE", VMX_DUMP_LEAVES | VMX_DUMP_MERGE, "records");
	dump_row("dump MERGE, no page data", VMX_DUMP_LEAVES | VMX_DUMP_MERGE | VMX_DUMP_NO_PAGE,
		 "records");
	dump_row("dump with tables", 0, "records");
	if (argc > 2) {
		printf("ready %d\n", (int)getpid());
		fflush(stdout);
		for (;;)
			pause();
	}
	return 0;
}
