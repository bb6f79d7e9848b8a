/* jx_server: the web application on libmicrohttpd.  Bodies are collected
 * up to the app's limit (413 above it, told by Content-Length before any
 * byte is read when the client sends one); idle connections are closed
 * after the timeout, which also ends slow and half-open ones; every
 * answer carries the security headers. */
#include "app.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

struct jx_server {
	jx_web_app *app;
	struct MHD_Daemon *d;
	unsigned port;
	const jx_allocator *alloc;
};

typedef struct conn_state {
	char *uri; /* as sent: path and query, not yet decoded */
	bool seen;
	jx__buf body;
	bool too_large;
	struct timespec started;
} conn_state;

static const char *header(struct MHD_Connection *con, const char *name)
{
	return MHD_lookup_connection_value(con, MHD_HEADER_KIND, name);
}

static void remote_addr(struct MHD_Connection *con, char *buf, size_t size)
{
	const union MHD_ConnectionInfo *ci =
	        MHD_get_connection_info(con, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	buf[0] = '\0';
	if (!ci || !ci->client_addr)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, buf,
		          (socklen_t)size);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
		          buf, (socklen_t)size);
}

static void security_headers(struct MHD_Response *r, bool asset)
{
	MHD_add_response_header(r, "Content-Security-Policy",
	                        "default-src 'self'; script-src 'self'; style-src 'self' "
	                        "'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; "
	                        "form-action 'self'; base-uri 'none'");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "same-origin");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	if (!asset)
		MHD_add_response_header(r, "Cache-Control", "no-store");
}

static enum MHD_Result send_plain(struct MHD_Connection *con, unsigned status, const char *text)
{
	struct MHD_Response *r =
	        MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", "text/plain; charset=utf-8");
	MHD_add_response_header(r, "Connection", "close");
	security_headers(r, false);
	enum MHD_Result ret = MHD_queue_response(con, status, r);
	MHD_destroy_response(r);
	return ret;
}

static void log_request(jx_server *s, const char *method, const char *url, int status, size_t bytes,
                        const conn_state *cs)
{
	if (!s->app->o.log)
		return;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	double ms = (double)(now.tv_sec - cs->started.tv_sec) * 1e3 +
	            (double)(now.tv_nsec - cs->started.tv_nsec) / 1e6;
	char line[600];
	snprintf(line, sizeof line, "%s %.400s %d %zu %.1fms", method, url, status, bytes, ms);
	s->app->o.log(s->app->o.log_ctx, line);
}

static enum MHD_Result respond(jx_server *s, struct MHD_Connection *con, const char *url,
                               const char *method, conn_state *cs)
{
	char remote[64];
	remote_addr(con, remote, sizeof remote);
	jx__buf_addc(&cs->body, '\0'); /* so text bodies end; not counted */
	jx_web_request rq = {
	        .method = method,
	        .path = url,
	        .query = NULL,
	        .cookie = header(con, MHD_HTTP_HEADER_COOKIE),
	        .csrf = header(con, "X-CSRF-Token"),
	        .content_type = header(con, MHD_HTTP_HEADER_CONTENT_TYPE),
	        .origin = header(con, "Origin"),
	        .host = header(con, MHD_HTTP_HEADER_HOST),
	        .remote = remote,
	        .body = cs->body.data ? cs->body.data : "",
	        .body_len = cs->body.len ? cs->body.len - 1 : 0,
	};
	/* MHD has decoded the path and split off the query: use the URI as
	 * sent, so that decoding happens once, in the app. */
	const char *raw = cs->uri ? cs->uri : url;
	const char *q = strchr(raw, '?');
	char *path = q ? strndup(raw, (size_t)(q - raw)) : NULL;
	rq.path = q ? path : raw;
	rq.query = q ? q + 1 : NULL;
	if (q && !path)
		return send_plain(con, 503, "内存不足\n");
	jx_web_response rs;
	jx_web_handle(s->app, &rq, &rs);
	free(path);
	struct MHD_Response *r = MHD_create_response_from_buffer(
	        rs.body_len, rs.body ? rs.body : (void *)"", MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ret = MHD_NO;
	if (r) {
		MHD_add_response_header(r, "Content-Type", rs.content_type);
		for (size_t i = 0; i < rs.nheaders; i++)
			MHD_add_response_header(r, rs.headers[i][0], rs.headers[i][1]);
		security_headers(r, !strncmp(url, "/assets/", 8));
		ret = MHD_queue_response(con, (unsigned)rs.status, r);
		MHD_destroy_response(r);
	}
	log_request(s, method, url, rs.status, rs.body_len, cs);
	jx_web_response_fini(s->app, &rs);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *con, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
	(void)version;
	jx_server *s = cls;
	conn_state *cs = *con_cls;
	size_t limit = jx_web_body_limit(s->app);
	if (!cs)
		return MHD_NO;
	if (!cs->seen) {
		const char *cl = header(con, MHD_HTTP_HEADER_CONTENT_LENGTH);
		cs->seen = true;
		if (cl && strtoull(cl, NULL, 10) > limit)
			return send_plain(con, 413, "请求内容过大\n");
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (!cs->too_large && cs->body.len + *upload_data_size <= limit)
			jx__buf_add(&cs->body, upload_data, *upload_data_size);
		else
			cs->too_large = true;
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (cs->too_large)
		return send_plain(con, 413, "请求内容过大\n");
	if (cs->body.oom)
		return send_plain(con, 503, "内存不足\n");
	return respond(s, con, url, method, cs);
}

static void on_completed(void *cls, struct MHD_Connection *con, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)con;
	(void)toe;
	conn_state *cs = *con_cls;
	if (cs) {
		jx__buf_fini(&cs->body);
		free(cs->uri);
		free(cs);
		*con_cls = NULL;
	}
}

/* Called first for each request with the URI as sent; what it returns is
 * the request's state from then on. */
static void *uri_log(void *cls, const char *uri, struct MHD_Connection *con)
{
	jx_server *s = cls;
	(void)con;
	conn_state *cs = calloc(1, sizeof(*cs));
	if (!cs)
		return NULL;
	cs->uri = strdup(uri ? uri : "/");
	jx__buf_init(&cs->body, s->alloc);
	clock_gettime(CLOCK_MONOTONIC, &cs->started);
	return cs;
}

static bool parse_listen(const char *listen, struct sockaddr_in *sa)
{
	char host[64];
	const char *colon = listen ? strrchr(listen, ':') : NULL;
	if (!colon || (size_t)(colon - listen) >= sizeof host)
		return false;
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	char *end;
	unsigned long port = strtoul(colon + 1, &end, 10);
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	return *end == '\0' && port <= 65535 && inet_pton(AF_INET, host, &sa->sin_addr) == 1;
}

jx_server *jx_server_start(const jx_serve_opts *o, jx_diags *diags)
{
	struct sockaddr_in sa;
	if (!parse_listen(o->listen ? o->listen : "127.0.0.1:8080", &sa)) {
		jx_diags_add(diags, JX_SEV_FATAL, "W01", NULL, 0, 0, NULL,
		             "监听地址应写作 IPv4地址:端口，如 127.0.0.1:8080");
		return NULL;
	}
	const jx_allocator *alloc = o->alloc ? o->alloc : jx_allocator_default();
	jx_server *s = jx__alloc(alloc, sizeof(*s));
	if (!s)
		return NULL;
	memset(s, 0, sizeof(*s));
	s->alloc = alloc;
	if (!(s->app = jx_web_app_new(o, diags))) {
		jx__free(alloc, s);
		return NULL;
	}
	/* Writers reach localtime() (libzip); read the zone once before the
	 * threads start. */
	tzset();
	unsigned threads = o->threads ? o->threads : 2;

	s->d = MHD_start_daemon(
	        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, 0, NULL, NULL, on_request, s,
	        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE, threads,
	        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)(o->timeout ? o->timeout : 15),
	        MHD_OPTION_CONNECTION_LIMIT, 512u, MHD_OPTION_PER_IP_CONNECTION_LIMIT, 0u,
	        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_URI_LOG_CALLBACK, uri_log,
	        s, MHD_OPTION_END);
	if (!s->d) {
		jx_diags_add(diags, JX_SEV_FATAL, "W02", NULL, 0, 0, NULL,
		             "无法在该地址监听（端口被占用或无权限）");
		jx_web_app_free(s->app);
		jx__free(alloc, s);
		return NULL;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_LISTEN_FD);
	struct sockaddr_in bound;
	socklen_t bl = sizeof bound;
	if (di && getsockname(di->listen_fd, (struct sockaddr *)&bound, &bl) == 0)
		s->port = ntohs(bound.sin_port);
	return s;
}

unsigned jx_server_port(const jx_server *s)
{
	return s->port;
}

void jx_server_stop(jx_server *s)
{
	if (!s)
		return;
	MHD_stop_daemon(s->d);
	jx_web_app_free(s->app);
	jx__free(s->alloc, s);
}
