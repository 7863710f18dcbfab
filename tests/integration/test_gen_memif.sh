#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 rocefab authors
#
# Two rocefab-gen processes exchange a 1 MB all-reduce (2 ranks) through one
# rocefab-switch process over memif: the switch's two ports are memif servers,
# each generator a client on its own socket. Three DPDK processes share the
# two cores (the generators sleep when idle). Asserts completion and byte
# counts only. Needs no privilege; skips (77) if DPDK has no memif PMD.
#
#   test_gen_memif.sh ROCEFAB_GEN ROCEFAB_SWITCH SOURCE_DIR
set -euo pipefail

gen=$(realpath "$1")
switch=$(realpath "$2")
src=$(realpath "$3")
cfg="$src/tests/integration/rocefab-gen"
work=$(mktemp -d)
tag="rgm$$"
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do
		if kill -0 "$p" 2>/dev/null; then
			kill "$p" 2>/dev/null || true
			wait "$p" 2>/dev/null || true
		fi
	done
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

eal() { # FILE_PREFIX MB
	echo --no-huge --no-pci --no-shconf --no-telemetry -m "$2" -l 0 --file-prefix "$1" \
		'--log-level=*:warning'
}
read -r -a eal_sw <<<"$(eal "${tag}sw" 512)"
"$switch" "${eal_sw[@]}" \
	--vdev "net_memif0,role=server,socket=$work/a.sock,id=0" \
	--vdev "net_memif1,role=server,socket=$work/b.sock,id=0" \
	-- --config "$cfg/pair-switch-memif.yaml" --duration 100 --out "$work/sw" \
	>"$work/sw.out" 2>"$work/sw.err" &
sw=$!
pids+=("$sw")
for _ in $(seq 200); do
	grep -q "ports, real time" "$work/sw.out" && break
	if ! kill -0 "$sw" 2>/dev/null; then
		if grep -qi "memif\|vdev\|driver" "$work/sw.err"; then
			echo "SKIP: memif unavailable: $(head -3 "$work/sw.err")"
			exit 77
		fi
		fail "the switch exited"
	fi
	sleep 0.1
done
grep -q "ports, real time" "$work/sw.out" || fail "the switch did not start"

run_gen() { # HOST PORT SOCKET
	local e
	read -r -a e <<<"$(eal "${tag}$1" 256)"
	"$gen" "${e[@]}" --vdev "$2,role=client,socket=$3,id=0" -- --config "$cfg/pair-memif.yaml" \
		--local "$1" --out "$work/$1" --duration 60s --linger 1s >"$work/$1.out" 2>"$work/$1.err"
}
run_gen g0 net_memif0 "$work/a.sock" &
g0=$!
pids+=("$g0")
run_gen g1 net_memif1 "$work/b.sock" &
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

/usr/bin/python3 - "$work" <<'PY' || fail "outputs"
import json, sys
work = sys.argv[1]
S, n = 1 << 20, 2
for rank, host in enumerate(("g0", "g1")):
    j = json.load(open(f"{work}/{host}/summary.json"))
    assert j["mode"] == "ports", j["mode"]
    job = j["jobs"][0]
    assert j["done"] is True and job["done"] is True, f"{host}: not done"
    want = [0, 0]
    want[rank] = 2 * (n - 1) * S // n          # only the local rank's receives count
    assert job["rx_bytes"] == want, (host, job["rx_bytes"], want)
    h = [x for x in j["hosts"] if x["name"] == host][0]
    assert h["rx_bad_icrc"] == 0 and h["rx_bad_payload"] == 0 and h["errors"] == 0, h
sw = open(f"{work}/sw.out").read()
assert "drops=0" in sw, sw[-300:]
PY
echo "PASS"
