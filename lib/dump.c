// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * VMX_IOC_DUMP's cursor behind a record-at-a-time iterator: the rules of
 * the cursor (page-aligned ends, empty batches, loop until the cursor is
 * the end) live here and nowhere else.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define DUMP_BATCH_BYTES	(256U << 10)

struct vmx_dump_iter {
	vmx_t *v;
	struct vmx_dump d;
	void *buf;
	size_t rec_size;
	uint32_t next;		/* the next record of the batch to return */
	int started, done;
	int err;		/* a failed fetch's, returned again after it */
	uint64_t root_pa, root_pa_user;
};

static size_t record_size(uint64_t flags)
{
	if (flags & VMX_DUMP_TABLES)
		return sizeof(struct vmx_raw_table);
	if (flags & VMX_DUMP_COMPACT)
		return flags & VMX_DUMP_NO_PAGE ? sizeof(struct vmx_compact) :
		       sizeof(struct vmx_compact_page);
	return sizeof(struct vmx_entry);
}

VMX_EXPORT int vmx_dump_open(vmx_t *v, vmx_dump_t **out, const struct vmx_proc *p,
			     uint64_t start, uint64_t end, uint64_t flags)
{
	struct vmx_dump_iter *d;
	int ret = libvmx_check_proc(p, "vmx_dump_open");

	*out = NULL;
	if (!ret)
		ret = libvmx_check_abi(v, "vmx_dump_open");
	if (ret)
		return ret;
	d = calloc(1, sizeof(*d));
	if (!d)
		return libvmx_fail(ENOMEM, NULL, "vmx_dump_open");
	d->v = v;
	d->rec_size = record_size(flags);
	d->buf = malloc(DUMP_BATCH_BYTES);
	if (!d->buf) {
		free(d);
		return libvmx_fail(ENOMEM, NULL, "vmx_dump_open");
	}
	d->d.size = sizeof(d->d);
	d->d.flags = flags;
	d->d.pid = p->pid;
	d->d.start_time = p->start_time;
	d->d.entry_size = (uint32_t)d->rec_size;
	/* The module works in pages: an end inside a page is never met. */
	d->d.start = start & ~(LIBVMX_PAGE - 1);
	d->d.end = (end + LIBVMX_PAGE - 1) & ~(LIBVMX_PAGE - 1);
	d->d.entries = (uintptr_t)d->buf;
	d->d.max_entries = DUMP_BATCH_BYTES / d->rec_size;
	*out = d;
	return 0;
}

/* The next batch from the module; -errno, or 0 with d->next at 0. */
static int dump_fetch(vmx_dump_t *d)
{
	int ret = libvmx_call(d->v, VMX_IOC_DUMP, &d->d, "VMX_IOC_DUMP");

	if (ret) {
		d->done = 1;
		d->d.count = 0;
		d->err = ret;
		return ret;
	}
	if (!d->started) {
		d->started = 1;
		d->root_pa = d->d.root_pa;
		d->root_pa_user = d->d.root_pa_user;
	}
	/* Only a broken module says more than the buffer holds. */
	if (d->d.count > d->d.max_entries)
		d->d.count = d->d.max_entries;
	d->next = 0;
	d->done = d->d.cursor == d->d.end;
	return 0;
}

VMX_EXPORT int vmx_dump_next(vmx_dump_t *d, const void **rec)
{
	while (d->next >= d->d.count) {
		int ret;

		if (d->done)
			return d->err;
		ret = dump_fetch(d);
		if (ret)
			return ret;
	}
	*rec = (const char *)d->buf + (size_t)d->next++ * d->rec_size;
	return 1;
}

VMX_EXPORT int vmx_dump_batch(vmx_dump_t *d, const void **recs, size_t *n)
{
	int ret;

	*n = 0;
	if (d->done)
		return d->err;
	ret = dump_fetch(d);
	if (ret)
		return ret;
	d->next = d->d.count;
	*recs = d->buf;
	*n = d->d.count;
	return 1;
}

VMX_EXPORT int vmx_dump_set_batch(vmx_dump_t *d, size_t records)
{
	void *buf;

	if (d->started || !records || records > UINT32_MAX / d->rec_size)
		return libvmx_fail(EINVAL, NULL, "vmx_dump_set_batch: %zu records", records);
	buf = realloc(d->buf, records * d->rec_size);
	if (!buf)
		return libvmx_fail(ENOMEM, NULL, "vmx_dump_set_batch");
	d->buf = buf;
	d->d.entries = (uintptr_t)buf;
	d->d.max_entries = (uint32_t)records;
	return 0;
}

VMX_EXPORT uint64_t vmx_dump_cursor(const vmx_dump_t *d)
{
	return d->started ? d->d.cursor : d->d.start;
}

VMX_EXPORT size_t vmx_dump_record_size(const vmx_dump_t *d)
{
	return d->rec_size;
}

VMX_EXPORT void vmx_dump_roots(const vmx_dump_t *d, uint64_t *root_pa,
			       uint64_t *root_pa_user)
{
	*root_pa = d->root_pa;
	*root_pa_user = d->root_pa_user;
}

VMX_EXPORT void vmx_dump_close(vmx_dump_t *d)
{
	if (!d)
		return;
	free(d->buf);
	free(d);
}

VMX_EXPORT int vmx_dump_each(vmx_t *v, const struct vmx_proc *p, uint64_t start,
			     uint64_t end, uint64_t flags,
			     int (*fn)(const void *rec, void *arg), void *arg)
{
	const void *rec;
	vmx_dump_t *d;
	int ret;

	ret = vmx_dump_open(v, &d, p, start, end, flags);
	if (ret)
		return ret;
	while ((ret = vmx_dump_next(d, &rec)) == 1) {
		ret = fn(rec, arg);
		if (ret)
			break;
	}
	vmx_dump_close(d);
	return ret;
}
