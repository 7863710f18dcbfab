# shellcheck shell=bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 rocefab authors
#
# Helpers sourced by the tests in which two rocefab-gen processes run the
# two ranks of a 1 MB ring all-reduce through one rocefab-switch process
# (test_gen_ports.sh over af_packet, test_gen_memif.sh over memif). Not a
# test of its own. The sourcing script sets gen, switch and src first, and
# may define pair_cleanup_more (links and namespaces to remove).
# shellcheck disable=SC2154,SC2034

py=/usr/bin/python3
cfg="$src/tests/integration/rocefab-gen"
work=$(mktemp -d)
pids=()

pair_cleanup() {
	local p
	for p in "${pids[@]}"; do
		if kill -0 "$p" 2>/dev/null; then
			kill "$p" 2>/dev/null || true
			wait "$p" 2>/dev/null || true
		fi
	done
	if declare -F pair_cleanup_more >/dev/null; then
		pair_cleanup_more
	fi
	rm -rf "$work"
}
trap pair_cleanup EXIT

fail() {
	echo "FAIL: $*" >&2
	for f in sw.out sw.err g0.out g0.err g1.out g1.err; do
		[ -s "$work/$f" ] && { echo "--- $f" >&2; tail -30 "$work/$f" >&2; }
	done
	exit 1
}

# Each DPDK process on its own: no hugepages, no shared runtime directory.
eal() { # FILE_PREFIX MB
	echo --no-huge --no-pci --no-shconf --no-telemetry -m "$2" -l 0 --file-prefix "$1" \
		'--log-level=*:warning'
}

# pair_switch_started PID WHAT PATTERN: wait for the switch to say it runs.
# If it exits first with an error matching PATTERN (the PMD missing from
# this DPDK), the test is skipped (77), naming WHAT.
pair_switch_started() {
	local _
	for _ in $(seq 200); do
		grep -q "ports, real time" "$work/sw.out" && return 0
		if ! kill -0 "$1" 2>/dev/null; then
			if grep -qi "$3" "$work/sw.err"; then
				echo "SKIP: $2 unavailable: $(head -3 "$work/sw.err")"
				exit 77
			fi
			fail "the switch exited"
		fi
		sleep 0.1
	done
	fail "the switch did not start"
}

# pair_exchange SWITCH_PID "G0_ARGS" "G1_ARGS": run the sourcing script's
# run_gen with each word list (its first word the host, g0 or g1) at once,
# expect both to exit 0, then stop the switch and expect it to exit 0.
pair_exchange() {
	local sw=$1 a0 a1 g0 g1 rc0=0 rc1=0 rc=0

	read -r -a a0 <<<"$2"
	read -r -a a1 <<<"$3"
	run_gen "${a0[@]}" &
	g0=$!
	pids+=("$g0")
	run_gen "${a1[@]}" &
	g1=$!
	pids+=("$g1")
	wait "$g0" || rc0=$?
	wait "$g1" || rc1=$?
	[ "$rc0" -eq 0 ] || fail "generator g0 exited $rc0"
	[ "$rc1" -eq 0 ] || fail "generator g1 exited $rc1"
	kill -TERM "$sw"
	wait "$sw" || rc=$?
	[ "$rc" -eq 0 ] || fail "the switch exited $rc"
}

# pair_check_outputs: both generators finished the job; each rank received
# 2(n-1)/n x S bytes, all of them sound; the switch forwarded at least the
# data frames.
pair_check_outputs() {
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
}
