/* Internals of the web application: parsed requests, the page builder,
 * the scheme-generated form, and the app state shared by handlers. */
#ifndef JX_WEB_H
#define JX_WEB_H

#include "../core/core.h"
#include "jixiao/serve.h"

#include <pthread.h>

/* ---- request parsing (http.c) ---- */

typedef struct jx__kv {
	const char *name, *value;
	size_t value_len;     /* values may hold NUL bytes (uploads) */
	const char *filename; /* multipart file parts; NULL otherwise */
} jx__kv;

typedef struct jx__kvs {
	jx__kv *v;
	size_t n, cap;
} jx__kvs;

/* Decodes application/x-www-form-urlencoded text (also a query string)
 * into pairs allocated in a; false on OOM or over max pairs. */
bool jx__form_parse(jx__arena *a, const char *s, size_t len, jx__kvs *out);
/* Splits multipart/form-data by the boundary named in content_type;
 * false if it is not well formed. */
bool jx__multipart_parse(jx__arena *a, const char *content_type, const char *body, size_t len,
                         jx__kvs *out);
bool jx__kvs_add(jx__arena *a, jx__kvs *k, const char *name, const char *value, size_t vlen,
                 const char *filename);
const jx__kv *jx__kvs_get(const jx__kvs *k, const char *name);
const char *jx__kvs_str(const jx__kvs *k, const char *name); /* NULL if absent */
/* The value of cookie NAME in a Cookie header, copied into a; NULL if absent. */
const char *jx__cookie_get(jx__arena *a, const char *header, const char *name);
/* Path segments of "/a/b/c" (empty segments dropped, %-decoded); false
 * when there are more than max or a segment is "." or "..". */
bool jx__path_split(jx__arena *a, const char *path, const char **seg, size_t max, size_t *n);

/* ---- the app ---- */

/* Failed logins by address: the times of the last few, so "too many in
 * the last minute" is a sliding window (a fixed one would let a burst
 * straddle its edge). */
typedef struct jx__ratelimit {
	pthread_mutex_t lock;
	struct jx__rl_slot {
		char key[64];
		int64_t at[16]; /* ring of failure times */
		unsigned next;
	} slot[256];
} jx__ratelimit;

struct jx_web_app {
	jx_serve_opts o;
	const jx_allocator *alloc;
	pthread_key_t store_key; /* each thread its own connection */
	jx__ratelimit rl;
	char tmpdir[512];
	int64_t ttl;
	unsigned login_limit;
	size_t body_limit;
};

/* One request being handled. */
typedef struct jx__ctx {
	jx_web_app *app;
	const jx_web_request *rq;
	jx_web_response *rs;
	jx__arena a; /* everything of this request */
	jx_store *st;
	jx_diags *diags;
	bool logged_in;
	jx_store_user user;
	char csrf[65];
	char token[65];
	jx__kvs form;  /* body fields (POST) */
	jx__kvs query; /* query fields */
	const char *seg[8];
	size_t nseg;
} jx__ctx;

/* ---- responses (page.c) ---- */

void jx__resp_header(jx__ctx *c, const char *name, const char *value);
void jx__resp_body(jx__ctx *c, int status, const char *type, jx__buf *b); /* takes b */
void jx__resp_bytes(jx__ctx *c, int status, const char *type, const char *data, size_t len);
void jx__resp_redirect(jx__ctx *c, const char *to);
/* A page with the message and status. */
void jx__resp_error(jx__ctx *c, int status, const char *message);
void jx__resp_json_error(jx__ctx *c, int status, const char *code, const char *message);

/* Page frame: <!doctype>, head, the top bar with the user and logout. */
void jx__page_begin(jx__ctx *c, jx__buf *b, const char *title);
void jx__page_end(jx__ctx *c, jx__buf *b);
void jx__esc(jx__buf *b, const char *s);     /* HTML text and attribute values */
void jx__esc_url(jx__buf *b, const char *s); /* one path segment or query value */
void jx__csrf_field(jx__ctx *c, jx__buf *b); /* <input type=hidden name=_csrf> */
const char *jx__fmt_time(jx__ctx *c, int64_t t);
const char *jx__dec_text(jx__ctx *c, bool has, jx_dec v); /* "88.00" or "" */

/* ---- the form (form.c) ---- */

/* Writes the fill-in form of scheme s, prefilled from doc (may be NULL);
 * readonly for reviewers. */
void jx__form_html(jx__ctx *c, jx__buf *b, const jx_scheme *s, const jx_doc *doc, bool readonly);
/* Builds a data file (JSON text, which the YAML loader reads) from the
 * posted fields; force_unit sets unit.code. */
char *jx__form_to_data(jx__ctx *c, const jx_scheme *s, const jx__kvs *form, const char *force_unit,
                       int year, size_t *len);
/* Loads data text for s; on load errors, drops the failing fields and
 * tries again, so what is valid still computes.  load_errors gets the
 * load diagnostics; returns the evaluated doc (findings in findings). */
jx_doc *jx__form_load(jx__ctx *c, const jx_scheme *s, const char *data, size_t len,
                      jx_diags *load_errors, jx_diags *findings);
/* The evaluate endpoint's answer for a loaded doc. */
void jx__form_eval_json(jx__ctx *c, jx__buf *b, const jx_doc *doc, const jx_diags *load_errors,
                        const jx_diags *findings);

/* ---- embedded assets (assets.c, generated) ---- */

typedef struct jx__asset {
	const char *name, *type;
	const unsigned char *data;
	size_t len;
} jx__asset;
const jx__asset *jx__asset_find(const char *name);

#endif
