// SPDX-License-Identifier: GPL-2.0
/*
 * The sentences of resolve --explain. They answer what people ask on the
 * way in: how does the MMU get from this address to that frame, where are
 * the page tables in virtual memory, what does each bit mean. Bit meanings
 * come from x86_bits so that the two never disagree.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "explain.h"
#include "names.h"
#include "vmxctl.h"
#include "x86_bits.h"

#define TEXT_WIDTH	80
#define STEP_INDENT	6	/* under a step line, past its level name */
#define TOP_INDENT	2

/* One sentence: a JSON string, or indented text wrapped at 80 columns. */
static void say(int indent, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void say(int indent, const char *fmt, ...)
{
	char buf[2048], *word, *save = NULL;
	int col = 0, first = 1;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (ctl.json) {
		json_string(&ctl.j, buf);
		return;
	}
	for (word = strtok_r(buf, " ", &save); word;
	     word = strtok_r(NULL, " ", &save)) {
		int len = (int)strlen(word);

		if (col && col + 1 + len > TEXT_WIDTH) {
			printf("\n");
			col = 0;
		}
		if (col) {
			col += printf(" %s", word);
		} else {
			/* Continuation lines sit two columns in. */
			col = printf("%*s%s", first ? indent : indent + 2, "", word);
			first = 0;
		}
	}
	printf("\n");
}

static const char *perm_words(uint64_t eff, char *buf, size_t size)
{
	snprintf(buf, size, "%s, %s, %s",
		 eff & X86_US ? "user mode may access" : "kernel only",
		 eff & X86_RW ? "writable" : "read-only",
		 eff & X86_NX ? "not executable" : "executable");
	return buf;
}

void explain_intro(const struct vmx_info *in, const struct vmx_resolve *r,
		   int kernel)
{
	unsigned int page = in->page_size ? in->page_size : 4096;
	unsigned int entries = in->ptrs_per_table ? in->ptrs_per_table : 512;

	say(TOP_INDENT, "The MMU turns a virtual address into a physical one by walking up to %u tables, from the root down (a 2M or 1G leaf ends the walk early). Each table is one %u-byte page of %u entries of 8 bytes: 9 bits of the address pick the entry at each level, and the low 12 bits (11-0) are the offset within the page.",
	    in->levels, page, entries);
	if (in->levels == 5)
		say(TOP_INDENT, "With 5 levels the PGD takes bits 56-48 and a P4D bits 47-39; with 4 levels there is no P4D and the PGD takes bits 47-39.");
	else
		say(TOP_INDENT, "With 4 levels there is no P4D: the PGD takes bits 47-39 (with 5 levels it would take 56-48, and a P4D 47-39).");
	if (kernel)
		say(TOP_INDENT, "CR3 holds the physical address of the root table, the PGD (here 0x%" PRIx64 "). Every process has its own PGD, but their kernel halves point to the same lower tables, so a kernel address translates the same way in all of them; vmxctl walks its own.",
		    (uint64_t)r->root_pa);
	else if (r->root_pa_user != r->root_pa)
		say(TOP_INDENT, "CR3 holds the physical address of the root table, the PGD. With page-table isolation (PTI) a process has two: the kernel runs on 0x%" PRIx64 ", user mode on a copy at 0x%" PRIx64 " that maps almost none of the kernel, and CR3 switches between them on every system call and interrupt. The walk below reads the user copy, as the MMU does while the program runs.",
		    (uint64_t)r->root_pa, (uint64_t)r->root_pa_user);
	else
		say(TOP_INDENT, "CR3 holds the physical address of the root table, the PGD: 0x%" PRIx64 " for this process. Each process has its own; switching processes loads another one into CR3.",
		    (uint64_t)r->root_pa);
	say(TOP_INDENT, "Entries hold physical addresses, but the kernel, like any program, can only use virtual ones: Linux maps all RAM at page_offset_base (%s here), so the kernel reads a page table at page_offset_base + its physical address (the DIRECT MAP column of resolve -v). Going from a physical address to a virtual one is an addition.",
	    kaddr_text(in->page_offset_base));
}

/*
 * The meaning of a flag in this entry: D and G only mean something in a
 * leaf (the SDM calls them ignored in an entry that points to a table).
 */
static const char *flag_meaning(const struct step_view *v, const char *name,
				char *key, size_t size)
{
	int table_only = !v->leaf && (!strcmp(name, "D") || !strcmp(name, "G"));

	snprintf(key, size, " %s%s ", name, table_only ? "/table" : "");
	if (table_only)
		return "ignored by the MMU in an entry that points to a table (Linux sets D in all of them)";
	return x86_flag_meaning(name);
}

/* "P = meaning; RW = meaning" for flags not explained yet in this walk. */
static void explain_flags(const struct step_view *v, struct explain_seen *seen)
{
	char flags[128], out[900], *name, *save = NULL;
	size_t len = 0;
	int old = 0;

	snprintf(flags, sizeof(flags), "%s", v->flags);
	out[0] = '\0';
	for (name = strtok_r(flags, " ", &save); name;
	     name = strtok_r(NULL, " ", &save)) {
		char key[32];
		const char *meaning = flag_meaning(v, name, key, sizeof(key));

		if (strstr(seen->names, key) || !meaning) {
			old = 1;
			continue;
		}
		if (strlen(seen->names) + strlen(key) < sizeof(seen->names))
			strcat(seen->names, key);
		len += snprintf(out + len, len < sizeof(out) ? sizeof(out) - len : 0,
				"%s%s = %s", len ? "; " : "", name, meaning);
	}
	if (!out[0] && !old)
		return;
	if (!out[0])
		say(STEP_INDENT, "Flags %s, as above.", v->flags);
	else if (old)
		say(STEP_INDENT, "Flags %s. New here: %s.", v->flags, out);
	else
		say(STEP_INDENT, "Flags: %s.", out);
}

/* What the bits of this entry changed in the permissions that hold. */
static void explain_effective(const struct step_view *v,
			      struct explain_seen *seen)
{
	char words[96];

	if (!(v->eff & X86_RW) && (v->eff_above & X86_RW))
		say(STEP_INDENT, v->leaf ? "RW is clear in the leaf: the page is read-only." :
		    "RW is clear here, so everything below is read-only whatever the lower levels say.");
	if (!(v->eff & X86_US) && (v->eff_above & X86_US))
		say(STEP_INDENT, v->leaf ? "US is clear in the leaf: only the kernel may use the page." :
		    "US is clear here, so everything below is for the kernel only.");
	if ((v->eff & X86_NX) && !(v->eff_above & X86_NX))
		say(STEP_INDENT, v->leaf ? "NX is set in the leaf: the page's bytes may not be executed." :
		    "NX is set here, so nothing below may be executed.");
	say(STEP_INDENT, "Effective so far%s: %s.",
	    seen->rule_told ? "" : " (RW and US must be set at every level, NX at any one)",
	    perm_words(v->eff, words, sizeof(words)));
	seen->rule_told = 1;
}

void explain_step(const struct step_view *v, const struct step_view *next,
		  struct explain_seen *seen)
{
	const struct vmx_step *s = v->s;
	const char *lvl = level_name(s->level);

	say(STEP_INDENT, "%s%s: bits %u-%u of the address are %u, so the MMU reads entry %u of this table: the 8 bytes at 0x%" PRIx64 " + 8 * %u = 0x%" PRIx64 ", which the kernel sees at 0x%" PRIx64 ".",
	    lvl, s->level == VMX_LEVEL_PGD ? " (the root)" : "", v->hi, v->lo,
	    s->index, s->index, (uint64_t)s->table_pa, s->index,
	    (uint64_t)v->entry_pa, (uint64_t)(v->direct_map + 8ULL * s->index));
	if (s->level == VMX_LEVEL_PGD && s->entry != s->entry_kernel)
		say(STEP_INDENT, "The kernel-mode copy of this entry is 0x%" PRIx64 "%s.",
		    (uint64_t)s->entry_kernel,
		    (s->entry ^ s->entry_kernel) == X86_NX ?
		    ": PTI sets NX in it, so that the kernel never executes user memory" : "");
	if (!s->entry) {
		say(STEP_INDENT, "The entry is 0: nothing is mapped below it, and the walk ends here; an access would page-fault.");
		return;
	}
	if (!v->present) {
		say(STEP_INDENT, "P is clear, so the MMU stops here and raises a page fault; the other bits are Linux's own note of what became of the page (see the end).");
		return;
	}
	explain_flags(v, seen);
	if (!v->leaf) {
		say(STEP_INDENT, "Bits 51-12 hold the physical address of the next table, the %s at 0x%" PRIx64 ".",
		    next ? level_name(next->s->level) : "next level",
		    (uint64_t)(s->entry & x86_frame_mask((int)s->level, 0)));
	} else {
		uint64_t frame = s->entry & x86_frame_mask((int)s->level, 1);

		if (s->level == VMX_LEVEL_PTE)
			say(STEP_INDENT, "This PTE is the leaf: bits 51-12 hold the frame, 0x%" PRIx64 ", and bits 11-0 of the address are the offset within that 4K page.",
			    frame);
		else
			say(STEP_INDENT, "PS is set, so this %s entry is itself the leaf: it maps a whole %s page at 0x%" PRIx64 ", bits %u-0 of the address are the offset within it, and no lower table is needed.",
			    lvl, size_name(v->lo), frame, v->lo - 1);
	}
	explain_effective(v, seen);
}

/* What backs a leaf, for the tags dump and resolve print. */
static const struct {
	uint32_t bit;
	const char *meaning;
} page_meanings[] = {
	{ VMX_PAGE_ANON, "anonymous memory (heap, stack, MAP_ANONYMOUS)" },
	{ VMX_PAGE_FILE, "a page of a file in the page cache (or shmem)" },
	{ VMX_PAGE_KSM, "merged by KSM with pages of identical content" },
	{ VMX_PAGE_ZERO, "the shared zero page: reads see zeros, the first write gets a page of its own" },
	{ VMX_PAGE_HUGE_ZERO, "the huge zero page" },
	{ VMX_PAGE_LARGE, "part of a transparent huge page" },
	{ VMX_PAGE_HUGETLB, "a hugetlbfs page" },
	{ VMX_PAGE_EXCLUSIVE, "no other process maps this anonymous page, so a write needs no copy" },
	{ VMX_PAGE_NO_STRUCT, "a raw frame without a struct page (device memory, PFNMAP)" },
};

static void explain_not_present(const struct vmx_entry *e)
{
	switch (e->kind) {
	case VMX_KIND_SWAP:
		say(TOP_INDENT, "The page was swapped out. With P clear the MMU ignores the other bits, so Linux keeps where the page went in them: swap area %u, offset 0x%" PRIx64 ". An access faults and the kernel reads the page back in.",
		    e->swap_type, (uint64_t)e->swap_offset);
		break;
	case VMX_KIND_PROTNONE:
		if (e->sw & VMX_SW_NUMA_HINT)
			say(TOP_INDENT, "A NUMA hint: the kernel cleared P on purpose, keeping the frame (0x%" PRIx64 "), so that the next access faults and shows which CPU uses the page; it may then move the page to that CPU's node.",
			    (uint64_t)e->pfn);
		else
			say(TOP_INDENT, "PROT_NONE: the program took all access away (mprotect). The frame (0x%" PRIx64 ") stays, but P is clear, so any access faults.",
			    (uint64_t)e->pfn);
		break;
	case VMX_KIND_MIGRATION_READ:
	case VMX_KIND_MIGRATION_READ_EXCLUSIVE:
	case VMX_KIND_MIGRATION_WRITE:
		say(TOP_INDENT, "The page (frame 0x%" PRIx64 ") is being moved to another frame; an access waits until the move is done.",
		    (uint64_t)e->pfn);
		break;
	case VMX_KIND_DEVICE_PRIVATE_READ:
	case VMX_KIND_DEVICE_PRIVATE_WRITE:
		say(TOP_INDENT, "The page lives in a device's private memory (a GPU's, say); a CPU access faults and brings it back to RAM.");
		break;
	case VMX_KIND_DEVICE_EXCLUSIVE:
		say(TOP_INDENT, "A device holds the page exclusively for its atomic operations; a CPU access faults and takes it back.");
		break;
	case VMX_KIND_HWPOISON:
		say(TOP_INDENT, "The frame had an uncorrectable memory error and was taken out of use; an access gets SIGBUS.");
		break;
	case VMX_KIND_MARKER:
		say(TOP_INDENT, "A PTE marker: no page, but Linux remembers something about the address (uffd-wp: userfaultfd write protection; poisoned: an access gets SIGBUS; guard: MADV_GUARD_INSTALL, an access gets SIGSEGV).");
		break;
	default:
		say(TOP_INDENT, "A non-present entry in a form vmxctl does not know.");
	}
}

void explain_end(const struct vmx_info *in, const struct vmx_resolve *r,
		 int kernel)
{
	const struct vmx_entry *e = &r->final;

	if (r->result == VMX_RESOLVE_MAPPED) {
		uint64_t off = e->span_shift < 64 ?
			r->addr & ((1ULL << e->span_shift) - 1) : 0;

		say(TOP_INDENT, "The frame 0x%" PRIx64 " plus the offset 0x%" PRIx64 " is the physical address 0x%" PRIx64 "; the kernel reaches the same byte at 0x%" PRIx64 " in the direct map%s.",
		    (uint64_t)(r->pa - off), off, (uint64_t)r->pa,
		    (uint64_t)(in->page_offset_base + r->pa),
		    kernel ? "" : " ('vmxctl peek' reads it there)");
	} else if (r->result == VMX_RESOLVE_NONE) {
		if (kernel)
			say(TOP_INDENT, "Nothing is mapped at this kernel address: a kernel access would oops.");
		else if (r->in_vma)
			say(TOP_INDENT, "The address lies in a VMA, a range the process mapped (mmap, heap, stack), but it was never touched or was given back: a first access faults, and the kernel fills in the missing tables and page.");
		else
			say(TOP_INDENT, "No VMA covers the address either: the process never mapped it, and an access gets SIGSEGV.");
	} else {
		explain_not_present(e);
	}
	if (e->page & VMX_PAGE_VALID) {
		for (size_t i = 0; i < sizeof(page_meanings) / sizeof(page_meanings[0]); i++)
			if (e->page & page_meanings[i].bit)
				say(TOP_INDENT, "%s: %s.", bit_tag(NAMES_PAGE, page_meanings[i].bit),
				    page_meanings[i].meaning);
		say(TOP_INDENT, "refcount counts the references that keep the page allocated (each mapping, and kernel users); mapcount, the page tables that map it.");
	}
}
