/* libFuzzer target: the whole audit of a report's text — reading, the
 * outline, extraction, the text rules and the rule pack on what was
 * extracted, the JSON and the extracted data file. */
#include "common.h"
#include "core/core.h"
#include "jixiao/audit.h"

#include <stdint.h>

static jx_scheme *scheme;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	size_t len;
	char *buf = fuzz_read_fixture("JIXIAO_SCHEME", FUZZ_SCHEME, &len);
	scheme = fuzz_must_load_scheme("scheme.yaml", buf, len);
	free(buf);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	jx_diags *d = jx_diags_new(NULL);
	if (!d)
		return 0;
	jx_audit *a = jx_audit_mem(scheme, "report.txt", (const char *)data, size, NULL, d);
	char *json = jx_audit_render_json(a, "report.txt", d, NULL);
	/* Always one valid UTF-8 JSON line, whatever bytes came in. */
	if (!json || !jx__utf8_valid(json, strlen(json)) || strchr(json, '\n'))
		abort();
	/* Every finding names a line inside the report, or none. */
	for (size_t i = 0; i < jx_diags_count(d); i++)
		if (!jx_diags_get(d, i)->message)
			abort();
	free(json);
	jx_audit_free(a);
	jx_diags_free(d);
	return 0;
}
