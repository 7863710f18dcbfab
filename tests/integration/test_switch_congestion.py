#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 rocefab authors
"""End-to-end congestion tests of rocefab-switch in virtual time (issue 3):
ECN (RED ramp and step, at enqueue and dequeue), PFC out (XOFF, refresh, XON),
PFC in (a pause on an egress class), the passive-peer stand-in and headroom
overrun, and lossy tail drop. Each scenario writes pcaps and a config to a
temporary directory, runs the switch, and compares its output pcaps and
switch.json with swmodel.py, an independent model. docs/testing-switch.md
explains the numbers.

    test_switch_congestion.py ROCEFAB_SWITCH SCENARIO
"""
import math
import os
import sys
import tempfile

import swmodel
import swtest
from swtest import Checker

RATE = 100 * 10**9
LEN = 1078                         # RoCE WRITE MIDDLE with 1020 payload bytes
W = swmodel.wire_ps(LEN, RATE)     # 88160 ps at 100G
PFC_W = swmodel.wire_ps(60, RATE)  # 6720 ps
DST = "10.0.2.2"
SRC = ["10.0.0.1", "10.0.1.1", "10.0.3.1", "10.0.4.1"]
KB = 1024


def make_frames(port, n, dscp=26, ecn_of=lambda i: 2, dst=DST, ts_of=None):
    """(pcap records, model frames) of n RoCE frames from SRC[port]."""
    recs, frames = [], []
    for i in range(n):
        ecn = ecn_of(i)
        fr = swtest.roce_frame(SRC[port], dst, i, LEN, dscp=dscp, ecn=ecn, sport=0xC000 + port)
        ts = ts_of(i) if ts_of else i * 1000
        recs.append((ts, fr))
        frames.append(swmodel.Frame(port=port, idx=i, len=LEN, kind="roce", dscp=dscp, ecn=ecn,
                                    dst=dst, trace_ps=ts * 1000, key=(SRC[port], i)))
    return recs, frames


def pfc_records(port, items):
    """items: [(ts_ns, {prio: quanta})] as PFC frames received on a port."""
    recs, frames = [], []
    for i, (ts, q) in enumerate(items):
        recs.append((ts, swtest.pfc_frame(q)))
        frames.append(swmodel.Frame(port=port, idx=i, len=60, kind="pfc", pfc=dict(q),
                                    trace_ps=ts * 1000))
    return recs, frames


def route_all_to(port):
    return lambda dst: port


def compare_tx(ck, name, got, model_tx, ecn_exact=True):
    """Frame by frame: identity, order, timestamp (floor of the ps end), ECN bits."""
    want = []
    for done, f in model_tx:
        if f.kind == "pfc":
            want.append((done // 1000, "pfc", tuple(sorted(f.pfc.items()))))
        else:
            ecn = 3 if (f.ecn == 3 or f.mark) else f.ecn
            want.append((done // 1000, f.key, ecn if ecn_exact else None))
    have, bad_sum = [], 0
    for ts, fr in got:
        d = swtest.decode(fr)
        if d["kind"] == "pfc":
            q = tuple(sorted((p, d["quanta"][p]) for p in range(8) if d["enable"] >> p & 1))
            have.append((ts, "pfc", q))
        else:
            bad_sum += (not d["ip_ok"]) + (not d["icrc_ok"]) + (d["ttl"] != 63)
            have.append((ts, (d["src"], d["psn"]), d["ecn"] if ecn_exact else None))
    ck.eq("%s: frames written" % name, len(have), len(want))
    first_bad = next((i for i, (a, b) in enumerate(zip(have, want)) if a != b), None)
    ck.true("%s: every frame in the model's order at the model's time%s" %
            (name, " with the model's ECN bits" if ecn_exact else ""),
            first_bad is None and len(have) == len(want),
            "" if first_bad is None else "first difference at #%d: got %s, model %s" %
            (first_bad, have[first_bad], want[first_bad]))
    ck.eq("%s: frames with a bad IP checksum, ICRC or TTL" % name, bad_sum, 0)
    return have


def compare_counters(ck, js, model, names, keys):
    for i, n in enumerate(names):
        pj = swtest.port_json(js, n)
        mc = model.port_counters(i)
        for k in keys:
            got = pj["drop_reasons"][k] if k.startswith("buffer_") else pj[k]
            ck.eq("%s.%s" % (n, k), got, mc[k])


COMMON = ["rx_pkts", "tx_pkts", "tx_ctrl_pkts", "fwd_pkts", "drops", "buffer_ingress",
          "buffer_egress", "buffer_headroom_overrun", "pfc_tx", "pfc_tx_xoff", "max_queue_bytes"]


def overload_setup(wd, n, ecn_of=(lambda i: 2, lambda i: 2), dscp=26):
    """Two 100G inputs at line rate into one 100G egress: in0, in1 -> out."""
    ins = []
    for p in range(2):
        recs, frames = make_frames(p, n, dscp=dscp, ecn_of=ecn_of[p])
        swtest.write_pcap(os.path.join(wd, "in%d.pcap" % p), recs)
        ins.append(frames)
    ports = [("in0", "in0.pcap", "in0.tx.pcap", "line-rate", ""),
             ("in1", "in1.pcap", "in1.tx.pcap", "line-rate", ""),
             ("out", None, "out.pcap", None, "")]
    mports = [{"name": "in0", "rate": RATE, "frames": ins[0], "timing": "line-rate"},
              {"name": "in1", "rate": RATE, "frames": ins[1], "timing": "line-rate"},
              {"name": "out", "rate": RATE, "frames": []}]
    return ports, mports


# ---------------------------------------------------------------------------
# 1. ECN
# ---------------------------------------------------------------------------

def scenario_ecn_red(sw, wd):
    ck = Checker("ECN RED ramp at enqueue: 2 x 100G line rate -> 100G, lossy class 3")
    n, kmin, kmax, pmax = 1500, 100 * KB, 1024 * KB, 0.2
    # in1: every 4th frame Not-ECT, every 50th already CE (left alone, not counted).
    ecn1 = lambda i: 0 if i % 4 == 3 else (3 if i % 50 == 1 else 2)  # noqa: E731
    ecn0 = lambda i: 1 if i % 2 else 2                                 # noqa: E731
    ports, mports = overload_setup(wd, n, (ecn0, ecn1))
    extra = ("qos: { lossless: [] }\nbuffer: { pool: 8MB }\n"
             "ecn: { classes: { 3: { kmin: %d, kmax: %d, pmax: %s } } }\n" % (kmin, kmax, pmax))
    js, _ = swtest.run_switch(sw, wd, swtest.yaml_config(ports, [("10.0.2.0/24", "out")], extra))
    m = swmodel.Model({"ports": mports, "route": route_all_to(2), "lossless": [], "pool": 8 << 20,
                       "ecn": {3: {"kmin": kmin, "kmax": kmax, "pmax": pmax}}}).run()
    out = swtest.read_pcap(os.path.join(wd, "out.pcap"))
    compare_tx(ck, "out.pcap", out, m.tx[2], ecn_exact=False)
    compare_counters(ck, js, m, ["in0", "in1", "out"], COMMON)
    ck.eq("model drops (the pool holds the whole overload)", sum(m.port_counters(i)["drops"]
                                                                 for i in range(3)), 0)

    frames = {f.key: f for _, f in m.tx[2]}
    ce = {}
    for _, fr in out:
        d = swtest.decode(fr)
        ce[(d["src"], d["psn"])] = d["ecn"] == 3
    not_ect = [k for k, f in frames.items() if f.ecn == 0]
    pre_ce = [k for k, f in frames.items() if f.ecn == 3]
    ect = [f for f in frames.values() if f.ecn in (1, 2)]
    low = [f for f in ect if f.enq_q <= kmin]
    high = [f for f in ect if f.enq_q > kmax]
    ramp = [f for f in ect if kmin < f.enq_q <= kmax]
    ck.true("the overload crosses the whole ramp", len(low) > 50 and len(ramp) > 1000 and
            len(high) > 300, "%d ECT frames at or below kmin, %d on the ramp, %d above kmax" %
            (len(low), len(ramp), len(high)))
    ck.eq("Not-ECT frames marked", sum(ce[k] for k in not_ect), 0)
    ck.eq("Not-ECT frames seen", len(not_ect), n // 4)
    ck.eq("CE frames that stayed CE", sum(ce[k] for k in pre_ce), len(pre_ce))
    ck.eq("ECT frames marked at or below kmin", sum(ce[f.key] for f in low), 0)
    ck.eq("ECT frames marked above kmax", sum(ce[f.key] for f in high), len(high))
    marked_out = sum(ce.values()) - len(pre_ce)
    ck.eq("out.ecn_marked == CE frames out - CE frames in", swtest.port_json(js, "out")["ecn_marked"],
          marked_out)
    ck.eq("totals.ecn_marked", js["totals"]["ecn_marked"], marked_out)
    # Binomial bounds per depth bin: E = sum p, var = sum p(1-p); 4 sigma.
    nb = 6
    allk, allv, allm = 0.0, 0.0, 0
    for b in range(nb):
        lo = kmin + (kmax - kmin) * b // nb
        hi = kmin + (kmax - kmin) * (b + 1) // nb
        fs = [f for f in ramp if lo < f.enq_q <= hi]
        e = sum(f.prob for f in fs)
        v = sum(f.prob * (1 - f.prob) for f in fs)
        k = sum(ce[f.key] for f in fs)
        allk, allv, allm = allk + e, allv + v, allm + k
        sd = math.sqrt(v)
        ck.true("bin (%d, %d] B: %d frames, %d marked, ramp expects %.1f +- 4 x %.1f" %
                (lo, hi, len(fs), k, e, sd), abs(k - e) <= 4 * sd + 1e-9)
    ck.true("whole ramp: %d marked, expected %.1f +- 4 x %.1f" % (allm, allk, math.sqrt(allv)),
            abs(allm - allk) <= 4 * math.sqrt(allv))
    return ck.finish()


def scenario_ecn_step(sw, wd):
    ck = Checker("ECN step (K) at enqueue and at dequeue: 2 x 100G line rate -> 100G")
    n, k = 600, 200 * KB
    ecn1 = lambda i: 0 if i % 5 == 2 else 2  # noqa: E731
    sets = {}
    for at in ("enqueue", "dequeue"):
        d = os.path.join(wd, at)
        os.mkdir(d)
        ports, mports = overload_setup(d, n, (lambda i: 2, ecn1))
        extra = ("qos: { lossless: [] }\nbuffer: { pool: 8MB }\n"
                 "ecn: { plugin: ecn-step, mark_at: %s, classes: { 3: { k: %d } } }\n" % (at, k))
        js, _ = swtest.run_switch(sw, d, swtest.yaml_config(ports, [("10.0.2.0/24", "out")], extra))
        m = swmodel.Model({"ports": mports, "route": route_all_to(2), "lossless": [],
                           "pool": 8 << 20, "ecn": {3: {"k": k}}, "ecn_mode": "step",
                           "mark_at": at}).run()
        out = swtest.read_pcap(os.path.join(d, "out.pcap"))
        compare_tx(ck, "%s: out.pcap" % at, out, m.tx[2], ecn_exact=True)
        compare_counters(ck, js, m, ["in0", "in1", "out"], COMMON)
        marked = {f.key for _, f in m.tx[2] if f.mark}
        ce = {(swtest.decode(fr)["src"], swtest.decode(fr)["psn"]) for _, fr in out
              if swtest.decode(fr)["ecn"] == 3}
        ck.eq("%s: the set of CE frames" % at, sorted(ce), sorted(marked))
        ck.eq("%s: out.ecn_marked" % at, swtest.port_json(js, "out")["ecn_marked"], len(marked))
        ck.eq("%s: ecn_marked of the input ports" % at,
              [swtest.port_json(js, p)["ecn_marked"] for p in ("in0", "in1")], [0, 0])
        notect = {f.key for _, f in m.tx[2] if f.ecn == 0}
        ck.eq("%s: Not-ECT frames marked" % at, len(ce & notect), 0)
        qk = "enq_q" if at == "enqueue" else "deq_q"
        first = min((f.done, f.key, getattr(f, qk)) for _, f in m.tx[2] if f.mark)
        print("     %s: %d marked; first marked %s left at %d ps seeing %d B (> K = %d B)" %
              (at, len(marked), first[1], first[0], first[2], k))
        sets[at] = marked
    # Growing queue: a frame's queue behind it at dequeue is deeper than in front of
    # it at enqueue, so dequeue marks earlier frames; while the queue drains at the
    # end, the last frames see less behind them and only enqueue marks them.
    ck.true("marking at dequeue marks a different set than at enqueue",
            sets["enqueue"] - sets["dequeue"] and sets["dequeue"] - sets["enqueue"],
            "%d at enqueue, %d at dequeue; %d only at dequeue (the build-up), %d only at "
            "enqueue (the drain)" % (len(sets["enqueue"]), len(sets["dequeue"]),
                                     len(sets["dequeue"] - sets["enqueue"]),
                                     len(sets["enqueue"] - sets["dequeue"])))
    return ck.finish()


# ---------------------------------------------------------------------------
# 2. PFC out of the ingress ports
# ---------------------------------------------------------------------------

def first_xoff_closed_form(pool):
    """Two inputs at line rate, one output at the same rate, equal frames: before
    the ingress of frame k (at (k+1)W) the buffer holds the k frames not yet
    started, in FIFO order in0_0, in1_0, in0_1 ...: floor(k/2) of in0 and
    ceil(k/2) of in1, and in0's frame k is admitted first. With dynamic_th 0 a
    group's frame fits while own use + len <= free pool. Returns (port, k)."""
    k = 0
    while True:
        if (k // 2 + 1) * LEN > pool - k * LEN:
            return 0, k
        if ((k + 1) // 2 + 1) * LEN > pool - (k + 1) * LEN:
            return 1, k
        k += 1


def pfc_frames_of(pcap):
    out = []
    for ts, fr in pcap:
        d = swtest.decode(fr)
        assert d["kind"] == "pfc", d
        out.append((ts, d["enable"], d["quanta"][3]))
    return out


def scenario_pfc_xoff(sw, wd):
    ck = Checker("PFC out: 2 x 100G line rate -> 100G on lossless class 3, passive peers")
    n, pool, xoff, refresh_ns = 400, 256 * KB, 64 * KB, 300
    ports, mports = overload_setup(wd, n)
    extra = ("qos: { lossless: [3] }\nbuffer: { pool: %d, ingress: { xoff: %d } }\n"
             "pfc: { refresh: %dns }\n" % (pool, xoff, refresh_ns))
    js, _ = swtest.run_switch(sw, wd, swtest.yaml_config(ports, [("10.0.2.0/24", "out")], extra))
    m = swmodel.Model({"ports": mports, "route": route_all_to(2), "lossless": [3], "pool": pool,
                       "xoff": xoff, "refresh_ps": refresh_ns * 1000}).run()
    names = ["in0", "in1", "out"]
    outs = {nm: swtest.read_pcap(os.path.join(wd, nm + ".tx.pcap" if nm != "out" else "out.pcap"))
            for nm in names}
    for i, nm in enumerate(names):
        compare_tx(ck, nm, outs[nm], m.tx[i])
    compare_counters(ck, js, m, names, COMMON + ["rx_held_ns"])

    # The first XOFF, from the closed form.
    port, k = first_xoff_closed_form(pool)
    t_x = (k + 1) * W
    first = min((e for e in m.events if e[1] == "xoff"), key=lambda e: e[0])
    ck.eq("first XOFF (port, time ps) in the model vs the closed form", (first[2], first[0]),
          (port, t_x))
    pf = pfc_frames_of(outs[names[port]])
    ck.eq("first PFC frame of %s: (ns, enable, quanta) after %d frames (%d bytes) admitted" %
          (names[port], k, k * LEN), pf[0] if pf else None, ((t_x + PFC_W) // 1000, 8, 65535))
    # PFC frames: 60 bytes to 01:80:c2:00:00:01 from the ingress port's own MAC.
    hdr = {(nm, fr[:6].hex(":"), fr[6:12].hex(":"), len(fr)) for nm in ("in0", "in1")
           for _, fr in outs[nm]}
    ck.eq("PFC frames (port, dst, src, length)", sorted(hdr),
          [("in0", "01:80:c2:00:00:01", "02:fa:b0:00:00:00", 60),
           ("in1", "01:80:c2:00:00:01", "02:fa:b0:00:00:01", 60)])
    # Refreshes exactly every refresh interval while XOFF stands; XON closes each episode.
    episodes, bad = 0, []
    for nm in ("in0", "in1"):
        pf = pfc_frames_of(outs[nm])
        run = []
        for ts, en, q in pf:
            if en != 8:
                bad.append((nm, ts, en))
            if q:
                run.append(ts)
                continue
            episodes += 1
            if len(run) < 2 or any(b - a != refresh_ns for a, b in zip(run, run[1:])):
                bad.append((nm, run))
            run = []
        if run:
            bad.append((nm, "XOFF never resumed", run))
    ck.true("every XOFF episode refreshed every %d ns and closed by one XON" % refresh_ns,
            episodes > 0 and not bad, "%d episodes; %s" % (episodes, bad[:3]))
    xoffs = sum(m.pfc_tx_xoff[i][3] for i in range(2))
    ck.true("refreshes seen", xoffs > 2 * episodes, "%d XOFF frames in %d episodes" %
            (xoffs, episodes))
    # Lossless: every input frame comes out, once.
    keys = sorted((swtest.decode(fr)["src"], swtest.decode(fr)["psn"]) for _, fr in outs["out"])
    ck.true("lossless: every input frame came out once", keys ==
            sorted([(SRC[0], i) for i in range(n)] + [(SRC[1], i) for i in range(n)]),
            "%d in, %d out" % (2 * n, len(keys)))
    ck.eq("totals.drops", js["totals"]["drops"], 0)
    ck.true("passive peers were held", all(swtest.port_json(js, p)["rx_held_ns"] > 0
                                           for p in ("in0", "in1")))
    ck.eq("sim_time_ns", js["sim_time_ns"], m.end // 1000)
    return ck.finish()


def scenario_pfc_full_pool(sw, wd):
    """dynamic_th 7: a group may take the whole free pool, so the shared use of
    the two groups reaches the pool and the headroom frames come on top: the
    lossless egress queue then holds more than the pool, and must not drop."""
    ck = Checker("PFC out with dynamic_th 7: lossless queue beyond the pool, no drop")
    n, pool, xoff = 400, 128 * KB, 64 * KB
    ports, mports = overload_setup(wd, n)
    extra = ("qos: { lossless: [3] }\nbuffer: { pool: %d, ingress: { dynamic_th: 7, xoff: %d } }\n"
             % (pool, xoff))
    js, _ = swtest.run_switch(sw, wd, swtest.yaml_config(ports, [("10.0.2.0/24", "out")], extra))
    m = swmodel.Model({"ports": mports, "route": route_all_to(2), "lossless": [3], "pool": pool,
                       "dynamic_th": 7, "xoff": xoff}).run()
    names = ["in0", "in1", "out"]
    for i, nm in enumerate(names):
        compare_tx(ck, nm, swtest.read_pcap(
            os.path.join(wd, nm + ".tx.pcap" if nm != "out" else "out.pcap")), m.tx[i])
    compare_counters(ck, js, m, names, COMMON + ["rx_held_ns"])
    ck.true("the lossless queue grew beyond the pool", m.sched[2].maxq[3] > pool,
            "model max queue %d B, pool %d B" % (m.sched[2].maxq[3], pool))
    ck.eq("totals.drops", js["totals"]["drops"], 0)
    return ck.finish()


# ---------------------------------------------------------------------------
# 3. PFC received on the egress port
# ---------------------------------------------------------------------------

def scenario_pfc_rx(sw, wd):
    ck = Checker("PFC in: priority 3 paused on the egress, class 0 keeps flowing")
    n3, quanta = 250, 2000
    D = swmodel.quanta_ps(quanta, RATE)          # 10.24 us
    gap_ns = 177                                  # class 0 at about half the rate
    for variant in ("full", "resume"):
        # Find a PFC arrival T (whole ns, near 5 us) while a class-3 frame is on the wire.
        for T_ns in range(5000, 6000, 7):
            T = T_ns * 1000
            n0 = (T + D - 1500000) // (gap_ns * 1000)   # class 0 ends before the pause does
            T2 = T + 4000000 if variant == "resume" else None
            items = [(0, {3: 0}), (T_ns, {3: quanta})]
            if T2:
                items.append((T2 // 1000, {3: 0}))
            d = os.path.join(wd, "%s-%d" % (variant, T_ns))
            os.makedirs(d, exist_ok=True)
            r3, f3 = make_frames(0, n3, dscp=26)
            r0, f0 = make_frames(1, n0, dscp=0, ts_of=lambda i: i * gap_ns)
            rp, fp = pfc_records(2, items)
            mports = [{"name": "in3", "rate": RATE, "frames": f3, "timing": "line-rate"},
                      {"name": "in0", "rate": RATE, "frames": f0, "timing": "trace"},
                      {"name": "out", "rate": RATE, "frames": fp, "timing": "trace"}]
            m = swmodel.Model({"ports": mports, "route": route_all_to(2), "lossless": [3],
                               "pool": 16 << 20, "xoff": 64 * KB}).run()
            onwire = [f for _, f in m.tx[2] if f.start < T < f.done]
            if onwire and onwire[0].cls == 3:
                break
        else:
            raise SystemExit("FAIL: no class-3 frame on the wire near 5 us in the model")
        swtest.write_pcap(os.path.join(d, "in3.pcap"), r3)
        swtest.write_pcap(os.path.join(d, "in0.pcap"), r0)
        swtest.write_pcap(os.path.join(d, "pfc.pcap"), rp)
        ports = [("in3", "in3.pcap", None, "line-rate", ""),
                 ("in0", "in0.pcap", None, "trace", ""),
                 ("out", "pfc.pcap", "out.pcap", "trace", "")]
        extra = "qos: { lossless: [3] }\nbuffer: { ingress: { xoff: %d } }\n" % (64 * KB)
        js, _ = swtest.run_switch(sw, d, swtest.yaml_config(ports, [("10.0.2.0/24", "out")],
                                                             extra))
        end = T2 if T2 else T + D
        print("     %s: PFC (3: %d quanta = %d ps) arrives at %d ps%s" %
              (variant, quanta, D, T, ", time 0 at %d ps" % T2 if T2 else ""))
        out = swtest.read_pcap(os.path.join(d, "out.pcap"))
        compare_tx(ck, variant + ": out.pcap", out, m.tx[2])
        compare_counters(ck, js, m, ["in3", "in0", "out"],
                         ["rx_pkts", "tx_pkts", "fwd_pkts", "drops", "pfc_rx", "paused_ns",
                          "max_queue_bytes", "consumed_pkts", "pfc_tx"])
        pj = swtest.port_json(js, "out")
        ck.eq(variant + ": out.paused_ns", pj["paused_ns"],
              [0, 0, 0, (end - T) // 1000, 0, 0, 0, 0])
        # From the pcap alone (ns floor of the end of each frame): no class-3 frame starts
        # in [T, end); the one on the wire at T finishes at its time.
        cls3 = [(ts, fr) for ts, fr in out if swtest.decode(fr)["src"] == SRC[0]]
        inside = [ts for ts, _ in cls3 if not (ts * 1000 < T + W or ts * 1000 + 999 >= end + W)]
        ck.eq(variant + ": class-3 frames starting inside the pause", inside, [])
        ow = onwire[0]
        ck.true(variant + ": the class-3 frame on the wire at T finished",
                any(swtest.decode(fr)["psn"] == ow.idx and ts == ow.done // 1000 for ts, fr in cls3),
                "psn %d, %d ps .. %d ps" % (ow.idx, ow.start, ow.done))
        after = min(ts for ts, _ in cls3 if ts * 1000 >= T + W)
        busy_at_end = [f for _, f in m.tx[2] if f.start < end < f.done]
        ck.true(variant + ": the wire is idle when the pause ends, so class 3 starts then",
                not busy_at_end)
        ck.eq(variant + ": first class-3 frame after the pause ends at (ns)", after,
              (end + W) // 1000)
        c0 = [ts for ts, fr in out if swtest.decode(fr)["src"] == SRC[1] and T < ts * 1000 < end]
        ck.true(variant + ": class 0 kept flowing during the pause", len(c0) > 10,
                "%d class-0 frames ended during it" % len(c0))
        ck.eq(variant + ": out == in", len(out), n3 + n0)
    return ck.finish()


# ---------------------------------------------------------------------------
# 4. Passive peer and headroom overrun
# ---------------------------------------------------------------------------

def scenario_headroom(sw, wd):
    ck = Checker("Passive-peer stand-in vs a peer that ignores PFC, 20 KB headroom")
    n, pool, xoff = 400, 256 * KB, 20 * KB
    for passive in (True, False):
        d = os.path.join(wd, "passive" if passive else "active")
        os.mkdir(d)
        ports, mports = overload_setup(d, n)
        peer = "peer: { passive: %s }" % ("true" if passive else "false")
        ports = [(a, b, c, t, peer if a != "out" else "") for a, b, c, t, _ in ports]
        for mp in mports[:2]:
            mp["passive"] = passive
        extra = ("qos: { lossless: [3] }\nbuffer: { pool: %d, ingress: { xoff: %d } }\n"
                 % (pool, xoff))
        js, _ = swtest.run_switch(sw, d, swtest.yaml_config(ports, [("10.0.2.0/24", "out")],
                                                             extra))
        m = swmodel.Model({"ports": mports, "route": route_all_to(2), "lossless": [3],
                           "pool": pool, "xoff": xoff}).run()
        tag = "passive" if passive else "not passive"
        names = ["in0", "in1", "out"]
        for i, nm in enumerate(names):
            compare_tx(ck, "%s: %s" % (tag, nm), swtest.read_pcap(
                os.path.join(d, nm + ".tx.pcap" if nm != "out" else "out.pcap")), m.tx[i])
        compare_counters(ck, js, m, names, COMMON + ["rx_held_ns"])
        tot = js["totals"]
        out_n = swtest.port_json(js, "out")["tx_pkts"]
        ck.eq("%s: frames in == frames out + drops" % tag, 2 * n, out_n + tot["drops"])
        if passive:
            ck.eq("passive: drops", tot["drops"], 0)
            ck.true("passive: rx_held_ns > 0 on both inputs",
                    all(swtest.port_json(js, p)["rx_held_ns"] > 0 for p in ("in0", "in1")))
        else:
            ck.true("not passive: headroom overrun drops", tot["drops"] > 0 and
                    tot["drop_reasons"]["buffer_headroom_overrun"] == tot["drops"],
                    "%d drops, %d buffer_headroom_overrun" %
                    (tot["drops"], tot["drop_reasons"]["buffer_headroom_overrun"]))
            ck.eq("not passive: rx_held_ns", [swtest.port_json(js, p)["rx_held_ns"]
                                              for p in ("in0", "in1")], [0, 0])
    return ck.finish()


# ---------------------------------------------------------------------------
# 5. Lossy tail drop
# ---------------------------------------------------------------------------

def scenario_lossy(sw, wd):
    ck = Checker("Lossy class 0 under the overload: tail drop by the buffer arithmetic")
    n, pool = 600, 256 * KB
    for variant, buf, mconf in (
            ("ingress dynamic_th 0", "buffer: { pool: %d }" % pool, {}),
            ("egress static 64KB", "buffer: { pool: %d, egress: { lossy_static: 64KB } }" % pool,
             {"eg_lossy_static": 64 * KB}),
            ("egress dynamic_th -1",
             "buffer: { pool: %d, egress: { lossy_dynamic_th: -1 } }" % pool,
             {"eg_lossy_th": -1})):
        d = os.path.join(wd, variant.replace(" ", "_"))
        os.mkdir(d)
        ports, mports = overload_setup(d, n, dscp=0)
        js, _ = swtest.run_switch(sw, d, swtest.yaml_config(ports, [("10.0.2.0/24", "out")],
                                                             buf + "\n"))
        conf = {"ports": mports, "route": route_all_to(2), "pool": pool, "xoff": 0}
        conf.update(mconf)
        m = swmodel.Model(conf).run()
        names = ["in0", "in1", "out"]
        out = swtest.read_pcap(os.path.join(d, "out.pcap"))
        compare_tx(ck, variant + ": out.pcap", out, m.tx[2])
        compare_counters(ck, js, m, names, COMMON)
        dropped = sorted(f.key for mp in mports[:2] for f in mp["frames"] if f.verdict != "admit")
        kept = sorted((swtest.decode(fr)["src"], swtest.decode(fr)["psn"]) for _, fr in out)
        allk = sorted(f.key for mp in mports[:2] for f in mp["frames"])
        ck.true(variant + ": frames out + frames the model dropped == frames in",
                sorted(kept + dropped) == allk, "%d out + %d dropped, %d in" %
                (len(kept), len(dropped), len(allk)))
        tot = js["totals"]
        reason = "buffer_egress" if "egress" in variant else "buffer_ingress"
        ck.true(variant + ": every drop is " + reason, tot["drops"] > 0 and
                tot["drop_reasons"][reason] == tot["drops"] == len(dropped),
                "%d drops, %d %s, model %d" % (tot["drops"], tot["drop_reasons"][reason], reason,
                                               len(dropped)))
        ck.eq(variant + ": frames in == out + drops", 2 * n,
              swtest.port_json(js, "out")["tx_pkts"] + tot["drops"])
        if "egress" in variant:
            # Closed form: before slot k the queue holds k frames (two in, one out per
            # slot) until in1's frame no longer fits at q = qmax; from then on one
            # drop per slot: n - qmax drops.
            if "static" in variant:
                fits = lambda q: (q + 1) * LEN <= 64 * KB          # noqa: E731
            else:
                fits = lambda q: (q + 1) * LEN <= (pool - q * LEN) >> 1  # noqa: E731
            qmax = 0
            while fits(qmax + 1):
                qmax += 1
            ck.eq(variant + ": drops by the closed form n - qmax (a frame fits behind at "
                  "most qmax = %d)" % qmax,
                  tot["drops"], n - qmax)
    return ck.finish()


SCENARIOS = {
    "ecn-red": scenario_ecn_red,
    "ecn-step": scenario_ecn_step,
    "pfc-xoff": scenario_pfc_xoff,
    "pfc-full-pool": scenario_pfc_full_pool,
    "pfc-rx": scenario_pfc_rx,
    "headroom": scenario_headroom,
    "lossy": scenario_lossy,
}


def main(argv):
    if len(argv) != 3 or argv[2] not in SCENARIOS:
        print(__doc__ + "\nscenarios: " + ", ".join(SCENARIOS), file=sys.stderr)
        return 2
    sw = argv[1]
    if not os.access(sw, os.X_OK):
        print("rocefab-switch not built: %s" % sw)
        return 77
    with tempfile.TemporaryDirectory(prefix="rocefab-cong-") as wd:
        return SCENARIOS[argv[2]](sw, wd)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
