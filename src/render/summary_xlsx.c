/* The finance bureau's summary of one year as an Excel workbook: 概览
 * (figures, distribution tables and native charts), 排名 (one row per
 * unit), 问题单位, 规则统计 and 主管部门汇总.  The workbook is written in
 * libxlsxwriter's constant_memory mode so that 10,000 units cost no more
 * memory than 50: every sheet is written strictly row by row, top to
 * bottom, and the units are streamed from the store once per sheet that
 * lists them.  Charts only reference cell ranges, so they can be inserted
 * at any time.  Like the report writer, the workbook goes to a temporary
 * name beside the target and is then renamed. */
#include "summary.h"
#include "writers.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define OV_SHEET   "概览"
#define RANK_SHEET "排名"
#define HEAD_FONT  "黑体"
#define BODY_FONT  "宋体"
#define TOP_N      30
#define FIXED_COLS 11 /* 名次 … 警告数 on the ranking sheets */

typedef struct sx {
	const jx__summary *s;
	lxw_workbook *wb;
	char title[160];
	lxw_format *ftitle, *fsub, *fhead, *ftext, *fcenter, *fnote;
	lxw_format *fnum[5], *fgap; /* by jx__kind; a gap that is not zero */
	lxw_error err;              /* the first libxlsxwriter failure */
	jx_status st;               /* the first failure of each_unit */
} sx;

/* ---- small helpers ---- */

static double dec_double(jx_dec d)
{
	return (double)d.raw / (double)JX_DEC_SCALE;
}

static void note(sx *x, lxw_error e)
{
	if (e != LXW_NO_ERROR && x->err == LXW_NO_ERROR)
		x->err = e;
}

static void put_str(sx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s,
                    lxw_format *f)
{
	if (s && *s)
		note(x, worksheet_write_string(ws, r, c, s, f));
	else
		note(x, worksheet_write_blank(ws, r, c, f));
}

static void put_count(sx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, size_t n)
{
	note(x, worksheet_write_number(ws, r, c, (double)n, x->fnum[JX_K_COUNT]));
}

/* A blank stays an empty (bordered) cell: blank is not zero. */
static void put_snum(sx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, jx__snum v, jx__kind kind)
{
	if (v.set)
		note(x, worksheet_write_number(ws, r, c, dec_double(v.v), x->fnum[kind]));
	else
		note(x, worksheet_write_blank(ws, r, c, x->ftext));
}

/* ---- formats ---- */

static lxw_format *new_format(sx *x, const char *font, double size)
{
	lxw_format *f = workbook_add_format(x->wb);
	if (!f) {
		note(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return NULL;
	}
	format_set_font_name(f, font);
	format_set_font_size(f, size);
	format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
	return f;
}

static lxw_format *cell_format(sx *x, const char *numfmt, bool center)
{
	lxw_format *f = new_format(x, BODY_FONT, 10);
	if (!f)
		return NULL;
	format_set_border(f, LXW_BORDER_THIN);
	if (center)
		format_set_align(f, LXW_ALIGN_CENTER);
	if (numfmt)
		format_set_num_format(f, numfmt);
	return f;
}

static bool make_formats(sx *x)
{
	if ((x->ftitle = new_format(x, HEAD_FONT, 16))) {
		format_set_bold(x->ftitle);
		format_set_align(x->ftitle, LXW_ALIGN_CENTER);
	}
	if ((x->fsub = new_format(x, HEAD_FONT, 12)))
		format_set_bold(x->fsub);
	if ((x->fnote = new_format(x, BODY_FONT, 10)))
		format_set_text_wrap(x->fnote);
	if ((x->fhead = cell_format(x, NULL, true))) {
		format_set_font_name(x->fhead, HEAD_FONT);
		format_set_bold(x->fhead);
		format_set_text_wrap(x->fhead);
		format_set_bg_color(x->fhead, 0xD9D9D9);
	}
	x->ftext = cell_format(x, NULL, false);
	x->fcenter = cell_format(x, NULL, true);
	x->fnum[JX_K_PLAIN] = cell_format(x, "General", false);
	x->fnum[JX_K_AMOUNT] = cell_format(x, "0.00", false);
	x->fnum[JX_K_PERCENT] = cell_format(x, "0.00%", false);
	x->fnum[JX_K_COUNT] = cell_format(x, "0", false);
	x->fnum[JX_K_SCORE] = cell_format(x, "0.00", false);
	/* Red and bold, so that a gap still stands out in grey print. */
	if ((x->fgap = cell_format(x, "0.00", false))) {
		format_set_font_color(x->fgap, LXW_COLOR_RED);
		format_set_bold(x->fgap);
	}
	return x->err == LXW_NO_ERROR;
}

/* ---- sheets: common layout ---- */

static lxw_worksheet *add_sheet(sx *x, const char *name)
{
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, name);
	if (!ws)
		note(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
	return ws;
}

/* A4 landscape, one page wide, the header rows on every page, the
 * workbook title and page numbers in the margins. */
static void print_setup(sx *x, lxw_worksheet *ws, const char *sheet, int repeat_row)
{
	char hdr[512] = "&L";
	size_t n = 2;
	for (const char *p = x->title; *p && n + 3 < sizeof hdr; p++) {
		if (*p == '&')
			hdr[n++] = '&';
		hdr[n++] = *p;
	}
	snprintf(hdr + n, sizeof hdr - n, "&R%s", sheet);
	note(x, worksheet_set_header(ws, hdr));
	note(x, worksheet_set_footer(ws, "&C第 &P 页，共 &N 页"));
	worksheet_set_paper(ws, 9);
	worksheet_set_landscape(ws);
	worksheet_fit_to_pages(ws, 1, 0);
	worksheet_set_margins(ws, 0.5, 0.5, 0.75, 0.75);
	worksheet_center_horizontally(ws);
	if (repeat_row >= 0)
		note(x, worksheet_repeat_rows(ws, (lxw_row_t)repeat_row, (lxw_row_t)repeat_row));
}

static void head_row(sx *x, lxw_worksheet *ws, lxw_row_t r, const char *const *heads, size_t n)
{
	note(x, worksheet_set_row(ws, r, 30, NULL));
	for (size_t i = 0; i < n; i++)
		put_str(x, ws, r, (lxw_col_t)i, heads[i], x->fhead);
}

/* A line of text across `cols` columns. */
static void wide_text(sx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t cols, const char *text,
                      lxw_format *f)
{
	if (cols > 1)
		note(x, worksheet_merge_range(ws, r, 0, r, (lxw_col_t)(cols - 1), text, f));
	else
		put_str(x, ws, r, 0, text, f);
}

/* ---- 概览 ---- */

/* Where the tables the charts reference landed. */
typedef struct ov {
	sx *x;
	lxw_worksheet *ws;
	lxw_row_t r;
	lxw_col_t width;                /* columns the tables span */
	lxw_row_t grades, bands, years; /* first data row of each table */
	bool have_years;
	lxw_col_t year_metric; /* column of the first metric's mean */
	lxw_row_t breaks[4];   /* printed page breaks, 0-terminated */
	size_t nbreaks;
} ov;

/* A printed page starts at row r. */
static void page_break(ov *o, lxw_row_t r)
{
	if (o->nbreaks + 1 < sizeof o->breaks / sizeof o->breaks[0])
		o->breaks[o->nbreaks++] = r;
}

static void ov_heading(ov *o, const char *text)
{
	o->r++;
	note(o->x, worksheet_set_row(o->ws, o->r, 22, NULL));
	put_str(o->x, o->ws, o->r++, 0, text, o->x->fsub);
}

static void ov_figures(ov *o)
{
	sx *x = o->x;
	const jx__summary *s = x->s;
	static const char *const labels[] = {"单位数", "有错误的单位数", "未能计算总分的单位数",
	                                     "平均分", "中位数"};
	size_t counts[] = {s->nunits, s->units_with_errors, s->ungraded};
	ov_heading(o, "一、总体情况");
	for (size_t i = 0; i < 5; i++, o->r++) {
		put_str(x, o->ws, o->r, 0, labels[i], x->fhead);
		if (i < 3)
			put_count(x, o->ws, o->r, 1, counts[i]);
		else
			put_snum(x, o->ws, o->r, 1, i == 3 ? s->mean_total : s->median_total,
			         JX_K_SCORE);
	}
	if (!s->nunits)
		wide_text(x, o->ws, o->r++, o->width, "本年度没有单位的自评数据。", x->fnote);
}

static void ov_share_row(ov *o, const char *label, size_t n)
{
	sx *x = o->x;
	put_str(x, o->ws, o->r, 0, label, x->fcenter);
	put_count(x, o->ws, o->r, 1, n);
	put_snum(x, o->ws, o->r, 2, jx__sum_share(n, x->s->nunits), JX_K_PERCENT);
	o->r++;
}

static void ov_grades(ov *o)
{
	const jx__summary *s = o->x->s;
	static const char *const heads[] = {"等次", "单位数", "占比"};
	ov_heading(o, "二、等次分布");
	head_row(o->x, o->ws, o->r++, heads, 3);
	o->grades = o->r;
	for (size_t i = 0; i < s->ngrades; i++)
		ov_share_row(o, s->grade_names[i], s->grade_counts[i]);
	if (s->ungraded)
		ov_share_row(o, "未评定", s->ungraded);
	ov_share_row(o, "合计", s->nunits);
}

static void ov_bands(ov *o)
{
	const jx__summary *s = o->x->s;
	static const char *const heads[] = {"分数段", "单位数", "占比"};
	char label[32];
	ov_heading(o, "三、总分分布");
	head_row(o->x, o->ws, o->r++, heads, 3);
	o->bands = o->r;
	for (size_t i = 0; i < JX_SUM_BANDS; i++)
		ov_share_row(o, jx__sum_band_label(i, label, sizeof label), s->score_bands[i]);
	if (s->ungraded)
		ov_share_row(o, "无总分", s->ungraded);
}

static void ov_metrics(ov *o)
{
	sx *x = o->x;
	const jx__summary *s = x->s;
	static const char *const heads[] = {"指标", "有值单位数", "平均", "最低", "最高", "合计"};
	if (!s->nmetrics)
		return;
	page_break(o, o->r + 1); /* the tables of page 1 end here */
	ov_heading(o, "四、主要指标");
	head_row(x, o->ws, o->r++, heads, 6);
	for (size_t i = 0; i < s->nmetrics; i++, o->r++) {
		const jx__sum_metric *m = &s->metrics[i];
		put_str(x, o->ws, o->r, 0, m->label ? m->label : m->id, x->ftext);
		put_count(x, o->ws, o->r, 1, m->n);
		put_snum(x, o->ws, o->r, 2, m->mean, m->kind);
		put_snum(x, o->ws, o->r, 3, m->min, m->kind);
		put_snum(x, o->ws, o->r, 4, m->max, m->kind);
		/* A sum of rates or scores means nothing. */
		if (m->kind == JX_K_AMOUNT)
			put_snum(x, o->ws, o->r, 5, m->sum, m->kind);
		else
			put_str(x, o->ws, o->r, 5, "", x->ftext);
	}
}

static void ov_years(ov *o)
{
	sx *x = o->x;
	const jx__summary *s = x->s;
	char label[256];
	if (!s->nyears)
		return;
	if (!s->nmetrics)
		page_break(o, o->r + 1);
	ov_heading(o, s->nmetrics ? "五、历年对比" : "四、历年对比");
	lxw_row_t hr = o->r++;
	note(x, worksheet_set_row(o->ws, hr, 30, NULL));
	lxw_col_t c = 0;
	put_str(x, o->ws, hr, c++, "年度", x->fhead);
	put_str(x, o->ws, hr, c++, "单位数", x->fhead);
	put_str(x, o->ws, hr, c++, "平均分", x->fhead);
	for (size_t g = 0; g < s->ngrades; g++)
		put_str(x, o->ws, hr, c++, s->grade_names[g], x->fhead);
	o->year_metric = c;
	for (size_t m = 0; m < s->nmetrics; m++) {
		snprintf(label, sizeof label, "%s（平均）",
		         s->metrics[m].label ? s->metrics[m].label : s->metrics[m].id);
		put_str(x, o->ws, hr, c++, label, x->fhead);
	}
	o->years = o->r;
	o->have_years = true;
	for (size_t y = 0; y < s->nyears; y++, o->r++) {
		const jx__sum_year *yr = &s->years[y];
		c = 0;
		snprintf(label, sizeof label, "%d", yr->year);
		put_str(x, o->ws, o->r, c++, label, x->fcenter);
		put_count(x, o->ws, o->r, c++, yr->units);
		put_snum(x, o->ws, o->r, c++, yr->mean_total, JX_K_SCORE);
		for (size_t g = 0; g < s->ngrades; g++)
			put_count(x, o->ws, o->r, c++, yr->grade_counts[g]);
		for (size_t m = 0; m < s->nmetrics; m++)
			put_snum(x, o->ws, o->r, c++, yr->metric_means[m], s->metrics[m].kind);
	}
}

/* ---- 概览: charts ---- */

static lxw_chart_font chart_font(double size, bool bold)
{
	lxw_chart_font f = {.name = (char *)(uintptr_t)HEAD_FONT, .size = size, .bold = bold};
	return f;
}

/* A chart with a title, axis titles and no legend (one series each). */
static lxw_chart *new_chart(sx *x, uint8_t type, const char *title, const char *xname,
                            const char *yname)
{
	lxw_chart *ch = workbook_add_chart(x->wb, type);
	if (!ch) {
		note(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return NULL;
	}
	lxw_chart_font tf = chart_font(13, true), af = chart_font(10, false);
	chart_title_set_name(ch, title);
	chart_title_set_name_font(ch, &tf);
	if (xname)
		chart_axis_set_name(ch->x_axis, xname);
	chart_axis_set_name_font(ch->x_axis, &af);
	chart_axis_set_num_font(ch->x_axis, &af);
	if (yname)
		chart_axis_set_name(ch->y_axis, yname);
	chart_axis_set_name_font(ch->y_axis, &af);
	chart_axis_set_num_font(ch->y_axis, &af);
	chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
	return ch;
}

static lxw_chart_series *add_series(sx *x, lxw_chart *ch, const char *sheet, lxw_row_t first,
                                    lxw_row_t last, lxw_col_t cat, lxw_col_t val)
{
	lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
	if (!se) {
		note(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return NULL;
	}
	chart_series_set_categories(se, sheet, first, cat, last, cat);
	chart_series_set_values(se, sheet, first, val, last, val);
	return se;
}

/* Dark fill with a black outline: legible in colour and in grey print. */
static void dark_fill(lxw_chart_series *se, lxw_color_t color)
{
	lxw_chart_fill fill = {.color = color};
	lxw_chart_line line = {.color = LXW_COLOR_BLACK, .width = 0.75};
	chart_series_set_fill(se, &fill);
	chart_series_set_line(se, &line);
}

static void value_labels(lxw_chart_series *se, const char *numfmt)
{
	lxw_chart_font lf = chart_font(9, false);
	chart_series_set_labels(se);
	chart_series_set_labels_font(se, &lf);
	if (numfmt)
		chart_series_set_labels_num_format(se, numfmt);
}

/* Each grade its own shade, from dark to light, so grades can be told
 * apart without colour. */
static void grade_shades(sx *x, lxw_chart_series *se, size_t n)
{
	static const lxw_color_t shades[] = {0x1F3864, 0x2E75B6, 0x9DC3E6, 0xDEEBF7, 0xFFFFFF};
	lxw_chart_fill fills[8];
	lxw_chart_line line = {.color = LXW_COLOR_BLACK, .width = 0.75};
	lxw_chart_point pts[8], *ptrs[9];
	if (n > 8)
		n = 8;
	for (size_t i = 0; i < n; i++) {
		memset(&fills[i], 0, sizeof fills[i]);
		fills[i].color = shades[i < 5 ? i : 4];
		pts[i] = (lxw_chart_point){.line = &line, .fill = &fills[i]};
		ptrs[i] = &pts[i];
	}
	ptrs[n] = NULL;
	note(x, chart_series_set_points(se, ptrs));
}

static void place(sx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, lxw_chart *ch, int xoff,
                  double xs, double ys)
{
	lxw_chart_options co = {.x_offset = xoff, .x_scale = xs, .y_scale = ys};
	note(x, worksheet_insert_chart_opt(ws, r, c, ch, &co));
}

static void chart_grades(ov *o, lxw_row_t at)
{
	sx *x = o->x;
	const jx__summary *s = x->s;
	lxw_chart *ch = new_chart(x, LXW_CHART_COLUMN, "等次分布", "等次", "单位数");
	lxw_chart_series *se = ch ? add_series(x, ch, OV_SHEET, o->grades,
	                                       o->grades + (lxw_row_t)s->ngrades - 1, 0, 1)
	                          : NULL;
	if (!se)
		return;
	grade_shades(x, se, s->ngrades);
	value_labels(se, "0");
	chart_set_series_gap(ch, 60);
	place(x, o->ws, at, 0, ch, 0, 1.0, 1.1);
}

static void chart_bands(ov *o, lxw_row_t at)
{
	sx *x = o->x;
	lxw_chart *ch = new_chart(x, LXW_CHART_COLUMN, "总分分布", "分数段", "单位数");
	lxw_chart_series *se =
	        ch ? add_series(x, ch, OV_SHEET, o->bands, o->bands + JX_SUM_BANDS - 1, 0, 1)
	           : NULL;
	if (!se)
		return;
	dark_fill(se, 0x404040);
	value_labels(se, "0");
	chart_set_series_gap(ch, 15);
	place(x, o->ws, at, 5, ch, 10, 1.0, 1.1);
}

static void chart_year(ov *o, lxw_row_t at, lxw_col_t col, int xoff, lxw_col_t val,
                       const char *title, const char *yname, const char *numfmt)
{
	sx *x = o->x;
	lxw_chart *ch = new_chart(x, LXW_CHART_LINE, title, "年度", yname);
	lxw_chart_series *se = ch ? add_series(x, ch, OV_SHEET, o->years,
	                                       o->years + (lxw_row_t)x->s->nyears - 1, 0, val)
	                          : NULL;
	if (!se)
		return;
	lxw_chart_line line = {.color = LXW_COLOR_BLACK, .width = 2.25};
	lxw_chart_fill mfill = {.color = LXW_COLOR_BLACK};
	chart_series_set_line(se, &line);
	chart_series_set_marker_type(se, LXW_CHART_MARKER_CIRCLE);
	chart_series_set_marker_size(se, 7);
	chart_series_set_marker_fill(se, &mfill);
	value_labels(se, numfmt);
	chart_axis_set_num_format(ch->y_axis, numfmt); /* 100% rather than 1 */
	chart_series_set_labels_position(se, LXW_CHART_LABEL_POSITION_ABOVE);
	chart_show_blanks_as(ch, LXW_CHART_BLANKS_AS_GAP);
	place(x, o->ws, at, col, ch, xoff, 1.0, 1.1);
}

/* The top of the ranking, read from the first rows of 排名 (those with a
 * computed total: units without one are ranked last). */
static void chart_top(ov *o, lxw_row_t at)
{
	sx *x = o->x;
	size_t n = x->s->nunits - x->s->ungraded;
	if (n > TOP_N)
		n = TOP_N;
	lxw_chart *ch = new_chart(x, LXW_CHART_BAR, "得分排名（前30名）", "计算总分", NULL);
	lxw_chart_series *se = ch ? add_series(x, ch, RANK_SHEET, 1, (lxw_row_t)n, 2, 4) : NULL;
	if (!se)
		return;
	dark_fill(se, 0x404040);
	value_labels(se, "0.00");
	chart_set_series_gap(ch, 40);
	/* In a bar chart x is the value axis and y the category axis; rank 1
	 * at the top. */
	chart_axis_set_reverse(ch->y_axis);
	chart_axis_set_crossing_max(ch->y_axis); /* the scale below the bars */
	/* Every name, not every other: small enough not to overlap. */
	lxw_chart_font nf = chart_font(8, false);
	chart_axis_set_interval_unit(ch->y_axis, 1);
	chart_axis_set_num_font(ch->y_axis, &nf);
	chart_axis_set_min(ch->x_axis, 0);
	chart_axis_set_max(ch->x_axis, 100);
	place(x, o->ws, at, 0, ch, 0, 1.9, (70.0 + 21.0 * (double)n) / 288.0);
}

static void ov_charts(ov *o)
{
	const jx__summary *s = o->x->s;
	if (!s->nunits)
		return; /* nothing to draw: empty charts only confuse */
	/* Charts start on a new printed page; at 20 px a row, a chart 317 px
	 * high covers 16 rows. */
	lxw_row_t at = o->r + 1;
	page_break(o, at);
	if (s->ngrades)
		chart_grades(o, at);
	if (s->nunits > s->ungraded)
		chart_bands(o, at);
	if (o->have_years) {
		at += 17;
		chart_year(o, at, 0, 0, 2, "历年平均分", "平均分", "0.00");
		if (s->nmetrics) {
			char title[256];
			const jx__sum_metric *m = &s->metrics[0];
			snprintf(title, sizeof title, "%s历年平均", m->label ? m->label : m->id);
			chart_year(o, at, 5, 10, o->year_metric, title, m->label ? m->label : m->id,
			           m->kind == JX_K_PERCENT ? "0.00%" : "0.00");
		}
	}
	if (s->nunits > s->ungraded) {
		at += 18;
		page_break(o, at);
		chart_top(o, at);
	}
}

static void write_overview(sx *x)
{
	const jx__summary *s = x->s;
	ov o = {.x = x, .ws = add_sheet(x, OV_SHEET)};
	if (!o.ws)
		return;
	lxw_col_t yc = (lxw_col_t)(3 + s->ngrades + s->nmetrics);
	o.width = yc > 8 ? yc : 8;
	note(x, worksheet_set_column(o.ws, 0, 0, 20, NULL));
	note(x, worksheet_set_column(o.ws, 1, (lxw_col_t)(o.width - 1), 12, NULL));
	note(x, worksheet_set_row(o.ws, 0, 32, NULL));
	wide_text(x, o.ws, o.r++, o.width, x->title, x->ftitle);
	wide_text(x, o.ws, o.r++, o.width, s->scheme_title ? s->scheme_title : "", x->fnote);
	ov_figures(&o);
	ov_grades(&o);
	ov_bands(&o);
	ov_metrics(&o);
	ov_years(&o);
	ov_charts(&o);
	if (o.nbreaks)
		note(x, worksheet_set_h_pagebreaks(o.ws, o.breaks));
	print_setup(x, o.ws, OV_SHEET, -1);
}

/* ---- 排名 and 问题单位: one row per unit ---- */

typedef struct rk {
	sx *x;
	lxw_worksheet *ws;
	lxw_row_t r;
	bool only_errors;
} rk;

static lxw_col_t rank_cols(const jx__summary *s)
{
	size_t n = FIXED_COLS + s->nmetrics;
	for (size_t m = 0; m < s->nmetrics; m++)
		if (jx__sum_is_sangong(&s->metrics[m]))
			n += 2;
	return (lxw_col_t)n;
}

static void rank_head(sx *x, lxw_worksheet *ws)
{
	const jx__summary *s = x->s;
	static const char *const heads[FIXED_COLS] = {
	        "名次", "单位编码", "单位名称", "主管部门", "计算总分", "填报总分",
	        "差额", "计算等次", "填报等次", "错误数",   "警告数"};
	static const double widths[FIXED_COLS] = {6, 12, 30, 22, 9, 9, 8, 8, 8, 7, 7};
	char label[256];
	head_row(x, ws, 0, heads, FIXED_COLS);
	for (lxw_col_t c = 0; c < FIXED_COLS; c++)
		note(x, worksheet_set_column(ws, c, c, widths[c], NULL));
	lxw_col_t c = FIXED_COLS;
	for (size_t m = 0; m < s->nmetrics; m++) {
		const char *name = s->metrics[m].label ? s->metrics[m].label : s->metrics[m].id;
		put_str(x, ws, 0, c++, name, x->fhead);
		if (jx__sum_is_sangong(&s->metrics[m])) {
			snprintf(label, sizeof label, "%s（上年）", name);
			put_str(x, ws, 0, c++, label, x->fhead);
			snprintf(label, sizeof label, "%s增减率", name);
			put_str(x, ws, 0, c++, label, x->fhead);
		}
	}
	if (c > FIXED_COLS)
		note(x, worksheet_set_column(ws, FIXED_COLS, (lxw_col_t)(c - 1), 12, NULL));
}

static void rank_metrics(rk *k, const jx__sum_unit *u, lxw_col_t c)
{
	sx *x = k->x;
	for (size_t m = 0; m < x->s->nmetrics; m++) {
		const jx__sum_metric *sm = &x->s->metrics[m];
		put_snum(x, k->ws, k->r, c++, u->metrics[m], sm->kind);
		if (jx__sum_is_sangong(sm)) {
			put_snum(x, k->ws, k->r, c++, u->prev_metrics[m], sm->kind);
			put_snum(x, k->ws, k->r, c++,
			         jx__sum_change(u->metrics[m], u->prev_metrics[m]), JX_K_PERCENT);
		}
	}
}

static jx_status rank_row(void *ctx, const jx__sum_unit *u)
{
	rk *k = ctx;
	sx *x = k->x;
	if (k->only_errors && !u->errors)
		return JX_OK;
	lxw_worksheet *ws = k->ws;
	lxw_row_t r = k->r;
	const char *parent = u->parent_name ? u->parent_name : u->parent_code;
	put_count(x, ws, r, 0, u->rank);
	put_str(x, ws, r, 1, u->code, x->ftext);
	put_str(x, ws, r, 2, u->name, x->ftext);
	put_str(x, ws, r, 3, parent, x->ftext);
	put_snum(x, ws, r, 4, u->total, JX_K_SCORE);
	put_snum(x, ws, r, 5, u->stated_total, JX_K_SCORE);
	if (u->gap.set && u->gap.v.raw != 0)
		note(x, worksheet_write_number(ws, r, 6, dec_double(u->gap.v), x->fgap));
	else
		put_snum(x, ws, r, 6, u->gap, JX_K_SCORE);
	put_str(x, ws, r, 7, u->grade, x->fcenter);
	put_str(x, ws, r, 8, u->stated_grade, x->fcenter);
	put_count(x, ws, r, 9, u->errors);
	put_count(x, ws, r, 10, u->warnings);
	rank_metrics(k, u, FIXED_COLS);
	k->r++;
	/* Stop streaming as soon as the workbook cannot be completed. */
	return x->err == LXW_NO_ERROR ? JX_OK : JX_ERR_OOM;
}

static void write_units(sx *x, const char *name, bool only_errors)
{
	const jx__summary *s = x->s;
	rk k = {.x = x, .ws = add_sheet(x, name), .r = 1, .only_errors = only_errors};
	if (!k.ws)
		return;
	lxw_col_t ncols = rank_cols(s);
	rank_head(x, k.ws);
	if (s->nunits && s->each_unit) {
		jx_status st = s->each_unit(s, rank_row, &k);
		if (st != JX_OK && x->err == LXW_NO_ERROR && x->st == JX_OK)
			x->st = st;
	}
	if (k.r == 1)
		wide_text(x, k.ws, k.r++, ncols,
		          only_errors ? "没有存在错误的单位。" : "本年度没有单位的自评数据。",
		          x->fnote);
	else
		note(x, worksheet_autofilter(k.ws, 0, 0, k.r - 1, (lxw_col_t)(ncols - 1)));
	worksheet_freeze_panes(k.ws, 1, 3);
	print_setup(x, k.ws, name, 0);
}

/* ---- 规则统计 and 主管部门汇总 ---- */

static void write_rules(sx *x)
{
	const jx__summary *s = x->s;
	static const char *const heads[] = {"规则", "名称", "严重程度", "涉及单位数", "发现数"};
	static const double widths[] = {10, 60, 10, 12, 10};
	lxw_worksheet *ws = add_sheet(x, "规则统计");
	if (!ws)
		return;
	for (lxw_col_t c = 0; c < 5; c++)
		note(x, worksheet_set_column(ws, c, c, widths[c], NULL));
	head_row(x, ws, 0, heads, 5);
	for (size_t i = 0; i < s->nrules; i++) {
		const jx__sum_rule *ru = &s->rules[i];
		lxw_row_t r = (lxw_row_t)(i + 1);
		put_str(x, ws, r, 0, ru->id, x->fcenter);
		put_str(x, ws, r, 1, ru->title, x->ftext);
		put_str(x, ws, r, 2, jx__severity_cn(ru->sev), x->fcenter);
		put_count(x, ws, r, 3, ru->units);
		put_count(x, ws, r, 4, ru->findings);
	}
	if (!s->nrules)
		wide_text(x, ws, 1, 5, "本年度没有未通过的规则。", x->fnote);
	worksheet_freeze_panes(ws, 1, 0);
	print_setup(x, ws, "规则统计", 0);
}

static void parent_row(sx *x, lxw_worksheet *ws, lxw_row_t r, const jx__sum_parent *p)
{
	const jx__summary *s = x->s;
	lxw_col_t c = 0;
	put_str(x, ws, r, c++, p->code, x->ftext);
	put_str(x, ws, r, c++, p->name, x->ftext);
	put_count(x, ws, r, c++, p->units);
	put_snum(x, ws, r, c++, p->mean_total, JX_K_SCORE);
	put_snum(x, ws, r, c++, p->min_total, JX_K_SCORE);
	put_snum(x, ws, r, c++, p->max_total, JX_K_SCORE);
	for (size_t g = 0; g < s->ngrades; g++)
		put_count(x, ws, r, c++, p->grade_counts[g]);
	put_count(x, ws, r, c, p->with_errors);
}

static void write_parents(sx *x)
{
	const jx__summary *s = x->s;
	static const char *const heads[] = {"编码", "名称", "单位数", "平均分", "最低", "最高"};
	lxw_worksheet *ws = add_sheet(x, "主管部门汇总");
	if (!ws)
		return;
	lxw_col_t ncols = (lxw_col_t)(7 + s->ngrades);
	note(x, worksheet_set_column(ws, 0, 0, 12, NULL));
	note(x, worksheet_set_column(ws, 1, 1, 30, NULL));
	note(x, worksheet_set_column(ws, 2, (lxw_col_t)(ncols - 1), 10, NULL));
	head_row(x, ws, 0, heads, 6);
	for (size_t g = 0; g < s->ngrades; g++)
		put_str(x, ws, 0, (lxw_col_t)(6 + g), s->grade_names[g], x->fhead);
	put_str(x, ws, 0, (lxw_col_t)(ncols - 1), "有错误单位数", x->fhead);
	for (size_t i = 0; i < s->nparents; i++)
		parent_row(x, ws, (lxw_row_t)(i + 1), &s->parents[i]);
	if (!s->nparents)
		wide_text(x, ws, 1, ncols, "没有主管部门数据。", x->fnote);
	worksheet_freeze_panes(ws, 1, 2);
	print_setup(x, ws, "主管部门汇总", 0);
}

/* ---- the workbook ---- */

static void set_properties(sx *x, const jx_report_opts *o)
{
	lxw_doc_properties props;
	memset(&props, 0, sizeof props);
	props.title = x->title;
	props.subject = (char *)(uintptr_t)(x->s->scheme_title ? x->s->scheme_title : "");
	props.author = (char *)(uintptr_t) "jixiao";
	props.created = (time_t)jx__doc_time(o);
	note(x, workbook_set_properties(x->wb, &props));
}

static void build(sx *x, const jx_report_opts *o)
{
	snprintf(x->title, sizeof x->title, "%d年度部门整体支出绩效自评汇总", x->s->year);
	if (!make_formats(x))
		return;
	write_overview(x);
	if (x->err == LXW_NO_ERROR && x->st == JX_OK)
		write_units(x, RANK_SHEET, false);
	if (x->err == LXW_NO_ERROR && x->st == JX_OK)
		write_units(x, "问题单位", true);
	if (x->err == LXW_NO_ERROR && x->st == JX_OK)
		write_rules(x);
	if (x->err == LXW_NO_ERROR && x->st == JX_OK)
		write_parents(x);
	set_properties(x, o);
}

/* The reason a finished workbook is not kept, as a diagnostic. */
static jx_status failure(const sx *x, lxw_error close_err, jx__loc l, jx_diags *errors)
{
	if (x->st != JX_OK) {
		jx__diag_fatal(errors, "W01", l, NULL, "读取单位数据失败：%s", jx_strerror(x->st));
		return x->st;
	}
	lxw_error e = x->err != LXW_NO_ERROR ? x->err : close_err;
	if (e == LXW_ERROR_MEMORY_MALLOC_FAILED) {
		jx__diag_fatal(errors, "W01", l, NULL, "内存不足，未能生成工作簿");
		return JX_ERR_OOM;
	}
	jx__diag_fatal(errors, "W01", l, NULL, "写入工作簿失败：%s", lxw_strerror(e));
	return JX_ERR_IO;
}

jx_status jx__summary_write_xlsx(const jx__summary *s, const char *path, const jx_report_opts *opts,
                                 jx_diags *errors)
{
	jx_report_opts dflt = {.timestamp = -1};
	char tmp[4096];
	jx__loc l = {path, 0, 0};
	if (!opts)
		opts = &dflt;
	/* a fresh name in the target's directory; libxlsxwriter writes it */
	int fd = jx__temp_open(path, tmp, sizeof tmp, errors);
	if (fd < 0)
		return JX_ERR_IO;
	close(fd);
	unlink(tmp);
	/* Parts are staged in temporary files; tmpfs is much faster. */
	char shm[] = "/dev/shm";
	lxw_workbook_options wo = {.constant_memory = LXW_TRUE,
	                           .tmpdir = access(shm, W_OK) == 0 ? shm : NULL,
	                           .use_zip64 = 0};
	sx x;
	memset(&x, 0, sizeof x);
	x.s = s;
	x.wb = workbook_new_opt(tmp, &wo);
	if (!x.wb) {
		jx__diag_fatal(errors, "W01", l, NULL, "无法创建工作簿");
		return JX_ERR_OOM;
	}
	build(&x, opts);
	lxw_error err = workbook_close(x.wb);
	if (x.err != LXW_NO_ERROR || x.st != JX_OK || err != LXW_NO_ERROR) {
		unlink(tmp);
		return failure(&x, err, l, errors);
	}
	return jx__commit_temp(tmp, path, errors);
}
