#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 rocefab authors
"""Helpers of bench/switch-fwd/run.sh.

  switch_fwd.py measure --name N --prefix P --count rx|tx --seconds S
                        --warmup W --log FILE -- COMMAND...
      Start a DPDK program, read its port counters through rte_telemetry
      (/ethdev/stats) once they move, for S seconds after W seconds of
      warm-up, stop it with SIGINT and print one JSON line with its rate.

  switch_fwd.py report RESULTS.jsonl
      Print the table: rates side by side, ratios to l3fwd, cycles per
      packet, and whether rocefab-switch reached the target.

Every program is measured the same way, from outside, by the counters of
its own ethdev ports: no program has to print its rate, and start-up and
shut-down are outside the window.
"""

import argparse
import collections
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time

TARGET_RATIO = 0.8
SUB_WINDOW_S = 0.5
RX_PORT = 0             # net_pcap0: the first --vdev
TX_PORT = 1             # net_null0: the second


def runtime_dir(prefix):
    """Where EAL puts the telemetry socket of --file-prefix @prefix."""
    if os.getuid() == 0:
        base = '/var/run'
    else:
        base = os.environ.get('XDG_RUNTIME_DIR', '/tmp')
    return os.path.join(base, 'dpdk', prefix)


Sample = collections.namedtuple('Sample', 't rx tx rx_errors cpu_ns steal')


def thread_cpu_ns(pid):
    """Nanoseconds each thread of @pid has spent on a CPU (schedstat)."""
    out = {}
    base = '/proc/%d/task' % pid
    try:
        tids = os.listdir(base)
    except OSError:
        return out
    for tid in tids:
        try:
            with open('%s/%s/schedstat' % (base, tid)) as f:
                out[int(tid)] = int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            pass
    return out


def cpu_steal_ticks():
    """Steal time of each CPU (hypervisor), in USER_HZ ticks."""
    out = {}
    try:
        with open('/proc/stat') as f:
            for line in f:
                w = line.split()
                if w and w[0].startswith('cpu') and w[0] != 'cpu':
                    out[int(w[0][3:])] = int(w[8])
    except (OSError, ValueError, IndexError):
        pass
    return out


def thread_cpu(pid, tid):
    try:
        with open('/proc/%d/task/%d/stat' % (pid, tid)) as f:
            return int(f.read().rsplit(')', 1)[1].split()[36])
    except (OSError, ValueError, IndexError):
        return None


class Telemetry:
    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.sock.settimeout(5.0)
        self.sock.connect(path)
        hello = json.loads(self.sock.recv(16384).decode())
        self.max_len = int(hello.get('max_output_len', 16384))
        self.version = hello.get('version', '?')

    def query(self, cmd):
        self.sock.send(cmd.encode())
        reply = json.loads(self.sock.recv(self.max_len).decode())
        return reply[cmd.split(',')[0]]

    def sample(self, pid):
        """Counters of the two ports, and the CPU time of each thread of @pid."""
        t0 = time.monotonic()
        rx = self.query('/ethdev/stats,%d' % RX_PORT)
        tx = self.query('/ethdev/stats,%d' % TX_PORT)
        t1 = time.monotonic()
        if not isinstance(rx, dict) or not isinstance(tx, dict):
            # the ports are not probed yet (or no longer exist)
            raise NotReady('no /ethdev/stats for ports %d and %d' %
                           (RX_PORT, TX_PORT))
        return Sample((t0 + t1) / 2, rx['ipackets'], tx['opackets'],
                      rx['ierrors'] + rx['rx_nombuf'] + rx['imissed'],
                      thread_cpu_ns(pid), cpu_steal_ticks())

    def close(self):
        self.sock.close()


class Failed(Exception):
    pass


class NotReady(Exception):
    pass


def log_tail(path, lines=15):
    try:
        with open(path, errors='replace') as f:
            return ''.join(f.readlines()[-lines:])
    except OSError:
        return ''


def stop(proc, timeout=15.0):
    """SIGINT (every program here stops cleanly on it), then TERM, then KILL."""
    for sig, wait in ((signal.SIGINT, timeout), (signal.SIGTERM, 5.0),
                      (signal.SIGKILL, 5.0)):
        if proc.poll() is not None:
            break
        proc.send_signal(sig)
        try:
            proc.wait(wait)
        except subprocess.TimeoutExpired:
            continue
    return proc.poll()


def wait_for_socket(proc, path, timeout, logf):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise Failed('exited with status %d before its telemetry socket '
                         'appeared:\n%s' % (proc.returncode, log_tail(logf)))
        if os.path.exists(path):
            try:
                return Telemetry(path)
            except OSError:
                pass
        time.sleep(0.05)
    raise Failed('no telemetry socket %s after %.0f s' % (path, timeout))


def wait_for_traffic(proc, tel, count, timeout, logf):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise Failed('exited with status %d before forwarding:\n%s' %
                         (proc.returncode, log_tail(logf)))
        try:
            if getattr(tel.sample(proc.pid), count) > 0:
                return
        except NotReady:
            pass
        time.sleep(0.05)
    raise Failed('its counters did not move within %.0f s' % timeout)


def measure(args):
    cmd = args.command
    if cmd and cmd[0] == '--':
        cmd = cmd[1:]
    if not cmd:
        raise SystemExit('measure: no command')
    rundir = runtime_dir(args.prefix)
    sock_path = os.path.join(rundir, 'dpdk_telemetry.v2')
    shutil.rmtree(rundir, ignore_errors=True)
    count = args.count
    result = {'name': args.name, 'size': args.size, 'ok': False}
    with open(args.log, 'w') as logf:
        logf.write('$ %s\n' % ' '.join(cmd))
        logf.flush()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=logf,
                                stderr=subprocess.STDOUT)
    try:
        tel = wait_for_socket(proc, sock_path, args.startup_timeout, args.log)
        result['dpdk'] = tel.version
        wait_for_traffic(proc, tel, count, args.startup_timeout, args.log)
        time.sleep(args.warmup)
        n = max(1, int(round(args.seconds / SUB_WINDOW_S)))
        samples = [tel.sample(proc.pid)]
        for i in range(n):
            time.sleep(args.seconds / n)
            samples.append(tel.sample(proc.pid))
        if proc.poll() is not None:
            raise Failed('exited with status %d during the measurement' %
                         proc.returncode)
        tel.close()
        first, last = samples[0], samples[-1]
        # The forwarding thread is the one that busy-polls: the thread
        # that spent the most CPU time over the window.
        fwd = max(last.cpu_ns, key=lambda tid: last.cpu_ns[tid] -
                  first.cpu_ns.get(tid, last.cpu_ns[tid]))
        cpu = thread_cpu(proc.pid, fwd)
        wall_rates, cpu_rates = [], []
        for a, b in zip(samples, samples[1:]):
            pkts = getattr(b, count) - getattr(a, count)
            wall_rates.append(pkts / (b.t - a.t))
            on_cpu = (b.cpu_ns.get(fwd, 0) - a.cpu_ns.get(fwd, 0)) / 1e9
            if on_cpu > 0:
                cpu_rates.append(pkts / on_cpu)
        if not cpu_rates:
            raise Failed('its forwarding thread did not run')
        dt = last.t - first.t
        rx = last.rx - first.rx
        tx = last.tx - first.tx
        steal = None
        if cpu is not None and cpu in last.steal and cpu in first.steal:
            hz = os.sysconf('SC_CLK_TCK')
            steal = (last.steal[cpu] - first.steal[cpu]) / hz / dt
        result.update({
            'ok': True,
            # Packets per second of the forwarding thread's CPU time: what
            # one core does when it is the program's alone. Another process
            # scheduled on the core lowers the wall-clock rate, not this.
            'pps': statistics.median(cpu_rates),
            'pps_min': min(cpu_rates),
            'pps_max': max(cpu_rates),
            'pps_wall': statistics.median(wall_rates),
            'cpu_share': (last.cpu_ns[fwd] - first.cpu_ns.get(fwd, 0)) / 1e9 / dt,
            'cpu': cpu,
            'steal_share': steal,
            'windows': n,
            'seconds': dt,
            'rx_pps': rx / dt,
            'tx_pps': tx / dt,
            # forwarded / received over the window: a forwarder that drops
            # (a route that misses, a full ring) shows below 1.
            'fwd_ratio': (tx / rx) if rx else 0.0,
            'rx_errors': last.rx_errors - first.rx_errors,
        })
    except (Failed, NotReady, OSError, ValueError, KeyError) as e:
        result['error'] = str(e)
    finally:
        # Whatever happened (an interrupt included), the program is stopped
        # and its runtime directory, which only it used, removed.
        result['exit_status'] = stop(proc)
        shutil.rmtree(rundir, ignore_errors=True)
    text = open(args.log, errors='replace').read()
    m = re.search(r'TSC frequency is ~(\d+) KHz', text)
    if m:
        result['tsc_hz'] = int(m.group(1)) * 1000
    m = re.search(r'rocefab-switch: summary: (.*)', text)
    if m:
        result['summary'] = m.group(1).strip()
    print(json.dumps(result), flush=True)
    return 0 if result['ok'] else 1


def size_label(size):
    n = int(size)
    return '%dKB' % (n // 1024) if n % 1024 == 0 else '%dB' % n


def fmt_pps(v):
    return '%.2fM' % (v / 1e6) if v else '-'


def report(args):
    results = []
    with open(args.results) as f:
        for line in f:
            line = line.strip()
            if line:
                results.append(json.loads(line))
    programs = []
    rounds = {}
    for r in results:
        if r['name'] not in programs:
            programs.append(r['name'])
        rounds.setdefault((r['name'], r['size']), []).append(r)
    order = args.order.split()
    programs.sort(key=lambda n: order.index(n) if n in order else len(order))
    # Each program's median round (the lower middle one of an even count);
    # a failed round counts as a failure of that program and size.
    by = {name: {} for name in programs}
    nrounds = 1
    for (name, size), rs in rounds.items():
        nrounds = max(nrounds, len(rs))
        bad = [r for r in rs if not r.get('ok')]
        if bad:
            by[name][size] = bad[0]
            continue
        rs = sorted(rs, key=lambda r: r['pps'])
        med = dict(rs[(len(rs) - 1) // 2])
        med['round_pps'] = [r['pps'] for r in rs]
        by[name][size] = med
    sizes = []
    for r in results:
        if r['size'] not in sizes:
            sizes.append(r['size'])

    tsc = next((r['tsc_hz'] for r in results if r.get('tsc_hz')), None)
    if tsc is None:
        tsc = args.tsc_hz
    dpdk = next((r['dpdk'] for r in results if r.get('dpdk')), '?')

    def pps(name, size):
        r = by.get(name, {}).get(size)
        return r['pps'] if r and r.get('ok') else None

    def cycles(name, size):
        p = pps(name, size)
        return tsc / p if p and tsc else None

    print('switch-fwd: packets per second on one core, net_pcap (infinite_rx) '
          'in, net_null out')
    print('CPU: %s; TSC %s; %s' % (args.cpu_model,
          '%.3f GHz' % (tsc / 1e9) if tsc else 'unknown', dpdk))
    win = next((r for r in results if r.get('ok')), None)
    if win:
        print('window: %.1f s per run after %.1f s warm-up (median of %d '
              'sub-windows); %d round(s) over all programs, the median '
              'round counts' % (win['seconds'], args.warmup, win['windows'],
                                nrounds))
    print('frames: %s' % args.frames)
    print('own cycles/pkt = TSC Hz / pps - the same for testpmd-rxonly (the '
          'pcap copy and mbuf churn every program pays)')
    print()
    cols = ['program']
    for head in ('pps', 'ratio', 'cyc', 'own_cyc'):
        cols += ['%s_%s' % (head, size_label(s)) for s in sizes]
    widths = [16] + [12] * (len(cols) - 1)
    print(''.join(c.ljust(w) if i == 0 else c.rjust(w)
                  for i, (c, w) in enumerate(zip(cols, widths))))
    base = args.baseline
    for name in programs:
        row = [name]
        missing = None
        for s in sizes:
            r = by[name].get(s)
            if r is None or not r.get('ok'):
                missing = (r or {}).get('error', 'not run')
            row.append(fmt_pps(pps(name, s)))
        for s in sizes:
            p, b = pps(name, s), pps(base, s)
            row.append('%.3f' % (p / b) if p and b else '-')
        for s in sizes:
            c = cycles(name, s)
            row.append('%.1f' % c if c else '-')
        for s in sizes:
            c, c0 = cycles(name, s), cycles(args.input_cost, s)
            row.append('%.1f' % (c - c0) if c and c0 and name != args.input_cost
                       else '-')
        if missing and missing.startswith('not built') and \
                all(pps(name, s) is None for s in sizes):
            print('%-16s%s' % (name, 'not built'.rjust(widths[1])))
            continue
        print(''.join(c.ljust(w) if i == 0 else c.rjust(w)
                      for i, (c, w) in enumerate(zip(row, widths))))
        if missing:
            lines = [l for l in missing.splitlines() if l.strip()]
            for l in lines[:1] + lines[1:][-2:]:
                print('    %s' % l)
    print()
    print('runs: pps = packets / CPU time of the forwarding thread; wall = '
          'packets / wall time; share = CPU time / wall time; steal = '
          'hypervisor steal / wall time')
    flags_seen = set()
    for name in programs:
        for s in sizes:
            r = by[name].get(s)
            if not r or not r.get('ok'):
                continue
            steal = r.get('steal_share')
            flags = []
            if r['cpu_share'] < 0.97 or (steal or 0) > 0.03:
                flags.append('shared')
            if r['pps_max'] > 1.1 * r['pps_min']:
                flags.append('unsteady')
            if args.input_cost != name and r['fwd_ratio'] < 0.99:
                flags.append('dropped %.1f%%' % (100 - 100 * r['fwd_ratio']))
            flags_seen.update(f.split()[0] for f in flags)
            print('  %-16s %4s %7.2f Mpps  wall %6.2f  share %.3f  steal %s  '
                  'rounds %s%s' % (
                      name, size_label(s), r['pps'] / 1e6,
                      r['pps_wall'] / 1e6, r['cpu_share'],
                      '%.3f' % steal if steal is not None else '?',
                      ' '.join('%.2f' % (p / 1e6) for p in r['round_pps']),
                      '  [%s]' % ', '.join(flags) if flags else ''))
            if r.get('summary'):
                print('    %s' % r['summary'])
    legend = {
        'shared': 'shared: another process or the hypervisor had the core '
                  'for part of the run; pps counts its CPU time only, but '
                  'the caches were shared too',
        'unsteady': 'unsteady: sub-windows of the median round differ by '
                    'more than 10%',
        'dropped': 'dropped: forwarded less than it received (a route '
                   'missed, or TX refused frames)',
    }
    for f in ('shared', 'unsteady', 'dropped'):
        if f in flags_seen:
            print('  ' + legend[f])
    print()
    dut = args.dut
    ratios = []
    for s in sizes:
        p, b = pps(dut, s), pps(base, s)
        ratios.append((s, p / b if p and b else None))
    dut_runs = [by.get(dut, {}).get(s) for s in sizes]
    base_runs = [by.get(base, {}).get(s) for s in sizes]
    if any(r is not None and r.get('error', '').startswith('not built')
           for r in dut_runs):
        print('target: %s not built; %.1f x %s not evaluated' %
              (dut, TARGET_RATIO, base))
        return 0
    if any(r is None for r in dut_runs + base_runs):
        print('target: not evaluated (%s and %s were not both run at every '
              'size)' % (dut, base))
        return 0
    if not all(r.get('ok') for r in base_runs):
        print('target: not evaluated (%s failed)' % base)
        return 0
    if not all(r.get('ok') for r in dut_runs):
        print('target: %s NOT MET (it failed to run at some size)' % dut)
        return 0
    met = all(r >= TARGET_RATIO for _, r in ratios)
    print('target: %s %s (%s; needs >= %.2f x %s at every size)' % (
        dut, 'MET' if met else 'NOT MET',
        ', '.join('%.3f x %s at %s' % (r, base, size_label(s))
                  for s, r in ratios),
        TARGET_RATIO, base))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    sub = ap.add_subparsers(dest='cmd', required=True)
    m = sub.add_parser('measure')
    m.add_argument('--name', required=True)
    m.add_argument('--size', required=True)
    m.add_argument('--prefix', required=True, help="the program's --file-prefix")
    m.add_argument('--count', choices=('rx', 'tx'), required=True,
                   help='rate of the input port (rx) or the output port (tx)')
    m.add_argument('--seconds', type=float, default=5.0)
    m.add_argument('--warmup', type=float, default=1.0)
    m.add_argument('--startup-timeout', type=float, default=60.0)
    m.add_argument('--log', required=True)
    m.add_argument('command', nargs=argparse.REMAINDER)
    r = sub.add_parser('report')
    r.add_argument('results')
    r.add_argument('--baseline', default='l3fwd')
    r.add_argument('--input-cost', default='testpmd-rxonly')
    r.add_argument('--dut', default='rocefab-switch')
    r.add_argument('--order', default='testpmd-rxonly testpmd-io l3fwd '
                   'rocefab-switch', help='order of the table rows')
    r.add_argument('--cpu-model', default='?')
    r.add_argument('--tsc-hz', type=float, default=None)
    r.add_argument('--warmup', type=float, default=1.0)
    r.add_argument('--frames', default='?')
    args = ap.parse_args()
    if args.cmd == 'measure':
        return measure(args)
    return report(args)


if __name__ == '__main__':
    sys.exit(main())
