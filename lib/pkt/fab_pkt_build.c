/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * RoCEv2 frame builders. They write into a contiguous buffer (usually the
 * data room of a fresh mbuf) so the generator pays one pass per frame: the
 * headers, the payload copy (or none, when the caller writes the payload in
 * place), and one ICRC over the result.
 */

#include <errno.h>
#include <string.h>
#include <netinet/in.h>

#include <rte_byteorder.h>
#include <rte_ip.h>

#include "fab_pkt.h"
#include "fab_pkt_private.h"

static inline void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline uint32_t
l2_len(const struct fab_roce_addr *a)
{
	return RTE_ETHER_HDR_LEN + (a->has_vlan ? 4 : 0);
}

static inline uint32_t
l3_hdr_len(const struct fab_roce_addr *a)
{
	return a->l3 == FAB_L3_IPV6 ? 40 : 20;
}

uint32_t
fab_pkt_roce_frame_len(const struct fab_roce_addr *addr, uint8_t opcode,
		uint32_t payload_len)
{
	uint16_t info = fab_bth_opcode_info(opcode);

	if (info == 0 || (addr->l3 != FAB_L3_IPV4 && addr->l3 != FAB_L3_IPV6))
		return 0;
	return l2_len(addr) + l3_hdr_len(addr) + 8 + FAB_BTH_LEN +
		fab_bth_ext_len(info) + RTE_ALIGN_CEIL(payload_len, 4) + FAB_ICRC_LEN;
}

/* Writes the extension headers in IBTA order; returns the bytes written. */
static uint32_t
put_ext(uint8_t *p, uint16_t info, const struct fab_roce_ext *ext)
{
	static const struct fab_roce_ext none;
	uint8_t *start = p;

	if (ext == NULL)
		ext = &none;
	if (info & FAB_EXT_DETH) {
		put32(p, ext->deth_qkey);
		put32(p + 4, ext->deth_src_qp & FAB_QPN_MASK);
		p += FAB_DETH_LEN;
	}
	if (info & FAB_EXT_RETH) {
		put32(p, (uint32_t)(ext->reth.vaddr >> 32));
		put32(p + 4, (uint32_t)ext->reth.vaddr);
		put32(p + 8, ext->reth.rkey);
		put32(p + 12, ext->reth.dma_len);
		p += FAB_RETH_LEN;
	}
	if (info & FAB_EXT_ATOMICETH) {
		memset(p, 0, FAB_ATOMICETH_LEN);
		p += FAB_ATOMICETH_LEN;
	}
	if (info & FAB_EXT_AETH) {
		put32(p, (uint32_t)ext->aeth_syndrome << 24 | (ext->aeth_msn & 0xffffff));
		p += FAB_AETH_LEN;
	}
	if (info & FAB_EXT_ATOMICACKETH) {
		memset(p, 0, FAB_ATOMICACKETH_LEN);
		p += FAB_ATOMICACKETH_LEN;
	}
	if (info & FAB_EXT_IMMDT) {
		put32(p, ext->immdt);
		p += FAB_IMMDT_LEN;
	}
	if (info & FAB_EXT_IETH) {
		put32(p, ext->ieth_rkey);
		p += 4;
	}
	if (info & FAB_EXT_CNP_RSVD) {
		memset(p, 0, FAB_CNP_RSVD_LEN);
		p += FAB_CNP_RSVD_LEN;
	}
	return (uint32_t)(p - start);
}

int
fab_pkt_build_hdr(void *buf, uint32_t cap, const struct fab_roce_addr *addr,
		const struct fab_bth_fields *bth, const struct fab_roce_ext *ext,
		uint32_t payload_len, struct fab_pkt_meta *meta)
{
	uint16_t info = fab_bth_opcode_info(bth->opcode);
	struct fab_pkt_meta mt;
	uint32_t len, off, udp_len, pad;
	uint8_t *f = buf, *ip, *bh;
	uint16_t csum;
	uint8_t ttl = addr->ttl != 0 ? addr->ttl : 64;
	uint8_t tos = (uint8_t)((addr->dscp & 0x3f) << 2 | (addr->ecn & 0x3));

	len = fab_pkt_roce_frame_len(addr, bth->opcode, payload_len);
	if (len == 0)
		return -EINVAL;
	if (payload_len > 65535)
		return -EMSGSIZE;
	pad = RTE_ALIGN_CEIL(payload_len, 4) - payload_len;
	udp_len = 8 + FAB_BTH_LEN + fab_bth_ext_len(info) + payload_len + pad +
		FAB_ICRC_LEN;
	if (udp_len > 65535 - 40)
		return -EMSGSIZE;
	if (len - payload_len - pad - FAB_ICRC_LEN > cap)
		return -ENOSPC;

	memcpy(f, &addr->dst_mac, RTE_ETHER_ADDR_LEN);
	memcpy(f + 6, &addr->src_mac, RTE_ETHER_ADDR_LEN);
	off = 12;
	if (addr->has_vlan) {
		put16(f + off, RTE_ETHER_TYPE_VLAN);
		put16(f + off + 2, addr->vlan_tci);
		off += 4;
	}
	put16(f + off, addr->l3 == FAB_L3_IPV6 ? RTE_ETHER_TYPE_IPV6 : RTE_ETHER_TYPE_IPV4);
	off += 2;

	ip = f + off;
	if (addr->l3 == FAB_L3_IPV4) {
		ip[0] = 0x45;
		ip[1] = tos;
		put16(ip + 2, (uint16_t)(20 + udp_len));
		put16(ip + 4, 0);      /* identification: unused with DF */
		put16(ip + 6, 0x4000); /* DF: RoCE never fragments */
		ip[8] = ttl;
		ip[9] = IPPROTO_UDP;
		put16(ip + 10, 0);
		memcpy(ip + 12, &addr->src_ip.v4, 4);
		memcpy(ip + 16, &addr->dst_ip.v4, 4);
		/* rte_raw_cksum sums words in memory order: store it the same way. */
		csum = (uint16_t)~rte_raw_cksum(ip, 20);
		memcpy(ip + 10, &csum, 2);
		off += 20;
	} else {
		put32(ip, 6u << 28 | (uint32_t)tos << 20 | (addr->flow_label & 0xfffff));
		put16(ip + 4, (uint16_t)udp_len);
		ip[6] = IPPROTO_UDP;
		ip[7] = ttl;
		memcpy(ip + 8, addr->src_ip.v6, 16);
		memcpy(ip + 24, addr->dst_ip.v6, 16);
		off += 40;
	}

	/* UDP checksum 0: RoCEv2 relies on the ICRC (IBTA A17.4.2). */
	put16(f + off, addr->udp_src_port);
	put16(f + off + 2, FAB_ROCE_UDP_PORT);
	put16(f + off + 4, (uint16_t)udp_len);
	put16(f + off + 6, 0);
	off += 8;

	bh = f + off;
	bh[0] = bth->opcode;
	bh[1] = (uint8_t)((bth->solicited ? 0x80 : 0) | pad << 4);
	put16(bh + 2, bth->pkey != 0 ? bth->pkey : FAB_PKEY_DEFAULT);
	put32(bh + 4, bth->dest_qp & FAB_QPN_MASK);
	bh[4] = (uint8_t)((bth->fecn ? 0x80 : 0) | (bth->becn ? 0x40 : 0));
	put32(bh + 8, bth->psn & FAB_PSN_MASK);
	bh[8] = bth->ack_req ? 0x80 : 0;
	off += FAB_BTH_LEN;
	off += put_ext(f + off, info, ext);

	/* The layout is known; describe it rather than parse it back. */
	memset(&mt, 0, sizeof(mt));
	mt.kind = FAB_PKT_KIND_ROCE;
	mt.l3 = addr->l3;
	mt.l3_off = (uint16_t)l2_len(addr);
	mt.l4_off = (uint16_t)(mt.l3_off + l3_hdr_len(addr));
	mt.bth_off = (uint16_t)(mt.l4_off + 8);
	mt.payload_off = (uint16_t)off;
	mt.payload_len = payload_len;
	mt.pad_count = (uint8_t)pad;
	mt.pkt_len = len;
	*meta = mt;
	return (int)len;
}

int
fab_pkt_build_roce(void *buf, uint32_t cap, const struct fab_roce_addr *addr,
		const struct fab_bth_fields *bth, const struct fab_roce_ext *ext,
		const void *payload, uint32_t payload_len)
{
	struct fab_pkt_meta mt;
	uint8_t *f = buf;
	int len = fab_pkt_build_hdr(buf, cap, addr, bth, ext, payload_len, &mt);

	if (len < 0)
		return len;
	if ((uint32_t)len > cap)
		return -ENOSPC;
	if (payload != NULL)
		memcpy(f + mt.payload_off, payload, payload_len);
	memset(f + mt.payload_off + payload_len, 0, mt.pad_count);
	if (payload != NULL || payload_len == 0)
		fab_icrc_set_buf(f, &mt);
	return len;
}

int
fab_pkt_write_fields(enum fab_write_part part, uint32_t dest_qp, uint32_t psn, bool ack_req,
		const struct fab_reth *reth, struct fab_bth_fields *bth, struct fab_roce_ext *ext)
{
	static const uint8_t op[] = {
		[FAB_WRITE_FIRST] = FAB_OP_RC_WRITE_FIRST,
		[FAB_WRITE_MIDDLE] = FAB_OP_RC_WRITE_MIDDLE,
		[FAB_WRITE_LAST] = FAB_OP_RC_WRITE_LAST,
		[FAB_WRITE_ONLY] = FAB_OP_RC_WRITE_ONLY,
	};

	if ((unsigned int)part > FAB_WRITE_ONLY)
		return -EINVAL;
	*bth = (struct fab_bth_fields){
		.opcode = op[part],
		.dest_qp = dest_qp,
		.psn = psn,
		.ack_req = ack_req,
	};
	memset(ext, 0, sizeof(*ext));
	if ((part == FAB_WRITE_FIRST || part == FAB_WRITE_ONLY) && reth != NULL)
		ext->reth = *reth;
	return 0;
}

int
fab_pkt_build_write(void *buf, uint32_t cap, const struct fab_roce_addr *addr,
		enum fab_write_part part, uint32_t dest_qp, uint32_t psn, bool ack_req,
		const struct fab_reth *reth, const void *payload, uint32_t payload_len)
{
	struct fab_bth_fields bth;
	struct fab_roce_ext ext;
	int ret = fab_pkt_write_fields(part, dest_qp, psn, ack_req, reth, &bth, &ext);

	if (ret < 0)
		return ret;
	return fab_pkt_build_roce(buf, cap, addr, &bth, &ext, payload, payload_len);
}

int
fab_pkt_build_ack(void *buf, uint32_t cap, const struct fab_roce_addr *addr,
		uint32_t dest_qp, uint32_t psn, uint8_t syndrome, uint32_t msn)
{
	struct fab_bth_fields bth = {
		.opcode = FAB_OP_RC_ACK,
		.dest_qp = dest_qp,
		.psn = psn,
	};
	struct fab_roce_ext ext = { .aeth_syndrome = syndrome, .aeth_msn = msn };

	return fab_pkt_build_roce(buf, cap, addr, &bth, &ext, NULL, 0);
}

int
fab_pkt_build_cnp(void *buf, uint32_t cap, const struct fab_roce_addr *addr,
		uint32_t dest_qp)
{
	struct fab_bth_fields bth = {
		.opcode = FAB_OP_CNP,
		.becn = true,
		.dest_qp = dest_qp,
	};

	return fab_pkt_build_roce(buf, cap, addr, &bth, NULL, NULL, 0);
}
