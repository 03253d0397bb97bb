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

/*
 * smaps' VmFlags mnemonics (fs/proc/task_mmu.c) and the VMX_VMA_* bit each
 * stands for: the kernel's own decoding of vm_flags, to hold the module's
 * against. "ar" is VM_ARCH_1, which x86-64 uses for VM_PAT alone.
 */
static const struct {
	const char *mn;
	uint64_t bit;
} mnemonics[] = {
	{ "rd", VMX_VMA_READ }, { "wr", VMX_VMA_WRITE }, { "ex", VMX_VMA_EXEC },
	{ "sh", VMX_VMA_SHARED }, { "mr", VMX_VMA_MAYREAD },
	{ "mw", VMX_VMA_MAYWRITE }, { "me", VMX_VMA_MAYEXEC },
	{ "ms", VMX_VMA_MAYSHARE }, { "gd", VMX_VMA_GROWSDOWN },
	{ "pf", VMX_VMA_PFNMAP }, { "gu", VMX_VMA_MAYBE_GUARD },
	{ "lo", VMX_VMA_LOCKED }, { "io", VMX_VMA_IO }, { "sr", VMX_VMA_SEQ_READ },
	{ "rr", VMX_VMA_RAND_READ }, { "dc", VMX_VMA_DONTCOPY },
	{ "de", VMX_VMA_DONTEXPAND }, { "lf", VMX_VMA_LOCKONFAULT },
	{ "ac", VMX_VMA_ACCOUNT }, { "nr", VMX_VMA_NORESERVE },
	{ "ht", VMX_VMA_HUGETLB }, { "sf", VMX_VMA_SYNC }, { "ar", VMX_VMA_PAT },
	{ "wf", VMX_VMA_WIPEONFORK }, { "dd", VMX_VMA_DONTDUMP },
	{ "sd", VMX_VMA_SOFTDIRTY }, { "mm", VMX_VMA_MIXEDMAP },
	{ "hg", VMX_VMA_HUGEPAGE }, { "nh", VMX_VMA_NOHUGEPAGE },
	{ "mg", VMX_VMA_MERGEABLE }, { "um", VMX_VMA_UFFD_MISSING },
	{ "uw", VMX_VMA_UFFD_WP }, { "ui", VMX_VMA_UFFD_MINOR },
	{ "ss", VMX_VMA_SHADOW_STACK }, { "dp", VMX_VMA_DROPPABLE },
	{ "sl", VMX_VMA_SEALED },
};

#define NMNEMONICS	(sizeof(mnemonics) / sizeof(mnemonics[0]))

/* The VMX_VMA_* bits a VmFlags line names (mnemonics vmx has no bit for aside). */
static uint64_t vmflags_bits(const char *line)
{
	uint64_t bits = 0;
	char mn[4];
	int used;

	for (const char *p = line; sscanf(p, " %3s%n", mn, &used) == 1; p += used)
		for (size_t k = 0; k < NMNEMONICS; k++)
			if (!strcmp(mn, mnemonics[k].mn))
				bits |= mnemonics[k].bit;
	return bits;
}

/*
 * Each VMA's VMX_VMA_* flags against its smaps VmFlags line. Returns the
 * mismatches; *@checked counts the VMAs compared.
 */
static unsigned long smaps_compare(pid_t pid, const struct vmx_vma *v, size_t n,
				   unsigned long *checked)
{
	uint64_t all = 0, want;
	unsigned long bad = 0;
	const struct vmx_vma *cur = NULL;
	char path[64], line[4096];
	size_t i = 0;
	FILE *f;

	for (size_t k = 0; k < NMNEMONICS; k++)
		all |= mnemonics[k].bit;
	snprintf(path, sizeof(path), "/proc/%d/smaps", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long s, e;

		if (sscanf(line, "%llx-%llx ", &s, &e) == 2 && strchr(line, '-') < strchr(line, ' ')) {
			while (i < n && v[i].start < s)
				i++;
			cur = i < n && v[i].start == s && v[i].end == e ? &v[i] : NULL;
			continue;
		}
		if (strncmp(line, "VmFlags:", 8) || !cur)
			continue;
		want = vmflags_bits(line + 8);
		if ((cur->flags & all) != want) {
			printf("mismatch at %llx: smaps VmFlags%s is vmx flags 0x%llx, not 0x%llx\n",
			       (unsigned long long)cur->start, strtok(line + 8, "\n"),
			       (unsigned long long)(cur->flags & all),
			       (unsigned long long)want);
			bad++;
		}
		(*checked)++;
		cur = NULL;
	}
	fclose(f);
	return bad;
}

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
	unsigned long mismatches = 0, lines = 0, named = 0, vmflags = 0;
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
			 v[i].flags & VMX_VMA_READ ? 'r' : '-',
			 v[i].flags & VMX_VMA_WRITE ? 'w' : '-',
			 v[i].flags & VMX_VMA_EXEC ? 'x' : '-',
			 v[i].flags & VMX_VMA_MAYSHARE ? 's' : 'p');
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
	mismatches += smaps_compare(pid, v, n, &vmflags);
	if (vmflags != n) {
		printf("mismatch: %lu VmFlags lines for %zu VMAs\n", vmflags, n);
		mismatches++;
	}
	printf("maps lines=%lu vmas=%zu named=%lu vmflags=%lu mismatches=%lu\n", lines,
	       n, named, vmflags, mismatches);
	fclose(maps);
	free(v);
	return mismatches ? 1 : 0;
}
