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
	const char *pid = NULL;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "stop"))
			a->stop = 1;
		else if (!strcmp(argv[i], "raw"))
			a->raw = 1;
		else if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "verbose"))
			a->verbose = 1;
		else if (!strcmp(argv[i], "--tree") || !strcmp(argv[i], "tree"))
			a->tree = 1;
		else if (argv[i][0] == '-')
			return usage_error("vmas: unknown option '%s'", argv[i]);
		else if (!pid)
			pid = argv[i];
		else
			return usage_error("vmas: unexpected argument '%s'", argv[i]);
	}
	if (!pid)
		return usage_error("vmas needs a pid");
	if (a->tree && a->raw)
		return usage_error("vmas: 'raw' is about page data, which --tree does not show");
	if (target_parse(pid, &a->t))
		return usage_error("'%s' is not a pid", pid);
	return EXIT_OK;
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

static void wrap_word(const char *word, void *arg)
{
	struct wrap *w = arg;
	int len = (int)strlen(word);

	if (w->col > w->indent && w->col + 1 + len > 80) {
		printf("\n%*s", w->indent + 2, "");
		w->col = w->indent + 2;
	}
	w->col += printf("%s%s", w->col > w->indent ? " " : "", word);
}

static void vma_verbose(const struct vma_stat *s, unsigned int levels)
{
	const struct vmx_vma *v = &s->v;
	struct wrap w = { 4, 0 };
	char a[16], b[16], c[16];

	w.col = printf("    flags");
	vm_flag_names(v->vm_flags, wrap_word, &w);
	if (vm_pkey(v->vm_flags)) {
		snprintf(a, sizeof(a), "pkey %u", vm_pkey(v->vm_flags));
		wrap_word(a, &w);
	}
	if (v->attrs & VMX_VMA_FILE)
		w.col = printf("\n    pgoff 0x%" PRIx64 " (offset 0x%" PRIx64 ")", (uint64_t)v->pgoff,
			       (uint64_t)v->pgoff << 12) - 1;
	else
		w.col = printf("\n    pgoff 0x%" PRIx64, (uint64_t)v->pgoff) - 1;
	w.col += printf(" dev %02x:%02x inode %" PRIu64 " attrs", v->dev_major,
			v->dev_minor, (uint64_t)v->inode);
	vma_attr_names(v->attrs, wrap_word, &w);
	if (!v->attrs)
		printf(" none");
	printf("\n    leaves 4K %" PRIu64 ", 2M %" PRIu64 ", 1G %" PRIu64 "; swap %" PRIu64
	       ", other not present %" PRIu64 "\n    tables", s->leaves[LEAF_4K],
	       s->leaves[LEAF_2M], s->leaves[LEAF_1G], s->swap_entries, s->other_entries);
	for (unsigned int l = levels == 5 ? VMX_LEVEL_P4D : VMX_LEVEL_PUD; l >= VMX_LEVEL_PTE; l--)
		printf(" %s %" PRIu64 "%s", level_name(l), s->tables[l],
		       l > VMX_LEVEL_PTE ? "," : "");
	printf("\n");
	/* Only when smaps would say something else than the RSS column. */
	if (vma_is_hugetlb(s)) {
		human_size(a, sizeof(a), vma_hugetlb_bytes(s));
		printf("    smaps: Rss 0, Shared+Private_Hugetlb %s (hugetlb pages)\n", a);
	} else if (vma_rss(s) != s->resident) {
		human_size(a, sizeof(a), vma_rss(s));
		human_size(b, sizeof(b), s->no_page_bytes);
		human_size(c, sizeof(c), s->pfn_entry_bytes);
		printf("    smaps: Rss %s (no normal page %s; migration, device entries %s)\n",
		       a, b, c);
	}
}

static void vmas_text(const struct vmas_args *a, const struct vmx_info *in,
		      const struct vma_stat *v, size_t n, uint64_t stray)
{
	int w = addr_width(v, n);
	uint64_t total = 0;
	char size[16], rss[16];

	for (size_t i = 0; i < n; i++)
		total += v[i].resident;
	human_size(rss, sizeof(rss), total);
	printf("# pid %d (%s): %zu VMAs, %s resident, %u-level paging\n", a->t.pid,
	       a->t.comm, n, rss, in->levels);
	if (!a->stop)
		printf("# not an atomic snapshot: the target kept running (add 'stop' to freeze it)\n");
	printf("%-*s %6s %-4s %6s %s\n", 2 * w + 1, "START-END", "SIZE", "PERM",
	       "RSS", "NAME");
	for (size_t i = 0; i < n; i++) {
		const struct vmx_vma *p = &v[i].v;
		char perms[5];

		vm_perms(perms, p->vm_flags);
		human_size(size, sizeof(size), p->end - p->start);
		human_size(rss, sizeof(rss), v[i].resident);
		printf("%0*" PRIx64 "-%0*" PRIx64 " %6s %-4s %6s %s%s\n", w,
		       (uint64_t)p->start, w, (uint64_t)p->end, size, perms, rss,
		       vma_name(p), p->attrs & VMX_VMA_NAME_TRUNCATED ? "..." : "");
		if (a->verbose)
			vma_verbose(&v[i], in->levels);
	}
	if (stray)
		printf("# %" PRIu64 " entries lay in VMAs that changed after they were listed\n",
		       stray);
}

static void json_name(const char *name, void *arg)
{
	(void)arg;
	json_string(&ctl.j, name);
}

static void vma_json(const struct vma_stat *s, unsigned int levels)
{
	const struct vmx_vma *v = &s->v;
	struct json *j = &ctl.j;
	char perms[5], dev[24];

	vm_perms(perms, v->vm_flags);
	snprintf(dev, sizeof(dev), "%02x:%02x", v->dev_major, v->dev_minor);
	json_open_object(j);
	json_kv_hex(j, "start", v->start);
	json_kv_hex(j, "end", v->end);
	json_kv_hex(j, "size", v->end - v->start);
	json_kv_string(j, "perms", perms);
	json_kv_hex(j, "vm_flags", v->vm_flags);
	json_key(j, "flags");
	json_open_array(j);
	vm_flag_names(v->vm_flags, json_name, NULL);
	json_close_array(j);
	json_kv_uint(j, "pkey", vm_pkey(v->vm_flags));
	json_kv_uint(j, "pgoff", v->pgoff);
	/* As /proc/pid/maps: the file offset in bytes, 0 for anonymous memory. */
	json_kv_hex(j, "offset", v->attrs & VMX_VMA_FILE ? v->pgoff << 12 : 0);
	json_kv_string(j, "dev", dev);
	json_kv_uint(j, "dev_major", v->dev_major);
	json_kv_uint(j, "dev_minor", v->dev_minor);
	json_kv_uint(j, "inode", v->inode);
	json_kv_string(j, "name", v->name);
	json_key(j, "attrs");
	json_open_array(j);
	vma_attr_names(v->attrs, json_name, NULL);
	json_close_array(j);
	json_key(j, "leaves");
	json_open_object(j);
	json_kv_uint(j, "4K", s->leaves[LEAF_4K]);
	json_kv_uint(j, "2M", s->leaves[LEAF_2M]);
	json_kv_uint(j, "1G", s->leaves[LEAF_1G]);
	json_close_object(j);
	json_kv_uint(j, "resident_bytes", s->resident);
	json_kv_uint(j, "swap_entries", s->swap_entries);
	json_kv_uint(j, "swap_bytes", s->swap_bytes);
	json_kv_uint(j, "other_entries", s->other_entries);
	json_kv_uint(j, "no_page_bytes", s->no_page_bytes);
	json_kv_uint(j, "protnone_huge_bytes", s->protnone_huge_bytes);
	json_kv_uint(j, "pfn_entry_bytes", s->pfn_entry_bytes);
	json_kv_uint(j, "rss_bytes", vma_rss(s));
	json_kv_uint(j, "hugetlb_bytes", vma_hugetlb_bytes(s));
	json_key(j, "tables");
	json_open_object(j);
	for (unsigned int l = levels == 5 ? VMX_LEVEL_P4D : VMX_LEVEL_PUD; l >= VMX_LEVEL_PTE; l--)
		json_kv_uint(j, level_name(l), s->tables[l]);
	json_close_object(j);
	json_close_object(j);
}

static void vmas_json(const struct vmas_args *a, const struct vmx_info *in,
		      const struct vma_stat *v, size_t n, uint64_t stray)
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
	json_kv_bool(j, "page_data", !a->raw);
	json_key(j, "vmas");
	json_open_array(j);
	for (size_t i = 0; i < n; i++)
		vma_json(&v[i], in->levels);
	json_close_array(j);
	json_kv_uint(j, "stray_entries", stray);
	close_doc();
}

static int run_vmas(int fd, const struct vmas_args *a, const struct vmx_info *in)
{
	struct vma_stat *v = NULL;
	uint64_t stray = 0;
	size_t n = 0;
	int err;

	err = vmas_read(fd, &a->t, in->user_va_end, &v, &n);
	if (err)
		return vmas_error(err, a, "VMX_IOC_VMAS");
	err = vmas_account(fd, &a->t, in, a->raw ? VMX_DUMP_NO_PAGE : 0, v, n, &stray);
	if (err) {
		free(v);
		return vmas_error(err, a, "VMX_IOC_DUMP");
	}
	if (ctl.json)
		vmas_json(a, in, v, n, stray);
	else
		vmas_text(a, in, v, n, stray);
	free(v);
	return EXIT_OK;
}

int cmd_vmas(int argc, char **argv)
{
	struct vmas_args a = { 0 };
	struct vmx_info in;
	int fd, ret;

	ret = parse_vmas_args(argc, argv, &a);
	if (ret)
		return ret;
	ret = vmx_open_for(&fd, &in, a.tree ? VMX_FEAT_MTREE : VMX_FEAT_VMAS,
			   a.tree ? "vmas --tree" : "vmas");
	if (ret)
		return ret;
	if (!a.tree)
		ret = vmx_require(&in, VMX_FEAT_DUMP, "vmas (its page-table counts)");
	if (!ret && a.stop)
		ret = target_stop(&a.t);
	if (!ret) {
		if (a.tree) {
			ret = mtree_show(fd, &a.t, &in, a.verbose);
			if (ret)
				ret = vmas_error(ret, &a, "VMX_IOC_MTREE");
		} else {
			ret = run_vmas(fd, &a, &in);
		}
		if (a.stop)
			target_resume(&a.t);
	}
	close(fd);
	return ret;
}
