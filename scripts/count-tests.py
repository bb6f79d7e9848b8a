#!/usr/bin/env python3
"""Prints the closing "N passed, N failed" line from meson test logs.

Usage: count-tests.py LOG... STAGE_FAILURES
Exits non-zero when any test or stage failed."""
import json
import os
import sys

logs, stage_failures = sys.argv[1:-1], int(sys.argv[-1])
passed = failed = 0
for path in logs:
    if not os.path.exists(path):
        failed += 1
        continue
    with open(path, encoding="utf-8") as f:
        for line in f:
            result = json.loads(line).get("result")
            if result in ("OK", "EXPECTEDFAIL", "SKIP"):
                passed += 1
            else:
                failed += 1
failed += stage_failures
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
