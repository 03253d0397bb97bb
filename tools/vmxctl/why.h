/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmxctl why: would an access fault now, and why. why_decide() reads one
 * RESOLVE answer (the walk, the final entry, the VMA) and what else
 * decides an x86-64 access (the threads' PKRU, SMAP, SMEP, PTI) and says,
 * in the order the CPU and then Linux's fault handler look, what happens.
 */
#ifndef VMXCTL_WHY_H
#define VMXCTL_WHY_H

#include <stdbool.h>
#include <stdint.h>

#include "pkru.h"
#include "vmx.h"

enum why_access { WHY_READ, WHY_WRITE, WHY_EXEC };

struct why_facts {
	const struct vmx_resolve *r;
	uint64_t addr;
	const struct vmx_info *in;
	enum why_access access;
	bool kernel_mode;		/* --kernel: kernel code touching it */
	bool user_addr;			/* below the user half's end */
	const struct pkru_set *pkru;	/* NULL: could not be read */
	int pkru_err;			/* why not, -errno */
	bool has_vma_pkey;		/* the VMA's protection key is known */
	unsigned int vma_pkey;
	bool smap, smep;		/* the CPU's, as /proc/cpuinfo lists */
};

struct why {
	const char *verdict;	/* no-fault, minor-fault, major-fault, fault, SIGSEGV, SIGBUS, EFAULT, oops */
	const char *signal;	/* NULL, or the signal's name */
	const char *si_code;	/* SEGV_MAPERR, ... or NULL */
	const char *reason;	/* a key: no-vma, vma-permissions, ... */
	int level;		/* VMX_LEVEL_* where it is decided, 0: none */
	char text[1536];	/* the paragraph */
};

void why_decide(const struct why_facts *f, struct why *w);
const char *why_access_name(enum why_access a);

#endif
