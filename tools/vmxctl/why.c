// SPDX-License-Identifier: GPL-2.0
/*
 * The decision of vmxctl why (see why.h): first the VMA (Linux's
 * access_error()), then the walk as the MMU does it (present, RW, US, NX
 * at every level, then the protection key), then what Linux's fault
 * handler does with what it finds (do_anonymous_page(), do_swap_page(),
 * do_wp_page(), do_numa_page(), ...).
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "names.h"
#include "vmflags.h"
#include "why.h"
#include "x86_bits.h"

const char *why_access_name(enum why_access a)
{
	return a == WHY_WRITE ? "write" : a == WHY_EXEC ? "exec" : "read";
}

static void say(struct why *w, const char *fmt, ...)
{
	size_t n = strlen(w->text);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(w->text + n, sizeof(w->text) - n, fmt, ap);
	va_end(ap);
}

static void verdict(struct why *w, const char *v, const char *sig,
		    const char *code, const char *reason)
{
	w->verdict = v;
	w->signal = sig;
	w->si_code = code;
	w->reason = reason;
}

/* VMA rules of access_error(): a read needs any access at all. */
static bool vma_allows(uint64_t f, enum why_access a)
{
	switch (a) {
	case WHY_WRITE:
		return f & VMX_VMA_WRITE;
	case WHY_EXEC:
		return f & VMX_VMA_EXEC;
	default:
		return f & (VMX_VMA_READ | VMX_VMA_WRITE | VMX_VMA_EXEC);
	}
}

/* Not mapped at all: what the fault handler does on a first touch. */
static void demand(const struct why_facts *f, struct why *w)
{
	uint64_t vf = f->r->vma_flags;

	verdict(w, "minor-fault", NULL, NULL, "not-mapped");
	say(w, "Nothing is mapped there yet (the walk ends at an empty %s entry): the page was never touched, or was unmapped since. The access faults and the kernel fills it in (a demand fault): ",
	    level_name(f->r->steps[f->r->nr_steps - 1].level));
	if (vf & VMX_VMA_UFFD_MISSING) {
		verdict(w, "fault", NULL, NULL, "uffd-missing");
		say(w, "this VMA is registered with userfaultfd for missing pages, so the thread waits while the userfaultfd handler supplies the page.");
	} else if (vf & VMX_VMA_HUGETLB) {
		say(w, "a huge page from the hugetlb pool (SIGBUS if the pool is empty).");
	} else if (vf & VMX_VMA_FILE) {
		say(w, "the file's page from the page cache: a minor fault if it is cached, a major one if it must be read from disk (SIGBUS beyond the end of the file).");
	} else if (f->access == WHY_WRITE || (vf & VMX_VMA_MAYSHARE)) {
		say(w, "a new zeroed page, mapped %s: a minor fault.",
		    f->access == WHY_WRITE ? "writable" : "for this read");
	} else {
		say(w, "the shared zero page, mapped read-only (a write later gets a page of its own): a minor fault.");
	}
}

/*
 * A uffd-wp marker: the kernel honours it only while the VMA is still
 * registered for write-protect (pte_marker_handle_uffd_wp()), and a VMA
 * registered for missing pages too hands a page not cached to the
 * handler before anything else.
 */
static void wp_marker(const struct why_facts *f, struct why *w)
{
	uint64_t vf = f->r->vma_flags;

	say(w, "The entry is a userfaultfd write-protect marker on a page not present");
	if (!(vf & VMX_VMA_UFFD_WP)) {
		verdict(w, "minor-fault", NULL, NULL, "uffd-wp-marker");
		say(w, ", left from a registration that is gone: the fault clears it and fills the page in as for a first touch (a minor fault).");
		return;
	}
	if (vf & VMX_VMA_UFFD_MISSING) {
		verdict(w, "fault", NULL, NULL, "uffd-wp-marker");
		say(w, ", in a VMA registered for missing pages too: with no page behind it (always for anonymous memory; for shared memory, when the page is not cached) the thread waits while the userfaultfd handler supplies the page%s.",
		    f->access == WHY_WRITE ? ", and the write is then reported as write-protected" : "");
		return;
	}
	if (f->access == WHY_WRITE) {
		verdict(w, "fault", NULL, NULL, "uffd-wp-marker");
		say(w, ": the fault fills the page in, write-protected, and the write is then reported to the userfaultfd handler, which must unprotect it.");
	} else {
		verdict(w, "minor-fault", NULL, NULL, "uffd-wp-marker");
		say(w, ": the fault fills the page in and keeps it write-protected (a minor fault); only a write would go to the userfaultfd handler.");
	}
}

/* A non-present entry that is not empty: what it is, what happens. */
static void not_present(const struct why_facts *f, struct why *w)
{
	const struct vmx_entry *e = &f->r->final;

	w->level = e->level;
	switch (e->kind) {
	case VMX_KIND_SWAP:
		verdict(w, "major-fault", NULL, NULL, "swapped");
		say(w, "The %s entry is a swap entry (swap device %u, slot 0x%llx): the page was swapped out. The access faults and the kernel reads it back (do_swap_page): a major fault, or a minor one if it is still in the swap cache.",
		    level_name(e->level), e->swap_type, (unsigned long long)e->swap_offset);
		break;
	case VMX_KIND_MIGRATION_READ:
	case VMX_KIND_MIGRATION_READ_EXCLUSIVE:
	case VMX_KIND_MIGRATION_WRITE:
		verdict(w, "minor-fault", NULL, NULL, "migrating");
		say(w, "The %s entry is a migration entry: the page is being moved to another frame (compaction, NUMA, memory hot-unplug). The access faults and waits until the move is done, then finds the new frame.",
		    level_name(e->level));
		break;
	case VMX_KIND_DEVICE_PRIVATE_READ:
	case VMX_KIND_DEVICE_PRIVATE_WRITE:
	case VMX_KIND_DEVICE_EXCLUSIVE:
		verdict(w, "minor-fault", NULL, NULL, "device");
		say(w, "The page lives in device memory (or a device holds it exclusively): the access faults and the page is migrated back to the CPU.");
		break;
	case VMX_KIND_HWPOISON:
		verdict(w, "SIGBUS", "SIGBUS", "BUS_MCEERR_AR", "hwpoison");
		say(w, "The frame had an uncorrectable memory error (hardware poison): the access gets SIGBUS.");
		break;
	case VMX_KIND_MARKER:
		if (e->swap_offset & VMX_MARKER_GUARD) {
			verdict(w, "SIGSEGV", "SIGSEGV", "SEGV_MAPERR", "guard");
			say(w, "The entry is a guard marker (MADV_GUARD_INSTALL): any access gets SIGSEGV.");
		} else if (e->swap_offset & VMX_MARKER_POISONED) {
			verdict(w, "SIGBUS", "SIGBUS", "BUS_MCEERR_AR", "poisoned");
			say(w, "The entry is a poison marker (UFFDIO_POISON): the access gets SIGBUS.");
		} else {
			wp_marker(f, w);
		}
		break;
	case VMX_KIND_PROTNONE:
		verdict(w, "minor-fault", NULL, NULL, "numa-hint");
		say(w, "The %s entry keeps its frame (0x%llx) but grants no access in an accessible VMA: a NUMA hinting entry. The access faults, the kernel notes which node used the page (and may migrate it there), and restores the access: a minor fault.",
		    level_name(e->level), (unsigned long long)e->pfn);
		break;
	default:
		verdict(w, "fault", NULL, NULL, "unknown-entry");
		say(w, "The %s entry is not present, in a form vmx does not know.", level_name(e->level));
	}
}

/* The first level whose entry takes @bit away (RW, US) or adds NX. */
static int level_without(const struct vmx_resolve *r, uint64_t bit, bool set_means_deny)
{
	for (unsigned int i = 0; i < r->nr_steps; i++) {
		uint64_t e = r->steps[i].entry;

		if (!(e & X86_P))
			break;
		if (set_means_deny ? (e & bit) : !(e & bit))
			return (int)r->steps[i].level;
	}
	return 0;
}

/* A write to a present entry without RW, in a writable VMA. */
static void write_protected(const struct why_facts *f, struct why *w, int lv)
{
	const struct vmx_entry *e = &f->r->final;
	uint64_t vf = f->r->vma_flags;

	w->level = lv;
	verdict(w, "minor-fault", NULL, NULL, "write-protected");
	say(w, "That %s is present but read-only (RW clear) in a writable VMA, so the write faults and the kernel decides: ",
	    level_name(lv));
	/* The bit counts only in a VMA registered for it (userfaultfd_pte_wp()). */
	if ((e->sw & VMX_SW_UFFD_WP) && (f->r->vma_flags & VMX_VMA_UFFD_WP)) {
		verdict(w, "fault", NULL, NULL, "uffd-wp");
		say(w, "the page is write-protected by userfaultfd (the uffd-wp bit is set): the userfaultfd handler is told and must unprotect it.");
	} else if (e->page & (VMX_PAGE_ZERO | VMX_PAGE_HUGE_ZERO)) {
		say(w, "it maps the shared zero page, so the write gets a new zeroed page of its own (copy on write from the zero page).");
	} else if (vf & VMX_VMA_MAYSHARE) {
		say(w, "the mapping is shared, so the page becomes writable in place once the file system has marked it dirty (page_mkwrite): write-back dirty tracking.");
	} else if ((e->page & VMX_PAGE_ANON) && (e->page & VMX_PAGE_EXCLUSIVE)) {
		say(w, "the anonymous page is this process's alone (exclusive), so it is reused: RW is set again (it was write-protected for soft-dirty tracking, by mprotect(), or by userfaultfd before).");
	} else if ((e->page & VMX_PAGE_ANON) && !(e->page & VMX_PAGE_LARGE) && e->refcount == 1) {
		say(w, "no one else holds the anonymous page any more (mapcount %d, refcount 1: the other side of a fork exited or copied it first), so it is reused: RW is set again.",
		    e->mapcount);
	} else if (e->page & VMX_PAGE_KSM) {
		verdict(w, "minor-fault", NULL, NULL, "copy-on-write");
		say(w, "the page is a KSM page (merged with identical pages), so it is copied to a new frame for this process and mapped writable there.");
	} else {
		verdict(w, "minor-fault", NULL, NULL, "copy-on-write");
		say(w, "the page is %s (mapcount %d, refcount %d), so it is copied to a new frame for this process and mapped writable there (copy on write, as after fork()).",
		    e->page & VMX_PAGE_ANON ? "shared with another process" : "the file's page in a private mapping",
		    e->mapcount, e->refcount);
	}
	say(w, " A minor fault, no signal.");
}

/*
 * The protection key, as access_error() checks it before anything else
 * (arch_vma_access_permitted()): a key that denies the access is SIGSEGV
 * (SEGV_PKUERR) whatever the tables hold. True when it decided.
 */
static bool protection_key(const struct why_facts *f, struct why *w)
{
	const struct pkru_set *p = f->pkru;
	unsigned int key = f->vma_pkey;
	int denied = -1, ndenied = 0;

	if (!(f->in->paging & VMX_PAGING_PKU) || f->access == WHY_EXEC || !f->has_vma_pkey)
		return false;	/* no keys, or an instruction fetch: not checked */
	if (!p || !p->n) {
		say(w, "Its protection key is %u; no thread's PKRU could be read (%s), so whether the key allows it is unknown. ",
		    key, p ? "no thread" : strerror(-f->pkru_err));
		return false;
	}
	for (int i = 0; i < p->n; i++)
		if (pkru_ad(p->pkru[i], key) ||
		    (f->access == WHY_WRITE && pkru_wd(p->pkru[i], key))) {
			ndenied++;
			if (denied < 0)
				denied = i;
		}
	if (denied < 0) {
		say(w, "Its protection key %u allows it in every thread's PKRU (%d read%s). ", key, p->n,
		    p->more ? ", more threads not read" : "");
		return false;
	}
	verdict(w, "SIGSEGV", "SIGSEGV", "SEGV_PKUERR", "protection-key");
	say(w, "Its protection key is %u, and PKRU (0x%08x in thread %d) %s for that key: the CPU (or, for a page not mapped yet, the kernel) refuses it and the thread gets SIGSEGV (SEGV_PKUERR)%s, whatever the VMA and the tables allow.",
	    key, p->pkru[denied], (int)p->tid[denied],
	    pkru_ad(p->pkru[denied], key) ? "disables all access" : "disables writes",
	    ndenied < p->n ? " in the threads whose PKRU says so" : "");
	return true;
}

/* A present leaf: RW, US, NX along the walk, then the key. */
static void mapped(const struct why_facts *f, struct why *w)
{
	const struct vmx_resolve *r = f->r;
	const struct vmx_entry *e = &r->final;
	int lv;

	w->level = e->level;
	verdict(w, "no-fault", NULL, NULL, "mapped");
	say(w, "The walk reaches a present %s leaf (frame 0x%llx). ", level_name(e->level),
	    (unsigned long long)e->pfn);
	lv = level_without(r, X86_US, false);
	if (!f->kernel_mode && lv) {
		w->level = lv;
		say(w, "The %s entry has US clear: supervisor only, so a user-mode access faults. ", level_name(lv));
		/*
		 * access_error() refuses a protection fault that is not a
		 * write; a write the VMA allows goes on to handle_mm_fault(),
		 * which finds the entry already fine and returns.
		 */
		if (f->access == WHY_WRITE) {
			verdict(w, "fault-loop", NULL, NULL, "supervisor-only");
			say(w, "For a write the VMA allows, the kernel goes on to handle_mm_fault(), which finds a present entry and leaves US alone (a read-only one it reuses, keeping US clear): it returns, and the write faults again at once, forever, until a signal ends the thread. Only a copy on write would end it, with a new entry that has US set. Linux never makes such an entry for user memory.");
		} else {
			verdict(w, "SIGSEGV", "SIGSEGV", "SEGV_ACCERR", "supervisor-only");
			say(w, "A protection fault the kernel does not fix: SIGSEGV (SEGV_ACCERR). Linux never makes such an entry for user memory.");
		}
		return;
	}
	if (f->access == WHY_EXEC) {
		lv = level_without(r, X86_NX, true);
		if (lv) {
			w->level = lv;
			verdict(w, "SIGSEGV", "SIGSEGV", "SEGV_ACCERR", "nx");
			say(w, "The %s entry has NX set though the VMA allows exec: the fetch is a protection fault that is not a write, which the kernel never fixes, so the thread gets SIGSEGV (SEGV_ACCERR).",
			    level_name(lv));
			return;
		}
	}
	if (f->access == WHY_WRITE) {
		lv = level_without(r, X86_RW, false);
		if (lv) {
			write_protected(f, w, lv);
			return;
		}
	}
	say(w, "Every level allows the %s%s. The MMU translates it: no fault%s.",
	    why_access_name(f->access), f->access == WHY_WRITE ? " (RW set all the way)" : "",
	    f->access == WHY_WRITE ? " (the CPU sets A and D)" : " (the CPU sets A)");
}

/*
 * Kernel code fetching from a user address: no VMA is consulted, only
 * SMEP, PTI's NX root copy and the walk itself; a fault there is an oops.
 */
static void kernel_exec(const struct why_facts *f, struct why *w)
{
	const struct vmx_resolve *r = f->r;
	int lv;

	if (f->smep) {
		verdict(w, "oops", NULL, NULL, "smep");
		say(w, "Kernel code may never execute a user page: with SMEP (this CPU has it) the fetch faults and the kernel oopses (\"unable to execute userspace code\").");
		return;
	}
	if ((f->in->paging & VMX_PAGING_PTI) && r->nr_steps &&
	    (r->steps[0].entry_kernel & X86_NX)) {
		verdict(w, "oops", NULL, NULL, "pti-nx");
		say(w, "This CPU has no SMEP, but under PTI the kernel's copy of the root entry has NX set for user space (0x%llx): the fetch faults and the kernel oopses.",
		    (unsigned long long)r->steps[0].entry_kernel);
		return;
	}
	if (r->result != VMX_RESOLVE_MAPPED) {
		verdict(w, "oops", NULL, NULL, "not-mapped");
		say(w, "This CPU has no SMEP and nothing executable is mapped there: the fetch faults and the kernel oopses.");
		return;
	}
	lv = level_without(r, X86_NX, true);
	if (lv) {
		w->level = lv;
		verdict(w, "oops", NULL, NULL, "nx");
		say(w, "This CPU has no SMEP; the %s entry has NX set, so the fetch faults and the kernel oopses.",
		    level_name(lv));
		return;
	}
	verdict(w, "no-fault", NULL, NULL, "kernel-runs-user-code");
	say(w, "This CPU has no SMEP and the page is executable: kernel code jumping there would run the user's code (what SMEP exists to stop).");
}

/* What a uaccess helper gets where user mode would get a signal. */
static void as_kernel(const struct why_facts *f, struct why *w)
{
	if (!f->kernel_mode || !w->signal)
		return;
	say(w, " From kernel code, through the uaccess helpers (copy_from_user(), ...): -EFAULT; a plain dereference oopses.");
	w->verdict = "EFAULT";
	w->signal = NULL;
	w->si_code = NULL;
}

static bool canonical(const struct why_facts *f, uint64_t a)
{
	unsigned int bits = f->in->virt_bits ? f->in->virt_bits : 48;
	int64_t s = (int64_t)(a << (64 - bits)) >> (64 - bits);

	return (uint64_t)s == a;
}

static void decide(const struct why_facts *f, struct why *w)
{
	const struct vmx_resolve *r = f->r;
	char vf[5];

	if (!canonical(f, f->addr)) {
		verdict(w, "SIGSEGV", "SIGSEGV", "SI_KERNEL", "non-canonical");
		say(w, "That address is not canonical (bits above bit %u are not all equal): the CPU raises a general protection fault, not a page fault, and the thread gets SIGSEGV (SI_KERNEL).",
		    (f->in->virt_bits ? f->in->virt_bits : 48) - 1);
		return;
	}
	if (!f->user_addr) {
		verdict(w, "SIGSEGV", "SIGSEGV", "SEGV_MAPERR", "kernel-address");
		say(w, "That is a kernel address: a user-mode access never reaches it (US is clear in the kernel's entries%s): SIGSEGV.",
		    f->in->paging & VMX_PAGING_PTI ? ", and under PTI user mode's root does not even map it" : "");
		return;
	}
	if (f->kernel_mode && f->access == WHY_EXEC) {
		kernel_exec(f, w);
		return;
	}
	if (!r->in_vma) {
		verdict(w, "SIGSEGV", "SIGSEGV", "SEGV_MAPERR", "no-vma");
		say(w, "No VMA covers this address: it was never mapped (or was unmapped). The access faults, the kernel finds no VMA and sends SIGSEGV (SEGV_MAPERR).");
		return;
	}
	vm_perms(vf, r->vma_flags);
	say(w, "The VMA 0x%llx-0x%llx (%s) ", (unsigned long long)r->vma_start,
	    (unsigned long long)r->vma_end, vf);
	if (!vma_allows(r->vma_flags, f->access)) {
		say(w, "does not allow %s %s. ", f->access == WHY_EXEC ? "an" : "a",
		    why_access_name(f->access));
		/* The key is checked first: its code wins (bad_area_access_from_pkeys). */
		if (protection_key(f, w))
			return;
		verdict(w, "SIGSEGV", "SIGSEGV", "SEGV_ACCERR", "vma-permissions");
		say(w, "Whatever the page tables hold, the kernel sends SIGSEGV (SEGV_ACCERR).");
		return;
	}
	say(w, "allows %s %s. ", f->access == WHY_EXEC ? "an" : "a", why_access_name(f->access));
	if (protection_key(f, w))
		return;
	if (f->access == WHY_WRITE && (r->vma_flags & VMX_VMA_SHADOW_STACK)) {
		verdict(w, "SIGSEGV", "SIGSEGV", "SEGV_ACCERR", "shadow-stack");
		say(w, "It is a shadow stack: only the CPU's call and return write it; a plain write gets SIGSEGV (SEGV_ACCERR).");
		return;
	}
	if (f->kernel_mode && f->smap)
		say(w, "With SMAP (this CPU has it), a plain kernel dereference of a user address faults and oopses; only the uaccess helpers (copy_from_user(), get_user(), ...) may touch it, and for them these rules hold. ");
	switch (r->result) {
	case VMX_RESOLVE_MAPPED:
		mapped(f, w);
		break;
	case VMX_RESOLVE_NONE:
		demand(f, w);
		break;
	default:
		not_present(f, w);
	}
}

void why_decide(const struct why_facts *f, struct why *w)
{
	memset(w, 0, sizeof(*w));
	decide(f, w);
	as_kernel(f, w);
}
