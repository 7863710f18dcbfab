#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 rocefab authors
#
# `rocefab run` end to end: the shipped chain and incast examples run to
# completion; summary.json is valid JSON with every documented field; frames
# are conserved (sent = received + dropped + in flight, nothing in flight at
# the end of a `done` run); two runs with one seed write identical outputs
# (wall time aside), another seed changes them; the incast marks ECN and
# pauses with PFC and drops nothing; a malformed scenario exits 1 with
# FILE:LINE:COL.
#
#   test_rocefab_run.sh ROCEFAB SOURCE_DIR
set -euo pipefail

rocefab=$(realpath "$1")
src=$(realpath "$2")
ex="$src/docs/examples"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

. "$src/tests/integration/test_rocefab_common.sh"

# The chain: one flow through four switches, ECN at the 40G link.
run 0 run "$ex/chain.yaml" --out chain1 --quiet
[ -s out ] && fail "--quiet printed: $(cat out)"
check_summary chain1
python3 - <<'PY' || fail "chain: see above"
import json
s = json.load(open("chain1/summary.json"))
assert s["scenario"] == "chain" and s["seed"] == 7, s["seed"]
assert s["totals"]["drops"] == 0
assert [h["name"] for h in s["hosts"]] == ["h0", "h1"]
h = {x["name"]: x for x in s["hosts"]}
assert h["h1"]["rx_frames"] == 256 and h["h0"]["tx_frames"] == 256, h
s2 = [p for sw in s["switches"] if sw["name"] == "s2" for p in sw["ports"] if p["name"] == "s3"][0]
assert s2["rate_bps"] == 40000000000 and s2["peer"] == "s3:s2", s2
assert s2["ecn_marked"] > 0 and s2["ecn_marked"] == s["totals"]["ecn_marked"]
PY
grep -q '^h0,h1,1048576,0,' chain1/flows.csv || fail "chain flows.csv: $(cat chain1/flows.csv)"
[ -s "chain1/pcaps/s2:s3--s3:s2.pcap" ] || fail "chain: no pcap of the tapped link"
# The nanosecond pcap magic, in host order as libpcap writes it.
[ "$(head -c 4 "chain1/pcaps/s2:s3--s3:s2.pcap" | od -An -tx4 | tr -d ' ')" = a1b23c4d ] ||
	fail "chain pcap: not a nanosecond pcap"
# The flow's frames share one payload of zeros in memory; on the wire each is
# whole, its ICRC right by an independent reference.
out=$(python3 "$src/tests/vectors/roce_ref.py" verify "chain1/pcaps/s2:s3--s3:s2.pcap")
[ "$out" = "256 RoCEv2 frames, 0 bad ICRC" ] || fail "chain pcap: roce_ref says: $out"
[ -s chain1/timeseries/ports.csv ] && [ -s chain1/timeseries/queues.csv ] ||
	fail "chain: no time series"
run 0 run "$ex/chain.yaml" --out chain2 --quiet
same_run chain1 chain2
# The same chain with its nodes, links and link ends listed in reverse: same results.
python3 - "$ex/chain.yaml" >chain-rev.yaml <<'PY'
import sys
lines = open(sys.argv[1]).read().split("\n")
out, block = [], []
for l in lines + [""]:
    if l.startswith("    - "):
        block.append(l.replace("a: ", "TMP: ", 1).replace("b: ", "a: ", 1).replace("TMP: ", "b: ", 1))
        continue
    if block:
        out += block[::-1]
        block = []
    out.append(l)
print("\n".join(out[:-1]))
PY
grep -q '^    - { b: s4, a: h1' chain-rev.yaml || fail "chain-rev.yaml: $(grep -- '- {' chain-rev.yaml)"
run 0 run chain-rev.yaml --out chain3 --quiet
sed -i 's|"file": "[^"]*"|"file": "x"|' chain1/summary.json chain3/summary.json
same_run chain1 chain3

# The incast, twice with its seed, once with another.
run 0 run "$ex/incast.yaml" --out inc1
grep -q '^rocefab run: incast (seed 1, virtual time' out || fail "report: $(head -3 out)"
grep -q 'flows done 8/8' out || fail "report: $(cat out)"
check_summary inc1
python3 - <<'PY' || fail "incast: see above"
import json
s = json.load(open("inc1/summary.json"))
t = s["totals"]
assert t["drops"] == 0, t
assert t["ecn_marked"] > 0, t
assert t["pfc_frames"] > 0, t
# The receiver's leaf pauses the spines: leaf1 sends PFC on class 3 towards them.
leaf1 = [sw for sw in s["switches"] if sw["name"] == "leaf1"][0]
assert sum(p["pfc_tx"][3] for p in leaf1["ports"] if p["name"].startswith("spine")) > 0
h = {x["name"]: x for x in s["hosts"]}
assert h["h1_1"]["rx_bytes"] > 8 * 2 * 1024 * 1024, h["h1_1"]
# The generator ran it: every byte delivered once, CNPs answered the marks.
assert h["h1_1"]["rx_data_bytes"] == 8 * 2 * 1024 * 1024, h["h1_1"]
assert t["cnps"] > 0 and t["retransmits"] == 0 and t["jobs_done"] == 1, t
assert s["collectives"][0]["pattern"] == "incast", s["collectives"]
PY
[ "$(wc -l <inc1/pfc.txt)" -gt 0 ] || fail "incast: empty pfc.txt"
[ -s inc1/plots/plots.gp ] || fail "incast: no plots/plots.gp"
if command -v gnuplot >/dev/null; then
	[ -s inc1/plots/queue_depth.png ] && [ -s inc1/plots/link_utilisation.png ] ||
		fail "incast: gnuplot is installed but drew no plots"
else
	[ -s inc1/plots/NOTE.txt ] || fail "incast: no note that the plots were skipped"
fi
if command -v tshark >/dev/null; then
	n=$(tshark -r "inc1/pcaps/h1_1:eth0--leaf1:h1_1.pcap" -Y 'ip.dst == 10.0.1.1' 2>/dev/null | wc -l)
	[ "$n" -eq 4096 ] || fail "incast pcap: tshark reads $n frames to h1_1, not the 8 x 512 data frames"
fi
awk 'NF != 5 || $3 > 1 || $5 > 1 { bad = 1 } END { exit bad }' inc1/pfc.txt ||
	fail "incast pfc.txt: not 'time node type if pause' lines"
sort -n -k1,1 -s inc1/pfc.txt | cmp -s - inc1/pfc.txt || fail "incast pfc.txt: not in time order"
run 0 run "$ex/incast.yaml" --out inc2 --quiet
same_run inc1 inc2
run 0 run "$ex/incast.yaml" --out inc3 --quiet --seed 2
check_summary inc3
grep -q '"seed": 2,' inc3/summary.json || fail "--seed 2 not in summary.json"
run 0 run "$ex/incast.yaml" --out inc4 --quiet --seed 2
same_run inc3 inc4

# A duration run stops at its end, with frames possibly in flight but conserved.
sed 's/^  end: done/  end: 50us/' "$ex/incast.yaml" >short.yaml
run 0 run short.yaml --out short --quiet
check_summary short
grep -q '"sim_time_ns": 50000,' short/summary.json || fail "50 us run: $(grep sim_time short/summary.json)"

# Errors: a malformed scenario, usage.
printf 'scenario: { name: bad }\ntopology:\n  nodes:\n    - { name: h0, kind: host, colour: red }\n' >bad.yaml
run 1 run bad.yaml --out bad --quiet
grep -Eq '^bad\.yaml:4:[0-9]+: error: ' err || fail "malformed: $(cat err)"
[ -e bad/summary.json ] && fail "malformed: wrote a summary"
run 2 run
run 2 run "$ex/chain.yaml" --seed x
run 2 run "$ex/chain.yaml" --frobnicate
echo "ok"
