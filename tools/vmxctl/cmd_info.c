// SPDX-License-Identifier: GPL-2.0
/* vmxctl info: how the running kernel uses the MMU, as vmx.ko sees it. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "names.h"
#include "vmxctl.h"

static const struct {
	uint64_t bit;
	const char *name;	/* JSON key and text label */
	const char *meaning;
} paging_bits[] = {
	{ VMX_PAGING_LA57, "la57", "5-level paging (CR4.LA57) in use" },
	{ VMX_PAGING_PTI, "pti", "isolation: user mode runs on a PGD without the kernel" },
	{ VMX_PAGING_NX, "nx", "no-execute bit (bit 63) honoured" },
	{ VMX_PAGING_PCID, "pcid", "TLB entries tagged by process-context id" },
	{ VMX_PAGING_PKU, "pku", "protection keys (bits 59-62) enabled" },
	{ VMX_PAGING_CPU_LA57, "cpu_la57", "the CPU can do 5-level paging" },
};

static const struct {
	uint64_t bit;
	const char *name;
} leaf_bits[] = {
	{ VMX_LEAF_4K, "4K" }, { VMX_LEAF_2M, "2M" }, { VMX_LEAF_1G, "1G" },
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* The x86 memory types a PAT entry holds, by value (SDM 11.12.2). */
static const char *const pat_types[8] = {
	"UC", "WC", "Rsvd2", "Rsvd3", "WT", "WP", "WB", "UC-",
};

/*
 * The 8 PAT entries: which memory type a leaf gets for each combination
 * of its PAT, PCD and PWT bits (index = PAT << 2 | PCD << 1 | PWT).
 */
static void pat_print(const struct vmx_info *in)
{
	if (!(in->features & VMX_FEAT_PAT))
		return;
	print_hex(PRINT_JSON, "pat_msr", NULL, in->pat);
	print_text("memory types       PAT index 0-7 (PAT PCD PWT bits):");
	open_json_array("pat");
	for (int i = 0; i < 8; i++)
		print_string(PRINT_ANY, NULL, " %s", pat_types[(in->pat >> (8 * i)) & 7]);
	close_json_array();
	print_text("\n");
}

/* Text and JSON order the facts differently: each side prints where it
 * puts them.
 */
static void info_print(const struct vmx_info *in)
{
	char size[16];
	int col;

	open_doc();
	print_string(PRINT_ANY, "release", "kernel release     %s\n", in->release);
	print_uint(PRINT_ANY, "abi_version", "module ABI         %" PRIu64, in->abi_version);
	print_text(" (vmxctl built for %u)\n", VMX_ABI_VERSION);
	print_uint(PRINT_ANY, "levels", "paging             %" PRIu64 " levels, ", in->levels);
	print_uint(PRINT_ANY, "virt_bits", "%" PRIu64 "-bit virtual, ", in->virt_bits);
	print_uint(PRINT_ANY, "phys_bits", "%" PRIu64 "-bit physical addresses\n",
		   in->phys_bits);
	for (size_t i = 0; i < ARRAY_LEN(paging_bits); i++)
		print_bool(PRINT_JSON, paging_bits[i].name, NULL,
			   in->paging & paging_bits[i].bit);
	print_uint(PRINT_ANY, "page_size", "pages              %" PRIu64 " bytes, ",
		   in->page_size);
	print_uint(PRINT_ANY, "ptrs_per_table", "%" PRIu64 " entries per table, leaves:",
		   in->ptrs_per_table);
	open_json_array("leaf_sizes");
	for (size_t i = 0; i < ARRAY_LEN(leaf_bits); i++)
		if (in->leaf_sizes & leaf_bits[i].bit)
			print_string(PRINT_ANY, NULL, " %s", leaf_bits[i].name);
	close_json_array();
	print_text("\n");
	human_size(size, sizeof(size), in->user_va_end);
	print_text("user half          0x0 - 0x%llx (%s)\n",
		   (unsigned long long)in->user_va_end, size);
	human_size(size, sizeof(size), in->direct_map_size);
	print_hex(PRINT_JSON, "page_offset_base", NULL, in->page_offset_base);
	print_hex(PRINT_JSON, "direct_map_size", NULL, in->direct_map_size);
	print_text("direct map         %s (page_offset_base), %s of addresses\n",
		   kaddr_text(in->page_offset_base), size);
	human_size(size, sizeof(size), in->phys_ram_end);
	print_hex(PRINT_ANY, "phys_ram_end", "RAM                up to physical 0x%" PRIx64,
		  in->phys_ram_end);
	print_text(" (%s)\n", size);
	print_hex(PRINT_JSON, "user_va_end", NULL, in->user_va_end);
	pat_print(in);
	for (size_t i = 0; i < ARRAY_LEN(paging_bits); i++)
		print_text("%-18s %-3s  %s\n", paging_bits[i].name,
			   in->paging & paging_bits[i].bit ? "on" : "off",
			   paging_bits[i].meaning);
	/* The feature names, wrapped at 80 columns under their label. */
	col = print_text("features          ");
	open_json_array("features");
	for (int b = 0; b < 64; b++) {
		const char *name = ctl_feature_name(1ULL << b);

		if (!(in->features & (1ULL << b)))
			continue;
		name = name ? name : "unknown";
		if (col + 1 + (int)strlen(name) > 80)
			col = print_text("\n                  ");
		col += print_string(PRINT_ANY, NULL, " %s", name);
	}
	close_json_array();
	print_text("\n");
	close_doc();
}

int cmd_info(int argc, char **argv)
{
	struct vmx_info in;
	vmx_t *dev;
	int ret;

	(void)argv;
	if (argc > 0)
		return usage_error("info takes no arguments");
	ret = ctl_open(&dev);
	if (ret)
		return ret;
	in = *vmx_get_info(dev);
	vmx_close(dev);
	info_print(&in);
	return EXIT_OK;
}
