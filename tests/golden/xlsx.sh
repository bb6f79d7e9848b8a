#!/bin/sh
# The XLSX writer as golden files: `jixiao report examples/beita-2023.yaml
# --format xlsx` with SOURCE_DATE_EPOCH=1700000000 is unzipped and the
# worksheets (xl/worksheets/*.xml), xl/sharedStrings.xml and
# xl/workbook.xml are compared with the files under tests/golden/xlsx/.
#
# Environment: JIXIAO (the binary) and SRCDIR (the repository root) are set
# by meson.  UPDATE=1 rewrites the expected files from the current output
# instead of comparing; review the change before committing it.  Skipped
# (exit 77) when unzip is not installed.
set -u

: "${JIXIAO:?JIXIAO must name the jixiao binary}"
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
HERE=$SRCDIR/tests/golden/xlsx
UPDATE=${UPDATE:-0}

if ! command -v unzip >/dev/null 2>&1; then
	echo "unzip not installed: skipped"
	exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/jixiao-xlsx.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT HUP INT TERM

cd "$SRCDIR" || exit 2
mkdir "$tmp/out" "$tmp/parts" || exit 2
SOURCE_DATE_EPOCH=1700000000 "$JIXIAO" report examples/beita-2023.yaml --force \
	--format xlsx -o "$tmp/out" >"$tmp/stdout" 2>"$tmp/stderr"
status=$?
if [ "$status" -ne 0 ] || [ ! -f "$tmp/out/beita-2023.xlsx" ]; then
	echo "FAIL: jixiao report exited $status"
	cat "$tmp/stderr"
	exit 1
fi
(cd "$tmp/parts" && unzip -q "$tmp/out/beita-2023.xlsx") || exit 2

(cd "$tmp/parts" && find xl/worksheets -name '*.xml' -type f | sort &&
	echo xl/sharedStrings.xml && echo xl/workbook.xml) >"$tmp/got.list"
if [ "$UPDATE" = 1 ]; then
	rm -rf "$HERE" && mkdir -p "$HERE" || exit 2
	while IFS= read -r part; do
		mkdir -p "$HERE/$(dirname "$part")" && cp "$tmp/parts/$part" "$HERE/$part" || exit 2
	done <"$tmp/got.list"
	echo "updated: tests/golden/xlsx ($(wc -l <"$tmp/got.list") parts)"
	exit 0
fi

failed=0
(cd "$HERE" && find xl/worksheets -name '*.xml' -type f | sort &&
	echo xl/sharedStrings.xml && echo xl/workbook.xml) >"$tmp/want.list"
if ! cmp -s "$tmp/want.list" "$tmp/got.list"; then
	echo "FAIL: the worksheets differ from tests/golden/xlsx:"
	diff "$tmp/want.list" "$tmp/got.list"
	failed=1
fi
passed=0
while IFS= read -r part; do
	if [ ! -f "$tmp/parts/$part" ] || [ ! -f "$HERE/$part" ]; then
		echo "FAIL: $part missing"
		failed=1
	elif ! cmp -s "$HERE/$part" "$tmp/parts/$part"; then
		echo "FAIL: $part differs:"
		# One element per line, so the diff shows what changed.
		sed 's/></>\n</g' "$HERE/$part" >"$tmp/a"
		sed 's/></>\n</g' "$tmp/parts/$part" >"$tmp/b"
		diff "$tmp/a" "$tmp/b" | head -20
		failed=1
	else
		passed=$((passed + 1))
	fi
done <"$tmp/want.list"
echo "$passed passed, $failed failed"
exit "$failed"
