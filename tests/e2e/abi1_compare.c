// SPDX-License-Identifier: GPL-2.0
/*
 * vmxtest abi1 PID ADDR: a caller built against ABI 1, with ABI 1's
 * structs written out here as such a caller's header had them, against the
 * same requests made as ABI 2: one RESOLVE and one DUMP of ADDR's page.
 * The record must be the same, with its VMA where ABI 1 had it. On the
 * stock kernels (FORTIFY_SOURCE on) this is also what would catch a copy
 * that spans a field of the module's ABI 2 structs.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "uapi/vmx.h"
#include "vmxtest.h"

struct entry_v1 {
	uint64_t va, raw, raw_kernel, pfn, vma_start, vma_end, vm_flags;
	uint64_t swap_offset, nr;
	uint8_t level, kind, span_shift, swap_type, pkey, pad[3];
	uint32_t sw, sw_valid, page;
	int32_t refcount, mapcount;
	uint32_t reserved;
};

/* ABI 1's struct vmx_resolve: ABI 2's fields up to @final, then v1's. */
struct resolve_v1 {
	uint8_t head[offsetof(struct vmx_resolve, final)];
	struct entry_v1 final;
};

_Static_assert(sizeof(struct entry_v1) == VMX_ENTRY_SIZE_VER1, "ABI 1 record");
_Static_assert(sizeof(struct resolve_v1) == 344, "ABI 1 resolve");

static int bad(const char *what, unsigned long long got, unsigned long long want)
{
	printf("mismatch: %s 0x%llx, ABI 2 says 0x%llx\n", what, got, want);
	return 1;
}

int abi1_compare(pid_t pid, uint64_t addr)
{
	struct vmx_info info = { .size = sizeof(info) };
	struct vmx_resolve r2 = { .size = sizeof(r2), .pid = pid, .addr = addr };
	union {
		struct vmx_resolve r;	/* the ioctl's own size in its number */
		struct resolve_v1 v1;
	} u = { 0 };
	struct entry_v1 d1[8];
	struct vmx_dump d = {
		.size = offsetof(struct vmx_dump, abi_version), .pid = pid,
		.entry_size = sizeof(d1[0]), .start = addr & ~4095ULL,
		.end = (addr & ~4095ULL) + 4096, .entries = (uintptr_t)d1,
		.max_entries = 8, .flags = VMX_DUMP_LEAVES,
	};
	const struct entry_v1 *f = &u.v1.final;
	int fd = open(VMX_DEVICE_PATH, O_RDWR), n = 0;

	u.r.size = sizeof(struct resolve_v1);
	u.r.pid = pid;
	u.r.addr = addr;
	if (fd < 0 || ioctl(fd, VMX_IOC_INFO, &info) || ioctl(fd, VMX_IOC_RESOLVE, &r2) ||
	    ioctl(fd, VMX_IOC_RESOLVE, &u.r) || ioctl(fd, VMX_IOC_DUMP, &d)) {
		perror("vmxtest abi1");
		return 2;
	}
	if (r2.result != VMX_RESOLVE_MAPPED || !r2.in_vma) {
		printf("abi1: 0x%llx is not a mapped page of a VMA\n", (unsigned long long)addr);
		return 2;
	}
	n += u.r.abi_version ? bad("ABI 1 resolve wrote abi_version", u.r.abi_version, 0) : 0;
	n += f->va != r2.final.va ? bad("resolve va", f->va, r2.final.va) : 0;
	n += f->pfn != r2.final.pfn ? bad("resolve pfn", f->pfn, r2.final.pfn) : 0;
	n += f->kind != r2.final.kind ? bad("resolve kind", f->kind, r2.final.kind) : 0;
	n += f->vma_start != r2.vma_start ? bad("resolve vma_start", f->vma_start, r2.vma_start) : 0;
	n += f->vma_end != r2.vma_end ? bad("resolve vma_end", f->vma_end, r2.vma_end) : 0;
	n += !(f->vm_flags & 1) != !(r2.vma_flags & VMX_VMA_READ) ?
	     bad("resolve vm_flags read", f->vm_flags, r2.vma_flags) : 0;
	n += f->sw_valid != info.sw_valid ? bad("resolve sw_valid", f->sw_valid, info.sw_valid) : 0;
	n += d.count != 1 ? bad("dump records", d.count, 1) : 0;
	if (d.count == 1) {
		n += d1[0].va != r2.final.va ? bad("dump va", d1[0].va, r2.final.va) : 0;
		n += d1[0].vma_start != r2.vma_start ? bad("dump vma_start", d1[0].vma_start, r2.vma_start) : 0;
		n += d1[0].vm_flags != f->vm_flags ? bad("dump vm_flags", d1[0].vm_flags, f->vm_flags) : 0;
		n += d1[0].sw_valid != info.sw_valid ? bad("dump sw_valid", d1[0].sw_valid, info.sw_valid) : 0;
	}
	printf("abi1 resolve and dump of 0x%llx: vma 0x%llx-0x%llx vm_flags 0x%llx mismatches=%d\n",
	       (unsigned long long)addr, (unsigned long long)f->vma_start,
	       (unsigned long long)f->vma_end, (unsigned long long)f->vm_flags, n);
	close(fd);
	return n ? 1 : 0;
}
