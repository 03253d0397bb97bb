// SPDX-License-Identifier: GPL-2.0
/*
 * vmxctl phys PADDR
 * What a physical address is used for (VMX_IOC_PHYS), never what it holds,
 * and where the kernel reaches it in the direct map.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "names.h"
#include "vmxctl.h"

static const struct {
	const char *name;	/* JSON value and text word */
	const char *meaning;
} phys_types[] = {
	[VMX_PHYS_NOT_RAM] = { "not-ram", "not System RAM: a hole, device memory or firmware" },
	[VMX_PHYS_NO_PAGE] = { "no-page", "RAM without an online struct page" },
	[VMX_PHYS_FREE] = { "free", "in the buddy allocator, free to be handed out" },
	[VMX_PHYS_ANON] = { "anon", "anonymous memory of a process (heap, stack)" },
	[VMX_PHYS_FILE] = { "file", "page cache of a file (or shmem)" },
	[VMX_PHYS_SLAB] = { "slab", "kernel objects of the slab allocator" },
	[VMX_PHYS_PAGETABLE] = { "pagetable", "a page table" },
	[VMX_PHYS_RESERVED] = { "reserved", "PG_reserved: kernel image, memmap, firmware" },
	[VMX_PHYS_HUGETLB] = { "hugetlb", "part of a hugetlbfs page" },
	[VMX_PHYS_OTHER] = { "other", "allocated, none of the above (kernel buffers, ...)" },
};

#define NTYPES (sizeof(phys_types) / sizeof(phys_types[0]))

static const char *type_name(uint32_t t)
{
	return t < NTYPES && phys_types[t].name ? phys_types[t].name : "?";
}

static const char *type_meaning(uint32_t t)
{
	return t < NTYPES && phys_types[t].meaning ? phys_types[t].meaning :
	       "a type this vmxctl does not know";
}

/* "4K", "32K", "2M": the bytes of 2^order pages. */
static void order_size(char *buf, size_t size, uint32_t page, uint32_t order)
{
	uint64_t bytes = (uint64_t)page << (order < 40 ? order : 40);
	static const char units[] = "KMGT";
	int u = 0;

	bytes >>= 10;
	while (bytes >= 1024 && !(bytes & 1023) && u < 3) {
		bytes >>= 10;
		u++;
	}
	snprintf(buf, size, "%" PRIu64 "%c", bytes, units[u]);
}

static void phys_print(const struct vmx_info *in, const struct vmx_phys *p)
{
	uint32_t page = in->page_size ? in->page_size : 4096;
	char size[24];

	order_size(size, sizeof(size), page, p->order);
	open_doc();
	print_hex(PRINT_ANY, "pa", "physical address   0x%" PRIx64, p->pa);
	print_hex(PRINT_ANY, "pfn", " (frame 0x%" PRIx64, p->pa / page);
	print_text(" + offset 0x%" PRIx64 ")\n", (uint64_t)p->pa % page);
	print_hex(PRINT_JSON, "direct_map", NULL, p->direct_map);
	print_text("direct map         %s (page_offset_base + the physical address%s)\n",
		   kaddr_text(p->direct_map),
		   p->type == VMX_PHYS_NOT_RAM ? "; not RAM, so perhaps not mapped there" : "");
	print_bool(PRINT_JSON, "ram", NULL, p->type != VMX_PHYS_NOT_RAM);
	print_text("RAM                %s\n", p->type == VMX_PHYS_NOT_RAM ? "no" : "yes");
	print_string(PRINT_ANY, "type", "type               %s", type_name(p->type));
	print_text(": %s\n", type_meaning(p->type));
	if (p->refcount >= 0)
		print_int(PRINT_ANY, "refcount", "refcount           %" PRId64 "\n", p->refcount);
	else
		print_null(PRINT_ANY, "refcount", "refcount           none (no struct page)\n");
	print_uint(PRINT_ANY, "order", "order              %" PRIu64, p->order);
	print_text(" (%s%s)\n", p->type == VMX_PHYS_FREE ? "a free block of " : "", size);
	close_doc();
}

int cmd_phys(int argc, char **argv)
{
	struct vmx_phys p;
	struct vmx_info in;
	vmx_t *dev;
	uint64_t pa;
	int ret;

	if (argc != 1)
		return argc ? usage_error("phys: unexpected argument '%s'", argv[1]) :
			      usage_error("phys needs a physical address");
	if (parse_number(argv[0], &pa))
		return usage_error("'%s' is not an address: give it in hex (0x...) or decimal",
				   argv[0]);
	ret = ctl_open_for(&dev, &in, VMX_FEAT_PHYS, "phys");
	if (ret)
		return ret;
	ret = vmx_phys(dev, pa, &p);
	if (ret) {
		int err = -ret;
		char hint[96];

		snprintf(hint, sizeof(hint), "RAM ends at 0x%llx (phys_ram_end in vmxctl info)",
			 (unsigned long long)in.phys_ram_end);
		if (err == ERANGE)
			ret = runtime_error(err, hint, "0x%" PRIx64 " is beyond the end of RAM", pa);
		else
			ret = target_error(err, 0, "VMX_IOC_PHYS", NULL);
	}
	vmx_close(dev);
	if (ret)
		return ret;
	phys_print(&in, &p);
	return EXIT_OK;
}
