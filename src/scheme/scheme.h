/* Internal model of a loaded scheme: fields, tables, derived values,
 * framework, rules and outline, with every formula parsed and checked. */
#ifndef JX_SCHEME_INTERNAL_H
#define JX_SCHEME_INTERNAL_H

#include "../core/core.h"
#include "../core/ytree.h"

/* ---- formula AST ------------------------------------------------------- */

/* How a number is shown: drives formatting, not arithmetic. */
typedef enum jx__kind {
	JX_K_PLAIN = 0,
	JX_K_AMOUNT,  /* 万元, 2 decimals */
	JX_K_PERCENT, /* a ratio shown as 68.25% */
	JX_K_COUNT,   /* integer */
	JX_K_SCORE    /* 2 decimals */
} jx__kind;

typedef enum jx__type {
	JX_T_NONE = 0,
	JX_T_NUM,
	JX_T_TEXT,
	JX_T_BOOL,
	JX_T_LIST,
	JX_T_TABLE
} jx__type;

typedef enum jx__op {
	JX_OP_NUM,   /* literal number */
	JX_OP_STR,   /* literal text */
	JX_OP_PATH,  /* unresolved path (parser output only) */
	JX_OP_SLOT,  /* global field or derived value */
	JX_OP_COL,   /* column of a row in scope */
	JX_OP_TABLE, /* a whole table (argument of count/all/any) */
	JX_OP_NEG,
	JX_OP_NOT,
	JX_OP_ADD,
	JX_OP_SUB,
	JX_OP_MUL,
	JX_OP_DIV,
	JX_OP_EQ,
	JX_OP_NE,
	JX_OP_LT,
	JX_OP_LE,
	JX_OP_GT,
	JX_OP_GE,
	JX_OP_AND,
	JX_OP_OR,
	JX_OP_CALL, /* scalar function */
	JX_OP_AGG   /* aggregate over a table: sum/count/all/any/min/max */
} jx__op;

typedef enum jx__fn {
	JX_FN_IF,
	JX_FN_SUM,
	JX_FN_MIN,
	JX_FN_MAX,
	JX_FN_ABS,
	JX_FN_ROUND,
	JX_FN_BLANK,
	JX_FN_PRESENT,
	JX_FN_APPROX,
	JX_FN_COUNT,
	JX_FN_ALL,
	JX_FN_ANY,
	JX_FN_NUM,
	JX_FN_SIGN,
	JX_FN_GRADE,
	JX_FN_LEVEL_OK,
	JX_FN_PCT,
	JX_FN_AMOUNT,
	JX_FN__COUNT
} jx__fn;

typedef struct jx__expr jx__expr;
struct jx__expr {
	jx__op op;
	jx__type type; /* after checking */
	jx__kind kind;
	unsigned line, col; /* in the scheme file */
	jx_dec num;
	const char *str;          /* literal text or path */
	int slot;                 /* JX_OP_SLOT */
	int table, column, depth; /* JX_OP_COL (depth: scopes up), JX_OP_TABLE */
	jx__fn fn;
	size_t nargs;
	jx__expr **args; /* operands / arguments; AGG: args[0] value (or NULL) */
	jx__expr *where; /* aggregate filter, or NULL */
};

/* ---- fields ------------------------------------------------------------ */

typedef enum jx__ftype {
	JX_F_AMOUNT,
	JX_F_COUNT,
	JX_F_PERCENT,
	JX_F_SCORE,
	JX_F_NUMBER,
	JX_F_TEXT,
	JX_F_ENUM,
	JX_F_DATE,
	JX_F_PARAGRAPHS,
	JX_F_LIST,
	JX_F_TABLE,
	JX_F_DERIVED,
	JX_F_CONST /* a framework constant (framework.total) */
} jx__ftype;

typedef struct jx__field {
	const char *path; /* global: full path; column: column name */
	const char *label;
	jx__ftype ftype;
	jx__type type;
	jx__kind kind;
	bool required, na;
	int decimals; /* most fractional digits accepted (numbers) */
	bool has_min, has_max;
	jx_dec min, max;
	const char **values; /* enum */
	size_t nvalues;
	int table;          /* JX_F_TABLE: index of its jx__table */
	jx__expr *formula;  /* JX_F_DERIVED */
	const char *source; /* formula text */
	jx_value constant;  /* JX_F_CONST */
	unsigned line, col;
	int state; /* formula check: 0 not yet, 1 in progress, 2 done, 3 failed */
} jx__field;

typedef struct jx__table {
	const char *path;
	int field; /* global field index, -1 for framework tables */
	jx__field *cols;
	size_t ncols;
	int *order; /* derived columns in evaluation order */
	size_t norder;
	/* Framework tables have fixed rows from the scheme. */
	jx_value *rows; /* nrows * ncols */
	size_t nrows;
} jx__table;

/* ---- rules ------------------------------------------------------------- */

/* A message with {formula} placeholders. */
typedef struct jx__tpl_part {
	const char *text; /* literal, or NULL for an expression */
	jx__expr *expr;
	int special; /* 1 actual, 2 expected, 3 difference, 4 value; 0 none */
} jx__tpl_part;

typedef struct jx__tpl {
	jx__tpl_part *parts;
	size_t nparts;
} jx__tpl;

typedef struct jx__rule {
	const char *id, *title;
	jx_severity sev;
	int for_each; /* table index or -1 */
	int at_slot;  /* global field for the location, or -1 */
	int at_col;   /* column of the for_each row, or -1 */
	jx__expr *when, *assert, *actual, *expected, *value;
	int round; /* -1: none */
	jx_dec tolerance;
	bool has_tail;
	jx_dec tail;
	jx__tpl message, note;
	unsigned line, col;
} jx__rule;

typedef struct jx__band {
	const char *name;
	jx_dec min, max;
	bool max_inclusive;
} jx__band;

/* ---- outline and tables (laid out by renderers later) ------------------- */

typedef struct jx__outline_item {
	int kind;             /* 0 heading, 1 text field, 2 template, 3 attachment table */
	int level;            /* heading depth, 1-based */
	const char *title;    /* heading */
	int slot;             /* text field */
	bool numbered;        /* list items get 1. 2. 3. */
	jx__tpl tpl;          /* template sentence */
	const char *table_id; /* attachment */
} jx__outline_item;

/* One cell of an attachment layout: a template, maybe merged. */
typedef struct jx__lay_cell {
	jx__tpl tpl;
	int colspan, rowspan;
} jx__lay_cell;

typedef struct jx__lay_row {
	jx__lay_cell *cells;
	size_t ncells;
	bool header;
	int indent;
	int repeat;         /* table index, or -1 */
	const char **merge; /* repeat: columns whose equal runs are merged */
	size_t nmerge;
} jx__lay_row;

typedef struct jx__attachment {
	const char *id, *name, *title;
	int ncols;
	jx__lay_row *rows;
	size_t nrows;
	jx__tpl *notes;
	size_t nnotes;
} jx__attachment;

/* A figure the store keeps per evaluation and the summaries compare. */
typedef struct jx__metric {
	const char *id, *label;
	int slot;
} jx__metric;

struct jx_scheme {
	const jx_allocator *alloc;
	jx__arena arena;
	const char *file;
	const char *source; /* the scheme file's text, kept for the store */
	size_t source_len;
	const char *id, *title, *kind;
	int version;
	jx__field *fields; /* global fields and derived values ("slots") */
	size_t nfields, capfields;
	jx__map by_path; /* path -> slot */
	jx__map groups;  /* path prefixes of fields ("budget", "budget.general") -> 1 */
	jx__table *tables;
	size_t ntables, captables;
	int *derived_order; /* global derived slots in evaluation order */
	size_t nderived;
	jx__rule *rules;
	size_t nrules, caprules;
	jx__band *grades, *levels;
	size_t ngrades, nlevels;
	int categories_table; /* framework.categories */
	int indicators_table; /* the indicator table of the framework */
	struct {
		int funds_score, total, grade, stated_total, stated_grade;
		int funds_weight, funds_stated_score, funds_rate;
	} result;
	jx__outline_item *outline;
	size_t noutline, capoutline;
	const char *report_title_src;
	jx__tpl report_title;
	jx__attachment *attachments; /* table layouts, for renderers */
	size_t nattachments;
	/* summary: how the store names a unit and which figures it keeps. */
	struct {
		int code, name, parent, parent_name; /* text slots, -1 if absent */
		jx__metric *metrics;
		size_t nmetrics;
	} summary;
};

/* ---- formula API ------------------------------------------------------- */

/* Parses src (from the scheme at line/col) into an unresolved AST. */
jx__expr *jx__formula_parse(jx__arena *a, const char *src, size_t len, jx__loc at, jx_diags *diags);

/* Scope for resolving names while checking: a stack of tables whose rows
 * are in scope (outermost first; the for_each row is scopes[0] when
 * has_row is set). */
typedef struct jx__scope {
	int tables[8];
	size_t n;
	bool has_row; /* `row.x` names the outermost scope */
} jx__scope;

/* Resolves paths and computes types.  Returns false after recording
 * diagnostics at the offending sub-expression. */
bool jx__formula_check(jx_scheme *s, jx__expr *e, jx__scope *scope, const char *file,
                       jx_diags *diags);

/* Calls fn(slot) for every global slot e refers to (dependency graph). */
void jx__formula_deps(const jx__expr *e, void (*fn)(void *ctx, int slot), void *ctx);

/* ---- evaluation context (filled in by eval/) --------------------------- */

typedef struct jx__row_ref {
	int table;
	size_t row;
} jx__row_ref;

typedef struct jx__env jx__env;
/* Callbacks the evaluator uses to read the document's values. */
struct jx__env {
	const jx_scheme *s;
	void *doc;
	const jx_value *(*slot)(jx__env *env, int slot);
	size_t (*rows)(jx__env *env, int table);
	const jx_value *(*cell)(jx__env *env, int table, size_t row, int col);
	jx__arena *scratch; /* for text results */
	jx__row_ref scopes[8];
	size_t nscopes;
};

void jx__formula_eval(jx__env *env, const jx__expr *e, jx_value *out);

/* Parses a template "text {expr} text"; specials allows actual/expected/...
 * Returns false after recording diagnostics. */
bool jx__tpl_parse(jx_scheme *s, const char *src, jx__loc at, jx__scope *scope, bool specials,
                   jx__tpl *out, jx_diags *diags);

/* Number formatting by kind.  scale < 0 uses the kind's default. */
int jx__format_num(jx_dec v, jx__kind kind, int scale, char *buf, size_t size);
/* Exact form for JSON (percent as a fraction, shortest). */
int jx__format_exact(jx_dec v, jx__kind kind, int scale, char *buf, size_t size);

/* Scheme lookup helpers. */
int jx__scheme_slot(const jx_scheme *s, const char *path, size_t len);
const jx__band *jx__band_find(const jx__band *bands, size_t n, jx_dec v);
const jx__band *jx__band_named(const jx__band *bands, size_t n, const char *name);

#endif
