// SPDX-License-Identifier: GPL-2.0
/*
 * Flushing TLBs from a module. The kernel's flush_tlb_mm_range() and
 * friends are not available to modules (#ifndef MODULE in
 * asm/tlbflush.h), so vmx flushes every CPU's whole TLB: with
 * __flush_tlb_all() where it is exported (6.1, 6.12), else (7.2 exports it
 * to KVM alone) with the instructions it would use. INVPCID drops every
 * address space's entries; without it, a CR3 reload does so only while
 * PCIDs are off, which is when the kernel itself relies on that.
 */
#include <linux/atomic.h>
#include <linux/smp.h>
#include <asm/invpcid.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>

#include "vmx_priv.h"

static void vmx_flush_this_cpu(void *unused)
{
#ifdef VMX_HAVE_FLUSH_TLB_ALL
	__flush_tlb_all();
#else
	if (boot_cpu_has(X86_FEATURE_INVPCID))
		invpcid_flush_all_nonglobals();
	else
		write_cr3(__read_cr3());
#endif
}

bool vmx_tlb_flush_works(void)
{
#ifdef VMX_HAVE_FLUSH_TLB_ALL
	return true;
#else
	return boot_cpu_has(X86_FEATURE_INVPCID) ||
	       !boot_cpu_has(X86_FEATURE_PCID);
#endif
}

int vmx_tlb_flush_all(void)
{
	if (!vmx_tlb_flush_works())
		return -EOPNOTSUPP;
	on_each_cpu(vmx_flush_this_cpu, NULL, 1);
	atomic64_inc(&vmx_stats.tlb_flushes);
	return 0;
}
