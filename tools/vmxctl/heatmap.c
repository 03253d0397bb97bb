// SPDX-License-Identifier: GPL-2.0
/* The SVG of vmxctl watch --heatmap (see heatmap.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heatmap.h"
#include "names.h"

#define MAX_ROWS	256
#define LABEL_W		300	/* the VMA names on the left */
#define PLOT_W		720
#define PLOT_H		512
#define TOP		40
#define BOTTOM		40

struct heatmap {
	struct watch_vma *vmas;
	uint64_t *offset;	/* where each VMA starts in the rows' space */
	size_t nvmas;
	uint64_t total;		/* bytes of all VMAs */
	unsigned int rows;
	size_t cols, cap;
	double *t;		/* each column's time */
	uint64_t *cell;		/* accessed bytes, cols x rows */
};

struct heatmap *heatmap_new(const struct watch_vma *vmas, size_t n)
{
	struct heatmap *h;
	uint64_t pages;
	size_t i;

	if (!n)
		return NULL;
	h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	h->vmas = malloc(n * sizeof(*vmas));
	h->offset = malloc(n * sizeof(*h->offset));
	if (!h->vmas || !h->offset) {
		heatmap_free(h);
		return NULL;
	}
	memcpy(h->vmas, vmas, n * sizeof(*vmas));
	h->nvmas = n;
	for (i = 0; i < n; i++) {
		h->offset[i] = h->total;
		h->total += vmas[i].end - vmas[i].start;
	}
	pages = h->total / 4096;
	h->rows = pages < MAX_ROWS ? (unsigned int)pages : MAX_ROWS;
	if (!h->rows)
		h->rows = 1;
	return h;
}

int heatmap_column(struct heatmap *h, double t)
{
	if (h->cols == h->cap) {
		size_t cap = h->cap ? 2 * h->cap : 64;
		uint64_t *cell = realloc(h->cell, cap * h->rows * sizeof(*cell));
		double *tt;

		if (!cell)
			return -ENOMEM;
		h->cell = cell;
		tt = realloc(h->t, cap * sizeof(*tt));
		if (!tt)
			return -ENOMEM;
		h->t = tt;
		h->cap = cap;
	}
	memset(&h->cell[h->cols * h->rows], 0, h->rows * sizeof(*h->cell));
	h->t[h->cols++] = t;
	return 0;
}

/* Row @r covers [row_start(r), row_start(r + 1)) of the rows' space. */
static uint64_t row_start(const struct heatmap *h, unsigned int r)
{
	return (uint64_t)((unsigned __int128)h->total * r / h->rows);
}

void heatmap_leaf(uint64_t va, uint64_t bytes, bool accessed, void *arg)
{
	struct heatmap *h = arg;
	uint64_t *col, off, end;
	unsigned int r;
	size_t i;

	if (!accessed || !h->cols)
		return;
	for (i = 0; i < h->nvmas; i++)
		if (va >= h->vmas[i].start && va < h->vmas[i].end)
			break;
	if (i == h->nvmas)
		return;		/* a VMA that came after the first sample */
	if (va + bytes > h->vmas[i].end)
		bytes = h->vmas[i].end - va;
	off = h->offset[i] + (va - h->vmas[i].start);
	end = off + bytes;
	col = &h->cell[(h->cols - 1) * h->rows];
	r = (unsigned int)((unsigned __int128)off * h->rows / h->total);
	for (; r < h->rows && row_start(h, r) < end; r++) {
		uint64_t lo = row_start(h, r), hi = row_start(h, r + 1);

		lo = lo > off ? lo : off;
		hi = hi < end ? hi : end;
		if (hi > lo)
			col[r] += hi - lo;
	}
}

/* Light yellow for a little, dark red for all of a cell. */
static void shade(char *out, size_t size, double f)
{
	int r = 255 - (int)(f * 128), g = 245 - (int)(f * 245),
	    b = 200 - (int)(f * 200);

	snprintf(out, size, "#%02x%02x%02x", r, g, b);
}

static void xml_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '>')
			fputs("&gt;", f);
		else if (*s == '&')
			fputs("&amp;", f);
		else if ((unsigned char)*s >= 0x20)
			fputc(*s, f);
	}
}

static void write_cells(FILE *f, const struct heatmap *h, double cw, double rh)
{
	char fill[8];

	for (size_t c = 0; c < h->cols; c++) {
		for (unsigned int r = 0; r < h->rows; r++) {
			uint64_t bytes = row_start(h, r + 1) - row_start(h, r);
			uint64_t v = h->cell[c * h->rows + r];

			if (!v || !bytes)
				continue;
			shade(fill, sizeof(fill), (double)v / (double)bytes);
			fprintf(f, "<rect class=\"cell\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"/>\n",
				LABEL_W + c * cw, TOP + r * rh, cw, rh, fill);
		}
	}
}

static void write_vmas(FILE *f, const struct heatmap *h)
{
	char size[16];

	for (size_t i = 0; i < h->nvmas; i++) {
		double y = TOP + (double)h->offset[i] * PLOT_H / (double)h->total;
		const struct watch_vma *v = &h->vmas[i];

		human_size(size, sizeof(size), v->end - v->start);
		fprintf(f, "<line x1=\"0\" x2=\"%d\" y1=\"%.2f\" y2=\"%.2f\" stroke=\"#999\" stroke-width=\"0.5\"/>\n",
			LABEL_W + PLOT_W, y, y);
		fprintf(f, "<text class=\"vma\" x=\"4\" y=\"%.2f\" font-size=\"9\">%" PRIx64 " %s ",
			y + 9, v->start, size);
		xml_text(f, v->name[0] ? v->name : "[anon]");
		fputs("</text>\n", f);
	}
}

int heatmap_write(const struct heatmap *h, const char *path, int pid,
		  const char *comm)
{
	double cw = h->cols ? (double)PLOT_W / (double)h->cols : PLOT_W;
	double rh = (double)PLOT_H / h->rows;
	FILE *f = fopen(path, "w");

	if (!f)
		return -errno;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"font-family=\"monospace\" data-samples=\"%zu\" data-rows=\"%u\">\n",
		LABEL_W + PLOT_W + 10, TOP + PLOT_H + BOTTOM, h->cols, h->rows);
	fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
	fprintf(f, "<text x=\"4\" y=\"16\" font-size=\"13\">vmxctl watch %d (", pid);
	xml_text(f, comm);
	fprintf(f, "): Accessed bits, %zu samples; rows: the VMAs' addresses, holes left out</text>\n",
		h->cols);
	fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#f4f4f4\"/>\n",
		LABEL_W, TOP, PLOT_W, PLOT_H);
	write_cells(f, h, cw, rh);
	write_vmas(f, h);
	if (h->cols)
		fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"10\">%.2f s</text>\n"
			"<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\">%.2f s (time: left to right)</text>\n",
			LABEL_W, TOP + PLOT_H + 14, h->t[0], LABEL_W + PLOT_W,
			TOP + PLOT_H + 14, h->t[h->cols - 1]);
	fputs("</svg>\n", f);
	if (fclose(f))
		return -errno;
	return 0;
}

void heatmap_free(struct heatmap *h)
{
	if (!h)
		return;
	free(h->vmas);
	free(h->offset);
	free(h->t);
	free(h->cell);
	free(h);
}
