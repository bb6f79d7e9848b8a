/* Every value of an evaluated document as (path, field, text): what the
 * store keeps of an evaluation so it can be shown and compared without
 * parsing the source again. */
#include "values.h"

#include <stdio.h>
#include <string.h>

typedef struct walker {
	const jx_doc *d;
	jx__value_cb cb;
	void *ctx;
	char path[512];
	char text[256];
	jx_status st;
} walker;

int jx__field_group(const jx__field *f)
{
	if (f->ftype == JX_F_PARAGRAPHS || f->ftype == JX_F_LIST)
		return JX_VG_NARRATIVE;
	return f->ftype == JX_F_DERIVED ? JX_VG_COMPUTED : JX_VG_INPUT;
}

static void emit(walker *w, const jx__field *f, const char *text)
{
	if (w->st == JX_OK)
		w->st = w->cb(w->ctx, w->path, f, text);
}

/* One value at w->path; a list becomes one entry per item. */
static void walk_value(walker *w, const jx__field *f, const jx_value *v)
{
	if (v->type == JX_V_BLANK && !v->na)
		return;
	if (v->type != JX_V_LIST) {
		if (v->type == JX_V_TEXT) {
			emit(w, f, v->s);
			return;
		}
		jx__value_format(v, f->kind, w->text, sizeof w->text);
		emit(w, f, w->text);
		return;
	}
	size_t base = strlen(w->path);
	for (size_t i = 0; i < v->n; i++) {
		snprintf(w->path + base, sizeof w->path - base, "[%zu]", i);
		emit(w, f, v->items[i]);
	}
	w->path[base] = '\0';
}

static void walk_table(walker *w, const jx__field *tf)
{
	const jx__table *t = &w->d->s->tables[tf->table];
	size_t rows = jx__doc_rows(w->d, tf->table);
	for (size_t r = 0; r < rows; r++)
		for (size_t c = 0; c < t->ncols; c++) {
			snprintf(w->path, sizeof w->path, "%s[%zu].%s", tf->path, r,
			         t->cols[c].path);
			walk_value(w, &t->cols[c], jx__doc_cell(w->d, tf->table, r, (int)c));
		}
}

jx_status jx__doc_each_value(const jx_doc *d, jx__value_cb cb, void *ctx)
{
	walker w = {.d = d, .cb = cb, .ctx = ctx, .st = JX_OK};
	const jx_scheme *s = d->s;
	for (size_t i = 0; i < s->nfields && w.st == JX_OK; i++) {
		const jx__field *f = &s->fields[i];
		if (f->ftype == JX_F_CONST)
			continue;
		if (f->ftype == JX_F_TABLE) {
			if (s->tables[f->table].field >= 0)
				walk_table(&w, f);
			continue;
		}
		snprintf(w.path, sizeof w.path, "%s", f->path);
		walk_value(&w, f, jx__doc_slot(d, (int)i));
	}
	return w.st;
}

const jx__field *jx__scheme_field_at(const jx_scheme *s, const char *path)
{
	const char *br = strchr(path, '[');
	size_t n = br ? (size_t)(br - path) : strlen(path);
	int slot = jx__scheme_slot(s, path, n);
	if (slot < 0)
		return NULL;
	const jx__field *f = &s->fields[slot];
	if (f->ftype != JX_F_TABLE || !br)
		return f;
	const char *dot = strchr(br, ']');
	if (!dot || dot[1] != '.')
		return NULL;
	const jx__table *t = &s->tables[f->table];
	const char *col = dot + 2, *item = strchr(col, '[');
	size_t len = item ? (size_t)(item - col) : strlen(col);
	for (size_t c = 0; c < t->ncols; c++)
		if (strlen(t->cols[c].path) == len && !memcmp(t->cols[c].path, col, len))
			return &t->cols[c];
	return NULL;
}
