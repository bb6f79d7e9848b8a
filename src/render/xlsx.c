/* The report as an Excel workbook: one sheet per attachment laid out like
 * the official forms (title, merged grid, borders, print setup), numbers as
 * numbers, computed cells as formulas with their computed value cached,
 * and a sheet of findings.  libxlsxwriter writes to a file only, so the
 * workbook goes to a temporary name beside the target, then is renamed. */
#include "report.h"
#include "writers.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define MAXCOLS   64
#define BODY_FONT "仿宋_GB2312"
#define HEAD_FONT "黑体"

/* Where a value cell landed: the key is a global slot, or a table cell. */
typedef struct xref {
	int slot, table, row, column;
	size_t sheet;
	lxw_row_t xrow;
	lxw_col_t xcol;
} xref;

typedef struct xsheet {
	const jx__rtable *t;
	lxw_worksheet *ws;
	char name[128];
	lxw_row_t base; /* worksheet row of the first grid row */
	double width[MAXCOLS];
} xsheet;

typedef struct xw {
	const jx__report *r;
	const jx_allocator *alloc;
	lxw_workbook *wb;
	xsheet *sheets;
	size_t nsheets;
	xref *refs;
	size_t nrefs, caprefs;
	lxw_format *cell[2][4][4][2][2]; /* header, number class, indent, centered, input */
	lxw_format *title, *draft, *note;
	lxw_format *dnum[2][7][2]; /* data sheet: [percent][decimals][input] */
	lxw_format *dtext[2];
	bool tpl;           /* a blank template (jx_report_opts.template_mode) */
	const char **named; /* template: paths given a defined name */
	size_t nnamed, capnamed;
	size_t formulas, fallbacks;
	bool oom;
} xw;

/* ---- helpers ---- */

static double dec_double(jx_dec d)
{
	return (double)d.raw / (double)JX_DEC_SCALE;
}

/* Width of the longest line of a text, in Excel column units (a CJK
 * character is about two digits wide). */
static double text_units(const char *s)
{
	double best = 0;
	size_t len = strlen(s), i = 0, w = 0;
	while (i <= len) {
		if (i == len || s[i] == '\n') {
			if ((double)w > best)
				best = (double)w;
			w = 0;
			i++;
			continue;
		}
		w += jx__cp_width(jx__utf8_next(s, len, &i));
	}
	return best * 1.1;
}

/* Lines a text wraps into in a cell `units` wide. */
static int text_lines(const char *s, double units)
{
	int lines = 0;
	size_t len = strlen(s), i = 0, w = 0;
	if (units < 2)
		units = 2;
	while (i <= len) {
		if (i == len || s[i] == '\n') {
			double need = (double)w * 1.1;
			int n = 1;
			while ((double)n * units < need)
				n++;
			lines += n;
			w = 0;
			i++;
			continue;
		}
		w += jx__cp_width(jx__utf8_next(s, len, &i));
	}
	return lines ? lines : 1;
}

static int clampi(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* ---- formats ---- */

static int num_class(jx__kind kind)
{
	switch (kind) {
	case JX_K_AMOUNT:
	case JX_K_SCORE:
		return 1;
	case JX_K_PERCENT:
		return 2;
	case JX_K_COUNT:
		return 3;
	default:
		return 0;
	}
}

/* Template input cells: unlocked, light yellow. */
static void input_look(lxw_format *f)
{
	format_set_unlocked(f);
	format_set_bg_color(f, 0xFFF2CC);
}

static lxw_format *cell_fmt_in(xw *x, bool header, int cls, int indent, bool center, bool input)
{
	indent = clampi(indent, 0, 3);
	if (center)
		indent = 0;
	lxw_format **slot = &x->cell[header][cls][indent][center][input];
	if (*slot)
		return *slot;
	static const char *const numfmt[] = {NULL, "0.00", "0.00%", "0"};
	lxw_format *f = workbook_add_format(x->wb);
	if (!f)
		return NULL;
	format_set_font_name(f, header ? HEAD_FONT : BODY_FONT);
	format_set_font_size(f, 11);
	if (header)
		format_set_bold(f);
	format_set_border(f, LXW_BORDER_THIN);
	format_set_text_wrap(f);
	format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
	format_set_align(f, center ? LXW_ALIGN_CENTER : LXW_ALIGN_LEFT);
	if (indent)
		format_set_indent(f, (uint8_t)indent);
	if (numfmt[cls])
		format_set_num_format(f, numfmt[cls]);
	if (input)
		input_look(f);
	*slot = f;
	return f;
}

static lxw_format *cell_fmt(xw *x, bool header, int cls, int indent, bool center)
{
	return cell_fmt_in(x, header, cls, indent, center, false);
}

/* ---- template: validation and defined names ---- */

/* Data validation of an input cell by its field's type. */
static void validate_cell(xw *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                          const jx__field *f)
{
	lxw_data_validation dv;
	char *list[33];
	memset(&dv, 0, sizeof dv);
	switch (f->ftype) {
	case JX_F_AMOUNT:
	case JX_F_SCORE:
		dv.validate = LXW_VALIDATION_TYPE_DECIMAL;
		dv.criteria = LXW_VALIDATION_CRITERIA_GREATER_THAN_OR_EQUAL_TO;
		dv.error_message =
		        (char *)(uintptr_t) "应填写不小于 0 的数（金额单位万元，两位小数）";
		break;
	case JX_F_COUNT:
		dv.validate = LXW_VALIDATION_TYPE_INTEGER;
		dv.criteria = LXW_VALIDATION_CRITERIA_GREATER_THAN_OR_EQUAL_TO;
		dv.error_message = (char *)(uintptr_t) "应填写不小于 0 的整数";
		break;
	case JX_F_ENUM: {
		size_t len = 0, n = 0;
		for (size_t i = 0; i < f->nvalues && n < 32; i++) {
			len += strlen(f->values[i]) + 1;
			list[n++] = (char *)(uintptr_t)f->values[i];
		}
		if (!n || len > 250)
			return;
		list[n] = NULL;
		dv.validate = LXW_VALIDATION_TYPE_LIST;
		dv.value_list = list;
		break;
	}
	default:
		return;
	}
	if (dv.validate != LXW_VALIDATION_TYPE_LIST)
		dv.value_number = 0;
	dv.error_title = (char *)(uintptr_t) "填写有误";
	if (worksheet_data_validation_cell(ws, row, col, &dv) != LXW_NO_ERROR)
		x->oom = true;
}

/* The defined name "jx_<path>" ('.', '[', ']' as '_') of an input cell. */
static void name_cell(xw *x, const char *sheet, lxw_row_t row, lxw_col_t col, const char *path,
                      bool keep)
{
	for (size_t i = 0; i < x->nnamed; i++)
		if (!strcmp(x->named[i], path))
			return; /* shown twice: the first cell is named */
	char name[256], formula[512], cell[32];
	size_t n = (size_t)snprintf(name, sizeof name, "jx_%s", path);
	if (n >= sizeof name)
		return;
	for (char *p = name; *p; p++)
		if (*p == '.' || *p == '[' || *p == ']')
			*p = '_';
	lxw_rowcol_to_cell_abs(cell, row, col, 1, 1);
	jx__buf b;
	jx__buf_init(&b, x->alloc);
	jx__buf_adds(&b, "='");
	for (const char *p = sheet; *p; p++) {
		if (*p == '\'')
			jx__buf_addc(&b, '\'');
		jx__buf_addc(&b, *p);
	}
	jx__buf_printf(&b, "'!%s", cell);
	if (b.oom || !jx__grow(x->alloc, (void **)&x->named, &x->capnamed, x->nnamed + 1,
	                       sizeof(*x->named))) {
		jx__buf_fini(&b);
		x->oom = true;
		return;
	}
	snprintf(formula, sizeof formula, "%s", b.data);
	jx__buf_fini(&b);
	if (keep)
		x->named[x->nnamed++] = path; /* the report's: lives past the sheet */
	workbook_define_name(x->wb, name, formula);
}

static void make_formats(xw *x)
{
	x->title = workbook_add_format(x->wb);
	format_set_font_name(x->title, HEAD_FONT);
	format_set_font_size(x->title, 16);
	format_set_bold(x->title);
	format_set_align(x->title, LXW_ALIGN_CENTER);
	format_set_align(x->title, LXW_ALIGN_VERTICAL_CENTER);
	x->draft = workbook_add_format(x->wb);
	format_set_font_name(x->draft, HEAD_FONT);
	format_set_font_size(x->draft, 12);
	format_set_bold(x->draft);
	format_set_font_color(x->draft, LXW_COLOR_RED);
	format_set_align(x->draft, LXW_ALIGN_CENTER);
	format_set_align(x->draft, LXW_ALIGN_VERTICAL_CENTER);
	x->note = workbook_add_format(x->wb);
	format_set_font_name(x->note, BODY_FONT);
	format_set_font_size(x->note, 10);
	format_set_text_wrap(x->note);
	format_set_align(x->note, LXW_ALIGN_LEFT);
	format_set_align(x->note, LXW_ALIGN_VERTICAL_TOP);
}

/* ---- sheet names ---- */

/* Excel allows 31 characters and none of []:*?/\ in a sheet name. */
static void sheet_name(xw *x, const char *want, char *out, size_t size)
{
	char base[128];
	size_t len = strlen(want), i = 0, n = 0, chars = 0;
	while (i < len && chars < 28 && n + 5 < sizeof base) {
		size_t at = i;
		uint32_t cp = jx__utf8_next(want, len, &i);
		if (cp < 0x20 || (cp < 0x80 && strchr("[]:*?/\\", (int)cp)) ||
		    (cp == '\'' && (n == 0 || i == len)))
			base[n++] = '_';
		else
			for (size_t k = at; k < i; k++)
				base[n++] = want[k];
		chars++;
	}
	base[n] = '\0';
	if (!n)
		snprintf(base, sizeof base, "Sheet");
	snprintf(out, size, "%s", base);
	for (int k = 2; k < 100 && workbook_get_worksheet_by_name(x->wb, out); k++)
		snprintf(out, size, "%s(%d)", base, k);
}

/* ---- the map of value cells ---- */

static void add_ref(xw *x, const jx__rcell *c, size_t sheet, lxw_row_t row)
{
	if (!jx__grow(x->alloc, (void **)&x->refs, &x->caprefs, x->nrefs + 1, sizeof(*x->refs))) {
		x->oom = true;
		return;
	}
	xref *f = &x->refs[x->nrefs++];
	f->slot = c->slot;
	f->table = c->table;
	f->row = c->row;
	f->column = c->column;
	f->sheet = sheet;
	f->xrow = row;
	f->xcol = (lxw_col_t)c->col;
}

static const xref *find_slot(const xw *x, int slot)
{
	for (size_t i = 0; i < x->nrefs; i++)
		if (x->refs[i].slot == slot && slot >= 0)
			return &x->refs[i];
	return NULL;
}

static const xref *find_cell(const xw *x, int table, int row, int column)
{
	for (size_t i = 0; i < x->nrefs; i++) {
		const xref *f = &x->refs[i];
		if (f->slot < 0 && f->table == table && f->row == row && f->column == column)
			return f;
	}
	return NULL;
}

/* ---- formulas ---- */

typedef struct tctx {
	xw *x;
	jx__buf *b;
	size_t sheet; /* sheet of the cell being written */
	jx__row_ref scopes[8];
	size_t nscopes;
	int depth; /* inlined derived values */
} tctx;

static void put_sheet(tctx *c, size_t sheet)
{
	if (sheet == c->sheet)
		return;
	jx__buf_addc(c->b, '\'');
	for (const char *p = c->x->sheets[sheet].name; *p; p++) {
		if (*p == '\'')
			jx__buf_addc(c->b, '\'');
		jx__buf_addc(c->b, *p);
	}
	jx__buf_adds(c->b, "'!");
}

static void put_ref(tctx *c, const xref *f)
{
	char cell[32];
	put_sheet(c, f->sheet);
	lxw_rowcol_to_cell(cell, f->xrow, f->xcol);
	jx__buf_adds(c->b, cell);
}

static void put_num(tctx *c, jx_dec d)
{
	char buf[JX_DEC_BUFSZ];
	jx_dec_format(d, JX_DEC_SHORTEST, buf, sizeof buf);
	jx__buf_adds(c->b, buf);
}

static bool put_str(tctx *c, const char *s)
{
	jx__buf_addc(c->b, '"');
	for (; *s; s++) {
		if (*s == '"')
			jx__buf_addc(c->b, '"');
		jx__buf_addc(c->b, *s);
	}
	jx__buf_addc(c->b, '"');
	return true;
}

/* Excel precedence: comparisons bind loosest, then + -, * /, unary -. */
static int prec(const jx__expr *e)
{
	switch (e->op) {
	case JX_OP_EQ:
	case JX_OP_NE:
	case JX_OP_LT:
	case JX_OP_LE:
	case JX_OP_GT:
	case JX_OP_GE:
		return 1;
	case JX_OP_ADD:
	case JX_OP_SUB:
		return 2;
	case JX_OP_MUL:
	case JX_OP_DIV:
		return 3;
	case JX_OP_NEG:
		return 4;
	case JX_OP_NUM:
		return e->num.raw < 0 ? 4 : 5;
	default:
		return 5;
	}
}

static bool tr(tctx *c, const jx__expr *e, int need);

static bool tr_args(tctx *c, const char *fn, const jx__expr *e)
{
	jx__buf_adds(c->b, fn);
	jx__buf_addc(c->b, '(');
	for (size_t i = 0; i < e->nargs; i++) {
		if (i)
			jx__buf_addc(c->b, ',');
		if (!tr(c, e->args[i], 0))
			return false;
	}
	jx__buf_addc(c->b, ')');
	return true;
}

/* The range a table column occupies, when every row of it is on one
 * sheet, one column, consecutive rows. */
static bool col_range(tctx *c, int table, int column)
{
	const xw *x = c->x;
	size_t n = jx__doc_rows(x->r->doc, table);
	const xref *first = NULL, *f = NULL;
	for (size_t i = 0; i < n; i++) {
		f = find_cell(x, table, (int)i, column);
		if (!f)
			return false;
		if (!first)
			first = f;
		else if (f->sheet != first->sheet || f->xcol != first->xcol ||
		         f->xrow != first->xrow + (lxw_row_t)i)
			return false;
	}
	if (!first)
		return false;
	char range[64];
	lxw_rowcol_to_range(range, first->xrow, first->xcol, f->xrow, f->xcol);
	put_sheet(c, first->sheet);
	jx__buf_adds(c->b, range);
	return true;
}

static bool is_col_of(const jx__expr *e, int table)
{
	return e && e->op == JX_OP_COL && e->depth == 0 && e->table == table;
}

/* sum/min/max of a column, or sum of a column where another equals a
 * constant (SUMIF). */
static bool tr_agg(tctx *c, const jx__expr *e)
{
	static const char *const names[] = {
	        [JX_FN_SUM] = "SUM", [JX_FN_MIN] = "MIN", [JX_FN_MAX] = "MAX"};
	if ((e->fn != JX_FN_SUM && e->fn != JX_FN_MIN && e->fn != JX_FN_MAX) || !e->nargs ||
	    !is_col_of(e->args[0], e->table))
		return false;
	if (!e->where) {
		jx__buf_adds(c->b, names[e->fn]);
		jx__buf_addc(c->b, '(');
		if (!col_range(c, e->table, e->args[0]->column))
			return false;
		jx__buf_addc(c->b, ')');
		return true;
	}
	const jx__expr *w = e->where;
	if (e->fn != JX_FN_SUM || w->op != JX_OP_EQ || w->nargs != 2)
		return false;
	const jx__expr *col = w->args[0], *val = w->args[1];
	if (!is_col_of(col, e->table)) {
		col = w->args[1];
		val = w->args[0];
	}
	if (!is_col_of(col, e->table) || (val->op != JX_OP_STR && val->op != JX_OP_NUM) ||
	    (val->op == JX_OP_STR && strpbrk(val->str, "*?~<>=")))
		return false;
	jx__buf_adds(c->b, "SUMIF(");
	if (!col_range(c, e->table, col->column))
		return false;
	jx__buf_addc(c->b, ',');
	if (val->op == JX_OP_STR)
		put_str(c, val->str);
	else
		put_num(c, val->num);
	jx__buf_addc(c->b, ',');
	if (!col_range(c, e->table, e->args[0]->column))
		return false;
	jx__buf_addc(c->b, ')');
	return true;
}

static bool tr_call(tctx *c, const jx__expr *e, int need)
{
	switch (e->fn) {
	case JX_FN_IF:
		return e->nargs == 3 && tr_args(c, "IF", e);
	case JX_FN_SUM:
		return tr_args(c, "SUM", e);
	case JX_FN_MIN:
		return tr_args(c, "MIN", e);
	case JX_FN_MAX:
		return tr_args(c, "MAX", e);
	case JX_FN_ABS:
		return e->nargs == 1 && tr_args(c, "ABS", e);
	case JX_FN_ROUND:
		return e->nargs == 2 && tr_args(c, "ROUND", e);
	case JX_FN_PCT:
	case JX_FN_AMOUNT:
		return e->nargs == 1 && tr(c, e->args[0], need);
	default:
		return false;
	}
}

/* A derived value that is not on any sheet: its formula, inline. */
static bool tr_inline(tctx *c, const jx__expr *f, int need, size_t nscopes)
{
	if (!f || c->depth >= 16)
		return false;
	size_t saved = c->nscopes;
	c->nscopes = nscopes;
	c->depth++;
	bool ok = tr(c, f, need);
	c->depth--;
	c->nscopes = saved;
	return ok;
}

static bool tr_slot(tctx *c, const jx__expr *e, int need)
{
	const jx__field *fd = &c->x->r->doc->s->fields[e->slot];
	const xref *f = find_slot(c->x, e->slot);
	if (f) {
		put_ref(c, f);
		return true;
	}
	if (fd->ftype == JX_F_CONST && fd->constant.type == JX_V_NUM) {
		put_num(c, fd->constant.num);
		return true;
	}
	if (fd->ftype == JX_F_DERIVED)
		return tr_inline(c, fd->formula, need, 0);
	return false;
}

static bool tr_col(tctx *c, const jx__expr *e, int need)
{
	if ((size_t)e->depth >= c->nscopes)
		return false;
	size_t at = c->nscopes - 1 - (size_t)e->depth;
	const jx__row_ref *rr = &c->scopes[at];
	const xref *f = find_cell(c->x, rr->table, (int)rr->row, e->column);
	if (f) {
		put_ref(c, f);
		return true;
	}
	const jx__field *col = &c->x->r->doc->s->tables[rr->table].cols[e->column];
	if (col->ftype == JX_F_DERIVED)
		return tr_inline(c, col->formula, need, at + 1);
	return false;
}

static bool tr_inner(tctx *c, const jx__expr *e, int need)
{
	static const char *const ops[] = {
	        [JX_OP_ADD] = "+", [JX_OP_SUB] = "-", [JX_OP_MUL] = "*", [JX_OP_DIV] = "/",
	        [JX_OP_EQ] = "=",  [JX_OP_NE] = "<>", [JX_OP_LT] = "<",  [JX_OP_LE] = "<=",
	        [JX_OP_GT] = ">",  [JX_OP_GE] = ">="};
	int p = prec(e);
	switch (e->op) {
	case JX_OP_NUM:
		put_num(c, e->num);
		return true;
	case JX_OP_STR:
		return put_str(c, e->str);
	case JX_OP_SLOT:
		return tr_slot(c, e, need);
	case JX_OP_COL:
		return tr_col(c, e, need);
	case JX_OP_NEG:
		jx__buf_addc(c->b, '-');
		return tr(c, e->args[0], 4);
	case JX_OP_NOT:
		return tr_args(c, "NOT", e);
	case JX_OP_AND:
		return tr_args(c, "AND", e);
	case JX_OP_OR:
		return tr_args(c, "OR", e);
	case JX_OP_ADD:
	case JX_OP_SUB:
	case JX_OP_MUL:
	case JX_OP_DIV:
	case JX_OP_EQ:
	case JX_OP_NE:
	case JX_OP_LT:
	case JX_OP_LE:
	case JX_OP_GT:
	case JX_OP_GE:
		if (e->nargs != 2 || !tr(c, e->args[0], p == 1 ? 2 : p))
			return false;
		jx__buf_adds(c->b, ops[e->op]);
		return tr(c, e->args[1],
		          p == 1 ? 2 : p + (e->op == JX_OP_SUB || e->op == JX_OP_DIV));
	case JX_OP_CALL:
		return tr_call(c, e, need);
	case JX_OP_AGG:
		return tr_agg(c, e);
	default:
		return false;
	}
}

static bool tr(tctx *c, const jx__expr *e, int need)
{
	bool paren = prec(e) < need;
	if (paren)
		jx__buf_addc(c->b, '(');
	bool ok = tr_inner(c, e, need);
	if (paren)
		jx__buf_addc(c->b, ')');
	return ok;
}

/* The Excel formula of a computed cell into b; false if some part of it
 * has no place on the sheets or no Excel equivalent. */
static bool translate(xw *x, size_t sheet, const jx__rcell *cell, jx__buf *b)
{
	tctx c = {.x = x, .b = b, .sheet = sheet};
	if (cell->table >= 0) {
		c.scopes[0].table = cell->table;
		c.scopes[0].row = (size_t)cell->row;
		c.nscopes = 1;
	}
	b->len = 0;
	bool ok = tr(&c, cell->formula, 0);
	return ok && !b->oom && b->len && b->len < 8000;
}

/* ---- the attachment sheets ---- */

static void plan_sheet(xw *x, size_t si)
{
	xsheet *sh = &x->sheets[si];
	const jx__rtable *t = sh->t;
	int ncols = clampi(t->def->ncols, 1, MAXCOLS);
	for (int k = 0; k < ncols; k++)
		sh->width[k] = 0;
	for (size_t r = 0; r < t->nrows; r++) {
		const jx__rrow *row = &t->rows[r];
		for (size_t i = 0; i < row->ncells; i++) {
			const jx__rcell *c = &row->cells[i];
			if (c->covered || c->col < 0 || c->col >= ncols)
				continue;
			if (c->is_value)
				add_ref(x, c, si, sh->base + (lxw_row_t)r);
			if (c->colspan == 1) {
				double w = text_units(c->text) + 2 +
				           (c->col == 0 ? row->indent * 2 : 0);
				if (w > sh->width[c->col])
					sh->width[c->col] = w;
			}
		}
	}
	for (int k = 0; k < ncols; k++) {
		double w = sh->width[k];
		if (k == 0)
			w = w < 20 ? 20 : w > 34 ? 34 : w;
		else
			w = w < 10 ? 10 : w > 24 ? 24 : w;
		sh->width[k] = w;
	}
}

static double span_width(const xsheet *sh, int col, int span, int ncols)
{
	double w = 0;
	for (int k = col; k < col + span && k < ncols; k++)
		w += sh->width[k];
	return w;
}

static void write_value(xw *x, size_t si, lxw_row_t row, const jx__rcell *c, lxw_format *f,
                        jx__buf *fb)
{
	lxw_worksheet *ws = x->sheets[si].ws;
	lxw_col_t col = (lxw_col_t)c->col;
	const jx_value *v = &c->value;
	bool computed = c->formula != NULL;
	if (x->tpl && computed) {
		/* A blank template: every computed cell a formula, blank until
		 * its inputs are filled in (IFERROR hides #DIV/0!). */
		if (translate(x, si, c, fb)) {
			jx__buf_adds(fb, ",\"\")");
			jx__buf b2;
			jx__buf_init(&b2, x->alloc);
			jx__buf_printf(&b2, "=IFERROR(%s", fb->data);
			if (b2.oom || !b2.data)
				x->oom = true;
			else
				worksheet_write_formula(ws, row, col, b2.data, f);
			jx__buf_fini(&b2);
			x->formulas++;
		} else {
			worksheet_write_blank(ws, row, col, f);
			x->fallbacks++;
		}
		return;
	}
	if (v->type == JX_V_BLANK) {
		if (v->na)
			worksheet_write_string(ws, row, col, "——", f);
		else
			worksheet_write_blank(ws, row, col, f);
		return;
	}
	bool ok = computed && (v->type == JX_V_NUM || v->type == JX_V_TEXT) &&
	          translate(x, si, c, fb);
	if (computed) {
		if (ok)
			x->formulas++;
		else
			x->fallbacks++;
	}
	if (v->type == JX_V_NUM) {
		double d = dec_double(v->num);
		if (ok)
			worksheet_write_formula_num(ws, row, col, fb->data, f, d);
		else
			worksheet_write_number(ws, row, col, d, f);
	} else if (v->type == JX_V_TEXT && ok) {
		worksheet_write_formula_str(ws, row, col, fb->data, f, v->s);
	} else {
		worksheet_write_string(ws, row, col, c->text, f);
	}
}

static void write_grid(xw *x, size_t si, jx__buf *fb)
{
	xsheet *sh = &x->sheets[si];
	const jx__rtable *t = sh->t;
	lxw_worksheet *ws = sh->ws;
	int ncols = clampi(t->def->ncols, 1, MAXCOLS);
	lxw_format *blank = cell_fmt(x, false, 0, 0, true);
	for (size_t r = 0; r < t->nrows; r++) {
		const jx__rrow *row = &t->rows[r];
		lxw_row_t xr = sh->base + (lxw_row_t)r;
		int lines = 1;
		for (int k = 0; k < ncols; k++)
			worksheet_write_blank(ws, xr, (lxw_col_t)k, blank);
		for (size_t i = 0; i < row->ncells; i++) {
			const jx__rcell *c = &row->cells[i];
			if (c->covered || c->col < 0 || c->col >= ncols)
				continue;
			bool input = x->tpl && c->is_value && !c->formula && c->path;
			bool number = c->is_value &&
			              (c->value.type == JX_V_NUM || (x->tpl && num_class(c->kind)));
			double avail = span_width(sh, c->col, c->colspan, ncols);
			bool center = row->header || number ||
			              (c->col > 0 && c->colspan <= 2 && !strchr(c->text, '\n') &&
			               text_units(c->text) <= avail);
			lxw_format *f = cell_fmt_in(x, row->header, number ? num_class(c->kind) : 0,
			                            c->col == 0 ? row->indent : 0, center, input);
			lxw_col_t last =
			        (lxw_col_t)(c->col + (c->colspan > 1 ? c->colspan : 1) - 1);
			if (last >= ncols)
				last = (lxw_col_t)(ncols - 1);
			lxw_row_t lastr = xr + (lxw_row_t)(c->rowspan > 1 ? c->rowspan - 1 : 0);
			if (last > (lxw_col_t)c->col || lastr > xr)
				worksheet_merge_range(ws, xr, (lxw_col_t)c->col, lastr, last, "",
				                      f);
			if (c->is_value)
				write_value(x, si, xr, c, f, fb);
			else if (c->text[0])
				worksheet_write_string(ws, xr, (lxw_col_t)c->col, c->text, f);
			if (input) {
				const jx_scheme *s = x->r->doc->s;
				const jx__field *fd = c->slot >= 0 ? &s->fields[c->slot]
				                      : c->table >= 0
				                              ? &s->tables[c->table].cols[c->column]
				                              : NULL;
				if (fd)
					validate_cell(x, ws, xr, (lxw_col_t)c->col, fd);
				name_cell(x, sh->name, xr, (lxw_col_t)c->col, c->path, true);
			}
			if (c->rowspan <= 1) {
				int n = text_lines(c->text, avail - 1);
				if (n > lines)
					lines = n;
			}
		}
		worksheet_set_row(ws, xr, lines > 1 ? 15.0 * lines + 4 : 20, NULL);
	}
	lxw_row_t nr = sh->base + (lxw_row_t)t->nrows;
	double all = span_width(sh, 0, ncols, ncols);
	for (size_t i = 0; i < t->nnotes; i++, nr++) {
		if (ncols > 1)
			worksheet_merge_range(ws, nr, 0, nr, (lxw_col_t)(ncols - 1), "", x->note);
		worksheet_write_string(ws, nr, 0, t->notes[i], x->note);
		int n = text_lines(t->notes[i], all * 1.1 - 2);
		worksheet_set_row(ws, nr, 14.0 * n + 6, NULL);
	}
}

static void header_footer(lxw_worksheet *ws, const char *name)
{
	char tmp[512] = "&L";
	size_t n = 2;
	for (const char *p = name; *p && n + 3 < sizeof tmp; p++) {
		if (*p == '&')
			tmp[n++] = '&';
		tmp[n++] = *p;
	}
	tmp[n] = '\0';
	worksheet_set_header(ws, tmp);
	worksheet_set_footer(ws, "&C第 &P 页，共 &N 页");
}

static void print_setup(lxw_worksheet *ws, int ncols, lxw_row_t repeat_last)
{
	worksheet_set_paper(ws, 9);
	if (ncols <= 4)
		worksheet_set_portrait(ws);
	else
		worksheet_set_landscape(ws);
	worksheet_fit_to_pages(ws, 1, 0);
	worksheet_set_margins(ws, 0.7, 0.7, 0.75, 0.75);
	worksheet_center_horizontally(ws);
	worksheet_repeat_rows(ws, 0, repeat_last);
}

static void write_sheet(xw *x, size_t si, jx__buf *fb)
{
	xsheet *sh = &x->sheets[si];
	const jx__attachment *a = sh->t->def;
	lxw_worksheet *ws = sh->ws;
	int ncols = clampi(a->ncols, 1, MAXCOLS);
	for (int k = 0; k < ncols; k++)
		worksheet_set_column(ws, (lxw_col_t)k, (lxw_col_t)k, sh->width[k], NULL);
	const char *title = a->title ? a->title : a->name ? a->name : "";
	if (ncols > 1)
		worksheet_merge_range(ws, 0, 0, 0, (lxw_col_t)(ncols - 1), title, x->title);
	else
		worksheet_write_string(ws, 0, 0, title, x->title);
	worksheet_set_row(ws, 0, 36, NULL);
	if (x->r->nerrors) {
		char buf[128];
		snprintf(buf, sizeof buf, "草稿：尚有 %zu 个错误未改正", x->r->nerrors);
		if (ncols > 1)
			worksheet_merge_range(ws, 1, 0, 1, (lxw_col_t)(ncols - 1), buf, x->draft);
		else
			worksheet_write_string(ws, 1, 0, buf, x->draft);
		worksheet_set_row(ws, 1, 22, NULL);
	}
	write_grid(x, si, fb);
	header_footer(ws, a->name ? a->name : "");
	/* The title, the draft note and the first grid row (the unit's name)
	 * on every printed page. */
	print_setup(ws, ncols, sh->t->nrows ? sh->base : sh->base - 1);
	if (x->tpl)
		worksheet_protect(ws, NULL, NULL);
}

/* ---- template: the first sheet, how to fill it in ---- */

static void write_guide(xw *x)
{
	static const char *const lines[] = {
	        "填表说明",
	        "1. "
	        "本工作簿是绩效自评的空白模板：只需填写浅黄色单元格，其余单元格由公式计算，已锁定"
	        "（工作表保护，无密码）。",
	        "2. 金额单位为万元，保留两位小数（如 484.14）；人数等为整数。",
	        "3. 百分数按百分数填写（如 87.50%），单元格已设为百分比格式。",
	        "4. 不知道或没有的数留空；确实为零的填 0（空白与 0 含义不同）；不适用的填“——”。",
	        "5. "
	        "附件表中没有位置的内容（情况说明、自评分数、指标性质与等级等）在“填报数据”表中按"
	        "字段路径逐行填写；多段文字在同一单元格内换行（Alt+Enter）分段。",
	        "6. 指标等表格预留了若干空行，未用的行留空即可；不要增删行列、改动表头与公式。",
	        "7. 填好后保存为 .xlsx，运行 jixiao import 文件.xlsx -o 文件.yaml "
	        "读回为数据文件并核查，"
	        "问题会指明单元格（如 附件1-2!F12）。",
	};
	char name[128];
	sheet_name(x, "填表说明", name, sizeof name);
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, name);
	if (!ws) {
		x->oom = true;
		return;
	}
	worksheet_set_column(ws, 0, 0, 100, NULL);
	worksheet_write_string(ws, 0, 0, lines[0], x->title);
	worksheet_set_row(ws, 0, 36, NULL);
	for (size_t i = 1; i < sizeof lines / sizeof lines[0]; i++) {
		worksheet_write_string(ws, (lxw_row_t)i, 0, lines[i], x->note);
		int n = text_lines(lines[i], 100 * 1.1 - 2);
		worksheet_set_row(ws, (lxw_row_t)i, 16.0 * n + 6, NULL);
	}
	worksheet_set_paper(ws, 9);
	worksheet_protect(ws, NULL, NULL);
}

/* ---- findings ---- */

static void write_findings(xw *x, jx__buf *tb)
{
	const jx_diags *d = x->r->findings;
	char name[128];
	if (!d || !jx_diags_count(d))
		return;
	sheet_name(x, "核查结果", name, sizeof name);
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, name);
	if (!ws) {
		x->oom = true;
		return;
	}
	static const char *const heads[] = {"级别", "规则", "位置", "说明"};
	static const double widths[] = {8, 8, 40, 90};
	lxw_format *h = cell_fmt(x, true, 0, 0, true), *body = cell_fmt(x, false, 0, 0, false),
	           *mid = cell_fmt(x, false, 0, 0, true);
	for (lxw_col_t k = 0; k < 4; k++) {
		worksheet_set_column(ws, k, k, widths[k], NULL);
		worksheet_write_string(ws, 0, k, heads[k], h);
	}
	worksheet_set_row(ws, 0, 22, NULL);
	for (size_t i = 0; i < jx_diags_count(d); i++) {
		const jx_diag *g = jx_diags_get(d, i);
		lxw_row_t row = (lxw_row_t)(i + 1);
		char loc[512] = "";
		if (g->path)
			snprintf(loc, sizeof loc, "%s", g->path);
		else if (g->file && g->line)
			snprintf(loc, sizeof loc, "%s:%u", g->file, g->line);
		else if (g->file)
			snprintf(loc, sizeof loc, "%s", g->file);
		tb->len = 0;
		jx__buf_adds(tb, g->message ? g->message : "");
		if (g->note)
			jx__buf_printf(tb, "\n%s", g->note);
		if (tb->oom || !tb->data) {
			x->oom = true;
			return;
		}
		worksheet_write_string(ws, row, 0, jx__severity_cn(g->severity), mid);
		worksheet_write_string(ws, row, 1, g->id ? g->id : "", mid);
		worksheet_write_string(ws, row, 2, loc, body);
		worksheet_write_string(ws, row, 3, tb->data, body);
		int n = text_lines(tb->data, widths[3] - 2), n2 = text_lines(loc, widths[2] - 2);
		if (n2 > n)
			n = n2;
		worksheet_set_row(ws, row, n > 1 ? 15.0 * n + 4 : 20, NULL);
	}
	worksheet_set_paper(ws, 9);
	worksheet_set_landscape(ws);
	worksheet_fit_to_pages(ws, 1, 0);
	worksheet_set_margins(ws, 0.7, 0.7, 0.75, 0.75);
	worksheet_center_horizontally(ws);
	worksheet_repeat_rows(ws, 0, 0);
	worksheet_freeze_panes(ws, 1, 0);
}

/* ---- the data sheet ---- */

/* Every input value that no attachment cell shows (narrative, stated
 * scores, enum columns …) in long form: path, label, value as the data
 * file states it, so that `jixiao import` gets the whole data file back. */

typedef struct shown {
	const char **paths;
	size_t n, cap;
} shown;

static bool is_shown(const shown *sp, const char *path)
{
	for (size_t i = 0; i < sp->n; i++)
		if (!strcmp(sp->paths[i], path))
			return true;
	return false;
}

/* Paths of the input cells placed on the attachment sheets. */
static bool collect_shown(xw *x, shown *sp)
{
	const jx__report *r = x->r;
	for (size_t t = 0; t < r->ntables; t++)
		for (size_t i = 0; i < r->tables[t].nrows; i++)
			for (size_t k = 0; k < r->tables[t].rows[i].ncells; k++) {
				const jx__rcell *c = &r->tables[t].rows[i].cells[k];
				if (!c->is_value || c->formula || !c->path ||
				    c->col >= clampi(r->tables[t].def->ncols, 1, MAXCOLS))
					continue;
				if (!jx__grow(x->alloc, (void **)&sp->paths, &sp->cap, sp->n + 1,
				              sizeof(*sp->paths)))
					return false;
				sp->paths[sp->n++] = c->path;
			}
	return true;
}

static lxw_format *data_num_fmt(xw *x, bool percent, int decimals, bool input)
{
	decimals = clampi(decimals, 0, 6);
	lxw_format **slot = &x->dnum[percent][decimals][input];
	if (*slot)
		return *slot;
	char nf[16] = "0";
	if (decimals) {
		size_t n = 1;
		nf[n++] = '.';
		for (int i = 0; i < decimals; i++)
			nf[n++] = '0';
		nf[n] = '\0';
	}
	if (percent)
		strcat(nf, "%");
	lxw_format *f = workbook_add_format(x->wb);
	if (!f)
		return NULL;
	format_set_font_name(f, BODY_FONT);
	format_set_font_size(f, 11);
	format_set_border(f, LXW_BORDER_THIN);
	format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
	format_set_align(f, LXW_ALIGN_LEFT);
	format_set_num_format(f, nf);
	if (input)
		input_look(f);
	*slot = f;
	return f;
}

typedef struct dsheet {
	xw *x;
	lxw_worksheet *ws;
	const char *name;
	lxw_format *head, *text;
	lxw_row_t row;
	jx__buf *tb;
} dsheet;

static const double data_widths[] = {44, 36, 70};

static void data_row(dsheet *d, const char *path, const char *label, const jx__field *f,
                     const jx_value *v)
{
	xw *x = d->x;
	lxw_worksheet *ws = d->ws;
	lxw_row_t row = d->row++;
	const char *shown_text = "";
	worksheet_write_string(ws, row, 0, path, d->text);
	worksheet_write_string(ws, row, 1, label ? label : "", d->text);
	switch (v->type) {
	case JX_V_NUM: {
		bool pct = f->ftype == JX_F_PERCENT || f->kind == JX_K_PERCENT;
		int dec = v->scale >= 0 ? v->scale : 2;
		if (pct && dec < 2)
			dec = 2;
		worksheet_write_number(ws, row, 2, dec_double(v->num),
		                       data_num_fmt(x, pct, dec, x->tpl));
		break;
	}
	case JX_V_TEXT:
		shown_text = v->s;
		worksheet_write_string(ws, row, 2, v->s, d->text);
		break;
	case JX_V_BOOL:
		worksheet_write_string(ws, row, 2, v->b ? "是" : "否", d->text);
		break;
	case JX_V_LIST:
		d->tb->len = 0;
		for (size_t i = 0; i < v->n; i++) {
			if (i)
				jx__buf_addc(d->tb, '\n');
			jx__buf_adds(d->tb, v->items[i]);
		}
		if (d->tb->oom) {
			x->oom = true;
			return;
		}
		shown_text = d->tb->data ? d->tb->data : "";
		worksheet_write_string(ws, row, 2, shown_text, d->text);
		break;
	default:
		if (v->na)
			worksheet_write_string(ws, row, 2, "——", d->text);
		else if (x->tpl && f->ftype == JX_F_PERCENT)
			worksheet_write_blank(ws, row, 2, data_num_fmt(x, true, 2, true));
		else if (x->tpl && (f->ftype == JX_F_AMOUNT || f->ftype == JX_F_SCORE))
			worksheet_write_blank(ws, row, 2, data_num_fmt(x, false, 2, true));
		else if (x->tpl && f->ftype == JX_F_COUNT)
			worksheet_write_blank(ws, row, 2, data_num_fmt(x, false, 0, true));
		else
			worksheet_write_blank(ws, row, 2, d->text);
		break;
	}
	if (x->tpl) {
		validate_cell(x, ws, row, 2, f);
		name_cell(x, d->name, row, 2, path, false);
	}
	int n = text_lines(shown_text, data_widths[2] - 2);
	int n2 = text_lines(label ? label : "", data_widths[1] - 2);
	if (n2 > n)
		n = n2;
	worksheet_set_row(ws, row, n > 1 ? 15.0 * n + 4 : 20, NULL);
}

static void write_data(xw *x, jx__buf *tb)
{
	const jx_doc *doc = x->r->doc;
	const jx_scheme *s = doc->s;
	shown sp = {NULL, 0, 0};
	char name[128];
	if (!collect_shown(x, &sp)) {
		x->oom = true;
		return;
	}
	sheet_name(x, "填报数据", name, sizeof name);
	dsheet d = {.x = x,
	            .ws = workbook_add_worksheet(x->wb, name),
	            .name = name,
	            .row = 1,
	            .tb = tb};
	d.head = cell_fmt(x, true, 0, 0, true);
	d.text = x->dtext[x->tpl] = workbook_add_format(x->wb);
	if (!d.ws || !d.text) {
		jx__free(x->alloc, sp.paths);
		x->oom = true;
		return;
	}
	format_set_font_name(d.text, BODY_FONT);
	format_set_font_size(d.text, 11);
	format_set_border(d.text, LXW_BORDER_THIN);
	format_set_text_wrap(d.text);
	format_set_align(d.text, LXW_ALIGN_VERTICAL_CENTER);
	format_set_align(d.text, LXW_ALIGN_LEFT);
	if (x->tpl)
		input_look(d.text);
	static const char *const heads[] = {"字段路径", "名称", "值"};
	for (lxw_col_t k = 0; k < 3; k++) {
		worksheet_set_column(d.ws, k, k, data_widths[k], NULL);
		worksheet_write_string(d.ws, 0, k, heads[k], d.head);
	}
	worksheet_set_row(d.ws, 0, 22, NULL);
	for (size_t i = 0; i < s->nfields && !x->oom; i++) {
		const jx__field *f = &s->fields[i];
		if (f->ftype == JX_F_DERIVED || f->ftype == JX_F_CONST || f->ftype == JX_F_TABLE ||
		    is_shown(&sp, f->path))
			continue;
		data_row(&d, f->path, f->label, f, jx__doc_slot(doc, (int)i));
	}
	char path[512], label[512];
	for (size_t t = 0; t < s->ntables && !x->oom; t++) {
		const jx__table *tb_ = &s->tables[t];
		if (tb_->field < 0 || tb_->rows) /* scheme-defined, not data */
			continue;
		const char *tlabel = s->fields[tb_->field].label;
		size_t rows = jx__doc_rows(doc, (int)t);
		for (size_t r = 0; r < rows && !x->oom; r++)
			for (size_t c = 0; c < tb_->ncols; c++) {
				const jx__field *f = &tb_->cols[c];
				if (f->ftype == JX_F_DERIVED || f->ftype == JX_F_CONST ||
				    f->ftype == JX_F_TABLE)
					continue;
				snprintf(path, sizeof path, "%s[%zu].%s", tb_->path, r, f->path);
				if (is_shown(&sp, path))
					continue;
				snprintf(label, sizeof label, "%s第%zu行：%s", tlabel ? tlabel : "",
				         r + 1, f->label ? f->label : f->path);
				data_row(&d, path, label, f, jx__doc_cell(doc, (int)t, r, (int)c));
			}
	}
	/* The written 说明 of warnings, so that `jixiao import` keeps them (a
	 * blank template has none). */
	static const jx__field text_field = {.ftype = JX_F_TEXT};
	for (size_t i = 0; !x->tpl && i < jx_doc_explanation_count(doc) && !x->oom; i++) {
		const jx_explanation *e = jx_doc_explanation(doc, i);
		const char *const keys[] = {"rule", "path", "text"};
		const char *const labels[] = {"规则", "路径", "说明"};
		const char *const vals[] = {e->rule, e->path, e->text};
		for (size_t k = 0; k < 3; k++) {
			if (!vals[k])
				continue;
			jx_value v = {.type = JX_V_TEXT, .scale = -1, .s = vals[k]};
			snprintf(path, sizeof path, "explanations[%zu].%s", i, keys[k]);
			snprintf(label, sizeof label, "核实事项说明第%zu项：%s", i + 1, labels[k]);
			data_row(&d, path, label, &text_field, &v);
		}
	}
	jx__free(x->alloc, sp.paths);
	worksheet_freeze_panes(d.ws, 1, 0);
	worksheet_set_paper(d.ws, 9);
	worksheet_set_landscape(d.ws);
	worksheet_fit_to_pages(d.ws, 1, 0);
	worksheet_repeat_rows(d.ws, 0, 0);
	if (x->tpl)
		worksheet_protect(d.ws, NULL, NULL);
}

/* ---- the workbook ---- */

static bool build(xw *x, const jx_report_opts *o)
{
	const jx__report *r = x->r;
	jx__buf fb;
	jx__buf_init(&fb, x->alloc);
	make_formats(x);
	x->sheets = jx__alloc(x->alloc, (r->ntables ? r->ntables : 1) * sizeof(*x->sheets));
	if (!x->sheets) {
		x->oom = true;
		return false;
	}
	memset(x->sheets, 0, (r->ntables ? r->ntables : 1) * sizeof(*x->sheets));
	if (x->tpl)
		write_guide(x);
	for (size_t i = 0; i < r->ntables && !x->oom; i++) {
		xsheet *sh = &x->sheets[x->nsheets];
		sh->t = &r->tables[i];
		sheet_name(x, sh->t->def->name ? sh->t->def->name : sh->t->def->id, sh->name,
		           sizeof sh->name);
		sh->ws = workbook_add_worksheet(x->wb, sh->name);
		if (!sh->ws) {
			x->oom = true;
			break;
		}
		sh->base = r->nerrors ? 2 : 1;
		x->nsheets++;
		plan_sheet(x, x->nsheets - 1);
	}
	for (size_t i = 0; i < x->nsheets && !x->oom; i++)
		write_sheet(x, i, &fb);
	if (!x->oom)
		write_data(x, &fb);
	if (!x->oom)
		write_findings(x, &fb);
	x->oom |= fb.oom;
	jx__buf_fini(&fb);

	char comments[160];
	snprintf(comments, sizeof comments, "计算单元格：公式 %zu 个，按值写入 %zu 个", x->formulas,
	         x->fallbacks);
	lxw_doc_properties props;
	memset(&props, 0, sizeof props);
	props.title = (char *)(uintptr_t)(r->title ? r->title : "");
	props.author = (char *)(uintptr_t) "jixiao";
	props.comments = comments;
	props.created = (time_t)jx__doc_time(o);
	workbook_set_properties(x->wb, &props);
	return !x->oom;
}

jx_status jx__write_xlsx(const jx__report *r, const char *path, const jx_report_opts *o,
                         jx_diags *errors)
{
	char tmp[4096];
	jx__loc l = {path, 0, 0};
	int fd = jx__temp_open(path, tmp, sizeof tmp, errors);
	if (fd < 0)
		return JX_ERR_IO;
	close(fd);
	unlink(tmp);
	/* libxlsxwriter stages every part in a temporary file; in memory
	 * (tmpfs) that costs a third of the system time of a disk. */
	char shm[] = "/dev/shm";
	lxw_workbook_options wo = {.constant_memory = LXW_FALSE,
	                           .tmpdir = access(shm, W_OK) == 0 ? shm : NULL,
	                           .use_zip64 = 0};
	xw x;
	memset(&x, 0, sizeof x);
	x.r = r;
	x.alloc = r->doc->alloc;
	x.tpl = o->template_mode;
	x.wb = workbook_new_opt(tmp, &wo);
	if (!x.wb) {
		jx__diag_fatal(errors, "W01", l, NULL, "无法创建工作簿");
		return JX_ERR_OOM;
	}
	bool ok = build(&x, o);
	lxw_error err = workbook_close(x.wb);
	jx__free(x.alloc, x.refs);
	jx__free(x.alloc, x.sheets);
	jx__free(x.alloc, x.named);
	if (!ok || err != LXW_NO_ERROR) {
		unlink(tmp);
		if (!ok) {
			jx__diag_fatal(errors, "W01", l, NULL, "内存不足，未能生成工作簿");
			return JX_ERR_OOM;
		}
		jx__diag_fatal(errors, "W01", l, NULL, "写入工作簿失败：%s", lxw_strerror(err));
		return JX_ERR_IO;
	}
	return jx__commit_temp(tmp, path, errors);
}
