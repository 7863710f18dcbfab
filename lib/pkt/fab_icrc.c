/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * RoCEv2 invariant CRC (IBTA vol. 1 annex A17.3.3).
 *
 * The CRC runs over 8 bytes of ones standing in for the InfiniBand LRH, the
 * IP header with the fields a router may change set to ones (IPv4: TOS, TTL,
 * header checksum; IPv6: traffic class, flow label, hop limit), the UDP
 * header with its checksum set to ones, the BTH with its FECN/BECN/reserved
 * byte set to ones, and everything after up to the ICRC itself. Because DSCP,
 * ECN and TTL are masked, a switch that marks CE, remarks DSCP or decrements
 * TTL leaves the ICRC valid; it only has to fix the IPv4 header checksum.
 *
 * rte_net_crc takes no seed, so the masking happens in place: the 8 bytes
 * before the IP header (the end of the Ethernet header or VLAN tag) and the
 * variant fields are saved, set to ones, the CRC is computed in one call,
 * and the bytes are restored. Later segments are joined with
 * fab_crc32_combine().
 */

#include <string.h>

#include "fab_pkt.h"
#include "fab_pkt_private.h"
#include "fab_crc_private.h"

#define ICRC_MAX_MASKED 16

/* The bytes that read as ones (OR mask) while the ICRC is computed. */
struct icrc_layout {
	uint32_t start; /* first byte covered: l3_off - 8 */
	uint32_t end;   /* the ICRC's offset */
	uint32_t hdr_end; /* end of the BTH: all masked bytes lie before it */
	uint8_t n;
	uint32_t off[ICRC_MAX_MASKED];
	uint8_t ones[ICRC_MAX_MASKED];
};

static inline void
add_mask(struct icrc_layout *L, uint32_t off, uint8_t ones)
{
	L->off[L->n] = off;
	L->ones[L->n] = ones;
	L->n++;
}

static void
icrc_layout(const struct fab_pkt_meta *mt, struct icrc_layout *L)
{
	uint32_t i, l3 = mt->l3_off;

	L->n = 0;
	L->start = l3 - 8;
	L->end = fab_pkt_icrc_off(mt);
	L->hdr_end = (uint32_t)mt->bth_off + FAB_BTH_LEN;
	for (i = 0; i < 8; i++)
		add_mask(L, L->start + i, 0xff);
	if (mt->l3 == FAB_L3_IPV4) {
		add_mask(L, l3 + 1, 0xff);  /* TOS: DSCP and ECN */
		add_mask(L, l3 + 8, 0xff);  /* TTL */
		add_mask(L, l3 + 10, 0xff); /* header checksum */
		add_mask(L, l3 + 11, 0xff);
	} else {
		add_mask(L, l3 + 0, 0x0f);  /* traffic class, high nibble */
		add_mask(L, l3 + 1, 0xff);  /* traffic class low nibble, flow label */
		add_mask(L, l3 + 2, 0xff);
		add_mask(L, l3 + 3, 0xff);
		add_mask(L, l3 + 7, 0xff);  /* hop limit */
	}
	add_mask(L, (uint32_t)mt->l4_off + 6, 0xff); /* UDP checksum */
	add_mask(L, (uint32_t)mt->l4_off + 7, 0xff);
	add_mask(L, (uint32_t)mt->bth_off + 4, 0xff); /* FECN, BECN, reserved */
}

/* CRC of [start, stop) of a contiguous buffer whose masked bytes lie inside it. */
static uint32_t
icrc_flat(uint8_t *base, const struct icrc_layout *L, uint32_t stop)
{
	uint8_t saved[ICRC_MAX_MASKED];
	uint32_t crc;
	uint8_t i;

	for (i = 0; i < L->n; i++) {
		saved[i] = base[L->off[i]];
		base[L->off[i]] |= L->ones[i];
	}
	crc = fab_crc32(base + L->start, stop - L->start);
	for (i = L->n; i-- > 0;)
		base[L->off[i]] = saved[i];
	return crc;
}

/* Byte-at-a-time over any segmentation: for headers that straddle segments. */
static uint32_t
icrc_slow(const struct rte_mbuf *m, const struct icrc_layout *L)
{
	uint32_t state = 0xffffffffu, off = L->start;
	uint8_t chunk[64];

	while (off < L->end) {
		uint32_t n = RTE_MIN((uint32_t)sizeof(chunk), L->end - off), k;
		const uint8_t *p = rte_pktmbuf_read(m, off, n, chunk);

		if (p == NULL)
			return 0;
		if (p != chunk) {
			memcpy(chunk, p, n);
			p = chunk;
		}
		for (k = 0; k < L->n; k++)
			if (L->off[k] >= off && L->off[k] < off + n)
				chunk[L->off[k] - off] |= L->ones[k];
		state = fab_crc32_stream_update(state, chunk, n);
		off += n;
	}
	return ~state;
}

static bool
icrc_applicable(const struct fab_pkt_meta *mt)
{
	return mt->kind == FAB_PKT_KIND_ROCE && mt->l3_off >= 8 &&
		(mt->l3 == FAB_L3_IPV4 || mt->l3 == FAB_L3_IPV6);
}

uint32_t
fab_icrc_compute(struct rte_mbuf *m, const struct fab_pkt_meta *meta)
{
	struct icrc_layout L;
	const struct rte_mbuf *seg;
	uint32_t crc, off;

	if (!icrc_applicable(meta))
		return 0;
	icrc_layout(meta, &L);
	if (L.end > rte_pktmbuf_pkt_len(m))
		return 0;
	if (m->data_len < L.hdr_end)
		return icrc_slow(m, &L);

	off = RTE_MIN((uint32_t)m->data_len, L.end);
	crc = icrc_flat(rte_pktmbuf_mtod(m, uint8_t *), &L, off);
	for (seg = m->next; seg != NULL && off < L.end; seg = seg->next) {
		uint32_t n = RTE_MIN((uint32_t)seg->data_len, L.end - off);

		crc = fab_crc32_combine(crc,
			fab_crc32(rte_pktmbuf_mtod(seg, const void *), n), n);
		off += n;
	}
	return crc;
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

void
fab_icrc_set(struct rte_mbuf *m, const struct fab_pkt_meta *meta)
{
	uint32_t icrc = fab_icrc_compute(m, meta), off = fab_pkt_icrc_off(meta);
	uint8_t le[4];
	int i;

	put_le32(le, icrc);
	for (i = 0; i < 4; i++) {
		uint8_t *b = fab_pkt_byte_at(m, off + (uint32_t)i);

		if (b != NULL)
			*b = le[i];
	}
}

bool
fab_icrc_verify(struct rte_mbuf *m, const struct fab_pkt_meta *meta)
{
	uint8_t buf[4];
	const uint8_t *p;

	if (!icrc_applicable(meta))
		return false;
	p = rte_pktmbuf_read(m, fab_pkt_icrc_off(meta), 4, buf);
	return p != NULL && get_le32(p) == fab_icrc_compute(m, meta);
}

uint32_t
fab_icrc_compute_buf(void *frame, const struct fab_pkt_meta *meta)
{
	struct icrc_layout L;

	if (!icrc_applicable(meta))
		return 0;
	icrc_layout(meta, &L);
	return icrc_flat(frame, &L, L.end);
}

void
fab_icrc_set_buf(void *frame, const struct fab_pkt_meta *meta)
{
	put_le32((uint8_t *)frame + fab_pkt_icrc_off(meta),
		fab_icrc_compute_buf(frame, meta));
}

bool
fab_icrc_verify_buf(void *frame, const struct fab_pkt_meta *meta)
{
	if (!icrc_applicable(meta))
		return false;
	return get_le32((const uint8_t *)frame + fab_pkt_icrc_off(meta)) ==
		fab_icrc_compute_buf(frame, meta);
}
