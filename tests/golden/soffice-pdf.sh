#!/bin/sh
# The example's DOCX and XLSX open in LibreOffice: each converts to a PDF
# with pages, and the DOCX's text carries the computed total and grade.
# Skips (exit 77) where soffice or pdftotext is not installed.
set -u
: "${JIXIAO:?}" "${SRCDIR:?}"
if ! command -v soffice >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1; then
	echo "SKIP: soffice or pdftotext not installed"
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$SRCDIR" || exit 1
"$JIXIAO" report examples/beita-2023.yaml --force --format docx,xlsx -o "$tmp" >/dev/null || exit 1
fail=0
for f in beita-2023.docx beita-2023.xlsx; do
	FONTCONFIG_FILE="$SRCDIR/docs/fonts/fonts.conf" HOME="$tmp" timeout 180 soffice \
		-env:UserInstallation=file://"$tmp"/profile --headless --convert-to pdf \
		--outdir "$tmp/pdf-${f##*.}" "$tmp/$f" >"$tmp/soffice.log" 2>&1
	pdf=$tmp/pdf-${f##*.}/${f%.*}.pdf
	pages=$(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
	if [ -z "$pages" ] || [ "$pages" -lt 1 ]; then
		echo "FAIL $f: LibreOffice made no PDF"
		cat "$tmp/soffice.log"
		fail=1
		continue
	fi
	echo "ok $f: $pages pages"
done
text=$(pdftotext "$tmp/pdf-docx/beita-2023.pdf" - 2>/dev/null | tr -d ' \n')
for want in 88.00 良好 一、部门（单位）基本情况 九、其他需要说明的情况 附件1-2; do
	case $text in
	*"$want"*) echo "ok docx text has $want" ;;
	*) echo "FAIL docx text lacks $want"; fail=1 ;;
	esac
done
[ "$fail" -eq 0 ]
