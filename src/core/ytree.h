/* A YAML document as a tree of nodes with their positions, built from
 * libyaml's event stream into an arena.  Both schemes and data files are
 * read through it, so limits (size, depth, no aliases, no duplicate keys)
 * are enforced in one place. */
#ifndef JX_YTREE_H
#define JX_YTREE_H

#include "core.h"

typedef enum jx__ykind { JX_Y_SCALAR, JX_Y_MAP, JX_Y_SEQ } jx__ykind;

typedef struct jx__ynode jx__ynode;
struct jx__ynode {
	jx__ykind kind;
	bool plain;         /* scalar written without quotes */
	unsigned line, col; /* 1-based */
	const char *s;      /* scalar text, NUL-terminated */
	size_t len;
	size_t n;         /* sequence items, or map pairs */
	jx__ynode **kids; /* seq: n items; map: 2n (key, value, key, value...) */
};

/* Limits that keep hostile input from exhausting memory or the stack. */
#define JX_YAML_MAX_BYTES (16u * 1024u * 1024u)
#define JX_YAML_MAX_DEPTH 64

/* Parses buf into a tree allocated in arena.  On error records a fatal
 * diagnostic (ids Y01..Y07) and returns NULL. */
jx__ynode *jx__yaml_parse(jx__arena *arena, const char *file, const char *buf, size_t len,
                          jx_diags *diags);

/* Reads a whole file into a buffer (caller frees with alloc); checks the
 * size limit.  On error records a diagnostic and returns NULL. */
char *jx__read_file(const jx_allocator *alloc, const char *path, size_t *len, jx_diags *diags);

/* Map lookup by key; NULL if absent. */
jx__ynode *jx__ymap_get(const jx__ynode *map, const char *key);
/* True for a scalar that YAML reads as null: empty plain, ~, null. */
bool jx__y_is_null(const jx__ynode *n);
const char *jx__y_kind_name(const jx__ynode *n);

#endif
