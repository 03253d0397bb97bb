// SPDX-License-Identifier: GPL-2.0
/*
 * x86-64 descriptor bits by the architecture's definition (Intel SDM vol. 3,
 * 4.5). Only hardware meaning lives here; software bits, whose positions
 * move between kernels, come decoded from the module (vmx_entry.sw).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "x86_bits.h"

const struct x86_bit x86_bits[] = {
	{ 0, "P", "present: the MMU may use this entry" },
	{ 1, "RW", "writable (if clear at any level, the range is read-only)" },
	{ 2, "US", "user: ring 3 may access (if clear at any level, kernel only)" },
	{ 3, "PWT", "write-through caching" },
	{ 4, "PCD", "cache disabled" },
	{ 5, "A", "accessed: the MMU set it when it used the entry" },
	{ 6, "D", "dirty: the MMU set it on a write through this leaf" },
	{ 7, "PS", "page size: this PMD or PUD entry is a 2M or 1G leaf" },
	{ 8, "G", "global: the TLB keeps it across address-space switches" },
	{ 63, "NX", "no execute" },
};
const unsigned int x86_nbits = sizeof(x86_bits) / sizeof(x86_bits[0]);

/* Bit 7 of a PTE is PAT; of a large leaf, PS, with PAT moved to bit 12. */
#define X86_LARGE_PAT_BIT	12

const char *x86_bit_name(int bit, int level, int leaf)
{
	if (bit == 7 && level == 1)
		return "PAT";
	if (bit == X86_LARGE_PAT_BIT && leaf && level > 1)
		return "PAT";
	for (unsigned int i = 0; i < x86_nbits; i++)
		if (x86_bits[i].bit == bit)
			return x86_bits[i].name;
	return NULL;
}

void x86_flag_names(char *out, size_t size, uint64_t raw, int level,
		    int leaf)
{
	size_t len = 0;

	out[0] = '\0';
	for (unsigned int i = 0; i < x86_nbits; i++) {
		const char *name = x86_bit_name(x86_bits[i].bit, level, leaf);

		if (!(raw & (1ULL << x86_bits[i].bit)))
			continue;
		/* Linux keeps PROT_NONE pages as non-present entries with bit 8. */
		if (x86_bits[i].bit == 8 && !(raw & 1))
			name = "PROTNONE";
		len += snprintf(out + len, len < size ? size - len : 0, "%s%s",
				len ? " " : "", name);
	}
	if (leaf && level > 1 && (raw & (1ULL << X86_LARGE_PAT_BIT)))
		len += snprintf(out + len, len < size ? size - len : 0, "%sPAT",
				len ? " " : "");
}

/*
 * The same, for a dump's every entry: entries repeat few combinations of
 * the named bits, so the names are made once per combination.
 */
uint64_t x86_flag_key(uint64_t raw, int level, int leaf)
{
	uint64_t bits = raw & (0x1ffULL | 1ULL << X86_LARGE_PAT_BIT | 1ULL << 63);

	return bits | (uint64_t)(level & 7) << 9 | (uint64_t)!!leaf << 13;
}

const char *x86_flag_names_cached(uint64_t raw, int level, int leaf)
{
	static struct {
		uint64_t key;
		bool used;
		char names[64];
	} cache[256];
	uint64_t key = x86_flag_key(raw, level, leaf);
	unsigned int h = (unsigned int)((key ^ key >> 51) * 0x9e3779b1u) >> 24;

	if (!cache[h].used || cache[h].key != key) {
		/* The key without its level and leaf: the entry's own bits. */
		x86_flag_names(cache[h].names, sizeof(cache[h].names),
			       key & ~(7ULL << 9 | 1ULL << 13), level, leaf);
		cache[h].key = key;
		cache[h].used = true;
	}
	return cache[h].names;
}

uint64_t x86_frame_mask(int level, int leaf)
{
	/* Bits 12-51 hold the address; large leaves keep PAT in bit 12. */
	uint64_t mask = 0x000ffffffffff000ULL;

	if (leaf && level == 2)
		mask &= ~((1ULL << 21) - 1);
	if (leaf && level == 3)
		mask &= ~((1ULL << 30) - 1);
	return mask;
}

uint64_t x86_effective_prot(uint64_t above, uint64_t raw)
{
	return (above & raw & (X86_RW | X86_US)) | ((above | raw) & X86_NX);
}

void x86_effective_text(char *out, size_t size, uint64_t eff)
{
	snprintf(out, size, "%s %s %s", eff & X86_US ? "user" : "kern",
		 eff & X86_RW ? "rw" : "ro", eff & X86_NX ? "nx" : "x");
}

void x86_effective_words(char *out, size_t size, uint64_t eff)
{
	snprintf(out, size, "%s%s%s", eff & X86_US ? "user " : "",
		 eff & X86_RW ? "rw " : "", eff & X86_NX ? "nx" : "");
}

const char *x86_flag_meaning(const char *name)
{
	/* The two names x86_flag_names() gives bits beside the table's. */
	if (!strcmp(name, "PAT"))
		return "page attribute table: with PCD and PWT, picks the memory type";
	if (!strcmp(name, "PROTNONE"))
		return "Linux's PROT_NONE: P is clear so every access faults, but the frame is kept";
	for (unsigned int i = 0; i < x86_nbits; i++)
		if (!strcmp(name, x86_bits[i].name))
			return x86_bits[i].meaning;
	return NULL;
}
