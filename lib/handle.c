// SPDX-License-Identifier: LGPL-2.1-or-later
/* Opening the device, its INFO, and the library's error messages. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "internal.h"

/* Per thread, so that threads sharing a handle keep their own. */
static __thread char errmsg[256];

int libvmx_fail(int err, const char *hint, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(errmsg, sizeof(errmsg), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(errmsg))
		n = strlen(errmsg);
	snprintf(errmsg + n, sizeof(errmsg) - n, ": %s%s%s%s",
		 strerror(err), hint ? " (" : "", hint ? hint : "", hint ? ")" : "");
	return -err;
}

VMX_EXPORT const char *vmx_errmsg(void)
{
	return errmsg;
}

VMX_EXPORT const char *vmx_lib_version(void)
{
	return "0.1.0";
}

static const char *open_hint(int err)
{
	switch (err) {
	case ENOENT:
	case ENXIO:
	case ENODEV:
		return "is vmx.ko loaded?";
	case EACCES:
		return "/dev/vmx is mode 0600: run as root";
	case EPERM:
		return "vmx needs CAP_SYS_ADMIN";
	default:
		return NULL;
	}
}

VMX_EXPORT int vmx_open_fd(vmx_t **out, int fd)
{
	struct vmx *v;
	int err;

	*out = NULL;
	v = calloc(1, sizeof(*v));
	if (!v) {
		close(fd);
		return libvmx_fail(ENOMEM, NULL, "vmx_open");
	}
	v->fd = fd;
	v->info.size = sizeof(v->info);
	if (ioctl(fd, VMX_IOC_INFO, &v->info) < 0) {
		err = errno;
		close(fd);
		free(v);
		return libvmx_fail(err, err == ENOTTY ? "is it vmx.ko at all?" : NULL,
				   "VMX_IOC_INFO");
	}
	*out = v;
	errmsg[0] = '\0';
	return 0;
}

VMX_EXPORT int vmx_open(vmx_t **out, const char *path)
{
	/* Not from the environment of a setuid or file-capability program. */
	const char *env = secure_getenv("VMX_DEVICE");
	int fd, err;

	*out = NULL;
	if (!path)
		path = env && *env ? env : VMX_DEVICE_PATH;
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		return libvmx_fail(err, open_hint(err), "cannot open %s", path);
	}
	return vmx_open_fd(out, fd);
}

/* Records and VMAs of ABI 1 read differently: only INFO is shared. */
int libvmx_check_abi(const vmx_t *v, const char *name)
{
	if (v->info.abi_version >= VMX_ABI_VERSION)
		return 0;
	return libvmx_fail(EPROTO, "load a vmx.ko as new as this libvmx",
			   "%s: vmx.ko speaks ABI %u, libvmx ABI %u", name,
			   v->info.abi_version, VMX_ABI_VERSION);
}

VMX_EXPORT void vmx_close(vmx_t *v)
{
	if (!v)
		return;
	close(v->fd);
	free(v);
}

VMX_EXPORT int vmx_fd(const vmx_t *v)
{
	return v->fd;
}

VMX_EXPORT const struct vmx_info *vmx_get_info(const vmx_t *v)
{
	return &v->info;
}

VMX_EXPORT int vmx_has(const vmx_t *v, uint64_t features)
{
	return (v->info.features & features) == features;
}

/* What a request's errno usually means, where that is not obvious. */
static const char *call_hint(int err)
{
	switch (err) {
	case ESRCH:
		return "no such process, or its pid now names another one";
	case ENXIO:
		return "the process has no user memory: a kernel thread, or exiting";
	case ENOTTY:
		return "this vmx.ko does not know the request";
	default:
		return NULL;
	}
}

int libvmx_call(vmx_t *v, unsigned long request, void *arg, const char *name)
{
	int ret = libvmx_check_abi(v, name);

	if (ret)
		return ret;
	if (ioctl(v->fd, request, arg) < 0) {
		int err = errno;

		return libvmx_fail(err, call_hint(err), "%s", name);
	}
	return 0;
}

VMX_EXPORT int vmx_ioctl(vmx_t *v, unsigned long request, void *arg)
{
	return libvmx_call(v, request, arg, "ioctl on /dev/vmx");
}
