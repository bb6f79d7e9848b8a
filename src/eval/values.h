/* Walking every value of an evaluated document (for the store). */
#ifndef JX_VALUES_H
#define JX_VALUES_H

#include "doc.h"

enum { JX_VG_INPUT = 0, JX_VG_COMPUTED = 1, JX_VG_NARRATIVE = 2 };

/* Which of the three a field's values belong to. */
int jx__field_group(const jx__field *f);

/* Called with each non-blank value: its path ("budget.general.income",
 * "self_eval.indicators[2].score", "problems[0]"; rows and items from 0),
 * its field (a table's column for cells) and the value as reports show it.
 * A status other than JX_OK stops the walk and is returned. */
typedef jx_status (*jx__value_cb)(void *ctx, const char *path, const jx__field *f,
                                  const char *text);
jx_status jx__doc_each_value(const jx_doc *d, jx__value_cb cb, void *ctx);

/* The field (or table column) a value path names; NULL if none. */
const jx__field *jx__scheme_field_at(const jx_scheme *s, const char *path);

#endif
