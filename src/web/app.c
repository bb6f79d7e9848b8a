/* One request: parse, find the session, check the CSRF token on every
 * change, route, answer.  Authorisation is decided here and in the
 * handlers by role and unit; the store never sees a request it should
 * not. */
#include "app.h"

#include <errno.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void close_store(void *p)
{
	jx_store_close(p);
}

jx_web_app *jx_web_app_new(const jx_serve_opts *o, jx_diags *diags)
{
	const jx_allocator *alloc = o->alloc ? o->alloc : jx_allocator_default();
	jx_web_app *app = jx__alloc(alloc, sizeof(*app));
	if (!app)
		return NULL;
	memset(app, 0, sizeof(*app));
	app->o = *o;
	app->alloc = alloc;
	app->ttl = o->session_ttl ? o->session_ttl : 8 * 3600;
	app->login_limit = o->login_limit ? o->login_limit : 5;
	if (app->login_limit > 16) /* the failures kept per address */
		app->login_limit = 16;
	app->body_limit = o->body_limit ? o->body_limit : 8u << 20;
	const char *tmp = o->tmpdir ? o->tmpdir : getenv("TMPDIR");
	snprintf(app->tmpdir, sizeof app->tmpdir, "%s", tmp && *tmp ? tmp : "/tmp");
	pthread_mutex_init(&app->rl.lock, NULL);
	if (pthread_key_create(&app->store_key, close_store) != 0) {
		jx__free(alloc, app);
		return NULL;
	}
	/* Open once here so a bad path is reported before serving. */
	jx_store *st = jx_store_open(o->db_path, JX_STORE_CREATE, alloc, diags);
	if (!st) {
		jx_web_app_free(app);
		return NULL;
	}
	pthread_setspecific(app->store_key, st);
	return app;
}

void jx_web_app_free(jx_web_app *app)
{
	if (!app)
		return;
	jx_store *st = pthread_getspecific(app->store_key);
	if (st) {
		pthread_setspecific(app->store_key, NULL);
		jx_store_close(st);
	}
	pthread_key_delete(app->store_key);
	pthread_mutex_destroy(&app->rl.lock);
	jx__free(app->alloc, app);
}

size_t jx_web_body_limit(const jx_web_app *app)
{
	return app->body_limit;
}

void jx_web_response_fini(jx_web_app *app, jx_web_response *rs)
{
	const jx_allocator *a = app->alloc;
	jx__free(a, rs->body);
	for (size_t i = 0; i < rs->nheaders; i++) {
		jx__free(a, rs->headers[i][0]);
		jx__free(a, rs->headers[i][1]);
	}
	memset(rs, 0, sizeof(*rs));
}

static jx_store *thread_store(jx_web_app *app, jx_diags *diags)
{
	jx_store *st = pthread_getspecific(app->store_key);
	if (!st) {
		st = jx_store_open(app->o.db_path, JX_STORE_WRITE, app->alloc, diags);
		if (st && pthread_setspecific(app->store_key, st) != 0) {
			jx_store_close(st);
			st = NULL;
		}
	}
	return st;
}

/* ---- login rate limit: failures per address in the last minute ---- */

static struct jx__rl_slot *rl_slot(jx__ratelimit *rl, const char *key)
{
	unsigned h = 5381;
	for (const char *p = key; *p; p++)
		h = h * 33 + (unsigned char)*p;
	struct jx__rl_slot *s = &rl->slot[h % (sizeof rl->slot / sizeof rl->slot[0])];
	if (strncmp(s->key, key, sizeof s->key - 1)) { /* another address: start over */
		memset(s, 0, sizeof(*s));
		snprintf(s->key, sizeof s->key, "%s", key);
	}
	return s;
}

static unsigned recent(const struct jx__rl_slot *s, int64_t now)
{
	unsigned n = 0;
	for (size_t i = 0; i < sizeof s->at / sizeof s->at[0]; i++)
		n += s->at[i] && s->at[i] > now - 60;
	return n;
}

bool jx__login_allowed(jx__ctx *c)
{
	jx__ratelimit *rl = &c->app->rl;
	pthread_mutex_lock(&rl->lock);
	struct jx__rl_slot *s = rl_slot(rl, c->rq->remote ? c->rq->remote : "");
	bool ok = recent(s, (int64_t)time(NULL)) < c->app->login_limit;
	pthread_mutex_unlock(&rl->lock);
	return ok;
}

void jx__login_failed(jx__ctx *c)
{
	jx__ratelimit *rl = &c->app->rl;
	pthread_mutex_lock(&rl->lock);
	struct jx__rl_slot *s = rl_slot(rl, c->rq->remote ? c->rq->remote : "");
	s->at[s->next++ % (sizeof s->at / sizeof s->at[0])] = (int64_t)time(NULL);
	pthread_mutex_unlock(&rl->lock);
}

/* ---- parsing ---- */

static bool json_body(jx__ctx *c)
{
	json_error_t err;
	json_t *o = json_loadb(c->rq->body, c->rq->body_len, JSON_REJECT_DUPLICATES, &err);
	if (!o || !json_is_object(o)) {
		json_decref(o);
		return false;
	}
	const char *k;
	json_t *v;
	bool ok = true;
	json_object_foreach(o, k, v)
	{
		if (!json_is_string(v) || c->form.n >= 20000) {
			ok = false;
			break;
		}
		char *name = jx__arena_strdup(&c->a, k);
		char *val = jx__arena_strndup(&c->a, json_string_value(v), json_string_length(v));
		ok = name && val &&
		     jx__kvs_add(&c->a, &c->form, name, val, json_string_length(v), NULL);
		if (!ok)
			break;
	}
	json_decref(o);
	return ok;
}

static bool parse_body(jx__ctx *c)
{
	const jx_web_request *rq = c->rq;
	const char *ct = rq->content_type ? rq->content_type : "";
	if (!rq->body_len)
		return true;
	if (!strncasecmp(ct, "application/x-www-form-urlencoded", 33))
		return jx__form_parse(&c->a, rq->body, rq->body_len, &c->form);
	if (!strncasecmp(ct, "multipart/form-data", 19))
		return jx__multipart_parse(&c->a, ct, rq->body, rq->body_len, &c->form);
	if (!strncasecmp(ct, "application/json", 16))
		return json_body(c);
	return false;
}

static void find_session(jx__ctx *c)
{
	const char *tok = jx__cookie_get(&c->a, c->rq->cookie, "jx_session");
	if (!tok || strlen(tok) != 64)
		return;
	jx_diags *d = jx_diags_new(c->app->alloc);
	if (d &&
	    jx_store_session_get(c->st, tok, (int64_t)time(NULL), &c->user, c->csrf, d) == JX_OK) {
		c->logged_in = true;
		snprintf(c->token, sizeof c->token, "%s", tok);
	}
	jx_diags_free(d);
}

static bool csrf_ok(jx__ctx *c)
{
	if (!c->logged_in)
		return false;
	const char *t = c->rq->csrf ? c->rq->csrf : jx__kvs_str(&c->form, "_csrf");
	return t && strlen(t) == 64 && sodium_memcmp(t, c->csrf, 64) == 0; /* constant time */
}

/* ---- assets ---- */

static void serve_asset(jx__ctx *c)
{
	const jx__asset *a = c->nseg == 2 ? jx__asset_find(c->seg[1]) : NULL;
	if (!a) {
		jx__resp_error(c, 404, "没有这个文件");
		return;
	}
	jx__resp_bytes(c, 200, a->type, (const char *)a->data, a->len);
	jx__resp_header(c, "Cache-Control", "public, max-age=3600");
}

/* ---- routing ---- */

static bool is(const jx__ctx *c, size_t i, const char *s)
{
	return i < c->nseg && !strcmp(c->seg[i], s);
}

static void route(jx__ctx *c)
{
	bool get = !strcmp(c->rq->method, "GET") || !strcmp(c->rq->method, "HEAD");
	bool post = !strcmp(c->rq->method, "POST");
	if (!get && !post) {
		jx__resp_error(c, 405, "不支持的请求方法");
		return;
	}
	if (get && is(c, 0, "assets")) {
		serve_asset(c);
		return;
	}
	if (c->nseg == 0) {
		get ? jx__page_home(c) : jx__resp_error(c, 405, "不支持的请求方法");
		return;
	}
	if (is(c, 0, "login") && c->nseg == 1) {
		get ? jx__page_login(c, NULL, 200) : jx__do_login(c);
		return;
	}
	if (is(c, 0, "public")) {
		get ? jx__page_public(c) : jx__resp_error(c, 405, "不支持的请求方法");
		return;
	}
	/* everything below needs an account */
	if (!c->logged_in) {
		if (get && !is(c, 0, "api")) {
			jx__resp_redirect(c, "/login");
			return;
		}
		{
			is(c, 0, "api") ? jx__resp_json_error(c, 401, "login", "请先登录")
			                : jx__resp_error(c, 401, "请先登录");
			return;
		}
	}
	if (post && !csrf_ok(c)) {
		is(c, 0, "api")
		        ? jx__resp_json_error(c, 403, "csrf", "缺少或错误的 CSRF 令牌")
		        : jx__resp_error(c, 403, "请求缺少有效的 CSRF 令牌，请刷新页面后重试");
		return;
	}
	if (is(c, 0, "logout") && c->nseg == 1 && post) {
		jx__do_logout(c);
		return;
	}
	if (is(c, 0, "api") && is(c, 1, "evaluate") && c->nseg == 2 && post) {
		jx__api_evaluate(c);
		return;
	}
	if (is(c, 0, "unit")) {
		jx__route_unit(c, get);
		return;
	}
	if (is(c, 0, "desk")) {
		get ? jx__route_desk(c) : jx__resp_error(c, 405, "不支持的请求方法");
		return;
	}
	if (is(c, 0, "admin")) {
		jx__route_admin(c, get);
		return;
	}
	jx__resp_error(c, 404, "没有这个页面");
}

void jx_web_handle(jx_web_app *app, const jx_web_request *rq, jx_web_response *rs)
{
	jx__ctx c = {.app = app, .rq = rq, .rs = rs};
	memset(rs, 0, sizeof(*rs));
	jx__arena_init(&c.a, app->alloc, 16384);
	c.diags = jx_diags_new(app->alloc);
	if (!c.diags) {
		rs->status = 503;
		goto out;
	}
	if (!(c.st = thread_store(app, c.diags))) {
		jx__resp_error(&c, 503, "数据库暂时不可用");
		goto out;
	}
	if (!rq->method || !rq->path || !jx__path_split(&c.a, rq->path, c.seg, 8, &c.nseg)) {
		jx__resp_error(&c, 400, "请求路径无效");
		goto out;
	}
	if (rq->body_len > app->body_limit) {
		jx__resp_error(&c, 413, "上传的内容过大");
		goto out;
	}
	if ((rq->query && !jx__form_parse(&c.a, rq->query, strlen(rq->query), &c.query)) ||
	    !parse_body(&c)) {
		jx__resp_error(&c, 400, "请求内容无法解析");
		goto out;
	}
	find_session(&c);
	route(&c);
out:
	if (!rs->status)
		rs->status = 500;
	if (!rs->content_type)
		rs->content_type = "text/plain; charset=utf-8";
	jx_diags_free(c.diags);
	jx__arena_fini(&c.a);
}
