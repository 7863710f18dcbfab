/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef FAB_PKT_PRIVATE_H
#define FAB_PKT_PRIVATE_H

#include <stdint.h>

#include <rte_mbuf.h>

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

#endif /* FAB_PKT_PRIVATE_H */
