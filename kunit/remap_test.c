// SPDX-License-Identifier: GPL-2.0
/*
 * Windows and VMX_IOC_REMAP in the test thread's own mm: a window made by
 * mmapping a file with vmx's mmap, sources made with kunit_vm_mmap. The
 * oracle is what the thread itself reads and writes through both mappings
 * (copy_from_user fails where a user access would get SIGBUS), and the
 * pinned-page count going back to where it was.
 */
#include <kunit/test.h>
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/pagemap.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "vmx_priv.h"

#define RT_PAGES	4

struct remap_ctx {
	unsigned long win;	/* RT_PAGES-page window */
	unsigned long shared;	/* MAP_SHARED anonymous: shmem pages */
	unsigned long private;	/* MAP_PRIVATE anonymous */
	s64 pinned;		/* vmx_stats.pinned_pages before the test */
};

static const struct file_operations remap_test_fops = {
	.owner = THIS_MODULE,
	.mmap = vmx_window_mmap,
};

static unsigned long window_open(struct kunit *test, unsigned long pages, unsigned long flags)
{
	struct file *f = anon_inode_getfile("[vmx-test]", &remap_test_fops, NULL, O_RDWR);
	unsigned long a;

	KUNIT_ASSERT_FALSE(test, IS_ERR(f));
	a = kunit_vm_mmap(test, f, 0, pages * PAGE_SIZE, PROT_READ | PROT_WRITE, flags, 0);
	fput(f);	/* the mapping holds its own reference */
	return a;
}

static void fill(struct kunit *test, unsigned long addr, char c)
{
	char buf[16];
	int i;

	for (i = 0; i < RT_PAGES; i++) {
		memset(buf, c + i, sizeof(buf));
		KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)(addr + i * PAGE_SIZE),
						   buf, sizeof(buf)), 0UL);
	}
}

/* The first byte of page @i at @addr, or -1 when reading it faults. */
static int byte_at(unsigned long addr, int i)
{
	u8 b;

	if (copy_from_user(&b, (void __user *)(addr + i * PAGE_SIZE), 1))
		return -1;
	return b;
}

static int remap_init(struct kunit *test)
{
	struct remap_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, ctx);
	ctx->pinned = atomic64_read(&vmx_stats.pinned_pages);
	ctx->win = window_open(test, RT_PAGES, MAP_SHARED);
	ctx->shared = kunit_vm_mmap(test, NULL, 0, RT_PAGES * PAGE_SIZE,
				    PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, 0);
	ctx->private = kunit_vm_mmap(test, NULL, 0, RT_PAGES * PAGE_SIZE,
				     PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(ctx->win) || !ctx->win);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(ctx->shared) || !ctx->shared);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(ctx->private) || !ctx->private);
	fill(test, ctx->shared, 'a');
	fill(test, ctx->private, 'A');
	test->priv = ctx;
	return 0;
}

static int op(u32 what, unsigned long src, unsigned long win, u32 pages, u64 flags)
{
	struct vmx_remap r = {
		.op = what, .pages = pages, .flags = flags,
		.src_addr = src, .win_addr = win,
	};
	bool has_src = what != VMX_REMAP_REVOKE && what != VMX_REMAP_PROTECT;

	return vmx_remap_mms(NULL, has_src ? current->mm : NULL, current->mm, &r);
}

static s64 pinned_now(struct remap_ctx *ctx)
{
	return atomic64_read(&vmx_stats.pinned_pages) - ctx->pinned;
}

/* An empty window faults; after map both sides see each other's writes. */
static void map_shares_then_revoke(struct kunit *test)
{
	struct remap_ctx *ctx = test->priv;
	char c = 'z';

	KUNIT_EXPECT_EQ(test, byte_at(ctx->win, 0), -1);
	KUNIT_ASSERT_EQ(test, op(VMX_REMAP_MAP, ctx->shared, ctx->win, RT_PAGES, 0), 0);
	KUNIT_EXPECT_EQ(test, pinned_now(ctx), (s64)RT_PAGES);
	KUNIT_EXPECT_EQ(test, byte_at(ctx->win, 0), 'a');
	KUNIT_EXPECT_EQ(test, byte_at(ctx->win, 3), 'a' + 3);
	KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)(ctx->win + PAGE_SIZE), &c, 1), 0UL);
	KUNIT_EXPECT_EQ(test, byte_at(ctx->shared, 1), 'z');

	KUNIT_ASSERT_EQ(test, op(VMX_REMAP_REVOKE, 0, ctx->win, RT_PAGES, 0), 0);
	KUNIT_EXPECT_EQ(test, byte_at(ctx->win, 1), -1);
	KUNIT_EXPECT_EQ(test, byte_at(ctx->shared, 1), 'z');
	KUNIT_EXPECT_EQ(test, pinned_now(ctx), 0LL);
}

/* The source's private pages move: it reads zeros, the window the data. */
static void grant_moves_private_pages(struct kunit *test)
{
	struct remap_ctx *ctx = test->priv;

	KUNIT_ASSERT_EQ(test, op(VMX_REMAP_GRANT, ctx->private, ctx->win, 2, 0), 0);
	KUNIT_EXPECT_EQ(test, byte_at(ctx->private, 0), 0);
	KUNIT_EXPECT_EQ(test, byte_at(ctx->private, 1), 0);
	KUNIT_EXPECT_EQ(test, byte_at(ctx->private, 2), 'A' + 2);
	KUNIT_EXPECT_EQ(test, byte_at(ctx->win, 0), 'A');
	KUNIT_EXPECT_EQ(test, byte_at(ctx->win, 1), 'A' + 1);
	KUNIT_EXPECT_EQ(test, pinned_now(ctx), 2LL);
	KUNIT_ASSERT_EQ(test, op(VMX_REMAP_REVOKE, 0, ctx->win, 2, 0), 0);
	KUNIT_EXPECT_EQ(test, pinned_now(ctx), 0LL);
	/* Granted away, the pages are not there to be granted again. */
	KUNIT_EXPECT_EQ(test, op(VMX_REMAP_GRANT, ctx->private, ctx->win, 1, 0), -ENOENT);
	KUNIT_EXPECT_EQ(test, byte_at(ctx->private, 0), 0);
	KUNIT_EXPECT_EQ(test, pinned_now(ctx), 0LL);
}

/* A grant that cannot be placed leaves the source as it was. */
static void grant_all_or_nothing(struct kunit *test)
{
	struct remap_ctx *ctx = test->priv;
	unsigned long untouched = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE,
						PROT_READ | PROT_WRITE,
						MAP_PRIVATE | MAP_ANONYMOUS, 0);

	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(untouched) || !untouched);
	KUNIT_ASSERT_EQ(test, op(VMX_REMAP_MAP, ctx->shared, ctx->win + PAGE_SIZE, 1, 0), 0);
	/* Slot 1 is taken: nothing of the two source pages may move. */
	KUNIT_EXPECT_EQ(test, op(VMX_REMAP_GRANT, ctx->private, ctx->win, 2, 0), -EEXIST);
	KUNIT_EXPECT_EQ(test, byte_at(ctx->private, 0), 'A');
	KUNIT_EXPECT_EQ(test, byte_at(ctx->private, 1), 'A' + 1);
	KUNIT_EXPECT_EQ(test, byte_at(ctx->win, 0), -1);
	/* Nothing there yet: GUP would make up a zero page to give. */
	KUNIT_EXPECT_EQ(test, op(VMX_REMAP_GRANT, untouched, ctx->win, 1, 0), -ENOENT);
	KUNIT_EXPECT_EQ(test, op(VMX_REMAP_REVOKE, 0, ctx->win + PAGE_SIZE, 1, 0), 0);
	KUNIT_EXPECT_EQ(test, pinned_now(ctx), 0LL);
}

/*
 * The window's PFN entries carry a dirty bit no one passes on to the page:
 * a page written through a window must be dirty once the window lets go,
 * even if writeback cleaned it while it was there.
 */
static void unpin_dirties_written_pages(struct kunit *test)
{
	struct remap_ctx *ctx = test->priv;
	struct vmx_resolve *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	struct page *page = NULL;
	struct folio *folio;
	char c = 'd';

	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_ASSERT_EQ(test, op(VMX_REMAP_MAP, ctx->shared, ctx->win, 1, 0), 0);
	KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)ctx->win, &c, 1), 0UL);
	r->addr = ctx->shared;
	KUNIT_ASSERT_EQ(test, vmx_resolve_locked(current->mm, r, &page), 0);
	KUNIT_ASSERT_NOT_NULL(test, page);
	folio = page_folio(page);
	/* What writeback would do; the window's entry stays writable. */
	folio_lock(folio);
	folio_clear_dirty_for_io(folio);
	folio_unlock(folio);
	KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)ctx->win, &c, 1), 0UL);
	KUNIT_ASSERT_EQ(test, op(VMX_REMAP_REVOKE, 0, ctx->win, 1, 0), 0);
	KUNIT_EXPECT_TRUE(test, folio_test_dirty(folio));
	put_page(page);
	KUNIT_EXPECT_EQ(test, pinned_now(ctx), 0LL);
}

/* A mapped window page switches frames; read-only, then read-write again. */
static void retarget_and_protect(struct kunit *test)
{
	struct remap_ctx *ctx = test->priv;
	char c = 'w';

	KUNIT_ASSERT_EQ(test, op(VMX_REMAP_MAP, ctx->shared, ctx->win, 1, 0), 0);
	KUNIT_EXPECT_EQ(test, byte_at(ctx->win, 0), 'a');
	KUNIT_ASSERT_EQ(test, op(VMX_REMAP_RETARGET, ctx->shared + 2 * PAGE_SIZE,
				 ctx->win, 1, 0), 0);
	KUNIT_EXPECT_EQ(test, byte_at(ctx->win, 0), 'a' + 2);
	KUNIT_EXPECT_EQ(test, pinned_now(ctx), 1LL);

	KUNIT_ASSERT_EQ(test, op(VMX_REMAP_PROTECT, 0, ctx->win, 1, VMX_REMAP_READONLY), 0);
	KUNIT_EXPECT_NE(test, copy_to_user((void __user *)ctx->win, &c, 1), 0UL);
	KUNIT_EXPECT_EQ(test, byte_at(ctx->win, 0), 'a' + 2);
	KUNIT_ASSERT_EQ(test, op(VMX_REMAP_PROTECT, 0, ctx->win, 1, 0), 0);
	KUNIT_EXPECT_EQ(test, copy_to_user((void __user *)ctx->win, &c, 1), 0UL);
	KUNIT_EXPECT_EQ(test, byte_at(ctx->shared, 2), 'w');

	/* Mapped read-only from the start. */
	KUNIT_ASSERT_EQ(test, op(VMX_REMAP_MAP, ctx->shared, ctx->win + PAGE_SIZE, 1,
				 VMX_REMAP_READONLY), 0);
	KUNIT_EXPECT_NE(test, copy_to_user((void __user *)(ctx->win + PAGE_SIZE), &c, 1), 0UL);
	KUNIT_EXPECT_EQ(test, byte_at(ctx->win, 1), 'a');
	KUNIT_ASSERT_EQ(test, op(VMX_REMAP_REVOKE, 0, ctx->win, 2, 0), 0);
	KUNIT_EXPECT_EQ(test, pinned_now(ctx), 0LL);
}

/* Everything refused, and nothing pinned after it. */
static void remap_refusals(struct kunit *test)
{
	struct remap_ctx *ctx = test->priv;
	unsigned long ro = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_READ,
					 MAP_SHARED | MAP_ANONYMOUS, 0);

	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(ro) || !ro);
	/* A private anonymous page may be writable in one place only. */
	KUNIT_EXPECT_EQ(test, op(VMX_REMAP_MAP, ctx->private, ctx->win, 1, 0), -EINVAL);
	/* A shared page would come back from its file: nothing to move. */
	KUNIT_EXPECT_EQ(test, op(VMX_REMAP_GRANT, ctx->shared, ctx->win, 1, 0), -EINVAL);
	/* Not a window; past its end; past the source VMA's end. */
	KUNIT_EXPECT_EQ(test, op(VMX_REMAP_MAP, ctx->shared, ctx->shared, 1, 0), -ENOENT);
	KUNIT_EXPECT_EQ(test, op(VMX_REMAP_MAP, ctx->shared, ctx->win + PAGE_SIZE,
				 RT_PAGES, 0), -ENOENT);
	KUNIT_EXPECT_EQ(test, op(VMX_REMAP_MAP, ctx->shared + PAGE_SIZE, ctx->win,
				 RT_PAGES, 0), -EINVAL);
	/* Writable pins of a read-only mapping; read-only ones are fine. */
	KUNIT_EXPECT_EQ(test, op(VMX_REMAP_MAP, ro, ctx->win, 1, 0), -EFAULT);
	KUNIT_EXPECT_EQ(test, op(VMX_REMAP_MAP, ro, ctx->win, 1, VMX_REMAP_READONLY), 0);
	/* ... and stay read-only: nothing pinned for reading is ever written. */
	KUNIT_EXPECT_EQ(test, op(VMX_REMAP_PROTECT, 0, ctx->win, 1, 0), -EACCES);
	/* Filled slots for map, empty ones for the others. */
	KUNIT_EXPECT_EQ(test, op(VMX_REMAP_MAP, ctx->shared, ctx->win, 1, 0), -EEXIST);
	KUNIT_EXPECT_EQ(test, op(VMX_REMAP_REVOKE, 0, ctx->win, 2, 0), -ENOENT);
	KUNIT_EXPECT_EQ(test, op(VMX_REMAP_PROTECT, 0, ctx->win + PAGE_SIZE, 1, 0), -ENOENT);
	KUNIT_EXPECT_EQ(test, op(VMX_REMAP_RETARGET, ctx->shared, ctx->win + PAGE_SIZE, 1, 0),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, pinned_now(ctx), 1LL);
	KUNIT_EXPECT_EQ(test, op(VMX_REMAP_REVOKE, 0, ctx->win, 1, 0), 0);
	KUNIT_EXPECT_EQ(test, pinned_now(ctx), 0LL);
	/* Windows are MAP_SHARED: a private one would be a COW PFN mapping. */
	KUNIT_EXPECT_TRUE(test, IS_ERR_VALUE(window_open(test, 1, MAP_PRIVATE)));
}

/* What the ioctl checks before any process is looked at. */
static void remap_ioctl_input(struct kunit *test)
{
	struct remap_ctx *ctx = test->priv;
	unsigned long ubuf = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
					   MAP_PRIVATE | MAP_ANONYMOUS, 0);
	const struct vmx_remap good = {
		.size = sizeof(good), .op = VMX_REMAP_MAP, .pages = 1,
		.src_pid = 1, .src_start_time = 1, .src_addr = 0x10000,
		.win_pid = 1, .win_start_time = 1, .win_addr = 0x20000,
	};
	struct {
		const char *what;
		struct vmx_remap r;
		long err;
	} cases[] = {
		{ "no op", good, -EINVAL }, { "unknown op", good, -EINVAL },
		{ "0 pages", good, -EINVAL }, { "too many pages", good, -EINVAL },
		{ "unaligned source", good, -EINVAL }, { "unaligned window", good, -EINVAL },
		{ "kernel address", good, -EINVAL }, { "no start time", good, -EINVAL },
		{ "unknown flag", good, -EINVAL }, { "revoke with a source", good, -EINVAL },
		{ "another process now", good, -ESRCH },
	};
	size_t i;

	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(ubuf) || !ubuf);
	cases[0].r.op = 0;
	cases[1].r.op = VMX_REMAP_PROTECT + 1;
	cases[2].r.pages = 0;
	cases[3].r.pages = VMX_REMAP_MAX_PAGES + 1;
	cases[4].r.src_addr += 8;
	cases[5].r.win_addr += 8;
	cases[6].r.win_addr = TASK_SIZE_MAX;
	cases[7].r.win_start_time = 0;
	cases[8].r.flags = 2;
	cases[9].r.op = VMX_REMAP_REVOKE;
	/* init started at tick 0 or so, certainly not at this one. */
	cases[10].r.win_start_time = 0x7fffffff;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)ubuf, &cases[i].r,
						   sizeof(cases[i].r)), 0UL);
		KUNIT_EXPECT_EQ_MSG(test, vmx_ioctl(VMX_IOC_REMAP, ubuf), cases[i].err,
				    "%s", cases[i].what);
	}
	KUNIT_EXPECT_EQ(test, pinned_now(ctx), 0LL);
}

static struct kunit_case remap_cases[] = {
	KUNIT_CASE(map_shares_then_revoke),
	KUNIT_CASE(grant_moves_private_pages),
	KUNIT_CASE(grant_all_or_nothing),
	KUNIT_CASE(unpin_dirties_written_pages),
	KUNIT_CASE(retarget_and_protect),
	KUNIT_CASE(remap_refusals),
	KUNIT_CASE(remap_ioctl_input),
	{}
};

static struct kunit_suite remap_suite = {
	.name = "vmx_remap",
	.init = remap_init,
	.test_cases = remap_cases,
};

kunit_test_suite(remap_suite);
