// SPDX-License-Identifier: GPL-2.0
/*
 * A VMA's vm_flags in VMX_VMA_* bits, which keep their positions: the
 * kernel's own move between releases (VM_UFFD_MINOR was bit 37 in 6.1, 38
 * in 6.12, 41 in 7.x; VM_SEALED 63, then 42) and some exist only in some
 * (VM_PAT until 7.x; VM_SHADOW_STACK, VM_SEALED, VM_DROPPABLE later).
 * Where this kernel lacks one, or defines it as VM_NONE because its config
 * leaves it out, the bit is never set and vmx_vma_flags_valid() says so.
 */
#include <linux/mm.h>
#include <linux/hugetlb.h>
#include <linux/pkeys.h>

#include "vmx_priv.h"

static const struct {
	vm_flags_t vm;
	u64 vmx;
} vmx_vma_bits[] = {
	{ VM_READ, VMX_VMA_READ },
	{ VM_WRITE, VMX_VMA_WRITE },
	{ VM_EXEC, VMX_VMA_EXEC },
	{ VM_SHARED, VMX_VMA_SHARED },
	{ VM_MAYREAD, VMX_VMA_MAYREAD },
	{ VM_MAYWRITE, VMX_VMA_MAYWRITE },
	{ VM_MAYEXEC, VMX_VMA_MAYEXEC },
	{ VM_MAYSHARE, VMX_VMA_MAYSHARE },
	{ VM_GROWSDOWN, VMX_VMA_GROWSDOWN },
	{ VM_UFFD_MISSING, VMX_VMA_UFFD_MISSING },
	{ VM_PFNMAP, VMX_VMA_PFNMAP },
	{ VM_UFFD_WP, VMX_VMA_UFFD_WP },
	{ VM_LOCKED, VMX_VMA_LOCKED },
	{ VM_IO, VMX_VMA_IO },
	{ VM_SEQ_READ, VMX_VMA_SEQ_READ },
	{ VM_RAND_READ, VMX_VMA_RAND_READ },
	{ VM_DONTCOPY, VMX_VMA_DONTCOPY },
	{ VM_DONTEXPAND, VMX_VMA_DONTEXPAND },
	{ VM_LOCKONFAULT, VMX_VMA_LOCKONFAULT },
	{ VM_ACCOUNT, VMX_VMA_ACCOUNT },
	{ VM_NORESERVE, VMX_VMA_NORESERVE },
	{ VM_SYNC, VMX_VMA_SYNC },
#ifdef VM_PAT
	{ VM_PAT, VMX_VMA_PAT },
#endif
	{ VM_WIPEONFORK, VMX_VMA_WIPEONFORK },
	{ VM_DONTDUMP, VMX_VMA_DONTDUMP },
	{ VM_SOFTDIRTY, VMX_VMA_SOFTDIRTY },
	{ VM_MIXEDMAP, VMX_VMA_MIXEDMAP },
	{ VM_HUGEPAGE, VMX_VMA_HUGEPAGE },
	{ VM_NOHUGEPAGE, VMX_VMA_NOHUGEPAGE },
	{ VM_MERGEABLE, VMX_VMA_MERGEABLE },
	{ VM_UFFD_MINOR, VMX_VMA_UFFD_MINOR },
#ifdef VM_SHADOW_STACK
	{ VM_SHADOW_STACK, VMX_VMA_SHADOW_STACK },
#endif
#ifdef VM_SEALED
	{ VM_SEALED, VMX_VMA_SEALED },
#endif
#ifdef VM_DROPPABLE
	{ VM_DROPPABLE, VMX_VMA_DROPPABLE },
#endif
#ifdef VM_ALLOW_ANY_UNCACHED
	{ VM_ALLOW_ANY_UNCACHED, VMX_VMA_ALLOW_ANY_UNCACHED },
#endif
#ifdef VM_MAYBE_GUARD
	{ VM_MAYBE_GUARD, VMX_VMA_MAYBE_GUARD },
#endif
};

static u64 vmx_vm_flags_bits(vm_flags_t vm_flags)
{
	u64 bits = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(vmx_vma_bits); i++)
		if (vmx_vma_bits[i].vm && (vm_flags & vmx_vma_bits[i].vm))
			bits |= vmx_vma_bits[i].vmx;
	return bits;
}

/* What vmx finds itself (VMX_VMA_ATTRS) comes from the VMAS handler. */
u64 vmx_vma_flags(struct vm_area_struct *vma)
{
	u64 bits = vmx_vm_flags_bits(vma->vm_flags);

	if (vma->anon_vma)
		bits |= VMX_VMA_ANON_VMA;
	if (is_vm_hugetlb_page(vma))
		bits |= VMX_VMA_HUGETLB;
	if (vma->vm_file)
		bits |= VMX_VMA_FILE;
	return bits;
}

#if IS_ENABLED(CONFIG_KUNIT)
EXPORT_SYMBOL_GPL(vmx_vma_flags);
#endif

u32 vmx_vma_pkey(struct vm_area_struct *vma)
{
	return vma_pkey(vma);
}

u64 vmx_vma_flags_valid(void)
{
	u64 bits = VMX_VMA_ATTRS;
	size_t i;

	if (!IS_ENABLED(CONFIG_HUGETLB_PAGE))
		bits &= ~VMX_VMA_HUGETLB;

	for (i = 0; i < ARRAY_SIZE(vmx_vma_bits); i++)
		if (vmx_vma_bits[i].vm)
			bits |= vmx_vma_bits[i].vmx;
	return bits;
}

#if IS_ENABLED(CONFIG_KUNIT)
EXPORT_SYMBOL_GPL(vmx_vma_flags_valid);
#endif
