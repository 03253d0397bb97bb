// SPDX-License-Identifier: GPL-2.0
/*
 * vmxctl vmas PID [stop] [raw] [-v] [--tree]
 * The VMAs of a process as the maple tree holds them (VMX_IOC_VMAS), each
 * with what its page tables hold: leaves by size, resident bytes, swap
 * entries and the tables reached through it (one VMX_IOC_DUMP). With
 * --tree, the maple tree's nodes instead (mtree.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "mtree.h"
#include "names.h"
#include "target.h"
#include "vmastat.h"
#include "vmflags.h"
#include "vmxctl.h"

struct vmas_args {
	struct target t;
	int stop;
	int raw;
	int verbose;
	int tree;
};

/* Syntax only: needs no module, so it works (and fails) without one. */
static int parse_vmas_args(int argc, char **argv, struct vmas_args *a)
{
	struct args w;
	int ret = args_parse("vmas", argc, argv, 1, &w);

	if (ret)
		return ret;
	if (!w.npos)
		return usage_error("vmas needs a pid");
	a->stop = args_has(&w, "stop");
	a->raw = args_has(&w, "raw");
	a->verbose = args_has(&w, "verbose");
	a->tree = args_has(&w, "tree");
	if (a->tree && a->raw)
		return usage_error("vmas: 'raw' is about page data, which --tree does not show");
	return args_pid(w.pos[0], &a->t);
}

static int vmas_error(int err, const struct vmas_args *a, const char *what)
{
	switch (err) {
	case ENOMEM:
		return runtime_error(err, NULL, "%s: out of memory", what);
	case EPROTO:
		return runtime_error(err, "docs/vmxctl.md, vmas --tree",
				     "%s: this kernel's maple tree nodes are not laid out as vmx knows them",
				     what);
	case EAGAIN:
		return runtime_error(err, "add 'stop'",
				     "%s: the tree kept growing while it was read", what);
	case EINVAL:
	case E2BIG:
		return runtime_error(err, "vmxctl version shows both ABIs",
				     "%s: vmx.ko refused the request (built for another ABI?)",
				     what);
	default:
		return target_error(err, a->t.pid, what, NULL);
	}
}

/* 12 hex digits for 4-level user addresses, more when an end needs them. */
static int addr_width(const struct vma_stat *v, size_t n)
{
	int w = 12;

	for (size_t i = 0; i < n; i++)
		while (w < 16 && (v[i].v.end - 1) >> (4 * w))
			w++;
	return w;
}

static const char *vma_name(const struct vmx_vma *v)
{
	return v->name[0] ? v->name : "[anon]";
}

/* Words after @indent spaces, wrapped at 80 columns. */
struct wrap {
	int indent, col;
};

static void wrap_text(const char *word, struct wrap *w)
{
	int len = (int)strlen(word);

	if (w->col > w->indent && w->col + 1 + len > 80) {
		print_text("\n%*s", w->indent + 2, "");
		w->col = w->indent + 2;
	}
	w->col += print_text("%s%s", w->col > w->indent ? " " : "", word);
}

/* A name of a list: a JSON array element, a wrapped word of text. */
static void print_word(const char *word, void *arg)
{
	print_string(PRINT_JSON, NULL, NULL, word);
	wrap_text(word, arg);
}

/* The text's -v lines under a VMA's row; JSON has them always. */
static void vma_details(const struct vma_stat *s, unsigned int levels)
{
	const struct vmx_vma *v = &s->v;
	struct wrap w = { 4, 0 };
	char a[16], b[16], c[16], dev[24];

	snprintf(dev, sizeof(dev), "%02x:%02x", v->dev_major, v->dev_minor);
	print_hex(PRINT_JSON, "vm_flags", NULL, v->vm_flags);
	w.col = print_text("    flags");
	open_json_array("flags");
	vm_flag_names(v->flags, print_word, &w);
	close_json_array();
	print_uint(PRINT_JSON, "pkey", NULL, v->pkey);
	if (v->pkey) {
		snprintf(a, sizeof(a), "pkey %u", v->pkey);
		wrap_text(a, &w);
	}
	print_uint(PRINT_JSON, "pgoff", NULL, v->pgoff);
	/* As /proc/pid/maps: the file offset in bytes, 0 for anonymous memory. */
	print_hex(PRINT_JSON, "offset", NULL, v->attrs & VMX_VMA_FILE ? v->pgoff << 12 : 0);
	if (v->attrs & VMX_VMA_FILE)
		w.col = print_text("\n    pgoff 0x%" PRIx64 " (offset 0x%" PRIx64 ")",
				   (uint64_t)v->pgoff, (uint64_t)v->pgoff << 12) - 1;
	else
		w.col = print_text("\n    pgoff 0x%" PRIx64, (uint64_t)v->pgoff) - 1;
	w.col += print_string(PRINT_ANY, "dev", " dev %s", dev);
	print_uint(PRINT_JSON, "dev_major", NULL, v->dev_major);
	print_uint(PRINT_JSON, "dev_minor", NULL, v->dev_minor);
	w.col += print_uint(PRINT_ANY, "inode", " inode %" PRIu64, v->inode);
	print_string(PRINT_JSON, "name", NULL, v->name);
	w.col += print_text(" attrs");
	open_json_array("attrs");
	/* Below bit 16: vmx's own findings, a newer module's too. */
	vma_attr_names(v->flags & 0xffff, print_word, &w);
	close_json_array();
	if (!(v->flags & 0xffff))
		print_text(" none");
	open_json_object("leaves");
	print_uint(PRINT_ANY, "4K", "\n    leaves 4K %" PRIu64, s->leaves[LEAF_4K]);
	print_uint(PRINT_ANY, "2M", ", 2M %" PRIu64, s->leaves[LEAF_2M]);
	print_uint(PRINT_ANY, "1G", ", 1G %" PRIu64, s->leaves[LEAF_1G]);
	close_json_object();
	print_uint(PRINT_JSON, "resident_bytes", NULL, s->resident);
	print_uint(PRINT_ANY, "swap_entries", "; swap %" PRIu64, s->swap_entries);
	print_uint(PRINT_JSON, "swap_bytes", NULL, s->swap_bytes);
	print_uint(PRINT_ANY, "other_entries", ", other not present %" PRIu64,
		   s->other_entries);
	print_uint(PRINT_JSON, "no_page_bytes", NULL, s->no_page_bytes);
	print_uint(PRINT_JSON, "protnone_huge_bytes", NULL, s->protnone_huge_bytes);
	print_uint(PRINT_JSON, "pfn_entry_bytes", NULL, s->pfn_entry_bytes);
	print_uint(PRINT_JSON, "rss_bytes", NULL, vma_rss(s));
	print_uint(PRINT_JSON, "hugetlb_bytes", NULL, vma_hugetlb_bytes(s));
	print_text("\n    tables");
	open_json_object("tables");
	for (unsigned int l = levels == 5 ? VMX_LEVEL_P4D : VMX_LEVEL_PUD; l >= VMX_LEVEL_PTE; l--) {
		print_text(" %s ", level_name(l));
		print_uint(PRINT_ANY, level_name(l), "%" PRIu64, s->tables[l]);
		print_text("%s", l > VMX_LEVEL_PTE ? "," : "");
	}
	close_json_object();
	print_text("\n");
	/* Only when smaps would say something else than the RSS column. */
	if (vma_is_hugetlb(s)) {
		human_size(a, sizeof(a), vma_hugetlb_bytes(s));
		print_text("    smaps: Rss 0, Shared+Private_Hugetlb %s (hugetlb pages)\n", a);
	} else if (vma_rss(s) != s->resident) {
		human_size(a, sizeof(a), vma_rss(s));
		human_size(b, sizeof(b), s->no_page_bytes);
		human_size(c, sizeof(c), s->pfn_entry_bytes);
		print_text("    smaps: Rss %s (no normal page %s; migration, device entries %s)\n",
			   a, b, c);
	}
}

/* One VMA: a row of text (and its -v lines), an object of "vmas". */
static void vma_print(const struct vma_stat *s, int w, int verbose,
		      unsigned int levels)
{
	const struct vmx_vma *p = &s->v;
	char perms[5], size[16], rss[16];

	vm_perms(perms, p->flags);
	human_size(size, sizeof(size), p->end - p->start);
	human_size(rss, sizeof(rss), s->resident);
	open_json_object(NULL);
	print_hex(PRINT_JSON, "start", NULL, p->start);
	print_hex(PRINT_JSON, "end", NULL, p->end);
	print_hex(PRINT_JSON, "size", NULL, p->end - p->start);
	print_text("%0*" PRIx64 "-%0*" PRIx64 " %6s", w, (uint64_t)p->start, w,
		   (uint64_t)p->end, size);
	print_string(PRINT_ANY, "perms", " %-4s", perms);
	print_text(" %6s %s%s\n", rss, vma_name(p),
		   p->attrs & VMX_VMA_NAME_TRUNCATED ? "..." : "");
	if (verbose || is_json())
		vma_details(s, levels);
	close_json_object();
}

static void vmas_print(const struct vmas_args *a, const struct vmx_info *in,
		       const struct vma_stat *v, size_t n, uint64_t stray)
{
	int w = addr_width(v, n);
	uint64_t total = 0;
	char rss[16];

	for (size_t i = 0; i < n; i++)
		total += v[i].resident;
	human_size(rss, sizeof(rss), total);
	open_doc();
	print_string(PRINT_JSON, "release", NULL, in->release);
	print_uint(PRINT_JSON, "levels", NULL, in->levels);
	print_bool(PRINT_JSON, "pti", NULL, in->paging & VMX_PAGING_PTI);
	print_int(PRINT_ANY, "pid", "# pid %" PRId64, a->t.pid);
	print_string(PRINT_ANY, "comm", " (%s): ", a->t.comm);
	print_text("%zu VMAs, %s resident, %u-level paging\n", n, rss, in->levels);
	print_uint(PRINT_JSON, "start_time", NULL, a->t.start_time);
	print_bool(PRINT_JSON, "stopped", NULL, a->stop);
	print_bool(PRINT_JSON, "page_data", NULL, !a->raw);
	if (!a->stop)
		print_text("# not an atomic snapshot: the target kept running (add 'stop' to freeze it)\n");
	print_text("%-*s %6s %-4s %6s %s\n", 2 * w + 1, "START-END", "SIZE", "PERM",
		   "RSS", "NAME");
	open_json_array("vmas");
	for (size_t i = 0; i < n; i++)
		vma_print(&v[i], w, a->verbose, in->levels);
	close_json_array();
	print_uint(PRINT_JSON, "stray_entries", NULL, stray);
	if (stray)
		print_text("# %" PRIu64 " entries lay in VMAs that changed after they were listed\n",
			   stray);
	close_doc();
}

static int run_vmas(vmx_t *dev, const struct vmas_args *a, const struct vmx_info *in)
{
	struct vma_stat *v = NULL;
	uint64_t stray = 0;
	size_t n = 0;
	int err;

	err = vmas_read(dev, &a->t, &v, &n);
	if (err)
		return vmas_error(err, a, "VMX_IOC_VMAS");
	err = vmas_account(dev, &a->t, in, a->raw ? VMX_DUMP_NO_PAGE : 0, v, n, &stray);
	if (err) {
		free(v);
		return vmas_error(err, a, "VMX_IOC_DUMP");
	}
	vmas_print(a, in, v, n, stray);
	free(v);
	return EXIT_OK;
}

int cmd_vmas(int argc, char **argv)
{
	struct vmas_args a = { 0 };
	struct vmx_info in;
	vmx_t *dev;
	int ret;

	ret = parse_vmas_args(argc, argv, &a);
	if (ret)
		return ret;
	ret = ctl_open_for(&dev, &in, a.tree ? VMX_FEAT_MTREE : VMX_FEAT_VMAS,
			   a.tree ? "vmas --tree" : "vmas");
	if (ret)
		return ret;
	if (!a.tree)
		ret = ctl_require(&in, VMX_FEAT_DUMP, "vmas (its page-table counts)");
	if (!ret && a.stop)
		ret = target_stop(&a.t);
	if (!ret) {
		if (a.tree) {
			ret = mtree_show(dev, &a.t, &in, a.verbose);
			if (ret)
				ret = vmas_error(ret, &a, "VMX_IOC_MTREE");
		} else {
			ret = run_vmas(dev, &a, &in);
		}
		if (a.stop)
			target_resume(&a.t);
	}
	vmx_close(dev);
	return ret;
}
