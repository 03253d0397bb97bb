/* SPDX-License-Identifier: GPL-2.0 */
/* vmxctl vmas --tree: the maple tree's nodes (VMX_IOC_MTREE). */
#ifndef VMXCTL_MTREE_H
#define VMXCTL_MTREE_H
#include "target.h"
#include "vmxctl.h"

/* Read and print (text or JSON) the tree of @t: 0 or an errno. */
int mtree_show(vmx_t *dev, const struct target *t, const struct vmx_info *in,
	       int verbose);
#endif
