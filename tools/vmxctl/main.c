// SPDX-License-Identifier: GPL-2.0
/*
 * vmxctl [-j|--json] [-p|--pretty] COMMAND [ARGS...]
 * Command words may be abbreviated to any unique prefix, as in bpftool.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "vmxctl.h"

struct vmxctl ctl;

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *args;
	const char *help;
} commands[] = {
	{ "info", cmd_info, "", "how this kernel pages: levels, PTI, direct map, features" },
	{ "dump", cmd_dump, "PID [range START END] [leaves] [merge] [raw] [stop] [-v]",
	  "the page-table hierarchy of a process" },
	{ "resolve", cmd_resolve, "PID|kernel ADDR [--explain]",
	  "how the MMU translates one address, level by level" },
	{ "vmas", cmd_vmas, "PID [stop] [raw] [-v] [--tree]",
	  "the VMAs of a process, each with its leaves and tables" },
	{ "stats", cmd_stats, "PID [stop]",
	  "what the page tables of a process cost, level by level" },
	{ "peek", cmd_peek, "PID ADDR [LEN]", "bytes at a user address, read through the direct map" },
	{ "phys", cmd_phys, "PADDR", "what a physical address is used for" },
	{ "window", cmd_window, "open PAGES",
	  "a helper process with a vmx window, driven by commands on stdin" },
	{ "map", cmd_map, "SRCPID SRCADDR WINPID WINADDR [PAGES] [ro]",
	  "shared pages of a process also appear in a window" },
	{ "grant", cmd_grant, "SRCPID SRCADDR WINPID WINADDR [PAGES] [ro]",
	  "private anonymous pages move from a process into a window" },
	{ "retarget", cmd_retarget, "SRCPID SRCADDR WINPID WINADDR [PAGES] [ro]",
	  "mapped window pages switch to other source pages" },
	{ "revoke", cmd_revoke, "WINPID WINADDR [PAGES]",
	  "window pages go away (SIGBUS on access)" },
	{ "protect", cmd_protect, "WINPID WINADDR [PAGES] ro|rw",
	  "mapped window pages become read-only or read-write" },
	{ "edit", cmd_edit,
	  "PID ADDR [set FLAGS] [clear FLAGS] [expect RAW] [--dry-run] [--no-flush]",
	  "change bits of one 4K PTE (module parameter allow_edits)" },
	{ "tlb", cmd_tlb, "flush [PID]", "flush the TLB of every CPU" },
	{ "version", cmd_version, "", "versions of vmxctl and of the loaded vmx.ko" },
	{ "help", cmd_help, "", "this text" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void print_usage(FILE *f)
{
	fprintf(f, "usage: vmxctl [-j|--json] [-p|--pretty] COMMAND [ARGS]\n\n"
		   "commands (any unique prefix works):\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-10s %-12s %s\n", commands[i].name,
			commands[i].args, commands[i].help);
	fprintf(f, "\noptions:\n"
		   "  -j, --json     JSON output (errors too), with schema_version\n"
		   "  -p, --pretty   indented JSON (implies -j)\n"
		   "  -h, --help     this text\n"
		   "  -V, --version  same as 'vmxctl version'\n\n"
		   "exit status: 0 ok, 1 runtime error, 2 usage error\n"
		   "vmxctl talks to /dev/vmx (vmx.ko) and needs root with CAP_SYS_ADMIN.\n");
}

int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	print_usage(stdout);
	return EXIT_OK;
}

static const struct command *find_command(const char *word, int *ambiguous)
{
	const struct command *found = NULL;
	size_t len = strlen(word);

	*ambiguous = 0;
	for (size_t i = 0; i < NCOMMANDS; i++) {
		if (strcmp(commands[i].name, word) == 0)
			return &commands[i];
		if (len && strncmp(commands[i].name, word, len) == 0) {
			if (found)
				*ambiguous = 1;
			found = &commands[i];
		}
	}
	return *ambiguous ? NULL : found;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const struct command *cmd;
	int c, ambiguous;

	/* '+': stop at the command word, its own options are its business. */
	while ((c = getopt_long(argc, argv, "+jphV", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			ctl.json = true;
			break;
		case 'p':
			ctl.json = true;
			ctl.pretty = true;
			break;
		case 'h':
			return cmd_help(0, NULL);
		case 'V':
			return cmd_version(0, NULL);
		default:
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc) {
		if (ctl.json)
			return usage_error("no command given");
		print_usage(stderr);
		return EXIT_USAGE;
	}
	cmd = find_command(argv[optind], &ambiguous);
	if (!cmd)
		return usage_error("%s command '%s'",
				   ambiguous ? "ambiguous" : "unknown",
				   argv[optind]);
	return cmd->run(argc - optind - 1, argv + optind + 1);
}
