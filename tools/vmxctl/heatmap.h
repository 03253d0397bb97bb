/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmxctl watch --heatmap: where a process touched memory over time, as
 * one SVG picture. Rows are addresses: the VMAs of the first sample laid
 * end to end (the holes between them left out), cut into at most 256
 * rows; columns are samples; a cell's shade is the share of its bytes
 * whose leaves had the Accessed bit set in that sample.
 */
#ifndef VMXCTL_HEATMAP_H
#define VMXCTL_HEATMAP_H

#include <stddef.h>
#include <stdint.h>

#include "watch_sample.h"

struct heatmap;

/* A map of @vmas (copied); NULL when out of memory or @n is 0. */
struct heatmap *heatmap_new(const struct watch_vma *vmas, size_t n);
/* Start the next column (sample), taken at @t seconds. 0 or -ENOMEM. */
int heatmap_column(struct heatmap *h, double t);
/* For watch_read()'s @fn: a leaf of the current column. */
void heatmap_leaf(uint64_t va, uint64_t bytes, bool accessed, void *h);
/* Write the SVG; 0 or -errno. */
int heatmap_write(const struct heatmap *h, const char *path, int pid,
		  const char *comm);
void heatmap_free(struct heatmap *h);

#endif
