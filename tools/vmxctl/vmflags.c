// SPDX-License-Identifier: GPL-2.0
/*
 * Names of a VMA's VMX_VMA_* bits. The module decodes vm_flags into bits
 * that keep their positions (ABI 2), so one table serves every kernel; a
 * bit this vmxctl does not know (a newer module's) shows as "bitN".
 */
#include <stdio.h>

#include "uapi/vmx.h"
#include "vmflags.h"

/* In the order /proc/pid/smaps' VmFlags lists them (allow-any-uncached has
 * no mnemonic there), hugetlb among them.
 */
static const struct {
	uint64_t bit;
	const char *name;
} flag_names[] = {
	{ VMX_VMA_READ, "read" },
	{ VMX_VMA_WRITE, "write" },
	{ VMX_VMA_EXEC, "exec" },
	{ VMX_VMA_SHARED, "shared" },
	{ VMX_VMA_MAYREAD, "mayread" },
	{ VMX_VMA_MAYWRITE, "maywrite" },
	{ VMX_VMA_MAYEXEC, "mayexec" },
	{ VMX_VMA_MAYSHARE, "mayshare" },
	{ VMX_VMA_GROWSDOWN, "growsdown" },
	{ VMX_VMA_UFFD_MISSING, "uffd-missing" },
	{ VMX_VMA_PFNMAP, "pfnmap" },
	{ VMX_VMA_MAYBE_GUARD, "maybe-guard" },
	{ VMX_VMA_UFFD_WP, "uffd-wp" },
	{ VMX_VMA_LOCKED, "locked" },
	{ VMX_VMA_IO, "io" },
	{ VMX_VMA_SEQ_READ, "seq-read" },
	{ VMX_VMA_RAND_READ, "rand-read" },
	{ VMX_VMA_DONTCOPY, "dontcopy" },
	{ VMX_VMA_DONTEXPAND, "dontexpand" },
	{ VMX_VMA_LOCKONFAULT, "lockonfault" },
	{ VMX_VMA_ACCOUNT, "account" },
	{ VMX_VMA_NORESERVE, "noreserve" },
	{ VMX_VMA_HUGETLB, "hugetlb" },
	{ VMX_VMA_SYNC, "sync" },
	{ VMX_VMA_PAT, "pat" },
	{ VMX_VMA_WIPEONFORK, "wipeonfork" },
	{ VMX_VMA_DONTDUMP, "dontdump" },
	{ VMX_VMA_SOFTDIRTY, "softdirty" },
	{ VMX_VMA_MIXEDMAP, "mixedmap" },
	{ VMX_VMA_HUGEPAGE, "hugepage" },
	{ VMX_VMA_NOHUGEPAGE, "nohugepage" },
	{ VMX_VMA_MERGEABLE, "mergeable" },
	{ VMX_VMA_UFFD_MINOR, "uffd-minor" },
	{ VMX_VMA_SHADOW_STACK, "shadow-stack" },
	{ VMX_VMA_ALLOW_ANY_UNCACHED, "allow-any-uncached" },
	{ VMX_VMA_DROPPABLE, "droppable" },
	{ VMX_VMA_SEALED, "sealed" },
};

#define NFLAGS	(sizeof(flag_names) / sizeof(flag_names[0]))

void vm_perms(char out[5], uint64_t f)
{
	out[0] = f & VMX_VMA_READ ? 'r' : '-';
	out[1] = f & VMX_VMA_WRITE ? 'w' : '-';
	out[2] = f & VMX_VMA_EXEC ? 'x' : '-';
	out[3] = f & VMX_VMA_MAYSHARE ? 's' : 'p';
	out[4] = '\0';
}

void vm_flag_names(uint64_t f, void (*fn)(const char *name, void *arg),
		   void *arg)
{
	uint64_t known = VMX_VMA_ATTRS;
	char other[8];

	for (size_t i = 0; i < NFLAGS; i++) {
		known |= flag_names[i].bit;
		if (f & flag_names[i].bit)
			fn(flag_names[i].name, arg);
	}
	/* Bits of a newer module: shown, not dropped. */
	for (unsigned int b = 0; b < 64; b++)
		if (f & ~known & (1ULL << b)) {
			snprintf(other, sizeof(other), "bit%u", b);
			fn(other, arg);
		}
}

struct text_buf {
	char *out;
	size_t size, len;
};

static void append_name(const char *name, void *arg)
{
	struct text_buf *t = arg;

	t->len += snprintf(t->out + t->len, t->len < t->size ? t->size - t->len : 0,
			   "%s%s", t->len ? " " : "", name);
}

void vm_flags_text(char *out, size_t size, uint64_t f)
{
	struct text_buf t = { out, size, 0 };

	out[0] = '\0';
	vm_flag_names(f, append_name, &t);
}

static const struct {
	uint32_t bit;
	const char *name;
} attr_names[] = {
	{ VMX_VMA_ANON_VMA, "anon-vma" },
	{ VMX_VMA_HUGETLB, "hugetlb" },
	{ VMX_VMA_FILE, "file" },
	{ VMX_VMA_HEAP, "heap" },
	{ VMX_VMA_STACK, "stack" },
	{ VMX_VMA_SPECIAL, "special" },
	{ VMX_VMA_NAME_TRUNCATED, "name-truncated" },
};

void vma_attr_names(uint32_t attrs, void (*fn)(const char *name, void *arg),
		    void *arg)
{
	char other[8];

	for (size_t i = 0; i < sizeof(attr_names) / sizeof(attr_names[0]); i++)
		if (attrs & attr_names[i].bit)
			fn(attr_names[i].name, arg);
	/* Bits of a newer module: shown, not dropped. */
	for (unsigned int b = 7; b < 16; b++)
		if (attrs & (1U << b)) {
			snprintf(other, sizeof(other), "bit%u", b);
			fn(other, arg);
		}
}
