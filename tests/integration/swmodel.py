# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 rocefab authors
"""An independent model of rocefab-switch in virtual time, for the congestion
tests: written in Python from the switch's specification (issue 3,
docs/config.md, the semantics of lib/switch, lib/mmu, lib/sched, lib/pfc and
the pcap port), sharing no code with them.

Everything is integer picoseconds. The model does what the switch promises:

- input: a frame arrives (its last bit) at max(trace time, previous arrival +
  wire time, end of a hold + wire time); line-rate input is the previous
  arrival + wire time (the first: wire time). A passive peer's port is not
  read while the switch holds an XOFF against it.
- at every event time: ingress of every port in config order (up to 32 frames
  each), then for every port in order the PFC frame that is due, then the
  frames its shaper releases.
- MMU (SONiC): per (ingress port, PG) shared use under min(2^th * free pool,
  own use + free pool) or a static limit, headroom for lossless groups with
  XOFF the first time a frame does not fit, XON when the headroom is empty and
  shared use <= max(xon, limit - xon_offset), checked when that group releases
  a frame; per (egress port, class) queue limits; a frame is released when its
  transmission starts. Lossless queues have no egress limit.
- egress: control frames first at the next frame boundary, strict classes
  (highest first), then DWRR (quantum 9216 x weight, granted when a turn
  begins, passed over for an empty or paused class, reset when a class
  empties). A paused class starts nothing in [pause start, pause end).
- ECN: the class queue's bytes before the frame (enqueue) or behind it when it
  starts (dequeue); ECT frames only. The step policy is decided here exactly;
  for the RED ramp the model gives each frame's probability.
- PFC out: XOFF at once, refreshed every refresh interval while it stands
  (every standing priority in each frame), time 0 on XON (only if the XOFF
  was sent).
"""
import collections

INF = float("inf")
OVERHEAD = 24            # preamble 8 + IFG 12 + FCS 4
PFC_LEN = 60
QUANTUM = 9216
BURST = 32


def wire_ps(length, rate):
    return -(-((length + OVERHEAD) * 8 * 10**12) // rate)


def quanta_ps(q, rate):
    return -(-(q * 512 * 10**12) // rate)


class Frame:
    __slots__ = ("port", "idx", "data", "len", "kind", "dscp", "ecn", "dst", "pfc",
                 "trace_ps", "arrival", "cls", "out", "verdict", "enq_q", "deq_q",
                 "start", "done", "mark", "prob", "key")

    def __init__(self, **kw):
        for s in self.__slots__:
            setattr(self, s, kw.get(s))


class Input:
    def __init__(self, frames, timing, rate):
        self.frames = frames
        self.timing = timing
        self.rate = rate
        self.i = 0
        self.prev = None
        self.hold = None        # None: not held; INF: held; t: released at t
        self.base = None
        self._read_ahead()

    def _read_ahead(self):
        if self.i >= len(self.frames):
            self.base = None
            return
        f = self.frames[self.i]
        w = wire_ps(f.len, self.rate)
        if self.timing == "line-rate":
            self.base = (self.prev if self.prev is not None else 0) + w
        else:
            t0 = self.frames[0].trace_ps
            self.base = max(f.trace_ps - t0, 0)
            if self.prev is not None:
                self.base = max(self.base, self.prev + w)

    def next_arrival(self):
        if self.base is None:
            return INF
        if self.hold is None:
            return self.base
        f = self.frames[self.i]
        return max(self.base, self.hold + wire_ps(f.len, self.rate))

    def take(self, now):
        got = []
        while len(got) < BURST and self.base is not None:
            at = self.next_arrival()
            if at > now:
                break
            f = self.frames[self.i]
            f.arrival = at
            got.append(f)
            self.prev = at
            self.i += 1
            self._read_ahead()
        return got


class Sched:
    def __init__(self, rate, strict, weights):
        self.rate = rate
        self.busy = 0
        self.ctrl = collections.deque()
        self.q = [collections.deque() for _ in range(8)]
        self.qbytes = [0] * 8
        self.maxq = [0] * 8
        self.strict = set(strict)
        self.dwrr = [c for c in range(8) if c not in self.strict]
        self.quantum = [QUANTUM * weights[c] for c in range(8)]
        self.deficit = [0] * 8
        self.cur = self.dwrr[0] if self.dwrr else None
        self.in_turn = False
        self.pause_start = [0] * 8
        self.paused_until = [0] * 8
        self.acct_from = [0] * 8
        self.paused_ps = [0] * 8

    def _open(self, c, now):
        end = min(self.paused_until[c], now)
        return end - self.acct_from[c] if end > self.acct_from[c] else 0

    def pause(self, c, now, until):
        now = max(now, self.acct_from[c])
        self.paused_ps[c] += self._open(c, now)
        self.acct_from[c] = now
        if until > now:
            if self.paused_until[c] <= now:
                self.pause_start[c] = now
            self.paused_until[c] = until
        elif self.paused_until[c] > now:
            self.paused_until[c] = now

    def paused_total(self, c, now):
        return self.paused_ps[c] + self._open(c, now)

    def push(self, c, f, now):
        self.q[c].append((f, now))
        self.qbytes[c] += f.len
        self.maxq[c] = max(self.maxq[c], self.qbytes[c])

    def empty(self):
        return not self.ctrl and not any(self.q)

    def _ready_time(self, c, t):
        x = max(t, self.q[c][0][1])
        if self.pause_start[c] <= x < self.paused_until[c]:
            x = self.paused_until[c]
        return x

    def _ready(self, t):
        ready, first = set(), INF
        for c in range(8):
            if not self.q[c]:
                continue
            x = self._ready_time(c, t)
            if x == t:
                ready.add(c)
            else:
                first = min(first, x)
        return ready, first

    def _end_turn(self):
        i = self.dwrr.index(self.cur)
        self.cur = self.dwrr[(i + 1) % len(self.dwrr)]
        self.in_turn = False

    def _dwrr_pick(self, ready):
        while True:
            c = self.cur
            if c not in ready:
                self._end_turn()
                continue
            if not self.in_turn:
                self.deficit[c] += self.quantum[c]
                self.in_turn = True
            if self.q[c][0][0].len <= self.deficit[c]:
                return c
            self._end_turn()

    def select(self, t, now):
        """(queue, start) of the next frame to start at >= t, if it starts by now."""
        while True:
            ctrl_at = INF
            if self.ctrl:
                ctrl_at = max(t, self.ctrl[0][1])
                if ctrl_at == t:
                    return "ctrl", t
            ready, nxt = self._ready(t)
            if ready:
                strict = ready & self.strict
                if strict:
                    return max(strict), t
                return self._dwrr_pick(ready), t
            nxt = min(nxt, ctrl_at)
            if nxt > now:
                return None, None
            t = nxt

    def take(self, sel):
        if sel == "ctrl":
            return self.ctrl.popleft()[0]
        f = self.q[sel].popleft()[0]
        self.qbytes[sel] -= f.len
        if sel in self.dwrr:
            self.deficit[sel] -= f.len
        if not self.q[sel]:
            self.deficit[sel] = 0
            if sel == self.cur and sel in self.dwrr:
                self._end_turn()
        return f

    def next_event(self, now):
        if self.empty():
            return INF
        t = self.busy
        ctrl_at = max(t, self.ctrl[0][1]) if self.ctrl else INF
        ready, nxt = self._ready(t)
        if ready:
            return max(t, now)
        return max(min(nxt, ctrl_at), now)


class PfcTx:
    def __init__(self, quanta, refresh, enable):
        self.quanta = quanta
        self.refresh = refresh
        self.enable = enable
        self.xoff = set()
        self.sent = set()
        self.xon = set()
        self.due = [INF] * 8

    def set_xoff(self, p, now):
        if p not in self.enable or p in self.xoff:
            return
        self.xon.discard(p)
        self.xoff.add(p)
        self.sent.discard(p)
        self.due[p] = now

    def set_xon(self, p, now):
        if p not in self.enable or p not in self.xoff:
            return
        self.xoff.discard(p)
        if p in self.sent:
            self.xon.add(p)
            self.due[p] = now
        else:
            self.due[p] = INF
        self.sent.discard(p)

    def poll(self, now):
        if min(self.due) > now:
            return None
        q = {}
        for p in range(8):
            if p in self.xoff:
                q[p] = self.quanta
                self.due[p] = now + self.refresh
            elif p in self.xon:
                q[p] = 0
                self.due[p] = INF
        self.sent = set(self.xoff)
        self.xon = set()
        return q


class PG:
    def __init__(self):
        self.shared = 0
        self.headroom = 0
        self.paused = False


class Model:
    """conf keys: ports [{name, rate, frames, timing, passive}], route(dst)->port index,
    dscp_to_class, lossless, strict, weights, pfc, pause_quanta, refresh_ps, pool,
    dynamic_th | static, xoff, xon, xon_offset, eg_lossy_th | eg_lossy_static,
    ecn {cls: {kmin,kmax,pmax,k}}, ecn_mode 'red'|'step', mark_at."""

    def __init__(self, conf):
        self.c = conf
        self.ports = conf["ports"]
        n = len(self.ports)
        self.inputs = [Input(p["frames"], p.get("timing", "trace"), p["rate"]) for p in self.ports]
        self.sched = [Sched(p["rate"], conf.get("strict", [6]), conf.get("weights", [1] * 8))
                      for p in self.ports]
        pfc_on = conf.get("pfc", True)
        self.lossless = set(conf.get("lossless", [3, 4])) if pfc_on else set()
        self.pfc_on = pfc_on
        self.pfctx = [None] * n
        if pfc_on and self.lossless:
            for i, p in enumerate(self.ports):
                pq = conf.get("pause_quanta", 65535)
                refresh = conf.get("refresh_ps") or quanta_ps(pq, p["rate"]) // 2
                self.pfctx[i] = PfcTx(pq, refresh, self.lossless)
        self.passive = [p.get("passive", True) and pfc_on for p in self.ports]
        self.held_since = [None] * n
        self.rx_held = [0] * n
        self.pg = [[PG() for _ in range(8)] for _ in range(n)]
        self.pool_used = 0
        self.tx = [[] for _ in range(n)]      # (done_ps, frame or pfc dict)
        self.st = [collections.Counter() for _ in range(n)]
        self.pfc_tx = [[0] * 8 for _ in range(n)]
        self.pfc_tx_xoff = [[0] * 8 for _ in range(n)]
        self.pfc_rx = [[0] * 8 for _ in range(n)]
        self.rx_until = [[0] * 8 for _ in range(n)]   # pause end per class, as received
        self.events = []                      # (time, what, port, prio) for reports

    # -------- MMU --------
    def _thresh(self, mode_th, static, free):
        if static is not None:
            return static
        return free << mode_th if mode_th >= 0 else free >> -mode_th

    def _pg_limit(self, g):
        free = self.c["pool"] - self.pool_used
        th = self._thresh(self.c.get("dynamic_th", 0), self.c.get("static"), free)
        return min(th, g.shared + free)

    def _queue_limit(self, cls):
        if cls in self.lossless:
            return INF
        free = self.c["pool"] - self.pool_used
        return self._thresh(self.c.get("eg_lossy_th", 3), self.c.get("eg_lossy_static"), free)

    def admit(self, f, now):
        g = self.pg[f.port][f.cls]
        verdict, to_shared, to_head, xoff = "admit", 0, 0, False
        if g.shared + f.len <= self._pg_limit(g):
            to_shared = f.len
        elif f.cls not in self.lossless:
            verdict = "buffer_ingress"
        else:
            xoff = not g.paused
            if g.headroom + f.len <= self.c["xoff"]:
                to_head = f.len
            else:
                verdict = "buffer_headroom_overrun"
        if verdict == "admit" and self.sched[f.out].qbytes[f.cls] + f.len > self._queue_limit(f.cls):
            verdict = "buffer_egress"
        if xoff:
            g.paused = True
            self._xoff(f.port, f.cls, now)
        if verdict == "admit":
            g.shared += to_shared
            g.headroom += to_head
            self.pool_used += to_shared
        elif xoff:
            # The frame that raised XOFF is gone: its group resumes at once if the rule
            # holds (an empty group would otherwise never see a release).
            self._try_xon(f.port, f.cls, g, now)
        return verdict

    def _try_xon(self, port, cls, g, now):
        if g.paused and g.headroom == 0:
            limit = self._pg_limit(g)
            resume_at = max(self.c.get("xon", 18432), max(limit - self.c.get("xon_offset", 18432), 0))
            if g.shared <= resume_at:
                g.paused = False
                self._xon(port, cls, now)

    def release(self, f, now):
        g = self.pg[f.port][f.cls]
        part = min(f.len, g.headroom)
        g.headroom -= part
        rest = f.len - part
        g.shared -= rest
        self.pool_used -= rest
        assert g.shared >= 0
        self._try_xon(f.port, f.cls, g, now)

    def _xoff(self, port, prio, now):
        tx = self.pfctx[port]
        if tx is None:
            return
        self.events.append((now, "xoff", port, prio))
        tx.set_xoff(prio, now)
        if self.passive[port] and self.held_since[port] is None:
            self.held_since[port] = now
            self.inputs[port].hold = INF

    def _xon(self, port, prio, now):
        tx = self.pfctx[port]
        if tx is None:
            return
        self.events.append((now, "xon", port, prio))
        tx.set_xon(prio, now)
        if self.passive[port] and not tx.xoff and self.held_since[port] is not None:
            self.rx_held[port] += now - self.held_since[port]
            self.held_since[port] = None
            self.inputs[port].hold = now

    # -------- ECN --------
    def _ecn(self, f, q):
        e = self.c.get("ecn", {}).get(f.cls)
        if e is None or f.ecn not in (1, 2):
            return
        if self.c.get("ecn_mode", "red") == "step":
            f.prob = 1.0 if q > e["k"] else 0.0
        elif q <= e["kmin"]:
            f.prob = 0.0
        elif q > e["kmax"]:
            f.prob = 1.0
        else:
            f.prob = e["pmax"] * (q - e["kmin"]) / (e["kmax"] - e["kmin"])
        if f.prob in (0.0, 1.0):
            f.mark = f.prob == 1.0

    # -------- data path --------
    def ingress(self, p, frames, now):
        st = self.st[p]
        for f in frames:
            st["rx_pkts"] += 1
            if f.kind == "pfc":
                st["consumed_pkts"] += 1
                self._pfc_received(p, f, now)
                continue
            f.cls = self.c.get("dscp_to_class", {26: 3, 48: 6}).get(f.dscp, 0)
            f.out = self.c["route"](f.dst)
            v = self.admit(f, now)
            f.verdict = v
            if v != "admit":
                at = self.st[f.out] if v == "buffer_egress" else st
                at["drops"] += 1
                at["drop_" + v] += 1
                continue
            st["fwd_pkts"] += 1
            f.enq_q = self.sched[f.out].qbytes[f.cls]
            self.sched[f.out].push(f.cls, f, now)
            if self.c.get("mark_at", "enqueue") == "enqueue":
                self._ecn(f, f.enq_q)

    def _pfc_received(self, p, f, now):
        rate = self.ports[p]["rate"]
        for prio, q in f.pfc.items():
            self.pfc_rx[p][prio] += 1
            if not self.pfc_on:
                continue
            new_until = now + quanta_ps(q, rate) if q else now
            old_end = max(self.rx_until[p][prio], now)
            if old_end != new_until:
                self.sched[p].pause(prio, now, new_until)
            self.rx_until[p][prio] = new_until

    def egress(self, p, now):
        s = self.sched[p]
        tx = self.pfctx[p]
        if tx is not None:
            q = tx.poll(now)
            if q is not None:
                pf = Frame(kind="pfc", len=PFC_LEN, pfc=q)
                s.ctrl.append((pf, now))
                for prio, v in q.items():
                    self.pfc_tx[p][prio] += 1
                    if v:
                        self.pfc_tx_xoff[p][prio] += 1
                self.events.append((now, "pfc_out", p, dict(q)))
        t = s.busy
        while t <= now:
            sel, start = s.select(t, now)
            if sel is None:
                break
            f = s.take(sel)
            f.start = start
            f.done = start + wire_ps(f.len, s.rate)
            s.busy = t = f.done
            self.tx[p].append((f.done, f))
            self.st[p]["tx_pkts"] += 1
            if sel == "ctrl":
                self.st[p]["tx_ctrl_pkts"] += 1
                continue
            self.release(f, now)
            if self.c.get("mark_at", "enqueue") == "dequeue":
                f.deq_q = s.qbytes[sel]
                self._ecn(f, f.deq_q)

    def next_event(self, now):
        t = INF
        for i in range(len(self.ports)):
            t = min(t, self.inputs[i].next_arrival(), self.sched[i].next_event(now))
            if self.pfctx[i] is not None:
                t = min(t, min(self.pfctx[i].due))
        return max(t, now) if t != INF else INF

    def run(self, limit_polls=10**7):
        t = 0
        for _ in range(limit_polls):
            for p in range(len(self.ports)):
                got = self.inputs[p].take(t)
                if got:
                    self.ingress(p, got, t)
            for p in range(len(self.ports)):
                self.egress(p, t)
            nt = self.next_event(t)
            if nt == INF:
                break
            t = nt
        else:
            raise RuntimeError("model did not finish")
        self.end = t
        for p in range(len(self.ports)):
            if self.held_since[p] is not None:
                self.rx_held[p] += t - self.held_since[p]
        return self

    def port_counters(self, p):
        st = self.st[p]
        s = self.sched[p]
        marked = sum(1 for _, f in self.tx[p] if f.kind != "pfc" and f.mark)
        return {
            "rx_pkts": st["rx_pkts"], "tx_pkts": st["tx_pkts"], "tx_ctrl_pkts": st["tx_ctrl_pkts"],
            "fwd_pkts": st["fwd_pkts"], "consumed_pkts": st["consumed_pkts"], "drops": st["drops"],
            "buffer_ingress": st["drop_buffer_ingress"], "buffer_egress": st["drop_buffer_egress"],
            "buffer_headroom_overrun": st["drop_buffer_headroom_overrun"],
            "pfc_tx": self.pfc_tx[p], "pfc_tx_xoff": self.pfc_tx_xoff[p], "pfc_rx": self.pfc_rx[p],
            "paused_ns": [s.paused_total(c, self.end) // 1000 for c in range(8)],
            "max_queue_bytes": s.maxq, "rx_held_ns": self.rx_held[p] // 1000,
            "ecn_marked_exact": marked,
        }
