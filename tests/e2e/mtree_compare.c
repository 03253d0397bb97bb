// SPDX-License-Identifier: GPL-2.0
/*
 * vmxtest mtree PID: VMX_IOC_MTREE against two oracles.
 *  - /proc/PID/maps: the leaves hold one VMA per line ([vsyscall] is none).
 *  - The kernel's own mt_dump() (kernels with CONFIG_DEBUG_MAPLE_TREE, where
 *    vmx.ko offers /sys/kernel/debug/vmx/mt_dump): read back from /dev/kmsg,
 *    node by node in the same pre-order: range, depth, type, every pivot,
 *    arange gaps and metadata, and each leaf slot's range and whether it
 *    holds a VMA.
 * Exit status: 0 all equal, 1 a mismatch or error, 3 maps matched but the
 * kernel has no mt_dump.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "uapi/vmx.h"
#include "vmxtest.h"

#define MT_DUMP "/sys/kernel/debug/vmx/mt_dump"
#define MAX_NODES 8192

/* One line of mt_dump: a node, or a leaf's entry. */
struct dump_line {
	uint64_t min, max;
	int is_node;
	unsigned int depth, type;
	char *contents;		/* node: after "contents: " */
	int null_entry;		/* entry: the slot is NULL */
};

static unsigned long mismatches;

#define MISMATCH(...) do {						\
	if (mismatches++ < 20)						\
		printf("mismatch: " __VA_ARGS__);			\
} while (0)

static int count_maps(pid_t pid, unsigned int *n)
{
	char path[64], line[4096];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	*n = 0;
	while (fgets(line, sizeof(line), f))
		*n += !strstr(line, "[vsyscall]");
	fclose(f);
	return 0;
}

/* Text of the records the kernel logs from now until it stops, joined so
 * that each mt_dump line (pr_info plus pr_cont pieces) is one line.
 */
static char *log_after_dump(pid_t pid)
{
	size_t len = 0, cap = 1 << 20;
	char *out = malloc(cap), rec[8192], arg[32];
	int kfd, dfd;
	ssize_t r;

	kfd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	dfd = open(MT_DUMP, O_WRONLY);
	if (!out || kfd < 0 || dfd < 0 || lseek(kfd, 0, SEEK_END) < 0) {
		perror("mt_dump setup");
		exit(1);
	}
	snprintf(arg, sizeof(arg), "%d", pid);
	if (write(dfd, arg, strlen(arg)) < 0) {
		perror(MT_DUMP);
		exit(1);
	}
	close(dfd);
	while ((r = read(kfd, rec, sizeof(rec) - 1)) > 0 || (r < 0 && errno == EPIPE)) {
		char *msg, *end;
		size_t m;

		if (r < 0)
			continue;	/* records overwritten: the next one follows */
		rec[r] = 0;
		msg = strchr(rec, ';');
		if (!msg)
			continue;
		msg++;
		end = strchr(msg, '\n');
		if (end)
			*end = 0;
		m = strlen(msg);
		if (len + m + 2 > cap) {
			cap = 2 * (len + m + 2);
			out = realloc(out, cap);
			if (!out)
				exit(1);
		}
		/* A record that does not start a line continues the last one. */
		if (len && (msg[0] == ' ' || strchr("0123456789abcdef", msg[0]) ||
			    !strncmp(msg, "maple_tree(", 11)))
			out[len++] = '\n';
		memcpy(out + len, msg, m);
		len += m;
	}
	out[len] = 0;
	close(kfd);
	return out;
}

static int parse_line(char *s, struct dump_line *d)
{
	char *p = s;
	int n = 0;

	memset(d, 0, sizeof(*d));
	while (*p == ' ')
		p++;
	if (sscanf(p, "%" SCNx64 "-%" SCNx64 ": %n", &d->min, &d->max, &n) == 2 && n) {
		p += n;
	} else if (sscanf(p, "%" SCNx64 ": %n", &d->min, &n) == 1 && n) {
		d->max = d->min;
		p += n;
	} else {
		return -1;
	}
	if (!strncmp(p, "node ", 5)) {
		char *c = strstr(p, " contents: ");

		if (sscanf(p, "node %*s depth %u type %u", &d->depth, &d->type) != 2 || !c)
			return -1;
		d->is_node = 1;
		d->contents = c + 11;
		return 0;
	}
	d->null_entry = !strncmp(p, "0000000000000000", 16);
	return 0;
}

/* mt_dump's contents: range64 "slot piv ... slot", arange64 "gaps | end gap| slot piv ... slot". */
static void compare_contents(unsigned int i, const struct vmx_mt_node *n, char *c)
{
	unsigned int nslots = n->type == VMX_MT_ARANGE_64 ? 10 : 16;
	char *tok[64], *save = NULL;
	unsigned int nt = 0, t = 0;

	for (char *w = strtok_r(c, " |", &save); w && nt < 64; w = strtok_r(NULL, " |", &save))
		tok[nt++] = w;
	if (n->type == VMX_MT_ARANGE_64) {
		if (nt < 12 + 2 * nslots - 1) {
			MISMATCH("node %u: %u words in contents\n", i, nt);
			return;
		}
		for (unsigned int s = 0; s < nslots; s++)
			if (strtoull(tok[t++], NULL, 16) != n->gap[s])
				MISMATCH("node %u gap %u: %s vs %" PRIx64 "\n", i, s,
					 tok[t - 1], (uint64_t)n->gap[s]);
		if (strtoul(tok[t], NULL, 16) != n->meta_end ||
		    strtoul(tok[t + 1], NULL, 16) != n->meta_gap)
			MISMATCH("node %u metadata: %s %s vs %u %u\n", i, tok[t], tok[t + 1],
				 n->meta_end, n->meta_gap);
		t += 2;
	} else if (nt < 2 * nslots - 1) {
		MISMATCH("node %u: %u words in contents\n", i, nt);
		return;
	}
	/* Pivots of the slots in use; the last slot's end is the node's max. */
	for (unsigned int s = 0; s < n->slots && s < nslots - 1; s++) {
		uint64_t piv = strtoull(tok[t + 2 * s + 1], NULL, 16);

		if (piv != n->pivot[s])
			MISMATCH("node %u pivot %u: %" PRIx64 " vs %" PRIx64 "\n", i, s,
				 piv, (uint64_t)n->pivot[s]);
	}
}

static int compare_dump(const struct vmx_mtree *d, const struct vmx_mt_node *n,
			char *text)
{
	char *save = NULL, *line;
	unsigned int height = 0, node = 0, slot = 0, header = 0;
	const struct vmx_mt_node *leaf = NULL;

	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct dump_line l;
		char *h = strstr(line, "maple_tree(");

		if (h) {
			if (sscanf(strstr(h, "height") ?: "", "height %u", &height) != 1)
				MISMATCH("header: %s\n", h);
			header++;
			continue;
		}
		if (!header || parse_line(line, &l))
			continue;
		if (!l.is_node) {
			if (!leaf || slot >= leaf->slots) {
				MISMATCH("entry %" PRIx64 "-%" PRIx64 " outside vmx's slots\n",
					 l.min, l.max);
				continue;
			}
			if (l.min != (slot ? leaf->pivot[slot - 1] + 1 : leaf->min) ||
			    l.max != leaf->pivot[slot] ||
			    l.null_entry != !(leaf->used & (1U << slot)))
				MISMATCH("leaf #%td slot %u: %" PRIx64 "-%" PRIx64 " %s\n",
					 leaf - n, slot, l.min, l.max,
					 l.null_entry ? "gap" : "vma");
			slot++;
			continue;
		}
		if (leaf && slot != leaf->slots)
			MISMATCH("leaf #%td: mt_dump lists %u slots, vmx %u\n",
				 leaf - n, slot, leaf->slots);
		leaf = NULL;
		if (node >= d->count) {
			MISMATCH("mt_dump has more than vmx's %u nodes\n", d->count);
			node++;
			continue;
		}
		if (l.min != n[node].min || l.max != n[node].max ||
		    l.depth != n[node].depth || l.type != n[node].type)
			MISMATCH("node %u: %" PRIx64 "-%" PRIx64 " depth %u type %u vs %" PRIx64
				 "-%" PRIx64 " depth %u type %u\n", node, l.min, l.max, l.depth,
				 l.type, (uint64_t)n[node].min, (uint64_t)n[node].max,
				 n[node].depth, n[node].type);
		compare_contents(node, &n[node], l.contents);
		if (n[node].type == VMX_MT_LEAF_64) {
			leaf = &n[node];
			slot = 0;
		}
		node++;
	}
	if (leaf && slot != leaf->slots)
		MISMATCH("leaf #%td: mt_dump lists %u slots, vmx %u\n", leaf - n, slot,
			 leaf->slots);
	if (header != 1)
		MISMATCH("%u mt_dump headers in the log\n", header);
	if (height != d->height)
		MISMATCH("height: mt_dump %u, vmx %u\n", height, d->height);
	if (node != d->count)
		MISMATCH("nodes: mt_dump %u, vmx %u\n", node, d->count);
	printf("mt_dump: %u nodes, height %u\n", node, height);
	return 0;
}

int mtree_compare(pid_t pid)
{
	struct vmx_mt_node *n = calloc(MAX_NODES, sizeof(*n));
	struct vmx_mtree d = {
		.size = sizeof(d), .pid = pid, .entry_size = sizeof(*n),
		.nodes = (uintptr_t)n, .max_nodes = MAX_NODES,
	};
	unsigned int maps;
	int fd = open("/dev/vmx", O_RDWR);

	if (!n || fd < 0 || ioctl(fd, VMX_IOC_MTREE, &d) < 0 || count_maps(pid, &maps)) {
		perror("vmxtest mtree");
		return 1;
	}
	close(fd);
	printf("vmx: %u nodes, height %u, %u VMAs; maps: %u lines\n", d.count, d.height,
	       d.vmas, maps);
	if (d.count != d.total)
		MISMATCH("%u nodes returned of %u\n", d.count, d.total);
	if (d.vmas != maps)
		MISMATCH("VMAs: vmx %u, maps %u\n", d.vmas, maps);
	if (access(MT_DUMP, W_OK) == 0) {
		compare_dump(&d, n, log_after_dump(pid));
	} else if (!mismatches) {
		printf("no %s: this kernel has no mt_dump\n", MT_DUMP);
		return 3;
	}
	printf("%lu mismatches\n", mismatches);
	return mismatches ? 1 : 0;
}
