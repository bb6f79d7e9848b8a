/* The store's database connection: the only code that knows which database
 * engine holds the store.  src/store/sqlite.c implements it on SQLite; a
 * PostgreSQL backend would implement the same functions on libpq
 * (docs/store.md).  SQL handed to it is written in the subset both engines
 * accept: numbered parameters $1, $2 … in order of first use, INTEGER
 * columns for exact decimals (jx_dec's raw micro-units), INSERT …
 * RETURNING, INSERT … ON CONFLICT. */
#ifndef JX_STORE_DB_H
#define JX_STORE_DB_H

#include "../core/core.h"
#include "jixiao/store.h"

typedef struct jx__db jx__db;
typedef struct jx__stmt jx__stmt;

typedef enum jx__dialect { JX_DB_SQLITE, JX_DB_POSTGRES } jx__dialect;

/* Opens the database at target.  CREATE creates a missing file; READ opens
 * it read-only.  Problems are recorded as Q-diagnostics naming target. */
jx_status jx__db_open(const char *target, jx_store_mode mode, const jx_allocator *alloc,
                      jx__db **out, jx_diags *diags);
void jx__db_close(jx__db *db);
jx__dialect jx__db_dialect(const jx__db *db);
bool jx__db_readonly(const jx__db *db);

/* Runs SQL without parameters or results (DDL, pragmas). */
jx_status jx__db_exec(jx__db *db, const char *sql, jx_diags *diags);

/* Prepared statements are cached per connection by the address of their
 * (static) SQL text: prepare once, reset and rebind for each use. */
jx__stmt *jx__db_prepare(jx__db *db, const char *sql, jx_diags *diags);
void jx__db_bind_int(jx__stmt *st, int i, int64_t v);
void jx__db_bind_text(jx__stmt *st, int i, const char *s); /* NULL binds SQL NULL */
void jx__db_bind_blob(jx__stmt *st, int i, const void *p, size_t n);
void jx__db_bind_null(jx__stmt *st, int i);
/* 1: a row is ready; 0: done (the statement is reset); -1: failed, with a
 * diagnostic (the statement is reset). */
int jx__db_step(jx__stmt *st, jx_diags *diags);
void jx__db_reset(jx__stmt *st);
bool jx__db_is_null(jx__stmt *st, int col);
int64_t jx__db_int(jx__stmt *st, int col);
const char *jx__db_text(jx__stmt *st, int col); /* NULL for SQL NULL */
const void *jx__db_blob(jx__stmt *st, int col, size_t *len);

/* Transactions.  begin(write) takes the write lock at once, waiting for
 * another writer up to the busy timeout. */
jx_status jx__db_begin(jx__db *db, bool write, jx_diags *diags);
jx_status jx__db_commit(jx__db *db, jx_diags *diags);
void jx__db_rollback(jx__db *db);

/* The schema version recorded in the database (0 for a new one), and
 * whether the file belongs to jixiao (a new, empty database does). */
jx_status jx__db_get_version(jx__db *db, int *version, bool *ours, jx_diags *diags);
jx_status jx__db_set_version(jx__db *db, int version, jx_diags *diags);

/* Records a store diagnostic ("Q01"…) naming the database. */
void jx__db_error(jx__db *db, jx_diags *diags, const char *id, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
const char *jx__db_target(const jx__db *db);

#endif
