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

u32 vmx_page_facts(struct vm_area_struct *vma, unsigned long pfn, int level,
		   bool special, s32 *refcount, s32 *mapcount)
{
	u32 page = VMX_PAGE_VALID;
	struct folio *folio;
	struct page *p;

	*refcount = -1;
	*mapcount = -1;
	/*
	 * A special entry maps the zero page or a raw PFN: no refcounted page
	 * stands behind it, as vm_normal_page() would say.
	 */
	if (special)
		return page | (is_zero_pfn(pfn) ? VMX_PAGE_ZERO : VMX_PAGE_NO_STRUCT);
	if ((vma->vm_flags & VM_PFNMAP) || !pfn_valid(pfn))
		return page | VMX_PAGE_NO_STRUCT;
	p = pfn_to_page(pfn);
	folio = page_folio(p);
	if (folio_test_anon(folio)) {
		page |= folio_test_ksm(folio) ? VMX_PAGE_KSM : VMX_PAGE_ANON;
		if (PageAnonExclusive(p))
			page |= VMX_PAGE_EXCLUSIVE;
	} else {
		/* As pagemap's "file-page or shared-anon": not anonymous. */
		page |= VMX_PAGE_FILE;
	}
	if (folio_test_hugetlb(folio))
		page |= VMX_PAGE_HUGETLB;
	else if (folio_test_large(folio))
		page |= VMX_PAGE_LARGE;
	/*
	 * The huge zero folio's symbol is not exported; but an anonymous VMA
	 * maps nothing at PMD level except anon THPs and that folio.
	 */
	if (level == VMX_LEVEL_PMD && vma && vma_is_anonymous(vma) &&
	    !folio_test_anon(folio))
		page |= VMX_PAGE_HUGE_ZERO;
	*refcount = folio_ref_count(folio);
	*mapcount = vmx_page_mapcount(p);
	return page;
}

void vmx_page_info(struct vmx_entry *e, struct vm_area_struct *vma,
		   unsigned long pfn, int level)
{
	e->page = vmx_page_facts(vma, pfn, level, e->sw & VMX_SW_SPECIAL,
				 &e->refcount, &e->mapcount);
}
