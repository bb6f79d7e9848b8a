/* libFuzzer target: the text reader of `jixiao audit`
 * (src/audit/text_read.c).
 *
 * Each input is a whole .txt as published: any encoding, any bytes.  On
 * success every block must be well formed: valid UTF-8 text, raw and
 * cells, lines that never go back, rows numbered from 0 within tables
 * numbered from 0; the PDF squeeze runs on every text too.  A failure
 * must come back as a diagnostic, never as a crash or a leak. */
#include "common.h"

#include "../src/audit/text.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Checks the invariants every reader promises; aborts if one fails. */
static void check_blocks(const jx__atext *t)
{
	unsigned last = 0;
	for (size_t i = 0; i < t->n; i++) {
		const jx__ablock *b = &t->blocks[i];
		if (!b->text || !b->raw || b->line < last ||
		    !jx__utf8_valid(b->text, strlen(b->text)))
			abort();
		last = b->line;
		if ((b->table < 0) != (b->row < 0) || (b->table < 0 && b->ncells) ||
		    (b->table >= 0 && (size_t)b->table >= t->ntables) ||
		    b->ncells > JX__ATEXT_MAX_CELLS)
			abort();
		for (size_t k = 0; k < b->ncells; k++)
			if (!b->cells[k] || !jx__utf8_valid(b->cells[k], strlen(b->cells[k])))
				abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	jx_diags *d = jx_diags_new(NULL);
	if (!d)
		return 0;
	jx__atext *t = jx__atext_from_text("fuzz.txt", (const char *)data, size, NULL, d);
	if (!t && !jx_diags_count(d))
		abort(); /* a failure must say why */
	if (t) {
		check_blocks(t);
		for (size_t i = 0; i < t->n; i++) {
			char *s = jx__anorm_squeeze(&t->arena, t->blocks[i].text);
			if (!s || strlen(s) > strlen(t->blocks[i].text))
				abort();
		}
	}
	jx__atext_free(t);
	jx_diags_free(d);
	return 0;
}
