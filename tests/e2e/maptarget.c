// SPDX-License-Identifier: GPL-2.0
/*
 * A process with one mapping of each ordinary kind, for the dump tests:
 *   maptarget DIR      sets them up, writes its pid to DIR/ready, then
 *                      waits for SIGTERM.
 * Kinds: touched 4K anon, untouched anon, a 2M THP candidate
 * (MADV_HUGEPAGE), private and shared file mappings on tmpfs, MAP_SHARED
 * anon, PROT_NONE, read-only after a write, a page shared copy-on-write
 * with a forked child, the zero page (read, never written) and a 64 TiB
 * PROT_NONE reservation; and where the kernel allows (each outcome is
 * written to DIR/kinds, one "name ok|skip why" line, beside "addr NAME
 * ADDRESS" lines for the inspect tests): hugetlb 2M and 1G
 * pages, pages pushed out to swap (MADV_PAGEOUT), and uffd-wp on shmem,
 * present and as PTE markers on zapped pages.
 * After "ready", SIGUSR1 makes it write the first 4 pages of its soft-dirty
 * region (for a test that cleared the bits) and then touch DIR/wrote;
 * SIGUSR2 makes it copy the kernel's ptdump of itself into DIR/ptdump
 * (it reads /sys/kernel/debug/page_tables/current_user, which shows the
 * reader's own tables), faulting nothing in meanwhile.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
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

static FILE *kinds;

static void kind(const char *name, int ok, const char *why)
{
	if (ok)
		fprintf(kinds, "%s ok\n", name);
	else
		fprintf(kinds, "%s skip %s: %s\n", name, why, strerror(errno));
	fflush(kinds);
}

/* hugetlb: huge pages come from the pool the kernel command line reserved. */
static void hugetlb(const char *name, size_t len, int size_flag)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | size_flag, -1, 0);

	if (p != MAP_FAILED)
		touch(p, len, 8);
	kind(name, p != MAP_FAILED, "mmap MAP_HUGETLB");
}

/* Bit 62 of our own pagemap entry: the page is out in swap. */
static int page_in_swap(const char *addr)
{
	int fd = open("/proc/self/pagemap", O_RDONLY);
	uint64_t e = 0;
	int in = fd >= 0 &&
		 pread(fd, &e, sizeof(e), (uintptr_t)addr / PAGE * sizeof(e)) == sizeof(e) &&
		 (e >> 62 & 1);

	if (fd >= 0)
		close(fd);
	return in;
}

/*
 * Written, then pushed to swap: swap entries with their type and offset.
 * MADV_PAGEOUT skips pages still in a CPU's LRU batch (seen once: 5 of 16
 * went out), so ask again until some did, and name the first that did.
 */
static void swapped(void)
{
	char *p = map(16 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	char *first = NULL;

	touch(p, 16 * PAGE, 9);
	for (int tries = 0; tries < 50 && !first; tries++) {
		if (madvise(p, 16 * PAGE, MADV_PAGEOUT)) {
			kind("swap", 0, "madvise MADV_PAGEOUT");
			return;
		}
		for (int i = 0; i < 16 && !first; i++)
			if (page_in_swap(p + i * PAGE))
				first = p + i * PAGE;
		if (!first)
			usleep(100000);
	}
	fprintf(kinds, "addr swap %p\n", (void *)(first ? first : p));
	errno = ENOSPC;
	kind("swap", first != NULL, "nothing left memory (is swap on?)");
}

/*
 * uffd-wp on shmem: write-protected present pages carry the uffd-wp bit;
 * zapping them leaves PTE markers that keep the protection.
 */
static void uffd_wp_shmem(void)
{
	struct uffdio_api api = {
		.api = UFFD_API, .features = UFFD_FEATURE_WP_HUGETLBFS_SHMEM,
	};
	char *p = map(8 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1);
	struct uffdio_register reg = {
		.range = { .start = (unsigned long)p, .len = 8 * PAGE },
		.mode = UFFDIO_REGISTER_MODE_WP,
	};
	struct uffdio_writeprotect wp = {
		.range = reg.range, .mode = UFFDIO_WRITEPROTECT_MODE_WP,
	};
	int fd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);

	touch(p, 8 * PAGE, 10);
	if (fd < 0) {
		kind("uffd-wp", 0, "userfaultfd");
		return;
	}
	if (ioctl(fd, UFFDIO_API, &api) || ioctl(fd, UFFDIO_REGISTER, &reg) ||
	    ioctl(fd, UFFDIO_WRITEPROTECT, &wp)) {
		kind("uffd-wp", 0, "UFFDIO_API/REGISTER/WRITEPROTECT on shmem");
		return;
	}
	kind("uffd-wp", !madvise(p, 4 * PAGE, MADV_DONTNEED), "madvise MADV_DONTNEED");
	/* fd stays open: closing it would drop the protection. */
}

static char *softdirty;
static volatile sig_atomic_t write_now, ptdump_now;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		write_now = 1;
	else
		ptdump_now = 1;
}

/* Touched before reading: the read itself must change no page table. */
static char ptdump_buf[2 << 20];

static unsigned long stack_end;	/* the end of the [stack] VMA */

static void find_stack_end(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long s, e;
	char line[256];

	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "[stack]") && sscanf(line, "%lx-%lx", &s, &e) == 2)
			stack_end = e;
	if (f)
		fclose(f);
}

/*
 * Every stack page from 64 KiB below the caller's frame to the top,
 * written (each byte kept): as the buffer below, for the frames that run
 * after the snapshot.
 */
static void __attribute__((noinline)) touch_stack(void)
{
	volatile char pad[64 << 10];
	volatile char *p;

	for (size_t i = 0; i < sizeof(pad); i += PAGE)
		pad[i] = 0;
	for (p = pad; (unsigned long)p < stack_end; p += PAGE)
		*p = *p;
}

static void copy_ptdump(const char *dir)
{
	char path[256], tmp[256];
	ssize_t got, len = 0;
	int in, out;

	/*
	 * Written again first: a clear_refs since "ready" write-protected it,
	 * and read() would then change the very entries ptdump reports.
	 */
	touch(ptdump_buf, sizeof(ptdump_buf), 2);
	touch_stack();
	in = open("/sys/kernel/debug/page_tables/current_user", O_RDONLY);
	if (in < 0)
		return;
	while (len < (ssize_t)sizeof(ptdump_buf) &&
	       (got = read(in, ptdump_buf + len, sizeof(ptdump_buf) - len)) > 0)
		len += got;
	close(in);
	snprintf(tmp, sizeof(tmp), "%s/ptdump.tmp", dir);
	snprintf(path, sizeof(path), "%s/ptdump", dir);
	out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (out < 0)
		return;
	if (write(out, ptdump_buf, len) == len)
		rename(tmp, path);
	close(out);
}

int main(int argc, char **argv)
{
	char path[256], *p, *thp;
	sigset_t block, waiting;
	volatile char sink = 0;
	int fd;
	FILE *f;

	if (argc != 2) {
		fprintf(stderr, "usage: maptarget DIR\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/kinds", argv[1]);
	kinds = fopen(path, "w");
	if (!kinds) {
		perror("maptarget: kinds");
		return 1;
	}
	/* Blocked but while waiting in sigsuspend(): no request is missed. */
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGUSR2);
	sigprocmask(SIG_BLOCK, &block, &waiting);
	signal(SIGUSR1, on_signal);
	signal(SIGUSR2, on_signal);
	touch(ptdump_buf, sizeof(ptdump_buf), 1);
	find_stack_end();
	/*
	 * 4K pages, and an untouched page, stay so: with THP "always" (Debian
	 * 6.1) khugepaged may otherwise collapse them, with the VMAs they
	 * merge into, into a 2M page while the checks run (seen once).
	 */
	p = map(64 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	madvise(p, 64 * PAGE, MADV_NOHUGEPAGE);
	touch(p, 64 * PAGE, 1);
	memcpy(p + 16, "vmx peek test", 13);
	fprintf(kinds, "addr anon %p\n", (void *)p);
	p = map(64 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	madvise(p, 64 * PAGE, MADV_NOHUGEPAGE);
	fprintf(kinds, "addr untouched %p\n", (void *)p);

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

	/* The zero page again, then PROT_NONE: one merged PROT_NONE run. */
	p = map(8 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	for (size_t i = 0; i < 8 * PAGE; i += PAGE)
		sink += p[i];
	mprotect(p, 8 * PAGE, PROT_NONE);

	/*
	 * With 5-level paging, a page in the last PGD slot of the user half
	 * (0xff000000000000 is slot 255): its P4D table is the highest one.
	 * Above 2^47 only at an explicit address; 4-level kernels refuse it.
	 */
	p = mmap((void *)0xff000000000000UL, PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	kind("high", p != MAP_FAILED, "no 57-bit address space");
	if (p != MAP_FAILED) {
		touch(p, PAGE, 12);
		fprintf(kinds, "addr high %p\n", (void *)p);
	}

	map(64UL << 40, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1);

	hugetlb("hugetlb-2M", MB2, 21 << MAP_HUGE_SHIFT);
	hugetlb("hugetlb-1G", 1UL << 30, 30 << MAP_HUGE_SHIFT);
	swapped();
	uffd_wp_shmem();
	softdirty = map(16 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	touch(softdirty, 16 * PAGE, 11);

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
	for (;;) {
		sigsuspend(&waiting);
		if (ptdump_now) {
			ptdump_now = 0;
			copy_ptdump(argv[1]);
		}
		if (!write_now)
			continue;
		write_now = 0;
		touch(softdirty, 4 * PAGE, 12);
		snprintf(path, sizeof(path), "%s/wrote", argv[1]);
		f = fopen(path, "w");
		if (f)
			fclose(f);
	}
}
