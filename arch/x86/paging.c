// SPDX-License-Identifier: GPL-2.0
/*
 * x86-64: how the running kernel drives the MMU. Everything here reads
 * state the kernel settled at boot, so no locking is needed.
 */
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/utsname.h>
#include <asm/cpufeature.h>
#include <asm/pgtable.h>
#include <asm/processor.h>

#include "vmx_arch.h"
#include "vmx_compat.h"
#include "vmx_priv.h"

static int vmx_note_ram_end(struct resource *res, void *arg)
{
	u64 *end = arg;

	if (res->end + 1 > *end)
		*end = res->end + 1;
	return 0;
}

u64 vmx_phys_ram_end(void)
{
	u64 end = 0;

	walk_iomem_res_desc(IORES_DESC_NONE,
			    IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY,
			    0, U64_MAX, &end, vmx_note_ram_end);
	return end;
}

#if IS_ENABLED(CONFIG_KUNIT)
EXPORT_SYMBOL_GPL(vmx_phys_ram_end);
#endif

static u64 vmx_paging_flags(void)
{
	unsigned int eax, ebx, ecx, edx;
	u64 flags = 0;

	if (pgtable_l5_enabled())
		flags |= VMX_PAGING_LA57;
	if (boot_cpu_has(X86_FEATURE_PTI))
		flags |= VMX_PAGING_PTI;
	if (__supported_pte_mask & _PAGE_NX)
		flags |= VMX_PAGING_NX;
	if (boot_cpu_has(X86_FEATURE_PCID))
		flags |= VMX_PAGING_PCID;
	if (boot_cpu_has(X86_FEATURE_OSPKE))
		flags |= VMX_PAGING_PKU;
	/*
	 * The kernel clears its LA57 feature bit when it chose 4 levels;
	 * raw CPUID still tells whether the hardware could have done 5.
	 */
	cpuid_count(7, 0, &eax, &ebx, &ecx, &edx);
	if (ecx & VMX_CPUID7_ECX_LA57)
		flags |= VMX_PAGING_CPU_LA57;
	return flags;
}

void vmx_describe_paging(struct vmx_info *info)
{
	info->levels = pgtable_l5_enabled() ? 5 : 4;
	info->paging = vmx_paging_flags();
	info->leaf_sizes = VMX_LEAF_4K;
	if (boot_cpu_has(X86_FEATURE_PSE))
		info->leaf_sizes |= VMX_LEAF_2M;
	if (boot_cpu_has(X86_FEATURE_GBPAGES))
		info->leaf_sizes |= VMX_LEAF_1G;
	info->page_offset_base = vmx_kaddr_visible() ? PAGE_OFFSET : 0;
	info->direct_map_size = 1ULL << MAX_PHYSMEM_BITS;
	info->phys_ram_end = vmx_phys_ram_end();
	info->user_va_end = TASK_SIZE_MAX;
	info->phys_bits = boot_cpu_data.x86_phys_bits;
	info->virt_bits = __VIRTUAL_MASK_SHIFT + 1;
	info->page_size = PAGE_SIZE;
	info->ptrs_per_table = PTRS_PER_PTE;
	strscpy_pad(info->release, init_utsname()->release,
		    sizeof(info->release));
}
