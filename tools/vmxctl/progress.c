// SPDX-License-Identifier: GPL-2.0
/* The progress line of a long dump (see progress.h). */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "progress.h"

void progress_init(struct progress *pr)
{
	const char *ms = getenv("VMXCTL_PROGRESS_MS");

	pr->on = isatty(STDERR_FILENO) && !isatty(STDOUT_FILENO);
	pr->interval_ms = ms ? strtol(ms, NULL, 10) : 250;
	pr->shown = false;
	clock_gettime(CLOCK_MONOTONIC, &pr->last);
}

void progress_show(struct progress *pr, uint64_t start, uint64_t end,
		   uint64_t records, uint64_t cursor)
{
	uint64_t at = cursor & ~0xfffULL;	/* the level rides in the low bits */
	struct timespec now;
	long ms;
	int pct;

	if (!pr->on || at >= end)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (now.tv_sec - pr->last.tv_sec) * 1000 +
	     (now.tv_nsec - pr->last.tv_nsec) / 1000000;
	if (ms < pr->interval_ms)
		return;
	pr->last = now;
	pr->shown = true;
	pct = at > start ? (int)((double)(at - start) * 100 / (double)(end - start)) : 0;
	fprintf(stderr, "\rvmxctl: dump: %" PRIu64 " records, at 0x%" PRIx64 " (%d%% of the range)\033[K",
		records, at, pct);
}

void progress_end(struct progress *pr)
{
	if (pr->shown)
		fputs("\r\033[K", stderr);
	pr->shown = false;
}
