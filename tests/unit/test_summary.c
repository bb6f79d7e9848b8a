/* The summary writers (src/render/summary_xlsx.c, summary_html.c) on a
 * hand-made summary of four units over two years: the workbook has the
 * five sheets and five charts; in 排名 the first unit's computed total is
 * 95.5 with a gap of 0.5 and its 三公 change (12.5 against 10) is 0.25;
 * 问题单位 lists exactly the two units with errors; a unit name with
 * <script> is escaped; writing twice gives the same bytes.  The page has
 * SVG charts, the escaped name and the exact numbers 95.50, 68.25% and
 * 25.00%.  An empty summary writes both files (the workbook without
 * charts); a missing directory or a failing unit stream is a W01 error
 * that leaves no temporary file behind. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "slurp.h"

#include <cmocka.h>
#include <zip.h>

#include "render/summary.h"

/* N(95.5) is 95.5e6 millionths: an exact integer constant, no arithmetic. */
/* clang-format off */
#define N(x)  {true, {(int64_t)(x##e6)}}
#define BLANK {false, {0}}
/* clang-format on */

/* ---- the fake store ---- */

static const char *const grade_names[] = {"优秀", "良好", "中", "差"};

static const jx__snum m1[] = {N(0.9), N(12.5)}, p1[] = {N(0.8), N(10)};
static const jx__snum m2[] = {N(0.6), N(3)}, p2[] = {BLANK, BLANK};
static const jx__snum m3[] = {N(0.547476), N(7)}, p3[] = {N(0.5), N(0)};
static const jx__snum m4[] = {BLANK, BLANK}, p4[] = {BLANK, N(4)};

static const jx__sum_unit units[] = {
        {1, "001", "北塔区财政局", "100", "北塔区政府", 1, N(95.5), N(96), N(0.5), "优秀", "优秀",
         0, 1, m1, p1},
        {2, "002", "<script>alert(1)</script>局", "100", "北塔区政府", 2, N(88), N(88), N(0),
         "良好", "良好", 1, 0, m2, p2},
        {3, "003", "北塔区第一中学", NULL, NULL, 1, N(72.25), BLANK, BLANK, "中", NULL, 0, 2, m3,
         p3},
        {4, "004", "未算分单位", "200", "北塔区教育局", 1, BLANK, N(80), BLANK, NULL, "良好", 3, 0,
         m4, p4},
};

typedef struct src {
	const jx__sum_unit *units;
	size_t n;
	jx_status fail; /* returned after the first unit when not JX_OK */
} src;

static jx_status each_unit(const jx__summary *s, jx__sum_unit_cb cb, void *ctx)
{
	const src *st = s->src;
	for (size_t i = 0; i < st->n; i++) {
		jx_status r = cb(ctx, &st->units[i]);
		if (r != JX_OK)
			return r;
		if (st->fail != JX_OK)
			return st->fail;
	}
	return JX_OK;
}

static size_t grade_counts[] = {1, 1, 1, 0};
static size_t y23_counts[] = {0, 2, 1, 0}, y24_counts[] = {1, 1, 1, 0};
static jx__snum y23_means[] = {N(0.61), N(8)}, y24_means[] = {N(0.682492), N(7.5)};
static jx__snum y23_sums[] = {BLANK, N(24)}, y24_sums[] = {BLANK, N(22.5)};
static size_t p100_counts[] = {1, 1, 0, 0}, p003_counts[] = {0, 0, 1, 0},
              p200_counts[] = {0, 0, 0, 0};

static jx__sum_metric metrics[] = {
        {"exec_rate", "预算执行率", JX_K_PERCENT, 3, N(0.547476), N(0.9), N(0.682492), BLANK},
        {"sangong", "“三公”经费", JX_K_AMOUNT, 3, N(3), N(12.5), N(7.5), N(22.5)},
};
static jx__sum_year years[] = {
        {2023, 3, N(84.1), y23_counts, y23_means, y23_sums},
        {2024, 4, N(85.25), y24_counts, y24_means, y24_sums},
};
static jx__sum_rule rules[] = {
        {"T03", "资金合计应等于各项之和 & 其他", JX_SEV_ERROR, 2, 3},
        {"W12", "执行率偏低", JX_SEV_WARNING, 1, 1},
};
static jx__sum_parent parents[] = {
        {"003", "北塔区第一中学", 1, 0, N(72.25), N(72.25), N(72.25), p003_counts},
        {"100", "北塔区政府", 2, 1, N(91.75), N(88), N(95.5), p100_counts},
        {"200", "北塔区教育局", 1, 1, BLANK, BLANK, BLANK, p200_counts},
};

static src full_src = {units, 4, JX_OK};

static jx__summary full(void)
{
	jx__summary s = {
	        .year = 2024,
	        .scheme_id = "hunan-dept-overall",
	        .scheme_title = "部门整体支出绩效自评（湖南）",
	        .nunits = 4,
	        .units_with_errors = 2,
	        .ungraded = 1,
	        .grade_names = grade_names,
	        .ngrades = 4,
	        .grade_counts = grade_counts,
	        .score_bands = {0, 0, 0, 1, 0, 0, 1, 0, 1},
	        .mean_total = N(85.25),
	        .median_total = N(88),
	        .metrics = metrics,
	        .nmetrics = 2,
	        .years = years,
	        .nyears = 2,
	        .rules = rules,
	        .nrules = 2,
	        .parents = parents,
	        .nparents = 3,
	        .each_unit = each_unit,
	        .src = &full_src,
	};
	return s;
}

static src empty_src = {NULL, 0, JX_OK};
static size_t zero_counts[] = {0, 0, 0, 0};
static jx__sum_year one_year[] = {{2024, 0, BLANK, zero_counts, NULL, NULL}};

static jx__summary empty(void)
{
	jx__summary s = {
	        .year = 2024,
	        .scheme_title = "部门整体支出绩效自评（湖南）",
	        .grade_names = grade_names,
	        .ngrades = 4,
	        .grade_counts = zero_counts,
	        .years = one_year,
	        .nyears = 1,
	        .each_unit = each_unit,
	        .src = &empty_src,
	};
	return s;
}

/* ---- files ---- */

typedef struct fx {
	char dir[64];
} fx;

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/jixiao-sum.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	*state = f;
	return 0;
}

static void empty_dir(const char *d)
{
	char path[512];
	DIR *dir = opendir(d);
	for (struct dirent *e; dir && (e = readdir(dir));) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof path, "%s/%s", d, e->d_name);
		unlink(path);
	}
	if (dir)
		closedir(dir);
}

static int teardown(void **state)
{
	fx *f = *state;
	empty_dir(f->dir);
	rmdir(f->dir);
	free(f);
	return 0;
}

static size_t dir_entries(const char *d)
{
	size_t n = 0;
	DIR *dir = opendir(d);
	for (struct dirent *e; dir && (e = readdir(dir));)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	if (dir)
		closedir(dir);
	return n;
}

/* One entry of a zip archive, NUL-terminated; NULL if absent. */
static char *unzip_entry(const char *path, const char *name)
{
	int err = 0;
	zip_t *z = zip_open(path, ZIP_RDONLY, &err);
	assert_non_null(z);
	zip_stat_t st;
	if (zip_stat(z, name, 0, &st) != 0) {
		zip_discard(z);
		return NULL;
	}
	char *buf = malloc(st.size + 1);
	assert_non_null(buf);
	zip_file_t *zf = zip_fopen(z, name, 0);
	assert_non_null(zf);
	assert_int_equal(zip_fread(zf, buf, st.size), (zip_int64_t)st.size);
	buf[st.size] = 0;
	zip_fclose(zf);
	zip_discard(z);
	return buf;
}

static bool has_entry(const char *path, const char *name)
{
	char *e = unzip_entry(path, name);
	free(e);
	return e != NULL;
}

/* The value of cell ref in a worksheet's XML: the text of its <v>, or of
 * its inline string's <t> (constant_memory mode writes inline strings);
 * "" when the cell has neither, NULL when it is absent. */
static const char *cell(const char *xml, const char *ref, char *out, size_t size)
{
	char key[32];
	snprintf(key, sizeof key, "<c r=\"%s\"", ref);
	const char *c = strstr(xml, key);
	if (!c)
		return NULL;
	const char *end = strstr(c, "</c>"), *close = strstr(c, "/>");
	out[0] = '\0';
	if (!end || (close && close < end && !memchr(c, '>', (size_t)(close - c))))
		return out; /* <c …/>: empty */
	const char *v = strstr(c, "<v>");
	const char *t = strstr(c, "<t");
	const char *p = v && v < end ? v + 3 : t && t < end ? strchr(t, '>') + 1 : NULL;
	if (!p)
		return out;
	const char *q = strchr(p, '<');
	snprintf(out, size, "%.*s", (int)(q - p), p);
	return out;
}

static void write_xlsx(const jx__summary *s, const char *path)
{
	jx_report_opts o = {.timestamp = 1700000000};
	jx_diags *e = jx_diags_new(NULL);
	assert_int_equal(jx__summary_write_xlsx(s, path, &o, e), JX_OK);
	assert_int_equal(jx_diags_count(e), 0);
	jx_diags_free(e);
}

static void write_html(const jx__summary *s, const char *path)
{
	jx_report_opts o = {.timestamp = 1700000000};
	jx_diags *e = jx_diags_new(NULL);
	assert_int_equal(jx__summary_write_html(s, path, &o, e), JX_OK);
	assert_int_equal(jx_diags_count(e), 0);
	jx_diags_free(e);
}

/* ---- tests ---- */

static void xlsx_workbook(void **state)
{
	fx *f = *state;
	char path[128], path2[128], v[256];
	jx__summary s = full();
	snprintf(path, sizeof path, "%s/s.xlsx", f->dir);
	snprintf(path2, sizeof path2, "%s/s2.xlsx", f->dir);
	write_xlsx(&s, path);
	write_xlsx(&s, path2);
	size_t n1, n2;
	char *a = slurp(path, &n1), *b = slurp(path2, &n2);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(n1, n2);
	assert_memory_equal(a, b, n1);
	free(a);
	free(b);

	/* grades, bands, the mean total and the first metric by year, top 30 */
	for (int i = 1; i <= 5; i++) {
		snprintf(v, sizeof v, "xl/charts/chart%d.xml", i);
		assert_true(has_entry(path, v));
	}
	assert_false(has_entry(path, "xl/charts/chart6.xml"));
	assert_true(has_entry(path, "xl/drawings/drawing1.xml"));

	char *wb = unzip_entry(path, "xl/workbook.xml");
	assert_non_null(wb);
	const char *names[] = {"概览", "排名", "问题单位", "规则统计", "主管部门汇总"};
	for (size_t i = 0; i < 5; i++) {
		snprintf(v, sizeof v, "<sheet name=\"%s\"", names[i]);
		assert_non_null(strstr(wb, v));
	}
	free(wb);

	char *ov = unzip_entry(path, "xl/worksheets/sheet1.xml");
	assert_non_null(strstr(ov, "2024年度部门整体支出绩效自评汇总"));
	free(ov);

	char *rk = unzip_entry(path, "xl/worksheets/sheet2.xml");
	assert_non_null(rk);
	assert_string_equal(cell(rk, "A2", v, sizeof v), "1");
	assert_string_equal(cell(rk, "C2", v, sizeof v), "北塔区财政局");
	assert_string_equal(cell(rk, "E2", v, sizeof v), "95.5");
	assert_string_equal(cell(rk, "G2", v, sizeof v), "0.5");
	/* 三公: this year (M), last year (N), change (O) = (12.5 − 10) / 10 */
	assert_string_equal(cell(rk, "M2", v, sizeof v), "12.5");
	assert_string_equal(cell(rk, "N2", v, sizeof v), "10");
	assert_string_equal(cell(rk, "O2", v, sizeof v), "0.25");
	/* last year 0: no change rate; blank is not zero */
	assert_string_equal(cell(rk, "O4", v, sizeof v), "");
	assert_string_equal(cell(rk, "E5", v, sizeof v), "");
	assert_string_equal(cell(rk, "C3", v, sizeof v), "&lt;script&gt;alert(1)&lt;/script&gt;局");
	assert_null(strstr(rk, "<script>"));
	assert_non_null(strstr(rk, "<autoFilter ref=\"A1:O5\""));
	assert_non_null(strstr(rk, "<pane "));
	free(rk);

	char *pb = unzip_entry(path, "xl/worksheets/sheet3.xml");
	assert_string_equal(cell(pb, "B2", v, sizeof v), "002");
	assert_string_equal(cell(pb, "B3", v, sizeof v), "004");
	assert_null(cell(pb, "B4", v, sizeof v));
	free(pb);

	char *ru = unzip_entry(path, "xl/worksheets/sheet4.xml");
	assert_string_equal(cell(ru, "B2", v, sizeof v), "资金合计应等于各项之和 &amp; 其他");
	assert_string_equal(cell(ru, "C2", v, sizeof v), "错误");
	assert_string_equal(cell(ru, "D2", v, sizeof v), "2");
	free(ru);

	char *pa = unzip_entry(path, "xl/worksheets/sheet5.xml");
	assert_string_equal(cell(pa, "D3", v, sizeof v), "91.75");
	assert_string_equal(cell(pa, "K3", v, sizeof v), "1");
	free(pa);

	/* The top-30 chart reads the names and totals of the ranking. */
	char *ch = unzip_entry(path, "xl/charts/chart5.xml");
	assert_non_null(strstr(ch, "'排名'!$C$2:$C$4"));
	assert_non_null(strstr(ch, "'排名'!$E$2:$E$4"));
	free(ch);
}

static void html_page(void **state)
{
	fx *f = *state;
	char path[128];
	size_t n;
	jx__summary s = full();
	snprintf(path, sizeof path, "%s/s.html", f->dir);
	write_html(&s, path);
	char *h = slurp(path, &n);
	assert_non_null(h);
	assert_non_null(strstr(h, "<svg"));
	assert_non_null(strstr(h, "得分排名（前30名）"));
	assert_non_null(strstr(h, "2024年度部门整体支出绩效自评汇总"));
	assert_non_null(strstr(h, "&lt;script&gt;alert(1)&lt;/script&gt;局"));
	assert_null(strstr(h, "<script"));
	assert_non_null(strstr(h, "<td class=\"num\">95.50</td>"));
	assert_non_null(strstr(h, "<td class=\"num gap\">0.50</td>"));
	assert_non_null(strstr(h, "<td class=\"num\">68.25%</td>"));
	assert_non_null(strstr(h, "<td class=\"num\">25.00%</td>"));
	assert_non_null(strstr(h, "资金合计应等于各项之和 &amp; 其他"));
	assert_non_null(strstr(h, "@media print") || strstr(h, "@page"));
	free(h);
}

static void empty_summary(void **state)
{
	fx *f = *state;
	char path[128];
	jx__summary s = empty();
	snprintf(path, sizeof path, "%s/e.xlsx", f->dir);
	write_xlsx(&s, path);
	assert_false(has_entry(path, "xl/charts/chart1.xml"));
	char *wb = unzip_entry(path, "xl/workbook.xml");
	assert_non_null(strstr(wb, "<sheet name=\"排名\""));
	free(wb);
	snprintf(path, sizeof path, "%s/e.html", f->dir);
	write_html(&s, path);
	size_t n;
	char *h = slurp(path, &n);
	assert_non_null(strstr(h, "本年度没有单位的自评数据。"));
	free(h);
}

static void unwritable(void **state)
{
	fx *f = *state;
	char path[128];
	jx__summary s = full();
	jx_report_opts o = {.timestamp = 1700000000};
	for (int html = 0; html < 2; html++) {
		snprintf(path, sizeof path, "%s/no/such/dir/x.%s", f->dir, html ? "html" : "xlsx");
		jx_diags *e = jx_diags_new(NULL);
		jx_status st = html ? jx__summary_write_html(&s, path, &o, e)
		                    : jx__summary_write_xlsx(&s, path, &o, e);
		assert_int_equal(st, JX_ERR_IO);
		assert_int_equal(jx_diags_count(e), 1);
		assert_string_equal(jx_diags_get(e, 0)->id, "W01");
		jx_diags_free(e);
	}
}

/* The store failing half-way: an error, and neither the target nor a
 * temporary file is left. */
static void failing_stream(void **state)
{
	fx *f = *state;
	char sub[128], path[192];
	snprintf(sub, sizeof sub, "%s/fail", f->dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	src bad = {units, 4, JX_ERR_IO};
	jx__summary s = full();
	s.src = &bad;
	jx_report_opts o = {.timestamp = 1700000000};
	for (int html = 0; html < 2; html++) {
		snprintf(path, sizeof path, "%s/x.%s", sub, html ? "html" : "xlsx");
		jx_diags *e = jx_diags_new(NULL);
		jx_status st = html ? jx__summary_write_html(&s, path, &o, e)
		                    : jx__summary_write_xlsx(&s, path, &o, e);
		assert_int_equal(st, JX_ERR_IO);
		assert_int_equal(jx_diags_count(e), 1);
		assert_string_equal(jx_diags_get(e, 0)->id, "W01");
		jx_diags_free(e);
		assert_int_equal(dir_entries(sub), 0);
	}
	rmdir(sub);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(xlsx_workbook),  cmocka_unit_test(html_page),
	        cmocka_unit_test(empty_summary),  cmocka_unit_test(unwritable),
	        cmocka_unit_test(failing_stream),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
