// SPDX-License-Identifier: GPL-2.0
/* vmxctl version: this tool, the ABI it speaks, and the loaded module's. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "vmxctl.h"

int cmd_version(int argc, char **argv)
{
	struct vmx_info in = { .size = sizeof(in) };
	int fd, err = 0;

	(void)argv;
	if (argc > 0)
		return usage_error("version takes no arguments");
	/* A missing module is not an error here: it is part of the answer. */
	fd = open(vmx_device_path(), O_RDWR | O_CLOEXEC);
	if (fd < 0 || ioctl(fd, VMX_IOC_INFO, &in) < 0)
		err = errno;
	if (fd >= 0)
		close(fd);

	if (ctl.json) {
		open_doc();
		json_kv_string(&ctl.j, "vmxctl", VMXCTL_VERSION);
		json_kv_uint(&ctl.j, "abi_version", VMX_ABI_VERSION);
		json_key(&ctl.j, "module");
		json_open_object(&ctl.j);
		json_kv_bool(&ctl.j, "available", !err);
		if (err) {
			json_kv_string(&ctl.j, "errno", strerrorname_np(err) ?: "?");
		} else {
			json_kv_uint(&ctl.j, "abi_version", in.abi_version);
			json_kv_string(&ctl.j, "release", in.release);
		}
		json_close_object(&ctl.j);
		close_doc();
		return EXIT_OK;
	}
	printf("vmxctl %s, ABI %u\n", VMXCTL_VERSION, VMX_ABI_VERSION);
	if (err)
		printf("module: not reachable: %s (%s)\n", strerror(err),
		       strerrorname_np(err) ?: "?");
	else
		printf("module: ABI %u on %s\n", in.abi_version, in.release);
	return EXIT_OK;
}
