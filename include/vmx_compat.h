/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels vmx supports lives here. The
 * VMX_HAVE_* macros come from scripts/compat-probe.sh (see Kbuild).
 */
#ifndef _VMX_COMPAT_H
#define _VMX_COMPAT_H

#include <asm/processor.h>
#ifdef VMX_HAVE_ASM_CPUID_API_H
#include <asm/cpuid/api.h>	/* cpuid_count() */
#endif

#endif /* _VMX_COMPAT_H */
