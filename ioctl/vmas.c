// SPDX-License-Identifier: GPL-2.0
/*
 * VMX_IOC_VMAS: the VMAs of a process from its maple tree, in slices: each
 * slice reads up to VMX_VMAS_CHUNK VMAs under the mmap lock, holding a
 * reference on their files, and only after unlocking turns files into
 * paths (d_path may sleep) and copies out.
 */
#include <linux/dcache.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/hugetlb.h>
#include <linux/kdev_t.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "vmx_compat.h"
#include "vmx_priv.h"

#define VMX_VMAS_CHUNK	16

struct vmx_vmas_slice {
	struct vmx_vma v[VMX_VMAS_CHUNK];
	struct file *file[VMX_VMAS_CHUNK];
	char path[PATH_MAX];
};

/* What the mmap lock protects: everything but the file's path. */
static void vmx_vma_fill(struct vmx_vma *v, struct file **filep,
			 struct vm_area_struct *vma)
{
	const char *name = NULL;

	memset(v, 0, sizeof(*v));
	v->start = vma->vm_start;
	v->end = vma->vm_end;
	v->vm_flags = vma->vm_flags;
	v->pgoff = vma->vm_pgoff;
	v->flags = vmx_vma_flags(vma);
	v->pkey = vmx_vma_pkey(vma);
	v->attrs = v->flags & VMX_VMA_ATTRS;
	*filep = NULL;
	if (vma->vm_file) {
		struct inode *inode = file_inode(vma->vm_file);

		v->inode = inode->i_ino;
		v->dev_major = MAJOR(inode->i_sb->s_dev);
		v->dev_minor = MINOR(inode->i_sb->s_dev);
		*filep = get_file(vma->vm_file);
		return;
	}
	/* As /proc/pid/maps names them. */
	if (vma->vm_ops && vma->vm_ops->name) {
		name = vma->vm_ops->name(vma);
		v->flags |= VMX_VMA_SPECIAL;
	} else if (vmx_vma_is_heap(vma)) {
		name = "[heap]";
		v->flags |= VMX_VMA_HEAP;
	} else if (vmx_vma_is_stack(vma)) {
		name = "[stack]";
		v->flags |= VMX_VMA_STACK;
	}
	v->attrs = v->flags & VMX_VMA_ATTRS;
	if (name)
		strscpy(v->name, name, sizeof(v->name));
}

static void vmx_vma_path(struct vmx_vma *v, struct file *file, char *buf)
{
	char *p = d_path(&file->f_path, buf, PATH_MAX);

	if (IS_ERR(p))
		p = "?";
	if (strscpy(v->name, p, sizeof(v->name)) < 0) {
		v->flags |= VMX_VMA_NAME_TRUNCATED;
		v->attrs |= VMX_VMA_NAME_TRUNCATED;
	}
}

/*
 * ABI 1's struct vmx_vma ends with @name: the same struct, cut short. A
 * caller's larger struct gets zeros past ours.
 */
#define VMX_VMA_SIZE_VER1	offsetofend(struct vmx_vma, name)
#define VMX_VMA_SIZE_MAX	4096

static int vmx_vmas_copy(void __user *dst, const struct vmx_vma *v,
			 unsigned int n, size_t usize)
{
	size_t ksize = sizeof(*v);
	unsigned int i;

	if (usize == ksize)
		return copy_to_user(dst, v, n * ksize) ? -EFAULT : 0;
	for (i = 0; i < n; i++, dst += usize) {
		if (copy_to_user(dst, &v[i], min(usize, ksize)))
			return -EFAULT;
		if (usize > ksize && clear_user(dst + ksize, usize - ksize))
			return -EFAULT;
	}
	return 0;
}

int vmx_ioc_vmas(void *req)
{
	struct vmx_vmas *d = req;
	struct vmx_vmas_slice *s;
	struct vm_area_struct *vma;
	struct mm_struct *mm;
	unsigned long addr = d->cursor;
	unsigned int n, i;
	int ret = 0;

	if (d->flags || d->reserved || !d->max_entries ||
	    d->entry_size < VMX_VMA_SIZE_VER1 || d->entry_size > VMX_VMA_SIZE_MAX ||
	    d->cursor > TASK_SIZE_MAX)
		return -EINVAL;
	d->count = 0;
	mm = vmx_target_mm(d->pid, d->start_time);
	if (IS_ERR(mm))
		return PTR_ERR(mm);
	s = kvmalloc(sizeof(*s), GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!s) {
		mmput(mm);
		return -ENOMEM;
	}
	while (d->count < d->max_entries && addr < TASK_SIZE_MAX) {
		VMA_ITERATOR(vmi, mm, addr);

		n = 0;
		if (mmap_read_lock_killable(mm)) {
			ret = -EINTR;
			break;
		}
		for_each_vma_range(vmi, vma, TASK_SIZE_MAX) {
			if (n == VMX_VMAS_CHUNK || d->count + n == d->max_entries)
				break;
			vmx_vma_fill(&s->v[n], &s->file[n], vma);
			n++;
		}
		mmap_read_unlock(mm);
		for (i = 0; i < n; i++) {
			if (s->file[i]) {
				vmx_vma_path(&s->v[i], s->file[i], s->path);
				fput(s->file[i]);
			}
		}
		if (n && vmx_vmas_copy(u64_to_user_ptr(d->entries) +
				       (size_t)d->count * d->entry_size,
				       s->v, n, d->entry_size)) {
			ret = -EFAULT;
			break;
		}
		d->count += n;
		addr = n ? s->v[n - 1].end : TASK_SIZE_MAX;
		if (n < VMX_VMAS_CHUNK && d->count < d->max_entries)
			addr = TASK_SIZE_MAX;	/* the tree had no more */
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
	}
	d->cursor = addr;
	kvfree(s);
	mmput(mm);
	return ret;
}
