/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * A host's NIC: received frames go to their QP and from there to the
 * rounds and to congestion control; frames leave in the order a RoCE NIC
 * gives them (CNPs, then ACKs and NAKs, then data), and each QP's data is
 * paced at the rate its congestion control allows, QPs served in order of
 * their next allowed time (ties by QP index).
 */

#include <errno.h>

#include "fab_gen_private.h"

/* A QP that found the pool empty tries again this much later. */
#define GEN_NOMBUF_RETRY_PS UINT64_C(1000000)
/* Owed control frames that found no room or no mbuf are looked at again after this. */
#define GEN_CTRL_RETRY_PS UINT64_C(1000000)

void
gen_qp_schedule(struct gen_host *h, uint32_t qi, uint64_t now)
{
	struct gen_qp *q = &h->qps[qi];

	(void)now;
	if (q->blocked)
		return;
	if (fab_qp_tx_ready(q->qp)) {
		if (!fab_heap_contains(h->send_heap, qi))
			fab_heap_push(h->send_heap, qi, q->next_send);
	} else if (fab_heap_contains(h->send_heap, qi)) {
		fab_heap_remove(h->send_heap, qi);
	}
}

static void
update_timer(struct gen_host *h, uint32_t qi)
{
	uint64_t d = fab_qp_timer_deadline(h->qps[qi].qp);

	if (d == UINT64_MAX) {
		if (fab_heap_contains(h->timer_heap, qi))
			fab_heap_remove(h->timer_heap, qi);
	} else if (fab_heap_contains(h->timer_heap, qi)) {
		fab_heap_set(h->timer_heap, qi, d);
	} else {
		fab_heap_push(h->timer_heap, qi, d);
	}
}

static void
cc_event(struct gen_host *h, struct gen_qp *q, uint32_t kind, uint64_t now, uint64_t bytes,
		uint64_t rtt, uint8_t *cnp)
{
	struct fab_cc_event ev = {
		.flow = q->cc, .now_ps = now, .kind = kind,
		.bytes = bytes > UINT32_MAX ? UINT32_MAX : (uint32_t)bytes, .rtt_ps = rtt,
	};
	uint8_t dummy;

	fab_cc_events(h->cc, &ev, 1, cnp != NULL ? cnp : &dummy);
}

static void
owe_ctrl(struct gen_host *h, uint32_t qi)
{
	if (h->qps[qi].owes_ctrl)
		return;
	h->qps[qi].owes_ctrl = true;
	h->ctrl[h->nb_ctrl++] = qi;
}

static void
send_completions(struct fab_gen *gen, struct gen_host *h, struct gen_qp *q, uint64_t now)
{
	struct fab_qp_wc wc[16];
	unsigned int nb, i;

	(void)h;
	do {
		nb = fab_qp_poll_send(q->qp, wc, RTE_DIM(wc));
		for (i = 0; i < nb; i++)
			gen_send_done(gen, &gen->jobs[q->job], q, &wc[i], now);
	} while (nb == RTE_DIM(wc));
}

static void
recv_completions(struct fab_gen *gen, struct gen_qp *q, uint64_t now)
{
	struct gen_job *j = &gen->jobs[q->job];
	struct fab_qp_wc wc[16];
	unsigned int nb, i;

	do {
		nb = fab_qp_poll_recv(q->qp, wc, RTE_DIM(wc));
		for (i = 0; i < nb; i++)
			gen_recv_done(gen, j, &j->conns[q->conn], now, wc[i].bytes);
	} while (nb == RTE_DIM(wc));
}

int
fab_gen_rx(struct fab_gen *gen, uint32_t host, uint64_t now, struct rte_mbuf *m,
		const struct fab_pkt_meta *mt)
{
	struct gen_host *h = &gen->hosts[host];
	struct fab_qp_rx_info info;
	struct gen_qp *q;
	uint32_t qi;
	uint8_t cnp = 0;

	if (mt->dest_qp < FAB_GEN_QPN_BASE || mt->dest_qp - FAB_GEN_QPN_BASE >= h->nb_qps) {
		h->st.rx_unknown_qp++;
		return -ENOENT;
	}
	qi = mt->dest_qp - FAB_GEN_QPN_BASE;
	q = &h->qps[qi];
	fab_qp_rx(q->qp, now, m, mt, &info);
	switch (info.kind) {
	case FAB_QP_RX_DATA:
		if (info.delivered_bytes != 0) {
			struct gen_job *j = &gen->jobs[q->job];
			struct gen_conn *c = &j->conns[q->conn];

			c->rx_bytes += info.delivered_bytes;
			j->matrix[(size_t)c->src_rank * j->conf.coll.nranks + c->dst_rank] +=
				info.delivered_bytes;
			if (h->st.first_rx_ps == UINT64_MAX)
				h->st.first_rx_ps = now;
			h->st.last_rx_ps = now;
		}
		if (info.recv_completed != 0)
			recv_completions(gen, q, now);
		/* Every WRITE may owe an ACK or a NAK. */
		__attribute__((fallthrough));
	case FAB_QP_RX_DUP:
	case FAB_QP_RX_OUT_OF_SEQ:
		owe_ctrl(h, qi);
		if (info.ce) {
			cc_event(h, q, FAB_CC_EV_CE, now, 0, 0, &cnp);
			if (cnp) {
				struct rte_mbuf *c = NULL;
				uint32_t next = (h->cnp_tail + 1) % GEN_CNP_QUEUE;

				if (next == h->cnp_head ||
						fab_qp_build_cnp(q->qp, gen->conf.nic.cnp_dscp, &c) != 1)
					h->st.nombuf++;
				else {
					h->cnp_q[h->cnp_tail] = c;
					h->cnp_tail = next;
				}
			}
		}
		break;
	case FAB_QP_RX_BAD_ICRC:
	case FAB_QP_RX_BAD_PAYLOAD:
		gen->jobs[q->job].wrong++;
		break;
	case FAB_QP_RX_ACK:
		cc_event(h, q, FAB_CC_EV_ACK, now, info.acked_bytes, info.rtt_ps, NULL);
		if (info.send_completed != 0)
			send_completions(gen, h, q, now);
		break;
	case FAB_QP_RX_NAK:
		cc_event(h, q, FAB_CC_EV_NAK, now, info.acked_bytes, 0, NULL);
		if (info.send_completed != 0)
			send_completions(gen, h, q, now);
		break;
	case FAB_QP_RX_CNP:
		q->cnp_rx++;
		h->st.cnp_rx++;
		cc_event(h, q, FAB_CC_EV_CNP, now, 0, 0, NULL);
		break;
	default:
		break;
	}
	gen_qp_schedule(h, qi, now);
	update_timer(h, qi);
	return 0;
}

void
fab_gen_poll(struct fab_gen *gen, uint32_t host, uint64_t now)
{
	struct gen_host *h = &gen->hosts[host];
	uint32_t qi;
	uint64_t key;

	while (h->next_start < h->nb_starts && h->start_key[h->next_start] <= now) {
		gen_rank_start(gen, h->start_job[h->next_start], h->start_rank[h->next_start], now);
		h->next_start++;
	}
	while (fab_heap_top(h->timer_heap, &qi, &key) == 0 && key <= now) {
		struct gen_qp *q = &h->qps[qi];
		int ret = fab_qp_on_timer(q->qp, now);

		if (ret != 0)
			cc_event(h, q, FAB_CC_EV_TIMEOUT, now, 0, 0, NULL);
		if (ret == -ETIMEDOUT)
			send_completions(gen, h, q, now);
		if (fab_qp_timer_deadline(q->qp) <= now)
			fab_heap_remove(h->timer_heap, qi); /* a timer that cannot fire again */
		else
			update_timer(h, qi);
		gen_qp_schedule(h, qi, now);
	}
}

uint16_t
fab_gen_tx(struct fab_gen *gen, uint32_t host, uint64_t now,
		const uint32_t data_room[FAB_NUM_PRIO], const uint32_t ctrl_room[FAB_NUM_PRIO],
		struct rte_mbuf **out, uint8_t *cls, uint16_t n)
{
	struct gen_host *h = &gen->hosts[host];
	uint32_t droom[FAB_NUM_PRIO], croom[FAB_NUM_PRIO], i, qi;
	uint16_t nb = 0;
	uint64_t key;

	for (i = 0; i < FAB_NUM_PRIO; i++) {
		droom[i] = data_room[i];
		croom[i] = ctrl_room[i];
	}
	while (nb < n && h->cnp_head != h->cnp_tail && croom[h->cnp_cls] != 0) {
		cls[nb] = h->cnp_cls;
		out[nb++] = h->cnp_q[h->cnp_head];
		h->cnp_head = (h->cnp_head + 1) % GEN_CNP_QUEUE;
		croom[h->cnp_cls]--;
		h->st.cnp_tx++;
	}
	i = 0;
	while (i < h->nb_ctrl && nb < n) {
		struct gen_qp *q = &h->qps[h->ctrl[i]];
		int ret = 0;

		while (nb < n && croom[q->ack_cls] != 0) {
			struct rte_mbuf *m;

			ret = fab_qp_tx_ctrl(q->qp, now, &m);
			if (ret != 1)
				break;
			cls[nb] = q->ack_cls;
			out[nb++] = m;
			croom[q->ack_cls]--;
		}
		if (ret == 0) {
			q->owes_ctrl = false;
			h->ctrl[i] = h->ctrl[--h->nb_ctrl];
		} else {
			i++;
		}
	}
	/* Waiting QPs whose class has room again go back into the running. */
	i = 0;
	while (i < h->nb_blocked) {
		struct gen_qp *q = &h->qps[h->blocked[i]];

		if (droom[q->cls] == 0) {
			i++;
			continue;
		}
		q->blocked = false;
		gen_qp_schedule(h, h->blocked[i], now);
		h->blocked[i] = h->blocked[--h->nb_blocked];
	}
	while (nb < n && fab_heap_top(h->send_heap, &qi, &key) == 0 && key <= now) {
		struct gen_qp *q = &h->qps[qi];
		struct rte_mbuf *m;
		uint32_t pay;
		uint64_t rate;
		int ret;

		if (droom[q->cls] == 0) {
			fab_heap_remove(h->send_heap, qi);
			q->blocked = true;
			h->blocked[h->nb_blocked++] = qi;
			continue;
		}
		rate = fab_cc_rate(h->cc, q->cc, now);
		ret = fab_qp_tx_data(q->qp, now, &m, &pay);
		if (ret == 1) {
			cls[nb] = q->cls;
			out[nb++] = m;
			droom[q->cls]--;
			cc_event(h, q, FAB_CC_EV_TX, now, pay, 0, NULL);
			/* A QP that was held back (no room, paused) does not burst to catch up. */
			if (q->next_send + q->lag_cap_ps < now)
				q->next_send = now - q->lag_cap_ps;
			q->next_send += fab_wire_time_ps(rte_pktmbuf_pkt_len(m), rate);
			update_timer(h, qi);
			if (fab_qp_tx_ready(q->qp))
				fab_heap_set(h->send_heap, qi, q->next_send);
			else
				fab_heap_remove(h->send_heap, qi);
		} else if (ret == 0) {
			fab_heap_remove(h->send_heap, qi);
		} else {
			h->st.nombuf++;
			fab_heap_set(h->send_heap, qi, now + GEN_NOMBUF_RETRY_PS);
		}
	}
	h->st.tx_frames += nb;
	return nb;
}

uint64_t
fab_gen_next_event(const struct fab_gen *gen, uint32_t host, uint64_t now)
{
	const struct gen_host *h = &gen->hosts[host];
	uint64_t t = UINT64_MAX, key;

	if (h->next_start < h->nb_starts)
		t = h->start_key[h->next_start];
	if (fab_heap_top(h->send_heap, NULL, &key) == 0 && key < t)
		t = key;
	if (fab_heap_top(h->timer_heap, NULL, &key) == 0 && key < t)
		t = key;
	/* Left over by the last fab_gen_tx(): no room or no mbuf; look again soon. */
	if ((h->nb_ctrl != 0 || h->cnp_head != h->cnp_tail) && now + GEN_CTRL_RETRY_PS < t)
		t = now + GEN_CTRL_RETRY_PS;
	return t < now ? now : t;
}
