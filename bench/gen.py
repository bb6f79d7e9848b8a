#!/usr/bin/env python3
"""Generate a benchmark corpus of seed-sized jixiao data files.

    python3 bench/gen.py [-n 3000] [-o bench/data] [--seed 2023]
                         [--validate BUILD/jixiao [--every 50]]

Each file is a variation of examples/beita-2023.yaml (the seed): another
unit and district, other amounts (consistent with each other, or with one
to three injected errors in about a third of the files), 6 to 15 indicator
rows whose weights add up per category, and narrative paragraphs rebuilt
from the seed's own sentences until the file is about the seed's size
(within +-12 %).  File i depends only on (seed, i), so the first 1,000 files
of a 3,000-file corpus are the 1,000-file corpus.

Stated scores, rates and totals are computed with the same exact-decimal
rules as jixiao (via bench/py_check.py), so an unmodified file is consistent
and an injected error is the only thing a checker should flag for it.

--validate runs the given jixiao binary (`check --format json`) on every
--every'th file and fails unless each one loads (exit status 0 or 1, never
2).  Needs python3 and PyYAML (Debian: python3-yaml).
"""
import argparse
import json
import os
import random
import re
import subprocess
import sys
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no bench/__pycache__ in the work tree
import py_check as pc  # noqa: E402  (exact-decimal helpers shared with the Python baseline)

import yaml  # noqa: E402

SEED_FILE = os.path.join(ROOT, "examples", "beita-2023.yaml")

# ---- names ----

PLACES = [  # (city, district)
    ("邵阳市", "北塔区"), ("邵阳市", "双清区"), ("邵阳市", "大祥区"), ("邵阳市", "邵东市"),
    ("邵阳市", "新邵县"), ("邵阳市", "邵阳县"), ("邵阳市", "隆回县"), ("邵阳市", "洞口县"),
    ("邵阳市", "绥宁县"), ("邵阳市", "新宁县"), ("邵阳市", "城步苗族自治县"), ("邵阳市", "武冈市"),
    ("长沙市", "芙蓉区"), ("长沙市", "天心区"), ("长沙市", "岳麓区"), ("长沙市", "开福区"),
    ("长沙市", "雨花区"), ("长沙市", "望城区"), ("长沙市", "浏阳市"), ("长沙市", "宁乡市"),
    ("株洲市", "荷塘区"), ("株洲市", "芦淞区"), ("株洲市", "石峰区"), ("株洲市", "醴陵市"),
    ("湘潭市", "雨湖区"), ("湘潭市", "岳塘区"), ("湘潭市", "湘乡市"), ("湘潭市", "韶山市"),
    ("衡阳市", "珠晖区"), ("衡阳市", "雁峰区"), ("衡阳市", "蒸湘区"), ("衡阳市", "耒阳市"),
    ("岳阳市", "岳阳楼区"), ("岳阳市", "君山区"), ("岳阳市", "汨罗市"), ("岳阳市", "临湘市"),
    ("常德市", "武陵区"), ("常德市", "鼎城区"), ("常德市", "津市市"), ("常德市", "桃源县"),
    ("益阳市", "资阳区"), ("益阳市", "赫山区"), ("益阳市", "沅江市"), ("益阳市", "安化县"),
    ("郴州市", "北湖区"), ("郴州市", "苏仙区"), ("郴州市", "资兴市"), ("郴州市", "宜章县"),
    ("永州市", "零陵区"), ("永州市", "冷水滩区"), ("永州市", "祁阳市"), ("永州市", "道县"),
    ("怀化市", "鹤城区"), ("怀化市", "洪江市"), ("怀化市", "沅陵县"), ("怀化市", "芷江侗族自治县"),
    ("娄底市", "娄星区"), ("娄底市", "冷水江市"), ("娄底市", "涟源市"), ("娄底市", "双峰县"),
]
DEPTS = [
    ("行政审批局", "行政审批服务局"), ("财政局", "财政局"), ("教育局", "教育局"),
    ("卫生健康局", "卫生健康局"), ("民政局", "民政局"), ("司法局", "司法局"),
    ("自然资源局", "自然资源局"), ("住房和城乡建设局", "住房和城乡建设局"),
    ("交通运输局", "交通运输局"), ("农业农村局", "农业农村局"), ("水利局", "水利局"),
    ("文化旅游广电体育局", "文化旅游广电体育局"), ("市场监督管理局", "市场监督管理局"),
    ("人力资源和社会保障局", "人力资源和社会保障局"), ("应急管理局", "应急管理局"),
    ("统计局", "统计局"), ("审计局", "审计局"), ("林业局", "林业局"),
    ("医疗保障局", "医疗保障局"), ("退役军人事务局", "退役军人事务局"),
    ("商务局", "商务和粮食局"), ("科学技术局", "科学技术和工业信息化局"),
    ("城市管理和综合执法局", "城市管理和综合执法局"), ("档案馆", "档案馆"),
]
SECTIONS = [
    "办公室（加挂政工股牌子）", "行政审批综合事务股（加挂政策法规股牌子）", "电子政务股",
    "行政效能股（加挂政府热线监管股牌子）", "财务股", "法规股", "规划发展股", "综合执法大队",
    "安全监督股", "项目管理股", "人事股", "业务指导股", "信息中心", "政务公开股", "督查室",
]
TITLES_EXTRA = [
    "强化预算管理，提高资金使用效益", "持续优化营商环境，提升服务质效",
    "扎实推进重点民生实事，群众获得感不断增强", "规范财务管理，严格执行财经纪律",
    "加强队伍建设，提升干部履职能力", "推进数字化转型，提升信息化水平",
    "抓实安全生产，守牢风险底线", "深化改革创新，激发发展活力",
]
PROBLEMS_EXTRA = [
    "预算编制的科学性和精准性有待提高，部分项目年中调整较多。",
    "绩效目标设定不够细化量化，部分指标难以考核。",
    "项目资金拨付进度较慢，影响资金使用效益。",
    "财务人员业务水平有待提高，绩效管理专业力量不足。",
]
DEVIATIONS = [
    "受上级政策调整影响，部分工作推迟，下一步将加快进度。",
    "因资金到位较晚，项目实施有所滞后，已督促加快实施。",
    "部分指标设定偏高，下年度将科学合理设定指标值。",
    "工作宣传力度不够，下一步将加强宣传引导。",
]

# Indicator templates: (level1, level2, name, form, qualitative pair)
#   form "pct":  target "≥P%" or "P%", actual "Q%"
#   form "cnt":  target "≥N次", actual "M次"
#   form "wan":  target "N万余人", actual "≥M万"
#   form "le":   target "≤N个工作日", actual "M个工作日"
#   form "qual": target/actual texts without numbers
INDICATORS = [
    ("产出", "数量", "政务服务事项网上可办率", "pct", None),
    ("产出", "数量", "开展业务培训次数", "cnt", None),
    ("产出", "数量", "“湘易办”APP注册", "wan", None),
    ("产出", "数量", "网上中介服务超市", "qual", ("100%入驻", "100%入驻")),
    ("产出", "数量", "完成重点项目个数", "cnt", None),
    ("产出", "质量", "12345政务服务热线好评率", "qual", ("三区第一", "三区第一")),
    ("产出", "质量", "办件按时办结率", "pct", None),
    ("产出", "质量", "“一件事一次办”", "pct", None),
    ("产出", "质量", "资金使用合规率", "pct", None),
    ("产出", "时效", "重点工作办结时间", "qual", ("{year}年年底", "按时完成")),
    ("产出", "时效", "资金拨付及时率", "pct", None),
    ("产出", "时效", "审批办理时限", "le", None),
    ("产出", "成本", "资金使用合规性", "qual", ("合规", "合规")),
    ("产出", "成本", "“三公”经费控制", "qual", ("不超过预算", "未超预算")),
    ("效益", "经济效益", "优化资源，提高财政资金使用效益", "qual", ("逐步提高", "逐步提高")),
    ("效益", "经济效益", "带动社会投资", "cnt", None),
    ("效益", "社会效益", "政府机关工作效率提升程度持续提高", "qual", ("成效明显", "成效明显")),
    ("效益", "社会效益", "企业群众跑腿次数减少", "pct", None),
    ("效益", "社会效益", "惠及群众人数", "wan", None),
    ("效益", "生态效益", "节能降耗", "qual", ("有效降低", "有效降低")),
    ("效益", "可持续影响", "不断提高办事便利度", "qual", ("可持续", "可持续")),
    ("效益", "可持续影响", "长效管理机制", "qual", ("健全", "基本健全")),
    ("满意度", "服务对象满意度", "服务对象满意度", "pct", None),
    ("满意度", "服务对象满意度", "办事群众满意度", "pct", None),
]
CATEGORIES = [("产出", 50), ("效益", 30), ("满意度", 10)]

INJECTIONS = ["B01", "B02", "B03", "B07", "S01", "P01", "H01", "I01", "T01", "T02"]

# ---- the seed's text ----


def sentences_of(text):
    """Splits prose into sentences ending in 。 (keeping it)."""
    out = []
    for part in re.split(r"(?<=。)", text):
        part = part.strip()
        if len(part) >= 8:
            out.append(part)
    return out


def seed_material(path):
    with open(path, encoding="utf-8") as f:
        raw = f.read()
    doc = yaml.safe_load(raw)
    perf = doc["performance"]
    pool = []
    for item in perf["analysis"]:
        for para in item["text"]:
            pool += sentences_of(para)
    titles = [item["title"] for item in perf["analysis"]]
    duties = list(doc["info"]["duties"])
    measures = list(doc["measures"])
    problems = list(doc["problems"])
    thrift = list(doc["basic_data"]["thrift_measures"])
    goals = doc["info"]["goals"]
    expected = doc["self_eval"]["goal"]["expected"]
    return {
        "size": len(raw.encode("utf-8")),
        "pool": pool,
        "titles": titles,
        "duties": duties,
        "measures": measures,
        "problems": problems,
        "thrift": thrift,
        "goals": goals,
        "expected": expected,
    }


def localize(text, city, district):
    short_d = re.sub(r"(苗族自治县|侗族自治县|自治县|区|县|市)$", "", district) or district
    short_c = city[:-1]
    return (text.replace("邵阳市", city).replace("邵阳", short_c)
            .replace("北塔区", district).replace("北塔", short_d))


# ---- YAML text ----

_PLAIN_BAD_START = set("-?:,[]{}#&*!|>'\"%@` ")
_NUMBERISH = re.compile(r"^[-+]?(\d[\d_,]*)?(\.\d*)?([eE][-+]?\d+)?$|^(true|false|yes|no|on|off|null|~)$",
                        re.I)


class Raw(str):
    """Text written as is: a number such as 484.14."""


def scalar(v):
    """A YAML scalar for v: plain when safe, else double-quoted (JSON is valid YAML)."""
    if v is None:
        return ""
    if isinstance(v, (int, Decimal, Raw)):
        return str(v)
    s = str(v)
    if (not s or s[0] in _PLAIN_BAD_START or s[-1] in " :" or ": " in s or " #" in s
            or "\n" in s or "\t" in s or _NUMBERISH.match(s) or re.match(r"^\d{4}-\d", s)):
        return json.dumps(s, ensure_ascii=False)
    return s


def quoted(s):
    return json.dumps(s, ensure_ascii=False)


class W:
    """Line writer."""

    def __init__(self):
        self.lines = []

    def __call__(self, line=""):
        self.lines.append(line)

    def kv(self, indent, key, value, comment=None):
        sv = scalar(value)
        line = " " * indent + key + ":" + (" " + sv if sv else "")
        if comment:
            line += ("  " if sv else " ") + "# " + comment
        self.lines.append(line)

    def block(self, indent, key, text):
        self.lines.append(" " * indent + key + ": |-")
        for ln in text.split("\n"):
            self.lines.append(" " * (indent + 2) + ln)

    def items(self, indent, key, seq):
        self.lines.append(" " * indent + key + ":")
        for s in seq:
            self.lines.append(" " * (indent + 2) + "- " + scalar(s))

    def text(self):
        return "\n".join(self.lines) + "\n"


# ---- amounts (in cents) ----

def amt(c):
    """Amount in 万元 from integer hundredths: 48414 -> 484.14, 200 -> 2."""
    if c is None:
        return None
    if c % 100 == 0:
        return Raw(c // 100)
    return Raw("%d.%02d" % (c // 100, c % 100))


def dec(c):
    return Decimal(c) / 100


def pct_text(q):
    """A rate as a unit would write it: 0.875 -> "87.50%"."""
    return "%s%%" % (pc.round_dec(q, 4) * 100).quantize(Decimal("0.01"))


def rate(num, den):
    return pc.div(Decimal(num), Decimal(den))


def split_weights(rnd, total, k):
    parts = [total // k] * k
    for i in range(total - sum(parts)):
        parts[i % k] += 1
    for _ in range(k):
        i, j = rnd.randrange(k), rnd.randrange(k)
        d = rnd.choice([1, 2, 5])
        if i != j and parts[i] - d >= 2:
            parts[i] -= d
            parts[j] += d
    return parts


# ---- one unit ----

def indicator_row(rnd, tpl, weight, year):
    level1, level2, name, form, pair = tpl
    short = rnd.random() < 0.2  # falls short of the target
    if form == "pct":
        t = rnd.choice([80, 85, 90, 95, 98, 100])
        target = rnd.choice(["≥%d%%" % t, "%d%%" % t, "不低于%d%%" % t]) if t < 100 else "100%"
        if short:
            a = Decimal(rnd.randint(max(50, t - 25) * 10, t * 10 - 1)) / 10
        else:
            a = Decimal(rnd.randint(t * 10, 1000)) / 10
        actual = "%s%%" % a.normalize() if a != a.to_integral() else "%d%%" % a
    elif form == "cnt":
        t = rnd.randint(2, 60)
        unit = "万元" if "投资" in name else ("个" if "个数" in name else "次")
        target = "≥%d%s" % (t, unit)
        m = rnd.randint(max(1, t // 2), t - 1) if short and t > 1 else rnd.randint(t, t + t // 3 + 1)
        actual = "%d%s" % (m, unit)
    elif form == "wan":
        t = rnd.randint(1, 20)
        target = "%d万余人" % t
        m = rnd.randint(max(1, t // 2), t) if short else rnd.randint(t, t + 3)
        actual = "≥%d万" % m
    elif form == "le":
        t = rnd.randint(2, 10)
        target = "≤%d个工作日" % t
        m = rnd.randint(t + 1, t * 2) if short else rnd.randint(1, t)
        actual = "%d个工作日" % m
    else:
        target, actual = pair
        target = target.format(year=year)
    row = {"level1": level1, "level2": level2, "name": name, "nature": None, "target": target,
           "actual": actual, "weight": weight, "stated_score": None, "level": None,
           "deviation": None}
    score = pc.indicator_score(pc.dec_or_none(weight), None, target, actual, None)
    nature = pc.nature_eff(None, target, actual)
    if nature == "定性":
        if rnd.random() < 0.3:
            sc = Decimal(weight) - rnd.choice([Decimal("0.5"), Decimal(1), Decimal(2)])
            sc = max(sc, Decimal(0))
        else:
            sc = Decimal(weight)
        row["stated_score"] = sc
        if rnd.random() < 0.25:
            row["nature"] = "定性"
            r = sc / Decimal(weight)
            row["level"] = ("达成年度指标" if r >= Decimal("0.8") else
                            "部分达成年度指标并具有一定效果" if r >= Decimal("0.6") else
                            "未达成年度指标且效果较差")
    else:
        row["stated_score"] = score
        if rnd.random() < 0.15:
            row["nature"] = nature
    if row["stated_score"] < Decimal(weight) and rnd.random() < 0.7:
        row["deviation"] = rnd.choice(DEVIATIONS)
    row["stated_score"] = Raw(pc.fmt_plain(row["stated_score"]))
    return row


def make_unit(i, seed, mat):
    rnd = random.Random("%d:%d" % (seed, i))
    city, district = rnd.choice(PLACES)
    dept, dept_full = rnd.choice(DEPTS)
    name = district + dept
    budget_name = name if rnd.random() < 0.85 else city + district + dept_full
    year = rnd.choice([2021, 2022, 2023, 2023, 2024])
    loc = lambda s: localize(s, city, district)  # noqa: E731
    inject = set()
    if rnd.random() < 0.33:
        inject = set(rnd.sample(INJECTIONS, rnd.randint(1, 3)))

    # -- staff
    authorized = rnd.randint(5, 120)
    actual_staff = authorized - rnd.randint(0, max(1, authorized // 5))
    if rnd.random() < 0.05:
        actual_staff = authorized + rnd.randint(1, 3)
    control = pct_text(rate(actual_staff, authorized))
    if "H01" in inject:
        control = pct_text(rate(actual_staff, authorized) + Decimal("0.05"))

    # -- budget (cents)
    basic_full = rnd.randint(50, 3000) * 100 + rnd.randint(0, 99)
    basic_initial = int(basic_full * rnd.uniform(0.2, 1.0))
    basic_spend = basic_full if rnd.random() < 0.7 else int(basic_full * rnd.uniform(0.93, 1.0))
    proj_budget = rnd.randint(10, 2000) * 100 + rnd.randint(0, 99)
    proj_actual = int(proj_budget * (rnd.uniform(0.9, 1.0) if rnd.random() < 0.75 else rnd.uniform(0.5, 0.9)))
    spending = basic_spend + proj_actual
    opening = 0 if rnd.random() < 0.7 else rnd.randint(1, 5000)
    closing = 0 if rnd.random() < 0.6 else rnd.randint(1, 8000)
    income = spending + closing - opening
    if income <= 0:
        opening, income = 0, spending + closing
    text_spending = spending
    if "B02" in inject:  # the seed's kind of error: 1 cent of 尾差, or a real gap
        d = rnd.choice([1, -1, 1000])
        text_spending += d
        income += d
    if "B01" in inject:
        closing += rnd.randint(100, 5000)
    basic_rate = rate(basic_spend, basic_full)
    basic_rate_text = pct_text(basic_rate)
    if basic_rate_text.endswith(".00%"):
        basic_rate_text = basic_rate_text[:-4] + "%"
    if "B03" in inject:
        basic_rate_text = "100%" if basic_spend != basic_full else "98.50%"
    reason = None
    if proj_actual * 10 < proj_budget * 9 and rnd.random() < 0.5:
        reason = "部分项目资金下达较晚，尚未完成支付。"

    # -- 三公 (cents)
    rec_b = rnd.choice([0, 0, rnd.randint(10, 800)])
    veh_run_b = rnd.choice([0, rnd.randint(50, 1500)])
    veh_buy_b = 0 if rnd.random() < 0.85 else rnd.randint(1000, 3000)
    abroad_b = 0
    veh_b = veh_run_b + veh_buy_b
    sg_b = veh_b + abroad_b + rec_b

    def under(x):
        return int(x * rnd.uniform(0.3, 1.0)) if x else 0

    def prev_of(x):
        return int(x * rnd.uniform(0.6, 1.3)) if x else rnd.choice([0, 0, rnd.randint(0, 300)])
    rec_a, veh_run_a, veh_buy_a = under(rec_b), under(veh_run_b), under(veh_buy_b)
    veh_a = veh_run_a + veh_buy_a
    sg_a = veh_a + rec_a
    rec_p, veh_run_p, veh_buy_p = prev_of(rec_b), prev_of(veh_run_b), prev_of(veh_buy_b)
    veh_p = veh_run_p + veh_buy_p
    sg_p = veh_p + rec_p
    text_sg_a = sg_a
    if "S01" in inject:
        sg_a += rnd.choice([50, 100, 1000])

    # -- 项目支出 rows (cents): business + operation + specials + other
    nspecial = rnd.choice([0, 0, 1, 2, 3])
    parts_b = [proj_budget]
    parts_a = [proj_actual]
    if nspecial or rnd.random() < 0.4:
        k = 1 + nspecial + (1 if rnd.random() < 0.4 else 0)
        cuts_b = sorted(rnd.sample(range(1, max(proj_budget, k + 1)), k)) if proj_budget > k + 1 else []
        if len(cuts_b) == k:
            parts_b = [b - a for a, b in zip([0] + cuts_b, cuts_b + [proj_budget])]
            parts_a = [int(p * proj_actual / proj_budget) for p in parts_b]
            parts_a[0] += proj_actual - sum(parts_a)
        else:
            nspecial = 0
    proj_prev = int(proj_budget * rnd.uniform(0.6, 1.4))
    parts_p = [int(p * proj_prev / proj_budget) for p in parts_b]
    parts_p[0] += proj_prev - sum(parts_p)
    names = ["专项业务经费", "信息化建设专项资金", "重点民生实事专项资金", "乡村振兴专项资金",
             "政务服务体系建设资金"]
    rows_special = []
    for j in range(nspecial):
        rows_special.append((names[(i + j) % len(names)], parts_p[1 + j], parts_b[1 + j], parts_a[1 + j]))
    n_used = 1 + nspecial
    operation = None
    if len(parts_b) > n_used:
        operation = (parts_p[n_used], parts_b[n_used], parts_a[n_used])
        n_used += 1
    other = None
    if len(parts_b) > n_used:
        other = (parts_p[n_used], parts_b[n_used], parts_a[n_used])
    business = (parts_p[0], parts_b[0], parts_a[0])
    if "P01" in inject:
        business = (business[0], business[1] + rnd.choice([100, 2500]), business[2])

    # -- 公用经费, 采购
    pub_b = rnd.randint(5, 200) * 100 + rnd.randint(0, 99)
    pub_a = int(pub_b * rnd.uniform(0.7, 1.2))
    pub_p = int(pub_b * rnd.uniform(0.7, 1.3))
    office = [int(x * rnd.uniform(0.05, 0.3)) for x in (pub_p, pub_b, pub_a)]
    travel = [int(x * rnd.uniform(0.0, 0.2)) for x in (pub_p, pub_b, pub_a)]
    meeting = [int(x * rnd.uniform(0.0, 0.1)) for x in (pub_p, pub_b, pub_a)]
    proc_b = rnd.randint(0, 500) * 100 + rnd.randint(0, 99)
    proc_a = int(proc_b * rnd.uniform(0.85, 1.15)) if rnd.random() < 0.8 else int(proc_b * rnd.uniform(0.3, 1.8))

    # -- 自评表
    full_year = spending if rnd.random() < 0.6 else spending + rnd.randint(1, max(2, spending // 20))
    se_spending = text_spending
    funds_rate = rate(se_spending, full_year)
    funds_score = pc.round_dec(pc.mul(Decimal(10), min(funds_rate, Decimal(1))), 2)
    funds_rate_text = pct_text(funds_rate)
    if funds_rate_text.endswith(".00%"):
        funds_rate_text = funds_rate_text[:-4] + "%"
    funds_initial = basic_initial + proj_budget
    inc_other = 0 if rnd.random() < 0.7 else rnd.randint(1, max(2, full_year // 10))
    inc_general = full_year - inc_other
    se_basic, se_project = basic_spend, proj_actual
    if "B07" in inject:
        se_basic += rnd.choice([100, 1000, 3])

    # -- indicators
    n_out = rnd.randint(3, 7)
    n_ben = rnd.randint(2, 5)
    n_sat = rnd.choice([0, 1, 1, 1, 2])
    while n_out + n_ben + n_sat < 6:
        n_out += 1
    while n_out + n_ben + n_sat > 15:
        n_out -= 1
    rows = []
    for (cat, w), n in zip(CATEGORIES, (n_out, n_ben, n_sat)):
        if not n:
            continue
        tpls = [t for t in INDICATORS if t[0] == cat]
        chosen = [tpls[k % len(tpls)] for k in rnd.sample(range(len(tpls) * 2), n)]
        chosen.sort(key=lambda t: [x[1] for x in INDICATORS].index(t[1]))
        for tpl, wt in zip(chosen, split_weights(rnd, w, n)):
            rows.append(indicator_row(rnd, tpl, wt, year))
    if "I01" in inject:
        rows[rnd.randrange(len(rows))]["weight"] += rnd.choice([1, 5, -1])
        rows = [r for r in rows if r["weight"] > 0]
    total = pc.score_total(funds_score, rows)
    stated_total = Raw(pc.fmt_plain(total))
    grade = pc.grade_of(total)
    if "T01" in inject:
        stated_total = Raw(pc.fmt_plain(total + rnd.choice([Decimal(1), Decimal(2), Decimal("0.5"), Decimal(10)])))
    if "T02" in inject:
        grade = rnd.choice([g for g in ("优秀", "良好", "中", "差") if g != grade])
    if Decimal(stated_total) > 100:  # units do not claim more than full marks
        stated_total = Raw("100")
    se_stated_total = stated_total if rnd.random() < 0.5 else None

    # ---- the text ----
    w = W()
    d = district
    w("# %s%s %d年部门整体支出绩效自评报告" % (d, dept, year))
    w("# Generated by bench/gen.py from examples/beita-2023.yaml (unit %d, seed %d)." % (i, seed))
    w("# Figures are synthetic; prose is the seed's, shuffled.")
    w("scheme: hunan-dept-overall")
    w("year: %d" % year)
    w("unit: {name: %s, budget_name: %s}" % (scalar(name), scalar(budget_name)))
    w()
    w("# 一、部门、单位基本情况")
    w("info:")
    w("  org:")
    w("    # （一）机构设置情况")
    secs = rnd.sample(SECTIONS, rnd.randint(3, 7))
    w.block(4, "text", "内设股室%d个，分别是：%s。" % (len(secs), "、".join(secs)))
    w.kv(4, "sections_count", len(secs))
    w.items(4, "sections", secs)
    w("  staff:")
    w("    # （2）人员编制情况")
    w.block(4, "text", "本部门共有编制人数%d人，实有人数%d人。" % (authorized, actual_staff))
    w.kv(4, "authorized", authorized)
    w.kv(4, "actual", actual_staff)
    w("  # （3）主要职能职责")
    duties = [loc(s) for s in mat["duties"]]
    rnd.shuffle(duties)
    w.items(2, "duties", duties[:rnd.randint(4, len(duties))])
    w("  # （4）绩效目标设定情况")
    w.block(2, "goals", loc(mat["goals"]).replace("2023", str(year)))
    w()
    w("# 二、部门整体支出管理及使用情况")
    w("budget:")
    w("  # （一）预算执行、使用、管理总体情况")
    w("  general:")
    w.block(4, "text", "%d年度一般公共预算财政拨款年初结转和结余%s万元，本年收入%s万元，本年支出%s万元，"
            "年末结转和结余%s万元。预算执行取得预期效果，财政运行整体良好。"
            % (year, amt(opening), amt(income), amt(text_spending), amt(closing)))
    w.kv(4, "opening", amt(opening))
    w.kv(4, "income", amt(income))
    w.kv(4, "spending", amt(text_spending))
    w.kv(4, "closing", amt(closing))
    w("  # （二）部门预算执行情况 — 1.基本支出情况")
    w("  basic:")
    w.block(4, "text", "%d年一般公共预算财政拨款基本支出年初结转和结余0万元,本年年初预算数%s万元，全年预算数%s万元，"
            "本年支出%s万元。预算执行率%s，年末结转和结余0万元，没有超出预算规模、范围和标准。"
            % (year, amt(basic_initial), amt(basic_full), amt(basic_spend), basic_rate_text))
    w.kv(4, "opening", 0)
    w.kv(4, "initial", amt(basic_initial))
    w.kv(4, "full_year", amt(basic_full))
    w.kv(4, "spending", amt(basic_spend))
    w("    stated_rate: " + quoted(basic_rate_text))
    w.kv(4, "closing", 0)
    w("  # 2.项目支出情况")
    w("  project:")
    w.block(4, "text", "%d年度项目支出%s万元。是指我单位为完成特定行政工作任务或事业发展目标而发生的支出，"
            "包括有关事业发展专项、专项业务费、基本建设支出等。" % (year, amt(proj_actual)))
    w.kv(4, "spending", amt(proj_actual))
    w.kv(4, "reason", reason, None if reason else "not given in the report")
    w("  # 3、“三公”经费使用情况和管理情况")
    w("  sangong:")
    w.block(4, "text", "%d年“三公”经费年初预算数%s万元（公务接待费%s万元、公务用车购置及运行费用%s万元、"
            "出国（境）经费%s万元）。%d年“三公”经费实际支出%s万元。"
            % (year, amt(sg_b), amt(rec_b), amt(veh_b), amt(abroad_b), year, amt(text_sg_a)))
    w.kv(4, "budget", amt(sg_b))
    w.kv(4, "reception_budget", amt(rec_b))
    w.kv(4, "vehicle_budget", amt(veh_b))
    w.kv(4, "abroad_budget", amt(abroad_b))
    w.kv(4, "actual", amt(text_sg_a))
    if rnd.random() < 0.5:
        w("    # the prose gives no per-category actuals")
        w.kv(4, "reception_actual", None)
        w.kv(4, "vehicle_actual", None)
        w.kv(4, "abroad_actual", None)
    else:
        w.kv(4, "reception_actual", amt(rec_a))
        w.kv(4, "vehicle_actual", amt(veh_a))
        w.kv(4, "abroad_actual", 0)
    w()
    w("# 三、四、五")
    w("other_budgets:")
    w("  # 三、政府性基金预算支出情况")
    w.block(2, "gov_fund", "%d年，我单位无政府性基金预算支出。" % year)
    w("  # 四、国有资本经营预算支出情况")
    w.block(2, "state_capital", "%d年，我单位无国有资本经营预算支出。" % year)
    w("  # 五、社会保险基金预算支出情况")
    w.block(2, "social_insurance", "%d年，我单位无社会保险基金预算支出。" % year)
    w()
    w("# 六、部门整体支出绩效情况")
    w("performance:")
    w("  # （一）综合评价结论")
    w.block(2, "conclusion", "%d年，我单位认真做好年度财政资金的绩效评价工作，在资金使用和管理方面，进一步强化资金统筹，"
            "优化资金结构，明确开支范围，细化资金用途，确保部门职责任务顺利完成。我单位对绩效评价情况进行了综合评定"
            "自评分数为%s分，绩效评价等次为“%s”。" % (year, stated_total, grade))
    w.kv(2, "stated_score", stated_total)
    w.kv(2, "stated_grade", grade)
    w("  # （二）评价指标分析（或综合评价情况）— 1.")
    w.block(2, "analysis_intro", "对履职效能主要指标的完成情况进行具体分析")
    w("  analysis:")
    analysis_at = len(w.lines)
    w()
    w("# 七、存在的问题及原因分析")
    probs = mat["problems"] + rnd.sample(PROBLEMS_EXTRA, rnd.randint(0, 2))
    w.items(0, "problems", probs)
    w()
    w("# 8、下一步改进措施")
    w.items(0, "measures", mat["measures"][:rnd.randint(2, 3)])
    w()
    w("# 9、其他需要说明的情况")
    w.kv(0, "other_notes", "无")
    w()
    w("# 附件1-1 部门整体支出绩效评价基础数据表")
    w("# money rows: prev = 上年决算数, budget = 本年预算数, actual = 本年决算数")
    w("basic_data:")
    w("  # 财政供养人员情况")
    w("  staff:")
    w.kv(4, "authorized", authorized)
    w.kv(4, "actual", actual_staff)
    w("    stated_control_rate: " + quoted(control))
    w("  # 经费控制情况")

    def money(key, comment, p, b, a):
        w("  %s:  # %s" % (key, comment))
        for k, v in (("prev", p), ("budget", b), ("actual", a)):
            if v == "——":
                w("    %s: %s" % (k, quoted(v)))
            else:
                w.kv(4, k, amt(v))
    money("sangong", "三公经费", sg_p, sg_b, sg_a)
    money("vehicle", "1、公务用车购置和维护经费", veh_p, veh_b, veh_a)
    money("vehicle_purchase", "其中：公车购置", veh_buy_p, veh_buy_b, veh_buy_a)
    money("vehicle_running", "公车运行维护", veh_run_p, veh_run_b, veh_run_a)
    money("abroad", "2、出国经费", 0, abroad_b, 0)
    money("reception", "3、公务接待", rec_p, rec_b, rec_a)
    money("project", "项目支出", proj_prev, proj_budget, proj_actual)
    money("project_business", "1、业务工作经费", *business)
    if operation:
        money("project_operation", "2、运行维护经费", *operation)
    else:
        money("project_operation", "2、运行维护经费 (blank)", None, None, None)
    if rows_special:
        w("  project_special:  # 3、市级专项资金（一个专项一行）")
        for nm, p, b, a in rows_special:
            w("    - name: " + scalar(nm))
            w.kv(6, "prev", amt(p))
            w.kv(6, "budget", amt(b))
            w.kv(6, "actual", amt(a))
    else:
        w("  project_special: []  # 3、市级专项资金（一个专项一行）: row printed empty")
    if other:
        money("project_other", "4、其他事业类发展资金", *other)
    else:
        money("project_other", "4、其他事业类发展资金 (blank)", None, None, None)
    money("public", "公用经费", pub_p, pub_b, pub_a)
    money("public_office", "其中：办公费", *office)
    money("public_utilities_travel", "水费、电费、差旅费", *travel)
    money("public_meeting_training", "会议费、培训费", *meeting)
    money("procurement", "政府采购金额", "——", proc_b, proc_a)
    money("basic_adjust", "部门基本支出预算调整", "——", None, None)
    if rnd.random() < 0.1:
        ap = rnd.randint(500, 5000)
        aa = int(ap * rnd.uniform(0.9, 1.05))
        bi = rnd.randint(100, 3000) * 100
        ai = int(bi * rnd.uniform(0.9, 1.05))
        w("  buildings:  # 楼堂馆所控制情况")
        w("    - name: " + scalar("业务用房维修改造"))
        w.kv(6, "approved_area", ap)
        w.kv(6, "actual_area", aa)
        w("      stated_area_rate: " + quoted(pct_text(rate(aa, ap))))
        w.kv(6, "budget_invest", amt(bi))
        w.kv(6, "actual_invest", amt(ai))
        w("      stated_invest_rate: " + quoted(pct_text(rate(ai, bi))))
    else:
        w("  buildings: []  # 楼堂馆所控制情况: row printed empty")
    w("  # 厉行节约保障措施")
    w.items(2, "thrift_measures", mat["thrift"])
    w("  # 填报单位 / 填表人 / 填报日期 / 联系电话")
    w("  filler:")
    if rnd.random() < 0.4:
        w.kv(4, "unit", budget_name)
        w.kv(4, "person", rnd.choice(["张伟", "李娜", "王芳", "刘洋", "陈静", "杨帆"]))
        w("    date: %s" % quoted("%d-03-%02d" % (year + 1, rnd.randint(1, 31))))
        w("    phone: %s" % quoted("0739-%07d" % rnd.randint(0, 9999999)))
    else:
        for k in ("unit", "person", "date", "phone"):
            w.kv(4, k, None)
    w()
    w("# 附件1-2 部门整体支出绩效自评表")
    w("self_eval:")
    w("  # 年度预算申请（万元）— 年度资金总额")
    w("  funds:")
    w.kv(4, "initial", amt(funds_initial))
    w.kv(4, "full_year", amt(full_year))
    w.kv(4, "spending", amt(se_spending))
    w.kv(4, "weight", 10)
    w("    stated_rate: " + quoted(funds_rate_text))
    w.kv(4, "stated_score", Raw(pc.fmt_plain(funds_score)))
    w("  # 按收入性质分")
    w("  income:")
    w.kv(4, "general", amt(inc_general))
    w.kv(4, "gov_fund", None)
    w.kv(4, "special_account", None)
    w.kv(4, "other", amt(inc_other) if inc_other else None)
    w("  # 按支出性质分")
    w("  spending:")
    w.kv(4, "basic", amt(se_basic))
    w.kv(4, "project", amt(se_project))
    w("  # 年度总体目标")
    w("  goal:")
    w.block(4, "expected", loc(mat["expected"]))
    w.block(4, "achieved", "年度总体目标基本达成")
    w("  # 绩效指标")
    w("  indicators:")
    last = None
    for r in rows:
        if r["level1"] != last:
            w("    # %s指标（%d分）" % (r["level1"], dict(CATEGORIES)[r["level1"]]))
            last = r["level1"]
        w("    - level1: " + r["level1"])
        w.kv(6, "level2", r["level2"])
        w.kv(6, "name", r["name"])
        if r["nature"]:
            w("      nature: " + quoted(r["nature"]))
        w("      target: " + quoted(r["target"]))
        w("      actual: " + quoted(r["actual"]))
        w.kv(6, "weight", r["weight"])
        w.kv(6, "stated_score", r["stated_score"])
        if r["level"]:
            w.kv(6, "level", r["level"])
        w.kv(6, "deviation", r["deviation"])
    w("  # 总分 row")
    w.kv(2, "total_weight", 100)
    w.kv(2, "stated_total", se_stated_total)

    # ---- narrative: fill 评价指标分析 up to the target size ----
    body = w.text()
    target = int(mat["size"] * rnd.uniform(0.88, 1.12))
    titles = [loc(t) for t in mat["titles"]] + rnd.sample(TITLES_EXTRA, 3)
    rnd.shuffle(titles)
    pool = [loc(s) for s in mat["pool"]]
    order = list(range(len(pool)))
    rnd.shuffle(order)
    k = 0
    analysis = []
    size = len(body.encode("utf-8"))
    ti = 0
    while size < target and ti < len(titles):
        title_line = "    - title: " + scalar(titles[ti])
        analysis.append(title_line)
        analysis.append("      text:")
        size += len(title_line.encode("utf-8")) + 13
        for _ in range(rnd.randint(1, 2)):
            para = ""
            want = rnd.randint(600, 1500)
            while len(para.encode("utf-8")) < want and size + len(para.encode("utf-8")) < target:
                para += pool[order[k % len(order)]]
                k += 1
                if k % len(order) == 0:
                    rnd.shuffle(order)
            if not para:
                break
            line = "        - " + scalar(para)
            analysis.append(line)
            size += len(line.encode("utf-8")) + 1
        ti += 1
    w.lines[analysis_at:analysis_at] = analysis
    return w.text()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("-n", type=int, default=3000, help="number of files (default 3000)")
    ap.add_argument("-o", "--out", default=os.path.join(HERE, "data"), help="output directory")
    ap.add_argument("--seed", type=int, default=2023)
    ap.add_argument("--from-file", default=SEED_FILE, help="the seed data file")
    ap.add_argument("--validate", metavar="JIXIAO", help="check a sample with this jixiao binary")
    ap.add_argument("--every", type=int, default=50, help="validate every N-th file (default 50)")
    a = ap.parse_args()
    mat = seed_material(a.from_file)
    os.makedirs(a.out, exist_ok=True)
    paths = []
    total = 0
    for i in range(1, a.n + 1):
        p = os.path.join(a.out, "unit-%05d.yaml" % i)
        text = make_unit(i, a.seed, mat)
        data = text.encode("utf-8")
        total += len(data)
        with open(p, "wb") as f:
            f.write(data)
        paths.append(p)
    print("gen.py: %d files in %s, %.1f KB each on average (seed %.1f KB)"
          % (a.n, a.out, total / a.n / 1024, mat["size"] / 1024))
    if a.validate:
        sample = paths[::max(1, a.every)]
        bad = 0
        for p in sample:
            r = subprocess.run([a.validate, "check", "--format", "json", p], capture_output=True,
                               cwd=ROOT)
            if r.returncode not in (0, 1):
                bad += 1
                sys.stderr.write("gen.py: %s does not load (exit %d):\n%s%s\n"
                                 % (p, r.returncode, r.stdout.decode()[:2000], r.stderr.decode()[:2000]))
        print("gen.py: validated %d files with %s: %d did not load" % (len(sample), a.validate, bad))
        if bad:
            sys.exit(1)


if __name__ == "__main__":
    main()
