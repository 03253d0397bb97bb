/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the library's files share: the handle and the error message. */
#ifndef LIBVMX_INTERNAL_H
#define LIBVMX_INTERNAL_H

#include "vmx.h"

#define VMX_EXPORT	__attribute__((visibility("default")))

/*
 * The structs libvmx.so.0 fills and hands out, at the sizes it was built
 * with: a module struct that grows makes a new SONAME (docs/libvmx.md),
 * so that no program built against the old sizes gets the new ones.
 */
_Static_assert(sizeof(struct vmx_info) == 200, "struct vmx_info grew: new SONAME");
_Static_assert(sizeof(struct vmx_resolve) == 352, "struct vmx_resolve grew: new SONAME");
_Static_assert(sizeof(struct vmx_entry) == 80, "struct vmx_entry grew: new SONAME");
_Static_assert(sizeof(struct vmx_vma) == 328, "struct vmx_vma grew: new SONAME");
_Static_assert(sizeof(struct vmx_mtree) == 72, "struct vmx_mtree grew: new SONAME");
_Static_assert(sizeof(struct vmx_peek) == 80, "struct vmx_peek grew: new SONAME");
_Static_assert(sizeof(struct vmx_phys) == 56, "struct vmx_phys grew: new SONAME");
_Static_assert(sizeof(struct vmx_edit) == 88, "struct vmx_edit grew: new SONAME");
_Static_assert(sizeof(struct vmx_mt_node) == 288, "struct vmx_mt_node grew: new SONAME");
_Static_assert(sizeof(struct vmx_raw_table) == 4112, "struct vmx_raw_table grew: new SONAME");
_Static_assert(sizeof(struct vmx_compact_page) == 24, "struct vmx_compact_page grew: new SONAME");
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
