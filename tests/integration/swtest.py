# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 rocefab authors
"""Helpers for the switch's end-to-end tests: frames, pcap files, configs,
running rocefab-switch, reading what it wrote.

Frames are built with struct (no scapy: thousands of frames per test) and
carry a valid ICRC from tests/vectors/roce_ref.py, the zlib reference that
shares no code with lib/pkt.
"""
import json
import os
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "vectors"))
import roce_ref  # noqa: E402

EAL = ["--no-huge", "--no-pci", "--no-shconf", "--no-telemetry", "-m", "512", "-l", "0",
       "--log-level=*:warning"]

OP_WRITE_MIDDLE = 0x07
PFC_DST = bytes.fromhex("0180c2000001")
# Eth 14 + IPv4 20 + UDP 8 + BTH 12 + ICRC 4
ROCE_V4_OVERHEAD = 58


def ip4(s):
    return bytes(int(x) for x in s.split("."))


def ip4_str(b):
    return ".".join(str(x) for x in b)


def _csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def roce_frame(src, dst, psn, frame_len, dscp=26, ecn=2, sport=0xC000, qp=0x12,
               opcode=OP_WRITE_MIDDLE, dst_mac="02:fa:b0:00:00:00", src_mac="02:00:00:00:00:01",
               ttl=64):
    """An IPv4 RoCEv2 frame of exactly frame_len bytes (no FCS) with a valid ICRC."""
    payload_len = frame_len - ROCE_V4_OVERHEAD
    assert payload_len >= 0 and payload_len % 4 == 0, frame_len
    ip_len = 20 + 8 + 12 + payload_len + 4
    ip = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, (dscp << 2) | ecn, ip_len, psn & 0xFFFF,
                               0x4000, ttl, 17, 0, ip4(src), ip4(dst)))
    struct.pack_into("!H", ip, 10, _csum(bytes(ip)))
    udp = struct.pack("!HHHH", sport, 4791, ip_len - 20, 0)
    bth = struct.pack("!BBHI I", opcode, 0, 0xFFFF, qp & 0xFFFFFF, psn & 0xFFFFFF)
    payload = bytes((psn + i) & 0xFF for i in range(payload_len))
    eth = bytes.fromhex(dst_mac.replace(":", "")) + bytes.fromhex(src_mac.replace(":", "")) + \
        b"\x08\x00"
    frame = bytearray(eth + bytes(ip) + udp + bth + payload + b"\0\0\0\0")
    struct.pack_into("<I", frame, len(frame) - 4, roce_ref.icrc(bytes(frame)))
    assert len(frame) == frame_len
    return bytes(frame)


def pfc_frame(quanta_by_prio, src_mac="02:00:00:00:00:09"):
    """An 802.1Qbb PFC frame (60 bytes): quanta_by_prio maps priority -> pause quanta."""
    enable = 0
    q = [0] * 8
    for p, v in quanta_by_prio.items():
        enable |= 1 << p
        q[p] = v
    body = struct.pack("!HH8H", 0x0101, enable, *q)
    f = PFC_DST + bytes.fromhex(src_mac.replace(":", "")) + b"\x88\x08" + body
    return f + bytes(60 - len(f))


def decode(frame):
    """A dict describing a frame the switch wrote: kind 'pfc' or 'roce'."""
    et = struct.unpack_from("!H", frame, 12)[0]
    if et == 0x8808:
        op, enable = struct.unpack_from("!HH", frame, 14)
        quanta = struct.unpack_from("!8H", frame, 18)
        return {"kind": "pfc", "opcode": op, "enable": enable, "quanta": quanta,
                "len": len(frame), "src_mac": frame[6:12].hex(":")}
    assert et == 0x0800, hex(et)
    tos, = struct.unpack_from("!B", frame, 15)
    ttl, = struct.unpack_from("!B", frame, 22)
    src = ip4_str(frame[26:30])
    psn = struct.unpack_from("!I", frame, 14 + 20 + 8 + 8)[0] & 0xFFFFFF
    return {"kind": "roce", "src": src, "dst": ip4_str(frame[30:34]), "psn": psn,
            "dscp": tos >> 2, "ecn": tos & 3, "ttl": ttl, "len": len(frame),
            "ip_ok": _csum(frame[14:34]) == 0,
            "icrc_ok": roce_ref.icrc(frame) == roce_ref.stored_icrc(frame),
            "dst_mac": frame[0:6].hex(":"), "src_mac": frame[6:12].hex(":")}


def write_pcap(path, records):
    """records: iterable of (ts_ns, frame). A nanosecond pcap (magic a1b23c4d)."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B23C4D, 2, 4, 0, 0, 65535, 1))
        for ts, fr in records:
            f.write(struct.pack("<IIII", ts // 10**9, ts % 10**9, len(fr), len(fr)))
            f.write(fr)


def read_pcap(path):
    """[(ts_ns, frame)] of a pcap file; [] when the file is absent."""
    if not os.path.exists(path):
        return []
    return list(roce_ref.read_pcap(path))


def yaml_config(ports, routes, extra=""):
    """A switch config. ports: [(name, rx|None, tx|None, timing, extra-port-yaml)]."""
    out = ["switch: { name: cong, seed: 7 }", "ports:"]
    for name, rx, tx, timing, more in ports:
        pc = []
        if rx:
            pc.append("rx: " + rx)
        if tx:
            pc.append("tx: " + tx)
        if timing:
            pc.append("timing: " + timing)
        out.append("  - name: %s" % name)
        out.append("    pcap: { %s }" % ", ".join(pc))
        out.append("    rate: 100G")
        if more:
            out.append("    " + more)
    out.append("routes:")
    for prefix, port in routes:
        out.append("  - { prefix: %s, via: { port: %s, mac: 02:00:00:00:aa:01 } }" % (prefix, port))
    out.append(extra)
    return "\n".join(out) + "\n"


def run_switch(binary, workdir, config_text, name="switch.yaml"):
    """Run rocefab-switch on a config in workdir; returns (switch.json dict, stdout)."""
    cfg = os.path.join(workdir, name)
    with open(cfg, "w") as f:
        f.write(config_text)
    out = os.path.join(workdir, "out")
    cmd = [binary] + EAL + ["--", "--config", cfg, "--out", out]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       timeout=600)
    if r.returncode != 0:
        print(r.stdout)
        raise SystemExit("FAIL: rocefab-switch exited with %d" % r.returncode)
    with open(os.path.join(out, "switch.json")) as f:
        return json.load(f), r.stdout


def port_json(js, name):
    for p in js["ports"]:
        if p["name"] == name:
            return p
    raise KeyError(name)


class Checker:
    """Collects comparisons; prints each; exit status 1 if any failed."""

    def __init__(self, title):
        self.title = title
        self.failed = 0
        self.done = 0
        print("== " + title)

    def eq(self, what, got, want):
        self.done += 1
        ok = got == want
        if not ok:
            self.failed += 1
        print("%s %s: got %s, model %s" % ("ok  " if ok else "FAIL", what, _short(got),
                                           _short(want)))
        return ok

    def true(self, what, cond, detail=""):
        self.done += 1
        if not cond:
            self.failed += 1
        print("%s %s%s" % ("ok  " if cond else "FAIL", what, (": " + detail) if detail else ""))
        return cond

    def finish(self):
        print("== %s: %d checks, %d failed" % (self.title, self.done, self.failed))
        return 1 if self.failed else 0


def _short(v):
    s = repr(v)
    return s if len(s) <= 160 else s[:150] + "...(%d chars)" % len(s)
