/* libFuzzer target: the web application's request handling in memory
 * (jx_web_handle, no sockets).  A store with three accounts (admin,
 * reviewer, filler of unit 101001) and the example imported as unit
 * 101001 is made once; each account is logged in once through POST /login
 * and its session cookie and CSRF token (read back from a page) kept.
 *
 * An input is split into a request:
 *   byte 0  method: GET, POST, HEAD, or PUT
 *   byte 1  cookie: the admin's, the reviewer's, the filler's, none, or
 *           the header line below as the whole Cookie header (garbage)
 *   byte 2  content type: none, form, multipart with boundary XyZ, JSON,
 *           or the header line below
 *   byte 3  X-CSRF-Token: none, the session's, or the header line below
 *   then    path[?query] up to '\n', a header line up to '\n', the body.
 * Every response must have a status in 100..599 and a content type.
 *
 * Requests that change the store (a POST other than /login and
 * /api/evaluate) are answered, then the store is put back as it was (the
 * app is closed, the database file replaced by the pristine copy, the app
 * reopened), so every input starts from the same state and a crash
 * reproduces from its input alone.  Report downloads (rev/N.docx, .xlsx,
 * .html and the desk's summaries) render and write whole files: they are
 * kept, as they are few, but see fuzz/run.sh for the exec/s. */
#include "common.h"
#include "jixiao/serve.h"
#include "jixiao/store.h"

#include <stdint.h>
#include <strings.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[] = "/tmp/jixiao-fuzz-http-XXXXXX";
static char db[96];
static jx_scheme *scheme;
static jx_serve_opts opts;
static jx_web_app *app;
static char *pristine; /* the database file after setup */
static size_t pristine_len;
static bool verbose; /* FUZZ_HTTP_VERBOSE=1: one line per request */

enum { ADMIN, REVIEWER, FILLER, NACCOUNTS };
static const char *const names[NACCOUNTS] = {"admin", "rev", "fill"};
static const char *const passwords[NACCOUNTS] = {"pw-admin-1", "pw-review-1", "pw-fill-1"};
static char cookie[NACCOUNTS][128];
static char csrf[NACCOUNTS][65];

static const jx_scheme *resolve(void *ctx, const char *name, const char *file, jx_diags *d)
{
	(void)ctx, (void)file;
	if (!name || !strcmp(name, jx_scheme_id(scheme)))
		return scheme;
	jx_diags_add(d, JX_SEV_FATAL, "C01", NULL, 0, 0, NULL, "no such scheme");
	return NULL;
}

static void check_response(const jx_web_response *rs)
{
	if (rs->status < 100 || rs->status > 599 || !rs->content_type) {
		fprintf(stderr, "fuzz_http: status %d, content type %s\n", rs->status,
		        rs->content_type ? rs->content_type : "(null)");
		abort();
	}
	if (rs->body_len && !rs->body)
		abort();
	for (size_t i = 0; i < rs->nheaders; i++)
		if (!rs->headers[i][0] || !rs->headers[i][1])
			abort();
}

static void open_app(void)
{
	jx_diags *d = jx_diags_new(NULL);
	app = jx_web_app_new(&opts, d);
	if (!app)
		abort();
	jx_diags_free(d);
}

static void write_file(const char *path, const char *buf, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f) != 0)
		abort();
}

/* Closes the app (its store), puts the pristine database back, reopens. */
static void reset_store(void)
{
	jx_web_app_free(app);
	char p[128];
	snprintf(p, sizeof p, "%s-wal", db);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", db);
	unlink(p);
	write_file(db, pristine, pristine_len);
	open_app();
}

static void login(int who)
{
	char body[128];
	snprintf(body, sizeof body, "name=%s&password=%s", names[who], passwords[who]);
	jx_web_request rq = {.method = "POST",
	                     .path = "/login",
	                     .content_type = "application/x-www-form-urlencoded",
	                     .remote = "127.0.0.1",
	                     .body = body,
	                     .body_len = strlen(body)};
	jx_web_response rs;
	jx_web_handle(app, &rq, &rs);
	check_response(&rs);
	for (size_t i = 0; i < rs.nheaders; i++) {
		const char *v = rs.headers[i][1];
		if (!strcasecmp(rs.headers[i][0], "Set-Cookie") && !strncmp(v, "jx_session=", 11)) {
			size_t n = strcspn(v, ";");
			snprintf(cookie[who], sizeof cookie[who], "%.*s", (int)n, v);
		}
	}
	jx_web_response_fini(app, &rs);
	if (strlen(cookie[who]) != 11 + 64) {
		fprintf(stderr, "fuzz_http: login of %s failed\n", names[who]);
		abort();
	}
	/* The CSRF token, from the account's first page (its logout form). */
	static const char *const pages[NACCOUNTS] = {"/admin", "/desk", "/unit/101001/2023"};
	jx_web_request get = {.method = "GET", .path = pages[who], .cookie = cookie[who]};
	jx_web_handle(app, &get, &rs);
	check_response(&rs);
	const char *m = rs.body ? strstr(rs.body, "name=\"_csrf\" value=\"") : NULL;
	if (!m || strlen(m) < 20 + 64) {
		fprintf(stderr, "fuzz_http: no CSRF token on %s (%d)\n", pages[who], rs.status);
		abort();
	}
	memcpy(csrf[who], m + 20, 64);
	csrf[who][64] = '\0';
	jx_web_response_fini(app, &rs);
}

/* The temporary store goes at exit (libFuzzer exits through exit()). */
static void remove_store(void)
{
	static const char *const tails[] = {"", "-wal", "-shm", "-journal"};
	char p[128];
	for (size_t i = 0; i < sizeof tails / sizeof tails[0]; i++) {
		snprintf(p, sizeof p, "%s%s", db, tails[i]);
		unlink(p);
	}
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	size_t len;
	char *buf = fuzz_read_fixture("JIXIAO_SCHEME", FUZZ_SCHEME, &len);
	scheme = fuzz_must_load_scheme("scheme.yaml", buf, len);
	free(buf);
	if (!mkdtemp(dir))
		abort();
	snprintf(db, sizeof db, "%s/t.db", dir);
	atexit(remove_store);

	jx_diags *d = jx_diags_new(NULL);
	jx_store *st = jx_store_open(db, JX_STORE_CREATE, NULL, d);
	if (!st || jx_store_user_add(st, names[ADMIN], JX_ROLE_ADMIN, NULL, passwords[ADMIN], d) ||
	    jx_store_user_add(st, names[REVIEWER], JX_ROLE_REVIEWER, NULL, passwords[REVIEWER],
	                      d) ||
	    jx_store_user_add(st, names[FILLER], JX_ROLE_FILLER, "101001", passwords[FILLER], d))
		abort();
	/* The example as unit 101001 (it names its unit only by name). */
	buf = fuzz_read_fixture("JIXIAO_EXAMPLE", FUZZ_EXAMPLE, &len);
	const char *u = strstr(buf, "unit: {name:");
	if (!u)
		abort();
	char path[128];
	snprintf(path, sizeof path, "%s/a.yaml", dir);
	FILE *f = fopen(path, "wb");
	if (!f)
		abort();
	fwrite(buf, 1, (size_t)(u - buf), f);
	fputs("unit: {code: \"101001\", name:", f);
	fputs(u + 12, f);
	fclose(f);
	free(buf);
	jx_store_import_opts io = {.resolve = resolve, .now = 0};
	jx_import_result r;
	if (jx_store_import_file(st, &io, path, &r, d) != JX_OK || r.outcome != JX_IMPORT_NEW)
		abort();
	unlink(path);
	jx_store_close(st);
	jx_diags_free(d);

	opts = (jx_serve_opts){.db_path = db,
	                       .resolve = resolve,
	                       .default_scheme = scheme,
	                       .body_limit = 1 << 20,
	                       .tmpdir = dir};
	open_app();
	for (int i = 0; i < NACCOUNTS; i++)
		login(i);
	jx_web_app_free(app); /* closes the store: the WAL is folded in */
	pristine = fuzz_read_fixture(NULL, db, &pristine_len);
	open_app();
	verbose = getenv("FUZZ_HTTP_VERBOSE") != NULL;
	return 0;
}

/* The next piece of the input up to '\n' (NUL-terminated copy). */
static char *piece(const uint8_t **p, const uint8_t *end)
{
	const uint8_t *nl = memchr(*p, '\n', (size_t)(end - *p));
	const uint8_t *e = nl ? nl : end;
	size_t n = (size_t)(e - *p);
	char *s = malloc(n + 1);
	if (!s)
		abort();
	memcpy(s, *p, n);
	s[n] = '\0';
	*p = nl ? nl + 1 : end;
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 4 || size > (1 << 20))
		return 0;
	static const char *const methods[] = {"GET", "POST", "HEAD", "PUT"};
	const char *method = methods[data[0] % 4];
	unsigned who = data[1] % 5, ct = data[2] % 5, tok = data[3] % 3;
	const uint8_t *p = data + 4, *end = data + size;
	char *target = piece(&p, end);
	char *line = piece(&p, end);
	size_t body_len = (size_t)(end - p);
	char *body = malloc(body_len + 1); /* exactly the bytes, for ASan */
	if (!body)
		abort();
	memcpy(body, p, body_len);

	char *query = strchr(target, '?');
	if (query)
		*query++ = '\0';
	static const char *const types[] = {NULL, "application/x-www-form-urlencoded",
	                                    "multipart/form-data; boundary=XyZ",
	                                    "application/json; charset=utf-8", NULL};
	jx_web_request rq = {
	        .method = method,
	        .path = target,
	        .query = query,
	        .cookie = who < NACCOUNTS ? cookie[who]
	                  : who == 4      ? line
	                                  : NULL,
	        .csrf = tok == 0   ? NULL
	                : tok == 1 ? (who < NACCOUNTS ? csrf[who] : csrf[0])
	                           : line,
	        .content_type = ct == 4 ? line : types[ct],
	        .origin = NULL,
	        .host = "127.0.0.1",
	        .remote = "127.0.0.1",
	        .body = body,
	        .body_len = body_len,
	};
	jx_web_response rs;
	jx_web_handle(app, &rq, &rs);
	check_response(&rs);
	if (verbose)
		fprintf(stderr, "fuzz_http: %s %s%s%s -> %d %s, %zu bytes\n", method, target,
		        query ? "?" : "", query ? query : "", rs.status, rs.content_type,
		        rs.body_len);
	jx_web_response_fini(app, &rs);

	bool post = !strcmp(method, "POST");
	if (post && strcmp(target, "/login") && strcmp(target, "/api/evaluate"))
		reset_store();
	free(body);
	free(line);
	free(target);
	return 0;
}
