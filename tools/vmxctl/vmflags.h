/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a VMA's VMX_VMA_* bits say, in words: the permissions as
 * /proc/pid/maps shows them and the names of the bits.
 */
#ifndef VMXCTL_VMFLAGS_H
#define VMXCTL_VMFLAGS_H

#include <stddef.h>
#include <stdint.h>

/* "rwxp" or "rw-s", as /proc/pid/maps: s when VMX_VMA_MAYSHARE. @out: 5 bytes. */
void vm_perms(char out[5], uint64_t flags);

/*
 * Calls @fn with the name of each vm_flags bit of @flags (VMX_VMA_*, from
 * bit 16 on, and hugetlb), in smaps' order: the kernel's name without VM_,
 * lower case ("read", "mayshare", "softdirty"), or "bitN" for a bit this
 * vmxctl does not know.
 */
void vm_flag_names(uint64_t flags, void (*fn)(const char *name, void *arg),
		   void *arg);
/* The same, space-separated into @out. */
void vm_flags_text(char *out, size_t size, uint64_t flags);

/* Calls @fn with the name of each of vmx's own bits (VMX_VMA_ATTRS) of @flags. */
void vma_attr_names(uint32_t attrs, void (*fn)(const char *name, void *arg),
		    void *arg);

#endif
