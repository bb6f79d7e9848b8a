/* The machine-readable form of a checked file: one JSON object per file,
 * numbers as exact decimal strings. */
#include "../eval/doc.h"
#include "jixiao/audit.h"

#include <stdio.h>
#include <string.h>

static void json_str(jx__buf *b, const char *s)
{
	if (!s) {
		jx__buf_adds(b, "null");
		return;
	}
	jx__buf_addc(b, '"');
	const unsigned char *run = (const unsigned char *)s, *p = run;
	for (; *p; p++) {
		if (*p >= 0x20 && *p != '"' && *p != '\\')
			continue; /* copied with its run below */
		jx__buf_add(b, (const char *)run, (size_t)(p - run));
		run = p + 1;
		switch (*p) {
		case '"':
			jx__buf_adds(b, "\\\"");
			break;
		case '\\':
			jx__buf_adds(b, "\\\\");
			break;
		case '\n':
			jx__buf_adds(b, "\\n");
			break;
		case '\r':
			jx__buf_adds(b, "\\r");
			break;
		case '\t':
			jx__buf_adds(b, "\\t");
			break;
		default:
			jx__buf_printf(b, "\\u%04x", *p);
		}
	}
	jx__buf_add(b, (const char *)run, (size_t)(p - run));
	jx__buf_addc(b, '"');
}

static void json_key(jx__buf *b, const char *k, bool first)
{
	if (!first)
		jx__buf_addc(b, ',');
	json_str(b, k);
	jx__buf_addc(b, ':');
}

static void json_finding(jx__buf *b, const jx_diag *g)
{
	jx__buf_addc(b, '{');
	json_key(b, "id", true);
	json_str(b, g->id);
	json_key(b, "severity", false);
	json_str(b, jx_severity_name(g->severity));
	json_key(b, "message", false);
	json_str(b, g->message);
	json_key(b, "note", false);
	json_str(b, g->note);
	json_key(b, "file", false);
	json_str(b, g->file);
	json_key(b, "line", false);
	jx__buf_printf(b, "%u", g->line);
	json_key(b, "column", false);
	jx__buf_printf(b, "%u", g->column);
	json_key(b, "path", false);
	json_str(b, g->path);
	json_key(b, "expected", false);
	json_str(b, g->expected);
	json_key(b, "actual", false);
	json_str(b, g->actual);
	json_key(b, "difference", false);
	json_str(b, g->difference);
	json_key(b, "tail", false);
	jx__buf_adds(b, g->tail ? "true" : "false");
	if (g->snippet) {
		json_key(b, "snippet", false);
		json_str(b, g->snippet);
	}
	if (g->explanation) {
		json_key(b, "explanation", false);
		json_str(b, g->explanation);
	}
	jx__buf_addc(b, '}');
}

/* A result slot as an exact string, or null. */
static void json_result(jx__buf *b, const jx_doc *d, int slot)
{
	char buf[256];
	const jx_value *v = slot >= 0 ? jx__doc_slot(d, slot) : NULL;
	if (!v || v->type == JX_V_BLANK) {
		jx__buf_adds(b, "null");
		return;
	}
	if (v->type == JX_V_NUM) {
		jx__kind k = d->s->fields[slot].kind;
		jx__format_exact(v->num, k, v->scale >= 0 ? v->scale : 2, buf, sizeof buf);
		json_str(b, buf);
	} else if (v->type == JX_V_TEXT) {
		json_str(b, v->s);
	} else {
		jx__buf_adds(b, "null");
	}
}

static void json_summary(jx__buf *b, const jx_doc *d, const jx_diags *diags)
{
	jx__buf_printf(b,
	               "{\"loaded\":%s,\"errors\":%zu,\"warnings\":%zu,\"infos\":%zu,"
	               "\"load_errors\":%zu",
	               d ? "true" : "false", jx_diags_count_sev(diags, JX_SEV_ERROR),
	               jx_diags_count_sev(diags, JX_SEV_WARNING),
	               jx_diags_count_sev(diags, JX_SEV_INFO),
	               jx_diags_count_sev(diags, JX_SEV_FATAL));
	if (d) {
		json_key(b, "computed_total", false);
		json_result(b, d, d->s->result.total);
		json_key(b, "computed_grade", false);
		json_result(b, d, d->s->result.grade);
		json_key(b, "stated_total", false);
		json_result(b, d, d->s->result.stated_total);
		json_key(b, "stated_grade", false);
		json_result(b, d, d->s->result.stated_grade);
	}
	jx__buf_addc(b, '}');
}

static void json_findings(jx__buf *b, const jx_diags *diags)
{
	json_key(b, "findings", false);
	jx__buf_addc(b, '[');
	for (size_t i = 0; i < jx_diags_count(diags); i++) {
		if (i)
			jx__buf_addc(b, ',');
		json_finding(b, jx_diags_get(diags, i));
	}
	jx__buf_addc(b, ']');
}

char *jx_render_json(const jx_doc *d, const char *file, const jx_diags *diags,
                     const jx_allocator *alloc)
{
	jx__buf b;
	jx__buf_init(&b, alloc ? alloc : jx_allocator_default());
	jx__buf_addc(&b, '{');
	json_key(&b, "file", true);
	json_str(&b, file);
	json_key(&b, "scheme", false);
	json_str(&b, d ? d->s->id : NULL);
	json_findings(&b, diags);
	json_key(&b, "summary", false);
	json_summary(&b, d, diags);
	jx__buf_addc(&b, '}');
	return jx__buf_take(&b);
}

/* The extracted figures: {"path": {"value": …, "line": n}, …}, the first
 * statement of each path. */
static void json_extracted(jx__buf *b, const jx_audit *a)
{
	jx_audit_figure f;
	bool first = true;
	jx__buf_addc(b, '{');
	size_t n = a ? jx_audit_figure_count(a) : 0;
	for (size_t i = 0; i < n && jx_audit_figure_at(a, i, &f); i++) {
		if (!f.first)
			continue;
		json_key(b, f.path, first);
		first = false;
		jx__buf_adds(b, "{\"value\":");
		json_str(b, f.value);
		jx__buf_printf(b, ",\"line\":%u}", f.line);
	}
	jx__buf_addc(b, '}');
}

char *jx_audit_render_json(const jx_audit *a, const char *file, const jx_diags *diags,
                           const jx_allocator *alloc)
{
	jx__buf b;
	jx__buf_init(&b, alloc ? alloc : jx_allocator_default());
	jx__buf_addc(&b, '{');
	json_key(&b, "file", true);
	json_str(&b, file);
	json_findings(&b, diags);
	jx__buf_printf(&b,
	               ",\"summary\":{\"read\":%s,\"errors\":%zu,\"warnings\":%zu,\"infos\":%zu,"
	               "\"figures\":%zu}",
	               a ? "true" : "false", jx_diags_count_sev(diags, JX_SEV_ERROR),
	               jx_diags_count_sev(diags, JX_SEV_WARNING),
	               jx_diags_count_sev(diags, JX_SEV_INFO), a ? jx_audit_figure_count(a) : 0);
	json_key(&b, "extracted", false);
	json_extracted(&b, a);
	jx__buf_addc(&b, '}');
	return jx__buf_take(&b);
}
