/* Evaluation: derived values and scores, then the rule pack.  Each rule
 * holds, fails (a finding with location, path, expected, actual and
 * difference) or is skipped because an input is blank. */
#include "doc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- access ---- */

const jx_value *jx__doc_slot(const jx_doc *d, int slot)
{
	const jx__field *f = &d->s->fields[slot];
	return f->ftype == JX_F_CONST ? &f->constant : &d->vals[slot];
}

size_t jx__doc_rows(const jx_doc *d, int table)
{
	const jx__table *t = &d->s->tables[table];
	return t->field < 0 || t->rows ? t->nrows : d->tables[table].nrows;
}

const jx_value *jx__doc_cell(const jx_doc *d, int table, size_t row, int col)
{
	const jx__table *t = &d->s->tables[table];
	if (t->rows)
		return &t->rows[row * t->ncols + (size_t)col];
	return &d->tables[table].cells[row * t->ncols + (size_t)col];
}

static const jx_value *env_slot(jx__env *env, int slot)
{
	return jx__doc_slot(env->doc, slot);
}

static size_t env_rows(jx__env *env, int table)
{
	return jx__doc_rows(env->doc, table);
}

static const jx_value *env_cell(jx__env *env, int table, size_t row, int col)
{
	return jx__doc_cell(env->doc, table, row, col);
}

void jx__doc_env(jx_doc *d, jx__env *env)
{
	memset(env, 0, sizeof(*env));
	env->s = d->s;
	env->doc = d;
	env->slot = env_slot;
	env->rows = env_rows;
	env->cell = env_cell;
	env->scratch = &d->arena;
}

void jx__value_format(const jx_value *v, jx__kind kind, char *buf, size_t size)
{
	switch (v->type) {
	case JX_V_NUM:
		jx__format_num(v->num, kind, v->scale, buf, size);
		return;
	case JX_V_TEXT:
		jx__copy_text(buf, size, v->s);
		return;
	case JX_V_BOOL:
		snprintf(buf, size, "%s", v->b ? "是" : "否");
		return;
	case JX_V_LIST:
		snprintf(buf, size, "（%zu 段）", v->n);
		return;
	default:
		snprintf(buf, size, "%s", v->na ? "——" : "（空）");
		return;
	}
}

/* ---- derived values ---- */

static void compute_columns(jx_doc *d, jx__env *env)
{
	for (size_t t = 0; t < d->s->ntables; t++) {
		const jx__table *tb = &d->s->tables[t];
		if (tb->rows || !tb->norder)
			continue;
		jx__doc_table *dt = &d->tables[t];
		env->nscopes = 1;
		env->scopes[0].table = (int)t;
		for (size_t r = 0; r < dt->nrows; r++) {
			env->scopes[0].row = r;
			for (size_t i = 0; i < tb->norder; i++) {
				int c = tb->order[i];
				jx__formula_eval(env, tb->cols[c].formula,
				                 &dt->cells[r * tb->ncols + (size_t)c]);
			}
		}
		env->nscopes = 0;
	}
}

static void compute_derived(jx_doc *d, jx__env *env)
{
	for (size_t i = 0; i < d->s->nderived; i++) {
		int slot = d->s->derived_order[i];
		jx__formula_eval(env, d->s->fields[slot].formula, &d->vals[slot]);
	}
}

/* ---- rules ---- */

typedef struct outcome {
	jx_value actual, expected, value;
	jx__kind akind, ekind, vkind;
	bool has_diff;
	jx_dec diff;
	int diff_scale;
} outcome;

static int scale_of(const jx_value *v, jx__kind kind)
{
	if (v->scale >= 0)
		return v->scale;
	return kind == JX_K_AMOUNT || kind == JX_K_SCORE ? 2 : -1;
}

static void format_special(const outcome *o, int special, char *buf, size_t size)
{
	switch (special) {
	case 1:
		jx__value_format(&o->actual, o->akind, buf, size);
		return;
	case 2:
		jx__value_format(&o->expected, o->ekind, buf, size);
		return;
	case 3:
		if (o->has_diff)
			jx__format_num(o->diff, o->akind, o->diff_scale, buf, size);
		else
			snprintf(buf, size, "—");
		return;
	default:
		jx__value_format(&o->value, o->vkind, buf, size);
		return;
	}
}

static void render_tpl(jx__env *env, const jx__tpl *tpl, const outcome *o, jx__buf *out)
{
	char tmp[256];
	for (size_t i = 0; i < tpl->nparts; i++) {
		const jx__tpl_part *p = &tpl->parts[i];
		if (p->text) {
			jx__buf_adds(out, p->text);
		} else if (p->special) {
			format_special(o, p->special, tmp, sizeof tmp);
			jx__buf_adds(out, tmp);
		} else {
			jx_value v;
			jx__formula_eval(env, p->expr, &v);
			jx__value_format(&v, p->expr->kind, tmp, sizeof tmp);
			jx__buf_adds(out, tmp);
		}
	}
}

/* The first global slot an expression reads, for a default location. */
static int first_slot(const jx__expr *e)
{
	if (!e)
		return -1;
	if (e->op == JX_OP_SLOT)
		return e->slot;
	for (size_t i = 0; i < e->nargs; i++) {
		int s = first_slot(e->args[i]);
		if (s >= 0)
			return s;
	}
	return -1;
}

static void locate(const jx_doc *d, const jx__rule *r, const jx__env *env, jx__loc *loc, char *path,
                   size_t size)
{
	loc->file = d->file;
	loc->line = d->root.line;
	loc->col = d->root.col;
	path[0] = '\0';
	/* Rows of a framework table (framework.categories) come from the
	 * scheme: the data file has no positions for them. */
	if (r->for_each >= 0 && r->at_slot < 0 && d->s->tables[r->for_each].field >= 0 &&
	    !d->s->tables[r->for_each].rows) {
		const jx__table *t = &d->s->tables[r->for_each];
		const jx__doc_table *dt = &d->tables[r->for_each];
		size_t row = env->scopes[0].row;
		jx__pos p = dt->rowpos[row];
		if (r->at_col >= 0) {
			jx__pos c = dt->pos[row * t->ncols + (size_t)r->at_col];
			if (c.line)
				p = c;
			snprintf(path, size, "%s[%zu].%s", t->path, row, t->cols[r->at_col].path);
		} else {
			snprintf(path, size, "%s[%zu]", t->path, row);
		}
		loc->line = p.line;
		loc->col = p.col;
		return;
	}
	int slot = r->at_slot >= 0 ? r->at_slot : first_slot(r->actual ? r->actual : r->assert);
	if (slot < 0)
		return;
	snprintf(path, size, "%s", d->s->fields[slot].path);
	if (d->pos[slot].line) {
		loc->line = d->pos[slot].line;
		loc->col = d->pos[slot].col;
	}
}

static void exact(const jx_value *v, jx__kind kind, char *buf, size_t size, const char **out)
{
	*out = NULL;
	if (v->type == JX_V_NUM)
		jx__format_exact(v->num, kind, v->scale, buf, size);
	else if (v->type == JX_V_TEXT)
		jx__copy_text(buf, size, v->s);
	else if (v->type == JX_V_BOOL)
		snprintf(buf, size, "%s", v->b ? "true" : "false");
	else
		return;
	*out = buf;
}

static jx_status emit(jx_doc *d, const jx__rule *r, jx__env *env, const outcome *o, bool tail,
                      jx_diags *diags)
{
	char path[512], ebuf[256], abuf[256], dbuf[64];
	jx__loc loc;
	jx__buf msg, note;
	jx__diag_spec spec = {.sev = tail ? JX_SEV_INFO : r->sev, .id = r->id, .tail = tail};
	locate(d, r, env, &loc, path, sizeof path);
	spec.loc = loc;
	spec.path = path[0] ? path : NULL;
	exact(&o->expected, o->ekind, ebuf, sizeof ebuf, &spec.expected);
	exact(&o->actual, o->akind, abuf, sizeof abuf, &spec.actual);
	if (o->has_diff) {
		jx__format_exact(o->diff, o->akind, o->diff_scale, dbuf, sizeof dbuf);
		spec.difference = dbuf;
	}
	jx__buf_init(&msg, d->alloc);
	jx__buf_init(&note, d->alloc);
	render_tpl(env, &r->message, o, &msg);
	if (tail) {
		char t[64];
		jx__format_num(jx_dec_abs(o->diff), o->akind, o->diff_scale, t, sizeof t);
		jx__buf_printf(&msg, "（尾差 %s，在四舍五入误差范围内）", t);
	}
	if (r->note.nparts)
		render_tpl(env, &r->note, o, &note);
	spec.note = note.len ? note.data : NULL;
	jx_status st = msg.oom || note.oom
	                       ? JX_ERR_OOM
	                       : jx__diag_add(diags, &spec, "%s", msg.data ? msg.data : "");
	jx__buf_fini(&msg);
	jx__buf_fini(&note);
	return st;
}

static bool compare(const jx__rule *r, outcome *o, bool *tail)
{
	jx_value *a = &o->actual, *e = &o->expected;
	*tail = false;
	if (a->type != JX_V_NUM) {
		if (a->type == JX_V_TEXT)
			return !strcmp(a->s, e->s);
		return a->b == e->b;
	}
	if (r->round >= 0) {
		e->num = jx_dec_round(e->num, r->round);
		if (e->scale < 0 && o->ekind != JX_K_PERCENT)
			e->scale = r->round;
	}
	if (!jx_dec_sub(a->num, e->num, &o->diff))
		return false;
	o->has_diff = true;
	int as = scale_of(a, o->akind), es = scale_of(e, o->ekind);
	o->diff_scale = as > es ? as : es;
	jx_dec mag = jx_dec_abs(o->diff);
	if (jx_dec_cmp(mag, r->tolerance) <= 0)
		return true;
	*tail = r->has_tail && jx_dec_cmp(mag, r->tail) <= 0;
	return false;
}

static bool is_blank(const jx_value *v)
{
	return v->type == JX_V_BLANK || (v->type == JX_V_TEXT && !v->s[0]);
}

/* ---- strict inputs (audit) ---- */

static bool expr_complete(jx_doc *d, const jx__expr *e, const jx__env *env, bool in_agg);

static bool slot_complete(jx_doc *d, int slot)
{
	const jx__field *f = &d->s->fields[slot];
	if (f->ftype == JX_F_CONST)
		return true;
	if (f->ftype == JX_F_TABLE)
		return jx__doc_rows(d, f->table) > 0;
	if (f->ftype != JX_F_DERIVED)
		return !is_blank(jx__doc_slot(d, slot));
	if (!d->complete)
		d->complete = jx__arena_alloc(&d->arena, d->s->nfields);
	if (!d->complete)
		return false; /* out of memory: run nothing rather than guess */
	if (!d->complete[slot]) {
		d->complete[slot] = 2; /* derived values are acyclic; this is for safety */
		d->complete[slot] = expr_complete(d, f->formula, NULL, false) ? 1 : 2;
	}
	return d->complete[slot] == 1;
}

/* Every global input the expression reads is present, every table it
 * aggregates has rows, and (in a for_each rule's own row) every cell it
 * reads is filled.  Cells inside aggregates follow the formulas' blank
 * rules (a blank cell is skipped by sum), so they are not required. */
static bool expr_complete(jx_doc *d, const jx__expr *e, const jx__env *env, bool in_agg)
{
	if (!e)
		return true;
	switch (e->op) {
	case JX_OP_SLOT:
		return slot_complete(d, e->slot);
	case JX_OP_TABLE:
		return jx__doc_rows(d, e->table) > 0;
	case JX_OP_COL:
		if (in_agg || !env || e->depth != 0 || env->nscopes == 0)
			return true;
		return !is_blank(
		        jx__doc_cell(d, env->scopes[0].table, env->scopes[0].row, e->column));
	case JX_OP_AGG: {
		size_t rows = jx__doc_rows(d, e->table);
		if (rows == 0)
			return false;
		/* A sum over a column needs every row's value: a blank one (a
		 * score the report's table did not let us compute) would make
		 * the total too small, a finding that is not there. */
		const jx__expr *v = e->nargs ? e->args[0] : NULL;
		for (size_t r = 0; v && v->op == JX_OP_COL && v->depth == 0 && r < rows; r++)
			if (is_blank(jx__doc_cell(d, e->table, r, v->column)))
				return false;
		in_agg = true;
		break;
	}
	default:
		break;
	}
	for (size_t i = 0; i < e->nargs; i++)
		if (!expr_complete(d, e->args[i], env, in_agg))
			return false;
	return expr_complete(d, e->where, env, in_agg);
}

static bool rule_complete(jx_doc *d, const jx__rule *r, const jx__env *env)
{
	const jx__expr *parts[] = {r->when, r->assert, r->actual, r->expected, r->value};
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
		if (!expr_complete(d, parts[i], env, false))
			return false;
	return true;
}

/* Runs one rule in the current scope. */
static jx_status run_once(jx_doc *d, const jx__rule *r, jx__env *env, jx_diags *diags)
{
	outcome o;
	jx_value w;
	bool tail = false;
	if (d->strict_inputs && !rule_complete(d, r, env))
		return JX_OK;
	memset(&o, 0, sizeof o);
	o.actual.scale = o.expected.scale = o.value.scale = -1;
	if (r->when) {
		jx__formula_eval(env, r->when, &w);
		if (w.type != JX_V_BOOL || !w.b)
			return JX_OK;
	}
	if (r->assert) {
		jx__formula_eval(env, r->assert, &w);
		if (w.type != JX_V_BOOL || w.b)
			return JX_OK;
		if (r->value) {
			jx__formula_eval(env, r->value, &o.value);
			o.vkind = r->value->kind;
			o.actual = o.value;
			o.akind = o.vkind;
		}
		if (r->expected) {
			jx__formula_eval(env, r->expected, &o.expected);
			o.ekind = r->expected->kind;
		}
		return emit(d, r, env, &o, false, diags);
	}
	jx__formula_eval(env, r->actual, &o.actual);
	jx__formula_eval(env, r->expected, &o.expected);
	if (is_blank(&o.actual) || is_blank(&o.expected))
		return JX_OK;
	o.akind = r->actual->kind;
	o.ekind = r->expected->kind != JX_K_PLAIN ? r->expected->kind : o.akind;
	if (o.akind == JX_K_PLAIN)
		o.akind = o.ekind;
	if (r->value) {
		jx__formula_eval(env, r->value, &o.value);
		o.vkind = r->value->kind;
	}
	if (compare(r, &o, &tail))
		return JX_OK;
	return emit(d, r, env, &o, tail, diags);
}

static jx_status run_rule(jx_doc *d, const jx__rule *r, jx__env *env, jx_diags *diags)
{
	if (r->for_each < 0) {
		env->nscopes = 0;
		return run_once(d, r, env, diags);
	}
	size_t n = jx__doc_rows(d, r->for_each);
	env->nscopes = 1;
	env->scopes[0].table = r->for_each;
	for (size_t row = 0; row < n; row++) {
		env->scopes[0].row = row;
		jx_status st = run_once(d, r, env, diags);
		if (st != JX_OK)
			return st;
	}
	env->nscopes = 0;
	return JX_OK;
}

/* ---- explanations ---- */

const jx__rule *jx__doc_rule(const jx_doc *d, const char *id)
{
	for (size_t i = 0; i < d->s->nrules; i++)
		if (!strcmp(d->s->rules[i].id, id))
			return &d->s->rules[i];
	return NULL;
}

/* Does an explanation's path cover a finding's path?  Equal, or the
 * finding's lies under it ("t[6]" covers "t[6].deviation"). */
static bool path_covers(const char *expl, const char *path)
{
	if (!expl)
		return true;
	if (!path)
		return false;
	size_t n = strlen(expl);
	return !strncmp(expl, path, n) && (path[n] == '\0' || path[n] == '.' || path[n] == '[');
}

/* Gives each warning found since `start` the explanation that names its
 * rule and covers its path (the one with the longest path, i.e. the most
 * specific); explanations that meet no warning become info findings. */
static jx_status apply_explanations(jx_doc *d, jx_diags *diags, size_t start)
{
	size_t n = jx_diags_count(diags);
	bool *met = d->nexpl ? jx__arena_alloc(&d->arena, d->nexpl * sizeof(*met)) : NULL;
	if (d->nexpl && !met)
		return JX_ERR_OOM;
	for (size_t k = 0; k < d->nexpl; k++)
		met[k] = false;
	for (size_t i = start; i < n; i++) {
		const jx_diag *g = jx_diags_get(diags, i);
		if (g->severity != JX_SEV_WARNING || !g->id)
			continue;
		const jx_explanation *best = NULL;
		for (size_t k = 0; k < d->nexpl; k++) {
			const jx_explanation *e = &d->expl[k];
			if (strcmp(e->rule, g->id) || !path_covers(e->path, g->path))
				continue;
			met[k] = true;
			if (!best ||
			    strlen(e->path ? e->path : "") > strlen(best->path ? best->path : ""))
				best = e;
		}
		if (best && jx__diag_explain(diags, i, best->text) != JX_OK)
			return JX_ERR_OOM;
	}
	for (size_t k = 0; k < d->nexpl; k++) {
		const jx_explanation *e = &d->expl[k];
		const jx__rule *r = jx__doc_rule(d, e->rule);
		char path[64];
		if (met[k])
			continue;
		snprintf(path, sizeof path, "explanations[%zu]", k);
		jx__diag_spec spec = {
		        .sev = JX_SEV_INFO, .loc = {d->file, e->line, e->column}, .path = path};
		jx_status st;
		if (r && r->sev != JX_SEV_WARNING) {
			spec.id = "E02";
			st = jx__diag_add(diags, &spec,
			                  "规则 %s 是%s规则，不是核实（警告）规则，说明不起作用",
			                  e->rule,
			                  r->sev == JX_SEV_INFO ? "提示" : "错误（强制改正）");
		} else {
			spec.id = "E01";
			if (e->path)
				st = jx__diag_add(
				        diags, &spec,
				        "说明未对应任何核实事项：规则 %s 在 %s 上没有警告", e->rule,
				        e->path);
			else
				st = jx__diag_add(diags, &spec,
				                  "说明未对应任何核实事项：规则 %s 没有警告",
				                  e->rule);
		}
		if (st != JX_OK)
			return st;
	}
	return JX_OK;
}

jx_status jx_doc_evaluate(jx_doc *d, jx_diags *diags)
{
	jx__env env;
	size_t start = jx_diags_count(diags);
	jx__doc_env(d, &env);
	if (!d->evaluated) {
		compute_columns(d, &env);
		compute_derived(d, &env);
		d->evaluated = true;
	}
	for (size_t i = 0; i < d->s->nrules; i++) {
		jx_status st = run_rule(d, &d->s->rules[i], &env, diags);
		if (st != JX_OK)
			return st;
	}
	jx_status st = apply_explanations(d, diags, start);
	if (st != JX_OK)
		return st;
	/* Findings read like a compiler's: in file order. */
	jx__diags_sort(diags);
	return JX_OK;
}

/* ---- public value access ---- */

static bool parse_cell_path(const jx_doc *d, const char *path, int *table, size_t *row, int *col)
{
	const char *br = strchr(path, '[');
	if (!br)
		return false;
	int slot = jx__scheme_slot(d->s, path, (size_t)(br - path));
	if (slot < 0 || d->s->fields[slot].ftype != JX_F_TABLE)
		return false;
	char *end;
	unsigned long r = strtoul(br + 1, &end, 10);
	if (*end != ']' || end[1] != '.')
		return false;
	const jx__table *t = &d->s->tables[d->s->fields[slot].table];
	for (size_t c = 0; c < t->ncols; c++)
		if (!strcmp(t->cols[c].path, end + 2)) {
			*table = d->s->fields[slot].table;
			*row = r;
			*col = (int)c;
			return r < jx__doc_rows(d, *table);
		}
	return false;
}

static bool lookup(const jx_doc *d, const char *path, const jx_value **v, jx__kind *kind)
{
	int slot = jx__scheme_slot(d->s, path, strlen(path)), table, col;
	size_t row;
	if (slot >= 0 && d->s->fields[slot].ftype != JX_F_TABLE) {
		*v = jx__doc_slot(d, slot);
		*kind = d->s->fields[slot].kind;
		return true;
	}
	if (parse_cell_path(d, path, &table, &row, &col)) {
		*v = jx__doc_cell(d, table, row, col);
		*kind = d->s->tables[table].cols[col].kind;
		return true;
	}
	return false;
}

bool jx_doc_get(const jx_doc *d, const char *path, jx_value *out)
{
	const jx_value *v;
	jx__kind kind;
	if (!lookup(d, path, &v, &kind))
		return false;
	*out = *v;
	return true;
}

int jx_doc_format(const jx_doc *d, const char *path, char *buf, size_t size)
{
	const jx_value *v;
	jx__kind kind;
	if (!lookup(d, path, &v, &kind)) {
		if (size)
			buf[0] = '\0';
		return -1;
	}
	jx__value_format(v, kind, buf, size);
	return (int)strlen(buf);
}

int jx_doc_format_result(const jx_doc *d, jx_result which, char *buf, size_t size)
{
	const int slots[] = {d->s->result.total, d->s->result.grade, d->s->result.stated_total,
	                     d->s->result.stated_grade, d->s->result.funds_score};
	int slot = (unsigned)which < sizeof slots / sizeof slots[0] ? slots[which] : -1;
	const jx_value *v = slot >= 0 ? jx__doc_slot(d, slot) : NULL;
	if (size)
		buf[0] = '\0';
	if (!v || v->type == JX_V_BLANK)
		return -1;
	jx__value_format(v, d->s->fields[slot].kind, buf, size);
	return (int)strlen(buf);
}
