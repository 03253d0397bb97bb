/* SPDX-License-Identifier: GPL-2.0 */
/* DUMP's slices (walker/walk.c) and the decoding of entries. */
#ifndef _VMX_WALK_H
#define _VMX_WALK_H

#include <linux/mm_types.h>
#include <linux/string.h>
#include "uapi/vmx.h"

/**
 * struct vmx_rec - a record as the walk builds it: ABI 2's, with the VMA
 * it lies in, which ABI 1's record carries (0 for table entries).
 */
struct vmx_rec {
	struct vmx_entry e;
	u64 vma_start, vma_end, vm_flags;
};

/**
 * struct vmx_walk - one slice of a dump, run under the target's mmap lock.
 * @mm: the target; its mmap lock is held in read mode during vmx_walk().
 * @flags: VMX_DUMP_* of the request.
 * @start: @end: the requested range.
 * @key_va: @key_level: resume key; records ordered before it were
 *	returned by earlier slices and are skipped.
 * @buf: @tables: @compact: @cpage: @cap: @n: the kernel buffer this slice
 *	fills, with full records or, under VMX_DUMP_TABLES and
 *	VMX_DUMP_COMPACT, whole tables and compact records (with page data:
 *	@cpage).
 * @tmpl: the fields every PTE record of @vma shares.
 * @run: @run_open: VMX_DUMP_MERGE: the run of leaves being built.
 * @vma: the VMA being walked; every record lies inside it.
 * @last_va: @last_level: @has_last: the last record this slice returned:
 *	a table entry over several VMAs is met once per VMA, returned once.
 * @deadline: jiffies after which the slice ends where it can.
 * @slice: the slice's length in jiffies.
 * @locked_at: ktime_get_ns() when the mmap lock was last taken.
 * @unlocked: the walk let go of the mmap lock and could not take it back
 *	(a fatal signal): the caller must not unlock it.
 * @done: the range is complete; otherwise @key_va/@key_level say where the
 *	next slice goes on.
 */
struct vmx_walk {
	struct mm_struct *mm;
	u64 flags;
	unsigned long start, end;
	unsigned long key_va;
	unsigned int key_level;
	union {
		struct vmx_rec *buf;
		struct vmx_raw_table *tables;
		struct vmx_compact *compact;
		struct vmx_compact_page *cpage;
	};
	unsigned int cap, n;
	struct vmx_rec tmpl;
	struct vmx_rec run;
	bool run_open;
	struct vm_area_struct *vma;
	unsigned long last_va;
	unsigned int last_level;
	bool has_last;
	unsigned long deadline;
	unsigned long slice;
	u64 locked_at;
	bool unlocked;
	bool done;
};

/* Walk from the resume key until the buffer is full, time is up or the
 * range ends. Caller holds mmap_read_lock(w->mm), which the walk may drop
 * and take again between VMAs. 0 or -EINTR (then see @unlocked).
 */
int vmx_walk(struct vmx_walk *w);

/*
 * A one-entry record of @raw at @va, nothing decoded yet. Inline: RESOLVE,
 * made once per address by some tools, pays for every call it makes.
 */
static inline void vmx_entry_init(struct vmx_entry *e, unsigned long va,
				  int level, int shift, unsigned long raw)
{
	memset(e, 0, sizeof(*e));
	e->va = va;
	e->level = level;
	e->span_shift = shift;
	e->raw = raw;
	e->raw_kernel = raw;
	e->nr = 1;
	e->refcount = -1;
	e->mapcount = -1;
}

/* Decoding of single entries (arch/x86/decode.c). */
void vmx_decode_leaf_sw(struct vmx_entry *e, unsigned long val);
void vmx_decode_nonpresent(struct vmx_entry *e, unsigned long val);
u32 vmx_sw_valid(void);
void vmx_decode_entry(struct vmx_entry *e, vm_flags_t vm_flags,
		      struct vm_area_struct *vma, int level, unsigned long raw,
		      bool present, unsigned long pfn);

#endif /* _VMX_WALK_H */
