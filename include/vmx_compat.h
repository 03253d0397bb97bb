/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels vmx supports lives here. The
 * VMX_HAVE_* macros come from scripts/compat-probe.sh (see Kbuild).
 */
#ifndef _VMX_COMPAT_H
#define _VMX_COMPAT_H

#include <asm/processor.h>
#ifdef VMX_HAVE_ASM_CPUID_API_H
#include <asm/cpuid/api.h>	/* cpuid_count() */
#endif

#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/swap.h>
#include <linux/swapops.h>

#include "uapi/vmx.h"

/* pXdp_get() arrived in 6.2-6.5; before, a READ_ONCE is what they do. */
#ifdef VMX_HAVE_PXDP_GET
#define vmx_pgdp_get(p)		pgdp_get(p)
#define vmx_p4dp_get(p)		p4dp_get(p)
#define vmx_pudp_get(p)		pudp_get(p)
#define vmx_pmdp_get(p)		pmdp_get(p)
#else
#define vmx_pgdp_get(p)		READ_ONCE(*(p))
#define vmx_p4dp_get(p)		READ_ONCE(*(p))
#define vmx_pudp_get(p)		READ_ONCE(*(p))
#define vmx_pmdp_get(p)		READ_ONCE(*(p))
#endif
/* rdmsrl() became rdmsrq() in 6.16; both are macros. */
#include <asm/msr.h>
#ifdef rdmsrq
#define vmx_rdmsr64(msr, val)	rdmsrq(msr, val)
#else
#define vmx_rdmsr64(msr, val)	rdmsrl(msr, val)
#endif

#ifdef VMX_HAVE_PMDP_GET_LOCKLESS
#define vmx_pmdp_get_lockless(p)	pmdp_get_lockless(p)
#else
#define vmx_pmdp_get_lockless(p)	READ_ONCE(*(p))
#endif

#ifdef VMX_HAVE_VM_FLAGS_SET
#define vmx_vm_flags_set(vma, flags)	vm_flags_set(vma, flags)
#else
#define vmx_vm_flags_set(vma, flags)	((vma)->vm_flags |= (flags))
#endif

static inline long vmx_pin_user_pages_remote(struct mm_struct *mm,
					     unsigned long start,
					     unsigned long nr_pages,
					     unsigned int gup_flags,
					     struct page **pages)
{
#ifdef VMX_HAVE_PIN_REMOTE_VMAS
	return pin_user_pages_remote(mm, start, nr_pages, gup_flags, pages,
				     NULL, NULL);
#else
	return pin_user_pages_remote(mm, start, nr_pages, gup_flags, pages,
				     NULL);
#endif
}

/*
 * Keep out everyone who works on @vma under its per-VMA lock (faults; on
 * 7.x also MADV_DONTNEED and MADV_FREE) until the mmap write lock, held by
 * the caller, is dropped. Before 6.4 there are no per-VMA locks.
 */
static inline void vmx_vma_start_write(struct vm_area_struct *vma)
{
#ifdef VMX_HAVE_VMA_START_WRITE
	vma_start_write(vma);
#endif
}

/* Zap part of an ordinary VMA: exported as one of three names. */
#if defined(VMX_HAVE_ZAP_VMA_RANGE) || defined(VMX_HAVE_ZAP_PAGE_RANGE_SINGLE) || \
	defined(VMX_HAVE_ZAP_PAGE_RANGE)
#define VMX_HAVE_ZAP	1
#endif

static inline void vmx_zap_range(struct vm_area_struct *vma,
				 unsigned long addr, unsigned long size)
{
#if defined(VMX_HAVE_ZAP_VMA_RANGE)
	zap_vma_range(vma, addr, size);
#elif defined(VMX_HAVE_ZAP_PAGE_RANGE_SINGLE)
	zap_page_range_single(vma, addr, size, NULL);
#elif defined(VMX_HAVE_ZAP_PAGE_RANGE)
	zap_page_range(vma, addr, size);
#endif
}

/* Zap part of a VM_PFNMAP VMA. */
static inline void vmx_zap_special_range(struct vm_area_struct *vma,
					 unsigned long addr, unsigned long size)
{
#ifdef VMX_HAVE_ZAP_SPECIAL_VMA_RANGE
	zap_special_vma_range(vma, addr, size);
#else
	zap_vma_ptes(vma, addr, size);
#endif
}

/* The user-mode copy of a root entry (PTI), for a user address. */
static inline pgd_t vmx_user_pgd(pgd_t *pgdp, pgd_t pgd)
{
#if defined(CONFIG_PAGE_TABLE_ISOLATION) || defined(CONFIG_MITIGATION_PAGE_TABLE_ISOLATION)
	if (boot_cpu_has(X86_FEATURE_PTI))
		return READ_ONCE(*kernel_to_user_pgdp(pgdp));
#endif
	return pgd;
}

/* The root table user mode runs on: under PTI, the user copy of @pgd. */
static inline pgd_t *vmx_user_pgd_table(pgd_t *pgd)
{
#if defined(CONFIG_PAGE_TABLE_ISOLATION) || defined(CONFIG_MITIGATION_PAGE_TABLE_ISOLATION)
	if (boot_cpu_has(X86_FEATURE_PTI))
		return kernel_to_user_pgdp(pgd);
#endif
	return pgd;
}

/* A software entry taken apart: kind, swap area and offset, or PFN. */
struct vmx_swp {
	unsigned int kind;
	unsigned int type;
	unsigned long offset;
	unsigned long pfn;
};

/*
 * Taking a software entry apart the way pte_to_swp_entry() did before 7.2
 * replaced it with softleaf_from_pte(): the arch helpers below exist on
 * every supported kernel. The SWP_* type numbers depend on the config and
 * the kernel, so each is used only where it is defined.
 */
static inline void vmx_swp_decode(pte_t pte, struct vmx_swp *s)
{
	swp_entry_t arch = __pte_to_swp_entry(pte_swp_clear_flags(pte));
	swp_entry_t entry = swp_entry(__swp_type(arch), __swp_offset(arch));
	unsigned int type = swp_type(entry);

	s->type = type;
	s->offset = swp_offset(entry);
	s->pfn = s->offset & SWP_PFN_MASK;
	s->kind = VMX_KIND_UNKNOWN;
	if (type < MAX_SWAPFILES) {
		s->kind = VMX_KIND_SWAP;
		s->pfn = 0;
	}
#ifdef SWP_MIGRATION_READ
	if (type == SWP_MIGRATION_READ)
		s->kind = VMX_KIND_MIGRATION_READ;
	if (type == SWP_MIGRATION_READ_EXCLUSIVE)
		s->kind = VMX_KIND_MIGRATION_READ_EXCLUSIVE;
	if (type == SWP_MIGRATION_WRITE)
		s->kind = VMX_KIND_MIGRATION_WRITE;
#endif
#ifdef SWP_DEVICE_READ
	if (type == SWP_DEVICE_READ)
		s->kind = VMX_KIND_DEVICE_PRIVATE_READ;
	if (type == SWP_DEVICE_WRITE)
		s->kind = VMX_KIND_DEVICE_PRIVATE_WRITE;
#endif
#ifdef SWP_DEVICE_EXCLUSIVE
	if (type == SWP_DEVICE_EXCLUSIVE)
		s->kind = VMX_KIND_DEVICE_EXCLUSIVE;
#endif
#ifdef SWP_DEVICE_EXCLUSIVE_READ
	if (type == SWP_DEVICE_EXCLUSIVE_READ || type == SWP_DEVICE_EXCLUSIVE_WRITE)
		s->kind = VMX_KIND_DEVICE_EXCLUSIVE;
#endif
#ifdef SWP_HWPOISON
	if (type == SWP_HWPOISON)
		s->kind = VMX_KIND_HWPOISON;
#endif
#ifdef SWP_PTE_MARKER
	if (type == SWP_PTE_MARKER) {
		s->kind = VMX_KIND_MARKER;
		s->pfn = 0;
	}
#endif
}

/*
 * Per-page mapcounts are going away (6.12 no longer exposes page_mapcount).
 * An order-0 folio's mapcount is its page's; a large folio's page has no
 * mapcount of its own any more: absent (-1), not zero.
 */
static inline int vmx_page_mapcount(struct page *page)
{
#ifdef VMX_HAVE_PAGE_MAPCOUNT
	return page_mapcount(page);
#else
	struct folio *folio = page_folio(page);

	return folio_test_large(folio) ? -1 : folio_mapcount(folio);
#endif
}

/*
 * /proc/pid/maps's [heap] and [stack]: the kernel's own tests where it has
 * them (their heap bounds became strict), else 6.1's show_map_vma() rule.
 */
static inline bool vmx_vma_is_heap(struct vm_area_struct *vma)
{
#ifdef VMX_HAVE_VMA_IS_INITIAL_HEAP
	return vma_is_initial_heap(vma);
#else
	return vma->vm_start <= vma->vm_mm->brk &&
	       vma->vm_end >= vma->vm_mm->start_brk;
#endif
}

static inline bool vmx_vma_is_stack(struct vm_area_struct *vma)
{
#ifdef VMX_HAVE_VMA_IS_INITIAL_HEAP
	return vma_is_initial_stack(vma);
#else
	return vma->vm_start <= vma->vm_mm->start_stack &&
	       vma->vm_end >= vma->vm_mm->start_stack;
#endif
}

/* x86 user shadow stacks (6.6+): VM_SHADOW_STACK is VM_NONE without them. */
static inline bool vmx_vma_is_shadow_stack(struct vm_area_struct *vma)
{
#ifdef VM_SHADOW_STACK
	return vma->vm_flags & VM_SHADOW_STACK;
#else
	return false;
#endif
}

/*
 * A stack buffer the code fills before reading it: kernels built with
 * INIT_STACK_ALL_ZERO would otherwise clear it on every call first.
 */
#if __has_attribute(__uninitialized__)
#define vmx_uninitialized	__attribute__((__uninitialized__))
#else
#define vmx_uninitialized
#endif

#endif /* _VMX_COMPAT_H */
