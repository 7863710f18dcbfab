#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 rocefab authors
#
# The malformed-frame catalogue of `rocefab-trace malformed` (53 frames: each
# malformed or edge frame followed by a valid RoCEv2 frame to 10.0.1.2) through
# a two-port rocefab-switch, in virtual time (pcap-file ports) and in real time
# (net_pcap ethdev ports, --until-idle). In both: the switch exits 0 (also in
# the sanitizer build), every frame is accounted for (forwarded, consumed or
# dropped under its own reason, each count exact), and the output holds exactly
# the forwarded frames, byte for byte as a router must rewrite them (MACs, TTL
# or hop limit, IPv4 checksum) with the ICRC still valid by the independent
# reference tests/vectors/roce_ref.py.
#
#   test_switch_malformed.sh ROCEFAB_SWITCH ROCEFAB_TRACE SOURCE_DIR
set -euo pipefail

switch=$1
trace=$2
src=$3
. "$src/tests/integration/test_switch_common.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
read -r -a eal <<<"$(eal_private)"

"$trace" malformed "$work/malformed.pcap" >/dev/null
[ "$(pcap_count "$work/malformed.pcap")" -eq 53 ] || fail "the catalogue is not 53 frames"

# The catalogue, as app/trace/samples.c writes it (1-based record numbers):
# odd records 1..37 are malformed (19 frames, bth_opcode twice), 39 a jumbo of
# 8958 bytes (forwarded: its IP datagram is within mtu 9100), 41 a 9658-byte
# frame (oversize), 43 a valid frame under two VLAN tags (forwarded), 45 and
# 47 PFC (untagged and tagged), 49 an 802.3x PAUSE, 51 another MAC control
# opcode (the four consumed), 53 a valid IPv6 frame; every even record is a
# valid frame, sent after each of the others to show the switch kept going.
forwarded="$(seq -s, 2 2 52),39,43,53"
want_reasons='{"runt": 1, "trunc_eth": 1, "trunc_vlan": 1, "vlan_depth": 1,
	"trunc_ipv4": 1, "ip_version": 1, "ipv4_ihl": 1, "ipv4_checksum": 1,
	"ipv4_total_len": 1, "fragment": 1, "trunc_ipv6": 1, "ipv6_payload_len": 1,
	"trunc_udp": 1, "udp_len": 1, "trunc_bth": 1, "bth_opcode": 2,
	"trunc_roce_ext": 1, "trunc_mac_ctrl": 1, "oversize": 1}'

# check_run DIR OUT.pcap: the counters in DIR/switch.json and the frames in OUT.pcap.
check_run() {
	local dir=$1 out=$2 bad

	switch_conserves "$dir/switch.json" || fail "$dir: conservation"
	bad=$("$py" - "$dir/switch.json" "$want_reasons" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
want = json.loads(sys.argv[2])
t, pin, pout = j["totals"], j["ports"][0], j["ports"][1]
bad = []
def eq(what, got, exp):
    if got != exp:
        bad.append(f"{what}: {got}, expected {exp}")
for k, v in t["drop_reasons"].items():
    eq(f"drop_reasons.{k}", v, want.get(k, 0))
for k in want:
    if k not in t["drop_reasons"]:
        bad.append(f"drop reason {k} missing")
eq("totals.rx_pkts", t["rx_pkts"], 53)
eq("totals.drops", t["drops"], 20)
eq("totals.consumed_pkts", t["consumed_pkts"], 4)
eq("totals.fwd_pkts", t["fwd_pkts"], 29)
eq("totals.tx_pkts", t["tx_pkts"], 29)
eq("totals.tx_ctrl_pkts", t["tx_ctrl_pkts"], 0)
eq("in.rx_pkts", pin["rx_pkts"], 53)
eq("in.drops", pin["drops"], 20)
eq("in.tx_pkts", pin["tx_pkts"], 0)
eq("in.pfc_rx", pin["pfc_rx"], [0, 0, 0, 2, 0, 0, 0, 0])
eq("in.pause_rx", pin["pause_rx"], 1)
eq("out.rx_pkts", pout["rx_pkts"], 0)
eq("out.tx_pkts", pout["tx_pkts"], 29)
eq("out.drops", pout["drops"], 0)
print("\n".join(bad))
EOF
	)
	[ -z "$bad" ] || fail "$dir/switch.json: $bad"

	bad=$("$py" - "$src/tests/vectors" "$work/malformed.pcap" "$out" "$forwarded" <<'EOF'
import struct, sys
sys.path.insert(0, sys.argv[1])
from roce_ref import read_pcap, icrc, stored_icrc, _l3_offset
inp = [f for _, f in read_pcap(sys.argv[2])]
out = list(read_pcap(sys.argv[3]))
fwd = sorted(int(i) for i in sys.argv[4].split(","))
port_mac = bytes.fromhex("02fab0000011")
peer_mac = bytes.fromhex("020000000102")
bad = []

def routed(f):
    """The frame as the switch must send it: MACs, TTL/hop limit, checksum."""
    f = bytearray(f)
    f[0:6], f[6:12] = peer_mac, port_mac
    l3, et = _l3_offset(f)
    if et == 0x0800:
        ihl = (f[l3] & 0xF) * 4
        f[l3 + 8] -= 1
        f[l3 + 10:l3 + 12] = b"\0\0"
        s = sum(struct.unpack_from(f"!{ihl // 2}H", f, l3))
        while s >> 16:
            s = (s & 0xFFFF) + (s >> 16)
        struct.pack_into("!H", f, l3 + 10, ~s & 0xFFFF)
    else:
        f[l3 + 7] -= 1
    return bytes(f)

if len(out) != len(fwd):
    bad.append(f"{len(out)} frames out, expected {len(fwd)}")
last = 0
for n, ((ts, got), i) in enumerate(zip(out, fwd), 1):
    if got != routed(inp[i - 1]):
        bad.append(f"output frame {n} (input record {i}, {len(inp[i - 1])} bytes) "
                   f"is not the input routed")
    if icrc(got) is None or icrc(got) != stored_icrc(got):
        bad.append(f"output frame {n}: ICRC not valid")
    if ts < last:
        bad.append(f"output frame {n}: timestamp goes back")
    last = ts
lens = sorted(len(f) for _, f in out)
if lens.count(1082) != 26 or 8958 not in lens or 9658 in lens:
    bad.append(f"output lengths {lens}")
print("\n".join(bad))
EOF
	)
	[ -z "$bad" ] || fail "$out: $bad"
}

# Virtual time: pcap-file ports. A stats line every simulated microsecond too
# (the trace lasts 4.2 us, the run ends when the last frame has left).
mkdir -p "$work/v"
cp "$work/malformed.pcap" "$work/v/in.pcap"
cat > "$work/v/switch.yaml" <<'EOF'
switch: { name: sw-malformed }
ports:
  - name: in
    pcap: { rx: in.pcap }
    peer: { mac: 02:00:00:00:00:01 }
  - name: out
    pcap: { tx: out.pcap }
    mac: 02:fa:b0:00:00:11
    peer: { mac: 02:00:00:00:01:02 }
routes:
  - { prefix: 10.0.1.2/32, via: { port: out } }
  - { prefix: "fd00:0:0:1::2/128", via: { port: out } }
EOF
"$switch" "${eal[@]}" -- --config "$work/v/switch.yaml" --out "$work/v/o" \
	--stats-interval 0.000001 >"$work/v/stdout" 2>"$work/v/stderr" ||
	fail "virtual time: exit $?: $(cat "$work/v/stderr")"
cat "$work/v/stdout"
grep -q '^rocefab-switch: sw-malformed: 2 ports, virtual time' "$work/v/stdout" ||
	fail "virtual time: no start line"
grep -q '^rocefab-switch: summary: rx_pkts=53 tx_pkts=29 drops=20 ecn_marked=0 ' \
	"$work/v/stdout" || fail "virtual time: summary line"
lines=$(grep -c '^t=0\.00000[1-4]s rx=[0-9]* tx=[0-9]* fwd=[0-9]* drops=[0-9]* ecn=0 pfc_xoff_tx=0 max_queue=[0-9]*B$' "$work/v/stdout" || true)
[ "$lines" -eq 4 ] || fail "virtual time: $lines stats lines at t=1..4 us, expected 4"
[ "$(json_get "$work/v/o/switch.json" 'j["time_mode"]')" = virtual ] || fail "time_mode"
check_run "$work/v/o" "$work/v/out.pcap"
echo "virtual time: 53 frames accounted for, 29 forwarded intact"

# Real time: the same file through net_pcap ethdev ports. --until-idle ends
# the run once the switch has seen as many frames as the rx_pcap file holds.
mkdir -p "$work/r"
cat > "$work/r/switch.yaml" <<'EOF'
switch: { name: sw-malformed-rt }
ports:
  - name: in
    dev: net_pcap0
    peer: { mac: 02:00:00:00:00:01 }
  - name: out
    dev: net_pcap1
    mac: 02:fa:b0:00:00:11
    peer: { mac: 02:00:00:00:01:02 }
routes:
  - { prefix: 10.0.1.2/32, via: { port: out } }
  - { prefix: "fd00:0:0:1::2/128", via: { port: out } }
EOF
timeout 60 "$switch" "${eal[@]}" \
	--vdev "net_pcap0,rx_pcap=$work/malformed.pcap" \
	--vdev "net_pcap1,tx_pcap=$work/r/out.pcap" \
	-- --config "$work/r/switch.yaml" --until-idle --out "$work/r/o" \
	>"$work/r/stdout" 2>"$work/r/stderr" ||
	fail "real time: exit $? (124: --until-idle never ended): $(cat "$work/r/stderr")"
cat "$work/r/stdout"
grep -q '^rocefab-switch: sw-malformed-rt: 2 ports, real time' "$work/r/stdout" ||
	fail "real time: no start line"
[ "$(json_get "$work/r/o/switch.json" 'j["time_mode"]')" = real ] || fail "time_mode"
check_run "$work/r/o" "$work/r/out.pcap"
echo "real time: 53 frames accounted for, 29 forwarded intact"
echo "1 passed, 0 failed"
