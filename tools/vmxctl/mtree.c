// SPDX-License-Identifier: GPL-2.0
/*
 * vmxctl vmas PID --tree: the maple tree that holds a process's VMAs (since
 * 6.1 it replaced the red-black tree and the VMA list), node by node, from
 * VMX_IOC_MTREE.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mtree.h"
#include "names.h"

struct mtree {
	struct vmx_mtree d;
	struct vmx_mt_node *n;
	uint32_t *child;	/* [node * VMX_MT_SLOTS + slot]: index of the child */
};

/* <linux/maple_tree.h>'s MT_FLAGS_*, named as the kernel's comments do. */
static const struct {
	uint32_t mask, value;
	const char *name;
} mt_flag_names[] = {
	{ 0x01, 0x01, "alloc-range" },	/* inner nodes track gaps */
	{ 0x02, 0x02, "rcu" },		/* readers may walk under RCU alone */
	{ 0x300, 0x100, "lock-irq" },
	{ 0x300, 0x200, "lock-bh" },
	{ 0x300, 0x300, "lock-extern" },	/* the mmap lock guards it */
};

static const char *mt_type_name(unsigned int type)
{
	switch (type) {
	case VMX_MT_LEAF_64:
		return "leaf_64";
	case VMX_MT_RANGE_64:
		return "range_64";
	case VMX_MT_ARANGE_64:
		return "arange_64";
	}
	return "?";
}

/* The tree, calling again while it has more nodes than the buffer. */
static int mtree_read(vmx_t *dev, const struct target *t, struct mtree *m)
{
	struct vmx_proc proc = target_proc(t);
	int ret = vmx_mtree(dev, &proc, &m->d, &m->n);

	if (ret)
		return -ret;
	m->child = malloc((size_t)(m->d.count ?: 1) * VMX_MT_SLOTS * sizeof(*m->child));
	if (!m->child)
		return ENOMEM;
	for (uint32_t i = 0; i < m->d.count; i++)
		if (m->n[i].parent != VMX_MT_NO_PARENT)
			m->child[m->n[i].parent * VMX_MT_SLOTS + m->n[i].parent_slot] = i;
	return 0;
}

static uint64_t slot_first(const struct vmx_mt_node *n, unsigned int s)
{
	return s ? n->pivot[s - 1] + 1 : n->min;
}

static uint64_t largest_gap(const struct vmx_mt_node *n, unsigned int *slot)
{
	uint64_t g = 0;

	for (unsigned int s = 0; s < n->slots; s++)
		if (n->gap[s] >= g) {
			g = n->gap[s];
			*slot = s;
		}
	return g;
}

/* The slots of node @i: text only with -v, JSON always. */
static void slots_print(const struct mtree *m, uint32_t i)
{
	const struct vmx_mt_node *n = &m->n[i];
	int in = 2 * n->depth, leaf = n->type == VMX_MT_LEAF_64;
	char gap[16];

	open_json_array("slots");
	for (unsigned int s = 0; s < n->slots; s++) {
		int used = !!(n->used & (1U << s));
		int w;

		open_json_object(NULL);
		w = print_text("%*s  [%2u] ", in, "", s);
		w += print_hex(PRINT_ANY, "first", "%" PRIx64, slot_first(n, s));
		w += print_hex(PRINT_ANY, "last", "-%" PRIx64, n->pivot[s]);
		print_string(PRINT_JSON, "holds", NULL, !used ? "gap" : leaf ? "vma" : "node");
		print_text(" %*s%s", w < 50 ? 50 - w : 0, "",
			   !used ? "gap" : leaf ? "VMA" : "");
		if (used && !leaf)
			print_uint(PRINT_ANY, "child", "#%" PRIu64,
				   m->child[i * VMX_MT_SLOTS + s]);
		if (n->type == VMX_MT_ARANGE_64) {
			print_hex(PRINT_JSON, "gap", NULL, n->gap[s]);
			human_size(gap, sizeof(gap), n->gap[s]);
			if (used)
				print_text(", gap %s", gap);
		}
		print_text("\n");
		close_json_object();
	}
	close_json_array();
}

/* One node: its lines of text, an object of "nodes". */
static void node_print(const struct mtree *m, uint32_t i, int verbose)
{
	const struct vmx_mt_node *n = &m->n[i];
	int in = 2 * n->depth;
	unsigned int used = __builtin_popcount(n->used), gs = 0;
	char gap[16];

	open_json_object(NULL);
	print_text("%*s#", in, "");
	print_uint(PRINT_ANY, "index", "%" PRIu64, i);
	if (n->parent == VMX_MT_NO_PARENT)
		print_null(PRINT_JSON, "parent", NULL);
	else
		print_uint(PRINT_JSON, "parent", NULL, n->parent);
	print_uint(PRINT_JSON, "parent_slot", NULL, n->parent_slot);
	print_uint(PRINT_JSON, "depth", NULL, n->depth);
	print_string(PRINT_ANY, "type", " %s", mt_type_name(n->type));
	print_hex(PRINT_ANY, "min", " %" PRIx64, n->min);
	print_hex(PRINT_ANY, "max", "-%" PRIx64 "\n", n->max);
	if (n->type == VMX_MT_ARANGE_64) {
		print_uint(PRINT_JSON, "meta_end", NULL, n->meta_end);
		print_uint(PRINT_JSON, "meta_gap", NULL, n->meta_gap);
	}
	if (n->type == VMX_MT_LEAF_64)
		print_text("%*s  %u of 16 slots: %u VMA%s, %u gap%s\n", in, "", n->slots,
			   used, used == 1 ? "" : "s", n->slots - used,
			   n->slots - used == 1 ? "" : "s");
	else if (n->type == VMX_MT_ARANGE_64) {
		human_size(gap, sizeof(gap), largest_gap(n, &gs));
		print_text("%*s  %u of 10 slots: %u children; largest gap %s below slot %u\n",
			   in, "", n->slots, used, gap, gs);
	} else
		print_text("%*s  %u of 16 slots: %u children\n", in, "", n->slots, used);
	if (verbose || is_json())
		slots_print(m, i);
	close_json_object();
}

static void mtree_print(const struct mtree *m, const struct target *t,
			const struct vmx_info *in, int verbose)
{
	unsigned int leaves = 0;

	for (uint32_t i = 0; i < m->d.count; i++)
		leaves += m->n[i].type == VMX_MT_LEAF_64;
	open_doc();
	print_string(PRINT_JSON, "release", NULL, in->release);
	print_int(PRINT_ANY, "pid", "pid %" PRId64, t->pid);
	print_string(PRINT_ANY, "comm", " (%s): ", t->comm);
	print_uint(PRINT_JSON, "start_time", NULL, t->start_time);
	print_text("maple tree of %" PRIu32 " VMAs, ", m->d.vmas);
	print_uint(PRINT_ANY, "height", "height %" PRIu64, m->d.height);
	print_text(", %" PRIu32 " nodes (%u leaves)\n", m->d.count, leaves);
	print_hex(PRINT_ANY, "ma_flags", "flags 0x%" PRIx64 ":", m->d.ma_flags);
	open_json_array("flags");
	for (size_t f = 0; f < sizeof(mt_flag_names) / sizeof(mt_flag_names[0]); f++)
		if ((m->d.ma_flags & mt_flag_names[f].mask) == mt_flag_names[f].value)
			print_string(PRINT_ANY, NULL, " %s", mt_flag_names[f].name);
	close_json_array();
	print_uint(PRINT_JSON, "vmas", NULL, m->d.vmas);
	print_text("\nA node covers first-last; each slot covers up to its pivot. Leaf\n"
		   "slots hold a VMA or a gap; inner slots a child node%s.\n\n",
		   m->d.ma_flags & 1 ? " and the largest\ngap below it" : "");
	open_json_array("nodes");
	for (uint32_t i = 0; i < m->d.count; i++)
		node_print(m, i, verbose);
	close_json_array();
	close_doc();
}

int mtree_show(vmx_t *dev, const struct target *t, const struct vmx_info *in,
	       int verbose)
{
	struct mtree m = { 0 };
	int err = mtree_read(dev, t, &m);

	if (!err)
		mtree_print(&m, t, in, verbose);
	free(m.n);
	free(m.child);
	return err;
}
