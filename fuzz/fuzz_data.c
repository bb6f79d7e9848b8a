/* libFuzzer target: data files against the default scheme.
 *
 * The scheme is loaded once; every input is loaded as a data file and, if
 * it loads, evaluated, rendered as JSON and as the score table.  A first
 * line "#?PATH" also looks PATH up through jx_doc_get/jx_doc_format. */
#include "common.h"

#include <stdint.h>

static jx_scheme *scheme;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	size_t len;
	char *buf = fuzz_read_fixture("JIXIAO_SCHEME", FUZZ_SCHEME, &len);
	scheme = fuzz_must_load_scheme("scheme.yaml", buf, len);
	free(buf);
	return 0;
}

static void lookups(const jx_scheme *s, const char *buf, size_t len)
{
	static const char *const paths[] = {
	        "score.total",
	        "score.grade",
	        "rates.funds_exec",
	        "self_eval.indicators",
	        "self_eval.indicators[0].score",
	        "self_eval.indicators[2].nature_eff",
	        "self_eval.indicators[99].score",
	        "budget.basic.stated_rate",
	        "unit.name",
	        "info.duties",
	        "basic_data.buildings[0].area_rate",
	        "framework.total",
	        "nope",
	};
	char path[256];
	size_t n = 0;
	if (len > 2 && buf[0] == '#' && buf[1] == '?') {
		while (n + 2 < len && n < sizeof path - 1 && buf[n + 2] != '\n' && buf[n + 2])
			n++;
		memcpy(path, buf + 2, n);
	}
	path[n] = '\0';

	jx_diags *d = jx_diags_new(NULL);
	if (!d)
		abort();
	jx_doc *doc = jx_doc_load_mem(s, "data.yaml", buf, len, NULL, d);
	if (!doc) {
		jx_diags_free(d);
		return;
	}
	jx_doc_evaluate(doc, d);
	char out[64];
	jx_value v;
	for (size_t i = 0; i <= sizeof paths / sizeof paths[0]; i++) {
		const char *p = i < sizeof paths / sizeof paths[0] ? paths[i] : path;
		if (jx_doc_get(doc, p, &v) && v.type == JX_V_TEXT && v.s)
			(void)strlen(v.s);
		jx_doc_format(doc, p, out, sizeof out);
		jx_doc_format(doc, p, out, 3);
	}
	jx_doc_free(doc);
	jx_diags_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	char name[64];
	/* Not NUL-terminated on purpose: the library takes (buf, len). */
	fuzz_run_doc(scheme, "data.yaml", buf, size);
	jx_data_scheme_name(buf, size, name, sizeof name);
	jx_data_scheme_name(buf, size, name, 2);
	if (size > 2 && buf[0] == '#' && buf[1] == '?')
		lookups(scheme, buf, size);
	return 0;
}
