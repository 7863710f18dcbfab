/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * A host: one port, a source of constant-rate RoCEv2 flows (RDMA WRITE
 * packets with PSNs and valid ICRCs) and a sink that counts them.
 *
 * Its egress is a lib/sched scheduler at the host's line rate, paused by
 * the PFC frames the host receives (lib/pfc RX state), exactly as a switch
 * egress is: a host is a real peer that stops the paused priority. Sources
 * build a packet when their own pacing allows it and their class queue has
 * room (a NIC's back-pressure), so a paused class holds at most
 * queue_frames frames and its flows wait.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>

#include "fab_fabric_private.h"

/* RDMA WRITE messages are cut at 1 GiB (the RETH's DMA length is 32 bits). */
#define HOST_MAX_MESSAGE (UINT64_C(1) << 30)
/* Where each flow writes at the responder; any fixed value will do. */
#define HOST_REMOTE_VADDR UINT64_C(0x100000000)
/* A source that found the pool empty tries again this much later. */
#define HOST_NOMBUF_RETRY_PS UINT64_C(1000000)

/*
 * Sort key of a flow among those of one host (the other end's id): the order
 * never depends on handles, so neither on the order flows were added in.
 */
struct flow_order {
	uint64_t start_ps;
	uint32_t peer_id;
	uint32_t qpn;
	uint16_t sport;
	uint8_t dscp;
	uint8_t ecn;
	uint64_t bytes;
	uint64_t rate;
	uint32_t mtu;
	uint32_t flow;
};

static int
cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

static int
flow_order_cmp(const void *pa, const void *pb)
{
	const struct flow_order *a = pa, *b = pb;
	int c;

	if ((c = cmp_u64(a->start_ps, b->start_ps)) != 0 ||
			(c = cmp_u64(a->peer_id, b->peer_id)) != 0 ||
			(c = cmp_u64(a->qpn, b->qpn)) != 0 ||
			(c = cmp_u64(a->sport, b->sport)) != 0 ||
			(c = cmp_u64(a->dscp, b->dscp)) != 0 ||
			(c = cmp_u64(a->ecn, b->ecn)) != 0 ||
			(c = cmp_u64(a->bytes, b->bytes)) != 0 ||
			(c = cmp_u64(a->rate, b->rate)) != 0 ||
			(c = cmp_u64(a->mtu, b->mtu)) != 0)
		return c;
	return cmp_u64(a->flow, b->flow);
}

static int
rx_flow_cmp(const void *pa, const void *pb)
{
	const struct host_rx_flow *a = pa, *b = pb;

	return cmp_u64(a->qpn, b->qpn);
}

static struct flow_order
flow_order_of(const struct fab_fabric *fab, uint32_t handle, uint32_t peer)
{
	const struct fabric_flow *f = &fab->flows[handle];

	return (struct flow_order){
		.start_ps = f->conf.start_ps, .peer_id = fab->nodes[peer]->id,
		.qpn = f->conf.qpn, .sport = f->conf.udp_sport, .dscp = f->conf.dscp,
		.ecn = f->conf.ecn, .bytes = f->conf.bytes, .rate = f->conf.rate_bps,
		.mtu = f->mtu, .flow = handle,
	};
}

static int
cmp_u32(const void *pa, const void *pb)
{
	return cmp_u64(*(const uint32_t *)pa, *(const uint32_t *)pb);
}

/* QPNs for the flows that left theirs 0, per destination, skipping the given ones. */
int
fabric_assign_qpns(struct fab_fabric *fab)
{
	struct flow_order *order = calloc(fab->nb_flows + 1, sizeof(*order));
	uint32_t *used = calloc(fab->nb_flows + 1, sizeof(*used));
	uint32_t d, i;

	if (order == NULL || used == NULL) {
		free(order);
		free(used);
		return fabric_fail(fab, -ENOMEM, "out of memory");
	}
	for (d = 0; d < fab->nb_nodes; d++) {
		uint32_t nb_auto = 0, nb_used = 0, qpn = FAB_FABRIC_AUTO_QPN;

		for (i = 0; i < fab->nb_flows; i++) {
			const struct fabric_flow *f = &fab->flows[i];

			if (f->dst != d)
				continue;
			if (f->conf.qpn != 0)
				used[nb_used++] = f->conf.qpn;
			else
				order[nb_auto++] = flow_order_of(fab, i, f->src);
		}
		if (nb_auto != 0)
			qsort(order, nb_auto, sizeof(*order), flow_order_cmp);
		if (nb_used != 0)
			qsort(used, nb_used, sizeof(*used), cmp_u32);
		for (i = 0; i < nb_auto; i++, qpn++) {
			while (nb_used != 0 && bsearch(&qpn, used, nb_used, sizeof(*used), cmp_u32) != NULL)
				qpn++;
			if (qpn > FAB_QPN_MASK) {
				free(order);
				free(used);
				return fabric_fail(fab, -ERANGE, "host %s: out of QPNs",
					fab->nodes[d]->name);
			}
			fab->flows[order[i].flow].conf.qpn = qpn;
		}
	}
	free(order);
	free(used);
	return 0;
}

/* The largest frame a flow builds: WRITE FIRST (with RETH) at the full MTU. */
static uint32_t
flow_max_frame(const struct fabric_flow *f)
{
	uint64_t pay = RTE_MIN((uint64_t)f->mtu, f->total);

	return fab_pkt_roce_frame_len(&f->addr, FAB_OP_RC_WRITE_FIRST, (uint32_t)pay);
}

static void
flow_headers(struct fab_fabric *fab, const struct fabric_node *src, struct fabric_flow *f)
{
	const struct fabric_host *sh = src->host;
	const struct fabric_host *dh = fab->nodes[f->dst]->host;
	struct fab_roce_addr *a = &f->addr;

	memset(a, 0, sizeof(*a));
	a->src_mac = sh->conf.mac;
	/* Every frame goes to the peer on the host's one link (its gateway). */
	a->dst_mac = fab->nodes[src->ports[0].peer]->ports[src->ports[0].peer_port].mac;
	a->l3 = sh->conf.l3;
	a->src_ip = sh->conf.ip;
	a->dst_ip = dh->conf.ip;
	a->dscp = f->conf.dscp;
	a->ecn = f->conf.ecn;
	a->ttl = 64;
	/* RoCE NICs put entropy in the source port from the QP; keep it in the dynamic range. */
	a->udp_src_port = f->conf.udp_sport != 0 ? f->conf.udp_sport :
		(uint16_t)(0xc000 | (f->conf.qpn & 0x3fff));
}

/*
 * How long arrivals may wait for the host (fabric_host_rx_wake()): as long
 * as its link's ring can hold the smallest frames its peer could send
 * meanwhile, at the faster of the two ends' rates, beyond those on the
 * wire. Links are sized with room for 64 such frames at least; rounding to
 * a power of two usually leaves several times that.
 */
static uint64_t
host_rx_slack_ps(const struct fab_fabric *fab, const struct fabric_node *n)
{
	const struct fabric_port *fp = &n->ports[0];
	const struct fabric_port *peer = &fab->nodes[fp->peer]->ports[fp->peer_port];

	return fab_link_rx_slack_ps(fab->links[fp->link].link,
		RTE_MAX(fp->rate_bps, peer->rate_bps));
}

int
fabric_host_start(struct fab_fabric *fab, struct fabric_node *n)
{
	struct fabric_host *h = n->host;
	struct fab_sched_conf sc = {
		.name = n->name,
		.socket_id = fab->conf.socket_id,
		.rate_bps = h->conf.rate_bps,
	};
	struct fab_pfc_rx_conf rc = { .rate_bps = h->conf.rate_bps };
	struct flow_order *order = NULL;
	uint32_t i, k, cap = rte_align32pow2(RTE_MAX(h->queue_frames, 2u) +
		(fab->nb_jobs != 0 ? FABRIC_HOST_CTRL_ROOM : 0));
	int cls;

	for (cls = 0; cls < FAB_NUM_PRIO; cls++) {
		sc.cls[cls].capacity = cap;
		sc.cls[cls].weight = 1;
	}
	h->sched_cap = cap;
	h->rx_defer_ps = fab->conf.no_rx_deferral ? 0 : host_rx_slack_ps(fab, n);
	h->sched = fab_sched_create(&sc);
	h->pfc_rx = fab_pfc_rx_create(&rc);
	if (h->sched == NULL || h->pfc_rx == NULL)
		return fabric_fail(fab, -ENOMEM, "host %s: cannot create its egress", n->name);
	if (h->conf.seed != 0)
		fab_rng_seed(&h->rng, h->conf.seed);
	else
		fab_rng_seed_stream(&h->rng, fab->conf.seed, n->name_hash);

	/* Flows it sends, in an order set by their contents. */
	for (i = 0; i < fab->nb_flows; i++)
		if (fab->nodes[fab->flows[i].src] == n)
			h->nb_tx_flows++;
		else if (fab->nodes[fab->flows[i].dst] == n)
			h->nb_rx_flows++;
	if (h->nb_tx_flows != 0) {
		order = calloc(h->nb_tx_flows, sizeof(*order));
		h->tx_flows = calloc(h->nb_tx_flows, sizeof(*h->tx_flows));
		h->blocked = calloc(h->nb_tx_flows, sizeof(*h->blocked));
		h->flow_heap = fab_heap_create(h->nb_tx_flows);
		if (order == NULL || h->tx_flows == NULL || h->blocked == NULL ||
				h->flow_heap == NULL) {
			free(order);
			return fabric_fail(fab, -ENOMEM, "out of memory");
		}
	}
	if (h->nb_rx_flows != 0) {
		h->rx_flows = calloc(h->nb_rx_flows, sizeof(*h->rx_flows));
		if (h->rx_flows == NULL)
			return fabric_fail(fab, -ENOMEM, "out of memory");
	}
	h->nb_rx_flows = 0;
	for (i = 0, k = 0; i < fab->nb_flows; i++) {
		const struct fabric_flow *f = &fab->flows[i];

		if (fab->nodes[f->dst] == n)
			h->rx_flows[h->nb_rx_flows++] = (struct host_rx_flow){
				.qpn = f->conf.qpn, .flow = i };
		if (fab->nodes[f->src] != n)
			continue;
		order[k++] = flow_order_of(fab, i, f->dst);
	}
	if (h->nb_rx_flows > 1) {
		qsort(h->rx_flows, h->nb_rx_flows, sizeof(*h->rx_flows), rx_flow_cmp);
		for (i = 1; i < h->nb_rx_flows; i++)
			if (h->rx_flows[i].qpn == h->rx_flows[i - 1].qpn) {
				free(order);
				return fabric_fail(fab, -EINVAL,
					"host %s receives two flows on QPN %u", n->name,
					h->rx_flows[i].qpn);
			}
	}
	if (h->nb_tx_flows > 1)
		qsort(order, h->nb_tx_flows, sizeof(*order), flow_order_cmp);
	for (k = 0; k < h->nb_tx_flows; k++) {
		struct fabric_flow *f = &fab->flows[order[k].flow];

		h->tx_flows[k] = order[k].flow;
		f->local = k;
		f->cls = h->conf.dscp_to_class[f->conf.dscp & 63] & (FAB_NUM_PRIO - 1);
		f->pace_bps = f->conf.rate_bps == 0 || f->conf.rate_bps > h->conf.rate_bps ?
			h->conf.rate_bps : f->conf.rate_bps;
		flow_headers(fab, n, f);
		/* Without a template (it refuses what the builder would), frames take the builder. */
		f->has_tmpl = fab_pkt_zc_tmpl_init(&f->tmpl, &f->addr, f->conf.qpn, f->mtu) == 0;
		f->lag_cap_ps = (uint64_t)h->queue_frames * fab_wire_time_ps(flow_max_frame(f),
			f->pace_bps);
		f->psn0 = fab_rng_next(&h->rng) & FAB_PSN_MASK;
		f->psn = f->psn0;
		f->rx_psn = f->psn0;
		f->next_send = f->conf.start_ps;
		f->st.first_tx_ps = UINT64_MAX;
		f->st.first_rx_ps = UINT64_MAX;
		f->st.qpn = f->conf.qpn;
		fab_heap_push(h->flow_heap, k, f->next_send);
	}
	free(order);
	return 0;
}

/* Largest frame of the flows a host sends; 0 without flows (called before start). */
uint32_t
fabric_host_max_frame(struct fab_fabric *fab, const struct fabric_node *n)
{
	uint32_t i, max = 0;

	for (i = 0; i < fab->nb_flows; i++) {
		struct fabric_flow *f = &fab->flows[i];

		if (fab->nodes[f->src] != n)
			continue;
		flow_headers(fab, n, f);
		max = RTE_MAX(max, flow_max_frame(f));
	}
	return max;
}

void
fabric_host_free(struct fabric_host *h)
{
	if (h == NULL)
		return;
	fab_sched_free(h->sched);
	fab_pfc_rx_free(h->pfc_rx);
	fab_heap_free(h->flow_heap);
	free(h->tx_flows);
	free(h->blocked);
	free(h->rx_flows);
	free(h);
}

/* ------------------------------------------------------------------ */
/* Sink                                                                */
/* ------------------------------------------------------------------ */

static struct fabric_flow *
rx_flow(struct fab_fabric *fab, const struct fabric_host *h, uint32_t qpn)
{
	uint32_t lo = 0, hi = h->nb_rx_flows;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (h->rx_flows[mid].qpn < qpn)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < h->nb_rx_flows && h->rx_flows[lo].qpn == qpn)
		return &fab->flows[h->rx_flows[lo].flow];
	return NULL;
}

static void
sink_write(struct fab_fabric *fab, struct fabric_host *h, struct rte_mbuf *m,
		const struct fab_pkt_meta *mt, uint64_t arrival)
{
	struct fabric_flow *f = rx_flow(fab, h, mt->dest_qp);

	if (f == NULL) {
		h->st.rx_other++;
		return;
	}
	h->st.rx_data++;
	f->st.rx_frames++;
	f->st.rx_bytes += mt->payload_len;
	if (!h->conf.no_icrc_check && !fab_icrc_verify(m, mt)) {
		f->st.rx_icrc_bad++;
		h->st.rx_icrc_bad++;
	}
	if (mt->psn != f->rx_psn)
		f->st.rx_out_of_order++;
	f->rx_psn = (mt->psn + 1) & FAB_PSN_MASK;
	if (mt->ecn == 3)
		f->st.rx_ce++;
	if (f->st.first_rx_ps == UINT64_MAX)
		f->st.first_rx_ps = arrival;
	f->st.last_rx_ps = arrival;
	if (!f->st.done && f->st.rx_bytes >= f->total) {
		f->st.done = true;
		f->st.fct_ps = arrival - f->conf.start_ps;
	}
}

/* @p at: the frame's arrival, which may be before the host runs (fabric_host_rx_wake()). */
static void
pfc_received(struct fabric_host *h, struct rte_mbuf *m, const struct fab_pkt_meta *mt,
		uint64_t at)
{
	uint64_t until[FAB_NUM_PRIO];
	struct fab_pfc_frame pf;
	uint8_t changed = 0;
	int prio;

	h->st.pfc_frames++;
	if (mt->kind == FAB_PKT_KIND_MAC_CTRL || fab_pfc_decode(m, mt, &pf) != 0)
		return;
	if (pf.opcode == FAB_MAC_CTRL_PFC)
		for (prio = 0; prio < FAB_NUM_PRIO; prio++)
			if ((pf.enable >> prio) & 1)
				h->st.pfc_rx[prio]++;
	if (fab_pfc_rx_frame(h->pfc_rx, at, &pf, until, &changed) != 0)
		return;
	/* Priority n pauses egress class n, as on the switches. */
	for (prio = 0; prio < FAB_NUM_PRIO; prio++)
		if ((changed >> prio) & 1)
			fab_sched_pause(h->sched, (uint8_t)prio, at, until[prio]);
	if (changed == 0)
		return;
	/* A resume ends a pause early: the latest end of those now running. */
	h->pause_end = 0;
	for (prio = 0; prio < FAB_NUM_PRIO; prio++)
		h->pause_end = RTE_MAX(h->pause_end, until[prio]);
}

/*
 * Frames arrive one at a time, a transmit time apart, long in wall time:
 * start the next frame's chain now (its head came in at the previous
 * call), and the head of the one after it.
 */
static inline void
prefetch_next_arrivals(const struct fab_fabric *fab, const struct fabric_node *n)
{
	const struct fabric_port *fp = &n->ports[0];
	const struct fab_link *l = fab->links[fp->link].link;
	const struct rte_mbuf *next = fab_link_peek(l, fp->end, 0);

	if (next == NULL)
		return;
	fab_pkt_prefetch_zc(next);
	next = fab_link_peek(l, fp->end, 1);
	if (next != NULL)
		rte_prefetch0(next);
}

static void
host_rx(struct fab_fabric *fab, struct fabric_node *n, uint64_t now)
{
	struct fabric_host *h = n->host;
	struct rte_mbuf *pkts[FABRIC_BURST];
	uint64_t arr[FABRIC_BURST];
	uint16_t nb, i;

	do {
		nb = fab_port_rx_burst_ts(n->ports[0].port, now, pkts, arr, FABRIC_BURST);
		/* The ICRC check and the free walk each chain: fetch them all at once. */
		for (i = 0; i < nb; i++)
			fab_pkt_prefetch_zc(pkts[i]);
		if (nb < FABRIC_BURST)
			prefetch_next_arrivals(fab, n);
		for (i = 0; i < nb; i++) {
			struct rte_mbuf *m = pkts[i];
			struct fab_pkt_meta mt;
			int rc = fab_pkt_parse(m, &mt);

			if (rc == FAB_PKT_OK && (mt.kind == FAB_PKT_KIND_PFC ||
					mt.kind == FAB_PKT_KIND_PAUSE ||
					mt.kind == FAB_PKT_KIND_MAC_CTRL)) {
				pfc_received(h, m, &mt, arr[i]);
				rte_pktmbuf_free(m);
				continue;
			}
			h->st.rx_frames++;
			h->st.rx_bytes += rte_pktmbuf_pkt_len(m);
			if (rc != FAB_PKT_OK || mt.kind != FAB_PKT_KIND_ROCE)
				h->st.rx_other++;
			else if (n->gen_host != UINT32_MAX &&
					fab_gen_owns_qpn(fab->gen, n->gen_host, mt.dest_qp)) {
				if (mt.bth_opcode == FAB_OP_CNP)
					h->st.rx_cnp++;
				else if (mt.bth_opcode == FAB_OP_RC_ACK)
					h->st.rx_ack++;
				else
					h->st.rx_data++;
				fab_gen_rx(fab->gen, n->gen_host, now, m, &mt);
			} else if (mt.bth_opcode == FAB_OP_CNP)
				h->st.rx_cnp++;
			else if (mt.bth_opcode == FAB_OP_RC_ACK)
				h->st.rx_ack++;
			else if (mt.bth_opcode >= FAB_OP_RC_WRITE_FIRST &&
					mt.bth_opcode <= FAB_OP_RC_WRITE_ONLY_IMM)
				sink_write(fab, h, m, &mt, arr[i]);
			else
				h->st.rx_other++;
			rte_pktmbuf_free(m);
		}
	} while (nb == FABRIC_BURST);
}

/* ------------------------------------------------------------------ */
/* Source                                                              */
/* ------------------------------------------------------------------ */

/* Build the flow's next packet into its class queue: 0, or -ENOMEM (pool empty). */
static int
build_packet(struct fab_fabric *fab, struct fabric_host *h, struct fabric_flow *f,
		uint64_t now)
{
	uint64_t msg_off = f->sent % HOST_MAX_MESSAGE;
	uint64_t msg_len = RTE_MIN(HOST_MAX_MESSAGE, f->total - (f->sent - msg_off));
	uint32_t pay = (uint32_t)RTE_MIN((uint64_t)f->mtu, msg_len - msg_off);
	bool first = msg_off == 0, last = msg_off + pay == msg_len;
	struct fab_reth reth = {
		.vaddr = HOST_REMOTE_VADDR + (f->sent - msg_off),
		.rkey = f->conf.qpn,
		.dma_len = (uint32_t)msg_len,
	};
	enum fab_write_part part = first ? (last ? FAB_WRITE_ONLY : FAB_WRITE_FIRST) :
		(last ? FAB_WRITE_LAST : FAB_WRITE_MIDDLE);
	struct rte_mbuf *seg[2], *body, *m;
	int len;

	if (unlikely(rte_pktmbuf_alloc_bulk(fab->hdr_pool, seg, 2) != 0)) {
		h->st.nombuf++;
		return -ENOMEM;
	}
	body = rte_pktmbuf_alloc(fab->zero_pool);
	if (unlikely(body == NULL)) {
		rte_pktmbuf_free_bulk(seg, 2);
		h->st.nombuf++;
		return -ENOMEM;
	}
	/* The next frame's, whichever host builds it, come from the same caches. */
	fab_pkt_pool_prefetch_next(fab->hdr_pool, 2);
	fab_pkt_pool_prefetch_next(fab->zero_pool, 1);
	/* Headers and ICRC are all these mbufs hold: no headroom. */
	seg[0]->data_off = 0;
	seg[1]->data_off = 0;
	/* A message's full-size middle frames differ only in their PSN. */
	if (part == FAB_WRITE_MIDDLE && f->has_tmpl && pay == f->tmpl.payload_len)
		len = fab_pkt_build_write_middle_zc(&f->tmpl, seg[0], body, seg[1], f->psn);
	else
		len = fab_pkt_build_write_zc(seg[0], body, seg[1], &f->addr, part, f->conf.qpn,
			f->psn, last, &reth, pay);
	if (unlikely(len < 0)) {
		/* Sized at start from the flow's MTU: cannot happen. */
		rte_pktmbuf_free_bulk(seg, 2);
		rte_pktmbuf_free(body);
		h->st.nombuf++;
		return -ENOMEM;
	}
	m = seg[0];
	if (unlikely(fab_sched_enqueue(h->sched, f->cls, m, (uint32_t)len) != 0)) {
		/* Checked by the caller: cannot happen. */
		rte_pktmbuf_free(m);
		h->st.nombuf++;
		return -ENOMEM;
	}
	h->st.tx_frames++;
	h->st.tx_bytes += (uint32_t)len;
	f->st.tx_frames++;
	f->st.tx_bytes += pay;
	if (f->st.first_tx_ps == UINT64_MAX)
		f->st.first_tx_ps = now;
	f->st.last_tx_ps = now;
	f->sent += pay;
	f->psn = (f->psn + 1) & FAB_PSN_MASK;
	/* The source's own pacing; a source far behind (it was paused) does not burst. */
	if (f->next_send + f->lag_cap_ps < now)
		f->next_send = now - f->lag_cap_ps;
	f->next_send += fab_wire_time_ps((uint32_t)len, f->pace_bps);
	return 0;
}

/* Let every source whose time has come build packets while its class queue has room. */
static void
host_generate(struct fab_fabric *fab, struct fabric_host *h, uint64_t now)
{
	uint32_t local;
	uint64_t key;

	while (fab_heap_top(h->flow_heap, &local, &key) == 0 && key <= now) {
		struct fabric_flow *f = &fab->flows[h->tx_flows[local]];

		if (fab_sched_queue_pkts(h->sched, f->cls) >= h->queue_frames) {
			fab_heap_remove(h->flow_heap, local);
			h->blocked[h->nb_blocked++] = local;
			continue;
		}
		if (build_packet(fab, h, f, now) != 0) {
			fab_heap_set(h->flow_heap, local, now + HOST_NOMBUF_RETRY_PS);
			continue;
		}
		if (f->sent == f->total)
			fab_heap_remove(h->flow_heap, local);
		else
			fab_heap_set(h->flow_heap, local, f->next_send);
	}
}

/* Put back the waiting sources whose class queue has room again. */
static bool
host_unblock(struct fab_fabric *fab, struct fabric_host *h)
{
	uint32_t i = 0;
	bool any = false;

	while (i < h->nb_blocked) {
		uint32_t local = h->blocked[i];
		const struct fabric_flow *f = &fab->flows[h->tx_flows[local]];

		if (fab_sched_queue_pkts(h->sched, f->cls) >= h->queue_frames) {
			i++;
			continue;
		}
		fab_heap_set(h->flow_heap, local, f->next_send);
		h->blocked[i] = h->blocked[--h->nb_blocked];
		any = true;
	}
	return any;
}

static uint32_t
host_tx(struct fabric_node *n, uint64_t now)
{
	struct fabric_host *h = n->host;
	struct rte_mbuf *out[FABRIC_BURST];
	uint64_t done[FABRIC_BURST];
	uint32_t sent = 0;
	uint16_t nb;

	do {
		nb = fab_sched_dequeue_burst(h->sched, now, out, NULL, done, FABRIC_BURST);
		if (nb != 0)
			h->st.tx_wire_frames += fab_port_tx_burst(n->ports[0].port, done, out, nb);
		sent += nb;
	} while (nb == FABRIC_BURST);
	return sent;
}

/* Let the generator fill the room the egress has; returns the frames it gave. */
static uint32_t
host_gen_fill(struct fab_fabric *fab, struct fabric_node *n, uint64_t now)
{
	struct fabric_host *h = n->host;
	uint32_t droom[FAB_NUM_PRIO], croom[FAB_NUM_PRIO], total = 0;
	struct rte_mbuf *out[FABRIC_BURST];
	uint8_t cls[FABRIC_BURST];
	uint16_t nb, i;
	uint8_t c;

	do {
		for (c = 0; c < FAB_NUM_PRIO; c++) {
			uint32_t q = fab_sched_queue_pkts(h->sched, c);
			uint32_t cap = h->sched_cap;

			droom[c] = q < h->queue_frames ? h->queue_frames - q : 0;
			croom[c] = q < cap ? cap - q : 0;
		}
		nb = fab_gen_tx(fab->gen, n->gen_host, now, droom, croom, out, cls, FABRIC_BURST);
		for (i = 0; i < nb; i++) {
			uint32_t len = rte_pktmbuf_pkt_len(out[i]);

			if (unlikely(fab_sched_enqueue(h->sched, cls[i], out[i], len) != 0)) {
				/* The rooms above make this impossible; never lose it silently. */
				rte_pktmbuf_free(out[i]);
				h->st.nombuf++;
				continue;
			}
			h->st.tx_frames++;
			h->st.tx_bytes += len;
		}
		total += nb;
	} while (nb == FABRIC_BURST);
	return total;
}

void
fabric_host_poll(struct fab_fabric *fab, struct fabric_node *n, uint64_t now)
{
	struct fabric_host *h = n->host;

	uint32_t sent;

	host_rx(fab, n, now);
	if (n->gen_host != UINT32_MAX)
		fab_gen_poll(fab->gen, n->gen_host, now);
	/* Each round fills what the wire freed; it ends when no queue has room. */
	do {
		if (h->flow_heap != NULL)
			host_generate(fab, h, now);
		if (n->gen_host != UINT32_MAX)
			host_gen_fill(fab, n, now);
		if (n->replay != NULL)
			fabric_replay_fill(fab, n, now);
		sent = host_tx(n, now);
	} while ((h->nb_blocked != 0 && host_unblock(fab, h)) ||
			((n->gen_host != UINT32_MAX || n->replay != NULL) && sent != 0));
}

uint64_t
fabric_host_next_event(const struct fab_fabric *fab, const struct fabric_node *n,
		uint64_t now)
{
	const struct fabric_host *h = n->host;
	uint64_t rx = fab_port_next_rx_ps(n->ports[0].port);
	uint64_t t, key;

	t = fab_sched_next_event(h->sched, now);
	if (h->flow_heap != NULL && fab_heap_top(h->flow_heap, NULL, &key) == 0)
		t = RTE_MIN(t, key);
	if (n->gen_host != UINT32_MAX)
		t = RTE_MIN(t, fab_gen_next_event(h->gen, n->gen_host, now));
	if (n->replay != NULL)
		t = RTE_MIN(t, fabric_replay_next(n));
	if (rx < t)
		t = fabric_host_rx_wake(fab, n, rx, t);
	return t < now ? now : t;
}
