// SPDX-License-Identifier: GPL-2.0
/*
 * The node structure of an mm's maple tree, for learners. Everything needed
 * is public in <linux/maple_tree.h> on 6.1 to 7.2: the node layouts, the
 * tree's height, and the masks that encode a node's type in the low bits of
 * its pointer. The two one-line helpers applying those masks are private to
 * lib/maple_tree.c, hence the copies below. Every node read is checked
 * against the tree's invariants, so a kernel that changed the encoding gets
 * -EPROTO rather than a wrong picture.
 */
#include <linux/maple_tree.h>
#include <linux/rcupdate.h>
#include <linux/xarray.h>

#include "vmx_priv.h"

static struct maple_node *vmx_mt_node(void *enode)
{
	return (struct maple_node *)((unsigned long)enode & ~MAPLE_NODE_MASK);
}

static unsigned int vmx_mt_type(void *enode)
{
	return ((unsigned long)enode >> MAPLE_NODE_TYPE_SHIFT) &
	       MAPLE_NODE_TYPE_MASK;
}

/*
 * Fill @n from the node @p describes; the slot walk follows mt_dump's so
 * that both count the same slots. Children are pushed on @stack in reverse,
 * so that popping visits them in order.
 */
static int vmx_mt_read_node(struct vmx_mtree_walk *w, struct vmx_mt_node *n,
			    const struct vmx_mt_pending *p, u32 self)
{
	struct maple_node *node = vmx_mt_node(p->enode);
	unsigned int type = vmx_mt_type(p->enode);
	unsigned long first = p->min, last;
	void __rcu **slots;
	unsigned long *pivots;
	unsigned int i, nslots;
	bool leaf;
	void *child[VMX_MT_SLOTS];
	unsigned long cmin[VMX_MT_SLOTS], cmax[VMX_MT_SLOTS];

	memset(n, 0, sizeof(*n));
	n->min = p->min;
	n->max = p->max;
	n->type = type;
	n->depth = p->depth;
	n->parent = p->parent;
	n->parent_slot = p->parent_slot;
	switch (type) {
	case maple_leaf_64:
	case maple_range_64:
		slots = node->mr64.slot;
		pivots = node->mr64.pivot;
		nslots = MAPLE_RANGE64_SLOTS;
		break;
	case maple_arange_64:
		slots = node->ma64.slot;
		pivots = node->ma64.pivot;
		nslots = MAPLE_ARANGE64_SLOTS;
		for (i = 0; i < nslots; i++)
			n->gap[i] = node->ma64.gap[i];
		n->meta_end = node->ma64.meta.end;
		n->meta_gap = node->ma64.meta.gap;
		break;
	default:
		return -EPROTO;
	}
	leaf = type == maple_leaf_64;
	/* A leaf sits at the bottom, and only there. */
	if (leaf != (p->depth + 1 == w->height))
		return -EPROTO;

	for (i = 0; i < nslots; i++) {
		void *entry = rcu_dereference(slots[i]);

		last = p->max;
		if (i < nslots - 1)
			last = pivots[i];
		else if (!entry && (type == maple_arange_64 || p->max != ULONG_MAX))
			break;
		if (last == 0 && i > 0)
			break;
		if (last < first || last > p->max)
			return -EPROTO;
		n->pivot[i] = last;
		child[i] = NULL;
		/* A child's type is checked when it is read. */
		if (entry && !leaf && (unsigned long)vmx_mt_node(entry) < PAGE_SIZE)
			return -EPROTO;
		if (entry) {
			n->used |= 1U << i;
			w->entries += leaf;
			child[i] = leaf ? NULL : entry;
			cmin[i] = first;
			cmax[i] = last;
		}
		n->slots = i + 1;
		if (last == p->max)
			break;
		first = last + 1;
	}

	for (i = n->slots; i-- > 0;) {
		struct vmx_mt_pending *c;

		if (!child[i])
			continue;
		if (w->sp == ARRAY_SIZE(w->stack))
			return -EPROTO;
		c = &w->stack[w->sp++];
		c->enode = child[i];
		c->min = cmin[i];
		c->max = cmax[i];
		c->parent = self;
		c->depth = p->depth + 1;
		c->parent_slot = i;
	}
	return 0;
}

/*
 * Walk the whole of @mt in pre-order, writing the first @max nodes to @out
 * (which may be NULL to count only). The caller holds the tree's writers
 * off (for mm->mm_mt, the mmap lock); RCU covers the slot reads.
 */
/* A fingerprint of the whole tree as read, to tell two reads of it apart. */
static u64 vmx_mt_sum(u64 sum, const struct vmx_mt_node *n)
{
	const u64 *word = (const u64 *)n;
	size_t i;

	for (i = 0; i < sizeof(*n) / sizeof(u64); i++)
		sum = (sum ^ word[i]) * 0x100000001b3ULL;
	return sum;
}

int vmx_mtree_walk(struct vmx_mtree_walk *w, struct maple_tree *mt,
		   struct vmx_mt_node *out, u32 max)
{
	return vmx_mtree_walk_from(w, mt, out, 0, max);
}

int vmx_mtree_walk_from(struct vmx_mtree_walk *w, struct maple_tree *mt,
			struct vmx_mt_node *out, u32 skip, u32 max)
{
	struct vmx_mt_node scratch;
	void *root;
	int ret = 0;

	w->total = 0;
	w->sum = 0xcbf29ce484222325ULL;
	w->entries = 0;
	w->sp = 0;
	w->ma_flags = mt->ma_flags;
	w->height = mt_height(mt);
	rcu_read_lock();
	root = rcu_dereference(mt->ma_root);
	if (!root) {
		if (w->height)
			ret = -EPROTO;
		goto out;
	}
	if (!xa_is_node(root)) {
		/* A lone entry for index 0 sits in the root pointer: no nodes. */
		w->entries = 1;
		goto out;
	}
	if (!w->height || w->height > MAPLE_HEIGHT_MAX) {
		ret = -EPROTO;
		goto out;
	}
	w->stack[w->sp++] = (struct vmx_mt_pending){
		.enode = root, .min = 0, .max = ULONG_MAX,
		.parent = VMX_MT_NO_PARENT,
	};
	while (w->sp) {
		struct vmx_mt_pending p = w->stack[--w->sp];
		struct vmx_mt_node *n = out && w->total >= skip &&
					w->total - skip < max ?
					&out[w->total - skip] : &scratch;

		if (w->total == U32_MAX) {
			ret = -EPROTO;
			break;
		}
		ret = vmx_mt_read_node(w, n, &p, w->total);
		if (ret)
			break;
		w->sum = vmx_mt_sum(w->sum, n);
		w->total++;
	}
out:
	rcu_read_unlock();
	return ret;
}

#if IS_ENABLED(CONFIG_KUNIT)
EXPORT_SYMBOL_GPL(vmx_mtree_walk);
#endif
