#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 rocefab authors
#
# DCQCN end to end (gen/dcqcn-join.yaml): one flow alone at line rate, a
# second joins the same 100G bottleneck 2 ms later.
#
# - cc-dcqcn: after convergence, over the window [5 ms, 10 ms), the two
#   flows' receive rates, measured independently from the pcap of the
#   bottleneck link (bytes of each QP's WRITE frames), are each within 10%
#   of the fair share (half of what the link carries); the lossless class
#   needs no PFC; and the notification point sent no QP more than one CNP
#   per 50 us (cnp_interval), read from the CNPs in the same pcap.
# - cc-none: the same scenario shows PFC pauses instead (PFC frames sent
#   by the switches, received and obeyed by the senders), still without a
#   drop.
#
# DCQCN's parameters here are the vendor-like set docs/plugins.md
# recommends at 100G (the paper's 40G-era timers recover too slowly at
# 100G for the window to show the fair share).
#
#   test_gen_dcqcn.sh ROCEFAB SOURCE_DIR
set -euo pipefail

rocefab=$(realpath "$1")
src=$(realpath "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

. "$src/tests/integration/test_rocefab_common.sh"

args="f=1,timer_us=50,byte_counter=2000000,rai_mbps=40,rhai_mbps=400,alpha_period_us=1,rate_decrease_period_us=4"
sed "s/CC/cc-dcqcn/; s/ARGS/$args/" "$src/tests/integration/gen/dcqcn-join.yaml" >dcqcn.yaml
sed "s/CC/cc-none/; s/ARGS//" "$src/tests/integration/gen/dcqcn-join.yaml" >none.yaml
run 0 run dcqcn.yaml --out dcqcn --quiet
check_summary dcqcn
run 0 run none.yaml --out none --quiet
check_summary none
# The same DCQCN run sampled every 250 us: timeseries/qps.csv shows each
# sender's DCQCN rate, and reading it changes nothing (lazy timers are exact).
sed 's/  sample_interval: 0/  sample_interval: 250us/' dcqcn.yaml >sampled.yaml
grep -q '250us' sampled.yaml || fail "sed did not apply"
run 0 run sampled.yaml --out sampled --quiet
cmp -s dcqcn/flows.csv sampled/flows.csv || fail "sampling changed flows.csv"
cmp -s dcqcn/fct.txt sampled/fct.txt || fail "sampling changed fct.txt"

PYTHONPATH="$src/tests/vectors" python3 - <<'PY' || fail "see above"
import glob, json, struct
from roce_ref import read_pcap

WINDOW = (5_000_000, 10_000_000)        # ns
CNP_INTERVAL = 50_000                  # ns
RATE = 100e9

def qp_bytes_and_cnps(pcap):
    data, cnps, frames = {}, {}, []
    for ts, f in read_pcap(pcap):
        if struct.unpack("!H", f[12:14])[0] != 0x0800 or f[23] != 17:
            continue
        bth = 14 + (f[14] & 15) * 4 + 8
        op = f[bth]
        qpn = struct.unpack("!I", f[bth + 4:bth + 8])[0] & 0xFFFFFF
        if op == 0x81:
            # Each sender numbers its QPs from the same base: the host tells them apart.
            cnps.setdefault((f[30:34].hex(), qpn), []).append(ts)
        elif 0x06 <= op <= 0x0A and WINDOW[0] <= ts < WINDOW[1]:
            data[qpn] = data.get(qpn, 0) + len(f)
            frames.append(len(f))
    return data, cnps, frames

s = json.load(open("dcqcn/summary.json"))
t = s["totals"]
assert t["jobs_done"] == 2 and t["drops"] == 0, t
assert t["cnps"] > 0, t
assert t["pfc_frames"] == 0, t
hosts = {h["name"]: h for h in s["hosts"]}
assert hosts["h2_1"]["rx_data_bytes"] == (96 + 64) << 20, hosts["h2_1"]

pcap = glob.glob("dcqcn/pcaps/h2_1*.pcap")
assert len(pcap) == 1, pcap
data, cnps, frames = qp_bytes_and_cnps(pcap[0])
assert len(data) == 2, data
secs = (WINDOW[1] - WINDOW[0]) / 1e9
# What the link can carry of these frames: the rest is preamble, gap and FCS.
avg = sum(frames) / len(frames)
fair = RATE * avg / (avg + 24) / 2
rates = {q: b * 8 / secs for q, b in data.items()}
for q, r in sorted(rates.items()):
    print("QP %#x: %.2f Gb/s over [5 ms, 10 ms), fair share %.2f Gb/s (%+.1f%%)"
          % (q, r / 1e9, fair / 1e9, (r / fair - 1) * 100))
    assert abs(r - fair) <= 0.10 * fair, (q, r, fair)

# The notification point: at most one CNP per QP per interval.
assert sum(len(v) for v in cnps.values()) == t["cnps"], (len(cnps), t)
for q, ts in cnps.items():
    gaps = [b - a for a, b in zip(ts, ts[1:])]
    print("%s QP %#x: %d CNPs, smallest gap %s ns" % (q[0], q[1], len(ts),
          min(gaps) if gaps else "-"))
    assert all(g >= CNP_INTERVAL for g in gaps), (q, min(gaps))
assert sum(hosts[h]["cnp_rx"] for h in ("h1_1", "h1_2")) == t["cnps"]

# The sampled rates: line rate while alone, cut after the join, never above
# the line rate, and the two senders' rates near each other once converged.
import csv
rows = list(csv.DictReader(open("sampled/timeseries/qps.csv")))
assert rows and set(r["src"] for r in rows) == {"h1_1", "h1_2"}, rows[:2]
first = {int(r["time_ns"]): float(r["rate_gbps"]) for r in rows if r["src"] == "h1_1"}
second = {int(r["time_ns"]): float(r["rate_gbps"]) for r in rows if r["src"] == "h1_2"}
assert first[1_000_000] == 100.0, first[1_000_000]
assert min(v for t, v in first.items() if 2_000_000 < t <= 3_000_000) < 60, first
assert all(0 < v <= 100.0 for v in list(first.values()) + list(second.values()))
for t in range(5_000_000, 10_000_001, 250_000):
    assert abs(first[t] - second[t]) <= 0.2 * 50, (t, first[t], second[t])
assert json.load(open("sampled/summary.json"))["collectives"] == s["collectives"]

# Without DCQCN the lossless class is held by PFC instead.
n = json.load(open("none/summary.json"))
nt = n["totals"]
print("cc-none: %d PFC frames, %d CNPs" % (nt["pfc_frames"], nt["cnps"]))
assert nt["jobs_done"] == 2 and nt["drops"] == 0, nt
assert nt["cnps"] == 0 and nt["pfc_frames"] > 0, nt
paused = sum(h["pfc_rx"] for h in n["hosts"] if h["name"] in ("h1_1", "h1_2"))
assert paused > 0, n["hosts"]
PY
echo "PASS"
