/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef FAB_PKT_PRIVATE_H
#define FAB_PKT_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "fab_pkt.h"

/*
 * Byte at @p off of an mbuf chain, for the rare header that does not sit in
 * the first segment. NULL past the end.
 */
static inline uint8_t *
fab_pkt_byte_at(struct rte_mbuf *m, uint32_t off)
{
	while (m != NULL && off >= m->data_len) {
		off -= m->data_len;
		m = m->next;
	}
	return m == NULL ? NULL : rte_pktmbuf_mtod_offset(m, uint8_t *, off);
}

/* Extension headers after the BTH, and their total length, by opcode. */
struct fab_pkt_opcode_layout {
	uint16_t ext;     /* FAB_EXT_* set; 0: unknown opcode */
	uint16_t ext_len;
};
extern struct fab_pkt_opcode_layout fab_pkt_opcode_layout[256];

/* Offset of the ICRC: the last four bytes of the UDP payload. */
static inline uint32_t
fab_pkt_icrc_off(const struct fab_pkt_meta *mt)
{
	return mt->payload_off + mt->payload_len + mt->pad_count;
}

static inline void
put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static inline uint32_t
get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
		(uint32_t)p[3] << 24;
}

/*
 * Write a RoCEv2 frame's headers (everything before the payload) into @p buf
 * and describe the whole frame in @p meta (pkt_len included). The checks
 * and errors are fab_pkt_build_roce()'s, except that @p cap need only hold
 * the headers. @return the whole frame's length, or a negative errno.
 */
int fab_pkt_build_hdr(void *buf, uint32_t cap, const struct fab_roce_addr *addr,
		const struct fab_bth_fields *bth, const struct fab_roce_ext *ext,
		uint32_t payload_len, struct fab_pkt_meta *meta);

/* The BTH fields and extension headers of an RDMA WRITE part. */
int fab_pkt_write_fields(enum fab_write_part part, uint32_t dest_qp, uint32_t psn,
		bool ack_req, const struct fab_reth *reth, struct fab_bth_fields *bth,
		struct fab_roce_ext *ext);

/* The shared read-only zeros that zero-payload frames point into (fab_pkt_zc.c). */
extern const uint8_t fab_pkt_zero_area[FAB_PKT_ZERO_AREA_LEN];

/* Whether [p, p + len) lies in the shared zeros: bytes known without reading them. */
static inline bool
fab_pkt_in_zero_area(const void *p, uint32_t len)
{
	const uint8_t *b = p;

	return b >= fab_pkt_zero_area && len <= FAB_PKT_ZERO_AREA_LEN &&
		(size_t)(b - fab_pkt_zero_area) <= FAB_PKT_ZERO_AREA_LEN - len;
}

/* ICRC of a frame whose headers are at @p hdr and whose payload and pad are zeros. */
uint32_t fab_icrc_hdr_zeros(void *hdr, const struct fab_pkt_meta *meta);

/*
 * CRC of the ICRC's masked bytes from their start up to @p stop (an offset
 * in the headers at @p hdr, past every masked field): the ICRC so far.
 */
uint32_t fab_icrc_hdr_prefix(void *hdr, const struct fab_pkt_meta *meta, uint32_t stop);

/*
 * Chain a zero-payload frame: @p head holds @p hdr_len bytes of headers,
 * @p body @p body_len bytes of the shared zeros, @p tail the ICRC.
 */
void fab_pkt_chain_zc(struct rte_mbuf *head, struct rte_mbuf *body, struct rte_mbuf *tail,
		uint16_t hdr_len, uint32_t body_len, uint32_t frame_len);

#endif /* FAB_PKT_PRIVATE_H */
