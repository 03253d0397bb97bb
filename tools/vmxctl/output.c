// SPDX-License-Identifier: GPL-2.0
/* The print layer of output.h, on json.c's emitter (ctl.j). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "output.h"
#include "vmxctl.h"

/* Formats come from the callers, one value each, as in iproute2. */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

bool is_json(void)
{
	return ctl.json;
}

/* What the writer buffers reaches stdio at exit, as stdio's own does. */
static void flush_at_exit(void)
{
	if (ctl.j.out)
		json_flush(&ctl.j);
}

void open_doc(void)
{
	static bool registered;

	if (!ctl.json)
		return;
	if (!registered && !atexit(flush_at_exit))
		registered = true;
	json_init(&ctl.j, stdout, ctl.pretty);
	json_open_object(&ctl.j);
	json_kv_uint(&ctl.j, "schema_version", VMXCTL_SCHEMA_VERSION);
}

void out_flush(void)
{
	if (ctl.json)
		json_flush(&ctl.j);
	fflush(stdout);
}

void close_doc(void)
{
	if (!ctl.json)
		return;
	json_close_object(&ctl.j);
	json_end(&ctl.j);
}

/* The key, if any, and whether the JSON side takes part at all. */
static bool json_part(enum output_type t, const char *key)
{
	if (!ctl.json || !(t & PRINT_JSON))
		return false;
	if (key)
		json_key(&ctl.j, key);
	return true;
}

static bool text_part(enum output_type t, const char *fmt)
{
	return !ctl.json && (t & PRINT_TEXT) && fmt;
}

void open_json_object(const char *key)
{
	if (json_part(PRINT_JSON, key))
		json_open_object(&ctl.j);
}

void close_json_object(void)
{
	if (ctl.json)
		json_close_object(&ctl.j);
}

void open_json_array(const char *key)
{
	if (json_part(PRINT_JSON, key))
		json_open_array(&ctl.j);
}

void close_json_array(void)
{
	if (ctl.json)
		json_close_array(&ctl.j);
}

int print_string(enum output_type t, const char *key, const char *fmt, const char *v)
{
	if (json_part(t, key))
		json_string(&ctl.j, v);
	return text_part(t, fmt) ? printf(fmt, v) : 0;
}

int print_words(enum output_type t, const char *key, const char *fmt, const char *v)
{
	if (json_part(t, key))
		json_words(&ctl.j, v);
	return text_part(t, fmt) ? printf(fmt, v) : 0;
}

int print_uint(enum output_type t, const char *key, const char *fmt, uint64_t v)
{
	if (json_part(t, key))
		json_uint(&ctl.j, v);
	return text_part(t, fmt) ? printf(fmt, v) : 0;
}

int print_int(enum output_type t, const char *key, const char *fmt, int64_t v)
{
	if (json_part(t, key))
		json_int(&ctl.j, v);
	return text_part(t, fmt) ? printf(fmt, v) : 0;
}

int print_hex(enum output_type t, const char *key, const char *fmt, uint64_t v)
{
	if (json_part(t, key))
		json_hex(&ctl.j, v);
	return text_part(t, fmt) ? printf(fmt, v) : 0;
}

int print_bool(enum output_type t, const char *key, const char *fmt, bool v)
{
	if (json_part(t, key))
		json_bool(&ctl.j, v);
	return text_part(t, fmt) ? printf(fmt, (int)v) : 0;
}

int print_double(enum output_type t, const char *key, const char *fmt, double v)
{
	if (json_part(t, key))
		json_double(&ctl.j, v);
	return text_part(t, fmt) ? printf(fmt, v) : 0;
}

int print_null(enum output_type t, const char *key, const char *fmt)
{
	if (json_part(t, key))
		json_null(&ctl.j);
	return text_part(t, fmt) ? printf("%s", fmt) : 0;
}

int print_text(const char *fmt, ...)
{
	va_list ap;
	int n;

	if (ctl.json)
		return 0;
	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}
