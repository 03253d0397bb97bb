// SPDX-License-Identifier: GPL-2.0
/* VMX_IOC_INFO: the paging facts vmxctl needs before anything else. */
#include <linux/errno.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>

#include "vmx_compat.h"
#include "vmx_priv.h"
#include "../walker/walk.h"

int vmx_ioc_info(void *req)
{
	struct vmx_info *info = req;

	if (info->flags || info->reserved)
		return -EINVAL;

	vmx_describe_paging(info);
	info->abi_version = VMX_ABI_VERSION;
	info->sw_valid = vmx_sw_valid();
	info->vma_flags_valid = vmx_vma_flags_valid();
	info->features = VMX_FEAT_INFO | VMX_FEAT_DUMP | VMX_FEAT_RESOLVE |
			 VMX_FEAT_PEEK | VMX_FEAT_PHYS | VMX_FEAT_VMAS |
			 VMX_FEAT_MTREE | VMX_FEAT_WINDOWS | VMX_FEAT_EDIT |
			 VMX_FEAT_DUMP_TABLES | VMX_FEAT_MERGE_RUNS |
			 VMX_FEAT_EDIT_DRY_RUN | VMX_FEAT_REMAP_EEXIST |
			 VMX_FEAT_PHYS_ROOTS | VMX_FEAT_DUMP_COMPACT |
			 VMX_FEAT_RESOLVE_NO_PAGE;
	if (vmx_tlb_flush_works())
		info->features |= VMX_FEAT_TLB_FLUSH;
	/* Read, never written: what PWT/PCD/PAT in an entry select. */
	info->pat = 0;
	if (boot_cpu_has(X86_FEATURE_PAT)) {
		vmx_rdmsr64(MSR_IA32_CR_PAT, info->pat);
		info->features |= VMX_FEAT_PAT;
	}
#ifdef VMX_HAVE_ZAP
	info->features |= VMX_FEAT_GRANT;
#endif
	return 0;
}
