#!/bin/sh
# jixiao gen: every generated file must report exactly the findings listed in
# the manifest (multiset of ID:severity); unit codes are unique and every
# 所属单位's 主管部门 is in the set; last year's 决算数 carries over as 上年决算数;
# the same seed gives the same files; bad usage exits with 2.  Env: JIXIAO (binary), SRCDIR (source tree).
set -u
: "${JIXIAO:?}" "${SRCDIR:?}"
JIXIAO_SCHEMES=${JIXIAO_SCHEMES:-$SRCDIR/schemes}
export JIXIAO_SCHEMES
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

if "$JIXIAO" gen --units 60 --years 2 --seed 20240331 -o "$tmp/a" >/dev/null; then ok; else bad "gen a"; fi
if "$JIXIAO" gen --units 60 --years 2 --seed 20240331 -o "$tmp/b" >/dev/null; then ok; else bad "gen b"; fi

# Findings against the manifest: one check run over all files.  The manifest
# has four columns: path, expected findings, unit code, year.
(cd "$tmp/a" && cut -f1 manifest.tsv | xargs "$JIXIAO" check --format json) >"$tmp/check.json"
if /usr/bin/python3 - "$tmp/a" "$tmp/check.json" 120 >"$tmp/cmp.out" <<'PY'
import collections, json, sys
d, out, nwant = sys.argv[1], sys.argv[2], int(sys.argv[3])
got = {}
for line in open(out, encoding="utf-8"):
    j = json.loads(line)
    got[j["file"]] = collections.Counter(
        "%s:%s" % (f["id"], f["severity"]) for f in j["findings"])
ok = bad = 0
for line in open(d + "/manifest.tsv", encoding="utf-8"):
    path, exp, code, year = line.rstrip("\n").split("\t")
    want = collections.Counter(x for x in exp.split(",") if x)
    if got.get(path) == want:
        ok += 1
    else:
        bad += 1
        print("FAIL: %s: want %s, got %s" % (path, sorted(want.elements()),
              sorted(got.get(path, collections.Counter()).elements())))
print(ok, bad)
sys.exit(1 if bad or ok != nwant else 0)
PY
then ok; else bad "findings differ from the manifest"; fi
grep FAIL "$tmp/cmp.out"
set -- $(tail -n 1 "$tmp/cmp.out")
echo "manifest: ${1:-0} files as expected, ${2:-?} not"

# The unit tree and the carry-over: manifest columns 3 and 4 match the files;
# codes and names are unique; every 所属单位's parent is a 主管部门 of the set,
# named as it; each year's 上年决算数 of every 附件1-1 money row is the unit's
# previous year's 本年决算数 (公务接待 excepted where S01 was injected).
if /usr/bin/python3 - "$tmp/a" >"$tmp/tree.out" 2>&1 <<'PY'
import collections, sys, yaml
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
d = sys.argv[1]
errs = []
units = {}   # code -> {year: (data, findings)}
for line in open(d + "/manifest.tsv", encoding="utf-8"):
    path, exp, code, year = line.rstrip("\n").split("\t")
    y = yaml.load(open(d + "/" + path, encoding="utf-8"), Loader=Loader)
    u = y["unit"]
    if u.get("code") != code or str(y["year"]) != year:
        errs.append("%s: unit.code %r year %r, manifest %s %s"
                    % (path, u.get("code"), y["year"], code, year))
    if int(year) in units.setdefault(code, {}):
        errs.append("%s: code %s twice in %s" % (path, code, year))
    units[code][int(year)] = (y, set(exp.split(",")) - {""})
first = {c: ys[min(ys)][0]["unit"] for c, ys in units.items()}
names = collections.Counter(u["name"] for u in first.values())
errs += ["name %s used %d times" % (n, k) for n, k in names.items() if k > 1]
heads = {c: u for c, u in first.items() if not u.get("parent")}
for c, u in first.items():
    p = u.get("parent")
    if p and (p not in heads or heads[p]["name"] != u.get("parent_name")):
        errs.append("%s: parent %r %r is no 主管部门 of the set" % (c, p, u.get("parent_name")))
if not len(first) <= 8 * len(heads) <= 3 * len(first):  # about one in five
    errs.append("%d 主管部门 of %d units" % (len(heads), len(first)))
def rows(y):
    bd = y["basic_data"]
    r = {k: v for k, v in bd.items() if isinstance(v, dict) and "prev" in v}
    r.update(("special " + s["name"], s) for s in bd.get("project_special") or [])
    return r
carried = 0
for c, ys in units.items():
    for yr in sorted(ys)[1:]:
        if yr - 1 not in ys:
            continue
        a, (b, found) = rows(ys[yr - 1][0]), ys[yr]
        if b["basic_data"]["sangong"]["prev"] != a["sangong"]["actual"]:
            errs.append("%s %d: sangong.prev %r, last year's actual %r" % (
                c, yr, b["basic_data"]["sangong"]["prev"], a["sangong"]["actual"]))
        for k, v in rows(b).items():
            if v.get("prev") == "——" or (k == "reception" and "S01:error" in found):
                continue
            if k not in a or v["prev"] != a[k]["actual"]:
                errs.append("%s %d: %s.prev %r, last year's actual %r" % (
                    c, yr, k, v["prev"], a.get(k, {}).get("actual")))
            carried += 1
for e in errs[:20]:
    print("FAIL:", e)
print(len(first), "units,", len(heads), "主管部门,", carried, "rows carried over")
sys.exit(1 if errs or carried == 0 else 0)
PY
then ok; else bad "unit tree or carry-over"; fi
cat "$tmp/tree.out"

# Some files carry injected errors, most do not.
n=$(awk -F '\t' '$2 != ""' "$tmp/a/manifest.tsv" | wc -l)
if [ "$n" -gt 5 ] && [ "$n" -lt 60 ]; then ok; else bad "injected-error count $n"; fi

# Determinism: same seed, identical files; another seed, different files.
same=1
for f in $(cut -f1 "$tmp/a/manifest.tsv") manifest.tsv; do
	cmp -s "$tmp/a/$f" "$tmp/b/$f" || same=0
done
if [ $same = 1 ]; then ok; else bad "same seed gave different files"; fi
"$JIXIAO" gen --units 2 --years 1 --seed 5 -o "$tmp/c" >/dev/null
if cmp -s "$tmp/a/u0001/2024.yaml" "$tmp/c/u0001/2024.yaml"; then bad "seed ignored"; else ok; fi

# Bad usage: exit 2.
for args in "" "--units 3" "-o $tmp/x --units 0" "-o $tmp/x --units abc" \
	"-o $tmp/x --years 0" "-o $tmp/x --error-rate 1.5" "-o $tmp/x --seed -1" \
	"-o $tmp/x --bogus" "-o"; do
	# shellcheck disable=SC2086
	"$JIXIAO" gen $args >/dev/null 2>&1
	rc=$?
	if [ $rc = 2 ]; then ok; else bad "gen $args: exit $rc, want 2"; fi
done
"$JIXIAO" gen -o /dev/null/x >/dev/null 2>&1
rc=$?
if [ $rc = 2 ]; then ok; else bad "unwritable dir: exit $rc, want 2"; fi

echo "$pass passed, $fail failed"
[ $fail = 0 ]
