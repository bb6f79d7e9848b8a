#!/bin/sh
# `make bench`, third part: `jixiao audit` throughput (issue 5) against Python.
#
#   sh bench/audit.sh [BUILD_DIR]
#
# Measures a release build as bench/run.sh and bench/store.sh do: BUILD_DIR
# if it is one (meson buildtype=release), else build-bench, set up here with
# `meson setup build-bench -Dbuildtype=release` if missing.  In a fresh
# temporary directory (mktemp -d, removed at exit) it builds three inputs:
#   a. many files: the 16 corpus reports (tests/audit/reports/*.txt) and the
#      seed (tests/audit/seed-beita-2023.txt), copied over and over until
#      about $BENCH_AUDIT_MB MB (default 20);
#   b. one large file: the seed concatenated to about 4 MB;
#   c. DOCX: the report `jixiao report examples/beita-2023.yaml --force
#      --format docx` writes, copied 500 times.
# Then on ONE core (taskset -c $BENCH_CPU), best of $BENCH_REPEAT runs, peak
# RSS from /usr/bin/time -f %M, all files of an input in one process:
#   jixiao audit FILE...                  (text output, to /dev/null)
#   jixiao audit --format json FILE...    (JSON lines, to /dev/null)
#   python3 bench/py_audit.py FILE...     (a much smaller job, see the file)
# Throughput is MB/s of report text: the bytes of the .txt files; for the
# DOCX, the UTF-8 bytes of the text of its w:t runs (the file size is
# printed too).  Target: >= 10 MB/s for jixiao's text output.  Prints a
# table and met/MISSED lines to stdout; writes nothing outside the
# temporary directory.
#
# Environment: BENCH_REPEAT (3), BENCH_CPU (0), BENCH_AUDIT_MB (20),
# PYTHON (/usr/bin/python3), TMPDIR.
set -eu

cd "$(dirname "$0")/.."
ROOT=$(pwd)
REPEAT=${BENCH_REPEAT:-3}
CPU=${BENCH_CPU:-0}
MB=${BENCH_AUDIT_MB:-20}
PY=${PYTHON:-/usr/bin/python3}
[ -x "$PY" ] || PY=python3
TARGET=10 # MB/s of report text, one core

# ---- the build: a release build (bench/common.sh) ----
. "$ROOT/bench/common.sh"
release_build "${1:-}"
PA=$ROOT/bench/py_audit.py
[ -x /usr/bin/time ] || die "needs /usr/bin/time (apt-get install time)"
command -v taskset >/dev/null || die "needs taskset (util-linux)"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM
export JIXIAO_SCHEMES="$ROOT/schemes"

# ---- the inputs ----
SEED=$ROOT/tests/audit/seed-beita-2023.txt
mkdir "$TMP/many" "$TMP/big" "$TMP/docx"
SET=$(cat "$ROOT"/tests/audit/reports/*.txt "$SEED" | wc -c)
COPIES=$(awk -v mb="$MB" -v s="$SET" 'BEGIN { n = int(mb * 1e6 / s + 0.5); print n < 1 ? 1 : n }')
i=0
while [ "$i" -lt "$COPIES" ]; do
	for f in "$ROOT"/tests/audit/reports/*.txt "$SEED"; do
		cp "$f" "$TMP/many/$(printf %04d "$i")_$(basename "$f")"
	done
	i=$((i + 1))
done
: >"$TMP/big/seed-4mb.txt"
while [ "$(wc -c <"$TMP/big/seed-4mb.txt")" -lt 4000000 ]; do
	cat "$SEED" >>"$TMP/big/seed-4mb.txt"
done
SOURCE_DATE_EPOCH=1700000000 "$J" report "$ROOT/examples/beita-2023.yaml" --force \
	--format docx -o "$TMP/" >/dev/null 2>&1 || true
[ -s "$TMP/beita-2023.docx" ] || die "jixiao report --format docx wrote nothing"
i=0
while [ "$i" -lt 500 ]; do
	cp "$TMP/beita-2023.docx" "$TMP/docx/$(printf %03d "$i")_beita-2023.docx"
	i=$((i + 1))
done
NMANY=$(find "$TMP/many" -type f | wc -l)
BMANY=$(cat "$TMP"/many/* | wc -c)
BBIG=$(wc -c <"$TMP/big/seed-4mb.txt")
DOCX1=$(wc -c <"$TMP/beita-2023.docx")
DTEXT1=$("$PY" -c '
import re, sys, zipfile
x = zipfile.ZipFile(sys.argv[1]).read("word/document.xml").decode("utf-8")
print(len("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", x)).encode("utf-8")))' "$TMP/beita-2023.docx")
BDOCX=$((DTEXT1 * 500))
FDOCX=$((DOCX1 * 500))

# Sanity: every input is read (exit 0 or 1, never 2), and the seed's
# findings come out of the copies.
"$J" audit "$TMP/many/0000_seed-beita-2023.txt" >"$TMP/one.out" 2>&1 && rc=0 || rc=$?
[ "$rc" -le 1 ] || die "jixiao audit of the seed exited $rc"
grep -q 'error\[T01\]' "$TMP/one.out" || die "jixiao audit of the seed: no T01"

# ---- timing ----
now_ns() { date +%s%N; }

# run MAXRC CMD...: best wall (s) -> $BEST, least CPU (user+sys) -> $CPUT,
# largest peak RSS (KB) -> $RSS, over $REPEAT runs.
run() {
	maxrc=$1
	shift
	BEST=
	CPUT=
	RSS=
	r=0
	while [ "$r" -lt "$REPEAT" ]; do
		t0=$(now_ns)
		set +e
		taskset -c "$CPU" /usr/bin/time -f '%M %U %S' -o "$TMP/rss" "$@" >/dev/null 2>"$TMP/err"
		rc=$?
		set -e
		t1=$(now_ns)
		[ "$rc" -le "$maxrc" ] || die "$* exited $rc: $(head -c 2000 "$TMP/err")"
		[ ! -s "$TMP/err" ] || die "$* wrote to stderr: $(head -c 2000 "$TMP/err")"
		BEST=$(awk -v a="$t0" -v b="$t1" -v best="$BEST" \
			'BEGIN { s = (b - a) / 1e9; if (best == "" || s < best) best = s; printf "%.4f", best }')
		line=$(tail -n 1 "$TMP/rss")
		RSS=$(echo "$line" | awk -v m="$RSS" '{ print (m == "" || $1 > m) ? $1 : m }')
		CPUT=$(echo "$line" | awk -v c="$CPUT" '{ t = $2 + $3; print (c == "" || t < c) ? t : c }')
		r=$((r + 1))
	done
}

# The file lists are passed as arguments (glob order); the names are short.
cd "$TMP"
row() { # label bytes files
	awk -v l="$1" -v b="$2" -v n="$3" -v s="$BEST" -v c="$CPUT" -v m="$RSS" 'BEGIN {
		printf "| %-44s | %6d | %7.2f | %7.3f | %7.2f | %6.2f | %8.1f MB |\n", l, n, b / 1e6, s, b / 1e6 / s, c, m / 1024 }'
}
for job in many big docx; do
	case $job in
	many) BYTES=$BMANY N=$NMANY ;;
	big) BYTES=$BBIG N=1 ;;
	docx) BYTES=$BDOCX N=500 ;;
	esac
	run 1 "$J" audit "$job"/*
	eval "JT_$job=$BEST JC_$job=$CPUT JM_$job=$RSS"
	run 1 "$J" audit --format json "$job"/*
	eval "JJ_$job=$BEST JJC_$job=$CPUT JJM_$job=$RSS"
	run 0 "$PY" "$PA" "$job"/*
	eval "PT_$job=$BEST PC_$job=$CPUT PM_$job=$RSS"
	eval "B_$job=$BYTES N_$job=$N"
done

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)
echo "jixiao audit bench — $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(nproc) cores, ${cpu:-unknown CPU}, $(uname -sr); measured on core $CPU (taskset -c $CPU)"
echo "build:   $B (release), $(cc --version | head -n 1)"
echo "python:  $("$PY" -c 'import sys; print(sys.version.split()[0])') (standard library only)"
echo "inputs:  in $TMP ($(findmnt -n -o FSTYPE -T "$TMP" 2>/dev/null || echo '?'))"
awk -v n="$NMANY" -v b="$BMANY" -v c="$COPIES" -v s="$SET" 'BEGIN {
	printf "  a. %d files, %.2f MB: the 16 corpus reports + the seed (%.1f KB) copied %d times\n", n, b / 1e6, s / 1024, c }'
awk -v b="$BBIG" 'BEGIN { printf "  b. 1 file, %.2f MB: the seed concatenated\n", b / 1e6 }'
awk -v f="$FDOCX" -v t="$BDOCX" -v one="$DOCX1" 'BEGIN {
	printf "  c. 500 DOCX files, %.2f MB of text (%.2f MB of .docx, %d bytes each): jixiao report examples/beita-2023.yaml --format docx\n", t / 1e6, f / 1e6, one }'
echo "timing:  best of $REPEAT runs: wall clock; CPU time (user+sys) and peak RSS from /usr/bin/time -f '%M %U %S'"
echo "load:    $(cut -d ' ' -f 1-3 /proc/loadavg) (1/5/15-min load average at the end)"
echo
echo "| what                                         |  files | text MB |  wall s |    MB/s |  CPU s |    peak RSS |"
echo "|----------------------------------------------|-------:|--------:|--------:|--------:|-------:|------------:|"
for job in many big docx; do
	eval "b=\$B_$job n=\$N_$job"
	case $job in many) l="a. many files" ;; big) l="b. one 4 MB file" ;; docx) l="c. 500 DOCX" ;; esac
	eval "BEST=\$JT_$job CPUT=\$JC_$job RSS=\$JM_$job"
	row "$l: jixiao audit" "$b" "$n"
	eval "BEST=\$JJ_$job CPUT=\$JJC_$job RSS=\$JJM_$job"
	row "$l: jixiao audit --format json" "$b" "$n"
	eval "BEST=\$PT_$job CPUT=\$PC_$job RSS=\$PM_$job"
	row "$l: py_audit.py (does less)" "$b" "$n"
done
echo
for job in many big docx; do
	eval "b=\$B_$job jt=\$JT_$job jj=\$JJ_$job pt=\$PT_$job"
	case $job in many) l="a. many files" ;; big) l="b. one 4 MB file" ;; docx) l="c. 500 DOCX" ;; esac
	awk -v l="$l" -v b="$b" -v jt="$jt" -v jj="$jj" -v pt="$pt" -v goal="$TARGET" 'BEGIN {
		r = b / 1e6 / jt; rj = b / 1e6 / jj
		printf "%s: %.1f MB/s (target >= %d MB/s): %s; --format json %.1f MB/s: %s; %.1fx py_audit.py (wall)\n",
			l, r, goal, (r >= goal ? "met" : "MISSED"), rj, (rj >= goal ? "met" : "MISSED"), pt / jt }'
done
