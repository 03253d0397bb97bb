// SPDX-License-Identifier: GPL-2.0
/*
 * whytarget: one page for each reason vmxctl why gives, and the access
 * itself on demand, so the test compares why's answer with what really
 * happens. Prints "ready PID" and then "NAME ADDR" lines:
 *   hole     a page unmapped again (no VMA)
 *   ro       PROT_READ, read once (a write: SIGSEGV)
 *   none     PROT_NONE
 *   rw       written: present, writable
 *   code     written with a ret instruction, in a VMA without exec
 *   fresh_r  never touched (read test), fresh_w (write test)
 *   cow      written, then shared with a child by fork() (the only page
 *            made before it: the others are the parent's alone)
 *   swap     written, then MADV_PAGEOUT (swapped when swap is on)
 *   pkey     written, then given a protection key whose PKRU bits disable
 *            writes (absent when the CPU has no PKU). A signal handler
 *            runs with the default PKRU (every key but 0 access-disabled)
 *            and siglongjmp() keeps it: after a SIGSEGV this page cannot
 *            even be read, and vmxctl why says so
 *   pkey_fresh never touched, with the same key: the kernel refuses the
 *            write before it maps anything
 *   hwpoison written, then MADV_HWPOISON (a simulated memory error)
 *   uffd     registered with userfaultfd for missing pages; a thread of
 *            this process serves each fault with the zero page
 *            ("uffd-events": how many it served)
 *   uffd_wp  written, then write-protected by userfaultfd (the uffd-wp bit
 *            on a present entry); the same thread unprotects the page on
 *            a write fault ("wp-events": how many it served)
 *   wp_marker a shared memfd page never touched, write-protected by
 *            userfaultfd: the kernel leaves a uffd-wp PTE marker (and
 *            wp_marker_r another, for a read; wp_marker_m another, its
 *            VMA registered for missing pages too)
 *   poisoned registered for missing pages, then UFFDIO_POISON (6.6+): a
 *            poison PTE marker
 *   guard    MADV_GUARD_INSTALL (6.13+): a guard PTE marker
 *   shstk    a shadow stack from map_shadow_stack(), where the CPU and the
 *            kernel have user shadow stacks
 *   xpage    PROT_READ|WRITE|EXEC, holding a ret instruction (the test
 *            sets NX on its PTE with vmxctl edit)
 *   migr     NPAGES written pages (printed after the address) for a
 *            mover to migrate between NUMA nodes; "find-migrating" scans
 *            this process's own pagemap for one of them not present (a
 *            migration entry), for 2 s at most, and replies "at ADDR" or
 *            "none"
 * A page that cannot be made here gives "no NAME: why" instead.
 * then "done". Commands on stdin: "read ADDR", "write ADDR", "exec ADDR"
 * (hex); the reply: "ok MINFLT MAJFLT" (the faults the access took) or
 * "signal NAME CODE" (SIGSEGV or SIGBUS and its si_code). "hmm" opens
 * test_hmm's mirror device (which puts an MMU notifier on this process,
 * so it comes after any edit) and prints "devpriv ADDR" (a written page
 * migrated to device-private memory) and "devexcl ADDR" (a written page
 * the device holds exclusively), then "hmm done". "quit" ends it.
 *
 * "whytarget hog" spins on CPU 0; "whytarget move PID ADDR NPAGES" moves
 * those pages of PID between nodes 0 and 1 with move_pages(), over and
 * over, as SCHED_IDLE on CPU 0: starved by the hog, it stops in the middle
 * of a migration for long stretches, and the pages it has unmapped but not
 * moved keep their migration entries meanwhile.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_HWPOISON
#define MADV_HWPOISON 100
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102
#endif
#ifndef MPOL_MF_MOVE
#define MPOL_MF_MOVE (1 << 1)
#endif
#ifndef __NR_map_shadow_stack
#define __NR_map_shadow_stack 453
#endif
#ifndef UFFDIO_POISON
/* linux/userfaultfd.h of 6.6+; older headers lack it, the kernel may not. */
struct uffdio_poison {
	struct uffdio_range range;
	__u64 mode;
	__s64 updated;
};
#define UFFDIO_POISON _IOWR(UFFDIO, 0x08, struct uffdio_poison)
#endif

/* test_hmm's uapi (lib/test_hmm_uapi.h, the same on 6.12 and 7.x). */
struct hmm_dmirror_cmd {
	__u64 addr;
	__u64 ptr;
	__u64 npages;
	__u64 cpages;
	__u64 faults;
};
#define HMM_DMIRROR_MIGRATE_TO_DEV _IOWR('H', 0x02, struct hmm_dmirror_cmd)
#define HMM_DMIRROR_EXCLUSIVE _IOWR('H', 0x05, struct hmm_dmirror_cmd)

#define PG 4096UL

static sigjmp_buf env;
static volatile sig_atomic_t sig, code;

static void on_fault(int s, siginfo_t *si, void *uc)
{
	(void)uc;
	sig = s;
	code = si->si_code;
	siglongjmp(env, 1);
}

static char *page(int prot)
{
	char *p = mmap(NULL, PG, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		exit(1);
	return p;
}

static int uffd = -1;
static volatile int uffd_events, wp_events;

/*
 * userfaultfd's handler: a missing page gets the zero page, a write to a
 * write-protected one is let through by removing the protection.
 */
static void *uffd_handler(void *arg)
{
	struct uffd_msg m;

	(void)arg;
	while (read(uffd, &m, sizeof(m)) == sizeof(m)) {
		struct uffdio_range r = { m.arg.pagefault.address & ~(PG - 1), PG };
		struct uffdio_writeprotect wp = { .range = r, .mode = 0 };
		struct uffdio_zeropage z = { .range = r };
		int ret;

		if (m.event != UFFD_EVENT_PAGEFAULT)
			continue;
		if (m.arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_WP) {
			wp_events++;
			ret = ioctl(uffd, UFFDIO_WRITEPROTECT, &wp);
		} else {
			uffd_events++;
			ret = ioctl(uffd, UFFDIO_ZEROPAGE, &z);
		}
		/* A failed answer wakes nobody: the access would hang the test. */
		if (ret) {
			fprintf(stderr, "uffd handler: %s at %#llx\n", strerror(errno),
				(unsigned long long)r.start);
			ioctl(uffd, UFFDIO_UNREGISTER, &r);
			ioctl(uffd, UFFDIO_WAKE, &r);
		}
	}
	return NULL;
}

static const char *why_not;	/* for the "no NAME: why" lines */

static int uffd_open(void)
{
	struct uffdio_api api = { .api = UFFD_API };
	pthread_t th;

	uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC);
	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api) ||
	    pthread_create(&th, NULL, uffd_handler, NULL)) {
		uffd = -1;
		return -1;
	}
	return 0;
}

static int uffd_register(char *p, __u64 mode)
{
	struct uffdio_register reg = { .range = { (uintptr_t)p, PG }, .mode = mode };

	return ioctl(uffd, UFFDIO_REGISTER, &reg);
}

static int uffd_protect(char *p)
{
	struct uffdio_writeprotect wp = {
		.range = { (uintptr_t)p, PG }, .mode = UFFDIO_WRITEPROTECT_MODE_WP,
	};

	return ioctl(uffd, UFFDIO_WRITEPROTECT, &wp);
}

/* A page registered for missing faults, served by uffd_handler(). */
static char *uffd_page(void)
{
	char *p = page(PROT_READ | PROT_WRITE);

	return uffd_register(p, UFFDIO_REGISTER_MODE_MISSING) ? NULL : p;
}

/* A written anonymous page, write-protected by userfaultfd. */
static char *uffd_wp_page(void)
{
	char *p = page(PROT_READ | PROT_WRITE);

	*p = 1;
	if (uffd_register(p, UFFDIO_REGISTER_MODE_WP) || uffd_protect(p)) {
		why_not = strerror(errno);
		return NULL;
	}
	return p;
}

/*
 * A shared memfd page never touched, write-protected: no page to protect,
 * so the kernel keeps the protection in a PTE marker.
 */
static char *wp_marker_page(__u64 mode)
{
	int fd = memfd_create("why-wp-marker", MFD_CLOEXEC);
	char *p;

	if (fd < 0 || ftruncate(fd, PG))
		return NULL;
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return NULL;
	if (uffd_register(p, mode) || uffd_protect(p)) {
		why_not = errno == EINVAL ? "shmem write-protect refused (EINVAL): no PTE markers here" :
			  strerror(errno);
		return NULL;
	}
	return p;
}

/* A missing page registered with userfaultfd, then poisoned by it. */
static char *poisoned_page(void)
{
	struct uffdio_poison po = { .mode = 0 };
	char *p = uffd_page();

	if (!p)
		return NULL;
	po.range.start = (uintptr_t)p;
	po.range.len = PG;
	if (ioctl(uffd, UFFDIO_POISON, &po)) {
		static char msg[96];

		snprintf(msg, sizeof(msg), "UFFDIO_POISON: %s (in kernels since 6.6)", strerror(errno));
		why_not = msg;
		return NULL;
	}
	return p;
}

#define MIGR_PAGES 512

static void on_cpu0(void)
{
	cpu_set_t one;

	CPU_ZERO(&one);
	CPU_SET(0, &one);
	sched_setaffinity(0, sizeof(one), &one);
}

static int hog(void)
{
	on_cpu0();
	for (;;)
		__asm__ volatile("" ::: "memory");
	return 0;
}

static int mover(int argc, char **argv)
{
	static void *pages[MIGR_PAGES];
	static int nodes[MIGR_PAGES], status[MIGR_PAGES];
	struct sched_param none = { 0 };
	unsigned long n;
	uintptr_t a;
	pid_t pid;

	if (argc != 5)
		return 2;
	pid = (pid_t)strtol(argv[2], NULL, 10);
	a = strtoul(argv[3], NULL, 16);
	n = strtoul(argv[4], NULL, 10);
	if (n > MIGR_PAGES)
		return 2;
	on_cpu0();
	if (sched_setscheduler(0, SCHED_IDLE, &none))
		perror("SCHED_IDLE");
	for (unsigned long i = 0; i < n; i++)
		pages[i] = (void *)(a + i * PG);
	for (int node = 1;; node = !node) {
		for (unsigned long i = 0; i < n; i++)
			nodes[i] = node;
		if (syscall(SYS_move_pages, pid, n, pages, nodes, status, MPOL_MF_MOVE) < 0) {
			perror("move_pages");
			return 1;
		}
	}
}

/*
 * The first page of @p..+n that pagemap shows not present but swap-like,
 * looked for every millisecond for up to 2 s: a window opens whenever the
 * starved mover is stopped between unmapping a page and mapping its copy.
 */
static void find_migrating(char *p, unsigned long n)
{
	static uint64_t pm[MIGR_PAGES];
	int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (t = t0; fd >= 0 && t.tv_sec - t0.tv_sec < 2;
	     usleep(1000), clock_gettime(CLOCK_MONOTONIC, &t)) {
		if (pread(fd, pm, n * 8, (off_t)((uintptr_t)p / PG * 8)) != (ssize_t)(n * 8))
			break;
		for (unsigned long i = 0; i < n; i++) {
			/* bit 63 present, bit 62 swap (migration entries are swap-like) */
			if (!(pm[i] >> 63) && ((pm[i] >> 62) & 1)) {
				close(fd);
				printf("at %p\n", (void *)(p + i * PG));
				return;
			}
		}
	}
	if (fd >= 0)
		close(fd);
	printf("none\n");
}

static void show(const char *name, char *p)
{
	if (p)
		printf("%s %p\n", name, (void *)p);
	else
		printf("no %s: %s\n", name, why_not ? why_not : strerror(errno));
	why_not = NULL;
}

/*
 * test_hmm's mirror of this process: one written page migrated to the
 * device's private memory, one the device holds exclusively. The device
 * stays open: its pages need it until they come back.
 */
static void hmm(void)
{
	static char bounce[PG];
	struct hmm_dmirror_cmd c = { .ptr = (uintptr_t)bounce, .npages = 1 };
	static const struct {
		const char *name;
		unsigned long cmd;
	} how[] = {
		{ "devpriv", HMM_DMIRROR_MIGRATE_TO_DEV },
		{ "devexcl", HMM_DMIRROR_EXCLUSIVE },
	};
	int fd = open("/dev/hmm_dmirror0", O_RDWR | O_CLOEXEC);

	for (unsigned int i = 0; i < sizeof(how) / sizeof(how[0]); i++) {
		char *p = page(PROT_READ | PROT_WRITE);

		*p = 0x5a;
		c.addr = (uintptr_t)p;
		c.cpages = 0;
		if (fd < 0) {
			why_not = "/dev/hmm_dmirror0 did not open";
			p = NULL;
		} else if (ioctl(fd, how[i].cmd, &c) || c.cpages != 1) {
			why_not = "test_hmm did not take the page";
			p = NULL;
		}
		show(how[i].name, p);
	}
	printf("hmm done\n");
}

static void access_page(const char *op, char *p)
{
	struct rusage a, b;

	sig = 0;
	getrusage(RUSAGE_SELF, &a);
	if (!sigsetjmp(env, 1)) {
		if (!strcmp(op, "read"))
			(void)*(volatile char *)p;
		else if (!strcmp(op, "write"))
			*(volatile char *)p = 1;
		else
			((void (*)(void))p)();
	}
	getrusage(RUSAGE_SELF, &b);
	if (sig)
		printf("signal %s %d\n", sig == SIGSEGV ? "SIGSEGV" : "SIGBUS", (int)code);
	else
		printf("ok %ld %ld\n", b.ru_minflt - a.ru_minflt, b.ru_majflt - a.ru_majflt);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_sigaction = on_fault, .sa_flags = SA_SIGINFO | SA_NODEFER };
	char line[96], op[8], *p, *hole, *migr;
	pid_t child;
	int key;

	if (argc > 1 && !strcmp(argv[1], "hog"))
		return hog();
	if (argc > 1 && !strcmp(argv[1], "move"))
		return mover(argc, argv);
	setvbuf(stdout, NULL, _IOLBF, 0);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	printf("ready %d\n", getpid());
	/* First the page the child shares: pages made after fork() are ours. */
	p = page(PROT_READ | PROT_WRITE);
	*p = 1;
	child = fork();
	if (!child) {
		pause();
		_exit(0);
	}
	printf("cow %p\n", (void *)p);
	p = page(PROT_READ);
	(void)*(volatile char *)p;
	printf("ro %p\n", (void *)p);
	printf("none %p\n", (void *)page(PROT_NONE));
	p = page(PROT_READ | PROT_WRITE);
	*p = 1;
	printf("rw %p\n", (void *)p);
	p = page(PROT_READ | PROT_WRITE);
	*p = (char)0xc3;	/* ret */
	printf("code %p\n", (void *)p);
	printf("fresh_r %p\n", (void *)page(PROT_READ | PROT_WRITE));
	printf("fresh_w %p\n", (void *)page(PROT_READ | PROT_WRITE));
	p = page(PROT_READ | PROT_WRITE);
	*p = 1;
	madvise(p, PG, MADV_PAGEOUT);
	printf("swap %p\n", (void *)p);
	key = pkey_alloc(0, PKEY_DISABLE_WRITE);
	if (key >= 0) {
		p = page(PROT_READ | PROT_WRITE);
		*p = 1;
		if (!pkey_mprotect(p, PG, PROT_READ | PROT_WRITE, key))
			printf("pkey %p %d\n", (void *)p, key);
		/* Never touched: the kernel checks the VMA's key before it maps. */
		p = page(PROT_READ | PROT_WRITE);
		if (!pkey_mprotect(p, PG, PROT_READ | PROT_WRITE, key))
			printf("pkey_fresh %p %d\n", (void *)p, key);
	}
	/*
	 * A frame with a (simulated) memory error: the entry becomes
	 * hwpoison. The kernel may signal the injection itself (SIGBUS, as
	 * to a process that touched bad memory): caught here, it is done.
	 */
	p = page(PROT_READ | PROT_WRITE);
	*p = 1;
	sig = 0;
	if (!sigsetjmp(env, 1)) {
		if (!madvise(p, PG, MADV_HWPOISON))
			sig = -1;
	}
	if (sig)
		printf("hwpoison %p\n", (void *)p);
	/* A signal handler ran with the default PKRU: the key's rights back. */
	if (key >= 0)
		pkey_set(key, PKEY_DISABLE_WRITE);
	if (uffd_open()) {
		printf("no uffd: userfaultfd: %s\n", strerror(errno));
	} else {
		show("uffd", uffd_page());
		show("uffd_wp", uffd_wp_page());
		show("wp_marker", wp_marker_page(UFFDIO_REGISTER_MODE_WP));
		show("wp_marker_r", wp_marker_page(UFFDIO_REGISTER_MODE_WP));
		show("wp_marker_m", wp_marker_page(UFFDIO_REGISTER_MODE_WP |
						   UFFDIO_REGISTER_MODE_MISSING));
		show("poisoned", poisoned_page());
	}
	p = page(PROT_READ | PROT_WRITE);
	if (madvise(p, PG, MADV_GUARD_INSTALL)) {
		static char msg[96];

		snprintf(msg, sizeof(msg), "MADV_GUARD_INSTALL: %s (in kernels since 6.13)", strerror(errno));
		why_not = msg;
		p = NULL;
	}
	show("guard", p);
	p = (char *)syscall(__NR_map_shadow_stack, 0UL, PG, 0U);
	if (p == MAP_FAILED) {
		why_not = errno == ENOSYS ? "map_shadow_stack: ENOSYS (a kernel without user shadow stacks)" :
			  errno == EOPNOTSUPP ? "map_shadow_stack: EOPNOTSUPP (no user shadow stack on this CPU)" :
			  strerror(errno);
		p = NULL;
	}
	show("shstk", p);
	p = page(PROT_READ | PROT_WRITE | PROT_EXEC);
	*p = (char)0xc3;	/* ret */
	show("xpage", p);
	migr = mmap(NULL, MIGR_PAGES * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (migr != MAP_FAILED) {
		/* 4K pages: one THP would move (or split) as a whole. */
		madvise(migr, MIGR_PAGES * PG, MADV_NOHUGEPAGE);
		for (unsigned long i = 0; i < MIGR_PAGES; i++)
			migr[i * PG] = 1;
		printf("migr %p %d\n", (void *)migr, MIGR_PAGES);
	}
	hole = page(PROT_READ);
	munmap(hole, PG);
	printf("hole %p\ndone\n", (void *)hole);
	while (fgets(line, sizeof(line), stdin)) {
		uintptr_t a;

		if (!strncmp(line, "quit", 4))
			break;
		if (!strncmp(line, "uffd-events", 11)) {
			printf("events %d\n", uffd_events);
			continue;
		}
		if (!strncmp(line, "wp-events", 9)) {
			printf("events %d\n", wp_events);
			continue;
		}
		if (!strncmp(line, "find-migrating", 14)) {
			find_migrating(migr, MIGR_PAGES);
			continue;
		}
		if (!strncmp(line, "hmm", 3)) {
			hmm();
			continue;
		}
		if (sscanf(line, "%7s %lx", op, &a) == 2)
			access_page(op, (char *)a);
		else
			printf("unknown command\n");
	}
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	return 0;
}
