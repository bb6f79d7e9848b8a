/* libFuzzer target: scheme files.
 *
 * Every input is loaded as a scheme (parse, field and rule model, formula
 * type check, cycle detection).  If it loads, the example data file (read
 * once) and an empty one are loaded and evaluated against it to exercise
 * the rules. */
#include "common.h"

#include <stdint.h>

static char *example;
static size_t example_len;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	example = fuzz_read_fixture("JIXIAO_EXAMPLE", FUZZ_EXAMPLE, &example_len);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	jx_diags *d = jx_diags_new(NULL);
	if (!d)
		abort();
	jx_scheme *s = jx_scheme_load_mem("scheme.yaml", (const char *)data, size, NULL, d);
	if (s) {
		if (jx_scheme_id(s))
			(void)strlen(jx_scheme_id(s));
		if (jx_scheme_title(s))
			(void)strlen(jx_scheme_title(s));
		(void)jx_scheme_field_count(s);
		(void)jx_scheme_rule_count(s);
		fuzz_run_doc(s, "example.yaml", example, example_len);
		/* Loads whenever nothing is required: every rule then runs on
		 * blanks and over the scheme's own (framework) tables. */
		fuzz_run_doc(s, "empty.yaml", "{}", 2);
	}
	jx_scheme_free(s);
	jx_diags_free(d);
	return 0;
}
