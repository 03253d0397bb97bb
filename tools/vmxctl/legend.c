// SPDX-License-Identifier: GPL-2.0
/*
 * vmxctl dump --legend: every column, bit name, kind and tag of a dump line,
 * made from the same tables the dump prints with, so it cannot fall behind.
 */
#include <stdio.h>

#include "legend.h"
#include "names.h"
#include "vmxctl.h"
#include "x86_bits.h"

static const struct {
	const char *name;
	const char *meaning;
} columns[] = {
	{ "LEVEL", "PGD P4D PUD PMD PTE: the table the entry is in" },
	{ "ADDRESS", "the first virtual address the entry covers" },
	{ "SIZE", "what it spans: 4K 2M 1G leaves; 512G 256T tables" },
	{ "*N", "(merge) N entries in a row, one line" },
	{ "KIND", "what a non-leaf entry is (kinds below)" },
	{ "FRAME", "page frame number: physical address / 4096" },
	{ "BITS", "the hardware bits set, by their x86 names" },
	{ "TAGS", "software bits and what backs the page (below)" },
	{ "raw", "(-v) the entry's value; kernel-copy: PTI's other root" },
	{ "ref map", "(-v) the page's reference and map counts" },
	{ "pkey", "(-v) the protection key, bits 59-62" },
};

static const struct {
	const char *name;
	const char *meaning;
} extra_bits[] = {
	{ "PAT", "page attribute table (bit 7 of a PTE, 12 of a leaf)" },
	{ "PROTNONE", "bit 8 of a non-present entry: Linux's PROT_NONE" },
};

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Kind numbers start at 1: 0 names nothing. */
static int kind_is_named(unsigned int kind)
{
	return kind_name(kind)[0] != '?';
}

static const char *const table_headings[NAMES_TABLES] = {
	[NAMES_SW] = "tags, software bits:",
	[NAMES_PAGE] = "tags, what backs the leaf (not with 'raw'):",
	[NAMES_MARKER] = "tags of a marker:",
};

static const char *const table_keys[NAMES_TABLES] = {
	[NAMES_SW] = "sw", [NAMES_PAGE] = "page", [NAMES_MARKER] = "marker",
};

/* An array of {name, meaning} as "  NAME      meaning" lines. */
static void print_named(const char *name, const char *name_fmt, const char *meaning)
{
	open_json_object(NULL);
	print_string(PRINT_ANY, "name", name_fmt, name);
	print_string(PRINT_ANY, "meaning", "%s\n", meaning);
	close_json_object();
}

static void legend_print(void)
{
	open_doc();
	print_text("vmxctl dump: one line an entry, indented by its depth:\n"
		   "  LEVEL ADDRESS SIZE[*N] [KIND] FRAME BITS TAGS [-v: raw ...]\n");
	open_json_array("columns");
	for (unsigned int i = 0; i < LEN(columns); i++)
		print_named(columns[i].name, "  %-9s ", columns[i].meaning);
	close_json_array();
	print_text("\nbits (Intel SDM 4.5):\n");
	open_json_array("bits");
	for (unsigned int i = 0; i < x86_nbits; i++) {
		open_json_object(NULL);
		print_string(PRINT_ANY, "name", "  %-9s ", x86_bits[i].name);
		print_uint(PRINT_JSON, "bit", NULL, x86_bits[i].bit);
		print_string(PRINT_ANY, "meaning", "%s\n", x86_bits[i].meaning);
		close_json_object();
	}
	close_json_array();
	/* Names of non-present or differently placed bits: text only. */
	for (unsigned int i = 0; i < LEN(extra_bits); i++)
		print_text("  %-9s %s\n", extra_bits[i].name, extra_bits[i].meaning);
	print_text("\nkinds:\n");
	open_json_array("kinds");
	for (unsigned int k = 0; k < kind_count(); k++)
		if (kind_is_named(k))
			print_named(kind_name(k), "  %-25s ", kind_meaning(k));
	close_json_array();
	for (int t = 0; t < NAMES_TABLES; t++) {
		print_text("\n%s\n", table_headings[t]);
		open_json_array(table_keys[t]);
		for (size_t i = 0; i < name_tables[t].n; i++) {
			open_json_object(NULL);
			print_string(PRINT_JSON, "name", NULL, name_tables[t].t[i].name);
			print_string(PRINT_ANY, "tag", "  %-9s ", name_tables[t].t[i].tag);
			print_string(PRINT_ANY, "meaning", "%s\n", name_tables[t].t[i].meaning);
			close_json_object();
		}
		close_json_array();
	}
	close_doc();
}

int print_legend(void)
{
	legend_print();
	return EXIT_OK;
}
