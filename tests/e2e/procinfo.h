/* SPDX-License-Identifier: GPL-2.0 */
/* What the adversary and the fuzzer read of processes, and faults caught. */
#ifndef PROCINFO_H
#define PROCINFO_H

#include <sys/types.h>

/* Field 22 of /proc/PID/stat (clock ticks since boot), or 0. */
unsigned long long proc_start_time(pid_t pid);
/* VmPin of this process in kB, as /proc/self/status shows it, or -1. */
long proc_vm_pin_kb(void);
/* From now on a guarded access that faults (SIGBUS, SIGSEGV) returns -1. */
void guard_faults(void);
/* The byte at @p, or -1 when reading it faults. */
int guarded_read(const volatile char *p);
/* 0, or -1 when writing @c to @p faults. */
int guarded_write(volatile char *p, char c);

#endif
