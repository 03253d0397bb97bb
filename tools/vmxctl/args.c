// SPDX-License-Identifier: GPL-2.0
/* The shared argument parser: see args.h for its rules. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "vmxctl.h"

int parse_number(const char *s, uint64_t *v)
{
	int base = 10;
	char *end;

	/* Hex needs its 0x: a leading 0 is not octal, and no sign is taken. */
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (base == 16 ? !isxdigit((unsigned char)*s) : !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	*v = strtoull(s, &end, base);
	return errno || *end ? -1 : 0;
}

int args_number(const char *s, const char *what, uint64_t *v)
{
	if (parse_number(s, v))
		return usage_error("'%s' is not %s: give it in hex (0x...) or decimal",
				   s, what);
	return EXIT_OK;
}

int args_pid(const char *s, struct target *t)
{
	if (target_parse(s, t))
		return usage_error("'%s' is not a pid", s);
	return EXIT_OK;
}

/* Whether @typed is one of @spelling's '|'-separated names, or a prefix of one. */
static bool spelled(const char *spelling, const char *typed, bool prefix)
{
	size_t len = strlen(typed);

	for (const char *s = spelling; *s;) {
		size_t n = strcspn(s, "|");

		/* "-" and "--" alone name no option: a prefix needs a letter. */
		if (prefix ? len < n && !strncmp(s, typed, len) &&
			     strspn(typed, "-") < len :
			     len == n && !strncmp(s, typed, n))
			return true;
		s += n + (s[n] == '|');
	}
	return false;
}

/* How many values a word takes: the names in its table entry's args. */
static int value_count(const struct keyword *k)
{
	int n = 0;

	for (const char *s = k->args; *s; s++)
		if (*s != ' ' && (s == k->args || s[-1] == ' '))
			n++;
	return n;
}

#define NOT_A_WORD	(-2)

/*
 * The index of the word @typed names; -1 after a usage error; NOT_A_WORD
 * when it names none and @may_be_positional (a pid or address mistyped).
 */
static int find_word(const struct args *a, const char *typed,
		     bool may_be_positional)
{
	char names[160];
	size_t used = 0;
	int found = -1, n = 0;

	for (int i = 0; a->words[i].word && i < ARGS_MAX_WORDS; i++)
		if (a->words[i].kind == KW_WORD && spelled(a->words[i].word, typed, false))
			return i;
	for (int i = 0; *typed && a->words[i].word && i < ARGS_MAX_WORDS; i++) {
		const char *w = a->words[i].word;

		if (a->words[i].kind != KW_WORD || !spelled(w, typed, true))
			continue;
		found = i;
		if (used < sizeof(names))
			used += snprintf(names + used, sizeof(names) - used, "%s%.*s",
					 n ? ", " : "", (int)strcspn(w, "|"), w);
		n++;
	}
	if (n == 1)
		return found;
	if (n > 1)
		usage_error("%s: ambiguous word '%s': %s", a->cmd, typed, names);
	else if (typed[0] != '-' && may_be_positional)
		return NOT_A_WORD;
	else if (typed[0] == '-')
		usage_error("%s: unknown option '%s'", a->cmd, typed);
	else
		usage_error("%s: unknown word '%s'", a->cmd, typed);
	return -1;
}

static bool is_positional(const char *s)
{
	return isdigit((unsigned char)s[0]) ||
	       (s[0] == '-' && isdigit((unsigned char)s[1]));
}

int args_parse(const char *cmd, int argc, char **argv, int max_pos,
	       struct args *a)
{
	const struct command *c = find_command(cmd, NULL, 0);

	memset(a, 0, sizeof(*a));
	if (max_pos > ARGS_MAX_POS)
		max_pos = ARGS_MAX_POS;
	a->cmd = cmd;
	a->words = c->keywords;
	for (int i = 0; i < argc; i++) {
		int w, nval;

		if (is_positional(argv[i])) {
			if (a->npos >= max_pos)
				return usage_error("%s: unexpected argument '%s'",
						   cmd, argv[i]);
			a->pos[a->npos++] = argv[i];
			continue;
		}
		w = find_word(a, argv[i], a->npos < max_pos);
		if (w == NOT_A_WORD) {
			/* Its own parser says what it is not ("not a pid"). */
			a->pos[a->npos++] = argv[i];
			continue;
		}
		if (w < 0)
			return EXIT_USAGE;
		if (a->given & (1u << w))
			return usage_error("%s: '%s' given twice", cmd, argv[i]);
		a->given |= 1u << w;
		nval = value_count(&a->words[w]);
		if (i + nval >= argc)
			return usage_error("%s: '%s' needs %s after it", cmd,
					   argv[i], a->words[w].args);
		for (int v = 0; v < nval && v < ARGS_MAX_VALUES; v++)
			a->val[w][v] = argv[++i];
	}
	return EXIT_OK;
}

static int word_index(const struct args *a, const char *word)
{
	for (int i = 0; a->words[i].word && i < ARGS_MAX_WORDS; i++)
		if (spelled(a->words[i].word, word, false))
			return i;
	return -1;
}

bool args_has(const struct args *a, const char *word)
{
	int i = word_index(a, word);

	return i >= 0 && (a->given & (1u << i));
}

const char *args_value(const struct args *a, const char *word, int n)
{
	int i = word_index(a, word);

	return i >= 0 && (a->given & (1u << i)) ? a->val[i][n] : NULL;
}
