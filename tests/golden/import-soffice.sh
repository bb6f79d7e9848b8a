#!/bin/sh
# A workbook re-saved by LibreOffice imports to the same data: `jixiao
# report --format xlsx` of examples/beita-2023.yaml, converted by `soffice
# --headless --convert-to xlsx`, and both workbooks imported with `jixiao
# import`; the two data files must give the same `jixiao check --format
# json` findings (file names aside).  Skipped (exit 77) without soffice.
set -u

: "${JIXIAO:?JIXIAO must name the jixiao binary}"
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}

if ! command -v soffice >/dev/null 2>&1; then
	echo "SKIP: soffice not installed"
	exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/jixiao-soffice.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT HUP INT TERM
mkdir "$tmp/out" "$tmp/re" "$tmp/profile" || exit 2

cd "$SRCDIR" || exit 2
SOURCE_DATE_EPOCH=1700000000 "$JIXIAO" report examples/beita-2023.yaml --force \
	--format xlsx -o "$tmp/out" >"$tmp/stdout" 2>"$tmp/stderr"
if [ ! -f "$tmp/out/beita-2023.xlsx" ]; then
	echo "FAIL: jixiao report wrote no workbook"
	cat "$tmp/stderr"
	exit 1
fi
# A private profile: no clash with a running LibreOffice, nothing kept.
HOME=$tmp/profile soffice -env:UserInstallation="file://$tmp/profile" --headless \
	--convert-to xlsx --outdir "$tmp/re" "$tmp/out/beita-2023.xlsx" \
	>"$tmp/soffice.out" 2>&1
if [ ! -f "$tmp/re/beita-2023.xlsx" ]; then
	echo "FAIL: soffice did not convert the workbook"
	cat "$tmp/soffice.out"
	exit 1
fi

failed=0
for which in out re; do
	"$JIXIAO" import "$tmp/$which/beita-2023.xlsx" -o "$tmp/$which.yaml" \
		>"$tmp/import-$which.out" 2>&1
	if [ ! -f "$tmp/$which.yaml" ]; then
		echo "FAIL: jixiao import of the $which workbook wrote no data file"
		cat "$tmp/import-$which.out"
		exit 1
	fi
	"$JIXIAO" check --format json "$tmp/$which.yaml" |
		sed 's/"file":"[^"]*"/"file":""/g' >"$tmp/$which.json"
done
if ! cmp -s "$tmp/out.json" "$tmp/re.json"; then
	echo "FAIL: findings differ after the LibreOffice re-save"
	diff "$tmp/out.json" "$tmp/re.json"
	diff "$tmp/out.yaml" "$tmp/re.yaml"
	failed=1
fi
if ! grep -q '"loaded":true' "$tmp/out.json"; then
	echo "FAIL: the imported data file did not load"
	cat "$tmp/out.json"
	failed=1
fi
[ "$failed" = 0 ] && echo "ok: findings equal after the LibreOffice re-save"
exit "$failed"
