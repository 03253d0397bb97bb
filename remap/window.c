// SPDX-License-Identifier: GPL-2.0
/*
 * Windows: a MAP_SHARED mapping of /dev/vmx into which VMX_IOC_REMAP puts
 * other processes' pages. The VMA is VM_PFNMAP, so the kernel's rmap,
 * mapcounts and refcounts never see the window's entries: the page stays
 * alive because vmx holds a FOLL_LONGTERM pin on it from the moment it is
 * placed until after its window entry is zapped. Entries are made lazily,
 * by the fault handler, from the slot table under the window's mutex; every
 * change to a slot zaps the window entry under that same mutex, so no fault
 * can bring back a frame whose pin is about to be dropped.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/slab.h>

#include "vmx_compat.h"
#include "vmx_priv.h"

/*
 * A page pinned for writing may have been written through the window,
 * whose PFN entries carry no dirty bit the kernel would pass on to the
 * page: mark it dirty, or writeback would never see that write.
 */
void vmx_slot_unpin(struct page *page, bool writable_pin)
{
	if (writable_pin)
		unpin_user_pages_dirty_lock(&page, 1, true);
	else
		unpin_user_page(page);
	atomic64_dec(&vmx_stats.pinned_pages);
}

/* The last reference: its VMAs and every grant in progress are gone. */
void vmx_window_unref(struct vmx_window *win)
{
	if (!refcount_dec_and_test(&win->refs))
		return;
	atomic64_dec(&vmx_stats.windows);
	kvfree(win);
}

static void vmx_window_open(struct vm_area_struct *vma)
{
	struct vmx_window *win = vma->vm_private_data;

	refcount_inc(&win->refs);
	mutex_lock(&win->lock);
	win->vmas++;
	mutex_unlock(&win->lock);
}

/*
 * The window's process unmaps it or exits: its entries are already gone
 * (unmap_vmas runs before the VMA is freed), so the pins can go now. A
 * grant in progress holds its own reference, and finds @vmas at 0.
 */
static void vmx_window_close(struct vm_area_struct *vma)
{
	struct vmx_window *win = vma->vm_private_data;
	unsigned long i, n = 0;

	mutex_lock(&win->lock);
	if (!--win->vmas) {
		for (i = 0; i < win->npages; i++) {
			struct vmx_slot *s = &win->slot[i];

			if (s->page) {
				vmx_slot_unpin(s->page, s->writable_pin);
				n++;
			}
			s->page = NULL;
		}
	}
	mutex_unlock(&win->lock);
	/* What remap/remap.c charged to the window's owner. */
	atomic64_sub(n, &vma->vm_mm->pinned_vm);
	vmx_window_unref(win);
}

/* A window is whole or not at all: no partial munmap or mprotect. */
static int vmx_window_may_split(struct vm_area_struct *vma, unsigned long addr)
{
	return -EINVAL;
}

static int vmx_window_mremap(struct vm_area_struct *vma)
{
	return -EINVAL;
}

static vm_fault_t vmx_window_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct vmx_window *win = vma->vm_private_data;
	unsigned long i = (vmf->address - vma->vm_start) >> PAGE_SHIFT;
	vm_fault_t ret = VM_FAULT_SIGBUS;
	pgprot_t prot = vma->vm_page_prot;

	mutex_lock(&win->lock);
	if (i < win->npages && win->slot[i].page) {
		if (win->slot[i].readonly)
			prot = vm_get_page_prot(vma->vm_flags & ~VM_WRITE);
		ret = vmf_insert_pfn_prot(vma, vmf->address,
					  page_to_pfn(win->slot[i].page), prot);
	}
	mutex_unlock(&win->lock);
	return ret;
}

/*
 * A write to a read-only window page: without this hook the kernel would
 * simply make a shared PFN entry writable.
 */
static vm_fault_t vmx_window_pfn_mkwrite(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct vmx_window *win = vma->vm_private_data;
	unsigned long i = (vmf->address - vma->vm_start) >> PAGE_SHIFT;
	vm_fault_t ret = VM_FAULT_SIGBUS;

	mutex_lock(&win->lock);
	if (i < win->npages && win->slot[i].page && !win->slot[i].readonly)
		ret = 0;
	mutex_unlock(&win->lock);
	return ret;
}

static const struct vm_operations_struct vmx_window_ops = {
	.open		= vmx_window_open,
	.close		= vmx_window_close,
	.may_split	= vmx_window_may_split,
	.mremap		= vmx_window_mremap,
	.fault		= vmx_window_fault,
	.pfn_mkwrite	= vmx_window_pfn_mkwrite,
};

int vmx_window_mmap(struct file *file, struct vm_area_struct *vma)
{
	unsigned long npages = vma_pages(vma);
	struct vmx_window *win;

	/* Private PFN mappings would be COW mappings, which PFN inserts refuse. */
	if (!(vma->vm_flags & VM_SHARED) || vma->vm_pgoff ||
	    npages > VMX_WINDOW_MAX_PAGES)
		return -EINVAL;
	win = kvzalloc(struct_size(win, slot, npages), GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!win)
		return -ENOMEM;
	mutex_init(&win->lock);
	refcount_set(&win->refs, 1);
	win->vmas = 1;
	win->npages = npages;
	/* VM_IO also makes madvise(MADV_DOFORK) fail: no window in a child. */
	vmx_vm_flags_set(vma, VM_PFNMAP | VM_IO | VM_DONTEXPAND | VM_DONTDUMP |
			 VM_DONTCOPY);
	vma->vm_private_data = win;
	vma->vm_ops = &vmx_window_ops;
	atomic64_inc(&vmx_stats.windows);
	return 0;
}

/*
 * The window that covers [addr, addr + pages) of @mm, or NULL. The caller
 * holds @mm's mmap lock, which keeps the VMA (and so the window) alive.
 */
struct vmx_window *vmx_window_find(struct mm_struct *mm, unsigned long addr,
				   unsigned long pages,
				   struct vm_area_struct **vmap)
{
	struct vm_area_struct *vma = vma_lookup(mm, addr);

	if (!vma || vma->vm_ops != &vmx_window_ops ||
	    pages > (vma->vm_end - addr) >> PAGE_SHIFT)
		return NULL;
	*vmap = vma;
	return vma->vm_private_data;
}

bool vmx_vma_is_window(struct vm_area_struct *vma)
{
	return vma && vma->vm_ops == &vmx_window_ops;
}

#if IS_ENABLED(CONFIG_KUNIT)
EXPORT_SYMBOL_GPL(vmx_window_mmap);
#endif
