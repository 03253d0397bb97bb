// SPDX-License-Identifier: GPL-2.0
/*
 * Why clear_refs and not VMX_IOC_EDIT: EDIT changes one PTE per call
 * (about 4 us a call under the locks, so about a second a GiB of 4K
 * pages), while clear_refs walks the whole process in the kernel under
 * one mmap lock and flushes the TLB once. tests/bench/watchbench.c
 * measures both; docs/watch.md has the figures.
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

int watch_clear(pid_t pid, bool dirty)
{
	char path[64];
	int fd, err = 0;

	snprintf(path, sizeof(path), "/proc/%d/clear_refs", (int)pid);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	/*
	 * "4": soft-dirty (write-protecting), then "1": every Accessed bit;
	 * in this order an A bit seen clear means both are done.
	 */
	if ((dirty && write(fd, "4", 1) != 1) || write(fd, "1", 1) != 1)
		err = -errno;
	close(fd);
	return err;
}

static unsigned int level_shift(unsigned int level)
{
	return 12 + 9 * (level - VMX_LEVEL_PTE);
}

struct leaf {
	uint64_t va, bytes;
	bool accessed, written;
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
	uint64_t bytes = hi - lo;

	r->leaves++;
	r->resident += bytes;
	r->accessed += l->accessed ? bytes : 0;
	r->written += l->written ? bytes : 0;
	if (v) {
		v->resident += bytes;
		v->accessed += l->accessed ? bytes : 0;
		v->written += l->written ? bytes : 0;
	}
	if (fn)
		fn(lo, bytes, l->accessed, arg);
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

int watch_read(vmx_t *dev, const struct target *t, uint64_t start,
	       uint64_t end, bool dirty, bool compact, struct watch_read *r,
	       watch_leaf_fn fn, void *arg)
{
	bool full = dirty || !compact;
	struct vmx_proc p = target_proc(t);
	uint64_t flags = VMX_DUMP_LEAVES | VMX_DUMP_NO_PAGE;
	vmx_dump_t *d;
	const void *rec;
	size_t vi = 0;
	int ret;

	memset(r, 0, sizeof(*r));
	ret = read_vmas(dev, &p, start, end, r);
	if (ret)
		return ret;
	if (!full)
		flags |= VMX_DUMP_COMPACT;
	ret = vmx_dump_open(dev, &d, &p, start, end, flags);
	if (ret)
		goto fail;
	while ((ret = vmx_dump_next(d, &rec)) > 0) {
		struct leaf l;

		if (full) {
			const struct vmx_entry *e = rec;

			if (e->kind != VMX_KIND_LEAF)
				continue;
			l.va = e->va;
			l.bytes = 1ULL << e->span_shift;
			l.accessed = e->raw & PTE_ACCESSED;
			l.written = dirty && (e->sw & VMX_SW_SOFT_DIRTY);
		} else {
			const struct vmx_compact *c = rec;

			if (VMX_COMPACT_KIND(c->va_info) != VMX_KIND_LEAF)
				continue;
			l.va = VMX_COMPACT_VA(c->va_info);
			l.bytes = 1ULL << level_shift(VMX_COMPACT_LEVEL(c->va_info));
			l.accessed = c->raw & PTE_ACCESSED;
			l.written = false;
		}
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
