#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 rocefab authors
"""Helpers of bench/gen/run.sh.

  gen_bench.py frame-len --payload N
      Print the frame length (no FCS) of rocefab-bench-gen's packets of
      N payload bytes: WRITE ONLY for 64 (RETH), WRITE MIDDLE otherwise.

  gen_bench.py measure --name N --size S --prefix P --seconds S --warmup W
                       --log FILE -- COMMAND...
      bench/switch-fwd/switch_fwd.py's measurement, on one port: start the
      program, read port 0's opackets through rte_telemetry once they move,
      for S seconds after W seconds of warm-up, per second of the busiest
      thread's CPU time; stop it with SIGINT; print one JSON line. For
      rocefab-bench-gen its own summary line is added.

  gen_bench.py report RESULTS.jsonl
      The table: payload, frame bytes, testpmd txonly and rocefab gen Mpps,
      ratio, cycles per packet, CRC path; whether the target is met.
"""

import argparse
import contextlib
import io
import json
import os
import re
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'switch-fwd'))
import switch_fwd  # noqa: E402  (the same measurement as bench/switch-fwd)

TARGET_RATIO = 0.8
TARGET_PAYLOAD = '1024'
# Ethernet 14, IPv4 20, UDP 8, BTH 12, ICRC 4; RETH 16 on WRITE ONLY/FIRST.
HDR = 14 + 20 + 8 + 12
RETH = 16
ICRC = 4


def frame_len(payload):
    p = int(payload)
    reth = RETH if p == 64 else 0       # 64 B: one WRITE ONLY per message
    return HDR + reth + (p + 3) // 4 * 4 + ICRC


def measure(args):
    # One port here: net_null0 is both the port testpmd's txonly mode and
    # rocefab-bench-gen send on; switch_fwd reads its ports by number.
    switch_fwd.RX_PORT = 0
    switch_fwd.TX_PORT = 0
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        rc = switch_fwd.measure(args)
    line = out.getvalue().strip().splitlines()[-1]
    result = json.loads(line)
    text = open(args.log, errors='replace').read()
    m = re.search(r'^gen (payload=.*)$', text, re.M)
    if m:
        own = dict(kv.split('=', 1) for kv in m.group(1).split())
        result['gen'] = own
        result['crc'] = own.get('crc')
        if own.get('bad', '0') != '0':
            result['ok'] = False
            result['error'] = 'rocefab-bench-gen found %s bad frames' % own['bad']
            rc = 1
    elif args.name == 'rocefab-gen' and result.get('ok'):
        result['ok'] = False
        result['error'] = 'no summary line from rocefab-bench-gen:\n' + \
            switch_fwd.log_tail(args.log)
        rc = 1
    if args.name == 'rocefab-gen' and result.get('exit_status') not in (0, None):
        result['ok'] = False
        result.setdefault('error', 'exited with status %s:\n%s' % (
            result['exit_status'], switch_fwd.log_tail(args.log)))
        rc = 1
    print(json.dumps(result), flush=True)
    return rc


def label(size):
    n = int(size)
    return '%d KB' % (n // 1024) if n % 1024 == 0 else '%d B' % n


def report(args):
    results = [json.loads(l) for l in open(args.results) if l.strip()]
    runs = {}
    sizes = []
    for r in results:
        runs.setdefault((r['name'], r['size']), []).append(r)
        if r['size'] not in sizes:
            sizes.append(r['size'])
    by = {}
    nrounds = 1
    for key, rs in runs.items():
        nrounds = max(nrounds, len(rs))
        bad = [r for r in rs if not r.get('ok')]
        if bad:
            by[key] = bad[0]
            continue
        rs = sorted(rs, key=lambda r: r['pps'])
        med = dict(rs[(len(rs) - 1) // 2])
        med['round_pps'] = [r['pps'] for r in rs]
        by[key] = med
    tsc = next((r['tsc_hz'] for r in results if r.get('tsc_hz')), None)

    def pps(name, size):
        r = by.get((name, size))
        return r['pps'] if r and r.get('ok') else None

    print('gen: RoCEv2 RDMA WRITE packets built and sent per second on one '
          'core, to net_null (no-rx); rocefab-bench-gen against '
          'dpdk-testpmd --forward-mode=txonly')
    print('CPU: %s; TSC %s; EAL %s' % (
        args.cpu_model, '%.3f GHz' % (tsc / 1e9) if tsc else 'unknown',
        args.eal_note))
    win = next((r for r in results if r.get('ok')), None)
    if win:
        print('window: %.1f s per run after %.1f s warm-up; pps per second of '
              'the sending thread\'s CPU time (median of %d sub-windows); %d '
              'round(s), the median round counts' % (
                  win['seconds'], args.warmup, win['windows'], nrounds))
    print()
    head = '%-8s %6s %14s %14s %7s %12s %12s %8s' % (
        'payload', 'frame', 'testpmd_Mpps', 'rocefab_Mpps', 'ratio',
        'testpmd_cyc', 'rocefab_cyc', 'crc')
    print(head)
    ratios = {}
    for s in sizes:
        t, g = pps('testpmd-txonly', s), pps('rocefab-gen', s)
        r = by.get(('rocefab-gen', s)) or {}
        ratios[s] = g / t if g and t else None
        print('%-8s %6d %14s %14s %7s %12s %12s %8s' % (
            label(s), frame_len(s),
            '%.2f' % (t / 1e6) if t else 'FAILED',
            '%.2f' % (g / 1e6) if g else 'FAILED',
            '%.3f' % ratios[s] if ratios[s] else '-',
            '%.1f' % (tsc / t) if t and tsc else '-',
            '%.1f' % (tsc / g) if g and tsc else '-',
            r.get('crc') or '?'))
    print()
    print('runs: pps per CPU second; wall = per wall second; share = CPU '
          'time / wall time; own = rocefab-bench-gen\'s own count over its '
          'whole run')
    for (name, s), r in sorted(by.items(), key=lambda kv: (sizes.index(kv[0][1]), kv[0][0])):
        if not r.get('ok'):
            err = [l for l in r.get('error', 'failed').splitlines() if l.strip()]
            print('  %-15s %6s FAILED: %s' % (name, label(s), '; '.join(err[:1] + err[1:][-2:])))
            continue
        flags = []
        if r['cpu_share'] < 0.97 or (r.get('steal_share') or 0) > 0.03:
            flags.append('shared')
        if r['pps_max'] > 1.1 * r['pps_min']:
            flags.append('unsteady')
        own = r.get('gen')
        print('  %-15s %6s %7.2f Mpps  wall %6.2f  share %.3f  rounds %s%s%s' % (
            name, label(s), r['pps'] / 1e6, r['pps_wall'] / 1e6, r['cpu_share'],
            ' '.join('%.2f' % (p / 1e6) for p in r['round_pps']),
            '  own %.2f Mpps (%s frames, %s ICRCs verified)' % (
                float(own['pps']) / 1e6, own['frames'], own.get('verified', '0'))
            if own else '',
            '  [%s]' % ', '.join(flags) if flags else ''))
    print()
    r = ratios.get(TARGET_PAYLOAD)
    if r is None:
        print('target: not evaluated (no 1 KB result for both programs)')
    else:
        print('target: rocefab gen / testpmd txonly at 1 KB payload = %.3f: %s '
              '(needs >= %.2f)' % (r, 'MET' if r >= TARGET_RATIO else 'NOT MET',
                                   TARGET_RATIO))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    sub = ap.add_subparsers(dest='cmd', required=True)
    f = sub.add_parser('frame-len')
    f.add_argument('--payload', required=True)
    m = sub.add_parser('measure')
    m.add_argument('--name', required=True)
    m.add_argument('--size', required=True)
    m.add_argument('--prefix', required=True)
    m.add_argument('--seconds', type=float, default=3.0)
    m.add_argument('--warmup', type=float, default=1.0)
    m.add_argument('--startup-timeout', type=float, default=60.0)
    m.add_argument('--log', required=True)
    m.add_argument('command', nargs=argparse.REMAINDER)
    r = sub.add_parser('report')
    r.add_argument('results')
    r.add_argument('--cpu-model', default='?')
    r.add_argument('--eal-note', default='')
    r.add_argument('--warmup', type=float, default=1.0)
    args = ap.parse_args()
    if args.cmd == 'frame-len':
        print(frame_len(args.payload))
        return 0
    if args.cmd == 'measure':
        args.count = 'tx'
        return measure(args)
    return report(args)


if __name__ == '__main__':
    sys.exit(main())
