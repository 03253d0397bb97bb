/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the library's files share: the handle and the error message. */
#ifndef LIBVMX_INTERNAL_H
#define LIBVMX_INTERNAL_H

#include "vmx.h"

#define VMX_EXPORT	__attribute__((visibility("default")))
#define LIBVMX_PAGE	4096ULL

struct vmx {
	int fd;
	struct vmx_info info;
};

/*
 * Record the failure of @what with @err (a positive errno) and an optional
 * hint for the caller's message; returns -@err.
 */
int libvmx_fail(int err, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* An ioctl on the handle: 0, or the failure recorded as "@name: ...". */
int libvmx_call(vmx_t *v, unsigned long request, void *arg, const char *name);
/* -EPROTO (recorded) for a module older than the library's ABI. */
int libvmx_check_abi(const vmx_t *v, const char *name);
/* Fill a request's target fields; -EINVAL for a NULL or bad process. */
int libvmx_check_proc(const struct vmx_proc *p, const char *what);

#endif
