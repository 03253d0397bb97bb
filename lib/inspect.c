// SPDX-License-Identifier: LGPL-2.1-or-later
/* One address or one frame: RESOLVE, PEEK, PHYS. */
#include <errno.h>
#include <string.h>

#include "internal.h"

VMX_EXPORT int vmx_resolve(vmx_t *v, const struct vmx_proc *p, uint64_t addr,
			   uint64_t flags, struct vmx_resolve *r)
{
	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	r->flags = flags;
	r->addr = addr;
	if (!(flags & VMX_RESOLVE_KERNEL)) {
		int ret = libvmx_check_proc(p, "vmx_resolve");

		if (ret)
			return ret;
		r->pid = p->pid;
		r->start_time = p->start_time;
	}
	return libvmx_call(v, VMX_IOC_RESOLVE, r, "VMX_IOC_RESOLVE");
}

VMX_EXPORT int vmx_peek(vmx_t *v, const struct vmx_proc *p, uint64_t addr,
			void *buf, size_t len, struct vmx_peek *out)
{
	struct vmx_peek pk = {
		.size = sizeof(pk), .addr = addr, .len = (uint32_t)len,
		.buf = (uintptr_t)buf,
	};
	int ret = libvmx_check_proc(p, "vmx_peek");

	if (ret)
		return ret;
	if (len > UINT32_MAX)
		return libvmx_fail(EINVAL, NULL, "vmx_peek: %zu bytes", len);
	pk.pid = p->pid;
	pk.start_time = p->start_time;
	ret = libvmx_call(v, VMX_IOC_PEEK, &pk, "VMX_IOC_PEEK");
	if (!ret && out)
		*out = pk;
	return ret;
}

VMX_EXPORT int vmx_phys(vmx_t *v, uint64_t pa, struct vmx_phys *out)
{
	memset(out, 0, sizeof(*out));
	out->size = sizeof(*out);
	out->pa = pa;
	return libvmx_call(v, VMX_IOC_PHYS, out, "VMX_IOC_PHYS");
}
