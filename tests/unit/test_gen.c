/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * lib/gen on an ideal crossbar written here: every host sends at its line
 * rate, every frame reaches the host owning its destination address after
 * a fixed delay, and the test may drop chosen data packets. Checks that
 * every collective delivers exactly its byte matrix with the payload
 * verified, that no transfer is posted before what it depends on has
 * arrived, that losses are recovered, and that two generators each running
 * half of the hosts (as two rocefab-gen processes would) interoperate.
 */

#include <string.h>

#include <rte_errno.h>

#include <fab_gen.h>

#include "fab_test.h"

#define XB_MAX_HOSTS 16
#define XB_QUEUE 64
#define XB_RATE 100000000000ull
#define XB_DELAY_PS 1000000ull          /* 1 us */
#define XB_MAX_FLIGHT 8192

struct xb_frame {
	uint64_t at;
	uint32_t dst;
	struct rte_mbuf *m;
};

/* The crossbar and the generators sharing it. */
struct xb {
	uint32_t nb_hosts;
	struct fab_gen *gen[2];
	uint32_t owner[XB_MAX_HOSTS];      /* which generator runs host i */
	struct rte_mbuf *q[XB_MAX_HOSTS][XB_QUEUE];
	uint32_t qlen[XB_MAX_HOSTS];
	uint64_t free_at[XB_MAX_HOSTS];    /* when host i's wire is free */
	struct xb_frame flight[XB_MAX_FLIGHT];
	uint32_t nb_flight;
	uint64_t data_seen;                /* data packets the crossbar carried */
	uint64_t drop_every;               /* drop every Nth data packet; 0: none */
	uint64_t dropped;
};

static struct rte_mempool *gen_pool;

static uint32_t
host_of_ip(const struct xb *x, const struct fab_pkt_meta *mt, const struct rte_mbuf *m)
{
	const uint8_t *ip = rte_pktmbuf_mtod_offset(m, const uint8_t *, mt->l3_off);

	(void)x;
	/* 10.0.0.(i + 1) */
	return (uint32_t)ip[19] - 1;
}

static void
xb_send(struct xb *x, uint32_t h, uint64_t now)
{
	while (x->qlen[h] != 0 && x->free_at[h] <= now) {
		struct rte_mbuf *m = x->q[h][0];
		struct fab_pkt_meta mt;
		uint64_t done;

		memmove(&x->q[h][0], &x->q[h][1], (x->qlen[h] - 1) * sizeof(x->q[h][0]));
		x->qlen[h]--;
		done = RTE_MAX(x->free_at[h], now) + fab_wire_time_ps(rte_pktmbuf_pkt_len(m),
			XB_RATE);
		x->free_at[h] = done;
		CU_ASSERT_FATAL(fab_pkt_parse(m, &mt) == FAB_PKT_OK);
		if (mt.bth_opcode >= FAB_OP_RC_WRITE_FIRST && mt.bth_opcode <= FAB_OP_RC_WRITE_ONLY) {
			x->data_seen++;
			if (x->drop_every != 0 && x->data_seen % x->drop_every == 0) {
				x->dropped++;
				rte_pktmbuf_free(m);
				continue;
			}
		}
		CU_ASSERT_FATAL(x->nb_flight < XB_MAX_FLIGHT);
		x->flight[x->nb_flight++] = (struct xb_frame){
			.at = done + XB_DELAY_PS, .dst = host_of_ip(x, &mt, m), .m = m };
	}
}

static void
xb_poll_host(struct xb *x, uint32_t h, uint64_t now)
{
	struct fab_gen *g = x->gen[x->owner[h]];
	uint32_t droom[FAB_NUM_PRIO], croom[FAB_NUM_PRIO], c;
	struct rte_mbuf *out[32];
	uint8_t cls[32];
	uint16_t nb, i;

	fab_gen_poll(g, h, now);
	do {
		for (c = 0; c < FAB_NUM_PRIO; c++) {
			droom[c] = x->qlen[h] < 4 ? 4 - x->qlen[h] : 0;
			croom[c] = XB_QUEUE - x->qlen[h];
		}
		nb = fab_gen_tx(g, h, now, droom, croom, out, cls, 32);
		for (i = 0; i < nb; i++)
			x->q[h][x->qlen[h]++] = out[i];
		xb_send(x, h, now);
	} while (nb == 32);
}

/* Run until nothing is left; returns the end time. */
static uint64_t
xb_run(struct xb *x, uint64_t limit)
{
	uint64_t now = 0;

	for (;;) {
		uint64_t next = UINT64_MAX;
		uint32_t h, i;

		for (h = 0; h < x->nb_hosts; h++) {
			uint64_t t = fab_gen_next_event(x->gen[x->owner[h]], h, now);

			next = RTE_MIN(next, t);
			if (x->qlen[h] != 0) {
				uint64_t wire = x->free_at[h] > now ? x->free_at[h] : now;

				next = RTE_MIN(next, wire);
			}
		}
		for (i = 0; i < x->nb_flight; i++)
			next = RTE_MIN(next, x->flight[i].at);
		if (next == UINT64_MAX || next > limit)
			return now;
		now = next;
		/* Arrivals in the order they were sent. */
		i = 0;
		while (i < x->nb_flight) {
			struct xb_frame f = x->flight[i];
			struct fab_pkt_meta mt;

			if (f.at > now) {
				i++;
				continue;
			}
			memmove(&x->flight[i], &x->flight[i + 1],
				(x->nb_flight - i - 1) * sizeof(x->flight[0]));
			x->nb_flight--;
			CU_ASSERT_FATAL(fab_pkt_parse(f.m, &mt) == FAB_PKT_OK);
			fab_gen_rx(x->gen[x->owner[f.dst]], f.dst, now, f.m, &mt);
			rte_pktmbuf_free(f.m);
		}
		for (h = 0; h < x->nb_hosts; h++)
			xb_poll_host(x, h, now);
	}
}

static struct fab_gen *
make_gen(const char *cc, uint64_t seed)
{
	struct fab_gen_conf gc = {
		.seed = seed, .pool = gen_pool, .socket_id = SOCKET_ID_ANY,
		.nic = { .cc = cc, .mtu = 1024, .retry_cnt = 0xff, .timeout = 4 },
	};
	char err[256];
	struct fab_gen *g = fab_gen_create(&gc, err, sizeof(err));

	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	return g;
}

static void
add_hosts(struct xb *x, struct fab_gen *g, uint32_t n, int local_gen)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		struct fab_gen_host_conf hc;

		memset(&hc, 0, sizeof(hc));
		snprintf(hc.name, sizeof(hc.name), "h%u", i);
		hc.l3 = FAB_L3_IPV4;
		hc.ip.v4 = rte_cpu_to_be_32(0x0a000001 + i);
		hc.mac.addr_bytes[0] = 0x02;
		hc.mac.addr_bytes[5] = (uint8_t)i;
		hc.gw_mac.addr_bytes[0] = 0x02;
		hc.gw_mac.addr_bytes[5] = 0xfe;
		hc.rate_bps = XB_RATE;
		hc.dscp_to_class[26] = 3;
		hc.dscp_to_class[48] = 6;
		hc.local = local_gen < 0 || (int)x->owner[i] == local_gen;
		CU_ASSERT_EQUAL_FATAL(fab_gen_add_host(g, &hc), (int)i);
	}
}

static int
add_job(struct fab_gen *g, enum fab_coll_pattern p, uint32_t n, const uint64_t *sizes,
		uint32_t nb_sizes, uint32_t warmup, uint32_t iters, uint32_t channels)
{
	uint32_t hosts[XB_MAX_HOSTS], i;
	struct fab_gen_job_conf jc = {
		.coll = { .pattern = p, .nranks = n, .channels = channels, .chunk_bytes = 8192,
			.seed = 7 },
		.hosts = hosts, .nb_sizes = nb_sizes, .sizes = sizes, .warmup = warmup,
		.iters = iters, .dscp = 26, .ecn = 2,
	};
	char err[256];
	int ret;

	/* Ranks in reverse host order: placement must not matter. */
	for (i = 0; i < n; i++)
		hosts[i] = n - 1 - i;
	snprintf(jc.name, sizeof(jc.name), "%s", fab_coll_pattern_name(p));
	ret = fab_gen_add_job(g, &jc, err, sizeof(err));
	CU_ASSERT(ret >= 0);
	return ret;
}

static void
xb_free(struct xb *x)
{
	uint32_t h, i;

	for (h = 0; h < x->nb_hosts; h++)
		for (i = 0; i < x->qlen[h]; i++)
			rte_pktmbuf_free(x->q[h][i]);
	for (i = 0; i < x->nb_flight; i++)
		rte_pktmbuf_free(x->flight[i].m);
	fab_gen_free(x->gen[0]);
	if (x->gen[1] != x->gen[0])
		fab_gen_free(x->gen[1]);
}

/* The byte matrix delivered equals the pattern's definition times the rounds. */
static void
check_matrix(struct fab_gen *g, uint32_t job, uint32_t n, uint32_t rounds_per_size,
		uint32_t nb_sizes)
{
	uint32_t s, a, b;

	for (a = 0; a < n; a++)
		for (b = 0; b < n; b++) {
			uint64_t want = 0;

			for (s = 0; s < nb_sizes; s++)
				want += rounds_per_size * fab_coll_matrix(fab_gen_coll(g, job, s), a, b);
			CU_ASSERT_EQUAL(fab_gen_rx_matrix(g, job, a, b), want);
		}
}

/* Nothing was posted before the transfers it depends on had arrived. */
static void
check_causality(struct fab_gen *g, uint32_t job)
{
	const struct fab_gen_job_conf *jc = fab_gen_job(g, job);
	const struct fab_gen_flow *fl;
	uint32_t nb, i, k, checked = 0;

	fl = fab_gen_flows(g, &nb);
	for (i = 0; i < nb; i++) {
		const struct fab_coll *c;
		const struct fab_coll_xfer *x;

		if (fl[i].job != job)
			continue;
		c = fab_gen_coll(g, job, fl[i].round / (jc->warmup + jc->iters));
		x = fab_coll_xfer(c, fl[i].xfer);
		CU_ASSERT_EQUAL(fl[i].bytes, x->bytes);
		CU_ASSERT(fl[i].arrive_ps >= fl[i].post_ps);
		for (k = 0; k < x->nb_deps; k++) {
			uint32_t d;

			for (d = 0; d < nb; d++)
				if (fl[d].job == job && fl[d].round == fl[i].round &&
						fl[d].xfer == x->deps[k])
					break;
			CU_ASSERT_FATAL(d < nb);
			CU_ASSERT(fl[d].arrive_ps <= fl[i].post_ps);
			checked++;
		}
	}
	if (fab_coll_xfer(fab_gen_coll(g, job, 0), fab_coll_nb_xfers(fab_gen_coll(g, job, 0)) - 1)->nb_deps != 0)
		CU_ASSERT(checked > 0);
}

static void
run_pattern(enum fab_coll_pattern p, uint32_t n, uint32_t channels)
{
	static const uint64_t sizes[] = { 3000, 65536 + 7 };
	struct xb x;
	struct fab_gen_host_stats st;
	char err[256];
	uint32_t h;
	uint64_t retx = 0;

	memset(&x, 0, sizeof(x));
	x.nb_hosts = n;
	x.gen[0] = x.gen[1] = make_gen("cc-none", 1);
	add_hosts(&x, x.gen[0], n, -1);
	CU_ASSERT_EQUAL_FATAL(add_job(x.gen[0], p, n, sizes, 2, 1, 2, channels), 0);
	CU_ASSERT_EQUAL_FATAL(fab_gen_start(x.gen[0], 0, err, sizeof(err)), 0);
	xb_run(&x, UINT64_C(10000000000000));
	CU_ASSERT(fab_gen_done(x.gen[0]));
	check_matrix(x.gen[0], 0, n, 3, 2);
	check_causality(x.gen[0], 0);
	for (h = 0; h < n; h++) {
		CU_ASSERT_EQUAL(fab_gen_host_stats(x.gen[0], h, &st), 0);
		CU_ASSERT_EQUAL(st.rx_bad_payload, 0);
		CU_ASSERT_EQUAL(st.rx_bad_icrc, 0);
		retx += st.retx_pkts;
	}
	CU_ASSERT_EQUAL(retx, 0);
	/* Each channel of a pair is its own QP with its own UDP source port. */
	if (channels > 1) {
		const struct fab_gen_flow *fl;
		uint32_t nb, i, k, seen = 0;
		uint16_t ports[FAB_COLL_MAX_CHANNELS];

		fl = fab_gen_flows(x.gen[0], &nb);
		for (i = 0; i < nb; i++) {
			if (fl[i].src_rank != 0 || fl[i].dst_rank != 1)
				continue;
			for (k = 0; k < seen && ports[k] != fl[i].sport; k++)
				;
			if (k == seen && seen < FAB_COLL_MAX_CHANNELS)
				ports[seen++] = fl[i].sport;
		}
		CU_ASSERT_EQUAL(seen, channels);
	}
	for (h = 0; h < 2; h++) {
		struct fab_gen_size_result r;

		CU_ASSERT_EQUAL(fab_gen_size_result(x.gen[0], 0, h, &r), 0);
		CU_ASSERT_EQUAL(r.iters, 2);
		CU_ASSERT(r.time_ps > 0);
		CU_ASSERT_EQUAL(r.wrong, 0);
	}
	xb_free(&x);
}

static void
test_patterns(void)
{
	run_pattern(FAB_COLL_ALLREDUCE_RING, 4, 1);
	run_pattern(FAB_COLL_ALLREDUCE_RING, 5, 2);
	run_pattern(FAB_COLL_ALLGATHER, 4, 1);
	run_pattern(FAB_COLL_REDUCE_SCATTER, 3, 1);
	run_pattern(FAB_COLL_BROADCAST, 4, 1);
	run_pattern(FAB_COLL_ALLTOALL, 4, 1);
	run_pattern(FAB_COLL_ALLREDUCE_TREE, 6, 1);
	run_pattern(FAB_COLL_ALLREDUCE_HD, 8, 1);
	run_pattern(FAB_COLL_INCAST, 5, 1);
	run_pattern(FAB_COLL_PERMUTATION, 6, 1);
}

/* Every 37th data packet dropped: go-back-N recovers, every byte arrives once. */
static void
test_losses_recovered(void)
{
	static const uint64_t size = 1 << 20;
	struct xb x;
	char err[256];
	uint64_t retx = 0, naks = 0;
	uint32_t h;

	memset(&x, 0, sizeof(x));
	x.nb_hosts = 4;
	x.drop_every = 37;
	x.gen[0] = x.gen[1] = make_gen("cc-none", 2);
	add_hosts(&x, x.gen[0], 4, -1);
	add_job(x.gen[0], FAB_COLL_ALLREDUCE_RING, 4, &size, 1, 0, 1, 1);
	CU_ASSERT_EQUAL_FATAL(fab_gen_start(x.gen[0], 0, err, sizeof(err)), 0);
	xb_run(&x, UINT64_C(10000000000000));
	CU_ASSERT(x.dropped > 10);
	CU_ASSERT(fab_gen_done(x.gen[0]));
	check_matrix(x.gen[0], 0, 4, 1, 1);
	for (h = 0; h < 4; h++) {
		struct fab_gen_host_stats st;

		fab_gen_host_stats(x.gen[0], h, &st);
		retx += st.retx_pkts;
		naks += st.rx_naks;
		CU_ASSERT_EQUAL(st.rx_bad_payload, 0);
	}
	CU_ASSERT(retx >= x.dropped);
	CU_ASSERT(naks > 0);
	xb_free(&x);
}

/*
 * Two generators, each running two of four hosts, agree on QPNs, PSNs and
 * ports without talking: the all-reduce completes across them.
 */
static void
test_two_generators(void)
{
	static const uint64_t size = 256 << 10;
	struct xb x;
	char err[256];
	int g;

	memset(&x, 0, sizeof(x));
	x.nb_hosts = 4;
	x.owner[0] = 0;
	x.owner[1] = 1;
	x.owner[2] = 0;
	x.owner[3] = 1;
	for (g = 0; g < 2; g++) {
		x.gen[g] = make_gen("cc-dcqcn", 3);
		add_hosts(&x, x.gen[g], 4, g);
		add_job(x.gen[g], FAB_COLL_ALLREDUCE_RING, 4, &size, 1, 0, 2, 2);
		CU_ASSERT_EQUAL_FATAL(fab_gen_start(x.gen[g], 0, err, sizeof(err)), 0);
	}
	xb_run(&x, UINT64_C(10000000000000));
	CU_ASSERT(fab_gen_done(x.gen[0]));
	CU_ASSERT(fab_gen_done(x.gen[1]));
	/* Each generator counts what its own hosts received. */
	CU_ASSERT_EQUAL(fab_gen_rx_matrix(x.gen[0], 0, 3, 0) + fab_gen_rx_matrix(x.gen[1], 0, 3, 0),
		2 * fab_coll_matrix(fab_gen_coll(x.gen[0], 0, 0), 3, 0));
	/* Rank 1 is on host 2, which the first generator runs. */
	CU_ASSERT_EQUAL(fab_gen_rx_matrix(x.gen[0], 0, 0, 1),
		2 * fab_coll_matrix(fab_gen_coll(x.gen[0], 0, 0), 0, 1));
	CU_ASSERT_EQUAL(fab_gen_rx_matrix(x.gen[1], 0, 0, 1), 0);
	xb_free(&x);
}

static void
test_invalid(void)
{
	struct fab_gen_conf gc = { .pool = NULL };
	struct xb x;
	char err[256];
	uint32_t hosts[2] = { 0, 0 };
	uint64_t size = 1000;
	struct fab_gen_job_conf jc = {
		.coll = { .pattern = FAB_COLL_ALLREDUCE_RING, .nranks = 2 },
		.hosts = hosts, .nb_sizes = 1, .sizes = &size, .iters = 1,
	};

	CU_ASSERT_PTR_NULL(fab_gen_create(&gc, err, sizeof(err)));
	memset(&x, 0, sizeof(x));
	x.gen[0] = make_gen("cc-none", 1);
	add_hosts(&x, x.gen[0], 2, -1);
	CU_ASSERT_EQUAL(fab_gen_add_job(x.gen[0], &jc, err, sizeof(err)), -EINVAL);
	CU_ASSERT(strstr(err, "one host") != NULL);
	hosts[1] = 5;
	CU_ASSERT_EQUAL(fab_gen_add_job(x.gen[0], &jc, err, sizeof(err)), -EINVAL);
	hosts[1] = 1;
	size = 0;
	CU_ASSERT_EQUAL(fab_gen_add_job(x.gen[0], &jc, err, sizeof(err)), -EINVAL);
	fab_gen_free(x.gen[0]);
	/* An unknown congestion control is refused at start, naming it. */
	x.gen[0] = make_gen("cc-nonesuch", 1);
	add_hosts(&x, x.gen[0], 2, -1);
	size = 1000;
	CU_ASSERT_EQUAL(fab_gen_add_job(x.gen[0], &jc, err, sizeof(err)), 0);
	CU_ASSERT(fab_gen_start(x.gen[0], 0, err, sizeof(err)) < 0);
	CU_ASSERT(strstr(err, "cc-nonesuch") != NULL);
	fab_gen_free(x.gen[0]);
}

static int
gen_init(void)
{
	gen_pool = rte_pktmbuf_pool_create("gen_test", 16383, 256, 0,
		RTE_PKTMBUF_HEADROOM + 2048, SOCKET_ID_ANY);
	return gen_pool == NULL ? -1 : 0;
}

static int
gen_fini(void)
{
	rte_mempool_free(gen_pool);
	gen_pool = NULL;
	return 0;
}

int
fab_suite_gen(void)
{
	CU_pSuite s = CU_add_suite("gen", gen_init, gen_fini);

	if (s == NULL)
		return -1;
	FAB_ADD_TEST(s, test_invalid);
	FAB_ADD_TEST(s, test_patterns);
	FAB_ADD_TEST(s, test_losses_recovered);
	FAB_ADD_TEST(s, test_two_generators);
	return 0;
}
