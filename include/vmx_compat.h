/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels vmx supports lives here. The
 * VMX_HAVE_* macros come from scripts/compat-probe.sh (see Kbuild).
 */
#ifndef _VMX_COMPAT_H
#define _VMX_COMPAT_H

#include <linux/module.h>

#endif /* _VMX_COMPAT_H */
