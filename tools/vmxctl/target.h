/* SPDX-License-Identifier: GPL-2.0 */
/* The process a command works on, as /proc describes it. */
#ifndef VMXCTL_TARGET_H
#define VMXCTL_TARGET_H

#include <stdint.h>
#include <sys/types.h>

#include "vmx.h"

struct target {
	pid_t pid;
	char comm[64];
	char state;
	/* /proc/pid/stat field 22: ties a request to this very process. */
	uint64_t start_time;
	int stopped_by_us;
};

/* The process as libvmx names it. */
static inline struct vmx_proc target_proc(const struct target *t)
{
	struct vmx_proc p = { .pid = t->pid, .start_time = t->start_time };

	return p;
}

/* 0, or -1 when @s is not a number; a pid that does not exist leaves
 * start_time 0 and the module answers ESRCH.
 */
int target_parse(const char *s, struct target *t);
/* SIGSTOP the target for a consistent view; undone by target_resume(),
 * also when vmxctl is interrupted.
 */
int target_stop(struct target *t);
/* Why @pid has no user address space (ENXIO), as /proc tells now: "is a
 * kernel thread", "has exited", "has exited (a zombie)" or "is exiting".
 */
const char *target_no_mm_reason(pid_t pid);
void target_resume(struct target *t);
/* From a signal handler: SIGCONT to the target stopped, if any. */
void target_resume_now(void);
/* A "Field:   123 kB" line of /proc/pid/status, in bytes: 0, or -1 when
 * the process or the field is not there.
 */
int target_status_bytes(const struct target *t, const char *field, uint64_t *bytes);

#endif
