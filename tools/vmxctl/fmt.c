// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "fmt.h"

size_t fmt_hex(char *dst, uint64_t v, int width)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[16];
	int n = 0;

	do {
		tmp[n++] = digits[v & 0xf];
		v >>= 4;
	} while (v);
	while (n < width && n < 16)
		tmp[n++] = '0';
	for (int i = 0; i < n; i++)
		dst[i] = tmp[n - 1 - i];
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
