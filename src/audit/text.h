/* A published report as audit reads it: a sequence of blocks, each a
 * paragraph (one line of text) or a table row (cells), every one knowing
 * where it came from.  Readers (text_read.c for .txt and pdftotext
 * output, docx_read.c for .docx) build it; outline.c, extract.c and the
 * text rules read it.  Data flows one way: bytes → jx__atext → figures →
 * findings. */
#ifndef JX_AUDIT_TEXT_H
#define JX_AUDIT_TEXT_H

#include "../core/core.h"

typedef struct jx__ablock {
	/* Normalised text: UTF-8; full-width digits, Latin letters and ． ％ ＋ －
	 * folded to half-width (the other full-width punctuation, （）、，。：；！？,
	 * is kept: it is ordinary Chinese punctuation); U+3000, NBSP, U+2000–200B,
	 * tabs and runs of spaces inside a line folded to one space; leading and
	 * trailing spaces trimmed.  For a table row: the cells joined by " | ". */
	const char *text;
	const char *raw; /* the source line (or cell texts joined by tabs) as read */
	unsigned line;   /* 1-based line in the source file (.txt) or paragraph number (.docx) */
	int table;       /* -1 for a paragraph; else the table's 0-based index */
	int row;         /* row within its table, 0-based; -1 for a paragraph */
	size_t ncells;
	const char *const
	        *cells; /* normalised cell texts (a cell's own line breaks kept as "\n") */
	/* Per cell, the line it starts on when a row spans lines (the seed's
	 * one-cell-per-line layout); NULL when every cell is on `line`. */
	const unsigned *cell_lines;
} jx__ablock;

typedef struct jx__atext {
	jx__arena arena;
	const char *file;
	jx__ablock *blocks;
	size_t n, cap;
	size_t ntables;
	bool overflow; /* a reader hit JX__ATEXT_MAX_BLOCKS (it then fails) */
	bool open_end; /* the text ends without a line break: its last line may be cut */
} jx__atext;

/* Readers.  On failure NULL with a diagnostic (ids A01–A09) in diags; the
 * caller frees the result with jx__atext_free. */
jx__atext *jx__atext_from_text(const char *file, const char *buf, size_t len,
                               const jx_allocator *alloc, jx_diags *diags);
jx__atext *jx__atext_from_docx(const char *file, const char *buf, size_t len,
                               const jx_allocator *alloc, jx_diags *diags);
void jx__atext_free(jx__atext *t);

/* Normalises one string (the rules of jx__ablock.text) into the arena.
 * Line breaks ("\n") are kept, with the spaces around them trimmed. */
char *jx__anorm(jx__arena *a, const char *s, size_t len);
/* For matching text pulled from PDFs ("部 门 整 体"): a copy of s without
 * the spaces that stand between two wide (CJK) characters. */
char *jx__anorm_squeeze(jx__arena *a, const char *s);

/* ---- shared by the readers ------------------------------------------- */

#define JX__ATEXT_MAX_TEXT ((size_t)16 << 20) /* bytes of a .txt */
#define JX__ATEXT_MAX_PART ((size_t)64 << 20) /* bytes of one inflated DOCX part */
/* Cells of a row: beyond it, the text reader joins them to the last cell,
 * the DOCX reader drops them. */
#define JX__ATEXT_MAX_CELLS  1024
#define JX__ATEXT_MAX_BLOCKS ((size_t)1 << 21)

/* An empty model (NULL on OOM). */
jx__atext *jx__atext_new(const char *file, const jx_allocator *alloc);
/* Appends a paragraph from raw UTF-8 text (copied and normalised); a text
 * that normalises to nothing adds no block.  False on OOM. */
bool jx__atext_para(jx__atext *t, const char *raw, size_t len, unsigned line);
/* Appends one table row of n raw UTF-8 cells (copied and normalised).
 * False on OOM. */
bool jx__atext_row(jx__atext *t, int table, int row, const char *const *cells, const size_t *lens,
                   size_t n, unsigned line);
/* The same, with each cell's own line (copied; NULL as above). */
bool jx__atext_row_lines(jx__atext *t, int table, int row, const char *const *cells,
                         const size_t *lens, size_t n, unsigned line, const unsigned *lines);

#endif
