/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One argument parser for the commands that take a pid, addresses and
 * words: it reads the command's words from its table in commands.c, so a
 * word accepted is a word documented. A word matches whole, by an alias
 * ("-v" for "verbose") or by a unique prefix ("lea" for "leaves"); an
 * argument that starts with a digit (or '-' and a digit) is positional;
 * numbers are 0x-prefixed hex or decimal everywhere, never octal.
 */
#ifndef VMXCTL_ARGS_H
#define VMXCTL_ARGS_H

#include <stdbool.h>
#include <stdint.h>

#include "target.h"

#define ARGS_MAX_POS	6
#define ARGS_MAX_WORDS	16
#define ARGS_MAX_VALUES	2

struct args {
	const char *cmd;
	const struct keyword *words;	/* the command's table */
	const char *pos[ARGS_MAX_POS];
	int npos;
	uint32_t given;			/* bit i: words[i] was typed */
	const char *val[ARGS_MAX_WORDS][ARGS_MAX_VALUES];
};

/*
 * Sort @argv into @a: positionals (at most @max_pos) and the command's
 * words with their values. A usage error (exit 2, reported) for an
 * unknown or ambiguous word, a missing value, a word given twice or one
 * positional too many; EXIT_OK otherwise.
 */
int args_parse(const char *cmd, int argc, char **argv, int max_pos,
	       struct args *a);
/* Whether the word @word (any of its spellings in the table) was typed. */
bool args_has(const struct args *a, const char *word);
/* Its value @n (0 or 1), or NULL. */
const char *args_value(const struct args *a, const char *word, int n);

/* 0x-prefixed hex or decimal, nothing else (no octal, no sign): 0 or -1. */
int parse_number(const char *s, uint64_t *v);
/* The same, with the usage error that names @what ("an address", ...). */
int args_number(const char *s, const char *what, uint64_t *v);
/* A pid (the process need not exist: the module says ESRCH), or a usage error. */
int args_pid(const char *s, struct target *t);

#endif
