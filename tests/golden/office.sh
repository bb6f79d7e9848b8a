#!/bin/sh
# Golden files of an office writer: `jixiao report examples/beita-2023.yaml
# --format FORMAT` with SOURCE_DATE_EPOCH=1700000000 is unzipped and its parts
# are compared byte for byte with the files committed under
# tests/golden/FORMAT/ (same paths as inside the package); the set of parts
# must match too.  DOCX: every part.  XLSX: the worksheets,
# xl/sharedStrings.xml and xl/workbook.xml (the rest is libxlsxwriter's).
#
#   sh tests/golden/office.sh docx|xlsx
#
# Environment: JIXIAO (the binary) and SRCDIR (the repository root) are set
# by meson.  UPDATE=1 rewrites the expected files from the current output
# instead of comparing; review the change before committing it.  Skipped
# (exit 77) when unzip is not installed.
set -u

: "${JIXIAO:?JIXIAO must name the jixiao binary}"
fmt=${1:?usage: office.sh docx|xlsx}
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
HERE=$SRCDIR/tests/golden/$fmt
UPDATE=${UPDATE:-0}

if ! command -v unzip >/dev/null 2>&1; then
	echo "unzip not installed: skipped"
	exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/jixiao-$fmt.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT HUP INT TERM

# The parts compared, one path a line, found under directory $1.
parts() {
	if [ "$fmt" = docx ]; then
		(cd "$1" && find . -type f | sed 's|^\./||' | sort)
	else
		(cd "$1" && find xl/worksheets -name '*.xml' -type f | sort &&
			echo xl/sharedStrings.xml && echo xl/workbook.xml)
	fi
}

cd "$SRCDIR" || exit 2
mkdir "$tmp/out" "$tmp/parts" || exit 2
SOURCE_DATE_EPOCH=1700000000 "$JIXIAO" report examples/beita-2023.yaml --force \
	--format "$fmt" -o "$tmp/out" >"$tmp/stdout" 2>"$tmp/stderr"
status=$?
if [ "$status" -ne 0 ] || [ ! -f "$tmp/out/beita-2023.$fmt" ]; then
	echo "FAIL: jixiao report exited $status"
	cat "$tmp/stderr"
	exit 1
fi
(cd "$tmp/parts" && unzip -q "$tmp/out/beita-2023.$fmt") || exit 2
parts "$tmp/parts" >"$tmp/got.list"

if [ "$UPDATE" = 1 ]; then
	rm -rf "$HERE" && mkdir -p "$HERE" || exit 2
	while IFS= read -r part; do
		mkdir -p "$HERE/$(dirname "$part")" && cp "$tmp/parts/$part" "$HERE/$part" || exit 2
	done <"$tmp/got.list"
	echo "updated: tests/golden/$fmt ($(wc -l <"$tmp/got.list") parts)"
	exit 0
fi

failed=0
parts "$HERE" >"$tmp/want.list"
if ! cmp -s "$tmp/want.list" "$tmp/got.list"; then
	echo "FAIL: the parts differ from tests/golden/$fmt:"
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
