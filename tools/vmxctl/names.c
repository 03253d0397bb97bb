// SPDX-License-Identifier: GPL-2.0
/* Names of levels, kinds and tag bits. */
#include <stddef.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

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

void name_cut(char *out, size_t cols, const char *name)
{
	size_t len = strlen(name), n = 0;
	const char *c = name;

	if (len > cols && cols > 3) {
		memcpy(out, "...", 3);
		n = 3;
		c = name + len - (cols - 3);
	}
	for (; *c && n < cols; c++)
		out[n++] = (unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f ? '?' : *c;
	out[n] = '\0';
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

void json_names(const char *key, uint64_t bits, enum name_table t)
{
	json_key(&ctl.j, key);
	json_open_array(&ctl.j);
	for (size_t i = 0; i < name_tables[t].n; i++)
		if (bits & name_tables[t].t[i].bit)
			json_string(&ctl.j, name_tables[t].t[i].name);
	json_close_array(&ctl.j);
}

size_t names_words(char *out, size_t size, uint64_t bits, enum name_table t)
{
	size_t n = 0;

	for (size_t i = 0; i < name_tables[t].n; i++) {
		const char *name = name_tables[t].t[i].name;

		if (!(bits & name_tables[t].t[i].bit) || n + strlen(name) + 2 > size)
			continue;
		if (n)
			out[n++] = ' ';
		n += fmt_str(out + n, name);
	}
	out[n] = '\0';
	return n;
}

int entry_is_final(const struct vmx_entry *e)
{
	return e->kind != VMX_KIND_TABLE;
}
