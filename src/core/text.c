/* UTF-8, display width, edit distance and a small string map. */
#include "core.h"

#include <string.h>

uint32_t jx__utf8_next(const char *str, size_t len, size_t *i)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t k = *i;
	unsigned char c = s[k];
	size_t need;
	uint32_t cp, min;
	if (c < 0x80) {
		*i = k + 1;
		return c;
	} else if ((c & 0xE0) == 0xC0) {
		need = 1, cp = c & 0x1Fu, min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		need = 2, cp = c & 0x0Fu, min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		need = 3, cp = c & 0x07u, min = 0x10000;
	} else {
		goto bad;
	}
	if (k + need >= len)
		goto bad;
	for (size_t j = 1; j <= need; j++) {
		if ((s[k + j] & 0xC0) != 0x80)
			goto bad;
		cp = (cp << 6) | (s[k + j] & 0x3Fu);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		goto bad;
	*i = k + need + 1;
	return cp;
bad:
	*i = k + 1;
	return 0xFFFD;
}

bool jx__utf8_valid(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		size_t start = i;
		uint32_t cp = jx__utf8_next(s, len, &i);
		/* A real U+FFFD is three bytes; a decoding error advances one. */
		if (cp == 0xFFFD && i - start != 3)
			return false;
	}
	return true;
}

size_t jx__cp_width(uint32_t cp)
{
	if (cp == 0)
		return 0;
	if (cp >= 0x300 && cp <= 0x36F)
		return 0; /* combining marks */
	if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
	    (cp >= 0x3041 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
	    (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
	    (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	    (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
	    (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD))
		return 2;
	return 1;
}

size_t jx__text_width(const char *s)
{
	size_t len = strlen(s), i = 0, w = 0;
	while (i < len)
		w += jx__cp_width(jx__utf8_next(s, len, &i));
	return w;
}

/* Levenshtein distance over code points (short strings: names and keys). */
size_t jx__edit_distance(const char *a, const char *b, size_t max)
{
	uint32_t ca[64], cb[64];
	size_t na = 0, nb = 0, i = 0, la = strlen(a), lb = strlen(b);
	while (i < la && na < 64)
		ca[na++] = jx__utf8_next(a, la, &i);
	i = 0;
	while (i < lb && nb < 64)
		cb[nb++] = jx__utf8_next(b, lb, &i);
	if ((na > nb ? na - nb : nb - na) > max)
		return max + 1;
	size_t row[65];
	for (size_t j = 0; j <= nb; j++)
		row[j] = j;
	for (size_t x = 1; x <= na; x++) {
		size_t diag = row[0], best = x;
		row[0] = x;
		for (size_t j = 1; j <= nb; j++) {
			size_t up = row[j];
			size_t v = diag + (ca[x - 1] != cb[j - 1]);
			if (up + 1 < v)
				v = up + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			row[j] = v;
			diag = up;
			if (v < best)
				best = v;
		}
		if (best > max)
			return max + 1;
	}
	return row[nb] > max ? max + 1 : row[nb];
}

static bool is_space_at(const char *s, size_t len, size_t i, size_t *w)
{
	unsigned char c = (unsigned char)s[i];
	if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
		*w = 1;
		return true;
	}
	/* U+3000 IDEOGRAPHIC SPACE: E3 80 80 */
	if (c == 0xE3 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
	    (unsigned char)s[i + 2] == 0x80) {
		*w = 3;
		return true;
	}
	return false;
}

void jx__trim(const char **s, size_t *len)
{
	size_t w;
	while (*len && is_space_at(*s, *len, 0, &w)) {
		*s += w;
		*len -= w;
	}
	for (;;) {
		if (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t' ||
		             (*s)[*len - 1] == '\n' || (*s)[*len - 1] == '\r')) {
			(*len)--;
		} else if (*len >= 3 && is_space_at(*s, *len, *len - 3, &w) && w == 3) {
			*len -= 3;
		} else {
			break;
		}
	}
}

/* ---- map: open addressing, FNV-1a ---- */

static uint64_t hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

void jx__map_init(jx__map *m, const jx_allocator *alloc)
{
	memset(m, 0, sizeof(*m));
	m->alloc = alloc;
}

void jx__map_fini(jx__map *m)
{
	jx__free(m->alloc, m->keys);
	jx__free(m->alloc, m->klens);
	jx__free(m->alloc, m->vals);
	memset(m, 0, sizeof(*m));
}

static size_t slot_of(const jx__map *m, const char *key, size_t klen)
{
	size_t mask = m->cap - 1, i = (size_t)hash(key, klen) & mask;
	while (m->keys[i] && (m->klens[i] != klen || memcmp(m->keys[i], key, klen) != 0))
		i = (i + 1) & mask;
	return i;
}

static bool map_rehash(jx__map *m, size_t ncap)
{
	jx__map n = {.alloc = m->alloc, .cap = ncap};
	n.keys = jx__alloc(m->alloc, ncap * sizeof(*n.keys));
	n.klens = jx__alloc(m->alloc, ncap * sizeof(*n.klens));
	n.vals = jx__alloc(m->alloc, ncap * sizeof(*n.vals));
	if (!n.keys || !n.klens || !n.vals) {
		jx__map_fini(&n);
		return false;
	}
	memset(n.keys, 0, ncap * sizeof(*n.keys));
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->keys[i])
			continue;
		size_t s = slot_of(&n, m->keys[i], m->klens[i]);
		n.keys[s] = m->keys[i];
		n.klens[s] = m->klens[i];
		n.vals[s] = m->vals[i];
	}
	n.count = m->count;
	jx__map_fini(m);
	*m = n;
	return true;
}

bool jx__map_put(jx__map *m, const char *key, size_t klen, int val)
{
	if ((m->count + 1) * 2 > m->cap && !map_rehash(m, m->cap ? m->cap * 2 : 64))
		return false;
	size_t s = slot_of(m, key, klen);
	if (!m->keys[s]) {
		m->keys[s] = key;
		m->klens[s] = klen;
		m->count++;
	}
	m->vals[s] = val;
	return true;
}

int jx__map_get(const jx__map *m, const char *key, size_t klen)
{
	if (!m->cap)
		return -1;
	size_t s = slot_of(m, key, klen);
	return m->keys[s] ? m->vals[s] : -1;
}

void jx__utf8_cut(char *s, size_t len)
{
	size_t i = len;
	/* back over continuation bytes to the lead byte of the last character */
	while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
		i--;
	if (i == 0)
		return;
	unsigned char lead = (unsigned char)s[i - 1];
	size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
	if (len - (i - 1) < need)
		s[i - 1] = '\0';
}

void jx__copy_text(char *buf, size_t size, const char *s)
{
	if (!size)
		return;
	size_t n = strlen(s);
	if (n < size) {
		memcpy(buf, s, n + 1);
		return;
	}
	memcpy(buf, s, size - 1);
	buf[size - 1] = '\0';
	jx__utf8_cut(buf, size - 1);
}
