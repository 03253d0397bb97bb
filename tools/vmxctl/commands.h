/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every command's grammar, declared once: its words, what each means and an
 * example. Help, `-j help`, the usage errors and the sync test
 * (tests/host/cli-sync.sh, which holds the man page and the completion to
 * it) all read this table.
 */
#ifndef VMXCTL_COMMANDS_H
#define VMXCTL_COMMANDS_H

#include <stdio.h>

/* What a keyword is: where in a command line (or elsewhere) it goes. */
enum keyword_kind {
	KW_WORD,	/* typed after the command, with its values */
	KW_FLAG,	/* a value of another word (edit's set and clear) */
	KW_STDIN,	/* a command the running process reads on stdin */
	KW_PLACE,	/* stands for something else (help's COMMAND) */
};

struct keyword {
	const char *word;	/* as typed; aliases follow after '|' */
	const char *args;	/* the values it takes, or "" */
	const char *meaning;
	enum keyword_kind kind;
};

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;	/* the words after the command name */
	const char *summary;	/* one line, under 60 columns */
	const struct keyword *keywords;	/* ends with { NULL } */
	const char *example;
};

extern const struct command commands[];
extern const unsigned int ncommands;

/*
 * The command @word names, exactly or as a unique prefix; NULL when none or
 * several do (then @candidates, if not NULL, lists them, comma-separated).
 */
const struct command *find_command(const char *word, char *candidates,
				   size_t size);
/* Whether @word asks a command for its help (help, --help, -h). */
int is_help_word(const char *word);
/*
 * The list of commands (@cmd NULL) or one command's help, text or JSON.
 * @f takes the text list only (stderr after a usage error); a command's
 * help and the JSON go to stdout, as every output.h print does.
 */
int print_help(FILE *f, const struct command *cmd);

#endif
