// SPDX-License-Identifier: GPL-2.0
/*
 * vmxfuzz SECONDS [--seed N] [--edits] [--failnth] [--huge DIR]
 *
 * A structure-aware fuzzer of /dev/vmx, run inside the test VM. Every
 * request starts from a valid one and has some of its fields made hostile:
 * pids of itself, init, kthreadd, a zombie, churner processes that change
 * their memory meanwhile, a dead pid; addresses inside and outside VMAs,
 * non-canonical and kernel ones; counts 0, 1, 512, 2^20, 2^63; sizes 0 to
 * 8192; random flags and reserved fields; NULL, read-only, page-straddling
 * and kernel pointers; unknown ioctl numbers. Windows are mmapped with odd
 * sizes and flags and then cut, moved, protected, advised and forked.
 *
 * Oracles, besides the console scan of the test run (no splat):
 *  - each errno is one the ioctl documents (docs/uapi.md);
 *  - a page granted from the fuzzer's own memory is in the window and no
 *    longer at its source;
 *  - a read-only file mapped into windows is never written;
 *  - PEEK of the fuzzer's own memory returns its bytes;
 *  - with every window gone, nothing is charged to its VmPin.
 * --edits: allow_edits=2 is on; EDIT the churners (and, safely, itself).
 * --failnth: for some requests, make the Nth allocation fail
 * (/proc/thread-self/fail-nth; the script sets failslab and
 * fail_page_alloc up), and accept ENOMEM, EFAULT, EINTR besides.
 * Prints a coverage table (request x result) and "vmxfuzz: N ioctls in S s
 * (R/s), F failures"; exits 1 on any failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../e2e/procinfo.h"
#include "uapi/vmx.h"

#define PG		4096UL
#define MB2		(2UL << 20)
#define NCHURN		3
#define NWIN		4
#define BUFSZ		(1UL << 20)
#define MAXVMA		64
#define MIN(a, b)	((a) < (b) ? (a) : (b))

enum req { R_INFO, R_DUMP, R_RESOLVE, R_PEEK, R_PHYS, R_VMAS, R_MTREE,
	   R_REMAP, R_EDIT, R_TLB, R_BOGUS, R_NREQ };

static const char *const req_name[R_NREQ] = {
	"INFO", "DUMP", "RESOLVE", "PEEK", "PHYS", "VMAS", "MTREE", "REMAP",
	"EDIT", "TLB_FLUSH", "unknown",
};

static const unsigned long req_cmd[R_NREQ] = {
	VMX_IOC_INFO, VMX_IOC_DUMP, VMX_IOC_RESOLVE, VMX_IOC_PEEK, VMX_IOC_PHYS,
	VMX_IOC_VMAS, VMX_IOC_MTREE, VMX_IOC_REMAP, VMX_IOC_EDIT,
	VMX_IOC_TLB_FLUSH, 0,
};

/*
 * What each request may answer (docs/uapi.md), besides 0. EINVAL, EFAULT
 * and E2BIG come from the common size-first checks; ESRCH and ENXIO from
 * looking up the pid; EINTR from a fatal signal while waiting for a lock.
 */
#define COMMON	"EINVAL EFAULT E2BIG ENOMEM "
#define TARGET	"ESRCH ENXIO EINTR "
static const char *const allowed[R_NREQ] = {
	[R_INFO] = COMMON,
	[R_DUMP] = COMMON TARGET,
	[R_RESOLVE] = COMMON TARGET "EPERM ",
	[R_PEEK] = COMMON TARGET "ENOENT EPERM ",
	[R_PHYS] = COMMON "ERANGE ",
	[R_VMAS] = COMMON TARGET,
	[R_MTREE] = COMMON TARGET "EAGAIN EPROTO ",
	[R_REMAP] = COMMON TARGET "ENOENT EEXIST EBUSY EACCES EPERM EOPNOTSUPP ",
	[R_EDIT] = COMMON TARGET "ENOENT EBUSY EACCES EPERM EAGAIN EOPNOTSUPP ",
	[R_TLB] = COMMON "EOPNOTSUPP ",
	[R_BOGUS] = "ENOTTY EINVAL EFAULT ",
};

#define NERR	134
static unsigned long outcome[R_NREQ][NERR];	/* [0]: success */
static unsigned long nreq, failures;
static int dev, failnth = -1, edits;
static unsigned long long self_start;

static uint64_t rng;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static int chance(int percent)
{
	return (int)(rnd() % 100) < percent;
}

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void fail(const char *fmt, ...)
{
	va_list ap;

	failures++;
	printf("FAIL: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* ---- the processes requests name ---- */

struct proc {
	pid_t pid;
	unsigned long long start;
	unsigned long vma[MAXVMA][2];
	int nvma;
};

static struct proc self, churn[NCHURN];
static pid_t zombie, dead;
static const char *huge_dir;

static void read_vmas(struct proc *p)
{
	char path[64], line[512];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", p->pid);
	f = fopen(path, "r");
	p->nvma = 0;
	while (f && p->nvma < MAXVMA && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx", &p->vma[p->nvma][0], &p->vma[p->nvma][1]) == 2)
			p->nvma++;
	}
	if (f)
		fclose(f);
}

/*
 * A churner: changes its own address space as fast as it can, over every
 * kind of memory vmx treats differently, until killed or its time is up.
 */
static void churn_loop(unsigned int seed, int secs)
{
	time_t end = time(NULL) + secs;
	char path[256];
	int fd = -1, hfd = -1;

	rng = seed | 1;
	snprintf(path, sizeof(path), "/tmp/vmxfuzz-churn-%d", getpid());
	fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
	unlink(path);
	if (fd >= 0 && ftruncate(fd, 4 * MB2))
		fd = -1;
	if (huge_dir) {
		snprintf(path, sizeof(path), "%s/churn-%d", huge_dir, getpid());
		hfd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
		unlink(path);
	}
	while (time(NULL) < end) {
		size_t len = (1 + rnd() % 4) * MB2;
		int kind = rnd() % 7, flags = MAP_PRIVATE | MAP_ANONYMOUS;
		int mfd = -1;
		char *p;

		if (kind == 1)
			flags = MAP_SHARED | MAP_ANONYMOUS;
		if ((kind == 2 || kind == 3) && fd >= 0) {
			flags = kind == 2 ? MAP_SHARED : MAP_PRIVATE;
			mfd = fd;
			len = 4 * MB2;
		}
		if ((kind == 4 || kind == 5) && hfd >= 0) {
			flags = (kind == 4 ? MAP_SHARED : MAP_PRIVATE) | MAP_NORESERVE;
			mfd = hfd;
			len = MB2;
		}
		if (kind == 6)
			flags |= MAP_HUGETLB | MAP_NORESERVE;
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, mfd, 0);
		if (p == MAP_FAILED)
			continue;
		if (kind == 0)
			madvise(p, len, rnd() & 1 ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
		for (size_t i = 0; i < len; i += PG * (1 + rnd() % 8))
			p[i] = (char)i;
		switch (rnd() % 8) {
		case 0:
			madvise(p, len / 2, MADV_DONTNEED);
			break;
		case 1:
			madvise(p, len, 21 /* MADV_PAGEOUT */);
			break;
		case 2:
			madvise(p, len, 25 /* MADV_COLLAPSE */);
			break;
		case 3:
			p = mremap(p, len, len * 2, MREMAP_MAYMOVE);
			if (p != MAP_FAILED)
				len *= 2;
			break;
		case 4:
			mprotect(p, len / 2, PROT_READ);
			break;
		case 5:
			if (fork() == 0)
				_exit(p[0]);
			break;
		case 6:
			if (mfd >= 0 && mfd == hfd)
				fallocate(hfd, 3 /* PUNCH_HOLE | KEEP_SIZE */, 0, MB2);
			break;
		default:
			usleep(1000);
		}
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		if (p != MAP_FAILED && rnd() % 4)
			munmap(p, len);
	}
	_exit(0);
}

static void spawn(struct proc *p)
{
	unsigned int seed = (unsigned int)rnd();
	pid_t pid = fork();

	if (pid == 0)
		churn_loop(seed, 2 + seed % 8);
	p->pid = pid;
	usleep(2000);
	p->start = proc_start_time(pid);
	read_vmas(p);
}

static void reap(void)
{
	pid_t pid;
	int i;

	while ((pid = waitpid(-1, NULL, WNOHANG)) > 0) {
		if (pid == zombie)
			continue;
		for (i = 0; i < NCHURN; i++)
			if (churn[i].pid == pid) {
				dead = pid;
				spawn(&churn[i]);
			}
	}
}

/* ---- values, valid and hostile ---- */

static char *buf, *ro_page, *straddle, *canary, *shm, *gpriv;
static const char canary_byte = 0x5c;

static struct proc *any_proc(void)
{
	return rnd() % 3 ? &churn[rnd() % NCHURN] : &self;
}

static void pick_target(__s32 *pid, __u64 *start, struct proc **pp)
{
	struct proc *p = any_proc();

	*pp = p;
	*pid = p->pid;
	*start = p->start;
	switch (rnd() % 16) {
	case 0: *pid = 1; *start = proc_start_time(1); *pp = NULL; break;
	case 1: *pid = 2; *start = proc_start_time(2); *pp = NULL; break;
	case 2: *pid = zombie; *start = proc_start_time(zombie); *pp = NULL; break;
	case 3: *pid = dead; *pp = NULL; break;
	case 4: *pid = (__s32)rnd(); *pp = NULL; break;
	case 5: *start = rnd() % 3 ? 0 : rnd(); break;
	case 6: *pid = 0; break;
	case 7: *pid = -1; break;
	default: break;
	}
}

static __u64 pick_addr(const struct proc *p)
{
	static const __u64 odd[] = {
		0, PG, 0x7ffffffff000ULL, 0x800000000000ULL, 0xfffffffffff000ULL,
		0x100000000000000ULL, 0x8000000000000000ULL, 0xffff888000000000ULL,
		0xff11000000000000ULL, 0xffffffff81000000ULL, ~0ULL,
	};
	unsigned long s, e;

	if (p && p->nvma && rnd() % 4) {
		int i = rnd() % p->nvma;

		s = p->vma[i][0];
		e = p->vma[i][1];
		switch (rnd() % 6) {
		case 0: return s;
		case 1: return e - PG;
		case 2: return e;
		case 3: return s + (rnd() % 8);
		default: return s + (rnd() % ((e - s) / PG)) * PG;
		}
	}
	if (rnd() & 1)
		return odd[rnd() % (sizeof(odd) / sizeof(odd[0]))];
	return rnd() & ~(rnd() % 2 ? PG - 1 : 0);
}

static __u64 pick_count(void)
{
	static const __u64 c[] = { 0, 1, 2, 8, 511, 512, 513, 1 << 20, 1ULL << 63, ~0U };

	return rnd() % 3 ? 1 + rnd() % 64 : c[rnd() % (sizeof(c) / sizeof(c[0]))];
}

static __u64 pick_ptr(size_t want)
{
	switch (rnd() % 10) {
	case 0: return 0;
	case 1: return (unsigned long)ro_page;
	case 2: return (unsigned long)(straddle + PG - (want < PG ? want / 2 : 8));
	case 3: return 0xffff888000000000ULL;
	case 4: return rnd();
	default: return (unsigned long)buf;
	}
}

/*
 * At most what fits in the fuzzer's own buffer when @ptr is it: other
 * pointers are meant to fail, this one to be written.
 */
static __u32 fit_buf(__u64 ptr, __u32 max, size_t size)
{
	if (ptr == (unsigned long)buf && (unsigned long)max * size > BUFSZ)
		return BUFSZ / (size ?: 1);
	return max;
}

static void mutate_header(void *req, size_t len)
{
	__u64 *h = req;

	h[0] = len;
	if (chance(10)) {
		static const __u64 sz[] = { 0, 7, 8, 16, 24, 4096, 8192, 8193, 1ULL << 40 };

		h[0] = chance(50) ? sz[rnd() % 9] : len + (rnd() % 17) - 8;
	}
	if (chance(5))
		h[1] = rnd();
	if (chance(5))
		h[2] = rnd();
}

/* ---- windows ---- */

static char *win[NWIN];
static unsigned long win_pages[NWIN];

static void window_churn(void)
{
	int i = rnd() % NWIN;

	if (win[i] && chance(70))
		return;
	if (win[i]) {
		switch (rnd() % 6) {
		case 0: munmap(win[i] + PG, PG); break;	/* refused: no splits */
		case 1: mremap(win[i], win_pages[i] * PG, 2 * win_pages[i] * PG, MREMAP_MAYMOVE); break;
		case 2: mprotect(win[i], PG, PROT_READ); break;
		case 3: madvise(win[i], win_pages[i] * PG, MADV_DONTNEED); break;
		case 4:
			if (fork() == 0) {
				/* An inherited fd cannot touch the parent's window. */
				struct vmx_remap r = {
					.size = sizeof(r), .op = VMX_REMAP_REVOKE, .pages = 1,
					.win_pid = getppid(), .win_start_time = self_start,
					.win_addr = (unsigned long)win[i],
				};
				_exit(ioctl(dev, VMX_IOC_REMAP, &r) == 0 ? 1 : 0);
			}
			break;
		default: break;
		}
		munmap(win[i], win_pages[i] * PG);
		win[i] = NULL;
		return;
	}
	win_pages[i] = 1 + rnd() % 16;
	if (chance(5))
		win_pages[i] = VMX_WINDOW_MAX_PAGES + 1;
	win[i] = mmap(NULL, win_pages[i] * PG, PROT_READ | PROT_WRITE,
		      chance(5) ? MAP_PRIVATE : MAP_SHARED, dev, chance(5) ? PG : 0);
	if (win[i] == MAP_FAILED)
		win[i] = NULL;
	else if (win_pages[i] > VMX_WINDOW_MAX_PAGES)
		fail("a window of %lu pages was accepted", win_pages[i]);
}

/* ---- requests ---- */

static union {
	struct vmx_info info;
	struct vmx_dump dump;
	struct vmx_resolve resolve;
	struct vmx_peek peek;
	struct vmx_phys phys;
	struct vmx_vmas vmas;
	struct vmx_mtree mtree;
	struct vmx_remap remap;
	struct vmx_edit edit;
	struct vmx_tlb tlb;
	char raw[8192 + 16];
} rq;

static size_t build(enum req r, struct proc **pp)
{
	struct proc *p = NULL;
	size_t len = 0;

	memset(&rq, 0, sizeof(rq));
	if (chance(3))
		for (size_t i = 0; i < sizeof(rq.raw) / 8; i++)
			((uint64_t *)rq.raw)[i] = rnd();
	switch (r) {
	case R_INFO:
		len = sizeof(rq.info);
		break;
	case R_DUMP: {
		__u64 a;

		len = sizeof(rq.dump);
		pick_target(&rq.dump.pid, &rq.dump.start_time, &p);
		a = pick_addr(p);
		rq.dump.start = a;
		rq.dump.end = chance(70) ? a + pick_count() * PG : pick_addr(p);
		rq.dump.flags = rnd() % 16;
		rq.dump.entry_size = rq.dump.flags & VMX_DUMP_TABLES ?
				     sizeof(struct vmx_raw_table) : sizeof(struct vmx_entry);
		if (chance(10))
			rq.dump.entry_size = rnd() % 2048;
		rq.dump.entries = pick_ptr(BUFSZ);
		rq.dump.max_entries = chance(80) ? 1 + rnd() % 64 : (__u32)pick_count();
		rq.dump.max_entries = fit_buf(rq.dump.entries, rq.dump.max_entries,
					      rq.dump.entry_size);
		if (chance(20))
			rq.dump.cursor = pick_addr(p) | (rnd() % 8);
		break;
	}
	case R_RESOLVE:
		len = sizeof(rq.resolve);
		pick_target(&rq.resolve.pid, &rq.resolve.start_time, &p);
		rq.resolve.addr = pick_addr(p);
		rq.resolve.flags = chance(15) ? VMX_RESOLVE_KERNEL : chance(3) ? rnd() : 0;
		break;
	case R_PEEK:
		len = sizeof(rq.peek);
		pick_target(&rq.peek.pid, &rq.peek.start_time, &p);
		rq.peek.addr = pick_addr(p);
		rq.peek.len = chance(80) ? 1 + rnd() % PG : (__u32)rnd();
		rq.peek.buf = pick_ptr(rq.peek.len);
		break;
	case R_PHYS:
		len = sizeof(rq.phys);
		rq.phys.pa = chance(70) ? (rnd() % (1ULL << 31)) : rnd();
		break;
	case R_VMAS:
		len = sizeof(rq.vmas);
		pick_target(&rq.vmas.pid, &rq.vmas.start_time, &p);
		rq.vmas.entry_size = chance(90) ? sizeof(struct vmx_vma) : rnd() % 4096;
		rq.vmas.entries = pick_ptr(BUFSZ);
		rq.vmas.max_entries = chance(80) ? 1 + rnd() % 64 : (__u32)pick_count();
		rq.vmas.max_entries = fit_buf(rq.vmas.entries, rq.vmas.max_entries,
					      rq.vmas.entry_size);
		if (chance(20))
			rq.vmas.cursor = pick_addr(p);
		break;
	case R_MTREE:
		len = sizeof(rq.mtree);
		pick_target(&rq.mtree.pid, &rq.mtree.start_time, &p);
		rq.mtree.entry_size = chance(90) ? sizeof(struct vmx_mt_node) : rnd() % 4096;
		rq.mtree.nodes = pick_ptr(BUFSZ);
		rq.mtree.max_nodes = chance(80) ? 1 + rnd() % (BUFSZ / sizeof(struct vmx_mt_node)) :
				     (__u32)pick_count();
		rq.mtree.max_nodes = fit_buf(rq.mtree.nodes, rq.mtree.max_nodes,
					     sizeof(struct vmx_mt_node));
		break;
	case R_REMAP: {
		int w = rnd() % NWIN;

		if (chance(40) && win[w]) {
			/* A valid request, so that the success paths run too. */
			unsigned long wp = win_pages[w], at = rnd() % wp;

			len = sizeof(rq.remap);
			rq.remap.op = 1 + rnd() % 5;
			rq.remap.pages = 1 + rnd() % (wp - at < 4 ? wp - at : 4);
			rq.remap.flags = chance(30) ? VMX_REMAP_READONLY : 0;
			rq.remap.win_pid = self.pid;
			rq.remap.win_start_time = self.start;
			rq.remap.win_addr = (unsigned long)win[w] + at * PG;
			if (rq.remap.op == VMX_REMAP_MAP || rq.remap.op == VMX_REMAP_RETARGET ||
			    rq.remap.op == VMX_REMAP_GRANT) {
				char *src = rq.remap.op == VMX_REMAP_GRANT ? gpriv : shm;

				rq.remap.src_pid = self.pid;
				rq.remap.src_start_time = self.start;
				rq.remap.src_addr = (unsigned long)src + (rnd() % 12) * PG;
			}
			break;
		}
		len = sizeof(rq.remap);
		rq.remap.op = chance(95) ? 1 + rnd() % 5 : (__u32)rnd();
		rq.remap.pages = chance(80) ? 1 + rnd() % 4 : (__u32)pick_count();
		rq.remap.flags = chance(30) ? VMX_REMAP_READONLY : chance(3) ? rnd() : 0;
		if (rq.remap.op != VMX_REMAP_REVOKE && rq.remap.op != VMX_REMAP_PROTECT) {
			pick_target(&rq.remap.src_pid, &rq.remap.src_start_time, &p);
			rq.remap.src_addr = pick_addr(p) & ~(chance(95) ? PG - 1 : 0);
			if (chance(10))
				rq.remap.src_addr = (unsigned long)canary;
		}
		/*
		 * Its own memory it grants from its two pools only: a grant
		 * of its stack or globals would zero them under its feet.
		 */
		if (rq.remap.op == VMX_REMAP_GRANT && rq.remap.src_pid == self.pid)
			rq.remap.src_addr = (unsigned long)(chance(50) ? gpriv : canary) +
					    (rnd() % 12) * PG;
		rq.remap.win_pid = self.pid;
		rq.remap.win_start_time = self.start;
		rq.remap.win_addr = win[w] ? (unsigned long)win[w] +
			(rnd() % win_pages[w]) * PG : pick_addr(&self);
		if (chance(5))
			pick_target(&rq.remap.win_pid, &rq.remap.win_start_time, &p);
		break;
	}
	case R_EDIT:
		len = sizeof(rq.edit);
		pick_target(&rq.edit.pid, &rq.edit.start_time, &p);
		rq.edit.addr = pick_addr(p);
		rq.edit.set = rnd() % 128;
		rq.edit.clear = rnd() % 128 & ~rq.edit.set;
		rq.edit.flags = rnd() % 8;
		if (rq.edit.pid == self.pid || rq.edit.pid == 1) {
			/* Only what cannot leave a process in a fault loop. */
			rq.edit.set = 0;
			rq.edit.clear &= VMX_EDIT_ACCESSED | VMX_EDIT_WRITE | VMX_EDIT_SOFT_DIRTY;
			rq.edit.flags &= ~(__u64)VMX_EDIT_NO_FLUSH;
			if (!rq.edit.clear)
				rq.edit.clear = VMX_EDIT_ACCESSED;
		}
		rq.edit.expect = rnd();
		break;
	case R_TLB:
		len = sizeof(rq.tlb);
		break;
	default:
		len = rnd() % 128;
		break;
	}
	mutate_header(&rq, len);
	*pp = p;
	return len;
}

static int errno_allowed(enum req r, int err)
{
	const char *name = strerrorname_np(err);
	const char *hit;

	if (!name)
		return 0;
	if (failnth > 0 && (err == ENOMEM || err == EFAULT || err == EINTR))
		return 1;
	hit = strstr(allowed[r], name);
	return hit && hit[strlen(name)] == ' ';
}

static void set_failnth(int n)
{
	char s[16];

	if (failnth < 0)
		return;
	snprintf(s, sizeof(s), "%d", n);
	if (pwrite(failnth, s, strlen(s), 0) < 0)
		failnth = -1;
}

/* ---- oracles ---- */

static char ro_expect[PG];
static char *ro_map;
static int ro_fd;

static void check_grant(const struct vmx_remap *r, char before)
{
	if (r->op != VMX_REMAP_GRANT || r->src_pid != self.pid ||
	    r->win_pid != self.pid || r->pages > 16)
		return;
	/* The page moved: the window has it, the source has a new one. */
	if (guarded_read((char *)r->win_addr) != (unsigned char)before)
		fail("GRANT: the window reads %d, the source had %d",
		     guarded_read((char *)r->win_addr), (unsigned char)before);
	if (guarded_read((char *)r->src_addr) != 0 && guarded_read((char *)r->src_addr) != -1)
		fail("GRANT: the source still reads %d", guarded_read((char *)r->src_addr));
	if ((char *)r->src_addr >= canary && (char *)r->src_addr < canary + 16 * PG)
		memset((char *)r->src_addr, canary_byte,
		       MIN(r->pages * PG, (unsigned long)(canary + 16 * PG - (char *)r->src_addr)));
	/* Written again, so that there is something to grant next time. */
	if ((char *)r->src_addr >= gpriv && (char *)r->src_addr < gpriv + 16 * PG)
		memset((char *)r->src_addr, 'g', r->pages * PG);
}

static void check_ro_file(void)
{
	char now[PG];

	if (pread(ro_fd, now, PG, 0) != PG || memcmp(now, ro_expect, PG))
		fail("a read-only file mapped into windows was written");
}

static void check_peek(void)
{
	unsigned long off = (rnd() % 16) * PG + rnd() % (PG - 64);
	struct vmx_peek pk = {
		.size = sizeof(pk), .pid = self.pid, .len = 64,
		.start_time = self.start, .addr = (unsigned long)canary + off,
		.buf = (unsigned long)buf,
	};
	char want[64];

	memset(want, canary_byte, sizeof(want));
	if (ioctl(dev, VMX_IOC_PEEK, &pk))
		fail("PEEK of the fuzzer's own memory: %s", strerrorname_np(errno));
	else if (memcmp(buf, want, 64))
		fail("PEEK of the fuzzer's own memory returned other bytes");
}

/* ---- the run ---- */

static void one_request(void)
{
	enum req r = rnd() % R_NREQ;
	struct proc *p;
	unsigned long cmd;
	char before = 0;
	int ret, err = 0, i, alias = -1;
	size_t len = build(r, &p);
	void *arg = &rq;

	cmd = req_cmd[r];
	if (r == R_BOGUS) {
		cmd = chance(50) ? _IOWR(VMX_IOC_MAGIC, 10 + rnd() % 240, struct vmx_info) :
		      (unsigned long)rnd() & 0xffffffff;
		/*
		 * A random number with vmx's type, direction and a request's
		 * nr is that request whatever its size bits (docs/uapi.md):
		 * judged as that request, with what is in rq, and no more.
		 * (A 1-hour run met one, E2BIG, and called it unknown.)
		 */
		for (i = 0; i < R_BOGUS; i++)
			if (_IOC_TYPE(cmd) == _IOC_TYPE(req_cmd[i]) &&
			    _IOC_DIR(cmd) == _IOC_DIR(req_cmd[i]) &&
			    _IOC_NR(cmd) == _IOC_NR(req_cmd[i]))
				alias = i;
	}
	if (chance(3))
		arg = chance(50) ? NULL : (void *)ro_page;
	else if (chance(3))
		arg = straddle + PG - 12;	/* the size field straddles a hole */
	if (r == R_REMAP && rq.remap.src_pid == self.pid && rq.remap.src_addr &&
	    rq.remap.src_addr < 0x800000000000ULL)
		before = guarded_read((char *)rq.remap.src_addr);
	if (chance(20))
		set_failnth(1 + rnd() % 16);
	ret = ioctl(dev, cmd, arg);
	if (ret)
		err = errno;
	set_failnth(0);
	nreq++;
	(void)len;
	if (alias >= 0) {
		/* Only the errno oracle: rq was built for no request. */
		outcome[alias][err < NERR ? err : 0]++;
		if (ret && !errno_allowed(alias, err))
			fail("%s (nr %lu, size bits %lu): %s is not among its documented errors",
			     req_name[alias], _IOC_NR(cmd), _IOC_SIZE(cmd),
			     strerrorname_np(err) ?: "?");
		return;
	}
	outcome[r][err < NERR ? err : 0]++;
	if (ret && !errno_allowed(r, err))
		fail("%s: %s is not among its documented errors", req_name[r],
		     strerrorname_np(err) ?: "?");
	if (!ret && arg == &rq && r == R_REMAP)
		check_grant(&rq.remap, before);
	if (!ret && r == R_REMAP && arg == &rq && rq.remap.op == VMX_REMAP_PROTECT &&
	    !(rq.remap.flags & VMX_REMAP_READONLY))
		guarded_write((char *)rq.remap.win_addr, 'W');	/* must never reach ro_map */
}

int main(int argc, char **argv)
{
	int secs = argc > 1 ? atoi(argv[1]) : 10, i;
	unsigned long long seed = (unsigned long long)time(NULL);
	time_t t0, end, next_refresh = 0;
	char path[64];

	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--edits"))
			edits = 1;
		else if (!strcmp(argv[i], "--failnth"))
			failnth = 0;
		else if (!strcmp(argv[i], "--huge") && i + 1 < argc)
			huge_dir = argv[++i];
	}
	rng = seed | 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("vmxfuzz: seed %llu, %d s%s%s\n", seed, secs, edits ? ", edits" : "",
	       failnth == 0 ? ", fail-nth" : "");
	guard_faults();
	dev = open("/dev/vmx", O_RDWR);
	if (dev < 0) {
		perror("/dev/vmx");
		return 2;
	}
	buf = mmap(NULL, BUFSZ, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ro_page = mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	straddle = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	canary = mmap(NULL, 16 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED || ro_page == MAP_FAILED || straddle == MAP_FAILED ||
	    canary == MAP_FAILED)
		return 2;
	mprotect(straddle + PG, PG, PROT_NONE);
	memset(canary, canary_byte, 16 * PG);
	shm = mmap(NULL, 16 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	gpriv = mmap(NULL, 16 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED || gpriv == MAP_FAILED)
		return 2;
	memset(shm, 's', 16 * PG);
	memset(gpriv, 'g', 16 * PG);
	/* The read-only file: 0444, opened read-only, mapped shared read-only. */
	memset(ro_expect, 'R', PG);
	ro_fd = open("/tmp/vmxfuzz-ro", O_CREAT | O_WRONLY | O_TRUNC, 0444);
	if (ro_fd < 0 || write(ro_fd, ro_expect, PG) != PG)
		return 2;
	close(ro_fd);
	ro_fd = open("/tmp/vmxfuzz-ro", O_RDONLY);
	ro_map = mmap(NULL, PG, PROT_READ, MAP_SHARED, ro_fd, 0);
	if (ro_map == MAP_FAILED)
		return 2;
	if (failnth == 0) {
		snprintf(path, sizeof(path), "/proc/thread-self/fail-nth");
		failnth = open(path, O_RDWR);
		if (failnth < 0)
			printf("vmxfuzz: no %s: fault injection off\n", path);
	}
	self.pid = getpid();
	self.start = self_start = proc_start_time(self.pid);
	zombie = fork();
	if (zombie == 0)
		_exit(0);
	dead = zombie + 100000;
	for (i = 0; i < NCHURN; i++)
		spawn(&churn[i]);
	t0 = time(NULL);
	end = t0 + secs;
	while (time(NULL) < end) {
		if (time(NULL) >= next_refresh) {
			reap();
			read_vmas(&self);
			for (i = 0; i < NCHURN; i++)
				read_vmas(&churn[i]);
			next_refresh = time(NULL) + 1;
		}
		if (chance(5))
			window_churn();
		if (chance(2)) {
			/* The read-only file's page, into a window, read-only. */
			int w = rnd() % NWIN;

			if (win[w]) {
				struct vmx_remap r = {
					.size = sizeof(r), .op = VMX_REMAP_MAP, .pages = 1,
					.flags = VMX_REMAP_READONLY,
					.src_pid = self.pid, .src_start_time = self.start,
					.src_addr = (unsigned long)ro_map,
					.win_pid = self.pid, .win_start_time = self.start,
					.win_addr = (unsigned long)win[w],
				};

				ioctl(dev, VMX_IOC_REMAP, &r);
			}
		}
		one_request();
		if (nreq % 256 == 0) {
			check_ro_file();
			check_peek();
		}
	}
	for (i = 0; i < NCHURN; i++)
		kill(churn[i].pid, SIGKILL);
	while (wait(NULL) > 0)
		;
	check_ro_file();
	check_peek();
	/* Every pin a window held was charged to us; none is left now. */
	for (i = 0; i < NWIN; i++)
		if (win[i])
			munmap(win[i], win_pages[i] * PG);
	if (proc_vm_pin_kb() != 0)
		fail("VmPin is %ld kB with no window left", proc_vm_pin_kb());
	secs = (int)(time(NULL) - t0);
	printf("vmxfuzz: coverage (request: result x count)\n");
	for (i = 0; i < R_NREQ; i++) {
		printf("  %-9s", req_name[i]);
		for (int e = 0; e < NERR; e++)
			if (outcome[i][e])
				printf(" %s x%lu", e ? strerrorname_np(e) : "ok", outcome[i][e]);
		printf("\n");
	}
	printf("vmxfuzz: %lu ioctls in %d s (%lu/s), %lu failures\n", nreq, secs,
	       secs ? nreq / secs : nreq, failures);
	return failures ? 1 : 0;
}
