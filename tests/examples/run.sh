#!/bin/sh
# The shipped examples as golden files: for each example, the JSON of
# `jixiao check --format json` and the table of `jixiao score`, each with
# its exit status, are compared byte for byte with the files committed
# here (EXAMPLE.check.json, EXAMPLE.check.status, EXAMPLE.score.txt,
# EXAMPLE.score.status).  Nothing is normalised: the commands run from the
# repository root, so file names in the output are examples/EXAMPLE.yaml.
# Both shipped schemes must also pass `jixiao scheme check`.
#
# Environment: JIXIAO (the binary) and SRCDIR (the repository root) are set
# by meson.  UPDATE=1 rewrites the expected files from the current output
# instead of comparing; review the change before committing it.
set -u

: "${JIXIAO:?JIXIAO must name the jixiao binary}"
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
HERE=$SRCDIR/tests/examples
UPDATE=${UPDATE:-0}

examples="beita-2023 project-sample"
schemes="hunan-dept-overall mof-project"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/jixiao-examples.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT HUP INT TERM

cd "$SRCDIR" || exit 2

failed=0
checked=0

# compare NAME GOT: GOT against $HERE/NAME (or write it with UPDATE=1).
compare() {
	checked=$((checked + 1))
	if [ "$UPDATE" = 1 ]; then
		if ! cmp -s "$2" "$HERE/$1" 2>/dev/null; then
			cp "$2" "$HERE/$1" || exit 2
			echo "updated: tests/examples/$1"
		fi
		return 0
	fi
	if [ ! -f "$HERE/$1" ]; then
		echo "FAIL: tests/examples/$1 is missing (run with UPDATE=1 to create it)"
		failed=$((failed + 1))
		return 1
	fi
	if ! cmp -s "$HERE/$1" "$2"; then
		echo "FAIL: output differs from tests/examples/$1"
		diff -u "$HERE/$1" "$2" | sed 's/^/    /'
		failed=$((failed + 1))
		return 1
	fi
	return 0
}

# run NAME SUFFIX ARGS...: runs jixiao ARGS, compares stdout and status.
run() {
	name=$1 suffix=$2
	shift 2
	"$JIXIAO" "$@" >"$tmp/out" 2>"$tmp/err"
	echo $? >"$tmp/status"
	ok=0
	compare "$name.$suffix" "$tmp/out" || ok=1
	compare "$name.${suffix%%.*}.status" "$tmp/status" || ok=1
	if [ "$ok" != 0 ] && [ -s "$tmp/err" ]; then
		echo "    stderr of: jixiao $*"
		sed 's/^/    /' "$tmp/err"
	fi
}

for s in $schemes; do
	checked=$((checked + 1))
	if ! "$JIXIAO" scheme check "schemes/$s.yaml" >"$tmp/out" 2>&1; then
		echo "FAIL: jixiao scheme check schemes/$s.yaml"
		sed 's/^/    /' "$tmp/out"
		failed=$((failed + 1))
	fi
done

for e in $examples; do
	if [ ! -f "examples/$e.yaml" ]; then
		echo "FAIL: examples/$e.yaml is missing"
		failed=$((failed + 1))
		continue
	fi
	run "$e" check.json check --format json "examples/$e.yaml"
	run "$e" score.txt score "examples/$e.yaml"
done

if [ "$failed" != 0 ]; then
	echo "examples: $failed of $checked comparisons failed"
	exit 1
fi
echo "examples: $checked comparisons ok"
exit 0
