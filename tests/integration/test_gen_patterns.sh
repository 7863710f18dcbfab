#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 rocefab authors
#
# Every collective in the fabric (gen/patterns.yaml, one after the other):
# each job finishes, the bytes its transfers carried are the pattern's total
# by its closed form (ring, tree and halving-doubling all-reduce 2(n-1)S;
# all-gather, reduce-scatter, all-to-all and broadcast (n-1)S; permutation
# nS; incast (n-1)S per iteration), every transfer's bytes arrived (the hosts'
# delivered payload is their sum), nothing was resent.
#
#   test_gen_patterns.sh ROCEFAB SOURCE_DIR
set -euo pipefail

rocefab=$(realpath "$1")
src=$(realpath "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

. "$src/tests/integration/test_rocefab_common.sh"

run 0 run "$src/tests/integration/gen/patterns.yaml" --out pat --quiet
check_summary pat

python3 - <<'PY' || fail "see above"
import csv, json
MB = 1 << 20
s = json.load(open("pat/summary.json"))
t = s["totals"]
assert t["jobs"] == 9 and t["jobs_done"] == 9, t
assert t["drops"] == 0 and t["retransmits"] == 0 and t["qp_errors"] == 0, t
want = {  # job: (ranks, S, rounds, total bytes of one round)
    "ring": (8, 3 * MB, 1, lambda n, S: 2 * (n - 1) * S),
    "tree": (8, 3 * MB, 1, lambda n, S: 2 * (n - 1) * S),
    "hd": (8, 3 * MB, 1, lambda n, S: 2 * (n - 1) * S),
    "ag": (6, 3 * MB, 1, lambda n, S: (n - 1) * S),
    "rs": (5, 3 * MB, 1, lambda n, S: (n - 1) * S),
    "bcast": (8, 3 * MB, 1, lambda n, S: (n - 1) * S),
    "a2a": (8, 3 * MB, 1, lambda n, S: (n - 1) * S),
    "perm": (8, 1 * MB, 1, lambda n, S: n * S),
    "incast": (7, 1 * MB, 3, lambda n, S: (n - 1) * S),
}
rows = [r for r in csv.DictReader(open("pat/flows.csv")) if r["job"]]
total = 0
for job, (n, S, rounds, f) in want.items():
    mine = [r for r in rows if r["job"] == job]
    got = sum(int(r["bytes"]) for r in mine)
    # Pieces of S/n that do not divide are cut one byte apart; totals stay exact.
    exp = rounds * f(n, S)
    assert got == exp, (job, got, exp)
    assert all(r["status"] == "0" and int(r["retx_pkts"]) == 0 for r in mine), job
    assert {int(r["src_rank"]) for r in mine} | {int(r["dst_rank"]) for r in mine} <= set(range(n)), job
    total += got
assert sum(h["rx_data_bytes"] for h in s["hosts"]) == total, total
c = {x["job"]: x for x in s["collectives"]}
assert set(c) == set(want) and all(x["iters"] >= 1 and x["busbw_gbps"] > 0 and x["wrong"] == 0
                                   for x in c.values()), c
PY
echo "PASS"
