/* SPDX-License-Identifier: GPL-2.0 */
/*
 * resolve --explain: the walk in plain sentences, for people learning how
 * the MMU gets from a virtual address to a frame. Each sentence goes to
 * stdout (indented, wrapped) or, with -j, into the JSON array the caller
 * has opened.
 */
#ifndef VMXCTL_EXPLAIN_H
#define VMXCTL_EXPLAIN_H

#include <stdint.h>

#include "uapi/vmx.h"

/* One step of a resolve as both the text and the JSON view show it. */
struct step_view {
	const struct vmx_step *s;
	unsigned int hi, lo;	/* the address bits that give the index */
	uint64_t direct_map;	/* page_offset_base + table_pa */
	uint64_t entry_pa;	/* table_pa + 8 * index */
	int present;		/* P set: the MMU uses the entry */
	int last;		/* the walk ends at this step */
	int leaf;		/* last, and not an empty entry */
	uint64_t eff;		/* RW/US/NX that hold down to here, if present */
	uint64_t eff_above;	/* the same above this step */
	char flags[128];	/* x86_flag_names() of the entry */
};

/* Flag names already explained in this walk: each is explained once. */
struct explain_seen {
	char names[256];
	int rule_told;		/* how effective permissions combine */
};

void explain_intro(const struct vmx_info *in, const struct vmx_resolve *r,
		   int kernel);
/* @next: the step after @v, or NULL. */
void explain_step(const struct step_view *v, const struct step_view *next,
		  struct explain_seen *seen);
void explain_end(const struct vmx_info *in, const struct vmx_resolve *r,
		 int kernel);

#endif
