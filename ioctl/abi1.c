// SPDX-License-Identifier: GPL-2.0
/*
 * ABI 1's layouts, built from ABI 2's: records that carry their VMA (its
 * range and raw vm_flags) and the kernel's sw_valid. Old callers are told
 * apart by the size of their request (include/uapi/vmx.h).
 */
#include <linux/mm.h>
#include <linux/stddef.h>
#include <linux/string.h>

#include "vmx_abi1.h"
#include "vmx_priv.h"
#include "../walker/walk.h"

void vmx_entry_to_abi1(struct vmx_entry_v1 *out, const struct vmx_rec *rec)
{
	const struct vmx_entry *e = &rec->e;

	memset(out, 0, sizeof(*out));
	out->va = e->va;
	out->raw = e->raw;
	out->raw_kernel = e->raw_kernel;
	out->pfn = e->pfn;
	out->vma_start = rec->vma_start;
	out->vma_end = rec->vma_end;
	out->vm_flags = rec->vm_flags;
	out->swap_offset = e->swap_offset;
	out->nr = e->nr;
	out->level = e->level;
	out->kind = e->kind;
	out->span_shift = e->span_shift;
	out->swap_type = e->swap_type;
	out->pkey = e->pkey;
	out->sw = e->sw;
	out->sw_valid = vmx_sw_valid();
	out->page = e->page;
	out->refcount = e->refcount;
	out->mapcount = e->mapcount;
}

/*
 * ABI 1's struct vmx_resolve ends with its record, where ABI 2's record
 * begins: the rest of the request stays where it was. Written through its
 * own struct: the record is longer than ABI 2's @final field.
 */
void vmx_resolve_to_abi1(struct vmx_resolve *r, vm_flags_t vm_flags)
{
	struct vmx_resolve_v1 *old = (struct vmx_resolve_v1 *)r;
	struct vmx_rec rec = { .e = r->final };

	if (r->in_vma) {
		rec.vma_start = r->vma_start;
		rec.vma_end = r->vma_end;
		rec.vm_flags = vm_flags;
	}
	vmx_entry_to_abi1(&old->final, &rec);
	/* ABI 1's empty record (the walk met no entry) was all zero. */
	if (!rec.e.kind)
		old->final.sw_valid = 0;
	memset((u8 *)r + sizeof(*old), 0, sizeof(*r) - sizeof(*old));
}
