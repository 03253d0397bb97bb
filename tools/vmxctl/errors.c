// SPDX-License-Identifier: GPL-2.0
/* Errors go to stderr as one line in text mode, and stay JSON in -j mode. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "vmxctl.h"

static int report(int status, int err, const char *hint, const char *fmt,
		  va_list ap)
{
	char msg[512];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (ctl.json) {
		open_doc();
		json_kv_string(&ctl.j, "error", msg);
		if (err) {
			json_kv_string(&ctl.j, "errno", strerrorname_np(err) ?: "?");
			json_kv_int(&ctl.j, "errno_code", err);
		}
		if (hint) {
			json_kv_string(&ctl.j, "hint", hint);
		}
		close_doc();
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
	char hint[64];
	va_list ap;
	int ret;

	snprintf(hint, sizeof(hint), "see 'vmxctl help%s%s'", ctl.cmd ? " " : "",
		 ctl.cmd ? ctl.cmd : "");
	va_start(ap, fmt);
	ret = report(EXIT_USAGE, 0, hint, fmt, ap);
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
