// SPDX-License-Identifier: GPL-2.0
/*
 * vmxctl [-j|--json] [-p|--pretty] [--ndjson] COMMAND [ARGS...]
 * Command words may be abbreviated to any unique prefix, as in bpftool.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "vmxctl.h"

struct vmxctl ctl;

int cmd_help(int argc, char **argv)
{
	const struct command *cmd = NULL;
	char candidates[256];

	if (argc > 1)
		return usage_error("help: unexpected argument '%s'", argv[1]);
	if (argc == 1) {
		cmd = find_command(argv[0], candidates, sizeof(candidates));
		if (!cmd)
			return usage_error("help: %s command '%s'%s%s",
					   candidates[0] ? "ambiguous" : "unknown",
					   argv[0], candidates[0] ? ": " : "",
					   candidates);
	}
	return print_help(stdout, cmd);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "ndjson", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const struct command *cmd;
	char candidates[256];
	int c;

	/* Our own messages only: getopt's would not be JSON under -j. */
	opterr = 0;
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
		case 'n':
			ctl.json = true;
			ctl.ndjson = true;
			break;
		case 'h':
			return cmd_help(0, NULL);
		case 'V':
			return cmd_version(0, NULL);
		default:
			/* optopt: the letter, also inside a cluster like -xj. */
			if (optopt)
				return usage_error("unknown option '-%c'", optopt);
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (ctl.ndjson && ctl.pretty) {
		ctl.pretty = false;	/* the error itself on one line */
		return usage_error("--ndjson and --pretty do not mix: NDJSON is a value a line");
	}
	if (optind >= argc) {
		if (ctl.json)
			return usage_error("no command given");
		print_help(stderr, NULL);
		return EXIT_USAGE;
	}
	cmd = find_command(argv[optind], candidates, sizeof(candidates));
	if (!cmd)
		return usage_error("%s command '%s'%s%s",
				   candidates[0] ? "ambiguous" : "unknown",
				   argv[optind], candidates[0] ? ": " : "",
				   candidates);
	if (cmd->run != cmd_help)
		ctl.cmd = cmd->name;
	/* 'vmxctl dump help', 'vmxctl dump --help': the command's help. */
	if (cmd->run != cmd_help && optind + 1 < argc && is_help_word(argv[optind + 1]))
		return print_help(stdout, cmd);
	return cmd->run(argc - optind - 1, argv + optind + 1);
}
