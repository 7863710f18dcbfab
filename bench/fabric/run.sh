#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 rocefab authors
#
# bench/fabric: packet-hops per wall second of `rocefab run` (the event loop
# on one core, virtual time) and its peak RSS, for the default scenario
# (docs/examples/incast.yaml) and for a 256-host fabric (8 spines, 16 leaves,
# 16 hosts per leaf, a permutation, balanced by ECMP and again by per-packet
# spraying), beside issue 4's target of 5 M packet-hops/s, and, as the
# baseline, ns-3 (Debian's 3.37, bench/fabric/ns3_fabric.cc) on the 256-host
# fabric with the same pairs, rates, delays and packet size. The default
# scenario runs again without its outputs (incast-bare: no tap, no time
# series), and a floor for its loop is computed from rocefab-bench-gen's
# cost of building and checking a 4 KB data frame and the cheapest
# packet-hop of the fabric256 runs (see floor() below). Prints figures;
# asserts nothing (exit 1 only if a run failed).
#
#   [PGO_BUILD=DIR] [FABRIC_BENCH_ROUNDS=N] bench/fabric/run.sh [BUILD_DIR] [BYTES_PER_HOST]
#
# Each rocefab row is the fastest of N runs (3 by default): this machine's
# phases move single runs by 5% and more.
#
# BUILD_DIR defaults to build/; BYTES_PER_HOST (the 256-host permutation's
# flow size) to 4MB, about 0.8 M packet-hops. With PGO_BUILD, the
# profile-guided build there (scripts/build-pgo.sh) runs each scenario right
# after BUILD_DIR's, in rows marked "-pgo". The ns-3 baseline needs g++ and
# libns3-dev (scripts/setup.sh installs them); without them it is skipped
# with a note.
set -euo pipefail

src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(realpath "${1:-$src/build}")
bytes=${2:-4MB}
rocefab="$build/app/rocefab/rocefab"
pgo=""
target=5.0
rounds=${FABRIC_BENCH_ROUNDS:-3}

case $rounds in
''|*[!0-9]*|0) echo "FABRIC_BENCH_ROUNDS must be a positive integer, not '$rounds'" >&2; exit 2 ;;
esac
[ -x "$rocefab" ] || { echo "rocefab not built: $rocefab" >&2; exit 1; }
if [ -n "${PGO_BUILD:-}" ]; then
	pgo="$(realpath "$PGO_BUILD")/app/rocefab/rocefab"
	[ -x "$pgo" ] || { echo "PGO_BUILD has no rocefab: $pgo (scripts/build-pgo.sh makes it)" >&2; exit 1; }
fi
command -v python3 >/dev/null || { echo "python3 is needed to read summary.json" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat >"$work/fabric256.yaml" <<YAML
scenario:
  name: fabric256
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
    bytes: $bytes
run:
  end: done
  sample_interval: 0
YAML
# The same permutation with the leaves spraying packets over the spines
# (lb-spray, round robin): no hash collisions, so no deep queue; ns-3's
# per-packet random ECMP is the same kind of balancing.
sed -e 's/^  leaf: {}$/  leaf: { lb: { plugin: lb-spray } }/' \
	-e 's/name: fabric256$/name: fabric256-spray/' "$work/fabric256.yaml" >"$work/fabric256-spray.yaml"
grep -q lb-spray "$work/fabric256-spray.yaml" || { echo "cannot make the sprayed scenario" >&2; exit 1; }
# The default scenario without its outputs (no tapped link, no time
# series): what the outputs cost, and what the simulation alone reaches.
sed -e 's/^  sample_interval: .*$/  sample_interval: 0/' -e '/^  tap:$/,$d' \
	-e 's/^  name: incast$/  name: incast-bare/' "$src/docs/examples/incast.yaml" >"$work/incast-bare.yaml"
if grep -q '^  tap:' "$work/incast-bare.yaml" || ! grep -q '^  sample_interval: 0$' "$work/incast-bare.yaml"; then
	echo "cannot make the default scenario without outputs" >&2
	exit 1
fi

# measure NAME FILE [BINARY]: $rounds runs (held to CPU $pin when set); prints a row
# of the table from the fastest loop, and leaves that run's directory as $work/NAME.
measure() {
	local name=$1 file=$2 rocefab=${3:-$rocefab} r out t0 t1 rss runs=()

	for r in $(seq "$rounds"); do
		out="$work/$name.r$r"
		rss=0
		t0=$(date +%s.%N)
		if [ -x /usr/bin/time ]; then
			/usr/bin/time -v -o "$work/$name.time" ${pin:+taskset -c "$pin"} "$rocefab" run "$file" \
				--out "$out" --quiet \
				2>"$work/$name.err" || { cat "$work/$name.err" >&2; return 1; }
			rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/$name.time")
		else
			${pin:+taskset -c "$pin"} "$rocefab" run "$file" --out "$out" --quiet 2>"$work/$name.err" ||
				{ cat "$work/$name.err" >&2; return 1; }
		fi
		t1=$(date +%s.%N)
		runs+=("$out" "$t0" "$t1" "${rss:-0}")
	done
	python3 - "$name" "$work" "$target" "${runs[@]}" <<'PY'
import json, os, sys
name, work, target = sys.argv[1], sys.argv[2], float(sys.argv[3])
a = sys.argv[4:]
runs = [(json.load(open(os.path.join(d, "summary.json"))), float(t1) - float(t0), int(rss))
        for d, t0, t1, rss in zip(a[0::4], a[1::4], a[2::4], a[3::4])]
best = min(range(len(runs)), key=lambda i: runs[i][0]["wall_time_s"])
s = runs[best][0]
hops = s["packet_hops"]
if any(r[0]["packet_hops"] != hops for r in runs):
    sys.exit("%s: the runs disagree on packet_hops" % name)
rates = [hops / r[0]["wall_time_s"] / 1e6 if r[0]["wall_time_s"] > 0 else float("inf") for r in runs]
process = min(r[1] for r in runs)
rss_kb = max(r[2] for r in runs)
maxq = max(max(p["max_queue_bytes"]) for sw in s["switches"] for p in sw["ports"])
os.rename(a[4 * best], os.path.join(work, name))
print("%-19s %5d %4d %12d %9.3f %9.3f %10.2f %7.2f %10.2f %8.2f %9s %7.1f  %s" % (
    name, len(s["hosts"]), len(s["switches"]), hops, s["wall_time_s"], process, max(rates),
    min(rates), hops / process / 1e6, maxq / 1e6,
    "%.0f" % (rss_kb / 1024) if rss_kb > 0 else "n/a", target,
    "met" if max(rates) >= target else "not met"))
PY
}

echo "rocefab run, the event loop on one core, virtual time ($(nproc) CPUs here; $rocefab${pgo:+; -pgo: $pgo})"
echo "a second thread writes taps and time series (incast only); -1cpu: the whole process held to one CPU"
echo "loop_s: the event loop (summary.json wall_time_s); process_s: the whole command, EAL set-up included;"
echo "maxq_MB: the deepest queue any switch port reached"
echo "each row: the fastest loop of $rounds runs (FABRIC_BENCH_ROUNDS); worst: the slowest run's loop rate"
printf '%-19s %5s %4s %12s %9s %9s %10s %7s %10s %8s %9s %7s  %s\n' scenario hosts sw packet_hops \
	loop_s process_s Mhops/s worst Mhops/s_pr maxq_MB rss_MB target "(loop rate)"
# ns3 NAME: the baseline on the pairs and flow size of rocefab's run NAME.
ns3() {
	local name=$1 exe="$work/ns3_fabric" t0 t1 rss=0 line
	local mods="ns3-core ns3-network ns3-internet ns3-point-to-point ns3-applications ns3-traffic-control"

	if ! command -v g++ >/dev/null || ! pkg-config --exists $mods 2>/dev/null; then
		echo "ns-3 baseline skipped: it needs g++ and libns3-dev (scripts/setup.sh installs them)"
		return 0
	fi
	# shellcheck disable=SC2046
	g++ -O2 -std=c++17 -o "$exe" "$src/bench/fabric/ns3_fabric.cc" $(pkg-config --cflags --libs $mods) ||
		{ echo "ns-3 baseline: build failed" >&2; return 1; }
	# Host h<leaf>_<i> is (leaf-1)*16+i-1 in ns3_fabric.cc's numbering.
	python3 - "$work/$name/flows.csv" >"$work/pairs" <<'PY' || return 1
import csv, sys
for r in csv.DictReader(open(sys.argv[1])):
    idx = [(int(l) - 1) * 16 + int(i) - 1 for l, i in (r[k][1:].split("_") for k in ("src", "dst"))]
    print(*idx)
PY
	bytes_each=$(python3 -c 'import csv, sys; print(next(csv.DictReader(open(sys.argv[1])))["bytes"])' \
		"$work/$name/flows.csv")
	t0=$(date +%s.%N)
	if [ -x /usr/bin/time ]; then
		line=$(/usr/bin/time -v -o "$work/ns3.time" "$exe" --pairs="$work/pairs" \
			--bytes="$bytes_each") || return 1
		rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/ns3.time")
	else
		line=$("$exe" --pairs="$work/pairs" --bytes="$bytes_each") || return 1
	fi
	t1=$(date +%s.%N)
	python3 - "$line" "$t0" "$t1" "$rss" "$work/$name/summary.json" <<'PY'
import json, sys
f = sys.argv[1].split()
v = dict(zip(f[1::2], f[2::2]))
hops, loop = int(v["packet_hops"]), float(v["loop_s"])
process = float(sys.argv[3]) - float(sys.argv[2])
rss = int(sys.argv[4])
s = json.load(open(sys.argv[5]))
print("%-19s %5d %4d %12d %9.3f %9.3f %10.3f %10.3f %8s %9s" % (
    "ns-3", 256, 24, hops, loop, process, hops / loop / 1e6, hops / process / 1e6, "-",
    "%.0f" % (rss / 1024) if rss > 0 else "n/a"))
print("ns-3 delivered %s of %s packets" % (v["delivered"], v["sent"]))
print("rocefab / ns-3 (loop rate, %s): %.1f x" % (
    s["scenario"], (s["packet_hops"] / s["wall_time_s"]) / (hops / loop)))
PY
}

# floor: why the default scenario's loop cannot reach the target, from
# figures measured here: rocefab-bench-gen building and checking a 4 KB
# RoCE data frame (what each of the scenario's data frames needs at its two
# ends: headers, payload pattern, ICRC; parse, ICRC, pattern), with hot
# caches and no fabric; the scenario's outputs (incast minus incast-bare);
# and the cheapest packet-hop of any run above (the sprayed fabric:
# switching, links, loop and hosts that only send and sink). The default
# scenario's hops cost at least that much: its switches also run PFC, ECN
# and dynamic buffer thresholds, its hosts RC queue pairs and DCQCN.
floor() {
	local gen="$build/bench/rocefab-bench-gen" cpu line simd=()

	if [ ! -x "$gen" ]; then
		echo "floor skipped: $gen not built"
		return 0
	fi
	cpu=$(taskset -pc $$ 2>/dev/null | awk -F': ' '{ split($2, a, /[,-]/); print a[1] }')
	grep -qw avx512f /proc/cpuinfo && simd=(--force-max-simd-bitwidth=512)
	line=$("$gen" -l "${cpu:-0}" --no-huge --no-pci --no-shconf -m 1024 --file-prefix "rocefab-floor-$$" \
		--log-level='*:warning' "${simd[@]}" --vdev net_null0,no-rx=1 -- \
		--payload 4096 --seconds 2 --verify 1 2>"$work/floor.err" | grep '^gen ') ||
		{ echo "floor: rocefab-bench-gen failed" >&2; cat "$work/floor.err" >&2; return 1; }
	python3 - "$line" "$work" "$target" <<'PY'
import glob, json, os, sys
line, work, target = sys.argv[1], sys.argv[2], float(sys.argv[3])
v = dict(kv.split("=", 1) for kv in line.split()[1:])
if int(v["bad"]) != 0 or int(v["verified"]) == 0:
    sys.exit("floor: rocefab-bench-gen checked %s frames, %s bad" % (v["verified"], v["bad"]))
frame_ns = 1e9 / float(v["pps"])
hop_ns = min(json.load(open(p))["wall_time_s"] / json.load(open(p))["packet_hops"] * 1e9
             for p in glob.glob(os.path.join(work, "*", "summary.json"))
             if os.path.basename(os.path.dirname(p)).startswith("fabric256"))
s = json.load(open(os.path.join(work, "incast", "summary.json")))
frames = sum(h.get("tx_data_pkts", 0) for h in s["hosts"])
hops = s["packet_hops"]
budget = hops / target * 1e3
# The outputs' cost, per build (a single run of each moves with the
# machine's phases): the smaller difference counts.
outputs = None
for suffix in ("", "-pgo"):
    full, bare = (os.path.join(work, n + suffix, "summary.json") for n in ("incast", "incast-bare"))
    if os.path.exists(full) and os.path.exists(bare):
        d = max(json.load(open(full))["wall_time_s"] - json.load(open(bare))["wall_time_s"], 0) * 1e9
        outputs = d if outputs is None else min(outputs, d)
def ms(ns):
    return "%.2f ms" % (ns / 1e6)
print()
print("floor of the default scenario (%d packet-hops, %d data frames of 4 KB):" % (hops, frames))
print("  %.1f M packet-hops/s allows its loop %s" % (target, ms(budget)))
print("  its data frames built and checked: %d x %.0f ns = %s (rocefab-bench-gen --verify 1, crc=%s, hot caches)" % (
    frames, frame_ns, ms(frames * frame_ns), v["crc"]))
if outputs is not None:
    print("  its tap and time series: %s (loop of incast minus loop of incast-bare, the smaller of the builds)" % ms(outputs))
left = budget - frames * frame_ns - (outputs or 0)
print("  left for everything else: %s, %.0f ns per packet-hop; the cheapest packet-hop of the runs above: %.0f ns" % (
    ms(left), left / hops, hop_ns))
bound = frames * frame_ns + (outputs or 0) + hops * hop_ns
print("  so at most %.2f M packet-hops/s; target %.1f: %s" % (
    hops / bound * 1e3, target, "reachable" if hops / bound * 1e3 >= target else "out of reach"))
PY
}

rc=0
# pin: a CPU to hold the whole process to (taskset), for the -1cpu row.
pin=""
measure incast "$src/docs/examples/incast.yaml" || rc=1
if command -v taskset >/dev/null; then
	pin=$(taskset -pc $$ | awk -F': ' '{ split($2, a, /[,-]/); print a[1] }')
	measure incast-1cpu "$src/docs/examples/incast.yaml" || rc=1
	pin=""
fi
[ -z "$pgo" ] || measure incast-pgo "$src/docs/examples/incast.yaml" "$pgo" || rc=1
measure incast-bare "$work/incast-bare.yaml" || rc=1
[ -z "$pgo" ] || measure incast-bare-pgo "$work/incast-bare.yaml" "$pgo" || rc=1
measure fabric256 "$work/fabric256.yaml" || rc=1
[ -z "$pgo" ] || measure fabric256-pgo "$work/fabric256.yaml" "$pgo" || rc=1
measure fabric256-spray "$work/fabric256-spray.yaml" || rc=1
[ -z "$pgo" ] || measure fabric256-spray-pgo "$work/fabric256-spray.yaml" "$pgo" || rc=1
floor || rc=1
echo
echo "baseline: ns-3 $(pkg-config --modversion ns3-core 2>/dev/null || echo '(absent)'), the fabric256" \
	"topology, pairs and packets (point-to-point links, FIFO queues, UDP, per-packet ECMP)"
ns3 fabric256-spray || rc=1
exit $rc
