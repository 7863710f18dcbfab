#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 rocefab authors
"""One screen of a rocefab-switch run, from its switch.json.

usage: switch-report.py DIR/switch.json
"""
import json
import sys


def main(path):
    with open(path) as f:
        d = json.load(f)
    ns = d["sim_time_ns"]
    print(f"{d['program']} {d['config']}: {d['time_mode']} time, {ns / 1000:.3f} us "
          f"simulated in {d['wall_time_s']:.3f} s; buffer {d['buffer_bytes'] / 2**20:.2f} MiB, "
          f"ecn {d['ecn_plugin']}, lb {d['lb_plugin']}")
    head = ("port", "rx", "tx", "drops", "ecn marked", "pfc xoff sent", "pfc rx",
            "paused us", "max queue KiB", "held us")
    rows = []
    for p in d["ports"] + [dict(d["totals"], name="total")]:
        rows.append((p["name"], p["rx_pkts"], p["tx_pkts"], p["drops"], p["ecn_marked"],
                     sum(p["pfc_tx_xoff"]), sum(p["pfc_rx"]),
                     f"{max(p['paused_ns']) / 1000:.1f}",
                     f"{max(p['max_queue_bytes']) / 1024:.1f}",
                     f"{p['rx_held_ns'] / 1000:.1f}"))
    widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(len(head))]
    for r in [head] + rows:
        print("  ".join(str(v).rjust(w) for v, w in zip(r, widths)))
    reasons = {k: v for k, v in d["totals"]["drop_reasons"].items() if v}
    print("drops by reason:", ", ".join(f"{k} {v}" for k, v in reasons.items()) or "none")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1])
