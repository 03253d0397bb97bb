/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMXCTL_LEGEND_H
#define VMXCTL_LEGEND_H

/* What every column and tag of a dump line means, text or JSON. */
int print_legend(void);

#endif
