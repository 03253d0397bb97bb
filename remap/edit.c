// SPDX-License-Identifier: GPL-2.0
/*
 * VMX_IOC_EDIT: a compare-and-swap of one present 4K user PTE, under its
 * lock, each change made with the helper the kernel itself uses for it
 * (pte_wrprotect, pte_mkold, pte_clear_soft_dirty, ...), so that shadow
 * stack and saved-dirty encodings stay right, and written with
 * ptep_modify_prot_start/commit, so that Accessed and Dirty bits the MMU
 * sets meanwhile are not lost. Then every CPU's TLB is flushed, unless the
 * caller asked not to (the stale-TLB experiment).
 *
 * What is allowed is the module parameter allow_edits: 0 nothing; 1 the
 * changes the kernel makes itself all the time (clear Accessed as reclaim
 * does, write-protect as fork and writeback do, clear soft-dirty as
 * clear_refs does); 2 also changes whose worst outcome stays inside the
 * target (a fault loop a signal ends, another cache mode, lost A/D
 * information on its own anonymous memory), and taints the kernel. Never:
 * another frame, Present, PS, Global, User or protection keys (there are
 * no flags for them), Write on anything but an exclusive anonymous page
 * (the zero page, a COW-shared or file page would be written behind the
 * kernel's back), or clean on a file or lazy-free page (data would be
 * dropped instead of written back).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hugetlb.h>
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/page-flags.h>
#include <linux/pgtable.h>
#include <linux/sched/mm.h>

#include "vmx_arch.h"
#include "vmx_compat.h"
#include "vmx_priv.h"
#include "../walker/pt_walk.h"

/*
 * 1: the safe set; 2: experiments. Leaving a stale TLB entry behind is an
 * experiment, whatever the entry's change.
 */
int vmx_edit_level(u32 set, u32 clear, u64 flags)
{
	if (flags & VMX_EDIT_NO_FLUSH)
		return 2;
	return !set && !(clear & ~VMX_EDIT_SAFE_CLEAR) ? 1 : 2;
}

static pte_t vmx_edit_apply(pte_t pte, u32 set, u32 clear)
{
	if (clear & VMX_EDIT_SOFT_DIRTY)
		pte = pte_wrprotect(pte_clear_soft_dirty(pte));
	if (clear & VMX_EDIT_WRITE)
		pte = pte_wrprotect(pte);
	if (clear & VMX_EDIT_ACCESSED)
		pte = pte_mkold(pte);
	if (clear & VMX_EDIT_DIRTY)
		pte = pte_mkclean(pte);
	pte = vmx_arch_edit_clear(pte, clear);
	if (set & VMX_EDIT_ACCESSED)
		pte = pte_mkyoung(pte);
	if (set & VMX_EDIT_DIRTY)
		pte = pte_mkdirty(pte);
	if (set & VMX_EDIT_SOFT_DIRTY)
		pte = pte_mksoft_dirty(pte);
	return vmx_arch_edit_set(pte, set);
}

/* The rules that depend on the page, at every level: EACCES. */
static int vmx_edit_page_ok(pte_t pte, const struct vmx_edit *e)
{
	unsigned long pfn = pte_pfn(pte);
	struct page *page = NULL;

	if (!pte_special(pte) && pfn_valid(pfn))
		page = pfn_to_page(pfn);
	if ((e->set & VMX_EDIT_WRITE) &&
	    !(page && PageAnon(page) && PageAnonExclusive(page)))
		return -EACCES;

	if ((e->clear & VMX_EDIT_DIRTY) &&
	    !(page && PageAnon(page) && folio_test_swapbacked(page_folio(page))))
		return -EACCES;
	return 0;
}

struct vmx_edit_arg {
	struct vm_area_struct *vma;
	struct vmx_edit *e;
	bool written;
};

/* EDIT's ops over the one walk (pt_walk.c), for a single page. */
static int vmx_edit_locked(struct vmx_pt_walk *pw, pte_t *ptep, pmd_t pmdval,
			   unsigned long addr, unsigned long end)
{
	struct vmx_edit_arg *a = pw->priv;
	struct vmx_edit *e = a->e;
	pte_t old = ptep_get(ptep), new;
	int ret;

	if (!pte_present(old) || pte_protnone(old))
		return -ENOENT;
	e->old = pte_val(old);
	if ((e->flags & VMX_EDIT_EXPECT) && pte_val(old) != e->expect)
		return -EAGAIN;
	ret = vmx_edit_page_ok(old, e);
	if (ret)
		return ret;
	new = vmx_edit_apply(old, e->set, e->clear);
	e->new = pte_val(new);
	if ((e->flags & VMX_EDIT_DRY_RUN) || pte_same(old, new))
		return 0;
	/* Atomically taken out: A/D bits the MMU set since stay set. */
	old = ptep_modify_prot_start(a->vma, addr, ptep);
	new = vmx_edit_apply(old, e->set, e->clear);
	ptep_modify_prot_commit(a->vma, addr, ptep, old, new);
	e->old = pte_val(old);
	e->new = pte_val(new);
	a->written = true;
	return 0;
}

/* 1G and 2M leaves (and migrating THPs): only 4K entries are edited. */
static int vmx_edit_entry(struct vmx_pt_walk *pw, const struct vmx_pt_entry *e)
{
	return e->kind == VMX_PT_LEAF ? -EINVAL : 0;
}

/* Nothing there, or (VMX_LEVEL_PTE) no PTE table any more. */
static int vmx_edit_hole(struct vmx_pt_walk *pw, const struct vmx_pt_entry *e)
{
	return -ENOENT;
}

static const struct vmx_pt_ops vmx_edit_ops = {
	.entry = vmx_edit_entry,
	.hole = vmx_edit_hole,
	.ptes = vmx_edit_locked,
};

static void vmx_edit_report(struct mm_struct *mm, const struct vmx_edit *e)
{
	pr_info_ratelimited("edit by pid %d: pid %d 0x%llx: 0x%llx -> 0x%llx%s\n",
			    task_pid_nr(current), e->pid, e->addr & PAGE_MASK, e->old, e->new,
			    e->flags & VMX_EDIT_NO_FLUSH ? ", TLB not flushed" : "");
	if (e->tainted)
		pr_notice_ratelimited("allow_edits=2: an experimental edit of pid %d; kernel tainted (TAINT_USER)\n",
				      e->pid);
}

int vmx_edit_mm(struct mm_struct *mm, struct vmx_edit *e)
{
	struct vmx_edit_arg a = { .e = e };
	struct vmx_pt_walk pw = { .ops = &vmx_edit_ops, .priv = &a, .mm = mm };
	unsigned long addr = e->addr & PAGE_MASK;
	int ret;

	e->old = 0;
	e->new = 0;
	e->flushed = 0;
	e->tainted = 0;
	if (((e->set | e->clear) & VMX_EDIT_SOFT_DIRTY) &&
	    !IS_ENABLED(CONFIG_MEM_SOFT_DIRTY))
		return -EOPNOTSUPP;
	if (!(e->flags & (VMX_EDIT_NO_FLUSH | VMX_EDIT_DRY_RUN)) &&
	    !vmx_tlb_flush_works())
		return -EOPNOTSUPP;
	if (mmap_read_lock_killable(mm))
		return -EINTR;
	/*
	 * KVM, IOMMUs and HMM keep copies of translations they would not
	 * drop. Checked under the mmap lock, which mmu_notifier_register()
	 * takes for writing, so that none can come between check and edit.
	 */
	if (mm_has_notifiers(mm)) {
		ret = -EBUSY;
		goto out;
	}
	a.vma = vma_lookup(mm, e->addr);
	if (!a.vma) {
		ret = -ENOENT;
		goto out;
	}
	/* Ordinary mappings only: not windows, device memory or hugetlb. */
	if ((a.vma->vm_flags & (VM_PFNMAP | VM_IO | VM_MIXEDMAP)) ||
	    is_vm_hugetlb_page(a.vma)) {
		ret = -EINVAL;
		goto out;
	}
	/*
	 * Write where the process may not write (mprotect, a read-only
	 * mapping), or W and D of a shadow stack (W=0 D=1 is what makes its
	 * entries shadow-stack entries): what the VMA forbids stays forbidden.
	 */
	if (((e->set & VMX_EDIT_WRITE) && !(a.vma->vm_flags & VM_WRITE)) ||
	    (((e->set | e->clear) & (VMX_EDIT_WRITE | VMX_EDIT_DIRTY)) &&
	     vmx_vma_is_shadow_stack(a.vma))) {
		ret = -EACCES;
		goto out;
	}
	ret = vmx_pt_walk(&pw, a.vma, addr, addr + PAGE_SIZE);
out:
	mmap_read_unlock(mm);
	if (ret || !a.written)
		return ret;
	atomic64_inc(&vmx_stats.edits);
	if (vmx_edit_level(e->set, e->clear, e->flags) > 1) {
		add_taint(TAINT_USER, LOCKDEP_STILL_OK);
		e->tainted = 1;
	}
	if (!(e->flags & VMX_EDIT_NO_FLUSH))
		e->flushed = !vmx_tlb_flush_all();
	vmx_edit_report(mm, e);
	return 0;
}

#if IS_ENABLED(CONFIG_KUNIT)
EXPORT_SYMBOL_GPL(vmx_edit_mm);
#endif
