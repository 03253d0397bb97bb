// SPDX-License-Identifier: GPL-2.0
/* vmxctl info: how the running kernel uses the MMU, as vmx.ko sees it. */
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

static void info_json(const struct vmx_info *in)
{
	struct json *j = &ctl.j;

	open_doc();
	json_kv_string(j, "release", in->release);
	json_kv_uint(j, "abi_version", in->abi_version);
	json_kv_uint(j, "levels", in->levels);
	json_kv_uint(j, "virt_bits", in->virt_bits);
	json_kv_uint(j, "phys_bits", in->phys_bits);
	for (size_t i = 0; i < ARRAY_LEN(paging_bits); i++) {
		json_key(j, paging_bits[i].name);
		json_bool(j, in->paging & paging_bits[i].bit);
	}
	json_kv_uint(j, "page_size", in->page_size);
	json_kv_uint(j, "ptrs_per_table", in->ptrs_per_table);
	json_key(j, "leaf_sizes");
	json_open_array(j);
	for (size_t i = 0; i < ARRAY_LEN(leaf_bits); i++)
		if (in->leaf_sizes & leaf_bits[i].bit)
			json_string(j, leaf_bits[i].name);
	json_close_array(j);
	json_kv_hex(j, "page_offset_base", in->page_offset_base);
	json_kv_hex(j, "direct_map_size", in->direct_map_size);
	json_kv_hex(j, "phys_ram_end", in->phys_ram_end);
	json_kv_hex(j, "user_va_end", in->user_va_end);
	json_key(j, "features");
	json_open_array(j);
	for (int b = 0; b < 64; b++) {
		const char *name = vmx_feature_name(1ULL << b);

		if (in->features & (1ULL << b))
			json_string(j, name ? name : "unknown");
	}
	json_close_array(j);
	close_doc();
}

static void info_text(const struct vmx_info *in)
{
	char size[16];
	int col;

	printf("kernel release     %s\n", in->release);
	printf("module ABI         %u (vmxctl built for %u)\n", in->abi_version,
	       VMX_ABI_VERSION);
	printf("paging             %u levels, %u-bit virtual, %u-bit physical addresses\n",
	       in->levels, in->virt_bits, in->phys_bits);
	printf("pages              %u bytes, %u entries per table, leaves:",
	       in->page_size, in->ptrs_per_table);
	for (size_t i = 0; i < ARRAY_LEN(leaf_bits); i++)
		if (in->leaf_sizes & leaf_bits[i].bit)
			printf(" %s", leaf_bits[i].name);
	printf("\n");
	human_size(size, sizeof(size), in->user_va_end);
	printf("user half          0x0 - 0x%llx (%s)\n",
	       (unsigned long long)in->user_va_end, size);
	human_size(size, sizeof(size), in->direct_map_size);
	printf("direct map         %s (page_offset_base), %s of addresses\n",
	       kaddr_text(in->page_offset_base), size);
	human_size(size, sizeof(size), in->phys_ram_end);
	printf("RAM                up to physical 0x%llx (%s)\n",
	       (unsigned long long)in->phys_ram_end, size);
	for (size_t i = 0; i < ARRAY_LEN(paging_bits); i++)
		printf("%-18s %-3s  %s\n", paging_bits[i].name,
		       in->paging & paging_bits[i].bit ? "on" : "off",
		       paging_bits[i].meaning);
	/* The feature names, wrapped at 80 columns under their label. */
	col = printf("features          ");
	for (int b = 0; b < 64; b++) {
		const char *name = vmx_feature_name(1ULL << b);

		if (!(in->features & (1ULL << b)))
			continue;
		name = name ? name : "unknown";
		if (col + 1 + (int)strlen(name) > 80)
			col = printf("\n                  ");
		col += printf(" %s", name);
	}
	printf("\n");
}

int cmd_info(int argc, char **argv)
{
	struct vmx_info in;
	int fd, ret;

	(void)argv;
	if (argc > 0)
		return usage_error("info takes no arguments");
	ret = vmx_open(&fd);
	if (ret)
		return ret;
	ret = vmx_get_info(fd, &in);
	close(fd);
	if (ret)
		return ret;
	if (ctl.json)
		info_json(&in);
	else
		info_text(&in);
	return EXIT_OK;
}
