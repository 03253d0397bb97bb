// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Windows (an mmap of the device) and what REMAP does to their pages:
 * map, grant, retarget, revoke, protect.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"

VMX_EXPORT int vmx_window_open(vmx_t *v, size_t pages, void **addr)
{
	int ret = libvmx_check_abi(v, "vmx_window_open");
	void *p;

	*addr = NULL;
	if (ret)
		return ret;
	if (!pages || pages > VMX_WINDOW_MAX_PAGES)
		return libvmx_fail(EINVAL, "1 to VMX_WINDOW_MAX_PAGES pages",
				   "vmx_window_open: %zu pages", pages);
	p = mmap(NULL, pages * LIBVMX_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
		 vmx_fd(v), 0);
	if (p == MAP_FAILED) {
		int err = errno;

		return libvmx_fail(err, err == ENOMEM ?
				   "windows count against RLIMIT_MEMLOCK" : NULL,
				   "vmx_window_open: %zu pages", pages);
	}
	*addr = p;
	return 0;
}

VMX_EXPORT int vmx_window_close(void *addr, size_t pages)
{
	if (!pages || pages > VMX_WINDOW_MAX_PAGES)
		return libvmx_fail(EINVAL, NULL, "vmx_window_close: %zu pages", pages);
	if (munmap(addr, pages * LIBVMX_PAGE))
		return libvmx_fail(errno, NULL, "vmx_window_close");
	return 0;
}

static const char *remap_hint(int err)
{
	switch (err) {
	case EEXIST:
		return "the window page is already mapped: revoke it first";
	case EBUSY:
		return "the source page is pinned, shared or not exclusively ours";
	case ENOENT:
		return "nothing is mapped there";
	case ESRCH:
		return "no such process, or its pid now names another one";
	default:
		return NULL;
	}
}

static int remap_op(vmx_t *v, unsigned int op, const char *name,
		 const struct vmx_proc *src, uint64_t src_addr,
		 const struct vmx_proc *win, uint64_t win_addr,
		 unsigned int pages, uint64_t flags)
{
	struct vmx_remap r = {
		.size = sizeof(r), .flags = flags, .op = op, .pages = pages,
		.src_addr = src_addr, .win_addr = win_addr,
	};
	struct vmx_proc self;
	int ret = libvmx_check_abi(v, name);

	if (ret)
		return ret;
	if (!win) {
		ret = vmx_proc_self(&self);
		if (ret)
			return ret;
		win = &self;
	}
	r.win_pid = win->pid;
	r.win_start_time = win->start_time;
	if (src) {
		r.src_pid = src->pid;
		r.src_start_time = src->start_time;
	}
	if (ioctl(vmx_fd(v), VMX_IOC_REMAP, &r) < 0) {
		int err = errno;

		return libvmx_fail(err, remap_hint(err), "%s of %u pages at %#llx", name,
				pages, (unsigned long long)win_addr);
	}
	return (int)r.done;
}

VMX_EXPORT int vmx_map(vmx_t *v, const struct vmx_proc *src, uint64_t src_addr,
		       const struct vmx_proc *win, uint64_t win_addr,
		       unsigned int pages, uint64_t flags)
{
	int ret = libvmx_check_proc(src, "vmx_map");

	return ret ? ret : remap_op(v, VMX_REMAP_MAP, "map", src, src_addr, win,
				 win_addr, pages, flags);
}

VMX_EXPORT int vmx_grant(vmx_t *v, const struct vmx_proc *src, uint64_t src_addr,
			 const struct vmx_proc *win, uint64_t win_addr,
			 unsigned int pages, uint64_t flags)
{
	int ret = libvmx_check_proc(src, "vmx_grant");

	return ret ? ret : remap_op(v, VMX_REMAP_GRANT, "grant", src, src_addr, win,
				 win_addr, pages, flags);
}

VMX_EXPORT int vmx_retarget(vmx_t *v, const struct vmx_proc *src,
			    uint64_t src_addr, const struct vmx_proc *win,
			    uint64_t win_addr, unsigned int pages, uint64_t flags)
{
	int ret = libvmx_check_proc(src, "vmx_retarget");

	return ret ? ret : remap_op(v, VMX_REMAP_RETARGET, "retarget", src, src_addr,
				 win, win_addr, pages, flags);
}

VMX_EXPORT int vmx_revoke(vmx_t *v, const struct vmx_proc *win, uint64_t win_addr,
			  unsigned int pages)
{
	return remap_op(v, VMX_REMAP_REVOKE, "revoke", NULL, 0, win, win_addr, pages, 0);
}

VMX_EXPORT int vmx_protect(vmx_t *v, const struct vmx_proc *win, uint64_t win_addr,
			   unsigned int pages, int readonly)
{
	return remap_op(v, VMX_REMAP_PROTECT, "protect", NULL, 0, win, win_addr, pages,
		     readonly ? VMX_REMAP_READONLY : 0);
}

VMX_EXPORT int vmx_remap(vmx_t *v, unsigned int op, const struct vmx_proc *src,
			 uint64_t src_addr, const struct vmx_proc *win,
			 uint64_t win_addr, unsigned int pages, uint64_t flags)
{
	return remap_op(v, op, "VMX_IOC_REMAP", src, src_addr, win, win_addr,
			pages, flags);
}
