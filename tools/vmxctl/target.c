// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "target.h"
#include "vmxctl.h"

static int read_stat(struct target *t)
{
	char path[64], buf[1024], *open, *close;
	unsigned long long start;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)t->pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* comm may hold spaces and parentheses: it ends at the last ')'. */
	open = strchr(buf, '(');
	close = strrchr(buf, ')');
	if (!open || !close || close < open)
		return -1;
	snprintf(t->comm, sizeof(t->comm), "%.*s", (int)(close - open - 1), open + 1);
	/* After ')': state is field 3, starttime field 22. */
	if (sscanf(close + 2, "%c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u"
		   " %*d %*d %*d %*d %*d %*d %llu", &t->state, &start) != 2)
		return -1;
	t->start_time = start;
	return 0;
}

int target_parse(const char *s, struct target *t)
{
	char *end;
	long pid;

	errno = 0;
	pid = strtol(s, &end, 10);
	if (errno || end == s || *end || pid <= 0 || pid > 0x3fffffff)
		return -1;
	memset(t, 0, sizeof(*t));
	t->pid = (pid_t)pid;
	if (read_stat(t))
		snprintf(t->comm, sizeof(t->comm), "?");
	return 0;
}

static pid_t stopped_pid;

static void resume_and_die(int sig)
{
	if (stopped_pid)
		kill(stopped_pid, SIGCONT);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* /proc/pid/stat's flags (field 9) hold PF_KTHREAD for kernel threads. */
#define PF_KTHREAD_FLAG	0x00200000UL

const char *target_no_mm_reason(pid_t pid)
{
	char path[64], buf[1024], *close, state;
	unsigned long flags;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return "has exited";
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	close = strrchr(buf, ')');
	if (!close || sscanf(close + 2, "%c %*d %*d %*d %*d %*d %lu", &state, &flags) != 2)
		return "has exited";
	if (flags & PF_KTHREAD_FLAG)
		return "is a kernel thread";
	if (state == 'Z' || state == 'X')
		return "has exited (a zombie)";
	return "is exiting";
}

int target_stop(struct target *t)
{
	struct timespec tick = { 0, 1000000 };

	if (t->state == 'T' || t->state == 't')
		return EXIT_OK;	/* already stopped: leave it so */
	signal(SIGINT, resume_and_die);
	signal(SIGTERM, resume_and_die);
	signal(SIGHUP, resume_and_die);
	if (kill(t->pid, SIGSTOP))
		return runtime_error(errno, NULL, "cannot stop pid %d", (int)t->pid);
	stopped_pid = t->pid;
	t->stopped_by_us = 1;
	for (int i = 0; i < 1000; i++) {
		struct target now = *t;

		/* A pid reused meanwhile keeps the start time asked about. */
		if (read_stat(&now) || now.start_time != t->start_time)
			break;
		t->state = now.state;
		if (t->state == 'T')
			break;
		nanosleep(&tick, NULL);
	}
	return EXIT_OK;
}

void target_resume_now(void)
{
	if (stopped_pid)
		kill(stopped_pid, SIGCONT);
}

void target_resume(struct target *t)
{
	if (t->stopped_by_us)
		kill(t->pid, SIGCONT);
	t->stopped_by_us = 0;
	stopped_pid = 0;
}

int target_status_bytes(const struct target *t, const char *field, uint64_t *bytes)
{
	size_t len = strlen(field);
	unsigned long long kb;
	char path[64], line[256];
	int ret = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)t->pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, len) && line[len] == ':' &&
		    sscanf(line + len + 1, "%llu kB", &kb) == 1) {
			*bytes = kb * 1024;
			ret = 0;
			break;
		}
	fclose(f);
	return ret;
}
