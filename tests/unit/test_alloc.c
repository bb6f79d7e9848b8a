/* Every allocation failure is survivable: the scheme, the example data
 * file, evaluation and both renderers are run with an allocator that fails
 * the n-th request, for every n up to the number a full run needs (load,
 * evaluate, JSON, score table, report model and Markdown).  Each
 * run must fail cleanly or succeed; ASan (make test-san) reports leaks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jixiao/jixiao.h"
#include "render/report.h"

typedef struct failing {
	long calls;   /* requests so far */
	long fail_at; /* the request that fails (1-based); 0 never */
	long live;    /* blocks not yet freed */
} failing;

static bool should_fail(failing *f)
{
	return ++f->calls == f->fail_at;
}

static void *f_alloc(void *ctx, size_t size)
{
	failing *f = ctx;
	if (should_fail(f))
		return NULL;
	void *p = malloc(size);
	f->live += p != NULL;
	return p;
}

static void *f_realloc(void *ctx, void *ptr, size_t size)
{
	failing *f = ctx;
	if (should_fail(f))
		return NULL;
	void *p = realloc(ptr, size);
	if (p && !ptr)
		f->live++;
	return p;
}

static void f_free(void *ctx, void *ptr)
{
	failing *f = ctx;
	if (ptr)
		f->live--;
	free(ptr);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	long n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

/* One full run; true when every step succeeded. */
static bool run(const jx_allocator *a, const char *scheme, size_t slen, const char *data,
                size_t dlen)
{
	bool ok = false;
	jx_scheme *s = NULL;
	jx_doc *doc = NULL;
	char *json = NULL, *md = NULL;
	jx__report *report = NULL;
	jx_diags *d = jx_diags_new(a);
	if (!d)
		return false;
	s = jx_scheme_load_mem("scheme.yaml", scheme, slen, a, d);
	if (!s)
		goto out;
	doc = jx_doc_load_mem(s, "data.yaml", data, dlen, a, d);
	if (!doc || jx_doc_evaluate(doc, d) != JX_OK)
		goto out;
	json = jx_render_json(doc, "data.yaml", d, a);
	if (!json || !jx_doc_score_table(doc))
		goto out;
	report = jx__report_build(doc, d);
	if (!report || !(md = jx__render_markdown(report)))
		goto out;
	ok = jx_diags_count(d) == 11;
out:
	if (md)
		a->free(a->ctx, md);
	jx__report_free(report);
	if (json)
		a->free(a->ctx, json);
	jx_doc_free(doc);
	jx_scheme_free(s);
	jx_diags_free(d);
	return ok;
}

static void test_every_failure(void **state)
{
	(void)state;
	size_t slen, dlen;
	char *scheme = slurp(SRCDIR "/schemes/hunan-dept-overall.yaml", &slen);
	char *data = slurp(SRCDIR "/examples/beita-2023.yaml", &dlen);
	failing f = {0};
	jx_allocator a = {f_alloc, f_realloc, f_free, &f};
	assert_true(run(&a, scheme, slen, data, dlen));
	long total = f.calls;
	assert_int_equal(f.live, 0);
	assert_true(total > 100);
	long failed_runs = 0;
	for (long n = 1; n <= total; n++) {
		f = (failing){.fail_at = n};
		if (!run(&a, scheme, slen, data, dlen))
			failed_runs++;
		if (f.live != 0)
			fail_msg("failing allocation %ld of %ld leaked %ld blocks", n, total,
			         f.live);
	}
	/* Nearly every failure must surface as a failed run; a few requests
	 * (score-table scratch, say) may be retried or not matter. */
	assert_true(failed_runs >= total * 9 / 10);
	printf("allocation requests per run: %ld; runs failing cleanly: %ld\n", total, failed_runs);
	free(scheme);
	free(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_every_failure)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
