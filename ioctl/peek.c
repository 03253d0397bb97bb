// SPDX-License-Identifier: GPL-2.0
/*
 * VMX_IOC_PEEK: bytes of a frame the target maps, read through the direct
 * map. Never arbitrary physical memory: the frame is found by walking the
 * target's tables and held by a page reference while it is read. Refused
 * under lockdown, as /dev/mem and /proc/kcore are.
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/pfn.h>
#include <linux/sched/mm.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "vmx_priv.h"

int vmx_ioc_peek(void *req)
{
	struct vmx_peek *p = req;
	unsigned long off = offset_in_page(p->addr);
	struct page *page = NULL;
	struct vmx_resolve *r;
	struct mm_struct *mm;
	void *kaddr;
	int ret;

	if (p->flags || p->reserved || p->pad)
		return -EINVAL;
	if (!p->len || p->len > PAGE_SIZE - off || p->addr >= TASK_SIZE_MAX)
		return -EINVAL;
	if (security_locked_down(LOCKDOWN_DEV_MEM) ||
	    security_locked_down(LOCKDOWN_KCORE))
		return -EPERM;
	r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!r)
		return -ENOMEM;
	r->addr = p->addr;
	mm = vmx_target_mm(p->pid, p->start_time);
	if (IS_ERR(mm)) {
		kfree(r);
		return PTR_ERR(mm);
	}
	ret = vmx_resolve_locked(mm, r, &page);
	mmput(mm);
	if (!ret && !page)
		ret = -ENOENT;	/* not mapped, swapped out, or no struct page */
	if (ret)
		goto out;
	kaddr = kmap_local_page(page);
	if (copy_to_user(u64_to_user_ptr(p->buf), kaddr + off, p->len))
		ret = -EFAULT;
	kunmap_local(kaddr);
	p->pa = PFN_PHYS(page_to_pfn(page)) + off;
	if (vmx_kaddr_visible())
		p->direct_map = (unsigned long)page_address(page) + off;
	p->level = r->final.level;
	put_page(page);
out:
	kfree(r);
	return ret;
}
