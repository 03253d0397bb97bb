// SPDX-License-Identifier: GPL-2.0
/*
 * watchtarget: the known working set behind vmxctl watch's checks. It owns
 * 256 pages of private anonymous memory (no THP: MADV_NOHUGEPAGE), all
 * written once, and a 2M-aligned THP region (MADV_HUGEPAGE) of which one
 * byte was written. Prints "ready PID BUF PAGES THP", then answers a line
 * per command read from stdin:
 *   read STEP      reads page i for every i % STEP == 0: "read N"
 *   write STEP     writes page i for every i % STEP == 0: "written N"
 *   thp            reads the THP region's first byte: "thp"
 *   spin STEP N MS [F] reads page i for every i % STEP == 0 below N, again and
 *                  again for MS milliseconds (DAMON samples, it needs
 *                  accesses that last): "spun COUNT" (pages in the set).
 *                  Each round ends with an mprotect of 64 scratch pages,
 *                  which flushes this mm's TLB as a context switch without
 *                  PCID would: a cleared A bit is set again only by a page
 *                  walk, and DAMON clears them without a flush. F 0:
 *                  no such flush (the pages stay in the TLB, as hot
 *                  pages do)
 *   idle-mark      marks the buffer's frames idle in page_idle: "marked N"
 *                  or "error ERRNO"
 *   idle-count     the buffer's frames page_idle says are not idle:
 *                  "busy N" or "error ERRNO"
 *   quit
 * The frames come from /proc/self/pagemap; page_idle (on the kunit
 * kernels) is the oracle vmx's Accessed bits are compared with.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define PAGES 256
#define PG 4096UL
#define HUGE (2UL << 20)

static volatile char *buf;

static int frames(uint64_t *pfn)
{
	int fd = open("/proc/self/pagemap", O_RDONLY);
	ssize_t want = PAGES * sizeof(*pfn);

	if (fd < 0)
		return -errno;
	if (pread(fd, pfn, want, (uintptr_t)buf / PG * 8) != want) {
		close(fd);
		return -EIO;
	}
	close(fd);
	for (int i = 0; i < PAGES; i++) {
		if (!(pfn[i] >> 63))
			return -ENOENT;		/* every page stays present */
		pfn[i] &= (1ULL << 55) - 1;
	}
	return 0;
}

/* page_idle: a bit per frame, read and written in aligned u64 words. */
static int idle(int mark, int *count)
{
	uint64_t pfn[PAGES], word;
	int fd, ret = frames(pfn);

	if (ret)
		return ret;
	fd = open("/sys/kernel/mm/page_idle/bitmap", mark ? O_WRONLY : O_RDONLY);
	if (fd < 0)
		return -errno;
	*count = 0;
	for (int i = 0; i < PAGES; i++) {
		off_t at = pfn[i] / 64 * 8;

		if (mark) {
			word = 1ULL << (pfn[i] % 64);
			if (pwrite(fd, &word, 8, at) != 8)
				goto fail;
			(*count)++;
		} else {
			if (pread(fd, &word, 8, at) != 8)
				goto fail;
			*count += !((word >> (pfn[i] % 64)) & 1);
		}
	}
	close(fd);
	return 0;
fail:
	ret = -errno;
	close(fd);
	return ret;
}

static int each(int step, int write)
{
	int n = 0;

	for (int i = 0; i < PAGES; i += step, n++) {
		if (write)
			buf[i * PG] = (char)i;
		else
			(void)buf[i * PG];
	}
	return n;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static char *scratch;

static int spin(int step, int n, int ms, int flush)
{
	double end = now() + ms / 1e3;
	int count = 0;

	for (int i = 0; i < n && i < PAGES; i += step)
		count++;
	while (now() < end) {
		for (int i = 0; i < n && i < PAGES; i += step)
			(void)buf[i * PG];
		if (!flush)
			continue;
		/* Over 33 pages: x86 flushes the whole mm, not page by page. */
		mprotect(scratch, 64 * PG, PROT_READ);
		mprotect(scratch, 64 * PG, PROT_READ | PROT_WRITE);
	}
	return count;
}

int main(void)
{
	char line[64], *raw;
	volatile char *thp;
	int step, n, ms, flush, ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	buf = mmap(NULL, PAGES * PG, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	raw = mmap(NULL, 2 * HUGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED || raw == MAP_FAILED)
		return 1;
	scratch = mmap(NULL, 64 * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (scratch == MAP_FAILED)
		return 1;
	madvise((void *)buf, PAGES * PG, MADV_NOHUGEPAGE);
	thp = (char *)(((uintptr_t)raw + HUGE - 1) & ~(HUGE - 1));
	madvise((void *)thp, HUGE, MADV_HUGEPAGE);
	each(1, 1);
	thp[0] = 1;
	printf("ready %d %p %d %p\n", getpid(), (void *)buf, PAGES, (void *)thp);
	while (fgets(line, sizeof(line), stdin)) {
		if (sscanf(line, "read %d", &step) == 1 && step > 0) {
			printf("read %d\n", each(step, 0));
		} else if (sscanf(line, "write %d", &step) == 1 && step > 0) {
			printf("written %d\n", each(step, 1));
		} else if ((ret = sscanf(line, "spin %d %d %d %d", &step, &n, &ms, &flush)) >= 3 &&
			   step > 0) {
			printf("spun %d\n", spin(step, n, ms, ret == 3 || flush));
		} else if (!strncmp(line, "thp", 3)) {
			(void)thp[0];
			printf("thp\n");
		} else if (!strncmp(line, "idle-", 5)) {
			ret = idle(!strncmp(line, "idle-mark", 9), &n);
			if (ret)
				printf("error %d\n", -ret);
			else
				printf(line[5] == 'm' ? "marked %d\n" : "busy %d\n", n);
		} else if (!strncmp(line, "quit", 4)) {
			break;
		} else {
			printf("unknown command\n");
		}
	}
	return 0;
}
