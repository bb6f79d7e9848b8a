/* Writing a data file (YAML) from (path, value) pairs. */
#ifndef JX_YAML_OUT_H
#define JX_YAML_OUT_H

#include "../core/core.h"

/* One value of a data file: a field path ("budget.general.income",
 * "self_eval.indicators[2].score") and its text; list values hold their
 * items one per line. */
typedef struct jx__yentry {
	const char *path;
	const char *value;
	bool list;
	bool raw; /* written as is (a flow value such as "[]") */
} jx__yentry;

/* True for text the YAML can hold unquoted as a number ("484.14", "87.5%"). */
bool jx__yaml_plain_number(const char *s);

/* The data file text: header, then the entries nested by path, in the
 * order their paths first appear.  Entries are read n times from first
 * with the given stride (so callers can embed jx__yentry in their own
 * records).  NULL when out of memory; the caller frees with alloc. */
char *jx__yaml_from_entries(const jx_allocator *alloc, const char *header, const jx__yentry *first,
                            size_t n, size_t stride);

#endif
