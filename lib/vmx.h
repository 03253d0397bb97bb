/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libvmx: a C API over /dev/vmx (vmx.ko), so that a program can walk and
 * edit page tables without filling ioctl structs. Every function returns 0
 * (or a count) on success and a negative errno on failure; vmx_errmsg()
 * then has a one-line message saying what failed and, where one helps,
 * what to do. Results come back in the kernel interface's own structs
 * (uapi/vmx.h, installed beside this header), documented in libvmx(3) and
 * docs/uapi.md. Link: cc prog.c $(pkg-config --cflags --libs libvmx).
 *
 * Library and header are LGPL-2.1-or-later: a program that links them need
 * not be GPL. The module is GPL-2.0.
 */
#ifndef LIBVMX_VMX_H
#define LIBVMX_VMX_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "uapi/vmx.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LIBVMX_VERSION_MAJOR	0
#define LIBVMX_VERSION_MINOR	1

/* An open /dev/vmx, with the module's INFO read once. */
typedef struct vmx vmx_t;

/*
 * A process as vmx names it: its pid and its start time (field 22 of
 * /proc/pid/stat), which makes a request fail with -ESRCH rather than act
 * on another process that reused the pid.
 */
struct vmx_proc {
	pid_t pid;
	uint64_t start_time;
};

/* ---- The device ---- */

/*
 * Every function but vmx_open(), vmx_open_fd() and vmx_close() needs an
 * open handle (a NULL one crashes, as a NULL FILE * does). Open @path
 * (NULL: $VMX_DEVICE if set and the program is not setuid, else /dev/vmx)
 * and read INFO.
 * -ENOENT/-ENODEV: vmx.ko is not loaded; -EACCES/-EPERM: not root. A
 * module of an older ABI (vmx_get_info()->abi_version) answers INFO only:
 * every other call returns -EPROTO.
 */
int vmx_open(vmx_t **v, const char *path);
/* The same on a descriptor of the device opened by the caller (taken over). */
int vmx_open_fd(vmx_t **v, int fd);
void vmx_close(vmx_t *v);
int vmx_fd(const vmx_t *v);
/* What the module said at open: ABI, features (VMX_FEAT_*), paging ... */
const struct vmx_info *vmx_get_info(const vmx_t *v);
/* 1 if the module has every VMX_FEAT_* bit of @features, else 0. */
int vmx_has(const vmx_t *v, uint64_t features);
/* The last failure of this thread, one line ("" if none). */
const char *vmx_errmsg(void);
/* The library's version, "MAJOR.MINOR.PATCH". */
const char *vmx_lib_version(void);

/* ---- Processes ---- */

/* @pid with its start time from /proc; -ESRCH if there is no such process. */
int vmx_proc_of(pid_t pid, struct vmx_proc *p);
/* The calling process. */
int vmx_proc_self(struct vmx_proc *p);

/* ---- Reading ---- */

/*
 * The translation of one address, level by level (VMX_IOC_RESOLVE).
 * @flags: VMX_RESOLVE_KERNEL (@p ignored, may be NULL), VMX_RESOLVE_NO_PAGE.
 * Not mapped is an answer (r->result), not an error.
 */
int vmx_resolve(vmx_t *v, const struct vmx_proc *p, uint64_t addr,
		uint64_t flags, struct vmx_resolve *r);

/*
 * A dump of [@start, @end) (VMX_IOC_DUMP) read record by record. @flags:
 * VMX_DUMP_*; the records are struct vmx_entry, or struct vmx_raw_table
 * with VMX_DUMP_TABLES, or struct vmx_compact (vmx_compact_page without
 * VMX_DUMP_NO_PAGE) with VMX_DUMP_COMPACT. The module drops the target's
 * lock between batches: a running target may change meanwhile.
 */
typedef struct vmx_dump_iter vmx_dump_t;

int vmx_dump_open(vmx_t *v, vmx_dump_t **d, const struct vmx_proc *p,
		  uint64_t start, uint64_t end, uint64_t flags);
/* 1 and *@rec (valid until the next call) for a record, 0 at the end. */
int vmx_dump_next(vmx_dump_t *d, const void **rec);
/*
 * A whole batch instead: 1 and @n records (possibly 0: the module ends a
 * slice early when it has held the lock long enough) at *@recs, 0 at the
 * end. Mixing it with vmx_dump_next() skips what the other left.
 */
int vmx_dump_batch(vmx_dump_t *d, const void **recs, size_t *n);
/* Records per batch (default: 256 KiB of them); before the first read. */
int vmx_dump_set_batch(vmx_dump_t *d, size_t records);
/* Where the next batch starts: the range's end once it is all read. */
uint64_t vmx_dump_cursor(const vmx_dump_t *d);
/* The size of each record *@rec points to. */
size_t vmx_dump_record_size(const vmx_dump_t *d);
/* The target's root table, and its PTI user copy; 0 before the first read. */
void vmx_dump_roots(const vmx_dump_t *d, uint64_t *root_pa,
		    uint64_t *root_pa_user);
void vmx_dump_close(vmx_dump_t *d);

/* The same as a callback: @fn's nonzero return ends it and is returned. */
int vmx_dump_each(vmx_t *v, const struct vmx_proc *p, uint64_t start,
		  uint64_t end, uint64_t flags,
		  int (*fn)(const void *rec, void *arg), void *arg);

/* Every VMA, in address order, in a malloc()ed array (free() it). */
int vmx_vmas(vmx_t *v, const struct vmx_proc *p, struct vmx_vma **vmas,
	     size_t *n);

/*
 * The maple tree's nodes (VMX_IOC_MTREE) in a malloc()ed array (free()
 * it); @m gets the call's header (root, height, counts).
 */
int vmx_mtree(vmx_t *v, const struct vmx_proc *p, struct vmx_mtree *m,
	      struct vmx_mt_node **nodes);

/*
 * Read @len bytes at @addr from the frame that maps it now (VMX_IOC_PEEK:
 * within one 4K page). @out (may be NULL) gets the physical address read.
 */
int vmx_peek(vmx_t *v, const struct vmx_proc *p, uint64_t addr, void *buf,
	     size_t len, struct vmx_peek *out);

/* What the frame at physical address @pa is used for (VMX_IOC_PHYS). */
int vmx_phys(vmx_t *v, uint64_t pa, struct vmx_phys *out);

/* ---- Editing (module parameter allow_edits) ---- */

/*
 * Set and clear VMX_EDIT_* bits of the 4K PTE mapping @addr, under its
 * lock (VMX_IOC_EDIT). @flags: VMX_EDIT_EXPECT (then the entry must be
 * @expect, else -EAGAIN and @out has it as it is), VMX_EDIT_DRY_RUN,
 * VMX_EDIT_NO_FLUSH. -EPERM at allow_edits=0 (dry runs only) or under
 * lockdown; -EACCES when this level or this page does not permit it.
 * @out (may be NULL): old and new entry, whether flushed and tainted.
 */
int vmx_edit(vmx_t *v, const struct vmx_proc *p, uint64_t addr,
	     uint32_t set, uint32_t clear, uint64_t flags, uint64_t expect,
	     struct vmx_edit *out);

/* Flush the TLB of every CPU (VMX_IOC_TLB_FLUSH). */
int vmx_tlb_flush(vmx_t *v);

/* ---- Windows: pages of one process shown in another ---- */

/*
 * A window of @pages 4K pages in the calling process: an mmap of the
 * device, empty (SIGBUS on access) until pages are mapped into it.
 */
int vmx_window_open(vmx_t *v, size_t pages, void **addr);
int vmx_window_close(void *addr, size_t pages);

/*
 * VMX_REMAP_MAP, GRANT and RETARGET: @pages pages of @src from @src_addr
 * into @win's window at @win_addr (@win NULL: the calling process).
 * @flags: VMX_REMAP_READONLY. Returns the number of pages done.
 */
int vmx_map(vmx_t *v, const struct vmx_proc *src, uint64_t src_addr,
	    const struct vmx_proc *win, uint64_t win_addr, unsigned int pages,
	    uint64_t flags);
int vmx_grant(vmx_t *v, const struct vmx_proc *src, uint64_t src_addr,
	      const struct vmx_proc *win, uint64_t win_addr,
	      unsigned int pages, uint64_t flags);
int vmx_retarget(vmx_t *v, const struct vmx_proc *src, uint64_t src_addr,
		 const struct vmx_proc *win, uint64_t win_addr,
		 unsigned int pages, uint64_t flags);
/* The window's pages go (SIGBUS on access). Returns pages done. */
int vmx_revoke(vmx_t *v, const struct vmx_proc *win, uint64_t win_addr,
	       unsigned int pages);
/* Mapped window pages become read-only (@readonly) or read-write. */
int vmx_protect(vmx_t *v, const struct vmx_proc *win, uint64_t win_addr,
		unsigned int pages, int readonly);

/*
 * Any of the above by its VMX_REMAP_* number (@src NULL for REVOKE and
 * PROTECT). Returns pages done.
 */
int vmx_remap(vmx_t *v, unsigned int op, const struct vmx_proc *src,
	      uint64_t src_addr, const struct vmx_proc *win, uint64_t win_addr,
	      unsigned int pages, uint64_t flags);

/* Any request as it stands (for what this API does not cover yet). */
int vmx_ioctl(vmx_t *v, unsigned long request, void *arg);

#ifdef __cplusplus
}
#endif

#endif /* LIBVMX_VMX_H */
