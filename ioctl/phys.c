// SPDX-License-Identifier: GPL-2.0
/*
 * VMX_IOC_PHYS: what a physical address is used for, read from its struct
 * page without taking a reference: a snapshot, never the contents.
 */
#include <linux/ioport.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/page-flags.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>

#include "vmx_compat.h"
#include "vmx_priv.h"

static u32 vmx_page_use(struct page *page)
{
	struct folio *folio = page_folio(page);

	if (PageReserved(page))
		return VMX_PHYS_RESERVED;
	if (PageBuddy(page))
		return VMX_PHYS_FREE;
	/* Typed pages first: slabs have no reference count since 7.x. */
	if (folio_test_slab(folio))
		return VMX_PHYS_SLAB;
	if (PageTable(page))
		return VMX_PHYS_PAGETABLE;
	/* The rest of a free block: only its head is PageBuddy. */
	if (!page_ref_count(page))
		return VMX_PHYS_FREE;
	if (folio_test_hugetlb(folio))
		return VMX_PHYS_HUGETLB;
	if (folio_test_anon(folio))
		return VMX_PHYS_ANON;
	if (READ_ONCE(folio->mapping))
		return VMX_PHYS_FILE;
	return VMX_PHYS_OTHER;
}

/*
 * Whether @mm's root (PGD, and under PTI its user copy) or, with 5-level
 * paging, one of its P4D tables is frame @pfn. x86 allocates these two
 * levels without the PageTable type, so their struct page cannot say.
 * Entries are read, never followed: only their frame numbers are compared.
 */
static bool vmx_mm_has_upper_table(struct mm_struct *mm, unsigned long pfn)
{
	pgd_t *pgd = mm->pgd;

	if (pfn == PHYS_PFN(__pa(pgd)) || pfn == PHYS_PFN(__pa(vmx_user_pgd_table(pgd))))
		return true;
	if (!pgtable_l5_enabled())
		return false;
	for (unsigned long i = 0; i <= pgd_index(TASK_SIZE_MAX - 1); i++) {
		pgd_t e = READ_ONCE(pgd[i]);

		if (pgd_present(e) && pgd_pfn(e) == pfn)
			return true;
	}
	return false;
}

/*
 * Every process's upper tables, for a frame that looks like nothing else
 * (an order-1 PTI root's second page even has no reference count). Under
 * the task lock a task's mm keeps its users, so its PGD is not freed; the
 * threads of a process share one mm and are skipped after the first.
 */
static bool vmx_is_upper_table(unsigned long pfn)
{
	struct task_struct *g, *t;
	struct mm_struct *last = NULL;
	bool found = false;

	rcu_read_lock();
	/* Two loops in one macro: a break would only leave the inner one. */
	for_each_process_thread(g, t) {
		task_lock(t);
		if (t->mm && t->mm != last) {
			last = t->mm;
			found = vmx_mm_has_upper_table(t->mm, pfn);
		}
		task_unlock(t);
		if (found)
			goto out;
	}
out:
	rcu_read_unlock();
	return found;
}

int vmx_ioc_phys(void *req)
{
	struct vmx_phys *p = req;
	unsigned long pfn = PHYS_PFN(p->pa);
	struct page *page;

	if (p->flags || p->reserved || p->pad)
		return -EINVAL;
	if (p->pa >= vmx_phys_ram_end())
		return -ERANGE;
	p->direct_map = vmx_kaddr_visible() ? (unsigned long)__va(p->pa) : 0;
	p->refcount = -1;
	p->order = 0;
	if (region_intersects(PFN_PHYS(pfn), PAGE_SIZE, IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_INTERSECTS) {
		p->type = VMX_PHYS_NOT_RAM;
		return 0;
	}
	page = pfn_to_online_page(pfn);
	if (!page) {
		p->type = VMX_PHYS_NO_PAGE;
		return 0;
	}
	p->type = vmx_page_use(page);
	if ((p->type == VMX_PHYS_OTHER ||
	     (p->type == VMX_PHYS_FREE && !PageBuddy(page))) && vmx_is_upper_table(pfn))
		p->type = VMX_PHYS_PAGETABLE;
	p->refcount = page_ref_count(page);
	if (PageBuddy(page))
		p->order = page_private(page);	/* the buddy allocator keeps it there */
	else if (p->type != VMX_PHYS_FREE && p->type != VMX_PHYS_PAGETABLE)
		p->order = folio_order(page_folio(page));
	return 0;
}
