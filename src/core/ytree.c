#include "ytree.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <yaml.h>

/* One open collection while events stream in. */
typedef struct frame {
	jx__ynode *node;
	jx__ynode **items; /* temporary, from the allocator; kept for reuse */
	size_t count, cap;
	jx__map index; /* key -> position in items, for big maps */
	bool indexed;
} frame;

/* Maps with up to this many keys are scanned for duplicates; bigger ones
 * get a hash index, so that a million keys do not take quadratic time. */
#define SCAN_KEYS 32

typedef struct builder {
	jx__arena *arena;
	const jx_allocator *alloc;
	const char *file;
	jx_diags *diags;
	frame stack[JX_YAML_MAX_DEPTH + 1];
	size_t depth;
	size_t used; /* frames that have been used (own an item array) */
	jx__ynode *root;
	/* The last quoted scalar that spanned lines: a missing closing quote
	 * makes one that ends at the next quote, where the error shows. */
	bool quoted_span;
	yaml_mark_t quote_start, quote_end;
} builder;

static jx__loc mark_loc(const builder *b, yaml_mark_t m)
{
	jx__loc l = {b->file, (unsigned)m.line + 1, (unsigned)m.column + 1};
	return l;
}

static bool oom(builder *b, yaml_mark_t m)
{
	jx__diag_fatal(b->diags, "Y00", mark_loc(b, m), NULL, "内存不足");
	return false;
}

static bool index_key(frame *f, size_t i)
{
	const jx__ynode *k = f->items[i];
	return k->kind != JX_Y_SCALAR || jx__map_put(&f->index, k->s, k->len, (int)i);
}

/* The earlier key equal to key, or NULL; false when out of memory. */
static bool find_key(frame *f, const jx__ynode *key, const jx__ynode **found)
{
	*found = NULL;
	if (f->count < 2 * SCAN_KEYS) {
		for (size_t i = 0; i < f->count; i += 2) {
			const jx__ynode *k = f->items[i];
			if (k->kind == JX_Y_SCALAR && k->len == key->len &&
			    !memcmp(k->s, key->s, key->len))
				*found = k;
		}
		return true;
	}
	for (size_t i = 0; !f->indexed && i < f->count; i += 2)
		if (!index_key(f, i))
			return false;
	f->indexed = true;
	int at = jx__map_get(&f->index, key->s, key->len);
	if (at >= 0)
		*found = f->items[at];
	return true;
}

static bool key_is_duplicate(builder *b, frame *f, jx__ynode *key, yaml_mark_t m)
{
	/* Keys sit at even positions; compare against earlier keys only. */
	const jx__ynode *k;
	if (f->count % 2 || key->kind != JX_Y_SCALAR)
		return false;
	if (!find_key(f, key, &k))
		return !oom(b, m);
	if (f->indexed && !k && !jx__map_put(&f->index, key->s, key->len, (int)f->count))
		return !oom(b, m);
	if (k) {
		jx__loc l = {b->file, key->line, key->col};
		jx__diag_fatal(b->diags, "Y05", l, NULL, "重复的键“%s”（第 %u 行已有）", key->s,
		               k->line);
		return true;
	}
	return false;
}

static bool attach(builder *b, jx__ynode *n, yaml_mark_t m)
{
	if (b->depth == 0) {
		b->root = n;
		return true;
	}
	frame *f = &b->stack[b->depth - 1];
	if (f->node->kind == JX_Y_MAP && key_is_duplicate(b, f, n, m))
		return false;
	if (!jx__grow(b->alloc, (void **)&f->items, &f->cap, f->count + 1, sizeof(*f->items)))
		return oom(b, m);
	f->items[f->count++] = n;
	return true;
}

static jx__ynode *new_node(builder *b, jx__ykind kind, yaml_mark_t m)
{
	jx__ynode *n = jx__arena_alloc(b->arena, sizeof(*n));
	if (!n)
		return NULL;
	n->kind = kind;
	n->line = (unsigned)m.line + 1;
	n->col = (unsigned)m.column + 1;
	return n;
}

static bool on_scalar(builder *b, const yaml_event_t *ev)
{
	jx__ynode *n = new_node(b, JX_Y_SCALAR, ev->start_mark);
	if (!n)
		return oom(b, ev->start_mark);
	n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	b->quoted_span = (ev->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
	                  ev->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE) &&
	                 ev->end_mark.line > ev->start_mark.line;
	b->quote_start = ev->start_mark;
	b->quote_end = ev->end_mark;
	n->len = ev->data.scalar.length;
	n->s = jx__arena_strndup(b->arena, (const char *)ev->data.scalar.value, n->len);
	if (!n->s)
		return oom(b, ev->start_mark);
	/* Escapes ("\0", "\e", "\x9b") write what the reader refuses raw:
	 * control characters would reach the terminal in messages.  Only
	 * double-quoted scalars have escapes; the reader checked the rest. */
	bool escapes = ev->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
	for (size_t i = 0; escapes && i < n->len; i++) {
		unsigned c = (unsigned char)n->s[i],
		         d = i + 1 < n->len ? (unsigned char)n->s[i + 1] : 0;
		if (c == 0xC2 && d >= 0x80 && d <= 0x9F && d != 0x85)
			c = d; /* C1 control, U+0080..U+009F but NEL */
		else if ((c >= 0x20 && c != 0x7F) || c == '\t' || c == '\n' || c == '\r')
			continue;
		if (c)
			jx__diag_fatal(b->diags, "Y06", mark_loc(b, ev->start_mark), NULL,
			               "文本中含有控制字符（U+%04X）", c);
		else
			jx__diag_fatal(b->diags, "Y06", mark_loc(b, ev->start_mark), NULL,
			               "文本中含有 NUL 字符");
		return false;
	}
	return attach(b, n, ev->start_mark);
}

static bool on_start(builder *b, jx__ykind kind, yaml_mark_t m)
{
	if (b->depth >= JX_YAML_MAX_DEPTH) {
		jx__diag_fatal(b->diags, "Y04", mark_loc(b, m), NULL,
		               "嵌套层数超过 %d 层，文件结构不正确", JX_YAML_MAX_DEPTH);
		return false;
	}
	jx__ynode *n = new_node(b, kind, m);
	if (!n || !attach(b, n, m))
		return n ? false : oom(b, m);
	/* A frame's item array is reused by every collection at its depth:
	 * one allocation per depth rather than one per collection. */
	frame *f = &b->stack[b->depth++];
	if (b->depth > b->used)
		b->used = b->depth;
	f->node = n;
	f->count = 0;
	f->indexed = false;
	jx__map_init(&f->index, b->alloc);
	return true;
}

static bool on_end(builder *b, yaml_mark_t m)
{
	frame *f = &b->stack[b->depth - 1];
	jx__ynode *n = f->node;
	n->n = n->kind == JX_Y_MAP ? f->count / 2 : f->count;
	if (f->count) {
		n->kids = jx__arena_alloc(b->arena, f->count * sizeof(*n->kids));
		if (!n->kids)
			return oom(b, m);
		memcpy(n->kids, f->items, f->count * sizeof(*n->kids));
	}
	jx__map_fini(&f->index);
	b->depth--;
	return true;
}

static const char *problem_zh(const char *problem)
{
	if (!problem)
		return "无法解析";
	if (strstr(problem, "UTF-8") || strstr(problem, "utf-8") || strstr(problem, "octet"))
		return "文件不是有效的 UTF-8 编码，GBK 等编码请另存为 UTF-8";
	if (strstr(problem, "control characters"))
		return "含有不允许的控制字符";
	if (strstr(problem, "mapping values are not allowed"))
		return "此处不能出现“: ”（含冒号的文字请加引号）";
	if (strstr(problem, "could not find expected ':'"))
		return "缺少“:”";
	if (strstr(problem, "did not find expected key"))
		return "缩进不一致或缺少键";
	if (strstr(problem, "tab character"))
		return "用制表符（Tab）缩进，请改用空格";
	if (strstr(problem, "expected '-' indicator"))
		return "列表项的缩进不一致";
	if (strstr(problem, "expected ',' or ']'"))
		return "缺少“,”或“]”（方括号未闭合）";
	if (strstr(problem, "expected ',' or '}'"))
		return "缺少“,”或“}”（花括号未闭合）";
	if (strstr(problem, "found character that cannot start any token"))
		return "含有不能开始一个值的字符（如制表符缩进或 @、`）";
	if (strstr(problem, "unexpected end of stream") || strstr(problem, "end of the stream"))
		return "文件意外结束（引号或括号未闭合）";
	return "YAML 格式错误";
}

static void parse_error(builder *b, const yaml_parser_t *p, const char *buf, size_t len)
{
	yaml_mark_t m = p->problem_mark;
	if (p->error == YAML_MEMORY_ERROR) {
		oom(b, m);
		return;
	}
	/* Reader errors carry a byte offset rather than a line: count lines
	 * and characters up to it (the bytes before it are valid UTF-8). */
	if (p->error == YAML_READER_ERROR) {
		jx__loc l = {b->file, 1, 1};
		for (size_t i = 0; i < p->problem_offset && i < len; i++) {
			if (buf[i] == '\n')
				l.line++, l.col = 1;
			else if (((unsigned char)buf[i] & 0xC0) != 0x80)
				l.col++;
		}
		const unsigned char *u = (const unsigned char *)buf;
		if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
			jx__diag_fatal(b->diags, "Y02", l, NULL,
			               "文件是 UTF-16 编码，请另存为 UTF-8");
		else
			jx__diag_fatal(b->diags, "Y02", l, NULL, "%s（第 %zu 字节）",
			               problem_zh(p->problem), p->problem_offset + 1);
		return;
	}
	/* An unclosed quote: point at where it opens. */
	if (p->context && strstr(p->context, "quoted scalar")) {
		jx__diag_fatal(b->diags, "Y01", mark_loc(b, p->context_mark), NULL,
		               "引号未闭合（%s）", p->problem ? p->problem : "");
		return;
	}
	if (b->quoted_span && m.line == b->quote_end.line) {
		jx__diag_fatal(b->diags, "Y01", mark_loc(b, b->quote_start), NULL,
		               "引号可能未闭合：此处开始的引号到第 %zu 行才结束（%s）",
		               b->quote_end.line + 1, p->problem ? p->problem : "");
		return;
	}
	jx__diag_fatal(b->diags, "Y01", mark_loc(b, m), NULL, "%s（%s）", problem_zh(p->problem),
	               p->problem ? p->problem : "");
}

static void free_frames(builder *b)
{
	for (size_t i = 0; i < b->used; i++) {
		jx__free(b->alloc, b->stack[i].items);
		if (i < b->depth)
			jx__map_fini(&b->stack[i].index);
	}
	b->depth = b->used = 0;
}

/* Handles one event; false stops the parse (a diagnostic is recorded). */
static bool on_event(builder *b, const yaml_event_t *ev, int *docs)
{
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++*docs > 1) {
			jx__diag_fatal(b->diags, "Y07", mark_loc(b, ev->start_mark), NULL,
			               "一个文件只能包含一个 YAML 文档（“---”）");
			return false;
		}
		return true;
	case YAML_ALIAS_EVENT:
		jx__diag_fatal(b->diags, "Y03", mark_loc(b, ev->start_mark), NULL,
		               "不支持 YAML 别名（*%s），请直接写出内容",
		               (const char *)ev->data.alias.anchor);
		return false;
	case YAML_SCALAR_EVENT:
		return on_scalar(b, ev);
	case YAML_SEQUENCE_START_EVENT:
		return on_start(b, JX_Y_SEQ, ev->start_mark);
	case YAML_MAPPING_START_EVENT:
		return on_start(b, JX_Y_MAP, ev->start_mark);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return on_end(b, ev->start_mark);
	default:
		return true;
	}
}

jx__ynode *jx__yaml_parse(jx__arena *arena, const char *file, const char *buf, size_t len,
                          jx_diags *diags)
{
	builder b = {.arena = arena, .alloc = arena->alloc, .file = file, .diags = diags};
	yaml_parser_t p;
	jx__ynode *result = NULL;
	int docs = 0;
	if (len > JX_YAML_MAX_BYTES) {
		jx__loc l = {file, 1, 1};
		jx__diag_fatal(diags, "Y08", l, NULL, "文件过大（%zu 字节，上限 %u 字节）", len,
		               JX_YAML_MAX_BYTES);
		return NULL;
	}
	if (!yaml_parser_initialize(&p)) {
		jx__loc l = {file, 0, 0};
		jx__diag_fatal(diags, "Y00", l, NULL, "内存不足");
		return NULL;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
	for (;;) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&p, &ev)) {
			parse_error(&b, &p, buf, len);
			goto out;
		}
		bool ok = on_event(&b, &ev, &docs);
		bool end = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
		if (!ok)
			goto out;
		if (end)
			break;
	}
	if (!b.root) {
		jx__loc l = {file, 1, 1};
		jx__diag_fatal(diags, "Y09", l, NULL, "文件为空");
		goto out;
	}
	result = b.root;
out:
	free_frames(&b);
	yaml_parser_delete(&p);
	return result;
}

const char *jx_errno_text(int err)
{
	switch (err) {
	case ENOENT:
		return "文件不存在";
	case EACCES:
	case EPERM:
		return "没有读取权限";
	case EISDIR:
		return "这是一个目录";
	case ENOMEM:
		return "内存不足";
	default:
		return strerror(err);
	}
}

char *jx__read_file(const jx_allocator *alloc, const char *path, size_t *len, jx_diags *diags)
{
	jx__loc l = {path, 0, 0};
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;
	if (!f) {
		jx__diag_fatal(diags, "Y10", l, NULL, "无法打开文件：%s", jx_errno_text(errno));
		return NULL;
	}
	for (;;) {
		if (!jx__grow(alloc, (void **)&buf, &cap, n + 65536 + 1, 1)) {
			jx__diag_fatal(diags, "Y00", l, NULL, "内存不足");
			goto fail;
		}
		size_t got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (n > JX_YAML_MAX_BYTES) {
			l.line = l.col = 1;
			jx__diag_fatal(diags, "Y08", l, NULL, "文件过大（超过上限 %u 字节）",
			               JX_YAML_MAX_BYTES);
			goto fail;
		}
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		jx__diag_fatal(diags, "Y10", l, NULL, "读取文件出错：%s", jx_errno_text(errno));
		goto fail;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
fail:
	fclose(f);
	jx__free(alloc, buf);
	return NULL;
}

jx__ynode *jx__ymap_get(const jx__ynode *map, const char *key)
{
	if (!map || map->kind != JX_Y_MAP)
		return NULL;
	size_t kl = strlen(key);
	for (size_t i = 0; i < map->n; i++) {
		jx__ynode *k = map->kids[2 * i];
		if (k->kind == JX_Y_SCALAR && k->len == kl && !memcmp(k->s, key, kl))
			return map->kids[2 * i + 1];
	}
	return NULL;
}

bool jx__y_is_null(const jx__ynode *n)
{
	if (!n || n->kind != JX_Y_SCALAR || !n->plain)
		return false;
	return n->len == 0 || !strcmp(n->s, "~") || !strcmp(n->s, "null") ||
	       !strcmp(n->s, "Null") || !strcmp(n->s, "NULL");
}

const char *jx__y_kind_name(const jx__ynode *n)
{
	switch (n->kind) {
	case JX_Y_SCALAR:
		return "单个值";
	case JX_Y_MAP:
		return "键值映射";
	case JX_Y_SEQ:
		return "列表";
	}
	return "?";
}

char *jx_read_file(const char *path, const jx_allocator *alloc, size_t *len, jx_diags *diags)
{
	return jx__read_file(alloc ? alloc : jx_allocator_default(), path, len, diags);
}
