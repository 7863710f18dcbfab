#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 rocefab authors
#
# End to end for the wire formats: the committed sample traces are exactly
# what rocefab-trace writes today; every RoCEv2 ICRC in them is accepted by
# the independent zlib reference; tshark finds no malformed frame in them;
# and the malformed catalogue is survived, each frame under its own reason.
set -euo pipefail

trace=$1
src=$2
py=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$trace" samples "$work" >/dev/null
for f in "$src"/pcaps/*.pcap; do
	cmp -s "$f" "$work/$(basename "$f")" ||
		fail "$(basename "$f") differs from what rocefab-trace writes (regenerate pcaps/, see pcaps/README.md)"
done
[ "$(ls "$work"/*.pcap | wc -l)" -eq "$(ls "$src"/pcaps/*.pcap | wc -l)" ] || fail "pcaps/ is missing a sample"

# Independent ICRC check over every RoCEv2 frame (IPv4 and IPv6).
out=$("$py" "$src/tests/vectors/roce_ref.py" verify "$src"/pcaps/roce-*.pcap)
echo "$out"
[[ "$out" == "55 RoCEv2 frames, 0 bad ICRC" ]] || fail "roce_ref: $out"

# Our own decoder agrees and finds nothing malformed.
"$trace" decode --check --quiet "$src"/pcaps/*.pcap || fail "rocefab-trace decode --check"

# tshark: no malformed frame, and it sees what we wrote.
if command -v tshark >/dev/null; then
	for f in "$src"/pcaps/*.pcap; do
		n=$(tshark -r "$f" -Y _ws.malformed 2>/dev/null | wc -l)
		[ "$n" -eq 0 ] || fail "tshark: $n malformed frames in $(basename "$f")"
	done
	ops=$(tshark -r "$src/pcaps/roce-gbn-cnp.pcap" -T fields -e infiniband.bth.opcode 2>/dev/null | tr '\n' ' ')
	[[ "$ops" == "6 7 7 17 7 7 8 129 17 " ]] || fail "tshark BTH opcodes: '$ops'"
	psn=$(tshark -r "$src/pcaps/roce-gbn-cnp.pcap" -T fields -e infiniband.bth.psn 2>/dev/null | tr '\n' ' ')
	[[ "$psn" == "100 101 103 102 102 103 104 0 104 " ]] || fail "tshark PSNs: '$psn'"
	pfc=$(tshark -r "$src/pcaps/pfc-pause.pcap" -T fields -e macc.opcode 2>/dev/null | tr '\n' ' ')
	[[ "$pfc" == "0x0101 0x0101 0x0101 0x0101 0x0001 " ]] || fail "tshark MAC control opcodes: '$pfc'"
else
	echo "tshark not installed: skipping its checks (scripts/setup.sh installs it)"
fi

# The malformed catalogue: every frame accounted for, under its reason.
"$trace" malformed "$work/malformed.pcap" >/dev/null
set +e
summary=$("$trace" decode --check --quiet "$work/malformed.pcap")
rc=$?
set -e
[ $rc -eq 1 ] || fail "decode --check on malformed frames returned $rc, expected 1"
want="roce 30 pfc 2 pause 1 mac_ctrl 1 malformed:trunc_eth 1 malformed:trunc_vlan 1 malformed:vlan_depth 1 malformed:trunc_ipv4 1 malformed:ip_version 1 malformed:ipv4_ihl 1 malformed:ipv4_checksum 1 malformed:ipv4_total_len 1 malformed:fragment 1 malformed:trunc_ipv6 1 malformed:ipv6_payload_len 1 malformed:trunc_udp 1 malformed:udp_len 1 malformed:trunc_bth 1 malformed:bth_opcode 2 malformed:trunc_roce_ext 1 malformed:trunc_mac_ctrl 1 malformed:runt 1; icrc ok 30, bad 0"
[[ "$summary" == *"53 frames: $want"* ]] || fail "malformed summary: $summary"

# A truncated file is an error with a message, not a crash or a hang.
head -c 3000 "$src/pcaps/roce-write-v4.pcap" > "$work/trunc.pcap"
set +e
"$trace" decode "$work/trunc.pcap" >/dev/null 2>"$work/err"
rc=$?
set -e
[ $rc -eq 2 ] || fail "truncated pcap: exit $rc, expected 2"
grep -q "truncated" "$work/err" || fail "truncated pcap: no message"
echo "1 passed, 0 failed"
