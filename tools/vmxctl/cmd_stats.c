// SPDX-License-Identifier: GPL-2.0
/*
 * vmxctl stats PID [stop]
 * What the page tables of a process cost: tables and bytes per level, how
 * full they are, the leaves they hold, against the kernel's VmPTE, and
 * what splitting every huge leaf into 4K pages would add. From one
 * VMX_DUMP_TABLES pass: every table once, as the MMU reads it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "names.h"
#include "ptstats.h"
#include "target.h"
#include "vmxctl.h"

#define PAGE_BYTES	4096ULL

struct stats_args {
	struct target t;
	int stop;
};

/* Everything derived from the counts, shared by text and JSON. */
struct stats_view {
	uint64_t table_pages, table_bytes, resident;
	uint64_t vmx_vmpte_tables;
	uint64_t vmpte;		/* /proc/PID/status, when have_vmpte */
	int have_vmpte;
	int deposit_note;	/* the difference is what 2M leaves explain */
	uint64_t split_pte, split_pmd;	/* extra tables if huge leaves were 4K */
	double share;		/* table_bytes / (resident + table_bytes) */
};

static int parse_stats_args(int argc, char **argv, struct stats_args *a)
{
	struct args w;
	int ret = args_parse("stats", argc, argv, 1, &w);

	if (ret)
		return ret;
	if (!w.npos)
		return usage_error("stats needs a pid");
	a->stop = args_has(&w, "stop");
	return args_pid(w.pos[0], &a->t);
}

static int stats_error(int err, const struct stats_args *a)
{
	if (err == EINVAL)
		return runtime_error(err, "VMX_DUMP_TABLES came with vmx.ko's whole-table dumps: is this module older?",
				     "VMX_IOC_DUMP refused a whole-table dump");
	return target_error(err, a->t.pid, "VMX_IOC_DUMP", NULL);
}

/* @l, or the level below it when paging has no @l: walk root to leaf. */
static unsigned int level_in_use(const struct vmx_info *in, unsigned int l)
{
	/* 4-level paging has no P4D: the root's entries point at PUDs. */
	return l == VMX_LEVEL_P4D && in->levels != 5 ? VMX_LEVEL_PUD : l;
}

static uint64_t level_pages(const struct pt_stats *s, const struct vmx_info *in,
			    unsigned int l)
{
	uint64_t pages = s->lv[l].tables;

	if (l == VMX_LEVEL_PGD && (in->paging & VMX_PAGING_PTI))
		pages *= 2;
	return pages;
}

static double ratio(uint64_t a, uint64_t b)
{
	return b ? (double)a / (double)b : 0.0;
}

static void make_view(const struct stats_args *a, const struct vmx_info *in,
		      const struct pt_stats *s, struct stats_view *v)
{
	memset(v, 0, sizeof(*v));
	v->table_pages = pt_table_pages(s, in);
	v->table_bytes = v->table_pages * PAGE_BYTES;
	v->resident = pt_resident_bytes(s);
	v->vmx_vmpte_tables = pt_vmpte_tables(s);
	v->have_vmpte = !target_status_bytes(&a->t, "VmPTE", &v->vmpte);
	/* vmxctl cannot tell anonymous 2M leaves from the raw tables. */
	v->deposit_note = v->have_vmpte && s->leaves[LEAF_2M] &&
			  v->vmpte != v->vmx_vmpte_tables * PAGE_BYTES;
	/* A 2M leaf needs one full PTE table; a 1G leaf a PMD and 512 PTEs. */
	v->split_pte = s->leaves[LEAF_2M] + VMX_TABLE_ENTRIES * s->leaves[LEAF_1G];
	v->split_pmd = s->leaves[LEAF_1G];
	v->share = ratio(v->table_bytes, v->resident + v->table_bytes);
}

static void print_level(const struct pt_stats *s, const struct vmx_info *in,
			unsigned int l)
{
	const struct pt_level *lv = &s->lv[l];
	uint64_t pages = level_pages(s, in, l);
	char b1[16];

	human_size(b1, sizeof(b1), pages * PAGE_BYTES);
	open_json_object(NULL);
	print_string(PRINT_ANY, "level", "%-5s", level_name(l));
	print_uint(PRINT_ANY, "tables", " %7" PRIu64, lv->tables);
	print_uint(PRINT_JSON, "pages", NULL, pages);
	print_uint(PRINT_JSON, "bytes", NULL, pages * PAGE_BYTES);
	print_text(" %7s %5.1f%%", b1, 100.0 * ratio(lv->populated, lv->slots));
	print_uint(PRINT_ANY, "entries", " %9" PRIu64, lv->populated);
	print_uint(PRINT_JSON, "slots", NULL, lv->slots);
	print_double(PRINT_JSON, "fill", NULL, ratio(lv->populated, lv->slots));
	if (l == VMX_LEVEL_PGD)
		print_text(" of 256%s",	/* the user half */
			   in->paging & VMX_PAGING_PTI ? ", x2 for PTI" : "");
	print_text("\n");
	close_json_object();
}

static void print_vmpte(const struct stats_args *a, const struct stats_view *v)
{
	char b1[16], b2[16];

	human_size(b1, sizeof(b1), v->vmx_vmpte_tables * PAGE_BYTES);
	open_json_object("vmpte");
	print_text("VmPTE     vmx %s (", b1);
	print_uint(PRINT_ANY, "vmx_tables", "%" PRIu64 " PUD+PMD+PTE tables); ",
		   v->vmx_vmpte_tables);
	print_uint(PRINT_JSON, "vmx_bytes", NULL, v->vmx_vmpte_tables * PAGE_BYTES);
	if (v->have_vmpte) {
		human_size(b2, sizeof(b2), v->vmpte);
		print_text("/proc/%d/status %s\n", a->t.pid, b2);
		print_uint(PRINT_JSON, "status_bytes", NULL, v->vmpte);
	} else {
		print_text("/proc/%d/status has none\n", a->t.pid);
		print_null(PRINT_JSON, "status_bytes", NULL);
	}
	print_bool(PRINT_JSON, "deposited_thp_tables", NULL, v->deposit_note);
	if (v->deposit_note)
		print_text("          VmPTE also counts a deposited PTE table per anonymous THP\n");
	close_json_object();
}

static void print_split(const struct stats_view *v)
{
	uint64_t extra = (v->split_pte + v->split_pmd) * PAGE_BYTES;
	char b1[16], b2[16], b3[16];

	open_json_object("if_split");
	print_uint(PRINT_JSON, "extra_pte_tables", NULL, v->split_pte);
	print_uint(PRINT_JSON, "extra_pmd_tables", NULL, v->split_pmd);
	print_uint(PRINT_JSON, "extra_bytes", NULL, extra);
	print_uint(PRINT_JSON, "table_bytes", NULL, v->table_bytes + extra);
	close_json_object();
	if (!v->split_pte) {
		print_text("split     no huge leaves: nothing to split\n");
		return;
	}
	human_size(b1, sizeof(b1), extra);
	human_size(b2, sizeof(b2), v->table_bytes + extra);
	human_size(b3, sizeof(b3), v->table_bytes);
	print_text("split     if every huge leaf were 4K pages: +%" PRIu64 " PTE", v->split_pte);
	if (v->split_pmd)
		print_text(" and +%" PRIu64 " PMD", v->split_pmd);
	print_text(" tables,\n          +%s: page tables %s instead of %s\n", b1, b2, b3);
}

static void stats_print(const struct stats_args *a, const struct vmx_info *in,
			const struct pt_stats *s, const struct stats_view *v)
{
	bool pti = in->paging & VMX_PAGING_PTI;
	char b1[16], b2[16];
	uint64_t total_tables = 0;

	open_doc();
	print_string(PRINT_JSON, "release", NULL, in->release);
	print_uint(PRINT_JSON, "levels", NULL, in->levels);
	print_bool(PRINT_JSON, "pti", NULL, pti);
	print_int(PRINT_ANY, "pid", "# pid %" PRId64, a->t.pid);
	print_string(PRINT_ANY, "comm", " (%s): page tables, ", a->t.comm);
	print_text("%u-level paging, PTI %s\n", in->levels, pti ? "on" : "off");
	print_uint(PRINT_JSON, "start_time", NULL, a->t.start_time);
	print_bool(PRINT_JSON, "stopped", NULL, a->stop);
	if (!a->stop)
		print_text("# not an atomic snapshot: the target kept running (add 'stop' to freeze it)\n");
	print_text("%-5s %7s %7s %6s %9s\n", "LEVEL", "TABLES", "BYTES", "FILL", "ENTRIES");
	open_json_array("tables");
	for (unsigned int l = level_in_use(in, VMX_LEVEL_PGD); l >= VMX_LEVEL_PTE;
	     l = level_in_use(in, l - 1)) {
		total_tables += s->lv[l].tables;
		print_level(s, in, l);
	}
	close_json_array();
	human_size(b1, sizeof(b1), v->table_bytes);
	print_text("%-5s %7" PRIu64 " %7s\n\n", "total", total_tables, b1);
	print_uint(PRINT_JSON, "table_pages", NULL, v->table_pages);
	print_uint(PRINT_JSON, "table_bytes", NULL, v->table_bytes);

	print_text("leaves    ");
	open_json_object("leaves");
	for (int i = 0; i < LEAF_SIZES; i++) {
		const char *size = size_name(leaf_size_shift(i));

		human_size(b1, sizeof(b1), s->leaves[i] << leaf_size_shift(i));
		print_text("%s ", size);
		print_uint(PRINT_ANY, size, "%" PRIu64, s->leaves[i]);
		print_text(" (%s)  ", b1);
	}
	close_json_object();
	print_uint(PRINT_ANY, "nonpresent_entries", "not present %" PRIu64 "\n", s->nonpresent);
	print_uint(PRINT_JSON, "resident_bytes", NULL, v->resident);
	print_double(PRINT_JSON, "table_share", NULL, v->share);
	human_size(b1, sizeof(b1), v->resident);
	human_size(b2, sizeof(b2), v->table_bytes);
	print_text("memory    resident %s + page tables %s: tables are %.3g%% of it\n",
		   b1, b2, 100.0 * v->share);
	print_vmpte(a, v);
	print_split(v);
	print_uint(PRINT_JSON, "unknown_tables", NULL, s->unknown_tables);
	if (s->unknown_tables)
		print_text("# %" PRIu64 " tables of a level vmxctl does not know were left out\n",
			   s->unknown_tables);
	close_doc();
}

int cmd_stats(int argc, char **argv)
{
	struct stats_args a = { 0 };
	struct stats_view v;
	struct pt_stats s;
	struct vmx_info in;
	vmx_t *dev;
	int ret, err;

	ret = parse_stats_args(argc, argv, &a);
	if (ret)
		return ret;
	ret = ctl_open_for(&dev, &in, VMX_FEAT_DUMP_TABLES, "stats (whole-table dumps)");
	if (ret)
		return ret;
	if (a.stop)
		ret = target_stop(&a.t);
	if (!ret) {
		err = pt_stats_read(dev, &a.t, &in, &s);
		/* VmPTE while the target is still stopped, closest to the tables. */
		if (!err)
			make_view(&a, &in, &s, &v);
		if (a.stop)
			target_resume(&a.t);
		ret = err ? stats_error(err, &a) : EXIT_OK;
	}
	vmx_close(dev);
	if (ret)
		return ret;
	stats_print(&a, &in, &s, &v);
	return EXIT_OK;
}
