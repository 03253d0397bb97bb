/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where a long dump is, on stderr, when that is a terminal and stdout is
 * not (a dump into a file or a pipe): at most every 250 ms
 * (VMXCTL_PROGRESS_MS), erased at the end. Never in JSON's way: stdout only
 * ever gets the records.
 */
#ifndef VMXCTL_PROGRESS_H
#define VMXCTL_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct progress {
	bool on;
	long interval_ms;
	struct timespec last;
	bool shown;
};

void progress_init(struct progress *pr);
/* @cursor as VMX_IOC_DUMP returned it, in the range [@start, @end). */
void progress_show(struct progress *pr, uint64_t start, uint64_t end,
		   uint64_t records, uint64_t cursor);
void progress_end(struct progress *pr);

#endif
