/* The report as renderers see it: the scheme's outline and attachment
 * layouts evaluated against one document into blocks (title, numbered
 * headings, paragraphs, tables) and table grids whose cells know the value
 * and field path they show.  DOCX, XLSX, HTML and Markdown all render from
 * this, so text and tables cannot disagree. */
#ifndef JX_REPORT_H
#define JX_REPORT_H

#include "../eval/doc.h"

typedef struct jx__rcell {
	const char *text; /* as displayed */
	int col;          /* grid column where the cell starts */
	int colspan, rowspan;
	bool covered; /* inside another cell's rowspan: not drawn */
	/* When the cell shows exactly one value: */
	bool is_value;
	jx_value value;
	jx__kind kind;
	const char *path;             /* field path, "t.x" or "table[3].col" */
	const jx__expr *formula;      /* for a computed value: its formula */
	int slot, table, row, column; /* where the value lives (-1 if n/a) */
} jx__rcell;

typedef struct jx__rrow {
	jx__rcell *cells;
	size_t ncells;
	bool header;
	int indent;
} jx__rrow;

typedef struct jx__rtable {
	const jx__attachment *def;
	jx__rrow *rows;
	size_t nrows, caprows;
	const char **notes;
	size_t nnotes;
} jx__rtable;

typedef enum jx__bkind { JX_B_HEADING, JX_B_PARA, JX_B_TABLE } jx__bkind;

typedef struct jx__block {
	jx__bkind kind;
	int level;          /* headings: 1 一、 2 （一） 3 1． 4 （1） */
	const char *number; /* "一、", "（二）", "3．" */
	const char *text;
	const jx__rtable *table;
} jx__block;

typedef struct jx__report {
	jx__arena arena;
	jx_doc *doc;
	const jx_diags *findings;
	const char *title;
	jx__block *blocks;
	size_t nblocks, capblocks;
	jx__rtable *tables; /* every attachment, in scheme order */
	size_t ntables;
	size_t nerrors, nwarnings;
} jx__report;

/* Builds the report of an evaluated document; findings may be NULL.
 * Returns NULL on allocation failure. */
jx__report *jx__report_build(jx_doc *doc, const jx_diags *findings);
void jx__report_free(jx__report *r);

/* Renderers into a string (caller frees with the doc's allocator). */
char *jx__render_markdown(const jx__report *r);

/* 提示 / 警告 / 错误 / 严重错误, as reports show a finding's severity. */
const char *jx__severity_cn(jx_severity s);

/* "一" … "九十九" for 1..99. */
const char *jx__cn_number(int n, char *buf, size_t size);

#endif
