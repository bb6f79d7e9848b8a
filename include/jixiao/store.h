/* The store: an embedded database of units, years and every submitted
 * revision of their evaluations, for the finance bureau's batch review,
 * rankings and summaries.  A revision is never overwritten; the evaluated
 * form (results, figures, findings, every value) is stored beside the
 * source bytes, so reading thousands back needs no re-parse.
 *
 * One SQLite file in WAL mode: readers see the last committed state while
 * an import runs; each file is imported in its own transaction, so a
 * killed import leaves every finished file in and nothing half-written.
 * The database layer is behind src/store/db.h so that a PostgreSQL backend
 * can be added (docs/store.md). */
#ifndef JIXIAO_STORE_H
#define JIXIAO_STORE_H

#include "jixiao/jixiao.h"

typedef struct jx_store jx_store;

typedef enum jx_store_mode {
	JX_STORE_READ,  /* read only; the database must exist */
	JX_STORE_WRITE, /* read and write; the database must exist */
	JX_STORE_CREATE /* read and write; created (and migrated) if missing */
} jx_store_mode;

/* Opens a store and brings its schema up to date (WRITE/CREATE).  A file
 * that is not a jixiao database, is corrupt, is newer than this build or
 * cannot be written in a write mode gives NULL and a diagnostic. */
jx_store *jx_store_open(const char *path, jx_store_mode mode, const jx_allocator *alloc,
                        jx_diags *diags);
void jx_store_close(jx_store *st);
/* The schema version of an open store, and of this build. */
int jx_store_schema_version(const jx_store *st);
int jx_store_schema_latest(void);

/* ---- import ------------------------------------------------------------ */

typedef enum jx_import_outcome {
	JX_IMPORT_NEW,       /* stored as a new revision */
	JX_IMPORT_UNCHANGED, /* identical to the latest revision: nothing done */
	JX_IMPORT_REJECTED,  /* could not be loaded; reasons in diags */
	JX_IMPORT_CONFLICT   /* jx_store_save: saved by someone else since (Q13) */
} jx_import_outcome;

typedef struct jx_import_result {
	jx_import_outcome outcome;
	char unit[128]; /* unit code */
	int year, rev;
	size_t errors, warnings, infos; /* findings of the evaluation */
} jx_import_result;

/* Gives the scheme a data file names (NULL with a reason in diags if none
 * can be had).  The store does not own what it returns. */
typedef const jx_scheme *(*jx_scheme_resolver)(void *ctx, const char *name, const char *file,
                                               jx_diags *diags);

typedef struct jx_store_import_opts {
	jx_scheme_resolver resolve; /* for YAML files by their `scheme:` */
	void *resolve_ctx;
	const jx_scheme *xlsx_scheme; /* for workbooks (their scheme is not written) */
	int64_t now;                  /* import time (seconds since 1970); -1 for time() */
} jx_store_import_opts;

/* Imports one YAML data file or filled XLSX workbook (told apart by
 * content): loads, evaluates and stores it as the unit's next revision
 * of its year in one transaction.  A file that does not load is rejected
 * (JX_OK with outcome REJECTED and the reasons in diags); the return is
 * an error only when the store itself fails (then nothing is stored). */
jx_status jx_store_import_file(jx_store *st, const jx_store_import_opts *o, const char *path,
                               jx_import_result *res, jx_diags *diags);

/* ---- reading ----------------------------------------------------------- */

/* One stored revision.  Strings live until the next call on the store. */
typedef struct jx_store_rev {
	int64_t id;
	const char *unit, *unit_name, *parent, *parent_name;
	int year, rev;
	bool latest;
	const char *scheme, *format, *file, *hash;
	int64_t imported_at, size;
	bool has_total, has_stated_total;
	jx_dec total, stated_total;
	const char *grade, *stated_grade; /* NULL when blank */
	size_t errors, warnings, infos;
} jx_store_rev;

typedef jx_status (*jx_store_rev_cb)(void *ctx, const jx_store_rev *r);

typedef struct jx_store_filter {
	int year;           /* 0: every year */
	const char *unit;   /* unit code or exact name; NULL: every unit */
	bool all_revisions; /* false: the latest revision of each unit and year */
} jx_store_filter;

/* Calls cb for each matching revision, by unit code, year, revision. */
jx_status jx_store_list(jx_store *st, const jx_store_filter *f, jx_store_rev_cb cb, void *ctx,
                        jx_diags *diags);

/* Finds one revision of a unit (code or exact name) and year; rev 0 is
 * the latest, year 0 the latest year.  JX_ERR_INVALID with a diagnostic if
 * there is none. */
jx_status jx_store_find(jx_store *st, const char *unit, int year, int rev, jx_store_rev *out,
                        jx_diags *diags);

/* The years that have revisions, latest first (at most max); 0 if none. */
size_t jx_store_years(jx_store *st, int *years, size_t max, jx_diags *diags);

/* The findings stored with a revision, in the order check printed them. */

typedef jx_status (*jx_store_finding_cb)(void *ctx, const jx_store_rev *r, const jx_diag *g);
jx_status jx_store_findings(jx_store *st, int64_t rev_id, jx_store_finding_cb cb, void *ctx,
                            jx_diags *diags);

/* The review list: every finding of the latest revisions of a year (0 for
 * all years), grouped by unit; cb also sees revisions without findings
 * (with g NULL) so counts can include clean units. */
jx_status jx_store_review(jx_store *st, int year, jx_store_finding_cb cb, void *ctx,
                          jx_diags *diags);

/* Counts by rule over the latest revisions of a year (0: all years). */
typedef struct jx_store_rule_count {
	const char *rule, *title;
	jx_severity severity;
	size_t units, findings;
} jx_store_rule_count;
typedef jx_status (*jx_store_rule_cb)(void *ctx, const jx_store_rule_count *c);
jx_status jx_store_rule_counts(jx_store *st, int year, jx_store_rule_cb cb, void *ctx,
                               jx_diags *diags);

/* Every stored value of a revision: its path ("score.total",
 * "self_eval.indicators[2].score", "problems[1]"), the field's label and
 * the value as shown in reports.  In scheme order. */
typedef struct jx_store_value {
	const char *path, *label, *value;
	int group; /* 0 filled-in figure, 1 computed, 2 narrative */
} jx_store_value;
typedef jx_status (*jx_store_value_cb)(void *ctx, const jx_store_value *v);
jx_status jx_store_values(jx_store *st, int64_t rev_id, jx_store_value_cb cb, void *ctx,
                          jx_diags *diags);

/* The source bytes of a revision exactly as imported (caller frees with
 * the store's allocator). */
jx_status jx_store_source(jx_store *st, int64_t rev_id, char **buf, size_t *len, jx_diags *diags);

/* Differences between two revisions' values. */
typedef struct jx_store_change {
	const char *path, *label;
	const char *from, *to; /* NULL when absent on that side */
	int group;             /* as jx_store_value.group */
} jx_store_change;
typedef jx_status (*jx_store_change_cb)(void *ctx, const jx_store_change *c);
jx_status jx_store_diff(jx_store *st, int64_t from_id, int64_t to_id, jx_store_change_cb cb,
                        void *ctx, jx_diags *diags);

/* Checks the database file (SQLite's integrity check) and the store's own
 * invariants (every revision has its evaluation, latest points at the
 * highest revision, hashes match the source bytes).  Problems go to diags
 * as errors; JX_OK if there are none. */
jx_status jx_store_verify(jx_store *st, jx_diags *diags);

/* Writes the review list of a year (0: all years) as an XLSX workbook:
 * a sheet of findings by unit and a sheet of counts by rule. */
jx_status jx_store_review_write(jx_store *st, int year, const char *path,
                                const jx_report_opts *opts, jx_diags *diags);

/* ---- accounts (jixiao user, jixiao serve) ------------------------------- */

typedef enum jx_role {
	JX_ROLE_ADMIN,    /* units and users */
	JX_ROLE_REVIEWER, /* the finance bureau: every unit */
	JX_ROLE_FILLER    /* one unit: its own drafts */
} jx_role;

const char *jx_role_name(jx_role r);             /* "admin", "reviewer", "filler" */
bool jx_role_parse(const char *s, jx_role *out); /* false if s names no role */

typedef struct jx_store_user {
	int64_t id;
	char name[68];
	jx_role role;
	char unit[128]; /* a filler's unit code; "" otherwise */
} jx_store_user;

/* Adds an account; the password (8 to 1024 bytes) is stored only as an
 * argon2id hash.  The first account of a store must be an admin; a filler
 * needs a unit, the others have none.  Problems are Q11 (JX_ERR_USAGE). */
jx_status jx_store_user_add(jx_store *st, const char *name, jx_role role, const char *unit,
                            const char *password, jx_diags *diags);
/* Checks a name and password; JX_ERR_INVALID with Q12 if they do not match
 * (the same answer, and the same work, for an unknown name). */
jx_status jx_store_user_login(jx_store *st, const char *name, const char *password,
                              jx_store_user *out, jx_diags *diags);
typedef jx_status (*jx_store_user_cb)(void *ctx, const jx_store_user *u);
/* Every account, by name (no hashes). */
jx_status jx_store_users(jx_store *st, jx_store_user_cb cb, void *ctx, jx_diags *diags);

/* Looks up an account by id (the web application's sessions).
 * JX_ERR_INVALID with Q11 if there is none. */
jx_status jx_store_user_get(jx_store *st, int64_t id, jx_store_user *out, jx_diags *diags);

/* Sessions of the web application: the token is 32 random bytes in hex
 * (64 characters and a NUL); only its SHA-256 (hex) is stored.  csrf is
 * another 32 random bytes in hex, stored as is.  now -1: time(). */
jx_status jx_store_session_new(jx_store *st, int64_t user_id, int64_t now, int64_t ttl_seconds,
                               char token[65], char csrf[65], jx_diags *diags);
/* JX_OK with the account and the session's csrf if token names a live
 * session (now < its expiry) of an enabled account; JX_ERR_INVALID without
 * a diagnostic otherwise.  Finding an expired session deletes every
 * expired one (in a store opened for writing). */
jx_status jx_store_session_get(jx_store *st, const char *token, int64_t now, jx_store_user *user,
                               char csrf[65], jx_diags *diags);
/* Ends a session (JX_OK also when there is none). */
jx_status jx_store_session_end(jx_store *st, const char *token, jx_diags *diags);

/* ---- workflow (jixiao serve) ------------------------------------------- */

/* Where a unit's self-evaluation of a year stands.  Role checks are the
 * web application's; the store checks only which move is allowed. */
typedef enum jx_wf_status {
	JX_WF_NONE,        /* nothing saved yet: 未填报 */
	JX_WF_DRAFT,       /* 草稿 */
	JX_WF_SUBMITTED,   /* 已提交 */
	JX_WF_RETURNED,    /* 已退回 */
	JX_WF_RESUBMITTED, /* 已重新提交 */
	JX_WF_ACCEPTED,    /* 已通过 */
	JX_WF_PUBLISHED    /* 已公开 */
} jx_wf_status;
/* "none", "draft", "submitted", "returned", "resubmitted", "accepted",
 * "published" (as stored in workflow.status). */
const char *jx_wf_status_name(jx_wf_status s);
const char *jx_wf_status_label(jx_wf_status s); /* 未填报 … 已公开 */
bool jx_wf_status_parse(const char *s, jx_wf_status *out);

typedef enum jx_wf_action { JX_WF_SUBMIT, JX_WF_RETURN, JX_WF_ACCEPT, JX_WF_PUBLISH } jx_wf_action;

typedef struct jx_store_save_opts {
	int64_t user_id;            /* who saves (events.user_id); 0: nobody in particular */
	const char *unit;           /* the unit the saver may write: the data's unit code must
	                               equal it (else rejected, Q08); NULL: any unit */
	int base_rev;               /* the revision the editor started from; 0 when none */
	const jx_scheme *scheme;    /* for XLSX bytes; YAML names its scheme: resolve */
	jx_scheme_resolver resolve; /* may be NULL when only XLSX is saved */
	void *resolve_ctx;
	const char *file; /* a name for the source ("web", an uploaded file's name) */
	int64_t now;      /* -1: time() */
} jx_store_save_opts;

/* Saves a draft from memory (YAML/JSON text, or XLSX bytes told apart by
 * content), loading and evaluating it as jx_store_import_file does, in one
 * write transaction:
 *  - the unit-year's latest revision is not base_rev: outcome CONFLICT and
 *    a Q13 diagnostic naming the latest revision (nothing stored);
 *  - the status is submitted, resubmitted, accepted or published: refused,
 *    JX_ERR_USAGE with Q14;
 *  - bytes identical to the unit-year's latest revision: UNCHANGED;
 *  - otherwise a new revision, the workflow row at draft (kept at returned
 *    if it was returned) pointing at it, and an events row "save".
 * res gets unit, year, rev (the latest on CONFLICT) and the counts.
 * Returns JX_OK for NEW, UNCHANGED, REJECTED and CONFLICT. */
jx_status jx_store_save(jx_store *st, const jx_store_save_opts *o, const char *buf, size_t len,
                        jx_import_result *res, jx_diags *diags);

typedef struct jx_store_field_comment {
	const char *path, *text;
} jx_store_field_comment;

typedef struct jx_store_transition_opts {
	int64_t user_id;
	const char *unit; /* unit code */
	int year;
	jx_wf_action action;
	int expect_rev; /* the revision the actor looked at; another latest: Q13 */
	/* Overall comment, may be NULL.  RETURN needs a comment or at least
	 * one field comment with text (Q15). */
	const char *comment;
	const jx_store_field_comment *fields;
	size_t nfields;
	int64_t now; /* -1: time() */
} jx_store_transition_opts;

/* Moves a unit-year on: SUBMIT draft→submitted, returned→resubmitted;
 * RETURN submitted|resubmitted→returned; ACCEPT submitted|resubmitted→
 * accepted; PUBLISH accepted→published.  Refusals, with nothing written:
 * another latest revision than expect_rev (Q13, JX_ERR_INVALID); a SUBMIT
 * while the latest revision has errors or warnings without a written
 * explanation (Q16, JX_ERR_INVALID); any other move (Q17, JX_ERR_INVALID);
 * a RETURN without a comment (Q15, JX_ERR_USAGE); an unknown unit (Q09).
 * Records the comments and an events row, in one write transaction; *out
 * gets the new status. */
jx_status jx_store_transition(jx_store *st, const jx_store_transition_opts *o, jx_wf_status *out,
                              jx_diags *diags);

/* The desk: one row per unit of the store (units table) for a year, with
 * or without revisions.  status is NONE without a workflow row or
 * revision, DRAFT with revisions but no workflow row (a `db import`).
 * Strings live until the callback returns. */
typedef struct jx_store_desk_row {
	const char *unit, *unit_name, *parent, *parent_name; /* parents may be NULL */
	int year;
	jx_wf_status status;
	int rev;        /* latest revision; 0 when none */
	int64_t rev_id; /* 0 when none */
	bool has_total, has_stated_total;
	jx_dec total, stated_total;
	const char *grade, *stated_grade; /* NULL when blank */
	size_t errors, warnings, unexplained, infos;
	int64_t updated_at; /* last save, import or transition; 0 if none */
} jx_store_desk_row;
typedef jx_status (*jx_store_desk_cb)(void *ctx, const jx_store_desk_row *r);
/* By unit code.  unit: NULL for all, else one unit code; status: -1 for
 * all, else a jx_wf_status. */
jx_status jx_store_desk(jx_store *st, int year, const char *unit, int status, jx_store_desk_cb cb,
                        void *ctx, jx_diags *diags);

/* Comments of a unit-year, oldest first.  user is the commenter's name
 * ("" if unknown), path NULL for an overall comment, rev 0 if none. */
typedef struct jx_store_comment {
	int64_t at;
	const char *user, *path, *text;
	int rev;
} jx_store_comment;
typedef jx_status (*jx_store_comment_cb)(void *ctx, const jx_store_comment *c);
jx_status jx_store_comments(jx_store *st, const char *unit, int year, jx_store_comment_cb cb,
                            void *ctx, jx_diags *diags);

/* The log of a unit-year (year 0: every year of the unit; unit NULL:
 * everything), oldest first.  user, unit and detail are "" when not
 * recorded; rev 0 when none.  Actions: "save", "submit", "return",
 * "accept", "publish", "unit.put", "user.add". */
typedef struct jx_store_event {
	int64_t at;
	const char *user, *action, *unit;
	int year, rev;
	const char *detail;
} jx_store_event;
typedef jx_status (*jx_store_event_cb)(void *ctx, const jx_store_event *e);
jx_status jx_store_events(jx_store *st, const char *unit, int year, jx_store_event_cb cb, void *ctx,
                          jx_diags *diags);

/* Adds a unit (admin), or updates the name and parent of an existing code.
 * A bad code or empty name is Q11 (JX_ERR_USAGE). */
jx_status jx_store_unit_put(jx_store *st, const char *code, const char *name,
                            const char *parent_code, const char *parent_name, int64_t user_id,
                            jx_diags *diags);

/* ---- summary ----------------------------------------------------------- */

/* Writes the summary of a year ("xlsx" with native charts, or "html" with
 * SVG charts) to path, atomically. */
jx_status jx_store_summary(jx_store *st, int year, const char *format, const char *path,
                           const jx_report_opts *opts, jx_diags *diags);

#endif
