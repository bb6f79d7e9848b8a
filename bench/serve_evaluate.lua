-- wrk script of bench/serve.sh: POST /api/evaluate as the filler, with
-- the seed's form body (tests/web/flatten.py examples/beita-2023.yaml).
-- Environment: JX_BODY (the body file), JX_COOKIE ("jx_session=..."),
-- JX_CSRF (the session's CSRF token).
local f = assert(io.open(assert(os.getenv("JX_BODY"), "JX_BODY not set"), "rb"))
local body = f:read("*a")
f:close()
wrk.method = "POST"
wrk.path = "/api/evaluate?scheme=hunan-dept-overall&year=2023"
wrk.body = body
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = assert(os.getenv("JX_COOKIE"), "JX_COOKIE not set")
wrk.headers["X-CSRF-Token"] = assert(os.getenv("JX_CSRF"), "JX_CSRF not set")
