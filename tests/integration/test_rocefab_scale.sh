#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 rocefab authors
#
# Scale: a fabric of 8 spines, 16 leaves and 16 hosts per leaf (256 hosts,
# 24 switches, 384 links) loads with the default switch profile, runs a
# permutation of 64 KB per host to the end of its traffic, reaches every host
# (each sends and receives exactly its 16 frames), and conserves frames with
# nothing in flight. The wall-time ceiling is the test's meson timeout.
#
#   test_rocefab_scale.sh ROCEFAB SOURCE_DIR
set -euo pipefail

rocefab=$(realpath "$1")
src=$(realpath "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

. "$src/tests/integration/test_rocefab_common.sh"

# 16 x 100G down and 8 x 200G up per leaf: non-blocking. The profiles are
# the defaults (20 MB buffers), so loading sizes memory as a user would get.
cat >scale.yaml <<'EOF'
scenario:
  name: scale
  seed: 5
topology:
  leaf_spine:
    spines: 8
    leaves: 16
    hosts_per_leaf: 16
    host_rate: 100G
    uplink_rate: 200G
    delay: 1us
    cable_m: 200
profiles:
  leaf: {}
  spine: {}
tiers: { leaf: leaf, spine: spine }
addressing: { family: ipv4, base: 10.0.0.0/8 }
traffic:
  mtu: 4096
  permutation:
    bytes: 64KB
run:
  end: done
  sample_interval: 0
EOF

run 0 run scale.yaml --out scale --quiet
check_summary scale
python3 - <<'PY' || fail "scale: see above"
import csv, json
s = json.load(open("scale/summary.json"))
assert len(s["switches"]) == 24, len(s["switches"])
assert sum(1 for sw in s["switches"] if sw["name"].startswith("spine")) == 8
assert sorted(len(sw["ports"]) for sw in s["switches"]) == [16] * 8 + [24] * 16
hosts = s["hosts"]
assert len(hosts) == 256, len(hosts)
assert s["flows"]["count"] == 256 and s["flows"]["done"] == 256, s["flows"]
# 64 KB at a 4096-byte RoCE MTU is 16 frames: every host sends and receives them.
for h in hosts:
    assert h["tx_frames"] == 16 and h["rx_frames"] == 16, h
    assert h["rx_bytes"] > 65536, h
t = s["totals"]
assert t["host_tx_frames"] == 4096 and t["host_rx_frames"] == 4096, t
assert t["drops"] == 0 and t["in_flight"] == 0, t
# A permutation: every host is the source of one flow and the destination of one.
rows = list(csv.DictReader(open("scale/flows.csv")))
names = sorted(h["name"] for h in hosts)
assert sorted(r["src"] for r in rows) == names
assert sorted(r["dst"] for r in rows) == names
assert all(r["src"] != r["dst"] and int(r["frames"]) == 16 for r in rows)
# Every frame crosses 3 switches (leaf, spine, leaf) or 1 (same leaf).
local = sum(1 for r in rows if r["src"].split("_")[0] == r["dst"].split("_")[0])
assert s["packet_hops"] == 16 * (3 * (256 - local) + local), (s["packet_hops"], local)
PY
echo "ok"
