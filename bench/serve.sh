#!/bin/sh
# `make bench`, fourth part: `jixiao serve` under load (issue 6).
#
#   sh bench/serve.sh [BUILD_DIR]
#
# Measures a release build as bench/run.sh, store.sh and audit.sh do:
# BUILD_DIR if it is one (meson buildtype=release), else build-bench, set
# up here with `meson setup build-bench -Dbuildtype=release` if missing.
# In a fresh temporary directory (mktemp -d, removed at exit):
#   1. a store: `jixiao gen --units $BENCH_SERVE_UNITS (2000) --years 2
#      --seed 2024`, the 2023 files imported with `jixiao db import`, and
#      three accounts (admin; reviewer rev; filler fill of unit 101001);
#   2. `jixiao serve --threads 2 -q` on 127.0.0.1 (a free port), and the
#      reviewer and the filler logged in (POST /login; the CSRF token read
#      from the filler's unit page);
#   3. wrk (-t $BENCH_SERVE_WRK_THREADS (2) -c $BENCH_SERVE_CONNS (32)
#      -d $BENCH_SERVE_SECONDS (20) s --latency) against
#        (a) GET /desk?year=2023 as the reviewer (bench/serve_desk.lua),
#        (b) POST /api/evaluate?scheme=hunan-dept-overall&year=2023 as the
#            filler with the seed's form body, tests/web/flatten.py
#            examples/beita-2023.yaml (bench/serve_evaluate.lua);
#      requests/s, p50 and p99 latency; any non-2xx/3xx response or socket
#      error fails the bench (and 3xx is ruled out by checking, before and
#      after the load, that both sessions still get 200 pages: a 303 would
#      be a lost session); the server's CPU time (utime+stime from
#      /proc/PID/stat) over (b) divided by its requests is the per-request
#      CPU cost;
#   4. a soak: (b) again for $BENCH_SERVE_SOAK (120) s, the server's VmRSS
#      (/proc/PID/status) sampled every 10 s: first, last and max; flat
#      means last - first <= 10% of first (and <= 16 MB);
#   5. bench/py_serve.py: the core of the evaluate job (PyYAML load of the
#      seed, py_check.py's totals and rules, json.dumps) in one Python
#      process, CPU per request, against the server's CPU per request.
# Targets (issue 6): evaluate >= 2,000 req/s on 2 cores, p99 < 50 ms.
# The server and wrk share the machine's cores (nproc is printed): the
# load generator's CPU is not the server's.  Prints tables and met/MISSED
# lines to stdout.
#
# Environment: BENCH_SERVE_UNITS (2000), BENCH_SERVE_SECONDS (20),
# BENCH_SERVE_SOAK (120), BENCH_SERVE_CONNS (32), BENCH_SERVE_WRK_THREADS
# (2), BENCH_SERVE_PY_N (2000), PYTHON (/usr/bin/python3, with PyYAML).
set -eu

cd "$(dirname "$0")/.."
ROOT=$(pwd)
UNITS=${BENCH_SERVE_UNITS:-2000}
DUR=${BENCH_SERVE_SECONDS:-20}
SOAK=${BENCH_SERVE_SOAK:-120}
CONNS=${BENCH_SERVE_CONNS:-32}
WT=${BENCH_SERVE_WRK_THREADS:-2}
PYN=${BENCH_SERVE_PY_N:-2000}
PY=${PYTHON:-/usr/bin/python3}
[ -x "$PY" ] || PY=python3
TARGET_RPS=2000
TARGET_P99_MS=50

# ---- the build: a release build (bench/common.sh) ----
. "$ROOT/bench/common.sh"
release_build "${1:-}"
command -v wrk >/dev/null || die "wrk is missing (apt-get install wrk; scripts/install-deps.sh)"

TMP=$(mktemp -d)
SRV=
cleanup() {
	if [ -n "$SRV" ]; then
		kill "$SRV" 2>/dev/null || true
		wait "$SRV" 2>/dev/null || true
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- 1. the store ----
DB=$TMP/bench.db
t0=$(date +%s%N)
"$J" gen --units "$UNITS" --years 2 --seed 2024 -o "$TMP/g" >/dev/null || die "jixiao gen failed"
find "$TMP/g" -name 2024.yaml -delete
NFILES=$(find "$TMP/g" -name 2023.yaml | wc -l)
[ "$NFILES" -eq "$UNITS" ] || die "jixiao gen wrote $NFILES files for 2023, not $UNITS"
printf 'pw-admin-1\n' | "$J" user add admin --role admin --db "$DB" >/dev/null
printf 'pw-review-1\n' | "$J" user add rev --role reviewer --db "$DB" >/dev/null
printf 'pw-fill-1\n' | "$J" user add fill --role filler --unit 101001 --db "$DB" >/dev/null
rc=0
"$J" db import -q --db "$DB" "$TMP/g" >"$TMP/import.out" 2>&1 || rc=$?
[ "$rc" -le 1 ] || die "jixiao db import exited $rc: $(head -c 1000 "$TMP/import.out")"
t1=$(date +%s%N)
STORE_S=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
DBSIZE=$(du -k "$DB" | cut -f 1)

# ---- 2. the server ----
"$J" serve --db "$DB" --listen 127.0.0.1:0 --threads 2 -q 2>"$TMP/serve.err" &
SRV=$!
PORT=
i=0
while [ $i -lt 100 ] && [ -z "$PORT" ]; do
	PORT=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$TMP/serve.err" | head -n 1)
	[ -n "$PORT" ] || sleep 0.1
	kill -0 "$SRV" 2>/dev/null || die "jixiao serve exited: $(cat "$TMP/serve.err")"
	i=$((i + 1))
done
[ -n "$PORT" ] || die "jixiao serve printed no port: $(cat "$TMP/serve.err")"
URL=http://127.0.0.1:$PORT
"$PY" tests/web/flatten.py examples/beita-2023.yaml >"$TMP/body" || die "tests/web/flatten.py failed"

# Logs in (or, with check, verifies the sessions in $TMP/sessions): prints
# shell assignments REV_COOKIE, FILL_COOKIE, FILL_CSRF, DESK_ROWS,
# EVAL_TOTAL, EVAL_GRADE; exits non-zero on any unexpected answer.
sessions() {
	"$PY" - "$URL" "$TMP/body" "$1" "$TMP/sessions" <<'EOF'
import http.client, json, re, sys, urllib.parse
url, body_file, mode, state = sys.argv[1:5]
host, port = url[len("http://"):].split(":")
def req(method, path, body=None, headers=None):
    c = http.client.HTTPConnection(host, int(port), timeout=30)
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    data = r.read()
    c.close()
    return r, data
def login(name, pw):
    r, _ = req("POST", "/login", urllib.parse.urlencode({"name": name, "password": pw}),
               {"Content-Type": "application/x-www-form-urlencoded"})
    m = re.search(r"jx_session=[0-9a-f]{64}", r.getheader("Set-Cookie") or "")
    if r.status != 303 or not m:
        sys.exit("login of %s: %d %s" % (name, r.status, r.getheader("Set-Cookie")))
    return m.group(0)
if mode == "login":
    rev, fill = login("rev", "pw-review-1"), login("fill", "pw-fill-1")
else:
    rev, fill = open(state).read().split()
r, page = req("GET", "/unit/101001/2023", headers={"Cookie": fill})
m = re.search(rb'name="_csrf" value="([0-9a-f]{64})"', page)
if r.status != 200 or not m:
    sys.exit("GET /unit/101001/2023 as the filler: %d, csrf %s" % (r.status, bool(m)))
csrf = m.group(1).decode()
r, page = req("GET", "/desk?year=2023", headers={"Cookie": rev})
if r.status != 200:
    sys.exit("GET /desk?year=2023 as the reviewer: %d" % r.status)
rows = len(re.findall(rb'href="/unit/', page))
r, ans = req("POST", "/api/evaluate?scheme=hunan-dept-overall&year=2023", open(body_file, "rb").read(),
             {"Cookie": fill, "X-CSRF-Token": csrf, "Content-Type": "application/x-www-form-urlencoded"})
if r.status != 200:
    sys.exit("POST /api/evaluate as the filler: %d %s" % (r.status, ans[:300]))
j = json.loads(ans)
if not j.get("loaded") or not j.get("total"):
    sys.exit("POST /api/evaluate: not evaluated: %s" % ans[:500])
open(state, "w").write(rev + " " + fill + "\n")
print("REV_COOKIE=%s FILL_COOKIE=%s FILL_CSRF=%s DESK_ROWS=%d DESK_BYTES=%d EVAL_TOTAL=%s EVAL_GRADE=%s EVAL_BYTES=%d"
      % (rev, fill, csrf, rows, len(page), j["total"], j["grade"], len(ans)))
EOF
}
out=$(sessions login) || die "logging in failed"
eval "$out"

rss_kb() { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$SRV/status"; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$SRV/stat"; }
HZ=$(getconf CLK_TCK)
RSS0=$(rss_kb)

# ---- 3. wrk ----
# wrkrun NAME SECONDS LUA COOKIE [CSRF]: wrk's output in $TMP/NAME.wrk;
# dies on non-2xx/3xx responses or socket errors.
wrkrun() {
	JX_COOKIE=$4 JX_CSRF=${5:-} JX_BODY=$TMP/body \
		wrk -t "$WT" -c "$CONNS" -d "${2}s" --latency -s "$ROOT/bench/$3" "$URL" >"$TMP/$1.wrk" 2>&1 ||
		die "wrk $1 failed: $(cat "$TMP/$1.wrk")"
	if grep -Eq 'Non-2xx|Socket errors' "$TMP/$1.wrk"; then
		die "wrk $1: errors: $(grep -E 'Non-2xx|Socket errors' "$TMP/$1.wrk")"
	fi
}
# wrkval NAME FIELD: requests, rps, p50, p99 (ms), from $TMP/NAME.wrk
wrkval() {
	awk -v f="$2" '
	function ms(s) {
		if (s ~ /us$/) return substr(s, 1, length(s) - 2) / 1000
		if (s ~ /ms$/) return substr(s, 1, length(s) - 2) + 0
		if (s ~ /s$/) return substr(s, 1, length(s) - 1) * 1000
		return s
	}
	f == "requests" && / requests in / { print $1 }
	f == "rps" && /^Requests\/sec:/ { print $2 }
	f == "p50" && $1 == "50%" { print ms($2) }
	f == "p99" && $1 == "99%" { print ms($2) }' "$TMP/$1.wrk"
}

wrkrun desk "$DUR" serve_desk.lua "$REV_COOKIE"
RSS_DESK=$(rss_kb)
c0=$(cpu_ticks)
wrkrun eval "$DUR" serve_evaluate.lua "$FILL_COOKIE" "$FILL_CSRF"
c1=$(cpu_ticks)
RSS_EVAL=$(rss_kb)
EVAL_CPU_US=$(awk -v a="$c0" -v b="$c1" -v hz="$HZ" -v n="$(wrkval eval requests)" \
	'BEGIN { printf "%.1f", (b - a) / hz / n * 1e6 }')
EVAL_CPU_S=$(awk -v a="$c0" -v b="$c1" -v hz="$HZ" 'BEGIN { printf "%.2f", (b - a) / hz }')

# ---- 4. the soak ----
JX_COOKIE=$FILL_COOKIE JX_CSRF=$FILL_CSRF JX_BODY=$TMP/body \
	wrk -t "$WT" -c "$CONNS" -d "${SOAK}s" --latency -s "$ROOT/bench/serve_evaluate.lua" "$URL" \
	>"$TMP/soak.wrk" 2>&1 &
WRK=$!
: >"$TMP/rss"
s=0
while [ "$s" -lt "$SOAK" ]; do
	sleep 10
	s=$((s + 10))
	echo "$s $(rss_kb)" >>"$TMP/rss"
done
wait "$WRK" || die "wrk soak failed: $(cat "$TMP/soak.wrk")"
if grep -Eq 'Non-2xx|Socket errors' "$TMP/soak.wrk"; then
	die "wrk soak: errors: $(grep -E 'Non-2xx|Socket errors' "$TMP/soak.wrk")"
fi
out=$(sessions check) || die "after the load, a session no longer works (3xx answers?)"

# ---- 5. Python ----
"$PY" bench/py_serve.py -n "$PYN" examples/beita-2023.yaml >"$TMP/py.out" || die "bench/py_serve.py failed"
PY_US=$(sed -n 's/.*, \([0-9.]*\) us\/request.*/\1/p' "$TMP/py.out")
PY_TOTAL=$(sed -n 's/.*total \([0-9.]*\),.*/\1/p' "$TMP/py.out")
[ "$PY_TOTAL" = "$EVAL_TOTAL" ] || die "bench/py_serve.py computes total $PY_TOTAL, the server $EVAL_TOTAL"

# ---- report ----
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)
echo "jixiao serve bench — $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(nproc) cores, ${cpu:-unknown CPU}, $(uname -sr); server and wrk share them"
echo "build:   $B (release), $(cc --version | head -n 1); $($J --version 2>/dev/null | head -n 1)"
echo "wrk:     $(wrk -v 2>&1 | head -n 1 | cut -c 1-60); -t $WT -c $CONNS -d ${DUR}s --latency (soak -d ${SOAK}s)"
echo "store:   $UNITS generated units for 2023 (jixiao gen --seed 2024) + 3 accounts, $((DBSIZE / 1024)) MB, built in ${STORE_S}s"
echo "server:  jixiao serve --threads 2 -q; desk page $DESK_BYTES bytes ($DESK_ROWS unit links); evaluate answer $EVAL_BYTES bytes (total $EVAL_TOTAL, $EVAL_GRADE)"
echo "body:    tests/web/flatten.py examples/beita-2023.yaml, $(wc -c <"$TMP/body") bytes"
echo "python:  $("$PY" -c 'import sys, yaml; print(sys.executable, sys.version.split()[0], "PyYAML", yaml.__version__)'); bench/py_serve.py: $(cut -d ' ' -f 2- "$TMP/py.out")"
echo
echo "| what                                   | requests |  req/s | p50 ms | p99 ms |"
echo "|----------------------------------------|---------:|-------:|-------:|-------:|"
for n in desk eval soak; do
	case $n in
	desk) l="GET /desk?year=2023 (reviewer)" ;;
	eval) l="POST /api/evaluate (filler)" ;;
	soak) l="POST /api/evaluate, ${SOAK} s soak" ;;
	esac
	printf '| %-38s | %8s | %6.0f | %6.2f | %6.2f |\n' "$l" "$(wrkval $n requests)" "$(wrkval $n rps)" \
		"$(wrkval $n p50)" "$(wrkval $n p99)"
done
echo
echo "errors:  none (no non-2xx/3xx, no socket errors; both sessions still answer 200 after the load)"
echo "RSS (VmRSS of the server): idle after login $((RSS0 / 1024)) MB, after desk $((RSS_DESK / 1024)) MB, after evaluate $((RSS_EVAL / 1024)) MB"
awk '{ printf "%s%ds %.1f MB", (NR > 1 ? ", " : "soak samples: "), $1, $2 / 1024 } END { print "" }' "$TMP/rss"
awk 'NR == 1 { f = $2 } { l = $2; if ($2 > m) m = $2 } END {
	g = l - f
	printf "soak RSS: first %.1f MB, last %.1f MB, max %.1f MB, last - first %+.1f MB (%+.1f%%): %s\n",
		f / 1024, l / 1024, m / 1024, g / 1024, 100 * g / f, (g <= f / 10 && g <= 16384 ? "flat" : "GROWING") }' "$TMP/rss"
echo
rps=$(wrkval eval rps)
p99=$(wrkval eval p99)
awk -v r="$rps" -v p="$p99" -v gr="$TARGET_RPS" -v gp="$TARGET_P99_MS" 'BEGIN {
	printf "evaluate: %.0f req/s (target >= %d): %s; p99 %.2f ms (target < %d ms): %s\n",
		r, gr, (r >= gr ? "met" : "MISSED"), p, gp, (p < gp ? "met" : "MISSED") }'
awk -v j="$EVAL_CPU_US" -v s="$EVAL_CPU_S" -v p="$PY_US" 'BEGIN {
	printf "evaluate CPU per request: server %.0f us (%.2f CPU s over the %s-s run), Python core job %.0f us: %.1fx\n",
		j, s, "'"$DUR"'", p, p / j }'
