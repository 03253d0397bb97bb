// SPDX-License-Identifier: GPL-2.0
/*
 * libvmx_check: every libvmx function against an oracle outside vmx:
 * /proc/pid/pagemap for frames, /proc/self/maps for VMAs, and the bytes
 * the processes themselves wrote. Prints "ok NAME" or "not ok NAME: why"
 * per check (45-libvmx.sh turns them into results), then "done N" after
 * N of them: without it the program died on the way. Exit 1 on a failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vmx.h"

#define PG	4096UL
#define NPAGES	16
#define PFN_MASK	((1ULL << 55) - 1)

static int failures, results;

static void check(int ok, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void check(int ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	results++;
	if (ok) {
		printf("ok %s\n", name);
		return;
	}
	failures++;
	printf("not ok %s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* The frame /proc/PID/pagemap gives for @addr, 0 if not present. */
static uint64_t pagemap_pfn(pid_t pid, uint64_t addr)
{
	char path[64];
	uint64_t w = 0;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	if (pread(fd, &w, 8, (off_t)(addr / PG * 8)) != 8)
		w = 0;
	close(fd);
	return (w >> 63) ? (w & PFN_MASK) : 0;
}

static void check_resolve(vmx_t *v, const struct vmx_proc *self, char *area)
{
	struct vmx_resolve r;
	int bad = 0, ret = 0;

	for (int i = 0; i < NPAGES && !bad; i++) {
		uint64_t addr = (uintptr_t)area + i * PG + 123;

		ret = vmx_resolve(v, self, addr, 0, &r);
		if (ret || r.result != VMX_RESOLVE_MAPPED ||
		    r.pa >> 12 != pagemap_pfn(getpid(), addr) || (r.pa & 0xfff) != 123)
			bad = i + 1;
	}
	check(!bad, "resolve_matches_pagemap", "page %d: ret %d, result %u, pa %#llx (%s)",
	      bad - 1, ret, r.result, (unsigned long long)r.pa, vmx_errmsg());
	ret = vmx_resolve(v, self, (uintptr_t)area, VMX_RESOLVE_NO_PAGE, &r);
	check(!ret && r.nr_steps >= 4 && r.steps[r.nr_steps - 1].level == VMX_LEVEL_PTE,
	      "resolve_steps", "ret %d, %u steps", ret, r.nr_steps);
}

/* A child with its own copy of a page: another process's frame. */
static void check_resolve_other(vmx_t *v, char *area)
{
	int ready[2], ret;
	struct vmx_resolve r;
	struct vmx_proc child;
	pid_t pid;
	char c;

	if (pipe(ready))
		return;
	pid = fork();
	if (pid == 0) {
		area[0] = 'c';	/* COW: the child's own frame */
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	if (read(ready[0], &c, 1) != 1)
		c = 0;
	ret = vmx_proc_of(pid, &child);
	if (!ret)
		ret = vmx_resolve(v, &child, (uintptr_t)area, 0, &r);
	check(!ret && r.result == VMX_RESOLVE_MAPPED &&
	      r.pa >> 12 == pagemap_pfn(pid, (uintptr_t)area) &&
	      r.pa >> 12 != pagemap_pfn(getpid(), (uintptr_t)area),
	      "resolve_other_process", "ret %d, pa %#llx, child's pagemap %#llx (%s)", ret,
	      (unsigned long long)r.pa,
	      (unsigned long long)pagemap_pfn(pid, (uintptr_t)area), vmx_errmsg());
	/* A stale start time names another process: refused. */
	child.start_time++;
	ret = vmx_resolve(v, &child, (uintptr_t)area, 0, &r);
	check(ret == -ESRCH && strstr(vmx_errmsg(), "VMX_IOC_RESOLVE"),
	      "resolve_stale_start_time", "ret %d, message '%s'", ret, vmx_errmsg());
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(ready[0]);
	close(ready[1]);
}

struct counted {
	int leaves, bad;
	char *area;
};

static int count_leaf(const void *rec, void *arg)
{
	const struct vmx_entry *e = rec;
	struct counted *c = arg;

	if (e->kind != VMX_KIND_LEAF || e->level != VMX_LEVEL_PTE)
		return 0;
	c->leaves++;
	if (e->pfn != pagemap_pfn(getpid(), e->va))
		c->bad++;
	return 0;
}

static void check_dump(vmx_t *v, const struct vmx_proc *self, char *area)
{
	uint64_t start = (uintptr_t)area, end = start + NPAGES * PG;
	struct counted each = { .area = area }, next = { .area = area };
	uint64_t root, root_user;
	size_t n, batched = 0, compact = 0;
	const void *rec;
	vmx_dump_t *d;
	int ret;

	ret = vmx_dump_each(v, self, start, end, VMX_DUMP_LEAVES, count_leaf, &each);
	check(!ret && each.leaves == NPAGES && !each.bad, "dump_each_matches_pagemap",
	      "ret %d, %d leaves (want %d), %d frames differ (%s)", ret, each.leaves,
	      NPAGES, each.bad, vmx_errmsg());

	ret = vmx_dump_open(v, &d, self, start, end, VMX_DUMP_LEAVES);
	if (ret) {
		check(0, "dump_next_equals_each", "vmx_dump_open: %s", vmx_errmsg());
		return;
	}
	while ((ret = vmx_dump_next(d, &rec)) == 1)
		count_leaf(rec, &next);
	vmx_dump_roots(d, &root, &root_user);
	check(!ret && next.leaves == each.leaves && !next.bad && root && root_user &&
	      vmx_dump_record_size(d) == sizeof(struct vmx_entry),
	      "dump_next_equals_each", "ret %d, %d leaves against %d, root %#llx",
	      ret, next.leaves, each.leaves, (unsigned long long)root);
	vmx_dump_close(d);

	ret = vmx_dump_open(v, &d, self, start, end, VMX_DUMP_COMPACT | VMX_DUMP_NO_PAGE |
			    VMX_DUMP_LEAVES);
	if (ret) {
		check(0, "dump_compact_batches", "vmx_dump_open: %s", vmx_errmsg());
		return;
	}
	ret = vmx_dump_set_batch(d, 3);
	while (ret == 0 && (ret = vmx_dump_batch(d, &rec, &n)) == 1) {
		ret = 0;
		const struct vmx_compact *c = rec;

		if (n > 3)
			batched = 1000;
		for (size_t i = 0; i < n; i++)
			compact += (c[i].va_info & 7) == VMX_LEVEL_PTE;
		batched += n;
	}
	check(!ret && compact == (size_t)each.leaves && batched == compact &&
	      vmx_dump_cursor(d) == end, "dump_compact_batches",
	      "ret %d, %zu compact PTE records in batches of 3 (want %d)", ret, compact,
	      each.leaves);
	vmx_dump_close(d);
}

static void check_vmas(vmx_t *v, const struct vmx_proc *self, char *area)
{
	struct vmx_mt_node *nodes = NULL;
	struct vmx_vma *vmas = NULL;
	struct vmx_mtree m;
	size_t n = 0, found = 0, lines = 0;
	char line[512];
	FILE *f;
	int ret;

	ret = vmx_vmas(v, self, &vmas, &n);
	for (size_t i = 0; i < n; i++)
		found += vmas[i].start == (uintptr_t)area && vmas[i].end == (uintptr_t)area + NPAGES * PG;
	/* maps lists [vsyscall] too, which is no VMA of the process. */
	f = fopen("/proc/self/maps", "r");
	while (f && fgets(line, sizeof(line), f))
		lines += !strstr(line, "[vsyscall]");
	if (f)
		fclose(f);
	check(!ret && found == 1 && n == lines, "vmas_match_maps",
	      "ret %d, %zu VMAs against %zu maps lines, area found %zu times", ret, n, lines,
	      found);
	ret = vmx_mtree(v, self, &m, &nodes);
	check(!ret && m.count == m.total && m.vmas == n, "mtree_counts_vmas",
	      "ret %d, %u nodes of %u, %u VMAs against %zu", ret, m.count, m.total, m.vmas, n);
	free(nodes);
	free(vmas);
}

static void check_peek_phys(vmx_t *v, const struct vmx_proc *self, char *area)
{
	char buf[32] = { 0 };
	struct vmx_peek pk;
	struct vmx_phys ph;
	int ret;

	memcpy(area + 3 * PG + 100, "libvmx peeks at this", 21);
	ret = vmx_peek(v, self, (uintptr_t)area + 3 * PG + 100, buf, 21, &pk);
	check(!ret && !memcmp(buf, "libvmx peeks at this", 21) &&
	      pk.pa >> 12 == pagemap_pfn(getpid(), (uintptr_t)area + 3 * PG),
	      "peek_reads_what_was_written", "ret %d, read '%.21s' (%s)", ret, buf,
	      vmx_errmsg());
	ret = vmx_phys(v, pk.pa, &ph);
	check(!ret && ph.type == VMX_PHYS_ANON && ph.refcount >= 1, "phys_says_anon",
	      "ret %d, type %u, refcount %d", ret, ph.type, ph.refcount);
}

static int allow_edits(void)
{
	FILE *f = fopen("/sys/module/vmx/parameters/allow_edits", "r");
	int level = -1;

	if (f) {
		if (fscanf(f, "%d", &level) != 1)
			level = -1;
		fclose(f);
	}
	return level;
}

static void check_edit(vmx_t *v, const struct vmx_proc *self, char *area)
{
	struct vmx_resolve r;
	struct vmx_edit e;
	int ret;

	area[5 * PG] = 1;	/* accessed and dirty */
	vmx_resolve(v, self, (uintptr_t)area + 5 * PG, 0, &r);
	ret = vmx_edit(v, self, (uintptr_t)area + 5 * PG, 0, VMX_EDIT_ACCESSED,
		       VMX_EDIT_DRY_RUN, 0, &e);
	check(!ret && e.old == r.steps[r.nr_steps - 1].entry && e.new == (e.old & ~0x20ULL),
	      "edit_dry_run", "ret %d, old %#llx (resolve %#llx), new %#llx (%s)", ret,
	      (unsigned long long)e.old,
	      (unsigned long long)r.steps[r.nr_steps - 1].entry,
	      (unsigned long long)e.new, vmx_errmsg());
	if (allow_edits() == 0) {
		ret = vmx_edit(v, self, (uintptr_t)area + 5 * PG, 0, VMX_EDIT_ACCESSED, 0, 0, &e);
		check(ret == -EPERM && strstr(vmx_errmsg(), "allow_edits"),
		      "edit_refused_at_level_0", "ret %d, message '%s'", ret, vmx_errmsg());
	} else {
		results++, printf("skip edit_refused_at_level_0: allow_edits is not 0\n");
	}
	ret = vmx_edit(v, self, (uintptr_t)area + 5 * PG, 0, VMX_EDIT_ACCESSED,
		       VMX_EDIT_DRY_RUN | VMX_EDIT_EXPECT, e.old ^ 1, &e);
	check(ret == -EAGAIN && e.old == r.steps[r.nr_steps - 1].entry,
	      "edit_expect_mismatch", "ret %d, old %#llx", ret, (unsigned long long)e.old);
	if (vmx_has(v, VMX_FEAT_TLB_FLUSH)) {
		ret = vmx_tlb_flush(v);
		check(!ret, "tlb_flush", "ret %d (%s)", ret, vmx_errmsg());
	} else {
		results++, printf("skip tlb_flush: not on this kernel\n");
	}
}

/* A shared page shown in a window of this process, then revoked. */
static void check_window(vmx_t *v, const struct vmx_proc *self)
{
	char *src = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	void *win;
	int ret, done;

	if (src == MAP_FAILED)
		return;
	strcpy(src, "through the window");
	ret = vmx_window_open(v, 2, &win);
	done = ret ? ret : vmx_map(v, self, (uintptr_t)src, NULL, (uintptr_t)win + PG, 1, 0);
	check(done == 1 && !strcmp((char *)win + PG, "through the window"),
	      "window_map_shows_source", "map returned %d (%s)", done, vmx_errmsg());
	if (done == 1) {
		strcpy((char *)win + PG, "written in the window");
		check(!strcmp(src, "written in the window"), "window_writes_reach_source",
		      "source reads '%s'", src);
		done = vmx_protect(v, NULL, (uintptr_t)win + PG, 1, 1);
		check(done == 1, "window_protect", "protect returned %d (%s)", done,
		      vmx_errmsg());
		done = vmx_revoke(v, NULL, (uintptr_t)win + PG, 1);
		check(done == 1, "window_revoke", "revoke returned %d (%s)", done, vmx_errmsg());
	}
	done = vmx_revoke(v, NULL, (uintptr_t)win + PG, 1);
	check(done == -ENOENT || done == 0, "window_revoke_empty",
	      "revoke of an empty page returned %d", done);
	if (!ret)
		vmx_window_close(win, 2);
	munmap(src, PG);
}

int main(void)
{
	const struct vmx_info *info;
	struct vmx_proc self, gone;
	struct vmx_resolve r;
	vmx_t *v;
	char *area;
	int ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	ret = vmx_open(&v, NULL);
	if (ret) {
		printf("not ok open: %s\n", vmx_errmsg());
		return 1;
	}
	info = vmx_get_info(v);
	check(info->abi_version == VMX_ABI_VERSION && vmx_has(v, VMX_FEAT_RESOLVE | VMX_FEAT_DUMP) &&
	      !vmx_has(v, 1ULL << 63) && !strcmp(vmx_lib_version(), "0.1.0"), "open_and_info",
	      "ABI %u, features %#llx", info->abi_version, (unsigned long long)info->features);
	ret = vmx_proc_self(&self);
	check(!ret && self.pid == getpid() && self.start_time, "proc_self",
	      "ret %d, pid %d, start %llu", ret, (int)self.pid,
	      (unsigned long long)self.start_time);
	ret = vmx_proc_of(999999, &gone);
	check(ret == -ESRCH && *vmx_errmsg(), "proc_of_missing", "ret %d", ret);

	area = mmap(NULL, NPAGES * PG, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED)
		return 1;
	madvise(area, NPAGES * PG, MADV_NOHUGEPAGE);
	for (int i = 0; i < NPAGES; i++)
		area[i * PG] = (char)i;

	check_resolve(v, &self, area);
	check_resolve_other(v, area);
	check_dump(v, &self, area);
	check_vmas(v, &self, area);
	check_peek_phys(v, &self, area);
	check_edit(v, &self, area);
	check_window(v, &self);

	gone.pid = 999999;
	gone.start_time = 1;
	ret = vmx_resolve(v, &gone, (uintptr_t)area, 0, &r);
	check(ret == -ESRCH && strstr(vmx_errmsg(), "no such process"), "error_message",
	      "ret %d, message '%s'", ret, vmx_errmsg());
	vmx_close(v);
	printf("done %d\n", results);
	return failures ? 1 : 0;
}
