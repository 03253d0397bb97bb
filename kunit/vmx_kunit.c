// SPDX-License-Identifier: GPL-2.0
/* vmx_kunit.ko: the KUnit suites of vmx.ko, run inside the test VM. */
#include <linux/module.h>

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for vmx.ko");
