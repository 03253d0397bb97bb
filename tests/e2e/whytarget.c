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
 * then "done". Commands on stdin: "read ADDR", "write ADDR", "exec ADDR"
 * (hex); the reply: "ok MINFLT MAJFLT" (the faults the access took) or
 * "signal NAME CODE" (SIGSEGV or SIGBUS and its si_code). "quit" ends it.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <pthread.h>
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
#include <unistd.h>

#ifndef MADV_HWPOISON
#define MADV_HWPOISON 100
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

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

static int uffd = -1;
static volatile int uffd_events;

/* userfaultfd's handler: each missing page gets the zero page. */
static void *uffd_handler(void *arg)
{
	struct uffd_msg m;

	(void)arg;
	while (read(uffd, &m, sizeof(m)) == sizeof(m)) {
		struct uffdio_zeropage z = {
			.range = { m.arg.pagefault.address & ~(PG - 1), PG },
		};

		if (m.event != UFFD_EVENT_PAGEFAULT)
			continue;
		uffd_events++;
		ioctl(uffd, UFFDIO_ZEROPAGE, &z);
	}
	return NULL;
}

/* A page registered for missing faults, served by uffd_handler(). */
static char *uffd_page(void)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	pthread_t th;
	char *p;

	uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC);
	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api))
		return NULL;
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	reg.range.start = (uintptr_t)p;
	reg.range.len = PG;
	if (ioctl(uffd, UFFDIO_REGISTER, &reg) || pthread_create(&th, NULL, uffd_handler, NULL))
		return NULL;
	return p;
}

static char *page(int prot)
{
	char *p = mmap(NULL, PG, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		exit(1);
	return p;
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

int main(void)
{
	struct sigaction sa = { .sa_sigaction = on_fault, .sa_flags = SA_SIGINFO | SA_NODEFER };
	char line[96], op[8], *p, *hole;
	pid_t child;
	int key;

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
	p = uffd_page();
	if (p)
		printf("uffd %p\n", (void *)p);
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
		if (sscanf(line, "%7s %lx", op, &a) == 2)
			access_page(op, (char *)a);
		else
			printf("unknown command\n");
	}
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	return 0;
}
