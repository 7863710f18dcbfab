#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 rocefab authors
"""Per-QP receive rates from a pcap of a link, in time bins.

    scripts/qp-rates.py LINK.pcap [BIN_US]

Reads a pcap written by rocefab (a tapped link of `rocefab run`, or a trace
of rocefab-gen), counts the bytes of RoCEv2 RDMA WRITE frames per
(destination address, destination QP) in bins of BIN_US microseconds
(default 500), and prints one line per bin: its start and each QP's rate in
Gb/s (frame bytes, as a NIC's counters count them). CNPs are listed at the
end per QP with their smallest spacing. Standard library only.
"""

import struct
import sys

WRITE_OPCODES = range(0x06, 0x0B)
CNP = 0x81


def frames(path):
    with open(path, "rb") as f:
        hdr = f.read(24)
        if len(hdr) < 24:
            sys.exit(f"{path}: not a pcap file")
        magic = struct.unpack("<I", hdr[:4])[0]
        if magic not in (0xA1B2C3D4, 0xA1B23C4D):
            sys.exit(f"{path}: not a little-endian pcap file (magic {magic:#x})")
        nano = magic == 0xA1B23C4D
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                return
            sec, frac, incl, _ = struct.unpack("<IIII", rec)
            data = f.read(incl)
            if len(data) < incl:
                return
            yield sec * 10**9 + (frac if nano else frac * 1000), data


def roce(frame):
    """(destination address, BTH opcode, destination QP) of a RoCEv2 frame, or None."""
    if len(frame) < 14:
        return None
    etype, off = struct.unpack("!H", frame[12:14])[0], 14
    if etype == 0x8100:
        etype, off = struct.unpack("!H", frame[16:18])[0], 18
    if etype == 0x0800 and len(frame) >= off + 20 and frame[off + 9] == 17:
        dst, l4 = frame[off + 16:off + 20].hex(), off + (frame[off] & 15) * 4
    elif etype == 0x86DD and len(frame) >= off + 40 and frame[off + 6] == 17:
        dst, l4 = frame[off + 24:off + 40].hex(), off + 40
    else:
        return None
    if len(frame) < l4 + 20 or struct.unpack("!H", frame[l4 + 2:l4 + 4])[0] != 4791:
        return None
    bth = l4 + 8
    return dst, frame[bth], struct.unpack("!I", frame[bth + 4:bth + 8])[0] & 0xFFFFFF


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if len(argv) >= 2 else 2
    bin_ns = int(float(argv[2]) * 1000) if len(argv) > 2 else 500_000
    bins, cnps, qps = {}, {}, []
    for ts, f in frames(argv[1]):
        r = roce(f)
        if r is None:
            continue
        dst, op, qpn = r
        key = (dst, qpn)
        if op == CNP:
            cnps.setdefault(key, []).append(ts)
        elif op in WRITE_OPCODES:
            if key not in qps:
                qps.append(key)
            b = bins.setdefault(ts // bin_ns, {})
            b[key] = b.get(key, 0) + len(f)
    names = {k: "%s/%#x" % k for k in qps}
    print("time_us " + " ".join(names[k] for k in qps) + "   (Gb/s)")
    for b in sorted(bins):
        print("%7.0f " % (b * bin_ns / 1000) + " ".join(
            "%6.2f" % (bins[b].get(k, 0) * 8 / bin_ns) for k in qps))
    for k, ts in sorted(cnps.items()):
        gaps = [b - a for a, b in zip(ts, ts[1:])]
        print("CNPs to %s/%#x: %d, smallest gap %s us" % (k[0], k[1], len(ts),
              "%.3f" % (min(gaps) / 1000) if gaps else "-"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
