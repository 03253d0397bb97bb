// SPDX-License-Identifier: GPL-2.0
/* The SVG of vmxctl watch --heatmap (see heatmap.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "heatmap.h"
#include "names.h"

#define ROWS		256
#define LABEL_W		300	/* the VMA names on the left */
#define PLOT_W		720
#define PLOT_H		512
#define TOP		40
#define BOTTOM		40

struct hm_vma {
	uint64_t start, end;	/* clipped to the range */
	unsigned int row, rows;	/* its first row, how many */
	uint64_t flags;
	char name[48];
};

struct heatmap {
	struct hm_vma *v;
	size_t nv, cursor;	/* cursor: leaves ascend within a column */
	unsigned int rows;
	size_t cols;
	unsigned int per_col;	/* samples merged into a column */
	unsigned int in_col;	/* samples in the last column so far */
	double t[HEATMAP_MAX_COLS];
	uint64_t *cell;		/* accessed bytes, HEATMAP_MAX_COLS x rows */
};

struct heatmap *heatmap_new(const struct watch_vma *vmas, size_t n,
			    uint64_t start, uint64_t end)
{
	struct heatmap *h = calloc(1, sizeof(*h));
	unsigned int spare, row = 0;
	uint64_t total = 0;
	size_t i;

	if (!h)
		return NULL;
	h->v = calloc(n ? n : 1, sizeof(*h->v));
	if (!h->v)
		goto fail;
	for (i = 0; i < n; i++) {
		struct hm_vma *v = &h->v[h->nv];

		v->start = vmas[i].start > start ? vmas[i].start : start;
		v->end = vmas[i].end < end ? vmas[i].end : end;
		if (v->end <= v->start)
			continue;
		v->flags = vmas[i].flags;
		name_cut(v->name, sizeof(v->name) - 1, vmas[i].name[0] ? vmas[i].name : "[anon]");
		total += v->end - v->start;
		h->nv++;
	}
	/* A row each, the rest shared by size. */
	spare = h->nv < ROWS ? ROWS - (unsigned int)h->nv : 0;
	for (i = 0; i < h->nv; i++) {
		struct hm_vma *v = &h->v[i];

		v->row = row;
		v->rows = 1 + (unsigned int)((unsigned __int128)spare * (v->end - v->start) / total);
		row += v->rows;
	}
	h->rows = row ? row : 1;
	h->per_col = 1;
	h->cell = calloc((size_t)HEATMAP_MAX_COLS * h->rows, sizeof(*h->cell));
	if (h->cell)
		return h;
fail:
	heatmap_free(h);
	return NULL;
}

/* Two columns into one, when the picture is full. */
static void halve(struct heatmap *h)
{
	for (size_t c = 0; c < h->cols / 2; c++) {
		uint64_t *dst = &h->cell[c * h->rows];
		const uint64_t *a = &h->cell[2 * c * h->rows], *b = a + h->rows;

		for (unsigned int r = 0; r < h->rows; r++)
			dst[r] = a[r] + b[r];
		h->t[c] = h->t[2 * c];
	}
	h->cols /= 2;
	h->per_col *= 2;
	memset(&h->cell[h->cols * h->rows], 0,
	       (HEATMAP_MAX_COLS - h->cols) * h->rows * sizeof(*h->cell));
}

int heatmap_column(struct heatmap *h, double t)
{
	h->cursor = 0;
	if (h->cols && h->in_col < h->per_col) {
		h->in_col++;
		return 0;
	}
	if (h->cols == HEATMAP_MAX_COLS)
		halve(h);
	h->t[h->cols++] = t;
	h->in_col = 1;
	return 0;
}

/* Row @r of VMA @v covers [row_lo, row_lo') of it. */
static uint64_t row_lo(const struct hm_vma *v, unsigned int r)
{
	return v->start + (uint64_t)((unsigned __int128)(v->end - v->start) * r / v->rows);
}

void heatmap_leaf(uint64_t va, uint64_t bytes, bool accessed, void *arg)
{
	struct heatmap *h = arg;
	const struct hm_vma *v;
	uint64_t *col, end;
	unsigned int r;

	if (!accessed || !h->cols)
		return;
	while (h->cursor < h->nv && h->v[h->cursor].end <= va)
		h->cursor++;
	if (h->cursor == h->nv || h->v[h->cursor].start > va)
		return;		/* a VMA that came after the first sample */
	v = &h->v[h->cursor];
	end = va + bytes < v->end ? va + bytes : v->end;
	col = &h->cell[(h->cols - 1) * h->rows + v->row];
	r = (unsigned int)((unsigned __int128)(va - v->start) * v->rows / (v->end - v->start));
	for (; r < v->rows && row_lo(v, r) < end; r++) {
		uint64_t lo = row_lo(v, r), hi = row_lo(v, r + 1);

		lo = lo > va ? lo : va;
		hi = hi < end ? hi : end;
		if (hi > lo)
			col[r] += hi - lo;
	}
}

/* Light yellow for a little, dark red for all of a cell. */
static void shade(char *out, size_t size, double f)
{
	if (f > 1)
		f = 1;
	snprintf(out, size, "#%02x%02x%02x", 255 - (int)(f * 128),
		 245 - (int)(f * 245), 200 - (int)(f * 200));
}

static void write_cells(FILE *f, const struct heatmap *h, double cw, double rh)
{
	char fill[8];

	for (size_t i = 0; i < h->nv; i++) {
		const struct hm_vma *v = &h->v[i];

		for (unsigned int r = 0; r < v->rows; r++) {
			uint64_t bytes = row_lo(v, r + 1) - row_lo(v, r);

			for (size_t c = 0; c < h->cols; c++) {
				uint64_t x = h->cell[c * h->rows + v->row + r];
				unsigned int n = c + 1 == h->cols ? h->in_col : h->per_col;

				if (!x || !bytes)
					continue;
				shade(fill, sizeof(fill), (double)x / ((double)bytes * n));
				fprintf(f, "<rect class=\"cell\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"/>\n",
					LABEL_W + c * cw, TOP + (v->row + r) * rh, cw, rh, fill);
			}
		}
	}
}

static void write_vmas(FILE *f, const struct heatmap *h, double rh)
{
	char size[16];

	for (size_t i = 0; i < h->nv; i++) {
		const struct hm_vma *v = &h->v[i];
		double y = TOP + v->row * rh;

		human_size(size, sizeof(size), v->end - v->start);
		fprintf(f, "<line x1=\"0\" x2=\"%d\" y1=\"%.2f\" y2=\"%.2f\" stroke=\"#999\" stroke-width=\"0.5\"/>\n",
			LABEL_W + PLOT_W, y, y);
		/* Names come from name_cut(): ASCII, no control characters. */
		fprintf(f, "<text class=\"vma\" x=\"4\" y=\"%.2f\" font-size=\"9\">%" PRIx64 " %s ",
			y + 9, v->start, size);
		for (const char *c = v->name; *c; c++)
			fputs(*c == '<' ? "&lt;" : *c == '>' ? "&gt;" : *c == '&' ? "&amp;" :
			      (char[2]){ *c, 0 }, f);
		fputs("</text>\n", f);
	}
}

int heatmap_write(const struct heatmap *h, FILE *f, int pid, const char *comm)
{
	unsigned int rows = h ? h->rows : 1;
	size_t cols = h ? h->cols : 0;
	double cw = cols ? (double)PLOT_W / (double)cols : PLOT_W;
	double rh = (double)PLOT_H / rows;
	char who[64];

	name_cut(who, sizeof(who) - 1, comm);
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"font-family=\"monospace\" data-columns=\"%zu\" data-samples-per-column=\"%u\" data-rows=\"%u\">\n",
		LABEL_W + PLOT_W + 10, TOP + PLOT_H + BOTTOM, cols, h ? h->per_col : 1, rows);
	fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
	fprintf(f, "<text x=\"4\" y=\"16\" font-size=\"13\">vmxctl watch %d (", pid);
	for (const char *c = who; *c; c++)
		fputs(*c == '<' ? "&lt;" : *c == '>' ? "&gt;" : *c == '&' ? "&amp;" :
		      (char[2]){ *c, 0 }, f);
	fprintf(f, "): Accessed bits, %zu columns of %u sample(s); rows: the VMAs, holes left out</text>\n",
		cols, h ? h->per_col : 1);
	fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#f4f4f4\"/>\n",
		LABEL_W, TOP, PLOT_W, PLOT_H);
	if (!h || !h->nv) {
		fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"12\">no VMA in the range had a sample</text>\n",
			LABEL_W + 10, TOP + 20);
	} else {
		write_cells(f, h, cw, rh);
		write_vmas(f, h, rh);
	}
	if (cols)
		fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"10\">%.2f s</text>\n"
			"<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\">%.2f s (time: left to right)</text>\n",
			LABEL_W, TOP + PLOT_H + 14, h->t[0], LABEL_W + PLOT_W,
			TOP + PLOT_H + 14, h->t[cols - 1]);
	fputs("</svg>\n", f);
	return ferror(f) ? -EIO : 0;
}

void heatmap_free(struct heatmap *h)
{
	if (!h)
		return;
	free(h->v);
	free(h->cell);
	free(h);
}
