/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmxctl dump --html and --svg: a picture of a process's page tables.
 * The HTML page is self-contained (no network, no external script): the
 * tree from the root down, each table opened on demand, its fill drawn
 * entry by entry, leaves coloured by kind, a click for an entry's decoded
 * bits and direct-map address, the VMAs beside. The SVG is the static
 * overview: a row per table, a cell per entry.
 */
#ifndef VMXCTL_PICTURE_H
#define VMXCTL_PICTURE_H

#include <stdio.h>

#include "snapshot.h"

struct picture_stats {
	uint64_t tables, entries, leaves;
};

/* The page tables of @s as tables in walk order; 0 or -ENOMEM. */
int picture_html(const struct snapshot *s, const struct vmx_info *in, FILE *f,
		 struct picture_stats *st);
int picture_svg(const struct snapshot *s, const struct vmx_info *in, FILE *f,
		struct picture_stats *st);

#endif
