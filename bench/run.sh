#!/bin/sh
# `make bench`: jixiao's throughput against bare libyaml and against Python.
#
#   sh bench/run.sh [BUILD_DIR]
#
# Measures a release build: BUILD_DIR if it is one (meson buildtype=release),
# else build-bench, set up here with `meson setup build-bench
# -Dbuildtype=release` if missing.  (`make bench` passes its debugoptimized
# `build`; that one is not measured.)  Generates bench/data/ with
# bench/gen.py if it holds fewer than $BENCH_FILES files, then on ONE core
# (taskset -c 0), best of $BENCH_REPEAT runs each, for the first 1,000 and
# all 3,000 files:
#   (a) bench/yaml_parse: bare libyaml event parsing, the lower bound;
#   (b) jixiao check --format json, all files in one process;
#   (c) bench/py_check.py, the same core job in Python + PyYAML;
# with peak RSS from /usr/bin/time -f %M.  Then, on the same core, for the
# first $BENCH_REPORT_FILES (1,000) files, report throughput (one unit = one
# .docx + one .xlsx):
#   (d) jixiao report --force --format docx,xlsx -o TMPDIR, one process;
#   (e) bench/py_report.py, the same reports with python-docx + openpyxl.
# Prints tables, the ratios and met/PASS/MISSED lines to stdout; writes
# nothing else (temporary files, the reports included, are removed).
#
# Environment: BENCH_FILES (3000), BENCH_SMALL (1000), BENCH_REPEAT (3),
# BENCH_CPU (0), BENCH_REPORT_FILES (1000), PYTHON (/usr/bin/python3,
# Debian's, with python3-yaml, python3-docx, python3-openpyxl).
# The file lists are split into arguments on purpose (paths have no spaces);
# the timing variables are set through eval.
# shellcheck disable=SC2046,SC2154
set -eu

cd "$(dirname "$0")/.."
ROOT=$(pwd)
NBIG=${BENCH_FILES:-3000}
NSMALL=${BENCH_SMALL:-1000}
REPEAT=${BENCH_REPEAT:-3}
CPU=${BENCH_CPU:-0}
PY=${PYTHON:-/usr/bin/python3}
[ -x "$PY" ] || PY=python3
DATA=$ROOT/bench/data
TARGET_FPS=2500   # the issue's goal: <= 1.5x the libyaml bound (~3,800 files/s there)

# ---- the build: a release build (bench/common.sh) ----
. "$ROOT/bench/common.sh"
release_build "${1:-}"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM
YP=$TMP/yaml_parse
cc -O2 -o "$YP" bench/yaml_parse.c $(pkg-config --cflags --libs yaml-0.1) ||
	die "cannot compile bench/yaml_parse.c (needs libyaml-dev, pkg-config)"

# ---- the corpus ----
# Regenerated when missing, too small, or made by another version of the
# generator (the stamp is a checksum of gen.py, py_check.py and the seed).
stamp=$(cat bench/gen.py bench/py_check.py examples/beita-2023.yaml | cksum | cut -d ' ' -f 1)
have=$(find "$DATA" -maxdepth 1 -name 'unit-*.yaml' 2>/dev/null | wc -l)
if [ "$have" -lt "$NBIG" ] || [ "$(cat "$DATA/.stamp" 2>/dev/null)" != "$stamp" ]; then
	echo "bench: generating $NBIG files in bench/data/ ..." >&2
	rm -f "$DATA"/unit-*.yaml "$DATA/.stamp"
	"$PY" bench/gen.py -n "$NBIG" -o "$DATA" --validate "$J" --every 25 >&2 ||
		die "bench/gen.py failed"
	echo "$stamp" >"$DATA/.stamp"
fi
i=1
: >"$TMP/all.list"
while [ "$i" -le "$NBIG" ]; do
	printf 'bench/data/unit-%05d.yaml\n' "$i"
	i=$((i + 1))
done >"$TMP/all.list"
head -n "$NSMALL" "$TMP/all.list" >"$TMP/small.list"
xargs cat <"$TMP/all.list" >/dev/null # into the page cache
BYTES=$(xargs cat <"$TMP/all.list" | wc -c)

# The Python baseline must do the same job: compare its results with
# jixiao's on every 10th file (same findings for its rules, same totals).
awk 'NR % 10 == 1' "$TMP/all.list" >"$TMP/verify.list"
set +e
"$J" check --format json $(cat "$TMP/verify.list") >"$TMP/verify.jsonl" 2>"$TMP/verify.err"
rc=$?
set -e
[ "$rc" -le 1 ] || die "jixiao cannot load part of the corpus (exit $rc): $(head -c 1000 "$TMP/verify.err")
$(grep -m 1 '"loaded":false' "$TMP/verify.jsonl" | head -c 1500)"
"$PY" bench/py_check.py --list "$TMP/verify.list" --verify "$TMP/verify.jsonl" >/dev/null 2>"$TMP/verify.py" ||
	die "bench/py_check.py disagrees with jixiao: $(cat "$TMP/verify.py")"
LOADER=$(sed -n 's/^py_check: \(.*\), [0-9]* files$/\1/p' "$TMP/verify.py" | head -n 1)
VERIFIED=$(sed -n 's/^py_check: verify: \(.*\)$/\1/p' "$TMP/verify.py")

# ---- timing ----
if [ -x /usr/bin/time ]; then HAVE_TIME=1; else HAVE_TIME=0; fi
now_ns() { date +%s%N; }

# run MAXRC CMD...: over $REPEAT runs, the best wall time (s) -> $BEST, the
# least CPU time (user+sys, s) -> $CPUT, the largest peak RSS (KB) -> $RSS
run() {
	maxrc=$1
	shift
	BEST=
	CPUT=n/a
	RSS=n/a
	r=0
	while [ "$r" -lt "$REPEAT" ]; do
		t0=$(now_ns)
		set +e
		if [ "$HAVE_TIME" = 1 ]; then
			taskset -c "$CPU" /usr/bin/time -f '%M %U %S' -o "$TMP/rss" "$@" >/dev/null 2>"$TMP/err"
		else
			taskset -c "$CPU" "$@" >/dev/null 2>"$TMP/err"
		fi
		rc=$?
		set -e
		t1=$(now_ns)
		[ "$rc" -le "$maxrc" ] || die "$* exited $rc: $(head -c 2000 "$TMP/err")"
		BEST=$(awk -v a="$t0" -v b="$t1" -v best="$BEST" \
			'BEGIN { s = (b - a) / 1e9; if (best == "" || s < best) best = s; printf "%.4f", best }')
		if [ "$HAVE_TIME" = 1 ]; then
			line=$(tail -n 1 "$TMP/rss")
			RSS=$(echo "$line" | awk -v m="$RSS" '{ print (m == "n/a" || $1 > m) ? $1 : m }')
			CPUT=$(echo "$line" | awk -v c="$CPUT" '{ t = $2 + $3; print (c == "n/a" || t < c) ? t : c }')
		fi
		r=$((r + 1))
	done
}

row() { # label files wall cpu rss
	awk -v l="$1" -v n="$2" -v s="$3" -v c="$4" -v m="$5" 'BEGIN {
		printf "| %-31s | %5d | %7.3f | %7.0f | %6s | %11s | %9s |\n", l, n, s, n / s,
			(c == "n/a" ? c : sprintf("%.2f", c)), (c == "n/a" || c == 0 ? "n/a" : sprintf("%.0f", n / c)),
			(m == "n/a" ? m : sprintf("%.1f MB", m / 1024)) }'
}

for n in "$NSMALL" "$NBIG"; do
	list=$TMP/small.list
	if [ "$n" = "$NBIG" ]; then list=$TMP/all.list; fi
	run 0 "$YP" -l "$list"
	eval "Y_T_$n=$BEST Y_C_$n=$CPUT Y_M_$n=$RSS"
	run 1 "$J" check --format json $(cat "$list")
	eval "J_T_$n=$BEST J_C_$n=$CPUT J_M_$n=$RSS"
	run 0 "$PY" bench/py_check.py --list "$list"
	eval "P_T_$n=$BEST P_C_$n=$CPUT P_M_$n=$RSS"
done

# ---- reports: DOCX + XLSX ----
# jixiao report --force --format docx,xlsx over the first $BENCH_REPORT_FILES
# files in one process, against bench/py_report.py (python-docx + openpyxl).
# One unit = one .docx + one .xlsx.  Output goes to a fresh directory in $TMP
# per run (removed after each run).
NREP=${BENCH_REPORT_FILES:-1000}
TARGET_UPS=200   # report units/s for jixiao
TARGET_REP_X=20  # jixiao >= 20x faster than Python
head -n "$NREP" "$TMP/all.list" >"$TMP/report.list"
NREP=$(wc -l <"$TMP/report.list")
"$PY" -c 'import docx, openpyxl' 2>/dev/null ||
	die "$PY lacks python-docx/openpyxl (apt-get install python3-docx python3-openpyxl)"
# Reports are written to memory (tmpfs) where there is one, for jixiao and
# Python alike, so that what is measured is the programs and not the disk:
# on this machine's ext4 creating 2,000 files costs about 1 ms each in the
# kernel.  BENCH_OUT=/path overrides.
OUTBASE=${BENCH_OUT:-}
if [ -z "$OUTBASE" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
	OUTBASE=$(mktemp -d /dev/shm/jixiao-bench.XXXXXX)
fi
OUTBASE=${OUTBASE:-$TMP}
# run_out MAXRC CMD... : like run, but CMD writes into a fresh $TMP/out
run_out() {
	maxrc=$1
	shift
	R_BEST=
	R_CPU=n/a
	R_RSS=n/a
	rr=0
	while [ "$rr" -lt "$REPEAT" ]; do
		rm -rf "$OUTBASE/out"
		mkdir "$OUTBASE/out"
		REPEAT_SAVE=$REPEAT
		REPEAT=1
		run "$maxrc" "$@"
		REPEAT=$REPEAT_SAVE
		n_docx=$(find "$OUTBASE/out" -name '*.docx' | wc -l)
		n_xlsx=$(find "$OUTBASE/out" -name '*.xlsx' | wc -l)
		[ "$n_docx" -eq "$NREP" ] && [ "$n_xlsx" -eq "$NREP" ] ||
			die "$1 wrote $n_docx .docx and $n_xlsx .xlsx for $NREP files"
		R_BEST=$(awk -v a="$BEST" -v b="$R_BEST" 'BEGIN { print (b == "" || a < b) ? a : b }')
		R_CPU=$(awk -v a="$CPUT" -v b="$R_CPU" 'BEGIN { print (b == "n/a" || a < b) ? a : b }')
		R_RSS=$(awk -v a="$RSS" -v b="$R_RSS" 'BEGIN { print (b == "n/a" || a > b) ? a : b }')
		rr=$((rr + 1))
	done
	rm -rf "$OUTBASE/out"
}
echo "reports: written under $OUTBASE"
run_out 0 "$J" report --force --format docx,xlsx -o "$OUTBASE/out" $(cat "$TMP/report.list")
JR_T=$R_BEST JR_C=$R_CPU JR_M=$R_RSS
run_out 0 "$PY" bench/py_report.py -o "$OUTBASE/out" --list "$TMP/report.list"
[ "$OUTBASE" != "$TMP" ] && [ -z "${BENCH_OUT:-}" ] && rm -rf "$OUTBASE"
PR_T=$R_BEST PR_C=$R_CPU PR_M=$R_RSS

# ---- report ----
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo "jixiao bench — $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(nproc) cores, ${cpu:-unknown CPU}, $(uname -sr); measured on core $CPU (taskset -c $CPU)"
echo "build:   $B (release), $(cc --version | head -n 1); libyaml $(pkg-config --modversion yaml-0.1)"
echo "python:  $("$PY" -c 'import sys,yaml; print(sys.version.split()[0], "PyYAML", yaml.__version__)'), $LOADER; $("$PY" -c 'import docx, openpyxl; print("python-docx", getattr(docx, "__version__", "?"), "openpyxl", openpyxl.__version__)' 2>/dev/null)"
awk -v n="$NBIG" -v b="$BYTES" 'BEGIN { printf "corpus:  bench/data/, %d files, %.1f MB, %.1f KB/file on average\n", n, b / 1e6, b / n / 1024 }'
echo "check:   py_check.py agrees with jixiao on the shared rules: $VERIFIED"
echo "timing:  best of $REPEAT runs: wall clock, and CPU time (user+sys) and peak RSS from /usr/bin/time -f '%M %U %S'"
echo "load:    $(cut -d ' ' -f 1-3 /proc/loadavg) (1/5/15-min load average at the end; wall > CPU means the core was shared)"
echo
echo "| what                            | files |  wall s | files/s |  CPU s | files/CPU-s |  peak RSS |"
echo "|---------------------------------|------:|--------:|--------:|-------:|------------:|----------:|"
for n in "$NSMALL" "$NBIG"; do
	eval "row 'libyaml parse only (bound)' $n \$Y_T_$n \$Y_C_$n \$Y_M_$n"
	eval "row 'jixiao check --format json' $n \$J_T_$n \$J_C_$n \$J_M_$n"
	eval "row 'Python + PyYAML (py_check.py)' $n \$P_T_$n \$P_C_$n \$P_M_$n"
done
echo
eval "yt=\$Y_T_$NBIG jt=\$J_T_$NBIG pt=\$P_T_$NBIG yc=\$Y_C_$NBIG jc=\$J_C_$NBIG pc=\$P_C_$NBIG"
awk -v n="$NBIG" -v y="$yt" -v j="$jt" -v p="$pt" -v yc="$yc" -v jc="$jc" -v pc="$pc" -v goal="$TARGET_FPS" 'BEGIN {
	r = j / y
	printf "jixiao / libyaml bound, wall: %.2fx the time (target <= 1.50x): %s\n", r, (r <= 1.5 ? "met" : "MISSED")
	if (yc != "n/a" && yc > 0) {
		rc = jc / yc
		printf "jixiao / libyaml bound, CPU:  %.2fx the time (target <= 1.50x): %s\n", rc, (rc <= 1.5 ? "met" : "MISSED")
	}
	printf "jixiao: %.0f files/s wall (target >= %d files/s): %s\n", n / j, goal, (n / j >= goal ? "met" : "MISSED")
	printf "jixiao vs Python: %.1fx faster (wall)", p / j
	if (jc != "n/a" && jc > 0)
		printf ", %.1fx (CPU)", pc / jc
	printf "\n"
}'
echo
echo "Reports (DOCX + XLSX), first $NREP files, one process each; 1 unit = one .docx + one .xlsx:"
echo
echo "| what                                   | units |  wall s | units/s |  CPU s | units/CPU-s |  peak RSS |"
echo "|----------------------------------------|------:|--------:|--------:|-------:|------------:|----------:|"
row2() {
	awk -v l="$1" -v n="$2" -v s="$3" -v c="$4" -v m="$5" 'BEGIN {
		printf "| %-38s | %5d | %7.3f | %7.1f | %6s | %11s | %9s |\n", l, n, s, n / s,
			(c == "n/a" ? c : sprintf("%.2f", c)), (c == "n/a" || c == 0 ? "n/a" : sprintf("%.1f", n / c)),
			(m == "n/a" ? m : sprintf("%.1f MB", m / 1024)) }'
}
row2 'jixiao report --format docx,xlsx' "$NREP" "$JR_T" "$JR_C" "$JR_M"
row2 'Python: python-docx + openpyxl' "$NREP" "$PR_T" "$PR_C" "$PR_M"
echo
awk -v n="$NREP" -v j="$JR_T" -v p="$PR_T" -v jc="$JR_C" -v pc="$PR_C" -v goal="$TARGET_UPS" -v gx="$TARGET_REP_X" 'BEGIN {
	u = n / j
	printf "jixiao report: %.0f units/s wall (target >= %d units/s): %s\n", u, goal, (u >= goal ? "PASS" : "MISSED")
	if (jc != "n/a" && jc > 0) {
		uc = n / jc
		printf "jixiao report: %.0f units/CPU-s (target >= %d): %s\n", uc, goal, (uc >= goal ? "PASS" : "MISSED")
	}
	x = p / j
	printf "jixiao report vs Python: %.1fx faster (wall) (target >= %dx): %s\n", x, gx, (x >= gx ? "PASS" : "MISSED")
	if (jc != "n/a" && jc > 0 && pc != "n/a") {
		xc = pc / jc
		printf "jixiao report vs Python: %.1fx faster (CPU) (target >= %dx): %s\n", xc, gx, (xc >= gx ? "PASS" : "MISSED")
	}
}'
