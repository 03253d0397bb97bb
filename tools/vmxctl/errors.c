// SPDX-License-Identifier: GPL-2.0
/* Errors go to stderr as one line in text mode, and stay JSON in -j mode. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "vmxctl.h"

void json_doc_begin(void)
{
	json_init(&ctl.j, stdout, ctl.pretty);
	json_open_object(&ctl.j);
	json_key(&ctl.j, "schema_version");
	json_uint(&ctl.j, VMXCTL_SCHEMA_VERSION);
}

void json_doc_end(void)
{
	json_close_object(&ctl.j);
	json_end(&ctl.j);
}

static int report(int status, int err, const char *hint, const char *fmt,
		  va_list ap)
{
	char msg[512];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (ctl.json) {
		json_doc_begin();
		json_key(&ctl.j, "error");
		json_string(&ctl.j, msg);
		if (err) {
			json_key(&ctl.j, "errno");
			json_string(&ctl.j, strerrorname_np(err) ?: "?");
			json_key(&ctl.j, "errno_code");
			json_int(&ctl.j, err);
		}
		if (hint) {
			json_key(&ctl.j, "hint");
			json_string(&ctl.j, hint);
		}
		json_doc_end();
		return status;
	}
	if (err)
		fprintf(stderr, "vmxctl: %s: %s (%s)%s%s\n", msg, strerror(err),
			strerrorname_np(err) ?: "?", hint ? "; " : "",
			hint ? hint : "");
	else
		fprintf(stderr, "vmxctl: %s%s%s\n", msg, hint ? "; " : "",
			hint ? hint : "");
	return status;
}

int usage_error(const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = report(EXIT_USAGE, 0, "see 'vmxctl help'", fmt, ap);
	va_end(ap);
	return ret;
}

int runtime_error(int err, const char *hint, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = report(EXIT_RUNTIME, err, hint, fmt, ap);
	va_end(ap);
	return ret;
}
