/* Core text helpers: UTF-8 decoding and validation, display width, edit
 * distance, trimming, the string map, and reading a data file's scheme. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/core.h"

static void test_utf8(void **state)
{
	(void)state;
	const char *s = "a中€\xF0\x9F\x98\x80";
	size_t i = 0, n = strlen(s);
	assert_int_equal(jx__utf8_next(s, n, &i), 'a');
	assert_int_equal(jx__utf8_next(s, n, &i), 0x4E2D);
	assert_int_equal(jx__utf8_next(s, n, &i), 0x20AC);
	assert_int_equal(jx__utf8_next(s, n, &i), 0x1F600);
	assert_int_equal(i, n);
	assert_true(jx__utf8_valid(s, n));
	assert_true(jx__utf8_valid("\xEF\xBF\xBD", 3));  /* a real U+FFFD */
	assert_false(jx__utf8_valid("\xC3", 1));         /* truncated */
	assert_false(jx__utf8_valid("\xC0\xAF", 2));     /* overlong */
	assert_false(jx__utf8_valid("\xED\xA0\x80", 3)); /* surrogate */
	assert_false(jx__utf8_valid("\xFF", 1));
	i = 0;
	assert_int_equal(jx__utf8_next("\xE4\xB8", 2, &i), 0xFFFD);
	assert_int_equal(i, 1);
}

static void test_width(void **state)
{
	(void)state;
	assert_int_equal(jx__text_width("abc"), 3);
	assert_int_equal(jx__text_width("产出指标"), 8);
	assert_int_equal(jx__text_width("１００％"), 8);
	assert_int_equal(jx__text_width("“APP\"注册"), 9);
	assert_int_equal(jx__text_width("≥5万"), 4);
	assert_int_equal(jx__text_width(""), 0);
}

static void test_edit_distance(void **state)
{
	(void)state;
	assert_int_equal(jx__edit_distance("opening", "openng", 3), 1);
	assert_int_equal(jx__edit_distance("budget", "budgte", 3), 2);
	assert_int_equal(jx__edit_distance("优秀", "良好", 3), 2);
	assert_int_equal(jx__edit_distance("abc", "abc", 3), 0);
	assert_int_equal(jx__edit_distance("a", "abcdefgh", 2), 3); /* capped at max+1 */
}

static void test_trim(void **state)
{
	(void)state;
	const char *s = "\xE3\x80\x80 5万余人\t\xE3\x80\x80";
	size_t n = strlen(s);
	jx__trim(&s, &n);
	assert_int_equal(n, strlen("5万余人"));
	assert_memory_equal(s, "5万余人", n);
	s = "\xE3\x80\x80";
	n = 3;
	jx__trim(&s, &n);
	assert_int_equal(n, 0);
}

static void test_map(void **state)
{
	(void)state;
	jx__map m;
	char keys[300][16];
	jx__map_init(&m, jx_allocator_default());
	for (int i = 0; i < 300; i++) {
		snprintf(keys[i], sizeof keys[i], "k%d", i);
		assert_true(jx__map_put(&m, keys[i], strlen(keys[i]), i));
	}
	for (int i = 0; i < 300; i++)
		assert_int_equal(jx__map_get(&m, keys[i], strlen(keys[i])), i);
	assert_int_equal(jx__map_get(&m, "k300", 4), -1);
	assert_int_equal(jx__map_get(&m, "k1", 1), -1); /* a prefix is not a key */
	assert_true(jx__map_put(&m, keys[7], strlen(keys[7]), 70));
	assert_int_equal(jx__map_get(&m, "k7", 2), 70);
	assert_int_equal(m.count, 300);
	jx__map_fini(&m);
}

static void test_scheme_name(void **state)
{
	(void)state;
	char out[64];
	const char *a = "# comment\nscheme: hunan-dept-overall   # default\nyear: 2023\n";
	assert_true(jx_data_scheme_name(a, strlen(a), out, sizeof out));
	assert_string_equal(out, "hunan-dept-overall");
	const char *b = "scheme: \"mof-project\"\n";
	assert_true(jx_data_scheme_name(b, strlen(b), out, sizeof out));
	assert_string_equal(out, "mof-project");
	const char *c = "year: 2023\n  scheme: nested\n";
	assert_false(jx_data_scheme_name(c, strlen(c), out, sizeof out));
	assert_false(jx_data_scheme_name("scheme:", 7, out, sizeof out));
}

static void test_buf(void **state)
{
	(void)state;
	jx__buf b;
	jx__buf_init(&b, jx_allocator_default());
	for (int i = 0; i < 1000; i++)
		jx__buf_printf(&b, "%d,", i);
	assert_int_equal(b.len, 3890);
	assert_memory_equal(b.data + b.len - 4, "999,", 4);
	char *s = jx__buf_take(&b);
	assert_non_null(s);
	assert_int_equal(strlen(s), 3890);
	free(s);
}

/* Text cut to fit a buffer stays valid UTF-8: the cut character goes. */
static void test_utf8_cut(void **state)
{
	(void)state;
	char buf[8];
	jx__copy_text(buf, sizeof buf, "北塔区行政"); /* 15 bytes into 8: two whole characters */
	assert_string_equal(buf, "北塔");
	jx__copy_text(buf, sizeof buf, "ab北塔区");
	assert_string_equal(buf, "ab北"); /* 2 + 3 + 3 bytes do not fit in 7 */
	jx__copy_text(buf, sizeof buf, "short");
	assert_string_equal(buf, "short");
	char s[] = "行政\xe5\xae";
	jx__utf8_cut(s, strlen(s));
	assert_string_equal(s, "行政");
	char t[] = "\xf0\x9f\x98\x80x";
	jx__utf8_cut(t, 4);
	assert_int_equal((unsigned char)t[0], 0xf0); /* a whole 4-byte character stays */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_utf8),          cmocka_unit_test(test_width),
	        cmocka_unit_test(test_edit_distance), cmocka_unit_test(test_trim),
	        cmocka_unit_test(test_map),           cmocka_unit_test(test_scheme_name),
	        cmocka_unit_test(test_buf),           cmocka_unit_test(test_utf8_cut),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
