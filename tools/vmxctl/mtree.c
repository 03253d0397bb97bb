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
#include <sys/ioctl.h>

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
static int mtree_read(int fd, const struct target *t, struct mtree *m)
{
	uint32_t max = 256;

	for (int tries = 0; tries < 8; tries++) {
		struct vmx_mt_node *n = realloc(m->n, max * sizeof(*n));

		if (!n)
			return ENOMEM;
		m->n = n;
		memset(&m->d, 0, sizeof(m->d));
		m->d.size = sizeof(m->d);
		m->d.pid = t->pid;
		m->d.start_time = t->start_time;
		m->d.entry_size = sizeof(*n);
		m->d.nodes = (uintptr_t)n;
		m->d.max_nodes = max;
		if (ioctl(fd, VMX_IOC_MTREE, &m->d))
			return errno;
		if (m->d.count == m->d.total)
			break;
		max = m->d.total + m->d.total / 4 + 16;
		if (max > VMX_MT_MAX_NODES)
			return E2BIG;
	}
	if (m->d.count != m->d.total)
		return EAGAIN;	/* it kept growing */
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

static void node_text(const struct mtree *m, uint32_t i, int verbose)
{
	const struct vmx_mt_node *n = &m->n[i];
	int in = 2 * n->depth;
	unsigned int used = __builtin_popcount(n->used), gs = 0;
	char gap[16];

	printf("%*s#%" PRIu32 " %s %" PRIx64 "-%" PRIx64 "\n", in, "", i,
	       mt_type_name(n->type), (uint64_t)n->min, (uint64_t)n->max);
	if (n->type == VMX_MT_LEAF_64)
		printf("%*s  %u of 16 slots: %u VMA%s, %u gap%s\n", in, "", n->slots,
		       used, used == 1 ? "" : "s", n->slots - used,
		       n->slots - used == 1 ? "" : "s");
	else if (n->type == VMX_MT_ARANGE_64) {
		human_size(gap, sizeof(gap), largest_gap(n, &gs));
		printf("%*s  %u of 10 slots: %u children; largest gap %s below slot %u\n",
		       in, "", n->slots, used, gap, gs);
	} else
		printf("%*s  %u of 16 slots: %u children\n", in, "", n->slots, used);
	if (!verbose)
		return;
	for (unsigned int s = 0; s < n->slots; s++) {
		int w = printf("%*s  [%2u] %" PRIx64 "-%" PRIx64, in, "", s,
			       slot_first(n, s), (uint64_t)n->pivot[s]);

		if (!(n->used & (1U << s)))
			printf(" %*sgap\n", w < 50 ? 50 - w : 0, "");
		else if (n->type == VMX_MT_LEAF_64)
			printf(" %*sVMA\n", w < 50 ? 50 - w : 0, "");
		else if (n->type == VMX_MT_ARANGE_64) {
			human_size(gap, sizeof(gap), n->gap[s]);
			printf(" %*s#%" PRIu32 ", gap %s\n", w < 50 ? 50 - w : 0, "",
			       m->child[i * VMX_MT_SLOTS + s], gap);
		} else
			printf(" %*s#%" PRIu32 "\n", w < 50 ? 50 - w : 0, "",
			       m->child[i * VMX_MT_SLOTS + s]);
	}
}

static void mtree_text(const struct mtree *m, const struct target *t, int verbose)
{
	unsigned int leaves = 0;

	for (uint32_t i = 0; i < m->d.count; i++)
		leaves += m->n[i].type == VMX_MT_LEAF_64;
	printf("pid %d (%s): maple tree of %" PRIu32 " VMAs, height %" PRIu32
	       ", %" PRIu32 " nodes (%u leaves)\nflags 0x%" PRIx32 ":", t->pid, t->comm,
	       m->d.vmas, m->d.height, m->d.count, leaves, m->d.ma_flags);
	for (size_t f = 0; f < sizeof(mt_flag_names) / sizeof(mt_flag_names[0]); f++)
		if ((m->d.ma_flags & mt_flag_names[f].mask) == mt_flag_names[f].value)
			printf(" %s", mt_flag_names[f].name);
	printf("\nA node covers first-last; each slot covers up to its pivot. Leaf\n"
	       "slots hold a VMA or a gap; inner slots a child node%s.\n\n",
	       m->d.ma_flags & 1 ? " and the largest\ngap below it" : "");
	for (uint32_t i = 0; i < m->d.count; i++)
		node_text(m, i, verbose);
}

static void node_json(const struct mtree *m, uint32_t i)
{
	const struct vmx_mt_node *n = &m->n[i];
	struct json *j = &ctl.j;

	json_open_object(j);
	json_kv_uint(j, "index", i);
	json_key(j, "parent");
	if (n->parent == VMX_MT_NO_PARENT)
		json_null(j);
	else
		json_uint(j, n->parent);
	json_kv_uint(j, "parent_slot", n->parent_slot);
	json_kv_uint(j, "depth", n->depth);
	json_kv_string(j, "type", mt_type_name(n->type));
	json_kv_hex(j, "min", n->min);
	json_kv_hex(j, "max", n->max);
	if (n->type == VMX_MT_ARANGE_64) {
		json_kv_uint(j, "meta_end", n->meta_end);
		json_kv_uint(j, "meta_gap", n->meta_gap);
	}
	json_key(j, "slots");
	json_open_array(j);
	for (unsigned int s = 0; s < n->slots; s++) {
		int used = !!(n->used & (1U << s));

		json_open_object(j);
		json_kv_hex(j, "first", slot_first(n, s));
		json_kv_hex(j, "last", n->pivot[s]);
		if (n->type == VMX_MT_LEAF_64) {
			json_kv_string(j, "holds", used ? "vma" : "gap");
		} else {
			json_kv_string(j, "holds", used ? "node" : "gap");
			if (used)
				json_kv_uint(j, "child", m->child[i * VMX_MT_SLOTS + s]);
		}
		if (n->type == VMX_MT_ARANGE_64)
			json_kv_hex(j, "gap", n->gap[s]);
		json_close_object(j);
	}
	json_close_array(j);
	json_close_object(j);
}

static void mtree_json(const struct mtree *m, const struct target *t,
		       const struct vmx_info *in)
{
	struct json *j = &ctl.j;

	open_doc();
	json_kv_string(j, "release", in->release);
	json_kv_int(j, "pid", t->pid);
	json_kv_string(j, "comm", t->comm);
	json_kv_uint(j, "start_time", t->start_time);
	json_kv_uint(j, "height", m->d.height);
	json_kv_hex(j, "ma_flags", m->d.ma_flags);
	json_key(j, "flags");
	json_open_array(j);
	for (size_t f = 0; f < sizeof(mt_flag_names) / sizeof(mt_flag_names[0]); f++)
		if ((m->d.ma_flags & mt_flag_names[f].mask) == mt_flag_names[f].value)
			json_string(j, mt_flag_names[f].name);
	json_close_array(j);
	json_kv_uint(j, "vmas", m->d.vmas);
	json_key(j, "nodes");
	json_open_array(j);
	for (uint32_t i = 0; i < m->d.count; i++)
		node_json(m, i);
	json_close_array(j);
	close_doc();
}

int mtree_show(int fd, const struct target *t, const struct vmx_info *in,
	       int verbose)
{
	struct mtree m = { 0 };
	int err = mtree_read(fd, t, &m);

	if (!err) {
		if (ctl.json)
			mtree_json(&m, t, in);
		else
			mtree_text(&m, t, verbose);
	}
	free(m.n);
	free(m.child);
	return err;
}
