/* SPDX-License-Identifier: GPL-2.0 */
/* State and helpers shared by every vmxctl command. */
#ifndef VMXCTL_H
#define VMXCTL_H

#include <stdbool.h>
#include <stdint.h>

#include "json.h"
#include "output.h"
#include "vmx.h"

#define VMXCTL_VERSION		"0.1.0"
/* Version of the JSON output's shape; bump when a field changes meaning. */
#define VMXCTL_SCHEMA_VERSION	3

enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

struct vmxctl {
	bool json;
	bool pretty;
	bool ndjson;	/* --ndjson: long outputs a JSON value per line */
	const char *cmd;	/* the command running, for usage hints */
	uint32_t sw_valid;	/* INFO's: the VMX_SW_* bits this kernel has */
	struct json j;
};

extern struct vmxctl ctl;

/* Report a usage error (exit status 2) in text or JSON. */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Report a failed system call: message, errno name, hint (may be NULL). */
int runtime_error(int err, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* dev.c: /dev/vmx, or what VMXCTL_DEVICE names (tests run without vmx.ko). */
const char *ctl_device_path(void);
/* Open the device and read its INFO (libvmx), reporting any failure. */
int ctl_open(vmx_t **dev);
/* Exit-status helper: a clear error when the module lacks a feature. */
int ctl_require(const struct vmx_info *info, uint64_t feature,
		const char *what);
const char *ctl_feature_name(uint64_t bit);
/* The start of every command that needs the module: open /dev/vmx, read
 * INFO, check @feature. On failure the error is reported and nothing is
 * left open.
 */
int ctl_open_for(vmx_t **dev, struct vmx_info *info, uint64_t feature,
		 const char *what);

/* Commands: argc/argv start after the command word. */
int cmd_info(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_resolve(int argc, char **argv);
int cmd_peek(int argc, char **argv);
int cmd_phys(int argc, char **argv);
int cmd_vmas(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_watch(int argc, char **argv);
int cmd_snapshot(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_why(int argc, char **argv);
int cmd_map(int argc, char **argv);
int cmd_grant(int argc, char **argv);
int cmd_retarget(int argc, char **argv);
int cmd_revoke(int argc, char **argv);
int cmd_protect(int argc, char **argv);
int cmd_window(int argc, char **argv);
int cmd_edit(int argc, char **argv);
int cmd_tlb(int argc, char **argv);

/* Windows and remaps work in x86-64 base pages, whatever a leaf's size. */
#define VMXCTL_PAGE_SIZE	4096ULL

/* cmd_resolve.c: what resolve, peek and phys share (numbers: args.h). */
/* A usage error unless @addr is canonical and in the user half. */
int check_user_addr(const struct vmx_info *in, const char *cmd, uint64_t addr);
/* ESRCH, ENXIO, EINTR, ENOTTY as every pid-taking command reports them;
 * anything else as "@what failed" with @hint (may be NULL).
 */
int target_error(int err, int pid, const char *what, const char *hint);

#endif
