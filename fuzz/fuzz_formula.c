/* libFuzzer target: the formula language.
 *
 * Each input is one formula, used three ways:
 *  1. jx__formula_parse on the raw bytes;
 *  2. checked and evaluated directly against the default scheme and the
 *     example data (loaded once) in three scopes: global, a row of
 *     self_eval.indicators and a row of framework.categories (`row.`); the
 *     same text is also parsed as a rule message template;
 *  3. embedded as `fuzz.x: "<input>"` in the derived: map of the default
 *     scheme's text, which is then loaded (parse, type check, cycle
 *     detection) and, if it loads, evaluated against the example data. */
#include "common.h"

#include "../src/eval/doc.h"
#include "../src/scheme/scheme.h"

#include <stdint.h>

static char *scheme_text, *example;
static size_t scheme_len, example_len, derived_at;
static jx_scheme *scheme;
static jx_doc *doc;
static int t_indicators = -1, t_categories = -1;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int table_of(const jx_scheme *s, const char *path)
{
	int slot = jx__scheme_slot(s, path, strlen(path));
	if (slot < 0 || s->fields[slot].ftype != JX_F_TABLE)
		abort();
	return s->fields[slot].table;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	scheme_text = fuzz_read_fixture("JIXIAO_SCHEME", FUZZ_SCHEME, &scheme_len);
	example = fuzz_read_fixture("JIXIAO_EXAMPLE", FUZZ_EXAMPLE, &example_len);
	const char *p = strstr(scheme_text, "\nderived:\n");
	if (!p) {
		fprintf(stderr, "fuzz: no top-level \"derived:\" in the scheme\n");
		abort();
	}
	derived_at = (size_t)(p - scheme_text) + strlen("\nderived:\n");
	scheme = fuzz_must_load_scheme("scheme.yaml", scheme_text, scheme_len);
	jx_diags *d = jx_diags_new(NULL);
	doc = jx_doc_load_mem(scheme, "example.yaml", example, example_len, NULL, d);
	if (!doc || jx_doc_evaluate(doc, d) != JX_OK) {
		fprintf(stderr, "fuzz: the example does not load\n");
		abort();
	}
	jx_diags_free(d);
	t_indicators = table_of(scheme, "self_eval.indicators");
	t_categories = table_of(scheme, "framework.categories");
	return 0;
}

/* Appends src as the body of a YAML double-quoted scalar.  Invalid UTF-8
 * becomes '?', since YAML input must be UTF-8 and that is checked before
 * the formula is ever seen. */
static void add_quoted(jx__buf *b, const char *src, size_t len)
{
	for (size_t i = 0; i < len;) {
		size_t at = i;
		unsigned char c = (unsigned char)src[i];
		if (c == '"' || c == '\\') {
			jx__buf_addc(b, '\\');
			jx__buf_addc(b, (char)c);
			i++;
		} else if (c < 0x20 || c == 0x7F) {
			jx__buf_printf(b, "\\x%02x", c);
			i++;
		} else if (c < 0x80) {
			jx__buf_addc(b, (char)c);
			i++;
		} else {
			uint32_t cp = jx__utf8_next(src, len, &i);
			if (cp == 0xFFFD && i - at != 3)
				jx__buf_addc(b, '?');
			else
				jx__buf_add(b, src + at, i - at);
		}
	}
}

/* The default scheme's text with `fuzz.x: "<src>"` first in derived:. */
static char *scheme_with(const char *src, size_t len, size_t *out_len)
{
	jx__buf b;
	jx__buf_init(&b, jx_allocator_default());
	jx__buf_add(&b, scheme_text, derived_at);
	jx__buf_adds(&b, "  fuzz.x: \"");
	add_quoted(&b, src, len);
	jx__buf_adds(&b, "\"\n");
	jx__buf_add(&b, scheme_text + derived_at, scheme_len - derived_at);
	*out_len = b.len;
	return jx__buf_take(&b);
}

static void eval_rows(jx__env *env, const jx__expr *e, int table)
{
	jx_value v;
	char out[64];
	if (table < 0) {
		env->nscopes = 0;
		jx__formula_eval(env, e, &v);
		jx__value_format(&v, e->kind, out, sizeof out);
		return;
	}
	size_t n = jx__doc_rows(doc, table);
	env->nscopes = 1;
	env->scopes[0].table = table;
	for (size_t r = 0; r < n; r++) {
		env->scopes[0].row = r;
		jx__formula_eval(env, e, &v);
		jx__value_format(&v, e->kind, out, sizeof out);
	}
	env->nscopes = 0;
}

/* Parse, check and evaluate against the shared scheme and document.  The
 * scheme is only read: every derived value in it is already checked, so
 * checking a new expression only resolves names.  New nodes go into an
 * arena of a shallow copy, freed after each input. */
static void direct(const char *src, size_t len, jx_diags *diags)
{
	jx_scheme tmp = *scheme;
	jx__arena_init(&tmp.arena, jx_allocator_default(), 4096);
	jx__env env;
	jx__doc_env(doc, &env);
	jx__loc at = {"formula", 1, 1};
	const int tables[] = {-1, t_indicators, t_categories};
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		jx__expr *e = jx__formula_parse(&tmp.arena, src, len, at, diags);
		if (!e)
			break; /* the same error in every scope */
		jx__scope sc = {.n = 0};
		if (tables[i] >= 0) {
			sc.tables[sc.n++] = tables[i];
			sc.has_row = true;
		}
		if (jx__formula_check(&tmp, e, &sc, "formula", diags) && e->type != JX_T_LIST)
			eval_rows(&env, e, tables[i]);
	}
	/* As a message template (NUL-terminated copy, as the loader has). */
	char *t = jx__arena_strndup(&tmp.arena, src, len);
	if (t && !memchr(src, '\0', len)) {
		jx__scope sc = {.tables = {t_indicators}, .n = 1, .has_row = true};
		jx__tpl tpl;
		jx__tpl_parse(&tmp, t, at, &sc, true, &tpl, diags);
	}
	jx__arena_fini(&tmp.arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *src = (const char *)data;
	jx_diags *d = jx_diags_new(NULL);
	if (!d)
		abort();

	/* 1. The parser alone, on the raw bytes. */
	jx__arena a;
	jx__arena_init(&a, jx_allocator_default(), 4096);
	jx__loc at = {"formula", 1, 1};
	jx__expr *e = jx__formula_parse(&a, src, size, at, d);
	jx__arena_fini(&a);

	/* 2. Checked and evaluated in place. */
	direct(src, size, d);
	jx_diags_clear(d);

	/* 3. As a derived value of a whole scheme. */
	if (e && !memchr(src, '\0', size)) {
		size_t len;
		char *text = scheme_with(src, size, &len);
		if (!text)
			abort();
		jx_scheme *s = jx_scheme_load_mem("scheme.yaml", text, len, NULL, d);
		if (s)
			fuzz_run_doc(s, "example.yaml", example, example_len);
		jx_scheme_free(s);
		free(text);
	}
	jx_diags_free(d);
	return 0;
}
