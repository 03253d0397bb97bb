/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One sample of vmxctl watch: the kernel's /proc/PID/clear_refs clears
 * the Accessed bits (and, for --dirty, soft-dirty) of the whole process,
 * a TLB flush makes the CPU walk the tables again; after the interval a
 * leaves-only dump reads back which leaves it marked again, per VMA.
 */
#ifndef VMXCTL_WATCH_SAMPLE_H
#define VMXCTL_WATCH_SAMPLE_H

#include <stdbool.h>
#include <stdint.h>

#include "target.h"
#include "vmx.h"

struct watch_vma {
	uint64_t start, end;
	uint64_t flags;		/* VMX_VMA_* */
	char name[VMX_VMA_NAME_LEN];
	/* Bytes of present leaves: all, with A set, with soft-dirty set. */
	uint64_t resident, accessed, written;
	/* Leaves clear_refs leaves alone (hugetlb, zero page, PFNMAP). */
	uint64_t untracked;
};

struct watch_read {
	struct watch_vma *vmas;	/* the VMAs overlapping the range, malloc()ed */
	size_t nvmas;
	uint64_t resident, accessed, written, untracked;	/* the range's */
	uint64_t leaves;	/* present leaves read */
};

/*
 * A leaf seen by watch_read(), clipped to the range and its VMA, for a
 * caller that draws where the accesses were (untracked ones: never).
 */
typedef void (*watch_leaf_fn)(uint64_t va, uint64_t bytes, bool accessed,
			      void *arg);

/* /proc/PID/clear_refs, opened once: a reused pid cannot be cleared. */
int watch_open(pid_t pid);
/*
 * Clear soft-dirty (with @dirty, "4": it flushes) and every A bit ("1":
 * it does not), then flush every CPU's TLB through @dev, so that the next
 * access walks the tables and sets A again. 0 or -errno (ESRCH: gone).
 */
int watch_clear(vmx_t *dev, int fd, bool dirty);
/*
 * Read [@start, @end): VMAs, then the leaves with their page data: 24-byte
 * compact records when @compact and not @dirty, else 80-byte ones, whose
 * soft-dirty the module decodes. 0 or a libvmx -errno. watch_read_free()
 * frees @r's VMAs.
 */
int watch_read(vmx_t *dev, const struct target *t, uint64_t start,
	       uint64_t end, bool dirty, bool compact, struct watch_read *r,
	       watch_leaf_fn fn, void *arg);
void watch_read_free(struct watch_read *r);

#endif
