#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 rocefab authors
#
# rocefab-gen --write-trace: a 4-rank ring all-reduce of 256 KB (IPv4) and a
# 4-to-1 incast, twice (IPv6), both at RoCE MTU 1024, written as pcap traces.
# Each trace:
#  - every frame is RoCEv2 with the right ICRC by the independent zlib
#    reference (tests/vectors/roce_ref.py) and by rocefab-trace decode;
#  - tshark finds no malformed frame and no error but the IPv6 UDP checksum
#    0 that RoCEv2 allows;
#  - holds exactly the WRITE FIRST/MIDDLE/LAST and ACK frames the jobs make
#    (each transfer's bytes / MTU packets; an ACK every ack_every packets of a
#    message and at its last), in the job's address family, to the sender's
#    gateway MAC;
#  - timestamps never decrease, and each host's frames start at least one
#    wire time apart (its line rate);
#  - summary.json: every job done, the bytes each rank received.
# The same seed writes the same trace twice. rocefab-switch replays the ring
# trace from a pcap port and routes every frame, unchanged but for the hop, to
# its host's port. Then the configuration errors.
#
#   test_gen_trace.sh ROCEFAB_GEN ROCEFAB_TRACE ROCEFAB_SWITCH SOURCE_DIR
set -euo pipefail

gen=$1
trace=$2
switch=$3
src=$4
py=/usr/bin/python3
cfg="$src/tests/integration/rocefab-gen"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# check_trace PCAP CONFIG OUTDIR L3 MTU ACK_EVERY SIZE NRANKS PATTERN ITERS
check_trace() {
	local pcap=$1 n
	out=$("$py" "$src/tests/vectors/roce_ref.py" verify "$pcap")
	n=$("$py" -c 'import sys
sys.path.insert(0, sys.argv[1])
from roce_ref import read_pcap
print(sum(1 for _ in read_pcap(sys.argv[2])))' "$src/tests/vectors" "$pcap")
	[ "$n" -gt 0 ] || fail "$pcap is empty"
	[[ "$out" == "$n RoCEv2 frames, 0 bad ICRC" ]] || fail "roce_ref on $pcap: $out ($n frames)"
	out=$("$trace" decode --check --quiet "$pcap") || fail "rocefab-trace decode --check: $out"
	[[ "$out" == *"$n frames: roce $n; icrc ok $n, bad 0"* ]] || fail "rocefab-trace: $out"
	if command -v tshark >/dev/null; then
		n=$(tshark -r "$pcap" -Y _ws.malformed 2>/dev/null | wc -l)
		[ "$n" -eq 0 ] || fail "tshark: $n malformed frames in $pcap"
		# RoCEv2 over IPv6 sends UDP checksum 0 (the ICRC covers the packet).
		bad=$(tshark -r "$pcap" -Y '_ws.expert.severity >= error' -T fields \
			-e ipv6.version -e _ws.expert.message 2>/dev/null |
			grep -v -P '^6\tIllegal checksum value \(0\)$' || true)
		[ -z "$bad" ] || fail "tshark errors in $pcap: $(echo "$bad" | sort | uniq -c | head)"
		ops=$(tshark -r "$pcap" -T fields -e infiniband.bth.opcode 2>/dev/null | sort -n |
			uniq -c | awk '{printf "%s:%s ", $2, $1}')
		echo "$(basename "$pcap"): tshark BTH opcodes (opcode:count) $ops"
	else
		echo "tshark not installed: skipping its checks"
	fi
	"$py" - "$src/tests/vectors" "$@" <<'EOF' || fail "contents of $pcap"
import json, math, struct, sys
sys.path.insert(0, sys.argv[1])
pcap, cfg, out, l3, mtu, ack_every, size, nranks, pattern, iters = sys.argv[2:12]
l3, mtu, ack_every, size, nranks, iters = (int(l3), int(mtu), int(ack_every), int(size),
                                           int(nranks), int(iters))

def records(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack_from("<I", data, 0)[0]
    assert magic == 0xA1B23C4D, f"not a nanosecond pcap: {magic:#x}"
    assert struct.unpack_from("<I", data, 20)[0] == 1, "linktype is not Ethernet"
    off = 24
    while off < len(data):
        sec, ns, cap, length = struct.unpack_from("<IIII", data, off)
        off += 16
        assert cap == length, "snapped record"
        yield sec * 10**9 + ns, data[off:off + cap]
        off += cap

# The transfers of the job: (messages, packets per message).
if pattern == "ring":      # 2(n-1) steps of S/n per rank
    msgs, per = nranks * 2 * (nranks - 1), size // nranks
elif pattern == "incast":  # every other rank sends S to the root
    msgs, per = nranks - 1, size
msgs *= iters
pkts = math.ceil(per / mtu)
want_ops = {6: msgs, 7: msgs * (pkts - 2), 8: msgs, 17: msgs * math.ceil(pkts / ack_every)}

ops, last, by_src = {}, 0, {}
hosts = {}
import re
for line in open(cfg):
    m = re.search(r"mac: ([0-9a-f:]+), gw_mac: ([0-9a-f:]+), rate: (\d+)G", line)
    if m:
        hosts[bytes.fromhex(m[1].replace(":", ""))] = (bytes.fromhex(m[2].replace(":", "")),
                                                      int(m[3]) * 10**9)
n = 0
for ts, fr in records(pcap):
    n += 1
    assert ts >= last, f"frame {n}: time goes back ({ts} < {last})"
    last = ts
    et = struct.unpack_from("!H", fr, 12)[0]
    assert et == (0x0800 if l3 == 4 else 0x86DD), f"frame {n}: ethertype {et:#x}"
    src = fr[6:12]
    assert src in hosts, f"frame {n}: source MAC {src.hex()} of no host"
    gw, rate = hosts[src]
    assert fr[0:6] == gw, f"frame {n}: not to its sender's gateway"
    # Line rate: a host's next frame starts after the last one's wire time.
    if src in by_src:
        t0, len0 = by_src[src]
        wire_ns = (len0 + 24) * 8 * 10**9 / rate
        assert ts - t0 >= wire_ns - 1, f"frame {n}: {ts - t0} ns after its host's last ({wire_ns:.1f})"
    by_src[src] = (ts, len(fr))
    bth = 14 + (20 if l3 == 4 else 40) + 8
    ops[fr[bth]] = ops.get(fr[bth], 0) + 1
assert ops == want_ops, f"opcodes {ops}, expected {want_ops}"

j = json.load(open(out + "/summary.json"))
assert j["done"] is True and all(x["done"] for x in j["jobs"]), "jobs not done"
rx = j["jobs"][0]["rx_bytes"]
if pattern == "ring":
    want = [2 * (nranks - 1) * size // nranks * iters] * nranks
else:
    want = [(nranks - 1) * size * iters] + [0] * (nranks - 1)
assert rx == want, f"rx bytes per rank {rx}, expected {want}"
assert sum(h["tx_frames"] for h in j["hosts"]) == n, "frames sent != frames in the trace"
assert all(h["retx_pkts"] == 0 and h["rx_bad_icrc"] == 0 and h["rx_bad_payload"] == 0
           for h in j["hosts"]), "retransmissions or bad packets on an ideal crossbar"
c = j["collectives"][0]
assert c["iters"] == iters and c["wrong"] == 0 and c["time_ns"] > 0, f"collective {c}"
print(f"{n} frames: opcodes {dict(sorted(ops.items()))}, rx bytes {rx}")
EOF
}

# IPv4 ring all-reduce.
"$gen" -- --config "$cfg/ring4-v4.yaml" --write-trace "$work/ring.pcap" --out "$work/ring" \
	>"$work/ring.txt" || fail "ring: exit $?: $(cat "$work/ring.txt")"
grep -q "Avg bus bandwidth" "$work/ring.txt" || fail "no nccl-tests table"
check_trace "$work/ring.pcap" "$cfg/ring4-v4.yaml" "$work/ring" 4 1024 16 262144 4 ring 1

# IPv6 incast, two iterations, an ACK every 8 packets.
"$gen" -- --config "$cfg/incast-v6.yaml" --write-trace "$work/incast.pcap" --out "$work/incast" \
	--quiet >"$work/incast.txt" || fail "incast: exit $?"
[ ! -s "$work/incast.txt" ] || fail "--quiet printed: $(cat "$work/incast.txt")"
check_trace "$work/incast.pcap" "$cfg/incast-v6.yaml" "$work/incast" 6 1024 8 102400 5 incast 2

# One seed, one trace; the crossbar delay moves arrivals, hence the ACKs' times.
"$gen" -- --config "$cfg/ring4-v4.yaml" --write-trace "$work/ring2.pcap" -q ||
	fail "second ring"
cmp -s "$work/ring.pcap" "$work/ring2.pcap" || fail "two runs with one seed differ"
"$gen" -- --config "$cfg/ring4-v4.yaml" --write-trace "$work/ring3.pcap" -q --trace-delay 5us ||
	fail "ring with --trace-delay"
! cmp -s "$work/ring.pcap" "$work/ring3.pcap" || fail "--trace-delay changed nothing"
csv=$(sed -n 2p "$work/ring/collectives.csv")
[[ "$csv" == ar,all_reduce,4,262144,65536,float,sum,-1,1,* ]] || fail "collectives.csv: $csv"

# The trace replayed by rocefab-switch (virtual time, pcap ports): each frame
# goes out of its destination's port, in order, TTL 63, ICRC still right.
{
	echo "switch: { name: replay }"
	echo "ports:"
	echo "  - { name: in, rate: 400G, pcap: { rx: $work/ring.pcap } }"
	for i in 0 1 2 3; do
		echo "  - { name: h$i, pcap: { tx: $work/h$i.pcap }, peer: { mac: 02:00:00:00:00:0$((i + 1)) } }"
	done
	echo "routes:"
	for i in 0 1 2 3; do
		echo "  - { prefix: 10.0.0.$((i + 1))/32, via: { port: h$i } }"
	done
} >"$work/replay.yaml"
"$switch" --no-huge --no-pci --no-shconf --no-telemetry -m 512 -l 0 '--log-level=*:warning' \
	-- --config "$work/replay.yaml" --out "$work/replay" >"$work/replay.txt" 2>&1 ||
	fail "replay: $(cat "$work/replay.txt")"
"$py" - "$src/tests/vectors" "$work" <<'EOF' || fail "replay through rocefab-switch"
import json, sys
sys.path.insert(0, sys.argv[1])
from roce_ref import read_pcap, icrc, stored_icrc
work = sys.argv[2]
frames = [f for _, f in read_pcap(f"{work}/ring.pcap")]
for i in range(4):
    want = [f for f in frames if f[30:34] == bytes([10, 0, 0, i + 1])]
    got = [f for _, f in read_pcap(f"{work}/h{i}.pcap")]
    assert len(got) == len(want) == 408, f"h{i}: {len(got)} frames out, {len(want)} for it"
    for g, f in zip(got, want):
        assert g[0:6] == bytes([2, 0, 0, 0, 0, i + 1]) and g[22] == 63, "next hop, TTL"
        assert g[26:] == f[26:] and icrc(g) == stored_icrc(g), "addresses, payload or ICRC"
j = json.load(open(f"{work}/replay/switch.json"))
assert j["totals"]["drops"] == 0 and j["totals"]["rx_pkts"] == len(frames), j["totals"]
print(f"replay: {len(frames)} frames routed to their hosts")
EOF

# --duration stops virtual time: fewer frames, the job not done, exit 0.
"$gen" -- --config "$cfg/ring4-v4.yaml" --write-trace "$work/short.pcap" -q --duration 5us \
	--out "$work/short" || fail "--duration: exit $?"
[ "$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["done"])' \
	"$work/short/summary.json")" = False ] || fail "--duration 5us finished the job"

# Errors: FILE:LINE:COL and exit 1 for the configuration, exit 2 for usage.
expect_err() { # RC PATTERN ARGS...
	local want=$1 pat=$2 rc=0
	shift 2
	"$gen" -- "$@" >"$work/err.out" 2>"$work/err.txt" || rc=$?
	[ "$rc" -eq "$want" ] || fail "$*: exit $rc, expected $want: $(cat "$work/err.txt")"
	grep -q -e "$pat" "$work/err.txt" || fail "$*: message: $(cat "$work/err.txt")"
}
sed 's/hosts: \[g0, g1, g2, g3\]/hosts: [g0, g1, g2, g9]/' "$cfg/ring4-v4.yaml" >"$work/b1.yaml"
expect_err 1 "b1.yaml:12:.*: error: jobs\[0\].hosts\[3\]: unknown host 'g9'" \
	--config "$work/b1.yaml" --write-trace "$work/x.pcap"
sed 's/rate: 100G }/rate: 100G, colour: red }/' "$cfg/ring4-v4.yaml" >"$work/b2.yaml"
expect_err 1 "b2.yaml:4:.*unknown key 'colour'" --config "$work/b2.yaml" --write-trace "$work/x.pcap"
printf 'hosts: [\n' >"$work/b3.yaml"
expect_err 1 "b3.yaml:2:1: error" --config "$work/b3.yaml" --write-trace "$work/x.pcap"
sed 's/mtu: 1024/mtu: 1000/' "$cfg/ring4-v4.yaml" >"$work/b4.yaml"
expect_err 1 "b4.yaml:8:6: error: mtu: the RoCE MTU is 256" --config "$work/b4.yaml" \
	--write-trace "$work/x.pcap"
sed 's/ip: 10.0.0.4/ip: "2001:db8::4"/' "$cfg/ring4-v4.yaml" >"$work/b5.yaml"
expect_err 1 "different address families" --config "$work/b5.yaml" --write-trace "$work/x.pcap"
# Ports mode: a port the EAL did not create; a --local host without a port.
sed '0,/rate: 100G }/s//rate: 100G, port: net_nope0 }/' "$cfg/ring4-v4.yaml" >"$work/p.yaml"
expect_err 1 "p.yaml:4:5: error: host g0: .*no DPDK device named 'net_nope0'" --config "$work/p.yaml"
expect_err 1 "host g1 has no port" --config "$work/p.yaml" --local g1
expect_err 2 "no host 'gx'" --config "$work/p.yaml" --local gx
expect_err 1 "no local host" --config "$cfg/ring4-v4.yaml"
expect_err 2 "config FILE is required"
expect_err 2 "unrecognized option" --config "$cfg/ring4-v4.yaml" --bogus
expect_err 2 "not a duration" --config "$cfg/ring4-v4.yaml" --duration 5
"$gen" -- --help | grep -q -- "--write-trace FILE" || fail "--help"
echo "1 passed, 0 failed"
