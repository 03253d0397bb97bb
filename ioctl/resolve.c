// SPDX-License-Identifier: GPL-2.0
/*
 * VMX_IOC_RESOLVE: one address, step by step. A user address in no VMA is
 * still walked (the MMU would walk it too), under the mmap lock in write
 * mode: only that keeps munmap from freeing the tables on the way.
 */
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/sched/mm.h>
#include <linux/string.h>

#include "vmx_abi1.h"
#include "vmx_priv.h"

/* As vmx_resolve_locked(); and the VMA's raw vm_flags, for ABI 1. */
static int vmx_resolve_mm(struct mm_struct *mm, struct vmx_resolve *r,
			  struct page **pagep, vm_flags_t *vm_flags)
{
	struct vm_area_struct *vma;

	*vm_flags = 0;
	if (mmap_read_lock_killable(mm))
		return -EINTR;
	vma = vma_lookup(mm, r->addr);
	if (vma) {
		vmx_resolve_user(mm, vma, r, pagep);
		*vm_flags = vma->vm_flags;
		mmap_read_unlock(mm);
		return 0;
	}
	mmap_read_unlock(mm);
	if (pagep)
		return 0;	/* nothing to read outside a VMA */
	if (mmap_write_lock_killable(mm))
		return -EINTR;
	/*
	 * A VMA may have appeared meanwhile; the walk says which. The write
	 * lock does not keep a shared hugetlb PMD table from being unshared
	 * and freed (that runs under i_mmap_rwsem alone): the walk takes
	 * that lock here too.
	 */
	vma = vma_lookup(mm, r->addr);
	vmx_resolve_user(mm, vma, r, NULL);
	if (vma)
		*vm_flags = vma->vm_flags;
	mmap_write_unlock(mm);
	return 0;
}

int vmx_resolve_locked(struct mm_struct *mm, struct vmx_resolve *r,
		       struct page **pagep)
{
	vm_flags_t vm_flags;

	return vmx_resolve_mm(mm, r, pagep, &vm_flags);
}

/*
 * Everything from @root_pa on is output; the inputs all come before it.
 * A caller whose struct ends before @final (steps only: the per-address
 * fast path) gets only that much cleared: the walk writes every other
 * field before reading it, no more than @size (the dispatcher's one read
 * of it) goes back, and no ABI 1 conversion is made for it. Any longer
 * struct is cleared whole: @final may be left unwritten (an empty entry)
 * and ABI 1's conversion reads it.
 */
static void vmx_resolve_clear_outputs(struct vmx_resolve *r)
{
	size_t end = r->size <= offsetof(struct vmx_resolve, final) ?
		     max_t(size_t, r->size, offsetof(struct vmx_resolve, root_pa)) :
		     sizeof(*r);

	static_assert(offsetof(struct vmx_resolve, root_pa) ==
		      offsetofend(struct vmx_resolve, addr));
	r->nr_steps = 0;
	memset(&r->root_pa, 0, end - offsetof(struct vmx_resolve, root_pa));
}

int vmx_ioc_resolve(void *req)
{
	struct vmx_resolve *r = req;
	vm_flags_t vm_flags = 0;
	struct mm_struct *mm;
	int ret;

	if (r->flags & ~VMX_RESOLVE_FLAGS_ALL || r->reserved)
		return -EINVAL;
	/* Outputs start clear, whatever the caller left in them. */
	vmx_resolve_clear_outputs(r);
	if (r->flags & VMX_RESOLVE_KERNEL) {
		ret = vmx_resolve_kernel(r);
	} else {
		if (r->addr >= TASK_SIZE_MAX)
			return -EINVAL;
		mm = vmx_target_mm(r->pid, r->start_time);
		if (IS_ERR(mm))
			return PTR_ERR(mm);
		ret = vmx_resolve_mm(mm, r, NULL, &vm_flags);
		mmput(mm);
	}
	if (ret)
		return ret;
	r->abi_version = VMX_ABI_VERSION;
	/* Nothing of ABI 1's own layout lies before @final. */
	if (r->size > offsetof(struct vmx_resolve, final) &&
	    r->size < offsetofend(struct vmx_resolve, abi_version))
		vmx_resolve_to_abi1(r, vm_flags);
	return 0;
}

#if IS_ENABLED(CONFIG_KUNIT)
EXPORT_SYMBOL_GPL(vmx_resolve_locked);
#endif
