// SPDX-License-Identifier: GPL-2.0
/*
 * The walker on the test thread's own mm (kunit_vm_mmap), against
 * get_user_pages_remote(); resume cursors at every split point; decoding of
 * constructed entries; and VMX_IOC_DUMP's answers to bad input.
 */
#include <kunit/test.h>
#include <linux/io.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/swap.h>
#include <linux/swapops.h>
#include <linux/uaccess.h>

#include "vmx_abi1.h"
#include "vmx_compat.h"
#include "vmx_priv.h"
#include "../walker/walk.h"

#define WT_PAGES	16
#define WT_CAP		256

struct walk_ctx {
	unsigned long addr;
	struct vmx_entry *ref;	/* one-slice result */
	unsigned int nref;
	struct vmx_rec *buf;
};

static int walk_test_init(struct kunit *test)
{
	struct walk_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	unsigned long i;
	u8 v = 0x5a;

	KUNIT_ASSERT_NOT_NULL(test, ctx);
	ctx->addr = kunit_vm_mmap(test, NULL, 0, WT_PAGES * PAGE_SIZE,
				  PROT_READ | PROT_WRITE,
				  MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_NE(test, ctx->addr, 0UL);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(ctx->addr));
	/* Fault in every other page: the walk must see exactly those. */
	for (i = 0; i < WT_PAGES; i += 2)
		KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)(ctx->addr + i * PAGE_SIZE),
						   &v, 1), 0);
	ctx->ref = kunit_kcalloc(test, WT_CAP, sizeof(*ctx->ref), GFP_KERNEL);
	ctx->buf = kunit_kcalloc(test, WT_CAP, sizeof(*ctx->buf), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx->ref);
	KUNIT_ASSERT_NOT_NULL(test, ctx->buf);
	test->priv = ctx;
	return 0;
}

/* Walk [start, end) in slices of @cap records into @out. */
static unsigned int walk_range_sliced(struct kunit *test, unsigned long start,
				      unsigned long end, u64 flags, unsigned int cap,
				      struct vmx_entry *out, unsigned int max)
{
	struct walk_ctx *ctx = test->priv;
	struct vmx_walk w = {
		.mm = current->mm,
		.flags = flags,
		.start = start,
		.end = end,
		.key_va = start,
		.key_level = VMX_LEVEL_PGD + 1,
	};
	unsigned int total = 0, rounds = 0, i;

	do {
		w.buf = ctx->buf;
		w.cap = cap;
		w.n = 0;
		w.run_open = false;
		w.deadline = jiffies + HZ;
		mmap_read_lock(w.mm);
		KUNIT_ASSERT_EQ(test, vmx_walk(&w), 0);
		mmap_read_unlock(w.mm);
		KUNIT_ASSERT_LE(test, total + w.n, max);
		for (i = 0; i < w.n; i++) {
			const struct vmx_rec *r = &w.buf[i];

			/* The VMA an ABI 1 record names holds it. */
			if (r->e.kind == VMX_KIND_TABLE)
				KUNIT_EXPECT_EQ(test, r->vma_end, 0ULL);
			else
				KUNIT_EXPECT_TRUE(test, r->vma_start <= r->e.va &&
						  r->e.va < r->vma_end);
			out[total + i] = r->e;
		}
		total += w.n;
		/* Every slice makes progress. */
		KUNIT_ASSERT_TRUE(test, w.done || w.n > 0);
		KUNIT_ASSERT_LT(test, ++rounds, 1000U);
	} while (!w.done);
	return total;
}

/* The test range, every other page written, in slices of @cap records. */
static unsigned int walk_sliced(struct kunit *test, u64 flags, unsigned int cap,
				struct vmx_entry *out, unsigned int max)
{
	struct walk_ctx *ctx = test->priv;

	return walk_range_sliced(test, ctx->addr, ctx->addr + WT_PAGES * PAGE_SIZE,
				 flags, cap, out, max);
}

static void walk_matches_gup(struct kunit *test)
{
	struct walk_ctx *ctx = test->priv;
	unsigned int n, i, seen = 0;

	n = walk_sliced(test, VMX_DUMP_LEAVES, WT_CAP, ctx->ref, WT_CAP);
	KUNIT_EXPECT_EQ(test, n, WT_PAGES / 2);
	mmap_read_lock(current->mm);
	for (i = 0; i < n; i++) {
		struct vmx_entry *e = &ctx->ref[i];
		struct page *page;
		long got;

		KUNIT_EXPECT_EQ(test, e->kind, VMX_KIND_LEAF);
		KUNIT_EXPECT_EQ(test, e->level, VMX_LEVEL_PTE);
		KUNIT_EXPECT_EQ(test, (e->va - ctx->addr) / PAGE_SIZE % 2, 0UL);
		KUNIT_EXPECT_TRUE(test, e->page & VMX_PAGE_ANON);
		got = get_user_pages_remote(current->mm, e->va, 1, 0, &page, NULL);
		KUNIT_ASSERT_EQ(test, got, 1L);
		KUNIT_EXPECT_EQ(test, e->pfn, (u64)page_to_pfn(page));
		KUNIT_EXPECT_GE(test, e->refcount, 1);
		put_page(page);
		seen++;
	}
	mmap_read_unlock(current->mm);
	KUNIT_EXPECT_EQ(test, seen, WT_PAGES / 2);
}

/* Cutting the walk anywhere gives the records of one uncut walk. */
static void walk_every_split_point(struct kunit *test)
{
	static const u64 modes[] = { 0, VMX_DUMP_LEAVES, VMX_DUMP_MERGE,
				     VMX_DUMP_LEAVES | VMX_DUMP_MERGE | VMX_DUMP_NO_PAGE };
	struct walk_ctx *ctx = test->priv;
	struct vmx_entry *got;
	unsigned int m, cap, n, nref;

	got = kunit_kcalloc(test, WT_CAP, sizeof(*got), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, got);
	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		nref = walk_sliced(test, modes[m], WT_CAP, ctx->ref, WT_CAP);
		KUNIT_ASSERT_GT(test, nref, 0U);
		for (cap = 1; cap <= nref; cap++) {
			n = walk_sliced(test, modes[m], cap, got, WT_CAP);
			KUNIT_EXPECT_EQ_MSG(test, n, nref, "mode %u cap %u", m, cap);
			KUNIT_EXPECT_TRUE_MSG(test, !memcmp(got, ctx->ref, nref * sizeof(*got)),
					      "mode %u cap %u", m, cap);
		}
	}
}

static void walk_merge_counts_pages(struct kunit *test)
{
	struct walk_ctx *ctx = test->priv;
	unsigned int n, i;
	u64 pages = 0;

	n = walk_sliced(test, VMX_DUMP_LEAVES | VMX_DUMP_MERGE, WT_CAP,
			ctx->ref, WT_CAP);
	for (i = 0; i < n; i++)
		pages += ctx->ref[i].nr;
	KUNIT_EXPECT_EQ(test, pages, (u64)WT_PAGES / 2);
	/* Every other page: no two are adjacent, nothing merges. */
	KUNIT_EXPECT_EQ(test, n, WT_PAGES / 2);
}

/* A read-only run of the shared zero page is one merged record. */
static void walk_merge_zero_page_run(struct kunit *test)
{
	struct walk_ctx *ctx = test->priv;
	unsigned long addr, i;
	struct vmx_walk w = {
		.mm = current->mm,
		.flags = VMX_DUMP_LEAVES | VMX_DUMP_MERGE,
		.buf = ctx->buf,
		.cap = WT_CAP,
		.key_level = VMX_LEVEL_PGD + 1,
	};
	u8 v;

	addr = kunit_vm_mmap(test, NULL, 0, WT_PAGES * PAGE_SIZE, PROT_READ,
			     MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(addr));
	/* Read faults of private anonymous memory map the zero page. */
	for (i = 0; i < WT_PAGES; i++)
		KUNIT_ASSERT_EQ(test, copy_from_user(&v, (void __user *)(addr + i * PAGE_SIZE),
						     1), 0);
	w.start = addr;
	w.end = addr + WT_PAGES * PAGE_SIZE;
	w.key_va = addr;
	w.deadline = jiffies + HZ;
	mmap_read_lock(w.mm);
	KUNIT_ASSERT_EQ(test, vmx_walk(&w), 0);
	mmap_read_unlock(w.mm);
	KUNIT_ASSERT_TRUE(test, w.done);
	KUNIT_ASSERT_EQ(test, w.n, 1U);
	KUNIT_EXPECT_EQ(test, w.buf[0].e.nr, (u64)WT_PAGES);
	KUNIT_EXPECT_TRUE(test, w.buf[0].e.page & VMX_PAGE_ZERO);
	KUNIT_EXPECT_TRUE(test, is_zero_pfn(w.buf[0].e.pfn));
	KUNIT_EXPECT_EQ(test, w.buf[0].e.va, (u64)addr);
}

/*
 * Cutting a merged walk anywhere, in the middle of a run too, gives the
 * records of one uncut walk: a run of the zero page (8 read faults), then
 * 8 written pages, whose frames may or may not follow each other.
 */
static void walk_split_inside_runs(struct kunit *test)
{
	static const u64 modes[] = { VMX_DUMP_MERGE, VMX_DUMP_MERGE | VMX_DUMP_LEAVES };
	struct walk_ctx *ctx = test->priv;
	unsigned long addr, i;
	struct vmx_entry *got;
	unsigned int m, cap, n, nref;
	u8 v = 1;

	addr = kunit_vm_mmap(test, NULL, 0, WT_PAGES * PAGE_SIZE,
			     PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(addr));
	for (i = 0; i < WT_PAGES; i++) {
		void __user *p = (void __user *)(addr + i * PAGE_SIZE);

		if (i < WT_PAGES / 2)
			KUNIT_ASSERT_EQ(test, copy_from_user(&v, p, 1), 0);
		else
			KUNIT_ASSERT_EQ(test, copy_to_user(p, &v, 1), 0);
	}
	got = kunit_kcalloc(test, WT_CAP, sizeof(*got), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, got);
	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		nref = walk_range_sliced(test, addr, addr + WT_PAGES * PAGE_SIZE,
					 modes[m], WT_CAP, ctx->ref, WT_CAP);
		KUNIT_ASSERT_GT(test, nref, 0U);
		for (cap = 1; cap <= nref; cap++) {
			n = walk_range_sliced(test, addr, addr + WT_PAGES * PAGE_SIZE,
					      modes[m], cap, got, WT_CAP);
			KUNIT_EXPECT_EQ_MSG(test, n, nref, "mode %u cap %u", m, cap);
			KUNIT_EXPECT_TRUE_MSG(test, !memcmp(got, ctx->ref, nref * sizeof(*got)),
					      "mode %u cap %u", m, cap);
		}
	}
}

/*
 * @w to the end of its range, in slices of at most @cap records of @size
 * bytes, into @out (room for @max of them), in at most @max_rounds slices.
 */
static unsigned int walk_to_end(struct kunit *test, struct vmx_walk *w, void *out,
				size_t size, unsigned int cap, unsigned int max,
				unsigned int max_rounds)
{
	unsigned int total = 0, rounds = 0;

	do {
		w->buf = (void *)((char *)out + total * size);
		w->cap = min(cap, max - total);
		w->n = 0;
		w->deadline = jiffies + HZ;
		mmap_read_lock(w->mm);
		KUNIT_ASSERT_EQ(test, vmx_walk(w), 0);
		mmap_read_unlock(w->mm);
		total += w->n;
		/* Every slice makes progress. */
		KUNIT_ASSERT_TRUE(test, w->done || w->n > 0);
		KUNIT_ASSERT_LT(test, ++rounds, max_rounds);
	} while (!w->done);
	return total;
}

#define WT_TABLES	8

/* VMX_DUMP_TABLES over the test range in slices of @cap tables. */
static unsigned int walk_tables(struct kunit *test, unsigned int cap,
				struct vmx_raw_table *out)
{
	struct walk_ctx *ctx = test->priv;
	struct vmx_walk w = {
		.mm = current->mm,
		.flags = VMX_DUMP_TABLES,
		.start = ctx->addr,
		.end = ctx->addr + WT_PAGES * PAGE_SIZE,
		.key_va = ctx->addr,
		.key_level = VMX_LEVEL_PGD + 1,
	};

	return walk_to_end(test, &w, out, sizeof(*out), cap, WT_TABLES, 100);
}

static const struct vmx_raw_table *
table_covering(const struct vmx_raw_table *t, unsigned int n, u64 va,
	       unsigned int level, unsigned int shift)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		u64 base = t[i].va_level & ~VMX_RAW_LEVEL_MASK;

		if ((t[i].va_level & VMX_RAW_LEVEL_MASK) == level && va >= base &&
		    (va - base) >> shift < VMX_TABLE_ENTRIES)
			return &t[i];
	}
	return NULL;
}

/*
 * Whole tables say what the entry records say: each record's raw value sits
 * in the table of its level at its index, each table sits in the frame the
 * entry above points to, and cutting the walk anywhere changes nothing.
 */
/*
 * The frame a record's entry was read from: its table's, or for the root
 * the copy user mode runs on (PTI), which raw tables do not show.
 */
static u64 t_pfn_or_user_root(const struct vmx_raw_table *ref, unsigned int n,
			      const struct vmx_entry *e)
{
	const struct vmx_raw_table *t = table_covering(ref, n, e->va, e->level,
						       e->span_shift);

	if (e->level == VMX_LEVEL_PGD)
		return __pa(vmx_user_pgd_table(current->mm->pgd)) >> PAGE_SHIFT;
	return t ? t->pfn : 0;
}

static void walk_tables_match_entries(struct kunit *test)
{
	size_t bytes = WT_TABLES * sizeof(struct vmx_raw_table);
	struct walk_ctx *ctx = test->priv;
	struct vmx_raw_table *ref, *got;
	unsigned int n, nrec, i, cap, below, tables = 0;

	ref = kunit_kzalloc(test, bytes, GFP_KERNEL);
	got = kunit_kzalloc(test, bytes, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ref);
	KUNIT_ASSERT_NOT_NULL(test, got);
	nrec = walk_sliced(test, 0, WT_CAP, ctx->ref, WT_CAP);
	n = walk_tables(test, WT_TABLES, ref);
	KUNIT_ASSERT_GE(test, n, 4U);
	for (i = 0; i < nrec; i++) {
		const struct vmx_entry *e = &ctx->ref[i];
		const struct vmx_raw_table *t;

		unsigned long idx = (e->va >> e->span_shift) % VMX_TABLE_ENTRIES;
		u64 table_pa = (u64)t_pfn_or_user_root(ref, n, e) << PAGE_SHIFT;

		t = table_covering(ref, n, e->va, e->level, e->span_shift);
		KUNIT_ASSERT_NOT_NULL_MSG(test, t, "record %u level %u", i, e->level);
		KUNIT_EXPECT_EQ_MSG(test, t->entries[idx], e->raw, "record %u level %u",
				    i, e->level);
		/* The entry's own address is in the table the record came from. */
		KUNIT_EXPECT_EQ_MSG(test, e->entry_pa, table_pa + idx * sizeof(u64),
				    "record %u level %u", i, e->level);
		if (e->kind != VMX_KIND_TABLE)
			continue;
		tables++;
		/* The next level down: 4-level paging has no P4D tables. */
		below = e->level - 1;
		if (e->level == VMX_LEVEL_PGD && !pgtable_l5_enabled())
			below = VMX_LEVEL_PUD;
		t = table_covering(ref, n, max_t(u64, e->va, ctx->addr), below,
				   e->span_shift - 9);
		KUNIT_ASSERT_NOT_NULL_MSG(test, t, "below record %u", i);
		KUNIT_EXPECT_EQ_MSG(test, t->pfn, e->pfn, "below record %u", i);
	}
	/* The root, then one table per table entry on the way down. */
	KUNIT_EXPECT_EQ(test, n, tables + 1);
	KUNIT_EXPECT_EQ(test, ref[0].va_level, (u64)VMX_LEVEL_PGD);
	KUNIT_EXPECT_EQ(test, ref[0].pfn, (u64)(__pa(current->mm->pgd) >> PAGE_SHIFT));
	for (cap = 1; cap < n; cap++) {
		memset(got, 0, bytes);
		KUNIT_EXPECT_EQ_MSG(test, walk_tables(test, cap, got), n, "cap %u", cap);
		KUNIT_EXPECT_TRUE_MSG(test, !memcmp(got, ref, n * sizeof(*ref)),
				      "cap %u", cap);
	}
}

static void decode_swap_entries(struct kunit *test)
{
	struct vmx_entry e = { };
	pte_t pte = swp_entry_to_pte(swp_entry(3, 0x1234));

	vmx_decode_nonpresent(&e, pte_val(pte));
	KUNIT_EXPECT_EQ(test, e.kind, VMX_KIND_SWAP);
	KUNIT_EXPECT_EQ(test, e.swap_type, 3);
	KUNIT_EXPECT_EQ(test, e.swap_offset, 0x1234ULL);
	KUNIT_EXPECT_EQ(test, e.sw & VMX_SW_SOFT_DIRTY, 0U);

	memset(&e, 0, sizeof(e));
	vmx_decode_nonpresent(&e, pte_val(pte_swp_mksoft_dirty(pte)));
	KUNIT_EXPECT_EQ(test, e.kind, VMX_KIND_SWAP);
	KUNIT_EXPECT_EQ(test, e.swap_offset, 0x1234ULL);
	KUNIT_EXPECT_EQ(test, e.sw & VMX_SW_SOFT_DIRTY, (u32)VMX_SW_SOFT_DIRTY);
}

static void decode_one(struct kunit *test, unsigned int type, unsigned long off,
		       unsigned int kind)
{
	struct vmx_entry e = { };
	pte_t pte = swp_entry_to_pte(swp_entry(type, off));

	vmx_decode_nonpresent(&e, pte_val(pte));
	KUNIT_EXPECT_EQ_MSG(test, e.kind, kind, "swap type %u", type);
	if (kind != VMX_KIND_MARKER)
		KUNIT_EXPECT_EQ_MSG(test, e.pfn, (u64)off, "swap type %u", type);
	else
		KUNIT_EXPECT_EQ(test, e.swap_offset, (u64)off);
}

static void decode_special_entries(struct kunit *test)
{
#ifdef SWP_MIGRATION_READ
	decode_one(test, SWP_MIGRATION_READ, 0x4321, VMX_KIND_MIGRATION_READ);
	decode_one(test, SWP_MIGRATION_READ_EXCLUSIVE, 0x4321,
		   VMX_KIND_MIGRATION_READ_EXCLUSIVE);
	decode_one(test, SWP_MIGRATION_WRITE, 0x4321, VMX_KIND_MIGRATION_WRITE);
#endif
#ifdef SWP_DEVICE_READ
	decode_one(test, SWP_DEVICE_READ, 0x777, VMX_KIND_DEVICE_PRIVATE_READ);
	decode_one(test, SWP_DEVICE_WRITE, 0x777, VMX_KIND_DEVICE_PRIVATE_WRITE);
#endif
#ifdef SWP_HWPOISON
	decode_one(test, SWP_HWPOISON, 0x999, VMX_KIND_HWPOISON);
#endif
#ifdef SWP_PTE_MARKER
	decode_one(test, SWP_PTE_MARKER, VMX_MARKER_UFFD_WP, VMX_KIND_MARKER);
#endif
}

static void decode_leaf_bits(struct kunit *test)
{
	struct vmx_entry e = { };
	unsigned long val = _PAGE_PRESENT | _PAGE_USER | _PAGE_SPECIAL |
			    _PAGE_SOFT_DIRTY | (5UL << 59);

	vmx_decode_leaf_sw(&e, val);
	KUNIT_EXPECT_TRUE(test, e.sw & VMX_SW_SPECIAL);
	KUNIT_EXPECT_EQ(test, !!(e.sw & VMX_SW_SOFT_DIRTY), !!_PAGE_SOFT_DIRTY);
	KUNIT_EXPECT_FALSE(test, e.sw & VMX_SW_UFFD_WP);
	KUNIT_EXPECT_EQ(test, e.pkey, 5);
	/* What this kernel lacks is absent, not clear. */
	KUNIT_EXPECT_EQ(test, !!(vmx_sw_valid() & VMX_SW_SOFT_DIRTY), !!_PAGE_SOFT_DIRTY);
}

/* VMX_IOC_DUMP through the ioctl path, with a user buffer. */
static long dump_call(struct kunit *test, struct vmx_dump *d)
{
	unsigned long u = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE,
					PROT_READ | PROT_WRITE,
					MAP_ANONYMOUS | MAP_PRIVATE, 0);
	long ret;

	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(u));
	KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)u, d, sizeof(*d)), 0);
	ret = vmx_ioctl(VMX_IOC_DUMP, u);
	if (!ret)
		KUNIT_ASSERT_EQ(test, copy_from_user(d, (void __user *)u, sizeof(*d)), 0);
	return ret;
}

static void dump_bad_input(struct kunit *test)
{
	struct walk_ctx *ctx = test->priv;
	struct vmx_dump good = {
		.size = sizeof(good), .pid = current->pid,
		.entry_size = sizeof(struct vmx_entry), .start = 0,
		.end = TASK_SIZE_MAX, .entries = ctx->addr, .max_entries = 8,
	};
	struct vmx_dump d;

	/* The test thread is a kernel thread: it has no user address space
	 * of its own as far as get_task_mm() is concerned.
	 */
	d = good;
	KUNIT_EXPECT_EQ(test, dump_call(test, &d), -ENXIO);
	d = good;
	d.pid = 0x3fffffff;
	KUNIT_EXPECT_EQ(test, dump_call(test, &d), -ESRCH);
	d = good;
	d.pid = -1;
	KUNIT_EXPECT_EQ(test, dump_call(test, &d), -ESRCH);
	d = good;
	d.pid = 1;
	d.start_time = 12345678;	/* init did not start then */
	KUNIT_EXPECT_EQ(test, dump_call(test, &d), -ESRCH);
	d = good;
	d.start = d.end;
	KUNIT_EXPECT_EQ(test, dump_call(test, &d), -EINVAL);
	d = good;
	d.end = TASK_SIZE_MAX + PAGE_SIZE;	/* non-canonical, then kernel */
	KUNIT_EXPECT_EQ(test, dump_call(test, &d), -EINVAL);
	d = good;
	d.start = PAGE_OFFSET;
	d.end = PAGE_OFFSET + PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, dump_call(test, &d), -EINVAL);
	d = good;
	d.flags = VMX_DUMP_FLAGS_ALL + 1;
	KUNIT_EXPECT_EQ(test, dump_call(test, &d), -EINVAL);
	d = good;
	d.reserved = 1;
	KUNIT_EXPECT_EQ(test, dump_call(test, &d), -EINVAL);
	d = good;
	d.max_entries = 0;
	KUNIT_EXPECT_EQ(test, dump_call(test, &d), -EINVAL);
	d = good;
	d.entry_size = sizeof(struct vmx_entry) - 8;
	KUNIT_EXPECT_EQ(test, dump_call(test, &d), -EINVAL);
	d = good;
	d.flags = VMX_DUMP_TABLES;	/* entry_size is a vmx_entry's */
	KUNIT_EXPECT_EQ(test, dump_call(test, &d), -EINVAL);
	d.entry_size = sizeof(struct vmx_raw_table);
	d.flags = VMX_DUMP_TABLES | VMX_DUMP_MERGE;
	KUNIT_EXPECT_EQ(test, dump_call(test, &d), -EINVAL);
	d.flags = VMX_DUMP_TABLES | VMX_DUMP_LEAVES;
	KUNIT_EXPECT_EQ(test, dump_call(test, &d), -EINVAL);
	d.flags = VMX_DUMP_TABLES | VMX_DUMP_COMPACT;
	KUNIT_EXPECT_EQ(test, dump_call(test, &d), -EINVAL);
	d = good;
	d.flags = VMX_DUMP_COMPACT | VMX_DUMP_MERGE;
	KUNIT_EXPECT_EQ(test, dump_call(test, &d), -EINVAL);
	d.flags = VMX_DUMP_COMPACT | VMX_DUMP_NO_PAGE;
	d.entry_size = sizeof(struct vmx_compact) - 8;
	KUNIT_EXPECT_EQ(test, dump_call(test, &d), -EINVAL);
	d.flags = VMX_DUMP_COMPACT;	/* with page data: 24 bytes */
	d.entry_size = sizeof(struct vmx_compact);
	KUNIT_EXPECT_EQ(test, dump_call(test, &d), -EINVAL);
	d = good;
	d.entries = 0x10;
	d.pid = 1;
	KUNIT_EXPECT_EQ(test, dump_call(test, &d), -EFAULT);
	d = good;
	d.entries = PAGE_OFFSET;
	d.pid = 1;
	KUNIT_EXPECT_EQ(test, dump_call(test, &d), -EFAULT);
	d = good;
	d.cursor = PAGE_SIZE | 7;	/* no level 7 */
	KUNIT_EXPECT_EQ(test, dump_call(test, &d), -EINVAL);
	/* init exists and has an mm: a real dump, resumable to the end. */
	d = good;
	d.pid = 1;
	d.flags = VMX_DUMP_LEAVES;
	KUNIT_EXPECT_EQ(test, dump_call(test, &d), 0);
	KUNIT_EXPECT_GT(test, d.count, 0U);
	KUNIT_EXPECT_LE(test, d.count, 8U);
}

/*
 * Each record's entry_pa holds its entry, merged runs' the first one's:
 * read back through the direct map, the MMU's Accessed and Dirty updates
 * aside.
 */
static void walk_entry_pa_holds_entry(struct kunit *test)
{
	static const u64 modes[] = { 0, VMX_DUMP_MERGE };
	const u64 ad = _PAGE_ACCESSED | _PAGE_DIRTY;
	struct walk_ctx *ctx = test->priv;
	unsigned int m, n, i;

	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		n = walk_sliced(test, modes[m], WT_CAP, ctx->ref, WT_CAP);
		KUNIT_ASSERT_GT(test, n, 0U);
		for (i = 0; i < n; i++) {
			const struct vmx_entry *e = &ctx->ref[i];
			u64 now;

			KUNIT_ASSERT_NE(test, e->entry_pa, 0ULL);
			now = READ_ONCE(*(u64 *)phys_to_virt(e->entry_pa));
			KUNIT_EXPECT_EQ_MSG(test, now & ~ad, e->raw & ~ad,
					    "mode %u record %u level %u", m, i,
					    e->level);
		}
	}
}

/*
 * RESOLVE_NO_PAGE, whole and cut before @final (the fast path a tool
 * resolving address after address takes), against @full, the same address
 * resolved with page data: the same walk; no struct page data; outputs
 * the caller left garbage in cleared; nothing written past its @size.
 */
static void resolve_no_page(struct kunit *test, unsigned long u,
			    const struct vmx_resolve *full)
{
	const size_t cut = offsetof(struct vmx_resolve, final);
	struct vmx_resolve *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, r);
	memset(r, 0xaa, sizeof(*r));
	r->size = sizeof(*r);
	r->flags = VMX_RESOLVE_NO_PAGE;
	r->reserved = 0;
	r->pid = 1;
	r->start_time = 0;
	r->addr = full->addr;
	KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)u, r, sizeof(*r)), 0);
	KUNIT_ASSERT_EQ(test, vmx_ioctl(VMX_IOC_RESOLVE, u), 0L);
	KUNIT_ASSERT_EQ(test, copy_from_user(r, (void __user *)u, sizeof(*r)), 0);
	KUNIT_EXPECT_EQ(test, r->result, full->result);
	KUNIT_EXPECT_EQ(test, r->pa, full->pa);
	KUNIT_EXPECT_EQ(test, r->final.pfn, full->final.pfn);
	KUNIT_EXPECT_EQ(test, r->final.raw & ~(u64)(_PAGE_ACCESSED | _PAGE_DIRTY),
			full->final.raw & ~(u64)(_PAGE_ACCESSED | _PAGE_DIRTY));
	KUNIT_EXPECT_EQ(test, r->final.kind, full->final.kind);
	KUNIT_EXPECT_EQ(test, r->final.page, 0U);
	KUNIT_EXPECT_EQ(test, r->final.refcount, -1);
	KUNIT_EXPECT_EQ(test, r->final.mapcount, -1);
	KUNIT_EXPECT_NE(test, full->final.page, 0U);
	KUNIT_EXPECT_EQ(test, r->vma_start, full->vma_start);
	KUNIT_EXPECT_EQ(test, r->abi_version, (u32)VMX_ABI_VERSION);

	memset(r, 0xaa, sizeof(*r));
	r->size = cut;
	r->flags = VMX_RESOLVE_NO_PAGE;
	r->reserved = 0;
	r->pid = 1;
	r->start_time = 0;
	r->addr = full->addr;
	KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)u, r, sizeof(*r)), 0);
	KUNIT_ASSERT_EQ(test, vmx_ioctl(VMX_IOC_RESOLVE, u), 0L);
	KUNIT_ASSERT_EQ(test, copy_from_user(r, (void __user *)u, sizeof(*r)), 0);
	KUNIT_EXPECT_EQ(test, r->result, full->result);
	KUNIT_EXPECT_EQ(test, r->pa, full->pa);
	KUNIT_EXPECT_EQ(test, r->root_pa, full->root_pa);
	KUNIT_EXPECT_EQ(test, r->in_vma, full->in_vma);
	KUNIT_ASSERT_EQ(test, r->nr_steps, full->nr_steps);
	/* init runs meanwhile: its entries may gain Accessed or Dirty. */
	for (i = 0; i < r->nr_steps; i++) {
		KUNIT_EXPECT_EQ(test, r->steps[i].level, full->steps[i].level);
		KUNIT_EXPECT_EQ(test, r->steps[i].table_pa, full->steps[i].table_pa);
		KUNIT_EXPECT_EQ(test, r->steps[i].entry & ~(u64)(_PAGE_ACCESSED | _PAGE_DIRTY),
				full->steps[i].entry & ~(u64)(_PAGE_ACCESSED | _PAGE_DIRTY));
	}
	for (i = cut; i < sizeof(*r); i++)
		KUNIT_EXPECT_EQ_MSG(test, ((u8 *)r)[i], 0xaa, "byte %u", i);
}

/*
 * RESOLVE of @va in init by an ABI 1 caller (344 bytes: the record holds
 * the VMA) and by an ABI 2 one: the same translation, the same VMA.
 */
static void resolve_abi1(struct kunit *test, u64 va, const struct vmx_entry_v1 *dumped)
{
	const size_t v1_size = offsetof(struct vmx_resolve, final) + VMX_ENTRY_SIZE_VER1;
	struct vmx_resolve *r1 = kunit_kzalloc(test, sizeof(*r1), GFP_KERNEL);
	struct vmx_resolve *r2 = kunit_kzalloc(test, sizeof(*r2), GFP_KERNEL);
	unsigned long u = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
					MAP_ANONYMOUS | MAP_PRIVATE, 0);
	struct vmx_entry_v1 *f1;

	KUNIT_ASSERT_NOT_NULL(test, r1);
	KUNIT_ASSERT_NOT_NULL(test, r2);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(u));
	KUNIT_ASSERT_EQ(test, v1_size, (size_t)344);
	r1->size = v1_size;
	r1->pid = 1;
	r1->addr = va;
	*r2 = *r1;
	r2->size = sizeof(*r2);
	KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)u, r1, sizeof(*r1)), 0);
	KUNIT_ASSERT_EQ(test, vmx_ioctl(VMX_IOC_RESOLVE, u), 0L);
	KUNIT_ASSERT_EQ(test, copy_from_user(r1, (void __user *)u, sizeof(*r1)), 0);
	KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)u, r2, sizeof(*r2)), 0);
	KUNIT_ASSERT_EQ(test, vmx_ioctl(VMX_IOC_RESOLVE, u), 0L);
	KUNIT_ASSERT_EQ(test, copy_from_user(r2, (void __user *)u, sizeof(*r2)), 0);
	KUNIT_EXPECT_EQ(test, r2->abi_version, (u32)VMX_ABI_VERSION);
	/* Nothing came back past ABI 1's struct: abi_version stays as sent. */
	KUNIT_EXPECT_EQ(test, r1->abi_version, 0U);
	f1 = (struct vmx_entry_v1 *)&r1->final;
	KUNIT_EXPECT_EQ(test, r1->result, r2->result);
	KUNIT_EXPECT_EQ(test, r1->pa, r2->pa);
	KUNIT_EXPECT_EQ(test, f1->va, r2->final.va);
	KUNIT_EXPECT_EQ(test, f1->pfn, r2->final.pfn);
	KUNIT_EXPECT_EQ(test, f1->kind, r2->final.kind);
	KUNIT_EXPECT_EQ(test, f1->vma_start, r2->vma_start);
	KUNIT_EXPECT_EQ(test, f1->vma_end, r2->vma_end);
	KUNIT_EXPECT_EQ(test, f1->vma_start, dumped->vma_start);
	KUNIT_EXPECT_EQ(test, f1->vm_flags, dumped->vm_flags);
	KUNIT_EXPECT_EQ(test, !!(f1->vm_flags & VM_READ), !!(r2->vma_flags & VMX_VMA_READ));
	KUNIT_EXPECT_EQ(test, !!(f1->vm_flags & VM_WRITE), !!(r2->vma_flags & VMX_VMA_WRITE));
	KUNIT_EXPECT_EQ(test, f1->sw_valid, vmx_sw_valid());
	resolve_no_page(test, u, r2);
	/* The entry the record names is the one the last step read. */
	KUNIT_EXPECT_EQ(test, r2->final.entry_pa,
			r2->steps[r2->nr_steps - 1].table_pa +
			r2->steps[r2->nr_steps - 1].index * sizeof(u64));
}

/*
 * A caller built against ABI 1 (a shorter struct vmx_dump) still gets ABI
 * 1's records: the same entries, each with its VMA and sw_valid.
 */
static void dump_abi1_records(struct kunit *test)
{
	struct walk_ctx *ctx = test->priv;
	struct vmx_entry_v1 *v1 = kunit_kcalloc(test, 8, sizeof(*v1), GFP_KERNEL);
	struct vmx_entry *v2 = kunit_kcalloc(test, 8, sizeof(*v2), GFP_KERNEL);
	struct vmx_dump d = {
		.size = offsetof(struct vmx_dump, abi_version), .pid = 1,
		.flags = VMX_DUMP_LEAVES | VMX_DUMP_NO_PAGE,
		.entry_size = VMX_ENTRY_SIZE_VER1, .start = 0,
		.end = TASK_SIZE_MAX, .entries = ctx->addr, .max_entries = 8,
	};
	unsigned int i, n;

	KUNIT_ASSERT_NOT_NULL(test, v1);
	KUNIT_ASSERT_NOT_NULL(test, v2);
	d.entry_size = sizeof(struct vmx_entry);
	KUNIT_EXPECT_EQ(test, dump_call(test, &d), -EINVAL);	/* too small for ABI 1 */
	d.entry_size = VMX_ENTRY_SIZE_VER1;
	KUNIT_ASSERT_EQ(test, dump_call(test, &d), 0);
	KUNIT_EXPECT_EQ(test, d.abi_version, 0U);	/* beyond ABI 1's struct */
	n = d.count;
	KUNIT_ASSERT_GT(test, n, 0U);
	KUNIT_ASSERT_EQ(test, copy_from_user(v1, (void __user *)ctx->addr,
					     n * sizeof(*v1)), 0);
	d.size = sizeof(d);
	d.entry_size = sizeof(struct vmx_entry);
	d.cursor = 0;
	KUNIT_ASSERT_EQ(test, dump_call(test, &d), 0);
	KUNIT_EXPECT_EQ(test, d.abi_version, (u32)VMX_ABI_VERSION);
	KUNIT_ASSERT_EQ(test, d.count, n);
	KUNIT_ASSERT_EQ(test, copy_from_user(v2, (void __user *)ctx->addr,
					     n * sizeof(*v2)), 0);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ_MSG(test, v1[i].va, v2[i].va, "record %u", i);
		KUNIT_EXPECT_EQ_MSG(test, v1[i].level, v2[i].level, "record %u", i);
		KUNIT_EXPECT_EQ_MSG(test, v1[i].kind, v2[i].kind, "record %u", i);
		KUNIT_EXPECT_EQ_MSG(test, v1[i].pfn, v2[i].pfn, "record %u", i);
		KUNIT_EXPECT_EQ_MSG(test, v1[i].nr, v2[i].nr, "record %u", i);
		KUNIT_EXPECT_EQ_MSG(test, v1[i].sw_valid, vmx_sw_valid(), "record %u", i);
		KUNIT_EXPECT_TRUE_MSG(test, v1[i].vma_start <= v1[i].va &&
				      v1[i].va < v1[i].vma_end, "record %u", i);
		KUNIT_EXPECT_TRUE_MSG(test, v1[i].vm_flags & (VM_READ | VM_WRITE | VM_EXEC),
				      "record %u", i);
	}
	resolve_abi1(test, v1[0].va, &v1[0]);
	/* A caller's larger record: the same ones at its stride, zero-padded. */
	for (i = 0; i < 2; i++) {
		size_t rec = i ? VMX_ENTRY_SIZE_VER1 : sizeof(struct vmx_entry);
		u8 *got = kunit_kzalloc(test, n * (rec + 8), GFP_KERNEL);
		unsigned int k;

		KUNIT_ASSERT_NOT_NULL(test, got);
		d.size = i ? offsetof(struct vmx_dump, abi_version) : sizeof(d);
		d.entry_size = rec + 8;
		d.cursor = 0;
		d.max_entries = n;
		KUNIT_ASSERT_EQ(test, dump_call(test, &d), 0);
		KUNIT_ASSERT_EQ(test, d.count, n);
		KUNIT_ASSERT_EQ(test, copy_from_user(got, (void __user *)ctx->addr,
						     n * (rec + 8)), 0);
		for (k = 0; k < n; k++) {
			const u8 *r = got + k * (rec + 8);

			/* va and pfn: the first and fourth u64 in both layouts. */
			KUNIT_EXPECT_EQ_MSG(test, *(const u64 *)r, v2[k].va, "abi %u record %u",
					    2 - i, k);
			KUNIT_EXPECT_EQ_MSG(test, *(const u64 *)(r + 24), v2[k].pfn,
					    "abi %u record %u", 2 - i, k);
			KUNIT_EXPECT_TRUE_MSG(test, !memchr_inv(r + rec, 0, 8),
					      "abi %u record %u", 2 - i, k);
		}
	}
}

/*
 * Compact records are the records of the same dump, field for field, with
 * and without page data, however the walk is cut into slices. The other kinds
 * (PROT_NONE, swap, markers) are compared in the VMs (vmxtest compact).
 */
static void walk_compact_matches_records(struct kunit *test)
{
	static const u64 modes[] = { VMX_DUMP_NO_PAGE, VMX_DUMP_LEAVES | VMX_DUMP_NO_PAGE,
				     0, VMX_DUMP_LEAVES };
	struct walk_ctx *ctx = test->priv;
	struct vmx_compact_page *cp = kunit_kcalloc(test, WT_CAP, sizeof(*cp), GFP_KERNEL);
	struct vmx_compact *c = (struct vmx_compact *)cp;
	unsigned int m, cap, i, n, nref;

	KUNIT_ASSERT_NOT_NULL(test, cp);
	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		bool page = !(modes[m] & VMX_DUMP_NO_PAGE);

		nref = walk_sliced(test, modes[m], WT_CAP, ctx->ref, WT_CAP);
		KUNIT_ASSERT_GT(test, nref, 0U);
		for (cap = 1; cap <= nref; cap++) {
			struct vmx_walk w = {
				.mm = current->mm,
				.flags = modes[m] | VMX_DUMP_COMPACT,
				.start = ctx->addr,
				.end = ctx->addr + WT_PAGES * PAGE_SIZE,
				.key_va = ctx->addr,
				.key_level = VMX_LEVEL_PGD + 1,
			};

			n = walk_to_end(test, &w, cp, page ? sizeof(*cp) : sizeof(*c),
					cap, WT_CAP, 1000);
			KUNIT_ASSERT_EQ_MSG(test, n, nref, "mode %u cap %u", m, cap);
			for (i = 0; i < n; i++) {
				const struct vmx_entry *e = &ctx->ref[i];
				const struct vmx_compact *r = page ? &cp[i].c : &c[i];

				KUNIT_EXPECT_EQ_MSG(test, r->va_info,
						    VMX_COMPACT_INFO(e->va, e->level, e->kind),
						    "mode %u cap %u record %u", m, cap, i);
				KUNIT_EXPECT_EQ_MSG(test, r->raw, e->raw,
						    "mode %u cap %u record %u", m, cap, i);
				if (!page)
					continue;
				KUNIT_EXPECT_EQ_MSG(test, cp[i].page, e->page,
						    "mode %u cap %u record %u", m, cap, i);
				KUNIT_EXPECT_EQ_MSG(test, cp[i].mapcount, e->mapcount,
						    "mode %u cap %u record %u", m, cap, i);
			}
		}
	}
	/* The written pages: anonymous leaves, mapped once (the last mode's). */
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ(test, VMX_COMPACT_KIND(cp[i].c.va_info), VMX_KIND_LEAF);
		KUNIT_EXPECT_TRUE(test, cp[i].page & VMX_PAGE_ANON);
		/* -1: a kernel that keeps no per-page map count. */
		KUNIT_EXPECT_TRUE(test, cp[i].mapcount == 1 || cp[i].mapcount == -1);
	}
}

/*
 * A walk out of time ends even where it has found nothing to return, so
 * that a sparse range or many VMAs without tables never hold the mmap lock
 * for long; it still makes progress every time and, slice after slice,
 * returns exactly what one unhurried walk returns.
 */
static void walk_yields_without_records(struct kunit *test)
{
	const unsigned long pages = 384;
	unsigned long base = kunit_vm_mmap(test, NULL, 0, pages * PAGE_SIZE, PROT_NONE,
					   MAP_PRIVATE | MAP_ANONYMOUS, 0);
	struct vmx_rec *ref = kunit_kcalloc(test, WT_CAP, sizeof(*ref), GFP_KERNEL);
	struct vmx_rec *out = kunit_kcalloc(test, WT_CAP, sizeof(*out), GFP_KERNEL);
	struct vmx_walk w = {
		.mm = current->mm, .cap = WT_CAP, .start = 0, .end = 0,
	};
	unsigned int nref, total = 0, rounds = 0, empty = 0;
	unsigned long i, prev_va;
	unsigned int prev_level;

	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(base) || !base);
	KUNIT_ASSERT_NOT_NULL(test, ref);
	KUNIT_ASSERT_NOT_NULL(test, out);
	/* Every other page readable and touched: 192 VMAs between PROT_NONE ones. */
	for (i = 0; i < pages; i += 2) {
		unsigned long a = kunit_vm_mmap(test, NULL, base + i * PAGE_SIZE, PAGE_SIZE,
						PROT_READ | PROT_WRITE,
						MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0);
		u8 v = 1;

		KUNIT_ASSERT_EQ(test, a, base + i * PAGE_SIZE);
		KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)a, &v, 1), 0UL);
	}
	w.start = base;
	w.end = base + pages * PAGE_SIZE;
	w.key_va = w.start;
	w.key_level = VMX_LEVEL_PGD + 1;
	w.buf = ref;
	w.slice = HZ;
	w.deadline = jiffies + HZ;
	mmap_read_lock(w.mm);
	vmx_walk(&w);
	mmap_read_unlock(w.mm);
	KUNIT_ASSERT_TRUE(test, w.done);
	nref = w.n;
	KUNIT_EXPECT_GE(test, nref, (unsigned int)(pages / 2));

	w.key_va = w.start;
	w.key_level = VMX_LEVEL_PGD + 1;
	do {
		prev_va = w.key_va;
		prev_level = w.key_level;
		w.buf = out + total;
		w.cap = WT_CAP - total;
		w.n = 0;
		w.run_open = false;
		w.slice = 0;
		w.deadline = jiffies - 1;	/* out of time from the start */
		mmap_read_lock(w.mm);
		w.locked_at = ktime_get_ns();
		KUNIT_EXPECT_EQ(test, vmx_walk(&w), 0);
		KUNIT_EXPECT_FALSE(test, w.unlocked);
		mmap_read_unlock(w.mm);
		total += w.n;
		if (!w.n)
			empty++;
		if (!w.done)
			KUNIT_ASSERT_TRUE_MSG(test, prev_va < w.key_va ||
					      (prev_va == w.key_va && prev_level > w.key_level),
					      "no progress at 0x%lx level %u",
					      w.key_va, w.key_level);
		KUNIT_ASSERT_LE(test, total, nref);
		KUNIT_ASSERT_LT(test, ++rounds, 5000U);
	} while (!w.done);
	KUNIT_EXPECT_EQ(test, total, nref);
	KUNIT_EXPECT_EQ(test, memcmp(out, ref, nref * sizeof(*ref)), 0);
	kunit_info(test, "%u slices, %u of them empty, %u records\n", rounds, empty, total);
}

static struct kunit_case walk_cases[] = {
	KUNIT_CASE(walk_matches_gup),
	KUNIT_CASE(walk_every_split_point),
	KUNIT_CASE(walk_merge_counts_pages),
	KUNIT_CASE(walk_merge_zero_page_run),
	KUNIT_CASE(walk_split_inside_runs),
	KUNIT_CASE(walk_tables_match_entries),
	KUNIT_CASE(decode_swap_entries),
	KUNIT_CASE(decode_special_entries),
	KUNIT_CASE(decode_leaf_bits),
	KUNIT_CASE(dump_bad_input),
	KUNIT_CASE(walk_yields_without_records),
	KUNIT_CASE(walk_entry_pa_holds_entry),
	KUNIT_CASE(walk_compact_matches_records),
	KUNIT_CASE(dump_abi1_records),
	{}
};

static struct kunit_suite walk_suite = {
	.name = "vmx_walk",
	.init = walk_test_init,
	.test_cases = walk_cases,
};

kunit_test_suite(walk_suite);
