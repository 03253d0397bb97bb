// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "fmt.h"

size_t fmt_hex(char *dst, uint64_t v, int width)
{
	static const char digits[] = "0123456789abcdef";
	int n = (64 - __builtin_clzll(v | 1) + 3) / 4;

	if (n < width)
		n = width < 16 ? width : 16;
	/* Straight into place, last digit first. */
	for (int i = n - 1; i >= 0; i--, v >>= 4)
		dst[i] = digits[v & 0xf];
	return (size_t)n;
}

size_t fmt_dec(char *dst, uint64_t v)
{
	char tmp[20];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (int i = 0; i < n; i++)
		dst[i] = tmp[n - 1 - i];
	return (size_t)n;
}

size_t fmt_str(char *dst, const char *s)
{
	size_t n = strlen(s);

	memcpy(dst, s, n);
	return n;
}
