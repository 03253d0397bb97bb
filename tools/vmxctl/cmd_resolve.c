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
#include <sys/ioctl.h>
#include <unistd.h>

#include "explain.h"
#include "names.h"
#include "target.h"
#include "vmxctl.h"
#include "x86_bits.h"

/* ---- Shared with peek and phys ---- */

int parse_number(const char *s, uint64_t *v)
{
	int base = 10;
	char *end;

	/* Hex needs its 0x: a leading 0 is not octal, and no sign is taken. */
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (base == 16 ? !isxdigit((unsigned char)*s) : !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	*v = strtoull(s, &end, base);
	return errno || *end ? -1 : 0;
}

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
	const char *pos[2];
	int npos = 0;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--explain") || !strcmp(argv[i], "-e") ||
		    !strcmp(argv[i], "explain"))
			a->explain = 1;
		else if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "verbose"))
			a->verbose = 1;
		else if (argv[i][0] == '-' && argv[i][1] && !isdigit((unsigned char)argv[i][1]))
			return usage_error("resolve: unknown option '%s'", argv[i]);
		else if (npos < 2)
			pos[npos++] = argv[i];
		else
			return usage_error("resolve: unexpected argument '%s'", argv[i]);
	}
	if (npos < 1)
		return usage_error("resolve needs a pid (or 'kernel') and an address");
	if (npos < 2)
		return usage_error("resolve needs an address after '%s'", pos[0]);
	if (!strcmp(pos[0], "kernel"))
		a->kernel = 1;
	else if (target_parse(pos[0], &a->t))
		return usage_error("'%s' is not a pid (nor 'kernel')", pos[0]);
	if (parse_number(pos[1], &a->addr))
		return usage_error("'%s' is not an address: give it in hex (0x...) or decimal",
				   pos[1]);
	return EXIT_OK;
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
	snprintf(buf, size, "%s %s %s", v->eff & X86_US ? "user" : "kern",
		 v->eff & X86_RW ? "rw" : "ro", v->eff & X86_NX ? "nx" : "x");
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

/* "swapped out: swap area 0, offset 0x1a2b" and the like. */
static void not_present_text(const struct vmx_entry *e)
{
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

/* "tags: sd anon excl; refcount 1, mapcount 1": dump's tags, spelt out. */
static void tags_text(const struct vmx_entry *e)
{
	int n;

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

static void resolve_text(const struct resolve_args *a, const struct vmx_info *in,
			 const struct vmx_resolve *r)
{
	int pw = in->phys_bits ? (int)(in->phys_bits + 3) / 4 : 13;
	struct step_view v[VMX_MAX_STEPS];
	unsigned int n = r->nr_steps < VMX_MAX_STEPS ? r->nr_steps : VMX_MAX_STEPS;
	const struct vmx_entry *e = &r->final;
	struct explain_seen seen = { .rule_told = 0 };
	char eff[16];

	make_views(in, r, v, n);
	if (a->kernel)
		printf("kernel address 0x%" PRIx64 "\n", a->addr);
	else if (!r->in_vma)
		printf("pid %d (%s) 0x%" PRIx64 ": outside every VMA\n",
		       a->t.pid, a->t.comm, a->addr);
	else if (e->vma_start || e->vma_end)
		printf("pid %d (%s) 0x%" PRIx64 ", in VMA 0x%" PRIx64 "-0x%" PRIx64 "\n",
		       a->t.pid, a->t.comm, a->addr, (uint64_t)e->vma_start,
		       (uint64_t)e->vma_end);
	else
		printf("pid %d (%s) 0x%" PRIx64 ": inside a VMA\n",
		       a->t.pid, a->t.comm, a->addr);
	printf("%u-level paging (%u-bit addresses), PTI %s, direct map at %s\n",
	       in->levels, virt_bits(in), in->paging & VMX_PAGING_PTI ? "on" : "off",
	       kaddr_text(in->page_offset_base));
	printf("root PGD at phys 0x%" PRIx64 " (%s%s)\n", (uint64_t)r->root_pa,
	       a->kernel ? "vmxctl's own, shared kernel half; " : "",
	       in->paging & VMX_PAGING_PTI ? "CR3 in kernel mode" : "CR3");
	if (r->root_pa_user != r->root_pa)
		printf("user copy at phys 0x%" PRIx64 ": user mode runs on it (PTI)\n",
		       (uint64_t)r->root_pa_user);
	if (a->explain)
		explain_intro(in, r, a->kernel);
	/* Where each entry sits (direct map, physical) only with -v: 80 columns. */
	printf("\n%-5s %-5s %5s %-*s ", "LEVEL", "BITS", "INDEX", pw, "TABLE");
	if (a->verbose)
		printf("%-16s %-*s ", "DIRECT MAP", pw, "ENTRY AT");
	printf("%-16s %-10s %s\n", "ENTRY", "EFFECTIVE", "FLAGS");
	for (unsigned int i = 0; i < n; i++) {
		const struct vmx_step *s = v[i].s;
		char bits[8];

		snprintf(bits, sizeof(bits), "%u-%u", v[i].hi, v[i].lo);
		printf("%-5s %-5s %5u %0*" PRIx64 " ", level_name(s->level), bits,
		       s->index, pw, (uint64_t)s->table_pa);
		if (a->verbose)
			printf("%016" PRIx64 " %0*" PRIx64 " ", v[i].direct_map, pw,
			       v[i].entry_pa);
		printf("%016" PRIx64 " %-10s %s\n", (uint64_t)s->entry,
		       eff_text(&v[i], eff, sizeof(eff)), flags_text(&v[i], &r->final));
		if (s->level == VMX_LEVEL_PGD && s->entry_kernel != s->entry)
			printf("%-5s kernel-mode copy %016" PRIx64 "\n", "",
			       (uint64_t)s->entry_kernel);
		if (a->explain)
			explain_step(&v[i], i + 1 < n ? &v[i + 1] : NULL, &seen);
	}
	switch (r->result) {
	case VMX_RESOLVE_MAPPED: {
		unsigned int shift = leaf_shift(r, in->levels);
		uint64_t off = a->addr & ((1ULL << shift) - 1);

		printf("mapped: phys 0x%" PRIx64 " = %s page 0x%" PRIx64 " + 0x%" PRIx64 " (%s leaf)\n",
		       (uint64_t)r->pa, size_name(shift), (uint64_t)(r->pa - off), off,
		       level_name(e->kind ? e->level : n ? v[n - 1].s->level : 0));
		break;
	}
	case VMX_RESOLVE_NONE:
		printf("not mapped: the %s entry is empty\n",
		       n ? level_name(v[n - 1].s->level) : "root");
		break;
	case VMX_RESOLVE_NOT_PRESENT:
		printf("not present: ");
		not_present_text(e);
		break;
	default:
		printf("result %u: unknown to this vmxctl\n", r->result);
	}
	if (r->result != VMX_RESOLVE_NONE)
		tags_text(e);
	if (a->explain)
		explain_end(in, r, a->kernel);
}

static void resolve_json(const struct resolve_args *a, const struct vmx_info *in,
			 const struct vmx_resolve *r)
{
	struct step_view v[VMX_MAX_STEPS];
	unsigned int n = r->nr_steps < VMX_MAX_STEPS ? r->nr_steps : VMX_MAX_STEPS;
	struct explain_seen seen = { .rule_told = 0 };
	struct json *j = &ctl.j;

	make_views(in, r, v, n);
	open_doc();
	json_kv_string(j, "release", in->release);
	json_kv_uint(j, "levels", in->levels);
	json_kv_bool(j, "pti", in->paging & VMX_PAGING_PTI);
	json_kv_bool(j, "kernel", a->kernel);
	if (!a->kernel) {
		json_kv_int(j, "pid", a->t.pid);
		json_kv_string(j, "comm", a->t.comm);
		json_kv_uint(j, "start_time", a->t.start_time);
		json_kv_bool(j, "in_vma", r->in_vma);
	}
	json_kv_hex(j, "addr", a->addr);
	json_kv_hex(j, "page_offset_base", in->page_offset_base);
	json_kv_hex(j, "root_pa", r->root_pa);
	json_kv_hex(j, "root_pa_user", r->root_pa_user);
	json_key(j, "steps");
	json_open_array(j);
	for (unsigned int i = 0; i < n; i++) {
		const struct vmx_step *s = v[i].s;
		char bits[8];

		snprintf(bits, sizeof(bits), "%u-%u", v[i].hi, v[i].lo);
		json_open_object(j);
		json_kv_string(j, "level", level_name(s->level));
		json_kv_string(j, "bits", bits);
		json_kv_uint(j, "index", s->index);
		json_kv_hex(j, "table_pa", s->table_pa);
		json_kv_hex(j, "table_direct_map", v[i].direct_map);
		json_kv_hex(j, "entry_pa", v[i].entry_pa);
		json_kv_hex(j, "entry", s->entry);
		json_kv_hex(j, "entry_kernel", s->entry_kernel);
		json_kv_string(j, "flags", v[i].flags);
		json_kv_bool(j, "present", v[i].present);
		json_key(j, "effective");
		if (v[i].present) {
			json_open_object(j);
			json_kv_bool(j, "user", v[i].eff & X86_US);
			json_kv_bool(j, "rw", v[i].eff & X86_RW);
			json_kv_bool(j, "nx", v[i].eff & X86_NX);
			json_close_object(j);
		} else {
			json_null(j);
		}
		if (a->explain) {
			json_key(j, "explain");
			json_open_array(j);
			explain_step(&v[i], i + 1 < n ? &v[i + 1] : NULL, &seen);
			json_close_array(j);
		}
		json_close_object(j);
	}
	json_close_array(j);
	json_kv_string(j, "result", result_name(r->result));
	if (r->result == VMX_RESOLVE_MAPPED) {
		unsigned int shift = leaf_shift(r, in->levels);

		json_kv_hex(j, "pa", r->pa);
		json_kv_hex(j, "pa_direct_map",
			    in->page_offset_base ? in->page_offset_base + r->pa : 0);
		json_kv_string(j, "leaf_size", size_name(shift));
		json_kv_hex(j, "leaf_offset", a->addr & ((1ULL << shift) - 1));
	}
	if (r->result == VMX_RESOLVE_NONE && n)
		json_kv_string(j, "empty_level", level_name(v[n - 1].s->level));
	json_key(j, "final");
	if (r->final.kind)
		entry_json(&r->final);
	else
		json_null(j);
	if (a->explain) {
		json_key(j, "explain");
		json_open_array(j);
		explain_intro(in, r, a->kernel);
		explain_end(in, r, a->kernel);
		json_close_array(j);
	}
	close_doc();
}

int cmd_resolve(int argc, char **argv)
{
	struct resolve_args a = { 0 };
	struct vmx_resolve r;
	struct vmx_info in;
	int fd, ret;

	ret = parse_resolve_args(argc, argv, &a);
	if (ret)
		return ret;
	ret = vmx_open_for(&fd, &in, VMX_FEAT_RESOLVE, "resolve");
	if (ret)
		return ret;
	ret = check_resolve_addr(&a, &in);
	if (!ret) {
		memset(&r, 0, sizeof(r));
		r.size = sizeof(r);
		r.flags = a.kernel ? VMX_RESOLVE_KERNEL : 0;
		r.pid = a.t.pid;
		r.start_time = a.t.start_time;
		r.addr = a.addr;
		if (ioctl(fd, VMX_IOC_RESOLVE, &r) < 0)
			ret = resolve_error(errno, &a, &in);
	}
	close(fd);
	if (ret)
		return ret;
	/* Not mapped is an answer, not an error: exit 0 whatever the result. */
	if (ctl.json)
		resolve_json(&a, &in, &r);
	else
		resolve_text(&a, &in, &r);
	return EXIT_OK;
}
