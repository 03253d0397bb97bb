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
#define PM_SOFT_DIRTY	(1ULL << 55)
#define PM_EXCLUSIVE	(1ULL << 56)
#define PM_UFFD_WP	(1ULL << 57)
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

/* What the comparison saw, for the summary line. */
struct seen {
	unsigned long pages, present, swapped, markers, uffd_wp;
	unsigned long soft_dirty, soft_clean;	/* where compared */
	unsigned long pfnmap;	/* leaves pagemap cannot see */
	unsigned long hugetlb_2m, hugetlb_1g;
};

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

/* A VMA from /proc/PID/smaps: bounds, VM_SOFTDIRTY ("sd") and VM_PFNMAP ("pf"). */
struct vma {
	uint64_t start, end;
	int soft_dirty, pfnmap;
};

static int has_flag(const char *flags, const char *f)
{
	for (const char *p = flags; (p = strstr(p, f)); p += 2)
		if ((p == flags || p[-1] == ' ') && (p[2] == ' ' || p[2] == 0))
			return 1;
	return 0;
}

static struct vma *read_smaps(pid_t pid, uint64_t user_end, size_t *n)
{
	char path[64], line[512], flags[512];
	struct vma *v = NULL;
	unsigned long long s, e;
	FILE *f;

	*n = 0;
	snprintf(path, sizeof(path), "/proc/%d/smaps", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f)) {
		/* No field name is hex digits and a dash: this is a VMA's line. */
		if (sscanf(line, "%llx-%llx ", &s, &e) == 2) {
			if (s >= user_end)
				continue;	/* [vsyscall] lives in the kernel half */
			v = realloc(v, (*n + 1) * sizeof(*v));
			if (!v)
				break;
			v[(*n)++] = (struct vma){ s, e, 0, 0 };
		} else if (*n && sscanf(line, "VmFlags: %511[^\n]", flags) == 1) {
			v[*n - 1].soft_dirty = has_flag(flags, "sd");
			v[*n - 1].pfnmap = has_flag(flags, "pf");
		}
	}
	fclose(f);
	return v;
}

/* INFO's VMX_SW_* bits of this kernel: soft-dirty is compared where it exists. */
static uint32_t sw_valid;

/* One page: pagemap's word @pm against the vmx leaf @e covering @a, if any. */
static void compare_page(uint64_t a, uint64_t pm, const struct vmx_entry *e,
			 const struct vma *vma, struct seen *seen)
{
	int mapped = e && (e->kind == VMX_KIND_LEAF || e->kind == VMX_KIND_PROTNONE);

	seen->pages++;
	/*
	 * Soft-dirty: pagemap ORs in the VMA's VM_SOFTDIRTY; without it the
	 * bit is the entry's own, except for hugetlb, where pagemap shows the
	 * VMA's flag alone. Compared where this kernel has the bit.
	 */
	if (!vma->soft_dirty && e && (sw_valid & VMX_SW_SOFT_DIRTY) &&
	    !(e->page & VMX_PAGE_HUGETLB)) {
		if (!!(pm & PM_SOFT_DIRTY) != !!(e->sw & VMX_SW_SOFT_DIRTY))
			mismatch(a, "soft-dirty bit differs", pm, e);
		if (e->sw & VMX_SW_SOFT_DIRTY)
			seen->soft_dirty++;
		else
			seen->soft_clean++;
	}
	if (pm & PM_PRESENT) {
		seen->present++;
		if (!mapped) {
			mismatch(a, "present in pagemap, not in vmx", pm, e);
			return;
		}
		if ((pm & PM_PFN_MASK) != e->pfn + ((a - e->va) >> 12))
			mismatch(a, "frame differs", pm, e);
		if (!!(pm & PM_FILE) != !!(e->page & VMX_PAGE_FILE))
			mismatch(a, "file/shared bit differs", pm, e);
		if (e->mapcount >= 0 && !!(pm & PM_EXCLUSIVE) != (e->mapcount == 1))
			mismatch(a, "exclusive bit differs from mapcount", pm, e);
		if (!!(pm & PM_UFFD_WP) != !!(e->sw & VMX_SW_UFFD_WP))
			mismatch(a, "uffd-wp bit differs", pm, e);
		if (e->sw & VMX_SW_UFFD_WP)
			seen->uffd_wp++;
		if ((e->page & VMX_PAGE_HUGETLB) && e->level == VMX_LEVEL_PMD)
			seen->hugetlb_2m++;
		if ((e->page & VMX_PAGE_HUGETLB) && e->level == VMX_LEVEL_PUD)
			seen->hugetlb_1g++;
	} else if (pm & PM_SWAP) {
		uint64_t type = pm & 0x1f, off = (pm & PM_PFN_MASK) >> 5;

		if (e && e->kind == VMX_KIND_MARKER) {
			/* pagemap gives a marker as a swap entry of the marker type. */
			seen->markers++;
			if (off != e->swap_offset ||
			    !!(pm & PM_UFFD_WP) != !!(e->swap_offset & VMX_MARKER_UFFD_WP))
				mismatch(a, "PTE marker differs", pm, e);
			return;
		}
		seen->swapped++;
		if (!e || e->kind != VMX_KIND_SWAP || e->swap_type != type ||
		    e->swap_offset != off)
			mismatch(a, "swap entry differs", pm, e);
		else if (!!(pm & PM_UFFD_WP) != !!(e->sw & VMX_SW_UFFD_WP))
			mismatch(a, "uffd-wp bit of a swap entry differs", pm, e);
	} else if (mapped || (e && e->kind == VMX_KIND_SWAP)) {
		mismatch(a, "mapped in vmx, not in pagemap", pm, e);
	}
}

/* pagemap words of [a, end), read a chunk at a time. */
#define CHUNK	4096

static void compare_range(int pm, uint64_t a, uint64_t end, const struct leaves *lv,
			  size_t *li, const struct vma *vma, struct seen *seen)
{
	static uint64_t words[CHUNK];

	while (a < end) {
		size_t n = (end - a) / PAGE < CHUNK ? (end - a) / PAGE : CHUNK;

		if (pread(pm, words, n * 8, (a / PAGE) * 8) != (ssize_t)(n * 8)) {
			mismatch(a, "pagemap unreadable", 0, NULL);
			return;
		}
		for (size_t i = 0; i < n; i++, a += PAGE) {
			const struct vmx_entry *e = NULL;

			while (*li < lv->n &&
			       lv->e[*li].va + (lv->e[*li].nr << lv->e[*li].span_shift) <= a)
				(*li)++;
			if (*li < lv->n && lv->e[*li].va <= a)
				e = &lv->e[*li];
			compare_page(a, words[i], e, vma, seen);
		}
	}
}

int pagemap_compare(pid_t pid)
{
	struct vmx_info info = { .size = sizeof(info) };
	struct leaves lv = { 0 }, all = { 0 };
	unsigned long tables = 0, deposits = 0;
	struct seen seen = { 0 };
	struct vma *vmas;
	size_t nvma, li = 0;
	uint64_t prev_end = 0;
	long raw_tables;
	char path[64];
	int fd, pm;

	fd = open(VMX_DEVICE_PATH, O_RDWR);
	if (fd < 0 || ioctl(fd, VMX_IOC_INFO, &info) < 0) {
		perror("vmxtest pagemap: /dev/vmx");
		return 2;
	}
	sw_valid = info.sw_valid;
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
		if ((e->kind == VMX_KIND_LEAF || e->kind == VMX_KIND_PROTNONE) &&
		    e->level == VMX_LEVEL_PMD &&
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
	vmas = read_smaps(pid, info.user_va_end, &nvma);
	if (pm < 0 || !vmas) {
		perror("vmxtest pagemap: /proc");
		return 2;
	}
	for (size_t v = 0; v < nvma; v++) {
		uint64_t start = vmas[v].start, end = vmas[v].end;

		/*
		 * Leaves wholly before this VMA: the last ones of the VMA
		 * before (compare_range() leaves them), or in no VMA smaps
		 * shows.
		 */
		for (; li < lv.n && lv.e[li].va + (lv.e[li].nr << lv.e[li].span_shift) <= start; li++)
			if (lv.e[li].va >= prev_end)
				mismatch(lv.e[li].va, "leaf outside every VMA", 0, &lv.e[li]);
		prev_end = end;
		/*
		 * pagemap's walk skips VM_PFNMAP VMAs (the vDSO's vvar pages,
		 * once the process has read the clock): it shows them as holes.
		 * ptdump is the oracle there.
		 */
		if (vmas[v].pfnmap) {
			for (; li < lv.n && lv.e[li].va < end; li++)
				seen.pfnmap++;
			continue;
		}
		if (end - start <= SAMPLE_LIMIT) {
			compare_range(pm, start, end, &lv, &li, &vmas[v], &seen);
			continue;
		}
		compare_range(pm, start, start + SAMPLE_EDGE, &lv, &li, &vmas[v], &seen);
		/* Nothing may be mapped in the unsampled middle. */
		for (; li < lv.n && lv.e[li].va < end - SAMPLE_EDGE; li++)
			if (lv.e[li].va >= start + SAMPLE_EDGE)
				mismatch(lv.e[li].va, "leaf in the unsampled middle of a huge VMA",
					 0, &lv.e[li]);
		compare_range(pm, end - SAMPLE_EDGE, end, &lv, &li, &vmas[v], &seen);
	}
	for (; li < lv.n; li++)
		if (lv.e[li].va >= prev_end)
			mismatch(lv.e[li].va, "leaf outside every VMA", 0, &lv.e[li]);
	if ((long)tables * 4 != vmpte_kb(pid))
		mismatch(0, "page-table pages differ from VmPTE", tables * 4, NULL);
	if ((raw_tables + (long)deposits) * 4 != vmpte_kb(pid))
		mismatch(0, "tables dump differs from VmPTE", raw_tables * 4, NULL);
	printf("pages=%lu present=%lu swapped=%lu markers=%lu uffd_wp=%lu soft_dirty=%lu "
	       "soft_clean=%lu hugetlb_2m=%lu hugetlb_1g=%lu pfnmap_leaves=%lu leaves=%zu tables_kb=%lu vmpte_kb=%d mismatches=%lu\n",
	       seen.pages, seen.present, seen.swapped, seen.markers, seen.uffd_wp,
	       seen.soft_dirty, seen.soft_clean, seen.hugetlb_2m, seen.hugetlb_1g,
	       seen.pfnmap, lv.n, tables * 4,
	       vmpte_kb(pid), mismatches);
	return mismatches ? 1 : 0;
}
