// SPDX-License-Identifier: GPL-2.0
/*
 * remapbench: the cost of remaps and edits, in one process that is both
 * source and window owner. Means over repeated rounds, in the same run:
 * map then revoke of 1 page and of 512 pages (each request timed alone),
 * faulting the 512 mapped window pages in, and one VMX_IOC_EDIT (clear
 * Accessed) with the TLB flush against one without. Needs allow_edits=2:
 * an edit that leaves the TLB alone (VMX_EDIT_NO_FLUSH) is an experiment.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "uapi/vmx.h"

#define PG		4096UL
#define BIG		VMX_REMAP_MAX_PAGES
#define ROUNDS_1	200
#define ROUNDS_BIG	20
#define EDITS		1000

static int fd;
static unsigned long long start_time;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static unsigned long long self_start_time(void)
{
	char buf[1024], *p;
	unsigned long long t = 0;
	FILE *f = fopen("/proc/self/stat", "r");

	if (!f || !fgets(buf, sizeof(buf), f))
		exit(1);
	fclose(f);
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
			 "%*u %*u %*d %*d %*d %*d %*d %*d %llu", &t) != 1)
		exit(1);
	return t;
}

static double remap(unsigned int op, char *src, char *win, unsigned int pages)
{
	struct vmx_remap r = {
		.size = sizeof(r), .op = op, .pages = pages,
		.win_pid = getpid(), .win_start_time = start_time,
		.win_addr = (unsigned long)win,
	};
	double t;

	if (op != VMX_REMAP_REVOKE) {
		r.src_pid = getpid();
		r.src_start_time = start_time;
		r.src_addr = (unsigned long)src;
	}
	t = now();
	if (ioctl(fd, VMX_IOC_REMAP, &r) < 0) {
		perror("remapbench: VMX_IOC_REMAP");
		exit(1);
	}
	return now() - t;
}

static double edit(char *addr, unsigned long long flags)
{
	struct vmx_edit e = {
		.size = sizeof(e), .pid = getpid(), .start_time = start_time,
		.addr = (unsigned long)addr, .clear = VMX_EDIT_ACCESSED, .flags = flags,
	};
	volatile char c;
	double t;

	c = *addr;	/* sets Accessed again, so that every edit changes it */
	(void)c;
	t = now();
	if (ioctl(fd, VMX_IOC_EDIT, &e) < 0) {
		perror("remapbench: VMX_IOC_EDIT (is allow_edits 2?)");
		exit(1);
	}
	return now() - t;
}

int main(void)
{
	double map1 = 0, rev1 = 0, mapb = 0, revb = 0, touch = 0, fl = 0, nofl = 0;
	char *src, *win, *priv;
	volatile char sink;

	fd = open(VMX_DEVICE_PATH, O_RDWR);
	src = mmap(NULL, BIG * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	priv = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	win = fd < 0 ? MAP_FAILED : mmap(NULL, BIG * PG, PROT_READ | PROT_WRITE,
					MAP_SHARED, fd, 0);
	if (src == MAP_FAILED || priv == MAP_FAILED || win == MAP_FAILED) {
		perror("remapbench: setup");
		return 1;
	}
	start_time = self_start_time();
	memset(src, 1, BIG * PG);
	priv[0] = 1;
	for (int i = 0; i < ROUNDS_1; i++) {
		map1 += remap(VMX_REMAP_MAP, src, win, 1);
		rev1 += remap(VMX_REMAP_REVOKE, NULL, win, 1);
	}
	for (int i = 0; i < ROUNDS_BIG; i++) {
		double t;

		mapb += remap(VMX_REMAP_MAP, src, win, BIG);
		t = now();
		for (unsigned long p = 0; p < BIG; p++)
			sink = win[p * PG];
		touch += now() - t;
		revb += remap(VMX_REMAP_REVOKE, NULL, win, BIG);
	}
	(void)sink;
	for (int i = 0; i < EDITS; i++) {
		fl += edit(priv, 0);
		nofl += edit(priv, VMX_EDIT_NO_FLUSH);
	}
	printf("remapbench: means over %d rounds (1 page), %d rounds (512 pages), %d edits\n",
	       ROUNDS_1, ROUNDS_BIG, EDITS);
	printf("  map 1 page           %9.1f us\n", map1 / ROUNDS_1 * 1e6);
	printf("  revoke 1 page        %9.1f us\n", rev1 / ROUNDS_1 * 1e6);
	printf("  map 512 pages        %9.1f us  (%.2f us per page)\n",
	       mapb / ROUNDS_BIG * 1e6, mapb / ROUNDS_BIG / BIG * 1e6);
	printf("  fault 512 in         %9.1f us  (%.2f us per page)\n",
	       touch / ROUNDS_BIG * 1e6, touch / ROUNDS_BIG / BIG * 1e6);
	printf("  revoke 512 pages     %9.1f us  (%.2f us per page)\n",
	       revb / ROUNDS_BIG * 1e6, revb / ROUNDS_BIG / BIG * 1e6);
	printf("  edit, TLB flushed    %9.1f us\n", fl / EDITS * 1e6);
	printf("  edit, no flush       %9.1f us  flushed/unflushed %.2f\n",
	       nofl / EDITS * 1e6, fl / nofl);
	return 0;
}
