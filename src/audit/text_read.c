/* The text reader of `jixiao audit`: the bytes of a published report as
 * plain text (copied off a website, or pdftotext output) → jx__atext.
 *
 * Decoding: UTF-8 (BOM or not), UTF-16 with a BOM (or, without one, when
 * the zero bytes give it away), else GB18030 through iconv.  Invalid bytes
 * become U+FFFD, control characters other than tab become spaces.
 *
 * Tables come in four layouts, tried at each line in this order:
 *   2. one row per line, cells separated by tabs (2+ consecutive lines
 *      with a tab between text);
 *   1. Word's copy of a table (the seed): a row is a group of lines
 *      between blank lines, each cell a line starting with a tab, a line
 *      without one continuing the cell before it;
 *   3. cells separated by "|" (markdown-like; |---| rows skipped);
 *   4. cells separated by runs of 2+ spaces (text pulled from a PDF): an
 *      optional header line of short cells, then 1+ lines each holding a
 *      number (or a dash for none) in a cell of its own.
 * Everything else is one paragraph block per line. */
#include "text.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

/* ---- the model -------------------------------------------------------- */

jx__atext *jx__atext_new(const char *file, const jx_allocator *alloc)
{
	if (!alloc)
		alloc = jx_allocator_default();
	jx__atext *t = jx__alloc(alloc, sizeof(*t));
	if (!t)
		return NULL;
	memset(t, 0, sizeof(*t));
	jx__arena_init(&t->arena, alloc, 65536);
	t->file = jx__arena_strdup(&t->arena, file ? file : "");
	if (!t->file) {
		jx__atext_free(t);
		return NULL;
	}
	return t;
}

void jx__atext_free(jx__atext *t)
{
	if (!t)
		return;
	const jx_allocator *alloc = t->arena.alloc;
	jx__free(alloc, t->blocks);
	jx__arena_fini(&t->arena);
	jx__free(alloc, t);
}

static jx__ablock *push_block(jx__atext *t)
{
	if (t->n >= JX__ATEXT_MAX_BLOCKS) {
		t->overflow = true;
		return NULL;
	}
	if (!jx__grow(t->arena.alloc, (void **)&t->blocks, &t->cap, t->n + 1, sizeof(*t->blocks)))
		return NULL;
	jx__ablock *b = &t->blocks[t->n++];
	memset(b, 0, sizeof(*b));
	return b;
}

bool jx__atext_para(jx__atext *t, const char *raw, size_t len, unsigned line)
{
	char *text = jx__anorm(&t->arena, raw, len);
	if (!text)
		return false;
	if (!*text)
		return true;
	jx__ablock *b = push_block(t);
	if (!b)
		return false;
	b->text = text;
	b->raw = jx__arena_strndup(&t->arena, raw, len);
	b->line = line;
	b->table = b->row = -1;
	return b->raw != NULL;
}

/* Joins n strings with sep into the arena. */
static char *join(jx__arena *a, const char *const *s, const size_t *lens, size_t n, const char *sep)
{
	size_t total = 1, seplen = strlen(sep);
	for (size_t i = 0; i < n; i++) {
		size_t l = lens ? lens[i] : strlen(s[i]);
		if (total > SIZE_MAX - l - seplen)
			return NULL;
		total += l + seplen;
	}
	char *out = jx__arena_alloc(a, total), *p = out;
	for (size_t i = 0; out && i < n; i++) {
		size_t l = lens ? lens[i] : strlen(s[i]);
		if (i) {
			memcpy(p, sep, seplen);
			p += seplen;
		}
		memcpy(p, s[i], l);
		p += l;
	}
	return out;
}

bool jx__atext_row(jx__atext *t, int table, int row, const char *const *cells, const size_t *lens,
                   size_t n, unsigned line)
{
	return jx__atext_row_lines(t, table, row, cells, lens, n, line, NULL);
}

bool jx__atext_row_lines(jx__atext *t, int table, int row, const char *const *cells,
                         const size_t *lens, size_t n, unsigned line, const unsigned *lines)
{
	if (n > SIZE_MAX / sizeof(char *))
		return false;
	const char **norm = jx__arena_alloc(&t->arena, (n ? n : 1) * sizeof(char *));
	if (!norm)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(norm[i] = jx__anorm(&t->arena, cells[i], lens[i])))
			return false;
	jx__ablock *b = push_block(t);
	if (!b)
		return false;
	b->text = join(&t->arena, norm, NULL, n, " | ");
	b->raw = join(&t->arena, cells, lens, n, "\t");
	b->line = line;
	b->table = table;
	b->row = row;
	b->ncells = n;
	b->cells = norm;
	if (lines && n) {
		unsigned *copy = jx__arena_alloc(&t->arena, n * sizeof(unsigned));
		if (!copy)
			return false;
		memcpy(copy, lines, n * sizeof(unsigned));
		b->cell_lines = copy;
	}
	return b->text && b->raw;
}

/* ---- normalisation ---------------------------------------------------- */

static size_t put_utf8(char *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	} else if (cp < 0x800) {
		o[0] = (char)(0xC0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	} else if (cp < 0x10000) {
		o[0] = (char)(0xE0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

static bool is_space_cp(uint32_t cp)
{
	return (cp < 0x20 && cp != '\n') || cp == ' ' || (cp >= 0x7F && cp <= 0xA0) ||
	       cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x205F;
}

/* Full-width digits, Latin letters and the signs of numbers (． ％ ＋ －)
 * fold to ASCII; the rest of U+FF01–FF5E (（）、，：；！？…) is the normal
 * punctuation of Chinese text and headings such as （一） depend on it. */
static uint32_t fold_cp(uint32_t cp)
{
	if ((cp >= 0xFF10 && cp <= 0xFF19) || (cp >= 0xFF21 && cp <= 0xFF3A) ||
	    (cp >= 0xFF41 && cp <= 0xFF5A) || cp == 0xFF05 || cp == 0xFF0B || cp == 0xFF0D ||
	    cp == 0xFF0E)
		return cp - 0xFEE0;
	return cp;
}

char *jx__anorm(jx__arena *a, const char *s, size_t len)
{
	/* An invalid byte grows to a 3-byte U+FFFD; nothing else grows. */
	if (len > (SIZE_MAX - 1) / 3)
		return NULL;
	char *out = jx__arena_alloc(a, len * 3 + 1);
	if (!out)
		return NULL;
	size_t o = 0, i = 0;
	bool space = false;
	while (i < len) {
		uint32_t cp = jx__utf8_next(s, len, &i);
		if (cp == '\n') {
			/* Spaces around a kept line break go; so do empty lines. */
			if (o && out[o - 1] != '\n')
				out[o++] = '\n';
			space = false;
		} else if (is_space_cp(cp)) {
			space = o && out[o - 1] != '\n';
		} else if (cp != 0xFEFF) {
			if (space)
				out[o++] = ' ';
			space = false;
			o += put_utf8(out + o, fold_cp(cp));
		}
	}
	while (o && out[o - 1] == '\n')
		o--;
	out[o] = '\0';
	return out;
}

static bool is_wide(uint32_t cp)
{
	return cp != 0x3000 && jx__cp_width(cp) == 2;
}

char *jx__anorm_squeeze(jx__arena *a, const char *s)
{
	size_t len = strlen(s);
	if (len > (SIZE_MAX - 1) / 3)
		return NULL;
	char *out = jx__arena_alloc(a, len * 3 + 1);
	if (!out)
		return NULL;
	size_t o = 0, i = 0, gap = 0;
	uint32_t prev = 0;
	while (i < len) {
		uint32_t cp = jx__utf8_next(s, len, &i);
		if (cp == ' ') {
			gap++;
			continue;
		}
		/* Spaces stay unless both neighbours are wide characters. */
		if (gap && !(is_wide(prev) && is_wide(cp)))
			while (gap) {
				out[o++] = ' ';
				gap--;
			}
		gap = 0;
		o += put_utf8(out + o, cp);
		prev = cp;
	}
	while (gap--)
		out[o++] = ' ';
	out[o] = '\0';
	return out;
}

/* ---- decoding --------------------------------------------------------- */

static void add_cp(jx__buf *b, uint32_t cp)
{
	char tmp[4];
	jx__buf_add(b, tmp, put_utf8(tmp, cp));
}

static void from_utf16(const unsigned char *s, size_t len, bool be, jx__buf *out)
{
	size_t i = 0;
	while (i + 1 < len) {
		uint32_t u =
		        be ? (uint32_t)(s[i] << 8 | s[i + 1]) : (uint32_t)(s[i + 1] << 8 | s[i]);
		i += 2;
		if (u >= 0xD800 && u <= 0xDBFF && i + 1 < len) {
			uint32_t v = be ? (uint32_t)(s[i] << 8 | s[i + 1])
			                : (uint32_t)(s[i + 1] << 8 | s[i]);
			if (v >= 0xDC00 && v <= 0xDFFF) {
				u = 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00);
				i += 2;
			}
		}
		add_cp(out, u >= 0xD800 && u <= 0xDFFF ? 0xFFFD : u);
	}
	if (i < len)
		add_cp(out, 0xFFFD);
}

/* GB18030 (a superset of GBK and GB2312) → UTF-8; each byte iconv refuses
 * becomes U+FFFD.  False if this iconv has no GB18030. */
static bool from_gb18030(const char *s, size_t len, jx__buf *out)
{
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	if (cd == (iconv_t)-1)
		return false;
	char *in = (char *)s;
	size_t left = len;
	char tmp[8192];
	while (left > 0 && !out->oom) {
		char *o = tmp;
		size_t room = sizeof tmp;
		size_t r = iconv(cd, &in, &left, &o, &room);
		jx__buf_add(out, tmp, sizeof tmp - room);
		if (r == (size_t)-1 && errno != E2BIG) {
			add_cp(out, 0xFFFD);
			in++;
			left--;
			iconv(cd, NULL, NULL, NULL, NULL);
		}
	}
	iconv_close(cd);
	return true;
}

/* UTF-8 when there are no invalid sequences, or far fewer than valid
 * multibyte ones (a stray byte in a UTF-8 file); GBK text read as UTF-8
 * is nearly all invalid. */
static bool looks_utf8(const char *s, size_t len)
{
	size_t i = 0, bad = 0, multi = 0;
	while (i < len) {
		size_t start = i;
		uint32_t cp = jx__utf8_next(s, len, &i);
		if (cp == 0xFFFD && i - start != 3)
			bad++;
		else if (i - start > 1)
			multi++;
	}
	return bad == 0 || bad * 50 < multi;
}

/* UTF-16 without a BOM: ASCII-heavy text has a zero in every other byte. */
static int utf16_guess(const unsigned char *s, size_t len)
{
	size_t n = len < 4096 ? len : 4096, z[2] = {0, 0};
	if (n < 4 || len % 2)
		return 0;
	for (size_t i = 0; i < n; i++)
		z[i % 2] += s[i] == 0;
	if (z[1] * 10 > n * 4 && z[0] * 20 < n)
		return 1; /* little-endian */
	if (z[0] * 10 > n * 4 && z[1] * 20 < n)
		return 2;
	return 0;
}

/* Copies UTF-8 with invalid sequences → U+FFFD, controls (but tab and
 * line ends) → space, stray BOMs dropped. */
static void clean_utf8(const char *s, size_t len, jx__buf *out)
{
	size_t i = 0;
	while (i < len && !out->oom) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			bool ctl = (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F;
			jx__buf_addc(out, ctl ? ' ' : (char)c);
			i++;
			continue;
		}
		size_t start = i;
		uint32_t cp = jx__utf8_next(s, len, &i);
		if (cp == 0xFEFF)
			continue;
		if (cp == 0xFFFD || (cp >= 0x80 && cp <= 0x9F))
			add_cp(out, cp == 0xFFFD ? 0xFFFD : ' ');
		else
			jx__buf_add(out, s + start, i - start);
	}
}

static void fatal(jx_diags *d, const char *file, const char *id, const char *msg)
{
	jx__loc l = {file, 0, 0};
	jx__diag_fatal(d, id, l, NULL, "%s", msg);
}

/* Decodes buf into clean UTF-8 in out; false (with a diagnostic) if not. */
static bool decode(const char *file, const char *buf, size_t len, jx__buf *out, jx_diags *d)
{
	const unsigned char *u = (const unsigned char *)buf;
	if (len >= 5 && !memcmp(buf, "%PDF-", 5)) {
		fatal(d, file, "A01", "这是 PDF 文件，不是文本：请先用 pdftotext 提取文本");
		return false;
	}
	if (len >= 4 && !memcmp(buf, "PK\x03\x04", 4)) {
		fatal(d, file, "A01", "这是 zip（DOCX）文件，不是文本：请按 DOCX 读取");
		return false;
	}
	jx__buf tmp;
	jx__buf_init(&tmp, out->alloc);
	int g = utf16_guess(u, len);
	if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
		from_utf16(u + 2, len - 2, u[0] == 0xFE, &tmp);
	} else if (g) {
		from_utf16(u, len, g == 2, &tmp);
	} else if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) {
		jx__buf_add(&tmp, buf + 3, len - 3);
	} else if (looks_utf8(buf, len)) {
		jx__buf_add(&tmp, buf, len);
	} else if (!from_gb18030(buf, len, &tmp)) {
		jx__buf_fini(&tmp);
		fatal(d, file, "A01", "无法识别文件编码（不是 UTF-8，本机 iconv 不支持 GB18030）");
		return false;
	}
	clean_utf8(tmp.data ? tmp.data : "", tmp.len, out);
	bool oom = tmp.oom || out->oom;
	jx__buf_fini(&tmp);
	if (oom)
		fatal(d, file, "Y00", "内存不足");
	return !oom;
}

/* ---- lines ------------------------------------------------------------ */

typedef struct tline {
	const char *s;
	size_t len;
} tline;

static tline *split_lines(const jx_allocator *al, const char *s, size_t len, size_t *n)
{
	size_t cap = 1;
	for (size_t i = 0; i < len; i++)
		cap += s[i] == '\n' || (s[i] == '\r' && (i + 1 == len || s[i + 1] != '\n'));
	tline *L = jx__alloc(al, cap * sizeof(*L));
	if (!L)
		return NULL;
	size_t k = 0, start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && s[i] != '\n' && s[i] != '\r')
			continue;
		L[k].s = s + start;
		L[k++].len = i - start;
		if (i + 1 < len && s[i] == '\r' && s[i + 1] == '\n')
			i++;
		start = i + 1;
	}
	/* A final line end does not open one more (empty) line. */
	if (k > 1 && L[k - 1].len == 0)
		k--;
	*n = k;
	return L;
}

/* Width of the whitespace at s[i] (0 if none): space, NBSP 1, U+3000 and
 * tab 2 (a tab separates PDF columns as surely as two spaces). */
static size_t ws_at(const char *s, size_t len, size_t i, size_t *bytes)
{
	unsigned char c = (unsigned char)s[i];
	*bytes = 1;
	if (c == ' ')
		return 1;
	if (c == '\t')
		return 2;
	if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0xA0) {
		*bytes = 2;
		return 1;
	}
	if (c == 0xE3 && i + 2 < len && !memcmp(s + i, "\xE3\x80\x80", 3)) {
		*bytes = 3;
		return 2;
	}
	return 0;
}

static void trim_ws(const char **s, size_t *len)
{
	size_t b;
	while (*len && ws_at(*s, *len, 0, &b)) {
		*s += b;
		*len -= b;
	}
	while (*len) {
		if ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t')
			(*len)--;
		else if (*len >= 2 && !memcmp(*s + *len - 2, "\xC2\xA0", 2))
			*len -= 2;
		else if (*len >= 3 && !memcmp(*s + *len - 3, "\xE3\x80\x80", 3))
			*len -= 3;
		else
			break;
	}
}

static bool is_blank(const tline *l)
{
	const char *s = l->s;
	size_t len = l->len;
	if (memchr(s, '\t', len))
		return false; /* "\t" alone is an empty cell of layout 1 */
	trim_ws(&s, &len);
	return len == 0;
}

/* A tab with text on both sides (layout 2), not just leading or trailing. */
static bool interior_tab(const tline *l)
{
	const char *s = l->s;
	size_t len = l->len;
	trim_ws(&s, &len);
	return memchr(s, '\t', len) != NULL;
}

/* ---- rows under construction ----------------------------------------- */

typedef struct rowb {
	jx__buf text;
	size_t *off;
	size_t n, cap;
	unsigned *lines; /* per cell, when a row spans lines */
	size_t lcap;
	unsigned at; /* the line of the next cell; 0 when not tracked */
	bool oom;
} rowb;

static void rb_init(rowb *r, const jx_allocator *al)
{
	memset(r, 0, sizeof(*r));
	jx__buf_init(&r->text, al);
}

static void rb_fini(rowb *r)
{
	jx__free(r->text.alloc, r->lines);
	jx__free(r->text.alloc, r->off);
	jx__buf_fini(&r->text);
}

static void rb_cell(rowb *r, const char *s, size_t len)
{
	if (r->n >= JX__ATEXT_MAX_CELLS) {
		jx__buf_addc(&r->text, ' ');
		jx__buf_add(&r->text, s, len);
		return;
	}
	if (!jx__grow(r->text.alloc, (void **)&r->off, &r->cap, r->n + 1, sizeof(size_t))) {
		r->oom = true;
		return;
	}
	if (r->at) {
		if (!jx__grow(r->text.alloc, (void **)&r->lines, &r->lcap, r->n + 1,
		              sizeof(unsigned))) {
			r->oom = true;
			return;
		}
		r->lines[r->n] = r->at;
	}
	r->off[r->n++] = r->text.len;
	jx__buf_add(&r->text, s, len);
}

/* A line without a leading tab continues the cell before it. */
static void rb_more(rowb *r, const char *s, size_t len)
{
	jx__buf_addc(&r->text, '\n');
	jx__buf_add(&r->text, s, len);
}

typedef struct treader {
	jx__atext *t;
	const tline *L;
	size_t n;
	int open1; /* the layout-1 table the next layout-1 row continues, or -1 */
	int row1;
	bool oom;
} treader;

static void rb_emit(treader *R, rowb *r, int table, int row, unsigned line)
{
	const jx_allocator *al = r->text.alloc;
	size_t n = r->n;
	const char **cells = n ? jx__alloc(al, n * sizeof(char *)) : NULL;
	size_t *lens = n ? jx__alloc(al, n * sizeof(size_t)) : NULL;
	if (r->oom || r->text.oom || (n && (!cells || !lens))) {
		R->oom = true;
	} else {
		for (size_t i = 0; i < n; i++) {
			cells[i] = r->text.data + r->off[i];
			lens[i] = (i + 1 < n ? r->off[i + 1] : r->text.len) - r->off[i];
		}
		if (!jx__atext_row_lines(R->t, table, row, cells, lens, n, line,
		                         r->at ? r->lines : NULL))
			R->oom = true;
	}
	jx__free(al, cells);
	jx__free(al, lens);
	r->n = 0;
	r->text.len = 0;
}

static void para(treader *R, size_t i)
{
	R->open1 = -1;
	if (!jx__atext_para(R->t, R->L[i].s, R->L[i].len, (unsigned)(i + 1)))
		R->oom = true;
}

static int new_table(treader *R)
{
	R->open1 = -1;
	return (int)R->t->ntables++;
}

/* ---- layout 2: tab-separated lines ----------------------------------- */

static void split_on(rowb *r, const char *s, size_t len, char sep)
{
	size_t start = 0;
	for (size_t i = 0; i <= len; i++)
		if (i == len || s[i] == sep) {
			rb_cell(r, s + start, i - start);
			start = i + 1;
		}
}

static size_t layout_tabs(treader *R, size_t i)
{
	if (i + 1 >= R->n || !interior_tab(&R->L[i]) || !interior_tab(&R->L[i + 1]))
		return 0;
	int table = new_table(R), row = 0;
	rowb r;
	rb_init(&r, R->t->arena.alloc);
	size_t j = i;
	for (; j < R->n && interior_tab(&R->L[j]); j++) {
		split_on(&r, R->L[j].s, R->L[j].len, '\t');
		rb_emit(R, &r, table, row++, (unsigned)(j + 1));
	}
	rb_fini(&r);
	return j - i;
}

/* ---- layout 1: Word's copy, a cell per tab-led line ------------------ */

/* Tab-indented prose (every tab line a long sentence) is not a table. */
static bool prose_group(const tline *L, size_t i, size_t j)
{
	for (size_t k = i; k < j; k++) {
		if (L[k].s[0] != '\t')
			continue;
		const char *s = L[k].s;
		size_t len = L[k].len;
		trim_ws(&s, &len);
		if (len < 60 || len < 3 || memcmp(s + len - 3, "。", 3))
			return false;
	}
	return true;
}

static size_t layout_word(treader *R, size_t i)
{
	if (R->L[i].len == 0 || R->L[i].s[0] != '\t')
		return 0;
	size_t j = i, ntab = 0;
	for (; j < R->n && !is_blank(&R->L[j]); j++)
		ntab += R->L[j].s[0] == '\t';
	if (ntab < 2)
		return 0;
	if (prose_group(R->L, i, j)) {
		/* All of it at once: line by line would rescan the group. */
		for (size_t k = i; k < j; k++)
			para(R, k);
		return j - i;
	}
	int table = R->open1 >= 0 ? R->open1 : new_table(R);
	int row = R->open1 >= 0 ? R->row1 + 1 : 0;
	rowb r;
	rb_init(&r, R->t->arena.alloc);
	for (size_t k = i; k < j; k++) {
		r.at = (unsigned)(k + 1);
		if (R->L[k].s[0] == '\t')
			rb_cell(&r, R->L[k].s + 1, R->L[k].len - 1);
		else
			rb_more(&r, R->L[k].s, R->L[k].len);
	}
	rb_emit(R, &r, table, row, (unsigned)(i + 1));
	rb_fini(&r);
	R->open1 = table;
	R->row1 = row;
	return j - i;
}

/* ---- layout 3: pipes ------------------------------------------------- */

/* The line without its outer pipes, if it has 2+ cells. */
/* framed: the table's rows are framed ("| a | b |"), so a leading pipe is
 * the frame even where a cut line lost its trailing one. */
static bool pipe_row(const tline *l, const char **s, size_t *len, bool framed)
{
	*s = l->s;
	*len = l->len;
	trim_ws(s, len);
	if (!memchr(*s, '|', *len))
		return false;
	/* Outer pipes are a frame only when both are there ("| a | b |"); one
	 * alone is an empty first or last cell (" | 2410.00 | …"). */
	bool lead = *len && (*s)[0] == '|', trail = *len >= 2 && (*s)[*len - 1] == '|';
	if (lead && (trail || framed)) {
		(*s)++;
		(*len)--;
	}
	if (trail && (lead || framed))
		(*len)--;
	return *len > 0 && memchr(*s, '|', *len) != NULL;
}

/* |---|:---:| */
static bool pipe_rule(const char *s, size_t len)
{
	bool dash = false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '-')
			dash = true;
		else if (s[i] != '|' && s[i] != ':' && s[i] != ' ' && s[i] != '\t')
			return false;
	}
	return dash;
}

static size_t layout_pipes(treader *R, size_t i)
{
	const char *s;
	size_t len;
	if (!pipe_row(&R->L[i], &s, &len, false))
		return 0;
	const char *t0 = R->L[i].s;
	size_t l0 = R->L[i].len;
	trim_ws(&t0, &l0);
	bool framed = t0[0] == '|' && t0[l0 - 1] == '|' && l0 > 1;
	if (!framed && (i + 1 >= R->n || !pipe_row(&R->L[i + 1], &s, &len, false)))
		return 0;
	int table = -1, row = 0;
	rowb r;
	rb_init(&r, R->t->arena.alloc);
	size_t j = i;
	for (; j < R->n && pipe_row(&R->L[j], &s, &len, framed); j++) {
		if (pipe_rule(s, len))
			continue;
		if (table < 0)
			table = new_table(R);
		split_on(&r, s, len, '|');
		rb_emit(R, &r, table, row++, (unsigned)(j + 1));
	}
	rb_fini(&r);
	return j - i;
}

/* ---- layout 4: columns of spaces ------------------------------------- */

/* Splits at whitespace runs 2+ wide; returns the number of cells. */
static size_t gap_split(const tline *l, rowb *r)
{
	const char *s = l->s;
	size_t len = l->len, n = 0, i = 0;
	trim_ws(&s, &len);
	while (i < len) {
		size_t start = i, end = i, b;
		while (i < len) {
			size_t w = 0, k = i;
			while (k < len) {
				size_t ww = ws_at(s, len, k, &b);
				if (!ww)
					break;
				w += ww;
				k += b;
			}
			if (k == i) {
				i++;
				end = i;
			} else if (w >= 2) {
				i = k;
				break;
			} else {
				i = k;
			}
		}
		if (r)
			rb_cell(r, s + start, end - start);
		n++;
	}
	return n;
}

/* 484.14, -3, 1,234.5, 87.50%, in full width too; or a dash standing for
 * no value (—, －, /). */
static bool numeric_text(const char *s, size_t len)
{
	size_t i = 0, digits = 0, dashes = 0;
	while (i < len) {
		uint32_t cp = fold_cp(jx__utf8_next(s, len, &i));
		if (cp >= '0' && cp <= '9')
			digits++;
		else if (cp == 0x2014 || cp == 0x2013 || cp == 0x2500 || cp == '/' ||
		         (cp == '-' && !digits))
			dashes++;
		else if (cp != '.' && cp != ',' && cp != '%' && cp != '-' && cp != '+')
			return false;
	}
	return digits > 0 || dashes > 0;
}

/* Cells of a line split at wide gaps: how many, whether one is a number,
 * whether all are short enough for a header. */
typedef struct gapinfo {
	size_t n;
	bool numeric, short_cells;
} gapinfo;

static gapinfo gap_info(const tline *l, const jx_allocator *al, bool *oom)
{
	gapinfo g = {0, false, true};
	rowb r;
	rb_init(&r, al);
	gap_split(l, &r);
	g.n = r.n;
	for (size_t k = 0; k < r.n; k++) {
		size_t end = k + 1 < r.n ? r.off[k + 1] : r.text.len;
		g.numeric |= numeric_text(r.text.data + r.off[k], end - r.off[k]);
		g.short_cells &= end - r.off[k] <= 45;
	}
	*oom |= r.oom || r.text.oom;
	rb_fini(&r);
	return g;
}

/* A table: an optional header line of short cells, then lines of 2+ cells
 * each with a number (prose with double spaces rarely has a cell that is
 * just a number). */
static size_t layout_spaces(treader *R, size_t i)
{
	const jx_allocator *al = R->t->arena.alloc;
	if (gap_split(&R->L[i], NULL) < 2)
		return 0;
	gapinfo g = gap_info(&R->L[i], al, &R->oom);
	if (!g.numeric && !g.short_cells)
		return 0;
	size_t j = i + 1;
	for (; j < R->n && gap_split(&R->L[j], NULL) >= 2; j++) {
		g = gap_info(&R->L[j], al, &R->oom);
		if (!g.numeric)
			break;
	}
	if (j - i < 2)
		return 0;
	int table = new_table(R), row = 0;
	rowb r;
	rb_init(&r, al);
	for (size_t k = i; k < j; k++) {
		gap_split(&R->L[k], &r);
		rb_emit(R, &r, table, row++, (unsigned)(k + 1));
	}
	rb_fini(&r);
	return j - i;
}

/* ---- the reader ------------------------------------------------------- */

static void read_lines(treader *R)
{
	size_t i = 0;
	while (i < R->n && !R->oom) {
		if (is_blank(&R->L[i])) {
			i++;
			continue;
		}
		size_t used = layout_tabs(R, i);
		if (!used)
			used = layout_word(R, i);
		if (!used)
			used = layout_pipes(R, i);
		if (!used)
			used = layout_spaces(R, i);
		if (!used) {
			para(R, i);
			used = 1;
		}
		i += used;
	}
}

jx__atext *jx__atext_from_text(const char *file, const char *buf, size_t len,
                               const jx_allocator *alloc, jx_diags *diags)
{
	if (!alloc)
		alloc = jx_allocator_default();
	if (len > JX__ATEXT_MAX_TEXT) {
		fatal(diags, file, "A02", "文本文件超过 16 MiB 上限");
		return NULL;
	}
	jx__atext *t = jx__atext_new(file, alloc);
	jx__buf text;
	jx__buf_init(&text, alloc);
	if (!t) {
		fatal(diags, file, "Y00", "内存不足");
		return NULL;
	}
	if (!decode(t->file, buf ? buf : "", buf ? len : 0, &text, diags)) {
		jx__buf_fini(&text);
		jx__atext_free(t);
		return NULL;
	}
	treader R = {.t = t, .open1 = -1};
	/* A text that stops without a line break may have been cut mid-line. */
	size_t e = text.len;
	while (e && (text.data[e - 1] == ' ' || text.data[e - 1] == '\t'))
		e--;
	t->open_end = e && text.data[e - 1] != '\n' && text.data[e - 1] != '\r';
	tline *L = split_lines(alloc, text.data ? text.data : "", text.len, &R.n);
	R.L = L;
	R.oom = !L;
	read_lines(&R);
	jx__free(alloc, L);
	jx__buf_fini(&text);
	if (R.oom || !t->n) {
		if (t->overflow)
			fatal(diags, t->file, "A02", "文本的段落和表格行过多（上限 2097152）");
		else if (R.oom)
			fatal(diags, t->file, "Y00", "内存不足");
		else
			fatal(diags, t->file, "A07", "文档是空的：没有可读的文字");
		jx__atext_free(t);
		return NULL;
	}
	return t;
}
