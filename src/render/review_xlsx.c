/* The review list as a workbook (`jixiao db check --format xlsx`): every
 * finding of the latest revisions by unit, and the counts by rule.  Rows
 * stream from the store into libxlsxwriter's constant-memory mode, so a
 * year of thousands of units costs no more memory than one. */
#include "jixiao/store.h"

#include "../core/core.h"
#include "writers.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

typedef struct rx {
	lxw_workbook *wb;
	lxw_worksheet *units, *rules;
	lxw_format *head, *text, *num;
	lxw_row_t row;
	int64_t last;
} rx;

static const char *sev_zh(jx_severity s)
{
	return s == JX_SEV_INFO ? "提示" : s == JX_SEV_WARNING ? "警告" : "错误";
}

static void header(rx *x, lxw_worksheet *ws, const char *const *cols, const double *widths,
                   size_t n)
{
	for (size_t i = 0; i < n; i++) {
		worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, widths[i], NULL);
		worksheet_write_string(ws, 0, (lxw_col_t)i, cols[i], x->head);
	}
	worksheet_freeze_panes(ws, 1, 0);
	worksheet_autofilter(ws, 0, 0, 0, (lxw_col_t)(n - 1));
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9);
	worksheet_fit_to_pages(ws, 1, 0);
	worksheet_repeat_rows(ws, 0, 0);
}

static void str(rx *x, lxw_col_t c, const char *s)
{
	if (s && *s)
		worksheet_write_string(x->units, x->row, c, s, x->text);
}

static jx_status unit_row(void *ctx, const jx_store_rev *r, const jx_diag *g)
{
	rx *x = ctx;
	if (!g)
		return JX_OK;
	x->row++;
	str(x, 0, r->unit);
	str(x, 1, r->unit_name);
	worksheet_write_number(x->units, x->row, 2, r->year, x->num);
	worksheet_write_number(x->units, x->row, 3, r->rev, x->num);
	str(x, 4, g->id);
	str(x, 5, sev_zh(g->severity));
	str(x, 6, g->message);
	str(x, 7, g->path);
	str(x, 8, g->expected);
	str(x, 9, g->actual);
	str(x, 10, g->difference);
	if (g->line)
		worksheet_write_number(x->units, x->row, 11, g->line, x->num);
	str(x, 12, r->file);
	return JX_OK;
}

static jx_status rule_row(void *ctx, const jx_store_rule_count *c)
{
	rx *x = ctx;
	x->row++;
	worksheet_write_string(x->rules, x->row, 0, c->rule, x->text);
	if (c->title)
		worksheet_write_string(x->rules, x->row, 1, c->title, x->text);
	worksheet_write_string(x->rules, x->row, 2, sev_zh(c->severity), x->text);
	worksheet_write_number(x->rules, x->row, 3, (double)c->units, x->num);
	worksheet_write_number(x->rules, x->row, 4, (double)c->findings, x->num);
	return JX_OK;
}

static void formats(rx *x)
{
	x->head = workbook_add_format(x->wb);
	format_set_bold(x->head);
	format_set_bg_color(x->head, 0xD9D9D9);
	format_set_border(x->head, LXW_BORDER_THIN);
	format_set_text_wrap(x->head);
	x->text = workbook_add_format(x->wb);
	format_set_border(x->text, LXW_BORDER_THIN);
	x->num = workbook_add_format(x->wb);
	format_set_border(x->num, LXW_BORDER_THIN);
}

static jx_status fill(rx *x, jx_store *st, int year, jx_diags *diags)
{
	static const char *const ucols[] = {"单位编码", "单位名称", "年度", "修订", "规则",
	                                    "级别",     "说明",     "字段", "应为", "实为",
	                                    "差额",     "行",       "文件"};
	static const double uw[] = {12, 28, 7, 6, 7, 6, 60, 30, 12, 12, 12, 6, 30};
	static const char *const rcols[] = {"规则", "名称", "级别", "涉及单位数", "问题数"};
	static const double rw[] = {8, 36, 8, 12, 10};
	formats(x);
	x->units = workbook_add_worksheet(x->wb, "按单位");
	x->rules = workbook_add_worksheet(x->wb, "按规则");
	if (!x->units || !x->rules || !x->head || !x->text || !x->num)
		return JX_ERR_OOM;
	header(x, x->units, ucols, uw, sizeof ucols / sizeof ucols[0]);
	header(x, x->rules, rcols, rw, sizeof rcols / sizeof rcols[0]);
	x->row = 0;
	jx_status s = jx_store_review(st, year, unit_row, x, diags);
	x->row = 0;
	if (s == JX_OK)
		s = jx_store_rule_counts(st, year, rule_row, x, diags);
	return s;
}

jx_status jx_store_review_write(jx_store *st, int year, const char *path,
                                const jx_report_opts *opts, jx_diags *diags)
{
	char tmp[4096];
	jx__loc l = {path, 0, 0};
	int fd = jx__temp_open(path, tmp, sizeof tmp, diags);
	if (fd < 0)
		return JX_ERR_IO;
	close(fd);
	lxw_workbook_options wo = {.constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = 0};
	rx x = {.last = -1};
	if (!(x.wb = workbook_new_opt(tmp, &wo))) {
		unlink(tmp);
		jx__diag_fatal(diags, "W01", l, NULL, "无法创建工作簿");
		return JX_ERR_OOM;
	}
	lxw_doc_properties props = {.title = "审核清单", .author = "jixiao"};
	props.created = (time_t)jx__doc_time(opts);
	workbook_set_properties(x.wb, &props);
	jx_status s = fill(&x, st, year, diags);
	lxw_error err = workbook_close(x.wb);
	if (s != JX_OK || err != LXW_NO_ERROR) {
		unlink(tmp);
		if (s == JX_OK) {
			jx__diag_fatal(diags, "W01", l, NULL, "写入工作簿失败：%s",
			               lxw_strerror(err));
			s = JX_ERR_IO;
		} else if (s == JX_ERR_OOM) {
			jx__diag_fatal(diags, "Y00", l, NULL, "内存不足");
		}
		return s;
	}
	return jx__commit_temp(tmp, path, diags);
}
