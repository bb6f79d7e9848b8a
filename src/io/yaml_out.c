/* Writing a data file from (path, value) pairs: the paths ("a.b",
 * "t[2].col") become nested YAML maps and sequences in first-seen order,
 * values are quoted unless they are plain numbers.  Shared by the XLSX
 * import and by audit's --extract. */
#include "yaml_out.h"

#include <stdlib.h>
#include <string.h>

bool jx__yaml_plain_number(const char *s)
{
	size_t i = 0, digits = 0;
	if (s[i] == '-')
		i++;
	while (s[i] >= '0' && s[i] <= '9')
		i++, digits++;
	if (s[i] == '.') {
		i++;
		while (s[i] >= '0' && s[i] <= '9')
			i++, digits++;
	}
	if (s[i] == '%')
		i++;
	return digits && !s[i];
}

typedef struct node {
	const char *key; /* NULL for a sequence item */
	const jx__yentry *value;
	struct node *kids, *last, *next;
	bool seq;
	long index;
} node;

static node *child(jx__arena *arena, node *parent, const char *key, size_t klen, long index)
{
	for (node *k = parent->kids; k; k = k->next)
		if (index >= 0 ? k->index == index
		               : (k->key && strlen(k->key) == klen && !strncmp(k->key, key, klen)))
			return k;
	node *k = jx__arena_alloc(arena, sizeof(*k));
	if (!k)
		return NULL;
	k->index = index;
	k->key = index >= 0 ? NULL : jx__arena_strndup(arena, key, klen);
	if (parent->last)
		parent->last->next = k;
	else
		parent->kids = k;
	parent->last = k;
	return k;
}

static void quote(jx__buf *b, const char *s)
{
	if (jx__yaml_plain_number(s)) {
		jx__buf_adds(b, s);
		return;
	}
	jx__buf_addc(b, '"');
	for (const char *p = s; *p;) {
		/* the run of bytes that need no escape, in one copy */
		const char *q = p;
		while ((unsigned char)*q >= 0x20 && *q != '"' && *q != '\\')
			q++;
		if (q > p) {
			jx__buf_add(b, p, (size_t)(q - p));
			p = q;
			continue;
		}
		if (*p == '"' || *p == '\\')
			jx__buf_addc(b, '\\');
		if (*p == '\n')
			jx__buf_adds(b, "\\n");
		else if (*p == '\t')
			jx__buf_adds(b, "\\t");
		else if ((unsigned char)*p < 0x20)
			jx__buf_printf(b, "\\x%02x", (unsigned)(unsigned char)*p);
		else
			jx__buf_addc(b, *p);
		p++;
	}
	jx__buf_addc(b, '"');
}

static void emit(jx__buf *b, const node *n, size_t depth);

static void emit_value(jx__buf *b, const node *k, size_t depth)
{
	if (k->value && k->value->list) {
		jx__buf_addc(b, '\n');
		const char *s = k->value->value;
		while (*s) {
			const char *nl = strchr(s, '\n');
			size_t len = nl ? (size_t)(nl - s) : strlen(s);
			const char *t = s;
			size_t tl = len;
			jx__trim(&t, &tl);
			if (tl) {
				char *item = jx__alloc(b->alloc, tl + 1);
				if (!item) {
					b->oom = true;
					return;
				}
				memcpy(item, t, tl);
				item[tl] = 0;
				jx__buf_pad(b, 2 * depth);
				jx__buf_adds(b, "- ");
				quote(b, item);
				jx__buf_addc(b, '\n');
				jx__free(b->alloc, item);
			}
			s += len + (nl != NULL);
		}
	} else if (k->value && k->value->raw) {
		jx__buf_addc(b, ' ');
		jx__buf_adds(b, k->value->value);
		jx__buf_addc(b, '\n');
	} else if (k->value) {
		jx__buf_addc(b, ' ');
		quote(b, k->value->value);
		jx__buf_addc(b, '\n');
	} else {
		jx__buf_addc(b, '\n');
		emit(b, k, depth);
	}
}

static void emit(jx__buf *b, const node *n, size_t depth)
{
	for (const node *k = n->kids; k; k = k->next) {
		if (k->index >= 0) {
			/* a table row: "- " then its columns */
			jx__buf_pad(b, 2 * depth);
			jx__buf_adds(b, "-");
			bool first = true;
			for (const node *c = k->kids; c; c = c->next) {
				if (first)
					jx__buf_addc(b, ' ');
				else
					jx__buf_pad(b, 2 * depth + 2);
				first = false;
				jx__buf_adds(b, c->key);
				jx__buf_addc(b, ':');
				emit_value(b, c, depth + 2);
			}
			if (first)
				jx__buf_adds(b, " {}\n");
			continue;
		}
		jx__buf_pad(b, 2 * depth);
		jx__buf_adds(b, k->key);
		jx__buf_addc(b, ':');
		emit_value(b, k, depth + 1);
	}
}

char *jx__yaml_from_entries(const jx_allocator *alloc, const char *header, const jx__yentry *first,
                            size_t n, size_t stride)
{
	jx__arena arena;
	node root;
	char *text = NULL;
	jx__arena_init(&arena, alloc, 16384);
	memset(&root, 0, sizeof root);
	root.index = -1;
	for (size_t i = 0; i < n; i++) {
		const jx__yentry *en = (const jx__yentry *)((const char *)first + i * stride);
		node *at = &root;
		const char *p = en->path;
		while (at && *p) {
			size_t len = strcspn(p, ".[");
			at = child(&arena, at, p, len, -1);
			p += len;
			if (at && *p == '[') {
				long idx = strtol(p + 1, NULL, 10);
				at = child(&arena, at, NULL, 0, idx);
				p = strchr(p, ']');
				p = p ? p + 1 : "";
			}
			if (*p == '.')
				p++;
		}
		if (!at)
			goto out;
		at->value = en;
	}
	/* A data file's `explanations:` (written 说明 of warnings) stand next
	 * to `scheme:`, before the values, wherever their entries came. */
	for (node **k = &root.kids, *prev = NULL; *k; prev = *k, k = &(*k)->next) {
		node *e = *k;
		if (!e->key || strcmp(e->key, "explanations") || e == root.kids)
			continue;
		*k = e->next;
		if (root.last == e)
			root.last = prev;
		e->next = root.kids;
		root.kids = e;
		break;
	}
	jx__buf b;
	jx__buf_init(&b, alloc);
	jx__buf_adds(&b, header ? header : "");
	emit(&b, &root, 0);
	if (b.oom)
		jx__buf_fini(&b);
	else
		text = jx__buf_take(&b);
out:
	jx__arena_fini(&arena);
	return text;
}
