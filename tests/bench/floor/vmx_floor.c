// SPDX-License-Identifier: GPL-2.0
/*
 * vmx_floor.ko, for make bench only: the floor under VMX_IOC_DUMP. It walks
 * the writer's own page tables over a range, under the locks vmx takes (the
 * mmap lock in read mode, each PTE table's lock after checking its PMD, the
 * PMD lock for huge PMDs), and reads every present entry: no record, no
 * copy-out. Write "START END" (hex) to /sys/kernel/debug/vmx_floor, read
 * back "NS ENTRIES" of that walk, timed in the kernel.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pgtable.h>
#include <linux/rcupdate.h>
#include <linux/sched/mm.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>

static DEFINE_MUTEX(floor_lock);
static u64 floor_ns, floor_entries;
static struct dentry *floor_file;

static unsigned long floor_ptes(struct mm_struct *mm, pmd_t *pmdp,
				unsigned long addr, unsigned long end)
{
	unsigned long n = 0;
	spinlock_t *ptl;	/* the PTE table's lock */
	pmd_t pmdval;
	pte_t *pte;

	rcu_read_lock();
	pmdval = READ_ONCE(*pmdp);
	if (!pmd_present(pmdval) || pmd_leaf(pmdval) || pmd_bad(pmdval)) {
		rcu_read_unlock();
		return 0;
	}
	pte = pte_offset_kernel(&pmdval, addr);
	ptl = pte_lockptr(mm, &pmdval);
	spin_lock(ptl);
	if (pmd_same(pmdval, READ_ONCE(*pmdp)))
		for (; addr != end; pte++, addr += PAGE_SIZE)
			n += pte_present(ptep_get(pte));
	spin_unlock(ptl);
	rcu_read_unlock();
	return n;
}

static unsigned long floor_pmds(struct mm_struct *mm, pud_t *pudp,
				unsigned long addr, unsigned long end)
{
	pmd_t *pmdp = pmd_offset(pudp, addr);
	unsigned long next, n = 0;

	do {
		pmd_t pmd = READ_ONCE(*pmdp);

		next = pmd_addr_end(addr, end);
		if (pmd_none(pmd))
			continue;
		if (pmd_leaf(pmd)) {
			spinlock_t *ptl = pmd_lock(mm, pmdp);

			n += pmd_present(READ_ONCE(*pmdp));
			spin_unlock(ptl);
			continue;
		}
		n += floor_ptes(mm, pmdp, addr, next);
	} while (pmdp++, addr = next, addr != end);
	return n;
}

static unsigned long floor_puds(struct mm_struct *mm, p4d_t *p4dp,
				unsigned long addr, unsigned long end)
{
	pud_t *pudp = pud_offset(p4dp, addr);
	unsigned long next, n = 0;

	do {
		pud_t pud = READ_ONCE(*pudp);

		next = pud_addr_end(addr, end);
		if (pud_none(pud))
			continue;
		if (pud_leaf(pud)) {
			spin_lock(&mm->page_table_lock);
			n += pud_present(READ_ONCE(*pudp));
			spin_unlock(&mm->page_table_lock);
			continue;
		}
		n += floor_pmds(mm, pudp, addr, next);
	} while (pudp++, addr = next, addr != end);
	return n;
}

static unsigned long floor_range(struct mm_struct *mm, unsigned long addr,
				 unsigned long end)
{
	pgd_t *pgdp = pgd_offset(mm, addr);
	unsigned long n = 0, next, pnext;

	do {
		p4d_t *p4dp;

		next = pgd_addr_end(addr, end);
		if (pgd_none(READ_ONCE(*pgdp)))
			continue;
		p4dp = p4d_offset(pgdp, addr);
		for (unsigned long a = addr; a != next; p4dp++, a = pnext) {
			pnext = p4d_addr_end(a, next);
			if (!p4d_none(READ_ONCE(*p4dp)))
				n += floor_puds(mm, p4dp, a, pnext);
		}
	} while (pgdp++, addr = next, addr != end);
	return n;
}

/* The range, VMA by VMA as vmx walks it, under the mmap lock. */
static ssize_t floor_write(struct file *file, const char __user *ubuf,
			   size_t len, loff_t *ppos)
{
	struct mm_struct *mm = current->mm;
	unsigned long start, end, n = 0;
	struct vm_area_struct *vma;
	char buf[64];
	u64 t0;

	if (!mm || len >= sizeof(buf) || copy_from_user(buf, ubuf, len))
		return -EINVAL;
	buf[len] = '\0';
	if (sscanf(buf, "%lx %lx", &start, &end) != 2 || start >= end ||
	    end > TASK_SIZE_MAX)
		return -EINVAL;
	start &= PAGE_MASK;
	end = PAGE_ALIGN(end);
	mutex_lock(&floor_lock);
	t0 = ktime_get_ns();
	mmap_read_lock(mm);
	{
		VMA_ITERATOR(vmi, mm, start);

		for_each_vma_range(vmi, vma, end)
			n += floor_range(mm, max(vma->vm_start, start),
					 min(vma->vm_end, end));
	}
	mmap_read_unlock(mm);
	floor_ns = ktime_get_ns() - t0;
	floor_entries = n;
	mutex_unlock(&floor_lock);
	return len;
}

static ssize_t floor_read(struct file *file, char __user *ubuf, size_t len,
			  loff_t *ppos)
{
	char buf[64];
	int n;

	mutex_lock(&floor_lock);
	n = scnprintf(buf, sizeof(buf), "%llu %llu\n", floor_ns, floor_entries);
	mutex_unlock(&floor_lock);
	return simple_read_from_buffer(ubuf, len, ppos, buf, n);
}

static const struct file_operations floor_fops = {
	.owner = THIS_MODULE,
	.read = floor_read,
	.write = floor_write,
};

static int __init floor_init(void)
{
	floor_file = debugfs_create_file("vmx_floor", 0600, NULL, NULL, &floor_fops);
	return 0;
}

static void __exit floor_exit(void)
{
	debugfs_remove(floor_file);
}

module_init(floor_init);
module_exit(floor_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vmx bench: the page-table walk alone, the floor under VMX_IOC_DUMP");
