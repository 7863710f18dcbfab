/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * In-place header rewrites a switch makes: CE marking, TTL decrement, DSCP
 * remarking. IPv4 fixes its header checksum incrementally (RFC 1624 eqn. 3)
 * rather than summing the header again. None of these fields is covered by
 * the RoCEv2 ICRC, which stays valid.
 */

#include <errno.h>

#include <rte_branch_prediction.h>

#include "fab_pkt.h"
#include "fab_pkt_private.h"

#define ECN_NOT_ECT 0
#define ECN_CE 3

/* HC' = ~(~HC + ~m + m') over one 16-bit word that changed from m to m'. */
static inline uint16_t
csum_replace16(uint16_t hc, uint16_t old_word, uint16_t new_word)
{
	uint32_t s = (uint16_t)~hc + (uint32_t)(uint16_t)~old_word + new_word;

	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* Replace byte @p idx (0 or 1) of the 16-bit word at @p word_off and fix the checksum. */
static void
ipv4_set_byte(struct rte_mbuf *m, uint32_t l3, uint32_t word_off, int idx,
		uint8_t value)
{
	uint8_t *w0, *w1, *c0, *c1;
	uint16_t old_word, new_word, hc;

	if (likely(m->data_len >= l3 + 20)) {
		/* The header sits in the first segment: the usual case. */
		uint8_t *ip = rte_pktmbuf_mtod_offset(m, uint8_t *, l3);

		w0 = ip + word_off;
		w1 = w0 + 1;
		c0 = ip + 10;
		c1 = ip + 11;
	} else {
		w0 = fab_pkt_byte_at(m, l3 + word_off);
		w1 = fab_pkt_byte_at(m, l3 + word_off + 1);
		c0 = fab_pkt_byte_at(m, l3 + 10);
		c1 = fab_pkt_byte_at(m, l3 + 11);
	}

	old_word = (uint16_t)(*w0 << 8 | *w1);
	if (idx == 0)
		*w0 = value;
	else
		*w1 = value;
	new_word = (uint16_t)(*w0 << 8 | *w1);
	hc = csum_replace16((uint16_t)(*c0 << 8 | *c1), old_word, new_word);
	*c0 = (uint8_t)(hc >> 8);
	*c1 = (uint8_t)hc;
}

/* The IPv6 traffic class spans the low nibble of byte 0 and the high nibble of byte 1. */
static void
ipv6_set_tclass(struct rte_mbuf *m, uint32_t l3, uint8_t tc)
{
	uint8_t *b0 = fab_pkt_byte_at(m, l3);
	uint8_t *b1 = fab_pkt_byte_at(m, l3 + 1);

	*b0 = (uint8_t)((*b0 & 0xf0) | tc >> 4);
	*b1 = (uint8_t)((*b1 & 0x0f) | (tc & 0x0f) << 4);
}

static int
set_tos(struct rte_mbuf *m, struct fab_pkt_meta *mt, uint8_t dscp, uint8_t ecn)
{
	uint8_t tos = (uint8_t)(dscp << 2 | ecn);

	if (mt->l3 == FAB_L3_IPV4)
		ipv4_set_byte(m, mt->l3_off, 0, 1, tos);
	else if (mt->l3 == FAB_L3_IPV6)
		ipv6_set_tclass(m, mt->l3_off, tos);
	else
		return -EINVAL;
	mt->dscp = dscp;
	mt->ecn = ecn;
	return 0;
}

int
fab_pkt_mark_ce(struct rte_mbuf *m, struct fab_pkt_meta *meta)
{
	if (meta->l3 != FAB_L3_IPV4 && meta->l3 != FAB_L3_IPV6)
		return -EINVAL;
	if (meta->ecn == ECN_NOT_ECT || meta->ecn == ECN_CE)
		return 0;
	set_tos(m, meta, meta->dscp, ECN_CE);
	return 1;
}

int
fab_pkt_set_dscp(struct rte_mbuf *m, struct fab_pkt_meta *meta, uint8_t dscp)
{
	return set_tos(m, meta, dscp & 0x3f, meta->ecn);
}

int
fab_pkt_dec_ttl_general(struct rte_mbuf *m, struct fab_pkt_meta *meta)
{
	if (meta->l3 != FAB_L3_IPV4 && meta->l3 != FAB_L3_IPV6)
		return -EINVAL;
	if (meta->ttl <= 1)
		return -ETIMEDOUT;
	meta->ttl--;
	if (meta->l3 == FAB_L3_IPV4 && likely(m->data_len >= (uint32_t)meta->l3_off + 20)) {
		uint8_t *ip = rte_pktmbuf_mtod_offset(m, uint8_t *, meta->l3_off);
		uint32_t sum;

		/*
		 * TTL is the high byte of its 16-bit word: one less TTL is 0x0100
		 * less in the sum, so the checksum grows by 0x0100 with the carry
		 * folded back in (RFC 1624).
		 */
		ip[8] = meta->ttl;
		sum = (uint32_t)(ip[10] << 8 | ip[11]) + 0x0100;
		sum = (sum & 0xffff) + (sum >> 16);
		ip[10] = (uint8_t)(sum >> 8);
		ip[11] = (uint8_t)sum;
	} else if (meta->l3 == FAB_L3_IPV4)
		ipv4_set_byte(m, meta->l3_off, 8, 0, meta->ttl);
	else
		*fab_pkt_byte_at(m, (uint32_t)meta->l3_off + 7) = meta->ttl;
	return meta->ttl;
}
