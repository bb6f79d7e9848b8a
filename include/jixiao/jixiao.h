/* libjixiao: performance self-evaluation of government spending.
 *
 * Data flows one way: a scheme (forms and rules as data) and one unit's
 * data file are loaded, evaluated into a model of computed values and
 * scores, and checked by the scheme's rule pack into findings.  The library
 * never prints and never exits: every call returns a jx_status and puts
 * what went wrong, with file, line, column and field path, into a jx_diags
 * list that the caller owns. */
#ifndef JIXIAO_H
#define JIXIAO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jixiao/decimal.h"

#define JX_VERSION "0.1.0"

/* ---- status ------------------------------------------------------------ */

typedef enum jx_status {
	JX_OK = 0,
	JX_ERR_OOM,       /* an allocation failed */
	JX_ERR_IO,        /* a file could not be read */
	JX_ERR_TOO_LARGE, /* input over the size limit */
	JX_ERR_SYNTAX,    /* not well-formed YAML or formula */
	JX_ERR_INVALID,   /* well-formed, but not what the scheme allows */
	JX_ERR_USAGE,     /* wrong arguments to a library call */
	JX_STATUS_COUNT
} jx_status;

const char *jx_strerror(jx_status st);
/* A short Chinese text for an errno value ("文件不存在"). */
const char *jx_errno_text(int err);

/* ---- allocation -------------------------------------------------------- */

/* Caller-supplied allocator.  All memory of the library goes through it. */
typedef struct jx_allocator {
	void *(*alloc)(void *ctx, size_t size);
	void *(*realloc)(void *ctx, void *ptr, size_t size);
	void (*free)(void *ctx, void *ptr);
	void *ctx;
} jx_allocator;

/* The default allocator (malloc/realloc/free). */
const jx_allocator *jx_allocator_default(void);

/* ---- diagnostics ------------------------------------------------------- */

typedef enum jx_severity {
	JX_SEV_INFO = 0,
	JX_SEV_WARNING,
	JX_SEV_ERROR,
	/* Input that could not be loaded at all (not a rule finding). */
	JX_SEV_FATAL
} jx_severity;

const char *jx_severity_name(jx_severity sev);

/* One finding or load error.  Strings are owned by the jx_diags list.
 * line and column are 1-based; 0 means unknown. */
typedef struct jx_diag {
	jx_severity severity;
	const char *id;      /* rule id ("T01") or load-error code ("E-DATA") */
	const char *message; /* Chinese, for users */
	const char *note;    /* optional second line, may be NULL */
	const char *file;
	unsigned line, column;
	const char *path;       /* field path, may be NULL */
	const char *expected;   /* exact decimal or text, may be NULL */
	const char *actual;     /* may be NULL */
	const char *difference; /* actual - expected, may be NULL */
	bool tail;              /* 尾差: a difference within the rounding bound */
	const char *snippet;    /* audit: the report text the finding quotes, may be NULL */
	/* A warning's written 说明 from the data file's `explanations:`; NULL when
	 * none is given (and always for errors and infos). */
	const char *explanation;
} jx_diag;

typedef struct jx_diags jx_diags;

jx_diags *jx_diags_new(const jx_allocator *alloc);
void jx_diags_free(jx_diags *d);
size_t jx_diags_count(const jx_diags *d);
const jx_diag *jx_diags_get(const jx_diags *d, size_t i);
/* Counts per severity. */
size_t jx_diags_count_sev(const jx_diags *d, jx_severity sev);
void jx_diags_clear(jx_diags *d);
/* Records a diagnostic made by the caller (e.g. a file the CLI could not
 * open before any loading started).  Strings are copied. */
jx_status jx_diags_add(jx_diags *d, jx_severity sev, const char *id, const char *file,
                       unsigned line, unsigned column, const char *path, const char *message);

/* ---- schemes ----------------------------------------------------------- */

typedef struct jx_scheme jx_scheme;

/* Loads and type-checks a scheme.  On failure returns NULL and puts the
 * reasons (with line and column) into diags. */
jx_scheme *jx_scheme_load_file(const char *path, const jx_allocator *alloc, jx_diags *diags);
jx_scheme *jx_scheme_load_mem(const char *name, const char *buf, size_t len,
                              const jx_allocator *alloc, jx_diags *diags);
void jx_scheme_free(jx_scheme *s);
const char *jx_scheme_id(const jx_scheme *s);
const char *jx_scheme_title(const jx_scheme *s);
size_t jx_scheme_field_count(const jx_scheme *s);
size_t jx_scheme_rule_count(const jx_scheme *s);

/* ---- documents (one unit's data file, evaluated) ------------------------ */

typedef struct jx_doc jx_doc;

/* Loads one data file against a scheme.  On failure returns NULL with the
 * reasons in diags.  Loading computes nothing; see jx_doc_evaluate. */
jx_doc *jx_doc_load_file(const jx_scheme *s, const char *path, const jx_allocator *alloc,
                         jx_diags *diags);
jx_doc *jx_doc_load_mem(const jx_scheme *s, const char *name, const char *buf, size_t len,
                        const jx_allocator *alloc, jx_diags *diags);
void jx_doc_free(jx_doc *doc);
/* A document of scheme s with every value blank and each table given a
 * few blank rows (12 for the framework's indicator table, 2 for others),
 * evaluated: what a blank template (`jixiao template`) is written from.
 * NULL on allocation failure. */
jx_doc *jx_doc_new_empty(const jx_scheme *s, const jx_allocator *alloc);

/* Reads a whole input file (up to the 16 MiB limit) into a buffer the
 * caller frees with alloc->free; on failure NULL with the reason in diags. */
char *jx_read_file(const char *path, const jx_allocator *alloc, size_t *len, jx_diags *diags);

/* The `scheme:` a data file names, read without loading it (for choosing
 * the scheme).  Writes at most size bytes; returns false if absent. */
bool jx_data_scheme_name(const char *buf, size_t len, char *out, size_t size);

/* Computes derived values and scores, then runs every rule of the scheme,
 * appending findings to diags.  Each warning that one of the data file's
 * `explanations:` names (by rule, and by path when given) gets that text
 * as its jx_diag.explanation; an explanation that meets no warning adds an
 * info finding (E01, or E02 when its rule is not a warning rule). */
jx_status jx_doc_evaluate(jx_doc *doc, jx_diags *diags);

/* One written 说明 of the data file's `explanations:` list, in file order.
 * path is NULL when the explanation covers every finding of its rule; else
 * it covers findings whose path equals it or lies under it
 * ("self_eval.indicators[6]" covers "self_eval.indicators[6].deviation").
 * Strings are owned by the doc. */
typedef struct jx_explanation {
	const char *rule; /* a rule id of the scheme ("B09") */
	const char *path; /* may be NULL */
	const char *text;
	unsigned line, column; /* of the entry in the data file */
} jx_explanation;

size_t jx_doc_explanation_count(const jx_doc *doc);
const jx_explanation *jx_doc_explanation(const jx_doc *doc, size_t i);

/* A value of the evaluated model. */
typedef enum jx_vtype {
	JX_V_BLANK = 0,
	JX_V_NUM,
	JX_V_TEXT,
	JX_V_BOOL,
	JX_V_LIST /* paragraphs or list of text */
} jx_vtype;

typedef struct jx_value {
	jx_vtype type;
	bool na;       /* blank written as "——": not applicable */
	int scale;     /* fractional digits as written; -1 for computed values */
	jx_dec num;    /* JX_V_NUM */
	bool b;        /* JX_V_BOOL */
	const char *s; /* JX_V_TEXT */
	size_t n;      /* JX_V_LIST: number of items */
	const char *const *items;
} jx_value;

/* Looks up a field or derived value by path ("score.total"), or a table
 * cell ("self_eval.indicators[2].score").  Returns false if no such path. */
bool jx_doc_get(const jx_doc *doc, const char *path, jx_value *out);
/* Formats a value for display, by its kind (amount 2 dp, percent "68.25%"). */
int jx_doc_format(const jx_doc *doc, const char *path, char *buf, size_t size);

/* The headline results the scheme names in framework.result. */
typedef enum jx_result {
	JX_RESULT_TOTAL,
	JX_RESULT_GRADE,
	JX_RESULT_STATED_TOTAL,
	JX_RESULT_STATED_GRADE,
	JX_RESULT_FUNDS_SCORE
} jx_result;
/* Formats a result for display; returns -1 (and "") if blank or absent. */
int jx_doc_format_result(const jx_doc *doc, jx_result which, char *buf, size_t size);

/* The scored 自评表 as a terminal table (UTF-8, CJK-width aligned),
 * written into a string owned by the doc. */
const char *jx_doc_score_table(jx_doc *doc);

/* ---- renderers --------------------------------------------------------- */

/* One JSON object (one line, no trailing newline) for a checked file:
 * {"file":…, "findings":[…], "summary":{…}}.  doc may be NULL when the
 * file did not load.  Returns a string the caller frees with alloc->free. */
char *jx_render_json(const jx_doc *doc, const char *file, const jx_diags *diags,
                     const jx_allocator *alloc);

/* ---- reports ------------------------------------------------------------ */

typedef struct jx_report_opts {
	/* Timestamp written into documents (seconds since 1970); -1 for a fixed
	 * default, so output is byte-identical run to run.  The CLI passes
	 * SOURCE_DATE_EPOCH when set. */
	int64_t timestamp;
	/* XLSX only: a blank workbook to fill in (a first sheet 填表说明, input
	 * cells unlocked and shaded with data validation, computed cells
	 * locked formulas, every sheet protected without a password, a
	 * defined name "jx_<path>" per input cell). */
	bool template_mode;
} jx_report_opts;

/* Writes the report of an evaluated document in one format ("docx",
 * "xlsx", "html" or "md") to path: to a temporary file beside it, then
 * renamed, so a failed write never leaves a half-written file.  findings
 * are the document's check results (errors mark the report as a draft;
 * warnings are listed in an appendix); may be NULL. */
jx_status jx_report_write(jx_doc *doc, const jx_diags *findings, const char *format,
                          const char *path, const jx_report_opts *opts, jx_diags *errors);
/* True if this build can write the format. */
bool jx_report_format_supported(const char *format);

/* Reads back a workbook written by `jixiao report --format xlsx` (or its
 * blank template filled in) for scheme s: every input cell of the
 * attachment sheets becomes a value of a data file, which is then loaded
 * with the normal checks; errors name the cell ("附件1-2!F12") and the
 * field path.  Cells the layout computes are ignored.  Returns the loaded
 * (not yet evaluated) document, or NULL.  If yaml is not NULL it receives
 * the generated data file text (caller frees with alloc->free) whenever the
 * workbook itself could be read, even if loading then failed.  yaml_name
 * names that text in the document (so later findings point at its lines);
 * NULL uses path. */
jx_doc *jx_import_xlsx(const jx_scheme *s, const char *path, const char *yaml_name,
                       const jx_allocator *alloc, jx_diags *diags, char **yaml);

#endif
