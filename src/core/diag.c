/* The diagnostics list: findings and load errors, with their strings
 * copied into the list's own arena so callers may free their inputs. */
#include "core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct jx_diags {
	const jx_allocator *alloc;
	jx__arena arena;
	jx_diag *items;
	size_t count, cap;
	bool oom;
};

static const char *const status_names[JX_STATUS_COUNT] = {
        [JX_OK] = "成功",
        [JX_ERR_OOM] = "内存不足",
        [JX_ERR_IO] = "无法读取文件",
        [JX_ERR_TOO_LARGE] = "文件过大",
        [JX_ERR_SYNTAX] = "语法错误",
        [JX_ERR_INVALID] = "内容不符合方案",
        [JX_ERR_USAGE] = "调用参数错误",
};

const char *jx_strerror(jx_status st)
{
	if ((unsigned)st >= JX_STATUS_COUNT)
		return "未知错误";
	return status_names[st];
}

const char *jx_severity_name(jx_severity sev)
{
	switch (sev) {
	case JX_SEV_INFO:
		return "info";
	case JX_SEV_WARNING:
		return "warning";
	case JX_SEV_ERROR:
		return "error";
	case JX_SEV_FATAL:
		return "fatal";
	}
	return "?";
}

jx_diags *jx_diags_new(const jx_allocator *alloc)
{
	if (!alloc)
		alloc = jx_allocator_default();
	jx_diags *d = jx__alloc(alloc, sizeof(*d));
	if (!d)
		return NULL;
	memset(d, 0, sizeof(*d));
	d->alloc = alloc;
	jx__arena_init(&d->arena, alloc, 8192);
	return d;
}

void jx_diags_free(jx_diags *d)
{
	if (!d)
		return;
	jx__arena_fini(&d->arena);
	jx__free(d->alloc, d->items);
	jx__free(d->alloc, d);
}

void jx_diags_clear(jx_diags *d)
{
	jx__arena_fini(&d->arena);
	d->count = 0;
	d->oom = false;
}

size_t jx_diags_count(const jx_diags *d)
{
	return d->count;
}

const jx_diag *jx_diags_get(const jx_diags *d, size_t i)
{
	return i < d->count ? &d->items[i] : NULL;
}

size_t jx_diags_count_sev(const jx_diags *d, jx_severity sev)
{
	size_t n = 0;
	for (size_t i = 0; i < d->count; i++)
		n += d->items[i].severity == sev;
	return n;
}

bool jx__diags_oom(const jx_diags *d)
{
	return d->oom;
}

/* Copies an optional string; false only when a non-NULL copy failed. */
static bool copy_opt(jx__arena *a, const char *src, const char **dst)
{
	*dst = NULL;
	if (!src)
		return true;
	*dst = jx__arena_strdup(a, src);
	return *dst != NULL;
}

jx_status jx__diag_vadd(jx_diags *d, const jx__diag_spec *spec, const char *fmt, va_list ap)
{
	if (!jx__grow(d->alloc, (void **)&d->items, &d->cap, d->count + 1, sizeof(jx_diag)))
		goto oom;
	jx_diag *g = &d->items[d->count];
	memset(g, 0, sizeof(*g));
	char msg[2048];
	if (vsnprintf(msg, sizeof msg, fmt, ap) >= (int)sizeof msg)
		jx__utf8_cut(msg, strlen(msg));
	g->severity = spec->sev;
	g->line = spec->loc.line;
	g->column = spec->loc.col;
	g->tail = spec->tail;
	if (!copy_opt(&d->arena, spec->id, &g->id) || !copy_opt(&d->arena, msg, &g->message) ||
	    !copy_opt(&d->arena, spec->note, &g->note) ||
	    !copy_opt(&d->arena, spec->loc.file, &g->file) ||
	    !copy_opt(&d->arena, spec->path, &g->path) ||
	    !copy_opt(&d->arena, spec->expected, &g->expected) ||
	    !copy_opt(&d->arena, spec->actual, &g->actual) ||
	    !copy_opt(&d->arena, spec->difference, &g->difference) ||
	    !copy_opt(&d->arena, spec->snippet, &g->snippet) ||
	    !copy_opt(&d->arena, spec->explanation, &g->explanation))
		goto oom;
	d->count++;
	return JX_OK;
oom:
	d->oom = true;
	return JX_ERR_OOM;
}

jx_status jx__diag_explain(jx_diags *d, size_t i, const char *text)
{
	if (i >= d->count)
		return JX_ERR_USAGE;
	if (!copy_opt(&d->arena, text, &d->items[i].explanation)) {
		d->oom = true;
		return JX_ERR_OOM;
	}
	return JX_OK;
}

jx_status jx__diag_add(jx_diags *d, const jx__diag_spec *spec, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	jx_status st = jx__diag_vadd(d, spec, fmt, ap);
	va_end(ap);
	return st;
}

jx_status jx__diag_fatal(jx_diags *d, const char *id, jx__loc loc, const char *path,
                         const char *fmt, ...)
{
	jx__diag_spec spec = {.sev = JX_SEV_FATAL, .id = id, .loc = loc, .path = path};
	va_list ap;
	va_start(ap, fmt);
	jx__diag_vadd(d, &spec, fmt, ap);
	va_end(ap);
	return JX_ERR_INVALID;
}

static int cmp_str(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int cmp_diag(const void *a, const void *b)
{
	const jx_diag *p = a, *q = b;
	int c = cmp_str(p->file, q->file);
	if (!c)
		c = (p->line > q->line) - (p->line < q->line);
	if (!c)
		c = (p->column > q->column) - (p->column < q->column);
	return c;
}

/* A stable sort (merge sort through a scratch array): equal positions keep
 * the order the rules produced them in, and many findings stay n log n. */
void jx__diags_sort(jx_diags *d)
{
	if (d->count < 2)
		return;
	jx_diag *tmp = jx__alloc(d->alloc, d->count * sizeof(*tmp));
	if (!tmp)
		return; /* unsorted is still correct, only less readable */
	for (size_t w = 1; w < d->count; w *= 2) {
		for (size_t lo = 0; lo < d->count; lo += 2 * w) {
			size_t mid = lo + w < d->count ? lo + w : d->count;
			size_t hi = lo + 2 * w < d->count ? lo + 2 * w : d->count;
			size_t a = lo, b = mid, k = lo;
			while (a < mid && b < hi)
				tmp[k++] = cmp_diag(&d->items[b], &d->items[a]) < 0 ? d->items[b++]
				                                                    : d->items[a++];
			while (a < mid)
				tmp[k++] = d->items[a++];
			while (b < hi)
				tmp[k++] = d->items[b++];
		}
		memcpy(d->items, tmp, d->count * sizeof(*tmp));
	}
	jx__free(d->alloc, tmp);
}

jx_status jx_diags_add(jx_diags *d, jx_severity sev, const char *id, const char *file,
                       unsigned line, unsigned column, const char *path, const char *message)
{
	jx__diag_spec spec = {.sev = sev, .id = id, .loc = {file, line, column}, .path = path};
	return jx__diag_add(d, &spec, "%s", message ? message : "");
}
