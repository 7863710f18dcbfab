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
py=/usr/bin/python3
cfg="$src/tests/integration/rocefab-gen"
work=$(mktemp -d)
tag="rgp$$"
ga0=${tag}g0 sa0=${tag}s0 ga1=${tag}g1 sa1=${tag}s1 ns0=${tag}n0 ns1=${tag}n1 nsw=${tag}sw
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do
		if kill -0 "$p" 2>/dev/null; then
			kill "$p" 2>/dev/null || true
			wait "$p" 2>/dev/null || true
		fi
	done
	ip netns del "$ns0" 2>/dev/null || true
	ip netns del "$ns1" 2>/dev/null || true
	ip netns del "$nsw" 2>/dev/null || true
	ip link del "$sa0" 2>/dev/null || true
	ip link del "$sa1" 2>/dev/null || true
	ip link del "$ga1" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*" >&2
	for f in sw.out sw.err g0.out g0.err g1.out g1.err; do
		[ -s "$work/$f" ] && { echo "--- $f" >&2; tail -30 "$work/$f" >&2; }
	done
	exit 1
}

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

# Each DPDK process on its own: no hugepages, no shared runtime directory.
eal() { # FILE_PREFIX MB
	echo --no-huge --no-pci --no-shconf --no-telemetry -m "$2" -l 0 --file-prefix "$1" \
		'--log-level=*:warning'
}
read -r -a eal_sw <<<"$(eal "${tag}sw" 512)"
ip netns exec "$nsw" "$switch" "${eal_sw[@]}" --vdev "net_af_packet0,iface=$sa0" --vdev "net_af_packet1,iface=$sa1" \
	-- --config "$cfg/pair-switch.yaml" --duration 100 --out "$work/sw" \
	>"$work/sw.out" 2>"$work/sw.err" &
sw=$!
pids+=("$sw")
for _ in $(seq 200); do
	grep -q "ports, real time" "$work/sw.out" && break
	if ! kill -0 "$sw" 2>/dev/null; then
		# af_packet itself may be missing from the DPDK build.
		if grep -q -i "af_packet\|vdev\|driver" "$work/sw.err"; then
			echo "SKIP: af_packet unavailable: $(head -3 "$work/sw.err")"
			exit 77
		fi
		fail "the switch exited"
	fi
	sleep 0.1
done
grep -q "ports, real time" "$work/sw.out" || fail "the switch did not start"

run_gen() { # HOST PORT IFACE NETNS
	local e
	read -r -a e <<<"$(eal "${tag}$1" 256)"
	ip netns exec "$4" "$gen" "${e[@]}" --vdev "$2,iface=$3" -- --config "$cfg/pair-afpacket.yaml" --local "$1" \
		--out "$work/$1" --duration 60s --linger 1s >"$work/$1.out" 2>"$work/$1.err"
}
run_gen g0 net_af_packet0 "$ga0" "$ns0" &
g0=$!
pids+=("$g0")
run_gen g1 net_af_packet1 "$ga1" "$ns1" &
g1=$!
pids+=("$g1")
rc0=0 rc1=0
wait "$g0" || rc0=$?
wait "$g1" || rc1=$?
[ "$rc0" -eq 0 ] || fail "generator g0 exited $rc0"
[ "$rc1" -eq 0 ] || fail "generator g1 exited $rc1"
kill -TERM "$sw"
rc=0
wait "$sw" || rc=$?
[ "$rc" -eq 0 ] || fail "the switch exited $rc"

cat "$work/g0.out"
"$py" - "$work" <<'EOF' || fail "outputs"
import json, sys
work = sys.argv[1]
S, n = 1 << 20, 2
for rank, host in enumerate(("g0", "g1")):
    j = json.load(open(f"{work}/{host}/summary.json"))
    assert j["mode"] == "ports", j["mode"]
    assert j["done"] is True, f"{host}: not done"
    job = j["jobs"][0]
    assert job["done"] is True, f"{host}: job not done"
    # Only the local rank's receivers count.
    want = [0, 0]
    want[rank] = 2 * (n - 1) * S // n
    assert job["rx_bytes"] == want, f"{host}: rx bytes {job['rx_bytes']}, expected {want}"
    h = [x for x in j["hosts"] if x["name"] == host][0]
    other = [x for x in j["hosts"] if x["name"] != host][0]
    assert h["local"] is True and other["local"] is False, f"{host}: local flags"
    assert h["rx_data_bytes"] == want[rank], f"{host}: rx_data_bytes {h['rx_data_bytes']}"
    assert h["tx_data_bytes"] >= 2 * (n - 1) * S // n, f"{host}: tx_data_bytes {h['tx_data_bytes']}"
    assert h["rx_bad_icrc"] == 0 and h["rx_bad_payload"] == 0, f"{host}: bad packets"
    assert h["errors"] == 0, f"{host}: failed messages"
    c = j["collectives"][0]
    assert c["iters"] == 1 and c["wrong"] == 0 and c["time_ns"] > 0, f"{host}: {c}"
    print(f"{host}: rx {h['rx_data_bytes']} bytes, tx {h['tx_data_bytes']} "
          f"({h['retx_pkts']} retransmitted), {c['time_ns'] / 1e3:.0f} us")
sw = json.load(open(f"{work}/sw/switch.json"))
fwd = sum(p["fwd_pkts"] for p in sw["ports"])
assert fwd >= 2 * 1024, f"the switch forwarded {fwd} frames"
print(f"switch: {fwd} frames forwarded")
EOF

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
