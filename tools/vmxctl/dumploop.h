/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one loop over VMX_IOC_DUMP's cursor: dump, vmas and stats all read
 * the tables through it, so the rules of the cursor live in one place.
 */
#ifndef VMXCTL_DUMPLOOP_H
#define VMXCTL_DUMPLOOP_H

#include <stdint.h>

#include "target.h"
#include "vmx.h"

struct dump_loop {
	uint64_t flags;			/* VMX_DUMP_* */
	const struct target *t;
	uint64_t start, end;
	uint32_t cap;			/* records per batch */
	/* Each batch; may be empty (the module ends a slice with no records
	 * when it has held the lock long enough); @cursor: where the next
	 * one starts (@end: none). Nonzero stops the loop.
	 */
	int (*batch)(const void *recs, uint32_t n, uint64_t cursor, void *ctx);
	void *ctx;
	/* out, from the first call: the target's root table, and under PTI
	 * its user copy (0 from a module older than these fields).
	 */
	uint64_t root_pa, root_pa_user;
};

/*
 * From @l->start until the cursor reaches @l->end: 0; the errno of a
 * failed call, negated; or the first nonzero value of @l->batch.
 */
int dump_loop(vmx_t *dev, struct dump_loop *l);

#endif
