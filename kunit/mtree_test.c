// SPDX-License-Identifier: GPL-2.0
/*
 * The maple-tree walk against the kernel's own iterator: mas_for_each()
 * reports, for every entry, the leaf node's range (mas.min, mas.max), the
 * slot (mas.offset) and the entry's range (mas.index, mas.last), all from
 * lib/maple_tree.c's decoding; vmx must have decoded the same leaf, slot
 * and range. Run on the test thread's mm with many VMAs, on a tree built
 * here, and through the ioctl on init.
 */
#include <kunit/test.h>
#include <linux/maple_tree.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>

#include "vmx_priv.h"

#define MT_MAX		1024
#define MT_VMAS		96
#define MT_RANGES	300

struct mtree_ctx {
	struct vmx_mtree_walk *w;
	struct vmx_mt_node *n;
	char why[128];
};

static int mtree_init(struct kunit *test)
{
	struct mtree_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, ctx);
	ctx->w = kunit_kzalloc(test, sizeof(*ctx->w), GFP_KERNEL);
	ctx->n = kunit_kcalloc(test, MT_MAX, sizeof(*ctx->n), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx->w);
	KUNIT_ASSERT_NOT_NULL(test, ctx->n);
	test->priv = ctx;
	return 0;
}

/* Parents come first, and each child covers exactly its parent's slot. */
static void expect_shape(struct kunit *test, const struct vmx_mt_node *n,
			 u32 count, u32 height)
{
	u32 i;

	KUNIT_ASSERT_GT(test, count, 0U);
	KUNIT_EXPECT_EQ(test, n[0].parent, VMX_MT_NO_PARENT);
	KUNIT_EXPECT_EQ(test, n[0].min, 0ULL);
	KUNIT_EXPECT_EQ(test, n[0].max, (u64)ULONG_MAX);
	for (i = 0; i < count; i++) {
		const struct vmx_mt_node *p;
		u8 s = n[i].parent_slot;

		KUNIT_EXPECT_EQ(test, n[i].type == VMX_MT_LEAF_64,
				n[i].depth + 1U == height);
		KUNIT_EXPECT_GT(test, n[i].slots, 0);
		KUNIT_EXPECT_EQ(test, n[i].pivot[n[i].slots - 1], n[i].max);
		if (!i)
			continue;
		KUNIT_ASSERT_LT(test, n[i].parent, i);
		p = &n[n[i].parent];
		KUNIT_EXPECT_NE(test, p->type, VMX_MT_LEAF_64);
		KUNIT_EXPECT_TRUE(test, p->used & BIT(s));
		KUNIT_EXPECT_EQ(test, n[i].depth, p->depth + 1);
		KUNIT_EXPECT_EQ(test, n[i].min, s ? p->pivot[s - 1] + 1 : p->min);
		KUNIT_EXPECT_EQ(test, n[i].max, p->pivot[s]);
	}
}

/*
 * How many entries the kernel's iterator finds exactly where vmx says they
 * are; the first that is not goes to ctx->why. No assertions: the caller
 * holds the tree's lock.
 */
static u32 leaves_match_mas(struct mtree_ctx *ctx, struct maple_tree *mt)
{
	MA_STATE(mas, mt, 0, 0);
	const struct vmx_mt_node *n = ctx->n;
	u32 ok = 0, i;
	void *entry;

	ctx->why[0] = 0;
	rcu_read_lock();
	mas_for_each(&mas, entry, ULONG_MAX) {
		const struct vmx_mt_node *leaf = NULL;
		u8 o = mas.offset;

		for (i = 0; i < ctx->w->total && !leaf; i++)
			if (n[i].type == VMX_MT_LEAF_64 && n[i].min == mas.min &&
			    n[i].max == mas.max)
				leaf = &n[i];
		if (!leaf || o >= leaf->slots || !(leaf->used & BIT(o)) ||
		    leaf->pivot[o] != mas.last ||
		    (o ? leaf->pivot[o - 1] + 1 : leaf->min) != mas.index) {
			if (!ctx->why[0])
				snprintf(ctx->why, sizeof(ctx->why),
					 "%lx-%lx in leaf %lx-%lx slot %u: vmx %s",
					 mas.index, mas.last, mas.min, mas.max, o,
					 leaf ? "has another range there" : "has no such leaf");
			continue;
		}
		ok++;
	}
	rcu_read_unlock();
	return ok;
}

/* The test thread's mm, given MT_VMAS more VMAs than it had. */
static void mtree_of_own_mm(struct kunit *test)
{
	struct mtree_ctx *ctx = test->priv;
	struct mm_struct *mm;
	u32 counted, mas_ok = 0;
	int i, ret, map_count;

	for (i = 0; i < MT_VMAS; i++) {
		/* Alternating protections keep neighbours from merging. */
		unsigned long prot = i & 1 ? PROT_READ : PROT_READ | PROT_WRITE;
		unsigned long a = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, prot,
						MAP_ANONYMOUS | MAP_PRIVATE, 0);

		KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(a) || !a);
	}
	mm = current->mm;
	KUNIT_ASSERT_NOT_NULL(test, mm);
	/* Assertions end the test: none may fire with the lock held. */
	mmap_read_lock(mm);
	ret = vmx_mtree_walk(ctx->w, &mm->mm_mt, NULL, 0);
	counted = ctx->w->total;
	if (!ret)
		ret = vmx_mtree_walk(ctx->w, &mm->mm_mt, ctx->n, MT_MAX);
	map_count = mm->map_count;
	if (!ret && ctx->w->total <= MT_MAX)
		mas_ok = leaves_match_mas(ctx, &mm->mm_mt);
	mmap_read_unlock(mm);

	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, ctx->w->total, counted);
	KUNIT_EXPECT_EQ(test, ctx->w->entries, (u32)map_count);
	KUNIT_EXPECT_GE(test, ctx->w->height, 2U);
	KUNIT_ASSERT_LE(test, ctx->w->total, (u32)MT_MAX);
	expect_shape(test, ctx->n, ctx->w->total, ctx->w->height);
	KUNIT_EXPECT_STREQ(test, ctx->why, "");
	KUNIT_EXPECT_EQ(test, mas_ok, ctx->w->entries);
}

/* A tree built here; then one whose recorded height lies. */
static void mtree_built_here(struct kunit *test)
{
	struct mtree_ctx *ctx = test->priv;
	struct maple_tree mt;
	unsigned long i, flags;
	u32 mas_ok = 0;
	int ret;

	mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE);
	for (i = 0; i < MT_RANGES; i++)
		KUNIT_ASSERT_EQ(test, mtree_store_range(&mt, i * 0x10000, i * 0x10000 + 0xfff,
							xa_mk_value(i), GFP_KERNEL), 0);
	mtree_lock(&mt);
	ret = vmx_mtree_walk(ctx->w, &mt, ctx->n, MT_MAX);
	if (!ret && ctx->w->total <= MT_MAX)
		mas_ok = leaves_match_mas(ctx, &mt);
	mtree_unlock(&mt);
	KUNIT_EXPECT_EQ(test, ret, 0);
	/* 299 gaps between the ranges and one after: index 0 is a range. */
	KUNIT_EXPECT_EQ(test, ctx->w->entries, (u32)MT_RANGES);
	KUNIT_EXPECT_GE(test, ctx->w->height, 3U);
	KUNIT_EXPECT_EQ(test, ctx->n[0].type, VMX_MT_ARANGE_64);
	expect_shape(test, ctx->n, ctx->w->total, ctx->w->height);
	KUNIT_EXPECT_STREQ(test, ctx->why, "");
	KUNIT_EXPECT_EQ(test, mas_ok, (u32)MT_RANGES);

	/* Leaves one level too high for the recorded height: refused. */
	mtree_lock(&mt);
	flags = mt.ma_flags;
	mt.ma_flags += 1U << MT_FLAGS_HEIGHT_OFFSET;
	KUNIT_EXPECT_EQ(test, vmx_mtree_walk(ctx->w, &mt, ctx->n, MT_MAX), -EPROTO);
	mt.ma_flags = flags;
	mtree_unlock(&mt);
	mtree_destroy(&mt);
}

static long mtree_call(struct kunit *test, unsigned long ubuf, struct vmx_mtree *req)
{
	void __user *u = (void __user *)ubuf;
	long ret;

	KUNIT_ASSERT_EQ(test, copy_to_user(u, req, sizeof(*req)), 0UL);
	ret = vmx_ioctl(VMX_IOC_MTREE, ubuf);
	if (!ret)
		KUNIT_ASSERT_EQ(test, copy_from_user(req, u, sizeof(*req)), 0UL);
	return ret;
}

/* Through the ioctl: init's tree, a one-node buffer, and bad input. */
static void mtree_ioctl(struct kunit *test)
{
	const size_t nbytes = 64 * sizeof(struct vmx_mt_node);
	unsigned long ubuf, unodes;
	struct vmx_mtree d = {
		.size = sizeof(d), .pid = 1, .entry_size = sizeof(struct vmx_mt_node),
		.max_nodes = 64,
	};
	struct vmx_mtree bad;
	struct vmx_mt_node root;

	ubuf = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
			     MAP_ANONYMOUS | MAP_PRIVATE, 0);
	unodes = kunit_vm_mmap(test, NULL, 0, PAGE_ALIGN(nbytes), PROT_READ | PROT_WRITE,
			       MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(ubuf) || !ubuf);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(unodes) || !unodes);
	d.nodes = unodes;

	KUNIT_ASSERT_EQ(test, mtree_call(test, ubuf, &d), 0L);
	KUNIT_EXPECT_GT(test, d.vmas, 0U);
	KUNIT_EXPECT_GE(test, d.height, 1U);
	KUNIT_EXPECT_EQ(test, d.count, min(d.total, 64U));
	KUNIT_ASSERT_EQ(test, copy_from_user(&root, (void __user *)unodes, sizeof(root)), 0UL);
	KUNIT_EXPECT_EQ(test, root.parent, VMX_MT_NO_PARENT);
	KUNIT_EXPECT_EQ(test, root.max, (u64)ULONG_MAX);

	bad = d;
	bad.max_nodes = 1;
	KUNIT_ASSERT_EQ(test, mtree_call(test, ubuf, &bad), 0L);
	KUNIT_EXPECT_EQ(test, bad.count, 1U);
	KUNIT_EXPECT_EQ(test, bad.total, d.total);

	bad = d;
	bad.pid = current->pid;	/* a kernel thread: no user address space */
	KUNIT_EXPECT_EQ(test, mtree_call(test, ubuf, &bad), -ENXIO);
	bad = d;
	bad.entry_size = sizeof(struct vmx_mt_node) - 8;
	KUNIT_EXPECT_EQ(test, mtree_call(test, ubuf, &bad), -EINVAL);
	bad = d;
	bad.max_nodes = 0;
	KUNIT_EXPECT_EQ(test, mtree_call(test, ubuf, &bad), -EINVAL);
	bad = d;
	bad.max_nodes = VMX_MT_MAX_NODES + 1;
	KUNIT_EXPECT_EQ(test, mtree_call(test, ubuf, &bad), -EINVAL);
	bad = d;
	bad.flags = 1;
	KUNIT_EXPECT_EQ(test, mtree_call(test, ubuf, &bad), -EINVAL);
	bad = d;
	bad.nodes = 0x10;
	KUNIT_EXPECT_EQ(test, mtree_call(test, ubuf, &bad), -EFAULT);
}

static struct kunit_case mtree_cases[] = {
	KUNIT_CASE(mtree_of_own_mm),
	KUNIT_CASE(mtree_built_here),
	KUNIT_CASE(mtree_ioctl),
	{}
};

static struct kunit_suite mtree_suite = {
	.name = "vmx_mtree",
	.init = mtree_init,
	.test_cases = mtree_cases,
};

kunit_test_suite(mtree_suite);
