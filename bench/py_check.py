#!/usr/bin/env python3
"""The Python baseline for `make bench`: jixiao's core job in Python + PyYAML.

    python3 bench/py_check.py [--scheme schemes/hunan-dept-overall.yaml]
                              [--list FILE] [FILE...] [--verify JIXIAO.jsonl]

Loads the scheme once (framework weights, levels, grade bands), then for
every data file: parses it with PyYAML (yaml.CSafeLoader when PyYAML was
built with libyaml, else the pure-Python SafeLoader; the choice is printed
to stderr), computes the derived values with exact decimals (Decimal,
six fractional digits, products and quotients rounded half away from zero
as jixiao's jx_dec does): execution and control rates, each indicator's
effective nature and score (≥ / ≤ / = / 定性), the funds score, the total and
the grade; then evaluates the arithmetic rules B01, B02, B07, S01 (x3),
P01 (x3), H01, I01 (per category and the funds weight), I03 (per indicator),
T01 (x2) and T02 with the scheme's tail and rounding semantics, and prints
one JSON line per file (findings and summary), as `jixiao check --format
json` does.

It does less than jixiao (no field-by-field validation of the file against
the scheme, ~20 of jixiao's ~58 rule instances, no note templates), so the
jixiao/Python ratio measured with it is a conservative one.

--verify reads jixiao's JSON lines for the same files and fails if, for the
rules above, the findings (id, severity, path, expected, actual) or the
computed total and grade differ: the baseline does the same job.
"""
import argparse
import json
import os
import sys
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, getcontext

import yaml

getcontext().prec = 60

try:
    Loader = yaml.CSafeLoader
    LOADER_NAME = "yaml.CSafeLoader (libyaml)"
except AttributeError:  # PyYAML without libyaml
    Loader = yaml.SafeLoader
    LOADER_NAME = "yaml.SafeLoader (pure Python)"

D6 = Decimal("0.000001")
ZERO = Decimal(0)
ONE = Decimal(1)
NA_MARKS = {"——", "—", "－", "-", "--", "/", "－－", "／"}

# ---- exact decimals (jx_dec: 10^-6, half away from zero) ----


def q6(x):
    return x.quantize(D6, rounding=ROUND_HALF_UP)


def add(a, b):
    return None if a is None or b is None else a + b


def sub(a, b):
    return None if a is None or b is None else a - b


def mul(a, b):
    return None if a is None or b is None else q6(a * b)


def div(a, b):
    if a is None or b is None or b == 0:
        return None
    return q6(a / b)


def round_dec(a, digits):
    if a is None:
        return None
    return a.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def dsum(*xs):
    p = [x for x in xs if x is not None]
    return sum(p, ZERO) if p else None


def dmin(*xs):
    p = [x for x in xs if x is not None]
    return min(p) if p else None


def dmax(*xs):
    p = [x for x in xs if x is not None]
    return max(p) if p else None


def fmt_plain(d):
    """Shortest exact text of a decimal: 9.00 -> "9", 88.50 -> "88.5"."""
    if d is None:
        return None
    s = format(d.normalize(), "f")
    return s


def fmt2(d):
    return None if d is None else str(d.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def fmt_pct(d):
    return None if d is None else "%s%%" % (d * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# ---- values from the loaded YAML ----


def dec_or_none(v, percent=False):
    """A number field: None when blank, 不适用 (——) or not a number."""
    if v is None or isinstance(v, bool):
        return None
    if isinstance(v, int):
        return Decimal(v)
    if isinstance(v, float):
        return Decimal(repr(v))
    s = str(v).strip()
    if not s or s in NA_MARKS:
        return None
    try:
        if s.endswith("%"):
            return q6(Decimal(s[:-1].replace(",", "")) / 100)
        if percent:
            return None
        return Decimal(s.replace(",", ""))
    except InvalidOperation:
        return None


def text_or_none(v):
    if v is None:
        return None
    s = str(v).strip()
    return s or None


def get(doc, path):
    for k in path.split("."):
        if not isinstance(doc, dict):
            return None
        doc = doc.get(k)
    return doc


def num(doc, path, percent=False):
    return dec_or_none(get(doc, path), percent)


# ---- num(), sign() of indicator texts ----

_FW = {chr(0xFF10 + i): str(i) for i in range(10)}


def text_number(s):
    """The first number written in a text: "5万余人" -> 50000, "100%入驻" -> 1."""
    if s is None:
        return None
    n = len(s)
    i = 0
    while i < n and not ("0" <= _FW.get(s[i], s[i]) <= "9"):
        i += 1
    digits = []
    seen_point = False
    while i < n and len(digits) < 39:
        c = _FW.get(s[i], s[i])
        if c == "\uff0e":
            c = "."
        if "0" <= c <= "9":
            digits.append(c)
        elif c == "." and not seen_point and i + 1 < n and "0" <= s[i + 1] <= "9":
            seen_point = True
            digits.append(".")
        elif c != ",":
            break
        i += 1
    if not digits:
        return None
    txt = "".join(digits)
    if "." in txt and len(txt.split(".")[1]) > 6:
        return None
    v = Decimal(txt)
    unit = s[i] if i < n else ""
    if unit in ("%", "\uff05"):
        return mul(v, Decimal("0.01"))
    if unit == "万":
        return mul(v, Decimal(10000))
    if unit == "亿":
        return mul(v, Decimal(100000000))
    return v


_LEAD = [("≥", "≥"), (">=", "≥"), ("＞＝", "≥"), ("≤", "≤"), ("<=", "≤"), ("＜＝", "≤"),
         ("=", "="), ("＝", "="), ("不低于", "≥"), ("不少于", "≥"), ("大于等于", "≥"),
         ("不高于", "≤"), ("不超过", "≤"), ("小于等于", "≤")]
_ANY = [("以上", "≥"), ("以内", "≤"), ("以下", "≤")]


def text_sign(s):
    if s is None:
        return None
    for p, sg in _LEAD:
        if s.startswith(p):
            return sg
    for w, sg in _ANY:
        if w in s:
            return sg
    return None


def nature_eff(nature, target, actual):
    if nature:
        return nature
    if text_number(target) is not None and text_number(actual) is not None:
        return text_sign(target) or "≥"
    return "定性"


def indicator_score(weight, stated, target, actual, nature):
    """The scheme's `score` column: weight scaled by completion, rounded to 2."""
    nat = nature_eff(nature, target, actual)
    tv, av = text_number(target), text_number(actual)
    if nat == "定性":
        v = dmin(dmax(stated, ZERO), weight)
    elif tv is None or av is None:
        v = None
    elif nat == "≥":
        v = weight if av >= tv else div(mul(weight, av), tv)
    elif nat == "≤":
        v = weight if av <= tv else div(mul(weight, tv), av)
    else:
        v = weight if av == tv else div(mul(weight, dmin(av, tv)), dmax(av, tv))
    return round_dec(v, 2)


# ---- the scheme's framework ----

GRADES = [("优秀", Decimal(90), Decimal(100), True), ("良好", Decimal(80), Decimal(90), False),
          ("中", Decimal(60), Decimal(80), False), ("差", ZERO, Decimal(60), False)]
CATS = [("产出", "产出指标", Decimal(50)), ("效益", "效益指标", Decimal(30)),
        ("满意度", "满意度指标", Decimal(10))]
FUNDS_WEIGHT = Decimal(10)


def load_scheme(path):
    """Takes the grade bands, categories and funds weight from the scheme file."""
    global GRADES, CATS, FUNDS_WEIGHT
    with open(path, "rb") as f:
        s = yaml.load(f, Loader=Loader)
    fw = s["framework"]
    GRADES = [(g["name"], dec_or_none(g["min"]), dec_or_none(g["max"]), bool(g.get("max_inclusive")))
              for g in fw["grades"]]
    CATS = [(c["name"], c["label"], dec_or_none(c["weight"])) for c in fw["categories"]]
    FUNDS_WEIGHT = dec_or_none(fw["funds_weight"])


def grade_of(total):
    if total is None:
        return None
    for name, lo, hi, inc in GRADES:
        if total >= lo and (total < hi or (total == hi and inc)):
            return name
    return None


def score_total(funds_score, rows):
    """score.funds + sum(indicator scores), for rows as dicts of loaded values."""
    scores = [indicator_score(dec_or_none(r.get("weight")), dec_or_none(r.get("stated_score")),
                              text_or_none(r.get("target")), text_or_none(r.get("actual")),
                              text_or_none(r.get("nature"))) for r in rows]
    ind = dsum(*scores) if rows else ZERO
    return add(funds_score, ind)


# ---- one file ----

RULE_IDS = {"B01", "B02", "B07", "S01", "P01", "H01", "I01", "I03", "T01", "T02"}


class Checker:
    def __init__(self, name, doc):
        self.name = name
        self.doc = doc
        self.findings = []

    def finding(self, rid, sev, path, msg, expected, actual, diff=None, tail=False):
        self.findings.append({
            "id": rid, "severity": "info" if tail else sev, "message": msg, "file": self.name,
            "path": path, "expected": expected, "actual": actual, "difference": diff, "tail": tail,
        })

    def equal(self, rid, path, actual, expected, msg, tail=None, rnd=None, fmt=fmt2):
        """An actual/expected rule: skipped when either is blank."""
        if actual is None or expected is None:
            return
        if rnd is not None:
            expected = round_dec(expected, rnd)
        diff = actual - expected
        if diff == 0:
            return
        is_tail = tail is not None and abs(diff) <= tail
        m = msg.format(actual=fmt(actual), expected=fmt(expected))
        if is_tail:
            m += "（尾差 %s，在四舍五入误差范围内）" % fmt(abs(diff))
        self.finding(rid, "error", path, m, fmt_plain(expected), fmt_plain(actual),
                     fmt_plain(diff), is_tail)

    def run(self):
        d = self.doc
        if not isinstance(d, dict):
            return None
        # -- derived values
        rates = {
            "staff.control_rate": div(num(d, "basic_data.staff.actual"), num(d, "basic_data.staff.authorized")),
            "basic_exec": div(num(d, "budget.basic.spending"), num(d, "budget.basic.full_year")),
            "project_exec": div(num(d, "basic_data.project.actual"), num(d, "basic_data.project.budget")),
            "public_control": div(num(d, "basic_data.public.actual"), num(d, "basic_data.public.budget")),
            "procurement_exec": div(num(d, "basic_data.procurement.actual"),
                                    num(d, "basic_data.procurement.budget")),
            "sangong_control": div(num(d, "basic_data.sangong.actual"), num(d, "basic_data.sangong.budget")),
            "sangong_change": div(sub(num(d, "basic_data.sangong.actual"), num(d, "basic_data.sangong.prev")),
                                  num(d, "basic_data.sangong.prev")),
            "carryover": div(num(d, "budget.general.closing"),
                             add(num(d, "budget.general.opening"), num(d, "budget.general.income"))),
            "budget_adjust": div(sub(num(d, "self_eval.funds.full_year"), num(d, "self_eval.funds.initial")),
                                 num(d, "self_eval.funds.initial")),
            "funds_exec": div(num(d, "self_eval.funds.spending"), num(d, "self_eval.funds.full_year")),
        }
        funds_score = round_dec(mul(FUNDS_WEIGHT, dmin(rates["funds_exec"], ONE)), 2)
        rows = get(d, "self_eval.indicators") or []
        scores = []
        for r in rows:
            scores.append(indicator_score(dec_or_none(r.get("weight")), dec_or_none(r.get("stated_score")),
                                          text_or_none(r.get("target")), text_or_none(r.get("actual")),
                                          text_or_none(r.get("nature"))))
        ind = dsum(*scores) if rows else ZERO
        total = add(funds_score, ind)
        grade = grade_of(total)
        by_cat = {}
        for name, _label, _w in CATS:
            sc = [s for r, s in zip(rows, scores) if text_or_none(r.get("level1")) == name]
            by_cat[name] = dsum(*sc) if sc else ZERO

        # -- rules
        self.equal("B01", "budget.general.spending",
                   add(num(d, "budget.general.opening"), num(d, "budget.general.income")),
                   add(num(d, "budget.general.spending"), num(d, "budget.general.closing")),
                   "年初结转和结余 + 本年收入 = {actual} 万元，与本年支出 + 年末结转和结余 = {expected} 万元不等",
                   tail=Decimal("0.01"))
        self.equal("B02", "budget.general.spending", num(d, "budget.general.spending"),
                   add(num(d, "budget.basic.spending"), num(d, "budget.project.spending")),
                   "本年支出 {actual} 万元与基本支出 + 项目支出 = {expected} 万元不等", tail=Decimal("0.01"))
        self.equal("B07", "self_eval.spending.basic", num(d, "self_eval.funds.spending"),
                   add(num(d, "self_eval.spending.basic"), num(d, "self_eval.spending.project")),
                   "附件1-2 全年执行数 {actual} 万元与基本支出 + 项目支出 = {expected} 万元不等",
                   tail=Decimal("0.01"))
        for col, word in (("prev", "上年决算"), ("budget", "本年预算"), ("actual", "本年决算")):
            self.equal("S01", "basic_data.sangong." + col, num(d, "basic_data.sangong." + col),
                       dsum(num(d, "basic_data.vehicle." + col), num(d, "basic_data.abroad." + col),
                            num(d, "basic_data.reception." + col)),
                       "三公经费%s数 {actual} 万元与公务用车 + 出国 + 公务接待 = {expected} 万元不等" % word,
                       tail=Decimal("0.01"))
        special = get(d, "basic_data.project_special") or []
        for col, word in (("prev", "上年决算"), ("budget", "本年预算"), ("actual", "本年决算")):
            sp = dsum(*[dec_or_none(r.get(col)) for r in special]) if special else ZERO
            self.equal("P01", "basic_data.project." + col, num(d, "basic_data.project." + col),
                       dsum(num(d, "basic_data.project_business." + col),
                            num(d, "basic_data.project_operation." + col), sp,
                            num(d, "basic_data.project_other." + col)),
                       "项目支出%s数 {actual} 万元与各明细行合计 {expected} 万元不等" % word,
                       tail=Decimal("0.01"))
        self.equal("H01", "basic_data.staff.stated_control_rate",
                   num(d, "basic_data.staff.stated_control_rate", percent=True), rates["staff.control_rate"],
                   "控制率填报 {actual}，按实际在职人数 ÷ 编制数应为 {expected}", rnd=4, fmt=fmt_pct)
        for name, label, weight in CATS:
            ws = [dec_or_none(r.get("weight")) for r in rows if text_or_none(r.get("level1")) == name]
            actual = dsum(*ws) if ws else ZERO
            self.equal("I01", "self_eval.indicators", actual, weight,
                       "“%s”下各三级指标分值合计 {actual}，应为 {expected}" % label)
        self.equal("I01", "self_eval.funds.weight", num(d, "self_eval.funds.weight"), FUNDS_WEIGHT,
                   "预算执行率分值 {actual}，应为 {expected}")
        for i, r in enumerate(rows):
            st, w = dec_or_none(r.get("stated_score")), dec_or_none(r.get("weight"))
            if st is not None and w is not None and st < w and text_or_none(r.get("deviation")) is None:
                self.finding("I03", "warning", "self_eval.indicators[%d].deviation" % i,
                             "指标“%s”得分 %s 低于分值 %s，未填写偏差原因分析及改进措施"
                             % (text_or_none(r.get("name")), fmt_plain(st), fmt_plain(w)),
                             fmt_plain(w), fmt_plain(st))
        stated = num(d, "performance.stated_score")
        self.equal("T01", "performance.stated_score", stated, total,
                   "自评总分 {actual} 与各项得分合计 {expected} 不符")
        self.equal("T01", "self_eval.stated_total", num(d, "self_eval.stated_total"), total,
                   "附件1-2 总分 {actual} 与各项得分合计 {expected} 不符")
        sgrade = text_or_none(get(d, "performance.stated_grade"))
        if sgrade is not None and grade is not None and sgrade != grade:
            self.finding("T02", "error", "performance.stated_grade",
                         "评价等次“%s”与计算总分 %s 对应的等次“%s”不符" % (sgrade, fmt2(total), grade),
                         grade, sgrade)
        sev = [f["severity"] for f in self.findings]
        return {
            "file": self.name, "scheme": "hunan-dept-overall", "findings": self.findings,
            "summary": {
                "loaded": True, "errors": sev.count("error"), "warnings": sev.count("warning"),
                "infos": sev.count("info"), "computed_total": fmt2(total), "computed_grade": grade,
                "stated_total": fmt_plain(stated), "stated_grade": sgrade,
                "funds_score": fmt2(funds_score), "rates": {k: fmt_plain(v) for k, v in rates.items()},
                "categories": {k: fmt2(v) for k, v in by_cat.items()},
            },
        }


def check_file(path):
    with open(path, "rb") as f:
        doc = yaml.load(f, Loader=Loader)
    return Checker(path, doc).run()


# ---- --verify ----


def _key(f):
    def norm(v):
        if v is None:
            return None
        try:
            return Decimal(v)
        except InvalidOperation:
            return v
    return (f["id"], f["severity"], f["path"], norm(f["expected"]), norm(f["actual"]))


def verify(mine, jsonl):
    theirs = {}
    with open(jsonl, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                r = json.loads(line)
                theirs[r["file"]] = r
    bad = 0
    for m in mine:
        t = theirs.get(m["file"])
        if t is None:
            sys.stderr.write("verify: %s: no jixiao output\n" % m["file"])
            bad += 1
            continue
        a = sorted(map(_key, m["findings"]), key=repr)
        b = sorted((_key(f) for f in t["findings"] if f["id"] in RULE_IDS), key=repr)
        tot_ok = (m["summary"]["computed_total"] == t["summary"].get("computed_total")
                  and m["summary"]["computed_grade"] == t["summary"].get("computed_grade"))
        if a != b or not tot_ok:
            bad += 1
            if bad <= 5:
                sys.stderr.write("verify: %s differs:\n  python: %s %s\n  jixiao: %s %s\n"
                                 % (m["file"], m["summary"]["computed_total"], a,
                                    t["summary"].get("computed_total"), b))
    return bad


def main():
    ap = argparse.ArgumentParser(description="jixiao's core checks in Python (bench baseline)")
    ap.add_argument("files", nargs="*")
    ap.add_argument("--list", help="a file naming one data file per line")
    ap.add_argument("--scheme", default=None, help="scheme file (default: schemes/hunan-dept-overall.yaml)")
    ap.add_argument("--verify", metavar="JSONL", help="compare with `jixiao check --format json` output")
    a = ap.parse_args()
    scheme = a.scheme or os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                      "schemes", "hunan-dept-overall.yaml")
    load_scheme(scheme)
    files = list(a.files)
    if a.list:
        with open(a.list, encoding="utf-8") as f:
            files += [ln.strip() for ln in f if ln.strip()]
    sys.stderr.write("py_check: %s, %d files\n" % (LOADER_NAME, len(files)))
    out = sys.stdout
    results = [] if a.verify else None
    for p in files:
        r = check_file(p)
        out.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")))
        out.write("\n")
        if results is not None:
            results.append(r)
    if a.verify:
        bad = verify(results, a.verify)
        sys.stderr.write("py_check: verify: %d of %d files differ from jixiao\n" % (bad, len(results)))
        sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
