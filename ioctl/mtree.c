// SPDX-License-Identifier: GPL-2.0
/*
 * VMX_IOC_MTREE: the nodes of a process's maple tree. One pass counts the
 * nodes so that the buffer fits the tree rather than the caller's maximum;
 * a second pass fills it. Both run under the mmap read lock, and nothing is
 * copied to user memory while it is held (the caller may be the target).
 */
#include <linux/kernel.h>
#include <linux/maple_tree.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "vmx_compat.h"
#include "vmx_priv.h"

static_assert(MAPLE_RANGE64_SLOTS == VMX_MT_SLOTS);
static_assert(MAPLE_ARANGE64_SLOTS <= VMX_MT_SLOTS);
static_assert(ARRAY_SIZE(((struct vmx_mtree_walk *)0)->stack) >=
	      MAPLE_HEIGHT_MAX * MAPLE_RANGE64_SLOTS);

/*
 * The kernel buffer of one call: a slice of the nodes, copied out before
 * the next is read, so that kernel memory stays the same whatever the size
 * of the tree (65,536 nodes would take 18 MiB at once).
 */
#define VMX_MT_CHUNK_NODES	(SZ_1M / sizeof(struct vmx_mt_node))

static int vmx_mtree_pass(struct vmx_mtree_walk *w, struct mm_struct *mm,
			  struct vmx_mt_node *out, u32 skip, u32 max)
{
	int ret;

	if (mmap_read_lock_killable(mm))
		return -EINTR;
	ret = vmx_mtree_walk_from(w, &mm->mm_mt, out, skip, max);
	mmap_read_unlock(mm);
	return ret;
}

static int vmx_mtree_copy_once(struct vmx_mtree *d, struct mm_struct *mm,
			       struct vmx_mtree_walk *w, struct vmx_mt_node *buf,
			       u32 chunk)
{
	struct vmx_mt_node __user *dst = u64_to_user_ptr(d->nodes);
	u32 done = 0, want = d->max_nodes, total = 0;
	u64 sum = 0;
	int ret;

	for (;;) {
		u32 n = min(chunk, want - done);

		ret = vmx_mtree_pass(w, mm, buf, done, n);
		if (ret)
			return ret;
		if (!done) {
			total = w->total;
			sum = w->sum;
			want = min(want, total);
		} else if (w->total != total || w->sum != sum) {
			return -EAGAIN;
		}
		n = min(n, want - done);
		if (n && copy_to_user(dst + done, buf, n * sizeof(*buf)))
			return -EFAULT;
		done += n;
		if (done == want)
			break;
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
	d->count = done;
	d->total = w->total;
	d->height = w->height;
	d->ma_flags = w->ma_flags;
	d->vmas = w->entries;
	return 0;
}

/*
 * Each slice walks the tree again from the root and keeps its own part;
 * a tree that changed between two walks (another fingerprint) makes the
 * call start over, a few times, then EAGAIN: the nodes returned always
 * come from one and the same tree.
 */
#define VMX_MT_TRIES	4

static int vmx_mtree_copy(struct vmx_mtree *d, struct mm_struct *mm,
			  struct vmx_mtree_walk *w, struct vmx_mt_node *buf,
			  u32 chunk)
{
	int tries, ret = -EAGAIN;

	for (tries = 0; tries < VMX_MT_TRIES && ret == -EAGAIN; tries++)
		ret = vmx_mtree_copy_once(d, mm, w, buf, chunk);
	return ret;
}

int vmx_ioc_mtree(void *req)
{
	struct vmx_mtree *d = req;
	struct vmx_mtree_walk *w;
	struct vmx_mt_node *buf;
	struct mm_struct *mm;
	u32 chunk;
	int ret;

	if (d->flags || d->reserved || !d->max_nodes ||
	    d->max_nodes > VMX_MT_MAX_NODES ||
	    d->entry_size != sizeof(struct vmx_mt_node))
		return -EINVAL;
	mm = vmx_target_mm(d->pid, d->start_time);
	if (IS_ERR(mm))
		return PTR_ERR(mm);
	chunk = min_t(u32, d->max_nodes, VMX_MT_CHUNK_NODES);
	w = kvmalloc(sizeof(*w), GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	buf = kvmalloc_array(chunk, sizeof(*buf), GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	ret = w && buf ? vmx_mtree_copy(d, mm, w, buf, chunk) : -ENOMEM;
	kvfree(buf);
	kvfree(w);
	mmput(mm);
	return ret;
}
