// SPDX-License-Identifier: GPL-2.0
/*
 * Why clear_refs and not VMX_IOC_EDIT: EDIT changes one PTE per call
 * (about a second a GiB of 4K pages under TCG, 38.4x clear_refs), while
 * clear_refs walks the whole process in the kernel under one mmap lock.
 * tests/bench/watchbench.c measures both; docs/watch.md has the figures.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "watch_sample.h"

#define PTE_ACCESSED	(1ULL << 5)
/* What clear_refs skips: its A and soft-dirty bits would never clear. */
#define UNTRACKED	(VMX_PAGE_ZERO | VMX_PAGE_HUGETLB | VMX_PAGE_NO_STRUCT)

int watch_open(pid_t pid)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/clear_refs", (int)pid);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	return fd;
}

int watch_clear(vmx_t *dev, int fd, bool dirty)
{
	/*
	 * "4" before "1": an A bit seen clear means both are done. Type 1
	 * flushes no TLB (fs/proc/task_mmu.c): a translation the TLB keeps
	 * would never set A again, so the flush is ours.
	 */
	if ((dirty && write(fd, "4", 1) != 1) || write(fd, "1", 1) != 1)
		return -errno;
	return vmx_tlb_flush(dev);
}

struct leaf {
	uint64_t va, bytes;
	bool accessed, written, untracked;
};

/* The next VMA that ends above @va (VMAs and leaves both ascend). */
static struct watch_vma *vma_for(struct watch_read *r, size_t *i, uint64_t va)
{
	while (*i < r->nvmas && r->vmas[*i].end <= va)
		(*i)++;
	return *i < r->nvmas && r->vmas[*i].start <= va ? &r->vmas[*i] : NULL;
}

static void count_leaf(struct watch_read *r, size_t *vi, const struct leaf *l,
		       uint64_t start, uint64_t end, watch_leaf_fn fn, void *arg)
{
	uint64_t lo = l->va > start ? l->va : start;
	uint64_t hi = l->va + l->bytes < end ? l->va + l->bytes : end;
	struct watch_vma *v = vma_for(r, vi, lo);
	uint64_t bytes = hi - lo, acc, wr;

	if (v && hi > v->end)
		hi = v->end, bytes = hi - lo;
	acc = l->accessed && !l->untracked ? bytes : 0;
	wr = l->written && !l->untracked ? bytes : 0;
	r->leaves++;
	r->resident += bytes;
	r->accessed += acc;
	r->written += wr;
	r->untracked += l->untracked ? bytes : 0;
	if (v) {
		v->resident += bytes;
		v->accessed += acc;
		v->written += wr;
		v->untracked += l->untracked ? bytes : 0;
	}
	if (fn)
		fn(lo, bytes, acc, arg);
}

static int read_vmas(vmx_t *dev, const struct vmx_proc *p, uint64_t start,
		     uint64_t end, struct watch_read *r)
{
	struct vmx_vma *all;
	size_t n, i;
	int ret = vmx_vmas(dev, p, &all, &n);

	if (ret)
		return ret;
	r->vmas = calloc(n ? n : 1, sizeof(*r->vmas));
	if (!r->vmas) {
		free(all);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		struct watch_vma *w = &r->vmas[r->nvmas];

		if (all[i].end <= start || all[i].start >= end)
			continue;
		w->start = all[i].start;
		w->end = all[i].end;
		w->flags = all[i].flags;
		memcpy(w->name, all[i].name, sizeof(w->name));
		w->name[sizeof(w->name) - 1] = '\0';
		r->nvmas++;
	}
	free(all);
	return 0;
}

/* A record as a leaf; false for what is not a present leaf. */
static bool to_leaf(const void *rec, bool full, struct leaf *l)
{
	unsigned int level, kind, page;
	uint64_t raw;

	if (full) {
		const struct vmx_entry *e = rec;

		level = e->level;
		kind = e->kind;
		raw = e->raw;
		page = e->page;
		l->va = e->va;
		l->written = e->sw & VMX_SW_SOFT_DIRTY;
	} else {
		const struct vmx_compact_page *c = rec;

		level = VMX_COMPACT_LEVEL(c->c.va_info);
		kind = VMX_COMPACT_KIND(c->c.va_info);
		raw = c->c.raw;
		page = c->page;
		l->va = VMX_COMPACT_VA(c->c.va_info);
		l->written = false;
	}
	if (kind != VMX_KIND_LEAF || level < VMX_LEVEL_PTE || level > VMX_LEVEL_PUD)
		return false;
	l->bytes = 1ULL << (12 + 9 * (level - VMX_LEVEL_PTE));
	l->accessed = raw & PTE_ACCESSED;
	l->untracked = page & UNTRACKED;
	return true;
}

int watch_read(vmx_t *dev, const struct target *t, uint64_t start,
	       uint64_t end, bool dirty, bool compact, struct watch_read *r,
	       watch_leaf_fn fn, void *arg)
{
	struct vmx_proc p = target_proc(t);
	bool full = dirty || !compact;
	uint64_t flags = VMX_DUMP_LEAVES | (full ? 0 : VMX_DUMP_COMPACT);
	vmx_dump_t *d;
	const void *rec;
	size_t vi = 0;
	int ret;

	memset(r, 0, sizeof(*r));
	ret = read_vmas(dev, &p, start, end, r);
	if (ret)
		return ret;
	ret = vmx_dump_open(dev, &d, &p, start, end, flags);
	if (ret)
		goto fail;
	while ((ret = vmx_dump_next(d, &rec)) > 0) {
		struct leaf l;

		if (!to_leaf(rec, full, &l))
			continue;
		if (!dirty)
			l.written = false;
		count_leaf(r, &vi, &l, start, end, fn, arg);
	}
	vmx_dump_close(d);
	if (!ret)
		return 0;
fail:
	watch_read_free(r);
	return ret;
}

void watch_read_free(struct watch_read *r)
{
	free(r->vmas);
	r->vmas = NULL;
	r->nvmas = 0;
}
