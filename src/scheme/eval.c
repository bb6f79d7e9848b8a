/* Evaluation of checked formulas over exact decimals.  Blank propagates:
 * arithmetic or comparison with a blank operand is blank, and a rule whose
 * condition is blank is skipped rather than failed.  sum/min/max skip
 * blanks.  Division by zero or overflow gives blank (no value). */
#include "scheme.h"

#include <string.h>

static void set_blank(jx_value *v)
{
	memset(v, 0, sizeof(*v));
	v->type = JX_V_BLANK;
	v->scale = -1;
}

static void set_num(jx_value *v, jx_dec d)
{
	set_blank(v);
	v->type = JX_V_NUM;
	v->num = d;
}

static void set_bool(jx_value *v, bool b)
{
	set_blank(v);
	v->type = JX_V_BOOL;
	v->b = b;
}

static void set_text(jx_value *v, const char *s)
{
	set_blank(v);
	v->type = JX_V_TEXT;
	v->s = s;
}

static bool is_present(const jx_value *v)
{
	if (v->type == JX_V_TEXT)
		return v->s && v->s[0];
	if (v->type == JX_V_LIST)
		return v->n > 0;
	return v->type != JX_V_BLANK;
}

static void eval_arith(jx__op op, const jx_value *a, const jx_value *b, jx_value *out)
{
	jx_dec r;
	bool ok;
	if (a->type != JX_V_NUM || b->type != JX_V_NUM) {
		set_blank(out);
		return;
	}
	switch (op) {
	case JX_OP_ADD:
		ok = jx_dec_add(a->num, b->num, &r);
		break;
	case JX_OP_SUB:
		ok = jx_dec_sub(a->num, b->num, &r);
		break;
	case JX_OP_MUL:
		ok = jx_dec_mul(a->num, b->num, &r);
		break;
	default:
		ok = jx_dec_div(a->num, b->num, &r);
		break;
	}
	if (ok)
		set_num(out, r);
	else
		set_blank(out);
}

static void eval_cmp(jx__op op, const jx_value *a, const jx_value *b, jx_value *out)
{
	int c;
	if (a->type == JX_V_BLANK || b->type == JX_V_BLANK || a->type != b->type) {
		set_blank(out);
		return;
	}
	if (a->type == JX_V_NUM)
		c = jx_dec_cmp(a->num, b->num);
	else if (a->type == JX_V_TEXT)
		c = strcmp(a->s, b->s);
	else
		c = (int)a->b - (int)b->b;
	switch (op) {
	case JX_OP_EQ:
		set_bool(out, c == 0);
		break;
	case JX_OP_NE:
		set_bool(out, c != 0);
		break;
	case JX_OP_LT:
		set_bool(out, c < 0);
		break;
	case JX_OP_LE:
		set_bool(out, c <= 0);
		break;
	case JX_OP_GT:
		set_bool(out, c > 0);
		break;
	default:
		set_bool(out, c >= 0);
		break;
	}
}

/* Three-valued logic: false and blank is false; true or blank is true. */
static void eval_logic(jx__env *env, const jx__expr *e, jx_value *out)
{
	jx_value a, b;
	bool is_and = e->op == JX_OP_AND;
	jx__formula_eval(env, e->args[0], &a);
	if (a.type == JX_V_BOOL && a.b != is_and) {
		set_bool(out, a.b);
		return;
	}
	jx__formula_eval(env, e->args[1], &b);
	if (b.type == JX_V_BOOL && b.b != is_and) {
		set_bool(out, b.b);
		return;
	}
	if (a.type == JX_V_BOOL && b.type == JX_V_BOOL)
		set_bool(out, is_and);
	else
		set_blank(out);
}

/* sum/min/max over present values; acc starts blank.  False when the sum
 * overflowed: acc is then blank, and folding must stop there, or the next
 * value would start a new, partial sum. */
static bool fold(jx__fn fn, jx_value *acc, const jx_value *v)
{
	jx_dec r;
	if (v->type != JX_V_NUM)
		return true;
	if (acc->type != JX_V_NUM) {
		set_num(acc, v->num);
		return true;
	}
	if (fn == JX_FN_SUM) {
		if (!jx_dec_add(acc->num, v->num, &r)) {
			set_blank(acc);
			return false;
		}
		acc->num = r;
	} else if ((fn == JX_FN_MIN) == (jx_dec_cmp(v->num, acc->num) < 0)) {
		acc->num = v->num;
	}
	return true;
}

static void eval_agg(jx__env *env, const jx__expr *e, jx_value *out)
{
	size_t n = env->rows(env, e->table), matched = 0;
	jx_value acc, v;
	set_blank(&acc);
	if (e->fn == JX_FN_ALL || e->fn == JX_FN_ANY)
		set_bool(&acc, e->fn == JX_FN_ALL);
	jx__row_ref *scope = &env->scopes[env->nscopes++];
	scope->table = e->table;
	for (size_t r = 0; r < n; r++) {
		scope->row = r;
		if (e->where) {
			jx__formula_eval(env, e->where, &v);
			if (v.type != JX_V_BOOL || !v.b)
				continue;
		}
		matched++;
		if (e->fn == JX_FN_COUNT)
			continue;
		jx__formula_eval(env, e->args[0], &v);
		if (e->fn == JX_FN_ALL || e->fn == JX_FN_ANY) {
			if (v.type == JX_V_BOOL && v.b == (e->fn == JX_FN_ANY))
				set_bool(&acc, v.b);
			continue;
		}
		if (!fold(e->fn, &acc, &v))
			break;
	}
	env->nscopes--;
	if (e->fn == JX_FN_COUNT)
		set_num(&acc, jx_dec_from_int((int64_t)matched));
	else if (e->fn == JX_FN_SUM && matched == 0)
		set_num(&acc, jx_dec_zero()); /* nothing to add up is 0, not blank */
	*out = acc;
}

/* The first number written in a text: "5万余人" -> 50000, "100%入驻" -> 1,
 * "≥5万" -> 50000.  Full-width digits count as digits. */
static bool text_number(const char *s, jx_dec *out)
{
	char digits[40];
	size_t len = strlen(s), i = 0, n = 0;
	bool seen_point = false;
	while (i < len && n == 0) {
		size_t at = i;
		uint32_t cp = jx__utf8_next(s, len, &i);
		if (cp >= 0xFF10 && cp <= 0xFF19)
			cp -= 0xFF10 - '0';
		if (cp >= '0' && cp <= '9') {
			i = at;
			break;
		}
	}
	while (i < len && n + 1 < sizeof digits) {
		size_t at = i;
		uint32_t cp = jx__utf8_next(s, len, &i);
		if (cp >= 0xFF10 && cp <= 0xFF19)
			cp -= 0xFF10 - '0';
		if (cp == 0xFF0E)
			cp = '.';
		if (cp >= '0' && cp <= '9') {
			digits[n++] = (char)cp;
		} else if (cp == '.' && !seen_point && i < len && s[i] >= '0' && s[i] <= '9') {
			seen_point = true;
			digits[n++] = '.';
		} else if (cp != ',') {
			i = at;
			break;
		}
	}
	if (!n || jx_dec_parse(digits, n, 0, out, NULL, NULL) != JX_DEC_OK)
		return false;
	size_t j = i;
	uint32_t unit = i < len ? jx__utf8_next(s, len, &j) : 0;
	jx_dec mult = jx_dec_from_int(1);
	if (unit == '%' || unit == 0xFF05)
		mult.raw = JX_DEC_SCALE / 100;
	else if (unit == 0x4E07) /* 万 */
		mult = jx_dec_from_int(10000);
	else if (unit == 0x4EBF) /* 亿 */
		mult = jx_dec_from_int(100000000);
	return jx_dec_mul(*out, mult, out);
}

/* The comparator a target states: "≥90%", "不低于", "≤3天", "以内". */
static const char *text_sign(const char *s)
{
	static const struct {
		const char *prefix, *sign;
	} lead[] = {{"≥", "≥"},      {">=", "≥"},      {"＞＝", "≥"},     {"≤", "≤"},
	            {"<=", "≤"},     {"＜＝", "≤"},    {"=", "="},        {"＝", "="},
	            {"不低于", "≥"}, {"不少于", "≥"},  {"大于等于", "≥"}, {"不高于", "≤"},
	            {"不超过", "≤"}, {"小于等于", "≤"}};
	static const struct {
		const char *word, *sign;
	} any[] = {{"以上", "≥"}, {"以内", "≤"}, {"以下", "≤"}};
	for (size_t i = 0; i < sizeof lead / sizeof lead[0]; i++)
		if (!strncmp(s, lead[i].prefix, strlen(lead[i].prefix)))
			return lead[i].sign;
	for (size_t i = 0; i < sizeof any / sizeof any[0]; i++)
		if (strstr(s, any[i].word))
			return any[i].sign;
	return NULL;
}

const jx__band *jx__band_find(const jx__band *bands, size_t n, jx_dec v)
{
	for (size_t i = 0; i < n; i++) {
		int lo = jx_dec_cmp(v, bands[i].min), hi = jx_dec_cmp(v, bands[i].max);
		if (lo >= 0 && (hi < 0 || (hi == 0 && bands[i].max_inclusive)))
			return &bands[i];
	}
	return NULL;
}

const jx__band *jx__band_named(const jx__band *bands, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(bands[i].name, name))
			return &bands[i];
	return NULL;
}

static void eval_text_fn(jx__env *env, const jx__expr *e, const jx_value *a, jx_value *out)
{
	jx_dec d;
	set_blank(out);
	if (e->fn == JX_FN_NUM) {
		if (a->type == JX_V_TEXT && text_number(a->s, &d))
			set_num(out, d);
	} else if (e->fn == JX_FN_SIGN) {
		const char *sg = a->type == JX_V_TEXT ? text_sign(a->s) : NULL;
		if (sg)
			set_text(out, sg);
	} else if (e->fn == JX_FN_GRADE && a->type == JX_V_NUM) {
		const jx__band *b = jx__band_find(env->s->grades, env->s->ngrades, a->num);
		if (b)
			set_text(out, b->name);
	}
}

static void eval_level_ok(jx__env *env, const jx_value *lv, const jx_value *ratio, jx_value *out)
{
	set_blank(out);
	if (lv->type != JX_V_TEXT || ratio->type != JX_V_NUM)
		return;
	const jx__band *b = jx__band_named(env->s->levels, env->s->nlevels, lv->s);
	if (!b)
		return;
	int lo = jx_dec_cmp(ratio->num, b->min), hi = jx_dec_cmp(ratio->num, b->max);
	set_bool(out, lo >= 0 && (hi < 0 || (hi == 0 && b->max_inclusive)));
}

static void eval_call(jx__env *env, const jx__expr *e, jx_value *out)
{
	jx_value a, b, c;
	jx_dec d;
	switch (e->fn) {
	case JX_FN_IF:
		jx__formula_eval(env, e->args[0], &a);
		if (a.type != JX_V_BOOL)
			set_blank(out);
		else
			jx__formula_eval(env, e->args[a.b ? 1 : 2], out);
		return;
	case JX_FN_SUM:
	case JX_FN_MIN:
	case JX_FN_MAX:
		set_blank(out);
		for (size_t i = 0; i < e->nargs; i++) {
			jx__formula_eval(env, e->args[i], &a);
			if (!fold(e->fn, out, &a))
				return;
		}
		return;
	case JX_FN_BLANK:
	case JX_FN_PRESENT:
		jx__formula_eval(env, e->args[0], &a);
		set_bool(out, is_present(&a) == (e->fn == JX_FN_PRESENT));
		return;
	default:
		break;
	}
	jx__formula_eval(env, e->args[0], &a);
	switch (e->fn) {
	case JX_FN_ABS:
		if (a.type == JX_V_NUM)
			set_num(out, jx_dec_abs(a.num));
		else
			set_blank(out);
		return;
	case JX_FN_ROUND:
		if (a.type == JX_V_NUM)
			set_num(out,
			        jx_dec_round(a.num, (int)(e->args[1]->num.raw / JX_DEC_SCALE)));
		else
			set_blank(out);
		return;
	case JX_FN_APPROX:
		jx__formula_eval(env, e->args[1], &b);
		jx__formula_eval(env, e->args[2], &c);
		if (a.type != JX_V_NUM || b.type != JX_V_NUM || c.type != JX_V_NUM ||
		    !jx_dec_sub(a.num, b.num, &d))
			set_blank(out);
		else
			set_bool(out, jx_dec_cmp(jx_dec_abs(d), c.num) <= 0);
		return;
	case JX_FN_COUNT:
		set_num(out, jx_dec_from_int(a.type == JX_V_LIST ? (int64_t)a.n : 0));
		return;
	case JX_FN_PCT:
	case JX_FN_AMOUNT:
		*out = a;
		out->scale = -1;
		return;
	case JX_FN_LEVEL_OK:
		jx__formula_eval(env, e->args[1], &b);
		eval_level_ok(env, &a, &b, out);
		return;
	default:
		eval_text_fn(env, e, &a, out);
		return;
	}
}

void jx__formula_eval(jx__env *env, const jx__expr *e, jx_value *out)
{
	jx_value a, b;
	switch (e->op) {
	case JX_OP_NUM:
		set_num(out, e->num);
		return;
	case JX_OP_STR:
		set_text(out, e->str);
		return;
	case JX_OP_SLOT:
		*out = *env->slot(env, e->slot);
		return;
	case JX_OP_COL: {
		const jx__row_ref *r = &env->scopes[env->nscopes - 1 - (size_t)e->depth];
		*out = *env->cell(env, r->table, r->row, e->column);
		return;
	}
	case JX_OP_NEG:
		jx__formula_eval(env, e->args[0], &a);
		if (a.type == JX_V_NUM)
			set_num(out, jx_dec_neg(a.num));
		else
			set_blank(out);
		return;
	case JX_OP_NOT:
		jx__formula_eval(env, e->args[0], &a);
		if (a.type == JX_V_BOOL)
			set_bool(out, !a.b);
		else
			set_blank(out);
		return;
	case JX_OP_AND:
	case JX_OP_OR:
		eval_logic(env, e, out);
		return;
	case JX_OP_CALL:
		eval_call(env, e, out);
		return;
	case JX_OP_AGG:
		eval_agg(env, e, out);
		return;
	case JX_OP_ADD:
	case JX_OP_SUB:
	case JX_OP_MUL:
	case JX_OP_DIV:
		jx__formula_eval(env, e->args[0], &a);
		jx__formula_eval(env, e->args[1], &b);
		eval_arith(e->op, &a, &b, out);
		return;
	case JX_OP_EQ:
	case JX_OP_NE:
	case JX_OP_LT:
	case JX_OP_LE:
	case JX_OP_GT:
	case JX_OP_GE:
		jx__formula_eval(env, e->args[0], &a);
		jx__formula_eval(env, e->args[1], &b);
		eval_cmp(e->op, &a, &b, out);
		return;
	default:
		set_blank(out);
		return;
	}
}

int jx__format_num(jx_dec v, jx__kind kind, int scale, char *buf, size_t size)
{
	switch (kind) {
	case JX_K_PERCENT:
		return jx_dec_format_percent(v, scale >= 0 ? scale : 2, buf, size);
	case JX_K_AMOUNT:
	case JX_K_SCORE:
		return jx_dec_format(v, scale >= 0 ? scale : 2, buf, size);
	default:
		return jx_dec_format(v, scale >= 0 ? scale : JX_DEC_SHORTEST, buf, size);
	}
}

int jx__format_exact(jx_dec v, jx__kind kind, int scale, char *buf, size_t size)
{
	if (kind == JX_K_PERCENT)
		return jx_dec_format(v, JX_DEC_SHORTEST, buf, size);
	return jx__format_num(v, kind, scale, buf, size);
}
