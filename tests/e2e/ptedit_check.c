// SPDX-License-Identifier: GPL-2.0
/*
 * ptedit_check: a program in PTEditor's style, built against libvmx's
 * ptedit_header.h, calling every function of docs/ptedit.md and checking
 * each against what vmx does not produce: /proc/pid/pagemap (frames,
 * soft-dirty), the bytes the processes wrote, the CPU setting the accessed
 * bit on an access, the kernel's "x86/PAT: Configuration" line. Run at
 * allow_edits=1 (46-ptedit.sh). Prints "ok NAME" / "not ok NAME: why",
 * then "done N".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/klog.h>
#include <sys/wait.h>

#include "ptedit_header.h"

#define PG	4096UL

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

/* pagemap's word for @addr in @pid. */
static uint64_t pagemap(pid_t pid, void *addr)
{
	char path[64];
	uint64_t w = 0;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	if (pread(fd, &w, 8, (off_t)((uintptr_t)addr / PG * 8)) != 8)
		w = 0;
	close(fd);
	return w;
}

#define PM_PFN(w)	((w) & ((1ULL << 55) - 1))
#define PM_SOFT_DIRTY	(1ULL << 55)

/* echo 4 > /proc/self/clear_refs: soft-dirty off for every page and VMA. */
static void clear_refs_4(void)
{
	int fd = open("/proc/self/clear_refs", O_WRONLY);

	if (fd >= 0) {
		if (write(fd, "4", 1) != 1)
			perror("clear_refs");
		close(fd);
	}
}

/* stderr of @fn into @buf: the refusals' one line. */
static void stderr_of(void (*fn)(void *), void *arg, char *buf, size_t len)
{
	FILE *tmp = tmpfile();
	int saved = dup(2);
	size_t n = 0;

	fflush(stderr);
	dup2(fileno(tmp), 2);
	fn(arg);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	n = fread(buf, 1, len - 1, tmp);
	buf[n] = '\0';
	fclose(tmp);
}

/* stdout of @fn into @buf: the printed tables. */
static void stdout_of(void (*fn)(void *), void *arg, char *buf, size_t len)
{
	FILE *tmp = tmpfile();
	int saved = dup(1);
	size_t n = 0;

	fflush(stdout);
	dup2(fileno(tmp), 1);
	fn(arg);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	rewind(tmp);
	n = fread(buf, 1, len - 1, tmp);
	buf[n] = '\0';
	fclose(tmp);
}

/* @s without its ANSI colour sequences, in place. */
static void strip_ansi(char *s)
{
	char *d = s;

	while (*s) {
		if (*s == '\x1b') {
			while (*s && *s != 'm')
				s++;
			if (*s)
				s++;
			continue;
		}
		*d++ = *s++;
	}
	*d = '\0';
}

static char *page;

static void do_set_pfn(void *pfn)
{
	ptedit_pte_set_pfn(page, 0, *(size_t *)pfn);
}

static void do_write_phys(void *pfn)
{
	char buf[PG];

	memset(buf, 'X', sizeof(buf));
	ptedit_write_physical_page(*(size_t *)pfn, buf);
}

static void do_pmap(void *ret)
{
	*(void **)ret = ptedit_pmap(0x1000, PG);
}

static void do_set_root(void *unused)
{
	(void)unused;
	ptedit_set_paging_root(0, ptedit_get_paging_root(0));
}

static void do_set_mts(void *unused)
{
	(void)unused;
	ptedit_set_mts(0);
	ptedit_set_mt(0, PTEDIT_MT_UC);
}

static void do_clear_dirty(void *unused)
{
	(void)unused;
	ptedit_pte_clear_bit(page, 0, PTEDIT_PAGE_BIT_DIRTY);
}

static void do_clear_nx(void *unused)
{
	(void)unused;
	ptedit_pte_clear_bit(page, 0, PTEDIT_PAGE_BIT_NX);
}

static void do_bad_bit(void *ret)
{
	*(int *)ret = ptedit_pte_get_bit(page, 0, 64);
	ptedit_pte_set_bit(page, 0, -1);
}

static void do_update_pmd(void *e)
{
	ptedit_entry_t *entry = e;

	entry->pmd ^= 1ULL << PTEDIT_PAGE_BIT_USER;
	entry->valid = PTEDIT_VALID_MASK_PMD;
	ptedit_update(page, 0, entry);
}

static void do_use_user(void *unused)
{
	(void)unused;
	ptedit_use_implementation(PTEDIT_IMPL_USER);
}

static void do_read_phys(void *pfn)
{
	static char buf[PG];

	memset(buf, 'Z', sizeof(buf));
	ptedit_read_physical_page(*(size_t *)pfn, buf);
	if (buf[0] != 'Z')
		fprintf(stderr, "buffer written\n");
}

static void do_print_pte(void *entry)
{
	ptedit_print_entry(*(size_t *)entry);
}

static void do_print_entry_t(void *entry)
{
	ptedit_print_entry_t(*(ptedit_entry_t *)entry);
}

static int popcount(size_t v)
{
	return __builtin_popcountll(v);
}

static void check_resolve(void)
{
	ptedit_entry_t e = ptedit_resolve(page + 77, 0);
	uint64_t w = pagemap(getpid(), page);

	check((e.valid & (PTEDIT_VALID_MASK_PGD | PTEDIT_VALID_MASK_P4D | PTEDIT_VALID_MASK_PUD |
			  PTEDIT_VALID_MASK_PMD | PTEDIT_VALID_MASK_PTE)) == 0x1f &&
	      ptedit_get_pfn(e.pte) == PM_PFN(w) && e.vaddr == (size_t)(page + 77) && e.pid == 0,
	      "resolve_own_page", "valid %#zx, pte %#zx, pagemap pfn %#llx", e.valid, e.pte,
	      (unsigned long long)PM_PFN(w));
	check(ptedit_pte_get_pfn(page, 0) == PM_PFN(w) &&
	      ptedit_get_pfn(e.pte) == (size_t)ptedit_cast(e.pte, ptedit_pte_t).pfn,
	      "pte_get_pfn_and_cast", "pte_get_pfn %#zx, pagemap %#llx",
	      ptedit_pte_get_pfn(page, 0), (unsigned long long)PM_PFN(w));
	e = ptedit_resolve(page, -1);
	check(e.valid == 0 && e.pte == 0, "resolve_no_such_pid", "valid %#zx", e.valid);
	e = ptedit_resolve(NULL, 0);
	check(!(e.valid & PTEDIT_VALID_MASK_PTE) || !(e.pte & 1), "resolve_null_unmapped",
	      "valid %#zx, pte %#zx", e.valid, e.pte);
}

/* A forked child writes its copy: another process's own frame. */
static void check_other_process(void)
{
	int ready[2];
	pid_t pid;
	char c;

	if (pipe(ready))
		return;
	pid = fork();
	if (pid == 0) {
		page[0] = 'c';
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	if (read(ready[0], &c, 1) != 1)
		c = 0;
	{
		ptedit_entry_t e = ptedit_resolve(page, pid);
		size_t child_pfn = PM_PFN(pagemap(pid, page));
		size_t root = ptedit_get_paging_root(pid), own = ptedit_get_paging_root(0);
		char buf[512];

		check(e.valid & PTEDIT_VALID_MASK_PTE && ptedit_get_pfn(e.pte) == child_pfn &&
		      child_pfn != PM_PFN(pagemap(getpid(), page)), "resolve_other_process",
		      "child pfn %#zx, resolved %#zx", child_pfn, ptedit_get_pfn(e.pte));
		check(root && own && root != own && !(root % PG) && !(own % PG) &&
		      ptedit_get_paging_root(0) == own && ptedit_get_paging_root(-1) == 0,
		      "get_paging_root", "own %#zx, child's %#zx", own, root);
		/* The child's frame is not mapped here: not read. */
		stderr_of(do_read_phys, &child_pfn, buf, sizeof(buf));
		check(strstr(buf, "ptedit_read_physical_page") && strstr(buf, "not mapped here") &&
		      !strstr(buf, "buffer written"), "read_physical_page_refused_unmapped",
		      "stderr '%s'", buf);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(ready[0]);
	close(ready[1]);
}

/* The CPU sets A on an access after the TLB was flushed. */
static void check_bits(void)
{
	volatile char *p = page;
	char buf[512];

	p[0] = 1;
	check(ptedit_pte_get_bit(page, 0, PTEDIT_PAGE_BIT_ACCESSED) == 1 &&
	      ptedit_pte_get_bit(page, 0, PTEDIT_PAGE_BIT_DIRTY) == 1, "bits_after_write",
	      "A %d, D %d", ptedit_pte_get_bit(page, 0, PTEDIT_PAGE_BIT_ACCESSED),
	      ptedit_pte_get_bit(page, 0, PTEDIT_PAGE_BIT_DIRTY));
	ptedit_pte_clear_bit(page, 0, PTEDIT_PAGE_BIT_ACCESSED);
	check(ptedit_pte_get_bit(page, 0, PTEDIT_PAGE_BIT_ACCESSED) == 0, "clear_accessed",
	      "A still set (allow_edits 1?)");
	ptedit_invalidate_tlb(page);
	(void)p[1];
	check(ptedit_pte_get_bit(page, 0, PTEDIT_PAGE_BIT_ACCESSED) == 1,
	      "accessed_again_after_access", "the read did not set A");

	/*
	 * Soft-dirty (Linux's SOFTW3) as pagemap bit 55 sees it, where built
	 * in. A new VMA reads soft-dirty whatever its PTEs say until
	 * clear_refs 4 clears it; the write after sets the PTE's bit.
	 */
	clear_refs_4();
	p[2] = 2;
	if (!(pagemap(getpid(), page) & PM_SOFT_DIRTY)) {
		results += 2;
		printf("skip clear_soft_dirty_pagemap: no soft-dirty in this kernel\n");
		printf("skip soft_dirty_after_write: no soft-dirty in this kernel\n");
		goto rw;
	}
	ptedit_pte_clear_bit(page, 0, PTEDIT_PAGE_BIT_SOFTW3);
	check(!(pagemap(getpid(), page) & PM_SOFT_DIRTY) &&
	      !ptedit_pte_get_bit(page, 0, PTEDIT_PAGE_BIT_SOFTW3), "clear_soft_dirty_pagemap",
	      "pagemap %#llx", (unsigned long long)pagemap(getpid(), page));
	p[2] = 2;
	check(!!(pagemap(getpid(), page) & PM_SOFT_DIRTY), "soft_dirty_after_write",
	      "pagemap %#llx", (unsigned long long)pagemap(getpid(), page));

rw:
	/* Write-protect: the next write faults and the kernel makes it writable. */
	ptedit_pte_clear_bit(page, 0, PTEDIT_PAGE_BIT_RW);
	check(ptedit_pte_get_bit(page, 0, PTEDIT_PAGE_BIT_RW) == 0, "clear_rw", "RW still set");
	p[3] = 3;
	check(ptedit_pte_get_bit(page, 0, PTEDIT_PAGE_BIT_RW) == 1 && p[3] == 3 && p[0] == 1,
	      "write_after_clear_rw", "RW %d, bytes %d %d",
	      ptedit_pte_get_bit(page, 0, PTEDIT_PAGE_BIT_RW), p[0], p[3]);

	/* Clearing dirty needs allow_edits=2: refused here, said so, bit kept. */
	stderr_of(do_clear_dirty, NULL, buf, sizeof(buf));
	check(strstr(buf, "ptedit_update") && strstr(buf, "allow_edits") &&
	      ptedit_pte_get_bit(page, 0, PTEDIT_PAGE_BIT_DIRTY) == 1,
	      "clear_dirty_refused_at_level_1", "stderr '%s'", buf);
	ptedit_pte_set_bit(page, 0, PTEDIT_PAGE_BIT_ACCESSED);
	check(ptedit_pte_get_bit(page, 0, PTEDIT_PAGE_BIT_ACCESSED) == 1, "set_accessed_no_change",
	      "A lost");
	/* NX is a bit vmx edits, at allow_edits=2: refused here for the level. */
	stderr_of(do_clear_nx, NULL, buf, sizeof(buf));
	check(strstr(buf, "allow_edits") && !strstr(buf, "frame") &&
	      ptedit_pte_get_bit(page, 0, PTEDIT_PAGE_BIT_NX) == 1, "clear_nx_refused_for_level",
	      "stderr '%s'", buf);
	{
		int got = -1;

		stderr_of(do_bad_bit, &got, buf, sizeof(buf));
		check(got == 0 && strstr(buf, "bit 64") && strstr(buf, "bit -1"), "bit_out_of_range",
		      "get_bit(64) %d, stderr '%s'", got, buf);
	}
}

static void check_refusals(char *other)
{
	size_t other_pfn = ptedit_pte_get_pfn(other, 0), pfn = ptedit_pte_get_pfn(page, 0);
	ptedit_entry_t e = ptedit_resolve(page, 0), before = e;
	void *mapped = NULL;
	char buf[512];

	stderr_of(do_set_pfn, &other_pfn, buf, sizeof(buf));
	check(strstr(buf, "window") && ptedit_pte_get_pfn(page, 0) == pfn && page[0] == 1,
	      "set_pfn_refused", "stderr '%s', pfn %#zx -> %#zx", buf, pfn,
	      ptedit_pte_get_pfn(page, 0));
	stderr_of(do_update_pmd, &e, buf, sizeof(buf));
	check(strstr(buf, "PMD") && ptedit_resolve(page, 0).pmd == before.pmd &&
	      e.vaddr == (size_t)page, "update_pmd_refused", "stderr '%s'", buf);
	stderr_of(do_write_phys, &pfn, buf, sizeof(buf));
	check(strstr(buf, "ptedit_write_physical_page") && page[0] == 1,
	      "write_physical_page_refused", "stderr '%s', byte %d", buf, page[0]);
	stderr_of(do_pmap, &mapped, buf, sizeof(buf));
	check(mapped == MAP_FAILED && strstr(buf, "ptedit_pmap"), "pmap_refused", "'%s'", buf);
	stderr_of(do_set_root, NULL, buf, sizeof(buf));
	check(strstr(buf, "ptedit_set_paging_root") != NULL, "set_paging_root_refused", "'%s'", buf);
	stderr_of(do_use_user, NULL, buf, sizeof(buf));
	check(strstr(buf, "/proc/umem") != NULL, "use_implementation_user_refused", "'%s'", buf);
}

/* The kernel's "x86/PAT: Configuration [0-7]: WB  WC ..." line. */
static int kernel_pat(char names[8][8])
{
	int len = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	char *log, *line;
	int n = 0;

	if (len <= 0)
		return 0;
	log = calloc(1, (size_t)len + 1);
	if (!log)
		return 0;
	len = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, log, len);
	line = len > 0 ? strstr(log, "x86/PAT: Configuration [0-7]: ") : NULL;
	if (line)
		n = sscanf(line + 30, "%7s %7s %7s %7s %7s %7s %7s %7s", names[0], names[1],
			   names[2], names[3], names[4], names[5], names[6], names[7]);
	free(log);
	return n;
}

static void check_memory_types(void)
{
	size_t mts = ptedit_get_mts(), after;
	char names[8][8], buf[512];
	int same = 1, n = kernel_pat(names);

	for (int i = 0; i < n; i++)
		same &= !strcmp(ptedit_mt_to_string((unsigned char)ptedit_get_mt(i)), names[i]);
	if (n == 8)
		check(same && mts, "get_mts_matches_kernel_log", "PAT %#zx", mts);
	else
		results++, printf("skip get_mts_matches_kernel_log: no x86/PAT line\n");
	check(ptedit_find_first_mt(PTEDIT_MT_WB) >= 0 && ptedit_find_first_mt(PTEDIT_MT_UC) >= 0 &&
	      (ptedit_find_mt(PTEDIT_MT_WB) >> ptedit_find_first_mt(PTEDIT_MT_WB) & 1) &&
	      ptedit_get_mt((unsigned char)ptedit_find_first_mt(PTEDIT_MT_UC)) == PTEDIT_MT_UC,
	      "find_mt", "WB %#x, UC %#x", ptedit_find_mt(PTEDIT_MT_WB), ptedit_find_mt(PTEDIT_MT_UC));
	stderr_of(do_set_mts, NULL, buf, sizeof(buf));
	after = ptedit_get_mts();
	check(after == mts && strstr(buf, "ptedit_set_mts") && strstr(buf, "ptedit_set_mt"),
	      "set_mts_refused", "PAT %#zx -> %#zx, '%s'", mts, after, buf);
	check(ptedit_extract_mt(ptedit_apply_mt(0, 5)) == 5 &&
	      ptedit_extract_mt(ptedit_apply_mt(~0ULL, 2)) == 2 &&
	      ptedit_extract_mt_huge(ptedit_apply_mt_huge(0, 5)) == 5 &&
	      ptedit_extract_mt_huge(ptedit_apply_mt_huge(~0ULL, 2)) == 2 &&
	      ptedit_apply_mt(0, 0) == 0 && ptedit_apply_mt(0, 1) == 8 &&
	      ptedit_apply_mt_huge(0, 4) == 1ULL << 12 && ptedit_apply_mt(0, 4) == 1ULL << 7,
	      "apply_extract_mt", "apply(0,1) %#zx", ptedit_apply_mt(0, 1));
	check(!strcmp(ptedit_mt_to_string(PTEDIT_MT_UCMINUS), "UC-") &&
	      !strcmp(ptedit_mt_to_string(PTEDIT_MT_WB), "WB") && !ptedit_mt_to_string(8),
	      "mt_to_string", "names differ");
}

static void check_pure_and_misc(void)
{
	check(ptedit_set_pfn(0, 0) == 0 && ptedit_set_pfn(ptedit_set_pfn(0, 1234), 0) == 0 &&
	      ptedit_set_pfn(0, 2) > ptedit_set_pfn(0, 1) && ptedit_set_pfn(~0ULL, 0) != 0 &&
	      ptedit_get_pfn(ptedit_set_pfn(0x8000000000000067ULL, 0x1234)) == 0x1234 &&
	      (ptedit_set_pfn(0x8000000000000067ULL, 0x1234) & 0x8000000000000fffULL) == 0x8000000000000067ULL,
	      "get_set_pfn", "a pure pfn helper is wrong");
	check(ptedit_get_pagesize() == (int)sysconf(_SC_PAGESIZE), "get_pagesize", "%d",
	      ptedit_get_pagesize());
	check(ptedit_switch_tlb_invalidation(PTEDITOR_TLB_INVALIDATION_KERNEL) == 0 &&
	      ptedit_switch_tlb_invalidation(PTEDITOR_TLB_INVALIDATION_CUSTOM) == 0 &&
	      ptedit_switch_tlb_invalidation(3) != 0, "switch_tlb_invalidation", "wrong answer");
	ptedit_full_serializing_barrier();
	check(page[0] == 1, "full_serializing_barrier", "memory changed");
}

static void check_read_physical(void)
{
	static char buf[PG];
	size_t pfn = ptedit_pte_get_pfn(page, 0);

	memset(page + 100, 'q', 50);
	ptedit_read_physical_page(pfn, buf);
	check(!memcmp(buf, page, PG), "read_physical_page_own", "pfn %#zx differs", pfn);
}

static void check_print(void)
{
	ptedit_entry_t e = ptedit_resolve(page, 0);
	char out[8192], line2[128], want[32];
	int lines = 0;

	stdout_of(do_print_pte, &e.pte, out, sizeof(out));
	strip_ansi(out);
	snprintf(want, sizeof(want), "%#zx", ptedit_get_pfn(e.pte));
	sscanf(out, "%*[^\n]\n%*[^\n]\n%127[^\n]", line2);
	for (char *s = out; *s; s++)
		lines += *s == '\n';
	check(lines == 4 && !strncmp(out, "+--+------------------+", 23) && strlen(line2) == 51 &&
	      strstr(line2, want) && line2[strlen(line2) - 2] == '1', "print_entry",
	      "%d lines, value line '%s' (pfn %s)", lines, line2, want);
	stdout_of(do_print_entry_t, &e, out, sizeof(out));
	lines = 0;
	for (char *s = strstr(out, " of address"); s; s = strstr(s + 1, " of address"))
		lines++;
	check(lines == popcount(e.valid) && strstr(out, "PTE of address\n"), "print_entry_t",
	      "%d titles for valid %#zx", lines, e.valid);
}

int main(void)
{
	char *other;

	setvbuf(stdout, NULL, _IOLBF, 0);
	check(ptedit_init() == 0 && ptedit_init() == 0, "init", "cannot open the device");
	page = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		return 1;
	madvise(page, 2 * PG, MADV_NOHUGEPAGE);
	other = page + PG;
	page[0] = 1;
	other[0] = 2;

	check_resolve();
	check_other_process();
	check_bits();
	check_refusals(other);
	check_memory_types();
	check_pure_and_misc();
	check_read_physical();
	check_print();

	ptedit_cleanup();
	check(ptedit_resolve(page, 0).valid == 0, "cleanup", "still resolves");
	printf("done %d\n", results);
	return failures ? 1 : 0;
}
