// SPDX-License-Identifier: GPL-2.0
/*
 * Counting whole page tables (VMX_DUMP_TABLES). An entry is classified as
 * Linux reads it on x86-64: present with P or with bit 8 (Linux's
 * PROT_NONE, also NUMA hints), which swap and migration entries always
 * keep clear; in a PMD or PUD, PS makes a present entry a leaf.
 */
#include <string.h>

#include "dumploop.h"
#include "ptstats.h"
#include "x86_bits.h"

#define TABLES_BATCH	64
#define X86_PROTNONE	(1ULL << 8)	/* G on a present entry, PROT_NONE on others */

static void count_table(const struct vmx_raw_table *t, struct pt_stats *s)
{
	unsigned int level = t->va_level & VMX_RAW_LEVEL_MASK;
	/* The root's kernel half reads as 0: count only its user half. */
	unsigned int slots = level == VMX_LEVEL_PGD ? VMX_TABLE_ENTRIES / 2 :
			     VMX_TABLE_ENTRIES;
	struct pt_level *lv;

	if (level < VMX_LEVEL_PTE || level > VMX_LEVEL_PGD) {
		s->unknown_tables++;
		return;
	}
	lv = &s->lv[level];
	lv->tables++;
	lv->slots += slots;
	for (unsigned int i = 0; i < slots; i++) {
		uint64_t e = t->entries[i];
		int present = !!(e & (X86_P | X86_PROTNONE));

		if (!e)
			continue;
		lv->populated++;
		if (level == VMX_LEVEL_PTE && present)
			s->leaves[LEAF_4K]++;
		else if (level == VMX_LEVEL_PMD && present && (e & X86_PS))
			s->leaves[LEAF_2M]++;
		else if (level == VMX_LEVEL_PUD && present && (e & X86_PS))
			s->leaves[LEAF_1G]++;
		else if (!(e & X86_P))
			s->nonpresent++;
		/* else: a pointer to the next table, which comes as its own record */
	}
}

static int count_batch(const void *recs, uint32_t n, uint64_t cursor, void *ctx)
{
	(void)cursor;
	for (uint32_t i = 0; i < n; i++)
		count_table((const struct vmx_raw_table *)recs + i, ctx);
	return 0;
}

int pt_stats_read(vmx_t *dev, const struct target *t, const struct vmx_info *in,
		  struct pt_stats *s)
{
	struct dump_loop l = {
		.flags = VMX_DUMP_TABLES, .t = t, .start = 0,
		.end = in->user_va_end, .cap = TABLES_BATCH,
		.batch = count_batch, .ctx = s,
	};

	memset(s, 0, sizeof(*s));
	return -dump_loop(dev, &l);
}

uint64_t pt_resident_bytes(const struct pt_stats *s)
{
	uint64_t bytes = 0;

	for (int i = 0; i < LEAF_SIZES; i++)
		bytes += s->leaves[i] << leaf_size_shift(i);
	return bytes;
}

uint64_t pt_table_pages(const struct pt_stats *s, const struct vmx_info *in)
{
	uint64_t pages = 0;

	for (unsigned int l = VMX_LEVEL_PTE; l <= VMX_LEVEL_PGD; l++)
		pages += s->lv[l].tables;
	/* PTI allocates the root as two pages: kernel copy, user copy. */
	if ((in->paging & VMX_PAGING_PTI) && s->lv[VMX_LEVEL_PGD].tables)
		pages += s->lv[VMX_LEVEL_PGD].tables;
	return pages;
}

uint64_t pt_vmpte_tables(const struct pt_stats *s)
{
	return s->lv[VMX_LEVEL_PUD].tables + s->lv[VMX_LEVEL_PMD].tables +
	       s->lv[VMX_LEVEL_PTE].tables;
}
