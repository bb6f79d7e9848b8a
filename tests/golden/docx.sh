#!/bin/sh
# The DOCX writer as golden files: `jixiao report examples/beita-2023.yaml
# --format docx` with SOURCE_DATE_EPOCH=1700000000 is unzipped and every
# part (XML and .rels) is compared byte for byte with the files committed
# under tests/golden/docx/ (same paths as inside the package).  The set of
# parts must match too.
#
# Environment: JIXIAO (the binary) and SRCDIR (the repository root) are set
# by meson.  UPDATE=1 rewrites the expected files from the current output
# instead of comparing; review the change before committing it.  Skipped
# (exit 77) when unzip is not installed.
set -u

: "${JIXIAO:?JIXIAO must name the jixiao binary}"
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
HERE=$SRCDIR/tests/golden/docx
UPDATE=${UPDATE:-0}

if ! command -v unzip >/dev/null 2>&1; then
	echo "unzip not installed: skipped"
	exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/jixiao-docx.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT HUP INT TERM

cd "$SRCDIR" || exit 2
mkdir "$tmp/out" "$tmp/parts" || exit 2
SOURCE_DATE_EPOCH=1700000000 "$JIXIAO" report examples/beita-2023.yaml --force \
	--format docx -o "$tmp/out" >"$tmp/stdout" 2>"$tmp/stderr"
status=$?
if [ "$status" -ne 0 ] || [ ! -f "$tmp/out/beita-2023.docx" ]; then
	echo "FAIL: jixiao report exited $status"
	cat "$tmp/stderr"
	exit 1
fi
(cd "$tmp/parts" && unzip -q "$tmp/out/beita-2023.docx") || exit 2

(cd "$tmp/parts" && find . -type f | sort) >"$tmp/got.list"
if [ "$UPDATE" = 1 ]; then
	rm -rf "$HERE" && mkdir -p "$HERE" || exit 2
	(cd "$tmp/parts" && cp -R . "$HERE/") || exit 2
	echo "updated: tests/golden/docx ($(wc -l <"$tmp/got.list") parts)"
	exit 0
fi

failed=0
(cd "$HERE" && find . -type f | sort) >"$tmp/want.list"
if ! cmp -s "$tmp/want.list" "$tmp/got.list"; then
	echo "FAIL: the package's parts differ from tests/golden/docx:"
	diff "$tmp/want.list" "$tmp/got.list"
	failed=1
fi
while IFS= read -r part; do
	if [ -f "$HERE/$part" ] && ! cmp -s "$HERE/$part" "$tmp/parts/$part"; then
		echo "FAIL: $part differs:"
		diff "$HERE/$part" "$tmp/parts/$part" | head -20
		failed=1
	fi
done <"$tmp/got.list"
[ "$failed" = 0 ] && echo "ok: $(wc -l <"$tmp/got.list") parts match"
exit "$failed"
