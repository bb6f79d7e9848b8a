/* Exact decimal numbers for amounts, rates, weights and scores.
 *
 * A jx_dec is a signed 64-bit integer scaled by 10^6 (six fractional
 * digits), so 484.14 is stored as 484140000.  Every operation checks for
 * overflow and reports it instead of wrapping.  Money is never binary
 * floating point (DESIGN.md section 2.5). */
#ifndef JIXIAO_DECIMAL_H
#define JIXIAO_DECIMAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JX_DEC_SCALE  1000000LL
#define JX_DEC_DIGITS 6

typedef struct jx_dec {
	int64_t raw; /* value * 10^6 */
} jx_dec;

/* Why a string is not a number; each has its own message (jx_dec_strerror). */
typedef enum jx_dec_status {
	JX_DEC_OK = 0,
	JX_DEC_EMPTY,        /* nothing but spaces */
	JX_DEC_FULLWIDTH,    /* full-width digits or point, e.g. 48４.14 */
	JX_DEC_BAD_GROUPING, /* thousands separators in the wrong place, e.g. 1,2.3 */
	JX_DEC_TOO_PRECISE,  /* more fractional digits than the scale allows */
	JX_DEC_OVERFLOW,     /* does not fit */
	JX_DEC_SYNTAX,       /* anything else that is not a number */
	JX_DEC_DIV_ZERO      /* from jx_dec_div */
} jx_dec_status;

/* Parse flags. */
enum {
	JX_DEC_ALLOW_PERCENT = 1 << 0, /* "87.50%" -> 0.875 */
	JX_DEC_REQUIRE_PERCENT = 1 << 1,
	JX_DEC_ALLOW_GROUPING = 1 << 2 /* "1,234.56" */
};

/* Parses s[0..len).  Leading/trailing ASCII spaces are ignored.
 * *frac_digits (may be NULL) receives the number of fractional digits as
 * written (before a percent sign is applied), so callers can insist on
 * "two decimals".  *is_percent (may be NULL) tells whether a '%' was seen. */
jx_dec_status jx_dec_parse(const char *s, size_t len, unsigned flags, jx_dec *out, int *frac_digits,
                           bool *is_percent);
const char *jx_dec_strerror(jx_dec_status st);

static inline jx_dec jx_dec_from_int(int64_t i)
{
	jx_dec d = {i * JX_DEC_SCALE};
	return d;
}
static inline jx_dec jx_dec_zero(void)
{
	jx_dec d = {0};
	return d;
}

/* Checked arithmetic: returns false on overflow (or division by zero), *out untouched. */
bool jx_dec_add(jx_dec a, jx_dec b, jx_dec *out);
bool jx_dec_sub(jx_dec a, jx_dec b, jx_dec *out);
/* Product and quotient are rounded half away from zero to 6 digits. */
bool jx_dec_mul(jx_dec a, jx_dec b, jx_dec *out);
bool jx_dec_div(jx_dec a, jx_dec b, jx_dec *out);

int jx_dec_cmp(jx_dec a, jx_dec b);
jx_dec jx_dec_abs(jx_dec a);
jx_dec jx_dec_neg(jx_dec a);
/* Round half away from zero ("四舍五入") to `digits` fractional digits, 0..6. */
jx_dec jx_dec_round(jx_dec a, int digits);
bool jx_dec_is_integer(jx_dec a);

/* Formatting into buf (always NUL-terminated; returns the length written,
 * as snprintf would).  JX_DEC_SHORTEST prints the exact value with trailing
 * zeros removed ("0.875", "88", "-0.01"); 0..6 rounds half-up and prints
 * exactly that many digits ("88.00"). */
#define JX_DEC_SHORTEST (-1)
#define JX_DEC_BUFSZ    32
int jx_dec_format(jx_dec a, int digits, char *buf, size_t size);
/* As a percentage: 0.682492 with digits 2 -> "68.25%". */
int jx_dec_format_percent(jx_dec a, int digits, char *buf, size_t size);

#endif
