/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * Egress: PFC frames that are due, frames the shaper releases, buffer
 * release (which may resume a paused peer), marking at dequeue, the PFC
 * watchdog, and the transmit burst.
 */

#include <string.h>

#include "fab_switch_private.h"

void
sw_ecn_apply(struct fab_switch *sw, uint16_t out, struct rte_mbuf **m,
		const uint8_t *cls, const uint32_t *qbytes, uint16_t n)
{
	struct sw_port *op = &sw->ports[out];
	uint8_t mark[FAB_SWITCH_BURST];
	uint16_t i;

	sw->ecn_ops->decide(op->ecn_state, cls, qbytes, n, mark);
	for (i = 0; i < n; i++) {
		struct sw_mbuf_meta *sm;
		struct fab_pkt_meta mt;

		if (!mark[i])
			continue;
		sm = sw_meta(m[i]);
		memset(&mt, 0, sizeof(mt));
		mt.l3 = sm->l3;
		mt.l3_off = sm->l3_off;
		mt.dscp = sm->tos >> 2;
		mt.ecn = sm->tos & 3;
		if (fab_pkt_mark_ce(m[i], &mt) == 1) {
			sm->tos |= 3;
			op->st.ecn_marked++;
		}
	}
}

static void
send_pfc(struct fab_switch *sw, uint16_t p, uint64_t now)
{
	struct sw_port *sp = &sw->ports[p];
	uint16_t quanta[FAB_NUM_PRIO];
	struct rte_mbuf *m;
	uint8_t enable;
	bool due;
	int prio;

	/* Nothing due (or no sender): the sender's state is not even read. */
	if (sw->pfc_due[p] > now)
		return;
	due = fab_pfc_tx_poll(sp->pfc_tx, now, &enable, quanta);
	sw_pfc_due_update(sw, p);
	if (!due)
		return;
	m = rte_pktmbuf_alloc(sw->ctrl_pool);
	if (unlikely(m == NULL)) {
		/* The state machine will refresh; say loudly that this one was lost. */
		sp->st.drops++;
		sp->st.drop[FAB_SW_DROP_RX_NOMBUF]++;
		return;
	}
	fab_pfc_build(rte_pktmbuf_mtod(m, void *), rte_pktmbuf_tailroom(m), &sp->mac,
		enable, quanta);
	rte_pktmbuf_append(m, FAB_PFC_FRAME_LEN);
	if (fab_sched_push_ctrl(sp->sched, m) != 0) {
		rte_pktmbuf_free(m);
		return;
	}
	for (prio = 0; prio < FAB_NUM_PRIO; prio++) {
		if (!((enable >> prio) & 1))
			continue;
		sp->st.pfc_tx[prio]++;
		if (quanta[prio] != 0)
			sp->st.pfc_tx_xoff[prio]++;
	}
}

static void
watchdog(struct fab_switch *sw, struct sw_port *sp, uint64_t now)
{
	struct fab_sched_stats ss;
	int cls;

	if (!sw->wd_enabled || sp->pfc_rx == NULL)
		return;
	fab_sched_stats(sp->sched, now, &ss);
	for (cls = 0; cls < FAB_NUM_PRIO; cls++) {
		struct fab_pfc_wd_sample s;
		enum fab_pfc_wd_event ev;
		uint8_t bit = (uint8_t)(1u << cls);

		if (!((sw->lossless_mask >> cls) & 1))
			continue;
		s.paused_since = fab_pfc_rx_paused_since(sp->pfc_rx, (uint8_t)cls, now);
		s.last_pause_rx = fab_pfc_rx_last_pause(sp->pfc_rx, (uint8_t)cls);
		s.queue_nonempty = ss.cls[cls].queued_pkts != 0;
		s.tx_progress = ss.cls[cls].deq_pkts != sp->wd_deq[cls];
		sp->wd_deq[cls] = ss.cls[cls].deq_pkts;
		if (s.queue_nonempty && !(sp->wd_busy & bit) && !sp->wd[cls].stormed) {
			/*
			 * Empty at the previous sample, so it filled at this poll: in
			 * virtual time samples come only at events, and the watchdog
			 * would date the stall back to that earlier sample. Tell it
			 * nothing was stuck until now.
			 */
			struct fab_pfc_wd_sample idle = s;

			idle.paused_since = FAB_PFC_NEVER;
			fab_pfc_wd_update(&sp->wd[cls], &sw->wd_conf, now, &idle);
		}
		sp->wd_busy = (uint8_t)(s.queue_nonempty ? sp->wd_busy | bit :
			sp->wd_busy & ~bit);
		ev = fab_pfc_wd_update(&sp->wd[cls], &sw->wd_conf, now, &s);
		if (ev == FAB_PFC_WD_DETECTED) {
			sp->st.pfc_wd_storms++;
			SW_LOG(WARNING, "%s: PFC storm on class %d\n", fab_port_name(sp->port), cls);
			if (sw->wd_conf.action == FAB_PFC_WD_ALERT)
				continue;
			sp->wd_ignore |= bit;
			if (sw->wd_conf.action == FAB_PFC_WD_DROP)
				sp->wd_drop |= bit;
			fab_sched_pause(sp->sched, (uint8_t)cls, now, now);
		} else if (ev == FAB_PFC_WD_RESTORED) {
			SW_LOG(INFO, "%s: PFC storm over on class %d\n", fab_port_name(sp->port),
				cls);
			sp->wd_ignore &= (uint8_t)~bit;
			sp->wd_drop &= (uint8_t)~bit;
		}
	}
}

/*
 * Give back the buffer of @p n frames of one (ingress port, group) leaving
 * class @p cls of port @p out: at once, or one by one when the MMU finds an
 * error in the whole (which the single releases then count).
 */
static void
release_run(struct fab_switch *sw, uint16_t out, uint16_t in, uint8_t pg, uint8_t cls,
		const uint32_t *len, uint16_t n, uint64_t bytes, uint64_t now)
{
	struct fab_mmu_event ev;
	uint16_t k;

	if (likely(fab_mmu_release_run(sw->mmu, in, pg, out, cls, bytes, &ev) == 0)) {
		sw_mmu_event(sw, &ev, now);
		return;
	}
	for (k = 0; k < n; k++) {
		fab_mmu_release(sw->mmu, in, pg, out, cls, len[k], &ev);
		sw_mmu_event(sw, &ev, now);
	}
}

void
sw_eg_due_update(struct fab_switch *sw, uint16_t p, uint64_t now)
{
	const struct sw_port *sp = &sw->ports[p];
	uint64_t t = fab_sched_is_empty(sp->sched) ? UINT64_MAX :
		fab_sched_next_event(sp->sched, now);

	t = RTE_MIN(t, sw->pfc_due[p]);
	sw->eg_due[p] = t;
}

unsigned int
sw_egress(struct fab_switch *sw, uint16_t p, uint64_t now)
{
	struct sw_port *sp = &sw->ports[p];
	const bool mark = sw->mark_at_dequeue && sp->ecn_state != NULL;
	unsigned int done = 0;
	uint16_t n;

	send_pfc(sw, p, now);
	watchdog(sw, sp, now);
	do {
		struct rte_mbuf *out[FAB_SWITCH_BURST], *ecn_m[FAB_SWITCH_BURST];
		uint64_t tx_done[FAB_SWITCH_BURST], later[FAB_NUM_PRIO] = { 0 };
		uint32_t ecn_q[FAB_SWITCH_BURST], len[FAB_SWITCH_BURST], tag[FAB_SWITCH_BURST];
		uint8_t ocls[FAB_SWITCH_BURST], ecn_cls[FAB_SWITCH_BURST];
		uint16_t i, run_end, nsend = 0, necn = 0;
		uint64_t sent_bytes = 0;

		/* Lengths and ingress tags come from the queue: no mbuf is read here. */
		n = fab_sched_dequeue_burst_tagged(sp->sched, now, out, ocls, tx_done, len, tag,
			FAB_SWITCH_BURST);
		/* Marking at dequeue sees the bytes of its class that leave after it. */
		if (mark)
			for (i = 0; i < n; i++)
				if (ocls[i] != FAB_SCHED_CLS_CTRL)
					later[ocls[i]] += len[i];
		for (i = 0; i < n; i = run_end) {
			uint8_t cls = ocls[i];
			uint64_t bytes = len[i];
			uint16_t k;

			run_end = i + 1;
			if (cls == FAB_SCHED_CLS_CTRL) {
				sp->st.tx_pkts++;
				sent_bytes += len[i];
				sp->st.tx_ctrl_pkts++;
				tx_done[nsend] = tx_done[i];
				out[nsend++] = out[i];
				continue;
			}
			/* A run from one ingress group leaves the buffer at once. */
			while (run_end < n && ocls[run_end] == cls && tag[run_end] == tag[i])
				bytes += len[run_end++];
			release_run(sw, p, sw_tag_port(tag[i]), sw_tag_pg(tag[i]), cls, &len[i],
				(uint16_t)(run_end - i), bytes, now);
			if (likely(!mark && !((sp->wd_drop >> cls) & 1))) {
				/* Every frame of the run leaves as it is: count, and keep the order. */
				sp->st.tx_pkts += run_end - i;
				sent_bytes += bytes;
				if (nsend == i) {
					nsend = run_end;
				} else {
					/* Something before it was dropped: close the gap. */
					for (k = i; k < run_end; k++) {
						tx_done[nsend] = tx_done[k];
						out[nsend++] = out[k];
					}
				}
				continue;
			}
			for (k = i; k < run_end; k++) {
				struct rte_mbuf *m = out[k];
				const struct sw_mbuf_meta *sm = sw_meta(m);

				later[cls] -= len[k];
				if (unlikely((sp->wd_drop >> cls) & 1)) {
					sw_count_drop(sp, FAB_SW_DROP_PFC_WATCHDOG);
					rte_pktmbuf_free(m);
					continue;
				}
				sp->st.tx_pkts++;
				sent_bytes += len[k];
				if (mark && sw_is_ect(sm->tos & 3)) {
					/* The queue the frame leaves behind, as the HPCC simulator marks. */
					uint64_t q = fab_sched_queue_bytes(sp->sched, cls) + later[cls];

					if (q > sp->ecn_quiet[cls]) {
						ecn_m[necn] = m;
						ecn_cls[necn] = cls;
						ecn_q[necn++] = (uint32_t)RTE_MIN(q, (uint64_t)UINT32_MAX);
					}
				}
				tx_done[nsend] = tx_done[k];
				out[nsend++] = m;
			}
		}
		if (necn != 0)
			sw_ecn_apply(sw, p, ecn_m, ecn_cls, ecn_q, necn);
		sp->st.tx_bytes += sent_bytes;
		if (nsend != 0)
			fab_port_tx_burst_bytes(sp->port, tx_done, out, nsend, sent_bytes);
		done += n;
		/* A full burst that emptied the queues needs no second, empty call. */
	} while (n == FAB_SWITCH_BURST && !fab_sched_is_empty(sp->sched));
	sw_eg_due_update(sw, p, now);
	return done;
}
