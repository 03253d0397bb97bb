/* SPDX-License-Identifier: GPL-2.0 */
/* A streaming JSON writer: output is valid JSON whatever the caller nests. */
#ifndef VMXCTL_JSON_H
#define VMXCTL_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct json {
	FILE *out;
	bool pretty;
	int depth;
	bool need_comma;
	bool after_key;
	size_t len;
	char buf[16384];	/* what has not reached @out yet */
};

void json_init(struct json *j, FILE *out, bool pretty);
void json_open_object(struct json *j);
void json_close_object(struct json *j);
void json_open_array(struct json *j);
void json_close_array(struct json *j);
/* @key: one of vmxctl's own words, written without escaping. */
void json_key(struct json *j, const char *key);
void json_string(struct json *j, const char *s);
void json_uint(struct json *j, uint64_t v);
void json_int(struct json *j, int64_t v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);
/* Ratios; null for what JSON cannot hold (NaN, infinities). */
void json_double(struct json *j, double v);
/* Addresses and PFNs travel as "0x..." strings: JSON numbers lose bits. */
void json_hex(struct json *j, uint64_t v);
/* Names separated by spaces, as an array of strings (names need no escaping). */
void json_words(struct json *j, const char *s);
/* A value already written as compact JSON (a cached array), as it is. */
void json_raw(struct json *j, const char *s, size_t n);
/* json_words()'s array of @s into @out, as compact JSON: its length. */
size_t json_words_fmt(char *out, size_t size, const char *s);
/* A newline between top-level values (NDJSON). */
void json_line_end(struct json *j);
void json_end(struct json *j);
/* Hand what is buffered to @out's stdio (before writing there directly). */
void json_flush(struct json *j);

/* A key and its value in one call. */
void json_kv_string(struct json *j, const char *key, const char *v);
void json_kv_uint(struct json *j, const char *key, uint64_t v);
void json_kv_int(struct json *j, const char *key, int64_t v);
void json_kv_bool(struct json *j, const char *key, bool v);
void json_kv_hex(struct json *j, const char *key, uint64_t v);
void json_kv_double(struct json *j, const char *key, double v);

#endif
