// SPDX-License-Identifier: GPL-2.0
/*
 * remaptarget: the other side of the remap tests. It owns 4 pages of
 * MAP_SHARED anonymous memory ("shared", shmem pages: what map takes) and
 * 4 of MAP_PRIVATE anonymous memory ("private": what grant takes), page i
 * starting with the text "shared-i" or "private-i", and may open a window
 * of its own. Prints "ready PID SHARED PRIVATE", then answers one line per
 * command read from stdin:
 *   read AREA I         first 16 bytes of page I as text, or SIGBUS/SIGSEGV
 *   write AREA I TEXT   "ok", or SIGBUS/SIGSEGV
 *   window N            open an N-page window: "window ADDR"
 *   minflt              ru_minflt so far
 *   notifier            open /dev/hmm_dmirror0 (test_hmm.ko), which puts an
 *                       MMU notifier on this mm: "ok" or "error ERRNO"
 *   fork                a child reads window page 0: "child SIGSEGV" when
 *                       the window was not inherited
 *   split | move | grow | dofork | private
 *                       try to cut, mremap, enlarge, make inheritable the
 *                       window, or mmap /dev/vmx privately: "refused ERRNO"
 *                       or "allowed"
 *   quit
 * AREA is shared, private or window.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGES 4
#define PG 4096UL

static char *shared, *private, *window;
static unsigned long window_pages;
static sigjmp_buf env;

static void on_fault(int sig)
{
	siglongjmp(env, sig);
}

static char *area(const char *name)
{
	if (!strcmp(name, "shared"))
		return shared;
	if (!strcmp(name, "private"))
		return private;
	if (!strcmp(name, "window"))
		return window;
	return NULL;
}

/* Copy with faults caught: 0, or the signal that stopped it. */
static int guarded_copy(char *dst, const char *src, size_t n)
{
	volatile int sig = sigsetjmp(env, 1);

	if (sig)
		return sig;
	memcpy(dst, src, n);
	return 0;
}

static const char *signame(int sig)
{
	return sig == SIGBUS ? "SIGBUS" : sig == SIGSEGV ? "SIGSEGV" : "signal";
}

static void cmd_read(char *a, unsigned long i)
{
	char buf[17] = { 0 };
	int sig = guarded_copy(buf, a + i * PG, 16);

	if (sig) {
		printf("%s\n", signame(sig));
		return;
	}
	for (int k = 0; k < 16; k++)
		if (buf[k] && (buf[k] < 32 || buf[k] > 126))
			buf[k] = '.';
	printf("text '%s'\n", buf);
}

static void cmd_write(char *a, unsigned long i, const char *text)
{
	int sig = guarded_copy(a + i * PG, text, strlen(text) + 1);

	printf("%s\n", sig ? signame(sig) : "ok");
}

static void refused(int failed)
{
	if (failed)
		printf("refused %s\n", strerrorname_np(errno));
	else
		printf("allowed\n");
}

static void cmd_fork(void)
{
	pid_t child = fork();
	int status;

	if (child == 0) {
		char c;
		int sig = guarded_copy(&c, window, 1);

		_exit(sig);
	}
	waitpid(child, &status, 0);
	printf("child %s\n", WEXITSTATUS(status) ? signame(WEXITSTATUS(status)) : "read it");
}

static void cmd_window(unsigned long n)
{
	int fd = open("/dev/vmx", O_RDWR);

	window = mmap(NULL, n * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (window == MAP_FAILED) {
		printf("error %s\n", strerrorname_np(errno));
		window = NULL;
	} else {
		window_pages = n;
		printf("window %p\n", (void *)window);
	}
	close(fd);
}

static void cmd_try(const char *what)
{
	if (!strcmp(what, "split")) {
		refused(munmap(window + PG, PG));
	} else if (!strcmp(what, "move")) {
		void *to = mmap(NULL, window_pages * PG, PROT_NONE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		void *got = mremap(window, window_pages * PG, window_pages * PG,
				   MREMAP_MAYMOVE | MREMAP_FIXED, to);

		refused(got == MAP_FAILED);
	} else if (!strcmp(what, "grow")) {
		refused(mremap(window, window_pages * PG, (window_pages + 1) * PG,
			       MREMAP_MAYMOVE) == MAP_FAILED);
	} else if (!strcmp(what, "dofork")) {
		refused(madvise(window, window_pages * PG, MADV_DOFORK));
	} else if (!strcmp(what, "private")) {
		int fd = open("/dev/vmx", O_RDWR);
		void *p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);

		refused(p == MAP_FAILED);
		close(fd);
	}
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_fault };
	char line[4096], what[32], name[32];
	unsigned long i;
	int off;

	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	shared = mmap(NULL, PAGES * PG, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	private = mmap(NULL, PAGES * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED || private == MAP_FAILED)
		return 1;
	for (i = 0; i < PAGES; i++) {
		sprintf(shared + i * PG, "shared-%lu", i);
		sprintf(private + i * PG, "private-%lu", i);
	}
	printf("ready %d %p %p\n", getpid(), (void *)shared, (void *)private);
	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\n")] = 0;
		if (sscanf(line, "read %31s %lu", name, &i) == 2 && area(name)) {
			cmd_read(area(name), i);
		} else if (sscanf(line, "write %31s %lu %n", name, &i, &off) == 2 &&
			   area(name)) {
			cmd_write(area(name), i, line + off);
		} else if (sscanf(line, "window %lu", &i) == 1) {
			cmd_window(i);
		} else if (!strcmp(line, "minflt")) {
			struct rusage ru;

			getrusage(RUSAGE_SELF, &ru);
			printf("minflt %ld\n", ru.ru_minflt);
		} else if (!strcmp(line, "notifier")) {
			/* Kept open until exit: the notifier lives as long. */
			if (open("/dev/hmm_dmirror0", O_RDWR) < 0)
				printf("error %s\n", strerrorname_np(errno));
			else
				printf("ok\n");
		} else if (!strcmp(line, "fork")) {
			cmd_fork();
		} else if (sscanf(line, "%31s", what) == 1 && window &&
			   strstr(" split move grow dofork private ", what)) {
			cmd_try(what);
		} else if (!strcmp(line, "quit")) {
			break;
		} else {
			printf("error: %s\n", line);
		}
	}
	return 0;
}
