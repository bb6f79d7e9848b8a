/* libFuzzer target: what the store reads back from a database that was
 * tampered with.  A store holding the example is made once; every input
 * replaces the stored values of its revision (the only text the store
 * parses itself) and a finding's texts, then the values, a diff against
 * the untouched second revision, the review list, the summary and the
 * consistency check run over it. */
#include "common.h"
#include "jixiao/store.h"

#include <sqlite3.h>
#include <stdint.h>
#include <unistd.h>

static char dir[] = "/tmp/jixiao-fuzz-store-XXXXXX";
static char db[96], html[96];
static jx_scheme *scheme;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const jx_scheme *resolve(void *ctx, const char *name, const char *file, jx_diags *d)
{
	(void)ctx, (void)name, (void)file, (void)d;
	return scheme;
}

static void import_example(jx_store *st, const char *text, size_t len, const char *name)
{
	char path[128];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(text, 1, len, f) != len)
		abort();
	fclose(f);
	jx_store_import_opts o = {.resolve = resolve, .now = 0};
	jx_import_result r;
	jx_diags *d = jx_diags_new(NULL);
	if (jx_store_import_file(st, &o, path, &r, d) != JX_OK || r.outcome != JX_IMPORT_NEW)
		abort();
	jx_diags_free(d);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	size_t len;
	char *buf = fuzz_read_fixture("JIXIAO_SCHEME", FUZZ_SCHEME, &len);
	scheme = fuzz_must_load_scheme("scheme.yaml", buf, len);
	free(buf);
	if (!mkdtemp(dir))
		abort();
	snprintf(db, sizeof db, "%s/t.db", dir);
	snprintf(html, sizeof html, "%s/s.html", dir);
	jx_diags *d = jx_diags_new(NULL);
	jx_store *st = jx_store_open(db, JX_STORE_CREATE, NULL, d);
	if (!st)
		abort();
	buf = fuzz_read_fixture("JIXIAO_EXAMPLE", FUZZ_EXAMPLE, &len);
	import_example(st, buf, len, "a.yaml");
	char *p = strstr(buf, "income: 484.14");
	if (p)
		memcpy(p, "income: 480.00", 14);
	import_example(st, buf, len, "b.yaml");
	free(buf);
	jx_store_close(st);
	jx_diags_free(d);
	return 0;
}

/* Writes the input into revision 1's values and the first finding of the
 * latest revision (2), which the review list and the summary read. */
static void tamper(const uint8_t *data, size_t size)
{
	sqlite3 *h;
	sqlite3_stmt *q;
	if (sqlite3_open(db, &h) != SQLITE_OK)
		abort();
	static const char *const sql[] = {"UPDATE vals SET vals = ?1 WHERE revision_id = 1",
	                                  "UPDATE findings SET message = ?1, path = ?1, note = ?1"
	                                  " WHERE revision_id = 2 AND seq = 0"};
	for (size_t i = 0; i < 2; i++) {
		if (sqlite3_prepare_v2(h, sql[i], -1, &q, NULL) != SQLITE_OK)
			abort();
		sqlite3_bind_blob(q, 1, size ? data : (const void *)"", (int)size, SQLITE_STATIC);
		if (sqlite3_step(q) != SQLITE_DONE)
			abort();
		sqlite3_finalize(q);
	}
	sqlite3_close(h);
}

static jx_status on_value(void *ctx, const jx_store_value *v)
{
	size_t *n = ctx;
	*n += strlen(v->path) + strlen(v->value) + (v->label ? strlen(v->label) : 0);
	return JX_OK;
}

static jx_status on_change(void *ctx, const jx_store_change *c)
{
	size_t *n = ctx;
	*n += strlen(c->path) + (c->from ? strlen(c->from) : 0) + (c->to ? strlen(c->to) : 0);
	return JX_OK;
}

static jx_status on_finding(void *ctx, const jx_store_rev *r, const jx_diag *g)
{
	size_t *n = ctx;
	*n += strlen(r->unit) + (g && g->message ? strlen(g->message) : 0);
	return JX_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 1 << 20)
		return 0;
	tamper(data, size);
	jx_diags *d = jx_diags_new(NULL);
	jx_store *st = jx_store_open(db, JX_STORE_READ, NULL, d);
	if (!st)
		abort();
	size_t n = 0;
	jx_store_values(st, 1, on_value, &n, d);
	jx_store_diff(st, 1, 2, on_change, &n, d);
	jx_store_diff(st, 2, 1, on_change, &n, d);
	jx_store_review(st, 0, on_finding, &n, d);
	jx_store_summary(st, 2023, "html", html, NULL, d);
	jx_store_verify(st, d);
	jx_store_close(st);
	jx_diags_free(d);
	unlink(html);
	return 0;
}
