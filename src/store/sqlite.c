/* The store's database connection on SQLite: one file, WAL journal (readers
 * never wait for the importer), a busy timeout for a second writer, and
 * SQLite's result codes turned into diagnostics a user can act on. */
#include "db.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* 'JXAO': marks the file as jixiao's, so a foreign SQLite file is refused. */
#define JX_APPLICATION_ID 0x4A58414F
#define BUSY_MS           10000

struct jx__stmt {
	jx__db *db;
	sqlite3_stmt *st;
	const char *sql;
	jx__stmt *next;
};

struct jx__db {
	const jx_allocator *alloc;
	sqlite3 *h;
	char *target;
	bool readonly;
	jx__stmt *stmts;
};

const char *jx__db_target(const jx__db *db)
{
	return db->target;
}

jx__dialect jx__db_dialect(const jx__db *db)
{
	(void)db;
	return JX_DB_SQLITE;
}

bool jx__db_readonly(const jx__db *db)
{
	return db->readonly;
}

static void diag_v(jx_diags *diags, const char *target, const char *id, const char *fmt, va_list ap)
        __attribute__((format(printf, 4, 0)));
static void diag_v(jx_diags *diags, const char *target, const char *id, const char *fmt, va_list ap)
{
	jx__diag_spec spec = {.sev = JX_SEV_FATAL, .id = id, .loc = {target, 0, 0}};
	jx__diag_vadd(diags, &spec, fmt, ap);
}

void jx__db_error(jx__db *db, jx_diags *diags, const char *id, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_v(diags, db ? db->target : NULL, id, fmt, ap);
	va_end(ap);
}

/* What a SQLite result code means for the user, and its diagnostic id. */
static const char *explain(int rc, const char **id)
{
	switch (rc & 0xff) {
	case SQLITE_NOTADB:
		*id = "Q02";
		return "不是数据库文件，或文件已损坏";
	case SQLITE_CORRUPT:
		*id = "Q02";
		return "数据库文件已损坏（可用 jixiao db verify 检查，从备份恢复）";
	case SQLITE_READONLY:
		*id = "Q05";
		return "数据库只读，不能写入（检查文件与所在目录的写权限）";
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		*id = "Q06";
		return "数据库正被另一个进程写入，等待超时，请稍后再试";
	case SQLITE_CANTOPEN:
		*id = "Q01";
		return "无法打开数据库文件";
	case SQLITE_FULL:
		*id = "Q07";
		return "磁盘已满";
	case SQLITE_IOERR:
		*id = "Q07";
		return "读写数据库文件出错";
	case SQLITE_NOMEM:
		*id = "Y00";
		return "内存不足";
	default:
		*id = "Q07";
		return NULL;
	}
}

static jx_status status_of(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_NOMEM:
		return JX_ERR_OOM;
	case SQLITE_CANTOPEN:
	case SQLITE_IOERR:
	case SQLITE_FULL:
		return JX_ERR_IO;
	default:
		return JX_ERR_INVALID;
	}
}

static jx_status fail(jx__db *db, int rc, jx_diags *diags)
{
	const char *id, *what = explain(rc, &id);
	if (what)
		jx__db_error(db, diags, id, "%s", what);
	else
		jx__db_error(db, diags, id, "数据库操作失败：%s", sqlite3_errmsg(db->h));
	return status_of(rc);
}

static jx_status open_handle(jx__db *db, const char *target, jx_store_mode mode, jx_diags *diags)
{
	int flags = SQLITE_OPEN_NOMUTEX;
	flags |= mode == JX_STORE_READ ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	if (mode == JX_STORE_CREATE)
		flags |= SQLITE_OPEN_CREATE;
	if (mode != JX_STORE_CREATE && access(target, F_OK) != 0) {
		jx__db_error(db, diags, "Q01", "数据库不存在（先运行 jixiao db init）");
		return JX_ERR_IO;
	}
	int rc = sqlite3_open_v2(target, &db->h, flags, NULL);
	if (rc != SQLITE_OK)
		return fail(db, rc, diags);
	sqlite3_extended_result_codes(db->h, 1);
	sqlite3_busy_timeout(db->h, BUSY_MS);
	db->readonly = mode == JX_STORE_READ || sqlite3_db_readonly(db->h, "main") == 1;
	if (mode != JX_STORE_READ && db->readonly) {
		jx__db_error(db, diags, "Q05",
		             "数据库只读，不能写入（检查文件与所在目录的写权限）");
		return JX_ERR_IO;
	}
	return JX_OK;
}

/* WAL lets readers go on while an import writes; NORMAL synchronous is
 * durable at each checkpoint and never corrupts on a crash. */
static jx_status configure(jx__db *db, jx_diags *diags)
{
	if (db->readonly)
		return jx__db_exec(db, "PRAGMA query_only = 1", diags);
	jx_status st = jx__db_exec(db, "PRAGMA journal_mode = WAL", diags);
	if (st == JX_OK)
		st = jx__db_exec(db, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON",
		                 diags);
	return st;
}

/* "file:" URI of path with immutable=1: how a WAL database in a directory
 * the reader cannot write (no -shm can be made) is still read. */
static bool immutable_uri(const char *path, char *buf, size_t size)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = 0;
	const char head[] = "file:", tail[] = "?immutable=1";
	if (size < sizeof head + sizeof tail)
		return false;
	memcpy(buf, head, sizeof head - 1);
	n = sizeof head - 1;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (n + 4 + sizeof tail >= size)
			return false;
		if (*p == '?' || *p == '#' || *p == '%' || *p < 0x20) {
			buf[n++] = '%';
			buf[n++] = hex[*p >> 4];
			buf[n++] = hex[*p & 15];
		} else {
			buf[n++] = (char)*p;
		}
	}
	memcpy(buf + n, tail, sizeof tail);
	return true;
}

/* A read-only open succeeds lazily; probe it, and fall back to immutable
 * mode when the WAL index cannot be created beside the file. */
static jx_status probe_readonly(jx__db *db, jx_diags *diags)
{
	int rc = sqlite3_exec(db->h, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		return JX_OK;
	int base = rc & 0xff;
	char uri[8192];
	if ((base != SQLITE_READONLY && base != SQLITE_CANTOPEN) ||
	    !immutable_uri(db->target, uri, sizeof uri))
		return fail(db, rc, diags);
	sqlite3_close(db->h);
	db->h = NULL;
	rc = sqlite3_open_v2(uri, &db->h, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db->h, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL);
	return rc == SQLITE_OK ? JX_OK : fail(db, rc, diags);
}

jx_status jx__db_open(const char *target, jx_store_mode mode, const jx_allocator *alloc,
                      jx__db **out, jx_diags *diags)
{
	jx_status st = JX_ERR_OOM;
	jx__db *db = jx__alloc(alloc, sizeof(*db));
	*out = NULL;
	if (!db)
		goto oom;
	memset(db, 0, sizeof(*db));
	db->alloc = alloc;
	size_t n = strlen(target) + 1;
	if (!(db->target = jx__alloc(alloc, n)))
		goto oom;
	memcpy(db->target, target, n);
	if ((st = open_handle(db, target, mode, diags)) != JX_OK ||
	    (mode == JX_STORE_READ && (st = probe_readonly(db, diags)) != JX_OK) ||
	    (st = configure(db, diags)) != JX_OK)
		goto fail;
	*out = db;
	return JX_OK;
oom:
	jx__db_error(NULL, diags, "Y00", "内存不足");
fail:
	jx__db_close(db);
	return st;
}

void jx__db_close(jx__db *db)
{
	if (!db)
		return;
	for (jx__stmt *s = db->stmts, *next; s; s = next) {
		next = s->next;
		sqlite3_finalize(s->st);
		jx__free(db->alloc, s);
	}
	sqlite3_close(db->h);
	jx__free(db->alloc, db->target);
	jx__free(db->alloc, db);
}

jx_status jx__db_exec(jx__db *db, const char *sql, jx_diags *diags)
{
	int rc = sqlite3_exec(db->h, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? JX_OK : fail(db, rc, diags);
}

jx__stmt *jx__db_prepare(jx__db *db, const char *sql, jx_diags *diags)
{
	for (jx__stmt *s = db->stmts; s; s = s->next)
		if (s->sql == sql) {
			sqlite3_reset(s->st);
			sqlite3_clear_bindings(s->st);
			return s;
		}
	jx__stmt *s = jx__alloc(db->alloc, sizeof(*s));
	if (!s) {
		jx__db_error(db, diags, "Y00", "内存不足");
		return NULL;
	}
	int rc = sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->st, NULL);
	if (rc != SQLITE_OK) {
		jx__free(db->alloc, s);
		fail(db, rc, diags);
		return NULL;
	}
	s->db = db;
	s->sql = sql;
	s->next = db->stmts;
	db->stmts = s;
	return s;
}

void jx__db_bind_int(jx__stmt *st, int i, int64_t v)
{
	sqlite3_bind_int64(st->st, i, v);
}

void jx__db_bind_text(jx__stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st->st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st->st, i);
}

void jx__db_bind_blob(jx__stmt *st, int i, const void *p, size_t n)
{
	sqlite3_bind_blob64(st->st, i, p ? p : "", n, SQLITE_STATIC);
}

void jx__db_bind_null(jx__stmt *st, int i)
{
	sqlite3_bind_null(st->st, i);
}

int jx__db_step(jx__stmt *st, jx_diags *diags)
{
	int rc = sqlite3_step(st->st);
	if (rc == SQLITE_ROW)
		return 1;
	sqlite3_reset(st->st);
	if (rc == SQLITE_DONE)
		return 0;
	fail(st->db, rc, diags);
	return -1;
}

void jx__db_reset(jx__stmt *st)
{
	sqlite3_reset(st->st);
}

bool jx__db_is_null(jx__stmt *st, int col)
{
	return sqlite3_column_type(st->st, col) == SQLITE_NULL;
}

int64_t jx__db_int(jx__stmt *st, int col)
{
	return sqlite3_column_int64(st->st, col);
}

const char *jx__db_text(jx__stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st->st, col);
}

const void *jx__db_blob(jx__stmt *st, int col, size_t *len)
{
	const void *p = sqlite3_column_blob(st->st, col);
	*len = (size_t)sqlite3_column_bytes(st->st, col);
	return p;
}

jx_status jx__db_begin(jx__db *db, bool write, jx_diags *diags)
{
	return jx__db_exec(db, write ? "BEGIN IMMEDIATE" : "BEGIN", diags);
}

jx_status jx__db_commit(jx__db *db, jx_diags *diags)
{
	jx_status st = jx__db_exec(db, "COMMIT", diags);
	if (st != JX_OK)
		jx__db_rollback(db);
	return st;
}

void jx__db_rollback(jx__db *db)
{
	if (!sqlite3_get_autocommit(db->h))
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
}

static int pragma_int(jx__db *db, const char *sql, int *out, jx_diags *diags)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			*out = sqlite3_column_int(st, 0);
			rc = SQLITE_OK;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_OK ? 0 : (fail(db, rc, diags), -1);
}

jx_status jx__db_get_version(jx__db *db, int *version, bool *ours, jx_diags *diags)
{
	int app = 0, tables = 0;
	if (pragma_int(db, "PRAGMA application_id", &app, diags) ||
	    pragma_int(db, "PRAGMA user_version", version, diags) ||
	    pragma_int(db, "SELECT count(*) FROM sqlite_schema", &tables, diags))
		return JX_ERR_INVALID;
	*ours = app == JX_APPLICATION_ID || (app == 0 && tables == 0 && *version == 0);
	return JX_OK;
}

jx_status jx__db_set_version(jx__db *db, int version, jx_diags *diags)
{
	char sql[96];
	snprintf(sql, sizeof sql, "PRAGMA application_id = %d; PRAGMA user_version = %d",
	         JX_APPLICATION_ID, version);
	return jx__db_exec(db, sql, diags);
}
