/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * lib/fabric: the indexed heap; exact latency through chains of switches;
 * frame conservation under an incast with and without PFC; determinism
 * across runs, insertion orders, pool sizes and the lookahead; and the
 * control-path errors.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>

#include "sw_fixture.h"
#include "fab_fabric.h"
#include "fab_heap.h"
#include "fab_test.h"

#define G100 UINT64_C(100000000000)
#define US UINT64_C(1000000)
#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))
/* Wire time at 100G: (frame + FCS, preamble, gap) * 8 bits at 10 ps a bit. */
#define W100(len) ((uint64_t)((len) + 24) * 80)
/* RDMA WRITE ONLY or FIRST over IPv4: Ethernet, IPv4, UDP, BTH, RETH, payload, ICRC. */
#define V4_WRITE_FIRST_LEN(pay) (14u + 20 + 8 + 12 + 16 + (pay) + 4)
#define V4_WRITE_LAST_LEN(pay) (14u + 20 + 8 + 12 + (pay) + 4)
#define V6_WRITE_FIRST_LEN(pay) (14u + 40 + 8 + 12 + 16 + (pay) + 4)
#define V6_WRITE_LAST_LEN(pay) (14u + 40 + 8 + 12 + (pay) + 4)

/* ------------------------------------------------------------------ */
/* The heap                                                            */
/* ------------------------------------------------------------------ */

static void
test_heap_invalid(void)
{
	struct fab_heap *h;
	uint32_t id = 99;
	uint64_t key = 99;

	CU_ASSERT_PTR_NULL(fab_heap_create(0));
	fab_heap_free(NULL);
	h = fab_heap_create(4);
	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	CU_ASSERT_EQUAL(fab_heap_pop(h, &id, &key), -ENOENT);
	CU_ASSERT_EQUAL(fab_heap_top(h, &id, &key), -ENOENT);
	CU_ASSERT_EQUAL(id, 99);
	CU_ASSERT_EQUAL(fab_heap_push(h, 4, 1), -EINVAL);
	CU_ASSERT_EQUAL(fab_heap_set(h, 4, 1), -EINVAL);
	CU_ASSERT_EQUAL(fab_heap_remove(h, 4), -EINVAL);
	CU_ASSERT_EQUAL(fab_heap_remove(h, 1), -ENOENT);
	CU_ASSERT_EQUAL(fab_heap_push(h, 1, 10), 0);
	CU_ASSERT_EQUAL(fab_heap_push(h, 1, 5), -EEXIST);
	CU_ASSERT_EQUAL(fab_heap_key(h, 1), 10);
	CU_ASSERT_EQUAL(fab_heap_key(h, 2), UINT64_MAX);
	CU_ASSERT_FALSE(fab_heap_contains(h, 7));
	fab_heap_free(h);
}

/* Pops come in key order; equal keys come out by id, whatever the insertion order. */
static void
test_heap_order_ties(void)
{
	static const uint32_t ids[] = { 5, 2, 7, 0, 3, 6, 1, 4 };
	static const uint64_t keys[] = { 30, 10, 10, 30, 20, 10, 20, 30 };
	static const uint32_t want_id[] = { 2, 6, 7, 1, 3, 0, 4, 5 };
	static const uint64_t want_key[] = { 10, 10, 10, 20, 20, 30, 30, 30 };
	struct fab_heap *h = fab_heap_create(8);
	uint32_t i, id;
	uint64_t key;

	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	for (i = 0; i < 8; i++)
		CU_ASSERT_EQUAL(fab_heap_push(h, ids[i], keys[i]), 0);
	CU_ASSERT_EQUAL(fab_heap_size(h), 8);
	CU_ASSERT_EQUAL(fab_heap_top(h, &id, &key), 0);
	CU_ASSERT_EQUAL(id, 2);
	CU_ASSERT_EQUAL(key, 10);
	for (i = 0; i < 8; i++) {
		CU_ASSERT_EQUAL(fab_heap_pop(h, &id, &key), 0);
		CU_ASSERT_EQUAL(id, want_id[i]);
		CU_ASSERT_EQUAL(key, want_key[i]);
		CU_ASSERT_FALSE(fab_heap_contains(h, id));
	}
	CU_ASSERT_TRUE(fab_heap_empty(h));
	fab_heap_free(h);
}

static void
test_heap_decrease_increase(void)
{
	struct fab_heap *h = fab_heap_create(16);
	uint32_t i, id;
	uint64_t key;

	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	for (i = 0; i < 10; i++)
		CU_ASSERT_EQUAL(fab_heap_push(h, i, 100 + 10 * i), 0);
	/* Decrease-key: the last comes first. */
	CU_ASSERT_EQUAL(fab_heap_set(h, 9, 50), 0);
	CU_ASSERT_EQUAL(fab_heap_top(h, &id, &key), 0);
	CU_ASSERT_EQUAL(id, 9);
	CU_ASSERT_EQUAL(key, 50);
	/* Increase-key: the first goes last. */
	CU_ASSERT_EQUAL(fab_heap_set(h, 9, 1000), 0);
	CU_ASSERT_EQUAL(fab_heap_set(h, 0, 500), 0);
	CU_ASSERT_EQUAL(fab_heap_top(h, &id, &key), 0);
	CU_ASSERT_EQUAL(id, 1);
	CU_ASSERT_EQUAL(key, 110);
	/* A tie made by decrease-key goes to the smaller id. */
	CU_ASSERT_EQUAL(fab_heap_set(h, 8, 110), 0);
	CU_ASSERT_EQUAL(fab_heap_pop(h, &id, &key), 0);
	CU_ASSERT_EQUAL(id, 1);
	CU_ASSERT_EQUAL(fab_heap_pop(h, &id, &key), 0);
	CU_ASSERT_EQUAL(id, 8);
	CU_ASSERT_EQUAL(key, 110);
	/* Removal from the middle keeps the order; set inserts an absent id. */
	CU_ASSERT_EQUAL(fab_heap_remove(h, 4), 0);
	CU_ASSERT_EQUAL(fab_heap_set(h, 12, 135), 0);
	{
		static const uint32_t want[] = { 2, 3, 12, 5, 6, 7, 0, 9 };

		for (i = 0; i < RTE_DIM(want); i++) {
			CU_ASSERT_EQUAL(fab_heap_pop(h, &id, NULL), 0);
			CU_ASSERT_EQUAL(id, want[i]);
		}
	}
	CU_ASSERT_TRUE(fab_heap_empty(h));
	fab_heap_free(h);
}

/* A few thousand random operations against a brute-force minimum. */
static void
test_heap_random(void)
{
	enum { N = 64, OPS = 4000 };
	struct fab_heap *h = fab_heap_create(N);
	uint64_t ref[N], x = 88172645463325252ull;
	bool in[N] = { false };
	int op, bad = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	for (op = 0; op < OPS; op++) {
		uint32_t id, best = N, got_id;
		uint64_t got_key;
		unsigned int what;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		id = (uint32_t)(x % N);
		what = (unsigned int)((x >> 20) % 4);
		if (what < 2) {
			ref[id] = (x >> 32) % 50; /* few distinct keys: many ties */
			in[id] = true;
			fab_heap_set(h, id, ref[id]);
		} else if (what == 2) {
			bad += fab_heap_remove(h, id) != (in[id] ? 0 : -ENOENT);
			in[id] = false;
		}
		for (id = 0; id < N; id++)
			if (in[id] && (best == N || ref[id] < ref[best]))
				best = id;
		if (what == 3 && best != N) {
			bad += fab_heap_pop(h, &got_id, &got_key) != 0;
			bad += got_id != best || got_key != ref[best];
			in[best] = false;
		} else if (best != N) {
			bad += fab_heap_top(h, &got_id, &got_key) != 0;
			bad += got_id != best || got_key != ref[best];
		} else {
			bad += !fab_heap_empty(h);
		}
	}
	CU_ASSERT_EQUAL(bad, 0);
	fab_heap_free(h);
}

/* ------------------------------------------------------------------ */
/* Building fabrics                                                    */
/* ------------------------------------------------------------------ */

static void
mac_of(uint8_t last, struct rte_ether_addr *mac)
{
	*mac = (struct rte_ether_addr){ { 0x02, 0x00, 0x00, 0x00, 0x00, last } };
}

static void
host4(struct fab_host_conf *hc, const char *name, uint32_t ip, uint8_t mac_last)
{
	fab_fabric_host_conf_defaults(hc);
	snprintf(hc->name, sizeof(hc->name), "%s", name);
	hc->ip.v4 = rte_cpu_to_be_32(ip);
	mac_of(mac_last, &hc->mac);
}

static void
host6(struct fab_host_conf *hc, const char *name, uint8_t subnet, uint8_t mac_last)
{
	fab_fabric_host_conf_defaults(hc);
	snprintf(hc->name, sizeof(hc->name), "%s", name);
	hc->l3 = FAB_L3_IPV6;
	hc->ip.v6[0] = 0x20;
	hc->ip.v6[1] = 0x01;
	hc->ip.v6[2] = 0x0d;
	hc->ip.v6[3] = 0xb8;
	hc->ip.v6[5] = subnet;
	hc->ip.v6[15] = 1;
	mac_of(mac_last, &hc->mac);
}

/* A host route to @p hc's address via @p port towards next-hop @p mac. */
static void
host_route(struct fab_switch_conf *c, const struct fab_host_conf *hc, uint16_t port,
		const struct rte_ether_addr *mac)
{
	struct fab_ip_prefix pfx = { .addr = hc->ip, .l3 = hc->l3,
		.depth = hc->l3 == FAB_L3_IPV4 ? 32 : 128 };
	struct fab_conf_nexthop nh = { .port = port, .mac = *mac };

	CU_ASSERT_EQUAL(fab_fabric_switch_conf_add_route(c, &pfx, &nh, 1), 0);
}

static void
check_conserved(struct fab_fabric *fab, struct fab_fabric_totals *t)
{
	CU_ASSERT_EQUAL_FATAL(fab_fabric_totals(fab, t), 0);
	CU_ASSERT_EQUAL(t->host_tx, t->host_rx + t->drops + t->in_flight);
	CU_ASSERT_EQUAL(t->in_flight, t->in_links + t->in_switches + t->in_hosts);
	CU_ASSERT_EQUAL(t->link_drops, 0);
	CU_ASSERT_EQUAL(t->host_nombuf, 0);
}

/*
 * h0 - s[0] - s[1] - ... - s[n-1] - h1, every link at 100G with @p delay;
 * each switch has p0 towards h0 and p1 towards h1 and a host route to each.
 */
static struct fab_fabric *
build_chain(unsigned int nsw, const char *const *names, bool v6, uint64_t delay,
		int *h0_out, int *h1_out)
{
	struct fab_fabric_conf fc = { .seed = 7 };
	struct fab_switch_conf c[8];
	struct fab_host_conf h0, h1;
	struct fab_fabric *fab;
	char err[256];
	int sw[8], hh0, hh1;
	unsigned int k;

	CU_ASSERT_FATAL(nsw <= 8);
	fab = fab_fabric_create(&fc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fab);
	if (v6) {
		host6(&h0, "h0", 0, 1);
		host6(&h1, "h1", 1, 2);
	} else {
		host4(&h0, "h0", IP4(10, 0, 0, 1), 1);
		host4(&h1, "h1", IP4(10, 0, 1, 1), 2);
	}
	for (k = 0; k < nsw; k++) {
		CU_ASSERT_EQUAL_FATAL(fab_fabric_switch_conf_init(&c[k], names[k], 2, G100, err,
			sizeof(err)), 0);
		c[k].buffer.pool = 1 << 20;
	}
	for (k = 0; k < nsw; k++) {
		host_route(&c[k], &h0, 0, k == 0 ? &h0.mac : &c[k - 1].ports[1].mac);
		host_route(&c[k], &h1, 1, k == nsw - 1 ? &h1.mac : &c[k + 1].ports[0].mac);
	}
	hh0 = fab_fabric_add_host(fab, &h0);
	hh1 = fab_fabric_add_host(fab, &h1);
	CU_ASSERT_FATAL(hh0 >= 0 && hh1 >= 0);
	for (k = 0; k < nsw; k++) {
		sw[k] = fab_fabric_add_switch(fab, &c[k]);
		CU_ASSERT_FATAL(sw[k] >= 0);
		fab_switch_conf_free(&c[k]);
	}
	CU_ASSERT(fab_fabric_connect(fab, hh0, 0, sw[0], 0, delay) >= 0);
	for (k = 0; k + 1 < nsw; k++)
		CU_ASSERT(fab_fabric_connect(fab, sw[k], 1, sw[k + 1], 0, delay) >= 0);
	CU_ASSERT(fab_fabric_connect(fab, sw[nsw - 1], 1, hh1, 0, delay) >= 0);
	*h0_out = hh0;
	*h1_out = hh1;
	return fab;
}

/* A flow of packets of @p mtu payload bytes (0: 4096). */
static int
add_flow_mtu(struct fab_fabric *fab, int src, int dst, uint64_t bytes, uint64_t start,
		uint32_t qpn, uint8_t dscp, uint32_t mtu)
{
	struct fab_flow_conf f = {
		.src = src, .dst = dst, .bytes = bytes, .start_ps = start,
		.qpn = qpn, .dscp = dscp, .ecn = 2, .mtu = mtu,
	};
	int id = fab_fabric_add_flow(fab, &f);

	CU_ASSERT(id >= 0);
	return id;
}

static int
add_flow(struct fab_fabric *fab, int src, int dst, uint64_t bytes, uint64_t start,
		uint32_t qpn, uint8_t dscp)
{
	return add_flow_mtu(fab, src, dst, bytes, start, qpn, dscp, 0);
}

/*
 * One packet arrives at the sum of its serialization at every link (store
 * and forward) and the propagation delays; a second, shorter packet right
 * behind a longer one is held at every hop by the wire, not by its own size.
 * Every node runs only when it has something to do: one run per node per
 * packet, no sweep.
 */
static void
check_chain(unsigned int nsw, const char *const *names, bool v6)
{
	const uint64_t delay = US, start_b = 100 * US;
	const uint32_t len_only = v6 ? V6_WRITE_FIRST_LEN(1024) : V4_WRITE_FIRST_LEN(1024);
	const uint32_t len_first = v6 ? V6_WRITE_FIRST_LEN(4096) : V4_WRITE_FIRST_LEN(4096);
	const uint32_t len_last = v6 ? V6_WRITE_LAST_LEN(1000) : V4_WRITE_LAST_LEN(1000);
	const uint64_t links = nsw + 1;
	struct fab_fabric_totals t;
	struct fab_flow_stats fa, fb;
	struct fab_host_stats hs;
	struct fab_fabric *fab;
	int h0, h1, a, b;

	fab = build_chain(nsw, names, v6, delay, &h0, &h1);
	a = add_flow(fab, h0, h1, 1024, 0, 0x100, 26);
	b = add_flow(fab, h0, h1, 4096 + 1000, start_b, 0x101, 26);
	CU_ASSERT_EQUAL_FATAL(fab_fabric_start(fab), 0);
	CU_ASSERT_EQUAL(fab_fabric_max_frame_len(fab), len_first);

	/* Flow A alone first: one run of each node, in path order. */
	CU_ASSERT_EQUAL(fab_fabric_run(fab, 50 * US), 1);
	CU_ASSERT_EQUAL(fab_fabric_now(fab), 50 * US);
	check_conserved(fab, &t);
	CU_ASSERT_EQUAL(t.events, nsw + 2);
	CU_ASSERT_EQUAL(t.heap_pops, nsw + 2);
	CU_ASSERT_EQUAL(t.in_flight, 0);
	CU_ASSERT_EQUAL(t.packet_hops, nsw);
	CU_ASSERT_EQUAL(fab_fabric_flow_stats(fab, a, &fa), 0);
	CU_ASSERT_EQUAL(fa.rx_frames, 1);
	CU_ASSERT_EQUAL(fa.rx_bytes, 1024);
	CU_ASSERT_EQUAL(fa.rx_icrc_bad, 0);
	CU_ASSERT_EQUAL(fa.rx_out_of_order, 0);
	CU_ASSERT_EQUAL(fa.first_rx_ps, links * (W100(len_only) + delay));
	CU_ASSERT_EQUAL(fa.first_rx_ps, links * (fab_wire_time_ps(len_only, G100) + delay));
	CU_ASSERT_TRUE(fa.done);
	CU_ASSERT_EQUAL(fa.fct_ps, fa.first_rx_ps);

	CU_ASSERT_EQUAL(fab_fabric_run(fab, UINT64_MAX), 0);
	check_conserved(fab, &t);
	CU_ASSERT_EQUAL(t.in_flight, 0);
	CU_ASSERT_EQUAL(t.drops, 0);
	CU_ASSERT_EQUAL(t.host_tx, 3);
	CU_ASSERT_EQUAL(t.host_rx, 3);
	CU_ASSERT_EQUAL(t.packet_hops, 3 * nsw);
	CU_ASSERT_EQUAL(fab_fabric_flow_stats(fab, b, &fb), 0);
	CU_ASSERT_EQUAL(fb.rx_frames, 2);
	CU_ASSERT_EQUAL(fb.rx_bytes, 5096);
	CU_ASSERT_EQUAL(fb.rx_icrc_bad, 0);
	CU_ASSERT_EQUAL(fb.first_rx_ps, start_b + links * (W100(len_first) + delay));
	CU_ASSERT_EQUAL(fb.last_rx_ps, start_b + links * (W100(len_first) + delay) +
		W100(len_last));
	CU_ASSERT_EQUAL(fb.fct_ps, fb.last_rx_ps - start_b);
	/* Idle: time stands at the last event, the sink's last arrival. */
	CU_ASSERT_EQUAL(fab_fabric_now(fab), fb.last_rx_ps);
	CU_ASSERT_EQUAL(fab_fabric_host_stats(fab, h1, &hs), 0);
	CU_ASSERT_EQUAL(hs.rx_frames, 3);
	CU_ASSERT_EQUAL(hs.rx_data, 3);
	CU_ASSERT_EQUAL(hs.rx_other, 0);
	CU_ASSERT_EQUAL(fab_fabric_host_stats(fab, h0, &hs), 0);
	CU_ASSERT_EQUAL(hs.tx_frames, 3);
	CU_ASSERT_EQUAL(hs.tx_wire_frames, 3);
	CU_ASSERT_EQUAL(hs.tx_bytes, len_only + len_first + len_last);
	fab_fabric_free(fab);
}

static void
test_latency_leaf_spine(void)
{
	static const char *const names[] = { "leaf0", "spine0", "leaf1" };

	check_chain(3, names, false);
}

static void
test_latency_chain8(void)
{
	static const char *const names[] = { "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7" };

	check_chain(8, names, false);
}

static void
test_latency_chain8_v6(void)
{
	static const char *const names[] = { "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7" };

	check_chain(8, names, true);
}

/* ------------------------------------------------------------------ */
/* Incast: h1, h2, h3 -> h0 through one switch                        */
/* ------------------------------------------------------------------ */

struct incast_opts {
	bool pfc;              /* lossless class with PFC, else a lossy class without */
	bool reverse;          /* add nodes, links and flows in the reverse order */
	bool no_lookahead;
	bool no_rx_deferral;
	uint16_t pause_quanta;  /* of the switch's XOFF frames; 0: its default */
	bool one_sender;        /* h1 alone sends to h0: no congestion */
	uint32_t mtu;           /* of the flows; 0: 4096 */
	uint32_t nb_mbufs;
	uint64_t seed;
};

struct incast {
	struct fab_fabric *fab;
	int host[4];           /* h0 (sink), h1..h3 */
	int sw;
	int flow[3];           /* from h1, h2, h3 */
};

#define INCAST_BYTES (256 * 4096)

static void
incast_build(struct incast *in, const struct incast_opts *o)
{
	struct fab_fabric_conf fc = {
		.seed = o->seed, .nb_mbufs = o->nb_mbufs, .no_lookahead = o->no_lookahead,
		.no_rx_deferral = o->no_rx_deferral,
	};
	struct fab_host_conf hc[4];
	struct fab_switch_conf c;
	char err[256], name[8];
	int i, k;

	in->fab = fab_fabric_create(&fc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(in->fab);
	for (i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "h%d", i);
		host4(&hc[i], name, IP4(10, 0, 0, 10 + i), (uint8_t)(0x10 + i));
	}
	CU_ASSERT_EQUAL_FATAL(fab_fabric_switch_conf_init(&c, "tor", 4, G100, err, sizeof(err)), 0);
	c.buffer.pool = 1 << 20;
	c.pfc.enabled = o->pfc;
	if (o->pause_quanta != 0)
		c.pfc.pause_quanta = o->pause_quanta;
	for (i = 0; i < 4; i++) {
		c.ports[i].cable_m = 200; /* the 1 us links below */
		host_route(&c, &hc[i], (uint16_t)i, &hc[i].mac);
	}
	for (k = 0; k < 5; k++) {
		/* The switch goes in the middle of the list, or at the other end. */
		int slot = o->reverse ? 4 - k : k;

		if (slot == 2) {
			in->sw = fab_fabric_add_switch(in->fab, &c);
			CU_ASSERT_FATAL(in->sw >= 0);
			continue;
		}
		i = slot < 2 ? slot : slot - 1;
		in->host[i] = fab_fabric_add_host(in->fab, &hc[i]);
		CU_ASSERT_FATAL(in->host[i] >= 0);
	}
	fab_switch_conf_free(&c);
	for (k = 0; k < 4; k++) {
		i = o->reverse ? 3 - k : k;
		CU_ASSERT(fab_fabric_connect(in->fab, in->host[i], 0, in->sw, (uint16_t)i, US) >= 0);
	}
	for (k = 0; k < 3; k++) {
		i = o->reverse ? 2 - k : k;
		in->flow[i] = -1;
		if (o->one_sender && i != 0)
			continue;
		in->flow[i] = add_flow_mtu(in->fab, in->host[i + 1], in->host[0], INCAST_BYTES,
			(uint64_t)i * 100000, (uint32_t)(0x200 + i), o->pfc ? 26 : 0, o->mtu);
	}
}

/* Run in slices, checking conservation at each; then to the end. */
static void
incast_run(struct incast *in, struct fab_fabric_totals *end, uint64_t *max_in_flight)
{
	struct fab_fabric_totals t;
	uint64_t until;
	int ret = 1, slices = 0;

	*max_in_flight = 0;
	for (until = 5 * US; ret == 1 && slices < 10000; until += 5 * US, slices++) {
		ret = fab_fabric_run(in->fab, until);
		CU_ASSERT_FATAL(ret >= 0);
		check_conserved(in->fab, &t);
		if (t.in_flight > *max_in_flight)
			*max_in_flight = t.in_flight;
	}
	CU_ASSERT_EQUAL(ret, 0);
	check_conserved(in->fab, end);
}

static void
test_incast_pfc_conserves(void)
{
	struct incast_opts o = { .pfc = true, .seed = 1 };
	struct fab_fabric_totals t;
	struct fab_switch_port_stats ps;
	struct fab_flow_stats fs;
	struct fab_host_stats hs;
	struct incast in;
	uint64_t max_if, paused = 0, pfc_rx = 0;
	int i;

	incast_build(&in, &o);
	incast_run(&in, &t, &max_if);
	CU_ASSERT_EQUAL(t.host_tx, 3 * 256);
	CU_ASSERT_EQUAL(t.host_rx, 3 * 256);
	CU_ASSERT_EQUAL(t.drops, 0);
	CU_ASSERT_EQUAL(t.in_flight, 0);
	CU_ASSERT(max_if > 100);          /* the queue really built up */
	CU_ASSERT(t.pfc_frames > 0);
	CU_ASSERT_TRUE(fab_switch_queues_empty(fab_fabric_switch(in.fab, in.sw)));
	for (i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL(fab_fabric_flow_stats(in.fab, in.flow[i], &fs), 0);
		CU_ASSERT_TRUE(fs.done);
		CU_ASSERT_EQUAL(fs.rx_bytes, INCAST_BYTES);
		CU_ASSERT_EQUAL(fs.rx_icrc_bad, 0);
		CU_ASSERT_EQUAL(fs.rx_out_of_order, 0);
		CU_ASSERT_EQUAL(fab_fabric_host_stats(in.fab, in.host[i + 1], &hs), 0);
		CU_ASSERT_EQUAL(hs.queued, 0);
		pfc_rx += hs.pfc_rx[3];
		paused += hs.paused_ps[3];
		/* Only the lossless priority was ever paused. */
		CU_ASSERT_EQUAL(hs.pfc_rx[0] + hs.paused_ps[0], 0);
	}
	/* Every PFC frame the switch sent reached a host, and the hosts stopped. */
	CU_ASSERT_EQUAL(pfc_rx, t.pfc_frames);
	CU_ASSERT(paused > 0);
	/* The sink's port carried the whole incast: 768 frames of 4170 bytes at 100G at least. */
	CU_ASSERT_EQUAL(fab_switch_port_stats(fab_fabric_switch(in.fab, in.sw), 0,
		fab_fabric_now(in.fab), &ps), 0);
	CU_ASSERT_EQUAL(ps.tx_pkts, 3 * 256);
	CU_ASSERT_EQUAL(ps.drops, 0);
	CU_ASSERT(fab_fabric_now(in.fab) >= 2 * US + 3 * 256 * W100(V4_WRITE_FIRST_LEN(4096) - 16));
	fab_fabric_free(in.fab);
}

static void
test_incast_lossy_drops_conserves(void)
{
	struct incast_opts o = { .pfc = false, .seed = 1 };
	struct fab_fabric_totals t;
	struct fab_flow_stats fs;
	struct fab_host_stats hs;
	struct incast in;
	uint64_t max_if, rx = 0;
	int i;

	incast_build(&in, &o);
	incast_run(&in, &t, &max_if);
	CU_ASSERT_EQUAL(t.host_tx, 3 * 256);
	CU_ASSERT(t.drops > 0);
	CU_ASSERT_EQUAL(t.switch_drops, t.drops);
	CU_ASSERT_EQUAL(t.host_rx + t.drops, 3 * 256);
	CU_ASSERT_EQUAL(t.in_flight, 0);
	CU_ASSERT_EQUAL(t.pfc_frames, 0);
	for (i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL(fab_fabric_flow_stats(in.fab, in.flow[i], &fs), 0);
		rx += fs.rx_frames;
		CU_ASSERT_EQUAL(fs.tx_frames, 256);
		CU_ASSERT_EQUAL(fab_fabric_host_stats(in.fab, in.host[i + 1], &hs), 0);
		CU_ASSERT_EQUAL(hs.pfc_frames, 0);
		CU_ASSERT_EQUAL(hs.paused_ps[0], 0);
	}
	CU_ASSERT_EQUAL(rx, t.host_rx);
	CU_ASSERT(rx < 3 * 256);
	fab_fabric_free(in.fab);
}

/* ------------------------------------------------------------------ */
/* Determinism                                                         */
/* ------------------------------------------------------------------ */

struct outcome {
	struct fab_fabric_totals t;
	struct fab_flow_stats f[3];
	struct fab_switch_port_stats port[4];
};

static void
run_outcome(const struct incast_opts *o, struct outcome *out)
{
	struct incast in;
	uint64_t max_if;
	int i;

	memset(out, 0, sizeof(*out));
	incast_build(&in, o);
	incast_run(&in, &out->t, &max_if);
	for (i = 0; i < 3; i++)
		CU_ASSERT_EQUAL(fab_fabric_flow_stats(in.fab, in.flow[i], &out->f[i]), 0);
	for (i = 0; i < 4; i++)
		CU_ASSERT_EQUAL(fab_switch_port_stats(fab_fabric_switch(in.fab, in.sw),
			(uint16_t)i, fab_fabric_now(in.fab), &out->port[i]), 0);
	fab_fabric_free(in.fab);
}

static void
check_same(const struct outcome *a, const struct outcome *b, bool same_loop)
{
	struct fab_fabric_totals ta = a->t, tb = b->t;

	if (!same_loop) {
		/* The lookahead changes how often the heap is used, nothing else. */
		ta.events = tb.events = 0;
		ta.heap_pops = tb.heap_pops = 0;
	}
	CU_ASSERT_EQUAL(memcmp(&ta, &tb, sizeof(ta)), 0);
	CU_ASSERT_EQUAL(memcmp(a->f, b->f, sizeof(a->f)), 0);
	CU_ASSERT_EQUAL(memcmp(a->port, b->port, sizeof(a->port)), 0);
}

static void
test_determinism(void)
{
	struct outcome *r = calloc(6, sizeof(*r));
	struct incast_opts o = { .pfc = true, .seed = 42 };

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	run_outcome(&o, &r[0]);
	run_outcome(&o, &r[1]);
	check_same(&r[0], &r[1], true);
	/* Nodes, links and flows added in the reverse order. */
	o.reverse = true;
	run_outcome(&o, &r[2]);
	check_same(&r[0], &r[2], true);
	/* Another pool size. */
	o.reverse = false;
	o.nb_mbufs = 3000;
	run_outcome(&o, &r[3]);
	check_same(&r[0], &r[3], true);
	/* One heap pop per event. */
	o.nb_mbufs = 0;
	o.no_lookahead = true;
	run_outcome(&o, &r[4]);
	check_same(&r[0], &r[4], false);
	CU_ASSERT(r[4].t.heap_pops > r[0].t.heap_pops);
	CU_ASSERT_EQUAL(r[4].t.heap_pops, r[4].t.events);
	/* The lossy incast as well: its drops land on the same frames. */
	o.no_lookahead = false;
	o.pfc = false;
	run_outcome(&o, &r[5]);
	o.reverse = true;
	run_outcome(&o, &r[4]);
	check_same(&r[5], &r[4], true);
	free(r);
}

/* Where a fabric stands after one slice of its run. */
struct slice_view {
	int ret;
	struct fab_fabric_totals t;
	struct fab_host_stats h[4];
};

#define DEFER_SLICES 1000
/* Not a multiple of any frame time: slices end between an arrival and the next event. */
#define DEFER_SLICE_PS 777000

/*
 * Run the incast with a flow from h0 back to h1, in short slices, and keep
 * what each slice ends with; the final flow and switch-port counters too.
 */
static unsigned int
run_slices(const struct incast_opts *o, struct slice_view *v, struct fab_flow_stats *fs,
		struct fab_switch_port_stats *ps)
{
	struct incast in;
	unsigned int n = 0;
	int back, i, ret = 1;

	incast_build(&in, o);
	back = add_flow_mtu(in.fab, in.host[0], in.host[1], INCAST_BYTES, 20 * US, 0x300, 26,
		o->mtu);
	for (n = 0; ret == 1 && n < DEFER_SLICES; n++) {
		ret = fab_fabric_run(in.fab, (n + 1) * DEFER_SLICE_PS);
		CU_ASSERT_FATAL(ret >= 0);
		v[n].ret = ret;
		CU_ASSERT_EQUAL(fab_fabric_totals(in.fab, &v[n].t), 0);
		for (i = 0; i < 4; i++) {
			const struct fab_switch *sw = fab_fabric_switch(in.fab, in.sw);
			struct fab_switch_port_stats st;

			CU_ASSERT_EQUAL(fab_fabric_host_stats(in.fab, in.host[i], &v[n].h[i]), 0);
			/* Mid-run, queues and pauses open: the sampler's view must match. */
			CU_ASSERT_EQUAL(fab_switch_port_stats(sw, (uint16_t)i, fab_fabric_now(in.fab),
				&st), 0);
			swf_check_sample(sw, (uint16_t)i, fab_fabric_now(in.fab), &st);
		}
	}
	for (i = 0; i < 4; i++) {
		int f = i < 3 ? in.flow[i] : back;

		if (f >= 0)
			CU_ASSERT_EQUAL(fab_fabric_flow_stats(in.fab, f, &fs[i]), 0);
		CU_ASSERT_EQUAL(fab_switch_port_stats(fab_fabric_switch(in.fab, in.sw),
			(uint16_t)i, fab_fabric_now(in.fab), &ps[i]), 0);
	}
	fab_fabric_free(in.fab);
	return n;
}

/*
 * A host leaves the frames that arrive shortly before its own next event in
 * its link until then (fabric_host_rx_wake()): fewer events, nothing else
 * changes. Here h1 also receives a flow from h0 while the incast has PFC
 * pause it, so the frames it takes late include data, pauses and resumes;
 * with short pauses, resumes come shortly before a pause would end. The two
 * runs are compared after every slice, so no frame was left waiting past
 * the end of a run.
 */
static void
check_rx_deferral(bool one_sender, uint16_t pause_quanta, uint32_t mtu)
{
	struct incast_opts o = {
		.pfc = true, .seed = 7, .one_sender = one_sender, .pause_quanta = pause_quanta,
		.mtu = mtu,
	};
	const uint64_t frames = INCAST_BYTES / (mtu != 0 ? mtu : 4096);
	struct slice_view *v[2];
	struct fab_flow_stats fs[2][4] = { { { 0 } } };
	struct fab_switch_port_stats ps[2][4];
	unsigned int n[2], k, i;

	for (k = 0; k < 2; k++) {
		v[k] = calloc(DEFER_SLICES, sizeof(*v[k]));
		CU_ASSERT_PTR_NOT_NULL_FATAL(v[k]);
		o.no_rx_deferral = k == 1;
		n[k] = run_slices(&o, v[k], fs[k], ps[k]);
	}
	CU_ASSERT_EQUAL_FATAL(n[0], n[1]);
	CU_ASSERT_EQUAL(v[0][n[0] - 1].ret, 0);
	CU_ASSERT_EQUAL(v[0][n[0] - 1].t.in_flight, 0);
	/* The deferral did happen: without congestion, at most of h0's and h1's arrivals. */
	CU_ASSERT(v[0][n[0] - 1].t.events < v[1][n[0] - 1].t.events);
	if (one_sender)
		CU_ASSERT(v[0][n[0] - 1].t.events + 128 < v[1][n[0] - 1].t.events);
	for (i = 0; i < n[0]; i++) {
		for (k = 0; k < 2; k++)
			v[k][i].t.events = v[k][i].t.heap_pops = 0;
		CU_ASSERT_EQUAL(memcmp(&v[0][i], &v[1][i], sizeof(v[0][i])), 0);
	}
	for (i = 0; i < 4; i++) {
		CU_ASSERT_TRUE(fs[0][i].done || (one_sender && i != 0 && i != 3));
		CU_ASSERT_EQUAL(memcmp(&fs[0][i], &fs[1][i], sizeof(fs[0][i])), 0);
		CU_ASSERT_EQUAL(memcmp(&ps[0][i], &ps[1][i], sizeof(ps[0][i])), 0);
	}
	/* h1 took data (and PFC frames when it shared h0's port) while it sent. */
	CU_ASSERT_EQUAL(v[0][n[0] - 1].h[1].rx_data, frames);
	if (!one_sender) {
		CU_ASSERT(v[0][n[0] - 1].h[1].pfc_rx[3] > 0);
		CU_ASSERT(v[0][n[0] - 1].h[1].paused_ps[3] > 0);
	}
	free(v[0]);
	free(v[1]);
}

/*
 * A frame due at h0 before the end of a run is taken in that run, even when
 * h0's own next event, right after it, lies beyond the end.
 */
static void
check_rx_deferral_stops_at_run_end(void)
{
	struct incast_opts o = { .pfc = true, .seed = 7, .one_sender = true };
	struct fab_flow_stats fs;
	struct fab_host_stats hs;
	struct incast in;
	uint64_t first;

	/* When h1's first frame reaches h0. */
	o.no_rx_deferral = true;
	incast_build(&in, &o);
	CU_ASSERT_EQUAL(fab_fabric_run(in.fab, UINT64_MAX), 0);
	CU_ASSERT_EQUAL(fab_fabric_flow_stats(in.fab, in.flow[0], &fs), 0);
	first = fs.first_rx_ps;
	fab_fabric_free(in.fab);
	CU_ASSERT_FATAL(first != UINT64_MAX);

	/* h0 has a frame of its own to send 200 ns later; the run ends at the arrival. */
	o.no_rx_deferral = false;
	incast_build(&in, &o);
	add_flow(in.fab, in.host[0], in.host[1], 4096, first + 200000, 0x300, 26);
	CU_ASSERT_EQUAL(fab_fabric_run(in.fab, first), 1);
	CU_ASSERT_EQUAL(fab_fabric_host_stats(in.fab, in.host[0], &hs), 0);
	CU_ASSERT_EQUAL(hs.rx_frames, 1);
	CU_ASSERT_EQUAL(fab_fabric_run(in.fab, UINT64_MAX), 0);
	CU_ASSERT_EQUAL(fab_fabric_host_stats(in.fab, in.host[0], &hs), 0);
	CU_ASSERT_EQUAL(hs.rx_frames, 256);
	CU_ASSERT_EQUAL(hs.tx_frames, 1);
	fab_fabric_free(in.fab);
}

/*
 * A host with nothing of its own to send still takes what arrives at most
 * rx_defer_ps late, in a run to a finite time: h0, a sink only, receives
 * h1's 4096 frames of 256 bytes (27 ns apart on the wire) in far fewer
 * runs than one per frame, and counts them all with their own times.
 */
static void
check_rx_deferral_idle_sink(void)
{
	struct incast_opts o = { .pfc = true, .seed = 7, .one_sender = true, .mtu = 256 };
	const uint64_t frames = INCAST_BYTES / 256;
	struct fab_fabric_totals t[2];
	struct fab_flow_stats fs[2];
	struct incast in;
	uint64_t until;
	int k, ret;

	for (k = 0; k < 2; k++) {
		o.no_rx_deferral = k == 1;
		incast_build(&in, &o);
		ret = 1;
		for (until = DEFER_SLICE_PS; ret == 1 && until <= DEFER_SLICES * DEFER_SLICE_PS;
				until += DEFER_SLICE_PS) {
			ret = fab_fabric_run(in.fab, until);
			CU_ASSERT_FATAL(ret >= 0);
		}
		CU_ASSERT_EQUAL(ret, 0);
		CU_ASSERT_EQUAL(fab_fabric_totals(in.fab, &t[k]), 0);
		CU_ASSERT_EQUAL(fab_fabric_flow_stats(in.fab, in.flow[0], &fs[k]), 0);
		fab_fabric_free(in.fab);
		CU_ASSERT_EQUAL(t[k].host_rx, frames);
	}
	CU_ASSERT_TRUE(fs[0].done);
	CU_ASSERT_EQUAL(memcmp(&fs[0], &fs[1], sizeof(fs[0])), 0);
	/*
	 * Without deferral h0 runs once per frame. With it, once per 450 ns
	 * (rx_defer_ps: 17 frames) or at the end of a slice (29 frames): three
	 * in four of those runs, at least, go.
	 */
	CU_ASSERT(t[1].events >= t[0].events + frames * 3 / 4);
}

/*
 * A resume ends a pause for the deferral's sake too. h1, paused and resumed
 * by the incast's PFC (pauses of the default 65535 quanta, 335 us at
 * 100G), has finished sending when h0 starts 4096 frames of 256 bytes to
 * it, well within 335 us of the last pause it got: h1 takes them late all
 * the same, since nothing pauses it any more.
 */
static void
check_rx_deferral_after_resume(void)
{
	struct incast_opts o = { .pfc = true, .seed = 7 };
	const uint64_t frames = INCAST_BYTES / 256;
	struct fab_fabric_totals t[2];
	struct fab_flow_stats fs[2];
	struct fab_host_stats hs[2];
	struct incast in;
	uint64_t until, h1_done, pfc_seen = 0, last_pause = 0;
	int k, back, ret;

	/* When h1's last frame reached h0, and that PFC paused h1 before. */
	incast_build(&in, &o);
	CU_ASSERT_EQUAL(fab_fabric_run(in.fab, UINT64_MAX), 0);
	CU_ASSERT_EQUAL(fab_fabric_flow_stats(in.fab, in.flow[0], &fs[0]), 0);
	CU_ASSERT_EQUAL(fab_fabric_host_stats(in.fab, in.host[1], &hs[0]), 0);
	fab_fabric_free(in.fab);
	h1_done = fs[0].last_rx_ps;
	CU_ASSERT_FATAL(fs[0].done);
	CU_ASSERT_FATAL(hs[0].pfc_rx[3] > 0);

	for (k = 0; k < 2; k++) {
		o.no_rx_deferral = k == 1;
		incast_build(&in, &o);
		back = add_flow_mtu(in.fab, in.host[0], in.host[1], INCAST_BYTES, h1_done, 0x300,
			26, 256);
		ret = 1;
		for (until = DEFER_SLICE_PS; ret == 1 && until <= DEFER_SLICES * DEFER_SLICE_PS;
				until += DEFER_SLICE_PS) {
			ret = fab_fabric_run(in.fab, until);
			CU_ASSERT_FATAL(ret >= 0);
			CU_ASSERT_EQUAL(fab_fabric_host_stats(in.fab, in.host[1], &hs[k]), 0);
			/* The slice's start: no later than the PFC frame that came in it. */
			if (k == 0 && hs[k].pfc_frames != pfc_seen)
				last_pause = until - DEFER_SLICE_PS;
			pfc_seen = hs[k].pfc_frames;
		}
		CU_ASSERT_EQUAL(ret, 0);
		CU_ASSERT_EQUAL(fab_fabric_totals(in.fab, &t[k]), 0);
		CU_ASSERT_EQUAL(fab_fabric_flow_stats(in.fab, back, &fs[k]), 0);
		CU_ASSERT_EQUAL(fab_fabric_host_stats(in.fab, in.host[1], &hs[k]), 0);
		fab_fabric_free(in.fab);
	}
	CU_ASSERT_TRUE(fs[0].done);
	CU_ASSERT_EQUAL(memcmp(&fs[0], &fs[1], sizeof(fs[0])), 0);
	CU_ASSERT_EQUAL(memcmp(&hs[0], &hs[1], sizeof(hs[0])), 0);
	/* The back flow came within a pause's length of h1's last PFC frame... */
	CU_ASSERT(fs[0].last_rx_ps < last_pause + 335 * US);
	/* ...and h1 took it in far fewer runs than one per frame. */
	CU_ASSERT(t[1].events >= t[0].events + frames * 3 / 4);
}

/*
 * In one run to a finite time, an idle sink leaves its frames in the link
 * as long as the link's ring has room for the smallest frames meanwhile
 * (fab_link_rx_slack_ps(): 1.86 us on these 1 us, 100G links), not only 64
 * such frames' time (430 ns, before session 12). h0 takes 4096 frames of
 * 256 bytes (27 ns each on the wire) in runs of about 68, where 64 frame
 * times gave runs of 16: it must save more than 96 runs in 100 of the
 * 4096 that one run per frame takes, with the same results, and the link
 * must refuse nothing.
 */
static void
check_rx_deferral_ring_slack(void)
{
	struct incast_opts o = { .pfc = true, .seed = 7, .one_sender = true, .mtu = 256 };
	const uint64_t frames = INCAST_BYTES / 256;
	struct fab_fabric_totals t[2];
	struct fab_flow_stats fs[2];
	struct incast in;
	int k;

	for (k = 0; k < 2; k++) {
		o.no_rx_deferral = k == 1;
		incast_build(&in, &o);
		CU_ASSERT_EQUAL(fab_fabric_run(in.fab, 10 * 1000 * US), 0);
		CU_ASSERT_EQUAL(fab_fabric_totals(in.fab, &t[k]), 0);
		CU_ASSERT_EQUAL(fab_fabric_flow_stats(in.fab, in.flow[0], &fs[k]), 0);
		fab_fabric_free(in.fab);
		CU_ASSERT_EQUAL(t[k].host_rx, frames);
		CU_ASSERT_EQUAL(t[k].link_drops, 0);
	}
	CU_ASSERT_TRUE(fs[0].done);
	CU_ASSERT_EQUAL(memcmp(&fs[0], &fs[1], sizeof(fs[0])), 0);
	CU_ASSERT(t[1].events >= t[0].events + frames * 96 / 100);
}

static void
test_rx_deferral_changes_nothing(void)
{
	check_rx_deferral_stops_at_run_end();
	check_rx_deferral(true, 0, 0);
	check_rx_deferral(false, 0, 0);
	check_rx_deferral(false, 100, 0);
	check_rx_deferral(false, 0, 256);
	check_rx_deferral_idle_sink();
	check_rx_deferral_ring_slack();
	check_rx_deferral_after_resume();
}

/* ------------------------------------------------------------------ */
/* Control path                                                        */
/* ------------------------------------------------------------------ */

static void
test_invalid(void)
{
	struct fab_fabric_conf bad = { .queue_capacity = 3 };
	struct fab_fabric_totals t;
	struct fab_host_conf hc, hc6;
	struct fab_switch_conf c, c2;
	struct fab_fabric *fab;
	struct fab_flow_conf f;
	struct fab_conf_nexthop nh = { .port = 5 };
	struct fab_ip_prefix pfx = { .l3 = FAB_L3_IPV4, .depth = 33 };
	char err[256];
	int h0, h1, h6, s;

	fab_fabric_free(NULL);
	CU_ASSERT_PTR_NULL(fab_fabric_create(&bad));
	CU_ASSERT_EQUAL(fab_fabric_switch_conf_init(&c, "x", 0, G100, err, sizeof(err)), -EINVAL);
	CU_ASSERT_EQUAL(fab_fabric_switch_conf_init(&c, "bad name", 2, G100, err, sizeof(err)),
		-EINVAL);
	CU_ASSERT_EQUAL_FATAL(fab_fabric_switch_conf_init(&c, "sw", 2, G100, err, sizeof(err)), 0);
	/* lib/config's own defaults. */
	CU_ASSERT_EQUAL(c.mtu, 9100);
	CU_ASSERT_EQUAL(c.qos.lossless_mask, 0x18);
	CU_ASSERT_EQUAL(c.qos.dscp_to_class[26], 3);
	CU_ASSERT_TRUE(c.pfc.enabled);
	CU_ASSERT_STRING_EQUAL(c.ecn.plugin, "ecn-red");
	CU_ASSERT_EQUAL(c.ports[1].ecn[3].kmin, 400000);
	CU_ASSERT_TRUE(c.ports[1].ecn[3].enabled);
	CU_ASSERT_FALSE(c.ports[1].ecn[0].enabled);
	CU_ASSERT_EQUAL(c.ports[1].mac.addr_bytes[5], c.ports[0].mac.addr_bytes[5] + 1);
	CU_ASSERT_EQUAL(fab_fabric_switch_conf_port_rate(&c, 1, G100 / 4), 0);
	CU_ASSERT_EQUAL(c.ports[1].ecn[3].kmin, 100000);
	CU_ASSERT_EQUAL(fab_fabric_switch_conf_port_rate(&c, 2, G100), -EINVAL);
	CU_ASSERT_EQUAL(fab_fabric_switch_conf_add_route(&c, &pfx, &nh, 1), -EINVAL);
	pfx.depth = 24;
	CU_ASSERT_EQUAL(fab_fabric_switch_conf_add_route(&c, &pfx, &nh, 1), -EINVAL);
	nh.port = 1;
	CU_ASSERT_EQUAL(fab_fabric_switch_conf_add_route(&c, &pfx, &nh, 0), -EINVAL);
	CU_ASSERT_EQUAL(fab_fabric_switch_conf_add_route(&c, &pfx, &nh, 1), 0);
	CU_ASSERT_EQUAL(fab_fabric_switch_conf_add_route(&c, &pfx, &nh, 1), -EEXIST);
	CU_ASSERT_EQUAL(c.nb_routes, 1);

	fab = fab_fabric_create(NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fab);
	CU_ASSERT_EQUAL(fab_fabric_totals(fab, &t), -EINVAL);
	host4(&hc, "h0", IP4(10, 0, 0, 1), 1);
	h0 = fab_fabric_add_host(fab, &hc);
	CU_ASSERT_EQUAL(h0, 0);
	CU_ASSERT_EQUAL(fab_fabric_add_host(fab, &hc), -EEXIST);
	snprintf(hc.name, sizeof(hc.name), "h1");
	hc.rate_bps = 0;
	CU_ASSERT_EQUAL(fab_fabric_add_host(fab, &hc), -ERANGE);
	hc.rate_bps = G100 / 4;
	hc.queue_frames = FAB_FABRIC_MAX_HOST_QUEUE + 1;
	CU_ASSERT_EQUAL(fab_fabric_add_host(fab, &hc), -ERANGE);
	hc.queue_frames = 0;
	h1 = fab_fabric_add_host(fab, &hc);
	CU_ASSERT_EQUAL(h1, 1);
	host6(&hc6, "h6", 0, 6);
	h6 = fab_fabric_add_host(fab, &hc6);
	CU_ASSERT_EQUAL(h6, 2);
	snprintf(c.name, sizeof(c.name), "h0");
	CU_ASSERT_EQUAL(fab_fabric_add_switch(fab, &c), -EEXIST);
	snprintf(c.name, sizeof(c.name), "sw");
	s = fab_fabric_add_switch(fab, &c);
	CU_ASSERT_EQUAL(s, 3);
	CU_ASSERT_EQUAL(fab_fabric_node_by_name(fab, "sw"), s);
	CU_ASSERT_EQUAL(fab_fabric_node_by_name(fab, "nope"), -ENOENT);
	CU_ASSERT_STRING_EQUAL(fab_fabric_node_name(fab, h1), "h1");
	CU_ASSERT_EQUAL(fab_fabric_node_kind(fab, s), FAB_NODE_SWITCH);
	/* Ids are name ranks: h0 < h1 < h6 < sw. */
	CU_ASSERT_EQUAL(fab_fabric_node_id(fab, s), 3);
	CU_ASSERT_EQUAL(fab_fabric_node_id(fab, h6), 2);
	/* The fabric keeps its own copy. */
	fab_switch_conf_free(&c);

	CU_ASSERT_EQUAL(fab_fabric_connect(fab, h0, 0, h0, 0, US), -EINVAL);
	CU_ASSERT_EQUAL(fab_fabric_connect(fab, h0, 1, s, 0, US), -EINVAL);
	CU_ASSERT_EQUAL(fab_fabric_connect(fab, h0, 0, 9, 0, US), -EINVAL);
	CU_ASSERT_EQUAL(fab_fabric_connect(fab, h0, 0, s, 0, US), 0);
	CU_ASSERT_EQUAL(fab_fabric_connect(fab, h1, 0, s, 0, US), -EEXIST);

	memset(&f, 0, sizeof(f));
	f.src = h0;
	f.dst = h1;
	f.bytes = 100;
	f.qpn = 1;
	CU_ASSERT_EQUAL(fab_fabric_add_flow(fab, &f), -EINVAL);   /* QPN 1 is special */
	f.qpn = 2;
	f.mtu = 1000;
	CU_ASSERT_EQUAL(fab_fabric_add_flow(fab, &f), -EINVAL);
	f.mtu = 0;
	f.dst = s;
	CU_ASSERT_EQUAL(fab_fabric_add_flow(fab, &f), -EINVAL);   /* to a switch */
	f.dst = h6;
	CU_ASSERT_EQUAL(fab_fabric_add_flow(fab, &f), -EINVAL);   /* IPv4 to IPv6 */
	f.dst = h1;
	f.dscp = 64;
	CU_ASSERT_EQUAL(fab_fabric_add_flow(fab, &f), -EINVAL);
	f.dscp = 26;
	f.ecn = 3;
	CU_ASSERT_EQUAL(fab_fabric_add_flow(fab, &f), -EINVAL);
	f.ecn = 2;
	CU_ASSERT_EQUAL(fab_fabric_add_flow(fab, &f), 0);

	/* h6 is not connected, nor is the switch's p1. */
	CU_ASSERT_EQUAL(fab_fabric_start(fab), -ENOTCONN);
	CU_ASSERT_PTR_NOT_NULL(strstr(fab_fabric_error(fab), "h1"));
	CU_ASSERT_EQUAL(fab_fabric_run(fab, UINT64_MAX), -EINVAL);
	fab_fabric_free(fab);

	/* Rates of the two ends must agree. */
	fab = fab_fabric_create(NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fab);
	CU_ASSERT_EQUAL_FATAL(fab_fabric_switch_conf_init(&c2, "sw", 1, G100, err, sizeof(err)), 0);
	host4(&hc, "h0", IP4(10, 0, 0, 1), 1);
	hc.rate_bps = G100 / 4;
	h0 = fab_fabric_add_host(fab, &hc);
	s = fab_fabric_add_switch(fab, &c2);
	fab_switch_conf_free(&c2);
	CU_ASSERT_EQUAL(fab_fabric_connect(fab, h0, 0, s, 0, US), 0);
	CU_ASSERT_EQUAL(fab_fabric_start(fab), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(fab_fabric_error(fab), "rates differ"));
	CU_ASSERT_EQUAL(fab_fabric_add_host(fab, &hc6), -EBUSY);
	fab_fabric_free(fab);
}

/* Two flows to one host on one QPN cannot be told apart: refused at start. */
static void
test_duplicate_qpn(void)
{
	static const char *const names[] = { "s0" };
	struct fab_fabric *fab;
	int h0, h1;

	fab = build_chain(1, names, false, US, &h0, &h1);
	add_flow(fab, h0, h1, 100, 0, 7, 26);
	add_flow(fab, h0, h1, 100, 0, 7, 26);
	CU_ASSERT_EQUAL(fab_fabric_start(fab), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(fab_fabric_error(fab), "QPN 7"));
	fab_fabric_free(fab);
}

/* A flow paced below line rate sends one packet per packet time at its own rate. */
static void
test_paced_flow(void)
{
	static const char *const names[] = { "s0" };
	const uint32_t mid = V4_WRITE_LAST_LEN(1024);
	struct fab_flow_conf f;
	struct fab_flow_stats fs;
	struct fab_fabric_totals t;
	struct fab_fabric *fab;
	int h0, h1, id;

	fab = build_chain(1, names, false, US, &h0, &h1);
	memset(&f, 0, sizeof(f));
	f.src = h0;
	f.dst = h1;
	f.bytes = 4 * 1024;
	f.mtu = 1024;
	f.qpn = 9;
	f.dscp = 26;
	f.rate_bps = G100 / 10;
	id = fab_fabric_add_flow(fab, &f);
	CU_ASSERT_FATAL(id >= 0);
	CU_ASSERT_EQUAL(fab_fabric_run(fab, UINT64_MAX), 0);
	check_conserved(fab, &t);
	CU_ASSERT_EQUAL(fab_fabric_flow_stats(fab, id, &fs), 0);
	CU_ASSERT_EQUAL(fs.rx_frames, 4);
	CU_ASSERT_EQUAL(fs.rx_out_of_order, 0);
	/*
	 * Packets 0..2 (first, middle, middle) are built 10x their 100G wire
	 * time apart; the last (a middle's size) then crosses both links.
	 */
	CU_ASSERT_EQUAL(fs.last_tx_ps, 10 * (W100(V4_WRITE_FIRST_LEN(1024)) + 2 * W100(mid)));
	CU_ASSERT_EQUAL(fs.last_rx_ps, fs.last_tx_ps + 2 * (W100(mid) + US));
	fab_fabric_free(fab);
}

/*
 * QPN 0 is assigned at start, in the order of the flows' contents, around
 * the QPNs given; bytes 0 sends until the run ends, at its own pace.
 */
static void
test_auto_qpn_endless(void)
{
	static const char *const names[] = { "s0" };
	const uint64_t first = (V4_WRITE_FIRST_LEN(4096) + 24) * 8 * 100;
	const uint64_t mid = (V4_WRITE_LAST_LEN(4096) + 24) * 8 * 100;
	struct fab_flow_conf f;
	struct fab_flow_stats a, b, c;
	struct fab_fabric_totals t;
	struct fab_fabric *fab;
	int h0, h1, fa, fb, fc;

	fab = build_chain(1, names, false, US, &h0, &h1);
	fc = add_flow(fab, h0, h1, 100, 2 * US, 0, 26);
	fa = add_flow(fab, h0, h1, 100, 1 * US, FAB_FABRIC_AUTO_QPN, 26);
	memset(&f, 0, sizeof(f));
	f.src = h0;
	f.dst = h1;
	f.dscp = 26;
	f.rate_bps = G100 / 10;
	fb = fab_fabric_add_flow(fab, &f);
	CU_ASSERT_FATAL(fb >= 0);
	CU_ASSERT_EQUAL(fab_fabric_run(fab, 20 * US), 1);
	check_conserved(fab, &t);
	CU_ASSERT_EQUAL(fab_fabric_flow_stats(fab, fa, &a), 0);
	CU_ASSERT_EQUAL(fab_fabric_flow_stats(fab, fb, &b), 0);
	CU_ASSERT_EQUAL(fab_fabric_flow_stats(fab, fc, &c), 0);
	CU_ASSERT_EQUAL(a.qpn, FAB_FABRIC_AUTO_QPN);
	CU_ASSERT_EQUAL(b.qpn, FAB_FABRIC_AUTO_QPN + 1);  /* starts first */
	CU_ASSERT_EQUAL(c.qpn, FAB_FABRIC_AUTO_QPN + 2);
	CU_ASSERT_TRUE(a.done);
	CU_ASSERT_TRUE(c.done);
	/* Built at 0, first, first + mid, ...: six before 20 us, all arrived by then. */
	CU_ASSERT_EQUAL(b.tx_frames, 6);
	CU_ASSERT_EQUAL(b.last_tx_ps, first + 4 * mid);
	CU_ASSERT_EQUAL(b.rx_frames, 6);
	CU_ASSERT_EQUAL(b.rx_bytes, 6 * 4096);
	CU_ASSERT_EQUAL(b.rx_out_of_order, 0);
	CU_ASSERT_FALSE(b.done);
	CU_ASSERT_EQUAL(t.host_tx, 8);
	CU_ASSERT_EQUAL(t.in_flight, 0);
	CU_ASSERT_EQUAL(fab_fabric_next_event(fab), first + 5 * mid);
	fab_fabric_free(fab);
}


/*
 * A 2-rank ring all-reduce of 256 KiB over a chain of two switches, on the
 * generator's QPs: frames conserved at every slice (ACKs included), the job
 * done, each rank's bytes as the pattern says, nothing resent.
 */
static void
test_job_chain(void)
{
	static const char *const names[] = { "s0", "s1" };
	static const uint64_t size = 256 << 10;
	struct fab_gen_nic_conf nic = { .cc = "cc-none", .mtu = 1024 };
	struct fab_fabric_totals t;
	struct fab_gen_size_result r;
	struct fab_gen_host_stats hs;
	struct fab_fabric *fab;
	uint32_t hosts[2];
	struct fab_gen_job_conf jc = {
		.name = "ar",
		.coll = { .pattern = FAB_COLL_ALLREDUCE_RING, .nranks = 2 },
		.hosts = hosts, .nb_sizes = 1, .sizes = &size, .iters = 2,
		.dscp = 26, .ecn = 2,
	};
	struct fab_gen *gen;
	uint64_t until;
	int h0, h1, ret = 1, g0;

	fab = build_chain(2, names, false, 1 * US, &h0, &h1);
	hosts[0] = (uint32_t)h0;
	hosts[1] = (uint32_t)h1;
	CU_ASSERT_EQUAL(fab_fabric_set_nic(fab, &nic), 0);
	/* A rank on a switch is refused. */
	hosts[1] = (uint32_t)fab_fabric_node_by_name(fab, "s0");
	CU_ASSERT_EQUAL(fab_fabric_add_job(fab, &jc), -EINVAL);
	CU_ASSERT(strstr(fab_fabric_error(fab), "not on a host") != NULL);
	hosts[1] = (uint32_t)h1;
	CU_ASSERT_EQUAL(fab_fabric_add_job(fab, &jc), 0);
	for (until = 10 * US; ret == 1 && until < 100000 * US; until += 10 * US) {
		ret = fab_fabric_run(fab, until);
		CU_ASSERT_FATAL(ret >= 0);
		check_conserved(fab, &t);
	}
	CU_ASSERT_EQUAL(ret, 0);
	CU_ASSERT_EQUAL(t.in_flight, 0);
	gen = fab_fabric_gen(fab);
	CU_ASSERT_PTR_NOT_NULL_FATAL(gen);
	CU_ASSERT_TRUE(fab_gen_done(gen));
	/* 2 ranks: each sends S/2 per step, 2 steps, 2 iterations. */
	CU_ASSERT_EQUAL(fab_gen_rx_matrix(gen, 0, 0, 1), 2 * size);
	CU_ASSERT_EQUAL(fab_gen_rx_matrix(gen, 0, 1, 0), 2 * size);
	CU_ASSERT_EQUAL(fab_gen_size_result(gen, 0, 0, &r), 0);
	CU_ASSERT_EQUAL(r.iters, 2);
	CU_ASSERT_EQUAL(r.wrong, 0);
	/* At least the wire time of S at 100G for 2(n-1)/n * S per rank. */
	CU_ASSERT(r.time_ps > size * 8 * 10);
	g0 = fab_fabric_gen_host(fab, h0);
	CU_ASSERT(g0 >= 0);
	CU_ASSERT_EQUAL(fab_fabric_gen_node(fab, (uint32_t)g0), h0);
	CU_ASSERT_EQUAL(fab_gen_host_stats(gen, (uint32_t)g0, &hs), 0);
	CU_ASSERT_EQUAL(hs.rx_data_bytes, 2 * size);
	CU_ASSERT_EQUAL(hs.retx_pkts, 0);
	CU_ASSERT(hs.tx_acks > 0 && hs.rx_acks > 0);
	CU_ASSERT_EQUAL(fab_fabric_gen_host(fab, fab_fabric_node_by_name(fab, "s1")), -EINVAL);
	fab_fabric_free(fab);
}

/* Replays are checked when added; a bad file fails at start, with its name. */
static void
test_replay_invalid(void)
{
	static const char *const names[] = { "s0" };
	struct fab_replay_map map[2];
	struct fab_replay_conf rc = { .path = "/nonexistent.pcap", .speed = 1, .nb_map = 2,
		.map = map };
	struct fab_fabric *fab;
	int h0, h1;

	fab = build_chain(1, names, false, 1 * US, &h0, &h1);
	map[0] = (struct fab_replay_map){ .l3 = FAB_L3_IPV4, .host = h0 };
	map[1] = (struct fab_replay_map){ .l3 = FAB_L3_IPV4, .host = h1 };
	rc.speed = 0;
	CU_ASSERT_EQUAL(fab_fabric_add_replay(fab, &rc), -EINVAL);
	rc.speed = 1;
	map[1].host = fab_fabric_node_by_name(fab, "s0");
	CU_ASSERT_EQUAL(fab_fabric_add_replay(fab, &rc), -EINVAL);
	map[1].host = h1;
	CU_ASSERT_EQUAL(fab_fabric_add_replay(fab, &rc), 0);
	CU_ASSERT(fab_fabric_start(fab) < 0);
	CU_ASSERT(strstr(fab_fabric_error(fab), "/nonexistent.pcap") != NULL);
	fab_fabric_free(fab);
}

int
fab_suite_fabric(void)
{
	CU_pSuite s = fab_test_add_suite("fabric");

	if (s == NULL)
		return -1;
	FAB_ADD_TEST(s, test_heap_invalid);
	FAB_ADD_TEST(s, test_heap_order_ties);
	FAB_ADD_TEST(s, test_heap_decrease_increase);
	FAB_ADD_TEST(s, test_heap_random);
	FAB_ADD_TEST(s, test_invalid);
	FAB_ADD_TEST(s, test_duplicate_qpn);
	FAB_ADD_TEST(s, test_latency_leaf_spine);
	FAB_ADD_TEST(s, test_latency_chain8);
	FAB_ADD_TEST(s, test_latency_chain8_v6);
	FAB_ADD_TEST(s, test_paced_flow);
	FAB_ADD_TEST(s, test_auto_qpn_endless);
	FAB_ADD_TEST(s, test_incast_pfc_conserves);
	FAB_ADD_TEST(s, test_incast_lossy_drops_conserves);
	FAB_ADD_TEST(s, test_determinism);
	FAB_ADD_TEST(s, test_rx_deferral_changes_nothing);
	FAB_ADD_TEST(s, test_job_chain);
	FAB_ADD_TEST(s, test_replay_invalid);
	return 0;
}
