// SPDX-License-Identifier: GPL-2.0
/* Access to /dev/vmx, with the hint a user needs for each way it fails. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
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

const char *ctl_device_path(void)
{
	const char *path = getenv("VMXCTL_DEVICE");

	return path && *path ? path : VMX_DEVICE_PATH;
}

int ctl_open(vmx_t **dev)
{
	const char *path = ctl_device_path();
	int fd = open(path, O_RDWR | O_CLOEXEC), ret;

	*dev = NULL;
	if (fd < 0) {
		int err = errno;

		return runtime_error(err, open_hint(err), "cannot open %s", path);
	}
	ret = vmx_open_fd(dev, fd);
	if (ret)
		return runtime_error(-ret, ret == -ENOTTY ?
				     "vmx.ko does not understand VMX_IOC_INFO: is it a vmx module at all?" :
				     NULL, "VMX_IOC_INFO failed");
	ctl.sw_valid = vmx_get_info(*dev)->sw_valid;
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
	{ VMX_FEAT_PAT, "pat" },
};

const char *ctl_feature_name(uint64_t bit)
{
	for (size_t i = 0; i < sizeof(features) / sizeof(features[0]); i++)
		if (features[i].bit == bit)
			return features[i].name;
	return NULL;
}

int ctl_require(const struct vmx_info *info, uint64_t feature,
		const char *what)
{
	if (info->features & feature)
		return EXIT_OK;
	return runtime_error(EOPNOTSUPP,
			     "vmxctl info lists what this module supports here",
			     "%s: not supported on this kernel (module ABI %u, %s)",
			     what, info->abi_version, info->release);
}

int ctl_open_for(vmx_t **dev, struct vmx_info *info, uint64_t feature,
		 const char *what)
{
	int ret = ctl_open(dev);

	if (ret)
		return ret;
	*info = *vmx_get_info(*dev);
	/* Records and VMAs of ABI 1 read differently: only INFO is shared. */
	if (feature != VMX_FEAT_INFO && info->abi_version < VMX_ABI_VERSION)
		ret = runtime_error(EPROTO, "load the vmx.ko built with this vmxctl",
				    "%s: vmx.ko speaks ABI %u, this vmxctl ABI %u",
				    what, info->abi_version, VMX_ABI_VERSION);
	if (!ret)
		ret = ctl_require(info, feature, what);
	if (ret) {
		vmx_close(*dev);
		*dev = NULL;
	}
	return ret;
}
