#!/bin/sh
# `jixiao serve` killed with SIGKILL in the middle of a run of saves loses
# none that it acknowledged: every save answered 303 is a revision after
# the restart, and `db verify` passes.  Env: JIXIAO (binary), SRCDIR.
set -u
: "${JIXIAO:?}" "${SRCDIR:?}"
JIXIAO_SCHEMES=${JIXIAO_SCHEMES:-$SRCDIR/schemes}
export JIXIAO_SCHEMES
J=$JIXIAO
tmp=$(mktemp -d "${TMPDIR:-/tmp}/jixiao-webkill.XXXXXX") || exit 2
pid=0
loop=0
cleanup() {
	[ "$loop" != 0 ] && kill "$loop" 2>/dev/null
	[ "$pid" != 0 ] && kill -9 "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
cd "$tmp" || exit 2
fail=0
bad() {
	fail=$((fail + 1))
	echo "FAIL: $*"
}

printf 'pw-admin-1\n' | "$J" user add admin --role admin --db t.db >/dev/null || bad "user add"
printf 'pw-fill-1\n' | "$J" user add fill --role filler --unit 101001 --db t.db >/dev/null ||
	bad "user add"
sed 's/^unit: {name: 北塔区行政审批局, /unit: {code: "101001", name: 北塔区行政审批局, /' \
	"$SRCDIR/examples/beita-2023.yaml" >a.yaml
"$J" db import -q --db t.db a.yaml >/dev/null || bad "import"

start() {
	"$J" serve --db t.db --listen 127.0.0.1:0 --timeout 2 2>serve.err &
	pid=$!
	i=0
	port=
	while [ $i -lt 100 ] && [ -z "$port" ]; do
		port=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' serve.err 2>/dev/null)
		[ -z "$port" ] && sleep 0.05
		i=$((i + 1))
	done
	[ -n "$port" ] || {
		bad "server did not start: $(cat serve.err)"
		exit 1
	}
}

start
# the saving loop, as a separate process: log in, then save distinct
# values one after another; every 303 is recorded with the revision the
# page then shows
cat >loop.py <<'EOF'
import html, http.client, re, sys, urllib.parse
port, out = int(sys.argv[1]), open(sys.argv[2], 'a')
def req(method, path, body=None, cookie=None):
    c = http.client.HTTPConnection('127.0.0.1', port, timeout=10)
    h = {'Content-Type': 'application/x-www-form-urlencoded'} if body else {}
    if cookie:
        h['Cookie'] = 'jx_session=' + cookie
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    d = r.read().decode('utf-8', 'replace')
    return r.status, r.getheader('Location'), r.getheader('Set-Cookie'), d
st, _, ck, _ = req('POST', '/login', 'name=fill&password=pw-fill-1')
cookie = ck.split(';')[0].split('=', 1)[1]
st, _, _, page = req('GET', '/unit/101001/2023', cookie=cookie)
csrf = re.search(r'name="_csrf" value="([0-9a-f]{64})"', page).group(1)
rev = int(re.search(r'name="_base_rev" value="(\d+)"', page).group(1))
# the form's own fields, as a browser posts them
form = page[page.index('<form id="jx-form"'):]
form = form[:form.index('</form>')]
fields = [(m.group(2), html.unescape(m.group(3) or '')) for m in re.finditer(
    r'<input type="(text|hidden)" name="([^"]+)"[^>]*?(?: value="([^"]*)")?>', form)]
fields += [(m.group(1), html.unescape(m.group(2)).removeprefix('\n')) for m in re.finditer(
    r'<textarea[^>]* name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S)]
fields = [(k, v) for k, v in fields if k not in ('_csrf', '_base_rev', 'info.goals')]
i = 0
while True:
    i += 1
    value = 'kill-save-%06d' % i
    body = urllib.parse.urlencode(fields + [('_csrf', csrf), ('_base_rev', rev),
                                            ('info.goals', value)])
    try:
        st, loc, _, _ = req('POST', '/unit/101001/2023/save', body, cookie)
    except OSError:
        break
    if st != 303 or not loc.endswith('msg=saved'):
        print('unexpected answer %s %s' % (st, loc), file=sys.stderr)
        break
    rev += 1
    out.write('%d %s\n' % (rev, value))
    out.flush()
EOF
: >acked
python3 loop.py "$port" acked 2>loop.err &
loop=$!
# kill the server when some saves are acknowledged, in the middle of the run
i=0
while [ $i -lt 400 ] && [ "$(wc -l <acked)" -lt 40 ]; do
	sleep 0.05
	i=$((i + 1))
done
kill -9 $pid
wait $pid 2>/dev/null
pid=0
wait $loop
loop=0
n=$(wc -l <acked)
echo "saves acknowledged before the kill: $n"
[ "$n" -ge 40 ] || bad "only $n saves acknowledged ($(cat loop.err))"

# restart: every acknowledged save is there, as the revision it was given
start
"$J" db verify --db t.db >verify.out 2>&1 || bad "db verify: $(cat verify.out)"
revs=$("$J" db list --all --unit 101001 --db t.db | wc -l)
last=$(tail -n 1 acked | cut -d' ' -f1)
[ "$revs" -ge "$last" ] || bad "$revs revisions in the store, $last acknowledged"
missing=0
while read -r rev value; do
	if ! "$J" db export 101001 --year 2023 --rev "$rev" --db t.db 2>/dev/null |
		grep -q "\"$value\""; then
		missing=$((missing + 1))
		bad "acknowledged save $value (revision $rev) is not in the store"
	fi
done <acked
# and the restarted server answers with the last of them
code=$(python3 - "$port" <<'EOF'
import http.client, sys
c = http.client.HTTPConnection('127.0.0.1', int(sys.argv[1]), timeout=10)
c.request('POST', '/login', body='name=fill&password=pw-fill-1',
          headers={'Content-Type': 'application/x-www-form-urlencoded'})
r = c.getresponse(); r.read()
ck = r.getheader('Set-Cookie').split(';')[0]
c = http.client.HTTPConnection('127.0.0.1', int(sys.argv[1]), timeout=10)
c.request('GET', '/unit/101001/2023', headers={'Cookie': ck})
r = c.getresponse()
print(r.status, r.read().decode().count('kill-save-'))
EOF
)
case $code in "200 "[1-9]*) ;; *) bad "the restarted server: $code" ;; esac
kill $pid
wait $pid 2>/dev/null
pid=0
echo "$n acknowledged, $revs revisions, $missing missing, $fail failed"
[ $fail = 0 ]
