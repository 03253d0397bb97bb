// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * PTEditor's API (ptedit_header.h) on libvmx. Reads go through RESOLVE,
 * DUMP and PEEK; writes through EDIT, which changes only the bits vmx
 * guards (accessed, write, dirty, soft-dirty, NX, PWT, PCD) of a 4K PTE,
 * under its lock, at the module's allow_edits level. Everything else
 * PTEditor writes raw is refused with one line on stderr naming vmx's way.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>

#include "internal.h"
#include "ptedit_header.h"

static vmx_t *ptedit_dev;

/* The frame number's bits of an entry, as ptedit_get_pfn() reads them. */
#define PFN_BITS	((1ULL << 40) - 1)

/* One line on stderr: what was refused, why, and what vmx offers instead. */
static void refuse(int err, const char *fn, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void refuse(int err, const char *fn, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "ptedit (vmx): %s: ", fn);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	errno = err;
}

VMX_EXPORT int ptedit_init(void)
{
	if (ptedit_dev)
		return 0;	/* any number of users may hold the device */
	if (vmx_open(&ptedit_dev, NULL)) {
		fprintf(stderr, PTEDIT_COLOR_RED "[-]" PTEDIT_COLOR_RESET
			" Error: Could not open PTEditor device: %s\n", vmx_errmsg());
		return -1;
	}
	return 0;
}

VMX_EXPORT void ptedit_cleanup(void)
{
	vmx_close(ptedit_dev);
	ptedit_dev = NULL;
}

VMX_EXPORT void ptedit_use_implementation(int implementation)
{
	if (implementation != PTEDIT_IMPL_KERNEL)
		refuse(EOPNOTSUPP, "ptedit_use_implementation",
		       "implementation %d walks /proc/umem, physical memory open to every user; vmx walks in the kernel, under the locks (PTEDIT_IMPL_KERNEL stays)",
		       implementation);
}

/* pid 0 is the caller, as in PTEditor. */
static int proc_of(pid_t pid, struct vmx_proc *p)
{
	return pid ? vmx_proc_of(pid, p) : vmx_proc_self(p);
}

static ptedit_entry_t resolve_vmx(void *address, pid_t pid)
{
	ptedit_entry_t e = { .pid = (size_t)pid, .vaddr = (size_t)address };
	const struct vmx_info *in;
	struct vmx_resolve r;
	struct vmx_proc p = { 0 };
	uint64_t flags = VMX_RESOLVE_NO_PAGE;

	if (!ptedit_dev)
		return e;
	in = vmx_get_info(ptedit_dev);
	/* As PTEditor: a pid that names no process gives nothing, kernel half too. */
	if (proc_of(pid, &p))
		return e;
	if ((uintptr_t)address >= in->user_va_end)
		flags |= VMX_RESOLVE_KERNEL;
	if (vmx_resolve(ptedit_dev, &p, (uintptr_t)address, flags, &r))
		return e;
	for (unsigned int i = 0; i < r.nr_steps && i < VMX_MAX_STEPS; i++) {
		/* The tables of mm->pgd, as the kernel reads them (not PTI's user copy). */
		size_t raw = r.steps[i].entry_kernel;

		switch (r.steps[i].level) {
		case VMX_LEVEL_PGD:
			e.pgd = raw;
			e.valid |= raw ? PTEDIT_VALID_MASK_PGD : 0;
			/* 4 levels: the P4D is the PGD folded, as PTEditor shows it. */
			if (in->levels == 4) {
				e.p4d = raw;
				e.valid |= raw ? PTEDIT_VALID_MASK_P4D : 0;
			}
			break;
		case VMX_LEVEL_P4D:
			e.p4d = raw;
			e.valid |= raw ? PTEDIT_VALID_MASK_P4D : 0;
			break;
		case VMX_LEVEL_PUD:
			e.pud = raw;
			e.valid |= raw ? PTEDIT_VALID_MASK_PUD : 0;
			break;
		case VMX_LEVEL_PMD:
			e.pmd = raw;
			e.valid |= raw ? PTEDIT_VALID_MASK_PMD : 0;
			break;
		case VMX_LEVEL_PTE:
			/* Valid once the PTE table exists, empty entry or not. */
			e.pte = raw;
			e.valid |= PTEDIT_VALID_MASK_PTE;
			break;
		}
	}
	return e;
}

/* The PTE bits vmx's EDIT changes, by PTEditor bit number. */
static const struct {
	int bit;
	uint32_t edit;
} edit_bits[] = {
	{ PTEDIT_PAGE_BIT_RW, VMX_EDIT_WRITE },
	{ PTEDIT_PAGE_BIT_PWT, VMX_EDIT_PWT },
	{ PTEDIT_PAGE_BIT_PCD, VMX_EDIT_PCD },
	{ PTEDIT_PAGE_BIT_ACCESSED, VMX_EDIT_ACCESSED },
	{ PTEDIT_PAGE_BIT_DIRTY, VMX_EDIT_DIRTY },
	{ PTEDIT_PAGE_BIT_SOFTW3, VMX_EDIT_SOFT_DIRTY },	/* Linux's soft-dirty */
	{ PTEDIT_PAGE_BIT_NX, VMX_EDIT_NX },
};

#define N_EDIT_BITS	(sizeof(edit_bits) / sizeof(edit_bits[0]))

static void update_pte(void *address, pid_t pid, size_t now, size_t want)
{
	size_t diff = now ^ want, editable = 0;
	uint32_t set = 0, clear = 0;
	struct vmx_proc p;
	int ret;

	for (size_t i = 0; i < N_EDIT_BITS; i++) {
		size_t m = 1ULL << edit_bits[i].bit;

		editable |= m;
		if (diff & m)
			*((want & m) ? &set : &clear) |= edit_bits[i].edit;
	}
	if (diff & (PFN_BITS << 12)) {
		refuse(EPERM, "ptedit_update",
		       "a new frame number in an ordinary mapping is refused (the page's owner and the kernel would not know); show another page there with a vmx window: vmx_map()/vmx_retarget(), docs/remaps.md");
		return;
	}
	if (diff & ~editable) {
		refuse(EPERM, "ptedit_update",
		       "bits %#zx of the PTE at %p are not ones vmx edits (it edits accessed, write, dirty, soft-dirty (SOFTW3), NX, PWT, PCD)",
		       diff & ~editable, address);
		return;
	}
	ret = proc_of(pid, &p);
	if (!ret)
		ret = vmx_edit(ptedit_dev, &p, (uintptr_t)address, set, clear, 0, 0, NULL);
	if (ret)
		refuse(-ret, "ptedit_update", "%s", vmx_errmsg());
}

/*
 * Only the PTE level is written, and only its guarded bits: vmx never
 * writes an upper-level entry (a wrong one would lose whole page tables).
 */
static void update_vmx(void *address, pid_t pid, ptedit_entry_t *vm)
{
	ptedit_entry_t now;

	vm->vaddr = (size_t)address;
	vm->pid = (size_t)pid;
	if (!ptedit_dev)
		return;
	now = resolve_vmx(address, pid);
	if (((vm->valid & now.valid & PTEDIT_VALID_MASK_PGD) && vm->pgd != now.pgd) ||
	    ((vm->valid & now.valid & PTEDIT_VALID_MASK_P4D) && vm->p4d != now.p4d) ||
	    ((vm->valid & now.valid & PTEDIT_VALID_MASK_PUD) && vm->pud != now.pud) ||
	    ((vm->valid & now.valid & PTEDIT_VALID_MASK_PMD) && vm->pmd != now.pmd)) {
		refuse(EPERM, "ptedit_update",
		       "vmx writes no PGD, P4D, PUD or PMD entry (a wrong one loses whole page tables); edit the PTE, or use a vmx window to show other pages");
		return;
	}
	if ((vm->valid & now.valid & PTEDIT_VALID_MASK_PTE) && vm->pte != now.pte)
		update_pte(address, pid, now.pte, vm->pte);
}

VMX_EXPORT ptedit_resolve_t ptedit_resolve = resolve_vmx;
VMX_EXPORT ptedit_update_t ptedit_update = update_vmx;

/* A bit number of a 64-bit entry; anything else changes nothing. */
static int bad_bit(const char *fn, int bit)
{
	if (bit >= 0 && bit < 64)
		return 0;
	refuse(EINVAL, fn, "bit %d is not a bit of a 64-bit entry", bit);
	return 1;
}

VMX_EXPORT void ptedit_pte_set_bit(void *address, pid_t pid, int bit)
{
	ptedit_entry_t e;

	if (bad_bit("ptedit_pte_set_bit", bit))
		return;
	e = ptedit_resolve(address, pid);

	if (!(e.valid & PTEDIT_VALID_MASK_PTE))
		return;
	e.pte |= 1ULL << bit;
	e.valid = PTEDIT_VALID_MASK_PTE;
	ptedit_update(address, pid, &e);
}

VMX_EXPORT void ptedit_pte_clear_bit(void *address, pid_t pid, int bit)
{
	ptedit_entry_t e;

	if (bad_bit("ptedit_pte_clear_bit", bit))
		return;
	e = ptedit_resolve(address, pid);

	if (!(e.valid & PTEDIT_VALID_MASK_PTE))
		return;
	e.pte &= ~(1ULL << bit);
	e.valid = PTEDIT_VALID_MASK_PTE;
	ptedit_update(address, pid, &e);
}

VMX_EXPORT unsigned char ptedit_pte_get_bit(void *address, pid_t pid, int bit)
{
	if (bad_bit("ptedit_pte_get_bit", bit))
		return 0;
	return PTEDIT_B(ptedit_resolve(address, pid).pte, bit);
}

VMX_EXPORT size_t ptedit_pte_get_pfn(void *address, pid_t pid)
{
	ptedit_entry_t e = ptedit_resolve(address, pid);

	return e.valid & PTEDIT_VALID_MASK_PTE ? ptedit_get_pfn(e.pte) : 0;
}

VMX_EXPORT void ptedit_pte_set_pfn(void *address, pid_t pid, size_t pfn)
{
	ptedit_entry_t e = ptedit_resolve(address, pid);

	if (!(e.valid & PTEDIT_VALID_MASK_PTE))
		return;
	e.pte = ptedit_set_pfn(e.pte, pfn);
	e.valid = PTEDIT_VALID_MASK_PTE;
	ptedit_update(address, pid, &e);
}

VMX_EXPORT size_t ptedit_get_pfn(size_t entry)
{
	return (entry >> 12) & PFN_BITS;
}

VMX_EXPORT size_t ptedit_set_pfn(size_t entry, size_t pfn)
{
	return (entry & ~(PFN_BITS << 12)) | (pfn << 12);
}

VMX_EXPORT int ptedit_get_pagesize(void)
{
	return ptedit_dev ? (int)vmx_get_info(ptedit_dev)->page_size : -1;
}

/* ---- Physical memory: read where this process maps it, never written ---- */

struct frame_search {
	size_t pfn;
	uint64_t va;	/* out: a page of ours mapping it */
};

static int frame_in(const void *rec, void *arg)
{
	const struct vmx_compact *c = rec;
	struct frame_search *f = arg;
	unsigned int level = VMX_COMPACT_LEVEL(c->va_info);
	unsigned int shift = level == VMX_LEVEL_PTE ? 12 : level == VMX_LEVEL_PMD ? 21 : 30;
	uint64_t base;

	if (VMX_COMPACT_KIND(c->va_info) != VMX_KIND_LEAF || !(c->raw & 1))
		return 0;
	/* A huge leaf's bit 12 is its PAT bit, not part of the frame. */
	base = (c->raw & 0x000ffffffffff000ULL & ~((1ULL << shift) - 1)) >> 12;
	if (f->pfn < base || f->pfn >= base + (1ULL << (shift - 12)))
		return 0;
	f->va = VMX_COMPACT_VA(c->va_info) + ((f->pfn - base) << 12);
	return 1;
}

VMX_EXPORT void ptedit_read_physical_page(size_t pfn, char *buffer)
{
	struct frame_search f = { .pfn = pfn };
	struct vmx_proc self;
	int ret;

	if (!ptedit_dev || vmx_proc_self(&self))
		return;
	ret = vmx_dump_each(ptedit_dev, &self, 0, vmx_get_info(ptedit_dev)->user_va_end,
			    VMX_DUMP_COMPACT | VMX_DUMP_NO_PAGE | VMX_DUMP_LEAVES, frame_in, &f);
	if (ret < 0) {
		refuse(-ret, "ptedit_read_physical_page", "%s", vmx_errmsg());
		return;
	}
	if (ret != 1) {
		refuse(EPERM, "ptedit_read_physical_page",
		       "vmx reads only frames this process maps, and pfn %#zx is not mapped here; map the page, or read it with vmx_peek() in a process that maps it",
		       pfn);
		return;
	}
	ret = vmx_peek(ptedit_dev, &self, f.va, buffer, 4096, NULL);
	if (ret)
		refuse(-ret, "ptedit_read_physical_page", "%s", vmx_errmsg());
}

VMX_EXPORT void ptedit_write_physical_page(size_t pfn, char *content)
{
	(void)content;
	refuse(EPERM, "ptedit_write_physical_page",
	       "vmx never writes physical memory (pfn %#zx); write through a mapping of the page, or show it in a vmx window: vmx_map(), docs/remaps.md",
	       pfn);
}

VMX_EXPORT void *ptedit_pmap(size_t physical, size_t length)
{
	(void)length;
	refuse(EPERM, "ptedit_pmap",
	       "vmx maps no physical memory (%#zx) into user space; a vmx window shows pages of a process: vmx_window_open() and vmx_map()",
	       physical);
	return MAP_FAILED;
}

/* ---- The paging root: read only ---- */

VMX_EXPORT size_t ptedit_get_paging_root(pid_t pid)
{
	uint64_t root = 0, root_user;
	const void *recs;
	struct vmx_proc p;
	vmx_dump_t *d;
	size_t n;

	if (!ptedit_dev || proc_of(pid, &p))
		return 0;
	/* Any dump call that walks says where the root is. */
	if (vmx_dump_open(ptedit_dev, &d, &p, 0, 4096,
			  VMX_DUMP_COMPACT | VMX_DUMP_NO_PAGE))
		return 0;
	if (vmx_dump_batch(d, &recs, &n) >= 0)
		vmx_dump_roots(d, &root, &root_user);
	vmx_dump_close(d);
	return root;
}

VMX_EXPORT void ptedit_set_paging_root(pid_t pid, size_t root)
{
	refuse(EPERM, "ptedit_set_paging_root",
	       "vmx never replaces a process's page-table root (pid %d, %#zx): a wrong one crashes the process or the kernel",
	       (int)pid, root);
}

/* ---- TLB ---- */

VMX_EXPORT void ptedit_invalidate_tlb(void *address)
{
	int ret;

	(void)address;	/* a module can only flush every CPU's whole TLB */
	if (!ptedit_dev)
		return;
	ret = vmx_tlb_flush(ptedit_dev);
	if (ret)
		refuse(-ret, "ptedit_invalidate_tlb", "%s", vmx_errmsg());
}

VMX_EXPORT int ptedit_switch_tlb_invalidation(int implementation)
{
	if (implementation != PTEDITOR_TLB_INVALIDATION_KERNEL &&
	    implementation != PTEDITOR_TLB_INVALIDATION_CUSTOM)
		return -1;
	return 0;	/* vmx always flushes through the kernel */
}

VMX_EXPORT void ptedit_full_serializing_barrier(void)
{
	unsigned int a = 0, b, c = 0, d;

	__asm__ volatile("mfence; lfence" ::: "memory");
	/* CPUID serialises the instruction stream. */
	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d) :: "memory");
	__asm__ volatile("mfence; lfence" ::: "memory");
}

/* ---- Memory types: the PAT read through INFO, never written ---- */

VMX_EXPORT size_t ptedit_get_mts(void)
{
	if (!ptedit_dev)
		return 0;
	if (!vmx_has(ptedit_dev, VMX_FEAT_PAT)) {
		refuse(EOPNOTSUPP, "ptedit_get_mts", "this vmx.ko does not read the PAT MSR");
		return 0;
	}
	return vmx_get_info(ptedit_dev)->pat;
}

VMX_EXPORT void ptedit_set_mts(size_t mts)
{
	refuse(EPERM, "ptedit_set_mts",
	       "vmx never writes the PAT MSR (%#zx): the kernel's own mappings rely on it; use the PAT index of the type you want (ptedit_find_first_mt())",
	       mts);
}

/* Without the PAT, -1: not a memory type, rather than UC (0). */
VMX_EXPORT char ptedit_get_mt(unsigned char mt)
{
	size_t mts = ptedit_get_mts();

	return mts ? (char)((mts >> (8 * (mt & 7))) & 7) : (char)-1;
}

VMX_EXPORT void ptedit_set_mt(unsigned char mt, unsigned char value)
{
	refuse(EPERM, "ptedit_set_mt",
	       "vmx never writes the PAT MSR (entry %u to %u); use the PAT index of the type you want (ptedit_find_first_mt())",
	       mt, value);
}

VMX_EXPORT unsigned char ptedit_find_mt(unsigned char type)
{
	size_t mts = ptedit_get_mts();
	unsigned char found = 0;

	/* No PAT read (no device, or a module without it): no entry is known. */
	if (!mts)
		return 0;
	for (int i = 0; i < 8; i++)
		if (((mts >> (8 * i)) & 7) == type)
			found |= 1 << i;
	return found;
}

VMX_EXPORT int ptedit_find_first_mt(unsigned char type)
{
	unsigned char found = ptedit_find_mt(type);

	for (int i = 0; i < 8; i++)
		if (found & (1 << i))
			return i;
	return -1;
}

/* PAT index bits 0, 1, 2 live in PWT, PCD and (4 KB) bit 7 or (huge) bit 12. */
static size_t apply_mt(size_t entry, unsigned char mt, int pat_bit)
{
	entry &= ~((1ULL << PTEDIT_PAGE_BIT_PWT) | (1ULL << PTEDIT_PAGE_BIT_PCD) |
		   (1ULL << pat_bit));
	return entry | ((size_t)(mt & 1) << PTEDIT_PAGE_BIT_PWT) |
	       ((size_t)((mt >> 1) & 1) << PTEDIT_PAGE_BIT_PCD) |
	       ((size_t)((mt >> 2) & 1) << pat_bit);
}

static unsigned char extract_mt(size_t entry, int pat_bit)
{
	return PTEDIT_B(entry, PTEDIT_PAGE_BIT_PWT) |
	       PTEDIT_B(entry, PTEDIT_PAGE_BIT_PCD) << 1 | PTEDIT_B(entry, pat_bit) << 2;
}

VMX_EXPORT size_t ptedit_apply_mt(size_t entry, unsigned char mt)
{
	return apply_mt(entry, mt, PTEDIT_PAGE_BIT_PAT);
}

VMX_EXPORT size_t ptedit_apply_mt_huge(size_t entry, unsigned char mt)
{
	return apply_mt(entry, mt, PTEDIT_PAGE_BIT_PAT_LARGE);
}

VMX_EXPORT unsigned char ptedit_extract_mt(size_t entry)
{
	return extract_mt(entry, PTEDIT_PAGE_BIT_PAT);
}

VMX_EXPORT unsigned char ptedit_extract_mt_huge(size_t entry)
{
	return extract_mt(entry, PTEDIT_PAGE_BIT_PAT_LARGE);
}

VMX_EXPORT const char *ptedit_mt_to_string(unsigned char mt)
{
	static const char *const names[8] = {
		"UC", "WC", "Rsvd", "Rsvd", "WT", "WP", "WB", "UC-",
	};

	return mt < 8 ? names[mt] : NULL;
}

/* ---- Printing, in PTEditor's table ---- */

static const char *const border =
	"+--+------------------+-+-+-+-+-+-+-+-+--+--+-+-+-+\n";

/* One bit: green when set, as PTEditor prints it; @wide: 2 columns. */
static void print_bit(size_t entry, int bit, int wide)
{
	int set = PTEDIT_B(entry, bit);

	if (set)
		fputs(PTEDIT_COLOR_GREEN, stdout);
	printf(wide ? " %d" : "%d", set);
	if (set)
		fputs(PTEDIT_COLOR_RESET, stdout);
	putchar('|');
}

VMX_EXPORT void ptedit_print_entry_line(size_t entry, int line)
{
	static const int narrow[] = { 12, 11, 10, 9, 8, 7, 6, 5 };

	if (line == 0 || line == 3) {
		fputs(border, stdout);
		return;
	}
	if (line == 1) {
		fputs("|NX|       PFN        |H|?|?|?|G|S|D|A|UC|WT|U|W|P|\n", stdout);
		return;
	}
	if (line != 2)
		return;
	putchar('|');
	print_bit(entry, PTEDIT_PAGE_BIT_NX, 1);
	printf(" %16p |", (void *)ptedit_get_pfn(entry));
	for (size_t i = 0; i < sizeof(narrow) / sizeof(narrow[0]); i++)
		print_bit(entry, narrow[i], 0);
	print_bit(entry, PTEDIT_PAGE_BIT_PCD, 1);
	print_bit(entry, PTEDIT_PAGE_BIT_PWT, 1);
	print_bit(entry, PTEDIT_PAGE_BIT_USER, 0);
	print_bit(entry, PTEDIT_PAGE_BIT_RW, 0);
	print_bit(entry, PTEDIT_PAGE_BIT_PRESENT, 0);
	putchar('\n');
}

VMX_EXPORT void ptedit_print_entry(size_t entry)
{
	for (int line = 0; line < 4; line++)
		ptedit_print_entry_line(entry, line);
}

VMX_EXPORT void ptedit_print_entry_t(ptedit_entry_t entry)
{
	static const struct {
		size_t mask;
		const char *title;
	} levels[] = {
		{ PTEDIT_VALID_MASK_PGD, "PGD" }, { PTEDIT_VALID_MASK_P4D, "P4D" },
		{ PTEDIT_VALID_MASK_PUD, "PUD" }, { PTEDIT_VALID_MASK_PMD, "PMD" },
		{ PTEDIT_VALID_MASK_PTE, "PTE" },
	};
	const size_t values[] = { entry.pgd, entry.p4d, entry.pud, entry.pmd, entry.pte };

	for (int i = 0; i < 5; i++) {
		if (!(entry.valid & levels[i].mask))
			continue;
		printf("%s of address\n", levels[i].title);
		ptedit_print_entry(values[i]);
	}
}
