/* Numbers as reports write them: "484.14万元", "1,234.56", "87.50%", "98分",
 * counts in Chinese numerals ("四个", "十二人").  The text is already
 * normalised (full-width digits folded), so only ASCII digits remain. */
#include "numbers.h"

#include <stdint.h>
#include <string.h>

/* The code point of the 3-byte UTF-8 character at s, or 0. */
static uint32_t cp3(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	if ((u[0] & 0xF0) != 0xE0 || (u[1] & 0xC0) != 0x80 || (u[2] & 0xC0) != 0x80)
		return 0;
	return (uint32_t)(u[0] & 0x0F) << 12 | (uint32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3F);
}

/* 零〇一二两三四五六七八九 → 0…9; -1 otherwise.  This runs at every Chinese
 * character of a report, so it decodes once and switches. */
static int cn_digit(const char *s)
{
	switch (cp3(s)) {
	case 0x96F6: /* 零 */
	case 0x3007: /* 〇 */
		return 0;
	case 0x4E00:
		return 1;
	case 0x4E8C: /* 二 */
	case 0x4E24: /* 两 */
		return 2;
	case 0x4E09:
		return 3;
	case 0x56DB:
		return 4;
	case 0x4E94:
		return 5;
	case 0x516D:
		return 6;
	case 0x4E03:
		return 7;
	case 0x516B:
		return 8;
	case 0x4E5D:
		return 9;
	default:
		return -1;
	}
}

/* 一 … 九十九 (and 一百 … 九百九十九): enough for headings and counts. */
long jx__cn_parse(const char *s, size_t *len)
{
	long total = 0, cur = -1;
	size_t i = 0;
	bool any = false;
	for (;;) {
		int d = cn_digit(s + i);
		if (d >= 0) {
			if (cur >= 0)
				break; /* two digits in a row: not a numeral we read */
			cur = d;
			i += 3;
			any = true;
			continue;
		}
		if (cp3(s + i) == 0x5341) { /* 十 */
			total += (cur < 0 ? 1 : cur) * 10;
			cur = -1;
			i += 3;
			any = true;
			continue;
		}
		if (cp3(s + i) == 0x767E && cur > 0) { /* 百 */
			total += cur * 100;
			cur = -1;
			i += 3;
			continue;
		}
		break;
	}
	if (!any)
		return -1;
	if (cur > 0)
		total += cur;
	*len = i;
	return total;
}

static const struct {
	const char *word;
	int unit;
} units[] = {{"万元", JX_NU_WAN}, {"亿元", JX_NU_YI},  {"元", JX_NU_YUAN},  {"%", JX_NU_PERCENT},
             {"分", JX_NU_SCORE}, {"人", JX_NU_COUNT}, {"名", JX_NU_COUNT}, {"个", JX_NU_COUNT},
             {"项", JX_NU_COUNT}, {"家", JX_NU_COUNT}, {"所", JX_NU_COUNT}};

static size_t unit_at(const char *s, int *unit)
{
	size_t i = 0;
	while (s[i] == ' ')
		i++;
	for (size_t k = 0; k < sizeof units / sizeof units[0]; k++) {
		size_t n = strlen(units[k].word);
		if (!strncmp(s + i, units[k].word, n)) {
			*unit = units[k].unit;
			return i + n;
		}
	}
	/* "万 元" from PDF text */
	if (!strncmp(s + i, "万 元", 7)) {
		*unit = JX_NU_WAN;
		return i + 7;
	}
	*unit = JX_NU_NONE;
	return 0;
}

/* Exactly three digits, then no fourth. */
static bool group_follows(const char *s)
{
	for (int k = 0; k < 3; k++)
		if (s[k] < '0' || s[k] > '9')
			return false;
	return !(s[3] >= '0' && s[3] <= '9');
}

/* Digits with optional thousands groups and a fraction. */
static size_t digits_at(const char *s, char *clean, size_t size)
{
	size_t i = 0, o = 0;
	bool frac = false;
	while (s[i]) {
		char c = s[i];
		if (c >= '0' && c <= '9') {
			if (o + 1 < size)
				clean[o++] = c;
			i++;
		} else if (!frac && (c == ',' || !strncmp(s + i, "，", 3)) &&
		           group_follows(s + i + (c == ',' ? 1 : 3))) {
			/* thousands: "1,234.56"; OCR and full-width text write "2，045.30" */
			i += c == ',' ? 1 : 3;
		} else if (c == '.' && !frac && s[i + 1] >= '0' && s[i + 1] <= '9') {
			frac = true;
			if (o + 1 < size)
				clean[o++] = c;
			i++;
		} else {
			break;
		}
	}
	clean[o < size ? o : size - 1] = '\0';
	return i;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A Chinese-numeral count: 四个, 十二人 (only with a count word after). */
static bool cn_count_at(const char *s, jx__numtok *t)
{
	size_t len;
	long v = jx__cn_parse(s, &len);
	if (v < 0)
		return false;
	int unit;
	size_t u = unit_at(s + len, &unit);
	if (unit != JX_NU_COUNT)
		return false;
	t->value = jx_dec_from_int(v);
	t->unit = unit;
	t->end = len + u; /* relative to s: the caller adds the offset */
	t->num_end = len;
	t->chinese = true;
	return true;
}

size_t jx__scan_numbers(const char *s, jx__numtok *out, size_t max)
{
	size_t n = 0, i = 0, len = strlen(s);
	while (i < len && n < max) {
		jx__numtok t;
		memset(&t, 0, sizeof t);
		t.start = i;
		bool digit_start = is_digit(s[i]) && (i == 0 || !is_digit(s[i - 1])) &&
		                   (i == 0 || s[i - 1] != '.');
		if (digit_start) {
			char clean[64];
			size_t d = digits_at(s + i, clean, sizeof clean);
			int frac = 0;
			if (jx_dec_parse(clean, strlen(clean), 0, &t.value, &frac, NULL) !=
			    JX_DEC_OK) {
				i += d;
				continue;
			}
			t.scale = frac;
			t.num_end = i + d;
			size_t u = unit_at(s + i + d, &t.unit);
			t.end = i + d + u;
			/* "2023年" is a year; "3.5倍", "第3" and dates are not figures. */
			if (!strncmp(s + t.end, "年", 3) || !strncmp(s + i + d, "年", 3) ||
			    !strncmp(s + i + d, "月", 3) || !strncmp(s + i + d, "日", 3))
				t.year_like = true;
			if (t.unit == JX_NU_PERCENT &&
			    jx_dec_div(t.value, jx_dec_from_int(100), &t.value))
				t.scale += 2;
			out[n++] = t;
			i = t.end > i ? t.end : i + 1;
			continue;
		}
		if ((unsigned char)s[i] >= 0xE0 && cn_count_at(s + i, &t)) {
			t.start = i;
			t.end += i;
			t.num_end += i;
			out[n++] = t;
			i = t.end;
			continue;
		}
		i++;
	}
	return n;
}
