/* A small, defensive XLSX reader (libzip + expat): sheet names, cells with
 * their type, text and whether they held a formula, and merged ranges.
 * Every part is size-capped while it inflates, cell references beyond
 * XFD1048576 and workbooks over JX__XLSX_MAX_CELLS cells are rejected, and
 * the parsers keep explicit state (no recursion on nesting).  Errors are
 * fatal diagnostics K01..K08 naming the file (and part or cell). */
#ifndef JX_XLSX_READ_H
#define JX_XLSX_READ_H

#include "../core/core.h"

#define JX__XLSX_MAX_PART   ((size_t)64 << 20) /* bytes of one inflated part */
#define JX__XLSX_MAX_ROWS   1048576u
#define JX__XLSX_MAX_COLS   16384u
#define JX__XLSX_MAX_CELLS  ((size_t)2000000)
#define JX__XLSX_MAX_SHEETS 1024

typedef enum jx__xctype {
	JX_XC_BLANK = 0,
	JX_XC_NUM, /* t="n" (or none): text is the number as stored */
	JX_XC_STR, /* shared, inline or formula string */
	JX_XC_BOOL,
	JX_XC_ERR
} jx__xctype;

typedef struct jx__xcell {
	uint32_t row, col; /* 0-based */
	jx__xctype type;
	bool formula;     /* the cell had an <f> */
	const char *text; /* never NULL ("" when blank) */
} jx__xcell;

typedef struct jx__xmerge {
	uint32_t r0, c0, r1, c1; /* inclusive, 0-based */
} jx__xmerge;

typedef struct jx__xsheet {
	const char *name;
	const char *part; /* "xl/worksheets/sheet1.xml" */
	jx__xcell *cells; /* sorted by row, then column */
	size_t ncells, capcells;
	jx__xmerge *merges;
	size_t nmerges, capmerges;
	uint32_t nrows; /* 1 + the last row holding a cell (0 if none) */
} jx__xsheet;

typedef struct jx__xlsx {
	const jx_allocator *alloc;
	jx__arena arena;
	const char *path;
	jx__xsheet *sheets;
	size_t nsheets;
} jx__xlsx;

/* Opens and reads a whole workbook; NULL with the reason in diags. */
jx__xlsx *jx__xlsx_open(const char *path, const jx_allocator *alloc, jx_diags *diags);
/* The same from memory; name is used in messages. */
jx__xlsx *jx__xlsx_open_mem(const void *buf, size_t len, const char *name,
                            const jx_allocator *alloc, jx_diags *diags);
void jx__xlsx_close(jx__xlsx *x);

/* jx_import_xlsx on a workbook in memory (the store's saves from the web
 * application); name is used in messages and as the document's name. */
jx_doc *jx__import_xlsx_mem(const jx_scheme *s, const void *buf, size_t len, const char *name,
                            const jx_allocator *alloc, jx_diags *diags);

const jx__xsheet *jx__xlsx_sheet(const jx__xlsx *x, const char *name);
/* The cell at (row, col), 0-based; a cell inside a merged range gives the
 * range's top-left cell.  NULL when nothing is stored there. */
const jx__xcell *jx__xlsx_cell(const jx__xsheet *sh, uint32_t row, uint32_t col);
/* The same by reference ("F12"); NULL for a bad reference too. */
const jx__xcell *jx__xlsx_cell_at(const jx__xsheet *sh, const char *ref);
/* "F12" -> row 11, col 5; false if malformed or beyond XFD1048576. */
bool jx__xlsx_parse_ref(const char *ref, size_t len, uint32_t *row, uint32_t *col);
/* (11, 5) -> "F12". */
void jx__xlsx_ref(uint32_t row, uint32_t col, char *buf, size_t size);

#endif
