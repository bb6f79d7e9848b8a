/* Responses and the page frame.  Every text that came from a user or a
 * data file goes through jx__esc; pages carry no inline script, so the
 * Content-Security-Policy can forbid it. */
#include "web.h"

#include "../render/writers.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static char *dup(const jx_allocator *a, const char *s)
{
	size_t n = strlen(s) + 1;
	char *r = jx__alloc(a, n);
	if (r)
		memcpy(r, s, n);
	return r;
}

void jx__resp_header(jx__ctx *c, const char *name, const char *value)
{
	jx_web_response *rs = c->rs;
	if (rs->nheaders == JX_WEB_MAX_HEADERS)
		return;
	char *n = dup(c->app->alloc, name), *v = dup(c->app->alloc, value);
	if (!n || !v) {
		jx__free(c->app->alloc, n);
		jx__free(c->app->alloc, v);
		return;
	}
	rs->headers[rs->nheaders][0] = n;
	rs->headers[rs->nheaders][1] = v;
	rs->nheaders++;
}

void jx__resp_body(jx__ctx *c, int status, const char *type, jx__buf *b)
{
	jx_web_response *rs = c->rs;
	jx__free(c->app->alloc, rs->body);
	rs->status = status;
	rs->content_type = type;
	if (b->oom) {
		jx__buf_fini(b);
		rs->status = 500;
		rs->content_type = "text/plain; charset=utf-8";
		rs->body = NULL;
		rs->body_len = 0;
		return;
	}
	rs->body_len = b->len;
	rs->body = jx__buf_take(b);
}

void jx__resp_bytes(jx__ctx *c, int status, const char *type, const char *data, size_t len)
{
	jx__buf b;
	jx__buf_init(&b, c->app->alloc);
	jx__buf_add(&b, data, len);
	jx__resp_body(c, status, type, &b);
}

void jx__resp_redirect(jx__ctx *c, const char *to)
{
	jx__resp_header(c, "Location", to);
	jx__resp_bytes(c, 303, "text/plain; charset=utf-8", "", 0);
}

void jx__resp_error(jx__ctx *c, int status, const char *message)
{
	jx__buf b;
	jx__buf_init(&b, c->app->alloc);
	char title[32];
	snprintf(title, sizeof title, "%d", status);
	jx__page_begin(c, &b, title);
	jx__buf_adds(&b, "<main><h1>");
	jx__esc(&b, message);
	jx__buf_adds(&b, "</h1><p><a href=\"/\">返回首页</a></p></main>");
	jx__page_end(c, &b);
	jx__resp_body(c, status, "text/html; charset=utf-8", &b);
}

static void json_str(jx__buf *b, const char *s)
{
	jx__buf_addc(b, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			jx__buf_printf(b, "\\%c", *p);
		else if (*p < 0x20 || *p == '<' || *p == '>' || *p == '&')
			jx__buf_printf(b, "\\u%04x", *p);
		else
			jx__buf_addc(b, (char)*p);
	}
	jx__buf_addc(b, '"');
}

void jx__resp_json_error(jx__ctx *c, int status, const char *code, const char *message)
{
	jx__buf b;
	jx__buf_init(&b, c->app->alloc);
	jx__buf_adds(&b, "{\"error\":");
	json_str(&b, code);
	jx__buf_adds(&b, ",\"message\":");
	json_str(&b, message);
	jx__buf_adds(&b, "}");
	jx__resp_body(c, status, "application/json", &b);
}

void jx__esc(jx__buf *b, const char *s)
{
	jx__html_esc_raw(b, s);
}

void jx__esc_url(jx__buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.' || *p == '~')
			jx__buf_addc(b, (char)*p);
		else
			jx__buf_printf(b, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
	}
}

void jx__csrf_field(jx__ctx *c, jx__buf *b)
{
	jx__buf_printf(b, "<input type=\"hidden\" name=\"_csrf\" value=\"%s\">", c->csrf);
}

const char *jx__fmt_time(jx__ctx *c, int64_t t)
{
	if (t <= 0)
		return "";
	time_t tt = (time_t)t + 8 * 3600; /* 北京时间 */
	struct tm tm;
	gmtime_r(&tt, &tm);
	return jx__arena_printf(&c->a, "%04d-%02d-%02d %02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
	                        tm.tm_mday, tm.tm_hour, tm.tm_min);
}

const char *jx__dec_text(jx__ctx *c, bool has, jx_dec v)
{
	if (!has)
		return "";
	char buf[64];
	jx_dec_format(v, 2, buf, sizeof buf);
	return jx__arena_strdup(&c->a, buf);
}

static const char *role_cn(jx_role r)
{
	return r == JX_ROLE_ADMIN ? "管理员" : r == JX_ROLE_REVIEWER ? "审核人" : "填报人";
}

void jx__page_begin(jx__ctx *c, jx__buf *b, const char *title)
{
	jx__buf_adds(b, "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
	                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	                "<title>");
	jx__esc(b, title);
	jx__buf_adds(b, " · 绩效自评</title><link rel=\"stylesheet\" href=\"/assets/app.css\">"
	                "<script src=\"/assets/app.js\" defer></script></head><body>"
	                "<header class=\"top\"><a class=\"brand\" href=\"/\">绩效自评</a><nav>");
	if (c->logged_in) {
		if (c->user.role == JX_ROLE_FILLER) {
			jx__buf_adds(b, "<a href=\"/\">本单位</a>");
		} else {
			jx__buf_adds(
			        b, "<a href=\"/desk\">审核台</a><a href=\"/desk/rules\">按规则</a>"
			           "<a href=\"/desk/summary\">汇总</a>");
		}
		if (c->user.role == JX_ROLE_ADMIN)
			jx__buf_adds(b, "<a href=\"/admin\">账户与单位</a>");
	}
	jx__buf_adds(b, "<a href=\"/public\">公开</a></nav><div class=\"who\">");
	if (c->logged_in) {
		jx__esc(b, c->user.name);
		jx__buf_printf(b, "（%s", role_cn(c->user.role));
		if (c->user.unit[0]) {
			jx__buf_adds(b, " · ");
			jx__esc(b, c->user.unit);
		}
		jx__buf_adds(b, "）<form method=\"post\" action=\"/logout\" class=\"inline\">");
		jx__csrf_field(c, b);
		jx__buf_adds(b, "<button type=\"submit\">退出</button></form>");
	} else {
		jx__buf_adds(b, "<a href=\"/login\">登录</a>");
	}
	jx__buf_adds(b, "</div></header>\n");
}

void jx__page_end(jx__ctx *c, jx__buf *b)
{
	(void)c;
	jx__buf_adds(b, "\n<footer>jixiao " JX_VERSION "</footer></body></html>\n");
}
