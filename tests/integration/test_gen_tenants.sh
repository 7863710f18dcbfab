#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 rocefab authors
#
# Two tenants on one fabric: docs/examples/allreduce.yaml (a 16-rank ring
# all-reduce swept over 1, 4 and 16 MB with a warm-up and two iterations,
# placed round robin across the leaves, and an 8-rank all-to-all of 8 MB
# starting while it runs, on a 2:1 fabric with DCQCN).
#
# Both jobs finish; the bytes delivered are exactly what the two patterns
# define, summed over their rounds; every size has its nccl-tests row (in
# summary.json, collectives.csv and the table on stdout); the all-to-all's
# QPs and the all-reduce's appear in timeseries/qps.csv; nothing is dropped
# and DCQCN answered the ECN marks.
#
#   test_gen_tenants.sh ROCEFAB SOURCE_DIR
set -euo pipefail

rocefab=$(realpath "$1")
src=$(realpath "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

. "$src/tests/integration/test_rocefab_common.sh"

run 0 run "$src/docs/examples/allreduce.yaml" --out ar
check_summary ar
[ "$(grep -c '^# Avg bus bandwidth' out)" -eq 2 ] || fail "stdout: not two nccl-tests tables: $(cat out)"
grep -q '^# job allreduce: all_reduce (all-reduce-ring), 16 ranks, 1 warm-up + 2 iterations, cc-dcqcn' out ||
	fail "stdout: no all-reduce table header"

python3 - <<'PY' || fail "see above"
import csv, json
MB = 1 << 20
s = json.load(open("ar/summary.json"))
t = s["totals"]
assert t["jobs"] == 2 and t["jobs_done"] == 2, t
assert t["drops"] == 0 and t["qp_errors"] == 0 and t["retransmits"] == 0, t
assert t["ecn_marked"] > 0 and t["cnps"] > 0, t
# Ring all-reduce: 2(n-1) * S per iteration over all ranks; 3 iterations per size.
n = 16
allreduce = sum(2 * (n - 1) * size * 3 for size in (1 * MB, 4 * MB, 16 * MB))
# All-to-all: each of 8 ranks sends S/8 to each of the 7 others.
alltoall = 8 * 7 * (8 * MB // 8)
got = sum(h["rx_data_bytes"] for h in s["hosts"])
assert got == allreduce + alltoall, (got, allreduce + alltoall)
assert all(h["rx_bad_payload"] == 0 and h["rx_bad_icrc"] == 0 for h in s["hosts"])
rows = [(c["job"], c["bytes"], c["iters"], c["wrong"]) for c in s["collectives"]]
assert rows == [("allreduce", 1 * MB, 2, 0), ("allreduce", 4 * MB, 2, 0),
                ("allreduce", 16 * MB, 2, 0), ("alltoall", 8 * MB, 1, 0)], rows
csvrows = list(csv.DictReader(open("ar/collectives.csv")))
assert [(r["job"], int(r["size"])) for r in csvrows] == [(j, b) for j, b, _, _ in rows]
for c, r in zip(s["collectives"], csvrows):
    assert abs(float(r["busbw_gbps"]) - c["busbw_gbps"]) < 1e-2, (r, c)
    assert c["busbw_gbps"] > 0
# The all-to-all started at 200 us: none of its transfers was posted before.
xfers = [r for r in csv.DictReader(open("ar/flows.csv")) if r["job"] == "alltoall"]
assert len(xfers) == 8 * 7 and min(int(r["start_ns"]) for r in xfers) >= 200_000, xfers[:2]
q = list(csv.DictReader(open("ar/timeseries/qps.csv")))
assert {r["job"] for r in q} == {"allreduce", "alltoall"}, {r["job"] for r in q}
PY
echo "PASS"
