/* jixiao serve: the web application on the store.  Departments fill in
 * and submit, the finance bureau reviews, returns, accepts and publishes;
 * the public reads what is published.
 *
 * Two layers: jx_web_* handles one request in memory (no sockets: the
 * tests and the fuzzer drive it directly), and jx_server_* puts it on
 * libmicrohttpd.  Neither prints; the server reports each request through
 * the caller's log callback. */
#ifndef JIXIAO_SERVE_H
#define JIXIAO_SERVE_H

#include "jixiao/store.h"

typedef void (*jx_log_fn)(void *ctx, const char *line);

typedef struct jx_serve_opts {
	const char *db_path;
	const char *listen; /* "127.0.0.1:8080"; port 0 picks a free one */
	jx_scheme_resolver resolve;
	void *resolve_ctx;
	const jx_scheme *default_scheme; /* new drafts and uploaded workbooks */
	size_t body_limit;               /* bytes; 0: 8 MiB */
	unsigned timeout;                /* idle seconds per connection; 0: 15 */
	unsigned threads;                /* 0: 2 */
	int64_t session_ttl;             /* seconds; 0: 8 hours */
	unsigned login_limit;            /* failed logins per minute and address; 0: 5 */
	const char *tmpdir;              /* for rendered files; NULL: $TMPDIR or /tmp */
	jx_log_fn log;
	void *log_ctx;
	const jx_allocator *alloc;
} jx_serve_opts;

/* ---- one request, in memory ---- */

typedef struct jx_web_app jx_web_app;

typedef struct jx_web_request {
	const char *method, *path, *query; /* query without '?', may be NULL */
	const char *cookie;                /* the Cookie header, may be NULL */
	const char *csrf;                  /* the X-CSRF-Token header, may be NULL */
	const char *content_type, *origin, *host, *remote;
	const char *body;
	size_t body_len;
} jx_web_request;

#define JX_WEB_MAX_HEADERS 8
typedef struct jx_web_response {
	int status;
	const char *content_type;
	char *body; /* owned; free with jx_web_response_fini */
	size_t body_len;
	size_t nheaders;
	char *headers[JX_WEB_MAX_HEADERS][2]; /* owned name/value pairs */
} jx_web_response;

jx_web_app *jx_web_app_new(const jx_serve_opts *o, jx_diags *diags);
void jx_web_app_free(jx_web_app *app);
/* Always fills rs (an error page at worst); safe from several threads. */
void jx_web_handle(jx_web_app *app, const jx_web_request *rq, jx_web_response *rs);
void jx_web_response_fini(jx_web_app *app, jx_web_response *rs);
/* The body limit the app was made with (the server answers 413 above it). */
size_t jx_web_body_limit(const jx_web_app *app);

/* ---- the server ---- */

typedef struct jx_server jx_server;

/* Starts listening in background threads; NULL with a diagnostic if the
 * store cannot be opened or the address cannot be bound. */
jx_server *jx_server_start(const jx_serve_opts *o, jx_diags *diags);
unsigned jx_server_port(const jx_server *s);
void jx_server_stop(jx_server *s);

#endif
