#!/bin/sh
# The finance bureau's year at scale: 2,000 generated units × 3 years
# imported into one store; `db check --format json` must report, for every
# unit and year, exactly the findings the generator's manifest lists (by
# unit code and year, not file name); `db summary` writes the XLSX (with
# its charts) and the HTML, and LibreOffice converts the workbook when it
# is installed.  Env: JIXIAO (binary), SRCDIR (source tree); UNITS
# overrides the 2,000.
set -u
: "${JIXIAO:?}" "${SRCDIR:?}"
JIXIAO_SCHEMES=${JIXIAO_SCHEMES:-$SRCDIR/schemes}
export JIXIAO_SCHEMES
UNITS=${UNITS:-2000}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/jixiao-batch.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$tmp" || exit 2
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() {
	fail=$((fail + 1))
	echo "FAIL: $*"
}
J=$JIXIAO
"$J" gen --units "$UNITS" --years 3 --seed 2024 -o g >/dev/null || bad "gen"
if "$J" db import -q --db t.db g >import.out 2>&1; then ok; else bad "import" && tail -5 import.out; fi
tail -n 1 import.out
if grep -qF "新增 $((UNITS * 3))，未变 0，拒收 0" import.out; then ok; else bad "import counts"; fi

"$J" db check --db t.db --format json >check.json
rc=$?
if [ $rc = 1 ]; then ok; else bad "db check exit $rc, want 1 (injected errors)"; fi
if /usr/bin/python3 - g/manifest.tsv check.json "$((UNITS * 3))" <<'PY'; then ok; else bad "findings differ from the manifest"; fi
import collections, json, sys
manifest, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
got = {}
for line in open(out, encoding="utf-8"):
    j = json.loads(line)
    got[(j["unit"], j["year"])] = collections.Counter(
        "%s:%s" % (f["id"], f["severity"]) for f in j["findings"])
good = bad = injected = 0
for line in open(manifest, encoding="utf-8"):
    path, exp, unit, year = line.rstrip("\n").split("\t")
    want = collections.Counter(x for x in exp.split(",") if x)
    injected += bool(want)
    if got.get((unit, int(year))) == want:
        good += 1
    else:
        bad += 1
        if bad <= 5:
            print("FAIL: %s %s: want %s, got %s" % (unit, year, sorted(want.elements()),
                  sorted(got.get((unit, int(year)), collections.Counter()).elements())))
print("manifest: %d of %d unit-years as expected (%d with injected errors); %d in the store"
      % (good, good + bad, injected, len(got)))
sys.exit(1 if bad or good != n or len(got) != n else 0)
PY

# The text review list agrees: one unit-year line per revision with findings.
"$J" db check --db t.db --year 2024 >check.txt
if grep -q '^按规则：' check.txt; then ok; else bad "text review list"; fi

for f in s.xlsx s.html; do
	if "$J" db summary --db t.db --year 2024 -o "$f" >/dev/null 2>&1; then ok; else bad "summary $f"; fi
done
if unzip -l s.xlsx | grep -q 'xl/charts/chart1.xml'; then ok; else bad "no chart in s.xlsx"; fi
if grep -q '<svg' s.html; then ok; else bad "no SVG in s.html"; fi
n=$(grep -c '<tr' s.html)
if [ "$n" -gt "$UNITS" ]; then ok; else bad "s.html has $n rows for $UNITS units"; fi

if command -v soffice >/dev/null 2>&1; then
	mkdir -p pdf lo
	HOME=$tmp/lo timeout 300 soffice -env:UserInstallation="file://$tmp/lo" --headless \
		--convert-to pdf --outdir pdf s.xlsx >lo.out 2>&1
	if [ -s pdf/s.pdf ]; then ok; else bad "LibreOffice did not convert s.xlsx" && cat lo.out; fi
	if command -v pdftotext >/dev/null 2>&1; then
		pdftotext pdf/s.pdf s.txt
		if grep -q '汇总' s.txt; then ok; else bad "no 汇总 in the PDF text"; fi
	fi
else
	echo "soffice not installed: conversion not tried"
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
