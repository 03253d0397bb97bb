/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What vmxctl finds out about a window after the kernel refused a remap,
 * so that the message names the cause the errno alone cannot: ENOENT for
 * "no window here", "past its end" or "no page in that slot".
 */
#ifndef VMXCTL_WINDOW_PROBE_H
#define VMXCTL_WINDOW_PROBE_H

#include <stdint.h>

#include "target.h"

/*
 * The window (a mapping of the vmx device) holding @addr in @pid, from
 * /proc/PID/maps: 0 with its bounds, or -1 when there is none.
 */
int window_extent(pid_t pid, uint64_t addr, uint64_t *start, uint64_t *end);

#endif
