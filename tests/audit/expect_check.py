#!/usr/bin/env python3
"""Compare `jixiao audit --format json` output with the corpus' .expect files.

Usage:
  expect_check.py REPORTS_DIR RESULTS.jsonl [options]
  expect_check.py REPORTS_DIR --lint          # check the .expect files against the reports only

RESULTS.jsonl holds one JSON object per input file, one per line, as printed by
`jixiao audit --format json REPORTS_DIR/*.txt`.  See README.md for the .expect format.
Exit status: 0 all pass, 1 any mismatch, 2 bad usage or unreadable input.

The JSON shape is not final: everything that knows it is in the three adapter
functions below (report_key, findings_of, extracted_of).  Change them, not the rest.
"""
import argparse
import json
import os
import re
import sys
from decimal import Decimal, InvalidOperation

# ---------------------------------------------------------------- adapters


def report_key(obj):
    """The report a JSON object belongs to: the file's base name without extension."""
    f = obj.get("file") or obj.get("path") or obj.get("input") or ""
    return os.path.splitext(os.path.basename(f))[0]


def findings_of(obj):
    """[(id, severity, line, text)] of one JSON object."""
    out = []
    for f in obj.get("findings") or obj.get("diagnostics") or []:
        fid = f.get("id") or f.get("rule") or ""
        sev = (f.get("severity") or "").lower()
        line = f.get("line")
        if line is None and isinstance(f.get("location"), dict):
            line = f["location"].get("line")
        try:
            line = int(line) if line is not None else None
        except (TypeError, ValueError):
            line = None
        text = f.get("message") or f.get("summary") or ""
        out.append((fid, sev, line, text))
    return out


def extracted_of(obj):
    """{path: (value as str, line)} of one JSON object.

    Accepts {"extracted": {path: {"value":..,"line":..}}}, {path: value}, a list of
    {"path","value","line"}, and table fields given as a list of row objects
    (flattened to path[i].column)."""
    ex = obj.get("extracted") or obj.get("extract") or {}
    out = {}

    def put(path, v):
        if isinstance(v, dict) and "value" in v:
            val, line = v.get("value"), v.get("line")
            if isinstance(val, list):
                for i, row in enumerate(val):
                    if isinstance(row, dict):
                        for col, cv in row.items():
                            put("%s[%d].%s" % (path, i, col), cv)
                return
            out[path] = (val, line)
        elif isinstance(v, list):
            for i, row in enumerate(v):
                if isinstance(row, dict):
                    for col, cv in row.items():
                        put("%s[%d].%s" % (path, i, col), cv)
        else:
            out[path] = (v, None)

    if isinstance(ex, list):
        for e in ex:
            if isinstance(e, dict) and "path" in e:
                put(e["path"], e)
    elif isinstance(ex, dict):
        for k, v in ex.items():
            put(k, v)
    return out


# ---------------------------------------------------------------- .expect files

FIND_RE = re.compile(r"^([A-Z]\d\d)\s+(error|warning|info)\s+(\d+)\s*(?:#\s*(.*))?$")
MUST_RE = re.compile(r"^([A-Z]\d\d)(?:\s+(\d+))?\s*(?:#\s*(.*))?$")
EXTR_RE = re.compile(r"^(\S+)\s+=\s+(.*?)\s+@(\d+)\s*(?:#.*)?$")


class Expect:
    def __init__(self, path):
        self.path = path
        self.findings = []   # (id, sev, line, why)
        self.must_not = []   # (id, line or None, why)
        self.extract = []    # (path, value, line)
        self.errors = []
        section = "findings"
        with open(path, encoding="utf-8") as fh:
            for n, raw in enumerate(fh, 1):
                s = raw.strip()
                if not s or s.startswith("#"):
                    continue
                if s.startswith("---"):
                    name = s[3:].strip()
                    if name in ("must not", "extract", "findings"):
                        section = name
                    else:
                        self.errors.append("%s:%d: unknown section %r" % (path, n, name))
                    continue
                if section == "findings":
                    m = FIND_RE.match(s)
                    if m:
                        self.findings.append((m[1], m[2], int(m[3]), m[4] or ""))
                        continue
                elif section == "must not":
                    m = MUST_RE.match(s)
                    if m:
                        self.must_not.append((m[1], int(m[2]) if m[2] else None, m[3] or ""))
                        continue
                else:
                    m = EXTR_RE.match(s)
                    if m:
                        self.extract.append((m[1], m[2], int(m[3])))
                        continue
                self.errors.append("%s:%d: cannot parse: %s" % (path, n, s))


# ---------------------------------------------------------------- values

FW = {ord(c): ord(c) - 0xFEE0 for c in "０１２３４５６７８９．，％"}


CN_DIGITS = dict(enumerate("零一二三四五六七八九十"))


def norm_text(v):
    return re.sub(r"\s+", "", str(v).translate(FW))


def as_number(v):
    """(Decimal, is_percent) or None.  '1,234.56万元' -> 1234.56; '87.50%' -> (87.50, True)."""
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float)):
        return Decimal(str(v)), False
    s = norm_text(v)
    pct = s.endswith("%")
    s = re.sub(r"(万元|元|分|人|个|%)$", "", s).replace(",", "")
    try:
        return Decimal(s), pct
    except InvalidOperation:
        return None


def same_value(expected, actual):
    e, a = as_number(expected), as_number(actual)
    if e is not None and a is not None:
        if e[1] and not a[1]:      # 98.60% expected, 0.9860 given as a fraction
            return e[0] == a[0] * 100 or e[0] == a[0]
        return e[0] == a[0]
    return norm_text(expected) == norm_text(actual)


# ---------------------------------------------------------------- checking


def check_file(name, exp, obj, args):
    """Returns a list of problems (empty = pass)."""
    probs = []
    if obj is None:
        return ["no JSON object for this report"]
    got = findings_of(obj)
    used = [False] * len(got)
    for fid, sev, line, why in exp.findings:
        hit = None
        for i, (gid, gsev, gline, _) in enumerate(got):
            if used[i] or gid != fid or gline != line:
                continue
            if not args.ignore_severity and gsev != sev:
                continue
            hit = i
            break
        if hit is None:
            near = [g for g in got if g[0] == fid]
            probs.append("missing  %s %s %d  # %s%s" % (
                fid, sev, line, why,
                ("  (reported at: %s)" % ", ".join("%s:%s" % (g[1], g[2]) for g in near)) if near else ""))
        else:
            used[hit] = True
    for i, (gid, gsev, gline, text) in enumerate(got):
        if used[i]:
            continue
        banned = [m for m in exp.must_not if m[0] == gid and (m[1] is None or m[1] == gline)]
        if banned:
            probs.append("must not %s %s line %s: %s  (trap: %s)" % (gid, gsev, gline, text, banned[0][2]))
        elif gid[:1] in args.strict:
            probs.append("extra    %s %s line %s: %s" % (gid, gsev, gline, text))
    if not args.no_extract:
        ex = extracted_of(obj)
        for path, value, line in exp.extract:
            if path not in ex:
                probs.append("extract  %s = %s @%d: not extracted" % (path, value, line))
                continue
            gv, gl = ex[path]
            if not same_value(value, gv):
                probs.append("extract  %s = %s @%d: got %r" % (path, value, line, gv))
            elif not args.ignore_extract_lines and gl is not None and int(gl) != line:
                probs.append("extract  %s = %s @%d: got line %s" % (path, value, line, gl))
            elif not args.ignore_extract_lines and gl is None:
                probs.append("extract  %s = %s @%d: no line given" % (path, value, line))
    return probs


def lint(reports, expects):
    """Checks the corpus itself: sections parse, lines exist, extracted values appear on their line."""
    bad = 0
    for name, exp in sorted(expects.items()):
        probs = list(exp.errors)
        rpt = reports.get(name)
        if rpt is None:
            probs.append("no report file for %s" % exp.path)
        else:
            with open(rpt, encoding="utf-8") as fh:
                lines = fh.read().split("\n")
            size = os.path.getsize(rpt)
            if not 1024 <= size <= 6 * 1024:
                probs.append("report is %d bytes (want 1-6 KB)" % size)
            flat = lambda s: norm_text(s).replace(",", "")
            for fid, sev, line, why in exp.findings:
                if not 1 <= line <= len(lines):
                    probs.append("finding %s line %d out of range" % (fid, line))
            for fid, line, why in exp.must_not:
                if line is not None and not 1 <= line <= len(lines):
                    probs.append("must-not %s line %d out of range" % (fid, line))
                if line is not None and any(f[0] == fid and f[2] == line for f in exp.findings):
                    probs.append("%s %d is both expected and must-not" % (fid, line))
            for path, value, line in exp.extract:
                if not 1 <= line <= len(lines):
                    probs.append("extract %s line %d out of range" % (path, line))
                    continue
                text = flat(lines[line - 1])
                v = flat(value)
                n = as_number(value)
                if v in text:
                    continue
                if n is not None and n[0] == 0 and "0" in text:
                    continue
                if path.endswith("stated_grade") and len(v) == 2 and v[0] in text:
                    continue   # a grade split over two lines by the PDF
                if path.endswith("_count") and n is not None and CN_DIGITS.get(int(n[0]), "?") in text:
                    continue   # a count in Chinese numerals (内设四个股室)
                if path.endswith("reception_actual") and "元" in text:
                    continue   # stated in 元 (6800元 = 0.68万元)
                probs.append("extract %s = %s: not on line %d" % (path, value, line))
        status = "ok" if not probs else "BAD"
        print("%-4s %s (%d findings, %d must-not, %d extract)" % (
            status, name, len(exp.findings), len(exp.must_not), len(exp.extract)))
        for p in probs:
            print("     " + p)
        bad += bool(probs)
    print("%d expect files, %d bad" % (len(expects), bad))
    return 1 if bad else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("reports", help="directory of reports and their .expect files")
    ap.add_argument("results", nargs="?", help="JSON lines from jixiao audit --format json")
    ap.add_argument("--lint", action="store_true", help="check the .expect files against the reports only")
    ap.add_argument("--strict", default="XTBSGIU",
                    help="first letters of ids whose unexpected findings fail (default XTBSGIU)")
    ap.add_argument("--ignore-severity", action="store_true", help="match findings on id and line only")
    ap.add_argument("--no-extract", action="store_true", help="skip the --- extract checks")
    ap.add_argument("--ignore-extract-lines", action="store_true", help="compare extracted values only")
    ap.add_argument("--only", action="append", default=[], help="check only this report (repeatable)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print passing files' findings too")
    args = ap.parse_args()

    if not os.path.isdir(args.reports):
        print("expect_check: %s: not a directory" % args.reports, file=sys.stderr)
        return 2
    reports, expects = {}, {}
    for f in sorted(os.listdir(args.reports)):
        stem, ext = os.path.splitext(f)
        p = os.path.join(args.reports, f)
        if ext == ".expect":
            expects[stem] = Expect(p)
        elif ext in (".txt", ".docx", ".pdf"):
            reports[stem] = p
    if args.only:
        expects = {k: v for k, v in expects.items() if k in args.only}
    if args.lint:
        return lint(reports, expects)
    if not args.results:
        ap.error("RESULTS.jsonl is required unless --lint")

    objs = {}
    try:
        fh = sys.stdin if args.results == "-" else open(args.results, encoding="utf-8")
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                o = json.loads(line)
            except json.JSONDecodeError as e:
                print("expect_check: %s:%d: not JSON: %s" % (args.results, n, e), file=sys.stderr)
                return 2
            objs[report_key(o)] = o
    except OSError as e:
        print("expect_check: %s" % e, file=sys.stderr)
        return 2

    failed = 0
    for name, exp in sorted(expects.items()):
        if exp.errors:
            probs = exp.errors
        else:
            probs = check_file(name, exp, objs.get(name), args)
        print("%s %s" % ("PASS" if not probs else "FAIL", name))
        for p in probs:
            print("     " + p)
        if args.verbose and not probs and objs.get(name):
            for g in findings_of(objs[name]):
                print("     ok %s %s %s: %s" % g)
        failed += bool(probs)
    print("%d passed, %d failed" % (len(expects) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
