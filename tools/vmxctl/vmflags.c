// SPDX-License-Identifier: GPL-2.0
/*
 * Names of vm_flags bits. The module passes vm_flags raw, so the names are
 * vmxctl's: checked against include/linux/mm.h of 6.1, 6.12 and mainline's
 * DECLARE_VMA_BIT enum. A bit is named only when every x86-64 kernel from
 * 6.1 on that sets it means the same by it; otherwise it shows as "bitN"
 * and docs/vmxctl.md says what it means where.
 */
#include <stdio.h>

#include "uapi/vmx.h"
#include "vmflags.h"

static const char *const low_names[32] = {
	"read", "write", "exec", "shared",
	"mayread", "maywrite", "mayexec", "mayshare",
	"growsdown",
	"uffd-missing",	/* 9: MMU kernels; nommu's VM_MAYOVERLAY never on x86-64 */
	"pfnmap",
	/*
	 * 11: unused from 6.1 (VM_DENYWRITE went in 5.15) until mainline
	 * gave it to VM_MAYBE_GUARD: set only where that is its meaning.
	 */
	"maybe-guard",
	"uffd-wp", "locked", "io", "seq-read", "rand-read",
	"dontcopy", "dontexpand", "lockonfault", "account", "noreserve",
	"hugetlb", "sync",
	/*
	 * 24: VM_ARCH_1, which x86 uses as VM_PAT only; kernels that dropped
	 * VM_PAT leave it unused on x86 (PPC32's VM_DROPPABLE alias aside).
	 */
	"pat",
	"wipeonfork", "dontdump",
	"softdirty",	/* 27: 0 without CONFIG_MEM_SOFT_DIRTY, never another bit */
	"mixedmap", "hugepage", "nohugepage", "mergeable",
};

/*
 * Bits 32 and up. 32-35 are the protection key on every kernel (x86-64 has
 * 4 key bits; bit 36 is a fifth key bit on powerpc only). The rest moved:
 *   37: VM_UFFD_MINOR on 6.1 (before shadow stacks), VM_SHADOW_STACK on
 *       6.12 -- ambiguous, so "bit37";
 *   38: VM_UFFD_MINOR on 6.12; mainline's HIGH_ARCH_6 is arm64's GCS,
 *       never set on x86;
 *   39: VM_ALLOW_ANY_UNCACHED; 40: VM_DROPPABLE (6.11 on);
 *   41: VM_UFFD_MINOR and 42: VM_SEALED in mainline; 63: VM_SEALED on 6.12.
 * Each of 38-42 and 63 means one thing on every x86-64 kernel that sets it.
 */
static const struct {
	unsigned int bit;
	const char *name;
} high_names[] = {
	{ 38, "uffd-minor" },
	{ 39, "allow-any-uncached" },
	{ 40, "droppable" },
	{ 41, "uffd-minor" },
	{ 42, "sealed" },
	{ 63, "sealed" },
};

#define PKEY_SHIFT	32
#define PKEY_MASK	0xfULL

void vm_perms(char out[5], uint64_t f)
{
	out[0] = f & VMF_READ ? 'r' : '-';
	out[1] = f & VMF_WRITE ? 'w' : '-';
	out[2] = f & VMF_EXEC ? 'x' : '-';
	out[3] = f & VMF_MAYSHARE ? 's' : 'p';
	out[4] = '\0';
}

unsigned int vm_pkey(uint64_t f)
{
	return (unsigned int)((f >> PKEY_SHIFT) & PKEY_MASK);
}

void vm_flag_names(uint64_t f, void (*fn)(const char *name, void *arg),
		   void *arg)
{
	char other[8];

	for (unsigned int b = 0; b < 64; b++) {
		const char *name = NULL;

		if (!(f & (1ULL << b)))
			continue;
		if (b < 32) {
			name = low_names[b];
		} else if (b >= PKEY_SHIFT && b < PKEY_SHIFT + 4) {
			continue;	/* the key, as a number */
		} else {
			for (size_t i = 0; i < sizeof(high_names) / sizeof(high_names[0]); i++)
				if (high_names[i].bit == b)
					name = high_names[i].name;
		}
		if (!name) {
			snprintf(other, sizeof(other), "bit%u", b);
			name = other;
		}
		fn(name, arg);
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
	for (unsigned int b = 7; b < 32; b++)
		if (attrs & (1U << b)) {
			snprintf(other, sizeof(other), "bit%u", b);
			fn(other, arg);
		}
}
