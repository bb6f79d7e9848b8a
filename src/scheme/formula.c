/* The formula language (docs/formulas.md): lexer and recursive-descent
 * parser.  Parsing only builds the tree; names are resolved and types
 * checked by check.c against the scheme. */
#include "scheme.h"

#include <stdio.h>
#include <string.h>

#define MAX_NESTING 64
/* Operator chains ("a + b + c ...") deepen the tree without nesting; the
 * length bound keeps the recursive checker and evaluator off the end of
 * the stack and locating nodes (loc_at) cheap. */
#define MAX_LENGTH 4096

typedef enum tok {
	T_END,
	T_NUM,
	T_STR,
	T_NAME,
	T_LP,
	T_RP,
	T_COMMA,
	T_PLUS,
	T_MINUS,
	T_STAR,
	T_SLASH,
	T_EQ,
	T_NE,
	T_LT,
	T_LE,
	T_GT,
	T_GE,
	T_AND,
	T_OR,
	T_NOT,
	T_WHERE,
	T_BAD
} tok;

typedef struct parser {
	jx__arena *a;
	const char *src;
	size_t len, pos;
	jx__loc at; /* position of src[0] in the scheme file */
	jx_diags *diags;
	tok t;
	size_t tstart, tlen;
	int depth;
	bool failed;
} parser;

static jx__loc loc_at(const parser *p, size_t off)
{
	/* Formulas may span lines in a block scalar; count them. */
	jx__loc l = p->at;
	for (size_t i = 0; i < off && i < p->len; i++) {
		if (p->src[i] == '\n') {
			l.line++;
			l.col = 1;
		} else if (((unsigned char)p->src[i] & 0xC0) != 0x80) {
			l.col++;
		}
	}
	return l;
}

static void fail(parser *p, size_t off, const char *msg, const char *detail)
{
	if (p->failed)
		return;
	p->failed = true;
	jx__diag_fatal(p->diags, "F01", loc_at(p, off), NULL, "公式语法错误：%s%s%s", msg,
	               detail ? "：" : "", detail ? detail : "");
}

static bool is_name_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_name_char(char c)
{
	return is_name_start(c) || (c >= '0' && c <= '9') || c == '.';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static tok keyword(const char *s, size_t n)
{
	static const struct {
		const char *w;
		tok t;
	} kw[] = {{"and", T_AND}, {"or", T_OR}, {"not", T_NOT}, {"where", T_WHERE}};
	for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++)
		if (strlen(kw[i].w) == n && !memcmp(kw[i].w, s, n))
			return kw[i].t;
	return T_NAME;
}

static tok lex_op(parser *p)
{
	const char *s = p->src + p->pos;
	size_t rest = p->len - p->pos;
	char c = s[0], d = rest > 1 ? s[1] : '\0';
	p->tlen = 1;
	switch (c) {
	case '(':
		return T_LP;
	case ')':
		return T_RP;
	case ',':
		return T_COMMA;
	case '+':
		return T_PLUS;
	case '-':
		return T_MINUS;
	case '*':
		return T_STAR;
	case '/':
		return T_SLASH;
	case '=':
		return T_EQ;
	case '<':
		if (d == '>' || d == '=')
			p->tlen = 2;
		return d == '>' ? T_NE : d == '=' ? T_LE : T_LT;
	case '>':
		if (d == '=')
			p->tlen = 2;
		return d == '=' ? T_GE : T_GT;
	default:
		return T_BAD;
	}
}

static void next(parser *p)
{
	while (p->pos < p->len && (p->src[p->pos] == ' ' || p->src[p->pos] == '\t' ||
	                           p->src[p->pos] == '\n' || p->src[p->pos] == '\r'))
		p->pos++;
	p->tstart = p->pos;
	if (p->pos >= p->len) {
		p->t = T_END;
		p->tlen = 0;
		return;
	}
	const char *s = p->src + p->pos;
	size_t n = 0;
	if (is_digit(s[0])) {
		while (p->pos + n < p->len && (is_digit(s[n]) || s[n] == '.'))
			n++;
		if (p->pos + n < p->len && s[n] == '%')
			n++;
		p->t = T_NUM;
	} else if (s[0] == '"') {
		n = 1;
		while (p->pos + n < p->len && s[n] != '"')
			n++;
		if (p->pos + n >= p->len) {
			fail(p, p->pos, "文本缺少结束引号", NULL);
			p->t = T_BAD;
			p->tlen = 0;
			return;
		}
		n++;
		p->t = T_STR;
	} else if (is_name_start(s[0])) {
		while (p->pos + n < p->len && is_name_char(s[n]))
			n++;
		p->t = keyword(s, n);
	} else {
		p->t = lex_op(p);
		n = p->tlen;
	}
	p->tlen = n;
	p->pos += n;
}

static jx__expr *node(parser *p, jx__op op, size_t off)
{
	jx__expr *e = jx__arena_alloc(p->a, sizeof(*e));
	if (!e) {
		if (!p->failed)
			jx__diag_fatal(p->diags, "Y00", p->at, NULL, "内存不足");
		p->failed = true;
		return NULL;
	}
	jx__loc l = loc_at(p, off);
	e->op = op;
	e->line = l.line;
	e->col = l.col;
	e->slot = e->table = e->column = -1;
	return e;
}

static jx__expr *binary(parser *p, jx__op op, jx__expr *l, jx__expr *r, size_t off)
{
	if (!l || !r)
		return NULL;
	jx__expr *e = node(p, op, off);
	if (!e)
		return NULL;
	e->args = jx__arena_alloc(p->a, 2 * sizeof(*e->args));
	if (!e->args)
		return NULL;
	e->args[0] = l;
	e->args[1] = r;
	e->nargs = 2;
	return e;
}

static jx__expr *parse_expr(parser *p);

static const struct {
	const char *name;
	jx__fn fn;
} functions[] = {
        {"if", JX_FN_IF},         {"sum", JX_FN_SUM},
        {"min", JX_FN_MIN},       {"max", JX_FN_MAX},
        {"abs", JX_FN_ABS},       {"round", JX_FN_ROUND},
        {"blank", JX_FN_BLANK},   {"present", JX_FN_PRESENT},
        {"approx", JX_FN_APPROX}, {"count", JX_FN_COUNT},
        {"all", JX_FN_ALL},       {"any", JX_FN_ANY},
        {"num", JX_FN_NUM},       {"sign", JX_FN_SIGN},
        {"grade", JX_FN_GRADE},   {"level_ok", JX_FN_LEVEL_OK},
        {"pct", JX_FN_PCT},       {"amount", JX_FN_AMOUNT},
};

const char *jx__fn_name(jx__fn fn);
const char *jx__fn_name(jx__fn fn)
{
	for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++)
		if (functions[i].fn == fn)
			return functions[i].name;
	return "?";
}

static bool lookup_fn(const char *s, size_t n, jx__fn *fn)
{
	for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++)
		if (strlen(functions[i].name) == n && !memcmp(functions[i].name, s, n)) {
			*fn = functions[i].fn;
			return true;
		}
	return false;
}

static jx__expr *parse_call(parser *p, size_t off, const char *name, size_t nlen)
{
	jx__expr *e = node(p, JX_OP_CALL, off);
	jx__expr *args[16];
	size_t n = 0;
	if (!e)
		return NULL;
	char tmp[64];
	snprintf(tmp, sizeof tmp, "%.*s", (int)(nlen < 60 ? nlen : 60), name);
	if (!lookup_fn(name, nlen, &e->fn)) {
		fail(p, off, "未知函数", tmp);
		return NULL;
	}
	next(p); /* '(' */
	if (p->t != T_RP) {
		for (;;) {
			if (n == 16) {
				fail(p, p->tstart, "参数过多", tmp);
				return NULL;
			}
			if (!(args[n++] = parse_expr(p)))
				return NULL;
			if (p->t == T_WHERE) {
				next(p);
				if (!(e->where = parse_expr(p)))
					return NULL;
			}
			if (p->t != T_COMMA)
				break;
			next(p);
		}
	}
	if (p->t != T_RP) {
		fail(p, p->tstart, "缺少“)”", tmp);
		return NULL;
	}
	next(p);
	e->nargs = n;
	e->args = jx__arena_alloc(p->a, (n ? n : 1) * sizeof(*e->args));
	if (!e->args)
		return NULL;
	memcpy(e->args, args, n * sizeof(*args));
	return e;
}

static jx__expr *parse_number(parser *p)
{
	size_t off = p->tstart;
	jx__expr *e = node(p, JX_OP_NUM, off);
	if (!e)
		return NULL;
	bool pct = false;
	jx_dec_status st = jx_dec_parse(p->src + p->tstart, p->tlen, JX_DEC_ALLOW_PERCENT, &e->num,
	                                NULL, &pct);
	if (st != JX_DEC_OK) {
		char tmp[64];
		snprintf(tmp, sizeof tmp, "%.*s", (int)(p->tlen < 60 ? p->tlen : 60),
		         p->src + p->tstart);
		fail(p, off, "数字写法不对", tmp);
		return NULL;
	}
	e->type = JX_T_NUM;
	e->kind = pct ? JX_K_PERCENT : JX_K_PLAIN;
	next(p);
	return e;
}

static jx__expr *parse_primary(parser *p)
{
	size_t off = p->tstart;
	jx__expr *e;
	switch (p->t) {
	case T_NUM:
		return parse_number(p);
	case T_STR:
		if (!(e = node(p, JX_OP_STR, off)))
			return NULL;
		e->str = jx__arena_strndup(p->a, p->src + p->tstart + 1, p->tlen - 2);
		e->type = JX_T_TEXT;
		next(p);
		return e->str ? e : NULL;
	case T_LP:
		next(p);
		e = parse_expr(p);
		if (e && p->t != T_RP) {
			fail(p, p->tstart, "缺少“)”", NULL);
			return NULL;
		}
		next(p);
		return e;
	case T_NAME: {
		const char *name = p->src + p->tstart;
		size_t nlen = p->tlen;
		next(p);
		if (p->t == T_LP)
			return parse_call(p, off, name, nlen);
		if (!(e = node(p, JX_OP_PATH, off)))
			return NULL;
		e->str = jx__arena_strndup(p->a, name, nlen);
		return e->str ? e : NULL;
	}
	case T_END:
		fail(p, off, "公式不完整", NULL);
		return NULL;
	default: {
		char tmp[16];
		size_t i = p->tstart, n = 0;
		/* Show the whole offending character, not one byte of it. */
		jx__utf8_next(p->src, p->len, &i);
		n = i - p->tstart;
		snprintf(tmp, sizeof tmp, "%.*s", (int)n, p->src + p->tstart);
		/* An operator or ')' where an operand belongs is misplaced, not unknown. */
		fail(p, off, p->t == T_BAD ? "无法识别的符号" : "此处缺少数值、字段或函数，却是",
		     tmp);
		return NULL;
	}
	}
}

/* A prefix operator (minus, not) with its operand parsed by sub. */
static jx__expr *prefix(parser *p, jx__op op, jx__expr *(*sub)(parser *))
{
	size_t off = p->tstart;
	if (++p->depth > MAX_NESTING) {
		fail(p, off, "嵌套过深", NULL);
		return NULL;
	}
	next(p);
	jx__expr *a = sub(p);
	p->depth--;
	if (!a)
		return NULL;
	jx__expr *e = node(p, op, off);
	if (!e || !(e->args = jx__arena_alloc(p->a, sizeof(*e->args))))
		return NULL;
	e->args[0] = a;
	e->nargs = 1;
	return e;
}

static jx__expr *parse_unary(parser *p)
{
	if (p->t == T_MINUS)
		return prefix(p, JX_OP_NEG, parse_unary);
	return parse_primary(p);
}

static jx__expr *parse_mul(parser *p)
{
	jx__expr *l = parse_unary(p);
	while (l && (p->t == T_STAR || p->t == T_SLASH)) {
		jx__op op = p->t == T_STAR ? JX_OP_MUL : JX_OP_DIV;
		size_t off = p->tstart;
		next(p);
		l = binary(p, op, l, parse_unary(p), off);
	}
	return l;
}

static jx__expr *parse_add(parser *p)
{
	jx__expr *l = parse_mul(p);
	while (l && (p->t == T_PLUS || p->t == T_MINUS)) {
		jx__op op = p->t == T_PLUS ? JX_OP_ADD : JX_OP_SUB;
		size_t off = p->tstart;
		next(p);
		l = binary(p, op, l, parse_mul(p), off);
	}
	return l;
}

static jx__expr *parse_cmp(parser *p)
{
	jx__expr *l = parse_add(p);
	static const jx__op ops[] = {[T_EQ] = JX_OP_EQ, [T_NE] = JX_OP_NE, [T_LT] = JX_OP_LT,
	                             [T_LE] = JX_OP_LE, [T_GT] = JX_OP_GT, [T_GE] = JX_OP_GE};
	if (l && p->t >= T_EQ && p->t <= T_GE) {
		jx__op op = ops[p->t];
		size_t off = p->tstart;
		next(p);
		l = binary(p, op, l, parse_add(p), off);
	}
	return l;
}

/* `not` binds looser than comparison: not a = b is not (a = b). */
static jx__expr *parse_not(parser *p)
{
	if (p->t == T_NOT)
		return prefix(p, JX_OP_NOT, parse_not);
	return parse_cmp(p);
}

static jx__expr *parse_and(parser *p)
{
	jx__expr *l = parse_not(p);
	while (l && p->t == T_AND) {
		size_t off = p->tstart;
		next(p);
		l = binary(p, JX_OP_AND, l, parse_not(p), off);
	}
	return l;
}

static jx__expr *parse_expr(parser *p)
{
	if (++p->depth > MAX_NESTING) {
		fail(p, p->tstart, "嵌套过深", NULL);
		return NULL;
	}
	jx__expr *l = parse_and(p);
	while (l && p->t == T_OR) {
		size_t off = p->tstart;
		next(p);
		l = binary(p, JX_OP_OR, l, parse_and(p), off);
	}
	p->depth--;
	return l;
}

jx__expr *jx__formula_parse(jx__arena *a, const char *src, size_t len, jx__loc at, jx_diags *diags)
{
	parser p = {.a = a, .src = src, .len = len, .at = at, .diags = diags};
	if (len > MAX_LENGTH) {
		char tmp[64];
		snprintf(tmp, sizeof tmp, "%zu 字节，上限 %d 字节", len, MAX_LENGTH);
		fail(&p, 0, "公式过长", tmp);
		return NULL;
	}
	next(&p);
	if (p.t == T_END) {
		fail(&p, 0, "公式为空", NULL);
		return NULL;
	}
	jx__expr *e = parse_expr(&p);
	if (e && p.t == T_BAD) {
		parse_primary(&p); /* reports the unrecognised character */
		return NULL;
	}
	if (e && p.t != T_END) {
		char tmp[64];
		snprintf(tmp, sizeof tmp, "%.*s", (int)(p.tlen < 40 ? p.tlen : 40),
		         p.src + p.tstart);
		fail(&p, p.tstart, "多余的内容", tmp);
		return NULL;
	}
	return p.failed ? NULL : e;
}
