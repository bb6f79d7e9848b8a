#!/usr/bin/env python3
"""The Python baseline for the report part of `make bench`.

    python3 bench/py_report.py -o DIR [--list FILE] [FILE...]

For every data file: parses it with PyYAML (yaml.CSafeLoader when
available), then writes DIR/<stem>.docx with python-docx and
DIR/<stem>.xlsx with openpyxl, the same job as
`jixiao report --force --format docx,xlsx -o DIR FILE...`:

  .docx  the title, the nine numbered sections with their sub-headings and
         the narrative paragraphs from the data (plus the computed sentences
         jixiao adds: basic/project execution rate, the score sentence), and
         the two attachment tables 附件1-1 (23 rows, 7-column grid) and
         附件1-2 (9-column grid, one row per indicator), with the same
         horizontal and vertical merges as jixiao's; at least as many
         paragraphs and table cells as jixiao's DOCX;
  .xlsx  two sheets, 附件1-1 and 附件1-2, with the attachment grids, merged
         header cells, number formats 0 / 0.00 / 0.00%, the control-rate and
         execution-rate formulas, the funds-score formula and a SUM formula
         for the total, column widths, borders and print titles.

It does NOT write jixiao's third sheet (核查结果, the findings), which needs
the checks; so it does slightly less than jixiao.  Debian's python3-docx and
python3-openpyxl (scripts/install-deps.sh).
"""
import argparse
import os
import sys

import yaml
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

try:
    Loader = yaml.CSafeLoader
except AttributeError:  # PyYAML without libyaml
    Loader = yaml.SafeLoader

CN_NUM = "一二三四五六七八九十"


def s(v):
    """A cell's text, as jixiao prints it (blank for null)."""
    if v is None:
        return ""
    if isinstance(v, float):
        return "%.2f" % v
    return str(v)


def money(v):
    if v is None:
        return ""
    if isinstance(v, (int, float)):
        return "%.2f" % v
    return str(v)


def num(v):
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def rate(a, b):
    if not num(a) or not num(b):
        return None
    return a / b


# ---------------------------------------------------------------- DOCX ----

def add_texts(doc, text):
    if text is None:
        return
    if isinstance(text, list):
        for t in text:
            add_texts(doc, t)
        return
    for line in str(text).split("\n"):
        if line.strip():
            doc.add_paragraph(line)


def heading(doc, text, level):
    p = doc.add_paragraph()
    r = p.add_run(text)
    r.bold = True
    r.font.size = Pt(16 if level == 1 else 14)
    return p


def cell_text(cell, text, bold=False):
    p = cell.paragraphs[0]
    r = p.add_run(text)
    if bold:
        r.bold = True


def docx_report(d, path):
    doc = Document()
    st = doc.styles["Normal"]
    st.font.name = "仿宋_GB2312"
    st.font.size = Pt(14)
    unit = (d.get("unit") or {}).get("name", "")
    year = d.get("year", "")
    t = doc.add_paragraph()
    t.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = t.add_run("%s%s年部门整体支出绩效自评报告" % (unit, year))
    r.bold = True
    r.font.size = Pt(22)

    info = d.get("info") or {}
    heading(doc, "一、部门（单位）基本情况", 1)
    heading(doc, "（一）机构设置情况", 2)
    add_texts(doc, (info.get("org") or {}).get("text"))
    heading(doc, "（二）人员编制情况", 2)
    add_texts(doc, (info.get("staff") or {}).get("text"))
    heading(doc, "（三）主要职能职责", 2)
    for i, x in enumerate(info.get("duties") or [], 1):
        doc.add_paragraph("%d．%s" % (i, x))
    heading(doc, "（四）绩效目标设定情况", 2)
    add_texts(doc, info.get("goals"))

    b = d.get("budget") or {}
    g, ba, pr, sg = (b.get(k) or {} for k in ("general", "basic", "project", "sangong"))
    heading(doc, "二、部门整体支出管理及使用情况", 1)
    heading(doc, "（一）预算执行、使用、管理总体情况", 2)
    doc.add_paragraph("%s年度一般公共预算财政拨款年初结转和结余%s万元，本年收入%s万元，本年支出%s万元，年末结转和结余%s万元。" % (
        year, s(g.get("opening")), s(g.get("income")), s(g.get("spending")), s(g.get("closing"))))
    add_texts(doc, g.get("text"))
    heading(doc, "（二）部门预算执行情况", 2)
    heading(doc, "1．基本支出情况", 2)
    br = rate(ba.get("spending"), ba.get("full_year"))
    doc.add_paragraph("%s年一般公共预算财政拨款基本支出年初结转和结余%s万元，本年年初预算数%s万元，全年预算数%s万元，本年支出%s万元，预算执行率%s，年末结转和结余%s万元。" % (
        year, s(ba.get("opening")), s(ba.get("initial")), s(ba.get("full_year")), s(ba.get("spending")),
        "—" if br is None else "%.2f%%" % (br * 100), s(ba.get("closing"))))
    heading(doc, "2．项目支出情况", 2)
    bp = (d.get("basic_data") or {}).get("project") or {}
    prr = rate(pr.get("spending"), bp.get("budget"))
    doc.add_paragraph("%s年度项目支出%s万元，本年预算%s万元，执行率%s。" % (
        year, s(pr.get("spending")), money(bp.get("budget")), "—" if prr is None else "%.2f%%" % (prr * 100)))
    add_texts(doc, pr.get("text"))
    add_texts(doc, pr.get("reason"))
    heading(doc, "3．“三公”经费使用情况和管理情况", 2)
    doc.add_paragraph("%s年“三公”经费年初预算数%s万元（公务接待费%s万元、公务用车购置及运行费用%s万元、出国（境）经费%s万元）。%s年“三公”经费实际支出%s万元。" % (
        year, s(sg.get("budget")), s(sg.get("reception_budget")), s(sg.get("vehicle_budget")),
        s(sg.get("abroad_budget")), year, s(sg.get("actual"))))
    add_texts(doc, sg.get("text"))

    ob = d.get("other_budgets") or {}
    heading(doc, "三、政府性基金预算支出情况", 1)
    add_texts(doc, ob.get("gov_fund"))
    heading(doc, "四、国有资本经营预算支出情况", 1)
    add_texts(doc, ob.get("state_capital"))
    heading(doc, "五、社会保险基金预算支出情况", 1)
    add_texts(doc, ob.get("social_insurance"))

    pf = d.get("performance") or {}
    heading(doc, "六、部门整体支出绩效情况", 1)
    heading(doc, "（一）综合评价结论", 2)
    add_texts(doc, pf.get("conclusion"))
    doc.add_paragraph("经自评，本部门%s年度整体支出绩效自评得分为%s分，评价等次为“%s”。" % (
        year, s(pf.get("stated_score")), s(pf.get("stated_grade"))))
    heading(doc, "（二）评价指标分析", 2)
    add_texts(doc, pf.get("analysis_intro"))
    for i, a in enumerate(pf.get("analysis") or [], 1):
        heading(doc, "%d．%s" % (i, a.get("title", "")), 2)
        add_texts(doc, a.get("text"))
    heading(doc, "七、存在的问题及原因分析", 1)
    for i, x in enumerate(d.get("problems") or [], 1):
        doc.add_paragraph("%d．%s" % (i, x))
    heading(doc, "八、下一步改进措施", 1)
    for x in d.get("measures") or []:
        doc.add_paragraph(str(x))
    heading(doc, "九、其他需要说明的情况", 1)
    add_texts(doc, d.get("other_notes"))

    docx_table1(doc, d)
    docx_table2(doc, d)
    doc.save(path)


MONEY_ROWS = [
    ("sangong", "三公经费"), ("vehicle", "1、公务用车购置和维护经费"), ("vehicle_purchase", "其中：公车购置"),
    ("vehicle_running", "公车运行维护"), ("abroad", "2、出国经费"), ("reception", "3、公务接待"),
    ("project", "项目支出："), ("project_business", "1、业务工作经费"), ("project_operation", "2、运行维护经费"),
    ("project_special", "3、市级专项资金（一个专项一行）"), ("project_other", "4、其他事业类发展资金"),
    ("public", "公用经费"), ("public_office", "其中：办公费"), ("public_utilities_travel", "水费、电费、差旅费"),
    ("public_meeting_training", "会议费、培训费"), ("procurement", "政府采购金额"),
    ("basic_adjust", "部门基本支出预算调整"),
]


def money_rows(bd):
    """附件1-1's money rows; 市级专项资金 has one row per special fund."""
    out = []
    for key, label in MONEY_ROWS:
        v = bd.get(key)
        if isinstance(v, list):
            out.append((label, {}))
            for x in v:
                out.append((s((x or {}).get("name")), x or {}))
        else:
            out.append((label, v or {}))
    return out


def docx_table1(doc, d):
    bd = d.get("basic_data") or {}
    unit = (d.get("unit") or {}).get("name", "")
    year = d.get("year") or 0
    heading(doc, "附件1-1", 2)
    heading(doc, "部门整体支出绩效评价基础数据表", 1).alignment = WD_ALIGN_PARAGRAPH.CENTER
    rows = money_rows(bd)
    n = 3 + 1 + len(rows) + 2
    t = doc.add_table(rows=n, cols=7)
    t.style = "Table Grid"
    cell_text(t.cell(0, 0), "填报单位：%s" % unit)
    cell_text(t.cell(0, 1).merge(t.cell(0, 6)), "")
    st = bd.get("staff") or {}
    r = 1
    for vals in (("财政供养人员情况", "编制数", "%s年实际在职人数" % year, "控制率"),
                 ("", s(st.get("authorized")), s(st.get("actual")), s(st.get("stated_control_rate"))),
                 ("经费控制情况", "%s年决算数" % (year - 1 if isinstance(year, int) else ""), "%s年预算数" % year,
                  "%s年决算数" % year)):
        cell_text(t.cell(r, 0), vals[0], bold=(r != 2))
        for j, (a, z) in enumerate(((1, 2), (3, 4), (5, 6))):
            m = t.cell(r, a).merge(t.cell(r, z))
            cell_text(m, vals[j + 1], bold=(r != 2))
        r += 1
    for label, v in rows:
        cell_text(t.cell(r, 0), label)
        for j, (a, z) in enumerate(((1, 2), (3, 4), (5, 6))):
            m = t.cell(r, a).merge(t.cell(r, z))
            cell_text(m, money(v.get(("prev", "budget", "actual")[j])))
        r += 1
    for j, h in enumerate(("楼堂馆所控制情况（%s年完工项目）" % (year - 1 if isinstance(year, int) else ""),
                           "批复规模（㎡）", "实际规模（㎡）", "规模控制率", "预算投资（万元）", "实际投资（万元）",
                           "投资概算控制率")):
        cell_text(t.cell(r, j), h, bold=True)
    r += 1
    cell_text(t.cell(r, 0), "厉行节约保障措施", bold=True)
    m = t.cell(r, 1).merge(t.cell(r, 6))
    for i, x in enumerate(bd.get("thrift_measures") or []):
        if i == 0:
            m.paragraphs[0].add_run(str(x))
        else:
            m.add_paragraph(str(x))
    fl = bd.get("filler") or {}
    doc.add_paragraph(NOTE)
    doc.add_paragraph("填表人：%s　填报日期：%s　联系电话：%s" % (
        s(fl.get("person")) or "—", s(fl.get("date")) or "—", s(fl.get("phone")) or "—"))


NOTE = "说明：“项目支出”需要填报基本支出以外的所有项目支出情况，“公用经费”填报基本支出中的一般商品和服务支出。"

LEVEL1 = {"产出": "产出指标", "效益": "效益指标", "满意度": "满意度指标"}


def level2(v):
    v = s(v)
    return v if v.endswith("指标") else v + "指标"


def docx_table2(doc, d):
    se = d.get("self_eval") or {}
    unit = (d.get("unit") or {}).get("name", "")
    f, inc, sp, goal = (se.get(k) or {} for k in ("funds", "income", "spending", "goal"))
    ind = se.get("indicators") or []
    heading(doc, "附件1-2", 2)
    heading(doc, "部门整体支出绩效自评表", 1).alignment = WD_ALIGN_PARAGRAPH.CENTER
    n = 11 + len(ind) + 1
    t = doc.add_table(rows=n, cols=9)
    t.style = "Table Grid"
    cell_text(t.cell(0, 0).merge(t.cell(0, 1)), "预算单位名称", bold=True)
    cell_text(t.cell(0, 2).merge(t.cell(0, 8)), unit)
    # rows 1-7: 年度预算申请
    cell_text(t.cell(1, 0).merge(t.cell(7, 0)), "年度预算申请（万元）", bold=True)
    cell_text(t.cell(1, 1).merge(t.cell(1, 2)), "")
    for j, h in enumerate(("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")):
        cell_text(t.cell(1, 3 + j), h, bold=True)
    cell_text(t.cell(2, 1).merge(t.cell(2, 2)), "年度资金总额")
    for j, v in enumerate((money(f.get("initial")), money(f.get("full_year")), money(f.get("spending")),
                           s(f.get("weight")), s(f.get("stated_rate")), money(f.get("stated_score")))):
        cell_text(t.cell(2, 3 + j), v)
    left = ("按收入性质分：", "其中：一般公共预算：%s" % s(inc.get("general")), "政府性基金拨款：%s" % s(inc.get("gov_fund")),
            "纳入专户管理的非税收入拨款：%s" % s(inc.get("special_account")), "其他资金：%s" % s(inc.get("other")))
    right = ("按支出性质分：", "其中：基本支出：%s" % s(sp.get("basic")), "项目支出：%s" % s(sp.get("project")), "", "")
    for i in range(5):
        cell_text(t.cell(3 + i, 1).merge(t.cell(3 + i, 4)), left[i])
        cell_text(t.cell(3 + i, 5).merge(t.cell(3 + i, 8)), right[i])
    # rows 8-9: 年度总体目标
    cell_text(t.cell(8, 0).merge(t.cell(9, 0)), "年度总体目标", bold=True)
    cell_text(t.cell(8, 1).merge(t.cell(8, 4)), "预期目标", bold=True)
    cell_text(t.cell(8, 5).merge(t.cell(8, 8)), "实际完成情况", bold=True)
    cell_text(t.cell(9, 1).merge(t.cell(9, 4)), s(goal.get("expected")))
    cell_text(t.cell(9, 5).merge(t.cell(9, 8)), s(goal.get("achieved")))
    # row 10: header, then one row per indicator (levels merged vertically)
    for j, h in enumerate(("绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                           "偏差原因分析及改进措施")):
        cell_text(t.cell(10, j), h, bold=True)
    r0 = 11
    for col, key in ((1, "level1"), (2, "level2")):
        i = 0
        while i < len(ind):
            j = i
            while j + 1 < len(ind) and ind[j + 1].get(key) == ind[i].get(key) and \
                    ind[j + 1].get("level1") == ind[i].get("level1"):
                j += 1
            c = t.cell(r0 + i, col)
            if j > i:
                c = c.merge(t.cell(r0 + j, col))
            v = ind[i].get(key)
            cell_text(c, LEVEL1.get(v, s(v)) if col == 1 else level2(v))
            i = j + 1
    total = 0.0
    for i, x in enumerate(ind):
        r = r0 + i
        sc = num(x.get("stated_score"))
        total += sc or 0
        for j, v in enumerate((s(x.get("name")), s(x.get("target")), s(x.get("actual")), s(x.get("weight")),
                               "" if sc is None else "%.2f" % sc, s(x.get("deviation")))):
            cell_text(t.cell(r, 3 + j), v)
    r = r0 + len(ind)
    cell_text(t.cell(r, 0).merge(t.cell(r, 5)), "总分", bold=True)
    cell_text(t.cell(r, 6), "%.2f" % (num(se.get("total_weight")) or 100))
    cell_text(t.cell(r, 7), "%.2f" % (total + (num(f.get("stated_score")) or 0)))


# ---------------------------------------------------------------- XLSX ----

THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TITLE = Font(name="宋体", size=18, bold=True)
BOLD = Font(name="宋体", size=11, bold=True)
BODY = Font(name="宋体", size=11)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)


def put(ws, ref, value, fmt=None, bold=False, left=False):
    c = ws[ref]
    c.value = value
    c.font = BOLD if bold else BODY
    c.alignment = LEFT if left else CENTER
    c.border = BORDER
    if fmt:
        c.number_format = fmt
    return c


def xnum(v):
    n = num(v)
    return n if n is not None else (None if v is None else str(v))


def xlsx_sheet1(ws, d):
    bd = d.get("basic_data") or {}
    unit = (d.get("unit") or {}).get("name", "")
    year = d.get("year") or 0
    for col, w in zip("ABCDEFG", (34.7, 18.1, 18.1, 13.7, 20.3, 20.3, 18.1)):
        ws.column_dimensions[col].width = w
    ws.merge_cells("A1:G1")
    put(ws, "A1", "部门整体支出绩效评价基础数据").font = TITLE
    ws.row_dimensions[1].height = 36
    ws.merge_cells("B2:G2")
    put(ws, "A2", "填报单位：%s" % unit, left=True)
    st = bd.get("staff") or {}
    prev = year - 1 if isinstance(year, int) else ""
    heads = (("财政供养人员情况", "编制数", "%s年实际在职人数" % year, "控制率"),)
    r = 3
    for h in heads:
        put(ws, "A%d" % r, h[0], bold=True)
        for j, (a, z) in enumerate((("B", "C"), ("D", "E"), ("F", "G"))):
            ws.merge_cells("%s%d:%s%d" % (a, r, z, r))
            put(ws, "%s%d" % (a, r), h[j + 1], bold=True)
    r = 4
    for a, z in (("B", "C"), ("D", "E"), ("F", "G")):
        ws.merge_cells("%s%d:%s%d" % (a, r, z, r))
    put(ws, "A4", None)
    put(ws, "B4", xnum(st.get("authorized")), "0")
    put(ws, "D4", xnum(st.get("actual")), "0")
    put(ws, "F4", "=D4/B4", "0.00%")
    r = 5
    for a, z in (("B", "C"), ("D", "E"), ("F", "G")):
        ws.merge_cells("%s%d:%s%d" % (a, r, z, r))
    put(ws, "A5", "经费控制情况", bold=True)
    put(ws, "B5", "%s年决算数" % prev, bold=True)
    put(ws, "D5", "%s年预算数" % year, bold=True)
    put(ws, "F5", "%s年决算数" % year, bold=True)
    r = 6
    for label, v in money_rows(bd):
        put(ws, "A%d" % r, label, left=True)
        for (a, z), k in zip((("B", "C"), ("D", "E"), ("F", "G")), ("prev", "budget", "actual")):
            ws.merge_cells("%s%d:%s%d" % (a, r, z, r))
            put(ws, "%s%d" % (a, r), xnum(v.get(k)), "0.00")
        ws.row_dimensions[r].height = 20
        r += 1
    for col, h in zip("ABCDEFG", ("楼堂馆所控制情况（%s年完工项目）" % prev, "批复规模（㎡）", "实际规模（㎡）", "规模控制率",
                                  "预算投资（万元）", "实际投资（万元）", "投资概算控制率")):
        put(ws, "%s%d" % (col, r), h, bold=True)
    r += 1
    put(ws, "A%d" % r, "厉行节约保障措施", bold=True)
    ws.merge_cells("B%d:G%d" % (r, r))
    put(ws, "B%d" % r, "\n".join(str(x) for x in bd.get("thrift_measures") or []), left=True)
    r += 1
    ws.merge_cells("A%d:G%d" % (r, r))
    put(ws, "A%d" % r, NOTE, left=True)
    r += 1
    fl = bd.get("filler") or {}
    ws.merge_cells("A%d:G%d" % (r, r))
    put(ws, "A%d" % r, "填表人：%s　填报日期：%s　联系电话：%s" % (
        s(fl.get("person")) or "—", s(fl.get("date")) or "—", s(fl.get("phone")) or "—"), left=True)
    ws.print_title_rows = "1:2"
    ws.page_setup.fitToWidth = 1


def xlsx_sheet2(ws, d):
    se = d.get("self_eval") or {}
    unit = (d.get("unit") or {}).get("name", "")
    f, inc, sp, goal = (se.get(k) or {} for k in ("funds", "income", "spending", "goal"))
    ind = se.get("indicators") or []
    for col, w in zip("ABCDEFGHI", (24.7, 15.9, 22.6, 24.7, 13.7, 13.7, 10.7, 10.7, 24.7)):
        ws.column_dimensions[col].width = w
    ws.merge_cells("A1:I1")
    put(ws, "A1", "部门整体支出绩效自评表").font = TITLE
    ws.row_dimensions[1].height = 36
    put(ws, "A2", "预算单位名称", bold=True)
    ws.merge_cells("B2:H2")
    put(ws, "B2", unit)
    ws.merge_cells("A3:A9")
    put(ws, "A3", "年度预算申请（万元）", bold=True)
    for col, h in zip("CDEFGH", ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")):
        put(ws, "%s3" % col, h, bold=True)
    ws.merge_cells("H3:I3")
    ws.merge_cells("H4:I4")
    put(ws, "B4", "年度资金总额")
    put(ws, "C4", xnum(f.get("initial")), "0.00")
    put(ws, "D4", xnum(f.get("full_year")), "0.00")
    put(ws, "E4", xnum(f.get("spending")), "0.00")
    put(ws, "F4", xnum(f.get("weight")), "0.00")
    put(ws, "G4", "=E4/D4", "0.00%")
    put(ws, "H4", "=ROUND(F4*IF(G4>1,1,G4),2)", "0.00")
    left = ("按收入性质分：", "其中：一般公共预算：%s" % s(inc.get("general")), "政府性基金拨款：%s" % s(inc.get("gov_fund")),
            "纳入专户管理的非税收入拨款：%s" % s(inc.get("special_account")), "其他资金：%s" % s(inc.get("other")))
    right = ("按支出性质分：", "其中：基本支出：%s" % s(sp.get("basic")), "项目支出：%s" % s(sp.get("project")), "", "")
    for i in range(5):
        r = 5 + i
        ws.merge_cells("B%d:D%d" % (r, r))
        ws.merge_cells("E%d:I%d" % (r, r))
        put(ws, "B%d" % r, left[i], left=True)
        put(ws, "E%d" % r, right[i], left=True)
    ws.merge_cells("A10:A11")
    put(ws, "A10", "年度总体目标", bold=True)
    ws.merge_cells("B10:E10")
    ws.merge_cells("F10:I10")
    ws.merge_cells("B11:E11")
    ws.merge_cells("F11:I11")
    put(ws, "B10", "预期目标", bold=True)
    put(ws, "F10", "实际完成情况", bold=True)
    put(ws, "B11", s(goal.get("expected")), left=True)
    put(ws, "F11", s(goal.get("achieved")), left=True)
    for col, h in zip("ABCDEFGHI", ("绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                                    "偏差原因分析及改进措施")):
        put(ws, "%s12" % col, h, bold=True)
    r0 = 13
    for col, key in (("B", "level1"), ("C", "level2")):
        i = 0
        while i < len(ind):
            j = i
            while j + 1 < len(ind) and ind[j + 1].get(key) == ind[i].get(key) and \
                    ind[j + 1].get("level1") == ind[i].get("level1"):
                j += 1
            if j > i:
                ws.merge_cells("%s%d:%s%d" % (col, r0 + i, col, r0 + j))
            v = ind[i].get(key)
            put(ws, "%s%d" % (col, r0 + i), LEVEL1.get(v, s(v)) if col == "B" else level2(v))
            i = j + 1
    for i, x in enumerate(ind):
        r = r0 + i
        put(ws, "A%d" % r, None)
        put(ws, "D%d" % r, s(x.get("name")), left=True)
        put(ws, "E%d" % r, s(x.get("target")))
        put(ws, "F%d" % r, s(x.get("actual")))
        put(ws, "G%d" % r, xnum(x.get("weight")), "0.00")
        put(ws, "H%d" % r, xnum(x.get("stated_score")), "0.00")
        put(ws, "I%d" % r, s(x.get("deviation")), left=True)
        ws.row_dimensions[r].height = 20
    r = r0 + len(ind)
    ws.merge_cells("A%d:F%d" % (r, r))
    put(ws, "A%d" % r, "总分", bold=True)
    put(ws, "G%d" % r, xnum(se.get("total_weight")), "0.00")
    last = r - 1
    put(ws, "H%d" % r, "=SUM(H4,SUM(H%d:H%d))" % (r0, last) if ind else "=H4", "0.00")
    ws.print_title_rows = "1:2"
    ws.page_setup.fitToWidth = 1


def xlsx_report(d, path):
    wb = Workbook()
    ws1 = wb.active
    ws1.title = "附件1-1"
    xlsx_sheet1(ws1, d)
    xlsx_sheet2(wb.create_sheet("附件1-2"), d)
    wb.save(path)


def main():
    ap = argparse.ArgumentParser(description="jixiao's DOCX + XLSX reports in Python (bench baseline)")
    ap.add_argument("files", nargs="*")
    ap.add_argument("--list", help="a file naming one data file per line")
    ap.add_argument("-o", "--out", required=True, help="output directory")
    a = ap.parse_args()
    files = list(a.files)
    if a.list:
        with open(a.list, encoding="utf-8") as fh:
            files += [x.strip() for x in fh if x.strip()]
    os.makedirs(a.out, exist_ok=True)
    for p in files:
        with open(p, "rb") as fh:
            d = yaml.load(fh, Loader=Loader)
        stem = os.path.splitext(os.path.basename(p))[0]
        docx_report(d, os.path.join(a.out, stem + ".docx"))
        xlsx_report(d, os.path.join(a.out, stem + ".xlsx"))
    print("py_report: %s, %d files" % (Loader.__name__, len(files)), file=sys.stderr)


if __name__ == "__main__":
    main()
