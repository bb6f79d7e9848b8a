/* Exact decimal numbers: see include/jixiao/decimal.h.
 *
 * All intermediate results are computed in 128 bits, where no product or
 * scaled quotient of two int64 values can overflow, and only then checked
 * against the int64 range.  That keeps every overflow check a plain
 * comparison instead of a prediction. */
#include "jixiao/decimal.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

__extension__ typedef __int128 jx__i128;

static const int64_t pow10_tab[JX_DEC_DIGITS + 1] = {1, 10, 100, 1000, 10000, 100000, 1000000};

static bool fits_i64(jx__i128 v)
{
	return v >= INT64_MIN && v <= INT64_MAX;
}

static jx__i128 abs128(jx__i128 v)
{
	return v < 0 ? -v : v;
}

/* C division truncates toward zero, so the remainder tells how far we are
 * from the next step away from zero; 2|r| >= |d| means "half or more". */
static jx__i128 div_round(jx__i128 n, jx__i128 d)
{
	jx__i128 q = n / d;
	jx__i128 r = abs128(n % d);

	if (r != 0 && r >= abs128(d) - r)
		q += ((n < 0) != (d < 0)) ? -1 : 1;
	return q;
}

static bool store(jx__i128 v, jx_dec *out)
{
	if (!fits_i64(v))
		return false;
	out->raw = (int64_t)v;
	return true;
}

bool jx_dec_add(jx_dec a, jx_dec b, jx_dec *out)
{
	return store((jx__i128)a.raw + b.raw, out);
}

bool jx_dec_sub(jx_dec a, jx_dec b, jx_dec *out)
{
	return store((jx__i128)a.raw - b.raw, out);
}

bool jx_dec_mul(jx_dec a, jx_dec b, jx_dec *out)
{
	return store(div_round((jx__i128)a.raw * b.raw, JX_DEC_SCALE), out);
}

bool jx_dec_div(jx_dec a, jx_dec b, jx_dec *out)
{
	if (b.raw == 0)
		return false;
	return store(div_round((jx__i128)a.raw * JX_DEC_SCALE, b.raw), out);
}

int jx_dec_cmp(jx_dec a, jx_dec b)
{
	return (a.raw > b.raw) - (a.raw < b.raw);
}

/* -INT64_MIN does not exist; the API has no error channel here, so we
 * saturate (an error of 10^-6 on a value no real score reaches) rather than
 * invoke undefined behaviour. */
jx_dec jx_dec_neg(jx_dec a)
{
	jx_dec r = {a.raw == INT64_MIN ? INT64_MAX : -a.raw};
	return r;
}

jx_dec jx_dec_abs(jx_dec a)
{
	return a.raw < 0 ? jx_dec_neg(a) : a;
}

/* Out-of-range digits return a unchanged: it already has at most 6 digits,
 * and a stray JX_DEC_SHORTEST should not silently round to an integer.
 * When rounding away from zero would leave int64 (only within 10^-digits of
 * the limits) we round toward zero instead, since there is no error channel. */
jx_dec jx_dec_round(jx_dec a, int digits)
{
	if (digits < 0 || digits >= JX_DEC_DIGITS)
		return a;
	int64_t unit = pow10_tab[JX_DEC_DIGITS - digits];
	jx__i128 v = div_round(a.raw, unit) * unit;
	if (!fits_i64(v))
		v = (jx__i128)(a.raw / unit) * unit;
	jx_dec r = {(int64_t)v};
	return r;
}

bool jx_dec_is_integer(jx_dec a)
{
	return a.raw % JX_DEC_SCALE == 0;
}

const char *jx_dec_strerror(jx_dec_status st)
{
	switch (st) {
	case JX_DEC_OK:
		return "成功";
	case JX_DEC_EMPTY:
		return "空值";
	case JX_DEC_FULLWIDTH:
		return "含全角数字或符号，请改用半角";
	case JX_DEC_BAD_GROUPING:
		return "千分位逗号位置不对";
	case JX_DEC_TOO_PRECISE:
		return "小数位数过多";
	case JX_DEC_OVERFLOW:
		return "数值超出范围";
	case JX_DEC_SYNTAX:
		return "不是数字";
	case JX_DEC_DIV_ZERO:
		return "除数为零";
	}
	return "未知错误";
}

/* ---- parsing ---- */

/* Where the parts of a lexically valid number sit in the trimmed input. */
struct lexed {
	bool neg, has_point, percent;
	size_t int_beg, int_end;   /* integer part, commas included */
	size_t frac_beg, frac_end; /* fractional part, commas included */
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static size_t count_digits(const char *s, size_t beg, size_t end)
{
	size_t n = 0;
	for (size_t i = beg; i < end; i++)
		n += is_digit(s[i]);
	return n;
}

/* Chinese input methods produce these when the user forgets to switch to
 * half-width; naming the cause helps more than "not a number".  Besides
 * U+FF10..FF19 digits and ＋，－．％ we also catch the ideographic space
 * U+3000 and the ideographic full stop 。U+3002, typed for the same reason. */
static bool has_fullwidth(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i + 2 < len; i++) {
		if (u[i] == 0xEF && u[i + 1] == 0xBC) {
			unsigned char c = u[i + 2];
			if ((c >= 0x90 && c <= 0x99) || c == 0x85 || c == 0x8B || c == 0x8C ||
			    c == 0x8D || c == 0x8E)
				return true;
		}
		if (u[i] == 0xE3 && u[i + 1] == 0x80 && (u[i + 2] == 0x80 || u[i + 2] == 0x82))
			return true;
	}
	return false;
}

static size_t skip_number_chars(const char *s, size_t i, size_t len)
{
	while (i < len && (is_digit(s[i]) || s[i] == ','))
		i++;
	return i;
}

/* Splits sign, integer part, fraction and '%'; anything else is SYNTAX.
 * Commas are only collected here and judged by check_grouping. */
static jx_dec_status lex(const char *s, size_t len, struct lexed *lx)
{
	size_t i = 0;

	memset(lx, 0, sizeof *lx);
	if (i < len && (s[i] == '-' || s[i] == '+'))
		lx->neg = s[i++] == '-';
	lx->int_beg = i;
	i = lx->int_end = skip_number_chars(s, i, len);
	lx->frac_beg = lx->frac_end = i;
	if (i < len && s[i] == '.') {
		lx->has_point = true;
		lx->frac_beg = ++i;
		i = lx->frac_end = skip_number_chars(s, i, len);
	}
	if (i < len && s[i] == '%') {
		lx->percent = true;
		i++;
	}
	if (i != len || count_digits(s, lx->int_beg, lx->int_end) == 0)
		return JX_DEC_SYNTAX;
	/* "5." and ".5" are rejected: a half-typed number is likelier a mistake. */
	if (lx->has_point && count_digits(s, lx->frac_beg, lx->frac_end) == 0)
		return JX_DEC_SYNTAX;
	return JX_DEC_OK;
}

/* Accepts only well-formed groups: 1-3 digits, then ",ddd" groups. */
static jx_dec_status check_grouping(const char *s, const struct lexed *lx, unsigned flags)
{
	if (memchr(s + lx->frac_beg, ',', lx->frac_end - lx->frac_beg))
		return JX_DEC_BAD_GROUPING;
	if (!memchr(s + lx->int_beg, ',', lx->int_end - lx->int_beg))
		return JX_DEC_OK;
	if (!(flags & JX_DEC_ALLOW_GROUPING))
		return JX_DEC_BAD_GROUPING;

	size_t run = 0;
	bool first = true;
	for (size_t i = lx->int_beg; i < lx->int_end; i++) {
		if (is_digit(s[i])) {
			run++;
			continue;
		}
		if (first ? (run < 1 || run > 3) : run != 3)
			return JX_DEC_BAD_GROUPING;
		first = false;
		run = 0;
	}
	return run == 3 ? JX_DEC_OK : JX_DEC_BAD_GROUPING;
}

static jx_dec_status check_percent(const struct lexed *lx, unsigned flags)
{
	if (lx->percent && !(flags & (JX_DEC_ALLOW_PERCENT | JX_DEC_REQUIRE_PERCENT)))
		return JX_DEC_SYNTAX;
	if (!lx->percent && (flags & JX_DEC_REQUIRE_PERCENT))
		return JX_DEC_SYNTAX;
	return JX_DEC_OK;
}

/* Dividing by 100 shifts two more digits into the fraction; they must be
 * zeros or the value is not representable exactly. */
static jx_dec_status check_precision(const char *s, const struct lexed *lx)
{
	size_t n = lx->frac_end - lx->frac_beg;

	if (n > JX_DEC_DIGITS)
		return JX_DEC_TOO_PRECISE;
	for (size_t k = JX_DEC_DIGITS - 2; lx->percent && k < n; k++)
		if (s[lx->frac_beg + k] != '0')
			return JX_DEC_TOO_PRECISE;
	return JX_DEC_OK;
}

/* Magnitude * 10^6; a cap on the integer part keeps arbitrarily long
 * digit strings from overflowing the 128-bit accumulator. */
static jx_dec_status accumulate(const char *s, const struct lexed *lx, jx__i128 *mag)
{
	const jx__i128 cap = (jx__i128)INT64_MAX * 100;
	jx__i128 v = 0;

	for (size_t i = lx->int_beg; i < lx->int_end; i++) {
		if (!is_digit(s[i]))
			continue;
		v = v * 10 + (s[i] - '0');
		if (v > cap)
			return JX_DEC_OVERFLOW;
	}
	size_t n = lx->frac_end - lx->frac_beg;
	v *= JX_DEC_SCALE;
	for (size_t k = 0; k < n; k++)
		v += (jx__i128)(s[lx->frac_beg + k] - '0') * pow10_tab[JX_DEC_DIGITS - 1 - k];
	*mag = lx->percent ? v / 100 : v;
	return JX_DEC_OK;
}

static void trim(const char **s, size_t *len)
{
	while (*len > 0 && is_blank((*s)[0])) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && is_blank((*s)[*len - 1]))
		(*len)--;
}

static jx_dec_status validate(const char *s, size_t len, unsigned flags, struct lexed *lx)
{
	if (len == 0)
		return JX_DEC_EMPTY;
	if (has_fullwidth(s, len))
		return JX_DEC_FULLWIDTH;
	jx_dec_status st = lex(s, len, lx);
	if (st == JX_DEC_OK)
		st = check_grouping(s, lx, flags);
	if (st == JX_DEC_OK)
		st = check_percent(lx, flags);
	if (st == JX_DEC_OK)
		st = check_precision(s, lx);
	return st;
}

/* Outputs are written only on success, matching the arithmetic functions. */
jx_dec_status jx_dec_parse(const char *s, size_t len, unsigned flags, jx_dec *out, int *frac_digits,
                           bool *is_percent)
{
	struct lexed lx;
	jx__i128 mag;

	if (s == NULL)
		len = 0;
	trim(&s, &len);
	jx_dec_status st = validate(s, len, flags, &lx);
	if (st == JX_DEC_OK)
		st = accumulate(s, &lx, &mag);
	if (st != JX_DEC_OK)
		return st;

	jx_dec v;
	if (!store(lx.neg ? -mag : mag, &v))
		return JX_DEC_OVERFLOW;
	if (out)
		*out = v;
	if (frac_digits)
		*frac_digits = (int)(lx.frac_end - lx.frac_beg);
	if (is_percent)
		*is_percent = lx.percent;
	return JX_DEC_OK;
}

/* ---- formatting ---- */

/* ip and frac fit in uint64 even for INT64_MIN * 100, so plain snprintf
 * does the digit work and the truncation/return-value contract. */
static int emit(char *buf, size_t size, bool neg, uint64_t ip, uint64_t frac, int fd, bool pct)
{
	const char *sign = neg ? "-" : "";
	const char *tail = pct ? "%" : "";

	if (buf == NULL)
		size = 0;
	if (fd == 0)
		return snprintf(buf, size, "%s%" PRIu64 "%s", sign, ip, tail);
	return snprintf(buf, size, "%s%" PRIu64 ".%0*" PRIu64 "%s", sign, ip, fd, frac, tail);
}

/* v is scaled by 10^6 but may exceed int64 (percentages), hence 128 bits;
 * rounding happens here too, so "9223372036854.78" prints even though
 * jx_dec_round cannot represent it. */
static int format_scaled(jx__i128 v, int digits, char *buf, size_t size, bool pct)
{
	jx__i128 m = abs128(v);
	int fd = JX_DEC_DIGITS;

	if (digits < 0) {
		while (fd > 0 && m % 10 == 0) {
			m /= 10;
			fd--;
		}
	} else {
		fd = digits < JX_DEC_DIGITS ? digits : JX_DEC_DIGITS;
		m = div_round(m, pow10_tab[JX_DEC_DIGITS - fd]);
	}
	/* A value that rounds to zero prints without '-': "-0.00" confuses. */
	return emit(buf, size, v < 0 && m != 0, (uint64_t)(m / pow10_tab[fd]),
	            (uint64_t)(m % pow10_tab[fd]), fd, pct);
}

int jx_dec_format(jx_dec a, int digits, char *buf, size_t size)
{
	return format_scaled(a.raw, digits, buf, size, false);
}

int jx_dec_format_percent(jx_dec a, int digits, char *buf, size_t size)
{
	return format_scaled((jx__i128)a.raw * 100, digits, buf, size, true);
}
