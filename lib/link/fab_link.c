/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_prefetch.h>

#include "fab_link.h"

struct link_slot {
	uint64_t deliver_ps;
	struct rte_mbuf *m;
};

/* One direction: written by one end's tx, read by the other end's rx. */
struct link_dir {
	struct link_slot *ring;
	uint32_t mask;          /* of the slots in use now: see grow_ring() */
	uint32_t cap_mask;      /* of all the slots allocated */
	uint32_t head;          /* next to deliver (running on until the direction empties) */
	uint32_t tail;          /* next free slot (the same) */
	uint64_t last_deliver;  /* delivery times never go backwards */
	/*
	 * Delivery time of the head frame, UINT64_MAX when empty: in own_next,
	 * or in a word of the receiving node's (fab_port_bind_next_rx()).
	 */
	uint64_t *next_ps;
	uint64_t own_next;
	struct fab_link_dir_stats st;
};

struct link_end {
	struct fab_link *link;
	unsigned int end;
	bool attached;
};

struct fab_link {
	char name[64];
	uint64_t delay_ps;
	struct link_dir dir[2];
	struct link_end ends[2];
	fab_link_tap_fn tap;
	void *tap_arg;
	rte_be16_t tap_ether_type; /* 0: every frame */
	unsigned int refs;      /* the link itself and each attached port */
};

/*
 * Slots a direction uses while few frames are in flight (four to a cache
 * line). A ring sized for the worst case (minimum-size frames at line
 * rate: kilobytes) that its indices walk all the way round keeps every
 * line of it going through the caches, link after link, although a
 * fabric's link rarely holds more than a few frames; so a direction works
 * in its first slots and doubles them only when they are full.
 */
#define LINK_RING_MIN 8u

uint32_t
fab_link_ring_size(const struct fab_link_conf *c)
{
	uint64_t frames;

	if (c->capacity != 0)
		return c->capacity;
	/*
	 * The smallest frames in flight, plus bursts and room for a late
	 * receiver. (Until session 12 this counted 88 bytes a frame, more than
	 * the 82 of a RoCE frame without payload: a link of 27.9 us at 100G got
	 * 4096 slots for 4253 such frames on its wire.)
	 */
	frames = c->rate_bps == 0 ? 0 :
		(uint64_t)((unsigned __int128)c->delay_ps * c->rate_bps /
			(FAB_LINK_MIN_WIRE_BYTES * 8) / 1000000000000ull) + 1;
	frames += FAB_LINK_BURST_SLOTS + FAB_LINK_LATE_SLOTS;
	return (uint32_t)rte_align64pow2(RTE_MIN(frames, (uint64_t)1 << 24));
}

struct fab_link *
fab_link_create(const struct fab_link_conf *conf)
{
	struct fab_link *l;
	uint32_t size;
	int d;

	if (conf == NULL || conf->name == NULL || conf->name[0] == '\0' ||
			(conf->capacity != 0 && !rte_is_power_of_2(conf->capacity))) {
		rte_errno = EINVAL;
		return NULL;
	}
	size = fab_link_ring_size(conf);
	l = rte_zmalloc_socket("fab_link", sizeof(*l), RTE_CACHE_LINE_SIZE, conf->socket_id);
	if (l == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	snprintf(l->name, sizeof(l->name), "%s", conf->name);
	l->delay_ps = conf->delay_ps;
	l->refs = 1;
	for (d = 0; d < 2; d++) {
		l->dir[d].ring = rte_zmalloc_socket("fab_link_ring",
			sizeof(struct link_slot) * size, RTE_CACHE_LINE_SIZE, conf->socket_id);
		if (l->dir[d].ring == NULL) {
			rte_free(l->dir[0].ring);
			rte_free(l);
			rte_errno = ENOMEM;
			return NULL;
		}
		l->dir[d].cap_mask = size - 1;
		l->dir[d].mask = RTE_MIN(size, LINK_RING_MIN) - 1;
		l->dir[d].own_next = UINT64_MAX;
		l->dir[d].next_ps = &l->dir[d].own_next;
		l->ends[d].link = l;
		l->ends[d].end = (unsigned int)d;
	}
	return l;
}

static void
link_put(struct fab_link *l)
{
	int d;

	if (--l->refs != 0)
		return;
	for (d = 0; d < 2; d++) {
		struct link_dir *ld = &l->dir[d];

		while (ld->head != ld->tail)
			rte_pktmbuf_free(ld->ring[ld->head++ & ld->mask].m);
		rte_free(ld->ring);
	}
	rte_free(l);
}

void
fab_link_free(struct fab_link *link)
{
	if (link != NULL)
		link_put(link);
}

/* Frames end @p end receives travel in direction (1 - end). */
static inline struct link_dir *
rx_dir(struct fab_link *l, unsigned int end)
{
	return &l->dir[1 - end];
}

/*
 * Double the slots in use. Frame i sits at i & mask; with one more bit of
 * mask it belongs either where it is or in the new upper half, which holds
 * nothing yet: so moving frames one by one overwrites none.
 */
static void
grow_ring(struct link_dir *ld)
{
	uint32_t mask = ld->mask * 2 + 1, i;

	for (i = ld->head; i != ld->tail; i++)
		if ((i & mask) != (i & ld->mask))
			ld->ring[i & mask] = ld->ring[i & ld->mask];
	ld->mask = mask;
}

static uint16_t
link_rx_burst(void *backend, struct fab_port_stats *stats, uint64_t now,
		struct rte_mbuf **pkts, uint64_t *arrival_ps, uint16_t n)
{
	struct link_end *e = backend;
	struct link_dir *ld = rx_dir(e->link, e->end);
	uint16_t k = 0;

	while (k < n && ld->head != ld->tail) {
		struct link_slot *s = &ld->ring[ld->head & ld->mask];

		if (s->deliver_ps > now)
			break;
		pkts[k] = s->m;
		if (arrival_ps != NULL)
			arrival_ps[k] = s->deliver_ps;
		stats->rx_packets++;
		stats->rx_bytes += rte_pktmbuf_pkt_len(s->m);
		ld->head++;
		k++;
	}
	ld->st.delivered += k;
	if (ld->head != ld->tail) {
		const struct link_slot *next = &ld->ring[ld->head & ld->mask];

		*ld->next_ps = next->deliver_ps;
		/* The next frame has been on the wire a while: start loading its mbuf for the next call. */
		rte_prefetch0(next->m);
	} else {
		*ld->next_ps = UINT64_MAX;
		/* Empty: back to the first slots. */
		ld->head = 0;
		ld->tail = 0;
		ld->mask = RTE_MIN(ld->mask, LINK_RING_MIN - 1);
	}
	return k;
}

static inline bool
tap_wants(const struct fab_link *l, const struct rte_mbuf *m)
{
	rte_be16_t type;

	if (l->tap_ether_type == 0)
		return true;
	/* A first segment too short to say: the tap decides. */
	if (rte_pktmbuf_data_len(m) < 14)
		return true;
	memcpy(&type, rte_pktmbuf_mtod_offset(m, const uint8_t *, 12), sizeof(type));
	return type == l->tap_ether_type;
}

static uint16_t
link_tx_burst(void *backend, struct fab_port_stats *stats, const uint64_t *tx_done_ps,
		struct rte_mbuf **pkts, uint16_t n)
{
	struct link_end *e = backend;
	struct fab_link *l = e->link;
	struct link_dir *ld = &l->dir[e->end];
	uint16_t i, sent = 0;

	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		uint64_t t = (tx_done_ps != NULL ? tx_done_ps[i] : 0) + l->delay_ps;

		if (unlikely(ld->tail - ld->head > ld->mask) && ld->mask != ld->cap_mask)
			grow_ring(ld);
		if (!e->link->ends[1 - e->end].attached || ld->tail - ld->head > ld->mask) {
			ld->st.ring_full++;
			stats->tx_errors++;
			rte_pktmbuf_free(m);
			continue;
		}
		/* A shaper hands out increasing times; keep the ring ordered regardless. */
		if (t < ld->last_deliver)
			t = ld->last_deliver;
		ld->last_deliver = t;
		if (l->tap != NULL && tap_wants(l, m))
			l->tap(l->tap_arg, e->end, t - l->delay_ps, m);
		if (ld->head == ld->tail)
			*ld->next_ps = t;
		ld->ring[ld->tail & ld->mask] = (struct link_slot){ .deliver_ps = t, .m = m };
		ld->tail++;
		ld->st.frames++;
		ld->st.bytes += rte_pktmbuf_pkt_len(m);
		stats->tx_packets++;
		stats->tx_bytes += rte_pktmbuf_pkt_len(m);
		sent++;
	}
	return sent;
}

static uint64_t
link_next_rx(const void *backend)
{
	const struct link_end *e = backend;

	return fab_link_next_delivery(e->link, e->end);
}

static const uint64_t *
link_bind_next_rx(void *backend, uint64_t *slot)
{
	struct link_end *e = backend;
	struct link_dir *ld = rx_dir(e->link, e->end);
	uint64_t t = *ld->next_ps;

	ld->next_ps = slot != NULL ? slot : &ld->own_next;
	*ld->next_ps = t;
	return ld->next_ps;
}

static void
link_end_free(void *backend)
{
	struct link_end *e = backend;

	/* The receiver's word may go before the link does. */
	link_bind_next_rx(e, NULL);
	e->attached = false;
	link_put(e->link);
}

static const struct fab_port_ops link_ops = {
	.kind = FAB_PORT_KIND_LINK,
	.rx_burst = link_rx_burst,
	.tx_burst = link_tx_burst,
	.next_rx_ps = link_next_rx,
	.free = link_end_free,
	.bind_next_rx = link_bind_next_rx,
};

struct fab_port *
fab_link_port(struct fab_link *link, unsigned int end, const struct fab_port_conf *conf,
		uint32_t max_frame_len, char *err, size_t err_len)
{
	struct fab_port *p;

	if (link == NULL || end > 1) {
		snprintf(err, err_len, "link: no such end");
		rte_errno = EINVAL;
		return NULL;
	}
	if (link->ends[end].attached) {
		snprintf(err, err_len, "link %s: end %u already has a port", link->name, end);
		rte_errno = EEXIST;
		return NULL;
	}
	p = fab_port_create_ops(conf, &link_ops, &link->ends[end], max_frame_len, err,
		err_len);
	if (p == NULL)
		return NULL;
	/* Every event checks every port of its node: one load, not a call. */
	fab_port_set_next_rx_hint(p, link->dir[1 - end].next_ps);
	link->ends[end].attached = true;
	link->refs++;
	return p;
}

int
fab_link_stats(const struct fab_link *link, unsigned int dir, struct fab_link_dir_stats *out)
{
	if (link == NULL || dir > 1 || out == NULL)
		return -EINVAL;
	*out = link->dir[dir].st;
	out->in_flight = link->dir[dir].tail - link->dir[dir].head;
	return 0;
}

uint64_t
fab_link_in_flight(const struct fab_link *link)
{
	return (uint64_t)(link->dir[0].tail - link->dir[0].head) +
		(link->dir[1].tail - link->dir[1].head);
}

uint32_t
fab_link_capacity(const struct fab_link *link)
{
	return link->dir[0].cap_mask + 1;
}

uint64_t
fab_link_rx_slack_ps(const struct fab_link *link, uint64_t rate_bps)
{
	uint64_t f, in_delay, used;

	if (rate_bps == 0)
		return 0;
	/* The smallest frame's time, rounded down: fewer picoseconds, more frames. */
	f = (uint64_t)((unsigned __int128)FAB_LINK_MIN_WIRE_BYTES * 8 * 1000000000000ull / rate_bps);
	if (f == 0)
		return 0;
	in_delay = (link->delay_ps + f - 1) / f;
	used = in_delay + FAB_LINK_BURST_SLOTS + 1;
	return fab_link_capacity(link) > used ? (fab_link_capacity(link) - used) * f : 0;
}

const struct rte_mbuf *
fab_link_peek(const struct fab_link *link, unsigned int end, uint32_t k)
{
	const struct link_dir *ld = &link->dir[1 - end];

	return ld->tail - ld->head > k ? ld->ring[(ld->head + k) & ld->mask].m : NULL;
}

uint64_t
fab_link_next_delivery(const struct fab_link *link, unsigned int end)
{
	return *link->dir[1 - end].next_ps;
}

const char *
fab_link_name(const struct fab_link *link)
{
	return link->name;
}

void
fab_link_set_tap(struct fab_link *link, fab_link_tap_fn fn, void *arg)
{
	link->tap = fn;
	link->tap_arg = arg;
}

void
fab_link_set_tap_ether_type(struct fab_link *link, uint16_t ether_type)
{
	link->tap_ether_type = rte_cpu_to_be_16(ether_type);
}
