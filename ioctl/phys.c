// SPDX-License-Identifier: GPL-2.0
/*
 * VMX_IOC_PHYS: what a physical address is used for, read from its struct
 * page without taking a reference: a snapshot, never the contents.
 */
#include <linux/ioport.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/page-flags.h>

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
	p->refcount = page_ref_count(page);
	if (PageBuddy(page))
		p->order = page_private(page);	/* the buddy allocator keeps it there */
	else if (p->type != VMX_PHYS_FREE)
		p->order = folio_order(page_folio(page));
	return 0;
}
