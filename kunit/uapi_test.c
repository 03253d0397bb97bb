// SPDX-License-Identifier: GPL-2.0
/*
 * The uapi contract of include/uapi/vmx.h, exercised through the same entry
 * point as ioctl(2) with a real user buffer (kunit_vm_mmap), and VMX_IOC_INFO
 * checked against what the CPU itself says (CR4, the page tables).
 */
#include <kunit/test.h>
#include <linux/mman.h>
#include <linux/sizes.h>
#include <linux/uaccess.h>
#include <linux/utsname.h>
#include <asm/special_insns.h>
#include <asm/set_memory.h>

#include "vmx_priv.h"

/* A fixed spot, so that the page above it is known to be unmapped. */
#define UAPI_TEST_ADDR	0x10000000UL

struct uapi_ctx {
	void __user *ubuf;	/* one user page */
	struct vmx_info *kbuf;	/* staging copy */
};

static int uapi_test_init(struct kunit *test)
{
	struct uapi_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	unsigned long addr;

	KUNIT_ASSERT_NOT_NULL(test, ctx);
	addr = kunit_vm_mmap(test, NULL, UAPI_TEST_ADDR, PAGE_SIZE,
			     PROT_READ | PROT_WRITE,
			     MAP_ANONYMOUS | MAP_PRIVATE | MAP_FIXED_NOREPLACE, 0);
	KUNIT_ASSERT_EQ(test, addr, UAPI_TEST_ADDR);
	ctx->ubuf = (void __user *)addr;
	ctx->kbuf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx->kbuf);
	test->priv = ctx;
	return 0;
}

/* Put a request of @size bytes (rest of the page zero) and call the ioctl. */
static long uapi_call(struct kunit *test, unsigned int cmd, u64 size)
{
	struct uapi_ctx *ctx = test->priv;

	ctx->kbuf->size = size;
	KUNIT_ASSERT_EQ(test, copy_to_user(ctx->ubuf, ctx->kbuf, PAGE_SIZE), 0);
	return vmx_ioctl(cmd, (unsigned long)ctx->ubuf);
}

static void uapi_read_back(struct kunit *test)
{
	struct uapi_ctx *ctx = test->priv;

	KUNIT_ASSERT_EQ(test, copy_from_user(ctx->kbuf, ctx->ubuf, PAGE_SIZE), 0);
}

static void info_ok(struct kunit *test)
{
	struct uapi_ctx *ctx = test->priv;

	KUNIT_EXPECT_EQ(test, uapi_call(test, VMX_IOC_INFO, sizeof(struct vmx_info)), 0);
	uapi_read_back(test);
	KUNIT_EXPECT_EQ(test, ctx->kbuf->abi_version, VMX_ABI_VERSION);
	KUNIT_EXPECT_TRUE(test, ctx->kbuf->levels == 4 || ctx->kbuf->levels == 5);
	KUNIT_EXPECT_TRUE(test, ctx->kbuf->features & VMX_FEAT_INFO);
	KUNIT_EXPECT_EQ(test, ctx->kbuf->size, sizeof(struct vmx_info));
	KUNIT_EXPECT_STREQ(test, ctx->kbuf->release, init_utsname()->release);
}

static void info_size_too_small(struct kunit *test)
{
	static const u64 sizes[] = { 0, 1, 8, 16, 23 };
	int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		KUNIT_EXPECT_EQ_MSG(test, uapi_call(test, VMX_IOC_INFO, sizes[i]),
				    -EINVAL, "size %llu", sizes[i]);
}

static void info_size_above_max(struct kunit *test)
{
	static const u64 sizes[] = { VMX_REQ_SIZE_MAX + 1, SZ_1M, 1ULL << 40, U64_MAX };
	int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		KUNIT_EXPECT_EQ_MSG(test, uapi_call(test, VMX_IOC_INFO, sizes[i]),
				    -E2BIG, "size %llu", sizes[i]);
}

/* A newer caller: a larger struct is fine while the bytes we lack are 0. */
static void info_size_larger_zero_tail(struct kunit *test)
{
	struct uapi_ctx *ctx = test->priv;
	size_t ksize = sizeof(struct vmx_info);
	u8 *tail;

	KUNIT_EXPECT_EQ(test, uapi_call(test, VMX_IOC_INFO, ksize + 64), 0);
	uapi_read_back(test);
	KUNIT_EXPECT_EQ(test, ctx->kbuf->abi_version, VMX_ABI_VERSION);
	tail = (u8 *)ctx->kbuf + ksize;
	KUNIT_EXPECT_TRUE(test, !memchr_inv(tail, 0, 64));
	KUNIT_EXPECT_EQ(test, uapi_call(test, VMX_IOC_INFO, VMX_REQ_SIZE_MAX), 0);
}

static void info_size_larger_nonzero_tail(struct kunit *test)
{
	struct uapi_ctx *ctx = test->priv;
	size_t ksize = sizeof(struct vmx_info);
	size_t off;

	for (off = ksize; off < ksize + 64; off += 9) {
		memset(ctx->kbuf, 0, PAGE_SIZE);
		((u8 *)ctx->kbuf)[off] = 1;
		KUNIT_EXPECT_EQ_MSG(test, uapi_call(test, VMX_IOC_INFO, ksize + 64),
				    -E2BIG, "non-zero byte at %zu", off);
	}
}

/* An older caller: only the bytes it knows are written back. */
static void info_size_smaller_copies_less(struct kunit *test)
{
	struct uapi_ctx *ctx = test->priv;
	size_t usize = offsetofend(struct vmx_info, levels);

	memset(ctx->kbuf, 0xa5, PAGE_SIZE);
	ctx->kbuf->flags = 0;
	ctx->kbuf->reserved = 0;
	KUNIT_EXPECT_EQ(test, uapi_call(test, VMX_IOC_INFO, usize), 0);
	uapi_read_back(test);
	KUNIT_EXPECT_EQ(test, ctx->kbuf->abi_version, VMX_ABI_VERSION);
	KUNIT_EXPECT_EQ(test, ctx->kbuf->features, 0xa5a5a5a5a5a5a5a5ULL);
}

static void info_unknown_flags(struct kunit *test)
{
	struct uapi_ctx *ctx = test->priv;
	int bit;

	for (bit = 0; bit < 64; bit++) {
		memset(ctx->kbuf, 0, PAGE_SIZE);
		ctx->kbuf->flags = 1ULL << bit;
		KUNIT_EXPECT_EQ_MSG(test, uapi_call(test, VMX_IOC_INFO,
						    sizeof(struct vmx_info)),
				    -EINVAL, "flag bit %d", bit);
	}
}

static void info_reserved_nonzero(struct kunit *test)
{
	struct uapi_ctx *ctx = test->priv;
	int bit;

	for (bit = 0; bit < 64; bit += 7) {
		memset(ctx->kbuf, 0, PAGE_SIZE);
		ctx->kbuf->reserved = 1ULL << bit;
		KUNIT_EXPECT_EQ_MSG(test, uapi_call(test, VMX_IOC_INFO,
						    sizeof(struct vmx_info)),
				    -EINVAL, "reserved bit %d", bit);
	}
}

/* Output fields are outputs: whatever the caller left there is ignored. */
static void info_ignores_output_garbage(struct kunit *test)
{
	struct uapi_ctx *ctx = test->priv;
	size_t in_end = offsetofend(struct vmx_info, reserved);

	memset((u8 *)ctx->kbuf + in_end, 0xff, sizeof(struct vmx_info) - in_end);
	KUNIT_EXPECT_EQ(test, uapi_call(test, VMX_IOC_INFO, sizeof(struct vmx_info)), 0);
	uapi_read_back(test);
	KUNIT_EXPECT_TRUE(test, ctx->kbuf->levels == 4 || ctx->kbuf->levels == 5);
	KUNIT_EXPECT_EQ(test, ctx->kbuf->release[sizeof(ctx->kbuf->release) - 1], 0);
}

static void info_bad_pointer(struct kunit *test)
{
	struct uapi_ctx *ctx = test->priv;
	unsigned long crossing;

	KUNIT_EXPECT_EQ(test, vmx_ioctl(VMX_IOC_INFO, 0), -EFAULT);
	KUNIT_EXPECT_EQ(test, vmx_ioctl(VMX_IOC_INFO, 16), -EFAULT);
	/* A kernel address is not a user pointer, even a valid one. */
	KUNIT_EXPECT_EQ(test, vmx_ioctl(VMX_IOC_INFO, (unsigned long)ctx->kbuf),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, vmx_ioctl(VMX_IOC_INFO, UAPI_TEST_ADDR + PAGE_SIZE),
			-EFAULT);
	/* Size readable, rest of the struct beyond the mapping. */
	crossing = UAPI_TEST_ADDR + PAGE_SIZE - 32;
	memset(ctx->kbuf, 0, PAGE_SIZE);
	*(u64 *)((u8 *)ctx->kbuf + PAGE_SIZE - 32) = sizeof(struct vmx_info);
	KUNIT_ASSERT_EQ(test, copy_to_user(ctx->ubuf, ctx->kbuf, PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, vmx_ioctl(VMX_IOC_INFO, crossing), -EFAULT);
}

static void unknown_commands(struct kunit *test)
{
	u64 size = sizeof(struct vmx_info);

	KUNIT_EXPECT_EQ(test, uapi_call(test, _IOWR(VMX_IOC_MAGIC, 0x7f, u64), size),
			-ENOTTY);
	KUNIT_EXPECT_EQ(test, uapi_call(test, _IOWR(VMX_IOC_MAGIC + 1, 0, struct vmx_info),
					size), -ENOTTY);
	KUNIT_EXPECT_EQ(test, uapi_call(test, _IOR(VMX_IOC_MAGIC, 0, struct vmx_info),
					size), -ENOTTY);
	KUNIT_EXPECT_EQ(test, uapi_call(test, _IO(VMX_IOC_MAGIC, 0), size), -ENOTTY);
	KUNIT_EXPECT_EQ(test, uapi_call(test, 0, size), -ENOTTY);
	/* The size bits of the number do not matter; the size field does. */
	KUNIT_EXPECT_EQ(test, uapi_call(test, _IOWR(VMX_IOC_MAGIC, 0, u64), size), 0);
}

/* INFO against the CPU's control registers and the kernel's page tables. */
static void info_matches_hardware(struct kunit *test)
{
	struct uapi_ctx *ctx = test->priv;
	unsigned long cr4 = __read_cr4();
	struct vmx_info *in = ctx->kbuf;
	void *obj;

	KUNIT_ASSERT_EQ(test, uapi_call(test, VMX_IOC_INFO, sizeof(*in)), 0);
	uapi_read_back(test);
	KUNIT_EXPECT_EQ(test, in->levels, (cr4 & X86_CR4_LA57) ? 5U : 4U);
	KUNIT_EXPECT_EQ(test, !!(in->paging & VMX_PAGING_LA57), !!(cr4 & X86_CR4_LA57));
	KUNIT_EXPECT_EQ(test, !!(in->paging & VMX_PAGING_PCID), !!(cr4 & X86_CR4_PCIDE));
	KUNIT_EXPECT_EQ(test, !!(in->paging & VMX_PAGING_PKU), !!(cr4 & X86_CR4_PKE));
	KUNIT_EXPECT_EQ(test, in->virt_bits, (cr4 & X86_CR4_LA57) ? 57U : 48U);
	KUNIT_EXPECT_EQ(test, in->page_size, 4096U);
	KUNIT_EXPECT_EQ(test, in->ptrs_per_table, 512U);

	/* The direct map: a slab object sits at base + its physical address,
	 * as the kernel's own page-table walk finds it.
	 */
	obj = kunit_kmalloc(test, 64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	KUNIT_EXPECT_EQ(test, in->page_offset_base + slow_virt_to_phys(obj),
			(u64)(unsigned long)obj);
	KUNIT_EXPECT_GT(test, in->phys_ram_end, slow_virt_to_phys(obj));
	KUNIT_EXPECT_LE(test, in->phys_ram_end, in->direct_map_size);
}

static struct kunit_case uapi_cases[] = {
	KUNIT_CASE(info_ok),
	KUNIT_CASE(info_size_too_small),
	KUNIT_CASE(info_size_above_max),
	KUNIT_CASE(info_size_larger_zero_tail),
	KUNIT_CASE(info_size_larger_nonzero_tail),
	KUNIT_CASE(info_size_smaller_copies_less),
	KUNIT_CASE(info_unknown_flags),
	KUNIT_CASE(info_reserved_nonzero),
	KUNIT_CASE(info_ignores_output_garbage),
	KUNIT_CASE(info_bad_pointer),
	KUNIT_CASE(unknown_commands),
	KUNIT_CASE(info_matches_hardware),
	{}
};

static struct kunit_suite uapi_suite = {
	.name = "vmx_uapi",
	.init = uapi_test_init,
	.test_cases = uapi_cases,
};

kunit_test_suite(uapi_suite);
