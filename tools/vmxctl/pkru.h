/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The protection-key rights register (PKRU) of each thread of a process,
 * as ptrace reads it (PTRACE_GETREGSET, NT_X86_XSTATE): each thread is
 * seized, interrupted for the read, and detached.
 */
#ifndef VMXCTL_PKRU_H
#define VMXCTL_PKRU_H

#include <stdint.h>
#include <sys/types.h>

#define PKRU_MAX_THREADS	64

struct pkru_set {
	int n;			/* threads read */
	int more;		/* threads not read: past PKRU_MAX_THREADS, gone, stuck */
	pid_t tid[PKRU_MAX_THREADS];
	uint32_t pkru[PKRU_MAX_THREADS];
};

/* 0, or -errno (EOPNOTSUPP: no PKU on this CPU; EPERM: no ptrace). */
int pkru_read(pid_t pid, struct pkru_set *s);
/* PKRU's access-disable and write-disable bits for @key. */
static inline int pkru_ad(uint32_t pkru, unsigned int key)
{
	return (pkru >> (2 * key)) & 1;
}

static inline int pkru_wd(uint32_t pkru, unsigned int key)
{
	return (pkru >> (2 * key + 1)) & 1;
}

#endif
