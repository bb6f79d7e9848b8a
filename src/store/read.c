/* Reading the store back: revisions, findings, the review list, counts by
 * rule, stored values and their differences, source bytes, and the
 * consistency check.  Nothing here parses a data file again. */
#include "../eval/values.h"
#include "store_int.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char *keep(jx_store *st, const char *s)
{
	return s ? jx__arena_strdup(&st->scratch, s) : NULL;
}

void jx__store_read_rev(jx__stmt *q, jx_store_rev *r)
{
	memset(r, 0, sizeof(*r));
	r->id = jx__db_int(q, 0);
	r->unit = jx__db_text(q, 1);
	r->unit_name = jx__db_text(q, 2);
	r->parent = jx__db_text(q, 3);
	r->parent_name = jx__db_text(q, 4);
	r->year = (int)jx__db_int(q, 5);
	r->rev = (int)jx__db_int(q, 6);
	r->latest = jx__db_int(q, 7) != 0;
	r->scheme = jx__db_text(q, 8);
	r->format = jx__db_text(q, 9);
	r->file = jx__db_text(q, 10);
	r->hash = jx__db_text(q, 11);
	r->imported_at = jx__db_int(q, 12);
	r->size = jx__db_int(q, 13);
	if ((r->has_total = !jx__db_is_null(q, 14)))
		r->total.raw = jx__db_int(q, 14);
	if ((r->has_stated_total = !jx__db_is_null(q, 15)))
		r->stated_total.raw = jx__db_int(q, 15);
	r->grade = jx__db_text(q, 16);
	r->stated_grade = jx__db_text(q, 17);
	r->errors = (size_t)jx__db_int(q, 18);
	r->warnings = (size_t)jx__db_int(q, 19);
	r->infos = (size_t)jx__db_int(q, 20);
}

/* Copies the strings of r into the store's scratch arena. */
static bool keep_rev(jx_store *st, jx_store_rev *r)
{
	const char **s[] = {&r->unit,   &r->unit_name,   &r->parent, &r->parent_name,
	                    &r->scheme, &r->format,      &r->file,   &r->hash,
	                    &r->grade,  &r->stated_grade};
	for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
		if (*s[i] && !(*s[i] = keep(st, *s[i])))
			return false;
	return true;
}

static jx_status run_revs(jx_store *st, jx__stmt *q, jx_store_rev_cb cb, void *ctx, jx_diags *diags)
{
	jx_status status = JX_OK;
	int rc;
	while ((rc = jx__db_step(q, diags)) == 1) {
		jx_store_rev r;
		jx__store_read_rev(q, &r);
		if ((status = cb(ctx, &r)) != JX_OK) {
			jx__db_reset(q);
			return status;
		}
	}
	(void)st;
	return rc < 0 ? JX_ERR_INVALID : JX_OK;
}

static const char sql_list[] =
        "SELECT " JX__REV_COLS JX__REV_FROM " WHERE ($1 = 0 OR r.year = $1)"
        " AND ($2 IS NULL OR u.code = $2 OR u.name = $2)"
        " AND ($3 = 1 OR l.revision_id IS NOT NULL) ORDER BY u.code, r.year, r.rev";

jx_status jx_store_list(jx_store *st, const jx_store_filter *f, jx_store_rev_cb cb, void *ctx,
                        jx_diags *diags)
{
	jx__stmt *q = jx__db_prepare(st->db, sql_list, diags);
	if (!q)
		return JX_ERR_INVALID;
	jx__db_bind_int(q, 1, f->year);
	jx__db_bind_text(q, 2, f->unit);
	jx__db_bind_int(q, 3, f->all_revisions);
	return run_revs(st, q, cb, ctx, diags);
}

static const char sql_years[] = "SELECT DISTINCT year FROM latest ORDER BY year DESC LIMIT $1";

size_t jx_store_years(jx_store *st, int *years, size_t max, jx_diags *diags)
{
	jx__stmt *q = jx__db_prepare(st->db, sql_years, diags);
	size_t n = 0;
	if (!q)
		return 0;
	jx__db_bind_int(q, 1, (int64_t)max);
	while (n < max && jx__db_step(q, diags) == 1)
		years[n++] = (int)jx__db_int(q, 0);
	jx__db_reset(q);
	return n;
}

static const char sql_find[] =

        "SELECT " JX__REV_COLS JX__REV_FROM " WHERE (u.code = $1 OR u.name = $1)"
        " AND ($2 = 0 OR r.year = $2)"
        " AND (($3 = 0 AND l.revision_id IS NOT NULL) OR r.rev = $3)"
        " ORDER BY u.code = $1 DESC, r.year DESC, r.rev DESC LIMIT 1";

jx_status jx_store_find(jx_store *st, const char *unit, int year, int rev, jx_store_rev *out,
                        jx_diags *diags)
{
	jx__stmt *q = jx__db_prepare(st->db, sql_find, diags);
	if (!q)
		return JX_ERR_INVALID;
	jx__arena_fini(&st->scratch);
	jx__arena_init(&st->scratch, st->alloc, 16384);
	jx__db_bind_text(q, 1, unit);
	jx__db_bind_int(q, 2, year);
	jx__db_bind_int(q, 3, rev);
	int rc = jx__db_step(q, diags);
	if (rc < 0)
		return JX_ERR_INVALID;
	if (rc == 0) {
		char what[64] = "";
		if (year)
			snprintf(what, sizeof what, "%d 年", year);
		if (rev)
			snprintf(what + strlen(what), sizeof what - strlen(what), "第 %d 版", rev);
		jx__db_error(st->db, diags, "Q09", "数据库中没有单位“%s”%s%s的自评", unit,
		             what[0] ? " " : "", what);
		return JX_ERR_INVALID;
	}
	jx__store_read_rev(q, out);
	bool ok = keep_rev(st, out);
	jx__db_reset(q);
	if (!ok) {
		jx__db_error(st->db, diags, "Y00", "内存不足");
		return JX_ERR_OOM;
	}
	return JX_OK;
}

/* ---- findings ---- */

/* Explanations are kept from schema version 3; an older store read without
 * upgrading has none. */
#define FINDING_COLS_2                                                                             \
	"f.rule, f.severity, f.message, f.note, f.path, f.line, f.col, f.expected, f.actual,"      \
	" f.difference, f.tail, NULL"
#define FINDING_COLS                                                                               \
	"f.rule, f.severity, f.message, f.note, f.path, f.line, f.col, f.expected, f.actual,"      \
	" f.difference, f.tail, f.explanation"

/* Reads finding columns starting at column c; file is the revision's. */
static void read_finding(jx__stmt *q, int c, const char *file, jx_diag *g)
{
	memset(g, 0, sizeof(*g));
	g->id = jx__db_text(q, c);
	g->severity = (jx_severity)jx__db_int(q, c + 1);
	g->message = jx__db_text(q, c + 2);
	g->note = jx__db_text(q, c + 3);
	g->path = jx__db_text(q, c + 4);
	g->line = (unsigned)jx__db_int(q, c + 5);
	g->column = (unsigned)jx__db_int(q, c + 6);
	g->expected = jx__db_text(q, c + 7);
	g->actual = jx__db_text(q, c + 8);
	g->difference = jx__db_text(q, c + 9);
	g->tail = jx__db_int(q, c + 10) != 0;
	g->explanation = jx__db_text(q, c + 11);
	g->file = file;
}

/* Driven by the units' code index with the join order fixed (CROSS JOIN),
 * so the rows come out in order without a sort: memory stays flat however
 * many units the year has. */
#define SQL_REVIEW(cols)                                                                           \
	"SELECT " JX__REV_COLS ", " cols                                                           \
	" FROM units u CROSS JOIN latest l CROSS JOIN revisions r CROSS JOIN schemes s"            \
	" CROSS JOIN evaluations e LEFT JOIN findings f ON f.revision_id = r.id"                   \
	" WHERE l.unit_id = u.id AND r.id = l.revision_id AND s.id = r.scheme_id"                  \
	" AND e.revision_id = r.id AND ($1 = 0 OR l.year = $1)"                                    \
	" ORDER BY u.code, l.year, f.seq"
#define SQL_REV_FINDINGS(cols)                                                                     \
	"SELECT " JX__REV_COLS ", " cols JX__REV_FROM                                              \
	" LEFT JOIN findings f ON f.revision_id = r.id WHERE r.id = $1"                            \
	" ORDER BY f.seq"
static const char sql_review[] = SQL_REVIEW(FINDING_COLS);
static const char sql_review_2[] = SQL_REVIEW(FINDING_COLS_2);
static const char sql_rev_findings[] = SQL_REV_FINDINGS(FINDING_COLS);
static const char sql_rev_findings_2[] = SQL_REV_FINDINGS(FINDING_COLS_2);

static jx_status run_findings(jx__stmt *q, jx_store_finding_cb cb, void *ctx, jx_diags *diags)
{
	jx_status status = JX_OK;
	jx_store_rev r;
	int rc;
	while ((rc = jx__db_step(q, diags)) == 1) {
		jx__store_read_rev(q, &r);
		jx_diag g;
		bool any = !jx__db_is_null(q, JX__REV_NCOLS);
		if (any)
			read_finding(q, JX__REV_NCOLS, r.file, &g);
		if ((status = cb(ctx, &r, any ? &g : NULL)) != JX_OK) {
			jx__db_reset(q);
			return status;
		}
	}
	return rc < 0 ? JX_ERR_INVALID : JX_OK;
}

jx_status jx_store_findings(jx_store *st, int64_t rev_id, jx_store_finding_cb cb, void *ctx,
                            jx_diags *diags)
{
	jx__stmt *q = jx__db_prepare(
	        st->db, st->version >= 3 ? sql_rev_findings : sql_rev_findings_2, diags);
	if (!q)
		return JX_ERR_INVALID;
	jx__db_bind_int(q, 1, rev_id);
	return run_findings(q, cb, ctx, diags);
}

jx_status jx_store_review(jx_store *st, int year, jx_store_finding_cb cb, void *ctx,
                          jx_diags *diags)
{
	jx__stmt *q = jx__db_prepare(st->db, st->version >= 3 ? sql_review : sql_review_2, diags);
	if (!q)
		return JX_ERR_INVALID;
	jx__db_bind_int(q, 1, year);
	return run_findings(q, cb, ctx, diags);
}

static const char sql_rule_counts[] =
        "SELECT f.rule, max(ru.title), f.severity, count(DISTINCT f.revision_id), count(*)"
        " FROM latest l JOIN findings f ON f.revision_id = l.revision_id"
        " JOIN revisions r ON r.id = l.revision_id"
        " LEFT JOIN rules ru ON ru.scheme_id = r.scheme_id AND ru.rule = f.rule"
        " WHERE ($1 = 0 OR l.year = $1) GROUP BY f.rule, f.severity"
        " ORDER BY f.severity DESC, count(DISTINCT f.revision_id) DESC, f.rule";

jx_status jx_store_rule_counts(jx_store *st, int year, jx_store_rule_cb cb, void *ctx,
                               jx_diags *diags)
{
	jx__stmt *q = jx__db_prepare(st->db, sql_rule_counts, diags);
	if (!q)
		return JX_ERR_INVALID;
	jx__db_bind_int(q, 1, year);
	int rc;
	while ((rc = jx__db_step(q, diags)) == 1) {
		jx_store_rule_count c = {
		        .rule = jx__db_text(q, 0),
		        .title = jx__db_text(q, 1),
		        .severity = (jx_severity)jx__db_int(q, 2),
		        .units = (size_t)jx__db_int(q, 3),
		        .findings = (size_t)jx__db_int(q, 4),
		};
		jx_status status = cb(ctx, &c);
		if (status != JX_OK) {
			jx__db_reset(q);
			return status;
		}
	}
	return rc < 0 ? JX_ERR_INVALID : JX_OK;
}

/* ---- values ---- */

char *jx__vals_field(char *s, char stop, char **next)
{
	char *w = s, *r = s;
	while (*r && *r != stop) {
		if (*r == '\\' && r[1]) {
			r++;
			*w++ = *r == 't' ? '\t' : *r == 'n' ? '\n' : *r;
			r++;
		} else {
			*w++ = *r++;
		}
	}
	*next = *r ? r + 1 : r;
	*w = '\0';
	return s;
}

typedef struct vals {
	char *text; /* the blob, NUL-terminated, unescaped in place */
	const jx_scheme *s;
	size_t n;
	jx_store_value *items;
	jx__arena *arena;
} vals;

static void reset_vscratch(jx_store *st)
{
	jx__arena_fini(&st->vscratch);
	jx__arena_init(&st->vscratch, st->alloc, 65536);
}

static const char sql_vals[] =
        "SELECT v.vals, r.scheme_id FROM vals v JOIN revisions r ON r.id = v.revision_id"
        " WHERE v.revision_id = $1";

static jx_status fill_items(vals *v)
{
	size_t lines = 0;
	for (const char *p = v->text; *p; p++)
		lines += *p == '\n';
	v->items = jx__arena_alloc(v->arena, (lines + 1) * sizeof(*v->items));
	if (!v->items)
		return JX_ERR_OOM;
	for (char *p = v->text, *next; *p; p = next) {
		jx_store_value *it = &v->items[v->n];
		it->path = jx__vals_field(p, '\t', &next);
		it->value = jx__vals_field(next, '\n', &next);
		const jx__field *f = jx__scheme_field_at(v->s, it->path);
		it->label = f ? f->label : NULL;
		it->group = f ? jx__field_group(f) : JX_VG_INPUT;
		if (++v->n > lines)
			break;
	}
	return JX_OK;
}

static jx_status load_vals(jx_store *st, int64_t rev_id, vals *v, jx_diags *diags)
{
	memset(v, 0, sizeof(*v));
	v->arena = &st->vscratch;
	jx__stmt *q = jx__db_prepare(st->db, sql_vals, diags);
	if (!q)
		return JX_ERR_INVALID;
	jx__db_bind_int(q, 1, rev_id);
	int rc = jx__db_step(q, diags);
	if (rc <= 0) {
		if (rc == 0)
			jx__db_error(st->db, diags, "Q09", "数据库中没有编号为 %lld 的自评",
			             (long long)rev_id);
		return JX_ERR_INVALID;
	}
	size_t len;
	const char *blob = jx__db_blob(q, 0, &len);
	int64_t scheme_id = jx__db_int(q, 1);
	v->text = jx__arena_strndup(v->arena, blob ? blob : "", blob ? len : 0);
	jx__db_reset(q);
	if (!v->text)
		return JX_ERR_OOM;
	if (!(v->s = jx__store_scheme_by_id(st, scheme_id, diags)))
		return JX_ERR_INVALID;
	return fill_items(v);
}

jx_status jx_store_values(jx_store *st, int64_t rev_id, jx_store_value_cb cb, void *ctx,
                          jx_diags *diags)
{
	vals v;
	reset_vscratch(st);
	jx_status status = load_vals(st, rev_id, &v, diags);
	for (size_t i = 0; status == JX_OK && i < v.n; i++)
		status = cb(ctx, &v.items[i]);
	return status;
}

jx_status jx_store_diff(jx_store *st, int64_t from_id, int64_t to_id, jx_store_change_cb cb,
                        void *ctx, jx_diags *diags)
{
	vals a, b;
	jx__map seen;
	reset_vscratch(st);
	jx_status status = load_vals(st, from_id, &a, diags);
	if (status == JX_OK)
		status = load_vals(st, to_id, &b, diags);
	if (status != JX_OK)
		return status;
	jx__map_init(&seen, st->alloc);
	for (size_t i = 0; i < a.n && status == JX_OK; i++)
		if (!jx__map_put(&seen, a.items[i].path, strlen(a.items[i].path), (int)i))
			status = JX_ERR_OOM;
	bool *matched = status == JX_OK ? jx__arena_alloc(&st->vscratch, a.n + 1) : NULL;
	if (!matched && status == JX_OK)
		status = JX_ERR_OOM;
	for (size_t i = 0; i < b.n && status == JX_OK; i++) {
		const jx_store_value *t = &b.items[i];
		int k = jx__map_get(&seen, t->path, strlen(t->path));
		if (k >= 0)
			matched[k] = true;
		if (k >= 0 && !strcmp(a.items[k].value, t->value))
			continue;
		jx_store_change c = {t->path, t->label, k >= 0 ? a.items[k].value : NULL, t->value,
		                     t->group};
		status = cb(ctx, &c);
	}
	for (size_t i = 0; i < a.n && status == JX_OK; i++)
		if (!matched[i]) {
			const jx_store_value *f = &a.items[i];
			jx_store_change c = {f->path, f->label, f->value, NULL, f->group};
			status = cb(ctx, &c);
		}
	jx__map_fini(&seen);
	return status;
}

/* ---- source ---- */

static const char sql_source[] = "SELECT source FROM sources WHERE revision_id = $1";

jx_status jx_store_source(jx_store *st, int64_t rev_id, char **buf, size_t *len, jx_diags *diags)
{
	jx__stmt *q = jx__db_prepare(st->db, sql_source, diags);
	*buf = NULL;
	if (!q)
		return JX_ERR_INVALID;
	jx__db_bind_int(q, 1, rev_id);
	int rc = jx__db_step(q, diags);
	if (rc <= 0) {
		if (rc == 0)
			jx__db_error(st->db, diags, "Q09", "数据库中没有编号为 %lld 的自评",
			             (long long)rev_id);
		return JX_ERR_INVALID;
	}
	const void *p = jx__db_blob(q, 0, len);
	*buf = jx__alloc(st->alloc, *len + 1);
	if (*buf) {
		if (*len)
			memcpy(*buf, p, *len);
		(*buf)[*len] = '\0';
	}
	jx__db_reset(q);
	return *buf ? JX_OK : JX_ERR_OOM;
}

/* ---- verify ---- */

static const struct {
	const char *sql, *what;
} invariants[] = {
        {"SELECT count(*) FROM revisions r LEFT JOIN evaluations e ON e.revision_id = r.id"
         " WHERE e.revision_id IS NULL",
         "个修订缺少计算结果"},
        {"SELECT count(*) FROM (SELECT DISTINCT unit_id, year FROM revisions) x"
         " LEFT JOIN latest l ON l.unit_id = x.unit_id AND l.year = x.year"
         " WHERE l.revision_id IS NULL",
         "个单位年度缺少最新修订的记录"},
        {"SELECT count(*) FROM latest l JOIN revisions r ON r.id = l.revision_id"
         " WHERE r.unit_id <> l.unit_id OR r.year <> l.year OR r.rev <> (SELECT max(rev)"
         " FROM revisions x WHERE x.unit_id = l.unit_id AND x.year = l.year)",
         "个“最新修订”记录没有指向最高版本"},
        {"SELECT count(*) FROM (SELECT unit_id, year FROM revisions GROUP BY unit_id, year"
         " HAVING count(*) <> max(rev) OR min(rev) <> 1) x",
         "个单位年度的修订编号不连续"},
        {"SELECT count(*) FROM revisions r LEFT JOIN sources s ON s.revision_id = r.id"
         " WHERE s.revision_id IS NULL OR r.size <> length(s.source)",
         "个修订缺少原文或原文长度与记录不符"},
        {"SELECT count(*) FROM revisions r LEFT JOIN vals v ON v.revision_id = r.id"
         " WHERE v.revision_id IS NULL",
         "个修订缺少保存的数值"},
};

static jx_status integrity(jx_store *st, jx_diags *diags, size_t *problems)
{
	static const char sql[] = "PRAGMA integrity_check";
	jx__stmt *q = jx__db_prepare(st->db, sql, diags);
	if (!q)
		return JX_ERR_INVALID;
	int rc;
	while ((rc = jx__db_step(q, diags)) == 1) {
		const char *msg = jx__db_text(q, 0);
		if (msg && strcmp(msg, "ok")) {
			jx__db_error(st->db, diags, "Q10", "数据库文件损坏：%s", msg);
			++*problems;
		}
	}
	return rc < 0 ? JX_ERR_INVALID : JX_OK;
}

static const char sql_hashes[] = "SELECT r.id, r.hash, s.source FROM revisions r"
                                 " JOIN sources s ON s.revision_id = r.id ORDER BY r.id";

static jx_status check_hashes(jx_store *st, jx_diags *diags, size_t *problems)
{
	jx__stmt *q = jx__db_prepare(st->db, sql_hashes, diags);
	if (!q)
		return JX_ERR_INVALID;
	int rc;
	while ((rc = jx__db_step(q, diags)) == 1) {
		size_t len;
		const void *p = jx__db_blob(q, 2, &len);
		unsigned char h[crypto_hash_sha256_BYTES];
		char hex[65];
		crypto_hash_sha256(h, p ? p : "", len);
		sodium_bin2hex(hex, sizeof hex, h, sizeof h);
		const char *want = jx__db_text(q, 1);
		if (!want || strcmp(want, hex)) {
			jx__db_error(st->db, diags, "Q10", "修订 %lld 的原文与其校验值不符",
			             (long long)jx__db_int(q, 0));
			++*problems;
		}
	}
	return rc < 0 ? JX_ERR_INVALID : JX_OK;
}

jx_status jx_store_verify(jx_store *st, jx_diags *diags)
{
	size_t problems = 0;
	jx_status status = integrity(st, diags, &problems);
	for (size_t i = 0; status == JX_OK && i < sizeof invariants / sizeof invariants[0]; i++) {
		jx__stmt *q = jx__db_prepare(st->db, invariants[i].sql, diags);
		int64_t n = 0;
		if (!q || jx__db_step(q, diags) != 1) {
			status = JX_ERR_INVALID;
			break;
		}
		n = jx__db_int(q, 0);
		jx__db_reset(q);
		if (n) {
			jx__db_error(st->db, diags, "Q10", "%lld %s", (long long)n,
			             invariants[i].what);
			problems++;
		}
	}
	if (status == JX_OK)
		status = check_hashes(st, diags, &problems);
	return status == JX_OK && problems ? JX_ERR_INVALID : status;
}
