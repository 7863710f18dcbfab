/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * The requester: cutting messages into packets, the window, go-back-N,
 * cumulative acknowledgement, the retransmission timer and the RTT sample;
 * and the frames the responder owes (ACK, NAK) or congestion control asks
 * for (CNP).
 */

#include <errno.h>
#include <string.h>
#include <netinet/in.h>

#include <rte_byteorder.h>
#include <rte_ip.h>

#include "fab_transport.h"
#include "fab_transport_private.h"

static void
scq_push(struct fab_qp *qp, const struct fab_qp_wqe *w, int status)
{
	struct fab_qp_wc *wc = &qp->scq[qp->scq_tail & qp->scq_mask];

	/* fab_qp_post_write() reserved the slot. */
	wc->wr_id = w->wr_id;
	wc->bytes = w->post_bytes;
	wc->status = status;
	qp->scq_tail++;
}

void
fab_qp_go_back(struct fab_qp *qp, uint32_t psn)
{
	uint32_t i = qp->wq_head;

	/*
	 * @p psn lies in [snd_una, snd_max]: the messages from the head up to
	 * it are all within the window, so the search is short and the PSN
	 * comparisons are sound.
	 */
	while (i != qp->wq_tail &&
			fab_psn_diff(psn, fab_qp_wqe_last_psn(&qp->wqe[i & qp->wqe_mask])) > 0)
		i++;
	qp->wq_tx = i;
	qp->snd_nxt = psn;
}

void
fab_qp_ack_to(struct fab_qp *qp, uint64_t now, uint32_t psn, struct fab_qp_rx_info *info)
{
	uint32_t end = (psn + 1) & FAB_PSN_MASK;
	uint64_t acked = 0;

	while (qp->wq_head != qp->wq_tail) {
		const struct fab_qp_wqe *w = &qp->wqe[qp->wq_head & qp->wqe_mask];
		uint32_t k_una = (qp->snd_una - w->first_psn) & FAB_PSN_MASK;

		if (fab_psn_diff(psn, fab_qp_wqe_last_psn(w)) < 0) {
			uint32_t k_end = (end - w->first_psn) & FAB_PSN_MASK;

			acked += fab_qp_wqe_bytes_before(qp, w, k_end) -
				fab_qp_wqe_bytes_before(qp, w, k_una);
			break;
		}
		acked += w->bytes - fab_qp_wqe_bytes_before(qp, w, k_una);
		if (w->last_of_post) {
			scq_push(qp, w, 0);
			info->send_completed++;
		}
		qp->wq_head++;
		qp->snd_una = (fab_qp_wqe_last_psn(w) + 1) & FAB_PSN_MASK;
	}
	qp->snd_una = end;
	if (fab_psn_diff(qp->snd_nxt, end) < 0)
		fab_qp_go_back(qp, end); /* an ACK overtook a go-back: skip ahead */
	qp->st.acked_bytes += acked;
	info->acked_bytes += acked;
	qp->retries = 0;
	qp->last_progress = now;
	if (qp->rtt_timing && fab_psn_diff(psn, qp->rtt_psn) >= 0) {
		info->rtt_ps = now - qp->rtt_sent;
		qp->rtt_timing = false;
	}
}

bool
fab_qp_tx_ready(const struct fab_qp *qp)
{
	return !qp->error && qp->wq_tx != qp->wq_tail &&
		((qp->snd_nxt - qp->snd_una) & FAB_PSN_MASK) < qp->window;
}

/* Allocate an mbuf and room for @p len bytes in it. */
static int
frame_alloc(struct fab_qp *qp, uint32_t len, struct rte_mbuf **out, uint8_t **buf)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(qp->pool);

	if (m == NULL) {
		qp->st.nombuf++;
		return -ENOMEM;
	}
	if (len > rte_pktmbuf_tailroom(m) || len > UINT16_MAX) {
		rte_pktmbuf_free(m);
		return -ENOSPC;
	}
	*buf = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)len);
	*out = m;
	return 0;
}

static inline void
put_be16(uint8_t *p, uint16_t v)
{
	v = rte_cpu_to_be_16(v);
	memcpy(p, &v, 2);
}

static inline void
put_be32(uint8_t *p, uint32_t v)
{
	v = rte_cpu_to_be_32(v);
	memcpy(p, &v, 4);
}

/*
 * The headers of an IPv4 data frame of @p len bytes, byte for byte what
 * fab_pkt_build_write() writes for it, with the pad zeroed
 * (rocefab-bench-gen compares the two byte for byte before it times;
 * the transport unit tests check the fields and the ICRC). It skips the generic
 * builder's opcode tables, metadata and byte-wise stores: per packet, the
 * generator's headers are a fixed template but for the lengths, the
 * opcode, the PSN and the RETH.
 *
 * @return the payload's offset.
 */
static uint32_t
write_hdr_v4(const struct fab_qp *qp, uint8_t *f, uint32_t len, uint8_t opcode,
		uint32_t psn, bool ack_req, const struct fab_reth *reth, uint32_t plen)
{
	const struct fab_roce_addr *a = &qp->addr;
	uint32_t pad = (4 - (plen & 3)) & 3, off = 12, udp_len;
	uint16_t csum;
	uint8_t *ip, *p;

	memcpy(f, &a->dst_mac, RTE_ETHER_ADDR_LEN);
	memcpy(f + 6, &a->src_mac, RTE_ETHER_ADDR_LEN);
	if (a->has_vlan) {
		put_be16(f + 12, RTE_ETHER_TYPE_VLAN);
		put_be16(f + 14, a->vlan_tci);
		off = 16;
	}
	put_be16(f + off, RTE_ETHER_TYPE_IPV4);
	off += 2;
	udp_len = len - off - 20;

	ip = f + off;
	put_be32(ip, 0x45u << 24 | (uint32_t)((a->dscp & 0x3f) << 2 | (a->ecn & 0x3)) << 16 |
		(20 + udp_len));
	put_be32(ip + 4, 0x4000); /* identification 0, DF */
	put_be32(ip + 8, (uint32_t)(a->ttl != 0 ? a->ttl : 64) << 24 |
		(uint32_t)IPPROTO_UDP << 16);
	memcpy(ip + 12, &a->src_ip.v4, 4);
	memcpy(ip + 16, &a->dst_ip.v4, 4);
	/* rte_raw_cksum sums words in memory order: store it the same way. */
	csum = (uint16_t)~rte_raw_cksum(ip, 20);
	memcpy(ip + 10, &csum, 2);

	/* UDP checksum 0: RoCEv2 relies on the ICRC. */
	p = ip + 20;
	put_be32(p, (uint32_t)a->udp_src_port << 16 | FAB_ROCE_UDP_PORT);
	put_be32(p + 4, udp_len << 16);
	p += 8;
	put_be32(p, (uint32_t)opcode << 24 | pad << 20 | FAB_PKEY_DEFAULT);
	put_be32(p + 4, qp->peer_qpn & FAB_QPN_MASK);
	put_be32(p + 8, (ack_req ? UINT32_C(1) << 31 : 0) | (psn & FAB_PSN_MASK));
	p += FAB_BTH_LEN;
	if (reth != NULL) {
		put_be32(p, (uint32_t)(reth->vaddr >> 32));
		put_be32(p + 4, (uint32_t)reth->vaddr);
		put_be32(p + 8, reth->rkey);
		put_be32(p + 12, reth->dma_len);
		p += FAB_RETH_LEN;
	}
	memset(p + plen, 0, pad);
	return (uint32_t)(p - f);
}

int
fab_qp_tx_data(struct fab_qp *qp, uint64_t now, struct rte_mbuf **out, uint32_t *payload)
{
	static const uint8_t opcode[] = {
		[FAB_WRITE_FIRST] = FAB_OP_RC_WRITE_FIRST,
		[FAB_WRITE_MIDDLE] = FAB_OP_RC_WRITE_MIDDLE,
		[FAB_WRITE_LAST] = FAB_OP_RC_WRITE_LAST,
		[FAB_WRITE_ONLY] = FAB_OP_RC_WRITE_ONLY,
	};
	const struct fab_qp_wqe *w;
	struct fab_pkt_meta mt;
	struct fab_reth reth;
	enum fab_write_part part;
	struct rte_mbuf *m;
	uint32_t psn = qp->snd_nxt, k, plen, len;
	uint8_t *buf;
	bool last, has_reth;
	int rc;

	if (!fab_qp_tx_ready(qp))
		return 0;
	w = &qp->wqe[qp->wq_tx & qp->wqe_mask];
	k = (psn - w->first_psn) & FAB_PSN_MASK;
	last = k == w->npkts - 1;
	if (w->npkts == 1)
		part = FAB_WRITE_ONLY;
	else if (k == 0)
		part = FAB_WRITE_FIRST;
	else
		part = last ? FAB_WRITE_LAST : FAB_WRITE_MIDDLE;
	plen = last ? w->bytes - (k << qp->mtu_shift) : qp->mtu;
	has_reth = part == FAB_WRITE_FIRST || part == FAB_WRITE_ONLY;
	len = qp->hdr_len + (has_reth ? FAB_RETH_LEN : 0) + RTE_ALIGN_CEIL(plen, 4) +
		FAB_ICRC_LEN;
	rc = frame_alloc(qp, len, &m, &buf);
	if (rc < 0)
		return rc;

	reth.vaddr = FAB_QP_VADDR_BASE + w->msg_off;
	reth.rkey = FAB_QP_RKEY;
	reth.dma_len = w->bytes;
	mt = qp->icrc_mt;
	if (qp->addr.l3 == FAB_L3_IPV4) {
		mt.payload_off = (uint16_t)write_hdr_v4(qp, buf, len, opcode[part], psn, last,
				has_reth ? &reth : NULL, plen);
	} else {
		/* Payload NULL: the pattern goes straight into the frame, one pass. */
		rc = fab_pkt_build_write(buf, len, &qp->addr, part, qp->peer_qpn, psn, last,
				&reth, NULL, plen);
		if (rc < 0) {
			rte_pktmbuf_free(m);
			return rc;
		}
		mt.payload_off = (uint16_t)(qp->hdr_len + (has_reth ? FAB_RETH_LEN : 0));
	}
	mt.payload_len = plen;
	mt.pad_count = (uint8_t)((4 - (plen & 3)) & 3);
	fab_qp_pattern_fill(qp->peer_qpn, psn, buf + mt.payload_off, plen);
	fab_icrc_set_buf(buf, &mt);

	if (fab_psn_diff(psn, qp->snd_max) < 0) {
		qp->st.retx_pkts++;
		/* Karn: an ACK could answer either copy, so the sample is void. */
		if (qp->rtt_timing && qp->rtt_psn == psn)
			qp->rtt_timing = false;
	} else {
		if (!fab_qp_outstanding(qp))
			qp->last_progress = now;
		if (!qp->rtt_timing) {
			qp->rtt_timing = true;
			qp->rtt_psn = psn;
			qp->rtt_sent = now;
		}
		qp->snd_max = (psn + 1) & FAB_PSN_MASK;
	}
	qp->snd_nxt = (psn + 1) & FAB_PSN_MASK;
	if (last)
		qp->wq_tx++;
	qp->st.tx_data_pkts++;
	qp->st.tx_data_bytes += plen;
	*out = m;
	if (payload != NULL)
		*payload = plen;
	return 1;
}

int
fab_qp_tx_ctrl(struct fab_qp *qp, uint64_t now, struct rte_mbuf **out)
{
	struct rte_mbuf *m;
	uint32_t len, psn;
	uint8_t *buf, syndrome;
	int rc;

	RTE_SET_USED(now);
	if (qp->error || (!qp->nak_owed && !qp->ack_owed))
		return 0;
	len = fab_pkt_roce_frame_len(&qp->ctrl_addr, FAB_OP_RC_ACK, 0);
	rc = frame_alloc(qp, len, &m, &buf);
	if (rc < 0)
		return rc;
	/*
	 * A NAK names the expected PSN and so acknowledges everything before
	 * it: it stands for an ACK owed at the same time.
	 */
	if (qp->nak_owed) {
		psn = qp->rcv_e;
		syndrome = FAB_AETH_NAK_PSN_SEQ_ERR;
	} else {
		psn = (qp->rcv_e - 1) & FAB_PSN_MASK;
		syndrome = FAB_AETH_ACK | FAB_AETH_CREDITS_UNLIMITED;
	}
	rc = fab_pkt_build_ack(buf, len, &qp->ctrl_addr, qp->peer_qpn, psn, syndrome,
			qp->msn & FAB_PSN_MASK);
	if (rc < 0) {
		rte_pktmbuf_free(m);
		return rc;
	}
	if (qp->nak_owed)
		qp->st.tx_naks++;
	else
		qp->st.tx_acks++;
	qp->nak_owed = false;
	qp->ack_owed = false;
	qp->since_ack = 0;
	*out = m;
	return 1;
}

int
fab_qp_build_cnp(struct fab_qp *qp, uint8_t dscp, struct rte_mbuf **out)
{
	struct fab_roce_addr a = qp->ctrl_addr;
	struct rte_mbuf *m;
	uint32_t len;
	uint8_t *buf;
	int rc;

	a.dscp = dscp;
	len = fab_pkt_roce_frame_len(&a, FAB_OP_CNP, 0);
	rc = frame_alloc(qp, len, &m, &buf);
	if (rc < 0)
		return rc;
	rc = fab_pkt_build_cnp(buf, len, &a, qp->peer_qpn);
	if (rc < 0) {
		rte_pktmbuf_free(m);
		return rc;
	}
	*out = m;
	return 1;
}

uint64_t
fab_qp_timer_deadline(const struct fab_qp *qp)
{
	if (qp->error || !fab_qp_outstanding(qp))
		return UINT64_MAX;
	return qp->last_progress + qp->rto_ps;
}

/* The retries ran out: every message still posted fails, the QP stops. */
static void
fail_all(struct fab_qp *qp)
{
	while (qp->wq_head != qp->wq_tail) {
		const struct fab_qp_wqe *w = &qp->wqe[qp->wq_head & qp->wqe_mask];

		if (w->last_of_post)
			scq_push(qp, w, -ETIMEDOUT);
		qp->st.errors++;
		qp->wq_head++;
	}
	qp->wq_tx = qp->wq_tail;
	qp->error = true;
	qp->rtt_timing = false;
	qp->ack_owed = false;
	qp->nak_owed = false;
}

int
fab_qp_on_timer(struct fab_qp *qp, uint64_t now)
{
	uint64_t deadline = fab_qp_timer_deadline(qp);

	if (deadline == UINT64_MAX || now < deadline)
		return 0;
	qp->st.timeouts++;
	if (++qp->retries > qp->retry_cnt) {
		fail_all(qp);
		return -ETIMEDOUT;
	}
	fab_qp_go_back(qp, qp->snd_una);
	qp->last_progress = now;
	return 1;
}
