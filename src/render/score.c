/* The scored 自评表 as a plain-text table for terminals: one line per
 * indicator under its category, with the stated and the computed score,
 * subtotals, the total and the grade.  Columns are aligned by display
 * width, so Chinese text (two columns a character) lines up. */
#include "../eval/doc.h"

#include <stdio.h>
#include <string.h>

enum { C_L1, C_L2, C_NAME, C_TARGET, C_ACTUAL, C_NATURE, C_WEIGHT, C_STATED, C_SCORE, C_MARK, NC };

static const char *const headers[NC] = {"一级指标", "二级指标", "三级指标", "指标值",   "完成值",
                                        "性质",     "分值",     "自评得分", "计算得分", ""};
static const size_t max_width[NC] = {10, 14, 30, 14, 14, 4, 12, 8, 8, 2};
static const bool right[NC] = {false, false, false, false, false, false, true, true, true, false};

typedef struct trow {
	char cell[NC][160];
	bool rule_before;
} trow;

typedef struct grid {
	trow *rows;
	size_t n, cap;
	const jx_allocator *alloc;
	bool oom;
} grid;

static trow *add_row(grid *t)
{
	if (!jx__grow(t->alloc, (void **)&t->rows, &t->cap, t->n + 1, sizeof(trow))) {
		t->oom = true;
		return NULL;
	}
	trow *r = &t->rows[t->n++];
	memset(r, 0, sizeof(*r));
	return r;
}

/* Copies s cut to at most w display columns (ending with … when cut). */
static void fit(char *dst, size_t size, const char *s, size_t w)
{
	size_t len = strlen(s), i = 0, used = 0, out = 0;
	if (jx__text_width(s) <= w) {
		jx__copy_text(dst, size, s);
		return;
	}
	while (i < len) {
		size_t start = i;
		size_t cw = jx__cp_width(jx__utf8_next(s, len, &i));
		if (used + cw > w - 1 || out + (i - start) + 4 > size)
			break;
		memcpy(dst + out, s + start, i - start);
		out += i - start;
		used += cw;
	}
	memcpy(dst + out, "…", 3);
	dst[out + 3] = '\0';
}

static void set(trow *r, int c, const char *s)
{
	fit(r->cell[c], sizeof r->cell[c], s ? s : "", max_width[c]);
}

static void set_value(trow *r, int c, const jx_value *v, jx__kind kind)
{
	char buf[256];
	if (!v || v->type == JX_V_BLANK) {
		set(r, c, v && v->na ? "——" : "");
		return;
	}
	jx__value_format(v, kind, buf, sizeof buf);
	set(r, c, buf);
}

static int col_of(const jx__table *t, const char *name)
{
	for (size_t i = 0; i < t->ncols; i++)
		if (!strcmp(t->cols[i].path, name))
			return (int)i;
	return -1;
}

static const jx_value *cell(const jx_doc *d, int table, size_t row, int col)
{
	return col < 0 ? NULL : jx__doc_cell(d, table, row, col);
}

static const jx_value *slot_val(const jx_doc *d, int slot)
{
	return slot < 0 ? NULL : jx__doc_slot(d, slot);
}

static jx__kind slot_kind(const jx_doc *d, int slot)
{
	return slot < 0 ? JX_K_PLAIN : d->s->fields[slot].kind;
}

static bool differs(const jx_value *a, const jx_value *b)
{
	if (!a || !b || a->type != b->type)
		return a && b && a->type != JX_V_BLANK && b->type != JX_V_BLANK;
	if (a->type == JX_V_NUM)
		return jx_dec_cmp(a->num, b->num) != 0;
	if (a->type == JX_V_TEXT)
		return strcmp(a->s, b->s) != 0;
	return false;
}

static void funds_row(grid *t, const jx_doc *d)
{
	const jx_scheme *s = d->s;
	trow *r = add_row(t);
	if (!r)
		return;
	set(r, C_L1, "预算执行率");
	set(r, C_NAME, "全年执行数 ÷ 全年预算数");
	set_value(r, C_ACTUAL, slot_val(d, s->result.funds_rate), JX_K_PERCENT);
	set_value(r, C_WEIGHT, slot_val(d, s->result.funds_weight), JX_K_SCORE);
	set_value(r, C_STATED, slot_val(d, s->result.funds_stated_score), JX_K_SCORE);
	set_value(r, C_SCORE, slot_val(d, s->result.funds_score), JX_K_SCORE);
	if (differs(slot_val(d, s->result.funds_stated_score), slot_val(d, s->result.funds_score)))
		set(r, C_MARK, "≠");
}

static void indicator_row(grid *t, const jx_doc *d, int ti, size_t i, bool first)
{
	const jx__table *tb = &d->s->tables[ti];
	static const char *const names[] = {"level2",     "name",   "target",       "actual",
	                                    "nature_eff", "weight", "stated_score", "score"};
	static const int cols[] = {C_L2,     C_NAME,   C_TARGET, C_ACTUAL,
	                           C_NATURE, C_WEIGHT, C_STATED, C_SCORE};
	trow *r = add_row(t);
	if (!r)
		return;
	if (first)
		set_value(r, C_L1, cell(d, ti, i, col_of(tb, "level1")), JX_K_PLAIN);
	for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++) {
		int c = col_of(tb, names[k]);
		set_value(r, cols[k], cell(d, ti, i, c), c >= 0 ? tb->cols[c].kind : JX_K_PLAIN);
	}
	if (differs(cell(d, ti, i, col_of(tb, "stated_score")),
	            cell(d, ti, i, col_of(tb, "score"))))
		set(r, C_MARK, "≠");
}

/* Sums a column over the indicators of one category. */
static void category_sum(const jx_doc *d, int ti, const char *name, const char *col, jx_value *out)
{
	const jx__table *tb = &d->s->tables[ti];
	int l1 = col_of(tb, "level1"), c = col_of(tb, col);
	memset(out, 0, sizeof(*out));
	out->type = JX_V_NUM;
	out->scale = 2;
	for (size_t i = 0; c >= 0 && l1 >= 0 && i < jx__doc_rows(d, ti); i++) {
		const jx_value *lv = cell(d, ti, i, l1), *v = cell(d, ti, i, c);
		if (lv->type == JX_V_TEXT && !strcmp(lv->s, name) && v->type == JX_V_NUM)
			jx_dec_add(out->num, v->num, &out->num);
	}
}

static void category_rows(grid *t, const jx_doc *d, size_t cat)
{
	const jx_scheme *s = d->s;
	int ti = s->indicators_table, l1 = col_of(&s->tables[ti], "level1");
	const jx_value *name = jx__doc_cell(d, s->categories_table, cat, 0);
	const jx_value *label = jx__doc_cell(d, s->categories_table, cat, 1);
	const jx_value *weight = jx__doc_cell(d, s->categories_table, cat, 2);
	bool first = true;
	for (size_t i = 0; l1 >= 0 && i < jx__doc_rows(d, ti); i++) {
		const jx_value *v = jx__doc_cell(d, ti, i, l1);
		if (v->type == JX_V_TEXT && !strcmp(v->s, name->s)) {
			indicator_row(t, d, ti, i, first);
			if (first && t->n)
				t->rows[t->n - 1].rule_before = true;
			first = false;
		}
	}
	trow *r;
	if (first) { /* a category without indicators still shows, marked */
		if (!(r = add_row(t)))
			return;
		r->rule_before = true;
		set(r, C_L1, name->s);
		set(r, C_NAME, "（无指标）");
	}
	if (!(r = add_row(t)))
		return;
	jx_value ws, ss, cs;
	category_sum(d, ti, name->s, "weight", &ws);
	category_sum(d, ti, name->s, "stated_score", &ss);
	category_sum(d, ti, name->s, "score", &cs);
	char buf[200], wbuf[32], tbuf[32];
	jx_dec_format(ws.num, JX_DEC_SHORTEST, wbuf, sizeof wbuf);
	jx_dec_format(weight->num, JX_DEC_SHORTEST, tbuf, sizeof tbuf);
	snprintf(buf, sizeof buf, "%s小计", label->s);
	set(r, C_NAME, buf);
	snprintf(buf, sizeof buf, "%s/%s", wbuf, tbuf);
	set(r, C_WEIGHT, buf);
	set_value(r, C_STATED, &ss, JX_K_SCORE);
	set_value(r, C_SCORE, &cs, JX_K_SCORE);
	if (jx_dec_cmp(ws.num, weight->num))
		set(r, C_MARK, "≠");
}

static void total_rows(grid *t, const jx_doc *d)
{
	const jx_scheme *s = d->s;
	int total = jx__scheme_slot(s, "framework.total", strlen("framework.total"));
	trow *r = add_row(t);
	if (!r)
		return;
	r->rule_before = true;
	set(r, C_L1, "总分");
	set_value(r, C_WEIGHT, slot_val(d, total), JX_K_PLAIN);
	set_value(r, C_STATED, slot_val(d, s->result.stated_total),
	          slot_kind(d, s->result.stated_total));
	set_value(r, C_SCORE, slot_val(d, s->result.total), JX_K_SCORE);
	if (differs(slot_val(d, s->result.stated_total), slot_val(d, s->result.total)))
		set(r, C_MARK, "≠");
	if (!(r = add_row(t)))
		return;
	set(r, C_L1, "等次");
	set_value(r, C_STATED, slot_val(d, s->result.stated_grade), JX_K_PLAIN);
	set_value(r, C_SCORE, slot_val(d, s->result.grade), JX_K_PLAIN);
	if (differs(slot_val(d, s->result.stated_grade), slot_val(d, s->result.grade)))
		set(r, C_MARK, "≠");
}

static void emit_cell(jx__buf *b, const char *s, size_t w, bool align_right, bool last)
{
	size_t sw = jx__text_width(s);
	if (align_right)
		jx__buf_pad(b, w - sw);
	jx__buf_adds(b, s);
	if (!align_right && !last)
		jx__buf_pad(b, w - sw);
	if (!last)
		jx__buf_adds(b, "  ");
}

static void emit_table(jx__buf *b, const grid *t)
{
	size_t w[NC];
	for (int c = 0; c < NC; c++) {
		w[c] = jx__text_width(headers[c]);
		for (size_t i = 0; i < t->n; i++) {
			size_t cw = jx__text_width(t->rows[i].cell[c]);
			if (cw > w[c])
				w[c] = cw;
		}
	}
	size_t total = 0;
	for (int c = 0; c < NC; c++)
		total += w[c] + 2;
	for (int c = 0; c < NC; c++)
		emit_cell(b, headers[c], w[c], right[c], c == NC - 1);
	while (b->len && b->data[b->len - 1] == ' ')
		b->data[--b->len] = '\0';
	jx__buf_addc(b, '\n');
	for (size_t i = 0; i < t->n; i++) {
		if (i == 0 || t->rows[i].rule_before) {
			for (size_t k = 0; k < total - 2; k++)
				jx__buf_addc(b, '-');
			jx__buf_addc(b, '\n');
		}
		for (int c = 0; c < NC; c++)
			emit_cell(b, t->rows[i].cell[c], w[c], right[c], c == NC - 1);
		/* Trailing spaces are noise in golden files and terminals. */
		while (b->len && b->data[b->len - 1] == ' ')
			b->data[--b->len] = '\0';
		jx__buf_addc(b, '\n');
	}
}

/* The scheme's report title ("…{unit.name}{year}年…自评报告"), else the
 * unit and year. */
static void title_line(jx__buf *b, jx_doc *d)
{
	const jx__tpl *tpl = &d->s->report_title;
	jx__env env;
	char tmp[512];
	if (!tpl->nparts) {
		jx__buf_printf(b, "%s\n", jx_scheme_title(d->s));
		return;
	}
	jx__doc_env(d, &env);
	for (size_t i = 0; i < tpl->nparts; i++) {
		if (tpl->parts[i].text) {
			jx__buf_adds(b, tpl->parts[i].text);
			continue;
		}
		jx_value v;
		jx__formula_eval(&env, tpl->parts[i].expr, &v);
		jx__value_format(&v, tpl->parts[i].expr->kind, tmp, sizeof tmp);
		jx__buf_adds(b, tmp);
	}
	jx__buf_printf(b, "\n自评表（方案：%s）\n", jx_scheme_title(d->s));
}

const char *jx_doc_score_table(jx_doc *d)
{
	const jx_scheme *s = d->s;
	grid t = {.alloc = d->alloc};
	jx__buf b;
	if (d->score_table)
		return d->score_table;
	if (!d->evaluated) {
		jx_diags *scratch = jx_diags_new(d->alloc);
		if (!scratch)
			return NULL;
		jx_doc_evaluate(d, scratch);
		jx_diags_free(scratch);
	}
	jx__buf_init(&b, d->alloc);
	title_line(&b, d);
	if (s->result.funds_score >= 0)
		funds_row(&t, d);
	if (s->indicators_table >= 0 && s->categories_table >= 0)
		for (size_t c = 0; c < s->tables[s->categories_table].nrows; c++)
			category_rows(&t, d, c);
	total_rows(&t, d);
	if (!t.oom)
		emit_table(&b, &t);
	jx__free(d->alloc, t.rows);
	d->score_table = t.oom ? NULL : jx__buf_take(&b);
	if (t.oom)
		jx__buf_fini(&b);
	return d->score_table;
}
