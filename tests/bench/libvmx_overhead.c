// SPDX-License-Identifier: GPL-2.0
/*
 * libvmx_overhead: what libvmx adds to one RESOLVE, on the host against
 * the fake module (tests/host/fakedev.c, which answers from memory), so
 * that the figure is the library's own cost and not the kernel's or the
 * emulator's: vmx_resolve() against a raw ioctl() of the same request,
 * 1,000,000 calls each, best of 5. Run by make bench (scripts/bench.sh).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>

#include "vmx.h"

#define CALLS	1000000
#define ADDR	0x55d0c0a00000ULL	/* mapped in the fake target */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(void)
{
	struct vmx_proc p;
	struct vmx_resolve r;
	double raw = 1e18, lib = 1e18;
	vmx_t *v;

	if (vmx_open(&v, NULL) || vmx_proc_of(4242, &p)) {
		fprintf(stderr, "libvmx_overhead: %s\n", vmx_errmsg());
		return 1;
	}
	for (int run = 0; run < 5; run++) {
		double t = now();

		for (int i = 0; i < CALLS; i++) {
			memset(&r, 0, sizeof(r));
			r.size = sizeof(r);
			r.pid = p.pid;
			r.start_time = p.start_time;
			r.addr = ADDR;
			if (ioctl(vmx_fd(v), VMX_IOC_RESOLVE, &r))
				return 1;
		}
		t = (now() - t) / CALLS;
		raw = t < raw ? t : raw;
		t = now();
		for (int i = 0; i < CALLS; i++)
			if (vmx_resolve(v, &p, ADDR, 0, &r))
				return 1;
		t = (now() - t) / CALLS;
		lib = t < lib ? t : lib;
	}
	printf("RESOLVE against the fake module: raw ioctl %.1f ns, vmx_resolve() %.1f ns, libvmx adds %.1f ns a call\n",
	       raw, lib, lib - raw);
	vmx_close(v);
	return 0;
}
