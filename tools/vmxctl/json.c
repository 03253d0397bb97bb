// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include "json.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "fmt.h"

/* One object per page-table entry in a dump: stdio's lock per call adds up. */
#define fputc(c, f)	fputc_unlocked(c, f)
#define fputs(s, f)	fputs_unlocked(s, f)

void json_init(struct json *j, FILE *out, bool pretty)
{
	j->out = out;
	j->pretty = pretty;
	j->depth = 0;
	j->need_comma = false;
	j->after_key = false;
}

static void json_indent(struct json *j)
{
	if (!j->pretty)
		return;
	fputc('\n', j->out);
	for (int i = 0; i < j->depth; i++)
		fputs("  ", j->out);
}

/* Everything that starts a value goes through here: commas and layout. */
static void json_value_start(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->need_comma)
		fputc(',', j->out);
	if (j->depth > 0)
		json_indent(j);
}

static void json_value_end(struct json *j)
{
	j->need_comma = true;
}

static void json_open(struct json *j, char c)
{
	json_value_start(j);
	fputc(c, j->out);
	j->depth++;
	j->need_comma = false;
}

static void json_close(struct json *j, char c)
{
	j->depth--;
	if (j->need_comma)
		json_indent(j);
	fputc(c, j->out);
	json_value_end(j);
}

void json_open_object(struct json *j) { json_open(j, '{'); }
void json_close_object(struct json *j) { json_close(j, '}'); }
void json_open_array(struct json *j) { json_open(j, '['); }
void json_close_array(struct json *j) { json_close(j, ']'); }

static void json_quoted(struct json *j, const char *s)
{
	size_t n = 0;

	/* Names and numbers, nearly always: nothing to escape, one write. */
	while ((unsigned char)s[n] >= 0x20 && s[n] != '"' && s[n] != '\\')
		n++;
	if (!s[n]) {
		fputc('"', j->out);
		fwrite_unlocked(s, 1, n, j->out);
		fputc('"', j->out);
		return;
	}
	fputc('"', j->out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(j->out, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(j->out, "\\u%04x", *p);
		else
			fputc(*p, j->out);
	}
	fputc('"', j->out);
}

void json_key(struct json *j, const char *key)
{
	json_value_start(j);
	json_quoted(j, key);
	fputs(j->pretty ? ": " : ":", j->out);
	j->after_key = true;
}

void json_string(struct json *j, const char *s)
{
	json_value_start(j);
	json_quoted(j, s);
	json_value_end(j);
}

void json_uint(struct json *j, uint64_t v)
{
	char buf[24];

	json_value_start(j);
	fwrite_unlocked(buf, 1, fmt_dec(buf, v), j->out);
	json_value_end(j);
}

void json_int(struct json *j, int64_t v)
{
	char buf[24];
	size_t n = 0;

	if (v < 0)
		buf[n++] = '-';
	n += fmt_dec(buf + n, v < 0 ? -(uint64_t)v : (uint64_t)v);
	json_value_start(j);
	fwrite_unlocked(buf, 1, n, j->out);
	json_value_end(j);
}

void json_bool(struct json *j, bool v)
{
	json_value_start(j);
	fputs(v ? "true" : "false", j->out);
	json_value_end(j);
}

void json_null(struct json *j)
{
	json_value_start(j);
	fputs("null", j->out);
	json_value_end(j);
}

void json_double(struct json *j, double v)
{
	if (!isfinite(v)) {
		json_null(j);
		return;
	}
	json_value_start(j);
	fprintf(j->out, "%.6g", v);
	json_value_end(j);
}

void json_hex(struct json *j, uint64_t v)
{
	char buf[24] = "\"0x";
	size_t n = 3 + fmt_hex(buf + 3, v, 0);

	buf[n++] = '"';
	json_value_start(j);
	fwrite_unlocked(buf, 1, n, j->out);
	json_value_end(j);
}

void json_words(struct json *j, const char *s)
{
	json_open_array(j);
	while (*s) {
		size_t n = strcspn(s, " ");

		if (n) {
			json_value_start(j);
			fputc('"', j->out);
			fwrite_unlocked(s, 1, n, j->out);
			fputc('"', j->out);
			json_value_end(j);
		}
		s += n + (s[n] == ' ');
	}
	json_close_array(j);
}

void json_line_end(struct json *j)
{
	fputc('\n', j->out);
	j->need_comma = false;
}

void json_end(struct json *j)
{
	fputc('\n', j->out);
	fflush(j->out);
}

void json_kv_string(struct json *j, const char *key, const char *v)
{
	json_key(j, key);
	json_string(j, v);
}

void json_kv_uint(struct json *j, const char *key, uint64_t v)
{
	json_key(j, key);
	json_uint(j, v);
}

void json_kv_int(struct json *j, const char *key, int64_t v)
{
	json_key(j, key);
	json_int(j, v);
}

void json_kv_bool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	json_bool(j, v);
}

void json_kv_hex(struct json *j, const char *key, uint64_t v)
{
	json_key(j, key);
	json_hex(j, v);
}

void json_kv_double(struct json *j, const char *key, double v)
{
	json_key(j, key);
	json_double(j, v);
}
