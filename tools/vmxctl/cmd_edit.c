// SPDX-License-Identifier: GPL-2.0
/*
 * vmxctl edit PID ADDR [set FLAGS] [clear FLAGS] [expect RAW] [--dry-run]
 *	[--no-flush]
 * One VMX_IOC_EDIT: a compare-and-swap of the 4K PTE that maps ADDR, as far
 * as the module parameter allow_edits permits (docs/remaps.md). What the
 * entry was and became is shown with the bit names of dump and resolve.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "target.h"
#include "vmflags.h"
#include "vmxctl.h"
#include "x86_bits.h"

#define ALLOW_EDITS_PATH	"/sys/module/vmx/parameters/allow_edits"

static const struct edit_flag {
	uint32_t bit;
	const char *name;	/* also the name in JSON */
	const char *alias[2];
} edit_flags[] = {
	{ VMX_EDIT_ACCESSED, "accessed", { "a", NULL } },
	{ VMX_EDIT_WRITE, "write", { "rw", "w" } },
	{ VMX_EDIT_DIRTY, "dirty", { "d", NULL } },
	{ VMX_EDIT_SOFT_DIRTY, "soft-dirty", { "sd", NULL } },
	{ VMX_EDIT_NX, "nx", { NULL, NULL } },
	{ VMX_EDIT_PWT, "pwt", { NULL, NULL } },
	{ VMX_EDIT_PCD, "pcd", { NULL, NULL } },
};

#define NFLAGS (sizeof(edit_flags) / sizeof(edit_flags[0]))

struct edit_args {
	struct target t;
	uint64_t addr;
	uint64_t expect;
	uint32_t set;
	uint32_t clear;
	bool expect_given;
	bool dry_run;
	bool no_flush;
};

/* ---- Arguments: syntax only, so they fail the same without a module ---- */

static bool flag_matches(const struct edit_flag *f, const char *s, size_t len)
{
	if (strlen(f->name) == len && !strncmp(f->name, s, len))
		return true;
	for (int i = 0; i < 2; i++)
		if (f->alias[i] && strlen(f->alias[i]) == len &&
		    !strncmp(f->alias[i], s, len))
			return true;
	return false;
}

/* One name of a comma-separated list: its VMX_EDIT_* bit, or 0. */
static uint32_t flag_bit(const char *s, size_t len)
{
	for (size_t i = 0; i < NFLAGS; i++)
		if (flag_matches(&edit_flags[i], s, len))
			return edit_flags[i].bit;
	return 0;
}

static int parse_flags(const char *word, const char *list, uint32_t *bits)
{
	const char *s = list;

	for (;;) {
		size_t len = strcspn(s, ",");
		uint32_t bit = flag_bit(s, len);

		if (!bit)
			return usage_error("edit %s: '%.*s' is not a flag: give accessed (a), write (rw, w), dirty (d), soft-dirty (sd), nx, pwt or pcd, separated by commas",
					   word, (int)len, s);
		*bits |= bit;
		if (!s[len])
			return EXIT_OK;
		s += len + 1;
	}
}

static const char *flag_name(uint32_t bit)
{
	for (size_t i = 0; i < NFLAGS; i++)
		if (edit_flags[i].bit == bit)
			return edit_flags[i].name;
	return "?";
}

/* The kernel refuses these with EINVAL; say which word is wrong instead. */
static int check_set_clear(const struct edit_args *a)
{
	uint32_t both = a->set & a->clear;

	if (!(a->set | a->clear))
		return usage_error("edit needs 'set FLAGS' or 'clear FLAGS' (or both) after the address");
	if (both)
		return usage_error("edit: '%s' is both set and cleared",
				   flag_name(both & -both));
	return EXIT_OK;
}

static int parse_edit_args(int argc, char **argv, struct edit_args *a)
{
	struct args w;
	const char *v;
	int ret = args_parse("edit", argc, argv, 2, &w);

	if (ret)
		return ret;
	if (w.npos < 2)
		return usage_error("edit needs a pid and an address");
	ret = args_pid(w.pos[0], &a->t) ?:
	      args_number(w.pos[1], "an address", &a->addr);
	if (!ret && (v = args_value(&w, "set", 0)))
		ret = parse_flags("set", v, &a->set);
	if (!ret && (v = args_value(&w, "clear", 0)))
		ret = parse_flags("clear", v, &a->clear);
	if (!ret && (v = args_value(&w, "expect", 0))) {
		a->expect_given = true;
		if (parse_number(v, &a->expect))
			ret = usage_error("edit expect: '%s' is not a raw entry: give it in hex (0x...) or decimal",
					  v);
	}
	a->dry_run = args_has(&w, "--dry-run");
	a->no_flush = args_has(&w, "--no-flush");
	return ret ?: check_set_clear(a);
}

/* ---- Checks that need the module or /proc ---- */

/* target_parse() leaves start_time 0 for a pid /proc does not know, which
 * the kernel would refuse as EINVAL: say what is really wrong.
 */
static int check_exists(const struct target *t)
{
	if (t->start_time)
		return EXIT_OK;
	return runtime_error(ESRCH, NULL, "pid %d does not exist", (int)t->pid);
}

/* ---- Errors ---- */

/* The module parameter, or -1 when it cannot be read (not root, old module). */
static int allow_edits_level(void)
{
	FILE *f = fopen(ALLOW_EDITS_PATH, "r");
	int level = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%d", &level) != 1)
		level = -1;
	fclose(f);
	return level;
}

/* As the module decides it: --no-flush is an experiment too. */
static int needed_level(const struct edit_args *a)
{
	if (a->no_flush)
		return 2;
	return !a->set && !(a->clear & ~VMX_EDIT_SAFE_CLEAR) ? 1 : 2;
}

/* 1 when /sys/kernel/security/lockdown shows a lockdown in force, 0 when
 * it shows none, -1 when it cannot be read (no securityfs, no LSM).
 */
static int locked_down(void)
{
	FILE *f = fopen("/sys/kernel/security/lockdown", "r");
	char line[128];
	int ret = -1;

	if (!f)
		return -1;
	if (fgets(line, sizeof(line), f))
		ret = !strstr(line, "[none]");
	fclose(f);
	return ret;
}

/* EPERM has two causes: the module parameter and lockdown. Read both. */
static int eperm_error(void)
{
	int level = allow_edits_level(), lockdown = locked_down();

	if (lockdown == 1)
		return runtime_error(EPERM, "cat /sys/kernel/security/lockdown",
				     "edits refused: the kernel is locked down (allow_edits=%d)",
				     level);
	if (level == 0)
		return runtime_error(EPERM,
				     "echo 1 > " ALLOW_EDITS_PATH " (safe set) or 2 (experiments, taints the kernel); --dry-run works meanwhile",
				     "edits are off (allow_edits=0)");
	return runtime_error(EPERM, level < 0 ? "cat " ALLOW_EDITS_PATH : NULL,
			     "edits refused: allow_edits %s, lockdown %s",
			     level < 0 ? "unreadable" : level == 1 ? "1" : "2",
			     lockdown ? "unreadable" : "off");
}

/*
 * Why the kernel refused the page for set write or clear dirty, from what
 * RESOLVE says backs it now: NULL when that is not the reason (or vmxctl
 * cannot tell).
 */
static const char *page_refusal(vmx_t *dev, const struct edit_args *a)
{
	struct vmx_proc proc = target_proc(&a->t);
	struct vmx_resolve r;
	uint32_t page;

	if (vmx_resolve(dev, &proc, a->addr, 0, &r) || r.result != VMX_RESOLVE_MAPPED)
		return NULL;
	page = r.final.page;
	if ((a->set & VMX_EDIT_WRITE) && !(r.vma_flags & VMX_VMA_WRITE))
		return "set write: the VMA is not writable (mapped without PROT_WRITE)";
	if ((a->set & VMX_EDIT_WRITE) && (page & VMX_PAGE_FILE))
		return "set write: a file page (page cache or shmem) would be written without the kernel knowing it is dirty; only exclusive anonymous pages are made writable";
	if ((a->set & VMX_EDIT_WRITE) && (page & VMX_PAGE_KSM))
		return "set write: a KSM page is shared by every process whose identical page was merged into it";
	if ((a->set & VMX_EDIT_WRITE) && (page & VMX_PAGE_ANON) && !(page & VMX_PAGE_EXCLUSIVE))
		return "set write: the anonymous page is shared (copy-on-write after fork); a write would reach the other process too";
	if ((a->set & VMX_EDIT_WRITE) && (page & (VMX_PAGE_ZERO | VMX_PAGE_NO_STRUCT)))
		return "set write: the zero page or a raw PFN is never made writable";
	if ((a->clear & VMX_EDIT_DIRTY) && (page & (VMX_PAGE_ZERO | VMX_PAGE_NO_STRUCT)))
		return "clear dirty: the zero page or a raw PFN is never changed";
	if ((a->clear & VMX_EDIT_DIRTY) && !(page & VMX_PAGE_ANON))
		return "clear dirty: only an anonymous swap-backed page may lose its dirty bit (a file page's data would be lost)";
	return NULL;
}

static int eacces_error(vmx_t *dev, const struct edit_args *a)
{
	int level = allow_edits_level(), need = needed_level(a);
	const char *why;
	char hint[96];

	/* A dry run is not held to the level: its EACCES is the page's. */
	if (!a->dry_run && level >= 0 && level < need)
		return runtime_error(EACCES,
				     "echo 2 > " ALLOW_EDITS_PATH " allows the experiments (and taints the kernel)",
				     "not allowed at allow_edits=%d: only clear accessed, clear write and clear soft-dirty with a TLB flush are; this edit needs allow_edits=%d",
				     level, need);
	snprintf(hint, sizeof(hint), "'vmxctl resolve %d 0x%" PRIx64 "' shows what backs the page",
		 (int)a->t.pid, a->addr);
	why = page_refusal(dev, a);
	if (why)
		return runtime_error(EACCES, hint, "%s", why);
	return runtime_error(EACCES, hint,
			     "not allowed: set write needs a writable VMA and an exclusive anonymous page, clear dirty an anonymous swap-backed one, and a shadow stack's write and dirty bits stay");
}

/* The module returns the entry as it is now with EAGAIN. */
static int eagain_error(const struct edit_args *a, const struct vmx_edit *e)
{
	char hint[160];

	snprintf(hint, sizeof(hint),
		 "add 'expect 0x%" PRIx64 "' if that is still the entry you mean to change",
		 (uint64_t)e->old);
	return runtime_error(EAGAIN, hint,
			     "the entry changed: it is 0x%" PRIx64 ", not the expected 0x%" PRIx64,
			     (uint64_t)e->old, a->expect);
}

/* The kernel checks soft-dirty first, then whether it can flush. */
static int eopnotsupp_error(const struct edit_args *a, const struct vmx_info *in)
{
	bool flushes = !a->dry_run && !a->no_flush;
	bool sd = (a->set | a->clear) & VMX_EDIT_SOFT_DIRTY;

	if ((a->set | a->clear) & (VMX_EDIT_PWT | VMX_EDIT_PCD))
		return runtime_error(EOPNOTSUPP, "see docs/remaps.md, memory types",
				     "memory-type edits (pwt, pcd) are refused: a write-through or uncached user alias of RAM the direct map keeps write-back is unsupported by x86");
	if (sd && (!flushes || (in->features & VMX_FEAT_TLB_FLUSH)))
		return runtime_error(EOPNOTSUPP, NULL,
				     "soft-dirty is not built into this kernel (CONFIG_MEM_SOFT_DIRTY)");
	if (!sd)
		return runtime_error(EOPNOTSUPP, "see docs/remaps.md",
				     "vmx cannot flush TLBs on this kernel/CPU (use --no-flush)");
	return runtime_error(EOPNOTSUPP, "see docs/remaps.md",
			     "soft-dirty is not built into this kernel, or vmx cannot flush TLBs on this kernel/CPU (use --no-flush)");
}

static int edit_error(int err, vmx_t *dev, const struct edit_args *a,
		      const struct vmx_info *in, const struct vmx_edit *e)
{
	char hint[96];

	switch (err) {
	case EPERM:
		return eperm_error();
	case EACCES:
		return eacces_error(dev, a);
	case EAGAIN:
		return eagain_error(a, e);
	case ENOENT:
		snprintf(hint, sizeof(hint), "'vmxctl resolve %d 0x%" PRIx64 "' shows what is there",
			 (int)a->t.pid, a->addr);
		return runtime_error(err, hint,
				     "nothing present at 0x%" PRIx64 " (not mapped, swapped out, PROT_NONE or NUMA hint)",
				     a->addr);
	case EINVAL:
		return runtime_error(err, NULL, "only 4K entries of ordinary mappings are edited: not 2M/1G leaves, hugetlb, windows or device memory (VM_PFNMAP/VM_IO)");
	case EBUSY:
		return runtime_error(err, NULL, "the process has MMU notifiers (KVM, an IOMMU, HMM) that would keep the old entry");
	case EOPNOTSUPP:
		return eopnotsupp_error(a, in);
	default:
		return target_error(err, a->t.pid, "VMX_IOC_EDIT", NULL);
	}
}

/* ---- The request ---- */

static uint64_t edit_request_flags(const struct edit_args *a)
{
	return (a->expect_given ? VMX_EDIT_EXPECT : 0) |
	       (a->dry_run ? VMX_EDIT_DRY_RUN : 0) |
	       (a->no_flush ? VMX_EDIT_NO_FLUSH : 0);
}

/* ---- Output ---- */

/* The kernel edits the 4K page that holds ADDR: the address people see. */
static uint64_t page_of(uint64_t addr)
{
	return addr & ~(uint64_t)(VMXCTL_PAGE_SIZE - 1);
}

/* "+RW", "-A", "+bit58": one bit that differs, by dump's names. */
static void change_name(char *buf, size_t size, int bit, uint64_t new)
{
	const char *name = x86_bit_name(bit, VMX_LEVEL_PTE, 1);
	char sign = new & (1ULL << bit) ? '+' : '-';

	if (name)
		snprintf(buf, size, "%c%s", sign, name);
	else
		snprintf(buf, size, "%cbit%d", sign, bit);
}

/* dump's names, then bitN for the software and protection-key bits: the
 * raw entry does not say what they mean (software bits move between
 * kernels; dump and resolve get them decoded by the module).
 */
static void pte_names(char *out, size_t size, uint64_t raw)
{
	uint64_t frame = x86_frame_mask(VMX_LEVEL_PTE, 1);
	size_t len;

	x86_flag_names(out, size, raw, VMX_LEVEL_PTE, 1);
	for (int b = 0; b < 64; b++) {
		if (!(raw & (1ULL << b)) || (frame & (1ULL << b)) ||
		    x86_bit_name(b, VMX_LEVEL_PTE, 1))
			continue;
		len = strlen(out);
		snprintf(out + len, size - len, "%sbit%d", len ? " " : "", b);
	}
}

static const char *tlb_text(const struct edit_args *a, const struct vmx_edit *e)
{
	if (a->dry_run)
		return "dry run: nothing written";
	/* Before "nothing written": the MMU may have set the bits meanwhile. */
	if (e->flushed)
		return "TLB flushed on every CPU";
	if (e->old == e->new)
		return "nothing written: the entry already was so";
	if (a->no_flush)
		return "TLB not flushed: CPUs may still use the old entry (vmxctl tlb flush)";
	return "TLB flush failed: CPUs may still use the old entry (vmxctl tlb flush)";
}

/* The edit_flags names of @bits: JSON only, the text shows bits instead. */
static void json_flag_names(const char *key, uint32_t bits)
{
	open_json_array(key);
	for (size_t i = 0; i < NFLAGS; i++)
		if (bits & edit_flags[i].bit)
			print_string(PRINT_JSON, NULL, NULL, edit_flags[i].name);
	close_json_array();
}

/* "  old 0x...  P RW US A D" */
static void print_entry(const char *key, const char *fmt, uint64_t raw)
{
	char names[256];

	pte_names(names, sizeof(names), raw);
	print_hex(PRINT_ANY, key, fmt, raw);
	print_text("  %s\n", names);
}

static void edit_print(const struct edit_args *a, const struct vmx_edit *e)
{
	uint64_t diff = e->old ^ e->new;
	char change[16];

	open_doc();
	print_int(PRINT_ANY, "pid", "pid %" PRId64, a->t.pid);
	print_string(PRINT_ANY, "comm", " (%s)", a->t.comm);
	print_uint(PRINT_JSON, "start_time", NULL, a->t.start_time);
	print_hex(PRINT_JSON, "addr", NULL, a->addr);
	print_hex(PRINT_ANY, "page", " 0x%" PRIx64 " PTE\n", page_of(a->addr));
	json_flag_names("set", a->set);
	json_flag_names("clear", a->clear);
	if (a->expect_given)
		print_hex(PRINT_JSON, "expect", NULL, a->expect);
	print_bool(PRINT_JSON, "dry_run", NULL, a->dry_run);
	print_int(PRINT_JSON, "needs_level", NULL, needed_level(a));
	print_entry("old", "  old 0x%016" PRIx64, e->old);
	print_entry("new", "  new 0x%016" PRIx64, e->new);
	print_text("  changed:");
	open_json_array("changed");
	for (int b = 0; b < 64; b++)
		if (diff & (1ULL << b)) {
			change_name(change, sizeof(change), b, e->new);
			print_string(PRINT_ANY, NULL, " %s", change);
		}
	close_json_array();
	print_text("%s\n", diff ? "" : " nothing");
	print_bool(PRINT_JSON, "flushed", NULL, e->flushed);
	print_bool(PRINT_JSON, "tainted", NULL, e->tainted);
	print_text("  %s\n", tlb_text(a, e));
	/* Text only: JSON has needs_level, and need not read sysfs for it. */
	if (!is_json() && a->dry_run && allow_edits_level() >= 0)
		print_text("  needs allow_edits=%d (it is %d)\n", needed_level(a),
			   allow_edits_level());
	else if (a->dry_run)
		print_text("  needs allow_edits=%d\n", needed_level(a));
	if (e->tainted)
		print_text("  kernel tainted (TAINT_USER): allow_edits=2 experiment\n");
	close_doc();
}

/* ---- The command ---- */

int cmd_edit(int argc, char **argv)
{
	struct edit_args a = { .set = 0 };
	struct vmx_info in;
	struct vmx_edit e;
	struct vmx_proc proc;
	vmx_t *dev;
	int ret;

	ret = parse_edit_args(argc, argv, &a);
	if (ret)
		return ret;
	ret = ctl_open_for(&dev, &in, VMX_FEAT_EDIT, "edit");
	if (ret)
		return ret;
	ret = check_user_addr(&in, "edit", a.addr);
	if (!ret)
		ret = check_exists(&a.t);
	if (!ret) {
		proc = target_proc(&a.t);
		ret = vmx_edit(dev, &proc, a.addr, a.set, a.clear, edit_request_flags(&a),
			       a.expect, &e);
		if (ret)
			ret = edit_error(-ret, dev, &a, &in, &e);
	}
	vmx_close(dev);
	if (ret)
		return ret;
	edit_print(&a, &e);
	return EXIT_OK;
}
