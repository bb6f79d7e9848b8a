#!/bin/sh
# An import killed with SIGKILL halfway leaves a consistent store: every
# file it finished is in, whole, and nothing else; `db verify` passes; a
# second process reads while the import runs; importing again completes
# the set without duplicates.  Env: JIXIAO (binary), SRCDIR (source tree).
set -u
: "${JIXIAO:?}" "${SRCDIR:?}"
JIXIAO_SCHEMES=${JIXIAO_SCHEMES:-$SRCDIR/schemes}
export JIXIAO_SCHEMES
tmp=$(mktemp -d "${TMPDIR:-/tmp}/jixiao-kill.XXXXXX") || exit 2
trap '[ "$pid" != 0 ] && kill -9 $pid 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
cd "$tmp" || exit 2
pass=0
fail=0
pid=0
ok() { pass=$((pass + 1)); }
bad() {
	fail=$((fail + 1))
	echo "FAIL: $*"
}
J=$JIXIAO
N=1500
"$J" gen --units $N --years 1 --seed 5 -o g >/dev/null || bad "gen"
"$J" db init --db t.db >/dev/null || bad "init"

# Import in the background; read while it runs; kill it when some (not
# all) files are in.
"$J" db import -q --db t.db g >import.out 2>&1 &
pid=$!
reads=0
readfail=0
seen=0
i=0
while [ $i -lt 2000 ]; do
	i=$((i + 1))
	if "$J" db list --db t.db --year 2024 >list.out 2>list.err; then
		reads=$((reads + 1))
		seen=$(wc -l <list.out)
	else
		# Before the first commit the schema may not exist yet.
		grep -q "Q0[12]" list.out || readfail=$((readfail + 1))
	fi
	[ "$seen" -ge 100 ] && break
done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
pid=0
echo "reads during import: $reads ok, $readfail failed; $seen revisions seen before the kill"
if [ "$reads" -gt 0 ] && [ "$readfail" = 0 ]; then ok; else bad "concurrent reads"; fi
if [ "$seen" -ge 100 ]; then ok; else bad "import too fast to kill mid-way ($seen)"; fi

# Consistent after the kill.
if "$J" db verify --db t.db >verify.out 2>&1; then ok; else bad "verify after kill" && cat verify.out; fi
have=$("$J" db list --db t.db --year 2024 | wc -l)
echo "after the kill: $have of $N files stored"
if [ "$have" -lt $N ]; then ok; else bad "the kill came too late ($have)"; fi
json=$("$J" db check --db t.db --format json | wc -l)
if [ "$json" = "$have" ]; then ok; else bad "review list has $json rows for $have revisions"; fi

# Again: the rest goes in, what was in is unchanged.
"$J" db import -q --db t.db g >again.out 2>&1
if grep -qF "新增 $((N - have))，未变 $have，拒收 0" again.out; then ok; else
	bad "re-import: $(tail -n 1 again.out), want 新增 $((N - have))，未变 $have"
fi
total=$("$J" db list --db t.db --year 2024 --all | wc -l)
if [ "$total" = $N ]; then ok; else bad "$total revisions in the end, want $N"; fi
if "$J" db verify --db t.db >/dev/null 2>&1; then ok; else bad "verify at the end"; fi

# Two importers at once: no duplicates, no errors.
"$J" gen --units 200 --years 1 --seed 6 -o h >/dev/null
"$J" db import -q --db t.db h >a.out 2>&1 &
p1=$!
"$J" db import -q --db t.db h >b.out 2>&1
rc2=$?
wait $p1
rc1=$?
if [ $rc1 = 0 ] && [ $rc2 = 0 ]; then ok; else bad "parallel imports: $rc1 $rc2" && cat a.out b.out; fi
total=$("$J" db list --db t.db --year 2024 --all | wc -l)
if [ "$total" = $((N + 200)) ]; then ok; else bad "$total revisions after parallel imports, want $((N + 200))"; fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
