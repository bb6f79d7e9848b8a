#!/usr/bin/env python3
"""Turns a data file into the fields the web form posts (path=value,
url-encoded): maps nest with '.', table rows as path[i].column, lists one
item per line.  Usage: flatten.py DATA.yaml [--drop PATH]... > body"""
import sys
import urllib.parse

import yaml


def walk(prefix, v, out):
    if isinstance(v, dict):
        for k, x in v.items():
            walk(prefix + '.' + str(k) if prefix else str(k), x, out)
    elif isinstance(v, list):
        if v and all(isinstance(x, dict) for x in v):
            for i, row in enumerate(v):
                for k, x in row.items():
                    out.append(('%s[%d].%s' % (prefix, i, k), '' if x is None else str(x)))
        else:
            out.append((prefix, '\n'.join(str(x) for x in v)))
    elif v is not None:
        out.append((prefix, str(v)))


def main():
    data = yaml.safe_load(open(sys.argv[1], encoding='utf-8'))
    drop = set(sys.argv[i + 1] for i, a in enumerate(sys.argv) if a == '--drop')
    out = []
    for k in ('scheme', 'year', 'explanations'):
        data.pop(k, None)
    walk('', data, out)
    out = [(k, v) for k, v in out if k not in drop and k != 'unit.code']
    sys.stdout.write(urllib.parse.urlencode(out))


main()
