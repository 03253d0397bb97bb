// SPDX-License-Identifier: GPL-2.0
/* Access to /dev/vmx, with the hint a user needs for each way it fails. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "vmxctl.h"

static const char *open_hint(int err)
{
	switch (err) {
	case ENOENT:
	case ENXIO:
	case ENODEV:
		return "is vmx.ko loaded? (insmod vmx.ko)";
	case EACCES:
		return "/dev/vmx is mode 0600: run vmxctl as root";
	case EPERM:
		return "vmx needs CAP_SYS_ADMIN, which this process lacks";
	default:
		return NULL;
	}
}

const char *vmx_device_path(void)
{
	const char *path = getenv("VMXCTL_DEVICE");

	return path && *path ? path : VMX_DEVICE_PATH;
}

int vmx_open(int *fd)
{
	const char *path = vmx_device_path();

	*fd = open(path, O_RDWR | O_CLOEXEC);
	if (*fd < 0) {
		int err = errno;

		return runtime_error(err, open_hint(err), "cannot open %s", path);
	}
	return EXIT_OK;
}

int vmx_get_info(int fd, struct vmx_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	if (ioctl(fd, VMX_IOC_INFO, info) < 0) {
		int err = errno;

		return runtime_error(err, err == ENOTTY ?
				     "vmx.ko does not understand VMX_IOC_INFO: is it a vmx module at all?" :
				     NULL, "VMX_IOC_INFO failed");
	}
	ctl.sw_valid = info->sw_valid;
	return EXIT_OK;
}

static const struct {
	uint64_t bit;
	const char *name;
} features[] = {
	{ VMX_FEAT_INFO, "info" },
	{ VMX_FEAT_DUMP, "dump" },
	{ VMX_FEAT_RESOLVE, "resolve" },
	{ VMX_FEAT_PEEK, "peek" },
	{ VMX_FEAT_PHYS, "phys" },
	{ VMX_FEAT_VMAS, "vmas" },
	{ VMX_FEAT_MTREE, "mtree" },
	{ VMX_FEAT_WINDOWS, "windows" },
	{ VMX_FEAT_GRANT, "grant" },
	{ VMX_FEAT_EDIT, "edit" },
	{ VMX_FEAT_TLB_FLUSH, "tlb-flush" },
	{ VMX_FEAT_DUMP_TABLES, "dump-tables" },
	{ VMX_FEAT_MERGE_RUNS, "merge-runs" },
	{ VMX_FEAT_EDIT_DRY_RUN, "edit-dry-run" },
	{ VMX_FEAT_REMAP_EEXIST, "remap-eexist" },
	{ VMX_FEAT_PHYS_ROOTS, "phys-roots" },
	{ VMX_FEAT_DUMP_COMPACT, "dump-compact" },
	{ VMX_FEAT_RESOLVE_NO_PAGE, "resolve-no-page" },
};

const char *vmx_feature_name(uint64_t bit)
{
	for (size_t i = 0; i < sizeof(features) / sizeof(features[0]); i++)
		if (features[i].bit == bit)
			return features[i].name;
	return NULL;
}

int vmx_require(const struct vmx_info *info, uint64_t feature,
		const char *what)
{
	if (info->features & feature)
		return EXIT_OK;
	return runtime_error(EOPNOTSUPP,
			     "vmxctl info lists what this module supports here",
			     "%s: not supported on this kernel (module ABI %u, %s)",
			     what, info->abi_version, info->release);
}

int vmx_open_for(int *fd, struct vmx_info *info, uint64_t feature,
		 const char *what)
{
	int ret = vmx_open(fd);

	if (ret)
		return ret;
	ret = vmx_get_info(*fd, info);
	/* Records and VMAs of ABI 1 read differently: only INFO is shared. */
	if (!ret && feature != VMX_FEAT_INFO && info->abi_version < VMX_ABI_VERSION)
		ret = runtime_error(EPROTO, "load the vmx.ko built with this vmxctl",
				    "%s: vmx.ko speaks ABI %u, this vmxctl ABI %u",
				    what, info->abi_version, VMX_ABI_VERSION);
	if (!ret)
		ret = vmx_require(info, feature, what);
	if (ret)
		close(*fd);
	return ret;
}
