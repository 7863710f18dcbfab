#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 rocefab authors
#
# Install, once and only when missing, every Debian 12 package that building,
# running and testing rocefab need. Safe to run again: it checks first and
# prints nothing to do when all is there. Runs as root, or through sudo.
set -euo pipefail

packages=(
	# build
	gcc pkg-config meson ninja-build
	libdpdk-dev libpcap-dev libyaml-dev zlib1g-dev libcunit1-dev
	# DPDK's tools (dpdk-testpmd, dpdk-telemetry.py) and examples (l3fwd) for bench/
	dpdk dpdk-dev dpdk-doc
	# ns-3, bench/fabric's baseline simulator (its pkg-config files name libgsl.so)
	g++ libns3-dev libgsl-dev
	# independent checks in the tests, plots, namespaces
	python3 python3-scapy tshark gnuplot-nox iproute2
)

missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing+=("$p")
	fi
done
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
	sudo=()
elif command -v sudo >/dev/null; then
	sudo=(sudo)
else
	echo "setup.sh: need root (or sudo) to install: ${missing[*]}" >&2
	exit 1
fi

echo "setup.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
