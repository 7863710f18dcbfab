/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#include <string.h>

#include <rte_errno.h>
#include <rte_mbuf.h>
#include <rte_memory.h>
#include <rte_mempool.h>

#include "fab_pkt.h"
#include "fab_sched.h"
#include "fab_test.h"

#define G100 100000000000ull
#define G25 25000000000ull
/* Wire times at 100G: (frame + 24) * 8 bits * 10 ps. */
#define W64_100G 7040ull    /* 64 B */
#define W60_100G 6720ull    /* 60 B PFC frame */
#define W1500_100G 121920ull

/* A frame of @p len bytes whose first four bytes hold @p id. */
static struct rte_mbuf *
make_frame(uint32_t len, uint32_t id)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(fab_test_pool);
	char *p;

	if (m == NULL)
		return NULL;
	p = rte_pktmbuf_append(m, (uint16_t)len);
	if (p == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	memset(p, 0, len);
	memcpy(p, &id, sizeof(id));
	return m;
}

static uint32_t
frame_id(const struct rte_mbuf *m)
{
	uint32_t id;

	memcpy(&id, rte_pktmbuf_mtod(m, const void *), sizeof(id));
	return id;
}

/* Every class DWRR, weight 1, 64 frames; the caller adjusts. */
static void
base_conf(struct fab_sched_conf *conf, uint64_t rate_bps)
{
	unsigned int c;

	memset(conf, 0, sizeof(*conf));
	conf->name = "test";
	conf->socket_id = SOCKET_ID_ANY;
	conf->rate_bps = rate_bps;
	for (c = 0; c < FAB_NUM_PRIO; c++) {
		conf->cls[c].capacity = 64;
		conf->cls[c].weight = 1;
	}
}

static void
enqueue_n(struct fab_sched *s, uint8_t cls, unsigned int n, uint32_t len, uint32_t id_base)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = make_frame(len, id_base + i);

		CU_ASSERT_PTR_NOT_NULL_FATAL(m);
		/* Tagged with its id: tests that read tags back can match them. */
		CU_ASSERT_EQUAL_FATAL(fab_sched_enqueue_tagged(s, cls, m, rte_pktmbuf_pkt_len(m),
			id_base + i), 0);
	}
}

struct tx_rec {
	uint8_t cls;
	uint32_t id;
	uint32_t len;
	uint64_t tx_done;
	uint64_t released_at;
};

/* Dequeue once at @p now, record, free. */
static uint16_t
dequeue_rec(struct fab_sched *s, uint64_t now, struct tx_rec *rec, uint16_t max)
{
	struct rte_mbuf *out[64];
	uint8_t cls[64];
	uint64_t done[64];
	uint16_t n, i;

	if (max > RTE_DIM(out))
		max = RTE_DIM(out);
	n = fab_sched_dequeue_burst(s, now, out, cls, done, max);
	for (i = 0; i < n; i++) {
		if (rec != NULL) {
			rec[i].cls = cls[i];
			rec[i].id = frame_id(out[i]);
			rec[i].len = rte_pktmbuf_pkt_len(out[i]);
			rec[i].tx_done = done[i];
			rec[i].released_at = now;
		}
		rte_pktmbuf_free(out[i]);
	}
	return n;
}

/*
 * A virtual-time loop: dequeue at @p now, then sleep until next_event, until
 * the scheduler is empty or @p until passes. Returns frames released.
 */
static unsigned int
run_virtual(struct fab_sched *s, uint64_t now, uint64_t until, struct tx_rec *rec,
		unsigned int cap)
{
	unsigned int n = 0, guard = 0;

	while (now <= until && guard++ < 100000) {
		struct tx_rec batch[64];
		uint16_t k = dequeue_rec(s, now, batch, 64);
		uint64_t next;
		uint16_t i;

		for (i = 0; i < k; i++, n++)
			if (n < cap)
				rec[n] = batch[i];
		next = fab_sched_next_event(s, now);
		if (next == UINT64_MAX)
			break;
		CU_ASSERT(next >= now);
		if (next == now && k == 0) {
			CU_FAIL("next_event does not move forward");
			break;
		}
		now = next;
	}
	return n;
}

static void
test_create_invalid(void)
{
	struct fab_sched_conf conf;
	struct fab_sched *s;

	rte_errno = 0;
	CU_ASSERT_PTR_NULL(fab_sched_create(NULL));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);

	base_conf(&conf, G100);
	conf.cls[3].capacity = 0;
	rte_errno = 0;
	CU_ASSERT_PTR_NULL(fab_sched_create(&conf));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);

	base_conf(&conf, G100);
	conf.cls[7].capacity = 48;
	rte_errno = 0;
	CU_ASSERT_PTR_NULL(fab_sched_create(&conf));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);

	base_conf(&conf, G100);
	conf.cls[0].capacity = FAB_SCHED_MAX_CAPACITY * 2;
	CU_ASSERT_PTR_NULL(fab_sched_create(&conf));

	base_conf(&conf, G100);
	conf.ctrl_capacity = 3;
	rte_errno = 0;
	CU_ASSERT_PTR_NULL(fab_sched_create(&conf));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);

	/* Weight 0 is an error in DWRR, and meaningless (accepted) when strict. */
	base_conf(&conf, G100);
	conf.cls[2].weight = 0;
	rte_errno = 0;
	CU_ASSERT_PTR_NULL(fab_sched_create(&conf));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);
	conf.cls[2].strict = true;
	s = fab_sched_create(&conf);
	CU_ASSERT_PTR_NOT_NULL(s);
	fab_sched_free(s);

	/* quantum x weight must fit 32 bits. */
	base_conf(&conf, G100);
	conf.cls[1].weight = 1u << 20;
	rte_errno = 0;
	CU_ASSERT_PTR_NULL(fab_sched_create(&conf));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);

	fab_sched_free(NULL);
}

static void
test_invalid_class(void)
{
	struct fab_sched_conf conf;
	struct fab_sched_stats st;
	struct fab_sched *s;
	struct rte_mbuf *m;
	unsigned int c;

	base_conf(&conf, G100);
	s = fab_sched_create(&conf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_STRING_EQUAL(fab_sched_name(s), "test");
	m = make_frame(64, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(fab_sched_enqueue(s, 8, m, 0), -EINVAL);
	CU_ASSERT_EQUAL(fab_sched_enqueue(s, 255, m, 0), -EINVAL);
	fab_sched_pause(s, 8, 0, 1000000);  /* ignored */
	CU_ASSERT_EQUAL(fab_sched_queue_bytes(s, 8), 0);
	CU_ASSERT_EQUAL(fab_sched_queue_pkts(s, 8), 0);
	CU_ASSERT_TRUE(fab_sched_is_empty(s));
	CU_ASSERT_EQUAL(fab_sched_stats(s, 0, NULL), -EINVAL);
	CU_ASSERT_EQUAL(fab_sched_stats(s, 2000000, &st), 0);
	for (c = 0; c < FAB_NUM_PRIO; c++) {
		CU_ASSERT_EQUAL(st.cls[c].enq_pkts, 0);
		CU_ASSERT_EQUAL(st.cls[c].paused_ps, 0);
	}
	rte_pktmbuf_free(m);
	fab_sched_free(s);
}

static void
test_tx_done_100g(void)
{
	struct fab_sched_conf conf;
	struct fab_sched_stats st;
	struct tx_rec r[8];
	struct fab_sched *s;

	CU_ASSERT_EQUAL(fab_wire_time_ps(64, G100), W64_100G);
	CU_ASSERT_EQUAL(fab_wire_time_ps(1500, G100), W1500_100G);
	base_conf(&conf, G100);
	s = fab_sched_create(&conf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(fab_sched_next_event(s, 0), UINT64_MAX);
	enqueue_n(s, 0, 4, 64, 0);
	CU_ASSERT_EQUAL(fab_sched_next_event(s, 0), 0);

	CU_ASSERT_EQUAL(dequeue_rec(s, 0, r, 32), 1);
	CU_ASSERT_EQUAL(r[0].tx_done, W64_100G);
	CU_ASSERT_EQUAL(r[0].cls, 0);
	CU_ASSERT_EQUAL(r[0].id, 0);
	CU_ASSERT_EQUAL(fab_sched_busy_until(s), W64_100G);
	CU_ASSERT_EQUAL(fab_sched_next_event(s, 0), W64_100G);
	CU_ASSERT_EQUAL(dequeue_rec(s, W64_100G - 1, r, 32), 0);
	CU_ASSERT_EQUAL(dequeue_rec(s, W64_100G, r, 32), 1);
	CU_ASSERT_EQUAL(r[0].tx_done, 2 * W64_100G);
	/* A late call releases the waiting backlog back to back, not from now. */
	CU_ASSERT_EQUAL(dequeue_rec(s, 1000000, r, 32), 2);
	CU_ASSERT_EQUAL(r[0].tx_done, 3 * W64_100G);
	CU_ASSERT_EQUAL(r[1].tx_done, 4 * W64_100G);
	CU_ASSERT_EQUAL(r[0].id, 2);
	CU_ASSERT_EQUAL(r[1].id, 3);

	/* Then a 1500-byte frame on an idle wire starts at now. */
	enqueue_n(s, 0, 1, 1500, 9);
	CU_ASSERT_EQUAL(dequeue_rec(s, 2000000, r, 32), 1);
	CU_ASSERT_EQUAL(r[0].tx_done, 2000000 + W1500_100G);

	CU_ASSERT_EQUAL(fab_sched_stats(s, 2000000, &st), 0);
	CU_ASSERT_EQUAL(st.tx_pkts, 5);
	CU_ASSERT_EQUAL(st.tx_bytes, 4 * 64 + 1500);
	CU_ASSERT_EQUAL(st.wire_busy_ps, 4 * W64_100G + W1500_100G);
	CU_ASSERT_EQUAL(st.cls[0].enq_pkts, 5);
	CU_ASSERT_EQUAL(st.cls[0].deq_pkts, 5);
	CU_ASSERT_EQUAL(st.cls[0].deq_bytes, 4 * 64 + 1500);
	CU_ASSERT_EQUAL(st.cls[0].queued_bytes, 0);
	CU_ASSERT_EQUAL(st.busy_until, 2000000 + W1500_100G);
	fab_sched_free(s);
}

static void
test_tx_done_25g(void)
{
	static const uint32_t lens[] = { 64, 1024, 1500, 60 };
	/* (len + 24) * 8 bits * 40 ps at 25G, cumulative. */
	static const uint64_t expect[] = { 28160, 28160 + 335360, 28160 + 335360 + 487680,
		28160 + 335360 + 487680 + 26880 };
	struct fab_sched_conf conf;
	struct tx_rec r[8];
	struct fab_sched *s;
	unsigned int i;

	base_conf(&conf, G25);
	s = fab_sched_create(&conf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	for (i = 0; i < RTE_DIM(lens); i++) {
		CU_ASSERT_EQUAL(fab_wire_time_ps(lens[i], G25),
			expect[i] - (i == 0 ? 0 : expect[i - 1]));
		enqueue_n(s, 4, 1, lens[i], i);
	}
	CU_ASSERT_EQUAL(run_virtual(s, 0, UINT64_MAX - 1, r, RTE_DIM(r)), 4);
	for (i = 0; i < RTE_DIM(lens); i++) {
		CU_ASSERT_EQUAL(r[i].id, i);
		CU_ASSERT_EQUAL(r[i].tx_done, expect[i]);
		/* Each frame was released exactly when it started. */
		CU_ASSERT_EQUAL(r[i].released_at, i == 0 ? 0 : expect[i - 1]);
	}
	fab_sched_free(s);
}

static void
test_back_to_back(void)
{
	const uint64_t w = (1000 + 24) * 8 * 10; /* 81920 ps at 100G */
	struct fab_sched_conf conf;
	struct tx_rec r[64];
	struct fab_sched *s;
	unsigned int i;

	base_conf(&conf, G100);
	s = fab_sched_create(&conf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	enqueue_n(s, 1, 40, 1000, 0);
	CU_ASSERT_EQUAL(dequeue_rec(s, 0, r, 64), 1);
	CU_ASSERT_EQUAL(r[0].tx_done, w);
	/* Frames 1..10 start at w .. 10w, all by now = 10w. */
	CU_ASSERT_EQUAL(dequeue_rec(s, 10 * w, r, 64), 10);
	for (i = 0; i < 10; i++)
		CU_ASSERT_EQUAL(r[i].tx_done, (i + 2) * w);
	/* max bounds a burst; the rest is due at once. */
	CU_ASSERT_EQUAL(dequeue_rec(s, 20 * w, r, 3), 3);
	CU_ASSERT_EQUAL(r[2].tx_done, 14 * w);
	CU_ASSERT_EQUAL(fab_sched_next_event(s, 20 * w), 20 * w);
	/* A virtual loop releases the rest exactly one wire time apart. */
	CU_ASSERT_EQUAL(run_virtual(s, 20 * w, UINT64_MAX - 1, r, 64), 26);
	for (i = 0; i < 26; i++)
		CU_ASSERT_EQUAL(r[i].tx_done, (i + 15) * w);
	fab_sched_free(s);
}

static void
test_idle_gap_then_burst(void)
{
	const uint64_t t0 = 1000000;
	struct fab_sched_conf conf;
	struct tx_rec r[8];
	struct fab_sched *s;

	base_conf(&conf, G100);
	s = fab_sched_create(&conf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	enqueue_n(s, 0, 1, 64, 0);
	CU_ASSERT_EQUAL(dequeue_rec(s, 0, r, 8), 1);
	CU_ASSERT_EQUAL(r[0].tx_done, W64_100G);

	/* Nobody looked at the wire while it idled; a burst at t0 starts at t0. */
	enqueue_n(s, 0, 4, 64, 1);
	CU_ASSERT_EQUAL(fab_sched_next_event(s, t0), t0);
	CU_ASSERT_EQUAL(dequeue_rec(s, t0, r, 8), 1);
	CU_ASSERT_EQUAL(r[0].tx_done, t0 + W64_100G);
	CU_ASSERT_EQUAL(dequeue_rec(s, t0 + 3 * W64_100G, r, 8), 3);
	CU_ASSERT_EQUAL(r[0].tx_done, t0 + 2 * W64_100G);
	CU_ASSERT_EQUAL(r[1].tx_done, t0 + 3 * W64_100G);
	CU_ASSERT_EQUAL(r[2].tx_done, t0 + 4 * W64_100G);

	/* A frame arriving while the wire is busy starts when it frees. */
	enqueue_n(s, 0, 1, 64, 5);
	CU_ASSERT_EQUAL(dequeue_rec(s, t0 + 3 * W64_100G + 100, r, 8), 0);
	CU_ASSERT_EQUAL(fab_sched_next_event(s, t0 + 3 * W64_100G + 100), t0 + 4 * W64_100G);
	CU_ASSERT_EQUAL(dequeue_rec(s, t0 + 4 * W64_100G, r, 8), 1);
	CU_ASSERT_EQUAL(r[0].tx_done, t0 + 5 * W64_100G);

	/* Seen waiting while the wire was busy: a late call starts it on time. */
	enqueue_n(s, 0, 1, 64, 6);
	CU_ASSERT_EQUAL(dequeue_rec(s, t0 + 4 * W64_100G + 100, r, 8), 0);
	CU_ASSERT_EQUAL(dequeue_rec(s, t0 + 7 * W64_100G, r, 8), 1);
	CU_ASSERT_EQUAL(r[0].tx_done, t0 + 6 * W64_100G);
	fab_sched_free(s);
}

static void
test_strict_priority(void)
{
	struct fab_sched_conf conf;
	struct tx_rec r[64];
	struct fab_sched *s;
	unsigned int i;

	base_conf(&conf, 0);
	conf.cls[7].strict = true;
	conf.cls[5].strict = true;
	s = fab_sched_create(&conf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	for (i = 0; i < 3; i++) {
		enqueue_n(s, 0, 1, 100, i);
		enqueue_n(s, 5, 1, 100, 100 + i);
		enqueue_n(s, 7, 1, 100, 200 + i);
	}
	CU_ASSERT_EQUAL(dequeue_rec(s, 0, r, 64), 9);
	for (i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL(r[i].cls, 7);
		CU_ASSERT_EQUAL(r[i].id, 200 + i);
		CU_ASSERT_EQUAL(r[3 + i].cls, 5);
		CU_ASSERT_EQUAL(r[3 + i].id, 100 + i);
		CU_ASSERT_EQUAL(r[6 + i].cls, 0);
		CU_ASSERT_EQUAL(r[6 + i].id, i);
	}
	fab_sched_free(s);

	/* Shaped: a backlogged strict class starves DWRR, whatever its weight. */
	base_conf(&conf, G100);
	conf.cls[6].strict = true;
	conf.cls[0].weight = 100;
	s = fab_sched_create(&conf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	enqueue_n(s, 0, 10, 64, 0);
	enqueue_n(s, 6, 10, 64, 100);
	CU_ASSERT_EQUAL(run_virtual(s, 0, UINT64_MAX - 1, r, 64), 20);
	for (i = 0; i < 20; i++) {
		CU_ASSERT_EQUAL(r[i].cls, i < 10 ? 6 : 0);
		CU_ASSERT_EQUAL(r[i].tx_done, (i + 1) * W64_100G);
	}

	/* No preemption: a strict frame waits for the frame on the wire. */
	enqueue_n(s, 0, 1, 1500, 50);
	CU_ASSERT_EQUAL(dequeue_rec(s, 1000000, r, 64), 1);
	enqueue_n(s, 6, 1, 64, 150);
	CU_ASSERT_EQUAL(dequeue_rec(s, 1001000, r, 64), 0);
	CU_ASSERT_EQUAL(dequeue_rec(s, 1000000 + W1500_100G, r, 64), 1);
	CU_ASSERT_EQUAL(r[0].cls, 6);
	CU_ASSERT_EQUAL(r[0].tx_done, 1000000 + W1500_100G + W64_100G);
	fab_sched_free(s);
}

static void
test_dwrr_ratio(void)
{
	struct fab_sched_conf conf;
	struct tx_rec r[64];
	struct fab_sched *s;
	uint64_t bytes[FAB_NUM_PRIO] = { 0 };
	unsigned int total = 0, i;

	/* Weights 1 and 3, base quantum 1500, frames of 1000 bytes. */
	base_conf(&conf, 0);
	conf.quantum_bytes = 1500;
	conf.cls[1].capacity = 256;
	conf.cls[2].capacity = 256;
	conf.cls[2].weight = 3;
	s = fab_sched_create(&conf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	enqueue_n(s, 1, 200, 1000, 0);
	enqueue_n(s, 2, 200, 1000, 1000);
	while (total < 156) {
		uint16_t n = dequeue_rec(s, 0, r, (uint16_t)RTE_MIN(7u, 156 - total));

		CU_ASSERT_FATAL(n > 0);
		for (i = 0; i < n; i++) {
			bytes[r[i].cls] += r[i].len;
			/*
			 * DRR's bound at every point: normalised service differs
			 * by at most one base quantum plus one frame,
			 * |b1 / 1 - b2 / 3| <= 1500 + 1000.
			 */
			CU_ASSERT(bytes[2] <= 3 * bytes[1] + 7500);
			CU_ASSERT(3 * bytes[1] <= bytes[2] + 7500);
		}
		total += n;
	}
	/* 13 pairs of rounds of (1 + 4) and (2 + 5) frames: exactly 1:3. */
	CU_ASSERT_EQUAL(bytes[1] + bytes[2], 156000);
	CU_ASSERT_EQUAL(bytes[1], 39000);
	CU_ASSERT_EQUAL(bytes[2], 117000);
	fab_sched_free(s);

	/* Three classes, weights 1:2:4 with quantum = frame: exact per round. */
	base_conf(&conf, 0);
	conf.quantum_bytes = 1000;
	conf.cls[3].weight = 2;
	conf.cls[6].weight = 4;
	s = fab_sched_create(&conf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	enqueue_n(s, 0, 30, 1000, 0);
	enqueue_n(s, 3, 40, 1000, 100);
	enqueue_n(s, 6, 50, 1000, 200);
	memset(bytes, 0, sizeof(bytes));
	for (total = 0; total < 70; total += 7) {
		CU_ASSERT_EQUAL_FATAL(dequeue_rec(s, 0, r, 7), 7);
		for (i = 0; i < 7; i++)
			bytes[r[i].cls] += r[i].len;
		CU_ASSERT_EQUAL(r[0].cls, 0);
		CU_ASSERT_EQUAL(r[1].cls, 3);
		CU_ASSERT_EQUAL(r[2].cls, 3);
		CU_ASSERT_EQUAL(r[3].cls, 6);
		CU_ASSERT_EQUAL(r[6].cls, 6);
	}
	CU_ASSERT_EQUAL(bytes[0], 10000);
	CU_ASSERT_EQUAL(bytes[3], 20000);
	CU_ASSERT_EQUAL(bytes[6], 40000);
	fab_sched_free(s);
}

static void
test_dwrr_deficit_rules(void)
{
	struct fab_sched_conf conf;
	struct tx_rec r[64];
	struct fab_sched *s;
	unsigned int n1 = 0, i;

	base_conf(&conf, 0);
	conf.quantum_bytes = 1500;
	s = fab_sched_create(&conf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);

	/* A class that empties drops its unused credit (1500 - 100). */
	enqueue_n(s, 1, 1, 100, 0);
	enqueue_n(s, 2, 5, 1000, 100);
	CU_ASSERT_EQUAL(dequeue_rec(s, 0, r, 1), 1);
	CU_ASSERT_EQUAL(r[0].cls, 1);
	CU_ASSERT_EQUAL(s->cls[1].deficit, 0);
	CU_ASSERT_EQUAL(dequeue_rec(s, 0, r, 64), 5);
	CU_ASSERT_EQUAL(s->cls[2].deficit, 0);

	fab_sched_free(s);

	/*
	 * A paused class is passed over without gaining credit: while class 1
	 * is paused class 2 has the wire alone, and after the resume they
	 * alternate frame for frame instead of class 1 catching up.
	 */
	conf.quantum_bytes = 1000;
	s = fab_sched_create(&conf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	enqueue_n(s, 1, 10, 1000, 0);
	enqueue_n(s, 2, 10, 1000, 100);
	fab_sched_pause(s, 1, 0, 5000);
	CU_ASSERT_EQUAL(dequeue_rec(s, 0, r, 4), 4);
	for (i = 0; i < 4; i++)
		CU_ASSERT_EQUAL(r[i].cls, 2);
	CU_ASSERT_EQUAL(s->cls[1].deficit, 0);
	CU_ASSERT_EQUAL(fab_sched_next_event(s, 4000), 4000);  /* class 2 still ready */
	CU_ASSERT_EQUAL(dequeue_rec(s, 5000, r, 8), 8);
	for (i = 0; i < 8; i++) {
		n1 += r[i].cls == 1;
		if (i > 0)
			CU_ASSERT_NOT_EQUAL(r[i].cls, r[i - 1].cls);
	}
	CU_ASSERT_EQUAL(n1, 4);
	fab_sched_free(s);
}

static void
test_pause_holds_class(void)
{
	struct fab_sched_conf conf;
	struct tx_rec r[64];
	struct fab_sched *s;
	unsigned int n, i;

	base_conf(&conf, G100);
	conf.cls[5].strict = true;
	s = fab_sched_create(&conf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);

	/* Idle wire: the paused class starts exactly at until_ps. */
	enqueue_n(s, 5, 1, 64, 0);
	fab_sched_pause(s, 5, 0, 50000);
	CU_ASSERT_TRUE(fab_sched_is_paused(s, 5, 49999));
	CU_ASSERT_FALSE(fab_sched_is_paused(s, 5, 50000));
	CU_ASSERT_EQUAL(fab_sched_next_event(s, 0), 50000);
	CU_ASSERT_EQUAL(dequeue_rec(s, 0, r, 8), 0);
	CU_ASSERT_EQUAL(dequeue_rec(s, 49999, r, 8), 0);
	CU_ASSERT_EQUAL(dequeue_rec(s, 50000, r, 8), 1);
	CU_ASSERT_EQUAL(r[0].tx_done, 50000 + W64_100G);
	fab_sched_free(s);

	/* Busy wire: class 0 keeps flowing; class 5 starts at 7 x 7040 = 49280. */
	s = fab_sched_create(&conf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	enqueue_n(s, 0, 20, 64, 0);
	enqueue_n(s, 5, 5, 64, 100);
	fab_sched_pause(s, 5, 0, 7 * W64_100G);
	n = run_virtual(s, 0, UINT64_MAX - 1, r, 64);
	CU_ASSERT_EQUAL_FATAL(n, 25);
	for (i = 0; i < 25; i++) {
		CU_ASSERT_EQUAL(r[i].cls, i >= 7 && i < 12 ? 5 : 0);
		CU_ASSERT_EQUAL(r[i].tx_done, (i + 1) * W64_100G);
	}
	fab_sched_free(s);

	/* A pause ending mid-frame: the class takes the next frame boundary. */
	s = fab_sched_create(&conf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	enqueue_n(s, 0, 20, 64, 0);
	enqueue_n(s, 5, 5, 64, 100);
	fab_sched_pause(s, 5, 0, 50000);
	n = run_virtual(s, 0, UINT64_MAX - 1, r, 64);
	CU_ASSERT_EQUAL_FATAL(n, 25);
	for (i = 0; i < 25; i++)
		CU_ASSERT_EQUAL(r[i].cls, i >= 8 && i < 13 ? 5 : 0);
	CU_ASSERT_EQUAL(r[8].tx_done, 8 * W64_100G + W64_100G);
	fab_sched_free(s);

	/* A late call: the backlog resumes at the pause end, not at the call. */
	s = fab_sched_create(&conf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	enqueue_n(s, 1, 1, 64, 0);
	enqueue_n(s, 0, 3, 64, 100);
	fab_sched_pause(s, 0, 0, 30000);
	CU_ASSERT_EQUAL(dequeue_rec(s, 0, r, 8), 1);
	CU_ASSERT_EQUAL(r[0].cls, 1);
	CU_ASSERT_EQUAL(dequeue_rec(s, 50000, r, 8), 3);
	CU_ASSERT_EQUAL(r[0].tx_done, 30000 + W64_100G);
	CU_ASSERT_EQUAL(r[1].tx_done, 30000 + 2 * W64_100G);
	CU_ASSERT_EQUAL(r[2].tx_done, 30000 + 3 * W64_100G);
	fab_sched_free(s);
}

static void
test_pause_frame_on_wire_finishes(void)
{
	struct fab_sched_conf conf;
	struct fab_sched_stats st;
	struct tx_rec r[8];
	struct fab_sched *s;

	base_conf(&conf, G100);
	conf.cls[5].strict = true;
	s = fab_sched_create(&conf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	enqueue_n(s, 5, 2, 1500, 0);
	enqueue_n(s, 0, 1, 64, 100);
	CU_ASSERT_EQUAL(dequeue_rec(s, 0, r, 8), 1);
	CU_ASSERT_EQUAL(r[0].cls, 5);
	CU_ASSERT_EQUAL(r[0].tx_done, W1500_100G);

	fab_sched_pause(s, 5, 1000, 300000);
	/* The frame on the wire keeps it until W1500; class 0 goes next. */
	CU_ASSERT_EQUAL(dequeue_rec(s, 1000, r, 8), 0);
	CU_ASSERT_EQUAL(fab_sched_next_event(s, 1000), W1500_100G);
	CU_ASSERT_EQUAL(dequeue_rec(s, W1500_100G, r, 8), 1);
	CU_ASSERT_EQUAL(r[0].cls, 0);
	CU_ASSERT_EQUAL(r[0].tx_done, W1500_100G + W64_100G);
	CU_ASSERT_EQUAL(fab_sched_next_event(s, W1500_100G + W64_100G), 300000);
	CU_ASSERT_EQUAL(dequeue_rec(s, 299999, r, 8), 0);
	CU_ASSERT_EQUAL(dequeue_rec(s, 300000, r, 8), 1);
	CU_ASSERT_EQUAL(r[0].cls, 5);
	CU_ASSERT_EQUAL(r[0].tx_done, 300000 + W1500_100G);
	CU_ASSERT_EQUAL(fab_sched_stats(s, 400000, &st), 0);
	CU_ASSERT_EQUAL(st.cls[5].paused_ps, 299000);
	CU_ASSERT_EQUAL(st.cls[0].paused_ps, 0);
	fab_sched_free(s);

	/*
	 * A late call catching up: frames that started before the pause
	 * arrived were on the wire already and go; the pause holds the rest.
	 */
	s = fab_sched_create(&conf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	enqueue_n(s, 5, 4, 64, 0);
	CU_ASSERT_EQUAL(dequeue_rec(s, 0, r, 8), 1);
	fab_sched_pause(s, 5, 20000, 100000);
	CU_ASSERT_EQUAL(dequeue_rec(s, 20000, r, 8), 2);
	CU_ASSERT_EQUAL(r[0].tx_done, 2 * W64_100G);
	CU_ASSERT_EQUAL(r[1].tx_done, 3 * W64_100G);
	CU_ASSERT_EQUAL(dequeue_rec(s, 3 * W64_100G, r, 8), 0);
	CU_ASSERT_EQUAL(fab_sched_next_event(s, 3 * W64_100G), 100000);
	CU_ASSERT_EQUAL(dequeue_rec(s, 100000, r, 8), 1);
	CU_ASSERT_EQUAL(r[0].tx_done, 100000 + W64_100G);
	fab_sched_free(s);
}

/* Each of fab_sched_levels()'s values against fab_sched_stats()'s at @p now. */
static void
check_levels(const struct fab_sched *s, uint64_t now)
{
	struct fab_sched_levels lv;
	struct fab_sched_stats st;
	unsigned int c;

	CU_ASSERT_EQUAL_FATAL(fab_sched_levels(s, now, &lv), 0);
	CU_ASSERT_EQUAL_FATAL(fab_sched_stats(s, now, &st), 0);
	for (c = 0; c < FAB_NUM_PRIO; c++) {
		CU_ASSERT_EQUAL(lv.queued_bytes[c], st.cls[c].queued_bytes);
		CU_ASSERT_EQUAL(lv.max_queued_bytes[c], st.cls[c].max_queued_bytes);
		CU_ASSERT_EQUAL(lv.paused_ps[c], st.cls[c].paused_ps);
	}
}

/* The sampler's view: depth, watermark and paused time, an open pause counted up to now. */
static void
test_levels(void)
{
	struct fab_sched_levels lv;
	struct fab_sched_conf conf;
	struct tx_rec r[8];
	struct fab_sched *s;
	unsigned int n;

	base_conf(&conf, G100);
	conf.cls[5].strict = true;
	s = fab_sched_create(&conf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(fab_sched_levels(NULL, 0, &lv), -EINVAL);
	CU_ASSERT_EQUAL(fab_sched_levels(s, 0, NULL), -EINVAL);
	enqueue_n(s, 5, 3, 1500, 0);
	enqueue_n(s, 0, 2, 64, 100);
	CU_ASSERT_EQUAL(dequeue_rec(s, 0, r, 8), 1);
	fab_sched_pause(s, 5, 1000, 300000);
	check_levels(s, 1000);
	/* Mid-pause: 149 us of it so far, two 1500-byte frames held. */
	CU_ASSERT_EQUAL(fab_sched_levels(s, 150000, &lv), 0);
	CU_ASSERT_EQUAL(lv.paused_ps[5], 149000);
	CU_ASSERT_EQUAL(lv.queued_bytes[5], 2 * 1500);
	CU_ASSERT_EQUAL(lv.max_queued_bytes[5], 3 * 1500);
	CU_ASSERT_EQUAL(lv.paused_ps[0], 0);
	check_levels(s, 150000);
	/* After the pause: everything goes, one call per frame on the wire at most. */
	for (n = 0; n < 8 && !fab_sched_is_empty(s); n++)
		dequeue_rec(s, 400000 + n * W1500_100G, r, 8);
	CU_ASSERT(fab_sched_is_empty(s));
	CU_ASSERT_EQUAL(fab_sched_levels(s, 1000000, &lv), 0);
	CU_ASSERT_EQUAL(lv.paused_ps[5], 299000);
	CU_ASSERT_EQUAL(lv.queued_bytes[5], 0);
	CU_ASSERT_EQUAL(lv.max_queued_bytes[5], 3 * 1500);
	check_levels(s, 1000000);
	fab_sched_free(s);
}

static void
test_ctrl_first(void)
{
	struct fab_sched_conf conf;
	struct fab_sched_stats st;
	struct tx_rec r[8];
	struct fab_sched *s;
	struct rte_mbuf *m;
	unsigned int c;

	base_conf(&conf, G100);
	conf.cls[7].strict = true;
	s = fab_sched_create(&conf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	enqueue_n(s, 7, 2, 1500, 0);
	enqueue_n(s, 0, 2, 64, 100);
	CU_ASSERT_EQUAL(dequeue_rec(s, 0, r, 8), 1);
	CU_ASSERT_EQUAL(r[0].cls, 7);

	m = make_frame(FAB_PFC_FRAME_LEN, 900);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(fab_sched_push_ctrl(s, m), 0);
	CU_ASSERT_FALSE(fab_sched_is_empty(s));
	CU_ASSERT_EQUAL(dequeue_rec(s, 5000, r, 8), 0);
	CU_ASSERT_EQUAL(fab_sched_next_event(s, 5000), W1500_100G);
	/* At the boundary the control frame goes before the strict class. */
	CU_ASSERT_EQUAL(dequeue_rec(s, W1500_100G, r, 8), 1);
	CU_ASSERT_EQUAL(r[0].cls, FAB_SCHED_CLS_CTRL);
	CU_ASSERT_EQUAL(r[0].id, 900);
	CU_ASSERT_EQUAL(r[0].tx_done, W1500_100G + W60_100G);
	CU_ASSERT_EQUAL(dequeue_rec(s, W1500_100G + W60_100G, r, 8), 1);
	CU_ASSERT_EQUAL(r[0].cls, 7);
	CU_ASSERT_EQUAL(r[0].tx_done, 2 * W1500_100G + W60_100G);

	/* The virtual loop sends class 0, then the wire idles. */
	CU_ASSERT_EQUAL(run_virtual(s, 2 * W1500_100G + W60_100G, 299999, r, 8), 2);
	CU_ASSERT_EQUAL(r[1].cls, 0);
	CU_ASSERT_EQUAL(r[1].tx_done, 2 * W1500_100G + W60_100G + 2 * W64_100G);

	/* Control frames are never paused, even with every class paused. */
	for (c = 0; c < FAB_NUM_PRIO; c++)
		fab_sched_pause(s, (uint8_t)c, 300000, 10000000);
	enqueue_n(s, 0, 1, 64, 102);
	m = make_frame(FAB_PFC_FRAME_LEN, 901);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(fab_sched_push_ctrl(s, m), 0);
	CU_ASSERT_EQUAL(fab_sched_next_event(s, 300000), 300000);
	CU_ASSERT_EQUAL(dequeue_rec(s, 300000, r, 8), 1);
	CU_ASSERT_EQUAL(r[0].cls, FAB_SCHED_CLS_CTRL);
	CU_ASSERT_EQUAL(r[0].tx_done, 300000 + W60_100G);
	CU_ASSERT_EQUAL(fab_sched_next_event(s, 300000 + W60_100G), 10000000);

	CU_ASSERT_EQUAL(fab_sched_stats(s, 300000 + W60_100G, &st), 0);
	CU_ASSERT_EQUAL(st.ctrl.enq_pkts, 2);
	CU_ASSERT_EQUAL(st.ctrl.deq_pkts, 2);
	CU_ASSERT_EQUAL(st.ctrl.deq_bytes, 2 * FAB_PFC_FRAME_LEN);
	CU_ASSERT_EQUAL(st.tx_pkts, 6);
	CU_ASSERT_EQUAL(st.cls[0].queued_pkts, 1);
	CU_ASSERT_EQUAL(st.wire_busy_ps, 2 * W1500_100G + 2 * W60_100G + 2 * W64_100G);
	fab_sched_free(s);
}

static void
test_ctrl_late_call(void)
{
	struct fab_sched_conf conf;
	struct tx_rec r[8];
	struct fab_sched *s;
	struct rte_mbuf *m;

	base_conf(&conf, G100);
	s = fab_sched_create(&conf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	enqueue_n(s, 0, 3, 64, 0);
	CU_ASSERT_EQUAL(dequeue_rec(s, 0, r, 8), 1);
	/*
	 * A late call: the backlog seen at 0 leaves back to back from 7040;
	 * the control frame pushed since cannot start before this call.
	 */
	m = make_frame(FAB_PFC_FRAME_LEN, 900);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(fab_sched_push_ctrl(s, m), 0);
	CU_ASSERT_EQUAL(fab_sched_next_event(s, 20000), 20000);
	CU_ASSERT_EQUAL(dequeue_rec(s, 20000, r, 8), 2);
	CU_ASSERT_EQUAL(r[0].cls, 0);
	CU_ASSERT_EQUAL(r[0].tx_done, 2 * W64_100G);
	CU_ASSERT_EQUAL(r[1].cls, 0);
	CU_ASSERT_EQUAL(r[1].tx_done, 3 * W64_100G);
	CU_ASSERT_EQUAL(fab_sched_next_event(s, 20000), 3 * W64_100G);
	CU_ASSERT_EQUAL(dequeue_rec(s, 3 * W64_100G, r, 8), 1);
	CU_ASSERT_EQUAL(r[0].cls, FAB_SCHED_CLS_CTRL);
	CU_ASSERT_EQUAL(r[0].tx_done, 3 * W64_100G + W60_100G);
	CU_ASSERT_TRUE(fab_sched_is_empty(s));
	fab_sched_free(s);
}

static void
test_paused_ps_accounting(void)
{
	struct fab_sched_conf conf;
	struct fab_sched_stats st;
	struct fab_sched *s;

	base_conf(&conf, G100);
	s = fab_sched_create(&conf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);

	fab_sched_pause(s, 2, 1000, 5000);
	fab_sched_stats(s, 3000, &st);
	CU_ASSERT_EQUAL(st.cls[2].paused_ps, 2000);
	CU_ASSERT_EQUAL(st.cls[2].paused_until, 5000);
	fab_sched_stats(s, 10000, &st);
	CU_ASSERT_EQUAL(st.cls[2].paused_ps, 4000);

	/* A refresh while paused: [1000, 9000) counted once. */
	fab_sched_pause(s, 2, 4000, 9000);
	fab_sched_stats(s, 20000, &st);
	CU_ASSERT_EQUAL(st.cls[2].paused_ps, 8000);
	CU_ASSERT_TRUE(fab_sched_is_paused(s, 2, 1000));
	CU_ASSERT_TRUE(fab_sched_is_paused(s, 2, 8999));
	CU_ASSERT_FALSE(fab_sched_is_paused(s, 2, 9000));

	/* Resumed early by pause time 0: [10000, 12000). */
	fab_sched_pause(s, 2, 10000, 20000);
	fab_sched_pause(s, 2, 12000, 0);
	CU_ASSERT_FALSE(fab_sched_is_paused(s, 2, 12000));
	fab_sched_stats(s, 15000, &st);
	CU_ASSERT_EQUAL(st.cls[2].paused_ps, 10000);

	/* A later frame shortens the pause: [30000, 33000). */
	fab_sched_pause(s, 2, 30000, 40000);
	fab_sched_stats(s, 30500, &st);
	CU_ASSERT_EQUAL(st.cls[2].paused_ps, 10500);
	fab_sched_pause(s, 2, 31000, 33000);
	CU_ASSERT_TRUE(fab_sched_is_paused(s, 2, 32999));
	CU_ASSERT_FALSE(fab_sched_is_paused(s, 2, 33000));
	fab_sched_stats(s, 35000, &st);
	CU_ASSERT_EQUAL(st.cls[2].paused_ps, 13000);

	/* Resuming a class that is not paused changes nothing. */
	fab_sched_pause(s, 2, 50000, 50000);
	fab_sched_stats(s, 60000, &st);
	CU_ASSERT_EQUAL(st.cls[2].paused_ps, 13000);

	/* A call dated before the accounted time counts from there, not twice. */
	fab_sched_pause(s, 2, 40000, 70000);
	fab_sched_stats(s, 90000, &st);
	CU_ASSERT_EQUAL(st.cls[2].paused_ps, 33000);
	CU_ASSERT_EQUAL(st.cls[1].paused_ps, 0);
	fab_sched_free(s);
}

static void
test_ring_full(void)
{
	struct fab_sched_conf conf;
	struct fab_sched_stats st;
	struct rte_mbuf *m;
	struct fab_sched *s;

	base_conf(&conf, 0);
	conf.cls[3].capacity = 4;
	conf.ctrl_capacity = 2;
	s = fab_sched_create(&conf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	enqueue_n(s, 3, 4, 100, 0);
	m = make_frame(100, 4);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(fab_sched_enqueue(s, 3, m, 0), -ENOBUFS);
	rte_pktmbuf_free(m); /* the caller still owns it */
	CU_ASSERT_EQUAL(fab_sched_queue_bytes(s, 3), 400);
	CU_ASSERT_EQUAL(fab_sched_queue_pkts(s, 3), 4);
	fab_sched_stats(s, 0, &st);
	CU_ASSERT_EQUAL(st.cls[3].enq_pkts, 4);
	CU_ASSERT_EQUAL(st.cls[3].enq_bytes, 400);
	CU_ASSERT_EQUAL(st.cls[3].full_pkts, 1);
	CU_ASSERT_EQUAL(st.cls[3].full_bytes, 100);
	CU_ASSERT_EQUAL(st.cls[3].queued_pkts, 4);
	CU_ASSERT_EQUAL(st.cls[3].max_queued_bytes, 400);

	/* The watermark stays after dequeue until cleared. */
	CU_ASSERT_EQUAL(dequeue_rec(s, 0, NULL, 2), 2);
	fab_sched_stats(s, 0, &st);
	CU_ASSERT_EQUAL(st.cls[3].queued_bytes, 200);
	CU_ASSERT_EQUAL(st.cls[3].max_queued_bytes, 400);
	CU_ASSERT_EQUAL(st.cls[3].deq_pkts, 2);
	CU_ASSERT_EQUAL(st.cls[3].deq_bytes, 200);
	fab_sched_watermark_clear(s);
	fab_sched_stats(s, 0, &st);
	CU_ASSERT_EQUAL(st.cls[3].max_queued_bytes, 200);

	/* The ring wraps; an explicit frame length is what is counted. */
	enqueue_n(s, 3, 1, 100, 10);
	m = make_frame(100, 11);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(fab_sched_enqueue(s, 3, m, 1000), 0);
	CU_ASSERT_EQUAL(fab_sched_queue_bytes(s, 3), 1300);
	m = make_frame(100, 12);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(fab_sched_enqueue(s, 3, m, 0), -ENOBUFS);
	rte_pktmbuf_free(m);

	/* The control queue has its own limit. */
	m = make_frame(60, 20);
	CU_ASSERT_EQUAL(fab_sched_push_ctrl(s, m), 0);
	m = make_frame(60, 21);
	CU_ASSERT_EQUAL(fab_sched_push_ctrl(s, m), 0);
	m = make_frame(60, 22);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(fab_sched_push_ctrl(s, m), -ENOBUFS);
	rte_pktmbuf_free(m);
	fab_sched_stats(s, 0, &st);
	CU_ASSERT_EQUAL(st.cls[3].full_pkts, 2);
	CU_ASSERT_EQUAL(st.cls[3].enq_bytes, 400 + 100 + 1000);
	CU_ASSERT_EQUAL(st.ctrl.full_pkts, 1);
	CU_ASSERT_EQUAL(st.ctrl.queued_pkts, 2);

	CU_ASSERT_EQUAL(dequeue_rec(s, 0, NULL, 64), 6);
	CU_ASSERT_EQUAL(fab_sched_queue_bytes(s, 3), 0);
	CU_ASSERT_TRUE(fab_sched_is_empty(s));
	fab_sched_free(s);
}

static void
test_next_event(void)
{
	struct fab_sched_conf conf;
	struct tx_rec r[8];
	struct fab_sched *s;
	struct rte_mbuf *m;

	base_conf(&conf, G100);
	s = fab_sched_create(&conf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(fab_sched_next_event(s, 0), UINT64_MAX);
	enqueue_n(s, 0, 1, 64, 0);
	CU_ASSERT_EQUAL(fab_sched_next_event(s, 500), 500);
	CU_ASSERT_EQUAL(dequeue_rec(s, 500, r, 8), 1);
	CU_ASSERT_EQUAL(fab_sched_busy_until(s), 500 + W64_100G);
	/* Empty, even with the wire busy. */
	CU_ASSERT_EQUAL(fab_sched_next_event(s, 600), UINT64_MAX);

	/* Every queued class paused beyond busy_until: the earliest expiry. */
	enqueue_n(s, 0, 1, 64, 1);
	enqueue_n(s, 1, 1, 64, 2);
	fab_sched_pause(s, 0, 600, 50000);
	fab_sched_pause(s, 1, 600, 30000);
	fab_sched_pause(s, 2, 600, 20000);  /* empty: does not count */
	CU_ASSERT_EQUAL(fab_sched_next_event(s, 600), 30000);
	/* A pause that ends before the wire frees: the wire decides. */
	fab_sched_pause(s, 1, 700, 5000);
	CU_ASSERT_EQUAL(fab_sched_next_event(s, 700), 500 + W64_100G);
	/* Never earlier than now. */
	CU_ASSERT_EQUAL(fab_sched_next_event(s, 9000), 9000);
	CU_ASSERT_EQUAL(dequeue_rec(s, 9000, r, 8), 1);
	CU_ASSERT_EQUAL(r[0].cls, 1);
	/*
	 * No dequeue call has seen the frame since it was queued: it counts as
	 * arriving now, so it starts now, never before it may have arrived.
	 */
	CU_ASSERT_EQUAL(r[0].tx_done, 9000 + W64_100G);
	CU_ASSERT_EQUAL(fab_sched_next_event(s, 9000), 50000);

	/* A control frame is due when the wire frees, pauses or not. */
	m = make_frame(60, 3);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(fab_sched_push_ctrl(s, m), 0);
	CU_ASSERT_EQUAL(fab_sched_next_event(s, 9000), 9000 + W64_100G);
	CU_ASSERT_EQUAL(dequeue_rec(s, 9000, r, 8), 0);
	CU_ASSERT_EQUAL(dequeue_rec(s, 9000 + W64_100G, r, 8), 1);
	CU_ASSERT_EQUAL(r[0].cls, FAB_SCHED_CLS_CTRL);
	CU_ASSERT_EQUAL(r[0].tx_done, 9000 + W64_100G + W60_100G);
	CU_ASSERT_EQUAL(fab_sched_next_event(s, 9000 + W64_100G), 50000);
	CU_ASSERT_EQUAL(dequeue_rec(s, 50000, r, 8), 1);
	CU_ASSERT_EQUAL(r[0].tx_done, 50000 + W64_100G);
	CU_ASSERT_EQUAL(fab_sched_next_event(s, 50000), UINT64_MAX);
	fab_sched_free(s);
}

static void
test_unlimited_rate(void)
{
	struct fab_sched_conf conf;
	struct fab_sched_stats st;
	struct tx_rec r[64];
	struct fab_sched *s;
	unsigned int i;

	base_conf(&conf, 0);
	conf.cls[7].strict = true;
	conf.quantum_bytes = 64;
	s = fab_sched_create(&conf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	enqueue_n(s, 0, 40, 64, 0);
	enqueue_n(s, 1, 40, 64, 100);
	enqueue_n(s, 7, 20, 64, 200);
	CU_ASSERT_EQUAL(fab_sched_next_event(s, 5000), 5000);
	CU_ASSERT_EQUAL(dequeue_rec(s, 5000, r, 64), 64);
	for (i = 0; i < 64; i++) {
		CU_ASSERT_EQUAL(r[i].tx_done, 5000);
		CU_ASSERT_EQUAL(r[i].cls, i < 20 ? 7 : (i % 2 == 0 ? 0 : 1));
	}
	CU_ASSERT_EQUAL(fab_sched_next_event(s, 5000), 5000);

	/* Pauses still hold a class. */
	fab_sched_pause(s, 1, 5000, 9000);
	CU_ASSERT_EQUAL(dequeue_rec(s, 6000, r, 64), 18);
	for (i = 0; i < 18; i++)
		CU_ASSERT_EQUAL(r[i].cls, 0);
	CU_ASSERT_EQUAL(fab_sched_next_event(s, 6000), 9000);
	CU_ASSERT_EQUAL(dequeue_rec(s, 8999, r, 64), 0);
	CU_ASSERT_EQUAL(dequeue_rec(s, 9000, r, 64), 18);
	CU_ASSERT_EQUAL(r[17].tx_done, 9000);
	CU_ASSERT_TRUE(fab_sched_is_empty(s));
	fab_sched_stats(s, 9000, &st);
	CU_ASSERT_EQUAL(st.wire_busy_ps, 0);
	CU_ASSERT_EQUAL(st.tx_pkts, 100);
	fab_sched_free(s);
}

static void
test_non_integral_rate(void)
{
	const uint64_t rate = 33000000000ull; /* 21333.33 ps per 64-byte frame */
	struct fab_sched_conf conf;
	struct tx_rec r[64];
	struct fab_sched *s;
	unsigned int i;

	base_conf(&conf, rate);
	s = fab_sched_create(&conf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	enqueue_n(s, 0, 31, 64, 0);
	CU_ASSERT_EQUAL(run_virtual(s, 0, UINT64_MAX - 1, r, 64), 31);
	/* No rounding drift: frame k ends at floor(k * 704 bits / rate). */
	for (i = 0; i < 31; i++)
		CU_ASSERT_EQUAL(r[i].tx_done, (uint64_t)(i + 1) * 704 * 1000000000000ull / rate);
	CU_ASSERT_EQUAL(r[29].tx_done, 640000);
	CU_ASSERT_EQUAL(r[30].tx_done, 661333);
	/*
	 * A new busy period after idling starts from a whole picosecond: the
	 * third of a picosecond left over above is not carried into it.
	 */
	enqueue_n(s, 0, 3, 64, 0);
	CU_ASSERT_EQUAL(run_virtual(s, 1000000, UINT64_MAX - 1, r, 64), 3);
	CU_ASSERT_EQUAL(r[0].tx_done, 1000000 + 21333);
	CU_ASSERT_EQUAL(r[1].tx_done, 1000000 + 42666);
	CU_ASSERT_EQUAL(r[2].tx_done, 1000000 + 64000);
	fab_sched_free(s);
}

/* A plain per-frame strict priority + DWRR model, written apart from lib/sched. */
struct ref_sched {
	uint32_t len[FAB_NUM_PRIO][256], id[FAB_NUM_PRIO][256];
	uint32_t head[FAB_NUM_PRIO], tail[FAB_NUM_PRIO];
	uint64_t deficit[FAB_NUM_PRIO], quantum[FAB_NUM_PRIO];
	uint8_t strict, dwrr, cur;
	bool in_turn;
};

static unsigned int
ref_next_dwrr(const struct ref_sched *r, unsigned int c)
{
	do
		c = (c + 1) % FAB_NUM_PRIO;
	while (!((r->dwrr >> c) & 1));
	return c;
}

/* The id of the next frame to leave, or -1 when every queue is empty. */
static int64_t
ref_take(struct ref_sched *r)
{
	unsigned int c, best = FAB_NUM_PRIO;
	bool any_dwrr = false;
	uint32_t len, id;

	for (c = 0; c < FAB_NUM_PRIO; c++) {
		if (r->head[c] == r->tail[c])
			continue;
		if ((r->strict >> c) & 1)
			best = c;
		else
			any_dwrr = true;
	}
	if (best == FAB_NUM_PRIO) {
		if (!any_dwrr)
			return -1;
		for (;;) {
			c = r->cur;
			if (r->head[c] != r->tail[c]) {
				if (!r->in_turn) {
					r->deficit[c] += r->quantum[c];
					r->in_turn = true;
				}
				if (r->len[c][r->head[c] % 256] <= r->deficit[c])
					break;
			}
			r->cur = (uint8_t)ref_next_dwrr(r, c);
			r->in_turn = false;
		}
		best = c;
	}
	c = best;
	len = r->len[c][r->head[c] % 256];
	id = r->id[c][r->head[c] % 256];
	r->head[c]++;
	if ((r->dwrr >> c) & 1) {
		r->deficit[c] -= len;
		if (r->head[c] == r->tail[c]) {
			r->deficit[c] = 0;
			if (r->cur == c) {
				r->cur = (uint8_t)ref_next_dwrr(r, c);
				r->in_turn = false;
			}
		}
	}
	return id;
}

/*
 * An unshaped scheduler (whose one-class bursts take a shortcut) releases
 * frames in exactly the order of the per-frame model, over random arrivals
 * that often leave a single class queued with frames above its quantum.
 */
static void
test_unshaped_matches_reference(void)
{
	static const uint8_t classes[] = { 0, 1, 2, 6 };
	static struct ref_sched r;
	struct fab_sched_conf conf;
	struct fab_sched *s;
	uint32_t next_id = 1, iter, released = 0;
	struct fab_sched_stats st;
	unsigned int c;

	base_conf(&conf, 0);
	conf.quantum_bytes = 1500;
	memset(&r, 0, sizeof(r));
	for (c = 0; c < FAB_NUM_PRIO; c++) {
		conf.cls[c].capacity = 256;
		conf.cls[c].weight = c + 1;
		r.quantum[c] = 1500ull * (c + 1);
	}
	conf.cls[6].strict = true;
	r.strict = 1u << 6;
	r.dwrr = (uint8_t)~r.strict;
	s = fab_sched_create(&conf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	srand(77);
	for (iter = 0; iter < 5000; iter++) {
		uint8_t cls = classes[rand() % 8 < 5 ? 0 : rand() % 4];
		int k, arrivals = rand() % 4;
		struct rte_mbuf *out[8];
		uint8_t ocls[8];
		uint64_t done[8];
		uint16_t n, i, max = (uint16_t)(1 + rand() % 8);

		for (k = 0; k < arrivals && r.tail[cls] - r.head[cls] < 200; k++) {
			uint32_t len = 64 + (uint32_t)(rand() % 9000);
			struct rte_mbuf *m = make_frame(64, next_id);

			CU_ASSERT_PTR_NOT_NULL_FATAL(m);
			CU_ASSERT_EQUAL_FATAL(fab_sched_enqueue(s, cls, m, len), 0);
			r.len[cls][r.tail[cls] % 256] = len;
			r.id[cls][r.tail[cls] % 256] = next_id++;
			r.tail[cls]++;
		}
		n = fab_sched_dequeue_burst(s, 1000ull * iter, out, ocls, done, max);
		for (i = 0; i < n; i++) {
			int64_t want = ref_take(&r);

			CU_ASSERT_EQUAL_FATAL(frame_id(out[i]), want);
			CU_ASSERT_EQUAL(done[i], 1000ull * iter);
			rte_pktmbuf_free(out[i]);
		}
		released += n;
		/* A short burst is one that found the queues empty. */
		if (n < max)
			CU_ASSERT_EQUAL_FATAL(ref_take(&r), -1);
		/* The books: what is still queued, and what left, class by class. */
		fab_sched_stats(s, 1000ull * iter, &st);
		for (c = 0; c < FAB_NUM_PRIO; c++) {
			uint64_t queued = 0;
			uint32_t h;

			for (h = r.head[c]; h != r.tail[c]; h++)
				queued += r.len[c][h % 256];
			CU_ASSERT_EQUAL(st.cls[c].queued_bytes, queued);
			CU_ASSERT_EQUAL(st.cls[c].queued_pkts, r.tail[c] - r.head[c]);
			CU_ASSERT_EQUAL(st.cls[c].deq_pkts, r.head[c]);
		}
		CU_ASSERT_EQUAL(st.tx_pkts, released);
	}
	CU_ASSERT_TRUE(released > 3000);
	fab_sched_free(s);
}

/* A run queued at once leaves the queue as one enqueue per frame does. */
static void
test_enqueue_run_equals_single(void)
{
	struct fab_sched_conf conf;
	struct fab_sched_stats sa, sb;
	struct fab_sched *a, *b;
	struct rte_mbuf *m[8], *out[8];
	uint32_t len[8], qlen[8], tag[8];
	uint16_t i, n;

	base_conf(&conf, 0);
	conf.cls[2].capacity = 8;
	a = fab_sched_create(&conf);
	b = fab_sched_create(&conf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	for (i = 0; i < 6; i++) {
		len[i] = 100u * (i + 1);
		m[i] = make_frame(64, i);
		CU_ASSERT_PTR_NOT_NULL_FATAL(m[i]);
		CU_ASSERT_EQUAL(fab_sched_enqueue_tagged(a, 2, m[i], len[i], 0x1234), 0);
	}
	CU_ASSERT_EQUAL(fab_sched_room(b, 2), 8);
	CU_ASSERT_EQUAL(fab_sched_enqueue_run(b, 2, m, len, 6, 0x1234), 0);
	CU_ASSERT_EQUAL(fab_sched_room(b, 2), 2);
	/* Three more do not fit: refused whole, nothing counted. */
	CU_ASSERT_EQUAL(fab_sched_enqueue_run(b, 2, m, len, 3, 0x1234), -ENOBUFS);
	fab_sched_stats(a, 0, &sa);
	fab_sched_stats(b, 0, &sb);
	CU_ASSERT_EQUAL(memcmp(&sa, &sb, sizeof(sa)), 0);
	CU_ASSERT_EQUAL(sb.cls[2].queued_bytes, 2100);
	CU_ASSERT_EQUAL(sb.cls[2].max_queued_bytes, 2100);
	CU_ASSERT_EQUAL(sb.cls[2].full_pkts, 0);
	/*
	 * Both hand the frames back in order, with the lengths they were queued
	 * with (not the mbufs' 64) and the tag (b's are the same mbufs: drop
	 * a's refs).
	 */
	n = fab_sched_dequeue_burst_tagged(a, 0, out, NULL, NULL, qlen, tag, 8);
	CU_ASSERT_EQUAL(n, 6);
	for (i = 0; i < n; i++) {
		CU_ASSERT_EQUAL(qlen[i], len[i]);
		CU_ASSERT_EQUAL(tag[i], 0x1234);
	}
	memset(qlen, 0, sizeof(qlen));
	memset(tag, 0, sizeof(tag));
	n = fab_sched_dequeue_burst_tagged(b, 0, out, NULL, NULL, qlen, tag, 8);
	CU_ASSERT_EQUAL(n, 6);
	for (i = 0; i < n; i++) {
		CU_ASSERT_EQUAL(frame_id(out[i]), i);
		CU_ASSERT_EQUAL(qlen[i], len[i]);
		CU_ASSERT_EQUAL(tag[i], 0x1234);
		rte_pktmbuf_free(out[i]);
	}
	fab_sched_free(a);
	fab_sched_free(b);
}

/*
 * A queue that empties starts again at slot 0, so that a port that keeps
 * up reuses the same few (cached) slots; frames still leave in order when
 * it does not empty. Unshaped (the one-class burst) and shaped at 100G
 * (frame by frame), with the control queue too.
 */
static void
test_empty_queue_rewinds(void)
{
	static const uint64_t rates[2] = { 0, 100000000000ull };
	unsigned int r, round;

	srand(31);
	for (r = 0; r < 2; r++) {
		struct fab_sched_conf conf;
		struct rte_mbuf *out[64];
		struct fab_sched *s;
		uint32_t qlen[64], tag[64];
		uint32_t next_in = 0, next_out = 0, next_ctrl = 0;
		uint64_t now = 0;
		uint16_t i, n;

		base_conf(&conf, rates[r]);
		conf.cls[3].capacity = 64;
		s = fab_sched_create(&conf);
		CU_ASSERT_PTR_NOT_NULL_FATAL(s);
		for (round = 0; round < 200; round++) {
			unsigned int k = 1 + (unsigned int)rand() % 20;
			struct rte_mbuf *c = make_frame(64, 1000000 + round);

			CU_ASSERT_PTR_NOT_NULL_FATAL(c);
			if (fab_sched_queue_pkts(s, 3) == 0) {
				/* Empty: the next frame goes to the first slot. */
				CU_ASSERT_EQUAL_FATAL(s->cls[3].tail, 0);
				enqueue_n(s, 3, 1, 100, next_in++);
				CU_ASSERT_EQUAL_FATAL(frame_id(s->cls[3].slot[0].m), next_in - 1);
				k--;
			}
			if (fab_sched_room(s, 3) < k)
				k = fab_sched_room(s, 3);
			enqueue_n(s, 3, k, 100, next_in);
			next_in += k;
			CU_ASSERT_EQUAL_FATAL(fab_sched_push_ctrl(s, c), 0);
			/* Take a random share, or everything every third round. */
			now += 1000000;
			n = fab_sched_dequeue_burst_tagged(s, now, out, NULL, NULL, qlen, tag,
				(uint16_t)(round % 3 == 0 ? 64 : 1 + rand() % 16));
			for (i = 0; i < n; i++) {
				uint32_t id = frame_id(out[i]);

				/* Tags and lengths travel with their frames, frame by frame too. */
				CU_ASSERT_EQUAL_FATAL(tag[i], id >= 1000000 ? 0 : id);
				CU_ASSERT_EQUAL_FATAL(qlen[i], rte_pktmbuf_pkt_len(out[i]));

				if (id >= 1000000) {
					CU_ASSERT_EQUAL_FATAL(id, 1000000 + next_ctrl);
					next_ctrl++;
				} else {
					CU_ASSERT_EQUAL_FATAL(id, next_out);
					next_out++;
				}
				rte_pktmbuf_free(out[i]);
			}
			if (fab_sched_queue_count(&s->ctrl) == 0)
				CU_ASSERT_EQUAL_FATAL(s->ctrl.tail, 0);
		}
		while ((n = fab_sched_dequeue_burst(s, now += 1000000, out, NULL, NULL, 64)) > 0)
			for (i = 0; i < n; i++) {
				uint32_t id = frame_id(out[i]);

				CU_ASSERT_EQUAL(id, id >= 1000000 ? 1000000 + next_ctrl++ : next_out++);
				rte_pktmbuf_free(out[i]);
			}
		CU_ASSERT_EQUAL(next_out, next_in);
		CU_ASSERT_EQUAL(next_ctrl, 200);
		CU_ASSERT_EQUAL(s->ctrl.tail, 0);
		CU_ASSERT_EQUAL(s->cls[3].head, 0);
		CU_ASSERT_EQUAL(s->cls[3].tail, 0);
		fab_sched_free(s);
	}
}

static void
test_free_with_queued_frames(void)
{
	struct fab_sched_conf conf;
	struct fab_sched *s;
	unsigned int before;

	before = rte_mempool_avail_count(fab_test_pool);
	base_conf(&conf, G100);
	conf.cls[7].strict = true;
	s = fab_sched_create(&conf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	enqueue_n(s, 0, 10, 200, 0);
	enqueue_n(s, 7, 5, 200, 100);
	CU_ASSERT_EQUAL(fab_sched_push_ctrl(s, make_frame(60, 200)), 0);
	CU_ASSERT_EQUAL(fab_sched_push_ctrl(s, make_frame(60, 201)), 0);
	CU_ASSERT_EQUAL(rte_mempool_avail_count(fab_test_pool), before - 17);
	fab_sched_free(s);
	CU_ASSERT_EQUAL(rte_mempool_avail_count(fab_test_pool), before);
}

/*
 * The rings are the kernel's, not the EAL heap's: rte_free() would zero
 * every byte of them, faulting in a worst-case ring that was never used.
 */
static void
test_rings_outside_eal_heap(void)
{
	struct fab_sched_conf conf;
	struct fab_sched *s;

	base_conf(&conf, G100);
	s = fab_sched_create(&conf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_PTR_NOT_NULL(rte_mem_virt2memseg(s, NULL));
	CU_ASSERT_PTR_NULL(rte_mem_virt2memseg(s->ring_mem, NULL));
	CU_ASSERT_PTR_NULL(rte_mem_virt2memseg(s->cls[7].slot, NULL));
	enqueue_n(s, 7, 3, 200, 0);
	CU_ASSERT_EQUAL(fab_sched_queue_pkts(s, 7), 3);
	fab_sched_free(s);
}

int
fab_suite_sched(void)
{
	CU_pSuite s = fab_test_add_suite("sched");

	if (s == NULL)
		return -1;
	FAB_ADD_TEST(s, test_create_invalid);
	FAB_ADD_TEST(s, test_unshaped_matches_reference);
	FAB_ADD_TEST(s, test_enqueue_run_equals_single);
	FAB_ADD_TEST(s, test_empty_queue_rewinds);
	FAB_ADD_TEST(s, test_invalid_class);
	FAB_ADD_TEST(s, test_tx_done_100g);
	FAB_ADD_TEST(s, test_tx_done_25g);
	FAB_ADD_TEST(s, test_back_to_back);
	FAB_ADD_TEST(s, test_idle_gap_then_burst);
	FAB_ADD_TEST(s, test_strict_priority);
	FAB_ADD_TEST(s, test_dwrr_ratio);
	FAB_ADD_TEST(s, test_dwrr_deficit_rules);
	FAB_ADD_TEST(s, test_pause_holds_class);
	FAB_ADD_TEST(s, test_pause_frame_on_wire_finishes);
	FAB_ADD_TEST(s, test_ctrl_first);
	FAB_ADD_TEST(s, test_ctrl_late_call);
	FAB_ADD_TEST(s, test_paused_ps_accounting);
	FAB_ADD_TEST(s, test_levels);
	FAB_ADD_TEST(s, test_ring_full);
	FAB_ADD_TEST(s, test_next_event);
	FAB_ADD_TEST(s, test_unlimited_rate);
	FAB_ADD_TEST(s, test_non_integral_rate);
	FAB_ADD_TEST(s, test_free_with_queued_frames);
	FAB_ADD_TEST(s, test_rings_outside_eal_heap);
	return 0;
}
