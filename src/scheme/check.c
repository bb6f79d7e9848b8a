/* Name resolution and type checking of formulas against a scheme.
 * Derived values are checked on first use, which orders them for
 * evaluation and finds cycles in the same walk. */
#include "scheme.h"

#include <stdio.h>
#include <string.h>

typedef struct checker {
	jx_scheme *s;
	const char *file;
	jx_diags *diags;
	int in_column; /* checking a table's derived column: globals are not ready yet */
} checker;

const char *jx__fn_name(jx__fn fn);

static bool err(checker *c, const jx__expr *e, const char *id, const char *fmt, const char *a,
                const char *b)
{
	jx__loc l = {c->file, e->line, e->col};
	char msg[512];
	snprintf(msg, sizeof msg, fmt, a ? a : "", b ? b : "");
	jx__diag_fatal(c->diags, id, l, NULL, "%s", msg);
	return false;
}

int jx__scheme_slot(const jx_scheme *s, const char *path, size_t len)
{
	return jx__map_get(&s->by_path, path, len);
}

static jx__type ftype_type(jx__ftype ft)
{
	switch (ft) {
	case JX_F_AMOUNT:
	case JX_F_COUNT:
	case JX_F_PERCENT:
	case JX_F_SCORE:
	case JX_F_NUMBER:
		return JX_T_NUM;
	case JX_F_TEXT:
	case JX_F_ENUM:
	case JX_F_DATE:
		return JX_T_TEXT;
	case JX_F_PARAGRAPHS:
	case JX_F_LIST:
		return JX_T_LIST;
	case JX_F_TABLE:
		return JX_T_TABLE;
	default:
		return JX_T_NONE;
	}
}

static const char *type_name(jx__type t)
{
	switch (t) {
	case JX_T_NUM:
		return "数值";
	case JX_T_TEXT:
		return "文本";
	case JX_T_BOOL:
		return "真假值";
	case JX_T_LIST:
		return "段落/列表";
	case JX_T_TABLE:
		return "表格";
	default:
		return "未知";
	}
}

static bool check(checker *c, jx__expr *e, jx__scope *sc);

/* Checks a derived value's own formula (global slot or table column). */
static bool check_derived(checker *c, jx__field *f, int table, const jx__expr *use)
{
	if (f->state == 2)
		return true;
	if (f->state == 3)
		return false;
	if (f->state == 1)
		return err(c, use, "F06", "派生值循环引用：“%s”直接或间接引用了自身", f->path,
		           NULL);
	f->state = 1;
	jx__scope sc = {.n = 0};
	if (table >= 0) {
		sc.tables[0] = table;
		sc.n = 1;
	}
	int saved = c->in_column;
	c->in_column = table >= 0;
	bool ok = check(c, f->formula, &sc);
	c->in_column = saved;
	if (ok && (f->formula->type == JX_T_LIST || f->formula->type == JX_T_TABLE))
		ok = err(c, f->formula, "F04", "派生值“%s”的类型不能是%s", f->path,
		         type_name(f->formula->type));
	if (!ok) {
		f->state = 3;
		return false;
	}
	f->type = f->formula->type;
	if (f->kind == JX_K_PLAIN)
		f->kind = f->formula->kind;
	f->state = 2;
	if (table >= 0) {
		jx__table *t = &c->s->tables[table];
		t->order[t->norder++] = (int)(f - t->cols);
	} else {
		c->s->derived_order[c->s->nderived++] = (int)(f - c->s->fields);
	}
	return true;
}

static int find_col(const jx__table *t, const char *name)
{
	for (size_t i = 0; i < t->ncols; i++)
		if (!strcmp(t->cols[i].path, name))
			return (int)i;
	return -1;
}

static bool set_col(checker *c, jx__expr *e, int table, int col, int depth)
{
	jx__table *t = &c->s->tables[table];
	jx__field *f = &t->cols[col];
	if (f->ftype == JX_F_DERIVED && !check_derived(c, f, table, e))
		return false;
	e->op = JX_OP_COL;
	e->table = table;
	e->column = col;
	e->depth = depth;
	e->type = f->ftype == JX_F_DERIVED ? f->type : ftype_type(f->ftype);
	e->kind = f->kind;
	return true;
}

static bool set_slot(checker *c, jx__expr *e, int slot)
{
	jx__field *f = &c->s->fields[slot];
	if (f->ftype == JX_F_DERIVED && c->in_column)
		return err(c, e, "F04", "表格的计算列不能引用派生值“%s”（计算列先于派生值求值）",
		           f->path, NULL);
	if (f->ftype == JX_F_DERIVED && !check_derived(c, f, -1, e))
		return false;
	if (f->ftype == JX_F_TABLE) {
		e->op = JX_OP_TABLE;
		e->table = f->table;
		e->type = JX_T_TABLE;
		return true;
	}
	e->op = JX_OP_SLOT;
	e->slot = slot;
	e->type = f->ftype == JX_F_DERIVED ? f->type
	          : f->ftype == JX_F_CONST ? (f->constant.type == JX_V_NUM ? JX_T_NUM : JX_T_TEXT)
	                                   : ftype_type(f->ftype);
	e->kind = f->kind;
	return true;
}

/* The table whose path is a proper prefix of `path` ("t.col"), or -1. */
static int table_prefix(const jx_scheme *s, const char *path, const char **col)
{
	const char *dot = strrchr(path, '.');
	if (!dot)
		return -1;
	int slot = jx__scheme_slot(s, path, (size_t)(dot - path));
	if (slot < 0 || s->fields[slot].ftype != JX_F_TABLE)
		return -1;
	*col = dot + 1;
	return s->fields[slot].table;
}

static void suggest(checker *c, const char *path, const jx__scope *sc, char *out, size_t size)
{
	size_t best = 4;
	out[0] = '\0';
	for (size_t i = 0; i < c->s->nfields; i++) {
		size_t d = jx__edit_distance(path, c->s->fields[i].path, best - 1);
		if (d < best) {
			best = d;
			snprintf(out, size, "，是否想写“%s”？", c->s->fields[i].path);
		}
	}
	/* Columns of the tables in scope are names too (per-row rules). */
	for (size_t t = 0; t < sc->n; t++) {
		const jx__table *tb = &c->s->tables[sc->tables[t]];
		for (size_t i = 0; i < tb->ncols; i++) {
			size_t d = jx__edit_distance(path, tb->cols[i].path, best - 1);
			if (d < best) {
				best = d;
				snprintf(out, size, "，是否想写“%s”？", tb->cols[i].path);
			}
		}
	}
}

static bool resolve(checker *c, jx__expr *e, jx__scope *sc)
{
	const char *p = e->str, *colname;
	if (!strchr(p, '.')) {
		for (size_t d = 0; d < sc->n; d++) {
			int t = sc->tables[sc->n - 1 - d];
			int col = find_col(&c->s->tables[t], p);
			if (col >= 0)
				return set_col(c, e, t, col, (int)d);
		}
	}
	if (!strncmp(p, "row.", 4) && sc->has_row && sc->n) {
		int t = sc->tables[0];
		int col = find_col(&c->s->tables[t], p + 4);
		if (col >= 0)
			return set_col(c, e, t, col, (int)sc->n - 1);
		return err(c, e, "F02", "“%s”没有列“%s”", c->s->tables[t].path, p + 4);
	}
	int slot = jx__scheme_slot(c->s, p, strlen(p));
	if (slot >= 0)
		return set_slot(c, e, slot);
	int t = table_prefix(c->s, p, &colname);
	if (t >= 0) {
		int col = find_col(&c->s->tables[t], colname);
		if (col < 0)
			return err(c, e, "F02", "表格“%s”没有列“%s”", c->s->tables[t].path,
			           colname);
		for (size_t d = 0; d < sc->n; d++)
			if (sc->tables[sc->n - 1 - d] == t)
				return set_col(c, e, t, col, (int)d);
		return err(c, e, "F03",
		           "表格列“%s”只能用在 sum()、count()、all()、any() 中或逐行规则里%s", p,
		           NULL);
	}
	char hint[256];
	suggest(c, p, sc, hint, sizeof hint);
	return err(c, e, "F02", "未知字段“%s”%s", p, hint);
}

static bool want(checker *c, const jx__expr *e, jx__type t, const char *what)
{
	if (e->type == t)
		return true;
	char buf[128];
	snprintf(buf, sizeof buf, "%s应为%s", what, type_name(t));
	return err(c, e, "F04", "类型错误：%s，实际为%s", buf, type_name(e->type));
}

static jx__kind arith_kind(jx__op op, const jx__expr *l, const jx__expr *r)
{
	jx__kind a = l->kind, b = r->kind;
	switch (op) {
	case JX_OP_ADD:
	case JX_OP_SUB:
		return a != JX_K_PLAIN ? a : b;
	case JX_OP_MUL:
		if (a == JX_K_PERCENT)
			return b;
		if (b == JX_K_PERCENT)
			return a;
		return a != JX_K_PLAIN ? a : b;
	default: /* division: like over like is a ratio */
		if (a != JX_K_PLAIN && a != JX_K_PERCENT && (a == b || b == JX_K_COUNT))
			return JX_K_PERCENT;
		if (a == JX_K_PERCENT && b == JX_K_PERCENT)
			return JX_K_PERCENT;
		return a == JX_K_COUNT && b == JX_K_COUNT ? JX_K_PERCENT : a;
	}
}

static bool is_zero_literal(const jx__expr *e)
{
	return e->op == JX_OP_NUM && e->num.raw == 0;
}

static bool check_binary(checker *c, jx__expr *e, jx__scope *sc)
{
	jx__expr *l = e->args[0], *r = e->args[1];
	if (!check(c, l, sc) || !check(c, r, sc))
		return false;
	switch (e->op) {
	case JX_OP_AND:
	case JX_OP_OR:
		e->type = JX_T_BOOL;
		return want(c, l, JX_T_BOOL, "and/or 的左边") &&
		       want(c, r, JX_T_BOOL, "and/or 的右边");
	case JX_OP_EQ:
	case JX_OP_NE:
		e->type = JX_T_BOOL;
		if (l->type != r->type || l->type == JX_T_LIST || l->type == JX_T_TABLE)
			return err(c, e, "F04", "类型错误：不能比较%s与%s", type_name(l->type),
			           type_name(r->type));
		return true;
	case JX_OP_LT:
	case JX_OP_LE:
	case JX_OP_GT:
	case JX_OP_GE:
		e->type = JX_T_BOOL;
		return want(c, l, JX_T_NUM, "大小比较的左边") &&
		       want(c, r, JX_T_NUM, "大小比较的右边");
	default:
		e->type = JX_T_NUM;
		e->kind = arith_kind(e->op, l, r);
		if (!want(c, l, JX_T_NUM, "算术的左边") || !want(c, r, JX_T_NUM, "算术的右边"))
			return false;
		if (e->op == JX_OP_DIV && is_zero_literal(r))
			return err(c, r, "F05", "除数为常数 0%s%s", NULL, NULL);
		return true;
	}
}

/* Finds the table a path inside an aggregate argument ranges over. */
static int agg_table(checker *c, const jx__expr *e)
{
	const char *col;
	if (!e)
		return -1;
	if (e->op == JX_OP_PATH) {
		int t = table_prefix(c->s, e->str, &col);
		if (t >= 0)
			return t;
		int slot = jx__scheme_slot(c->s, e->str, strlen(e->str));
		if (slot >= 0 && c->s->fields[slot].ftype == JX_F_TABLE)
			return c->s->fields[slot].table;
		return -1;
	}
	for (size_t i = 0; i < e->nargs; i++) {
		int t = agg_table(c, e->args[i]);
		if (t >= 0)
			return t;
	}
	return -1;
}

/* Rows in scope at once: a for_each row and up to three nested aggregates.
 * Each level multiplies the work by the rows of its table (rows^levels
 * evaluations); with the eight that fit, a short formula over a few
 * dozen rows runs for hours. */
#define MAX_SCOPES 4

static bool push(checker *c, const jx__expr *e, jx__scope *sc, int table)
{
	if (sc->n >= MAX_SCOPES)
		return err(c, e, "F07", "聚合函数嵌套过深%s%s", NULL, NULL);
	sc->tables[sc->n++] = table;
	return true;
}

static bool check_agg(checker *c, jx__expr *e, jx__scope *sc, int table)
{
	e->op = JX_OP_AGG;
	e->table = table;
	bool ok;
	if (e->fn == JX_FN_COUNT || e->fn == JX_FN_ALL || e->fn == JX_FN_ANY) {
		int slot = e->args[0]->op == JX_OP_PATH
		                   ? jx__scheme_slot(c->s, e->args[0]->str, strlen(e->args[0]->str))
		                   : -1;
		if (slot < 0 || c->s->fields[slot].ftype != JX_F_TABLE)
			return err(c, e, "F04", "%s() 的第一个参数应为表格%s", jx__fn_name(e->fn),
			           NULL);
		if ((e->fn == JX_FN_COUNT) != (e->nargs == 1))
			return err(c, e, "F04", "%s() 的参数个数不对%s", jx__fn_name(e->fn), NULL);
		e->args[0] = e->nargs > 1 ? e->args[1] : NULL;
		e->nargs = e->args[0] ? 1 : 0;
	} else if (e->nargs != 1) {
		return err(c, e, "F04", "%s() 对表格列求值时只能有一个参数%s", jx__fn_name(e->fn),
		           NULL);
	}
	if (!push(c, e, sc, table))
		return false;
	ok = (!e->nargs || check(c, e->args[0], sc)) && (!e->where || check(c, e->where, sc));
	sc->n--;
	if (!ok)
		return false;
	if (e->where && !want(c, e->where, JX_T_BOOL, "where 条件"))
		return false;
	if (e->fn == JX_FN_COUNT) {
		e->type = JX_T_NUM;
		e->kind = JX_K_COUNT;
		return true;
	}
	if (e->fn == JX_FN_ALL || e->fn == JX_FN_ANY) {
		e->type = JX_T_BOOL;
		return want(c, e->args[0], JX_T_BOOL, "all/any 的条件");
	}
	e->type = JX_T_NUM;
	e->kind = e->args[0]->kind;
	return want(c, e->args[0], JX_T_NUM, "聚合的值");
}

static bool nargs_ok(checker *c, jx__expr *e, size_t lo, size_t hi)
{
	if (e->nargs >= lo && e->nargs <= hi)
		return true;
	return err(c, e, "F04", "%s() 的参数个数不对%s", jx__fn_name(e->fn), NULL);
}

static bool check_args(checker *c, jx__expr *e, jx__scope *sc)
{
	for (size_t i = 0; i < e->nargs; i++)
		if (!check(c, e->args[i], sc))
			return false;
	return true;
}

static bool all_num(checker *c, jx__expr *e)
{
	for (size_t i = 0; i < e->nargs; i++) {
		if (!want(c, e->args[i], JX_T_NUM, "参数"))
			return false;
		if (e->kind == JX_K_PLAIN)
			e->kind = e->args[i]->kind;
	}
	e->type = JX_T_NUM;
	return true;
}

static bool check_if(checker *c, jx__expr *e)
{
	jx__expr *a = e->args[1], *b = e->args[2];
	if (!want(c, e->args[0], JX_T_BOOL, "if 的条件"))
		return false;
	if (a->type != b->type || a->type == JX_T_LIST || a->type == JX_T_TABLE)
		return err(c, e, "F04", "类型错误：if 的两个分支类型不同（%s 与 %s）",
		           type_name(a->type), type_name(b->type));
	e->type = a->type;
	e->kind = a->kind != JX_K_PLAIN ? a->kind : b->kind;
	return true;
}

static bool check_round(checker *c, jx__expr *e)
{
	jx__expr *d = e->args[1];
	if (!want(c, e->args[0], JX_T_NUM, "round 的值"))
		return false;
	if (d->op != JX_OP_NUM || !jx_dec_is_integer(d->num) || d->num.raw < 0 ||
	    d->num.raw > 6 * JX_DEC_SCALE)
		return err(c, d, "F04", "round() 的位数应为 0 到 6 的整数常量%s%s", NULL, NULL);
	e->type = JX_T_NUM;
	e->kind = e->args[0]->kind;
	return true;
}

static bool check_call(checker *c, jx__expr *e, jx__scope *sc)
{
	jx__fn fn = e->fn;
	bool aggregable = fn == JX_FN_SUM || fn == JX_FN_MIN || fn == JX_FN_MAX ||
	                  fn == JX_FN_COUNT || fn == JX_FN_ALL || fn == JX_FN_ANY;
	if (aggregable && e->nargs >= 1) {
		int t = agg_table(c, e->args[0]);
		if (t >= 0 && (e->nargs == 1 || fn == JX_FN_ALL || fn == JX_FN_ANY || e->where))
			return check_agg(c, e, sc, t);
	}
	if (e->where)
		return err(c, e, "F04", "where 只能用于对表格列的 %s()%s", jx__fn_name(fn), NULL);
	if (fn == JX_FN_COUNT) {
		if (!nargs_ok(c, e, 1, 1) || !check(c, e->args[0], sc))
			return false;
		e->type = JX_T_NUM;
		e->kind = JX_K_COUNT;
		return want(c, e->args[0], JX_T_LIST, "count 的参数");
	}
	static const size_t lo[JX_FN__COUNT] = {
	        [JX_FN_IF] = 3,     [JX_FN_SUM] = 1,   [JX_FN_MIN] = 1,      [JX_FN_MAX] = 1,
	        [JX_FN_ABS] = 1,    [JX_FN_ROUND] = 2, [JX_FN_BLANK] = 1,    [JX_FN_PRESENT] = 1,
	        [JX_FN_APPROX] = 3, [JX_FN_ALL] = 2,   [JX_FN_ANY] = 2,      [JX_FN_NUM] = 1,
	        [JX_FN_SIGN] = 1,   [JX_FN_GRADE] = 1, [JX_FN_LEVEL_OK] = 2, [JX_FN_PCT] = 1,
	        [JX_FN_AMOUNT] = 1};
	bool variadic = fn == JX_FN_SUM || fn == JX_FN_MIN || fn == JX_FN_MAX;
	if (!nargs_ok(c, e, lo[fn], variadic ? 16 : lo[fn]) || !check_args(c, e, sc))
		return false;
	switch (fn) {
	case JX_FN_IF:
		return check_if(c, e);
	case JX_FN_SUM:
	case JX_FN_MIN:
	case JX_FN_MAX:
	case JX_FN_ABS:
		return all_num(c, e);
	case JX_FN_ROUND:
		return check_round(c, e);
	case JX_FN_BLANK:
	case JX_FN_PRESENT:
		e->type = JX_T_BOOL;
		if (e->args[0]->type == JX_T_TABLE)
			return err(c, e, "F04", "%s() 不能用于整张表格%s", jx__fn_name(fn), NULL);
		return true;
	case JX_FN_APPROX:
		if (!all_num(c, e))
			return false;
		e->type = JX_T_BOOL;
		return true;
	case JX_FN_ALL:
	case JX_FN_ANY:
		return err(c, e, "F04", "%s() 的第一个参数应为表格%s", jx__fn_name(fn), NULL);
	case JX_FN_NUM:
		e->type = JX_T_NUM;
		return want(c, e->args[0], JX_T_TEXT, "num 的参数");
	case JX_FN_SIGN:
		e->type = JX_T_TEXT;
		return want(c, e->args[0], JX_T_TEXT, "sign 的参数");
	case JX_FN_GRADE:
		e->type = JX_T_TEXT;
		return want(c, e->args[0], JX_T_NUM, "grade 的参数");
	case JX_FN_PCT:
	case JX_FN_AMOUNT:
		/* Identity on the value; sets how it is shown. */
		e->type = JX_T_NUM;
		e->kind = fn == JX_FN_PCT ? JX_K_PERCENT : JX_K_AMOUNT;
		return want(c, e->args[0], JX_T_NUM, "参数");
	case JX_FN_LEVEL_OK:
		e->type = JX_T_BOOL;
		return want(c, e->args[0], JX_T_TEXT, "level_ok 的等级") &&
		       want(c, e->args[1], JX_T_NUM, "level_ok 的比例");
	default:
		return false;
	}
}

static bool check(checker *c, jx__expr *e, jx__scope *sc)
{
	switch (e->op) {
	case JX_OP_NUM:
	case JX_OP_STR:
		return true;
	case JX_OP_PATH:
		return resolve(c, e, sc);
	case JX_OP_NEG:
		if (!check(c, e->args[0], sc))
			return false;
		e->type = JX_T_NUM;
		e->kind = e->args[0]->kind;
		return want(c, e->args[0], JX_T_NUM, "负号后");
	case JX_OP_NOT:
		if (!check(c, e->args[0], sc))
			return false;
		e->type = JX_T_BOOL;
		return want(c, e->args[0], JX_T_BOOL, "not 后");
	case JX_OP_CALL:
		return check_call(c, e, sc);
	case JX_OP_SLOT:
	case JX_OP_COL:
	case JX_OP_TABLE:
	case JX_OP_AGG:
		return true; /* already resolved */
	default:
		return check_binary(c, e, sc);
	}
}

bool jx__formula_check(jx_scheme *s, jx__expr *e, jx__scope *scope, const char *file,
                       jx_diags *diags)
{
	checker c = {s, file, diags, 0};
	if (!check(&c, e, scope))
		return false;
	if (e->type == JX_T_TABLE)
		return err(&c, e, "F04", "类型错误：这里不能使用整张表格%s%s", NULL, NULL);
	return true;
}

void jx__formula_deps(const jx__expr *e, void (*fn)(void *ctx, int slot), void *ctx)
{
	if (!e)
		return;
	if (e->op == JX_OP_SLOT)
		fn(ctx, e->slot);
	for (size_t i = 0; i < e->nargs; i++)
		jx__formula_deps(e->args[i], fn, ctx);
	jx__formula_deps(e->where, fn, ctx);
}
