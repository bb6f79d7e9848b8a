#!/bin/sh
# jixiao serve in a real browser: a temporary store with an admin, a
# reviewer and a filler of unit 101001 and the fixture (2023) imported;
# the server on a free port; then SCRIPT (browser.mjs unless given, e.g.
# screenshots.mjs) drives Chromium against it.  The server is always
# stopped.  Skips (exit 77) when Chromium or tests/web/node_modules is
# missing (scripts/install-deps.sh installs both).
# Env: JIXIAO (binary), SRCDIR (source root), CHROMIUM (default
# /usr/bin/chromium).
set -u
: "${JIXIAO:?}" "${SRCDIR:?}"
web=$SRCDIR/tests/web
script=${1:-$web/browser.mjs}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
export CHROMIUM

if [ ! -x "$CHROMIUM" ]; then
	echo "SKIP: no Chromium at $CHROMIUM (apt-get install chromium, or set CHROMIUM)"
	exit 77
fi
if ! command -v node >/dev/null 2>&1; then
	echo "SKIP: node is not installed"
	exit 77
fi
if [ ! -f "$web/node_modules/playwright-core/package.json" ]; then
	echo "SKIP: $web/node_modules lacks playwright-core (npm ci --prefix tests/web)"
	exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/jixiao-web.XXXXXX") || exit 2
pid=
cleanup() {
	if [ -n "$pid" ]; then
		kill -TERM "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 2' INT TERM
die() {
	echo "web-browser: $*" >&2
	[ -f "$tmp/serve.log" ] && sed 's/^/  serve: /' "$tmp/serve.log" >&2
	exit 1
}

DB=$tmp/web.db
add_user() { # NAME PASSWORD ARGS...
	name=$1 pw=$2
	shift 2
	printf '%s\n' "$pw" | "$JIXIAO" user add "$name" "$@" --db "$DB" >"$tmp/out" 2>&1 ||
		die "user add $name failed: $(cat "$tmp/out")"
}
add_user admin pw-admin-1 --role admin
add_user rev pw-review-1 --role reviewer
add_user fill pw-filler-1 --role filler --unit 101001
"$JIXIAO" db import -q --db "$DB" "$web/fixture-101001.yaml" >"$tmp/out" 2>&1 ||
	die "import of the fixture failed: $(cat "$tmp/out")"

>"$tmp/serve.log"
"$JIXIAO" serve --db "$DB" --listen 127.0.0.1:0 2>>"$tmp/serve.log" &
pid=$!
port=
i=0
while [ $i -lt 100 ]; do
	port=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9][0-9]*\)/.*|\1|p' "$tmp/serve.log" | head -n 1)
	[ -n "$port" ] && break
	kill -0 "$pid" 2>/dev/null || die "the server exited before listening"
	sleep 0.1
	i=$((i + 1))
done
[ -n "$port" ] || die "no port in the server's first line after 10 s"

JX_BASE=http://127.0.0.1:$port JX_YEAR=2023 node "$script"
rc=$?
if [ $rc != 0 ]; then
	echo "web-browser: $script failed (exit $rc); the server's log:" >&2
	sed 's/^/  serve: /' "$tmp/serve.log" >&2
	exit 1
fi
kill -0 "$pid" 2>/dev/null || die "the server died during the test"
exit 0
