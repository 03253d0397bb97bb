// SPDX-License-Identifier: GPL-2.0
/* Two snapshots compared entry by entry (see snapdiff.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "snapdiff.h"
#include "x86_bits.h"

const char *change_name(enum change c)
{
	static const char *const names[CH_NR] = {
		[CH_MAPPED] = "mapped", [CH_UNMAPPED] = "unmapped",
		[CH_FRAME] = "frame", [CH_FLAGS] = "flags", [CH_KIND] = "kind",
		[CH_VALUE] = "value",
		[CH_TABLE_ADDED] = "table-added", [CH_TABLE_FREED] = "table-freed",
		[CH_TABLE_MOVED] = "table-moved",
	};

	return c < CH_NR ? names[c] : "?";
}

static uint64_t span(const struct vmx_entry *e)
{
	return 1ULL << e->span_shift;
}

static bool present_leaf(const struct vmx_entry *e)
{
	return e && e->kind == VMX_KIND_LEAF;
}

/* Dump order: address up, then the higher level first (the walk's). */
static int order(const struct vmx_entry *a, const struct vmx_entry *b)
{
	if (a->va != b->va)
		return a->va < b->va ? -1 : 1;
	if (a->level != b->level)
		return a->level > b->level ? -1 : 1;
	return 0;
}

static const struct vmx_vma *vma_of(const struct snapshot *s, uint64_t va)
{
	size_t lo = 0, hi = s->h.nvmas;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->vmas[mid].end <= va)
			lo = mid + 1;
		else if (s->vmas[mid].start > va)
			hi = mid;
		else
			return &s->vmas[mid];
	}
	return NULL;
}

/*
 * The hardware's bits of an entry: those x86_bits names, and the
 * protection key. Software bits move as the kernel likes (SavedDirty
 * when RW is cleared): they are compared as the module decodes them.
 */
static uint64_t flag_bits(const struct vmx_entry *e)
{
	uint64_t mask = 0xfULL << 59;	/* PKEY */

	for (int b = 0; b < 64; b++)
		if (x86_bit_name(b, e->level, e->kind == VMX_KIND_LEAF))
			mask |= 1ULL << b;
	return e->raw & mask;
}

static int add(struct snapdiff *d, const struct change_run *c)
{
	struct change_run *last = d->nruns ? &d->runs[d->nruns - 1] : NULL;

	/* Neighbours that changed alike make one run. */
	if (last && last->what == c->what && last->level == c->level &&
	    last->end == c->start && last->set == c->set &&
	    last->cleared == c->cleared && last->sw_set == c->sw_set &&
	    last->sw_cleared == c->sw_cleared && last->kind_a == c->kind_a &&
	    last->kind_b == c->kind_b && last->vma == c->vma) {
		last->end = c->end;
		last->entries++;
		return 0;
	}
	if (d->nruns == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 256;
		struct change_run *r = realloc(d->runs, cap * sizeof(*r));

		if (!r)
			return -ENOMEM;
		d->runs = r;
		d->cap = cap;
	}
	d->runs[d->nruns++] = *c;
	return 0;
}

static int classify(struct snapdiff *d, const struct snapshot *sa,
		    const struct snapshot *sb, const struct vmx_entry *a,
		    const struct vmx_entry *b)
{
	const struct vmx_entry *e = b ? b : a;
	struct change_run c = {
		.level = e->level, .start = e->va, .end = e->va + span(e),
		.entries = 1, .kind_a = a ? a->kind : 0, .kind_b = b ? b->kind : 0,
		.pfn_a = a ? a->pfn : 0, .pfn_b = b ? b->pfn : 0,
	};
	bool ta = a && a->kind == VMX_KIND_TABLE, tb = b && b->kind == VMX_KIND_TABLE;
	int ret;

	c.vma = vma_of(sb, e->va);
	if (!c.vma)
		c.vma = vma_of(sa, e->va);
	if (a && b && a->raw == b->raw && a->sw == b->sw)
		return 0;
	/* A table that came or went, and what the entry holds instead. */
	if (ta != tb) {
		struct change_run t = c;

		t.what = ta ? CH_TABLE_FREED : CH_TABLE_ADDED;
		t.kind_a = t.kind_b = 0;
		t.pfn_a = t.pfn_b = 0;
		d->count[t.what]++;
		if (e->level > VMX_LEVEL_PTE)	/* by the table's level */
			d->tables[t.what][e->level - VMX_LEVEL_PTE - 1]++;
		ret = add(d, &t);
		if (ret)
			return ret;
		if (ta)
			a = NULL;
		else
			b = NULL;
		if (!a && !b)
			return 0;
		c.kind_a = a ? a->kind : 0;
		c.kind_b = b ? b->kind : 0;
		c.pfn_a = a ? a->pfn : 0;
		c.pfn_b = b ? b->pfn : 0;
	}
	if (ta && tb) {
		c.what = CH_TABLE_MOVED;
		if (e->level > VMX_LEVEL_PTE)
			d->tables[c.what][e->level - VMX_LEVEL_PTE - 1]++;
	} else if (present_leaf(a) && present_leaf(b) && a->span_shift == b->span_shift) {
		uint64_t fa = flag_bits(a), fb = flag_bits(b);

		c.what = a->pfn != b->pfn ? CH_FRAME : CH_FLAGS;
		c.set = fb & ~fa;
		c.cleared = fa & ~fb;
		c.sw_set = b->sw & ~a->sw;
		c.sw_cleared = a->sw & ~b->sw;
		c.kind_a = c.kind_b = 0;
		if (c.what == CH_FLAGS)
			c.pfn_a = c.pfn_b = 0;
	} else if (present_leaf(b) && (!a || !present_leaf(a))) {
		c.what = a ? CH_KIND : CH_MAPPED;
	} else if (present_leaf(a) && !b) {
		c.what = CH_UNMAPPED;
		c.level = a->level;
		c.start = a->va;
		c.end = a->va + span(a);
	} else if (a && b && a->kind == b->kind) {
		c.what = CH_VALUE;
	} else {
		c.what = CH_KIND;	/* swap, migration, markers, sizes */
	}
	if (c.what == CH_MAPPED || c.what == CH_UNMAPPED) {
		c.kind_a = c.kind_b = 0;
		c.pfn_a = c.pfn_b = 0;
	}
	d->count[c.what]++;
	d->bytes[c.what] += c.end - c.start;
	return add(d, &c);
}

static int vmas_diff(struct snapdiff *d, const struct snapshot *a,
		     const struct snapshot *b)
{
	size_t i = 0, j = 0;

	d->vmas = calloc(a->h.nvmas + b->h.nvmas + 1, sizeof(*d->vmas));
	if (!d->vmas)
		return -ENOMEM;
	while (i < a->h.nvmas || j < b->h.nvmas) {
		const struct vmx_vma *va = i < a->h.nvmas ? &a->vmas[i] : NULL;
		const struct vmx_vma *vb = j < b->h.nvmas ? &b->vmas[j] : NULL;
		struct vma_diff *v = &d->vmas[d->nvmas];

		if (va && vb && va->start == vb->start && va->end == vb->end) {
			i++, j++;
			if (va->flags == vb->flags && va->vm_flags == vb->vm_flags &&
			    !strcmp(va->name, vb->name))
				continue;
			*v = (struct vma_diff){ VMA_CHANGED, va, vb };
		} else if (va && (!vb || va->start < vb->start ||
				  (va->start == vb->start && va->end < vb->end))) {
			*v = (struct vma_diff){ VMA_REMOVED, va, NULL };
			i++;
		} else {
			*v = (struct vma_diff){ VMA_ADDED, NULL, vb };
			j++;
		}
		d->vma_count[v->what]++;
		d->nvmas++;
	}
	return 0;
}

int snapdiff(const struct snapshot *a, const struct snapshot *b,
	     struct snapdiff *d)
{
	uint64_t i = 0, j = 0;
	int ret;

	memset(d, 0, sizeof(*d));
	ret = vmas_diff(d, a, b);
	while (!ret && (i < a->h.nentries || j < b->h.nentries)) {
		const struct vmx_entry *ea = i < a->h.nentries ? &a->e[i] : NULL;
		const struct vmx_entry *eb = j < b->h.nentries ? &b->e[j] : NULL;
		int o = !ea ? 1 : !eb ? -1 : order(ea, eb);

		if (o < 0) {
			ret = classify(d, a, b, ea, NULL);
			i++;
		} else if (o > 0) {
			ret = classify(d, a, b, NULL, eb);
			j++;
		} else {
			ret = classify(d, a, b, ea, eb);
			i++, j++;
		}
	}
	if (ret)
		snapdiff_free(d);
	return ret;
}

void snapdiff_free(struct snapdiff *d)
{
	free(d->runs);
	free(d->vmas);
	d->runs = NULL;
	d->vmas = NULL;
}
