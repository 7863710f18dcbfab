/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * Ingress: parse, consume MAC control, classify, route (one bulk lookup per
 * address family), balance (one plugin call per burst), rewrite, admit to the
 * buffer, enqueue, and mark at enqueue (one plugin call per egress port).
 */

#include <netinet/in.h>

#include "fab_switch_private.h"

static inline uint8_t
classify(const struct fab_switch *sw, const struct sw_port *sp,
		const struct fab_pkt_meta *mt)
{
	/* CNPs go to their own (strict) class whatever they are marked with. */
	if (mt->kind == FAB_PKT_KIND_ROCE && mt->bth_opcode == FAB_OP_CNP)
		return sw->cnp_class;
	if (sp->trust == FAB_CONF_TRUST_PCP)
		return sw->pcp_to_class[mt->pcp & 7];
	return sw->dscp_to_class[mt->dscp & 63];
}

static void
hold_input(struct sw_port *sp, uint64_t now)
{
	if (sp->held)
		return;
	sp->held = true;
	sp->held_since = now;
	fab_port_rx_hold(sp->port, UINT64_MAX);
}

static void
release_input(struct sw_port *sp, uint64_t now)
{
	if (!sp->held)
		return;
	sp->held = false;
	sp->st.rx_held_ps += now - sp->held_since;
	/* The backlog then arrives at line rate from now, as from a real NIC. */
	fab_port_rx_hold(sp->port, now);
}

void
sw_mmu_event_slow(struct fab_switch *sw, const struct fab_mmu_event *ev, uint64_t now)
{
	struct sw_port *sp;
	int prio;

	sp = &sw->ports[ev->port];
	if (sp->pfc_tx == NULL)
		return;
	sw_eg_touch(sw, ev->port);
	for (prio = 0; prio < FAB_NUM_PRIO; prio++) {
		if (!((ev->prio_mask >> prio) & 1))
			continue;
		if (ev->xoff)
			fab_pfc_tx_xoff(sp->pfc_tx, (uint8_t)prio, now);
		else
			fab_pfc_tx_xon(sp->pfc_tx, (uint8_t)prio, now);
	}
	sw_pfc_due_update(sw, ev->port);
	if (!sp->passive)
		return;
	if (ev->xoff) {
		hold_input(sp, now);
	} else {
		for (prio = 0; prio < FAB_NUM_PRIO; prio++)
			if (fab_pfc_tx_is_xoff(sp->pfc_tx, (uint8_t)prio))
				return;
		release_input(sp, now);
	}
}

static void
pfc_received(struct fab_switch *sw, uint16_t in, struct rte_mbuf *m,
		const struct fab_pkt_meta *mt, uint64_t now)
{
	struct sw_port *sp = &sw->ports[in];
	uint64_t until[FAB_NUM_PRIO];
	struct fab_pfc_frame f;
	uint8_t changed = 0;
	int prio;

	if (fab_pfc_decode(m, mt, &f) != 0)
		return;
	if (f.opcode == FAB_MAC_CTRL_PAUSE) {
		sp->st.pause_rx++;
	} else {
		for (prio = 0; prio < FAB_NUM_PRIO; prio++)
			if ((f.enable >> prio) & 1)
				sp->st.pfc_rx[prio]++;
	}
	if (fab_pfc_rx_frame(sp->pfc_rx, now, &f, until, &changed) != 0)
		return;
	changed &= (uint8_t)~sp->wd_ignore;
	for (prio = 0; prio < FAB_NUM_PRIO; prio++)
		if ((changed >> prio) & 1)
			fab_sched_pause(sp->sched, (uint8_t)prio, now, until[prio]);
	if (changed != 0)
		sw_eg_touch(sw, in);
}

static inline void
drop(struct sw_port *sp, enum fab_switch_drop why, struct rte_mbuf *m)
{
	sw_count_drop(sp, why);
	rte_pktmbuf_free(m);
}

/*
 * A next hop as one little-endian word: the egress port in bits 0-15, the
 * neighbour's MAC in bits 16-63 (struct fab_nexthop's own layout).
 */
_Static_assert(sizeof(struct fab_nexthop) == 8 &&
	offsetof(struct fab_nexthop, port) == 0 &&
	offsetof(struct fab_nexthop, dst_mac) == 2, "next hop as a word");
#if RTE_BYTE_ORDER != RTE_LITTLE_ENDIAN
#error "the MAC rewrite reads next hops as little-endian words"
#endif

/* The source MAC of an egress port, split as the rewrite stores it. */
struct sw_src_mac {
	uint64_t first2;   /* bytes 0-1, in bits 48-63 */
	uint32_t last4;    /* bytes 2-5 */
};

static inline struct sw_src_mac
src_mac_words(const struct rte_ether_addr *mac)
{
	struct sw_src_mac s;
	uint16_t first2;

	memcpy(&first2, mac->addr_bytes, 2);
	memcpy(&s.last4, mac->addr_bytes + 2, 4);
	s.first2 = (uint64_t)first2 << 48;
	return s;
}

/* Destination and source MACs, twelve bytes, in two stores. */
static inline void
rewrite_macs(struct rte_mbuf *m, uint64_t nexthop, const struct sw_src_mac *src)
{
	uint8_t *eth = rte_pktmbuf_mtod(m, uint8_t *);
	uint64_t w = nexthop >> 16 | src->first2;

	memcpy(eth, &w, 8);
	memcpy(eth + 8, &src->last4, 4);
}

static enum fab_switch_drop
mmu_drop_reason(enum fab_mmu_verdict v)
{
	switch (v) {
	case FAB_MMU_DROP_HEADROOM:
		return FAB_SW_DROP_MMU_HEADROOM;
	case FAB_MMU_DROP_EGRESS:
		return FAB_SW_DROP_MMU_EGRESS;
	default:
		return FAB_SW_DROP_MMU_INGRESS;
	}
}

/* What marking the frame needs later, written in one store. */
static inline void
set_sw_meta(struct rte_mbuf *m, const struct fab_pkt_meta *mt)
{
	*sw_meta(m) = (struct sw_mbuf_meta){
		.l3_off = mt->l3_off,
		.l3 = mt->l3,
		.tos = (uint8_t)(mt->dscp << 2 | mt->ecn),
	};
}

/*
 * Queue one frame the MMU admitted; returns the class's depth before it, or
 * -1 if the class ring was full (the frame is then released and dropped).
 */
static int64_t
enqueue_admitted(struct fab_switch *sw, uint16_t in, uint16_t out, uint8_t cls,
		struct rte_mbuf *m, const struct fab_pkt_meta *mt, uint64_t now)
{
	struct sw_port *ip = &sw->ports[in], *op = &sw->ports[out];
	uint32_t len = mt->pkt_len;
	uint8_t pg = ip->pg_of[cls];
	uint64_t before;

	set_sw_meta(m, mt);
	sw_eg_touch(sw, out);
	before = fab_sched_queue_bytes(op->sched, cls);
	if (unlikely(fab_sched_enqueue_tagged(op->sched, cls, m, len, sw_tag(in, pg)) != 0)) {
		struct fab_mmu_event ev = { 0 };

		fab_mmu_release(sw->mmu, in, pg, out, cls, len, &ev);
		sw_mmu_event(sw, &ev, now);
		drop(op, FAB_SW_DROP_QUEUE_FULL, m);
		return -1;
	}
	ip->st.fwd_pkts++;
	return (int64_t)before;
}

/* Admit and enqueue one routed frame; returns its queue depth before it, or -1 if dropped. */
static int64_t
admit_enqueue(struct fab_switch *sw, uint16_t in, uint16_t out, uint8_t cls,
		struct rte_mbuf *m, const struct fab_pkt_meta *mt, uint64_t now)
{
	struct sw_port *ip = &sw->ports[in], *op = &sw->ports[out];
	uint8_t pg = ip->pg_of[cls];
	struct fab_mmu_event ev = { 0 };
	enum fab_mmu_verdict v;

	v = fab_mmu_admit(sw->mmu, in, pg, out, cls, mt->pkt_len, &ev);
	sw_mmu_event(sw, &ev, now);
	if (v != FAB_MMU_ADMIT) {
		enum fab_switch_drop why = mmu_drop_reason(v);

		/* Queue drops count where the queue is, buffer drops where the frame came in. */
		drop(why == FAB_SW_DROP_MMU_EGRESS ? op : ip, why, m);
		if (ev.xoff) {
			/*
			 * The frame that raised XOFF is gone: if its group holds
			 * nothing, no release will ever bring XON, and a passive
			 * peer would be held (and refreshed) forever.
			 */
			memset(&ev, 0, sizeof(ev));
			if (fab_mmu_check_xon(sw->mmu, in, pg, &ev) == 1)
				sw_mmu_event(sw, &ev, now);
		}
		return -1;
	}
	return enqueue_admitted(sw, in, out, cls, m, mt, now);
}

/* A burst on its way through ingress: the frames kept so far and what is known of them. */
struct sw_burst {
	uint16_t n;                                  /* frames kept */
	uint16_t n6;                                 /* of which IPv6 */
	struct rte_mbuf *m[FAB_SWITCH_BURST];        /* NULL once dropped */
	uint32_t dst4[FAB_SWITCH_BURST];             /* IPv4 destination, host order */
	struct fab_pkt_meta meta[FAB_SWITCH_BURST];
	uint8_t cls[FAB_SWITCH_BURST];
	uint16_t out[FAB_SWITCH_BURST];
	/* Egress queue (port and class) in one word, so runs are found by one compare. */
	uint32_t queue[FAB_SWITCH_BURST];
	uint64_t nexthop[FAB_SWITCH_BURST];          /* struct fab_nexthop as a word */
	uint32_t len[FAB_SWITCH_BURST];
};

/* sw_burst.queue of a frame that was dropped: matches no queue. */
#define SW_QUEUE_NONE UINT32_MAX

/* ECT frames waiting for the ECN plugin's decision. */
struct sw_ecn_batch {
	uint16_t n;
	bool one_port;                               /* all for out[0] */
	struct rte_mbuf *m[FAB_SWITCH_BURST];
	uint8_t cls[FAB_SWITCH_BURST];
	uint32_t qbytes[FAB_SWITCH_BURST];
	uint16_t out[FAB_SWITCH_BURST];
};

static inline void
ecn_batch_add(struct sw_ecn_batch *e, struct rte_mbuf *m, uint8_t cls, uint64_t qbytes,
		uint16_t out)
{
	e->one_port &= e->n == 0 || e->out[0] == out;
	e->m[e->n] = m;
	e->cls[e->n] = cls;
	e->qbytes[e->n] = (uint32_t)RTE_MIN(qbytes, (uint64_t)UINT32_MAX);
	e->out[e->n++] = out;
}

/* One decision call per egress port for the batch. */
static void
ecn_batch_apply(struct fab_switch *sw, struct sw_ecn_batch *e)
{
	uint16_t k;

	if (e->n != 0 && e->one_port) {
		/* All for one port, as in a leaf's uplink burst: no regrouping. */
		sw_ecn_apply(sw, e->out[0], e->m, e->cls, e->qbytes, e->n);
		return;
	}
	while (e->n != 0) {
		uint16_t out = e->out[0], j = 0, rest = 0;
		struct rte_mbuf *gm[FAB_SWITCH_BURST];
		uint8_t gc[FAB_SWITCH_BURST];
		uint32_t gq[FAB_SWITCH_BURST];

		for (k = 0; k < e->n; k++) {
			if (e->out[k] == out) {
				gm[j] = e->m[k];
				gc[j] = e->cls[k];
				gq[j++] = e->qbytes[k];
			} else {
				e->m[rest] = e->m[k];
				e->cls[rest] = e->cls[k];
				e->qbytes[rest] = e->qbytes[k];
				e->out[rest++] = e->out[k];
			}
		}
		sw_ecn_apply(sw, out, gm, gc, gq, j);
		e->n = rest;
	}
}

/*
 * Parse, consume MAC control, check and classify each received frame;
 * the routable ones are kept in @p b.
 */
static void
parse_burst(struct fab_switch *sw, uint16_t in, struct rte_mbuf **pkts, uint16_t n,
		uint64_t now, struct sw_burst *b)
{
	struct sw_port *sp = &sw->ports[in];
	uint16_t i, kept = 0, n6 = 0;

	sp->st.rx_pkts += n;
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		struct fab_pkt_meta *mt = &b->meta[kept];
		int rc;

		if (i + 2 < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + 2], void *));
		sp->st.rx_bytes += rte_pktmbuf_pkt_len(m);
		/* The TTL too, while the header is in registers: a frame dropped later is freed unseen. */
		rc = fab_pkt_parse_fwd(m, mt);
		if (unlikely(rc != FAB_PKT_OK)) {
			sp->st.drop_parse[rc]++;
			sp->st.drops++;
			rte_pktmbuf_free(m);
			continue;
		}
		/* Routable (RoCEv2 or other IP) in one test; the rest one by one. */
		RTE_BUILD_BUG_ON(FAB_PKT_KIND_ROCE != FAB_PKT_KIND_IP + 1);
		if (unlikely((unsigned int)mt->kind - FAB_PKT_KIND_IP > 1)) {
			switch (mt->kind) {
			case FAB_PKT_KIND_PFC:
			case FAB_PKT_KIND_PAUSE:
				/* Never forwarded, never in the buffer. */
				pfc_received(sw, in, m, mt, now);
				/* fall through */
			case FAB_PKT_KIND_MAC_CTRL:
				sp->st.consumed_pkts++;
				rte_pktmbuf_free(m);
				break;
			default:
				drop(sp, FAB_SW_DROP_NOT_IP, m);
				break;
			}
			continue;
		}
		if (unlikely(mt->l3_end - mt->l3_off > sw->mtu)) {
			drop(sp, FAB_SW_DROP_OVERSIZE, m);
			continue;
		}
		if (unlikely(mt->flags & FAB_PKT_F_TTL_EXPIRED)) {
			drop(sp, FAB_SW_DROP_TTL, m);
			continue;
		}
		/* The lookup key, while the record is at hand. */
		b->dst4[kept] = rte_be_to_cpu_32(mt->key.dst.v4);
		n6 += mt->l3 != FAB_L3_IPV4;
		b->cls[kept] = classify(sw, sp, mt);
		b->m[kept++] = m;
	}
	b->n = kept;
	b->n6 = n6;
}

/* Where frame @p k of the burst goes: next hop @p id's port and MAC. */
static inline void
set_nexthop(const struct fab_nexthop *nht, struct sw_burst *b, uint16_t k, uint32_t id)
{
	const struct fab_nexthop *nh = &nht[id];

	memcpy(&b->nexthop[k], nh, sizeof(*nh));
	b->out[k] = nh->port;
	b->queue[k] = (uint32_t)nh->port << 8 | b->cls[k];
}

/*
 * Route the kept frames (one bulk lookup per address family), balance the
 * ones routed to groups (one plugin call), and resolve their next hops;
 * frames without a route are dropped.
 */
static void
route_burst(struct fab_switch *sw, struct sw_port *sp, struct sw_burst *b)
{
	/* Ids from the object's own lookups are valid: no check per frame. */
	const struct fab_nexthop *nht = fab_route_nexthop_table(sw->route);
	const struct fab_nh_group *grt = fab_route_group_table(sw->route);
	uint64_t target[FAB_SWITCH_BURST];
	const struct fab_pkt_meta *lb_pkt[FAB_SWITCH_BURST];
	const struct fab_nh_group *lb_grp[FAB_SWITCH_BURST];
	uint16_t lb_at[FAB_SWITCH_BURST], member[FAB_SWITCH_BURST];
	uint16_t k, nlb = 0;

	if (b->n6 == 0) {
		/* All IPv4, the usual burst: the keys are in frame order already. */
		fab_route_lookup_v4_bulk(sw->route, b->dst4, target, b->n);
	} else {
		uint64_t t[FAB_SWITCH_BURST];
		uint32_t v4[FAB_SWITCH_BURST];
		uint8_t v6[FAB_SWITCH_BURST][16];
		uint16_t v4_at[FAB_SWITCH_BURST], v6_at[FAB_SWITCH_BURST], n4 = 0, n6 = 0;

		for (k = 0; k < b->n; k++) {
			if (b->meta[k].l3 == FAB_L3_IPV4) {
				v4[n4] = b->dst4[k];
				v4_at[n4++] = k;
			} else {
				memcpy(v6[n6], b->meta[k].key.dst.v6, 16);
				v6_at[n6++] = k;
			}
		}
		fab_route_lookup_v4_bulk(sw->route, v4, t, n4);
		for (k = 0; k < n4; k++)
			target[v4_at[k]] = t[k];
		fab_route_lookup_v6_bulk(sw->route, (const uint8_t (*)[16])v6, t, n6);
		for (k = 0; k < n6; k++)
			target[v6_at[k]] = t[k];
	}

	for (k = 0; k < b->n; k++) {
		uint64_t t = target[k];

		if (unlikely(t == FAB_ROUTE_MISS)) {
			drop(sp, FAB_SW_DROP_NO_ROUTE, b->m[k]);
			b->m[k] = NULL;
			b->queue[k] = SW_QUEUE_NONE;
		} else if (fab_route_target_is_group(t)) {
			const struct fab_nh_group *g = &grt[fab_route_target_id(t)];

			if (g->n_members == 1) {
				set_nexthop(nht, b, k, g->members[0]);
			} else {
				lb_pkt[nlb] = &b->meta[k];
				lb_grp[nlb] = g;
				lb_at[nlb++] = k;
			}
		} else {
			set_nexthop(nht, b, k, fab_route_target_id(t));
		}
	}
	if (nlb != 0) {
		sw->lb_ops->select(sw->lb_state, lb_pkt, lb_grp, nlb, member);
		for (k = 0; k < nlb; k++) {
			uint16_t mb = member[k] < lb_grp[k]->n_members ? member[k] : 0;

			set_nexthop(nht, b, lb_at[k], lb_grp[k]->members[mb]);
		}
	}
}

/*
 * Rewrite, admit and queue the frames [k, end) bound for one egress queue.
 * The MMU admits such a run at once when no frame of it can meet a limit,
 * exactly as it would have one by one, and the queue then takes them all in
 * one pass; otherwise they go one by one. ECT frames join @p e with the
 * depth that one enqueue per frame shows them.
 */
static void
queue_run(struct fab_switch *sw, uint16_t in, struct sw_burst *b, uint16_t k, uint16_t end,
		uint64_t bytes, uint64_t now, struct sw_ecn_batch *e)
{
	struct sw_port *sp = &sw->ports[in], *op = &sw->ports[b->out[k]];
	uint16_t out = b->out[k], i;
	uint8_t c = b->cls[k], pg = sp->pg_of[c];
	bool ecn_here = !sw->mark_at_dequeue && op->ecn_state != NULL;
	const struct sw_src_mac src = src_mac_words(&op->mac);
	uint64_t quiet = op->ecn_quiet[c];

	if (fab_sched_room(op->sched, c) >= (uint32_t)(end - k) &&
			fab_mmu_admit_run(sw->mmu, in, pg, out, c, end - k, bytes) == 0) {
		uint64_t before = fab_sched_queue_bytes(op->sched, c);

		for (i = k; i < end; i++) {
			rewrite_macs(b->m[i], b->nexthop[i], &src);
			if (sw->mark_at_dequeue) {
				set_sw_meta(b->m[i], &b->meta[i]);
			} else if (ecn_here && before > quiet && sw_is_ect(b->meta[i].ecn)) {
				set_sw_meta(b->m[i], &b->meta[i]);
				ecn_batch_add(e, b->m[i], c, before, out);
			}
			before += b->len[i];
		}
		/* Cannot fail: the room was checked. */
		fab_sched_enqueue_run(op->sched, c, &b->m[k], &b->len[k], (uint16_t)(end - k),
			sw_tag(in, pg));
		sw_eg_touch(sw, out);
		sp->st.fwd_pkts += end - k;
		return;
	}
	for (i = k; i < end; i++) {
		int64_t d;

		rewrite_macs(b->m[i], b->nexthop[i], &src);
		d = admit_enqueue(sw, in, out, c, b->m[i], &b->meta[i], now);
		if (d >= 0 && ecn_here && (uint64_t)d > quiet && sw_is_ect(b->meta[i].ecn))
			ecn_batch_add(e, b->m[i], c, (uint64_t)d, out);
	}
}

void
sw_ingress(struct fab_switch *sw, uint16_t in, struct rte_mbuf **pkts, uint16_t n,
		uint64_t now)
{
	struct sw_burst b;
	struct sw_ecn_batch e;
	uint16_t k, end;

	parse_burst(sw, in, pkts, n, now, &b);
	if (b.n == 0)
		return;
	route_burst(sw, &sw->ports[in], &b);

	/* Frames in a row for one egress queue come from one ingress group. */
	e.n = 0;
	e.one_port = true;
	for (k = 0; k < b.n; k = end) {
		uint32_t q = b.queue[k];
		uint64_t bytes;

		end = k + 1;
		if (q == SW_QUEUE_NONE)
			continue;
		bytes = b.len[k] = b.meta[k].pkt_len;
		while (end < b.n && b.queue[end] == q) {
			b.len[end] = b.meta[end].pkt_len;
			bytes += b.len[end++];
		}
		queue_run(sw, in, &b, k, end, bytes, now, &e);
	}
	ecn_batch_apply(sw, &e);
}
