/* The report's outline and its numbering (X01).  Headings and numbered
 * items are recognised by their style: 一、 （一） 1. / 1、 （1）, and the
 * inline enumerators 一是 二是 … that start sentences.  Levels are opened in
 * the order styles first appear under a parent; each number must follow
 * the last one of its level.  A number in another style that continues
 * an open level ("（2）" after "（一）", "8、" after "七、") is the mixed
 * numbering the rule reports, and the count goes on from it, so one slip
 * gives one finding. */
#include "audit_int.h"

#include <stdio.h>
#include <string.h>

typedef enum style {
	S_NONE,
	S_CN,       /* 一、 */
	S_CN_PAREN, /* （一） */
	S_AR,       /* 1. 1、 1． */
	S_AR_PAREN, /* （1） */
	S_ENUM      /* 一是 */
} style;

static const char *const style_names[] = {"", "“一、”", "“（一）”", "“1.”", "“（1）”", "“一是”"};

typedef struct level {
	style st;  /* the style the level started with */
	style alt; /* another style seen continuing it (reported each time) */
	long last; /* the last number written */
	long pos;  /* how many items the level has had */
	unsigned first_line;
} level;

typedef struct outline {
	jx_audit *A;
	level lv[8];
	size_t depth;
	long enum_last; /* 一是 … within the current section */
} outline;

/* Style and number of a line that starts with numbering; S_NONE if none. */
static style parse_mark(const char *t, long *n, size_t *len)
{
	size_t l;
	long v;
	if ((v = jx__cn_parse(t, &l)) >= 0 && !strncmp(t + l, "、", 3)) {
		*n = v, *len = l + 3;
		return S_CN;
	}
	bool paren = !strncmp(t, "（", 3) || t[0] == '(';
	if (paren) {
		const char *p = t + (t[0] == '(' ? 1 : 3);
		if ((v = jx__cn_parse(p, &l)) >= 0 && (!strncmp(p + l, "）", 3) || p[l] == ')')) {
			*n = v, *len = (size_t)(p - t) + l + (p[l] == ')' ? 1 : 3);
			return S_CN_PAREN;
		}
		size_t d = 0;
		while (p[d] >= '0' && p[d] <= '9' && d < 3)
			d++;
		if (d && (!strncmp(p + d, "）", 3) || p[d] == ')')) {
			*n = 0;
			for (size_t i = 0; i < d; i++)
				*n = *n * 10 + (p[i] - '0');
			*len = (size_t)(p - t) + d + (p[d] == ')' ? 1 : 3);
			return S_AR_PAREN;
		}
		return S_NONE;
	}
	size_t d = 0;
	while (t[d] >= '0' && t[d] <= '9' && d < 3)
		d++;
	if (!d)
		return S_NONE;
	const char *sep = t + d;
	bool ok = !strncmp(sep, "、", 3) || !strncmp(sep, "．", 3) ||
	          (sep[0] == '.' && !(sep[1] >= '0' && sep[1] <= '9'));
	if (!ok)
		return S_NONE;
	*n = 0;
	for (size_t i = 0; i < d; i++)
		*n = *n * 10 + (t[i] - '0');
	*len = d + (sep[0] == '.' ? 1 : 3);
	return S_AR;
}

static void snippet_of(const char *t, char *buf, size_t size)
{
	size_t n = strlen(t), cut = n < 60 ? n : 60;
	while (cut < n && ((unsigned char)t[cut] & 0xC0) == 0x80)
		cut++;
	snprintf(buf, size, "%.*s%s", (int)cut, t, cut < n ? "…" : "");
}

static void report(outline *O, const jx__ablock *b, const char *fmt, long expected, long got,
                   style st)
{
	char exp[32], act[32], snip[256];
	snprintf(exp, sizeof exp, "%ld", expected);
	snprintf(act, sizeof act, "%ld", got);
	snippet_of(b->text, snip, sizeof snip);
	jx__audit_finding(O->A, JX_SEV_WARNING, "X01", b->line, snip, exp, act, fmt,
	                  style_names[st], expected, got);
}

static void mixed(outline *O, const jx__ablock *b, level *L, style st, long n)
{
	char snip[256], exp[64], act[64];
	snippet_of(b->text, snip, sizeof snip);
	snprintf(exp, sizeof exp, "%s %ld", style_names[L->st], n);
	snprintf(act, sizeof act, "%s %ld", style_names[st], n);
	jx__audit_finding(O->A, JX_SEV_WARNING, "X01", b->line, snip, exp, act,
	                  "同一级编号混用：这一级用%s（第 %u 行起），此处用%s", style_names[L->st],
	                  L->first_line, style_names[st]);
	L->last = n;
	L->pos++;
	L->alt = st;
}

/* The open level (shallower than below, if given) whose next number is n,
 * written in another style; -1 if none. */
static int continued(const outline *O, size_t below, style st, long n)
{
	for (size_t d = below; d-- > 0;)
		if (O->lv[d].st != st && O->lv[d].st != S_ENUM && O->lv[d].last + 1 == n)
			return (int)d;
	return -1;
}

static void same_style(outline *O, const jx__ablock *b, size_t d, long n)
{
	level *L = &O->lv[d];
	style st = L->st;
	/* After a slip the count may go on from the slip or from the position
	 * ("（一）（一）（三）" and "（二）（二）（三）" are one mistake each). */
	bool next = n == L->last + 1 || n == L->pos + 1;
	int up = next ? -1 : continued(O, d, st, n);
	if (up >= 0) {
		O->depth = (size_t)up + 1;
		mixed(O, b, &O->lv[up], st, n);
		return;
	}
	O->depth = d + 1;
	L->pos++;
	if (next)
		;
	else if (n == L->last)
		report(O, b, "%s编号重复：应为 %ld，实为 %ld", L->last + 1, n, st);
	else if (n > L->last + 1)
		report(O, b, "%s编号跳号：应为 %ld，实为 %ld", L->last + 1, n, st);
	else if (n < L->last)
		report(O, b, "%s编号倒退：应为 %ld，实为 %ld", L->last + 1, n, st);
	L->last = n;
}

/* Opens or continues the level of style st with number n. */
static void place(outline *O, const jx__ablock *b, style st, long n)
{
	for (size_t d = O->depth; d-- > 0;) {
		level *L = &O->lv[d];
		if (L->st == st) {
			same_style(O, b, d, n);
			return;
		}
		if (L->alt == st && n == L->last + 1) {
			O->depth = d + 1;
			mixed(O, b, L, st, n);
			return;
		}
	}
	/* A new style: a deeper level, which starts at 1 — unless the number
	 * continues an open level written in another style. */
	int up = n != 1 ? continued(O, O->depth, st, n) : -1;
	if (up >= 0) {
		O->depth = (size_t)up + 1;
		mixed(O, b, &O->lv[up], st, n);
		return;
	}
	if (O->depth == sizeof O->lv / sizeof O->lv[0])
		return;
	if (n != 1)
		report(O, b, "%s编号应从 %ld 开始，实为 %ld", 1, n, st);
	O->lv[O->depth++] = (level){st, S_NONE, n, 1, b->line};
}

/* 一是 二是 … at the starts of sentences of a paragraph. */
/* 一是 starts a sentence or a clause: at the line start or after 。；：，
 * or a space. */
static bool sentence_start(const char *t, size_t i)
{
	static const char *const after[] = {"。", "；", "：", "，"};
	if (i == 0 || t[i - 1] == ' ' || t[i - 1] == ',' || t[i - 1] == ';')
		return true;
	for (size_t k = 0; i >= 3 && k < sizeof after / sizeof after[0]; k++)
		if (!strncmp(t + i - 3, after[k], 3))
			return true;
	return false;
}

/* next: the paragraph after b, when a PDF's layout wrapped b's text into
 * it ("…安全。二" / "是深化…"). */
static void enumerators(outline *O, const jx__ablock *b, const jx__ablock *next)
{
	const char *t = b->text;
	for (size_t i = 0; t[i];) {
		bool start = sentence_start(t, i);
		size_t len;
		long n = start ? jx__cn_parse(t + i, &len) : -1;
		bool wrapped = n > 0 && !t[i + len] && next && !strncmp(next->text, "是", 3);
		if (n > 0 && (wrapped || !strncmp(t + i + len, "是", 3))) {
			if (n != O->enum_last + 1 && !(n == 1 && O->enum_last != 0)) {
				char snip[256], exp[32], act[32];
				snippet_of(t + i, snip, sizeof snip);
				snprintf(exp, sizeof exp, "%ld", O->enum_last + 1);
				snprintf(act, sizeof act, "%ld", n);
				jx__audit_finding(O->A, JX_SEV_WARNING, "X01", b->line, snip, exp,
				                  act, "“X是”列举%s：应为 %ld，实为 %ld",
				                  n == O->enum_last ? "重复" : "跳号",
				                  O->enum_last + 1, n);
			}
			O->enum_last = n;
			i += len + (wrapped ? 0 : 3);
			continue;
		}
		i += ((unsigned char)t[i] >= 0xE0) ? 3 : 1;
	}
}

/* Where the attachments begin, the report's own outline ends. */
static bool attachments_start(const char *t)
{
	return !strncmp(t, "附件", 6) && strlen(t) < 150;
}

/* A table of contents: "目录", then entries with dot leaders or page
 * numbers, up to the first blank line.  Its numbering is not the body's. */
static bool toc_title(const char *t)
{
	char sq[32];
	size_t o = 0;
	for (; *t && o + 1 < sizeof sq; t++)
		if (*t != ' ')
			sq[o++] = *t;
	sq[o] = '\0';
	return !strcmp(sq, "目录");
}

void jx__audit_outline(jx_audit *A)
{
	outline O = {.A = A};
	bool toc = false;
	unsigned prev_line = 0;
	for (size_t i = 0; i < A->text->n; i++) {
		const jx__ablock *b = &A->text->blocks[i];
		bool gap = b->line > prev_line + 1;
		prev_line = b->line;
		if (b->table >= 0)
			continue;
		if (toc_title(b->text)) {
			toc = true;
			continue;
		}
		if (toc && !gap)
			continue;
		toc = false;
		if (attachments_start(b->text))
			break;
		long n;
		size_t len;
		style st = parse_mark(b->text, &n, &len);
		if (st != S_NONE && n > 0) {
			A->headings++;
			place(&O, b, st, n);
			O.enum_last = 0;
		}
		/* the next paragraph, past a page number, if the layout wrapped into it */
		const jx__ablock *next = NULL;
		for (size_t k = i + 1; k < A->text->n && !next; k++) {
			const jx__ablock *c = &A->text->blocks[k];
			if (c->table >= 0)
				break;
			if (!jx__audit_page_number(c->text))
				next = jx__audit_wraps(b, c) ? c : NULL, k = A->text->n;
		}
		enumerators(&O, b, next);
	}
}
