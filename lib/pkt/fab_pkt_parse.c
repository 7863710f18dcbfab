/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * The parser reads headers through pkt_reader, which hands out a pointer into
 * the first segment when the bytes are contiguous and copies them into a
 * scratch buffer otherwise (rte_pktmbuf_read). Every read is checked against
 * the real length of the data, so a lying length field can only lead to a
 * drop reason, never to a read past the end.
 */

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <netinet/in.h>

#include <rte_byteorder.h>
#include <rte_ip.h>

#include "fab_pkt.h"
#include "fab_pkt_private.h"

struct pkt_reader {
	const struct rte_mbuf *m; /* NULL when reading a flat buffer */
	const uint8_t *flat;
	uint32_t len;
};

static inline const uint8_t *
rd(const struct pkt_reader *r, uint32_t off, uint32_t n, void *scratch)
{
	if ((uint64_t)off + n > r->len)
		return NULL;
	if (r->m == NULL)
		return r->flat + off;
	return rte_pktmbuf_read(r->m, off, n, scratch);
}

static inline uint16_t
be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/*
 * One's-complement sum of an IPv4 header is 0xffff when its checksum is
 * right. Summing 32-bit words into 64 bits and folding gives the same
 * result as 16-bit words (RFC 1071) in a third of the steps.
 */
static inline bool
ipv4_csum_ok(const uint8_t *ip, uint32_t hl)
{
	uint64_t sum = 0;
	uint32_t i;

	for (i = 0; i < hl; i += 4) {
		uint32_t w;

		memcpy(&w, ip + i, 4);
		sum += w;
	}
	/*
	 * Folding end-around carries keeps the value modulo 0xffff (2^16 is 1
	 * modulo 0xffff) and never gives 0 for a non-zero sum, so the folded
	 * sum is 0xffff exactly when the sum is a non-zero multiple of 0xffff:
	 * one multiply instead of a chain of four dependent folds.
	 */
	return sum != 0 && sum % 0xffff == 0;
}

/*
 * ipv4_csum_ok() for an option-free header, in three loads: 2^64 is 1
 * modulo 0xffff as 2^16 and 2^32 are, so two 8-byte words and a 4-byte one
 * added with end-around carry keep the residue of the 16-bit sum, and the
 * total is 0 only for an all-zero header.
 */
static inline bool
ipv4_csum20_ok(const uint8_t *ip)
{
	uint64_t a, b, s;
	uint32_t c;

	memcpy(&a, ip, 8);
	memcpy(&b, ip + 8, 8);
	memcpy(&c, ip + 16, 4);
	s = a + b;
	s += s < a;     /* after a wrap s <= 2^64 - 2: this cannot wrap again */
	s += c;
	s += s < c;
	return s != 0 && s % 0xffff == 0;
}

/*
 * Zero the metadata with plain vector stores: a generic memset of this size
 * becomes `rep stos`, whose start-up cost dominated the parser.
 */
static inline void
meta_clear(struct fab_pkt_meta *mt)
{
	typedef uint64_t v2u64 __attribute__((vector_size(16), aligned(8), may_alias));
	v2u64 *w = (v2u64 *)mt;
	const v2u64 zero = { 0, 0 };
	size_t i;

	RTE_BUILD_BUG_ON(sizeof(*mt) % 16 != 0);
	for (i = 0; i < sizeof(*mt) / 16; i++) {
		w[i] = zero;
		/* Keeps the compiler from turning the loop back into memset(). */
		__asm__ volatile("" : : "r"(w + i) : "memory");
	}
}

static inline int
fail(struct fab_pkt_meta *mt, enum fab_pkt_drop why)
{
	mt->drop = (uint8_t)why;
	return why;
}

static int
parse_roce(const struct pkt_reader *r, struct fab_pkt_meta *mt, uint32_t udp_end)
{
	uint8_t scratch[FAB_BTH_LEN];
	const uint8_t *bth;
	uint32_t ext_len, tail, p;
	uint16_t info;

	mt->bth_off = (uint16_t)(mt->l4_off + 8);
	if ((uint32_t)mt->bth_off + FAB_BTH_LEN + FAB_ICRC_LEN > udp_end)
		return fail(mt, FAB_PKT_DROP_TRUNC_BTH);
	bth = rd(r, mt->bth_off, FAB_BTH_LEN, scratch);
	if (bth == NULL)
		return fail(mt, FAB_PKT_DROP_TRUNC_BTH);

	mt->bth_opcode = bth[0];
	info = fab_pkt_opcode_layout[bth[0]].ext;
	if (unlikely(info == 0))
		return fail(mt, FAB_PKT_DROP_BTH_OPCODE);
	if (bth[1] & 0x80)
		mt->flags |= FAB_PKT_F_SOLICITED;
	if (bth[1] & 0x40)
		mt->flags |= FAB_PKT_F_MIGREQ;
	mt->pad_count = (bth[1] >> 4) & 0x3;
	mt->pkey = be16(bth + 2);
	if (bth[4] & 0x80)
		mt->flags |= FAB_PKT_F_FECN;
	if (bth[4] & 0x40)
		mt->flags |= FAB_PKT_F_BECN;
	mt->dest_qp = be32(bth + 4) & FAB_QPN_MASK;
	if (bth[8] & 0x80)
		mt->flags |= FAB_PKT_F_ACKREQ;
	mt->psn = be32(bth + 8) & FAB_PSN_MASK;
	mt->ext = info;

	ext_len = fab_pkt_opcode_layout[bth[0]].ext_len;
	p = (uint32_t)mt->bth_off + FAB_BTH_LEN;
	tail = (uint32_t)mt->pad_count + FAB_ICRC_LEN;
	if (p + ext_len + tail > udp_end)
		return fail(mt, FAB_PKT_DROP_TRUNC_ROCE_EXT);
	mt->payload_off = (uint16_t)(p + ext_len);
	mt->payload_len = udp_end - tail - mt->payload_off;

	mt->kind = FAB_PKT_KIND_ROCE;
	if (info & FAB_EXT_AETH) {
		uint8_t s4[FAB_AETH_LEN];
		const uint8_t *aeth = rd(r, fab_pkt_ext_off(mt, FAB_EXT_AETH),
				FAB_AETH_LEN, s4);

		if (aeth == NULL)
			return fail(mt, FAB_PKT_DROP_TRUNC_ROCE_EXT);
		mt->aeth_syndrome = aeth[0];
		mt->msn = be32(aeth) & 0xffffff;
	}
	return FAB_PKT_OK;
}

static int
parse_udp(const struct pkt_reader *r, struct fab_pkt_meta *mt)
{
	uint8_t scratch[8];
	const uint8_t *u;
	uint32_t ulen;

	if ((uint32_t)mt->l4_off + 8 > mt->l3_end)
		return fail(mt, FAB_PKT_DROP_TRUNC_UDP);
	u = rd(r, mt->l4_off, 8, scratch);
	if (u == NULL)
		return fail(mt, FAB_PKT_DROP_TRUNC_UDP);
	ulen = be16(u + 4);
	if (ulen < 8 || mt->l4_off + ulen > mt->l3_end)
		return fail(mt, FAB_PKT_DROP_UDP_LEN);
	mt->key.src_port = rte_cpu_to_be_16(be16(u));
	mt->key.dst_port = rte_cpu_to_be_16(be16(u + 2));
	if (be16(u + 2) != FAB_ROCE_UDP_PORT)
		return FAB_PKT_OK;
	return parse_roce(r, mt, mt->l4_off + ulen);
}

static int
parse_ipv4(const struct pkt_reader *r, struct fab_pkt_meta *mt, uint32_t off)
{
	uint8_t scratch[60];
	const uint8_t *ip;
	uint32_t hl, tot;
	uint16_t frag;

	ip = rd(r, off, 20, scratch);
	if (ip == NULL)
		return fail(mt, FAB_PKT_DROP_TRUNC_IPV4);
	if ((ip[0] >> 4) != 4)
		return fail(mt, FAB_PKT_DROP_IP_VERSION);
	hl = (uint32_t)(ip[0] & 0xf) * 4;
	if (hl < 20)
		return fail(mt, FAB_PKT_DROP_IPV4_IHL);
	if (hl > 20) {
		ip = rd(r, off, hl, scratch);
		if (ip == NULL)
			return fail(mt, FAB_PKT_DROP_TRUNC_IPV4);
		mt->flags |= FAB_PKT_F_IPV4_OPTS;
	}
	tot = be16(ip + 2);
	if (tot < hl || off + tot > r->len)
		return fail(mt, FAB_PKT_DROP_IPV4_TOTAL_LEN);
	if (!ipv4_csum_ok(ip, hl))
		return fail(mt, FAB_PKT_DROP_IPV4_CHECKSUM);
	frag = be16(ip + 6);
	if (frag & 0x3fff) /* MF set or a non-zero offset */
		return fail(mt, FAB_PKT_DROP_FRAGMENT);

	mt->l3 = FAB_L3_IPV4;
	mt->kind = FAB_PKT_KIND_IP;
	mt->l3_off = (uint16_t)off;
	mt->l3_end = off + tot;
	mt->l4_off = (uint16_t)(off + hl);
	mt->dscp = ip[1] >> 2;
	mt->ecn = ip[1] & 0x3;
	mt->ttl = ip[8];
	mt->l4_proto = ip[9];
	mt->key.l3 = FAB_L3_IPV4;
	mt->key.proto = ip[9];
	memcpy(&mt->key.src.v4, ip + 12, 4);
	memcpy(&mt->key.dst.v4, ip + 16, 4);
	if (ip[9] == IPPROTO_UDP)
		return parse_udp(r, mt);
	return FAB_PKT_OK;
}

/* IPv6 extension headers that share the generic (next header, length) layout. */
static inline bool
ipv6_ext_walkable(uint8_t nh)
{
	return nh == IPPROTO_HOPOPTS || nh == IPPROTO_ROUTING ||
		nh == IPPROTO_DSTOPTS || nh == 135 /* mobility */;
}

#define IPV6_MAX_EXT 8

static int
parse_ipv6(const struct pkt_reader *r, struct fab_pkt_meta *mt, uint32_t off)
{
	uint8_t scratch[40];
	const uint8_t *ip;
	uint32_t plen, vtc, p;
	uint8_t nh;
	int n;

	ip = rd(r, off, 40, scratch);
	if (ip == NULL)
		return fail(mt, FAB_PKT_DROP_TRUNC_IPV6);
	if ((ip[0] >> 4) != 6)
		return fail(mt, FAB_PKT_DROP_IP_VERSION);
	plen = be16(ip + 4);
	if (off + 40 + plen > r->len)
		return fail(mt, FAB_PKT_DROP_IPV6_PAYLOAD_LEN);
	vtc = be32(ip);
	mt->l3 = FAB_L3_IPV6;
	mt->kind = FAB_PKT_KIND_IP;
	mt->l3_off = (uint16_t)off;
	mt->l3_end = off + 40 + plen;
	mt->dscp = (uint8_t)((vtc >> 22) & 0x3f);
	mt->ecn = (uint8_t)((vtc >> 20) & 0x3);
	mt->ttl = ip[7];
	mt->key.l3 = FAB_L3_IPV6;
	memcpy(mt->key.src.v6, ip + 8, 16);
	memcpy(mt->key.dst.v6, ip + 24, 16);

	nh = ip[6];
	p = off + 40;
	for (n = 0; ipv6_ext_walkable(nh); n++) {
		uint8_t s2[2];
		const uint8_t *h;

		mt->flags |= FAB_PKT_F_IPV6_EXT;
		if (n == IPV6_MAX_EXT) {
			/* Reported, not walked further: no routable RoCE hides this deep. */
			mt->flags |= FAB_PKT_F_L4_UNKNOWN;
			mt->l4_off = (uint16_t)p;
			return FAB_PKT_OK;
		}
		h = rd(r, p, 2, s2);
		if (h == NULL || p + 2 > mt->l3_end)
			return fail(mt, FAB_PKT_DROP_TRUNC_IPV6_EXT);
		if (p + ((uint32_t)h[1] + 1) * 8 > mt->l3_end)
			return fail(mt, FAB_PKT_DROP_TRUNC_IPV6_EXT);
		nh = h[0];
		p += ((uint32_t)h[1] + 1) * 8;
	}
	if (p > UINT16_MAX)
		return fail(mt, FAB_PKT_DROP_TRUNC_IPV6_EXT);
	mt->l4_off = (uint16_t)p;
	mt->l4_proto = nh;
	mt->key.proto = nh;
	if (nh == IPPROTO_FRAGMENT) {
		mt->flags |= FAB_PKT_F_IPV6_EXT;
		return fail(mt, FAB_PKT_DROP_FRAGMENT);
	}
	if (nh == IPPROTO_UDP)
		return parse_udp(r, mt);
	if (nh == IPPROTO_AH || nh == IPPROTO_ESP || nh == IPPROTO_NONE)
		mt->flags |= FAB_PKT_F_IPV6_EXT | FAB_PKT_F_L4_UNKNOWN;
	return FAB_PKT_OK;
}

static int
parse_mac_ctrl(const struct pkt_reader *r, struct fab_pkt_meta *mt, uint32_t off)
{
	uint8_t scratch[4 + 2 * FAB_NUM_PRIO];
	const uint8_t *p = rd(r, off, 2, scratch);

	if (p == NULL)
		return fail(mt, FAB_PKT_DROP_TRUNC_MAC_CTRL);
	mt->l3_off = (uint16_t)off;
	mt->mac_ctrl_op = be16(p);
	switch (mt->mac_ctrl_op) {
	case FAB_MAC_CTRL_PFC:
		if (rd(r, off, 4 + 2 * FAB_NUM_PRIO, scratch) == NULL)
			return fail(mt, FAB_PKT_DROP_TRUNC_MAC_CTRL);
		mt->kind = FAB_PKT_KIND_PFC;
		break;
	case FAB_MAC_CTRL_PAUSE:
		if (rd(r, off, 4, scratch) == NULL)
			return fail(mt, FAB_PKT_DROP_TRUNC_MAC_CTRL);
		mt->kind = FAB_PKT_KIND_PAUSE;
		break;
	default:
		mt->kind = FAB_PKT_KIND_MAC_CTRL;
		break;
	}
	return FAB_PKT_OK;
}

static int
parse_frame(const struct pkt_reader *r, struct fab_pkt_meta *mt)
{
	uint8_t scratch[RTE_ETHER_HDR_LEN];
	const uint8_t *eth;
	uint32_t off = RTE_ETHER_HDR_LEN;
	uint16_t et;
	int rc;

	meta_clear(mt);
	mt->pkt_len = r->len;
	if (r->m != NULL && r->m->nb_segs > 1)
		mt->flags |= FAB_PKT_F_MULTISEG;

	eth = rd(r, 0, RTE_ETHER_HDR_LEN, scratch);
	if (eth == NULL)
		return fail(mt, FAB_PKT_DROP_TRUNC_ETH);
	et = be16(eth + 12);
	while (et == RTE_ETHER_TYPE_VLAN || et == RTE_ETHER_TYPE_QINQ ||
			et == RTE_ETHER_TYPE_QINQ1) {
		uint8_t s4[4];
		const uint8_t *tag;

		if (mt->vlan_count == 2)
			return fail(mt, FAB_PKT_DROP_VLAN_DEPTH);
		tag = rd(r, off, 4, s4);
		if (tag == NULL)
			return fail(mt, FAB_PKT_DROP_TRUNC_VLAN);
		if (mt->vlan_count == 0) {
			mt->vlan_tci = be16(tag);
			mt->pcp = (uint8_t)(mt->vlan_tci >> 13);
			mt->flags |= FAB_PKT_F_VLAN;
		}
		mt->vlan_count++;
		et = be16(tag + 2);
		off += 4;
	}
	mt->ether_type = et;
	mt->l3_off = (uint16_t)off;
	mt->l3_end = r->len;

	switch (et) {
	case RTE_ETHER_TYPE_IPV4:
		rc = parse_ipv4(r, mt, off);
		break;
	case RTE_ETHER_TYPE_IPV6:
		rc = parse_ipv6(r, mt, off);
		break;
	case FAB_ETHER_TYPE_MAC_CTRL:
		rc = parse_mac_ctrl(r, mt, off);
		break;
	default:
		mt->kind = FAB_PKT_KIND_L2;
		rc = FAB_PKT_OK;
		break;
	}
	if (rc != FAB_PKT_OK)
		return rc;
	/*
	 * Checked last so that a short frame with a broken header gets the more
	 * telling reason. RoCEv2 frames are never this short (62 bytes at least).
	 */
	if (r->len < FAB_ETH_MIN_FRAME)
		return fail(mt, FAB_PKT_DROP_RUNT);
	return FAB_PKT_OK;
}

/* The word layout parse_roce4_fast() writes (x86 and every DPDK target are little-endian here). */
#define META_AT(field, off) \
	_Static_assert(offsetof(struct fab_pkt_meta, field) == (off), "meta layout: " #field)
META_AT(pkt_len, 0);
META_AT(flags, 4);
META_AT(kind, 6);
META_AT(drop, 7);
META_AT(ether_type, 8);
META_AT(vlan_tci, 10);
META_AT(vlan_count, 12);
META_AT(pcp, 13);
META_AT(l3, 14);
META_AT(l4_proto, 15);
META_AT(l3_off, 16);
META_AT(l4_off, 18);
META_AT(bth_off, 20);
META_AT(payload_off, 22);
META_AT(l3_end, 24);
META_AT(dscp, 28);
META_AT(ecn, 29);
META_AT(ttl, 30);
META_AT(bth_opcode, 31);
META_AT(ext, 32);
META_AT(pad_count, 34);
META_AT(aeth_syndrome, 35);
META_AT(pkey, 36);
META_AT(mac_ctrl_op, 38);
META_AT(dest_qp, 40);
META_AT(psn, 44);
META_AT(msn, 48);
META_AT(payload_len, 52);
META_AT(key.src, 56);
META_AT(key.dst, 72);
META_AT(key.src_port, 88);
META_AT(key.dst_port, 90);
META_AT(key.proto, 92);
META_AT(key.l3, 93);
_Static_assert(sizeof(struct fab_pkt_meta) == 96, "meta layout: size");
_Static_assert(FAB_PKT_F_SOLICITED == 0x10 && FAB_PKT_F_MIGREQ == 0x20 &&
	FAB_PKT_F_FECN == 0x40 && FAB_PKT_F_BECN == 0x80 && FAB_PKT_F_ACKREQ == 0x100,
	"meta layout: BTH flags");
#if RTE_BYTE_ORDER != RTE_LITTLE_ENDIAN
#error "parse_roce4_fast() composes little-endian words"
#endif
typedef uint64_t meta_word_t __attribute__((may_alias, aligned(8)));

/*
 * The record's BTH flags from the bits that carry them, as one table read:
 * index bit 1 SE and bit 0 MigReq (BTH byte 1, bits 7-6), bit 3 FECN and
 * bit 2 BECN (byte 4, bits 7-6), bit 4 AckReq (byte 8, bit 7).
 */
#define BTH_FLAGS(i) ((uint16_t)(((i) & 2 ? FAB_PKT_F_SOLICITED : 0) | \
	((i) & 1 ? FAB_PKT_F_MIGREQ : 0) | ((i) & 8 ? FAB_PKT_F_FECN : 0) | \
	((i) & 4 ? FAB_PKT_F_BECN : 0) | ((i) & 16 ? FAB_PKT_F_ACKREQ : 0)))
#define BTH_FLAGS4(i) BTH_FLAGS(i), BTH_FLAGS((i) + 1), BTH_FLAGS((i) + 2), BTH_FLAGS((i) + 3)
static const uint16_t bth_flags_of[32] = {
	BTH_FLAGS4(0), BTH_FLAGS4(4), BTH_FLAGS4(8), BTH_FLAGS4(12),
	BTH_FLAGS4(16), BTH_FLAGS4(20), BTH_FLAGS4(24), BTH_FLAGS4(28),
};
_Static_assert(_Alignof(struct fab_pkt_meta) >= 8, "meta layout: alignment");

/*
 * The switch's and the hosts' common case in one pass: an untagged IPv4
 * RoCEv2 frame without options in one segment, every check of the general
 * parser made in the same order on plain loads. Anything else (and any
 * frame that fails a check, so that it gets the general parser's exact
 * reason) returns false and goes the long way; both fill the same fields.
 * With @p dec_ttl (a router's ingress) it also takes one from a TTL above
 * 1, while the header is in registers, and so writes to the frame (only
 * then); a frame with TTL 0 or 1 goes the long way, which flags it.
 */
static __rte_always_inline bool
parse_roce4_fast_tmpl(const struct rte_mbuf *m, struct fab_pkt_meta *mt, bool dec_ttl)
{
	uint8_t *f = rte_pktmbuf_mtod(m, uint8_t *);
	uint8_t *ip = f + RTE_ETHER_HDR_LEN;
	const uint8_t *u, *bth;
	/* The frame may go on in later segments (a shared payload): its headers may not. */
	uint64_t len = m->pkt_len, room = m->data_len, tot, ulen, udp_end, tail, p;
	/*
	 * 64-bit, as the words they go into: GCC spills a narrower value with a
	 * narrow store and reloads it whole, which store forwarding cannot serve.
	 */
	uint64_t payload_off, opcode, tos, ttl, b1, b4, b8, flags, pkey, qp, psn;
	uint64_t src = 0, dst = 0, ports = 0;
	struct fab_pkt_opcode_layout lay;
	meta_word_t *o = (meta_word_t *)mt;

	if (len < FAB_ETH_MIN_FRAME || room < RTE_ETHER_HDR_LEN + 28 + FAB_BTH_LEN)
		return false;
	if (be16(f + 12) != RTE_ETHER_TYPE_IPV4 || ip[0] != 0x45 || ip[9] != IPPROTO_UDP)
		return false;
	tot = be16(ip + 2);
	if (tot < 20 + 8 || RTE_ETHER_HDR_LEN + tot > len || !ipv4_csum20_ok(ip) ||
			(be16(ip + 6) & 0x3fff) != 0)
		return false;
	u = ip + 20;
	ulen = be16(u + 4);
	if (ulen < 8 || 20 + ulen > tot || be16(u + 2) != FAB_ROCE_UDP_PORT)
		return false;
	udp_end = RTE_ETHER_HDR_LEN + 20 + ulen;
	if (RTE_ETHER_HDR_LEN + 28 + FAB_BTH_LEN + FAB_ICRC_LEN > udp_end)
		return false;
	bth = u + 8;
	lay = fab_pkt_opcode_layout[bth[0]];
	tail = (uint32_t)((bth[1] >> 4) & 0x3) + FAB_ICRC_LEN;
	p = RTE_ETHER_HDR_LEN + 28 + FAB_BTH_LEN;
	if (lay.ext == 0 || p + lay.ext_len + tail > udp_end || p + lay.ext_len > room)
		return false;
	ttl = ip[8];
	if (dec_ttl) {
		/* As fab_pkt_dec_ttl(): 0x0100 more in the checksum, carry folded (RFC 1624). */
		uint32_t sum = (uint32_t)be16(ip + 10) + 0x0100;

		if (ttl <= 1)
			return false;
		sum = (sum & 0xffff) + (sum >> 16);
		ip[8] = (uint8_t)(ttl - 1);
		ip[10] = (uint8_t)(sum >> 8);
		ip[11] = (uint8_t)sum;
	}

	/*
	 * Twelve whole-word stores instead of clearing the record and filling
	 * thirty fields one by one (stores were most of this function's cost),
	 * each made just before it is stored, so that few values stay live.
	 * The layout checks above keep the words honest.
	 */
	b1 = bth[1];
	b4 = bth[4];
	b8 = bth[8];
	flags = bth_flags_of[b1 >> 6 | (b4 >> 6) << 2 | (b8 >> 7) << 4] |
		(m->nb_segs > 1 ? FAB_PKT_F_MULTISEG : 0);
	o[0] = len | flags << 32 | (uint64_t)FAB_PKT_KIND_ROCE << 48;
	o[1] = RTE_ETHER_TYPE_IPV4 | (uint64_t)FAB_L3_IPV4 << 48 | (uint64_t)IPPROTO_UDP << 56;
	payload_off = p + lay.ext_len;
	o[2] = RTE_ETHER_HDR_LEN | (uint64_t)(RTE_ETHER_HDR_LEN + 20) << 16 |
		(uint64_t)(RTE_ETHER_HDR_LEN + 28) << 32 | payload_off << 48;
	tos = ip[1];
	opcode = bth[0];
	o[3] = (RTE_ETHER_HDR_LEN + tot) | (tos >> 2) << 32 | (tos & 0x3) << 40 |
		(ttl - dec_ttl) << 48 | opcode << 56;
	pkey = be16(bth + 2);
	o[4] = lay.ext | ((b1 >> 4) & 0x3) << 16 | pkey << 32;
	qp = be32(bth + 4) & FAB_QPN_MASK;
	psn = be32(bth + 8) & FAB_PSN_MASK;
	o[5] = qp | psn << 32;
	o[6] = (udp_end - tail - payload_off) << 32;
	memcpy(&src, ip + 12, 4);
	o[7] = src;
	o[8] = 0;
	memcpy(&dst, ip + 16, 4);
	o[9] = dst;
	o[10] = 0;
	memcpy(&ports, u, 4);
	o[11] = ports | (uint64_t)IPPROTO_UDP << 32 | (uint64_t)FAB_L3_IPV4 << 40;
	if (lay.ext & FAB_EXT_AETH) {
		const uint8_t *aeth = f + fab_pkt_ext_off(mt, FAB_EXT_AETH);

		mt->aeth_syndrome = aeth[0];
		mt->msn = be32(aeth) & 0xffffff;
	}
	return true;
}

/*
 * Not inlined: in a caller's large loop the fast path's values spill to the
 * stack and come back through failed store forwarding.
 */
static __rte_noinline bool
parse_roce4_fast(const struct rte_mbuf *m, struct fab_pkt_meta *mt)
{
	return parse_roce4_fast_tmpl(m, mt, false);
}

static __rte_noinline bool
parse_roce4_fast_dec_ttl(struct rte_mbuf *m, struct fab_pkt_meta *mt)
{
	return parse_roce4_fast_tmpl(m, mt, true);
}

/* Out of line, so that the fast path's caller builds no reader it will not use. */
static __rte_noinline int
parse_mbuf(const struct rte_mbuf *m, struct fab_pkt_meta *meta)
{
	struct pkt_reader r = { .m = m, .flat = NULL, .len = rte_pktmbuf_pkt_len(m) };

	return parse_frame(&r, meta);
}

int
fab_pkt_parse(const struct rte_mbuf *m, struct fab_pkt_meta *meta)
{
	if (likely(parse_roce4_fast(m, meta)))
		return FAB_PKT_OK;
	return parse_mbuf(m, meta);
}

int
fab_pkt_parse_fwd(struct rte_mbuf *m, struct fab_pkt_meta *meta)
{
	int rc;

	if (likely(parse_roce4_fast_dec_ttl(m, meta)))
		return FAB_PKT_OK;
	rc = parse_mbuf(m, meta);
	/* Not IP: fab_pkt_dec_ttl() says -EINVAL and writes nothing. */
	if (rc == FAB_PKT_OK && fab_pkt_dec_ttl(m, meta) == -ETIMEDOUT)
		meta->flags |= FAB_PKT_F_TTL_EXPIRED;
	return rc;
}

int
fab_pkt_parse_buf(const void *frame, uint32_t len, struct fab_pkt_meta *meta)
{
	struct pkt_reader r = { .m = NULL, .flat = frame, .len = frame == NULL ? 0 : len };

	return parse_frame(&r, meta);
}
