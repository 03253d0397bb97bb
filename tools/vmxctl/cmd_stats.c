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
	const char *pid = NULL;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "stop"))
			a->stop = 1;
		else if (argv[i][0] == '-')
			return usage_error("stats: unknown option '%s'", argv[i]);
		else if (!pid)
			pid = argv[i];
		else
			return usage_error("stats: unexpected argument '%s'", argv[i]);
	}
	if (!pid)
		return usage_error("stats needs a pid");
	if (target_parse(pid, &a->t))
		return usage_error("'%s' is not a pid", pid);
	return EXIT_OK;
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

static void stats_text(const struct stats_args *a, const struct vmx_info *in,
		       const struct pt_stats *s, const struct stats_view *v)
{
	char b1[16], b2[16], b3[16];
	uint64_t total_tables = 0;

	printf("# pid %d (%s): page tables, %u-level paging, PTI %s\n", a->t.pid,
	       a->t.comm, in->levels, in->paging & VMX_PAGING_PTI ? "on" : "off");
	if (!a->stop)
		printf("# not an atomic snapshot: the target kept running (add 'stop' to freeze it)\n");
	printf("%-5s %7s %7s %6s %9s\n", "LEVEL", "TABLES", "BYTES", "FILL", "ENTRIES");
	for (unsigned int l = level_in_use(in, VMX_LEVEL_PGD); l >= VMX_LEVEL_PTE;
	     l = level_in_use(in, l - 1)) {
		const struct pt_level *lv = &s->lv[l];

		total_tables += lv->tables;
		human_size(b1, sizeof(b1), level_pages(s, in, l) * PAGE_BYTES);
		printf("%-5s %7" PRIu64 " %7s %5.1f%% %9" PRIu64, level_name(l),
		       lv->tables, b1, 100.0 * ratio(lv->populated, lv->slots),
		       lv->populated);
		if (l == VMX_LEVEL_PGD)
			printf(" of 256%s",	/* the user half */
			       in->paging & VMX_PAGING_PTI ? ", x2 for PTI" : "");
		printf("\n");
	}
	human_size(b1, sizeof(b1), v->table_bytes);
	printf("%-5s %7" PRIu64 " %7s\n\n", "total", total_tables, b1);

	printf("leaves    ");
	for (int i = 0; i < LEAF_SIZES; i++) {
		human_size(b1, sizeof(b1), s->leaves[i] << leaf_size_shift(i));
		printf("%s %" PRIu64 " (%s)  ", size_name(leaf_size_shift(i)), s->leaves[i], b1);
	}
	printf("not present %" PRIu64 "\n", s->nonpresent);
	human_size(b1, sizeof(b1), v->resident);
	human_size(b2, sizeof(b2), v->table_bytes);
	printf("memory    resident %s + page tables %s: tables are %.3g%% of it\n",
	       b1, b2, 100.0 * v->share);

	human_size(b1, sizeof(b1), v->vmx_vmpte_tables * PAGE_BYTES);
	printf("VmPTE     vmx %s (%" PRIu64 " PUD+PMD+PTE tables); ", b1, v->vmx_vmpte_tables);
	if (v->have_vmpte) {
		human_size(b2, sizeof(b2), v->vmpte);
		printf("/proc/%d/status %s\n", a->t.pid, b2);
	} else {
		printf("/proc/%d/status has none\n", a->t.pid);
	}
	if (v->deposit_note)
		printf("          VmPTE also counts a deposited PTE table per anonymous THP\n");

	if (!v->split_pte) {
		printf("split     no huge leaves: nothing to split\n");
	} else {
		human_size(b1, sizeof(b1), (v->split_pte + v->split_pmd) * PAGE_BYTES);
		human_size(b2, sizeof(b2), v->table_bytes +
			   (v->split_pte + v->split_pmd) * PAGE_BYTES);
		human_size(b3, sizeof(b3), v->table_bytes);
		printf("split     if every huge leaf were 4K pages: +%" PRIu64 " PTE",
		       v->split_pte);
		if (v->split_pmd)
			printf(" and +%" PRIu64 " PMD", v->split_pmd);
		printf(" tables,\n          +%s: page tables %s instead of %s\n", b1, b2, b3);
	}
	if (s->unknown_tables)
		printf("# %" PRIu64 " tables of a level vmxctl does not know were left out\n",
		       s->unknown_tables);
}

static void stats_json(const struct stats_args *a, const struct vmx_info *in,
		       const struct pt_stats *s, const struct stats_view *v)
{
	struct json *j = &ctl.j;

	open_doc();
	json_kv_string(j, "release", in->release);
	json_kv_uint(j, "levels", in->levels);
	json_kv_bool(j, "pti", in->paging & VMX_PAGING_PTI);
	json_kv_int(j, "pid", a->t.pid);
	json_kv_string(j, "comm", a->t.comm);
	json_kv_uint(j, "start_time", a->t.start_time);
	json_kv_bool(j, "stopped", a->stop);
	json_key(j, "tables");
	json_open_array(j);
	for (unsigned int l = level_in_use(in, VMX_LEVEL_PGD); l >= VMX_LEVEL_PTE;
	     l = level_in_use(in, l - 1)) {
		json_open_object(j);
		json_kv_string(j, "level", level_name(l));
		json_kv_uint(j, "tables", s->lv[l].tables);
		json_kv_uint(j, "pages", level_pages(s, in, l));
		json_kv_uint(j, "bytes", level_pages(s, in, l) * PAGE_BYTES);
		json_kv_uint(j, "entries", s->lv[l].populated);
		json_kv_uint(j, "slots", s->lv[l].slots);
		json_kv_double(j, "fill", ratio(s->lv[l].populated, s->lv[l].slots));
		json_close_object(j);
	}
	json_close_array(j);
	json_kv_uint(j, "table_pages", v->table_pages);
	json_kv_uint(j, "table_bytes", v->table_bytes);
	json_key(j, "leaves");
	json_open_object(j);
	for (int i = 0; i < LEAF_SIZES; i++)
		json_kv_uint(j, size_name(leaf_size_shift(i)), s->leaves[i]);
	json_close_object(j);
	json_kv_uint(j, "nonpresent_entries", s->nonpresent);
	json_kv_uint(j, "resident_bytes", v->resident);
	json_kv_double(j, "table_share", v->share);
	json_key(j, "vmpte");
	json_open_object(j);
	json_kv_uint(j, "vmx_tables", v->vmx_vmpte_tables);
	json_kv_uint(j, "vmx_bytes", v->vmx_vmpte_tables * PAGE_BYTES);
	json_key(j, "status_bytes");
	if (v->have_vmpte)
		json_uint(j, v->vmpte);
	else
		json_null(j);
	json_kv_bool(j, "deposited_thp_tables", v->deposit_note);
	json_close_object(j);
	json_key(j, "if_split");
	json_open_object(j);
	json_kv_uint(j, "extra_pte_tables", v->split_pte);
	json_kv_uint(j, "extra_pmd_tables", v->split_pmd);
	json_kv_uint(j, "extra_bytes", (v->split_pte + v->split_pmd) * PAGE_BYTES);
	json_kv_uint(j, "table_bytes", v->table_bytes + (v->split_pte + v->split_pmd) * PAGE_BYTES);
	json_close_object(j);
	json_kv_uint(j, "unknown_tables", s->unknown_tables);
	close_doc();
}

int cmd_stats(int argc, char **argv)
{
	struct stats_args a = { 0 };
	struct stats_view v;
	struct pt_stats s;
	struct vmx_info in;
	int fd, ret, err;

	ret = parse_stats_args(argc, argv, &a);
	if (ret)
		return ret;
	ret = vmx_open_for(&fd, &in, VMX_FEAT_DUMP, "stats");
	if (ret)
		return ret;
	if (a.stop)
		ret = target_stop(&a.t);
	if (!ret) {
		err = pt_stats_read(fd, &a.t, &in, &s);
		/* VmPTE while the target is still stopped, closest to the tables. */
		if (!err)
			make_view(&a, &in, &s, &v);
		if (a.stop)
			target_resume(&a.t);
		ret = err ? stats_error(err, &a) : EXIT_OK;
	}
	close(fd);
	if (ret)
		return ret;
	if (ctl.json)
		stats_json(&a, &in, &s, &v);
	else
		stats_text(&a, &in, &s, &v);
	return EXIT_OK;
}
