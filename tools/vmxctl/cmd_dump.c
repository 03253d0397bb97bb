// SPDX-License-Identifier: GPL-2.0
/*
 * vmxctl dump <pid> [range START END] [leaves] [merge] [raw] [stop]
 * The page-table hierarchy of a process, streamed from VMX_IOC_DUMP.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "dumploop.h"
#include "fmt.h"
#include "interrupt.h"
#include "legend.h"
#include "picture.h"
#include "names.h"
#include "progress.h"
#include "target.h"
#include "vmastat.h"
#include "vmflags.h"
#include "vmxctl.h"
#include "x86_bits.h"

#define DUMP_BATCH	4096
/* 80 columns less "# vma " START-END PERMS and a blank. */
#define VMA_NAME_COLS	35

/*
 * @eff: what holds for a leaf after every level above (RW and US ANDed, NX
 * ORed, as ptdump's effective_prot), when @has_eff (not with leaves only).
 */
static void entry_text(const struct vmx_entry *e, int verbose, int levels,
		       bool has_eff, uint64_t eff)
{
	int depth = (levels == 5 ? VMX_LEVEL_PGD : VMX_LEVEL_P4D) - e->level;
	const char *flags = x86_flag_names_cached(e->raw, e->level, entry_is_final(e));
	const char *size = size_name(e->span_shift);
	/* One line a record, made without printf: most of a dump's time. */
	char line[512], *p = line;
	size_t slen = strlen(size);

	if (e->level == VMX_LEVEL_PGD || depth < 0)
		depth = 0;
	memset(p, ' ', depth * 2);
	p += depth * 2;
	p += fmt_str(p, level_name(e->level));
	*p++ = ' ';
	p += fmt_hex(p, e->va, 16);
	*p++ = ' ';
	for (size_t i = slen; i < 4; i++)
		*p++ = ' ';
	p += fmt_str(p, size);
	*p++ = e->nr > 1 ? '*' : ' ';
	if (e->nr > 1) {
		p += fmt_dec(p, e->nr);
		*p++ = ' ';
	}
	switch (e->kind) {
	case VMX_KIND_LEAF:
	case VMX_KIND_PROTNONE:	/* its flags say PROTNONE */
		break;
	case VMX_KIND_TABLE:
		p += fmt_str(p, "table ");
		break;
	case VMX_KIND_SWAP:
		p += fmt_str(p, "swap type ");
		p += fmt_dec(p, e->swap_type);
		p += fmt_str(p, " offset 0x");
		p += fmt_hex(p, e->swap_offset, 0);
		break;
	case VMX_KIND_MARKER:
		p += fmt_str(p, "marker");
		p += tags_fmt(p, NAMES_MARKER, e->swap_offset);
		break;
	default:
		p += fmt_str(p, kind_name(e->kind));
		*p++ = ' ';
	}
	if (e->kind != VMX_KIND_SWAP && e->kind != VMX_KIND_MARKER) {
		p += fmt_hex(p, e->pfn, 10);
		*p++ = ' ';
		p += fmt_str(p, flags);
	}
	p += tags_fmt(p, NAMES_SW, e->sw);
	if (e->page & VMX_PAGE_VALID)
		p += tags_fmt(p, NAMES_PAGE, e->page);
	if (!verbose) {
		*p++ = '\n';
		fwrite_unlocked(line, 1, p - line, stdout);
		return;
	}
	fwrite_unlocked(line, 1, p - line, stdout);
	printf("  raw %016" PRIx64 " at %" PRIx64, (uint64_t)e->raw,
	       (uint64_t)e->entry_pa);
	if (e->raw_kernel != e->raw)
		printf(" kernel-copy %016" PRIx64, (uint64_t)e->raw_kernel);
	if (e->page & VMX_PAGE_VALID)
		printf(" ref %d map %d", e->refcount, e->mapcount);
	if (entry_is_final(e) && e->pkey)
		printf(" pkey %u", e->pkey);
	if (has_eff) {
		char text[32];

		x86_effective_text(text, sizeof(text), eff);
		printf(" eff %s", text);
	}
	printf("\n");
}

struct dump_args {
	struct target t;
	uint64_t start, end, flags;
	int has_range;
	int stop;
	int verbose;
	const char *html, *svg;	/* a picture instead of the listing */
};

/* Syntax only: needs no module, so it works (and fails) without one. */
static int parse_dump_args(int argc, char **argv, struct dump_args *a)
{
	struct args w;
	int ret = args_parse("dump", argc, argv, 1, &w);

	if (ret)
		return ret;
	if (!w.npos)
		return usage_error("dump needs a pid");
	ret = args_pid(w.pos[0], &a->t);
	if (!ret && args_has(&w, "range")) {
		a->has_range = 1;
		ret = args_number(args_value(&w, "range", 0), "an address", &a->start) ?:
		      args_number(args_value(&w, "range", 1), "an address", &a->end);
		if (!ret && a->start >= a->end)
			ret = usage_error("range: START must be below END");
	}
	if (args_has(&w, "--legend"))
		ret = ret ?: usage_error("dump: --legend goes alone, without a pid");
	a->flags |= (args_has(&w, "leaves") ? VMX_DUMP_LEAVES : 0) |
		    (args_has(&w, "merge") ? VMX_DUMP_MERGE : 0) |
		    (args_has(&w, "raw") ? VMX_DUMP_NO_PAGE : 0);
	a->stop = args_has(&w, "stop");
	a->verbose = args_has(&w, "verbose");
	a->html = args_value(&w, "--html", 0);
	a->svg = args_value(&w, "--svg", 0);
	if ((a->html || a->svg) && (a->flags & (VMX_DUMP_LEAVES | VMX_DUMP_MERGE | VMX_DUMP_NO_PAGE)))
		ret = ret ?: usage_error("dump --html/--svg draws every entry: no leaves, merge or raw");
	return ret;
}

/* One picture file: 0, or an error reported. */
static int write_picture(const char *path, const struct snapshot *s,
			 const struct vmx_info *in,
			 int (*draw)(const struct snapshot *, const struct vmx_info *,
				     FILE *, struct picture_stats *),
			 struct picture_stats *st)
{
	FILE *f = fopen(path, "w");
	int ret;

	if (!f)
		return runtime_error(errno, NULL, "cannot create %s", path);
	ret = draw(s, in, f, st);
	if (fclose(f) && !ret)
		ret = -errno;
	if (ret)
		return runtime_error(-ret, NULL, "cannot write %s", path);
	return EXIT_OK;
}

/* dump --html/--svg: the whole snapshot, then the pictures. */
static int dump_picture(vmx_t *dev, struct dump_args *a, const struct vmx_info *in)
{
	struct picture_stats st = { 0 };
	struct snapshot s;
	int ret = snapshot_of(dev, in, &a->t, a->start, a->end, !a->stop, &s);

	if (ret)
		return ret;
	if (a->html)
		ret = write_picture(a->html, &s, in, picture_html, &st);
	if (!ret && a->svg)
		ret = write_picture(a->svg, &s, in, picture_svg, &st);
	if (!ret) {
		open_doc();
		print_int(PRINT_ANY, "pid", "# pid %" PRId64, a->t.pid);
		print_uint(PRINT_ANY, "tables", ": %" PRIu64 " tables", st.tables);
		print_uint(PRINT_ANY, "entries", ", %" PRIu64 " entries", st.entries);
		print_uint(PRINT_ANY, "leaves", ", %" PRIu64 " leaves\n", st.leaves);
		if (a->html)
			print_string(PRINT_ANY, "html", "# html: %s\n", a->html);
		if (a->svg)
			print_string(PRINT_ANY, "svg", "# svg: %s\n", a->svg);
		print_bool(PRINT_JSON, "stopped", NULL, a->stop);
		close_doc();
	}
	snapshot_free(&s);
	return ret;
}

/* What needs the module's INFO: the end of the user half. */
static int check_dump_range(struct dump_args *a, const struct vmx_info *in)
{
	if (!a->has_range) {
		a->start = 0;
		a->end = in->user_va_end;
	}
	if (a->end > in->user_va_end)
		return runtime_error(EINVAL, "the kernel half is not dumped (yet)",
				     "range ends at 0x%" PRIx64 ", beyond the user half (0x%llx)",
				     a->end, (unsigned long long)in->user_va_end);
	return EXIT_OK;
}

/*
 * A dump that ends early: the message says what happened and that the
 * output is incomplete. Text went out whole lines only; JSON is closed so
 * that it stays valid, with the error fields in the same document.
 */
static int dump_incomplete(int err, const struct dump_args *a, int printed_header)
{
	char msg[160];
	const char *hint = NULL;

	if (err == EINTR)
		snprintf(msg, sizeof(msg), "interrupted%s",
			 printed_header ? "; output is incomplete" : "");
	else if (printed_header && (err == ESRCH || err == ENXIO))
		snprintf(msg, sizeof(msg), "pid %d exited during the dump; output is incomplete",
			 a->t.pid);
	else if (!printed_header)
		return target_error(err, a->t.pid, "VMX_IOC_DUMP", NULL);
	else
		snprintf(msg, sizeof(msg), "VMX_IOC_DUMP failed; output is incomplete");
	if (a->t.stopped_by_us)
		hint = "the target was resumed (SIGCONT)";
	if (ctl.json && printed_header) {
		if (ctl.ndjson)
			open_doc();	/* the last line: the error's own */
		else
			json_close_array(&ctl.j);
		json_kv_string(&ctl.j, "error", msg);
		json_kv_string(&ctl.j, "errno", strerrorname_np(err) ?: "?");
		json_kv_int(&ctl.j, "errno_code", err);
		if (hint)
			json_kv_string(&ctl.j, "hint", hint);
		close_doc();
		return EXIT_RUNTIME;
	}
	fflush(stdout);
	return runtime_error(err, hint, "%s", msg);
}

static void print_header(const struct dump_args *a, const struct vmx_info *in,
			 const struct dump_loop *l)
{
	const char *note = a->stop ?
		"target stopped (SIGSTOP) during the dump" :
		"not an atomic snapshot: the target kept running (add 'stop' to freeze it)";

	if (ctl.json) {
		open_doc();
		json_kv_string(&ctl.j, "release", in->release);
		json_kv_uint(&ctl.j, "levels", in->levels);
		json_kv_bool(&ctl.j, "pti", in->paging & VMX_PAGING_PTI);
		json_kv_int(&ctl.j, "pid", a->t.pid);
		json_kv_string(&ctl.j, "comm", a->t.comm);
		json_kv_uint(&ctl.j, "start_time", a->t.start_time);
		json_kv_bool(&ctl.j, "stopped", a->stop);
		if (l->root_pa) {
			json_kv_hex(&ctl.j, "root_pa", l->root_pa);
			json_kv_hex(&ctl.j, "root_pa_user", l->root_pa_user);
		}
		if (ctl.ndjson) {
			/* The header is a line of its own; records follow. */
			json_close_object(&ctl.j);
			json_line_end(&ctl.j);
			return;
		}
		json_key(&ctl.j, "entries");
		json_open_array(&ctl.j);
		return;
	}
	printf("# pid %d (%s), started %" PRIu64 " ticks after boot\n", a->t.pid,
	       a->t.comm, a->t.start_time);
	printf("# kernel %s, %u-level paging, PTI %s\n", in->release, in->levels,
	       in->paging & VMX_PAGING_PTI ? "on" : "off");
	if (l->root_pa && l->root_pa_user != l->root_pa)
		printf("# root table (PGD) at phys 0x%" PRIx64 ", its user-mode copy at 0x%" PRIx64 "\n",
		       l->root_pa, l->root_pa_user);
	else if (l->root_pa)
		printf("# root table (PGD) at phys 0x%" PRIx64 "\n", l->root_pa);
	printf("# %s\n", note);
}

struct dump_print {
	struct dump_args *a;
	const struct vmx_info *in;
	int printed_header;
	int status;	/* set when a batch stops the loop */
	uint64_t records;
	/* Effective bits above each level, from the table entries seen. */
	uint64_t above[VMX_LEVEL_PGD + 1];
	const struct dump_loop *loop;
	struct progress progress;
	/*
	 * The VMAs, from VMX_IOC_VMAS (records do not repeat them): a line
	 * naming each before its first leaf, and the range in JSON records.
	 */
	vmx_t *dev;
	struct vma_stat *vmas;
	size_t nvmas, vma_next;	/* records come in address order */
	unsigned int vma_rereads;
	uint64_t last_start, last_end;	/* the VMA of the last "# vma" line */
	bool vma_seen;		/* a VMA may start at 0 (mmap_min_addr=0) */
};

/* VMA lists read again for leaves in none: the target is changing fast. */
#define VMA_REREADS_MAX	4

/*
 * The VMA holding leaf @e. The list was read before the dump: a leaf in
 * none of it lies in a VMA made since, so the list is read again (a few
 * times at most); NULL if still none holds it.
 */
static const struct vmx_vma *vma_of(struct dump_print *p, const struct vmx_entry *e)
{
	struct vma_stat *fresh;
	size_t n;

	for (;;) {
		while (p->vma_next < p->nvmas && p->vmas[p->vma_next].v.end <= e->va)
			p->vma_next++;
		if (p->vma_next < p->nvmas && p->vmas[p->vma_next].v.start <= e->va)
			return &p->vmas[p->vma_next].v;
		if (p->vma_rereads == VMA_REREADS_MAX)
			return NULL;
		p->vma_rereads++;
		/* The old list stays when the new one cannot be had. */
		if (vmas_read(p->dev, &p->a->t, &fresh, &n))
			return NULL;
		free(p->vmas);
		p->vmas = fresh;
		p->nvmas = n;
		p->vma_next = 0;
	}
}

/*
 * "# vma START-END PERMS NAME" before the first leaf of a VMA, the path
 * cut from the left to fit 80 columns.
 */
static void print_vma_line(const struct vmx_vma *v)
{
	char perms[5], name[VMA_NAME_COLS + 1];

	vm_perms(perms, v->flags);
	/* A file name is anyone's: no control character reaches the terminal. */
	name_cut(name, VMA_NAME_COLS, v->name);
	printf("# vma %016" PRIx64 "-%016" PRIx64 " %s%s%s\n", (uint64_t)v->start,
	       (uint64_t)v->end, perms, *name ? " " : "", name);
}

/*
 * A table entry sets what holds below it; a present leaf gets what holds
 * above and in itself. Tables come before what they point to, so the last
 * one seen at each level is the leaf's parent. False: unknown (no tables,
 * with leaves) or not a present leaf.
 */
static bool effective(struct dump_print *p, const struct vmx_entry *e, uint64_t *eff)
{
	unsigned int lv = e->level;
	uint64_t above;

	if (lv < VMX_LEVEL_PTE || lv > VMX_LEVEL_PGD || (p->a->flags & VMX_DUMP_LEAVES))
		return false;
	above = lv == VMX_LEVEL_PGD ? X86_EFFECTIVE_START : p->above[lv];
	if (e->kind == VMX_KIND_TABLE) {
		/* Every level below: with 4 levels a PGD's children are PUDs. */
		for (unsigned int k = VMX_LEVEL_PTE; k < lv; k++)
			p->above[k] = x86_effective_prot(above, e->raw);
		return false;
	}
	*eff = x86_effective_prot(above, e->raw);
	return e->kind == VMX_KIND_LEAF;
}

static int print_batch(const void *recs, uint32_t n, uint64_t cursor, void *ctx)
{
	struct dump_print *p = ctx;

	if (!p->printed_header) {
		print_header(p->a, p->in, p->loop);
		p->printed_header = 1;
	}
	for (uint32_t i = 0; i < n; i++, p->records++) {
		const struct vmx_entry *e = (const struct vmx_entry *)recs + i;

		if (interrupted)
			break;
		/* The reader is gone: nobody to tell, as with SIGPIPE. */
		if (ferror(stdout)) {
			p->status = EXIT_RUNTIME;
			return 1;
		}
		uint64_t eff = 0;
		bool has_eff = effective(p, e, &eff);
		const struct vmx_vma *v = entry_is_final(e) ? vma_of(p, e) : NULL;

		if (ctl.json)
			entry_json(e, v ? v->start : 0, v ? v->end : 0, has_eff, eff);
		if (ctl.ndjson)
			json_line_end(&ctl.j);
		if (ctl.json)
			continue;
		if (v && (!p->vma_seen || v->start != p->last_start ||
			  v->end != p->last_end)) {
			print_vma_line(v);
			p->last_start = v->start;
			p->last_end = v->end;
			p->vma_seen = true;
		}
		entry_text(e, p->a->verbose, p->in->levels, has_eff, eff);
	}
	if (interrupted) {
		progress_end(&p->progress);
		p->status = dump_incomplete(EINTR, p->a, 1);
		return 1;
	}
	progress_show(&p->progress, p->a->start, p->a->end, p->records, cursor);
	return 0;
}

static int run_dump(vmx_t *dev, struct dump_args *a, const struct vmx_info *in)
{
	struct dump_print p = { .a = a, .in = in, .dev = dev };
	struct dump_loop l = {
		.flags = a->flags, .t = &a->t, .start = a->start, .end = a->end,
		.cap = DUMP_BATCH,
		.batch = print_batch, .ctx = &p,
	};
	int ret;

	p.loop = &l;
	progress_init(&p.progress);
	/* Without them (an error here) the records still come. */
	if (vmas_read(dev, &a->t, &p.vmas, &p.nvmas))
		p.nvmas = 0;
	ret = dump_loop(dev, &l);
	progress_end(&p.progress);
	free(p.vmas);
	if (ret > 0)
		return p.status;
	if (ret < 0)
		return dump_incomplete(-ret, a, p.printed_header);
	if (ctl.ndjson) {
		/* The last line says the stream is whole (a cut one has none). */
		open_doc();
		json_kv_bool(&ctl.j, "end", true);
		json_kv_uint(&ctl.j, "records", p.records);
		close_doc();
	} else if (ctl.json) {
		json_close_array(&ctl.j);
		close_doc();
	}
	return EXIT_OK;
}

int cmd_dump(int argc, char **argv)
{
	struct dump_args a = { 0 };
	struct vmx_info in;
	vmx_t *dev;
	int ret;

	if (argc == 1 && (!strcmp(argv[0], "--legend") || !strcmp(argv[0], "legend")))
		return print_legend();
	ret = parse_dump_args(argc, argv, &a);
	if (ret)
		return ret;
	ret = ctl_open_for(&dev, &in, VMX_FEAT_DUMP, "dump");
	if (ret)
		return ret;
	ret = check_dump_range(&a, &in);
	if (!ret && (a.html || a.svg)) {
		ret = dump_picture(dev, &a, &in);
		vmx_close(dev);
		return ret;
	}
	if (!ret && a.stop)
		ret = target_stop(&a.t);
	/*
	 * After target_stop(), whose handlers would end vmxctl at once: ^C
	 * ends the dump at a record boundary and resumes a target it stopped;
	 * a second one resumes it and ends vmxctl at once.
	 */
	catch_interrupts(target_resume_now);
	/* A reader that went away (| head) is EPIPE, so the target is resumed. */
	signal(SIGPIPE, SIG_IGN);
	if (!ret) {
		ret = run_dump(dev, &a, &in);
		if (a.stop)
			target_resume(&a.t);
	}
	vmx_close(dev);
	return ret;
}
