// SPDX-License-Identifier: LGPL-2.1-or-later
/* Guarded PTE edits (EDIT) and the TLB flush. */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "internal.h"

static const char *edit_hint(int err)
{
	switch (err) {
	case EPERM:
		return "allow_edits is 0 (only dry runs), or the kernel is locked down";
	case EACCES:
		return "not at this allow_edits level, or not on this page: set write needs an exclusive anonymous page";
	case EAGAIN:
		return "the entry was not the one expected; it is in the result";
	case EBUSY:
		return "the page's state does not allow this edit now";
	default:
		return NULL;
	}
}

VMX_EXPORT int vmx_edit(vmx_t *v, const struct vmx_proc *p, uint64_t addr,
			uint32_t set, uint32_t clear, uint64_t flags,
			uint64_t expect, struct vmx_edit *out)
{
	struct vmx_edit e = {
		.size = sizeof(e), .flags = flags, .addr = addr, .set = set,
		.clear = clear, .expect = expect,
	};
	int ret = libvmx_check_proc(p, "vmx_edit");

	if (!ret)
		ret = libvmx_check_abi(v, "vmx_edit");
	if (ret)
		return ret;
	e.pid = p->pid;
	e.start_time = p->start_time;
	if (ioctl(vmx_fd(v), VMX_IOC_EDIT, &e) < 0) {
		int err = errno;

		/* EAGAIN also brings the entry as it is now. */
		if (err == EAGAIN && out)
			*out = e;
		return libvmx_fail(err, edit_hint(err), "VMX_IOC_EDIT at %#llx",
				(unsigned long long)addr);
	}
	if (out)
		*out = e;
	return 0;
}

VMX_EXPORT int vmx_tlb_flush(vmx_t *v)
{
	struct vmx_tlb t = { .size = sizeof(t) };

	return libvmx_call(v, VMX_IOC_TLB_FLUSH, &t, "VMX_IOC_TLB_FLUSH");
}
