// SPDX-License-Identifier: GPL-2.0
/* Snapshots of page tables: taken, written, read (see snapshot.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "snapshot.h"

/* A file claiming more is refused rather than allocated. */
#define SNAP_MAX_RECORDS	(1ULL << 32)

static int grow(struct vmx_entry **e, size_t *cap, size_t need)
{
	struct vmx_entry *n;
	size_t c = *cap ? *cap : 4096;

	while (c < need)
		c *= 2;
	if (c == *cap)
		return 0;
	n = realloc(*e, c * sizeof(**e));
	if (!n)
		return -ENOMEM;
	*e = n;
	*cap = c;
	return 0;
}

int snapshot_take(vmx_t *dev, const struct vmx_info *in,
		  const struct target *t, uint64_t start, uint64_t end,
		  bool frozen, struct snapshot *s)
{
	struct vmx_proc p = target_proc(t);
	const void *recs;
	vmx_dump_t *d;
	size_t n, cap = 0, nvmas;
	int ret;

	memset(s, 0, sizeof(*s));
	s->source = "live";
	ret = vmx_vmas(dev, &p, &s->vmas, &nvmas);
	if (ret)
		return ret;
	ret = vmx_dump_open(dev, &d, &p, start, end, 0);
	if (ret)
		goto fail;
	while ((ret = vmx_dump_batch(d, &recs, &n)) > 0) {
		ret = grow(&s->e, &cap, s->h.nentries + n);
		if (ret)
			break;
		memcpy(&s->e[s->h.nentries], recs, n * sizeof(*s->e));
		s->h.nentries += n;
	}
	vmx_dump_roots(d, &s->h.root_pa, &s->h.root_pa_user);
	vmx_dump_close(d);
	if (ret)
		goto fail;
	memcpy(s->h.magic, SNAP_MAGIC, sizeof(s->h.magic));
	s->h.version = SNAP_VERSION;
	s->h.header_size = sizeof(s->h);
	s->h.vma_size = sizeof(*s->vmas);
	s->h.entry_size = sizeof(*s->e);
	s->h.nvmas = nvmas;
	s->h.pid = t->pid;
	s->h.flags = (frozen ? SNAP_FROZEN : 0) |
		     (in->paging & VMX_PAGING_PTI ? SNAP_PTI : 0);
	s->h.start_time = t->start_time;
	s->h.taken_s = (uint64_t)time(NULL);
	s->h.start = start;
	s->h.end = end;
	s->h.levels = in->levels;
	s->h.abi_version = in->abi_version;
	snprintf(s->h.comm, sizeof(s->h.comm), "%s", t->comm);
	snprintf(s->h.release, sizeof(s->h.release), "%s", in->release);
	return 0;
fail:
	snapshot_free(s);
	return ret;
}

int snapshot_write(const struct snapshot *s, FILE *f)
{
	if (fwrite(&s->h, sizeof(s->h), 1, f) != 1 ||
	    (s->h.nvmas && fwrite(s->vmas, sizeof(*s->vmas), s->h.nvmas, f) != s->h.nvmas) ||
	    (s->h.nentries && fwrite(s->e, sizeof(*s->e), s->h.nentries, f) != s->h.nentries) ||
	    fflush(f))
		return -(errno ? errno : EIO);
	return 0;
}

/*
 * @n records of @size bytes from @f into @out (each @want bytes): a larger
 * record is cut (fields a later vmxctl added), a smaller one zero-filled.
 */
static int read_records(FILE *f, void *out, size_t want, uint64_t n, size_t size)
{
	char *buf = malloc(size);

	if (!buf)
		return -ENOMEM;
	for (uint64_t i = 0; i < n; i++) {
		char *dst = (char *)out + i * want;

		if (fread(buf, size, 1, f) != 1) {
			free(buf);
			return -EIO;
		}
		memset(dst, 0, want);
		memcpy(dst, buf, size < want ? size : want);
	}
	free(buf);
	return 0;
}

/* A regular file shorter than its counts say: refused before allocating. */
static bool too_short(FILE *f, const struct snap_header *h)
{
	struct stat st;

	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode))
		return false;
	return (uint64_t)st.st_size < h->header_size + h->nvmas * h->vma_size +
				      h->nentries * h->entry_size;
}

/* Records a module never writes: refused, so no table index strays. */
static bool records_sane(const struct snapshot *s)
{
	for (uint64_t i = 0; i < s->h.nentries; i++) {
		const struct vmx_entry *e = &s->e[i];

		if (e->level < VMX_LEVEL_PTE || e->level > VMX_LEVEL_PGD ||
		    e->kind < VMX_KIND_TABLE || e->kind > VMX_KIND_UNKNOWN ||
		    e->span_shift < 12 || e->span_shift > 48 || (e->span_shift - 12) % 9 ||
		    e->span_shift > 12 + 9 * (e->level - VMX_LEVEL_PTE))
			return false;
	}
	for (uint64_t i = 0; i < s->h.nvmas; i++)
		if (s->vmas[i].start >= s->vmas[i].end)
			return false;
	return true;
}

static int bad(char *why, size_t size, const char *reason, int err)
{
	snprintf(why, size, "%s", reason);
	return -err;
}

int snapshot_read(const char *path, struct snapshot *s, char *why, size_t size)
{
	struct snap_header h;
	FILE *f;
	int ret;

	memset(s, 0, sizeof(*s));
	s->source = path;
	f = fopen(path, "rb");
	if (!f)
		return bad(why, size, "cannot open it", errno);
	memset(&h, 0, sizeof(h));
	/* Version 1's header is this struct; a later one may be longer. */
	if (fread(&h, sizeof(h), 1, f) != 1 || memcmp(h.magic, SNAP_MAGIC, 8)) {
		fclose(f);
		return bad(why, size, "not a vmx snapshot (vmxctl snapshot PID > FILE makes one)", EINVAL);
	}
	if (h.version != SNAP_VERSION || h.header_size < sizeof(h) ||
	    h.vma_size < offsetof(struct vmx_vma, name) + VMX_VMA_NAME_LEN ||
	    h.entry_size < offsetof(struct vmx_entry, mapcount) + sizeof(int32_t) ||
	    h.nvmas > SNAP_MAX_RECORDS || h.nentries > SNAP_MAX_RECORDS) {
		fclose(f);
		return bad(why, size, "a snapshot version or layout this vmxctl does not read", EINVAL);
	}
	/* A later header's extra bytes, read past: a pipe cannot seek. */
	for (uint32_t i = sizeof(h); i < h.header_size; i++)
		if (fgetc(f) == EOF) {
			fclose(f);
			return bad(why, size, "truncated", EIO);
		}
	if (too_short(f, &h)) {
		fclose(f);
		return bad(why, size, "truncated (shorter than its header says)", EIO);
	}
	s->h = h;
	s->h.comm[sizeof(s->h.comm) - 1] = '\0';
	s->h.release[sizeof(s->h.release) - 1] = '\0';
	s->vmas = calloc(h.nvmas ? h.nvmas : 1, sizeof(*s->vmas));
	s->e = calloc(h.nentries ? h.nentries : 1, sizeof(*s->e));
	if (!s->vmas || !s->e) {
		fclose(f);
		snapshot_free(s);
		return bad(why, size, "out of memory", ENOMEM);
	}
	ret = read_records(f, s->vmas, sizeof(*s->vmas), h.nvmas, h.vma_size);
	if (!ret)
		ret = read_records(f, s->e, sizeof(*s->e), h.nentries, h.entry_size);
	fclose(f);
	if (ret) {
		snapshot_free(s);
		return bad(why, size, ret == -ENOMEM ? "out of memory" : "truncated", -ret);
	}
	for (uint64_t i = 0; i < h.nvmas; i++)
		s->vmas[i].name[VMX_VMA_NAME_LEN - 1] = '\0';
	if (!records_sane(s)) {
		snapshot_free(s);
		return bad(why, size, "corrupt (a record no module writes)", EINVAL);
	}
	s->h.header_size = sizeof(s->h);
	s->h.vma_size = sizeof(*s->vmas);
	s->h.entry_size = sizeof(*s->e);
	return 0;
}

void snapshot_free(struct snapshot *s)
{
	free(s->vmas);
	free(s->e);
	s->vmas = NULL;
	s->e = NULL;
}
