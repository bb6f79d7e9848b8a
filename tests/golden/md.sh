#!/bin/sh
# Golden test of the Markdown report: the example rendered with --force
# must equal tests/golden/md/beita-2023.md.  UPDATE=1 rewrites it.
set -u
: "${JIXIAO:?}" "${SRCDIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$SRCDIR" || exit 1
want=tests/golden/md/beita-2023.md
if ! SOURCE_DATE_EPOCH=1700000000 "$JIXIAO" report examples/beita-2023.yaml --force \
	--format md -o "$tmp" >"$tmp/out" 2>&1; then
	echo "FAIL: report exited non-zero"
	cat "$tmp/out"
	exit 1
fi
[ "${UPDATE:-}" = 1 ] && cp "$tmp/beita-2023.md" "$want"
if diff -u "$want" "$tmp/beita-2023.md"; then
	echo "1 passed, 0 failed"
else
	echo "0 passed, 1 failed"
	exit 1
fi
