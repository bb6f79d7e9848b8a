#!/bin/sh
# jixiao audit: the seed's findings exactly (golden seed.out); the corpus of
# 16 written reports against their .expect files (expect_check.py: every
# planted finding at its line, nothing a reader would call false, the key
# figures extracted); the DOCX reader on the report jixiao writes; --extract
# giving a data file check can load; bad input refused with exit 2.
# Env: JIXIAO (binary), SRCDIR (source tree).  UPDATE=1 rewrites seed.out.
set -u
: "${JIXIAO:?}" "${SRCDIR:?}"
JIXIAO_SCHEMES=${JIXIAO_SCHEMES:-$SRCDIR/schemes}
export JIXIAO_SCHEMES
here=$SRCDIR/tests/audit
tmp=$(mktemp -d "${TMPDIR:-/tmp}/jixiao-audit.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() {
	fail=$((fail + 1))
	echo "FAIL: $*"
}
J=$JIXIAO
cd "$here" || exit 2

# The seed: exact output, exit 1 (T01, T02, I01 are errors).
"$J" audit seed-beita-2023.txt >"$tmp/seed.out" 2>"$tmp/seed.err"
rc=$?
if [ "${UPDATE:-0}" = 1 ]; then cp "$tmp/seed.out" seed.out; fi
if [ $rc = 1 ]; then ok; else bad "seed: exit $rc, want 1"; fi
if [ ! -s "$tmp/seed.err" ]; then ok; else bad "seed: stderr" && cat "$tmp/seed.err"; fi
if cmp -s "$tmp/seed.out" seed.out; then ok; else
	bad "seed output differs from seed.out (UPDATE=1 to regenerate)"
	diff seed.out "$tmp/seed.out" | head -20
fi
for want in "error[T01]" "error[T02]" "error[I01]" "info[B02]" "info[B07]" "warning[G02]" \
	"warning[G03]" "warning[U01]" "seed-beita-2023.txt:55:1: warning[X01]" \
	"seed-beita-2023.txt:59:1: warning[X01]" "seed-beita-2023.txt:7:1: warning[X01]" \
	"seed-beita-2023.txt:42:1: warning[X01]" "seed-beita-2023.txt:50:1: warning[X01]"; do
	if grep -qF "$want" "$tmp/seed.out"; then ok; else bad "seed: no $want"; fi
done
if grep -q 'X02' "$tmp/seed.out"; then bad "seed: X02 reported (4 listed, 4 stated)"; else ok; fi

# The corpus.
"$J" audit --format json reports/*.txt >"$tmp/corpus.jsonl" 2>"$tmp/corpus.err"
if [ ! -s "$tmp/corpus.err" ]; then ok; else bad "corpus: stderr" && head "$tmp/corpus.err"; fi
n=$(wc -l <"$tmp/corpus.jsonl")
if [ "$n" = 16 ]; then ok; else bad "corpus: $n JSON lines, want 16"; fi
if /usr/bin/python3 expect_check.py reports "$tmp/corpus.jsonl" >"$tmp/check.out" 2>&1; then ok; else
	bad "corpus: findings or figures differ from the .expect files"
	grep -v '^PASS' "$tmp/check.out" | head -40
fi
tail -n 1 "$tmp/check.out"

# The second, red-team corpus (tests/audit/more: other provinces' layouts,
# all-元 reports, two 自评表, cut tables, DOCX with merged cells).
"$J" audit --format json more/*.txt more/*.docx >"$tmp/more.jsonl" 2>"$tmp/more.err"
if [ ! -s "$tmp/more.err" ]; then ok; else bad "more: stderr" && head "$tmp/more.err"; fi
if /usr/bin/python3 expect_check.py more "$tmp/more.jsonl" >"$tmp/more.out" 2>&1; then ok; else
	bad "more: findings or figures differ from the .expect files"
	grep -v '^PASS' "$tmp/more.out" | head -40
fi
tail -n 1 "$tmp/more.out"

# The third corpus: GBK text (one with CRLF), DOCX with Word numbering,
# two-row headers and split tables, PDFs made by LibreOffice, prose traps.
"$J" audit --format json third/*.txt third/*.docx third/*.pdf >"$tmp/third.jsonl" 2>"$tmp/third.err"
if [ ! -s "$tmp/third.err" ]; then ok; else bad "third: stderr" && head "$tmp/third.err"; fi
if /usr/bin/python3 expect_check.py third "$tmp/third.jsonl" >"$tmp/third.out" 2>&1; then ok; else
	bad "third: findings or figures differ from the .expect files"
	grep -v '^PASS' "$tmp/third.out" | head -40
fi
tail -n 1 "$tmp/third.out"

# Cut short (25/50/75/90 %, also inside a character): never a new finding.
# (Not t02: cutting off its closing correction rightly brings back the
# findings the correction resolved.)
mkdir -p "$tmp/cuts"
if /usr/bin/python3 cuts.py "$J" "$tmp/cuts" seed-beita-2023.txt reports/*.txt more/*.txt third/g*.txt third/t01*.txt third/t03*.txt \
	>"$tmp/cuts.out" 2>&1; then ok; else bad "cut reports gained findings" && head -20 "$tmp/cuts.out"; fi
tail -n 1 "$tmp/cuts.out"

# DOCX: the report jixiao writes is consistent where the unit's data is
# (its text says 88.00 and 良好); what remains are the tables' own problems.
mkdir -p "$tmp/docx"
SOURCE_DATE_EPOCH=1700000000 "$J" report "$SRCDIR/examples/beita-2023.yaml" --force \
	--format docx -o "$tmp/docx/" >/dev/null 2>&1
"$J" audit "$tmp/docx/beita-2023.docx" >"$tmp/docx.out" 2>&1
ids=$(grep -o '^[^ ]*: [a-z]*\[[A-Z0-9]*\]' "$tmp/docx.out" | sed 's/.*\[\(.*\)\]/\1/' | sort | tr '\n' ' ')
if [ "$ids" = "B02 B07 G02 G03 I01 U01 X01 " ]; then ok; else bad "docx findings: $ids"; fi

# PDF: the same report through LibreOffice and pdftotext (when installed):
# the prose, the money rows the layout kept on one line, nothing false.
if command -v soffice >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1; then
	HOME=$tmp timeout 180 soffice -env:UserInstallation="file://$tmp/lo" --headless \
		--convert-to pdf --outdir "$tmp/docx" "$tmp/docx/beita-2023.docx" >/dev/null 2>&1
	"$J" audit "$tmp/docx/beita-2023.pdf" >"$tmp/pdf.out" 2>&1
	ids=$(grep -o '^[^ ]*: [a-z]*\[[A-Z0-9]*\]' "$tmp/pdf.out" | sed 's/.*\[\(.*\)\]/\1/' | sort | tr '\n' ' ')
	if [ "$ids" = "B02 G02 G03 X01 " ]; then ok; else bad "pdf findings: $ids" && cat "$tmp/pdf.out"; fi
else
	echo "soffice or pdftotext not installed: PDF not tried"
fi

# --extract: a data file that check loads and finds T01 in.
"$J" audit seed-beita-2023.txt --extract "$tmp/seed.yaml" >/dev/null
"$J" check "$tmp/seed.yaml" >"$tmp/extract.out" 2>&1
rc=$?
if [ $rc = 1 ] && grep -q 'error\[T01\]' "$tmp/extract.out"; then ok; else
	bad "extract: check exit $rc" && head "$tmp/extract.out"
fi
if grep -q '^  stated_score: 98$' "$tmp/seed.yaml"; then ok; else bad "extract: no stated_score 98"; fi

# JSON: one object per file, findings with snippets, the figures.
"$J" audit --format json seed-beita-2023.txt >"$tmp/seed.json"
if /usr/bin/python3 -c '
import json, sys
o = json.loads(open(sys.argv[1], encoding="utf-8").read())
t01 = [f for f in o["findings"] if f["id"] == "T01"][0]
assert t01["line"] == 37 and "自评分数为98分" in t01["snippet"], t01
assert t01["expected"] and t01["actual"] == "98", t01
assert o["extracted"]["performance.stated_score"] == {"value": "98", "line": 37}
assert o["summary"]["errors"] == 3, o["summary"]
' "$tmp/seed.json"; then ok; else bad "json shape"; fi

# Bad input: exit 2 with a reason, nothing on stderr but usage errors.
: >"$tmp/empty.txt"
printf 'PK\003\004garbage' >"$tmp/bad.docx"
head -c 3000 /dev/urandom >"$tmp/noise.txt"
for f in "$tmp/empty.txt" "$tmp/bad.docx" "$tmp/missing.txt"; do
	"$J" audit "$f" >"$tmp/bad.out" 2>&1
	rc=$?
	if [ $rc = 2 ] && grep -q 'error\[' "$tmp/bad.out"; then ok; else bad "$f: exit $rc" && cat "$tmp/bad.out"; fi
done
"$J" audit "$tmp/noise.txt" >/dev/null 2>"$tmp/noise.err"
rc=$?
if [ $rc -le 2 ] && [ ! -s "$tmp/noise.err" ]; then ok; else bad "noise: exit $rc"; fi
"$J" audit --extract "$tmp/x.yaml" seed-beita-2023.txt reports/01_prose_other_province.txt \
	>/dev/null 2>&1
if [ $? = 2 ]; then ok; else bad "--extract with two files accepted"; fi
"$J" audit --format xml seed-beita-2023.txt >/dev/null 2>&1
if [ $? = 2 ]; then ok; else bad "--format xml accepted"; fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
