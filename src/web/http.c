/* Parsing what a browser sends: form bodies, query strings, multipart
 * uploads, cookies and paths.  Everything is untrusted; every copy goes
 * into the request's arena and every length is bounded. */
#include "web.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

enum { MAX_PAIRS = 20000 };

/* A hex digit's value plus one, 0 for other bytes: a table, because the
 * digits of %-escaped UTF-8 mix 0-9 and A-F unpredictably and branches on
 * them mispredict (the form bodies are mostly such escapes). */
static const unsigned char hex1[256] = {
        ['0'] = 1,  ['1'] = 2,  ['2'] = 3,  ['3'] = 4,  ['4'] = 5,  ['5'] = 6,
        ['6'] = 7,  ['7'] = 8,  ['8'] = 9,  ['9'] = 10, ['a'] = 11, ['b'] = 12,
        ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16, ['A'] = 11, ['B'] = 12,
        ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

static int hexval(char ch)
{
	return (int)hex1[(unsigned char)ch] - 1;
}

/* %-decoding ('+' as space when plus); a bad escape stays as written. */
static char *decode(jx__arena *a, const char *s, size_t len, bool plus, size_t *out_len)
{
	char *r = jx__arena_alloc(a, len + 1);
	if (!r)
		return NULL;
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		int hi, lo;
		if (s[i] != '%' && s[i] != '+') {
			r[n++] = s[i];
			continue;
		}
		if (s[i] == '%' && i + 2 < len && (hi = hexval(s[i + 1])) >= 0 &&
		    (lo = hexval(s[i + 2])) >= 0) {

			r[n++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			r[n++] = plus && s[i] == '+' ? ' ' : s[i];
		}
	}
	r[n] = '\0';
	if (out_len)
		*out_len = n;
	return r;
}

bool jx__kvs_add(jx__arena *a, jx__kvs *k, const char *name, const char *value, size_t vlen,
                 const char *filename)
{
	if (k->n >= MAX_PAIRS)
		return false;
	if (k->n == k->cap) {
		size_t cap = k->cap ? k->cap * 2 : 32;
		jx__kv *v = jx__arena_alloc(a, cap * sizeof(*v));
		if (!v)
			return false;
		if (k->n)
			memcpy(v, k->v, k->n * sizeof(*v));
		k->v = v;
		k->cap = cap;
	}
	k->v[k->n++] = (jx__kv){name, value, vlen, filename};
	return true;
}

bool jx__form_parse(jx__arena *a, const char *s, size_t len, jx__kvs *out)
{
	size_t i = 0;
	while (i < len) {
		const char *amp = memchr(s + i, '&', len - i);
		size_t end = amp ? (size_t)(amp - s) : len;
		const char *eq = memchr(s + i, '=', end - i);
		size_t kend = eq ? (size_t)(eq - s) : end;
		if (kend > i) {
			size_t vlen = 0;
			char *k = decode(a, s + i, kend - i, true, NULL);
			char *v = eq ? decode(a, eq + 1, end - kend - 1, true, &vlen)
			             : jx__arena_strdup(a, "");
			if (!k || !v || !jx__kvs_add(a, out, k, v, vlen, NULL))
				return false;
		}
		i = end + 1;
	}
	return true;
}

const jx__kv *jx__kvs_get(const jx__kvs *k, const char *name)
{
	for (size_t i = 0; i < k->n; i++)
		if (!strcmp(k->v[i].name, name))
			return &k->v[i];
	return NULL;
}

const char *jx__kvs_str(const jx__kvs *k, const char *name)
{
	const jx__kv *v = jx__kvs_get(k, name);
	return v ? v->value : NULL;
}

static const char *memfind(const char *h, size_t hlen, const char *n, size_t nlen)
{
	if (!nlen || hlen < nlen)
		return NULL;
	for (size_t i = 0; i + nlen <= hlen; i++) {
		const char *p = memchr(h + i, n[0], hlen - nlen - i + 1);
		if (!p)
			return NULL;
		if (!memcmp(p, n, nlen))
			return p;
		i = (size_t)(p - h);
	}
	return NULL;
}

/* The value of param (name="…" or name=…) in a header value. */
static char *header_param(jx__arena *a, const char *h, size_t hlen, const char *param)
{
	size_t plen = strlen(param);
	for (size_t i = 0; i + plen < hlen; i++) {
		if ((i == 0 || h[i - 1] == ' ' || h[i - 1] == ';') &&
		    !strncmp(h + i, param, plen) && h[i + plen] == '=') {
			const char *v = h + i + plen + 1, *end = h + hlen;
			if (v < end && *v == '"') {
				const char *q = memchr(v + 1, '"', (size_t)(end - v - 1));
				return q ? jx__arena_strndup(a, v + 1, (size_t)(q - v - 1)) : NULL;
			}
			const char *e = v;
			while (e < end && *e != ';' && *e != ' ' && *e != '\r')
				e++;
			return jx__arena_strndup(a, v, (size_t)(e - v));
		}
	}
	return NULL;
}

/* One part: headers up to a blank line, then its bytes. */
static bool multipart_part(jx__arena *a, const char *p, size_t len, jx__kvs *out)
{
	const char *hend = memfind(p, len, "\r\n\r\n", 4);
	if (!hend)
		return false;
	const char *disp = NULL;
	size_t dlen = 0;
	for (const char *l = p; l < hend;) {
		const char *nl = memfind(l, (size_t)(hend - l), "\r\n", 2);
		const char *le = nl ? nl : hend;
		if ((size_t)(le - l) > 20 && !strncasecmp(l, "content-disposition:", 20)) {
			disp = l + 20;
			dlen = (size_t)(le - disp);
		}
		l = le + (nl ? 2 : 0);
	}
	if (!disp)
		return false;
	char *name = header_param(a, disp, dlen, "name");
	char *filename = header_param(a, disp, dlen, "filename");
	if (!name)
		return false;
	const char *data = hend + 4;
	size_t n = len - (size_t)(data - p);
	char *v = jx__arena_alloc(a, n + 1);
	if (!v)
		return false;
	memcpy(v, data, n);
	return jx__kvs_add(a, out, name, v, n, filename);
}

bool jx__multipart_parse(jx__arena *a, const char *content_type, const char *body, size_t len,
                         jx__kvs *out)
{
	if (!content_type || strncasecmp(content_type, "multipart/form-data", 19))
		return false;
	char *b = header_param(a, content_type, strlen(content_type), "boundary");
	if (!b || !*b || strlen(b) > 200)
		return false;
	char delim[210];
	int dn = snprintf(delim, sizeof delim, "--%s", b);
	const char *p = memfind(body, len, delim, (size_t)dn);
	while (p) {
		p += dn;
		size_t rest = len - (size_t)(p - body);
		if (rest >= 2 && !memcmp(p, "--", 2))
			return true; /* the closing delimiter */
		if (rest < 2 || memcmp(p, "\r\n", 2))
			return false;
		p += 2;
		rest -= 2;
		char ndelim[214];
		int nn = snprintf(ndelim, sizeof ndelim, "\r\n%s", delim);
		const char *next = memfind(p, rest, ndelim, (size_t)nn);
		if (!next || !multipart_part(a, p, (size_t)(next - p), out))
			return false;
		p = next + 2;
	}
	return false;
}

const char *jx__cookie_get(jx__arena *a, const char *h, const char *name)
{
	if (!h)
		return NULL;
	size_t nlen = strlen(name);
	const char *p = h;
	while (*p) {
		while (*p == ' ' || *p == ';')
			p++;
		const char *e = strchr(p, ';');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		if (l > nlen && !strncmp(p, name, nlen) && p[nlen] == '=')
			return jx__arena_strndup(a, p + nlen + 1, l - nlen - 1);
		p += l;
	}
	return NULL;
}

bool jx__path_split(jx__arena *a, const char *path, const char **seg, size_t max, size_t *n)
{
	*n = 0;
	const char *p = path;
	while (*p) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		const char *e = strchr(p, '/');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		if (*n == max)
			return false;
		size_t dl;
		char *s = decode(a, p, l, false, &dl);
		if (!s || dl != strlen(s) || !strcmp(s, ".") || !strcmp(s, "..") || strchr(s, '/'))
			return false;
		seg[(*n)++] = s;
		p += l;
	}
	return true;
}
