/* Evaluating the outline and the attachment layouts of a scheme into the
 * report model (report.h). */
#include "report.h"

#include <stdio.h>
#include <string.h>

typedef struct builder {
	jx__report *r;
	jx__env env;
	bool oom;
} builder;

const char *jx__severity_cn(jx_severity s)
{
	switch (s) {
	case JX_SEV_INFO:
		return "提示";
	case JX_SEV_WARNING:
		return "警告";
	case JX_SEV_ERROR:
		return "错误";
	default:
		return "严重错误";
	}
}

const char *jx__cn_number(int n, char *buf, size_t size)
{
	static const char *const d[] = {"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
	if (n <= 0 || n > 99)
		snprintf(buf, size, "%d", n);
	else if (n < 10)
		snprintf(buf, size, "%s", d[n]);
	else
		snprintf(buf, size, "%s十%s", n >= 20 ? d[n / 10] : "", n % 10 ? d[n % 10] : "");
	return buf;
}

static const char *dup(builder *b, const char *s)
{
	const char *p = jx__arena_strdup(&b->r->arena, s ? s : "");
	if (!p)
		b->oom = true;
	return p;
}

/* A value as the report shows it: blank as "—", not-applicable as "——". */
static void show(const jx_value *v, jx__kind kind, char *buf, size_t size)
{
	if (v->type == JX_V_BLANK)
		snprintf(buf, size, "%s", v->na ? "——" : "");
	else
		jx__value_format(v, kind, buf, size);
}

/* Prose shows a blank figure as "—"; a table cell stays empty, as printed. */
static const char *render_tpl(builder *b, const jx__tpl *tpl, bool prose)
{
	jx__buf out;
	char tmp[512];
	jx__buf_init(&out, b->r->doc->alloc);
	for (size_t i = 0; i < tpl->nparts; i++) {
		const jx__tpl_part *p = &tpl->parts[i];
		if (p->text) {
			jx__buf_adds(&out, p->text);
			continue;
		}
		jx_value v;
		jx__formula_eval(&b->env, p->expr, &v);
		if (v.type == JX_V_LIST) {
			for (size_t k = 0; k < v.n; k++) {
				jx__buf_adds(&out, k ? "\n" : "");
				jx__buf_adds(&out, v.items[k]);
			}
			continue;
		}
		show(&v, p->expr->kind, tmp, sizeof tmp);
		jx__buf_adds(&out, tmp[0] || !prose ? tmp : "—");
	}
	const char *s = dup(b, out.oom ? "" : out.data ? out.data : "");
	b->oom |= out.oom;
	jx__buf_fini(&out);
	return s;
}

static jx__block *add_block(builder *b, jx__bkind kind, int level, const char *text)
{
	jx__report *r = b->r;
	if (!jx__grow(r->doc->alloc, (void **)&r->blocks, &r->capblocks, r->nblocks + 1,
	              sizeof(*r->blocks))) {
		b->oom = true;
		return NULL;
	}
	jx__block *bl = &r->blocks[r->nblocks++];
	memset(bl, 0, sizeof(*bl));
	bl->kind = kind;
	bl->level = level;
	bl->text = text;
	return bl;
}

/* ---- headings and numbering ---- */

static const char *number_for(builder *b, int level, int n)
{
	char cn[32], buf[64];
	switch (level) {
	case 1:
		snprintf(buf, sizeof buf, "%s、", jx__cn_number(n, cn, sizeof cn));
		break;
	case 2:
		snprintf(buf, sizeof buf, "（%s）", jx__cn_number(n, cn, sizeof cn));
		break;
	case 3:
		snprintf(buf, sizeof buf, "%d．", n);
		break;
	default:
		snprintf(buf, sizeof buf, "（%d）", n);
		break;
	}
	return dup(b, buf);
}

typedef struct counters {
	int n[8];
} counters;

static void heading(builder *b, counters *c, int level, const char *title)
{
	if (level < 1)
		level = 1;
	if (level > 7)
		level = 7;
	c->n[level]++;
	for (int k = level + 1; k < 8; k++)
		c->n[k] = 0;
	jx__block *bl = add_block(b, JX_B_HEADING, level, dup(b, title));
	if (bl)
		bl->number = number_for(b, level, c->n[level]);
}

/* ---- narrative fields ---- */

static void para(builder *b, const char *text)
{
	if (text && text[0])
		add_block(b, JX_B_PARA, 0, dup(b, text));
}

static void list_items(builder *b, const jx_value *v, bool numbered)
{
	char buf[32];
	for (size_t i = 0; i < v->n; i++) {
		if (!numbered) {
			para(b, v->items[i]);
			continue;
		}
		jx__buf t;
		jx__buf_init(&t, b->r->doc->alloc);
		snprintf(buf, sizeof buf, "%zu．", i + 1);
		jx__buf_adds(&t, buf);
		jx__buf_adds(&t, v->items[i]);
		para(b, t.oom ? NULL : t.data);
		b->oom |= t.oom;
		jx__buf_fini(&t);
	}
}

/* A table in the narrative (e.g. 评价指标分析): each row's text columns
 * become sub-headings and its paragraph columns paragraphs. */
static void table_items(builder *b, counters *c, int level, int table)
{
	const jx__table *t = &b->r->doc->s->tables[table];
	for (size_t row = 0; row < jx__doc_rows(b->r->doc, table); row++) {
		for (size_t col = 0; col < t->ncols; col++) {
			const jx_value *v = jx__doc_cell(b->r->doc, table, row, (int)col);
			if (v->type == JX_V_TEXT && v->s[0])
				heading(b, c, level + 1, v->s);
			else if (v->type == JX_V_LIST)
				list_items(b, v, false);
		}
	}
}

static void text_item(builder *b, counters *c, const jx__outline_item *it)
{
	const jx__field *f = &b->r->doc->s->fields[it->slot];
	const jx_value *v = jx__doc_slot(b->r->doc, it->slot);
	if (f->ftype == JX_F_TABLE)
		table_items(b, c, it->level, f->table);
	else if (v->type == JX_V_LIST)
		list_items(b, v, it->numbered);
	else if (v->type == JX_V_TEXT)
		para(b, v->s);
}

/* ---- attachment tables ---- */

/* The value a one-expression template shows, and where it lives. */
static void value_cell(builder *b, const jx__tpl *tpl, jx__rcell *cell)
{
	cell->slot = cell->table = cell->row = cell->column = -1;
	if (tpl->nparts != 1 || !tpl->parts[0].expr)
		return;
	const jx__expr *e = tpl->parts[0].expr;
	const jx_scheme *s = b->r->doc->s;
	char path[256];
	if (e->op == JX_OP_SLOT) {
		cell->slot = e->slot;
		cell->path = s->fields[e->slot].path;
		if (s->fields[e->slot].ftype == JX_F_DERIVED)
			cell->formula = s->fields[e->slot].formula;
	} else if (e->op == JX_OP_COL && e->depth == 0 && b->env.nscopes) {
		const jx__row_ref *rr = &b->env.scopes[b->env.nscopes - 1];
		const jx__field *col = &s->tables[e->table].cols[e->column];
		cell->table = e->table;
		cell->row = (int)rr->row;
		cell->column = e->column;
		snprintf(path, sizeof path, "%s[%zu].%s", s->tables[e->table].path, rr->row,
		         col->path);
		cell->path = dup(b, path);
		if (col->ftype == JX_F_DERIVED)
			cell->formula = col->formula;
	} else {
		return;
	}
	cell->is_value = true;
	cell->kind = e->kind;
	jx__formula_eval(&b->env, e, &cell->value);
}

typedef struct grid {
	int busy[64]; /* rows still covered by a rowspan, per column */
} grid;

static int place(grid *g, int col, int ncols)
{
	while (col < ncols && col < 64 && g->busy[col] > 0)
		col++;
	return col;
}

static void grid_next_row(grid *g)
{
	for (int i = 0; i < 64; i++)
		if (g->busy[i] > 0)
			g->busy[i]--;
}

static bool fill_row(builder *b, const jx__lay_row *lr, jx__rrow *out, grid *g, int ncols)
{
	out->cells =
	        jx__arena_alloc(&b->r->arena, (lr->ncells ? lr->ncells : 1) * sizeof(jx__rcell));
	if (!out->cells)
		return false;
	out->ncells = lr->ncells;
	out->header = lr->header;
	out->indent = lr->indent;
	int col = 0;
	for (size_t i = 0; i < lr->ncells; i++) {
		jx__rcell *c = &out->cells[i];
		c->colspan = lr->cells[i].colspan;
		c->rowspan = lr->cells[i].rowspan;
		c->col = col = place(g, col, ncols);
		c->text = render_tpl(b, &lr->cells[i].tpl, false);
		value_cell(b, &lr->cells[i].tpl, c);
		for (int k = col; k < col + c->colspan && k < 64; k++)
			g->busy[k] = c->rowspan;
		col += c->colspan;
	}
	grid_next_row(g);
	return true;
}

/* Does cell template i of a repeat row show column `name`? */
static bool shows_column(const jx__lay_cell *cell, const jx_scheme *s, const char *name)
{
	for (size_t p = 0; p < cell->tpl.nparts; p++) {
		const jx__expr *e = cell->tpl.parts[p].expr;
		if (e && e->op == JX_OP_COL &&
		    !strcmp(s->tables[e->table].cols[e->column].path, name))
			return true;
	}
	return false;
}

/* Merges runs of equal text down a repeated row's merge columns. */
static void merge_runs(builder *b, const jx__lay_row *lr, jx__rrow *rows, size_t n)
{
	const jx_scheme *s = b->r->doc->s;
	for (size_t m = 0; m < lr->nmerge; m++) {
		for (size_t ci = 0; ci < lr->ncells; ci++) {
			if (!shows_column(&lr->cells[ci], s, lr->merge[m]))
				continue;
			size_t start = 0;
			for (size_t r = 1; r <= n; r++) {
				if (r < n &&
				    !strcmp(rows[r].cells[ci].text, rows[start].cells[ci].text))
					continue;
				rows[start].cells[ci].rowspan = (int)(r - start);
				for (size_t k = start + 1; k < r; k++)
					rows[k].cells[ci].covered = true;
				start = r;
			}
		}
	}
}

/* Room for need more rows; grows by doubling (arena memory, so the old
 * array is simply left behind). */
static bool add_rows(builder *b, jx__rtable *t, size_t need)
{
	if (t->nrows + need <= t->caprows)
		return true;
	size_t cap = t->caprows ? t->caprows : 16;
	while (cap < t->nrows + need)
		cap *= 2;
	jx__rrow *nr = jx__arena_alloc(&b->r->arena, cap * sizeof(*nr));
	if (!nr)
		return false;
	if (t->nrows)
		memcpy(nr, t->rows, t->nrows * sizeof(*nr));
	t->rows = nr;
	t->caprows = cap;
	return true;
}

static bool layout_row(builder *b, const jx__lay_row *lr, jx__rtable *t, grid *g)
{
	const jx__attachment *a = t->def;
	if (lr->repeat < 0) {
		if (!add_rows(b, t, 1))
			return false;
		b->env.nscopes = 0;
		return fill_row(b, lr, &t->rows[t->nrows++], g, a->ncols);
	}
	size_t n = jx__doc_rows(b->r->doc, lr->repeat);
	if (!add_rows(b, t, n))
		return false;
	jx__rrow *first = &t->rows[t->nrows];
	b->env.nscopes = 1;
	b->env.scopes[0].table = lr->repeat;
	for (size_t r = 0; r < n; r++) {
		b->env.scopes[0].row = r;
		if (!fill_row(b, lr, &t->rows[t->nrows++], g, a->ncols))
			return false;
	}
	b->env.nscopes = 0;
	merge_runs(b, lr, first, n);
	return true;
}

static bool layout_table(builder *b, const jx__attachment *a, jx__rtable *t)
{
	grid g;
	memset(&g, 0, sizeof g);
	t->def = a;
	for (size_t i = 0; i < a->nrows; i++)
		if (!layout_row(b, &a->rows[i], t, &g))
			return false;
	t->notes = jx__arena_alloc(&b->r->arena, (a->nnotes ? a->nnotes : 1) * sizeof(*t->notes));
	if (!t->notes)
		return false;
	for (size_t i = 0; i < a->nnotes; i++)
		t->notes[t->nnotes++] = render_tpl(b, &a->notes[i], true);
	return true;
}

static const jx__rtable *table_named(const jx__report *r, const char *id)
{
	for (size_t i = 0; i < r->ntables; i++)
		if (!strcmp(r->tables[i].def->id, id))
			return &r->tables[i];
	return NULL;
}

/* ---- written 说明 of warnings ---- */

/* Is explanation e shown?  Only for a warning rule (others change nothing,
 * E02) and, when the report has the check's findings, only if it explains
 * one of them (not one that met no warning, E01). */
static bool shows_explanation(const jx__report *rep, const jx_explanation *e)
{
	const jx__rule *r = jx__doc_rule(rep->doc, e->rule);
	if (!r || r->sev != JX_SEV_WARNING)
		return false;
	if (!rep->findings)
		return true;
	for (size_t i = 0; i < jx_diags_count(rep->findings); i++) {
		const jx_diag *g = jx_diags_get(rep->findings, i);
		if (g->explanation && g->id && !strcmp(g->id, e->rule) &&
		    !strcmp(g->explanation, e->text))
			return true;
	}
	return false;
}

/* "关于“<rule title>”（<id>）：<text>" for each explanation shown, in
 * data-file order. */
static size_t explanation_paras(builder *b)
{
	const jx_doc *d = b->r->doc;
	size_t added = 0;
	for (size_t i = 0; i < jx_doc_explanation_count(d) && !b->oom; i++) {
		const jx_explanation *e = jx_doc_explanation(d, i);
		const jx__rule *r = jx__doc_rule(d, e->rule);
		if (!shows_explanation(b->r, e))
			continue;
		const char *t = jx__arena_printf(&b->r->arena, "关于“%s”（%s）：%s",
		                                 r->title && r->title[0] ? r->title : r->id, r->id,
		                                 e->text);
		if (!t) {
			b->oom = true;
			return added;
		}
		if (add_block(b, JX_B_PARA, 0, t))
			added++;
	}
	return added;
}

/* The explanations go at the end of the text of the outline's section
 * titled 其他需要说明的情况 (before its tables and sub-sections); a scheme
 * without one gets a last section 核实事项说明. */
static void add_explanations(builder *b, counters *c)
{
	jx__report *r = b->r;
	size_t at = r->nblocks, head = 0;
	bool found = false;
	for (size_t i = 0; i < r->nblocks && !found; i++) {
		const jx__block *h = &r->blocks[i];
		if (h->kind != JX_B_HEADING || !strstr(h->text, "其他需要说明的情况"))
			continue;
		found = true;
		head = i;
		for (at = i + 1; at < r->nblocks && r->blocks[at].kind == JX_B_PARA; at++)
			;
	}
	size_t before = r->nblocks;
	if (!found) {
		size_t k = 0;
		for (size_t i = 0; i < jx_doc_explanation_count(r->doc); i++)
			k += shows_explanation(r, jx_doc_explanation(r->doc, i));
		if (k)
			heading(b, c, 1, "核实事项说明");
		explanation_paras(b);
		return;
	}
	size_t k = explanation_paras(b);
	if (b->oom || !k)
		return;
	/* The section's own "无" no longer holds once 说明 follow it. */
	if (at == head + 2 && r->blocks[head + 1].text && !strcmp(r->blocks[head + 1].text, "无")) {
		memmove(&r->blocks[head + 1], &r->blocks[head + 2],
		        (r->nblocks - head - 2) * sizeof(*r->blocks));
		r->nblocks--;
		before--;
		at--;
	}
	if (at >= before)
		return;
	/* Move the k new paragraphs from the end to position at. */
	jx__block *tmp = jx__arena_alloc(&r->arena, k * sizeof(*tmp));
	if (!tmp) {
		b->oom = true;
		return;
	}
	memcpy(tmp, &r->blocks[before], k * sizeof(*tmp));
	memmove(&r->blocks[at + k], &r->blocks[at], (before - at) * sizeof(*tmp));
	memcpy(&r->blocks[at], tmp, k * sizeof(*tmp));
}

static void walk_outline(builder *b)
{
	const jx_scheme *s = b->r->doc->s;
	counters c;
	memset(&c, 0, sizeof c);
	for (size_t i = 0; i < s->noutline && !b->oom; i++) {
		const jx__outline_item *it = &s->outline[i];
		jx__block *bl;
		switch (it->kind) {
		case 0:
			heading(b, &c, it->level, it->title);
			break;
		case 1:
			text_item(b, &c, it);
			break;
		case 2:
			para(b, render_tpl(b, &it->tpl, true));
			break;
		default:
			if ((bl = add_block(b, JX_B_TABLE, 0, NULL)))
				bl->table = table_named(b->r, it->table_id);
			break;
		}
	}
	if (!b->oom && jx_doc_explanation_count(b->r->doc))
		add_explanations(b, &c);
}

static void count_findings(jx__report *r)
{
	for (size_t i = 0; r->findings && i < jx_diags_count(r->findings); i++) {
		jx_severity sev = jx_diags_get(r->findings, i)->severity;
		r->nerrors += sev == JX_SEV_ERROR || sev == JX_SEV_FATAL;
		r->nwarnings += sev == JX_SEV_WARNING;
	}
}

jx__report *jx__report_build(jx_doc *doc, const jx_diags *findings)
{
	const jx_scheme *s = doc->s;
	jx__report *r = jx__alloc(doc->alloc, sizeof(*r));
	if (!r)
		return NULL;
	memset(r, 0, sizeof(*r));
	jx__arena_init(&r->arena, doc->alloc, 65536);
	r->doc = doc;
	r->findings = findings;
	builder b = {.r = r};
	jx__doc_env(doc, &b.env);
	r->title = s->report_title.nparts ? render_tpl(&b, &s->report_title, true)
	                                  : jx_scheme_title(s);
	r->tables = jx__arena_alloc(&r->arena, (s->nattachments + 1) * sizeof(*r->tables));
	if (!r->tables)
		goto fail;
	for (size_t i = 0; i < s->nattachments; i++)
		if (!layout_table(&b, &s->attachments[i], &r->tables[r->ntables++]))
			goto fail;
	walk_outline(&b);
	count_findings(r);
	if (b.oom)
		goto fail;
	return r;
fail:
	jx__report_free(r);
	return NULL;
}

void jx__report_free(jx__report *r)
{
	if (!r)
		return;
	const jx_allocator *a = r->doc->alloc;
	jx__free(a, r->blocks);
	jx__arena_fini(&r->arena);
	jx__free(a, r);
}
