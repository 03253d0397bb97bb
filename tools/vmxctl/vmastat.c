// SPDX-License-Identifier: GPL-2.0
/*
 * The VMAs of a process and, for each, the leaves and tables of its page
 * tables: a list from VMX_IOC_VMAS, then one VMX_IOC_DUMP whose records
 * are added to the VMA they belong to.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dumploop.h"
#include "vmastat.h"
#include "vmflags.h"

#define DUMP_BATCH	4096

int vmas_read(vmx_t *dev, const struct target *t, struct vma_stat **out,
	      size_t *n)
{
	struct vmx_proc proc = target_proc(t);
	struct vma_stat *v;
	struct vmx_vma *list;
	int ret;

	ret = vmx_vmas(dev, &proc, &list, n);
	if (ret)
		return -ret;
	v = calloc(*n ? *n : 1, sizeof(*v));
	if (!v) {
		free(list);
		return ENOMEM;
	}
	for (size_t i = 0; i < *n; i++)
		v[i].v = list[i];
	free(list);
	*out = v;
	return 0;
}

/* The first VMA whose end lies above @addr: the one holding it, or the next. */
static size_t first_ending_above(const struct vma_stat *v, size_t n, uint64_t addr)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid].v.end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * The VMA of the list holding all of record @e, or NULL: the list, read
 * before the dump, may miss a VMA the target made or changed since.
 */
static struct vma_stat *vma_holding(struct vma_stat *v, size_t n,
				    const struct vmx_entry *e)
{
	size_t i = first_ending_above(v, n, e->va);
	uint64_t end = e->va + (e->nr << e->span_shift);

	return i < n && v[i].v.start <= e->va && end <= v[i].v.end ? &v[i] : NULL;
}

/* The level of the table an entry of @level points to. */
static unsigned int child_level(unsigned int level, unsigned int levels)
{
	if (level == VMX_LEVEL_PGD && levels != 5)
		return VMX_LEVEL_PUD;	/* 4-level: the P4D is folded */
	return level - 1;
}

/* A table serves every VMA its span touches: count it for each. */
static void add_table(const struct vmx_entry *e, unsigned int levels,
		      struct vma_stat *v, size_t n)
{
	unsigned int child;
	uint64_t end;

	if (e->level <= VMX_LEVEL_PTE || e->level > VMX_LEVEL_PGD ||
	    e->span_shift < 12 || e->span_shift > 57)
		return;	/* nothing a walk can point to from there */
	child = child_level(e->level, levels);
	end = e->va + (1ULL << e->span_shift);
	for (size_t i = first_ending_above(v, n, e->va); i < n && v[i].v.start < end; i++)
		v[i].tables[child]++;
}

/* A present leaf that vm_normal_page() would not give smaps a page for. */
static int no_normal_page(const struct vmx_entry *e)
{
	if (e->sw & (VMX_SW_SPECIAL | VMX_SW_DEVMAP))
		return 1;	/* zero page, PFN and DAX maps: special PTEs */
	return (e->page & VMX_PAGE_VALID) &&
	       (e->page & (VMX_PAGE_ZERO | VMX_PAGE_HUGE_ZERO | VMX_PAGE_NO_STRUCT));
}

static void add_record(const struct vmx_entry *e, struct vma_stat *s)
{
	/* nr > 1 only for merged runs; shifts past 63 only from a broken module. */
	uint64_t bytes = e->span_shift < 64 ? e->nr << e->span_shift : 0;
	int idx = leaf_size_index(e->span_shift);

	switch (e->kind) {
	case VMX_KIND_LEAF:
	case VMX_KIND_PROTNONE:
		if (idx >= 0)
			s->leaves[idx] += e->nr;
		s->resident += bytes;
		if (no_normal_page(e))
			s->no_page_bytes += bytes;
		else if (e->kind == VMX_KIND_PROTNONE && e->level > VMX_LEVEL_PTE)
			s->protnone_huge_bytes += bytes;
		break;
	case VMX_KIND_SWAP:
		s->swap_entries += e->nr;
		s->swap_bytes += bytes;
		break;
	case VMX_KIND_MIGRATION_READ:
	case VMX_KIND_MIGRATION_READ_EXCLUSIVE:
	case VMX_KIND_MIGRATION_WRITE:
	case VMX_KIND_DEVICE_PRIVATE_READ:
	case VMX_KIND_DEVICE_PRIVATE_WRITE:
	case VMX_KIND_DEVICE_EXCLUSIVE:
	case VMX_KIND_HWPOISON:
		s->other_entries += e->nr;
		s->pfn_entry_bytes += bytes;
		break;
	default:	/* markers, unknown */
		s->other_entries += e->nr;
	}
}

struct account {
	const struct vmx_info *in;
	struct vma_stat *v;
	size_t n;
	uint64_t stray;
};

static int account_batch(const void *recs, uint32_t n, uint64_t cursor,
			 void *ctx)
{
	struct account *c = ctx;

	(void)cursor;
	for (uint32_t i = 0; i < n; i++) {
		const struct vmx_entry *e = (const struct vmx_entry *)recs + i;
		struct vma_stat *s;

		if (e->kind == VMX_KIND_TABLE) {
			add_table(e, c->in->levels, c->v, c->n);
			continue;
		}
		s = vma_holding(c->v, c->n, e);
		if (s)
			add_record(e, s);
		else
			c->stray += e->nr;
	}
	return 0;
}

int vmas_account(vmx_t *dev, const struct target *t, const struct vmx_info *in,
		 uint64_t dump_flags, struct vma_stat *v, size_t n,
		 uint64_t *stray)
{
	struct account c = { .in = in, .v = v, .n = n };
	struct dump_loop l = {
		.flags = dump_flags, .t = t, .start = 0,
		.end = in->user_va_end, .cap = DUMP_BATCH,
		.batch = account_batch, .ctx = &c,
	};
	int err = -dump_loop(dev, &l);

	*stray = c.stray;
	return err;
}

int vma_is_hugetlb(const struct vma_stat *s)
{
	return s->v.flags & VMX_VMA_HUGETLB;
}

/*
 * fs/proc/task_mmu.c of 6.12: smaps_account() adds a page to Rss for each
 * present PTE or PMD for which vm_normal_page{,_pmd}() finds a page, and
 * for each migration, device or hwpoison entry (is_pfn_swap_entry());
 * hugetlb VMAs go to smaps_hugetlb_range(), which counts only
 * Shared_Hugetlb and Private_Hugetlb.
 */
uint64_t vma_rss(const struct vma_stat *s)
{
	if (vma_is_hugetlb(s))
		return 0;
	return s->resident - s->no_page_bytes + s->pfn_entry_bytes;
}

uint64_t vma_hugetlb_bytes(const struct vma_stat *s)
{
	if (!vma_is_hugetlb(s))
		return 0;
	return s->resident + s->pfn_entry_bytes;
}
