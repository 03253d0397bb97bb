// SPDX-License-Identifier: GPL-2.0
/*
 * watchbench [MIB]: what one sample of vmxctl watch costs, and why it
 * clears A bits with /proc/PID/clear_refs rather than VMX_IOC_EDIT. On
 * MIB (default 1024) of touched 4K pages of this process, best of 5:
 *   clear_refs          echo 1 > /proc/self/clear_refs, then VMX_IOC_TLB_FLUSH
 *                       (clear_refs 1 flushes nothing; vmxctl watch does)
 *   edit, one flush     VMX_IOC_EDIT clear A per page with NO_FLUSH, then
 *                       one VMX_IOC_TLB_FLUSH (allow_edits=2: an experiment)
 *   edit, each flushed  VMX_IOC_EDIT per page as allow_edits=1 does it,
 *                       timed on 1/64 of the pages and scaled
 *   read, compact       the leaves-only dump watch reads (24-byte records)
 *   read, full          the same with 80-byte records (watch --dirty)
 * Each in ms per GiB. Needs allow_edits=2 for the NO_FLUSH row.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "vmx.h"

#define PG 4096UL
#define RUNS 5

static char *mem;
static size_t pages;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void touch(void)
{
	for (size_t i = 0; i < pages; i++)
		mem[i * PG]++;
}

static int clear_refs(void)
{
	int fd = open("/proc/self/clear_refs", O_WRONLY);
	int ok = fd >= 0 && write(fd, "1", 1) == 1;

	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

static int edit_all(vmx_t *v, const struct vmx_proc *p, size_t step, int flush)
{
	struct vmx_edit out;
	uint64_t flags = flush ? 0 : VMX_EDIT_NO_FLUSH;

	for (size_t i = 0; i < pages; i += step) {
		int ret = vmx_edit(v, p, (uintptr_t)mem + i * PG, 0,
				   VMX_EDIT_ACCESSED, flags, 0, &out);

		if (ret)
			return ret;
	}
	return flush ? 0 : vmx_tlb_flush(v);
}

static int read_all(vmx_t *v, const struct vmx_proc *p, uint64_t flags)
{
	vmx_dump_t *d;
	const void *rec;
	size_t n = 0;
	int ret = vmx_dump_open(v, &d, p, (uintptr_t)mem, (uintptr_t)mem + pages * PG,
				flags | VMX_DUMP_LEAVES);

	if (ret)
		return ret;
	while ((ret = vmx_dump_next(d, &rec)) > 0)
		n++;
	vmx_dump_close(d);
	return ret ? ret : (n == pages ? 0 : -EIO);
}

/* Best of RUNS, in ms per GiB; -1 when the operation failed. */
static double best(vmx_t *v, const struct vmx_proc *p, int what)
{
	double b = 1e30, scale = (double)(1UL << 30) / (double)(pages * PG) * 1e3;

	for (int r = 0; r < RUNS; r++) {
		double t0, t1;
		int ret;

		touch();
		t0 = now();
		switch (what) {
		case 0: ret = clear_refs() ? -1 : vmx_tlb_flush(v); break;
		case 1: ret = edit_all(v, p, 1, 0); break;
		case 2: ret = edit_all(v, p, 64, 1); break;
		case 3: ret = read_all(v, p, VMX_DUMP_COMPACT); break;
		default: ret = read_all(v, p, 0); break;	/* page data: as watch */
		}
		t1 = now();
		if (ret) {
			fprintf(stderr, "watchbench: case %d: %s\n", what, strerror(ret < 0 ? -ret : EIO));
			return -1;
		}
		if (t1 - t0 < b)
			b = t1 - t0;
	}
	return b * scale * (what == 2 ? 64 : 1);
}

int main(int argc, char **argv)
{
	static const char *const names[] = {
		"clear_refs + flush", "edit, one flush", "edit, each flushed",
		"read, compact", "read, full",
	};
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 1024;
	struct vmx_proc p;
	double ms[5];
	vmx_t *v;

	pages = mib * 256;
	mem = mmap(NULL, pages * PG, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	/* 4K pages only: EDIT takes a PTE, and the figures are per 4K leaf. */
	if (!pages || mem == MAP_FAILED || madvise(mem, pages * PG, MADV_NOHUGEPAGE))
		return 1;
	touch();
	if (vmx_open(&v, NULL) || vmx_proc_self(&p)) {
		fprintf(stderr, "watchbench: %s\n", vmx_errmsg());
		return 1;
	}
	printf("watchbench: %zu MiB of 4K pages, ms per GiB, best of %d\n", mib, RUNS);
	for (int i = 0; i < 5; i++) {
		ms[i] = best(v, &p, i);
		printf("watch %-20s %10.1f\n", names[i], ms[i]);
	}
	if (ms[0] > 0 && ms[1] > 0)
		printf("watch edit-one-flush/clear_refs+flush %.2fx\n", ms[1] / ms[0]);
	if (ms[0] > 0 && ms[3] > 0)
		printf("watch sample (clear_refs + flush + compact read) %.1f ms per GiB\n", ms[0] + ms[3]);
	vmx_close(v);
	return 0;
}
