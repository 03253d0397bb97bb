// SPDX-License-Identifier: GPL-2.0
/* The VMX_IOC_DUMP cursor loop (see dumploop.h), over libvmx's batches. */
#include <errno.h>

#include "dumploop.h"

int dump_loop(vmx_t *dev, struct dump_loop *l)
{
	struct vmx_proc proc = target_proc(l->t);
	const void *recs;
	vmx_dump_t *d;
	size_t n;
	int ret;

	ret = vmx_dump_open(dev, &d, &proc, l->start, l->end, l->flags);
	if (!ret)
		ret = vmx_dump_set_batch(d, l->cap);
	while (!ret && (ret = vmx_dump_batch(d, &recs, &n)) == 1) {
		if (!l->root_pa)
			vmx_dump_roots(d, &l->root_pa, &l->root_pa_user);
		ret = l->batch(recs, (uint32_t)n, vmx_dump_cursor(d), l->ctx);
	}
	vmx_dump_close(d);
	return ret;
}
