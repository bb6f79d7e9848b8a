/* The web application without sockets: the request parsers (forms,
 * multipart, cookies, paths) on exact inputs, and whole requests through
 * jx_web_handle — login, the CSRF check, live evaluation with exact
 * results, a save and its refused submission, roles kept apart. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "jixiao/serve.h"
#include "web/web.h"

#ifndef SRCDIR
#define SRCDIR "."
#endif

/* ---- parsers ---- */

static void form_pairs(void **state)
{
	(void)state;
	jx__arena a;
	jx__arena_init(&a, jx_allocator_default(), 4096);
	jx__kvs k = {0};
	const char *s = "a=1&b=%E4%B8%AD+x&c&=d&e=%zz&f=%4";
	assert_true(jx__form_parse(&a, s, strlen(s), &k));
	assert_int_equal(k.n, 5);
	assert_string_equal(jx__kvs_str(&k, "a"), "1");
	assert_string_equal(jx__kvs_str(&k, "b"), "中 x");
	assert_string_equal(jx__kvs_str(&k, "c"), "");
	assert_string_equal(jx__kvs_str(&k, "e"), "%zz"); /* a bad escape stays as written */
	assert_string_equal(jx__kvs_str(&k, "f"), "%4");
	assert_null(jx__kvs_str(&k, "d"));
	jx__arena_fini(&a);
}

static void multipart(void **state)
{
	(void)state;
	jx__arena a;
	jx__arena_init(&a, jx_allocator_default(), 4096);
	jx__kvs k = {0};
	static const char body[] =
	        "--XyZ\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n"
	        "abc\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; "
	        "filename=\"填报.xlsx\"\r\nContent-Type: application/octet-stream"
	        "\r\n\r\nPK\003\004\000\001\r\n--XyZ--\r\n";
	assert_true(jx__multipart_parse(&a, "multipart/form-data; boundary=XyZ", body,
	                                sizeof body - 1, &k));
	assert_int_equal(k.n, 2);
	assert_string_equal(jx__kvs_str(&k, "_csrf"), "abc");
	const jx__kv *f = jx__kvs_get(&k, "file");
	assert_non_null(f);
	assert_string_equal(f->filename, "填报.xlsx");
	assert_int_equal(f->value_len, 6);
	assert_memory_equal(f->value, "PK\003\004\000\001", 6);
	jx__kvs bad = {0};
	assert_false(jx__multipart_parse(&a, "multipart/form-data; boundary=XyZ", body, 40, &bad));
	assert_false(jx__multipart_parse(&a, "multipart/form-data", body, sizeof body - 1, &bad));
	jx__arena_fini(&a);
}

static void cookies_and_paths(void **state)
{
	(void)state;
	jx__arena a;
	jx__arena_init(&a, jx_allocator_default(), 4096);
	assert_string_equal(jx__cookie_get(&a, "x=1; jx_session=abc; y=2", "jx_session"), "abc");
	assert_null(jx__cookie_get(&a, "jx_sessionx=abc", "jx_session"));
	assert_null(jx__cookie_get(&a, NULL, "jx_session"));
	const char *seg[8];
	size_t n;
	assert_true(jx__path_split(&a, "/unit/b%20c//2023/", seg, 8, &n));
	assert_int_equal(n, 3);
	assert_string_equal(seg[1], "b c");
	assert_false(jx__path_split(&a, "/assets/../etc/passwd", seg, 8, &n));
	assert_false(jx__path_split(&a, "/assets/%2e%2e/x", seg, 8, &n));
	assert_false(jx__path_split(&a, "/assets/..%2fapp.js", seg, 8, &n));
	assert_false(jx__path_split(&a, "/a/b/c/d/e/f/g/h/i", seg, 8, &n));
	assert_false(jx__path_split(&a, "/a%00b", seg, 8, &n));
	jx__arena_fini(&a);
}

/* ---- whole requests ---- */

typedef struct web {
	char dir[64], db[128];
	jx_scheme *s;
	jx_web_app *app;
	char cookie[100], csrf[65];
} web;

static const jx_scheme *resolve(void *c, const char *name, const char *file, jx_diags *d)
{
	(void)name, (void)file, (void)d;
	return ((web *)c)->s;
}

static jx_web_response call(web *w, const char *method, const char *path, const char *query,
                            const char *body, bool with_csrf)
{
	jx_web_request rq = {.method = method,
	                     .path = path,
	                     .query = query,
	                     .cookie = w->cookie[0] ? w->cookie : NULL,
	                     .csrf = with_csrf ? w->csrf : NULL,
	                     .content_type = "application/x-www-form-urlencoded",
	                     .host = "127.0.0.1:1",
	                     .remote = "127.0.0.1",
	                     .body = body ? body : "",
	                     .body_len = body ? strlen(body) : 0};
	jx_web_response rs;
	jx_web_handle(w->app, &rq, &rs);
	return rs;
}

static const char *header(const jx_web_response *rs, const char *name)
{
	for (size_t i = 0; i < rs->nheaders; i++)
		if (!strcmp(rs->headers[i][0], name))
			return rs->headers[i][1];
	return NULL;
}

/* Logs in; keeps the cookie and the page's CSRF token. */
static void login(web *w, const char *name, const char *pw)
{
	char body[200];
	snprintf(body, sizeof body, "name=%s&password=%s", name, pw);
	w->cookie[0] = '\0';
	jx_web_response rs = call(w, "POST", "/login", NULL, body, false);
	assert_int_equal(rs.status, 303);
	const char *set = header(&rs, "Set-Cookie");
	assert_non_null(set);
	assert_non_null(strstr(set, "HttpOnly; SameSite=Strict"));
	snprintf(w->cookie, sizeof w->cookie, "%.75s", set);
	jx_web_response_fini(w->app, &rs);
	rs = call(w, "GET", "/public", NULL, NULL, false);
	const char *p = strstr(rs.body, "name=\"_csrf\" value=\"");
	assert_non_null(p);
	snprintf(w->csrf, sizeof w->csrf, "%.64s", p + 20);
	jx_web_response_fini(w->app, &rs);
}

static int setup(void **state)
{
	web *w = calloc(1, sizeof(*w));
	snprintf(w->dir, sizeof w->dir, "/tmp/jx-web-XXXXXX");
	assert_non_null(mkdtemp(w->dir));
	snprintf(w->db, sizeof w->db, "%s/w.db", w->dir);
	jx_diags *d = jx_diags_new(NULL);
	w->s = jx_scheme_load_file(SRCDIR "/schemes/hunan-dept-overall.yaml", NULL, d);
	assert_non_null(w->s);
	jx_store *st = jx_store_open(w->db, JX_STORE_CREATE, NULL, d);
	assert_non_null(st);
	assert_int_equal(jx_store_user_add(st, "admin", JX_ROLE_ADMIN, NULL, "pw-admin-1", d),
	                 JX_OK);
	assert_int_equal(jx_store_user_add(st, "rev", JX_ROLE_REVIEWER, NULL, "pw-rev-1", d),
	                 JX_OK);
	assert_int_equal(jx_store_user_add(st, "fill", JX_ROLE_FILLER, "101001", "pw-fill-1", d),
	                 JX_OK);
	jx_store_close(st);
	jx_serve_opts o = {.db_path = w->db,
	                   .resolve = resolve,
	                   .resolve_ctx = w,
	                   .default_scheme = w->s,
	                   .tmpdir = w->dir};
	w->app = jx_web_app_new(&o, d);
	assert_non_null(w->app);
	jx_diags_free(d);
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	web *w = *state;
	jx_web_app_free(w->app);
	jx_scheme_free(w->s);
	char cmd[200];
	snprintf(cmd, sizeof cmd, "rm -rf %s", w->dir);
	assert_int_equal(system(cmd), 0);
	free(w);
	return 0;
}

static const char indicators[] =
        "unit.name=%E6%B5%8B%E8%AF%95"
        "&self_eval.indicators%5B0%5D.level1=%E4%BA%A7%E5%87%BA"
        "&self_eval.indicators%5B0%5D.level2=%E6%95%B0%E9%87%8F"
        "&self_eval.indicators%5B0%5D.name=A&self_eval.indicators%5B0%5D.weight=50"
        "&self_eval.indicators%5B0%5D.stated_score=45"
        "&self_eval.indicators%5B3%5D.level1=%E6%95%88%E7%9B%8A"
        "&self_eval.indicators%5B3%5D.level2=%E7%A4%BE%E4%BC%9A%E6%95%88%E7%9B%8A"
        "&self_eval.indicators%5B3%5D.name=B&self_eval.indicators%5B3%5D.weight=30"
        "&self_eval.indicators%5B3%5D.stated_score=30";

static void evaluate_and_save(void **state)
{
	web *w = *state;
	jx_web_response rs = call(w, "POST", "/api/evaluate", "year=2023", indicators, false);
	assert_int_equal(rs.status, 401); /* no session */
	jx_web_response_fini(w->app, &rs);
	login(w, "fill", "pw-fill-1");
	rs = call(w, "POST", "/api/evaluate", "year=2023", indicators, false);
	assert_int_equal(rs.status, 403); /* no CSRF token */
	jx_web_response_fini(w->app, &rs);
	rs = call(w, "POST", "/api/evaluate", "year=2023", indicators, true);
	assert_int_equal(rs.status, 200);
	assert_string_equal(rs.content_type, "application/json");
	assert_non_null(strstr(rs.body, "\"total\":\"75.00\",\"grade\":\"中\""));
	assert_non_null(strstr(rs.body, "\"score.output\":\"45.00\""));
	assert_non_null(strstr(rs.body, "\"errors\":3,\"warnings\":1,\"unexplained\":1"));
	jx_web_response_fini(w->app, &rs);

	/* a bad amount is named and the rest still computes */
	char bad[sizeof indicators + 64];
	snprintf(bad, sizeof bad, "%s&budget.general.income=4%%EF%%BC%%9884.14", indicators);
	rs = call(w, "POST", "/api/evaluate", "year=2023", bad, true);
	assert_non_null(strstr(rs.body, "\"path\":\"budget.general.income\""));
	assert_non_null(strstr(rs.body, "\"total\":\"75.00\""));
	jx_web_response_fini(w->app, &rs);

	/* saved as revision 1; then submission is refused (errors remain) */
	char body[sizeof indicators + 200];
	snprintf(body, sizeof body, "%s&_base_rev=0&_csrf=%s", indicators, w->csrf);
	rs = call(w, "POST", "/unit/101001/2023/save", NULL, body, false);
	assert_int_equal(rs.status, 303);
	assert_string_equal(header(&rs, "Location"), "/unit/101001/2023?msg=saved");
	jx_web_response_fini(w->app, &rs);
	rs = call(w, "POST", "/unit/101001/2023/save", NULL, body, false);
	assert_int_equal(rs.status, 409); /* base 0 is stale now */
	jx_web_response_fini(w->app, &rs);
	snprintf(body, sizeof body, "_expect_rev=1&_csrf=%s", w->csrf);
	rs = call(w, "POST", "/unit/101001/2023/submit", NULL, body, false);
	assert_int_equal(rs.status, 409);
	assert_non_null(strstr(rs.body, "Q16"));
	jx_web_response_fini(w->app, &rs);
	rs = call(w, "GET", "/unit/101001/2023", NULL, NULL, false);
	assert_int_equal(rs.status, 200);
	assert_non_null(strstr(rs.body, "<output id=\"jx-total\">75.00</output>"));
	assert_non_null(strstr(rs.body, "name=\"self_eval.indicators[1].stated_score\""));
	jx_web_response_fini(w->app, &rs);
	rs = call(w, "GET", "/desk", NULL, NULL, false);
	assert_int_equal(rs.status, 403); /* fillers have no desk */
	jx_web_response_fini(w->app, &rs);
	rs = call(w, "GET", "/unit/102001/2023", NULL, NULL, false);
	assert_int_equal(rs.status, 403); /* nor other units */
	jx_web_response_fini(w->app, &rs);

	login(w, "rev", "pw-rev-1");
	rs = call(w, "GET", "/desk", "year=2023", NULL, false);
	assert_int_equal(rs.status, 200);
	assert_non_null(strstr(rs.body, ">测试</a>"));
	jx_web_response_fini(w->app, &rs);
	snprintf(body, sizeof body, "%s&_base_rev=1&_csrf=%s", indicators, w->csrf);
	rs = call(w, "POST", "/unit/101001/2023/save", NULL, body, false);
	assert_int_equal(rs.status, 403); /* reviewers do not edit */
	jx_web_response_fini(w->app, &rs);
}

static void bad_requests(void **state)
{
	web *w = *state;
	w->cookie[0] = '\0';
	jx_web_response rs = call(w, "GET", "/assets/../../etc/passwd", NULL, NULL, false);
	assert_int_equal(rs.status, 400);
	jx_web_response_fini(w->app, &rs);
	rs = call(w, "GET", "/assets/passwd", NULL, NULL, false);
	assert_int_equal(rs.status, 404);
	jx_web_response_fini(w->app, &rs);
	rs = call(w, "GET", "/assets/app.js", NULL, NULL, false);
	assert_int_equal(rs.status, 200);
	assert_string_equal(rs.content_type, "text/javascript; charset=utf-8");
	jx_web_response_fini(w->app, &rs);
	rs = call(w, "DELETE", "/", NULL, NULL, false);
	assert_int_equal(rs.status, 405);
	jx_web_response_fini(w->app, &rs);
	rs = call(w, "GET", "/unit/101001/2023", NULL, NULL, false);
	assert_int_equal(rs.status, 303);
	assert_string_equal(header(&rs, "Location"), "/login");
	jx_web_response_fini(w->app, &rs);
	for (int i = 0; i < 5; i++) {
		rs = call(w, "POST", "/login", NULL, "name=fill&password=wrong-pw", false);
		assert_int_equal(rs.status, 401);
		jx_web_response_fini(w->app, &rs);
	}
	rs = call(w, "POST", "/login", NULL, "name=fill&password=pw-fill-1", false);
	assert_int_equal(rs.status, 429);
	jx_web_response_fini(w->app, &rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(form_pairs),
	        cmocka_unit_test(multipart),
	        cmocka_unit_test(cookies_and_paths),
	        cmocka_unit_test_setup_teardown(evaluate_and_save, setup, teardown),
	        cmocka_unit_test_setup_teardown(bad_requests, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
