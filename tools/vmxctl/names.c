// SPDX-License-Identifier: GPL-2.0
/* Names of levels, kinds and tag bits; dump's JSON record of an entry. */
#include <stddef.h>
#include <inttypes.h>
#include <stdio.h>

#include "fmt.h"
#include "names.h"
#include "vmxctl.h"
#include "x86_bits.h"

static const char *const level_names[] = {
	[VMX_LEVEL_PTE] = "PTE", [VMX_LEVEL_PMD] = "PMD", [VMX_LEVEL_PUD] = "PUD",
	[VMX_LEVEL_P4D] = "P4D", [VMX_LEVEL_PGD] = "PGD",
};

static const char *const kind_names[] = {
	[VMX_KIND_TABLE] = "table",
	[VMX_KIND_LEAF] = "leaf",
	[VMX_KIND_PROTNONE] = "protnone",
	[VMX_KIND_SWAP] = "swap",
	[VMX_KIND_MIGRATION_READ] = "migration-read",
	[VMX_KIND_MIGRATION_READ_EXCLUSIVE] = "migration-read-exclusive",
	[VMX_KIND_MIGRATION_WRITE] = "migration-write",
	[VMX_KIND_DEVICE_PRIVATE_READ] = "device-private-read",
	[VMX_KIND_DEVICE_PRIVATE_WRITE] = "device-private-write",
	[VMX_KIND_DEVICE_EXCLUSIVE] = "device-exclusive",
	[VMX_KIND_HWPOISON] = "hwpoison",
	[VMX_KIND_MARKER] = "marker",
	[VMX_KIND_UNKNOWN] = "unknown",
};

static const char *const kind_meanings[] = {
	[VMX_KIND_TABLE] = "points to the next level's table",
	[VMX_KIND_LEAF] = "maps the frame (omitted in text)",
	[VMX_KIND_PROTNONE] = "frame kept, every access faults (PROT_NONE, numa)",
	[VMX_KIND_SWAP] = "swapped out: swap type and offset",
	[VMX_KIND_MIGRATION_READ] = "being migrated; accesses wait",
	[VMX_KIND_MIGRATION_READ_EXCLUSIVE] = "being migrated (was exclusive)",
	[VMX_KIND_MIGRATION_WRITE] = "being migrated (was writable)",
	[VMX_KIND_DEVICE_PRIVATE_READ] = "moved to device memory (HMM)",
	[VMX_KIND_DEVICE_PRIVATE_WRITE] = "moved to device memory, writable",
	[VMX_KIND_DEVICE_EXCLUSIVE] = "held by a device for its atomics",
	[VMX_KIND_HWPOISON] = "the page failed (memory error)",
	[VMX_KIND_MARKER] = "no page, a software marker (tags below)",
	[VMX_KIND_UNKNOWN] = "a format this vmxctl does not know",
};

/* Names in JSON, the short tags of the 80-column text view, meanings. */
static const struct bitname sw_names[] = {
	{ VMX_SW_SOFT_DIRTY, "soft-dirty", "sd",
	  "written since the last 'echo 4 > /proc/PID/clear_refs'" },
	{ VMX_SW_UFFD_WP, "uffd-wp", "wp", "write-protected by userfaultfd" },
	{ VMX_SW_SPECIAL, "special", "sp",
	  "no struct page to count: zero page, PFN maps" },
	{ VMX_SW_DEVMAP, "devmap", "dm", "device memory (ZONE_DEVICE)" },
	{ VMX_SW_SAVED_DIRTY, "saved-dirty", "svd",
	  "write-protected but dirty (6.6+: D kept in bit 58)" },
	{ VMX_SW_NUMA_HINT, "numa-hint", "numa",
	  "PROT_NONE made by NUMA balancing to see who uses it" },
};

static const struct bitname page_names[] = {
	{ VMX_PAGE_ANON, "anon", "anon", "anonymous memory" },
	{ VMX_PAGE_FILE, "file", "file", "not anonymous: page cache, shmem, vDSO" },
	{ VMX_PAGE_KSM, "ksm", "ksm", "merged with equal pages by KSM" },
	{ VMX_PAGE_ZERO, "zero", "zero", "the shared zero page (read, never written)" },
	{ VMX_PAGE_HUGE_ZERO, "huge-zero", "hzero", "the huge zero page (2M)" },
	{ VMX_PAGE_LARGE, "thp", "thp", "part of a large folio (THP, mTHP)" },
	{ VMX_PAGE_HUGETLB, "hugetlb", "htlb", "a hugetlbfs page" },
	{ VMX_PAGE_EXCLUSIVE, "exclusive", "excl",
	  "anonymous, this process's alone: no copy on write" },
	{ VMX_PAGE_NO_STRUCT, "no-struct-page", "nopage", "a raw frame, no struct page" },
};

static const struct bitname marker_names[] = {
	{ VMX_MARKER_UFFD_WP, "uffd-wp", "wp",
	  "uffd-wp kept for a page that is not there" },
	{ VMX_MARKER_POISONED, "poisoned", "poison", "the page was lost to a memory error" },
	{ VMX_MARKER_GUARD, "guard", "guard", "a guard region (MADV_GUARD_INSTALL)" },
};

#define NAMES_LEN(a) (sizeof(a) / sizeof((a)[0]))

const struct name_table_def name_tables[] = {
	[NAMES_SW] = { sw_names, NAMES_LEN(sw_names) },
	[NAMES_PAGE] = { page_names, NAMES_LEN(page_names) },
	[NAMES_MARKER] = { marker_names, NAMES_LEN(marker_names) },
};

const char *level_name(unsigned int level)
{
	if (level < NAMES_LEN(level_names) && level_names[level])
		return level_names[level];
	return "?";
}

const char *kind_name(unsigned int kind)
{
	if (kind < NAMES_LEN(kind_names) && kind_names[kind])
		return kind_names[kind];
	return "?";
}

const char *kind_meaning(unsigned int kind)
{
	if (kind < NAMES_LEN(kind_meanings) && kind_meanings[kind])
		return kind_meanings[kind];
	return "?";
}

unsigned int kind_count(void)
{
	return NAMES_LEN(kind_names);
}

const char *size_name(unsigned int shift)
{
	switch (shift) {
	case 12: return "4K";
	case 21: return "2M";
	case 30: return "1G";
	case 39: return "512G";
	case 48: return "256T";
	default: return "?";
	}
}

const char *kaddr_text(uint64_t kaddr)
{
	static char buf[24];

	if (!kaddr)
		return "hidden (kptr_restrict or lockdown)";
	snprintf(buf, sizeof(buf), "0x%016" PRIx64, kaddr);
	return buf;
}

int leaf_size_index(unsigned int shift)
{
	switch (shift) {
	case 12: return LEAF_4K;
	case 21: return LEAF_2M;
	case 30: return LEAF_1G;
	default: return -1;
	}
}

unsigned int leaf_size_shift(int index)
{
	return index == LEAF_1G ? 30 : index == LEAF_2M ? 21 : 12;
}

void human_size(char *out, size_t size, uint64_t bytes)
{
	static const char units[] = "KMGTPE";
	unsigned int u = 0;
	double v;

	if (bytes < 1024) {
		snprintf(out, size, "%u%s", (unsigned int)bytes, bytes ? "B" : "");
		return;
	}
	/* The largest unit not above @bytes: 1K << 10 * u (no shift past 63). */
	while (u + 1 < sizeof(units) - 1 && bytes >> (10 * (u + 2)))
		u++;
	if (!(bytes & ((1ULL << (10 * (u + 1))) - 1))) {
		snprintf(out, size, "%llu%c",
			 (unsigned long long)(bytes >> (10 * (u + 1))), units[u]);
		return;
	}
	v = (double)bytes / (double)(1ULL << (10 * (u + 1)));
	snprintf(out, size, v < 9.95 ? "%.1f%c" : "%.0f%c", v, units[u]);
}

size_t tags_fmt(char *dst, enum name_table t, uint64_t bits)
{
	size_t n = 0;

	for (size_t i = 0; i < name_tables[t].n; i++)
		if (bits & name_tables[t].t[i].bit) {
			dst[n++] = ' ';
			n += fmt_str(dst + n, name_tables[t].t[i].tag);
		}
	return n;
}

int print_tags(enum name_table t, uint64_t bits)
{
	int n = 0;

	for (size_t i = 0; i < name_tables[t].n; i++)
		if (bits & name_tables[t].t[i].bit) {
			printf(" %s", name_tables[t].t[i].tag);
			n++;
		}
	return n;
}

const char *bit_tag(enum name_table t, uint64_t bit)
{
	for (size_t i = 0; i < name_tables[t].n; i++)
		if (bit == name_tables[t].t[i].bit)
			return name_tables[t].t[i].tag;
	return "?";
}

/*
 * Arrays of names as compact JSON, built once per set of bits: a dump
 * repeats a few sets many times. Pretty output is laid out by json.c
 * instead, value by value.
 */
struct json_frag {
	uint64_t key;
	bool used;
	size_t len;
	char text[240];
};

static struct json_frag *frag_slot(struct json_frag *cache, uint64_t key)
{
	unsigned int h = (unsigned int)((key ^ key >> 29) * 0x9e3779b1u) >> 26;

	return &cache[h];
}

void json_names(const char *key, uint64_t bits, enum name_table t)
{
	static struct json_frag cache[64];
	struct json_frag *f = frag_slot(cache, (uint64_t)t << 40 | (bits & 0xffffffffffULL));

	json_key(&ctl.j, key);
	if (ctl.pretty || bits >> 40) {
		json_open_array(&ctl.j);
		for (size_t i = 0; i < name_tables[t].n; i++)
			if (bits & name_tables[t].t[i].bit)
				json_string(&ctl.j, name_tables[t].t[i].name);
		json_close_array(&ctl.j);
		return;
	}
	if (!f->used || f->key != ((uint64_t)t << 40 | bits)) {
		char words[200];
		size_t n = 0;

		for (size_t i = 0; i < name_tables[t].n && n + 40 < sizeof(words); i++)
			if (bits & name_tables[t].t[i].bit) {
				if (n)
					words[n++] = ' ';
				n += fmt_str(words + n, name_tables[t].t[i].name);
			}
		words[n] = '\0';
		f->len = json_words_fmt(f->text, sizeof(f->text), words);
		f->key = (uint64_t)t << 40 | bits;
		f->used = true;
	}
	json_raw(&ctl.j, f->text, f->len);
}

/* "flags": the entry's bit names, from a cache as json_names()'s. */
static void json_flag_names(const struct vmx_entry *e)
{
	static struct json_frag cache[256];
	int final = entry_is_final(e);
	uint64_t key = x86_flag_key(e->raw, e->level, final);
	struct json_frag *f = &cache[(unsigned int)((key ^ key >> 51) * 0x9e3779b1u) >> 24];

	json_key(&ctl.j, "flags");
	if (ctl.pretty) {
		json_words(&ctl.j, x86_flag_names_cached(e->raw, e->level, final));
		return;
	}
	if (!f->used || f->key != key) {
		f->len = json_words_fmt(f->text, sizeof(f->text),
					x86_flag_names_cached(e->raw, e->level, final));
		f->key = key;
		f->used = true;
	}
	json_raw(&ctl.j, f->text, f->len);
}

int entry_is_final(const struct vmx_entry *e)
{
	return e->kind != VMX_KIND_TABLE;
}

void entry_json(const struct vmx_entry *e, uint64_t vma_start, uint64_t vma_end,
		bool has_eff, uint64_t eff)
{
	struct json *j = &ctl.j;
	char flags[128];

	json_open_object(j);
	json_kv_string(j, "level", level_name(e->level));
	json_kv_hex(j, "va", e->va);
	json_kv_string(j, "size", size_name(e->span_shift));
	/* A shift past 63 would be undefined: only a broken module sends one. */
	json_kv_hex(j, "span", e->span_shift < 64 ? 1ULL << e->span_shift : 0);
	json_kv_string(j, "kind", kind_name(e->kind));
	json_kv_hex(j, "raw", e->raw);
	json_kv_hex(j, "raw_kernel", e->raw_kernel);
	json_kv_hex(j, "pfn", e->pfn);
	json_kv_hex(j, "entry_pa", e->entry_pa);
	json_kv_uint(j, "nr", e->nr);
	json_flag_names(e);
	if (entry_is_final(e)) {
		/* sw_valid is 32 bits: ~ before widening, so no high bits. */
		json_names("sw", e->sw, NAMES_SW);
		json_names("sw_absent", (uint32_t)~ctl.sw_valid, NAMES_SW);
		json_kv_uint(j, "pkey", e->pkey);
	}
	if (has_eff) {
		static struct json_frag cache[8];
		struct json_frag *f = &cache[(eff & X86_US ? 1 : 0) | (eff & X86_RW ? 2 : 0) |
					     (eff & X86_NX ? 4 : 0)];

		json_key(j, "effective");
		if (ctl.pretty || !f->used) {
			x86_effective_words(flags, sizeof(flags), eff);
			f->len = json_words_fmt(f->text, sizeof(f->text), flags);
			f->used = true;
		}
		if (ctl.pretty)
			json_words(j, flags);
		else
			json_raw(j, f->text, f->len);
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
