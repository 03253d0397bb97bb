/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ABI 1's records, still served to callers built against it
 * (ioctl/abi1.c): the layout an old vmxctl or library reads.
 */
#ifndef _VMX_ABI1_H
#define _VMX_ABI1_H

#include <linux/build_bug.h>
#include <linux/stddef.h>
#include "uapi/vmx.h"

/* ABI 1's struct vmx_entry: the VMA and sw_valid in every record. */
struct vmx_entry_v1 {
	__u64 va;
	__u64 raw;
	__u64 raw_kernel;
	__u64 pfn;
	__u64 vma_start;
	__u64 vma_end;
	__u64 vm_flags;
	__u64 swap_offset;
	__u64 nr;
	__u8 level;
	__u8 kind;
	__u8 span_shift;
	__u8 swap_type;
	__u8 pkey;
	__u8 pad[3];
	__u32 sw;
	__u32 sw_valid;
	__u32 page;
	__s32 refcount;
	__s32 mapcount;
	__u32 reserved;
};

static_assert(sizeof(struct vmx_entry_v1) == VMX_ENTRY_SIZE_VER1);

/* ABI 1's struct vmx_resolve: ABI 2's up to @final, then ABI 1's record. */
struct vmx_resolve_v1 {
	__u8 head[offsetof(struct vmx_resolve, final)];
	struct vmx_entry_v1 final;
};

static_assert(sizeof(struct vmx_resolve_v1) == 344);
static_assert(sizeof(struct vmx_resolve_v1) <= sizeof(struct vmx_resolve));

struct vmx_rec;
void vmx_entry_to_abi1(struct vmx_entry_v1 *out, const struct vmx_rec *rec);
void vmx_resolve_to_abi1(struct vmx_resolve *r, vm_flags_t vm_flags);

#endif /* _VMX_ABI1_H */
