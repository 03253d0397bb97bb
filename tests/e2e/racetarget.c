// SPDX-License-Identifier: GPL-2.0
/*
 * racetarget SECONDS: changes its own address space as fast as it can for
 * SECONDS, then exits: mmap, touch, mprotect, madvise (DONTNEED,
 * HUGEPAGE, MERGEABLE, COLLAPSE), migration between the two fake NUMA nodes
 * (mbind with MPOL_MF_MOVE), fork (the child exits at once), munmap. The dump race test
 * runs several dumpers against it meanwhile.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MB2	(2UL << 20)

int main(int argc, char **argv)
{
	time_t end = time(NULL) + (argc > 1 ? atoi(argv[1]) : 30);
	unsigned int n = 0;
	unsigned long nodes[2] = { 1, 2 };	/* node 0, node 1 (numa=fake=2) */

	while (time(NULL) < end) {
		size_t len = (1 + n % 7) * MB2;
		char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			return 1;
		if (n % 3 == 0)
			madvise(p, len, MADV_HUGEPAGE);
		if (n % 5 == 0)
			madvise(p, len, 12 /* MADV_MERGEABLE: KSM, where it runs */);
		for (size_t i = 0; i < len; i += 4096 * (1 + n % 5))
			p[i] = (char)n;
		/* THP collapse and split, and page migration between nodes. */
		if (n % 3 == 1)
			madvise(p, len, 25 /* MADV_COLLAPSE */);
		if (n % 4 == 2)
			syscall(SYS_mbind, p, len, 2 /* MPOL_BIND */, &nodes[n & 1],
				8 * sizeof(nodes[0]), 2 /* MPOL_MF_MOVE */);
		mprotect(p + 4096, 4096, PROT_READ);	/* splits a THP */
		mprotect(p, len / 2, PROT_READ);
		madvise(p + len / 2, len / 4, MADV_DONTNEED);
		if (n % 16 == 0) {
			pid_t c = fork();

			if (c == 0)
				_exit(0);
			waitpid(c, NULL, 0);
		}
		mprotect(p, len / 4, PROT_NONE);
		munmap(p, len);
		n++;
	}
	return 0;
}
