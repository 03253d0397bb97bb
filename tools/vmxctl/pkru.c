// SPDX-License-Identifier: GPL-2.0
/* PKRU of every thread, through ptrace (see pkru.h). */
#define _GNU_SOURCE
#include <cpuid.h>
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>

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

	int sig = 0, i;

	if (ptrace(PTRACE_SEIZE, tid, NULL, NULL))
		return -errno;
	if (ptrace(PTRACE_INTERRUPT, tid, NULL, NULL)) {
		ret = -errno;
		goto out;
	}
	/* A thread that does not stop within a second (D state): unknown. */
	for (i = 0; i < 1000; i++) {
		pid_t w = waitpid(tid, &status, __WALL | WNOHANG);

		if (w == tid)
			break;
		if (w < 0) {
			ret = -errno;
			goto out;
		}
		nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
	}
	if (i == 1000) {
		ret = -ETIMEDOUT;
		goto out;
	}
	/* A signal on its way stopped it first: it goes on with the detach. */
	if (WIFSTOPPED(status) && (status >> 16) != PTRACE_EVENT_STOP)
		sig = WSTOPSIG(status);
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
	ptrace(PTRACE_DETACH, tid, NULL, (void *)(long)sig);
	return ret;
}

/* A thread that exited but was not reaped (a dead main thread): skipped. */
static bool zombie(pid_t pid, pid_t tid)
{
	char path[64], buf[512], *close;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", (int)pid, (int)tid);
	f = fopen(path, "r");
	if (!f)
		return true;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	close = strrchr(buf, ')');
	return !close || close[1] != ' ' || close[2] == 'Z' || close[2] == 'X';
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

		if (tid <= 0 || zombie(pid, tid))
			continue;
		if (s->n == PKRU_MAX_THREADS) {
			s->more++;
			continue;
		}
		ret = read_one(tid, buf, size, off, &s->pkru[s->n]);
		if (ret == -ESRCH || ret == -ETIMEDOUT) {
			s->more++;	/* ended meanwhile, or would not stop */
			ret = 0;
			continue;
		}
		if (ret)
			break;
		s->tid[s->n++] = tid;
	}
	free(buf);
	closedir(d);
	return ret == -ESRCH ? 0 : ret;
}
