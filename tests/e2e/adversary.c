// SPDX-License-Identifier: GPL-2.0
/*
 * adversary CASE [ARGS]: the reproducers of the reliability review, one
 * case per finding, each checking what an honest user would see (the data
 * a process reads back, the bytes of a file, the errno) rather than what
 * vmx says of itself. Each prints "ok CASE" or "not ok CASE: why" per
 * check and exits 1 when one failed. A kernel that crashes or warns is
 * caught by the console scan of the test run.
 *
 *   hugeshare SECONDS DIR  dump, resolve and peek a MAP_SHARED hugetlbfs
 *                          mapping whose PMD table another process shares,
 *                          unshares (hole punch) and frees (munmap) in a loop
 *   grant-hugetlb          grant 1 page of a 2M hugetlb page: EINVAL, kept
 *   grant-race ROUNDS      two grants into one slot at once: one wins, the
 *                          loser's source keeps its data
 *   grant-twice ROUNDS     one source page granted twice at once: never the
 *                          same frame in two windows
 *   grant-vs-unmap ROUNDS  grants into a window another thread unmaps and
 *                          maps again: a refused grant keeps its source
 *   protect-ro FILE        a read-only file mapped read-only cannot be made
 *                          writable through a window (nor the zero page, nor
 *                          a private file page)
 *   protect-race N FILE    protect rw racing map ro of a read-only file into
 *                          one slot: the file is never written
 *   peek-large DIR         peek every 4K of a THP and a hugetlb page, and a
 *                          window page
 *   dirty-unpin FILE       a write through a window survives writeback and
 *                          drop_caches after the window lets go
 *   timens                 a caller in a time namespace names a process by
 *                          the start time it reads in /proc/pid/stat
 *   inherited-fd           a child cannot change its parent's window through
 *                          the fd it inherited
 *   memlock                window pins count in VmPin and, without
 *                          CAP_IPC_LOCK, against RLIMIT_MEMLOCK
 *   audit-flood N          N protects in a row (the log must not flood)
 *   mtree-big N            MTREE of a tree of about N VMAs, several slices
 *   edit-notifier ROUNDS   an edit racing a process that opens test_hmm's
 *                          mirror (an MMU notifier) and writes through it:
 *                          data never changes under a write-protected entry
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "procinfo.h"
#include "uapi/vmx.h"

#define PG	4096UL
#define MB2	(2UL << 20)
#define GB1	(1UL << 30)

static int dev = -1;
static unsigned long long self_start;
static int failures;

static void check(int ok, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void check(int ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		printf("ok %s\n", name);
		return;
	}
	failures++;
	printf("not ok %s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static void die(const char *what)
{
	printf("not ok setup: %s: %s\n", what, strerrorname_np(errno));
	exit(1);
}

static int remap(unsigned int op, void *src, void *win, unsigned int pages,
		 unsigned long long flags)
{
	struct vmx_remap r = {
		.size = sizeof(r), .op = op, .pages = pages, .flags = flags,
		.win_pid = getpid(), .win_start_time = self_start,
		.win_addr = (unsigned long)win,
	};

	if (src) {
		r.src_pid = getpid();
		r.src_start_time = self_start;
		r.src_addr = (unsigned long)src;
	}
	return ioctl(dev, VMX_IOC_REMAP, &r) ? -errno : 0;
}

static char *window(unsigned long pages)
{
	char *w = mmap(NULL, pages * PG, PROT_READ | PROT_WRITE, MAP_SHARED, dev, 0);

	if (w == MAP_FAILED)
		die("mmap /dev/vmx");
	return w;
}

/* @len bytes at a multiple of @align, from an over-sized reservation. */
static char *aligned_area(unsigned long len, unsigned long align)
{
	char *p = mmap(NULL, len + align, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		die("reserve address space");
	return (char *)(((unsigned long)p + align - 1) & ~(align - 1));
}

static int peek(void *addr, void *buf, unsigned int len)
{
	struct vmx_peek pk = {
		.size = sizeof(pk), .pid = getpid(), .len = len,
		.start_time = self_start, .addr = (unsigned long)addr,
		.buf = (unsigned long)buf,
	};

	return ioctl(dev, VMX_IOC_PEEK, &pk) ? -errno : 0;
}

static int resolve(void *addr)
{
	struct vmx_resolve r = {
		.size = sizeof(r), .pid = getpid(), .start_time = self_start,
		.addr = (unsigned long)addr,
	};

	return ioctl(dev, VMX_IOC_RESOLVE, &r) ? -errno : 0;
}

static int dump(void *start, unsigned long len)
{
	static struct vmx_entry buf[64];
	struct vmx_dump d = {
		.size = sizeof(d), .pid = getpid(), .entry_size = sizeof(buf[0]),
		.start = (unsigned long)start, .end = (unsigned long)start + len,
		.entries = (unsigned long)buf, .max_entries = 64,
		.start_time = self_start,
	};

	do {
		if (ioctl(dev, VMX_IOC_DUMP, &d))
			return -errno;
	} while (d.cursor != d.end);
	return 0;
}

/*
 * Finding 1: a second process maps the same 1 GiB of a hugetlbfs file,
 * which makes it share our PMD table, then punches the page out (which
 * unshares it) and unmaps (which frees it), over and over, while we walk
 * our own mapping.
 */
static int case_hugeshare(int secs, const char *dir)
{
	char path[256];
	time_t end = time(NULL) + secs;
	unsigned long walks = 0, errors = 0;
	int fd, status;
	pid_t child;
	char *a;

	snprintf(path, sizeof(path), "%s/hugeshare", dir);
	fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, GB1))
		die("hugetlbfs file");
	unlink(path);
	a = mmap(aligned_area(GB1, GB1), GB1, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_FIXED | MAP_NORESERVE, fd, 0);
	if (a == MAP_FAILED)
		die("mmap hugetlbfs");
	child = fork();
	if (child == 0) {
		char *at = aligned_area(GB1, GB1);

		while (time(NULL) < end) {
			char *b = mmap(at, GB1, PROT_READ | PROT_WRITE,
				       MAP_SHARED | MAP_FIXED | MAP_NORESERVE, fd, 0);

			if (b == MAP_FAILED)
				_exit(2);
			guarded_write(b, 1);	/* shares the PMD table of ours */
			fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, MB2);
			munmap(b, GB1);	/* frees it, if ours was unshared */
		}
		_exit(0);
	}
	while (time(NULL) < end) {
		char c;

		if (guarded_write(a, 2) < 0)	/* SIGBUS when no huge page is free */
			errors++;
		if (dump(a, GB1) || resolve(a) || (peek(a, &c, 1) && errno != ENOENT))
			errors++;
		walks++;
	}
	waitpid(child, &status, 0);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "hugeshare_churner",
	      "status 0x%x", status);
	check(walks > 0 && errors == 0, "hugeshare_walks",
	      "%lu walks, %lu failed", walks, errors);
	printf("hugeshare: %lu walks in %d s\n", walks, secs);
	return 0;
}

/* Finding 2: a part of a hugetlb page cannot be zapped. */
static int case_grant_hugetlb(void)
{
	char *h = mmap(NULL, MB2, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	char *w = window(1);
	int ret;

	if (h == MAP_FAILED)
		die("mmap MAP_HUGETLB");
	memset(h, 'h', MB2);
	ret = remap(VMX_REMAP_GRANT, h, w, 1, 0);
	check(ret == -EINVAL, "grant_hugetlb_refused", "got %d", ret);
	check(h[0] == 'h' && h[MB2 - 1] == 'h', "grant_hugetlb_kept",
	      "the source reads %d", h[0]);
	return 0;
}

struct racer {
	pthread_barrier_t *bar;
	char *src;
	char *win;
	int ret;
};

static void *grant_thread(void *arg)
{
	struct racer *r = arg;

	pthread_barrier_wait(r->bar);
	r->ret = remap(VMX_REMAP_GRANT, r->src, r->win, 1, 0);
	return NULL;
}

static void race(struct racer *r)
{
	pthread_t t[2];
	int i;

	for (i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, grant_thread, &r[i]);
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
}

/* Finding 3: the losing grant must leave its source as it was. */
static int case_grant_race(int rounds)
{
	char *s = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *w = window(1);
	pthread_barrier_t bar;
	int n, lost = 0, both = 0, none = 0, odd = 0;

	pthread_barrier_init(&bar, NULL, 2);
	for (n = 0; n < rounds; n++) {
		struct racer r[2] = {
			{ .bar = &bar, .src = s, .win = w },
			{ .bar = &bar, .src = s + PG, .win = w },
		};
		int i, winner;

		s[0] = 'x';
		s[PG] = 'y';
		race(r);
		if (!r[0].ret && !r[1].ret) {
			both++;
			continue;
		}
		if (r[0].ret && r[1].ret) {
			none++;
			continue;
		}
		winner = r[0].ret ? 1 : 0;
		i = !winner;
		/* Held by the winner's grant in progress, or filled by it. */
		if (r[i].ret != -EBUSY && r[i].ret != -EEXIST)
			odd++;
		if (s[i * PG] != "xy"[i])
			lost++;
		if (guarded_read(w) != "xy"[winner] || s[winner * PG] != 0)
			odd++;
		if (remap(VMX_REMAP_REVOKE, NULL, w, 1, 0))
			odd++;
	}
	check(!lost, "grant_race_loser_keeps_data", "%d of %d losers lost their page", lost, rounds);
	check(!both && !none && !odd, "grant_race_one_winner",
	      "%d rounds both won, %d none, %d other anomalies", both, none, odd);
	return 0;
}

static volatile int stop_unmapper;

/* Unmap and map again the window a grant aims at, at the same address. */
static void *unmapper(void *arg)
{
	char *w = arg;

	while (!stop_unmapper) {
		munmap(w, PG);
		if (mmap(w, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, dev, 0) == MAP_FAILED)
			break;
		usleep(50);
	}
	return NULL;
}

/*
 * Grant against a window unmapped meanwhile: a grant that fails leaves its
 * source as it was; one that succeeds took the page (into a window that may
 * be gone already, as if revoked at once).
 */
static int case_grant_vs_unmap(int rounds)
{
	char *s = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *w = window(1);
	pthread_t t;
	int n, lost = 0, moved = 0, refused = 0;

	pthread_create(&t, NULL, unmapper, w);
	for (n = 0; n < rounds; n++) {
		int ret;

		s[0] = 'u';
		ret = remap(VMX_REMAP_GRANT, s, w, 1, 0);
		if (ret) {
			refused++;
			if (s[0] != 'u')
				lost++;
		} else {
			moved++;
			remap(VMX_REMAP_REVOKE, NULL, w, 1, 0);
		}
	}
	stop_unmapper = 1;
	pthread_join(t, NULL);
	check(!lost, "grant_vs_unmap_failed_grant_keeps_data",
	      "%d of %d refused grants lost the source's page", lost, refused);
	printf("grant-vs-unmap: %d moved, %d refused\n", moved, refused);
	return 0;
}

/* Finding 4: one page granted twice at once must land in one window only. */
static int case_grant_twice(int rounds)
{
	char *s = mmap(NULL, PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *w = window(2);
	pthread_barrier_t bar;
	int n, twice = 0, none = 0;

	pthread_barrier_init(&bar, NULL, 2);
	for (n = 0; n < rounds; n++) {
		struct racer r[2] = {
			{ .bar = &bar, .src = s, .win = w },
			{ .bar = &bar, .src = s, .win = w + PG },
		};

		s[0] = 'g';
		race(r);
		if (!r[0].ret && !r[1].ret) {
			/* Both got a page: the same frame if a write shows twice. */
			if (guarded_write(w, 'q') == 0 && guarded_read(w + PG) == 'q')
				twice++;
		} else if (r[0].ret && r[1].ret) {
			none++;
		}
		remap(VMX_REMAP_REVOKE, NULL, w, 1, 0);
		remap(VMX_REMAP_REVOKE, NULL, w + PG, 1, 0);
	}
	check(!twice, "grant_twice_one_frame_one_window",
	      "%d of %d rounds put one frame in two windows", twice, rounds);
	check(!none, "grant_twice_one_succeeds", "%d rounds granted nothing", none);
	return 0;
}

/* Finding 5: a page pinned read-only never becomes writable. */
static int case_protect_ro(const char *file)
{
	char before[16], after[16] = { 0 };
	char *w = window(3), *m, *priv, *anon;
	int fd, ret;

	fd = open(file, O_CREAT | O_WRONLY | O_TRUNC, 0444);
	memset(before, 'r', sizeof(before));
	if (fd < 0 || write(fd, before, sizeof(before)) != sizeof(before) ||
	    ftruncate(fd, PG))
		die("write the read-only file");
	close(fd);
	fd = open(file, O_RDONLY);
	m = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0);
	priv = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 0);
	anon = mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (fd < 0 || m == MAP_FAILED || priv == MAP_FAILED || anon == MAP_FAILED)
		die("map the read-only file");
	ret = remap(VMX_REMAP_MAP, m, w, 1, VMX_REMAP_READONLY);
	check(ret == 0, "protect_ro_map_readonly", "got %d", ret);
	ret = remap(VMX_REMAP_PROTECT, NULL, w, 1, 0);
	check(ret == -EACCES, "protect_ro_file_refused", "got %d", ret);
	if (ret == 0)
		guarded_write(w, 'W');
	remap(VMX_REMAP_REVOKE, NULL, w, 1, 0);
	/* A private file page, not yet copied: the file's own page. */
	ret = remap(VMX_REMAP_MAP, priv, w + PG, 1, VMX_REMAP_READONLY);
	if (ret == 0) {
		ret = remap(VMX_REMAP_PROTECT, NULL, w + PG, 1, 0);
		check(ret == -EACCES, "protect_ro_private_file_refused", "got %d", ret);
		if (ret == 0)
			guarded_write(w + PG, 'P');
		remap(VMX_REMAP_REVOKE, NULL, w + PG, 1, 0);
	} else {
		check(ret == -EINVAL, "protect_ro_private_file_refused",
		      "map read-only: got %d", ret);
	}
	/* Never touched: a read-only pin may get the shared zero page. */
	ret = remap(VMX_REMAP_MAP, anon, w + 2 * PG, 1, VMX_REMAP_READONLY);
	if (ret == 0) {
		ret = remap(VMX_REMAP_PROTECT, NULL, w + 2 * PG, 1, 0);
		check(ret == -EACCES, "protect_ro_untouched_refused", "got %d", ret);
		if (ret == 0)
			guarded_write(w + 2 * PG, 'Z');
		remap(VMX_REMAP_REVOKE, NULL, w + 2 * PG, 1, 0);
	} else {
		check(ret == -EINVAL, "protect_ro_untouched_refused",
		      "map read-only: got %d", ret);
	}
	fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
	if (fd >= 0) {
		sync();
		ret = write(fd, "3", 1);
		close(fd);
	}
	fd = open(file, O_RDONLY);
	if (fd < 0 || read(fd, after, sizeof(after)) != sizeof(after))
		die("read the file back");
	close(fd);
	check(!memcmp(before, after, sizeof(before)), "protect_ro_file_unchanged",
	      "the file now starts with '%.16s'", after);
	check(guarded_read(anon) == 0, "protect_ro_zero_page_unchanged",
	      "an untouched page reads %d", guarded_read(anon));
	return 0;
}

struct pr_arg {
	char *w;
	int rounds;
	int made_rw;
};

/* Make the slot read-write and write through it, as fast as possible. */
static void *protector(void *arg)
{
	struct pr_arg *a = arg;
	int i;

	for (i = 0; i < a->rounds; i++) {
		if (remap(VMX_REMAP_PROTECT, NULL, a->w, 1, 0) == 0) {
			a->made_rw++;
			guarded_write(a->w, 'X');
		}
	}
	return NULL;
}

/*
 * PROTECT rw racing MAP ro of a read-only file into the same slot (and
 * MAP rw of a shared page between): a page pinned for reading is never
 * made writable, whatever the interleaving.
 */
static int case_protect_race(int rounds, const char *file)
{
	char before[16], after[16] = { 0 };
	char *w = window(1), *m, *shm;
	struct pr_arg a = { .w = w, .rounds = rounds };
	pthread_t t;
	int fd, i;

	memset(before, 'r', sizeof(before));
	fd = open(file, O_CREAT | O_WRONLY | O_TRUNC, 0444);
	if (fd < 0 || write(fd, before, sizeof(before)) != sizeof(before) || ftruncate(fd, PG))
		die("write the read-only file");
	close(fd);
	fd = open(file, O_RDONLY);
	m = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0);
	shm = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (fd < 0 || m == MAP_FAILED || shm == MAP_FAILED)
		die("map");
	shm[0] = 's';
	pthread_create(&t, NULL, protector, &a);
	for (i = 0; i < rounds; i++) {
		remap(VMX_REMAP_REVOKE, NULL, w, 1, 0);
		remap(VMX_REMAP_MAP, i & 1 ? shm : m, w, 1, i & 1 ? 0 : VMX_REMAP_READONLY);
	}
	pthread_join(t, NULL);
	remap(VMX_REMAP_REVOKE, NULL, w, 1, 0);
	fd = open(file, O_RDONLY);
	if (fd < 0 || read(fd, after, sizeof(after)) != sizeof(after))
		die("read the file back");
	close(fd);
	check(!memcmp(before, after, sizeof(before)), "protect_race_file_unchanged",
	      "the read-only file now starts with '%.16s'", after);
	printf("protect-race: %d rounds, %d protects to read-write went through\n",
	       rounds, a.made_rw);
	return 0;
}

/* Finding 6: every 4K of a large folio can be read, and window pages. */
static int case_peek_large(const char *dir)
{
	char *t = aligned_area(MB2, MB2), *h, *w, *shm, path[256];
	unsigned long i, bad = 0;
	unsigned char c;
	int fd;

	t = mmap(t, MB2, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (t == MAP_FAILED)
		die("mmap THP area");
	madvise(t, MB2, MADV_HUGEPAGE);
	for (i = 0; i < MB2 / PG; i++)
		t[i * PG] = (char)(i | 1);
	for (i = 0; i < MB2 / PG; i++)
		if (peek(t + i * PG, &c, 1) || c != (unsigned char)(i | 1))
			bad++;
	check(!bad, "peek_thp_every_subpage", "%lu of 512 pages unreadable", bad);

	snprintf(path, sizeof(path), "%s/peek", dir);
	fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
	unlink(path);
	h = fd < 0 ? MAP_FAILED : mmap(NULL, MB2, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (h == MAP_FAILED)
		die("mmap hugetlbfs");
	for (i = 0; i < MB2 / PG; i++)
		h[i * PG] = (char)(i | 1);
	bad = 0;
	for (i = 0; i < MB2 / PG; i++)
		if (peek(h + i * PG, &c, 1) || c != (unsigned char)(i | 1))
			bad++;
	check(!bad, "peek_hugetlb_every_subpage", "%lu of 512 pages unreadable", bad);
	munmap(h, MB2);
	close(fd);

	shm = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	w = window(1);
	if (shm == MAP_FAILED)
		die("mmap shared");
	shm[0] = 'w';
	check(!remap(VMX_REMAP_MAP, shm, w, 1, 0), "peek_window_map", "map failed");
	c = 0;
	check(guarded_read(w) == 'w' && !peek(w, &c, 1) && c == 'w', "peek_window_page",
	      "peek gives %d (errno %s)", c, strerrorname_np(errno));
	remap(VMX_REMAP_REVOKE, NULL, w, 1, 0);
	return 0;
}

/*
 * Finding 10: a window write is the page's only change after writeback
 * cleaned it; when the window lets go of the page, the write must still
 * reach the file.
 */
static int case_dirty_unpin(const char *file)
{
	char buf[8] = { 0 }, *m, *w = window(1);
	int fd = open(file, O_CREAT | O_RDWR | O_TRUNC, 0600), dc, ret;

	if (fd < 0 || ftruncate(fd, PG))
		die("create the file");
	m = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		die("mmap the file");
	memset(m, 'A', 8);
	ret = remap(VMX_REMAP_MAP, m, w, 1, 0);
	if (ret == -EFAULT) {
		/*
		 * Since 6.2 GUP refuses long-term writable pins of file
		 * pages that need dirty tracking (writable_file_mapping_
		 * allowed()): the kernel itself rules the case out.
		 */
		printf("skip dirty_unpin_write_kept: the kernel refuses long-term writable pins of this filesystem's pages (EFAULT)\n");
		return 0;
	}
	check(!ret, "dirty_unpin_map", "map failed: %d", ret);
	if (fsync(fd))
		die("fsync");	/* the page is clean now */
	check(!guarded_write(w, 'B'), "dirty_unpin_window_write", "the window write faulted");
	check(!remap(VMX_REMAP_REVOKE, NULL, w, 1, 0), "dirty_unpin_revoke", "revoke failed");
	munmap(m, PG);
	close(fd);
	sync();
	dc = open("/proc/sys/vm/drop_caches", O_WRONLY);
	if (dc < 0 || write(dc, "3", 1) != 1)
		die("drop_caches");
	close(dc);
	fd = open(file, O_RDONLY);
	if (fd < 0 || read(fd, buf, 1) != 1)
		die("read the file back");
	close(fd);
	check(buf[0] == 'B', "dirty_unpin_write_kept", "the file reads '%c'", buf[0]);
	return 0;
}

/*
 * Finding 16: a caller in a time namespace reads other start times in
 * /proc/pid/stat; vmx must take the ones it reads there.
 */
static int case_timens(void)
{
	pid_t parent = getpid(), child;
	int fd, status;

	if (unshare(CLONE_NEWTIME)) {
		check(0, "timens_start_time_accepted", "unshare(CLONE_NEWTIME): %s",
		      strerrorname_np(errno));
		return 0;
	}
	/* Ten days later, for the children that enter the namespace. */
	fd = open("/proc/self/timens_offsets", O_WRONLY);
	if (fd < 0 || dprintf(fd, "boottime 864000 0\n") < 0)
		die("write timens_offsets");
	close(fd);
	child = fork();
	if (child == 0) {
		unsigned long long t = proc_start_time(parent);
		struct vmx_dump d = {
			.size = sizeof(d), .pid = parent,
			.entry_size = sizeof(struct vmx_entry), .start = 0,
			.end = PG * 16, .entries = (unsigned long)&(struct vmx_entry){ 0 },
			.max_entries = 1, .start_time = t,
		};

		/* The offset shows: the parent started ten days "earlier". */
		if (t < self_start + 864000ULL * 100 - 100)
			_exit(3);
		_exit(ioctl(dev, VMX_IOC_DUMP, &d) ? (errno == ESRCH ? 1 : 2) : 0);
	}
	waitpid(child, &status, 0);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "timens_start_time_accepted",
	      "the child in the time namespace got %s",
	      !WIFEXITED(status) ? "killed" : WEXITSTATUS(status) == 1 ? "ESRCH" :
	      WEXITSTATUS(status) == 3 ? "no offset in /proc/pid/stat" : "another error");
	return 0;
}

static int remap_in(int fd, unsigned int op, pid_t pid, unsigned long long start,
		    void *win, unsigned long long flags)
{
	struct vmx_remap r = {
		.size = sizeof(r), .op = op, .pages = 1, .flags = flags,
		.win_pid = pid, .win_start_time = start, .win_addr = (unsigned long)win,
	};

	return ioctl(fd, VMX_IOC_REMAP, &r) ? -errno : 0;
}

/*
 * Finding 14: the fd that made a window is its owner's; a child that
 * inherited it must not change the parent's window through it (an fd
 * of its own, opened with CAP_SYS_ADMIN, may).
 */
static int case_inherited_fd(void)
{
	char *shm = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char *w = window(1);
	pid_t child;
	int status;

	if (shm == MAP_FAILED)
		die("mmap shared");
	shm[0] = 'i';
	check(!remap(VMX_REMAP_MAP, shm, w, 1, 0), "inherited_fd_map", "map failed");
	child = fork();
	if (child == 0) {
		int own = open("/dev/vmx", O_RDWR), bad, good;

		bad = remap_in(dev, VMX_REMAP_REVOKE, getppid(), self_start, w, 0);
		good = own < 0 ? -1 : remap_in(own, VMX_REMAP_PROTECT, getppid(),
						self_start, w, VMX_REMAP_READONLY);
		_exit((bad == -EPERM ? 0 : 1) | (good == 0 ? 0 : 2));
	}
	waitpid(child, &status, 0);
	check(WIFEXITED(status) && !(WEXITSTATUS(status) & 1), "inherited_fd_refused",
	      "the child revoked its parent's window through the inherited fd (status 0x%x)",
	      status);
	check(WIFEXITED(status) && !(WEXITSTATUS(status) & 2), "own_fd_allowed",
	      "the child's own fd was refused (status 0x%x)", status);
	check(guarded_read(w) == 'i', "inherited_fd_window_intact", "the window reads %d", guarded_read(w));
	remap(VMX_REMAP_REVOKE, NULL, w, 1, 0);
	return 0;
}

/* Drop one capability from this process for good, keeping the others. */
static int drop_cap(int cap)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -1;
	d[cap / 32].effective &= ~(1U << (cap % 32));
	d[cap / 32].permitted &= ~(1U << (cap % 32));
	d[cap / 32].inheritable &= ~(1U << (cap % 32));
	return syscall(SYS_capset, &h, d);
}

/*
 * Finding 13: what windows pin is charged to their owner (VmPin) and,
 * without CAP_IPC_LOCK, limited by RLIMIT_MEMLOCK. Root with CAP_IPC_LOCK
 * is never refused, so the case drops it first, keeping CAP_SYS_ADMIN.
 */
static int case_memlock(void)
{
	char *shm = mmap(NULL, 8 * PG, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct rlimit rl = { 4 * PG, 4 * PG };
	char *w = window(8);
	long before = proc_vm_pin_kb();
	int ret;

	if (shm == MAP_FAILED || setrlimit(RLIMIT_MEMLOCK, &rl) || drop_cap(CAP_IPC_LOCK))
		die("setup");
	memset(shm, 'm', 8 * PG);
	ret = remap(VMX_REMAP_MAP, shm, w, 8, 0);
	check(ret == -ENOMEM, "memlock_over_limit_refused", "8 pages over a 4-page limit: %d", ret);
	check(proc_vm_pin_kb() == before, "memlock_refusal_charges_nothing", "VmPin %ld kB, was %ld",
	      proc_vm_pin_kb(), before);
	ret = remap(VMX_REMAP_MAP, shm, w, 4, 0);
	check(ret == 0, "memlock_within_limit", "4 pages: %d", ret);
	check(proc_vm_pin_kb() == before + 16, "memlock_vmpin_counts", "VmPin %ld kB, want %ld",
	      proc_vm_pin_kb(), before + 16);
	ret = remap(VMX_REMAP_MAP, shm + 4 * PG, w + 4 * PG, 1, 0);
	check(ret == -ENOMEM, "memlock_limit_holds", "a fifth page: %d", ret);
	remap(VMX_REMAP_REVOKE, NULL, w, 4, 0);
	check(proc_vm_pin_kb() == before, "memlock_revoke_uncharges", "VmPin %ld kB, was %ld",
	      proc_vm_pin_kb(), before);
	ret = remap(VMX_REMAP_MAP, shm, w, 4, 0);
	munmap(w, 8 * PG);
	check(!ret && proc_vm_pin_kb() == before, "memlock_unmap_uncharges", "VmPin %ld kB, was %ld",
	      proc_vm_pin_kb(), before);
	return 0;
}

/* Finding 18: a loop of requests, one audit line each, at full speed. */
static int case_audit_flood(int n)
{
	char *shm = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char *w = window(1);
	int i, bad = 0;

	if (shm == MAP_FAILED)
		die("mmap shared");
	shm[0] = 'a';
	if (remap(VMX_REMAP_MAP, shm, w, 1, 0))
		die("map");
	for (i = 0; i < n; i++)
		bad += !!remap(VMX_REMAP_PROTECT, NULL, w, 1, i & 1 ? 0 : VMX_REMAP_READONLY);
	remap(VMX_REMAP_REVOKE, NULL, w, 1, 0);
	check(!bad, "audit_flood_requests", "%d of %d protects failed", bad, n);
	return 0;
}

/*
 * Finding 13: MTREE of a tree larger than one slice (3,640 nodes) comes
 * in slices of bounded kernel memory, and is still one tree.
 */
static int case_mtree_big(int vmas)
{
	char *a = mmap(NULL, (size_t)vmas * PG, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	struct vmx_mt_node *nodes = calloc(65536, sizeof(*nodes));
	struct vmx_mtree m = {
		.size = sizeof(m), .pid = getpid(), .start_time = self_start,
		.entry_size = sizeof(*nodes), .nodes = (unsigned long)nodes,
		.max_nodes = 65536,
	};
	unsigned long leaves_vmas = 0, maps = 0;
	char line[512];
	FILE *f;
	int i, ret;

	if (a == MAP_FAILED || !nodes)
		die("setup");
	/* Every other page readable: one VMA per page. */
	for (i = 0; i < vmas; i += 2)
		mprotect(a + (size_t)i * PG, PG, PROT_READ);
	ret = ioctl(dev, VMX_IOC_MTREE, &m) ? -errno : 0;
	f = fopen("/proc/self/maps", "r");
	while (f && fgets(line, sizeof(line), f))
		maps += !strstr(line, "[vsyscall]");
	if (f)
		fclose(f);
	for (i = 0; !ret && i < (int)m.count; i++)
		if (nodes[i].type == VMX_MT_LEAF_64)
			leaves_vmas += __builtin_popcount(nodes[i].used);
	check(!ret, "mtree_big_ok", "MTREE: %d", ret);
	check(m.total > 3640 && m.count == m.total, "mtree_big_more_than_a_slice",
	      "%u of %u nodes", m.count, m.total);
	check(m.vmas == maps && leaves_vmas == maps, "mtree_big_one_tree",
	      "%u VMAs in the tree, %lu in its leaves, %lu lines in maps",
	      m.vmas, leaves_vmas, maps);
	munmap(a, (size_t)vmas * PG);
	free(nodes);
	return 0;
}

/* The MMU-notifier mirror of test_hmm (lib/test_hmm_uapi.h). */
struct hmm_dmirror_cmd {
	unsigned long long addr, ptr, npages, cpages, faults;
};

#define HMM_DMIRROR_WRITE	_IOWR('H', 0x01, struct hmm_dmirror_cmd)

static int mirror_write(int fd, char *page, char c)
{
	static char bounce[PG];
	struct hmm_dmirror_cmd cmd = {
		.addr = (unsigned long)page, .ptr = (unsigned long)bounce,
		.npages = 1,
	};

	memset(bounce, c, PG);
	return ioctl(fd, HMM_DMIRROR_WRITE, &cmd) ? -errno : 0;
}

/* The child of a round: a fresh mm, which gets its notifier mid-edit. */
static void notifier_child(char *page, int rd, int wr)
{
	char c;
	int fd;

	memset(page, 'A', PG);
	if (write(wr, "r", 1) != 1 || read(rd, &c, 1) != 1)
		_exit(1);
	fd = open("/dev/hmm_dmirror0", O_RDWR);
	c = fd < 0 || mirror_write(fd, page, 'B') ? 'E' : '1';
	if (write(wr, &c, 1) != 1 || read(rd, &c, 1) != 1)
		_exit(1);
	c = fd < 0 || mirror_write(fd, page, 'C') ? 'E' : '2';
	if (write(wr, &c, 1) != 1 || read(rd, &c, 1) != 1)
		_exit(1);
	_exit(0);
}

/*
 * Finding 11: EDIT looked for MMU notifiers before it took the mmap lock,
 * so a notifier registered in between (mmu_notifier_register() takes that
 * lock for writing) kept a writable copy of an entry EDIT write-protected;
 * its next write then changed the data under a clean read-only entry. Each
 * round a fresh child registers test_hmm's mirror and writes through it
 * while we clear its entry's write bit; then it writes once more through
 * the mirror. Whenever that last write landed, the entry must be writable
 * again (the mirror had to fault), or the edit must have been refused.
 */
static int case_edit_notifier(int rounds)
{
	char *page = mmap(NULL, PG, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int done = 0, edited = 0, busy = 0, bad = 0, other = 0;
	char what[64] = "";

	if (page == MAP_FAILED)
		die("mmap");
	memset(page, 'A', PG);
	for (int i = 0; i < rounds; i++) {
		struct vmx_edit e = { .size = sizeof(e), .clear = VMX_EDIT_WRITE,
				      .addr = (unsigned long)page };
		struct vmx_resolve r = { .size = sizeof(r), .addr = (unsigned long)page };
		struct vmx_peek pk = { .size = sizeof(pk), .len = 1,
				       .addr = (unsigned long)page };
		int p2c[2], c2p[2], rc;
		char c = 0, got = 0;
		pid_t pid;

		if (pipe(p2c) || pipe(c2p))
			die("pipe");
		pid = fork();
		if (pid < 0)
			die("fork");
		if (!pid)
			notifier_child(page, p2c[0], c2p[1]);
		e.pid = r.pid = pk.pid = pid;
		pk.buf = (unsigned long)&got;
		if (read(c2p[0], &c, 1) != 1)
			die("child did not start");
		e.start_time = r.start_time = pk.start_time = proc_start_time(pid);
		/* Go: the child opens the mirror while we edit. */
		if (write(p2c[1], "g", 1) != 1)
			die("write to child");
		rc = ioctl(dev, VMX_IOC_EDIT, &e) ? errno : 0;
		if (read(c2p[0], &c, 1) != 1 || c != '1' ||
		    write(p2c[1], "g", 1) != 1 || read(c2p[0], &c, 1) != 1 || c != '2') {
			snprintf(what, sizeof(what), "the mirror's writes failed (%c)", c);
			other++;
		} else if (ioctl(dev, VMX_IOC_RESOLVE, &r) || ioctl(dev, VMX_IOC_PEEK, &pk)) {
			snprintf(what, sizeof(what), "resolve/peek: %s", strerrorname_np(errno));
			other++;
		} else {
			done++;
			edited += !rc;
			busy += rc == EBUSY;
			if (rc && rc != EBUSY) {
				snprintf(what, sizeof(what), "edit: %s", strerrorname_np(rc));
				other++;
			}
			/* Bit 1 is x86's R/W. */
			if (!rc && got == 'C' && !(r.final.raw & 2)) {
				snprintf(what, sizeof(what), "entry 0x%llx read-only after a mirror write",
					 (unsigned long long)r.final.raw);
				bad++;
			}
		}
		if (write(p2c[1], "q", 1) != 1)
			die("write to child");
		waitpid(pid, NULL, 0);
		close(p2c[0]);
		close(p2c[1]);
		close(c2p[0]);
		close(c2p[1]);
		if (other)
			break;
	}
	printf("edit-notifier: %d rounds, %d edited, %d refused EBUSY\n", done, edited, busy);
	check(!other, "edit_notifier_rounds_ran", "%s", what);
	check(!bad, "edit_notifier_no_write_under_readonly_entry", "%d of %d rounds: %s",
	      bad, done, what);
	return 0;
}

static volatile int stop_flipper;

/* Change a RESOLVE request's size under the kernel's feet. */
static void *size_flipper(void *arg)
{
	static const unsigned long long sizes[] = {
		sizeof(struct vmx_resolve), 0, offsetof(struct vmx_resolve, root_pa),
		offsetof(struct vmx_resolve, final), 1,
	};
	volatile unsigned long long *size = arg;
	unsigned int i = 0;

	while (!stop_flipper)
		*size = sizes[i++ % (sizeof(sizes) / sizeof(sizes[0]))];
	return NULL;
}

/* Whether @len bytes at @p are all @c, or all zero (written back). */
static int sentinel_or_zero(const void *p, size_t len, unsigned char c)
{
	const unsigned char *b = p;
	size_t i, s = 0, z = 0;

	for (i = 0; i < len; i++) {
		s += b[i] == c;
		z += !b[i];
	}
	return s == len || z == len;
}

/*
 * RESOLVE whose size another thread keeps changing: the module must act on
 * the one size it checked (a second read of it once cleared from there
 * to wherever the new value said, over the kernel stack, or too little of
 * what it then copied back). Each answer's unused steps and, for an
 * address with nothing mapped, its frame and final entry must read as the
 * caller left them (not copied back) or as zero; never as anything else.
 */
static int case_size_flip(int rounds)
{
	char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct vmx_resolve r;
	pthread_t t;
	int n, ok = 0, einval = 0, odd = 0, garbage = 0;

	if (p == MAP_FAILED)
		die("mmap");
	if (pthread_create(&t, NULL, size_flipper, &r.size))
		die("pthread_create");
	for (n = 0; n < rounds; n++) {
		unsigned int i, steps;

		memset(&r.flags, 0xaa, sizeof(r) - sizeof(r.size));
		r.flags = 0;
		r.reserved = 0;
		r.pid = getpid();
		r.start_time = 0;
		r.addr = (unsigned long)p;	/* never touched: nothing mapped */
		if (ioctl(dev, VMX_IOC_RESOLVE, &r)) {
			if (errno == EINVAL)
				einval++;
			else
				odd++;
			continue;
		}
		ok++;
		steps = r.nr_steps == 0xaaaaaaaa ? 0 : r.nr_steps;
		if (steps > VMX_MAX_STEPS) {
			garbage++;
			continue;
		}
		for (i = steps; i < VMX_MAX_STEPS; i++)
			garbage += !sentinel_or_zero(&r.steps[i], sizeof(r.steps[i]), 0xaa);
		garbage += !sentinel_or_zero(&r.pa, sizeof(r.pa), 0xaa);
		if (r.result == VMX_RESOLVE_NONE)
			garbage += !sentinel_or_zero(&r.final, sizeof(r.final), 0xaa);
	}
	stop_flipper = 1;
	pthread_join(t, NULL);
	check(!garbage && !odd && ok, "resolve_size_flip_no_stack_bytes",
	      "%d answers, %d EINVAL, %d other errors, %d fields with bytes the caller never saw",
	      ok, einval, odd, garbage);
	return 0;
}

/*
 * The caller's own thread is found without a pid lookup (ioctl/target.c):
 * it must still check start_time, and answer as the lookup does for a
 * second thread naming itself by its TID or the process by its TGID.
 */
struct own_thread {
	char *page;
	int by_tid, by_tgid, stale;
	unsigned long long pa;
};

static int resolve_as(pid_t pid, unsigned long long start, void *addr,
		      unsigned long long *pa)
{
	struct vmx_resolve r = {
		.size = sizeof(r), .pid = pid, .start_time = start,
		.addr = (unsigned long)addr,
	};

	if (ioctl(dev, VMX_IOC_RESOLVE, &r))
		return -errno;
	*pa = r.result == VMX_RESOLVE_MAPPED ? r.pa : 0;
	return 0;
}

static void *own_thread_fn(void *arg)
{
	struct own_thread *o = arg;
	pid_t tid = syscall(SYS_gettid);
	unsigned long long start = proc_start_time(tid), pa = 0;

	o->by_tid = resolve_as(tid, start, o->page, &o->pa);
	o->by_tgid = resolve_as(getpid(), self_start, o->page, &pa);
	if (!o->by_tgid && pa != o->pa)
		o->by_tgid = -EXDEV;
	o->stale = resolve_as(tid, start + 1, o->page, &pa);
	return NULL;
}

static void case_own_thread(void)
{
	char *page = mmap(NULL, PG, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct own_thread o = { .page = page };
	unsigned long long pa = 0, pa2;
	pthread_t t;
	int ret;

	if (page == MAP_FAILED)
		die("mmap");
	page[0] = 1;
	ret = resolve_as(getpid(), self_start, page, &pa);
	check(!ret && pa, "own_thread_self", "own pid: %d, pa %#llx", ret, pa);
	ret = resolve_as(getpid(), self_start + 1, page, &pa2);
	check(ret == -ESRCH, "own_thread_stale_start", "own pid, start_time + 1: %d", ret);
	ret = resolve_as(getpid(), 0, page, &pa2);
	check(!ret && pa2 == pa, "own_thread_no_start", "own pid, no start_time: %d", ret);
	pthread_create(&t, NULL, own_thread_fn, &o);
	pthread_join(t, NULL);
	check(!o.by_tid && o.pa == pa, "own_thread_tid",
	      "second thread by its TID: %d, pa %#llx (main %#llx)", o.by_tid, o.pa, pa);
	check(!o.by_tgid, "own_thread_tgid", "second thread naming the TGID: %d", o.by_tgid);
	check(o.stale == -ESRCH, "own_thread_tid_stale",
	      "second thread, its TID with start_time + 1: %d", o.stale);
	munmap(page, PG);
}

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";
	const char *arg = argc > 2 ? argv[2] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	guard_faults();
	dev = open("/dev/vmx", O_RDWR);
	if (dev < 0)
		die("open /dev/vmx");
	self_start = proc_start_time(getpid());
	if (!self_start)
		die("read /proc/self/stat");
	if (!strcmp(c, "hugeshare") && argc > 3)
		case_hugeshare(atoi(arg), argv[3]);
	else if (!strcmp(c, "grant-hugetlb"))
		case_grant_hugetlb();
	else if (!strcmp(c, "grant-race"))
		case_grant_race(atoi(arg));
	else if (!strcmp(c, "grant-vs-unmap"))
		case_grant_vs_unmap(atoi(arg));
	else if (!strcmp(c, "grant-twice"))
		case_grant_twice(atoi(arg));
	else if (!strcmp(c, "protect-ro") && argc > 2)
		case_protect_ro(arg);
	else if (!strcmp(c, "protect-race") && argc > 3)
		case_protect_race(atoi(arg), argv[3]);
	else if (!strcmp(c, "peek-large") && argc > 2)
		case_peek_large(arg);
	else if (!strcmp(c, "audit-flood"))
		case_audit_flood(atoi(arg));
	else if (!strcmp(c, "mtree-big"))
		case_mtree_big(atoi(arg));
	else if (!strcmp(c, "inherited-fd"))
		case_inherited_fd();
	else if (!strcmp(c, "memlock"))
		case_memlock();
	else if (!strcmp(c, "timens"))
		case_timens();
	else if (!strcmp(c, "own-thread"))
		case_own_thread();
	else if (!strcmp(c, "size-flip"))
		case_size_flip(atoi(arg));
	else if (!strcmp(c, "edit-notifier"))
		case_edit_notifier(atoi(arg));
	else if (!strcmp(c, "dirty-unpin") && argc > 2)
		case_dirty_unpin(arg);
	else {
		fprintf(stderr, "usage: adversary CASE [ARGS] (see the source)\n");
		return 2;
	}
	return failures ? 1 : 0;
}
