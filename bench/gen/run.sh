#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 rocefab authors
#
# bench/gen: RoCEv2 RDMA WRITE packets built and sent per second on one
# core by rocefab-bench-gen (lib/transport's RC QP: headers, payload
# pattern, ICRC), beside dpdk-testpmd's txonly mode with frames of the same
# length, both to a net_null port, in the same invocation. See
# bench/README.md.
#
#   bench/gen/run.sh [--smoke] [BUILD_DIR]
#
# Environment (defaults in brackets): GEN_BENCH_SECONDS, measured seconds
# per run [3; 0.5 with --smoke]; GEN_BENCH_ROUNDS, rounds over both
# programs, of which the median counts [3; 1]; GEN_BENCH_WARMUP [1; 0.2];
# GEN_BENCH_MEM, EAL -m in MB [1024]; GEN_BENCH_LCORE, the sending lcore
# [1]; GEN_BENCH_MAIN_LCORE, testpmd's idle main lcore [0];
# GEN_BENCH_PAYLOADS ["64 1024 4096"]; GEN_BENCH_CRC, rocefab-bench-gen's
# --crc [best]; GEN_BENCH_VERIFY, its --verify [0]; GEN_BENCH_SIMD512
# [auto: 1 when /proc/cpuinfo has avx512f]; GEN_BENCH_WORK, the scratch
# directory [BUILD_DIR/bench/gen]; DPDK_TESTPMD.

set -eu

usage() {
	sed -n 's/^#   //p' "$0"
	echo "options: --smoke  one round of 0.5 s per payload and program (CI); -h, --help"
}

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../common.sh"
bench_parse_args "$@"
bench_timing GEN_BENCH
mem=${GEN_BENCH_MEM:-1024}
lcore=${GEN_BENCH_LCORE:-1}
main_lcore=${GEN_BENCH_MAIN_LCORE:-0}
payloads=${GEN_BENCH_PAYLOADS:-64 1024 4096}
crc=${GEN_BENCH_CRC:-best}
verify=${GEN_BENCH_VERIFY:-0}
work=${GEN_BENCH_WORK:-$build_dir/bench/gen}
testpmd=${DPDK_TESTPMD:-$(command -v dpdk-testpmd || echo /usr/bin/dpdk-testpmd)}
gen=$build_dir/bench/rocefab-bench-gen
py=$here/gen_bench.py

if [ "$lcore" = "$main_lcore" ]; then
	echo "run.sh: GEN_BENCH_LCORE and GEN_BENCH_MAIN_LCORE must differ" >&2
	exit 2
fi
command -v python3 >/dev/null || { echo "run.sh: python3 not found" >&2; exit 2; }
for p in $payloads; do
	case "$p" in
	64|1024|4096) ;;
	*) echo "run.sh: payloads are 64, 1024 or 4096, not $p" >&2; exit 2 ;;
	esac
done

# DPDK 22.11's net CRC takes its AVX512 (VPCLMULQDQ) path only when the
# EAL's SIMD width allows 512 bits. Both programs get the same EAL options.
simd512=${GEN_BENCH_SIMD512:-auto}
if [ "$simd512" = auto ]; then
	if grep -qw avx512f /proc/cpuinfo; then simd512=1; else simd512=0; fi
fi
eal_simd=()
if [ "$simd512" = 1 ]; then
	eal_simd=(--force-max-simd-bitwidth=512)
	eal_note="--force-max-simd-bitwidth=512 (avx512f: $(grep -qw avx512f /proc/cpuinfo && echo yes || echo no), vpclmulqdq: $(grep -qw vpclmulqdq /proc/cpuinfo && echo yes || echo no))"
else
	eal_note="default SIMD width (no avx512f in /proc/cpuinfo, or GEN_BENCH_SIMD512=0)"
fi

mkdir -p "$work/logs"
results=$work/results.jsonl
: > "$results"

cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
echo "gen: payloads [$payloads] x 2 programs x $rounds round(s), ${seconds} s each" \
	"on lcore $lcore; load average $(cut -d' ' -f1-3 /proc/loadavg)"

failed=0
record_failure() {	# name size message
	python3 -c 'import json,sys; print(json.dumps({"name": sys.argv[1], "size": sys.argv[2], "ok": False, "error": sys.argv[3]}))' \
		"$1" "$2" "$3" >> "$results"
}

run_one() {	# name size command...
	local name=$1 size=$2 line log
	shift 2
	log=$work/logs/$name-$size-r$round.log
	if line=$(python3 "$py" measure --name "$name" --size "$size" --prefix "$prefix" \
			--seconds "$seconds" --warmup "$warmup" --log "$log" -- "$@"); then
		echo "$line" >> "$results"
		python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print("  %-15s %5s B  %8.2f Mpps  (CPU share %.2f)%s" % (r["name"], r["size"], r["pps"]/1e6, r["cpu_share"], "  crc=" + r["crc"] if r.get("crc") else ""))' "$line"
	else
		echo "$line" >> "$results"
		echo "  $name $size B: FAILED (log: $log)"
		failed=1
	fi
}

programs=
if [ -x "$testpmd" ]; then
	programs="$programs testpmd-txonly"
else
	echo "  testpmd-txonly: no dpdk-testpmd"
	for p in $payloads; do record_failure testpmd-txonly "$p" "no dpdk-testpmd"; done
	failed=1
fi
if [ -x "$gen" ]; then
	programs="$programs rocefab-gen"
else
	echo "  rocefab-bench-gen not built ($gen)"
	for p in $payloads; do record_failure rocefab-gen "$p" "not built"; done
	failed=1
fi

# Rounds alternate the programs so that a slow spell of the shared machine
# falls on both; each program's median round counts.
for round in $(seq 1 "$rounds"); do
	[ "$rounds" -gt 1 ] && echo " round $round/$rounds"
	for payload in $payloads; do
		frame=$(python3 "$py" frame-len --payload "$payload")
		# Room for the largest frame in one mbuf (4 KB: 4154 bytes).
		mbuf_size=$(( (frame + 128 + 63) / 64 * 64 + 128 ))
		for name in $programs; do
			prefix=rocefab-bench-$$-$name-$payload-$round
			# One port: net_null frees what it is sent and, with no-rx,
			# receives nothing. EAL's debug log gives its TSC frequency.
			eal=(--no-huge --no-pci --no-shconf -m "$mem" --file-prefix "$prefix"
				--log-level=lib.eal:debug "${eal_simd[@]}" --vdev net_null0,no-rx=1)
			case "$name" in
			testpmd-txonly)
				# txonly builds frames from one header template
				# (Ethernet, IPv4, UDP) of --txpkts bytes, the same
				# length as rocefab's; lcore 0 only sleeps in the stats
				# loop, which keeps testpmd running until SIGINT.
				run_one "$name" "$payload" "$testpmd" -l "$main_lcore,$lcore" "${eal[@]}" -- \
					--forward-mode=txonly --txpkts="$frame" --mbuf-size="$mbuf_size" \
					--burst=32 --nb-cores=1 --stats-period 3600 ;;
			rocefab-gen)
				run_one "$name" "$payload" "$gen" -l "$lcore" "${eal[@]}" -- \
					--payload "$payload" --seconds 0 --crc "$crc" --verify "$verify" ;;
			esac
		done
	done
done

echo
python3 "$py" report "$results" --cpu-model "${cpu_model:-unknown}" --warmup "$warmup" \
	--eal-note "$eal_note"
echo "logs and results: $work"
exit $failed
