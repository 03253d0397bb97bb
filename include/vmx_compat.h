/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels vmx supports lives here. The
 * VMX_HAVE_* macros come from scripts/compat-probe.sh (see Kbuild).
 */
#ifndef _VMX_COMPAT_H
#define _VMX_COMPAT_H

#include <linux/module.h>

/*
 * vmx_kunit.ko calls into vmx.ko; plain GPL exports work on every kernel,
 * whereas the namespace syntax of EXPORT_SYMBOL_IF_KUNIT changed in 6.13.
 */
#if IS_ENABLED(CONFIG_KUNIT) && defined(VMX_HAVE_KUNIT_VM_MMAP)
#define VMX_EXPORT_FOR_KUNIT(sym)	EXPORT_SYMBOL_GPL(sym)
#else
#define VMX_EXPORT_FOR_KUNIT(sym)
#endif

#endif /* _VMX_COMPAT_H */
