// SPDX-License-Identifier: GPL-2.0
/*
 * The translation of one address, level by level as the MMU performs it,
 * for VMX_IOC_RESOLVE and VMX_IOC_PEEK. User addresses follow the locking
 * of walk.c; kernel addresses are read without locks, as lookup_address()
 * (which gives the final answer for them) reads them itself.
 */
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <asm/pgtable_types.h>

#include "vmx_arch.h"
#include "vmx_compat.h"
#include "vmx_priv.h"
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
	unsigned long offset = r->addr & ((1UL << shift) - 1);

	r->steps[r->nr_steps - 1].entry = raw;
	r->steps[r->nr_steps - 1].entry_kernel = raw;
	vmx_entry_init(e, r->addr - offset, level, shift, raw);
	if (vma) {
		e->vma_start = vma->vm_start;
		e->vma_end = vma->vm_end;
		e->vm_flags = vma->vm_flags;
	}
	vmx_decode_entry(e, vma, level, raw, present, pfn);
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

struct vmx_resolve_pte_arg {
	struct vm_area_struct *vma;
	struct vmx_resolve *r;
	struct page **pagep;
};

static int vmx_resolve_pte_locked(pte_t *ptep, pmd_t pmdval, void *arg)
{
	struct vmx_resolve_pte_arg *a = arg;
	struct vmx_resolve *r = a->r;
	pte_t pte = ptep_get(ptep);

	vmx_add_step(r, VMX_LEVEL_PTE, vmx_arch_entry_pa(pmd_val(pmdval)),
		     pte_index(r->addr), pte_val(pte), pte_val(pte));
	if (pte_none(pte))
		vmx_end_none(r);
	else
		vmx_end_final(r, a->vma, VMX_LEVEL_PTE, PAGE_SHIFT, pte_val(pte),
			      pte_present(pte), pte_present(pte) ? pte_pfn(pte) : 0,
			      a->pagep);
	return 0;
}

static void vmx_resolve_pte(struct mm_struct *mm, struct vm_area_struct *vma,
			    pmd_t *pmdp, struct vmx_resolve *r,
			    struct page **pagep)
{
	struct vmx_resolve_pte_arg a = { .vma = vma, .r = r, .pagep = pagep };

	/* No table any more (or a huge PMD now): report what was seen. */
	if (vmx_with_pte_locked(mm, pmdp, r->addr, vmx_resolve_pte_locked, &a))
		r->result = VMX_RESOLVE_NONE;
}

static void vmx_resolve_pmd(struct mm_struct *mm, struct vm_area_struct *vma,
			    pud_t *pudp, pud_t pud, struct vmx_resolve *r,
			    struct page **pagep)
{
	pmd_t *pmdp = pmd_offset(pudp, r->addr);
	pmd_t pmd = vmx_pmdp_get_lockless(pmdp);
	spinlock_t *ptl;	/* the PMD's lock, for a huge or odd PMD */

	vmx_add_step(r, VMX_LEVEL_PMD, vmx_arch_entry_pa(pud_val(pud)),
		     pmd_index(r->addr), pmd_val(pmd), pmd_val(pmd));
	if (pmd_none(pmd)) {
		vmx_end_none(r);
		return;
	}
	if (pmd_present(pmd) && !pmd_trans_huge(pmd) && !pmd_leaf(pmd)) {
		vmx_resolve_pte(mm, vma, pmdp, r, pagep);
		return;
	}
	ptl = pmd_lock(mm, pmdp);
	pmd = vmx_pmdp_get(pmdp);
	r->steps[r->nr_steps - 1].entry = pmd_val(pmd);
	r->steps[r->nr_steps - 1].entry_kernel = pmd_val(pmd);
	if (pmd_present(pmd) && !pmd_trans_huge(pmd) && !pmd_leaf(pmd)) {
		/* Became a table meanwhile. */
		spin_unlock(ptl);
		vmx_resolve_pte(mm, vma, pmdp, r, pagep);
		return;
	}
	if (pmd_none(pmd))
		vmx_end_none(r);
	else
		vmx_end_final(r, vma, VMX_LEVEL_PMD, PMD_SHIFT, pmd_val(pmd),
			      pmd_present(pmd), pmd_present(pmd) ? pmd_pfn(pmd) : 0,
			      pagep);
	spin_unlock(ptl);
}

/*
 * Caller holds the mmap lock: in read mode when @vma holds the address,
 * in write mode otherwise (tables outside VMAs may be freed under a reader).
 */
void vmx_resolve_user(struct mm_struct *mm, struct vm_area_struct *vma,
		      struct vmx_resolve *r, struct page **pagep)
{
	unsigned long addr = r->addr;
	pgd_t *pgdp = pgd_offset(mm, addr);
	pgd_t pgd = vmx_pgdp_get(pgdp);
	p4d_t *p4dp;
	pud_t *pudp;
	p4d_t p4d;
	pud_t pud;

	r->in_vma = !!vma;
	if (vma) {
		/* Even when nothing is mapped, the caller may show the VMA. */
		r->final.vma_start = vma->vm_start;
		r->final.vma_end = vma->vm_end;
		r->final.vm_flags = vma->vm_flags;
	}
	r->root_pa = __pa(mm->pgd);
	r->root_pa_user = __pa(vmx_user_pgd_table(mm->pgd));
	/* User mode runs on the user copy of the root under PTI. */
	vmx_add_step(r, VMX_LEVEL_PGD, r->root_pa_user, pgd_index(addr),
		     pgd_val(vmx_user_pgd(pgdp, pgd)), pgd_val(pgd));
	p4dp = p4d_offset(pgdp, addr);
	p4d = vmx_p4dp_get(p4dp);
	if (pgtable_l5_enabled()) {
		if (pgd_none(pgd)) {
			vmx_end_none(r);
			return;
		}
		vmx_add_step(r, VMX_LEVEL_P4D, vmx_arch_entry_pa(pgd_val(pgd)),
			     p4d_index(addr), p4d_val(p4d), p4d_val(p4d));
	}
	/* With 4 levels the P4D is the root entry itself. */
	if (p4d_none(p4d)) {
		vmx_end_none(r);
		return;
	}
	pudp = pud_offset(p4dp, addr);
	pud = vmx_pudp_get(pudp);
	vmx_add_step(r, VMX_LEVEL_PUD, vmx_arch_entry_pa(p4d_val(p4d)),
		     pud_index(addr), pud_val(pud), pud_val(pud));
	if (pud_none(pud)) {
		vmx_end_none(r);
		return;
	}
	if (!pud_present(pud) || pud_leaf(pud)) {
		/* 1G leaves are serialised by page_table_lock. */
		spin_lock(&mm->page_table_lock);
		pud = vmx_pudp_get(pudp);
		r->steps[r->nr_steps - 1].entry_kernel = pud_val(pud);
		if (pud_none(pud))
			vmx_end_none(r);
		else
			vmx_end_final(r, vma, VMX_LEVEL_PUD, PUD_SHIFT, pud_val(pud),
				      pud_present(pud),
				      pud_present(pud) ? pud_pfn(pud) : 0, pagep);
		spin_unlock(&mm->page_table_lock);
		return;
	}
	vmx_resolve_pmd(mm, vma, pudp, pud, r, pagep);
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
