// SPDX-License-Identifier: GPL-2.0
/*
 * VMX_IOC_EDIT on the test thread's own mm. The oracles: the entry read
 * back by an independent walk (VMX_IOC_RESOLVE's), and what the MMU and
 * the fault handler do next: a write to a write-protected exclusive page
 * faults and succeeds, making it writable again; a read after clearing
 * Accessed sets it again; a write after clearing soft-dirty sets it again.
 * And the refusals, MMU notifiers included.
 */
#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/mmu_notifier.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "vmx_priv.h"

struct edit_ctx {
	unsigned long anon;	/* 2 private anonymous pages, page 0 written */
	unsigned long shared;	/* 1 shared anonymous page, written */
	unsigned long ubuf;	/* one page for ioctl requests */
	int allow;		/* allow_edits before the test */
};

static int edit_init(struct kunit *test)
{
	struct edit_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	char c = 1;

	KUNIT_ASSERT_NOT_NULL(test, ctx);
	ctx->anon = kunit_vm_mmap(test, NULL, 0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, 0);
	ctx->shared = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
				    MAP_SHARED | MAP_ANONYMOUS, 0);
	ctx->ubuf = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(ctx->anon) || !ctx->anon);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(ctx->shared) || !ctx->shared);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(ctx->ubuf) || !ctx->ubuf);
	KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)ctx->anon, &c, 1), 0UL);
	KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)ctx->shared, &c, 1), 0UL);
	ctx->allow = vmx_allow_edits;
	test->priv = ctx;
	return 0;
}

static void edit_exit(struct kunit *test)
{
	struct edit_ctx *ctx = test->priv;

	vmx_allow_edits = ctx->allow;
}

/* The PTE as a separate walk reads it. */
static u64 pte_of(struct kunit *test, unsigned long addr)
{
	struct vmx_resolve *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	r->addr = addr;
	KUNIT_ASSERT_EQ(test, vmx_resolve_locked(current->mm, r, NULL), 0);
	return r->result == VMX_RESOLVE_MAPPED ? r->final.raw : 0;
}

static int edit(unsigned long addr, u32 set, u32 clear, u64 flags, struct vmx_edit *out)
{
	struct vmx_edit e = {
		.addr = addr, .set = set, .clear = clear, .flags = flags,
	};
	int ret = vmx_edit_mm(current->mm, &e);

	if (out)
		*out = e;
	return ret;
}

/* Write-protected: the next write faults, succeeds, and makes it writable. */
static void edit_write_protect(struct kunit *test)
{
	struct edit_ctx *ctx = test->priv;
	unsigned long flt;
	struct vmx_edit e;
	char c = 2;

	KUNIT_ASSERT_TRUE(test, pte_of(test, ctx->anon) & _PAGE_RW);
	KUNIT_ASSERT_EQ(test, edit(ctx->anon, 0, VMX_EDIT_WRITE, 0, &e), 0);
	KUNIT_EXPECT_TRUE(test, e.old & _PAGE_RW);
	KUNIT_EXPECT_FALSE(test, e.new & _PAGE_RW);
	KUNIT_EXPECT_EQ(test, e.flushed, 1U);
	KUNIT_EXPECT_EQ(test, e.tainted, 0U);
	KUNIT_EXPECT_EQ(test, pte_of(test, ctx->anon), e.new);
	flt = current->min_flt;
	KUNIT_EXPECT_EQ(test, copy_to_user((void __user *)ctx->anon, &c, 1), 0UL);
	KUNIT_EXPECT_GT(test, current->min_flt, flt);
	KUNIT_EXPECT_TRUE(test, pte_of(test, ctx->anon) & _PAGE_RW);
	KUNIT_EXPECT_EQ(test, pte_of(test, ctx->anon) & PTE_PFN_MASK, e.old & PTE_PFN_MASK);
}

/* Accessed cleared; a read through a flushed TLB sets it again. */
static void edit_clear_accessed(struct kunit *test)
{
	struct edit_ctx *ctx = test->priv;
	struct vmx_edit e;
	char c;

	KUNIT_ASSERT_EQ(test, edit(ctx->anon, 0, VMX_EDIT_ACCESSED, 0, &e), 0);
	KUNIT_EXPECT_FALSE(test, pte_of(test, ctx->anon) & _PAGE_ACCESSED);
	KUNIT_EXPECT_EQ(test, copy_from_user(&c, (void __user *)ctx->anon, 1), 0UL);
	KUNIT_EXPECT_TRUE(test, pte_of(test, ctx->anon) & _PAGE_ACCESSED);
}

/* As clear_refs: soft-dirty cleared and write-protected; a write sets both. */
static void edit_clear_soft_dirty(struct kunit *test)
{
	struct edit_ctx *ctx = test->priv;
	struct vmx_edit e;
	char c = 3;

	if (!IS_ENABLED(CONFIG_MEM_SOFT_DIRTY)) {
		KUNIT_EXPECT_EQ(test, edit(ctx->anon, 0, VMX_EDIT_SOFT_DIRTY, 0, NULL),
				-EOPNOTSUPP);
		return;
	}
	KUNIT_ASSERT_EQ(test, edit(ctx->anon, 0, VMX_EDIT_SOFT_DIRTY, 0, &e), 0);
	KUNIT_EXPECT_FALSE(test, e.new & (_PAGE_SOFT_DIRTY | _PAGE_RW));
	KUNIT_EXPECT_EQ(test, copy_to_user((void __user *)ctx->anon, &c, 1), 0UL);
	KUNIT_EXPECT_TRUE(test, pte_of(test, ctx->anon) & _PAGE_SOFT_DIRTY);
	KUNIT_EXPECT_TRUE(test, pte_of(test, ctx->anon) & _PAGE_RW);
}

/* expect, dry run, and an experiment that taints. */
static void edit_cas_dry_run_taint(struct kunit *test)
{
	struct edit_ctx *ctx = test->priv;
	u64 now = pte_of(test, ctx->anon);
	struct vmx_edit e = {
		.addr = ctx->anon, .clear = VMX_EDIT_WRITE,
		.flags = VMX_EDIT_EXPECT, .expect = now ^ _PAGE_DIRTY,
	};

	KUNIT_EXPECT_EQ(test, vmx_edit_mm(current->mm, &e), -EAGAIN);
	KUNIT_EXPECT_EQ(test, pte_of(test, ctx->anon), now);
	KUNIT_ASSERT_EQ(test, edit(ctx->anon, 0, VMX_EDIT_WRITE, VMX_EDIT_DRY_RUN, &e), 0);
	KUNIT_EXPECT_FALSE(test, e.new & _PAGE_RW);
	KUNIT_EXPECT_EQ(test, e.new & PTE_PFN_MASK, e.old & PTE_PFN_MASK);
	KUNIT_EXPECT_EQ(test, e.flushed, 0U);
	KUNIT_EXPECT_EQ(test, pte_of(test, ctx->anon), now);

	/* Data pages are NX already: making one executable is the change. */
	KUNIT_ASSERT_TRUE(test, now & _PAGE_NX);
	KUNIT_ASSERT_EQ(test, edit(ctx->anon, 0, VMX_EDIT_NX, VMX_EDIT_NO_FLUSH, &e), 0);
	KUNIT_EXPECT_EQ(test, e.tainted, 1U);
	KUNIT_EXPECT_EQ(test, e.flushed, 0U);
	KUNIT_EXPECT_FALSE(test, pte_of(test, ctx->anon) & _PAGE_NX);
}

/* What is refused at every level, and through the ioctl at each level. */
static void edit_refusals(struct kunit *test)
{
	struct edit_ctx *ctx = test->priv;
	u64 zero_page_pte;
	struct vmx_edit e = {
		.size = sizeof(e), .pid = 1, .start_time = 1, .addr = 0x10000,
		.clear = VMX_EDIT_WRITE,
	};
	char c;

	/* Write only on an exclusive anonymous page: not shmem, not the zero page. */
	KUNIT_EXPECT_EQ(test, edit(ctx->shared, VMX_EDIT_WRITE, 0, 0, NULL), -EACCES);
	KUNIT_ASSERT_EQ(test, copy_from_user(&c, (void __user *)(ctx->anon + PAGE_SIZE), 1),
			0UL);
	zero_page_pte = pte_of(test, ctx->anon + PAGE_SIZE);
	KUNIT_EXPECT_FALSE(test, zero_page_pte & _PAGE_RW);
	KUNIT_EXPECT_EQ(test, edit(ctx->anon + PAGE_SIZE, VMX_EDIT_WRITE, 0, 0, NULL), -EACCES);
	KUNIT_EXPECT_EQ(test, pte_of(test, ctx->anon + PAGE_SIZE), zero_page_pte);
	/* Clean only on anonymous swap-backed pages. */
	KUNIT_EXPECT_EQ(test, edit(ctx->shared, 0, VMX_EDIT_DIRTY, 0, NULL), -EACCES);
	/* Nothing present; no VMA. */
	KUNIT_EXPECT_EQ(test, edit(ctx->ubuf, 0, VMX_EDIT_ACCESSED, 0, NULL), -ENOENT);
	KUNIT_EXPECT_EQ(test, edit(PAGE_SIZE, 0, VMX_EDIT_ACCESSED, 0, NULL), -ENOENT);

	vmx_allow_edits = 0;
	KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)ctx->ubuf, &e, sizeof(e)), 0UL);
	KUNIT_EXPECT_EQ(test, vmx_ioctl(VMX_IOC_EDIT, ctx->ubuf), -EPERM);
	/*
	 * A dry run writes nothing: neither allow_edits nor the level of the
	 * change (NX is level 2) stops it. ESRCH (a start time that is not
	 * init's) shows it got past both to the target's lookup.
	 */
	e.flags = VMX_EDIT_DRY_RUN;
	e.set = VMX_EDIT_NX;
	e.clear = 0;
	e.start_time = 0x7fffffff;
	KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)ctx->ubuf, &e, sizeof(e)), 0UL);
	KUNIT_EXPECT_EQ(test, vmx_ioctl(VMX_IOC_EDIT, ctx->ubuf), -ESRCH);
	e.flags = 0;
	KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)ctx->ubuf, &e, sizeof(e)), 0UL);
	KUNIT_EXPECT_EQ(test, vmx_ioctl(VMX_IOC_EDIT, ctx->ubuf), -EPERM);
	e.set = 0;
	e.clear = VMX_EDIT_WRITE;
	e.start_time = 1;
	vmx_allow_edits = 1;
	e.clear = 0;
	e.set = VMX_EDIT_NX;
	KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)ctx->ubuf, &e, sizeof(e)), 0UL);
	KUNIT_EXPECT_EQ(test, vmx_ioctl(VMX_IOC_EDIT, ctx->ubuf), -EACCES);
	e.clear = VMX_EDIT_NX;	/* set and cleared at once */
	KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)ctx->ubuf, &e, sizeof(e)), 0UL);
	KUNIT_EXPECT_EQ(test, vmx_ioctl(VMX_IOC_EDIT, ctx->ubuf), -EINVAL);
	e.set = 0;
	e.clear = 1U << 7;	/* no such flag: Present, PS, Global have none */
	KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)ctx->ubuf, &e, sizeof(e)), 0UL);
	KUNIT_EXPECT_EQ(test, vmx_ioctl(VMX_IOC_EDIT, ctx->ubuf), -EINVAL);
	e.clear = VMX_EDIT_WRITE;
	e.start_time = 0;
	KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)ctx->ubuf, &e, sizeof(e)), 0UL);
	KUNIT_EXPECT_EQ(test, vmx_ioctl(VMX_IOC_EDIT, ctx->ubuf), -EINVAL);
	e.start_time = 0x7fffffff;	/* not init's */
	KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)ctx->ubuf, &e, sizeof(e)), 0UL);
	KUNIT_EXPECT_EQ(test, vmx_ioctl(VMX_IOC_EDIT, ctx->ubuf), -ESRCH);
}

/*
 * Finding 17 of the reliability review: leaving the TLB unflushed is an
 * experiment (level 2); set write follows the VMA (not behind
 * mprotect(PROT_READ)); memory types are refused. (That EAGAIN hands back
 * the entry as it is now is checked end to end, on a live process.)
 */
static void edit_rules_of_the_review(struct kunit *test)
{
	struct edit_ctx *ctx = test->priv;
	unsigned long ro = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_READ,
					 MAP_PRIVATE | MAP_ANONYMOUS, 0);
	struct vmx_edit e = {
		.size = sizeof(e), .pid = 1, .start_time = 1, .addr = 0x10000,
		.clear = VMX_EDIT_ACCESSED,
	};
	char c;

	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(ro) || !ro);
	vmx_allow_edits = 1;
	/* --no-flush at level 1: refused, whatever the change. */
	e.flags = VMX_EDIT_NO_FLUSH;
	KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)ctx->ubuf, &e, sizeof(e)), 0UL);
	KUNIT_EXPECT_EQ(test, vmx_ioctl(VMX_IOC_EDIT, ctx->ubuf), -EACCES);
	/* pwt/pcd at any level. */
	vmx_allow_edits = 2;
	e.flags = 0;
	e.clear = 0;
	e.set = VMX_EDIT_PCD;
	KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)ctx->ubuf, &e, sizeof(e)), 0UL);
	KUNIT_EXPECT_EQ(test, vmx_ioctl(VMX_IOC_EDIT, ctx->ubuf), -EOPNOTSUPP);
	/* Write on a read-only VMA: even an exclusive anonymous page stays read-only. */
	KUNIT_ASSERT_EQ(test, copy_from_user(&c, (void __user *)ro, 1), 0UL);
	KUNIT_EXPECT_EQ(test, edit(ro, VMX_EDIT_WRITE, 0, 0, NULL), -EACCES);
	KUNIT_EXPECT_EQ(test, copy_to_user((void __user *)ro, &c, 1), 1UL);
}

static const struct mmu_notifier_ops edit_test_mn_ops;

/*
 * An mm with an MMU notifier (as KVM, an IOMMU or HMM would add): edits and
 * remaps are refused, since the notifier's owner would keep the old entry.
 * The subscription outlives unregistering, so this runs on its own mm.
 */
static void edit_refused_with_notifier(struct kunit *test)
{
	struct edit_ctx *ctx = test->priv;
	struct mmu_notifier mn = { .ops = &edit_test_mn_ops };
	struct vmx_remap r = {
		.op = VMX_REMAP_MAP, .pages = 1,
		.src_addr = ctx->shared, .win_addr = ctx->ubuf,
	};

	KUNIT_ASSERT_EQ(test, mmu_notifier_register(&mn, current->mm), 0);
	KUNIT_EXPECT_EQ(test, edit(ctx->anon, 0, VMX_EDIT_ACCESSED, 0, NULL), -EBUSY);
	KUNIT_EXPECT_EQ(test, vmx_remap_mms(NULL, current->mm, current->mm, &r), -EBUSY);
	mmu_notifier_unregister(&mn, current->mm);
}

static struct kunit_case edit_cases[] = {
	KUNIT_CASE(edit_write_protect),
	KUNIT_CASE(edit_clear_accessed),
	KUNIT_CASE(edit_clear_soft_dirty),
	KUNIT_CASE(edit_cas_dry_run_taint),
	KUNIT_CASE(edit_refusals),
	KUNIT_CASE(edit_rules_of_the_review),
	KUNIT_CASE(edit_refused_with_notifier),
	{}
};

static struct kunit_suite edit_suite = {
	.name = "vmx_edit",
	.init = edit_init,
	.exit = edit_exit,
	.test_cases = edit_cases,
};

kunit_test_suite(edit_suite);
