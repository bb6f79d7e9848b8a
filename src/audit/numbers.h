/* Numbers in report text. */
#ifndef JX_AUDIT_NUMBERS_H
#define JX_AUDIT_NUMBERS_H

#include "../core/core.h"

enum {
	JX_NU_NONE = 0,
	JX_NU_WAN,     /* 万元 */
	JX_NU_YUAN,    /* 元 */
	JX_NU_YI,      /* 亿元 */
	JX_NU_PERCENT, /* %: value is the fraction (87.5% → 0.875) */
	JX_NU_SCORE,   /* 分 */
	JX_NU_COUNT    /* 人 个 名 项 … */
};

/* A number found in a line: bytes [start, end) include its unit word;
 * [start, num_end) is the number itself. */
typedef struct jx__numtok {
	size_t start, num_end, end;
	jx_dec value;
	int scale; /* fractional digits as written (percent: of the fraction) */
	int unit;
	bool chinese;   /* a count in Chinese numerals */
	bool year_like; /* 2023年, 3月, 5日: not a figure */
} jx__numtok;

/* Finds up to max numbers in s, left to right. */
size_t jx__scan_numbers(const char *s, jx__numtok *out, size_t max);

long jx__cn_parse(const char *s, size_t *len);

#endif
