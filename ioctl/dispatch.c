// SPDX-License-Identifier: GPL-2.0
/*
 * Validation common to every request: the size-first extensible structs
 * described in include/uapi/vmx.h. Handlers see a kernel copy only, so none
 * of them can fault on user memory while holding a lock.
 */
#include <linux/ioctl.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "vmx_compat.h"
#include "vmx_priv.h"

struct vmx_cmd {
	unsigned int nr;
	size_t ksize;		/* size of the struct this module knows */
	size_t min_size;	/* smallest size accepted: end of the inputs */
	/*
	 * Copy in only the first @min_size bytes (the inputs) and leave the
	 * rest for the handler, which clears every output itself: for
	 * requests made once per address, whose outputs are most of them.
	 */
	bool inputs_only;
	int (*handler)(void *req);
	/* Instead of @handler: a request that depends on the fd it came by. */
	int (*file_handler)(struct file *file, void *req);
};

static const struct vmx_cmd vmx_cmds[] = {
	{
		.nr = _IOC_NR(VMX_IOC_INFO),
		.ksize = sizeof(struct vmx_info),
		.min_size = offsetofend(struct vmx_info, reserved),
		.handler = vmx_ioc_info,
	},
	{
		.nr = _IOC_NR(VMX_IOC_DUMP),
		.ksize = sizeof(struct vmx_dump),
		.min_size = offsetofend(struct vmx_dump, start_time),
		.handler = vmx_ioc_dump,
	},
	{
		.nr = _IOC_NR(VMX_IOC_RESOLVE),
		.ksize = sizeof(struct vmx_resolve),
		.min_size = offsetofend(struct vmx_resolve, addr),
		.inputs_only = true,
		.handler = vmx_ioc_resolve,
	},
	{
		.nr = _IOC_NR(VMX_IOC_PEEK),
		.ksize = sizeof(struct vmx_peek),
		.min_size = offsetofend(struct vmx_peek, buf),
		.handler = vmx_ioc_peek,
	},
	{
		.nr = _IOC_NR(VMX_IOC_PHYS),
		.ksize = sizeof(struct vmx_phys),
		.min_size = offsetofend(struct vmx_phys, pa),
		.handler = vmx_ioc_phys,
	},
	{
		.nr = _IOC_NR(VMX_IOC_VMAS),
		.ksize = sizeof(struct vmx_vmas),
		.min_size = offsetofend(struct vmx_vmas, count),
		.handler = vmx_ioc_vmas,
	},
	{
		.nr = _IOC_NR(VMX_IOC_MTREE),
		.ksize = sizeof(struct vmx_mtree),
		.min_size = offsetofend(struct vmx_mtree, max_nodes),
		.handler = vmx_ioc_mtree,
	},
	{
		.nr = _IOC_NR(VMX_IOC_REMAP),
		.ksize = sizeof(struct vmx_remap),
		.min_size = offsetofend(struct vmx_remap, done),
		.file_handler = vmx_ioc_remap,
	},
	{
		.nr = _IOC_NR(VMX_IOC_EDIT),
		.ksize = sizeof(struct vmx_edit),
		.min_size = offsetofend(struct vmx_edit, tainted),
		.handler = vmx_ioc_edit,
	},
	{
		.nr = _IOC_NR(VMX_IOC_TLB_FLUSH),
		.ksize = sizeof(struct vmx_tlb),
		.min_size = offsetofend(struct vmx_tlb, reserved),
		.handler = vmx_ioc_tlb_flush,
	},
};

static const struct vmx_cmd *vmx_find_cmd(unsigned int cmd)
{
	size_t i;

	/*
	 * The size bits of cmd are ignored: the struct's own size field is
	 * what lets old and new callers coexist.
	 */
	if (_IOC_TYPE(cmd) != VMX_IOC_MAGIC ||
	    _IOC_DIR(cmd) != (_IOC_READ | _IOC_WRITE))
		return NULL;
	for (i = 0; i < ARRAY_SIZE(vmx_cmds); i++)
		if (vmx_cmds[i].nr == _IOC_NR(cmd))
			return &vmx_cmds[i];
	return NULL;
}

/*
 * Requests up to this size live on the stack: RESOLVE, called once per
 * address by some tools, then allocates nothing.
 */
#define VMX_REQ_ON_STACK	384
static_assert(sizeof(struct vmx_resolve) <= VMX_REQ_ON_STACK);

long vmx_file_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;
	const struct vmx_cmd *c = vmx_find_cmd(cmd);
	u64 on_stack[VMX_REQ_ON_STACK / sizeof(u64)] vmx_uninitialized;
	u64 usize;
	void *req;
	long ret;

	if (!c)
		return -ENOTTY;
	if (get_user(usize, (u64 __user *)uarg))
		return -EFAULT;
	if (usize < c->min_size)
		return -EINVAL;
	if (usize > VMX_REQ_SIZE_MAX)
		return -E2BIG;

	/*
	 * copy_struct_from_user() zeroes what the caller's struct lacks; an
	 * inputs_only handler clears its outputs itself.
	 */
	if (c->ksize <= sizeof(on_stack))
		req = on_stack;
	else
		req = kmalloc(c->ksize, GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!req)
		return -ENOMEM;
	if (c->inputs_only && usize <= c->ksize)
		ret = copy_from_user(req, uarg, c->min_size) ? -EFAULT : 0;
	else
		ret = copy_struct_from_user(req, c->ksize, uarg, usize);
	/*
	 * The size the checks above passed, not a second read of it: another
	 * thread may have changed the caller's copy meanwhile.
	 */
	*(u64 *)req = usize;
	if (!ret)
		ret = c->file_handler ? c->file_handler(file, req) : c->handler(req);
	/*
	 * EAGAIN (an EDIT whose expected entry differs) also returns the
	 * request: the caller needs the entry as it is now to try again.
	 */
	if ((!ret || ret == -EAGAIN) &&
	    copy_to_user(uarg, req, min_t(size_t, usize, c->ksize)))
		ret = -EFAULT;
	if (req != on_stack)
		kfree(req);
	return ret;
}

/* A request from inside the kernel, through no file (KUnit). */
long vmx_ioctl(unsigned int cmd, unsigned long arg)
{
	return vmx_file_ioctl(NULL, cmd, arg);
}

#if IS_ENABLED(CONFIG_KUNIT)
/* vmx_kunit.ko drives the uapi through here, as ioctl(2) does. */
EXPORT_SYMBOL_GPL(vmx_ioctl);
#endif
