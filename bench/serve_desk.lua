-- wrk script of bench/serve.sh: GET /desk?year=2023 as the reviewer.
-- Environment: JX_COOKIE ("jx_session=...").
wrk.method = "GET"
wrk.path = "/desk?year=2023"
wrk.headers["Cookie"] = assert(os.getenv("JX_COOKIE"), "JX_COOKIE not set")
