// SPDX-License-Identifier: GPL-2.0
/*
 * ptdump_compare(PID, FILE): the present leaves VMX_IOC_DUMP reports for
 * PID against the kernel's own x86 ptdump of the same tables
 * (/sys/kernel/debug/page_tables/current_user; current_kernel has the same
 * user half), which the target read into FILE itself before it stopped:
 * it must fault nothing in between (prefault its buffers), or the two differ.
 *
 * Why the checks are exact: note_page() in arch/x86/mm/dump_pagetables.c
 * ends a line on any change of level or of the raw flags (val &
 * PTE_FLAGS_MASK: A, D, software and pkey bits too) or effective
 * protection, so a present line of size S at level L is exactly S/size(L)
 * present leaves of L, and two neighbouring lines may print the same flags.
 * ptdump ignores VMAs and merges across their boundaries while vmx walks
 * VMA by VMA; counting leaves by address makes that irrelevant, and the
 * kernel zaps entries before their VMA goes, so a present user entry
 * outside every VMA (which vmx cannot show) is a fault worth reporting.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "uapi/vmx.h"
#include "vmxtest.h"

#define X86_P		(1ULL << 0)
#define X86_RW		(1ULL << 1)
#define X86_US		(1ULL << 2)
#define X86_PWT		(1ULL << 3)
#define X86_PCD		(1ULL << 4)
#define X86_PSE		(1ULL << 7)	/* pmd and up */
#define X86_PAT		(1ULL << 7)	/* pte */
#define X86_G		(1ULL << 8)
#define X86_PAT_LARGE	(1ULL << 12)	/* pmd, pud */
#define X86_NX		(1ULL << 63)

/* One ptdump line of the user half. */
struct range {
	uint64_t start, end;
	uint64_t bits;		/* the X86_* it shows; X86_P when present */
	unsigned int level;	/* VMX_LEVEL_* */
	uint64_t leaves;	/* vmx leaves of that level inside */
};

static const char *const level_name[] = {
	"?", [VMX_LEVEL_PTE] = "pte", "pmd", "pud", "p4d", "pgd",
};
static unsigned long mismatches;

/* What printk_prot() shows of an entry of a level. */
static uint64_t shown_bits(unsigned int level)
{
	uint64_t m = X86_P | X86_RW | X86_US | X86_PWT | X86_PCD | X86_G | X86_NX;

	if (level == VMX_LEVEL_PTE)
		return m | X86_PAT;
	return m | X86_PSE | (level <= VMX_LEVEL_PUD ? X86_PAT_LARGE : 0);
}

/*
 * "0x%016lx-0x%016lx   %9lu%c " (the size guards the parse), then tokens,
 * not columns: USR, RW or ro, PWT, PCD, PSE, PAT, GLB, NX or x, each shown
 * or blank, and the level last; a line not present has the level only.
 * PAT is read as bit 12, and moved to bit 7 if the level says pte.
 */
static int parse_line(const char *line, struct range *r)
{
	static const struct { const char *s; uint64_t bit; unsigned int level; } tok[] = {
		{ "USR", X86_US, 0 }, { "RW", X86_RW | X86_P, 0 }, { "ro", X86_P, 0 },
		{ "PWT", X86_PWT, 0 }, { "PCD", X86_PCD, 0 }, { "PSE", X86_PSE, 0 },
		{ "PAT", X86_PAT_LARGE, 0 }, { "GLB", X86_G, 0 }, { "NX", X86_NX, 0 },
		{ "x", X86_P, 0 }, { "pte", 0, VMX_LEVEL_PTE }, { "pmd", 0, VMX_LEVEL_PMD },
		{ "pud", 0, VMX_LEVEL_PUD }, { "p4d", 0, VMX_LEVEL_P4D },
		{ "pgd", 0, VMX_LEVEL_PGD },
	};
	static const char units[] = "BKMGTPE";
	unsigned long long start, end, size;
	char unit, flags[256], *t, *save;
	const char *u;
	size_t i;
	int off = 0;

	if (sscanf(line, "0x%llx-0x%llx %llu%c%n", &start, &end, &size, &unit, &off) != 4 ||
	    !off || !unit || !(u = strchr(units, unit)) ||
	    size << 10 * (u - units) != end - start || end <= start)
		return -1;
	*r = (struct range){ .start = start, .end = end };
	snprintf(flags, sizeof(flags), "%s", line + off);
	for (t = strtok_r(flags, " \n", &save); t; t = strtok_r(NULL, " \n", &save)) {
		for (i = 0; i < sizeof(tok) / sizeof(tok[0]) && strcmp(t, tok[i].s); i++)
			;
		if (i == sizeof(tok) / sizeof(tok[0]) || r->level)
			return -1;	/* unknown, or after the level */
		r->bits |= tok[i].bit;
		r->level = tok[i].level;
	}
	if (!r->level || (r->bits && !(r->bits & X86_P)))
		return -1;
	if (r->level == VMX_LEVEL_PTE && r->bits & X86_PSE)
		return -1;	/* never shown at pte */
	if (r->level == VMX_LEVEL_PTE && r->bits & X86_PAT_LARGE)
		r->bits ^= X86_PAT_LARGE | X86_PAT;
	return 0;
}

/* The lines of the user half, in address order; NULL and a message if not. */
static struct range *read_ptdump(const char *file, uint64_t user_end, size_t *n)
{
	struct range *r = NULL, *grown;
	unsigned int lineno = 0;
	char line[512];
	size_t cap = 0;
	FILE *f = fopen(file, "r");

	*n = 0;
	if (!f) {
		perror(file);
		return NULL;
	}
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (strncmp(line, "0x", 2) || strtoull(line, NULL, 16) >= user_end)
			continue;	/* "---[ User Space ]---", the kernel half */
		if (*n == cap) {
			grown = realloc(r, (cap = cap * 2 + 256) * sizeof(*r));
			if (!grown) {
				perror(file);
				goto fail;
			}
			r = grown;
		}
		if (parse_line(line, &r[*n]) || (*n && r[*n].start < r[*n - 1].end)) {
			fprintf(stderr, "%s:%u: not ptdump, or out of order: %s", file, lineno, line);
			goto fail;
		}
		(*n)++;
	}
	if (!ferror(f) && *n) {
		fclose(f);
		return r;
	}
	fprintf(stderr, "%s: %s\n", file, ferror(f) ? "read error" : "no user-space lines");
fail:
	fclose(f);
	free(r);
	return NULL;
}

/* Every present leaf of [0, end), in address order. */
static int dump_leaves(int fd, pid_t pid, uint64_t end, struct vmx_entry **out, size_t *n)
{
	struct vmx_entry buf[512];
	struct vmx_dump d = {
		.size = sizeof(d), .flags = VMX_DUMP_LEAVES | VMX_DUMP_NO_PAGE,
		.pid = pid, .entry_size = sizeof(struct vmx_entry), .start = 0,
		.end = end, .entries = (uintptr_t)buf, .max_entries = 512,
	};
	size_t cap = 0;

	do {
		if (ioctl(fd, VMX_IOC_DUMP, &d) < 0)
			return -errno;
		if (*n + d.count > cap) {
			cap = (*n + d.count) * 2;
			*out = realloc(*out, cap * sizeof(**out));
			if (!*out)
				return -ENOMEM;
		}
		/* PROTNONE, SWAP, MARKER and the like: not present to the MMU. */
		for (uint32_t i = 0; i < d.count; i++)
			if (buf[i].kind == VMX_KIND_LEAF)
				(*out)[(*n)++] = buf[i];
	} while (d.cursor != d.end);
	return 0;
}

static void mismatch(uint64_t addr, const char *what, const struct range *r,
		     const struct vmx_entry *e)
{
	if (++mismatches > 20)
		return;
	printf("mismatch at 0x%llx: %s", (unsigned long long)addr, what);
	if (r)
		printf(" (ptdump 0x%llx-0x%llx %s bits 0x%llx, vmx leaves %llu)",
		       (unsigned long long)r->start, (unsigned long long)r->end,
		       level_name[r->level], (unsigned long long)r->bits,
		       (unsigned long long)r->leaves);
	if (e)
		printf(" (vmx %s raw 0x%llx)", level_name[e->level <= VMX_LEVEL_PGD ? e->level : 0],
		       (unsigned long long)e->raw);
	printf("\n");
}

/*
 * (1) Each leaf lies in a present line of its level that shows its bits.
 * A merge walk: both lists are in address order (the leaves' is checked).
 */
static size_t check_leaves(const struct vmx_entry *lv, size_t nlv, struct range *pt, size_t npt)
{
	size_t r = 0, checked = 0;
	uint64_t prev_end = 0;

	for (size_t i = 0; i < nlv; i++) {
		const struct vmx_entry *e = &lv[i];
		uint64_t end = e->va + (e->nr << e->span_shift);
		struct range *p;

		if (e->va < prev_end) {
			mismatch(e->va, "vmx leaves out of address order", NULL, e);
			r = 0;	/* walk again from the start */
		}
		prev_end = end;
		while (r < npt && pt[r].end <= e->va)
			r++;
		if (r == npt || pt[r].start > e->va) {
			mismatch(e->va, "vmx leaf in no ptdump line", NULL, e);
			continue;
		}
		p = &pt[r];
		checked++;
		if (!(p->bits & X86_P) || p->level != e->level) {
			mismatch(e->va, "vmx leaf not present at its level in ptdump", p, e);
			continue;
		}
		p->leaves += e->nr;
		if (end > p->end)
			mismatch(e->va, "vmx leaf runs past its ptdump line", p, e);
		else if ((e->raw & shown_bits(e->level)) != p->bits)
			mismatch(e->va, "flags differ", p, e);
	}
	return checked;
}

/* (2) Each present line holds as many vmx leaves as pages it covers. */
static size_t check_ranges(const struct range *pt, size_t npt)
{
	size_t present = 0;

	for (const struct range *p = pt; p < pt + npt; p++) {
		if (!(p->bits & X86_P))
			continue;
		present++;
		if (!p->leaves)
			mismatch(p->start, "present in ptdump, no vmx leaf", p, NULL);
		else if (p->leaves != (p->end - p->start) >> (12 + 9 * (p->level - 1)))
			mismatch(p->start, "vmx leaves differ from the line's pages", p, NULL);
	}
	return present;
}

int ptdump_compare(pid_t pid, const char *ptdump_file)
{
	struct vmx_info info = { .size = sizeof(info) };
	struct vmx_entry *lv = NULL;
	size_t npt, nlv = 0, checked, present;
	struct range *pt;
	int fd, err;

	fd = open(VMX_DEVICE_PATH, O_RDWR);
	if (fd < 0 || ioctl(fd, VMX_IOC_INFO, &info) < 0) {
		perror("ptdump_compare: /dev/vmx");
		return 2;
	}
	pt = read_ptdump(ptdump_file, info.user_va_end, &npt);
	err = pt ? dump_leaves(fd, pid, info.user_va_end, &lv, &nlv) : 0;
	close(fd);
	if (!pt || err) {
		errno = -err;
		if (err)
			perror("ptdump_compare: VMX_IOC_DUMP");
		free(pt);
		free(lv);
		return 2;
	}
	mismatches = 0;
	checked = check_leaves(lv, nlv, pt, npt);
	present = check_ranges(pt, npt);
	printf("ptdump ranges=%zu present_ranges=%zu leaves=%zu checked_leaves=%zu mismatches=%lu\n",
	       npt, present, nlv, checked, mismatches);
	free(pt);
	free(lv);
	return mismatches ? 1 : 0;
}
