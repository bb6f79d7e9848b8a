#!/bin/sh
# The whole test suite, as `make test` runs it.  Each stage is counted;
# the last line is "N passed, N failed" for CI.
set -u
passed=0
failed=0
stage() {
	name=$1
	shift
	echo "==== $name"
	if "$@"; then
		passed=$((passed + 1))
		echo "==== $name: ok"
	else
		failed=$((failed + 1))
		echo "==== $name: FAILED"
	fi
}
stage "build" make --no-print-directory build
stage "unit and golden tests" make --no-print-directory test-unit
stage "tests under ASan+UBSan" make --no-print-directory test-san
stage "fuzz smoke" make --no-print-directory fuzz-smoke
stage "clang-format" make --no-print-directory format-check
echo "stages: $passed passed, $failed failed"
# Per-test totals from meson's logs (both builds).
python3 scripts/count-tests.py build/meson-logs/testlog.json build-san/meson-logs/testlog.json \
	"$failed"
