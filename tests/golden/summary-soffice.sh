#!/bin/sh
# The year summary workbook opens in LibreOffice: it converts to a PDF
# whose text carries "汇总", and the workbook holds native charts
# (xl/charts/chart1.xml, xl/drawings/).  The summary comes from
# $SUMMARY_XLSX when set; otherwise it is made end to end: jixiao gen → db
# init → db import → db summary (XLSX and HTML).  Skips (exit 77) where
# soffice is not installed; the text check is skipped without pdftotext.
set -u
: "${JIXIAO:?}" "${SRCDIR:?}"
if ! command -v soffice >/dev/null 2>&1; then
	echo "SKIP: soffice not installed"
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

run() {
	"$@" >"$tmp/cmd.log" 2>&1 && return 0
	echo "FAIL: $*"
	cat "$tmp/cmd.log"
	exit 1
}

if [ -n "${SUMMARY_XLSX:-}" ]; then
	xlsx=$SUMMARY_XLSX
else
	run "$JIXIAO" gen --units 40 --years 2 --seed 7 -o "$tmp/g"
	run "$JIXIAO" db init --db "$tmp/x.db"
	run "$JIXIAO" db import --db "$tmp/x.db" "$tmp/g"
	run "$JIXIAO" db summary --db "$tmp/x.db" --year 2024 -o "$tmp/s.xlsx"
	run "$JIXIAO" db summary --db "$tmp/x.db" --year 2024 -o "$tmp/s.html"
	xlsx=$tmp/s.xlsx
	for want in '<svg' '汇总'; do
		if grep -q -- "$want" "$tmp/s.html"; then
			echo "ok html has $want"
		else
			echo "FAIL html lacks $want"
			fail=1
		fi
	done
fi
[ -s "$xlsx" ] || { echo "FAIL: no workbook at $xlsx"; exit 1; }

# Native charts and their drawing part.
if command -v unzip >/dev/null 2>&1; then
	list=$(unzip -l "$xlsx" 2>/dev/null)
	for want in xl/charts/chart1.xml xl/drawings/; do
		case $list in
		*"$want"*) echo "ok workbook has $want" ;;
		*) echo "FAIL workbook lacks $want"; fail=1 ;;
		esac
	done
else
	python3 - "$xlsx" <<'PY' || fail=1
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
for want in ("xl/charts/chart1.xml", "xl/drawings/"):
    ok = any(n.startswith(want) for n in names)
    print(("ok workbook has " if ok else "FAIL workbook lacks ") + want)
    if not ok:
        sys.exit(1)
PY
fi

cp "$xlsx" "$tmp/summary.xlsx"
conf=$SRCDIR/docs/fonts/fonts.conf
[ -f "$conf" ] && export FONTCONFIG_FILE="$conf"
HOME="$tmp" timeout 120 soffice -env:UserInstallation=file://"$tmp"/lo --headless \
	--convert-to pdf --outdir "$tmp/pdf" "$tmp/summary.xlsx" >"$tmp/soffice.log" 2>&1
pdf=$tmp/pdf/summary.pdf
if [ ! -s "$pdf" ]; then
	echo "FAIL: LibreOffice made no PDF"
	cat "$tmp/soffice.log"
	exit 1
fi
echo "ok summary.xlsx converts to PDF"
if command -v pdftotext >/dev/null 2>&1; then
	case $(pdftotext "$pdf" - 2>/dev/null | tr -d ' \n') in
	*汇总*) echo "ok PDF text has 汇总" ;;
	*) echo "FAIL PDF text lacks 汇总"; fail=1 ;;
	esac
fi
[ "$fail" -eq 0 ]
