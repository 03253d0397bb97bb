/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One output layer, after iproute2's json_print.h: a command prints its data
 * once, and each call writes the text form or the JSON member, as -j asks.
 * PRINT_ANY goes to both, PRINT_TEXT and PRINT_JSON to one: where the text
 * and the JSON order or say things differently, a value is printed twice,
 * once for each, next to each other in the code.
 *
 * In text mode @fmt is a printf format for the one value (NULL: nothing);
 * in JSON mode @key names the member (NULL: an array element). The calls
 * return the columns printed in text mode (0 in JSON), for wrapping.
 * @fmt takes the value as the call passes it: PRIu64 or PRIx64 for
 * print_uint and print_hex, PRId64 for print_int, %d for print_bool.
 */
#ifndef VMXCTL_OUTPUT_H
#define VMXCTL_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>

enum output_type {
	PRINT_TEXT = 1,
	PRINT_JSON = 2,
	PRINT_ANY = PRINT_TEXT | PRINT_JSON,
};

bool is_json(void);

/* A JSON document: '{', schema_version ... '}' and a newline; no-ops in text. */
void open_doc(void);
void close_doc(void);

/* Objects and arrays are JSON only: text shows their members. */
void open_json_object(const char *key);
void close_json_object(void);
void open_json_array(const char *key);
void close_json_array(void);

int print_string(enum output_type t, const char *key, const char *fmt, const char *v);
/* JSON: an array of the space-separated names in @v; text: @fmt with @v. */
int print_words(enum output_type t, const char *key, const char *fmt, const char *v);
int print_uint(enum output_type t, const char *key, const char *fmt, uint64_t v);
int print_int(enum output_type t, const char *key, const char *fmt, int64_t v);
/* JSON: a "0x..." string (JSON numbers lose bits); text: @fmt with @v. */
int print_hex(enum output_type t, const char *key, const char *fmt, uint64_t v);
/* JSON: true or false; text: @fmt with @v as an int. */
int print_bool(enum output_type t, const char *key, const char *fmt, bool v);
/* JSON: a ratio, null when not finite; text: @fmt with @v. */
int print_double(enum output_type t, const char *key, const char *fmt, double v);
/* JSON: null; text: @fmt alone. */
int print_null(enum output_type t, const char *key, const char *fmt);
/* What is printed so far, out now (JSON's buffer too): a time series. */
void out_flush(void);
/* Text only: printf. */
int print_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
