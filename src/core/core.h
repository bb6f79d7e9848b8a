/* Internal core services: arena allocation, growable buffers, diagnostics
 * construction, UTF-8 text helpers and a string hash map.  Names with two
 * underscores (jx__) are internal to libjixiao. */
#ifndef JX_CORE_H
#define JX_CORE_H

#include "jixiao/jixiao.h"

#include <stdarg.h>

/* ---- arena: many small allocations freed at once ------------------------ */

typedef struct jx__chunk jx__chunk;
typedef struct jx__arena {
	const jx_allocator *alloc;
	jx__chunk *head;
	size_t chunk_size;
} jx__arena;

void jx__arena_init(jx__arena *a, const jx_allocator *alloc, size_t chunk_size);
void jx__arena_fini(jx__arena *a);
void *jx__arena_alloc(jx__arena *a, size_t size); /* zeroed, 8-aligned, NULL on OOM */
char *jx__arena_strndup(jx__arena *a, const char *s, size_t n);
char *jx__arena_strdup(jx__arena *a, const char *s);
char *jx__arena_printf(jx__arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- growable byte buffer ---------------------------------------------- */

typedef struct jx__buf {
	const jx_allocator *alloc;
	char *data;
	size_t len, cap;
	bool oom; /* sticky: once an append failed, the buffer is incomplete */
} jx__buf;

void jx__buf_init(jx__buf *b, const jx_allocator *alloc);
void jx__buf_fini(jx__buf *b);
void jx__buf_add(jx__buf *b, const char *s, size_t n);
void jx__buf_adds(jx__buf *b, const char *s);
void jx__buf_addc(jx__buf *b, char c);
void jx__buf_printf(jx__buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void jx__buf_vprintf(jx__buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
void jx__buf_pad(jx__buf *b, size_t spaces);
/* Detaches the NUL-terminated contents (caller frees with alloc->free). */
char *jx__buf_take(jx__buf *b);

/* ---- allocation helpers ------------------------------------------------ */

void *jx__alloc(const jx_allocator *a, size_t size);
void *jx__realloc(const jx_allocator *a, void *p, size_t size);
void jx__free(const jx_allocator *a, void *p);
/* Grows *items (element size elem) to hold at least need; false on OOM. */
bool jx__grow(const jx_allocator *a, void **items, size_t *cap, size_t need, size_t elem);

/* ---- diagnostics ------------------------------------------------------- */

/* A position in an input file. */
typedef struct jx__loc {
	const char *file;
	unsigned line, col; /* 1-based; 0 = unknown */
} jx__loc;

/* Builds one diagnostic.  All strings are copied.  Returns JX_ERR_OOM if
 * it could not be recorded. */
typedef struct jx__diag_spec {
	jx_severity sev;
	const char *id;
	jx__loc loc;
	const char *path;
	const char *note;
	const char *expected, *actual, *difference;
	bool tail;
	const char *snippet;
	const char *explanation;
} jx__diag_spec;

jx_status jx__diag_add(jx_diags *d, const jx__diag_spec *spec, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
jx_status jx__diag_vadd(jx_diags *d, const jx__diag_spec *spec, const char *fmt, va_list ap)
        __attribute__((format(printf, 3, 0)));
/* Shorthand for a load error (severity fatal). */
jx_status jx__diag_fatal(jx_diags *d, const char *id, jx__loc loc, const char *path,
                         const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Gives diagnostic i a written 说明 (copied). */
jx_status jx__diag_explain(jx_diags *d, size_t i, const char *text);
/* Sorts by file, line, column, keeping insertion order otherwise. */
void jx__diags_sort(jx_diags *d);
/* True once an allocation failed while recording. */
bool jx__diags_oom(const jx_diags *d);

/* ---- text -------------------------------------------------------------- */

/* Decodes one UTF-8 code point at s[*i] (advancing *i); invalid bytes give
 * U+FFFD and advance by one. */
uint32_t jx__utf8_next(const char *s, size_t len, size_t *i);
bool jx__utf8_valid(const char *s, size_t len);
/* Display width in terminal columns (East Asian wide = 2). */
size_t jx__text_width(const char *s);
size_t jx__cp_width(uint32_t cp);
/* Edit distance in code points, capped at max+1. */
size_t jx__edit_distance(const char *a, const char *b, size_t max);
/* Ends s (of length len, NUL-terminated) before a UTF-8 character the
 * end cut in two, so a truncated text stays valid. */
void jx__utf8_cut(char *s, size_t len);
/* snprintf("%s") that cuts only between whole UTF-8 characters. */
void jx__copy_text(char *buf, size_t size, const char *s);
/* Trims ASCII whitespace and U+3000 at both ends, in place on a view. */
void jx__trim(const char **s, size_t *len);

/* ---- string -> index map ----------------------------------------------- */

typedef struct jx__map {
	const jx_allocator *alloc;
	const char **keys;
	size_t *klens;
	int *vals;
	size_t cap, count;
} jx__map;

void jx__map_init(jx__map *m, const jx_allocator *alloc);
void jx__map_fini(jx__map *m);
/* Keys are not copied: they must outlive the map. */
bool jx__map_put(jx__map *m, const char *key, size_t klen, int val);
int jx__map_get(const jx__map *m, const char *key, size_t klen); /* -1 if absent */

#endif
