// SPDX-License-Identifier: GPL-2.0
/* The VMX_IOC_DUMP cursor loop (see dumploop.h). */
#include <errno.h>
#include <sys/ioctl.h>

#include "dumploop.h"
#include "uapi/vmx.h"

#define DUMPLOOP_PAGE	4096ULL

int dump_loop(int fd, struct dump_loop *l)
{
	/* The module works in pages and ends the cursor on a page: an end
	 * inside a page would never be met (a loop forever).
	 */
	struct vmx_dump d = {
		.size = sizeof(d),
		.flags = l->flags,
		.pid = l->t->pid,
		.entry_size = l->rec_size,
		.start = l->start & ~(DUMPLOOP_PAGE - 1),
		.end = (l->end + DUMPLOOP_PAGE - 1) & ~(DUMPLOOP_PAGE - 1),
		.entries = (uintptr_t)l->buf,
		.max_entries = l->cap,
		.start_time = l->t->start_time,
	};
	int ret;

	do {
		if (ioctl(fd, VMX_IOC_DUMP, &d) < 0)
			return -errno;
		if (!l->root_pa) {
			l->root_pa = d.root_pa;
			l->root_pa_user = d.root_pa_user;
		}
		if (d.count > l->cap)
			d.count = l->cap;	/* only a broken module says more */
		ret = l->batch(l->buf, d.count, d.cursor, l->ctx);
		if (ret)
			return ret;
	} while (d.cursor != d.end);
	return 0;
}
