// SPDX-License-Identifier: GPL-2.0
/*
 * A process with one mapping of each ordinary kind, for the dump tests:
 *   maptarget DIR      sets them up, writes its pid to DIR/ready, then
 *                      waits for SIGTERM.
 * Kinds: touched 4K anon, untouched anon, a 2M THP candidate
 * (MADV_HUGEPAGE), private and shared file mappings on tmpfs, MAP_SHARED
 * anon, PROT_NONE, read-only after a write, a page shared copy-on-write
 * with a forked child, the zero page (read, never written) and a 64 TiB
 * PROT_NONE reservation.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE	4096UL
#define MB2	(2UL << 20)

static void *map(size_t len, int prot, int flags, int fd)
{
	void *p = mmap(NULL, len, prot, flags, fd, 0);

	if (p == MAP_FAILED) {
		perror("maptarget: mmap");
		exit(1);
	}
	return p;
}

static void touch(char *p, size_t len, char v)
{
	for (size_t i = 0; i < len; i += PAGE)
		p[i] = v;
}

int main(int argc, char **argv)
{
	char path[256], *p, *thp;
	volatile char sink = 0;
	int fd;
	FILE *f;

	if (argc != 2) {
		fprintf(stderr, "usage: maptarget DIR\n");
		return 2;
	}
	touch(map(64 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1),
	      64 * PAGE, 1);
	map(64 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);

	/* A 2M-aligned region that khugepaged or the fault path may make huge. */
	thp = map(2 * MB2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	thp = (char *)(((unsigned long)thp + MB2 - 1) & ~(MB2 - 1));
	madvise(thp, MB2, MADV_HUGEPAGE);
	touch(thp, MB2, 2);

	snprintf(path, sizeof(path), "%s/file", argv[1]);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, 16 * PAGE)) {
		perror("maptarget: file");
		return 1;
	}
	touch(map(16 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd), 16 * PAGE, 3);
	p = map(16 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd);
	for (size_t i = 0; i < 8 * PAGE; i += PAGE)
		sink += p[i];		/* read: the file's own pages */
	touch(p + 8 * PAGE, 8 * PAGE, 4);	/* written: private copies */

	touch(map(8 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1),
	      8 * PAGE, 5);

	p = map(8 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	touch(p, 8 * PAGE, 6);
	mprotect(p, 4 * PAGE, PROT_NONE);
	mprotect(p + 4 * PAGE, 4 * PAGE, PROT_READ);

	p = map(8 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	for (size_t i = 0; i < 8 * PAGE; i += PAGE)
		sink += p[i];		/* the shared zero page */

	map(64UL << 40, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1);

	/* Pages shared copy-on-write with a child that sleeps. */
	touch(map(8 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1),
	      8 * PAGE, 7);
	if (fork() == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		pause();
		_exit(0);
	}

	snprintf(path, sizeof(path), "%s/ready", argv[1]);
	f = fopen(path, "w");
	if (!f)
		return 1;
	fprintf(f, "%d\n", (int)getpid());
	fclose(f);
	(void)sink;
	for (;;)
		pause();
}
