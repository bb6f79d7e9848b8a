/* The finance bureau's summary of one year as one self-contained printable
 * HTML page: the same sections as the workbook (概览, 排名, 问题单位,
 * 规则统计, 主管部门汇总) with inline SVG charts drawn here, no external
 * assets and no scripts.  The charts use black outlines and fills of
 * distinct lightness or hatching, so they survive grey printing.  Every
 * string from the data is escaped.  The page is built in one buffer while
 * the units stream from the store, so memory is the size of the output. */
#include "summary.h"
#include "writers.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TOP_N      30
#define NAME_CHARS 16 /* longer unit names are cut in the charts */

static const char css[] =
        "@page { size: A4 landscape; margin: 12mm 12mm 14mm; }\n"
        "html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }\n"
        "body { font-family: \"宋体\", \"SimSun\", \"Noto Serif CJK SC\", serif; font-size: "
        "10.5pt; line-height: 1.5; color: #000; margin: 0; }\n"
        "@media screen { body { max-width: 270mm; margin: 2em auto; padding: 0 1em; } }\n"
        "h1 { font-family: \"方正小标宋简体\", \"Noto Serif CJK SC\", serif; font-size: 20pt; "
        "font-weight: normal; text-align: center; margin: 0 0 4pt; }\n"
        "p.sub { text-align: center; margin: 0 0 12pt; }\n"
        "h2 { font-family: \"黑体\", \"SimHei\", \"Noto Sans CJK SC\", sans-serif; font-size: "
        "14pt; font-weight: normal; margin: 14pt 0 6pt; break-after: avoid; "
        "page-break-after: avoid; }\n"
        "section.page { break-before: page; page-break-before: always; }\n"
        "table { border-collapse: collapse; margin: 0 0 8pt; font-size: 9pt; }\n"
        "th, td { border: 1px solid #000; padding: 1pt 4pt; vertical-align: middle; }\n"
        "th { font-family: \"黑体\", \"SimHei\", \"Noto Sans CJK SC\", sans-serif; "
        "font-weight: normal; background: #e6e6e6; text-align: center; }\n"
        "thead { display: table-header-group; }\n"
        "tr { break-inside: avoid; page-break-inside: avoid; }\n"
        "td.num { text-align: right; white-space: nowrap; }\n"
        "td.c { text-align: center; white-space: nowrap; }\n"
        "td.gap { color: #c00; font-weight: bold; }\n"
        "p.none { margin: 0 0 8pt; }\n"
        "figure { margin: 0 0 10pt; break-inside: avoid; page-break-inside: avoid; }\n"
        "svg { font-family: \"黑体\", \"SimHei\", \"Noto Sans CJK SC\", sans-serif; }\n"
        ".charts { display: flex; flex-wrap: wrap; gap: 8pt; }\n";

/* Fills that differ in lightness and texture, for bars told apart in
 * grey print; patterns are defined per chart so ids stay unique. */
#define NFILLS 5

typedef struct hw {
	const jx__summary *s;
	jx__buf *b;
	const jx_allocator *alloc;
	int section; /* 一、二、… */
	bool only_errors;
	size_t rows;
	/* the top of the ranking, for its chart */
	char *top_name[TOP_N];
	jx_dec top_total[TOP_N];
	size_t ntop;
	bool oom;
	FILE *out;     /* the temporary file the page streams into */
	bool io_error; /* a write to it failed */
} hw;

/* Streams what the buffer holds to the file once it is large, so a
 * ranking of 10,000 units does not sit in memory. */
static void spill(hw *h, size_t over)
{
	jx__buf *b = h->b;
	if (b->len < over || b->oom)
		return;
	if (fwrite(b->data, 1, b->len, h->out) != b->len)
		h->io_error = true;
	b->len = 0;
}

/* ---- text ---- */

static void esc(jx__buf *b, const char *s)
{
	jx__html_esc(b, s, false);
}

/* The first `max` code points of s, escaped, "…" when cut. */
static void esc_cut(jx__buf *b, const char *s, size_t max)
{
	size_t len = s ? strlen(s) : 0, i = 0, n = 0;
	while (i < len && n < max) {
		jx__utf8_next(s, len, &i);
		n++;
	}
	char tmp[256];
	if (i >= len || i >= sizeof tmp) {
		esc(b, s);
		return;
	}
	memcpy(tmp, s, i);
	tmp[i] = '\0';
	esc(b, tmp);
	jx__buf_adds(b, "…");
}

static double dec_double(jx_dec d)
{
	return (double)d.raw / (double)JX_DEC_SCALE;
}

static const char *metric_name(const jx__sum_metric *m)
{
	return m->label ? m->label : m->id ? m->id : "";
}

/* ---- table cells ---- */

static void th(jx__buf *b, const char *s)
{
	jx__buf_adds(b, "<th>");
	esc(b, s);
	jx__buf_adds(b, "</th>");
}

static void td(jx__buf *b, const char *s, const char *cls)
{
	if (cls)
		jx__buf_printf(b, "<td class=\"%s\">", cls);
	else
		jx__buf_adds(b, "<td>");
	esc(b, s && *s ? s : NULL);
	if (!s || !*s)
		jx__buf_adds(b, "—");
	jx__buf_adds(b, "</td>");
}

/* A blank number shows as "—": blank is not zero. */
static void td_num(jx__buf *b, jx__snum v, jx__kind kind, bool gap)
{
	char buf[64];
	if (!v.set) {
		jx__buf_adds(b, "<td class=\"c\">—</td>");
		return;
	}
	jx__format_num(v.v, kind, -1, buf, sizeof buf);
	jx__buf_printf(b, "<td class=\"num%s\">%s</td>", gap ? " gap" : "", buf);
}

static void td_count(jx__buf *b, size_t n)
{
	jx__buf_printf(b, "<td class=\"num\">%zu</td>", n);
}

static void heading(hw *h, const char *title, bool new_page)
{
	char num[32];
	h->section++;
	if (new_page)
		jx__buf_adds(h->b, "</section>\n<section class=\"page\">\n");
	jx__buf_printf(h->b, "<h2>%s、", jx__cn_number(h->section, num, sizeof num));
	esc(h->b, title);
	jx__buf_adds(h->b, "</h2>\n");
}

/* ---- SVG ---- */

static void svg_open(jx__buf *b, const char *id, int w, int hgt, const char *title)
{
	static const char *const shades[] = {"#1a1a1a", "#595959", "#a6a6a6", "#d9d9d9", "#ffffff"};
	jx__buf_printf(b,
	               "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	               "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"",
	               w, hgt, w, hgt);
	esc(b, title);
	jx__buf_adds(b, "\">\n<defs>");
	for (int i = 0; i < NFILLS; i++)
		jx__buf_printf(b,
		               "<pattern id=\"%s%d\" width=\"6\" height=\"6\" "
		               "patternUnits=\"userSpaceOnUse\"%s><rect width=\"6\" height=\"6\" "
		               "fill=\"%s\"/>%s</pattern>",
		               id, i, i == 3 ? " patternTransform=\"rotate(45)\"" : "", shades[i],
		               i == 3   ? "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" "
		                          "stroke=\"#000\" stroke-width=\"1.5\"/>"
		               : i == 4 ? "<circle cx=\"3\" cy=\"3\" r=\"1\" fill=\"#000\"/>"
		                        : "");
	jx__buf_adds(b, "</defs>\n<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n");
	jx__buf_printf(b,
	               "<text x=\"%d\" y=\"22\" text-anchor=\"middle\" font-size=\"15\" "
	               "font-weight=\"bold\">",
	               w / 2);
	esc(b, title);
	jx__buf_adds(b, "</text>\n");
}

static void svg_close(jx__buf *b)
{
	jx__buf_adds(b, "</svg></figure>\n");
}

/* Vertical bars with the count above each bar and the label below. */
static void svg_bars(jx__buf *b, const char *id, const char *title, const char *const *labels,
                     const size_t *counts, size_t n, bool shaded)
{
	const int w = 440, hgt = 280, left = 40, right = 10, top = 45, plot = 170;
	size_t max = 1;
	for (size_t i = 0; i < n; i++)
		if (counts[i] > max)
			max = counts[i];
	svg_open(b, id, w, hgt, title);
	double slot = (double)(w - left - right) / (double)(n ? n : 1);
	int base = top + plot;
	jx__buf_printf(b,
	               "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#000\"/>\n"
	               "<text x=\"14\" y=\"%d\" font-size=\"11\" "
	               "transform=\"rotate(-90 14 %d)\" text-anchor=\"middle\">单位数</text>\n",
	               left, base, w - right, base, top + plot / 2, top + plot / 2);
	for (size_t i = 0; i < n; i++) {
		double bh = (double)plot * (double)counts[i] / (double)max;
		double x = left + slot * (double)i + slot * 0.15;
		jx__buf_printf(b,
		               "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
		               "fill=\"url(#%s%zu)\" stroke=\"#000\"/>\n",
		               x, (double)base - bh, slot * 0.7, bh, id, shaded ? i % NFILLS : 1);
		jx__buf_printf(b,
		               "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
		               "font-size=\"12\">%zu</text>\n",
		               x + slot * 0.35, (double)base - bh - 4, counts[i]);
		jx__buf_printf(b,
		               "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" "
		               "font-size=\"12\">",
		               x + slot * 0.35, base + 18);
		esc(b, labels[i]);
		jx__buf_adds(b, "</text>\n");
	}
	svg_close(b);
}

/* The y range of the year-on-year line: whole tens around the values. */
static void line_range(const jx__summary *s, double *lo, double *hi)
{
	double mn = 100, mx = 0;
	for (size_t i = 0; i < s->nyears; i++) {
		if (!s->years[i].mean_total.set)
			continue;
		double v = dec_double(s->years[i].mean_total.v);
		mn = v < mn ? v : mn;
		mx = v > mx ? v : mx;
	}
	if (mx < mn)
		mn = 0, mx = 100;
	*lo = (double)((int)((mn - 5) / 10) * 10);
	*hi = (double)((int)((mx + 14.999) / 10) * 10);
	if (*lo < 0)
		*lo = 0;
	if (*hi <= *lo)
		*hi = *lo + 10;
}

static void svg_years(jx__buf *b, const jx__summary *s)
{
	const int w = 440, hgt = 280, left = 40, right = 20, top = 45, plot = 170;
	double lo, hi, px = 0, py = 0;
	bool have_prev = false;
	char buf[64];
	line_range(s, &lo, &hi);
	svg_open(b, "y", w, hgt, "历年平均分");
	int base = top + plot;
	for (double g = lo; g <= hi + 0.001; g += 10) {
		double y = (double)base - (double)plot * (g - lo) / (hi - lo);
		jx__buf_printf(b,
		               "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#999\" "
		               "stroke-dasharray=\"2 3\"/><text x=\"%d\" y=\"%.1f\" "
		               "text-anchor=\"end\" font-size=\"10\">%.0f</text>\n",
		               left, y, w - right, y, left - 4, y + 4, g);
	}
	double slot = (double)(w - left - right) / (double)s->nyears;
	for (size_t i = 0; i < s->nyears; i++) {
		const jx__sum_year *yr = &s->years[i];
		double x = left + slot * ((double)i + 0.5);
		jx__buf_printf(b,
		               "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" "
		               "font-size=\"12\">%d年</text>\n",
		               x, base + 18, yr->year);
		if (!yr->mean_total.set) {
			have_prev = false; /* a gap, not a zero */
			continue;
		}
		double y = (double)base -
		           (double)plot * (dec_double(yr->mean_total.v) - lo) / (hi - lo);
		if (have_prev)
			jx__buf_printf(b,
			               "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
			               "stroke=\"#000\" stroke-width=\"2\"/>\n",
			               px, py, x, y);
		jx__format_num(yr->mean_total.v, JX_K_SCORE, -1, buf, sizeof buf);
		jx__buf_printf(b,
		               "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"#000\"/>"
		               "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
		               "font-size=\"12\">%s</text>\n",
		               x, y, x, y - 9, buf);
		px = x, py = y, have_prev = true;
	}
	svg_close(b);
}

static void svg_top(jx__buf *b, const hw *h)
{
	/* 17 px a unit keeps 30 units and the heading on one A4 page. */
	const int w = 900, left = 270, span = 540, row = 17, top = 40;
	int hgt = top + row * (int)h->ntop + 30;
	double max = 100;
	char buf[64];
	for (size_t i = 0; i < h->ntop; i++)
		if (dec_double(h->top_total[i]) > max)
			max = dec_double(h->top_total[i]);
	svg_open(b, "t", w, hgt, "得分排名（前30名）");
	int bottom = top + row * (int)h->ntop;
	for (int g = 0; g <= 100; g += 20) {
		double x = left + (double)span * g / max;
		jx__buf_printf(b,
		               "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#999\" "
		               "stroke-dasharray=\"2 3\"/><text x=\"%.1f\" y=\"%d\" "
		               "text-anchor=\"middle\" font-size=\"10\">%d</text>\n",
		               x, top, x, bottom, x, bottom + 14, g);
	}
	for (size_t i = 0; i < h->ntop; i++) {
		double y = top + (double)row * (double)i;
		double v = dec_double(h->top_total[i]);
		double bw = v > 0 ? (double)span * v / max : 0;
		jx__buf_printf(b,
		               "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" "
		               "font-size=\"11\">%zu. ",
		               left - 6, y + 12, i + 1);
		esc_cut(b, h->top_name[i], NAME_CHARS);
		jx__format_num(h->top_total[i], JX_K_SCORE, -1, buf, sizeof buf);
		jx__buf_printf(b,
		               "</text><rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"13\" "
		               "fill=\"url(#t1)\" stroke=\"#000\"/><text x=\"%.1f\" y=\"%.1f\" "
		               "font-size=\"11\">%s</text>\n",
		               left, y + 2, bw, left + bw + 5, y + 12, buf);
	}
	jx__buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#000\"/>\n", left,
	               top, left, bottom);
	svg_close(b);
}

/* ---- 概览 ---- */

static void figures(hw *h)
{
	const jx__summary *s = h->s;
	jx__buf *b = h->b;
	heading(h, "总体情况", false);
	jx__buf_adds(b, "<table><thead><tr>");
	th(b, "单位数");
	th(b, "有错误的单位数");
	th(b, "未能计算总分的单位数");
	th(b, "平均分");
	th(b, "中位数");
	jx__buf_adds(b, "</tr></thead><tbody><tr>");
	td_count(b, s->nunits);
	td_count(b, s->units_with_errors);
	td_count(b, s->ungraded);
	td_num(b, s->mean_total, JX_K_SCORE, false);
	td_num(b, s->median_total, JX_K_SCORE, false);
	jx__buf_adds(b, "</tr></tbody></table>\n");
	if (!s->nunits)
		jx__buf_adds(b, "<p class=\"none\">本年度没有单位的自评数据。</p>\n");
}

static void share_row(jx__buf *b, const char *label, size_t n, size_t of)
{
	jx__buf_adds(b, "<tr>");
	td(b, label, "c");
	td_count(b, n);
	td_num(b, jx__sum_share(n, of), JX_K_PERCENT, false);
	jx__buf_adds(b, "</tr>\n");
}

static void grades(hw *h)
{
	const jx__summary *s = h->s;
	jx__buf *b = h->b;
	heading(h, "等次分布与总分分布", false);
	jx__buf_adds(b, "<div class=\"charts\"><div><table><thead><tr>");
	th(b, "等次");
	th(b, "单位数");
	th(b, "占比");
	jx__buf_adds(b, "</tr></thead><tbody>\n");
	for (size_t i = 0; i < s->ngrades; i++)
		share_row(b, s->grade_names[i], s->grade_counts[i], s->nunits);
	if (s->ungraded)
		share_row(b, "未评定", s->ungraded, s->nunits);
	share_row(b, "合计", s->nunits, s->nunits);
	jx__buf_adds(b, "</tbody></table></div>\n<div><table><thead><tr>");
	th(b, "分数段");
	th(b, "单位数");
	th(b, "占比");
	jx__buf_adds(b, "</tr></thead><tbody>\n");
	char label[32];
	for (size_t i = 0; i < JX_SUM_BANDS; i++)
		share_row(b, jx__sum_band_label(i, label, sizeof label), s->score_bands[i],
		          s->nunits);
	if (s->ungraded)
		share_row(b, "无总分", s->ungraded, s->nunits);
	jx__buf_adds(b, "</tbody></table></div></div>\n");
}

static void distribution_charts(hw *h)
{
	const jx__summary *s = h->s;
	const char *labels[JX_SUM_BANDS];
	char bufs[JX_SUM_BANDS][32];
	if (!s->nunits)
		return;
	jx__buf_adds(h->b, "<div class=\"charts\">\n");
	if (s->ngrades)
		svg_bars(h->b, "g", "等次分布", s->grade_names, s->grade_counts, s->ngrades, true);
	for (size_t i = 0; i < JX_SUM_BANDS; i++)
		labels[i] = jx__sum_band_label(i, bufs[i], sizeof bufs[i]);
	svg_bars(h->b, "b", "总分分布", labels, s->score_bands, JX_SUM_BANDS, false);
	jx__buf_adds(h->b, "</div>\n");
}

static void metrics(hw *h)
{
	const jx__summary *s = h->s;
	jx__buf *b = h->b;
	static const char *const heads[] = {"指标", "有值单位数", "平均", "最低", "最高", "合计"};
	if (!s->nmetrics)
		return;
	heading(h, "主要指标", false);
	jx__buf_adds(b, "<table><thead><tr>");
	for (size_t i = 0; i < 6; i++)
		th(b, heads[i]);
	jx__buf_adds(b, "</tr></thead><tbody>\n");
	for (size_t i = 0; i < s->nmetrics; i++) {
		const jx__sum_metric *m = &s->metrics[i];
		jx__buf_adds(b, "<tr>");
		td(b, metric_name(m), NULL);
		td_count(b, m->n);
		td_num(b, m->mean, m->kind, false);
		td_num(b, m->min, m->kind, false);
		td_num(b, m->max, m->kind, false);
		/* A sum of rates or scores means nothing. */
		if (m->kind == JX_K_AMOUNT)
			td_num(b, m->sum, m->kind, false);
		else
			td(b, NULL, "c");
		jx__buf_adds(b, "</tr>\n");
	}
	jx__buf_adds(b, "</tbody></table>\n");
}

static void years(hw *h)
{
	const jx__summary *s = h->s;
	jx__buf *b = h->b;
	char label[256];
	if (!s->nyears)
		return;
	heading(h, "历年对比", false);
	jx__buf_adds(b, "<table><thead><tr>");
	th(b, "年度");
	th(b, "单位数");
	th(b, "平均分");
	for (size_t g = 0; g < s->ngrades; g++)
		th(b, s->grade_names[g]);
	for (size_t m = 0; m < s->nmetrics; m++) {
		snprintf(label, sizeof label, "%s（平均）", metric_name(&s->metrics[m]));
		th(b, label);
	}
	jx__buf_adds(b, "</tr></thead><tbody>\n");
	for (size_t y = 0; y < s->nyears; y++) {
		const jx__sum_year *yr = &s->years[y];
		jx__buf_printf(b, "<tr><td class=\"c\">%d</td>", yr->year);
		td_count(b, yr->units);
		td_num(b, yr->mean_total, JX_K_SCORE, false);
		for (size_t g = 0; g < s->ngrades; g++)
			td_count(b, yr->grade_counts[g]);
		for (size_t m = 0; m < s->nmetrics; m++)
			td_num(b, yr->metric_means[m], s->metrics[m].kind, false);
		jx__buf_adds(b, "</tr>\n");
	}
	jx__buf_adds(b, "</tbody></table>\n");
	svg_years(b, s);
}

/* ---- 排名 and 问题单位 ---- */

static void unit_head(hw *h)
{
	const jx__summary *s = h->s;
	jx__buf *b = h->b;
	static const char *const heads[] = {"名次",     "单位编码", "单位名称", "主管部门",
	                                    "计算总分", "填报总分", "差额",     "计算等次",
	                                    "填报等次", "错误数",   "警告数"};
	char label[256];
	jx__buf_adds(b, "<table><thead><tr>");
	for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++)
		th(b, heads[i]);
	for (size_t m = 0; m < s->nmetrics; m++) {
		th(b, metric_name(&s->metrics[m]));
		if (jx__sum_is_sangong(&s->metrics[m])) {
			snprintf(label, sizeof label, "%s（上年）", metric_name(&s->metrics[m]));
			th(b, label);
			snprintf(label, sizeof label, "%s增减率", metric_name(&s->metrics[m]));
			th(b, label);
		}
	}
	jx__buf_adds(b, "</tr></thead><tbody>\n");
}

static jx_status unit_row(void *ctx, const jx__sum_unit *u)
{
	hw *h = ctx;
	const jx__summary *s = h->s;
	jx__buf *b = h->b;
	if (h->only_errors && !u->errors)
		return JX_OK;
	h->rows++;
	jx__buf_printf(b, "<tr><td class=\"num\">%zu</td>", u->rank);
	td(b, u->code, NULL);
	td(b, u->name, NULL);
	td(b, u->parent_name ? u->parent_name : u->parent_code, NULL);
	td_num(b, u->total, JX_K_SCORE, false);
	td_num(b, u->stated_total, JX_K_SCORE, false);
	td_num(b, u->gap, JX_K_SCORE, u->gap.set && u->gap.v.raw != 0);
	td(b, u->grade, "c");
	td(b, u->stated_grade, "c");
	td_count(b, u->errors);
	td_count(b, u->warnings);
	for (size_t m = 0; m < s->nmetrics; m++) {
		td_num(b, u->metrics[m], s->metrics[m].kind, false);
		if (jx__sum_is_sangong(&s->metrics[m])) {
			td_num(b, u->prev_metrics[m], s->metrics[m].kind, false);
			td_num(b, jx__sum_change(u->metrics[m], u->prev_metrics[m]), JX_K_PERCENT,
			       false);
		}
	}
	jx__buf_adds(b, "</tr>\n");
	spill(h, 1 << 16);
	/* Stop streaming once the page cannot be completed. */
	return b->oom ? JX_ERR_OOM : h->io_error ? JX_ERR_IO : JX_OK;
}

/* The first units with a computed total, for the top-30 chart; units
 * without one are ranked last, so the first blank total ends the list. */
static jx_status top_unit(void *ctx, const jx__sum_unit *u)
{
	hw *h = ctx;
	if (h->ntop >= TOP_N || !u->total.set)
		return JX_OK;
	size_t len = strlen(u->name ? u->name : "");
	char *name = jx__alloc(h->alloc, len + 1);
	if (!name)
		return JX_ERR_OOM;
	memcpy(name, u->name ? u->name : "", len + 1);
	h->top_name[h->ntop] = name;
	h->top_total[h->ntop++] = u->total.v;
	return JX_OK;
}

static jx_status units(hw *h, const char *title, bool only_errors)
{
	const jx__summary *s = h->s;
	heading(h, title, true);
	if (!only_errors && s->nunits && s->each_unit) {
		jx_status st = s->each_unit(s, top_unit, h);
		if (st != JX_OK)
			return st;
		if (h->ntop)
			svg_top(h->b, h);
	}
	h->only_errors = only_errors;
	h->rows = 0;
	unit_head(h);
	if (s->nunits && s->each_unit) {
		jx_status st = s->each_unit(s, unit_row, h);
		if (st != JX_OK)
			return st;
	}
	jx__buf_adds(h->b, "</tbody></table>\n");
	if (!h->rows)
		jx__buf_adds(h->b, only_errors
		                           ? "<p class=\"none\">没有存在错误的单位。</p>\n"
		                           : "<p class=\"none\">本年度没有单位的自评数据。</p>\n");
	return JX_OK;
}

/* ---- 规则统计 and 主管部门汇总 ---- */

static void rules(hw *h)
{
	const jx__summary *s = h->s;
	jx__buf *b = h->b;
	heading(h, "规则统计", true);
	if (!s->nrules) {
		jx__buf_adds(b, "<p class=\"none\">本年度没有未通过的规则。</p>\n");
		return;
	}
	jx__buf_adds(b, "<table><thead><tr>");
	th(b, "规则");
	th(b, "名称");
	th(b, "严重程度");
	th(b, "涉及单位数");
	th(b, "发现数");
	jx__buf_adds(b, "</tr></thead><tbody>\n");
	for (size_t i = 0; i < s->nrules; i++) {
		const jx__sum_rule *r = &s->rules[i];
		jx__buf_adds(b, "<tr>");
		td(b, r->id, "c");
		td(b, r->title, NULL);
		td(b, jx__severity_cn(r->sev), "c");
		td_count(b, r->units);
		td_count(b, r->findings);
		jx__buf_adds(b, "</tr>\n");
	}
	jx__buf_adds(b, "</tbody></table>\n");
}

static void parents(hw *h)
{
	const jx__summary *s = h->s;
	jx__buf *b = h->b;
	static const char *const heads[] = {"编码", "名称", "单位数", "平均分", "最低", "最高"};
	heading(h, "主管部门汇总", false);
	if (!s->nparents) {
		jx__buf_adds(b, "<p class=\"none\">没有主管部门数据。</p>\n");
		return;
	}
	jx__buf_adds(b, "<table><thead><tr>");
	for (size_t i = 0; i < 6; i++)
		th(b, heads[i]);
	for (size_t g = 0; g < s->ngrades; g++)
		th(b, s->grade_names[g]);
	th(b, "有错误单位数");
	jx__buf_adds(b, "</tr></thead><tbody>\n");
	for (size_t i = 0; i < s->nparents; i++) {
		const jx__sum_parent *p = &s->parents[i];
		jx__buf_adds(b, "<tr>");
		td(b, p->code, NULL);
		td(b, p->name, NULL);
		td_count(b, p->units);
		td_num(b, p->mean_total, JX_K_SCORE, false);
		td_num(b, p->min_total, JX_K_SCORE, false);
		td_num(b, p->max_total, JX_K_SCORE, false);
		for (size_t g = 0; g < s->ngrades; g++)
			td_count(b, p->grade_counts[g]);
		td_count(b, p->with_errors);
		jx__buf_adds(b, "</tr>\n");
	}
	jx__buf_adds(b, "</tbody></table>\n");
}

/* ---- the page ---- */

static void page_head(hw *h, const char *title, const jx_report_opts *o)
{
	jx__buf *b = h->b;
	char when[32] = "";
	time_t t = (time_t)jx__doc_time(o);
	struct tm tm;
	if (gmtime_r(&t, &tm))
		strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	jx__buf_adds(b, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
	                "<meta name=\"generator\" content=\"jixiao\">\n");
	jx__buf_printf(b, "<meta name=\"generated\" content=\"%s\">\n<title>", when);
	esc(b, title);
	jx__buf_printf(b, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<section>\n<h1>", css);
	esc(b, title);
	jx__buf_adds(b, "</h1>\n<p class=\"sub\">");
	esc(b, h->s->scheme_title ? h->s->scheme_title : "");
	jx__buf_adds(b, "</p>\n");
}

static jx_status build(hw *h, const jx_report_opts *o)
{
	char title[160];
	snprintf(title, sizeof title, "%d年度部门整体支出绩效自评汇总", h->s->year);
	page_head(h, title, o);
	figures(h);
	grades(h);
	distribution_charts(h);
	metrics(h);
	years(h);
	jx_status st = units(h, "单位排名", false);
	if (st == JX_OK)
		st = units(h, "问题单位", true);
	if (st != JX_OK)
		return st;
	rules(h);
	parents(h);
	jx__buf_adds(h->b, "</section>\n</body>\n</html>\n");
	return h->b->oom ? JX_ERR_OOM : JX_OK;
}

jx_status jx__summary_write_html(const jx__summary *s, const char *path, const jx_report_opts *opts,
                                 jx_diags *errors)
{
	jx_report_opts dflt = {.timestamp = -1};
	jx__loc l = {path, 0, 0};
	jx__buf b;
	hw h;
	memset(&h, 0, sizeof h);
	h.s = s;
	h.b = &b;
	h.alloc = jx_allocator_default();
	char tmp[4096];
	int fd = jx__temp_open(path, tmp, sizeof tmp, errors);
	if (fd < 0)
		return JX_ERR_IO;
	if (!(h.out = fdopen(fd, "wb"))) {
		jx__diag_fatal(errors, "W01", l, NULL, "无法创建输出文件：%s",
		               jx_errno_text(errno));
		close(fd);
		unlink(tmp);
		return JX_ERR_IO;
	}
	jx__buf_init(&b, h.alloc);
	jx_status st = build(&h, opts ? opts : &dflt);
	if (st == JX_OK && b.oom)
		st = JX_ERR_OOM;
	spill(&h, 0);
	if (fclose(h.out) != 0)
		h.io_error = true;
	if (st == JX_OK && h.io_error)
		st = JX_ERR_IO;
	if (st == JX_ERR_OOM)
		jx__diag_fatal(errors, "W01", l, NULL, "内存不足，未能生成汇总页面");
	else if (st == JX_ERR_IO)
		jx__diag_fatal(errors, "W01", l, NULL, "写入汇总页面失败：%s",
		               jx_errno_text(errno));
	else if (st != JX_OK)
		jx__diag_fatal(errors, "W01", l, NULL, "读取单位数据失败：%s", jx_strerror(st));
	if (st == JX_OK)
		st = jx__commit_temp(tmp, path, errors);
	else
		unlink(tmp);
	for (size_t i = 0; i < h.ntop; i++)
		jx__free(h.alloc, h.top_name[i]);
	jx__buf_fini(&b);
	return st;
}
