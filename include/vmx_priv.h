/* SPDX-License-Identifier: GPL-2.0 */
/* Declarations shared by the parts of vmx.ko (not part of the uapi). */
#ifndef _VMX_PRIV_H
#define _VMX_PRIV_H

#include <linux/atomic.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/types.h>
#include "uapi/vmx.h"

/*
 * ioctl/dispatch.c: the single entry point of every VMX_IOC_* request,
 * through the /dev/vmx file it came by (NULL: from inside the kernel).
 */
struct file;
long vmx_file_ioctl(struct file *file, unsigned int cmd, unsigned long arg);
long vmx_ioctl(unsigned int cmd, unsigned long arg);

/* ioctl/info.c */
int vmx_ioc_info(void *req);

/* ioctl/dump.c */
int vmx_ioc_dump(void *req);

/* ioctl/resolve.c, ioctl/peek.c, ioctl/phys.c */
int vmx_ioc_resolve(void *req);
int vmx_ioc_peek(void *req);
int vmx_ioc_phys(void *req);
int vmx_ioc_vmas(void *req);
struct mm_struct;
struct page;
/* Resolve r->addr in @mm, taking the mmap lock; with @pagep, also the
 * present leaf's page, referenced (NULL when there is none to read).
 */
int vmx_resolve_locked(struct mm_struct *mm, struct vmx_resolve *r,
		       struct page **pagep);

/* walker/resolve.c */
struct vm_area_struct;
void vmx_resolve_user(struct mm_struct *mm, struct vm_area_struct *vma,
		      struct vmx_resolve *r, struct page **pagep);
int vmx_resolve_kernel(struct vmx_resolve *r);

/*
 * walker/vma_flags.c: a VMA's VMX_VMA_* bits (vm_flags decoded, and the
 * anon_vma, hugetlb and file bits), its protection key, and the bits this
 * kernel can set at all.
 */
u64 vmx_vma_flags(struct vm_area_struct *vma);
u32 vmx_vma_pkey(struct vm_area_struct *vma);
u64 vmx_vma_flags_valid(void);

/* ioctl/target.c: the mm of @pid with an mm_users reference, or ERR_PTR:
 * -ESRCH (no such process, or another one since @start_time), -ENXIO (no
 * user address space: a kernel thread or an exiting process).
 */
struct mm_struct *vmx_target_mm(pid_t pid, u64 start_time);

struct vmx_entry;
/* walker/page_info.c */
struct vm_area_struct;
void vmx_page_info(struct vmx_entry *e, struct vm_area_struct *vma,
		   unsigned long pfn, int level);
/*
 * The same facts without a record: the VMX_PAGE_* bits, and the counts
 * (-1 where not looked at). @special: the entry's special bit.
 */
u32 vmx_page_facts(struct vm_area_struct *vma, unsigned long pfn, int level,
		   bool special, s32 *refcount, s32 *mapcount);

/* walker/mtree.c: a pre-order walk of mm->mm_mt under the mmap lock. */
struct vmx_mt_pending {
	void *enode;
	unsigned long min;
	unsigned long max;
	u32 parent;
	u8 depth;
	u8 parent_slot;
};

struct vmx_mtree_walk {
	u32 total;
	u32 entries;	/* non-NULL leaf slots: VMAs, in an mm */
	u32 height;
	u32 ma_flags;
	u64 sum;	/* fingerprint of every node read */
	unsigned int sp;
	/* Deepest tree times the widest node: children not yet visited. */
	struct vmx_mt_pending stack[31 * VMX_MT_SLOTS];
};

struct maple_tree;
int vmx_mtree_walk(struct vmx_mtree_walk *w, struct maple_tree *mt,
		   struct vmx_mt_node *out, u32 max);
/* The same, with nodes @skip to @skip + @max - 1 (pre-order) into @out. */
int vmx_mtree_walk_from(struct vmx_mtree_walk *w, struct maple_tree *mt,
			struct vmx_mt_node *out, u32 skip, u32 max);
int vmx_ioc_mtree(void *req);

/* remap/window.c: a window, the VMA of one mmap of /dev/vmx. */
struct vmx_slot {
	struct page *page;	/* pinned; NULL: an empty slot (SIGBUS) */
	bool readonly;		/* its window entry is read-only */
	bool writable_pin;	/* pinned for writing: may become writable */
	bool reserved;		/* empty, held for a grant in progress */
};

struct vmx_window {
	struct mutex lock;	/* slots, @vmas, and the entries made from slots */
	refcount_t refs;	/* its VMAs, and grants in progress */
	unsigned int vmas;	/* 0: unmapped, every slot emptied */
	unsigned long npages;
	struct vmx_slot slot[];
};

struct file;
int vmx_window_mmap(struct file *file, struct vm_area_struct *vma);
struct vmx_window *vmx_window_find(struct mm_struct *mm, unsigned long addr,
				   unsigned long pages,
				   struct vm_area_struct **vmap);
bool vmx_vma_is_window(struct vm_area_struct *vma);
void vmx_window_unref(struct vmx_window *win);
void vmx_slot_unpin(struct page *page, bool writable_pin);
/* remap/remap.c: VMX_IOC_REMAP on two mms (@src NULL: revoke, protect). */
int vmx_remap_mms(struct file *file, struct mm_struct *src,
		  struct mm_struct *wmm, struct vmx_remap *r);
/* ioctl/remap.c */
int vmx_ioc_remap(struct file *file, void *req);
/* arch/x86/tlb.c: every CPU's TLB; -EOPNOTSUPP where vmx cannot. */
bool vmx_tlb_flush_works(void);
int vmx_tlb_flush_all(void);
/* ioctl/tlb.c */
int vmx_ioc_tlb_flush(void *req);
/* remap/edit.c; 1: a change allow_edits=1 permits, 2: an experiment. */
int vmx_edit_mm(struct mm_struct *mm, struct vmx_edit *e);
int vmx_edit_level(u32 set, u32 clear, u64 flags);
/* ioctl/edit.c: the module parameter allow_edits. */
extern int vmx_allow_edits;
int vmx_ioc_edit(void *req);

/* debugfs.c: what /sys/kernel/debug/vmx/stats shows. */
struct vmx_stats {
	atomic64_t dump_calls;
	atomic64_t dump_slices;
	atomic64_t dump_records;
	atomic64_t lock_max_ns;		/* longest one slice held an mmap lock */
	atomic64_t lock_total_ns;
	atomic64_t pinned_pages;	/* held by windows: 0 when none is left */
	atomic64_t windows;
	atomic64_t tlb_flushes;
	atomic64_t edits;
};

extern struct vmx_stats vmx_stats;
void vmx_stats_lock_held(u64 ns);
void vmx_stats_init(void);
void vmx_stats_exit(void);

/*
 * walker/kaddr.c: may the caller see kernel virtual addresses? Not with
 * kptr_restrict=2 (or 1 without CAP_SYSLOG), not under lockdown
 * (confidentiality): then they are reported as 0.
 */
bool vmx_kaddr_visible(void);

/* arch/x86/paging.c: facts about the MMU as the running kernel uses it. */
void vmx_describe_paging(struct vmx_info *info);
/* End of the highest System RAM range: physical addresses at or above it
 * are not memory.
 */
u64 vmx_phys_ram_end(void);

#endif /* _VMX_PRIV_H */
