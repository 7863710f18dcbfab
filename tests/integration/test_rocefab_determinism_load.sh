#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 rocefab authors
#
# Determinism under load: the incast example run twice with one seed, the
# second while two busy processes compete for the CPUs, writes the same
# summary.json (wall time aside), the same pcaps and the same other outputs.
# Virtual time must not depend on how fast or how evenly the run is scheduled.
#
#   test_rocefab_determinism_load.sh ROCEFAB SOURCE_DIR
set -euo pipefail

rocefab=$(realpath "$1")
src=$(realpath "$2")
work=$(mktemp -d)
load_pids=()
stop_load() {
	local p

	for p in "${load_pids[@]}"; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	load_pids=()
}
trap 'stop_load; rm -rf "$work"' EXIT
cd "$work"

. "$src/tests/integration/test_rocefab_common.sh"

run 0 run "$src/docs/examples/incast.yaml" --out quiet --quiet
check_summary quiet

# One busy loop per CPU, so rocefab shares its core for the whole run.
for _ in $(seq "$(nproc)"); do
	yes >/dev/null &
	load_pids+=($!)
done
run 0 run "$src/docs/examples/incast.yaml" --out loaded --quiet
for p in "${load_pids[@]}"; do
	kill -0 "$p" 2>/dev/null || fail "the load process $p ended before the run did"
done
stop_load

check_summary loaded
ls loaded/pcaps/*.pcap >/dev/null 2>&1 || fail "no pcap written: nothing to compare"
same_run quiet loaded
echo "ok"
