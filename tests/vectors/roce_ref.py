#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 rocefab authors
"""Independent RoCEv2 ICRC reference, written from IBTA vol. 1 annex A17.

It shares no code with lib/pkt: it walks the headers itself and uses zlib's
crc32. Unlike scapy 2.5 (IPv4 only) it covers IPv6.

    roce_ref.py verify FILE.pcap...   check every RoCEv2 frame's ICRC
    roce_ref.py icrc HEXFILE          print the ICRC a frame should carry
"""
import struct
import sys
import zlib

ROCE_PORT = 4791


def _l3_offset(frame):
    off, et = 14, struct.unpack_from("!H", frame, 12)[0]
    while et in (0x8100, 0x88A8, 0x9100):
        et = struct.unpack_from("!H", frame, off + 2)[0]
        off += 4
    return off, et


def roce_layout(frame):
    """(l3_off, version, udp_off, icrc_off) of a RoCEv2 frame, else None."""
    if len(frame) < 14:
        return None
    off, et = _l3_offset(frame)
    if et == 0x0800 and len(frame) >= off + 20:
        ihl = (frame[off] & 0xF) * 4
        if frame[off + 9] != 17:
            return None
        udp, ver = off + ihl, 4
    elif et == 0x86DD and len(frame) >= off + 40:
        if frame[off + 6] != 17:
            return None
        udp, ver = off + 40, 6
    else:
        return None
    if len(frame) < udp + 8:
        return None
    dport, ulen = struct.unpack_from("!H", frame, udp + 2)[0], struct.unpack_from("!H", frame, udp + 4)[0]
    if dport != ROCE_PORT or ulen < 8 + 12 + 4 or udp + ulen > len(frame):
        return None
    return off, ver, udp, udp + ulen - 4


def icrc(frame):
    """The ICRC (as an integer, stored little-endian on the wire), or None."""
    lay = roce_layout(frame)
    if lay is None:
        return None
    l3, ver, udp, end = lay
    buf = bytearray(b"\xff" * 8) + bytearray(frame[l3:end])
    ip = 8
    if ver == 4:
        buf[ip + 1] = 0xFF                      # type of service
        buf[ip + 8] = 0xFF                      # time to live
        buf[ip + 10:ip + 12] = b"\xff\xff"      # header checksum
    else:
        buf[ip] |= 0x0F                          # traffic class (high nibble)
        buf[ip + 1:ip + 4] = b"\xff\xff\xff"    # traffic class, flow label
        buf[ip + 7] = 0xFF                      # hop limit
    u = ip + (udp - l3)
    buf[u + 6:u + 8] = b"\xff\xff"              # UDP checksum
    buf[u + 8 + 4] = 0xFF                       # BTH FECN/BECN/reserved
    return zlib.crc32(bytes(buf)) & 0xFFFFFFFF


def stored_icrc(frame):
    lay = roce_layout(frame)
    return None if lay is None else struct.unpack_from("<I", frame, lay[3])[0]


def read_pcap(path):
    """Yield (ts_ns, frame) from a classic pcap file (us or ns timestamps)."""
    with open(path, "rb") as f:
        hdr = f.read(24)
        if len(hdr) < 24:
            raise ValueError(f"{path}: not a pcap file (short header)")
        magic = struct.unpack("<I", hdr[:4])[0]
        endian = "<"
        if magic in (0xA1B2C3D4, 0xA1B23C4D):
            pass
        elif struct.unpack(">I", hdr[:4])[0] in (0xA1B2C3D4, 0xA1B23C4D):
            endian, magic = ">", struct.unpack(">I", hdr[:4])[0]
        else:
            raise ValueError(f"{path}: not a pcap file (magic {magic:#x})")
        nano = magic == 0xA1B23C4D
        while True:
            rec = f.read(16)
            if not rec:
                return
            if len(rec) < 16:
                raise ValueError(f"{path}: truncated record header")
            sec, frac, incl, _orig = struct.unpack(endian + "IIII", rec)
            data = f.read(incl)
            if len(data) < incl:
                raise ValueError(f"{path}: truncated record")
            yield sec * 10**9 + (frac if nano else frac * 1000), data


def verify(paths):
    total = bad = 0
    for p in paths:
        for i, (_ts, frame) in enumerate(read_pcap(p), 1):
            want = icrc(frame)
            if want is None:
                continue
            total += 1
            got = stored_icrc(frame)
            if got != want:
                bad += 1
                print(f"{p}: frame {i}: ICRC {got:#010x}, expected {want:#010x}")
    print(f"{total} RoCEv2 frames, {bad} bad ICRC")
    return 1 if bad or total == 0 else 0


def main(argv):
    if len(argv) >= 3 and argv[1] == "verify":
        return verify(argv[2:])
    if len(argv) == 3 and argv[1] == "icrc":
        text = open(argv[2]).read()
        frame = bytes.fromhex("".join(l.split("#")[0] for l in text.splitlines()))
        v = icrc(frame)
        print("not RoCEv2" if v is None else f"{v:#010x}")
        return 0 if v is not None else 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
