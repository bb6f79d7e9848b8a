/* Accounts of the web application (`jixiao user`, `jixiao serve`): a name,
 * a role, for a filler the unit it fills in for, and the password as an
 * argon2id hash (libsodium's crypto_pwhash_str: salt and parameters inside
 * the string).  The password itself is never stored or logged. */
#include "store_int.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *const role_names[] = {"admin", "reviewer", "filler"};

const char *jx_role_name(jx_role r)
{
	return (unsigned)r < sizeof role_names / sizeof role_names[0] ? role_names[r] : "?";
}

bool jx_role_parse(const char *s, jx_role *out)
{
	for (size_t i = 0; i < sizeof role_names / sizeof role_names[0]; i++)
		if (!strcmp(s, role_names[i])) {
			*out = (jx_role)i;
			return true;
		}
	return false;
}

static const char sql_count[] = "SELECT count(*) FROM users";
static const char sql_add[] =
        "INSERT INTO users (name, role, unit_code, pwhash, created_at) VALUES ($1, $2, $3, $4, $5)"
        " ON CONFLICT (name) DO NOTHING RETURNING id";
static const char sql_event[] =
        "INSERT INTO events (at, user_id, action, detail) VALUES ($1, $2, $3, $4)";

bool jx__store_word(const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;
	if (!n || n > max || !jx__utf8_valid(s, n))
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= ' ' || *p == 0x7F)
			return false;
	return true;
}

static jx_status check_user(jx_store *st, const char *name, jx_role role, const char *unit,
                            const char *password, jx_diags *diags)
{
	const char *why = NULL;
	if (!jx__store_word(name, 64))
		why = "账户名应为 1 至 64 字节、不含空格的文字";
	else if (role == JX_ROLE_FILLER && (!unit || !*unit))
		why = "填报人（filler）账户需要 --unit 单位编码";
	else if (role != JX_ROLE_FILLER && unit && *unit)
		why = "只有填报人（filler）账户属于某个单位";
	else if (unit && *unit && !jx__store_word(unit, 100))
		why = "单位编码应为 1 至 100 字节、不含空格的文字";
	else if (strlen(password) < 8)
		why = "密码至少 8 个字符";
	else if (strlen(password) > 1024)
		why = "密码过长";
	if (why)
		jx__db_error(st->db, diags, "Q11", "%s", why);
	return why ? JX_ERR_USAGE : JX_OK;
}

static jx_status insert_user(jx_store *st, const char *name, jx_role role, const char *unit,
                             const char *hash, int64_t now, jx_diags *diags)
{
	jx__stmt *q = jx__db_prepare(st->db, sql_count, diags);
	if (!q || jx__db_step(q, diags) != 1)
		return JX_ERR_INVALID;
	int64_t users = jx__db_int(q, 0);
	jx__db_reset(q);
	if (!users && role != JX_ROLE_ADMIN) {
		jx__db_error(st->db, diags, "Q11",
		             "新数据库的第一个账户必须是管理员（--role admin）");
		return JX_ERR_USAGE;
	}
	if (!(q = jx__db_prepare(st->db, sql_add, diags)))
		return JX_ERR_INVALID;
	jx__db_bind_text(q, 1, name);
	jx__db_bind_text(q, 2, jx_role_name(role));
	jx__db_bind_text(q, 3, unit && *unit ? unit : NULL);
	jx__db_bind_text(q, 4, hash);
	jx__db_bind_int(q, 5, now);
	int rc = jx__db_step(q, diags);
	if (rc < 0)
		return JX_ERR_INVALID;
	if (rc == 0) {
		jx__db_error(st->db, diags, "Q11", "账户“%s”已存在", name);
		return JX_ERR_USAGE;
	}
	int64_t id = jx__db_int(q, 0);
	jx__db_reset(q);
	if (!(q = jx__db_prepare(st->db, sql_event, diags)))
		return JX_ERR_INVALID;
	char detail[256];
	snprintf(detail, sizeof detail, "%s %s%s%s", name, jx_role_name(role), unit ? " " : "",
	         unit ? unit : "");
	jx__db_bind_int(q, 1, now);
	jx__db_bind_int(q, 2, id);
	jx__db_bind_text(q, 3, "user.add");
	jx__db_bind_text(q, 4, detail);
	return jx__db_step(q, diags) == 0 ? JX_OK : JX_ERR_INVALID;
}

jx_status jx_store_user_add(jx_store *st, const char *name, jx_role role, const char *unit,
                            const char *password, jx_diags *diags)
{
	jx_status s = check_user(st, name, role, unit, password, diags);
	if (s != JX_OK)
		return s;
	if (jx__db_readonly(st->db)) {
		jx__db_error(st->db, diags, "Q05", "数据库以只读方式打开，不能添加账户");
		return JX_ERR_USAGE;
	}
	char hash[crypto_pwhash_STRBYTES];
	if (crypto_pwhash_str(hash, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		jx__db_error(st->db, diags, "Y00", "内存不足，无法计算密码散列");
		return JX_ERR_OOM;
	}
	if ((s = jx__db_begin(st->db, true, diags)) != JX_OK)
		return s;
	s = insert_user(st, name, role, unit, hash, (int64_t)time(NULL), diags);
	sodium_memzero(hash, sizeof hash);
	if (s != JX_OK) {
		jx__db_rollback(st->db);
		return s;
	}
	return jx__db_commit(st->db, diags);
}

static const char sql_find_user[] =
        "SELECT id, name, role, unit_code, pwhash, disabled FROM users WHERE name = $1";

jx_status jx_store_user_login(jx_store *st, const char *name, const char *password,
                              jx_store_user *out, jx_diags *diags)
{
	jx__stmt *q = jx__db_prepare(st->db, sql_find_user, diags);
	if (!q)
		return JX_ERR_INVALID;
	jx__db_bind_text(q, 1, name);
	int rc = jx__db_step(q, diags);
	if (rc < 0)
		return JX_ERR_INVALID;
	bool ok = false;
	if (rc == 1) {
		const char *hash = jx__db_text(q, 4);
		ok = hash && !jx__db_int(q, 5) &&
		     crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
		jx_role role = JX_ROLE_FILLER;
		jx_role_parse(jx__db_text(q, 2) ? jx__db_text(q, 2) : "", &role);
		*out = (jx_store_user){jx__db_int(q, 0), "", role, ""};
		snprintf(out->name, sizeof out->name, "%s", jx__db_text(q, 1));
		snprintf(out->unit, sizeof out->unit, "%s",
		         jx__db_text(q, 3) ? jx__db_text(q, 3) : "");
		jx__db_reset(q);
	} else {
		/* the same work for an unknown name, so timing tells nothing */
		char dummy[crypto_pwhash_STRBYTES];
		if (crypto_pwhash_str(dummy, password, strlen(password),
		                      crypto_pwhash_OPSLIMIT_INTERACTIVE,
		                      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
			dummy[0] = '\0'; /* out of memory: the answer is the same */
	}
	if (!ok) {
		jx__db_error(st->db, diags, "Q12", "账户名或密码不对");
		return JX_ERR_INVALID;
	}
	return JX_OK;
}

static const char sql_list_users[] =
        "SELECT id, name, role, coalesce(unit_code, '') FROM users ORDER BY name";

jx_status jx_store_users(jx_store *st, jx_store_user_cb cb, void *ctx, jx_diags *diags)
{
	jx__stmt *q = jx__db_prepare(st->db, sql_list_users, diags);
	if (!q)
		return JX_ERR_INVALID;
	int rc;
	while ((rc = jx__db_step(q, diags)) == 1) {
		jx_store_user u = {.id = jx__db_int(q, 0)};
		snprintf(u.name, sizeof u.name, "%s", jx__db_text(q, 1));
		jx_role_parse(jx__db_text(q, 2), &u.role);
		snprintf(u.unit, sizeof u.unit, "%s", jx__db_text(q, 3));
		jx_status s = cb(ctx, &u);
		if (s != JX_OK) {
			jx__db_reset(q);
			return s;
		}
	}
	return rc < 0 ? JX_ERR_INVALID : JX_OK;
}
