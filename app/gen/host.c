/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * A local host's NIC, as the fabric's hosts drive lib/gen: frames received
 * go to its PFC state (pausing its egress classes) or to the generator's
 * QPs; the generator fills the egress (a lib/sched at line rate) while it
 * has room; what the scheduler releases goes to the wire (the mode's tx).
 */

#include <errno.h>
#include <stdlib.h>

#include <rte_errno.h>

#include "gen_app.h"

int
gen_host_start(struct gen_app *a, struct gen_host *h)
{
	const struct fab_gen_host_conf *hc = &a->conf.hosts[h->idx].conf;
	struct fab_sched_conf sc = {
		.name = hc->name,
		.socket_id = (int)rte_socket_id(),
		.rate_bps = hc->rate_bps,
	};
	struct fab_pfc_rx_conf rc = { .rate_bps = hc->rate_bps };
	int cls;

	h->sched_cap = rte_align32pow2(GEN_HOST_QUEUE + GEN_HOST_CTRL_ROOM);
	for (cls = 0; cls < FAB_NUM_PRIO; cls++) {
		sc.cls[cls].capacity = h->sched_cap;
		sc.cls[cls].weight = 1;
	}
	h->name = hc->name;
	h->sched = fab_sched_create(&sc);
	h->pfc_rx = fab_pfc_rx_create(&rc);
	if (h->sched == NULL || h->pfc_rx == NULL) {
		fprintf(stderr, GEN_PROG ": host %s: cannot create its egress: %s\n", hc->name,
			rte_strerror(rte_errno));
		return -1;
	}
	return 0;
}

void
gen_host_free(struct gen_host *h)
{
	struct rte_mbuf *out[GEN_BURST];
	uint16_t nb;

	if (h == NULL || h->sched == NULL)
		return;
	/* Frames still queued: let them all out at the end of time and free them. */
	do {
		nb = fab_sched_dequeue_burst(h->sched, UINT64_MAX / 2, out, NULL, NULL, GEN_BURST);
		rte_pktmbuf_free_bulk(out, nb);
	} while (nb != 0);
	fab_sched_free(h->sched);
	fab_pfc_rx_free(h->pfc_rx);
	h->sched = NULL;
	h->pfc_rx = NULL;
}

static void
pfc_received(struct gen_host *h, struct rte_mbuf *m, const struct fab_pkt_meta *mt,
		uint64_t now)
{
	uint64_t until[FAB_NUM_PRIO];
	struct fab_pfc_frame pf;
	uint8_t changed = 0;
	int prio;

	h->st.rx_pfc++;
	if (mt->kind == FAB_PKT_KIND_MAC_CTRL || fab_pfc_decode(m, mt, &pf) != 0)
		return;
	if (fab_pfc_rx_frame(h->pfc_rx, now, &pf, until, &changed) != 0)
		return;
	/* Priority n pauses egress class n, as on the switches. */
	for (prio = 0; prio < FAB_NUM_PRIO; prio++)
		if ((changed >> prio) & 1)
			fab_sched_pause(h->sched, (uint8_t)prio, now, until[prio]);
}

void
gen_host_rx_frame(struct gen_app *a, struct gen_host *h, struct rte_mbuf *m, uint64_t now)
{
	struct fab_pkt_meta mt;
	int rc = fab_pkt_parse(m, &mt);

	h->st.rx_frames++;
	h->st.rx_bytes += rte_pktmbuf_pkt_len(m);
	if (rc == FAB_PKT_OK && (mt.kind == FAB_PKT_KIND_PFC || mt.kind == FAB_PKT_KIND_PAUSE ||
			mt.kind == FAB_PKT_KIND_MAC_CTRL))
		pfc_received(h, m, &mt, now);
	else if (rc == FAB_PKT_OK && mt.kind == FAB_PKT_KIND_ROCE &&
			fab_gen_owns_qpn(a->gen, h->idx, mt.dest_qp))
		fab_gen_rx(a->gen, h->idx, now, m, &mt);
	else
		h->st.rx_other++;
	rte_pktmbuf_free(m);
}

/* Let the generator fill the room the egress has; returns the frames it gave. */
static uint32_t
gen_fill(struct gen_app *a, struct gen_host *h, uint64_t now)
{
	uint32_t droom[FAB_NUM_PRIO], croom[FAB_NUM_PRIO], total = 0;
	struct rte_mbuf *out[GEN_BURST];
	uint8_t cls[GEN_BURST];
	uint16_t nb, i;
	uint8_t c;

	do {
		for (c = 0; c < FAB_NUM_PRIO; c++) {
			uint32_t q = fab_sched_queue_pkts(h->sched, c);

			droom[c] = q < GEN_HOST_QUEUE ? GEN_HOST_QUEUE - q : 0;
			croom[c] = q < h->sched_cap ? h->sched_cap - q : 0;
		}
		nb = fab_gen_tx(a->gen, h->idx, now, droom, croom, out, cls, GEN_BURST);
		for (i = 0; i < nb; i++) {
			uint32_t len = rte_pktmbuf_pkt_len(out[i]);

			if (unlikely(fab_sched_enqueue(h->sched, cls[i], out[i], len) != 0)) {
				/* The rooms above make this impossible; never lose it silently. */
				rte_pktmbuf_free(out[i]);
				h->st.tx_lost++;
			}
		}
		total += nb;
	} while (nb == GEN_BURST);
	return total;
}

static uint32_t
host_tx(struct gen_app *a, struct gen_host *h, uint64_t now)
{
	struct rte_mbuf *out[GEN_BURST];
	uint64_t done[GEN_BURST];
	uint32_t sent = 0;
	uint16_t nb, i, took;

	do {
		nb = fab_sched_dequeue_burst(h->sched, now, out, NULL, done, GEN_BURST);
		if (nb == 0)
			break;
		for (i = 0; i < nb; i++)
			h->st.tx_bytes += rte_pktmbuf_pkt_len(out[i]);
		took = a->tx(a, h, out, done, nb);
		h->st.tx_frames += nb;
		h->st.tx_lost += (uint16_t)(nb - took);
		sent += nb;
	} while (nb == GEN_BURST);
	return sent;
}

/* What is due at @p now: timers and starts, then fill and drain the egress until quiet. */
uint32_t
gen_host_step(struct gen_app *a, struct gen_host *h, uint64_t now)
{
	uint32_t work = 0, sent;

	fab_gen_poll(a->gen, h->idx, now);
	do {
		work += gen_fill(a, h, now);
		sent = host_tx(a, h, now);
		work += sent;
	} while (sent != 0);
	return work;
}

uint64_t
gen_host_next_event(const struct gen_app *a, const struct gen_host *h, uint64_t now)
{
	uint64_t t = fab_sched_next_event(h->sched, now);

	t = RTE_MIN(t, fab_gen_next_event(a->gen, h->idx, now));
	return t < now ? now : t;
}

/* Nothing queued, nothing owed now. */
bool
gen_host_idle(const struct gen_app *a, const struct gen_host *h, uint64_t now)
{
	return fab_sched_is_empty(h->sched) && fab_gen_next_event(a->gen, h->idx, now) > now;
}
