// SPDX-License-Identifier: GPL-2.0
/*
 * Whether the caller may see kernel virtual addresses (page_offset_base,
 * direct-map addresses, the kernel half of a translation): the rule of %pK,
 * which is how /proc/kallsyms and friends apply kptr_restrict (0: yes, 1:
 * with CAP_SYSLOG, 2: never), and never under lockdown's confidentiality
 * level, which /proc/kcore also obeys. kptr_restrict itself is not exported
 * to modules, so %pK is asked: it prints zeros exactly when it hides.
 */
#include <linux/kernel.h>
#include <linux/security.h>
#include <linux/string.h>

#include "vmx_priv.h"

bool vmx_kaddr_visible(void)
{
	char buf[24];

	if (security_locked_down(LOCKDOWN_KCORE))
		return false;
	/* A non-zero pointer: hashed or printed as is when allowed. */
	snprintf(buf, sizeof(buf), "%pK", (void *)vmx_kaddr_visible);
	return strspn(buf, "0") != strlen(buf);
}
