// SPDX-License-Identifier: GPL-2.0
/*
 * A dump record as a JSON object. A dump is one of these per page-table
 * entry, so the compact form (-j, --ndjson) is built in one buffer from
 * cached pieces and handed to the writer once; --pretty goes value by
 * value through json.c, which lays it out. Both give the same document.
 */
#include <stdint.h>
#include <string.h>

#include "fmt.h"
#include "json.h"
#include "names.h"
#include "vmxctl.h"
#include "x86_bits.h"

/* A name array in compact JSON, built once per set of bits. */
struct json_frag {
	uint64_t key;
	bool used;
	size_t len;
	char text[240];
};

static unsigned int frag_hash(uint64_t key, unsigned int bits)
{
	return (unsigned int)((key ^ key >> 29 ^ key >> 51) * 0x9e3779b1u) >> (32 - bits);
}

static const struct json_frag *frag_fill(struct json_frag *f, uint64_t key, const char *words)
{
	f->len = json_words_fmt(f->text, sizeof(f->text), words);
	f->key = key;
	f->used = true;
	return f;
}

/* The names of @bits of table @t, as ["a","b"]. */
static const struct json_frag *names_frag(uint64_t bits, enum name_table t)
{
	static struct json_frag cache[64];
	uint64_t key = bits << 4 | t;
	struct json_frag *f = &cache[frag_hash(key, 6)];
	char words[200];

	if (f->used && f->key == key)
		return f;
	names_words(words, sizeof(words), bits, t);
	return frag_fill(f, key, words);
}

static const struct json_frag *flags_frag(const struct vmx_entry *e)
{
	static struct json_frag cache[256];
	int final = entry_is_final(e);
	uint64_t key = x86_flag_key(e->raw, e->level, final);
	struct json_frag *f = &cache[frag_hash(key, 8)];

	if (f->used && f->key == key)
		return f;
	return frag_fill(f, key, x86_flag_names_cached(e->raw, e->level, final));
}

static const struct json_frag *effective_frag(uint64_t eff)
{
	static struct json_frag cache[8];
	unsigned int i = (eff & X86_US ? 1 : 0) | (eff & X86_RW ? 2 : 0) | (eff & X86_NX ? 4 : 0);
	char words[64];

	if (cache[i].used)
		return &cache[i];
	x86_effective_words(words, sizeof(words), eff);
	return frag_fill(&cache[i], i, words);
}

/* Appending to a record's buffer: keys are vmxctl's own words. */
struct rec {
	char *p;
};

static void put(struct rec *r, const char *s, size_t n)
{
	memcpy(r->p, s, n);
	r->p += n;
}

/* ,"key": (no comma before the first) */
static void key(struct rec *r, const char *k)
{
	size_t n = strlen(k);

	*r->p++ = ',';
	*r->p++ = '"';
	put(r, k, n);
	*r->p++ = '"';
	*r->p++ = ':';
}

static void str(struct rec *r, const char *k, const char *v)
{
	key(r, k);
	*r->p++ = '"';
	put(r, v, strlen(v));
	*r->p++ = '"';
}

static void hex(struct rec *r, const char *k, uint64_t v)
{
	key(r, k);
	put(r, "\"0x", 3);
	r->p += fmt_hex(r->p, v, 0);
	*r->p++ = '"';
}

static void dec(struct rec *r, const char *k, int64_t v, bool null_if_negative)
{
	key(r, k);
	if (v < 0 && null_if_negative) {
		put(r, "null", 4);
		return;
	}
	if (v < 0) {
		*r->p++ = '-';
		v = -v;
	}
	r->p += fmt_dec(r->p, (uint64_t)v);
}

static void frag(struct rec *r, const char *k, const struct json_frag *f)
{
	key(r, k);
	put(r, f->text, f->len);
}

/*
 * The compact form. Every piece has a bound (names 240, numbers 24, keys
 * 16): 24 pieces at most, well inside the buffer.
 */
static void entry_json_compact(const struct vmx_entry *e, uint64_t vma_start,
			       uint64_t vma_end, bool has_eff, uint64_t eff)
{
	char buf[4096];
	struct rec r = { .p = buf };

	str(&r, "level", level_name(e->level));
	buf[0] = '{';	/* the first key's comma */
	hex(&r, "va", e->va);
	str(&r, "size", size_name(e->span_shift));
	/* A shift past 63 would be undefined: only a broken module sends one. */
	hex(&r, "span", e->span_shift < 64 ? 1ULL << e->span_shift : 0);
	str(&r, "kind", kind_name(e->kind));
	hex(&r, "raw", e->raw);
	hex(&r, "raw_kernel", e->raw_kernel);
	hex(&r, "pfn", e->pfn);
	hex(&r, "entry_pa", e->entry_pa);
	dec(&r, "nr", (int64_t)(e->nr > INT64_MAX ? INT64_MAX : e->nr), false);
	frag(&r, "flags", flags_frag(e));
	if (entry_is_final(e)) {
		frag(&r, "sw", names_frag(e->sw, NAMES_SW));
		/* sw_valid is 32 bits: ~ before widening, so no high bits. */
		frag(&r, "sw_absent", names_frag((uint32_t)~ctl.sw_valid, NAMES_SW));
		dec(&r, "pkey", e->pkey, false);
	}
	if (has_eff)
		frag(&r, "effective", effective_frag(eff));
	if (e->kind == VMX_KIND_SWAP) {
		dec(&r, "swap_type", e->swap_type, false);
		hex(&r, "swap_offset", e->swap_offset);
	}
	if (e->kind == VMX_KIND_MARKER)
		frag(&r, "marker", names_frag((uint32_t)e->swap_offset, NAMES_MARKER));
	if (vma_start || vma_end) {
		hex(&r, "vma_start", vma_start);
		hex(&r, "vma_end", vma_end);
	}
	if (e->page & VMX_PAGE_VALID) {
		frag(&r, "page", names_frag(e->page, NAMES_PAGE));
		dec(&r, "refcount", e->refcount, true);
		dec(&r, "mapcount", e->mapcount, true);
	}
	*r.p++ = '}';
	json_raw(&ctl.j, buf, (size_t)(r.p - buf));
}

void entry_json(const struct vmx_entry *e, uint64_t vma_start, uint64_t vma_end,
		bool has_eff, uint64_t eff)
{
	struct json *j = &ctl.j;
	char words[128];

	if (!ctl.pretty) {
		entry_json_compact(e, vma_start, vma_end, has_eff, eff);
		return;
	}
	json_open_object(j);
	json_kv_string(j, "level", level_name(e->level));
	json_kv_hex(j, "va", e->va);
	json_kv_string(j, "size", size_name(e->span_shift));
	json_kv_hex(j, "span", e->span_shift < 64 ? 1ULL << e->span_shift : 0);
	json_kv_string(j, "kind", kind_name(e->kind));
	json_kv_hex(j, "raw", e->raw);
	json_kv_hex(j, "raw_kernel", e->raw_kernel);
	json_kv_hex(j, "pfn", e->pfn);
	json_kv_hex(j, "entry_pa", e->entry_pa);
	json_kv_uint(j, "nr", e->nr);
	json_key(j, "flags");
	json_words(j, x86_flag_names_cached(e->raw, e->level, entry_is_final(e)));
	if (entry_is_final(e)) {
		json_names("sw", e->sw, NAMES_SW);
		json_names("sw_absent", (uint32_t)~ctl.sw_valid, NAMES_SW);
		json_kv_uint(j, "pkey", e->pkey);
	}
	if (has_eff) {
		x86_effective_words(words, sizeof(words), eff);
		json_key(j, "effective");
		json_words(j, words);
	}
	if (e->kind == VMX_KIND_SWAP) {
		json_kv_uint(j, "swap_type", e->swap_type);
		json_kv_hex(j, "swap_offset", e->swap_offset);
	}
	if (e->kind == VMX_KIND_MARKER)
		json_names("marker", (uint32_t)e->swap_offset, NAMES_MARKER);
	if (vma_start || vma_end) {
		json_kv_hex(j, "vma_start", vma_start);
		json_kv_hex(j, "vma_end", vma_end);
	}
	if (e->page & VMX_PAGE_VALID) {
		json_names("page", e->page, NAMES_PAGE);
		json_key(j, "refcount");
		if (e->refcount >= 0)
			json_int(j, e->refcount);
		else
			json_null(j);
		json_key(j, "mapcount");
		if (e->mapcount >= 0)
			json_int(j, e->mapcount);
		else
			json_null(j);
	}
	json_close_object(j);
}
