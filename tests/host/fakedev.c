// SPDX-License-Identifier: GPL-2.0
/*
 * fakedev.so: an LD_PRELOAD shim that plays vmx.ko for vmxctl on the host.
 *
 * Why: vmxctl's text and JSON outputs are a contract (tests/e2e, the JSON
 * schema), and refactoring how they are printed must not change a byte.
 * Real outputs need a VM and change from boot to boot; this shim answers
 * every /dev/vmx request with fixed data of one made-up process, so that
 * tests/host/golden.sh can hold the outputs to committed golden files in
 * seconds, without root or a module.
 *
 * It intercepts: open() of $VMXCTL_DEVICE (a /dev/null fd stands for it),
 * ioctl() and mmap() on that fd, fopen() of /proc/PID/... (the fake pids
 * below; other pids do not exist) and of vmx's sysfs files, getpid() (the
 * window helper's own pid) and kill() of the fake pids (dump's 'stop').
 * Knobs, all optional: VMX_FAKE_LEVELS=5 (5-level paging, no PTI),
 * VMX_FAKE_HIDDEN=1 (kernel addresses hidden), VMX_FAKE_ABSENT=1 (no
 * module), VMX_FAKE_ERRNO=N (every request but INFO fails with errno N),
 * VMX_FAKE_DUMP_ESRCH=1 (a dump's second call finds the target gone),
 * VMX_FAKE_DUMP_SLICE=N (a dump call hands out at most N records),
 * VMX_FAKE_ALLOW_EDITS=2 (the module parameter reads 2, not 1),
 * VMX_FAKE_ABI=N (INFO reports module ABI N: an older module),
 * VMX_FAKE_BULK=N (a dump of N 4K leaves: see do_bulk_dump()).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <unistd.h>

#include "uapi/vmx.h"

#define TARGET_PID	4242	/* the process every command looks at */
#define SELF_PID	4343	/* vmxctl itself, as 'window open' sees it */
#define WINDOW_ADDR	0x7f5500000000ULL
#define ROOT_PFN	0x109000ULL	/* PTI: the user copy is the next page */
#define PTE_NX		(1ULL << 63)
#define MAX_RECS	64
#define MAX_TABLES	16

static int levels = 4, pti = 1, fake_fd = -1, stopped;

/* ---- The address space of the fake target ---- */

struct vma_spec {
	uint64_t start, end, vm_flags, pgoff, inode;
	uint32_t major, minor, attrs;
	const char *name;
};

static const struct vma_spec vmas[] = {
	{ 0x55d0c0a00000, 0x55d0c0a03000, 0x75, 0, 1234567, 8, 1,
	  VMX_VMA_FILE, "/usr/bin/fake-target" },
	{ 0x55d0c0c00000, 0x55d0c0e21000, 0x100073, 0x55d0c0c00, 0, 0, 0,
	  VMX_VMA_ANON_VMA | VMX_VMA_HEAP, "[heap]" },
	{ 0x7f3a40000000, 0x7f3a80000000, 0x4400fb, 0, 42, 0, 0x2f,
	  VMX_VMA_HUGETLB | VMX_VMA_FILE, "/dev/hugepages/fake" },
	{ 0x7f3a80000000, 0x7f3a80200000, 0x2100000070, 0x7f3a80000, 0, 0, 0,
	  0, "" },
	{ 0x7ffd4e5f0000, 0x7ffd4e612000, 0x100173, 0x7ffffffde, 0, 0, 0,
	  VMX_VMA_ANON_VMA | VMX_VMA_STACK, "[stack]" },
	{ 0x7ffd4e7fc000, 0x7ffd4e7fe000, 0x8040075, 0, 0, 0, 0,
	  VMX_VMA_SPECIAL, "[vdso]" },
};

#define NVMAS (sizeof(vmas) / sizeof(vmas[0]))
#define PG_ANON (VMX_PAGE_VALID | VMX_PAGE_ANON | VMX_PAGE_EXCLUSIVE)

/* What the walk ends at; n > 1 is a run of like entries (one with merge). */
struct leaf_spec {
	uint64_t va, pfn, raw;
	uint8_t level, kind, pkey, swap_type;
	uint32_t sw, page, n;
	int32_t ref, map;
	uint64_t swap_offset;
};

static const struct leaf_spec leaves[] = {
	{ 0x55d0c0a00000, 0x11a2b0, 0x25, 1, VMX_KIND_LEAF, 0, 0, 0,
	  VMX_PAGE_VALID | VMX_PAGE_FILE, 2, 3, 2, 0 },
	{ 0x55d0c0c00000, 0x13e400, PTE_NX | 0x8e7, 2, VMX_KIND_LEAF, 0, 0,
	  VMX_SW_SOFT_DIRTY, PG_ANON | VMX_PAGE_LARGE, 1, 513, 1, 0 },
	{ 0x55d0c0e00000, 0x1b7c01, PTE_NX | 0x867, 1, VMX_KIND_LEAF, 0, 0,
	  VMX_SW_SOFT_DIRTY, PG_ANON, 1, 1, 1, 0 },
	{ 0x55d0c0e01000, 0x3a0e, PTE_NX | 0x225, 1, VMX_KIND_LEAF, 0, 0,
	  VMX_SW_SPECIAL, VMX_PAGE_VALID | VMX_PAGE_ZERO, 1, 1, -1, 0 },
	{ 0x55d0c0e02000, 0, 0x3fffffffffe5d400, 1, VMX_KIND_SWAP, 0, 0,
	  0, 0, 1, -1, -1, 0x1a2b },
	{ 0x55d0c0e03000, 0, 0x3ffffffffffffa00, 1, VMX_KIND_MARKER, 0, 0,
	  0, 0, 1, -1, -1, VMX_MARKER_GUARD },
	{ 0x7f3a40000000, 0x140000, PTE_NX | 0xe7, 3, VMX_KIND_LEAF, 0, 0,
	  0, VMX_PAGE_VALID | VMX_PAGE_FILE | VMX_PAGE_HUGETLB, 1, 1, 1, 0 },
	{ 0x7ffd4e60c000, 0x1c0a10, PTE_NX | 0x867, 1, VMX_KIND_LEAF, 0, 0,
	  VMX_SW_SOFT_DIRTY, PG_ANON, 3, 1, 1, 0 },
	{ 0x7ffd4e60f000, 0x1c0a20, PTE_NX | 0x166, 1, VMX_KIND_PROTNONE, 0, 0,
	  VMX_SW_NUMA_HINT, PG_ANON, 1, 1, 1, 0 },
	{ 0x7ffd4e610000, 0x1c0a21, 0x3ffffffe3f5dd000, 1,
	  VMX_KIND_MIGRATION_READ, 0, 0, 0, 0, 1, -1, -1, 0 },
	{ 0x7ffd4e611000, 0x1c0a30, PTE_NX | (1ULL << 59) | 0x867, 1,
	  VMX_KIND_LEAF, 1, 0, VMX_SW_SOFT_DIRTY, PG_ANON, 1, 1, 1, 0 },
	{ 0x7ffd4e7fc000, 0x2c05, 0x25, 1, VMX_KIND_LEAF, 0, 0, 0,
	  VMX_PAGE_VALID | VMX_PAGE_FILE, 1, 5, 4, 0 },
};

#define NLEAVES (sizeof(leaves) / sizeof(leaves[0]))

/* Built once: every record (runs expanded), the merged view, the tables. */
static struct vmx_entry recs[MAX_RECS], merged[MAX_RECS];
static int nrecs, nmerged;
static struct vmx_raw_table tables[MAX_TABLES];
static int ntables;

static unsigned int shift_of(unsigned int level)
{
	if (level == VMX_LEVEL_PGD)
		return levels == 5 ? 48 : 39;
	return 12 + 9 * (level - 1);
}

static unsigned int below(unsigned int level)
{
	return level == VMX_LEVEL_PGD && levels == 4 ? VMX_LEVEL_PUD : level - 1;
}

static const struct vma_spec *vma_at(uint64_t va)
{
	for (size_t i = 0; i < NVMAS; i++)
		if (va >= vmas[i].start && va < vmas[i].end)
			return &vmas[i];
	return NULL;
}

static struct vmx_raw_table *table_of(unsigned int level, uint64_t va)
{
	uint64_t span = 1ULL << (shift_of(level) + 9);

	for (int i = 0; i < ntables; i++)
		if ((tables[i].va_level & VMX_RAW_LEVEL_MASK) == level &&
		    (tables[i].va_level & ~VMX_RAW_LEVEL_MASK) == (va & ~(span - 1)))
			return &tables[i];
	return NULL;
}

/* Where the entry lies: its table's frame (the root's user copy under PTI). */
static void add_rec(struct vmx_entry *list, int *n, const struct vmx_entry *e)
{
	const struct vmx_raw_table *t = table_of(e->level, e->va);
	struct vmx_entry *r = &list[(*n)++];
	uint64_t pfn = t ? t->pfn : 0;

	*r = *e;
	if (e->level == VMX_LEVEL_PGD && pti)
		pfn++;
	r->entry_pa = pfn << 12 | ((e->va >> shift_of(e->level)) & 511) * 8;
}

/*
 * The specs' vm_flags are 6.12's raw bits, which the module decodes into
 * VMX_VMA_* for the caller: the same decoding, for the specs' bits.
 */
static uint64_t stable_flags(const struct vma_spec *v)
{
	static const uint64_t low[32] = {
		VMX_VMA_READ, VMX_VMA_WRITE, VMX_VMA_EXEC, VMX_VMA_SHARED,
		VMX_VMA_MAYREAD, VMX_VMA_MAYWRITE, VMX_VMA_MAYEXEC, VMX_VMA_MAYSHARE,
		VMX_VMA_GROWSDOWN, VMX_VMA_UFFD_MISSING, VMX_VMA_PFNMAP,
		VMX_VMA_MAYBE_GUARD, VMX_VMA_UFFD_WP, VMX_VMA_LOCKED, VMX_VMA_IO,
		VMX_VMA_SEQ_READ, VMX_VMA_RAND_READ, VMX_VMA_DONTCOPY,
		VMX_VMA_DONTEXPAND, VMX_VMA_LOCKONFAULT, VMX_VMA_ACCOUNT,
		VMX_VMA_NORESERVE, VMX_VMA_HUGETLB, VMX_VMA_SYNC, VMX_VMA_PAT,
		VMX_VMA_WIPEONFORK, VMX_VMA_DONTDUMP, VMX_VMA_SOFTDIRTY,
		VMX_VMA_MIXEDMAP, VMX_VMA_HUGEPAGE, VMX_VMA_NOHUGEPAGE,
		VMX_VMA_MERGEABLE,
	};
	uint64_t f = v->attrs;

	for (unsigned int b = 0; b < 32; b++)
		if (v->vm_flags & (1ULL << b))
			f |= low[b];
	if (v->vm_flags & (1ULL << 37))
		f |= VMX_VMA_SHADOW_STACK;
	if (v->vm_flags & (1ULL << 38))
		f |= VMX_VMA_UFFD_MINOR;
	if (v->vm_flags & (1ULL << 63))
		f |= VMX_VMA_SEALED;
	return f;
}

/* The tables above @va down to @level, each once, before what they hold. */
static void add_tables(uint64_t va, unsigned int level)
{
	static uint64_t next_pfn = ROOT_PFN + 2;

	for (unsigned int l = VMX_LEVEL_PGD; l > level; l = below(l)) {
		uint64_t span = 1ULL << shift_of(l), start = va & ~(span - 1);
		struct vmx_raw_table *t = table_of(l, va);
		struct vmx_entry e = { .va = start, .level = l, .kind = VMX_KIND_TABLE,
				       .span_shift = shift_of(l), .nr = 1,
				       .refcount = -1, .mapcount = -1 };

		if (table_of(below(l), va))
			continue;
		e.pfn = next_pfn++;
		e.raw = e.raw_kernel = e.pfn << 12 | 0x67;
		if (l == VMX_LEVEL_PGD && pti)
			e.raw_kernel |= PTE_NX;
		t->entries[(va >> shift_of(l)) & 511] = e.raw;
		tables[ntables].va_level = start | below(l);
		tables[ntables++].pfn = e.pfn;
		add_rec(recs, &nrecs, &e);
		add_rec(merged, &nmerged, &e);
	}
}

static void build(void)
{
	const char *lv = getenv("VMX_FAKE_LEVELS");

	if (lv && !strcmp(lv, "5")) {
		levels = 5;
		pti = 0;
	}
	tables[0].va_level = VMX_LEVEL_PGD;
	tables[0].pfn = ROOT_PFN;
	ntables = 1;
	for (size_t i = 0; i < NLEAVES; i++) {
		const struct leaf_spec *s = &leaves[i];
		unsigned int sh = shift_of(s->level);
		struct vmx_entry e = {
			.va = s->va, .pfn = s->pfn, .raw = s->raw, .raw_kernel = s->raw,
			.swap_offset = s->swap_offset, .nr = 1, .level = s->level,
			.kind = s->kind, .span_shift = sh, .swap_type = s->swap_type,
			.pkey = s->pkey, .sw = s->sw, .page = s->page,
			.refcount = s->ref, .mapcount = s->map,
		};

		add_tables(s->va, s->level);
		for (uint32_t k = 0; k < s->n; k++) {
			struct vmx_entry r = e;

			r.va += (uint64_t)k << sh;
			if (r.pfn)
				r.pfn += (uint64_t)k << (sh - 12);
			r.raw = r.raw_kernel = s->raw + (r.pfn << 12);
			table_of(s->level, r.va)->entries[(r.va >> sh) & 511] = r.raw;
			add_rec(recs, &nrecs, &r);
		}
		e.raw = e.raw_kernel = s->raw + (s->pfn << 12);
		e.nr = s->n;
		add_rec(merged, &nmerged, &e);
	}
}

/* The record a walk meets at @level for @va, or NULL: an empty entry. */
static const struct vmx_entry *rec_at(unsigned int level, uint64_t va)
{
	for (int i = 0; i < nrecs; i++)
		if (recs[i].level == level && va >= recs[i].va &&
		    va - recs[i].va < 1ULL << recs[i].span_shift)
			return &recs[i];
	return NULL;
}

/* ---- The requests ---- */

static void do_info(struct vmx_info *in)
{
	memset(&in->abi_version, 0, sizeof(*in) - offsetof(struct vmx_info, abi_version));
	in->abi_version = getenv("VMX_FAKE_ABI") ? (uint32_t)atoi(getenv("VMX_FAKE_ABI")) :
			  VMX_ABI_VERSION;
	in->levels = levels;
	in->sw_valid = 0x37;
	in->vma_flags_valid = (1ULL << 52) - 1;
	in->features = 0xffff;
	if (in->abi_version >= VMX_ABI_VERSION) {
		in->features |= VMX_FEAT_PAT;
		in->pat = 0x0407050600070106ULL;	/* what Linux programs */
	}
	in->leaf_sizes = VMX_LEAF_4K | VMX_LEAF_2M | VMX_LEAF_1G;
	in->phys_ram_end = 0x240000000;
	in->phys_bits = 40;
	in->page_size = 4096;
	in->ptrs_per_table = 512;
	if (levels == 5) {
		in->paging = VMX_PAGING_LA57 | VMX_PAGING_NX | VMX_PAGING_PCID |
			     VMX_PAGING_PKU | VMX_PAGING_CPU_LA57;
		in->page_offset_base = 0xff11000000000000;
		in->direct_map_size = 1ULL << 55;
		in->user_va_end = 0xfffffffffff000;
		in->virt_bits = 57;
	} else {
		in->paging = VMX_PAGING_PTI | VMX_PAGING_NX | VMX_PAGING_PCID;
		in->page_offset_base = 0xffff888000000000;
		in->direct_map_size = 1ULL << 46;
		in->user_va_end = 0x7ffffffff000;
		in->virt_bits = 48;
	}
	if (getenv("VMX_FAKE_HIDDEN"))
		in->page_offset_base = 0;
	snprintf(in->release, sizeof(in->release), "6.12.0-fake");
}

/*
 * VMX_FAKE_BULK=N: the dump is N present 4K anonymous leaves from the 1 GiB
 * hugetlb VMA's start on (no tables), for timing vmxctl's formatting
 * natively (tests/bench/format.sh); resumed from the cursor.
 */
static int do_bulk_dump(struct vmx_dump *d, uint64_t n)
{
	struct vmx_entry *out = (struct vmx_entry *)(uintptr_t)d->entries;
	uint64_t base = 0x7f3a40000000ULL, i;

	i = d->cursor > base ? (d->cursor - base) / 4096 : 0;
	d->count = 0;
	d->root_pa = ROOT_PFN << 12;
	d->root_pa_user = (ROOT_PFN + (pti ? 1 : 0)) << 12;
	for (; i < n && base + i * 4096 < d->end && d->count < d->max_entries; i++) {
		uint64_t pfn = 0x200000 + i;

		out[d->count++] = (struct vmx_entry){
			.va = base + i * 4096, .raw = PTE_NX | pfn << 12 | 0x867,
			.raw_kernel = PTE_NX | pfn << 12 | 0x867, .pfn = pfn,
			.entry_pa = 0x10a000000ULL + i * 8, .nr = 1,
			.level = VMX_LEVEL_PTE, .kind = VMX_KIND_LEAF, .span_shift = 12,
			.sw = VMX_SW_SOFT_DIRTY,
			.page = VMX_PAGE_VALID | VMX_PAGE_ANON | VMX_PAGE_EXCLUSIVE,
			.refcount = 1, .mapcount = 1 };
	}
	d->cursor = i < n && base + i * 4096 < d->end ? base + i * 4096 :
		    (d->end + 4095) & ~4095ULL;
	return 0;
}

static int do_dump(struct vmx_dump *d)
{
	static int calls;

	if (getenv("VMX_FAKE_BULK"))
		return do_bulk_dump(d, strtoull(getenv("VMX_FAKE_BULK"), NULL, 0));
	const struct vmx_entry *list = d->flags & VMX_DUMP_MERGE ? merged : recs;
	int n = d->flags & VMX_DUMP_MERGE ? nmerged : nrecs;
	struct vmx_entry *out = (struct vmx_entry *)(uintptr_t)d->entries;
	const char *slice_env = getenv("VMX_FAKE_DUMP_SLICE");
	uint32_t slice = slice_env ? (uint32_t)atoi(slice_env) : 0;
	/* As the module: 0 the first time, then where the last call ended
	 * (here: the record it ended before, as two share an address).
	 */
	static int next;
	int first = d->cursor ? next : 0;

	if (++calls == 2 && getenv("VMX_FAKE_DUMP_ESRCH"))
		return ESRCH;
	d->count = 0;
	/* As the module: done is the end rounded up to a page. */
	d->cursor = (d->end + 4095) & ~4095ULL;
	d->root_pa = ROOT_PFN << 12;
	d->root_pa_user = (ROOT_PFN + (pti ? 1 : 0)) << 12;
	if (d->flags & VMX_DUMP_TABLES) {
		memcpy((void *)(uintptr_t)d->entries, tables, ntables * sizeof(tables[0]));
		d->count = ntables;
		return 0;
	}

	for (int i = first; i < n && d->count < d->max_entries; i++) {
		struct vmx_entry e = list[i];

		if (e.va >= d->end || e.va + (1ULL << e.span_shift) <= d->start ||
		    (e.kind == VMX_KIND_TABLE && (d->flags & VMX_DUMP_LEAVES)))
			continue;
		/* A full slice: the next call starts at this record. */
		if (slice && d->count == slice) {
			d->cursor = e.va;
			next = i;
			break;
		}
		if (d->flags & VMX_DUMP_NO_PAGE) {
			e.page = 0;
			e.refcount = e.mapcount = -1;
		}
		/* The target exits half-way: hand out the first half only. */
		if (getenv("VMX_FAKE_DUMP_ESRCH") && i == n / 2) {
			d->cursor = e.va;
			next = i;
			break;
		}
		out[d->count++] = e;
	}
	return 0;
}

static int do_resolve(struct vmx_resolve *r, const struct vmx_info *in)
{
	uint64_t table = ROOT_PFN + (pti ? 1 : 0);
	const struct vma_spec *v = vma_at(r->addr);

	r->root_pa = ROOT_PFN << 12;
	r->root_pa_user = table << 12;
	if (r->flags & VMX_RESOLVE_KERNEL) {
		/* The direct map: a PGD entry, a PUD table, a global 2M leaf. */
		uint64_t raw[] = { 0x3e01067, 0x3e02067, 0x80000000000001e3 };
		unsigned int leaf = below(below(VMX_LEVEL_PGD));

		r->pa = (r->addr - in->page_offset_base) & ((1ULL << 46) - 1);
		raw[2] |= r->pa & ~((1ULL << shift_of(leaf)) - 1);
		r->root_pa_user = r->root_pa;
		for (int i = 0; i < 3; i++) {
			unsigned int l = i ? below(VMX_LEVEL_PGD) - (i - 1) : VMX_LEVEL_PGD;

			r->steps[i] = (struct vmx_step){ .level = l,
				.table_pa = i ? raw[i - 1] & ~0xfffULL : r->root_pa,
				.entry = raw[i], .entry_kernel = raw[i],
				.index = (r->addr >> shift_of(l)) & 511 };
		}
		r->nr_steps = 3;
		r->result = VMX_RESOLVE_MAPPED;
		r->final = (struct vmx_entry){ .level = leaf, .kind = VMX_KIND_LEAF,
			.va = r->addr & ~((1ULL << shift_of(leaf)) - 1), .raw = raw[2],
			.raw_kernel = raw[2], .pfn = (raw[2] & ((1ULL << 52) - 1)) >> 12,
			.span_shift = shift_of(leaf), .nr = 1,
			.refcount = -1, .mapcount = -1 };
		return 0;
	}
	r->in_vma = !!v;
	for (unsigned int l = VMX_LEVEL_PGD; l >= VMX_LEVEL_PTE; l = below(l)) {
		const struct vmx_entry *e = rec_at(l, r->addr);
		struct vmx_step *s = &r->steps[r->nr_steps++];

		s->level = l;
		s->index = (r->addr >> shift_of(l)) & 511;
		s->table_pa = table << 12;
		if (!e) {
			r->result = VMX_RESOLVE_NONE;
			break;
		}
		s->entry = e->raw;
		s->entry_kernel = e->raw_kernel;
		if (e->kind == VMX_KIND_TABLE) {
			table = e->pfn;
			continue;
		}
		r->final = *e;
		r->result = e->kind == VMX_KIND_LEAF ? VMX_RESOLVE_MAPPED :
			    VMX_RESOLVE_NOT_PRESENT;
		r->pa = (e->pfn << 12) + (r->addr - e->va);
		if (r->result != VMX_RESOLVE_MAPPED)
			r->pa = 0;
		break;
	}
	if (v) {
		r->vma_start = v->start;
		r->vma_end = v->end;
		r->vma_flags = stable_flags(v);
	}
	return 0;
}

/* A present leaf at @addr, as peek and edit need one. */
static const struct vmx_entry *present_leaf(uint64_t addr)
{
	for (unsigned int l = VMX_LEVEL_PUD; l >= VMX_LEVEL_PTE; l--) {
		const struct vmx_entry *e = rec_at(l, addr);

		if (e && e->kind != VMX_KIND_TABLE)
			return e->kind == VMX_KIND_LEAF ? e : NULL;
	}
	return NULL;
}

static int do_peek(struct vmx_peek *p, const struct vmx_info *in)
{
	const struct vmx_entry *e = present_leaf(p->addr);
	static const char text[] = "Hello from fakedev.so\n";
	unsigned char *buf = (unsigned char *)(uintptr_t)p->buf;

	if (!e)
		return ENOENT;
	for (uint32_t i = 0; i < p->len; i++)
		buf[i] = i < sizeof(text) ? text[i] : (unsigned char)(i * 7);
	p->pa = (e->pfn << 12) + (p->addr - e->va);
	p->direct_map = in->page_offset_base ? in->page_offset_base + p->pa : 0;
	p->level = e->level;
	return 0;
}

static int do_phys(struct vmx_phys *p, const struct vmx_info *in)
{
	uint64_t pfn = p->pa >> 12;

	if (p->pa >= in->phys_ram_end)
		return ERANGE;
	p->direct_map = in->page_offset_base ? in->page_offset_base + p->pa : 0;
	p->type = VMX_PHYS_OTHER;
	p->refcount = 2;
	p->order = 0;
	if (p->pa >= 0x9f000 && p->pa < 0x100000) {
		p->type = VMX_PHYS_NOT_RAM;
		p->refcount = -1;
	} else if (p->pa < 0x1000) {
		p->type = VMX_PHYS_RESERVED;
		p->refcount = 1;
	} else if (p->pa >= 0x8000000 && p->pa < 0x8400000) {
		p->type = VMX_PHYS_FREE;
		p->refcount = 0;
		p->order = 10;
	}
	for (int i = 0; i < nrecs; i++) {
		const struct vmx_entry *e = &recs[i];
		uint64_t pages = 1ULL << (e->span_shift - 12);

		if (e->kind == VMX_KIND_TABLE && pfn == e->pfn) {
			p->type = VMX_PHYS_PAGETABLE;
			p->refcount = 1;
		} else if (e->kind == VMX_KIND_LEAF && pfn >= e->pfn && pfn < e->pfn + pages) {
			p->type = e->page & VMX_PAGE_HUGETLB ? VMX_PHYS_HUGETLB :
				  e->page & VMX_PAGE_ANON ? VMX_PHYS_ANON : VMX_PHYS_FILE;
			p->refcount = e->refcount;
			p->order = e->span_shift - 12;
		}
	}
	return 0;
}

static int do_vmas(struct vmx_vmas *q, const struct vmx_info *in)
{
	struct vmx_vma *out = (struct vmx_vma *)(uintptr_t)q->entries;

	q->count = 0;
	for (size_t i = 0; i < NVMAS && q->count < q->max_entries; i++) {
		const struct vma_spec *s = &vmas[i];
		struct vmx_vma *v = &out[q->count++];

		*v = (struct vmx_vma){ .start = s->start, .end = s->end,
			.vm_flags = s->vm_flags, .pgoff = s->pgoff, .inode = s->inode,
			.dev_major = s->major, .dev_minor = s->minor, .attrs = s->attrs,
			.flags = stable_flags(s), .pkey = (s->vm_flags >> 32) & 0xf };
		snprintf(v->name, sizeof(v->name), "%s", s->name);
	}
	q->cursor = in->user_va_end;
	return 0;
}

/* A root arange_64 over two leaves: the first holds the program and its
 * heap, the second everything from the hugetlb mapping up.
 */
static int do_mtree(struct vmx_mtree *m)
{
	struct vmx_mt_node *n = (struct vmx_mt_node *)(uintptr_t)m->nodes;
	const uint64_t split = 0x7f3a3fffffff;

	m->total = 3;
	m->height = 2;
	m->ma_flags = 0x303;
	m->vmas = NVMAS;
	m->count = m->max_nodes < 3 ? m->max_nodes : 3;
	if (m->count < 3)
		return 0;
	memset(n, 0, 3 * sizeof(*n));
	n[0] = (struct vmx_mt_node){ .min = 0, .max = ~0ULL, .pivot = { split, ~0ULL },
		.gap = { split + 1 - vmas[1].end, ~0ULL - vmas[5].end + 1 },
		.parent = VMX_MT_NO_PARENT, .used = 3, .type = VMX_MT_ARANGE_64,
		.slots = 2, .meta_end = 1, .meta_gap = 1 };
	n[1] = (struct vmx_mt_node){ .min = 0, .max = split, .parent = 0,
		.type = VMX_MT_LEAF_64, .depth = 1, .parent_slot = 0, .slots = 5,
		.used = 0xa, .pivot = { vmas[0].start - 1, vmas[0].end - 1,
		vmas[1].start - 1, vmas[1].end - 1, split } };
	n[2] = (struct vmx_mt_node){ .min = split + 1, .max = ~0ULL, .parent = 0,
		.type = VMX_MT_LEAF_64, .depth = 1, .parent_slot = 1, .slots = 7,
		.used = 0x2b, .pivot = { vmas[2].end - 1, vmas[3].end - 1,
		vmas[4].start - 1, vmas[4].end - 1, vmas[5].start - 1,
		vmas[5].end - 1, ~0ULL } };
	return 0;
}

static const uint64_t edit_bits[] = { 1ULL << 5, 1ULL << 1, 1ULL << 6, 1ULL << 11,
				      PTE_NX, 1ULL << 3, 1ULL << 4 };

static int do_edit(struct vmx_edit *e)
{
	const struct vmx_entry *r = rec_at(VMX_LEVEL_PTE, e->addr);
	const struct vma_spec *v = vma_at(e->addr);

	if (!present_leaf(e->addr))
		return ENOENT;
	if (!r)
		return EINVAL;	/* a 2M or 1G leaf */
	/* As the kernel: write only for an exclusive anon page of a writable VMA. */
	if ((e->set & VMX_EDIT_WRITE) &&
	    (!v || !(v->vm_flags & 0x2) || !(r->page & VMX_PAGE_ANON) || !(r->page & VMX_PAGE_EXCLUSIVE)))
		return EACCES;
	e->old = e->new = r->raw;
	for (int b = 0; b < 7; b++) {
		if (e->set & (1U << b))
			e->new |= edit_bits[b];
		if (e->clear & (1U << b))
			e->new &= ~edit_bits[b];
	}
	if ((e->flags & VMX_EDIT_EXPECT) && e->expect != e->old)
		return EAGAIN;
	e->flushed = !(e->flags & (VMX_EDIT_DRY_RUN | VMX_EDIT_NO_FLUSH));
	e->tainted = !(e->flags & VMX_EDIT_DRY_RUN) &&
		     (e->set || (e->flags & VMX_EDIT_NO_FLUSH) ||
		      (e->clear & ~VMX_EDIT_SAFE_CLEAR));
	return 0;
}

/* The fake window has 4 mapped pages: more stop short, as the kernel would. */
static int do_remap(struct vmx_remap *r)
{
	r->done = r->pages > 4 ? 4 : r->pages;
	return 0;
}

static int answer(unsigned long req, void *arg)
{
	struct vmx_info in;
	const char *e = getenv("VMX_FAKE_ERRNO");
	int err = 0;

	if (!nrecs)
		build();
	do_info(&in);
	switch (_IOC_NR(req)) {
	case _IOC_NR(VMX_IOC_INFO):
		do_info(arg);
		return 0;
	case _IOC_NR(VMX_IOC_DUMP): err = do_dump(arg); break;
	case _IOC_NR(VMX_IOC_RESOLVE): err = do_resolve(arg, &in); break;
	case _IOC_NR(VMX_IOC_PEEK): err = do_peek(arg, &in); break;
	case _IOC_NR(VMX_IOC_PHYS): err = do_phys(arg, &in); break;
	case _IOC_NR(VMX_IOC_VMAS): err = do_vmas(arg, &in); break;
	case _IOC_NR(VMX_IOC_MTREE): err = do_mtree(arg); break;
	case _IOC_NR(VMX_IOC_REMAP): err = do_remap(arg); break;
	case _IOC_NR(VMX_IOC_EDIT): err = do_edit(arg); break;
	case _IOC_NR(VMX_IOC_TLB_FLUSH): break;
	default: err = ENOTTY;
	}
	if (!err && e && *e)
		err = atoi(e);
	errno = err;
	return err ? -1 : 0;
}

/* ---- The interceptions ---- */

#define REAL(name) ((__typeof__(&name))dlsym(RTLD_NEXT, #name))

static int is_device(const char *path)
{
	const char *dev = getenv("VMXCTL_DEVICE");

	return path && dev && *dev && !strcmp(path, dev);
}

int open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = va_arg(ap, mode_t);
	va_end(ap);
	if (!is_device(path))
		return REAL(open)(path, flags, mode);
	if (getenv("VMX_FAKE_ABSENT")) {
		errno = ENOENT;
		return -1;
	}
	fake_fd = REAL(open)("/dev/null", flags & O_CLOEXEC);
	return fake_fd;
}

int open64(const char *path, int flags, ...) __attribute__((alias("open")));

int ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (fd != fake_fd || fd < 0)
		return REAL(ioctl)(fd, req, arg);
	return answer(req, arg);
}

/* A window is a file of one page: page 0 reads back, the rest SIGBUS,
 * like window pages with no frame put there.
 */
void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	static const char text[] = "page 0 of the fake window";
	int mfd;
	void *p;

	if (fd != fake_fd || fd < 0)
		return REAL(mmap)(addr, len, prot, flags, fd, off);
	mfd = memfd_create("fakewin", MFD_CLOEXEC);
	if (mfd < 0 || ftruncate(mfd, 4096) || pwrite(mfd, text, sizeof(text), 0) < 0)
		return MAP_FAILED;
	p = REAL(mmap)((void *)WINDOW_ADDR, len, prot, MAP_SHARED | MAP_FIXED_NOREPLACE,
		       mfd, 0);
	close(mfd);
	return p;
}

pid_t getpid(void)
{
	return SELF_PID;
}

int kill(pid_t pid, int sig)
{
	if (pid != TARGET_PID && pid != SELF_PID)
		return REAL(kill)(pid, sig);
	if (sig == SIGSTOP)
		stopped = 1;
	else if (sig == SIGCONT)
		stopped = 0;
	return 0;
}

static FILE *text_file(const char *fmt, ...)
{
	static char buf[8][512];
	static int next;
	char *b = buf[next++ % 8];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b, sizeof(buf[0]), fmt, ap);
	va_end(ap);
	return fmemopen(b, strlen(b), "r");
}

static FILE *proc_file(int pid, const char *what)
{
	const char *comm = pid == TARGET_PID ? "fake target" : "vmxctl";
	unsigned long start = pid == TARGET_PID ? 123456 : 654321;

	if (!strcmp(what, "stat"))
		return text_file("%d (%s) %c 1 %d %d 0 -1 4194560 1000 0 0 0 10 5 0 0 "
				 "20 0 1 0 %lu 10000000 300 18446744073709551615\n",
				 pid, comm, stopped ? 'T' : 'S', pid, pid, start);
	if (!strcmp(what, "status"))
		return text_file("Name:\t%s\nState:\tS (sleeping)\nVmRSS:\t    8200 kB\n"
				 "VmPTE:\t      44 kB\n", comm);
	if (!strcmp(what, "maps"))
		return text_file("55d0c0a00000-55d0c0a03000 r-xp 00000000 08:01 1234567 "
				 "/usr/bin/fake-target\n");
	errno = ENOENT;
	return NULL;
}

FILE *fopen(const char *path, const char *mode)
{
	char what[32];
	int pid;

	if (sscanf(path, "/proc/%d/%31s", &pid, what) == 2) {
		if (pid == TARGET_PID || pid == SELF_PID)
			return proc_file(pid, what);
		errno = ENOENT;	/* no other process exists */
		return NULL;
	}
	if (!strcmp(path, "/sys/module/vmx/parameters/allow_edits"))
		return text_file(getenv("VMX_FAKE_ALLOW_EDITS") &&
				 !strcmp(getenv("VMX_FAKE_ALLOW_EDITS"), "2") ? "2\n" : "1\n");
	if (!strcmp(path, "/sys/kernel/security/lockdown"))
		return text_file("[none] integrity confidentiality\n");
	return REAL(fopen)(path, mode);
}

FILE *fopen64(const char *path, const char *mode) __attribute__((alias("fopen")));
