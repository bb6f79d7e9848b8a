/* libFuzzer target: the XLSX reader (src/io/xlsx_read.c).
 *
 * Each input is a whole workbook file, opened from memory: the zip
 * container, workbook, relationships, shared strings and every sheet.  On
 * success every stored cell and merged range is looked up again by its
 * reference, so the lookup (with merge resolution) runs on fuzzed sheets
 * too.  Errors must come back as diagnostics, never as crashes or leaks. */
#include "common.h"

#include "../src/io/xlsx_read.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	jx_diags *d = jx_diags_new(NULL);
	if (!d)
		return 0;
	jx__xlsx *x = jx__xlsx_open_mem(data, size, "fuzz.xlsx", NULL, d);
	if (!x && !jx_diags_count(d))
		abort(); /* a failure must say why */
	for (size_t i = 0; x && i < x->nsheets; i++) {
		const jx__xsheet *sh = &x->sheets[i];
		if (jx__xlsx_sheet(x, sh->name) == NULL)
			abort();
		for (size_t k = 0; k < sh->ncells; k++) {
			char ref[16];
			jx__xlsx_ref(sh->cells[k].row, sh->cells[k].col, ref, sizeof ref);
			if (!jx__xlsx_cell_at(sh, ref))
				abort();
		}
		for (size_t k = 0; k < sh->nmerges && k < 64; k++)
			(void)jx__xlsx_cell(sh, sh->merges[k].r1, sh->merges[k].c1);
	}
	jx__xlsx_close(x);
	jx_diags_free(d);
	return 0;
}
