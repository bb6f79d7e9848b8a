/* Importing a filled-in workbook (written by `jixiao report --format xlsx`
 * or a blank template of the same layout): the scheme's attachment layouts
 * are walked like the report builder places them (sheet = attachment name,
 * title in row 1, grid from row 2, grid column = sheet column), every input
 * cell is read back into a data file (YAML), and that text is loaded with
 * the normal checks, each load error pointing at its cell ("附件1-2!F12"). */
#include "../eval/doc.h"
#include "xlsx_read.h"
#include "yaml_out.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One imported value. */
typedef struct entry {
	jx__yentry y;     /* path, value, list */
	const char *cell; /* "附件1-2!F12" */
} entry;

typedef struct importer {
	const jx_scheme *s;
	const jx_allocator *alloc;
	jx__arena arena;
	jx__xlsx *x;
	jx_diags *diags;
	entry *e;
	size_t n, cap;
	bool failed;
	/* per sheet */
	const jx__attachment *a;
	const jx__xsheet *sh;
	int busy[64];
} importer;

static void ifail(importer *I, const char *id, const char *fmt, const char *a, const char *b,
                  const char *c)
{
	jx__loc l = {I->x ? I->x->path : "", 0, 0};
	jx__diag_fatal(I->diags, id, l, NULL, fmt, a, b, c);
	I->failed = true;
}

static void cell_name(importer *I, uint32_t row, uint32_t col, char *buf, size_t size)
{
	char ref[16];
	jx__xlsx_ref(row, col, ref, sizeof ref);
	snprintf(buf, size, "%s!%s", I->a->name, ref);
}

/* The one expression of a template with text around it, or NULL. */
static const jx__expr *single_expr(const jx__tpl *t, size_t *at)
{
	const jx__expr *e = NULL;
	for (size_t i = 0; i < t->nparts; i++) {
		if (t->parts[i].text)
			continue;
		if (e)
			return NULL;
		e = t->parts[i].expr;
		*at = i;
	}
	return e;
}

/* A stored number as the data file writes it. */
static const char *number_text(importer *I, const char *raw, jx__kind kind)
{
	char *end;
	double v = strtod(raw, &end);
	char buf[64];
	if (*end || !isfinite(v))
		return jx__arena_strdup(&I->arena, raw);
	if (kind == JX_K_PERCENT) {
		/* to 1e-8 of a percent, trailing zeros dropped down to two */
		int n = snprintf(buf, sizeof buf, "%.8f", v * 100);
		while (n > 0 && buf[n - 1] == '0' && n >= 4 && buf[n - 4] != '.')
			buf[--n] = '\0';
		if (n > 0 && (size_t)n + 1 < sizeof buf)
			strcat(buf, "%");
	} else if (fabs(v) < 1e15 && fabs(v) >= 1e-6)
		snprintf(buf, sizeof buf, "%.15g", v);
	else if (v == 0)
		snprintf(buf, sizeof buf, "0");
	else
		snprintf(buf, sizeof buf, "%s", raw);
	if (strchr(buf, 'e') && fabs(v) < 1e15)
		snprintf(buf, sizeof buf, "%.10f", v);
	/* Amounts are written to the fen: 164.5 -> 164.50. */
	const char *dot = strchr(buf, '.');
	if (kind == JX_K_AMOUNT && dot && strlen(dot) == 2 && strlen(buf) + 1 < sizeof buf)
		strcat(buf, "0");
	return jx__arena_strdup(&I->arena, buf);
}

static void add_entry(importer *I, const char *path, const char *value, bool list, const char *cell)
{
	for (size_t i = 0; i < I->n; i++)
		if (!strcmp(I->e[i].y.path, path))
			return; /* shown twice (e.g. the unit name on both sheets): first wins */
	if (!jx__grow(I->alloc, (void **)&I->e, &I->cap, I->n + 1, sizeof(*I->e))) {
		ifail(I, "K06", "%s%s%s内存不足", "", "", "");
		return;
	}
	entry *en = &I->e[I->n++];
	en->y.path = jx__arena_strdup(&I->arena, path);
	en->y.value = value;
	en->y.list = list;
	en->y.raw = false;
	en->cell = jx__arena_strdup(&I->arena, cell);
}

/* Reads one layout cell placed at (row, col); row_index >= 0 inside a
 * repeated row.  Returns true if it held an input value. */
static bool import_cell(importer *I, const jx__lay_cell *lc, uint32_t row, uint32_t col,
                        long row_index)
{
	size_t at = 0;
	const jx__expr *e = single_expr(&lc->tpl, &at);
	if (!e)
		return false;
	const jx__field *f;
	char path[512];
	if (e->op == JX_OP_SLOT) {
		f = &I->s->fields[e->slot];
		snprintf(path, sizeof path, "%s", f->path);
	} else if (e->op == JX_OP_COL && e->depth == 0 && row_index >= 0) {
		const jx__table *t = &I->s->tables[e->table];
		f = &t->cols[e->column];
		snprintf(path, sizeof path, "%s[%ld].%s", t->path, row_index, f->path);
	} else {
		return false;
	}
	if (f->ftype == JX_F_DERIVED || f->ftype == JX_F_CONST || f->ftype == JX_F_TABLE)
		return false; /* computed: its formula may have been edited; ignored */
	const jx__xcell *c = jx__xlsx_cell(I->sh, row, col);
	if (!c || c->type == JX_XC_BLANK)
		return false;
	char where[128];
	cell_name(I, row, col, where, sizeof where);
	if (c->formula && lc->tpl.nparts > 1)
		return false; /* a sentence around the value, computed by the writer */
	if (c->formula) {
		ifail(I, "K09", "%s：应填写数值，却是公式（字段 %s，%s）", where, path,
		      f->label ? f->label : "");
		return false;
	}
	if (c->type == JX_XC_ERR) {
		ifail(I, "K09", "%s：单元格是错误值“%s”（字段 %s）", where, c->text, path);
		return false;
	}
	const char *v;
	if (c->type == JX_XC_NUM) {
		v = number_text(I, c->text, f->kind);
	} else {
		/* Text: strip the template's words around the value. */
		const char *s = c->text;
		size_t len = strlen(s);
		for (size_t i = 0; i < at; i++) {
			size_t pl = strlen(lc->tpl.parts[i].text);
			if (len >= pl && !strncmp(s, lc->tpl.parts[i].text, pl))
				s += pl, len -= pl;
		}
		for (size_t i = lc->tpl.nparts; i-- > at + 1;) {
			size_t sl = strlen(lc->tpl.parts[i].text);
			if (len >= sl && !strncmp(s + len - sl, lc->tpl.parts[i].text, sl))
				len -= sl;
		}
		if (f->type == JX_T_LIST || f->type == JX_T_TEXT) {
			/* keep text as written, trimmed */
		}
		jx__trim(&s, &len);
		if (!len || (len == strlen("—") && !strncmp(s, "—", len)))
			return false; /* blank ("—" is how sentences show a blank) */
		v = jx__arena_strndup(&I->arena, s, len);
	}
	if (!v) {
		ifail(I, "K06", "%s%s%s内存不足", "", "", "");
		return false;
	}
	add_entry(I, path, v, f->ftype == JX_F_LIST || f->ftype == JX_F_PARAGRAPHS, where);
	return true;
}

static int place(const int *busy, int col, int ncols)
{
	while (col < ncols && col < 64 && busy[col] > 0)
		col++;
	return col;
}

static void next_row(int *busy)
{
	for (int i = 0; i < 64; i++)
		if (busy[i] > 0)
			busy[i]--;
}

/* Places the cells of a layout row; cols gets each cell's column. */
static void place_row(const jx__lay_row *lr, int *busy, int ncols, int *cols)
{
	int col = 0;
	for (size_t i = 0; i < lr->ncells && i < 64; i++) {
		col = cols[i] = place(busy, col, ncols);
		for (int k = col; k < col + lr->cells[i].colspan && k < 64; k++)
			busy[k] = lr->cells[i].rowspan;
		col += lr->cells[i].colspan;
	}
	next_row(busy);
}

static bool const_text(const jx__tpl *t, char *buf, size_t size)
{
	size_t n = 0;
	buf[0] = 0;
	for (size_t i = 0; i < t->nparts; i++) {
		if (!t->parts[i].text)
			return false;
		n += (size_t)snprintf(buf + n, n < size ? size - n : 0, "%s", t->parts[i].text);
	}
	return n > 0 && n < size;
}

/* 1: sheet row r shows the fixed layout row lr; 0: it does not; -1: lr has
 * no fixed text to recognise it by. */
static int row_matches(importer *I, const jx__lay_row *lr, uint32_t r)
{
	int busy[64], cols[64];
	memcpy(busy, I->busy, sizeof busy);
	place_row(lr, busy, I->a->ncols, cols);
	int known = 0;
	char want[512];
	for (size_t i = 0; i < lr->ncells && i < 64; i++) {
		if (!const_text(&lr->cells[i].tpl, want, sizeof want))
			continue;
		known = 1;
		const jx__xcell *c = jx__xlsx_cell(I->sh, r, (uint32_t)cols[i]);
		const char *s = c ? c->text : "";
		size_t len = strlen(s);
		jx__trim(&s, &len);
		if (len != strlen(want) || strncmp(s, want, len))
			return 0;
	}
	return known ? 1 : -1;
}

static bool row_empty(importer *I, uint32_t r)
{
	for (int c = 0; c < I->a->ncols; c++) {
		const jx__xcell *x = jx__xlsx_cell(I->sh, r, (uint32_t)c);
		if (x && x->type != JX_XC_BLANK && x->text[0])
			return false;
	}
	return true;
}

static void import_sheet(importer *I, const jx__attachment *a)
{
	I->a = a;
	I->sh = jx__xlsx_sheet(I->x, a->name);
	memset(I->busy, 0, sizeof I->busy);
	if (!I->sh) {
		ifail(I, "K07", "工作簿中没有工作表“%s”（%s%s）", a->name, a->title, "");
		return;
	}
	/* Row 1 is the title; a draft has its note ("草稿：…") in row 2. */
	uint32_t r = 1;
	const jx__xcell *draft = jx__xlsx_cell(I->sh, 1, 0);
	if (draft && !strncmp(draft->text, "草稿", strlen("草稿")))
		r = 2;
	int cols[64];
	for (size_t li = 0; li < a->nrows && !I->failed; li++) {
		const jx__lay_row *lr = &a->rows[li];
		if (lr->repeat < 0) {
			place_row(lr, I->busy, a->ncols, cols);
			for (size_t i = 0; i < lr->ncells && i < 64; i++)
				import_cell(I, &lr->cells[i], r, (uint32_t)cols[i], -1);
			r++;
			continue;
		}
		const jx__lay_row *next = li + 1 < a->nrows ? &a->rows[li + 1] : NULL;
		long idx = 0;
		for (; r < I->sh->nrows && r < JX__XLSX_MAX_ROWS; r++) {
			int m = next ? row_matches(I, next, r) : -1;
			if (m == 1 || (m == -1 && row_empty(I, r)))
				break;
			place_row(lr, I->busy, a->ncols, cols);
			bool any = false;
			for (size_t i = 0; i < lr->ncells && i < 64; i++)
				any |= import_cell(I, &lr->cells[i], r, (uint32_t)cols[i], idx);
			idx += any; /* wholly blank rows are dropped */
			if (I->failed)
				return;
		}
	}
}

/* ---- the data sheet "填报数据" ---------------------------------------- */

/* The field a data-sheet path names ("a.b" or "table[3].col"), or NULL. */
static const jx__field *data_field(importer *I, const char *path)
{
	const jx_scheme *s = I->s;
	const char *br = strchr(path, '[');
	if (!br) {
		int slot = jx__scheme_slot(s, path, strlen(path));
		return slot >= 0 ? &s->fields[slot] : NULL;
	}
	size_t tlen = (size_t)(br - path);
	char *end;
	if (br[1] < '0' || br[1] > '9')
		return NULL;
	long idx = strtol(br + 1, &end, 10);
	if (idx < 0 || idx > 100000 || end[0] != ']' || end[1] != '.')
		return NULL;
	const char *col = end + 2;
	for (size_t t = 0; t < s->ntables; t++) {
		const jx__table *tb = &s->tables[t];
		if (tb->field < 0 || tb->rows || strlen(tb->path) != tlen ||
		    strncmp(tb->path, path, tlen))
			continue;
		for (size_t c = 0; c < tb->ncols; c++)
			if (!strcmp(tb->cols[c].path, col))
				return &tb->cols[c];
	}
	return NULL;
}

/* "explanations[N].rule", ".path" or ".text": a written 说明 of a
 * warning, carried by the data sheet (checked when the text loads). */
static bool explanation_path(const char *path)
{
	static const char pre[] = "explanations[";
	if (strncmp(path, pre, sizeof pre - 1))
		return false;
	const char *p = path + sizeof pre - 1, *d = p;
	while (*p >= '0' && *p <= '9')
		p++;
	if (p == d || p - d > 6 || p[0] != ']' || p[1] != '.')
		return false;
	p += 2;
	return !strcmp(p, "rule") || !strcmp(p, "path") || !strcmp(p, "text");
}

static void import_data_sheet(importer *I, const jx__xsheet *sh)
{
	for (uint32_t r = 1; r < sh->nrows && !I->failed; r++) {
		const jx__xcell *a = jx__xlsx_cell(sh, r, 0);
		if (!a || a->type == JX_XC_BLANK)
			continue;
		const char *p = a->text;
		size_t len = strlen(p);
		jx__trim(&p, &len);
		if (!len)
			continue;
		char ref[16], where[128], path[512];
		snprintf(path, sizeof path, "%.*s", (int)(len < 500 ? len : 500), p);
		jx__xlsx_ref(r, 0, ref, sizeof ref);
		snprintf(where, sizeof where, "%s!%s", sh->name, ref);
		if (explanation_path(path)) {
			const jx__xcell *c = jx__xlsx_cell(sh, r, 2);
			const char *t = c && c->type != JX_XC_BLANK ? c->text : "";
			size_t tl = strlen(t);
			jx__trim(&t, &tl);
			const char *v = jx__arena_strndup(&I->arena, t, tl);
			jx__xlsx_ref(r, 2, ref, sizeof ref);
			snprintf(where, sizeof where, "%s!%s", sh->name, ref);
			if (!v) {
				ifail(I, "K06", "%s%s%s内存不足", "", "", "");
				return;
			}
			if (tl)
				add_entry(I, path, v, false, where);
			continue;
		}
		const jx__field *f = data_field(I, path);
		if (!f) {
			ifail(I, "K10", "%s：方案中没有字段“%s”%s", where, path, "");
			return;
		}
		if (f->ftype == JX_F_DERIVED || f->ftype == JX_F_CONST || f->ftype == JX_F_TABLE) {
			ifail(I, "K10", "%s：“%s”由程序计算或是整张表格，不能在此填写%s", where,
			      path, "");
			return;
		}
		const jx__xcell *c = jx__xlsx_cell(sh, r, 2);
		jx__xlsx_ref(r, 2, ref, sizeof ref);
		snprintf(where, sizeof where, "%s!%s", sh->name, ref);
		if (!c || c->type == JX_XC_BLANK)
			continue;
		if (c->formula) {
			ifail(I, "K09", "%s：应填写数值，却是公式（字段 %s，%s）", where, path,
			      f->label ? f->label : "");
			return;
		}
		if (c->type == JX_XC_ERR) {
			ifail(I, "K09", "%s：单元格是错误值“%s”（字段 %s）", where, c->text, path);
			return;
		}
		bool list = f->ftype == JX_F_LIST || f->ftype == JX_F_PARAGRAPHS;
		const char *v;
		if (c->type == JX_XC_NUM) {
			v = number_text(I, c->text,
			                f->ftype == JX_F_PERCENT ? JX_K_PERCENT : f->kind);
		} else {
			const char *t = c->text;
			size_t tl = strlen(t);
			jx__trim(&t, &tl);
			if (!tl)
				continue;
			v = jx__arena_strndup(&I->arena, t, tl);
		}
		if (!v) {
			ifail(I, "K06", "%s%s%s内存不足", "", "", "");
			return;
		}
		add_entry(I, path, v, list, where);
	}
}

static char *to_yaml(importer *I)
{
	char header[4200];
	snprintf(header, sizeof header, "# 由 jixiao import 从 %.4000s 读回\nscheme: %s\n",
	         I->x->path, jx_scheme_id(I->s));
	char *text = jx__yaml_from_entries(I->alloc, header, I->n ? &I->e[0].y : NULL, I->n,
	                                   sizeof(entry));
	if (!text)
		ifail(I, "K06", "%s%s%s内存不足", "", "", "");
	return text;
}

/* Required text fields the workbook does not show (the report title's unit
 * name) get a placeholder, so the rest can still be checked. */
static void fill_required(importer *I)
{
	for (size_t i = 0; i < I->s->nfields && !I->failed; i++) {
		const jx__field *f = &I->s->fields[i];
		bool have = false;
		if (!f->required || f->ftype != JX_F_TEXT)
			continue;
		for (size_t k = 0; k < I->n && !have; k++)
			have = !strcmp(I->e[k].y.path, f->path);
		if (have)
			continue;
		add_entry(I, f->path, "（待补填）", false, "");
		char msg[512];
		snprintf(msg, sizeof msg,
		         "工作簿中没有必填项“%s”（%s），数据文件中暂写为“（待补填）”，请补填",
		         f->path, f->label ? f->label : "");
		jx_diags_add(I->diags, JX_SEV_WARNING, "K09", I->x->path, 0, 0, f->path, msg);
	}
}

/* Load errors of the generated text, told by cell. */
static void map_diags(importer *I, const jx_diags *from)
{
	for (size_t i = 0; i < jx_diags_count(from); i++) {
		const jx_diag *d = jx_diags_get(from, i);
		const entry *en = NULL;
		for (size_t k = 0; d->path && k < I->n && !en; k++)
			if (!strcmp(I->e[k].y.path, d->path))
				en = &I->e[k];
		char *msg;
		if (en && en->cell[0])
			msg = jx__arena_printf(&I->arena, "%s：%s", en->cell, d->message);
		else if (d->path && !en)
			msg = jx__arena_printf(&I->arena, "工作簿中没有“%s”：%s", d->path,
			                       d->message);
		else
			msg = jx__arena_printf(&I->arena, "%s", d->message);
		jx_diags_add(I->diags, d->severity, d->id, I->x->path, 0, 0, d->path,
		             msg ? msg : d->message);
	}
}

/* The workbook from path, or from buf (len bytes) when buf is not NULL. */
static jx_doc *import_xlsx(const jx_scheme *s, const char *path, const void *buf, size_t len,
                           const char *yaml_name, const jx_allocator *alloc, jx_diags *diags,
                           char **yaml)
{
	if (yaml)
		*yaml = NULL;
	if (!alloc)
		alloc = jx_allocator_default();
	importer I;
	memset(&I, 0, sizeof I);
	I.s = s;
	I.alloc = alloc;
	I.diags = diags;
	jx__arena_init(&I.arena, alloc, 65536);
	jx_doc *doc = NULL;
	char *text = NULL;
	I.x = buf ? jx__xlsx_open_mem(buf, len, path, alloc, diags)
	          : jx__xlsx_open(path, alloc, diags);
	if (!I.x)
		goto out;
	/* The data sheet first: where a value is also shown inside a sentence
	 * of an attachment cell, the data sheet's exact value wins. */
	const jx__xsheet *data = jx__xlsx_sheet(I.x, "填报数据");
	if (data)
		import_data_sheet(&I, data);
	for (size_t i = 0; i < s->nattachments && !I.failed; i++)
		import_sheet(&I, &s->attachments[i]);
	fill_required(&I);
	if (I.failed || !(text = to_yaml(&I)))
		goto out;
	jx_diags *tmp = jx_diags_new(alloc);
	if (!tmp) {
		ifail(&I, "K06", "%s%s%s内存不足", "", "", "");
		goto out;
	}
	doc = jx_doc_load_mem(s, yaml_name ? yaml_name : path, text, strlen(text), alloc, tmp);
	map_diags(&I, tmp);
	jx_diags_free(tmp);
out:
	if (yaml && text)
		*yaml = text;
	else
		jx__free(alloc, text);
	jx__free(alloc, I.e);
	jx__xlsx_close(I.x);
	jx__arena_fini(&I.arena);
	return doc;
}

jx_doc *jx_import_xlsx(const jx_scheme *s, const char *path, const char *yaml_name,
                       const jx_allocator *alloc, jx_diags *diags, char **yaml)
{
	return import_xlsx(s, path, NULL, 0, yaml_name, alloc, diags, yaml);
}

jx_doc *jx__import_xlsx_mem(const jx_scheme *s, const void *buf, size_t len, const char *name,
                            const jx_allocator *alloc, jx_diags *diags)
{
	return import_xlsx(s, name, buf, len, NULL, alloc, diags, NULL);
}
