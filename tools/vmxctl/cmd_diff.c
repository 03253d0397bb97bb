// SPDX-License-Identifier: GPL-2.0
/*
 * vmxctl diff A B [range START END] [--running]
 * What changed in a process's page tables between two moments: A and B
 * are each a snapshot file (vmxctl snapshot) or a PID, read now (stopped
 * for it unless --running). VMAs added, removed and changed; tables added
 * and freed; entries mapped, unmapped, moved to another frame, with other
 * bits, of another kind; as runs of neighbouring entries, per VMA and in
 * all.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "args.h"
#include "names.h"
#include "snapdiff.h"
#include "snapshot.h"
#include "vmflags.h"
#include "vmxctl.h"
#include "x86_bits.h"

struct diff_ctx {
	vmx_t *dev;
	struct vmx_info in;
	bool have_range, running;
	struct args w;
};

static bool is_pid(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* One side: a file, or (a number) a live process. Errors reported. */
static int load(struct diff_ctx *c, const char *arg, const struct snapshot *other,
		struct snapshot *s)
{
	uint64_t start, end;
	struct target t;
	char why[128];
	int ret;

	if (!is_pid(arg)) {
		ret = snapshot_read(arg, s, why, sizeof(why));
		if (ret)
			return runtime_error(-ret, ret == -ENOENT ?
					     "each side is a snapshot file or a pid" : NULL,
					     "%s: %s", arg, why);
		return EXIT_OK;
	}
	if (!c->dev) {
		ret = ctl_open_for(&c->dev, &c->in, VMX_FEAT_DUMP, "diff with a live process");
		if (ret)
			return ret;
	}
	ret = args_pid(arg, &t);
	if (ret)
		return ret;
	if (c->have_range) {
		ret = snapshot_parse_range(&c->w, &c->in, &start, &end);
		if (ret)
			return ret;
	} else if (other) {		/* like with like: the file's range */
		start = other->h.start;
		end = other->h.end;
	} else {
		start = 0;
		end = c->in.user_va_end;
	}
	return snapshot_of(c->dev, &c->in, &t, start, end, c->running, s);
}

static void print_side(const char *key, const char *label, const struct snapshot *s)
{
	char when[32], src[65], comm[17];
	time_t t = (time_t)s->h.taken_s;
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(when, sizeof(when), "?");
	name_cut(src, 64, s->source);
	name_cut(comm, 16, s->h.comm);
	open_json_object(key);
	print_string(PRINT_JSON, "source", NULL, s->source);
	print_text(label, src);
	print_int(PRINT_ANY, "pid", "\n#    pid %" PRId64, s->h.pid);
	print_string(PRINT_JSON, "comm", NULL, s->h.comm);
	print_text(" (%s)", comm);
	print_string(PRINT_ANY, "taken", ", %s UTC", when);
	print_bool(PRINT_JSON, "frozen", NULL, s->h.flags & SNAP_FROZEN);
	print_text("%s\n", s->h.flags & SNAP_FROZEN ? ", frozen" : ", running: not atomic");
	print_uint(PRINT_JSON, "start_time", NULL, s->h.start_time);
	print_string(PRINT_JSON, "release", NULL, s->h.release);
	print_uint(PRINT_JSON, "levels", NULL, s->h.levels);
	print_uint(PRINT_JSON, "entries", NULL, s->h.nentries);
	print_uint(PRINT_JSON, "vmas", NULL, s->h.nvmas);
	close_json_object();
}

static void print_vma(const struct vma_diff *v)
{
	static const char *const what[] = { "added", "removed", "changed" };
	static const char mark[] = "+-~";
	const struct vmx_vma *x = v->b ? v->b : v->a;
	char pa[5] = "", pb[5] = "", name[37];

	if (v->a)
		vm_perms(pa, v->a->flags);
	if (v->b)
		vm_perms(pb, v->b->flags);
	open_json_object(NULL);
	print_string(PRINT_JSON, "change", NULL, what[v->what]);
	print_text("  %c ", mark[v->what]);
	print_hex(PRINT_ANY, "start", "%12" PRIx64, x->start);
	print_hex(PRINT_ANY, "end", "-%-12" PRIx64, x->end);
	if (v->what == VMA_CHANGED && strcmp(pa, pb))
		print_text(" %s->%s", pa, pb);
	else
		print_text(" %s", v->b ? pb : pa);
	if (v->a)
		print_string(PRINT_JSON, "perms_a", NULL, pa);
	if (v->b)
		print_string(PRINT_JSON, "perms_b", NULL, pb);
	name_cut(name, 36, x->name);
	print_string(PRINT_JSON, "name", NULL, x->name);
	print_text(" %s\n", name);
	close_json_object();
}

/* A hardware bit's name; the protection key's four are PKEY0..PKEY3. */
static const char *bit_name(int b, unsigned int level)
{
	static const char *const pk[] = { "PKEY0", "PKEY1", "PKEY2", "PKEY3" };
	const char *name = x86_bit_name(b, level, 1);

	if (name)
		return name;
	return b >= 59 && b <= 62 ? pk[b - 59] : "?";
}

/* "+RW -A +sd": the bits a change set and cleared. */
static void bit_words(char *out, size_t size, const struct change_run *r)
{
	size_t n = 0;
	char sw[128];

	out[0] = '\0';
	for (int pass = 0; pass < 2; pass++) {
		uint64_t bits = pass ? r->cleared : r->set;

		for (int b = 0; b < 64; b++) {
			const char *name;

			if (!(bits & (1ULL << b)))
				continue;
			name = bit_name(b, r->level);
			n += snprintf(out + n, n < size ? size - n : 0, "%s%c%s",
				      n ? " " : "", pass ? '-' : '+', name);
		}
	}
	for (int pass = 0; pass < 2 && n < size; pass++) {
		uint32_t bits = pass ? r->sw_cleared : r->sw_set;

		for (unsigned int b = 0; b < 32; b++) {
			if (!(bits & (1U << b)))
				continue;
			snprintf(sw, sizeof(sw), "%s", bit_tag(NAMES_SW, 1U << b));
			n += snprintf(out + n, n < size ? size - n : 0, "%s%c%s",
				      n ? " " : "", pass ? '-' : '+', sw);
		}
	}
}

static void json_bits(const char *key, uint64_t bits, unsigned int level)
{
	open_json_array(key);
	for (int b = 0; b < 64; b++) {
		if (bits & (1ULL << b))
			print_string(PRINT_JSON, NULL, NULL, bit_name(b, level));
	}
	close_json_array();
}

static void print_run(const struct change_run *r)
{
	char words[256];

	open_json_object(NULL);
	print_string(PRINT_ANY, "change", "  %-11s", change_name(r->what));
	print_string(PRINT_ANY, "level", " %-3s", level_name(r->level));
	print_hex(PRINT_ANY, "start", " %12" PRIx64, r->start);
	print_hex(PRINT_ANY, "end", "-%-12" PRIx64, r->end);
	print_uint(PRINT_ANY, "entries", " %7" PRIu64, r->entries);
	print_uint(PRINT_JSON, "bytes", NULL, r->end - r->start);
	if (r->what == CH_FRAME && r->entries == 1)
		print_text(" %" PRIx64 "->%" PRIx64, r->pfn_a, r->pfn_b);
	if (r->what == CH_FRAME) {
		print_hex(PRINT_JSON, "pfn_a", NULL, r->pfn_a);
		print_hex(PRINT_JSON, "pfn_b", NULL, r->pfn_b);
	}
	if (r->what == CH_KIND || r->what == CH_VALUE) {
		print_string(PRINT_ANY, "kind_a", " %s", r->kind_a ? kind_name(r->kind_a) : "none");
		print_string(PRINT_ANY, "kind_b", "->%s", r->kind_b ? kind_name(r->kind_b) : "none");
	}
	if (r->what == CH_FLAGS || r->what == CH_FRAME) {
		bit_words(words, sizeof(words), r);
		print_text(" %s", words);
		json_bits("set", r->set, r->level);
		json_bits("cleared", r->cleared, r->level);
		if (is_json()) {
			json_names("sw_set", r->sw_set, NAMES_SW);
			json_names("sw_cleared", r->sw_cleared, NAMES_SW);
		}
	}
	if (r->vma)
		print_string(PRINT_JSON, "vma", NULL, r->vma->name);
	else
		print_null(PRINT_JSON, "vma", NULL);
	print_text("\n");
	close_json_object();
}

static void print_summary(const struct snapdiff *d)
{
	static const char *const lv[] = { "PTE", "PMD", "PUD", "P4D", "PGD" };
	char b1[16], b2[16];

	open_json_object("summary");
	print_uint(PRINT_ANY, "vmas_added", "# VMAs: %" PRIu64 " added", d->vma_count[VMA_ADDED]);
	print_uint(PRINT_ANY, "vmas_removed", ", %" PRIu64 " removed", d->vma_count[VMA_REMOVED]);
	print_uint(PRINT_ANY, "vmas_changed", ", %" PRIu64 " changed\n", d->vma_count[VMA_CHANGED]);
	print_uint(PRINT_ANY, "tables_added", "# tables: %" PRIu64 " added", d->count[CH_TABLE_ADDED]);
	print_uint(PRINT_ANY, "tables_freed", ", %" PRIu64 " freed", d->count[CH_TABLE_FREED]);
	print_uint(PRINT_ANY, "tables_moved", ", %" PRIu64 " moved", d->count[CH_TABLE_MOVED]);
	for (int w = CH_TABLE_ADDED; w <= CH_TABLE_MOVED; w++)
		for (int l = 0; l < 5; l++)
			if (d->tables[w][l])
				print_text(" %s %c%" PRIu64, lv[l],
					   w == CH_TABLE_ADDED ? '+' : w == CH_TABLE_FREED ? '-' : '~',
					   d->tables[w][l]);
	print_text("\n");
	human_size(b1, sizeof(b1), d->bytes[CH_MAPPED]);
	human_size(b2, sizeof(b2), d->bytes[CH_UNMAPPED]);
	print_uint(PRINT_ANY, "mapped", "# entries: %" PRIu64, d->count[CH_MAPPED]);
	print_text(" mapped (%s),", b1);
	print_uint(PRINT_JSON, "mapped_bytes", NULL, d->bytes[CH_MAPPED]);
	print_uint(PRINT_ANY, "unmapped", " %" PRIu64, d->count[CH_UNMAPPED]);
	print_text(" unmapped (%s),\n", b2);
	print_uint(PRINT_JSON, "unmapped_bytes", NULL, d->bytes[CH_UNMAPPED]);
	print_uint(PRINT_ANY, "frame_changed", "#          %" PRIu64 " another frame", d->count[CH_FRAME]);
	print_uint(PRINT_ANY, "flags_changed", ", %" PRIu64 " other bits", d->count[CH_FLAGS]);
	print_uint(PRINT_ANY, "kind_changed", ", %" PRIu64 " another kind", d->count[CH_KIND]);
	print_uint(PRINT_ANY, "value_changed", ", %" PRIu64 " another value\n", d->count[CH_VALUE]);
	close_json_object();
}

/* Per VMA: each change's entries, the VMA as B has it (or A). */
static void print_per_vma(const struct snapdiff *d)
{
	const struct vmx_vma *seen[64];
	size_t nseen = 0;

	open_json_array("per_vma");
	for (size_t i = 0; i < d->nruns; i++) {
		const struct vmx_vma *v = d->runs[i].vma;
		uint64_t n[CH_NR] = { 0 };
		char name[15], line[160];
		size_t k, len;

		/* Runs of one VMA may interleave with another's: a VMA once. */
		for (k = 0; k < nseen && seen[k] != v; k++)
			;
		if (!v || k < nseen || nseen == 64)
			continue;
		seen[nseen++] = v;
		for (size_t j = i; j < d->nruns; j++)
			if (d->runs[j].vma == v)
				n[d->runs[j].what] += d->runs[j].entries;
		open_json_object(NULL);
		print_hex(PRINT_ANY, "start", "  %12" PRIx64, v->start);
		print_hex(PRINT_ANY, "end", "-%-12" PRIx64, v->end);
		name_cut(name, 14, v->name[0] ? v->name : "[anon]");
		print_string(PRINT_JSON, "name", NULL, v->name);
		print_text(" %-14s", name);
		len = 42;
		for (int w = 0; w < CH_NR; w++) {
			if (!n[w])
				continue;
			print_uint(PRINT_JSON, change_name(w), NULL, n[w]);
			snprintf(line, sizeof(line), " %s %" PRIu64, change_name(w), n[w]);
			/* Past 80 columns, the counts go on below. */
			if (len + strlen(line) > 80) {
				print_text("\n%42s", "");
				len = 42;
			}
			print_text("%s", line);
			len += strlen(line);
		}
		print_text("\n");
		close_json_object();
	}
	close_json_array();
	if (d->nruns)
		print_text("# (entries outside any VMA, such as tables over several, are counted above only)\n");
}

static void print_diff(const struct snapshot *a, const struct snapshot *b,
		       const struct snapdiff *d)
{
	open_doc();
	print_side("a", "# A: %s", a);
	print_side("b", "# B: %s", b);
	print_bool(PRINT_JSON, "same_process", NULL,
		   a->h.pid == b->h.pid && a->h.start_time == b->h.start_time);
	if (a->h.pid != b->h.pid || a->h.start_time != b->h.start_time)
		print_text("# A and B are not the same process: every difference is shown\n");
	if (strcmp(a->h.release, b->h.release) || a->h.levels != b->h.levels)
		print_text("# A and B come from different kernels or paging modes\n");
	print_bool(PRINT_JSON, "same_range", NULL,
		   a->h.start == b->h.start && a->h.end == b->h.end);
	if (a->h.start != b->h.start || a->h.end != b->h.end)
		print_text("# A covers 0x%" PRIx64 "-0x%" PRIx64 ", B 0x%" PRIx64 "-0x%" PRIx64 ": what only one covers shows as changed\n",
			   a->h.start, a->h.end, b->h.start, b->h.end);
	print_summary(d);
	open_json_array("vmas");
	for (size_t i = 0; i < d->nvmas; i++)
		print_vma(&d->vmas[i]);
	close_json_array();
	if (d->nruns)
		print_text("  %-11s %-3s %12s-%-12s %7s %s\n", "CHANGE", "LVL", "START", "END",
			   "ENTRIES", "DETAIL");
	open_json_array("changes");
	for (size_t i = 0; i < d->nruns; i++)
		print_run(&d->runs[i]);
	close_json_array();
	if (d->nruns)
		print_text("# per VMA (entries):\n");
	print_per_vma(d);
	if (!d->nruns && !d->nvmas)
		print_text("# no difference\n");
	close_doc();
}

int cmd_diff(int argc, char **argv)
{
	struct diff_ctx c = { 0 };
	struct snapshot a, b;
	struct snapdiff d;
	int ret;

	if (argc < 2)
		return usage_error("diff needs two sides: snapshot files or pids");
	ret = args_parse("diff", argc - 2, argv + 2, 0, &c.w);
	if (ret)
		return ret;
	c.have_range = args_has(&c.w, "range");
	c.running = args_has(&c.w, "--running");
	if (c.have_range && !is_pid(argv[0]) && !is_pid(argv[1]))
		return usage_error("diff: range is for a live side (a pid); two files keep theirs");
	/* A file first, so that a live side is read over its range. */
	if (is_pid(argv[0]) && !is_pid(argv[1])) {
		ret = load(&c, argv[1], NULL, &b);
		if (!ret && (ret = load(&c, argv[0], &b, &a)))
			snapshot_free(&b);
	} else {
		ret = load(&c, argv[0], NULL, &a);
		if (!ret && (ret = load(&c, argv[1], &a, &b)))
			snapshot_free(&a);
	}
	if (ret)
		goto out;
	ret = snapdiff(&a, &b, &d);
	if (ret) {
		ret = runtime_error(-ret, NULL, "diff: out of memory");
	} else {
		print_diff(&a, &b, &d);
		snapdiff_free(&d);
	}
	snapshot_free(&a);
	snapshot_free(&b);
out:
	if (c.dev)
		vmx_close(c.dev);
	return ret;
}
