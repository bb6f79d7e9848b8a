#!/usr/bin/python3
"""Python baseline for `jixiao audit` throughput (bench/audit.sh).

    python3 bench/py_audit.py FILE...

Debian's python3 only (standard library).  For each file it does a
comparable MINIMAL job, much less than jixiao audit does:

  1. read the bytes: a .docx through zipfile, its word/document.xml cut
     into paragraphs and table cells with regular expressions (no XML
     parser, no numbering.xml); else text decoded as UTF-16 (BOM), UTF-8
     or GB18030;
  2. normalise full-width digits, letters and ． ％ and white space
     (str.translate);
  3. find headings with regular expressions (一、 （一） 1. （1）) and check
     their numbering: each style is a level, a number must follow the last
     one of its level, a higher level resets the lower ones (skips and
     repeats reported; no mixed-style detection, no 一是 … enumerators);
  4. extract numbers with their labels (a label of 2-20 CJK characters
     before the number, a unit 万元 元 % 分 人 个 after it) with one regular
     expression, and report a label stated twice with different values.

What it does not do, against jixiao: no table layouts (tab rows, the
one-cell-per-line layout, `|` cells, space columns), no topic carried
through a sentence, no mapping onto the scheme's fields, no rule pack, no
X02/X04, no snippets, no line numbers of table cells, no JSON of check's
shape.  It prints one summary line per file to stdout.
"""
import re
import sys
import zipfile

FW = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}  # ０-９
FW.update({c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
FW.update({c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)})  # ａ-ｚ
FW.update({0xFF0E: ord("."), 0xFF05: ord("%"), 0x3000: ord(" "), 0xA0: ord(" "), 0x09: ord(" ")})

CN = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def cn_num(s):
    if s in CN:
        return CN[s]
    if s.startswith("十"):
        return 10 + CN.get(s[1:], 0)
    if "十" in s:
        a, _, b = s.partition("十")
        return CN.get(a, 0) * 10 + CN.get(b, 0)
    return None


HEADINGS = [
    ("cn", re.compile(r"^([一二三四五六七八九十]{1,3})、")),
    ("cnp", re.compile(r"^[（(]([一二三四五六七八九十]{1,3})[）)]")),
    ("ar", re.compile(r"^(\d{1,2})[、.．](?!\d)")),
    ("arp", re.compile(r"^[（(](\d{1,2})[）)]")),
]
NUMBER = re.compile(
    r"([\u4e00-\u9fff“”]{2,20}?)[为：:是]?\s*(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(万元|元|%|分|人|个)"
)
DOCX_BLOCK = re.compile(r"<w:p[ >].*?</w:p>|<w:tc[ >]", re.S)
DOCX_TEXT = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>|<w:tab/>")


def read_text(path):
    if path.endswith(".docx"):
        with zipfile.ZipFile(path) as z:
            xml = z.read("word/document.xml").decode("utf-8")
        lines = []
        for m in DOCX_BLOCK.finditer(xml):
            p = m.group(0)
            lines.append("".join(t.group(1) if t.group(1) is not None else "\t"
                                 for t in DOCX_TEXT.finditer(p)))
        return "\n".join(lines)
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gb18030", errors="replace")


def audit(path):
    text = read_text(path).translate(FW)
    levels = []  # [style, last]
    body = True
    skips = 0
    figures = {}
    restated = 0
    nfig = 0
    for line in text.splitlines():
        line = " ".join(line.split())
        if not line:
            continue
        if line.startswith("附件"):
            body = False  # the attachments: row labels, not headings
        for style, rx in (HEADINGS if body else ()):
            m = rx.match(line)
            if not m:
                continue
            g = m.group(1)
            n = int(g) if g.isdigit() else cn_num(g)
            if n is None:
                break
            for i, (st, last) in enumerate(levels):
                if st == style:
                    if n != last + 1:
                        skips += 1
                    levels[i:] = [[style, n]]
                    break
            else:
                if n != 1:
                    skips += 1
                levels.append([style, n])
            break
        for m in NUMBER.finditer(line):
            label, value, unit = m.group(1), m.group(2).replace(",", ""), m.group(3)
            nfig += 1
            key = (label, unit)
            old = figures.get(key)
            if old is None:
                figures[key] = value
            elif float(old) != float(value):
                restated += 1
    return skips, nfig, restated


def main(argv):
    if not argv:
        sys.stderr.write("usage: py_audit.py FILE...\n")
        return 2
    out = []
    for path in argv:
        skips, nfig, restated = audit(path)
        out.append("%s: numbering %d, figures %d, restated %d\n" % (path, skips, nfig, restated))
    sys.stdout.write("".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
