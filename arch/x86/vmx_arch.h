/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every x86 bit position vmx.ko uses outside the kernel's own helpers, in
 * one place: another architecture is another arch/<arch>/vmx_arch.h (and
 * its paging.c, decode.c and tlb.c). What the kernel's pte_*() helpers
 * express stays with them; these are the bits they do not cover.
 */
#ifndef _VMX_ARCH_H
#define _VMX_ARCH_H

#include <linux/bits.h>
#include <linux/pgtable.h>
#include "uapi/vmx.h"

/* CPUID.(EAX=7,ECX=0):ECX bit 16: the CPU can do 5-level paging. */
#define VMX_CPUID7_ECX_LA57	BIT(16)

/* Protection key: bits 59-62 of a leaf, by the architecture's definition. */
#define VMX_ARCH_PKEY_SHIFT	59
#define VMX_ARCH_PKEY_MASK	0xfUL

/*
 * Bits 12-51 of an entry: the next table's physical address for a table
 * entry. Not a leaf's frame in general (a 2M or 1G leaf keeps PAT in bit
 * 12; a non-present entry holds a swap entry, inverted against L1TF):
 * leaves use the kernel's pte_pfn()/pmd_pfn()/pud_pfn().
 */
static inline u64 vmx_arch_entry_pa(u64 raw)
{
	return raw & PTE_PFN_MASK;
}

/* An entry's bits outside 12-51 (runs of leaves merge when they match). */
static inline u64 vmx_arch_entry_flags(u64 raw)
{
	return raw & ~PTE_PFN_MASK;
}

/* A raw entry of init_mm's tables, read without the kernel's helpers. */
static inline bool vmx_arch_raw_present(u64 raw)
{
	return raw & _PAGE_PRESENT;
}

/* Whether a present raw entry of @level ends the walk (a leaf). */
static inline bool vmx_arch_raw_leaf(u64 raw, int level)
{
	return level == VMX_LEVEL_PTE ||
	       ((level == VMX_LEVEL_PUD || level == VMX_LEVEL_PMD) &&
		(raw & _PAGE_PSE));
}

/*
 * The EDIT bits that have no pte_*() helper of their own (NX, the cache
 * bits, and setting Write: pte_mkwrite() would make a shadow-stack entry
 * of a VM_SHADOW_STACK VMA's, which EDIT refuses anyway).
 */
static inline pte_t vmx_arch_edit_clear(pte_t pte, u32 clear)
{
	if (clear & VMX_EDIT_NX)
		pte = pte_clear_flags(pte, _PAGE_NX);
	if (clear & VMX_EDIT_PWT)
		pte = pte_clear_flags(pte, _PAGE_PWT);
	if (clear & VMX_EDIT_PCD)
		pte = pte_clear_flags(pte, _PAGE_PCD);
	return pte;
}

static inline pte_t vmx_arch_edit_set(pte_t pte, u32 set)
{
	if (set & VMX_EDIT_WRITE)
		pte = pte_set_flags(pte, _PAGE_RW);
	if (set & VMX_EDIT_NX)
		pte = pte_set_flags(pte, _PAGE_NX);
	if (set & VMX_EDIT_PWT)
		pte = pte_set_flags(pte, _PAGE_PWT);
	if (set & VMX_EDIT_PCD)
		pte = pte_set_flags(pte, _PAGE_PCD);
	return pte;
}

#endif /* _VMX_ARCH_H */
