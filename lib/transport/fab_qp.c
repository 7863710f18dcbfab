/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/* A QP end's life: create, post, completions, counters. */

#include <errno.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_malloc.h>

#include "fab_transport.h"
#include "fab_transport_private.h"

static bool
qpn_valid(uint32_t qpn)
{
	return qpn >= 2 && qpn <= FAB_QPN_MASK;
}

static int
check_conf(const struct fab_qp_conf *c)
{
	if (!qpn_valid(c->qpn) || !qpn_valid(c->peer_qpn))
		return -EINVAL;
	if (c->mtu != 0 && (!rte_is_power_of_2(c->mtu) || c->mtu < 256 ||
			c->mtu > FAB_QP_MAX_MTU))
		return -EINVAL;
	if (c->timeout > 31)
		return -EINVAL;
	if (c->retry_cnt > 7 && c->retry_cnt != 0xff)
		return -EINVAL;
	/* PSN serial arithmetic only orders PSNs less than 2^23 apart. */
	if (c->window >= (1u << 23))
		return -EINVAL;
	if (c->max_wr > (1u << 20))
		return -EINVAL;
	if (c->ooo_window > 4096)
		return -EINVAL;
	if (c->addr.l3 != FAB_L3_IPV4 && c->addr.l3 != FAB_L3_IPV6)
		return -EINVAL;
	if (c->pool == NULL)
		return -EINVAL;
	return 0;
}

/* The ICRC needs these offsets; our data frames all share them. */
static void
init_frame_layout(struct fab_qp *qp)
{
	struct fab_pkt_meta *mt = &qp->icrc_mt;

	memset(mt, 0, sizeof(*mt));
	mt->kind = FAB_PKT_KIND_ROCE;
	mt->l3 = qp->addr.l3;
	mt->l3_off = (uint16_t)(RTE_ETHER_HDR_LEN + (qp->addr.has_vlan ? 4 : 0));
	mt->l4_off = (uint16_t)(mt->l3_off + (qp->addr.l3 == FAB_L3_IPV6 ? 40 : 20));
	mt->bth_off = (uint16_t)(mt->l4_off + 8);
	qp->hdr_len = (uint32_t)mt->bth_off + FAB_BTH_LEN;
}

struct fab_qp *
fab_qp_create(const struct fab_qp_conf *conf)
{
	struct fab_qp *qp;
	uint32_t max_wr, ooo_n;

	if (conf == NULL || check_conf(conf) != 0) {
		rte_errno = EINVAL;
		return NULL;
	}
	qp = rte_zmalloc_socket("fab_qp", sizeof(*qp), RTE_CACHE_LINE_SIZE, conf->socket_id);
	if (qp == NULL)
		goto nomem;

	qp->qpn = conf->qpn;
	qp->peer_qpn = conf->peer_qpn;
	qp->mtu = conf->mtu != 0 ? conf->mtu : FAB_QP_MAX_MTU;
	qp->mtu_shift = (uint32_t)rte_bsf32(qp->mtu);
	qp->window = conf->window != 0 ? conf->window : FAB_QP_DEFAULT_WINDOW;
	qp->ack_every = conf->ack_every != 0 ? conf->ack_every : FAB_QP_DEFAULT_ACK_EVERY;
	qp->ooo_accept = conf->ooo_accept;
	qp->ooo_window = conf->ooo_window != 0 ? conf->ooo_window : FAB_QP_DEFAULT_OOO_WINDOW;
	qp->rto_ps = FAB_QP_TIMEOUT_UNIT_PS <<
		(conf->timeout != 0 ? conf->timeout : FAB_QP_DEFAULT_TIMEOUT);
	qp->retry_cnt = conf->retry_cnt != 0xff ? conf->retry_cnt : FAB_QP_DEFAULT_RETRY;
	qp->no_icrc_check = conf->no_icrc_check;
	qp->no_payload_check = conf->no_payload_check;
	qp->addr = conf->addr;
	qp->ctrl_addr = conf->addr;
	qp->ctrl_addr.dscp = conf->ack_dscp;
	qp->ctrl_addr.ecn = 0;
	qp->pool = conf->pool;
	init_frame_layout(qp);

	max_wr = conf->max_wr != 0 ? conf->max_wr : FAB_QP_DEFAULT_MAX_WR;
	qp->max_wr = max_wr;
	qp->wqe_mask = rte_align32pow2(max_wr) - 1;
	qp->scq_mask = qp->wqe_mask;
	qp->rcq_mask = qp->wqe_mask;
	qp->wqe = rte_zmalloc_socket("fab_qp_wqe", sizeof(*qp->wqe) * (qp->wqe_mask + 1),
			RTE_CACHE_LINE_SIZE, conf->socket_id);
	qp->scq = rte_zmalloc_socket("fab_qp_scq", sizeof(*qp->scq) * (qp->scq_mask + 1),
			RTE_CACHE_LINE_SIZE, conf->socket_id);
	qp->rcq = rte_zmalloc_socket("fab_qp_rcq", sizeof(*qp->rcq) * (qp->rcq_mask + 1),
			RTE_CACHE_LINE_SIZE, conf->socket_id);
	if (qp->wqe == NULL || qp->scq == NULL || qp->rcq == NULL)
		goto nomem;
	if (qp->ooo_accept) {
		ooo_n = rte_align32pow2(qp->ooo_window);
		qp->ooo_mask = ooo_n - 1;
		qp->ooo = rte_zmalloc_socket("fab_qp_ooo", sizeof(*qp->ooo) * ooo_n,
				RTE_CACHE_LINE_SIZE, conf->socket_id);
		if (qp->ooo == NULL)
			goto nomem;
	}

	qp->next_psn = conf->psn0 & FAB_PSN_MASK;
	qp->snd_una = qp->next_psn;
	qp->snd_nxt = qp->next_psn;
	qp->snd_max = qp->next_psn;
	qp->rcv_e = conf->peer_psn0 & FAB_PSN_MASK;
	qp->nak_armed = true;
	return qp;

nomem:
	fab_qp_free(qp);
	rte_errno = ENOMEM;
	return NULL;
}

void
fab_qp_free(struct fab_qp *qp)
{
	if (qp == NULL)
		return;
	rte_free(qp->ooo);
	rte_free(qp->rcq);
	rte_free(qp->scq);
	rte_free(qp->wqe);
	rte_free(qp);
}

int
fab_qp_post_write(struct fab_qp *qp, uint64_t bytes, uint64_t wr_id)
{
	uint64_t nmsg, off, i;
	uint32_t used;

	if (qp == NULL || bytes == 0)
		return -EINVAL;
	if (qp->error)
		return -EIO;
	nmsg = (bytes + FAB_QP_MAX_MESSAGE - 1) / FAB_QP_MAX_MESSAGE;
	/*
	 * Completions not yet polled hold their slot too: each came from at
	 * least one message, so the completion ring can never overflow.
	 */
	used = (qp->wq_tail - qp->wq_head) + (qp->scq_tail - qp->scq_head);
	if (nmsg > qp->max_wr - used)
		return -ENOSPC;
	for (i = 0, off = 0; i < nmsg; i++) {
		struct fab_qp_wqe *w = &qp->wqe[qp->wq_tail & qp->wqe_mask];
		uint64_t len = RTE_MIN(bytes - off, FAB_QP_MAX_MESSAGE);

		w->wr_id = wr_id;
		w->post_bytes = bytes;
		w->msg_off = off;
		w->bytes = (uint32_t)len;
		w->first_psn = qp->next_psn;
		w->npkts = (uint32_t)((len + qp->mtu - 1) >> qp->mtu_shift);
		w->last_of_post = i == nmsg - 1;
		qp->next_psn = (qp->next_psn + w->npkts) & FAB_PSN_MASK;
		qp->wq_tail++;
		off += len;
	}
	qp->st.posted_bytes += bytes;
	return 0;
}

static unsigned int
cq_pop(const struct fab_qp_wc *ring, uint32_t mask, uint32_t *head, uint32_t tail,
		struct fab_qp_wc *wc, unsigned int n)
{
	unsigned int k = 0;

	while (k < n && *head != tail) {
		wc[k++] = ring[*head & mask];
		(*head)++;
	}
	return k;
}

unsigned int
fab_qp_poll_send(struct fab_qp *qp, struct fab_qp_wc *wc, unsigned int n)
{
	return cq_pop(qp->scq, qp->scq_mask, &qp->scq_head, qp->scq_tail, wc, n);
}

unsigned int
fab_qp_poll_recv(struct fab_qp *qp, struct fab_qp_wc *wc, unsigned int n)
{
	return cq_pop(qp->rcq, qp->rcq_mask, &qp->rcq_head, qp->rcq_tail, wc, n);
}

bool
fab_qp_idle(const struct fab_qp *qp)
{
	return qp->wq_head == qp->wq_tail && !qp->ack_owed && !qp->nak_owed;
}

bool
fab_qp_in_error(const struct fab_qp *qp)
{
	return qp->error;
}

uint32_t
fab_qp_qpn(const struct fab_qp *qp)
{
	return qp->qpn;
}

uint32_t
fab_qp_max_frame_len(const struct fab_qp *qp)
{
	return fab_pkt_roce_frame_len(&qp->addr, FAB_OP_RC_WRITE_FIRST, qp->mtu);
}

void
fab_qp_stats(const struct fab_qp *qp, struct fab_qp_stats *out)
{
	*out = qp->st;
}
