#!/bin/sh
# Runs every libFuzzer target of a build for SECONDS each, from the
# repository root, each over a temporary copy of its seed corpus under
# fuzz/corpus/ (new inputs are thrown away with the copy; the committed
# corpus is never written).  Exits non-zero if any fuzzer crashes, leaks,
# hits undefined behaviour, times out or runs out of memory, and prints
# the path of the input that did it.
#
#   sh fuzz/run.sh BUILD_DIR SECONDS      (make fuzz-smoke / make fuzz)
#
# Crash inputs and full logs are kept under BUILD_DIR/fuzz-artifacts/.
# Reproduce one with: BUILD_DIR/fuzz/fuzz_NAME PATH
set -u

if [ $# -ne 2 ]; then
	echo "usage: $0 BUILD_DIR SECONDS" >&2
	exit 2
fi
case $2 in
'' | *[!0-9]*)
	echo "$0: SECONDS must be a whole number, not '$2'" >&2
	exit 2
	;;
esac

# BUILD_DIR is relative to where we were called from; then work from the root.
case $1 in
/*) build=$1 ;;
*) build=$(pwd)/$1 ;;
esac
seconds=$2
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 2

artifacts=$build/fuzz-artifacts
tmp=$(mktemp -d "${TMPDIR:-/tmp}/jixiao-fuzz.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# name  max_len  dictionary
targets="data 65536 yaml.dict
scheme 65536 yaml.dict
formula 4096 formula.dict
xlsx 65536 xlsx.dict
report 65536 yaml.dict
store 65536 store.dict
audit_text 65536 audit_text.dict
audit_docx 65536 audit_docx.dict
audit 65536 audit_text.dict
http 65536 http.dict"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

failed=0
echo "$targets" | {
	while read -r name maxlen dict; do
		exe=$build/fuzz/fuzz_$name
		if [ ! -x "$exe" ]; then
			echo "FAIL fuzz_$name: $exe not built (meson setup -Dfuzz=true, CC=clang)"
			failed=1
			continue
		fi
		corpus=$tmp/$name
		mkdir -p "$corpus" "$artifacts/$name"
		cp fuzz/corpus/$name/* "$corpus"/
		log=$artifacts/$name/last.log
		echo "== fuzz_$name: ${seconds}s over $(ls "$corpus" | wc -l) seeds"
		"$exe" "$corpus" \
			-dict="fuzz/$dict" \
			-max_total_time="$seconds" \
			-timeout=10 \
			-rss_limit_mb=2048 \
			-max_len="$maxlen" \
			-print_final_stats=1 \
			-artifact_prefix="$artifacts/$name/" \
			>"$log" 2>&1
		rc=$?
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
		rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
		if [ $rc -eq 0 ]; then
			echo "ok   fuzz_$name: ${execs:-?} runs, ${rate:-?} exec/s"
			continue
		fi
		failed=1
		# The report (first lines) and where libFuzzer saved the input.
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error:|ALARM|.*Test unit written to|.*out-of-memory)' "$log" |
			head -n 8
		input=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
		if [ -n "$input" ]; then
			echo "FAIL fuzz_$name (exit $rc): input $input"
			echo "     reproduce: $exe $input"
		else
			echo "FAIL fuzz_$name (exit $rc): no input saved; see $log"
		fi
		echo "     log: $log"
	done
	exit $failed
}
status=$?
[ $status -eq 0 ] && echo "all fuzzers ok" || echo "fuzzing found problems"
exit $status
