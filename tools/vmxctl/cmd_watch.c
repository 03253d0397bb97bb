// SPDX-License-Identifier: GPL-2.0
/*
 * vmxctl watch PID [range START END] [--interval MS] [--count N] [--dirty]
 *              [--heatmap FILE.svg]
 * Which pages a process touches over time: each sample clears the
 * Accessed bits (and soft-dirty, for --dirty) through /proc/PID/clear_refs,
 * flushes the TLB, waits the interval, and reads them back with a
 * leaves-only dump: pages accessed and written per VMA, and the working
 * set (the bytes accessed).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "args.h"
#include "heatmap.h"
#include "interrupt.h"
#include "names.h"
#include "vmflags.h"
#include "watch_sample.h"
#include "vmxctl.h"

#define MAX_INTERVAL_MS	3600000ULL
#define NAME_COLS	22	/* a VMA line's name, to fit 80 columns */

struct watch_args {
	struct target t;
	uint64_t start, end;
	uint64_t interval_ms, count;	/* count 0: until interrupted */
	bool dirty;
	const char *heatmap;
};

/* What the run adds up, and what it holds open. */
struct watch_run {
	double t0;
	int fd;				/* /proc/PID/clear_refs */
	FILE *svg;
	uint64_t samples;
	double clear_ms, read_ms;	/* sums, for the cost line */
	uint64_t resident_max, wss_max;
	struct heatmap *map;
	struct watch_read *cur;		/* for the heatmap's first column */
	int map_err;
	double first_clear[2];		/* when the first clear began and ended */
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int parse_watch_args(int argc, char **argv, const struct vmx_info *in,
			    struct watch_args *a)
{
	struct args w;
	const char *v;
	int ret = args_parse("watch", argc, argv, 1, &w);

	if (ret)
		return ret;
	if (!w.npos)
		return usage_error("watch needs a pid");
	ret = args_pid(w.pos[0], &a->t);
	if (ret)
		return ret;
	a->start = 0;
	a->end = in->user_va_end;
	if (args_has(&w, "range")) {
		if (args_number(args_value(&w, "range", 0), "a start address", &a->start) ||
		    args_number(args_value(&w, "range", 1), "an end address", &a->end))
			return EXIT_USAGE;
		if (a->start >= a->end || a->end > in->user_va_end)
			return usage_error("range 0x%" PRIx64 " 0x%" PRIx64 ": START must be below END, END at most 0x%" PRIx64 " (the user half)",
					   a->start, a->end, (uint64_t)in->user_va_end);
	}
	a->interval_ms = 1000;
	v = args_value(&w, "--interval", 0);
	if (v && args_number(v, "an interval in milliseconds", &a->interval_ms))
		return EXIT_USAGE;
	if (!a->interval_ms || a->interval_ms > MAX_INTERVAL_MS)
		return usage_error("--interval %" PRIu64 ": from 1 to %llu ms",
				   a->interval_ms, MAX_INTERVAL_MS);
	v = args_value(&w, "--count", 0);
	if (v) {
		if (args_number(v, "a count", &a->count))
			return EXIT_USAGE;
		if (!a->count)
			return usage_error("--count 0: at least 1 sample (leave it out to run until Ctrl-C)");
	}
	a->dirty = args_has(&w, "--dirty");
	a->heatmap = args_value(&w, "--heatmap", 0);
	return EXIT_OK;
}

/* Sleep until @deadline (CLOCK_MONOTONIC seconds); 0, or -EINTR on ^C. */
static int sleep_until(double deadline)
{
	struct timespec ts = { .tv_sec = (time_t)deadline };

	ts.tv_nsec = (long)((deadline - (double)ts.tv_sec) * 1e9);
	while (!interrupted &&
	       clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
	return interrupted ? -EINTR : 0;
}

static void print_header(const struct watch_args *a)
{
	open_doc();
	print_int(PRINT_ANY, "pid", "# pid %" PRId64, a->t.pid);
	print_string(PRINT_ANY, "comm", " (%s): ", a->t.comm);
	print_uint(PRINT_JSON, "start_time", NULL, a->t.start_time);
	print_string(PRINT_JSON, "method", NULL, "clear_refs");
	print_text("Accessed%s bits every ", a->dirty ? " and soft-dirty" : "");
	print_uint(PRINT_ANY, "interval_ms", "%" PRIu64 " ms\n", a->interval_ms);
	print_text("# cleared through /proc/%d/clear_refs, read back with a dump\n",
		   a->t.pid);
	print_bool(PRINT_JSON, "dirty", NULL, a->dirty);
	print_hex(PRINT_ANY, "start", "# range 0x%" PRIx64, a->start);
	print_hex(PRINT_ANY, "end", "-0x%" PRIx64 "\n", a->end);
	print_text("%-7s %8s %10s %10s %10s %9s %8s\n", "# SAMPLE", "T(s)", "ACCESSED",
		   a->dirty ? "WRITTEN" : "", "RESIDENT", "CLEAR(ms)", "READ(ms)");
	if (ctl.ndjson)
		close_doc();
	else
		open_json_array("samples");
	/* The first clear is done: a script may now make its accesses. */
	out_flush();
}

static void print_vma(const struct watch_vma *v, bool dirty)
{
	char perms[5], b1[16], b2[16], name[NAME_COLS + 1];

	vm_perms(perms, v->flags);
	human_size(b1, sizeof(b1), v->accessed);
	human_size(b2, sizeof(b2), v->written);
	name_cut(name, NAME_COLS, v->name);
	open_json_object(NULL);
	print_hex(PRINT_ANY, "start", " %12" PRIx64, v->start);
	print_hex(PRINT_ANY, "end", "-%-12" PRIx64, v->end);
	print_string(PRINT_ANY, "perms", " %s", perms);
	print_text(" %7s", b1);
	print_text(dirty ? " %7s" : "%.0s", b2);
	print_text(v->untracked ? " untracked" : "");
	print_uint(PRINT_JSON, "accessed_bytes", NULL, v->accessed);
	print_uint(PRINT_JSON, "accessed_pages", NULL, v->accessed / VMXCTL_PAGE_SIZE);
	print_uint(PRINT_JSON, "written_bytes", NULL, v->written);
	print_uint(PRINT_JSON, "resident_bytes", NULL, v->resident);
	print_uint(PRINT_JSON, "untracked_bytes", NULL, v->untracked);
	print_string(PRINT_JSON, "name", NULL, v->name);
	print_text(" %s\n", name);
	close_json_object();
}

static void print_sample(const struct watch_args *a, const struct watch_run *run,
			 const struct watch_read *r, double t, double window_s,
			 double clear_ms, double read_ms)
{
	char b1[16], b2[16], b3[16];

	human_size(b1, sizeof(b1), r->accessed);
	human_size(b2, sizeof(b2), r->written);
	human_size(b3, sizeof(b3), r->resident);
	if (ctl.ndjson)
		open_doc();
	else
		open_json_object(NULL);
	print_uint(PRINT_ANY, "sample", "%8" PRIu64, run->samples);
	print_double(PRINT_ANY, "t_s", " %8.2f", t);
	print_double(PRINT_JSON, "window_s", NULL, window_s);
	print_text(" %10s %10s %10s", b1, a->dirty ? b2 : "", b3);
	print_uint(PRINT_JSON, "wss_bytes", NULL, r->accessed);
	print_uint(PRINT_JSON, "wss_pages", NULL, r->accessed / VMXCTL_PAGE_SIZE);
	print_uint(PRINT_JSON, "written_total_bytes", NULL, r->written);
	print_uint(PRINT_JSON, "written_pages", NULL, r->written / VMXCTL_PAGE_SIZE);
	print_uint(PRINT_JSON, "resident_total_bytes", NULL, r->resident);
	print_uint(PRINT_JSON, "untracked_total_bytes", NULL, r->untracked);
	print_double(PRINT_ANY, "clear_ms", " %9.2f", clear_ms);
	print_double(PRINT_ANY, "read_ms", " %8.2f\n", read_ms);
	open_json_array("vmas");
	for (size_t i = 0; i < r->nvmas; i++)
		if (r->vmas[i].accessed || r->vmas[i].written || r->vmas[i].untracked)
			print_vma(&r->vmas[i], a->dirty);
	close_json_array();
	if (ctl.ndjson)
		close_doc();
	else
		close_json_object();
	out_flush();
}

/* The heatmap's column for this sample; the map itself at the first. */
static void start_column(struct watch_run *run, const struct watch_args *a,
			 const struct watch_read *r)
{
	if (run->map_err)
		return;
	if (!run->map) {
		if (!r || !r->nvmas)
			return;
		run->map = heatmap_new(r->vmas, r->nvmas, a->start, a->end);
		if (!run->map) {
			run->map_err = -ENOMEM;
			return;
		}
	}
	if (heatmap_column(run->map, now_s() - run->t0))
		run->map_err = -ENOMEM;
}

struct map_arg {
	struct watch_run *run;
	const struct watch_args *a;
};

/* watch_read()'s leaf callback: the heatmap is made from the first sample. */
static void map_leaf(uint64_t va, uint64_t bytes, bool accessed, void *arg)
{
	struct map_arg *m = arg;

	if (!m->run->map && !m->run->map_err)
		start_column(m->run, m->a, m->run->cur);
	if (m->run->map)
		heatmap_leaf(va, bytes, accessed, m->run->map);
}

/* One sample: 0, 1 when the target is gone, or -errno. */
static int one_sample(vmx_t *dev, const struct vmx_info *in,
		      const struct watch_args *a, struct watch_run *run)
{
	struct map_arg m = { run, a };
	struct watch_read r;
	double c0, c1, r0, r1;
	int ret;

	if (run->samples) {
		if (interrupted)
			return -EINTR;
		c0 = now_s();
		ret = watch_clear(dev, run->fd, a->dirty);
		c1 = now_s();
		if (ret)
			return ret == -ESRCH ? 1 : ret;
	} else {	/* cmd_watch() cleared for the first sample */
		c0 = run->first_clear[0];
		c1 = run->first_clear[1];
	}
	if (sleep_until(c0 + (double)a->interval_ms / 1e3))
		return -EINTR;
	r0 = now_s();
	run->cur = &r;
	if (run->svg && run->map)
		start_column(run, a, NULL);
	ret = watch_read(dev, &a->t, a->start, a->end, a->dirty,
			 in->features & VMX_FEAT_DUMP_COMPACT, &r,
			 run->svg ? map_leaf : NULL, &m);
	r1 = now_s();
	if (ret)
		return ret == -ESRCH || ret == -ENXIO ? 1 : ret;
	/* A first sample without a present leaf: its column, empty. */
	if (run->svg && !run->map)
		start_column(run, a, &r);
	run->samples++;
	run->clear_ms += (c1 - c0) * 1e3;
	run->read_ms += (r1 - r0) * 1e3;
	if (r.resident > run->resident_max)
		run->resident_max = r.resident;
	if (r.accessed > run->wss_max)
		run->wss_max = r.accessed;
	print_sample(a, run, &r, r0 - run->t0, r0 - c1, (c1 - c0) * 1e3,
		     (r1 - r0) * 1e3);
	watch_read_free(&r);
	return 0;
}

static void print_end(const struct watch_run *run, const char *ended)
{
	double n = run->samples ? (double)run->samples : 1;
	char b1[16], b2[16];

	if (ctl.ndjson) {
		open_doc();
		print_bool(PRINT_JSON, "end", NULL, true);
	} else {
		close_json_array();
	}
	human_size(b1, sizeof(b1), run->wss_max);
	human_size(b2, sizeof(b2), run->resident_max);
	print_uint(PRINT_ANY, "samples_taken", "# %" PRIu64 " samples", run->samples);
	print_string(PRINT_ANY, "ended", " (%s)", ended);
	print_uint(PRINT_JSON, "wss_max_bytes", NULL, run->wss_max);
	print_uint(PRINT_JSON, "resident_max_bytes", NULL, run->resident_max);
	print_text(", largest working set %s of %s resident\n", b1, b2);
	/* Per GiB only in make bench: a small process is all fixed cost. */
	print_double(PRINT_ANY, "clear_ms_mean", "# cost a sample: clear %.2f ms",
		     run->clear_ms / n);
	print_double(PRINT_ANY, "read_ms_mean", " + read %.2f ms\n", run->read_ms / n);
}

static int watch_error(int err, const struct watch_args *a)
{
	if (err == EACCES || err == EPERM)
		return runtime_error(err, "clear_refs needs root (or ptrace access to the process)",
				     "cannot write /proc/%d/clear_refs", a->t.pid);
	return target_error(err, a->t.pid, "watch", NULL);
}

/* An error once the output began: the document is closed, with it. */
static int fail_late(int err, const struct watch_run *run)
{
	char msg[128];

	snprintf(msg, sizeof(msg), "watch failed after %" PRIu64 " samples", run->samples);
	if (!ctl.json) {
		fflush(stdout);
		return runtime_error(err, NULL, "%s", msg);
	}
	if (ctl.ndjson)
		open_doc();
	else
		close_json_array();
	json_kv_string(&ctl.j, "error", msg);
	json_kv_string(&ctl.j, "errno", strerrorname_np(err) ?: "?");
	json_kv_int(&ctl.j, "errno_code", err);
	close_doc();
	return EXIT_RUNTIME;
}

/* Everything before the first sample: errors are reported plainly. */
static int watch_begin(vmx_t *dev, const struct vmx_info *in,
		       struct watch_args *a, struct watch_run *run)
{
	int ret;

	if (a->dirty && !(in->sw_valid & VMX_SW_SOFT_DIRTY))
		return runtime_error(EOPNOTSUPP, "the kernel needs CONFIG_MEM_SOFT_DIRTY",
				     "--dirty: this kernel has no soft-dirty bit");
	ret = ctl_require(in, VMX_FEAT_TLB_FLUSH, "watch (it flushes the TLB after clearing A)");
	if (ret)
		return ret;
	run->fd = watch_open(a->t.pid);
	if (run->fd < 0)
		return watch_error(-run->fd, a);
	if (a->heatmap) {
		run->svg = fopen(a->heatmap, "w");
		if (!run->svg)
			return runtime_error(errno, NULL, "cannot create the heatmap %s", a->heatmap);
	}
	/* The first ^C ends the run after this sample; a second one at once. */
	catch_interrupts(NULL);
	run->t0 = now_s();
	run->first_clear[0] = run->t0;
	ret = watch_clear(dev, run->fd, a->dirty);
	run->first_clear[1] = now_s();
	if (ret)
		return watch_error(-ret, a);
	return EXIT_OK;
}

int cmd_watch(int argc, char **argv)
{
	struct watch_args a = { 0 };
	struct watch_run run = { .fd = -1 };
	const char *ended = "count reached";
	struct vmx_info in;
	vmx_t *dev;
	int ret;

	ret = ctl_open_for(&dev, &in, VMX_FEAT_DUMP, "watch");
	if (ret)
		return ret;
	ret = parse_watch_args(argc, argv, &in, &a);
	if (!ret)
		ret = watch_begin(dev, &in, &a, &run);
	if (ret)
		goto out;
	print_header(&a);
	while (!a.count || run.samples < a.count) {
		ret = one_sample(dev, &in, &a, &run);
		if (ret == 1 || ret == -EINTR) {
			ended = ret == 1 ? "target exited" : "interrupted";
			break;
		}
		if (ret) {
			ret = fail_late(-ret, &run);
			goto out;
		}
	}
	print_end(&run, ended);
	ret = EXIT_OK;
	if (run.svg) {
		int err = run.map_err ? run.map_err :
			  heatmap_write(run.map, run.svg, a.t.pid, a.t.comm);

		print_string(PRINT_JSON, "heatmap", NULL, a.heatmap);
		if (err)
			print_string(PRINT_ANY, "heatmap_error", "# heatmap: %s\n", strerror(-err));
		else
			print_text("# heatmap: %s\n", a.heatmap);
		ret = err ? EXIT_RUNTIME : EXIT_OK;
	}
	close_doc();
out:
	if (run.svg && fclose(run.svg) && !ret)
		ret = runtime_error(errno, NULL, "cannot write the heatmap %s", a.heatmap);
	if (run.fd >= 0)
		close(run.fd);
	heatmap_free(run.map);
	vmx_close(dev);
	return ret;
}
