// SPDX-License-Identifier: GPL-2.0
/*
 * The tree behind vmxctl dump --html/--svg (see picture.h), rebuilt from
 * the dump's records in walk order: a table record opens the table below
 * it; a dump without table records (leaves only) gets its tables from the
 * addresses, their physical address unknown.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "picture.h"
#include "vmflags.h"
#include "picture_assets.h"

struct ptab {
	unsigned int level;
	uint64_t va;		/* the first address it covers */
	uint64_t pa;		/* 0: unknown */
	int parent, index;	/* the entry pointing here */
	int first_child, last_child, next_sibling;	/* -1: none */
	char *e;		/* "index,kind,raw,page,mapcount;" per entry */
	size_t len, cap;
	uint32_t used;
	uint16_t slot_kind[512];	/* colour class per entry, for the SVG */
};

struct tree {
	struct ptab *t;
	size_t n, cap;
	unsigned int levels;
};

static unsigned int shift_of(const struct tree *tr, unsigned int level)
{
	if (level == VMX_LEVEL_PGD)
		return tr->levels == 5 ? 48 : 39;
	return 12 + 9 * (level - VMX_LEVEL_PTE);
}

static unsigned int level_below(const struct tree *tr, unsigned int level)
{
	return level == VMX_LEVEL_PGD && tr->levels == 4 ? VMX_LEVEL_PUD : level - 1;
}

static int add_table(struct tree *tr, unsigned int level, uint64_t va, uint64_t pa,
		     int parent, int index)
{
	struct ptab *t;

	if (tr->n == tr->cap) {
		size_t cap = tr->cap ? 2 * tr->cap : 64;
		struct ptab *n = realloc(tr->t, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		tr->t = n;
		tr->cap = cap;
	}
	t = &tr->t[tr->n];
	memset(t, 0, sizeof(*t));
	t->level = level;
	t->va = va;
	t->pa = pa;
	t->parent = parent;
	t->index = index;
	t->first_child = t->last_child = t->next_sibling = -1;
	/* Children in walk order, linked: no search when they are written. */
	if (parent >= 0) {
		struct ptab *p = &tr->t[parent];

		if (p->last_child >= 0)
			tr->t[p->last_child].next_sibling = (int)tr->n;
		else
			p->first_child = (int)tr->n;
		p->last_child = (int)tr->n;
	}
	return (int)tr->n++;
}

/* The colour class: picture.js's names, in this order. */
enum { C_TABLE = 1, C_ANON, C_THP, C_FILE, C_HUGETLB, C_ZERO, C_PFNMAP, C_SWAP,
       C_PROTNONE, C_MIGRATION, C_OTHER };

static unsigned int colour(const struct vmx_entry *e)
{
	switch (e->kind) {
	case VMX_KIND_TABLE:
		return C_TABLE;
	case VMX_KIND_LEAF:
		if (e->page & VMX_PAGE_HUGETLB)
			return C_HUGETLB;
		if (e->page & (VMX_PAGE_ZERO | VMX_PAGE_HUGE_ZERO))
			return C_ZERO;
		if (e->page & VMX_PAGE_NO_STRUCT)
			return C_PFNMAP;
		if (e->page & VMX_PAGE_ANON)
			return e->level > VMX_LEVEL_PTE ? C_THP : C_ANON;
		return e->page & VMX_PAGE_FILE ? C_FILE : C_OTHER;
	case VMX_KIND_PROTNONE:
		return C_PROTNONE;
	case VMX_KIND_SWAP:
		return C_SWAP;
	case VMX_KIND_MIGRATION_READ:
	case VMX_KIND_MIGRATION_READ_EXCLUSIVE:
	case VMX_KIND_MIGRATION_WRITE:
		return C_MIGRATION;
	default:
		return C_OTHER;
	}
}

static int append(struct ptab *t, const struct vmx_entry *e, unsigned int idx)
{
	char buf[96];
	int n = snprintf(buf, sizeof(buf), "%u,%u,%" PRIx64 ",%u,%d;", idx, e->kind,
			 (uint64_t)e->raw, e->page, e->mapcount);

	if (t->len + (size_t)n + 1 > t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 256;
		char *p = realloc(t->e, cap);

		if (!p)
			return -ENOMEM;
		t->e = p;
		t->cap = cap;
	}
	memcpy(t->e + t->len, buf, (size_t)n + 1);
	t->len += (size_t)n;
	t->used++;
	t->slot_kind[idx] = (uint16_t)colour(e);
	return 0;
}

/*
 * The table of @level that holds @va, made (and linked from the level
 * above) when the walk has not opened it: stack[] holds the open ones.
 */
static int table_for(struct tree *tr, int *stack, unsigned int level, uint64_t va)
{
	unsigned int above;
	uint64_t span;
	int p, ret;

	if (level == VMX_LEVEL_PGD)
		return 0;
	span = 1ULL << (shift_of(tr, level) + 9);
	if (stack[level] >= 0 && tr->t[stack[level]].va == (va & ~(span - 1)))
		return stack[level];
	above = level == VMX_LEVEL_PUD && tr->levels == 4 ? VMX_LEVEL_PGD : level + 1;
	p = table_for(tr, stack, above, va);
	if (p < 0)
		return p;
	ret = add_table(tr, level, va & ~(span - 1), 0, p,
			(int)((va >> shift_of(tr, above)) & 511));
	if (ret >= 0) {
		/* Its entry in the table above, not in the dump: raw unknown (0). */
		struct vmx_entry e = { .kind = VMX_KIND_TABLE, .level = (uint8_t)above };
		int err = append(&tr->t[p], &e, (unsigned int)tr->t[ret].index);

		stack[level] = ret;
		if (err)
			return err;
	}
	return ret;
}

static int build(const struct snapshot *s, struct tree *tr, struct picture_stats *st)
{
	int stack[6] = { -1, -1, -1, -1, -1, -1 }, ti, ret;

	memset(tr, 0, sizeof(*tr));
	memset(st, 0, sizeof(*st));
	tr->levels = s->h.levels;
	/* Under PTI the dump's root entries are the user-mode copy's. */
	ret = add_table(tr, VMX_LEVEL_PGD, 0, s->h.root_pa_user ? s->h.root_pa_user : s->h.root_pa,
			-1, -1);
	if (ret < 0)
		return ret;
	stack[VMX_LEVEL_PGD] = 0;
	for (uint64_t i = 0; i < s->h.nentries; i++) {
		const struct vmx_entry *e = &s->e[i];
		unsigned int idx;

		ti = table_for(tr, stack, e->level, e->va);
		if (ti < 0)
			return ti;
		idx = (unsigned int)((e->va >> shift_of(tr, e->level)) & 511);
		ret = append(&tr->t[ti], e, idx);
		if (ret)
			return ret;
		st->entries++;
		if (e->kind == VMX_KIND_TABLE) {
			unsigned int l = level_below(tr, e->level);

			ret = add_table(tr, l, e->va, e->pfn << 12, ti, (int)idx);
			if (ret < 0)
				return ret;
			stack[l] = ret;
		} else if (e->kind == VMX_KIND_LEAF) {
			st->leaves++;
		}
	}
	st->tables = tr->n;
	return 0;
}

static void tree_free(struct tree *tr)
{
	for (size_t i = 0; i < tr->n; i++)
		free(tr->t[i].e);
	free(tr->t);
}

static void html_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '>')
			fputs("&gt;", f);
		else if (*s == '&')
			fputs("&amp;", f);
		else if (*s == '"')
			fputs("&quot;", f);
		else if ((unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7f)
			fputc(*s, f);
		else
			fputc('?', f);
	}
}

/* A JSON string inside a <script>: no "</" can end the script early. */
static void js_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if (*s == '<' || *s == '>' || *s == '&' ||
			 (unsigned char)*s < 0x20 || *s == 0x7f)
			fprintf(f, "\\u%04x", (unsigned char)*s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static void html_vmas(FILE *f, const struct snapshot *s)
{
	fputs("<table class=\"vmas\" id=\"vmas\">\n", f);
	for (uint64_t i = 0; i < s->h.nvmas; i++) {
		const struct vmx_vma *v = &s->vmas[i];
		char perms[5];

		vm_perms(perms, v->flags);
		fprintf(f, "<tr class=\"vma\"><td>%" PRIx64 "-%" PRIx64 "</td><td>%s</td><td>",
			(uint64_t)v->start, (uint64_t)v->end, perms);
		html_text(f, v->name);
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
}

static void js_data(FILE *f, const struct snapshot *s, const struct vmx_info *in,
		    const struct tree *tr, const struct picture_stats *st)
{
	fprintf(f, "const VMX = {meta: {pid: %d, levels: %u, page_offset_base: \"0x%" PRIx64 "\", entries: %" PRIu64 "},\nvmas: [",
		(int)s->h.pid, s->h.levels, (uint64_t)in->page_offset_base, st->entries);
	for (uint64_t i = 0; i < s->h.nvmas; i++) {
		const struct vmx_vma *v = &s->vmas[i];
		char perms[5];

		vm_perms(perms, v->flags);
		fprintf(f, "%s[\"0x%" PRIx64 "\",\"0x%" PRIx64 "\",\"%s\",", i ? "," : "",
			(uint64_t)v->start, (uint64_t)v->end, perms);
		js_string(f, v->name);
		fputc(']', f);
	}
	fputs("],\ntables: [\n", f);
	for (size_t i = 0; i < tr->n; i++) {
		const struct ptab *t = &tr->t[i];
		char pa[24] = "unknown";


		if (t->pa)
			snprintf(pa, sizeof(pa), "0x%" PRIx64, t->pa);
		fprintf(f, "{l:%u,va:\"0x%" PRIx64 "\",pa:\"%s\",e:\"%s\",c:{",
			t->level, t->va, pa, t->e ? t->e : "");
		/* The tables this one points at: their index in the array. */
		for (int j = t->first_child; j >= 0; j = tr->t[j].next_sibling)
			fprintf(f, "%s%d:%d", j == t->first_child ? "" : ",", tr->t[j].index, j);
		fputs("}},\n", f);
	}
	fputs("]};\n", f);
}

int picture_html(const struct snapshot *s, const struct vmx_info *in, FILE *f,
		 struct picture_stats *st)
{
	struct tree tr;
	int ret = build(s, &tr, st);

	if (ret) {
		tree_free(&tr);
		return ret;
	}
	fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n<title>vmx: pid ", f);
	fprintf(f, "%d (", (int)s->h.pid);
	html_text(f, s->h.comm);
	fprintf(f, ")</title>\n<style>\n%s</style></head>\n", picture_css);
	fprintf(f, "<body data-entries=\"%" PRIu64 "\" data-tables=\"%" PRIu64 "\" data-leaves=\"%" PRIu64 "\" data-vmas=\"%" PRIu64 "\">\n",
		st->entries, st->tables, st->leaves, (uint64_t)s->h.nvmas);
	fprintf(f, "<header>vmx: the page tables of pid %d (", (int)s->h.pid);
	html_text(f, s->h.comm);
	fprintf(f, "), kernel ");
	html_text(f, s->h.release);
	fprintf(f, ", %u-level paging%s; %" PRIu64 " tables, %" PRIu64 " entries, %" PRIu64 " leaves%s. Click a row to open it; its bits appear on the right.<div class=\"legend\" id=\"legend\"></div></header>\n",
		s->h.levels, s->h.flags & SNAP_PTI ? ", PTI" : "", st->tables, st->entries,
		st->leaves, s->h.flags & SNAP_FROZEN ? "" : " (taken running: not atomic)");
	fputs("<div id=\"main\"><div id=\"tree\"></div><div id=\"side\"><div id=\"detail\">(an entry's bits)</div>\n", f);
	html_vmas(f, s);
	fputs("</div></div>\n<script>\n", f);
	js_data(f, s, in, &tr, st);
	fprintf(f, "</script>\n<script>\n%s</script>\n</body></html>\n", picture_js);
	tree_free(&tr);
	return ferror(f) ? -EIO : 0;
}

int picture_svg(const struct snapshot *s, const struct vmx_info *in, FILE *f,
		struct picture_stats *st)
{
	static const char *const fill[] = { "#ffffff", "#9e9e9e", "#43a047", "#1b5e20",
		"#1e88e5", "#8e24aa", "#cfd8dc", "#6d4c41", "#fb8c00", "#fdd835",
		"#e53935", "#000000" };
	static const char *const name[] = { "", "table", "anon", "thp", "file", "hugetlb",
		"zero", "pfnmap", "swap", "protnone", "migration", "other" };
	const double cw = 1.5, rh = 3;
	struct tree tr;
	int ret = build(s, &tr, st);

	(void)in;
	if (ret) {
		tree_free(&tr);
		return ret;
	}
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%.0f\" font-family=\"monospace\" data-tables=\"%zu\">\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
		60 + (int)(512 * cw) + 10, 60 + tr.n * rh, tr.n);
	fprintf(f, "<text x=\"4\" y=\"14\" font-size=\"12\">pid %d: %zu tables in walk order, a row each, an entry a cell</text>\n",
		(int)s->h.pid, tr.n);
	for (unsigned int c = 1; c < 12; c++)
		fprintf(f, "<rect x=\"%u\" y=\"24\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%u\" y=\"33\" font-size=\"10\">%s</text>\n",
			4 + (c - 1) * 70, fill[c], 16 + (c - 1) * 70, name[c]);
	for (size_t i = 0; i < tr.n; i++) {
		const struct ptab *t = &tr.t[i];
		double y = 50 + i * rh;

		fprintf(f, "<text x=\"2\" y=\"%.1f\" font-size=\"3\">%s</text>", y + rh, level_name(t->level));
		/* A rectangle per run of one colour: a row is mostly a few. */
		for (unsigned int a = 0; a < 512;) {
			unsigned int b = a;

			while (b < 512 && t->slot_kind[b] == t->slot_kind[a])
				b++;
			if (t->slot_kind[a])
				fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>",
					60 + a * cw, y, (b - a) * cw, rh - 0.5, fill[t->slot_kind[a]]);
			a = b;
		}
		fputc('\n', f);
	}
	fputs("</svg>\n", f);
	tree_free(&tr);
	return ferror(f) ? -EIO : 0;
}
