#!/bin/sh
# `make bench`, second part: the store (`jixiao db`) against Python.
#
#   sh bench/store.sh [BUILD_DIR]
#
# Measures a release build as bench/run.sh does: BUILD_DIR if it is one
# (meson buildtype=release), else build-bench, set up here with `meson setup
# build-bench -Dbuildtype=release` if missing.  In a fresh temporary
# directory (mktemp -d, removed at exit; the databases live there too, so
# they are on TMPDIR's filesystem, printed below) it generates two corpora
# with `jixiao gen --seed 1`: 1,000 units x 3 years (3,000 files) and
# 10,000 units x 1 year (10,000 files).  Then on ONE core (taskset -c
# $BENCH_CPU), best of $BENCH_REPEAT runs each, peak RSS from
# /usr/bin/time -f %M:
#   1. import: `jixiao db import -q --db X.db DIR` into a fresh database
#      each run (files/s);
#   2. check: `jixiao db check --db X.db --format json` and `--format csv`
#      over each store (evaluations/s = latest revisions reviewed per s;
#      target >= 100,000/s);
#   3. summary: `jixiao db summary --db X.db --year 2024 -o s.xlsx` and
#      `-o s.html` (wall s; target < 1 s for 10,000 units);
#   4. memory: peak RSS at 1,000 vs 10,000 units, and the ratio;
#   5. the same jobs with bench/py_store.py (Debian python3: sqlite3,
#      PyYAML, openpyxl): import, the review list as JSON lines, a summary
#      XLSX; and the jixiao/Python ratios.
# Before timing, py_store.py's review list is compared with jixiao's on
# every revision of both stores (unit, year, revision, total, grade): the
# baseline does the same job.  Prints tables and met/MISSED lines to
# stdout; writes nothing outside the temporary directory.
#
# Environment: BENCH_REPEAT (3), BENCH_CPU (0), PYTHON (/usr/bin/python3),
# TMPDIR (where the corpora and databases go).
# shellcheck disable=SC2154
set -eu

cd "$(dirname "$0")/.."
ROOT=$(pwd)
REPEAT=${BENCH_REPEAT:-3}
CPU=${BENCH_CPU:-0}
PY=${PYTHON:-/usr/bin/python3}
[ -x "$PY" ] || PY=python3
YEAR=2024
TARGET_EPS=100000 # check from the store: evaluations/s
TARGET_SUM=1      # summary of 10,000 units: seconds
FLAT=1.25         # "flat": peak RSS at 10,000 units <= 1.25x that at 1,000

# ---- the build: a release build (bench/common.sh) ----
. "$ROOT/bench/common.sh"
release_build "${1:-}"
PS=$ROOT/bench/py_store.py
"$PY" -c 'import sqlite3, yaml, openpyxl' 2>/dev/null ||
	die "$PY lacks PyYAML/openpyxl (apt-get install python3-yaml python3-openpyxl)"
[ -x /usr/bin/time ] || die "needs /usr/bin/time (apt-get install time)"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM
cd "$TMP" # file names in the stores are relative: c1k/u0001/2022.yaml
FS=$(stat -f -c %T "$TMP")
FSM=$(findmnt -n -o FSTYPE -T "$TMP" 2>/dev/null || echo "?")

# ---- the corpora ----
"$J" gen --units 1000 --years 3 --seed 1 -o c1k >/dev/null || die "jixiao gen (1,000 x 3) failed"
"$J" gen --units 10000 --years 1 --seed 1 -o c10k >/dev/null || die "jixiao gen (10,000 x 1) failed"
N1=$(find c1k -name '*.yaml' | wc -l)
N10=$(find c10k -name '*.yaml' | wc -l)
B1=$(find c1k -name '*.yaml' -exec cat {} + | wc -c)
B10=$(find c10k -name '*.yaml' -exec cat {} + | wc -c)

# ---- timing ----
now_ns() { date +%s%N; }

# run MAXRC CMD...: over $REPEAT runs (each after `eval "$PRE"`), the best
# wall time (s) -> $BEST, the least CPU time (user+sys) -> $CPUT, the
# largest peak RSS (KB) -> $RSS
PRE=:
run() {
	maxrc=$1
	shift
	BEST=
	CPUT=
	RSS=
	r=0
	while [ "$r" -lt "$REPEAT" ]; do
		eval "$PRE"
		t0=$(now_ns)
		set +e
		taskset -c "$CPU" /usr/bin/time -f '%M %U %S' -o "$TMP/rss" "$@" >/dev/null 2>"$TMP/err"
		rc=$?
		set -e
		t1=$(now_ns)
		[ "$rc" -le "$maxrc" ] || die "$* exited $rc: $(head -c 2000 "$TMP/err")"
		BEST=$(awk -v a="$t0" -v b="$t1" -v best="$BEST" \
			'BEGIN { s = (b - a) / 1e9; if (best == "" || s < best) best = s; printf "%.4f", best }')
		line=$(tail -n 1 "$TMP/rss")
		RSS=$(echo "$line" | awk -v m="$RSS" '{ print (m == "" || $1 > m) ? $1 : m }')
		CPUT=$(echo "$line" | awk -v c="$CPUT" '{ t = $2 + $3; print (c == "" || t < c) ? t : c }')
		r=$((r + 1))
	done
	PRE=:
}
fresh() { echo "rm -f '$TMP/$1' '$TMP/$1-wal' '$TMP/$1-shm' '$TMP/$1-journal'"; }

# ---- 1. import ----
for s in 1k 10k; do
	PRE=$(fresh "j$s.db")
	run 0 "$J" db import -q --db "j$s.db" "c$s"
	eval "JI_T_$s=$BEST JI_C_$s=$CPUT JI_M_$s=$RSS"
	PRE=$(fresh "p$s.db")
	run 0 "$PY" "$PS" import --db "p$s.db" "c$s"
	eval "PI_T_$s=$BEST PI_C_$s=$CPUT PI_M_$s=$RSS"
done
DBSIZE_10k=$(stat -c %s j10k.db)

# ---- the baseline does the same job ----
for s in 1k 10k; do
	set +e
	"$J" db check --db "j$s.db" --format json >"j$s.jsonl" 2>"$TMP/err"
	rc=$?
	"$PY" "$PS" check --db "p$s.db" >"p$s.jsonl" 2>>"$TMP/err"
	rc2=$?
	set -e
	{ [ "$rc" -le 1 ] && [ "$rc2" -le 1 ]; } || die "check of the $s store failed: $(head -c 2000 "$TMP/err")"
	"$PY" - "j$s.jsonl" "p$s.jsonl" <<'EOF' || die "py_store.py's review list differs from jixiao's ($s)"
import json, sys
def load(p):
    out = {}
    for line in open(p, encoding="utf-8"):
        r = json.loads(line)
        s = r["summary"]
        out[r["file"]] = (r["unit"], r["year"], r["rev"], s["total"], s["grade"], s["stated_total"])
    return out
j, p = load(sys.argv[1]), load(sys.argv[2])
bad = [k for k in j if p.get(k) != j[k]] + [k for k in p if k not in j]
for k in bad[:5]:
    sys.stderr.write("differs: %s jixiao %s python %s\n" % (k, j.get(k), p.get(k)))
sys.exit(1 if bad or not j else 0)
EOF
	eval "NE_$s=$(wc -l <"j$s.jsonl")"
done
NU_1k=$(grep -c "\"year\":$YEAR," j1k.jsonl)
NU_10k=$(grep -c "\"year\":$YEAR," j10k.jsonl)

# ---- 2. check from the store ----
for s in 1k 10k; do
	run 1 "$J" db check --db "j$s.db" --format json
	eval "JJ_T_$s=$BEST JJ_C_$s=$CPUT JJ_M_$s=$RSS"
	run 1 "$J" db check --db "j$s.db" --format csv
	eval "JC_T_$s=$BEST JC_C_$s=$CPUT JC_M_$s=$RSS"
	run 1 "$PY" "$PS" check --db "p$s.db"
	eval "PJ_T_$s=$BEST PJ_C_$s=$CPUT PJ_M_$s=$RSS"
done

# ---- 3. summary ----
for s in 1k 10k; do
	run 0 "$J" db summary --db "j$s.db" --year "$YEAR" -o "$TMP/s.xlsx"
	eval "JX_T_$s=$BEST JX_C_$s=$CPUT JX_M_$s=$RSS"
	run 0 "$J" db summary --db "j$s.db" --year "$YEAR" -o "$TMP/s.html"
	eval "JH_T_$s=$BEST JH_C_$s=$CPUT JH_M_$s=$RSS"
	run 0 "$PY" "$PS" summary --db "p$s.db" --year "$YEAR" -o "$TMP/p.xlsx"
	eval "PX_T_$s=$BEST PX_C_$s=$CPUT PX_M_$s=$RSS"
done
SX_10k=$(stat -c %s s.xlsx)
SH_10k=$(stat -c %s s.html)
PX_10k=$(stat -c %s p.xlsx)

# ---- report ----
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo "jixiao store bench — $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(nproc) cores, ${cpu:-unknown CPU}, $(uname -sr); measured on core $CPU (taskset -c $CPU)"
echo "build:   $B (release), $(cc --version | head -n 1); SQLite $(pkg-config --modversion sqlite3 2>/dev/null || echo '?')"
echo "python:  $("$PY" -c 'import sys, sqlite3, yaml, openpyxl; print(sys.version.split()[0], "sqlite3", sqlite3.sqlite_version, "PyYAML", yaml.__version__, "openpyxl", openpyxl.__version__)'), $("$PY" -c 'import sys; sys.path.insert(0, sys.argv[1]); import py_check; print(py_check.LOADER_NAME)' "$ROOT/bench")"
echo "files:   corpora and databases in $TMP: stat -f says $FS, mount type $FSM"
awk -v a="$N1" -v b="$B1" -v c="$N10" -v d="$B10" 'BEGIN {
	printf "corpora: jixiao gen --seed 1: 1,000 units x 3 years = %d files (%.1f MB); 10,000 units x 1 year = %d files (%.1f MB)\n", a, b / 1e6, c, d / 1e6 }'
echo "stores:  latest revisions: $NE_1k and $NE_10k; units in $YEAR: $NU_1k and $NU_10k; the 10,000-unit store is $((DBSIZE_10k / 1048576)) MB"
echo "same job: py_store.py's review list = jixiao's on unit, year, revision, total, grade and stated total for all $NE_1k + $NE_10k revisions"
echo "timing:  best of $REPEAT runs: wall clock; CPU time (user+sys) and peak RSS from /usr/bin/time -f '%M %U %S'"
echo "load:    $(cut -d ' ' -f 1-3 /proc/loadavg) (1/5/15-min load average at the end)"
echo

row() { # label n unit wall cpu rss
	awk -v l="$1" -v n="$2" -v s="$3" -v c="$4" -v m="$5" 'BEGIN {
		printf "| %-44s | %6d | %7.3f | %9.0f | %6.2f | %8.1f MB |\n", l, n, s, n / s, c, m / 1024 }'
}
echo "| what                                         |  files |  wall s |   files/s |  CPU s |    peak RSS |"
echo "|----------------------------------------------|-------:|--------:|----------:|-------:|------------:|"
row "jixiao db import -q (1,000 units x 3 years)" "$N1" "$JI_T_1k" "$JI_C_1k" "$JI_M_1k"
row "py_store.py import (1,000 x 3)" "$N1" "$PI_T_1k" "$PI_C_1k" "$PI_M_1k"
row "jixiao db import -q (10,000 units x 1 year)" "$N10" "$JI_T_10k" "$JI_C_10k" "$JI_M_10k"
row "py_store.py import (10,000 x 1)" "$N10" "$PI_T_10k" "$PI_C_10k" "$PI_M_10k"
echo
echo "| what                                         |  evals |  wall s |   evals/s |  CPU s |    peak RSS |"
echo "|----------------------------------------------|-------:|--------:|----------:|-------:|------------:|"
for s in 1k 10k; do
	eval "n=\$NE_$s"
	eval "row 'jixiao db check --format json ($s store)' $n \$JJ_T_$s \$JJ_C_$s \$JJ_M_$s"
	eval "row 'jixiao db check --format csv ($s store)' $n \$JC_T_$s \$JC_C_$s \$JC_M_$s"
	eval "row 'py_store.py check, JSON lines ($s store)' $n \$PJ_T_$s \$PJ_C_$s \$PJ_M_$s"
done
echo
echo "| what                                         |  units |  wall s |   units/s |  CPU s |    peak RSS |"
echo "|----------------------------------------------|-------:|--------:|----------:|-------:|------------:|"
for s in 1k 10k; do
	eval "n=\$NU_$s"
	eval "row 'jixiao db summary -o s.xlsx ($s, $YEAR)' $n \$JX_T_$s \$JX_C_$s \$JX_M_$s"
	eval "row 'jixiao db summary -o s.html ($s, $YEAR)' $n \$JH_T_$s \$JH_C_$s \$JH_M_$s"
	eval "row 'py_store.py summary (openpyxl) ($s, $YEAR)' $n \$PX_T_$s \$PX_C_$s \$PX_M_$s"
done
awk -v a="$SX_10k" -v b="$SH_10k" -v c="$PX_10k" 'BEGIN {
	printf "\noutput for 10,000 units: s.xlsx %.2f MB, s.html %.2f MB; py_store.py'"'"'s xlsx %.2f MB\n", a / 1e6, b / 1e6, c / 1e6 }'
echo
echo "Memory, 1,000 vs 10,000 units (peak RSS):"
echo
echo "| what                      |  1,000 units | 10,000 units |  ratio |"
echo "|---------------------------|-------------:|-------------:|-------:|"
mrow() {
	awk -v l="$1" -v a="$2" -v b="$3" 'BEGIN {
		printf "| %-25s | %9.1f MB | %9.1f MB | %5.2fx |\n", l, a / 1024, b / 1024, b / a }'
}
mrow "jixiao db import" "$JI_M_1k" "$JI_M_10k"
mrow "jixiao db check json" "$JJ_M_1k" "$JJ_M_10k"
mrow "jixiao db check csv" "$JC_M_1k" "$JC_M_10k"
mrow "jixiao db summary xlsx" "$JX_M_1k" "$JX_M_10k"
mrow "jixiao db summary html" "$JH_M_1k" "$JH_M_10k"
mrow "py_store.py import" "$PI_M_1k" "$PI_M_10k"
mrow "py_store.py check" "$PJ_M_1k" "$PJ_M_10k"
mrow "py_store.py summary" "$PX_M_1k" "$PX_M_10k"
echo
awk -v n="$N10" -v ji="$JI_T_10k" -v pi="$PI_T_10k" -v jic="$JI_C_10k" -v pic="$PI_C_10k" \
	-v ne="$NE_10k" -v jj="$JJ_T_10k" -v jc="$JC_T_10k" -v pj="$PJ_T_10k" -v goal="$TARGET_EPS" \
	-v jx="$JX_T_10k" -v jh="$JH_T_10k" -v px="$PX_T_10k" -v gs="$TARGET_SUM" -v flat="$FLAT" \
	-v m1="$JI_M_1k $JJ_M_1k $JC_M_1k $JX_M_1k $JH_M_1k" \
	-v m10="$JI_M_10k $JJ_M_10k $JC_M_10k $JX_M_10k $JH_M_10k" 'BEGIN {
	printf "import: %.0f files/s (10,000 files; no target), %.1fx Python (wall), %.1fx (CPU)\n",
		n / ji, pi / ji, pic / jic
	printf "check from the store, json: %.0f evaluations/s (target >= %d/s): %s\n", ne / jj, goal,
		(ne / jj >= goal ? "met" : "MISSED")
	printf "check from the store, csv:  %.0f evaluations/s (target >= %d/s): %s\n", ne / jc, goal,
		(ne / jc >= goal ? "met" : "MISSED")
	printf "check vs Python (JSON lines): %.1fx faster (wall)\n", pj / jj
	printf "summary of 10,000 units, xlsx: %.3f s (target < %d s): %s\n", jx, gs, (jx < gs ? "met" : "MISSED")
	printf "summary of 10,000 units, html: %.3f s (target < %d s): %s\n", jh, gs, (jh < gs ? "met" : "MISSED")
	printf "summary xlsx vs Python (openpyxl): %.1fx faster (wall)\n", px / jx
	split(m1, a, " "); split(m10, b, " ")
	split("import,check json,check csv,summary xlsx,summary html", w, ",")
	for (i = 1; i <= 5; i++)
		printf "memory flat, %s: %.2fx from 1,000 to 10,000 units (flat: <= %.2fx): %s\n", w[i],
			b[i] / a[i], flat, (b[i] / a[i] <= flat ? "met" : "MISSED")
}'
