/* Internals shared by the store's files. */
#ifndef JX_STORE_INT_H
#define JX_STORE_INT_H

#include "../eval/doc.h"
#include "db.h"
#include "jixiao/store.h"

/* A scheme the store has seen: its row id, and the loaded scheme (owned
 * when the store loaded it from its stored source). */
typedef struct jx__store_scheme {
	int64_t id;
	const jx_scheme *s;
	jx_scheme *owned;
	struct jx__store_scheme *next;
} jx__store_scheme;

struct jx_store {
	const jx_allocator *alloc;
	jx__db *db;
	int version;
	jx__store_scheme *schemes;
	jx__arena scratch;  /* jx_store_find's strings; reset per find */
	jx__arena vscratch; /* stored values; reset per values/diff call */
	jx_store_rev rev;   /* jx_store_find's result lives here */
};

jx_status jx__schema_migrate(jx__db *db, int *version, jx_diags *diags);
/* Applies the migrations up to target (tests build old stores with it). */
jx_status jx__schema_migrate_to(jx__db *db, int target, int *version, jx_diags *diags);

/* The scheme stored under row id, loaded once per store. */
const jx_scheme *jx__store_scheme_by_id(jx_store *st, int64_t id, jx_diags *diags);

/* Reads the revision columns (REV_COLS, in that order from column 0). */
#define JX__REV_COLS                                                                               \
	"r.id, u.code, u.name, u.parent_code, u.parent_name, r.year, r.rev,"                       \
	" l.revision_id IS NOT NULL, s.name, r.format, r.file, r.hash, r.imported_at, r.size,"     \
	" e.total, e.stated_total, e.grade, e.stated_grade, e.errors, e.warnings, e.infos"
#define JX__REV_FROM                                                                               \
	" FROM revisions r JOIN units u ON u.id = r.unit_id JOIN schemes s ON s.id = r.scheme_id"  \
	" JOIN evaluations e ON e.revision_id = r.id"                                              \
	" LEFT JOIN latest l ON l.revision_id = r.id"
#define JX__REV_NCOLS 21
void jx__store_read_rev(jx__stmt *q, jx_store_rev *r);

/* SHA-256 of buf as 64 hex digits. */
void jx__hash_hex(const void *buf, size_t len, char out[65]);

/* A save's checks inside its write transaction, before anything is
 * written: a conflict with base_rev (res->outcome CONFLICT, Q13) or bytes
 * equal to the unit-year's latest (UNCHANGED) set *stop; a status that
 * allows no saving is JX_ERR_USAGE (Q14). */
jx_status jx__wf_before_save(jx_store *st, const char *unit, int year, int base_rev,
                             const char *hash, jx_import_result *res, bool *stop, jx_diags *diags);
/* After a save's revision is written: its workflow row and events row. */
jx_status jx__wf_after_save(jx_store *st, int64_t unit_id, const char *unit, int year,
                            int64_t rev_id, const jx_store_save_opts *o, int64_t now,
                            jx_diags *diags);

/* A name or code people can type: 1 to max bytes of printable UTF-8
 * without spaces (accounts, unit codes). */
bool jx__store_word(const char *s, size_t max);

/* Escaping of the values blob ("path\ttext\n" lines). */
void jx__vals_escape(jx__buf *b, const char *s);
/* Unescapes in place; returns the end of the field. */
char *jx__vals_field(char *s, char stop, char **next);

#endif
