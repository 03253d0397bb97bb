// SPDX-License-Identifier: LGPL-2.1-or-later
/* The VMAs and the maple tree that holds them: VMAS, MTREE. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define VMAS_BATCH	256

VMX_EXPORT int vmx_vmas(vmx_t *v, const struct vmx_proc *p,
			struct vmx_vma **vmas, size_t *n)
{
	struct vmx_vma *all = NULL, *buf;
	struct vmx_vmas q = { .size = sizeof(q), .entry_size = sizeof(*buf),
			      .max_entries = VMAS_BATCH };
	size_t have = 0, cap = 0;
	int ret = libvmx_check_proc(p, "vmx_vmas");

	*vmas = NULL;
	*n = 0;
	if (ret)
		return ret;
	buf = malloc(VMAS_BATCH * sizeof(*buf));
	if (!buf)
		return libvmx_fail(ENOMEM, NULL, "vmx_vmas");
	q.pid = p->pid;
	q.start_time = p->start_time;
	q.entries = (uintptr_t)buf;
	do {
		ret = libvmx_call(v, VMX_IOC_VMAS, &q, "VMX_IOC_VMAS");
		if (ret)
			goto fail;
		if (q.count > VMAS_BATCH)
			q.count = VMAS_BATCH;
		if (have + q.count > cap) {
			struct vmx_vma *grown;

			cap = (have + q.count) * 2;
			grown = realloc(all, cap * sizeof(*all));
			if (!grown) {
				ret = libvmx_fail(ENOMEM, NULL, "vmx_vmas");
				goto fail;
			}
			all = grown;
		}
		for (uint32_t i = 0; i < q.count; i++) {
			all[have] = buf[i];
			/* The kernel's string, terminated whatever it sent. */
			all[have].name[VMX_VMA_NAME_LEN - 1] = '\0';
			have++;
		}
	} while (q.cursor != v->info.user_va_end);
	free(buf);
	*vmas = all;
	*n = have;
	return 0;
fail:
	free(buf);
	free(all);
	return ret;
}

VMX_EXPORT int vmx_mtree(vmx_t *v, const struct vmx_proc *p, struct vmx_mtree *m,
			 struct vmx_mt_node **nodes)
{
	struct vmx_mt_node *buf = NULL;
	uint32_t max = 256;
	int ret = libvmx_check_proc(p, "vmx_mtree");

	*nodes = NULL;
	if (ret)
		return ret;
	/* The tree may grow between calls: ask again for what it said. */
	for (int tries = 0; tries < 8; tries++) {
		struct vmx_mt_node *grown = realloc(buf, max * sizeof(*buf));

		if (!grown) {
			free(buf);
			return libvmx_fail(ENOMEM, NULL, "vmx_mtree");
		}
		buf = grown;
		memset(m, 0, sizeof(*m));
		m->size = sizeof(*m);
		m->pid = p->pid;
		m->start_time = p->start_time;
		m->entry_size = sizeof(*buf);
		m->nodes = (uintptr_t)buf;
		m->max_nodes = max;
		ret = libvmx_call(v, VMX_IOC_MTREE, m, "VMX_IOC_MTREE");
		if (ret) {
			free(buf);
			return ret;
		}
		if (m->count == m->total) {
			*nodes = buf;
			return 0;
		}
		if (m->total > VMX_MT_MAX_NODES) {
			free(buf);
			return libvmx_fail(E2BIG, NULL, "vmx_mtree: %u nodes", m->total);
		}
		/* Room to grow meanwhile, within what one call may ask. */
		max = m->total + m->total / 4 + 16;
		if (max > VMX_MT_MAX_NODES)
			max = VMX_MT_MAX_NODES;
	}
	free(buf);
	return libvmx_fail(EAGAIN, "the tree kept growing", "vmx_mtree");
}
