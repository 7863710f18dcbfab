#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 rocefab authors
#
# The shipped examples run: docs/examples/leaf.yaml and spine.yaml, copied
# unchanged into a temporary directory next to generated input pcaps (their
# relative paths resolve from the configuration's directory), each run for a
# short trace in virtual time. Checks: exit 0; frames leave by the port their
# route names, rewritten for it (source MAC of the egress port, destination
# MAC of the next hop, TTL or hop limit less one, ICRC valid by roce_ref.py);
# every flow to another rack sticks to one uplink and the flows use both;
# and every frame is accounted for in switch.json.
#
#   test_switch_examples.sh ROCEFAB_SWITCH ROCEFAB_TRACE SOURCE_DIR
set -euo pipefail

switch=$1
src=$3
. "$src/tests/integration/test_switch_common.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Six 100G ports with a 16 MB buffer: about 600 MB of DPDK memory (mbufs for
# the whole buffer, eight queues per port sized for it, the DIR24_8 table).
read -r -a eal <<<"$(eal_private 1024)"

cp "$src/docs/examples/leaf.yaml" "$src/docs/examples/spine.yaml" "$work/"
mkdir -p "$work/pcaps/leaf" "$work/pcaps/spine"

# Input traces: RoCEv2 RDMA WRITE middle packets (DSCP 26, ECT(0)) with valid
# ICRCs, one per microsecond, in nanosecond pcap files.
"$py" - "$src/tests/vectors" "$work/pcaps" <<'EOF'
import ipaddress, struct, sys
sys.path.insert(0, sys.argv[1])
from roce_ref import icrc
out = sys.argv[2]

def mac(s):
    return bytes.fromhex(s.replace(":", ""))

def frame(smac, dmac, sip, dip, sport, psn, ttl=64, payload=256):
    s, d = ipaddress.ip_address(sip), ipaddress.ip_address(dip)
    bth = struct.pack("!BBHII", 0x07, 0x00, 0xFFFF, 0x000123, psn & 0xFFFFFF)
    data = bytes((psn + i) & 0xFF for i in range(payload))
    udp_len = 8 + len(bth) + len(data) + 4
    udp = struct.pack("!HHHH", sport, 4791, udp_len, 0)
    if s.version == 4:
        ip = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 26 << 2 | 2, 20 + udp_len, psn & 0xFFFF,
                                   0x4000, ttl, 17, 0, s.packed, d.packed))
        c = sum(struct.unpack("!10H", ip))
        c = (c & 0xFFFF) + (c >> 16)
        struct.pack_into("!H", ip, 10, ~c & 0xFFFF)
        et = 0x0800
    else:
        ip = struct.pack("!IHBB16s16s", 6 << 28 | (26 << 2 | 2) << 20, udp_len, 17, ttl,
                         s.packed, d.packed)
        et = 0x86DD
    f = dmac + smac + struct.pack("!H", et) + bytes(ip) + udp + bth + data + b"\0\0\0\0"
    return f[:-4] + struct.pack("<I", icrc(f))

def write(path, frames):
    with open(f"{out}/{path}", "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B23C4D, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames, 1):
            f.write(struct.pack("<IIII", 0, i * 1000, len(fr), len(fr)) + fr)

# Leaf: host h0 (10.0.1.1) writes to h1 over IPv4 and IPv6, runs 32 flows
# (UDP source ports 49152..49183, two packets each) to 10.0.2.5 behind the
# spines, and sends one packet with TTL 1; a remote host behind up0 writes to h3.
h0, leaf_h0 = mac("02:00:00:01:00:01"), mac("02:fa:b0:01:00:00")
spine0, leaf_up0 = mac("02:fa:b0:10:00:00"), mac("02:fa:b0:01:00:04")
fr = [frame(h0, leaf_h0, "10.0.1.1", "10.0.1.2", 50000, n) for n in range(10)]
fr.append(frame(h0, leaf_h0, "2001:db8:1::1", "2001:db8:1::2", 50001, 10))
for rnd in range(2):
    fr += [frame(h0, leaf_h0, "10.0.1.1", "10.0.2.5", 49152 + k, 100 * rnd + k) for k in range(32)]
fr.append(frame(h0, leaf_h0, "10.0.1.1", "10.0.2.9", 50002, 0, ttl=1))
write("leaf/h0.rx.pcap", fr)
write("leaf/up0.rx.pcap", [frame(spine0, leaf_up0, "10.0.2.5", "10.0.1.4", 50003, n)
                           for n in range(5)])
for p in ("h1", "h2", "h3", "up1"):
    write(f"leaf/{p}.rx.pcap", [])

# Spine: leaf1 sends to racks 2, 3 and 4 (IPv4), to rack 2 over IPv6 and to
# an address no rack serves; leaf2 sends to rack 1.
l1, sp_l1 = mac("02:fa:b0:01:00:04"), mac("02:fa:b0:10:00:00")
l2, sp_l2 = mac("02:fa:b0:02:00:04"), mac("02:fa:b0:10:00:01")
fr = [frame(l1, sp_l1, "10.0.1.1", "10.0.2.5", 50010, n) for n in range(3)]
fr += [frame(l1, sp_l1, "10.0.1.1", "10.0.3.5", 50011, n) for n in range(2)]
fr += [frame(l1, sp_l1, "10.0.1.1", "10.0.4.5", 50012, 0),
       frame(l1, sp_l1, "2001:db8:1::1", "2001:db8:2::5", 50013, 0),
       frame(l1, sp_l1, "10.0.1.1", "10.9.9.9", 50014, 0)]
write("spine/leaf1.rx.pcap", fr)
write("spine/leaf2.rx.pcap", [frame(l2, sp_l2, "10.0.2.5", "10.0.1.3", 50015, n)
                              for n in range(4)])
for p in ("leaf3", "leaf4"):
    write(f"spine/{p}.rx.pcap", [])
EOF

# check_port DIR PORT N DST_MAC SRC_MAC [DST_IP_PREFIX]: the tx pcap of PORT
# holds N frames, each RoCEv2 with a valid ICRC, TTL/hop limit 63, these
# MACs, and (if given) a destination address that starts with the prefix.
check_port() {
	"$py" - "$src/tests/vectors" "$@" <<'EOF' || fail "$2 $3"
import ipaddress, sys
sys.path.insert(0, sys.argv[1])
from roce_ref import read_pcap, icrc, stored_icrc, _l3_offset
d, port, n, dst, srcm = sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6]
want_ip = sys.argv[7] if len(sys.argv) > 7 else ""
frames = [f for _, f in read_pcap(f"{d}/{port}.tx.pcap")]
assert len(frames) == n, f"{port}: {len(frames)} frames, expected {n}"
for i, f in enumerate(frames, 1):
    l3, et = _l3_offset(f)
    ttl = f[l3 + 8] if et == 0x0800 else f[l3 + 7]
    ip = (ipaddress.ip_address(f[l3 + 16:l3 + 20]) if et == 0x0800 else
          ipaddress.ip_address(f[l3 + 24:l3 + 40]))
    assert f[0:6] == bytes.fromhex(dst.replace(":", "")), f"{port} {i}: dst {f[0:6].hex(':')}"
    assert f[6:12] == bytes.fromhex(srcm.replace(":", "")), f"{port} {i}: src {f[6:12].hex(':')}"
    assert ttl == 63, f"{port} {i}: ttl {ttl}"
    assert icrc(f) is not None and icrc(f) == stored_icrc(f), f"{port} {i}: ICRC"
    assert str(ip).startswith(want_ip), f"{port} {i}: to {ip}"
print(f"{port}: {n} frames ok")
EOF
}

# The leaf.
"$switch" "${eal[@]}" -- --config "$work/leaf.yaml" --until-idle --out "$work/leaf.out" \
	>"$work/leaf.stdout" 2>"$work/leaf.stderr" || fail "leaf: exit $?: $(cat "$work/leaf.stderr")"
cat "$work/leaf.stdout"
grep -q '^rocefab-switch: leaf1: 6 ports, virtual time' "$work/leaf.stdout" || fail "leaf: start line"
j="$work/leaf.out/switch.json"
switch_conserves "$j" || fail "leaf: conservation"
[ "$(json_get "$j" '[p["name"] for p in j["ports"]]')" = '["h0", "h1", "h2", "h3", "up0", "up1"]' ] ||
	fail "leaf: port order"
[ "$(json_get "$j" 'j["totals"]["rx_pkts"]')" -eq 81 ] || fail "leaf: rx_pkts"
[ "$(json_get "$j" 'j["totals"]["drops"]')" -eq 1 ] || fail "leaf: drops"
[ "$(json_get "$j" 'j["ports"][0]["drop_reasons"]["ttl_expired"]')" -eq 1 ] || fail "leaf: ttl_expired"
L="$work/pcaps/leaf"
check_port "$L" h1 11 02:00:00:01:00:02 02:fa:b0:01:00:01
check_port "$L" h3 5 02:00:00:01:00:04 02:fa:b0:01:00:03 10.0.1.4
check_port "$L" h0 0 - -
check_port "$L" h2 0 - -
n0=$(pcap_count "$L/up0.tx.pcap")
n1=$(pcap_count "$L/up1.tx.pcap")
[ $((n0 + n1)) -eq 64 ] || fail "leaf: $n0 + $n1 frames up, expected 64"
check_port "$L" up0 "$n0" 02:fa:b0:10:00:00 02:fa:b0:01:00:04 10.0.2.5
check_port "$L" up1 "$n1" 02:fa:b0:11:00:00 02:fa:b0:01:00:05 10.0.2.5
"$py" - "$src/tests/vectors" "$L" <<'EOF' || fail "leaf: ECMP"
import struct, sys
sys.path.insert(0, sys.argv[1])
from roce_ref import read_pcap
where = {}
for up in ("up0", "up1"):
    for _, f in read_pcap(f"{sys.argv[2]}/{up}.tx.pcap"):
        where.setdefault(struct.unpack_from("!H", f, 34)[0], set()).add(up)
assert sorted(where) == list(range(49152, 49184)), sorted(where)
split = [p for p, ups in where.items() if len(ups) != 1]
assert not split, f"flows on both uplinks: {split}"
per = {up: sum(1 for ups in where.values() if up in ups) for up in ("up0", "up1")}
# 32 flows all hashed to one member would be a 2^-31 chance for a working hash.
assert per["up0"] > 0 and per["up1"] > 0, per
print(f"ECMP: 32 flows, each on one uplink: {per}")
EOF

# The spine.
"$switch" "${eal[@]}" -- --config "$work/spine.yaml" --until-idle --out "$work/spine.out" \
	>"$work/spine.stdout" 2>"$work/spine.stderr" || fail "spine: exit $?: $(cat "$work/spine.stderr")"
cat "$work/spine.stdout"
grep -q '^rocefab-switch: spine0: 4 ports, virtual time' "$work/spine.stdout" || fail "spine: start line"
j="$work/spine.out/switch.json"
switch_conserves "$j" || fail "spine: conservation"
[ "$(json_get "$j" 'j["totals"]["rx_pkts"]')" -eq 12 ] || fail "spine: rx_pkts"
[ "$(json_get "$j" 'j["totals"]["drops"]')" -eq 1 ] || fail "spine: drops"
[ "$(json_get "$j" 'j["ports"][0]["drop_reasons"]["no_route"]')" -eq 1 ] || fail "spine: no_route"
S="$work/pcaps/spine"
check_port "$S" leaf1 4 02:fa:b0:01:00:04 02:fa:b0:10:00:00 10.0.1.3
check_port "$S" leaf2 4 02:fa:b0:02:00:04 02:fa:b0:10:00:01
check_port "$S" leaf3 2 02:fa:b0:03:00:04 02:fa:b0:10:00:02 10.0.3.5
check_port "$S" leaf4 1 02:fa:b0:04:00:04 02:fa:b0:10:00:03 10.0.4.5
echo "1 passed, 0 failed"
