#!/bin/sh
# Golden test of the Markdown report: each input rendered with --force must
# equal tests/golden/md/NAME.md: the shipped example, and the same with
# written 说明 of its warnings (tests/cli/beita-2023-explained.yaml: the
# 说明 paragraphs under 九、其他需要说明的情况).  UPDATE=1 rewrites them.
set -u
: "${JIXIAO:?}" "${SRCDIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$SRCDIR" || exit 1
pass=0
fail=0
for input in examples/beita-2023.yaml tests/cli/beita-2023-explained.yaml; do
	name=$(basename "$input" .yaml)
	want=tests/golden/md/$name.md
	if ! SOURCE_DATE_EPOCH=1700000000 "$JIXIAO" report "$input" --force \
		--format md -o "$tmp" >"$tmp/out" 2>&1; then
		echo "FAIL $name: report exited non-zero"
		cat "$tmp/out"
		fail=$((fail + 1))
		continue
	fi
	[ "${UPDATE:-}" = 1 ] && cp "$tmp/$name.md" "$want"
	if diff -u "$want" "$tmp/$name.md"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
