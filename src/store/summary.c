/* The summary of one year, computed in SQL over the latest revisions (all
 * sums exact: decimals are stored as integer micro-units) and handed to
 * the writers in src/render/.  Only aggregates are held in memory; the
 * per-unit ranking streams from the database. */
#include "../render/summary.h"
#include "store_int.h"

#include <stdlib.h>
#include <string.h>

typedef struct sumctx {
	jx_store *st;
	jx__arena arena;
	jx_diags *diags;
	const jx_scheme *scheme;
	jx__summary sum;
	jx_status status;
} sumctx;

static jx__snum mean_of(int64_t sum, int64_t n)
{
	jx__snum r = {false, {0}};
	if (n <= 0)
		return r;
	int64_t half = sum >= 0 ? n / 2 : -(n / 2);
	r.set = true;
	r.v.raw = (sum + half) / n;
	return r;
}

static jx__stmt *prep(sumctx *c, const char *sql)
{
	if (c->status != JX_OK)
		return NULL;
	jx__stmt *q = jx__db_prepare(c->st->db, sql, c->diags);
	if (!q)
		c->status = JX_ERR_INVALID;
	return q;
}

/* Steps q; false at the end or on failure (recorded in c->status). */
static bool row(sumctx *c, jx__stmt *q)
{
	int rc = jx__db_step(q, c->diags);
	if (rc < 0)
		c->status = JX_ERR_INVALID;
	return rc == 1;
}

static void *zalloc(sumctx *c, size_t n, size_t size)
{
	void *p = jx__arena_alloc(&c->arena, (n ? n : 1) * size);
	if (!p && c->status == JX_OK)
		c->status = JX_ERR_OOM;
	return p;
}

static const char *keep(sumctx *c, const char *s)
{
	if (!s)
		return NULL;
	const char *p = jx__arena_strdup(&c->arena, s);
	if (!p && c->status == JX_OK)
		c->status = JX_ERR_OOM;
	return p;
}

/* ---- the scheme of the year ---- */

static const char sql_scheme_of_year[] =
        "SELECT r.scheme_id FROM latest l JOIN revisions r ON r.id = l.revision_id"
        " WHERE l.year = $1 GROUP BY r.scheme_id ORDER BY count(*) DESC, r.scheme_id LIMIT 1";

static void pick_scheme(sumctx *c)
{
	jx__stmt *q = prep(c, sql_scheme_of_year);
	if (!q)
		return;
	jx__db_bind_int(q, 1, c->sum.year);
	if (!row(c, q))
		return;
	int64_t id = jx__db_int(q, 0);
	jx__db_reset(q);
	if (!(c->scheme = jx__store_scheme_by_id(c->st, id, c->diags)))
		c->status = JX_ERR_INVALID;
}

static void set_shape(sumctx *c)
{
	jx__summary *s = &c->sum;
	const jx_scheme *sc = c->scheme;
	if (!sc)
		return;
	s->scheme_id = sc->id;
	s->scheme_title = jx_scheme_title(sc);
	const char **names = zalloc(c, sc->ngrades, sizeof(char *));
	s->nmetrics = sc->summary.nmetrics;
	s->metrics = zalloc(c, s->nmetrics, sizeof(jx__sum_metric));
	if (!names || !s->metrics)
		return;
	for (size_t i = 0; i < sc->ngrades; i++)
		names[i] = sc->grades[i].name;
	s->grade_names = names;
	s->ngrades = sc->ngrades;
	for (size_t i = 0; i < s->nmetrics; i++) {
		const jx__metric *m = &sc->summary.metrics[i];
		s->metrics[i].id = m->id;
		s->metrics[i].label = m->label;
		s->metrics[i].kind = sc->fields[m->slot].kind;
	}
}

static int grade_index(const jx__summary *s, const char *g)
{
	for (size_t i = 0; g && i < s->ngrades; i++)
		if (!strcmp(s->grade_names[i], g))
			return (int)i;
	return -1;
}

/* ---- year aggregates ---- */

static const char sql_counts[] =
        "SELECT count(*), coalesce(sum(e.errors > 0), 0), coalesce(sum(e.total IS NULL), 0),"
        " coalesce(sum(e.total), 0), count(e.total)"
        " FROM latest l JOIN evaluations e ON e.revision_id = l.revision_id WHERE l.year = $1";
static const char sql_grades[] =
        "SELECT e.grade, count(*) FROM latest l JOIN evaluations e ON e.revision_id ="
        " l.revision_id WHERE l.year = $1 AND e.grade IS NOT NULL GROUP BY e.grade";
static const char sql_metric[] =
        "SELECT count(*), min(f.value), max(f.value), coalesce(sum(f.value), 0)"
        " FROM latest l JOIN figures f ON f.revision_id = l.revision_id"
        " WHERE l.year = $1 AND f.metric = $2";

static void grade_counts(sumctx *c, int year, size_t *counts)
{
	jx__stmt *q = prep(c, sql_grades);
	if (!q)
		return;
	jx__db_bind_int(q, 1, year);
	while (row(c, q)) {
		int g = grade_index(&c->sum, jx__db_text(q, 0));
		if (g >= 0)
			counts[g] = (size_t)jx__db_int(q, 1);
	}
}

static void metric_stats(sumctx *c, int year, size_t i, jx__sum_metric *m)
{
	jx__stmt *q = prep(c, sql_metric);
	if (!q)
		return;
	jx__db_bind_int(q, 1, year);
	jx__db_bind_text(q, 2, c->sum.metrics[i].id);
	if (!row(c, q))
		return;
	int64_t n = jx__db_int(q, 0), total = jx__db_int(q, 3);
	m->n = (size_t)n;
	if (n) {
		m->min = (jx__snum){true, {jx__db_int(q, 1)}};
		m->max = (jx__snum){true, {jx__db_int(q, 2)}};
		m->sum = (jx__snum){true, {total}};
		m->mean = mean_of(total, n);
	}
	jx__db_reset(q);
}

static void year_row(sumctx *c, jx__sum_year *y)
{
	jx__summary *s = &c->sum;
	jx__stmt *q = prep(c, sql_counts);
	y->grade_counts = zalloc(c, s->ngrades, sizeof(size_t));
	y->metric_means = zalloc(c, s->nmetrics, sizeof(jx__snum));
	y->metric_sums = zalloc(c, s->nmetrics, sizeof(jx__snum));
	if (!q || !y->grade_counts || !y->metric_means || !y->metric_sums)
		return;
	jx__db_bind_int(q, 1, y->year);
	if (row(c, q)) {
		y->units = (size_t)jx__db_int(q, 0);
		y->mean_total = mean_of(jx__db_int(q, 3), jx__db_int(q, 4));
		jx__db_reset(q);
	}
	grade_counts(c, y->year, y->grade_counts);
	for (size_t i = 0; i < s->nmetrics; i++) {
		jx__sum_metric m = {0};
		metric_stats(c, y->year, i, &m);
		y->metric_means[i] = m.mean;
		y->metric_sums[i] = m.sum;
	}
}

static const char sql_years[] = "SELECT DISTINCT year FROM latest ORDER BY year";

static void years(sumctx *c)
{
	jx__stmt *q = prep(c, sql_years);
	int list[256];
	size_t n = 0;
	if (!q)
		return;
	/* The most recent 256 years are plenty for a chart. */
	while (row(c, q)) {
		if (n == 256)
			memmove(list, list + 1, --n * sizeof(int));
		list[n++] = (int)jx__db_int(q, 0);
	}
	c->sum.years = zalloc(c, n, sizeof(jx__sum_year));
	for (size_t i = 0; c->sum.years && i < n && list[i] <= c->sum.year; i++) {
		c->sum.years[i].year = list[i];
		year_row(c, &c->sum.years[i]);
		c->sum.nyears = i + 1;
	}
}

static const char sql_median[] =
        "SELECT e.total FROM latest l JOIN evaluations e ON e.revision_id = l.revision_id"
        " WHERE l.year = $1 AND e.total IS NOT NULL ORDER BY e.total LIMIT 2 OFFSET $2";
static const char sql_bands[] =
        "SELECT CASE WHEN e.total < 60000000 THEN 0 WHEN e.total >= 95000000 THEN 8"
        " ELSE (e.total - 60000000) / 5000000 + 1 END, count(*)"
        " FROM latest l JOIN evaluations e ON e.revision_id = l.revision_id"
        " WHERE l.year = $1 AND e.total IS NOT NULL GROUP BY 1";

static void totals(sumctx *c)
{
	jx__summary *s = &c->sum;
	jx__stmt *q = prep(c, sql_counts);
	int64_t graded = 0;
	if (!q)
		return;
	jx__db_bind_int(q, 1, s->year);
	if (row(c, q)) {
		s->nunits = (size_t)jx__db_int(q, 0);
		s->units_with_errors = (size_t)jx__db_int(q, 1);
		s->ungraded = (size_t)jx__db_int(q, 2);
		graded = jx__db_int(q, 4);
		s->mean_total = mean_of(jx__db_int(q, 3), graded);
		jx__db_reset(q);
	}
	if (graded && (q = prep(c, sql_median))) {
		jx__db_bind_int(q, 1, s->year);
		jx__db_bind_int(q, 2, (graded - 1) / 2);
		int64_t a = row(c, q) ? jx__db_int(q, 0) : 0, b = a;
		if (graded % 2 == 0 && row(c, q))
			b = jx__db_int(q, 0);
		jx__db_reset(q);
		s->median_total = mean_of(a + b, 2);
	}
	if ((q = prep(c, sql_bands))) {
		jx__db_bind_int(q, 1, s->year);
		while (row(c, q)) {
			int64_t b = jx__db_int(q, 0);
			if (b >= 0 && b < JX_SUM_BANDS)
				s->score_bands[b] = (size_t)jx__db_int(q, 1);
		}
	}
}

/* ---- rules and parents ---- */

static jx_status collect_rule(void *ctx, const jx_store_rule_count *r)
{
	sumctx *c = ctx;
	jx__summary *s = &c->sum;
	size_t cap = s->nrules + 1;
	jx__sum_rule *rules = zalloc(c, cap, sizeof(*rules));
	if (!rules)
		return JX_ERR_OOM;
	if (s->nrules)
		memcpy(rules, s->rules, s->nrules * sizeof(*rules));
	rules[s->nrules] = (jx__sum_rule){keep(c, r->rule), keep(c, r->title), r->severity,
	                                  r->units, r->findings};
	s->rules = rules;
	s->nrules++;
	return c->status;
}

static int by_units(const void *a, const void *b)
{
	const jx__sum_rule *x = a, *y = b;
	if (x->units != y->units)
		return x->units < y->units ? 1 : -1;
	return strcmp(x->id, y->id);
}

static void rules(sumctx *c)
{
	if (c->status != JX_OK)
		return;
	jx_status st = jx_store_rule_counts(c->st, c->sum.year, collect_rule, c, c->diags);
	if (st != JX_OK && c->status == JX_OK)
		c->status = st;
	if (c->sum.nrules)
		qsort(c->sum.rules, c->sum.nrules, sizeof(jx__sum_rule), by_units);
}

#define PARENT_KEY "coalesce(u.parent_code, u.code)"
static const char sql_parents[] =
        "SELECT " PARENT_KEY ", coalesce((SELECT p.name FROM units p WHERE p.code = " PARENT_KEY
        "), max(u.parent_name), " PARENT_KEY "), count(*), coalesce(sum(e.errors > 0), 0),"
        " coalesce(sum(e.total), 0), count(e.total), min(e.total), max(e.total)"
        " FROM latest l JOIN units u ON u.id = l.unit_id"
        " JOIN evaluations e ON e.revision_id = l.revision_id"
        " WHERE l.year = $1 GROUP BY " PARENT_KEY " ORDER BY " PARENT_KEY;
static const char sql_parent_count[] =
        "SELECT count(DISTINCT " PARENT_KEY ") FROM latest l JOIN units u ON u.id = l.unit_id"
        " WHERE l.year = $1";
static const char sql_parent_grades[] =
        "SELECT " PARENT_KEY ", e.grade, count(*) FROM latest l JOIN units u ON u.id = l.unit_id"
        " JOIN evaluations e ON e.revision_id = l.revision_id"
        " WHERE l.year = $1 AND e.grade IS NOT NULL GROUP BY 1, 2";

static void parent_row(sumctx *c, jx__stmt *q, jx__sum_parent *p)
{
	p->code = keep(c, jx__db_text(q, 0));
	p->name = keep(c, jx__db_text(q, 1));
	p->units = (size_t)jx__db_int(q, 2);
	p->with_errors = (size_t)jx__db_int(q, 3);
	p->mean_total = mean_of(jx__db_int(q, 4), jx__db_int(q, 5));
	if (jx__db_int(q, 5)) {
		p->min_total = (jx__snum){true, {jx__db_int(q, 6)}};
		p->max_total = (jx__snum){true, {jx__db_int(q, 7)}};
	}
	p->grade_counts = zalloc(c, c->sum.ngrades, sizeof(size_t));
}

static jx__sum_parent *parent_named(jx__summary *s, const char *code)
{
	size_t lo = 0, hi = s->nparents;
	while (code && lo < hi) { /* parents are sorted by code, as SQL compares */
		size_t mid = (lo + hi) / 2;
		int d = strcmp(s->parents[mid].code, code);
		if (!d)
			return &s->parents[mid];
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static void parents(sumctx *c)
{
	jx__summary *s = &c->sum;
	jx__stmt *q = prep(c, sql_parents);
	if (!q)
		return;
	size_t n = 0;
	jx__stmt *cq = prep(c, sql_parent_count);
	if (!cq)
		return;
	jx__db_bind_int(cq, 1, s->year);
	if (row(c, cq)) {
		n = (size_t)jx__db_int(cq, 0);
		jx__db_reset(cq);
	}
	jx__db_bind_int(q, 1, s->year);
	s->parents = zalloc(c, n, sizeof(jx__sum_parent));
	while (s->parents && row(c, q))
		if (s->nparents < n)
			parent_row(c, q, &s->parents[s->nparents++]);
	if (c->status != JX_OK || !(q = prep(c, sql_parent_grades)))
		return;
	jx__db_bind_int(q, 1, s->year);
	while (row(c, q)) {
		jx__sum_parent *p = parent_named(s, jx__db_text(q, 0));
		int g = grade_index(s, jx__db_text(q, 1));
		if (p && p->grade_counts && g >= 0)
			p->grade_counts[g] = (size_t)jx__db_int(q, 2);
	}
}

/* ---- the ranking, streamed ---- */

static const char sql_rank[] =
        "SELECT u.code, u.name, u.parent_code, coalesce(p.name, u.parent_name), r.rev, e.total,"
        " e.stated_total, e.grade, e.stated_grade, e.errors, e.warnings, r.id, l2.revision_id"
        " FROM latest l JOIN revisions r ON r.id = l.revision_id"
        " JOIN units u ON u.id = l.unit_id JOIN evaluations e ON e.revision_id = l.revision_id"
        " LEFT JOIN units p ON p.code = u.parent_code"
        " LEFT JOIN latest l2 ON l2.unit_id = l.unit_id AND l2.year = l.year - 1"
        " WHERE l.year = $1 ORDER BY e.total IS NULL, e.total DESC, u.code";
static const char sql_figures[] = "SELECT metric, value FROM figures WHERE revision_id = $1";

static bool figures(sumctx *c, int64_t rev_id, jx__snum *out)
{
	const jx__summary *s = &c->sum;
	memset(out, 0, s->nmetrics * sizeof(*out));
	jx__stmt *q = jx__db_prepare(c->st->db, sql_figures, c->diags);
	if (!q)
		return false;
	jx__db_bind_int(q, 1, rev_id);
	int rc;
	while ((rc = jx__db_step(q, c->diags)) == 1) {
		const char *id = jx__db_text(q, 0);
		for (size_t i = 0; id && i < s->nmetrics; i++)
			if (!strcmp(s->metrics[i].id, id))
				out[i] = (jx__snum){true, {jx__db_int(q, 1)}};
	}
	return rc == 0;
}

static jx__snum opt_num(jx__stmt *q, int col)
{
	jx__snum n = {false, {0}};
	if (!jx__db_is_null(q, col))
		n = (jx__snum){true, {jx__db_int(q, col)}};
	return n;
}

static void read_unit(jx__stmt *q, jx__sum_unit *u)
{
	u->code = jx__db_text(q, 0);
	u->name = jx__db_text(q, 1);
	u->parent_code = jx__db_text(q, 2);
	u->parent_name = jx__db_text(q, 3);
	u->rev = (int)jx__db_int(q, 4);
	u->total = opt_num(q, 5);
	u->stated_total = opt_num(q, 6);
	u->gap.set = u->total.set && u->stated_total.set;
	u->gap.v.raw = u->gap.set ? u->stated_total.v.raw - u->total.v.raw : 0;
	u->grade = jx__db_text(q, 7);
	u->stated_grade = jx__db_text(q, 8);
	u->errors = (size_t)jx__db_int(q, 9);
	u->warnings = (size_t)jx__db_int(q, 10);
}

static jx_status each_unit(const jx__summary *s, jx__sum_unit_cb cb, void *ctx)
{
	sumctx *c = s->src;
	jx__snum *cur = zalloc(c, s->nmetrics, sizeof(jx__snum));
	jx__snum *prev = zalloc(c, s->nmetrics, sizeof(jx__snum));
	jx__stmt *q = cur && prev ? jx__db_prepare(c->st->db, sql_rank, c->diags) : NULL;
	if (!q)
		return cur && prev ? JX_ERR_INVALID : JX_ERR_OOM;
	jx__db_bind_int(q, 1, s->year);
	jx_status status = JX_OK;
	size_t n = 0, rank = 0;
	jx__snum last = {false, {0}};
	int rc;
	while ((rc = jx__db_step(q, c->diags)) == 1) {
		jx__sum_unit u = {0};
		read_unit(q, &u);
		n++;
		if (!u.total.set || !last.set || u.total.v.raw != last.v.raw)
			rank = n;
		last = u.total;
		u.rank = u.total.set ? rank : 0;
		bool has_prev = !jx__db_is_null(q, 12);
		if (!has_prev)
			memset(prev, 0, s->nmetrics * sizeof(*prev));
		if (!figures(c, jx__db_int(q, 11), cur) ||
		    (has_prev && !figures(c, jx__db_int(q, 12), prev))) {
			status = JX_ERR_INVALID;
			break;
		}
		u.metrics = cur;
		u.prev_metrics = prev;
		if ((status = cb(ctx, &u)) != JX_OK)
			break;
	}
	jx__db_reset(q);
	return rc < 0 ? JX_ERR_INVALID : status;
}

static void build(sumctx *c)
{
	pick_scheme(c);
	set_shape(c);
	c->sum.grade_counts = zalloc(c, c->sum.ngrades, sizeof(size_t));
	if (c->sum.grade_counts)
		grade_counts(c, c->sum.year, c->sum.grade_counts);
	totals(c);
	for (size_t i = 0; c->status == JX_OK && i < c->sum.nmetrics; i++)
		metric_stats(c, c->sum.year, i, &c->sum.metrics[i]);
	years(c);
	rules(c);
	parents(c);
	c->sum.each_unit = each_unit;
	c->sum.src = c;
}

/* The writers join the library when their files exist (meson.build). */
#if !defined(JX_HAVE_SUMMARY_XLSX) || !defined(JX_HAVE_SUMMARY_HTML)
static jx_status missing(const char *path, jx_diags *diags)
{
	jx__diag_fatal(diags, "Q07", (jx__loc){path, 0, 0}, NULL, "本版本不能写这种格式的汇总");
	return JX_ERR_USAGE;
}
#endif

static jx_status write_xlsx(const jx__summary *s, const char *path, const jx_report_opts *o,
                            jx_diags *diags)
{
#ifdef JX_HAVE_SUMMARY_XLSX
	return jx__summary_write_xlsx(s, path, o, diags);
#else
	(void)s, (void)o;
	return missing(path, diags);
#endif
}

static jx_status write_html(const jx__summary *s, const char *path, const jx_report_opts *o,
                            jx_diags *diags)
{
#ifdef JX_HAVE_SUMMARY_HTML
	return jx__summary_write_html(s, path, o, diags);
#else
	(void)s, (void)o;
	return missing(path, diags);
#endif
}

jx_status jx_store_summary(jx_store *st, int year, const char *format, const char *path,
                           const jx_report_opts *opts, jx_diags *diags)
{
	sumctx c = {.st = st, .diags = diags, .status = JX_OK};
	jx_report_opts defaults = {.timestamp = -1};
	c.sum.year = year;
	jx__arena_init(&c.arena, st->alloc, 65536);
	build(&c);
	jx_status status = c.status;
	if (status == JX_OK) {
		if (!opts)
			opts = &defaults;
		if (!strcmp(format, "xlsx"))
			status = write_xlsx(&c.sum, path, opts, diags);
		else if (!strcmp(format, "html"))
			status = write_html(&c.sum, path, opts, diags);
		else {
			jx__diag_fatal(diags, "Q07", (jx__loc){path, 0, 0}, NULL,
			               "不支持的汇总格式“%s”（可用 xlsx 或 html）", format);
			status = JX_ERR_USAGE;
		}
	} else if (status == JX_ERR_OOM) {
		jx__diag_fatal(diags, "Y00", (jx__loc){path, 0, 0}, NULL, "内存不足");
	}
	jx__arena_fini(&c.arena);
	return status;
}
