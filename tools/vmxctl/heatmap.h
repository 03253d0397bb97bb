/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmxctl watch --heatmap: where a process touched memory over time, as
 * one SVG picture. Rows are addresses: each VMA of the first sample
 * (clipped to the range) gets one row and a share of the rest by its
 * size, so a small busy VMA beside a huge reservation still shows; holes
 * between VMAs are left out. Columns are samples, two merged into one
 * when there are more than HEATMAP_MAX_COLS. A cell's shade is the share
 * of its bytes whose leaves had the Accessed bit set.
 */
#ifndef VMXCTL_HEATMAP_H
#define VMXCTL_HEATMAP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "watch_sample.h"

#define HEATMAP_MAX_COLS	512

struct heatmap;

/* A map of @vmas clipped to [@start, @end); NULL when out of memory. */
struct heatmap *heatmap_new(const struct watch_vma *vmas, size_t n,
			    uint64_t start, uint64_t end);
/* Start the next column (sample), taken at @t seconds. 0 or -ENOMEM. */
int heatmap_column(struct heatmap *h, double t);
/* For watch_read()'s @fn: a leaf of the current column. */
void heatmap_leaf(uint64_t va, uint64_t bytes, bool accessed, void *h);
/* The SVG into @f (@h NULL: a picture that says there was nothing). */
int heatmap_write(const struct heatmap *h, FILE *f, int pid, const char *comm);
void heatmap_free(struct heatmap *h);

#endif
