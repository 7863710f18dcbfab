# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 rocefab authors
#
# Sourced by bench/*/run.sh: the options every benchmark takes and its
# timing knobs. The caller defines usage() first.

# bench_parse_args "$@": sets smoke (0/1), root (the source tree) and
# build_dir (absolute; default ROOT/build), or exits 2 with a message.
bench_parse_args() {
	smoke=0
	build_dir=
	while [ $# -gt 0 ]; do
		case "$1" in
		--smoke) smoke=1 ;;
		-h|--help) usage; exit 0 ;;
		-*) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
		*)
			if [ -n "$build_dir" ]; then
				echo "run.sh: one BUILD_DIR only" >&2; exit 2
			fi
			build_dir=$1 ;;
		esac
		shift
	done
	root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
	build_dir=${build_dir:-$root/build}
	[ -d "$build_dir" ] || { echo "run.sh: no build directory $build_dir" >&2; exit 2; }
	build_dir=$(cd "$build_dir" && pwd)
}

# bench_timing PREFIX: seconds, warmup and rounds from PREFIX_SECONDS,
# PREFIX_WARMUP and PREFIX_ROUNDS, defaulting to 3 s, 1 s and 3 rounds, or
# with --smoke to 0.5 s, 0.2 s and 1 round.
bench_timing() {
	local p=$1 s=3 w=1 r=3 v

	if [ "$smoke" = 1 ]; then
		s=0.5 w=0.2 r=1
	fi
	v=${p}_SECONDS; seconds=${!v:-$s}
	v=${p}_WARMUP; warmup=${!v:-$w}
	v=${p}_ROUNDS; rounds=${!v:-$r}
	case "$rounds" in
	''|*[!0-9]*|0) echo "run.sh: ${p}_ROUNDS must be a positive integer" >&2; exit 2 ;;
	esac
}
