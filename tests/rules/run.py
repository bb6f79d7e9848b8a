#!/usr/bin/env python3
"""Rules suite: every rule of the default scheme fires and holds.

Each case of cases.yaml changes a few values of base.yaml (a complete,
consistent data file with no findings), runs `jixiao check --format json`
on the result and compares the findings, exactly, with the case's list.

A case:

    - name: B09 fires at 89.99%
      set:                        # field path -> value, applied in order
        basic_data.project.budget: "100.00"
        self_eval.indicators[2].stated_score: 9.50
        self_eval.indicators[3].deviation: null       # blank
        basic_data.buildings[0]: __delete__           # delete a row (or key)
        basic_data.buildings[1]: {name: x, ...}       # set a whole row;
                                                      # index = length appends
      expect: ["B09 warning"]     # multiset of "ID severity [path]"; a path,
                                  # when given, must match the finding's path
      values:                     # optional exact strings read back
        computed_total: "98.00"   # summary keys of --format json
        score.funds: "10.00"      # from `jixiao score`: the computed column
        score.indicators[7]: "4.00"   # (row index in the data file)
        score.total: "98.00"
        rate.funds: "100.00%"     # the funds row's rate column
        B09[0].actual: "0.8999"   # a field of the n-th finding with that id

Scalars of base.yaml and cases.yaml are kept as the strings written (a
custom loader resolves only null), so "9.50" stays 9.50 and "87.50%" stays
a percent string in the file we write.

Environment: JIXIAO (the binary), SRCDIR (repo root), JIXIAO_SCHEMES.
Prints `ok NAME` or `FAIL NAME: ...` per case and "N passed, M failed";
exits 1 on any failure.  Also checks that every rule entry of the scheme
fires in at least one case (entries are told apart by their message
template).
"""
import collections
import copy
import json
import os
import re
import subprocess
import sys
import tempfile

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
SRCDIR = os.environ.get("SRCDIR") or os.path.normpath(os.path.join(HERE, "..", ".."))
JIXIAO = os.environ.get("JIXIAO") or os.path.join(SRCDIR, "build", "jixiao")
SCHEME = os.path.join(SRCDIR, "schemes", "hunan-dept-overall.yaml")
DELETE = "__delete__"


# ---- YAML: strings stay strings --------------------------------------------

class StrLoader(yaml.SafeLoader):
    """Resolves null only; every other plain scalar stays a string."""


StrLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag == "tag:yaml.org,2002:null"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class Dumper(yaml.SafeDumper):
    pass


def _str_rep(dumper, s):
    style = "|" if "\n" in s else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", s, style=style)


Dumper.add_representer(str, _str_rep)


def load_yaml(path):
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=StrLoader)


# ---- applying `set` ----------------------------------------------------------

SEG = re.compile(r"^([^\[\]]+)((?:\[\d+\])*)$")


def split_path(path):
    """'a.b[2].c' -> ['a', 'b', 2, 'c']."""
    out = []
    for part in path.split("."):
        m = SEG.match(part)
        if not m:
            raise ValueError("bad path %r" % path)
        out.append(m.group(1))
        out.extend(int(i) for i in re.findall(r"\[(\d+)\]", m.group(2)))
    return out


def apply_set(doc, path, value):
    keys = split_path(path)
    node = doc
    for i, k in enumerate(keys[:-1]):
        nxt = keys[i + 1]
        if isinstance(k, int):
            if k == len(node):
                node.append({})
            node = node[k]
        else:
            if node.get(k) is None:
                node[k] = [] if isinstance(nxt, int) else {}
            node = node[k]
    last = keys[-1]
    if isinstance(last, int):
        if value == DELETE:
            del node[last]
        elif last == len(node):
            node.append(copy.deepcopy(value))
        else:
            node[last] = copy.deepcopy(value)
    else:
        if value == DELETE:
            node.pop(last, None)
        else:
            node[last] = copy.deepcopy(value)


# ---- reading `jixiao score` --------------------------------------------------

def cp_width(ch):
    """Display width as jixiao computes it (src/core/text.c)."""
    cp = ord(ch)
    if 0x300 <= cp <= 0x36F:
        return 0
    for lo, hi in ((0x1100, 0x115F), (0x2E80, 0x303E), (0x3041, 0x33FF), (0x3400, 0x4DBF),
                   (0x4E00, 0x9FFF), (0xA000, 0xA4CF), (0xAC00, 0xD7A3), (0xF900, 0xFAFF),
                   (0xFE30, 0xFE4F), (0xFF00, 0xFF60), (0xFFE0, 0xFFE6), (0x20000, 0x3FFFD)):
        if lo <= cp <= hi:
            return 2
    return 1


def by_columns(line):
    """[(start_col, end_col, char)] of a line."""
    out, col = [], 0
    for ch in line:
        w = cp_width(ch)
        out.append((col, col + w, ch))
        col += w
    return out


def cell_ending_at(line, end):
    """The right-aligned cell whose text ends at display column `end`."""
    chars = [c for c in by_columns(line) if c[1] <= end]
    if not chars or chars[-1][1] != end or chars[-1][2] == " ":
        return ""
    text = []
    for _, _, ch in reversed(chars):
        if ch == " ":
            break
        text.append(ch)
    return "".join(reversed(text))


def cell_starting_at(line, start):
    """The left-aligned cell whose text starts at display column `start`."""
    text, on = [], False
    for s, _, ch in by_columns(line):
        if s < start:
            continue
        if ch == " " and (on or s == start):
            break
        on = True
        text.append(ch)
    return "".join(text)


def header_span(header, title):
    cols = by_columns(header)
    idx = header.index(title)
    return cols[idx][0], cols[idx + len(title) - 1][1]


def parse_score(text, doc):
    """Maps score.funds, score.total, score.indicators[i], rate.funds."""
    lines = text.rstrip("\n").split("\n")
    at = next(i for i, l in enumerate(lines) if "计算得分" in l)  # after the title
    header = lines[at]
    _, score_end = header_span(header, "计算得分")
    rate_start, _ = header_span(header, "完成值")
    body = [l for l in lines[at + 1:] if l and not set(l) <= {"-"}]
    body = body[:-1]  # the CLI's summary line
    out = {}
    funds = body.pop(0)
    out["score.funds"] = cell_ending_at(funds, score_end)
    out["rate.funds"] = cell_starting_at(funds, rate_start)
    rows = ((doc.get("self_eval") or {}).get("indicators")) or []
    framework = load_yaml(SCHEME)["framework"]["categories"]
    for cat in framework:
        mine = [i for i, r in enumerate(rows) if isinstance(r, dict) and r.get("level1") == cat["name"]]
        if not mine:
            body.pop(0)  # （无指标）
        for i in mine:
            out["score.indicators[%d]" % i] = cell_ending_at(body.pop(0), score_end)
        body.pop(0)  # subtotal
    out["score.total"] = cell_ending_at(body.pop(0), score_end)
    return out


# ---- one case ----------------------------------------------------------------

def run_jixiao(args, env):
    p = subprocess.run([JIXIAO] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def parse_expect(items):
    out = []
    for it in items or []:
        parts = str(it).split()
        if len(parts) not in (2, 3):
            raise ValueError("bad expect item %r" % it)
        out.append((parts[0], parts[1], parts[2] if len(parts) == 3 else None))
    return out


def match_findings(expect, findings):
    """Exact multiset match; returns (missing, extra) lists."""
    left = list(findings)
    missing = []
    # Items with a path first, so they take the finding they name.
    for fid, sev, path in sorted(expect, key=lambda e: e[2] is None):
        for j, f in enumerate(left):
            if f["id"] == fid and f["severity"] == sev and (path is None or f["path"] == path):
                del left[j]
                break
        else:
            missing.append("%s %s%s" % (fid, sev, " " + path if path else ""))
    extra = ["%s %s %s" % (f["id"], f["severity"], f["path"]) for f in left]
    return missing, extra


def read_value(key, summary, findings, score):
    m = re.match(r"^([A-Z]\d\d|[A-Z]-?[A-Z]*\d*)\[(\d+)\]\.(\w+)$", key)
    if m:
        same = [f for f in findings if f["id"] == m.group(1)]
        n = int(m.group(2))
        if n >= len(same):
            return "<no finding %s[%d]>" % (m.group(1), n)
        v = same[n].get(m.group(3))
        return v if v is None or isinstance(v, str) else json.dumps(v)
    if key.startswith(("score.", "rate.")):
        return score.get(key, "<no %s in score table>" % key)
    if key in summary:
        v = summary[key]
        return v if v is None or isinstance(v, str) else json.dumps(v)
    return "<unknown value %s>" % key


def run_case(case, base, tmp, env, fired):
    doc = copy.deepcopy(base)
    for path, value in (case.get("set") or {}).items():
        apply_set(doc, path, value)
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", case["name"])[:60]
    path = os.path.join(tmp, safe + ".yaml")
    with open(path, "w", encoding="utf-8") as f:
        yaml.dump(doc, f, Dumper=Dumper, allow_unicode=True, sort_keys=False,
                  default_flow_style=False, width=1000)
    rc, out, err = run_jixiao(["check", path, "--format", "json"], env)
    try:
        res = json.loads(out.strip().split("\n")[0])
    except (ValueError, IndexError):
        return "no JSON (exit %d): %s%s" % (rc, out, err)
    findings = res.get("findings", [])
    for f in findings:
        fired.append((case["name"], f))
    problems = []
    missing, extra = match_findings(parse_expect(case.get("expect")), findings)
    if missing or extra:
        got = sorted("%s %s %s" % (f["id"], f["severity"], f["path"]) for f in findings)
        problems.append("expected %s, got %s (missing %s; unexpected %s)" % (
            sorted(case.get("expect") or []), got, missing, extra))
    want_rc = 2 if any(f["severity"] == "fatal" for f in findings) else \
        1 if any(f["severity"] == "error" for f in findings) else 0
    if rc != want_rc:
        problems.append("exit status %d, expected %d" % (rc, want_rc))
    values = case.get("values") or {}
    score = {}
    if any(k.startswith(("score.", "rate.")) for k in values):
        src, sout, serr = run_jixiao(["score", path], env)
        try:
            score = parse_score(sout, doc)
        except (IndexError, ValueError, StopIteration) as e:
            problems.append("cannot read score table (%s): %s%s" % (e, sout, serr))
    for key, want in values.items():
        got = read_value(key, res.get("summary", {}), findings, score)
        if got != want:
            problems.append("%s: expected %r, got %r" % (key, want, got))
    return "; ".join(problems)


# ---- coverage: every rule entry fires somewhere -----------------------------

def entry_patterns():
    rules = load_yaml(SCHEME)["rules"]
    out = []
    for i, r in enumerate(rules):
        rx = "".join(".*?" if part.startswith("{") else re.escape(part)
                     for part in re.split(r"(\{[^}]*\})", r["message"].strip()))
        out.append((i, r["id"], r.get("title", ""), re.compile("^" + rx)))
    return out


def coverage(fired):
    entries = entry_patterns()
    hit = collections.defaultdict(set)
    for _, f in fired:
        cands = [e for e in entries if e[1] == f["id"] and e[3].match(f["message"])]
        for e in cands:
            hit[e[0]].add(f["severity"])
    lines, unfired = [], []
    for i, rid, title, _ in entries:
        sev = ",".join(sorted(hit.get(i, ()))) or "NEVER"
        lines.append("  %s %-28s fired: %s" % (rid, title, sev))
        if i not in hit:
            unfired.append("%s %s" % (rid, title))
    return lines, unfired


def main():
    env = dict(os.environ)
    env.setdefault("JIXIAO_SCHEMES", os.path.join(SRCDIR, "schemes"))
    env["NO_COLOR"] = "1"
    base = load_yaml(os.path.join(HERE, "base.yaml"))
    cases = load_yaml(os.path.join(HERE, "cases.yaml"))
    only = sys.argv[1:]
    passed = failed = 0
    fired = []
    names = set()
    with tempfile.TemporaryDirectory(prefix="jixiao-rules-") as tmp:
        for case in cases:
            if only and not any(o in case["name"] for o in only):
                continue
            if case["name"] in names:
                print("FAIL %s: duplicate case name" % case["name"])
                failed += 1
                continue
            names.add(case["name"])
            why = run_case(case, base, tmp, env, fired)
            if why:
                print("FAIL %s: %s" % (case["name"], why))
                failed += 1
            else:
                print("ok %s" % case["name"])
                passed += 1
    if not only:
        lines, unfired = coverage(fired)
        print("rule entries (%d):" % len(lines))
        print("\n".join(lines))
        if unfired:
            print("FAIL coverage: never fired: %s" % "; ".join(unfired))
            failed += 1
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
