/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One sample of vmxctl watch: the kernel's /proc/PID/clear_refs clears
 * the Accessed bits (and, for --dirty, soft-dirty) of the whole process
 * with one TLB flush; after the interval a leaves-only dump reads back
 * which leaves the CPU marked again, counted per VMA.
 */
#ifndef VMXCTL_WATCH_SAMPLE_H
#define VMXCTL_WATCH_SAMPLE_H

#include <stdbool.h>
#include <stdint.h>

#include "target.h"
#include "vmx.h"

struct watch_vma {
	uint64_t start, end;
	uint64_t flags;	/* VMX_VMA_* */
	char name[VMX_VMA_NAME_LEN];
	/* Bytes of present leaves: all, with A set, with soft-dirty set. */
	uint64_t resident, accessed, written;
};

struct watch_read {
	struct watch_vma *vmas;	/* the VMAs overlapping the range, malloc()ed */
	size_t nvmas;
	uint64_t resident, accessed, written;	/* the range's totals */
	uint64_t leaves;	/* present leaves read */
};

/*
 * A leaf seen by watch_read(), clipped to the range, for a caller that
 * draws where the accesses were.
 */
typedef void (*watch_leaf_fn)(uint64_t va, uint64_t bytes, bool accessed,
			      void *arg);

/*
 * Clear A (clear_refs 1) and, with @dirty, soft-dirty (clear_refs 4) for
 * every page of @pid. 0 or -errno (ESRCH once the process is gone).
 */
int watch_clear(pid_t pid, bool dirty);
/*
 * Read [@start, @end): VMAs, then the leaves: 16-byte compact records
 * when @compact (the module has them) and not @dirty, else the 80-byte
 * ones, whose soft-dirty the module decodes. 0 or a libvmx -errno.
 * watch_read_free() frees @r's VMAs.
 */
int watch_read(vmx_t *dev, const struct target *t, uint64_t start,
	       uint64_t end, bool dirty, bool compact, struct watch_read *r,
	       watch_leaf_fn fn, void *arg);
void watch_read_free(struct watch_read *r);

#endif
