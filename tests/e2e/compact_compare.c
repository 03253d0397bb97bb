// SPDX-License-Identifier: GPL-2.0
/*
 * vmxtest compact PID: VMX_DUMP_COMPACT against the same dump in full
 * records (which vmxtest pagemap checks against /proc/PID/pagemap): the
 * same records in the same order, each with the address, level, kind and
 * raw entry of its full record (and its page facts, when asked), with and
 * without table entries, in one call and in calls of 7 records. PID must not
 * change its mappings meanwhile (the stopped maptarget).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "uapi/vmx.h"
#include "vmxtest.h"

#define MAX_RECORDS	(1u << 18)

/* Every record of PID's address space in one layout; -1 on failure. */
static long dump_all(int fd, pid_t pid, uint64_t flags, uint32_t size,
		     uint32_t per_call, void *out)
{
	struct vmx_info info = { .size = sizeof(info) };
	struct vmx_dump d = {
		.size = sizeof(d), .flags = flags, .pid = pid, .entry_size = size,
		.start = 0,
	};
	long n = 0;

	if (ioctl(fd, VMX_IOC_INFO, &info))
		return -1;
	d.end = info.user_va_end;
	do {
		d.entries = (uintptr_t)((char *)out + (size_t)n * size);
		d.max_entries = per_call < MAX_RECORDS - n ? per_call : MAX_RECORDS - n;
		if (!d.max_entries) {
			errno = E2BIG;
			return -1;
		}
		if (ioctl(fd, VMX_IOC_DUMP, &d))
			return -1;
		n += d.count;
	} while (d.cursor != d.end);
	return n;
}

/* Record @i of @buf, compact records of @size bytes. */
static const struct vmx_compact *nth(const void *buf, size_t size, long i)
{
	return (const struct vmx_compact *)((const char *)buf + size * i);
}

/*
 * @flags without VMX_DUMP_NO_PAGE: compact records with page data. A map
 * count is compared for anonymous pages only: a file page's changes as
 * other processes come and go meanwhile.
 */
static int compare(int fd, pid_t pid, uint64_t flags, uint32_t per_call,
		   struct vmx_entry *full, void *cbuf)
{
	int page = !(flags & VMX_DUMP_NO_PAGE);
	size_t csize = page ? sizeof(struct vmx_compact_page) : sizeof(struct vmx_compact);
	long nf = dump_all(fd, pid, flags, sizeof(*full), per_call, full);
	long nc = dump_all(fd, pid, flags | VMX_DUMP_COMPACT, csize, per_call, cbuf);
	long i, bad = 0, kinds[16] = { 0 };

	if (nf < 0 || nc < 0) {
		perror("vmxtest compact: VMX_IOC_DUMP");
		return 2;
	}
	if (nf != nc) {
		printf("compact: %ld records, full records: %ld (flags 0x%llx)\n", nc, nf,
		       (unsigned long long)flags);
		return 1;
	}
	for (i = 0; i < nf; i++) {
		const struct vmx_entry *e = &full[i];
		const struct vmx_compact *c = nth(cbuf, csize, i);
		const struct vmx_compact_page *cp = (const struct vmx_compact_page *)c;

		kinds[e->kind & 15]++;
		if (VMX_COMPACT_VA(c->va_info) == e->va &&
		    VMX_COMPACT_LEVEL(c->va_info) == e->level &&
		    VMX_COMPACT_KIND(c->va_info) == e->kind && c->raw == e->raw &&
		    !(c->va_info & 0xf80) &&
		    (!page || (cp->page == e->page &&
			       (!(e->page & VMX_PAGE_ANON) || cp->mapcount == e->mapcount))))
			continue;
		if (bad++ < 5)
			printf("record %ld: compact 0x%llx 0x%llx page 0x%x map %d, full va 0x%llx level %u kind %u raw 0x%llx page 0x%x map %d\n",
			       i, (unsigned long long)c->va_info, (unsigned long long)c->raw,
			       page ? cp->page : 0, page ? cp->mapcount : 0,
			       (unsigned long long)e->va, e->level, e->kind,
			       (unsigned long long)e->raw, e->page, e->mapcount);
	}
	printf("flags 0x%llx, %u a call: %ld records (%ld table, %ld leaf, %ld prot_none, %ld swap, %ld marker), %ld differ\n",
	       (unsigned long long)flags, per_call, nf, kinds[VMX_KIND_TABLE],
	       kinds[VMX_KIND_LEAF], kinds[VMX_KIND_PROTNONE], kinds[VMX_KIND_SWAP],
	       kinds[VMX_KIND_MARKER], bad);
	return bad ? 1 : 0;
}

int compact_compare(pid_t pid)
{
	struct vmx_entry *full = calloc(MAX_RECORDS, sizeof(*full));
	struct vmx_compact_page *c = calloc(MAX_RECORDS, sizeof(*c));
	int fd = open(VMX_DEVICE_PATH, O_RDWR), ret = 0;

	if (fd < 0 || !full || !c) {
		perror("vmxtest compact");
		return 2;
	}
	ret |= compare(fd, pid, VMX_DUMP_NO_PAGE, MAX_RECORDS, full, c);
	ret |= compare(fd, pid, VMX_DUMP_LEAVES | VMX_DUMP_NO_PAGE, MAX_RECORDS, full, c);
	ret |= compare(fd, pid, VMX_DUMP_NO_PAGE, 7, full, c);
	ret |= compare(fd, pid, 0, MAX_RECORDS, full, c);
	ret |= compare(fd, pid, VMX_DUMP_LEAVES, 7, full, c);
	close(fd);
	free(full);
	free(c);
	return ret;
}
