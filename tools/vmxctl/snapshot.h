/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A snapshot of a process's page tables, in memory and as a file
 * (vmxctl snapshot; vmxctl diff reads two). The file, version 1: struct
 * snap_header, then @nvmas struct vmx_vma of @vma_size bytes, then
 * @nentries dump records (struct vmx_entry, tables and leaves, with page
 * data) of @entry_size bytes, in the dump's order. The sizes let a later
 * vmxctl whose structs grew read an older file, as the module's ABI does.
 * Native byte order (x86-64: little-endian).
 */
#ifndef VMXCTL_SNAPSHOT_H
#define VMXCTL_SNAPSHOT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "target.h"
#include "vmx.h"

#define SNAP_MAGIC	"VMXSNAP\n"
#define SNAP_VERSION	1

/* struct snap_header.flags */
#define SNAP_FROZEN	(1U << 0)	/* target stopped (SIGSTOP) throughout */
#define SNAP_PTI	(1U << 1)

struct snap_header {
	char magic[8];
	uint32_t version;
	uint32_t header_size;
	uint32_t vma_size;
	uint32_t entry_size;
	uint64_t nvmas;
	uint64_t nentries;
	int32_t pid;
	uint32_t flags;
	uint64_t start_time;	/* the target's, /proc/PID/stat field 22 */
	uint64_t taken_s;	/* CLOCK_REALTIME seconds when taken */
	uint64_t start, end;	/* the range dumped */
	uint64_t root_pa, root_pa_user;
	uint32_t levels;
	uint32_t abi_version;	/* the module's */
	char comm[64];
	char release[72];
};

struct snapshot {
	struct snap_header h;
	struct vmx_vma *vmas;
	struct vmx_entry *e;
	const char *source;	/* a file's path, or "live" */
};

/*
 * Take one of @t over [@start, @end); @freeze stops the target for it
 * (the caller's target_stop()/target_resume()). 0 or a libvmx -errno.
 */
int snapshot_take(vmx_t *dev, const struct vmx_info *in,
		  const struct target *t, uint64_t start, uint64_t end,
		  bool frozen, struct snapshot *s);
/* 0 or -errno (write errors included). */
int snapshot_write(const struct snapshot *s, FILE *f);
/*
 * 0, or -errno with a one-line reason in @why ("not a vmx snapshot",
 * "truncated", ...).
 */
int snapshot_read(const char *path, struct snapshot *s, char *why,
		  size_t size);
void snapshot_free(struct snapshot *s);

/* cmd_snapshot.c, for diff's live sides too. */
struct args;
/* "range START END" or the whole user half; a usage error reported. */
int snapshot_parse_range(const struct args *w, const struct vmx_info *in,
			 uint64_t *start, uint64_t *end);
/* Take @t's, stopping it unless @running; errors reported (exit status). */
int snapshot_of(vmx_t *dev, const struct vmx_info *in, struct target *t,
		uint64_t start, uint64_t end, bool running, struct snapshot *s);

#endif
