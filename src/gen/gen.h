/* Synthetic data files for the default scheme (hunan-dept-overall), with
 * errors injected at a known rate and recorded in a manifest: for tests and
 * benchmarks (`jixiao gen`). */
#ifndef JX_GEN_H
#define JX_GEN_H

#include "jixiao/jixiao.h"

#include <stddef.h>
#include <stdint.h>

typedef struct jx__gen_opts {
	unsigned units;     /* number of units (u0001 …) */
	unsigned years;     /* years ending at 2024 */
	uint64_t seed;      /* same seed, same files */
	unsigned error_ppm; /* probability of an injected error per file, in 1/1000000 */
	const char *dir;    /* output directory (created) */
	const jx_allocator *alloc;
} jx__gen_opts;

/* Writes DIR/<unit>/<year>.yaml for every unit and year and DIR/manifest.tsv
 * (relative path, tab, the expected findings as a sorted comma list of
 * ID:severity).  *nfiles gets the number of data files written. */
jx_status jx__gen(const jx__gen_opts *o, size_t *nfiles, jx_diags *errors);

#endif
