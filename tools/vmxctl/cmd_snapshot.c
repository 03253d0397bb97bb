// SPDX-License-Identifier: GPL-2.0
/*
 * vmxctl snapshot PID [range START END] [--running] [-o FILE]
 * The whole hierarchy of a process (tables, entries with page data, VMAs,
 * the kernel and paging mode) into a file that vmxctl diff reads. The
 * target is stopped (SIGSTOP) while it is read unless --running: the
 * dump drops the target's lock between batches, so only a stopped target
 * gives a consistent picture; a snapshot of a running one says so.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "names.h"
#include "snapshot.h"
#include "vmxctl.h"

struct snapshot_args {
	struct target t;
	uint64_t start, end;
	bool running;
	const char *out;
};

int snapshot_parse_range(const struct args *w, const struct vmx_info *in,
			 uint64_t *start, uint64_t *end)
{
	*start = 0;
	*end = in->user_va_end;
	if (!args_has(w, "range"))
		return EXIT_OK;
	if (args_number(args_value(w, "range", 0), "a start address", start) ||
	    args_number(args_value(w, "range", 1), "an end address", end))
		return EXIT_USAGE;
	if (*start >= *end || *end > in->user_va_end)
		return usage_error("range 0x%" PRIx64 " 0x%" PRIx64 ": START must be below END, END at most 0x%" PRIx64 " (the user half)",
				   *start, *end, (uint64_t)in->user_va_end);
	return EXIT_OK;
}

int snapshot_of(vmx_t *dev, const struct vmx_info *in, struct target *t,
		uint64_t start, uint64_t end, bool running, struct snapshot *s)
{
	int ret;

	if (!running) {
		ret = target_stop(t);
		if (ret)
			return ret;
	}
	/* Frozen only if it really stopped (or was stopped already). */
	ret = snapshot_take(dev, in, t, start, end,
			    t->state == 'T' || t->state == 't', s);
	if (!running)
		target_resume(t);
	if (ret)
		return target_error(-ret, t->pid, "snapshot", NULL);
	return EXIT_OK;
}

/* What was written: on stderr (stdout may be the file), or -j -o's JSON. */
static void report_written(const struct snapshot_args *a, const struct snapshot *s)
{
	uint64_t bytes = (uint64_t)sizeof(s->h) + s->h.nvmas * sizeof(*s->vmas) +
			 s->h.nentries * sizeof(*s->e);
	bool frozen = s->h.flags & SNAP_FROZEN;
	char b[16], comm[17];

	if (ctl.json) {
		if (!a->out)
			return;
		open_doc();
		print_string(PRINT_JSON, "file", NULL, a->out);
		print_int(PRINT_JSON, "pid", NULL, a->t.pid);
		print_string(PRINT_JSON, "comm", NULL, a->t.comm);
		print_uint(PRINT_JSON, "entries", NULL, s->h.nentries);
		print_uint(PRINT_JSON, "vmas", NULL, s->h.nvmas);
		print_uint(PRINT_JSON, "bytes", NULL, bytes);
		print_bool(PRINT_JSON, "frozen", NULL, frozen);
		close_doc();
		return;
	}
	human_size(b, sizeof(b), bytes);
	name_cut(comm, 16, a->t.comm);
	fprintf(stderr, "vmxctl: snapshot of pid %d (%s): %" PRIu64 " entries, %" PRIu64 " VMAs, %s%s\n",
		(int)a->t.pid, comm, (uint64_t)s->h.nentries, (uint64_t)s->h.nvmas, b,
		frozen ? "" : "; taken running: not atomic");
}

int cmd_snapshot(int argc, char **argv)
{
	struct snapshot_args a = { 0 };
	struct snapshot s;
	struct vmx_info in;
	struct args w;
	FILE *f = stdout;
	vmx_t *dev;
	int ret;

	ret = ctl_open_for(&dev, &in, VMX_FEAT_DUMP, "snapshot");
	if (ret)
		return ret;
	ret = args_parse("snapshot", argc, argv, 1, &w);
	if (ret)
		goto out;
	if (!w.npos) {
		ret = usage_error("snapshot needs a pid");
		goto out;
	}
	ret = args_pid(w.pos[0], &a.t);
	if (!ret)
		ret = snapshot_parse_range(&w, &in, &a.start, &a.end);
	if (ret)
		goto out;
	a.running = args_has(&w, "--running");
	a.out = args_value(&w, "-o", 0);
	if (!a.out && isatty(STDOUT_FILENO)) {
		ret = usage_error("a snapshot is a binary file: redirect it (> FILE) or give -o FILE");
		goto out;
	}
	ret = snapshot_of(dev, &in, &a.t, a.start, a.end, a.running, &s);
	if (ret)
		goto out;
	if (a.out) {
		f = fopen(a.out, "wb");
		if (!f) {
			ret = runtime_error(errno, NULL, "cannot create %s", a.out);
			snapshot_free(&s);
			goto out;
		}
	}
	ret = snapshot_write(&s, f);
	if (a.out && fclose(f) && !ret)
		ret = -errno;
	if (ret) {
		ret = runtime_error(-ret, NULL, "cannot write the snapshot%s%s",
				    a.out ? " to " : "", a.out ? a.out : "");
	} else {
		report_written(&a, &s);
		ret = EXIT_OK;
	}
	snapshot_free(&s);
out:
	vmx_close(dev);
	return ret;
}
