/* The report as one self-contained printable HTML page: no external
 * assets and no scripts, print CSS for A4 with the 公文 fonts (仿宋 body,
 * 小标宋 title, 黑体 and 楷体 headings), attachments as real tables with
 * merged cells, each on its own printed page, and the check findings at the
 * end.  All text is escaped; output depends only on the report and the
 * document timestamp. */
#include "report.h"
#include "writers.h"

#include <stdio.h>
#include <string.h>

static const char css[] =
        "@page { size: A4; margin: 37mm 26mm 35mm 28mm; }\n"
        "html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }\n"
        "body {\n"
        "\tfont-family: \"仿宋_GB2312\", \"FangSong\", \"STFangsong\", \"Noto Serif CJK SC\", "
        "serif;\n"
        "\tfont-size: 16pt;\n"
        "\tline-height: 28pt;\n"
        "\tcolor: #000;\n"
        "\tmargin: 0;\n"
        "}\n"
        "@media screen {\n"
        "\tbody { max-width: 156mm; margin: 2em auto; padding: 0 1em; }\n"
        "}\n"
        "h1 {\n"
        "\tfont-family: \"方正小标宋简体\", \"FZXiaoBiaoSong-B05S\", \"Noto Serif CJK SC\", "
        "serif;\n"
        "\tfont-size: 22pt;\n"
        "\tline-height: 1.5;\n"
        "\tfont-weight: normal;\n"
        "\ttext-align: center;\n"
        "\tmargin: 0 0 28pt;\n"
        "}\n"
        "h2, h3, h4, h5 { font-size: 16pt; line-height: 28pt; margin: 0; text-indent: 2em; }\n"
        "h2 { font-family: \"黑体\", \"SimHei\", \"Noto Sans CJK SC\", sans-serif; font-weight: "
        "normal; }\n"
        "h3 { font-family: \"楷体_GB2312\", \"KaiTi\", \"STKaiti\", \"Noto Serif CJK SC\", serif; "
        "font-weight: normal; }\n"
        "h4 { font-weight: bold; }\n"
        "h5 { font-weight: normal; }\n"
        "h2, h3, h4, h5 { break-after: avoid; page-break-after: avoid; }\n"
        "p { margin: 0; text-indent: 2em; text-align: justify; }\n"
        ".draft {\n"
        "\tborder: 2px solid #c00;\n"
        "\tcolor: #c00;\n"
        "\tfont-family: \"黑体\", \"SimHei\", \"Noto Sans CJK SC\", sans-serif;\n"
        "\ttext-align: center;\n"
        "\tpadding: 4pt 8pt;\n"
        "\tmargin: 0 0 16pt;\n"
        "}\n"
        "section.attachment, section.findings { break-before: page; page-break-before: always; }\n"
        ".att-name { text-indent: 0; font-family: \"黑体\", \"SimHei\", \"Noto Sans CJK SC\", "
        "sans-serif; }\n"
        ".att-title {\n"
        "\ttext-indent: 0;\n"
        "\ttext-align: center;\n"
        "\tfont-family: \"方正小标宋简体\", \"FZXiaoBiaoSong-B05S\", \"Noto Serif CJK SC\", "
        "serif;\n"
        "\tfont-size: 18pt;\n"
        "\tline-height: 1.6;\n"
        "\tmargin: 8pt 0;\n"
        "}\n"
        "section.findings h2 { text-indent: 0; text-align: center; margin-bottom: 8pt; }\n"
        "table {\n"
        "\tborder-collapse: collapse;\n"
        "\twidth: 100%;\n"
        "\tfont-size: 10.5pt;\n"
        "\tline-height: 1.4;\n"
        "\tmargin: 0 0 6pt;\n"
        "\ttable-layout: fixed;\n"
        "}\n"
        "th, td {\n"
        "\tborder: 1px solid #000;\n"
        "\tpadding: 1pt 3pt;\n"
        "\tvertical-align: middle;\n"
        "\ttext-align: left;\n"
        "\toverflow-wrap: anywhere;\n"
        "}\n"
        "th { font-weight: bold; text-align: center; }\n"
        "td.num { text-align: right; white-space: nowrap; }\n"
        "tr { break-inside: avoid; page-break-inside: avoid; }\n"
        "p.note { font-size: 10.5pt; line-height: 1.5; text-indent: 0; }\n"
        "td.sev { white-space: nowrap; text-align: center; }\n"

        "tr.error td.sev { color: #c00; font-weight: bold; }\n"
        "tr.warning td.sev { color: #b35c00; }\n"
        "tr.info td.sev { color: #555; }\n"
        "code { font-family: monospace; font-size: 9pt; }\n";

/* Escapes n bytes of s, copying the runs that need no escape at once. */
static void esc_n(jx__buf *b, const char *s, size_t n)
{
	static const char special[] = "<>&\"'";
	const char *end = s + n;
	while (s < end) {
		size_t run = 0;
		while (s + run < end && !strchr(special, s[run]))
			run++;
		jx__buf_add(b, s, run);
		if ((s += run) == end)
			break;
		switch (*s++) {
		case '<':
			jx__buf_adds(b, "&lt;");
			break;
		case '>':
			jx__buf_adds(b, "&gt;");
			break;
		case '&':
			jx__buf_adds(b, "&amp;");
			break;
		case '"':
			jx__buf_adds(b, "&quot;");
			break;
		default: /* '\'' */
			jx__buf_adds(b, "&#39;");
		}
	}
}

void jx__html_esc_raw(jx__buf *b, const char *s)
{
	if (s)
		esc_n(b, s, strlen(s));
}

void jx__html_esc(jx__buf *b, const char *s, bool br)
{
	while (s && *s) {
		size_t n = strcspn(s, "\r\n");
		esc_n(b, s, n);
		s += n;
		if (*s == '\n')
			jx__buf_adds(b, br ? "<br>" : " ");
		if (*s)
			s++;
	}
}

static void indent(jx__buf *b, int depth)
{
	for (int i = 0; i < depth; i++)
		jx__buf_addc(b, '\t');
}

/* A cell showing a number: right-aligned. */
static bool numeric(const jx__rcell *c)
{
	return c->is_value && c->value.type == JX_V_NUM && !c->value.na && c->kind != JX_K_PLAIN;
}

static void empty_cell(jx__buf *b, bool header)
{
	indent(b, 4);
	jx__buf_adds(b, header ? "<th></th>\n" : "<td></td>\n");
}

static void html_cell(jx__buf *b, const jx__rrow *row, const jx__rcell *c, bool first)
{
	const char *tag = row->header ? "th" : "td";
	indent(b, 4);
	jx__buf_printf(b, "<%s", tag);
	if (c->colspan > 1)
		jx__buf_printf(b, " colspan=\"%d\"", c->colspan);
	if (c->rowspan > 1)
		jx__buf_printf(b, " rowspan=\"%d\"", c->rowspan);
	if (!row->header && numeric(c))
		jx__buf_adds(b, " class=\"num\"");
	if (first && row->indent > 0)
		jx__buf_printf(b, " style=\"padding-left: %dem\"", row->indent);
	jx__buf_addc(b, '>');
	jx__html_esc(b, c->text, true);
	jx__buf_printf(b, "</%s>\n", tag);
}

/* Display width of the longest line of s (CJK = 2). */
static size_t line_width(const char *s)
{
	size_t len = strlen(s), i = 0, w = 0, best = 0;
	while (i < len) {
		uint32_t cp = jx__utf8_next(s, len, &i);
		w = cp == '\n' ? 0 : w + jx__cp_width(cp);
		if (w > best)
			best = w;
	}
	return best;
}

/* Column widths (per mille) from the single-column cells' text (half of
 * it for header cells, which may wrap), each column between 2 and 12 CJK
 * characters wide before scaling, so narrow number columns stay narrow
 * and long labels get room.  Written as a
 * colgroup for table-layout: fixed. */
static void colgroup(jx__buf *b, const jx__rtable *t, int ncols)
{
	size_t w[64], sum = 0;
	for (int k = 0; k < ncols; k++)
		w[k] = 4;
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t i = 0; i < t->rows[r].ncells; i++) {
			const jx__rcell *c = &t->rows[r].cells[i];
			if (c->covered || c->colspan != 1 || c->col < 0 || c->col >= ncols)
				continue;
			size_t cw = line_width(c->text) + (size_t)t->rows[r].indent * 2;
			if (t->rows[r].header)
				cw = (cw + 1) / 2; /* headings may wrap to two lines */
			else if (numeric(c))
				cw += 3; /* numbers stay on one line */
			if (cw > 24)
				cw = 24;
			if (cw > w[c->col])
				w[c->col] = cw;
		}
	for (int k = 0; k < ncols; k++) {
		w[k] += 2; /* cell padding */
		sum += w[k];
	}
	indent(b, 2);
	jx__buf_adds(b, "<colgroup>\n");
	for (int k = 0; k < ncols; k++) {
		size_t pm = w[k] * 1000 / sum;
		indent(b, 3);
		jx__buf_printf(b, "<col style=\"width: %zu.%zu%%\">\n", pm / 10, pm % 10);
	}
	indent(b, 2);
	jx__buf_adds(b, "</colgroup>\n");
}

/* One attachment grid.  busy[] counts, per column, the rows still taken
 * by a rowspan above; free columns a row does not fill get empty cells so
 * every row spans the whole table. */
static void html_table(jx__buf *b, const jx__rtable *t)
{
	int ncols = t->def->ncols;
	int busy[64];
	memset(busy, 0, sizeof busy);
	if (ncols > 64)
		ncols = 64;
	jx__buf_adds(b, "<section class=\"attachment\">\n");
	if (t->def->name) {
		indent(b, 1);
		jx__buf_adds(b, "<p class=\"att-name\">");
		jx__html_esc(b, t->def->name, false);
		jx__buf_adds(b, "</p>\n");
	}
	if (t->def->title) {
		indent(b, 1);
		jx__buf_adds(b, "<p class=\"att-title\">");
		jx__html_esc(b, t->def->title, false);
		jx__buf_adds(b, "</p>\n");
	}
	indent(b, 1);
	jx__buf_printf(b, "<table id=\"%s\">\n", t->def->id);
	colgroup(b, t, ncols);
	indent(b, 2);
	jx__buf_adds(b, "<tbody>\n");
	for (size_t r = 0; r < t->nrows; r++) {
		const jx__rrow *row = &t->rows[r];
		int col = 0;
		bool first = true;
		indent(b, 3);
		jx__buf_adds(b, "<tr>\n");
		for (size_t i = 0; i < row->ncells; i++) {
			const jx__rcell *c = &row->cells[i];
			if (c->covered)
				continue;
			for (; col < c->col && col < ncols; col++)
				if (busy[col] == 0)
					empty_cell(b, row->header);
			html_cell(b, row, c, first);
			first = false;
			for (int k = c->col; k < c->col + c->colspan && k < 64; k++)
				busy[k] = c->rowspan > 1 ? c->rowspan : 1;
			col = c->col + c->colspan;
		}
		for (; col < ncols; col++)
			if (busy[col] == 0)
				empty_cell(b, row->header);
		for (int k = 0; k < 64; k++)
			if (busy[k] > 0)
				busy[k]--;
		indent(b, 3);
		jx__buf_adds(b, "</tr>\n");
	}
	indent(b, 2);
	jx__buf_adds(b, "</tbody>\n");
	indent(b, 1);
	jx__buf_adds(b, "</table>\n");
	for (size_t i = 0; i < t->nnotes; i++) {
		indent(b, 1);
		jx__buf_adds(b, "<p class=\"note\">");
		jx__html_esc(b, t->notes[i], true);
		jx__buf_adds(b, "</p>\n");
	}
	jx__buf_adds(b, "</section>\n");
}

static const char *sev_class(jx_severity s)
{
	switch (s) {
	case JX_SEV_INFO:
		return "info";
	case JX_SEV_WARNING:
		return "warning";
	default:
		return "error";
	}
}

static void html_findings(jx__buf *b, const jx__report *r)
{
	size_t n = r->findings ? jx_diags_count(r->findings) : 0;
	if (!n)
		return;
	size_t ninfo = jx_diags_count_sev(r->findings, JX_SEV_INFO);
	jx__buf_adds(b, "<section class=\"findings\">\n");
	indent(b, 1);
	jx__buf_adds(b, "<h2>核查结果</h2>\n");
	indent(b, 1);
	jx__buf_printf(b,
	               "<p class=\"note\">共 %zu 项：错误 %zu 项，警告 %zu 项，提示 %zu 项。</p>\n",
	               n, r->nerrors, r->nwarnings, ninfo);
	indent(b, 1);
	jx__buf_adds(b, "<table id=\"findings\">\n");
	indent(b, 2);
	jx__buf_adds(b, "<colgroup><col style=\"width: 9%\"><col style=\"width: 8%\">"
	                "<col style=\"width: 25%\"><col style=\"width: 38%\">"
	                "<col style=\"width: 20%\"></colgroup>\n");
	indent(b, 2);
	jx__buf_adds(b, "<thead>\n");
	indent(b, 3);
	jx__buf_adds(
	        b, "<tr><th>级别</th><th>规则</th><th>位置</th><th>说明</th><th>备注</th></tr>\n");
	indent(b, 2);
	jx__buf_adds(b, "</thead>\n");
	indent(b, 2);
	jx__buf_adds(b, "<tbody>\n");
	for (size_t i = 0; i < n; i++) {
		const jx_diag *g = jx_diags_get(r->findings, i);
		indent(b, 3);
		jx__buf_printf(b, "<tr class=\"%s\">\n", sev_class(g->severity));
		indent(b, 4);
		jx__buf_printf(b, "<td class=\"sev\">%s</td>\n", jx__severity_cn(g->severity));
		indent(b, 4);
		jx__buf_adds(b, "<td class=\"id\">");
		jx__html_esc(b, g->id, false);
		jx__buf_adds(b, "</td>\n");
		indent(b, 4);
		jx__buf_adds(b, "<td class=\"loc\">");
		if (g->line)
			jx__buf_printf(b, "第 %u 行", g->line);
		if (g->path && g->path[0]) {
			if (g->line)
				jx__buf_adds(b, "<br>");
			jx__buf_adds(b, "<code>");
			jx__html_esc(b, g->path, false);
			jx__buf_adds(b, "</code>");
		}
		jx__buf_adds(b, "</td>\n");
		indent(b, 4);
		jx__buf_adds(b, "<td>");
		jx__html_esc(b, g->message, true);
		jx__buf_adds(b, "</td>\n");
		indent(b, 4);
		jx__buf_adds(b, "<td>");
		jx__html_esc(b, g->note, true);
		if (g->explanation) {
			jx__buf_adds(b, g->note ? "<br>说明：" : "说明：");
			jx__html_esc(b, g->explanation, true);
		}
		jx__buf_adds(b, "</td>\n");
		indent(b, 3);
		jx__buf_adds(b, "</tr>\n");
	}
	indent(b, 2);
	jx__buf_adds(b, "</tbody>\n");
	indent(b, 1);
	jx__buf_adds(b, "</table>\n");
	jx__buf_adds(b, "</section>\n");
}

/* Seconds since 1970 as "YYYY-MM-DDThh:mm:ssZ" (proleptic Gregorian). */
static void iso_time(int64_t t, char *buf, size_t size)
{
	int64_t days = t / 86400, secs = t % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	/* civil_from_days (H. Hinnant) */
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	snprintf(buf, size, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ", (long long)y,
	         (long long)m, (long long)d, (long long)(secs / 3600), (long long)(secs / 60 % 60),
	         (long long)(secs % 60));
}

static char *render_html(const jx__report *r, const jx_report_opts *o)
{
	jx__buf b;
	char when[64];
	jx__buf_init(&b, r->doc->alloc);
	iso_time(jx__doc_time(o), when, sizeof when);
	jx__buf_adds(&b, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n");
	jx__buf_adds(&b, "<meta charset=\"utf-8\">\n");
	jx__buf_adds(&b, "<meta name=\"generator\" content=\"jixiao\">\n");
	jx__buf_printf(&b, "<meta name=\"generated\" content=\"%s\">\n", when);
	jx__buf_adds(&b, "<title>");
	jx__html_esc(&b, r->title, false);
	jx__buf_adds(&b, "</title>\n<style>\n");
	jx__buf_adds(&b, css);
	jx__buf_adds(&b, "</style>\n</head>\n<body>\n");
	if (r->nerrors)
		jx__buf_printf(&b, "<div class=\"draft\">草稿：尚有 %zu 个错误未改正</div>\n",
		               r->nerrors);
	jx__buf_adds(&b, "<h1>");
	jx__html_esc(&b, r->title, false);
	jx__buf_adds(&b, "</h1>\n");
	for (size_t i = 0; i < r->nblocks; i++) {
		const jx__block *bl = &r->blocks[i];
		if (bl->kind == JX_B_HEADING) {
			int h = bl->level < 1 ? 2 : bl->level > 4 ? 5 : bl->level + 1;
			jx__buf_printf(&b, "<h%d>", h);
			jx__html_esc(&b, bl->number, false);
			jx__html_esc(&b, bl->text, false);
			jx__buf_printf(&b, "</h%d>\n", h);
		} else if (bl->kind == JX_B_PARA) {
			jx__buf_adds(&b, "<p>");
			jx__html_esc(&b, bl->text, true);
			jx__buf_adds(&b, "</p>\n");
		} else if (bl->table) {
			html_table(&b, bl->table);
		}
	}
	html_findings(&b, r);
	jx__buf_adds(&b, "</body>\n</html>\n");
	return jx__buf_take(&b);
}

jx_status jx__write_html(const jx__report *r, const char *path, const jx_report_opts *o,
                         jx_diags *errors)
{
	char *s = render_html(r, o);
	if (!s) {
		jx__loc l = {path, 0, 0};
		jx__diag_fatal(errors, "Y00", l, NULL, "内存不足");
		return JX_ERR_OOM;
	}
	jx_status st = jx__write_atomic(path, s, strlen(s), errors);
	jx__free(r->doc->alloc, s);
	return st;
}
