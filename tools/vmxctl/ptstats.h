/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The page tables of a process counted from VMX_DUMP_TABLES: every table
 * once, decoded here by the x86-64 rules (the module hands them over raw).
 */
#ifndef VMXCTL_PTSTATS_H
#define VMXCTL_PTSTATS_H

#include <stdint.h>

#include "names.h"
#include "target.h"
#include "uapi/vmx.h"

struct pt_level {
	uint64_t tables;
	uint64_t populated;	/* non-zero entries (the root: its user half only) */
	uint64_t slots;		/* entries looked at: 512 per table, 256 for the root */
};

struct pt_stats {
	struct pt_level lv[VMX_LEVEL_PGD + 1];	/* by VMX_LEVEL_* */
	uint64_t leaves[LEAF_SIZES];		/* present, PROT_NONE included */
	uint64_t nonpresent;	/* non-zero, not a leaf nor a table: swap and the like */
	uint64_t unknown_tables;	/* records of a level vmxctl does not know */
};

/* Every table of @t's user half. 0 or an errno. */
int pt_stats_read(vmx_t *dev, const struct target *t, const struct vmx_info *in,
		  struct pt_stats *s);

uint64_t pt_resident_bytes(const struct pt_stats *s);
/* Table pages: the root counts twice under PTI (its user copy). */
uint64_t pt_table_pages(const struct pt_stats *s, const struct vmx_info *in);
/* What the kernel's VmPTE counts of them: PUD + PMD + PTE tables. */
uint64_t pt_vmpte_tables(const struct pt_stats *s);

#endif
