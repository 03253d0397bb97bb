// SPDX-License-Identifier: GPL-2.0
/*
 * vmxctl window open PAGES
 * A helper process for experiments with remaps: it mmaps a vmx window of
 * PAGES pages, says where, and then reads and writes the window's pages on
 * command from stdin, one reply line per command line:
 *
 *	read I [LEN]	LEN bytes (default 16, at most 64) at the start of page I
 *	write I TEXT	TEXT and a NUL at the start of page I
 *	info		the first line again
 *	quit		(or EOF, SIGTERM, SIGINT) unmap and exit 0
 *
 * An access to a window page that holds no frame (or a write to a
 * read-only one) faults: the reply then names the signal instead of dying.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "target.h"
#include "vmxctl.h"

#define READ_DEFAULT_LEN	16
#define READ_MAX_LEN		64

struct window {
	vmx_t *dev;
	unsigned char *base;
	uint64_t pages;
	struct target self;
};

/* ---- Faults: SIGBUS or SIGSEGV from a window page become a reply ---- */

static sigjmp_buf fault_jump;
static volatile sig_atomic_t fault_armed;
static volatile sig_atomic_t fault_signal;

static void on_fault(int sig)
{
	if (!fault_armed) {
		/* A fault outside a window access is a bug: die of it. */
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	fault_armed = 0;
	fault_signal = sig;
	siglongjmp(fault_jump, 1);
}

/* Byte by byte through volatile pointers: every access happens, in order,
 * inside the guarded stretch, and none is merged or moved out of it.
 * 0, or the signal the access raised.
 */
static int guarded_copy(volatile unsigned char *dst,
			const volatile unsigned char *src, size_t len)
{
	/* C11 allows sigsetjmp() only as a whole condition, not in an
	 * assignment: the signal comes back through fault_signal.
	 */
	if (sigsetjmp(fault_jump, 1))
		return fault_signal;
	fault_armed = 1;
	for (size_t i = 0; i < len; i++)
		dst[i] = src[i];
	fault_armed = 0;
	return 0;
}

/* ---- Ending: SIGTERM and SIGINT exit 0 ---- */

static volatile sig_atomic_t stop_requested;
static volatile sig_atomic_t waiting_for_input;

/* While vmxctl waits for a command there is nothing to finish (every reply
 * is flushed) and exit unmaps the window and closes /dev/vmx as munmap and
 * close would: leave at once, instead of after the next line. Otherwise
 * finish the command first.
 */
static void on_stop(int sig)
{
	(void)sig;
	if (waiting_for_input)
		_exit(EXIT_OK);
	stop_requested = 1;
}

static int install_handlers(void)
{
	struct sigaction fault = { .sa_handler = on_fault };
	struct sigaction stop = { .sa_handler = on_stop };

	sigemptyset(&fault.sa_mask);
	sigemptyset(&stop.sa_mask);
	if (sigaction(SIGBUS, &fault, NULL) || sigaction(SIGSEGV, &fault, NULL) ||
	    sigaction(SIGTERM, &stop, NULL) || sigaction(SIGINT, &stop, NULL))
		return runtime_error(errno, NULL, "cannot install signal handlers");
	return EXIT_OK;
}

/* ---- Replies ---- */

/* One line, flushed: whoever drives the helper waits for it. */
static void reply(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void reply(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static const char *fault_name(int sig)
{
	return sig == SIGBUS ? "SIGBUS" : "SIGSEGV";
}

static void window_line(const struct window *w)
{
	reply("window pid %d start_time %" PRIu64 " addr 0x%" PRIxPTR " pages %" PRIu64,
	      (int)w->self.pid, w->self.start_time, (uintptr_t)w->base, w->pages);
}

/* Only the first line follows -j: the replies are for scripts that read
 * lines, not documents.
 */
static void window_json(const struct window *w)
{
	struct json *j = &ctl.j;

	open_doc();
	json_kv_int(j, "pid", w->self.pid);
	json_kv_uint(j, "start_time", w->self.start_time);
	json_kv_hex(j, "addr", (uintptr_t)w->base);
	json_kv_uint(j, "pages", w->pages);
	close_doc();
}

/* ---- Commands on stdin ---- */

/* The next word of *rest, NUL-terminated; *rest moves past the one blank
 * after it, so that what remains is the rest of the line as typed.
 */
static char *take_word(char **rest)
{
	char *word = *rest + strspn(*rest, " \t");
	char *end = word + strcspn(word, " \t");

	*rest = *end ? end + 1 : end;
	*end = '\0';
	return word;
}

/* The page a command names, or NULL after replying why not. */
static volatile unsigned char *window_page(const struct window *w,
					   const char *word)
{
	uint64_t index;

	if (!*word) {
		reply("error: no page index");
		return NULL;
	}
	if (parse_number(word, &index)) {
		reply("error: '%s' is not a page index", word);
		return NULL;
	}
	if (index >= w->pages) {
		reply("error: page %s is outside the window", word);
		return NULL;
	}
	return w->base + index * VMXCTL_PAGE_SIZE;
}

static void hex_and_text(const char *index, const unsigned char *buf, size_t len)
{
	printf("page %s:", index);
	for (size_t i = 0; i < len; i++)
		printf(" %02x", buf[i]);
	printf(" |");
	for (size_t i = 0; i < len; i++)
		putchar(buf[i] >= 0x20 && buf[i] < 0x7f ? buf[i] : '.');
	reply("|");
}

static void do_read(const struct window *w, char *rest)
{
	const char *index = take_word(&rest);
	const char *len_word = take_word(&rest);
	volatile unsigned char *page = window_page(w, index);
	unsigned char buf[READ_MAX_LEN];
	uint64_t len = READ_DEFAULT_LEN;
	int sig;

	if (!page)
		return;
	if (*rest || (*len_word && (parse_number(len_word, &len) || !len ||
				    len > READ_MAX_LEN))) {
		reply("error: read I [LEN], LEN 1 to %d", READ_MAX_LEN);
		return;
	}
	sig = guarded_copy(buf, page, len);
	if (sig)
		reply("page %s: %s", index, fault_name(sig));
	else
		hex_and_text(index, buf, len);
}

static void do_write(const struct window *w, char *rest)
{
	const char *index = take_word(&rest);
	volatile unsigned char *page = window_page(w, index);
	size_t len = strlen(rest) + 1;	/* the NUL too: readers see where it ends */
	int sig;

	if (!page)
		return;
	if (len > VMXCTL_PAGE_SIZE) {
		reply("error: %zu bytes do not fit in a page", len);
		return;
	}
	sig = guarded_copy(page, (unsigned char *)rest, len);
	if (sig)
		reply("page %s: %s", index, fault_name(sig));
	else
		reply("page %s: wrote %zu bytes", index, len);
}

/* 1 when the helper should end. */
static int do_command(const struct window *w, char *line)
{
	char *rest = line;
	const char *cmd = take_word(&rest);

	if (!strcmp(cmd, "quit"))
		return 1;
	if (!strcmp(cmd, "read"))
		do_read(w, rest);
	else if (!strcmp(cmd, "write"))
		do_write(w, rest);
	else if (!strcmp(cmd, "info") && !*rest)
		window_line(w);
	else
		reply("error: unknown command");
	return 0;
}

static void strip_newline(char *line)
{
	size_t len = strcspn(line, "\r\n");

	line[len] = '\0';
}

static void serve(const struct window *w)
{
	char *line = NULL;
	size_t size = 0;

	for (;;) {
		ssize_t n;

		waiting_for_input = 1;
		if (stop_requested)
			break;
		n = getline(&line, &size, stdin);
		waiting_for_input = 0;
		if (n < 0)
			break;	/* EOF ends the helper like quit */
		strip_newline(line);
		if (do_command(w, line) || stop_requested)
			break;
	}
	waiting_for_input = 0;
	free(line);
}

/* ---- window open ---- */

static int parse_window_args(int argc, char **argv, uint64_t *pages)
{
	if (argc < 1 || strcmp(argv[0], "open"))
		return usage_error("window needs 'open PAGES'");
	if (argc < 2)
		return usage_error("window open needs the number of pages");
	if (argc > 2)
		return usage_error("window open: unexpected argument '%s'", argv[2]);
	if (parse_number(argv[1], pages) || *pages < 1 ||
	    *pages > VMX_WINDOW_MAX_PAGES)
		return usage_error("window open: '%s' is not a page count: give 1 to %d",
				   argv[1], VMX_WINDOW_MAX_PAGES);
	return EXIT_OK;
}

static int window_map(struct window *w)
{
	void *p;
	int ret = vmx_window_open(w->dev, w->pages, &p);

	if (ret)
		return runtime_error(-ret, "docs/remaps.md describes windows",
				     "cannot mmap a window of %" PRIu64 " pages on %s",
				     w->pages, VMX_DEVICE_PATH);
	w->base = p;
	return EXIT_OK;
}

/* Our own start time, which remap requests must carry for this pid. */
static void window_self(struct window *w)
{
	char pid[16];

	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	target_parse(pid, &w->self);
}

int cmd_window(int argc, char **argv)
{
	struct window w = { .dev = NULL };
	struct vmx_info in;
	int ret;

	ret = parse_window_args(argc, argv, &w.pages);
	if (ret)
		return ret;
	ret = ctl_open_for(&w.dev, &in, VMX_FEAT_WINDOWS, "window");
	if (ret)
		return ret;
	ret = install_handlers();
	if (!ret)
		ret = window_map(&w);
	if (!ret) {
		window_self(&w);
		if (ctl.json)
			window_json(&w);
		else
			window_line(&w);
		serve(&w);
		vmx_window_close(w.base, w.pages);
	}
	vmx_close(w.dev);
	return ret;
}
