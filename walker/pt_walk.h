/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one descent of a user mm's page tables (walker/pt_walk.c), shared by
 * DUMP, RESOLVE, PEEK and EDIT, with what each does at an entry in a const
 * ops struct, as mm/pagewalk.c's struct mm_walk_ops (not exported).
 */
#ifndef _VMX_PT_WALK_H
#define _VMX_PT_WALK_H

#include <linux/mm_types.h>
#include <linux/pgtable.h>

/* An op's answer besides 0 (go on) and -errno (end with that error). */
#define VMX_PT_STOP	1

enum vmx_pt_kind {
	VMX_PT_NONE,	/* empty: the walk goes on beside it */
	VMX_PT_TABLE,	/* the walk goes down through it */
	VMX_PT_LEAF,	/* a leaf or a non-present entry (PUD, PMD) */
};

/**
 * struct vmx_pt_entry - one entry as an op sees it.
 * @addr: @next: the part of the entry's span inside the walk's range.
 * @index: its index in its table.
 * @level: VMX_LEVEL_*; with 4 levels the folded P4D is reported as the PGD.
 * @shift: log2 of the span of the entry.
 * @kind: what the walk makes of @raw_kernel.
 * @relocked: read again under its lock after a first read without (huge
 *	PUD and PMD): @raw is the second read.
 * @raw: the entry as user mode sees it (the PTI user copy of the root).
 * @raw_kernel: the entry in the tables of @mm->pgd.
 * @entry_pa: physical address @raw was read from; 0 for a PTE-level hole.
 * @present: @pfn: a leaf's, read under its lock.
 */
struct vmx_pt_entry {
	unsigned long addr, next;
	unsigned int index;
	int level;
	int shift;
	enum vmx_pt_kind kind;
	bool relocked;
	u64 raw, raw_kernel;
	u64 entry_pa;
	bool present;
	unsigned long pfn;
};

struct vmx_pt_walk;

/* With skip_none, one empty entry in this many still goes to the ops. */
#define VMX_PT_SKIP_RUN		512

/**
 * struct vmx_pt_ops - what a walk does where. Every op may be NULL (then 0)
 * and returns 0 to go on, or VMX_PT_STOP or -errno to end the walk, which
 * then returns that value. Ops run under the mmap lock, and under a
 * hugetlb mapping's i_mmap_rwsem where the range has one: none may fault.
 * @table: the walk enters the table at @table (the MMU reads @user, its
 *	PTI user copy, at the root), holding @nr entries of @level for @va
 *	onwards; not for PTE tables (see @ptes).
 * @entry: any PGD to PMD entry, as first read, without a lock (see
 *	@skip_none).
 * @hole: an empty entry; at VMX_LEVEL_PTE, a PMD whose PTE table was
 *	gone (or had become huge) by the time its lock was taken.
 * @descend: a table entry the walk is about to go down through.
 * @leaf: a leaf or non-present PUD or PMD, under its lock (spinlock).
 * @ptes: the PTEs for [@addr, @end) from @ptep on, under the PTE table's
 *	lock (spinlock) and RCU; @pmdval is the PMD they were found under.
 * @fatal_signal_stops: end the walk (VMX_PT_STOP) after any PTE table when
 *	a fatal signal is pending: long walks of a dying caller.
 * @skip_none: empty PUD and PMD entries are passed over without @entry or
 *	@hole, all but one in VMX_PT_SKIP_RUN (where @entry may check the
 *	time): a sparse range's walk reads its tables as fast as they scan.
 */
struct vmx_pt_ops {
	int (*table)(struct vmx_pt_walk *pw, int level, unsigned long va,
		     const void *table, const void *user, unsigned int nr);
	int (*entry)(struct vmx_pt_walk *pw, const struct vmx_pt_entry *e);
	int (*hole)(struct vmx_pt_walk *pw, const struct vmx_pt_entry *e);
	int (*descend)(struct vmx_pt_walk *pw, const struct vmx_pt_entry *e);
	int (*leaf)(struct vmx_pt_walk *pw, const struct vmx_pt_entry *e);
	int (*ptes)(struct vmx_pt_walk *pw, pte_t *ptep, pmd_t pmdval,
		    unsigned long addr, unsigned long end);
	bool fatal_signal_stops;
	bool skip_none;
};

/**
 * struct vmx_pt_walk - one walk.
 * @ops: @priv: what it does, and the ops' own state.
 * @mm: the user mm; its mmap lock is held.
 * @stop_addr: @stop_level: where an op ended the walk: the entry (for
 *	@ptes, the first address handed over) it was called for.
 */
struct vmx_pt_walk {
	const struct vmx_pt_ops *ops;
	void *priv;
	struct mm_struct *mm;
	unsigned long stop_addr;
	int stop_level;
};

/*
 * Walk [@start, @end), page aligned, inside @vma (NULL: the range is in
 * no VMA, or its shared tables are not to be locked) under the caller's
 * mmap lock. 0 when the range is done, else what an op returned.
 */
int vmx_pt_walk(struct vmx_pt_walk *pw, struct vm_area_struct *vma,
		unsigned long start, unsigned long end);

/*
 * walker/pte_lock.c: run @fn on the PTE for @addr in the table under
 * @pmdp, with that table locked (and RCU held); @pmdval is the PMD it was
 * found under. Returns what @fn returns, or -ENOENT when the PMD holds no
 * PTE table.
 */
typedef int (*vmx_pte_fn)(pte_t *ptep, pmd_t pmdval, void *arg);
int vmx_with_pte_locked(struct mm_struct *mm, pmd_t *pmdp, unsigned long addr,
			vmx_pte_fn fn, void *arg);

/*
 * walker/shared_tables.c: a MAP_SHARED hugetlb VMA may share its PMD
 * tables with other processes, which unshare and free them without our
 * mmap lock; i_mmap_rwsem (read) keeps them (include/linux/hugetlb.h,
 * above huge_pte_offset()). Take it before reading the VMA's PUD entries,
 * outside any spinlock and RCU section, and fault on nothing while it is
 * held. Returns what to pass to the unlock, NULL for other VMAs.
 */
struct address_space *vmx_lock_shared_tables(struct vm_area_struct *vma);
void vmx_unlock_shared_tables(struct address_space *mapping);

#endif /* _VMX_PT_WALK_H */
