#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 rocefab authors
"""Sum up meson test logs: one closing line 'N passed, N failed, N skipped'.

usage: test-summary.py BUILD_DIR...
"""
import json
import sys


def main(dirs):
    passed = failed = skipped = 0
    for d in dirs:
        try:
            with open(f"{d}/meson-logs/testlog.json") as f:
                for line in f:
                    r = json.loads(line).get("result")
                    if r in ("OK", "EXPECTEDFAIL"):
                        passed += 1
                    elif r == "SKIP":
                        skipped += 1
                    else:
                        failed += 1
        except FileNotFoundError:
            print(f"test-summary: no test log in {d}", file=sys.stderr)
            failed += 1
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
