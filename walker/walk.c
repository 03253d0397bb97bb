// SPDX-License-Identifier: GPL-2.0
/*
 * VMX_IOC_DUMP's slices: the records of a range, VMA by VMA, as ops over
 * the one page-table walk (pt_walk.c, which has the locking of the tables).
 * The mmap lock is held in read mode, and dropped only between two VMAs,
 * when a slice has run too long; every record lies inside the VMA it was
 * found in, whose tables munmap cannot free under the read lock.
 */
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/sched/signal.h>

#include "vmx_arch.h"
#include "vmx_priv.h"
#include "pt_walk.h"
#include "walk.h"

/* Records are ordered by (address, level from the root down). */
static bool vmx_key_before(unsigned long va, unsigned int level,
			   unsigned long kva, unsigned int klevel)
{
	return va < kva || (va == kva && level > klevel);
}

static unsigned long vmx_rec_va(const struct vmx_walk *w,
				const struct vmx_rec *r)
{
	return max_t(unsigned long, r->e.va, w->start);
}

/* Stop the slice: the next slice goes on at @r. */
static void vmx_stop_at(struct vmx_walk *w, const struct vmx_rec *r)
{
	w->key_va = vmx_rec_va(w, r);
	w->key_level = r->e.level;
}

/* Compact record @i of the buffer, of either size. */
static struct vmx_compact *vmx_compact_at(struct vmx_walk *w, unsigned int i)
{
	if (w->flags & VMX_DUMP_NO_PAGE)
		return &w->compact[i];
	return &w->cpage[i].c;
}

static bool vmx_push(struct vmx_walk *w, const struct vmx_rec *r)
{
	if (w->n == w->cap) {
		vmx_stop_at(w, r);
		return false;
	}
	if (w->flags & VMX_DUMP_COMPACT) {
		struct vmx_compact *c = vmx_compact_at(w, w->n++);

		c->va_info = VMX_COMPACT_INFO(r->e.va, r->e.level, r->e.kind);
		c->raw = r->e.raw;
		if (!(w->flags & VMX_DUMP_NO_PAGE)) {
			((struct vmx_compact_page *)c)->page = r->e.page;
			((struct vmx_compact_page *)c)->mapcount = r->e.mapcount;
		}
	} else {
		w->buf[w->n++] = *r;
	}
	w->last_va = vmx_rec_va(w, r);
	w->last_level = r->e.level;
	w->has_last = true;
	return true;
}

static bool vmx_flush_run(struct vmx_walk *w)
{
	if (!w->run_open)
		return true;
	if (!vmx_push(w, &w->run))
		return false;
	w->run_open = false;
	return true;
}

/* The kinds a run is made of: leaves, and PROT_NONE entries (frames kept). */
static bool vmx_run_kind(unsigned int kind)
{
	return kind == VMX_KIND_LEAF || kind == VMX_KIND_PROTNONE;
}

/*
 * Whether @e continues the run: same kind, next frame, same bits. A run of
 * the shared zero page maps that one frame again and again: its frame stays.
 * Only where the record says "zero" (not with NO_PAGE), or a reader could
 * not tell it from a run of next frames.
 */
static bool vmx_run_extends(const struct vmx_rec *run, const struct vmx_rec *rec)
{
	const struct vmx_entry *r = &run->e, *e = &rec->e;
	bool zero = (r->page & VMX_PAGE_ZERO) && is_zero_pfn(r->pfn);
	u64 pages = zero ? 0 : r->nr << (r->span_shift - PAGE_SHIFT);

	return vmx_run_kind(e->kind) && e->kind == r->kind &&
	       e->level == r->level && rec->vma_start == run->vma_start &&
	       e->va == r->va + (r->nr << r->span_shift) &&
	       e->pfn == r->pfn + pages &&
	       vmx_arch_entry_flags(e->raw) == vmx_arch_entry_flags(r->raw) &&
	       e->sw == r->sw && e->page == r->page && e->pkey == r->pkey;
}

/* Hand one record to the slice; false when the slice must end. */
static bool vmx_emit(struct vmx_walk *w, struct vmx_rec *r)
{
	const struct vmx_entry *e = &r->e;
	unsigned long va = vmx_rec_va(w, r);

	if (vmx_key_before(va, e->level, w->key_va, w->key_level))
		return true;	/* returned by an earlier slice */
	if (w->has_last && !vmx_key_before(w->last_va, w->last_level, va, e->level))
		return true;	/* met again from the next VMA */
	if (e->kind == VMX_KIND_TABLE && (w->flags & VMX_DUMP_LEAVES))
		return true;
	if (!(w->flags & VMX_DUMP_MERGE))
		return vmx_push(w, r);

	if (w->run_open && vmx_run_extends(&w->run, r)) {
		w->run.e.nr++;
		if (w->run.e.refcount != e->refcount)
			w->run.e.refcount = -1;
		if (w->run.e.mapcount != e->mapcount)
			w->run.e.mapcount = -1;
		return true;
	}
	if (!vmx_flush_run(w))
		return false;
	if (!vmx_run_kind(e->kind))
		return vmx_push(w, r);
	if (w->n == w->cap) {
		vmx_stop_at(w, r);
		return false;
	}
	w->run = *r;
	w->run_open = true;
	return true;
}

/*
 * A slice ends once it has used up its time, so that the mmap lock is never
 * held for long, even where it finds nothing to return; it never ends where
 * it began, so every slice makes progress.
 */
static bool vmx_out_of_time(struct vmx_walk *w, unsigned long va,
			    unsigned int level, unsigned int shift)
{
	unsigned long kva = max(va, w->start);
	unsigned int klevel = level;

	/*
	 * Only at the start of an entry's span: where a VMA begins inside
	 * it, the entry itself may have been returned already.
	 */
	if (va & ((1UL << shift) - 1))
		return false;
	if (!time_after(jiffies, w->deadline))
		return false;
	/* An open run is built again by the next slice, from its start. */
	if (w->run_open) {
		kva = vmx_rec_va(w, &w->run);
		klevel = w->run.e.level;
	}
	/* Never where the slice began: it would begin there again. */
	if (!w->n && !vmx_key_before(w->key_va, w->key_level, kva, klevel))
		return false;
	/* Never at or before what it returned: it would come again. */
	if (w->has_last && !vmx_key_before(w->last_va, w->last_level, kva, klevel))
		return false;
	w->run_open = false;
	w->key_va = kva;
	w->key_level = klevel;
	return true;
}

/* Leaves never straddle a VMA: the one being walked holds @r. */
static void vmx_fill_vma(struct vmx_walk *w, struct vmx_rec *r)
{
	r->vma_start = w->vma->vm_start;
	r->vma_end = w->vma->vm_end;
	r->vm_flags = w->vma->vm_flags;
}

static void vmx_decode_final(struct vmx_walk *w, struct vmx_entry *e,
			     int level, unsigned long raw, bool present,
			     unsigned long pfn)
{
	vmx_decode_entry(e, w->vma->vm_flags,
			 present && !(w->flags & VMX_DUMP_NO_PAGE) ? w->vma : NULL,
			 level, raw, present, pfn);
}

/* A leaf or non-present entry at any level: decode it and hand it on. */
static bool vmx_emit_final(struct vmx_walk *w, unsigned long va, int level,
			   int shift, unsigned long raw, u64 entry_pa,
			   bool present, unsigned long pfn)
{
	struct vmx_rec r;

	if (w->flags & VMX_DUMP_TABLES)
		return true;	/* whole tables only */
	vmx_entry_init(&r.e, va, level, shift, raw);
	r.e.entry_pa = entry_pa;
	vmx_fill_vma(w, &r);
	vmx_decode_final(w, &r.e, level, raw, present, pfn);
	return vmx_emit(w, &r);
}

/*
 * The bulk of any dump, kept short: PTE records straight into the buffer.
 * They need neither the resume-key nor the duplicate test of vmx_emit(),
 * as the walk starts at the key and meets each PTE once. Not for merges.
 */
static bool vmx_emit_ptes(struct vmx_walk *w, pte_t *ptep, unsigned long addr,
			  unsigned long end)
{
	unsigned int n = w->n;
	struct vmx_rec *r;
	bool go_on = true;

	for (; addr != end; ptep++, addr += PAGE_SIZE) {
		pte_t pte = ptep_get(ptep);
		unsigned long raw = pte_val(pte);

		if (pte_none(pte))
			continue;
		if (w->n == w->cap) {
			w->key_va = addr;
			w->key_level = VMX_LEVEL_PTE;
			go_on = false;
			break;
		}
		r = &w->buf[w->n++];
		*r = w->tmpl;
		r->e.va = addr;
		r->e.raw = raw;
		r->e.raw_kernel = raw;
		r->e.entry_pa = __pa(ptep);
		vmx_decode_final(w, &r->e, VMX_LEVEL_PTE, raw, pte_present(pte),
				 pte_present(pte) ? pte_pfn(pte) : 0);
		w->last_va = addr;
	}
	if (w->n != n) {
		w->last_level = VMX_LEVEL_PTE;
		w->has_last = true;
	}
	return go_on;
}

/* A present PTE's page facts, as a full record gets them. */
static void vmx_compact_page_info(struct vmx_walk *w, struct vmx_compact_page *cp,
				  pte_t pte)
{
	s32 refcount;

	cp->page = vmx_page_facts(w->vma, pte_pfn(pte), VMX_LEVEL_PTE,
				  pte_special(pte), &refcount, &cp->mapcount);
}

/*
 * VMX_DUMP_COMPACT's PTE records: the kind from the entry alone, and the
 * page facts if asked, nothing else decoded. The loop the bulk of a
 * compact dump runs through.
 */
static bool vmx_emit_compact_ptes(struct vmx_walk *w, pte_t *ptep,
				  unsigned long addr, unsigned long end)
{
	bool page_data = !(w->flags & VMX_DUMP_NO_PAGE);
	size_t stride = page_data ? sizeof(struct vmx_compact_page) :
				    sizeof(struct vmx_compact);
	char *next = (char *)vmx_compact_at(w, w->n);
	unsigned int n = w->n;
	unsigned long last = 0;
	bool go_on = true;

	for (; addr != end; ptep++, addr += PAGE_SIZE) {
		pte_t pte = ptep_get(ptep);
		unsigned int kind = VMX_KIND_LEAF;
		struct vmx_compact *c;

		if (pte_none(pte))
			continue;
		if (n == w->cap) {
			w->key_va = addr;
			w->key_level = VMX_LEVEL_PTE;
			go_on = false;
			break;
		}
		c = (struct vmx_compact *)next;
		next += stride;
		n++;
		if (!pte_present(pte)) {
			struct vmx_entry e = { };

			vmx_decode_nonpresent(&e, pte_val(pte));
			kind = e.kind;
		} else if (!vmx_arch_raw_present(pte_val(pte))) {
			kind = VMX_KIND_PROTNONE;
		}
		c->va_info = VMX_COMPACT_INFO(addr, VMX_LEVEL_PTE, kind);
		c->raw = pte_val(pte);
		if (page_data) {
			struct vmx_compact_page *cp = (struct vmx_compact_page *)c;

			if (pte_present(pte)) {
				vmx_compact_page_info(w, cp, pte);
			} else {
				cp->page = 0;
				cp->mapcount = -1;
			}
		}
		last = addr;
	}
	if (n != w->n) {
		w->n = n;
		w->last_va = last;
		w->last_level = VMX_LEVEL_PTE;
		w->has_last = true;
	}
	return go_on;
}

/* A table entry lies in no one VMA: its record names none. */
static bool vmx_emit_table(struct vmx_walk *w, const struct vmx_pt_entry *pe,
			   unsigned long va)
{
	struct vmx_rec r = { };

	if (w->flags & VMX_DUMP_TABLES)
		return true;	/* whole tables only */
	vmx_entry_init(&r.e, va, pe->level, pe->shift, pe->raw);
	r.e.raw_kernel = pe->raw_kernel;
	r.e.entry_pa = pe->entry_pa;
	r.e.kind = VMX_KIND_TABLE;
	r.e.pfn = vmx_arch_entry_pa(pe->raw) >> PAGE_SHIFT;
	return vmx_emit(w, &r);
}

/*
 * MERGE's common case without building a record: whether present @pte at
 * @addr continues the open run, as vmx_run_extends() would say of its
 * record, and if so the run takes it. Equal bits outside the frame mean
 * the same kind, software bits and protection key (NUMA_HINT depends on
 * the VMA's flags, compared too: after a relock an mprotect may have
 * merged another VMA into the run's, at the same start). The resume key and duplicate tests of
 * vmx_emit() hold: the run was opened in this slice, before @addr.
 */
static bool vmx_run_takes_pte(struct vmx_walk *w, unsigned long addr, pte_t pte)
{
	struct vmx_entry *r = &w->run.e;
	unsigned long pfn = pte_pfn(pte);
	s32 refcount = -1, mapcount = -1;
	bool zero;

	if (!w->run_open || r->level != VMX_LEVEL_PTE ||
	    w->run.vma_start != w->vma->vm_start ||
	    w->run.vm_flags != w->vma->vm_flags ||
	    addr != r->va + (r->nr << PAGE_SHIFT) ||
	    vmx_arch_entry_flags(pte_val(pte)) != vmx_arch_entry_flags(r->raw))
		return false;
	zero = (r->page & VMX_PAGE_ZERO) && is_zero_pfn(r->pfn);
	if (pfn != r->pfn + (zero ? 0 : r->nr))
		return false;
	if (!(w->flags & VMX_DUMP_NO_PAGE) &&
	    vmx_page_facts(w->vma, pfn, VMX_LEVEL_PTE, pte_special(pte),
			   &refcount, &mapcount) != r->page)
		return false;
	r->nr++;
	if (r->refcount != refcount)
		r->refcount = -1;
	if (r->mapcount != mapcount)
		r->mapcount = -1;
	return true;
}

static bool vmx_merge_ptes(struct vmx_walk *w, pte_t *ptep, unsigned long addr,
			   unsigned long end)
{
	for (; addr != end; ptep++, addr += PAGE_SIZE) {
		pte_t pte = ptep_get(ptep);

		if (pte_none(pte))
			continue;
		if (pte_present(pte) && vmx_run_takes_pte(w, addr, pte))
			continue;
		if (!vmx_emit_final(w, addr, VMX_LEVEL_PTE, PAGE_SHIFT,
				    pte_val(pte), __pa(ptep), pte_present(pte),
				    pte_present(pte) ? pte_pfn(pte) : 0))
			return false;
	}
	return true;
}

/*
 * VMX_DUMP_TABLES: the table at @table, whose entries are of @level and
 * cover from @va, as one record, once. Called each time the walk enters the
 * table, under the lock that serialises its entries for PTE tables; entries
 * of upper tables change only from none to a table, or under the mmap lock
 * in write mode, so a READ_ONCE() of each is a consistent copy.
 */
static bool vmx_emit_raw_table(struct vmx_walk *w, unsigned long va,
			       int level, const void *table, const void *src,
			       unsigned int nr)
{
	unsigned long kva = max(va, w->start);
	const u64 *from = src;
	struct vmx_raw_table *t;
	unsigned int i;

	if (vmx_key_before(kva, level, w->key_va, w->key_level))
		return true;
	if (w->has_last && !vmx_key_before(w->last_va, w->last_level, kva, level))
		return true;
	if (w->n == w->cap) {
		w->key_va = kva;
		w->key_level = level;
		return false;
	}
	t = &w->tables[w->n++];
	t->va_level = va | level;
	t->pfn = __pa(table) >> PAGE_SHIFT;
	/*
	 * A PTE table comes under its lock, where only the MMU's Accessed and
	 * Dirty updates (bits of the lowest byte) race with us: a plain copy
	 * cannot tear an entry, and is twice as fast as one read per entry.
	 */
	if (level == VMX_LEVEL_PTE)
		memcpy(t->entries, from, nr * sizeof(u64));
	else
		for (i = 0; i < nr; i++)
			t->entries[i] = READ_ONCE(from[i]);
	memset(&t->entries[nr], 0, (VMX_TABLE_ENTRIES - nr) * sizeof(u64));
	w->last_va = kva;
	w->last_level = level;
	w->has_last = true;
	return true;
}

/* DUMP's ops: records (or raw tables) into the slice's buffer. */
static int vmx_dump_table(struct vmx_pt_walk *pw, int level, unsigned long va,
			  const void *table, const void *user, unsigned int nr)
{
	struct vmx_walk *w = pw->priv;

	if (!(w->flags & VMX_DUMP_TABLES))
		return 0;
	return vmx_emit_raw_table(w, va, level, table, user, nr) ? 0 : VMX_PT_STOP;
}

/* The slice's time is checked at PUD and PMD entries (1 in 512 empty ones). */
static int vmx_dump_entry(struct vmx_pt_walk *pw, const struct vmx_pt_entry *e)
{
	if (e->level != VMX_LEVEL_PUD && e->level != VMX_LEVEL_PMD)
		return 0;
	return vmx_out_of_time(pw->priv, e->addr, e->level, e->shift) ?
	       VMX_PT_STOP : 0;
}

static unsigned long vmx_entry_base(const struct vmx_pt_entry *e)
{
	return e->addr & ~((1UL << e->shift) - 1);
}

static int vmx_dump_descend(struct vmx_pt_walk *pw, const struct vmx_pt_entry *e)
{
	return vmx_emit_table(pw->priv, e, vmx_entry_base(e)) ? 0 : VMX_PT_STOP;
}

static int vmx_dump_leaf(struct vmx_pt_walk *pw, const struct vmx_pt_entry *e)
{
	return vmx_emit_final(pw->priv, vmx_entry_base(e), e->level, e->shift,
			      e->raw, e->entry_pa, e->present, e->pfn) ?
	       0 : VMX_PT_STOP;
}

static int vmx_dump_ptes(struct vmx_pt_walk *pw, pte_t *start_pte,
			 pmd_t pmdval, unsigned long addr, unsigned long end)
{
	struct vmx_walk *w = pw->priv;
	bool go_on;

	if (w->flags & VMX_DUMP_TABLES) {
		pte_t *table = start_pte - pte_index(addr);

		go_on = vmx_emit_raw_table(w, addr & PMD_MASK, VMX_LEVEL_PTE,
					   table, table, PTRS_PER_PTE);
	} else if (w->flags & VMX_DUMP_MERGE) {
		go_on = vmx_merge_ptes(w, start_pte, addr, end);
	} else if (w->flags & VMX_DUMP_COMPACT) {
		go_on = vmx_emit_compact_ptes(w, start_pte, addr, end);
	} else {
		go_on = vmx_emit_ptes(w, start_pte, addr, end);
	}
	return go_on ? 0 : VMX_PT_STOP;
}

static const struct vmx_pt_ops vmx_dump_ops = {
	.table = vmx_dump_table,
	.entry = vmx_dump_entry,
	.descend = vmx_dump_descend,
	.leaf = vmx_dump_leaf,
	.ptes = vmx_dump_ptes,
	.fatal_signal_stops = true,
	/* An empty entry is no record, and no place the slice must stop. */
	.skip_none = true,
};

/*
 * Many small VMAs without tables offer the slice no place to stop (the
 * upper entries over the next VMA may not have been returned yet): let go
 * of the mmap lock between two VMAs instead, and find the next one again.
 * False when a fatal signal came while waiting for the lock.
 */
static bool vmx_relock(struct vmx_walk *w)
{
	u64 now = ktime_get_ns();

	mmap_read_unlock(w->mm);
	vmx_stats_lock_held(now - w->locked_at);
	cond_resched();
	if (mmap_read_lock_killable(w->mm)) {
		w->unlocked = true;
		return false;
	}
	w->locked_at = ktime_get_ns();
	w->deadline = jiffies + w->slice;
	return true;
}

int vmx_walk(struct vmx_walk *w)
{
	struct vmx_pt_walk pw = { .ops = &vmx_dump_ops, .priv = w, .mm = w->mm };
	unsigned long addr = max(w->key_va, w->start) & PAGE_MASK;
	struct vm_area_struct *vma;
	struct vma_iterator vmi;

	mmap_assert_locked(w->mm);
	vma_iter_init(&vmi, w->mm, addr);
	w->done = false;
	w->has_last = false;
	w->unlocked = false;
	for_each_vma_range(vmi, vma, w->end) {
		int ret;

		if (time_after(jiffies, w->deadline)) {
			/*
			 * Go on from here: the VMA found again may begin
			 * before (merged with the one just walked).
			 */
			addr = max(vma->vm_start, addr);
			if (fatal_signal_pending(current))
				return -EINTR;
			if (!vmx_relock(w))
				return -EINTR;
			vma_iter_init(&vmi, w->mm, addr);
			vma = vma_find(&vmi, w->end);
			if (!vma)
				break;
		}
		w->vma = vma;
		vmx_entry_init(&w->tmpl.e, 0, VMX_LEVEL_PTE, PAGE_SHIFT, 0);
		vmx_fill_vma(w, &w->tmpl);
		ret = vmx_pt_walk(&pw, vma, max(vma->vm_start, addr),
				  min(vma->vm_end, w->end));
		if (ret) {
			if (fatal_signal_pending(current))
				return -EINTR;
			return 0;
		}
	}
	if (!vmx_flush_run(w))
		return 0;
	w->done = true;
	return 0;
}

#if IS_ENABLED(CONFIG_KUNIT)
EXPORT_SYMBOL_GPL(vmx_walk);
#endif
