#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 rocefab authors
#
# Load balancing on a non-blocking fabric: 2 spines, 4 leaves, 4 hosts per
# leaf at 100G, two 200G uplinks per leaf (400G down, 400G up). One
# permutation of 1 MB per host (256 frames of 4096 bytes), run twice: with
# per-packet spraying (lb-spray) and with per-flow hashing (lb-ecmp).
#
# Spraying (lb-spray's default round robin): nothing dropped or paused;
# every leaf's two uplinks carry the same number of frames to within one, and
# no queue anywhere, uplink, spine downlink or host port, holds more than 4
# frames, even where a leaf's 4 hosts all send off the leaf (400G offered to
# 2 x 200G). (With `mode=random` each packet's uplink is drawn from a PRNG and
# at full load the two shares drift apart like a random walk: tens of frames.)
#
# ECMP: this permutation hashes three of leaf1's four flows onto one uplink
# (300G into 200G: a queue of 1 MB) and none of leaf4's onto spine2. ECMP
# guarantees no drop in the lossless class, not an absence of queues; with
# the default 20 MB buffer (dynamic_th 0) each ingress group's third of that
# 1 MB stays far below XOFF, so nothing pauses either; longer flows on the
# same collision would pause (and still drop nothing).
#
#   test_rocefab_permutation.sh ROCEFAB SOURCE_DIR
set -euo pipefail

rocefab=$(realpath "$1")
src=$(realpath "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

. "$src/tests/integration/test_rocefab_common.sh"

for lb in lb-spray lb-ecmp; do
	cat >"$lb.yaml" <<EOF
scenario:
  name: permutation-$lb
  seed: 42
topology:
  leaf_spine:
    spines: 2
    leaves: 4
    hosts_per_leaf: 4
    host_rate: 100G
    uplink_rate: 200G
    delay: 1us
    cable_m: 200
profiles:
  leaf:
    lb: { plugin: $lb }
  spine:
    lb: { plugin: $lb }
tiers: { leaf: leaf, spine: spine }
addressing: { family: ipv4, base: 10.0.0.0/8 }
traffic:
  mtu: 4096
  permutation:
    bytes: 1MB
    seed: 3
run:
  end: done
  sample_interval: 0
EOF
	run 0 run "$lb.yaml" --out "$lb" --quiet
	check_summary "$lb"
done

python3 - <<'PY' || fail "permutation: see above"
import csv, json

FRAME = 4096 + 128          # the RoCE MTU and more than its headers
spray = json.load(open("lb-spray/summary.json"))
ecmp = json.load(open("lb-ecmp/summary.json"))

def ports(s):
    return {sw["name"] + ":" + p["name"]: p for sw in s["switches"] for p in sw["ports"]}

def maxq(p):
    return max(p["max_queue_bytes"])

for s in (spray, ecmp):
    t = s["totals"]
    assert t["drops"] == 0 and t["pfc_frames"] == 0, (s["scenario"], t)
    assert t["host_rx_frames"] == 16 * 256, t

# The permutation: which leaves send (receive) all four flows off (from off) the leaf.
leaf = lambda h: "leaf" + h[1:].split("_")[0]
remote = {"leaf%d" % i: 0 for i in range(1, 5)}
remote_in = dict(remote)
for r in csv.DictReader(open("lb-spray/flows.csv")):
    if leaf(r["src"]) != leaf(r["dst"]):
        remote[leaf(r["src"])] += 1
        remote_in[leaf(r["dst"])] += 1
full = {l for l, n in remote.items() if n == 4}
full_in = {l for l, n in remote_in.items() if n == 4}
assert full == {"leaf1", "leaf2"} and remote["leaf3"] == 2 and remote["leaf4"] == 2, remote
assert full_in == {"leaf1", "leaf2"}, remote_in

sp = ports(spray)
for l in remote:
    a, b = sp[l + ":spine1"]["tx_pkts"], sp[l + ":spine2"]["tx_pkts"]
    assert a + b == 256 * remote[l], (l, a, b)
    # Round robin over the two uplinks: shares equal to the frame.
    assert abs(a - b) <= 1, ("spray: uplinks unbalanced", l, a, b)
    for s in ("spine1", "spine2"):
        q = maxq(sp[l + ":" + s])
        assert q <= 4 * FRAME, ("spray queue", l, s, q)
# The downlinks of spines towards leaves receiving under 400G, and every host port.
for name, p in sp.items():
    if name.startswith("spine"):
        bound = 4
    elif name.split(":")[1].startswith("h"):
        bound = 4
    else:
        continue
    assert maxq(p) <= bound * FRAME, ("spray queue", name, maxq(p))

ep = ports(ecmp)
# Per flow hashing: the collision described above, frame for frame.
assert ep["leaf1:spine2"]["tx_pkts"] == 3 * 256 and ep["leaf1:spine1"]["tx_pkts"] == 256
assert ep["leaf4:spine2"]["tx_pkts"] == 0 and ep["leaf4:spine1"]["tx_pkts"] == 2 * 256
assert maxq(ep["leaf1:spine2"]) > 200 * FRAME, maxq(ep["leaf1:spine2"])
assert max(maxq(p) for p in sp.values()) * 8 < maxq(ep["leaf1:spine2"])
PY
echo "ok"
