/* The HTML report (src/render/html.c) through jx_report_write: the shipped
 * example rendered to a temporary file and read back.  Checks the page
 * skeleton, that every table is closed and every table row fills the grid
 * exactly (colspans plus columns taken by rowspans from above), the
 * headings, results, draft banner, the merged indicator cells of 附件1-2,
 * the findings table, escaping of hostile narrative text, deterministic
 * timestamps, and a failed write. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cmocka.h>

#include "jixiao/jixiao.h"

#ifndef SRCDIR
#define SRCDIR "."
#endif

#define EXAMPLE SRCDIR "/examples/beita-2023.yaml"

static jx_scheme *scheme;
static char tmpdir[256];

static int setup(void **state)
{
	(void)state;
	jx_diags *d = jx_diags_new(NULL);
	scheme = jx_scheme_load_file(SRCDIR "/schemes/hunan-dept-overall.yaml", NULL, d);
	jx_diags_free(d);
	snprintf(tmpdir, sizeof tmpdir, "%s/jixiao-html.XXXXXX",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmpdir))
		return -1;
	return scheme ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	jx_scheme_free(scheme);
	rmdir(tmpdir);
	return 0;
}

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = malloc((size_t)n + 1);
	assert_non_null(s);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = 0;
	fclose(f);
	return s;
}

/* Replaces the first `from` in text by `to` (text must contain it). */
static char *replace(const char *text, const char *from, const char *to)
{
	const char *p = strstr(text, from);
	assert_non_null(p);
	size_t n = strlen(text) + strlen(to) + 1;
	char *out = malloc(n);
	assert_non_null(out);
	snprintf(out, n, "%.*s%s%s", (int)(p - text), text, to, p + strlen(from));
	return out;
}

/* Loads data (the example when NULL), evaluates it and renders the HTML
 * report with or without findings; returns the page. */
static char *render(const char *data, bool with_findings, int64_t timestamp)
{
	jx_diags *d = jx_diags_new(NULL);
	jx_doc *doc;
	if (data)
		doc = jx_doc_load_mem(scheme, "t.yaml", data, strlen(data), NULL, d);
	else
		doc = jx_doc_load_file(scheme, EXAMPLE, NULL, d);
	assert_non_null(doc);
	assert_int_equal(jx_doc_evaluate(doc, d), JX_OK);
	char path[512];
	snprintf(path, sizeof path, "%s/out.html", tmpdir);
	jx_diags *errors = jx_diags_new(NULL);
	jx_report_opts o = {.timestamp = timestamp};
	assert_int_equal(jx_report_write(doc, with_findings ? d : NULL, "html", path, &o, errors),
	                 JX_OK);
	assert_int_equal(jx_diags_count(errors), 0);
	char *html = read_all(path);
	unlink(path);
	jx_diags_free(errors);
	jx_doc_free(doc);
	jx_diags_free(d);
	return html;
}

static size_t count(const char *s, const char *needle)
{
	size_t n = 0;
	for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static bool contains_nocase(const char *s, const char *needle)
{
	size_t n = strlen(needle);
	for (; *s; s++)
		if (!strncasecmp(s, needle, n))
			return true;
	return false;
}

/* The text of one table: from `<table id="ID"` to its `</table>`. */
static char *table_of(const char *html, const char *id)
{
	char open[64];
	snprintf(open, sizeof open, "<table id=\"%s\"", id);
	const char *a = strstr(html, open);
	assert_non_null(a);
	const char *e = strstr(a, "</table>");
	assert_non_null(e);
	size_t n = (size_t)(e - a);
	char *t = malloc(n + 1);
	assert_non_null(t);
	memcpy(t, a, n);
	t[n] = 0;
	return t;
}

static int attr(const char *cell, const char *end, const char *name)
{
	char key[32];
	snprintf(key, sizeof key, " %s=\"", name);
	const char *p = strstr(cell, key);
	return p && p < end ? atoi(p + strlen(key)) : 1;
}

/* Every row of the table fills exactly ncols grid columns, counting the
 * columns still covered by rowspans from rows above, and no rowspan runs
 * past the last row. */
static void check_grid(const char *table, int ncols)
{
	int busy[64] = {0};
	size_t rows = 0;
	for (const char *tr = strstr(table, "<tr"); tr; tr = strstr(tr + 1, "<tr")) {
		const char *end = strstr(tr, "</tr>");
		assert_non_null(end);
		int width = 0;
		for (int k = 0; k < ncols; k++)
			width += busy[k] > 0;
		int col = 0;
		for (const char *c = tr; (c = strpbrk(c + 1, "<")) && c < end;) {
			if (strncmp(c, "<td", 3) && strncmp(c, "<th", 3))
				continue;
			const char *gt = strchr(c, '>');
			int cs = attr(c, gt, "colspan"), rs = attr(c, gt, "rowspan");
			while (col < ncols && busy[col] > 0)
				col++;
			for (int k = col; k < col + cs && k < 64; k++)
				busy[k] = rs; /* rows taken, counting this one */
			col += cs;
			width += cs;
		}
		if (width != ncols)
			fail_msg("row %zu spans %d columns, not %d", rows, width, ncols);
		for (int k = 0; k < 64; k++)
			if (busy[k] > 0)
				busy[k]--;
		rows++;
	}
	assert_true(rows > 0);
	for (int k = 0; k < 64; k++)
		assert_int_equal(busy[k], 0);
}

static void test_example(void **state)
{
	(void)state;
	char *html = render(NULL, true, -1);
	assert_true(!strncmp(html, "<!DOCTYPE html>\n<html lang=\"zh-CN\">", 35));
	assert_non_null(strstr(html, "<meta charset=\"utf-8\">"));
	assert_non_null(
	        strstr(html, "<title>北塔区行政审批局2023年部门整体支出绩效自评报告</title>"));
	assert_non_null(strstr(html, "<h1>北塔区行政审批局2023年部门整体支出绩效自评报告</h1>"));
	assert_non_null(strstr(html, "@page { size: A4; margin: 37mm 26mm 35mm 28mm; }"));
	assert_non_null(strstr(html, "break-before: page"));
	assert_non_null(strstr(html, "</html>\n"));
	/* self-contained: no scripts, no external resources */
	assert_false(contains_nocase(html, "<script"));
	assert_false(contains_nocase(html, "<link"));
	assert_false(contains_nocase(html, "src="));
	assert_false(contains_nocase(html, "url("));
	/* balanced structure */
	assert_int_equal(count(html, "<table"), 3);
	assert_int_equal(count(html, "</table>"), 3);
	assert_int_equal(count(html, "<tr"), count(html, "</tr>"));
	assert_int_equal(count(html, "<td"), count(html, "</td>"));
	assert_int_equal(count(html, "<th"), count(html, "</th>") + count(html, "<thead>"));
	assert_int_equal(count(html, "<section"), count(html, "</section>"));
	assert_int_equal(count(html, "<p"), count(html, "</p>"));
	/* every table closes before the next opens */
	for (const char *p = strstr(html, "<table"); p; p = strstr(p + 1, "<table")) {
		const char *close = strstr(p, "</table>"), *next = strstr(p + 1, "<table");
		assert_non_null(close);
		assert_true(!next || close < next);
	}
	static const char *const h1[] = {
	        "<h2>一、部门（单位）基本情况</h2>",     "<h2>二、部门整体支出管理及使用情况</h2>",
	        "<h2>三、政府性基金预算支出情况</h2>",   "<h2>四、国有资本经营预算支出情况</h2>",
	        "<h2>五、社会保险基金预算支出情况</h2>", "<h2>六、部门整体支出绩效情况</h2>",
	        "<h2>七、存在的问题及原因分析</h2>",     "<h2>八、下一步改进措施</h2>",
	        "<h2>九、其他需要说明的情况</h2>",
	};
	for (size_t i = 0; i < sizeof h1 / sizeof h1[0]; i++)
		if (!strstr(html, h1[i]))
			fail_msg("missing heading %s", h1[i]);
	assert_non_null(strstr(html, "<h3>（一）机构设置情况</h3>"));
	assert_non_null(strstr(html, "<h4>1．基本支出情况</h4>"));
	assert_non_null(strstr(html, "88.00"));
	assert_non_null(strstr(html, "良好"));
	assert_non_null(strstr(html, "<div class=\"draft\">草稿：尚有 3 个错误未改正</div>"));
	/* attachments */
	assert_non_null(strstr(html, "<p class=\"att-name\">附件1-1</p>"));
	assert_non_null(strstr(html, "<p class=\"att-title\">部门整体支出绩效评价基础数据表</p>"));
	assert_non_null(strstr(html, "<p class=\"att-name\">附件1-2</p>"));
	assert_non_null(strstr(html, "<p class=\"att-title\">部门整体支出绩效自评表</p>"));
	assert_int_equal(count(html, "<section class=\"attachment\">"), 2);
	char *t1 = table_of(html, "basic_data");
	assert_non_null(strstr(t1, "<th colspan=\"2\">编制数</th>"));
	assert_non_null(strstr(t1, "<td colspan=\"2\" class=\"num\">87.50%</td>"));
	assert_non_null(strstr(t1, "<td style=\"padding-left: 2em\">其中：公车购置</td>"));
	/* a multi-line cell keeps its line breaks */
	assert_non_null(strstr(t1, "陪餐人数。<br>严格控制会议经费支出"));
	check_grid(t1, 7);
	free(t1);
	char *t2 = table_of(html, "self_eval");
	assert_non_null(strstr(t2, "<th rowspan=\"7\">年度预算申请（万元）</th>"));
	assert_non_null(strstr(t2, "<th rowspan=\"2\">年度总体目标</th>"));
	/* merge: [level1, level2] */
	assert_non_null(strstr(t2, "<td rowspan=\"6\">产出指标</td>"));
	assert_non_null(strstr(t2, "<td rowspan=\"3\">效益指标</td>"));
	assert_non_null(strstr(t2, "<td rowspan=\"2\">数量指标</td>"));
	assert_non_null(strstr(t2, "<td rowspan=\"2\">质量指标</td>"));
	assert_int_equal(count(t2, ">产出指标<"), 1);
	assert_int_equal(count(t2, ">数量指标<"), 1);
	assert_non_null(strstr(t2, "<td colspan=\"6\">总分</td>"));
	assert_non_null(strstr(t2, "<td class=\"num\">88.00</td>"));
	check_grid(t2, 9);
	free(t2);
	/* findings */
	assert_non_null(strstr(html, "<h2>核查结果</h2>"));
	assert_non_null(strstr(html, "<td class=\"id\">T01</td>"));
	assert_non_null(strstr(html, "<td class=\"sev\">错误</td>"));
	assert_non_null(strstr(html, "<td class=\"sev\">警告</td>"));
	assert_non_null(strstr(html, "<td class=\"sev\">提示</td>"));
	assert_non_null(strstr(html, "<code>performance.stated_score</code>"));
	assert_non_null(strstr(html, "自评总分 98 与各项得分合计 88.00 不符"));
	assert_int_equal(count(html, "<tr class=\"error\">"), 3);
	char *t3 = table_of(html, "findings");
	assert_int_equal(count(t3, "<tr"), 12); /* header + 11 findings */
	check_grid(t3, 5);
	free(t3);
	free(html);
}

static void test_escaping(void **state)
{
	(void)state;
	jx_diags *d = jx_diags_new(NULL);
	size_t len;
	char *text = jx_read_file(EXAMPLE, NULL, &len, d);
	assert_non_null(text);
	jx_diags_free(d);
	char *hostile = replace(text, "other_notes: 无",
	                        "other_notes: \"<script>alert(1)</script> & 'x' \\\"y\\\"\"");
	free(text);
	char *html = render(hostile, true, -1);
	free(hostile);
	assert_false(contains_nocase(html, "<script"));
	assert_non_null(strstr(html, "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#39;x&#39; "
	                             "&quot;y&quot;</p>"));
	free(html);
}

static void test_no_findings(void **state)
{
	(void)state;
	char *html = render(NULL, false, -1);
	assert_null(strstr(html, "class=\"draft\""));
	assert_null(strstr(html, "核查结果"));
	assert_int_equal(count(html, "<table"), 2);
	assert_int_equal(count(html, "</table>"), 2);
	free(html);
}

static void test_deterministic(void **state)
{
	(void)state;
	char *a = render(NULL, true, -1), *b = render(NULL, true, -1);
	assert_string_equal(a, b);
	assert_non_null(strstr(a, "<meta name=\"generated\" content=\"2000-01-01T00:00:00Z\">"));
	free(a);
	free(b);
	a = render(NULL, true, 0);
	assert_non_null(strstr(a, "<meta name=\"generated\" content=\"1970-01-01T00:00:00Z\">"));
	free(a);
	a = render(NULL, true, 1709210096);
	assert_non_null(strstr(a, "<meta name=\"generated\" content=\"2024-02-29T12:34:56Z\">"));
	free(a);
}

static void test_write_failure(void **state)
{
	(void)state;
	jx_diags *d = jx_diags_new(NULL);
	jx_doc *doc = jx_doc_load_file(scheme, EXAMPLE, NULL, d);
	assert_non_null(doc);
	assert_int_equal(jx_doc_evaluate(doc, d), JX_OK);
	char path[512];
	snprintf(path, sizeof path, "%s/missing/out.html", tmpdir);
	jx_diags *errors = jx_diags_new(NULL);
	assert_int_equal(jx_report_write(doc, d, "html", path, NULL, errors), JX_ERR_IO);
	assert_int_equal(jx_diags_count(errors), 1);
	assert_string_equal(jx_diags_get(errors, 0)->id, "W01");
	assert_int_not_equal(access(path, F_OK), 0);
	jx_diags_free(errors);
	jx_doc_free(doc);
	jx_diags_free(d);
}

/* Explanations of warnings: in a scheme whose outline has no section
 * 其他需要说明的情况, the 说明 paragraphs go into a last section
 * 核实事项说明; unmatched (E01) and no-effect (E02) ones are not shown, and
 * the findings table gives the 说明 beside its warning. */
static void test_explanations_own_section(void **state)
{
	(void)state;
	char *text = read_all(SRCDIR "/schemes/hunan-dept-overall.yaml");
	char *edited = replace(text, "title: 其他需要说明的情况", "title: 其他事项");
	jx_diags *d = jx_diags_new(NULL);
	jx_scheme *s = jx_scheme_load_mem("edited.yaml", edited, strlen(edited), NULL, d);
	assert_non_null(s);
	jx_doc *doc = jx_doc_load_file(s, SRCDIR "/tests/cli/beita-2023-explained.yaml", NULL, d);
	assert_non_null(doc);
	assert_int_equal(jx_doc_explanation_count(doc), 4);
	assert_string_equal(jx_doc_explanation(doc, 1)->path, "self_eval.indicators[6]");
	assert_null(jx_doc_explanation(doc, 0)->path);
	assert_int_equal(jx_doc_evaluate(doc, d), JX_OK);
	size_t explained = 0;
	for (size_t i = 0; i < jx_diags_count(d); i++) {
		const jx_diag *g = jx_diags_get(d, i);
		if (g->explanation) {
			assert_int_equal(g->severity, JX_SEV_WARNING);
			explained++;
		}
	}
	assert_int_equal(explained, 2);
	char path[512];
	snprintf(path, sizeof path, "%s/own-section.html", tmpdir);
	jx_diags *errors = jx_diags_new(NULL);
	assert_int_equal(jx_report_write(doc, d, "html", path, NULL, errors), JX_OK);
	char *html = read_all(path);
	unlink(path);
	assert_non_null(strstr(html, "<h2>九、其他事项</h2>"));
	const char *sec = strstr(html, "<h2>十、核实事项说明</h2>");
	assert_non_null(sec);
	assert_non_null(strstr(sec, "<p>关于“公用经费控制率”（G02）：公用经费本年预算"));
	assert_non_null(strstr(sec, "<p>关于“扣分未说明偏差原因”（I03）：部分项目资金"));
	assert_null(strstr(html, "（S04）："));
	assert_null(strstr(html, "（T01）："));
	assert_non_null(strstr(html, "<td>说明：部分项目资金年底才到位"));
	free(html);
	jx_diags_free(errors);
	jx_doc_free(doc);
	jx_scheme_free(s);
	jx_diags_free(d);
	free(edited);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_example),
	        cmocka_unit_test(test_escaping),
	        cmocka_unit_test(test_no_findings),
	        cmocka_unit_test(test_deterministic),
	        cmocka_unit_test(test_write_failure),
	        cmocka_unit_test(test_explanations_own_section),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
