/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ctrl-C for the long commands (dump, watch): the first SIGINT, SIGTERM
 * or SIGHUP only sets interrupted, so the command ends at a clean point
 * (a record boundary, the end of a sample) and says so. A second one,
 * when vmxctl is stuck (a reader that stopped reading keeps it in
 * write()), calls @at_once, if given, and ends vmxctl by the signal.
 */
#ifndef VMXCTL_INTERRUPT_H
#define VMXCTL_INTERRUPT_H

#include <signal.h>

extern volatile sig_atomic_t interrupted;

/* @at_once must be async-signal-safe. */
void catch_interrupts(void (*at_once)(void));

#endif
