/* The default allocator, the arena and the growable buffer. */
#include "core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *default_alloc(void *ctx, size_t size)
{
	(void)ctx;
	return malloc(size);
}

static void *default_realloc(void *ctx, void *ptr, size_t size)
{
	(void)ctx;
	return realloc(ptr, size);
}

static void default_free(void *ctx, void *ptr)
{
	(void)ctx;
	free(ptr);
}

static const jx_allocator default_allocator = {default_alloc, default_realloc, default_free, NULL};

const jx_allocator *jx_allocator_default(void)
{
	return &default_allocator;
}

void *jx__alloc(const jx_allocator *a, size_t size)
{
	return a->alloc(a->ctx, size ? size : 1);
}

void *jx__realloc(const jx_allocator *a, void *p, size_t size)
{
	return a->realloc(a->ctx, p, size ? size : 1);
}

void jx__free(const jx_allocator *a, void *p)
{
	if (p)
		a->free(a->ctx, p);
}

bool jx__grow(const jx_allocator *a, void **items, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return true;
	size_t ncap = *cap ? *cap : 8;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2 / elem)
			return false;
		ncap *= 2;
	}
	void *p = jx__realloc(a, *items, ncap * elem);
	if (!p)
		return false;
	*items = p;
	*cap = ncap;
	return true;
}

/* ---- arena ---- */

struct jx__chunk {
	jx__chunk *next;
	size_t used, size;
	/* Payload follows, 16-aligned by the header size. */
	max_align_t align_[];
};

void jx__arena_init(jx__arena *a, const jx_allocator *alloc, size_t chunk_size)
{
	a->alloc = alloc;
	a->head = NULL;
	a->chunk_size = chunk_size ? chunk_size : 16384;
}

void jx__arena_fini(jx__arena *a)
{
	jx__chunk *c = a->head;
	while (c) {
		jx__chunk *next = c->next;
		jx__free(a->alloc, c);
		c = next;
	}
	a->head = NULL;
}

static void *arena_take(jx__arena *a, size_t size);

void *jx__arena_alloc(jx__arena *a, size_t size)
{
	void *p = arena_take(a, size);
	if (p)
		memset(p, 0, size);
	return p;
}

/* Uninitialised arena memory, for copies that overwrite all of it. */
static void *arena_take(jx__arena *a, size_t size)
{
	size = (size + 7u) & ~(size_t)7u;
	jx__chunk *c = a->head;
	if (!c || c->size - c->used < size) {
		/* Large requests get a chunk of their own, kept behind the head
		 * so the head's free space is not wasted. */
		size_t want = size > a->chunk_size / 4 ? size : a->chunk_size;
		if (want > SIZE_MAX - sizeof(jx__chunk))
			return NULL;
		jx__chunk *n = jx__alloc(a->alloc, sizeof(jx__chunk) + want);
		if (!n)
			return NULL;
		n->used = 0;
		n->size = want;
		if (c && want != a->chunk_size) {
			n->next = c->next;
			c->next = n;
		} else {
			n->next = c;
			a->head = n;
		}
		c = n;
	}
	char *p = (char *)c->align_ + c->used;
	c->used += size;
	return p;
}

char *jx__arena_strndup(jx__arena *a, const char *s, size_t n)
{
	char *p = arena_take(a, n + 1);
	if (!p)
		return NULL;
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *jx__arena_strdup(jx__arena *a, const char *s)
{
	return s ? jx__arena_strndup(a, s, strlen(s)) : NULL;
}

char *jx__arena_printf(jx__arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	char *p = jx__arena_alloc(a, (size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

/* ---- buffer ---- */

void jx__buf_init(jx__buf *b, const jx_allocator *alloc)
{
	memset(b, 0, sizeof(*b));
	b->alloc = alloc;
}

void jx__buf_fini(jx__buf *b)
{
	jx__free(b->alloc, b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

static bool buf_reserve(jx__buf *b, size_t extra)
{
	if (b->oom)
		return false;
	if (b->len + extra + 1 < b->len ||
	    !jx__grow(b->alloc, (void **)&b->data, &b->cap, b->len + extra + 1, 1)) {
		b->oom = true;
		return false;
	}
	return true;
}

void jx__buf_add(jx__buf *b, const char *s, size_t n)
{
	if (!buf_reserve(b, n))
		return;
	if (n)
		memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void jx__buf_adds(jx__buf *b, const char *s)
{
	jx__buf_add(b, s, strlen(s));
}

void jx__buf_addc(jx__buf *b, char c)
{
	jx__buf_add(b, &c, 1);
}

void jx__buf_pad(jx__buf *b, size_t spaces)
{
	while (spaces--)
		jx__buf_addc(b, ' ');
}

void jx__buf_vprintf(jx__buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0 || !buf_reserve(b, (size_t)n))
		return;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void jx__buf_printf(jx__buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	jx__buf_vprintf(b, fmt, ap);
	va_end(ap);
}

char *jx__buf_take(jx__buf *b)
{
	if (b->oom) {
		jx__buf_fini(b);
		return NULL;
	}
	if (!b->data)
		jx__buf_add(b, "", 0);
	char *p = b->data;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}
