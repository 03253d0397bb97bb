// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include "json.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "fmt.h"

/*
 * A dump is one object per page-table entry, some 25 values each: they go
 * into the writer's own buffer, which reaches stdio in one call when full,
 * at the end of a line of NDJSON and when a top-level value closes.
 */
void json_flush(struct json *j)
{
	if (j->len)
		fwrite_unlocked(j->buf, 1, j->len, j->out);
	j->len = 0;
}

static void json_put(struct json *j, const char *s, size_t n)
{
	if (j->len + n > sizeof(j->buf)) {
		json_flush(j);
		if (n > sizeof(j->buf)) {
			fwrite_unlocked(s, 1, n, j->out);
			return;
		}
	}
	memcpy(j->buf + j->len, s, n);
	j->len += n;
}

static void json_putc(struct json *j, char c)
{
	if (j->len == sizeof(j->buf))
		json_flush(j);
	j->buf[j->len++] = c;
}

static void json_puts(struct json *j, const char *s)
{
	json_put(j, s, strlen(s));
}

void json_init(struct json *j, FILE *out, bool pretty)
{
	/* A new document after an old one's unfinished start: keep that. */
	if (j->out)
		json_flush(j);
	j->out = out;
	j->pretty = pretty;
	j->depth = 0;
	j->need_comma = false;
	j->after_key = false;
	j->len = 0;
}

static void json_indent(struct json *j)
{
	if (!j->pretty)
		return;
	json_putc(j, '\n');
	for (int i = 0; i < j->depth; i++)
		json_puts(j, "  ");
}

/* Everything that starts a value goes through here: commas and layout. */
static void json_value_start(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->need_comma)
		json_putc(j, ',');
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
	json_putc(j, c);
	j->depth++;
	j->need_comma = false;
}

static void json_close(struct json *j, char c)
{
	j->depth--;
	if (j->need_comma)
		json_indent(j);
	json_putc(j, c);
	json_value_end(j);
	if (!j->depth)
		json_flush(j);
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
		json_putc(j, '"');
		json_put(j, s, n);
		json_putc(j, '"');
		return;
	}
	json_putc(j, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		char esc[8];

		if (*p == '"' || *p == '\\')
			json_put(j, esc, snprintf(esc, sizeof(esc), "\\%c", *p));
		else if (*p < 0x20)
			json_put(j, esc, snprintf(esc, sizeof(esc), "\\u%04x", *p));
		else
			json_putc(j, *p);
	}
	json_putc(j, '"');
}

void json_key(struct json *j, const char *key)
{
	size_t n = strlen(key);

	json_value_start(j);
	/* Keys are vmxctl's own words: nothing in them needs escaping. */
	json_putc(j, '"');
	json_put(j, key, n);
	json_puts(j, j->pretty ? "\": " : "\":");
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
	json_put(j, buf, fmt_dec(buf, v));
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
	json_put(j, buf, n);
	json_value_end(j);
}

void json_bool(struct json *j, bool v)
{
	json_value_start(j);
	json_puts(j, v ? "true" : "false");
	json_value_end(j);
}

void json_null(struct json *j)
{
	json_value_start(j);
	json_puts(j, "null");
	json_value_end(j);
}

void json_double(struct json *j, double v)
{
	if (!isfinite(v)) {
		json_null(j);
		return;
	}
	char buf[32];

	json_value_start(j);
	json_put(j, buf, snprintf(buf, sizeof(buf), "%.6g", v));
	json_value_end(j);
}

void json_hex(struct json *j, uint64_t v)
{
	char buf[24] = "\"0x";
	size_t n = 3 + fmt_hex(buf + 3, v, 0);

	buf[n++] = '"';
	json_value_start(j);
	json_put(j, buf, n);
	json_value_end(j);
}

void json_words(struct json *j, const char *s)
{
	json_open_array(j);
	while (*s) {
		size_t n = strcspn(s, " ");

		if (n) {
			json_value_start(j);
			json_putc(j, '"');
			json_put(j, s, n);
			json_putc(j, '"');
			json_value_end(j);
		}
		s += n + (s[n] == ' ');
	}
	json_close_array(j);
}

void json_raw(struct json *j, const char *s, size_t n)
{
	json_value_start(j);
	json_put(j, s, n);
	json_value_end(j);
}

size_t json_words_fmt(char *out, size_t size, const char *s)
{
	size_t n = 0;

	out[n++] = '[';
	while (*s && n + 4 < size) {
		size_t w = strcspn(s, " ");

		if (w && n + w + 4 < size) {
			if (out[n - 1] != '[')
				out[n++] = ',';
			out[n++] = '"';
			memcpy(out + n, s, w);
			n += w;
			out[n++] = '"';
		}
		s += w + (s[w] == ' ');
	}
	out[n++] = ']';
	out[n] = '\0';
	return n;
}

void json_line_end(struct json *j)
{
	json_putc(j, '\n');
	json_flush(j);
	j->need_comma = false;
}

void json_end(struct json *j)
{
	json_putc(j, '\n');
	json_flush(j);
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
