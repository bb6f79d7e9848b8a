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

/* Writes DIR/<unit>/<year>.yaml for every unit and year and DIR/manifest.tsv,
 * one line per file with four tab-separated columns: relative path, the
 * expected findings as a sorted comma list of ID:severity, unit code, year.
 * Units form a 主管部门 → 所属单位 tree (unit.code, unit.parent,
 * unit.parent_name); from the second year on each money row's 上年决算数 is
 * the unit's previous 本年决算数.  *nfiles gets the number of data files
 * written. */
jx_status jx__gen(const jx__gen_opts *o, size_t *nfiles, jx_diags *errors);

#endif
