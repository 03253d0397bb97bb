// SPDX-License-Identifier: GPL-2.0
/*
 * What backs a present leaf. Called under the lock that serialises the
 * entry (PTE lock, PMD lock or page_table_lock): the page cannot be
 * unmapped, hence not freed, meanwhile, so no reference is taken.
 */
#include <linux/mm.h>
#include <linux/page-flags.h>
#include <linux/pgtable.h>

#include "vmx_compat.h"
#include "vmx_priv.h"
#include "walk.h"

void vmx_page_info(struct vmx_entry *e, struct vm_area_struct *vma,
		   unsigned long pfn, int level)
{
	struct folio *folio;
	struct page *page;

	e->page = VMX_PAGE_VALID;
	/*
	 * A special entry maps the zero page or a raw PFN: no refcounted page
	 * stands behind it, as vm_normal_page() would say.
	 */
	if (e->sw & VMX_SW_SPECIAL) {
		e->page |= is_zero_pfn(pfn) ? VMX_PAGE_ZERO : VMX_PAGE_NO_STRUCT;
		return;
	}
	if ((vma->vm_flags & VM_PFNMAP) || !pfn_valid(pfn)) {
		e->page |= VMX_PAGE_NO_STRUCT;
		return;
	}
	page = pfn_to_page(pfn);
	folio = page_folio(page);
	if (folio_test_anon(folio)) {
		e->page |= folio_test_ksm(folio) ? VMX_PAGE_KSM : VMX_PAGE_ANON;
		if (PageAnonExclusive(page))
			e->page |= VMX_PAGE_EXCLUSIVE;
	} else {
		/* As pagemap's "file-page or shared-anon": not anonymous. */
		e->page |= VMX_PAGE_FILE;
	}
	if (folio_test_hugetlb(folio))
		e->page |= VMX_PAGE_HUGETLB;
	else if (folio_test_large(folio))
		e->page |= VMX_PAGE_LARGE;
	/*
	 * The huge zero folio's symbol is not exported; but an anonymous VMA
	 * maps nothing at PMD level except anon THPs and that folio.
	 */
	if (level == VMX_LEVEL_PMD && vma && vma_is_anonymous(vma) &&
	    !folio_test_anon(folio))
		e->page |= VMX_PAGE_HUGE_ZERO;
	e->refcount = folio_ref_count(folio);
	e->mapcount = vmx_page_mapcount(page);
}
