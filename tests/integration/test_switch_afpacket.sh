#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 rocefab authors
#
# rocefab-switch on af_packet ports over two veth pairs, in real time:
#
#   inject (raw socket) -> va0 == vb0 [net_af_packet0] switch [net_af_packet1] vb1 == va1 -> capture
#
# af_packet takes frames of at most 1518 bytes whatever the switch's MTU
# (9100 by default): the switch must ask it for what it takes instead of
# failing to start. The frames of roce-gbn-cnp.pcap sent into one veth come
# out of the other routed (next hop MAC, TTL 63, ICRC still valid).
# Needs CAP_NET_ADMIN to make veth pairs; skipped (exit 77) without it.
#
#   test_switch_afpacket.sh ROCEFAB_SWITCH ROCEFAB_TRACE SOURCE_DIR
set -euo pipefail

switch=$1
src=$3
. "$src/tests/integration/test_switch_common.sh"
work=$(mktemp -d)
tag="rfe$$"
va0=${tag}a0 vb0=${tag}b0 va1=${tag}a1 vb1=${tag}b1
pid=
cleanup() {
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	ip link del "$va0" 2>/dev/null || true
	ip link del "$va1" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

if ! ip link add "$va0" type veth peer name "$vb0" 2>/dev/null; then
	echo "SKIP: cannot create veth pairs (needs CAP_NET_ADMIN)"
	exit 77
fi
ip link add "$va1" type veth peer name "$vb1"
for i in "$va0" "$vb0" "$va1" "$vb1"; do
	# No IPv6 autoconfiguration chatter on the test links.
	[ -w "/proc/sys/net/ipv6/conf/$i/disable_ipv6" ] &&
		echo 1 > "/proc/sys/net/ipv6/conf/$i/disable_ipv6"
	ip link set "$i" up
done
read -r -a eal <<<"$(eal_private)"

cat > "$work/switch.yaml" <<'EOF'
switch: { name: sw-veth }
ports:
  - { name: p0, dev: net_af_packet0, peer: { mac: 02:00:00:00:00:01 } }
  - { name: p1, dev: net_af_packet1, peer: { mac: 02:00:00:00:01:02 } }
routes:
  - { prefix: 10.0.1.2/32, via: { port: p1 } }
  - { prefix: 10.0.0.1/32, via: { port: p0 } }
EOF
"$switch" "${eal[@]}" --vdev "net_af_packet0,iface=$vb0" --vdev "net_af_packet1,iface=$vb1" \
	-- --config "$work/switch.yaml" --duration 4 --out "$work/o" \
	>"$work/stdout" 2>"$work/stderr" &
pid=$!

"$py" - "$src/tests/vectors" "$va0" "$va1" "$work/stdout" "$pid" <<'EOF' || fail "frames through the veths"
import os, socket, sys, time
sys.path.insert(0, sys.argv[1])
from roce_ref import read_pcap, icrc, stored_icrc, _l3_offset
va0, va1, stdout, pid = sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])

# The switch prints its start line once its ports are up.
deadline = time.monotonic() + 20
while "ports, real time" not in open(stdout).read():
    os.kill(pid, 0)
    assert time.monotonic() < deadline, "the switch did not start"
    time.sleep(0.05)
rx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
rx.bind((va1, 0))
rx.settimeout(0.2)
tx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
tx.bind((va0, 0))
frames = [f for _, f in read_pcap(os.path.join(sys.argv[1], "..", "..", "pcaps", "roce-gbn-cnp.pcap"))]
to_r = [f for f in frames if f[30:34] == bytes([10, 0, 1, 2])]
for f in frames:
    tx.send(f)
got = []
end = time.monotonic() + 2
while len(got) < len(to_r) and time.monotonic() < end:
    try:
        f = rx.recv(65536)
    except socket.timeout:
        continue
    if f[0:6] == bytes.fromhex("020000000102"):
        got.append(f)
assert len(got) == len(to_r), f"{len(got)} frames out of {va1}, expected {len(to_r)}"
for g, f in zip(got, to_r):
    l3, _ = _l3_offset(g)
    assert g[l3 + 8] == 63, "TTL"
    assert icrc(g) == stored_icrc(g), "ICRC"
    assert g[l3 + 12:] == f[l3 + 12:], "addresses or payload changed"
print(f"{len(frames)} frames into {va0}, {len(got)} routed out of {va1}")
EOF

rc=0
wait "$pid" || rc=$?
pid=
cat "$work/stdout"
[ $rc -eq 0 ] || fail "exit $rc: $(cat "$work/stderr")"
grep -q "port p0: device net_af_packet0 takes frames of at most 1514 bytes" "$work/stdout" ||
	fail "no note on the device's frame limit"
j="$work/o/switch.json"
[ "$(json_get "$j" 'j["ports"][0]["fwd_pkts"] >= 9 and j["ports"][1]["tx_pkts"] >= 6')" = True ] ||
	fail "counters: $(json_get "$j" 'j["totals"]')"
echo "1 passed, 0 failed"
