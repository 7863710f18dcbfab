/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * The sample traces in pcaps/: real RoCEv2 exchanges with valid ICRCs, PFC
 * and PAUSE, and a catalogue of malformed and edge frames. Timestamps follow
 * a 100G wire (frame + FCS + preamble + gap), so replaying them at line rate
 * reproduces their spacing.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ip.h>

#include <fab_pkt.h>

#include "trace.h"

#define RATE_100G 100000000000ull
#define MTU 4096

static uint8_t payload_buf[65536];

int
trace_emit(struct trace_sample *s, const void *f, int len)
{
	if (len < 0)
		return len;
	s->t_ps += fab_wire_time_ps((uint32_t)len, RATE_100G);
	s->frames++;
	return trace_writer_add(s->w, s->t_ps, f, (uint32_t)len);
}

/* Payload bytes derived from (QPN, PSN), as the generator will write them. */
const uint8_t *
trace_pattern(uint32_t qpn, uint32_t psn, uint32_t len)
{
	uint32_t i, x = qpn * 2654435761u ^ psn * 40503u;

	for (i = 0; i < len; i++) {
		x = x * 1103515245u + 12345u;
		payload_buf[i] = (uint8_t)(x >> 16);
	}
	return payload_buf;
}

static void
addr_pair(struct fab_roce_addr *fwd, struct fab_roce_addr *rev, bool v6)
{
	static const struct rte_ether_addr a = { { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 } };
	static const struct rte_ether_addr b = { { 0x02, 0x00, 0x00, 0x00, 0x01, 0x02 } };

	memset(fwd, 0, sizeof(*fwd));
	fwd->src_mac = a;
	fwd->dst_mac = b;
	fwd->dscp = 26;
	fwd->ecn = 2;
	fwd->udp_src_port = 49153;
	if (v6) {
		fwd->l3 = FAB_L3_IPV6;
		inet_pton(AF_INET6, "fd00:0:0:0::1", fwd->src_ip.v6);
		inet_pton(AF_INET6, "fd00:0:0:1::2", fwd->dst_ip.v6);
		fwd->flow_label = 0x2f3a1;
	} else {
		fwd->l3 = FAB_L3_IPV4;
		fwd->src_ip.v4 = inet_addr("10.0.0.1");
		fwd->dst_ip.v4 = inet_addr("10.0.1.2");
	}
	*rev = *fwd;
	rev->src_mac = b;
	rev->dst_mac = a;
	rev->src_ip = fwd->dst_ip;
	rev->dst_ip = fwd->src_ip;
	rev->ecn = 0;
}

/* One RDMA WRITE message cut into MTU-sized packets; returns the next PSN. */
uint32_t
trace_write_message(struct trace_sample *s, const struct fab_roce_addr *a, uint32_t qpn,
		uint32_t psn, uint32_t bytes, uint64_t vaddr)
{
	struct fab_reth reth = { .vaddr = vaddr, .rkey = 0x1234, .dma_len = bytes };
	uint32_t off = 0;

	do {
		uint32_t n = bytes - off > MTU ? MTU : bytes - off;
		enum fab_write_part part;

		if (off == 0)
			part = n == bytes ? FAB_WRITE_ONLY : FAB_WRITE_FIRST;
		else
			part = off + n == bytes ? FAB_WRITE_LAST : FAB_WRITE_MIDDLE;
		trace_emit(s, s->frame, fab_pkt_build_write(s->frame, sizeof(s->frame), a, part,
			qpn, psn, part == FAB_WRITE_LAST || part == FAB_WRITE_ONLY, &reth,
			trace_pattern(qpn, psn, n), n));
		psn = (psn + 1) & FAB_PSN_MASK;
		off += n;
	} while (off < bytes);
	return psn;
}

static int
sample_write(struct trace_sample *s, bool v6)
{
	struct fab_roce_addr fwd, rev;
	uint32_t psn;

	addr_pair(&fwd, &rev, v6);
	psn = trace_write_message(s, &fwd, 0x000101, 1000, 65536, 0x7f0000000000ull);
	trace_emit(s, s->frame, fab_pkt_build_ack(s->frame, sizeof(s->frame), &rev, 0x000201,
		(psn - 1) & FAB_PSN_MASK, FAB_AETH_ACK | FAB_AETH_CREDITS_UNLIMITED, 1));
	/* A small message (pad bytes) and a PSN that wraps. */
	psn = trace_write_message(s, &fwd, 0x000101, 0xfffffe, 9000, 0x7f0000010000ull);
	trace_emit(s, s->frame, fab_pkt_build_ack(s->frame, sizeof(s->frame), &rev, 0x000201,
		(psn - 1) & FAB_PSN_MASK, FAB_AETH_ACK | FAB_AETH_CREDITS_UNLIMITED, 2));
	psn = trace_write_message(s, &fwd, 0x000101, psn, 1001, 0x7f0000020000ull);
	return trace_emit(s, s->frame, fab_pkt_build_ack(s->frame, sizeof(s->frame), &rev,
		0x000201, (psn - 1) & FAB_PSN_MASK, FAB_AETH_ACK | FAB_AETH_CREDITS_UNLIMITED, 3));
}

static int
sample_write_v4(struct trace_sample *s)
{
	return sample_write(s, false);
}

static int
sample_write_v6(struct trace_sample *s)
{
	return sample_write(s, true);
}

/* Go-back-N: PSN 102 is lost, 103 draws one NAK, the sender resends from 102. */
static int
sample_gbn_cnp(struct trace_sample *s)
{
	struct fab_roce_addr fwd, rev, cnp;
	struct fab_reth reth = { .vaddr = 0x1000, .rkey = 0x99, .dma_len = 5 * 1024 };
	uint32_t psn;

	addr_pair(&fwd, &rev, false);
	trace_emit(s, s->frame, fab_pkt_build_write(s->frame, sizeof(s->frame), &fwd,
		FAB_WRITE_FIRST, 0x000102, 100, false, &reth, trace_pattern(0x102, 100, 1024), 1024));
	trace_emit(s, s->frame, fab_pkt_build_write(s->frame, sizeof(s->frame), &fwd,
		FAB_WRITE_MIDDLE, 0x000102, 101, false, NULL, trace_pattern(0x102, 101, 1024), 1024));
	trace_emit(s, s->frame, fab_pkt_build_write(s->frame, sizeof(s->frame), &fwd,
		FAB_WRITE_MIDDLE, 0x000102, 103, false, NULL, trace_pattern(0x102, 103, 1024), 1024));
	trace_emit(s, s->frame, fab_pkt_build_ack(s->frame, sizeof(s->frame), &rev, 0x000202,
		102, FAB_AETH_NAK_PSN_SEQ_ERR, 0));
	for (psn = 102; psn <= 104; psn++)
		trace_emit(s, s->frame, fab_pkt_build_write(s->frame, sizeof(s->frame), &fwd,
			psn == 104 ? FAB_WRITE_LAST : FAB_WRITE_MIDDLE, 0x000102, psn,
			psn == 104, NULL, trace_pattern(0x102, psn, 1024), 1024));
	/* The receiver saw CE on a packet: one CNP back to the sender's QP. */
	cnp = rev;
	cnp.dscp = 48;
	trace_emit(s, s->frame, fab_pkt_build_cnp(s->frame, sizeof(s->frame), &cnp, 0x000102));
	return trace_emit(s, s->frame, fab_pkt_build_ack(s->frame, sizeof(s->frame), &rev,
		0x000202, 104, FAB_AETH_ACK | FAB_AETH_CREDITS_UNLIMITED, 1));
}

static int
sample_pfc(struct trace_sample *s)
{
	static const struct rte_ether_addr sw = { { 0x02, 0x00, 0x00, 0x00, 0xff, 0x01 } };
	uint16_t q[FAB_NUM_PRIO] = { 0 };
	uint64_t pause_ps;

	q[3] = 0xffff;
	trace_emit(s, s->frame, fab_pfc_build(s->frame, sizeof(s->frame), &sw, 1u << 3, q));
	/* Refreshed at half the pause time while the queue stays above XON. */
	pause_ps = fab_pfc_quanta_to_ps(0xffff, RATE_100G);
	s->t_ps += pause_ps / 2;
	trace_emit(s, s->frame, fab_pfc_build(s->frame, sizeof(s->frame), &sw, 1u << 3, q));
	s->t_ps += pause_ps / 4;
	q[3] = 0;
	trace_emit(s, s->frame, fab_pfc_build(s->frame, sizeof(s->frame), &sw, 1u << 3, q));
	q[3] = 0x1000;
	q[4] = 0x2000;
	trace_emit(s, s->frame, fab_pfc_build(s->frame, sizeof(s->frame), &sw, 0x18, q));
	return trace_emit(s, s->frame, fab_pause_build(s->frame, sizeof(s->frame), &sw, 0xffff));
}

static void
fix_csum(uint8_t *ip)
{
	uint16_t c;

	ip[10] = ip[11] = 0;
	c = (uint16_t)~rte_raw_cksum(ip, (size_t)(ip[0] & 0xf) * 4);
	memcpy(ip + 10, &c, 2);
}

static void
set16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Each malformed frame is followed by a valid one, so a reader can check that
 * a switch survives and keeps forwarding. */
static int
sample_malformed(struct trace_sample *s)
{
	struct fab_roce_addr fwd, rev, v6a, v6b;
	uint8_t *f = s->frame, good[2048];
	uint16_t q[FAB_NUM_PRIO] = { 0 };
	int n, glen, psn = 0;

	addr_pair(&fwd, &rev, false);
	addr_pair(&v6a, &v6b, true);
	glen = fab_pkt_build_write(good, sizeof(good), &fwd, FAB_WRITE_MIDDLE, 0x000103,
		0, false, NULL, trace_pattern(0x103, 0, 1024), 1024);
#define BASE() (n = fab_pkt_build_write(f, sizeof(s->frame), &fwd, FAB_WRITE_MIDDLE, \
		0x000104, (uint32_t)psn++, false, NULL, trace_pattern(0x104, 0, 256), 256))
#define GOOD() trace_emit(s, good, glen)

	memset(f, 0, 42); f[12] = 0x08; f[13] = 0x06;               /* runt ARP */
	trace_emit(s, f, 42); GOOD();
	BASE(); trace_emit(s, f, 10); GOOD();                              /* truncated Ethernet */
	BASE(); set16(f + 12, 0x8100); trace_emit(s, f, 16); GOOD();       /* truncated VLAN */
	BASE(); memmove(f + 24, f + 12, (size_t)n);                  /* three VLAN tags */
	set16(f + 12, 0x88a8); set16(f + 16, 0x8100); set16(f + 20, 0x8100);
	trace_emit(s, f, n + 12); GOOD();
	BASE(); trace_emit(s, f, 14 + 12); GOOD();                         /* truncated IPv4 */
	BASE(); f[14] = 0x65; trace_emit(s, f, n); GOOD();                 /* IP version 6 in IPv4 */
	BASE(); f[14] = 0x44; trace_emit(s, f, n); GOOD();                 /* IHL 4 */
	BASE(); f[25] ^= 0x5a; trace_emit(s, f, n); GOOD();                /* bad header checksum */
	BASE(); set16(f + 16, (uint16_t)(n + 100)); fix_csum(f + 14);
	trace_emit(s, f, n); GOOD();                                       /* total length > frame */
	BASE(); set16(f + 20, 0x2000); fix_csum(f + 14); trace_emit(s, f, n); GOOD(); /* fragment */
	n = fab_pkt_build_write(f, sizeof(s->frame), &v6a, FAB_WRITE_MIDDLE, 0x105, 1,
		false, NULL, trace_pattern(0x105, 1, 64), 64);
	trace_emit(s, f, 14 + 30); GOOD();                                 /* truncated IPv6 */
	set16(f + 18, 2000); trace_emit(s, f, n); GOOD();                  /* IPv6 payload length */
	BASE(); set16(f + 16, 20 + 4); fix_csum(f + 14); trace_emit(s, f, n); GOOD(); /* trunc UDP */
	BASE(); set16(f + 38, (uint16_t)(n - 34 + 9)); trace_emit(s, f, n); GOOD(); /* UDP length */
	BASE(); set16(f + 38, 8 + 10); trace_emit(s, f, n); GOOD();        /* truncated BTH */
	BASE(); f[42] = 0x1f; trace_emit(s, f, n); GOOD();                 /* unknown opcode */
	BASE(); f[42] = 0x40; trace_emit(s, f, n); GOOD();                 /* RD opcode: not RoCEv2 */
	BASE(); f[42] = FAB_OP_RC_WRITE_FIRST; set16(f + 38, 8 + 12 + 8 + 4);
	trace_emit(s, f, n); GOOD();                                       /* RETH does not fit */
	n = fab_pfc_build(f, sizeof(s->frame), &fwd.src_mac, 0x08, q);
	trace_emit(s, f, 14 + 10); GOOD();                                 /* truncated PFC */

	/* Edge frames that are valid. */
	n = fab_pkt_build_write(f, sizeof(s->frame), &fwd, FAB_WRITE_MIDDLE, 0x000106, 7,
		false, NULL, trace_pattern(0x106, 7, 8900), 8900);
	trace_emit(s, f, n); GOOD();                                       /* 9000-byte jumbo */
	n = fab_pkt_build_write(f, sizeof(s->frame), &fwd, FAB_WRITE_MIDDLE, 0x000106, 8,
		false, NULL, trace_pattern(0x106, 8, 9600), 9600);
	trace_emit(s, f, n); GOOD();                                       /* over a 9216 MTU */
	fwd.has_vlan = true;
	fwd.vlan_tci = 3 << 13 | 100;
	BASE(); memmove(f + 16, f + 12, (size_t)n);                  /* 802.1ad + 802.1Q */
	set16(f + 12, 0x88a8); set16(f + 14, 5 << 13 | 10);
	trace_emit(s, f, n + 4); GOOD();
	fwd.has_vlan = false;
	q[3] = 0xffff;
	n = fab_pfc_build(f, sizeof(s->frame), &fwd.src_mac, 0x08, q);
	f[16] = 0xff;                                                /* reserved octet set */
	trace_emit(s, f, n); GOOD();
	memmove(f + 16, f + 12, FAB_PFC_FRAME_LEN - 12);             /* tagged PFC */
	n = FAB_PFC_FRAME_LEN;
	set16(f + 12, 0x8100); set16(f + 14, 7 << 13);
	trace_emit(s, f, n + 4); GOOD();
	n = fab_pause_build(f, sizeof(s->frame), &fwd.src_mac, 0x100);
	trace_emit(s, f, n); GOOD();                                       /* 802.3x PAUSE */
	n = fab_pause_build(f, sizeof(s->frame), &fwd.src_mac, 0);
	set16(f + 14, 0x0002); trace_emit(s, f, n); GOOD();                /* other MAC control */
	n = fab_pkt_build_write(f, sizeof(s->frame), &v6a, FAB_WRITE_ONLY, 0x107, 9, true,
		NULL, trace_pattern(0x107, 9, 100), 100);
	return trace_emit(s, f, n);                                        /* IPv6, valid */
#undef BASE
#undef GOOD
}

static const struct {
	const char *file;
	int (*make)(struct trace_sample *s);
} samples[] = {
	{ "roce-write-v4.pcap", sample_write_v4 },
	{ "roce-write-v6.pcap", sample_write_v6 },
	{ "roce-gbn-cnp.pcap", sample_gbn_cnp },
	{ "pfc-pause.pcap", sample_pfc },
};

int
trace_write_sample(const char *path, int (*make)(struct trace_sample *s))
{
	struct trace_sample *s = calloc(1, sizeof(*s));
	int rc;

	if (s == NULL)
		return 2;
	s->w = trace_writer_open(path);
	if (s->w == NULL) {
		free(s);
		return 2;
	}
	rc = make(s);
	if (trace_writer_close(s->w) != 0 || rc < 0) {
		fprintf(stderr, "rocefab-trace: writing %s failed\n", path);
		free(s);
		return 2;
	}
	printf("wrote %s (%d frames)\n", path, s->frames);
	free(s);
	return 0;
}

int
trace_samples(const char *dir)
{
	size_t i;

	for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		char path[4096];

		snprintf(path, sizeof(path), "%s/%s", dir, samples[i].file);
		if (trace_write_sample(path, samples[i].make) != 0)
			return 2;
	}
	return 0;
}

int
trace_malformed(const char *path)
{
	return trace_write_sample(path, sample_malformed);
}
