/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * PTEditor's C API (misc0110/PTEditor, ptedit_header.h) on vmx: the same
 * names, types and values, written from its documentation, so that a
 * program built for PTEditor builds against this header and libvmx:
 *
 *	cc prog.c $(pkg-config --cflags --libs libvmx)
 *
 * with its "#include "ptedit_header.h"" unchanged (pkg-config's -I finds
 * this one) or as <ptedit_header.h>. What vmx refuses by design (writing
 * physical memory, a frame number into an ordinary mapping, the paging
 * root, the PAT MSR, edits above the module's allow_edits level) prints
 * one line on stderr naming vmx's safe way instead and changes nothing;
 * docs/ptedit.md lists every function. Needs vmx.ko and root.
 */
#ifndef LIBVMX_PTEDIT_HEADER_H
#define LIBVMX_PTEDIT_HEADER_H

/* What PTEditor's header brings in, which its programs rely on. */
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <unistd.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef LINUX
#define LINUX 1
#endif

/* Every level of one address, as ptedit_resolve() reads it. */
typedef struct {
	size_t pid;
	size_t vaddr;
	union {
		size_t pgd;
		size_t pml5;
	};
	union {
		size_t p4d;
		size_t pml4;
	};
	union {
		size_t pud;
		size_t pdpt;
	};
	union {
		size_t pmd;
		size_t pd;
	};
	size_t pte;
	size_t valid;	/* PTEDIT_VALID_MASK_* of the levels read */
} ptedit_entry_t;

#define PTEDIT_VALID_MASK_PGD	(1 << 0)
#define PTEDIT_VALID_MASK_P4D	(1 << 1)
#define PTEDIT_VALID_MASK_PUD	(1 << 2)
#define PTEDIT_VALID_MASK_PMD	(1 << 3)
#define PTEDIT_VALID_MASK_PTE	(1 << 4)

/* x86-64 entries as bit fields, least significant bit first. */
#pragma pack(push, 1)
typedef struct {
	size_t present : 1;
	size_t writeable : 1;
	size_t user_access : 1;
	size_t write_through : 1;
	size_t cache_disabled : 1;
	size_t accessed : 1;
	size_t ignored_3 : 1;
	size_t size : 1;
	size_t ignored_2 : 4;
	size_t pfn : 28;
	size_t reserved_1 : 12;
	size_t ignored_1 : 11;
	size_t execution_disabled : 1;
} __attribute__((__may_alias__)) ptedit_pgd_t;

typedef ptedit_pgd_t ptedit_p4d_t;
typedef ptedit_pgd_t ptedit_pud_t;
typedef ptedit_pgd_t ptedit_pmd_t;

/* A 2 MB leaf: pfn in 2 MB frames. */
typedef struct {
	size_t present : 1;
	size_t writeable : 1;
	size_t user_access : 1;
	size_t write_through : 1;
	size_t cache_disabled : 1;
	size_t accessed : 1;
	size_t dirty : 1;
	size_t size : 1;
	size_t global : 1;
	size_t ignored_2 : 3;
	size_t pat : 1;
	size_t reserved_2 : 8;
	size_t pfn : 19;
	size_t reserved_1 : 12;
	size_t ignored_1 : 11;
	size_t execution_disabled : 1;
} __attribute__((__may_alias__)) ptedit_pmd_large_t;

typedef struct {
	size_t present : 1;
	size_t writeable : 1;
	size_t user_access : 1;
	size_t write_through : 1;
	size_t cache_disabled : 1;
	size_t accessed : 1;
	size_t dirty : 1;
	size_t size : 1;	/* the PAT bit of a 4 KB entry */
	size_t global : 1;
	size_t ignored_2 : 3;
	size_t pfn : 28;
	size_t reserved_1 : 12;
	size_t ignored_1 : 11;
	size_t execution_disabled : 1;
} __attribute__((__may_alias__)) ptedit_pte_t;
#pragma pack(pop)

/* The value of a present entry's "present" field. */
#define PTEDIT_PAGE_PRESENT	1

/*
 * The storage of the lvalue @v as @type (ptedit_pte_t, ...), read or
 * written: the entry types are may_alias, so -O2's strict aliasing
 * leaves such accesses alone.
 */
#define ptedit_cast(v, type)	(*((type *)(&(v))))

/* Bit numbers of an x86-64 entry. */
#define PTEDIT_PAGE_BIT_PRESENT		0
#define PTEDIT_PAGE_BIT_RW		1
#define PTEDIT_PAGE_BIT_USER		2
#define PTEDIT_PAGE_BIT_PWT		3
#define PTEDIT_PAGE_BIT_PCD		4
#define PTEDIT_PAGE_BIT_ACCESSED	5
#define PTEDIT_PAGE_BIT_DIRTY		6
#define PTEDIT_PAGE_BIT_PSE		7
#define PTEDIT_PAGE_BIT_PAT		7
#define PTEDIT_PAGE_BIT_GLOBAL		8
#define PTEDIT_PAGE_BIT_SOFTW1		9
#define PTEDIT_PAGE_BIT_SOFTW2		10
#define PTEDIT_PAGE_BIT_SOFTW3		11
#define PTEDIT_PAGE_BIT_PAT_LARGE	12
#define PTEDIT_PAGE_BIT_SOFTW4		58
#define PTEDIT_PAGE_BIT_PKEY_BIT0	59
#define PTEDIT_PAGE_BIT_PKEY_BIT1	60
#define PTEDIT_PAGE_BIT_PKEY_BIT2	61
#define PTEDIT_PAGE_BIT_PKEY_BIT3	62
#define PTEDIT_PAGE_BIT_NX		63

/* Memory types, as a PAT entry holds them. */
#define PTEDIT_MT_UC		0
#define PTEDIT_MT_WC		1
#define PTEDIT_MT_WT		4
#define PTEDIT_MT_WP		5
#define PTEDIT_MT_WB		6
#define PTEDIT_MT_UCMINUS	7

/* ptedit_use_implementation(): vmx has the kernel one only. */
#define PTEDIT_IMPL_KERNEL	0
#define PTEDIT_IMPL_USER_PREAD	1
#define PTEDIT_IMPL_USER	2

/* ptedit_switch_tlb_invalidation(): vmx always flushes through the kernel. */
#define PTEDITOR_TLB_INVALIDATION_KERNEL	0
#define PTEDITOR_TLB_INVALIDATION_CUSTOM	1

#define PTEDIT_COLOR_RED	"\x1b[31m"
#define PTEDIT_COLOR_GREEN	"\x1b[32m"
#define PTEDIT_COLOR_RESET	"\x1b[0m"

/* Bit @bit of @val, 0 or 1. */
#define PTEDIT_B(val, bit)	(!!((val) & (1ULL << (bit))))

typedef ptedit_entry_t (*ptedit_resolve_t)(void *, pid_t);
typedef void (*ptedit_update_t)(void *, pid_t, ptedit_entry_t *);

int ptedit_init(void);
void ptedit_cleanup(void);
void ptedit_use_implementation(int implementation);

/* pid 0: the calling process. */
extern ptedit_resolve_t ptedit_resolve;
extern ptedit_update_t ptedit_update;

void ptedit_pte_set_bit(void *address, pid_t pid, int bit);
void ptedit_pte_clear_bit(void *address, pid_t pid, int bit);
unsigned char ptedit_pte_get_bit(void *address, pid_t pid, int bit);
size_t ptedit_pte_get_pfn(void *address, pid_t pid);
void ptedit_pte_set_pfn(void *address, pid_t pid, size_t pfn);

size_t ptedit_get_pfn(size_t entry);
size_t ptedit_set_pfn(size_t entry, size_t pfn);
int ptedit_get_pagesize(void);

void ptedit_read_physical_page(size_t pfn, char *buffer);
void ptedit_write_physical_page(size_t pfn, char *content);
void *ptedit_pmap(size_t physical, size_t length);

size_t ptedit_get_paging_root(pid_t pid);
void ptedit_set_paging_root(pid_t pid, size_t root);

void ptedit_invalidate_tlb(void *address);
int ptedit_switch_tlb_invalidation(int implementation);
void ptedit_full_serializing_barrier(void);

size_t ptedit_get_mts(void);
void ptedit_set_mts(size_t mts);
char ptedit_get_mt(unsigned char mt);
void ptedit_set_mt(unsigned char mt, unsigned char value);
unsigned char ptedit_find_mt(unsigned char type);
int ptedit_find_first_mt(unsigned char type);
size_t ptedit_apply_mt(size_t entry, unsigned char mt);
size_t ptedit_apply_mt_huge(size_t entry, unsigned char mt);
unsigned char ptedit_extract_mt(size_t entry);
unsigned char ptedit_extract_mt_huge(size_t entry);
const char *ptedit_mt_to_string(unsigned char mt);

void ptedit_print_entry(size_t entry);
void ptedit_print_entry_line(size_t entry, int line);
void ptedit_print_entry_t(ptedit_entry_t entry);

#ifdef __cplusplus
}
#endif

#endif /* LIBVMX_PTEDIT_HEADER_H */
