/* Scoring of the default scheme (schemes/hunan-dept-overall.yaml), on its
 * boundaries: per-indicator scores for ≥, ≤, = and 定性, the 定性 bands (via
 * I05), the 预算执行率 score and its cap, totals and grades at the band
 * edges (and T02/T03), and blank handling.  Documents are small data files
 * built in memory; every expectation is an exact string or raw value. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jixiao/jixiao.h"

#ifndef SRCDIR
#define SRCDIR "."
#endif

static jx_scheme *scheme;

static int load_scheme(void **state)
{
	(void)state;
	jx_diags *d = jx_diags_new(NULL);
	scheme = jx_scheme_load_file(SRCDIR "/schemes/hunan-dept-overall.yaml", NULL, d);
	if (!scheme) {
		const jx_diag *g = jx_diags_get(d, 0);
		fprintf(stderr, "scheme did not load: %s:%u:%u %s\n", g ? g->file : "?",
		        g ? g->line : 0, g ? g->column : 0, g ? g->message : "?");
	}
	jx_diags_free(d);
	return scheme ? 0 : -1;
}

static int free_scheme(void **state)
{
	(void)state;
	jx_scheme_free(scheme);
	return 0;
}

/* ---- documents ---- */

typedef struct run {
	jx_doc *doc;
	jx_diags *d;
} run;

#define HEAD "scheme: hunan-dept-overall\nyear: 2023\nunit: {name: 测试单位}\n"

/* Loads and evaluates a data file; fails the test if it does not load. */
static run eval_text(const char *text)
{
	run r;
	r.d = jx_diags_new(NULL);
	assert_non_null(r.d);
	r.doc = jx_doc_load_mem(scheme, "t.yaml", text, strlen(text), NULL, r.d);
	if (!r.doc) {
		const jx_diag *g = jx_diags_get(r.d, 0);
		fail_msg("data did not load: %u:%u %s %s\n%s", g ? g->line : 0, g ? g->column : 0,
		         g ? g->id : "?", g ? g->message : "?", text);
	}
	assert_int_equal(jx_doc_evaluate(r.doc, r.d), JX_OK);
	return r;
}

static void done(run *r)
{
	jx_doc_free(r->doc);
	jx_diags_free(r->d);
}

/* funds 100.00 / 100.00 and one indicator row whose fields (after level1,
 * level2 and name) are `fields`, a YAML flow-map body. */
static run eval_row(const char *fields)
{
	char buf[2048];
	snprintf(buf, sizeof buf,
	         HEAD
	         "self_eval:\n"
	         "  funds: {full_year: 100.00, spending: 100.00, weight: 10, stated_score: 10}\n"
	         "  indicators:\n"
	         "    - {level1: 产出, level2: 数量, name: 指标, %s}\n",
	         fields);
	return eval_text(buf);
}

/* The funds figures as given, with one full-marks 定性 row. */
static run eval_funds(const char *full_year, const char *spending)
{
	char buf[2048];
	snprintf(buf, sizeof buf,
	         HEAD "self_eval:\n"
	              "  funds: {full_year: %s, spending: %s, weight: 10}\n"
	              "  indicators:\n"
	              "    - {level1: 产出, level2: 数量, name: 指标, target: 完成, actual: 完成,"
	              " weight: 50, stated_score: 50}\n",
	         full_year, spending);
	return eval_text(buf);
}

/* A complete framework (funds 10, 产出 50, 效益 30, 满意度 10) of 定性
 * rows with the given stated scores ("" for blank), and the stated total
 * and grade ("" to leave out). */
static run eval_total(const char *out, const char *ben, const char *sat, const char *stated,
                      const char *grade)
{
	char buf[4096];
	snprintf(buf, sizeof buf,
	         HEAD "performance: {stated_score: %s, stated_grade: %s}\n"
	              "self_eval:\n"
	              "  funds: {initial: 100.00, full_year: 100.00, spending: 100.00, weight: 10,"
	              " stated_rate: \"100%%\", stated_score: 10}\n"
	              "  stated_total: %s\n"
	              "  indicators:\n"
	              "    - {level1: 产出, level2: 质量, name: 甲, target: 合格, actual: 合格,"
	              " weight: 50, stated_score: %s, deviation: 说明}\n"
	              "    - {level1: 效益, level2: 社会效益, name: 乙, target: 提高, actual: 提高,"
	              " weight: 30, stated_score: %s, deviation: 说明}\n"
	              "    - {level1: 满意度, level2: 服务对象满意度, name: 丙, target: 满意,"
	              " actual: 满意, weight: 10, stated_score: %s, deviation: 说明}\n",
	         stated, grade, stated, out, ben, sat);
	return eval_text(buf);
}

/* The displayed value at path, or "blank". */
static const char *show(const run *r, const char *path)
{
	static char out[8][256];
	static int k;
	char *buf = out[k++ % 8];
	jx_value v;
	if (!jx_doc_get(r->doc, path, &v))
		fail_msg("no such path: %s", path);
	if (v.type == JX_V_BLANK)
		return strcpy(buf, "blank");
	assert_true(jx_doc_format(r->doc, path, buf, 256) >= 0);
	return buf;
}

static int64_t raw(const run *r, const char *path)
{
	jx_value v;
	assert_true(jx_doc_get(r->doc, path, &v));
	assert_int_equal(v.type, JX_V_NUM);
	return v.num.raw;
}

/* How many findings of rule `id` (any severity). */
static int count(const run *r, const char *id)
{
	int n = 0;
	for (size_t i = 0; i < jx_diags_count(r->d); i++) {
		const jx_diag *g = jx_diags_get(r->d, i);
		n += g->id && !strcmp(g->id, id);
	}
	return n;
}

#define SCORE0 "self_eval.indicators[0].score"

/* Score of a single-row document. */
static const char *row_score(const char *fields)
{
	static char out[64];
	run r = eval_row(fields);
	snprintf(out, sizeof out, "%s", show(&r, SCORE0));
	done(&r);
	return out;
}

/* ---- ≥ ---- */

static void test_ge(void **state)
{
	(void)state;
	/* actual = target: full; above: full; below: weight × actual ÷ target. */
	assert_string_equal(row_score("target: \"100\", actual: \"100\", weight: 5"), "5.00");
	assert_string_equal(row_score("target: \"100\", actual: \"130\", weight: 5"), "5.00");
	assert_string_equal(row_score("target: \"3\", actual: \"2\", weight: 5"), "3.33");
	assert_string_equal(row_score("target: \"100\", actual: \"90\", weight: 5"), "4.50");
	assert_string_equal(row_score("target: \"100\", actual: \"0\", weight: 5"), "0.00");
	/* Half-up at the second decimal: 5 × 0.999 = 4.995 -> 5.00; 4.9945 -> 4.99. */
	assert_string_equal(row_score("target: \"1000\", actual: \"999\", weight: 5"), "5.00");
	assert_string_equal(row_score("target: \"10000\", actual: \"9989\", weight: 5"), "4.99");
	/* Explicit nature, units in the text. */
	assert_string_equal(
	        row_score("nature: \"≥\", target: \"5万余人\", actual: \"4.5万\", weight: 10"),
	        "9.00");

	run r = eval_row("target: \"3\", actual: \"2\", weight: 5, stated_score: 3.33");
	assert_int_equal(raw(&r, SCORE0), 3330000); /* rounded, not 3.333333 */
	assert_string_equal(show(&r, "self_eval.indicators[0].nature_eff"), "≥");
	assert_int_equal(count(&r, "I04"), 0);
	done(&r);

	r = eval_row("target: \"3\", actual: \"2\", weight: 5, stated_score: 3.34");
	assert_int_equal(count(&r, "I04"), 1);
	done(&r);
}

static void test_percent_target(void **state)
{
	(void)state;
	run r = eval_row("target: \"≥90%\", actual: \"95%\", weight: 10, stated_score: 10");
	assert_string_equal(show(&r, "self_eval.indicators[0].nature_eff"), "≥");
	assert_int_equal(raw(&r, "self_eval.indicators[0].target_value"), 900000);
	assert_int_equal(raw(&r, "self_eval.indicators[0].actual_value"), 950000);
	assert_string_equal(show(&r, SCORE0), "10.00");
	assert_int_equal(count(&r, "I04"), 0);
	assert_int_equal(count(&r, "I06"), 0);
	done(&r);

	assert_string_equal(row_score("target: \"≥90%\", actual: \"90%\", weight: 10"), "10.00");
	assert_string_equal(row_score("target: \"≥90%\", actual: \"81%\", weight: 10"), "9.00");
	/* 10 × 0.8999 ÷ 0.9 = 9.998889 -> 10.00 */
	assert_string_equal(row_score("target: \"≥90%\", actual: \"89.99%\", weight: 10"), "10.00");
	assert_string_equal(row_score("target: \"100%\", actual: \"99.94%\", weight: 10"), "9.99");

	/* I06: completion at 130 % of the target asks why; 129.99 % does not. */
	r = eval_row("target: \"≥90%\", actual: \"117%\", weight: 10, stated_score: 10");
	assert_int_equal(count(&r, "I06"), 1);
	done(&r);
	r = eval_row("target: \"≥90%\", actual: \"116.99%\", weight: 10, stated_score: 10");
	assert_int_equal(count(&r, "I06"), 0);
	done(&r);
}

/* ---- ≤ ---- */

static void test_le(void **state)
{
	(void)state;
	assert_string_equal(
	        row_score("nature: \"≤\", target: \"≤280万元\", actual: \"280万元\", weight: 5"),
	        "5.00");
	assert_string_equal(
	        row_score("nature: \"≤\", target: \"≤280万元\", actual: \"200万元\", weight: 5"),
	        "5.00");
	/* Above the target: weight × target ÷ actual. */
	assert_string_equal(
	        row_score("nature: \"≤\", target: \"≤280万元\", actual: \"350万元\", weight: 5"),
	        "4.00");
	assert_string_equal(
	        row_score("nature: \"≤\", target: \"≤280万元\", actual: \"281万元\", weight: 5"),
	        "4.98");
	/* The comparator read from the target when no nature is given. */
	run r = eval_row("target: \"≤3天\", actual: \"4天\", weight: 5");
	assert_string_equal(show(&r, "self_eval.indicators[0].nature_eff"), "≤");
	assert_string_equal(show(&r, SCORE0), "3.75");
	done(&r);
	assert_string_equal(row_score("target: \"3天以内\", actual: \"6天\", weight: 5"), "2.50");
}

/* ---- = ---- */

static void test_eq(void **state)
{
	(void)state;
	assert_string_equal(
	        row_score("nature: \"=\", target: \"100件\", actual: \"100件\", weight: 5"),
	        "5.00");
	/* min ÷ max on either side. */
	assert_string_equal(
	        row_score("nature: \"=\", target: \"100件\", actual: \"95件\", weight: 5"), "4.75");
	assert_string_equal(
	        row_score("nature: \"=\", target: \"100件\", actual: \"105件\", weight: 5"),
	        "4.76");
	assert_string_equal(row_score("nature: \"=\", target: \"1份\", actual: \"2份\", weight: 5"),
	                    "2.50");
}

/* ---- 定性 ---- */

static void test_qualitative(void **state)
{
	(void)state;
	/* The stated score, capped at the weight. */
	run r = eval_row("target: 合规, actual: 合规, weight: 10, stated_score: 8.5");
	assert_string_equal(show(&r, "self_eval.indicators[0].nature_eff"), "定性");
	assert_string_equal(show(&r, SCORE0), "8.50");
	done(&r);
	r = eval_row("target: 合规, actual: 合规, weight: 10, stated_score: 10.01");
	assert_string_equal(show(&r, SCORE0), "10.00");
	assert_int_equal(count(&r, "I02"), 1); /* above its weight */
	done(&r);
	/* A declared 定性 row with numbers stays 定性. */
	r = eval_row(
	        "nature: 定性, target: \"100%\", actual: \"50%\", weight: 10, stated_score: 9");
	assert_string_equal(show(&r, "self_eval.indicators[0].nature_eff"), "定性");
	assert_string_equal(show(&r, SCORE0), "9.00");
	done(&r);
}

/* Number of I05 findings for a 定性 row of weight w at level with score. */
static int i05(const char *level, const char *weight, const char *score)
{
	char fields[512];
	snprintf(fields, sizeof fields,
	         "target: 达标, actual: 达标, weight: %s, stated_score: %s, level: %s, "
	         "deviation: 说明",
	         weight, score, level);
	run r = eval_row(fields);
	int n = count(&r, "I05");
	done(&r);
	return n;
}

static void test_levels(void **state)
{
	(void)state;
	const char *full = "达成年度指标", *part = "部分达成年度指标并具有一定效果",
	           *none = "未达成年度指标且效果较差";
	/* 达成 [80 %, 100 %] */
	assert_int_equal(i05(full, "10", "8"), 0);
	assert_int_equal(i05(full, "10", "7.99"), 1);
	assert_int_equal(i05(full, "10", "10"), 0);
	assert_int_equal(i05(full, "5", "4"), 0);
	assert_int_equal(i05(full, "5", "3.99"), 1);
	/* 部分达成 [60 %, 80 %) */
	assert_int_equal(i05(part, "10", "6"), 0);
	assert_int_equal(i05(part, "10", "5.99"), 1);
	assert_int_equal(i05(part, "10", "7.99"), 0);
	assert_int_equal(i05(part, "10", "8"), 1);
	/* 未达成 [0, 60 %) */
	assert_int_equal(i05(none, "10", "0"), 0);
	assert_int_equal(i05(none, "10", "5.99"), 0);
	assert_int_equal(i05(none, "10", "6"), 1);
	assert_int_equal(i05(none, "3", "1.80"), 1); /* exactly 60 % of 3 */
	assert_int_equal(i05(none, "3", "1.79"), 0);
}

/* ---- 预算执行率 ---- */

static void funds_is(const char *full_year, const char *spending, const char *rate,
                     const char *score)
{
	run r = eval_funds(full_year, spending);
	assert_string_equal(show(&r, "rates.funds_exec"), rate);
	assert_string_equal(show(&r, "score.funds"), score);
	char buf[64];
	assert_true(jx_doc_format_result(r.doc, JX_RESULT_FUNDS_SCORE, buf, sizeof buf) >= 0);
	assert_string_equal(buf, score);
	done(&r);
}

static void test_funds(void **state)
{
	(void)state;
	funds_is("100.00", "100.00", "100.00%", "10.00");
	funds_is("100.00", "120.00", "120.00%", "10.00"); /* capped at 100 % */
	funds_is("100.00", "99.99", "99.99%", "10.00");   /* 9.999 -> 10.00 */
	funds_is("100.00", "99.95", "99.95%", "10.00");   /* 9.995 -> 10.00, half-up */
	funds_is("100.00", "99.94", "99.94%", "9.99");
	funds_is("100.00", "95.00", "95.00%", "9.50");
	funds_is("100.00", "0", "0.00%", "0.00");

	/* No rate (全年预算数 0): an error, and no funds score, not full marks. */
	run r = eval_funds("0", "100.00");
	assert_int_equal(count(&r, "B08"), 1);
	assert_string_equal(show(&r, "rates.funds_exec"), "blank");
	assert_string_equal(show(&r, "score.funds"), "blank");
	assert_string_equal(show(&r, "score.total"), "50.00");
	done(&r);
}

/* ---- totals and grades ---- */

static void total_is(const char *out, const char *ben, const char *sat, const char *total,
                     const char *grade)
{
	char buf[64];
	run r = eval_total(out, ben, sat, total, grade);
	assert_string_equal(show(&r, "score.total"), total);
	assert_string_equal(show(&r, "score.grade"), grade);
	assert_true(jx_doc_format_result(r.doc, JX_RESULT_TOTAL, buf, sizeof buf) >= 0);
	assert_string_equal(buf, total);
	assert_true(jx_doc_format_result(r.doc, JX_RESULT_GRADE, buf, sizeof buf) >= 0);
	assert_string_equal(buf, grade);
	/* Stated as computed: no finding of any kind. */
	if (jx_diags_count(r.d)) {
		const jx_diag *g = jx_diags_get(r.d, 0);
		fail_msg("total %s: unexpected %s: %s", total, g->id, g->message);
	}
	done(&r);
}

/* T02/T03 findings when the computed and stated total is `total` but the
 * stated grade is `grade`. */
static void grade_wrong(const char *out, const char *ben, const char *sat, const char *total,
                        const char *grade)
{
	run r = eval_total(out, ben, sat, total, grade);
	assert_int_equal(count(&r, "T01"), 0);
	assert_int_equal(count(&r, "T02"), 1);
	assert_int_equal(count(&r, "T03"), 1);
	assert_int_equal(jx_diags_count(r.d), 2);
	done(&r);
}

static void test_grades(void **state)
{
	(void)state;
	/* 10 (funds) + 产出 + 效益 + 满意度 */
	total_is("50", "30", "10", "100.00", "优秀");
	total_is("50", "30", "0", "90.00", "优秀");
	total_is("49.99", "30", "0", "89.99", "良好");
	total_is("40", "30", "0", "80.00", "良好");
	total_is("39.99", "30", "0", "79.99", "中");
	total_is("30", "20", "0", "60.00", "中");
	total_is("29.99", "20", "0", "59.99", "差");
	total_is("0", "0", "0", "10.00", "差");

	grade_wrong("50", "30", "10", "100.00", "良好");
	grade_wrong("50", "30", "0", "90.00", "良好");
	grade_wrong("49.99", "30", "0", "89.99", "优秀");
	grade_wrong("40", "30", "0", "80.00", "中");
	grade_wrong("39.99", "30", "0", "79.99", "良好");
	grade_wrong("30", "20", "0", "60.00", "差");
	grade_wrong("29.99", "20", "0", "59.99", "中");
}

/* The stated total differs from the computed one: T01 twice (text and
 * table); T02 follows the computed total, T03 the stated one. */
static void test_stated_total(void **state)
{
	(void)state;
	run r = eval_total("49.99", "30", "0", "90", "优秀"); /* computed 89.99 */
	assert_string_equal(show(&r, "score.total"), "89.99");
	assert_int_equal(count(&r, "T01"), 2);
	assert_int_equal(count(&r, "T02"), 1);
	assert_int_equal(count(&r, "T03"), 0);
	done(&r);
	r = eval_total("50", "30", "0", "89.99", "优秀"); /* computed 90.00 */
	assert_int_equal(count(&r, "T01"), 2);
	assert_int_equal(count(&r, "T02"), 0);
	assert_int_equal(count(&r, "T03"), 1);
	done(&r);
}

/* ---- blank is not zero ---- */

static void test_blank_score(void **state)
{
	(void)state;
	/* A blank stated score of a 定性 row: no score, the total leaves it out,
	 * I02 fires. */
	run r = eval_total("50", "30", "", "90", "优秀");
	jx_value v;
	assert_true(jx_doc_get(r.doc, "self_eval.indicators[2].score", &v));
	assert_int_equal(v.type, JX_V_BLANK);
	/* A category whose only score is blank has a blank subtotal. */
	assert_string_equal(show(&r, "score.satisfaction"), "blank");
	assert_string_equal(show(&r, "score.total"), "90.00");
	assert_int_equal(count(&r, "I02"), 1);
	assert_int_equal(jx_diags_count(r.d), 1);
	done(&r);

	/* A stated 0 is a score: 0.00, no I02 (and a reason is given). */
	r = eval_total("50", "30", "0", "90", "优秀");
	assert_true(jx_doc_get(r.doc, "self_eval.indicators[2].score", &v));
	assert_int_equal(v.type, JX_V_NUM);
	assert_int_equal(v.num.raw, 0);
	assert_int_equal(count(&r, "I02"), 0);
	assert_int_equal(jx_diags_count(r.d), 0);
	done(&r);

	/* A quantitative row with a blank stated score: I02, and its computed
	 * score still counts. */
	r = eval_row("target: \"100\", actual: \"90\", weight: 5");
	assert_string_equal(show(&r, SCORE0), "4.50");
	assert_int_equal(count(&r, "I02"), 1);
	assert_int_equal(count(&r, "I04"), 0); /* nothing stated to compare */
	done(&r);

	/* A blank actual: I02; without a number the row counts as 定性. */
	r = eval_row("target: \"100\", weight: 5, stated_score: 5");
	assert_string_equal(show(&r, "self_eval.indicators[0].nature_eff"), "定性");
	assert_string_equal(show(&r, "self_eval.indicators[0].actual_value"), "blank");
	assert_int_equal(count(&r, "I02"), 1);
	done(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_ge),           cmocka_unit_test(test_percent_target),
	        cmocka_unit_test(test_le),           cmocka_unit_test(test_eq),
	        cmocka_unit_test(test_qualitative),  cmocka_unit_test(test_levels),
	        cmocka_unit_test(test_funds),        cmocka_unit_test(test_grades),
	        cmocka_unit_test(test_stated_total), cmocka_unit_test(test_blank_score),
	};
	return cmocka_run_group_tests(tests, load_scheme, free_scheme);
}
