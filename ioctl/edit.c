// SPDX-License-Identifier: GPL-2.0
/*
 * VMX_IOC_EDIT: the request's checks and the policy that gates it (the
 * module parameter allow_edits); the edit itself is remap/edit.c's.
 */
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/sched/mm.h>
#include <linux/security.h>

#include "vmx_priv.h"

int vmx_allow_edits;
#if IS_ENABLED(CONFIG_KUNIT)
EXPORT_SYMBOL_GPL(vmx_allow_edits);
#endif

static int vmx_allow_edits_set(const char *val, const struct kernel_param *kp)
{
	int n, ret = kstrtoint(val, 0, &n);

	if (ret)
		return ret;
	if (n < 0 || n > 2)
		return -EINVAL;
	return param_set_int(val, kp);
}

static const struct kernel_param_ops vmx_allow_edits_ops = {
	.set = vmx_allow_edits_set,
	.get = param_get_int,
};

module_param_cb(allow_edits, &vmx_allow_edits_ops, &vmx_allow_edits, 0644);
MODULE_PARM_DESC(allow_edits,
		 "VMX_IOC_EDIT: 0 off, 1 safe changes only, 2 experiments too (taints)");

int vmx_ioc_edit(void *req)
{
	struct vmx_edit *e = req;
	struct mm_struct *mm;
	int ret;

	if (e->reserved || e->pad ||
	    (e->flags & ~(VMX_EDIT_EXPECT | VMX_EDIT_DRY_RUN | VMX_EDIT_NO_FLUSH)) ||
	    ((e->set | e->clear) & ~VMX_EDIT_ALL) || (e->set & e->clear) ||
	    !(e->set | e->clear) || !e->start_time || e->addr >= TASK_SIZE_MAX)
		return -EINVAL;
	/*
	 * Memory types: a PWT/PCD user alias of RAM that the direct map keeps
	 * write-back is what x86 calls unsupported (and outlives the target's
	 * entry in caches); the kernel's memtype tracking refuses such
	 * aliases, and vmx cannot keep the two consistent from a module.
	 */
	if ((e->set | e->clear) & (VMX_EDIT_PWT | VMX_EDIT_PCD))
		return -EOPNOTSUPP;
	/*
	 * A dry run writes nothing and shows no more than RESOLVE does (the
	 * entry, and what the change would make of it): allowed at every
	 * allow_edits level, so that an edit can be tried before edits are
	 * turned on. The rules below still answer EACCES where they would.
	 */
	if (!(e->flags & VMX_EDIT_DRY_RUN)) {
		if (!READ_ONCE(vmx_allow_edits) || security_locked_down(LOCKDOWN_DEV_MEM))
			return -EPERM;
		if (vmx_edit_level(e->set, e->clear, e->flags) > READ_ONCE(vmx_allow_edits))
			return -EACCES;
	}
	mm = vmx_target_mm(e->pid, e->start_time);
	if (IS_ERR(mm))
		return PTR_ERR(mm);
	ret = vmx_edit_mm(mm, e);
	mmput(mm);
	return ret;
}
