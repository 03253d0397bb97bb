/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VMAs of a process (VMX_IOC_VMAS) and what its page tables hold for
 * each of them (one VMX_IOC_DUMP over the user half).
 */
#ifndef VMXCTL_VMASTAT_H
#define VMXCTL_VMASTAT_H

#include <stddef.h>
#include <stdint.h>

#include "names.h"
#include "target.h"
#include "uapi/vmx.h"

struct vma_stat {
	struct vmx_vma v;
	/* Present leaves (kind leaf or protnone), by size, and their bytes. */
	uint64_t leaves[LEAF_SIZES];
	uint64_t resident;
	uint64_t swap_entries, swap_bytes;
	/* Other non-present entries: migration, device, hwpoison, markers. */
	uint64_t other_entries;
	/*
	 * What /proc/pid/smaps needs to be matched exactly (see vma_rss()):
	 * present leaves without a normal page (zero pages, PFN maps, DAX),
	 * PROT_NONE huge leaves with one, and the bytes of non-present
	 * entries that still name a page (migration, device, hwpoison).
	 */
	uint64_t no_page_bytes;
	uint64_t protnone_huge_bytes;
	uint64_t pfn_entry_bytes;
	/* Tables reached through this VMA, by VMX_LEVEL_* of the table. */
	uint64_t tables[VMX_LEVEL_PGD + 1];
};

/* All VMAs of @t, in address order, into *@out (malloc'd). 0 or an errno. */
int vmas_read(vmx_t *dev, const struct target *t,
	      struct vma_stat **out, size_t *n);
/*
 * One dump of the user half with @dump_flags (0 or VMX_DUMP_NO_PAGE),
 * every record added to the VMA it belongs to; records of VMAs that are
 * not in @v (the target changed meanwhile) are counted in *@stray.
 * 0 or an errno.
 */
int vmas_account(vmx_t *dev, const struct target *t, const struct vmx_info *in,
		 uint64_t dump_flags, struct vma_stat *v, size_t n,
		 uint64_t *stray);

int vma_is_hugetlb(const struct vma_stat *s);
/* What smaps shows as Rss for this VMA on 6.12 (docs/vmxctl.md, vmas). */
uint64_t vma_rss(const struct vma_stat *s);
/* What smaps shows as Shared_Hugetlb + Private_Hugetlb. */
uint64_t vma_hugetlb_bytes(const struct vma_stat *s);

#endif
