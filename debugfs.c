// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/vmx/: everything vmx shows through debugfs.
 *
 * stats: counters that let a user (and the benchmark) check vmx's promises
 * from outside, e.g. how long a dump held a target's mmap lock at most.
 * Without debugfs the counters are kept, just not shown.
 *
 * mt_dump: on kernels built with CONFIG_DEBUG_MAPLE_TREE, writing a pid
 * prints the kernel's own mt_dump() of that process's tree, so that what
 * VMX_IOC_MTREE returns can be put beside it.
 */
#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/kernel.h>
#include <linux/maple_tree.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/seq_file.h>

#include "vmx_compat.h"
#include "vmx_priv.h"

struct vmx_stats vmx_stats;
#if IS_ENABLED(CONFIG_KUNIT)
/* KUnit checks that the pinned-page count returns to where it was. */
EXPORT_SYMBOL_GPL(vmx_stats);
#endif
static struct dentry *vmx_debugfs;

void vmx_stats_lock_held(u64 ns)
{
	s64 old = atomic64_read(&vmx_stats.lock_max_ns);

	atomic64_inc(&vmx_stats.dump_slices);
	atomic64_add(ns, &vmx_stats.lock_total_ns);
	while (ns > old && !atomic64_try_cmpxchg(&vmx_stats.lock_max_ns, &old, ns))
		;
}

static int vmx_stats_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "dump_calls %lld\n", atomic64_read(&vmx_stats.dump_calls));
	seq_printf(m, "dump_slices %lld\n", atomic64_read(&vmx_stats.dump_slices));
	seq_printf(m, "dump_records %lld\n", atomic64_read(&vmx_stats.dump_records));
	seq_printf(m, "mmap_lock_held_max_us %lld\n",
		   atomic64_read(&vmx_stats.lock_max_ns) / NSEC_PER_USEC);
	seq_printf(m, "mmap_lock_held_total_us %lld\n",
		   atomic64_read(&vmx_stats.lock_total_ns) / NSEC_PER_USEC);
	seq_printf(m, "windows %lld\n", atomic64_read(&vmx_stats.windows));
	seq_printf(m, "pinned_pages %lld\n", atomic64_read(&vmx_stats.pinned_pages));
	seq_printf(m, "edits %lld\n", atomic64_read(&vmx_stats.edits));
	seq_printf(m, "tlb_flushes %lld\n", atomic64_read(&vmx_stats.tlb_flushes));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vmx_stats);

#ifdef VMX_HAVE_MT_DUMP
static ssize_t vmx_mt_dump_write(struct file *file, const char __user *ubuf,
				 size_t len, loff_t *ppos)
{
	struct mm_struct *mm;
	int pid, ret;

	ret = kstrtoint_from_user(ubuf, len, 10, &pid);
	if (ret)
		return ret;
	mm = vmx_target_mm(pid, 0);
	if (IS_ERR(mm))
		return PTR_ERR(mm);
	if (mmap_read_lock_killable(mm)) {
		mmput(mm);
		return -EINTR;
	}
	mt_dump(&mm->mm_mt, mt_dump_hex);
	mmap_read_unlock(mm);
	mmput(mm);
	return len;
}

static const struct file_operations vmx_mt_dump_fops = {
	.owner = THIS_MODULE,
	.write = vmx_mt_dump_write,
};

#endif

void vmx_stats_init(void)
{
	vmx_debugfs = debugfs_create_dir("vmx", NULL);
	debugfs_create_file("stats", 0400, vmx_debugfs, NULL, &vmx_stats_fops);
#ifdef VMX_HAVE_MT_DUMP
	debugfs_create_file("mt_dump", 0200, vmx_debugfs, NULL, &vmx_mt_dump_fops);
#endif
}

void vmx_stats_exit(void)
{
	debugfs_remove(vmx_debugfs);
}
