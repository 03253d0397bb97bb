/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vmx: the one contract between vmx.ko and user space (/dev/vmx).
 *
 * Every request is an extensible struct in the style of struct
 * procmap_query: its first field is the size the caller knows, so old
 * binaries keep working against a newer module and the other way round.
 * The module copies in min(size, its own size), insists that bytes it does
 * not know are zero (E2BIG otherwise), rejects unknown flags and non-zero
 * reserved fields (EINVAL), and copies back min(size, its own size).
 * The size bits of the ioctl number are ignored for the same reason.
 */
#ifndef _UAPI_VMX_H
#define _UAPI_VMX_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define VMX_DEVICE_PATH		"/dev/vmx"
#define VMX_ABI_VERSION		2
#define VMX_IOC_MAGIC		0xE7

/* Largest size a request may claim: anything above is E2BIG. */
#define VMX_REQ_SIZE_MAX	4096

/* Bits of vmx_info.features: what this module can do on this kernel. */
#define VMX_FEAT_INFO		(1ULL << 0)
#define VMX_FEAT_DUMP		(1ULL << 1)
#define VMX_FEAT_RESOLVE	(1ULL << 2)
#define VMX_FEAT_PEEK		(1ULL << 3)
#define VMX_FEAT_PHYS		(1ULL << 4)
#define VMX_FEAT_VMAS		(1ULL << 5)
#define VMX_FEAT_MTREE		(1ULL << 6)
#define VMX_FEAT_WINDOWS	(1ULL << 7)	/* mmap windows: map, revoke, retarget, protect */
#define VMX_FEAT_GRANT		(1ULL << 8)	/* the kernel exports a zap for ordinary VMAs */
#define VMX_FEAT_EDIT		(1ULL << 9)	/* VMX_IOC_EDIT, as allow_edits permits */
#define VMX_FEAT_TLB_FLUSH	(1ULL << 10)	/* flushing every CPU's TLB works here */
/* Behaviours a caller may rely on, each added after the request it is of. */
#define VMX_FEAT_DUMP_TABLES	(1ULL << 11)	/* VMX_DUMP_TABLES: whole raw tables */
#define VMX_FEAT_MERGE_RUNS	(1ULL << 12)	/* MERGE folds PROT_NONE and zero-page runs */
#define VMX_FEAT_EDIT_DRY_RUN	(1ULL << 13)	/* VMX_EDIT_DRY_RUN at any allow_edits */
#define VMX_FEAT_REMAP_EEXIST	(1ULL << 14)	/* mapped window slots: EEXIST, not EBUSY */
#define VMX_FEAT_PHYS_ROOTS	(1ULL << 15)	/* PHYS knows PGD and P4D frames as tables */
#define VMX_FEAT_DUMP_COMPACT	(1ULL << 16)	/* VMX_DUMP_COMPACT: 16-byte records */
#define VMX_FEAT_RESOLVE_NO_PAGE (1ULL << 17)	/* VMX_RESOLVE_NO_PAGE */
#define VMX_FEAT_PAT		(1ULL << 18)	/* struct vmx_info.pat */

/* Bits of vmx_info.paging: how the running kernel uses the MMU. */
#define VMX_PAGING_LA57		(1ULL << 0)	/* 5-level paging in use */
#define VMX_PAGING_PTI		(1ULL << 1)	/* page-table isolation on */
#define VMX_PAGING_NX		(1ULL << 2)	/* no-execute bit honoured */
#define VMX_PAGING_PCID		(1ULL << 3)	/* process-context ids in use */
#define VMX_PAGING_PKU		(1ULL << 4)	/* protection keys enabled */
#define VMX_PAGING_CPU_LA57	(1ULL << 5)	/* the CPU could do 5-level */

/* Bits of vmx_info.leaf_sizes: bit n set = leaves of 2^n bytes exist. */
#define VMX_LEAF_4K		(1ULL << 12)
#define VMX_LEAF_2M		(1ULL << 21)
#define VMX_LEAF_1G		(1ULL << 30)

/**
 * struct vmx_info - VMX_IOC_INFO: how paging looks on the running system.
 * @size: in: sizeof(struct vmx_info) as the caller compiled it.
 * @flags: in: none defined yet; must be 0.
 * @reserved: in: must be 0.
 * @abi_version: out: VMX_ABI_VERSION of the module.
 * @levels: out: page-table levels in use, 4 or 5.
 * @features: out: VMX_FEAT_* bits.
 * @paging: out: VMX_PAGING_* bits.
 * @leaf_sizes: out: VMX_LEAF_* bits.
 * @page_offset_base: out: virtual address where the direct map of all
 *	physical memory starts (randomised by KASLR).
 * @direct_map_size: out: size of the virtual region set aside for it.
 * @phys_ram_end: out: end of the highest System RAM range, i.e. how much
 *	of that region maps RAM.
 * @user_va_end: out: first address above the user half (TASK_SIZE_MAX).
 * @phys_bits: out: physical address bits of the CPU.
 * @virt_bits: out: virtual address bits in use, 48 or 57.
 * @page_size: out: base page size in bytes.
 * @ptrs_per_table: out: entries in one page table.
 * @release: out: kernel release, as uname -r prints it.
 * @sw_valid: out (ABI 2): the VMX_SW_* bits this kernel has at all; a
 *	record's bit outside them is absent, not clear.
 * @vma_flags_valid: out (ABI 2): the VMX_VMA_* bits this kernel can set
 *	(a kernel without CONFIG_MEM_SOFT_DIRTY never sets VMX_VMA_SOFTDIRTY).
 * @pat: out (VMX_FEAT_PAT): the IA32_PAT MSR as the CPU that answered has
 *	it (Linux programs every CPU alike): byte i is the memory type of
 *	PAT index i, which a leaf selects with its PWT, PCD and PAT bits.
 *	0 without PAT.
 */
struct vmx_info {
	__u64 size;
	__u64 flags;
	__u64 reserved;
	__u32 abi_version;
	__u32 levels;
	__u64 features;
	__u64 paging;
	__u64 leaf_sizes;
	__u64 page_offset_base;
	__u64 direct_map_size;
	__u64 phys_ram_end;
	__u64 user_va_end;
	__u32 phys_bits;
	__u32 virt_bits;
	__u32 page_size;
	__u32 ptrs_per_table;
	char release[72];
	__u32 sw_valid;
	__u32 pad;
	__u64 vma_flags_valid;
	__u64 pat;
};

/* The smallest request ever accepted: the fields of ABI version 1. */
#define VMX_INFO_SIZE_VER1	176	/* up to and with @release */

#define VMX_IOC_INFO		_IOWR(VMX_IOC_MAGIC, 0x00, struct vmx_info)

/* Page-table levels, counted from the leaf as the MMU's names go. */
#define VMX_LEVEL_PTE		1
#define VMX_LEVEL_PMD		2
#define VMX_LEVEL_PUD		3
#define VMX_LEVEL_P4D		4	/* only with 5-level paging */
#define VMX_LEVEL_PGD		5	/* the root, with 4 or 5 levels */

/* What an entry is (struct vmx_entry.kind). */
#define VMX_KIND_TABLE		1	/* points at the next-level table */
#define VMX_KIND_LEAF		2	/* maps a frame of 2^span_shift bytes */
#define VMX_KIND_PROTNONE	3	/* frame kept, access removed (PROT_NONE or NUMA hint) */
#define VMX_KIND_SWAP		4	/* swapped out: swap_type, swap_offset */
#define VMX_KIND_MIGRATION_READ	5
#define VMX_KIND_MIGRATION_READ_EXCLUSIVE 6
#define VMX_KIND_MIGRATION_WRITE 7
#define VMX_KIND_DEVICE_PRIVATE_READ 8
#define VMX_KIND_DEVICE_PRIVATE_WRITE 9
#define VMX_KIND_DEVICE_EXCLUSIVE 10
#define VMX_KIND_HWPOISON	11
#define VMX_KIND_MARKER		12	/* PTE marker: VMX_MARKER_* in swap_offset */
#define VMX_KIND_UNKNOWN	13	/* non-present and not a form this module knows */

/* PTE marker bits, as the kernel defines them. */
#define VMX_MARKER_UFFD_WP	(1ULL << 0)
#define VMX_MARKER_POISONED	(1ULL << 1)
#define VMX_MARKER_GUARD	(1ULL << 2)

/*
 * Software meaning of an entry (struct vmx_entry.sw), decoded with the
 * running kernel's own helpers because the bit positions move between
 * kernels. vmx_info.sw_valid says which of them this kernel has at all: a
 * bit the kernel lacks is absent, not zero.
 */
#define VMX_SW_SOFT_DIRTY	(1U << 0)
#define VMX_SW_UFFD_WP		(1U << 1)
#define VMX_SW_SPECIAL		(1U << 2)
#define VMX_SW_DEVMAP		(1U << 3)
#define VMX_SW_SAVED_DIRTY	(1U << 4)
#define VMX_SW_NUMA_HINT	(1U << 5)	/* a PROT_NONE entry in an accessible VMA */

/* What backs a leaf (struct vmx_entry.page), when VMX_PAGE_VALID. */
#define VMX_PAGE_VALID		(1U << 0)	/* a struct page was looked at */
#define VMX_PAGE_ANON		(1U << 1)
#define VMX_PAGE_FILE		(1U << 2)	/* not anon: page cache, shmem, vDSO */
#define VMX_PAGE_KSM		(1U << 3)
#define VMX_PAGE_ZERO		(1U << 4)	/* the shared zero page */
#define VMX_PAGE_HUGE_ZERO	(1U << 5)	/* the huge zero page */
#define VMX_PAGE_LARGE		(1U << 6)	/* part of a large folio (THP) */
#define VMX_PAGE_HUGETLB	(1U << 7)
#define VMX_PAGE_EXCLUSIVE	(1U << 8)	/* anon page mapped by one process only */
#define VMX_PAGE_NO_STRUCT	(1U << 9)	/* PFN without a struct page (PFNMAP) */

/**
 * struct vmx_entry - one populated page-table entry of a dump (ABI 2).
 * @va: first virtual address the entry covers.
 * @raw: the entry as the MMU reads it (for the root under PTI, the
 *	user-mode copy of the PGD).
 * @raw_kernel: the root's kernel-mode copy under PTI, else equal to @raw.
 * @pfn: frame of the next-level table (TABLE) or of the data (LEAF,
 *	PROTNONE, migration and device entries); 0 otherwise.
 * @entry_pa: physical address of the entry itself, where @raw was read
 *	(of a run's first entry; the root's user-mode copy under PTI), so
 *	a dump can be held against memory without a second request.
 * @swap_offset: SWAP: offset in the swap area; MARKER: VMX_MARKER_* bits.
 * @nr: leaves in this record: 1, or a merged run's length (of leaves or of
 *	PROT_NONE entries, frames @pfn on one after the other; a run of the
 *	shared zero page maps @pfn each time).
 * @level: VMX_LEVEL_*.
 * @kind: VMX_KIND_*.
 * @span_shift: log2 of the bytes one entry of this level covers.
 * @swap_type: SWAP: index of the swap area.
 * @pkey: protection key of a leaf.
 * @sw: VMX_SW_* bits set in the entry (vmx_info.sw_valid: which exist).
 * @page: VMX_PAGE_* facts about the frame.
 * @refcount: the page's reference count; -1 when not looked at.
 * @mapcount: the page's map count; -1 when not looked at or when this
 *	kernel no longer keeps one per page.
 *
 * The VMA an entry lies in is not repeated in every record: VMX_IOC_VMAS
 * gives it. ABI 1's record (VMX_ENTRY_SIZE_VER1 bytes, with the VMA's
 * range and raw vm_flags and sw_valid in each) is what a caller whose
 * struct vmx_dump ends before @abi_version gets: see docs/uapi.md.
 */
struct vmx_entry {
	__u64 va;
	__u64 raw;
	__u64 raw_kernel;
	__u64 pfn;
	__u64 entry_pa;
	__u64 swap_offset;
	__u64 nr;
	__u8 level;
	__u8 kind;
	__u8 span_shift;
	__u8 swap_type;
	__u8 pkey;
	__u8 pad[3];
	__u32 sw;
	__u32 page;
	__s32 refcount;
	__s32 mapcount;
};

/* Size of ABI 1's struct vmx_entry, the smallest an ABI 1 caller passes. */
#define VMX_ENTRY_SIZE_VER1	104

/* Flags of struct vmx_dump. */
#define VMX_DUMP_LEAVES		(1ULL << 0)	/* no TABLE entries */
#define VMX_DUMP_NO_PAGE	(1ULL << 1)	/* raw tables only: no struct page data */
#define VMX_DUMP_MERGE		(1ULL << 2)	/* one record per run of like leaves or PROT_NONE */
#define VMX_DUMP_TABLES		(1ULL << 3)	/* struct vmx_raw_table records */
#define VMX_DUMP_COMPACT	(1ULL << 4)	/* struct vmx_compact records */
#define VMX_DUMP_FLAGS_ALL	(VMX_DUMP_LEAVES | VMX_DUMP_NO_PAGE | VMX_DUMP_MERGE | \
				 VMX_DUMP_TABLES | VMX_DUMP_COMPACT)

/**
 * struct vmx_compact - a record of a VMX_DUMP_COMPACT | VMX_DUMP_NO_PAGE
 * dump: an entry in 16 bytes instead of a struct vmx_entry's 80, for tools
 * that decode the raw entry themselves.
 * @va_info: the first address the entry covers (as struct vmx_entry's
 *	@va), ORed with its VMX_LEVEL_* in bits 0-2 and its VMX_KIND_* in
 *	bits 3-6: see VMX_COMPACT_VA(), VMX_COMPACT_LEVEL(), VMX_COMPACT_KIND().
 * @raw: the entry (a root entry's under PTI: the user-mode copy's).
 *
 * The records are those of the same dump with struct vmx_entry, in the
 * same order; VMX_DUMP_LEAVES is allowed, VMX_DUMP_MERGE and
 * VMX_DUMP_TABLES are refused (EINVAL). Without VMX_DUMP_NO_PAGE each
 * record is a struct vmx_compact_page. @entry_size must be at least the
 * record's size.
 */
struct vmx_compact {
	__u64 va_info;
	__u64 raw;
};

/**
 * struct vmx_compact_page - a record of a VMX_DUMP_COMPACT dump with
 * struct page data: 24 bytes.
 * @c: as struct vmx_compact.
 * @page: @mapcount: as struct vmx_entry's (the page's reference count is
 *	left out: a full record has it).
 */
struct vmx_compact_page {
	struct vmx_compact c;
	__u32 page;
	__s32 mapcount;
};

#define VMX_COMPACT_VA(x)	((x) & ~0xfffULL)
#define VMX_COMPACT_LEVEL(x)	((unsigned int)(x) & 0x7)
#define VMX_COMPACT_KIND(x)	(((unsigned int)(x) >> 3) & 0xf)
#define VMX_COMPACT_INFO(va, level, kind) \
	((__u64)(va) | (__u64)(level) | ((__u64)(kind) << 3))

/* Entries in one page table (x86-64, every level). */
#define VMX_TABLE_ENTRIES	512

/**
 * struct vmx_raw_table - one record of a VMX_DUMP_TABLES dump: a whole page
 * table as the MMU reads it, copied under the lock that serialises it. The
 * fastest path, for tools that decode entries themselves.
 * @va_level: first virtual address the table covers, ORed with the
 *	VMX_LEVEL_* of its entries (PGD for the root).
 * @pfn: the frame holding the table (under PTI, for the root, the
 *	kernel-mode copy's).
 * @entries: the table's entries; the root's are those of the user-mode
 *	copy under PTI. Entries outside the requested range and outside any
 *	VMA are copied too: the table is shown whole.
 *
 * Every table through which the walk reaches a VMA of [start, end) comes
 * once, each before the tables it points to, in the order of the entries
 * that point to them. NO_PAGE is implied; LEAVES, MERGE and COMPACT are
 * refused (EINVAL). @entry_size must be sizeof(struct vmx_raw_table). The root's
 * kernel half reads as 0: kernel addresses are not dumped.
 */
struct vmx_raw_table {
	__u64 va_level;
	__u64 pfn;
	__u64 entries[VMX_TABLE_ENTRIES];
};

#define VMX_RAW_LEVEL_MASK	0xfffULL

/**
 * struct vmx_dump - VMX_IOC_DUMP: the populated entries of [start, end).
 * @size: in: sizeof(struct vmx_dump).
 * @flags: in: VMX_DUMP_*.
 * @reserved: in: must be 0.
 * @pid: in: target process (any thread of it).
 * @entry_size: in: sizeof(struct vmx_entry) as the caller knows it, or
 *	sizeof(struct vmx_raw_table) with VMX_DUMP_TABLES, or at least the
 *	compact record's size with VMX_DUMP_COMPACT.
 * @start: in: first address (rounded down to a page).
 * @end: in: end of the range, exclusive, at most the end of the user half.
 * @cursor: in: 0 the first time, then what the last call returned.
 *	out: where the next call goes on (an address, with the level to go
 *	on at in its low bits); once the range is done, @end rounded up to a
 *	page (pass a page-aligned @end and that is @end itself).
 * @entries: in: user pointer to an array of @max_entries entries.
 * @max_entries: in: capacity of @entries, at least 1.
 * @count: out: entries written.
 * @start_time: in: the target's start time as field 22 of /proc/pid/stat
 *	gives it (clock ticks since boot), or 0 to skip the check; ESRCH when
 *	the pid now names a process that started at another time.
 * @root_pa: out: physical address of the target's root table (the PGD,
 *	CR3 in kernel mode), as RESOLVE gives it; set by every call that
 *	walks (not by one made with @cursor already at @end).
 * @root_pa_user: out: the user-mode copy of the root under PTI; else equal
 *	to @root_pa.
 * @abi_version: out: the layout of the records written: 2, struct
 *	vmx_entry. A caller whose struct ends before this field gets ABI 1's
 *	records, and @entry_size must be at least VMX_ENTRY_SIZE_VER1.
 *
 * Entries come in address order, each table entry before what it points
 * to, exactly as one call with a big enough buffer would give them. A call
 * returns when the buffer is full, when it has held the target's mmap lock
 * for its time slice, or when the range is done: loop while @cursor is not
 * @end rounded up to a page.
 */
struct vmx_dump {
	__u64 size;
	__u64 flags;
	__u64 reserved;
	__s32 pid;
	__u32 entry_size;
	__u64 start;
	__u64 end;
	__u64 cursor;
	__u64 entries;
	__u32 max_entries;
	__u32 count;
	__u64 start_time;
	__u64 root_pa;
	__u64 root_pa_user;
	__u32 abi_version;
	__u32 pad;
};

#define VMX_IOC_DUMP		_IOWR(VMX_IOC_MAGIC, 0x01, struct vmx_dump)

/* ---- Inspect: resolve, vmas, peek, phys ---- */

/* struct vmx_resolve.result: where the translation ended. */
#define VMX_RESOLVE_MAPPED	1	/* a present leaf: @pa is the physical address */
#define VMX_RESOLVE_NONE	2	/* an empty entry at the last step: nothing mapped */
#define VMX_RESOLVE_NOT_PRESENT	3	/* non-present: @final says what (swap, ...) */

/* Flags of struct vmx_resolve. */
#define VMX_RESOLVE_KERNEL	(1ULL << 0)	/* @addr is a kernel address; @pid is ignored */
#define VMX_RESOLVE_NO_PAGE	(1ULL << 1)	/* @final without struct page data */
#define VMX_RESOLVE_FLAGS_ALL	(VMX_RESOLVE_KERNEL | VMX_RESOLVE_NO_PAGE)

/**
 * struct vmx_step - one level of a translation, as the MMU performs it.
 * @table_pa: physical address of the table read at this level (for the
 *	root of a user address under PTI, the user-mode copy's).
 * @entry: the entry read there (the root's user-mode copy under PTI for a
 *	user address).
 * @entry_kernel: the root's kernel-mode copy under PTI, else @entry.
 * @level: VMX_LEVEL_*.
 * @index: the entry's index in the table, from the address bits.
 */
struct vmx_step {
	__u64 table_pa;
	__u64 entry;
	__u64 entry_kernel;
	__u32 level;
	__u32 index;
};

#define VMX_MAX_STEPS		5

/**
 * struct vmx_resolve - VMX_IOC_RESOLVE: the translation of one address.
 * @size: @flags: @reserved: as struct vmx_info.
 * @pid: in: target process (ignored with VMX_RESOLVE_KERNEL).
 * @nr_steps: out: valid entries of @steps, from the root down.
 * @start_time: in: as struct vmx_dump.
 * @addr: in: the virtual address.
 * @root_pa: out: physical address of the root table (CR3 in kernel mode).
 * @root_pa_user: out: the user-mode copy's under PTI, else @root_pa (and
 *	always @root_pa for a kernel address: the kernel half is the same in
 *	every process's root, and vmx walks the caller's).
 * @pa: out: VMX_RESOLVE_MAPPED: the physical address @addr translates to.
 * @result: out: VMX_RESOLVE_*.
 * @in_vma: out: 1 when @addr lies in a VMA of the target.
 * @steps: out: one per level walked.
 * @final: out: the last entry, decoded as a dump record (leaf with struct
 *	page data, swap, marker, ...); kind 0 when the walk met an empty entry.
 * @vma_start: @vma_end: out (ABI 2): the VMA holding @addr, when @in_vma.
 * @vma_flags: out (ABI 2): its VMX_VMA_* bits.
 * @abi_version: out: 2. A caller whose struct ends before this field (ABI
 *	1's is 344 bytes) gets ABI 1's layout: @final as ABI 1's record, with
 *	the VMA in it, and nothing after it.
 */
struct vmx_resolve {
	__u64 size;
	__u64 flags;
	__u64 reserved;
	__s32 pid;
	__u32 nr_steps;
	__u64 start_time;
	__u64 addr;
	__u64 root_pa;
	__u64 root_pa_user;
	__u64 pa;
	__u32 result;
	__u32 in_vma;
	struct vmx_step steps[VMX_MAX_STEPS];
	struct vmx_entry final;
	__u64 vma_start;
	__u64 vma_end;
	__u64 vma_flags;
	__u32 abi_version;
	__u32 pad;
};

#define VMX_IOC_RESOLVE		_IOWR(VMX_IOC_MAGIC, 0x02, struct vmx_resolve)

/**
 * struct vmx_peek - VMX_IOC_PEEK: bytes of the frame a user address maps,
 * read through the kernel's direct map. Only a frame the target maps at
 * that moment, with a struct page (RAM), is read, holding a reference on
 * the page meanwhile. EPERM under kernel lockdown (as /dev/mem).
 * @size: @flags: @reserved: as struct vmx_info.
 * @pid: in: target process.
 * @len: in: bytes to read, 1 to the end of @addr's base (4K) page, also
 *	inside a 2M or 1G leaf.
 * @start_time: in: as struct vmx_dump.
 * @addr: in: the user address.
 * @buf: in: user pointer to @len bytes.
 * @pa: out: the physical address read from.
 * @direct_map: out: the kernel virtual address read from
 *	(page_offset_base + @pa).
 * @level: out: VMX_LEVEL_* of the leaf mapping @addr.
 */
struct vmx_peek {
	__u64 size;
	__u64 flags;
	__u64 reserved;
	__s32 pid;
	__u32 len;
	__u64 start_time;
	__u64 addr;
	__u64 buf;
	__u64 pa;
	__u64 direct_map;
	__u32 level;
	__u32 pad;
};

#define VMX_IOC_PEEK		_IOWR(VMX_IOC_MAGIC, 0x03, struct vmx_peek)

/* struct vmx_phys.type: what the page at a physical address is used for. */
#define VMX_PHYS_NOT_RAM	1	/* not System RAM (a hole, MMIO, firmware) */
#define VMX_PHYS_NO_PAGE	2	/* RAM, but no online struct page */
#define VMX_PHYS_FREE		3	/* in the buddy allocator */
#define VMX_PHYS_ANON		4
#define VMX_PHYS_FILE		5	/* page cache (shmem included) */
#define VMX_PHYS_SLAB		6
#define VMX_PHYS_PAGETABLE	7	/* any level; PGD, P4D: of a live task's mm */
#define VMX_PHYS_RESERVED	8	/* PG_reserved: kernel image, memmap, firmware */
#define VMX_PHYS_HUGETLB	9
#define VMX_PHYS_OTHER		10	/* allocated, none of the above */

/**
 * struct vmx_phys - VMX_IOC_PHYS: what a physical address is, never what it
 * holds. A snapshot: the page may change use right after.
 * @size: @flags: @reserved: as struct vmx_info.
 * @pa: in: the physical address; beyond the end of RAM is ERANGE.
 * @direct_map: out: page_offset_base + @pa, where the kernel reaches it.
 * @type: out: VMX_PHYS_*.
 * @refcount: out: the page's reference count, -1 without a struct page.
 * @order: out: the free block's or folio's order, 0 otherwise.
 */
struct vmx_phys {
	__u64 size;
	__u64 flags;
	__u64 reserved;
	__u64 pa;
	__u64 direct_map;
	__u32 type;
	__s32 refcount;
	__u32 order;
	__u32 pad;
};

#define VMX_IOC_PHYS		_IOWR(VMX_IOC_MAGIC, 0x04, struct vmx_phys)

/*
 * Bits of struct vmx_vma.flags: what the kernel knows of a VMA, in bit
 * positions that stay, where vm_flags' own move between kernels. The low
 * ones are vmx's findings (also in @attrs, for ABI 1 callers); from bit 16
 * on, vm_flags decoded by the module. vmx_info.vma_flags_valid says which
 * the running kernel can set at all.
 */
#define VMX_VMA_ANON_VMA	(1ULL << 0)	/* has an anon_vma: anonymous pages may be mapped */
#define VMX_VMA_HUGETLB		(1ULL << 1)
#define VMX_VMA_FILE		(1ULL << 2)	/* file-backed: @name is the file's path */
#define VMX_VMA_HEAP		(1ULL << 3)	/* [heap] */
#define VMX_VMA_STACK		(1ULL << 4)	/* [stack] */
#define VMX_VMA_SPECIAL		(1ULL << 5)	/* named by the kernel: [vdso], [vvar], ... */
#define VMX_VMA_NAME_TRUNCATED	(1ULL << 6)	/* the path did not fit in @name */
#define VMX_VMA_ATTRS		0x7fULL		/* the bits @attrs also has */
#define VMX_VMA_READ		(1ULL << 16)	/* VM_READ */
#define VMX_VMA_WRITE		(1ULL << 17)
#define VMX_VMA_EXEC		(1ULL << 18)
#define VMX_VMA_SHARED		(1ULL << 19)	/* VM_SHARED: writes reach the file */
#define VMX_VMA_MAYREAD		(1ULL << 20)
#define VMX_VMA_MAYWRITE	(1ULL << 21)
#define VMX_VMA_MAYEXEC		(1ULL << 22)
#define VMX_VMA_MAYSHARE	(1ULL << 23)	/* MAP_SHARED ("s" in maps) */
#define VMX_VMA_GROWSDOWN	(1ULL << 24)
#define VMX_VMA_UFFD_MISSING	(1ULL << 25)
#define VMX_VMA_PFNMAP		(1ULL << 26)
#define VMX_VMA_UFFD_WP		(1ULL << 27)
#define VMX_VMA_LOCKED		(1ULL << 28)
#define VMX_VMA_IO		(1ULL << 29)
#define VMX_VMA_SEQ_READ	(1ULL << 30)
#define VMX_VMA_RAND_READ	(1ULL << 31)
#define VMX_VMA_DONTCOPY	(1ULL << 32)
#define VMX_VMA_DONTEXPAND	(1ULL << 33)
#define VMX_VMA_LOCKONFAULT	(1ULL << 34)
#define VMX_VMA_ACCOUNT		(1ULL << 35)
#define VMX_VMA_NORESERVE	(1ULL << 36)
#define VMX_VMA_SYNC		(1ULL << 37)	/* MAP_SYNC */
#define VMX_VMA_PAT		(1ULL << 38)	/* x86 VM_PAT: a PAT-tracked PFN range */
#define VMX_VMA_WIPEONFORK	(1ULL << 39)
#define VMX_VMA_DONTDUMP	(1ULL << 40)
#define VMX_VMA_SOFTDIRTY	(1ULL << 41)
#define VMX_VMA_MIXEDMAP	(1ULL << 42)
#define VMX_VMA_HUGEPAGE	(1ULL << 43)	/* MADV_HUGEPAGE */
#define VMX_VMA_NOHUGEPAGE	(1ULL << 44)
#define VMX_VMA_MERGEABLE	(1ULL << 45)	/* KSM may merge its pages */
#define VMX_VMA_UFFD_MINOR	(1ULL << 46)
#define VMX_VMA_SHADOW_STACK	(1ULL << 47)
#define VMX_VMA_SEALED		(1ULL << 48)	/* mseal() */
#define VMX_VMA_DROPPABLE	(1ULL << 49)
#define VMX_VMA_ALLOW_ANY_UNCACHED (1ULL << 50)
#define VMX_VMA_MAYBE_GUARD	(1ULL << 51)	/* may hold guard regions */

#define VMX_VMA_NAME_LEN	256

/**
 * struct vmx_vma - one VMA, as the maple tree holds it.
 * @start: @end: its range.
 * @vm_flags: its vm_flags, raw: VM_* of the running kernel, whose bit
 *	positions move between kernels (decode @flags instead).
 * @pgoff: offset in the file (or the anonymous offset), in pages.
 * @inode: the file's inode number, 0 for anonymous memory.
 * @dev_major: @dev_minor: the file's device.
 * @attrs: the VMX_VMA_ATTRS bits of @flags (ABI 1 has nothing else).
 * @name: the file's path, or [heap], [stack], [vdso], ...; "" otherwise.
 * @flags: VMX_VMA_* (ABI 2).
 * @pkey: its protection key (ABI 2).
 */
struct vmx_vma {
	__u64 start;
	__u64 end;
	__u64 vm_flags;
	__u64 pgoff;
	__u64 inode;
	__u32 dev_major;
	__u32 dev_minor;
	__u32 attrs;
	__u32 pad;
	char name[VMX_VMA_NAME_LEN];
	__u64 flags;
	__u32 pkey;
	__u32 pad2;
};

/**
 * struct vmx_vmas - VMX_IOC_VMAS: the VMAs of a process, in address order.
 * @size: @flags: @reserved: as struct vmx_info.
 * @pid: in: target process.
 * @entry_size: in: sizeof(struct vmx_vma) as the caller knows it (ABI 1's
 *	ends with @name); bytes beyond the module's struct come back zero.
 * @start_time: in: as struct vmx_dump.
 * @cursor: in: 0 the first time, then what the last call returned; out:
 *	where the next call goes on, the end of the user half once all
 *	VMAs were returned.
 * @entries: in: user pointer to @max_entries entries.
 * @max_entries: in: at least 1.
 * @count: out: entries written.
 */
struct vmx_vmas {
	__u64 size;
	__u64 flags;
	__u64 reserved;
	__s32 pid;
	__u32 entry_size;
	__u64 start_time;
	__u64 cursor;
	__u64 entries;
	__u32 max_entries;
	__u32 count;
};

#define VMX_IOC_VMAS		_IOWR(VMX_IOC_MAGIC, 0x05, struct vmx_vmas)

/* struct vmx_mt_node.type: enum maple_type's numbers. */
#define VMX_MT_LEAF_64		1	/* slots hold VMAs (or NULL: a gap) */
#define VMX_MT_RANGE_64		2	/* slots hold child nodes */
#define VMX_MT_ARANGE_64	3	/* child nodes, and the largest gap below each */

#define VMX_MT_SLOTS		16	/* MAPLE_RANGE64_SLOTS on 64-bit */
#define VMX_MT_NO_PARENT	0xffffffffU

/**
 * struct vmx_mt_node - one node of an mm's maple tree (mm->mm_mt).
 * @min: @max: the indexes (addresses) the node covers, inclusive.
 * @pivot: slot i covers from the end of slot i-1 (or @min) plus one up to
 *	and including @pivot[i]; the last used slot ends at @max.
 * @gap: VMX_MT_ARANGE_64 only: the largest free range below each slot.
 * @parent: index of the parent in the returned pre-order, or
 *	VMX_MT_NO_PARENT for the root.
 * @used: bit i set: slot i is not NULL (a VMA in a leaf, a child node
 *	otherwise; the children follow in pre-order).
 * @type: VMX_MT_*.
 * @depth: 0 for the root.
 * @slots: slots in use, as the kernel's mt_dump counts them.
 * @parent_slot: which slot of the parent points here.
 * @meta_end: @meta_gap: VMX_MT_ARANGE_64 only: the node's metadata, the
 *	last used slot and the slot with the largest gap.
 */
struct vmx_mt_node {
	__u64 min;
	__u64 max;
	__u64 pivot[VMX_MT_SLOTS];
	__u64 gap[VMX_MT_SLOTS];
	__u32 parent;
	__u32 used;
	__u8 type;
	__u8 depth;
	__u8 slots;
	__u8 parent_slot;
	__u8 meta_end;
	__u8 meta_gap;
	__u8 pad[2];
};

/**
 * struct vmx_mtree - VMX_IOC_MTREE: the nodes of a process's maple tree in
 * pre-order, read in one pass under its mmap lock.
 * @size: @flags: @reserved: as struct vmx_info.
 * @pid: in: target process.
 * @entry_size: in: sizeof(struct vmx_mt_node).
 * @start_time: in: as struct vmx_dump.
 * @nodes: in: user pointer to @max_nodes nodes.
 * @max_nodes: in: at least 1, at most VMX_MT_MAX_NODES.
 * @count: out: nodes written, min(@total, @max_nodes).
 * @total: out: nodes in the tree: call again with a larger buffer when it
 *	exceeds @max_nodes.
 * @height: out: the tree's height as the tree records it (0: empty tree,
 *	1: the root is a leaf).
 * @ma_flags: out: the tree's flags (MT_FLAGS_*).
 * @vmas: out: VMAs found in the leaves.
 */
struct vmx_mtree {
	__u64 size;
	__u64 flags;
	__u64 reserved;
	__s32 pid;
	__u32 entry_size;
	__u64 start_time;
	__u64 nodes;
	__u32 max_nodes;
	__u32 count;
	__u32 total;
	__u32 height;
	__u32 ma_flags;
	__u32 vmas;
};

#define VMX_MT_MAX_NODES	65536
#define VMX_IOC_MTREE		_IOWR(VMX_IOC_MAGIC, 0x06, struct vmx_mtree)

/*
 * Windows. A process opens a window by mmapping /dev/vmx with MAP_SHARED
 * (offset 0, at most VMX_WINDOW_MAX_PAGES pages). Its pages start empty:
 * touching one gives SIGBUS until a VMX_IOC_REMAP puts a frame there. A
 * window cannot be split, moved, expanded or inherited by fork.
 */
#define VMX_WINDOW_MAX_PAGES	262144

/* struct vmx_remap.op */
#define VMX_REMAP_MAP		1	/* the source's shared pages also appear in the window */
#define VMX_REMAP_GRANT		2	/* private pages move from the source to the window */
#define VMX_REMAP_REVOKE	3	/* the window's pages go away (SIGBUS on access) */
#define VMX_REMAP_RETARGET	4	/* mapped window pages switch to other source pages */
#define VMX_REMAP_PROTECT	5	/* mapped window pages become read-only or read-write */

/* struct vmx_remap.flags */
#define VMX_REMAP_READONLY	(1ULL << 0)	/* the window pages are read-only */

/* Pages one request may move. */
#define VMX_REMAP_MAX_PAGES	512

/**
 * struct vmx_remap - VMX_IOC_REMAP: one operation on the pages of a window.
 * @size: @reserved: as struct vmx_info.
 * @flags: in: VMX_REMAP_READONLY (map, grant, retarget: insert read-only;
 *	protect: make read-only, else read-write).
 * @op: in: VMX_REMAP_*.
 * @pages: in: how many pages, 1 to VMX_REMAP_MAX_PAGES.
 * @src_pid: @src_start_time: @src_addr: in (map, grant, retarget): the
 *	source process, its start time (/proc/pid/stat field 22, never 0:
 *	the request is refused with ESRCH if the pid is now another process)
 *	and the page-aligned address of its first page.
 * @win_pid: @win_start_time: @win_addr: in: the process that has the
 *	window, its start time, and the page-aligned address in the window.
 * @done: out: pages changed.
 */
struct vmx_remap {
	__u64 size;
	__u64 flags;
	__u64 reserved;
	__u32 op;
	__u32 pages;
	__s32 src_pid;
	__s32 win_pid;
	__u64 src_start_time;
	__u64 src_addr;
	__u64 win_start_time;
	__u64 win_addr;
	__u64 done;
};

#define VMX_IOC_REMAP		_IOWR(VMX_IOC_MAGIC, 0x07, struct vmx_remap)

/*
 * Raw edits of one present 4K user PTE. What may be changed depends on the
 * module parameter allow_edits: 0 refuses every edit but a dry run (EPERM); 1 allows the
 * safe set (clear ACCESSED, clear WRITE, clear SOFT_DIRTY, which also
 * write-protects as clear_refs does); 2 also allows the rest below, taints
 * the kernel (TAINT_USER) and says so in the kernel log. Setting WRITE
 * needs an exclusive anonymous page, clearing DIRTY an anonymous,
 * swap-backed one, at any level.
 */
#define VMX_EDIT_ACCESSED	(1U << 0)
#define VMX_EDIT_WRITE		(1U << 1)
#define VMX_EDIT_DIRTY		(1U << 2)
#define VMX_EDIT_SOFT_DIRTY	(1U << 3)
#define VMX_EDIT_NX		(1U << 4)
#define VMX_EDIT_PWT		(1U << 5)
#define VMX_EDIT_PCD		(1U << 6)
#define VMX_EDIT_ALL		0x7fU
/*
 * The edits allow_edits=1 permits (with a TLB flush): clearing these. Any
 * set, any other clear and VMX_EDIT_NO_FLUSH need allow_edits=2.
 */
#define VMX_EDIT_SAFE_CLEAR	(VMX_EDIT_ACCESSED | VMX_EDIT_WRITE | VMX_EDIT_SOFT_DIRTY)

/* struct vmx_edit.flags */
#define VMX_EDIT_EXPECT		(1ULL << 0)	/* refuse with EAGAIN unless the entry is @expect */
#define VMX_EDIT_DRY_RUN	(1ULL << 1)	/* compute @new, write nothing */
#define VMX_EDIT_NO_FLUSH	(1ULL << 2)	/* leave the TLBs alone (see vmxctl tlb flush) */

/**
 * struct vmx_edit - VMX_IOC_EDIT: compare-and-swap of one PTE, under its lock.
 * @size: @reserved: as struct vmx_info.
 * @flags: in: VMX_EDIT_EXPECT, VMX_EDIT_DRY_RUN, VMX_EDIT_NO_FLUSH.
 * @pid: @start_time: in: the process (start time never 0).
 * @addr: in: a user address; its 4K page is edited.
 * @set: @clear: in: VMX_EDIT_* bits to set and to clear (not both).
 * @expect: in: with VMX_EDIT_EXPECT, the raw entry the edit expects.
 * @old: out: the raw entry before.
 * @new: out: the raw entry after (what it would be, with DRY_RUN).
 * @flushed: out: 1 when the TLBs of every CPU were flushed afterwards.
 * @tainted: out: 1 when this edit tainted the kernel (allow_edits=2).
 */
struct vmx_edit {
	__u64 size;
	__u64 flags;
	__u64 reserved;
	__s32 pid;
	__u32 set;
	__u64 start_time;
	__u64 addr;
	__u32 clear;
	__u32 pad;
	__u64 expect;
	__u64 old;
#ifdef __cplusplus
	__u64 new_;	/* "new" is a C++ keyword; the same field */
#else
	__u64 new;
#endif
	__u32 flushed;
	__u32 tainted;
};

#define VMX_IOC_EDIT		_IOWR(VMX_IOC_MAGIC, 0x08, struct vmx_edit)

/**
 * struct vmx_tlb - VMX_IOC_TLB_FLUSH: flush the TLB of every CPU (a module
 * cannot flush one mm's translations alone).
 * @size: @flags: @reserved: as struct vmx_info.
 */
struct vmx_tlb {
	__u64 size;
	__u64 flags;
	__u64 reserved;
};

#define VMX_IOC_TLB_FLUSH	_IOWR(VMX_IOC_MAGIC, 0x09, struct vmx_tlb)

#endif /* _UAPI_VMX_H */
