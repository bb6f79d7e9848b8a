/* Extraction: the figures a report states, mapped onto the default
 * scheme's fields.  Prose is read clause by clause: each number's label is
 * the text before it back to the last delimiter, and a topic (一般公共预算,
 * 基本支出, 项目支出, “三公”经费) carries through the sentence from the
 * section heading or an earlier clause.  Tables are read by their row
 * labels (附件1-1) and header columns (附件1-2's funds block and indicator
 * rows).  Anything not recognised is left out: a rule needs all its inputs,
 * so a figure not found can never become a finding. */
#include "audit_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXNUM 64

static bool has(const char *s, const char *w)
{
	return strstr(s, w) != NULL;
}

/* ---- values ---- */

/* The shortest exact text ("164.5", "87.5%"): what the data file holds. */
static const char *dec_text(jx_audit *A, jx_dec v, bool percent)
{
	char buf[64];
	if (percent) {
		jx_dec p;
		if (!jx_dec_mul(v, jx_dec_from_int(100), &p))
			return NULL;
		jx_dec_format(p, JX_DEC_SHORTEST, buf, sizeof buf - 1);
		strcat(buf, "%");
	} else {
		jx_dec_format(v, JX_DEC_SHORTEST, buf, sizeof buf);
	}
	return jx__arena_strdup(&A->arena, buf);
}

/* Adds a numeric figure; amounts in 元 or 亿元 are converted to 万元. */
static jx__fig *num_fig(jx_audit *A, const char *path, const jx__numtok *t, unsigned line,
                        const char *snippet)
{
	jx_dec v = t->value;
	int unit = JX_U_NONE;
	if (t->unit == JX_NU_YUAN) {
		if (!jx_dec_div(v, jx_dec_from_int(10000), &v))
			return NULL;
		unit = JX_U_YUAN;
	} else if (t->unit == JX_NU_YI) {
		if (!jx_dec_mul(v, jx_dec_from_int(10000), &v))
			return NULL;
		unit = JX_U_YI;
	} else if (t->unit == JX_NU_WAN) {
		unit = JX_U_WAN;
	}
	const char *text = dec_text(A, v, t->unit == JX_NU_PERCENT);
	jx__fig *f = text ? jx__audit_fig(A, path, text, line, snippet) : NULL;
	if (f) {
		f->has_num = true;
		f->num = v;
		f->unit = unit;
	}
	return f;
}

/* ---- prose ---- */

typedef enum topic { T_NONE, T_GENERAL, T_BASIC, T_PROJECT, T_SANGONG } topic;
typedef enum sgmode { SG_NONE, SG_BUDGET, SG_ACTUAL } sgmode;

static topic topic_of(const char *s, topic cur)
{
	if (has(s, "三公"))
		return T_SANGONG;
	if (has(s, "基本支出"))
		return T_BASIC;
	if (has(s, "项目支出"))
		return T_PROJECT;
	if (has(s, "一般公共预算") || has(s, "财政拨款") || has(s, "收支总体") ||
	    has(s, "预算执行、使用"))
		return T_GENERAL;
	return cur;
}

/* Words that make a number a change, a comparison or another year's. */
static bool is_change(const char *label)
{
	static const char *const w[] = {"+", "=", "÷", "×", "减少", "增加", "压减", "节约", "下降",
	                                "上升", "增长", "较上年", "同比", "比上年", "上年", "去年",
	                                "较年初", "降低", "提高", "超出", "结余率", "占",
	                                /* targets, not results */
	                                "力争", "目标", "确保", "计划", "预计", "争取", "控制在",
	                                "保持在", "不低于", "不超过", "达到"};
	for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
		if (has(label, w[i]))
			return true;
	return false;
}

/* An amount of one of the department's units ("分单位看，局机关本年支出…",
 * "所属中学…"), not the department's own. */
static bool other_unit(const char *label)
{
	static const char *const w[] = {"局机关", "分单位", "所属", "下属", "分别",
	                                "中学",   "小学",   "学校", "医院", "幼儿园"};
	for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
		if (has(label, w[i]))
			return true;
	return false;
}

/* Budget or actual, as the label itself says; else the sentence's mode. */
static sgmode label_mode(const char *label, sgmode mode)
{
	if (has(label, "决算") || has(label, "实际") || has(label, "支出"))
		return SG_ACTUAL;
	if (has(label, "预算"))
		return SG_BUDGET;
	return mode;
}

/* 公务接待 / 公务用车 / 出国 amounts; *part remembers the category through
 * the sentence ("公务接待费决算1.20万元、预算1.50万元"). */
static const char *sangong_part(const char *label, sgmode mode, int *part, bool listed)
{
	static const char *const paths[3][2] = {
	        {"budget.sangong.reception_budget", "budget.sangong.reception_actual"},
	        {"budget.sangong.vehicle_budget", "budget.sangong.vehicle_actual"},
	        {"budget.sangong.abroad_budget", "budget.sangong.abroad_actual"}};
	if (has(label, "公务接待"))
		*part = 0;
	else if (has(label, "公务用车") || has(label, "公车"))
		*part = 1;
	else if (has(label, "出国"))
		*part = 2;
	else if (*part < 0 || has(label, "三公") || strlen(label) > 12 || !listed)
		return NULL; /* "、预算1.50万元" goes on with the category named before it */
	return paths[*part][label_mode(label, mode) == SG_ACTUAL];
}

/* "预算" other than in 一般公共预算 and 预算单位. */
static bool says_budget(const char *label)
{
	for (const char *p = strstr(label, "预算"); p; p = strstr(p + 6, "预算")) {
		bool general = p >= label + 12 && !strncmp(p - 12, "一般公共", 12);
		if (!general && strncmp(p + 6, "单位", 6))
			return true;
	}
	return false;
}

static const char *amount_path(const char *label, topic t, sgmode *mode, int *part, bool listed)
{
	if (t == T_SANGONG) {
		const char *path = sangong_part(label, *mode, part, listed);
		if (path)
			return path;
		if (has(label, "预算")) {
			*mode = SG_BUDGET;
			return "budget.sangong.budget";
		}
		if (has(label, "支出") || has(label, "决算")) {
			*mode = SG_ACTUAL;
			return "budget.sangong.actual";
		}
		return NULL;
	}
	bool general = t == T_GENERAL, basic = t == T_BASIC;
	/* 结转和结余 without a topic (a section of its own) is the whole budget's. */
	bool whole = general || t == T_NONE;
	if (has(label, "年初结转"))
		return whole ? "budget.general.opening" : basic ? "budget.basic.opening" : NULL;
	if (has(label, "年末结转"))
		return whole ? "budget.general.closing" : basic ? "budget.basic.closing" : NULL;
	if (general && has(label, "收入"))
		return "budget.general.income";
	if (basic && has(label, "年初预算"))
		return "budget.basic.initial";
	if (basic && (has(label, "全年预算") || has(label, "调整后预算")))
		return "budget.basic.full_year";
	if (says_budget(label) || !has(label, "支出"))
		return NULL;
	return general          ? "budget.general.spending"
	       : basic          ? "budget.basic.spending"
	       : t == T_PROJECT ? "budget.project.spending"
	                        : NULL;
}

static const char *count_path(const char *label)
{
	if (has(label, "编制") && !has(label, "实有") && !has(label, "在职"))
		return "info.staff.authorized";
	if (has(label, "实有") || has(label, "在职"))
		return "info.staff.actual";
	if (has(label, "内设") || has(label, "股室") || has(label, "科室"))
		return "info.org.sections_count";
	return NULL;
}

static bool is_stated_score(const char *label)
{
	if (has(label, "分值") || has(label, "权重") || has(label, "指标"))
		return false;
	return has(label, "自评") || has(label, "综合评分") || has(label, "综合得分") ||
	       has(label, "总得分") || has(label, "评价得分") || has(label, "评分为");
}

/* A paragraph as written, which may span lines that a PDF's layout
 * wrapped: its text joined, and where each source line starts in it. */
#define MAXSEG 16
typedef struct prose {
	jx_audit *A;
	const jx__ablock *b; /* its first block */
	const char *text;
	size_t nseg, seg_off[MAXSEG];
	unsigned seg_line[MAXSEG];
	topic section, sentence;
	sgmode mode;
	int part;    /* the 三公 category last named in the sentence, or -1 */
	bool listed; /* the current label follows "、" (a list goes on) */
	int year;    /* the report's year, once known (0 before) */
} prose;

static unsigned line_at(const prose *P, size_t off)
{
	size_t k = 0;
	while (k + 1 < P->nseg && P->seg_off[k + 1] <= off)
		k++;
	return P->seg_line[k];
}

/* A project report states the project's funds: the 自评表's 年初预算数,
 * 全年预算数, 全年执行数 and 执行率. */
static const char *project_path(const char *label, const jx__numtok *t)
{
	if (has(label, "其中") || has(label, "当年") || has(label, "结转") || has(label, "其他"))
		return NULL;
	if (t->unit == JX_NU_PERCENT)
		return has(label, "执行率") ? "self_eval.funds.stated_rate" : NULL;
	if (t->unit != JX_NU_WAN && t->unit != JX_NU_YUAN && t->unit != JX_NU_YI)
		return NULL;
	if (has(label, "年初预算"))
		return "self_eval.funds.initial";
	if (has(label, "全年预算") || has(label, "调整后预算"))
		return "self_eval.funds.full_year";
	if (has(label, "全年执行") || has(label, "实际支出") || has(label, "执行数"))
		return "self_eval.funds.spending";
	return NULL;
}

static const char *classify(prose *P, const char *label, const jx__numtok *t)
{
	if (is_change(label))
		return NULL;
	if (P->A->project && t->unit != JX_NU_SCORE && t->unit != JX_NU_COUNT)
		return project_path(label, t);
	P->sentence = topic_of(label, P->sentence);
	switch (t->unit) {
	case JX_NU_COUNT:
		return count_path(label);
	case JX_NU_SCORE:
		return is_stated_score(label) ? "performance.stated_score" : NULL;
	case JX_NU_PERCENT:
		return P->sentence == T_BASIC && has(label, "执行率") ? "budget.basic.stated_rate"
		                                                      : NULL;
	case JX_NU_WAN:
	case JX_NU_YUAN:
	case JX_NU_YI:
		if (other_unit(label))
			return NULL;
		/* a correction names the report's own figure, whatever section it is in */
		return amount_path(label,
		                   P->A->errata && P->sentence == T_NONE ? T_GENERAL : P->sentence,
		                   &P->mode, &P->part, P->listed);
	default:
		/* "自评得分：92" in a key–value form */
		return is_stated_score(label) && (has(label, "：") || has(label, ":"))
		               ? "performance.stated_score"
		               : NULL;
	}
}

/* Is the byte at s a clause delimiter? Returns its length. */
static size_t delim_at(const char *s)
{
	static const char *const d[] = {"，", "。", "；", "、", "！", "？", ",", ";"};
	for (size_t i = 0; i < sizeof d / sizeof d[0]; i++)
		if (!strncmp(s, d[i], strlen(d[i])))
			return strlen(d[i]);
	return 0;
}

static bool sentence_end(const char *s, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (!strncmp(s + i, "。", 3) || !strncmp(s + i, "；", 3))
			return true;
	return false;
}

/* The label of a number: back from it to the last delimiter or number. */
static char *label_before(jx__arena *a, const char *s, size_t from, size_t to)
{
	size_t start = from;
	for (size_t i = from; i < to;) {
		size_t d = delim_at(s + i);
		if (d) {
			start = i + d;
			i += d;
		} else {
			i++;
		}
	}
	while (start < to && (s[start] == ' ' || !strncmp(s + start, "（", 3))) {
		start += s[start] == ' ' ? 1 : 3;
	}
	return jx__arena_strndup(a, s + start, to - start);
}

/* A number at the very end of a text that stops mid-line ("本年支出484.1")
 * may be cut. */
static bool cut_number(const prose *P, const char *s, const jx__numtok *t)
{
	const jx__atext *x = P->A->text;
	const jx__ablock *last = P->b + (P->nseg ? P->nseg - 1 : 0);
	return x->open_end && last == &x->blocks[x->n - 1] && strlen(s) - t->end <= 3;
}

/* "95%-100%", "90分以上", "3至5万元": a range or a bound, not a figure. */
static bool in_range(const char *s, const jx__numtok *toks, size_t n, size_t i)
{
	static const char *const joins[] = {"-", "－", "～", "~", "—", "至", "到"};
	static const char *const bounds[] = {"以上", "以下", "以内", "左右", "及以上"};
	const char *after = s + toks[i].end;
	for (size_t k = 0; k < sizeof joins / sizeof joins[0]; k++) {
		size_t jl = strlen(joins[k]);
		if (i + 1 < n && toks[i + 1].start == toks[i].end + jl &&
		    !strncmp(after, joins[k], jl))
			return true;
		if (i > 0 && toks[i].start == toks[i - 1].end + jl &&
		    !strncmp(s + toks[i - 1].end, joins[k], jl))
			return true;
	}
	for (size_t k = 0; k < sizeof bounds / sizeof bounds[0]; k++)
		if (!strncmp(after, bounds[k], strlen(bounds[k])))
			return true;
	return false;
}

/* Is position at in a sentence that corrects an earlier figure ("更正：…"
 * or "勘误：…")? */
static bool in_correction(const char *s, size_t at)
{
	size_t start = 0;
	for (size_t i = 0; i < at; i++)
		if (!strncmp(s + i, "。", 3))
			start = i + 3;
	const char *c = strstr(s + start, "更正");
	const char *k = strstr(s + start, "勘误");
	return (c && (size_t)(c - s) < at) || (k && (size_t)(k - s) < at);
}

static bool is_year(jx_dec v)
{
	return jx_dec_is_integer(v) && v.raw >= 2000 * JX_DEC_SCALE && v.raw <= 2100 * JX_DEC_SCALE;
}

static void prose_numbers(prose *P, const char *s)
{
	jx__numtok toks[MAXNUM];
	size_t n = jx__scan_numbers(s, toks, MAXNUM), prev = 0;
	bool other_year = false;
	P->sentence = P->section;
	P->mode = SG_NONE;
	P->part = -1;
	for (size_t i = 0; i < n; i++) {
		const jx__numtok *t = &toks[i];
		if (sentence_end(s, prev, t->start)) {
			P->sentence = P->section;
			P->part = -1;
			other_year = false;
		}
		P->A->errata = in_correction(s, t->start);
		char *label = label_before(&P->A->arena, s, prev, t->start);
		size_t at = label ? t->start - strlen(label) : 0;
		P->listed = at >= 3 && !strncmp(s + at - 3, "、", 3);
		prev = t->end;
		/* "2022年本年支出…" in a 2023 report: another year's figures. */
		if (t->year_like && t->unit == JX_NU_NONE && !t->scale && is_year(t->value) &&
		    P->year && jx_dec_cmp(t->value, jx_dec_from_int(P->year)))
			other_year = true;
		if (!label || t->year_like || other_year || cut_number(P, s, t) ||
		    in_range(s, toks, n, i))
			continue;
		const char *path = classify(P, label, t);
		if (path)
			num_fig(P->A, path, t, line_at(P, t->start), P->text);
	}
	P->A->errata = false;
}

static const struct {
	const char *word, *value;
} grades[] = {{"优秀", "优秀"}, {"良好", "良好"}, {"中等", "中"}, {"较差", "差"},
              {"合格", "中"},   {"中", "中"},     {"差", "差"}};

/* "绩效评价等次为“优秀”", "自评等级：良好". */
static void prose_grade(prose *P, const char *s)
{
	static const char *const keys[] = {"等次", "等级", "评价结果", "自评结果"};
	for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
		const char *at = strstr(s, keys[k]);
		if (!at)
			continue;
		const char *before = at - 18 > s ? at - 18 : s;
		if (has(at, "指标") && strstr(at, "指标") < at + 12)
			continue;
		(void)before;
		const char *p = at + strlen(keys[k]);
		static const char *const skip[] = {"为", "是", "：", ":", "“", "\"", " ", "「"};
		for (bool more = true; more;) {
			more = false;
			for (size_t i = 0; i < sizeof skip / sizeof skip[0]; i++)
				if (!strncmp(p, skip[i], strlen(skip[i]))) {
					p += strlen(skip[i]);
					more = true;
				}
		}
		for (size_t g = 0; g < sizeof grades / sizeof grades[0]; g++) {
			size_t n = strlen(grades[g].word);
			if (strncmp(p, grades[g].word, n))
				continue;
			/* 中 and 差 alone only when the phrase ends there. */
			if (n == 3 && p[n] && strncmp(p + n, "”", 3) && strncmp(p + n, "。", 3) &&
			    strncmp(p + n, "，", 3) && strncmp(p + n, "等", 3))
				break;
			jx__audit_fig(P->A, "performance.stated_grade", grades[g].value,
			              line_at(P, (size_t)(at - s)), P->text);
			return;
		}
	}
}

/* "单位名称：XX局", "年度：2022"; "预算单位名称  XX局" (a PDF's table row). */
static void key_values(prose *P, const char *s)
{
	if (!strncmp(s, "预算单位名称 ", 19) && s[19]) {
		jx__audit_fig(P->A, "unit.budget_name", s + 19, P->b->line, s);
		return;
	}
	const char *colon = strstr(s, "：");
	if (!colon || colon - s > 24)
		return;
	size_t klen = (size_t)(colon - s);
	const char *v = colon + 3;
	while (*v == ' ')
		v++;
	if (!*v)
		return;
	char key[80];
	snprintf(key, sizeof key, "%.*s", (int)klen, s);
	static const char *const measures[] = {"万元", "元", "亿元", "人", "%", "个"};
	bool measure = false;
	for (size_t i = 0; i < sizeof measures / sizeof measures[0]; i++)
		measure |= !strcmp(v, measures[i]);
	if (measure)
		return;
	if (!strcmp(key, "单位名称") || !strcmp(key, "部门名称") || !strcmp(key, "单位"))
		jx__audit_fig(P->A, "unit.name", v, P->b->line, s);
	else if (!strcmp(key, "预算单位名称") || !strcmp(key, "预算单位"))
		jx__audit_fig(P->A, "unit.budget_name", v, P->b->line, s);
	else if ((has(key, "年度") || !strcmp(key, "评价年份")) && strlen(v) >= 4) {
		char y[8];
		snprintf(y, sizeof y, "%.4s", v);
		if (y[0] == '2' && y[1] == '0' && y[2] >= '0' && y[2] <= '9' && y[3] >= '0' &&
		    y[3] <= '9')
			jx__audit_fig(P->A, "year", y, P->b->line, s);
	}
}

/* A unit's name: a short line that ends like one (局, 中心, 委员会 …). */
static bool looks_like_unit(const char *t)
{
	static const char *const ends[] = {"局", "委", "办", "院", "中心", "所", "站", "队", "会",
	                                   "室", "部", "处", "厅", "馆",   "社", "校", "园", "府"};
	size_t n = strlen(t);
	if (n < 6 || n > 90 || strstr(t, "：") || strstr(t, "，"))
		return false;
	for (size_t k = 0; k < sizeof ends / sizeof ends[0]; k++) {
		size_t e = strlen(ends[k]);
		if (n >= e && !strcmp(t + n - e, ends[k]))
			return true;
	}
	return false;
}

/* Finds "NAME2023年…自评报告" in t; the name may instead be the line before. */
/* "2023年" or "二〇二三年" at p: the year's digits into out, and the bytes
 * before 年 (0 if none). */
static size_t year_at(const char *p, char out[5])
{
	static const char *const cn = "〇一二三四五六七八九";
	if (p[0] == '2' && p[1] == '0' && p[2] >= '0' && p[2] <= '9' && p[3] >= '0' &&
	    p[3] <= '9' && !strncmp(p + 4, "年", 3)) {
		memcpy(out, p, 4);
		out[4] = '\0';
		return 4;
	}
	for (int k = 0; k < 4; k++) {
		const char *d = NULL;
		for (const char *c = cn; *c && !d; c += 3)
			if (!strncmp(p + 3 * k, c, 3))
				d = c;
		if (!d && !strncmp(p + 3 * k, "零", 3))
			d = cn;
		if (!d)
			return 0;
		out[k] = (char)('0' + (d - cn) / 3);
	}
	out[4] = '\0';
	return out[0] == '2' && !strncmp(p + 12, "年", 3) ? 12 : 0;
}

/* A copy of s without any spaces: titles are letter-spaced in PDF text. */
static char *no_spaces(jx__arena *a, const char *s)
{
	char *c = jx__arena_strdup(a, s), *o = c;
	for (const char *p = s; c && *p; p++)
		if (*p != ' ')
			*o++ = *p;
	if (c)
		*o = '\0';
	return c;
}

static bool title_in(jx_audit *A, const char *t, const jx__ablock *b, const jx__ablock *before)
{
	const char *rep = strstr(t, "自评报告");
	if (!rep)
		return false;
	for (const char *p = t; p + 7 <= rep; p++) {
		char year[5];
		size_t ylen = year_at(p, year);
		if (!ylen)
			continue;
		const char *name = t;
		if (!strncmp(name, "关于", 6))
			name += 6;
		size_t nlen = (size_t)(p - name);
		while (nlen && name[nlen - 1] == ' ')
			nlen--;
		char *un = NULL;
		unsigned line = b->line;
		if (nlen >= 6 && nlen <= 120)
			un = jx__arena_strndup(&A->arena, name, nlen);
		else if (before && looks_like_unit(no_spaces(&A->arena, before->text))) {
			un = no_spaces(&A->arena, before->text);
			line = before->line;
		}
		if (un)
			jx__audit_fig(A, "unit.name", un, line, t);
		A->project = strstr(t, "项目") && !strstr(t, "部门整体");
		jx__audit_fig(A, "year", year, b->line, t);
		return true;
	}
	return false;
}

/* The title: "XX局2023年部门整体支出绩效自评报告", perhaps letter-spaced or
 * split over two lines (PDF), perhaps with the unit's name on its own
 * line above. */
static void title(jx_audit *A)
{
	const jx__ablock *prev = NULL;
	for (size_t i = 0; i < A->text->n && i < 10; i++) {
		const jx__ablock *b = &A->text->blocks[i];
		if (b->table >= 0)
			continue;
		const char *one = no_spaces(&A->arena, b->text);
		if (one && title_in(A, one, b, prev))
			return;
		if (one && i + 1 < A->text->n && A->text->blocks[i + 1].table < 0) {
			char *two = jx__arena_printf(&A->arena, "%s%s", b->text,
			                             A->text->blocks[i + 1].text);
			const char *sq = two ? no_spaces(&A->arena, two) : NULL;
			const char *next = no_spaces(&A->arena, A->text->blocks[i + 1].text);
			/* a second line that holds the whole title is read on its own */
			bool whole = next && strstr(next, "自评报告") && strstr(next, "年");
			if (sq && !whole && title_in(A, sq, b, prev))
				return;
		}
		prev = b;
	}
}

/* A numbered heading: 一、 （一） (1) 1、 1. — not "2186.45万元" or "2022年". */
static bool is_heading_like(const char *t)
{
	size_t len, d = 0;
	if (jx__cn_parse(t, &len) >= 0 && !strncmp(t + len, "、", 3))
		return true;
	if (!strncmp(t, "（", 3) || t[0] == '(')
		return true;
	while (t[d] >= '0' && t[d] <= '9')
		d++;
	return d && d <= 2 &&
	       (!strncmp(t + d, "、", 3) || !strncmp(t + d, "．", 3) ||
	        (t[d] == '.' && !(t[d + 1] >= '0' && t[d + 1] <= '9')));
}

/* Bytes up to the first of the given stops (whole UTF-8 characters). */
static size_t stop_at(const char *s, const char *const *stops, size_t n)
{
	size_t i = 0;
	for (; s[i]; i++)
		for (size_t k = 0; k < n; k++)
			if (!strncmp(s + i, stops[k], strlen(stops[k])))
				return i;
	return i;
}

static size_t clause_len(const char *s)
{
	static const char *const stops[] = {"，", "。", "；", ";"};
	return stop_at(s, stops, sizeof stops / sizeof stops[0]);
}

static size_t list_len(const char *s)
{
	static const char *const stops[] = {"。", "；", ";"};
	return stop_at(s, stops, sizeof stops / sizeof stops[0]);
}

/* "内设处室5个，具体为：" and then one numbered line per item. */
static void numbered_list(prose *P, const char *s)
{
	size_t n = strlen(s);
	if (n < 3 || strcmp(s + n - 3, "：") || !has(s, "个"))
		return;
	const jx__atext *t = P->A->text;
	size_t i = (size_t)(P->b - t->blocks) + P->nseg;
	jx__buf items;
	jx__buf_init(&items, P->A->alloc);
	long want = 1;
	for (; i < t->n && t->blocks[i].table < 0; i++) {
		const char *x = t->blocks[i].text;
		size_t d = 0;
		long v = 0;
		while (x[d] >= '0' && x[d] <= '9' && d < 3)
			v = v * 10 + (x[d++] - '0');
		if (!d || v != want || (x[d] != '.' && strncmp(x + d, "、", 3)))
			break;
		want++;
		if (items.len)
			jx__buf_addc(&items, '\n');
		const char *item = x + d + (x[d] == '.' ? 1 : 3);
		jx__buf_add(&items, item, clause_len(item));
	}
	/* a list that runs to the end of the text may have been cut short */
	if (want > 1 && !items.oom && i < t->n) {
		char *v = jx__arena_strndup(&P->A->arena, items.data, items.len);
		jx__fig *f =
		        v ? jx__audit_fig(P->A, "info.org.sections", v, line_at(P, 0), s) : NULL;
		if (f)
			f->y.list = true;
	}
	jx__buf_fini(&items);
}

/* 内设股室4个，分别是：A、B、C — the list (X02 compares it with the count).
 * The list runs to "。" or "；" (lines a PDF wrapped are joined already). */
static void org_list(prose *P, const char *s)
{
	if (!has(s, "内设") && !has(s, "股室") && !has(s, "科室"))
		return;
	static const char *const intro[] = {"分别是：", "分别为：", "分别是", "分别为", "包括："};
	const char *at = NULL;
	size_t il = 0;
	for (size_t i = 0; !at && i < sizeof intro / sizeof intro[0]; i++)
		if ((at = strstr(s, intro[i])))
			il = strlen(intro[i]);
	if (!at) {
		numbered_list(P, s);
		return;
	}
	jx__buf text, items;
	jx__buf_init(&text, P->A->alloc);
	jx__buf_init(&items, P->A->alloc);
	jx__buf_adds(&text, at + il);
	const char *p = text.data ? text.data : "";
	size_t len = list_len(p);
	/* A list the text ends inside (a report cut short) cannot be counted. */
	if (!p[len] && P->b + P->nseg >= P->A->text->blocks + P->A->text->n) {
		jx__buf_fini(&text);
		jx__buf_fini(&items);
		return;
	}
	int depth = 0;
	for (size_t i = 0; i < len;) {
		if (!strncmp(p + i, "（", 3) || p[i] == '(')
			depth++;
		if (!strncmp(p + i, "）", 3) || p[i] == ')')
			depth--;
		if (depth <= 0 && !strncmp(p + i, "、", 3)) {
			jx__buf_addc(&items, '\n');
			i += 3;
			continue;
		}
		size_t step = ((unsigned char)p[i] >= 0xE0) ? 3 : 1;
		if (p[i] != ' ')
			jx__buf_add(&items, p + i, step);
		i += step;
	}
	if (!items.oom && items.len) {
		char *v = jx__arena_strndup(&P->A->arena, items.data, items.len);
		jx__fig *f = v ? jx__audit_fig(P->A, "info.org.sections", v,
		                               line_at(P, (size_t)(at - s)), s)
		               : NULL;
		if (f)
			f->y.list = true;
	}
	jx__buf_fini(&text);
	jx__buf_fini(&items);
}

static void prose_block(prose *P)
{
	const char *t = P->text;
	if (is_heading_like(t) && strlen(t) < 120) {
		P->section = topic_of(t, strstr(t, "预算执行") ? T_GENERAL : T_NONE);
		if (!has(t, "，") && !has(t, "万元"))
			return;
	}
	key_values(P, t);
	prose_numbers(P, t);
	prose_grade(P, t);
	org_list(P, t);
}

/* ---- tables ---- */

/* A cell's text for matching: no spaces or line breaks, no leading
 * numbering ("1、", "（一）") or "其中：", no trailing colon. */
static char *cell_key(jx__arena *a, const char *s)
{
	jx__buf b;
	char *out;
	jx__buf_init(&b, a->alloc);
	for (const char *p = s; *p; p++)
		if (*p != ' ' && *p != '\n')
			jx__buf_addc(&b, *p);
	jx__buf_addc(&b, '\0');
	const char *k = b.data ? b.data : "";
	size_t len;
	if (jx__cn_parse(k, &len) >= 0 && !strncmp(k + len, "、", 3))
		k += len + 3;
	while (*k >= '0' && *k <= '9')
		k++;
	if (!strncmp(k, "、", 3))
		k += 3;
	else if (*k == '.')
		k++;
	if (!strncmp(k, "其中：", 9))
		k += 9;
	else if (!strncmp(k, "其中", 6))
		k += 6;
	out = jx__arena_strdup(a, k);
	jx__buf_fini(&b);
	if (out) {
		size_t n = strlen(out);
		if (n >= 3 && !strcmp(out + n - 3, "："))
			out[n - 3] = '\0';
		else if (n >= 1 && out[n - 1] == ':')
			out[n - 1] = '\0';
	}
	return out;
}

static const struct {
	const char *label, *field;
} money_rows[] = {
        {"三公经费", "sangong"},
        {"“三公”经费", "sangong"},
        {"公务用车购置和维护经费", "vehicle"},
        {"公务用车购置及运行维护费", "vehicle"},
        {"公车购置", "vehicle_purchase"},
        {"公车运行维护", "vehicle_running"},
        {"出国经费", "abroad"},
        {"出国（境）经费", "abroad"},
        {"公务接待", "reception"},
        {"公务接待费", "reception"},
        {"项目支出", "project"},
        {"业务工作经费", "project_business"},
        {"运行维护经费", "project_operation"},
        {"其他事业类发展资金", "project_other"},
        {"公用经费", "public"},
        {"办公费", "public_office"},
        {"水费、电费、差旅费", "public_utilities_travel"},
        {"会议费、培训费", "public_meeting_training"},
        {"政府采购金额", "procurement"},
        {"部门基本支出预算调整", "basic_adjust"},
};

typedef struct tabctx {
	jx_audit *A;
	int money_cols[3]; /* prev, budget, actual: cell offsets after the label */
	int funds[6];      /* initial, full_year, spending, weight, rate, score */
	bool have_funds, funds_next;
	bool total_seen;            /* the 自评表's 总分 row was read */
	const jx__ablock *last_ind; /* the last indicator row read */
	bool second_unit;           /* a second 预算单位名称: another unit's forms follow */
	bool seen_budget_name;
	const jx__ablock *keys_of; /* the row keys holds the cell keys of */
	char **keys;
	int ind[9]; /* level1, level2, name, target, actual, weight, score, deviation, nature */
	bool have_ind;
	size_t ind_cells, nind;
	char level1[64], level2[64];
	int staff[3];
	bool staff_next;
} tabctx;

/* The line a cell of b starts on (rows of the seed's layout span lines). */
static unsigned cell_line(const jx__ablock *b, const char *cell)
{
	for (size_t i = 0; b->cell_lines && i < b->ncells; i++)
		if (b->cells[i] == cell)
			return b->cell_lines[i];
	return b->line;
}

static bool is_blank_cell(const char *s)
{
	return !s || !*s || !strcmp(s, "……") || !strcmp(s, "...");
}

/* The last cell of a text that stops mid-line ("| 3" of "| 32 |"): its
 * number may be cut. */
static bool cut_cell(const jx_audit *A, const jx__ablock *b, const char *cell)
{
	return A->text->open_end && b == &A->text->blocks[A->text->n - 1] && b->ncells &&
	       cell == b->cells[b->ncells - 1];
}

/* A number cell: plain decimal, percent, or "——" (not applicable). */
static bool cell_value(tabctx *T, const char *path, const jx__ablock *b, const char *cell,
                       bool na_ok)
{
	if (is_blank_cell(cell) || cut_cell(T->A, b, cell))
		return false;
	if (na_ok && (!strcmp(cell, "——") || !strcmp(cell, "—") || !strcmp(cell, "-"))) {
		jx__audit_fig(T->A, path, "——", cell_line(b, cell), b->text);
		return true;
	}
	jx__numtok t;
	if (jx__scan_numbers(cell, &t, 1) != 1 || t.start != 0 || cell[t.end] != '\0' || t.chinese)
		return false;
	return num_fig(T->A, path, &t, cell_line(b, cell), b->text) != NULL;
}

static size_t numeric_cells(const jx__ablock *b)
{
	size_t n = 0;
	for (size_t c = 0; c < b->ncells; c++) {
		jx__numtok t;
		const char *v = b->cells[c];
		n += !is_blank_cell(v) && jx__scan_numbers(v, &t, 1) == 1 && t.start == 0 &&
		     !v[t.end];
	}
	return n;
}

static void money_header(tabctx *T, const jx__ablock *b)
{
	int prev = -1, budget = -1, actual = -1, maxyear = 0;
	for (size_t i = 1; i < b->ncells; i++) {
		const char *c = b->cells[i];
		int y = 0;
		for (const char *p = c; *p && !y; p++)
			if (p[0] == '2' && p[1] == '0' && p[2] >= '0' && p[2] <= '9' &&
			    p[3] >= '0' && p[3] <= '9')
				y = (p[2] - '0') * 10 + (p[3] - '0');
		if (y > maxyear)
			maxyear = y;
	}
	for (size_t i = 1; i < b->ncells && i < 8; i++) {
		const char *c = b->cells[i];
		bool old = has(c, "上年");
		for (const char *p = c; *p; p++)
			if (p[0] == '2' && p[1] == '0' && p[2] >= '0' && p[3] >= '0' &&
			    (p[2] - '0') * 10 + (p[3] - '0') < maxyear)
				old = true;
		if (has(c, "预算"))
			budget = (int)i - 1;
		else if (has(c, "决算") && old)
			prev = (int)i - 1;
		else if (has(c, "决算"))
			actual = (int)i - 1;
	}
	if (prev >= 0 && budget >= 0 && actual >= 0) {
		T->money_cols[0] = prev;
		T->money_cols[1] = budget;
		T->money_cols[2] = actual;
	}
}

/* PDF text may leave single spaces between a row's numbers, so one cell
 * holds "2.30 2.40 2.16": the row's value cells, split where every part is
 * a number or ——. */
static const jx__ablock *split_values(tabctx *T, const jx__ablock *b, size_t first, jx__ablock *out)
{
	const char *cells[16];
	size_t n = 0;
	cells[n++] = b->cells[first];
	for (size_t c = first + 1; c < b->ncells; c++) {
		char *copy = jx__arena_strdup(&T->A->arena, b->cells[c]);
		if (!copy)
			return b;
		for (char *tok = copy, *sp; tok && *tok; tok = sp ? sp + 1 : NULL) {
			sp = strchr(tok, ' ');
			if (sp)
				*sp = '\0';
			jx__numtok t;
			bool na = !strcmp(tok, "——") || !strcmp(tok, "—");
			if (n == 16 ||
			    (!na && (jx__scan_numbers(tok, &t, 1) != 1 || t.start || tok[t.end])))
				return b;
			cells[n++] = tok;
		}
	}
	const char **keep = jx__arena_alloc(&T->A->arena, n * sizeof(char *));
	if (!keep)
		return b;
	memcpy(keep, cells, n * sizeof(char *));
	*out = *b;
	out->cells = keep;
	out->ncells = n;
	out->cell_lines = NULL;
	return out;
}

static bool money_row(tabctx *T, const jx__ablock *b, size_t first, const char *key)
{
	static const char *const part[] = {"prev", "budget", "actual"};
	size_t nrows = sizeof money_rows / sizeof money_rows[0], match = nrows, klen = strlen(key);
	for (size_t i = 0; i < nrows && match == nrows; i++)
		if (!strcmp(key, money_rows[i].label))
			match = i;
	/* A label a PDF's layout wrapped ("公务用车购置和维护" / "经费"): the one
	 * known label it begins, if only one, and it is long enough to tell. */
	for (size_t i = 0; i < nrows && match == nrows && klen >= 15; i++)
		if (!strncmp(money_rows[i].label, key, klen)) {
			size_t other = i + 1;
			while (other < nrows && strncmp(money_rows[other].label, key, klen))
				other++;
			if (other == nrows || !strcmp(money_rows[other].field, money_rows[i].field))
				match = i;
		}
	for (size_t i = match; i < nrows && i == match; i++) {
		jx__ablock split;
		if (b->ncells < first + 4) {
			b = split_values(T, b, first, &split);
			first = b == &split ? 0 : first;
		}
		for (int k = 0; k < 3; k++) {
			size_t c = first + 1 + (size_t)T->money_cols[k];
			if (c >= b->ncells)
				continue;
			char path[96];
			snprintf(path, sizeof path, "basic_data.%s.%s", money_rows[i].field,
			         part[k]);
			cell_value(T, path, b, b->cells[c], true);
		}
		return true;
	}
	return false;
}

/* The first cell of b whose key contains one of words; -1 if none.  The
 * row's keys are made once, however many headers it is tried against. */
static int find_cell(tabctx *T, const jx__ablock *b, const char *const *words)
{
	if (T->keys_of != b) {
		T->keys = jx__arena_alloc(&T->A->arena, (b->ncells + 1) * sizeof(char *));
		for (size_t i = 0; T->keys && i < b->ncells; i++)
			T->keys[i] = cell_key(&T->A->arena, b->cells[i]);
		T->keys_of = T->keys ? b : NULL;
	}
	for (size_t i = 0; T->keys && i < b->ncells; i++)
		for (size_t w = 0; T->keys[i] && words[w]; w++)
			if (has(T->keys[i], words[w]))
				return (int)i;
	return -1;
}

static void staff_header(tabctx *T, const jx__ablock *b)
{
	static const char *const auth[] = {"编制数", NULL}, *const act[] = {"在职人数", "实有人数",
	                                                                    NULL};
	static const char *const rate[] = {"控制率", NULL};
	int a = find_cell(T, b, auth), c = find_cell(T, b, act), r = find_cell(T, b, rate);
	if (a >= 0 && c >= 0) {
		T->staff[0] = a;
		T->staff[1] = c;
		T->staff[2] = r;
		T->staff_next = true;
	}
}

/* The row under 编制数 | 实际在职人数 | 控制率: two counts and a rate, in
 * that order (a leading empty cell may or may not be there). */
static void staff_values(tabctx *T, const jx__ablock *b)
{
	static const char *const paths[] = {"basic_data.staff.authorized",
	                                    "basic_data.staff.actual"};
	size_t counts = 0;
	T->staff_next = false;
	for (size_t c = 0; c < b->ncells; c++) {
		jx__numtok t;
		const char *v = b->cells[c];
		if (is_blank_cell(v) || cut_cell(T->A, b, v) || jx__scan_numbers(v, &t, 1) != 1 ||
		    t.start != 0 || v[t.end])
			continue;
		if (t.unit == JX_NU_PERCENT)
			num_fig(T->A, "basic_data.staff.stated_control_rate", &t, cell_line(b, v),
			        b->text);
		else if (counts < 2)
			num_fig(T->A, paths[counts++], &t, cell_line(b, v), b->text);
	}
}

static void funds_header(tabctx *T, const jx__ablock *b)
{
	static const char *const w[6][3] = {{"年初预算", NULL}, {"全年预算", NULL},
	                                    {"执行数", NULL},   {"分值", "权重", NULL},
	                                    {"执行率", NULL},   {"得分", NULL}};
	int idx[6];
	for (int k = 0; k < 6; k++)
		if ((idx[k] = find_cell(T, b, w[k])) < 0 && k < 4)
			return;
	memcpy(T->funds, idx, sizeof idx);
	T->have_funds = T->funds_next = true;
}

static void funds_row(tabctx *T, const jx__ablock *b)
{
	static const char *const paths[] = {
	        "self_eval.funds.initial",     "self_eval.funds.full_year",
	        "self_eval.funds.spending",    "self_eval.funds.weight",
	        "self_eval.funds.stated_rate", "self_eval.funds.stated_score"};
	size_t shift = 0;
	for (int k = 0; k < 6; k++)
		if (T->funds[k] >= 0 && (size_t)T->funds[k] + shift < b->ncells)
			cell_value(T, paths[k], b, b->cells[(size_t)T->funds[k] + shift], false);
}

/* "其中：一般公共预算：484.14" inside a cell of the 自评表. */
static void funds_parts(tabctx *T, const jx__ablock *b)
{
	static const struct {
		const char *word, *path;
	} parts[] = {{"一般公共预算", "self_eval.income.general"},
	             {"政府性基金", "self_eval.income.gov_fund"},
	             {"纳入专户管理的非税收入", "self_eval.income.special_account"},
	             {"其他资金", "self_eval.income.other"},
	             {"基本支出", "self_eval.spending.basic"},
	             {"项目支出", "self_eval.spending.project"}};
	for (size_t c = 0; c < b->ncells; c++)
		for (size_t p = 0; p < sizeof parts / sizeof parts[0]; p++) {
			const char *at = strstr(b->cells[c], parts[p].word);
			if (!at)
				continue;
			const char *colon = strstr(at, "：");
			if (!colon || colon - at > 40)
				continue;
			const char *v = colon + 3;
			while (*v == ' ')
				v++;
			jx__numtok t;
			if (jx__scan_numbers(v, &t, 1) == 1 && t.start == 0 && !t.chinese)
				num_fig(T->A, parts[p].path, &t, cell_line(b, b->cells[c]),
				        b->text);
		}
}

static void indicator_header(tabctx *T, const jx__ablock *b)
{
	static const char *const w[9][4] = {{"一级指标", NULL},
	                                    {"二级指标", NULL},
	                                    {"三级指标", NULL},
	                                    {"年度指标值", "指标值", "目标值", NULL},
	                                    {"实际完成值", "完成值", "实际值", NULL},
	                                    {"分值", "权重", NULL},
	                                    {"得分", NULL},
	                                    {"偏差", NULL},
	                                    {"指标性质", "性质", NULL}};
	int idx[9];
	for (int k = 0; k < 9; k++)
		idx[k] = find_cell(T, b, w[k]);
	if (idx[0] < 0 || idx[2] < 0 || idx[5] < 0)
		return;
	if (T->total_seen) {
		T->second_unit = true; /* a second 自评表: another unit's */
		return;
	}
	memcpy(T->ind, idx, sizeof idx);
	T->have_ind = true;
	T->ind_cells = b->ncells;
	T->level1[0] = T->level2[0] = '\0';
}

/* "产出指标（50分）" → 产出; "数量\n指标" → 数量. */
static void level_name(const char *cell, char *out, size_t size, bool first)
{
	static const char *const l1[] = {"满意度", "产出", "效益"};
	static const char *const l2[] = {"服务对象满意度", "数量",     "质量",
	                                 "时效",           "成本",     "经济效益",
	                                 "社会效益",       "生态效益", "可持续影响"};
	char buf[256];
	size_t o = 0;
	for (const char *p = cell; *p && o + 1 < sizeof buf; p++)
		if (*p != ' ' && *p != '\n')
			buf[o++] = *p;
	buf[o] = '\0';
	const char *const *names = first ? l1 : l2;
	size_t n = first ? sizeof l1 / sizeof l1[0] : sizeof l2 / sizeof l2[0];
	for (size_t i = 0; i < n; i++)
		if (!strncmp(buf, names[i], strlen(names[i]))) {
			snprintf(out, size, "%s", names[i]);
			return;
		}
	out[0] = '\0';
}

/* Cells line up with the header's from the left: merged cells are empty
 * cells in every layout the readers produce. */
static const char *cell_at(const tabctx *T, const jx__ablock *b, int k)
{
	if (T->ind[k] < 0 || (size_t)T->ind[k] >= b->ncells)
		return NULL;
	return b->cells[T->ind[k]];
}

static void indicator_text(tabctx *T, const char *path, const jx__ablock *b, const char *v)
{
	if (!is_blank_cell(v))
		jx__audit_fig(T->A, path, v, cell_line(b, v), b->text);
}

static void indicator_row(tabctx *T, const jx__ablock *b)
{
	const char *l1 = cell_at(T, b, 0), *l2 = cell_at(T, b, 1), *name = cell_at(T, b, 2);
	char v1[64], v2[64], path[128];
	if (!is_blank_cell(l1)) {
		level_name(l1, v1, sizeof v1, true);
		snprintf(T->level1, sizeof T->level1, "%s", v1);
		T->level2[0] = '\0';
	}
	T->last_ind = b;
	if (!is_blank_cell(l2)) {
		level_name(l2, v2, sizeof v2, false);
		snprintf(T->level2, sizeof T->level2, "%s", v2);
	}
	jx__numtok wt;
	const char *weight = cell_at(T, b, 5);
	if (is_blank_cell(name) || !T->level1[0] || !T->level2[0] || is_blank_cell(weight) ||
	    jx__scan_numbers(weight, &wt, 1) != 1 ||
	    (wt.unit != JX_NU_NONE && wt.unit != JX_NU_SCORE))
		return; /* the form's required columns: a row without them is not an indicator
		         * (a weight of "95%" is a misread column, not a weight) */
	size_t i = T->nind++;
	static const char *const cols[] = {"level1", "level2", "name",         "target",
	                                   "actual", "weight", "stated_score", "deviation"};
#define IND_PATH(col) (snprintf(path, sizeof path, "self_eval.indicators[%zu].%s", i, col), path)
	/* A level written in this row is located at its cell; one carried
	 * down from a merged cell above, at the row's name. */
	jx__audit_fig(T->A, IND_PATH(cols[0]), T->level1,
	              cell_line(b, is_blank_cell(l1) ? name : l1), b->text);
	jx__audit_fig(T->A, IND_PATH(cols[1]), T->level2,
	              cell_line(b, is_blank_cell(l2) ? name : l2), b->text);
	indicator_text(T, IND_PATH(cols[2]), b, name);
	indicator_text(T, IND_PATH(cols[3]), b, cell_at(T, b, 3));
	indicator_text(T, IND_PATH(cols[4]), b, cell_at(T, b, 4));
	cell_value(T, IND_PATH(cols[5]), b, cell_at(T, b, 5), false);
	cell_value(T, IND_PATH(cols[6]), b, cell_at(T, b, 6), false);
	indicator_text(T, IND_PATH(cols[7]), b, cell_at(T, b, 7));
	const char *nature = cell_at(T, b, 8);
	if (nature && (!strcmp(nature, "≥") || !strcmp(nature, "≤") || !strcmp(nature, "=") ||
	               !strcmp(nature, "定性")))
		jx__audit_fig(T->A, IND_PATH("nature"), nature, b->line, b->text);
#undef IND_PATH
}

/* 总分 | … | 100 | 92: under the header's 分值 and 得分, or, when the row's
 * merged cells were dropped ("总分 | 100"), its numbers in that order. */
static void total_row(tabctx *T, const jx__ablock *b)
{
	static const char *const paths[] = {"self_eval.total_weight", "self_eval.stated_total"};
	T->have_ind = false;
	T->total_seen = true;
	if (b->ncells > (size_t)T->ind[5]) {
		cell_value(T, paths[0], b, cell_at(T, b, 5), false);
		cell_value(T, paths[1], b, cell_at(T, b, 6), false);
		return;
	}
	for (size_t c = 1, k = 0; c < b->ncells && k < 2; c++)
		if (cell_value(T, paths[k], b, b->cells[c], false))
			k++;
}

static void table_row(tabctx *T, const jx__ablock *b)
{
	size_t first = 0;
	while (first < b->ncells && is_blank_cell(b->cells[first]))
		first++;
	if (first == b->ncells)
		return;
	char *key = cell_key(&T->A->arena, b->cells[first]);
	if (!key)
		return;
	if (T->staff_next) {
		staff_values(T, b);
		return;
	}
	if (T->second_unit)
		return; /* another unit's forms (a 所属单位's 自评表): not this report's */
	if (!strcmp(key, "预算单位名称") && first + 1 < b->ncells && T->seen_budget_name) {
		T->second_unit = true;
		return;
	}
	if (!strcmp(key, "预算单位名称") && first + 1 < b->ncells) {
		T->seen_budget_name = true;
		if (!is_blank_cell(b->cells[first + 1]))
			jx__audit_fig(T->A, "unit.budget_name", b->cells[first + 1],
			              cell_line(b, b->cells[first + 1]), b->text);
		return;
	}
	if (T->have_ind && (!strcmp(key, "总分") || !strcmp(key, "合计"))) {
		total_row(T, b);
		return;
	}
	if (T->have_ind && is_blank_cell(cell_at(T, b, 2)) && T->ind[4] < 0) {
		/* the second row of a two-row header: 年度指标值 | 实际完成值 */
		static const char *const tw[] = {"年度指标值", "目标值", NULL};
		static const char *const aw[] = {"实际完成值", "完成值", "实际值", NULL};
		int ti = find_cell(T, b, tw), ai = find_cell(T, b, aw);
		if (ai >= 0) {
			T->ind[3] = ti >= 0 ? ti : T->ind[3];
			T->ind[4] = ai;
			return;
		}
	}
	if (T->have_ind) {
		indicator_row(T, b);
		return;
	}
	if (has(b->text, "决算") && has(b->text, "预算") && numeric_cells(b) == 0)
		money_header(T, b);
	if (money_row(T, b, first, key))
		return;
	if (T->funds_next || (T->have_funds && has(key, "资金总额"))) {
		T->funds_next = false;
		if (numeric_cells(b) >= 4) {
			funds_row(T, b);
			return;
		}
	}
	funds_parts(T, b);
	staff_header(T, b);
	funds_header(T, b);
	indicator_header(T, b);
}

/* "- 3 -", "第 2 页 共 8 页", "3": a PDF's page numbers, not text. */
static bool is_page_number(const char *t)
{
	bool digit = false;
	for (const char *p = t; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digit = true;
		else if (!strchr(" -/", *p) && strncmp(p, "—", 3) && strncmp(p, "第", 3) &&
		         strncmp(p, "页", 3) && strncmp(p, "共", 3))
			return false;
		else if ((unsigned char)*p >= 0xE0)
			p += 2;
	}
	return digit;
}

static bool ends_sentence(const char *t)
{
	static const char *const ends[] = {"。", "；", "！", "？", "：", "”"};
	size_t n = strlen(t);
	for (size_t k = 0; k < sizeof ends / sizeof ends[0]; k++)
		if (n >= 3 && !strcmp(t + n - 3, ends[k]))
			return true;
	return n == 0 || t[n - 1] == ':' || t[n - 1] == ';';
}

/* Does the paragraph at block b go on in the next block?  Lines a layout
 * wrapped are long and stop mid-sentence; headings, key–value lines and
 * short lines stand alone. */
/* "… 2.30 2.40 2.16": a line ending in two or more numbers (or ——) set
 * apart by spaces, a table row a PDF's text left as a line. */
static bool values_row(const char *t)
{
	size_t n = strlen(t), values = 0;
	while (n > 0) {
		size_t end = n;
		while (n > 0 && t[n - 1] != ' ')
			n--;
		char tok[64];
		size_t len = end - n;
		if (!len || len >= sizeof tok)
			break;
		memcpy(tok, t + n, len);
		tok[len] = '\0';
		jx__numtok nt;
		bool na = !strcmp(tok, "——") || !strcmp(tok, "—");
		if (!na && (jx__scan_numbers(tok, &nt, 1) != 1 || nt.start || tok[nt.end]))
			break;
		values++;
		if (n)
			n--; /* the space */
	}
	return values >= 2;
}

static bool wraps(const jx__ablock *b, const jx__ablock *next)
{
	if (values_row(next->text) || values_row(b->text))
		return false;
	const char *colon = strstr(b->text, "：");
	return next->table < 0 && strlen(b->text) >= 60 && !ends_sentence(b->text) &&
	       !(colon && colon - b->text < 24) && !is_heading_like(next->text);
}

/* Reads the paragraph starting at block i (joining wrapped lines, skipping
 * page numbers between them); returns the index after it. */
static size_t paragraph(prose *P, size_t i)
{
	const jx__atext *t = P->A->text;
	jx__buf text;
	jx__buf_init(&text, P->A->alloc);
	P->b = &t->blocks[i];
	P->nseg = 0;
	size_t k = i;
	for (;;) {
		const jx__ablock *b = &t->blocks[k];
		if (P->nseg < MAXSEG) {
			P->seg_off[P->nseg] = text.len;
			P->seg_line[P->nseg++] = b->line;
		}
		jx__buf_adds(&text, b->text);
		size_t n = k + 1;
		while (n < t->n && t->blocks[n].table < 0 && is_page_number(t->blocks[n].text))
			n++;
		if (n >= t->n || P->nseg >= MAXSEG || !wraps(b, &t->blocks[n])) {
			k = k + 1;
			break;
		}
		k = n;
	}
	P->text = text.oom ? NULL
	                   : jx__arena_strndup(&P->A->arena, text.data ? text.data : "", text.len);
	jx__buf_fini(&text);
	if (P->text)
		prose_block(P);
	else
		P->A->oom = true;
	return k;
}

/* An indicator table without its 总分 row that runs to the end of the text
 * was cut short: its sums would be wrong, so none of it is used. */
static void drop_cut_table(tabctx *T)
{
	jx_audit *A = T->A;
	if (!T->last_ind || T->total_seen)
		return;
	const jx__ablock *end = A->text->blocks + A->text->n;
	for (const jx__ablock *b = T->last_ind + 1; b < end; b++)
		if (b->table < 0 && (is_heading_like(b->text) || ends_sentence(b->text)))
			return; /* the report goes on after the table (a cut row is neither) */
	for (size_t i = 0; i < A->nfigs; i++)
		if (!strncmp(A->figs[i].y.path, "self_eval.indicators[", 21) ||
		    !strncmp(A->figs[i].y.path, "self_eval.total", 15))
			A->figs[i].dropped = true;
}

/* A 附件1-1 row that a PDF's text left as one line, "公用经费 124.42 9.50
 * 271.15": a known row label, then exactly three values (numbers or ——).
 * Read as a table row under the last money header. */
static bool spaced_money_row(tabctx *T, const jx__ablock *b)
{
	const char *cells[4];
	size_t lens[4], n = 0;
	const char *s = b->text;
	while (*s && n < 5) {
		const char *sp = strchr(s, ' ');
		size_t len = sp ? (size_t)(sp - s) : strlen(s);
		if (n == 4)
			return false;
		cells[n] = s;
		lens[n++] = len;
		s += len + (sp != NULL);
	}
	if (n != 4)
		return false;
	char *c[4];
	for (size_t k = 0; k < 4; k++)
		if (!(c[k] = jx__arena_strndup(&T->A->arena, cells[k], lens[k])))
			return false;
	for (size_t k = 1; k < 4; k++) {
		jx__numtok t;
		bool na = !strcmp(c[k], "——") || !strcmp(c[k], "—");
		if (!na && (jx__scan_numbers(c[k], &t, 1) != 1 || t.start || c[k][t.end]))
			return false;
	}
	char *key = cell_key(&T->A->arena, c[0]);
	jx__ablock row = *b;
	row.cells = (const char *const *)c;
	row.ncells = 4;
	row.cell_lines = NULL;
	return key && money_row(T, &row, 0, key);
}

void jx__audit_extract(jx_audit *A)
{
	prose P = {.A = A, .section = T_NONE};
	tabctx T = {.A = A, .money_cols = {0, 1, 2}};
	int table = -1;
	title(A);
	for (size_t k = 0; k < A->nfigs; k++)
		if (!strcmp(A->figs[k].y.path, "year"))
			P.year = atoi(A->figs[k].y.value);
	for (size_t i = 0; i < A->text->n && !A->oom; i++) {
		const jx__ablock *b = &A->text->blocks[i];
		if (b->table < 0) {
			if (spaced_money_row(&T, b))
				continue;
			if (!is_page_number(b->text))
				i = paragraph(&P, i) - 1;
			continue;
		}
		if (b->table != table) {
			table = b->table;
			/* An indicator table split over two tables (a page break in
			 * Word) goes on when the next one has the same columns. */
			T.have_ind = T.have_ind && !T.total_seen && b->ncells == T.ind_cells;
			T.staff_next = false;
			memcpy(T.money_cols, (int[3]){0, 1, 2}, sizeof T.money_cols);
		}
		table_row(&T, b);
	}
	drop_cut_table(&T);
}

bool jx__audit_page_number(const char *t)
{
	return is_page_number(t);
}

bool jx__audit_wraps(const jx__ablock *b, const jx__ablock *next)
{
	return wraps(b, next);
}
