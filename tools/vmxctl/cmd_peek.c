// SPDX-License-Identifier: GPL-2.0
/*
 * vmxctl peek PID ADDR [LEN]
 * Bytes of the frame a user address maps, as the kernel reads them through
 * its direct map (VMX_IOC_PEEK): the same bytes the process sees, reached
 * from the other side of the page tables.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "names.h"
#include "target.h"
#include "vmxctl.h"

#define PEEK_DEFAULT_LEN	64
#define HEX_PER_LINE		16

struct peek_args {
	struct target t;
	uint64_t addr;
	uint64_t len;
};

static int parse_peek_args(int argc, char **argv, struct peek_args *a)
{
	struct args w;
	int ret = args_parse("peek", argc, argv, 3, &w);

	if (ret)
		return ret;
	if (w.npos < 2)
		return usage_error("peek needs a pid and an address");
	ret = args_pid(w.pos[0], &a->t) ?:
	      args_number(w.pos[1], "an address", &a->addr);
	a->len = PEEK_DEFAULT_LEN;
	if (!ret && w.npos == 3 && (parse_number(w.pos[2], &a->len) || !a->len))
		return usage_error("'%s' is not a length: give 1 or more bytes", w.pos[2]);
	return ret;
}

/* Page-bound: the module reads one frame, holding a reference on it. */
static int check_peek_args(struct peek_args *a, const struct vmx_info *in,
			   int len_given)
{
	uint64_t page = in->page_size ? in->page_size : 4096;
	uint64_t room = page - (a->addr & (page - 1));
	int ret = check_user_addr(in, "peek", a->addr);

	if (ret)
		return ret;
	if (a->len <= room)
		return EXIT_OK;
	if (!len_given) {
		a->len = room;	/* the default stops at the page's end */
		return EXIT_OK;
	}
	return usage_error("peek: %" PRIu64 " bytes from 0x%" PRIx64 " run past the end of its page at 0x%" PRIx64 ": at most %" PRIu64,
			   a->len, a->addr, a->addr + room, room);
}

static int peek_error(int err, const struct peek_args *a)
{
	char hint[96];

	switch (err) {
	case EPERM:
		return runtime_error(err, "the kernel is locked down; peek reads memory as /dev/mem would",
				     "peek refused");
	case ENOENT:
		snprintf(hint, sizeof(hint), "not mapped (or swapped out): try 'vmxctl resolve %d 0x%" PRIx64 "'",
			 a->t.pid, a->addr);
		return runtime_error(err, hint, "nothing present at 0x%" PRIx64 " in pid %d",
				     a->addr, a->t.pid);
	case EINVAL:
		return runtime_error(err, "a user address, and at most to the end of its page",
				     "the module refused %" PRIu64 " bytes at 0x%" PRIx64,
				     a->len, a->addr);
	case EFAULT:
		return runtime_error(err, NULL, "the module could not write vmxctl's buffer");
	default:
		return target_error(err, a->t.pid, "VMX_IOC_PEEK", NULL);
	}
}

/* One line per 16 bytes, addressed as the process sees them: 80 columns. */
static void hexdump(uint64_t addr, const unsigned char *buf, size_t len)
{
	int width = 12;	/* user addresses of 4-level paging */

	while (width < 16 && ((addr + len - 1) >> (4 * width)))
		width++;
	for (size_t off = 0; off < len; off += HEX_PER_LINE) {
		printf("%0*" PRIx64, width, addr + off);
		for (size_t i = 0; i < HEX_PER_LINE; i++) {
			if (off + i < len)
				printf("%s%02x", i == 8 ? "  " : " ", buf[off + i]);
			else
				printf("%s  ", i == 8 ? "  " : " ");
		}
		printf(" |");
		for (size_t i = 0; i < HEX_PER_LINE && off + i < len; i++)
			putchar(buf[off + i] >= 0x20 && buf[off + i] < 0x7f ? buf[off + i] : '.');
		printf("|\n");
	}
}

/* JSON: the bytes as one hex string; text: a hex dump. */
static void print_bytes(const struct peek_args *a, const unsigned char *buf)
{
	char *hex;

	if (!is_json()) {
		hexdump(a->addr, buf, a->len);
		return;
	}
	hex = malloc(2 * a->len + 1);
	if (!hex)
		return;
	for (uint64_t i = 0; i < a->len; i++)
		snprintf(hex + 2 * i, 3, "%02x", buf[i]);
	print_string(PRINT_JSON, "bytes", NULL, hex);
	free(hex);
}

static void peek_print(const struct peek_args *a, const struct vmx_peek *p,
		       const unsigned char *buf)
{
	open_doc();
	print_int(PRINT_ANY, "pid", "pid %" PRId64, a->t.pid);
	print_string(PRINT_ANY, "comm", " (%s), ", a->t.comm);
	print_uint(PRINT_JSON, "start_time", NULL, a->t.start_time);
	print_hex(PRINT_JSON, "addr", NULL, a->addr);
	print_uint(PRINT_ANY, "len", "%" PRIu64 " bytes", a->len);
	print_text(" at 0x%" PRIx64 "\n", a->addr);
	print_hex(PRINT_ANY, "pa", "phys 0x%" PRIx64, p->pa);
	print_hex(PRINT_JSON, "direct_map", NULL, p->direct_map);
	print_text(", read through the direct map at %s", kaddr_text(p->direct_map));
	print_string(PRINT_ANY, "level", " (%s leaf)\n", level_name(p->level));
	print_bytes(a, buf);
	close_doc();
}

int cmd_peek(int argc, char **argv)
{
	struct peek_args a = { 0 };
	unsigned char *buf = NULL;
	struct vmx_peek p;
	struct vmx_info in;
	struct vmx_proc proc;
	vmx_t *dev;
	int ret;

	ret = parse_peek_args(argc, argv, &a);
	if (ret)
		return ret;
	ret = ctl_open_for(&dev, &in, VMX_FEAT_PEEK, "peek");
	if (ret)
		return ret;
	ret = check_peek_args(&a, &in, argc == 3);
	if (!ret) {
		buf = calloc(1, a.len);
		if (!buf)
			ret = runtime_error(ENOMEM, NULL, "no memory for %" PRIu64 " bytes", a.len);
	}
	if (!ret) {
		proc = target_proc(&a.t);
		ret = vmx_peek(dev, &proc, a.addr, buf, a.len, &p);
		if (ret)
			ret = peek_error(-ret, &a);
	}
	vmx_close(dev);
	if (!ret)
		peek_print(&a, &p, buf);
	free(buf);
	return ret;
}
