/* The workflow of the web application (`jixiao serve`): where each unit's
 * self-evaluation of a year stands (workflow), the reviewers' comments
 * (comments) and the log of saves and moves (events).  A unit-year without
 * a workflow row is at 未填报 when it has no revision and at 草稿 when it
 * has one (a `db import`).  Who may do what is the web application's
 * business; the store checks only which moves the status allows, and does
 * each save or move with its records in one write transaction. */
#include "store_int.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *const status_names[] = {"none",        "draft",    "submitted", "returned",
                                           "resubmitted", "accepted", "published"};
static const char *const status_labels[] = {"未填报",     "草稿",   "已提交", "已退回",
                                            "已重新提交", "已通过", "已公开"};
#define NSTATUS (sizeof status_names / sizeof status_names[0])

static const char *const action_names[] = {"submit", "return", "accept", "publish"};
static const char *const action_labels[] = {"提交", "退回", "通过", "公开"};
#define NACTION (sizeof action_names / sizeof action_names[0])

/* Findings of severity 1 are warnings (inlined in the SQL below). */
_Static_assert(JX_SEV_WARNING == 1, "warnings are severity 1 in the findings table");

const char *jx_wf_status_name(jx_wf_status s)
{
	return (unsigned)s < NSTATUS ? status_names[s] : "?";
}

const char *jx_wf_status_label(jx_wf_status s)
{
	return (unsigned)s < NSTATUS ? status_labels[s] : "?";
}

bool jx_wf_status_parse(const char *s, jx_wf_status *out)
{
	for (size_t i = 0; s && i < NSTATUS; i++)
		if (!strcmp(s, status_names[i])) {
			*out = (jx_wf_status)i;
			return true;
		}
	return false;
}

static void bind_user(jx__stmt *q, int i, int64_t user_id)
{
	if (user_id > 0)
		jx__db_bind_int(q, i, user_id);
	else
		jx__db_bind_null(q, i);
}

/* Where a unit-year stands. */
typedef struct wf_state {
	int64_t unit_id;
	int rev;        /* latest revision; 0 when none */
	int64_t rev_id; /* 0 when none */
	char hash[65];
	jx_wf_status status;
} wf_state;

static const char sql_state[] =
        "SELECT u.id, r.rev, r.id, r.hash, w.status FROM units u"
        " LEFT JOIN latest l ON l.unit_id = u.id AND l.year = $1"
        " LEFT JOIN revisions r ON r.id = l.revision_id"
        " LEFT JOIN workflow w ON w.unit_id = u.id AND w.year = $1 WHERE u.code = $2";

/* 1: found; 0: no such unit (w says none); -1: failed. */
static int load_state(jx_store *st, const char *unit, int year, wf_state *w, jx_diags *diags)
{
	memset(w, 0, sizeof(*w));
	jx__stmt *q = jx__db_prepare(st->db, sql_state, diags);
	if (!q)
		return -1;
	jx__db_bind_int(q, 1, year);
	jx__db_bind_text(q, 2, unit);
	int rc = jx__db_step(q, diags);
	if (rc != 1)
		return rc;
	w->unit_id = jx__db_int(q, 0);
	if (!jx__db_is_null(q, 1)) {
		w->rev = (int)jx__db_int(q, 1);
		w->rev_id = jx__db_int(q, 2);
		snprintf(w->hash, sizeof w->hash, "%s", jx__db_text(q, 3) ? jx__db_text(q, 3) : "");
	}
	if (jx__db_is_null(q, 4) || !jx_wf_status_parse(jx__db_text(q, 4), &w->status))
		w->status = w->rev ? JX_WF_DRAFT : JX_WF_NONE;
	jx__db_reset(q);
	return 1;
}

static void conflict(jx_store *st, const char *unit, int year, int latest, int base,
                     jx_diags *diags)
{
	char based[32] = "空白表";
	if (base)
		snprintf(based, sizeof based, "第 %d 版", base);
	if (latest)
		jx__db_error(st->db, diags, "Q13",
		             "单位“%s” %d 年的自评已有第 %d 版，而这次修改基于%s；"
		             "请在最新版本上重新修改",
		             unit, year, latest, based);
	else
		jx__db_error(st->db, diags, "Q13",
		             "单位“%s” %d 年的自评还没有保存的版本，而这次修改基于%s", unit, year,
		             based);
}

/* ---- saving ---- */

jx_status jx__wf_before_save(jx_store *st, const char *unit, int year, int base_rev,
                             const char *hash, jx_import_result *res, bool *stop, jx_diags *diags)
{
	wf_state w;
	*stop = false;
	if (load_state(st, unit, year, &w, diags) < 0)
		return JX_ERR_INVALID;
	res->rev = w.rev;
	if (w.rev != base_rev) {
		conflict(st, unit, year, w.rev, base_rev, diags);
		res->outcome = JX_IMPORT_CONFLICT;
		*stop = true;
		return JX_OK;
	}
	switch (w.status) {
	case JX_WF_SUBMITTED:
	case JX_WF_RESUBMITTED:
	case JX_WF_ACCEPTED:
	case JX_WF_PUBLISHED:
		jx__db_error(st->db, diags, "Q14", "单位“%s” %d 年的自评%s，不能修改", unit, year,
		             jx_wf_status_label(w.status));
		return JX_ERR_USAGE;
	default:
		break;
	}
	if (w.rev && !strcmp(w.hash, hash)) {
		res->outcome = JX_IMPORT_UNCHANGED;
		*stop = true;
	}
	return JX_OK;
}

static const char sql_wf_save[] =
        "INSERT INTO workflow (unit_id, year, status, revision_id, updated_at, updated_by)"
        " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (unit_id, year) DO UPDATE SET"
        " status = CASE WHEN workflow.status = 'returned' THEN 'returned'"
        " ELSE excluded.status END, revision_id = excluded.revision_id,"
        " updated_at = excluded.updated_at, updated_by = excluded.updated_by";
static const char sql_wf_set[] =
        "INSERT INTO workflow (unit_id, year, status, revision_id, updated_at, updated_by)"
        " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (unit_id, year) DO UPDATE SET"
        " status = excluded.status, revision_id = excluded.revision_id,"
        " updated_at = excluded.updated_at, updated_by = excluded.updated_by";
static const char sql_event[] =
        "INSERT INTO events (at, user_id, action, unit_code, year, revision_id, detail)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7)";

static jx_status set_workflow(jx_store *st, const char *sql, int64_t unit_id, int year,
                              jx_wf_status s, int64_t rev_id, int64_t user_id, int64_t now,
                              jx_diags *diags)
{
	jx__stmt *q = jx__db_prepare(st->db, sql, diags);
	if (!q)
		return JX_ERR_INVALID;
	jx__db_bind_int(q, 1, unit_id);
	jx__db_bind_int(q, 2, year);
	jx__db_bind_text(q, 3, jx_wf_status_name(s));
	if (rev_id > 0)
		jx__db_bind_int(q, 4, rev_id);
	else
		jx__db_bind_null(q, 4);
	jx__db_bind_int(q, 5, now);
	bind_user(q, 6, user_id);
	return jx__db_step(q, diags) == 0 ? JX_OK : JX_ERR_INVALID;
}

static jx_status add_event(jx_store *st, int64_t now, int64_t user_id, const char *action,
                           const char *unit, int year, int64_t rev_id, const char *detail,
                           jx_diags *diags)
{
	jx__stmt *q = jx__db_prepare(st->db, sql_event, diags);
	if (!q)
		return JX_ERR_INVALID;
	jx__db_bind_int(q, 1, now);
	bind_user(q, 2, user_id);
	jx__db_bind_text(q, 3, action);
	jx__db_bind_text(q, 4, unit);
	if (year)
		jx__db_bind_int(q, 5, year);
	else
		jx__db_bind_null(q, 5);
	if (rev_id > 0)
		jx__db_bind_int(q, 6, rev_id);
	else
		jx__db_bind_null(q, 6);
	jx__db_bind_text(q, 7, detail);
	return jx__db_step(q, diags) == 0 ? JX_OK : JX_ERR_INVALID;
}

jx_status jx__wf_after_save(jx_store *st, int64_t unit_id, const char *unit, int year,
                            int64_t rev_id, const jx_store_save_opts *o, int64_t now,
                            jx_diags *diags)
{
	jx_status s = set_workflow(st, sql_wf_save, unit_id, year, JX_WF_DRAFT, rev_id, o->user_id,
	                           now, diags);
	if (s != JX_OK)
		return s;
	return add_event(st, now, o->user_id, "save", unit, year, rev_id, o->file ? o->file : "web",
	                 diags);
}

/* ---- moving on ---- */

/* The status an action leads to from s; NONE if it is not allowed. */
static jx_wf_status next_status(jx_wf_status s, jx_wf_action a)
{
	switch (a) {
	case JX_WF_SUBMIT:
		return s == JX_WF_DRAFT      ? JX_WF_SUBMITTED
		       : s == JX_WF_RETURNED ? JX_WF_RESUBMITTED
		                             : JX_WF_NONE;
	case JX_WF_RETURN:
		return s == JX_WF_SUBMITTED || s == JX_WF_RESUBMITTED ? JX_WF_RETURNED : JX_WF_NONE;
	case JX_WF_ACCEPT:
		return s == JX_WF_SUBMITTED || s == JX_WF_RESUBMITTED ? JX_WF_ACCEPTED : JX_WF_NONE;
	case JX_WF_PUBLISH:
		return s == JX_WF_ACCEPTED ? JX_WF_PUBLISHED : JX_WF_NONE;
	}
	return JX_WF_NONE;
}

static bool has_comment(const jx_store_transition_opts *o)
{
	if (o->comment && *o->comment)
		return true;
	for (size_t i = 0; i < o->nfields; i++)
		if (o->fields[i].text && *o->fields[i].text)
			return true;
	return false;
}

static const char sql_open_findings[] =
        "SELECT e.errors, (SELECT count(*) FROM findings f WHERE f.revision_id = $1"
        " AND f.severity = 1 AND coalesce(f.explanation, '') = '')"
        " FROM evaluations e WHERE e.revision_id = $1";

/* Q16 if the latest revision has errors or unexplained warnings. */
static jx_status check_submit(jx_store *st, const jx_store_transition_opts *o, const wf_state *w,
                              jx_diags *diags)
{
	jx__stmt *q = jx__db_prepare(st->db, sql_open_findings, diags);
	if (!q)
		return JX_ERR_INVALID;
	jx__db_bind_int(q, 1, w->rev_id);
	if (jx__db_step(q, diags) != 1)
		return JX_ERR_INVALID;
	long long errors = jx__db_int(q, 0), open = jx__db_int(q, 1);
	jx__db_reset(q);
	if (!errors && !open)
		return JX_OK;
	char what[128];
	if (errors && open)
		snprintf(what, sizeof what, "还有 %lld 个错误、%lld 个警告未写说明", errors, open);
	else if (errors)
		snprintf(what, sizeof what, "还有 %lld 个错误", errors);
	else
		snprintf(what, sizeof what, "还有 %lld 个警告未写说明", open);
	jx__db_error(st->db, diags, "Q16", "单位“%s” %d 年的自评（第 %d 版）%s，不能提交", o->unit,
	             o->year, w->rev, what);
	return JX_ERR_INVALID;
}

static const char sql_comment_add[] =
        "INSERT INTO comments (unit_id, year, revision_id, user_id, at, path, text)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7)";

static jx_status add_comment(jx_store *st, const jx_store_transition_opts *o, const wf_state *w,
                             int64_t now, const char *path, const char *text, jx_diags *diags)
{
	if (!text || !*text)
		return JX_OK;
	jx__stmt *q = jx__db_prepare(st->db, sql_comment_add, diags);
	if (!q)
		return JX_ERR_INVALID;
	jx__db_bind_int(q, 1, w->unit_id);
	jx__db_bind_int(q, 2, o->year);
	if (w->rev_id > 0)
		jx__db_bind_int(q, 3, w->rev_id);
	else
		jx__db_bind_null(q, 3);
	bind_user(q, 4, o->user_id);
	jx__db_bind_int(q, 5, now);
	jx__db_bind_text(q, 6, path);
	jx__db_bind_text(q, 7, text);
	return jx__db_step(q, diags) == 0 ? JX_OK : JX_ERR_INVALID;
}

/* Inside the transaction: checks, then the workflow row, comments, event. */
static jx_status transition(jx_store *st, const jx_store_transition_opts *o, int64_t now,
                            jx_wf_status *out, jx_diags *diags)
{
	wf_state w;
	int rc = load_state(st, o->unit, o->year, &w, diags);
	if (rc < 0)
		return JX_ERR_INVALID;
	if (rc == 0) {
		jx__db_error(st->db, diags, "Q09", "数据库中没有单位“%s”", o->unit);
		return JX_ERR_INVALID;
	}
	if (w.rev != o->expect_rev) {
		conflict(st, o->unit, o->year, w.rev, o->expect_rev, diags);
		return JX_ERR_INVALID;
	}
	jx_wf_status to = next_status(w.status, o->action);
	if (to == JX_WF_NONE) {
		jx__db_error(st->db, diags, "Q17", "单位“%s” %d 年的自评当前状态为“%s”，不能%s",
		             o->unit, o->year, jx_wf_status_label(w.status),
		             (unsigned)o->action < NACTION ? action_labels[o->action] : "这样操作");
		return JX_ERR_INVALID;
	}
	if (o->action == JX_WF_RETURN && !has_comment(o)) {
		jx__db_error(st->db, diags, "Q15", "退回时须写明意见（总体意见或对某一项的意见）");
		return JX_ERR_USAGE;
	}
	jx_status s;
	if (o->action == JX_WF_SUBMIT && (s = check_submit(st, o, &w, diags)) != JX_OK)
		return s;
	if ((s = set_workflow(st, sql_wf_set, w.unit_id, o->year, to, w.rev_id, o->user_id, now,
	                      diags)) != JX_OK ||
	    (s = add_comment(st, o, &w, now, NULL, o->comment, diags)) != JX_OK)
		return s;
	for (size_t i = 0; i < o->nfields; i++)
		if ((s = add_comment(st, o, &w, now, o->fields[i].path, o->fields[i].text,
		                     diags)) != JX_OK)
			return s;
	char detail[64];
	snprintf(detail, sizeof detail, "%s→%s", jx_wf_status_name(w.status),
	         jx_wf_status_name(to));
	if ((s = add_event(st, now, o->user_id, action_names[o->action], o->unit, o->year, w.rev_id,
	                   detail, diags)) != JX_OK)
		return s;
	*out = to;
	return JX_OK;
}

jx_status jx_store_transition(jx_store *st, const jx_store_transition_opts *o, jx_wf_status *out,
                              jx_diags *diags)
{
	if (jx__db_readonly(st->db)) {
		jx__db_error(st->db, diags, "Q05", "数据库以只读方式打开，不能修改状态");
		return JX_ERR_USAGE;
	}
	int64_t now = o->now >= 0 ? o->now : (int64_t)time(NULL);
	jx_status s = jx__db_begin(st->db, true, diags);
	if (s != JX_OK)
		return s;
	if ((s = transition(st, o, now, out, diags)) != JX_OK) {
		jx__db_rollback(st->db);
		return s;
	}
	return jx__db_commit(st->db, diags);
}

/* ---- reading ---- */

/* A store older than version 3 (read without upgrading) has no workflow
 * rows and no explanations: its unit-years are at 未填报 or 草稿. */
#define SQL_DESK(status, unexplained, updated, from_workflow)                                      \
	"SELECT u.code, u.name, u.parent_code, u.parent_name, " status ", r.rev, r.id,"            \
	" e.total, e.stated_total, e.grade, e.stated_grade, e.errors, e.warnings, e.infos,"        \
	" " unexplained ", " updated ", r.imported_at FROM units u"                                \
	" LEFT JOIN latest l ON l.unit_id = u.id AND l.year = $1"                                  \
	" LEFT JOIN revisions r ON r.id = l.revision_id"                                           \
	" LEFT JOIN evaluations e ON e.revision_id = r.id" from_workflow                           \
	" WHERE ($2 IS NULL OR u.code = $2) ORDER BY u.code"
static const char sql_desk[] =
        SQL_DESK("w.status",
                 "(SELECT count(*) FROM findings f WHERE f.revision_id = r.id AND f.severity = 1"
                 " AND coalesce(f.explanation, '') = '')",
                 "w.updated_at", " LEFT JOIN workflow w ON w.unit_id = u.id AND w.year = $1");
static const char sql_desk_2[] = SQL_DESK("NULL", "e.warnings", "NULL", "");

static void read_desk_row(jx__stmt *q, int year, jx_store_desk_row *r)
{
	memset(r, 0, sizeof(*r));
	r->unit = jx__db_text(q, 0);
	r->unit_name = jx__db_text(q, 1);
	r->parent = jx__db_text(q, 2);
	r->parent_name = jx__db_text(q, 3);
	r->year = year;
	if (!jx__db_is_null(q, 5)) {
		r->rev = (int)jx__db_int(q, 5);
		r->rev_id = jx__db_int(q, 6);
	}
	if (jx__db_is_null(q, 4) || !jx_wf_status_parse(jx__db_text(q, 4), &r->status))
		r->status = r->rev ? JX_WF_DRAFT : JX_WF_NONE;
	if ((r->has_total = !jx__db_is_null(q, 7)))
		r->total.raw = jx__db_int(q, 7);
	if ((r->has_stated_total = !jx__db_is_null(q, 8)))
		r->stated_total.raw = jx__db_int(q, 8);
	r->grade = jx__db_text(q, 9);
	r->stated_grade = jx__db_text(q, 10);
	r->errors = (size_t)jx__db_int(q, 11);
	r->warnings = (size_t)jx__db_int(q, 12);
	r->infos = (size_t)jx__db_int(q, 13);
	r->unexplained = r->rev ? (size_t)jx__db_int(q, 14) : 0;
	int64_t wf = jx__db_int(q, 15), imported = jx__db_int(q, 16);
	r->updated_at = wf > imported ? wf : imported;
}

jx_status jx_store_desk(jx_store *st, int year, const char *unit, int status, jx_store_desk_cb cb,
                        void *ctx, jx_diags *diags)
{
	jx__stmt *q = jx__db_prepare(st->db, st->version >= 3 ? sql_desk : sql_desk_2, diags);
	if (!q)
		return JX_ERR_INVALID;
	jx__db_bind_int(q, 1, year);
	jx__db_bind_text(q, 2, unit);
	int rc;
	while ((rc = jx__db_step(q, diags)) == 1) {
		jx_store_desk_row r;
		read_desk_row(q, year, &r);
		if (status >= 0 && (int)r.status != status)
			continue;
		jx_status s = cb(ctx, &r);
		if (s != JX_OK) {
			jx__db_reset(q);
			return s;
		}
	}
	return rc < 0 ? JX_ERR_INVALID : JX_OK;
}

static const char sql_comments[] =
        "SELECT c.at, coalesce(us.name, ''), c.path, c.text, coalesce(r.rev, 0)"
        " FROM comments c JOIN units u ON u.id = c.unit_id"
        " LEFT JOIN users us ON us.id = c.user_id LEFT JOIN revisions r ON r.id = c.revision_id"
        " WHERE u.code = $1 AND c.year = $2 ORDER BY c.at, c.id";

jx_status jx_store_comments(jx_store *st, const char *unit, int year, jx_store_comment_cb cb,
                            void *ctx, jx_diags *diags)
{
	if (st->version < 3)
		return JX_OK; /* no comments before version 3 */
	jx__stmt *q = jx__db_prepare(st->db, sql_comments, diags);
	if (!q)
		return JX_ERR_INVALID;
	jx__db_bind_text(q, 1, unit);
	jx__db_bind_int(q, 2, year);
	int rc;
	while ((rc = jx__db_step(q, diags)) == 1) {
		jx_store_comment c = {jx__db_int(q, 0), jx__db_text(q, 1), jx__db_text(q, 2),
		                      jx__db_text(q, 3), (int)jx__db_int(q, 4)};
		jx_status s = cb(ctx, &c);
		if (s != JX_OK) {
			jx__db_reset(q);
			return s;
		}
	}
	return rc < 0 ? JX_ERR_INVALID : JX_OK;
}

static const char sql_events[] =
        "SELECT e.at, coalesce(us.name, ''), e.action, coalesce(e.unit_code, ''),"
        " coalesce(e.year, 0), coalesce(r.rev, 0), coalesce(e.detail, '') FROM events e"
        " LEFT JOIN users us ON us.id = e.user_id LEFT JOIN revisions r ON r.id = e.revision_id"
        " WHERE $1 IS NULL OR (e.unit_code = $1 AND ($2 = 0 OR e.year = $2))"
        " ORDER BY e.at, e.id";

jx_status jx_store_events(jx_store *st, const char *unit, int year, jx_store_event_cb cb, void *ctx,
                          jx_diags *diags)
{
	if (st->version < 2)
		return JX_OK; /* no log before version 2 */
	jx__stmt *q = jx__db_prepare(st->db, sql_events, diags);
	if (!q)
		return JX_ERR_INVALID;
	jx__db_bind_text(q, 1, unit);
	jx__db_bind_int(q, 2, year);
	int rc;
	while ((rc = jx__db_step(q, diags)) == 1) {
		jx_store_event e = {
		        .at = jx__db_int(q, 0),
		        .user = jx__db_text(q, 1),
		        .action = jx__db_text(q, 2),
		        .unit = jx__db_text(q, 3),
		        .year = (int)jx__db_int(q, 4),
		        .rev = (int)jx__db_int(q, 5),
		        .detail = jx__db_text(q, 6),
		};
		jx_status s = cb(ctx, &e);
		if (s != JX_OK) {
			jx__db_reset(q);
			return s;
		}
	}
	return rc < 0 ? JX_ERR_INVALID : JX_OK;
}

/* ---- units ---- */

static bool valid_text(const char *s, bool required)
{
	size_t n = s ? strlen(s) : 0;
	return n ? n <= 400 && jx__utf8_valid(s, n) : !required;
}

static const char sql_unit_put[] =
        "INSERT INTO units (code, name, parent_code, parent_name) VALUES ($1, $2, $3, $4)"
        " ON CONFLICT (code) DO UPDATE SET name = excluded.name,"
        " parent_code = excluded.parent_code, parent_name = excluded.parent_name";

jx_status jx_store_unit_put(jx_store *st, const char *code, const char *name,
                            const char *parent_code, const char *parent_name, int64_t user_id,
                            jx_diags *diags)
{
	const char *why = NULL;
	if (!jx__store_word(code, 100))
		why = "单位编码应为 1 至 100 字节、不含空格的文字";
	else if (!valid_text(name, true))
		why = "单位名称应为 1 至 400 字节的文字";
	else if (parent_code && *parent_code && !jx__store_word(parent_code, 100))
		why = "上级单位编码应为 1 至 100 字节、不含空格的文字";
	else if (!valid_text(parent_name, false))
		why = "上级单位名称过长或不是 UTF-8 文字";
	if (why) {
		jx__db_error(st->db, diags, "Q11", "%s", why);
		return JX_ERR_USAGE;
	}
	if (jx__db_readonly(st->db)) {
		jx__db_error(st->db, diags, "Q05", "数据库以只读方式打开，不能修改单位");
		return JX_ERR_USAGE;
	}
	jx_status s = jx__db_begin(st->db, true, diags);
	if (s != JX_OK)
		return s;
	jx__stmt *q = jx__db_prepare(st->db, sql_unit_put, diags);
	if (q) {
		jx__db_bind_text(q, 1, code);
		jx__db_bind_text(q, 2, name);
		jx__db_bind_text(q, 3, parent_code && *parent_code ? parent_code : NULL);
		jx__db_bind_text(q, 4, parent_name && *parent_name ? parent_name : NULL);
	}
	if (!q || jx__db_step(q, diags) != 0 ||
	    (s = add_event(st, (int64_t)time(NULL), user_id, "unit.put", code, 0, 0, name,
	                   diags)) != JX_OK) {
		jx__db_rollback(st->db);
		return s != JX_OK ? s : JX_ERR_INVALID;
	}
	return jx__db_commit(st->db, diags);
}
