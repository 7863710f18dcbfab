#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 rocefab authors
"""Write the input trace of bench/switch-fwd: RoCEv2 RDMA WRITE MIDDLE frames
over IPv4, spread over FLOWS flows (distinct destination address, UDP source
port and QP each) so that ECMP and the route lookup have work.

A frame of SIZE bytes is SIZE bytes on the wire with its FCS, as RFC 2544 and
every switch datasheet count, so the trace holds SIZE - 4 bytes per frame.
Every RoCEv2 header is a multiple of 4 bytes and the IPv4 WRITE MIDDLE without
payload is 58, so no payload gives exactly SIZE - 4: the frame carries the
largest 4-aligned payload that fits and the Ethernet frame is padded after
the IP datagram by the remaining 2 bytes (as a NIC pads a short frame to 60).
A 64-byte frame is therefore a WRITE MIDDLE with an empty payload.

Standard library only (no scapy): the ICRC is zlib's crc32 over the masked
headers, as docs/pkt.md and FACTS.md describe; `rocefab-trace decode --check`
verifies the output.
"""

import argparse
import struct
import sys
import zlib

ETH_HDR = 14
IPV4_HDR = 20
UDP_HDR = 8
BTH_LEN = 12
ICRC_LEN = 4
FCS_LEN = 4
ROCE_PORT = 4791
OP_RC_WRITE_MIDDLE = 0x07
DSCP_ROCE = 26          # RoCE's lossless class 3 under the default qos map
ECN_ECT0 = 2


def ipv4_checksum(hdr):
    s = sum(struct.unpack('!10H', hdr))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def icrc(ip, udp, bth, rest):
    """RoCEv2 invariant CRC, IBTA vol. 1 annex A17.3.3 (see lib/pkt/fab_icrc.c)."""
    ip = bytearray(ip)
    ip[1] = 0xff                    # TOS
    ip[8] = 0xff                    # TTL
    ip[10:12] = b'\xff\xff'         # header checksum
    udp = bytearray(udp)
    udp[6:8] = b'\xff\xff'          # UDP checksum
    bth = bytearray(bth)
    bth[4] = 0xff                   # FECN, BECN, reserved
    crc = zlib.crc32(b'\xff' * 8 + bytes(ip) + bytes(udp) + bytes(bth) + rest)
    return struct.pack('<I', crc)


def frame(size, flow, psn, args):
    """One frame of @size bytes on the wire (size - 4 in the trace)."""
    cap_len = size - FCS_LEN
    hdrs = ETH_HDR + IPV4_HDR + UDP_HDR + BTH_LEN + ICRC_LEN
    if cap_len < 60 or cap_len < hdrs:
        raise ValueError('frame size %d is below the 64-byte minimum' % size)
    payload_len = (cap_len - hdrs) & ~3
    trailer = cap_len - hdrs - payload_len
    dst_ip = args.dst_base + flow + 1
    src_port = args.sport_base + flow
    qp = 0x100 + flow

    ip_len = IPV4_HDR + UDP_HDR + BTH_LEN + payload_len + ICRC_LEN
    ip = bytearray(struct.pack('!BBHHHBBHII', 0x45, (DSCP_ROCE << 2) | ECN_ECT0,
                               ip_len, 0, 0x4000, 64, 17, 0,
                               args.src_ip, dst_ip))
    ip[10:12] = struct.pack('!H', ipv4_checksum(bytes(ip)))
    udp = struct.pack('!HHHH', src_port, ROCE_PORT, ip_len - IPV4_HDR, 0)
    # opcode; SE 0, MigReq 1, pad 0, tver 0; P_Key; FECN/BECN/resv; dest QP;
    # AckReq 0; PSN.
    bth = struct.pack('!BBHI I', OP_RC_WRITE_MIDDLE, 0x40, 0xffff, qp & 0xffffff,
                      psn & 0xffffff)
    payload = bytes((flow + i) & 0xff for i in range(payload_len))
    eth = args.dst_mac + args.src_mac + b'\x08\x00'
    return (eth + bytes(ip) + udp + bth + payload + icrc(ip, udp, bth, payload) +
            b'\x00' * trailer)


def mac(text):
    b = bytes(int(x, 16) for x in text.replace('-', ':').split(':'))
    if len(b) != 6:
        raise argparse.ArgumentTypeError('bad MAC %r' % text)
    return b


def ipv4(text):
    parts = [int(x) for x in text.split('.')]
    if len(parts) != 4 or any(p < 0 or p > 255 for p in parts):
        raise argparse.ArgumentTypeError('bad IPv4 address %r' % text)
    return struct.unpack('!I', bytes(parts))[0]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('out', help='pcap file to write')
    ap.add_argument('--size', type=int, required=True,
                    help='frame size on the wire including the FCS (64..9000)')
    ap.add_argument('--flows', type=int, default=16)
    ap.add_argument('--frames', type=int, default=256,
                    help='frames in the file (round robin over the flows)')
    ap.add_argument('--dst-base', type=ipv4, default=ipv4('198.18.1.0'),
                    help='flow i goes to this address + i + 1 (l3fwd routes '
                    '198.18.1.0/24 to its port 1)')
    ap.add_argument('--src-ip', type=ipv4, default=ipv4('198.18.0.1'))
    ap.add_argument('--sport-base', type=int, default=49152)
    ap.add_argument('--src-mac', type=mac, default=mac('02:00:00:00:00:01'))
    ap.add_argument('--dst-mac', type=mac, default=mac('02:fa:b0:00:00:00'))
    args = ap.parse_args()
    if not 64 <= args.size <= 9000:
        ap.error('--size must be 64..9000')
    if not 1 <= args.flows <= 254 or args.frames < 1:
        ap.error('--flows must be 1..254 and --frames at least 1')

    hdrs = ETH_HDR + IPV4_HDR + UDP_HDR + BTH_LEN + ICRC_LEN
    payload_len = (args.size - FCS_LEN - hdrs) & ~3
    # One line for the benchmark's report.
    print('%d B = %d + FCS (WRITE MIDDLE, %d B payload, %d B pad), %d flows' %
          (args.size, args.size - FCS_LEN, payload_len,
           args.size - FCS_LEN - hdrs - payload_len, args.flows))
    with open(args.out, 'wb') as f:
        # pcap, microsecond timestamps, Ethernet; 65535 snap length.
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i in range(args.frames):
            data = frame(args.size, i % args.flows, i // args.flows, args)
            f.write(struct.pack('<IIII', 0, i, len(data), len(data)))
            f.write(data)
    return 0


if __name__ == '__main__':
    sys.exit(main())
