// SPDX-License-Identifier: GPL-2.0
/*
 * vmxtest pagemap PID: every page of every VMA of PID, as VMX_IOC_DUMP
 * sees it, against /proc/PID/pagemap and /proc/PID/status (VmPTE), which
 * the kernel computes on its own; and the whole tables of VMX_DUMP_TABLES
 * against both. Prints a summary line and each mismatch;
 * exit status 0 only without mismatches.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "uapi/vmx.h"
#include "vmxtest.h"

#define PM_PFN_MASK	((1ULL << 55) - 1)
#define PM_EXCLUSIVE	(1ULL << 56)
#define PM_FILE		(1ULL << 61)
#define PM_SWAP		(1ULL << 62)
#define PM_PRESENT	(1ULL << 63)
#define PAGE		4096ULL
/*
 * pagemap costs 8 bytes a page: a 64 TiB reservation would be 128 GiB of
 * reads. Pages of VMAs above this size are checked at both ends only; vmx
 * must report no leaves in the rest (pagemap reads only between the ends).
 */
#define SAMPLE_LIMIT	(1ULL << 30)
#define SAMPLE_EDGE	(1ULL << 20)

struct leaves {
	struct vmx_entry *e;
	size_t n, cap;
};

static int dump_all(int fd, pid_t pid, uint64_t end, uint64_t flags,
		    struct leaves *out)
{
	struct vmx_entry buf[512];
	struct vmx_dump d = {
		.size = sizeof(d), .flags = flags, .pid = pid,
		.entry_size = sizeof(struct vmx_entry), .start = 0, .end = end,
		.entries = (uintptr_t)buf, .max_entries = 512,
	};

	do {
		if (ioctl(fd, VMX_IOC_DUMP, &d) < 0)
			return -errno;
		if (out->n + d.count > out->cap) {
			out->cap = (out->n + d.count) * 2;
			out->e = realloc(out->e, out->cap * sizeof(*out->e));
			if (!out->e)
				return -ENOMEM;
		}
		memcpy(out->e + out->n, buf, d.count * sizeof(*buf));
		out->n += d.count;
	} while (d.cursor != d.end);
	return 0;
}

static unsigned long mismatches;

static void mismatch(uint64_t addr, const char *what, uint64_t pm,
		     const struct vmx_entry *e)
{
	if (++mismatches <= 20)
		printf("mismatch at 0x%" PRIx64 ": %s (pagemap 0x%" PRIx64
		       ", vmx kind %d pfn 0x%" PRIx64 " raw 0x%" PRIx64 ")\n",
		       addr, what, pm, e ? e->kind : -1,
		       e ? (uint64_t)e->pfn : 0, e ? (uint64_t)e->raw : 0);
}

/*
 * VMX_DUMP_TABLES: the PUD, PMD and PTE tables it returns (VmPTE's count,
 * less the deposited ones), and each leaf's raw value at its index in the
 * table of its level.
 */
static long check_tables(int fd, pid_t pid, uint64_t end, const struct leaves *lv)
{
	static struct vmx_raw_table buf[64];
	struct vmx_raw_table *t = NULL;
	size_t n = 0;
	long count = 0;
	struct vmx_dump d = {
		.size = sizeof(d), .flags = VMX_DUMP_TABLES, .pid = pid,
		.entry_size = sizeof(struct vmx_raw_table), .start = 0, .end = end,
		.entries = (uintptr_t)buf, .max_entries = 64,
	};

	do {
		if (ioctl(fd, VMX_IOC_DUMP, &d) < 0)
			return -errno;
		t = realloc(t, (n + d.count) * sizeof(*t));
		if (!t)
			return -ENOMEM;
		memcpy(t + n, buf, d.count * sizeof(*buf));
		n += d.count;
	} while (d.cursor != d.end);
	for (size_t i = 0; i < n; i++) {
		unsigned int level = t[i].va_level & VMX_RAW_LEVEL_MASK;

		if (level <= VMX_LEVEL_PUD)
			count++;
	}
	for (size_t i = 0; i < lv->n; i++) {
		const struct vmx_entry *e = &lv->e[i];
		size_t j;

		for (j = 0; j < n; j++) {
			uint64_t base = t[j].va_level & ~VMX_RAW_LEVEL_MASK;

			if ((t[j].va_level & VMX_RAW_LEVEL_MASK) == e->level &&
			    e->va >= base && (e->va - base) >> e->span_shift < VMX_TABLE_ENTRIES)
				break;
		}
		if (j == n)
			mismatch(e->va, "leaf without its table in the tables dump", 0, e);
		else if (t[j].entries[(e->va >> e->span_shift) % VMX_TABLE_ENTRIES] != e->raw)
			mismatch(e->va, "leaf differs from its table's entry", 0, e);
	}
	free(t);
	return count;
}

static int vmpte_kb(pid_t pid)
{
	char path[64], line[256];
	int kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmPTE: %d kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

int pagemap_compare(pid_t pid)
{
	struct vmx_info info = { .size = sizeof(info) };
	struct leaves lv = { 0 }, all = { 0 };
	unsigned long pages = 0, present = 0, swapped = 0, tables = 0, deposits = 0;
	long raw_tables;
	char path[64], line[512];
	size_t li = 0;
	int fd, pm;
	FILE *maps;

	fd = open(VMX_DEVICE_PATH, O_RDWR);
	if (fd < 0 || ioctl(fd, VMX_IOC_INFO, &info) < 0) {
		perror("vmxtest pagemap: /dev/vmx");
		return 2;
	}
	if (dump_all(fd, pid, info.user_va_end, VMX_DUMP_LEAVES, &lv) ||
	    dump_all(fd, pid, info.user_va_end, 0, &all)) {
		perror("vmxtest pagemap: VMX_IOC_DUMP");
		return 2;
	}
	/*
	 * VmPTE counts PUD, PMD and PTE tables: the entries pointing at them,
	 * plus the PTE table the kernel deposits beside each anonymous PMD
	 * leaf (THP or huge zero page) so that it can split it later.
	 */
	for (size_t i = 0; i < all.n; i++) {
		const struct vmx_entry *e = &all.e[i];
		int pud_parent = info.levels == 5 ? VMX_LEVEL_P4D : VMX_LEVEL_PGD;

		if (e->kind == VMX_KIND_TABLE &&
		    (e->level == VMX_LEVEL_PMD || e->level == VMX_LEVEL_PUD ||
		     e->level == pud_parent))
			tables++;
		if (e->kind == VMX_KIND_LEAF && e->level == VMX_LEVEL_PMD &&
		    (e->page & (VMX_PAGE_ANON | VMX_PAGE_HUGE_ZERO)) &&
		    !(e->page & VMX_PAGE_HUGETLB))
			deposits++;
	}
	tables += deposits;
	raw_tables = check_tables(fd, pid, info.user_va_end, &lv);
	if (raw_tables < 0) {
		errno = -raw_tables;
		perror("vmxtest pagemap: VMX_IOC_DUMP tables");
		return 2;
	}

	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	pm = open(path, O_RDONLY);
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	maps = fopen(path, "r");
	if (pm < 0 || !maps) {
		perror("vmxtest pagemap: /proc");
		return 2;
	}
	while (fgets(line, sizeof(line), maps)) {
		unsigned long long start, end;

		if (sscanf(line, "%llx-%llx", &start, &end) != 2 ||
		    start >= info.user_va_end)
			continue;	/* [vsyscall] lives in the kernel half */
		/* Leaves wholly before this VMA belong to no VMA. */
		while (li < lv.n && lv.e[li].va + (lv.e[li].nr << lv.e[li].span_shift) <= start) {
			if (lv.e[li].vma_start == 0)
				mismatch(lv.e[li].va, "leaf outside every VMA", 0, &lv.e[li]);
			li++;
		}
		for (uint64_t a = start; a < end; a += PAGE) {
			const struct vmx_entry *e = NULL;
			uint64_t v;

			if (end - start > SAMPLE_LIMIT && a == start + SAMPLE_EDGE) {
				/* Skip to the far edge; nothing may be mapped between. */
				while (li < lv.n && lv.e[li].va < end - SAMPLE_EDGE) {
					if (lv.e[li].va >= a)
						mismatch(lv.e[li].va, "leaf in the unsampled middle of a huge VMA",
							 0, &lv.e[li]);
					li++;
				}
				a = end - SAMPLE_EDGE;
			}

			while (li < lv.n && lv.e[li].va + (1ULL << lv.e[li].span_shift) <= a)
				li++;
			if (li < lv.n && lv.e[li].va <= a)
				e = &lv.e[li];
			if (pread(pm, &v, sizeof(v), (a / PAGE) * 8) != sizeof(v)) {
				mismatch(a, "pagemap unreadable", 0, e);
				continue;
			}
			pages++;
			if (v & PM_PRESENT) {
				uint64_t want;

				present++;
				if (!e || (e->kind != VMX_KIND_LEAF &&
					   e->kind != VMX_KIND_PROTNONE)) {
					mismatch(a, "present in pagemap, not in vmx", v, e);
					continue;
				}
				want = e->pfn + ((a - e->va) >> 12);
				if ((v & PM_PFN_MASK) != want)
					mismatch(a, "frame differs", v, e);
				if (!!(v & PM_FILE) != !!(e->page & VMX_PAGE_FILE))
					mismatch(a, "file/shared bit differs", v, e);
				if (e->mapcount >= 0 &&
				    !!(v & PM_EXCLUSIVE) != (e->mapcount == 1))
					mismatch(a, "exclusive bit differs from mapcount", v, e);
			} else if (v & PM_SWAP) {
				uint64_t type = v & 0x1f, off = (v & PM_PFN_MASK) >> 5;

				swapped++;
				if (!e || e->kind != VMX_KIND_SWAP || e->swap_type != type ||
				    e->swap_offset != off)
					mismatch(a, "swap entry differs", v, e);
			} else if (e && (e->kind == VMX_KIND_LEAF ||
					 e->kind == VMX_KIND_PROTNONE ||
					 e->kind == VMX_KIND_SWAP)) {
				mismatch(a, "mapped in vmx, not in pagemap", v, e);
			}
		}
	}
	for (; li < lv.n; li++)
		if (lv.e[li].vma_start == 0)
			mismatch(lv.e[li].va, "leaf outside every VMA", 0, &lv.e[li]);
	if ((long)tables * 4 != vmpte_kb(pid))
		mismatch(0, "page-table pages differ from VmPTE", tables * 4, NULL);
	if ((raw_tables + (long)deposits) * 4 != vmpte_kb(pid))
		mismatch(0, "tables dump differs from VmPTE", raw_tables * 4, NULL);
	printf("pages=%lu present=%lu swapped=%lu leaves=%zu tables_kb=%lu vmpte_kb=%d mismatches=%lu\n",
	       pages, present, swapped, lv.n, tables * 4, vmpte_kb(pid), mismatches);
	return mismatches ? 1 : 0;
}
