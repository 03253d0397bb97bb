// SPDX-License-Identifier: GPL-2.0
/*
 * Working on one PTE of a user mm under its table's lock. Since 6.5 a PTE
 * table can be freed (after an RCU grace period, e.g. by khugepaged) while
 * only the mmap lock is held, and the kernel's __pte_offset_map_lock() is
 * not exported, so this is its recipe: read the PMD under RCU, lock the
 * table it names, and check that the PMD still names it. The work runs as
 * a callback so that every lock is taken and dropped in this one function.
 */
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>

#include "vmx_compat.h"
#include "pt_walk.h"

int vmx_with_pte_locked(struct mm_struct *mm, pmd_t *pmdp, unsigned long addr,
			vmx_pte_fn fn, void *arg)
{
	spinlock_t *ptl;	/* the PTE table's lock */
	pmd_t pmdval;
	pte_t *ptep;
	int ret;

again:
	rcu_read_lock();
	pmdval = vmx_pmdp_get_lockless(pmdp);
	if (!pmd_present(pmdval) || pmd_trans_huge(pmdval) || pmd_leaf(pmdval) ||
	    pmd_bad(pmdval)) {
		rcu_read_unlock();
		return -ENOENT;
	}
	ptep = pte_offset_kernel(&pmdval, addr);
	ptl = pte_lockptr(mm, &pmdval);
	spin_lock(ptl);
	if (!pmd_same(pmdval, vmx_pmdp_get_lockless(pmdp))) {
		spin_unlock(ptl);
		rcu_read_unlock();
		goto again;
	}
	ret = fn(ptep, pmdval, arg);
	spin_unlock(ptl);
	rcu_read_unlock();
	return ret;
}
