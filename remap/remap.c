// SPDX-License-Identifier: GPL-2.0
/*
 * VMX_IOC_REMAP on two address spaces: pin the source's pages under its
 * mmap lock, drop that lock, then change the window's slots under the
 * window's mmap lock and mutex, zapping the window's entries so that the
 * next access faults the new frame in (remap/window.c). The two mmap locks
 * are never held together, so two processes remapping into each other
 * cannot deadlock. Pins are dropped only after the entries that used them
 * were zapped.
 *
 * What is refused, and why (docs/remaps.md):
 * - map of a private anonymous page: the kernel lets such a page be
 *   writable in one page table only (PAGE_TABLE_CHECK enforces it, and
 *   COW and GUP rely on it); shared memory and files have no such rule;
 * - grant of anything else: only a private anonymous page leaves no other
 *   copy behind (a shared page would be faulted back in from its file);
 * - mms with MMU notifiers: KVM or an IOMMU would keep stale copies.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/mutex.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include "vmx_compat.h"
#include "vmx_priv.h"

/* Does the source hold the kind of page the operation needs? */
static bool vmx_source_kind_ok(u32 op, struct page **pages, unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++) {
		bool anon = PageAnon(pages[i]);

		/* A KSM page is never here: FOLL_WRITE broke its sharing. */
		if (op == VMX_REMAP_GRANT ? !anon : anon)
			return false;
	}
	return true;
}

/*
 * Pin @r->pages pages of @src at @r->src_addr, all in one VMA; for grant,
 * then zap them there, so that the source's next access faults in a new
 * page. Returns the number pinned (all of them) or an errno.
 */
static long vmx_pin_source(struct mm_struct *src, const struct vmx_remap *r,
			   struct page **pages)
{
	unsigned int gup = FOLL_LONGTERM;
	unsigned long size = (unsigned long)r->pages << PAGE_SHIFT;
	struct vm_area_struct *vma;
	long got;

	if (!(r->flags & VMX_REMAP_READONLY) || r->op == VMX_REMAP_GRANT)
		gup |= FOLL_WRITE;	/* breaks COW: the page is the source's own */
	if (mmap_read_lock_killable(src))
		return -EINTR;
	vma = vma_lookup(src, r->src_addr);
	if (!vma || size > vma->vm_end - r->src_addr) {
		got = -EINVAL;
		goto out;
	}
	got = vmx_pin_user_pages_remote(src, r->src_addr, r->pages, gup, pages);
	if (got >= 0 && got < r->pages) {
		unpin_user_pages(pages, got);
		got = -EFAULT;
	}
	if (got < 0)
		goto out;
	if (!vmx_source_kind_ok(r->op, pages, got)) {
		unpin_user_pages(pages, got);
		got = -EINVAL;
		goto out;
	}
	if (r->op == VMX_REMAP_GRANT)
		vmx_zap_range(vma, r->src_addr, size);
out:
	mmap_read_unlock(src);
	return got;
}

/* map and grant fill empty slots; the others need mapped ones. */
static int vmx_slots_ready(const struct vmx_window *win, unsigned long first,
			   const struct vmx_remap *r)
{
	bool fill = r->op == VMX_REMAP_MAP || r->op == VMX_REMAP_GRANT;
	unsigned long i;

	for (i = 0; i < r->pages; i++) {
		bool mapped = win->slot[first + i].page;

		if (fill && mapped)
			return -EBUSY;
		if (!fill && !mapped)
			return -ENOENT;
	}
	return 0;
}

/*
 * Put @pages (NULL: empty the slots) into the window's slots, or change
 * their protection (@pages NULL, @protect). The slots' old pages go to
 * @old, to be unpinned by the caller after this returned (their entries
 * are zapped by then). With @dry, only check that the slots are ready.
 */
static int vmx_window_change(struct mm_struct *wmm, const struct vmx_remap *r,
			     struct page **pages, bool protect,
			     struct page **old, bool dry)
{
	unsigned long size = (unsigned long)r->pages << PAGE_SHIFT;
	bool ro = r->flags & VMX_REMAP_READONLY;
	struct vm_area_struct *vma;
	struct vmx_window *win;
	unsigned long first, i;
	int ret = 0;

	if (mmap_read_lock_killable(wmm))
		return -EINTR;
	win = vmx_window_find(wmm, r->win_addr, r->pages, &vma);
	if (!win) {
		ret = -ENOENT;
		goto out;
	}
	first = (r->win_addr - vma->vm_start) >> PAGE_SHIFT;
	mutex_lock(&win->lock);
	ret = vmx_slots_ready(win, first, r);
	if (ret || dry)
		goto unlock;
	for (i = 0; i < r->pages; i++) {
		struct vmx_slot *s = &win->slot[first + i];

		old[i] = NULL;
		if (protect) {
			s->readonly = ro;
			continue;
		}
		old[i] = s->page;
		s->page = pages ? pages[i] : NULL;
		s->readonly = ro;
	}
	vmx_zap_special_range(vma, r->win_addr, size);
unlock:
	mutex_unlock(&win->lock);
out:
	mmap_read_unlock(wmm);
	return ret;
}

/* One log line per operation: who, what, where, and the first page's frame. */
static void vmx_audit(const struct vmx_remap *r, struct page *old, struct page *new)
{
	static const char * const names[] = {
		[VMX_REMAP_MAP] = "map", [VMX_REMAP_GRANT] = "grant",
		[VMX_REMAP_REVOKE] = "revoke", [VMX_REMAP_RETARGET] = "retarget",
		[VMX_REMAP_PROTECT] = "protect",
	};
	char frames[48];

	snprintf(frames, sizeof(frames), "frame 0x%lx -> 0x%lx",
		 old ? page_to_pfn(old) : 0, new ? page_to_pfn(new) : 0);
	if (r->op == VMX_REMAP_PROTECT)
		pr_info("%s by pid %d: pid %d window 0x%llx, %u pages -> %s\n",
			names[r->op], task_pid_nr(current), r->win_pid, r->win_addr,
			r->pages, r->flags & VMX_REMAP_READONLY ? "read-only" : "read-write");
	else if (r->op == VMX_REMAP_REVOKE)
		pr_info("%s by pid %d: pid %d window 0x%llx, %u pages, %s\n",
			names[r->op], task_pid_nr(current), r->win_pid, r->win_addr,
			r->pages, frames);
	else
		pr_info("%s by pid %d: pid %d 0x%llx -> pid %d window 0x%llx, %u pages, %s%s\n",
			names[r->op], task_pid_nr(current), r->src_pid, r->src_addr,
			r->win_pid, r->win_addr, r->pages, frames,
			r->flags & VMX_REMAP_READONLY ? ", read-only" : "");
}

/* @src is NULL for revoke and protect. */
int vmx_remap_mms(struct mm_struct *src, struct mm_struct *wmm,
		  struct vmx_remap *r)
{
	bool protect = r->op == VMX_REMAP_PROTECT;
	struct page **pages = NULL, **old;
	long pinned = 0, dropped = 0;
	unsigned long i;
	int ret;

	if (mm_has_notifiers(wmm) || (src && mm_has_notifiers(src)))
		return -EBUSY;
	old = kvcalloc(r->pages, sizeof(*old), GFP_KERNEL);
	if (src)
		pages = kvcalloc(r->pages, sizeof(*pages), GFP_KERNEL);
	if (!old || (src && !pages)) {
		ret = -ENOMEM;
		goto out;
	}
	if (src) {
		/*
		 * A grant's source loses its pages before they are placed:
		 * check the window first, so that only a window unmapped in
		 * between can make them go nowhere (as if revoked at once).
		 */
		ret = vmx_window_change(wmm, r, NULL, false, old, true);
		if (ret)
			goto out;
		pinned = vmx_pin_source(src, r, pages);
		if (pinned < 0) {
			ret = pinned;
			goto out;
		}
		atomic64_add(pinned, &vmx_stats.pinned_pages);
	}
	ret = vmx_window_change(wmm, r, pages, protect, old, false);
	if (ret && pinned) {
		/* Nothing was placed: give back what was pinned for it. */
		unpin_user_pages(pages, pinned);
		atomic64_sub(pinned, &vmx_stats.pinned_pages);
	}
	if (ret)
		goto out;
	r->done = r->pages;
	vmx_audit(r, old[0], pages ? pages[0] : NULL);
	for (i = 0; i < r->pages; i++) {
		if (old[i]) {
			unpin_user_page(old[i]);
			dropped++;
		}
	}
	atomic64_sub(dropped, &vmx_stats.pinned_pages);
out:
	kvfree(pages);
	kvfree(old);
	return ret;
}

#if IS_ENABLED(CONFIG_KUNIT)
EXPORT_SYMBOL_GPL(vmx_remap_mms);
#endif
