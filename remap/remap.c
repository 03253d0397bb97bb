// SPDX-License-Identifier: GPL-2.0
/*
 * VMX_IOC_REMAP on two address spaces: pin the source's pages under its
 * mmap lock, drop that lock, then change the window's slots under the
 * window's mmap lock and mutex, zapping the window's entries so that the
 * next access faults the new frame in (remap/window.c). The two mmap locks
 * are never held together, so two processes remapping into each other
 * cannot deadlock. Pins are dropped only after the entries that used them
 * were zapped. A grant goes the other way round, so that the source loses
 * nothing unless the pages are placed: it reserves the window's slots
 * first, then pins, zaps and places under the source's mmap lock (see
 * vmx_grant()).
 *
 * What is refused, and why (docs/remaps.md):
 * - map of a private anonymous page: the kernel lets such a page be
 *   writable in one page table only (PAGE_TABLE_CHECK enforces it, and
 *   COW and GUP rely on it); shared memory and files have no such rule;
 * - grant of anything else: only a private anonymous page leaves no other
 *   copy behind (a shared page would be faulted back in from its file);
 *   nor from hugetlb (a partial zap of a huge page BUGs);
 * - mms with MMU notifiers: KVM or an IOMMU would keep stale copies.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/mutex.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
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
 * Pin @r->pages pages of @mm at @r->src_addr, all in @vma, of the kind @r's
 * operation takes. Caller holds @mm's mmap lock. 0 or an errno; on error
 * nothing stays pinned.
 */
static int vmx_pin(struct mm_struct *mm, struct vm_area_struct *vma,
		   const struct vmx_remap *r, bool writable, struct page **pages)
{
	unsigned int gup = FOLL_LONGTERM | (writable ? FOLL_WRITE : 0);
	unsigned long size = (unsigned long)r->pages << PAGE_SHIFT;
	long got;

	if (!vma || size > vma->vm_end - r->src_addr)
		return -EINVAL;
	/* KVM, IOMMUs and HMM would keep copies of what is moved. */
	if (mm_has_notifiers(mm))
		return -EBUSY;
	got = vmx_pin_user_pages_remote(mm, r->src_addr, r->pages, gup, pages);
	if (got < 0)
		return got;
	if (got < r->pages) {
		unpin_user_pages(pages, got);
		return -EFAULT;
	}
	if (!vmx_source_kind_ok(r->op, pages, got)) {
		unpin_user_pages(pages, got);
		return -EINVAL;
	}
	atomic64_add(got, &vmx_stats.pinned_pages);
	return 0;
}

/*
 * Pages a window holds are pinned for as long as it wants: they count
 * against the window owner's pinned_vm (VmPin in /proc/pid/status), up to
 * the caller's RLIMIT_MEMLOCK unless it has CAP_IPC_LOCK, as RDMA and
 * io_uring charge their long-term pins.
 */
static int vmx_charge(struct mm_struct *wmm, unsigned long pages)
{
	unsigned long limit = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;
	s64 now = atomic64_add_return(pages, &wmm->pinned_vm);

	if (now > limit && !capable(CAP_IPC_LOCK)) {
		atomic64_sub(pages, &wmm->pinned_vm);
		return -ENOMEM;
	}
	return 0;
}

static void vmx_unpin_all(struct page **pages, unsigned long n)
{
	unpin_user_pages(pages, n);
	atomic64_sub(n, &vmx_stats.pinned_pages);
}

/*
 * The window a request names, under @wmm's mmap lock. The fd that created
 * a window is the capability of the process that holds the window: a child
 * that inherited it (a window is never inherited itself) must not revoke,
 * protect or fill its parent's window with it. Other fds of /dev/vmx, opened
 * with CAP_SYS_ADMIN on their own, may (that is how vmxctl map works).
 */
static struct vmx_window *vmx_request_window(struct file *file, struct mm_struct *wmm,
					     const struct vmx_remap *r,
					     struct vm_area_struct **vmap, int *err)
{
	struct vmx_window *win = vmx_window_find(wmm, r->win_addr, r->pages, vmap);

	*err = 0;
	/* KVM, IOMMUs and HMM would keep copies of what is changed. */
	if (mm_has_notifiers(wmm))
		*err = -EBUSY;
	else if (!win)
		*err = -ENOENT;
	else if (file && (*vmap)->vm_file == file && current->mm != wmm)
		*err = -EPERM;
	return *err ? NULL : win;
}

/*
 * map and grant fill empty slots: EEXIST for a mapped one (the caller's
 * mistake: retarget replaces, revoke empties), EBUSY for one a grant in
 * progress holds (gone in a moment); revoke, retarget and protect need
 * mapped ones, and protect to read-write
 * pages pinned for writing (a read-only file, a file's page under a private
 * mapping or the zero page must never be written through a window).
 */
static int vmx_slots_ready(const struct vmx_window *win, unsigned long first,
			   const struct vmx_remap *r)
{
	bool fill = r->op == VMX_REMAP_MAP || r->op == VMX_REMAP_GRANT;
	bool make_rw = r->op == VMX_REMAP_PROTECT && !(r->flags & VMX_REMAP_READONLY);
	unsigned long i;

	/* A mapped slot anywhere is the caller's mistake, whatever else is. */
	for (i = 0; fill && i < r->pages; i++)
		if (win->slot[first + i].page)
			return -EEXIST;
	for (i = 0; i < r->pages; i++) {
		const struct vmx_slot *s = &win->slot[first + i];

		if (fill && s->reserved)
			return -EBUSY;
		if (!fill && !s->page)
			return -ENOENT;
		if (make_rw && !s->writable_pin)
			return -EACCES;
	}
	return 0;
}

/*
 * Put @pages (NULL: empty the slots) into the window's slots, or change
 * their protection (@pages NULL, @protect). The slots' old contents go to
 * @old, to be unpinned by the caller after this returned (their entries
 * are zapped by then). With @dry, only check that the slots are ready.
 */
static int vmx_window_change(struct file *file, struct mm_struct *wmm,
			     const struct vmx_remap *r, struct page **pages,
			     bool protect, struct vmx_slot *old, bool dry)
{
	unsigned long size = (unsigned long)r->pages << PAGE_SHIFT;
	bool ro = r->flags & VMX_REMAP_READONLY;
	struct vm_area_struct *vma;
	struct vmx_window *win;
	unsigned long first, i;
	int ret = 0;

	if (mmap_read_lock_killable(wmm))
		return -EINTR;
	win = vmx_request_window(file, wmm, r, &vma, &ret);
	if (!win)
		goto out;
	first = (r->win_addr - vma->vm_start) >> PAGE_SHIFT;
	mutex_lock(&win->lock);
	ret = vmx_slots_ready(win, first, r);
	if (ret || dry)
		goto unlock;
	for (i = 0; i < r->pages; i++) {
		struct vmx_slot *s = &win->slot[first + i];

		s->readonly = ro;
		if (protect)
			continue;
		old[i] = *s;
		s->page = pages ? pages[i] : NULL;
		s->writable_pin = pages && !ro;
	}
	vmx_zap_special_range(vma, r->win_addr, size);
unlock:
	mutex_unlock(&win->lock);
out:
	mmap_read_unlock(wmm);
	return ret;
}

/*
 * Hold @r's window slots empty for a grant, so that no other request can
 * fill them before the grant does: the source loses its pages at once, and
 * they must have a place to go. Returns the window with a reference.
 */
static struct vmx_window *vmx_reserve(struct file *file, struct mm_struct *wmm,
				      const struct vmx_remap *r,
				      unsigned long *first)
{
	struct vm_area_struct *vma;
	struct vmx_window *win;
	unsigned long i;
	int ret;

	if (mmap_read_lock_killable(wmm))
		return ERR_PTR(-EINTR);
	win = vmx_request_window(file, wmm, r, &vma, &ret);
	if (win) {
		*first = (r->win_addr - vma->vm_start) >> PAGE_SHIFT;
		mutex_lock(&win->lock);
		ret = vmx_slots_ready(win, *first, r);
		for (i = 0; !ret && i < r->pages; i++)
			win->slot[*first + i].reserved = true;
		if (!ret)
			refcount_inc(&win->refs);
		mutex_unlock(&win->lock);
	}
	mmap_read_unlock(wmm);
	return ret ? ERR_PTR(ret) : win;
}

/*
 * Grant moves what is there: an address the source never wrote (nothing
 * mapped, or the shared zero page), or whose page it gave away already, has
 * nothing of its own to give (GUP would make up a zero page for it).
 * Swapped-out pages are there: GUP brings them back.
 */
static int vmx_grant_populated(struct mm_struct *mm, struct vm_area_struct *vma,
			       const struct vmx_remap *r)
{
	struct vmx_resolve *res = kmalloc(sizeof(*res), GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	unsigned int i;
	int ret = 0;

	if (!res)
		return -ENOMEM;
	for (i = 0; !ret && i < r->pages; i++) {
		memset(res, 0, sizeof(*res));
		res->addr = r->src_addr + ((unsigned long)i << PAGE_SHIFT);
		vmx_resolve_user(mm, vma, res, NULL);
		/*
		 * Swapped out is there; a zero page, huge or not, is not
		 * (in an anonymous VMA a frame without a struct page can only
		 * be the huge zero page). Shared pages are EINVAL, later.
		 */
		if (res->result == VMX_RESOLVE_NONE ||
		    (res->result == VMX_RESOLVE_MAPPED &&
		     ((res->final.page & (VMX_PAGE_ZERO | VMX_PAGE_HUGE_ZERO)) ||
		      ((res->final.page & VMX_PAGE_NO_STRUCT) && vma_is_anonymous(vma)))))
			ret = -ENOENT;
	}
	kfree(res);
	return ret;
}

/*
 * The source's half of a grant, under its mmap lock in write mode: pin,
 * zap, and place into the reserved slots, with nothing that can fail after
 * the zap. The write lock, with the VMA's own lock taken for writing too
 * (since 6.4 faults, and on 7.x madvise(MADV_DONTNEED), take only that),
 * keeps every zapper of the source out between the pin and the zap, so the
 * zap removes exactly the pinned pages (compaction, reclaim and KSM leave
 * pinned pages alone).
 */
static int vmx_grant_move(struct mm_struct *src, const struct vmx_remap *r,
			  struct vmx_window *win, unsigned long first,
			  struct page **pages)
{
	unsigned long size = (unsigned long)r->pages << PAGE_SHIFT;
	struct vm_area_struct *vma;
	unsigned long i;
	int ret;

	if (mmap_write_lock_killable(src))
		return -EINTR;
	vma = vma_lookup(src, r->src_addr);
	/*
	 * hugetlb: a zap of part of a huge page hits a BUG_ON in
	 * __unmap_hugepage_range(), and its PMD tables may be shared.
	 */
	ret = vma && is_vm_hugetlb_page(vma) ? -EINVAL : 0;
	if (!ret && vma && size <= vma->vm_end - r->src_addr) {
		vmx_vma_start_write(vma);
		ret = vmx_grant_populated(src, vma, r);
	}
	if (!ret)
		ret = vmx_pin(src, vma, r, true, pages);
	if (ret)
		goto out;
	mutex_lock(&win->lock);
	if (!win->vmas) {
		/* The window was unmapped meanwhile: the source keeps its pages. */
		mutex_unlock(&win->lock);
		vmx_unpin_all(pages, r->pages);
		ret = -ENOENT;
		goto out;
	}
	vmx_zap_range(vma, r->src_addr, size);
	for (i = 0; i < r->pages; i++) {
		struct vmx_slot *s = &win->slot[first + i];

		s->page = pages[i];
		s->readonly = r->flags & VMX_REMAP_READONLY;
		s->writable_pin = true;
		s->reserved = false;
	}
	mutex_unlock(&win->lock);
out:
	mmap_write_unlock(src);
	return ret;
}

/*
 * All or nothing: the source loses its pages only when they are placed.
 * Grants are serialised, so that two grants of one page cannot both pin
 * it before either zaps it: the second finds nothing there (ENOENT).
 */
static int vmx_grant(struct file *file, struct mm_struct *src,
		     struct mm_struct *wmm, struct vmx_remap *r,
		     struct page **pages)
{
	static DEFINE_MUTEX(vmx_grant_lock);
	struct vmx_window *win;
	unsigned long first, i;
	int ret;

	if (mutex_lock_killable(&vmx_grant_lock))
		return -EINTR;
	win = vmx_reserve(file, wmm, r, &first);
	if (IS_ERR(win)) {
		ret = PTR_ERR(win);
		goto out;
	}
	ret = vmx_charge(wmm, r->pages);
	if (!ret) {
		ret = vmx_grant_move(src, r, win, first, pages);
		if (ret)
			atomic64_sub(r->pages, &wmm->pinned_vm);
	}
	mutex_lock(&win->lock);
	for (i = 0; i < r->pages; i++)
		win->slot[first + i].reserved = false;
	mutex_unlock(&win->lock);
	vmx_window_unref(win);
out:
	mutex_unlock(&vmx_grant_lock);
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
		pr_info_ratelimited("%s by pid %d: pid %d window 0x%llx, %u pages -> %s\n",
				    names[r->op], task_pid_nr(current), r->win_pid, r->win_addr,
				    r->pages,
				    r->flags & VMX_REMAP_READONLY ? "read-only" : "read-write");
	else if (r->op == VMX_REMAP_REVOKE)
		pr_info_ratelimited("%s by pid %d: pid %d window 0x%llx, %u pages, %s\n",
				    names[r->op], task_pid_nr(current), r->win_pid, r->win_addr,
				    r->pages, frames);
	else
		pr_info_ratelimited("%s by pid %d: pid %d 0x%llx -> pid %d window 0x%llx, %u pages, %s%s\n",
				    names[r->op], task_pid_nr(current), r->src_pid, r->src_addr,
				    r->win_pid, r->win_addr, r->pages, frames,
				    r->flags & VMX_REMAP_READONLY ? ", read-only" : "");
}

/* map and retarget: pin the source's pages under its mmap lock. */
static int vmx_pin_source(struct mm_struct *src, const struct vmx_remap *r,
			  struct page **pages)
{
	bool writable = !(r->flags & VMX_REMAP_READONLY);
	int ret;

	if (mmap_read_lock_killable(src))
		return -EINTR;
	ret = vmx_pin(src, vma_lookup(src, r->src_addr), r, writable, pages);
	mmap_read_unlock(src);
	return ret;
}

/* @src is NULL for revoke and protect. */
int vmx_remap_mms(struct file *file, struct mm_struct *src,
		  struct mm_struct *wmm, struct vmx_remap *r)
{
	bool protect = r->op == VMX_REMAP_PROTECT, charged = false;
	struct page **pages = NULL;
	struct vmx_slot *old;
	unsigned long i;
	int ret;

	old = kvcalloc(r->pages, sizeof(*old), GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (src)
		pages = kvcalloc(r->pages, sizeof(*pages), GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!old || (src && !pages)) {
		ret = -ENOMEM;
		goto out;
	}
	if (r->op == VMX_REMAP_GRANT) {
		ret = vmx_grant(file, src, wmm, r, pages);
		if (!ret)
			goto done;
		goto out;
	}
	if (src) {
		/* Pin nothing for a window that cannot take it. */
		ret = vmx_window_change(file, wmm, r, NULL, false, old, true);
		if (ret)
			goto out;
		/* Retarget swaps pinned pages one for one: nothing to charge. */
		if (r->op == VMX_REMAP_MAP) {
			ret = vmx_charge(wmm, r->pages);
			if (ret)
				goto out;
			charged = true;
		}
		ret = vmx_pin_source(src, r, pages);
		if (ret)
			goto uncharge;
	}
	ret = vmx_window_change(file, wmm, r, pages, protect, old, false);
	if (ret) {
		/* Nothing was placed: give back what was pinned for it. */
		if (src)
			vmx_unpin_all(pages, r->pages);
		goto uncharge;
	}
done:
	r->done = r->pages;
	vmx_audit(r, old[0].page, pages ? pages[0] : NULL);
	for (i = 0; i < r->pages; i++) {
		if (old[i].page) {
			vmx_slot_unpin(old[i].page, old[i].writable_pin);
			/* Revoke gives back what map or grant charged. */
			if (r->op == VMX_REMAP_REVOKE)
				atomic64_dec(&wmm->pinned_vm);
		}
	}
	goto out;
uncharge:
	if (charged)
		atomic64_sub(r->pages, &wmm->pinned_vm);
out:
	kvfree(pages);
	kvfree(old);
	return ret;
}

#if IS_ENABLED(CONFIG_KUNIT)
EXPORT_SYMBOL_GPL(vmx_remap_mms);
#endif
