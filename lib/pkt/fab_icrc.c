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

/*
 * The same masks as icrc_layout(), as at most four 8-byte words (OR masks
 * in memory order): the LRH stand-in, the variant IP bytes (one word for
 * IPv6, two for IPv4) and the UDP checksum with the BTH's byte 4. Saving,
 * masking and restoring four words instead of sixteen bytes is what a
 * generator pays per frame.
 */
struct icrc_words {
	uint32_t start;
	uint32_t end;
	uint32_t n;
	uint32_t off[5];
	uint64_t ones[5];
};

/* @p v at byte @p i of an 8-byte word as it lies in memory. */
static inline uint64_t
byte_in_word(unsigned int i, uint8_t v)
{
#if RTE_BYTE_ORDER == RTE_LITTLE_ENDIAN
	return (uint64_t)v << (8 * i);
#else
	return (uint64_t)v << (8 * (7 - i));
#endif
}

static inline void
add_word(struct icrc_words *W, uint32_t off, uint64_t ones)
{
	W->off[W->n] = off;
	W->ones[W->n] = ones;
	W->n++;
}

static void
icrc_words(const struct fab_pkt_meta *mt, struct icrc_words *W)
{
	uint32_t l3 = mt->l3_off, udp_ck = (uint32_t)mt->l4_off + 6;
	uint32_t bth4 = (uint32_t)mt->bth_off + 4;

	W->n = 0;
	W->start = l3 - 8;
	W->end = fab_pkt_icrc_off(mt);
	add_word(W, W->start, UINT64_MAX);
	if (mt->l3 == FAB_L3_IPV4) {
		add_word(W, l3, byte_in_word(1, 0xff));   /* TOS */
		add_word(W, l3 + 8, byte_in_word(0, 0xff) | /* TTL */
			byte_in_word(2, 0xff) | byte_in_word(3, 0xff)); /* checksum */
	} else {
		add_word(W, l3, byte_in_word(0, 0x0f) | byte_in_word(1, 0xff) |
			byte_in_word(2, 0xff) | byte_in_word(3, 0xff) |
			byte_in_word(7, 0xff));
	}
	/* The BTH follows the UDP header: its byte 4 is 6 bytes past the checksum. */
	if (bth4 >= udp_ck && bth4 - udp_ck < 8) {
		add_word(W, udp_ck, byte_in_word(0, 0xff) | byte_in_word(1, 0xff) |
			byte_in_word((unsigned int)(bth4 - udp_ck), 0xff));
	} else {
		add_word(W, udp_ck, byte_in_word(0, 0xff) | byte_in_word(1, 0xff));
		add_word(W, bth4, byte_in_word(0, 0xff));
	}
}

/*
 * CRC of [start, stop) of a contiguous buffer whose masked words lie inside
 * it. The words are restored in reverse order, so overlapping words (none
 * in the layouts above) would still come back intact.
 */
static uint32_t
icrc_flat(uint8_t *base, const struct icrc_words *W, uint32_t stop)
{
	uint64_t saved[RTE_DIM(W->off)], v;
	uint32_t crc, i;

	for (i = 0; i < W->n; i++) {
		memcpy(&saved[i], base + W->off[i], 8);
		v = saved[i] | W->ones[i];
		memcpy(base + W->off[i], &v, 8);
	}
	crc = fab_crc32(base + W->start, stop - W->start);
	for (i = W->n; i-- > 0;)
		memcpy(base + W->off[i], &saved[i], 8);
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
	struct icrc_words W;
	struct icrc_layout L;
	const struct rte_mbuf *seg;
	uint32_t crc, off;

	if (!icrc_applicable(meta))
		return 0;
	icrc_words(meta, &W);
	if (W.end > rte_pktmbuf_pkt_len(m))
		return 0;
	/* Every masked word must lie in the first segment for the fast path. */
	if (m->data_len < (uint32_t)meta->bth_off + FAB_BTH_LEN ||
			m->data_len < W.off[W.n - 1] + 8) {
		icrc_layout(meta, &L);
		return icrc_slow(m, &L);
	}

	off = RTE_MIN((uint32_t)m->data_len, W.end);
	crc = icrc_flat(rte_pktmbuf_mtod(m, uint8_t *), &W, off);
	for (seg = m->next; seg != NULL && off < W.end; seg = seg->next) {
		uint32_t n = RTE_MIN((uint32_t)seg->data_len, W.end - off);

		const void *d = rte_pktmbuf_mtod(seg, const void *);

		/* A segment of the shared zeros is known without reading it. */
		crc = fab_pkt_in_zero_area(d, n) ? fab_crc32_zeros(crc, n) :
			fab_crc32_combine(crc, fab_crc32(d, n), n);
		off += n;
	}
	return crc;
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
fab_icrc_hdr_prefix(void *hdr, const struct fab_pkt_meta *meta, uint32_t stop)
{
	struct icrc_words W;

	if (!icrc_applicable(meta))
		return 0;
	icrc_words(meta, &W);
	return icrc_flat(hdr, &W, stop);
}

uint32_t
fab_icrc_compute_buf(void *frame, const struct fab_pkt_meta *meta)
{
	return fab_icrc_hdr_prefix(frame, meta, fab_pkt_icrc_off(meta));
}

uint32_t
fab_icrc_hdr_zeros(void *hdr, const struct fab_pkt_meta *meta)
{
	if (!icrc_applicable(meta))
		return 0;
	return fab_crc32_zeros(fab_icrc_hdr_prefix(hdr, meta, meta->payload_off),
		(uint64_t)meta->payload_len + meta->pad_count);
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
