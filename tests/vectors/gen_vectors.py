#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 rocefab authors
"""Regenerate the known-answer vectors in this folder.

IPv4 RoCEv2 frames, CNPs, PFC and PAUSE come from scapy's own contribs
(Debian python3-scapy 2.5: scapy.contrib.roce, scapy.contrib.mac_control),
so their ICRCs are scapy's, not ours. scapy writes 0 as the ICRC of IPv6
frames, so those carry the ICRC of roce_ref.py, our zlib reference written
from the specification. scapy has no RETH layer: it rides as raw bytes.

Run with Debian's interpreter: /usr/bin/python3 tests/vectors/gen_vectors.py
"""
import os
import struct
import sys

from scapy.all import Ether, IP, IPv6, UDP, Dot1Q, Raw, raw
from scapy.contrib.roce import BTH, AETH, cnp
from scapy.contrib.mac_control import MACControlClassBasedFlowControl, MACControlPause

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import roce_ref  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SRC, DST = "02:00:00:00:00:01", "02:00:00:00:00:02"


def reth(vaddr, rkey, length):
    return struct.pack("!QII", vaddr, rkey, length)


def payload(n, seed):
    return bytes((seed + 7 * i) & 0xFF for i in range(n))


def v4(bth, data=b"", tos=0x02, sport=49152):
    return Ether(src=SRC, dst=DST) / IP(src="10.0.0.1", dst="10.0.1.2", tos=tos, flags="DF", id=0, ttl=64) / \
        UDP(sport=sport, dport=4791, chksum=0) / bth / Raw(data)


def v6(bth, data=b"", tc=0x02, sport=49152):
    p = Ether(src=SRC, dst=DST) / IPv6(src="fd00::1", dst="fd00:0:0:1::2", tc=tc, fl=0x12345, hlim=64) / \
        UDP(sport=sport, dport=4791, chksum=0) / bth / Raw(data)
    frame = bytearray(raw(p))
    struct.pack_into("<I", frame, len(frame) - 4, roce_ref.icrc(bytes(frame)))
    return bytes(frame)


VECTORS = {
    # name: (description, frame bytes)
    "v4_write_first": ("RC WRITE FIRST with RETH, 256 B payload, PSN 0x123456, QP 0x12",
                       raw(v4(BTH(opcode=0x06, dqpn=0x12, psn=0x123456), reth(0x1000, 0xabcd, 1024) + payload(256, 1)))),
    "v4_write_middle": ("RC WRITE MIDDLE, 256 B, PSN 0x123457",
                        raw(v4(BTH(opcode=0x07, dqpn=0x12, psn=0x123457), payload(256, 2)))),
    "v4_write_last": ("RC WRITE LAST with AckReq, 250 B (pad 2), PSN 0x123458",
                      raw(v4(BTH(opcode=0x08, dqpn=0x12, psn=0x123458, ackreq=1, padcount=2), payload(250, 3) + b"\0\0"))),
    "v4_write_only": ("RC WRITE ONLY with RETH, 64 B, PSN 0xfffffe, ECT(0)",
                      raw(v4(BTH(opcode=0x0A, dqpn=0xABCDE, psn=0xFFFFFE, ackreq=1), reth(0xdeadbeef00, 7, 64) + payload(64, 4)))),
    "v4_ack": ("RC ACK, AETH syndrome 0x1f (credits unlimited), MSN 5, PSN 0x123458",
               raw(v4(BTH(opcode=0x11, dqpn=0x34, psn=0x123458) / AETH(syndrome=0x1F, msn=5), tos=0))),
    "v4_nak": ("RC NAK PSN sequence error (0x60), expected PSN 0x000010",
               raw(v4(BTH(opcode=0x11, dqpn=0x34, psn=0x10) / AETH(syndrome=0x60, msn=4), tos=0))),
    "v4_cnp": ("CNP for QP 0x12 (BECN, 16 reserved bytes), DSCP 48",
               raw(v4(cnp(0x12), tos=48 << 2))),
    "v4_vlan_write_middle": ("802.1Q tag PCP 3 VID 100, RC WRITE MIDDLE 128 B",
                             raw(Ether(src=SRC, dst=DST) / Dot1Q(prio=3, vlan=100) /
                                 IP(src="10.0.0.1", dst="10.0.1.2", tos=(26 << 2) | 2, flags="DF", id=0) /
                                 UDP(sport=50000, dport=4791, chksum=0) /
                                 BTH(opcode=0x07, dqpn=0x99, psn=77) / Raw(payload(128, 5)))),
    "v6_write_first": ("IPv6 RC WRITE FIRST with RETH, 512 B (ICRC from roce_ref.py)",
                       v6(BTH(opcode=0x06, dqpn=0x21, psn=0x10), reth(0x2000, 0x55, 4096) + payload(512, 6))),
    "v6_ack": ("IPv6 RC ACK MSN 9 (ICRC from roce_ref.py)",
               v6(BTH(opcode=0x11, dqpn=0x22, psn=0x11) / AETH(syndrome=0x1F, msn=9), tc=0)),
    "v6_cnp": ("IPv6 CNP for QP 0x21 (ICRC from roce_ref.py)",
               v6(cnp(0x21), tc=48 << 2)),
    "pfc_p3": ("PFC: priority 3 paused for 0xffff quanta, others disabled",
               raw(Ether(src=SRC, dst="01:80:c2:00:00:01", type=0x8808) /
                   MACControlClassBasedFlowControl(c3_enabled=1, c3_pause_time=0xFFFF))),
    "pfc_p3_p4_resume": ("PFC: priorities 3 and 4 enabled with time 0 (resume), 4 also",
                         raw(Ether(src=SRC, dst="01:80:c2:00:00:01", type=0x8808) /
                             MACControlClassBasedFlowControl(c3_enabled=1, c4_enabled=1))),
    "pause": ("802.3x PAUSE 0x1234 quanta",
              raw(Ether(src=SRC, dst="01:80:c2:00:00:01", type=0x8808) / MACControlPause(pause_time=0x1234))),
}


def main():
    for name, (desc, frame) in VECTORS.items():
        with open(os.path.join(HERE, name + ".hex"), "w") as f:
            f.write(f"# {desc}\n# {len(frame)} bytes; made by gen_vectors.py with scapy 2.5\n")
            for i in range(0, len(frame), 16):
                f.write(" ".join(f"{b:02x}" for b in frame[i:i + 16]) + "\n")
    print(f"wrote {len(VECTORS)} vectors")


if __name__ == "__main__":
    main()
