#!/bin/sh
# The bad-input suite: runs every case of tests/bad/cases.txt (the format is
# described at the top of that file) and checks the exit status, the first
# line printed, that nothing went to stderr and that it ended within 20 s.
# Prints "ok CASE" or "FAIL CASE: why" per case; exits 1 if any failed.
#
# Environment (meson sets both): JIXIAO, the jixiao binary; SRCDIR, the
# repository root.  JIXIAO_SCHEMES defaults to $SRCDIR/schemes.
set -u

here=$(cd "$(dirname "$0")" && pwd)
SRCDIR=${SRCDIR:-$(cd "$here/../.." && pwd)}
JIXIAO=${JIXIAO:?set JIXIAO to the jixiao binary}
case $JIXIAO in
/*) ;;
*) JIXIAO=$(pwd)/$JIXIAO ;;
esac
JIXIAO_SCHEMES=${JIXIAO_SCHEMES:-$SRCDIR/schemes}
export JIXIAO_SCHEMES
LC_ALL=C.UTF-8
export LC_ALL

tmp=$(mktemp -d "${TMPDIR:-/tmp}/jixiao-bad.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM
mkdir "$tmp/gen"

# ---- inputs written at run time (gen/NAME.yaml)

# Over 50 MB: the base file with a narrative of one sentence repeated.
gen_huge()
{
	cat "$here/data/base.yaml"
	echo 'other_notes: |-'
	yes '  本单位无其他需要说明的情况。这一句反复出现，使文件超过五十兆字节。' | head -c 52428800
	echo
}

# 10,000 nested flow sequences or mappings on line 3.
gen_deep()
{
	awk -v lb="$1" -v rb="$2" -v mid="$3" 'BEGIN {
		printf "scheme: hunan-dept-overall\nyear: 2023\nnarrative: "
		for (i = 0; i < 10000; i++) printf "%s", lb
		printf "%s", mid
		for (i = 0; i < 10000; i++) printf "%s", rb
		printf "\n"
	}'
}

# A map of a million keys (13 MB) whose last key repeats the first: the
# duplicate check must not be quadratic.
gen_wide()
{
	awk 'BEGIN {
		printf "scheme: hunan-dept-overall\nyear: 2023\nother_notes:\n"
		for (i = 0; i < 1000000; i++) printf "  k%d: 1\n", i
		printf "  k0: 2\n"
	}'
}

generate()
{
	case $1 in
	gen/huge.yaml) gen_huge ;;
	gen/deep-seq.yaml) gen_deep '[' ']' '' ;;
	gen/deep-map.yaml) gen_deep '{a: ' '}' '1' ;;
	gen/wide-map.yaml) gen_wide ;;
	*) return 1 ;;
	esac >"$tmp/$1"
}

# ---- one case

passed=0
failed=0

fail()
{
	echo "FAIL $name: $1"
	failed=$((failed + 1))
}

trim()
{
	printf '%s' "$1" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//'
}

run_case()
{
	# $input: "FILE [OPTION...]"; $status; $expect
	set -f
	# shellcheck disable=SC2086 # options are split on purpose
	set -- $input
	set +f
	file=$1
	shift
	dir=$here
	case $file in
	gen/*)
		dir=$tmp
		if ! generate "$file"; then
			fail "run.sh does not know how to write $file"
			return
		fi
		;;
	esac
	case $file in
	scheme/*) set -- scheme check "$file" "$@" ;;
	*) set -- check "$file" "$@" ;;
	esac
	(cd "$dir" && exec timeout 20 "$JIXIAO" "$@") >"$tmp/out" 2>"$tmp/err"
	rc=$?
	case $file in
	gen/*) rm -f "$tmp/$file" ;;
	esac
	first=$(sed -n 1p "$tmp/out")
	if [ "$rc" -eq 124 ]; then
		fail "no answer within 20 s"
	elif [ -s "$tmp/err" ]; then
		fail "wrote to stderr (exit $rc): $(head -n 3 "$tmp/err" | tr '\n' ' ')"
	elif [ "$rc" != "$status" ]; then
		fail "exit status $rc, expected $status; first line: $first"
	else
		case $expect in
		...*)
			sub=${expect#...}
			case $first in
			*"$sub"*) ok=1 ;;
			*) ok=0 ;;
			esac
			;;
		*)
			case $first in
			"$expect"*) ok=1 ;;
			*) ok=0 ;;
			esac
			;;
		esac
		if [ "$ok" = 1 ]; then
			echo "ok $name"
			passed=$((passed + 1))
		else
			fail "first line
    got:      $first
    expected: $expect"
		fi
	fi
}

# ---- all cases

cases=$here/cases.txt
while IFS= read -r line || [ -n "$line" ]; do
	case $line in
	'' | '#'*) continue ;;
	*' | '*' | '*) ;;
	*)
		name=$line
		fail "malformed line in cases.txt (want INPUT | EXIT | EXPECTED)"
		continue
		;;
	esac
	input=$(trim "${line%% | *}")
	rest=${line#* | }
	status=$(trim "${rest%% | *}")
	expect=${rest#* | }
	name=$input
	run_case
done <"$cases"

# Every committed input must have its case.
for f in "$here"/data/*.yaml "$here"/scheme/*.yaml; do
	rel=${f#"$here"/}
	if ! grep -q "^${rel}[ |]" "$cases"; then
		name=$rel
		fail "no case in cases.txt"
	fi
done

echo "bad-input: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
