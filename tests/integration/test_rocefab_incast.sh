#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 rocefab authors
#
# Congestion where the arithmetic puts it: a 2:1 incast on 2 leaves, 1 spine,
# 2 hosts per leaf. Hosts at 100G, uplinks at 200G, so leaf2's two senders
# (2 x 100G, lossless class 3, ECT, 2 MB each) cross leaf2 -> spine1 -> leaf1
# at line rate with no queue, and the ONLY port offered more than its rate is
# leaf1's egress to h1_1 (200G in, 100G out): the bottleneck.
#
# Prediction, port by port (names as the shorthand builds them: a switch port
# is named after its peer node, so leaf1's port to h1_1 is leaf1:h1_1):
#   - leaf1:h1_1 queues at 100G/s of excess: past the ECN step (400 KB) and,
#     as its bytes are charged to the ingress group of leaf1:spine1, past
#     XOFF (4 MB pool, dynamic_th -2: about 800 KB).
#   - so leaf1 sends PFC XOFF for class 3 on leaf1:spine1, and only there;
#   - spine1 is paused on spine1:leaf1, whose queue then takes the rest of
#     the excess (about 1 MB, past the spine's 400 KB step: it marks too);
#     the spine's 32 MB pool with dynamic_th 0 never reaches XOFF, so the
#     pause goes no further: no PFC from spine1 or leaf2, nothing paused on
#     leaf2's uplink or at the senders.
#   - ecn_marked > 0 exactly on {leaf1:h1_1, spine1:leaf1}; pfc_tx > 0 exactly
#     on {leaf1:spine1}; paused_ns > 0 exactly on {spine1:leaf1}; every other
#     port has none, no drop anywhere, every byte sent arrives.
# The ECN policy is ecn-step so a mark past the threshold is certain (the RED
# ramp would make the set depend on a coin).
#
#   test_rocefab_incast.sh ROCEFAB SOURCE_DIR
set -euo pipefail

rocefab=$(realpath "$1")
src=$(realpath "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

. "$src/tests/integration/test_rocefab_common.sh"

cat >incast.yaml <<'YAML'
scenario:
  name: incast-2to1
  seed: 7
topology:
  leaf_spine:
    spines: 1
    leaves: 2
    hosts_per_leaf: 2
    host_rate: 100G
    uplink_rate: 200G
    delay: 1us
    cable_m: 200
profiles:
  tor:
    buffer:
      pool: 4MB
      ingress: { dynamic_th: -2, xoff: auto }
    ecn:
      plugin: ecn-step
      classes:
        3: { k: 400000 }
  spine:
    buffer:
      pool: 32MB
      ingress: { dynamic_th: 0, xoff: auto }
    ecn:
      plugin: ecn-step
      classes:
        3: { k: 400000 }
tiers: { leaf: tor, spine: spine }
addressing: { family: ipv4, base: 10.0.0.0/8 }
traffic:
  mtu: 4096
  incast:
    to: h1_1
    from: [h2_1, h2_2]
    bytes: 2MB
    dscp: 26
    ect: true
run:
  end: done
  sample_interval: 0
YAML

run 0 run incast.yaml --out out.d --quiet
check_summary out.d

python3 - <<'PY' || fail "incast: see above"
import json

s = json.load(open("out.d/summary.json"))
LOSSLESS = 3
K = 400000
FRAMES = 2 * 1024 * 1024 // 4096      # per sender
dst, senders = "h1_1", ["h2_1", "h2_2"]
leaf = lambda h: "leaf" + h[1:].split("_")[0]
spine = "spine1"

# Expected ports, from the scenario.
bottleneck = leaf(dst) + ":" + dst               # leaf1:h1_1
xoff_port = leaf(dst) + ":" + spine              # leaf1:spine1, towards the senders
paused_port = spine + ":" + leaf(dst)            # spine1:leaf1, the pushed-back queue
quiet_uplink = leaf(senders[0]) + ":" + spine    # leaf2:spine1: 200G offered to 200G

ports = {sw["name"] + ":" + p["name"]: p for sw in s["switches"] for p in sw["ports"]}
assert len(ports) == 8, sorted(ports)
assert {bottleneck, xoff_port, paused_port, quiet_uplink} <= set(ports), sorted(ports)

marked = {n for n, p in ports.items() if p["ecn_marked"] > 0}
pfc_tx = {n for n, p in ports.items() if sum(p["pfc_tx"]) > 0}
paused = {n for n, p in ports.items() if sum(p["paused_ns"]) > 0}
print("ecn_marked:", sorted(marked), "pfc_tx:", sorted(pfc_tx), "paused:", sorted(paused))
assert marked == {bottleneck, paused_port}, marked
assert pfc_tx == {xoff_port}, pfc_tx
assert paused == {paused_port}, paused

# Only the lossless class pauses; every XOFF sent is received by the peer.
x, y = ports[xoff_port], ports[paused_port]
assert all(v == 0 for c, v in enumerate(x["pfc_tx"]) if c != LOSSLESS), x["pfc_tx"]
assert all(v == 0 for c, v in enumerate(y["paused_ns"]) if c != LOSSLESS), y["paused_ns"]
assert y["pfc_rx"][LOSSLESS] == x["pfc_tx"][LOSSLESS], (y["pfc_rx"], x["pfc_tx"])
assert all(sum(p["pfc_rx"]) == 0 for n, p in ports.items() if n != paused_port)

# Queues: both marking queues passed the step; the uplink from the senders' leaf
# never held more than the two frames that can arrive together.
assert ports[bottleneck]["max_queue_bytes"][LOSSLESS] > K, ports[bottleneck]
assert ports[paused_port]["max_queue_bytes"][LOSSLESS] > K, ports[paused_port]
assert max(ports[quiet_uplink]["max_queue_bytes"]) <= 2 * (4096 + 128), ports[quiet_uplink]

# No drop; all of the incast goes through the bottleneck and arrives.
assert s["totals"]["drops"] == 0 and all(p["drops"] == 0 for p in ports.values()), s["totals"]
assert ports[bottleneck]["tx_pkts"] == 2 * FRAMES
assert ports[paused_port]["tx_pkts"] == 2 * FRAMES
h = {x["name"]: x for x in s["hosts"]}
assert all(h[n]["tx_frames"] == FRAMES for n in senders), h
assert h[dst]["rx_frames"] == 2 * FRAMES, h[dst]
assert h[dst]["rx_bytes"] == sum(h[n]["tx_bytes"] for n in senders), h
assert s["flows"]["count"] == 2 and s["flows"]["done"] == 2, s["flows"]
PY
echo "ok"
