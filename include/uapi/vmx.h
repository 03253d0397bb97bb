/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vmx: the one contract between vmx.ko and user space (/dev/vmx).
 *
 * Every request is an extensible struct in the style of struct
 * procmap_query: its first field is the size the caller knows, so old
 * binaries keep working against a newer module and the other way round.
 * The module copies in min(size, its own size), insists that bytes it does
 * not know are zero (E2BIG otherwise), rejects unknown flags and non-zero
 * reserved fields (EINVAL), and copies back min(size, its own size).
 * The size bits of the ioctl number are ignored for the same reason.
 */
#ifndef _UAPI_VMX_H
#define _UAPI_VMX_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define VMX_DEVICE_PATH		"/dev/vmx"
#define VMX_ABI_VERSION		1
#define VMX_IOC_MAGIC		0xE7

/* Largest size a request may claim: anything above is E2BIG. */
#define VMX_REQ_SIZE_MAX	4096

/* Bits of vmx_info.features: what this module can do on this kernel. */
#define VMX_FEAT_INFO		(1ULL << 0)

/* Bits of vmx_info.paging: how the running kernel uses the MMU. */
#define VMX_PAGING_LA57		(1ULL << 0)	/* 5-level paging in use */
#define VMX_PAGING_PTI		(1ULL << 1)	/* page-table isolation on */
#define VMX_PAGING_NX		(1ULL << 2)	/* no-execute bit honoured */
#define VMX_PAGING_PCID		(1ULL << 3)	/* process-context ids in use */
#define VMX_PAGING_PKU		(1ULL << 4)	/* protection keys enabled */
#define VMX_PAGING_CPU_LA57	(1ULL << 5)	/* the CPU could do 5-level */

/* Bits of vmx_info.leaf_sizes: bit n set = leaves of 2^n bytes exist. */
#define VMX_LEAF_4K		(1ULL << 12)
#define VMX_LEAF_2M		(1ULL << 21)
#define VMX_LEAF_1G		(1ULL << 30)

/**
 * struct vmx_info - VMX_IOC_INFO: how paging looks on the running system.
 * @size: in: sizeof(struct vmx_info) as the caller compiled it.
 * @flags: in: none defined yet; must be 0.
 * @reserved: in: must be 0.
 * @abi_version: out: VMX_ABI_VERSION of the module.
 * @levels: out: page-table levels in use, 4 or 5.
 * @features: out: VMX_FEAT_* bits.
 * @paging: out: VMX_PAGING_* bits.
 * @leaf_sizes: out: VMX_LEAF_* bits.
 * @page_offset_base: out: virtual address where the direct map of all
 *	physical memory starts (randomised by KASLR).
 * @direct_map_size: out: size of the virtual region set aside for it.
 * @phys_ram_end: out: end of the highest System RAM range, i.e. how much
 *	of that region maps RAM.
 * @user_va_end: out: first address above the user half (TASK_SIZE_MAX).
 * @phys_bits: out: physical address bits of the CPU.
 * @virt_bits: out: virtual address bits in use, 48 or 57.
 * @page_size: out: base page size in bytes.
 * @ptrs_per_table: out: entries in one page table.
 * @release: out: kernel release, as uname -r prints it.
 */
struct vmx_info {
	__u64 size;
	__u64 flags;
	__u64 reserved;
	__u32 abi_version;
	__u32 levels;
	__u64 features;
	__u64 paging;
	__u64 leaf_sizes;
	__u64 page_offset_base;
	__u64 direct_map_size;
	__u64 phys_ram_end;
	__u64 user_va_end;
	__u32 phys_bits;
	__u32 virt_bits;
	__u32 page_size;
	__u32 ptrs_per_table;
	char release[72];
};

/* The smallest request ever accepted: the fields of ABI version 1. */
#define VMX_INFO_SIZE_VER1	sizeof(struct vmx_info)

#define VMX_IOC_INFO		_IOWR(VMX_IOC_MAGIC, 0x00, struct vmx_info)

#endif /* _UAPI_VMX_H */
