#!/usr/bin/env python3
"""The Python baseline for bench/serve.sh: the evaluate job, per request.

    python3 bench/py_serve.py [-n N] [--scheme FILE] DATA.yaml

POST /api/evaluate answers one filled-in form: it decodes the fields,
builds the data file, loads it, computes the derived values, the scores,
the total and the grade, runs the rules and answers JSON.  This does the
core of that N times over one data file held in memory (the seed), in one
process, as bench/py_check.py does per file: PyYAML load of the bytes
(yaml.CSafeLoader when available), bench/py_check.py's Checker (derived
values, indicator scores, total, grade and its ~20 arithmetic rules;
imported, not copied), json.dumps of the result.

It does much less than the server per request: no HTTP, no session lookup
in SQLite, no form decoding, no building of the data file from the fields,
no field-by-field validation, ~20 of jixiao's ~58 rule instances.  So the
per-request CPU ratio measured against it favours Python.

Prints one line to stdout: requests, CPU seconds (time.process_time),
microseconds of CPU per request, and the computed total and grade (which
bench/serve.sh compares with the server's answer).
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import py_check  # noqa: E402
import yaml  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description="the evaluate job in Python, per request")
    ap.add_argument("data")
    ap.add_argument("-n", type=int, default=2000, help="requests (default 2000)")
    ap.add_argument("--scheme", default=None)
    a = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    py_check.load_scheme(a.scheme or os.path.join(root, "schemes", "hunan-dept-overall.yaml"))
    with open(a.data, "rb") as f:
        raw = f.read()
    r = None
    t0 = time.process_time()
    for _ in range(a.n):
        doc = yaml.load(raw, Loader=py_check.Loader)
        r = py_check.Checker("表单", doc).run()
        out = json.dumps(r, ensure_ascii=False, separators=(",", ":"))
    cpu = time.process_time() - t0
    assert out
    s = r["summary"]
    print("py_serve: %d requests, %.3f CPU s, %.1f us/request, total %s, grade %s, %s"
          % (a.n, cpu, cpu / a.n * 1e6, s["computed_total"], s["computed_grade"], py_check.LOADER_NAME))


if __name__ == "__main__":
    main()
