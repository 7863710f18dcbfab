#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 rocefab authors
#
# Ring all-reduce of 64 MB on 8 ranks at MTU 4096, in virtual time.
#
# 1. Non-blocking fabric (gen/ring-nonblocking.yaml): busbw at least 0.93
#    of the host link rate (the wire-efficiency bound is 0.98), every byte
#    delivered once and verified, no retransmission.
# 2. 2:1 oversubscribed fabric with round-robin placement
#    (gen/ring-oversub.yaml): every ring edge crosses the uplinks, four
#    flows each way over two uplinks.
#    - per-packet spraying with receivers accepting reordering: busbw within
#      5% of half the non-blocking figure;
#    - the same spraying with receivers that NAK reordering: go-back-N
#      retransmissions, and far less bandwidth;
#    - ECMP: busbw is set by the most loaded link. The test finds which
#      links the flows took from the switches' per-port byte counters (each
#      ring edge carries the same bytes) and expects the non-blocking figure
#      divided by the largest number of flows on one link, within 10%.
#
#   test_gen_busbw.sh ROCEFAB SOURCE_DIR
set -euo pipefail

rocefab=$(realpath "$1")
src=$(realpath "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

. "$src/tests/integration/test_rocefab_common.sh"

run 0 run "$src/tests/integration/gen/ring-nonblocking.yaml" --out nb --quiet
check_summary nb

variant() { # NAME LB OOO CC [SIZE]
	sed "s/LB/$2/; s/OOO/$3/; s/CC/$4/; s/size: 64MB/size: ${5:-64MB}/" \
		"$src/tests/integration/gen/ring-oversub.yaml" >"$1.yaml"
	run 0 run "$1.yaml" --out "$1" --quiet
	check_summary "$1"
}
variant spray lb-spray true cc-none
# Go-back-N on every reordering is slow to simulate: a smaller all-reduce shows it.
variant spray-nak lb-spray false cc-none 8MB
variant ecmp lb-ecmp false cc-none

python3 - <<'PY' || fail "see above"
import csv, json

RATE_GBS = 100e9 / 8 / 1e9      # host links: 100G = 12.5 GB/s
N = 8
S = 64 * 1024 * 1024

def load(d, S=S):
    s = json.load(open(d + "/summary.json"))
    c = s["collectives"]
    assert len(c) == 1, c
    c = c[0]
    assert c["pattern"] == "all-reduce-ring" and c["bytes"] == S and c["ranks"] == N, c
    assert c["iters"] == 1 and c["wrong"] == 0, c
    t = s["totals"]
    assert t["jobs"] == 1 and t["jobs_done"] == 1, t
    assert t["qp_errors"] == 0 and t["drops"] == 0, t
    # Every rank delivered 2(n-1)/n * S to its successor, each byte once.
    got = sum(h["rx_data_bytes"] for h in s["hosts"])
    assert got == 2 * (N - 1) * S, (d, got)
    assert all(h["rx_bad_payload"] == 0 and h["rx_bad_icrc"] == 0 for h in s["hosts"])
    # algbw and busbw as nccl-tests defines them, from the time.
    algbw = S / (c["time_ns"] * 1e-9) / 1e9
    assert abs(algbw - c["algbw_gbps"]) < 1e-3 * algbw, (algbw, c)
    assert abs(c["busbw_gbps"] - algbw * 2 * (N - 1) / N) < 1e-3 * algbw, c
    rows = [r for r in csv.DictReader(open(d + "/collectives.csv"))]
    assert len(rows) == 1 and rows[0]["collective"] == "all_reduce", rows
    assert abs(float(rows[0]["busbw_gbps"]) - c["busbw_gbps"]) < 1e-2, rows
    # 2(n-1) steps of n transfers, one row each in flows.csv.
    xfers = [r for r in csv.DictReader(open(d + "/flows.csv")) if r["job"] == "ar"]
    assert len(xfers) == 2 * (N - 1) * N, len(xfers)
    # Each rank's k-th send starts only after its (k-1)-th receive has arrived
    # (the ring's dependency), read from the transfers' own times.
    for rank in range(N):
        sends = sorted(int(x["start_ns"]) for x in xfers if int(x["src_rank"]) == rank)
        recvs = sorted(int(x["last_ns"]) for x in xfers if int(x["dst_rank"]) == rank)
        assert len(sends) == len(recvs) == 2 * (N - 1), (rank, len(sends), len(recvs))
        for k in range(1, len(sends)):
            assert sends[k] >= recvs[k - 1], (d, rank, k, sends[k], recvs[k - 1])
    return s, c, t

s, nb, t = load("nb")
print("non-blocking: busbw %.3f GB/s = %.3f of the link" % (nb["busbw_gbps"],
      nb["busbw_gbps"] / RATE_GBS))
assert nb["busbw_gbps"] >= 0.93 * RATE_GBS, nb
assert nb["busbw_gbps"] <= 0.98 * RATE_GBS, nb   # cannot beat the wire
assert t["retransmits"] == 0, t
# fct.txt (HPCC format): one line per transfer; alone on its path each one
# takes its standalone time, to within the ACK frames sharing the links.
lines = [l.split() for l in open("nb/fct.txt")]
assert len(lines) == 2 * (N - 1) * N, len(lines)
for sip, dip, sport, dport, size, start, fct, alone in lines:
    assert len(sip) == 8 and len(dip) == 8 and sip.startswith("0a") and dport == "4791"
    assert int(size) == S // N and 49152 <= int(sport) <= 65535
    assert 1.0 <= int(fct) / int(alone) <= 1.01, (fct, alone)

s, sp, t = load("spray")
half = nb["busbw_gbps"] / 2
print("spray, reordering accepted: busbw %.3f GB/s = %.3f of half the non-blocking figure"
      % (sp["busbw_gbps"], sp["busbw_gbps"] / half))
assert abs(sp["busbw_gbps"] - half) <= 0.05 * half, (sp, half)
assert t["retransmits"] == 0, t

s, nak, t = load("spray-nak", 8 * 1024 * 1024)
print("spray, reordering NAKed: busbw %.3f GB/s, %d retransmissions"
      % (nak["busbw_gbps"], t["retransmits"]))
assert t["retransmits"] > 0, t
assert nak["busbw_gbps"] < 0.5 * sp["busbw_gbps"], (nak, sp)

s, ec, t = load("ecmp")
# Flows per link from the byte counters: every ring edge carries 2(n-1)/n * S
# of payload in frames of 4096 (+58 bytes of headers and ICRC).
edge = 2 * (N - 1) * S // N
frames = edge // 4096
edge_bytes = frames * (4096 + 58)
worst = 0
for sw in s["switches"]:
    for p in sw["ports"]:
        k = round(p["tx_bytes"] / edge_bytes)
        worst = max(worst, k)
want = nb["busbw_gbps"] / worst
print("ecmp: most loaded link carries %d flows; busbw %.3f GB/s, expected %.3f"
      % (worst, ec["busbw_gbps"], want))
assert worst >= 2, worst
assert abs(ec["busbw_gbps"] - want) <= 0.10 * want, (ec, want)
PY
echo "PASS"
