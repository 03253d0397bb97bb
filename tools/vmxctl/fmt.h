/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Number formatting without printf, for the paths that print a line or a
 * JSON object per page-table entry (dump): vfprintf was 2/3 of vmxctl's
 * time there. Each writes at @dst and returns the characters written; no
 * terminating NUL.
 */
#ifndef VMXCTL_FMT_H
#define VMXCTL_FMT_H

#include <stddef.h>
#include <stdint.h>

/* Lower-case hex, zero-padded to at least @width digits (0: no padding). */
size_t fmt_hex(char *dst, uint64_t v, int width);
/* Decimal. */
size_t fmt_dec(char *dst, uint64_t v);
/* @s without its NUL. */
size_t fmt_str(char *dst, const char *s);

#endif
