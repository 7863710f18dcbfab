#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 rocefab authors
#
# Two rocefab-gen processes run the two ranks of a 1 MB ring all-reduce
# through one rocefab-switch process, each on af_packet over a veth pair,
# in real time, from one shared configuration (--local picks each one's host):
#
#   gen g0 [net_af_packet0] ga0 == sa0 [net_af_packet0] switch [net_af_packet1] sa1 == ga1 [net_af_packet1] gen g1
#
# Each process (both generators and the switch) runs in a network namespace
# of its own: DPDK 22.11's af_packet joins a PACKET_FANOUT group numbered
# (pid ^ ifindex) & 0xffff, and processes started together on consecutive
# veths would collide on it in one namespace (the PMD then fails with
# EINVAL), with each other or with another test's.
#
# Asserts completion and bytes only (no timing): both generators exit 0,
# their summary.json says the job is done, each rank received 2(n-1)/n x S
# bytes with no bad ICRC or payload, and the switch forwarded at least the
# data frames. Then one generator alone is stopped by SIGTERM: exit 0,
# outputs written, the job not done. Needs CAP_NET_ADMIN for the veth pairs; skipped (exit 77)
# without it or without af_packet.
#
#   test_gen_ports.sh ROCEFAB_GEN ROCEFAB_SWITCH SOURCE_DIR
set -euo pipefail

gen=$1
switch=$2
src=$3
tag="rgp$$"
ga0=${tag}g0 sa0=${tag}s0 ga1=${tag}g1 sa1=${tag}s1 ns0=${tag}n0 ns1=${tag}n1 nsw=${tag}sw
pair_cleanup_more() {
	ip netns del "$ns0" 2>/dev/null || true
	ip netns del "$ns1" 2>/dev/null || true
	ip netns del "$nsw" 2>/dev/null || true
	ip link del "$sa0" 2>/dev/null || true
	ip link del "$sa1" 2>/dev/null || true
	ip link del "$ga1" 2>/dev/null || true
}
. "$src/tests/integration/test_gen_pair_common.sh"

if ! ip link add "$ga0" type veth peer name "$sa0" 2>/dev/null ||
		! ip netns add "$ns0" 2>/dev/null; then
	echo "SKIP: cannot create veth pairs and network namespaces (needs CAP_NET_ADMIN)"
	exit 77
fi
ip netns add "$ns1"
ip netns add "$nsw"
ip link add "$ga1" type veth peer name "$sa1"
ip link set "$ga0" netns "$ns0"
ip link set "$ga1" netns "$ns1"
ip link set "$sa0" netns "$nsw"
ip link set "$sa1" netns "$nsw"
for x in "$ns0:$ga0" "$nsw:$sa0" "$ns1:$ga1" "$nsw:$sa1"; do
	ns=${x%%:*} i=${x#*:}
	# No IPv6 autoconfiguration chatter on the test links.
	ip netns exec "$ns" sh -c "[ ! -w /proc/sys/net/ipv6/conf/$i/disable_ipv6 ] ||
		echo 1 > /proc/sys/net/ipv6/conf/$i/disable_ipv6"
	ip netns exec "$ns" ip link set "$i" up
done

read -r -a eal_sw <<<"$(eal "${tag}sw" 512)"
ip netns exec "$nsw" "$switch" "${eal_sw[@]}" --vdev "net_af_packet0,iface=$sa0" --vdev "net_af_packet1,iface=$sa1" \
	-- --config "$cfg/pair-switch.yaml" --duration 100 --out "$work/sw" \
	>"$work/sw.out" 2>"$work/sw.err" &
sw=$!
pids+=("$sw")
# af_packet itself may be missing from the DPDK build.
pair_switch_started "$sw" af_packet 'af_packet\|vdev\|driver'

run_gen() { # HOST PORT IFACE NETNS
	local e
	read -r -a e <<<"$(eal "${tag}$1" 256)"
	ip netns exec "$4" "$gen" "${e[@]}" --vdev "$2,iface=$3" -- --config "$cfg/pair-afpacket.yaml" --local "$1" \
		--out "$work/$1" --duration 60s --linger 1s >"$work/$1.out" 2>"$work/$1.err"
}
pair_exchange "$sw" "g0 net_af_packet0 $ga0 $ns0" "g1 net_af_packet1 $ga1 $ns1"
cat "$work/g0.out"
pair_check_outputs

# Alone (the peer gone): SIGTERM stops it cleanly, outputs written, job not done.
read -r -a e <<<"$(eal "${tag}g0b" 256)"
ip netns exec "$ns0" "$gen" "${e[@]}" --vdev "net_af_packet0,iface=$ga0" -- --config "$cfg/pair-afpacket.yaml" \
	--local g0 --out "$work/alone" >"$work/alone.out" 2>"$work/alone.err" &
alone=$!
pids+=("$alone")
for _ in $(seq 100); do
	grep -q "real time, ports" "$work/alone.out" && break
	sleep 0.1
done
sleep 0.5
kill -TERM "$alone"
rc=0
wait "$alone" || rc=$?
[ "$rc" -eq 0 ] || fail "SIGTERM: exit $rc: $(cat "$work/alone.err")"
grep -q "rocefab-gen: stopped after" "$work/alone.out" || fail "SIGTERM: $(cat "$work/alone.out")"
"$py" -c 'import json, sys
j = json.load(open(sys.argv[1]))
assert j["done"] is False and j["jobs"][0]["done"] is False, "done without a peer"
h = j["hosts"][0]
assert h["local"] is True and h["rx_data_bytes"] == 0, h' "$work/alone/summary.json" ||
	fail "SIGTERM summary"
echo "1 passed, 0 failed"
