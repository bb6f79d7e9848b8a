/* Loading a scheme file: fields, templates, framework, derived values,
 * rules, outline and attachment layouts.  Every problem is reported with
 * its line and column in the scheme; loading goes on after an error where
 * it can, so one run shows all of them. */
#include "scheme.h"

#include <stdio.h>
#include <string.h>

typedef struct loader {
	jx_scheme *s;
	jx_diags *diags;
	bool failed;
	const jx__ynode *templates;
} loader;

static jx__loc nloc(const loader *L, const jx__ynode *n)
{
	jx__loc l = {L->s->file, n ? n->line : 0, n ? n->col : 0};
	return l;
}

static void lerr(loader *L, const jx__ynode *n, const char *id, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
static void lerr(loader *L, const jx__ynode *n, const char *id, const char *fmt, ...)
{
	jx__diag_spec spec = {.sev = JX_SEV_FATAL, .id = id, .loc = nloc(L, n)};
	va_list ap;
	va_start(ap, fmt);
	jx__diag_vadd(L->diags, &spec, fmt, ap);
	va_end(ap);
	L->failed = true;
}

static bool oom(loader *L, const jx__ynode *n)
{
	lerr(L, n, "Y00", "内存不足");
	return false;
}

static const char *scalar(loader *L, const jx__ynode *n, const char *what)
{
	if (!n)
		return NULL;
	if (n->kind != JX_Y_SCALAR) {
		lerr(L, n, "C03", "%s应为单个值，实际为%s", what, jx__y_kind_name(n));
		return NULL;
	}
	return n->s;
}

/* Checks that a map has only the given keys; suggests the nearest. */
static bool only_keys(loader *L, const jx__ynode *map, const char *const *keys, const char *what)
{
	bool ok = true;
	for (size_t i = 0; i < map->n; i++) {
		const jx__ynode *k = map->kids[2 * i];
		bool known = false;
		const char *near = NULL;
		size_t best = 3;
		for (size_t j = 0; keys[j]; j++) {
			if (!strcmp(k->s, keys[j]))
				known = true;
			size_t d = jx__edit_distance(k->s, keys[j], best - 1);
			if (d < best) {
				best = d;
				near = keys[j];
			}
		}
		if (!known) {
			if (near)
				lerr(L, k, "C02", "%s中有未知的键“%s”，是否想写“%s”？", what, k->s,
				     near);
			else
				lerr(L, k, "C02", "%s中有未知的键“%s”", what, k->s);
			ok = false;
		}
	}
	return ok;
}

static bool want_kind(loader *L, const jx__ynode *n, jx__ykind kind, const char *what)
{
	if (n && n->kind == kind)
		return true;
	static const char *const names[] = {"单个值", "键值映射", "列表"};
	lerr(L, n, "C03", "%s应为%s%s%s", what, names[kind], n ? "，实际为" : "",
	     n ? jx__y_kind_name(n) : "");
	return false;
}

static bool parse_bool(loader *L, const jx__ynode *n, bool *out)
{
	const char *s = scalar(L, n, "开关");
	if (!s)
		return false;
	if (!strcmp(s, "true") || !strcmp(s, "yes")) {
		*out = true;
		return true;
	}
	if (!strcmp(s, "false") || !strcmp(s, "no")) {
		*out = false;
		return true;
	}
	lerr(L, n, "C03", "“%s”应为 true 或 false", s);
	return false;
}

static bool parse_dec(loader *L, const jx__ynode *n, jx_dec *out, const char *what)
{
	const char *s = scalar(L, n, what);
	if (!s)
		return false;
	jx_dec_status st = jx_dec_parse(s, n->len, JX_DEC_ALLOW_PERCENT, out, NULL, NULL);
	if (st != JX_DEC_OK) {
		lerr(L, n, "C04", "%s“%s”%s", what, s, jx_dec_strerror(st));
		return false;
	}
	return true;
}

/* ---- fields ---- */

static const struct {
	const char *name;
	jx__ftype ftype;
	jx__kind kind;
	int decimals;
} type_table[] = {
        {"amount", JX_F_AMOUNT, JX_K_AMOUNT, 2},
        {"count", JX_F_COUNT, JX_K_COUNT, 0},
        {"percent", JX_F_PERCENT, JX_K_PERCENT, 6},
        {"score", JX_F_SCORE, JX_K_SCORE, 2},
        {"number", JX_F_NUMBER, JX_K_PLAIN, 6},
        {"text", JX_F_TEXT, JX_K_PLAIN, 0},
        {"enum", JX_F_ENUM, JX_K_PLAIN, 0},
        {"date", JX_F_DATE, JX_K_PLAIN, 0},
        {"paragraphs", JX_F_PARAGRAPHS, JX_K_PLAIN, 0},
        {"list", JX_F_LIST, JX_K_PLAIN, 0},
        {"table", JX_F_TABLE, JX_K_PLAIN, 0},
};

static jx__field *new_slot(loader *L, const char *path, const jx__ynode *at)
{
	jx_scheme *s = L->s;
	if (jx__scheme_slot(s, path, strlen(path)) >= 0) {
		lerr(L, at, "C05", "字段“%s”重复定义", path);
		return NULL;
	}
	if (!jx__grow(s->alloc, (void **)&s->fields, &s->capfields, s->nfields + 1,
	              sizeof(*s->fields))) {
		oom(L, at);
		return NULL;
	}
	jx__field *f = &s->fields[s->nfields];
	memset(f, 0, sizeof(*f));
	f->path = path;
	f->table = -1;
	f->line = at ? at->line : 0;
	f->col = at ? at->col : 0;
	if (!jx__map_put(&s->by_path, path, strlen(path), (int)s->nfields)) {
		oom(L, at);
		return NULL;
	}
	s->nfields++;
	return f;
}

/* Registers every proper prefix of path as a group ("a", "a.b" of "a.b.c"). */
static bool add_groups(loader *L, const char *path, const jx__ynode *at)
{
	for (const char *p = strchr(path, '.'); p; p = strchr(p + 1, '.')) {
		size_t n = (size_t)(p - path);
		int slot = jx__scheme_slot(L->s, path, n);
		if (slot >= 0) {
			lerr(L, at, "C05", "“%.*s”已是字段，不能再有下级字段“%s”", (int)n, path,
			     path);
			return false;
		}
		if (!jx__map_put(&L->s->groups, path, n, 1))
			return oom(L, at);
	}
	if (jx__map_get(&L->s->groups, path, strlen(path)) >= 0) {
		lerr(L, at, "C05", "“%s”已有下级字段，不能再作为字段", path);
		return false;
	}
	return true;
}

static bool parse_formula(loader *L, const jx__ynode *n, jx__expr **out)
{
	const char *src = scalar(L, n, "公式");
	if (!src)
		return false;
	jx__loc at = nloc(L, n);
	if (!n->plain && at.col)
		at.col++; /* past the opening quote */
	*out = jx__formula_parse(&L->s->arena, src, n->len, at, L->diags);
	if (!*out)
		L->failed = true;
	return *out != NULL;
}

static bool parse_enum_values(loader *L, jx__field *f, const jx__ynode *v)
{
	if (!want_kind(L, v, JX_Y_SEQ, "values"))
		return false;
	f->values = jx__arena_alloc(&L->s->arena, (v->n ? v->n : 1) * sizeof(*f->values));
	if (!f->values)
		return oom(L, v);
	for (size_t i = 0; i < v->n; i++)
		if (!(f->values[i] = scalar(L, v->kids[i], "枚举值")))
			return false;
	f->nvalues = v->n;
	return true;
}

static bool parse_type(loader *L, jx__field *f, const jx__ynode *tn)
{
	const char *t = scalar(L, tn, "type");
	if (!t)
		return false;
	for (size_t i = 0; i < sizeof type_table / sizeof type_table[0]; i++) {
		if (!strcmp(t, type_table[i].name)) {
			f->ftype = type_table[i].ftype;
			f->kind = type_table[i].kind;
			f->decimals = type_table[i].decimals;
			/* Money, counts and scores are never negative unless a
			 * scheme says so with `min`. */
			f->has_min = f->ftype == JX_F_AMOUNT || f->ftype == JX_F_COUNT ||
			             f->ftype == JX_F_SCORE;
			f->min = jx_dec_zero();
			/* Bounds far past any real figure, so that sums of a form's
			 * values cannot overflow: 10^10 万元 is ten times a national
			 * budget; scores stay far below 1000.  A scheme may set `max`. */
			f->has_max = f->ftype == JX_F_AMOUNT || f->ftype == JX_F_SCORE ||
			             f->ftype == JX_F_COUNT;
			f->max = jx_dec_from_int(f->ftype == JX_F_SCORE   ? 1000
			                         : f->ftype == JX_F_COUNT ? 100000000
			                                                  : 10000000000LL);
			return true;
		}
	}
	lerr(L, tn, "C06",
	     "未知的字段类型“%s”（可用 amount、count、percent、score、number、text、"
	     "enum、date、paragraphs、list、table）",
	     t);
	return false;
}

static bool parse_table_columns(loader *L, jx__field *f, const jx__ynode *cols);

static const char *const field_keys[] = {"type", "label",  "required", "min",     "max", "decimals",
                                         "na",   "values", "columns",  "derived", "use", NULL};

/* Fills f from its spec map (type, label, required, ...). */
static bool parse_field_spec(loader *L, jx__field *f, const jx__ynode *spec, bool column)
{
	if (!want_kind(L, spec, JX_Y_MAP, "字段定义") ||
	    !only_keys(L, spec, field_keys, "字段定义"))
		return false;
	const jx__ynode *n;
	f->label = scalar(L, jx__ymap_get(spec, "label"), "label");
	if (!f->label)
		f->label = f->path;
	if ((n = jx__ymap_get(spec, "derived"))) {
		f->ftype = JX_F_DERIVED;
		f->source = n->s;
		return parse_formula(L, n, &f->formula);
	}
	if (!(n = jx__ymap_get(spec, "type"))) {
		lerr(L, spec, "C06", "字段“%s”缺少 type", f->path);
		return false;
	}
	if (!parse_type(L, f, n))
		return false;
	bool ok = true;
	if ((n = jx__ymap_get(spec, "required")))
		ok &= parse_bool(L, n, &f->required);
	if ((n = jx__ymap_get(spec, "na")))
		ok &= parse_bool(L, n, &f->na);
	if ((n = jx__ymap_get(spec, "min")))
		ok &= f->has_min = parse_dec(L, n, &f->min, "min");
	if ((n = jx__ymap_get(spec, "max")))
		ok &= f->has_max = parse_dec(L, n, &f->max, "max");
	if (f->has_min && f->has_max && jx_dec_cmp(f->min, f->max) > 0)
		ok = false, lerr(L, n, "C09", "字段“%s”的 min 大于 max", f->path);
	if ((n = jx__ymap_get(spec, "decimals"))) {
		jx_dec d;
		bool num = parse_dec(L, n, &d, "decimals"); /* reports a non-number */
		if (num && jx_dec_is_integer(d) && d.raw >= 0 && d.raw <= 6 * JX_DEC_SCALE)
			f->decimals = (int)(d.raw / JX_DEC_SCALE);
		else {
			ok = false;
			if (num)
				lerr(L, n, "C04", "decimals 应为 0 到 6 的整数");
		}
	}
	if (f->ftype == JX_F_ENUM) {
		if (!(n = jx__ymap_get(spec, "values")))
			ok = false, lerr(L, spec, "C06", "枚举字段“%s”缺少 values", f->path);
		else
			ok &= parse_enum_values(L, f, n);
	}
	if (f->ftype == JX_F_TABLE) {
		if (column)
			ok = false, lerr(L, spec, "C06", "表格的列不能再是表格");
		else if (!(n = jx__ymap_get(spec, "columns")))
			ok = false, lerr(L, spec, "C06", "表格字段“%s”缺少 columns", f->path);
		else
			ok &= parse_table_columns(L, f, n);
	}
	return ok;
}

static int new_table(loader *L, const char *path, int field, size_t ncols, const jx__ynode *at)
{
	jx_scheme *s = L->s;
	if (!jx__grow(s->alloc, (void **)&s->tables, &s->captables, s->ntables + 1,
	              sizeof(*s->tables))) {
		oom(L, at);
		return -1;
	}
	jx__table *t = &s->tables[s->ntables];
	memset(t, 0, sizeof(*t));
	t->path = path;
	t->field = field;
	t->cols = jx__arena_alloc(&s->arena, (ncols ? ncols : 1) * sizeof(*t->cols));
	t->order = jx__arena_alloc(&s->arena, (ncols ? ncols : 1) * sizeof(*t->order));
	if (!t->cols || !t->order) {
		oom(L, at);
		return -1;
	}
	t->ncols = ncols;
	return (int)s->ntables++;
}

static bool parse_table_columns(loader *L, jx__field *f, const jx__ynode *cols)
{
	if (!want_kind(L, cols, JX_Y_MAP, "columns"))
		return false;
	int field = (int)(f - L->s->fields);
	int t = new_table(L, f->path, field, cols->n, cols);
	if (t < 0)
		return false;
	f = &L->s->fields[field]; /* fields may not move, but be safe */
	f->table = t;
	bool ok = true;
	for (size_t i = 0; i < cols->n; i++) {
		jx__field *c = &L->s->tables[t].cols[i];
		c->path = cols->kids[2 * i]->s;
		c->table = -1;
		c->line = cols->kids[2 * i]->line;
		c->col = cols->kids[2 * i]->col;
		for (size_t j = 0; j < i; j++)
			if (!strcmp(L->s->tables[t].cols[j].path, c->path))
				ok = false,
				lerr(L, cols->kids[2 * i], "C05", "列“%s”重复定义", c->path);
		ok &= parse_field_spec(L, c, cols->kids[2 * i + 1], true);
	}
	return ok;
}

/* Expands `use: template` into one field per template entry. */
static bool expand_use(loader *L, const char *path, const jx__ynode *spec, const jx__ynode *use)
{
	const char *name = scalar(L, use, "use");
	const jx__ynode *tpl = name ? jx__ymap_get(L->templates, name) : NULL;
	if (!tpl) {
		if (name)
			lerr(L, use, "C07", "未定义的字段模板“%s”", name);
		return false;
	}
	if (!want_kind(L, tpl, JX_Y_MAP, "字段模板"))
		return false;
	bool ok = true;
	for (size_t i = 0; i < tpl->n; i++) {
		const char *sub =
		        jx__arena_printf(&L->s->arena, "%s.%s", path, tpl->kids[2 * i]->s);
		if (!sub)
			return oom(L, spec);
		if (!add_groups(L, sub, spec)) {
			ok = false;
			continue;
		}
		jx__field *f = new_slot(L, sub, tpl->kids[2 * i]);
		if (!f || !parse_field_spec(L, f, tpl->kids[2 * i + 1], false)) {
			ok = false;
			continue;
		}
		f->line = spec->line;
		f->col = spec->col;
		/* "三公经费" + "上年决算数": errors name the row and the column. */
		const char *group = scalar(L, jx__ymap_get(spec, "label"), "label");
		if (group && f->label && f->label != f->path)
			f->label = jx__arena_printf(&L->s->arena, "%s%s", group, f->label);
		if (!f->label)
			return oom(L, spec);
	}
	return ok;
}

static bool valid_path(const char *p)
{
	bool start = true;
	for (; *p; p++) {
		char c = *p;
		bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
		bool digit = c >= '0' && c <= '9';
		if (c == '.') {
			if (start)
				return false;
			start = true;
		} else if (alpha || (digit && !start)) {
			start = false;
		} else {
			return false;
		}
	}
	return !start;
}

static bool check_field_path(loader *L, const jx__ynode *k)
{
	if (valid_path(k->s))
		return true;
	lerr(L, k, "C08", "字段路径“%s”只能由字母、数字、下划线和“.”组成", k->s);
	return false;
}

static bool load_fields(loader *L, const jx__ynode *fields)
{
	if (!want_kind(L, fields, JX_Y_MAP, "fields"))
		return false;
	bool ok = true;
	for (size_t i = 0; i < fields->n; i++) {
		const jx__ynode *k = fields->kids[2 * i], *spec = fields->kids[2 * i + 1];
		if (!check_field_path(L, k) || !add_groups(L, k->s, k)) {
			ok = false;
			continue;
		}
		const jx__ynode *use = spec->kind == JX_Y_MAP ? jx__ymap_get(spec, "use") : NULL;
		if (use) {
			ok &= expand_use(L, k->s, spec, use);
			continue;
		}
		jx__field *f = new_slot(L, k->s, k);
		if (!f || !parse_field_spec(L, f, spec, false))
			ok = false;
		else if (f->ftype == JX_F_DERIVED)
			ok = false,
			lerr(L, spec, "C06", "派生值请写在 derived: 中，而不是 fields: 中");
	}
	return ok;
}

/* ---- framework ---- */

static bool add_const(loader *L, const char *path, const jx__ynode *n, jx__kind kind)
{
	jx_dec d;
	if (!parse_dec(L, n, &d, path))
		return false;
	jx__field *f = new_slot(L, path, n);
	if (!f)
		return false;
	f->ftype = JX_F_CONST;
	f->kind = kind;
	f->label = path;
	f->constant.type = JX_V_NUM;
	f->constant.num = d;
	f->constant.scale = -1;
	return add_groups(L, path, n);
}

static bool load_bands(loader *L, const jx__ynode *list, jx__band **out, size_t *n,
                       const char *what)
{
	static const char *const keys[] = {"name", "min", "max", "max_inclusive", NULL};
	if (!want_kind(L, list, JX_Y_SEQ, what))
		return false;
	*out = jx__arena_alloc(&L->s->arena, (list->n ? list->n : 1) * sizeof(**out));
	if (!*out)
		return oom(L, list);
	bool ok = true;
	for (size_t i = 0; i < list->n; i++) {
		const jx__ynode *b = list->kids[i];
		jx__band *band = &(*out)[i];
		if (!want_kind(L, b, JX_Y_MAP, what) || !only_keys(L, b, keys, what)) {
			ok = false;
			continue;
		}
		band->name = scalar(L, jx__ymap_get(b, "name"), "name");
		ok &= band->name && parse_dec(L, jx__ymap_get(b, "min"), &band->min, "min") &&
		      parse_dec(L, jx__ymap_get(b, "max"), &band->max, "max");
		const jx__ynode *inc = jx__ymap_get(b, "max_inclusive");
		if (inc)
			ok &= parse_bool(L, inc, &band->max_inclusive);
		if (!band->name)
			lerr(L, b, "C06", "%s缺少 name", what);
		else if (jx_dec_cmp(band->min, band->max) > 0)
			ok = false, lerr(L, b, "C09", "“%s”的下限大于上限", band->name);
	}
	*n = list->n;
	return ok;
}

static bool load_categories(loader *L, const jx__ynode *list)
{
	static const char *const keys[] = {"name", "label", "weight", "level2", NULL};
	static const char *const cols[] = {"name", "label", "weight"};
	if (!want_kind(L, list, JX_Y_SEQ, "categories"))
		return false;
	jx__field *f = new_slot(L, "framework.categories", list);
	if (!f || !add_groups(L, "framework.categories", list))
		return false;
	f->ftype = JX_F_TABLE;
	f->label = "一级指标";
	int t = new_table(L, "framework.categories", (int)(f - L->s->fields), 3, list);
	if (t < 0)
		return false;
	L->s->fields[L->s->nfields - 1].table = t;
	L->s->categories_table = t;
	jx__table *tb = &L->s->tables[t];
	for (size_t c = 0; c < 3; c++) {
		tb->cols[c].path = cols[c];
		tb->cols[c].label = cols[c];
		tb->cols[c].ftype = c == 2 ? JX_F_SCORE : JX_F_TEXT;
		tb->cols[c].kind = c == 2 ? JX_K_SCORE : JX_K_PLAIN;
		tb->cols[c].table = -1;
	}
	tb->rows = jx__arena_alloc(&L->s->arena, (list->n ? list->n : 1) * 3 * sizeof(jx_value));
	if (!tb->rows)
		return oom(L, list);
	tb->nrows = list->n;
	bool ok = true;
	for (size_t i = 0; i < list->n; i++) {
		const jx__ynode *c = list->kids[i];
		jx_value *row = &tb->rows[3 * i];
		if (!want_kind(L, c, JX_Y_MAP, "一级指标") || !only_keys(L, c, keys, "一级指标")) {
			ok = false;
			continue;
		}
		row[0].type = row[1].type = JX_V_TEXT;
		row[0].s = scalar(L, jx__ymap_get(c, "name"), "name");
		row[1].s = scalar(L, jx__ymap_get(c, "label"), "label");
		if (!row[1].s)
			row[1].s = row[0].s;
		row[2].type = JX_V_NUM;
		row[2].scale = -1;
		ok &= row[0].s && parse_dec(L, jx__ymap_get(c, "weight"), &row[2].num, "weight");
		if (!row[0].s)
			lerr(L, c, "C06", "一级指标缺少 name");
	}
	return ok;
}

static bool load_framework(loader *L, const jx__ynode *fw)
{
	static const char *const keys[] = {"total",  "funds_weight", "indicators", "categories",
	                                   "levels", "grades",       "result",     NULL};
	if (!want_kind(L, fw, JX_Y_MAP, "framework") || !only_keys(L, fw, keys, "framework"))
		return false;
	bool ok = true;
	const jx__ynode *n;
	if ((n = jx__ymap_get(fw, "total")))
		ok &= add_const(L, "framework.total", n, JX_K_SCORE);
	if ((n = jx__ymap_get(fw, "funds_weight")))
		ok &= add_const(L, "framework.funds_weight", n, JX_K_SCORE);
	if ((n = jx__ymap_get(fw, "categories")))
		ok &= load_categories(L, n);
	if ((n = jx__ymap_get(fw, "levels")))
		ok &= load_bands(L, n, &L->s->levels, &L->s->nlevels, "定性等级");
	if ((n = jx__ymap_get(fw, "grades")))
		ok &= load_bands(L, n, &L->s->grades, &L->s->ngrades, "等次");
	return ok;
}

/* framework.indicators and framework.result name fields; resolved after
 * derived values are known. */
static int resolve_result_path(loader *L, const jx__ynode *n, bool table)
{
	const char *p = scalar(L, n, "字段路径");
	if (!p)
		return -1;
	int slot = jx__scheme_slot(L->s, p, strlen(p));
	if (slot < 0) {
		lerr(L, n, "C10", "framework 中引用了未知字段“%s”", p);
		return -1;
	}
	if (table != (L->s->fields[slot].ftype == JX_F_TABLE)) {
		lerr(L, n, "C10", "“%s”%s表格", p, table ? "应为" : "不能是");
		return -1;
	}
	return slot;
}

static bool load_result(loader *L, const jx__ynode *fw)
{
	static const char *const keys[] = {"funds_score",  "total", "grade", "stated_total",
	                                   "stated_grade", "funds", NULL};
	static const char *const fkeys[] = {"weight", "stated_score", "rate", NULL};
	jx_scheme *s = L->s;
	const jx__ynode *ind = jx__ymap_get(fw, "indicators");
	const jx__ynode *r = jx__ymap_get(fw, "result");
	if (ind) {
		static const char *const need[] = {"level1", "name", "weight", "stated_score",
		                                   "score"};
		int slot = resolve_result_path(L, ind, true);
		s->indicators_table = slot >= 0 ? s->fields[slot].table : -1;
		for (size_t i = 0; slot >= 0 && i < sizeof need / sizeof need[0]; i++) {
			const jx__table *t = &s->tables[s->indicators_table];
			bool found = false;
			for (size_t c = 0; c < t->ncols; c++)
				found |= !strcmp(t->cols[c].path, need[i]);
			if (!found)
				lerr(L, ind, "C10", "指标表“%s”缺少列“%s”", t->path, need[i]);
		}
	}
	if (!r)
		return true;
	if (!want_kind(L, r, JX_Y_MAP, "result") || !only_keys(L, r, keys, "result"))
		return false;
	const jx__ynode *f = jx__ymap_get(r, "funds");
	if (f && (!want_kind(L, f, JX_Y_MAP, "funds") || !only_keys(L, f, fkeys, "funds")))
		return false;
	struct {
		const jx__ynode *n;
		int *slot;
	} map[] = {{jx__ymap_get(r, "funds_score"), &s->result.funds_score},
	           {jx__ymap_get(r, "total"), &s->result.total},
	           {jx__ymap_get(r, "grade"), &s->result.grade},
	           {jx__ymap_get(r, "stated_total"), &s->result.stated_total},
	           {jx__ymap_get(r, "stated_grade"), &s->result.stated_grade},
	           {jx__ymap_get(f, "weight"), &s->result.funds_weight},
	           {jx__ymap_get(f, "stated_score"), &s->result.funds_stated_score},
	           {jx__ymap_get(f, "rate"), &s->result.funds_rate}};
	bool ok = true;
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (map[i].n && (*map[i].slot = resolve_result_path(L, map[i].n, false)) < 0)
			ok = false;
	return ok;
}

/* ---- derived values ---- */

static bool load_derived(loader *L, const jx__ynode *d)
{
	if (!want_kind(L, d, JX_Y_MAP, "derived"))
		return false;
	bool ok = true;
	for (size_t i = 0; i < d->n; i++) {
		const jx__ynode *k = d->kids[2 * i], *v = d->kids[2 * i + 1];
		if (!check_field_path(L, k) || !add_groups(L, k->s, k)) {
			ok = false;
			continue;
		}
		jx__field *f = new_slot(L, k->s, k);
		if (!f) {
			ok = false;
			continue;
		}
		f->ftype = JX_F_DERIVED;
		f->label = k->s;
		/* `path: formula`, or `path: {formula: …, label: …}` for a label
		 * the forms and the store's value lists show */
		if (v->kind == JX_Y_MAP) {
			static const char *const keys[] = {"formula", "label", NULL};
			const char *label = scalar(L, jx__ymap_get(v, "label"), "label");
			if (!only_keys(L, v, keys, "派生值")) {
				ok = false;
				continue;
			}
			if (label)
				f->label = label;
			if (!(v = jx__ymap_get(v, "formula"))) {
				lerr(L, d->kids[2 * i + 1], "C06", "派生值“%s”缺少 formula", k->s);
				ok = false;
				continue;
			}
		}
		f->source = v->kind == JX_Y_SCALAR ? v->s : NULL;
		ok &= parse_formula(L, v, &f->formula);
	}
	return ok;
}

/* Checks every derived value (globals, then table columns) in order of use. */
static bool check_all_derived(loader *L)
{
	jx_scheme *s = L->s;
	bool ok = true;
	s->derived_order = jx__arena_alloc(&s->arena, (s->nfields + 1) * sizeof(int));
	if (!s->derived_order)
		return oom(L, NULL);
	for (size_t t = 0; t < s->ntables; t++) {
		jx__table *tb = &s->tables[t];
		for (size_t c = 0; c < tb->ncols; c++) {
			jx__field *f = &tb->cols[c];
			if (f->ftype != JX_F_DERIVED || !f->formula)
				continue;
			jx__expr use = {
			        .op = JX_OP_PATH, .str = f->path, .line = f->line, .col = f->col};
			jx__scope sc = {.tables = {(int)t}, .n = 1};
			ok &= jx__formula_check(s, &use, &sc, s->file, L->diags);
		}
	}
	for (size_t i = 0; i < s->nfields; i++) {
		jx__field *f = &s->fields[i];
		if (f->ftype != JX_F_DERIVED || !f->formula)
			continue;
		jx__expr use = {.op = JX_OP_PATH, .str = f->path, .line = f->line, .col = f->col};
		jx__scope sc = {.n = 0};
		ok &= jx__formula_check(s, &use, &sc, s->file, L->diags);
	}
	if (!ok)
		L->failed = true;
	return ok;
}

/* ---- templates "text {expr} text" ---- */

static int special_of(const char *s, size_t n)
{
	static const char *const names[] = {"actual", "expected", "difference", "value"};
	for (int i = 0; i < 4; i++)
		if (strlen(names[i]) == n && !memcmp(names[i], s, n))
			return i + 1;
	return 0;
}

static unsigned cols_between(const char *s, size_t n)
{
	unsigned c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

bool jx__tpl_parse(jx_scheme *s, const char *src, jx__loc at, jx__scope *scope, bool specials,
                   jx__tpl *out, jx_diags *diags)
{
	size_t len = strlen(src), nparts = 0, cap = 8, counted = 0;
	unsigned cols = 0; /* code points in src[0, counted) */
	jx__tpl_part *parts = jx__arena_alloc(&s->arena, cap * sizeof(*parts));
	if (!parts)
		return false;
	for (size_t i = 0; i < len;) {
		const char *open = strchr(src + i, '{');
		size_t lit_end = open ? (size_t)(open - src) : len;
		if (nparts + 2 > cap) {
			jx__tpl_part *np = jx__arena_alloc(&s->arena, 2 * cap * sizeof(*parts));
			if (!np)
				return false;
			memcpy(np, parts, nparts * sizeof(*parts));
			parts = np, cap *= 2;
		}
		if (lit_end > i)
			parts[nparts++].text = jx__arena_strndup(&s->arena, src + i, lit_end - i);
		if (!open)
			break;
		const char *close = strchr(open, '}');
		jx__loc el = at;
		/* Counted on from the previous '{': from src[0] each time is
		 * quadratic in templates with many placeholders. */
		cols += cols_between(src + counted, (size_t)(open - src) - counted);
		counted = (size_t)(open - src);
		el.col += cols + 1;
		if (!close) {
			el.col--; /* at the '{' itself */
			jx__diag_fatal(diags, "F01", el, NULL, "模板中的“{”没有对应的“}”");
			return false;
		}
		size_t elen = (size_t)(close - open - 1);
		jx__tpl_part *p = &parts[nparts++];
		p->special = specials ? special_of(open + 1, elen) : 0;
		if (!p->special) {
			p->expr = jx__formula_parse(&s->arena, open + 1, elen, el, diags);
			if (!p->expr || !jx__formula_check(s, p->expr, scope, at.file, diags))
				return false;
		}
		i = (size_t)(close - src) + 1;
	}
	out->parts = parts;
	out->nparts = nparts;
	return true;
}

static bool load_tpl(loader *L, const jx__ynode *n, jx__scope *sc, bool specials, jx__tpl *out)
{
	const char *src = scalar(L, n, "模板");
	if (!src)
		return false;
	jx__loc at = nloc(L, n);
	if (!n->plain)
		at.col++;
	if (!jx__tpl_parse(L->s, src, at, sc, specials, out, L->diags)) {
		L->failed = true;
		return false;
	}
	return true;
}

/* ---- rules ---- */

static bool rule_formula(loader *L, const jx__ynode *r, const char *key, jx__scope *sc,
                         jx__expr **out)
{
	const jx__ynode *n = jx__ymap_get(r, key);
	*out = NULL;
	if (!n)
		return true;
	if (!parse_formula(L, n, out))
		return false;
	if (!jx__formula_check(L->s, *out, sc, L->s->file, L->diags)) {
		L->failed = true;
		return false;
	}
	if ((*out)->type == JX_T_LIST) {
		lerr(L, n, "F04", "规则的“%s”不能是段落或列表", key);
		return false;
	}
	return true;
}

static bool rule_severity(loader *L, jx__rule *rule, const jx__ynode *n)
{
	const char *sv = scalar(L, n, "severity");
	if (!sv) {
		if (!n)
			lerr(L, NULL, "C11", "规则缺少 severity");
		return false;
	}
	if (!strcmp(sv, "error"))
		rule->sev = JX_SEV_ERROR;
	else if (!strcmp(sv, "warning"))
		rule->sev = JX_SEV_WARNING;
	else if (!strcmp(sv, "info"))
		rule->sev = JX_SEV_INFO;
	else {
		lerr(L, n, "C11", "severity 应为 error、warning 或 info，实际为“%s”", sv);
		return false;
	}
	return true;
}

static bool valid_rule_id(const char *id)
{
	size_t n = strlen(id);
	if (n < 2 || n > 8 || id[0] < 'A' || id[0] > 'Z')
		return false;
	for (size_t i = 1; i < n; i++)
		if (!((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'A' && id[i] <= 'Z')))
			return false;
	return true;
}

static bool rule_target(loader *L, jx__rule *rule, const jx__ynode *r)
{
	const jx__ynode *fe = jx__ymap_get(r, "for_each"), *at = jx__ymap_get(r, "at");
	rule->for_each = rule->at_slot = rule->at_col = -1;
	if (fe) {
		const char *p = scalar(L, fe, "for_each");
		int slot = p ? jx__scheme_slot(L->s, p, strlen(p)) : -1;
		if (slot < 0 || L->s->fields[slot].ftype != JX_F_TABLE) {
			if (p)
				lerr(L, fe, "C12", "for_each 应为表格字段，“%s”不是", p);
			return false;
		}
		rule->for_each = L->s->fields[slot].table;
	}
	if (!at)
		return true;
	const char *p = scalar(L, at, "at");
	if (!p)
		return false;
	if (rule->for_each >= 0) {
		const jx__table *t = &L->s->tables[rule->for_each];
		for (size_t c = 0; c < t->ncols; c++)
			if (!strcmp(t->cols[c].path, p))
				rule->at_col = (int)c;
		if (rule->at_col >= 0)
			return true;
	}
	rule->at_slot = jx__scheme_slot(L->s, p, strlen(p));
	if (rule->at_slot < 0) {
		lerr(L, at, "C12", "at 引用了未知字段“%s”", p);
		return false;
	}
	return true;
}

static bool rule_numbers(loader *L, jx__rule *rule, const jx__ynode *r)
{
	const jx__ynode *n;
	bool ok = true;
	rule->round = -1;
	if ((n = jx__ymap_get(r, "round"))) {
		jx_dec d;
		bool num = parse_dec(L, n, &d, "round"); /* reports a non-number */
		if (num && jx_dec_is_integer(d) && d.raw >= 0 && d.raw <= 6 * JX_DEC_SCALE)
			rule->round = (int)(d.raw / JX_DEC_SCALE);
		else {
			ok = false;
			if (num)
				lerr(L, n, "C04", "round 应为 0 到 6 的整数");
		}
	}
	if ((n = jx__ymap_get(r, "tolerance")))
		ok &= parse_dec(L, n, &rule->tolerance, "tolerance");
	if ((n = jx__ymap_get(r, "tail")))
		ok &= rule->has_tail = parse_dec(L, n, &rule->tail, "tail");
	return ok;
}

static bool rule_shape(loader *L, jx__rule *rule, const jx__ynode *r)
{
	if (!rule->assert && !(rule->actual && rule->expected)) {
		lerr(L, r, "C13", "规则 %s 需要 assert，或同时有 actual 与 expected", rule->id);
		return false;
	}
	if (rule->assert && rule->assert->type != JX_T_BOOL) {
		lerr(L, jx__ymap_get(r, "assert"), "F04", "assert 应为真假值");
		return false;
	}
	if (rule->when && rule->when->type != JX_T_BOOL) {
		lerr(L, jx__ymap_get(r, "when"), "F04", "when 应为真假值");
		return false;
	}
	if (!rule->assert && rule->actual->type != rule->expected->type) {
		lerr(L, jx__ymap_get(r, "expected"), "F04", "actual 与 expected 的类型不同");
		return false;
	}
	return true;
}

static const char *const rule_keys[] = {
        "id",       "severity", "title", "at",        "for_each", "when",    "assert", "actual",
        "expected", "value",    "round", "tolerance", "tail",     "message", "note",   NULL};

static bool load_rule(loader *L, const jx__ynode *r, jx__rule *rule)
{
	if (!want_kind(L, r, JX_Y_MAP, "规则") || !only_keys(L, r, rule_keys, "规则"))
		return false;
	rule->line = r->line;
	rule->col = r->col;
	rule->id = scalar(L, jx__ymap_get(r, "id"), "id");
	if (!rule->id || !valid_rule_id(rule->id)) {
		lerr(L, jx__ymap_get(r, "id") ? jx__ymap_get(r, "id") : r, "C11",
		     "规则编号应为大写字母加数字（如 B01）");
		return false;
	}
	rule->title = scalar(L, jx__ymap_get(r, "title"), "title");
	if (!rule_severity(L, rule, jx__ymap_get(r, "severity")) || !rule_target(L, rule, r) ||
	    !rule_numbers(L, rule, r))
		return false;
	jx__scope sc = {.n = 0, .has_row = rule->for_each >= 0};
	if (rule->for_each >= 0)
		sc.tables[sc.n++] = rule->for_each;
	if (!rule_formula(L, r, "when", &sc, &rule->when) ||
	    !rule_formula(L, r, "assert", &sc, &rule->assert) ||
	    !rule_formula(L, r, "actual", &sc, &rule->actual) ||
	    !rule_formula(L, r, "expected", &sc, &rule->expected) ||
	    !rule_formula(L, r, "value", &sc, &rule->value) || !rule_shape(L, rule, r))
		return false;
	const jx__ynode *msg = jx__ymap_get(r, "message"), *note = jx__ymap_get(r, "note");
	if (!msg) {
		lerr(L, r, "C13", "规则 %s 缺少 message", rule->id);
		return false;
	}
	return load_tpl(L, msg, &sc, true, &rule->message) &&
	       (!note || load_tpl(L, note, &sc, true, &rule->note));
}

static bool load_rules(loader *L, const jx__ynode *rules)
{
	if (!want_kind(L, rules, JX_Y_SEQ, "rules"))
		return false;
	jx_scheme *s = L->s;
	s->rules = jx__arena_alloc(&s->arena, (rules->n ? rules->n : 1) * sizeof(*s->rules));
	if (!s->rules)
		return oom(L, rules);
	bool ok = true;
	for (size_t i = 0; i < rules->n; i++) {
		jx__rule *rule = &s->rules[s->nrules];
		memset(rule, 0, sizeof(*rule));
		if (load_rule(L, rules->kids[i], rule))
			s->nrules++;
		else
			ok = false;
	}
	return ok;
}

/* ---- outline ---- */

static bool add_outline(loader *L, const jx__outline_item *item, const jx__ynode *at)
{
	jx_scheme *s = L->s;
	if (!jx__grow(s->alloc, (void **)&s->outline, &s->capoutline, s->noutline + 1,
	              sizeof(*s->outline)))
		return oom(L, at);
	s->outline[s->noutline++] = *item;
	return true;
}

static bool load_body_item(loader *L, const jx__ynode *b, int level)
{
	static const char *const keys[] = {"text", "template", "table", "numbered", NULL};
	jx__outline_item item = {.level = level, .slot = -1};
	const jx__ynode *n;
	jx__scope sc = {.n = 0};
	if (!want_kind(L, b, JX_Y_MAP, "正文项") || !only_keys(L, b, keys, "正文项"))
		return false;
	if ((n = jx__ymap_get(b, "numbered")) && !parse_bool(L, n, &item.numbered))
		return false;
	if ((n = jx__ymap_get(b, "text"))) {
		const char *p = scalar(L, n, "text");
		item.kind = 1;
		item.slot = p ? jx__scheme_slot(L->s, p, strlen(p)) : -1;
		if (item.slot < 0) {
			if (p)
				lerr(L, n, "C14", "大纲引用了未知字段“%s”", p);
			return false;
		}
	} else if ((n = jx__ymap_get(b, "template"))) {
		item.kind = 2;
		if (!load_tpl(L, n, &sc, false, &item.tpl))
			return false;
	} else if ((n = jx__ymap_get(b, "table"))) {
		item.kind = 3;
		if (!(item.table_id = scalar(L, n, "table")))
			return false;
	} else {
		lerr(L, b, "C14", "正文项应有 text、template 或 table");
		return false;
	}
	return add_outline(L, &item, b);
}

static bool load_sections(loader *L, const jx__ynode *list, int level)
{
	static const char *const keys[] = {"title", "body", "sections", NULL};
	if (!want_kind(L, list, JX_Y_SEQ, "sections"))
		return false;
	if (level > 6) {
		lerr(L, list, "C14", "大纲层级过深");
		return false;
	}
	bool ok = true;
	for (size_t i = 0; i < list->n; i++) {
		const jx__ynode *sec = list->kids[i], *n;
		if (!want_kind(L, sec, JX_Y_MAP, "章节") || !only_keys(L, sec, keys, "章节")) {
			ok = false;
			continue;
		}
		jx__outline_item h = {.kind = 0, .level = level, .slot = -1};
		if (!(h.title = scalar(L, jx__ymap_get(sec, "title"), "title"))) {
			lerr(L, sec, "C14", "章节缺少 title");
			ok = false;
			continue;
		}
		ok &= add_outline(L, &h, sec);
		if ((n = jx__ymap_get(sec, "body"))) {
			if (!want_kind(L, n, JX_Y_SEQ, "body"))
				ok = false;
			else
				for (size_t j = 0; j < n->n; j++)
					ok &= load_body_item(L, n->kids[j], level);
		}
		if ((n = jx__ymap_get(sec, "sections")))
			ok &= load_sections(L, n, level + 1);
	}
	return ok;
}

static bool load_outline(loader *L, const jx__ynode *o)
{
	static const char *const keys[] = {"title", "sections", NULL};
	if (!want_kind(L, o, JX_Y_MAP, "outline") || !only_keys(L, o, keys, "outline"))
		return false;
	const jx__ynode *t = jx__ymap_get(o, "title"), *secs = jx__ymap_get(o, "sections");
	jx__scope sc = {.n = 0};
	bool ok = true;
	if (t) {
		L->s->report_title_src = t->s;
		ok &= load_tpl(L, t, &sc, false, &L->s->report_title);
	}
	if (secs)
		ok &= load_sections(L, secs, 1);
	return ok;
}

/* ---- attachments: table layouts ---- */

static int small_int(loader *L, const jx__ynode *n, const char *what, int lo, int hi)
{
	jx_dec d;
	if (!n)
		return lo;
	if (parse_dec(L, n, &d, what) && jx_dec_is_integer(d) &&
	    d.raw >= (int64_t)lo * JX_DEC_SCALE && d.raw <= (int64_t)hi * JX_DEC_SCALE)
		return (int)(d.raw / JX_DEC_SCALE);
	lerr(L, n, "C15", "%s应为 %d 到 %d 的整数", what, lo, hi);
	return -1;
}

static bool load_cell(loader *L, const jx__ynode *c, jx__scope *sc, jx__lay_cell *cell)
{
	static const char *const keys[] = {"text", "colspan", "rowspan", "align", NULL};
	cell->colspan = cell->rowspan = 1;
	if (c->kind == JX_Y_MAP) {
		if (!only_keys(L, c, keys, "单元格"))
			return false;
		cell->colspan = small_int(L, jx__ymap_get(c, "colspan"), "colspan", 1, 64);
		cell->rowspan = small_int(L, jx__ymap_get(c, "rowspan"), "rowspan", 1, 64);
		if (cell->colspan < 0 || cell->rowspan < 0)
			return false;
		c = jx__ymap_get(c, "text");
		if (!c)
			return true;
	}
	return load_tpl(L, c, sc, false, &cell->tpl);
}

static bool load_cells(loader *L, const jx__ynode *cells, jx__scope *sc, jx__lay_row *row)
{
	if (!want_kind(L, cells, JX_Y_SEQ, "cells"))
		return false;
	row->cells = jx__arena_alloc(&L->s->arena, (cells->n ? cells->n : 1) * sizeof(*row->cells));
	if (!row->cells)
		return oom(L, cells);
	row->ncells = cells->n;
	bool ok = true;
	for (size_t i = 0; i < cells->n; i++)
		ok &= load_cell(L, cells->kids[i], sc, &row->cells[i]);
	return ok;
}

static bool load_merge(loader *L, const jx__ynode *m, jx__lay_row *row)
{
	if (!want_kind(L, m, JX_Y_SEQ, "merge"))
		return false;
	row->merge = jx__arena_alloc(&L->s->arena, (m->n ? m->n : 1) * sizeof(*row->merge));
	if (!row->merge)
		return oom(L, m);
	const jx__table *t = row->repeat >= 0 ? &L->s->tables[row->repeat] : NULL;
	for (size_t i = 0; i < m->n; i++) {
		const char *c = scalar(L, m->kids[i], "merge");
		bool found = false;
		for (size_t k = 0; c && t && k < t->ncols; k++)
			found |= !strcmp(t->cols[k].path, c);
		if (!found) {
			lerr(L, m->kids[i], "C15", "merge 应为 repeat 表格的列");
			return false;
		}
		row->merge[row->nmerge++] = c;
	}
	return true;
}

static bool load_layout_row(loader *L, const jx__ynode *r, jx__lay_row *row)
{
	static const char *const keys[] = {"cells", "repeat", "header", "indent", "merge", NULL};
	const jx__ynode *n;
	if (!want_kind(L, r, JX_Y_MAP, "行") || !only_keys(L, r, keys, "行"))
		return false;
	jx__scope sc = {.n = 0};
	memset(row, 0, sizeof(*row));
	row->repeat = -1;
	if ((n = jx__ymap_get(r, "repeat"))) {
		const char *p = scalar(L, n, "repeat");
		int slot = p ? jx__scheme_slot(L->s, p, strlen(p)) : -1;
		if (slot < 0 || L->s->fields[slot].ftype != JX_F_TABLE) {
			if (p)
				lerr(L, n, "C15", "repeat 应为表格字段，“%s”不是", p);
			return false;
		}
		row->repeat = L->s->fields[slot].table;
		sc.tables[sc.n++] = row->repeat;
	}
	if ((n = jx__ymap_get(r, "header")) && !parse_bool(L, n, &row->header))
		return false;
	if ((row->indent = small_int(L, jx__ymap_get(r, "indent"), "indent", 0, 8)) < 0)
		return false;
	if ((n = jx__ymap_get(r, "merge")) && !load_merge(L, n, row))
		return false;
	n = jx__ymap_get(r, "cells");
	return !n || load_cells(L, n, &sc, row);
}

static bool load_notes(loader *L, const jx__ynode *notes, jx__attachment *a)
{
	jx__scope sc = {.n = 0};
	if (!want_kind(L, notes, JX_Y_SEQ, "notes"))
		return false;
	a->notes = jx__arena_alloc(&L->s->arena, (notes->n ? notes->n : 1) * sizeof(*a->notes));
	if (!a->notes)
		return oom(L, notes);
	bool ok = true;
	for (size_t j = 0; j < notes->n; j++)
		ok &= load_tpl(L, notes->kids[j], &sc, false, &a->notes[a->nnotes++]);
	return ok;
}

static bool load_attachment(loader *L, const jx__ynode *y, jx__attachment *a)
{
	static const char *const keys[] = {"id", "name", "title", "columns", "rows", "notes", NULL};
	const jx__ynode *rows, *notes;
	memset(a, 0, sizeof(*a)); /* the slot of a failed attachment is reused */
	if (!want_kind(L, y, JX_Y_MAP, "附件") || !only_keys(L, y, keys, "附件"))
		return false;
	if (!(a->id = scalar(L, jx__ymap_get(y, "id"), "id"))) {
		lerr(L, y, "C15", "附件缺少 id");
		return false;
	}
	a->name = scalar(L, jx__ymap_get(y, "name"), "name");
	a->title = scalar(L, jx__ymap_get(y, "title"), "title");
	if ((a->ncols = small_int(L, jx__ymap_get(y, "columns"), "columns", 1, 64)) < 0)
		return false;
	bool ok = true;
	if ((rows = jx__ymap_get(y, "rows"))) {
		if (!want_kind(L, rows, JX_Y_SEQ, "rows"))
			return false;
		a->rows = jx__arena_alloc(&L->s->arena, (rows->n ? rows->n : 1) * sizeof(*a->rows));
		if (!a->rows)
			return oom(L, rows);
		for (size_t i = 0; i < rows->n; i++)
			ok &= load_layout_row(L, rows->kids[i], &a->rows[a->nrows++]);
	}
	if ((notes = jx__ymap_get(y, "notes")))
		ok &= load_notes(L, notes, a);
	return ok;
}

static bool load_attachments(loader *L, const jx__ynode *list)
{
	if (!want_kind(L, list, JX_Y_SEQ, "attachments"))
		return false;
	jx_scheme *s = L->s;
	s->attachments =
	        jx__arena_alloc(&s->arena, (list->n ? list->n : 1) * sizeof(*s->attachments));
	if (!s->attachments)
		return oom(L, list);
	bool ok = true;
	for (size_t i = 0; i < list->n; i++) {
		if (load_attachment(L, list->kids[i], &s->attachments[s->nattachments]))
			s->nattachments++;
		else
			ok = false;
	}
	return ok;
}

/* Every `table:` of the outline names an attachment. */
static void check_outline_tables(loader *L)
{
	for (size_t i = 0; i < L->s->noutline; i++) {
		const jx__outline_item *it = &L->s->outline[i];
		bool found = it->kind != 3;
		for (size_t a = 0; !found && a < L->s->nattachments; a++)
			found = !strcmp(L->s->attachments[a].id, it->table_id);
		if (!found)
			lerr(L, NULL, "C14", "大纲引用了未定义的附件“%s”", it->table_id);
	}
}

/* ---- top level ---- */

/* YAML allows a list or map as a key ("? [a]: 1"); nothing in a scheme
 * means that, and every key is read as text below. */
/* ---- summary: what the store keeps ---- */

static int summary_slot(loader *L, const jx__ynode *n, bool numeric)
{
	const char *p = scalar(L, n, "字段路径");
	if (!p)
		return -1;
	int slot = jx__scheme_slot(L->s, p, strlen(p));
	if (slot < 0) {
		lerr(L, n, "C10", "summary 中引用了未知字段“%s”", p);
		return -1;
	}
	const jx__field *f = &L->s->fields[slot];
	bool text = f->ftype == JX_F_TEXT || f->ftype == JX_F_ENUM;
	bool num = f->ftype == JX_F_DERIVED || f->ftype == JX_F_CONST
	                   ? f->type == JX_T_NUM
	                   : !text && f->ftype <= JX_F_NUMBER;
	if (numeric ? !num : !text) {
		lerr(L, n, "C10", "summary 中的“%s”应为%s", p, numeric ? "数值" : "文本");
		return -1;
	}
	return slot;
}

static bool load_summary_unit(loader *L, const jx__ynode *u)
{
	static const char *const keys[] = {"code", "name", "parent", "parent_name", NULL};
	if (!want_kind(L, u, JX_Y_MAP, "summary.unit") || !only_keys(L, u, keys, "summary.unit"))
		return false;
	int *slots = &L->s->summary.code;
	for (size_t i = 0; keys[i]; i++) {
		const jx__ynode *n = jx__ymap_get(u, keys[i]);
		if (n && (slots[i] = summary_slot(L, n, false)) < 0)
			return false;
	}
	return true;
}

static bool load_metric(loader *L, const jx__ynode *m, jx__metric *out)
{
	static const char *const keys[] = {"id", "label", "path", NULL};
	if (!want_kind(L, m, JX_Y_MAP, "summary.metrics 的一项") ||
	    !only_keys(L, m, keys, "summary.metrics 的一项"))
		return false;
	out->id = scalar(L, jx__ymap_get(m, "id"), "id");
	out->label = scalar(L, jx__ymap_get(m, "label"), "label");
	const jx__ynode *p = jx__ymap_get(m, "path");
	if (!out->id || !out->label || !p) {
		lerr(L, m, "C01", "summary.metrics 的每一项需要 id、label 与 path");
		return false;
	}
	out->slot = summary_slot(L, p, true);
	return out->slot >= 0;
}

static bool load_summary(loader *L, const jx__ynode *y)
{
	static const char *const keys[] = {"unit", "metrics", NULL};
	jx_scheme *s = L->s;
	if (!want_kind(L, y, JX_Y_MAP, "summary") || !only_keys(L, y, keys, "summary"))
		return false;
	const jx__ynode *u = jx__ymap_get(y, "unit"), *m = jx__ymap_get(y, "metrics");
	if (u && !load_summary_unit(L, u))
		return false;
	if (!m)
		return true;
	if (!want_kind(L, m, JX_Y_SEQ, "summary.metrics"))
		return false;
	s->summary.metrics = jx__arena_alloc(&s->arena, (m->n + 1) * sizeof(jx__metric));
	if (!s->summary.metrics)
		return oom(L, m);
	for (size_t i = 0; i < m->n; i++) {
		if (!load_metric(L, m->kids[i], &s->summary.metrics[i]))
			return false;
		for (size_t j = 0; j < i; j++)
			if (!strcmp(s->summary.metrics[j].id, s->summary.metrics[i].id)) {
				lerr(L, m->kids[i], "C05", "summary.metrics 中的 id“%s”重复",
				     s->summary.metrics[i].id);
				return false;
			}
		s->summary.nmetrics = i + 1;
	}
	return true;
}

static bool scalar_keys(loader *L, const jx__ynode *n)
{
	bool ok = true;
	if (n->kind == JX_Y_SCALAR)
		return true;
	size_t items = n->kind == JX_Y_MAP ? 2 * n->n : n->n;
	for (size_t i = 0; i < items; i++) {
		const jx__ynode *k = n->kids[i];
		if (n->kind == JX_Y_MAP && i % 2 == 0 && k->kind != JX_Y_SCALAR) {
			lerr(L, k, "C03", "键应为单个值，实际为%s", jx__y_kind_name(k));
			ok = false;
		} else {
			ok &= scalar_keys(L, k);
		}
	}
	return ok;
}

static const char *const top_keys[] = {"scheme",      "version",   "title",   "kind",  "templates",
                                       "fields",      "framework", "derived", "rules", "outline",
                                       "attachments", "summary",   NULL};

static void load_header(loader *L, const jx__ynode *root)
{
	jx_scheme *s = L->s;
	s->id = scalar(L, jx__ymap_get(root, "scheme"), "scheme");
	if (!s->id)
		lerr(L, root, "C01", "方案缺少 scheme（方案名）");
	s->title = scalar(L, jx__ymap_get(root, "title"), "title");
	s->kind = scalar(L, jx__ymap_get(root, "kind"), "kind");
	const jx__ynode *v = jx__ymap_get(root, "version");
	jx_dec d;
	if (v && parse_dec(L, v, &d, "version"))
		s->version = (int)(d.raw / JX_DEC_SCALE);
	L->templates = jx__ymap_get(root, "templates");
	if (L->templates)
		want_kind(L, L->templates, JX_Y_MAP, "templates");
}

static void load_root(loader *L, const jx__ynode *root)
{
	const jx__ynode *n;
	if (!want_kind(L, root, JX_Y_MAP, "方案文件的顶层") || !scalar_keys(L, root) ||
	    !only_keys(L, root, top_keys, "方案"))
		return;
	load_header(L, root);
	if (!(n = jx__ymap_get(root, "fields")))
		lerr(L, root, "C01", "方案缺少 fields");
	else
		load_fields(L, n);
	if ((n = jx__ymap_get(root, "framework")))
		load_framework(L, n);
	if ((n = jx__ymap_get(root, "derived")))
		load_derived(L, n);
	if (L->failed)
		return; /* formulas need every name in place */
	if (!check_all_derived(L))
		return;
	if (n = jx__ymap_get(root, "framework"), n)
		load_result(L, n);
	if ((n = jx__ymap_get(root, "rules")))
		load_rules(L, n);
	if ((n = jx__ymap_get(root, "outline")))
		load_outline(L, n);
	if ((n = jx__ymap_get(root, "attachments")))
		load_attachments(L, n);
	if ((n = jx__ymap_get(root, "summary")))
		load_summary(L, n);
	if (!L->failed)
		check_outline_tables(L);
}

static jx_scheme *scheme_new(const jx_allocator *alloc)
{
	jx_scheme *s = jx__alloc(alloc, sizeof(*s));
	if (!s)
		return NULL;
	memset(s, 0, sizeof(*s));
	s->alloc = alloc;
	jx__arena_init(&s->arena, alloc, 65536);
	jx__map_init(&s->by_path, alloc);
	jx__map_init(&s->groups, alloc);
	s->categories_table = s->indicators_table = -1;
	s->summary.code = s->summary.name = s->summary.parent = s->summary.parent_name = -1;
	int *r = &s->result.funds_score;
	for (size_t i = 0; i < sizeof s->result / sizeof(int); i++)
		r[i] = -1;
	return s;
}

jx_scheme *jx_scheme_load_mem(const char *name, const char *buf, size_t len,
                              const jx_allocator *alloc, jx_diags *diags)
{
	if (!alloc)
		alloc = jx_allocator_default();
	jx_scheme *s = scheme_new(alloc);
	if (!s) {
		jx__loc l = {name, 0, 0};
		jx__diag_fatal(diags, "Y00", l, NULL, "内存不足");
		return NULL;
	}
	loader L = {.s = s, .diags = diags};
	s->file = jx__arena_strdup(&s->arena, name);
	s->source = jx__arena_strndup(&s->arena, buf, len);
	s->source_len = len;
	jx__ynode *root =
	        s->file && s->source ? jx__yaml_parse(&s->arena, s->file, buf, len, diags) : NULL;
	if (!root) {
		jx_scheme_free(s);
		return NULL;
	}
	load_root(&L, root);
	if (L.failed || jx__diags_oom(diags)) {
		jx_scheme_free(s);
		return NULL;
	}
	return s;
}

jx_scheme *jx_scheme_load_file(const char *path, const jx_allocator *alloc, jx_diags *diags)
{
	size_t len;
	if (!alloc)
		alloc = jx_allocator_default();
	char *buf = jx__read_file(alloc, path, &len, diags);
	if (!buf)
		return NULL;
	jx_scheme *s = jx_scheme_load_mem(path, buf, len, alloc, diags);
	jx__free(alloc, buf);
	return s;
}

void jx_scheme_free(jx_scheme *s)
{
	if (!s)
		return;
	const jx_allocator *a = s->alloc;
	jx__map_fini(&s->by_path);
	jx__map_fini(&s->groups);
	jx__free(a, s->fields);
	jx__free(a, s->tables);
	jx__free(a, s->outline);
	jx__arena_fini(&s->arena);
	jx__free(a, s);
}

const char *jx_scheme_id(const jx_scheme *s)
{
	return s->id;
}

const char *jx_scheme_title(const jx_scheme *s)
{
	return s->title ? s->title : s->id;
}

size_t jx_scheme_field_count(const jx_scheme *s)
{
	return s->nfields;
}

size_t jx_scheme_rule_count(const jx_scheme *s)
{
	return s->nrules;
}
