/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * IEEE 802.1Qbb PFC and 802.3x PAUSE frames, and the arithmetic of pause
 * quanta (512 bit times each) and wire time, in picoseconds.
 */

#include <errno.h>
#include <string.h>

#include "fab_pkt.h"

#define PS_PER_S 1000000000000ull
#define QUANTUM_BITS 512u

static const struct rte_ether_addr pfc_dst = FAB_PFC_DST_MAC;

static inline void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline uint16_t
be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint8_t *
mac_ctrl_header(void *buf, const struct rte_ether_addr *src, uint16_t opcode)
{
	uint8_t *f = buf;

	memset(f, 0, FAB_PFC_FRAME_LEN);
	memcpy(f, &pfc_dst, RTE_ETHER_ADDR_LEN);
	memcpy(f + 6, src, RTE_ETHER_ADDR_LEN);
	put16(f + 12, FAB_ETHER_TYPE_MAC_CTRL);
	put16(f + 14, opcode);
	return f + 16;
}

int
fab_pfc_build(void *buf, uint32_t cap, const struct rte_ether_addr *src_mac,
		uint8_t enable, const uint16_t quanta[FAB_NUM_PRIO])
{
	uint8_t *p;
	int i;

	if (cap < FAB_PFC_FRAME_LEN)
		return -ENOSPC;
	p = mac_ctrl_header(buf, src_mac, FAB_MAC_CTRL_PFC);
	put16(p, enable); /* high octet reserved, zero */
	for (i = 0; i < FAB_NUM_PRIO; i++)
		put16(p + 2 + 2 * i, (enable >> i) & 1 ? quanta[i] : 0);
	return FAB_PFC_FRAME_LEN;
}

int
fab_pause_build(void *buf, uint32_t cap, const struct rte_ether_addr *src_mac,
		uint16_t quanta)
{
	uint8_t *p;

	if (cap < FAB_PFC_FRAME_LEN)
		return -ENOSPC;
	p = mac_ctrl_header(buf, src_mac, FAB_MAC_CTRL_PAUSE);
	put16(p, quanta);
	return FAB_PFC_FRAME_LEN;
}

static int
decode(const uint8_t *body, uint16_t opcode, struct fab_pfc_frame *out)
{
	int i;

	out->opcode = opcode;
	if (opcode == FAB_MAC_CTRL_PFC) {
		/* Only the low octet of the vector names priorities. */
		out->enable = body[1];
		for (i = 0; i < FAB_NUM_PRIO; i++)
			out->quanta[i] = be16(body + 2 + 2 * i);
		return 0;
	}
	out->enable = 0xff;
	for (i = 0; i < FAB_NUM_PRIO; i++)
		out->quanta[i] = be16(body);
	return 0;
}

int
fab_pfc_decode(const struct rte_mbuf *m, const struct fab_pkt_meta *meta,
		struct fab_pfc_frame *out)
{
	uint8_t scratch[2 + 2 + 2 * FAB_NUM_PRIO];
	const uint8_t *p;
	uint32_t need;

	if (meta->kind != FAB_PKT_KIND_PFC && meta->kind != FAB_PKT_KIND_PAUSE)
		return -EINVAL;
	need = meta->kind == FAB_PKT_KIND_PFC ? sizeof(scratch) : 4;
	p = rte_pktmbuf_read(m, meta->l3_off, need, scratch);
	if (p == NULL)
		return -EINVAL;
	return decode(p + 2, meta->mac_ctrl_op, out);
}

int
fab_pfc_decode_buf(const void *frame, const struct fab_pkt_meta *meta,
		struct fab_pfc_frame *out)
{
	if (meta->kind != FAB_PKT_KIND_PFC && meta->kind != FAB_PKT_KIND_PAUSE)
		return -EINVAL;
	return decode((const uint8_t *)frame + meta->l3_off + 2, meta->mac_ctrl_op, out);
}

uint64_t
fab_pfc_quanta_to_ps(uint32_t quanta, uint64_t rate_bps)
{
	unsigned __int128 bits_ps = (unsigned __int128)quanta * QUANTUM_BITS * PS_PER_S;

	if (rate_bps == 0)
		return 0;
	return (uint64_t)((bits_ps + rate_bps - 1) / rate_bps);
}

uint16_t
fab_pfc_ps_to_quanta(uint64_t ps, uint64_t rate_bps)
{
	unsigned __int128 bits = (unsigned __int128)ps * rate_bps;
	unsigned __int128 per_quantum = (unsigned __int128)QUANTUM_BITS * PS_PER_S;
	unsigned __int128 q = (bits + per_quantum - 1) / per_quantum;

	return q > UINT16_MAX ? UINT16_MAX : (uint16_t)q;
}

uint64_t
fab_wire_time_ps(uint32_t frame_len, uint64_t rate_bps)
{
	unsigned __int128 bits_ps =
		(unsigned __int128)(frame_len + FAB_ETH_WIRE_OVERHEAD) * 8 * PS_PER_S;

	if (rate_bps == 0)
		return 0;
	return (uint64_t)((bits_ps + rate_bps - 1) / rate_bps);
}
