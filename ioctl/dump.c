// SPDX-License-Identifier: GPL-2.0
/*
 * VMX_IOC_DUMP: the walk in slices of at most VMX_DUMP_BUF_BYTES of records.
 * Each slice takes the target's mmap lock, fills a small kernel buffer, drops
 * the lock and only then copies out, so memory use does not grow with the
 * target and a caller that faults on its own buffer cannot deadlock.
 */
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/sizes.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "vmx_abi1.h"
#include "vmx_compat.h"
#include "vmx_priv.h"
#include "../walker/walk.h"

/*
 * The one kernel buffer of a call. Each slice costs a lock round trip and
 * a walk down from the root (about 13 us under TCG), so a slice should carry
 * many records: 630 (struct vmx_rec), or 15 whole tables.
 */
#define VMX_DUMP_BUF_BYTES	SZ_64K
/* Longest one slice holds the mmap lock before yielding it. */
#define VMX_DUMP_SLICE_MS	10
/* Longest one ioctl runs before handing the records it has to the caller. */
#define VMX_DUMP_CALL_MS	200
#define VMX_ENTRY_SIZE_MAX	1024

/* Callers built against ABI 1 have a shorter request: see the uapi. */
static bool vmx_dump_abi1(const struct vmx_dump *d)
{
	return d->size < offsetofend(struct vmx_dump, abi_version);
}

static int vmx_dump_check(const struct vmx_dump *d, unsigned int *level)
{
	unsigned long cva = d->cursor & PAGE_MASK;

	if (d->flags & ~VMX_DUMP_FLAGS_ALL || d->reserved || !d->max_entries)
		return -EINVAL;
	if (d->flags & VMX_DUMP_TABLES) {
		if (d->flags & (VMX_DUMP_MERGE | VMX_DUMP_LEAVES | VMX_DUMP_COMPACT) ||
		    d->entry_size != sizeof(struct vmx_raw_table))
			return -EINVAL;
	} else if (d->flags & VMX_DUMP_COMPACT) {
		if (d->flags & VMX_DUMP_MERGE ||
		    d->entry_size < (d->flags & VMX_DUMP_NO_PAGE ?
				     sizeof(struct vmx_compact) :
				     sizeof(struct vmx_compact_page)) ||
		    d->entry_size > VMX_ENTRY_SIZE_MAX)
			return -EINVAL;
	} else if (d->entry_size < (vmx_dump_abi1(d) ? VMX_ENTRY_SIZE_VER1 :
				    sizeof(struct vmx_entry)) ||
		   d->entry_size > VMX_ENTRY_SIZE_MAX) {
		return -EINVAL;
	}
	/* The user half only: kernel and non-canonical addresses are refused. */
	if (d->start >= d->end || d->end > TASK_SIZE_MAX)
		return -EINVAL;
	*level = d->cursor & ~PAGE_MASK;
	if (!d->cursor) {
		*level = VMX_LEVEL_PGD + 1;
		return 0;
	}
	if (d->cursor == PAGE_ALIGN(d->end))
		return 0;
	if (*level < VMX_LEVEL_PTE || *level > VMX_LEVEL_PGD ||
	    cva < (d->start & PAGE_MASK) || cva >= d->end)
		return -EINVAL;
	return 0;
}

/* What one record takes in the kernel buffer, as the walk fills it. */
static size_t vmx_kernel_rec_size(const struct vmx_walk *w)
{
	if (w->flags & VMX_DUMP_TABLES)
		return sizeof(struct vmx_raw_table);
	if (w->flags & VMX_DUMP_COMPACT)
		return w->flags & VMX_DUMP_NO_PAGE ? sizeof(struct vmx_compact) :
		       sizeof(struct vmx_compact_page);
	return sizeof(struct vmx_rec);
}

/*
 * The slice's records, in the caller's layout, packed in place at the
 * buffer's start (neither layout is larger than struct vmx_rec): the
 * caller then gets one copy when its entry_size is the layout's own.
 * Returns the layout's size.
 */
static size_t vmx_pack_entries(struct vmx_walk *w, bool abi1)
{
	struct vmx_entry_v1 v1;
	unsigned int i;

	static_assert(sizeof(struct vmx_entry_v1) <= sizeof(struct vmx_rec));
	static_assert(sizeof(struct vmx_entry) <= sizeof(struct vmx_rec));
	for (i = 0; i < w->n; i++) {
		if (abi1) {
			vmx_entry_to_abi1(&v1, &w->buf[i]);
			memcpy((struct vmx_entry_v1 *)w->buf + i, &v1, sizeof(v1));
		} else {
			memmove((struct vmx_entry *)w->buf + i, &w->buf[i].e,
				sizeof(struct vmx_entry));
		}
	}
	return abi1 ? sizeof(struct vmx_entry_v1) : sizeof(struct vmx_entry);
}

static int vmx_copy_entries(void __user *dst, struct vmx_walk *w,
			    size_t usize, bool abi1)
{
	const char *src = (const char *)w->buf;
	unsigned int i, n = w->n;
	size_t ksize;

	if (w->flags & VMX_DUMP_TABLES)
		ksize = sizeof(*w->tables);
	else if (w->flags & VMX_DUMP_COMPACT)
		ksize = vmx_kernel_rec_size(w);
	else
		ksize = vmx_pack_entries(w, abi1);
	if (usize == ksize)
		return copy_to_user(dst, src, n * ksize) ? -EFAULT : 0;
	for (i = 0; i < n; i++, dst += usize, src += ksize) {
		if (copy_to_user(dst, src, min(usize, ksize)))
			return -EFAULT;
		if (usize > ksize && clear_user(dst + ksize, usize - ksize))
			return -EFAULT;
	}
	return 0;
}

int vmx_ioc_dump(void *req)
{
	struct vmx_dump *d = req;
	void __user *ubuf = u64_to_user_ptr(d->entries);
	unsigned long call_end = jiffies + msecs_to_jiffies(VMX_DUMP_CALL_MS);
	struct vmx_walk w = { };
	struct mm_struct *mm;
	unsigned int level;
	size_t bytes;
	int ret;

	atomic64_inc(&vmx_stats.dump_calls);
	ret = vmx_dump_check(d, &level);
	if (ret)
		return ret;
	if (check_mul_overflow((size_t)d->max_entries, (size_t)d->entry_size, &bytes) ||
	    !access_ok(ubuf, bytes))
		return -EFAULT;
	d->count = 0;
	d->abi_version = VMX_ABI_VERSION;
	if (d->cursor == PAGE_ALIGN(d->end))
		return 0;

	mm = vmx_target_mm(d->pid, d->start_time);
	if (IS_ERR(mm))
		return PTR_ERR(mm);
	w.buf = kvmalloc(VMX_DUMP_BUF_BYTES, GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!w.buf) {
		mmput(mm);
		return -ENOMEM;
	}
	d->root_pa = __pa(mm->pgd);
	d->root_pa_user = __pa(vmx_user_pgd_table(mm->pgd));
	w.mm = mm;
	w.flags = d->flags;
	w.start = d->start & PAGE_MASK;
	w.end = PAGE_ALIGN(d->end);
	w.key_va = d->cursor ? d->cursor & PAGE_MASK : w.start;
	w.key_level = level;

	for (;;) {
		w.cap = min_t(unsigned int, VMX_DUMP_BUF_BYTES /
			      max_t(size_t, d->entry_size, vmx_kernel_rec_size(&w)),
			      d->max_entries - d->count);
		w.n = 0;
		w.run_open = false;
		w.slice = msecs_to_jiffies(VMX_DUMP_SLICE_MS);
		w.deadline = jiffies + w.slice;
		if (mmap_read_lock_killable(mm)) {
			ret = -EINTR;
			break;
		}
		w.locked_at = ktime_get_ns();
		ret = vmx_walk(&w);
		if (w.unlocked)
			break;
		mmap_read_unlock(mm);
		vmx_stats_lock_held(ktime_get_ns() - w.locked_at);
		atomic64_add(w.n, &vmx_stats.dump_records);
		if (!ret)
			ret = vmx_copy_entries(ubuf + (size_t)d->count * d->entry_size,
					       &w, d->entry_size, vmx_dump_abi1(d));
		if (ret)
			break;
		d->count += w.n;
		if (w.done) {
			d->cursor = w.end;
			break;
		}
		d->cursor = w.key_va | w.key_level;
		if (d->count == d->max_entries || time_after(jiffies, call_end))
			break;
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		cond_resched();
	}
	kvfree(w.buf);
	mmput(mm);
	return ret;
}
