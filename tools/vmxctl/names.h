/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names of levels, entry kinds and tag bits, shared by dump and resolve so
 * that text and JSON call everything the same way in every command.
 */
#ifndef VMXCTL_NAMES_H
#define VMXCTL_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "uapi/vmx.h"

/* "PGD" ... "PTE"; "?" for a level this vmxctl does not know. */
const char *level_name(unsigned int level);
/* "table", "leaf", "swap", ...; "?" likewise. */
const char *kind_name(unsigned int kind);
/* What a kind means, for the legend; kinds are 0 to kind_count() - 1. */
const char *kind_meaning(unsigned int kind);
unsigned int kind_count(void);
/* "4K", "2M", "1G", ... for log2 of a span in bytes. */
const char *size_name(unsigned int shift);
/* A kernel virtual address as text: "0x..." or, for 0 (the module hides
 * kernel addresses under kptr_restrict or lockdown), "hidden (kptr_restrict
 * or lockdown)". Returns a static buffer: one call per printf.
 */
const char *kaddr_text(uint64_t kaddr);
/* The leaf sizes of x86-64, as array indexes. */
enum { LEAF_4K, LEAF_2M, LEAF_1G, LEAF_SIZES };
/* The index of a leaf of 2^@shift bytes, or -1; and back. */
int leaf_size_index(unsigned int shift);
unsigned int leaf_size_shift(int index);

/* Bytes for people: "4K", "2M", "64T" when exact, else "1.9M" or "132K"
 * (one decimal below 10 of the unit); "0" for nothing. @size: 16 will do.
 */
void human_size(char *out, size_t size, uint64_t bytes);
/*
 * @name for a terminal line: at most @cols columns, cut from the left
 * with "..." (a path's end says most), control characters and non-ASCII
 * bytes as '?' (a file name is anyone's). @out: @cols + 1 bytes at least.
 */
void name_cut(char *out, size_t cols, const char *name);

/* The tables of named bits, as in dump's JSON and text. */
enum name_table { NAMES_SW, NAMES_PAGE, NAMES_MARKER, NAMES_TABLES };

struct bitname {
	uint32_t bit;
	const char *name;	/* in JSON */
	const char *tag;	/* in text */
	const char *meaning;	/* in the legend */
};

extern const struct name_table_def {
	const struct bitname *t;
	size_t n;
} name_tables[NAMES_TABLES];

/* " tag" on stdout for each bit of @bits the table names, in its order;
 * returns how many.
 */
/* The same " tag" words into @dst, without printf: their length. */
size_t tags_fmt(char *dst, enum name_table t, uint64_t bits);
int print_tags(enum name_table t, uint64_t bits);
/* The short text tag of one bit of a table, or "?". */
const char *bit_tag(enum name_table t, uint64_t bit);
/* "key": [names of the bits of @bits], on ctl.j. */
void json_names(const char *key, uint64_t bits, enum name_table t);
/* The JSON names of @bits, space-separated, into @out: their length. */
size_t names_words(char *out, size_t size, uint64_t bits, enum name_table t);

/* Anything but a table entry: where the walk of that address stops. */
int entry_is_final(const struct vmx_entry *e);
/* One dump record as a JSON object on ctl.j. */
/* @eff: what holds for the leaf after every level (dump), if @has_eff. */
void entry_json(const struct vmx_entry *e, uint64_t vma_start, uint64_t vma_end,
		bool has_eff, uint64_t eff);

#endif
