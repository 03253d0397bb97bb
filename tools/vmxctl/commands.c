// SPDX-License-Identifier: GPL-2.0
/* The command table: each command's words, their meanings, an example. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "vmxctl.h"

static const struct keyword none[] = { { NULL, NULL, NULL, KW_WORD } };

static const struct keyword dump_words[] = {
	{ "range", "START END", "only [START, END) (default: the whole user half)", KW_WORD },
	{ "leaves", "", "leaf entries only, no table entries", KW_WORD },
	{ "merge", "", "a line a run: next frames (or the zero page), same bits", KW_WORD },
	{ "raw", "", "no struct page data (refcount, anon/file...): fastest", KW_WORD },
	{ "stop", "", "SIGSTOP the target for the dump, SIGCONT after", KW_WORD },
	{ "-v|verbose", "", "raw values, kernel copy under PTI, ref/map counts, pkey", KW_WORD },
	{ "--legend|legend", "", "(alone) what every column, bit, kind and tag means", KW_WORD },
	{ "--html|html", "FILE", "a page to open in a browser: the tree, on demand", KW_WORD },
	{ "--svg|svg", "FILE", "a picture: a row per table, a cell per entry", KW_WORD },
	{ NULL, NULL, NULL, KW_WORD },
};

static const struct keyword resolve_words[] = {
	{ "kernel", "", "in place of PID: a kernel address, in init_mm's tables", KW_WORD },
	{ "--explain|-e|explain", "", "every level in words: index, entry, bits", KW_WORD },
	{ "-v|verbose", "", "also where each entry sits: direct map, physical", KW_WORD },
	{ NULL, NULL, NULL, KW_WORD },
};

static const struct keyword vmas_words[] = {
	{ "stop", "", "SIGSTOP the target while it is read, SIGCONT after", KW_WORD },
	{ "raw", "", "no struct page data: fastest", KW_WORD },
	{ "-v|verbose", "", "every VMA flag, the file, anon_vma and counts", KW_WORD },
	{ "--tree|tree", "", "the maple tree's nodes that hold the VMAs", KW_WORD },
	{ NULL, NULL, NULL, KW_WORD },
};

static const struct keyword stop_words[] = {
	{ "stop", "", "SIGSTOP the target while it is read, SIGCONT after", KW_WORD },
	{ NULL, NULL, NULL, KW_WORD },
};

static const struct keyword window_words[] = {
	{ "open", "PAGES", "mmap a window of PAGES pages, then serve stdin", KW_WORD },
	{ "read", "I [LEN]", "LEN bytes (16, at most 64) of page I", KW_STDIN },
	{ "write", "I TEXT", "TEXT and a NUL at the start of page I", KW_STDIN },
	{ "info", "", "the first line again: pid, address, pages", KW_STDIN },
	{ "quit", "", "(or EOF, SIGTERM) unmap and exit 0", KW_STDIN },
	{ NULL, NULL, NULL, KW_WORD },
};

static const struct keyword remap_words[] = {
	{ "ro", "", "the window pages are read-only (writes: SIGBUS)", KW_WORD },
	{ NULL, NULL, NULL, KW_WORD },
};

static const struct keyword protect_words[] = {
	{ "ro", "", "read-only: a write to these window pages is SIGBUS", KW_WORD },
	{ "rw", "", "read-write again (pages pinned for writing only)", KW_WORD },
	{ NULL, NULL, NULL, KW_WORD },
};

static const struct keyword edit_words[] = {
	{ "set", "FLAGS", "set these bits: flag names, comma-separated", KW_WORD },
	{ "clear", "FLAGS", "clear these bits", KW_WORD },
	{ "expect", "RAW", "only if the entry is still RAW (else EAGAIN and now)", KW_WORD },
	{ "--dry-run", "", "say what would be written; write nothing", KW_WORD },
	{ "--no-flush", "", "leave the TLB stale (an experiment: allow_edits=2)", KW_WORD },
	{ "accessed|a", "", "A, bit 5: clear 1, set 2", KW_FLAG },
	{ "write|rw|w", "", "RW, bit 1: clear 1, set 2 (exclusive anon)", KW_FLAG },
	{ "dirty|d", "", "D, bit 6: clear 2 (anon swap-backed), set 2", KW_FLAG },
	{ "soft-dirty|sd", "", "bit 11: clear 1 (write-protects), set 2", KW_FLAG },
	{ "nx", "", "NX, bit 63: 2", KW_FLAG },
	{ "pwt", "", "PWT, bit 3: refused (EOPNOTSUPP)", KW_FLAG },
	{ "pcd", "", "PCD, bit 4: refused (EOPNOTSUPP)", KW_FLAG },
	{ NULL, NULL, NULL, KW_WORD },
};

static const struct keyword tlb_words[] = {
	{ "flush", "[PID]", "every CPU's TLB; PID only names the experiment", KW_WORD },
	{ NULL, NULL, NULL, KW_WORD },
};

static const struct keyword watch_words[] = {
	{ "range", "START END", "only [START, END) (default: the whole user half)", KW_WORD },
	{ "--interval|interval", "MS", "a sample every MS milliseconds (default 1000)", KW_WORD },
	{ "--count|count", "N", "N samples, then exit (default: until Ctrl-C)", KW_WORD },
	{ "--dirty|dirty", "", "also pages written (soft-dirty, as clear_refs 4 does)", KW_WORD },
	{ "--heatmap|heatmap", "FILE", "an SVG picture of the accesses: address x time", KW_WORD },
	{ NULL, NULL, NULL, KW_WORD },
};

static const struct keyword snapshot_words[] = {
	{ "range", "START END", "only [START, END) (default: the whole user half)", KW_WORD },
	{ "--running|running", "", "do not stop the target (the file says: not atomic)", KW_WORD },
	{ "-o|--output", "FILE", "write to FILE (else stdout, not a terminal)", KW_WORD },
	{ NULL, NULL, NULL, KW_WORD },
};

static const struct keyword diff_words[] = {
	{ "range", "START END", "a live side's range (default: the file's, or all)", KW_WORD },
	{ "--running|running", "", "do not stop a live side while it is read", KW_WORD },
	{ NULL, NULL, NULL, KW_WORD },
};

static const struct keyword why_words[] = {
	{ "read", "", "the access: a load", KW_WORD },
	{ "write", "", "a store", KW_WORD },
	{ "exec", "", "an instruction fetch", KW_WORD },
	{ "--user|user", "", "by the process itself (the default)", KW_WORD },
	{ "--kernel|kernel", "", "by kernel code (SMAP, SMEP, PTI apply)", KW_WORD },
	{ NULL, NULL, NULL, KW_WORD },
};

static const struct keyword help_words[] = {
	{ "COMMAND", "", "that command's syntax, words and an example", KW_PLACE },
	{ NULL, NULL, NULL, KW_WORD },
};

const struct command commands[] = {
	{ "info", cmd_info, "",
	  "how this kernel pages: levels, PTI, direct map, features",
	  none, "vmxctl info" },
	{ "dump", cmd_dump,
	  "PID [range START END] [leaves] [merge] [raw] [stop] [-v] [--html FILE] [--svg FILE] | --legend",
	  "the page-table hierarchy of a process",
	  dump_words, "vmxctl dump $$ leaves merge" },
	{ "resolve", cmd_resolve, "PID|kernel ADDR [--explain] [-v]",
	  "how the MMU translates one address, level by level",
	  resolve_words, "vmxctl resolve $$ 0x7ffc1000 --explain" },
	{ "vmas", cmd_vmas, "PID [stop] [raw] [-v] [--tree]",
	  "the VMAs of a process, each with its leaves and tables",
	  vmas_words, "vmxctl vmas $$" },
	{ "stats", cmd_stats, "PID [stop]",
	  "what the page tables of a process cost, level by level",
	  stop_words, "vmxctl stats 1" },
	{ "watch", cmd_watch,
	  "PID [range START END] [--interval MS] [--count N] [--dirty] [--heatmap FILE]",
	  "which pages a process touches, sample by sample",
	  watch_words, "vmxctl watch $$ --interval 500 --count 10" },
	{ "snapshot", cmd_snapshot, "PID [range START END] [--running] [-o FILE]",
	  "the whole hierarchy of a process into a file, for diff",
	  snapshot_words, "vmxctl snapshot $$ > before.snap" },
	{ "diff", cmd_diff, "A B [range START END] [--running]",
	  "what changed between two snapshots (files or pids)",
	  diff_words, "vmxctl diff before.snap $$" },
	{ "why", cmd_why, "PID ADDR read|write|exec [--user|--kernel]",
	  "would this access fault now, and why",
	  why_words, "vmxctl why $$ 0x7ffc1000 write" },
	{ "peek", cmd_peek, "PID ADDR [LEN]",
	  "bytes at a user address, read through the direct map",
	  none, "vmxctl peek $$ 0x7ffc1000 32" },
	{ "phys", cmd_phys, "PADDR",
	  "what a physical address is used for",
	  none, "vmxctl phys 0x1000" },
	{ "window", cmd_window, "open PAGES",
	  "a helper process with a vmx window, driven from stdin",
	  window_words, "vmxctl window open 4" },
	{ "map", cmd_map, "SRCPID SRCADDR WINPID WINADDR [PAGES] [ro]",
	  "shared pages of a process also appear in a window",
	  remap_words, "vmxctl map 1234 0x7f0000000000 1300 0x7f1000000000 4" },
	{ "grant", cmd_grant, "SRCPID SRCADDR WINPID WINADDR [PAGES] [ro]",
	  "private anonymous pages move from a process to a window",
	  remap_words, "vmxctl grant 1234 0x7f0000000000 1300 0x7f1000000000" },
	{ "retarget", cmd_retarget, "SRCPID SRCADDR WINPID WINADDR [PAGES] [ro]",
	  "mapped window pages switch to other source pages",
	  remap_words, "vmxctl retarget 1234 0x7f0000002000 1300 0x7f1000000000" },
	{ "revoke", cmd_revoke, "WINPID WINADDR [PAGES]",
	  "window pages go away (SIGBUS on access)",
	  none, "vmxctl revoke 1300 0x7f1000000000 4" },
	{ "protect", cmd_protect, "WINPID WINADDR [PAGES] ro|rw",
	  "mapped window pages become read-only or read-write",
	  protect_words, "vmxctl protect 1300 0x7f1000000000 4 ro" },
	{ "edit", cmd_edit,
	  "PID ADDR [set FLAGS] [clear FLAGS] [expect RAW] [--dry-run] [--no-flush]",
	  "change bits of one 4K PTE (module parameter allow_edits)",
	  edit_words, "vmxctl edit 1234 0x7f0000000000 clear accessed" },
	{ "tlb", cmd_tlb, "flush [PID]",
	  "flush the TLB of every CPU",
	  tlb_words, "vmxctl tlb flush" },
	{ "version", cmd_version, "",
	  "versions of vmxctl and of the loaded vmx.ko",
	  none, "vmxctl -j version" },
	{ "help", cmd_help, "[COMMAND]",
	  "the commands, or one command's syntax and words",
	  help_words, "vmxctl help dump" },
};

const unsigned int ncommands = sizeof(commands) / sizeof(commands[0]);

const struct command *find_command(const char *word, char *candidates,
				   size_t size)
{
	const struct command *found = NULL;
	size_t len = strlen(word), used = 0;
	int n = 0;

	if (candidates && size)
		candidates[0] = '\0';
	for (unsigned int i = 0; i < ncommands; i++) {
		if (strcmp(commands[i].name, word) == 0)
			return &commands[i];
		if (!len || strncmp(commands[i].name, word, len))
			continue;
		found = &commands[i];
		n++;
		if (candidates && used < size)
			used += snprintf(candidates + used, size - used, "%s%s",
					 n > 1 ? ", " : "", commands[i].name);
	}
	return n == 1 ? found : NULL;
}

int is_help_word(const char *word)
{
	return !strcmp(word, "help") || !strcmp(word, "--help") ||
	       !strcmp(word, "-h");
}

static void help_list_text(FILE *f)
{
	fprintf(f, "usage: vmxctl [-j|--json] [-p|--pretty] [--ndjson] COMMAND [ARGS]\n\n"
		   "commands (any unique prefix works):\n");
	for (unsigned int i = 0; i < ncommands; i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\noptions:\n"
		   "  -j, --json     JSON output (errors too), with schema_version\n"
		   "  -p, --pretty   indented JSON (implies -j)\n"
		   "  --ndjson       JSON, a value a line: dump streams a record a line\n"
		   "  -h, --help     this text\n"
		   "  -V, --version  same as 'vmxctl version'\n\n"
		   "'vmxctl help COMMAND' (or 'vmxctl COMMAND help') shows its words.\n"
		   "exit status: 0 ok, 1 runtime error, 2 usage error\n"
		   "vmxctl talks to /dev/vmx (vmx.ko) and needs root with CAP_SYS_ADMIN.\n");
}

/* "vmxctl NAME USAGE", wrapped at 78 columns under the command word. */
static void help_usage_text(const struct command *c)
{
	const char *p = c->usage;
	int col = print_text("usage: vmxctl %s", c->name);
	int indent = col + 1;

	while (*p) {
		/* A word, with its bracketed or '|' companions: up to a space
		 * outside brackets.
		 */
		const char *q = p;
		int depth = 0, len;

		while (*q && (depth || *q != ' ')) {
			depth += (*q == '[') - (*q == ']');
			q++;
		}
		len = (int)(q - p);
		if (col + 1 + len > 78) {
			print_text("\n%*s", indent, "");
			col = indent;
		} else {
			print_text(" ");
			col++;
		}
		col += print_text("%.*s", len, p);
		p = *q ? q + 1 : q;
	}
	print_text("\n");
}

static const char *const kind_names[] = {
	[KW_WORD] = "word", [KW_FLAG] = "flag", [KW_STDIN] = "stdin",
	[KW_PLACE] = "placeholder",
};

static const char *const kind_headings[] = {
	[KW_WORD] = "words:",
	[KW_FLAG] = "flags, for set and clear (the allow_edits level each needs):",
	[KW_STDIN] = "commands it then reads on stdin, a reply line each:",
	[KW_PLACE] = "words:",
};

static void help_keywords_text(const struct command *c, enum keyword_kind kind)
{
	int heading = 0;

	for (const struct keyword *k = c->keywords; k->word; k++) {
		char left[40];

		if (k->kind != kind)
			continue;
		if (!heading++)
			print_text("\n%s\n", kind_headings[kind]);
		snprintf(left, sizeof(left), "%s%s%s", k->word,
			 k->args[0] ? " " : "", k->args);
		if (strlen(left) > 22)
			print_text("  %s\n  %-22s %s\n", left, "", k->meaning);
		else
			print_text("  %-22s %s\n", left, k->meaning);
	}
}

static void help_command_print(const struct command *c)
{
	open_json_object(NULL);
	print_string(PRINT_JSON, "name", NULL, c->name);
	print_string(PRINT_JSON, "usage", NULL, c->usage);
	help_usage_text(c);
	print_string(PRINT_ANY, "summary", "\n%s\n", c->summary);
	/* JSON: the table's order; text: grouped by kind, under headings. */
	open_json_array("keywords");
	for (const struct keyword *k = c->keywords; k->word; k++) {
		open_json_object(NULL);
		print_string(PRINT_JSON, "word", NULL, k->word);
		print_string(PRINT_JSON, "args", NULL, k->args);
		print_string(PRINT_JSON, "meaning", NULL, k->meaning);
		print_string(PRINT_JSON, "kind", NULL, kind_names[k->kind]);
		close_json_object();
	}
	close_json_array();
	help_keywords_text(c, KW_WORD);
	help_keywords_text(c, KW_PLACE);
	help_keywords_text(c, KW_FLAG);
	help_keywords_text(c, KW_STDIN);
	print_string(PRINT_ANY, "example", "\nexample: %s\n", c->example);
	print_text("more: the vmxctl(8) manual, docs/vmxctl.md\n");
	close_json_object();
}

int print_help(FILE *f, const struct command *cmd)
{
	if (!cmd && !is_json()) {
		help_list_text(f);
		return EXIT_OK;
	}
	/* JSON: every command's help (or @cmd's) in "commands"; text: @cmd's. */
	open_doc();
	open_json_array("commands");
	for (unsigned int i = 0; i < ncommands; i++)
		if (!cmd || cmd == &commands[i])
			help_command_print(&commands[i]);
	close_json_array();
	close_doc();
	return EXIT_OK;
}
