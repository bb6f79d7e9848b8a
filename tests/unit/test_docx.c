/* The DOCX writer on the shipped example (examples/beita-2023.yaml): the
 * file is byte-identical when written twice with the same timestamp, its
 * word/document.xml is well-formed XML and carries every level-1 heading
 * with its number, the total score and grade, the draft line, both
 * attachments and every cell text of their tables. */
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
#include "render/report.h"

#include "example_fixture.h"

static void write_docx(fixture *f, const char *name, char *path, size_t size)
{
	jx_report_opts o = {.timestamp = 1700000000};
	snprintf(path, size, "%s/%s", f->dir, name);
	jx_diags *werr = jx_diags_new(NULL);
	assert_int_equal(jx_report_write(f->doc, f->d, "docx", path, &o, werr), JX_OK);
	assert_int_equal(jx_diags_count(werr), 0);
	jx_diags_free(werr);
}

/* One entry of a zip archive, NUL-terminated. */
static char *unzip_entry(const char *path, const char *name)
{
	int err = 0;
	zip_t *z = zip_open(path, ZIP_RDONLY, &err);
	assert_non_null(z);
	zip_stat_t st;
	assert_int_equal(zip_stat(z, name, 0, &st), 0);
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

/* The character data of an XML document, concatenated. */
typedef struct text {
	char *s;
	size_t len, cap;
} text;

static void on_chars(void *ud, const XML_Char *s, int n)
{
	text *t = ud;
	if (t->len + (size_t)n + 1 > t->cap) {
		t->cap = (t->len + (size_t)n + 1) * 2;
		t->s = realloc(t->s, t->cap);
		assert_non_null(t->s);
	}
	memcpy(t->s + t->len, s, (size_t)n);
	t->len += (size_t)n;
	t->s[t->len] = 0;
}

static char *xml_text(const char *xml)
{
	text t = {NULL, 0, 0};
	XML_Parser p = XML_ParserCreate("UTF-8");
	assert_non_null(p);
	XML_SetUserData(p, &t);
	XML_SetCharacterDataHandler(p, on_chars);
	if (XML_Parse(p, xml, (int)strlen(xml), 1) != XML_STATUS_OK)
		fail_msg("word/document.xml is not well-formed: line %lu: %s",
		         (unsigned long)XML_GetCurrentLineNumber(p),
		         XML_ErrorString(XML_GetErrorCode(p)));
	XML_ParserFree(p);
	return t.s ? t.s : calloc(1, 1);
}

static void assert_has(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("document.xml lacks \"%s\"", needle);
}

/* Each line of s appears in the text. */
static void assert_lines(const char *hay, const char *s)
{
	char line[4096];
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		if (n && n < sizeof line) {
			memcpy(line, s, n);
			line[n] = 0;
			assert_has(hay, line);
		}
		s += n + (nl ? 1 : 0);
	}
}

static void deterministic(void **state)
{
	fixture *f = *state;
	char a[128], b[128];
	write_docx(f, "a.docx", a, sizeof a);
	write_docx(f, "b.docx", b, sizeof b);
	size_t na = 0, nb = 0;
	char *da = slurp(a, &na), *db = slurp(b, &nb);
	assert_non_null(da);
	assert_non_null(db);
	assert_true(na > 1000);
	assert_int_equal(na, nb);
	assert_memory_equal(da, db, na);
	free(da);
	free(db);
}

static void content(void **state)
{
	fixture *f = *state;
	char path[128];
	write_docx(f, "a.docx", path, sizeof path);
	char *xml = unzip_entry(path, "word/document.xml");
	char *txt = xml_text(xml);

	static const char *const level1[] = {
	        "一、部门（单位）基本情况", "二、", "三、", "四、", "五、", "六、", "七、", "八、",
	        "九、其他需要说明的情况",
	};
	jx__report *r = jx__report_build(f->doc, f->d);
	assert_non_null(r);
	size_t nlevel1 = 0;
	for (size_t i = 0; i < r->nblocks; i++) {
		const jx__block *bl = &r->blocks[i];
		if (bl->kind != JX_B_HEADING || bl->level != 1)
			continue;
		char h[1024];
		snprintf(h, sizeof h, "%s%s", bl->number, bl->text);
		assert_has(txt, h);
		assert_true(nlevel1 < sizeof level1 / sizeof level1[0]);
		assert_true(!strncmp(h, level1[nlevel1], strlen(level1[nlevel1])));
		nlevel1++;
	}
	assert_int_equal(nlevel1, 9);
	assert_has(txt, "88.00");
	assert_has(txt, "良好");
	assert_has(txt, "草稿：尚有 3 个错误未改正");
	assert_has(txt, "附件1-1");
	assert_has(txt, "附件1-2");
	assert_int_equal(r->ntables, 2);
	size_t ncells = 0;
	for (size_t t = 0; t < r->ntables; t++)
		for (size_t row = 0; row < r->tables[t].nrows; row++)
			for (size_t c = 0; c < r->tables[t].rows[row].ncells; c++) {
				const jx__rcell *cell = &r->tables[t].rows[row].cells[c];
				if (!cell->covered) {
					assert_lines(txt, cell->text);
					ncells++;
				}
			}
	assert_true(ncells > 100);
	/* A4 and the GB/T 9704 margins. */
	assert_non_null(strstr(xml, "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"));
	assert_non_null(strstr(xml, "w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" "
	                            "w:left=\"1588\""));
	jx__report_free(r);
	free(txt);
	free(xml);

	char *core = unzip_entry(path, "docProps/core.xml");
	assert_non_null(strstr(core, "2023-11-14T22:13:20Z"));
	free(xml_text(core));
	free(core);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(deterministic),
	        cmocka_unit_test(content),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
