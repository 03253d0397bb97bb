// SPDX-License-Identifier: LGPL-2.1-or-later
/* A process and its start time, as /proc/pid/stat gives them. */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

/* Field 22 of the stat file at @path. */
static int start_time_of(const char *path, unsigned long long *start)
{
	char buf[1024], *s;
	size_t n;
	FILE *f;

	f = fopen(path, "re");
	if (!f)
		return libvmx_fail(errno == ENOENT ? ESRCH : errno, NULL, "%s", path);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* comm may hold spaces and parentheses: fields go on after the last ')'. */
	s = strrchr(buf, ')');
	/* state is field 3; starttime is field 22, 19 further on. */
	for (int field = 2; s && field < 22; field++)
		s = strchr(s + 1, ' ');
	if (!s || sscanf(s + 1, "%llu", start) != 1)
		return libvmx_fail(EIO, NULL, "%s: no start time", path);
	return 0;
}

VMX_EXPORT int vmx_proc_of(pid_t pid, struct vmx_proc *p)
{
	unsigned long long start;
	char path[64];
	int ret;

	if (pid <= 0)
		return libvmx_fail(ESRCH, NULL, "pid %d", (int)pid);
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	ret = start_time_of(path, &start);
	if (ret)
		return ret;
	p->pid = pid;
	p->start_time = start;
	return 0;
}

/* /proc/self: the right process even where /proc is another pid namespace's. */
VMX_EXPORT int vmx_proc_self(struct vmx_proc *p)
{
	unsigned long long start;
	int ret = start_time_of("/proc/self/stat", &start);

	if (ret)
		return ret;
	p->pid = getpid();
	p->start_time = start;
	return 0;
}

int libvmx_check_proc(const struct vmx_proc *p, const char *what)
{
	/* The pid itself is the module's to judge (ESRCH). */
	if (!p)
		return libvmx_fail(EINVAL, "vmx_proc_of() names a process", "%s: no process", what);
	return 0;
}
