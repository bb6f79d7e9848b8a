/* The store through its public API: an import stored whole and read back
 * without re-parsing (results, findings, values, source bytes); unchanged
 * files a no-op; revisions and their differences; rejected files leave
 * nothing behind; and every allocation failure of a full round survived
 * without a leak or a half-stored revision. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "jixiao/store.h"
#include "store/store_int.h"

#ifndef SRCDIR
#define SRCDIR "."
#endif

typedef struct ctx {
	char dir[256], db[300], data[300], data2[300], bad[300];
	jx_scheme *s;
} ctx;

static const jx_scheme *resolve(void *c, const char *name, const char *file, jx_diags *d)
{
	(void)name, (void)file, (void)d;
	return ((ctx *)c)->s;
}

static void write_text(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	fclose(f);
}

/* The example, and a second revision with 本年收入 480.00. */
static void write_inputs(ctx *c)
{
	size_t len;
	jx_diags *d = jx_diags_new(NULL);
	char *src = jx_read_file(SRCDIR "/examples/beita-2023.yaml", NULL, &len, d);
	assert_non_null(src);
	write_text(c->data, src, len);
	char *p = strstr(src, "income: 484.14");
	assert_non_null(p);
	memcpy(p, "income: 480.00", 14);
	write_text(c->data2, src, len);
	p = strstr(src, "income: 480.00");
	memcpy(p, "income: 48x.00", 14);
	write_text(c->bad, src, len);
	free(src);
	jx_diags_free(d);
}

static int setup(void **state)
{
	ctx *c = calloc(1, sizeof(*c));
	snprintf(c->dir, sizeof c->dir, "/tmp/jixiao-store-XXXXXX");
	if (!c || !mkdtemp(c->dir))
		return -1;
	snprintf(c->db, sizeof c->db, "%s/t.db", c->dir);
	snprintf(c->data, sizeof c->data, "%s/a.yaml", c->dir);
	snprintf(c->data2, sizeof c->data2, "%s/b.yaml", c->dir);
	snprintf(c->bad, sizeof c->bad, "%s/bad.yaml", c->dir);
	jx_diags *d = jx_diags_new(NULL);
	c->s = jx_scheme_load_file(SRCDIR "/schemes/hunan-dept-overall.yaml", NULL, d);
	jx_diags_free(d);
	if (!c->s)
		return -1;
	write_inputs(c);
	*state = c;
	return 0;
}

static void remove_db(const ctx *c)
{
	char p[320];
	unlink(c->db);
	snprintf(p, sizeof p, "%s-wal", c->db);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", c->db);
	unlink(p);
}

static int teardown(void **state)
{
	ctx *c = *state;
	remove_db(c);
	unlink(c->data);
	unlink(c->data2);
	unlink(c->bad);
	rmdir(c->dir);
	jx_scheme_free(c->s);
	free(c);
	return 0;
}

static jx_status count_rev(void *n, const jx_store_rev *r)
{
	(void)r;
	++*(size_t *)n;
	return JX_OK;
}

static size_t count_revs(jx_store *st, bool all)
{
	size_t n = 0;
	jx_store_filter f = {.all_revisions = all};
	jx_diags *d = jx_diags_new(NULL);
	assert_int_equal(jx_store_list(st, &f, count_rev, &n, d), JX_OK);
	jx_diags_free(d);
	return n;
}

static jx_status count_finding(void *n, const jx_store_rev *r, const jx_diag *g)
{
	(void)r;
	if (g)
		++*(size_t *)n;
	return JX_OK;
}

typedef struct found {
	const char *path;
	char value[64];
} found;

static jx_status find_value(void *cx, const jx_store_value *v)
{
	found *f = cx;
	if (!strcmp(v->path, f->path))
		snprintf(f->value, sizeof f->value, "%s", v->value);
	return JX_OK;
}

static void test_import_and_read(void **state)
{
	ctx *c = *state;
	remove_db(c);
	jx_diags *d = jx_diags_new(NULL);
	jx_store *st = jx_store_open(c->db, JX_STORE_CREATE, NULL, d);
	assert_non_null(st);
	assert_int_equal(jx_store_schema_version(st), jx_store_schema_latest());
	jx_store_import_opts o = {.resolve = resolve, .resolve_ctx = c, .now = 1700000000};
	jx_import_result r;
	assert_int_equal(jx_store_import_file(st, &o, c->data, &r, d), JX_OK);
	assert_int_equal(r.outcome, JX_IMPORT_NEW);
	assert_string_equal(r.unit, "北塔区行政审批局");
	assert_int_equal(r.year, 2023);
	assert_int_equal(r.rev, 1);
	assert_int_equal(r.errors, 3);
	assert_int_equal(r.warnings, 6);
	assert_int_equal(r.infos, 2);
	assert_int_equal(jx_store_import_file(st, &o, c->data, &r, d), JX_OK);
	assert_int_equal(r.outcome, JX_IMPORT_UNCHANGED);
	assert_int_equal(r.rev, 1);

	jx_store_rev rev;
	assert_int_equal(jx_store_find(st, "北塔区行政审批局", 2023, 0, &rev, d), JX_OK);
	assert_true(rev.has_total && rev.has_stated_total);
	assert_int_equal(rev.total.raw, 88 * JX_DEC_SCALE);
	assert_int_equal(rev.stated_total.raw, 98 * JX_DEC_SCALE);
	assert_string_equal(rev.grade, "良好");
	assert_string_equal(rev.stated_grade, "优秀");
	assert_int_equal(rev.imported_at, 1700000000);
	size_t n = 0;
	assert_int_equal(jx_store_findings(st, rev.id, count_finding, &n, d), JX_OK);
	assert_int_equal(n, 11);
	found f = {"rates.funds_exec", ""};
	assert_int_equal(jx_store_values(st, rev.id, find_value, &f, d), JX_OK);
	assert_string_equal(f.value, "100.00%");
	f = (found){"self_eval.indicators[0].name", ""};
	assert_int_equal(jx_store_values(st, rev.id, find_value, &f, d), JX_OK);
	assert_true(f.value[0] != '\0');

	char *src;
	size_t len, want_len;
	char *want = jx_read_file(c->data, NULL, &want_len, d);
	assert_int_equal(jx_store_source(st, rev.id, &src, &len, d), JX_OK);
	assert_int_equal(len, want_len);
	assert_memory_equal(src, want, len);
	free(src);
	free(want);
	assert_int_equal(jx_store_verify(st, d), JX_OK);
	assert_int_equal(jx_diags_count(d), 0);
	jx_store_close(st);
	jx_diags_free(d);
}

typedef struct changes {
	size_t n;
	bool income;
} changes;

static jx_status on_change(void *cx, const jx_store_change *ch)
{
	changes *c = cx;
	c->n++;
	if (!strcmp(ch->path, "budget.general.income")) {
		c->income = !strcmp(ch->from, "484.14") && !strcmp(ch->to, "480.00");
		assert_int_equal(ch->group, 0);
	}
	return JX_OK;
}

static void test_revisions(void **state)
{
	ctx *c = *state;
	remove_db(c);
	jx_diags *d = jx_diags_new(NULL);
	jx_store *st = jx_store_open(c->db, JX_STORE_CREATE, NULL, d);
	jx_store_import_opts o = {.resolve = resolve, .resolve_ctx = c, .now = -1};
	jx_import_result r;
	assert_int_equal(jx_store_import_file(st, &o, c->data, &r, d), JX_OK);
	assert_int_equal(jx_store_import_file(st, &o, c->data2, &r, d), JX_OK);
	assert_int_equal(r.outcome, JX_IMPORT_NEW);
	assert_int_equal(r.rev, 2);
	/* The old content again is a new revision, not a no-op. */
	assert_int_equal(jx_store_import_file(st, &o, c->data, &r, d), JX_OK);
	assert_int_equal(r.rev, 3);
	assert_int_equal(count_revs(st, false), 1);
	assert_int_equal(count_revs(st, true), 3);

	jx_store_rev a, b;
	assert_int_equal(jx_store_find(st, "北塔区行政审批局", 2023, 1, &a, d), JX_OK);
	int64_t from = a.id;
	assert_int_equal(jx_store_find(st, "北塔区行政审批局", 2023, 2, &b, d), JX_OK);
	assert_false(b.latest);
	changes ch = {0};
	assert_int_equal(jx_store_diff(st, from, b.id, on_change, &ch, d), JX_OK);
	assert_true(ch.income);
	assert_int_equal(ch.n, 1);
	assert_int_equal(jx_store_find(st, "北塔区行政审批局", 2023, 4, &b, d), JX_ERR_INVALID);
	assert_string_equal(jx_diags_get(d, 0)->id, "Q09");
	jx_store_close(st);
	jx_diags_free(d);
}

static void test_rejected(void **state)
{
	ctx *c = *state;
	remove_db(c);
	jx_diags *d = jx_diags_new(NULL);
	jx_store *st = jx_store_open(c->db, JX_STORE_CREATE, NULL, d);
	jx_store_import_opts o = {.resolve = resolve, .resolve_ctx = c, .now = -1};
	jx_import_result r;
	assert_int_equal(jx_store_import_file(st, &o, c->bad, &r, d), JX_OK);
	assert_int_equal(r.outcome, JX_IMPORT_REJECTED);
	assert_true(jx_diags_count(d) >= 1);
	assert_int_equal(count_revs(st, true), 0);
	jx_diags_clear(d);
	assert_int_equal(jx_store_verify(st, d), JX_OK);
	jx_store_close(st);
	/* Read-only: an import is refused, not attempted. */
	st = jx_store_open(c->db, JX_STORE_READ, NULL, d);
	assert_non_null(st);
	assert_int_equal(jx_store_import_file(st, &o, c->data, &r, d), JX_ERR_USAGE);
	assert_string_equal(jx_diags_get(d, 0)->id, "Q05");
	jx_store_close(st);
	jx_diags_free(d);
}

/* ---- every allocation failure ---- */

typedef struct failing {
	long calls, fail_at, live;
} failing;

static void *f_alloc(void *cx, size_t size)
{
	failing *f = cx;
	if (++f->calls == f->fail_at)
		return NULL;
	void *p = malloc(size);
	f->live += p != NULL;
	return p;
}

static void *f_realloc(void *cx, void *ptr, size_t size)
{
	failing *f = cx;
	if (++f->calls == f->fail_at)
		return NULL;
	void *p = realloc(ptr, size);
	if (p && !ptr)
		f->live++;
	return p;
}

static void f_free(void *cx, void *ptr)
{
	failing *f = cx;
	if (ptr)
		f->live--;
	free(ptr);
}

static jx_status ignore_change(void *cx, const jx_store_change *c)
{
	(void)cx, (void)c;
	return JX_OK;
}

/* A round: open, import two revisions, find, diff, summary. */
static failing *armed; /* the allocator of round_trip, disarmed to verify */
static bool round_trip(ctx *c, const jx_allocator *a)
{
	bool ok = false;
	char html[320];
	snprintf(html, sizeof html, "%s/s.html", c->dir);
	jx_diags *d = jx_diags_new(a);
	jx_store *st = d ? jx_store_open(c->db, JX_STORE_CREATE, a, d) : NULL;
	jx_store_import_opts o = {.resolve = resolve, .resolve_ctx = c, .now = -1};
	jx_import_result r1, r2;
	jx_store_rev rev;
	if (!st || jx_store_import_file(st, &o, c->data, &r1, d) != JX_OK ||
	    jx_store_import_file(st, &o, c->data2, &r2, d) != JX_OK ||
	    r1.outcome == JX_IMPORT_REJECTED || r2.outcome == JX_IMPORT_REJECTED)
		goto out;
	if (jx_store_find(st, "北塔区行政审批局", 2023, 1, &rev, d) != JX_OK)
		goto out;
	int64_t first = rev.id;
	if (jx_store_find(st, "北塔区行政审批局", 2023, 0, &rev, d) != JX_OK ||
	    jx_store_diff(st, first, rev.id, ignore_change, NULL, d) != JX_OK ||
	    jx_store_summary(st, 2023, "html", html, NULL, d) != JX_OK)
		goto out;
	ok = true;
out:
	/* Whatever failed, the store holds whole revisions only. */
	if (st) {
		armed->fail_at = 0;
		jx_diags *v = jx_diags_new(NULL);
		if (jx_store_verify(st, v) != JX_OK)
			for (size_t i = 0; i < jx_diags_count(v); i++)
				fprintf(stderr, "verify: %s\n", jx_diags_get(v, i)->message);
		assert_int_equal(jx_diags_count(v), 0);
		jx_diags_free(v);
	}
	jx_store_close(st);
	jx_diags_free(d);
	unlink(html);
	return ok;
}

static void test_every_failure(void **state)
{
	ctx *c = *state;
	failing f = {0};
	jx_allocator a = {f_alloc, f_realloc, f_free, &f};
	armed = &f;
	remove_db(c);
	assert_true(round_trip(c, &a));
	long total = f.calls;
	assert_int_equal(f.live, 0);
	long failed = 0;
	for (long n = 1; n <= total; n++) {
		remove_db(c);
		f = (failing){.fail_at = n};
		failed += !round_trip(c, &a);
		if (f.live != 0)
			fail_msg("failing allocation %ld of %ld leaked %ld blocks", n, total,
			         f.live);
	}
	assert_true(failed >= total / 2);
	printf("allocation requests per round: %ld; rounds failing cleanly: %ld\n", total, failed);
}

/* A store of schema version 1 (as the first release wrote it) is migrated
 * to the latest on open, keeping what it held; accounts then work. */
static void test_migration(void **state)
{
	ctx *c = *state;
	remove_db(c);
	jx_diags *d = jx_diags_new(NULL);
	jx__db *db;
	int version = 0;
	assert_int_equal(jx__db_open(c->db, JX_STORE_CREATE, jx_allocator_default(), &db, d),
	                 JX_OK);
	assert_int_equal(jx__schema_migrate_to(db, 1, &version, d), JX_OK);
	assert_int_equal(
	        jx__db_exec(db, "INSERT INTO units (code, name) VALUES ('101', '老单位')", d),
	        JX_OK);
	jx__db_close(db);

	jx_store *st = jx_store_open(c->db, JX_STORE_READ, NULL, d);
	assert_non_null(st); /* an older store can be read without upgrading it */
	assert_int_equal(jx_store_schema_version(st), 1);
	jx_store_close(st);
	st = jx_store_open(c->db, JX_STORE_WRITE, NULL, d);
	assert_non_null(st);
	assert_int_equal(jx_store_schema_version(st), jx_store_schema_latest());
	assert_true(jx_store_schema_latest() >= 2);
	jx__stmt *q = jx__db_prepare(st->db, "SELECT name FROM units WHERE code = '101'", d);
	assert_int_equal(jx__db_step(q, d), 1);
	assert_string_equal(jx__db_text(q, 0), "老单位");
	jx__db_reset(q);

	assert_int_equal(jx_store_user_add(st, "root", JX_ROLE_ADMIN, NULL, "correct horse", d),
	                 JX_OK);
	jx_store_user u;
	assert_int_equal(jx_store_user_login(st, "root", "correct horse", &u, d), JX_OK);
	assert_string_equal(u.name, "root");
	assert_int_equal(u.role, JX_ROLE_ADMIN);
	assert_int_equal(jx_store_user_login(st, "root", "wrong horse", &u, d), JX_ERR_INVALID);
	assert_int_equal(jx_store_user_login(st, "nobody", "correct horse", &u, d), JX_ERR_INVALID);
	assert_string_equal(jx_diags_get(d, jx_diags_count(d) - 1)->id, "Q12");
	jx_store_close(st);
	jx_diags_free(d);
}

/* A store of schema version 2 (accounts, no workflow) holding a revision
 * with a warning: read without upgrading (findings without explanations,
 * the desk at 草稿, the log, no comments), then upgraded to version 3 with
 * its contents kept. */
static jx_status warning_explanation(void *cx, const jx_store_rev *r, const jx_diag *g)
{
	(void)r;
	if (g)
		snprintf(cx, 64, "%s:%s", g->id, g->explanation ? g->explanation : "(none)");
	return JX_OK;
}

static jx_status desk_status(void *cx, const jx_store_desk_row *r)
{
	snprintf(cx, 64, "%s:%s:%d:%zu", r->unit, jx_wf_status_name(r->status), r->rev,
	         r->unexplained);
	return JX_OK;
}

static jx_status count_event(void *n, const jx_store_event *e)
{
	(void)e;
	++*(size_t *)n;
	return JX_OK;
}

static jx_status count_comment(void *n, const jx_store_comment *c)
{
	(void)c;
	++*(size_t *)n;
	return JX_OK;
}

static void test_migration_v2(void **state)
{
	ctx *c = *state;
	remove_db(c);
	jx_diags *d = jx_diags_new(NULL);
	jx__db *db;
	int version = 0;
	assert_int_equal(jx__db_open(c->db, JX_STORE_CREATE, jx_allocator_default(), &db, d),
	                 JX_OK);
	assert_int_equal(jx__schema_migrate_to(db, 2, &version, d), JX_OK);
	assert_int_equal(
	        jx__db_exec(
	                db,
	                "INSERT INTO units (id, code, name) VALUES (1, '101', '老单位');"
	                "INSERT INTO schemes (id, name, version, hash, source)"
	                " VALUES (1, 's', 1, 'h', 'x');"
	                "INSERT INTO revisions (id, unit_id, year, rev, scheme_id, format, file,"
	                " imported_at, hash, size) VALUES (1, 1, 2023, 1, 1, 'yaml', 'a.yaml',"
	                " 7, 'h', 1);"
	                "INSERT INTO evaluations (revision_id, errors, warnings, infos)"
	                " VALUES (1, 0, 1, 0);"
	                "INSERT INTO findings (revision_id, seq, rule, severity, message, tail)"
	                " VALUES (1, 0, 'B09', 1, '低于 90%', 0);"
	                "INSERT INTO latest (unit_id, year, revision_id) VALUES (1, 2023, 1);"
	                "INSERT INTO users (id, name, role, pwhash, created_at)"
	                " VALUES (1, 'root', 'admin', 'x', 0);"
	                "INSERT INTO events (at, user_id, action, detail)"
	                " VALUES (0, 1, 'user.add', 'root admin');",
	                d),
	        JX_OK);
	jx__db_close(db);

	jx_store *st = jx_store_open(c->db, JX_STORE_READ, NULL, d);
	assert_non_null(st);
	assert_int_equal(jx_store_schema_version(st), 2);
	char got[64] = "";
	assert_int_equal(jx_store_findings(st, 1, warning_explanation, got, d), JX_OK);
	assert_string_equal(got, "B09:(none)");
	got[0] = '\0';
	assert_int_equal(jx_store_review(st, 2023, warning_explanation, got, d), JX_OK);
	assert_string_equal(got, "B09:(none)");
	assert_int_equal(jx_store_desk(st, 2023, NULL, -1, desk_status, got, d), JX_OK);
	assert_string_equal(got, "101:draft:1:1");
	size_t n = 0;
	assert_int_equal(jx_store_events(st, NULL, 0, count_event, &n, d), JX_OK);
	assert_int_equal(n, 1);
	n = 0;
	assert_int_equal(jx_store_comments(st, "101", 2023, count_comment, &n, d), JX_OK);
	assert_int_equal(n, 0);
	jx_store_user u;
	assert_int_equal(jx_store_user_get(st, 1, &u, d), JX_OK);
	assert_string_equal(u.name, "root");
	assert_int_equal(jx_diags_count(d), 0);
	jx_store_close(st);

	st = jx_store_open(c->db, JX_STORE_WRITE, NULL, d);
	assert_non_null(st);
	assert_int_equal(jx_store_schema_version(st), 3);
	assert_int_equal(jx_store_findings(st, 1, warning_explanation, got, d), JX_OK);
	assert_string_equal(got, "B09:(none)");
	assert_int_equal(jx_store_desk(st, 2023, NULL, -1, desk_status, got, d), JX_OK);
	assert_string_equal(got, "101:draft:1:1");
	assert_int_equal(jx__db_exec(st->db, "UPDATE findings SET explanation = '已说明'", d),
	                 JX_OK);
	assert_int_equal(jx_store_findings(st, 1, warning_explanation, got, d), JX_OK);
	assert_string_equal(got, "B09:已说明");
	assert_int_equal(jx_store_desk(st, 2023, NULL, -1, desk_status, got, d), JX_OK);
	assert_string_equal(got, "101:draft:1:0");
	assert_int_equal(jx_diags_count(d), 0);
	jx_store_close(st);
	jx_diags_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_import_and_read), cmocka_unit_test(test_revisions),
	        cmocka_unit_test(test_rejected),        cmocka_unit_test(test_every_failure),
	        cmocka_unit_test(test_migration),       cmocka_unit_test(test_migration_v2),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
