// SPDX-License-Identifier: GPL-2.0
/*
 * x86-64: what one entry means. Hardware bits travel raw (vmxctl names
 * them); software bits move between kernels, so they are decoded here with
 * the running kernel's own definitions, and a bit the kernel does not have
 * is reported absent (sw_valid) rather than clear.
 */
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/swap.h>
#include <linux/swapops.h>

#include "vmx_arch.h"
#include "vmx_compat.h"
#include "vmx_priv.h"
#include "../../walker/walk.h"

u32 vmx_sw_valid(void)
{
	u32 valid = VMX_SW_SPECIAL | VMX_SW_NUMA_HINT;

	if (_PAGE_SOFT_DIRTY)
		valid |= VMX_SW_SOFT_DIRTY;
	if (_PAGE_UFFD_WP)
		valid |= VMX_SW_UFFD_WP;
#ifdef _PAGE_BIT_DEVMAP
	valid |= VMX_SW_DEVMAP;
#endif
#ifdef _PAGE_BIT_SAVED_DIRTY
	valid |= VMX_SW_SAVED_DIRTY;
#endif
	return valid;
}

#if IS_ENABLED(CONFIG_KUNIT)
EXPORT_SYMBOL_GPL(vmx_sw_valid);
#endif

void vmx_decode_leaf_sw(struct vmx_entry *e, unsigned long val)
{
	if (_PAGE_SOFT_DIRTY && (val & _PAGE_SOFT_DIRTY))
		e->sw |= VMX_SW_SOFT_DIRTY;
	if (_PAGE_UFFD_WP && (val & _PAGE_UFFD_WP))
		e->sw |= VMX_SW_UFFD_WP;
	if (val & _PAGE_SPECIAL)
		e->sw |= VMX_SW_SPECIAL;
#ifdef _PAGE_BIT_DEVMAP
	if (val & _PAGE_DEVMAP)
		e->sw |= VMX_SW_DEVMAP;
#endif
#ifdef _PAGE_BIT_SAVED_DIRTY
	if (val & _PAGE_SAVED_DIRTY)
		e->sw |= VMX_SW_SAVED_DIRTY;
#endif
	e->pkey = (val >> VMX_ARCH_PKEY_SHIFT) & VMX_ARCH_PKEY_MASK;
}

#if IS_ENABLED(CONFIG_KUNIT)
EXPORT_SYMBOL_GPL(vmx_decode_leaf_sw);
#endif

/*
 * A non-present, non-none entry holds a software entry in the swap format
 * at every level on x86 (THP migration and hugetlb use it too).
 */
void vmx_decode_nonpresent(struct vmx_entry *e, unsigned long val)
{
	struct vmx_swp s;

	if (_PAGE_SWP_SOFT_DIRTY && (val & _PAGE_SWP_SOFT_DIRTY))
		e->sw |= VMX_SW_SOFT_DIRTY;
	if (_PAGE_SWP_UFFD_WP && (val & _PAGE_SWP_UFFD_WP))
		e->sw |= VMX_SW_UFFD_WP;

	vmx_swp_decode(__pte(val), &s);
	e->kind = s.kind;
	switch (s.kind) {
	case VMX_KIND_SWAP:
		e->swap_type = s.type;
		e->swap_offset = s.offset;
		break;
	case VMX_KIND_MARKER:
		e->swap_offset = s.offset;
		break;
	case VMX_KIND_UNKNOWN:
		e->swap_type = s.type;
		e->swap_offset = s.offset;
		break;
	default:
		e->pfn = s.pfn;
		break;
	}
}

#if IS_ENABLED(CONFIG_KUNIT)
EXPORT_SYMBOL_GPL(vmx_decode_nonpresent);
#endif

/*
 * A leaf or non-present entry into @e, found in a VMA of @vm_flags. With
 * @vma, a present leaf also gets its struct page data: the caller holds
 * the lock that serialises the entry.
 */
void vmx_decode_entry(struct vmx_entry *e, vm_flags_t vm_flags,
		      struct vm_area_struct *vma, int level, unsigned long raw,
		      bool present, unsigned long pfn)
{
	if (!present) {
		vmx_decode_nonpresent(e, raw);
		return;
	}
	e->kind = VMX_KIND_LEAF;
	e->pfn = pfn;
	vmx_decode_leaf_sw(e, raw);
	if (!(raw & _PAGE_PRESENT)) {
		e->kind = VMX_KIND_PROTNONE;
		if (vm_flags & (VM_READ | VM_WRITE | VM_EXEC))
			e->sw |= VMX_SW_NUMA_HINT;
	}
	if (vma)
		vmx_page_info(e, vma, pfn, level);
}
