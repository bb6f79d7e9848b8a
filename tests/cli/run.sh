#!/bin/sh
# CLI golden tests, jq-style: each case is cases/NAME.args (the arguments,
# one line, run from the repository root), cases/NAME.out (expected stdout
# and stderr, merged) and cases/NAME.rc (expected exit status).
# UPDATE=1 rewrites .out and .rc from the current binary.
set -u
: "${JIXIAO:?JIXIAO must name the jixiao binary}"
: "${SRCDIR:?SRCDIR must name the repository root}"
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$SRCDIR" || exit 1
pass=0
fail=0
for args_file in "$here"/cases/*.args; do
	name=$(basename "$args_file" .args)
	args=$(cat "$args_file")
	# shellcheck disable=SC2086
	NO_COLOR=1 "$JIXIAO" $args >"$tmp/out" 2>&1
	rc=$?
	if [ "${UPDATE:-}" = 1 ]; then
		cp "$tmp/out" "$here/cases/$name.out"
		echo "$rc" >"$here/cases/$name.rc"
	fi
	want_rc=$(cat "$here/cases/$name.rc" 2>/dev/null || echo missing)
	if [ "$rc" != "$want_rc" ]; then
		echo "FAIL $name: exit status $rc, expected $want_rc"
		fail=$((fail + 1))
	elif ! diff -u "$here/cases/$name.out" "$tmp/out" >"$tmp/diff"; then
		echo "FAIL $name: output differs"
		cat "$tmp/diff"
		fail=$((fail + 1))
	else
		echo "ok $name"
		pass=$((pass + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
