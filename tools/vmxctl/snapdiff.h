/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What changed between two snapshots (vmxctl diff): the VMAs, the tables,
 * and every entry, as runs of neighbouring entries that changed alike.
 */
#ifndef VMXCTL_SNAPDIFF_H
#define VMXCTL_SNAPDIFF_H

#include <stddef.h>
#include <stdint.h>

#include "snapshot.h"

enum change {
	CH_MAPPED,	/* a present leaf where none was */
	CH_UNMAPPED,	/* a present leaf gone */
	CH_FRAME,	/* present in both, another frame */
	CH_FLAGS,	/* present in both, same frame, other bits */
	CH_KIND,	/* any other change of kind (leaf to swap, ...) */
	CH_VALUE,	/* a non-present entry, same kind, another value (swap
			 * slot, its exclusive mark: fork clears that) */
	CH_TABLE_ADDED,	/* a table entry where none was: a new table */
	CH_TABLE_FREED,
	CH_TABLE_MOVED,	/* a table entry pointing at another table */
	CH_NR,
};

struct change_run {
	enum change what;
	unsigned int level;
	uint64_t start, end;	/* the addresses the entries cover */
	uint64_t entries;
	uint64_t set, cleared;	/* hardware bits, raw (CH_FLAGS, CH_FRAME) */
	uint32_t sw_set, sw_cleared;	/* VMX_SW_* */
	unsigned int kind_a, kind_b;	/* VMX_KIND_* */
	uint64_t pfn_a, pfn_b;	/* the first entry's */
	const struct vmx_vma *vma;	/* holding @start, in B or else A */
};

enum vma_change { VMA_ADDED, VMA_REMOVED, VMA_CHANGED };

struct vma_diff {
	enum vma_change what;
	const struct vmx_vma *a, *b;	/* NULL when absent */
};

struct snapdiff {
	struct change_run *runs;
	size_t nruns, cap;
	struct vma_diff *vmas;
	size_t nvmas;
	uint64_t count[CH_NR];	/* entries */
	uint64_t bytes[CH_NR];	/* what they cover */
	uint64_t tables[CH_NR][6];	/* table changes by the table's level */
	uint64_t vma_count[3];
};

/* 0 or -ENOMEM; @a and @b must outlive @d. */
int snapdiff(const struct snapshot *a, const struct snapshot *b,
	     struct snapdiff *d);
void snapdiff_free(struct snapdiff *d);
const char *change_name(enum change c);

#endif
