/* The store's workflow through its public API: a unit-year saved as drafts
 * from memory, refused at submission while it has errors or unexplained
 * warnings, returned with comments, resubmitted, accepted and published;
 * every illegal move refused (Q17) with nothing written; stale saves and
 * moves (Q13), saves while under review (Q14), another unit's data (Q08);
 * the desk, comments and log exact; sessions; an XLSX save; and every
 * allocation failure of a whole cycle survived without a leak or a
 * half-written save or move. */
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
#include "slurp.h"
#include "store/store_int.h"

#ifndef SRCDIR
#define SRCDIR "."
#endif

#define UNIT "431199240000000012"

typedef struct ctx {
	char dir[256], db[300];
	jx_scheme *s;
	char *v1, *v2, *v3; /* the example; T01 fixed; I04 fixed too */
	size_t len1, len2, len3;
} ctx;

static const jx_scheme *resolve(void *c, const char *name, const char *file, jx_diags *d)
{
	(void)name, (void)file, (void)d;
	return ((ctx *)c)->s;
}

/* Replaces the first occurrence of from in *buf by to. */
static char *edit(const char *src, const char *from, const char *to, size_t *len)
{
	const char *p = strstr(src, from);
	assert_non_null(p);
	size_t n = strlen(src) - strlen(from) + strlen(to);
	char *out = malloc(n + 1);
	assert_non_null(out);
	size_t head = (size_t)(p - src);
	memcpy(out, src, head);
	strcpy(out + head, to);
	strcat(out, p + strlen(from));
	*len = n;
	return out;
}

static int setup(void **state)
{
	ctx *c = calloc(1, sizeof(*c));
	if (!c)
		return -1;
	snprintf(c->dir, sizeof c->dir, "/tmp/jixiao-wf-XXXXXX");
	if (!mkdtemp(c->dir))
		return -1;
	snprintf(c->db, sizeof c->db, "%s/t.db", c->dir);
	jx_diags *d = jx_diags_new(NULL);
	c->s = jx_scheme_load_file(SRCDIR "/schemes/mof-project.yaml", NULL, d);
	jx_diags_free(d);
	c->v1 = slurp(SRCDIR "/examples/project-sample.yaml", &c->len1);
	if (!c->s || !c->v1)
		return -1;
	c->v2 = edit(c->v1, "stated_total: 97.64", "stated_total: 96.89", &c->len2);
	char *t = edit(
	        c->v2,
	        "stated_score: 10        # should be 10 × 78.6 ÷ 85 = 9.25 (I04)\n    deviation:",
	        "stated_score: 9.25\n    deviation: 管网工程受汛期影响，剩余 6.4 公里顺延至次年",
	        &c->len3);
	c->v3 = t;
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
	rmdir(c->dir);
	jx_scheme_free(c->s);
	free(c->v1);
	free(c->v2);
	free(c->v3);
	free(c);
	return 0;
}

/* Accounts without argon2 (the tests need rows, not passwords): 1 admin,
 * 2 the unit's filler, 3 a reviewer. */
static bool add_users(jx_store *st, jx_diags *d)
{
	return jx__db_exec(
	               st->db,
	               "INSERT INTO users (id, name, role, unit_code, pwhash, created_at) VALUES"
	               " (1, 'root', 'admin', NULL, 'x', 0),"
	               " (2, '填报员', 'filler', '" UNIT "', 'x', 0),"
	               " (3, '审核员', 'reviewer', NULL, 'x', 0)",
	               d) == JX_OK;
}

static int64_t count(jx_store *st, const char *sql)
{
	jx_diags *d = jx_diags_new(NULL);
	jx__stmt *q = jx__db_prepare(st->db, sql, d);
	assert_non_null(q);
	assert_int_equal(jx__db_step(q, d), 1);
	int64_t n = jx__db_int(q, 0);
	jx__db_reset(q);
	jx_diags_free(d);
	return n;
}

static const char *last_id(jx_diags *d)
{
	size_t n = jx_diags_count(d);
	return n ? jx_diags_get(d, n - 1)->id : "";
}

static const char *last_msg(jx_diags *d)
{
	size_t n = jx_diags_count(d);
	return n ? jx_diags_get(d, n - 1)->message : "";
}

static jx_status save(jx_store *st, ctx *c, const char *buf, size_t len, int base, int64_t user,
                      int64_t now, jx_import_result *r, jx_diags *d)
{
	jx_store_save_opts o = {.user_id = user,
	                        .unit = UNIT,
	                        .base_rev = base,
	                        .scheme = c->s,
	                        .resolve = resolve,
	                        .resolve_ctx = c,
	                        .file = "web",
	                        .now = now};
	return jx_store_save(st, &o, buf, len, r, d);
}

static jx_status move(jx_store *st, jx_wf_action a, int rev, int64_t user, int64_t now,
                      const char *comment, const jx_store_field_comment *f, size_t nf,
                      jx_wf_status *out, jx_diags *d)
{
	jx_store_transition_opts o = {.user_id = user,
	                              .unit = UNIT,
	                              .year = 2024,
	                              .action = a,
	                              .expect_rev = rev,
	                              .comment = comment,
	                              .fields = f,
	                              .nfields = nf,
	                              .now = now};
	return jx_store_transition(st, &o, out, d);
}

/* ---- desk ---- */

typedef struct desk {
	size_t n;
	jx_store_desk_row rows[4];
	char units[4][64];
} desk;

static jx_status desk_row(void *cx, const jx_store_desk_row *r)
{
	desk *k = cx;
	assert_true(k->n < 4);
	k->rows[k->n] = *r;
	snprintf(k->units[k->n], sizeof k->units[0], "%s", r->unit);
	k->rows[k->n].unit = k->units[k->n];
	k->rows[k->n].unit_name = k->rows[k->n].parent = k->rows[k->n].parent_name = NULL;
	k->rows[k->n].grade = k->rows[k->n].stated_grade = NULL;
	k->n++;
	return JX_OK;
}

static desk get_desk(jx_store *st, const char *unit, int status)
{
	desk k = {0};
	jx_diags *d = jx_diags_new(NULL);
	assert_int_equal(jx_store_desk(st, 2024, unit, status, desk_row, &k, d), JX_OK);
	jx_diags_free(d);
	return k;
}

static jx_wf_status status_of(jx_store *st)
{
	desk k = get_desk(st, UNIT, -1);
	assert_int_equal(k.n, 1);
	return k.rows[0].status;
}

/* Every move the status does not allow is Q17 and changes nothing. */
static void illegal_moves(jx_store *st, int rev)
{
	static const bool allowed[][4] = {
	        /* SUBMIT RETURN ACCEPT PUBLISH */
	        [JX_WF_NONE] = {0, 0, 0, 0},        [JX_WF_DRAFT] = {1, 0, 0, 0},
	        [JX_WF_SUBMITTED] = {0, 1, 1, 0},   [JX_WF_RETURNED] = {1, 0, 0, 0},
	        [JX_WF_RESUBMITTED] = {0, 1, 1, 0}, [JX_WF_ACCEPTED] = {0, 0, 0, 1},
	        [JX_WF_PUBLISHED] = {0, 0, 0, 0},
	};
	jx_wf_status now = status_of(st);
	int64_t events = count(st, "SELECT count(*) FROM events");
	int64_t comments = count(st, "SELECT count(*) FROM comments");
	for (int a = JX_WF_SUBMIT; a <= JX_WF_PUBLISH; a++) {
		if (allowed[now][a])
			continue;
		jx_diags *d = jx_diags_new(NULL);
		jx_wf_status out = JX_WF_NONE;
		jx_store_field_comment f = {"stated_total", "请核对"};
		assert_int_equal(move(st, (jx_wf_action)a, rev, 3, 50, "意见", &f, 1, &out, d),
		                 JX_ERR_INVALID);
		assert_string_equal(last_id(d), "Q17");
		assert_non_null(strstr(last_msg(d), jx_wf_status_label(now)));
		jx_diags_free(d);
	}
	assert_int_equal(status_of(st), now);
	assert_int_equal(count(st, "SELECT count(*) FROM events"), events);
	assert_int_equal(count(st, "SELECT count(*) FROM comments"), comments);
}

static void test_status_names(void **state)
{
	(void)state;
	static const char *const names[] = {"none",        "draft",    "submitted", "returned",
	                                    "resubmitted", "accepted", "published"};
	for (int i = JX_WF_NONE; i <= JX_WF_PUBLISHED; i++) {
		jx_wf_status s;
		assert_string_equal(jx_wf_status_name((jx_wf_status)i), names[i]);
		assert_true(jx_wf_status_parse(names[i], &s));
		assert_int_equal(s, i);
	}
	assert_string_equal(jx_wf_status_label(JX_WF_NONE), "未填报");
	assert_string_equal(jx_wf_status_label(JX_WF_RESUBMITTED), "已重新提交");
	assert_string_equal(jx_wf_status_label(JX_WF_PUBLISHED), "已公开");
	jx_wf_status s = JX_WF_DRAFT;
	assert_false(jx_wf_status_parse("Draft", &s));
	assert_int_equal(s, JX_WF_DRAFT);
}

/* ---- comments and events, collected as lines ---- */

typedef struct lines {
	char text[2048];
} lines;

static jx_status comment_line(void *cx, const jx_store_comment *c)
{
	lines *l = cx;
	size_t n = strlen(l->text);
	snprintf(l->text + n, sizeof l->text - n, "%lld %s r%d %s: %s\n", (long long)c->at, c->user,
	         c->rev, c->path ? c->path : "-", c->text);
	return JX_OK;
}

static jx_status event_line(void *cx, const jx_store_event *e)
{
	lines *l = cx;
	size_t n = strlen(l->text);
	snprintf(l->text + n, sizeof l->text - n, "%lld %s %s %s %d r%d %s\n", (long long)e->at,
	         e->user, e->action, e->unit, e->year, e->rev, e->detail);
	return JX_OK;
}

static void test_cycle(void **state)
{
	ctx *c = *state;
	remove_db(c);
	jx_diags *d = jx_diags_new(NULL);
	jx_store *st = jx_store_open(c->db, JX_STORE_CREATE, NULL, d);
	assert_non_null(st);
	assert_int_equal(jx_store_schema_version(st), 3);
	assert_true(add_users(st, d));
	assert_int_equal(jx_store_unit_put(st, UNIT, "青峰县水利局", NULL, NULL, 1, d), JX_OK);
	assert_int_equal(jx_store_unit_put(st, "200", "临江镇", "2", "青峰县", 1, d), JX_OK);
	assert_int_equal(jx_store_unit_put(st, "bad code", "名", NULL, NULL, 1, d), JX_ERR_USAGE);
	assert_string_equal(last_id(d), "Q11");
	assert_int_equal(jx_store_unit_put(st, "300", "", NULL, NULL, 1, d), JX_ERR_USAGE);

	/* nothing saved yet */
	desk k = get_desk(st, NULL, -1);
	assert_int_equal(k.n, 2);
	assert_string_equal(k.units[0], "200");
	assert_string_equal(k.units[1], UNIT);
	assert_int_equal(k.rows[1].status, JX_WF_NONE);
	assert_int_equal(k.rows[1].rev, 0);
	assert_int_equal(k.rows[1].rev_id, 0);
	assert_int_equal(k.rows[1].updated_at, 0);
	illegal_moves(st, 0);

	/* another unit's data is not this filler's to save */
	jx_import_result r;
	jx_store_save_opts other = {.user_id = 2,
	                            .unit = "200",
	                            .resolve = resolve,
	                            .resolve_ctx = c,
	                            .file = "web",
	                            .now = 90};
	jx_diags_clear(d);
	assert_int_equal(jx_store_save(st, &other, c->v1, c->len1, &r, d), JX_OK);
	assert_int_equal(r.outcome, JX_IMPORT_REJECTED);
	assert_string_equal(last_id(d), "Q08");
	assert_int_equal(count(st, "SELECT count(*) FROM revisions"), 0);

	/* draft 1: an error and a warning */
	jx_diags_clear(d);
	assert_int_equal(save(st, c, c->v1, c->len1, 0, 2, 100, &r, d), JX_OK);
	assert_int_equal(r.outcome, JX_IMPORT_NEW);
	assert_string_equal(r.unit, UNIT);
	assert_int_equal(r.year, 2024);
	assert_int_equal(r.rev, 1);
	assert_int_equal(r.errors, 1);
	assert_int_equal(r.warnings, 1);
	assert_int_equal(status_of(st), JX_WF_DRAFT);
	illegal_moves(st, 1);
	/* the same bytes again: nothing */
	assert_int_equal(save(st, c, c->v1, c->len1, 1, 2, 110, &r, d), JX_OK);
	assert_int_equal(r.outcome, JX_IMPORT_UNCHANGED);
	assert_int_equal(r.rev, 1);
	/* a save from a stale editor: a conflict, nothing stored */
	jx_diags_clear(d);
	assert_int_equal(save(st, c, c->v2, c->len2, 0, 2, 120, &r, d), JX_OK);
	assert_int_equal(r.outcome, JX_IMPORT_CONFLICT);
	assert_int_equal(r.rev, 1);
	assert_string_equal(last_id(d), "Q13");
	assert_non_null(strstr(last_msg(d), "第 1 版"));
	assert_int_equal(count(st, "SELECT count(*) FROM revisions"), 1);
	assert_int_equal(count(st, "SELECT count(*) FROM events WHERE action = 'save'"), 1);

	jx_wf_status out = JX_WF_NONE;
	jx_diags_clear(d);
	assert_int_equal(move(st, JX_WF_SUBMIT, 1, 2, 130, NULL, NULL, 0, &out, d), JX_ERR_INVALID);
	assert_string_equal(last_id(d), "Q16");
	assert_non_null(strstr(last_msg(d), "1 个错误、1 个警告未写说明"));
	assert_int_equal(status_of(st), JX_WF_DRAFT);

	/* draft 2: the error fixed, the warning left */
	assert_int_equal(save(st, c, c->v2, c->len2, 1, 2, 200, &r, d), JX_OK);
	assert_int_equal(r.outcome, JX_IMPORT_NEW);
	assert_int_equal(r.rev, 2);
	assert_int_equal(r.errors, 0);
	assert_int_equal(r.warnings, 1);
	jx_diags_clear(d);
	assert_int_equal(move(st, JX_WF_SUBMIT, 2, 2, 210, NULL, NULL, 0, &out, d), JX_ERR_INVALID);
	assert_string_equal(last_id(d), "Q16");
	assert_non_null(strstr(last_msg(d), "还有 1 个警告未写说明"));
	k = get_desk(st, UNIT, -1);
	assert_int_equal(k.rows[0].warnings, 1);
	assert_int_equal(k.rows[0].unexplained, 1);
	/* stale submit */
	jx_diags_clear(d);
	assert_int_equal(move(st, JX_WF_SUBMIT, 1, 2, 215, NULL, NULL, 0, &out, d), JX_ERR_INVALID);
	assert_string_equal(last_id(d), "Q13");

	/* the warning explained (the data file's `explanations:` are not read
	 * yet: written straight into the row) */
	assert_int_equal(jx__db_exec(st->db,
	                             "UPDATE findings SET explanation = '汛期影响施工'"
	                             " WHERE severity = 1 AND revision_id ="
	                             " (SELECT revision_id FROM latest)",
	                             d),
	                 JX_OK);
	jx_store_rev rev;
	assert_int_equal(jx_store_find(st, UNIT, 2024, 0, &rev, d), JX_OK);
	k = get_desk(st, UNIT, -1);
	assert_int_equal(k.rows[0].unexplained, 0);
	assert_int_equal(k.rows[0].rev, 2);
	assert_int_equal(k.rows[0].rev_id, rev.id);
	assert_int_equal(move(st, JX_WF_SUBMIT, 2, 2, 220, NULL, NULL, 0, &out, d), JX_OK);
	assert_int_equal(out, JX_WF_SUBMITTED);
	illegal_moves(st, 2);

	/* no saving while it is under review */
	jx_diags_clear(d);
	assert_int_equal(save(st, c, c->v3, c->len3, 2, 2, 230, &r, d), JX_ERR_USAGE);
	assert_string_equal(last_id(d), "Q14");
	assert_non_null(strstr(last_msg(d), "已提交，不能修改"));
	assert_int_equal(count(st, "SELECT count(*) FROM revisions"), 2);

	/* returned: a comment is needed */
	jx_diags_clear(d);
	assert_int_equal(move(st, JX_WF_RETURN, 2, 3, 240, "", NULL, 0, &out, d), JX_ERR_USAGE);
	assert_string_equal(last_id(d), "Q15");
	jx_store_field_comment fc[] = {
	        {"indicators[1].stated_score", "应按 78.6 ÷ 85 计为 9.25 分"},
	        {"indicators[1].deviation", "请写明偏差原因"},
	        {"stated_total", ""}, /* empty: not recorded */
	};
	assert_int_equal(
	        move(st, JX_WF_RETURN, 2, 3, 250, "请按意见修改后重新提交", fc, 3, &out, d), JX_OK);
	assert_int_equal(out, JX_WF_RETURNED);
	illegal_moves(st, 2);

	/* draft 3 while returned: stays returned */
	assert_int_equal(save(st, c, c->v3, c->len3, 2, 2, 300, &r, d), JX_OK);
	assert_int_equal(r.outcome, JX_IMPORT_NEW);
	assert_int_equal(r.rev, 3);
	assert_int_equal(r.warnings, 0);
	assert_int_equal(status_of(st), JX_WF_RETURNED);
	assert_int_equal(move(st, JX_WF_SUBMIT, 3, 2, 310, NULL, NULL, 0, &out, d), JX_OK);
	assert_int_equal(out, JX_WF_RESUBMITTED);
	illegal_moves(st, 3);
	assert_int_equal(move(st, JX_WF_ACCEPT, 3, 3, 320, "同意", NULL, 0, &out, d), JX_OK);
	assert_int_equal(out, JX_WF_ACCEPTED);
	illegal_moves(st, 3);
	jx_diags_clear(d);
	assert_int_equal(save(st, c, c->v2, c->len2, 3, 2, 325, &r, d), JX_ERR_USAGE);
	assert_string_equal(last_id(d), "Q14");
	assert_int_equal(move(st, JX_WF_PUBLISH, 3, 1, 330, NULL, NULL, 0, &out, d), JX_OK);
	assert_int_equal(out, JX_WF_PUBLISHED);
	illegal_moves(st, 3);
	jx_diags_clear(d);
	assert_int_equal(save(st, c, c->v2, c->len2, 3, 2, 335, &r, d), JX_ERR_USAGE);
	assert_non_null(strstr(last_msg(d), "已公开，不能修改"));

	/* the desk */
	k = get_desk(st, NULL, -1);
	assert_int_equal(k.n, 2);
	assert_int_equal(k.rows[0].status, JX_WF_NONE);
	assert_int_equal(k.rows[1].status, JX_WF_PUBLISHED);
	assert_int_equal(k.rows[1].rev, 3);
	assert_int_equal(k.rows[1].year, 2024);
	assert_true(k.rows[1].has_total);
	assert_int_equal(k.rows[1].total.raw, 96890000);
	assert_int_equal(k.rows[1].errors, 0);
	assert_int_equal(k.rows[1].warnings, 0);
	assert_int_equal(k.rows[1].infos, 1);
	assert_int_equal(k.rows[1].updated_at, 330);
	k = get_desk(st, NULL, JX_WF_NONE);
	assert_int_equal(k.n, 1);
	assert_string_equal(k.units[0], "200");
	k = get_desk(st, NULL, JX_WF_DRAFT);
	assert_int_equal(k.n, 0);
	k = get_desk(st, "200", -1);
	assert_int_equal(k.n, 1);

	/* comments and the log, exactly */
	lines l = {""};
	assert_int_equal(jx_store_comments(st, UNIT, 2024, comment_line, &l, d), JX_OK);
	assert_string_equal(l.text, "250 审核员 r2 -: 请按意见修改后重新提交\n"
	                            "250 审核员 r2 indicators[1].stated_score: 应按 78.6 ÷ 85 计为 "
	                            "9.25 分\n"
	                            "250 审核员 r2 indicators[1].deviation: 请写明偏差原因\n"
	                            "320 审核员 r3 -: 同意\n");
	l.text[0] = '\0';
	assert_int_equal(jx_store_comments(st, "200", 2024, comment_line, &l, d), JX_OK);
	assert_string_equal(l.text, "");
	l.text[0] = '\0';
	assert_int_equal(jx_store_events(st, UNIT, 2024, event_line, &l, d), JX_OK);
	assert_string_equal(l.text, "100 填报员 save " UNIT " 2024 r1 web\n"
	                            "200 填报员 save " UNIT " 2024 r2 web\n"
	                            "220 填报员 submit " UNIT " 2024 r2 draft→submitted\n"
	                            "250 审核员 return " UNIT " 2024 r2 submitted→returned\n"
	                            "300 填报员 save " UNIT " 2024 r3 web\n"
	                            "310 填报员 submit " UNIT " 2024 r3 returned→resubmitted\n"
	                            "320 审核员 accept " UNIT " 2024 r3 resubmitted→accepted\n"
	                            "330 root publish " UNIT " 2024 r3 accepted→published\n");
	l.text[0] = '\0';
	assert_int_equal(jx_store_events(st, UNIT, 0, event_line, &l, d), JX_OK);
	assert_non_null(strstr(l.text, " root unit.put " UNIT " 0 r0 青峰县水利局\n"));
	size_t all = 0;
	for (const char *p = l.text; *p; p++)
		all += *p == '\n';
	assert_int_equal(all, 9);
	l.text[0] = '\0';
	assert_int_equal(jx_store_events(st, NULL, 0, event_line, &l, d), JX_OK);
	all = 0;
	for (const char *p = l.text; *p; p++)
		all += *p == '\n';
	assert_int_equal(all, 10); /* and 临江镇's unit.put */

	assert_int_equal(
	        count(st, "SELECT count(*) FROM findings WHERE explanation = '汛期影响施工'"), 1);
	assert_int_equal(jx_store_verify(st, d), JX_OK);

	jx_store_close(st);
	jx_diags_free(d);
}

/* Findings read back carry their explanation. */
static jx_status explained(void *cx, const jx_store_rev *r, const jx_diag *g)
{
	(void)r;
	if (g && g->severity == JX_SEV_WARNING)
		snprintf(cx, 64, "%s", g->explanation ? g->explanation : "(none)");
	return JX_OK;
}

static void test_explanation_read(void **state)
{
	ctx *c = *state;
	remove_db(c);
	jx_diags *d = jx_diags_new(NULL);
	jx_store *st = jx_store_open(c->db, JX_STORE_CREATE, NULL, d);
	assert_non_null(st);
	jx_import_result r;
	assert_int_equal(save(st, c, c->v2, c->len2, 0, 0, 10, &r, d), JX_OK);
	assert_int_equal(r.outcome, JX_IMPORT_NEW);
	jx_store_rev rev;
	assert_int_equal(jx_store_find(st, UNIT, 2024, 0, &rev, d), JX_OK);
	char got[64] = "";
	assert_int_equal(jx_store_findings(st, rev.id, explained, got, d), JX_OK);
	assert_string_equal(got, "(none)");
	assert_int_equal(jx__db_exec(st->db, "UPDATE findings SET explanation = '说明'", d), JX_OK);
	assert_int_equal(jx_store_findings(st, rev.id, explained, got, d), JX_OK);
	assert_string_equal(got, "说明");
	got[0] = '\0';
	assert_int_equal(jx_store_review(st, 2024, explained, got, d), JX_OK);
	assert_string_equal(got, "说明");
	/* a save with no user recorded: the log says nobody */
	lines l = {""};
	assert_int_equal(jx_store_events(st, UNIT, 2024, event_line, &l, d), JX_OK);
	assert_string_equal(l.text, "10  save " UNIT " 2024 r1 web\n");
	/* a `db import`ed unit-year (no workflow row) is a draft on the desk */
	assert_int_equal(jx__db_exec(st->db, "DELETE FROM workflow", d), JX_OK);
	assert_int_equal(status_of(st), JX_WF_DRAFT);
	jx_store_close(st);
	jx_diags_free(d);
}

/* An XLSX workbook saved from memory (told apart by content). */
static void test_xlsx_save(void **state)
{
	ctx *c = *state;
	remove_db(c);
	jx_diags *d = jx_diags_new(NULL);
	jx_doc *doc = jx_doc_load_mem(c->s, "v3.yaml", c->v3, c->len3, NULL, d);
	assert_non_null(doc);
	assert_int_equal(jx_doc_evaluate(doc, d), JX_OK);
	char path[320];
	snprintf(path, sizeof path, "%s/v3.xlsx", c->dir);
	jx_report_opts ro = {.timestamp = -1};
	assert_int_equal(jx_report_write(doc, NULL, "xlsx", path, &ro, d), JX_OK);
	jx_doc_free(doc);
	size_t len;
	char *buf = slurp(path, &len);
	assert_non_null(buf);
	unlink(path);

	jx_store *st = jx_store_open(c->db, JX_STORE_CREATE, NULL, d);
	assert_non_null(st);
	jx_import_result r;
	jx_store_save_opts o = {.unit = UNIT, .scheme = c->s, .file = "上传.xlsx", .now = 5};
	jx_diags_clear(d);
	assert_int_equal(jx_store_save(st, &o, buf, len, &r, d), JX_OK);
	if (r.outcome != JX_IMPORT_NEW)
		for (size_t i = 0; i < jx_diags_count(d); i++)
			fprintf(stderr, "%s %s\n", jx_diags_get(d, i)->id,
			        jx_diags_get(d, i)->message);
	assert_int_equal(r.outcome, JX_IMPORT_NEW);
	assert_int_equal(r.errors, 0);
	jx_store_rev rev;
	assert_int_equal(jx_store_find(st, UNIT, 2024, 0, &rev, d), JX_OK);
	assert_string_equal(rev.format, "xlsx");
	assert_string_equal(rev.file, "上传.xlsx");
	/* YAML without a resolver is rejected with a reason */
	o.base_rev = 1;
	jx_diags_clear(d);
	assert_int_equal(jx_store_save(st, &o, c->v1, c->len1, &r, d), JX_OK);
	assert_int_equal(r.outcome, JX_IMPORT_REJECTED);
	assert_string_equal(last_id(d), "Q08");
	/* and garbage */
	o.resolve = resolve;
	o.resolve_ctx = c;
	jx_diags_clear(d);
	assert_int_equal(jx_store_save(st, &o, "PK\003\004junk", 8, &r, d), JX_OK);
	assert_int_equal(r.outcome, JX_IMPORT_REJECTED);
	assert_true(jx_diags_count(d) > 0);
	jx_store_verify(st, d);
	jx_store_close(st);
	free(buf);
	jx_diags_free(d);
}

static void test_sessions(void **state)
{
	ctx *c = *state;
	remove_db(c);
	jx_diags *d = jx_diags_new(NULL);
	jx_store *st = jx_store_open(c->db, JX_STORE_CREATE, NULL, d);
	assert_non_null(st);
	assert_true(add_users(st, d));
	char token[65], csrf[65], csrf2[65];
	assert_int_equal(jx_store_session_new(st, 2, 1000, 3600, token, csrf, d), JX_OK);
	assert_int_equal(strlen(token), 64);
	assert_int_equal(strlen(csrf), 64);
	assert_string_not_equal(token, csrf);
	/* only the token's hash is stored */
	char sql[200], sql2[200]; /* two buffers: statements are cached by address */
	snprintf(sql, sizeof sql, "SELECT count(*) FROM sessions WHERE token_hash = '%s'", token);
	assert_int_equal(count(st, sql), 0);
	snprintf(sql2, sizeof sql2, "SELECT count(*) FROM sessions WHERE csrf = '%s'", csrf);
	assert_int_equal(count(st, sql2), 1);

	jx_store_user u;
	assert_int_equal(jx_store_session_get(st, token, 1500, &u, csrf2, d), JX_OK);
	assert_int_equal(u.id, 2);
	assert_string_equal(u.name, "填报员");
	assert_int_equal(u.role, JX_ROLE_FILLER);
	assert_string_equal(u.unit, UNIT);
	assert_string_equal(csrf2, csrf);
	/* an unknown or malformed token */
	char other[65];
	memcpy(other, token, 65);
	other[0] = other[0] == '0' ? '1' : '0';
	assert_int_equal(jx_store_session_get(st, other, 1500, &u, csrf2, d), JX_ERR_INVALID);
	assert_int_equal(jx_store_session_get(st, "abc", 1500, &u, csrf2, d), JX_ERR_INVALID);
	assert_int_equal(jx_store_session_get(st, NULL, 1500, &u, csrf2, d), JX_ERR_INVALID);
	/* a disabled account */
	assert_int_equal(jx__db_exec(st->db, "UPDATE users SET disabled = 1 WHERE id = 2", d),
	                 JX_OK);
	assert_int_equal(jx_store_session_get(st, token, 1500, &u, csrf2, d), JX_ERR_INVALID);
	assert_int_equal(jx__db_exec(st->db, "UPDATE users SET disabled = 0 WHERE id = 2", d),
	                 JX_OK);
	assert_int_equal(jx_diags_count(d), 0);
	/* expired at its expiry time, and deleted */
	assert_int_equal(jx_store_session_get(st, token, 4599, &u, csrf2, d), JX_OK);
	assert_int_equal(jx_store_session_get(st, token, 4600, &u, csrf2, d), JX_ERR_INVALID);
	assert_int_equal(count(st, "SELECT count(*) FROM sessions"), 0);
	/* ended */
	assert_int_equal(jx_store_session_new(st, 3, 5000, 60, token, csrf, d), JX_OK);
	assert_int_equal(jx_store_session_get(st, token, 5001, &u, csrf2, d), JX_OK);
	assert_int_equal(u.role, JX_ROLE_REVIEWER);
	assert_string_equal(u.unit, "");
	assert_int_equal(jx_store_session_end(st, token, d), JX_OK);
	assert_int_equal(jx_store_session_get(st, token, 5001, &u, csrf2, d), JX_ERR_INVALID);
	assert_int_equal(jx_store_session_end(st, token, d), JX_OK);
	/* no session for an account that does not exist */
	assert_int_not_equal(jx_store_session_new(st, 99, 5000, 60, token, csrf, d), JX_OK);
	assert_string_equal(token, "");

	assert_int_equal(jx_store_user_get(st, 1, &u, d), JX_OK);
	assert_string_equal(u.name, "root");
	assert_int_equal(u.role, JX_ROLE_ADMIN);
	jx_diags_clear(d);
	assert_int_equal(jx_store_user_get(st, 99, &u, d), JX_ERR_INVALID);
	assert_string_equal(last_id(d), "Q11");
	jx_store_close(st);

	/* read-only: sessions can be checked, not made */
	st = jx_store_open(c->db, JX_STORE_READ, NULL, d);
	assert_non_null(st);
	jx_diags_clear(d);
	assert_int_equal(jx_store_session_new(st, 1, 5000, 60, token, csrf, d), JX_ERR_USAGE);
	assert_string_equal(last_id(d), "Q05");
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

static jx_status ignore_desk(void *cx, const jx_store_desk_row *r)
{
	(void)cx, (void)r;
	return JX_OK;
}

static jx_status ignore_event(void *cx, const jx_store_event *e)
{
	(void)cx, (void)e;
	return JX_OK;
}

static jx_status ignore_comment(void *cx, const jx_store_comment *e)
{
	(void)cx, (void)e;
	return JX_OK;
}

/* A cycle: open, unit, save two drafts, submit, return, save, resubmit,
 * accept, publish, desk, comments, log, a session. */
static failing *armed;
static bool cycle(ctx *c, const jx_allocator *a)
{
	bool ok = false;
	jx_diags *d = jx_diags_new(a);
	jx_store *st = d ? jx_store_open(c->db, JX_STORE_CREATE, a, d) : NULL;
	jx_store_save_opts so = {.user_id = 2,
	                         .unit = UNIT,
	                         .resolve = resolve,
	                         .resolve_ctx = c,
	                         .file = "web",
	                         .now = 1};
	jx_import_result r;
	jx_wf_status out;
	jx_store_field_comment fc = {"stated_total", "请核对"};
	jx_store_transition_opts to = {.user_id = 3, .unit = UNIT, .year = 2024, .now = 2};
	char token[65], csrf[65];
	jx_store_user u;
	if (!st || !add_users(st, d) ||
	    jx_store_unit_put(st, UNIT, "青峰县水利局", NULL, NULL, 1, d) != JX_OK ||
	    jx_store_save(st, &so, c->v1, c->len1, &r, d) != JX_OK || r.outcome != JX_IMPORT_NEW)
		goto out;
	so.base_rev = 1;
	if (jx_store_save(st, &so, c->v3, c->len3, &r, d) != JX_OK || r.outcome != JX_IMPORT_NEW)
		goto out;
	to.action = JX_WF_SUBMIT;
	to.expect_rev = 2;
	if (jx_store_transition(st, &to, &out, d) != JX_OK)
		goto out;
	to.action = JX_WF_RETURN;
	to.comment = "请修改";
	to.fields = &fc;
	to.nfields = 1;
	if (jx_store_transition(st, &to, &out, d) != JX_OK)
		goto out;
	so.base_rev = 2;
	if (jx_store_save(st, &so, c->v2, c->len2, &r, d) != JX_OK || r.outcome != JX_IMPORT_NEW)
		goto out;
	so.base_rev = 3;
	if (jx_store_save(st, &so, c->v3, c->len3, &r, d) != JX_OK || r.outcome != JX_IMPORT_NEW)
		goto out;
	to = (jx_store_transition_opts){.user_id = 2,
	                                .unit = UNIT,
	                                .year = 2024,
	                                .now = 3,
	                                .action = JX_WF_SUBMIT,
	                                .expect_rev = 4};
	if (jx_store_transition(st, &to, &out, d) != JX_OK || out != JX_WF_RESUBMITTED)
		goto out;
	to.action = JX_WF_ACCEPT;
	if (jx_store_transition(st, &to, &out, d) != JX_OK)
		goto out;
	to.action = JX_WF_PUBLISH;
	if (jx_store_transition(st, &to, &out, d) != JX_OK ||
	    jx_store_desk(st, 2024, NULL, -1, ignore_desk, NULL, d) != JX_OK ||
	    jx_store_comments(st, UNIT, 2024, ignore_comment, NULL, d) != JX_OK ||
	    jx_store_events(st, NULL, 0, ignore_event, NULL, d) != JX_OK ||
	    jx_store_session_new(st, 2, 10, 60, token, csrf, d) != JX_OK ||
	    jx_store_session_get(st, token, 20, &u, csrf, d) != JX_OK ||
	    jx_store_session_end(st, token, d) != JX_OK)
		goto out;
	ok = true;
out:
	/* Whatever failed, every save and move is whole or absent. */
	if (st) {
		armed->fail_at = 0;
		jx_diags *v = jx_diags_new(NULL);
		if (jx_store_verify(st, v) != JX_OK)
			for (size_t i = 0; i < jx_diags_count(v); i++)
				fprintf(stderr, "verify: %s\n", jx_diags_get(v, i)->message);
		assert_int_equal(jx_diags_count(v), 0);
		jx_diags_free(v);
		if (st->version == 3) {
			/* each revision has its save event, and the workflow row
			 * points at the latest revision */
			assert_int_equal(
			        count(st, "SELECT count(*) FROM revisions"),
			        count(st, "SELECT count(*) FROM events WHERE action = 'save'"));
			assert_int_equal(count(st,
			                       "SELECT count(*) FROM workflow w JOIN latest l ON"
			                       " l.unit_id = w.unit_id AND l.year = w.year"
			                       " WHERE w.revision_id <> l.revision_id"),
			                 0);
			/* a return always has its comments */
			assert_int_equal(
			        count(st, "SELECT count(*) FROM events WHERE action = 'return'") *
			                2,
			        count(st, "SELECT count(*) FROM comments"));
		}
	}
	jx_store_close(st);
	jx_diags_free(d);
	return ok;
}

static void test_every_failure(void **state)
{
	ctx *c = *state;
	failing f = {0};
	jx_allocator a = {f_alloc, f_realloc, f_free, &f};
	armed = &f;
	remove_db(c);
	assert_true(cycle(c, &a));
	long total = f.calls;
	assert_int_equal(f.live, 0);
	long failed = 0;
	for (long n = 1; n <= total; n++) {
		remove_db(c);
		f = (failing){.fail_at = n};
		failed += !cycle(c, &a);
		if (f.live != 0)
			fail_msg("failing allocation %ld of %ld leaked %ld blocks", n, total,
			         f.live);
	}
	assert_true(failed >= total / 2);
	printf("allocation requests per cycle: %ld; cycles failing cleanly: %ld\n", total, failed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_status_names),     cmocka_unit_test(test_cycle),
	        cmocka_unit_test(test_explanation_read), cmocka_unit_test(test_xlsx_save),
	        cmocka_unit_test(test_sessions),         cmocka_unit_test(test_every_failure),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
