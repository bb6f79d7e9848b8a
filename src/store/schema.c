/* The store's schema and its migrations.  The schema version lives in the
 * database (SQLite: PRAGMA user_version); opening a store for writing
 * applies every migration above it, each in its own transaction, so a
 * store is always at one version or the next, never between.
 *
 * Exact decimals are INTEGER micro-units (jx_dec raw), so sums and
 * orderings in SQL are exact.  A revision's source bytes are kept as
 * imported; its evaluation is kept beside it (results, figures, findings
 * and every value as text) so reading needs no re-parse. */
#include "store_int.h"

static const char *const migrations[] = {
        /* 1: units, schemes, revisions, evaluations, figures, findings */
        "CREATE TABLE schemes ("
        " id INTEGER PRIMARY KEY,"
        " name TEXT NOT NULL, version INTEGER NOT NULL, title TEXT,"
        " hash TEXT NOT NULL UNIQUE, source BLOB NOT NULL);"
        "CREATE TABLE rules ("
        " scheme_id INTEGER NOT NULL REFERENCES schemes(id),"
        " rule TEXT NOT NULL, title TEXT, severity INTEGER NOT NULL,"
        " PRIMARY KEY (scheme_id, rule));"
        "CREATE TABLE units ("
        " id INTEGER PRIMARY KEY,"
        " code TEXT NOT NULL UNIQUE, name TEXT NOT NULL,"
        " parent_code TEXT, parent_name TEXT);"
        "CREATE INDEX units_name ON units(name);"
        "CREATE TABLE revisions ("
        " id INTEGER PRIMARY KEY,"
        " unit_id INTEGER NOT NULL REFERENCES units(id),"
        " year INTEGER NOT NULL, rev INTEGER NOT NULL,"
        " scheme_id INTEGER NOT NULL REFERENCES schemes(id),"
        " format TEXT NOT NULL, file TEXT NOT NULL, imported_at INTEGER NOT NULL,"
        " hash TEXT NOT NULL, size INTEGER NOT NULL,"
        " UNIQUE (unit_id, year, rev));"
        /* The large parts live apart, so scans of revisions and results
         * read few pages. */
        "CREATE TABLE sources ("
        " revision_id INTEGER PRIMARY KEY REFERENCES revisions(id), source BLOB NOT NULL);"
        "CREATE INDEX revisions_hash ON revisions(hash);"
        "CREATE TABLE evaluations ("
        " revision_id INTEGER PRIMARY KEY REFERENCES revisions(id),"
        " total INTEGER, stated_total INTEGER, grade TEXT, stated_grade TEXT,"
        " errors INTEGER NOT NULL, warnings INTEGER NOT NULL, infos INTEGER NOT NULL);"
        "CREATE TABLE vals ("
        " revision_id INTEGER PRIMARY KEY REFERENCES revisions(id), vals BLOB NOT NULL);"
        "CREATE TABLE figures ("
        " revision_id INTEGER NOT NULL REFERENCES revisions(id),"
        " metric TEXT NOT NULL, value INTEGER NOT NULL,"
        " PRIMARY KEY (revision_id, metric));"
        "CREATE TABLE findings ("
        " revision_id INTEGER NOT NULL REFERENCES revisions(id),"
        " seq INTEGER NOT NULL, rule TEXT NOT NULL, severity INTEGER NOT NULL,"
        " message TEXT NOT NULL, note TEXT, path TEXT, line INTEGER, col INTEGER,"
        " expected TEXT, actual TEXT, difference TEXT, tail INTEGER NOT NULL,"
        " PRIMARY KEY (revision_id, seq));"
        "CREATE INDEX findings_rule ON findings(rule);"
        /* The latest revision of each unit and year: what reviews read. */
        "CREATE TABLE latest ("
        " unit_id INTEGER NOT NULL REFERENCES units(id), year INTEGER NOT NULL,"
        " revision_id INTEGER NOT NULL UNIQUE REFERENCES revisions(id),"
        " PRIMARY KEY (unit_id, year));"
        "CREATE INDEX latest_year ON latest(year);",
        /* 2: accounts, sessions and the log of who did what (jixiao serve) */
        "CREATE TABLE users ("
        " id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
        " role TEXT NOT NULL CHECK (role IN ('admin', 'reviewer', 'filler')),"
        " unit_code TEXT, pwhash TEXT NOT NULL, created_at INTEGER NOT NULL,"
        " disabled INTEGER NOT NULL DEFAULT 0);"
        "CREATE TABLE sessions ("
        " token_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id),"
        " csrf TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);"
        "CREATE INDEX sessions_user ON sessions(user_id);"
        "CREATE TABLE events ("
        " id INTEGER PRIMARY KEY, at INTEGER NOT NULL, user_id INTEGER REFERENCES users(id),"
        " action TEXT NOT NULL, unit_code TEXT, year INTEGER, revision_id INTEGER,"
        " detail TEXT);",
        /* 3: the workflow of the web application: where each unit-year
         * stands, reviewers' comments, and warnings' written explanations */
        "ALTER TABLE findings ADD COLUMN explanation TEXT;"
        "CREATE TABLE workflow ("
        " unit_id INTEGER NOT NULL REFERENCES units(id), year INTEGER NOT NULL,"
        " status TEXT NOT NULL, revision_id INTEGER REFERENCES revisions(id),"
        " updated_at INTEGER NOT NULL, updated_by INTEGER REFERENCES users(id),"
        " PRIMARY KEY (unit_id, year));"
        "CREATE TABLE comments ("
        " id INTEGER PRIMARY KEY, unit_id INTEGER NOT NULL, year INTEGER NOT NULL,"
        " revision_id INTEGER, user_id INTEGER, at INTEGER NOT NULL, path TEXT,"
        " text TEXT NOT NULL);"
        "CREATE INDEX comments_unit_year ON comments(unit_id, year);"
        "CREATE INDEX events_unit_year ON events(unit_code, year);",
};

int jx_store_schema_latest(void)
{
	return (int)(sizeof migrations / sizeof migrations[0]);
}

static jx_status apply(jx__db *db, int version, jx_diags *diags)
{
	jx_status st = jx__db_begin(db, true, diags);
	if (st != JX_OK)
		return st;
	/* Another process may have migrated while this one waited for the lock. */
	int now;
	bool ours;
	if ((st = jx__db_get_version(db, &now, &ours, diags)) != JX_OK) {
		jx__db_rollback(db);
		return st;
	}
	if (now >= version)
		return jx__db_commit(db, diags);
	if ((st = jx__db_exec(db, migrations[version - 1], diags)) != JX_OK ||
	    (st = jx__db_set_version(db, version, diags)) != JX_OK) {
		jx__db_rollback(db);
		return st;
	}
	return jx__db_commit(db, diags);
}

jx_status jx__schema_migrate(jx__db *db, int *version, jx_diags *diags)
{
	bool ours;
	jx_status st = jx__db_get_version(db, version, &ours, diags);
	if (st != JX_OK)
		return st;
	if (!ours) {
		jx__db_error(db, diags, "Q03", "不是 jixiao 的数据库（文件中有其他程序的表）");
		return JX_ERR_INVALID;
	}
	if (*version > jx_store_schema_latest()) {
		jx__db_error(db, diags, "Q04",
		             "数据库结构版本 %d 比本程序支持的 %d 新，请升级 jixiao", *version,
		             jx_store_schema_latest());
		return JX_ERR_INVALID;
	}
	/* Reading needs only version 1's tables; an older store is upgraded by
	 * the next command that writes. */
	if (jx__db_readonly(db)) {
		if (*version < 1) {
			jx__db_error(db, diags, "Q04",
			             "数据库尚未建立结构（先运行 jixiao db init）");
			return JX_ERR_INVALID;
		}
		return JX_OK;
	}
	return jx__schema_migrate_to(db, jx_store_schema_latest(), version, diags);
}

jx_status jx__schema_migrate_to(jx__db *db, int target, int *version, jx_diags *diags)
{
	jx_status st;
	while (*version < target) {
		if ((st = apply(db, *version + 1, diags)) != JX_OK)
			return st;
		++*version;
	}
	return JX_OK;
}
