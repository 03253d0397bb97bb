// SPDX-License-Identifier: GPL-2.0
/*
 * snaptarget: the process vmxctl snapshot and diff are checked on. It owns
 * BUF, 64 pages of private anonymous memory, all written, between two
 * PROT_NONE guard pages (so its VMA merges with nothing), and THP, a
 * 2M-aligned region of 512 written 4K pages (MADV_NOHUGEPAGE until asked
 * to collapse). Prints "ready PID BUF THP", then answers a line a command:
 *   mprotect I N    pages [I, I+N) of BUF read-only: "ok"
 *   dontneed I N    MADV_DONTNEED on them: "ok"
 *   pageout I N     MADV_PAGEOUT on them (to swap): "ok"
 *   collapse        MADV_HUGEPAGE, then MADV_COLLAPSE on THP: "ok" or
 *                   "error ERRNO"
 *   fork            a child that waits: "child PID"
 *   write I         writes page I of BUF: "ok"
 *   quit            the child is killed, then exit
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

#define PAGES 64
#define PG 4096UL
#define HUGE (2UL << 20)

static int reply(int ret)
{
	if (ret)
		return printf("error %d\n", errno);
	return printf("ok\n");
}

int main(void)
{
	char line[64], *guard, *buf, *raw, *thp;
	pid_t child = 0;
	int i, n;

	setvbuf(stdout, NULL, _IOLBF, 0);
	guard = mmap(NULL, (PAGES + 2) * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	raw = mmap(NULL, 2 * HUGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (guard == MAP_FAILED || raw == MAP_FAILED)
		return 1;
	buf = guard + PG;
	if (mprotect(buf, PAGES * PG, PROT_READ | PROT_WRITE))
		return 1;
	madvise(raw, 2 * HUGE, MADV_NOHUGEPAGE);
	thp = (char *)(((uintptr_t)raw + HUGE - 1) & ~(HUGE - 1));
	for (i = 0; i < PAGES; i++)
		buf[i * PG] = (char)i;
	for (i = 0; i < (int)(HUGE / PG); i++)
		thp[i * PG] = (char)i;
	printf("ready %d %p %p\n", getpid(), (void *)buf, (void *)thp);
	while (fgets(line, sizeof(line), stdin)) {
		if (sscanf(line, "mprotect %d %d", &i, &n) == 2)
			reply(mprotect(buf + i * PG, n * PG, PROT_READ));
		else if (sscanf(line, "dontneed %d %d", &i, &n) == 2)
			reply(madvise(buf + i * PG, n * PG, MADV_DONTNEED));
		else if (sscanf(line, "pageout %d %d", &i, &n) == 2)
			reply(madvise(buf + i * PG, n * PG, MADV_PAGEOUT));
		else if (!strncmp(line, "collapse", 8))
			reply(madvise(raw, 2 * HUGE, MADV_HUGEPAGE) ||
			      madvise(thp, HUGE, MADV_COLLAPSE));
		else if (!strncmp(line, "fork", 4)) {
			child = fork();
			if (!child) {
				pause();
				_exit(0);
			}
			printf("child %d\n", child);
		} else if (sscanf(line, "write %d", &i) == 1) {
			buf[i * PG] = 'w';
			reply(0);
		} else if (!strncmp(line, "quit", 4)) {
			break;
		} else {
			printf("unknown command\n");
		}
	}
	if (child > 0) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
	}
	return 0;
}
