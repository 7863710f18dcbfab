#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 rocefab authors
#
# Real-time smoke test over net_pcap ethdev ports: the committed RoCEv2 WRITE
# exchanges (IPv4 and IPv6, 23 frames each, frames of 4 KiB payload that span
# several mbufs) through a three-port rocefab-switch with --until-idle. Only
# counts and conservation are checked, never timing: every frame received is
# forwarded; the frames in the tx_pcap files are exactly the frames the switch
# routed, each where its route says; the counters in switch.json add up; and
# the output decodes cleanly (rocefab-trace decode --check, roce_ref.py ICRCs).
#
#   test_switch_smoke.sh ROCEFAB_SWITCH ROCEFAB_TRACE SOURCE_DIR
set -euo pipefail

switch=$1
trace=$2
src=$3
. "$src/tests/integration/test_switch_common.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
read -r -a eal <<<"$(eal_private)"

cat > "$work/switch.yaml" <<'EOF'
# a: the IPv4 requester, b: the IPv6 requester, r: the responder's side.
switch: { name: sw-smoke }
ports:
  - { name: a, dev: net_pcap0, peer: { mac: 02:00:00:00:00:01 } }
  - { name: b, dev: net_pcap1, peer: { mac: 02:00:00:00:00:01 } }
  - { name: r, dev: net_pcap2, peer: { mac: 02:00:00:00:01:02 } }
routes:
  - { prefix: 10.0.1.2/32, via: { port: r } }
  - { prefix: "fd00:0:0:1::2/128", via: { port: r } }
  - { prefix: 10.0.0.1/32, via: { port: a } }
  - { prefix: "fd00::1/128", via: { port: b } }
EOF

timeout 60 "$switch" "${eal[@]}" \
	--vdev "net_pcap0,rx_pcap=$src/pcaps/roce-write-v4.pcap,tx_pcap=$work/a.pcap" \
	--vdev "net_pcap1,rx_pcap=$src/pcaps/roce-write-v6.pcap,tx_pcap=$work/b.pcap" \
	--vdev "net_pcap2,tx_pcap=$work/r.pcap" \
	-- --config "$work/switch.yaml" --until-idle --out "$work/o" \
	>"$work/stdout" 2>"$work/stderr" ||
	fail "exit $? (124: --until-idle never ended): $(cat "$work/stderr")"
cat "$work/stdout"

j="$work/o/switch.json"
switch_conserves "$j" || fail "conservation"
[ "$(json_get "$j" 'j["time_mode"]')" = real ] || fail "not real time"
[ "$(json_get "$j" 'j["totals"]["rx_pkts"]')" -eq 46 ] || fail "rx_pkts: $(json_get "$j" 'j["totals"]["rx_pkts"]'), expected 46"
[ "$(json_get "$j" 'j["totals"]["fwd_pkts"]')" -eq 46 ] || fail "fwd_pkts"
[ "$(json_get "$j" 'j["totals"]["drops"]')" -eq 0 ] || fail "drops: $(json_get "$j" 'j["totals"]["drop_reasons"]')"

# Frames out == frames routed, per port: 20 WRITE packets of each exchange to
# the responder, the 3 ACKs of each back to their requester.
na=$(pcap_count "$work/a.pcap")
nb=$(pcap_count "$work/b.pcap")
nr=$(pcap_count "$work/r.pcap")
echo "frames out: a $na, b $nb, r $nr"
if [ "$na" -ne 3 ] || [ "$nb" -ne 3 ] || [ "$nr" -ne 40 ]; then
	fail "frames out a $na b $nb r $nr, expected 3 3 40"
fi
for p in 0:a:$na 1:b:$nb 2:r:$nr; do
	IFS=: read -r id name n <<<"$p"
	got=$(json_get "$j" "j['ports'][$id]['tx_pkts']")
	[ "$got" -eq "$n" ] || fail "port $name: tx_pkts $got, but $n frames in its tx_pcap"
done
[ "$(json_get "$j" 'j["totals"]["tx_pkts"]')" -eq $((na + nb + nr)) ] || fail "totals.tx_pkts"

# The output decodes as valid RoCEv2, with the right addresses and TTLs.
"$trace" decode --check --quiet "$work/a.pcap" "$work/b.pcap" "$work/r.pcap" ||
	fail "rocefab-trace decode --check"
out=$("$py" "$src/tests/vectors/roce_ref.py" verify "$work/a.pcap" "$work/b.pcap" "$work/r.pcap")
[ "$out" = "46 RoCEv2 frames, 0 bad ICRC" ] || fail "roce_ref: $out"
bad=$("$py" - "$src/tests/vectors" "$work/r.pcap" <<'EOF'
import sys
sys.path.insert(0, sys.argv[1])
from roce_ref import read_pcap, _l3_offset
for n, (_, f) in enumerate(read_pcap(sys.argv[2]), 1):
    l3, et = _l3_offset(f)
    ttl = f[l3 + 8] if et == 0x0800 else f[l3 + 7]
    if f[0:6] != bytes.fromhex("020000000102") or ttl != 63:
        print(f"r.pcap frame {n}: dst {f[0:6].hex()} ttl {ttl}")
EOF
)
[ -z "$bad" ] || fail "$bad"
echo "1 passed, 0 failed"
