/* Shared helpers of the libFuzzer targets: locating and reading the
 * default scheme and the example data file once per process. */
#ifndef JX_FUZZ_COMMON_H
#define JX_FUZZ_COMMON_H

#include "jixiao/jixiao.h"

/* The report model (outline and attachment layouts evaluated against a
 * document) and its Markdown renderer, when this tree has them. */
#if defined(__has_include) && __has_include("../src/render/report.h")
#include "../src/render/report.h"
#define FUZZ_HAVE_REPORT 1
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef SRCDIR
#define SRCDIR "."
#endif

#define FUZZ_SCHEME  "schemes/hunan-dept-overall.yaml"
#define FUZZ_EXAMPLE "examples/beita-2023.yaml"

/* Reads a file named by env (if set), else SRCDIR/rel, else rel relative to
 * the working directory.  Aborts if none can be read: a fuzzer without its
 * fixture would only test the error path. */
__attribute__((unused)) static char *fuzz_read_fixture(const char *env, const char *rel,
                                                       size_t *len)
{
	char path[4096];
	const char *tries[3];
	size_t n = 0;
	const char *e = env ? getenv(env) : NULL;
	if (e && *e)
		tries[n++] = e;
	snprintf(path, sizeof path, "%s/%s", SRCDIR, rel);
	tries[n++] = path;
	tries[n++] = rel;
	for (size_t i = 0; i < n; i++) {
		FILE *f = fopen(tries[i], "rb");
		if (!f)
			continue;
		char *buf = NULL;
		size_t cap = 0, got = 0;
		for (;;) {
			if (got + 4097 > cap) {
				cap = cap ? cap * 2 : 65536;
				char *nb = realloc(buf, cap);
				if (!nb)
					abort();
				buf = nb;
			}
			size_t r = fread(buf + got, 1, cap - got - 1, f);
			got += r;
			if (r == 0)
				break;
		}
		fclose(f);
		buf[got] = '\0';
		*len = got;
		return buf;
	}
	fprintf(stderr, "fuzz: cannot read %s (set %s or run from the repository root)\n", rel,
	        env ? env : "SRCDIR");
	abort();
}

/* Loads a scheme from memory; aborts with its diagnostics on failure. */
__attribute__((unused)) static jx_scheme *fuzz_must_load_scheme(const char *name, const char *buf,
                                                                size_t len)
{
	jx_diags *d = jx_diags_new(NULL);
	if (!d)
		abort();
	jx_scheme *s = jx_scheme_load_mem(name, buf, len, NULL, d);
	if (!s) {
		for (size_t i = 0; i < jx_diags_count(d); i++) {
			const jx_diag *g = jx_diags_get(d, i);
			fprintf(stderr, "%s:%u:%u: %s %s\n", g->file ? g->file : "?", g->line,
			        g->column, g->id ? g->id : "", g->message);
		}
		fprintf(stderr, "fuzz: scheme %s does not load\n", name);
		abort();
	}
	jx_diags_free(d);
	return s;
}

/* Loads data against a scheme and, if it loads, runs everything a caller of
 * the library would: evaluation, the JSON renderer, the score table, the
 * result formatting and the report (as Markdown, in memory). */
__attribute__((unused)) static void fuzz_run_doc(const jx_scheme *s, const char *name,
                                                 const char *buf, size_t len)
{
	jx_diags *d = jx_diags_new(NULL);
	if (!d)
		abort();
	jx_doc *doc = jx_doc_load_mem(s, name, buf, len, NULL, d);
	if (doc) {
		jx_doc_evaluate(doc, d);
		const char *t = jx_doc_score_table(doc);
		if (t)
			(void)strlen(t);
		char out[256];
		for (int w = JX_RESULT_TOTAL; w <= JX_RESULT_FUNDS_SCORE; w++)
			jx_doc_format_result(doc, (jx_result)w, out, sizeof out);
#ifdef FUZZ_HAVE_REPORT
		jx__report *r = jx__report_build(doc, d);
		if (r) {
			char *md = jx__render_markdown(r);
			if (md)
				jx_allocator_default()->free(NULL, md);
			jx__report_free(r);
		}
#endif
	}
	char *js = jx_render_json(doc, name, d, NULL);
	if (js)
		jx_allocator_default()->free(NULL, js);
	jx_doc_free(doc);
	jx_diags_free(d);
}

#endif
