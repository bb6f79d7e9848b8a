/* The formula language: parse errors with positions, type checking
 * against a scheme, and evaluation with blanks, exact decimals and the
 * text functions.  Formulas are exercised through a small scheme whose
 * derived value t.x is the formula under test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jixiao/jixiao.h"

static const char scheme_head[] = "scheme: t\n"
                                  "fields:\n"
                                  "  a: {type: amount}\n"
                                  "  b: {type: amount}\n"
                                  "  c: {type: amount}\n"
                                  "  p: {type: percent}\n"
                                  "  name: {type: text}\n"
                                  "  notes: {type: paragraphs}\n"
                                  "  rows:\n"
                                  "    type: table\n"
                                  "    columns:\n"
                                  "      k: {type: text}\n"
                                  "      v: {type: amount}\n"
                                  "      w: {derived: v * 2}\n"
                                  "framework:\n"
                                  "  grades:\n"
                                  "    - {name: 优秀, min: 90, max: 100, max_inclusive: true}\n"
                                  "    - {name: 良好, min: 80, max: 90}\n"
                                  "    - {name: 中, min: 60, max: 80}\n"
                                  "    - {name: 差, min: 0, max: 60}\n"
                                  "  levels:\n"
                                  "    - {name: 达成, min: 80%, max: 100%, max_inclusive: true}\n"
                                  "    - {name: 部分, min: 60%, max: 80%}\n"
                                  "derived:\n"
                                  "  t.x: ";

static const char data_full[] = "scheme: t\n"
                                "a: 10.00\n"
                                "b: 3\n"
                                "c:\n"
                                "p: \"87.50%\"\n"
                                "name: 北塔\n"
                                "notes: [一, 二]\n"
                                "rows:\n"
                                "  - {k: 甲, v: 1.5}\n"
                                "  - {k: 乙, v: 2.25}\n"
                                "  - {k: 甲, v: }\n";

static jx_scheme *scheme_with(const char *formula, jx_diags *d)
{
	char buf[4096];
	snprintf(buf, sizeof buf, "%s'%s'\n", scheme_head, formula);
	return jx_scheme_load_mem("t.yaml", buf, strlen(buf), NULL, d);
}

/* Evaluates formula over data_full; returns the displayed value of t.x. */
static const char *eval(const char *formula)
{
	static char out[256];
	jx_diags *d = jx_diags_new(NULL);
	jx_scheme *s = scheme_with(formula, d);
	if (!s) {
		const jx_diag *g = jx_diags_get(d, 0);
		fail_msg("scheme did not load: %s", g ? g->message : "?");
	}
	jx_doc *doc = jx_doc_load_mem(s, "d.yaml", data_full, strlen(data_full), NULL, d);
	assert_non_null(doc);
	assert_int_equal(jx_doc_evaluate(doc, d), JX_OK);
	jx_value v;
	assert_true(jx_doc_get(doc, "t.x", &v));
	if (v.type == JX_V_BLANK)
		snprintf(out, sizeof out, "blank");
	else if (v.type == JX_V_BOOL)
		snprintf(out, sizeof out, "%s", v.b ? "true" : "false");
	else if (v.type == JX_V_TEXT)
		snprintf(out, sizeof out, "'%s'", v.s);
	else
		jx_dec_format(v.num, JX_DEC_SHORTEST, out, sizeof out);
	jx_doc_free(doc);
	jx_scheme_free(s);
	jx_diags_free(d);
	return out;
}

/* Loads a scheme with formula and returns "line:col id message" of the
 * first diagnostic (or "ok"). */
static const char *scheme_error(const char *formula)
{
	static char out[512];
	jx_diags *d = jx_diags_new(NULL);
	jx_scheme *s = scheme_with(formula, d);
	if (s) {
		snprintf(out, sizeof out, "ok");
	} else {
		const jx_diag *g = jx_diags_get(d, 0);
		snprintf(out, sizeof out, "%u:%u %s %s", g->line, g->column, g->id, g->message);
	}
	jx_scheme_free(s);
	jx_diags_free(d);
	return out;
}

static void assert_prefix(const char *got, const char *want)
{
	if (strncmp(got, want, strlen(want)))
		fail_msg("got \"%s\", want prefix \"%s\"", got, want);
}

static void test_arithmetic(void **state)
{
	(void)state;
	assert_string_equal(eval("a + b * 2"), "16");
	assert_string_equal(eval("(a + b) * 2"), "26");
	assert_string_equal(eval("a / b"), "3.333333");
	assert_string_equal(eval("-a + 1"), "-9");
	assert_string_equal(eval("a * p"), "8.75");
	assert_string_equal(eval("100% - p"), "0.125");
	assert_string_equal(eval("round(2 / 3, 2)"), "0.67");
	assert_string_equal(eval("round(0.125, 2)"), "0.13");
	assert_string_equal(eval("round(-0.125, 2)"), "-0.13");
	assert_string_equal(eval("abs(b - a)"), "7");
	assert_string_equal(eval("min(a, b, 5)"), "3");
	assert_string_equal(eval("max(a, b, 5)"), "10");
}

static void test_blank(void **state)
{
	(void)state;
	/* c is blank: blank is not zero, and it propagates. */
	assert_string_equal(eval("a + c"), "blank");
	assert_string_equal(eval("c * 0"), "blank");
	assert_string_equal(eval("c = 0"), "blank");
	assert_string_equal(eval("sum(a, c, b)"), "13");
	assert_string_equal(eval("sum(c, c)"), "blank");
	assert_string_equal(eval("max(c, b)"), "3");
	assert_string_equal(eval("blank(c)"), "true");
	assert_string_equal(eval("present(c)"), "false");
	assert_string_equal(eval("present(a)"), "true");
	assert_string_equal(eval("if(c > 1, 1, 2)"), "blank");
	assert_string_equal(eval("a / (b - b)"), "blank");
	assert_string_equal(eval("a / (b - 3)"), "blank");
}

static void test_logic(void **state)
{
	(void)state;
	assert_string_equal(eval("a > b and b > 1"), "true");
	assert_string_equal(eval("a > b and c > 1"), "blank");
	assert_string_equal(eval("a < b and c > 1"), "false");
	assert_string_equal(eval("a > b or c > 1"), "true");
	assert_string_equal(eval("not a > b"), "false");
	assert_string_equal(eval("a <> b"), "true");
	assert_string_equal(eval("a >= 10 and a <= 10"), "true");
	assert_string_equal(eval("name = \"北塔\""), "true");
	assert_string_equal(eval("if(a > b, \"大\", \"小\")"), "'大'");
	assert_string_equal(eval("approx(a, 10.004, 0.005)"), "true");
	assert_string_equal(eval("approx(a, 10.006, 0.005)"), "false");
}

static void test_aggregates(void **state)
{
	(void)state;
	assert_string_equal(eval("sum(rows.v)"), "3.75");
	assert_string_equal(eval("sum(rows.v where k = \"甲\")"), "1.5");
	assert_string_equal(eval("sum(rows.v where k = \"丙\")"), "0");
	assert_string_equal(eval("count(rows)"), "3");
	assert_string_equal(eval("count(rows where present(v))"), "2");
	assert_string_equal(eval("sum(rows.w)"), "7.5");
	assert_string_equal(eval("max(rows.v)"), "2.25");
	assert_string_equal(eval("all(rows, v > 1)"), "true");
	assert_string_equal(eval("any(rows, v > 2)"), "true");
	assert_string_equal(eval("any(rows, v > 3)"), "false");
	assert_string_equal(eval("count(notes)"), "2");
}

static void test_text_functions(void **state)
{
	(void)state;
	assert_string_equal(eval("num(\"5万余人\")"), "50000");
	assert_string_equal(eval("num(\"≥5万\")"), "50000");
	assert_string_equal(eval("num(\"100%入驻\")"), "1");
	assert_string_equal(eval("num(\"11.79万件\")"), "117900");
	assert_string_equal(eval("num(\"三区第一\")"), "blank");
	assert_string_equal(eval("num(\"≥９５％\")"), "0.95");
	assert_string_equal(eval("sign(\"≥90%\")"), "'≥'");
	assert_string_equal(eval("sign(\"<=3天\")"), "'≤'");
	assert_string_equal(eval("sign(\"不低于95%\")"), "'≥'");
	assert_string_equal(eval("sign(\"3天以内\")"), "'≤'");
	assert_string_equal(eval("sign(\"合规\")"), "blank");
	assert_string_equal(eval("grade(90)"), "'优秀'");
	assert_string_equal(eval("grade(89.99)"), "'良好'");
	assert_string_equal(eval("grade(100)"), "'优秀'");
	assert_string_equal(eval("grade(100.01)"), "blank");
	assert_string_equal(eval("grade(60)"), "'中'");
	assert_string_equal(eval("grade(59.99)"), "'差'");
	assert_string_equal(eval("level_ok(\"达成\", 80%)"), "true");
	assert_string_equal(eval("level_ok(\"达成\", 100%)"), "true");
	assert_string_equal(eval("level_ok(\"部分\", 80%)"), "false");
	assert_string_equal(eval("level_ok(\"部分\", 60%)"), "true");
	assert_string_equal(eval("level_ok(\"未知\", 60%)"), "blank");
}

static void test_parse_errors(void **state)
{
	(void)state;
	/* The formula starts at line 26, column 9 (after the quote). */
	assert_prefix(scheme_error("a +"), "25:12 F01 公式语法错误：公式不完整");
	assert_prefix(scheme_error("(a + b"), "25:15 F01 公式语法错误：缺少“)”");
	assert_prefix(scheme_error("a b"), "25:11 F01 公式语法错误：多余的内容：b");
	assert_prefix(scheme_error("foo(a)"), "25:9 F01 公式语法错误：未知函数：foo");
	assert_prefix(scheme_error("a # b"), "25:11 F01 公式语法错误：无法识别的符号：#");
	assert_prefix(scheme_error("a + ＋"), "25:13 F01 公式语法错误：无法识别的符号：＋");
	assert_prefix(scheme_error("\"abc"), "25:9 F01 公式语法错误：文本缺少结束引号");
	assert_prefix(scheme_error("1.2.3"), "25:9 F01 公式语法错误：数字写法不对：1.2.3");
	assert_prefix(scheme_error(""), "25:9 F01 公式语法错误：公式为空");
}

static void test_deep_nesting(void **state)
{
	(void)state;
	char f[400];
	memset(f, '(', 200);
	strcpy(f + 200, "1");
	assert_prefix(scheme_error(f), "25:");
	assert_non_null(strstr(scheme_error(f), "嵌套过深"));
	memset(f, '-', 200);
	strcpy(f + 200, "1");
	assert_non_null(strstr(scheme_error(f), "嵌套过深"));
}

static void test_type_errors(void **state)
{
	(void)state;
	assert_prefix(scheme_error("aa + 1"), "25:9 F02 未知字段“aa”");
	assert_non_null(strstr(scheme_error("nmae"), "是否想写“name”"));
	assert_prefix(scheme_error("name + 1"), "25:9 F04 类型错误：算术的左边应为数值");
	assert_prefix(scheme_error("a / 0"), "25:13 F05 除数为常数 0");
	assert_prefix(scheme_error("rows.v + 1"), "25:9 F03");
	assert_prefix(scheme_error("if(a, 1, 2)"), "25:12 F04");
	assert_prefix(scheme_error("if(a > 1, 1, \"x\")"), "25:9 F04");
	assert_prefix(scheme_error("sum(a where a > 1)"), "25:9 F04");
	assert_prefix(scheme_error("round(a, b)"), "25:18 F04");
	assert_prefix(scheme_error("rows"), "25:9 F04");
	assert_prefix(scheme_error("notes + 1"), "25:9 F04");
	assert_prefix(scheme_error("a = name"), "25:11 F04");
	assert_string_equal(scheme_error("sum(rows.v where k = name)"), "ok");
}

static void test_cycle(void **state)
{
	(void)state;
	static const char cyc[] = "scheme: t\n"
	                          "fields:\n"
	                          "  a: {type: amount}\n"
	                          "derived:\n"
	                          "  x.a: x.b + 1\n"
	                          "  x.b: x.c * 2\n"
	                          "  x.c: x.a\n";
	jx_diags *d = jx_diags_new(NULL);
	jx_scheme *s = jx_scheme_load_mem("c.yaml", cyc, strlen(cyc), NULL, d);
	assert_null(s);
	const jx_diag *g = jx_diags_get(d, 0);
	assert_string_equal(g->id, "F06");
	assert_non_null(strstr(g->message, "循环引用"));
	assert_int_equal(g->line, 7);
	jx_diags_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_arithmetic),     cmocka_unit_test(test_blank),
	        cmocka_unit_test(test_logic),          cmocka_unit_test(test_aggregates),
	        cmocka_unit_test(test_text_functions), cmocka_unit_test(test_parse_errors),
	        cmocka_unit_test(test_deep_nesting),   cmocka_unit_test(test_type_errors),
	        cmocka_unit_test(test_cycle),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
