/* The report as a Word document (OOXML), laid out per GB/T 9704 (党政机关
 * 公文格式): A4, margins 37/35/28/26 mm, title in 二号 方正小标宋简体, body
 * in 三号 仿宋_GB2312 with 28 pt fixed line spacing, headings in 黑体 /
 * 楷体_GB2312 / bold 仿宋, page numbers "— N —" in the footer.  Attachments
 * start on new pages as bordered tables with merged cells.  Every part is
 * written as XML text here and zipped with libzip using a fixed timestamp,
 * so the file is byte-identical run to run. */
#include "report.h"
#include "writers.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

#define W_NS     "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define R_NS     "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"

/* Page geometry in twips (1/20 pt): A4, GB/T 9704 margins. */
#define PAGE_W   11906
#define PAGE_H   16838
#define MARGIN_T 2098
#define MARGIN_B 1984
#define MARGIN_L 1588
#define MARGIN_R 1474
#define TEXT_W   (PAGE_W - MARGIN_L - MARGIN_R)
#define MAXCOLS  64

#define F_TITLE "方正小标宋简体"
#define F_BODY  "仿宋_GB2312"
#define F_HEI   "黑体"
#define F_KAI   "楷体_GB2312"
#define F_SONG  "宋体"

/* ---- XML text ---- */

/* Escapes s for element content and attributes; characters XML 1.0 cannot
 * carry are dropped.  Stops at n bytes. */
static void esc_n(jx__buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '&')
			jx__buf_adds(b, "&amp;");
		else if (c == '<')
			jx__buf_adds(b, "&lt;");
		else if (c == '>')
			jx__buf_adds(b, "&gt;");
		else if (c == '"')
			jx__buf_adds(b, "&quot;");
		else if (c < 0x20 && c != '\t')
			continue;
		else
			jx__buf_addc(b, (char)c);
	}
}

static void esc(jx__buf *b, const char *s)
{
	esc_n(b, s, s ? strlen(s) : 0);
}

/* One run of text; "\n" becomes a line break inside the paragraph. */
static void run(jx__buf *b, const char *s, bool bold)
{
	if (!s || !*s)
		return;
	jx__buf_adds(b, "<w:r>");
	if (bold)
		jx__buf_adds(b, "<w:rPr><w:b/><w:bCs/></w:rPr>");
	for (;;) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		if (n) {
			jx__buf_adds(b, "<w:t xml:space=\"preserve\">");
			esc_n(b, s, n);
			jx__buf_adds(b, "</w:t>");
		}
		if (!nl)
			break;
		jx__buf_adds(b, "<w:br/>");
		s = nl + 1;
	}
	jx__buf_adds(b, "</w:r>");
}

/* A paragraph of style `style` holding text (no line breaks in it). */
static void para_n(jx__buf *b, const char *style, const char *s, size_t n)
{
	jx__buf_printf(b, "<w:p><w:pPr><w:pStyle w:val=\"%s\"/></w:pPr>", style);
	if (n) {
		jx__buf_adds(b, "<w:r><w:t xml:space=\"preserve\">");
		esc_n(b, s, n);
		jx__buf_adds(b, "</w:t></w:r>");
	}
	jx__buf_adds(b, "</w:p>\n");
}

/* Text with "\n" as separate paragraphs (empty lines dropped). */
static void paras(jx__buf *b, const char *style, const char *s)
{
	while (s && *s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		if (n)
			para_n(b, style, s, n);
		s = nl ? nl + 1 : s + n;
	}
}

/* ---- attachment tables ---- */

typedef struct tgrid {
	int width;
	int colw[MAXCOLS]; /* twips */
	int rem[MAXCOLS];  /* rows (this one included) a vertical merge still covers */
	int span[MAXCOLS]; /* at a merge's first column: its colspan; 0 inside */
} tgrid;

static void cell_open(jx__buf *b, const tgrid *g, int pos, int span, const char *vmerge)
{
	int w = 0;
	for (int k = pos; k < pos + span && k < g->width; k++)
		w += g->colw[k];
	jx__buf_printf(b, "<w:tc><w:tcPr><w:tcW w:w=\"%d\" w:type=\"dxa\"/>", w);
	if (span > 1)
		jx__buf_printf(b, "<w:gridSpan w:val=\"%d\"/>", span);
	if (vmerge)
		jx__buf_adds(b, vmerge);
	jx__buf_adds(b, "<w:vAlign w:val=\"center\"/></w:tcPr>");
}

/* An empty cell: a vertical-merge continuation or a plain filler. */
static void empty_cell(jx__buf *b, const tgrid *g, int pos, int span, bool cont)
{
	cell_open(b, g, pos, span, cont ? "<w:vMerge/>" : NULL);
	jx__buf_adds(b, "<w:p><w:pPr><w:pStyle w:val=\"JxCell\"/></w:pPr></w:p></w:tc>");
}

/* Fills grid columns *pos..to-1: continuation cells under active vertical
 * merges, plain empty cells elsewhere. */
static void fill_gap(jx__buf *b, const tgrid *g, int *pos, int to)
{
	while (*pos < to) {
		int p = *pos;
		if (g->rem[p] > 0 && g->span[p] > 0) {
			int span = g->span[p];
			if (p + span > g->width)
				span = g->width - p;
			empty_cell(b, g, p, span, true);
			*pos += span;
			continue;
		}
		int end = p + 1;
		while (end < to && !(g->rem[end] > 0 && g->span[end] > 0))
			end++;
		empty_cell(b, g, p, end - p, false);
		*pos = end;
	}
}

static bool is_number(const jx__rcell *c)
{
	return c->is_value && c->value.type == JX_V_NUM;
}

static bool free_after(const tgrid *g, int from)
{
	for (int k = from; k < g->width; k++)
		if (g->rem[k] > 0)
			return false;
	return true;
}

static void table_row(jx__buf *b, const jx__rrow *row, tgrid *g)
{
	int pos = 0;
	jx__buf_adds(b, "<w:tr><w:trPr><w:cantSplit/></w:trPr>");
	for (size_t i = 0; i < row->ncells; i++) {
		const jx__rcell *c = &row->cells[i];
		if (c->col < pos || c->col >= g->width)
			continue;
		fill_gap(b, g, &pos, c->col);
		int span = c->colspan < 1 ? 1 : c->colspan;
		if (pos + span > g->width)
			span = g->width - pos;
		if (c->covered) {
			empty_cell(b, g, pos, span, true);
			pos += span;
			continue;
		}
		bool merge = c->rowspan > 1;
		/* The last cell of a short row stretches to the table's edge. */
		if (i + 1 == row->ncells && !merge && free_after(g, pos + span))
			span = g->width - pos;
		cell_open(b, g, pos, span, merge ? "<w:vMerge w:val=\"restart\"/>" : NULL);
		if (merge) {
			for (int k = pos; k < pos + span; k++) {
				g->rem[k] = c->rowspan;
				g->span[k] = k == pos ? span : 0;
			}
		}
		const char *jc = row->header              ? "center"
		                 : is_number(c)           ? "right"
		                 : !strcmp(c->text, "——") ? "center"
		                                          : NULL;
		jx__buf_adds(b, "<w:p><w:pPr><w:pStyle w:val=\"JxCell\"/>");
		if (row->indent > 0 && !row->header && i == 0)
			jx__buf_printf(b, "<w:ind w:left=\"%d\"/>", row->indent * 240);
		if (jc)
			jx__buf_printf(b, "<w:jc w:val=\"%s\"/>", jc);
		jx__buf_adds(b, "</w:pPr>");
		run(b, c->text, row->header);
		jx__buf_adds(b, "</w:p></w:tc>");
		pos += span;
	}
	fill_gap(b, g, &pos, g->width);
	jx__buf_adds(b, "</w:tr>\n");
	for (int k = 0; k < MAXCOLS; k++)
		if (g->rem[k] > 0)
			g->rem[k]--;
}

/* Display width of the longest line of s. */
static int line_width(const char *s)
{
	size_t best = 0;
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		size_t w = 0, i = 0;
		while (i < n)
			w += jx__cp_width(jx__utf8_next(s, n, &i));
		if (w > best)
			best = w;
		s += n + (nl ? 1 : 0);
	}
	return best > 1000 ? 1000 : (int)best;
}

/* Columns share the text width in proportion to the widest one-column
 * text they hold (between 8 and 16 half-width characters; numbers get
 * room to stay on one line), so labels and
 * long indicator names get room while number columns stay narrow. */
static void column_widths(const jx__rtable *t, tgrid *g)
{
	int want[MAXCOLS], total = 0;
	for (int k = 0; k < g->width; k++)
		want[k] = 8;
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t i = 0; i < t->rows[r].ncells; i++) {
			const jx__rcell *c = &t->rows[r].cells[i];
			if (c->colspan > 1 || c->covered || c->col < 0 || c->col >= g->width)
				continue;
			int w = line_width(c->text) + (is_number(c) ? 5 : 0);
			w = w > 16 ? 16 : w;
			if (w > want[c->col])
				want[c->col] = w;
		}
	for (int k = 0; k < g->width; k++)
		total += want[k];
	int used = 0;
	for (int k = 0; k < g->width; k++) {
		g->colw[k] = k + 1 < g->width ? TEXT_W * want[k] / total : TEXT_W - used;
		used += g->colw[k];
	}
}

static void table(jx__buf *b, const jx__rtable *t)
{
	tgrid g;
	memset(&g, 0, sizeof g);
	g.width = t->def->ncols;
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t i = 0; i < t->rows[r].ncells; i++) {
			const jx__rcell *c = &t->rows[r].cells[i];
			int end = c->col + (c->colspan < 1 ? 1 : c->colspan);
			if (end > g.width)
				g.width = end;
		}
	if (g.width < 1)
		g.width = 1;
	if (g.width > MAXCOLS)
		g.width = MAXCOLS;
	column_widths(t, &g);

	jx__buf_adds(b,
	             "<w:p><w:pPr><w:pStyle w:val=\"JxAttachName\"/><w:pageBreakBefore/></w:pPr>");
	run(b, t->def->name, false);
	jx__buf_adds(b, "</w:p>\n");
	if (t->def->title && t->def->title[0])
		paras(b, "JxAttachTitle", t->def->title);
	jx__buf_printf(b,
	               "<w:tbl><w:tblPr><w:tblW w:w=\"%d\" w:type=\"dxa\"/><w:jc "
	               "w:val=\"center\"/><w:tblBorders>",
	               TEXT_W);
	static const char *const sides[] = {"top", "left", "bottom", "right", "insideH", "insideV"};
	for (size_t i = 0; i < sizeof sides / sizeof sides[0]; i++)
		jx__buf_printf(b,
		               "<w:%s w:val=\"single\" w:sz=\"4\" w:space=\"0\" "
		               "w:color=\"000000\"/>",
		               sides[i]);
	jx__buf_adds(b, "</w:tblBorders><w:tblLayout w:type=\"fixed\"/><w:tblCellMar><w:left "
	                "w:w=\"57\" w:type=\"dxa\"/><w:right w:w=\"57\" "
	                "w:type=\"dxa\"/></w:tblCellMar><w:tblLook w:val=\"0000\"/></w:tblPr>");
	jx__buf_adds(b, "<w:tblGrid>");
	for (int k = 0; k < g.width; k++)
		jx__buf_printf(b, "<w:gridCol w:w=\"%d\"/>", g.colw[k]);
	jx__buf_adds(b, "</w:tblGrid>\n");
	for (size_t r = 0; r < t->nrows; r++)
		table_row(b, &t->rows[r], &g);
	jx__buf_adds(b, "</w:tbl>\n");
	for (size_t i = 0; i < t->nnotes; i++)
		paras(b, "JxNote", t->notes[i]);
}

/* ---- word/document.xml ---- */

static void findings_appendix(jx__buf *b, const jx__report *r)
{
	if (!r->nwarnings || !r->findings)
		return;
	para_n(b, "Heading1", "附：核查提示", strlen("附：核查提示"));
	for (size_t i = 0; i < jx_diags_count(r->findings); i++) {
		const jx_diag *g = jx_diags_get(r->findings, i);
		if (g->severity != JX_SEV_WARNING && g->severity != JX_SEV_INFO)
			continue;
		jx__buf_adds(b, "<w:p><w:pPr><w:pStyle w:val=\"Normal\"/></w:pPr><w:r><w:t "
		                "xml:space=\"preserve\">【");
		esc(b, g->id);
		jx__buf_adds(b, "】");
		esc(b, g->message);
		if (g->note && g->note[0]) {
			jx__buf_adds(b, "（");
			esc(b, g->note);
			jx__buf_adds(b, "）");
		}
		if (g->explanation) {
			jx__buf_adds(b, "（说明：");
			esc(b, g->explanation);
			jx__buf_adds(b, "）");
		}
		jx__buf_adds(b, "</w:t></w:r></w:p>\n");
	}
}

static void document_xml(jx__buf *b, const jx__report *r)
{
	jx__buf_adds(b,
	             XML_DECL "<w:document xmlns:w=\"" W_NS "\" xmlns:r=\"" R_NS "\"><w:body>\n");
	if (r->nerrors) {
		char draft[128];
		snprintf(draft, sizeof draft, "草稿：尚有 %zu 个错误未改正", r->nerrors);
		para_n(b, "JxDraft", draft, strlen(draft));
	}
	paras(b, "Title", r->title);
	for (size_t i = 0; i < r->nblocks; i++) {
		const jx__block *bl = &r->blocks[i];
		if (bl->kind == JX_B_HEADING) {
			int level = bl->level < 1 ? 1 : bl->level > 4 ? 4 : bl->level;
			jx__buf_printf(b, "<w:p><w:pPr><w:pStyle w:val=\"Heading%d\"/></w:pPr>",
			               level);
			jx__buf_adds(b, "<w:r><w:t xml:space=\"preserve\">");
			esc(b, bl->number);
			esc(b, bl->text);
			jx__buf_adds(b, "</w:t></w:r></w:p>\n");
		} else if (bl->kind == JX_B_PARA) {
			paras(b, "Normal", bl->text);
		} else if (bl->table) {
			table(b, bl->table);
		}
	}
	findings_appendix(b, r);
	jx__buf_printf(b,
	               "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rId4\"/>"
	               "<w:pgSz w:w=\"%d\" w:h=\"%d\"/>"
	               "<w:pgMar w:top=\"%d\" w:right=\"%d\" w:bottom=\"%d\" w:left=\"%d\" "
	               "w:header=\"851\" w:footer=\"1304\" w:gutter=\"0\"/>"
	               "<w:cols w:space=\"425\"/></w:sectPr>\n</w:body></w:document>\n",
	               PAGE_W, PAGE_H, MARGIN_T, MARGIN_R, MARGIN_B, MARGIN_L);
}

/* ---- the other parts ---- */

static const char content_types[] = XML_DECL
        "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        "<Default Extension=\"rels\" "
        "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
        "<Override PartName=\"/word/document.xml\" "
        "ContentType=\"application/"
        "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
        "<Override PartName=\"/word/styles.xml\" "
        "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/"
        ">"
        "<Override PartName=\"/word/settings.xml\" "
        "ContentType=\"application/"
        "vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>"
        "<Override PartName=\"/word/fontTable.xml\" "
        "ContentType=\"application/"
        "vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml\"/>"
        "<Override PartName=\"/word/footer1.xml\" "
        "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/"
        ">"
        "<Override PartName=\"/docProps/core.xml\" "
        "ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
        "<Override PartName=\"/docProps/app.xml\" "
        "ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>"
        "</Types>\n";

static const char root_rels[] = XML_DECL
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" "
        "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
        "officeDocument\" Target=\"word/document.xml\"/>"
        "<Relationship Id=\"rId2\" "
        "Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
        "core-properties\" Target=\"docProps/core.xml\"/>"
        "<Relationship Id=\"rId3\" "
        "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
        "extended-properties\" Target=\"docProps/app.xml\"/>"
        "</Relationships>\n";

static const char document_rels[] = XML_DECL
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" "
        "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" "
        "Target=\"styles.xml\"/>"
        "<Relationship Id=\"rId2\" "
        "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" "
        "Target=\"settings.xml\"/>"
        "<Relationship Id=\"rId3\" "
        "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable\" "
        "Target=\"fontTable.xml\"/>"
        "<Relationship Id=\"rId4\" "
        "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" "
        "Target=\"footer1.xml\"/>"
        "</Relationships>\n";

static const char settings_xml[] =
        XML_DECL "<w:settings xmlns:w=\"" W_NS "\"><w:zoom w:percent=\"100\"/>"
                 "<w:defaultTabStop w:val=\"420\"/>"
                 "<w:characterSpacingControl w:val=\"compressPunctuation\"/>"
                 "<w:compat><w:compatSetting w:name=\"compatibilityMode\" "
                 "w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>"
                 "</w:settings>\n";

static const char footer_xml[] =
        XML_DECL "<w:ftr xmlns:w=\"" W_NS "\" xmlns:r=\"" R_NS "\">"
                 "<w:p><w:pPr><w:pStyle w:val=\"Footer\"/></w:pPr>"
                 "<w:r><w:t xml:space=\"preserve\">— </w:t></w:r>"
                 "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
                 "<w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>"
                 "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
                 "<w:r><w:t>1</w:t></w:r>"
                 "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
                 "<w:r><w:t xml:space=\"preserve\"> —</w:t></w:r>"
                 "</w:p></w:ftr>\n";

static const char app_xml[] = XML_DECL
        "<Properties "
        "xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\" "
        "xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">"
        "<Application>jixiao</Application><DocSecurity>0</DocSecurity></Properties>\n";

/* Official fonts and the installed fonts LibreOffice may use instead. */
static const struct {
	const char *name, *alt, *family;
} fonts[] = {
        {"Times New Roman", NULL, "roman"},     {F_TITLE, "Noto Serif CJK SC", "roman"},
        {F_BODY, "Noto Serif CJK SC", "roman"}, {F_HEI, "Noto Sans CJK SC", "swiss"},
        {F_KAI, "Noto Serif CJK SC", "roman"},  {F_SONG, "Noto Serif CJK SC", "roman"},
};

static void font_table_xml(jx__buf *b)
{
	jx__buf_adds(b, XML_DECL "<w:fonts xmlns:w=\"" W_NS "\">");
	for (size_t i = 0; i < sizeof fonts / sizeof fonts[0]; i++) {
		jx__buf_printf(b, "<w:font w:name=\"%s\">", fonts[i].name);
		if (fonts[i].alt)
			jx__buf_printf(b, "<w:altName w:val=\"%s\"/>", fonts[i].alt);
		jx__buf_printf(b,
		               "<w:charset w:val=\"%s\"/><w:family w:val=\"%s\"/>"
		               "<w:pitch w:val=\"variable\"/></w:font>",
		               fonts[i].alt ? "86" : "00", fonts[i].family);
	}
	jx__buf_adds(b, "</w:fonts>\n");
}

/* rFonts with an East Asian face and Times New Roman for Latin text. */
static void rfonts(jx__buf *b, const char *east)
{
	jx__buf_printf(b,
	               "<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" "
	               "w:eastAsia=\"%s\" w:cs=\"Times New Roman\"/>",
	               east);
}

typedef struct pstyle {
	const char *id, *name, *font;
	int size;       /* half-points */
	bool bold, ind; /* first-line indent of two characters */
	const char *jc, *spacing, *extra_ppr, *color;
	int outline; /* -1: none */
} pstyle;

#define EXACT     "<w:spacing w:before=\"0\" w:after=\"0\" w:line=\"560\" w:lineRule=\"exact\"/>"
#define SINGLE    "<w:spacing w:before=\"0\" w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/>"
#define NO_INDENT "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/>"

static const pstyle pstyles[] = {
        {"Normal", "Normal", F_BODY, 32, false, true, "both", EXACT, NULL, NULL, -1},
        {"Title", "Title", F_TITLE, 44, false, false, "center",
         "<w:spacing w:before=\"0\" w:after=\"560\" w:line=\"700\" w:lineRule=\"exact\"/>", NULL,
         NULL, -1},
        {"Heading1", "heading 1", F_HEI, 32, false, true, "both", EXACT, "<w:keepNext/>", NULL, 0},
        {"Heading2", "heading 2", F_KAI, 32, false, true, "both", EXACT, "<w:keepNext/>", NULL, 1},
        {"Heading3", "heading 3", F_BODY, 32, true, true, "both", EXACT, "<w:keepNext/>", NULL, 2},
        {"Heading4", "heading 4", F_BODY, 32, true, true, "both", EXACT, "<w:keepNext/>", NULL, 3},
        {"JxDraft", "Draft", F_HEI, 32, false, false, "left", EXACT, NULL, "FF0000", -1},
        {"JxAttachName", "Attachment Name", F_HEI, 32, false, false, "left", EXACT, "<w:keepNext/>",
         NULL, -1},
        {"JxAttachTitle", "Attachment Title", F_TITLE, 36, false, false, "center",
         "<w:spacing w:before=\"120\" w:after=\"240\" w:line=\"240\" w:lineRule=\"auto\"/>",
         "<w:keepNext/>", NULL, -1},
        {"JxCell", "Table Text", F_BODY, 21, false, false, "left", SINGLE, NULL, NULL, -1},
        {"JxNote", "Table Note", F_BODY, 24, false, false, "both",
         "<w:spacing w:before=\"60\" w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/>", NULL,
         NULL, -1},
        {"Footer", "footer", F_SONG, 28, false, false, "center", SINGLE, NULL, NULL, -1},
};

static void styles_xml(jx__buf *b)
{
	jx__buf_adds(b, XML_DECL "<w:styles xmlns:w=\"" W_NS
	                         "\"><w:docDefaults><w:rPrDefault><w:rPr>");
	rfonts(b, F_BODY);
	jx__buf_adds(b, "<w:kern w:val=\"2\"/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/>"
	                "<w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\"/>"
	                "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>" EXACT
	                "</w:pPr></w:pPrDefault></w:docDefaults>\n");
	for (size_t i = 0; i < sizeof pstyles / sizeof pstyles[0]; i++) {
		const pstyle *s = &pstyles[i];
		bool normal = !strcmp(s->id, "Normal");
		jx__buf_printf(
		        b,
		        "<w:style w:type=\"paragraph\"%s w:styleId=\"%s\"><w:name w:val=\"%s\"/>",
		        normal ? " w:default=\"1\"" : "", s->id, s->name);
		if (!normal)
			jx__buf_adds(b, "<w:basedOn w:val=\"Normal\"/>");
		if (!normal && s->outline < 0)
			jx__buf_adds(b, "<w:next w:val=\"Normal\"/>");
		jx__buf_adds(b, "<w:qFormat/><w:pPr>");
		if (s->extra_ppr)
			jx__buf_adds(b, s->extra_ppr);
		jx__buf_adds(b, "<w:widowControl/>");
		jx__buf_adds(b, s->spacing);
		jx__buf_adds(b, s->ind ? "<w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/>"
		                       : NO_INDENT);
		jx__buf_printf(b, "<w:jc w:val=\"%s\"/>", s->jc);
		if (s->outline >= 0)
			jx__buf_printf(b, "<w:outlineLvl w:val=\"%d\"/>", s->outline);
		jx__buf_adds(b, "</w:pPr><w:rPr>");
		rfonts(b, s->font);
		if (s->bold)
			jx__buf_adds(b, "<w:b/><w:bCs/>");
		if (s->color)
			jx__buf_printf(b, "<w:color w:val=\"%s\"/>", s->color);
		jx__buf_printf(b, "<w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/></w:rPr></w:style>\n",
		               s->size, s->size);
	}
	jx__buf_adds(b, "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\">"
	                "<w:name w:val=\"Normal Table\"/><w:tblPr><w:tblInd w:w=\"0\" "
	                "w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left "
	                "w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right "
	                "w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\n");
	jx__buf_adds(b, "</w:styles>\n");
}

static void w3c_time(char *buf, size_t size, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm)) {
		snprintf(buf, size, "2000-01-01T00:00:00Z");
		return;
	}
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void core_xml(jx__buf *b, const jx__report *r, int64_t t)
{
	char when[64];
	w3c_time(when, sizeof when, t);
	jx__buf_adds(b,
	             XML_DECL "<cp:coreProperties "
	                      "xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/"
	                      "core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
	                      "xmlns:dcterms=\"http://purl.org/dc/terms/\" "
	                      "xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" "
	                      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>");
	esc(b, r->title);
	jx__buf_printf(b,
	               "</dc:title><dc:creator>jixiao</dc:creator>"
	               "<dcterms:created xsi:type=\"dcterms:W3CDTF\">%s</dcterms:created>"
	               "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">%s</dcterms:modified>"
	               "</cp:coreProperties>\n",
	               when, when);
}

/* ---- the package ---- */

enum {
	P_TYPES,
	P_RELS,
	P_DOC,
	P_STYLES,
	P_SETTINGS,
	P_FONTS,
	P_FOOTER,
	P_DOCRELS,
	P_CORE,
	P_APP,
	NPARTS
};

static const char *const part_names[NPARTS] = {
        "[Content_Types].xml", "_rels/.rels",
        "word/document.xml",   "word/styles.xml",
        "word/settings.xml",   "word/fontTable.xml",
        "word/footer1.xml",    "word/_rels/document.xml.rels",
        "docProps/core.xml",   "docProps/app.xml",
};

/* MS-DOS date and time (UTC) of t, clamped to 1980..2107. */
static void dos_time(int64_t t, zip_uint16_t *dtime, zip_uint16_t *ddate)
{
	time_t tt = (time_t)(t < 315532800 ? 315532800 : t);
	struct tm tm;
	if (!gmtime_r(&tt, &tm) || tm.tm_year > 207) {
		*dtime = 0;
		*ddate = (zip_uint16_t)((0 << 9) | (1 << 5) | 1);
		return;
	}
	*dtime = (zip_uint16_t)((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
	*ddate = (zip_uint16_t)(((tm.tm_year - 80) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
}

static bool add_part(zip_t *z, const char *name, const char *data, size_t len, zip_uint16_t dtime,
                     zip_uint16_t ddate)
{
	zip_source_t *src = zip_source_buffer(z, data, len, 0);
	if (!src)
		return false;
	zip_int64_t idx = zip_file_add(z, name, src, ZIP_FL_ENC_UTF_8);
	if (idx < 0) {
		zip_source_free(src);
		return false;
	}
	zip_uint64_t i = (zip_uint64_t)idx;
	/* Level 1: a report is a few tens of KB either way, and deflate is most
	 * of the time spent writing one (level 6 costs three times as much). */
	return zip_set_file_compression(z, i, ZIP_CM_DEFLATE, 1) == 0 &&
	       zip_file_set_dostime(z, i, dtime, ddate, 0) == 0;
}

/* Zips the parts in memory, then writes the archive once (atomically):
 * libzip writing to a path would stage its own temporary file. */
static jx_status zip_parts(const jx_allocator *a, jx__buf *parts, int64_t t, const char *path,
                           jx_diags *errors)
{
	jx__loc l = {path, 0, 0};
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *mem = zip_source_buffer_create(NULL, 0, 0, &ze);
	zip_t *z = NULL;
	jx_status st = JX_ERR_IO;
	char *out = NULL;
	if (!mem)
		goto fail;
	zip_source_keep(mem); /* outlives zip_close, which writes into it */
	if (!(z = zip_open_from_source(mem, ZIP_TRUNCATE, &ze)))
		goto fail;
	zip_uint16_t dtime, ddate;
	dos_time(t, &dtime, &ddate);
	for (int i = 0; i < NPARTS; i++)
		if (!add_part(z, part_names[i], parts[i].data, parts[i].len, dtime, ddate))
			goto fail;
	if (zip_close(z) != 0)
		goto fail;
	z = NULL;
	zip_stat_t zs;
	if (zip_source_stat(mem, &zs) != 0 || !(zs.valid & ZIP_STAT_SIZE) ||
	    zip_source_open(mem) != 0)
		goto fail;
	out = jx__alloc(a, zs.size ? (size_t)zs.size : 1);
	zip_int64_t got = out ? zip_source_read(mem, out, zs.size) : -1;
	zip_source_close(mem);
	if (got < 0 || (zip_uint64_t)got != zs.size)
		goto fail;
	st = jx__write_atomic(path, out, (size_t)zs.size, errors);
	jx__free(a, out);
	zip_source_free(mem);
	zip_error_fini(&ze);
	return st;
fail:
	jx__diag_fatal(errors, "W01", l, NULL, "写入 DOCX 失败：%s",
	               z ? zip_strerror(z) : zip_error_strerror(&ze));
	if (z)
		zip_discard(z);
	jx__free(a, out);
	zip_source_free(mem);
	zip_error_fini(&ze);
	return st;
}

jx_status jx__write_docx(const jx__report *r, const char *path, const jx_report_opts *o,
                         jx_diags *errors)
{
	const jx_allocator *a = r->doc->alloc;
	jx__loc l = {path, 0, 0};
	jx__buf parts[NPARTS];
	for (int i = 0; i < NPARTS; i++)
		jx__buf_init(&parts[i], a);
	int64_t t = jx__doc_time(o);
	jx__buf_adds(&parts[P_TYPES], content_types);
	jx__buf_adds(&parts[P_RELS], root_rels);
	document_xml(&parts[P_DOC], r);
	styles_xml(&parts[P_STYLES]);
	jx__buf_adds(&parts[P_SETTINGS], settings_xml);
	font_table_xml(&parts[P_FONTS]);
	jx__buf_adds(&parts[P_FOOTER], footer_xml);
	jx__buf_adds(&parts[P_DOCRELS], document_rels);
	core_xml(&parts[P_CORE], r, t);
	jx__buf_adds(&parts[P_APP], app_xml);

	jx_status st = JX_OK;
	for (int i = 0; i < NPARTS; i++)
		if (parts[i].oom)
			st = JX_ERR_OOM;
	if (st != JX_OK) {
		jx__diag_fatal(errors, "Y00", l, NULL, "内存不足");
		goto done;
	}
	st = zip_parts(a, parts, t, path, errors);
done:
	for (int i = 0; i < NPARTS; i++)
		jx__buf_fini(&parts[i]);
	return st;
}
