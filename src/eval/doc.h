/* Internal model of one unit's evaluation: the values loaded from its data
 * file (with their positions) and, after evaluation, the computed ones. */
#ifndef JX_DOC_H
#define JX_DOC_H

#include "../scheme/scheme.h"

typedef struct jx__pos {
	unsigned line, col;
} jx__pos;

typedef struct jx__doc_table {
	size_t nrows;
	jx_value *cells; /* nrows * ncols */
	jx__pos *pos;    /* per cell; {0,0} when the cell was not written */
	jx__pos *rowpos; /* per row */
} jx__doc_table;

struct jx_doc {
	const jx_allocator *alloc;
	const jx_scheme *s;
	jx__arena arena;
	const char *file;
	jx_value *vals; /* per scheme slot */
	jx__pos *pos;   /* per slot; {0,0} when absent */
	jx__doc_table *tables;
	jx__pos root;
	bool evaluated;
	char *score_table;
	/* Audit: run a rule only when every input it reads is present (a
	 * published report shows only part of the forms; a missing figure must
	 * never become a finding).  complete[] memoises derived slots. */
	bool strict_inputs;
	unsigned char *complete;
	/* The data file's `explanations:` (written 说明 of warnings). */
	jx_explanation *expl;
	size_t nexpl;
};

/* Value of a slot, table size and cell, for formulas and renderers. */
const jx_value *jx__doc_slot(const jx_doc *d, int slot);
size_t jx__doc_rows(const jx_doc *d, int table);
const jx_value *jx__doc_cell(const jx_doc *d, int table, size_t row, int col);
void jx__doc_env(jx_doc *d, jx__env *env);
/* The scheme's rule with this id, or NULL. */
const jx__rule *jx__doc_rule(const jx_doc *d, const char *id);

/* Formats a value for display by kind ("484.14", "68.25%", "（空）"). */
void jx__value_format(const jx_value *v, jx__kind kind, char *buf, size_t size);

#endif
