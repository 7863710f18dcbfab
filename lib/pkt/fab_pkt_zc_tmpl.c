/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * A flow's WRITE MIDDLE frames with a zero payload, from a template.
 *
 * Past its first frame, a flow's full-size MIDDLE frames differ only in
 * their PSN: the same addresses, lengths, IP checksum and BTH otherwise.
 * So the headers are copied from a template built once, and the ICRC is
 * carried on from the CRC of the template's bytes before the PSN, which
 * are the last three bytes of a MIDDLE frame's headers: three table steps
 * over the PSN, then the same extension over the zero payload that every
 * zero-payload frame takes. The generic builder writes every field and
 * CRCs the headers afresh for each frame (architecture.md D35 has the
 * cost); the bytes are the same, which the tests check frame by frame.
 */

#include <errno.h>
#include <string.h>

#include <rte_memcpy.h>

#include "fab_pkt.h"
#include "fab_crc_private.h"
#include "fab_pkt_private.h"

int
fab_pkt_zc_tmpl_init(struct fab_pkt_zc_tmpl *t, const struct fab_roce_addr *addr,
		uint32_t dest_qp, uint32_t payload_len)
{
	struct fab_bth_fields bth;
	struct fab_roce_ext ext;
	struct fab_pkt_meta mt;
	int len;

	if (t == NULL || addr == NULL || payload_len == 0)
		return -EINVAL;
	memset(t, 0, sizeof(*t));
	len = fab_pkt_write_fields(FAB_WRITE_MIDDLE, dest_qp, 0, false, NULL, &bth, &ext);
	if (len < 0)
		return len;
	len = fab_pkt_build_hdr(t->hdr, sizeof(t->hdr), addr, &bth, &ext, payload_len, &mt);
	if (len < 0)
		return len;
	if ((uint32_t)mt.payload_len + mt.pad_count > FAB_PKT_ZERO_AREA_LEN)
		return -EMSGSIZE;
	/* A MIDDLE frame has no extension header: the PSN ends the headers. */
	t->psn_off = (uint16_t)(mt.bth_off + 9);
	t->hdr_len = mt.payload_off;
	if ((uint32_t)t->psn_off + 3 != t->hdr_len)
		return -EINVAL;
	t->payload_len = payload_len;
	t->body_len = payload_len + mt.pad_count;
	t->frame_len = (uint32_t)len;
	t->crc_state = ~fab_icrc_hdr_prefix(t->hdr, &mt, t->psn_off);
	return 0;
}

int
fab_pkt_build_write_middle_zc(const struct fab_pkt_zc_tmpl *t, struct rte_mbuf *head,
		struct rte_mbuf *body, struct rte_mbuf *tail, uint32_t psn)
{
	uint8_t p[3] = { (uint8_t)(psn >> 16), (uint8_t)(psn >> 8), (uint8_t)psn };
	uint8_t *h;
	uint32_t crc;

	if (t == NULL || head == NULL || tail == NULL || head == tail || t->hdr_len == 0 ||
			!fab_pkt_is_zero_mbuf(body))
		return -EINVAL;
	if (rte_pktmbuf_tailroom(head) < t->hdr_len ||
			rte_pktmbuf_tailroom(tail) < FAB_ICRC_LEN)
		return -ENOSPC;
	h = rte_pktmbuf_mtod(head, uint8_t *);
	rte_memcpy(h, t->hdr, t->hdr_len);
	memcpy(h + t->psn_off, p, sizeof(p));
	crc = ~fab_crc32_stream_update(t->crc_state, p, sizeof(p));
	put_le32(rte_pktmbuf_mtod(tail, uint8_t *), fab_crc32_zeros(crc, t->body_len));
	fab_pkt_chain_zc(head, body, tail, t->hdr_len, t->body_len, t->frame_len);
	return (int)t->frame_len;
}
