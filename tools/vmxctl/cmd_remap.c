// SPDX-License-Identifier: GPL-2.0
/*
 * vmxctl map|grant|retarget SRCPID SRCADDR WINPID WINADDR [PAGES] [ro]
 * vmxctl revoke WINPID WINADDR [PAGES]
 * vmxctl protect WINPID WINADDR [PAGES] ro|rw
 * One VMX_IOC_REMAP on the pages of a vmx window (an mmap of /dev/vmx, see
 * 'vmxctl window open'); the kernel side is described in docs/remaps.md.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "args.h"
#include "target.h"
#include "vmastat.h"
#include "vmxctl.h"

/* What tells the five commands apart. */
struct remap_cmd {
	const char *name;	/* command word and JSON "op" */
	const char *verb;	/* text output: "mapped 4 pages: ..." */
	uint32_t op;		/* VMX_REMAP_* */
	bool has_src;		/* takes SRCPID SRCADDR */
	bool needs_mode;	/* protect: ro or rw must be said */
};

static const struct remap_cmd remap_map = {
	"map", "mapped", VMX_REMAP_MAP, true, false
};
static const struct remap_cmd remap_grant = {
	"grant", "granted", VMX_REMAP_GRANT, true, false
};
static const struct remap_cmd remap_retarget = {
	"retarget", "retargeted", VMX_REMAP_RETARGET, true, false
};
static const struct remap_cmd remap_revoke = {
	"revoke", "revoked", VMX_REMAP_REVOKE, false, false
};
static const struct remap_cmd remap_protect = {
	"protect", NULL, VMX_REMAP_PROTECT, false, true
};

struct remap_args {
	const struct remap_cmd *cmd;
	struct target src;	/* unused by revoke and protect */
	struct target win;
	uint64_t src_addr;
	uint64_t win_addr;
	uint32_t pages;
	bool readonly;
};

/* ---- Arguments: syntax only, so they fail the same without a module ---- */

/* The kernel moves whole pages: an unaligned address is a typo, not a
 * request to round.
 */
static int parse_page_addr(const char *s, const char *cmd, const char *role,
			   uint64_t *addr)
{
	if (parse_number(s, addr))
		return usage_error("'%s' is not an address: give it in hex (0x...) or decimal",
				   s);
	if (*addr & (VMXCTL_PAGE_SIZE - 1))
		return usage_error("%s: %s address 0x%" PRIx64 " is not page-aligned (a multiple of %llu)",
				   cmd, role, *addr, VMXCTL_PAGE_SIZE);
	return EXIT_OK;
}

static int parse_pages(const char *s, uint32_t *pages)
{
	uint64_t n;

	if (parse_number(s, &n) || n < 1 || n > VMX_REMAP_MAX_PAGES)
		return usage_error("'%s' is not a page count: give 1 to %d",
				   s, VMX_REMAP_MAX_PAGES);
	*pages = (uint32_t)n;
	return EXIT_OK;
}

static int parse_remap_args(int argc, char **argv, struct remap_args *a)
{
	const char *name = a->cmd->name;
	int fixed = a->cmd->has_src ? 4 : 2;
	const char **p;
	struct args w;
	int ret = args_parse(name, argc, argv, fixed + 1, &w);

	if (ret)
		return ret;
	if (w.npos < fixed)
		return usage_error(a->cmd->has_src ?
				   "%s needs a source pid and address, then a window pid and address" :
				   "%s needs the window's pid and address", name);
	p = w.pos;
	if (a->cmd->has_src) {
		ret = args_pid(p[0], &a->src) ?:
		      parse_page_addr(p[1], name, "source", &a->src_addr);
		p += 2;
	}
	ret = ret ?: args_pid(p[0], &a->win) ?:
	      parse_page_addr(p[1], name, "window", &a->win_addr);
	a->pages = 1;
	if (!ret && w.npos > fixed)
		ret = parse_pages(p[2], &a->pages);
	if (ret)
		return ret;
	if (args_has(&w, "ro") && args_has(&w, "rw"))
		return usage_error("%s: ro and rw both given", name);
	a->readonly = args_has(&w, "ro");
	if (a->cmd->needs_mode && !a->readonly && !args_has(&w, "rw"))
		return usage_error("%s needs ro or rw after the window address and pages",
				   name);
	return EXIT_OK;
}

/* ---- Checks that need the module or /proc ---- */

static int check_remap_addrs(const struct remap_args *a, const struct vmx_info *in)
{
	int ret = EXIT_OK;

	if (a->cmd->has_src)
		ret = check_user_addr(in, a->cmd->name, a->src_addr);
	if (!ret)
		ret = check_user_addr(in, a->cmd->name, a->win_addr);
	return ret;
}

/* grant needs a kernel that lets modules zap ordinary VMAs; map and the
 * rest only touch the window's own VMA.
 */
static int grant_unsupported(void)
{
	return runtime_error(EOPNOTSUPP, "see docs/remaps.md",
			     "grant is not supported on this kernel (no exported zap function for ordinary VMAs)");
}

static int check_remap_feature(const struct remap_args *a, const struct vmx_info *in)
{
	if (a->cmd->op == VMX_REMAP_GRANT && !(in->features & VMX_FEAT_GRANT))
		return grant_unsupported();
	return EXIT_OK;
}

/* target_parse() leaves start_time 0 for a pid /proc does not know, which
 * the kernel would refuse as EINVAL: say what is really wrong.
 */
static int check_exists(const struct target *t, const char *role)
{
	if (t->start_time)
		return EXIT_OK;
	return runtime_error(ESRCH, NULL, "%s pid %d does not exist", role,
			     (int)t->pid);
}

static int check_remap_targets(const struct remap_args *a)
{
	int ret = EXIT_OK;

	if (a->cmd->has_src)
		ret = check_exists(&a->src, "source");
	if (!ret)
		ret = check_exists(&a->win, "window");
	return ret;
}

/* ---- The request ---- */

/* The request: pages done, or -errno. */
static int do_remap(vmx_t *dev, const struct remap_args *a)
{
	struct vmx_proc src = target_proc(&a->src), win = target_proc(&a->win);

	return vmx_remap(dev, a->cmd->op, a->cmd->has_src ? &src : NULL,
			 a->cmd->has_src ? a->src_addr : 0, &win, a->win_addr,
			 a->pages, a->readonly ? VMX_REMAP_READONLY : 0);
}

/* ---- Errors ---- */

/* ESRCH: the pid now names another process, or none. */
static bool process_changed(const struct target *t)
{
	struct target now;
	char pid[16];

	snprintf(pid, sizeof(pid), "%d", (int)t->pid);
	return target_parse(pid, &now) || now.start_time != t->start_time;
}

/* ENXIO: a kernel thread or an exiting process, whose maps read empty. */
static bool process_without_mm(const struct target *t)
{
	char path[64];
	bool empty;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)t->pid);
	f = fopen(path, "r");
	if (!f)
		return false;
	empty = fgetc(f) == EOF;
	fclose(f);
	return empty;
}

/* The kernel's errno does not say which of the two processes it is about:
 * look at them again. NULL when neither (or both) looks guilty.
 */
static const struct target *which_process(const struct remap_args *a,
					  bool (*guilty)(const struct target *))
{
	bool win = guilty(&a->win);

	if (!a->cmd->has_src)
		return &a->win;
	if (guilty(&a->src) == win)
		return NULL;
	return win ? &a->win : &a->src;
}

static const char *role_of(const struct remap_args *a, const struct target *t)
{
	return t == &a->src ? "source" : "window";
}

static int process_error(int err, const struct remap_args *a)
{
	bool gone = err == ESRCH;
	const struct target *t = which_process(a, gone ? process_changed :
					       process_without_mm);
	const char *what = gone ? "is gone (or was reused)" : "has no user address space";
	const char *hint = gone ? NULL : "kernel threads have no user address space";

	if (t)
		return runtime_error(err, hint, "%s pid %d %s", role_of(a, t),
				     (int)t->pid, what);
	return runtime_error(err, hint, "source pid %d or window pid %d %s",
			     (int)a->src.pid, (int)a->win.pid, what);
}

/*
 * The window (a mapping of the vmx device) holding @addr in @t, from the
 * module's own VMA list: 0 with its bounds, or -1 when there is none. The
 * device is known by its inode, whatever path opened it.
 */
static int window_extent(vmx_t *vdev, const struct target *t, uint64_t addr,
			 uint64_t *start, uint64_t *end)
{
	const char *dev = ctl_device_path();
	struct vma_stat *v;
	struct stat st;
	bool by_inode = !stat(dev, &st);
	int found = -1;
	size_t n;

	if (vmas_read(vdev, t, &v, &n))
		return -1;
	for (size_t i = 0; i < n && found; i++) {
		const struct vmx_vma *m = &v[i].v;

		if (addr < m->start || addr >= m->end)
			continue;
		if (by_inode ? m->inode == st.st_ino && m->dev_major == major(st.st_dev) &&
			       m->dev_minor == minor(st.st_dev) :
			       !strcmp(m->name, dev)) {
			*start = m->start;
			*end = m->end;
			found = 0;
		}
	}
	free(v);
	return found;
}

/* ENOENT: no window there, past its end, or nothing in the slots. */
static int enoent_error(int err, vmx_t *dev, const struct remap_args *a)
{
	uint64_t start, end, want = a->win_addr + a->pages * VMXCTL_PAGE_SIZE;
	char hint[64];

	snprintf(hint, sizeof(hint), "'vmxctl window open %u' makes one", a->pages);
	if (window_extent(dev, &a->win, a->win_addr, &start, &end))
		return runtime_error(err, hint, "no vmx window at 0x%" PRIx64 " in pid %d",
				     a->win_addr, (int)a->win.pid);
	if (want > end)
		return runtime_error(err, NULL,
				     "past the window's end: the window at 0x%" PRIx64 " holds %" PRIu64 " pages, %" PRIu64 " from 0x%" PRIx64,
				     start, (uint64_t)((end - start) / VMXCTL_PAGE_SIZE),
				     (uint64_t)((end - a->win_addr) / VMXCTL_PAGE_SIZE), a->win_addr);
	if (a->cmd->op == VMX_REMAP_GRANT)
		return runtime_error(err, NULL,
				     "nothing to grant at 0x%" PRIx64 " in pid %d (never written, the zero page, or granted already)",
				     a->src_addr, (int)a->src.pid);
	return runtime_error(err, "map or grant fills window pages first (an empty one reads as SIGBUS in the window)",
			     "no page mapped in the window at 0x%" PRIx64 " (revoke, protect and retarget need mapped window pages)",
			     a->win_addr);
}

/* EBUSY: MMU notifiers, or a grant in progress holding the slots. */
static int ebusy_error(int err, const struct remap_args *a)
{
	bool fills = a->cmd->op == VMX_REMAP_MAP || a->cmd->op == VMX_REMAP_GRANT;

	return runtime_error(err, fills ? "a grant's hold ends with it: try again" : NULL,
			     "%s has MMU notifiers (KVM, an IOMMU, HMM) that would keep stale copies%s",
			     a->cmd->has_src ? "the source or the window process" : "the window's process",
			     fills ? ", or a grant in progress holds these window pages" : "");
}

static int remap_error(int err, vmx_t *dev, const struct remap_args *a)
{
	switch (err) {
	case ESRCH:
	case ENXIO:
		return process_error(err, a);
	case EINTR:
		return runtime_error(err, NULL, "interrupted");
	case ENOENT:
		return enoent_error(err, dev, a);
	case EEXIST:
		return runtime_error(err, "retarget replaces a mapped page, revoke empties it",
				     "the window in pid %d already has a page mapped at 0x%" PRIx64 "%s",
				     (int)a->win.pid, a->win_addr,
				     a->pages > 1 ? " or after it" : "");
	case EBUSY:
		return ebusy_error(err, a);
	case EINVAL:
		return runtime_error(err, "docs/remaps.md has the rules",
				     "refused: the range must lie inside one window and one source VMA; map takes shared pages (MAP_SHARED memory, files), grant private anonymous ones");
	case EFAULT:
		return runtime_error(err, NULL, "the source pages could not be pinned: not mapped, or not writable (add ro)");
	case EPERM:
		return runtime_error(err, NULL, "refused: the kernel is locked down (or the caller lacks CAP_SYS_ADMIN)");
	case EOPNOTSUPP:
		if (a->cmd->op == VMX_REMAP_GRANT)
			return grant_unsupported();
		return runtime_error(err, "vmxctl info lists what this module supports here",
				     "%s: not supported on this kernel", a->cmd->name);
	default:
		return target_error(err, a->win.pid, "VMX_IOC_REMAP", NULL);
	}
}

/* ---- Output ---- */

/* "4 pages", "1 page", or "3 of 4 pages" when the kernel stopped short. */
static void pages_text(char *buf, size_t size, uint64_t done, uint32_t pages)
{
	if (done == pages)
		snprintf(buf, size, "%" PRIu64 " page%s", done, done == 1 ? "" : "s");
	else
		snprintf(buf, size, "%" PRIu64 " of %u page%s", done, pages,
			 pages == 1 ? "" : "s");
}

/* One process of the request: @pid_fmt NULL leaves it out of the text. */
static void remap_process(const char *key, const char *pid_fmt, const char *addr_fmt,
			  const struct target *t, uint64_t addr)
{
	open_json_object(key);
	print_int(PRINT_ANY, "pid", pid_fmt, t->pid);
	print_string(PRINT_ANY, "comm", pid_fmt ? " (%s)" : NULL, t->comm);
	print_uint(PRINT_JSON, "start_time", NULL, t->start_time);
	print_hex(PRINT_ANY, "addr", pid_fmt ? addr_fmt : NULL, addr);
	close_json_object();
}

static void remap_print(const struct remap_args *a, uint64_t done)
{
	const char *mode = a->readonly ? "read-only" : "read-write";
	char count[48];

	pages_text(count, sizeof(count), done, a->pages);
	open_doc();
	print_string(PRINT_JSON, "op", NULL, a->cmd->name);
	print_uint(PRINT_JSON, "pages", NULL, a->pages);
	print_uint(PRINT_JSON, "done", NULL, done);
	print_bool(PRINT_JSON, "readonly", NULL, a->readonly);
	if (a->cmd->op == VMX_REMAP_REVOKE)
		print_text("revoked %s of pid %d's window at 0x%" PRIx64 "\n", count,
			   (int)a->win.pid, a->win_addr);
	else if (a->cmd->op == VMX_REMAP_PROTECT)
		print_text("%s of pid %d's window at 0x%" PRIx64 " %s now %s\n", count,
			   (int)a->win.pid, a->win_addr, done == 1 ? "is" : "are", mode);
	else
		print_text("%s %s, %s\n", a->cmd->verb, count, mode);
	if (a->cmd->has_src)
		remap_process("src", "  from pid %" PRId64, " 0x%" PRIx64 "\n",
			      &a->src, a->src_addr);
	remap_process("window", a->cmd->has_src ? "  to   pid %" PRId64 : NULL,
		      " window 0x%" PRIx64 "\n", &a->win, a->win_addr);
	close_doc();
}

/* ---- The commands ---- */

static int run_remap(const struct remap_cmd *cmd, int argc, char **argv)
{
	struct remap_args a = { .cmd = cmd };
	struct vmx_info in;
	vmx_t *dev;
	int ret, done = 0;

	ret = parse_remap_args(argc, argv, &a);
	if (ret)
		return ret;
	ret = ctl_open_for(&dev, &in, VMX_FEAT_WINDOWS, cmd->name);
	if (ret)
		return ret;
	ret = check_remap_feature(&a, &in);
	if (!ret)
		ret = check_remap_addrs(&a, &in);
	if (!ret)
		ret = check_remap_targets(&a);
	if (!ret) {
		done = do_remap(dev, &a);
		if (done < 0)
			ret = remap_error(-done, dev, &a);
	}
	vmx_close(dev);
	if (ret)
		return ret;
	remap_print(&a, done);
	return EXIT_OK;
}

int cmd_map(int argc, char **argv)
{
	return run_remap(&remap_map, argc, argv);
}

int cmd_grant(int argc, char **argv)
{
	return run_remap(&remap_grant, argc, argv);
}

int cmd_retarget(int argc, char **argv)
{
	return run_remap(&remap_retarget, argc, argv);
}

int cmd_revoke(int argc, char **argv)
{
	return run_remap(&remap_revoke, argc, argv);
}

int cmd_protect(int argc, char **argv)
{
	return run_remap(&remap_protect, argc, argv);
}
