/* Loading one unit's data file against its scheme.  Values are checked
 * for type and form (amounts, percentages, enums), kept exactly as the
 * unit states them, with their positions for findings.  Every problem is
 * reported; loading fails if there was any. */
#include "doc.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Like a compiler, stop after this many load errors in one file: past it
 * the file is not what it was meant to be, and listing more helps no one. */
#define MAX_LOAD_ERRORS 100

typedef struct dloader {
	jx_doc *d;
	const jx_scheme *s;
	jx_diags *diags;
	bool failed;
	unsigned nerrors;
} dloader;

static jx__loc ploc(const dloader *L, const jx__ynode *n)
{
	jx__loc l = {L->d->file, n ? n->line : 1, n ? n->col : 1};
	return l;
}

static void derr(dloader *L, const jx__ynode *n, const char *id, const char *path, const char *fmt,
                 ...) __attribute__((format(printf, 5, 6)));
static void derr(dloader *L, const jx__ynode *n, const char *id, const char *path, const char *fmt,
                 ...)
{
	jx__diag_spec spec = {.sev = JX_SEV_FATAL, .id = id, .loc = ploc(L, n), .path = path};
	va_list ap;
	L->failed = true;
	if (L->nerrors > MAX_LOAD_ERRORS)
		return;
	if (L->nerrors++ == MAX_LOAD_ERRORS) {
		spec.id = "D99";
		spec.path = NULL;
		jx__diag_add(L->diags, &spec, "错误过多（超过 %d 个），其余不再列出",
		             MAX_LOAD_ERRORS);
		return;
	}
	va_start(ap, fmt);
	jx__diag_vadd(L->diags, &spec, fmt, ap);
	va_end(ap);
}

/* Paths are built for every key; snprintf would be a tenth of the load. */
static size_t put(char *dst, size_t at, size_t size, const char *src, size_t n)
{
	if (at + n >= size)
		n = at < size - 1 ? size - 1 - at : 0;
	memcpy(dst + at, src, n);
	dst[at + n] = '\0';
	return at + n;
}

/* "table[row]" or "table[row].col" (col may be NULL). */
static void cell_path(char *dst, size_t size, const char *tpath, size_t row, const char *col)
{
	char num[24];
	size_t k = sizeof num;
	num[--k] = '\0';
	do
		num[--k] = (char)('0' + row % 10);
	while ((row /= 10) && k);
	size_t at = put(dst, 0, size, tpath, strlen(tpath));
	at = put(dst, at, size, "[", 1);
	at = put(dst, at, size, num + k, strlen(num + k));
	at = put(dst, at, size, "]", 1);
	if (col) {
		at = put(dst, at, size, ".", 1);
		put(dst, at, size, col, strlen(col));
	}
}

static void blank(jx_value *v)
{
	memset(v, 0, sizeof(*v));
	v->scale = -1;
}

static bool is_na_mark(const char *s, size_t n)
{
	static const char *const marks[] = {"——", "—", "－", "-", "--", "/", "－－", "／"};
	for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
		if (strlen(marks[i]) == n && !memcmp(marks[i], s, n))
			return true;
	return false;
}

static const char *type_word(jx__ftype ft)
{
	switch (ft) {
	case JX_F_AMOUNT:
		return "金额";
	case JX_F_COUNT:
		return "整数";
	case JX_F_PERCENT:
		return "百分数";
	case JX_F_SCORE:
		return "分数";
	case JX_F_NUMBER:
		return "数字";
	case JX_F_TABLE:
		return "表格（列表）";
	case JX_F_PARAGRAPHS:
	case JX_F_LIST:
		return "文字或文字列表";
	default:
		return "文字";
	}
}

/* The message for a number that did not parse, by its form. */
static void number_error(dloader *L, const jx__ynode *n, const jx__field *f, const char *path,
                         jx_dec_status st, const char *text)
{
	const char *word = type_word(f->ftype);
	if (st == JX_DEC_SYNTAX && f->ftype == JX_F_PERCENT && !strchr(text, '%'))
		derr(L, n, "D04", path, "%s“%s”应写成百分数（如 87.50%%）", f->label, text);
	else if (st == JX_DEC_SYNTAX && strchr(text, '%') && f->ftype != JX_F_PERCENT)
		derr(L, n, "D04", path, "%s“%s”应为%s，不能带百分号", f->label, text, word);
	else if (st == JX_DEC_TOO_PRECISE)
		derr(L, n, "D04", path, "%s“%s”小数位数过多（最多 %d 位）", f->label, text,
		     f->decimals);
	else
		derr(L, n, "D04", path, "%s“%s”%s（应为%s）", f->label, text, jx_dec_strerror(st),
		     word);
}

static bool number_range(dloader *L, const jx__ynode *n, const jx__field *f, const char *path,
                         jx_dec v, const char *text)
{
	char lim[JX_DEC_BUFSZ];
	if (f->has_min && jx_dec_cmp(v, f->min) < 0) {
		if (f->min.raw == 0) {
			derr(L, n, "D04", path, "%s“%s”不能为负数", f->label, text);
		} else {
			jx_dec_format(f->min, JX_DEC_SHORTEST, lim, sizeof lim);
			derr(L, n, "D04", path, "%s“%s”小于下限 %s", f->label, text, lim);
		}
		return false;
	}
	if (f->has_max && jx_dec_cmp(v, f->max) > 0) {
		jx_dec_format(f->max, JX_DEC_SHORTEST, lim, sizeof lim);
		derr(L, n, "D04", path, "%s“%s”大于上限 %s", f->label, text, lim);
		return false;
	}
	return true;
}

static void load_number(dloader *L, const jx__ynode *n, const jx__field *f, const char *path,
                        const char *s, size_t len, jx_value *out)
{
	unsigned flags = f->ftype == JX_F_PERCENT  ? JX_DEC_REQUIRE_PERCENT | JX_DEC_ALLOW_PERCENT
	                 : f->ftype == JX_F_AMOUNT ? JX_DEC_ALLOW_GROUPING
	                                           : 0;
	int frac = 0;
	jx_dec v;
	char text[128]; /* the value as written, for messages only */
	jx_dec_status st = jx_dec_parse(s, len, flags, &v, &frac, NULL);
	bool ok = st == JX_DEC_OK && !(f->ftype == JX_F_COUNT && frac > 0) &&
	          !(f->ftype != JX_F_PERCENT && frac > f->decimals);
	if (ok && (!f->has_min || jx_dec_cmp(v, f->min) >= 0) &&
	    (!f->has_max || jx_dec_cmp(v, f->max) <= 0)) {
		out->type = JX_V_NUM;
		out->num = v;
		out->scale = frac;
		return;
	}
	snprintf(text, sizeof text, "%.*s", (int)(len < 120 ? len : 120), s);
	if (st != JX_DEC_OK) {
		number_error(L, n, f, path, st, text);
		return;
	}
	if (f->ftype == JX_F_COUNT && frac > 0) {
		derr(L, n, "D04", path, "%s“%s”应为整数", f->label, text);
		return;
	}
	if (f->ftype != JX_F_PERCENT && frac > f->decimals) {
		derr(L, n, "D04", path, "%s“%s”小数位数过多（最多 %d 位）", f->label, text,
		     f->decimals);
		return;
	}
	if (!number_range(L, n, f, path, v, text))
		return;
	out->type = JX_V_NUM;
	out->num = v;
	out->scale = frac;
}

static const char *dup_trim(dloader *L, const char *s, size_t len)
{
	jx__trim(&s, &len);
	const char *r = jx__arena_strndup(&L->d->arena, s, len);
	if (!r)
		derr(L, NULL, "Y00", NULL, "内存不足");
	return r;
}

static void load_enum(dloader *L, const jx__ynode *n, const jx__field *f, const char *path,
                      const char *s, jx_value *out)
{
	const char *near = NULL;
	size_t best = 3;
	for (size_t i = 0; i < f->nvalues; i++) {
		if (!strcmp(s, f->values[i])) {
			out->type = JX_V_TEXT;
			out->s = f->values[i];
			return;
		}
	}
	for (size_t i = 0; i < f->nvalues; i++) {
		size_t dist = jx__edit_distance(s, f->values[i], best - 1);
		if (dist < best)
			best = dist, near = f->values[i];
	}
	char allowed[512] = "";
	for (size_t i = 0; i < f->nvalues && strlen(allowed) < 400; i++) {
		strcat(allowed, i ? "、" : "");
		strncat(allowed, f->values[i], sizeof allowed - strlen(allowed) - 1);
	}
	if (near)
		derr(L, n, "D05", path, "%s“%s”不是可选值，是否想写“%s”？（可选：%s）", f->label, s,
		     near, allowed);
	else
		derr(L, n, "D05", path, "%s“%s”不是可选值（可选：%s）", f->label, s, allowed);
}

static bool is_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return n > 0;
}

static bool valid_ymd(unsigned y, unsigned m, unsigned d)
{
	static const unsigned days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return y >= 1900 && m >= 1 && m <= 12 && d >= 1 && d <= days[m - 1] &&
	       (m != 2 || d <= 28 || leap);
}

/* YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD or YYYY年M月D日. */
static bool valid_date(const char *s)
{
	unsigned y, m, d;
	char a[8], b[8], c[8] = "";
	if (sscanf(s, "%4u%1[-/.]%2u%1[-/.]%2u", &y, a, &m, b, &d) == 5 && a[0] == b[0])
		return valid_ymd(y, m, d);
	if (sscanf(s, "%4u年%2u月%2u%3s", &y, &m, &d, c) == 4 && !strcmp(c, "日"))
		return valid_ymd(y, m, d);
	(void)is_digits;
	return false;
}

/* Splits a block of text into trimmed, non-empty lines. */
static void load_paragraphs(dloader *L, const jx__ynode *n, const char *path, jx_value *out)
{
	size_t cap = n->kind == JX_Y_SEQ ? n->n : 1;
	if (n->kind == JX_Y_SCALAR)
		for (size_t i = 0; i < n->len; i++)
			cap += n->s[i] == '\n';
	const char **items = jx__arena_alloc(&L->d->arena, cap * sizeof(*items));
	size_t count = 0;
	if (!items) {
		derr(L, n, "Y00", path, "内存不足");
		return;
	}
	if (n->kind == JX_Y_SCALAR) {
		const char *p = n->s, *end = n->s + n->len;
		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			const char *e = nl ? nl : end;
			const char *t = dup_trim(L, p, (size_t)(e - p));
			if (t && t[0])
				items[count++] = t;
			p = e + (nl != NULL);
		}
	} else {
		for (size_t i = 0; i < n->n; i++) {
			const jx__ynode *it = n->kids[i];
			if (it->kind != JX_Y_SCALAR) {
				derr(L, it, "D03", path, "第 %zu 项应为一段文字，实际为%s", i + 1,
				     jx__y_kind_name(it));
				continue;
			}
			const char *t = dup_trim(L, it->s, it->len);
			if (t && t[0])
				items[count++] = t;
		}
	}
	out->type = count ? JX_V_LIST : JX_V_BLANK;
	out->items = items;
	out->n = count;
}

static void load_table(dloader *L, const jx__ynode *n, const jx__field *f, const char *path);

/* Loads one value of field f from node n into out. */
static void load_value(dloader *L, const jx__ynode *n, const jx__field *f, const char *path,
                       jx_value *out)
{
	blank(out);
	if (jx__y_is_null(n))
		return;
	if (f->ftype == JX_F_TABLE) {
		load_table(L, n, f, path);
		return;
	}
	if (f->ftype == JX_F_PARAGRAPHS || f->ftype == JX_F_LIST) {
		if (n->kind == JX_Y_MAP)
			derr(L, n, "D03", path, "%s应为%s，实际为键值映射", f->label,
			     type_word(f->ftype));
		else
			load_paragraphs(L, n, path, out);
		return;
	}
	if (n->kind != JX_Y_SCALAR) {
		derr(L, n, "D03", path, "%s应为%s，实际为%s", f->label, type_word(f->ftype),
		     jx__y_kind_name(n));
		return;
	}
	const char *s = n->s;
	size_t len = n->len;
	jx__trim(&s, &len);
	if (len == 0)
		return;
	if (is_na_mark(s, len)) {
		if (f->na || f->ftype == JX_F_TEXT || f->ftype == JX_F_PARAGRAPHS) {
			out->na = true;
			return;
		}
		derr(L, n, "D04", path, "%s不能填“%.*s”（此项不允许“不适用”）", f->label, (int)len,
		     s);
		return;
	}
	switch (f->ftype) {
	case JX_F_AMOUNT:
	case JX_F_COUNT:
	case JX_F_PERCENT:
	case JX_F_SCORE:
	case JX_F_NUMBER:
		load_number(L, n, f, path, s, len, out);
		return;
	default:
		break;
	}
	const char *t = dup_trim(L, s, len);
	if (!t)
		return;
	if (f->ftype == JX_F_ENUM) {
		load_enum(L, n, f, path, t, out);
	} else if (f->ftype == JX_F_DATE && !valid_date(t)) {
		derr(L, n, "D04", path, "%s“%s”不是日期（如 2024-03-31 或 2024年3月31日）",
		     f->label, t);
	} else {
		out->type = JX_V_TEXT;
		out->s = t;
	}
}

/* A value whose error was reported is marked so that it is not reported
 * again as missing; the document is discarded anyway. */
static void load_value_once(dloader *L, const jx__ynode *n, const jx__field *f, const char *path,
                            jx_value *out)
{
	size_t before = jx_diags_count(L->diags);
	load_value(L, n, f, path, out);
	if (jx_diags_count(L->diags) > before)
		out->na = true;
}

static int find_col(const jx__table *t, const char *name)
{
	for (size_t i = 0; i < t->ncols; i++)
		if (!strcmp(t->cols[i].path, name))
			return (int)i;
	return -1;
}

static void unknown_col(dloader *L, const jx__ynode *k, const jx__table *t, const char *path)
{
	const char *near = NULL;
	size_t best = 3;
	for (size_t i = 0; i < t->ncols; i++) {
		if (t->cols[i].ftype == JX_F_DERIVED)
			continue;
		size_t dist = jx__edit_distance(k->s, t->cols[i].path, best - 1);
		if (dist < best)
			best = dist, near = t->cols[i].path;
	}
	if (near)
		derr(L, k, "D02", path, "未知的列“%s”，是否想写“%s”？", k->s, near);
	else
		derr(L, k, "D02", path, "未知的列“%s”", k->s);
}

static void load_row(dloader *L, const jx__ynode *row, const jx__table *t, jx__doc_table *dt,
                     size_t r, const char *tpath)
{
	char path[512];
	dt->rowpos[r].line = row->line;
	dt->rowpos[r].col = row->col;
	for (size_t c = 0; c < t->ncols; c++)
		blank(&dt->cells[r * t->ncols + c]);
	if (row->kind != JX_Y_MAP) {
		cell_path(path, sizeof path, tpath, r, NULL);
		derr(L, row, "D03", path, "表格的每一行应为键值映射，实际为%s",
		     jx__y_kind_name(row));
		return;
	}
	for (size_t i = 0; i < row->n; i++) {
		const jx__ynode *k = row->kids[2 * i], *v = row->kids[2 * i + 1];
		if (k->kind != JX_Y_SCALAR) {
			cell_path(path, sizeof path, tpath, r, NULL);
			derr(L, k, "D02", path, "键应为文字");
			continue;
		}
		int c = find_col(t, k->s);
		cell_path(path, sizeof path, tpath, r, k->s);
		if (c < 0) {
			unknown_col(L, k, t, path);
			continue;
		}
		if (t->cols[c].ftype == JX_F_DERIVED) {
			derr(L, k, "D03", path, "“%s”是计算列，不能填写", k->s);
			continue;
		}
		dt->pos[r * t->ncols + (size_t)c].line = v->line;
		dt->pos[r * t->ncols + (size_t)c].col = v->col;
		load_value_once(L, v, &t->cols[c], path, &dt->cells[r * t->ncols + (size_t)c]);
	}
	for (size_t c = 0; c < t->ncols; c++) {
		const jx_value *v = &dt->cells[r * t->ncols + c];
		if (t->cols[c].required && v->type == JX_V_BLANK && !v->na) {
			cell_path(path, sizeof path, tpath, r, t->cols[c].path);
			derr(L, row, "D06", path, "第 %zu 行缺少必填列“%s”（%s）", r + 1,
			     t->cols[c].path, t->cols[c].label);
		}
	}
}

static void load_table(dloader *L, const jx__ynode *n, const jx__field *f, const char *path)
{
	const jx__table *t = &L->s->tables[f->table];
	jx__doc_table *dt = &L->d->tables[f->table];
	if (n->kind != JX_Y_SEQ) {
		derr(L, n, "D03", path, "%s应为表格（每行一项的列表），实际为%s", f->label,
		     jx__y_kind_name(n));
		return;
	}
	size_t cells = n->n * t->ncols;
	dt->cells = jx__arena_alloc(&L->d->arena, (cells ? cells : 1) * sizeof(*dt->cells));
	dt->pos = jx__arena_alloc(&L->d->arena, (cells ? cells : 1) * sizeof(*dt->pos));
	dt->rowpos = jx__arena_alloc(&L->d->arena, (n->n ? n->n : 1) * sizeof(*dt->rowpos));
	if (!dt->cells || !dt->pos || !dt->rowpos) {
		derr(L, n, "Y00", path, "内存不足");
		return;
	}
	dt->nrows = n->n;
	for (size_t r = 0; r < n->n; r++)
		load_row(L, n->kids[r], t, dt, r, path);
}

/* "Did you mean": the nearest field or group name under the same parent. */
static const char *suggest_key(const dloader *L, const char *prefix, const char *key, char *buf,
                               size_t size)
{
	size_t plen = strlen(prefix), best = 3;
	const char *found = NULL;
	for (size_t i = 0; i < L->s->nfields; i++) {
		const char *p = L->s->fields[i].path;
		if (plen && (strncmp(p, prefix, plen) || p[plen] != '.'))
			continue;
		const char *seg = plen ? p + plen + 1 : p;
		const char *dot = strchr(seg, '.');
		size_t sl = dot ? (size_t)(dot - seg) : strlen(seg);
		if (sl >= size)
			continue;
		char cand[256];
		memcpy(cand, seg, sl);
		cand[sl] = '\0';
		size_t dist = jx__edit_distance(key, cand, best - 1);
		if (dist < best) {
			best = dist;
			snprintf(buf, size, "%s", cand);
			found = buf;
		}
	}
	return found;
}

static void load_map(dloader *L, const jx__ynode *map, const char *prefix);

static void load_key(dloader *L, const jx__ynode *k, const jx__ynode *v, const char *prefix)
{
	char path[512];
	if (!*prefix && (!strcmp(k->s, "scheme") || !strcmp(k->s, "explanations")))
		return; /* checked by the caller */
	size_t plen = strlen(prefix);
	if (plen + 1 + k->len >= sizeof path) {
		derr(L, k, "D02", NULL, "键名过长");
		return;
	}
	size_t n =
	        plen ? put(path, put(path, 0, sizeof path, prefix, plen), sizeof path, ".", 1) : 0;
	n = put(path, n, sizeof path, k->s, k->len);
	int slot = jx__scheme_slot(L->s, path, n);
	if (slot >= 0) {
		const jx__field *f = &L->s->fields[slot];
		if (L->d->pos[slot].line) { /* also written as "a.b: " beside "a: {b: }" */
			derr(L, k, "Y05", path, "字段“%s”重复填写（第 %u 行已有）", path,
			     L->d->pos[slot].line);
			return;
		}
		if (f->ftype == JX_F_CONST ||
		    (f->ftype == JX_F_TABLE && L->s->tables[f->table].rows)) {
			derr(L, k, "D03", path, "“%s”由方案规定，不能在数据文件中填写", path);
			return;
		}
		if (f->ftype == JX_F_DERIVED) {
			derr(L, k, "D03", path, "“%s”由程序计算，不能填写", path);
			return;
		}
		L->d->pos[slot].line = v->line;
		L->d->pos[slot].col = v->col;
		load_value_once(L, v, f, path, &L->d->vals[slot]);
		return;
	}
	if (jx__map_get(&L->s->groups, path, (size_t)n) >= 0) {
		if (jx__y_is_null(v))
			return;
		if (v->kind != JX_Y_MAP)
			derr(L, v, "D03", path, "“%s”应为键值映射（下面还有字段），实际为%s", path,
			     jx__y_kind_name(v));
		else
			load_map(L, v, path);
		return;
	}
	char near[256];
	if (suggest_key(L, prefix, k->s, near, sizeof near))
		derr(L, k, "D02", path, "未知字段“%s”，是否想写“%s”？", k->s, near);
	else
		derr(L, k, "D02", path, "未知字段“%s”（方案 %s 中没有 %s）", k->s, L->s->id, path);
}

static void load_map(dloader *L, const jx__ynode *map, const char *prefix)
{
	for (size_t i = 0; i < map->n && L->nerrors <= MAX_LOAD_ERRORS; i++) {
		const jx__ynode *k = map->kids[2 * i];
		if (k->kind != JX_Y_SCALAR || !k->len) {
			derr(L, k, "D02", *prefix ? prefix : NULL,
			     k->kind != JX_Y_SCALAR ? "键应为文字" : "键为空");
			continue;
		}
		load_key(L, k, map->kids[2 * i + 1], prefix);
	}
}

static void check_required(dloader *L, const jx__ynode *root)
{
	for (size_t i = 0; i < L->s->nfields; i++) {
		const jx__field *f = &L->s->fields[i];
		const jx_value *v = &L->d->vals[i];
		bool empty = v->type == JX_V_BLANK && !v->na;
		if (f->ftype == JX_F_TABLE)
			empty = L->d->pos[i].line == 0;
		/* Written but blank: point at the value; absent: at the top. */
		jx__ynode at = {.line = L->d->pos[i].line, .col = L->d->pos[i].col};
		if (f->required && empty)
			derr(L, at.line ? &at : root, "D06", f->path, "缺少必填项“%s”（%s）",
			     f->path, f->label);
	}
}

static void check_scheme_name(dloader *L, const jx__ynode *root)
{
	const jx__ynode *sn = jx__ymap_get(root, "scheme");
	if (!sn)
		return;
	if (sn->kind != JX_Y_SCALAR)
		derr(L, sn, "D03", "scheme", "scheme 应为方案名");
	else if (strcmp(sn->s, L->s->id))
		derr(L, sn, "D07", "scheme", "数据文件声明的方案“%s”与所用方案“%s”不符", sn->s,
		     L->s->id);
}

/* ---- explanations: the written 说明 of warnings ---- */

/* The text of a scalar, trimmed, in the doc's arena; NULL if empty. */
static const char *expl_scalar(dloader *L, const jx__ynode *v)
{
	const char *t = dup_trim(L, v->s, v->len);
	return t && t[0] ? t : NULL;
}

/* Rule ids are short ("B09"): an edit-distance guess would name an
 * unrelated rule, so only a difference of case is suggested. */
static void expl_unknown_rule(dloader *L, const jx__ynode *v, const char *path, const char *id)
{
	const char *near = NULL;
	for (size_t i = 0; i < L->s->nrules && !near; i++)
		if (!strcasecmp(id, L->s->rules[i].id))
			near = L->s->rules[i].id;
	if (near)
		derr(L, v, "D08", path, "方案 %s 中没有规则“%s”，是否想写“%s”？", L->s->id, id,
		     near);
	else
		derr(L, v, "D08", path, "方案 %s 中没有规则“%s”", L->s->id, id);
}

/* One entry {rule, path, text}; false if it was refused. */
static bool load_explanation(dloader *L, const jx__ynode *e, size_t i, jx_explanation *out)
{
	char path[64], kpath[96];
	snprintf(path, sizeof path, "explanations[%zu]", i);
	memset(out, 0, sizeof(*out));
	out->line = e->line;
	out->column = e->col;
	if (e->kind != JX_Y_MAP) {
		derr(L, e, "D03", path,
		     "explanations 的每一项应为键值映射（rule、path、text），实际为%s",
		     jx__y_kind_name(e));
		return false;
	}
	bool ok = true;
	for (size_t k = 0; k < e->n; k++) {
		const jx__ynode *key = e->kids[2 * k], *v = e->kids[2 * k + 1];
		if (key->kind != JX_Y_SCALAR) {
			derr(L, key, "D02", path, "键应为文字");
			ok = false;
			continue;
		}
		snprintf(kpath, sizeof kpath, "%s.%.20s", path, key->s);
		bool is_rule = !strcmp(key->s, "rule"), is_path = !strcmp(key->s, "path"),
		     is_text = !strcmp(key->s, "text");
		if (!is_rule && !is_path && !is_text) {
			const char *near = NULL;
			static const char *const keys[] = {"rule", "path", "text"};
			for (size_t j = 0; j < 3 && !near; j++)
				if (jx__edit_distance(key->s, keys[j], 2) <= 2)
					near = keys[j];
			if (near)
				derr(L, key, "D02", path, "说明中未知的键“%s”，是否想写“%s”？",
				     key->s, near);
			else
				derr(L, key, "D02", path,
				     "说明中未知的键“%s”（可用：rule、path、text）", key->s);
			ok = false;
			continue;
		}
		if (jx__y_is_null(v))
			continue; /* blank: reported as missing below, or no path */
		if (v->kind != JX_Y_SCALAR) {
			derr(L, v, "D03", kpath, "说明的 %s 应为文字，实际为%s", key->s,
			     jx__y_kind_name(v));
			ok = false;
			continue;
		}
		const char *t = expl_scalar(L, v);
		if (is_rule && t && !jx__doc_rule(L->d, t)) {
			expl_unknown_rule(L, v, kpath, t);
			ok = false;
		}
		if (is_rule)
			out->rule = t;
		else if (is_path)
			out->path = t;
		else
			out->text = t;
	}
	if (!out->rule) {
		derr(L, e, "D06", path, "说明缺少 rule（要说明的规则编号，如 B09）");
		ok = false;
	}
	if (!out->text) {
		derr(L, e, "D06", path, "说明缺少 text（说明的文字）");
		ok = false;
	}
	return ok;
}

static bool same_opt(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

static void load_explanations(dloader *L, const jx__ynode *root)
{
	const jx__ynode *n = jx__ymap_get(root, "explanations");
	if (!n || jx__y_is_null(n))
		return;
	if (n->kind != JX_Y_SEQ) {
		derr(L, n, "D03", "explanations",
		     "explanations 应为列表（每项 {rule: 规则编号, path: 路径, text: "
		     "说明}），实际为%s",
		     jx__y_kind_name(n));
		return;
	}
	L->d->expl = jx__arena_alloc(&L->d->arena, (n->n ? n->n : 1) * sizeof(*L->d->expl));
	if (!L->d->expl) {
		derr(L, n, "Y00", "explanations", "内存不足");
		return;
	}
	for (size_t i = 0; i < n->n && L->nerrors <= MAX_LOAD_ERRORS; i++) {
		jx_explanation *e = &L->d->expl[L->d->nexpl];
		if (!load_explanation(L, n->kids[i], i, e))
			continue;
		for (size_t j = 0; j < L->d->nexpl; j++) {
			const jx_explanation *o = &L->d->expl[j];
			if (!strcmp(o->rule, e->rule) && same_opt(o->path, e->path)) {
				char path[64];
				snprintf(path, sizeof path, "explanations[%zu]", i);
				derr(L, n->kids[i], "D09", path,
				     "规则 %s%s%s 的说明重复（第 %u 行已有）", e->rule,
				     e->path ? "、路径 " : "", e->path ? e->path : "", o->line);
				break;
			}
		}
		L->d->nexpl++;
	}
}

size_t jx_doc_explanation_count(const jx_doc *d)
{
	return d ? d->nexpl : 0;
}

const jx_explanation *jx_doc_explanation(const jx_doc *d, size_t i)
{
	return d && i < d->nexpl ? &d->expl[i] : NULL;
}

static jx_doc *doc_new(const jx_scheme *s, const char *name, const jx_allocator *alloc)
{
	jx_doc *d = jx__alloc(alloc, sizeof(*d));
	if (!d)
		return NULL;
	memset(d, 0, sizeof(*d));
	d->alloc = alloc;
	d->s = s;
	jx__arena_init(&d->arena, alloc, 65536);
	d->file = jx__arena_strdup(&d->arena, name);
	d->vals = jx__arena_alloc(&d->arena, (s->nfields + 1) * sizeof(*d->vals));
	d->pos = jx__arena_alloc(&d->arena, (s->nfields + 1) * sizeof(*d->pos));
	d->tables = jx__arena_alloc(&d->arena, (s->ntables + 1) * sizeof(*d->tables));
	if (!d->file || !d->vals || !d->pos || !d->tables) {
		jx_doc_free(d);
		return NULL;
	}
	for (size_t i = 0; i < s->nfields; i++)
		d->vals[i].scale = -1;
	return d;
}

jx_doc *jx_doc_load_mem(const jx_scheme *s, const char *name, const char *buf, size_t len,
                        const jx_allocator *alloc, jx_diags *diags)
{
	if (!alloc)
		alloc = jx_allocator_default();
	jx_doc *d = doc_new(s, name, alloc);
	if (!d) {
		jx__loc l = {name, 0, 0};
		jx__diag_fatal(diags, "Y00", l, NULL, "内存不足");
		return NULL;
	}
	dloader L = {.d = d, .s = s, .diags = diags};
	jx__ynode *root = jx__yaml_parse(&d->arena, d->file, buf, len, diags);
	if (!root)
		goto fail;
	d->root.line = root->line;
	d->root.col = root->col;
	if (root->kind != JX_Y_MAP) {
		derr(&L, root, "D03", NULL, "数据文件的顶层应为键值映射，实际为%s",
		     jx__y_kind_name(root));
		goto fail;
	}
	check_scheme_name(&L, root);
	load_explanations(&L, root);
	load_map(&L, root, "");
	check_required(&L, root);
	if (L.failed || jx__diags_oom(diags))
		goto fail;
	return d;
fail:
	jx_doc_free(d);
	return NULL;
}

jx_doc *jx_doc_new_empty(const jx_scheme *s, const jx_allocator *alloc)
{
	if (!alloc)
		alloc = jx_allocator_default();
	jx_doc *d = doc_new(s, "（空白模板）", alloc);
	if (!d)
		return NULL;
	for (size_t t = 0; t < s->ntables; t++) {
		const jx__table *tb = &s->tables[t];
		if (tb->field < 0)
			continue;
		jx__doc_table *dt = &d->tables[t];
		size_t rows = (int)t == s->indicators_table ? 12 : 2;
		size_t cells = rows * (tb->ncols ? tb->ncols : 1);
		dt->cells = jx__arena_alloc(&d->arena, cells * sizeof(*dt->cells));
		dt->pos = jx__arena_alloc(&d->arena, cells * sizeof(*dt->pos));
		dt->rowpos = jx__arena_alloc(&d->arena, rows * sizeof(*dt->rowpos));
		if (!dt->cells || !dt->pos || !dt->rowpos) {
			jx_doc_free(d);
			return NULL;
		}
		memset(dt->pos, 0, cells * sizeof(*dt->pos));
		memset(dt->rowpos, 0, rows * sizeof(*dt->rowpos));
		for (size_t c = 0; c < cells; c++)
			blank(&dt->cells[c]);
		dt->nrows = rows;
	}
	jx_diags *tmp = jx_diags_new(alloc);
	jx_status st = tmp ? jx_doc_evaluate(d, tmp) : JX_ERR_OOM;
	jx_diags_free(tmp);
	if (st != JX_OK) {
		jx_doc_free(d);
		return NULL;
	}
	return d;
}

jx_doc *jx_doc_load_file(const jx_scheme *s, const char *path, const jx_allocator *alloc,
                         jx_diags *diags)
{
	size_t len;
	if (!alloc)
		alloc = jx_allocator_default();
	char *buf = jx__read_file(alloc, path, &len, diags);
	if (!buf)
		return NULL;
	jx_doc *d = jx_doc_load_mem(s, path, buf, len, alloc, diags);
	jx__free(alloc, buf);
	return d;
}

void jx_doc_free(jx_doc *d)
{
	if (!d)
		return;
	const jx_allocator *a = d->alloc;
	jx__free(a, d->score_table);
	jx__arena_fini(&d->arena);
	jx__free(a, d);
}

/* Finds `scheme: NAME` at the top level without a full parse: the first
 * line that starts with "scheme:". */
bool jx_data_scheme_name(const char *buf, size_t len, char *out, size_t size)
{
	const char *p = buf, *end = buf + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		if ((size_t)(e - p) > 7 && !memcmp(p, "scheme:", 7)) {
			const char *v = p + 7;
			size_t n = (size_t)(e - v);
			jx__trim(&v, &n);
			if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0])
				v++, n -= 2;
			for (size_t i = 0; i < n; i++)
				if (v[i] == '#' && i > 0 && v[i - 1] == ' ') {
					n = i;
					jx__trim(&v, &n);
					break;
				}
			if (!n || n >= size)
				return false;
			memcpy(out, v, n);
			out[n] = '\0';
			return true;
		}
		p = e + 1;
	}
	return false;
}
