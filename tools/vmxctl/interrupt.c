// SPDX-License-Identifier: GPL-2.0
/* Ctrl-C for the long commands (see interrupt.h). */
#define _GNU_SOURCE
#include <signal.h>
#include <stddef.h>

#include "interrupt.h"

volatile sig_atomic_t interrupted;
static void (*interrupt_at_once)(void);

static void note_interrupt(int sig)
{
	if (interrupted) {
		if (interrupt_at_once)
			interrupt_at_once();
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	interrupted = 1;
}

void catch_interrupts(void (*at_once)(void))
{
	/* SA_RESTART: a write to a full pipe goes on, so lines stay whole. */
	struct sigaction sa = { .sa_handler = note_interrupt, .sa_flags = SA_RESTART };

	interrupt_at_once = at_once;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}
