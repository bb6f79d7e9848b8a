/* The finance bureau's summary of one year of the store, as its writers
 * need it (`jixiao db summary`).  The store fills it (src/store/), the
 * writers render it (summary_xlsx.c, summary_html.c): data flows one way.
 * Small parts are arrays; the per-unit ranking is streamed from the
 * database in rank order, so memory stays flat in the number of units. */
#ifndef JX_SUMMARY_H
#define JX_SUMMARY_H

#include "../scheme/scheme.h"

#include <stdio.h>
#include <string.h>

/* A number that may be blank (blank is not zero). */
typedef struct jx__snum {
	bool set;
	jx_dec v;
} jx__snum;

/* One unit's latest revision of the year. */
typedef struct jx__sum_unit {
	size_t rank; /* 1-based by computed total, highest first; equal totals share */
	const char *code, *name;
	const char *parent_code, *parent_name; /* NULL when none */
	int rev;                               /* revision number, 1-based */
	jx__snum total, stated_total, gap;     /* gap = stated − computed */
	const char *grade, *stated_grade;      /* NULL when blank */
	size_t errors, warnings;
	const jx__snum *metrics;      /* summary->nmetrics values of this year */
	const jx__snum *prev_metrics; /* the same from the unit's previous year in the store */
} jx__sum_unit;

/* A figure of the scheme's summary.metrics across the year's units. */
typedef struct jx__sum_metric {
	const char *id, *label;
	jx__kind kind; /* how to show it: JX_K_PERCENT, JX_K_AMOUNT, … */
	size_t n;      /* units with a value */
	jx__snum min, max, mean, sum;
} jx__sum_metric;

/* One year of the store, for year-on-year comparison. */
typedef struct jx__sum_year {
	int year;
	size_t units;
	jx__snum mean_total;
	size_t *grade_counts;   /* summary->ngrades entries */
	jx__snum *metric_means; /* summary->nmetrics entries */
	jx__snum *metric_sums;  /* summary->nmetrics entries */
} jx__sum_year;

/* A rule that failed in the year: how many units, how many findings. */
typedef struct jx__sum_rule {
	const char *id, *title;
	jx_severity sev;
	size_t units, findings;
} jx__sum_rule;

/* Roll-up by parent unit (主管部门); units without a parent form their own
 * group under their own code. */
typedef struct jx__sum_parent {
	const char *code, *name;
	size_t units, with_errors;
	jx__snum mean_total, min_total, max_total;
	size_t *grade_counts; /* summary->ngrades entries */
} jx__sum_parent;

#define JX_SUM_BANDS 9 /* score bands: <60, 60–65, …, 90–95, 95–100 */

typedef struct jx__summary jx__summary;
typedef jx_status (*jx__sum_unit_cb)(void *ctx, const jx__sum_unit *u);

struct jx__summary {
	int year;
	const char *scheme_id, *scheme_title;
	size_t nunits;                  /* units with a revision in the year */
	size_t units_with_errors;       /* of those, with at least one error finding */
	size_t ungraded;                /* with no computed total */
	const char *const *grade_names; /* best first (优秀 良好 中 差) */
	size_t ngrades;
	size_t *grade_counts;             /* ngrades entries, computed grade */
	size_t score_bands[JX_SUM_BANDS]; /* computed totals by band */
	jx__snum mean_total, median_total;
	jx__sum_metric *metrics;
	size_t nmetrics;
	jx__sum_year *years; /* every year in the store, ascending */
	size_t nyears;
	jx__sum_rule *rules; /* most units first, then id */
	size_t nrules;
	jx__sum_parent *parents; /* by code */
	size_t nparents;
	/* Streams the year's units in rank order (may be called more than
	 * once); stops at the first status other than JX_OK from cb and
	 * returns it. */
	jx_status (*each_unit)(const jx__summary *s, jx__sum_unit_cb cb, void *ctx);
	void *src; /* for each_unit */
};

/* ---- what both writers derive from the model ---- */

/* n / of as an exact ratio; blank when of is 0. */
static inline jx__snum jx__sum_share(size_t n, size_t of)
{
	jx__snum v = {false, {0}};
	if (of)
		v.set = jx_dec_div(jx_dec_from_int((int64_t)n), jx_dec_from_int((int64_t)of), &v.v);
	return v;
}

/* (cur − prev) / prev, exactly; blank when either is blank, prev is 0 or
 * the arithmetic overflows. */
static inline jx__snum jx__sum_change(jx__snum cur, jx__snum prev)
{
	jx__snum v = {false, {0}};
	jx_dec diff;
	if (cur.set && prev.set && prev.v.raw != 0 && jx_dec_sub(cur.v, prev.v, &diff))
		v.set = jx_dec_div(diff, prev.v, &v.v);
	return v;
}

/* The metric whose change on last year the summaries show (三公经费). */
static inline bool jx__sum_is_sangong(const jx__sum_metric *m)
{
	return m->id && !strcmp(m->id, "sangong");
}

/* "60分以下", "60–65", …, "95–100": the label of score band i. */
static inline const char *jx__sum_band_label(size_t i, char *buf, size_t size)
{
	if (i == 0)
		snprintf(buf, size, "60分以下");
	else
		snprintf(buf, size, "%zu–%zu", 55 + 5 * i, 60 + 5 * i);
	return buf;
}

/* Writers: atomically (temporary file, then rename).  opts->timestamp
 * fixes the document time as for reports. */
jx_status jx__summary_write_xlsx(const jx__summary *s, const char *path, const jx_report_opts *opts,
                                 jx_diags *errors);
jx_status jx__summary_write_html(const jx__summary *s, const char *path, const jx_report_opts *opts,
                                 jx_diags *errors);

#endif
