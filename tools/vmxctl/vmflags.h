/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a VMA's raw vm_flags and vmx's VMX_VMA_* attrs say, in words: the
 * permissions as /proc/pid/maps shows them and the names of the bits.
 */
#ifndef VMXCTL_VMFLAGS_H
#define VMXCTL_VMFLAGS_H

#include <stddef.h>
#include <stdint.h>

/* The vm_flags bits vmxctl itself relies on: equal on every x86-64 kernel. */
#define VMF_READ	0x1ULL
#define VMF_WRITE	0x2ULL
#define VMF_EXEC	0x4ULL
#define VMF_MAYSHARE	0x80ULL
#define VMF_HUGETLB	0x400000ULL

/* "rwxp" or "rw-s", as /proc/pid/maps: s when VM_MAYSHARE. @out: 5 bytes. */
void vm_perms(char out[5], uint64_t vm_flags);
/* The protection key in bits 32-35 (x86-64 has 16 keys, on every kernel). */
unsigned int vm_pkey(uint64_t vm_flags);

/*
 * Calls @fn with the name of each bit of @vm_flags, low to high: the
 * kernel's name without VM_, lower case ("read", "mayshare", "softdirty"),
 * or "bitN" for a bit whose meaning differs between kernels or that
 * vmxctl does not know. The protection key bits are left to vm_pkey().
 */
void vm_flag_names(uint64_t vm_flags, void (*fn)(const char *name, void *arg),
		   void *arg);
/* The same, space-separated into @out. */
void vm_flags_text(char *out, size_t size, uint64_t vm_flags);

/* Calls @fn with the name of each VMX_VMA_* bit of @attrs ("anon-vma", ...). */
void vma_attr_names(uint32_t attrs, void (*fn)(const char *name, void *arg),
		    void *arg);

#endif
