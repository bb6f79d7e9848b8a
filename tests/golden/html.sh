#!/bin/sh
# The HTML report of the shipped example as a golden file:
# `jixiao report examples/beita-2023.yaml --format html` is compared byte
# for byte with tests/golden/html/beita-2023.html; likewise the example
# with written 说明 of its warnings, tests/cli/beita-2023-explained.yaml.  The command runs from
# the repository root with SOURCE_DATE_EPOCH unset, so the page carries the
# fixed default timestamp.
#
# Environment: JIXIAO (the binary) and SRCDIR (the repository root) are set
# by meson.  UPDATE=1 rewrites the expected file from the current output
# instead of comparing; review the change before committing it.
set -u

: "${JIXIAO:?JIXIAO must name the jixiao binary}"
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
HERE=$SRCDIR/tests/golden/html
UPDATE=${UPDATE:-0}
unset SOURCE_DATE_EPOCH

tmp=$(mktemp -d "${TMPDIR:-/tmp}/jixiao-html.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT HUP INT TERM

cd "$SRCDIR" || exit 2

failed=0
for input in examples/beita-2023.yaml tests/cli/beita-2023-explained.yaml; do
	name=$(basename "$input" .yaml)
	"$JIXIAO" report "$input" --force --format html -o "$tmp" \
		>"$tmp/$name.out" 2>&1
	status=$?
	if [ "$status" -ne 0 ] || [ ! -f "$tmp/$name.html" ]; then
		echo "FAIL: $name: jixiao report exited $status"
		cat "$tmp/$name.out"
		failed=$((failed + 1))
		continue
	fi
	if [ "$UPDATE" = 1 ]; then
		if ! cmp -s "$tmp/$name.html" "$HERE/$name.html" 2>/dev/null; then
			cp "$tmp/$name.html" "$HERE/$name.html" || exit 2
			echo "updated: tests/golden/html/$name.html"
		fi
	elif ! cmp -s "$tmp/$name.html" "$HERE/$name.html"; then
		echo "FAIL: $name: HTML differs from tests/golden/html/$name.html"
		diff -u "$HERE/$name.html" "$tmp/$name.html" | head -60
		failed=$((failed + 1))
	fi
done

if [ "$failed" -ne 0 ]; then
	echo "$failed HTML golden file(s) differ (UPDATE=1 to regenerate)"
	exit 1
fi
echo "html golden: ok"
exit 0
