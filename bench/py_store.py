#!/usr/bin/env python3
"""The Python baseline for bench/store.sh: the store's three jobs in Python.

    python3 bench/py_store.py import  --db X.db DIR...
    python3 bench/py_store.py check   --db X.db            (JSON lines to stdout)
    python3 bench/py_store.py summary --db X.db --year Y -o FILE.xlsx

Debian's python3 with its sqlite3 module, PyYAML (python3-yaml; the
libyaml-backed yaml.CSafeLoader when there is one) and openpyxl
(python3-openpyxl).  What each job does, next to `jixiao db`:

import   every *.yaml under DIR (sorted): read the bytes, SHA-256 them,
         skip the file when the latest revision of its unit and year has
         the same hash (jixiao's "未变"), parse it with PyYAML, compute the
         derived values, total, grade and the arithmetic rules with
         bench/py_check.py's Checker (imported, not copied), then insert
         unit, revision (source bytes + hash), evaluation (totals, grade,
         counts, the summary as JSON), figures (the rates) and findings,
         and move the unit/year's `latest` pointer: one transaction per
         file, journal_mode=WAL, synchronous=NORMAL, as jixiao does.
check    the review list: for every latest revision (by unit code, year),
         one JSON line with the unit, the summary and the findings, like
         `jixiao db check --format json`.
summary  for one year: a workbook with a ranking sheet (all units, by
         total), a grade distribution sheet and two bar charts
         (openpyxl.chart.BarChart: units per grade, top 30 totals),
         written with openpyxl's write-only mode (its low-memory path).

It does less than jixiao (py_check.py's ~20 of jixiao's ~58 rule
instances, no field-by-field validation, no per-value table; a summary
with 2 sheets and 2 charts where jixiao's has 5 sheets and 5 charts), so
the jixiao/Python ratios are conservative.
"""
import argparse
import hashlib
import json
import os
import sqlite3
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import py_check  # noqa: E402  (bench/py_check.py: the rules and totals)
import yaml  # noqa: E402

SCHEMA = """
CREATE TABLE IF NOT EXISTS units (
  id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
  parent_code TEXT, parent_name TEXT);
CREATE TABLE IF NOT EXISTS revisions (
  id INTEGER PRIMARY KEY, unit_id INTEGER NOT NULL REFERENCES units(id),
  year INTEGER NOT NULL, rev INTEGER NOT NULL, file TEXT NOT NULL,
  imported_at INTEGER NOT NULL, hash TEXT NOT NULL, size INTEGER NOT NULL,
  source BLOB NOT NULL, UNIQUE (unit_id, year, rev));
CREATE INDEX IF NOT EXISTS revisions_hash ON revisions(hash);
CREATE TABLE IF NOT EXISTS evaluations (
  revision_id INTEGER PRIMARY KEY REFERENCES revisions(id),
  total TEXT, stated_total TEXT, grade TEXT, stated_grade TEXT,
  errors INTEGER NOT NULL, warnings INTEGER NOT NULL, infos INTEGER NOT NULL,
  summary TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS figures (
  revision_id INTEGER NOT NULL REFERENCES revisions(id),
  metric TEXT NOT NULL, value TEXT, PRIMARY KEY (revision_id, metric));
CREATE TABLE IF NOT EXISTS findings (
  revision_id INTEGER NOT NULL REFERENCES revisions(id), seq INTEGER NOT NULL,
  rule TEXT NOT NULL, severity TEXT NOT NULL, message TEXT NOT NULL, path TEXT,
  expected TEXT, actual TEXT, difference TEXT, tail INTEGER NOT NULL,
  PRIMARY KEY (revision_id, seq));
CREATE INDEX IF NOT EXISTS findings_rule ON findings(rule);
CREATE TABLE IF NOT EXISTS latest (
  unit_id INTEGER NOT NULL REFERENCES units(id), year INTEGER NOT NULL,
  revision_id INTEGER NOT NULL UNIQUE REFERENCES revisions(id),
  PRIMARY KEY (unit_id, year));
CREATE INDEX IF NOT EXISTS latest_year ON latest(year);
"""


def connect(path):
    db = sqlite3.connect(path, isolation_level=None)  # explicit BEGIN/COMMIT
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA foreign_keys = ON")
    return db


def yaml_files(paths):
    for p in paths:
        if os.path.isdir(p):
            found = []
            for root, dirs, files in os.walk(p):
                dirs.sort()
                found += [os.path.join(root, f) for f in files if f.endswith((".yaml", ".yml"))]
            yield from sorted(found)
        else:
            yield p


def import_one(db, path):
    with open(path, "rb") as f:
        src = f.read()
    digest = hashlib.sha256(src).hexdigest()
    doc = yaml.load(src, Loader=py_check.Loader)
    if not isinstance(doc, dict) or not isinstance(doc.get("unit"), dict):
        return "rejected"
    u = doc["unit"]
    code, name = str(u.get("code") or ""), str(u.get("name") or "")
    year = int(doc.get("year"))
    if not code or not name:
        return "rejected"
    res = py_check.Checker(path, doc).run()
    s = res["summary"]
    db.execute("BEGIN IMMEDIATE")
    try:
        row = db.execute("SELECT id FROM units WHERE code = ?", (code,)).fetchone()
        if row is None:
            unit_id = db.execute(
                "INSERT INTO units (code, name, parent_code, parent_name) VALUES (?, ?, ?, ?)",
                (code, name, u.get("parent"), u.get("parent_name"))).lastrowid
        else:
            unit_id = row[0]
            db.execute("UPDATE units SET name = ? WHERE id = ? AND name <> ?", (name, unit_id, name))
        last = db.execute(
            "SELECT r.hash, r.rev FROM latest l JOIN revisions r ON r.id = l.revision_id"
            " WHERE l.unit_id = ? AND l.year = ?", (unit_id, year)).fetchone()
        if last is not None and last[0] == digest:
            db.execute("COMMIT")
            return "unchanged"
        rev = 1 if last is None else last[1] + 1
        rid = db.execute(
            "INSERT INTO revisions (unit_id, year, rev, file, imported_at, hash, size, source)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (unit_id, year, rev, path, int(time.time()), digest, len(src), src)).lastrowid
        db.execute(
            "INSERT INTO evaluations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (rid, s["computed_total"], py_check.fmt2(py_check.num(doc, "performance.stated_score")),
             s["computed_grade"], s["stated_grade"],
             s["errors"], s["warnings"], s["infos"],
             json.dumps(s, ensure_ascii=False, separators=(",", ":"))))
        figs = dict(s["rates"])
        figs["funds_score"] = s["funds_score"]
        for k, v in s["categories"].items():
            figs["category." + k] = v
        db.executemany("INSERT INTO figures VALUES (?, ?, ?)", [(rid, k, v) for k, v in figs.items()])
        db.executemany(
            "INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(rid, i, f["id"], f["severity"], f["message"], f["path"], f["expected"], f["actual"],
              f["difference"], int(f["tail"])) for i, f in enumerate(res["findings"])])
        db.execute("INSERT INTO latest VALUES (?, ?, ?) ON CONFLICT (unit_id, year)"
                   " DO UPDATE SET revision_id = excluded.revision_id", (unit_id, year, rid))
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return "new"


def cmd_import(a):
    db = connect(a.db)
    db.executescript(SCHEMA)
    counts = {"new": 0, "unchanged": 0, "rejected": 0}
    t0 = time.time()
    for p in yaml_files(a.paths):
        counts[import_one(db, p)] += 1
    db.close()
    sys.stderr.write("py_store: import: %d new, %d unchanged, %d rejected (%.2f s)\n"
                     % (counts["new"], counts["unchanged"], counts["rejected"], time.time() - t0))
    return 2 if counts["rejected"] else 0


def cmd_check(a):
    db = connect(a.db)
    where, args = "", ()
    if a.year is not None:
        where, args = " WHERE l.year = ?", (a.year,)
    q = db.execute(
        "SELECT r.id, r.file, u.code, u.name, l.year, r.rev, e.errors, e.warnings, e.infos,"
        " e.total, e.grade, e.stated_total, e.stated_grade"
        " FROM latest l JOIN units u ON u.id = l.unit_id JOIN revisions r ON r.id = l.revision_id"
        " JOIN evaluations e ON e.revision_id = r.id" + where + " ORDER BY u.code, l.year", args)
    fq = ("SELECT rule, severity, message, path, expected, actual, difference, tail"
          " FROM findings WHERE revision_id = ? ORDER BY seq")
    out = sys.stdout
    errors = 0
    for (rid, file, code, name, year, rev, ne, nw, ni, total, grade, st, sg) in q.fetchall():
        findings = [{"id": r[0], "severity": r[1], "message": r[2], "path": r[3], "expected": r[4],
                     "actual": r[5], "difference": r[6], "tail": bool(r[7])}
                    for r in db.execute(fq, (rid,))]
        errors += ne
        out.write(json.dumps({
            "file": file, "unit": code, "unit_name": name, "year": year, "rev": rev,
            "summary": {"errors": ne, "warnings": nw, "infos": ni, "total": total, "grade": grade,
                        "stated_total": st, "stated_grade": sg},
            "findings": findings}, ensure_ascii=False, separators=(",", ":")))
        out.write("\n")
    return 1 if errors else 0


def cmd_summary(a):
    from decimal import Decimal

    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference

    db = connect(a.db)
    rows = db.execute(
        "SELECT u.code, u.name, u.parent_name, e.total, e.grade, e.stated_total, e.stated_grade,"
        " e.errors, e.warnings FROM latest l JOIN units u ON u.id = l.unit_id"
        " JOIN evaluations e ON e.revision_id = l.revision_id WHERE l.year = ?", (a.year,)).fetchall()
    if not rows:
        sys.stderr.write("py_store: no units in %d\n" % a.year)
        return 2
    rows.sort(key=lambda r: (-(Decimal(r[3]) if r[3] is not None else Decimal(-1)), r[0]))
    wb = Workbook(write_only=True)
    rk = wb.create_sheet("排名")
    rk.append(["%d 年度部门整体支出绩效自评排名" % a.year])
    rk.append(["名次", "单位编码", "单位名称", "主管部门", "计算总分", "计算等次", "自评总分",
               "自评等次", "错误数", "警告数"])
    rank, prev = 0, None
    for i, r in enumerate(rows, 1):
        t = float(r[3]) if r[3] is not None else None
        if t != prev:
            rank, prev = i, t
        rk.append([rank, r[0], r[1], r[2] or "", t, r[4], float(r[5]) if r[5] is not None else None,
                   r[6], r[7], r[8]])
    gd = wb.create_sheet("等次分布")
    gd.append(["等次", "单位数"])
    grades = [g[0] for g in py_check.GRADES]
    for g in grades:
        gd.append([g, sum(1 for r in rows if r[4] == g)])
    gd.append([])
    gd.append(["前 30 名", "计算总分"])
    top = rows[:30]
    for r in top:
        gd.append([r[1], float(r[3]) if r[3] is not None else None])
    ch = BarChart()
    ch.title = "%d 年度等次分布" % a.year
    ch.y_axis.title = "单位数"
    ch.legend = None
    ch.add_data(Reference(gd, min_col=2, min_row=1, max_row=1 + len(grades)), titles_from_data=True)
    ch.set_categories(Reference(gd, min_col=1, min_row=2, max_row=1 + len(grades)))
    gd.add_chart(ch, "D2")
    t0 = 3 + len(grades)
    ch2 = BarChart()
    ch2.type = "bar"
    ch2.title = "总分前 30 名"
    ch2.legend = None
    ch2.add_data(Reference(gd, min_col=2, min_row=t0, max_row=t0 + len(top)), titles_from_data=True)
    ch2.set_categories(Reference(gd, min_col=1, min_row=t0 + 1, max_row=t0 + len(top)))
    gd.add_chart(ch2, "D20")
    wb.save(a.o)
    return 0


def main():
    ap = argparse.ArgumentParser(description="the store's jobs in Python (bench baseline)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("import")
    p.add_argument("--db", required=True)
    p.add_argument("paths", nargs="+")
    p = sub.add_parser("check")
    p.add_argument("--db", required=True)
    p.add_argument("--year", type=int)
    p = sub.add_parser("summary")
    p.add_argument("--db", required=True)
    p.add_argument("--year", type=int, required=True)
    p.add_argument("-o", required=True)
    a = ap.parse_args()
    py_check.load_scheme(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                      "schemes", "hunan-dept-overall.yaml"))
    sys.exit({"import": cmd_import, "check": cmd_check, "summary": cmd_summary}[a.cmd](a))


if __name__ == "__main__":
    main()
