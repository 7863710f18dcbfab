/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/* lib/link: exact delivery times, order, capacity, teardown in any order, taps. */

#include <errno.h>
#include <string.h>

#include <fab_link.h>
#include <fab_pkt.h>

#include "fab_test.h"

#define RATE_100G 100000000000ull

static struct rte_mbuf *
frame(uint32_t len, uint8_t tag)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(fab_test_pool);
	char *p;

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	p = rte_pktmbuf_append(m, (uint16_t)len);
	memset(p, tag, len);
	return m;
}

static struct fab_port *
end_port(struct fab_link *l, unsigned int end, const char *name)
{
	struct fab_port_conf pc = { .name = name, .rate_bps = RATE_100G };
	char err[128];
	struct fab_port *p = fab_link_port(l, end, &pc, 9216, err, sizeof(err));

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	return p;
}

static void
test_invalid(void)
{
	struct fab_link_conf c = { .name = NULL };
	struct fab_link *l;
	char err[128];
	struct fab_port_conf pc = { .name = "x", .rate_bps = RATE_100G };

	CU_ASSERT_PTR_NULL(fab_link_create(NULL));
	CU_ASSERT_PTR_NULL(fab_link_create(&c));
	c.name = "l";
	c.capacity = 3;
	CU_ASSERT_PTR_NULL(fab_link_create(&c));
	c.capacity = 4;
	l = fab_link_create(&c);
	CU_ASSERT_PTR_NOT_NULL_FATAL(l);
	CU_ASSERT_PTR_NULL(fab_link_port(l, 2, &pc, 1514, err, sizeof(err)));
	CU_ASSERT_PTR_NULL(fab_link_port(NULL, 0, &pc, 1514, err, sizeof(err)));
	fab_link_free(l);
	fab_link_free(NULL);
}

/* Delivery = transmit complete + propagation delay, in order, only once due. */
static void
test_delivery_times(void)
{
	struct fab_link_conf c = { .name = "h0-leaf0", .delay_ps = 1000000, .rate_bps = RATE_100G };
	struct fab_link *l = fab_link_create(&c);
	struct fab_port *a, *b;
	struct rte_mbuf *out[4], *in[8];
	uint64_t done[4] = { 7040, 14080, 21120, 500000 }, arr[8];
	uint16_t n;
	int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(l);
	a = end_port(l, 0, "a");
	b = end_port(l, 1, "b");
	for (i = 0; i < 4; i++)
		out[i] = frame(64, (uint8_t)i);
	CU_ASSERT_EQUAL(fab_port_tx_burst(a, done, out, 4), 4);
	CU_ASSERT_EQUAL(fab_link_in_flight(l), 4);
	CU_ASSERT_EQUAL(fab_port_next_rx_ps(b), 1007040);
	CU_ASSERT_EQUAL(fab_port_next_rx_ps(a), UINT64_MAX);
	/* Nothing before its time; exactly at it, yes. */
	CU_ASSERT_EQUAL(fab_port_rx_burst_ts(b, 1007039, in, arr, 8), 0);
	n = fab_port_rx_burst_ts(b, 1021120, in, arr, 8);
	CU_ASSERT_EQUAL_FATAL(n, 3);
	for (i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL(arr[i], done[i] + 1000000);
		CU_ASSERT_EQUAL(*rte_pktmbuf_mtod(in[i], uint8_t *), i);
		rte_pktmbuf_free(in[i]);
	}
	CU_ASSERT_EQUAL(fab_port_next_rx_ps(b), 1500000);
	n = fab_port_rx_burst(b, UINT64_MAX - 1, in, 8);
	CU_ASSERT_EQUAL(n, 1);
	rte_pktmbuf_free(in[0]);
	CU_ASSERT_EQUAL(fab_link_in_flight(l), 0);
	CU_ASSERT_EQUAL(fab_port_next_rx_ps(b), UINT64_MAX);
	{
		struct fab_link_dir_stats s;

		CU_ASSERT_EQUAL(fab_link_stats(l, 0, &s), 0);
		CU_ASSERT_EQUAL(s.frames, 4);
		CU_ASSERT_EQUAL(s.bytes, 256);
		CU_ASSERT_EQUAL(s.delivered, 4);
		CU_ASSERT_EQUAL(s.in_flight, 0);
		CU_ASSERT_EQUAL(fab_link_stats(l, 1, &s), 0);
		CU_ASSERT_EQUAL(s.frames, 0);
	}
	fab_port_free(a);
	fab_port_free(b);
	fab_link_free(l);
}

/* Both directions are independent. */
static void
test_full_duplex(void)
{
	struct fab_link_conf c = { .name = "x", .delay_ps = 5, .capacity = 8 };
	struct fab_link *l = fab_link_create(&c);
	struct fab_port *a = end_port(l, 0, "a"), *b = end_port(l, 1, "b");
	struct rte_mbuf *m[2] = { frame(100, 0xa), frame(200, 0xb) }, *in[2];
	uint64_t t1 = 10, t2 = 20;

	CU_ASSERT_EQUAL(fab_port_tx_burst(a, &t1, &m[0], 1), 1);
	CU_ASSERT_EQUAL(fab_port_tx_burst(b, &t2, &m[1], 1), 1);
	CU_ASSERT_EQUAL(fab_port_next_rx_ps(b), 15);
	CU_ASSERT_EQUAL(fab_port_next_rx_ps(a), 25);
	CU_ASSERT_EQUAL(fab_port_rx_burst(a, 30, in, 2), 1);
	CU_ASSERT_EQUAL(rte_pktmbuf_pkt_len(in[0]), 200);
	rte_pktmbuf_free(in[0]);
	CU_ASSERT_EQUAL(fab_port_rx_burst(b, 30, in, 2), 1);
	CU_ASSERT_EQUAL(rte_pktmbuf_pkt_len(in[0]), 100);
	rte_pktmbuf_free(in[0]);
	fab_port_free(a);
	fab_port_free(b);
	fab_link_free(l);
}

/* Peeking names the frames still on the wire towards an end, in order, and takes none. */
static void
test_peek(void)
{
	struct fab_link_conf c = { .name = "p", .delay_ps = 100, .capacity = 8 };
	struct fab_link *l = fab_link_create(&c);
	struct fab_port *a = end_port(l, 0, "a"), *b = end_port(l, 1, "b");
	struct rte_mbuf *m[3] = { frame(64, 1), frame(64, 2), frame(64, 3) }, *in[4];
	uint64_t done[3] = { 10, 20, 30 };

	CU_ASSERT_PTR_NULL(fab_link_peek(l, 1, 0));
	CU_ASSERT_EQUAL(fab_port_tx_burst(a, done, m, 3), 3);
	CU_ASSERT_PTR_EQUAL(fab_link_peek(l, 1, 0), m[0]);
	CU_ASSERT_PTR_EQUAL(fab_link_peek(l, 1, 2), m[2]);
	CU_ASSERT_PTR_NULL(fab_link_peek(l, 1, 3));
	/* Nothing goes towards end 0. */
	CU_ASSERT_PTR_NULL(fab_link_peek(l, 0, 0));
	CU_ASSERT_EQUAL(fab_link_in_flight(l), 3);
	CU_ASSERT_EQUAL(fab_port_rx_burst(b, 115, in, 4), 1);
	CU_ASSERT_PTR_EQUAL(in[0], m[0]);
	CU_ASSERT_PTR_EQUAL(fab_link_peek(l, 1, 0), m[1]);
	CU_ASSERT_PTR_NULL(fab_link_peek(l, 1, 2));
	rte_pktmbuf_free(in[0]);
	CU_ASSERT_EQUAL(fab_port_rx_burst(b, UINT64_MAX - 1, in, 4), 2);
	rte_pktmbuf_free_bulk(in, 2);
	CU_ASSERT_PTR_NULL(fab_link_peek(l, 1, 0));
	fab_port_free(a);
	fab_port_free(b);
	fab_link_free(l);
}

/* A full ring refuses, frees and counts; the pool gets every mbuf back. */
static void
test_ring_full_and_teardown(void)
{
	struct fab_link_conf c = { .name = "small", .delay_ps = 100, .capacity = 4 };
	unsigned int avail = rte_mempool_avail_count(fab_test_pool);
	struct fab_link *l = fab_link_create(&c);
	struct fab_port *a = end_port(l, 0, "a"), *b = end_port(l, 1, "b");
	struct rte_mbuf *m[6];
	uint64_t t[6] = { 1, 2, 3, 4, 5, 6 };
	struct fab_link_dir_stats s;
	struct fab_port_stats ps;
	int i;

	for (i = 0; i < 6; i++)
		m[i] = frame(64, 0);
	CU_ASSERT_EQUAL(fab_port_tx_burst(a, t, m, 6), 4);
	fab_link_stats(l, 0, &s);
	CU_ASSERT_EQUAL(s.ring_full, 2);
	CU_ASSERT_EQUAL(s.in_flight, 4);
	fab_port_stats(a, &ps);
	CU_ASSERT_EQUAL(ps.tx_errors, 2);
	CU_ASSERT_EQUAL(ps.tx_packets, 4);
	/* Free the link first: its frames stay until the last holder goes. */
	fab_link_free(l);
	fab_port_free(a);
	fab_port_free(b);
	CU_ASSERT_EQUAL(rte_mempool_avail_count(fab_test_pool), avail);
}

/*
 * A ring sized from rate and delay holds the smallest frames a fabric sends
 * (RoCEv2 with no payload: 58 bytes, 82 on the wire) back to back at line
 * rate for its delay plus the slack it reports, with nothing taken: none is
 * refused. At 27.9 us the ring sized for 88-byte frames (before session 12)
 * had 4096 slots for 4253 frames on the wire alone.
 */
static void
test_ring_holds_smallest_frames(void)
{
	static const uint64_t delays[] = { 1000000, 27900000, 100000000 };
	unsigned int avail = rte_mempool_avail_count(fab_test_pool);
	unsigned int k;

	for (k = 0; k < RTE_DIM(delays); k++) {
		struct fab_link_conf c = { .name = "tight", .delay_ps = delays[k],
			.rate_bps = RATE_100G };
		struct fab_link *l = fab_link_create(&c);
		struct fab_port *a, *b;
		uint64_t wire = fab_wire_time_ps(58, RATE_100G), slack, t = 0, sent = 0;
		struct rte_mbuf *m = frame(58, 0x58), *in[32];
		struct fab_link_dir_stats st;
		uint16_t n;

		CU_ASSERT_PTR_NOT_NULL_FATAL(l);
		a = end_port(l, 0, "a");
		b = end_port(l, 1, "b");
		slack = fab_link_rx_slack_ps(l, RATE_100G);
		/* Sized with 64 slots for a late receiver at least. */
		CU_ASSERT(slack >= 64 * 6400);
		if (k == 0) {
			/* 512 slots: 157 frames of 80 bytes in 1 us, 64 for bursts, one. */
			CU_ASSERT_EQUAL(fab_link_capacity(l), 512);
			CU_ASSERT_EQUAL(slack, (512 - 157 - 64 - 1) * 6400);
		}
		/* Every frame sent before now + delay... */
		while (t + wire <= delays[k] + slack) {
			uint64_t done[32];
			struct rte_mbuf *out[32];
			unsigned int i;

			for (i = 0; i < 32; i++) {
				t += wire;
				done[i] = t;
				out[i] = m;
			}
			rte_mbuf_refcnt_update(m, 32);
			sent += fab_port_tx_burst(a, done, out, 32);
		}
		CU_ASSERT_EQUAL(fab_link_stats(l, 0, &st), 0);
		CU_ASSERT_EQUAL(st.ring_full, 0);
		CU_ASSERT_EQUAL(st.frames, sent);
		CU_ASSERT(sent * wire >= delays[k] + slack - 32 * wire);
		/* ...comes out, in order, once due. */
		while ((n = fab_port_rx_burst(b, UINT64_MAX - 1, in, 32)) > 0) {
			unsigned int i;

			for (i = 0; i < n; i++)
				rte_pktmbuf_free(in[i]);
			sent -= n;
		}
		CU_ASSERT_EQUAL(sent, 0);
		rte_pktmbuf_free(m);
		fab_port_free(a);
		fab_port_free(b);
		fab_link_free(l);
	}
	/* A link with no rate has no slack to give. */
	{
		struct fab_link_conf c = { .name = "norate", .delay_ps = 1000 };
		struct fab_link *l = fab_link_create(&c);

		CU_ASSERT_PTR_NOT_NULL_FATAL(l);
		CU_ASSERT_EQUAL(fab_link_rx_slack_ps(l, 0), 0);
		fab_link_free(l);
	}
	CU_ASSERT_EQUAL(rte_mempool_avail_count(fab_test_pool), avail);
}

/* Once one end is gone, frames sent towards it are dropped and counted. */
static void
test_detached_end(void)
{
	struct fab_link_conf c = { .name = "half", .delay_ps = 1, .capacity = 4 };
	struct fab_link *l = fab_link_create(&c);
	struct fab_port *a = end_port(l, 0, "a"), *b = end_port(l, 1, "b");
	struct rte_mbuf *m = frame(64, 0);
	uint64_t t = 0;
	char err[128];
	struct fab_port_conf pc = { .name = "again", .rate_bps = RATE_100G };

	CU_ASSERT_PTR_NULL(fab_link_port(l, 0, &pc, 1514, err, sizeof(err)));
	fab_port_free(b);
	CU_ASSERT_EQUAL(fab_port_tx_burst(a, &t, &m, 1), 0);
	CU_ASSERT_EQUAL(fab_link_in_flight(l), 0);
	fab_port_free(a);
	fab_link_free(l);
}

struct tap_log {
	int n;
	unsigned int dir[4];
	uint64_t t[4];
};

static void
tap(void *arg, unsigned int dir, uint64_t tx_done_ps, const struct rte_mbuf *m)
{
	struct tap_log *log = arg;

	(void)m;
	if (log->n < 4) {
		log->dir[log->n] = dir;
		log->t[log->n++] = tx_done_ps;
	}
}

static void
test_tap(void)
{
	struct fab_link_conf c = { .name = "tapped", .delay_ps = 50, .capacity = 8 };
	struct fab_link *l = fab_link_create(&c);
	struct fab_port *a = end_port(l, 0, "a"), *b = end_port(l, 1, "b");
	struct rte_mbuf *m[2] = { frame(64, 1), frame(64, 2) }, *in[2];
	uint64_t t1 = 100, t2 = 300;
	struct tap_log log = { 0 };

	fab_link_set_tap(l, tap, &log);
	fab_port_tx_burst(a, &t1, &m[0], 1);
	fab_port_tx_burst(b, &t2, &m[1], 1);
	CU_ASSERT_EQUAL(log.n, 2);
	CU_ASSERT_EQUAL(log.dir[0], 0);
	CU_ASSERT_EQUAL(log.t[0], 100);
	CU_ASSERT_EQUAL(log.dir[1], 1);
	CU_ASSERT_EQUAL(log.t[1], 300);
	CU_ASSERT_EQUAL(fab_port_rx_burst(b, 1000, in, 2), 1);
	rte_pktmbuf_free(in[0]);
	CU_ASSERT_EQUAL(fab_port_rx_burst(a, 1000, in, 2), 1);
	rte_pktmbuf_free(in[0]);
	/* Filtered by EtherType: only the matching frame reaches the tap. */
	fab_link_set_tap_ether_type(l, 0x8808);
	m[0] = frame(64, 0x11);
	rte_pktmbuf_mtod(m[0], uint8_t *)[12] = 0x88;
	rte_pktmbuf_mtod(m[0], uint8_t *)[13] = 0x08;
	m[1] = frame(64, 0x88);
	t1 = 400;
	t2 = 500;
	fab_port_tx_burst(a, &t1, &m[0], 1);
	fab_port_tx_burst(a, &t2, &m[1], 1);
	CU_ASSERT_EQUAL(log.n, 3);
	CU_ASSERT_EQUAL(log.t[2], 400);
	CU_ASSERT_EQUAL(fab_port_rx_burst(b, 1000, in, 2), 2);
	rte_pktmbuf_free_bulk(in, 2);
	fab_link_set_tap_ether_type(l, 0);
	m[0] = frame(64, 0x11);
	fab_port_tx_burst(a, &t2, &m[0], 1);
	CU_ASSERT_EQUAL(log.n, 4);
	CU_ASSERT_EQUAL(fab_port_rx_burst(b, 1000, in, 2), 1);
	rte_pktmbuf_free(in[0]);
	CU_ASSERT_STRING_EQUAL(fab_link_name(l), "tapped");
	CU_ASSERT_EQUAL(fab_port_kind(a), FAB_PORT_KIND_LINK);
	fab_port_free(a);
	fab_port_free(b);
	fab_link_free(l);
}

/* Take every due frame towards @p rx; each must carry the next tag and a later time. */
static uint16_t
take_in_order(struct fab_port *rx, uint64_t now, uint8_t *next_tag, uint64_t *last_ps)
{
	struct rte_mbuf *in[16];
	uint64_t arr[16];
	uint16_t n, i, total = 0;

	while ((n = fab_port_rx_burst_ts(rx, now, in, arr, 16)) != 0) {
		for (i = 0; i < n; i++) {
			CU_ASSERT_EQUAL(*rte_pktmbuf_mtod(in[i], uint8_t *), *next_tag);
			CU_ASSERT(arr[i] > *last_ps);
			(*next_tag)++;
			*last_ps = arr[i];
		}
		rte_pktmbuf_free_bulk(in, n);
		total += n;
	}
	return total;
}

/*
 * A direction works in its first slots and doubles them as frames pile
 * up, also while its indices have wrapped round the slots in use: order,
 * times and the capacity hold throughout, and an emptied ring starts over.
 */
static void
test_ring_grows_in_order(void)
{
	struct fab_link_conf c = { .name = "grow", .delay_ps = 1000, .capacity = 64 };
	unsigned int avail = rte_mempool_avail_count(fab_test_pool);
	struct fab_link *l = fab_link_create(&c);
	struct fab_port *a = end_port(l, 0, "a"), *b = end_port(l, 1, "b");
	struct rte_mbuf *m[80];
	uint64_t t[80], last = 0;
	struct fab_link_dir_stats s;
	uint8_t sent = 0, want = 0;
	int i, round;

	for (round = 0; round < 2; round++) {
		/* Five in, three out: the next frames wrap round the first eight slots. */
		for (i = 0; i < 5; i++) {
			t[i] = (uint64_t)(round * 100000 + 10 * (sent + 1));
			m[i] = frame(64, sent++);
		}
		CU_ASSERT_EQUAL(fab_port_tx_burst(a, t, m, 5), 5);
		CU_ASSERT_EQUAL(take_in_order(b, t[2] + c.delay_ps, &want, &last), 3);
		/* 2 + 62 = 64 in flight: two doublings with a wrapped head, then full. */
		for (i = 0; i < 70; i++) {
			t[i] = (uint64_t)(round * 100000 + 10 * (sent + i + 1));
			m[i] = frame(64, (uint8_t)(sent + i));
		}
		CU_ASSERT_EQUAL(fab_port_tx_burst(a, t, m, 70), 62);
		sent = (uint8_t)(sent + 62);
		fab_link_stats(l, 0, &s);
		CU_ASSERT_EQUAL(s.in_flight, 64);
		CU_ASSERT_EQUAL(s.ring_full, (uint64_t)8 * (round + 1));
		CU_ASSERT_EQUAL(*rte_pktmbuf_mtod(fab_link_peek(l, 1, 63), uint8_t *),
			(uint8_t)(sent - 1));
		CU_ASSERT_EQUAL(fab_port_next_rx_ps(b), (uint64_t)(round * 100000 + 10 * (want + 1)) + c.delay_ps);
		CU_ASSERT_EQUAL(take_in_order(b, UINT64_MAX - 1, &want, &last), 64);
		CU_ASSERT_EQUAL(want, sent);
		CU_ASSERT_EQUAL(fab_link_in_flight(l), 0);
		CU_ASSERT_EQUAL(fab_port_next_rx_ps(b), UINT64_MAX);
	}
	fab_port_free(a);
	fab_port_free(b);
	fab_link_free(l);
	CU_ASSERT_EQUAL(rte_mempool_avail_count(fab_test_pool), avail);
}

/*
 * A bound word holds what fab_port_next_rx_ps() says, through sends and
 * receives; unbinding, or freeing the port, hands the time back to the
 * link, which writes the word no more.
 */
static void
test_bind_next_rx(void)
{
	struct fab_link_conf c = { .name = "bound", .delay_ps = 100, .capacity = 8 };
	struct fab_link *l = fab_link_create(&c);
	struct fab_port *a = end_port(l, 0, "a"), *b = end_port(l, 1, "b");
	struct rte_mbuf *m[3] = { frame(64, 1), frame(64, 2), frame(64, 3) }, *in[4];
	uint64_t done[3] = { 10, 20, 30 }, slot = 7, t = 40;

	CU_ASSERT_EQUAL(fab_port_bind_next_rx(NULL, &slot), -EINVAL);
	CU_ASSERT_EQUAL(fab_port_bind_next_rx(b, &slot), 0);
	CU_ASSERT_EQUAL(slot, UINT64_MAX);
	CU_ASSERT_EQUAL(fab_port_tx_burst(a, done, m, 2), 2);
	CU_ASSERT_EQUAL(slot, 110);
	CU_ASSERT_EQUAL(fab_port_next_rx_ps(b), 110);
	CU_ASSERT_EQUAL(fab_link_next_delivery(l, 1), 110);
	CU_ASSERT_EQUAL(fab_port_rx_burst(b, 110, in, 4), 1);
	rte_pktmbuf_free(in[0]);
	CU_ASSERT_EQUAL(slot, 120);
	/* Back to the link's own word, which starts from the bound one's value. */
	CU_ASSERT_EQUAL(fab_port_bind_next_rx(b, NULL), 0);
	CU_ASSERT_EQUAL(fab_port_next_rx_ps(b), 120);
	CU_ASSERT_EQUAL(fab_port_rx_burst(b, 120, in, 4), 1);
	rte_pktmbuf_free(in[0]);
	CU_ASSERT_EQUAL(slot, 120);
	CU_ASSERT_EQUAL(fab_port_next_rx_ps(b), UINT64_MAX);
	/* Bound again, then freed: later sends leave the word alone. */
	CU_ASSERT_EQUAL(fab_port_bind_next_rx(b, &slot), 0);
	CU_ASSERT_EQUAL(slot, UINT64_MAX);
	fab_port_free(b);
	slot = 7;
	CU_ASSERT_EQUAL(fab_link_next_delivery(l, 1), UINT64_MAX);
	CU_ASSERT_EQUAL(fab_port_tx_burst(a, &t, &m[2], 1), 0);
	CU_ASSERT_EQUAL(slot, 7);
	fab_port_free(a);
	fab_link_free(l);
}

int
fab_suite_link(void)
{
	CU_pSuite s = fab_test_add_suite("link");

	if (s == NULL)
		return -1;
	FAB_ADD_TEST(s, test_invalid);
	FAB_ADD_TEST(s, test_delivery_times);
	FAB_ADD_TEST(s, test_full_duplex);
	FAB_ADD_TEST(s, test_ring_full_and_teardown);
	FAB_ADD_TEST(s, test_ring_holds_smallest_frames);
	FAB_ADD_TEST(s, test_detached_end);
	FAB_ADD_TEST(s, test_tap);
	FAB_ADD_TEST(s, test_peek);
	FAB_ADD_TEST(s, test_ring_grows_in_order);
	FAB_ADD_TEST(s, test_bind_next_rx);
	return 0;
}
