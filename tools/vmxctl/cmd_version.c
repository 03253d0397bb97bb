// SPDX-License-Identifier: GPL-2.0
/* vmxctl version: this tool, the ABI it speaks, and the loaded module's. */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vmxctl.h"

int cmd_version(int argc, char **argv)
{
	struct vmx_info in;
	vmx_t *dev;
	int err;

	(void)argv;
	if (argc > 0)
		return usage_error("version takes no arguments");
	/* A missing module is not an error here: it is part of the answer. */
	err = -vmx_open(&dev, ctl_device_path());
	if (!err) {
		in = *vmx_get_info(dev);
		vmx_close(dev);
	}

	open_doc();
	print_string(PRINT_ANY, "vmxctl", "vmxctl %s", VMXCTL_VERSION);
	print_uint(PRINT_ANY, "abi_version", ", ABI %" PRIu64 "\n", VMX_ABI_VERSION);
	open_json_object("module");
	print_bool(PRINT_JSON, "available", NULL, !err);
	if (err) {
		print_text("module: not reachable: %s", strerror(err));
		print_string(PRINT_ANY, "errno", " (%s)\n", strerrorname_np(err) ?: "?");
	} else {
		print_uint(PRINT_ANY, "abi_version", "module: ABI %" PRIu64, in.abi_version);
		print_string(PRINT_ANY, "release", " on %s\n", in.release);
	}
	close_json_object();
	close_doc();
	return EXIT_OK;
}
