/* libFuzzer target: the DOCX reader of `jixiao audit`
 * (src/audit/docx_read.c).
 *
 * Each input is a whole .docx opened from memory: the zip container,
 * word/document.xml and word/numbering.xml.  On success every block must
 * be well formed (valid UTF-8, lines that never go back, rows inside known
 * tables); errors must come back as diagnostics, never as crashes, leaks
 * or runaway memory (the 64 MiB inflate cap). */
#include "common.h"

#include "../src/audit/text.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	jx_diags *d = jx_diags_new(NULL);
	if (!d)
		return 0;
	jx__atext *t = jx__atext_from_docx("fuzz.docx", (const char *)data, size, NULL, d);
	if (!t && !jx_diags_count(d))
		abort(); /* a failure must say why */
	unsigned last = 0;
	for (size_t i = 0; t && i < t->n; i++) {
		const jx__ablock *b = &t->blocks[i];
		if (!b->text || !b->raw || b->line < last ||
		    !jx__utf8_valid(b->text, strlen(b->text)))
			abort();
		last = b->line;
		if ((b->table < 0) != (b->row < 0) ||
		    (b->table >= 0 && (size_t)b->table >= t->ntables) ||
		    b->ncells > JX__ATEXT_MAX_CELLS)
			abort();
		for (size_t k = 0; k < b->ncells; k++)
			if (!b->cells[k] || !jx__utf8_valid(b->cells[k], strlen(b->cells[k])))
				abort();
	}
	jx__atext_free(t);
	jx_diags_free(d);
	return 0;
}
