// SPDX-License-Identifier: GPL-2.0
/*
 * Resolve, peek, phys and VMAS on the test thread's own mm (kunit_vm_mmap), with
 * get_user_pages_remote(), virt_to_phys(), lookup_address() and the bytes
 * the test wrote as oracles; and the answers to bad input.
 */
#include <kunit/test.h>
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "vmx_priv.h"

#define IT_PAGES	8
#define IT_BYTE		0x5a

struct inspect_ctx {
	unsigned long addr;	/* IT_PAGES pages, the even ones written */
	unsigned long ubuf;	/* one user page for ioctl requests */
};

static int inspect_init(struct kunit *test)
{
	struct inspect_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	u8 v = IT_BYTE;
	unsigned long i;

	KUNIT_ASSERT_NOT_NULL(test, ctx);
	ctx->addr = kunit_vm_mmap(test, NULL, 0, IT_PAGES * PAGE_SIZE,
				  PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, 0);
	ctx->ubuf = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
				  MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(ctx->addr) || !ctx->addr);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(ctx->ubuf) || !ctx->ubuf);
	for (i = 0; i < IT_PAGES; i += 2)
		KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)(ctx->addr + i * PAGE_SIZE + 7),
						   &v, 1), 0);
	test->priv = ctx;
	return 0;
}

static struct vmx_resolve *resolve_user(struct kunit *test, unsigned long addr,
					struct page **pagep)
{
	struct vmx_resolve *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	r->addr = addr;
	KUNIT_ASSERT_EQ(test, vmx_resolve_locked(current->mm, r, pagep), 0);
	return r;
}

/* Each step's table is where the step above points; the root is mm->pgd. */
static void expect_chain(struct kunit *test, const struct vmx_resolve *r)
{
	unsigned int i, levels = pgtable_l5_enabled() ? 5 : 4;

	KUNIT_EXPECT_EQ(test, r->root_pa, (u64)__pa(current->mm->pgd));
	KUNIT_EXPECT_EQ(test, r->steps[0].level, (u32)VMX_LEVEL_PGD);
	KUNIT_EXPECT_LE(test, r->nr_steps, levels);
	for (i = 1; i < r->nr_steps; i++) {
		KUNIT_EXPECT_EQ_MSG(test, r->steps[i].table_pa,
				    r->steps[i - 1].entry & PTE_PFN_MASK, "step %u", i);
		KUNIT_EXPECT_LT_MSG(test, r->steps[i].level, r->steps[i - 1].level,
				    "step %u", i);
	}
}

static void resolve_matches_gup(struct kunit *test)
{
	struct inspect_ctx *ctx = test->priv;
	unsigned long addr = ctx->addr + 2 * PAGE_SIZE + 0x123;
	struct vmx_resolve *r = resolve_user(test, addr, NULL);
	struct page *page;

	KUNIT_ASSERT_EQ(test, r->result, (u32)VMX_RESOLVE_MAPPED);
	KUNIT_EXPECT_EQ(test, r->in_vma, 1U);
	KUNIT_EXPECT_EQ(test, r->nr_steps, pgtable_l5_enabled() ? 5U : 4U);
	KUNIT_EXPECT_EQ(test, r->steps[r->nr_steps - 1].level, (u32)VMX_LEVEL_PTE);
	KUNIT_EXPECT_EQ(test, r->steps[r->nr_steps - 1].index,
			(u32)((addr >> PAGE_SHIFT) & 511));
	KUNIT_EXPECT_EQ(test, r->final.kind, VMX_KIND_LEAF);
	KUNIT_EXPECT_TRUE(test, r->final.page & VMX_PAGE_ANON);
	expect_chain(test, r);
	mmap_read_lock(current->mm);
	KUNIT_ASSERT_EQ(test, get_user_pages_remote(current->mm, addr, 1, 0, &page, NULL), 1L);
	mmap_read_unlock(current->mm);
	KUNIT_EXPECT_EQ(test, r->pa, (u64)PFN_PHYS(page_to_pfn(page)) + 0x123);
	put_page(page);
}

static void resolve_not_mapped(struct kunit *test)
{
	struct inspect_ctx *ctx = test->priv;
	struct vmx_resolve *r = resolve_user(test, ctx->addr + PAGE_SIZE, NULL);

	/* An untouched page of a populated table: an empty PTE. */
	KUNIT_EXPECT_EQ(test, r->result, (u32)VMX_RESOLVE_NONE);
	KUNIT_EXPECT_EQ(test, r->in_vma, 1U);
	KUNIT_EXPECT_EQ(test, r->steps[r->nr_steps - 1].level, (u32)VMX_LEVEL_PTE);
	KUNIT_EXPECT_EQ(test, r->steps[r->nr_steps - 1].entry, 0ULL);
	expect_chain(test, r);
	/* Far from every VMA: the walk ends at an empty upper entry. */
	r = resolve_user(test, 1UL << 40, NULL);
	KUNIT_EXPECT_EQ(test, r->result, (u32)VMX_RESOLVE_NONE);
	KUNIT_EXPECT_EQ(test, r->in_vma, 0U);
	KUNIT_EXPECT_GT(test, r->steps[r->nr_steps - 1].level, (u32)VMX_LEVEL_PTE);
}

static void resolve_kernel_matches(struct kunit *test)
{
	struct vmx_resolve *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	void *obj = kunit_kmalloc(test, 64, GFP_KERNEL);
	void *v = vmalloc(2 * PAGE_SIZE);
	unsigned int level;

	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	KUNIT_ASSERT_NOT_NULL(test, v);
	r->addr = (unsigned long)obj;
	KUNIT_ASSERT_EQ(test, vmx_resolve_kernel(r), 0);
	KUNIT_EXPECT_EQ(test, r->result, (u32)VMX_RESOLVE_MAPPED);
	KUNIT_EXPECT_EQ(test, r->pa, (u64)virt_to_phys(obj));
	lookup_address(r->addr, &level);
	KUNIT_EXPECT_EQ(test, r->final.level,
			level == PG_LEVEL_1G ? VMX_LEVEL_PUD :
			level == PG_LEVEL_2M ? VMX_LEVEL_PMD : VMX_LEVEL_PTE);
	expect_chain(test, r);

	memset(r, 0, sizeof(*r));
	r->addr = (unsigned long)v + PAGE_SIZE + 5;
	KUNIT_ASSERT_EQ(test, vmx_resolve_kernel(r), 0);
	KUNIT_EXPECT_EQ(test, r->result, (u32)VMX_RESOLVE_MAPPED);
	KUNIT_EXPECT_EQ(test, r->pa, (u64)PFN_PHYS(vmalloc_to_pfn(v + PAGE_SIZE)) + 5);
	KUNIT_EXPECT_EQ(test, r->final.level, VMX_LEVEL_PTE);
	vfree(v);

	memset(r, 0, sizeof(*r));
	r->addr = 0x1000;	/* a user address */
	KUNIT_EXPECT_EQ(test, vmx_resolve_kernel(r), -EINVAL);
}

/* The page peek reads is the one mapped, with the bytes written there. */
static void peek_page_holds_the_bytes(struct kunit *test)
{
	struct inspect_ctx *ctx = test->priv;
	struct page *page = NULL;
	u8 *kaddr;

	resolve_user(test, ctx->addr + 4 * PAGE_SIZE, &page);
	KUNIT_ASSERT_NOT_NULL(test, page);
	kaddr = kmap_local_page(page);
	KUNIT_EXPECT_EQ(test, kaddr[7], IT_BYTE);
	KUNIT_EXPECT_EQ(test, kaddr[8], 0);
	kunmap_local(kaddr);
	put_page(page);
	page = NULL;
	resolve_user(test, ctx->addr + 3 * PAGE_SIZE, &page);
	KUNIT_EXPECT_NULL(test, page);
}

static long call(struct kunit *test, unsigned int cmd, void *req, size_t size)
{
	struct inspect_ctx *ctx = test->priv;
	void __user *u = (void __user *)ctx->ubuf;
	long ret;

	KUNIT_ASSERT_EQ(test, copy_to_user(u, req, size), 0);
	ret = vmx_ioctl(cmd, ctx->ubuf);
	if (!ret)
		KUNIT_ASSERT_EQ(test, copy_from_user(req, u, size), 0);
	return ret;
}

static u32 phys_type(struct kunit *test, u64 pa, long *err)
{
	struct vmx_phys p = { .size = sizeof(p), .pa = pa };

	*err = call(test, VMX_IOC_PHYS, &p, sizeof(p));
	if (!*err)
		KUNIT_EXPECT_EQ(test, p.direct_map, (u64)(unsigned long)__va(pa));
	return p.type;
}

static void phys_types(struct kunit *test)
{
	struct inspect_ctx *ctx = test->priv;
	void *obj = kunit_kmalloc(test, 64, GFP_KERNEL);
	struct page *page = alloc_page(GFP_KERNEL);
	struct vmx_resolve *r = resolve_user(test, ctx->addr, NULL);
	long err;

	KUNIT_ASSERT_NOT_NULL(test, obj);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, phys_type(test, virt_to_phys(obj), &err), (u32)VMX_PHYS_SLAB);
	KUNIT_EXPECT_EQ(test, phys_type(test, PFN_PHYS(page_to_pfn(page)), &err),
			(u32)VMX_PHYS_OTHER);
	__free_page(page);
	KUNIT_EXPECT_EQ(test, phys_type(test, r->pa, &err), (u32)VMX_PHYS_ANON);
	KUNIT_EXPECT_EQ(test, phys_type(test, r->steps[r->nr_steps - 1].table_pa, &err),
			(u32)VMX_PHYS_PAGETABLE);
	phys_type(test, vmx_phys_ram_end(), &err);
	KUNIT_EXPECT_EQ(test, err, -ERANGE);
}

static void inspect_bad_input(struct kunit *test)
{
	struct vmx_resolve r = { .size = sizeof(r), .addr = 0x1000 };
	struct vmx_peek p = { .size = sizeof(p), .len = 1, .pid = 1 };
	struct vmx_phys ph = { .size = sizeof(ph) };

	/* The test thread's mm is its own, not get_task_mm()'s. */
	r.pid = current->pid;
	KUNIT_EXPECT_EQ(test, call(test, VMX_IOC_RESOLVE, &r, sizeof(r)), -ENXIO);
	r.pid = 0x3fffffff;
	KUNIT_EXPECT_EQ(test, call(test, VMX_IOC_RESOLVE, &r, sizeof(r)), -ESRCH);
	r.pid = 1;
	r.flags = VMX_RESOLVE_FLAGS_ALL + 1;
	KUNIT_EXPECT_EQ(test, call(test, VMX_IOC_RESOLVE, &r, sizeof(r)), -EINVAL);
	r.flags = 0;
	r.addr = TASK_SIZE_MAX;
	KUNIT_EXPECT_EQ(test, call(test, VMX_IOC_RESOLVE, &r, sizeof(r)), -EINVAL);
	r.flags = VMX_RESOLVE_KERNEL;
	r.addr = 1UL << 62;	/* non-canonical */
	KUNIT_EXPECT_EQ(test, call(test, VMX_IOC_RESOLVE, &r, sizeof(r)), -EINVAL);

	p.addr = 0x1000;
	p.len = PAGE_SIZE + 1;
	KUNIT_EXPECT_EQ(test, call(test, VMX_IOC_PEEK, &p, sizeof(p)), -EINVAL);
	p.addr = 0x1ff0;
	p.len = 17;	/* past the end of the page */
	KUNIT_EXPECT_EQ(test, call(test, VMX_IOC_PEEK, &p, sizeof(p)), -EINVAL);
	p.len = 0;
	KUNIT_EXPECT_EQ(test, call(test, VMX_IOC_PEEK, &p, sizeof(p)), -EINVAL);
	p.len = 1;
	p.addr = TASK_SIZE_MAX;
	KUNIT_EXPECT_EQ(test, call(test, VMX_IOC_PEEK, &p, sizeof(p)), -EINVAL);
	p.addr = 0x1000;
	p.flags = 1;
	KUNIT_EXPECT_EQ(test, call(test, VMX_IOC_PEEK, &p, sizeof(p)), -EINVAL);

	ph.pa = U64_MAX & PAGE_MASK;
	KUNIT_EXPECT_EQ(test, call(test, VMX_IOC_PHYS, &ph, sizeof(ph)), -ERANGE);
	ph.pa = 0;
	ph.reserved = 1;
	KUNIT_EXPECT_EQ(test, call(test, VMX_IOC_PHYS, &ph, sizeof(ph)), -EINVAL);
}

/* init's VMAs through the ioctl, a page of them at a time; bad input. */
static void vmas_of_init(struct kunit *test)
{
	struct inspect_ctx *ctx = test->priv;
	struct vmx_vmas d = {
		.size = sizeof(d), .pid = 1, .entry_size = sizeof(struct vmx_vma),
		.entries = ctx->addr, .max_entries = PAGE_SIZE / sizeof(struct vmx_vma),
	};
	struct vmx_vma v, v1 = { };
	struct vmx_vmas bad;

	KUNIT_ASSERT_EQ(test, call(test, VMX_IOC_VMAS, &d, sizeof(d)), 0L);
	KUNIT_ASSERT_GT(test, d.count, 0U);
	KUNIT_ASSERT_EQ(test, copy_from_user(&v, (void __user *)ctx->addr, sizeof(v)), 0UL);
	KUNIT_EXPECT_LT(test, v.start, v.end);
	KUNIT_EXPECT_GE(test, d.cursor, v.end);
	KUNIT_EXPECT_LE(test, d.cursor, (u64)TASK_SIZE_MAX);

	bad = d;
	bad.pid = current->pid;	/* a kernel thread: no user address space */
	KUNIT_EXPECT_EQ(test, call(test, VMX_IOC_VMAS, &bad, sizeof(bad)), -ENXIO);
	/* The module's decoding agrees with the raw vm_flags it also gives. */
	KUNIT_EXPECT_EQ(test, v.attrs, (u32)(v.flags & VMX_VMA_ATTRS));
	KUNIT_EXPECT_EQ(test, !!(v.vm_flags & VM_READ), !!(v.flags & VMX_VMA_READ));
	KUNIT_EXPECT_EQ(test, !!(v.vm_flags & VM_WRITE), !!(v.flags & VMX_VMA_WRITE));
	KUNIT_EXPECT_EQ(test, !!(v.vm_flags & VM_EXEC), !!(v.flags & VMX_VMA_EXEC));
	KUNIT_EXPECT_EQ(test, !!(v.vm_flags & VM_MAYSHARE), !!(v.flags & VMX_VMA_MAYSHARE));
	KUNIT_EXPECT_EQ(test, v.flags & ~vmx_vma_flags_valid(), 0ULL);
	/* ABI 1's entries end before @flags: the same VMA, cut there. */
	bad = d;
	bad.cursor = 0;
	bad.entry_size = offsetof(struct vmx_vma, flags);
	KUNIT_EXPECT_EQ(test, call(test, VMX_IOC_VMAS, &bad, sizeof(bad)), 0L);
	KUNIT_ASSERT_EQ(test, copy_from_user(&v1, (void __user *)ctx->addr,
					     offsetof(struct vmx_vma, flags)), 0UL);
	KUNIT_EXPECT_EQ(test, v1.start, v.start);
	KUNIT_EXPECT_EQ(test, v1.vm_flags, v.vm_flags);
	bad = d;
	bad.entry_size = offsetof(struct vmx_vma, flags) - 8;
	KUNIT_EXPECT_EQ(test, call(test, VMX_IOC_VMAS, &bad, sizeof(bad)), -EINVAL);
	bad = d;
	bad.entry_size = 4097;
	KUNIT_EXPECT_EQ(test, call(test, VMX_IOC_VMAS, &bad, sizeof(bad)), -EINVAL);
	bad = d;
	bad.max_entries = 0;
	KUNIT_EXPECT_EQ(test, call(test, VMX_IOC_VMAS, &bad, sizeof(bad)), -EINVAL);
	bad = d;
	bad.cursor = TASK_SIZE_MAX + 1;
	KUNIT_EXPECT_EQ(test, call(test, VMX_IOC_VMAS, &bad, sizeof(bad)), -EINVAL);
	bad = d;
	bad.cursor = 0;		/* from the start again: there are VMAs to copy */
	bad.entries = 0x10;
	KUNIT_EXPECT_EQ(test, call(test, VMX_IOC_VMAS, &bad, sizeof(bad)), -EFAULT);
}

static struct kunit_case inspect_cases[] = {
	KUNIT_CASE(resolve_matches_gup),
	KUNIT_CASE(resolve_not_mapped),
	KUNIT_CASE(resolve_kernel_matches),
	KUNIT_CASE(peek_page_holds_the_bytes),
	KUNIT_CASE(phys_types),
	KUNIT_CASE(inspect_bad_input),
	KUNIT_CASE(vmas_of_init),
	{}
};

static struct kunit_suite inspect_suite = {
	.name = "vmx_inspect",
	.init = inspect_init,
	.test_cases = inspect_cases,
};

kunit_test_suite(inspect_suite);
