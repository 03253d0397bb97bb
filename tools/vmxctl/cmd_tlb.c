// SPDX-License-Identifier: GPL-2.0
/*
 * vmxctl tlb flush [PID]
 * One VMX_IOC_TLB_FLUSH: every CPU drops its cached translations, the end
 * of the stale-TLB experiment of 'vmxctl edit ... --no-flush'. A module
 * cannot flush one process's entries alone (docs/remaps.md), so PID only
 * names the process the experiment is about: it must exist, nothing more.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "target.h"
#include "vmxctl.h"

struct tlb_args {
	struct target t;
	bool pid_given;
};

static int parse_tlb_args(int argc, char **argv, struct tlb_args *a)
{
	if (argc < 1 || strcmp(argv[0], "flush"))
		return usage_error("tlb takes 'flush [PID]'");
	if (argc > 2)
		return usage_error("tlb flush: unexpected argument '%s'", argv[2]);
	if (argc == 2 && target_parse(argv[1], &a->t))
		return usage_error("'%s' is not a pid", argv[1]);
	a->pid_given = argc == 2;
	return EXIT_OK;
}

static int tlb_unsupported(void)
{
	return runtime_error(EOPNOTSUPP, "see docs/remaps.md",
			     "this kernel exports no TLB flush to modules and the CPU has PCIDs without INVPCID");
}

/*
 * A module that knows edits but lacks the flush is the kernel/CPU case;
 * one that knows neither is just older than vmxctl.
 */
static int check_tlb_feature(const struct vmx_info *in)
{
	if (in->features & VMX_FEAT_TLB_FLUSH)
		return EXIT_OK;
	if (in->features & VMX_FEAT_EDIT)
		return tlb_unsupported();
	return ctl_require(in, VMX_FEAT_TLB_FLUSH, "tlb flush");
}

/* Only a pid /proc knows: target_parse() leaves start_time 0 otherwise. */
static int check_tlb_target(const struct tlb_args *a)
{
	if (!a->pid_given || a->t.start_time)
		return EXIT_OK;
	return runtime_error(ESRCH, NULL, "pid %d does not exist", (int)a->t.pid);
}

static int tlb_error(int err, const struct tlb_args *a)
{
	if (err == EOPNOTSUPP)
		return tlb_unsupported();
	return target_error(err, a->t.pid, "VMX_IOC_TLB_FLUSH", NULL);
}

static void tlb_output(const struct tlb_args *a)
{
	open_doc();
	print_bool(PRINT_JSON, "flushed", NULL, true);
	print_string(PRINT_ANY, "scope",
		     "flushed the TLB of every CPU (vmx cannot flush one process's entries alone)\n",
		     "all-cpus");
	if (a->pid_given)
		print_int(PRINT_JSON, "pid", NULL, a->t.pid);
	close_doc();
}

int cmd_tlb(int argc, char **argv)
{
	struct tlb_args a = { .pid_given = false };
	struct vmx_info in;
	vmx_t *dev;
	int ret;

	ret = parse_tlb_args(argc, argv, &a);
	if (ret)
		return ret;
	ret = ctl_open_for(&dev, &in, VMX_FEAT_INFO, "tlb flush");
	if (ret)
		return ret;
	ret = check_tlb_feature(&in);
	if (!ret)
		ret = check_tlb_target(&a);
	if (!ret) {
		ret = vmx_tlb_flush(dev);
		if (ret)
			ret = tlb_error(-ret, &a);
	}
	vmx_close(dev);
	if (ret)
		return ret;
	tlb_output(&a);
	return EXIT_OK;
}
