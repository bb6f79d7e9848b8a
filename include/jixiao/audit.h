/* Audit: reads a self-evaluation report as published (.txt, .docx; PDF
 * text through pdftotext in the CLI) and lists what does not add up.
 *
 * The report's outline is checked for numbering (X01); the figures it
 * states — in prose, key–value forms and tables — are mapped onto the
 * scheme's fields and the rule pack runs on them, each rule only when
 * every input it reads was found (a missing figure is never a finding);
 * text rules add X02 (a stated count against the list that follows), X03
 * (a figure stated twice with different values) and X04 (a unit slip).
 * Every finding names the report's line and quotes the snippet. */
#ifndef JIXIAO_AUDIT_H
#define JIXIAO_AUDIT_H

#include "jixiao/jixiao.h"

typedef struct jx_audit jx_audit;

/* Audits one report held in buf (name is how findings name it; a name
 * ending in .docx, or bytes starting with a zip header, read as DOCX).
 * Findings go to findings (sorted by line); NULL if the report cannot be
 * read at all, with the reason in findings as a fatal diagnostic. */
jx_audit *jx_audit_mem(const jx_scheme *s, const char *name, const char *buf, size_t len,
                       const jx_allocator *alloc, jx_diags *findings);
void jx_audit_free(jx_audit *a);

/* What was extracted, as a data file of the scheme (required fields the
 * report does not state hold "（报告中未找到）"), for `--extract`: complete
 * it and run check.  NULL if nothing could be written. */
const char *jx_audit_yaml(const jx_audit *a);

/* The figures the report states, in report order (restatements
 * included; first tells the first statement of its path). */
typedef struct jx_audit_figure {
	const char *path, *value;
	unsigned line;
	const char *snippet;
	bool first;
} jx_audit_figure;
size_t jx_audit_figure_count(const jx_audit *a);
bool jx_audit_figure_at(const jx_audit *a, size_t i, jx_audit_figure *out);

/* One JSON object (one line) for an audited file, the shape of check's
 * (file, findings with "snippet", summary) plus "extracted": {path:
 * {"value", "line"}}.  a may be NULL when the file could not be read.
 * The caller frees the string with alloc->free. */
char *jx_audit_render_json(const jx_audit *a, const char *file, const jx_diags *diags,
                           const jx_allocator *alloc);

#endif
