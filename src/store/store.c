/* Opening a store and importing files into it.  Each file becomes the
 * next revision of its unit and year in one transaction: the source bytes,
 * the unit, the evaluation's results, figures, findings and values.  A
 * file identical to the latest revision is a no-op.  The web application's
 * saves (jx_store_save) take the same path from memory, with the workflow's
 * checks and records (workflow.c) inside the same transaction. */
#include "../eval/values.h"
#include "../io/xlsx_read.h"
#include "store_int.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

jx_store *jx_store_open(const char *path, jx_store_mode mode, const jx_allocator *alloc,
                        jx_diags *diags)
{
	if (!alloc)
		alloc = jx_allocator_default();
	if (sodium_init() < 0) {
		jx__diag_fatal(diags, "Q07", (jx__loc){path, 0, 0}, NULL, "libsodium 初始化失败");
		return NULL;
	}
	jx_store *st = jx__alloc(alloc, sizeof(*st));
	if (!st) {
		jx__diag_fatal(diags, "Y00", (jx__loc){path, 0, 0}, NULL, "内存不足");
		return NULL;
	}
	memset(st, 0, sizeof(*st));
	st->alloc = alloc;
	jx__arena_init(&st->scratch, alloc, 16384);
	jx__arena_init(&st->vscratch, alloc, 65536);
	if (jx__db_open(path, mode, alloc, &st->db, diags) != JX_OK ||
	    jx__schema_migrate(st->db, &st->version, diags) != JX_OK) {
		jx_store_close(st);
		return NULL;
	}
	return st;
}

void jx_store_close(jx_store *st)
{
	if (!st)
		return;
	for (jx__store_scheme *s = st->schemes, *next; s; s = next) {
		next = s->next;
		jx_scheme_free(s->owned);
		jx__free(st->alloc, s);
	}
	jx__db_close(st->db);
	jx__arena_fini(&st->scratch);
	jx__arena_fini(&st->vscratch);
	jx__free(st->alloc, st);
}

int jx_store_schema_version(const jx_store *st)
{
	return st->version;
}

void jx__hash_hex(const void *buf, size_t len, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, buf, len);
	sodium_bin2hex(out, 65, h, sizeof h);
}

/* ---- schemes ---- */

static jx__store_scheme *remember(jx_store *st, int64_t id, const jx_scheme *s, jx_scheme *owned)
{
	jx__store_scheme *e = jx__alloc(st->alloc, sizeof(*e));
	if (!e)
		return NULL;
	e->id = id;
	e->s = s;
	e->owned = owned;
	e->next = st->schemes;
	st->schemes = e;
	return e;
}

static const char sql_scheme_find[] = "SELECT id FROM schemes WHERE hash = $1";
static const char sql_scheme_add[] =
        "INSERT INTO schemes (name, version, title, hash, source) VALUES ($1, $2, $3, $4, $5)"
        " RETURNING id";
static const char sql_rule_add[] = "INSERT INTO rules (scheme_id, rule, title, severity)"
                                   " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING";

static jx_status add_rules(jx_store *st, int64_t id, const jx_scheme *s, jx_diags *diags)
{
	jx__stmt *q = jx__db_prepare(st->db, sql_rule_add, diags);
	if (!q)
		return JX_ERR_INVALID;
	for (size_t i = 0; i < s->nrules; i++) {
		jx__db_bind_int(q, 1, id);
		jx__db_bind_text(q, 2, s->rules[i].id);
		jx__db_bind_text(q, 3, s->rules[i].title);
		jx__db_bind_int(q, 4, (int64_t)s->rules[i].sev);
		if (jx__db_step(q, diags) < 0)
			return JX_ERR_INVALID;
	}
	return JX_OK;
}

/* The row of scheme s, inserted if new (inside the import's transaction). */
static jx_status scheme_row(jx_store *st, const jx_scheme *s, int64_t *id, jx_diags *diags)
{
	for (jx__store_scheme *e = st->schemes; e; e = e->next)
		if (e->s == s) {
			*id = e->id;
			return JX_OK;
		}
	char hash[65];
	jx__hash_hex(s->source, s->source_len, hash);
	jx__stmt *q = jx__db_prepare(st->db, sql_scheme_find, diags);
	if (!q)
		return JX_ERR_INVALID;
	jx__db_bind_text(q, 1, hash);
	int rc = jx__db_step(q, diags);
	if (rc < 0)
		return JX_ERR_INVALID;
	if (rc == 1) {
		*id = jx__db_int(q, 0);
		jx__db_reset(q);
	} else {
		if (!(q = jx__db_prepare(st->db, sql_scheme_add, diags)))
			return JX_ERR_INVALID;
		jx__db_bind_text(q, 1, s->id);
		jx__db_bind_int(q, 2, s->version);
		jx__db_bind_text(q, 3, s->title);
		jx__db_bind_text(q, 4, hash);
		jx__db_bind_blob(q, 5, s->source, s->source_len);
		if (jx__db_step(q, diags) != 1)
			return JX_ERR_INVALID;
		*id = jx__db_int(q, 0);
		jx__db_reset(q);
		jx_status r = add_rules(st, *id, s, diags);
		if (r != JX_OK)
			return r;
	}
	/* Remembered only after commit would be exact; a rolled-back scheme
	 * row is re-inserted by the next import because ids are looked up
	 * again when the cache misses, so forget it on rollback instead. */
	return remember(st, *id, s, NULL) ? JX_OK : JX_ERR_OOM;
}

static void forget_uncommitted(jx_store *st, int64_t id)
{
	for (jx__store_scheme **p = &st->schemes; *p; p = &(*p)->next)
		if ((*p)->id == id && !(*p)->owned) {
			jx__store_scheme *e = *p;
			*p = e->next;
			jx__free(st->alloc, e);
			return;
		}
}

static const char sql_scheme_src[] = "SELECT source FROM schemes WHERE id = $1";

const jx_scheme *jx__store_scheme_by_id(jx_store *st, int64_t id, jx_diags *diags)
{
	for (jx__store_scheme *e = st->schemes; e; e = e->next)
		if (e->id == id)
			return e->s;
	jx__stmt *q = jx__db_prepare(st->db, sql_scheme_src, diags);
	if (!q)
		return NULL;
	jx__db_bind_int(q, 1, id);
	if (jx__db_step(q, diags) != 1) {
		jx__db_error(st->db, diags, "Q02", "数据库中缺少编号为 %lld 的方案", (long long)id);
		return NULL;
	}
	size_t len;
	const char *src = jx__db_blob(q, 0, &len);
	char name[64];
	snprintf(name, sizeof name, "（数据库中的方案 %lld）", (long long)id);
	jx_scheme *s = jx_scheme_load_mem(name, src, len, st->alloc, diags);
	jx__db_reset(q);
	if (!s)
		return NULL;
	if (!remember(st, id, s, s)) {
		jx_scheme_free(s);
		return NULL;
	}
	return s;
}

/* ---- import ---- */

typedef struct import_job {
	jx_store *st;
	const char *path; /* a file's path, or a save's name for its source */
	const char *src;
	size_t len;
	const jx_store_save_opts *save; /* jx_store_save: bytes from memory */
	char hash[65];
	bool xlsx;
	jx_doc *doc;
	jx_diags *findings;
	const char *code, *name, *parent, *parent_name;
	int year;
	jx__buf vals;
	int64_t unit_id, rev_id; /* of the stored revision */
	jx_import_result *res;
} import_job;

static const char sql_unchanged[] =
        "SELECT u.code, r.year, r.rev FROM revisions r JOIN latest l ON l.revision_id = r.id"
        " JOIN units u ON u.id = r.unit_id WHERE r.hash = $1";

static int check_unchanged(import_job *j, jx_diags *diags)
{
	jx__stmt *q = jx__db_prepare(j->st->db, sql_unchanged, diags);
	if (!q)
		return -1;
	jx__db_bind_text(q, 1, j->hash);
	int rc = jx__db_step(q, diags);
	if (rc == 1) {
		snprintf(j->res->unit, sizeof j->res->unit, "%s", jx__db_text(q, 0));
		j->res->year = (int)jx__db_int(q, 1);
		j->res->rev = (int)jx__db_int(q, 2);
		j->res->outcome = JX_IMPORT_UNCHANGED;
		jx__db_reset(q);
	}
	return rc;
}

static bool is_zip(const char *buf, size_t len)
{
	return len >= 4 && !memcmp(buf, "PK\003\004", 4);
}

static const char *slot_text(const jx_doc *d, int slot)
{
	if (slot < 0)
		return NULL;
	const jx_value *v = jx__doc_slot(d, slot);
	return v->type == JX_V_TEXT && v->s[0] ? v->s : NULL;
}

static void reject(import_job *j, jx_diags *diags, const char *what)
{
	jx__diag_fatal(diags, "Q08", (jx__loc){j->path, 0, 0}, NULL, "%s", what);
}

/* Unit and year of the evaluation, as the scheme's summary names them. */
static bool identify(import_job *j, jx_diags *diags)
{
	const jx_scheme *s = j->doc->s;
	int year_slot = jx__scheme_slot(s, "year", 4);
	const jx_value *y = year_slot >= 0 ? jx__doc_slot(j->doc, year_slot) : NULL;
	j->name = slot_text(j->doc, s->summary.name >= 0 ? s->summary.name
	                                                 : jx__scheme_slot(s, "unit.name", 9));
	j->code = slot_text(j->doc, s->summary.code);
	j->parent = slot_text(j->doc, s->summary.parent);
	j->parent_name = slot_text(j->doc, s->summary.parent_name);
	if (!j->code)
		j->code = j->name;
	if (!j->name)
		j->name = j->code;
	if (!j->code) {
		reject(j, diags, "缺少单位名称与单位编码，无法归档");
		return false;
	}
	if (!y || y->type != JX_V_NUM || !jx_dec_is_integer(y->num)) {
		reject(j, diags, "缺少年度（year），无法归档");
		return false;
	}
	j->year = (int)(y->num.raw / JX_DEC_SCALE);
	snprintf(j->res->unit, sizeof j->res->unit, "%s", j->code);
	j->res->year = j->year;
	return true;
}

static const jx_scheme *pick_scheme(import_job *j, const jx_store_import_opts *o, jx_diags *diags)
{
	if (j->xlsx) {
		if (!o->xlsx_scheme)
			reject(j, diags, "未指定工作簿所用的方案");
		return o->xlsx_scheme;
	}
	char name[128];
	if (!jx_data_scheme_name(j->src, j->len, name, sizeof name))
		name[0] = '\0';
	if (!o->resolve) {
		reject(j, diags, "无法确定数据文件所用的方案");
		return NULL;
	}
	return o->resolve(o->resolve_ctx, name[0] ? name : NULL, j->path, diags);
}

/* Loads and evaluates; false (with reasons in diags) if it cannot. */
static bool load_job(import_job *j, const jx_store_import_opts *o, jx_diags *diags)
{
	const jx_scheme *s = pick_scheme(j, o, diags);
	if (!s)
		return false;
	if (j->xlsx && j->save)
		j->doc = jx__import_xlsx_mem(s, j->src, j->len, j->path, j->st->alloc, diags);
	else if (j->xlsx)
		j->doc = jx_import_xlsx(s, j->path, NULL, j->st->alloc, diags, NULL);
	else
		j->doc = jx_doc_load_mem(s, j->path, j->src, j->len, j->st->alloc, diags);
	if (!j->doc)
		return false;
	if (!(j->findings = jx_diags_new(j->st->alloc)) ||
	    jx_doc_evaluate(j->doc, j->findings) != JX_OK) {
		reject(j, diags, "计算失败（内存不足）");
		return false;
	}
	j->res->errors = jx_diags_count_sev(j->findings, JX_SEV_ERROR) +
	                 jx_diags_count_sev(j->findings, JX_SEV_FATAL);
	j->res->warnings = jx_diags_count_sev(j->findings, JX_SEV_WARNING);
	j->res->infos = jx_diags_count_sev(j->findings, JX_SEV_INFO);
	return identify(j, diags);
}

void jx__vals_escape(jx__buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '\t':
			jx__buf_add(b, "\\t", 2);
			break;
		case '\n':
			jx__buf_add(b, "\\n", 2);
			break;
		case '\\':
			jx__buf_add(b, "\\\\", 2);
			break;
		default:
			jx__buf_addc(b, *s);
		}
	}
}

static jx_status add_value(void *ctx, const char *path, const jx__field *f, const char *text)
{
	jx__buf *b = ctx;
	(void)f;
	jx__buf_adds(b, path);
	jx__buf_addc(b, '\t');
	jx__vals_escape(b, text);
	jx__buf_addc(b, '\n');
	return b->oom ? JX_ERR_OOM : JX_OK;
}

static const char sql_unit[] =
        "INSERT INTO units (code, name, parent_code, parent_name) VALUES ($1, $2, $3, $4)"
        " ON CONFLICT (code) DO UPDATE SET name = excluded.name,"
        " parent_code = excluded.parent_code, parent_name = excluded.parent_name RETURNING id";
static const char sql_next_rev[] =
        "SELECT coalesce(max(rev), 0) + 1 FROM revisions WHERE unit_id = $1 AND year = $2";
static const char sql_rev_add[] =
        "INSERT INTO revisions (unit_id, year, rev, scheme_id, format, file, imported_at, hash,"
        " size) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
static const char sql_source_add[] = "INSERT INTO sources (revision_id, source) VALUES ($1, $2)";
static const char sql_vals_add[] = "INSERT INTO vals (revision_id, vals) VALUES ($1, $2)";
static const char sql_eval_add[] =
        "INSERT INTO evaluations (revision_id, total, stated_total, grade, stated_grade, errors,"
        " warnings, infos) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
static const char sql_figure_add[] =
        "INSERT INTO figures (revision_id, metric, value) VALUES ($1, $2, $3)";
static const char sql_finding_add[] =
        "INSERT INTO findings (revision_id, seq, rule, severity, message, note, path, line, col,"
        " expected, actual, difference, tail, explanation)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";
static const char sql_latest_set[] =
        "INSERT INTO latest (unit_id, year, revision_id) VALUES ($1, $2, $3)"
        " ON CONFLICT (unit_id, year) DO UPDATE SET revision_id = excluded.revision_id";

/* Runs q (already bound) expecting one row with an integer in column 0. */
static bool one_int(jx__stmt *q, int64_t *out, jx_diags *diags)
{
	if (!q || jx__db_step(q, diags) != 1)
		return false;
	*out = jx__db_int(q, 0);
	jx__db_reset(q);
	return true;
}

static bool done(jx__stmt *q, jx_diags *diags)
{
	return q && jx__db_step(q, diags) == 0;
}

static bool put_unit(import_job *j, int64_t *unit_id, int64_t *rev, jx_diags *diags)
{
	jx__db *db = j->st->db;
	jx__stmt *q = jx__db_prepare(db, sql_unit, diags);
	if (!q)
		return false;
	jx__db_bind_text(q, 1, j->code);
	jx__db_bind_text(q, 2, j->name);
	jx__db_bind_text(q, 3, j->parent);
	jx__db_bind_text(q, 4, j->parent_name);
	if (!one_int(q, unit_id, diags) || !(q = jx__db_prepare(db, sql_next_rev, diags)))
		return false;
	jx__db_bind_int(q, 1, *unit_id);
	jx__db_bind_int(q, 2, j->year);
	return one_int(q, rev, diags);
}

static void bind_result(jx__stmt *q, int i, const jx_doc *d, int slot, bool num)
{
	const jx_value *v = slot >= 0 ? jx__doc_slot(d, slot) : NULL;
	if (v && num && v->type == JX_V_NUM)
		jx__db_bind_int(q, i, v->num.raw);
	else if (v && !num && v->type == JX_V_TEXT)
		jx__db_bind_text(q, i, v->s);
	else
		jx__db_bind_null(q, i);
}

static bool put_evaluation(import_job *j, int64_t rev_id, jx_diags *diags)
{
	const jx_scheme *s = j->doc->s;
	jx__stmt *q = jx__db_prepare(j->st->db, sql_eval_add, diags);
	if (!q)
		return false;
	jx__db_bind_int(q, 1, rev_id);
	bind_result(q, 2, j->doc, s->result.total, true);
	bind_result(q, 3, j->doc, s->result.stated_total, true);
	bind_result(q, 4, j->doc, s->result.grade, false);
	bind_result(q, 5, j->doc, s->result.stated_grade, false);
	jx__db_bind_int(q, 6, (int64_t)j->res->errors);
	jx__db_bind_int(q, 7, (int64_t)j->res->warnings);
	jx__db_bind_int(q, 8, (int64_t)j->res->infos);
	if (!done(q, diags) || !(q = jx__db_prepare(j->st->db, sql_vals_add, diags)))
		return false;
	jx__db_bind_int(q, 1, rev_id);
	jx__db_bind_blob(q, 2, j->vals.data, j->vals.len);
	if (!done(q, diags))
		return false;
	for (size_t i = 0; i < s->summary.nmetrics; i++) {
		const jx_value *v = jx__doc_slot(j->doc, s->summary.metrics[i].slot);
		if (v->type != JX_V_NUM)
			continue;
		if (!(q = jx__db_prepare(j->st->db, sql_figure_add, diags)))
			return false;
		jx__db_bind_int(q, 1, rev_id);
		jx__db_bind_text(q, 2, s->summary.metrics[i].id);
		jx__db_bind_int(q, 3, v->num.raw);
		if (!done(q, diags))
			return false;
	}
	return true;
}

static void bind_opt_int(jx__stmt *q, int i, unsigned v)
{
	if (v)
		jx__db_bind_int(q, i, v);
	else
		jx__db_bind_null(q, i);
}

static bool put_findings(import_job *j, int64_t rev_id, jx_diags *diags)
{
	for (size_t i = 0; i < jx_diags_count(j->findings); i++) {
		const jx_diag *g = jx_diags_get(j->findings, i);
		jx__stmt *q = jx__db_prepare(j->st->db, sql_finding_add, diags);
		if (!q)
			return false;
		jx__db_bind_int(q, 1, rev_id);
		jx__db_bind_int(q, 2, (int64_t)i);
		jx__db_bind_text(q, 3, g->id ? g->id : "");
		jx__db_bind_int(q, 4, (int64_t)g->severity);
		jx__db_bind_text(q, 5, g->message ? g->message : "");
		jx__db_bind_text(q, 6, g->note);
		jx__db_bind_text(q, 7, g->path);
		bind_opt_int(q, 8, g->line);
		bind_opt_int(q, 9, g->column);
		jx__db_bind_text(q, 10, g->expected);
		jx__db_bind_text(q, 11, g->actual);
		jx__db_bind_text(q, 12, g->difference);
		jx__db_bind_int(q, 13, g->tail);
		jx__db_bind_text(q, 14, g->explanation);
		if (!done(q, diags))
			return false;
	}
	return true;
}

static bool put_revision(import_job *j, int64_t scheme_id, int64_t now, jx_diags *diags)
{
	int64_t unit_id, rev, rev_id;
	if (!put_unit(j, &unit_id, &rev, diags))
		return false;
	j->unit_id = unit_id;
	jx__stmt *q = jx__db_prepare(j->st->db, sql_rev_add, diags);
	if (!q)
		return false;
	jx__db_bind_int(q, 1, unit_id);
	jx__db_bind_int(q, 2, j->year);
	jx__db_bind_int(q, 3, rev);
	jx__db_bind_int(q, 4, scheme_id);
	jx__db_bind_text(q, 5, j->xlsx ? "xlsx" : "yaml");
	jx__db_bind_text(q, 6, j->path);
	jx__db_bind_int(q, 7, now);
	jx__db_bind_text(q, 8, j->hash);
	jx__db_bind_int(q, 9, (int64_t)j->len);
	if (!one_int(q, &rev_id, diags) || !(q = jx__db_prepare(j->st->db, sql_source_add, diags)))
		return false;
	j->rev_id = rev_id;
	jx__db_bind_int(q, 1, rev_id);
	jx__db_bind_blob(q, 2, j->src, j->len);
	if (!done(q, diags) || !put_evaluation(j, rev_id, diags) ||
	    !put_findings(j, rev_id, diags) ||
	    !(q = jx__db_prepare(j->st->db, sql_latest_set, diags)))
		return false;
	jx__db_bind_int(q, 1, unit_id);
	jx__db_bind_int(q, 2, j->year);
	jx__db_bind_int(q, 3, rev_id);
	j->res->rev = (int)rev;
	return done(q, diags);
}

/* The write: one transaction; the unchanged test is repeated inside it so
 * two importers of the same file cannot both add it.  A save checks the
 * workflow first (conflict, status, unchanged) and records itself. */
static jx_status store_job(import_job *j, int64_t now, jx_diags *diags)
{
	jx__db *db = j->st->db;
	int64_t scheme_id = -1;
	jx_status st = jx__db_begin(db, true, diags);
	if (st != JX_OK)
		return st;
	bool stop = false;
	int rc = 0;
	if (j->save)
		st = jx__wf_before_save(j->st, j->code, j->year, j->save->base_rev, j->hash, j->res,
		                        &stop, diags);
	else
		stop = (rc = check_unchanged(j, diags)) == 1;
	if (stop || st != JX_OK) {
		jx__db_rollback(db);
		return st;
	}
	if (rc < 0 || (st = scheme_row(j->st, j->doc->s, &scheme_id, diags)) != JX_OK ||
	    !put_revision(j, scheme_id, now, diags) ||
	    (j->save && (st = jx__wf_after_save(j->st, j->unit_id, j->code, j->year, j->rev_id,
	                                        j->save, now, diags)) != JX_OK) ||
	    (st = jx__db_commit(db, diags)) != JX_OK) {
		jx__db_rollback(db);
		if (scheme_id >= 0)
			forget_uncommitted(j->st, scheme_id);
		return st != JX_OK ? st : JX_ERR_INVALID;
	}
	j->res->outcome = JX_IMPORT_NEW;
	return JX_OK;
}

static jx_status run_job(import_job *j, const jx_store_import_opts *o, jx_diags *diags)
{
	jx__hash_hex(j->src, j->len, j->hash);
	j->xlsx = is_zip(j->src, j->len);
	/* A save's unchanged test is of its own unit-year, after loading. */
	int rc = j->save ? 0 : check_unchanged(j, diags);
	if (rc != 0)
		return rc < 0 ? JX_ERR_INVALID : JX_OK;
	if (!load_job(j, o, diags))
		return JX_OK; /* rejected */
	if (j->save && j->save->unit && strcmp(j->code, j->save->unit)) {
		jx__diag_fatal(diags, "Q08", (jx__loc){j->path, 0, 0}, NULL,
		               "数据中的单位编码“%s”不是本账户的单位“%s”，不能保存", j->code,
		               j->save->unit);
		return JX_OK; /* rejected */
	}
	jx__buf_init(&j->vals, j->st->alloc);
	if (jx__doc_each_value(j->doc, add_value, &j->vals) != JX_OK) {
		jx__diag_fatal(diags, "Y00", (jx__loc){j->path, 0, 0}, NULL, "内存不足");
		return JX_ERR_OOM;
	}
	int64_t now = o->now >= 0 ? o->now : (int64_t)time(NULL);
	return store_job(j, now, diags);
}

jx_status jx_store_import_file(jx_store *st, const jx_store_import_opts *o, const char *path,
                               jx_import_result *res, jx_diags *diags)
{
	import_job j = {.st = st, .path = path, .res = res};
	memset(res, 0, sizeof(*res));
	res->outcome = JX_IMPORT_REJECTED;
	if (jx__db_readonly(st->db)) {
		jx__db_error(st->db, diags, "Q05", "数据库以只读方式打开，不能导入");
		return JX_ERR_USAGE;
	}
	char *buf = jx_read_file(path, st->alloc, &j.len, diags);
	if (!buf)
		return JX_OK; /* unreadable: rejected with the reason */
	j.src = buf;
	jx_status status = run_job(&j, o, diags);
	jx__buf_fini(&j.vals);
	jx_diags_free(j.findings);
	jx_doc_free(j.doc);
	jx__free(st->alloc, buf);
	return status;
}

jx_status jx_store_save(jx_store *st, const jx_store_save_opts *o, const char *buf, size_t len,
                        jx_import_result *res, jx_diags *diags)
{
	import_job j = {.st = st,
	                .path = o->file ? o->file : "web",
	                .src = buf ? buf : "",
	                .len = buf ? len : 0,
	                .save = o,
	                .res = res};
	memset(res, 0, sizeof(*res));
	res->outcome = JX_IMPORT_REJECTED;
	if (jx__db_readonly(st->db)) {
		jx__db_error(st->db, diags, "Q05", "数据库以只读方式打开，不能保存");
		return JX_ERR_USAGE;
	}
	jx_store_import_opts io = {.resolve = o->resolve,
	                           .resolve_ctx = o->resolve_ctx,
	                           .xlsx_scheme = o->scheme,
	                           .now = o->now};
	jx_status status = run_job(&j, &io, diags);
	jx__buf_fini(&j.vals);
	jx_diags_free(j.findings);
	jx_doc_free(j.doc);
	return status;
}
