#!/bin/sh
# Feature probes for the kernel vmx.ko is built against. Prints -DVMX_HAVE_*
# flags for Kbuild. Each probe asks whether the thing itself exists (an
# export in Module.symvers, a declaration in a header), never which version
# the kernel claims to be, so backports and renames are handled alike.
# usage: compat-probe.sh OBJTREE SRCTREE
objtree=$1
srctree=$2

# Exported to any module: a line of Module.symvers (crc, symbol, module,
# export type, namespace) for the symbol with no namespace. A namespaced
# export (7.x's EXPORT_SYMBOL_FOR_KVM writes "module:kvm,...") is for the
# modules it names only: modpost refuses to link anyone else against it.
exported() {
	awk -F'\t' -v s="$1" '$2 == s && $5 == "" { found = 1 } END { exit !found }' \
		"$objtree/Module.symvers" 2>/dev/null
}

declared() {
	grep -qs -- "$1" "$srctree/$2"
}

header() {
	[ -e "$srctree/$1" ]
}

flag() {
	printf ' -DVMX_HAVE_%s' "$1"
}

declared 'kunit_vm_mmap(' include/kunit/test.h && flag KUNIT_VM_MMAP
# cpuid_count() moved out of asm/processor.h into its own header (6.16).
header arch/x86/include/asm/cpuid/api.h && flag ASM_CPUID_API_H
declared 'static inline pud_t pudp_get' include/linux/pgtable.h && flag PXDP_GET
declared 'pmd_t pmdp_get_lockless(pmd_t' include/linux/pgtable.h && flag PMDP_GET_LOCKLESS
declared 'static inline int page_mapcount(' include/linux/mm.h && flag PAGE_MAPCOUNT
declared 'bool vma_is_initial_heap(' include/linux/mm.h && flag VMA_IS_INITIAL_HEAP
# Pinning another process's pages: the vmas argument went away in 6.5.
grep -A3 'long pin_user_pages_remote(' "$srctree/include/linux/mm.h" 2>/dev/null |
	grep -q 'vmas' && flag PIN_REMOTE_VMAS
declared 'static inline void vm_flags_set(' include/linux/mm.h && flag VM_FLAGS_SET
# Per-VMA locks (6.4): faults, and on 7.x madvise(MADV_DONTNEED), run under
# a VMA's own lock, which the mmap write lock alone does not exclude.
{ declared 'static inline void vma_start_write(' include/linux/mm.h ||
	declared 'static inline void vma_start_write(' include/linux/mmap_lock.h; } &&
	flag VMA_START_WRITE
# Zapping part of an ordinary VMA (grant) and of a PFN-mapped one (windows):
# the same job under a new name on each line.
exported zap_vma_range && flag ZAP_VMA_RANGE
exported zap_page_range_single && flag ZAP_PAGE_RANGE_SINGLE
exported zap_page_range && flag ZAP_PAGE_RANGE
exported zap_special_vma_range && flag ZAP_SPECIAL_VMA_RANGE
# Flushing every CPU's TLB: 7.2 exports __flush_tlb_all() to KVM only.
exported __flush_tlb_all && flag FLUSH_TLB_ALL
# mt_dump() is built with CONFIG_DEBUG_MAPLE_TREE; its format argument came
# with enum mt_dump_format.
exported mt_dump && declared 'enum mt_dump_format' include/linux/maple_tree.h &&
	flag MT_DUMP
true
