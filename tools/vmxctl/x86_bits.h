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

/* Space-separated names of the hardware bits set in @raw. */
void x86_flag_names(char *out, size_t size, uint64_t raw, int level, int leaf);
uint64_t x86_frame_mask(int level, int leaf);

#endif
