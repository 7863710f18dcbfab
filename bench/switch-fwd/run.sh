#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 rocefab authors
#
# bench/switch-fwd: packets per second on one core, 64-byte and 1 KB RoCEv2
# frames from net_pcap (infinite_rx=1) to net_null, for rocefab-switch and,
# in the same invocation and on the same input, dpdk-testpmd (rxonly and io)
# and DPDK's l3fwd example. See bench/README.md.
#
#   bench/switch-fwd/run.sh [--smoke] [BUILD_DIR]
#
# Environment (defaults in brackets): SWITCH_FWD_SECONDS, measured seconds
# per run [3; 0.5 with --smoke]; SWITCH_FWD_ROUNDS, rounds over all programs,
# of which the median counts [3; 1]; SWITCH_FWD_WARMUP [1; 0.2];
# SWITCH_FWD_MEM, EAL -m in MB [2048]; SWITCH_FWD_LCORE, the forwarding
# lcore [1]; SWITCH_FWD_MAIN_LCORE, testpmd's idle main lcore [0];
# SWITCH_FWD_SIZES ["64 1024"]; SWITCH_FWD_PROGRAMS [testpmd-rxonly
# testpmd-io l3fwd rocefab-switch]; SWITCH_FWD_WORK, the scratch directory
# [BUILD_DIR/bench/switch-fwd]; DPDK_TESTPMD; DPDK_EXAMPLES
# [/usr/share/dpdk/examples]; CC.

set -eu

usage() {
	sed -n 's/^#   //p' "$0"
	echo "options: --smoke  one round of 0.5 s per frame size and program (CI); -h, --help"
}

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../common.sh"
bench_parse_args "$@"
bench_timing SWITCH_FWD
# EAL memory (MB, --no-huge) of every program: rocefab-switch sizes its mbuf
# pool from buffer.pool (16 MB of 64-byte frames is 262143 mbufs, 604 MB),
# which -m 1024 cannot hold next to net_pcap's copy of the trace.
mem=${SWITCH_FWD_MEM:-2048}
lcore=${SWITCH_FWD_LCORE:-1}
main_lcore=${SWITCH_FWD_MAIN_LCORE:-0}
sizes=${SWITCH_FWD_SIZES:-64 1024}
programs=${SWITCH_FWD_PROGRAMS:-testpmd-rxonly testpmd-io l3fwd rocefab-switch}
work=${SWITCH_FWD_WORK:-$build_dir/bench/switch-fwd}
examples=${DPDK_EXAMPLES:-/usr/share/dpdk/examples}
testpmd=${DPDK_TESTPMD:-$(command -v dpdk-testpmd || echo /usr/bin/dpdk-testpmd)}
rocefab=$build_dir/app/switch/rocefab-switch
trace=$build_dir/app/trace/rocefab-trace
config=$root/bench/switch-fwd.yaml
py=$here/switch_fwd.py

if [ "$lcore" = "$main_lcore" ]; then
	echo "run.sh: SWITCH_FWD_LCORE and SWITCH_FWD_MAIN_LCORE must differ" >&2
	exit 2
fi
for tool in python3 pkg-config make; do
	command -v $tool >/dev/null || { echo "run.sh: $tool not found" >&2; exit 2; }
done
pkg-config --exists libdpdk || { echo "run.sh: pkg-config has no libdpdk" >&2; exit 2; }

mkdir -p "$work/logs"
results=$work/results.jsonl
: > "$results"

# --- l3fwd, built from the sources Debian's dpdk-doc installs ---------------
#
# The copy lives in the build directory and is patched there: DPDK's sources
# are never part of this repository. The only change is the RX checksum
# offload request in the port configuration, which virtual PMDs (net_pcap,
# net_null) do not offer and on which rte_eth_dev_configure() fails. The
# upstream Makefile builds it with pkg-config's flags, which carry Debian's
# -march=corei7, as meson does for rocefab.
l3fwd=$work/examples/l3fwd/build/l3fwd
build_l3fwd() {
	local stamp_file=$work/l3fwd.stamp stamp
	if [ ! -d "$examples/l3fwd" ] || [ ! -d "$examples/common" ]; then
		echo "no $examples/l3fwd (install dpdk-doc)"
		return 1
	fi
	stamp=$( (cat "$examples"/l3fwd/* "$examples"/common/*; \
		pkg-config --modversion --cflags libdpdk; \
		sed -n '/^build_l3fwd()/,/^}/p' "$0"; echo "${CC:-cc}") \
		2>/dev/null | sha256sum | cut -d' ' -f1)
	if [ -x "$l3fwd" ] && [ "$(cat "$stamp_file" 2>/dev/null)" = "$stamp" ]; then
		return 0
	fi
	rm -rf "$work/examples" "$stamp_file"
	mkdir -p "$work/examples"
	cp -r "$examples/l3fwd" "$examples/common" "$work/examples/"
	sed -i 's|^\([[:space:]]*\)\.offloads = RTE_ETH_RX_OFFLOAD_CHECKSUM,$|\1/* rocefab bench: RX checksum offload request removed */|' \
		"$work/examples/l3fwd/main.c"
	if grep -q 'RTE_ETH_RX_OFFLOAD_CHECKSUM' "$work/examples/l3fwd/main.c" ||
	   ! grep -q 'rocefab bench: RX checksum' "$work/examples/l3fwd/main.c"; then
		echo "the RX checksum patch did not apply to $examples/l3fwd/main.c"
		return 1
	fi
	if ! make -C "$work/examples/l3fwd" CC="${CC:-cc}" > "$work/logs/l3fwd-build.log" 2>&1; then
		tail -5 "$work/logs/l3fwd-build.log"
		return 1
	fi
	echo "$stamp" > "$stamp_file"
}

# --- inputs ------------------------------------------------------------------
frames=
for size in $sizes; do
	frames="$frames${frames:+; }$(python3 "$here/gen_pcap.py" --size "$size" "$work/in-$size.pcap")"
	if [ -x "$trace" ] &&
	   ! "$trace" decode --quiet --check "$work/in-$size.pcap" > "$work/logs/decode-$size.log" 2>&1; then
		echo "run.sh: rocefab-trace finds fault with $work/in-$size.pcap:" >&2
		cat "$work/logs/decode-$size.log" >&2
		exit 1
	fi
done

cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
echo "switch-fwd: programs [$programs] x sizes [$sizes] x $rounds round(s)," \
	"${seconds} s each on lcore $lcore; load average $(cut -d' ' -f1-3 /proc/loadavg)"

failed=0
record_failure() {	# name size message
	python3 -c 'import json,sys; print(json.dumps({"name": sys.argv[1], "size": sys.argv[2], "ok": False, "error": sys.argv[3]}))' \
		"$1" "$2" "$3" >> "$results"
}

run_one() {	# name size count command...
	local name=$1 size=$2 count=$3 line log
	shift 3
	log=$work/logs/$name-$size-r$round.log
	if line=$(python3 "$py" measure --name "$name" --size "$size" --prefix "$prefix" \
			--count "$count" --seconds "$seconds" --warmup "$warmup" \
			--log "$log" -- "$@"); then
		echo "$line" >> "$results"
		python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print("  %-16s %5s B  %8.2f Mpps  (CPU share %.2f)" % (r["name"], r["size"], r["pps"]/1e6, r["cpu_share"]))' "$line"
	else
		echo "$line" >> "$results"
		echo "  $name $size B: FAILED (log: $log)"
		failed=1
	fi
}

# Which programs can run at all; the others are recorded once as failures.
runnable=
for name in $programs; do
	case "$name" in
	l3fwd)
		if ! msg=$(build_l3fwd); then
			echo "  l3fwd: build failed: $msg"
			for size in $sizes; do record_failure l3fwd "$size" "build failed: $msg"; done
			failed=1
			continue
		fi ;;
	testpmd-rxonly|testpmd-io)
		if [ ! -x "$testpmd" ]; then
			echo "  $name: no dpdk-testpmd"
			for size in $sizes; do record_failure "$name" "$size" "no dpdk-testpmd"; done
			failed=1
			continue
		fi ;;
	rocefab-switch)
		if [ ! -x "$rocefab" ]; then
			echo "  rocefab-switch not built ($rocefab)"
			for size in $sizes; do record_failure "$name" "$size" "not built"; done
			continue
		fi ;;
	*) echo "run.sh: unknown program $name" >&2; exit 2 ;;
	esac
	runnable="$runnable $name"
done

# Rounds go over every program in turn, so that a slow spell of the machine
# (a neighbour on the host, a build on the other core) falls on all of them
# rather than on one; the report takes each program's median round.
for round in $(seq 1 "$rounds"); do
	[ "$rounds" -gt 1 ] && echo " round $round/$rounds"
	for name in $runnable; do
		for size in $sizes; do
			# --file-prefix keeps every program's runtime files (and
			# telemetry socket) apart; the runs are sequential, never
			# concurrent.
			prefix=rocefab-bench-$$-$name-$size-$round
			# The two ports every program sees, in this order: port 0
			# replays the trace forever (one copy into a fresh mbuf per
			# frame), port 1 frees what it is given and, with no-rx,
			# receives nothing. EAL's debug log gives its TSC frequency.
			eal_io=(--no-huge --no-pci -m "$mem" --log-level=lib.eal:debug
				--vdev "net_pcap0,rx_pcap=$work/in-$size.pcap,infinite_rx=1"
				--vdev "net_null0,no-rx=1")
			case "$name" in
			testpmd-rxonly|testpmd-io)
				# The forwarding lcore is the one that is not the main
				# lcore; the main lcore only sleeps in the stats loop,
				# which keeps a non-interactive testpmd running until
				# SIGINT.
				run_one "$name" "$size" "$([ "$name" = testpmd-rxonly ] && echo rx || echo tx)" \
					"$testpmd" -l "$main_lcore,$lcore" --file-prefix "$prefix" "${eal_io[@]}" -- \
					--forward-mode="${name#testpmd-}" --nb-cores=1 --stats-period 3600 ;;
			l3fwd)
				# LPM mode with its built-in routes: 198.18.1.0/24 goes
				# to port 1 (net_null0). net_pcap gives no packet types,
				# hence the software parser, as l3fwd's guide says for
				# such PMDs.
				run_one l3fwd "$size" tx \
					"$l3fwd" -l "$lcore" --file-prefix "$prefix" "${eal_io[@]}" -- \
					-p 0x3 --config="(0,0,$lcore)" --parse-ptype ;;
			rocefab-switch)
				# --duration only bounds a run that is not stopped; the
				# measurement ends it with SIGINT.
				run_one rocefab-switch "$size" tx \
					"$rocefab" -l "$lcore" --no-shconf --file-prefix "$prefix" "${eal_io[@]}" -- \
					--config "$config" --duration 300 --no-shaper ;;
			esac
		done
	done
done

echo
python3 "$py" report "$results" --cpu-model "${cpu_model:-unknown}" --warmup "$warmup" \
	--frames "$frames"
echo "logs and results: $work"
exit $failed
