// SPDX-License-Identifier: GPL-2.0
/*
 * vmxtest maps PID: VMX_IOC_VMAS against /proc/PID/maps, line by line:
 * bounds, permissions, offset, device, inode and name. maps names
 * anonymous VMAs set with PR_SET_VMA_ANON_NAME ([anon:...]) where vmx has
 * no name, and lists [vsyscall], which is no VMA of the maple tree: both
 * are allowed, nothing else. Exit status 0 only without mismatches.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "uapi/vmx.h"
#include "vmxtest.h"

/* vm_flags bits that /proc/pid/maps shows; the same on every x86 kernel. */
#define VM_READ		0x1
#define VM_WRITE	0x2
#define VM_EXEC		0x4
#define VM_MAYSHARE	0x80

static struct vmx_vma *read_vmas(int fd, pid_t pid, size_t *n)
{
	struct vmx_vma *v = NULL, buf[7];	/* an odd size: calls resume */
	struct vmx_info info = { .size = sizeof(info) };
	struct vmx_vmas d = {
		.size = sizeof(d), .pid = pid, .entry_size = sizeof(buf[0]),
		.entries = (uintptr_t)buf, .max_entries = 7,
	};

	*n = 0;
	if (ioctl(fd, VMX_IOC_INFO, &info) < 0)
		return NULL;
	do {
		if (ioctl(fd, VMX_IOC_VMAS, &d) < 0)
			return NULL;
		v = realloc(v, (*n + d.count + 1) * sizeof(*v));
		if (!v)
			return NULL;
		memcpy(v + *n, buf, d.count * sizeof(*buf));
		*n += d.count;
	} while (d.cursor != info.user_va_end);
	return v;
}

int maps_compare(pid_t pid)
{
	unsigned long mismatches = 0, lines = 0, named = 0;
	char path[64], line[4096];
	struct vmx_vma *v;
	size_t n, i = 0;
	FILE *maps;
	int fd;

	fd = open(VMX_DEVICE_PATH, O_RDWR);
	v = fd < 0 ? NULL : read_vmas(fd, pid, &n);
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	maps = fopen(path, "r");
	if (!v || !maps) {
		perror("vmxtest maps");
		return 2;
	}
	while (fgets(line, sizeof(line), maps)) {
		unsigned long long s, e, off, ino;
		unsigned int maj, min;
		char perms[8], want[8], name[4096] = "";
		int pos = 0;

		if (sscanf(line, "%llx-%llx %7s %llx %x:%x %llu %n", &s, &e, perms,
			   &off, &maj, &min, &ino, &pos) < 7)
			continue;
		sscanf(line + pos, "%4095[^\n]", name);
		lines++;
		if (!strcmp(name, "[vsyscall]"))
			continue;
		if (i == n || v[i].start != s || v[i].end != e) {
			printf("mismatch: maps %llx-%llx, vmx %s\n", s, e,
			       i == n ? "has no more" : "differs");
			mismatches++;
			continue;
		}
		snprintf(want, sizeof(want), "%c%c%c%c",
			 v[i].vm_flags & VM_READ ? 'r' : '-',
			 v[i].vm_flags & VM_WRITE ? 'w' : '-',
			 v[i].vm_flags & VM_EXEC ? 'x' : '-',
			 v[i].vm_flags & VM_MAYSHARE ? 's' : 'p');
		/* maps shows offset 0 for anonymous memory; vmx its vm_pgoff. */
		if (strcmp(perms, want) ||
		    off != (v[i].attrs & VMX_VMA_FILE ? v[i].pgoff * 4096ULL : 0) ||
		    maj != v[i].dev_major || min != v[i].dev_minor || ino != v[i].inode ||
		    (v[i].name[0] && strcmp(name, v[i].name)) ||
		    (!v[i].name[0] && name[0] && strncmp(name, "[anon", 5))) {
			printf("mismatch at %llx: maps '%s %llx %x:%x %llu %s', vmx '%s %llx %x:%x %llu %s'\n",
			       s, perms, off, maj, min, ino, name, want,
			       (unsigned long long)v[i].pgoff * 4096, v[i].dev_major,
			       v[i].dev_minor, (unsigned long long)v[i].inode, v[i].name);
			mismatches++;
		}
		named += !!v[i].name[0];
		i++;
	}
	if (i != n) {
		printf("mismatch: vmx has %zu VMAs more than maps\n", n - i);
		mismatches++;
	}
	printf("maps lines=%lu vmas=%zu named=%lu mismatches=%lu\n", lines, n, named,
	       mismatches);
	fclose(maps);
	free(v);
	return mismatches ? 1 : 0;
}
