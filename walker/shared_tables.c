// SPDX-License-Identifier: GPL-2.0
/*
 * hugetlb PMD sharing: a MAP_SHARED hugetlbfs mapping that covers a whole
 * PUD-aligned range shares its PMD table with every other process mapping
 * the same file there (mm/hugetlb.c, huge_pmd_share()). Truncation, hole
 * punching and mprotect unshare it under i_mmap_rwsem held for writing,
 * without the mmap lock of the process that loses it, and the last sharer
 * frees it; so a walker holding only our target's mmap lock could read a
 * freed table. The kernel's own walkers hold the hugetlb VMA lock (not
 * exported) or i_mmap_rwsem; vmx takes the latter, in read mode, after the
 * mmap lock as mm/rmap.c orders them.
 */
#include <linux/fs.h>
#include <linux/hugetlb.h>
#include <linux/mm.h>

#include "pt_walk.h"

struct address_space *vmx_lock_shared_tables(struct vm_area_struct *vma)
{
	struct address_space *mapping;

	if (!is_vm_hugetlb_page(vma) || !(vma->vm_flags & VM_MAYSHARE) ||
	    !vma->vm_file)
		return NULL;
	mapping = vma->vm_file->f_mapping;
	i_mmap_lock_read(mapping);
	return mapping;
}

void vmx_unlock_shared_tables(struct address_space *mapping)
{
	if (mapping)
		i_mmap_unlock_read(mapping);
}
