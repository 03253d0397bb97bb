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

static void legend_text(void)
{
	printf("vmxctl dump: one line an entry, indented by its depth:\n"
	       "  LEVEL ADDRESS SIZE[*N] [KIND] FRAME BITS TAGS [-v: raw ...]\n");
	for (unsigned int i = 0; i < LEN(columns); i++)
		printf("  %-9s %s\n", columns[i].name, columns[i].meaning);
	printf("\nbits (Intel SDM 4.5):\n");
	for (unsigned int i = 0; i < x86_nbits; i++)
		printf("  %-9s %s\n", x86_bits[i].name, x86_bits[i].meaning);
	for (unsigned int i = 0; i < LEN(extra_bits); i++)
		printf("  %-9s %s\n", extra_bits[i].name, extra_bits[i].meaning);
	printf("\nkinds:\n");
	for (unsigned int k = 0; k < kind_count(); k++)
		if (kind_is_named(k))
			printf("  %-25s %s\n", kind_name(k), kind_meaning(k));
	for (int t = 0; t < NAMES_TABLES; t++) {
		printf("\n%s\n", table_headings[t]);
		for (size_t i = 0; i < name_tables[t].n; i++)
			printf("  %-9s %s\n", name_tables[t].t[i].tag,
			       name_tables[t].t[i].meaning);
	}
}

static void legend_json(void)
{
	struct json *j = &ctl.j;

	open_doc();
	json_key(j, "columns");
	json_open_array(j);
	for (unsigned int i = 0; i < LEN(columns); i++) {
		json_open_object(j);
		json_kv_string(j, "name", columns[i].name);
		json_kv_string(j, "meaning", columns[i].meaning);
		json_close_object(j);
	}
	json_close_array(j);
	json_key(j, "bits");
	json_open_array(j);
	for (unsigned int i = 0; i < x86_nbits; i++) {
		json_open_object(j);
		json_kv_string(j, "name", x86_bits[i].name);
		json_kv_uint(j, "bit", x86_bits[i].bit);
		json_kv_string(j, "meaning", x86_bits[i].meaning);
		json_close_object(j);
	}
	json_close_array(j);
	json_key(j, "kinds");
	json_open_array(j);
	for (unsigned int k = 0; k < kind_count(); k++) {
		if (!kind_is_named(k))
			continue;
		json_open_object(j);
		json_kv_string(j, "name", kind_name(k));
		json_kv_string(j, "meaning", kind_meaning(k));
		json_close_object(j);
	}
	json_close_array(j);
	for (int t = 0; t < NAMES_TABLES; t++) {
		json_key(j, table_keys[t]);
		json_open_array(j);
		for (size_t i = 0; i < name_tables[t].n; i++) {
			json_open_object(j);
			json_kv_string(j, "name", name_tables[t].t[i].name);
			json_kv_string(j, "tag", name_tables[t].t[i].tag);
			json_kv_string(j, "meaning", name_tables[t].t[i].meaning);
			json_close_object(j);
		}
		json_close_array(j);
	}
	close_doc();
}

int print_legend(void)
{
	if (ctl.json)
		legend_json();
	else
		legend_text();
	return EXIT_OK;
}
