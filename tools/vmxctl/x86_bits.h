/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMXCTL_X86_BITS_H
#define VMXCTL_X86_BITS_H

#include <stddef.h>
#include <stdint.h>

struct x86_bit {
	int bit;
	const char *name;
	const char *meaning;
};

extern const struct x86_bit x86_bits[];
extern const unsigned int x86_nbits;

/* The name x86_flag_names() gives bit @bit (0-63) of a present entry, or
 * NULL for a bit it leaves unnamed (frame, software, protection key).
 */
const char *x86_bit_name(int bit, int level, int leaf);
/* Space-separated names of the hardware bits set in @raw. */
void x86_flag_names(char *out, size_t size, uint64_t raw, int level, int leaf);
/* What x86_flag_names() of @raw depends on, as one number. */
uint64_t x86_flag_key(uint64_t raw, int level, int leaf);
/* x86_flag_names() of @raw, from a cache: valid until the next call. */
const char *x86_flag_names_cached(uint64_t raw, int level, int leaf);
uint64_t x86_frame_mask(int level, int leaf);

#define X86_P		(1ULL << 0)
#define X86_RW		(1ULL << 1)
#define X86_US		(1ULL << 2)
#define X86_PS		(1ULL << 7)
#define X86_NX		(1ULL << 63)

/*
 * Permissions that hold after one more level, as Linux's ptdump computes
 * them (effective_prot): RW and US must be set at every level, NX at any
 * one. Start from X86_EFFECTIVE_START above the root; present entries only.
 */
#define X86_EFFECTIVE_START	(X86_RW | X86_US)
uint64_t x86_effective_prot(uint64_t above, uint64_t raw);
/* "user rw nx" and the like, what holds in @eff, the three always named. */
void x86_effective_text(char *out, size_t size, uint64_t eff);
/* The names of what holds in @eff, of "user rw nx", for a JSON array. */
void x86_effective_words(char *out, size_t size, uint64_t eff);

/* The one-line meaning of a name x86_flag_names() gives, or NULL. */
const char *x86_flag_meaning(const char *name);

#endif
