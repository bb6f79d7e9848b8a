#!/usr/bin/env python3
"""Reports cut short must not gain findings.

For every report given, audits it whole, then cut at 25, 50, 75 and 90 % of
its bytes (and one byte further, to land inside a UTF-8 character).  A cut
report may lose findings, never gain one (by rule id and line; infos
aside), must exit with 0, 1 or 2 and print one valid JSON line.  Exit 1 on
any violation.  Usage: cuts.py JIXIAO TMPDIR REPORT...
"""
import json
import os
import subprocess
import sys


def audit(jixiao, path):
    out = subprocess.run([jixiao, "audit", "--format", "json", path],
                         capture_output=True, timeout=60)
    obj = json.loads(out.stdout.decode("utf-8"))
    got = {(f["id"], f["line"]) for f in obj["findings"] if f["severity"] != "info"}
    return out.returncode, got


def main():
    jixiao, tmp, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    bad = total = 0
    for f in files:
        data = open(f, "rb").read()
        _, whole = audit(jixiao, f)
        for frac in (0.25, 0.5, 0.75, 0.9):
            for extra in (0, 1):
                cut = os.path.join(tmp, "cut-%d-%d-%s" % (frac * 100, extra, os.path.basename(f)))
                with open(cut, "wb") as fh:
                    fh.write(data[:int(len(data) * frac) + extra])
                total += 1
                rc, got = audit(jixiao, cut)
                new = got - whole
                if rc > 2 or new:
                    bad += 1
                    print("FAIL %s cut at %d%%%s: exit %d, new findings %s" % (
                        os.path.basename(f), frac * 100, "+1" if extra else "", rc, sorted(new)))
    print("cuts: %d, with new findings: %d" % (total, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
