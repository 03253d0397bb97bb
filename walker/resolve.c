// SPDX-License-Identifier: GPL-2.0
/*
 * The translation of one address, level by level as the MMU performs it,
 * for VMX_IOC_RESOLVE and VMX_IOC_PEEK. User addresses are walked as ops
 * over pt_walk.c, with its locking; kernel addresses are read without
 * locks, as lookup_address() (which gives the final answer for them) reads
 * them itself.
 */
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/sched.h>
#include <asm/pgtable_types.h>

#include "vmx_arch.h"
#include "vmx_compat.h"
#include "vmx_priv.h"
#include "pt_walk.h"
#include "walk.h"

static void vmx_add_step(struct vmx_resolve *r, int level, u64 table_pa,
			 unsigned int index, u64 entry, u64 entry_kernel)
{
	struct vmx_step *s = &r->steps[r->nr_steps++];

	s->level = level;
	s->table_pa = table_pa;
	s->index = index;
	s->entry = entry;
	s->entry_kernel = entry_kernel;
}

/* The walk met an empty entry at its last step. */
static void vmx_end_none(struct vmx_resolve *r)
{
	r->result = VMX_RESOLVE_NONE;
}

/*
 * A frame PEEK may read: one with a struct page the kernel refcounts, or a
 * vmx window's, pinned by its slot for as long as the entry exists. Other
 * PFN mappings (device memory) are never read.
 */
static bool vmx_readable_frame(struct vm_area_struct *vma,
			       const struct vmx_entry *e, unsigned long pfn)
{
	if (!vma || !(e->page & VMX_PAGE_VALID))
		return false;
	if (vmx_vma_is_window(vma))
		return pfn_valid(pfn);
	return !(e->page & VMX_PAGE_NO_STRUCT);
}

/*
 * The last entry: a leaf or a non-present one, read under the lock that
 * serialises it. With @pagep, a present leaf's struct page comes back with
 * a reference, so that its frame can be read after the locks are dropped.
 */
static void vmx_end_final(struct vmx_resolve *r, struct vm_area_struct *vma,
			  int level, int shift, u64 raw, bool present,
			  unsigned long pfn, struct page **pagep)
{
	struct vmx_entry *e = &r->final;
	struct vmx_step *s = &r->steps[r->nr_steps - 1];
	unsigned long offset = r->addr & ((1UL << shift) - 1);
	bool page_data = !(r->flags & VMX_RESOLVE_NO_PAGE);

	s->entry = raw;
	s->entry_kernel = raw;
	vmx_entry_init(e, r->addr - offset, level, shift, raw);
	e->entry_pa = s->table_pa + s->index * sizeof(u64);
	vmx_decode_entry(e, vma ? vma->vm_flags : 0, page_data ? vma : NULL,
			 level, raw, present, pfn);
	if (e->kind != VMX_KIND_LEAF) {
		r->result = VMX_RESOLVE_NOT_PRESENT;
		return;
	}
	r->result = VMX_RESOLVE_MAPPED;
	r->pa = ((u64)pfn << PAGE_SHIFT) + offset;
	if (pagep && vmx_readable_frame(vma, e, pfn)) {
		/*
		 * The reference goes on the folio: a tail page of a THP or
		 * hugetlb page has no count of its own (get_page_unless_zero()
		 * on it always failed). Mapped under the lock we hold, the
		 * folio has references; folio_try_get() fails safely where an
		 * odd frame has none.
		 */
		struct page *page = pfn_to_page(pfn + (offset >> PAGE_SHIFT));

		if (folio_try_get(page_folio(page)))
			*pagep = page;
	}
}

/* RESOLVE's ops over the one walk (pt_walk.c), for a single page. */
struct vmx_resolve_walk {
	struct vmx_resolve *r;
	struct vm_area_struct *vma;
	struct page **pagep;
	u64 table_pa;	/* the table the next entry is read from */
};

/* Every entry the walk reads is a step, as it is to the MMU. */
static int vmx_resolve_entry(struct vmx_pt_walk *pw, const struct vmx_pt_entry *e)
{
	struct vmx_resolve_walk *rw = pw->priv;

	vmx_add_step(rw->r, e->level, rw->table_pa, e->index, e->raw,
		     e->raw_kernel);
	rw->table_pa = vmx_arch_entry_pa(e->raw_kernel);
	return 0;
}

/*
 * A huge entry read again under its lock: its step shows the second read
 * (of a PUD only in entry_kernel, until vmx_end_final() sets both).
 */
static void vmx_resolve_reread(struct vmx_resolve *r,
			       const struct vmx_pt_entry *e)
{
	struct vmx_step *s = &r->steps[r->nr_steps - 1];

	if (!e->relocked)
		return;
	if (e->level == VMX_LEVEL_PMD)
		s->entry = e->raw;
	s->entry_kernel = e->raw_kernel;
}

/* Empty, or (at VMX_LEVEL_PTE) no PTE table any more: report what was seen. */
static int vmx_resolve_hole(struct vmx_pt_walk *pw, const struct vmx_pt_entry *e)
{
	struct vmx_resolve_walk *rw = pw->priv;

	vmx_resolve_reread(rw->r, e);
	vmx_end_none(rw->r);
	return VMX_PT_STOP;
}

/* A huge PMD that became a table while the walk took its lock. */
static int vmx_resolve_descend(struct vmx_pt_walk *pw,
			       const struct vmx_pt_entry *e)
{
	struct vmx_resolve_walk *rw = pw->priv;

	vmx_resolve_reread(rw->r, e);
	return 0;
}

static int vmx_resolve_leaf(struct vmx_pt_walk *pw, const struct vmx_pt_entry *e)
{
	struct vmx_resolve_walk *rw = pw->priv;

	vmx_end_final(rw->r, rw->vma, e->level, e->shift, e->raw, e->present,
		      e->pfn, rw->pagep);
	return VMX_PT_STOP;
}

static int vmx_resolve_pte(struct vmx_pt_walk *pw, pte_t *ptep, pmd_t pmdval,
			   unsigned long addr, unsigned long end)
{
	struct vmx_resolve_walk *rw = pw->priv;
	struct vmx_resolve *r = rw->r;
	pte_t pte = ptep_get(ptep);

	vmx_add_step(r, VMX_LEVEL_PTE, vmx_arch_entry_pa(pmd_val(pmdval)),
		     pte_index(r->addr), pte_val(pte), pte_val(pte));
	if (pte_none(pte))
		vmx_end_none(r);
	else
		vmx_end_final(r, rw->vma, VMX_LEVEL_PTE, PAGE_SHIFT, pte_val(pte),
			      pte_present(pte), pte_present(pte) ? pte_pfn(pte) : 0,
			      rw->pagep);
	return VMX_PT_STOP;
}

static const struct vmx_pt_ops vmx_resolve_ops = {
	.entry = vmx_resolve_entry,
	.hole = vmx_resolve_hole,
	.descend = vmx_resolve_descend,
	.leaf = vmx_resolve_leaf,
	.ptes = vmx_resolve_pte,
};

/*
 * Caller holds the mmap lock: in read mode when @vma holds the address,
 * in write mode otherwise (tables outside VMAs may be freed under a reader;
 * a shared hugetlb PMD table even under a writer: the walk locks it).
 */
void vmx_resolve_user(struct mm_struct *mm, struct vm_area_struct *vma,
		      struct vmx_resolve *r, struct page **pagep)
{
	struct vmx_resolve_walk rw = { .r = r, .vma = vma, .pagep = pagep };
	struct vmx_pt_walk pw = { .ops = &vmx_resolve_ops, .priv = &rw, .mm = mm };
	unsigned long addr = r->addr & PAGE_MASK;

	r->in_vma = !!vma;
	if (vma) {
		/* Even when nothing is mapped, the caller may show the VMA. */
		r->vma_start = vma->vm_start;
		r->vma_end = vma->vm_end;
		/* Not decoded for a caller whose struct ends before it. */
		if (r->size >= offsetofend(struct vmx_resolve, vma_flags))
			r->vma_flags = vmx_vma_flags(vma);
	}
	r->root_pa = __pa(mm->pgd);
	/* User mode runs on the user copy of the root under PTI. */
	r->root_pa_user = __pa(vmx_user_pgd_table(mm->pgd));
	rw.table_pa = r->root_pa_user;
	vmx_pt_walk(&pw, vma, addr, addr + PAGE_SIZE);
}

static int vmx_level_shift(int level)
{
	switch (level) {
	case VMX_LEVEL_PTE: return PAGE_SHIFT;
	case VMX_LEVEL_PMD: return PMD_SHIFT;
	case VMX_LEVEL_PUD: return PUD_SHIFT;
	case VMX_LEVEL_P4D: return P4D_SHIFT;
	default: return PGDIR_SHIFT;
	}
}

/* Kernel addresses: canonical and in the upper half. */
static bool vmx_kernel_addr(unsigned long addr)
{
	int bits = pgtable_l5_enabled() ? 57 : 48;

	return addr >= -(1UL << (bits - 1));
}

/* Index of @addr in a table of @level. */
static unsigned int vmx_level_index(unsigned long addr, int level)
{
	return (addr >> vmx_level_shift(level)) & (PTRS_PER_PTE - 1);
}

/*
 * One kernel page-table entry, from a table the walk reached through an
 * entry it had already read and checked. The kernel's own walkers of
 * init_mm (ptdump) hold get_online_mems() and init_mm's mmap lock, neither
 * of which modules can take: a table freed meanwhile (vmalloc/vmap
 * teardown, memory hot-unplug) may still be read here, so every read is a
 * non-faulting one from a frame that is RAM with a struct page.
 */
static int vmx_read_kernel_entry(u64 table_pa, unsigned int index, u64 *val)
{
	if (!pfn_valid(PHYS_PFN(table_pa)))
		return -EFAULT;
	if (copy_from_kernel_nofault(val, (u64 *)__va(table_pa) + index, sizeof(*val)))
		return -EFAULT;
	return 0;
}

/*
 * Not through vmx_pt_walk(): the kernel's tables are init_mm's, which has
 * no mmap lock, VMAs or PTE locks a module can take, so each entry is read
 * on its own, without faulting (vmx_read_kernel_entry()).
 *
 * The kernel half of the root is the same in every process: the caller's
 * own root serves. Each level is found from the value read at the level
 * above, never by reading that entry again.
 */
int vmx_resolve_kernel(struct vmx_resolve *r)
{
	static const int l5[] = { VMX_LEVEL_PGD, VMX_LEVEL_P4D, VMX_LEVEL_PUD,
				  VMX_LEVEL_PMD, VMX_LEVEL_PTE };
	/* With 4 levels the root's entries point at PUD tables. */
	static const int l4[] = { VMX_LEVEL_PGD, VMX_LEVEL_PUD, VMX_LEVEL_PMD,
				  VMX_LEVEL_PTE };
	const int *levels = pgtable_l5_enabled() ? l5 : l4;
	int nlevels = pgtable_l5_enabled() ? 5 : 4;
	unsigned long addr = r->addr;
	u64 table_pa, raw = 0;
	int i, level;

	if (!vmx_kernel_addr(addr))
		return -EINVAL;
	/* The kernel's layout is what kptr_restrict and lockdown keep secret. */
	if (!vmx_kaddr_visible())
		return -EPERM;
	if (!current->mm)
		return -ENXIO;
	table_pa = __pa(current->mm->pgd);
	r->root_pa = table_pa;
	r->root_pa_user = table_pa;
	for (i = 0; i < nlevels; i++) {
		unsigned int index = vmx_level_index(addr, levels[i]);

		level = levels[i];
		if (vmx_read_kernel_entry(table_pa, index, &raw))
			return -EFAULT;
		vmx_add_step(r, level, table_pa, index, raw, raw);
		if (!raw) {
			vmx_end_none(r);
			return 0;
		}
		if (!vmx_arch_raw_present(raw) || vmx_arch_raw_leaf(raw, level))
			break;
		table_pa = vmx_arch_entry_pa(raw);
	}
	if (!vmx_arch_raw_present(raw))
		vmx_end_final(r, NULL, level, vmx_level_shift(level), raw, false, 0, NULL);
	else if (level == VMX_LEVEL_PUD)
		vmx_end_final(r, NULL, level, PUD_SHIFT, raw, true, pud_pfn(__pud(raw)), NULL);
	else if (level == VMX_LEVEL_PMD)
		vmx_end_final(r, NULL, level, PMD_SHIFT, raw, true, pmd_pfn(__pmd(raw)), NULL);
	else
		vmx_end_final(r, NULL, level, PAGE_SHIFT, raw, true, pte_pfn(__pte(raw)), NULL);
	return 0;
}

#if IS_ENABLED(CONFIG_KUNIT)
EXPORT_SYMBOL_GPL(vmx_resolve_kernel);
#endif
