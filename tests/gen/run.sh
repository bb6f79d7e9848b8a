#!/bin/sh
# jixiao gen: every generated file must report exactly the findings listed in
# the manifest (multiset of ID:severity); the same seed gives the same files;
# bad usage exits with 2.  Env: JIXIAO (binary), SRCDIR (source tree).
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

# Findings against the manifest: one check run over all files.
(cd "$tmp/a" && cut -f1 manifest.tsv | xargs "$JIXIAO" check --format json) >"$tmp/check.json"
if /usr/bin/python3 - "$tmp/a" "$tmp/check.json" >"$tmp/cmp.out" <<'PY'
import collections, json, sys
d, out = sys.argv[1], sys.argv[2]
got = {}
for line in open(out, encoding="utf-8"):
    j = json.loads(line)
    got[j["file"]] = collections.Counter(
        "%s:%s" % (f["id"], f["severity"]) for f in j["findings"])
ok = bad = 0
for line in open(d + "/manifest.tsv", encoding="utf-8"):
    path, exp = line.rstrip("\n").split("\t")
    want = collections.Counter(x for x in exp.split(",") if x)
    if got.get(path) == want:
        ok += 1
    else:
        bad += 1
        print("FAIL: %s: want %s, got %s" % (path, sorted(want.elements()),
              sorted(got.get(path, collections.Counter()).elements())))
print(ok, bad)
sys.exit(1 if bad or ok != 120 else 0)
PY
then ok; else bad "findings differ from the manifest"; fi
grep FAIL "$tmp/cmp.out"
set -- $(tail -n 1 "$tmp/cmp.out")
echo "manifest: ${1:-0} files as expected, ${2:-?} not"
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
