/* The DOCX reader of `jixiao audit`: word/document.xml (and
 * word/numbering.xml for list labels) → jx__atext.
 *
 * Parts are streamed through expat with a byte cap while they inflate (the
 * zip-bomb guard of src/io/xlsx_read.c, same 64 MiB limit) and DOCTYPE is
 * refused, so no entity can expand.  State is explicit counters, never
 * recursion, so deep nesting costs nothing.
 *
 * What becomes text:
 * - a body paragraph (w:p): its w:t runs, w:tab → tab, w:br/w:cr → line
 *   break.  A paragraph with line breaks gives one paragraph block per line,
 *   all with the paragraph's number as `line` (the same blocks a copy of the
 *   text to a .txt would give);
 * - deleted text (w:del, w:moveFrom) and old properties (w:*Change) are
 *   skipped; inserted text (w:ins, w:moveTo) is kept; text boxes
 *   (w:txbxContent) and mc:Fallback copies are skipped;
 * - automatic numbering (w:numPr in the paragraph's own w:pPr): the label
 *   Word would show ("一、", "（1）", "1.1.") from word/numbering.xml for the
 *   usual formats, else "•"; it is prefixed to the text, followed by a space
 *   unless it ends in a wide character: "1. 标题", "• 项目", but "一、标题",
 *   "（一）标题".  Numbering inherited from a paragraph style is
 *   not resolved;
 * - a table row (w:tr of a top-level w:tbl): one table block, a cell per
 *   w:tc (its non-empty paragraphs joined by "\n"); a vMerge continuation
 *   cell is empty; a cell spanning n grid columns (gridSpan) is followed by
 *   n - 1 empty cells, so every row's cells line up with the grid (a
 *   two-row header then names the same columns as the data rows); a nested
 *   table's paragraphs join
 *   the outer cell's text.
 * `line` counts body paragraphs and table rows, 1-based. */
#include "text.h"

#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define W_NS     "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define W_NS2    "http://purl.oclc.org/ooxml/wordprocessingml/main"
#define MC_NS    "http://schemas.openxmlformats.org/markup-compatibility/2006"
#define NLVL     9
#define MAX_NUMS 4096

typedef struct dreader {
	jx__atext *t;
	zip_t *z;
	jx_diags *diags;
	bool failed;
} dreader;

static void fail(dreader *R, const char *id, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static void fail(dreader *R, const char *id, const char *fmt, ...)
{
	if (R->failed)
		return;
	R->failed = true;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	jx__loc l = {R->t->file, 0, 0};
	jx__diag_fatal(R->diags, id, l, NULL, "%s", msg);
}

static void oom(dreader *R)
{
	if (R->t->overflow)
		fail(R, "A05", "文档的段落和表格行过多（上限 2097152）");
	else
		fail(R, "Y00", "内存不足");
}

/* Element names come as "namespace-uri local" (expat namespace mode). */
static const char *w_name(const char *el)
{
	const char *sp = strrchr(el, ' ');
	if (!sp)
		return NULL;
	size_t n = (size_t)(sp - el);
	if ((n == sizeof W_NS - 1 && !memcmp(el, W_NS, n)) ||
	    (n == sizeof W_NS2 - 1 && !memcmp(el, W_NS2, n)))
		return sp + 1;
	return NULL;
}

static const char *attr(const char **atts, const char *name)
{
	for (size_t i = 0; atts[i]; i += 2) {
		const char *sp = strrchr(atts[i], ' ');
		if (!strcmp(sp ? sp + 1 : atts[i], name))
			return atts[i + 1];
	}
	return NULL;
}

static long attr_long(const char **atts, const char *name, long dflt)
{
	const char *v = attr(atts, name);
	if (!v)
		return dflt;
	char *end;
	long n = strtol(v, &end, 10);
	return end == v || n < -1000000 || n > 1000000 ? dflt : n;
}

/* ---- streaming one part ---------------------------------------------- */

typedef struct dpart {
	dreader *R;
	XML_Parser p;
	const char *name;
	bool stop;
	void *ctx;
} dpart;

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sys,
                               const XML_Char *pub, int has_internal)
{
	(void)name, (void)sys, (void)pub, (void)has_internal;
	dpart *P = ud;
	fail(P->R, "A06", "%s 不是合格的 XML（不接受 DOCTYPE 声明）", P->name);
	P->stop = true;
	XML_StopParser(P->p, XML_FALSE);
}

typedef struct handlers {
	XML_StartElementHandler start;
	XML_EndElementHandler end;
	XML_CharacterDataHandler text;
} handlers;

static bool feed(dpart *P, zip_file_t *f)
{
	dreader *R = P->R;
	char chunk[65536];
	size_t total = 0;
	for (;;) {
		zip_int64_t n = zip_fread(f, chunk, sizeof chunk);
		if (n < 0) {
			fail(R, "A03", "DOCX 文件损坏：无法解压 %s（%s）", P->name,
			     zip_file_strerror(f));
			return false;
		}
		total += (size_t)n;
		if (total > JX__ATEXT_MAX_PART) {
			fail(R, "A05", "%s 解压后超过 64 MiB 上限", P->name);
			return false;
		}
		if (XML_Parse(P->p, chunk, (int)n, n == 0) != XML_STATUS_OK) {
			if (!P->stop)
				fail(R, "A06", "%s 不是合格的 XML（第%lu行：%s）", P->name,
				     (unsigned long)XML_GetCurrentLineNumber(P->p),
				     XML_ErrorString(XML_GetErrorCode(P->p)));
			return false;
		}
		if (R->failed)
			return false;
		if (n == 0)
			return true;
	}
}

/* Streams part `name` through h; 1 done, 0 absent, -1 failed. */
static int parse_part(dreader *R, const char *name, const handlers *h, void *ctx)
{
	zip_stat_t st;
	zip_stat_init(&st);
	if (zip_stat(R->z, name, 0, &st) != 0)
		return 0;
	if ((st.valid & ZIP_STAT_SIZE) && st.size > JX__ATEXT_MAX_PART) {
		fail(R, "A05", "%s 解压后超过 64 MiB 上限", name);
		return -1;
	}
	zip_file_t *f = zip_fopen(R->z, name, 0);
	if (!f) {
		fail(R, "A03", "DOCX 文件损坏：无法读取 %s（%s）", name, zip_strerror(R->z));
		return -1;
	}
	XML_Parser p = XML_ParserCreateNS("UTF-8", ' ');
	if (!p) {
		zip_fclose(f);
		oom(R);
		return -1;
	}
	dpart P = {.R = R, .p = p, .name = name, .ctx = ctx};
	XML_SetUserData(p, &P);
	XML_SetElementHandler(p, h->start, h->end);
	XML_SetCharacterDataHandler(p, h->text);
	XML_SetStartDoctypeDeclHandler(p, on_doctype);
	bool ok = feed(&P, f);
	XML_ParserFree(p);
	zip_fclose(f);
	return ok && !R->failed ? 1 : -1;
}

/* ---- numbering.xml ----------------------------------------------------- */

typedef struct nlvl {
	long start;
	char fmt[32];
	const char *text; /* lvlText, NULL if none */
} nlvl;

typedef struct absnum {
	long id;
	size_t seq; /* order in numbering.xml */
	nlvl lvl[NLVL];
	long count[NLVL];
	bool seen[NLVL];
} absnum;

typedef struct numinst {
	long id, abs;
	size_t seq;
	long override[NLVL]; /* startOverride, or -1 */
	bool used;
} numinst;

typedef struct numbering {
	absnum *abs;
	size_t nabs, capabs;
	numinst *num;
	size_t nnum, capnum;
	/* parse state */
	long cur_abs, cur_num;
	int cur_lvl, cur_ovr;
} numbering;

static void num_start_abs(dpart *P, numbering *N, const char **atts)
{
	if (N->nabs >= MAX_NUMS)
		return;
	if (!jx__grow(P->R->t->arena.alloc, (void **)&N->abs, &N->capabs, N->nabs + 1,
	              sizeof(*N->abs))) {
		oom(P->R);
		XML_StopParser(P->p, XML_FALSE);
		return;
	}
	absnum *a = &N->abs[N->nabs];
	memset(a, 0, sizeof(*a));
	a->id = attr_long(atts, "abstractNumId", -1);
	a->seq = N->nabs;
	for (int i = 0; i < NLVL; i++)
		a->lvl[i].start = 1;
	N->cur_abs = (long)N->nabs++;
}

static void num_start_num(dpart *P, numbering *N, const char **atts)
{
	if (N->nnum >= MAX_NUMS)
		return;
	if (!jx__grow(P->R->t->arena.alloc, (void **)&N->num, &N->capnum, N->nnum + 1,
	              sizeof(*N->num))) {
		oom(P->R);
		XML_StopParser(P->p, XML_FALSE);
		return;
	}
	numinst *m = &N->num[N->nnum];
	memset(m, 0, sizeof(*m));
	m->id = attr_long(atts, "numId", -1);
	m->seq = N->nnum;
	m->abs = -1;
	for (int i = 0; i < NLVL; i++)
		m->override[i] = -1;
	N->cur_num = (long)N->nnum++;
}

static int lvl_index(const char **atts)
{
	long l = attr_long(atts, "ilvl", -1);
	return l >= 0 && l < NLVL ? (int)l : -1;
}

/* w:start, w:numFmt, w:lvlText of the level being read. */
static void num_level_prop(dpart *P, numbering *N, const char *n, const char **atts)
{
	nlvl *L = &N->abs[N->cur_abs].lvl[N->cur_lvl];
	const char *v = attr(atts, "val");
	if (!strcmp(n, "start")) {
		L->start = attr_long(atts, "val", 1);
	} else if (!strcmp(n, "numFmt") && v) {
		snprintf(L->fmt, sizeof L->fmt, "%s", v);
	} else if (!strcmp(n, "lvlText") && v) {
		size_t vl = strnlen(v, 256);
		while (vl && vl < strlen(v) && ((unsigned char)v[vl] & 0xC0) == 0x80)
			vl--; /* cut before a whole character */
		L->text = jx__arena_strndup(&P->R->t->arena, v, vl);
		if (!L->text) {
			oom(P->R);
			XML_StopParser(P->p, XML_FALSE);
		}
	}
}

static void XMLCALL num_start(void *ud, const XML_Char *el, const XML_Char **atts)
{
	dpart *P = ud;
	numbering *N = P->ctx;
	const char *n = w_name(el);
	if (!n)
		return;
	if (!strcmp(n, "abstractNum")) {
		num_start_abs(P, N, atts);
	} else if (!strcmp(n, "num")) {
		num_start_num(P, N, atts);
	} else if (!strcmp(n, "lvl") && N->cur_abs >= 0) {
		N->cur_lvl = lvl_index(atts);
	} else if (N->cur_abs >= 0 && N->cur_lvl >= 0) {
		num_level_prop(P, N, n, atts);
	} else if (N->cur_num >= 0 && !strcmp(n, "abstractNumId")) {
		N->num[N->cur_num].abs = attr_long(atts, "val", -1);
	} else if (N->cur_num >= 0 && !strcmp(n, "lvlOverride")) {
		N->cur_ovr = lvl_index(atts);
	} else if (N->cur_num >= 0 && N->cur_ovr >= 0 && !strcmp(n, "startOverride")) {
		N->num[N->cur_num].override[N->cur_ovr] = attr_long(atts, "val", 1);
	}
}

static void XMLCALL num_end(void *ud, const XML_Char *el)
{
	dpart *P = ud;
	numbering *N = P->ctx;
	const char *n = w_name(el);
	if (!n)
		return;
	if (!strcmp(n, "abstractNum"))
		N->cur_abs = -1, N->cur_lvl = -1;
	else if (!strcmp(n, "lvl"))
		N->cur_lvl = -1;
	else if (!strcmp(n, "num"))
		N->cur_num = -1, N->cur_ovr = -1;
	else if (!strcmp(n, "lvlOverride"))
		N->cur_ovr = -1;
}

static void XMLCALL no_text(void *ud, const XML_Char *s, int len)
{
	(void)ud, (void)s, (void)len;
}

/* ---- list labels ------------------------------------------------------- */

static const char *const cn_digit[] = {"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"};

/* 1..99 as 一, 十, 十一, 二十一; larger numbers in decimal. */
static void fmt_chinese(char *out, size_t size, long n)
{
	if (n <= 0 || n > 99)
		snprintf(out, size, "%ld", n);
	else if (n < 10)
		snprintf(out, size, "%s", cn_digit[n]);
	else
		snprintf(out, size, "%s十%s", n >= 20 ? cn_digit[n / 10] : "",
		         n % 10 ? cn_digit[n % 10] : "");
}

static void fmt_letter(char *out, size_t size, long n, char base)
{
	if (n <= 0) {
		snprintf(out, size, "%ld", n);
		return;
	}
	/* Word repeats the letter: AA, BB after Z. */
	size_t reps = (size_t)((n - 1) / 26 + 1), k = 0;
	for (; k < reps && k + 1 < size && k < 8; k++)
		out[k] = (char)(base + (n - 1) % 26);
	out[k] = '\0';
}

static void fmt_roman(char *out, size_t size, long n, bool upper)
{
	static const struct {
		long v;
		const char *s;
	} R[] = {{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"},
	         {90, "xc"},  {50, "l"},   {40, "xl"}, {10, "x"},   {9, "ix"},
	         {5, "v"},    {4, "iv"},   {1, "i"}};
	if (n <= 0 || n >= 4000) {
		snprintf(out, size, "%ld", n);
		return;
	}
	size_t o = 0;
	for (size_t i = 0; i < sizeof R / sizeof R[0]; i++)
		for (; n >= R[i].v; n -= R[i].v)
			for (const char *c = R[i].s; *c && o + 1 < size; c++)
				out[o++] = upper ? (char)(*c - 'a' + 'A') : *c;
	out[o] = '\0';
}

/* One counter in a level's format; false for formats we do not render. */
static bool fmt_counter(char *out, size_t size, const char *fmt, long n)
{
	static const char *const tiangan[] = {"甲", "乙", "丙", "丁", "戊",
	                                      "己", "庚", "辛", "壬", "癸"};
	if (!*fmt || !strcmp(fmt, "decimal") || !strcmp(fmt, "decimalFullWidth") ||
	    !strcmp(fmt, "decimalHalfWidth"))
		snprintf(out, size, "%ld", n);
	else if (!strcmp(fmt, "decimalZero"))
		snprintf(out, size, "%02ld", n);
	else if (!strncmp(fmt, "chineseCounting", 15) || !strcmp(fmt, "japaneseCounting") ||
	         !strcmp(fmt, "ideographDigital") || !strcmp(fmt, "taiwaneseCounting"))
		fmt_chinese(out, size, n);
	else if (!strcmp(fmt, "upperLetter") || !strcmp(fmt, "lowerLetter"))
		fmt_letter(out, size, n, fmt[0] == 'u' ? 'A' : 'a');
	else if (!strcmp(fmt, "upperRoman") || !strcmp(fmt, "lowerRoman"))
		fmt_roman(out, size, n, fmt[0] == 'u');
	else if (!strncmp(fmt, "decimalEnclosedCircle", 21) && n >= 1 && n <= 20)
		snprintf(out, size, "%c%c%c", 0xE2, 0x91, (char)(0xA0 + n - 1));
	else if (!strcmp(fmt, "ideographTraditional") && n >= 1 && n <= 10)
		snprintf(out, size, "%s", tiangan[n - 1]);
	else
		return false;
	return true;
}

/* Both lists are sorted by id (then by order in the file: the first of
 * equal ids wins) once read, so each paragraph costs a binary search. */
static int cmp_abs(const void *a, const void *b)
{
	const absnum *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id ? 1 : x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int cmp_num(const void *a, const void *b)
{
	const numinst *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id ? 1 : x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void sort_numbering(numbering *N)
{
	if (N->nabs > 1)
		qsort(N->abs, N->nabs, sizeof(*N->abs), cmp_abs);
	if (N->nnum > 1)
		qsort(N->num, N->nnum, sizeof(*N->num), cmp_num);
}

static absnum *find_abs(numbering *N, long id)
{
	size_t lo = 0, hi = N->nabs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (N->abs[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < N->nabs && N->abs[lo].id == id ? &N->abs[lo] : NULL;
}

static numinst *find_num(numbering *N, long id)
{
	size_t lo = 0, hi = N->nnum;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (N->num[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < N->nnum && N->num[lo].id == id ? &N->num[lo] : NULL;
}

/* Advances the counters of (num, ilvl) as Word does: this level counts on,
 * deeper levels restart, unseen shallower levels stand at their start. */
static absnum *count(numbering *N, long num_id, int ilvl)
{
	numinst *m = find_num(N, num_id);
	absnum *a = m ? find_abs(N, m->abs) : NULL;
	if (!a)
		return NULL;
	if (!m->used) {
		m->used = true;
		for (int l = 0; l < NLVL; l++)
			if (m->override[l] >= 0)
				a->seen[l] = false;
	}
	for (int l = 0; l <= ilvl; l++) {
		long start = m->override[l] >= 0 ? m->override[l] : a->lvl[l].start;
		if (!a->seen[l])
			a->count[l] = start;
		else if (l == ilvl && a->count[l] < 1000000)
			a->count[l]++;
		a->seen[l] = true;
	}
	for (int l = ilvl + 1; l < NLVL; l++)
		a->seen[l] = false;
	return a;
}

/* The label of a numbered paragraph: lvlText with %1..%9 replaced. */
static void make_label(numbering *N, long num_id, int ilvl, char *out, size_t size)
{
	absnum *a = N ? count(N, num_id, ilvl) : NULL;
	const nlvl *L = a ? &a->lvl[ilvl] : NULL;
	snprintf(out, size, "•");
	if (!L || !L->text || !strcmp(L->fmt, "bullet") || !strcmp(L->fmt, "none"))
		return;
	char buf[128];
	size_t o = 0;
	for (const char *p = L->text; *p; p++) {
		char part[48];
		if (p[0] == '%' && p[1] >= '1' && p[1] <= '9') {
			int l = p[1] - '1';
			if (!fmt_counter(part, sizeof part, a->lvl[l].fmt, a->count[l]))
				return;
			p++;
		} else {
			/* a whole UTF-8 character, so a full buffer never cuts one */
			size_t cl = 1;
			while (cl < 4 && ((unsigned char)p[cl] & 0xC0) == 0x80)
				cl++;
			memcpy(part, p, cl);
			part[cl] = '\0';
			p += cl - 1;
		}
		size_t pl = strlen(part);
		if (o + pl >= sizeof buf)
			break;
		memcpy(buf + o, part, pl);
		o += pl;
	}
	buf[o] = '\0';
	if (o)
		snprintf(out, size, "%s", buf);
}

/* ---- document.xml ----------------------------------------------------- */

typedef struct dstate {
	dreader *R;
	numbering *num;
	jx__buf para, cell;
	const char **cells;
	size_t *lens;
	size_t ncells, capcells, caplens;
	int skip, p_depth, tbl_depth, r_depth, ppr_depth;
	bool in_t, vmerge;
	long span; /* gridSpan of the current cell */
	long num_id;
	int ilvl;
	bool has_num;
	unsigned ordinal, row_line;
	int table, row;
} dstate;

static bool skipped(const char *el, const char *n)
{
	if (!n) {
		const char *sp = strrchr(el, ' ');
		return sp && !strcmp(sp + 1, "Fallback") && !strncmp(el, MC_NS, sizeof MC_NS - 1);
	}
	size_t l = strlen(n);
	return !strcmp(n, "del") || !strcmp(n, "moveFrom") || !strcmp(n, "txbxContent") ||
	       (l > 6 && !strcmp(n + l - 6, "Change"));
}

static void stop_oom(dpart *P)
{
	oom(P->R);
	XML_StopParser(P->p, XML_FALSE);
}

/* Whether s ends in a wide character ("一、", "（1）"): Word's copy puts
 * no space after such a label, and headings are written so. */
static bool wide_end(const char *s)
{
	size_t len = strlen(s), i = len;
	while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
		i--;
	if (i > 0)
		i--;
	size_t k = i;
	return len && jx__cp_width(jx__utf8_next(s, len, &k)) == 2;
}

/* The finished paragraph's text with its list label. */
static void labelled(dstate *S, jx__buf *out)
{
	jx__buf_init(out, S->R->t->arena.alloc);
	if (S->has_num && S->num_id != 0) {
		char label[160];
		make_label(S->num, S->num_id, S->ilvl, label, sizeof label);
		jx__buf_adds(out, label);
		if (S->para.len && !wide_end(label))
			jx__buf_addc(out, ' ');
	}
	jx__buf_add(out, S->para.data ? S->para.data : "", S->para.len);
}

static bool blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n')
			return false;
	return true;
}

/* A body paragraph: one block per line. */
static void body_para(dpart *P, dstate *S, const char *s, size_t len)
{
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && s[i] != '\n')
			continue;
		if (!jx__atext_para(S->R->t, s + start, i - start, S->ordinal)) {
			stop_oom(P);
			return;
		}
		start = i + 1;
	}
}

static void end_para(dpart *P, dstate *S)
{
	jx__buf text;
	bool empty = blank(S->para.data ? S->para.data : "", S->para.len);
	if (S->tbl_depth == 0)
		S->ordinal++;
	labelled(S, &text);
	if (text.oom) {
		stop_oom(P);
	} else if (!empty && S->tbl_depth == 0) {
		body_para(P, S, text.data, text.len);
	} else if (!empty) {
		if (S->cell.len)
			jx__buf_addc(&S->cell, '\n');
		jx__buf_add(&S->cell, text.data, text.len);
	}
	jx__buf_fini(&text);
}

static void end_cell(dpart *P, dstate *S)
{
	const char *s = S->vmerge ? "" : S->cell.data ? S->cell.data : "";
	size_t len = S->vmerge ? 0 : S->cell.len;
	const jx_allocator *al = S->R->t->arena.alloc;
	if (S->ncells >= JX__ATEXT_MAX_CELLS)
		return;
	char *copy = jx__arena_strndup(&S->R->t->arena, s, len);
	if (S->cell.oom || !copy ||
	    !jx__grow(al, (void **)&S->cells, &S->capcells, S->ncells + 1, sizeof(char *)) ||
	    !jx__grow(al, (void **)&S->lens, &S->caplens, S->ncells + 1, sizeof(size_t))) {
		stop_oom(P);
		return;
	}
	S->cells[S->ncells] = copy;
	S->lens[S->ncells++] = len;
	for (long k = 1; k < S->span && S->ncells < JX__ATEXT_MAX_CELLS; k++) {
		if (!jx__grow(al, (void **)&S->cells, &S->capcells, S->ncells + 1,
		              sizeof(char *)) ||
		    !jx__grow(al, (void **)&S->lens, &S->caplens, S->ncells + 1, sizeof(size_t))) {
			stop_oom(P);
			return;
		}
		S->cells[S->ncells] = "";
		S->lens[S->ncells++] = 0;
	}
}

static void end_row(dpart *P, dstate *S)
{
	if (!jx__atext_row(S->R->t, S->table, S->row, S->cells, S->lens, S->ncells, S->row_line))
		stop_oom(P);
}

static void start_para(dstate *S)
{
	if (S->p_depth++ > 0) {
		/* A paragraph inside a paragraph (malformed, or a frame): a line. */
		jx__buf_addc(&S->para, '\n');
		return;
	}
	S->para.len = 0;
	S->has_num = false;
	S->num_id = 0;
	S->ilvl = 0;
}

static void start_table_part(dstate *S, const char *n)
{
	if (!strcmp(n, "tbl")) {
		if (S->tbl_depth++ == 0) {
			S->table = (int)S->R->t->ntables++;
			S->row = -1;
		}
	} else if (S->tbl_depth != 1 || S->p_depth) {
		return;
	} else if (!strcmp(n, "tr")) {
		S->row++;
		S->row_line = ++S->ordinal;
		S->ncells = 0;
	} else if (!strcmp(n, "tc")) {
		S->cell.len = 0;
		S->vmerge = false;
		S->span = 1;
	}
}

static void start_run_part(dstate *S, const char *n, const char **atts)
{
	if (!strcmp(n, "t")) {
		S->in_t = S->p_depth > 0;
	} else if (!strcmp(n, "r")) {
		S->r_depth++;
	} else if (!S->r_depth || !S->p_depth) {
		return;
	} else if (!strcmp(n, "tab")) {
		jx__buf_addc(&S->para, '\t');
	} else if (!strcmp(n, "br") || !strcmp(n, "cr")) {
		jx__buf_addc(&S->para, '\n');
	} else if (!strcmp(n, "noBreakHyphen")) {
		jx__buf_addc(&S->para, '-');
	}
	(void)atts;
}

static void start_props(dstate *S, const char *n, const char **atts)
{
	if (!strcmp(n, "pPr")) {
		S->ppr_depth++;
	} else if (S->ppr_depth && S->p_depth == 1 && !strcmp(n, "ilvl")) {
		long l = attr_long(atts, "val", 0);
		S->ilvl = l >= 0 && l < NLVL ? (int)l : 0;
		S->has_num = true;
	} else if (S->ppr_depth && S->p_depth == 1 && !strcmp(n, "numId")) {
		S->num_id = attr_long(atts, "val", 0);
		S->has_num = true;
	} else if (S->tbl_depth == 1 && !S->p_depth && !strcmp(n, "gridSpan")) {
		long v = attr_long(atts, "val", 1);
		S->span = v > 1 && v <= 64 ? v : 1;
	} else if (S->tbl_depth == 1 && !S->p_depth && !strcmp(n, "vMerge")) {
		const char *v = attr(atts, "val");
		S->vmerge = !v || strcmp(v, "restart");
	}
}

static void XMLCALL doc_start(void *ud, const XML_Char *el, const XML_Char **atts)
{
	dpart *P = ud;
	dstate *S = P->ctx;
	const char *n = w_name(el);
	if (S->skip || skipped(el, n)) {
		S->skip += skipped(el, n);
		return;
	}
	if (!n)
		return;
	if (!strcmp(n, "p"))
		start_para(S);
	start_table_part(S, n);
	start_run_part(S, n, atts);
	start_props(S, n, atts);
}

static void XMLCALL doc_end(void *ud, const XML_Char *el)
{
	dpart *P = ud;
	dstate *S = P->ctx;
	const char *n = w_name(el);
	if (S->skip) {
		S->skip -= skipped(el, n);
		return;
	}
	if (!n)
		return;
	if (!strcmp(n, "t")) {
		S->in_t = false;
	} else if (!strcmp(n, "r") && S->r_depth) {
		S->r_depth--;
	} else if (!strcmp(n, "pPr") && S->ppr_depth) {
		S->ppr_depth--;
	} else if (!strcmp(n, "p") && S->p_depth && --S->p_depth == 0) {
		end_para(P, S);
	} else if (!strcmp(n, "tc") && S->tbl_depth == 1 && !S->p_depth) {
		end_cell(P, S);
	} else if (!strcmp(n, "tr") && S->tbl_depth == 1 && !S->p_depth && S->row >= 0) {
		end_row(P, S);
	} else if (!strcmp(n, "tbl") && S->tbl_depth) {
		S->tbl_depth--;
	}
	if (S->para.oom || S->cell.oom)
		stop_oom(P);
}

static void XMLCALL doc_text(void *ud, const XML_Char *s, int len)
{
	dpart *P = ud;
	dstate *S = P->ctx;
	if (S->in_t && !S->skip && len > 0)
		jx__buf_add(&S->para, s, (size_t)len);
}

/* ---- the reader ------------------------------------------------------- */

static bool read_numbering(dreader *R, numbering *N)
{
	static const handlers h = {num_start, num_end, no_text};
	memset(N, 0, sizeof(*N));
	N->cur_abs = N->cur_num = -1;
	N->cur_lvl = N->cur_ovr = -1;
	if (parse_part(R, "word/numbering.xml", &h, N) < 0)
		return false;
	sort_numbering(N);
	return true;
}

static void read_document(dreader *R)
{
	static const handlers h = {doc_start, doc_end, doc_text};
	const jx_allocator *al = R->t->arena.alloc;
	numbering N;
	dstate S;
	memset(&S, 0, sizeof S);
	S.R = R;
	S.num = &N;
	jx__buf_init(&S.para, al);
	jx__buf_init(&S.cell, al);
	if (read_numbering(R, &N) && parse_part(R, "word/document.xml", &h, &S) == 0)
		fail(R, "A04", "DOCX 中缺少 word/document.xml（不是 Word 文档？）");
	jx__buf_fini(&S.para);
	jx__buf_fini(&S.cell);
	jx__free(al, S.cells);
	jx__free(al, S.lens);
	jx__free(al, N.abs);
	jx__free(al, N.num);
}

static zip_t *open_zip(dreader *R, const char *buf, size_t len)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(buf, len, 0, &ze);
	zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
	if (!z) {
		int err = zip_error_code_zip(&ze);
		if (src)
			zip_source_free(src);
		if (err == ZIP_ER_MEMORY)
			fail(R, "Y00", "内存不足");
		else if (err == ZIP_ER_NOZIP || err == ZIP_ER_OPEN || err == ZIP_ER_READ)
			fail(R, "A03", "不是 DOCX 文档（不是 zip 文件）");
		else
			fail(R, "A03", "DOCX 文件损坏（zip：%s）", zip_error_strerror(&ze));
	}
	zip_error_fini(&ze);
	return z;
}

jx__atext *jx__atext_from_docx(const char *file, const char *buf, size_t len,
                               const jx_allocator *alloc, jx_diags *diags)
{
	jx__atext *t = jx__atext_new(file, alloc);
	if (!t) {
		jx__loc l = {file, 0, 0};
		jx__diag_fatal(diags, "Y00", l, NULL, "内存不足");
		return NULL;
	}
	dreader R = {.t = t, .diags = diags};
	R.z = open_zip(&R, buf ? buf : "", buf ? len : 0);
	if (R.z) {
		read_document(&R);
		zip_discard(R.z);
	}
	if (!R.failed && !t->n)
		fail(&R, "A07", "文档是空的：没有可读的文字");
	if (R.failed) {
		jx__atext_free(t);
		return NULL;
	}
	return t;
}
