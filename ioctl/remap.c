// SPDX-License-Identifier: GPL-2.0
/*
 * VMX_IOC_REMAP: check the request and find the two processes; the work is
 * in remap/. Every pid comes with its start time, so a pid reused by
 * another process between `ps` and the request is refused (ESRCH).
 */
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/security.h>

#include "vmx_compat.h"
#include "vmx_priv.h"

static int vmx_remap_check(const struct vmx_remap *r)
{
	bool has_src = r->op == VMX_REMAP_MAP || r->op == VMX_REMAP_GRANT ||
		       r->op == VMX_REMAP_RETARGET;

	if (r->reserved || (r->flags & ~VMX_REMAP_READONLY) ||
	    r->op < VMX_REMAP_MAP || r->op > VMX_REMAP_PROTECT ||
	    !r->pages || r->pages > VMX_REMAP_MAX_PAGES || !r->win_start_time ||
	    !PAGE_ALIGNED(r->win_addr) || r->win_addr >= TASK_SIZE_MAX)
		return -EINVAL;
	if (has_src && (!r->src_start_time || !PAGE_ALIGNED(r->src_addr) ||
			r->src_addr >= TASK_SIZE_MAX))
		return -EINVAL;
	if (!has_src && (r->src_pid || r->src_start_time || r->src_addr))
		return -EINVAL;
	return 0;
}

int vmx_ioc_remap(struct file *file, void *req)
{
	struct vmx_remap *r = req;
	struct mm_struct *src = NULL, *wmm;
	int ret;

	r->done = 0;
	ret = vmx_remap_check(r);
	if (ret)
		return ret;
#ifndef VMX_HAVE_ZAP
	if (r->op == VMX_REMAP_GRANT)
		return -EOPNOTSUPP;
#endif
	/* Giving one process another's memory is what lockdown forbids. */
	if (security_locked_down(LOCKDOWN_DEV_MEM))
		return -EPERM;
	wmm = vmx_target_mm(r->win_pid, r->win_start_time);
	if (IS_ERR(wmm))
		return PTR_ERR(wmm);
	if (r->op != VMX_REMAP_REVOKE && r->op != VMX_REMAP_PROTECT) {
		src = vmx_target_mm(r->src_pid, r->src_start_time);
		if (IS_ERR(src)) {
			mmput(wmm);
			return PTR_ERR(src);
		}
	}
	ret = vmx_remap_mms(file, src, wmm, r);
	if (src)
		mmput(src);
	mmput(wmm);
	return ret;
}
