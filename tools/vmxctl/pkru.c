// SPDX-License-Identifier: GPL-2.0
/* PKRU of every thread, through ptrace (see pkru.h). */
#define _GNU_SOURCE
#include <cpuid.h>
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include "pkru.h"

#define XFEATURE_PKRU	9
#define XSTATE_BV_AT	512	/* the XSAVE header's first word */

/* Where PKRU sits in the standard XSAVE layout, and the layout's size. */
static int xsave_layout(unsigned int *off, unsigned int *size)
{
	unsigned int a, b, c, d;

	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d) || !(c & (1U << 3)))
		return -EOPNOTSUPP;	/* CPUID.7.0:ECX.PKU */
	if (!__get_cpuid_count(0xd, 0, &a, &b, &c, &d))
		return -EOPNOTSUPP;
	*size = c;
	if (!__get_cpuid_count(0xd, XFEATURE_PKRU, &a, &b, &c, &d) || !a)
		return -EOPNOTSUPP;
	*off = b;
	return 0;
}

static int read_one(pid_t tid, unsigned char *buf, unsigned int size,
		    unsigned int off, uint32_t *pkru)
{
	struct iovec iov = { buf, size };
	uint64_t bv;
	int status, ret = 0;

	if (ptrace(PTRACE_SEIZE, tid, NULL, NULL))
		return -errno;
	if (ptrace(PTRACE_INTERRUPT, tid, NULL, NULL) ||
	    waitpid(tid, &status, __WALL) != tid) {
		ret = -errno;
		goto out;
	}
	if (ptrace(PTRACE_GETREGSET, tid, (void *)NT_X86_XSTATE, &iov)) {
		ret = -errno;
		goto out;
	}
	memcpy(&bv, buf + XSTATE_BV_AT, sizeof(bv));
	/* A component in its init state is not written: PKRU's is 0. */
	*pkru = 0;
	if ((bv >> XFEATURE_PKRU) & 1 && off + 4 <= iov.iov_len)
		memcpy(pkru, buf + off, 4);
out:
	ptrace(PTRACE_DETACH, tid, NULL, NULL);
	return ret;
}

int pkru_read(pid_t pid, struct pkru_set *s)
{
	unsigned int off, size;
	unsigned char *buf;
	char path[64];
	struct dirent *de;
	DIR *d;
	int ret = xsave_layout(&off, &size);

	memset(s, 0, sizeof(*s));
	if (ret)
		return ret;
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	if (!d)
		return errno == ENOENT ? -ESRCH : -errno;
	buf = calloc(1, size);
	if (!buf) {
		closedir(d);
		return -ENOMEM;
	}
	while ((de = readdir(d))) {
		pid_t tid = (pid_t)atoi(de->d_name);

		if (tid <= 0)
			continue;
		if (s->n == PKRU_MAX_THREADS) {
			s->more++;
			continue;
		}
		ret = read_one(tid, buf, size, off, &s->pkru[s->n]);
		if (ret == -ESRCH)
			continue;	/* a thread that ended meanwhile */
		if (ret)
			break;
		s->tid[s->n++] = tid;
	}
	free(buf);
	closedir(d);
	return ret == -ESRCH ? 0 : ret;
}
