/* The report as Markdown, for pasting into other systems: headings by
 * level, paragraphs, attachments as pipe tables (merged cells repeated as
 * blanks, since Markdown tables cannot merge), findings at the end. */
#include "report.h"

#include <stdio.h>
#include <string.h>

/* Pipes and line breaks would break a table row. */
static void cell_text(jx__buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			jx__buf_adds(b, "\\|");
		else if (*s == '\n')
			jx__buf_adds(b, "<br>");
		else
			jx__buf_addc(b, *s);
	}
}

static void md_table(jx__buf *b, const jx__rtable *t)
{
	int ncols = t->def->ncols;
	jx__buf_printf(b, "\n**%s%s%s**\n\n", t->def->name ? t->def->name : "",
	               t->def->name ? "　" : "", t->def->title ? t->def->title : "");
	for (size_t r = 0; r < t->nrows; r++) {
		const jx__rrow *row = &t->rows[r];
		int col = 0;
		jx__buf_addc(b, '|');
		for (size_t i = 0; i < row->ncells; i++) {
			const jx__rcell *c = &row->cells[i];
			for (; col < c->col; col++)
				jx__buf_adds(b, "  |");
			jx__buf_addc(b, ' ');
			if (!c->covered)
				cell_text(b, c->text);
			jx__buf_adds(b, " |");
			for (int k = 1; k < c->colspan; k++)
				jx__buf_adds(b, "  |");
			col += c->colspan;
		}
		for (; col < ncols; col++)
			jx__buf_adds(b, "  |");
		jx__buf_addc(b, '\n');
		if (r == 0) {
			jx__buf_addc(b, '|');
			for (int k = 0; k < ncols; k++)
				jx__buf_adds(b, " --- |");
			jx__buf_addc(b, '\n');
		}
	}
	for (size_t i = 0; i < t->nnotes; i++)
		jx__buf_printf(b, "\n%s\n", t->notes[i]);
}

static void md_findings(jx__buf *b, const jx__report *r)
{
	if (!r->findings || !jx_diags_count(r->findings))
		return;
	jx__buf_adds(b, "\n---\n\n## 核查发现\n\n");
	for (size_t i = 0; i < jx_diags_count(r->findings); i++) {
		const jx_diag *g = jx_diags_get(r->findings, i);
		jx__buf_printf(b, "- **%s[%s]** %s", jx_severity_name(g->severity), g->id,
		               g->message);
		if (g->note)
			jx__buf_printf(b, "（%s）", g->note);
		jx__buf_addc(b, '\n');
		if (g->explanation)
			jx__buf_printf(b, "  - 说明：%s\n", g->explanation);
	}
}

char *jx__render_markdown(const jx__report *r)
{
	jx__buf b;
	jx__buf_init(&b, r->doc->alloc);
	if (r->nerrors)
		jx__buf_printf(&b, "> **草稿**：尚有 %zu 个错误未改正。\n\n", r->nerrors);
	jx__buf_printf(&b, "# %s\n", r->title);
	for (size_t i = 0; i < r->nblocks; i++) {
		const jx__block *bl = &r->blocks[i];
		if (bl->kind == JX_B_HEADING)
			jx__buf_printf(&b, "\n%.*s %s%s\n", bl->level + 1, "#######", bl->number,
			               bl->text);
		else if (bl->kind == JX_B_PARA)
			jx__buf_printf(&b, "\n%s\n", bl->text);
		else if (bl->table)
			md_table(&b, bl->table);
	}
	md_findings(&b, r);
	return jx__buf_take(&b);
}
