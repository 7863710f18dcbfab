#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 rocefab authors
#
# Trace replay (traffic.replay): the sample traces pcaps/roce-write-v4.pcap
# and -v6.pcap (a WRITE exchange between two addresses, ACKs included)
# injected into a 2-leaf fabric at half speed from 10 us, their addresses
# mapped onto h1_1 and h2_1.
#
# - every frame is loaded and sent; the frames on h1_1's link start at
#   exactly 10 us + 2 x (their time in the trace - the first frame's), or
#   when the wire is free if later (the tap stamps the end of transmission);
# - their addresses are the hosts' (the trace's are gone), MACs the hosts'
#   and gateways', and every ICRC verifies with the independent reference;
# - the data reaches h2_1 and the ACKs h1_1;
# - addresses left out of the map are skipped and counted, not sent;
# - a missing trace is an error at its place in the file.
#
#   test_rocefab_replay.sh ROCEFAB SOURCE_DIR ROCEFAB_TRACE
set -euo pipefail

rocefab=$(realpath "$1")
src=$(realpath "$2")
trace=$(realpath "$3")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

. "$src/tests/integration/test_rocefab_common.sh"

scenario() { # NAME FAMILY TRACE MAP
	cat >"$1.yaml" <<EOF
scenario: { name: $1, seed: 1 }
topology:
  leaf_spine: { spines: 1, leaves: 2, hosts_per_leaf: 1, host_rate: 100G, uplink_rate: 100G,
                delay: 1us }
addressing: { family: $2 }
traffic:
  replay:
    pcap: $3
    speed: 0.5
    start: 10us
    map: $4
run: { end: done, sample_interval: 0, tap: [h1_1:eth0--leaf1:h1_1, h2_1:eth0--leaf2:h2_1] }
EOF
}

scenario v4 ipv4 "$src/pcaps/roce-write-v4.pcap" '{ 10.0.0.1: h1_1, 10.0.1.2: h2_1 }'
scenario v6 ipv6 "$src/pcaps/roce-write-v6.pcap" '{ "fd00::1": h1_1, "fd00:0:0:1::2": h2_1 }'
scenario part ipv4 "$src/pcaps/roce-write-v4.pcap" '{ 10.0.0.1: h1_1 }'
for n in v4 v6 part; do
	run 0 run "$n.yaml" --out "$n" --quiet
done
check_summary v4
check_summary v6
"$rocefab" topo v4.yaml >topo4
"$rocefab" topo v6.yaml >topo6

PYTHONPATH="$src/tests/vectors" python3 - "$src" <<'PY' || fail "see above"
import glob, json, re, struct, sys
from roce_ref import read_pcap, icrc, stored_icrc

src = sys.argv[1]

def addr_of(topo, host, v6):
    for line in open(topo):
        if line.split() and line.split()[0] == host:
            for w in line.split():
                if (":" in w) == v6 and re.match(r"^[0-9a-f.:]+$", w) and w.count(".") in (0, 3):
                    if v6 or w.count(".") == 3:
                        return w
    sys.exit("no address of %s in %s" % (host, topo))

for fam, v6 in (("v4", False), ("v6", True)):
    s = json.load(open(fam + "/summary.json"))
    r = s["replay"]
    assert r == {"frames": 23, "loaded": 23, "unmapped": 0, "skipped": 0, "sent": 23}, r
    orig = list(read_pcap("%s/pcaps/roce-write-%s.pcap" % (src, fam)))
    t0 = orig[0][0]
    l3 = 14
    sa = slice(l3 + 8, l3 + 24) if v6 else slice(l3 + 12, l3 + 16)
    first_src = orig[0][1][sa]
    sent = [(t, f) for t, f in orig if f[sa] == first_src]   # h1_1's frames
    acks = [(t, f) for t, f in orig if f[sa] != first_src]
    tap1 = glob.glob(fam + "/pcaps/h1_1*.pcap")[0]
    tap2 = glob.glob(fam + "/pcaps/h2_1*.pcap")[0]
    out = list(read_pcap(tap1))
    h1 = out[0][1][sa]
    mine = [(t, f) for t, f in out if f[sa] == h1]
    assert len(mine) == len(sent) == 20 and len(acks) == 3, (len(mine), len(sent), len(acks))
    busy = 0                                         # the host's wire is free from here (ps)
    for (t, f), (ot, of) in zip(mine, sent):
        wire_ps = (len(f) + 24) * 80                 # 100G: 80 ps per byte
        due = 10_000_000 + 2 * (ot - t0) * 1000
        busy = max(busy, due) + wire_ps
        assert t == busy // 1000, (t, busy // 1000)
        assert len(f) == len(of)
        assert f[sa] != of[sa], "the trace's source address survived"
        assert f[l3 + (8 if v6 else 9):] != of[l3 + (8 if v6 else 9):] or v6 is None
        # Everything from the UDP header on is unchanged but the ICRC (addresses differ).
        udp = l3 + (40 if v6 else 20)
        assert f[udp:-4] == of[udp:-4]
    for path in (tap1, tap2):
        n = 0
        for t, f in read_pcap(path):
            assert icrc(f) == stored_icrc(f), (path, t)
            n += 1
        assert n == 23, (path, n)
    hosts = {h["name"]: h for h in s["hosts"]}
    assert hosts["h2_1"]["rx_frames"] == 20 and hosts["h1_1"]["rx_frames"] == 3, hosts

s = json.load(open("part/summary.json"))
assert s["replay"] == {"frames": 23, "loaded": 0, "unmapped": 23, "skipped": 0, "sent": 0}, \
    s["replay"]
PY

# The malformed catalogue of rocefab-trace replayed: every bad frame is
# skipped and counted, the good ones (28 between the two mapped addresses)
# are sent, and the run conserves frames.
"$trace" malformed malformed.pcap >/dev/null
scenario mal ipv4 "$PWD/malformed.pcap" '{ 10.0.0.1: h1_1, 10.0.1.2: h2_1 }'
run 0 run mal.yaml --out mal --quiet
check_summary mal
python3 - <<'PY' || fail "see above"
import json
r = json.load(open("mal/summary.json"))["replay"]
assert r["frames"] == 53 and r["loaded"] == 28 and r["sent"] == 28, r
assert r["skipped"] + r["unmapped"] == 53 - 28 and r["skipped"] > 0, r
PY

# A missing trace names its place in the file.
sed "s|pcap: .*|pcap: no-such.pcap|" v4.yaml >missing.yaml
run 1 check missing.yaml
grep -q 'missing.yaml:8:11: error: traffic.replay.pcap: cannot read the trace' err ||
	fail "missing trace: $(cat err)"
echo "PASS"
