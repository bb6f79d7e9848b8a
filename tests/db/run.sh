#!/bin/sh
# jixiao db: each subcommand on a small store, asserting exact outcomes —
# revisions never overwritten and unchanged files a no-op, export
# byte-identical (YAML and XLSX), the values and differences stored, the
# review list and its exit status, and bad databases (corrupt, foreign,
# newer, read-only, missing) refused with their Q-codes and exit 2.
# Env: JIXIAO (binary), SRCDIR (source tree).
set -u
: "${JIXIAO:?}" "${SRCDIR:?}"
JIXIAO_SCHEMES=${JIXIAO_SCHEMES:-$SRCDIR/schemes}
export JIXIAO_SCHEMES
tmp=$(mktemp -d "${TMPDIR:-/tmp}/jixiao-db.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
chmod 755 "$tmp"
cd "$tmp" || exit 2
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() {
	fail=$((fail + 1))
	echo "FAIL: $*"
}
# expect RC CMD...: runs CMD (output in out.txt) and checks its exit status.
expect() {
	want=$1
	shift
	"$@" >out.txt 2>err.txt
	got=$?
	if [ "$got" = "$want" ]; then ok; else bad "exit $got, want $want: $*" && cat out.txt err.txt; fi
}
has() {
	if grep -qF -- "$1" out.txt; then ok; else bad "output lacks '$1'" && head -5 out.txt; fi
}
J=$JIXIAO
DB="--db $tmp/t.db"
cp "$SRCDIR/examples/beita-2023.yaml" beita.yaml

# init: creates, then opens.
expect 0 $J db init $DB
has "已创建数据库 $tmp/t.db（结构版本 3）"
expect 0 $J db init $DB
has "已打开数据库"

# import: a folder recursively plus a file; again: unchanged.
"$J" gen --units 6 --years 2 --seed 11 -o g >/dev/null || bad "gen"
expect 0 $J db import -q $DB g beita.yaml
has "导入完成：新增 13，未变 0，拒收 0（共 13 个文件"
expect 0 $J db import -q $DB g beita.yaml
has "导入完成：新增 0，未变 13，拒收 0"

# A broken file is rejected with its reason; the others still go in.
sed 's/income: 484.14/income: 48４.14/' beita.yaml >broken.yaml
sed 's/^year: 2023/year: 2022/' beita.yaml >beita-2022.yaml
expect 2 $J db import -q $DB broken.yaml beita-2022.yaml
has "error[D04]"
has "新增 1，未变 0，拒收 1"

# list: latest revisions; --unit; --year.
expect 0 $J db list $DB
n=$(wc -l <out.txt)
if [ "$n" = 14 ]; then ok; else bad "list: $n rows, want 14"; fi
expect 0 $J db list $DB --unit 北塔区行政审批局
n=$(wc -l <out.txt)
if [ "$n" = 2 ]; then ok; else bad "list --unit: $n rows, want 2"; fi
expect 0 $J db list $DB --year 2023 --format csv
n=$(wc -l <out.txt)
if [ "$n" = 8 ]; then ok; else bad "list --year 2023 csv: $n lines, want 8"; fi

# show: the seed's results as stored, no re-parse.
expect 0 $J db show $DB 北塔区行政审批局 --year 2023
has "计算总分 88.00（良好）；填报总分 98.00（优秀）"
has "问题：3 个错误，6 个警告，2 个提示"
has "error[T01]: 自评总分 98 与各项得分合计 88.00 不符"
expect 0 $J db show $DB 北塔区行政审批局 --year 2023 --values
has "score.total                                  自评总分：88.00"
has "budget.general.income                        一般公共预算财政拨款本年收入：484.14"
has "rates.funds_exec"
expect 2 $J db show $DB 没有这个单位
if grep -qF "error[Q09]" out.txt; then ok; else bad "show unknown: no Q09"; fi

# A second revision: changed figures, a changed score, a changed paragraph.
sed -e 's/    income: 484.14/    income: 480.00/' \
	-e 's/二是深化“一网通办”/二是深化“一网通办、一件事一次办”/' beita.yaml >beita-v2.yaml
expect 0 $J db import -q $DB beita-v2.yaml
has "新增 1"
expect 0 $J db list $DB --unit 北塔区行政审批局 --all
n=$(grep -c '2023' out.txt)
if [ "$n" = 2 ]; then ok; else bad "list --all: $n rows of 2023, want 2"; fi
has "第1版（旧）"
expect 0 $J db diff $DB 北塔区行政审批局 --year 2023
has "北塔区行政审批局（北塔区行政审批局）2023 年：第 1 版 → 第 2 版"
has "budget.general.income（一般公共预算财政拨款本年收入）"
has "    - 484.14"
has "    + 480.00"
has "叙述："
has "共 1 处填报数据、"
expect 0 $J db diff $DB 北塔区行政审批局 --year 2023 --from 2 --to 1
has "    - 480.00"

# export: byte-identical, every revision.
$J db export $DB 北塔区行政审批局 --year 2023 --rev 1 >v1.yaml
if cmp -s v1.yaml beita.yaml; then ok; else bad "export rev 1 differs"; fi
expect 0 $J db export $DB 北塔区行政审批局 --year 2023 -o v2.yaml
if cmp -s v2.yaml beita-v2.yaml; then ok; else bad "export -o latest differs"; fi
# An XLSX revision comes back as the very workbook.
mkdir -p x && SOURCE_DATE_EPOCH=1700000000 $J report beita-2022.yaml --force --format xlsx -o x/ >/dev/null 2>&1
expect 0 $J db import -q $DB x/beita-2022.xlsx
has "新增 1"
expect 0 $J db export $DB 北塔区行政审批局 --year 2022 -o back.xlsx
if cmp -s back.xlsx x/beita-2022.xlsx; then ok; else bad "export xlsx differs"; fi
expect 0 $J db show $DB 北塔区行政审批局 --year 2022
has "（xlsx，"
has "第 2 版"

# check: the review list; exit 1 when any latest revision has errors.
expect 1 $J db check $DB
has "北塔区行政审批局 北塔区行政审批局 2023 年第 2 版"
has "按规则："
expect 1 $J db check $DB --year 2023 --format json
n=$(wc -l <out.txt)
if [ "$n" = 7 ]; then ok; else bad "check json: $n lines, want 7"; fi
if /usr/bin/python3 -c '
import json, sys
rows = [json.loads(l) for l in open("out.txt", encoding="utf-8")]
b = [r for r in rows if r["unit"] == "北塔区行政审批局"][0]
ids = sorted(f["id"] for f in b["findings"])
assert b["rev"] == 2 and b["summary"]["total"] == "88.00", b["summary"]
assert "T01" in ids and "I01" in ids, ids
'; then ok; else bad "check json content"; fi
expect 1 $J db check $DB --format csv
has "单位编码,单位名称,年度,修订,规则,级别,行,字段,说明,应为,实为,差额,文件"
expect 0 $J db check $DB --format xlsx -o review.xlsx
if unzip -l review.xlsx | grep -q 'xl/worksheets/sheet2.xml'; then ok; else bad "review.xlsx sheets"; fi

# verify: a sound store.
expect 0 $J db verify $DB
has "完好（结构版本 3）"

# Bad databases: exit 2 with the reason.
head -c 8192 /dev/urandom >junk.db
expect 2 $J db list --db junk.db
if grep -qF "error[Q02]" out.txt; then ok; else bad "junk db: no Q02"; fi
/usr/bin/python3 -c 'import sqlite3; c = sqlite3.connect("foreign.db"); c.execute("create table t(x)"); c.commit()'
expect 2 $J db import -q --db foreign.db beita.yaml
if grep -qF "error[Q03]" out.txt; then ok; else bad "foreign db: no Q03"; fi
cp t.db newer.db
/usr/bin/python3 -c 'import sqlite3; c = sqlite3.connect("newer.db"); c.execute("pragma user_version = 99"); c.commit()'
expect 2 $J db list --db newer.db
if grep -qF "error[Q04]" out.txt; then ok; else bad "newer db: no Q04"; fi
expect 2 $J db list --db missing.db
if grep -qF "error[Q01]" out.txt; then ok; else bad "missing db: no Q01"; fi
if [ -e missing.db ]; then bad "list created missing.db"; else ok; fi
# Cut short: the first half of a store.
head -c 20000 t.db >cut.db
expect 2 $J db verify --db cut.db

# Read-only: reading works, importing is refused (as an unprivileged user
# when running as root, who could write anyway).
cp t.db ro.db && chmod 444 ro.db && chmod 555 "$tmp"
as_user=""
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
	as_user="setpriv --reuid=nobody --regid=nogroup --clear-groups"
fi
if [ "$(id -u)" != 0 ] || [ -n "$as_user" ]; then
	$as_user "$J" db list --db "$tmp/ro.db" >/dev/null 2>&1
	[ $? = 0 ] && ok || bad "read-only list"
	$as_user "$J" db import -q --db "$tmp/ro.db" "$tmp/beita.yaml" >/dev/null 2>&1
	rc=$?
	msg=$($as_user "$J" db import -q --db "$tmp/ro.db" "$tmp/beita.yaml" 2>&1)
	if [ $rc = 2 ] && echo "$msg" | grep -qF "Q05"; then ok; else bad "read-only import: rc $rc: $msg"; fi
fi
chmod 755 "$tmp"

# Usage errors.
expect 2 $J db
expect 2 $J db frobnicate
expect 2 $J db summary $DB
expect 2 $J db summary $DB --year 2023 -o s.pdf
expect 2 $J db list $DB --year abc
expect 2 $J db check $DB --format xml
expect 2 $J db import $DB
expect 0 $J db --help

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
