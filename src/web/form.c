/* The fill-in form, generated from the scheme: one fieldset per group of
 * fields (the first part of their paths, titled by the report outline or
 * the attachment that shows them), inputs named by value path, computed
 * values as <output data-path>, tables with their rows.  Posted back, the
 * fields become a data file (the same YAML `jixiao check` reads), so the
 * browser and the command line can never disagree. */
#include "web.h"

#include "../eval/doc.h"
#include "../eval/values.h"
#include "../io/yaml_out.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { EXTRA_ROWS = 2, MAX_ROWS = 500 };

/* ---- titles ---- */

static size_t prefix_len(const char *path)
{
	const char *dot = strchr(path, '.');
	return dot ? (size_t)(dot - path) : strlen(path);
}

static bool same_prefix(const char *a, const char *b)
{
	size_t n = prefix_len(a);
	return n == prefix_len(b) && !strncmp(a, b, n);
}

/* The outline heading (level 1) under which the group's first text field
 * is reported, or the attachment laid out from it. */
static const char *group_title(const jx_scheme *s, const char *path)
{
	for (size_t i = 0; i < s->nattachments; i++)
		if (same_prefix(s->attachments[i].id, path))
			return s->attachments[i].title;
	const char *heading = NULL;
	for (size_t i = 0; i < s->noutline; i++) {
		const jx__outline_item *it = &s->outline[i];
		if (it->kind == 0 && it->level == 1)
			heading = it->title;
		else if (it->kind == 1 && it->slot >= 0 && heading &&
		         same_prefix(s->fields[it->slot].path, path))
			return heading;
	}
	return NULL;
}

static const char *group_fallback(const char *path)
{
	static const struct {
		const char *prefix, *title;
	} known[] = {{"year", "基本信息"},
	             {"unit", "基本信息"},
	             {"score", "计算结果"},
	             {"rates", "计算结果"}};
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (same_prefix(known[i].prefix, path))
			return known[i].title;
	return NULL;
}

/* ---- values as input text ---- */

static void input_text(jx__buf *b, const jx_value *v, jx__kind kind)
{
	char buf[256];
	if (v->na) {
		jx__buf_adds(b, "——");
	} else if (v->type == JX_V_LIST) {
		for (size_t i = 0; i < v->n; i++) {
			if (i)
				jx__buf_addc(b, '\n');
			jx__buf_adds(b, v->items[i]);
		}
	} else if (v->type == JX_V_TEXT) {
		jx__buf_adds(b, v->s);
	} else if (v->type != JX_V_BLANK) {
		jx__value_format(v, kind, buf, sizeof buf);
		jx__buf_adds(b, buf);
	}
}

static void esc_value(jx__ctx *c, jx__buf *b, const jx_value *v, jx__kind kind)
{
	jx__buf t;
	jx__buf_init(&t, c->app->alloc);
	if (v)
		input_text(&t, v, kind);
	if (t.len)
		jx__esc(b, t.data);
	jx__buf_fini(&t);
}

static bool is_computed(const jx__field *f)
{
	return f->ftype == JX_F_DERIVED || f->ftype == JX_F_CONST;
}

/* One input (or output) for field f at path. */
static void field_input(jx__ctx *c, jx__buf *b, const jx__field *f, const char *path,
                        const jx_value *v, bool readonly, bool labelled)
{
	if (is_computed(f)) {
		jx__buf_adds(b, "<output data-path=\"");
		jx__esc(b, path);
		jx__buf_adds(b, "\">");
		if (v && v->type != JX_V_BLANK) {
			char buf[256];
			jx__value_format(v, f->kind, buf, sizeof buf);
			jx__esc(b, buf);
		}
		jx__buf_adds(b, "</output>");
		return;
	}
	const char *ro = readonly ? " readonly" : "";
	jx__buf_adds(b, "<");
	bool area = f->ftype == JX_F_PARAGRAPHS || f->ftype == JX_F_LIST;
	bool num = f->ftype <= JX_F_NUMBER;
	jx__buf_adds(b, area ? "textarea rows=\"3\"" : "input type=\"text\"");
	jx__buf_adds(b, " name=\"");
	jx__esc(b, path);
	jx__buf_adds(b, "\" id=\"f-");
	jx__esc(b, path);
	jx__buf_adds(b, "\"");
	if (!labelled) {
		jx__buf_adds(b, " aria-label=\"");
		jx__esc(b, f->label);
		jx__buf_adds(b, "\"");
	}
	if (num)
		jx__buf_adds(b, " inputmode=\"decimal\" class=\"num\"");
	if (f->ftype == JX_F_LIST)
		jx__buf_adds(b, " placeholder=\"每行一项\"");
	if (f->ftype == JX_F_ENUM && f->nvalues) {
		jx__buf_adds(b, " list=\"l-");
		jx__esc(b, path);
		jx__buf_adds(b, "\"");
	}
	jx__buf_adds(b, ro);
	if (area) {
		jx__buf_adds(b, ">");
		esc_value(c, b, v, f->kind);
		jx__buf_adds(b, "</textarea>");
	} else {
		jx__buf_adds(b, " value=\"");
		esc_value(c, b, v, f->kind);
		jx__buf_adds(b, "\">");
	}
	if (f->ftype == JX_F_ENUM && f->nvalues) {
		jx__buf_adds(b, "<datalist id=\"l-");
		jx__esc(b, path);
		jx__buf_adds(b, "\">");
		for (size_t i = 0; i < f->nvalues; i++) {
			jx__buf_adds(b, "<option value=\"");
			jx__esc(b, f->values[i]);
			jx__buf_adds(b, "\">");
		}
		jx__buf_adds(b, "</datalist>");
	}
}

static void table_row(jx__ctx *c, jx__buf *b, const jx__table *t, const jx_doc *doc, size_t r,
                      bool readonly)
{
	char path[600];
	jx__buf_adds(b, "<tr>");
	for (size_t k = 0; k < t->ncols; k++) {
		const jx__field *col = &t->cols[k];
		snprintf(path, sizeof path, "%s[%zu].%s", t->path, r, col->path);
		const jx_value *v =
		        doc && r < jx__doc_rows(doc, (int)(t - doc->s->tables))
		                ? jx__doc_cell(doc, (int)(t - doc->s->tables), r, (int)k)
		                : NULL;
		jx__buf_adds(b, "<td>");
		field_input(c, b, col, path, v, readonly, false);
		jx__buf_adds(b, "</td>");
	}
	jx__buf_adds(b, "</tr>");
}

static void table_input(jx__ctx *c, jx__buf *b, const jx_scheme *s, const jx__field *f,
                        const jx_doc *doc, bool readonly)
{
	const jx__table *t = &s->tables[f->table];
	size_t rows = doc ? jx__doc_rows(doc, f->table) : 0;
	jx__buf_adds(b, "<div class=\"field wide\"><span class=\"label\">");
	jx__esc(b, f->label);
	jx__buf_adds(b, "</span><div class=\"scroll\"><table class=\"grid\" data-table=\"");
	jx__esc(b, f->path);
	jx__buf_adds(b, "\"><thead><tr>");
	for (size_t k = 0; k < t->ncols; k++) {
		jx__buf_adds(b, "<th>");
		jx__esc(b, t->cols[k].label ? t->cols[k].label : t->cols[k].path);
		jx__buf_adds(b, "</th>");
	}
	jx__buf_adds(b, "</tr></thead><tbody>");
	size_t shown = rows + (readonly ? 0 : EXTRA_ROWS);
	for (size_t r = 0; r < shown && r < MAX_ROWS; r++) {
		(void)doc;
		table_row(c, b, t, r < rows ? doc : NULL, r, readonly);
	}
	jx__buf_adds(b, "</tbody></table></div>");
	if (!readonly)
		jx__buf_adds(b,
		             "<button type=\"button\" class=\"add-row\" hidden>添加一行</button>");
	jx__buf_adds(b, "</div>");
}

static void one_field(jx__ctx *c, jx__buf *b, const jx_scheme *s, const jx__field *f,
                      const jx_doc *doc, bool readonly)
{
	if (f->ftype == JX_F_TABLE) {
		table_input(c, b, s, f, doc, readonly);
		return;
	}
	if (f->ftype == JX_F_CONST)
		return;
	bool wide = f->ftype == JX_F_PARAGRAPHS || f->ftype == JX_F_LIST;
	jx__buf_printf(b, "<div class=\"field%s%s\" data-field=\"", wide ? " wide" : "",
	               is_computed(f) ? " computed" : "");
	jx__esc(b, f->path);
	jx__buf_adds(b, "\"><label for=\"f-");
	jx__esc(b, f->path);
	jx__buf_adds(b, "\">");
	jx__esc(b, f->label ? f->label : f->path);
	if (f->required)
		jx__buf_adds(b, "<abbr title=\"必填\">*</abbr>");
	jx__buf_adds(b, "</label>");
	const jx_value *v = doc ? jx__doc_slot(doc, (int)(f - s->fields)) : NULL;
	field_input(c, b, f, f->path, v, readonly || !strcmp(f->path, "unit.code"), true);
	jx__buf_adds(b, "</div>");
}

static bool all_computed(const jx_scheme *s, size_t from)
{
	for (size_t k = from; k < s->nfields; k++)
		if (same_prefix(s->fields[k].path, s->fields[from].path) &&
		    !is_computed(&s->fields[k]))
			return false;
	return true;
}

static void group(jx__ctx *c, jx__buf *b, const jx_scheme *s, size_t i, bool *done,
                  const jx_doc *doc, bool readonly)
{
	const char *title = group_title(s, s->fields[i].path);
	if (!title)
		title = group_fallback(s->fields[i].path);
	jx__buf_adds(b, "<fieldset class=\"group\"><legend>");
	if (title)
		jx__esc(b, title);
	else
		jx__buf_add(b, s->fields[i].path, prefix_len(s->fields[i].path));
	jx__buf_adds(b, "</legend>");
	for (size_t k = i; k < s->nfields; k++) {
		if (done[k] || !same_prefix(s->fields[k].path, s->fields[i].path))
			continue;
		done[k] = true;
		one_field(c, b, s, &s->fields[k], doc, readonly);
	}
	jx__buf_adds(b, "</fieldset>\n");
}

/* Groups with something to fill in, in scheme order; then one group of
 * the values computed from them (rates, scores, the total). */
void jx__form_html(jx__ctx *c, jx__buf *b, const jx_scheme *s, const jx_doc *doc, bool readonly)
{
	bool *done = jx__arena_alloc(&c->a, s->nfields + 1);
	if (!done) {
		b->oom = true;
		return;
	}
	for (size_t i = 0; i < s->nfields; i++) {
		const jx__field *f = &s->fields[i];
		/* the framework's own tables (fixed rows) are the scheme's, not the unit's */
		done[i] = !strcmp(f->path, "year") || f->ftype == JX_F_CONST ||
		          (f->ftype == JX_F_TABLE && s->tables[f->table].rows);

		if (!done[i] && all_computed(s, i))
			done[i] = true; /* shown with the results */
	}
	for (size_t i = 0; i < s->nfields; i++)
		if (!done[i])
			group(c, b, s, i, done, doc, readonly);
	jx__buf_adds(b, "<fieldset class=\"group\"><legend>计算结果</legend>");
	for (size_t i = 0; i < s->nfields; i++)
		if (is_computed(&s->fields[i]) && s->fields[i].ftype != JX_F_CONST &&
		    all_computed(s, i) && strcmp(s->fields[i].path, "year"))
			one_field(c, b, s, &s->fields[i], doc, readonly);
	jx__buf_adds(b, "</fieldset>\n");
}

/* ---- posted fields to a data file ---- */

typedef struct entry {
	jx__yentry y;
	int table; /* the table index for cells, else -1 */
	long row;
} entry;

typedef struct entries {
	entry *e;
	size_t n, cap;
} entries;

static bool add(jx__ctx *c, entries *es, const char *path, const char *value, bool list)
{
	if (es->n == es->cap) {
		size_t cap = es->cap ? es->cap * 2 : 128;
		entry *e = jx__arena_alloc(&c->a, cap * sizeof(*e));
		if (!e)
			return false;
		if (es->n)
			memcpy(e, es->e, es->n * sizeof(*e));
		es->e = e;
		es->cap = cap;
	}
	es->e[es->n++] =
	        (entry){.y = {.path = path, .value = value, .list = list}, .table = -1, .row = -1};
	return true;
}

static bool blank_text(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return false;
	return true;
}

/* "t[3].col": the table path, the row and the column's field; NULL if the
 * name is no cell of an input column. */
static const jx__field *cell_of(const jx_scheme *s, const char *name, int *table, long *row)
{
	const char *br = strchr(name, '[');
	if (!br)
		return NULL;
	char *end;
	long r = strtol(br + 1, &end, 10);
	if (end == br + 1 || r < 0 || r >= MAX_ROWS || end[0] != ']' || end[1] != '.')
		return NULL;
	int slot = jx__scheme_slot(s, name, (size_t)(br - name));
	if (slot < 0 || s->fields[slot].ftype != JX_F_TABLE)
		return NULL;
	const jx__table *t = &s->tables[s->fields[slot].table];
	for (size_t k = 0; k < t->ncols; k++)
		if (!strcmp(t->cols[k].path, end + 2)) {
			if (is_computed(&t->cols[k]))
				return NULL;
			*table = s->fields[slot].table;
			*row = r;
			return &t->cols[k];
		}
	return NULL;
}

static bool add_posted(jx__ctx *c, const jx_scheme *s, const jx__kv *kv, entries *es)
{
	int table;
	long row;
	if (kv->filename || blank_text(kv->value) || strlen(kv->value) != kv->value_len)
		return true;
	if (cell_of(s, kv->name, &table, &row)) {
		if (!add(c, es, kv->name, kv->value, false))
			return false;
		es->e[es->n - 1].table = table;
		es->e[es->n - 1].row = row;
		return true;
	}
	int slot = jx__scheme_slot(s, kv->name, strlen(kv->name));
	if (slot < 0)
		return true; /* not a field of this scheme: ignored */
	const jx__field *f = &s->fields[slot];
	if (is_computed(f) || f->ftype == JX_F_TABLE || !strcmp(f->path, "year") ||
	    !strcmp(f->path, "unit.code"))
		return true;
	return add(c, es, kv->name, kv->value, f->ftype == JX_F_LIST);
}

/* Rows renumbered so blank rows leave no gaps: "t[5].x" → "t[2].x".  The
 * new number of a row is the count of used rows before it in its table. */
static bool renumber(jx__ctx *c, const jx_scheme *s, entries *es)
{
	unsigned short *rank = jx__arena_alloc(&c->a, s->ntables * MAX_ROWS * sizeof(*rank));
	if (!rank)
		return false;
	for (size_t i = 0; i < es->n; i++)
		if (es->e[i].table >= 0)
			rank[(size_t)es->e[i].table * MAX_ROWS + (size_t)es->e[i].row] = 1;
	for (size_t t = 0; t < s->ntables; t++) {
		unsigned short used = 0;
		for (size_t r = 0; r < MAX_ROWS; r++) {
			unsigned short *x = &rank[t * MAX_ROWS + r];
			unsigned short was = *x;
			*x = used;
			used = (unsigned short)(used + was);
		}
	}
	for (size_t i = 0; i < es->n; i++) {
		entry *e = &es->e[i];
		if (e->table < 0)
			continue;
		const char *br = strchr(e->y.path, '[');
		const char *col = strchr(br, ']') + 1;
		e->y.path =
		        jx__arena_printf(&c->a, "%.*s[%u]%s", (int)(br - e->y.path), e->y.path,
		                         rank[(size_t)e->table * MAX_ROWS + (size_t)e->row], col);
		if (!e->y.path)
			return false;
	}
	return true;
}

/* The _expl_rule.K and _expl_path.K fields, sorted by name (then by
 * position, so that the first of equal names is found as jx__kvs_str
 * would): looked up once per _expl_text.K.  A linear search per
 * explanation was quadratic: 16,000 explanation texts without rules among
 * 32,000 fields kept a server thread busy for 3 s per request. */
static int by_name(const void *a, const void *b)
{
	const jx__kv *x = *(const jx__kv *const *)a, *y = *(const jx__kv *const *)b;
	int r = strcmp(x->name, y->name);
	return r ? r : (x > y) - (x < y);
}

static const char *expl_field(const jx__kv **sorted, size_t n, const char *name)
{
	size_t lo = 0, hi = n;
	while (lo < hi) { /* the first entry not below name */
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(sorted[mid]->name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && !strcmp(sorted[lo]->name, name) ? sorted[lo]->value : NULL;
}

static bool add_explanations(jx__ctx *c, const jx__kvs *form, entries *es)
{
	size_t nf = 0;
	const jx__kv **fields = jx__arena_alloc(&c->a, (form->n ? form->n : 1) * sizeof(*fields));
	if (!fields)
		return false;
	for (size_t i = 0; i < form->n; i++)
		if (!strncmp(form->v[i].name, "_expl_rule.", 11) ||
		    !strncmp(form->v[i].name, "_expl_path.", 11))
			fields[nf++] = &form->v[i];
	qsort(fields, nf, sizeof(*fields), by_name);
	size_t n = 0;
	for (size_t i = 0; i < form->n && n < 1000; i++) {
		const jx__kv *kv = &form->v[i];
		if (strncmp(kv->name, "_expl_text.", 11) || blank_text(kv->value))
			continue;
		const char *key = kv->name + 11;
		char name[96];
		snprintf(name, sizeof name, "_expl_rule.%s", key);
		const char *rule = expl_field(fields, nf, name);
		snprintf(name, sizeof name, "_expl_path.%s", key);
		const char *path = expl_field(fields, nf, name);
		if (!rule || !*rule)
			continue;
		const char *p = jx__arena_printf(&c->a, "explanations[%zu].", n++);
		if (!p || !add(c, es, jx__arena_printf(&c->a, "%srule", p), rule, false) ||
		    (path && *path &&
		     !add(c, es, jx__arena_printf(&c->a, "%spath", p), path, false)) ||
		    !add(c, es, jx__arena_printf(&c->a, "%stext", p), kv->value, false))
			return false;
	}
	return true;
}

static char *to_yaml(jx__ctx *c, const jx_scheme *s, const entries *es, const char *unit, int year,
                     size_t *len)
{
	char header[512];
	snprintf(header, sizeof header, "# 由 jixiao serve 的填报表单保存\nscheme: %s\nyear: %d\n",
	         jx_scheme_id(s), year);
	if (unit) {
		jx__buf h;
		jx__buf_init(&h, c->app->alloc);
		jx__buf_adds(&h, header);
		jx__buf_adds(&h, "unit.code: \"");
		for (const char *p = unit; *p; p++) {
			if (*p == '"' || *p == '\\')
				jx__buf_addc(&h, '\\');
			jx__buf_addc(&h, *p);
		}
		jx__buf_adds(&h, "\"\n");
		char *hd = jx__buf_take(&h);
		if (!hd)
			return NULL;
		char *text = jx__yaml_from_entries(c->app->alloc, hd, es->n ? &es->e[0].y : NULL,
		                                   es->n, sizeof(entry));
		jx__free(c->app->alloc, hd);
		if (text)
			*len = strlen(text);
		return text;
	}
	char *text = jx__yaml_from_entries(c->app->alloc, header, es->n ? &es->e[0].y : NULL, es->n,
	                                   sizeof(entry));
	if (text)
		*len = strlen(text);
	return text;
}

char *jx__form_to_data(jx__ctx *c, const jx_scheme *s, const jx__kvs *form, const char *force_unit,
                       int year, size_t *len)
{
	entries es = {0};
	for (size_t i = 0; i < form->n; i++)
		if (form->v[i].name[0] != '_' && !add_posted(c, s, &form->v[i], &es))
			return NULL;
	if (!renumber(c, s, &es) || !add_explanations(c, form, &es))
		return NULL;
	return to_yaml(c, s, &es, force_unit, year, len);
}

/* ---- loading with what is valid ---- */

/* Removes the lines of the data text that hold the failing value: the
 * loader names a path, the generated text has one value per line, so the
 * line the diagnostic points at is dropped. */
static bool drop_lines(char *text, size_t *len, const jx_diags *errs)
{
	bool dropped = false;
	for (size_t i = jx_diags_count(errs); i-- > 0;) {
		const jx_diag *g = jx_diags_get(errs, i);
		if (!g->line || g->severity != JX_SEV_FATAL)
			continue;
		char *p = text;
		for (unsigned l = 1; l < g->line && p; l++) {
			p = strchr(p, '\n');
			if (p)
				p++;
		}
		if (!p || !*p || !strncmp(p, "scheme:", 7) || !strncmp(p, "year:", 5))
			continue;
		char *e = strchr(p, '\n');
		/* keep the line count (the later lines' numbers stay right) */
		for (char *q = p; q < (e ? e : text + *len); q++)
			*q = ' ';
		dropped = true;
	}
	return dropped;
}

jx_doc *jx__form_load(jx__ctx *c, const jx_scheme *s, const char *data, size_t len,
                      jx_diags *load_errors, jx_diags *findings)
{
	jx_doc *doc = jx_doc_load_mem(s, "表单", data, len, c->app->alloc, load_errors);
	if (!doc && jx_diags_count(load_errors)) {
		char *copy = jx__arena_strndup(&c->a, data, len);
		jx_diags *again = jx_diags_new(c->app->alloc);
		for (int tries = 0; copy && again && !doc && tries < 4; tries++) {
			if (!drop_lines(copy, &len, tries ? again : load_errors))
				break;
			jx_diags_clear(again);
			doc = jx_doc_load_mem(s, "表单", copy, len, c->app->alloc, again);
		}
		jx_diags_free(again);
	}
	if (doc && jx_doc_evaluate(doc, findings) != JX_OK) {
		jx_doc_free(doc);
		return NULL;
	}
	return doc;
}

/* ---- the evaluate answer ---- */

static jx_status put_computed(void *ctx, const char *path, const jx__field *f, const char *text)
{
	if (is_computed(f))
		json_object_set_new(ctx, path, json_string(text));
	return JX_OK;
}

static json_t *diag_json(const jx_diag *g)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(g->id ? g->id : ""));
	json_object_set_new(o, "severity", json_string(jx_severity_name(g->severity)));
	json_object_set_new(o, "message", json_string(g->message ? g->message : ""));
	if (g->path)
		json_object_set_new(o, "path", json_string(g->path));
	if (g->expected)
		json_object_set_new(o, "expected", json_string(g->expected));
	if (g->actual)
		json_object_set_new(o, "actual", json_string(g->actual));
	if (g->explanation)
		json_object_set_new(o, "explanation", json_string(g->explanation));
	return o;
}

static void result(json_t *o, const jx_doc *doc, const char *key, jx_result which)
{
	char buf[64];
	if (doc && jx_doc_format_result(doc, which, buf, sizeof buf) >= 0)
		json_object_set_new(o, key, json_string(buf));
	else
		json_object_set_new(o, key, json_null());
}

void jx__form_eval_json(jx__ctx *c, jx__buf *b, const jx_doc *doc, const jx_diags *load_errors,
                        const jx_diags *findings)
{
	json_t *o = json_object(), *vals = json_object(), *fs = json_array(), *le = json_array();
	size_t n[4] = {0}, unexplained = 0;
	(void)c;
	if (doc)
		jx__doc_each_value(doc, put_computed, vals);
	for (size_t i = 0; i < jx_diags_count(load_errors); i++)
		json_array_append_new(le, diag_json(jx_diags_get(load_errors, i)));
	for (size_t i = 0; findings && i < jx_diags_count(findings); i++) {
		const jx_diag *g = jx_diags_get(findings, i);
		n[g->severity]++;
		unexplained += g->severity == JX_SEV_WARNING && !g->explanation;
		json_array_append_new(fs, diag_json(g));
	}
	json_object_set_new(o, "loaded", json_boolean(doc != NULL));
	result(o, doc, "total", JX_RESULT_TOTAL);
	result(o, doc, "grade", JX_RESULT_GRADE);
	result(o, doc, "stated_total", JX_RESULT_STATED_TOTAL);
	result(o, doc, "stated_grade", JX_RESULT_STATED_GRADE);
	json_object_set_new(o, "values", vals);
	json_object_set_new(o, "load_errors", le);
	json_object_set_new(o, "findings", fs);
	json_object_set_new(o, "errors",
	                    json_integer((json_int_t)(n[JX_SEV_ERROR] + n[JX_SEV_FATAL] +
	                                              jx_diags_count(load_errors))));
	json_object_set_new(o, "warnings", json_integer((json_int_t)n[JX_SEV_WARNING]));
	json_object_set_new(o, "unexplained", json_integer((json_int_t)unexplained));
	json_object_set_new(o, "infos", json_integer((json_int_t)n[JX_SEV_INFO]));
	char *text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!text) {
		b->oom = true;
		return;
	}
	jx__buf_adds(b, text);
	free(text);
}
