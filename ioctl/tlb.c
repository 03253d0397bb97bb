// SPDX-License-Identifier: GPL-2.0
/*
 * VMX_IOC_TLB_FLUSH: every CPU's whole TLB (arch/x86/tlb.c says why no
 * finer flush is open to a module).
 */
#include "vmx_priv.h"

int vmx_ioc_tlb_flush(void *req)
{
	struct vmx_tlb *t = req;

	if (t->flags || t->reserved)
		return -EINVAL;
	return vmx_tlb_flush_all();
}
