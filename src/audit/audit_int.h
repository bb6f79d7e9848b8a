/* Internals of audit: the figures a report states, and the passes over
 * its text (outline, extraction, text rules). */
#ifndef JX_AUDIT_INT_H
#define JX_AUDIT_INT_H

#include "../io/yaml_out.h"
#include "../scheme/scheme.h"
#include "jixiao/audit.h"
#include "numbers.h"
#include "text.h"

/* How an amount was written. */
enum { JX_U_NONE = 0, JX_U_WAN = 1, JX_U_YUAN = 2, JX_U_YI = 3 };

/* One value the report states, mapped onto a field of the scheme. */
typedef struct jx__fig {
	jx__yentry y;        /* path and the value as the data file writes it */
	unsigned line;       /* 1-based line (or paragraph) of the report */
	const char *snippet; /* the clause or table row it came from */
	bool has_num;
	jx_dec num;   /* the value in the field's unit (万元 for amounts) */
	int unit;     /* JX_U_*: how an amount was written */
	bool shadow;  /* a restatement: checked by X03/X04, not used for rules */
	bool dropped; /* withdrawn (an indicator table cut short): not used at all */
} jx__fig;

struct jx_audit {
	const jx_allocator *alloc;
	jx__arena arena;
	const jx_scheme *s;
	const char *file;
	jx__atext *text;
	jx__fig *figs;
	size_t nfigs, capfigs;
	jx__map first; /* path -> index of its first (non-shadow) figure */
	size_t *shown; /* the figures the report states (not placeholders or withdrawn) */
	size_t nshown;
	char *yaml;
	size_t headings;
	jx_diags *out; /* findings being collected */
	bool oom;
	bool project; /* a 项目支出绩效自评报告: its funds are the project's */
	bool errata;  /* reading a correction ("更正：…应为…"): it overrides */
};

/* Records a finding of the text rules (X01–X04) at a report line. */
void jx__audit_finding(jx_audit *A, jx_severity sev, const char *id, unsigned line,
                       const char *snippet, const char *expected, const char *actual,
                       const char *fmt, ...) __attribute__((format(printf, 8, 9)));

/* Adds a figure; a second statement of a path becomes a shadow. */
jx__fig *jx__audit_fig(jx_audit *A, const char *path, const char *value, unsigned line,
                       const char *snippet);

/* Layout helpers (extract.c): a PDF page number line; whether b's text was
 * wrapped by a layout into next. */
bool jx__audit_page_number(const char *t);
bool jx__audit_wraps(const jx__ablock *b, const jx__ablock *next);

/* The passes. */
void jx__audit_outline(jx_audit *A);
void jx__audit_extract(jx_audit *A);
void jx__audit_text_rules(jx_audit *A);

#endif
