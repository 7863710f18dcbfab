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
tag="rgm$$"
. "$src/tests/integration/test_gen_pair_common.sh"

read -r -a eal_sw <<<"$(eal "${tag}sw" 512)"
"$switch" "${eal_sw[@]}" \
	--vdev "net_memif0,role=server,socket=$work/a.sock,id=0" \
	--vdev "net_memif1,role=server,socket=$work/b.sock,id=0" \
	-- --config "$cfg/pair-switch-memif.yaml" --duration 100 --out "$work/sw" \
	>"$work/sw.out" 2>"$work/sw.err" &
sw=$!
pids+=("$sw")
pair_switch_started "$sw" memif 'memif\|vdev\|driver'

run_gen() { # HOST PORT SOCKET
	local e
	read -r -a e <<<"$(eal "${tag}$1" 256)"
	"$gen" "${e[@]}" --vdev "$2,role=client,socket=$3,id=0" -- --config "$cfg/pair-memif.yaml" \
		--local "$1" --out "$work/$1" --duration 60s --linger 1s >"$work/$1.out" 2>"$work/$1.err"
}
pair_exchange "$sw" "g0 net_memif0 $work/a.sock" "g1 net_memif1 $work/b.sock"
pair_check_outputs
grep -q "drops=0" "$work/sw.out" || fail "the switch dropped frames: $(tail -3 "$work/sw.out")"
echo "PASS"
