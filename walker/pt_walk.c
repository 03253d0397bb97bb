// SPDX-License-Identifier: GPL-2.0
/*
 * The descent of a user mm's page tables, level by level as mm/pagewalk.c
 * does it (walk_page_range() is not exported), visiting populated entries
 * only: a range without tables costs one none entry per level, however
 * large it is. What happens at each entry is the ops' business; every lock
 * below the mmap lock is taken here and nowhere else.
 *
 * Locking: the caller holds the mmap lock and walks only inside the VMAs
 * it found under it when in read mode. munmap frees the tables of the range
 * it removed after downgrading to the read lock, so tables outside every
 * VMA may vanish under a reader; those of a live VMA stay (the race test
 * found this the hard way). PTE tables can be freed under it since 6.5
 * (RCU), so they are read under rcu_read_lock() and the PTE lock, after
 * checking that the PMD still points at them (pte_lock.c). Huge PMDs are
 * read again under the PMD lock, 1G leaves under the page_table_lock. The
 * PMD tables of a shared hugetlb mapping need its i_mmap_rwsem
 * (shared_tables.c), taken before the first PUD entry is read.
 */
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/sched/signal.h>
#include <linux/spinlock.h>

#include "vmx_compat.h"
#include "uapi/vmx.h"
#include "pt_walk.h"

typedef int (*vmx_pt_op)(struct vmx_pt_walk *pw, const struct vmx_pt_entry *e);

static void vmx_pt_entry_init(struct vmx_pt_entry *e, int level, int shift,
			      unsigned long addr, unsigned long next,
			      unsigned int index, u64 raw, u64 raw_kernel,
			      const void *entryp)
{
	e->addr = addr;
	e->entry_pa = entryp ? __pa(entryp) : 0;
	e->next = next;
	e->index = index;
	e->level = level;
	e->shift = shift;
	e->kind = VMX_PT_TABLE;
	e->relocked = false;
	e->raw = raw;
	e->raw_kernel = raw_kernel;
	e->present = false;
	e->pfn = 0;
}

static int vmx_pt_stopped(struct vmx_pt_walk *pw, int ret, unsigned long addr,
			  int level)
{
	if (ret) {
		pw->stop_addr = addr;
		pw->stop_level = level;
	}
	return ret;
}

static int vmx_pt_call(struct vmx_pt_walk *pw, vmx_pt_op op,
		       const struct vmx_pt_entry *e)
{
	return op ? vmx_pt_stopped(pw, op(pw, e), e->addr, e->level) : 0;
}

static int vmx_pt_table(struct vmx_pt_walk *pw, int level, unsigned long va,
			const void *table, const void *user, unsigned int nr)
{
	if (!pw->ops->table)
		return 0;
	return vmx_pt_stopped(pw, pw->ops->table(pw, level, va, table, user, nr),
			      va, level);
}

struct vmx_pt_ptes_arg {
	struct vmx_pt_walk *pw;
	unsigned long addr, end;
	int ret;
};

/* Keeps what the op returns apart from pte_lock.c's "no table" -ENOENT. */
static int vmx_pt_ptes_locked(pte_t *ptep, pmd_t pmdval, void *arg)
{
	struct vmx_pt_ptes_arg *a = arg;
	struct vmx_pt_walk *pw = a->pw;

	if (pw->ops->ptes)
		a->ret = pw->ops->ptes(pw, ptep, pmdval, a->addr, a->end);
	return 0;
}

static int vmx_pt_pte(struct vmx_pt_walk *pw, pmd_t *pmdp, unsigned long addr,
		      unsigned long end)
{
	struct vmx_pt_ptes_arg a = { .pw = pw, .addr = addr, .end = end };
	struct vmx_pt_entry e vmx_uninitialized;

	if (vmx_with_pte_locked(pw->mm, pmdp, addr, vmx_pt_ptes_locked, &a)) {
		vmx_pt_entry_init(&e, VMX_LEVEL_PTE, PAGE_SHIFT, addr, end,
				  pte_index(addr), 0, 0, NULL);
		e.kind = VMX_PT_NONE;
		return vmx_pt_call(pw, pw->ops->hole, &e);
	}
	return vmx_pt_stopped(pw, a.ret, addr, VMX_LEVEL_PTE);
}

static enum vmx_pt_kind vmx_pmd_kind(pmd_t pmd)
{
	if (pmd_none(pmd))
		return VMX_PT_NONE;
	if (!pmd_present(pmd) || pmd_trans_huge(pmd) || pmd_leaf(pmd))
		return VMX_PT_LEAF;
	return VMX_PT_TABLE;
}

static int vmx_pt_pmd(struct vmx_pt_walk *pw, pud_t *pudp, unsigned long addr,
		      unsigned long end)
{
	const struct vmx_pt_ops *ops = pw->ops;
	pmd_t *pmdp = pmd_offset(pudp, addr);
	/*
	 * Out of the loop, and not cleared first: a kernel that zeroes stack
	 * variables (INIT_STACK_ALL_ZERO) cleared it for every entry, empty
	 * ones too, which made a sparse walk twice as slow; every use comes
	 * after vmx_pt_entry_init().
	 */
	struct vmx_pt_entry e vmx_uninitialized;
	unsigned int skipped = 0;
	unsigned long next;
	int ret;

	ret = vmx_pt_table(pw, VMX_LEVEL_PMD, addr & PUD_MASK,
			   pmdp - pmd_index(addr), pmdp - pmd_index(addr),
			   PTRS_PER_PMD);
	if (ret)
		return ret;
	do {
		pmd_t pmd = vmx_pmdp_get_lockless(pmdp);

		next = pmd_addr_end(addr, end);
		if (ops->skip_none && pmd_none(pmd) && ++skipped % VMX_PT_SKIP_RUN)
			continue;
		vmx_pt_entry_init(&e, VMX_LEVEL_PMD, PMD_SHIFT, addr, next,
				  pmd_index(addr), pmd_val(pmd), pmd_val(pmd), pmdp);
		e.kind = vmx_pmd_kind(pmd);
		ret = vmx_pt_call(pw, ops->entry, &e);
		if (ret)
			return ret;
		if (e.kind == VMX_PT_NONE) {
			ret = vmx_pt_call(pw, ops->hole, &e);
			if (ret)
				return ret;
			continue;
		}
		if (e.kind == VMX_PT_LEAF) {
			spinlock_t *ptl = pmd_lock(pw->mm, pmdp);

			pmd = vmx_pmdp_get(pmdp);
			e.raw = pmd_val(pmd);
			e.raw_kernel = pmd_val(pmd);
			e.kind = vmx_pmd_kind(pmd);
			e.relocked = true;
			if (e.kind == VMX_PT_LEAF) {
				e.present = pmd_present(pmd);
				e.pfn = e.present ? pmd_pfn(pmd) : 0;
				ret = vmx_pt_call(pw, ops->leaf, &e);
			}
			spin_unlock(ptl);
			if (e.kind == VMX_PT_NONE)
				ret = vmx_pt_call(pw, ops->hole, &e);
			if (ret)
				return ret;
			/* Else it became a table while we took the lock. */
			if (e.kind != VMX_PT_TABLE)
				continue;
		}
		ret = vmx_pt_call(pw, ops->descend, &e);
		if (ret)
			return ret;
		ret = vmx_pt_pte(pw, pmdp, addr, next);
		if (ret)
			return ret;
		if (ops->fatal_signal_stops && fatal_signal_pending(current))
			return vmx_pt_stopped(pw, VMX_PT_STOP, addr, VMX_LEVEL_PMD);
	} while (pmdp++, addr = next, addr != end);
	return 0;
}

static int vmx_pt_pud(struct vmx_pt_walk *pw, p4d_t *p4dp, unsigned long addr,
		      unsigned long end)
{
	const struct vmx_pt_ops *ops = pw->ops;
	pud_t *pudp = pud_offset(p4dp, addr);
	struct vmx_pt_entry e vmx_uninitialized;	/* see vmx_pt_pmd() */
	unsigned int skipped = 0;
	unsigned long next;
	int ret;

	ret = vmx_pt_table(pw, VMX_LEVEL_PUD, addr & P4D_MASK,
			   pudp - pud_index(addr), pudp - pud_index(addr),
			   PTRS_PER_PUD);
	if (ret)
		return ret;
	do {
		pud_t pud = vmx_pudp_get(pudp);

		next = pud_addr_end(addr, end);
		if (ops->skip_none && pud_none(pud) && ++skipped % VMX_PT_SKIP_RUN)
			continue;
		vmx_pt_entry_init(&e, VMX_LEVEL_PUD, PUD_SHIFT, addr, next,
				  pud_index(addr), pud_val(pud), pud_val(pud), pudp);
		if (pud_none(pud))
			e.kind = VMX_PT_NONE;
		else if (!pud_present(pud) || pud_leaf(pud))
			e.kind = VMX_PT_LEAF;
		ret = vmx_pt_call(pw, ops->entry, &e);
		if (ret)
			return ret;
		if (e.kind == VMX_PT_NONE) {
			ret = vmx_pt_call(pw, ops->hole, &e);
			if (ret)
				return ret;
			continue;
		}
		if (e.kind == VMX_PT_LEAF) {
			/*
			 * 1G hugetlb leaves are serialised by page_table_lock;
			 * what is there once it is held is a leaf or nothing.
			 */
			spin_lock(&pw->mm->page_table_lock);
			pud = vmx_pudp_get(pudp);
			e.raw = pud_val(pud);
			e.raw_kernel = pud_val(pud);
			e.relocked = true;
			if (pud_none(pud)) {
				e.kind = VMX_PT_NONE;
			} else {
				e.present = pud_present(pud);
				e.pfn = e.present ? pud_pfn(pud) : 0;
				ret = vmx_pt_call(pw, ops->leaf, &e);
			}
			spin_unlock(&pw->mm->page_table_lock);
			if (e.kind == VMX_PT_NONE)
				ret = vmx_pt_call(pw, ops->hole, &e);
			if (ret)
				return ret;
			continue;
		}
		ret = vmx_pt_call(pw, ops->descend, &e);
		if (ret)
			return ret;
		ret = vmx_pt_pmd(pw, pudp, addr, next);
		if (ret)
			return ret;
	} while (pudp++, addr = next, addr != end);
	return 0;
}

/*
 * With 4 levels the P4D is folded into the PGD: pgd_none() is then always
 * false and the p4d_t is the root entry itself, reported as the PGD.
 */
static int vmx_pt_p4d(struct vmx_pt_walk *pw, pgd_t *pgdp, unsigned long addr,
		      unsigned long end)
{
	const struct vmx_pt_ops *ops = pw->ops;
	p4d_t *p4dp = p4d_offset(pgdp, addr);
	bool l5 = pgtable_l5_enabled();
	struct vmx_pt_entry e vmx_uninitialized;	/* see vmx_pt_pmd() */
	unsigned long next;
	int ret;

	if (l5) {
		ret = vmx_pt_table(pw, VMX_LEVEL_P4D, addr & PGDIR_MASK,
				   p4dp - p4d_index(addr),
				   p4dp - p4d_index(addr), PTRS_PER_P4D);
		if (ret)
			return ret;
	}
	do {
		p4d_t p4d = vmx_p4dp_get(p4dp);

		next = p4d_addr_end(addr, end);
		if (l5)
			vmx_pt_entry_init(&e, VMX_LEVEL_P4D, P4D_SHIFT, addr,
					  next, p4d_index(addr), p4d_val(p4d),
					  p4d_val(p4d), p4dp);
		else
			vmx_pt_entry_init(&e, VMX_LEVEL_PGD, P4D_SHIFT, addr,
					  next, pgd_index(addr),
					  pgd_val(vmx_user_pgd((pgd_t *)p4dp,
							       __pgd(p4d_val(p4d)))),
					  p4d_val(p4d),
					  vmx_user_pgd_table((pgd_t *)p4dp));
		if (p4d_none(p4d))
			e.kind = VMX_PT_NONE;
		ret = vmx_pt_call(pw, ops->entry, &e);
		if (ret)
			return ret;
		if (e.kind == VMX_PT_NONE) {
			ret = vmx_pt_call(pw, ops->hole, &e);
			if (ret)
				return ret;
			continue;
		}
		ret = vmx_pt_call(pw, ops->descend, &e);
		if (ret)
			return ret;
		ret = vmx_pt_pud(pw, p4dp, addr, next);
		if (ret)
			return ret;
	} while (p4dp++, addr = next, addr != end);
	return 0;
}

static int vmx_pt_pgd(struct vmx_pt_walk *pw, unsigned long addr,
		      unsigned long end)
{
	const struct vmx_pt_ops *ops = pw->ops;
	pgd_t *pgdp = pgd_offset(pw->mm, addr);
	bool l5 = pgtable_l5_enabled();
	struct vmx_pt_entry e vmx_uninitialized;	/* see vmx_pt_pmd() */
	unsigned long next;
	int ret;

	/* The root: its user half, as user mode sees it under PTI. */
	ret = vmx_pt_table(pw, VMX_LEVEL_PGD, 0, pw->mm->pgd,
			   vmx_user_pgd_table(pw->mm->pgd),
			   pgd_index(TASK_SIZE_MAX - 1) + 1);
	if (ret)
		return ret;
	do {
		pgd_t pgd = vmx_pgdp_get(pgdp);

		next = pgd_addr_end(addr, end);
		if (l5) {
			/*
			 * Under PTI user mode runs on a copy of the root whose
			 * user entries lack the NX the kernel copy carries:
			 * that copy is what the MMU uses for this process's
			 * own accesses.
			 */
			vmx_pt_entry_init(&e, VMX_LEVEL_PGD, PGDIR_SHIFT, addr,
					  next, pgd_index(addr),
					  pgd_val(vmx_user_pgd(pgdp, pgd)),
					  pgd_val(pgd), vmx_user_pgd_table(pgdp));
			if (pgd_none(pgd))
				e.kind = VMX_PT_NONE;
			ret = vmx_pt_call(pw, ops->entry, &e);
			if (ret)
				return ret;
			if (e.kind == VMX_PT_NONE) {
				ret = vmx_pt_call(pw, ops->hole, &e);
				if (ret)
					return ret;
				continue;
			}
			ret = vmx_pt_call(pw, ops->descend, &e);
			if (ret)
				return ret;
		}
		ret = vmx_pt_p4d(pw, pgdp, addr, next);
		if (ret)
			return ret;
	} while (pgdp++, addr = next, addr != end);
	return 0;
}

int vmx_pt_walk(struct vmx_pt_walk *pw, struct vm_area_struct *vma,
		unsigned long start, unsigned long end)
{
	struct address_space *shared;
	int ret;

	mmap_assert_locked(pw->mm);
	shared = vma ? vmx_lock_shared_tables(vma) : NULL;
	ret = vmx_pt_pgd(pw, start, end);
	vmx_unlock_shared_tables(shared);
	return ret;
}
