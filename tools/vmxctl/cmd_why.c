// SPDX-License-Identifier: GPL-2.0
/*
 * vmxctl why PID ADDR read|write|exec [--user|--kernel]
 * Would this access fault now, and why, in one paragraph: the VMA, the
 * walk level by level, the protection key in each thread's PKRU, and what
 * the kernel's fault handler would do (demand fault, swap-in, copy on
 * write, NUMA hint, userfaultfd) or which signal the thread would get.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "names.h"
#include "pkru.h"
#include "target.h"
#include "vmxctl.h"
#include "why.h"

struct why_args {
	struct target t;
	uint64_t addr;
	enum why_access access;
	bool kernel_mode;
};

static int parse_why_args(int argc, char **argv, struct why_args *a)
{
	static const char *const names[] = { "read", "write", "exec" };
	struct args w;
	int n = 0, ret = args_parse("why", argc, argv, 2, &w);

	if (ret)
		return ret;
	if (w.npos < 2)
		return usage_error("why needs a pid and an address, then read, write or exec");
	for (int i = 0; i < 3; i++)
		if (args_has(&w, names[i])) {
			a->access = (enum why_access)i;
			n++;
		}
	if (n != 1)
		return usage_error("why: say one access: read, write or exec");
	if (args_has(&w, "--user") && args_has(&w, "--kernel"))
		return usage_error("why: --user or --kernel, not both");
	a->kernel_mode = args_has(&w, "--kernel");
	ret = args_pid(w.pos[0], &a->t);
	if (!ret)
		ret = args_number(w.pos[1], "an address", &a->addr);
	return ret;
}

/* Whether /proc/cpuinfo's first "flags" line names @flag. */
static bool cpu_flag(const char *flag)
{
	char line[4096], *p;
	size_t n = strlen(flag);
	FILE *f = fopen("/proc/cpuinfo", "r");
	bool found = false;

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "flags", 5))
			continue;
		for (p = strchr(line, ':'); p && !found; p = strchr(p + 1, ' '))
			found = !strncmp(p + 1, flag, n) &&
				(p[n + 1] == ' ' || p[n + 1] == '\n');
		break;
	}
	fclose(f);
	return found;
}

/* @text wrapped at 78 columns. */
static void print_wrapped(const char *text)
{
	const char *p = text;

	while (*p) {
		size_t len = strlen(p), cut = len;

		if (len > 78) {
			cut = 78;
			while (cut && p[cut] != ' ')
				cut--;
			if (!cut)
				cut = 78;
		}
		print_text("%.*s\n", (int)cut, p);
		p += cut;
		while (*p == ' ')
			p++;
	}
}

/* JSON's null for a missing string. */
static void json_string_or_null(const char *key, const char *v)
{
	if (v)
		print_string(PRINT_JSON, key, NULL, v);
	else
		print_null(PRINT_JSON, key, NULL);
}

static void print_why(const struct why_args *a, const struct vmx_resolve *r,
		      const struct pkru_set *pk, int pkru_err, const struct why *w)
{
	open_doc();
	char comm[17];

	name_cut(comm, 16, a->t.comm);
	print_int(PRINT_ANY, "pid", "# pid %" PRId64, a->t.pid);
	print_string(PRINT_JSON, "comm", NULL, a->t.comm);
	print_text(" (%s): a ", comm);
	print_string(PRINT_ANY, "mode", "%s-mode ", a->kernel_mode ? "kernel" : "user");
	print_string(PRINT_ANY, "access", "%s", why_access_name(a->access));
	print_hex(PRINT_ANY, "addr", " of 0x%" PRIx64 "\n", a->addr);
	print_string(PRINT_JSON, "verdict", NULL, w->verdict);
	json_string_or_null("signal", w->signal);
	json_string_or_null("si_code", w->si_code);
	print_string(PRINT_JSON, "reason", NULL, w->reason);
	json_string_or_null("level", w->level ? level_name(w->level) : NULL);
	if (r->result == VMX_RESOLVE_MAPPED)
		print_uint(PRINT_JSON, "pkey", NULL, r->final.pkey);
	if (pkru_err)
		print_string(PRINT_JSON, "pkru_error", NULL, strerror(-pkru_err));
	if (pk) {
		print_uint(PRINT_JSON, "pkru_threads_not_read", NULL, (uint64_t)pk->more);
		open_json_array("pkru");
		for (int i = 0; i < pk->n; i++) {
			open_json_object(NULL);
			print_int(PRINT_JSON, "tid", NULL, pk->tid[i]);
			print_hex(PRINT_JSON, "pkru", NULL, pk->pkru[i]);
			close_json_object();
		}
		close_json_array();
	}
	print_string(PRINT_JSON, "explanation", NULL, w->text);
	print_wrapped(w->text);
	print_text("verdict: %s", w->verdict);
	if (w->signal)
		print_text(" (%s, %s)", w->signal, w->si_code);
	print_text(" [%s]\n", w->reason);
	close_doc();
}

/* The protection key of the VMA holding @addr: 0, or -errno. */
static int vma_pkey(vmx_t *dev, const struct vmx_proc *p, uint64_t addr,
		    unsigned int *key)
{
	struct vmx_vma *v;
	size_t n;
	int ret = vmx_vmas(dev, p, &v, &n);

	if (ret)
		return ret;
	ret = -ENOENT;
	for (size_t i = 0; i < n; i++)
		if (v[i].start <= addr && addr < v[i].end) {
			*key = v[i].pkey;
			ret = 0;
		}
	free(v);
	return ret;
}

int cmd_why(int argc, char **argv)
{
	struct why_args a = { 0 };
	struct why_facts f = { 0 };
	struct vmx_resolve r;
	struct pkru_set pk;
	struct vmx_proc p;
	struct vmx_info in;
	struct why w;
	vmx_t *dev;
	int ret;

	ret = parse_why_args(argc, argv, &a);
	if (ret)
		return ret;
	ret = ctl_open_for(&dev, &in, VMX_FEAT_RESOLVE, "why");
	if (ret)
		return ret;
	p = target_proc(&a.t);
	f.user_addr = a.addr < in.user_va_end;
	memset(&r, 0, sizeof(r));
	if (f.user_addr) {
		ret = vmx_resolve(dev, &p, a.addr, 0, &r);
		if (ret) {
			ret = target_error(-ret, a.t.pid, "VMX_IOC_RESOLVE", NULL);
			goto out;
		}
	}
	if (a.kernel_mode && !f.user_addr) {
		ret = usage_error("why --kernel asks about kernel code touching a user address");
		goto out;
	}
	f.r = &r;
	f.addr = a.addr;
	f.in = &in;
	f.access = a.access;
	f.kernel_mode = a.kernel_mode;
	f.smap = cpu_flag("smap");
	f.smep = cpu_flag("smep");
	/* The key is the VMA's (access_error() checks it first), PKRU each thread's. */
	if ((in.paging & VMX_PAGING_PKU) && r.in_vma && a.access != WHY_EXEC &&
	    !vma_pkey(dev, &p, a.addr, &f.vma_pkey)) {
		f.has_vma_pkey = true;
		f.pkru_err = pkru_read(a.t.pid, &pk);
		f.pkru = f.pkru_err ? NULL : &pk;
	}
	why_decide(&f, &w);
	print_why(&a, &r, f.pkru, f.has_vma_pkey ? f.pkru_err : 0, &w);
	ret = EXIT_OK;
out:
	vmx_close(dev);
	return ret;
}
