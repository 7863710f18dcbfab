/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * Received frames: WRITEs for the responder (in order, duplicate, beyond
 * the expected PSN, or held out of order), ACKs and NAKs for the
 * requester, CNPs for congestion control.
 */

#include <errno.h>
#include <string.h>

#include "fab_transport.h"
#include "fab_transport_private.h"

void
fab_qp_rcq_push(struct fab_qp *qp, uint64_t bytes)
{
	struct fab_qp_wc *wc;

	/* Nobody may be polling (a one-way flow's sink): keep the oldest. */
	if (qp->rcq_tail - qp->rcq_head > qp->rcq_mask) {
		qp->st.rx_cq_overflow++;
		return;
	}
	wc = &qp->rcq[qp->rcq_tail & qp->rcq_mask];
	wc->wr_id = qp->rcv_msg_seq;
	wc->bytes = bytes;
	wc->status = 0;
	qp->rcq_tail++;
}

static inline bool
icrc_ok(const struct fab_qp *qp, struct rte_mbuf *m, const struct fab_pkt_meta *mt)
{
	return qp->no_icrc_check || fab_icrc_verify(m, mt);
}

static bool
payload_ok(struct fab_qp *qp, const struct rte_mbuf *m, const struct fab_pkt_meta *mt)
{
	const void *p;

	if (qp->no_payload_check)
		return true;
	if (mt->payload_len > FAB_QP_MAX_MTU)
		return false;
	/* Points into the frame unless the payload spans segments. */
	p = rte_pktmbuf_read(m, mt->payload_off, mt->payload_len, qp->scratch);
	return p != NULL && fab_qp_pattern_check(mt->dest_qp, mt->psn, p, mt->payload_len);
}

static inline bool
opcode_is_last(uint8_t op)
{
	return op == FAB_OP_RC_WRITE_LAST || op == FAB_OP_RC_WRITE_ONLY;
}

/* The expected PSN passes one packet: message boundaries and ACK coalescing. */
static void
advance_e(struct fab_qp *qp, uint32_t len, bool last, bool ack_req,
		struct fab_qp_rx_info *info)
{
	qp->rcv_e = (qp->rcv_e + 1) & FAB_PSN_MASK;
	qp->nak_armed = true;
	qp->rcv_msg_bytes += len;
	if (last) {
		fab_qp_rcq_push(qp, qp->rcv_msg_bytes);
		qp->rcv_msg_seq++;
		qp->msn++;
		qp->rcv_msg_bytes = 0;
		info->recv_completed++;
	}
	if (ack_req || ++qp->since_ack >= qp->ack_every)
		qp->ack_owed = true;
}

static inline void
count_delivered(struct fab_qp *qp, uint32_t len, struct fab_qp_rx_info *info)
{
	qp->st.rx_data_pkts++;
	qp->st.rx_data_bytes += len;
	info->delivered_bytes += len;
}

/* ooo_accept: hold a packet ahead of e until e reaches it. */
static void
rx_hold(struct fab_qp *qp, struct rte_mbuf *m, const struct fab_pkt_meta *mt,
		struct fab_qp_rx_info *info)
{
	struct fab_qp_ooo_slot *s = &qp->ooo[mt->psn & qp->ooo_mask];

	if (s->flags & FAB_QP_OOO_HELD) {
		qp->st.rx_dup++;
		qp->ack_owed = true;
		info->kind = FAB_QP_RX_DUP;
		return;
	}
	if (!payload_ok(qp, m, mt)) {
		qp->st.rx_bad_payload++;
		info->kind = FAB_QP_RX_BAD_PAYLOAD;
		return;
	}
	s->len = (uint16_t)mt->payload_len;
	s->flags = (uint8_t)(FAB_QP_OOO_HELD |
		(opcode_is_last(mt->bth_opcode) ? FAB_QP_OOO_LAST : 0) |
		(mt->flags & FAB_PKT_F_ACKREQ ? FAB_QP_OOO_ACKREQ : 0));
	qp->ooo_held++;
	qp->st.rx_ooo_accepted++;
	count_delivered(qp, mt->payload_len, info);
	info->kind = FAB_QP_RX_DATA;
}

/* e moved: take the held packets it now reaches. */
static void
drain_held(struct fab_qp *qp, struct fab_qp_rx_info *info)
{
	while (qp->ooo_held != 0) {
		struct fab_qp_ooo_slot *s = &qp->ooo[qp->rcv_e & qp->ooo_mask];

		if (!(s->flags & FAB_QP_OOO_HELD))
			break;
		advance_e(qp, s->len, s->flags & FAB_QP_OOO_LAST,
			s->flags & FAB_QP_OOO_ACKREQ, info);
		s->flags = 0;
		qp->ooo_held--;
	}
}

static void
rx_write(struct fab_qp *qp, struct rte_mbuf *m, const struct fab_pkt_meta *mt,
		struct fab_qp_rx_info *info)
{
	int32_t d = fab_psn_diff(mt->psn, qp->rcv_e);

	if (d < 0) {
		/* IB re-ACKs duplicates: the requester may have lost our ACK. */
		qp->st.rx_dup++;
		qp->ack_owed = true;
		info->kind = FAB_QP_RX_DUP;
		return;
	}
	if (d > 0) {
		if (qp->ooo_accept && (uint32_t)d < qp->ooo_window) {
			rx_hold(qp, m, mt, info);
			return;
		}
		qp->st.rx_out_of_seq++;
		/* One NAK per gap: the packets behind the first add nothing. */
		if (qp->nak_armed) {
			qp->nak_owed = true;
			qp->nak_armed = false;
		}
		info->kind = FAB_QP_RX_OUT_OF_SEQ;
		return;
	}
	/* Only a packet about to be delivered is worth the pattern check. */
	if (!payload_ok(qp, m, mt)) {
		qp->st.rx_bad_payload++;
		info->kind = FAB_QP_RX_BAD_PAYLOAD;
		return;
	}
	count_delivered(qp, mt->payload_len, info);
	advance_e(qp, mt->payload_len, opcode_is_last(mt->bth_opcode),
		mt->flags & FAB_PKT_F_ACKREQ, info);
	if (qp->ooo_accept)
		drain_held(qp, info);
	info->kind = FAB_QP_RX_DATA;
}

static void
rx_ack(struct fab_qp *qp, uint64_t now, const struct fab_pkt_meta *mt,
		struct fab_qp_rx_info *info)
{
	uint32_t psn = mt->psn;

	if ((mt->aeth_syndrome & FAB_AETH_KIND_MASK) == FAB_AETH_ACK) {
		qp->st.rx_acks++;
		info->kind = FAB_QP_RX_ACK;
		/* Cumulative; an older one (reordered, duplicated) says nothing new. */
		if (fab_psn_diff(psn, qp->snd_una) >= 0 && fab_psn_diff(psn, qp->snd_max) < 0)
			fab_qp_ack_to(qp, now, psn, info);
		return;
	}
	if (mt->aeth_syndrome == FAB_AETH_NAK_PSN_SEQ_ERR) {
		qp->st.rx_naks++;
		info->kind = FAB_QP_RX_NAK;
		if (fab_psn_diff(psn, qp->snd_una) < 0 || fab_psn_diff(psn, qp->snd_max) > 0)
			return;
		if (psn != qp->snd_una)
			fab_qp_ack_to(qp, now, (psn - 1) & FAB_PSN_MASK, info);
		fab_qp_go_back(qp, psn);
		return;
	}
	/* RNR and the other NAKs: rocefab's responder never sends them. */
	qp->st.rx_other++;
	info->kind = FAB_QP_RX_OTHER;
}

int
fab_qp_rx(struct fab_qp *qp, uint64_t now, struct rte_mbuf *m,
		const struct fab_pkt_meta *mt, struct fab_qp_rx_info *info)
{
	memset(info, 0, sizeof(*info));
	info->kind = FAB_QP_RX_OTHER;
	if (mt->kind != FAB_PKT_KIND_ROCE || mt->drop != FAB_PKT_OK ||
			mt->dest_qp != qp->qpn || qp->error) {
		qp->st.rx_other++;
		return 0;
	}
	switch (mt->bth_opcode) {
	case FAB_OP_RC_WRITE_FIRST:
	case FAB_OP_RC_WRITE_MIDDLE:
	case FAB_OP_RC_WRITE_LAST:
	case FAB_OP_RC_WRITE_ONLY:
		info->ce = mt->ecn == 3;
		if (!icrc_ok(qp, m, mt))
			break;
		rx_write(qp, m, mt, info);
		return 0;
	case FAB_OP_RC_ACK:
		if (!icrc_ok(qp, m, mt))
			break;
		rx_ack(qp, now, mt, info);
		return 0;
	case FAB_OP_CNP:
		if (!icrc_ok(qp, m, mt))
			break;
		qp->st.rx_cnps++;
		info->kind = FAB_QP_RX_CNP;
		return 0;
	default:
		qp->st.rx_other++;
		return 0;
	}
	qp->st.rx_bad_icrc++;
	info->kind = FAB_QP_RX_BAD_ICRC;
	return 0;
}
