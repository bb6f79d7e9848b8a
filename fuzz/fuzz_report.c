/* libFuzzer target: the report writers on arbitrary data files.
 *
 * Every input that loads against the default scheme is evaluated and
 * written as DOCX, XLSX, HTML and Markdown into a private temporary
 * directory (files are overwritten input after input), so the writers see
 * hostile text, huge numbers, empty and odd-shaped tables. */
#include "common.h"

#include <stdint.h>
#include <unistd.h>

static jx_scheme *scheme;
static char dir[64];

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
	snprintf(dir, sizeof dir, "/tmp/jixiao-fuzz-report-XXXXXX");
	if (!mkdtemp(dir))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const formats[] = {"docx", "xlsx", "html", "md"};
	char path[128];
	jx_diags *d = jx_diags_new(NULL);
	if (!d)
		abort();
	jx_doc *doc = jx_doc_load_mem(scheme, "data.yaml", (const char *)data, size, NULL, d);
	if (doc && jx_doc_evaluate(doc, d) == JX_OK) {
		jx_report_opts o = {.timestamp = -1};
		for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
			if (!jx_report_format_supported(formats[i]))
				continue;
			snprintf(path, sizeof path, "%s/r.%s", dir, formats[i]);
			jx_diags *w = jx_diags_new(NULL);
			if (!w)
				abort();
			jx_report_write(doc, d, formats[i], path, &o, w);
			jx_diags_free(w);
		}
	}
	jx_doc_free(doc);
	jx_diags_free(d);
	return 0;
}
