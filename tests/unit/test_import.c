/* Reading workbooks back: the XLSX reader on small workbooks built here
 * with libzip (shared and inline strings, numbers stored as text, formulas,
 * merged cells, and hostile input: not a zip, a zip bomb, references beyond
 * XFD1048576), importing into a data file with errors told by cell, and the
 * round trip example -> jixiao report xlsx -> import. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <zip.h>

#include "io/xlsx_read.h"
#include "jixiao/jixiao.h"
#include "render/report.h"

#ifndef SRCDIR
#define SRCDIR "."
#endif

static jx_scheme *scheme;
static char dir[] = "/tmp/jx-import-XXXXXX";

static int setup(void **state)
{
	(void)state;
	jx_diags *d = jx_diags_new(NULL);
	scheme = jx_scheme_load_file(SRCDIR "/schemes/hunan-dept-overall.yaml", NULL, d);
	jx_diags_free(d);
	return scheme && mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	jx_scheme_free(scheme);
	char cmd[256];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Writes a zip of (name, content) pairs; content NULL ends the list.
 * A part named "BOMB" becomes a sheet of `bomb` bytes (mostly spaces). */
static const char *make_zip(const char *name, const char *const *parts, size_t bomb)
{
	static char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	unlink(path);
	int err;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
	assert_non_null(z);
	char *big = NULL;
	for (size_t i = 0; parts[i]; i += 2) {
		zip_source_t *src;
		if (bomb && !strcmp(parts[i + 1], "BOMB")) {
			/* well-formed as far as it goes: "<worksheet>" then spaces */
			big = malloc(bomb);
			assert_non_null(big);
			memset(big, ' ', bomb);
			memcpy(big, "<worksheet>", 11);
			src = zip_source_buffer(z, big, bomb, 0);
		} else {
			src = zip_source_buffer(z, parts[i + 1], strlen(parts[i + 1]), 0);
		}
		assert_non_null(src);
		assert_true(zip_file_add(z, parts[i], src, ZIP_FL_OVERWRITE) >= 0);
	}
	assert_int_equal(zip_close(z), 0);
	free(big);
	return path;
}

#define WB(sheets)                                                                                 \
	"<?xml version=\"1.0\"?><workbook "                                                        \
	"xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "                     \
	"xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"         \
	"<sheets>" sheets "</sheets></workbook>"
#define RELS(rels)                                                                                 \
	"<?xml version=\"1.0\"?><Relationships "                                                   \
	"xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" rels             \
	"</Relationships>"
#define REL(id, target)                                                                            \
	"<Relationship Id=\"" id "\" "                                                             \
	"Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"              \
	"worksheet\" Target=\"" target "\"/>"
#define SST_REL                                                                                    \
	"<Relationship Id=\"rIdS\" "                                                               \
	"Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"              \
	"sharedStrings\" Target=\"sharedStrings.xml\"/>"
#define SHEET(body)                                                                                \
	"<?xml version=\"1.0\"?><worksheet "                                                       \
	"xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">" body "</worksheet>"

static const char *const basic_parts[] = {
        "xl/workbook.xml",
        WB("<sheet name=\"数据\" sheetId=\"1\" r:id=\"rId1\"/>"
           "<sheet name=\"空\" sheetId=\"2\" r:id=\"rId2\"/>"),
        "xl/_rels/workbook.xml.rels",
        RELS(REL("rId1", "worksheets/sheet1.xml") REL("rId2", "/xl/worksheets/sheet2.xml") SST_REL),
        "xl/sharedStrings.xml",
        "<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/"
        "2006/main\"><si><t>标题</t></si>"
        "<si><r><t>一般</t></r><r><rPr><b/></rPr><t xml:space=\"preserve\">公共 预算</t></r>"
        "<rPh><t>ヨミ</t></rPh></si><si><t>a&amp;b&lt;c</t></si></sst>",
        "xl/worksheets/sheet1.xml",
        SHEET("<sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"
              "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>1</v></c><c r=\"B2\"><v>484.14</v></c>"
              "<c r=\"C2\" t=\"str\"><v>123.40</v></c>"
              "<c r=\"D2\" t=\"inlineStr\"><is><r><t>内</t></r><r><t>联</t></r></is></c>"
              "<c r=\"E2\"><f>B2*2</f><v>968.28</v></c>"
              "<c r=\"F2\" t=\"b\"><v>1</v></c><c r=\"G2\" t=\"e\"><v>#DIV/0!</v></c>"
              "<c r=\"H2\" s=\"3\"/><c t=\"s\"><v>2</v></c></row>"
              "<row r=\"12\"><c r=\"F12\"><v>0.875</v></c></row></sheetData>"
              "<mergeCells count=\"1\"><mergeCell ref=\"A1:C1\"/></mergeCells>"),
        "xl/worksheets/sheet2.xml",
        SHEET("<sheetData/>"),
        NULL,
};

static bool has_id(const jx_diags *d, const char *id, const char *needle)
{
	for (size_t i = 0; i < jx_diags_count(d); i++) {
		const jx_diag *g = jx_diags_get(d, i);
		if (!strcmp(g->id, id) && (!needle || strstr(g->message, needle)))
			return true;
	}
	return false;
}

static void print_diags(const jx_diags *d)
{
	for (size_t i = 0; i < jx_diags_count(d); i++)
		print_message("  %s %s\n", jx_diags_get(d, i)->id, jx_diags_get(d, i)->message);
}

static void test_refs(void **state)
{
	(void)state;
	uint32_t r, c;
	char buf[16];
	assert_true(jx__xlsx_parse_ref("F12", 3, &r, &c));
	assert_int_equal(r, 11);
	assert_int_equal(c, 5);
	assert_true(jx__xlsx_parse_ref("XFD1048576", 10, &r, &c));
	assert_int_equal(r, 1048575);
	assert_int_equal(c, 16383);
	assert_false(jx__xlsx_parse_ref("XFE1", 4, &r, &c));
	assert_false(jx__xlsx_parse_ref("A1048577", 8, &r, &c));
	assert_false(jx__xlsx_parse_ref("A0", 2, &r, &c));
	assert_false(jx__xlsx_parse_ref("12", 2, &r, &c));
	assert_false(jx__xlsx_parse_ref("AAAA1", 5, &r, &c));
	jx__xlsx_ref(11, 5, buf, sizeof buf);
	assert_string_equal(buf, "F12");
	jx__xlsx_ref(1048575, 16383, buf, sizeof buf);
	assert_string_equal(buf, "XFD1048576");
	jx__xlsx_ref(0, 26, buf, sizeof buf);
	assert_string_equal(buf, "AA1");
}

static void test_read_cells(void **state)
{
	(void)state;
	jx_diags *d = jx_diags_new(NULL);
	const char *path = make_zip("basic.xlsx", basic_parts, 0);
	jx__xlsx *x = jx__xlsx_open(path, NULL, d);
	print_diags(d);
	assert_non_null(x);
	assert_int_equal(x->nsheets, 2);
	assert_null(jx__xlsx_sheet(x, "没有"));
	assert_non_null(jx__xlsx_sheet(x, "空"));
	const jx__xsheet *sh = jx__xlsx_sheet(x, "数据");
	assert_non_null(sh);
	assert_int_equal(sh->nrows, 12);
	const jx__xcell *c = jx__xlsx_cell_at(sh, "A1");
	assert_int_equal(c->type, JX_XC_STR);
	assert_string_equal(c->text, "标题");
	/* merged: B1 and C1 show A1 */
	assert_ptr_equal(jx__xlsx_cell_at(sh, "C1"), c);
	assert_null(jx__xlsx_cell_at(sh, "D1"));
	c = jx__xlsx_cell_at(sh, "A2"); /* rich text runs, phonetic text left out */
	assert_string_equal(c->text, "一般公共 预算");
	c = jx__xlsx_cell_at(sh, "B2");
	assert_int_equal(c->type, JX_XC_NUM);
	assert_string_equal(c->text, "484.14");
	assert_false(c->formula);
	c = jx__xlsx_cell_at(sh, "C2"); /* number stored as text */
	assert_int_equal(c->type, JX_XC_STR);
	assert_string_equal(c->text, "123.40");
	c = jx__xlsx_cell_at(sh, "D2");
	assert_int_equal(c->type, JX_XC_STR);
	assert_string_equal(c->text, "内联");
	c = jx__xlsx_cell_at(sh, "E2");
	assert_true(c->formula);
	assert_string_equal(c->text, "968.28");
	assert_int_equal(jx__xlsx_cell_at(sh, "F2")->type, JX_XC_BOOL);
	c = jx__xlsx_cell_at(sh, "G2");
	assert_int_equal(c->type, JX_XC_ERR);
	assert_string_equal(c->text, "#DIV/0!");
	assert_null(jx__xlsx_cell_at(sh, "H2")); /* style only */
	c = jx__xlsx_cell_at(sh, "I2");          /* no r=: after H2 */
	assert_string_equal(c->text, "a&b<c");
	assert_string_equal(jx__xlsx_cell_at(sh, "F12")->text, "0.875");
	jx__xlsx_close(x);
	jx_diags_free(d);
}

static void expect_fail(const char *name, const char *const *parts, size_t bomb, const char *id,
                        const char *needle)
{
	jx_diags *d = jx_diags_new(NULL);
	const char *path = make_zip(name, parts, bomb);
	jx__xlsx *x = jx__xlsx_open(path, NULL, d);
	if (x || !has_id(d, id, needle))
		print_diags(d);
	assert_null(x);
	assert_true(has_id(d, id, needle));
	assert_string_equal(jx_diags_get(d, 0)->file, path);
	jx_diags_free(d);
}

static void test_not_zip(void **state)
{
	(void)state;
	char path[512];
	snprintf(path, sizeof path, "%s/plain.xlsx", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("scheme: hunan-dept-overall\n", f);
	fclose(f);
	jx_diags *d = jx_diags_new(NULL);
	assert_null(jx__xlsx_open(path, NULL, d));
	assert_true(has_id(d, "K01", "不是 zip 文件"));
	jx_diags_clear(d);
	snprintf(path, sizeof path, "%s/absent.xlsx", dir);
	assert_null(jx__xlsx_open(path, NULL, d));
	assert_true(has_id(d, "K01", NULL));
	jx_diags_clear(d);
	assert_null(jx__xlsx_open_mem("PK\3\4junk", 9, "mem.xlsx", NULL, d));
	assert_true(has_id(d, "K01", NULL));
	jx_diags_free(d);
	/* a zip without the workbook part */
	static const char *const noparts[] = {"hello.txt", "hi", NULL};
	expect_fail("nowb.xlsx", noparts, 0, "K02", "xl/workbook.xml");
}

static void test_zip_bomb(void **state)
{
	(void)state;
	static const char *const parts[] = {
	        "xl/workbook.xml",
	        WB("<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/>"),
	        "xl/_rels/workbook.xml.rels",
	        RELS(REL("rId1", "worksheets/sheet1.xml")),
	        "xl/worksheets/sheet1.xml",
	        "BOMB",
	        NULL,
	};
	expect_fail("bomb.xlsx", parts, JX__XLSX_MAX_PART + 1, "K03", "64 MiB");
}

/* The same bomb with its sizes in the zip headers rewritten to 1000 bytes:
 * the reader must count what it inflates, not trust the headers. */
static void test_zip_bomb_lying(void **state)
{
	(void)state;
	static const char *const parts[] = {
	        "xl/workbook.xml",
	        WB("<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/>"),
	        "xl/_rels/workbook.xml.rels",
	        RELS(REL("rId1", "worksheets/sheet1.xml")),
	        "xl/worksheets/sheet1.xml",
	        "BOMB",
	        NULL,
	};
	const char *path = make_zip("liar.xlsx", parts, JX__XLSX_MAX_PART + 4096);
	FILE *f = fopen(path, "r+b");
	assert_non_null(f);
	static unsigned char buf[1 << 20];
	size_t n = fread(buf, 1, sizeof buf, f);
	assert_true(n > 0 && n < sizeof buf);
	const char *name = "xl/worksheets/sheet1.xml";
	size_t nl = strlen(name), patched = 0;
	for (size_t i = 0; i + 46 + nl <= n; i++) {
		size_t at = 0;
		if (!memcmp(buf + i, "PK\3\4", 4) && !memcmp(buf + i + 30, name, nl))
			at = i + 22; /* local header: uncompressed size */
		else if (!memcmp(buf + i, "PK\1\2", 4) && !memcmp(buf + i + 46, name, nl))
			at = i + 24; /* central directory */
		if (!at)
			continue;
		buf[at] = 0xe8, buf[at + 1] = 0x03, buf[at + 2] = 0, buf[at + 3] = 0;
		patched++;
	}
	assert_int_equal(patched, 2);
	assert_int_equal(fseek(f, 0, SEEK_SET), 0);
	assert_int_equal(fwrite(buf, 1, n, f), n);
	fclose(f);
	jx_diags *d = jx_diags_new(NULL);
	assert_null(jx__xlsx_open(path, NULL, d));
	if (!has_id(d, "K03", "64 MiB"))
		print_diags(d);
	assert_true(has_id(d, "K03", "64 MiB"));
	jx_diags_free(d);
}

static void test_bad_refs(void **state)
{
	(void)state;
	static const char *const col[] = {
	        "xl/workbook.xml",
	        WB("<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/>"),
	        "xl/_rels/workbook.xml.rels",
	        RELS(REL("rId1", "worksheets/sheet1.xml")),
	        "xl/worksheets/sheet1.xml",
	        SHEET("<sheetData><row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row></sheetData>"),
	        NULL,
	};
	expect_fail("col.xlsx", col, 0, "K05", "XFE1");
	static const char *const row[] = {
	        "xl/workbook.xml",
	        WB("<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/>"),
	        "xl/_rels/workbook.xml.rels",
	        RELS(REL("rId1", "worksheets/sheet1.xml")),
	        "xl/worksheets/sheet1.xml",
	        SHEET("<sheetData><row r=\"1048577\"><c><v>1</v></c></row></sheetData>"),
	        NULL,
	};
	expect_fail("row.xlsx", row, 0, "K05", "1048577");
	static const char *const sst[] = {
	        "xl/workbook.xml",
	        WB("<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/>"),
	        "xl/_rels/workbook.xml.rels",
	        RELS(REL("rId1", "worksheets/sheet1.xml")),
	        "xl/worksheets/sheet1.xml",
	        SHEET("<sheetData><row r=\"1\"><c r=\"B3\" t=\"s\"><v>7</v></c></row></sheetData>"),
	        NULL,
	};
	expect_fail("sst.xlsx", sst, 0, "K08", "S!B3");
	static const char *const xml[] = {
	        "xl/workbook.xml",
	        WB("<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/>"),
	        "xl/_rels/workbook.xml.rels",
	        RELS(REL("rId1", "worksheets/sheet1.xml")),
	        "xl/worksheets/sheet1.xml",
	        "<!DOCTYPE x [<!ENTITY a \"aaaa\">]><worksheet>&a;</worksheet>",
	        NULL,
	};
	expect_fail("doctype.xlsx", xml, 0, "K04", "DOCTYPE");
	static const char *const norel[] = {
	        "xl/workbook.xml",
	        WB("<sheet name=\"S\" sheetId=\"1\" r:id=\"rId9\"/>"),
	        "xl/_rels/workbook.xml.rels",
	        RELS(REL("rId1", "worksheets/sheet1.xml")),
	        NULL,
	};
	expect_fail("norel.xlsx", norel, 0, "K02", "rId9");
}

/* ---- import ---- */

/* A hand-made workbook in the layout of the default scheme: 附件1-1 row 4
 * (B4 编制数, D4 实际在职人数). */
static const char *import_book(const char *name, const char *b4)
{
	static char sheet1[2048];
	snprintf(sheet1, sizeof sheet1,
	         SHEET("<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>基础数据表</t>"
	               "</is></c></row><row r=\"4\">%s<c r=\"D4\"><v>7</v></c></row>"
	               "</sheetData>"),
	         b4);
	const char *const parts[] = {
	        "xl/workbook.xml",
	        WB("<sheet name=\"附件1-1\" sheetId=\"1\" r:id=\"rId1\"/>"
	           "<sheet name=\"附件1-2\" sheetId=\"2\" r:id=\"rId2\"/>"),
	        "xl/_rels/workbook.xml.rels",
	        RELS(REL("rId1", "worksheets/sheet1.xml") REL("rId2", "worksheets/sheet2.xml")),
	        "xl/worksheets/sheet1.xml",
	        sheet1,
	        "xl/worksheets/sheet2.xml",
	        SHEET("<sheetData/>"),
	        NULL,
	};
	return make_zip(name, parts, 0);
}

static void test_import_errors(void **state)
{
	(void)state;
	jx_diags *d = jx_diags_new(NULL);
	char *yaml = NULL;
	/* text in an amount/count cell: the loader's message, told by cell */
	const char *path =
	        import_book("text.xlsx", "<c r=\"B4\" t=\"inlineStr\"><is><t>abc</t></is></c>");
	jx_doc *doc = jx_import_xlsx(scheme, path, NULL, NULL, d, &yaml);
	assert_null(doc);
	assert_non_null(yaml);
	assert_non_null(strstr(yaml, "authorized: \"abc\""));
	assert_non_null(strstr(yaml, "actual: 7"));
	if (!has_id(d, "D04", "附件1-1!B4："))
		print_diags(d);
	assert_true(has_id(d, "D04", "附件1-1!B4："));
	free(yaml);
	jx_diags_clear(d);
	/* a formula where a value is expected */
	path = import_book("formula.xlsx", "<c r=\"B4\"><f>1+7</f><v>8</v></c>");
	doc = jx_import_xlsx(scheme, path, NULL, NULL, d, &yaml);
	assert_null(doc);
	assert_null(yaml);
	assert_true(has_id(d, "K09", "附件1-1!B4"));
	assert_true(has_id(d, "K09", "basic_data.staff.authorized"));
	jx_diags_clear(d);
	/* a missing sheet */
	const char *const one[] = {
	        "xl/workbook.xml",
	        WB("<sheet name=\"附件1-1\" sheetId=\"1\" r:id=\"rId1\"/>"),
	        "xl/_rels/workbook.xml.rels",
	        RELS(REL("rId1", "worksheets/sheet1.xml")),
	        "xl/worksheets/sheet1.xml",
	        SHEET("<sheetData/>"),
	        NULL,
	};
	path = make_zip("onesheet.xlsx", one, 0);
	assert_null(jx_import_xlsx(scheme, path, NULL, NULL, d, NULL));
	assert_true(has_id(d, "K07", "附件1-2"));
	jx_diags_free(d);
}

/* A workbook with the data sheet "填报数据": row 2 holds (path, value). */
static const char *data_book(const char *name, const char *a2, const char *c2)
{
	static char sheet3[2048];
	snprintf(sheet3, sizeof sheet3,
	         SHEET("<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>字段路径</t>"
	               "</is></c></row><row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>%s</t>"
	               "</is></c>%s</row></sheetData>"),
	         a2, c2);
	const char *const parts[] = {
	        "xl/workbook.xml",
	        WB("<sheet name=\"附件1-1\" sheetId=\"1\" r:id=\"rId1\"/>"
	           "<sheet name=\"附件1-2\" sheetId=\"2\" r:id=\"rId2\"/>"
	           "<sheet name=\"填报数据\" sheetId=\"3\" r:id=\"rId3\"/>"),
	        "xl/_rels/workbook.xml.rels",
	        RELS(REL("rId1", "worksheets/sheet1.xml") REL("rId2", "worksheets/sheet2.xml")
	                     REL("rId3", "worksheets/sheet3.xml")),
	        "xl/worksheets/sheet1.xml",
	        SHEET("<sheetData/>"),
	        "xl/worksheets/sheet2.xml",
	        SHEET("<sheetData/>"),
	        "xl/worksheets/sheet3.xml",
	        sheet3,
	        NULL,
	};
	return make_zip(name, parts, 0);
}

static void test_import_data_sheet(void **state)
{
	(void)state;
	jx_diags *d = jx_diags_new(NULL);
	char *yaml = NULL;
	/* a number, a list of paragraphs joined by line breaks, a percent */
	const char *path =
	        data_book("d1.xlsx", "performance.stated_score", "<c r=\"C2\"><v>98.5</v></c>");
	assert_null(jx_import_xlsx(scheme, path, NULL, NULL, d, &yaml));
	assert_non_null(yaml);
	assert_non_null(strstr(yaml, "stated_score: 98.5"));
	free(yaml);
	jx_diags_clear(d);
	path = data_book("d2.xlsx", "info.duties",
	                 "<c r=\"C2\" t=\"inlineStr\"><is><t>甲\n乙</t></is></c>");
	assert_null(jx_import_xlsx(scheme, path, NULL, NULL, d, &yaml));
	assert_non_null(yaml);
	assert_non_null(strstr(yaml, "duties:\n    - \"甲\"\n    - \"乙\"\n"));
	free(yaml);
	jx_diags_clear(d);
	/* a bad value: the loader's message, told by cell */
	path = data_book("d3.xlsx", "performance.stated_score",
	                 "<c r=\"C2\" t=\"inlineStr\"><is><t>abc</t></is></c>");
	assert_null(jx_import_xlsx(scheme, path, NULL, NULL, d, &yaml));
	if (!has_id(d, "D04", "填报数据!C2："))
		print_diags(d);
	assert_true(has_id(d, "D04", "填报数据!C2："));
	free(yaml);
	jx_diags_clear(d);
	/* an unknown path, a computed value */
	path = data_book("d4.xlsx", "performance.no_such", "<c r=\"C2\"><v>1</v></c>");
	assert_null(jx_import_xlsx(scheme, path, NULL, NULL, d, NULL));
	assert_true(has_id(d, "K10", "填报数据!A2"));
	assert_true(has_id(d, "K10", "performance.no_such"));
	jx_diags_clear(d);
	path = data_book("d5.xlsx", "self_eval.indicators[0].no_col", "<c r=\"C2\"><v>1</v></c>");
	assert_null(jx_import_xlsx(scheme, path, NULL, NULL, d, NULL));
	assert_true(has_id(d, "K10", "self_eval.indicators[0].no_col"));
	jx_diags_free(d);
}

#ifdef JX_HAVE_XLSX
static bool same_value(const jx_value *a, const jx_value *b)
{
	if (a->type != b->type || a->na != b->na)
		return false;
	switch (a->type) {
	case JX_V_NUM:
		return jx_dec_cmp(a->num, b->num) == 0;
	case JX_V_TEXT:
		return !strcmp(a->s, b->s);
	case JX_V_LIST:
		if (a->n != b->n)
			return false;
		for (size_t i = 0; i < a->n; i++)
			if (strcmp(a->items[i], b->items[i]))
				return false;
		return true;
	default:
		return true;
	}
}

/* Every input field and every input cell of every table row of the scheme:
 * equal in type and exact value. */
static size_t compare_all(const jx_scheme *s, const jx_doc *orig, const jx_doc *back)
{
	size_t compared = 0;
	for (size_t i = 0; i < s->nfields; i++) {
		const jx__field *f = &s->fields[i];
		if (f->ftype == JX_F_DERIVED || f->ftype == JX_F_CONST || f->ftype == JX_F_TABLE)
			continue;
		jx_value a, b;
		assert_true(jx_doc_get(orig, f->path, &a));
		assert_true(jx_doc_get(back, f->path, &b));
		if (!same_value(&a, &b))
			fail_msg("%s differs after the round trip", f->path);
		compared++;
	}
	for (size_t t = 0; t < s->ntables; t++) {
		const jx__table *tb = &s->tables[t];
		if (tb->field < 0)
			continue;
		size_t rows = jx__doc_rows(orig, (int)t);
		if (rows != jx__doc_rows(back, (int)t))
			fail_msg("%s: %zu rows, %zu after the round trip", tb->path, rows,
			         jx__doc_rows(back, (int)t));
		for (size_t r = 0; r < rows; r++)
			for (size_t c = 0; c < tb->ncols; c++) {
				if (tb->cols[c].ftype == JX_F_DERIVED)
					continue;
				char path[512];
				snprintf(path, sizeof path, "%s[%zu].%s", tb->path, r,
				         tb->cols[c].path);
				jx_value a, b;
				assert_true(jx_doc_get(orig, path, &a));
				assert_true(jx_doc_get(back, path, &b));
				if (!same_value(&a, &b))
					fail_msg("%s differs after the round trip", path);
				compared++;
			}
	}
	return compared;
}

/* A finding as "id severity path explanation", for comparing as sorted
 * lists (the order follows the lines of each data file, which differ). */
static char **finding_keys(const jx_diags *d)
{
	size_t n = jx_diags_count(d);
	char **k = calloc(n + 1, sizeof *k);
	assert_non_null(k);
	for (size_t i = 0; i < n; i++) {
		const jx_diag *g = jx_diags_get(d, i);
		size_t len = strlen(g->id) + (g->path ? strlen(g->path) : 0) +
		             (g->explanation ? strlen(g->explanation) : 0) + 16;
		k[i] = malloc(len);
		assert_non_null(k[i]);
		snprintf(k[i], len, "%s %d %s %s", g->id, (int)g->severity, g->path ? g->path : "",
		         g->explanation ? g->explanation : "");
	}
	return k;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void same_findings(const jx_diags *a, const jx_diags *b)
{
	if (jx_diags_count(a) != jx_diags_count(b)) {
		print_diags(a);
		print_diags(b);
	}
	assert_int_equal(jx_diags_count(a), jx_diags_count(b));
	size_t n = jx_diags_count(a);
	char **ka = finding_keys(a), **kb = finding_keys(b);
	qsort(ka, n, sizeof *ka, cmp_str);
	qsort(kb, n, sizeof *kb, cmp_str);
	for (size_t i = 0; i < n; i++)
		if (strcmp(ka[i], kb[i]))
			fail_msg("finding %s, after the round trip %s", ka[i], kb[i]);
	for (size_t i = 0; i < n; i++) {
		free(ka[i]);
		free(kb[i]);
	}
	free(ka);
	free(kb);
}

static void round_trip_with(const jx_scheme *s, const char *example, bool draft)
{
	jx_diags *d = jx_diags_new(NULL);
	jx_doc *orig = jx_doc_load_file(s, example, NULL, d);
	assert_non_null(orig);
	assert_int_equal(jx_doc_evaluate(orig, d), JX_OK);
	char path[512];
	snprintf(path, sizeof path, "%s/rt-%s-%d.xlsx", dir, jx_scheme_id(s), draft);
	jx_report_opts o = {.timestamp = -1};
	jx_diags *werr = jx_diags_new(NULL);
	assert_int_equal(jx_report_write(orig, draft ? d : NULL, "xlsx", path, &o, werr), JX_OK);
	jx_diags_free(werr);

	jx_diags *d2 = jx_diags_new(NULL);
	jx_doc *back = jx_import_xlsx(s, path, NULL, NULL, d2, NULL);
	if (!back)
		print_diags(d2);
	assert_non_null(back);
	assert_int_equal(jx_doc_evaluate(back, d2), JX_OK);
	same_findings(d, d2);
	/* the written 说明 of warnings come back from the data sheet */
	assert_int_equal(jx_doc_explanation_count(back), jx_doc_explanation_count(orig));
	for (size_t i = 0; i < jx_doc_explanation_count(orig); i++) {
		const jx_explanation *a = jx_doc_explanation(orig, i),
		                     *b = jx_doc_explanation(back, i);
		assert_string_equal(a->rule, b->rule);
		assert_string_equal(a->text, b->text);
		assert_true(a->path ? b->path && !strcmp(a->path, b->path) : !b->path);
	}

	/* every input value the layout shows comes back equal */
	jx__report *r = jx__report_build(orig, NULL);
	assert_non_null(r);
	size_t compared = 0;
	for (size_t t = 0; t < r->ntables; t++)
		for (size_t i = 0; i < r->tables[t].nrows; i++)
			for (size_t k = 0; k < r->tables[t].rows[i].ncells; k++) {
				const jx__rcell *c = &r->tables[t].rows[i].cells[k];
				if (!c->is_value || c->formula || !c->path)
					continue;
				jx_value a, b;
				assert_true(jx_doc_get(orig, c->path, &a));
				assert_true(jx_doc_get(back, c->path, &b));
				if (!same_value(&a, &b))
					fail_msg("%s differs after the round trip", c->path);
				compared++;
			}
	size_t all = compare_all(s, orig, back);
	print_message("  %s: %zu input cells on the attachments, %zu input values in all, "
	              "%zu findings compared\n",
	              example, compared, all, jx_diags_count(d));
	assert_true(compared > 20);
	jx__report_free(r);
	jx_doc_free(back);
	jx_doc_free(orig);
	jx_diags_free(d2);
	jx_diags_free(d);
}

static void round_trip(const char *example, bool draft)
{
	round_trip_with(scheme, example, draft);
}

static void test_round_trip(void **state)
{
	(void)state;
	round_trip(SRCDIR "/examples/beita-2023.yaml", false);
	round_trip(SRCDIR "/examples/beita-2023.yaml", true); /* a draft: note in row 2 */
	/* with explanations: of G02, of one I03 row, of an error rule (E02)
	 * and of a warning that does not fire (E01) */
	round_trip(SRCDIR "/tests/cli/beita-2023-explained.yaml", false);
}

static void test_round_trip_project(void **state)
{
	(void)state;
	jx_diags *d = jx_diags_new(NULL);
	jx_scheme *s = jx_scheme_load_file(SRCDIR "/schemes/mof-project.yaml", NULL, d);
	if (!s)
		print_diags(d);
	assert_non_null(s);
	round_trip_with(s, SRCDIR "/examples/project-sample.yaml", false);
	round_trip_with(s, SRCDIR "/examples/project-sample.yaml", true);
	jx_scheme_free(s);
	jx_diags_free(d);
}

/* ---- the blank template ---- */

static char *zip_text(const char *path, const char *name)
{
	int err;
	zip_t *z = zip_open(path, ZIP_RDONLY, &err);
	assert_non_null(z);
	zip_stat_t st;
	assert_int_equal(zip_stat(z, name, 0, &st), 0);
	zip_file_t *f = zip_fopen(z, name, 0);
	assert_non_null(f);
	char *buf = malloc(st.size + 1);
	assert_non_null(buf);
	assert_true(zip_fread(f, buf, st.size) == (zip_int64_t)st.size);
	buf[st.size] = 0;
	zip_fclose(f);
	zip_close(z);
	return buf;
}

/* The cell a defined name points at: "'附件1-1'!$F$24" -> sheet, "F24". */
static void named_cell(const char *wbxml, const char *name, const char *sheet, char *ref,
                       size_t size)
{
	char want[256];
	snprintf(want, sizeof want, "<definedName name=\"%s\">'%s'!", name, sheet);
	const char *p = strstr(wbxml, want);
	if (!p)
		fail_msg("no defined name %s on %s", name, sheet);
	p += strlen(want);
	size_t n = 0;
	for (; *p && *p != '<' && n + 1 < size; p++)
		if (*p != '$')
			ref[n++] = *p;
	ref[n] = 0;
}

/* Puts a number into a blank cell of a sheet part: <c r="F24" s="7"/>
 * becomes <c r="F24" s="7"><v>123.45</v></c>. */
static char *fill_cell(const char *xml, const char *ref, const char *num)
{
	char want[64];
	snprintf(want, sizeof want, "<c r=\"%s\"", ref);
	const char *p = strstr(xml, want);
	assert_non_null(p);
	const char *end = strstr(p, "/>");
	assert_non_null(end);
	assert_null(memchr(p, '>', (size_t)(end - p)));
	size_t len = strlen(xml) + strlen(num) + 32;
	char *out = malloc(len);
	assert_non_null(out);
	snprintf(out, len, "%.*s><v>%s</v></c>%s", (int)(end - xml), xml, num, end + 2);
	return out;
}

static void test_template(void **state)
{
	(void)state;
	jx_doc *empty = jx_doc_new_empty(scheme, NULL);
	assert_non_null(empty);
	jx_value v;
	assert_true(jx_doc_get(empty, "self_eval.indicators[11].stated_score", &v));
	assert_int_equal(v.type, JX_V_BLANK);
	assert_false(jx_doc_get(empty, "self_eval.indicators[12].stated_score", &v));
	char path[512];
	snprintf(path, sizeof path, "%s/template.xlsx", dir);
	jx_report_opts o = {.timestamp = -1, .template_mode = true};
	jx_diags *d = jx_diags_new(NULL);
	assert_int_equal(jx_report_write(empty, NULL, "xlsx", path, &o, d), JX_OK);
	jx_doc_free(empty);

	char *wb = zip_text(path, "xl/workbook.xml");
	assert_non_null(strstr(wb, "<sheet name=\"填表说明\" sheetId=\"1\""));
	assert_non_null(strstr(wb, "<sheet name=\"附件1-1\" sheetId=\"2\""));
	assert_non_null(strstr(wb, "<sheet name=\"填报数据\" sheetId=\"4\""));
	assert_non_null(strstr(wb, "<definedNames>"));
	char amount[16], stated[16];
	named_cell(wb, "jx_basic_data_basic_adjust_actual", "附件1-1", amount, sizeof amount);
	named_cell(wb, "jx_performance_stated_score", "填报数据", stated, sizeof stated);
	named_cell(wb, "jx_self_eval_indicators_11__stated_score", "填报数据", path + 500, 12);
	free(wb);
	snprintf(path, sizeof path, "%s/template.xlsx", dir);
	char *s2 = zip_text(path, "xl/worksheets/sheet2.xml");
	char *s4 = zip_text(path, "xl/worksheets/sheet4.xml");
	assert_non_null(strstr(s2, "<sheetProtection"));
	assert_non_null(strstr(s4, "<sheetProtection"));
	assert_non_null(strstr(s2, "<dataValidation type=\"decimal\""));
	assert_non_null(strstr(s4, "<formula1>\"≥,≤,=,定性\"</formula1>"));
	assert_non_null(strstr(s2, "<f>IFERROR("));

	/* fill an amount on 附件1-1 and a stated score on 填报数据 */
	char *f2 = fill_cell(s2, amount, "123.45");
	char *f4 = fill_cell(s4, stated, "98.5");
	int err;
	zip_t *z = zip_open(path, 0, &err);
	assert_non_null(z);
	zip_source_t *a = zip_source_buffer(z, f2, strlen(f2), 0);
	zip_source_t *b = zip_source_buffer(z, f4, strlen(f4), 0);
	assert_true(zip_file_add(z, "xl/worksheets/sheet2.xml", a, ZIP_FL_OVERWRITE) >= 0);
	assert_true(zip_file_add(z, "xl/worksheets/sheet4.xml", b, ZIP_FL_OVERWRITE) >= 0);
	assert_int_equal(zip_close(z), 0);
	free(f2);
	free(f4);
	free(s2);
	free(s4);

	char *yaml = NULL;
	jx_doc *back = jx_import_xlsx(scheme, path, NULL, NULL, d, &yaml);
	assert_non_null(yaml);
	assert_non_null(strstr(yaml, "  basic_adjust:\n    actual: 123.45\n"));
	assert_non_null(strstr(yaml, "  stated_score: 98.5\n"));
	/* nothing else filled in: outside the framework's fixed rows, the only
	 * values are the two numbers and the placeholder for the unit name */
	size_t values = 0;
	bool in_framework = false;
	for (const char *p = yaml; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (p[0] != ' ' && p[0] != '#')
			in_framework = !strncmp(p, "framework:", 10);
		const char *colon = memchr(p, ':', len);
		if (!in_framework && p[0] != '#' && strncmp(p, "scheme:", 7) && colon &&
		    colon + 1 < p + len)
			values++;
		p += len + (nl != NULL);
	}
	if (values != 3)
		print_message("%s", yaml);
	assert_int_equal(values, 3);
	assert_non_null(strstr(yaml, "（待补填）"));
	free(yaml);
	jx_doc_free(back);
	jx_diags_free(d);
}
#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_refs),           cmocka_unit_test(test_read_cells),
	        cmocka_unit_test(test_not_zip),        cmocka_unit_test(test_zip_bomb),
	        cmocka_unit_test(test_zip_bomb_lying), cmocka_unit_test(test_bad_refs),
	        cmocka_unit_test(test_import_errors),  cmocka_unit_test(test_import_data_sheet),
#ifdef JX_HAVE_XLSX
	        cmocka_unit_test(test_round_trip),     cmocka_unit_test(test_round_trip_project),
	        cmocka_unit_test(test_template),
#endif
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
