/* Sessions of the web application.  A session token is 32 random bytes in
 * hex; the store keeps only its SHA-256, so a copy of the database does not
 * let anyone in.  The CSRF token beside it is not a secret from the store
 * and is kept as is. */
#include "store_int.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static void random_hex(char out[65])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(out, 65, raw, sizeof raw);
	sodium_memzero(raw, sizeof raw);
}

static const char sql_session_add[] =
        "INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at)"
        " VALUES ($1, $2, $3, $4, $5)";

jx_status jx_store_session_new(jx_store *st, int64_t user_id, int64_t now, int64_t ttl_seconds,
                               char token[65], char csrf[65], jx_diags *diags)
{
	token[0] = csrf[0] = '\0';
	if (jx__db_readonly(st->db)) {
		jx__db_error(st->db, diags, "Q05", "数据库以只读方式打开，不能登录");
		return JX_ERR_USAGE;
	}
	if (now < 0)
		now = (int64_t)time(NULL);
	char t[65], c[65], hash[65];
	random_hex(t);
	random_hex(c);
	jx__hash_hex(t, 64, hash);
	jx_status s = jx__db_begin(st->db, true, diags);
	if (s != JX_OK)
		return s;
	jx__stmt *q = jx__db_prepare(st->db, sql_session_add, diags);
	if (q) {
		jx__db_bind_text(q, 1, hash);
		jx__db_bind_int(q, 2, user_id);
		jx__db_bind_text(q, 3, c);
		jx__db_bind_int(q, 4, now);
		jx__db_bind_int(q, 5, now + ttl_seconds);
	}
	if (!q || jx__db_step(q, diags) != 0) {
		jx__db_rollback(st->db);
		sodium_memzero(t, sizeof t);
		return JX_ERR_INVALID;
	}
	if ((s = jx__db_commit(st->db, diags)) == JX_OK) {
		memcpy(token, t, 65);
		memcpy(csrf, c, 65);
	}
	sodium_memzero(t, sizeof t);
	return s;
}

/* 64 lower-case hex digits, as session_new writes them. */
static bool valid_token(const char *t)
{
	size_t n = 0;
	for (; t && t[n]; n++)
		if (!((t[n] >= '0' && t[n] <= '9') || (t[n] >= 'a' && t[n] <= 'f')) || n >= 64)
			return false;
	return n == 64;
}

static const char sql_session_get[] =
        "SELECT s.csrf, s.expires_at, u.id, u.name, u.role, coalesce(u.unit_code, ''),"
        " u.disabled FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1";
static const char sql_session_expire[] = "DELETE FROM sessions WHERE expires_at <= $1";

static void read_user(jx__stmt *q, int c, jx_store_user *u)
{
	memset(u, 0, sizeof(*u));
	u->id = jx__db_int(q, c);
	snprintf(u->name, sizeof u->name, "%s", jx__db_text(q, c + 1));
	u->role = JX_ROLE_FILLER;
	jx_role_parse(jx__db_text(q, c + 2) ? jx__db_text(q, c + 2) : "", &u->role);
	snprintf(u->unit, sizeof u->unit, "%s", jx__db_text(q, c + 3));
}

jx_status jx_store_session_get(jx_store *st, const char *token, int64_t now, jx_store_user *user,
                               char csrf[65], jx_diags *diags)
{
	csrf[0] = '\0';
	if (st->version < 2 || !valid_token(token))
		return JX_ERR_INVALID;
	if (now < 0)
		now = (int64_t)time(NULL);
	char hash[65];
	jx__hash_hex(token, 64, hash);
	jx__stmt *q = jx__db_prepare(st->db, sql_session_get, diags);
	if (!q)
		return JX_ERR_INVALID;
	jx__db_bind_text(q, 1, hash);
	int rc = jx__db_step(q, diags);
	if (rc != 1)
		return JX_ERR_INVALID;
	bool live = now < jx__db_int(q, 1), enabled = !jx__db_int(q, 6);
	if (live && enabled) {
		snprintf(csrf, 65, "%s", jx__db_text(q, 0) ? jx__db_text(q, 0) : "");
		read_user(q, 2, user);
	}
	jx__db_reset(q);
	if (!live && !jx__db_readonly(st->db) &&
	    (q = jx__db_prepare(st->db, sql_session_expire, diags))) {
		jx__db_bind_int(q, 1, now);
		jx__db_step(q, diags); /* a failure only leaves them for next time */
	}
	return live && enabled ? JX_OK : JX_ERR_INVALID;
}

static const char sql_session_end[] = "DELETE FROM sessions WHERE token_hash = $1";

jx_status jx_store_session_end(jx_store *st, const char *token, jx_diags *diags)
{
	if (jx__db_readonly(st->db)) {
		jx__db_error(st->db, diags, "Q05", "数据库以只读方式打开，不能退出登录");
		return JX_ERR_USAGE;
	}
	if (!valid_token(token))
		return JX_OK; /* no such session */
	char hash[65];
	jx__hash_hex(token, 64, hash);
	jx__stmt *q = jx__db_prepare(st->db, sql_session_end, diags);
	if (!q)
		return JX_ERR_INVALID;
	jx__db_bind_text(q, 1, hash);
	return jx__db_step(q, diags) == 0 ? JX_OK : JX_ERR_INVALID;
}

static const char sql_user_get[] =
        "SELECT id, name, role, coalesce(unit_code, '') FROM users WHERE id = $1";

jx_status jx_store_user_get(jx_store *st, int64_t id, jx_store_user *out, jx_diags *diags)
{
	jx__stmt *q = st->version >= 2 ? jx__db_prepare(st->db, sql_user_get, diags) : NULL;
	if (!q && st->version >= 2)
		return JX_ERR_INVALID;
	int rc = 0;
	if (q) {
		jx__db_bind_int(q, 1, id);
		rc = jx__db_step(q, diags);
	}
	if (rc < 0)
		return JX_ERR_INVALID;
	if (rc == 0) {
		jx__db_error(st->db, diags, "Q11", "没有编号为 %lld 的账户", (long long)id);
		return JX_ERR_INVALID;
	}
	read_user(q, 0, out);
	jx__db_reset(q);
	return JX_OK;
}
