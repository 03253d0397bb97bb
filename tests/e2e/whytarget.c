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
 * then "done". Commands on stdin: "read ADDR", "write ADDR", "exec ADDR"
 * (hex); the reply: "ok MINFLT MAJFLT" (the faults the access took) or
 * "signal NAME CODE" (SIGSEGV or SIGBUS and its si_code). "quit" ends it.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

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
	hole = page(PROT_READ);
	munmap(hole, PG);
	printf("hole %p\ndone\n", (void *)hole);
	while (fgets(line, sizeof(line), stdin)) {
		uintptr_t a;

		if (!strncmp(line, "quit", 4))
			break;
		if (sscanf(line, "%7s %lx", op, &a) == 2)
			access_page(op, (char *)a);
		else
			printf("unknown command\n");
	}
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	return 0;
}
