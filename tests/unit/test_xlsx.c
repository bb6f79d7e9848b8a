/* The XLSX writer (src/render/xlsx.c) on the shipped example
 * (examples/beita-2023.yaml): the workbook is byte-identical when written
 * twice with the same timestamp; workbook.xml names the sheets 附件1-1,
 * 附件1-2 and 核查结果; in 附件1-2 the amounts are numbers, the execution
 * rate is a formula over the two amount cells with cached value 1, the
 * total is a formula with cached value 88; merged cells, the unit name and
 * the draft line are present; a missing directory is a W01 error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <expat.h>
#include <zip.h>

#include "jixiao/jixiao.h"

#include "example_fixture.h"

static void write_xlsx(fixture *f, const char *name, bool findings, char *path, size_t size)
{
	jx_report_opts o = {.timestamp = 1700000000};
	snprintf(path, size, "%s/%s", f->dir, name);
	jx_diags *werr = jx_diags_new(NULL);
	assert_int_equal(jx_report_write(f->doc, findings ? f->d : NULL, "xlsx", path, &o, werr),
	                 JX_OK);
	assert_int_equal(jx_diags_count(werr), 0);
	jx_diags_free(werr);
}

/* One entry of a zip archive, NUL-terminated; NULL if absent. */
static char *unzip_entry(const char *path, const char *name)
{
	int err = 0;
	zip_t *z = zip_open(path, ZIP_RDONLY, &err);
	assert_non_null(z);
	zip_stat_t st;
	if (zip_stat(z, name, 0, &st) != 0) {
		zip_discard(z);
		return NULL;
	}
	char *buf = malloc(st.size + 1);
	assert_non_null(buf);
	zip_file_t *zf = zip_fopen(z, name, 0);
	assert_non_null(zf);
	assert_int_equal(zip_fread(zf, buf, st.size), (zip_int64_t)st.size);
	buf[st.size] = 0;
	zip_fclose(zf);
	zip_discard(z);
	return buf;
}

/* ---- a small SpreadsheetML reader ---- */

typedef struct xcell {
	char ref[16];
	char f[512], v[512];
	bool has_f;
} xcell;

typedef struct xsheet {
	xcell cells[1024];
	size_t ncells;
	size_t merges;
	char names[8][64]; /* workbook.xml: sheet names */
	size_t nnames;
	char strings[256][512]; /* sharedStrings.xml */
	size_t nstrings;
	char *into; /* element whose text is being collected */
	size_t cap;
} xsheet;

static const char *attr(const XML_Char **atts, const char *name)
{
	for (size_t i = 0; atts[i]; i += 2)
		if (!strcmp(atts[i], name))
			return atts[i + 1];
	return NULL;
}

static void on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	xsheet *x = ud;
	xcell *c = x->ncells ? &x->cells[x->ncells - 1] : NULL;
	x->into = NULL;
	if (!strcmp(name, "c") && x->ncells < 1024) {
		c = &x->cells[x->ncells++];
		memset(c, 0, sizeof *c);
		snprintf(c->ref, sizeof c->ref, "%s", attr(atts, "r") ? attr(atts, "r") : "");
	} else if (!strcmp(name, "f") && c) {
		c->has_f = true;
		x->into = c->f;
		x->cap = sizeof c->f;
	} else if (!strcmp(name, "v") && c) {
		x->into = c->v;
		x->cap = sizeof c->v;
	} else if (!strcmp(name, "mergeCell")) {
		x->merges++;
	} else if (!strcmp(name, "sheet") && x->nnames < 8) {
		snprintf(x->names[x->nnames++], 64, "%s",
		         attr(atts, "name") ? attr(atts, "name") : "");
	} else if (!strcmp(name, "si") && x->nstrings < 256) {
		x->strings[x->nstrings++][0] = 0;
	} else if (!strcmp(name, "t") && x->nstrings) {
		x->into = x->strings[x->nstrings - 1];
		x->into += strlen(x->into);
		x->cap = 512 - (size_t)(x->into - x->strings[x->nstrings - 1]);
	}
}

static void on_end(void *ud, const XML_Char *name)
{
	(void)name;
	((xsheet *)ud)->into = NULL;
}

static void on_chars(void *ud, const XML_Char *s, int n)
{
	xsheet *x = ud;
	if (!x->into)
		return;
	size_t have = strlen(x->into);
	if (have + (size_t)n + 1 <= x->cap) {
		memcpy(x->into + have, s, (size_t)n);
		x->into[have + (size_t)n] = 0;
	}
}

static xsheet *parse(const char *xml)
{
	xsheet *x = calloc(1, sizeof *x);
	assert_non_null(x);
	XML_Parser p = XML_ParserCreate("UTF-8");
	assert_non_null(p);
	XML_SetUserData(p, x);
	XML_SetElementHandler(p, on_start, on_end);
	XML_SetCharacterDataHandler(p, on_chars);
	if (XML_Parse(p, xml, (int)strlen(xml), 1) != XML_STATUS_OK)
		fail_msg("not well-formed: line %lu: %s",
		         (unsigned long)XML_GetCurrentLineNumber(p),
		         XML_ErrorString(XML_GetErrorCode(p)));
	XML_ParserFree(p);
	return x;
}

static xsheet *parse_entry(const char *path, const char *name)
{
	char *xml = unzip_entry(path, name);
	if (!xml)
		fail_msg("the workbook lacks %s", name);
	xsheet *x = parse(xml);
	free(xml);
	return x;
}

static const xcell *cell_at(const xsheet *x, const char *ref)
{
	for (size_t i = 0; i < x->ncells; i++)
		if (!strcmp(x->cells[i].ref, ref))
			return &x->cells[i];
	return NULL;
}

/* The n-th cell reference ("E5") in a formula, or false. */
static bool formula_ref(const char *f, int n, char *out, size_t size)
{
	for (const char *p = f; *p; p++) {
		if (*p < 'A' || *p > 'Z' ||
		    (p > f && ((p[-1] >= 'A' && p[-1] <= 'Z') || (p[-1] >= '0' && p[-1] <= '9'))))
			continue;
		const char *q = p;
		while (*q >= 'A' && *q <= 'Z')
			q++;
		if (*q < '0' || *q > '9' || q - p > 3)
			continue;
		while (*q >= '0' && *q <= '9')
			q++;
		if (*q == '(' || n-- > 0)
			continue;
		snprintf(out, size, "%.*s", (int)(q - p), p);
		return true;
	}
	return false;
}

static bool has_string(const xsheet *s, const char *want)
{
	for (size_t i = 0; i < s->nstrings; i++)
		if (strstr(s->strings[i], want))
			return true;
	return false;
}

/* ---- tests ---- */

static void deterministic(void **state)
{
	fixture *f = *state;
	char a[128], b[128];
	size_t la, lb;
	write_xlsx(f, "a.xlsx", true, a, sizeof a);
	write_xlsx(f, "b.xlsx", true, b, sizeof b);
	char *da = slurp(a, &la), *db = slurp(b, &lb);
	assert_non_null(da);
	assert_non_null(db);
	assert_true(la > 1000);
	assert_int_equal(la, lb);
	assert_memory_equal(da, db, la);
	free(da);
	free(db);
}

static void sheets(void **state)
{
	fixture *f = *state;
	char a[128];
	write_xlsx(f, "a.xlsx", true, a, sizeof a);
	xsheet *wb = parse_entry(a, "xl/workbook.xml");
	assert_int_equal(wb->nnames, 4);
	assert_string_equal(wb->names[0], "附件1-1");
	assert_string_equal(wb->names[1], "附件1-2");
	assert_string_equal(wb->names[2], "填报数据");
	assert_string_equal(wb->names[3], "核查结果");
	free(wb);

	/* Without findings: no findings sheet and no draft line. */
	write_xlsx(f, "c.xlsx", false, a, sizeof a);
	wb = parse_entry(a, "xl/workbook.xml");
	assert_int_equal(wb->nnames, 3);
	free(wb);
	xsheet *ss = parse_entry(a, "xl/sharedStrings.xml");
	assert_false(has_string(ss, "草稿"));
	free(ss);
}

static void self_eval_sheet(void **state)
{
	fixture *f = *state;
	char a[128], ref[16];
	write_xlsx(f, "a.xlsx", true, a, sizeof a);
	xsheet *x = parse_entry(a, "xl/worksheets/sheet2.xml");
	assert_true(x->merges > 5);

	/* 484.14 as a number, twice (全年预算数, 全年执行数). */
	size_t amounts = 0;
	const xcell *rate = NULL, *total = NULL;
	for (size_t i = 0; i < x->ncells; i++) {
		const xcell *c = &x->cells[i];
		if (!c->has_f && !strcmp(c->v, "484.14"))
			amounts++;
		if (c->has_f && strchr(c->f, '/') && !strcmp(c->v, "1"))
			rate = c;
		if (c->has_f && c->f[0] && !strcmp(c->v, "88"))
			total = c;
	}
	assert_int_equal(amounts, 2);
	assert_non_null(rate);
	assert_non_null(total);
	/* The rate divides the two amount cells. */
	for (int n = 0; n < 2; n++) {
		assert_true(formula_ref(rate->f, n, ref, sizeof ref));
		const xcell *c = cell_at(x, ref);
		assert_non_null(c);
		assert_string_equal(c->v, "484.14");
	}
	assert_non_null(strstr(total->f, "SUM"));
	free(x);

	xsheet *ss = parse_entry(a, "xl/sharedStrings.xml");
	assert_true(has_string(ss, "邵阳市北塔区行政审批服务局"));
	assert_true(has_string(ss, "部门整体支出绩效自评表"));
	assert_true(has_string(ss, "草稿：尚有"));
	free(ss);

	/* 附件1-1: the staff control rate 7 / 8 as a formula. */
	x = parse_entry(a, "xl/worksheets/sheet1.xml");
	const xcell *ctl = NULL;
	for (size_t i = 0; i < x->ncells; i++)
		if (x->cells[i].has_f && !strcmp(x->cells[i].v, "0.875"))
			ctl = &x->cells[i];
	assert_non_null(ctl);
	free(x);
}

static void unwritable(void **state)
{
	fixture *f = *state;
	char path[128];
	snprintf(path, sizeof path, "%s/no/such/dir/x.xlsx", f->dir);
	jx_report_opts o = {.timestamp = 1700000000};
	jx_diags *werr = jx_diags_new(NULL);
	assert_int_equal(jx_report_write(f->doc, f->d, "xlsx", path, &o, werr), JX_ERR_IO);
	assert_int_equal(jx_diags_count(werr), 1);
	assert_string_equal(jx_diags_get(werr, 0)->id, "W01");
	jx_diags_free(werr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(deterministic),
	        cmocka_unit_test(sheets),
	        cmocka_unit_test(self_eval_sheet),
	        cmocka_unit_test(unwritable),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
