/* Audit: a published report → its text → outline (X01) and figures →
 * a data file of the scheme → the rule pack, each rule only when all its
 * inputs were found → findings at the report's lines, quoting it; plus
 * the text rules X02–X04. */
#include "audit_int.h"

#include "../eval/doc.h"
#include "../eval/values.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* ---- collecting ---- */

void jx__audit_finding(jx_audit *A, jx_severity sev, const char *id, unsigned line,
                       const char *snippet, const char *expected, const char *actual,
                       const char *fmt, ...)
{
	jx__diag_spec spec = {.sev = sev,
	                      .id = id,
	                      .loc = {A->file, line, line ? 1 : 0},
	                      .expected = expected,
	                      .actual = actual,
	                      .snippet = snippet};
	va_list ap;
	va_start(ap, fmt);
	if (jx__diag_vadd(A->out, &spec, fmt, ap) != JX_OK)
		A->oom = true;
	va_end(ap);
}

/* A snippet on one line: a table cell's line breaks become spaces. */
static const char *one_line(jx_audit *A, const char *s)
{
	char *c = jx__arena_strdup(&A->arena, s);
	for (char *p = c; p && *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	return c;
}

jx__fig *jx__audit_fig(jx_audit *A, const char *path, const char *value, unsigned line,
                       const char *snippet)
{
	if (!value || !path)
		return NULL;
	if (!jx__grow(A->alloc, (void **)&A->figs, &A->capfigs, A->nfigs + 1, sizeof(jx__fig))) {
		A->oom = true;
		return NULL;
	}
	jx__fig *f = &A->figs[A->nfigs];
	memset(f, 0, sizeof(*f));
	f->y.path = jx__arena_strdup(&A->arena, path);
	f->y.value = jx__arena_strdup(&A->arena, value);
	f->line = line;
	f->snippet = snippet ? one_line(A, snippet) : NULL;
	if (!f->y.path || !f->y.value) {
		A->oom = true;
		return NULL;
	}
	size_t plen = strlen(f->y.path);
	int prev = jx__map_get(&A->first, f->y.path, plen);
	f->shadow = prev >= 0;
	/* The same field twice on one line ("局机关…97.96分，所属中心…97.86分")
	 * speaks of two subjects: the second is not a restatement. */
	if (prev >= 0 && line && A->figs[prev].line == line && strcmp(A->figs[prev].y.value, value))
		return NULL;
	/* A correction ("更正：本年支出应为…") is the value the rules use; the
	 * statement it corrects becomes the restatement X03 compares. */
	if (prev >= 0 && A->errata) {
		A->figs[prev].shadow = true;
		f->shadow = false;
		if (!jx__map_put(&A->first, f->y.path, plen, (int)A->nfigs)) {
			A->oom = true;
			return NULL;
		}
		A->nfigs++;
		return f;
	}
	if (!f->shadow && !jx__map_put(&A->first, f->y.path, plen, (int)A->nfigs)) {
		A->oom = true;
		return NULL;
	}
	A->nfigs++;
	return f;
}

static const jx__fig *first_fig(const jx_audit *A, const char *path, size_t len)
{
	for (size_t i = 0; i < A->nfigs; i++) {
		const jx__fig *f = &A->figs[i];
		if (!f->shadow && !f->dropped && !strncmp(f->y.path, path, len) &&
		    (f->y.path[len] == '\0' || f->y.path[len] == '[' || f->y.path[len] == '.'))
			return f;
	}
	return NULL;
}

static const jx__fig *exact_fig(const jx_audit *A, const char *path)
{
	int i = jx__map_get(&A->first, path, strlen(path));
	return i >= 0 && !A->figs[i].dropped ? &A->figs[i] : NULL;
}

/* ---- text rules ---- */

/* X03 / X04: a path stated twice. */
static void restatements(jx_audit *A)
{
	for (size_t i = 0; i < A->nfigs; i++) {
		const jx__fig *s = &A->figs[i];
		if (!s->shadow || s->dropped)
			continue;
		const jx__fig *f = exact_fig(A, s->y.path);
		if (!f || !strcmp(f->y.value, s->y.value))
			continue;
		if (f->has_num && s->has_num && !jx_dec_cmp(f->num, s->num))
			continue;
		jx_dec ratio;
		bool slip =
		        f->has_num && s->has_num && f->num.raw && s->num.raw &&
		        jx_dec_div(f->num, s->num, &ratio) &&
		        (ratio.raw == 10000 * JX_DEC_SCALE || ratio.raw == JX_DEC_SCALE / 10000);
		const jx__field *fd =
		        jx__scheme_slot(A->s, s->y.path, strlen(s->y.path)) >= 0
		                ? &A->s->fields[jx__scheme_slot(A->s, s->y.path, strlen(s->y.path))]
		                : NULL;
		const char *label = fd && fd->label ? fd->label : s->y.path;
		if (f->line > s->line) { /* a correction came later: report it there */
			const jx__fig *t = f;
			f = s;
			s = t;
		}
		if (slip)
			jx__audit_finding(A, JX_SEV_WARNING, "X04", s->line, s->snippet, f->y.value,
			                  s->y.value,
			                  "“%s”此处为 %s 万元，第 %u 行为 %s 万元，相差一万倍：单位"
			                  "（元/万元）可能写错",
			                  label, s->y.value, f->line, f->y.value);
		else
			jx__audit_finding(A, JX_SEV_ERROR, "X03", s->line, s->snippet, f->y.value,
			                  s->y.value,
			                  "“%s”此处为 %s，第 %u 行为 %s，同一数字前后不一", label,
			                  s->y.value, f->line, f->y.value);
	}
}

/* X04 also: "484.14元" where the same digits appear as 万元 elsewhere. */
static void unit_slips(jx_audit *A)
{
	for (size_t i = 0; i < A->nfigs; i++) {
		const jx__fig *y = &A->figs[i];
		if (y->unit != JX_U_YUAN || !y->has_num || y->dropped)
			continue;
		jx_dec written;
		if (!jx_dec_mul(y->num, jx_dec_from_int(10000), &written))
			continue;
		for (size_t k = 0; k < A->nfigs; k++) {
			const jx__fig *w = &A->figs[k];
			const jx__field *wf = jx__scheme_field_at(A->s, w->y.path);
			bool wan = w->unit == JX_U_WAN ||
			           (w->unit == JX_U_NONE && wf && wf->kind == JX_K_AMOUNT);
			if (k == i || !w->has_num || !wan || w->dropped ||
			    jx_dec_cmp(w->num, written))
				continue;
			if (!strcmp(w->y.path, y->y.path))
				break; /* reported by restatements */
			char wr[64];
			jx_dec_format(written, JX_DEC_SHORTEST, wr, sizeof wr);
			jx__audit_finding(
			        A, JX_SEV_WARNING, "X04", y->line, y->snippet, w->y.value, wr,
			        "此处写作 %s 元，而第 %u 行同一数字为 %s 万元：单位可能写错", wr,
			        w->line, w->y.value);
			break;
		}
	}
}

/* X02: 内设股室4个 against the list that follows. */
static void stated_counts(jx_audit *A)
{
	const jx__fig *count = exact_fig(A, "info.org.sections_count");
	const jx__fig *list = exact_fig(A, "info.org.sections");
	if (!count || !list || !count->has_num || list->line != count->line)
		return;
	size_t items = 1;
	for (const char *p = list->y.value; *p; p++)
		items += *p == '\n';
	if (strstr(list->y.value, "等"))
		return; /* "A、B等": not the whole list */
	jx_dec n = jx_dec_from_int((int64_t)items);
	if (!jx_dec_cmp(n, count->num))
		return;
	char exp[32], act[32];
	jx_dec_format(count->num, 0, exp, sizeof exp);
	snprintf(act, sizeof act, "%zu", items);
	jx__audit_finding(A, JX_SEV_WARNING, "X02", count->line, count->snippet, exp, act,
	                  "文中称内设机构 %s 个，其后列出 %zu 个", exp, items);
}

void jx__audit_text_rules(jx_audit *A)
{
	stated_counts(A);
	restatements(A);
	unit_slips(A);
}

/* ---- the data file and the rule pack ---- */

static const char placeholder[] = "（报告中未找到）";

/* A required field the report does not state gets a placeholder so the
 * rest loads; the placeholder is blanked before the rules run. */
static void fill_required(jx_audit *A)
{
	for (size_t i = 0; i < A->s->nfields; i++) {
		const jx__field *f = &A->s->fields[i];
		if (!f->required || first_fig(A, f->path, strlen(f->path)))
			continue;
		if (f->ftype == JX_F_TABLE) {
			jx__fig *t = jx__audit_fig(A, f->path, "[]", 0, NULL);
			if (t)
				t->y.raw = true;
			continue;
		}
		const char *v = f->ftype == JX_F_TEXT                                ? placeholder
		                : f->ftype == JX_F_COUNT && !strcmp(f->path, "year") ? "2000"
		                                                                     : NULL;
		jx__fig *g = v ? jx__audit_fig(A, f->path, v, 0, NULL) : NULL;
		if (g)
			g->shadow = false;
	}
}

typedef struct keep {
	jx__yentry y;
} keep;

static char *build_yaml(jx_audit *A)
{
	keep *k = jx__alloc(A->alloc, (A->nfigs + 1) * sizeof(keep));
	size_t n = 0;
	if (!k)
		return NULL;
	for (size_t i = 0; i < A->nfigs; i++)
		if (!A->figs[i].shadow && !A->figs[i].dropped)
			k[n++].y = A->figs[i].y;
	char header[512];
	snprintf(header, sizeof header,
	         "# 由 jixiao audit 从 %.300s 提取：报告写明的数字，未写明的留空。\n"
	         "# 补全后可用 jixiao check 核查。\nscheme: %s\n",
	         A->file, jx_scheme_id(A->s));
	char *y = jx__yaml_from_entries(A->alloc, header, n ? &k[0].y : NULL, n, sizeof(keep));
	jx__free(A->alloc, k);
	return y;
}

/* Drops the figure a load error names; false if none can be found. */
static bool drop_bad(jx_audit *A, const jx_diags *d)
{
	bool any = false;
	for (size_t i = 0; i < jx_diags_count(d); i++) {
		const jx_diag *g = jx_diags_get(d, i);
		if (g->severity != JX_SEV_FATAL || !g->path)
			continue;
		for (size_t k = 0; k < A->nfigs; k++)
			if (!A->figs[k].dropped && !A->figs[k].shadow &&
			    !strcmp(A->figs[k].y.path, g->path)) {
				A->figs[k].dropped = true;
				any = true;
			}
	}
	return any;
}

/* When a load error names no figure to drop (a required column of a table
 * row missing), the table is given up so the rest of the report still
 * runs; false once there is none left to give up. */
static bool drop_table(jx_audit *A)
{
	bool any = false;
	for (size_t k = 0; k < A->nfigs; k++)
		if (!A->figs[k].dropped && strchr(A->figs[k].y.path, '[')) {
			A->figs[k].dropped = true;
			any = true;
		}
	if (any)
		fill_required(A); /* a required table gone: the empty one instead */
	return any;
}

static jx_doc *load_figures(jx_audit *A)
{
	for (int attempt = 0; attempt < 32; attempt++) {
		jx__free(A->alloc, A->yaml);
		if (!(A->yaml = build_yaml(A)))
			return NULL;
		jx_diags *d = jx_diags_new(A->alloc);
		if (!d)
			return NULL;
		jx_doc *doc = jx_doc_load_mem(A->s, A->file, A->yaml, strlen(A->yaml), A->alloc, d);
		bool retry = !doc && (drop_bad(A, d) || drop_table(A));
		jx_diags_free(d);
		if (doc || !retry)
			return doc;
	}
	return NULL;
}

static void blank_placeholders(jx_doc *doc)
{
	for (size_t i = 0; i < doc->s->nfields; i++) {
		jx_value *v = &doc->vals[i];
		if (v->type == JX_V_TEXT && !strcmp(v->s, placeholder))
			memset(v, 0, sizeof(*v));
	}
	int year = jx__scheme_slot(doc->s, "year", 4);
	bool stated = false;
	(void)stated;
	if (year >= 0 && doc->vals[year].type == JX_V_NUM &&
	    doc->vals[year].num.raw == 2000 * JX_DEC_SCALE)
		memset(&doc->vals[year], 0, sizeof doc->vals[year]);
}

/* A finding about a whole table names a group in quotes ("“效益指标”下…"):
 * the first figure under the table whose value begins that name (the
 * group's label cell). */
static const jx__fig *quoted_group(const jx_audit *A, const jx_diag *g)
{
	const char *q = strstr(g->message, "“"), *e = q ? strstr(q + 3, "”") : NULL;
	size_t plen = strlen(g->path);
	if (!e || strchr(g->path, '['))
		return NULL;
	for (size_t i = 0; i < A->nfigs; i++) {
		const jx__fig *f = &A->figs[i];
		size_t vlen = strlen(f->y.value);
		if (f->shadow || strncmp(f->y.path, g->path, plen) || f->y.path[plen] != '[' ||
		    !vlen || vlen > (size_t)(e - q - 3) || strncmp(q + 3, f->y.value, vlen))
			continue;
		return f;
	}
	return NULL;
}

/* Moves a finding of the rule pack to the report line of its figure. */
static void relocate(jx_audit *A, const jx_diag *g)
{
	const jx__fig *f = g->path ? quoted_group(A, g) : NULL;
	if (g->path && !f) {
		size_t len = strlen(g->path);
		f = first_fig(A, g->path, len);
		while (!f && len > 0) {
			while (len > 0 && g->path[len - 1] != '.' && g->path[len - 1] != '[')
				len--;
			if (len > 0)
				len--;
			f = len ? first_fig(A, g->path, len) : NULL;
		}
	}
	jx__diag_spec spec = {.sev = g->severity,
	                      .id = g->id,
	                      .loc = {A->file, f ? f->line : 0, f && f->line ? 1 : 0},
	                      .path = g->path,
	                      .note = g->note,
	                      .expected = g->expected,
	                      .actual = g->actual,
	                      .difference = g->difference,
	                      .tail = g->tail,
	                      .snippet = f ? f->snippet : NULL};
	if (jx__diag_add(A->out, &spec, "%s", g->message) != JX_OK)
		A->oom = true;
}

static void run_rules(jx_audit *A)
{
	fill_required(A);
	jx_doc *doc = load_figures(A);
	if (!doc)
		return;
	blank_placeholders(doc);
	doc->strict_inputs = true;
	jx_diags *d = jx_diags_new(A->alloc);
	if (d && jx_doc_evaluate(doc, d) == JX_OK)
		for (size_t i = 0; i < jx_diags_count(d); i++)
			relocate(A, jx_diags_get(d, i));
	else
		A->oom = true;
	jx_diags_free(d);
	jx_doc_free(doc);
}

/* The figures the report states (placeholders for required fields are
 * not; figures withdrawn from the rules still are). */
static void index_shown(jx_audit *A)
{
	A->shown = jx__arena_alloc(&A->arena, (A->nfigs + 1) * sizeof(size_t));
	if (!A->shown) {
		A->oom = true;
		return;
	}
	for (size_t i = 0; i < A->nfigs; i++)
		if (A->figs[i].line)
			A->shown[A->nshown++] = i;
}

/* ---- public ---- */

static bool is_docx(const char *name, const char *buf, size_t len)
{
	size_t n = strlen(name);
	return (len >= 4 && !memcmp(buf, "PK\003\004", 4)) ||
	       (n > 5 && !strcasecmp(name + n - 5, ".docx"));
}

jx_audit *jx_audit_mem(const jx_scheme *s, const char *name, const char *buf, size_t len,
                       const jx_allocator *alloc, jx_diags *findings)
{
	if (!alloc)
		alloc = jx_allocator_default();
	jx_audit *A = jx__alloc(alloc, sizeof(*A));
	if (!A) {
		jx__diag_fatal(findings, "Y00", (jx__loc){name, 0, 0}, NULL, "内存不足");
		return NULL;
	}
	memset(A, 0, sizeof(*A));
	A->alloc = alloc;
	A->s = s;
	A->out = findings;
	jx__arena_init(&A->arena, alloc, 16384);
	jx__map_init(&A->first, alloc);
	A->file = jx__arena_strdup(&A->arena, name);
	A->text = is_docx(name, buf, len) ? jx__atext_from_docx(name, buf, len, alloc, findings)
	                                  : jx__atext_from_text(name, buf, len, alloc, findings);
	if (!A->file || !A->text) {
		jx_audit_free(A);
		return NULL;
	}
	jx__audit_outline(A);
	jx__audit_extract(A);
	jx__audit_text_rules(A);
	run_rules(A);
	index_shown(A);
	if (A->oom)
		jx__diag_fatal(findings, "Y00", (jx__loc){name, 0, 0}, NULL,
		               "内存不足，核查未完成");
	jx__diags_sort(findings);
	return A;
}

void jx_audit_free(jx_audit *A)
{
	if (!A)
		return;
	jx__atext_free(A->text);
	jx__map_fini(&A->first);
	jx__free(A->alloc, A->figs);
	jx__free(A->alloc, A->yaml);
	jx__arena_fini(&A->arena);
	jx__free(A->alloc, A);
}

const char *jx_audit_yaml(const jx_audit *A)
{
	return A->yaml;
}

size_t jx_audit_figure_count(const jx_audit *A)
{
	return A->nshown;
}

bool jx_audit_figure_at(const jx_audit *A, size_t i, jx_audit_figure *out)
{
	if (i >= A->nshown)
		return false;
	const jx__fig *f = &A->figs[A->shown[i]];
	*out = (jx_audit_figure){f->y.path, f->y.value, f->line, f->snippet, !f->shadow};
	return true;
}
