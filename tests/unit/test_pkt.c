/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * lib/pkt parsing and building: fields of known frames, our builders against
 * scapy's bytes, one case per drop reason, every truncation of a valid frame,
 * and flat and segmented parsing agreeing on randomly damaged frames.
 */

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ip.h>

#include <fab_pkt.h>

#include "fab_test_vectors.h"

/* ---------------------------------------------------------------- fields */

static void
test_parse_write_first(void)
{
	uint8_t f[VEC_MAX];
	int n = load_vector("v4_write_first", f);
	struct fab_pkt_meta mt;

	CU_ASSERT_EQUAL_FATAL(fab_pkt_parse_buf(f, (uint32_t)n, &mt), FAB_PKT_OK);
	CU_ASSERT_EQUAL(mt.kind, FAB_PKT_KIND_ROCE);
	CU_ASSERT_EQUAL(mt.drop, FAB_PKT_OK);
	CU_ASSERT_EQUAL(mt.l3, FAB_L3_IPV4);
	CU_ASSERT_EQUAL(mt.ether_type, 0x0800);
	CU_ASSERT_EQUAL(mt.l3_off, 14);
	CU_ASSERT_EQUAL(mt.l4_off, 34);
	CU_ASSERT_EQUAL(mt.bth_off, 42);
	CU_ASSERT_EQUAL(mt.payload_off, 42 + 12 + 16);
	CU_ASSERT_EQUAL(mt.payload_len, 256);
	CU_ASSERT_EQUAL(mt.pad_count, 0);
	CU_ASSERT_EQUAL(mt.bth_opcode, FAB_OP_RC_WRITE_FIRST);
	CU_ASSERT_EQUAL(mt.ext, FAB_EXT_RETH | FAB_EXT_PAYLOAD);
	CU_ASSERT_EQUAL(fab_pkt_ext_off(&mt, FAB_EXT_RETH), 54);
	CU_ASSERT_EQUAL(fab_pkt_ext_off(&mt, FAB_EXT_AETH), 0);
	CU_ASSERT_EQUAL(mt.dest_qp, 0x12);
	CU_ASSERT_EQUAL(mt.psn, 0x123456);
	CU_ASSERT_EQUAL(mt.pkey, 0xffff);
	CU_ASSERT_EQUAL(mt.dscp, 0);
	CU_ASSERT_EQUAL(mt.ecn, 2);
	CU_ASSERT_EQUAL(mt.ttl, 64);
	CU_ASSERT_EQUAL(mt.l4_proto, 17);
	CU_ASSERT_EQUAL(mt.key.l3, FAB_L3_IPV4);
	CU_ASSERT_EQUAL(mt.key.proto, 17);
	CU_ASSERT_EQUAL(mt.key.src.v4, inet_addr("10.0.0.1"));
	CU_ASSERT_EQUAL(mt.key.dst.v4, inet_addr("10.0.1.2"));
	CU_ASSERT_EQUAL(ntohs(mt.key.src_port), 49152);
	CU_ASSERT_EQUAL(ntohs(mt.key.dst_port), 4791);
	CU_ASSERT_EQUAL(mt.l3_end, (uint32_t)n);
	CU_ASSERT_EQUAL(mt.pkt_len, (uint32_t)n);
	CU_ASSERT_FALSE(mt.flags & (FAB_PKT_F_ACKREQ | FAB_PKT_F_BECN | FAB_PKT_F_VLAN));
}

static void
test_parse_fields_of_each_vector(void)
{
	static const struct {
		const char *name;
		uint8_t opcode, pad, dscp, ecn, syndrome;
		uint32_t qp, psn, payload, msn;
		uint16_t flags;
	} v[] = {
		{ "v4_write_middle", 0x07, 0, 0, 2, 0, 0x12, 0x123457, 256, 0, 0 },
		{ "v4_write_last", 0x08, 2, 0, 2, 0, 0x12, 0x123458, 250, 0, FAB_PKT_F_ACKREQ },
		{ "v4_write_only", 0x0a, 0, 0, 2, 0, 0xabcde, 0xfffffe, 64, 0, FAB_PKT_F_ACKREQ },
		{ "v4_ack", 0x11, 0, 0, 0, 0x1f, 0x34, 0x123458, 0, 5, 0 },
		{ "v4_nak", 0x11, 0, 0, 0, 0x60, 0x34, 0x10, 0, 4, 0 },
		{ "v4_cnp", 0x81, 0, 48, 0, 0, 0x12, 0, 0, 0, FAB_PKT_F_BECN },
		{ "v6_write_first", 0x06, 0, 0, 2, 0, 0x21, 0x10, 512, 0, FAB_PKT_F_IPV6_EXT * 0 },
		{ "v6_ack", 0x11, 0, 0, 0, 0x1f, 0x22, 0x11, 0, 9, 0 },
		{ "v6_cnp", 0x81, 0, 48, 0, 0, 0x21, 0, 0, 0, FAB_PKT_F_BECN },
	};
	uint8_t f[VEC_MAX];
	size_t i;

	for (i = 0; i < RTE_DIM(v); i++) {
		struct fab_pkt_meta mt;
		int n = load_vector(v[i].name, f);

		CU_ASSERT_EQUAL_FATAL(fab_pkt_parse_buf(f, (uint32_t)n, &mt), FAB_PKT_OK);
		CU_ASSERT_EQUAL(mt.kind, FAB_PKT_KIND_ROCE);
		CU_ASSERT_EQUAL(mt.bth_opcode, v[i].opcode);
		CU_ASSERT_EQUAL(mt.pad_count, v[i].pad);
		CU_ASSERT_EQUAL(mt.dscp, v[i].dscp);
		CU_ASSERT_EQUAL(mt.ecn, v[i].ecn);
		CU_ASSERT_EQUAL(mt.dest_qp, v[i].qp);
		CU_ASSERT_EQUAL(mt.psn, v[i].psn);
		CU_ASSERT_EQUAL(mt.payload_len, v[i].payload);
		CU_ASSERT_EQUAL(mt.flags & (FAB_PKT_F_ACKREQ | FAB_PKT_F_BECN), v[i].flags);
		if (mt.ext & FAB_EXT_AETH) {
			CU_ASSERT_EQUAL(mt.aeth_syndrome, v[i].syndrome);
			CU_ASSERT_EQUAL(mt.msn, v[i].msn);
		}
		CU_ASSERT_EQUAL(mt.l3, v[i].name[1] == '6' ? FAB_L3_IPV6 : FAB_L3_IPV4);
	}
}

static void
test_parse_vlan(void)
{
	uint8_t f[VEC_MAX];
	int n = load_vector("v4_vlan_write_middle", f);
	struct fab_pkt_meta mt;

	CU_ASSERT_EQUAL_FATAL(fab_pkt_parse_buf(f, (uint32_t)n, &mt), FAB_PKT_OK);
	CU_ASSERT_TRUE(mt.flags & FAB_PKT_F_VLAN);
	CU_ASSERT_EQUAL(mt.vlan_count, 1);
	CU_ASSERT_EQUAL(mt.pcp, 3);
	CU_ASSERT_EQUAL(mt.vlan_tci & 0xfff, 100);
	CU_ASSERT_EQUAL(mt.l3_off, 18);
	CU_ASSERT_EQUAL(mt.dscp, 26);
	CU_ASSERT_EQUAL(mt.bth_opcode, FAB_OP_RC_WRITE_MIDDLE);
	CU_ASSERT_EQUAL(ntohs(mt.key.src_port), 50000);
}

/* Insert a second (802.1ad outer) tag in front of the 802.1Q one. */
static int
add_outer_tag(uint8_t *f, int n, uint16_t tpid, uint16_t tci)
{
	memmove(f + 16, f + 12, (size_t)n - 12);
	f[12] = (uint8_t)(tpid >> 8);
	f[13] = (uint8_t)tpid;
	f[14] = (uint8_t)(tci >> 8);
	f[15] = (uint8_t)tci;
	return n + 4;
}

static void
test_parse_stacked_vlan(void)
{
	uint8_t f[VEC_MAX];
	int n = load_vector("v4_vlan_write_middle", f);
	struct fab_pkt_meta mt;

	n = add_outer_tag(f, n, 0x88a8, 5 << 13 | 7);
	CU_ASSERT_EQUAL_FATAL(fab_pkt_parse_buf(f, (uint32_t)n, &mt), FAB_PKT_OK);
	CU_ASSERT_EQUAL(mt.vlan_count, 2);
	CU_ASSERT_EQUAL(mt.pcp, 5); /* the outer tag's */
	CU_ASSERT_EQUAL(mt.l3_off, 22);
	CU_ASSERT_EQUAL(mt.kind, FAB_PKT_KIND_ROCE);
	n = add_outer_tag(f, n, 0x8100, 1);
	CU_ASSERT_EQUAL(fab_pkt_parse_buf(f, (uint32_t)n, &mt), FAB_PKT_DROP_VLAN_DEPTH);
}

/* IPv6 with a hop-by-hop options header before UDP: reported and walked. */
static void
test_parse_ipv6_ext(void)
{
	uint8_t f[VEC_MAX], g[VEC_MAX];
	int n = load_vector("v6_ack", f);
	struct fab_pkt_meta mt;
	uint16_t plen;

	/* Ethernet + IPv6 header, then 8 bytes of HBH (next = UDP, len 0, PadN). */
	memcpy(g, f, 54);
	g[54 + 0] = 17;
	g[54 + 1] = 0;
	g[54 + 2] = 1; /* PadN */
	g[54 + 3] = 4;
	memset(g + 58, 0, 4);
	memcpy(g + 62, f + 54, (size_t)n - 54);
	g[14 + 6] = 0; /* next header: hop-by-hop */
	plen = (uint16_t)((g[18] << 8 | g[19]) + 8);
	g[18] = (uint8_t)(plen >> 8);
	g[19] = (uint8_t)plen;
	CU_ASSERT_EQUAL_FATAL(fab_pkt_parse_buf(g, (uint32_t)n + 8, &mt), FAB_PKT_OK);
	CU_ASSERT_TRUE(mt.flags & FAB_PKT_F_IPV6_EXT);
	CU_ASSERT_EQUAL(mt.kind, FAB_PKT_KIND_ROCE);
	CU_ASSERT_EQUAL(mt.l4_off, 62);
	CU_ASSERT_EQUAL(mt.msn, 9);

	/* ESP: reported, not walked; an IP frame, not RoCE. */
	g[14 + 6] = 50;
	CU_ASSERT_EQUAL(fab_pkt_parse_buf(g, (uint32_t)n + 8, &mt), FAB_PKT_OK);
	CU_ASSERT_EQUAL(mt.kind, FAB_PKT_KIND_IP);
	CU_ASSERT_TRUE(mt.flags & FAB_PKT_F_L4_UNKNOWN);

	/* Fragment header. */
	g[14 + 6] = 44;
	CU_ASSERT_EQUAL(fab_pkt_parse_buf(g, (uint32_t)n + 8, &mt), FAB_PKT_DROP_FRAGMENT);

	/* HBH claiming more bytes than the payload holds. */
	g[14 + 6] = 0;
	g[54 + 1] = 200;
	CU_ASSERT_EQUAL(fab_pkt_parse_buf(g, (uint32_t)n + 8, &mt),
		FAB_PKT_DROP_TRUNC_IPV6_EXT);
}

static void
test_parse_non_roce(void)
{
	uint8_t f[VEC_MAX];
	int n = load_vector("v4_write_middle", f);
	struct fab_pkt_meta mt;

	/* UDP to another port: an IP frame with its 5-tuple. */
	f[34 + 2] = 0x12;
	f[34 + 3] = 0x34;
	CU_ASSERT_EQUAL(fab_pkt_parse_buf(f, (uint32_t)n, &mt), FAB_PKT_OK);
	CU_ASSERT_EQUAL(mt.kind, FAB_PKT_KIND_IP);
	CU_ASSERT_EQUAL(ntohs(mt.key.dst_port), 0x1234);
	/* An ARP-sized unknown ethertype of 60 bytes: L2. */
	memset(f, 0, 60);
	f[12] = 0x08;
	f[13] = 0x06;
	CU_ASSERT_EQUAL(fab_pkt_parse_buf(f, 60, &mt), FAB_PKT_OK);
	CU_ASSERT_EQUAL(mt.kind, FAB_PKT_KIND_L2);
	CU_ASSERT_EQUAL(mt.ether_type, 0x0806);
}

/* ------------------------------------------------------- drop reasons */

static void
fix_ipv4_csum(uint8_t *ip)
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

static int
parse_reason(const uint8_t *f, int n)
{
	struct fab_pkt_meta mt;
	struct rte_mbuf *m;
	int flat = fab_pkt_parse_buf(f, (uint32_t)n, &mt), seg;

	CU_ASSERT_EQUAL(mt.drop, flat);
	m = fab_test_mbuf_from(f, (uint32_t)n, 16);
	if (m == NULL)
		return -1000;
	seg = fab_pkt_parse(m, &mt);
	rte_pktmbuf_free(m);
	CU_ASSERT_EQUAL(seg, flat);
	return flat;
}

static void
test_drop_reasons(void)
{
	uint8_t base[VEC_MAX], f[VEC_MAX];
	int n = load_vector("v4_write_middle", base);
	uint8_t *ip = f + 14, *udp = f + 34;

#define RESET() memcpy(f, base, (size_t)n)
	RESET();
	CU_ASSERT_EQUAL(parse_reason(f, 10), FAB_PKT_DROP_TRUNC_ETH);
	CU_ASSERT_EQUAL(parse_reason(f, 0), FAB_PKT_DROP_TRUNC_ETH);

	set16(f + 12, 0x8100);
	CU_ASSERT_EQUAL(parse_reason(f, 16), FAB_PKT_DROP_TRUNC_VLAN);

	RESET();
	CU_ASSERT_EQUAL(parse_reason(f, 14 + 12), FAB_PKT_DROP_TRUNC_IPV4);

	RESET();
	ip[0] = 0x65;
	CU_ASSERT_EQUAL(parse_reason(f, n), FAB_PKT_DROP_IP_VERSION);

	RESET();
	ip[0] = 0x44;
	CU_ASSERT_EQUAL(parse_reason(f, n), FAB_PKT_DROP_IPV4_IHL);

	RESET();
	ip[0] = 0x4f; /* 60-byte header with options: longer than the frame allows? no: check trunc */
	CU_ASSERT_EQUAL(parse_reason(f, 14 + 40), FAB_PKT_DROP_TRUNC_IPV4);

	RESET();
	ip[11] ^= 0x5a;
	CU_ASSERT_EQUAL(parse_reason(f, n), FAB_PKT_DROP_IPV4_CHECKSUM);

	RESET();
	set16(ip + 2, (uint16_t)(n - 14 + 100));
	fix_ipv4_csum(ip);
	CU_ASSERT_EQUAL(parse_reason(f, n), FAB_PKT_DROP_IPV4_TOTAL_LEN);
	set16(ip + 2, 12);
	fix_ipv4_csum(ip);
	CU_ASSERT_EQUAL(parse_reason(f, n), FAB_PKT_DROP_IPV4_TOTAL_LEN);

	RESET();
	set16(ip + 6, 0x2000); /* MF */
	fix_ipv4_csum(ip);
	CU_ASSERT_EQUAL(parse_reason(f, n), FAB_PKT_DROP_FRAGMENT);
	set16(ip + 6, 0x0010); /* offset 128 */
	fix_ipv4_csum(ip);
	CU_ASSERT_EQUAL(parse_reason(f, n), FAB_PKT_DROP_FRAGMENT);

	RESET();
	set16(ip + 2, 20 + 4);
	fix_ipv4_csum(ip);
	CU_ASSERT_EQUAL(parse_reason(f, n), FAB_PKT_DROP_TRUNC_UDP);

	RESET();
	set16(udp + 4, (uint16_t)(n - 34 + 1));
	CU_ASSERT_EQUAL(parse_reason(f, n), FAB_PKT_DROP_UDP_LEN);
	set16(udp + 4, 7);
	CU_ASSERT_EQUAL(parse_reason(f, n), FAB_PKT_DROP_UDP_LEN);

	RESET();
	set16(udp + 4, 8 + 10);
	CU_ASSERT_EQUAL(parse_reason(f, n), FAB_PKT_DROP_TRUNC_BTH);

	RESET();
	f[42] = 0x1f;
	CU_ASSERT_EQUAL(parse_reason(f, n), FAB_PKT_DROP_BTH_OPCODE);
	f[42] = 0x40; /* Reliable Datagram: not RoCE */
	CU_ASSERT_EQUAL(parse_reason(f, n), FAB_PKT_DROP_BTH_OPCODE);
	f[42] = 0xff;
	CU_ASSERT_EQUAL(parse_reason(f, n), FAB_PKT_DROP_BTH_OPCODE);

	RESET();
	f[42] = FAB_OP_RC_WRITE_FIRST; /* wants a RETH the datagram cannot hold */
	set16(udp + 4, 8 + 12 + 8 + 4);
	CU_ASSERT_EQUAL(parse_reason(f, n), FAB_PKT_DROP_TRUNC_ROCE_EXT);
	RESET();
	f[42 + 1] = 0x30; /* pad count 3 */
	set16(udp + 4, 8 + 12 + 2 + 4);
	CU_ASSERT_EQUAL(parse_reason(f, n), FAB_PKT_DROP_TRUNC_ROCE_EXT);
#undef RESET
}

static void
test_drop_reasons_ipv6(void)
{
	uint8_t base[VEC_MAX], f[VEC_MAX];
	int n = load_vector("v6_ack", base);

	memcpy(f, base, (size_t)n);
	CU_ASSERT_EQUAL(parse_reason(f, 14 + 30), FAB_PKT_DROP_TRUNC_IPV6);
	set16(f + 18, (uint16_t)(n - 54 + 1));
	CU_ASSERT_EQUAL(parse_reason(f, n), FAB_PKT_DROP_IPV6_PAYLOAD_LEN);
	memcpy(f, base, (size_t)n);
	f[14] = 0x45;
	CU_ASSERT_EQUAL(parse_reason(f, n), FAB_PKT_DROP_IP_VERSION);
}

static void
test_drop_mac_ctrl_and_runt(void)
{
	uint8_t f[VEC_MAX];
	int n = load_vector("pfc_p3", f);

	CU_ASSERT_EQUAL(n, 60);
	CU_ASSERT_EQUAL(parse_reason(f, 14 + 10), FAB_PKT_DROP_TRUNC_MAC_CTRL);
	CU_ASSERT_EQUAL(parse_reason(f, 15), FAB_PKT_DROP_TRUNC_MAC_CTRL);
	/* The whole PFC body but cut before the padding: well formed, too short. */
	CU_ASSERT_EQUAL(parse_reason(f, 14 + 20), FAB_PKT_DROP_RUNT);
	/* A 42-byte ARP as a capture taken before padding shows it. */
	memset(f, 0, 42);
	f[12] = 0x08;
	f[13] = 0x06;
	CU_ASSERT_EQUAL(parse_reason(f, 42), FAB_PKT_DROP_RUNT);
}

/* Every strict prefix of a valid frame is rejected, never accepted or crashed on. */
static void
test_every_truncation_rejected(void)
{
	static const char *const v[] = { "v4_write_first", "v4_cnp", "v6_write_first",
		"v4_vlan_write_middle", "v6_ack" };
	uint8_t f[VEC_MAX];
	size_t i;

	for (i = 0; i < RTE_DIM(v); i++) {
		int n = load_vector(v[i], f), len;

		for (len = 0; len < n; len++) {
			int r = parse_reason(f, len);

			CU_ASSERT_NOT_EQUAL(r, FAB_PKT_OK);
			CU_ASSERT_TRUE(r > 0 && r < FAB_PKT_DROP_MAX);
		}
		CU_ASSERT_EQUAL(parse_reason(f, n), FAB_PKT_OK);
	}
}

/* Random damage: flat and segmented parsing must agree field by field. */
static void
test_fuzz_flat_equals_segmented(void)
{
	static const char *const v[] = { "v4_write_first", "v6_write_first",
		"v4_vlan_write_middle", "pfc_p3", "v4_nak" };
	uint8_t base[VEC_MAX], f[VEC_MAX];
	int iter;

	srand(1234);
	for (iter = 0; iter < 3000; iter++) {
		int n = load_vector(v[iter % RTE_DIM(v)], base), k, flips = 1 + rand() % 4;
		int len = rand() % 4 == 0 ? rand() % (n + 1) : n;
		struct fab_pkt_meta a, b;
		struct rte_mbuf *m;

		memcpy(f, base, (size_t)n);
		for (k = 0; k < flips; k++)
			f[rand() % 60] ^= (uint8_t)(1u << (rand() % 8));
		fab_pkt_parse_buf(f, (uint32_t)len, &a);
		m = fab_test_mbuf_from(f, (uint32_t)len, 1 + (uint32_t)(rand() % 70));
		CU_ASSERT_PTR_NOT_NULL_FATAL(m);
		fab_pkt_parse(m, &b);
		rte_pktmbuf_free(m);
		b.flags &= (uint16_t)~FAB_PKT_F_MULTISEG;
		a.flags &= (uint16_t)~FAB_PKT_F_MULTISEG;
		CU_ASSERT_EQUAL(memcmp(&a, &b, sizeof(a)), 0);
	}
}

/*
 * Random damage to one-segment frames, which the parser's fast path takes
 * when they are untagged IPv4 RoCEv2: it must agree field by field, and in
 * its drop reason, with the general path that parses the flat buffer.
 */
static void
test_fuzz_fast_path_equals_general(void)
{
	static const char *const v[] = { "v4_write_first", "v4_cnp", "v4_nak",
		"v4_vlan_write_middle", "v6_write_first" };
	uint8_t base[VEC_MAX], f[VEC_MAX];
	int iter, fast_ok = 0;

	srand(4321);
	for (iter = 0; iter < 20000; iter++) {
		int n = load_vector(v[iter % RTE_DIM(v)], base), k, flips = rand() % 3;
		int len = rand() % 8 == 0 ? rand() % (n + 1) : n;
		struct fab_pkt_meta a, b;
		struct rte_mbuf *m;
		int ra, rb;

		memcpy(f, base, (size_t)n);
		for (k = 0; k < flips; k++)
			f[rand() % 70] ^= (uint8_t)(1u << (rand() % 8));
		ra = fab_pkt_parse_buf(f, (uint32_t)len, &a);
		m = fab_test_mbuf_from(f, (uint32_t)len, VEC_MAX);
		CU_ASSERT_PTR_NOT_NULL_FATAL(m);
		rb = fab_pkt_parse(m, &b);
		rte_pktmbuf_free(m);
		CU_ASSERT_EQUAL(ra, rb);
		CU_ASSERT_EQUAL(memcmp(&a, &b, sizeof(a)), 0);
		fast_ok += rb == FAB_PKT_OK && b.kind == FAB_PKT_KIND_ROCE && b.l3 == FAB_L3_IPV4 &&
			!(b.flags & FAB_PKT_F_VLAN);
	}
	/* Most frames stay valid: the comparison covered the fast path's successes. */
	CU_ASSERT_TRUE(fast_ok > 5000);
}

/* RFC 1071, sixteen bits at a time: the one's-complement sum of a header. */
static uint16_t
ref_ones_sum(const uint8_t *h, int n)
{
	uint32_t sum = 0;
	int i;

	for (i = 0; i < n; i += 2)
		sum += (uint32_t)(h[i] << 8 | h[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/*
 * The parser accepts an IPv4 header exactly when its one's-complement sum
 * is 0xffff, on random headers with their checksum right, off by a little,
 * or random (both 0x0000 and 0xffff forms of a right checksum included).
 */
/*
 * Keep version, length, fragment and protocol of an IPv4 header; randomise
 * the rest (TTL 2..255). Returns the right checksum; the field is left 0.
 */
static uint16_t
randomise_ipv4_header(uint8_t *ip)
{
	int k;

	ip[1] = (uint8_t)rand();
	ip[4] = (uint8_t)rand();
	ip[5] = (uint8_t)rand();
	ip[8] = (uint8_t)(2 + rand() % 254);
	for (k = 12; k < 20; k++)
		ip[k] = (uint8_t)rand();
	ip[10] = ip[11] = 0;
	return (uint16_t)~ref_ones_sum(ip, 20);
}

static void
test_ipv4_checksum_rule(void)
{
	uint8_t f[VEC_MAX];
	int iter, accepted = 0, refused = 0;

	srand(2024);
	for (iter = 0; iter < 50000; iter++) {
		int n = load_vector("v4_write_first", f);
		uint8_t *ip = f + 14;
		struct fab_pkt_meta mt;
		struct rte_mbuf *m;
		uint16_t c;
		int r;

		c = randomise_ipv4_header(ip);
		if (iter % 4 == 3) {
			/*
			 * Steer the one-pass parser's sums (two 8-byte words and a
			 * 4-byte one, little-endian) into wrapping past 2^64 twice:
			 * the words' upper halves (identification and fragment
			 * field, source address) add up to all ones, and the
			 * destination is all ones.
			 */
			uint32_t hi;

			memcpy(&hi, ip + 4, 4);
			hi = 0xffffffffu - hi;
			memcpy(ip + 12, &hi, 4);
			memset(ip + 16, 0xff, 4);
			ip[10] = ip[11] = 0;
			c = (uint16_t)~ref_ones_sum(ip, 20);
		}
		switch (rand() % 5) {
		case 0:
			break;
		case 1:
			c = (uint16_t)(c + 1 + rand() % 3);
			break;
		case 3:
			/* One more in the first byte: one more in a little-endian sum. */
			c = (uint16_t)(c + 0x100);
			break;
		case 2:
			c = (uint16_t)rand();
			break;
		default:
			/* 0 and 0xffff are the same number in one's complement. */
			c = c == 0 ? 0xffff : c == 0xffff ? 0 : c;
			break;
		}
		ip[10] = (uint8_t)(c >> 8);
		ip[11] = (uint8_t)c;
		r = fab_pkt_parse_buf(f, (uint32_t)n, &mt);
		/* The same verdict from an mbuf, which takes the one-pass parser. */
		m = fab_test_mbuf_from(f, (uint32_t)n, 2048);
		CU_ASSERT_PTR_NOT_NULL_FATAL(m);
		CU_ASSERT_EQUAL_FATAL(fab_pkt_parse(m, &mt), r);
		rte_pktmbuf_free(m);
		if (ref_ones_sum(ip, 20) == 0xffff) {
			CU_ASSERT_NOT_EQUAL_FATAL(r, FAB_PKT_DROP_IPV4_CHECKSUM);
			accepted++;
		} else {
			CU_ASSERT_EQUAL_FATAL(r, FAB_PKT_DROP_IPV4_CHECKSUM);
			refused++;
		}
	}
	CU_ASSERT_TRUE(accepted > 10000);
	CU_ASSERT_TRUE(refused > 10000);
}

/*
 * TTL decrement on 50,000 random IPv4 headers (checksums over the whole
 * range, the wrap at 0xff00 included) against a recomputed checksum: only
 * TTL and checksum change, the header stays valid and the parser agrees.
 * One frame in eight comes in 24-byte segments, so that its header is
 * split (the general path); the others take the inline one.
 */
static void
test_ttl_checksum_random(void)
{
	uint8_t f[VEC_MAX], before[VEC_MAX];
	int iter, wrapped = 0;

	srand(1624);
	for (iter = 0; iter < 50000; iter++) {
		int n = load_vector("v4_write_first", f), k;
		uint8_t *ip = f + 14;
		struct fab_pkt_meta mt, mt2;
		struct rte_mbuf *m;
		const uint8_t *out;
		uint8_t buf[VEC_MAX], hdr[20];
		uint16_t c, hc;

		c = randomise_ipv4_header(ip);
		ip[10] = (uint8_t)(c >> 8);
		ip[11] = (uint8_t)c;
		wrapped += c >= 0xff00;
		memcpy(before, f, (size_t)n);
		m = fab_test_mbuf_from(f, (uint32_t)n, iter % 8 == 7 ? 24 : 2048);
		CU_ASSERT_PTR_NOT_NULL_FATAL(m);
		CU_ASSERT_EQUAL_FATAL(fab_pkt_parse(m, &mt), FAB_PKT_OK);
		CU_ASSERT_EQUAL_FATAL(fab_pkt_dec_ttl(m, &mt), before[14 + 8] - 1);
		out = rte_pktmbuf_read(m, 0, (uint32_t)n, buf);
		CU_ASSERT_PTR_NOT_NULL_FATAL(out);
		for (k = 0; k < n; k++)
			if (k != 14 + 8 && k != 14 + 10 && k != 14 + 11)
				CU_ASSERT_EQUAL_FATAL(out[k], before[k]);
		CU_ASSERT_EQUAL_FATAL(out[14 + 8], before[14 + 8] - 1);
		CU_ASSERT_EQUAL_FATAL(ref_ones_sum(out + 14, 20), 0xffff);
		/* The recomputed checksum, up to one's complement's two zeros. */
		memcpy(hdr, out + 14, 20);
		hdr[10] = hdr[11] = 0;
		hc = (uint16_t)~ref_ones_sum(hdr, 20);
		c = (uint16_t)(out[14 + 10] << 8 | out[14 + 11]);
		CU_ASSERT_TRUE_FATAL(c == hc || (c == 0xffff && hc == 0));
		CU_ASSERT_EQUAL_FATAL(fab_pkt_parse(m, &mt2), FAB_PKT_OK);
		CU_ASSERT_EQUAL_FATAL(mt2.ttl, mt.ttl);
		rte_pktmbuf_free(m);
	}
	CU_ASSERT_TRUE(wrapped > 50);
}

/* ------------------------------------------------------------ builders */

static struct fab_roce_addr
scapy_addr_v4(void)
{
	struct fab_roce_addr a = {
		.dst_mac = { { 2, 0, 0, 0, 0, 2 } },
		.src_mac = { { 2, 0, 0, 0, 0, 1 } },
		.l3 = FAB_L3_IPV4,
		.ecn = 2,
		.ttl = 64,
		.udp_src_port = 49152,
	};

	a.src_ip.v4 = inet_addr("10.0.0.1");
	a.dst_ip.v4 = inet_addr("10.0.1.2");
	return a;
}

static void
fill_payload(uint8_t *p, uint32_t n, uint8_t seed)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + 7 * i);
}

static void
assert_same_bytes(const char *vector, const uint8_t *built, int len)
{
	uint8_t want[VEC_MAX];
	int n = load_vector(vector, want);

	CU_ASSERT_EQUAL(len, n);
	if (len == n)
		CU_ASSERT_EQUAL(memcmp(built, want, (size_t)n), 0);
}

static void
test_build_write_equals_scapy(void)
{
	struct fab_roce_addr a = scapy_addr_v4();
	struct fab_reth r1 = { .vaddr = 0x1000, .rkey = 0xabcd, .dma_len = 1024 };
	struct fab_reth r2 = { .vaddr = 0xdeadbeef00ull, .rkey = 7, .dma_len = 64 };
	uint8_t out[VEC_MAX], pl[512];
	int n;

	fill_payload(pl, 256, 1);
	n = fab_pkt_build_write(out, sizeof(out), &a, FAB_WRITE_FIRST, 0x12, 0x123456,
		false, &r1, pl, 256);
	assert_same_bytes("v4_write_first", out, n);
	fill_payload(pl, 256, 2);
	n = fab_pkt_build_write(out, sizeof(out), &a, FAB_WRITE_MIDDLE, 0x12, 0x123457,
		false, NULL, pl, 256);
	assert_same_bytes("v4_write_middle", out, n);
	fill_payload(pl, 250, 3);
	n = fab_pkt_build_write(out, sizeof(out), &a, FAB_WRITE_LAST, 0x12, 0x123458,
		true, NULL, pl, 250);
	assert_same_bytes("v4_write_last", out, n);
	fill_payload(pl, 64, 4);
	n = fab_pkt_build_write(out, sizeof(out), &a, FAB_WRITE_ONLY, 0xabcde, 0xfffffe,
		true, &r2, pl, 64);
	assert_same_bytes("v4_write_only", out, n);
}

static void
test_build_ack_nak_cnp_equal_scapy(void)
{
	struct fab_roce_addr a = scapy_addr_v4();
	uint8_t out[VEC_MAX];
	int n;

	a.ecn = 0;
	n = fab_pkt_build_ack(out, sizeof(out), &a, 0x34, 0x123458,
		FAB_AETH_ACK | FAB_AETH_CREDITS_UNLIMITED, 5);
	assert_same_bytes("v4_ack", out, n);
	n = fab_pkt_build_ack(out, sizeof(out), &a, 0x34, 0x10, FAB_AETH_NAK_PSN_SEQ_ERR, 4);
	assert_same_bytes("v4_nak", out, n);
	a.dscp = 48;
	n = fab_pkt_build_cnp(out, sizeof(out), &a, 0x12);
	assert_same_bytes("v4_cnp", out, n);
}

static void
test_build_vlan_and_ipv6_equal_vectors(void)
{
	struct fab_roce_addr a = scapy_addr_v4();
	struct fab_reth r = { .vaddr = 0x2000, .rkey = 0x55, .dma_len = 4096 };
	uint8_t out[VEC_MAX], pl[512];
	int n;

	a.has_vlan = true;
	a.vlan_tci = 3 << 13 | 100;
	a.dscp = 26;
	a.udp_src_port = 50000;
	fill_payload(pl, 128, 5);
	n = fab_pkt_build_write(out, sizeof(out), &a, FAB_WRITE_MIDDLE, 0x99, 77, false,
		NULL, pl, 128);
	assert_same_bytes("v4_vlan_write_middle", out, n);

	a = scapy_addr_v4();
	a.l3 = FAB_L3_IPV6;
	inet_pton(AF_INET6, "fd00::1", a.src_ip.v6);
	inet_pton(AF_INET6, "fd00:0:0:1::2", a.dst_ip.v6);
	a.flow_label = 0x12345;
	fill_payload(pl, 512, 6);
	n = fab_pkt_build_write(out, sizeof(out), &a, FAB_WRITE_FIRST, 0x21, 0x10, false,
		&r, pl, 512);
	assert_same_bytes("v6_write_first", out, n);
	a.ecn = 0;
	n = fab_pkt_build_ack(out, sizeof(out), &a, 0x22, 0x11,
		FAB_AETH_ACK | FAB_AETH_CREDITS_UNLIMITED, 9);
	assert_same_bytes("v6_ack", out, n);
	a.dscp = 48;
	n = fab_pkt_build_cnp(out, sizeof(out), &a, 0x21);
	assert_same_bytes("v6_cnp", out, n);
}

static void
test_build_errors_and_deferred_payload(void)
{
	struct fab_roce_addr a = scapy_addr_v4();
	struct fab_bth_fields bth = { .opcode = 0x1f };
	uint8_t out[VEC_MAX], pl[256];
	struct fab_pkt_meta mt;
	int n;

	CU_ASSERT_EQUAL(fab_pkt_build_roce(out, sizeof(out), &a, &bth, NULL, NULL, 0), -EINVAL);
	CU_ASSERT_EQUAL(fab_pkt_build_write(out, 100, &a, FAB_WRITE_MIDDLE, 1, 1, false,
		NULL, pl, 256), -ENOSPC);
	CU_ASSERT_EQUAL(fab_pkt_build_write(out, sizeof(out), &a, (enum fab_write_part)9, 1,
		1, false, NULL, pl, 256), -EINVAL);
	a.l3 = 5;
	CU_ASSERT_EQUAL(fab_pkt_build_write(out, sizeof(out), &a, FAB_WRITE_MIDDLE, 1, 1,
		false, NULL, pl, 16), -EINVAL);
	CU_ASSERT_EQUAL(fab_pkt_roce_frame_len(&a, FAB_OP_RC_WRITE_MIDDLE, 16), 0);

	/* Payload written in place after building, then the ICRC. */
	a = scapy_addr_v4();
	fill_payload(pl, 256, 2);
	n = fab_pkt_build_write(out, sizeof(out), &a, FAB_WRITE_MIDDLE, 0x12, 0x123457,
		false, NULL, NULL, 256);
	CU_ASSERT_EQUAL_FATAL(n, 314);
	CU_ASSERT_EQUAL_FATAL(fab_pkt_parse_buf(out, (uint32_t)n, &mt), FAB_PKT_OK);
	memcpy(out + mt.payload_off, pl, 256);
	fab_icrc_set_buf(out, &mt);
	assert_same_bytes("v4_write_middle", out, n);
	CU_ASSERT_EQUAL(fab_pkt_roce_frame_len(&a, FAB_OP_RC_WRITE_MIDDLE, 256), 314);
}

static void
test_opcode_table(void)
{
	CU_ASSERT_EQUAL(fab_bth_ext_len(fab_bth_opcode_info(FAB_OP_RC_WRITE_FIRST)), 16);
	CU_ASSERT_EQUAL(fab_bth_ext_len(fab_bth_opcode_info(FAB_OP_RC_WRITE_ONLY_IMM)), 20);
	CU_ASSERT_EQUAL(fab_bth_ext_len(fab_bth_opcode_info(FAB_OP_RC_ACK)), 4);
	CU_ASSERT_EQUAL(fab_bth_ext_len(fab_bth_opcode_info(FAB_OP_RC_ATOMIC_ACK)), 12);
	CU_ASSERT_EQUAL(fab_bth_ext_len(fab_bth_opcode_info(FAB_OP_CNP)), 16);
	CU_ASSERT_EQUAL(fab_bth_ext_len(fab_bth_opcode_info(FAB_OP_UD_SEND_ONLY_IMM)), 12);
	CU_ASSERT_EQUAL(fab_bth_opcode_info(0x15), 0);
	CU_ASSERT_EQUAL(fab_bth_opcode_info(0x40), 0);
	CU_ASSERT_STRING_EQUAL(fab_bth_opcode_name(FAB_OP_CNP), "CNP");
	CU_ASSERT_STRING_EQUAL(fab_bth_opcode_name(0x15), "UNKNOWN");
	CU_ASSERT_STRING_EQUAL(fab_pkt_drop_name(FAB_PKT_DROP_RUNT), "runt");
	CU_ASSERT_STRING_EQUAL(fab_pkt_drop_name(FAB_PKT_DROP_MAX), "invalid");
	CU_ASSERT_STRING_EQUAL(fab_pkt_kind_name(FAB_PKT_KIND_PFC), "pfc");
}

/* Every drop reason has a distinct, non-empty name: counters key on them. */
static void
test_drop_names_distinct(void)
{
	int i, j;

	for (i = 0; i < FAB_PKT_DROP_MAX; i++) {
		CU_ASSERT_PTR_NOT_NULL_FATAL(fab_pkt_drop_name(i));
		for (j = 0; j < i; j++)
			CU_ASSERT_STRING_NOT_EQUAL(fab_pkt_drop_name(i), fab_pkt_drop_name(j));
	}
}

/* ------------------------------------------------- header rewrites */

static void
test_mark_ce_rules(void)
{
	uint8_t f[VEC_MAX];
	int n = load_vector("v4_ack", f); /* Not-ECT */
	struct rte_mbuf *m = fab_test_mbuf_from(f, (uint32_t)n, 2048);
	struct fab_pkt_meta mt;

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	fab_pkt_parse(m, &mt);
	CU_ASSERT_EQUAL(fab_pkt_mark_ce(m, &mt), 0);
	CU_ASSERT_EQUAL(memcmp(rte_pktmbuf_mtod(m, void *), f, (size_t)n), 0);
	rte_pktmbuf_free(m);

	n = load_vector("v4_write_middle", f); /* ECT(0) */
	f[15] |= 1; /* ECT(0) -> CE directly */
	{
		uint16_t c;

		f[24] = f[25] = 0;
		c = (uint16_t)~rte_raw_cksum(f + 14, 20);
		memcpy(f + 24, &c, 2);
	}
	m = fab_test_mbuf_from(f, (uint32_t)n, 2048);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL_FATAL(fab_pkt_parse(m, &mt), FAB_PKT_OK);
	CU_ASSERT_EQUAL(mt.ecn, 3);
	CU_ASSERT_EQUAL(fab_pkt_mark_ce(m, &mt), 0); /* already CE */
	rte_pktmbuf_free(m);

	/* ECT(1) marks too; header split across segments still fixed right. */
	n = load_vector("v4_write_middle", f);
	f[15] = (uint8_t)((f[15] & 0xfc) | 1);
	{
		uint16_t c;

		f[24] = f[25] = 0;
		c = (uint16_t)~rte_raw_cksum(f + 14, 20);
		memcpy(f + 24, &c, 2);
	}
	m = fab_test_mbuf_from(f, (uint32_t)n, 5);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL_FATAL(fab_pkt_parse(m, &mt), FAB_PKT_OK);
	CU_ASSERT_EQUAL(fab_pkt_mark_ce(m, &mt), 1);
	CU_ASSERT_EQUAL(fab_pkt_parse(m, &mt), FAB_PKT_OK);
	CU_ASSERT_EQUAL(mt.ecn, 3);
	CU_ASSERT_TRUE(fab_icrc_verify(m, &mt));
	rte_pktmbuf_free(m);

	/* Not IP at all. */
	n = load_vector("pfc_p3", f);
	m = fab_test_mbuf_from(f, (uint32_t)n, 2048);
	fab_pkt_parse(m, &mt);
	CU_ASSERT_EQUAL(fab_pkt_mark_ce(m, &mt), -EINVAL);
	CU_ASSERT_EQUAL(fab_pkt_dec_ttl(m, &mt), -EINVAL);
	rte_pktmbuf_free(m);
}

static void
test_ttl_expiry(void)
{
	static const char *const v[] = { "v4_write_middle", "v6_ack" };
	uint8_t f[VEC_MAX];
	size_t i;

	for (i = 0; i < RTE_DIM(v); i++) {
		int n = load_vector(v[i], f), k;
		struct rte_mbuf *m = fab_test_mbuf_from(f, (uint32_t)n, 2048);
		struct fab_pkt_meta mt;

		CU_ASSERT_PTR_NOT_NULL_FATAL(m);
		fab_pkt_parse(m, &mt);
		for (k = 63; k >= 1; k--) {
			CU_ASSERT_EQUAL(fab_pkt_dec_ttl(m, &mt), k);
			CU_ASSERT_EQUAL_FATAL(fab_pkt_parse(m, &mt), FAB_PKT_OK);
			CU_ASSERT_EQUAL(mt.ttl, k);
		}
		CU_ASSERT_EQUAL(fab_pkt_dec_ttl(m, &mt), -ETIMEDOUT);
		CU_ASSERT_EQUAL(mt.ttl, 1);
		rte_pktmbuf_free(m);
	}
}

/*
 * fab_pkt_parse_fwd() is fab_pkt_parse() then fab_pkt_dec_ttl(), in the
 * frame's bytes, the record and the result, on randomly damaged frames of
 * every kind (so both of its paths, and refused frames), with TTLs 0 to 3
 * among them and one frame in five in 24-byte segments; an expired TTL is
 * flagged and leaves the frame as it was.
 */
static void
test_parse_fwd_equals_parse_then_dec_ttl(void)
{
	static const char *const v[] = { "v4_write_first", "v4_cnp", "v4_nak",
		"v4_vlan_write_middle", "v6_write_first", "v6_ack", "pfc_p3" };
	uint8_t base[VEC_MAX], f[VEC_MAX], ba[VEC_MAX], bb[VEC_MAX];
	int iter, decremented = 0, expired = 0, refused = 0;

	srand(8642);
	for (iter = 0; iter < 20000; iter++) {
		const char *name = v[iter % RTE_DIM(v)];
		int n = load_vector(name, base), k, flips = rand() % 4 == 0 ? 1 + rand() % 2 : 0;
		int len = rand() % 16 == 0 ? rand() % (n + 1) : n;
		uint32_t seg = iter % 5 == 4 ? 24 : VEC_MAX;
		struct rte_mbuf *ma, *mb;
		struct fab_pkt_meta a, b;
		const uint8_t *pa, *pb;
		int ra, rb, da = 0;

		memcpy(f, base, (size_t)n);
		/* TTL (or hop limit) 0..3 in one IP frame of three, so expiry is common. */
		if (name[0] == 'v' && rand() % 3 == 0) {
			uint8_t *ip = f + (strstr(name, "vlan") != NULL ? 18 : 14);
			uint16_t c;

			if (name[1] == '6') {
				ip[7] = (uint8_t)(rand() % 4);
			} else {
				ip[8] = (uint8_t)(rand() % 4);
				ip[10] = ip[11] = 0;
				c = (uint16_t)~ref_ones_sum(ip, 20);
				ip[10] = (uint8_t)(c >> 8);
				ip[11] = (uint8_t)c;
			}
		}
		for (k = 0; k < flips; k++)
			f[rand() % 70] ^= (uint8_t)(1u << (rand() % 8));
		ma = fab_test_mbuf_from(f, (uint32_t)len, seg);
		mb = fab_test_mbuf_from(f, (uint32_t)len, seg);
		CU_ASSERT_PTR_NOT_NULL_FATAL(ma);
		CU_ASSERT_PTR_NOT_NULL_FATAL(mb);
		ra = fab_pkt_parse(ma, &a);
		if (ra == FAB_PKT_OK && (a.l3 == FAB_L3_IPV4 || a.l3 == FAB_L3_IPV6)) {
			da = fab_pkt_dec_ttl(ma, &a);
			if (da == -ETIMEDOUT)
				a.flags |= FAB_PKT_F_TTL_EXPIRED;
		}
		rb = fab_pkt_parse_fwd(mb, &b);
		CU_ASSERT_EQUAL_FATAL(ra, rb);
		CU_ASSERT_EQUAL_FATAL(memcmp(&a, &b, sizeof(a)), 0);
		pa = rte_pktmbuf_read(ma, 0, (uint32_t)len, ba);
		pb = rte_pktmbuf_read(mb, 0, (uint32_t)len, bb);
		CU_ASSERT_TRUE_FATAL(len == 0 || (pa != NULL && pb != NULL));
		CU_ASSERT_TRUE_FATAL(len == 0 || memcmp(pa, pb, (size_t)len) == 0);
		if (b.flags & FAB_PKT_F_TTL_EXPIRED)
			CU_ASSERT_TRUE_FATAL(len == 0 || memcmp(pb, f, (size_t)len) == 0);
		decremented += rb == FAB_PKT_OK && da > 0;
		expired += (b.flags & FAB_PKT_F_TTL_EXPIRED) != 0;
		refused += rb != FAB_PKT_OK;
		rte_pktmbuf_free(ma);
		rte_pktmbuf_free(mb);
	}
	/* Every outcome was compared many times. */
	CU_ASSERT_TRUE(decremented > 5000);
	CU_ASSERT_TRUE(expired > 1000);
	CU_ASSERT_TRUE(refused > 500);
}

int
fab_suite_pkt(void)
{
	CU_pSuite s = fab_test_add_suite("pkt");

	if (s == NULL)
		return -1;
	FAB_ADD_TEST(s, test_parse_write_first);
	FAB_ADD_TEST(s, test_parse_fields_of_each_vector);
	FAB_ADD_TEST(s, test_parse_vlan);
	FAB_ADD_TEST(s, test_parse_stacked_vlan);
	FAB_ADD_TEST(s, test_parse_ipv6_ext);
	FAB_ADD_TEST(s, test_parse_non_roce);
	FAB_ADD_TEST(s, test_drop_reasons);
	FAB_ADD_TEST(s, test_drop_reasons_ipv6);
	FAB_ADD_TEST(s, test_drop_mac_ctrl_and_runt);
	FAB_ADD_TEST(s, test_every_truncation_rejected);
	FAB_ADD_TEST(s, test_fuzz_flat_equals_segmented);
	FAB_ADD_TEST(s, test_fuzz_fast_path_equals_general);
	FAB_ADD_TEST(s, test_ipv4_checksum_rule);
	FAB_ADD_TEST(s, test_build_write_equals_scapy);
	FAB_ADD_TEST(s, test_build_ack_nak_cnp_equal_scapy);
	FAB_ADD_TEST(s, test_build_vlan_and_ipv6_equal_vectors);
	FAB_ADD_TEST(s, test_build_errors_and_deferred_payload);
	FAB_ADD_TEST(s, test_opcode_table);
	FAB_ADD_TEST(s, test_drop_names_distinct);
	FAB_ADD_TEST(s, test_mark_ce_rules);
	FAB_ADD_TEST(s, test_ttl_expiry);
	FAB_ADD_TEST(s, test_ttl_checksum_random);
	FAB_ADD_TEST(s, test_parse_fwd_equals_parse_then_dec_ttl);
	return 0;
}
