#!/bin/sh
# jixiao user: accounts for jixiao serve.  The first account must be an
# admin; a filler needs a unit; passwords come from standard input only,
# at least 8 bytes, and are stored as argon2id hashes; duplicates and bad
# roles are refused with exit 2.  Env: JIXIAO (binary).
set -u
: "${JIXIAO:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/jixiao-users.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() {
	fail=$((fail + 1))
	echo "FAIL: $*"
}
DB=$tmp/u.db
# expect RC INPUT ARGS...: runs jixiao user ARGS with INPUT on stdin.
expect() {
	want=$1 input=$2
	shift 2
	printf '%s\n' "$input" | "$JIXIAO" user "$@" --db "$DB" >"$tmp/out" 2>&1
	got=$?
	if [ "$got" = "$want" ]; then ok; else bad "exit $got, want $want: user $*" && cat "$tmp/out"; fi
}
has() { if grep -qF -- "$1" "$tmp/out"; then ok; else bad "output lacks '$1'" && cat "$tmp/out"; fi; }

expect 2 'long-enough-1' add ana --role filler --unit 101
has "error[Q11]: 新数据库的第一个账户必须是管理员"
expect 0 'long-enough-1' add root --role admin
has "已添加账户 root（admin）"
expect 0 'long-enough-2' add ana --role filler --unit 101
expect 0 'long-enough-3' add bo --role reviewer
expect 2 'long-enough-4' add ana --role filler --unit 102
has "账户“ana”已存在"
expect 2 'short' add cy --role reviewer
has "密码至少 8 个字符"
expect 2 'long-enough-5' add cy --role filler
has "需要 --unit"
expect 2 'long-enough-5' add cy --role reviewer --unit 101
expect 2 'long-enough-5' add cy --role boss
expect 2 'long-enough-5' add cy --role admin --password hunter22
has "密码不能写在命令行上"
: | "$JIXIAO" user add cy --role admin --db "$DB" >"$tmp/out" 2>&1
if [ $? = 2 ]; then ok; else bad "no password on stdin accepted"; fi
"$JIXIAO" user list --db "$DB" >"$tmp/out" 2>&1 || bad "list"
n=$(wc -l <"$tmp/out")
if [ "$n" = 3 ]; then ok; else bad "list: $n accounts, want 3" && cat "$tmp/out"; fi
has "ana                  filler    101"
if grep -q 'argon2\|long-enough' "$tmp/out"; then bad "list shows a hash or password"; else ok; fi
# Stored: argon2id hashes, never the password; one event per account.
if /usr/bin/python3 - "$DB" <<'PY'; then ok; else bad "stored hashes"; fi
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
rows = c.execute("select name, pwhash from users").fetchall()
assert len(rows) == 3 and all(h.startswith("$argon2id$") for _, h in rows), rows
assert not any(b"long-enough" in open(sys.argv[1], "rb").read() for _ in [0])
assert c.execute("select count(*) from events where action = 'user.add'").fetchone()[0] == 3
PY
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
