// SPDX-License-Identifier: GPL-2.0
/*
 * vmxctl resolve PID ADDR [--explain]
 * vmxctl resolve kernel ADDR [--explain]
 * One address, translated level by level as the MMU does it, from one
 * VMX_IOC_RESOLVE. Also home of the address checks peek and phys share.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "explain.h"
#include "names.h"
#include "target.h"
#include "vmxctl.h"
#include "x86_bits.h"

/* ---- Shared with peek and phys ---- */

static unsigned int virt_bits(const struct vmx_info *in)
{
	/* 48 or 57; anything odd falls back on the level count. */
	if (in->virt_bits >= 32 && in->virt_bits <= 64)
		return in->virt_bits;
	return in->levels == 5 ? 57 : 48;
}

/* Bits 63 down to the top translated bit all equal, as the MMU demands. */
static int is_canonical(const struct vmx_info *in, uint64_t addr)
{
	unsigned int shift = 64 - virt_bits(in);

	return (uint64_t)((int64_t)(addr << shift) >> shift) == addr;
}

static uint64_t kernel_half_start(const struct vmx_info *in)
{
	return ~0ULL << (virt_bits(in) - 1);
}

static int not_canonical(const struct vmx_info *in, const char *cmd,
			 uint64_t addr)
{
	unsigned int b = virt_bits(in);

	return usage_error("%s: 0x%" PRIx64 " is not a canonical address: with %u-bit addresses, bits 63-%u must all equal bit %u",
			   cmd, addr, b, b, b - 1);
}

int check_user_addr(const struct vmx_info *in, const char *cmd, uint64_t addr)
{
	if (!is_canonical(in, addr))
		return not_canonical(in, cmd, addr);
	if (addr >= kernel_half_start(in))
		return usage_error("%s: 0x%" PRIx64 " is a kernel address (the kernel half starts at 0x%" PRIx64 ")%s",
				   cmd, addr, kernel_half_start(in),
				   strcmp(cmd, "resolve") ? "" :
				   ": use 'vmxctl resolve kernel ADDR'");
	if (addr >= in->user_va_end)
		return usage_error("%s: 0x%" PRIx64 " is beyond the user half, which ends at 0x%llx",
				   cmd, addr, (unsigned long long)in->user_va_end);
	return EXIT_OK;
}

int target_error(int err, int pid, const char *what, const char *hint)
{
	switch (err) {
	case ESRCH:
		return runtime_error(err, NULL, "pid %d is gone (or was reused)", pid);
	case ENXIO: {
		const char *why = target_no_mm_reason(pid);

		return runtime_error(err, !strcmp(why, "is a kernel thread") ?
				     "kernel threads have no user address space" : NULL,
				     "pid %d %s: no user address space", pid, why);
	}
	case EINTR:
		return runtime_error(err, NULL, "interrupted");
	case ENOTTY:
		return runtime_error(err, "vmxctl version shows both ABIs",
				     "%s: vmx.ko does not know this request (older than vmxctl?)",
				     what);
	default:
		return runtime_error(err, hint, "%s failed", what);
	}
}

/* ---- resolve ---- */

struct resolve_args {
	struct target t;
	uint64_t addr;
	int kernel;
	int explain;
	int verbose;
};

/* Syntax only: needs no module, so it works (and fails) without one. */
static int parse_resolve_args(int argc, char **argv, struct resolve_args *a)
{
	struct args w;
	int ret = args_parse("resolve", argc, argv, 2, &w);
	int need;

	if (ret)
		return ret;
	a->kernel = args_has(&w, "kernel");
	a->explain = args_has(&w, "--explain");
	a->verbose = args_has(&w, "verbose");
	need = a->kernel ? 1 : 2;
	if (w.npos > need)
		return usage_error("resolve: unexpected argument '%s'", w.pos[need]);
	if (w.npos < need)
		return usage_error(w.npos || a->kernel ?
				   "resolve needs an address after the pid (or 'kernel')" :
				   "resolve needs a pid (or 'kernel') and an address");
	if (!a->kernel && args_pid(w.pos[0], &a->t))
		return EXIT_USAGE;
	return args_number(w.pos[need - 1], "an address", &a->addr);
}

static int check_resolve_addr(const struct resolve_args *a,
			      const struct vmx_info *in)
{
	if (!a->kernel)
		return check_user_addr(in, "resolve", a->addr);
	if (!is_canonical(in, a->addr))
		return not_canonical(in, "resolve kernel", a->addr);
	if (a->addr < kernel_half_start(in))
		return usage_error("resolve kernel: 0x%" PRIx64 " is a user address (the kernel half starts at 0x%" PRIx64 "): use 'vmxctl resolve PID ADDR'",
				   a->addr, kernel_half_start(in));
	return EXIT_OK;
}

static int resolve_error(int err, const struct resolve_args *a,
			 const struct vmx_info *in)
{
	char hint[160];

	if (err == EINVAL) {
		snprintf(hint, sizeof(hint),
			 "user addresses end at 0x%llx; kernel ones need 'vmxctl resolve kernel ADDR'",
			 (unsigned long long)in->user_va_end);
		return runtime_error(err, hint, "the module refused address 0x%" PRIx64,
				     a->addr);
	}
	if (err == EPERM && a->kernel)
		return runtime_error(err, "cat /proc/sys/kernel/kptr_restrict /sys/kernel/security/lockdown",
				     "kernel addresses are hidden here (kptr_restrict, or lockdown at confidentiality)");
	if (err == EFAULT && a->kernel)
		return runtime_error(err, NULL,
				     "a table on the way to 0x%" PRIx64 " could not be read (freed meanwhile?): try again",
				     a->addr);
	return target_error(err, a->t.pid, "VMX_IOC_RESOLVE", NULL);
}

/* Where the index of @level comes from: 9 bits above the page offset each. */
static unsigned int index_shift(unsigned int level, unsigned int levels)
{
	if (level < VMX_LEVEL_PTE || level > VMX_LEVEL_PGD)
		return 12;	/* a level this vmxctl does not know */
	if (level == VMX_LEVEL_PGD && levels != 5)
		return 39;	/* 4-level: the PGD takes the P4D's bits */
	return 12 + 9 * (level - 1);
}

static void make_views(const struct vmx_info *in, const struct vmx_resolve *r,
		       struct step_view *v, unsigned int n)
{
	uint64_t eff = X86_EFFECTIVE_START;

	for (unsigned int i = 0; i < n; i++) {
		const struct vmx_step *s = &r->steps[i];

		memset(&v[i], 0, sizeof(v[i]));
		v[i].s = s;
		v[i].lo = index_shift(s->level, in->levels);
		v[i].hi = v[i].lo + 8;
		/* page_offset_base is 0 when the module hides kernel addresses. */
		v[i].direct_map = in->page_offset_base ?
				  in->page_offset_base + s->table_pa : 0;
		v[i].entry_pa = s->table_pa + 8ULL * s->index;
		v[i].present = !!(s->entry & X86_P);
		v[i].last = i + 1 == n;
		v[i].leaf = v[i].last && r->result != VMX_RESOLVE_NONE;
		v[i].eff_above = eff;
		/* As ptdump: permissions accumulate over present entries only. */
		if (v[i].present)
			eff = x86_effective_prot(eff, s->entry);
		v[i].eff = eff;
		x86_flag_names(v[i].flags, sizeof(v[i].flags), s->entry, (int)s->level,
			       v[i].leaf);
	}
}

/* JSON's "result": the words of the text's last line, hyphenated. */
static const char *result_name(uint32_t result)
{
	switch (result) {
	case VMX_RESOLVE_MAPPED: return "mapped";
	case VMX_RESOLVE_NONE: return "not-mapped";
	case VMX_RESOLVE_NOT_PRESENT: return "not-present";
	default: return "?";
	}
}

/* Log2 of the leaf's span: the final record's, else its level's. */
static unsigned int leaf_shift(const struct vmx_resolve *r, unsigned int levels)
{
	/* Only leaf sizes x86 has: anything else would be a shift past 63. */
	if (r->final.kind && r->final.span_shift >= 12 && r->final.span_shift <= 30)
		return r->final.span_shift;
	if (!r->nr_steps)
		return 12;
	return index_shift(r->steps[r->nr_steps - 1].level, levels);
}

/* ptdump's words: USR or not, RW or ro, NX or x. */
static const char *eff_text(const struct step_view *v, char *buf, size_t size)
{
	if (!v->present)
		return "-";
	x86_effective_text(buf, size, v->eff);
	return buf;
}

/*
 * The FLAGS column: hardware bits mean nothing once P is clear, except
 * Linux's PROT_NONE, which keeps them for when access comes back.
 */
static const char *flags_text(const struct step_view *v, const struct vmx_entry *final)
{
	if (!v->s->entry)
		return "(empty)";
	if (v->present || (v->last && final->kind == VMX_KIND_PROTNONE))
		return v->flags;
	return "(not present)";
}

/* Text only: "swapped out: swap area 0, offset 0x1a2b" and the like. */
static void not_present_text(const struct vmx_entry *e)
{
	if (is_json())
		return;
	switch (e->kind) {
	case VMX_KIND_SWAP:
		printf("swapped out: swap area %u, offset 0x%" PRIx64, e->swap_type,
		       (uint64_t)e->swap_offset);
		break;
	case VMX_KIND_PROTNONE:
		printf("%s, frame 0x%" PRIx64 " kept",
		       e->sw & VMX_SW_NUMA_HINT ? "NUMA hint (PROT_NONE until the next access)" :
		       "PROT_NONE", (uint64_t)e->pfn);
		break;
	case VMX_KIND_MARKER:
		printf("PTE marker:");
		print_tags(NAMES_MARKER, e->swap_offset);
		break;
	case VMX_KIND_HWPOISON:
		printf("hwpoison: frame 0x%" PRIx64 " had a memory error", (uint64_t)e->pfn);
		break;
	case VMX_KIND_UNKNOWN:
		printf("an entry vmxctl does not know");
		break;
	default:	/* migration and device entries */
		printf("%s entry for frame 0x%" PRIx64, kind_name(e->kind), (uint64_t)e->pfn);
	}
	printf(" (%s %s)\n", level_name(e->level), size_name(e->span_shift));
}

/* Text only: "tags: sd anon excl; refcount 1, mapcount 1", dump's tags spelt out. */
static void tags_text(const struct vmx_entry *e)
{
	int n;

	if (is_json())
		return;
	if (!e->sw && !(e->page & VMX_PAGE_VALID) && !e->pkey)
		return;
	printf("tags:");
	n = print_tags(NAMES_SW, e->sw);
	if (e->page & VMX_PAGE_VALID)
		n += print_tags(NAMES_PAGE, e->page);
	if (!n)
		printf(" none");
	if (e->page & VMX_PAGE_VALID) {
		printf("; refcount %d", e->refcount);
		if (e->mapcount >= 0)
			printf(", mapcount %d", e->mapcount);
		else
			printf(", mapcount n/a");
	}
	if (e->pkey)
		printf("; pkey %u", e->pkey);
	printf("\n");
}

/* Who and where: the text's first lines, the JSON's top members. */
static void print_header(const struct resolve_args *a, const struct vmx_info *in,
			 const struct vmx_resolve *r)
{
	bool pti = in->paging & VMX_PAGING_PTI;

	print_string(PRINT_JSON, "release", NULL, in->release);
	print_uint(PRINT_JSON, "levels", NULL, in->levels);
	print_bool(PRINT_JSON, "pti", NULL, pti);
	print_bool(PRINT_JSON, "kernel", NULL, a->kernel);
	if (a->kernel) {
		print_hex(PRINT_ANY, "addr", "kernel address 0x%" PRIx64 "\n", a->addr);
	} else {
		print_int(PRINT_ANY, "pid", "pid %" PRId64, a->t.pid);
		print_string(PRINT_ANY, "comm", " (%s)", a->t.comm);
		print_uint(PRINT_JSON, "start_time", NULL, a->t.start_time);
		print_bool(PRINT_JSON, "in_vma", NULL, r->in_vma);
		print_hex(PRINT_ANY, "addr", " 0x%" PRIx64, a->addr);
		if (!r->in_vma)
			print_text(": outside every VMA\n");
		else if (r->vma_start || r->vma_end)
			print_text(", in VMA 0x%" PRIx64 "-0x%" PRIx64 "\n",
				   (uint64_t)r->vma_start, (uint64_t)r->vma_end);
		else
			print_text(": inside a VMA\n");
	}
	print_text("%u-level paging (%u-bit addresses), PTI %s, direct map at %s\n",
		   in->levels, virt_bits(in), pti ? "on" : "off",
		   kaddr_text(in->page_offset_base));
	print_hex(PRINT_JSON, "page_offset_base", NULL, in->page_offset_base);
	print_hex(PRINT_ANY, "root_pa", "root PGD at phys 0x%" PRIx64, r->root_pa);
	print_text(" (%s%s)\n", a->kernel ? "vmxctl's own, shared kernel half; " : "",
		   pti ? "CR3 in kernel mode" : "CR3");
	print_hex(PRINT_JSON, "root_pa_user", NULL, r->root_pa_user);
	if (r->root_pa_user != r->root_pa)
		print_text("user copy at phys 0x%" PRIx64 ": user mode runs on it (PTI)\n",
			   (uint64_t)r->root_pa_user);
}

/* One step: a row of the table, an object of "steps". */
static void print_step(const struct resolve_args *a, int pw,
		       const struct step_view *v, const struct step_view *next,
		       const struct vmx_entry *final, struct explain_seen *seen)
{
	const struct vmx_step *s = v->s;
	char bits[8], eff[16];

	snprintf(bits, sizeof(bits), "%u-%u", v->hi, v->lo);
	open_json_object(NULL);
	print_string(PRINT_ANY, "level", "%-5s ", level_name(s->level));
	print_string(PRINT_ANY, "bits", "%-5s ", bits);
	print_uint(PRINT_ANY, "index", "%5" PRIu64 " ", s->index);
	print_hex(PRINT_JSON, "table_pa", NULL, s->table_pa);
	print_text("%0*" PRIx64 " ", pw, (uint64_t)s->table_pa);
	/* Where the entry sits (direct map, physical) only with -v: 80 columns. */
	print_hex(a->verbose ? PRINT_ANY : PRINT_JSON, "table_direct_map",
		  "%016" PRIx64 " ", v->direct_map);
	print_hex(PRINT_JSON, "entry_pa", NULL, v->entry_pa);
	if (a->verbose)
		print_text("%0*" PRIx64 " ", pw, v->entry_pa);
	print_hex(PRINT_ANY, "entry", "%016" PRIx64 " ", s->entry);
	print_hex(PRINT_JSON, "entry_kernel", NULL, s->entry_kernel);
	print_words(PRINT_JSON, "flags", NULL, v->flags);
	print_text("%-10s %s\n", eff_text(v, eff, sizeof(eff)), flags_text(v, final));
	print_bool(PRINT_JSON, "present", NULL, v->present);
	if (v->present) {
		/* A set of bits, as every bit set in the JSON: an array. */
		x86_effective_words(eff, sizeof(eff), v->eff);
		print_words(PRINT_JSON, "effective", NULL, eff);
	} else {
		print_null(PRINT_JSON, "effective", NULL);
	}
	if (s->level == VMX_LEVEL_PGD && s->entry_kernel != s->entry)
		print_text("%-5s kernel-mode copy %016" PRIx64 "\n", "",
			   (uint64_t)s->entry_kernel);
	if (a->explain) {
		open_json_array("explain");
		explain_step(v, next, seen);
		close_json_array();
	}
	close_json_object();
}

/* The text's last lines; JSON's "result" and what goes with it. */
static void print_result(const struct resolve_args *a, const struct vmx_info *in,
			 const struct vmx_resolve *r, const struct step_view *v,
			 unsigned int n)
{
	const struct vmx_entry *e = &r->final;

	print_string(PRINT_JSON, "result", NULL, result_name(r->result));
	switch (r->result) {
	case VMX_RESOLVE_MAPPED: {
		unsigned int shift = leaf_shift(r, in->levels);
		uint64_t off = a->addr & ((1ULL << shift) - 1);

		print_hex(PRINT_ANY, "pa", "mapped: phys 0x%" PRIx64, r->pa);
		print_hex(PRINT_JSON, "pa_direct_map", NULL,
			  in->page_offset_base ? in->page_offset_base + r->pa : 0);
		print_string(PRINT_ANY, "leaf_size", " = %s page", size_name(shift));
		print_text(" 0x%" PRIx64, (uint64_t)(r->pa - off));
		print_hex(PRINT_ANY, "leaf_offset", " + 0x%" PRIx64, off);
		print_text(" (%s leaf)\n",
			   level_name(e->kind ? e->level : n ? v[n - 1].s->level : 0));
		break;
	}
	case VMX_RESOLVE_NONE:
		if (n)
			print_string(PRINT_JSON, "empty_level", NULL,
				     level_name(v[n - 1].s->level));
		print_text("not mapped: the %s entry is empty\n",
			   n ? level_name(v[n - 1].s->level) : "root");
		break;
	case VMX_RESOLVE_NOT_PRESENT:
		print_text("not present: ");
		not_present_text(e);
		break;
	default:
		print_text("result %u: unknown to this vmxctl\n", r->result);
	}
	if (r->result != VMX_RESOLVE_NONE)
		tags_text(e);
	/* JSON: the leaf's record as dump writes it, or null. */
	if (!is_json())
		return;
	if (!e->kind) {
		print_null(PRINT_JSON, "final", NULL);
		return;
	}
	json_key(&ctl.j, "final");
	entry_json(e, r->vma_start, r->vma_end, false, 0);
}

static void resolve_print(const struct resolve_args *a, const struct vmx_info *in,
			  const struct vmx_resolve *r)
{
	int pw = in->phys_bits ? (int)(in->phys_bits + 3) / 4 : 13;
	struct step_view v[VMX_MAX_STEPS];
	unsigned int n = r->nr_steps < VMX_MAX_STEPS ? r->nr_steps : VMX_MAX_STEPS;
	struct explain_seen seen = { .rule_told = 0 };

	make_views(in, r, v, n);
	open_doc();
	print_header(a, in, r);
	/* The text explains the walk before it, the JSON after it. */
	if (a->explain && !is_json())
		explain_intro(in, r, a->kernel);
	print_text("\n%-5s %-5s %5s %-*s ", "LEVEL", "BITS", "INDEX", pw, "TABLE");
	if (a->verbose)
		print_text("%-16s %-*s ", "DIRECT MAP", pw, "ENTRY AT");
	print_text("%-16s %-10s %s\n", "ENTRY", "EFFECTIVE", "FLAGS");
	open_json_array("steps");
	for (unsigned int i = 0; i < n; i++)
		print_step(a, pw, &v[i], i + 1 < n ? &v[i + 1] : NULL, &r->final, &seen);
	close_json_array();
	print_result(a, in, r, v, n);
	if (a->explain) {
		open_json_array("explain");
		if (is_json())
			explain_intro(in, r, a->kernel);
		explain_end(in, r, a->kernel);
		close_json_array();
	}
	close_doc();
}

int cmd_resolve(int argc, char **argv)
{
	struct resolve_args a = { 0 };
	struct vmx_resolve r;
	struct vmx_info in;
	struct vmx_proc proc;
	vmx_t *dev;
	int ret;

	ret = parse_resolve_args(argc, argv, &a);
	if (ret)
		return ret;
	ret = ctl_open_for(&dev, &in, VMX_FEAT_RESOLVE, "resolve");
	if (ret)
		return ret;
	ret = check_resolve_addr(&a, &in);
	if (!ret) {
		proc = target_proc(&a.t);
		ret = vmx_resolve(dev, &proc, a.addr,
				  a.kernel ? VMX_RESOLVE_KERNEL : 0, &r);
		if (ret)
			ret = resolve_error(-ret, &a, &in);
	}
	vmx_close(dev);
	if (ret)
		return ret;
	/* Not mapped is an answer, not an error: exit 0 whatever the result. */
	resolve_print(&a, &in, &r);
	return EXIT_OK;
}
