/* Home, login and logout, and the helpers the rooms share. */
#include "app.h"

#include "../render/writers.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int jx__year_param(jx__ctx *c, const char *s)
{
	(void)c;
	if (!s || strlen(s) != 4)
		return 0;
	int y = atoi(s);
	return y >= 2000 && y <= 2100 ? y : 0;
}

/* The year asked for, else the latest year with revisions, else last
 * year (the 自评 is of the year before). */
int jx__default_year(jx__ctx *c)
{
	int y = jx__year_param(c, jx__kvs_str(&c->query, "year"));
	if (y)
		return y;
	int latest;
	if (jx_store_years(c->st, &latest, 1, c->diags) == 1)
		return latest;
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	return tm.tm_year + 1900 - 1;
}

const jx_scheme *jx__scheme_named(jx__ctx *c, const char *name)
{
	const jx_serve_opts *o = &c->app->o;
	if (!name || !o->resolve)
		return o->default_scheme;
	return o->resolve(o->resolve_ctx, name, "", c->diags);
}

const char *jx__first_message(jx__ctx *c, const char *fallback)
{
	for (size_t i = 0; i < jx_diags_count(c->diags); i++) {
		const jx_diag *g = jx_diags_get(c->diags, i);
		if (g->severity >= JX_SEV_ERROR && g->message)
			return g->message;
	}
	return fallback;
}

static const char *const badge_class[] = {"none",        "draft",    "submitted", "returned",
                                          "resubmitted", "accepted", "published"};

void jx__status_badge(jx__buf *b, jx_wf_status s)
{
	jx__buf_printf(b, "<span class=\"badge %s\">%s</span>", badge_class[s],
	               jx_wf_status_label(s));
}

/* A private temporary file name in the app's directory. */
bool jx__temp_name(jx__ctx *c, const char *ext, char *out, size_t size)
{
	unsigned char r[8];
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	ssize_t got = fd >= 0 ? read(fd, r, sizeof r) : -1;
	if (fd >= 0)
		close(fd);
	if (got != (ssize_t)sizeof r)
		return false;
	int n = snprintf(out, size, "%s/jixiao-web-%02x%02x%02x%02x%02x%02x%02x%02x.%s",
	                 c->app->tmpdir, r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], ext);
	return n > 0 && (size_t)n < size;
}

jx_doc *jx__load_rev(jx__ctx *c, const jx_store_rev *r, jx_diags *findings)
{
	char *src = NULL;
	size_t len = 0;
	jx_doc *doc = NULL;
	const jx_scheme *s = jx__scheme_named(c, r->scheme);
	if (!s || jx_store_source(c->st, r->id, &src, &len, c->diags) != JX_OK)
		return NULL;
	if (!strcmp(r->format, "xlsx")) {
		char tmp[600];
		if (jx__temp_name(c, "xlsx", tmp, sizeof tmp) &&
		    jx__write_atomic(tmp, src, len, c->diags) == JX_OK) {
			doc = jx_import_xlsx(s, tmp, r->file, c->app->alloc, c->diags, NULL);
			unlink(tmp);
		}
	} else {
		doc = jx_doc_load_mem(s, r->file, src, len, c->app->alloc, c->diags);
	}
	jx__free(c->app->alloc, src);
	jx_diags *f = findings ? findings : jx_diags_new(c->app->alloc);
	if (doc && (!f || jx_doc_evaluate(doc, f) != JX_OK)) {
		jx_doc_free(doc);
		doc = NULL;
	}
	if (!findings)
		jx_diags_free(f);
	return doc;
}

static const char *mime_of(const char *fmt)
{
	if (!strcmp(fmt, "docx"))
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
	if (!strcmp(fmt, "xlsx"))
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	if (!strcmp(fmt, "yaml"))
		return "text/yaml; charset=utf-8";
	return "text/html; charset=utf-8";
}

void jx__send_file(jx__ctx *c, const char *path, const char *fmt, const char *name, bool attachment)
{
	size_t len = 0;
	char *data = jx_read_file(path, c->app->alloc, &len, c->diags);
	unlink(path);
	if (!data) {
		jx__resp_error(c, 500, "生成文件失败");
		return;
	}
	jx__buf b = {0};
	jx__buf_init(&b, c->app->alloc);
	jx__buf_add(&b, data, len);
	jx__free(c->app->alloc, data);
	jx__resp_body(c, 200, mime_of(fmt), &b);
	if (attachment) {
		jx__buf h;
		jx__buf_init(&h, c->app->alloc);
		jx__buf_adds(&h, "attachment; filename=\"report.");
		jx__buf_adds(&h, fmt);
		jx__buf_adds(&h, "\"; filename*=UTF-8''");
		jx__esc_url(&h, name);
		jx__buf_addc(&h, '.');
		jx__buf_adds(&h, fmt);
		if (!h.oom)
			jx__resp_header(c, "Content-Disposition", h.data);
		jx__buf_fini(&h);
	}
}

void jx__send_report(jx__ctx *c, jx_doc *doc, const jx_diags *findings, const char *fmt,
                     const char *name, bool attachment, int64_t when)
{
	char tmp[600];
	jx_report_opts ro = {.timestamp = when}; /* the revision's time, not now */
	if (!jx__temp_name(c, fmt, tmp, sizeof tmp) ||
	    jx_report_write(doc, findings, fmt, tmp, &ro, c->diags) != JX_OK) {
		unlink(tmp);
		jx__resp_error(c, 500, jx__first_message(c, "生成报告失败"));
		return;
	}
	jx__send_file(c, tmp, fmt, name, attachment);
}

void jx__send_rev_report(jx__ctx *c, const jx_store_rev *r, const char *fmt, const char *name,
                         bool attachment)
{
	jx_diags *findings = jx_diags_new(c->app->alloc);
	jx_doc *doc = findings ? jx__load_rev(c, r, findings) : NULL;
	if (!doc)
		jx__resp_error(c, 500, "无法读取此版本");
	else
		jx__send_report(c, doc, findings, fmt, name, attachment, r->imported_at);
	jx_doc_free(doc);
	jx_diags_free(findings);
}

/* ---- home, login, logout ---- */

void jx__page_home(jx__ctx *c)
{
	if (!c->logged_in) {
		jx__resp_redirect(c, "/public");
		return;
	}
	if (c->user.role == JX_ROLE_ADMIN) {
		jx__resp_redirect(c, "/admin");
		return;
	}
	if (c->user.role == JX_ROLE_REVIEWER) {
		jx__resp_redirect(c, "/desk");
		return;
	}
	jx_store_rev r;
	int year = jx_store_find(c->st, c->user.unit, 0, 0, &r, c->diags) == JX_OK
	                   ? r.year
	                   : jx__default_year(c);
	jx__buf b;
	jx__buf_init(&b, c->app->alloc);
	jx__buf_adds(&b, "/unit/");
	jx__esc_url(&b, c->user.unit);
	jx__buf_printf(&b, "/%d", year);
	if (!b.oom)
		jx__resp_redirect(c, b.data);
	jx__buf_fini(&b);
}

void jx__page_login(jx__ctx *c, const char *error, int status)
{
	jx__buf b;
	jx__buf_init(&b, c->app->alloc);
	jx__page_begin(c, &b, "登录");
	jx__buf_adds(&b, "<main class=\"narrow\"><h1>登录</h1>");
	if (error) {
		jx__buf_adds(&b, "<p class=\"error\" role=\"alert\">");
		jx__esc(&b, error);
		jx__buf_adds(&b, "</p>");
	}
	jx__buf_adds(&b, "<form method=\"post\" action=\"/login\" class=\"stack\">"
	                 "<label>账户<input name=\"name\" autocomplete=\"username\" required "
	                 "autofocus></label><label>密码<input name=\"password\" type=\"password\" "
	                 "autocomplete=\"current-password\" required></label>"
	                 "<button type=\"submit\">登录</button></form></main>");
	jx__page_end(c, &b);
	jx__resp_body(c, status, "text/html; charset=utf-8", &b);
}

/* A login form from another site is refused (the session cookie is
 * SameSite=Strict; this covers the login itself). */
static bool same_origin(const jx__ctx *c)
{
	const char *o = c->rq->origin, *h = c->rq->host;
	if (!o || !*o || !strcmp(o, "null"))
		return !o || !*o;
	if (!h)
		return false;
	const char *p = strstr(o, "://");
	return p && !strcmp(p + 3, h);
}

void jx__do_login(jx__ctx *c)
{
	if (!same_origin(c)) {
		jx__resp_error(c, 403, "登录请求来自其他网站，已拒绝");
		return;
	}
	if (!jx__login_allowed(c)) {
		jx__page_login(c, "登录失败次数过多，请一分钟后再试", 429);
		return;
	}
	const char *name = jx__kvs_str(&c->form, "name");
	const char *pw = jx__kvs_str(&c->form, "password");
	jx_store_user u;
	if (!name || !pw || jx_store_user_login(c->st, name, pw, &u, c->diags) != JX_OK) {
		jx__login_failed(c);
		{
			jx__page_login(c, "账户或密码不正确", 401);
			return;
		}
	}
	char token[65], csrf[65];
	int64_t now = (int64_t)time(NULL);
	if (jx_store_session_new(c->st, u.id, now, c->app->ttl, token, csrf, c->diags) != JX_OK) {
		jx__resp_error(c, 503, "无法建立会话");
		return;
	}
	char cookie[200];
	snprintf(cookie, sizeof cookie,
	         "jx_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld", token,
	         (long long)c->app->ttl);
	jx__resp_header(c, "Set-Cookie", cookie);
	jx__resp_redirect(c, "/");
}

void jx__do_logout(jx__ctx *c)
{
	jx_store_session_end(c->st, c->token, c->diags);
	jx__resp_header(c, "Set-Cookie",
	                "jx_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
	jx__resp_redirect(c, "/login");
}
