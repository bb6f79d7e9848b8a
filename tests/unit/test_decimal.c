/* Unit tests for src/core/decimal.c: every expectation is an exact raw
 * value or an exact string, so any rounding or range slip fails. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "jixiao/decimal.h"

static jx_dec raw(int64_t r)
{
	jx_dec d = {r};
	return d;
}

/* Sentinel proving outputs are left alone on failure. */
#define UNTOUCHED 0x5A5A5A5A

static void parse_ok(const char *s, unsigned flags, int64_t want, int want_frac, bool want_pct)
{
	jx_dec d = raw(UNTOUCHED);
	int frac = -1;
	bool pct = !want_pct;

	assert_int_equal(jx_dec_parse(s, strlen(s), flags, &d, &frac, &pct), JX_DEC_OK);
	assert_int_equal(d.raw, want);
	assert_int_equal(frac, want_frac);
	assert_int_equal(pct, want_pct);
}

static void parse_err(const char *s, unsigned flags, jx_dec_status want)
{
	jx_dec d = raw(UNTOUCHED);
	int frac = -7;
	bool pct = true;

	assert_int_equal(jx_dec_parse(s, strlen(s), flags, &d, &frac, &pct), want);
	assert_int_equal(d.raw, UNTOUCHED);
	assert_int_equal(frac, -7);
	assert_true(pct);
}

static void fmt_is(jx_dec a, int digits, const char *want)
{
	char buf[JX_DEC_BUFSZ];
	int n = jx_dec_format(a, digits, buf, sizeof buf);

	assert_string_equal(buf, want);
	assert_int_equal(n, strlen(want));
}

static void pct_is(jx_dec a, int digits, const char *want)
{
	char buf[JX_DEC_BUFSZ];
	int n = jx_dec_format_percent(a, digits, buf, sizeof buf);

	assert_string_equal(buf, want);
	assert_int_equal(n, strlen(want));
}

static void test_parse_plain(void **state)
{
	(void)state;
	parse_ok("484.14", 0, 484140000, 2, false);
	parse_ok("0.68", 0, 680000, 2, false);
	parse_ok("0", 0, 0, 0, false);
	parse_ok("-5", 0, -5000000, 0, false);
	parse_ok("+5", 0, 5000000, 0, false);
	parse_ok("-0", 0, 0, 0, false);
	parse_ok("007", 0, 7000000, 0, false);
	parse_ok("12.345", 0, 12345000, 3, false);
	parse_ok("88.00", 0, 88000000, 2, false);
	parse_ok(" \t12.5\t ", 0, 12500000, 1, false);
	parse_ok("1.123456", 0, 1123456, 6, false);
	/* Plain numbers stay valid when percent is merely allowed. */
	parse_ok("0.68", JX_DEC_ALLOW_PERCENT, 680000, 2, false);
}

static void test_parse_percent(void **state)
{
	(void)state;
	parse_ok("87.50%", JX_DEC_ALLOW_PERCENT, 875000, 2, true);
	parse_ok("100%", JX_DEC_ALLOW_PERCENT, 1000000, 0, true);
	parse_ok("-0.5%", JX_DEC_ALLOW_PERCENT, -5000, 1, true);
	parse_ok("12.3456%", JX_DEC_ALLOW_PERCENT, 123456, 4, true);
	parse_ok("12.345600%", JX_DEC_ALLOW_PERCENT, 123456, 6, true);
	parse_ok(" 87.5% ", JX_DEC_REQUIRE_PERCENT, 875000, 1, true);
	parse_err("12.3456789%", JX_DEC_ALLOW_PERCENT, JX_DEC_TOO_PRECISE);
	parse_err("12.34567%", JX_DEC_ALLOW_PERCENT, JX_DEC_TOO_PRECISE);
	parse_err("12.345601%", JX_DEC_ALLOW_PERCENT, JX_DEC_TOO_PRECISE);
	parse_err("87.50%", 0, JX_DEC_SYNTAX);
	parse_err("87.5", JX_DEC_REQUIRE_PERCENT, JX_DEC_SYNTAX);
	parse_err("%", JX_DEC_ALLOW_PERCENT, JX_DEC_SYNTAX);
	parse_err("5%%", JX_DEC_ALLOW_PERCENT, JX_DEC_SYNTAX);
	parse_err("5 %", JX_DEC_ALLOW_PERCENT, JX_DEC_SYNTAX);
	parse_err("%5", JX_DEC_ALLOW_PERCENT, JX_DEC_SYNTAX);
}

static void test_parse_empty(void **state)
{
	(void)state;
	parse_err("", 0, JX_DEC_EMPTY);
	parse_err("   ", 0, JX_DEC_EMPTY);
	parse_err(" \t ", JX_DEC_REQUIRE_PERCENT, JX_DEC_EMPTY);
	assert_int_equal(jx_dec_parse(NULL, 0, 0, NULL, NULL, NULL), JX_DEC_EMPTY);
}

static void test_parse_fullwidth(void **state)
{
	(void)state;
	parse_err("48４.14", 0, JX_DEC_FULLWIDTH);
	parse_err("１２", 0, JX_DEC_FULLWIDTH);
	parse_err("０", 0, JX_DEC_FULLWIDTH);
	parse_err("９", 0, JX_DEC_FULLWIDTH);
	parse_err("12．5", 0, JX_DEC_FULLWIDTH);
	parse_err("1，234", JX_DEC_ALLOW_GROUPING, JX_DEC_FULLWIDTH);
	parse_err("－5", 0, JX_DEC_FULLWIDTH);
	parse_err("＋5", 0, JX_DEC_FULLWIDTH);
	parse_err("87.5％", JX_DEC_ALLOW_PERCENT, JX_DEC_FULLWIDTH);
	parse_err("12。5", 0, JX_DEC_FULLWIDTH);
	parse_err("12\xE3\x80\x80", 0, JX_DEC_FULLWIDTH); /* ideographic space */
	/* Other non-ASCII text is just not a number. */
	parse_err("5万", 0, JX_DEC_SYNTAX);
}

static void test_parse_grouping(void **state)
{
	(void)state;
	const unsigned g = JX_DEC_ALLOW_GROUPING;

	parse_ok("1,234.56", g, 1234560000, 2, false);
	parse_ok("1,234,567.89", g, 1234567890000, 2, false);
	parse_ok("-123,456", g, -123456000000, 0, false);
	parse_ok("1234.5", g, 1234500000, 1, false);
	parse_ok("1,234.56%", g | JX_DEC_ALLOW_PERCENT, 12345600, 2, true);
	parse_err("1,234.56", 0, JX_DEC_BAD_GROUPING);
	parse_err("1,2.3", g, JX_DEC_BAD_GROUPING);
	parse_err("12,34", g, JX_DEC_BAD_GROUPING);
	parse_err(",123", g, JX_DEC_BAD_GROUPING);
	parse_err("1234,567", g, JX_DEC_BAD_GROUPING);
	parse_err("1,234,", g, JX_DEC_BAD_GROUPING);
	parse_err("1,,234", g, JX_DEC_BAD_GROUPING);
	parse_err("1,2345", g, JX_DEC_BAD_GROUPING);
	parse_err("1.234,5", g, JX_DEC_BAD_GROUPING);
	parse_err("1,2.3", 0, JX_DEC_BAD_GROUPING);
}

static void test_parse_precision_and_overflow(void **state)
{
	(void)state;
	parse_err("1.1234567", 0, JX_DEC_TOO_PRECISE);
	parse_err("1.1234560", 0, JX_DEC_TOO_PRECISE);
	parse_ok("9223372036854", 0, 9223372036854000000, 0, false);
	parse_err("9223372036855", 0, JX_DEC_OVERFLOW);
	parse_ok("9223372036854.775807", 0, INT64_MAX, 6, false);
	parse_err("9223372036854.775808", 0, JX_DEC_OVERFLOW);
	parse_ok("-9223372036854.775808", 0, INT64_MIN, 6, false);
	parse_err("-9223372036854.775809", 0, JX_DEC_OVERFLOW);
	/* Exceeds int64 before the division by 100, fits after it. */
	parse_ok("922337203685477.5807%", JX_DEC_ALLOW_PERCENT, INT64_MAX, 4, true);
	parse_err("922337203685477.5808%", JX_DEC_ALLOW_PERCENT, JX_DEC_OVERFLOW);
	parse_err("99999999999999999999999999999999999999999999999", 0, JX_DEC_OVERFLOW);
	parse_ok("0000000000000000000000000000000000000000000000001", 0, 1000000, 0, false);
}

static void test_parse_syntax(void **state)
{
	(void)state;
	static const char *const bad[] = {"abc", "1.2.3", ".5",  "5.",    "-",    "+",   "+-5",
	                                  "--5", "1 2",   "- 5", "1e5",   "0x10", "5-",  "-.5",
	                                  ".",   "nan",   "inf", "1_000", "5元",  "12\n"};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		parse_err(bad[i], JX_DEC_ALLOW_GROUPING | JX_DEC_ALLOW_PERCENT, JX_DEC_SYNTAX);
}

static void test_parse_len_and_null_outputs(void **state)
{
	(void)state;
	jx_dec d = raw(0);

	/* Only s[0..len) counts: no NUL terminator required. */
	assert_int_equal(jx_dec_parse("12345", 2, 0, &d, NULL, NULL), JX_DEC_OK);
	assert_int_equal(d.raw, 12000000);
	assert_int_equal(jx_dec_parse("7.5", 3, 0, NULL, NULL, NULL), JX_DEC_OK);
	/* An embedded NUL is not silently accepted as the end. */
	assert_int_equal(jx_dec_parse("1\0002", 3, 0, &d, NULL, NULL), JX_DEC_SYNTAX);
}

static void test_add_sub(void **state)
{
	(void)state;
	jx_dec r = raw(UNTOUCHED);

	assert_true(jx_dec_add(raw(100000), raw(200000), &r));
	assert_int_equal(r.raw, 300000);
	assert_true(jx_dec_add(raw(INT64_MAX), raw(0), &r));
	assert_int_equal(r.raw, INT64_MAX);
	assert_true(jx_dec_add(raw(INT64_MAX), raw(INT64_MIN), &r));
	assert_int_equal(r.raw, -1);

	r = raw(UNTOUCHED);
	assert_false(jx_dec_add(raw(INT64_MAX), raw(1), &r));
	assert_false(jx_dec_add(raw(INT64_MIN), raw(-1), &r));
	assert_false(jx_dec_add(raw(INT64_MIN), raw(INT64_MIN), &r));
	assert_false(jx_dec_sub(raw(INT64_MIN), raw(1), &r));
	assert_false(jx_dec_sub(raw(0), raw(INT64_MIN), &r));
	assert_false(jx_dec_sub(raw(INT64_MAX), raw(-1), &r));
	assert_int_equal(r.raw, UNTOUCHED);

	assert_true(jx_dec_sub(raw(-1), raw(INT64_MIN), &r));
	assert_int_equal(r.raw, INT64_MAX);
	assert_true(jx_dec_sub(raw(5000000), raw(7500000), &r));
	assert_int_equal(r.raw, -2500000);
}

static void mul_is(int64_t a, int64_t b, int64_t want)
{
	jx_dec r = raw(UNTOUCHED);

	assert_true(jx_dec_mul(raw(a), raw(b), &r));
	assert_int_equal(r.raw, want);
}

static void test_mul(void **state)
{
	(void)state;
	jx_dec r = raw(UNTOUCHED);

	mul_is(484140000, 680000, 329215200); /* 484.14 * 0.68 */
	mul_is(1500000, -2000000, -3000000);
	/* Exact halves of the last digit round away from zero, both signs. */
	mul_is(1, 500000, 1);
	mul_is(-1, 500000, -1);
	mul_is(1, -500000, -1);
	mul_is(-1, -500000, 1);
	mul_is(3, 500000, 2);
	mul_is(-3, 500000, -2);
	mul_is(1, 499999, 0);
	mul_is(-1, 499999, 0);
	mul_is(INT64_MAX, 1000000, INT64_MAX);
	mul_is(INT64_MIN, 1000000, INT64_MIN);

	assert_false(jx_dec_mul(raw(INT64_MAX), raw(2000000), &r));
	assert_false(jx_dec_mul(raw(INT64_MIN), raw(-1000000), &r));
	assert_false(jx_dec_mul(raw(INT64_MAX), raw(INT64_MAX), &r));
	assert_int_equal(r.raw, UNTOUCHED);
}

static void div_is(int64_t a, int64_t b, int64_t want)
{
	jx_dec r = raw(UNTOUCHED);

	assert_true(jx_dec_div(raw(a), raw(b), &r));
	assert_int_equal(r.raw, want);
}

static void test_div(void **state)
{
	(void)state;
	jx_dec r = raw(UNTOUCHED);

	div_is(112270000, 164500000, 682492);  /* 112.27 / 164.50 */
	div_is(271150000, 9500000, 28542105);  /* 271.15 / 9.50 */
	div_is(275140000, 168020000, 1637543); /* 275.14 / 168.02 */
	div_is(7000000, 8000000, 875000);
	div_is(1000000, 3000000, 333333);
	div_is(2000000, 3000000, 666667);
	div_is(-2000000, 3000000, -666667);
	div_is(2000000, -3000000, -666667);
	div_is(-2000000, -3000000, 666667);
	div_is(1, 2000000, 1); /* 0.0000005 -> 0.000001 */
	div_is(-1, 2000000, -1);
	div_is(1, -2000000, -1);
	div_is(INT64_MIN, 1000000, INT64_MIN);

	assert_false(jx_dec_div(raw(1000000), raw(0), &r));
	assert_false(jx_dec_div(raw(0), raw(0), &r));
	assert_false(jx_dec_div(raw(INT64_MIN), raw(-1000000), &r));
	assert_false(jx_dec_div(raw(INT64_MAX), raw(500000), &r));
	assert_int_equal(r.raw, UNTOUCHED);
}

static void test_round(void **state)
{
	(void)state;
	static const int64_t up[] = {1000000, 1200000, 1230000, 1235000, 1234600, 1234570, 1234567};

	for (int d = 0; d <= 6; d++) {
		assert_int_equal(jx_dec_round(raw(1234567), d).raw, up[d]);
		assert_int_equal(jx_dec_round(raw(-1234567), d).raw, -up[d]);
	}
	assert_int_equal(jx_dec_round(raw(5000), 2).raw, 10000);   /* 0.005 */
	assert_int_equal(jx_dec_round(raw(-5000), 2).raw, -10000); /* -0.005 */
	assert_int_equal(jx_dec_round(raw(4999), 2).raw, 0);
	assert_int_equal(jx_dec_round(raw(-4000), 2).raw, 0);
	assert_int_equal(jx_dec_round(raw(2500000), 0).raw, 3000000);
	assert_int_equal(jx_dec_round(raw(-2500000), 0).raw, -3000000);
	assert_int_equal(jx_dec_round(raw(5), 5).raw, 10);
	assert_int_equal(jx_dec_round(raw(-5), 5).raw, -10);
	assert_int_equal(jx_dec_round(raw(-4), 5).raw, 0);
	assert_int_equal(jx_dec_round(raw(999999500000), 0).raw, 1000000000000);
	/* No error channel: near the limits it rounds toward zero instead. */
	assert_int_equal(jx_dec_round(raw(INT64_MAX), 2).raw, 9223372036854770000);
	assert_int_equal(jx_dec_round(raw(INT64_MIN), 0).raw, -9223372036854000000);
	assert_int_equal(jx_dec_round(raw(INT64_MAX), 6).raw, INT64_MAX);
	/* Out-of-range digit counts leave the value alone. */
	assert_int_equal(jx_dec_round(raw(1234567), 7).raw, 1234567);
	assert_int_equal(jx_dec_round(raw(1234567), JX_DEC_SHORTEST).raw, 1234567);
}

static void test_cmp_abs_neg_integer(void **state)
{
	(void)state;
	assert_int_equal(jx_dec_cmp(raw(1), raw(2)), -1);
	assert_int_equal(jx_dec_cmp(raw(2), raw(1)), 1);
	assert_int_equal(jx_dec_cmp(raw(-3), raw(-3)), 0);
	assert_int_equal(jx_dec_cmp(raw(INT64_MIN), raw(INT64_MAX)), -1);
	assert_int_equal(jx_dec_abs(raw(-5)).raw, 5);
	assert_int_equal(jx_dec_abs(raw(5)).raw, 5);
	assert_int_equal(jx_dec_abs(raw(INT64_MIN)).raw, INT64_MAX);
	assert_int_equal(jx_dec_neg(raw(5)).raw, -5);
	assert_int_equal(jx_dec_neg(raw(INT64_MAX)).raw, -INT64_MAX);
	assert_int_equal(jx_dec_neg(raw(INT64_MIN)).raw, INT64_MAX);
	assert_true(jx_dec_is_integer(jx_dec_from_int(88)));
	assert_true(jx_dec_is_integer(jx_dec_from_int(-3)));
	assert_true(jx_dec_is_integer(jx_dec_zero()));
	assert_false(jx_dec_is_integer(raw(88500000)));
	assert_false(jx_dec_is_integer(raw(-1)));
}

static void test_format_digits(void **state)
{
	(void)state;
	fmt_is(jx_dec_from_int(88), 2, "88.00");
	fmt_is(raw(-4000), 2, "0.00");
	fmt_is(raw(-5000), 2, "-0.01");
	fmt_is(raw(5000), 2, "0.01");
	fmt_is(raw(1234500), 0, "1");
	fmt_is(raw(500000), 0, "1");
	fmt_is(raw(-500000), 0, "-1");
	fmt_is(raw(-499999), 0, "0");
	fmt_is(raw(1234567), 6, "1.234567");
	fmt_is(raw(1234567), 9, "1.234567");
	fmt_is(raw(1234567), 3, "1.235");
	fmt_is(raw(0), 0, "0");
	fmt_is(raw(-1500000), 3, "-1.500");
	fmt_is(raw(9995000), 2, "10.00");
	fmt_is(raw(484140000), 2, "484.14");
}

static void test_format_shortest(void **state)
{
	(void)state;
	fmt_is(raw(-10000), JX_DEC_SHORTEST, "-0.01");
	fmt_is(jx_dec_from_int(88), JX_DEC_SHORTEST, "88");
	fmt_is(raw(875000), JX_DEC_SHORTEST, "0.875");
	fmt_is(raw(0), JX_DEC_SHORTEST, "0");
	fmt_is(raw(-1), JX_DEC_SHORTEST, "-0.000001");
	fmt_is(raw(100100000), JX_DEC_SHORTEST, "100.1");
	fmt_is(raw(-100000000), JX_DEC_SHORTEST, "-100");
}

static void test_format_percent(void **state)
{
	(void)state;
	pct_is(raw(682492), 2, "68.25%");
	pct_is(raw(28542105), 2, "2854.21%");
	pct_is(raw(1637543), 2, "163.75%");
	pct_is(raw(875000), 2, "87.50%");
	pct_is(raw(1000000), JX_DEC_SHORTEST, "100%");
	pct_is(raw(123456), JX_DEC_SHORTEST, "12.3456%");
	pct_is(raw(125000), 0, "13%");
	pct_is(raw(-125000), 0, "-13%");
	pct_is(raw(-40), 2, "0.00%");
	pct_is(raw(-50), 2, "-0.01%");
}

static void test_format_extremes(void **state)
{
	(void)state;
	fmt_is(raw(INT64_MAX), JX_DEC_SHORTEST, "9223372036854.775807");
	fmt_is(raw(INT64_MIN), JX_DEC_SHORTEST, "-9223372036854.775808");
	fmt_is(raw(INT64_MAX), 2, "9223372036854.78");
	fmt_is(raw(INT64_MIN), 0, "-9223372036855");
	fmt_is(raw(INT64_MIN), 6, "-9223372036854.775808");
	pct_is(raw(INT64_MIN), JX_DEC_SHORTEST, "-922337203685477.5808%");
	pct_is(raw(INT64_MIN), 6, "-922337203685477.580800%");
	pct_is(raw(INT64_MAX), 0, "922337203685478%");
}

static void test_format_truncation(void **state)
{
	(void)state;
	char buf[8];

	memset(buf, 'x', sizeof buf);
	assert_int_equal(jx_dec_format(raw(1234500000), 2, buf, 4), 7);
	assert_string_equal(buf, "123");
	assert_int_equal(buf[4], 'x');

	memset(buf, 'x', sizeof buf);
	assert_int_equal(jx_dec_format_percent(raw(875000), 2, buf, 1), 6);
	assert_int_equal(buf[0], '\0');
	assert_int_equal(buf[1], 'x');

	memset(buf, 'x', sizeof buf);
	assert_int_equal(jx_dec_format(raw(1234500000), 2, buf, 0), 7);
	assert_int_equal(buf[0], 'x');
	assert_int_equal(jx_dec_format(raw(-10000), JX_DEC_SHORTEST, NULL, 0), 5);

	/* Exactly fitting: 7 characters plus NUL. */
	assert_int_equal(jx_dec_format(raw(1234500000), 2, buf, sizeof buf), 7);
	assert_string_equal(buf, "1234.50");
}

/* Shortest output must parse back to the same value. */
static void test_round_trip(void **state)
{
	(void)state;
	static const int64_t vals[] = {
	        0,      1,       -1,        10,        484140000,         -682492,
	        999999, 1000000, INT64_MAX, INT64_MIN, 123456789012345678};

	for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
		char buf[JX_DEC_BUFSZ];
		jx_dec back = raw(UNTOUCHED);
		int n = jx_dec_format(raw(vals[i]), JX_DEC_SHORTEST, buf, sizeof buf);

		assert_true(n > 0 && (size_t)n < sizeof buf);
		assert_int_equal(jx_dec_parse(buf, (size_t)n, 0, &back, NULL, NULL), JX_DEC_OK);
		assert_int_equal(back.raw, vals[i]);
	}
}

static void test_strerror(void **state)
{
	(void)state;
	assert_string_equal(jx_dec_strerror(JX_DEC_OK), "成功");
	assert_string_equal(jx_dec_strerror(JX_DEC_EMPTY), "空值");
	assert_string_equal(jx_dec_strerror(JX_DEC_FULLWIDTH), "含全角数字或符号，请改用半角");
	assert_string_equal(jx_dec_strerror(JX_DEC_BAD_GROUPING), "千分位逗号位置不对");
	assert_string_equal(jx_dec_strerror(JX_DEC_TOO_PRECISE), "小数位数过多");
	assert_string_equal(jx_dec_strerror(JX_DEC_OVERFLOW), "数值超出范围");
	assert_string_equal(jx_dec_strerror(JX_DEC_SYNTAX), "不是数字");
	assert_string_equal(jx_dec_strerror(JX_DEC_DIV_ZERO), "除数为零");
	assert_non_null(jx_dec_strerror((jx_dec_status)99));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_parse_plain),
	        cmocka_unit_test(test_parse_percent),
	        cmocka_unit_test(test_parse_empty),
	        cmocka_unit_test(test_parse_fullwidth),
	        cmocka_unit_test(test_parse_grouping),
	        cmocka_unit_test(test_parse_precision_and_overflow),
	        cmocka_unit_test(test_parse_syntax),
	        cmocka_unit_test(test_parse_len_and_null_outputs),
	        cmocka_unit_test(test_add_sub),
	        cmocka_unit_test(test_mul),
	        cmocka_unit_test(test_div),
	        cmocka_unit_test(test_round),
	        cmocka_unit_test(test_cmp_abs_neg_integer),
	        cmocka_unit_test(test_format_digits),
	        cmocka_unit_test(test_format_shortest),
	        cmocka_unit_test(test_format_percent),
	        cmocka_unit_test(test_format_extremes),
	        cmocka_unit_test(test_format_truncation),
	        cmocka_unit_test(test_round_trip),
	        cmocka_unit_test(test_strerror),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
