/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * lib/mmu: every expectation below is worked out by hand from the rules in
 * docs/modules/mmu.md, in the comment next to it.
 */

#include <errno.h>
#include <string.h>

#include <rte_errno.h>

#include "fab_mmu.h"
#include "fab_test.h"

#define PKT 1000u

/* Lossless group 3 on every port: dynamic_th 0, headroom 20 KB. */
static void
conf_lossless(struct fab_mmu_conf *c, uint64_t pool, uint32_t xon, uint32_t xon_offset)
{
	memset(c, 0, sizeof(*c));
	c->nb_ports = 2;
	c->pool_bytes = pool;
	c->port_default.pg[3].lossless = true;
	c->port_default.pg[3].xoff_bytes = 20000;
	c->port_default.pg[3].xon_bytes = xon;
	c->port_default.pg[3].xon_offset_bytes = xon_offset;
	c->port_default.queue[3].th_mode = FAB_MMU_TH_UNLIMITED;
}

static struct fab_mmu *
mmu_expect_invalid(const struct fab_mmu_conf *c)
{
	struct fab_mmu *mmu;

	rte_errno = 0;
	mmu = fab_mmu_create(c);
	CU_ASSERT_PTR_NULL(mmu);
	CU_ASSERT_EQUAL(rte_errno, EINVAL);
	return mmu;
}

static void
test_mmu_create_invalid(void)
{
	struct fab_mmu_conf c;
	struct fab_mmu_port_conf ports[2];

	fab_mmu_free(NULL);
	mmu_expect_invalid(NULL);

	conf_lossless(&c, 1000000, 0, 0);
	c.nb_ports = 0;
	mmu_expect_invalid(&c);
	c.nb_ports = FAB_MMU_MAX_PORTS + 1;
	mmu_expect_invalid(&c);

	conf_lossless(&c, 0, 0, 0);
	mmu_expect_invalid(&c);

	conf_lossless(&c, 1000000, 0, 0);
	c.port_default.pg[0].dynamic_th = 8;
	mmu_expect_invalid(&c);
	c.port_default.pg[0].dynamic_th = -8;
	mmu_expect_invalid(&c);
	c.port_default.pg[0].dynamic_th = 0;
	c.port_default.queue[5].dynamic_th = 8;
	mmu_expect_invalid(&c);
	c.port_default.queue[5].dynamic_th = 0;
	c.port_default.pg[1].th_mode = FAB_MMU_TH_MAX;
	mmu_expect_invalid(&c);

	/* XON above XOFF on a lossless group. */
	conf_lossless(&c, 1000000, 20001, 0);
	mmu_expect_invalid(&c);
	/* Headroom on a lossy group. */
	conf_lossless(&c, 1000000, 0, 0);
	c.port_default.pg[2].xoff_bytes = 100;
	mmu_expect_invalid(&c);
	/* A priority mapped beyond group 7. */
	conf_lossless(&c, 1000000, 0, 0);
	c.port_default.use_prio_map = true;
	c.port_default.prio_to_pg[6] = 8;
	mmu_expect_invalid(&c);

	/* A bad per-port override is caught even when the default is fine. */
	conf_lossless(&c, 1000000, 0, 0);
	memset(ports, 0, sizeof(ports));
	ports[1].pg[0].dynamic_th = -9;
	c.ports = ports;
	mmu_expect_invalid(&c);
}

static void
test_mmu_total_bytes(void)
{
	struct fab_mmu_conf c;
	struct fab_mmu_port_conf ports[2];
	struct fab_mmu_stats st;
	struct fab_mmu *mmu;

	conf_lossless(&c, 1000000, 0, 0);
	c.port_default.pg[3].reserved_bytes = 1000;
	c.port_default.pg[0].reserved_bytes = 500;
	mmu = fab_mmu_create(&c);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mmu);
	/* 1,000,000 + 2 ports * (1000 + 20000 + 500) */
	CU_ASSERT_EQUAL(fab_mmu_total_bytes(mmu), 1043000);
	fab_mmu_stats_get(mmu, &st);
	CU_ASSERT_EQUAL(st.total_bytes, 1043000);
	CU_ASSERT_EQUAL(st.pool_bytes, 1000000);
	fab_mmu_free(mmu);

	/* Per-port configurations replace the default. */
	memset(ports, 0, sizeof(ports));
	ports[0].pg[0].reserved_bytes = 7;
	ports[1].pg[4].lossless = true;
	ports[1].pg[4].xoff_bytes = 3000;
	c.ports = ports;
	mmu = fab_mmu_create(&c);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mmu);
	CU_ASSERT_EQUAL(fab_mmu_total_bytes(mmu), 1000000 + 7 + 3000);
	fab_mmu_free(mmu);
}

/* Admit PKT-byte packets from (in_port, pg) until the first refusal; return how many got in. */
static unsigned int
fill(struct fab_mmu *mmu, uint16_t in_port, uint8_t pg, uint16_t out_port, uint8_t cls,
		enum fab_mmu_verdict *stop)
{
	unsigned int n = 0;
	enum fab_mmu_verdict v;

	while ((v = fab_mmu_admit(mmu, in_port, pg, out_port, cls, PKT, NULL)) == FAB_MMU_ADMIT)
		n++;
	*stop = v;
	return n;
}

static void
test_mmu_dynamic_single_group(void)
{
	struct fab_mmu_conf c;
	struct fab_mmu_pg_stats pg;
	struct fab_mmu_stats st;
	struct fab_mmu *mmu;
	enum fab_mmu_verdict stop;

	/*
	 * dynamic_th 0: admit while used + 1000 <= pool - used, so the group
	 * stops at used = pool / 2 = 500,000 (500 packets).
	 */
	memset(&c, 0, sizeof(c));
	c.nb_ports = 2;
	c.pool_bytes = 1000000;
	c.port_default.queue[0].th_mode = FAB_MMU_TH_UNLIMITED;
	mmu = fab_mmu_create(&c);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mmu);
	CU_ASSERT_EQUAL(fill(mmu, 0, 0, 1, 0, &stop), 500);
	CU_ASSERT_EQUAL(stop, FAB_MMU_DROP_INGRESS);
	CU_ASSERT_EQUAL(fab_mmu_pg_stats_get(mmu, 0, 0, &pg), 0);
	CU_ASSERT_EQUAL(pg.shared_bytes, 500000);
	CU_ASSERT_EQUAL(pg.reserved_bytes, 0);
	CU_ASSERT_EQUAL(pg.shared_limit_bytes, 500000);
	CU_ASSERT_EQUAL(pg.admit_pkts, 500);
	CU_ASSERT_EQUAL(pg.drop_pkts[FAB_MMU_DROP_INGRESS], 1);
	CU_ASSERT_EQUAL(pg.drop_bytes[FAB_MMU_DROP_INGRESS], 1000);
	CU_ASSERT_FALSE(pg.paused);
	fab_mmu_stats_get(mmu, &st);
	CU_ASSERT_EQUAL(st.pool_used_bytes, 500000);
	CU_ASSERT_EQUAL(st.pool_watermark_bytes, 500000);
	CU_ASSERT_EQUAL(st.drop_pkts[FAB_MMU_DROP_INGRESS], 1);
	fab_mmu_free(mmu);

	/* dynamic_th 1: used + 1000 <= 2 (pool - used) stops at 2/3 of 1.5 MB. */
	c.pool_bytes = 1500000;
	c.port_default.pg[0].dynamic_th = 1;
	mmu = fab_mmu_create(&c);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mmu);
	CU_ASSERT_EQUAL(fill(mmu, 0, 0, 1, 0, &stop), 1000);
	fab_mmu_pg_stats_get(mmu, 0, 0, &pg);
	CU_ASSERT_EQUAL(pg.shared_bytes, 1000000);
	fab_mmu_free(mmu);

	/*
	 * dynamic_th -1: used + 1000 <= (pool - used) / 2. At 332,000 the limit
	 * is 334,000 and 333,000 fits; at 333,000 it is 333,500 and 334,000 does
	 * not: 333 packets.
	 */
	c.pool_bytes = 1000000;
	c.port_default.pg[0].dynamic_th = -1;
	mmu = fab_mmu_create(&c);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mmu);
	CU_ASSERT_EQUAL(fill(mmu, 0, 0, 1, 0, &stop), 333);
	fab_mmu_pg_stats_get(mmu, 0, 0, &pg);
	CU_ASSERT_EQUAL(pg.shared_bytes, 333000);
	CU_ASSERT_EQUAL(pg.shared_limit_bytes, 333500);
	fab_mmu_free(mmu);
}

static void
test_mmu_dynamic_two_groups(void)
{
	struct fab_mmu_conf c;
	struct fab_mmu_pg_stats a, b;
	struct fab_mmu_stats st;
	struct fab_mmu *mmu;
	unsigned int i, drops = 0;

	/*
	 * Two groups taking turns, dynamic_th 0, pool 999,000: A fits while
	 * 2a + b + 1000 <= pool. From (k, k) thousand bytes each, A and B both
	 * get in while 3k + 1 <= 999, so both stop at 333,000 = pool / 3.
	 */
	memset(&c, 0, sizeof(c));
	c.nb_ports = 2;
	c.pool_bytes = 999000;
	c.port_default.queue[0].th_mode = FAB_MMU_TH_UNLIMITED;
	mmu = fab_mmu_create(&c);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mmu);
	for (i = 0; i < 400; i++) {
		if (fab_mmu_admit(mmu, 0, 0, 1, 0, PKT, NULL) != FAB_MMU_ADMIT)
			drops++;
		if (fab_mmu_admit(mmu, 0, 1, 1, 0, PKT, NULL) != FAB_MMU_ADMIT)
			drops++;
	}
	fab_mmu_pg_stats_get(mmu, 0, 0, &a);
	fab_mmu_pg_stats_get(mmu, 0, 1, &b);
	CU_ASSERT_EQUAL(a.shared_bytes, 333000);
	CU_ASSERT_EQUAL(b.shared_bytes, 333000);
	CU_ASSERT_EQUAL(drops, 2 * (400 - 333));
	CU_ASSERT_EQUAL(a.drop_pkts[FAB_MMU_DROP_INGRESS], 400 - 333);
	fab_mmu_stats_get(mmu, &st);
	CU_ASSERT_EQUAL(st.pool_used_bytes, 666000);
	CU_ASSERT_EQUAL(st.admit_pkts, 666);
	CU_ASSERT_EQUAL(st.drop_pkts[FAB_MMU_DROP_INGRESS], 134);
	CU_ASSERT_EQUAL(st.drop_bytes[FAB_MMU_DROP_INGRESS], 134000);
	fab_mmu_free(mmu);
}

static void
test_mmu_reserved_first(void)
{
	struct fab_mmu_conf c;
	struct fab_mmu_pg_stats pg;
	struct fab_mmu_stats st;
	struct fab_mmu *mmu;
	int i;

	memset(&c, 0, sizeof(c));
	c.nb_ports = 1;
	c.pool_bytes = 1000000;
	c.port_default.pg[2].reserved_bytes = 2500;
	mmu = fab_mmu_create(&c);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mmu);
	/* 1000 + 1000 + 500 fill the reserve; the third packet's other 500 is shared. */
	for (i = 0; i < 3; i++)
		CU_ASSERT_EQUAL(fab_mmu_admit(mmu, 0, 2, 0, 2, PKT, NULL), FAB_MMU_ADMIT);
	fab_mmu_pg_stats_get(mmu, 0, 2, &pg);
	CU_ASSERT_EQUAL(pg.reserved_bytes, 2500);
	CU_ASSERT_EQUAL(pg.shared_bytes, 500);
	CU_ASSERT_EQUAL(pg.watermark_bytes, 3000);
	fab_mmu_stats_get(mmu, &st);
	CU_ASSERT_EQUAL(st.pool_used_bytes, 500);

	/* Release drains shared before reserved. */
	fab_mmu_release(mmu, 0, 2, 0, 2, PKT, NULL);
	fab_mmu_pg_stats_get(mmu, 0, 2, &pg);
	CU_ASSERT_EQUAL(pg.shared_bytes, 0);
	CU_ASSERT_EQUAL(pg.reserved_bytes, 2000);
	fab_mmu_stats_get(mmu, &st);
	CU_ASSERT_EQUAL(st.pool_used_bytes, 0);
	fab_mmu_free(mmu);
}

static void
test_mmu_xoff_then_headroom_overrun(void)
{
	struct fab_mmu_conf c;
	struct fab_mmu_pg_stats pg;
	struct fab_mmu_stats st;
	struct fab_mmu_event ev;
	struct fab_mmu *mmu;
	unsigned int i;

	conf_lossless(&c, 1000000, 0, 0);
	mmu = fab_mmu_create(&c);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mmu);

	/* 500 packets fit shared (pool / 2), without XOFF. */
	for (i = 0; i < 500; i++) {
		CU_ASSERT_EQUAL(fab_mmu_admit(mmu, 0, 3, 1, 3, PKT, &ev), FAB_MMU_ADMIT);
		CU_ASSERT_FALSE(ev.xoff);
		CU_ASSERT_FALSE(ev.xon);
	}
	fab_mmu_pg_stats_get(mmu, 0, 3, &pg);
	CU_ASSERT_FALSE(pg.paused);
	CU_ASSERT_EQUAL(pg.headroom_bytes, 0);

	/* The 501st is the first that does not fit: XOFF, and it lands in headroom. */
	CU_ASSERT_EQUAL(fab_mmu_admit(mmu, 0, 3, 1, 3, PKT, &ev), FAB_MMU_ADMIT);
	CU_ASSERT_TRUE(ev.xoff);
	CU_ASSERT_FALSE(ev.xon);
	CU_ASSERT_EQUAL(ev.port, 0);
	CU_ASSERT_EQUAL(ev.pg, 3);
	CU_ASSERT_EQUAL(ev.prio_mask, 0x08);
	fab_mmu_pg_stats_get(mmu, 0, 3, &pg);
	CU_ASSERT_TRUE(pg.paused);
	CU_ASSERT_EQUAL(pg.headroom_bytes, 1000);
	CU_ASSERT_EQUAL(pg.xoff_count, 1);

	/* Headroom takes exactly xoff_bytes = 20 packets in all, XOFF not repeated. */
	for (i = 1; i < 20; i++) {
		CU_ASSERT_EQUAL(fab_mmu_admit(mmu, 0, 3, 1, 3, PKT, &ev), FAB_MMU_ADMIT);
		CU_ASSERT_FALSE(ev.xoff);
	}
	fab_mmu_pg_stats_get(mmu, 0, 3, &pg);
	CU_ASSERT_EQUAL(pg.headroom_bytes, 20000);
	CU_ASSERT_EQUAL(pg.shared_bytes, 500000);

	/* The next one overruns: a lossless drop, counted as such. */
	CU_ASSERT_EQUAL(fab_mmu_admit(mmu, 0, 3, 1, 3, PKT, &ev), FAB_MMU_DROP_HEADROOM);
	CU_ASSERT_FALSE(ev.xoff);
	fab_mmu_pg_stats_get(mmu, 0, 3, &pg);
	CU_ASSERT_EQUAL(pg.headroom_bytes, 20000);
	CU_ASSERT_EQUAL(pg.headroom_watermark_bytes, 20000);
	CU_ASSERT_EQUAL(pg.watermark_bytes, 520000);
	CU_ASSERT_EQUAL(pg.drop_pkts[FAB_MMU_DROP_HEADROOM], 1);
	CU_ASSERT_EQUAL(pg.drop_bytes[FAB_MMU_DROP_HEADROOM], 1000);
	CU_ASSERT_EQUAL(pg.drop_pkts[FAB_MMU_DROP_INGRESS], 0);
	CU_ASSERT_EQUAL(pg.xoff_count, 1);
	fab_mmu_stats_get(mmu, &st);
	CU_ASSERT_EQUAL(st.drop_pkts[FAB_MMU_DROP_HEADROOM], 1);
	CU_ASSERT_EQUAL(st.xoff_count, 1);
	CU_ASSERT_EQUAL(st.pool_used_bytes, 500000);
	fab_mmu_free(mmu);
}

/*
 * Fill a lossless group (500 shared + 20 headroom packets), then release one
 * packet at a time; return the number of the release that raised XON.
 */
static unsigned int
release_until_xon(uint32_t xon, uint32_t xon_offset)
{
	struct fab_mmu_conf c;
	struct fab_mmu_event ev;
	struct fab_mmu_pg_stats pg;
	struct fab_mmu *mmu;
	unsigned int i, at = 0;

	conf_lossless(&c, 1000000, xon, xon_offset);
	mmu = fab_mmu_create(&c);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mmu);
	for (i = 0; i < 520; i++)
		CU_ASSERT_EQUAL(fab_mmu_admit(mmu, 0, 3, 1, 3, PKT, NULL), FAB_MMU_ADMIT);
	for (i = 1; i <= 520; i++) {
		fab_mmu_release(mmu, 0, 3, 1, 3, PKT, &ev);
		CU_ASSERT_FALSE(ev.xoff);
		if (ev.xon) {
			CU_ASSERT_EQUAL(at, 0);
			CU_ASSERT_EQUAL(ev.port, 0);
			CU_ASSERT_EQUAL(ev.pg, 3);
			CU_ASSERT_EQUAL(ev.prio_mask, 0x08);
			at = i;
		}
	}
	fab_mmu_pg_stats_get(mmu, 0, 3, &pg);
	CU_ASSERT_FALSE(pg.paused);
	CU_ASSERT_EQUAL(pg.xon_count, 1);
	fab_mmu_free(mmu);
	return at;
}

static void
test_mmu_xon_threshold(void)
{
	/*
	 * Releases drain headroom first: after 20 it is empty and shared is
	 * 500,000. After k more, shared = 500,000 - 1000k and the limit is the
	 * free pool, 500,000 + 1000k.
	 *
	 * xon 0, offset 0: resume at shared <= limit, true at once: release 20.
	 */
	CU_ASSERT_EQUAL(release_until_xon(0, 0), 20);
	/*
	 * offset 300,000: resume when 500,000 - 1000k <= 200,000 + 1000k, i.e.
	 * k = 150 exactly (shared 350,000 = 650,000 - 300,000): release 170.
	 */
	CU_ASSERT_EQUAL(release_until_xon(10000, 300000), 170);
	/*
	 * offset above the limit: the floor xon = 10,000 rules; shared reaches
	 * it after k = 490: release 510.
	 */
	CU_ASSERT_EQUAL(release_until_xon(10000, 2000000), 510);

	/* The rule itself, at its edges. */
	CU_ASSERT_TRUE(fab_mmu_xon_ready(0, 350000, 650000, 10000, 300000));
	CU_ASSERT_FALSE(fab_mmu_xon_ready(0, 350001, 650000, 10000, 300000));
	CU_ASSERT_FALSE(fab_mmu_xon_ready(1, 0, 650000, 10000, 300000));
	CU_ASSERT_TRUE(fab_mmu_xon_ready(0, 10000, 5000, 10000, 300000));
	CU_ASSERT_FALSE(fab_mmu_xon_ready(0, 10001, 5000, 10000, 300000));
}

static void
test_mmu_release_returns_to_zero(void)
{
	struct fab_mmu_conf c;
	struct fab_mmu_pg_stats pg;
	struct fab_mmu_queue_stats q;
	struct fab_mmu_stats st;
	struct fab_mmu *mmu;
	unsigned int i, admitted3 = 0, admitted0 = 0;
	uint8_t g, cls;

	conf_lossless(&c, 1000000, 0, 0);
	c.port_default.pg[3].reserved_bytes = 3000;
	c.port_default.pg[0].reserved_bytes = 1500;
	mmu = fab_mmu_create(&c);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mmu);
	/* Reserved, shared and headroom all in use, on two groups and two queues. */
	for (i = 0; i < 600; i++) {
		if (fab_mmu_admit(mmu, 0, 3, 1, 3, PKT, NULL) == FAB_MMU_ADMIT)
			admitted3++;
		if (fab_mmu_admit(mmu, 1, 0, 0, 0, 700, NULL) == FAB_MMU_ADMIT)
			admitted0++;
	}
	fab_mmu_pg_stats_get(mmu, 0, 3, &pg);
	CU_ASSERT_EQUAL(pg.reserved_bytes, 3000);
	CU_ASSERT_EQUAL(pg.headroom_bytes, 20000);
	CU_ASSERT_TRUE(pg.paused);
	for (i = 0; i < admitted3; i++)
		fab_mmu_release(mmu, 0, 3, 1, 3, PKT, NULL);
	for (i = 0; i < admitted0; i++)
		fab_mmu_release(mmu, 1, 0, 0, 0, 700, NULL);

	for (g = 0; g < FAB_NUM_PRIO; g++) {
		fab_mmu_pg_stats_get(mmu, 0, g, &pg);
		CU_ASSERT_EQUAL(pg.reserved_bytes + pg.shared_bytes + pg.headroom_bytes, 0);
		CU_ASSERT_FALSE(pg.paused);
		fab_mmu_pg_stats_get(mmu, 1, g, &pg);
		CU_ASSERT_EQUAL(pg.reserved_bytes + pg.shared_bytes + pg.headroom_bytes, 0);
	}
	for (cls = 0; cls < FAB_NUM_PRIO; cls++) {
		fab_mmu_queue_stats_get(mmu, 0, cls, &q);
		CU_ASSERT_EQUAL(q.bytes, 0);
		fab_mmu_queue_stats_get(mmu, 1, cls, &q);
		CU_ASSERT_EQUAL(q.bytes, 0);
	}
	fab_mmu_stats_get(mmu, &st);
	CU_ASSERT_EQUAL(st.pool_used_bytes, 0);
	CU_ASSERT_EQUAL(st.release_errors, 0);
	CU_ASSERT_EQUAL(st.xoff_count, 1);
	CU_ASSERT_EQUAL(st.xon_count, 1);

	/* One release too many is counted, and nothing goes below zero. */
	fab_mmu_release(mmu, 0, 3, 1, 3, PKT, NULL);
	fab_mmu_stats_get(mmu, &st);
	CU_ASSERT_EQUAL(st.release_errors, 1);
	CU_ASSERT_EQUAL(st.pool_used_bytes, 0);
	fab_mmu_queue_stats_get(mmu, 1, 3, &q);
	CU_ASSERT_EQUAL(q.bytes, 0);
	fab_mmu_free(mmu);
}

static void
test_mmu_lossy_static_drops(void)
{
	struct fab_mmu_conf c;
	struct fab_mmu_pg_stats pg;
	struct fab_mmu_stats st;
	struct fab_mmu *mmu;
	unsigned int i, admitted = 0;

	/* Static 10,000: 6 packets of 1500 fit (9000), the 7th would make 10,500. */
	memset(&c, 0, sizeof(c));
	c.nb_ports = 1;
	c.pool_bytes = 1000000;
	c.port_default.pg[1].th_mode = FAB_MMU_TH_STATIC;
	c.port_default.pg[1].static_th_bytes = 10000;
	c.port_default.queue[1].th_mode = FAB_MMU_TH_UNLIMITED;
	mmu = fab_mmu_create(&c);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mmu);
	for (i = 0; i < 10; i++)
		if (fab_mmu_admit(mmu, 0, 1, 0, 1, 1500, NULL) == FAB_MMU_ADMIT)
			admitted++;
	CU_ASSERT_EQUAL(admitted, 6);
	fab_mmu_pg_stats_get(mmu, 0, 1, &pg);
	CU_ASSERT_EQUAL(pg.shared_bytes, 9000);
	CU_ASSERT_EQUAL(pg.shared_limit_bytes, 10000);
	CU_ASSERT_EQUAL(pg.admit_pkts, 6);
	CU_ASSERT_EQUAL(pg.admit_bytes, 9000);
	CU_ASSERT_EQUAL(pg.drop_pkts[FAB_MMU_DROP_INGRESS], 4);
	CU_ASSERT_EQUAL(pg.drop_bytes[FAB_MMU_DROP_INGRESS], 6000);
	CU_ASSERT_EQUAL(pg.drop_pkts[FAB_MMU_DROP_HEADROOM], 0);
	CU_ASSERT_EQUAL(pg.xoff_count, 0);
	CU_ASSERT_FALSE(pg.paused);
	/* A smaller packet still fits: 9000 + 1000 = 10,000. */
	CU_ASSERT_EQUAL(fab_mmu_admit(mmu, 0, 1, 0, 1, 1000, NULL), FAB_MMU_ADMIT);
	fab_mmu_stats_get(mmu, &st);
	CU_ASSERT_EQUAL(st.drop_pkts[FAB_MMU_DROP_INGRESS], 4);
	CU_ASSERT_EQUAL(st.admit_pkts, 7);
	fab_mmu_free(mmu);
}

static void
test_mmu_egress_limits(void)
{
	struct fab_mmu_conf c;
	struct fab_mmu_queue_stats q;
	struct fab_mmu_pg_stats pg;
	struct fab_mmu_event ev;
	struct fab_mmu *mmu;
	unsigned int i;
	enum fab_mmu_verdict stop;

	/* Queue (1, 0) static 5000: five packets, the sixth is an egress drop. */
	memset(&c, 0, sizeof(c));
	c.nb_ports = 2;
	c.pool_bytes = 1000000;
	c.port_default.queue[0].th_mode = FAB_MMU_TH_STATIC;
	c.port_default.queue[0].static_th_bytes = 5000;
	mmu = fab_mmu_create(&c);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mmu);
	for (i = 0; i < 5; i++)
		CU_ASSERT_EQUAL(fab_mmu_admit(mmu, 0, 0, 1, 0, PKT, NULL), FAB_MMU_ADMIT);
	CU_ASSERT_EQUAL(fab_mmu_admit(mmu, 0, 0, 1, 0, PKT, &ev), FAB_MMU_DROP_EGRESS);
	CU_ASSERT_FALSE(ev.xoff);
	fab_mmu_queue_stats_get(mmu, 1, 0, &q);
	CU_ASSERT_EQUAL(q.bytes, 5000);
	CU_ASSERT_EQUAL(q.limit_bytes, 5000);
	CU_ASSERT_EQUAL(q.watermark_bytes, 5000);
	CU_ASSERT_EQUAL(q.drop_pkts, 1);
	CU_ASSERT_EQUAL(q.drop_bytes, 1000);
	/* The refused packet took nothing at ingress. */
	fab_mmu_pg_stats_get(mmu, 0, 0, &pg);
	CU_ASSERT_EQUAL(pg.shared_bytes, 5000);
	CU_ASSERT_EQUAL(pg.drop_pkts[FAB_MMU_DROP_EGRESS], 1);
	/* Another queue of the same port is not affected. */
	CU_ASSERT_EQUAL(fab_mmu_admit(mmu, 0, 0, 1, 1, PKT, NULL), FAB_MMU_ADMIT);
	/* Dequeue makes room again. */
	fab_mmu_release(mmu, 0, 0, 1, 0, PKT, NULL);
	CU_ASSERT_EQUAL(fab_mmu_admit(mmu, 0, 0, 1, 0, PKT, NULL), FAB_MMU_ADMIT);
	fab_mmu_free(mmu);

	/*
	 * Egress dynamic_th 0 with ingress unlimited: the queue stops at half
	 * the pool, as a single group does, but with an egress verdict.
	 */
	memset(&c, 0, sizeof(c));
	c.nb_ports = 2;
	c.pool_bytes = 1000000;
	c.port_default.pg[0].th_mode = FAB_MMU_TH_UNLIMITED;
	mmu = fab_mmu_create(&c);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mmu);
	CU_ASSERT_EQUAL(fill(mmu, 0, 0, 1, 0, &stop), 500);
	CU_ASSERT_EQUAL(stop, FAB_MMU_DROP_EGRESS);
	fab_mmu_queue_stats_get(mmu, 1, 0, &q);
	CU_ASSERT_EQUAL(q.bytes, 500000);
	CU_ASSERT_EQUAL(q.limit_bytes, 500000);
	fab_mmu_pg_stats_get(mmu, 0, 0, &pg);
	/* Unlimited ingress is still bounded by the pool: used + free. */
	CU_ASSERT_EQUAL(pg.shared_limit_bytes, 1000000);
	fab_mmu_free(mmu);
}

static void
test_mmu_prio_map(void)
{
	struct fab_mmu_conf c;
	struct fab_mmu_event ev;
	struct fab_mmu *mmu;
	unsigned int i;

	memset(&c, 0, sizeof(c));
	c.nb_ports = 2;
	c.pool_bytes = 10000;
	c.port_default.use_prio_map = true;
	c.port_default.prio_to_pg[3] = 3;
	c.port_default.prio_to_pg[4] = 3;
	c.port_default.pg[3].lossless = true;
	c.port_default.pg[3].xoff_bytes = 5000;
	c.port_default.queue[3].th_mode = FAB_MMU_TH_UNLIMITED;
	mmu = fab_mmu_create(&c);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mmu);
	CU_ASSERT_EQUAL(fab_mmu_pg_of(mmu, 1, 4), 3);
	CU_ASSERT_EQUAL(fab_mmu_pg_of(mmu, 1, 3), 3);
	CU_ASSERT_EQUAL(fab_mmu_pg_of(mmu, 1, 7), 0);
	CU_ASSERT_EQUAL(fab_mmu_pg_of(mmu, 2, 4), 0);
	CU_ASSERT_EQUAL(fab_mmu_pg_of(mmu, 1, 8), 0);
	/* Shared holds 5 packets (pool / 2); the sixth raises XOFF for priorities 3 and 4. */
	for (i = 0; i < 5; i++)
		CU_ASSERT_EQUAL(fab_mmu_admit(mmu, 1, 3, 0, 3, PKT, &ev), FAB_MMU_ADMIT);
	CU_ASSERT_FALSE(ev.xoff);
	CU_ASSERT_EQUAL(fab_mmu_admit(mmu, 1, 3, 0, 3, PKT, &ev), FAB_MMU_ADMIT);
	CU_ASSERT_TRUE(ev.xoff);
	CU_ASSERT_EQUAL(ev.port, 1);
	CU_ASSERT_EQUAL(ev.prio_mask, 0x18);
	fab_mmu_free(mmu);

	/* Without a map, priority n is group n. */
	memset(&c, 0, sizeof(c));
	c.nb_ports = 1;
	c.pool_bytes = 10000;
	mmu = fab_mmu_create(&c);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mmu);
	for (i = 0; i < FAB_NUM_PRIO; i++)
		CU_ASSERT_EQUAL(fab_mmu_pg_of(mmu, 0, (uint8_t)i), i);
	fab_mmu_free(mmu);
}

static void
test_mmu_check_xon_and_invalid(void)
{
	struct fab_mmu_conf c;
	struct fab_mmu_event ev;
	struct fab_mmu_pg_stats pg;
	struct fab_mmu_queue_stats q;
	struct fab_mmu_stats st;
	struct fab_mmu *mmu;

	/*
	 * A lossless group with a static limit of 0 and no headroom: its first
	 * packet raises XOFF and is dropped, leaving a paused, empty group that
	 * only fab_mmu_check_xon() can resume.
	 */
	memset(&c, 0, sizeof(c));
	c.nb_ports = 1;
	c.pool_bytes = 10000;
	c.port_default.pg[5].lossless = true;
	c.port_default.pg[5].th_mode = FAB_MMU_TH_STATIC;
	c.port_default.pg[5].static_th_bytes = 0;
	mmu = fab_mmu_create(&c);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mmu);
	CU_ASSERT_EQUAL(fab_mmu_admit(mmu, 0, 5, 0, 5, 100, &ev), FAB_MMU_DROP_HEADROOM);
	CU_ASSERT_TRUE(ev.xoff);
	fab_mmu_pg_stats_get(mmu, 0, 5, &pg);
	CU_ASSERT_TRUE(pg.paused);
	CU_ASSERT_EQUAL(fab_mmu_check_xon(mmu, 0, 5, &ev), 1);
	CU_ASSERT_TRUE(ev.xon);
	CU_ASSERT_EQUAL(ev.pg, 5);
	CU_ASSERT_EQUAL(ev.prio_mask, 0x20);
	CU_ASSERT_EQUAL(fab_mmu_check_xon(mmu, 0, 5, &ev), 0);
	CU_ASSERT_FALSE(ev.xon);
	CU_ASSERT_EQUAL(fab_mmu_check_xon(mmu, 1, 5, &ev), -EINVAL);
	CU_ASSERT_EQUAL(fab_mmu_check_xon(mmu, 0, 8, NULL), -EINVAL);

	/* Out-of-range arguments are refused and counted, never indexed. */
	CU_ASSERT_EQUAL(fab_mmu_admit(mmu, 1, 0, 0, 0, 100, NULL), FAB_MMU_DROP_INVALID);
	CU_ASSERT_EQUAL(fab_mmu_admit(mmu, 0, 0, 1, 0, 100, NULL), FAB_MMU_DROP_INVALID);
	CU_ASSERT_EQUAL(fab_mmu_admit(mmu, 0, 8, 0, 0, 100, NULL), FAB_MMU_DROP_INVALID);
	CU_ASSERT_EQUAL(fab_mmu_admit(mmu, 0, 0, 0, 8, 100, NULL), FAB_MMU_DROP_INVALID);
	fab_mmu_release(mmu, 0, 0, 0, 9, 100, NULL);
	fab_mmu_stats_get(mmu, &st);
	CU_ASSERT_EQUAL(st.drop_pkts[FAB_MMU_DROP_INVALID], 4);
	CU_ASSERT_EQUAL(st.drop_bytes[FAB_MMU_DROP_INVALID], 400);
	CU_ASSERT_EQUAL(st.release_errors, 1);
	CU_ASSERT_EQUAL(fab_mmu_pg_stats_get(mmu, 1, 0, &pg), -EINVAL);
	CU_ASSERT_EQUAL(fab_mmu_pg_stats_get(mmu, 0, 8, &pg), -EINVAL);
	CU_ASSERT_EQUAL(fab_mmu_queue_stats_get(mmu, 0, 8, &q), -EINVAL);
	CU_ASSERT_EQUAL(fab_mmu_queue_stats_get(mmu, 0, 0, NULL), -EINVAL);

	CU_ASSERT_STRING_EQUAL(fab_mmu_verdict_name(FAB_MMU_ADMIT), "admit");
	CU_ASSERT_STRING_EQUAL(fab_mmu_verdict_name(FAB_MMU_DROP_HEADROOM), "drop_headroom");
	CU_ASSERT_STRING_EQUAL(fab_mmu_verdict_name(FAB_MMU_VERDICT_MAX), "unknown");
	fab_mmu_free(mmu);
}

static void
test_mmu_watermarks_reset(void)
{
	struct fab_mmu_conf c;
	struct fab_mmu_pg_stats pg;
	struct fab_mmu_queue_stats q;
	struct fab_mmu_stats st;
	struct fab_mmu *mmu;
	int i;

	memset(&c, 0, sizeof(c));
	c.nb_ports = 1;
	c.pool_bytes = 100000;
	mmu = fab_mmu_create(&c);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mmu);
	for (i = 0; i < 10; i++)
		fab_mmu_admit(mmu, 0, 0, 0, 0, PKT, NULL);
	for (i = 0; i < 7; i++)
		fab_mmu_release(mmu, 0, 0, 0, 0, PKT, NULL);
	fab_mmu_pg_stats_get(mmu, 0, 0, &pg);
	fab_mmu_queue_stats_get(mmu, 0, 0, &q);
	CU_ASSERT_EQUAL(pg.watermark_bytes, 10000);
	CU_ASSERT_EQUAL(q.watermark_bytes, 10000);
	fab_mmu_watermarks_reset(mmu);
	fab_mmu_pg_stats_get(mmu, 0, 0, &pg);
	fab_mmu_queue_stats_get(mmu, 0, 0, &q);
	fab_mmu_stats_get(mmu, &st);
	CU_ASSERT_EQUAL(pg.watermark_bytes, 3000);
	CU_ASSERT_EQUAL(q.watermark_bytes, 3000);
	CU_ASSERT_EQUAL(st.pool_watermark_bytes, 3000);
	fab_mmu_free(mmu);
}

/* ------------------------------------------------ runs against packets */

#define RUN_PORTS 3
#define RUN_FIFO 4096

struct run_pkt {
	uint16_t in, out;
	uint8_t pg, cls;
	uint32_t len;
};

/* Whether every group's and queue's counters, and the totals, of two MMUs agree. */
static bool
same_mmu(const struct fab_mmu *a, const struct fab_mmu *b)
{
	struct fab_mmu_stats sa, sb;
	uint16_t p;
	uint8_t i;

	fab_mmu_stats_get(a, &sa);
	fab_mmu_stats_get(b, &sb);
	if (memcmp(&sa, &sb, sizeof(sa)) != 0)
		return false;
	for (p = 0; p < RUN_PORTS; p++) {
		for (i = 0; i < FAB_NUM_PRIO; i++) {
			struct fab_mmu_pg_stats ga, gb;
			struct fab_mmu_queue_stats qa, qb;

			memset(&ga, 0, sizeof(ga));
			memset(&gb, 0, sizeof(gb));
			memset(&qa, 0, sizeof(qa));
			memset(&qb, 0, sizeof(qb));
			fab_mmu_pg_stats_get(a, p, i, &ga);
			fab_mmu_pg_stats_get(b, p, i, &gb);
			fab_mmu_queue_stats_get(a, p, i, &qa);
			fab_mmu_queue_stats_get(b, p, i, &qb);
			if (memcmp(&ga, &gb, sizeof(ga)) != 0 || memcmp(&qa, &qb, sizeof(qa)) != 0)
				return false;
		}
	}
	return true;
}

/*
 * fab_mmu_admit_run() and fab_mmu_release_run() against one call per
 * packet, on random traffic into a small pool where every limit is met
 * (lossless with reserved space and headroom, lossy static, dynamic egress
 * limits): whenever a run is taken whole, both MMUs end in the same state
 * and report the same XON; when it is refused, nothing has changed.
 */
static void
test_mmu_runs_equal_packets(void)
{
	static struct run_pkt fifo[RUN_FIFO];
	uint32_t head = 0, tail = 0, iter, whole_admits = 0, refused_admits = 0;
	uint32_t whole_releases = 0, xons = 0;
	struct fab_mmu *a, *b;
	struct fab_mmu_conf c;

	conf_lossless(&c, 60000, 0, 4000);
	c.nb_ports = RUN_PORTS;
	c.port_default.pg[3].reserved_bytes = 3000;
	c.port_default.pg[0].th_mode = FAB_MMU_TH_STATIC;
	c.port_default.pg[0].static_th_bytes = 15000;
	c.port_default.pg[1].dynamic_th = -1;
	c.port_default.queue[3].th_mode = FAB_MMU_TH_DYNAMIC;
	c.port_default.queue[3].dynamic_th = 1;
	c.port_default.queue[0].dynamic_th = -2;
	a = fab_mmu_create(&c);
	b = fab_mmu_create(&c);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	srand(99);
	for (iter = 0; iter < 20000; iter++) {
		if (rand() % 2 == 0) {
			static const uint8_t grp[] = { 0, 1, 3 };
			struct run_pkt r = { .in = (uint16_t)(rand() % RUN_PORTS),
				.out = (uint16_t)(rand() % RUN_PORTS) };
			uint32_t n = 1 + (uint32_t)(rand() % 32), k, len[32];
			uint64_t bytes = 0;
			bool xoff_b = false;

			r.pg = grp[rand() % 3];
			r.cls = r.pg;
			for (k = 0; k < n; k++) {
				len[k] = 64 + (uint32_t)(rand() % 4000);
				bytes += len[k];
			}
			if (fab_mmu_admit_run(a, r.in, r.pg, r.out, r.cls, n, bytes) == 0) {
				whole_admits++;
				for (k = 0; k < n; k++) {
					struct fab_mmu_event ev;

					CU_ASSERT_EQUAL(fab_mmu_admit(b, r.in, r.pg, r.out, r.cls,
						len[k], &ev), FAB_MMU_ADMIT);
					xoff_b |= ev.xoff;
					r.len = len[k];
					if (tail - head < RUN_FIFO)
						fifo[tail++ % RUN_FIFO] = r;
				}
				CU_ASSERT_FALSE(xoff_b);
			} else {
				refused_admits++;
				CU_ASSERT_TRUE_FATAL(same_mmu(a, b));
				for (k = 0; k < n; k++) {
					struct fab_mmu_event ea, eb;
					enum fab_mmu_verdict va, vb;

					va = fab_mmu_admit(a, r.in, r.pg, r.out, r.cls, len[k], &ea);
					vb = fab_mmu_admit(b, r.in, r.pg, r.out, r.cls, len[k], &eb);
					CU_ASSERT_EQUAL(va, vb);
					CU_ASSERT_EQUAL(ea.xoff, eb.xoff);
					r.len = len[k];
					if (va == FAB_MMU_ADMIT && tail - head < RUN_FIFO)
						fifo[tail++ % RUN_FIFO] = r;
					else if (va == FAB_MMU_ADMIT) {
						fab_mmu_release(a, r.in, r.pg, r.out, r.cls, r.len, NULL);
						fab_mmu_release(b, r.in, r.pg, r.out, r.cls, r.len, NULL);
					}
				}
			}
		} else {
			/* Release the oldest packets in runs of one (in, group, out, class). */
			uint32_t n = (uint32_t)(rand() % 40);

			while (n > 0 && head != tail) {
				struct run_pkt r = fifo[head % RUN_FIFO];
				struct fab_mmu_event ea, eb;
				uint64_t bytes = 0;
				bool xon_b = false;
				uint32_t k = head;

				while (k != tail && n > 0 && fifo[k % RUN_FIFO].in == r.in &&
						fifo[k % RUN_FIFO].pg == r.pg &&
						fifo[k % RUN_FIFO].out == r.out &&
						fifo[k % RUN_FIFO].cls == r.cls) {
					bytes += fifo[k % RUN_FIFO].len;
					k++;
					n--;
				}
				CU_ASSERT_EQUAL_FATAL(fab_mmu_release_run(a, r.in, r.pg, r.out, r.cls,
					bytes, &ea), 0);
				whole_releases++;
				for (; head != k; head++) {
					fab_mmu_release(b, r.in, r.pg, r.out, r.cls,
						fifo[head % RUN_FIFO].len, &eb);
					xon_b |= eb.xon;
				}
				CU_ASSERT_EQUAL(ea.xon, xon_b);
				xons += ea.xon;
			}
		}
		/* Stop at the first difference: one is enough, and it is the telling one. */
		CU_ASSERT_TRUE_FATAL(same_mmu(a, b));
	}
	/* The random traffic took both ways, and resumed paused groups. */
	CU_ASSERT_TRUE(whole_admits > 1000);
	CU_ASSERT_TRUE(refused_admits > 1000);
	CU_ASSERT_TRUE(whole_releases > 1000);
	CU_ASSERT_TRUE(xons > 10);
	/* A release of more than was admitted is refused, untouched, for the caller to count. */
	CU_ASSERT_EQUAL(fab_mmu_release_run(a, 0, 0, 0, 0, 1ull << 40, NULL), -EAGAIN);
	CU_ASSERT_EQUAL(fab_mmu_admit_run(a, RUN_PORTS, 0, 0, 0, 1, 64), -EAGAIN);
	CU_ASSERT_TRUE(same_mmu(a, b));
	fab_mmu_free(a);
	fab_mmu_free(b);
}

static void
test_mmu_headroom_helper(void)
{
	/*
	 * 100G, 100 m, MTU 9100, peer 1000 ns:
	 *   frames 2 * (9100 + 24) + (60 + 24)           = 18,332
	 *   delay  2 * 100 m * 5 ns + 1000 ns = 2000 ns  -> 2000e-9 * 100e9 / 8 = 25,000
	 */
	CU_ASSERT_EQUAL(fab_mmu_headroom_bytes(100000000000ULL, 100, 9100, 1000), 43332);
	/*
	 * 25G, 5 m, MTU 4200, peer 500 ns:
	 *   frames 2 * (4200 + 24) + 84 = 8532
	 *   delay  50 ns + 500 ns = 550 ns -> 550e-9 * 25e9 / 8 = 1718.75, rounded up 1719
	 */
	CU_ASSERT_EQUAL(fab_mmu_headroom_bytes(25000000000ULL, 5, 4200, 500), 10251);
	/* No cable and an instant peer leave the frames: 2 * 1524 + 84. */
	CU_ASSERT_EQUAL(fab_mmu_headroom_bytes(100000000000ULL, 0, 1500, 0), 3132);
	/* 1 m at 100G: 10 ns -> 125 bytes more. */
	CU_ASSERT_EQUAL(fab_mmu_headroom_bytes(100000000000ULL, 1, 1500, 0), 3257);
	/* Absurd inputs saturate instead of wrapping. */
	CU_ASSERT_EQUAL(fab_mmu_headroom_bytes(800000000000ULL, UINT32_MAX, 9216, UINT32_MAX),
			UINT32_MAX);
}

int
fab_suite_mmu(void)
{
	CU_pSuite s = fab_test_add_suite("mmu");

	if (s == NULL)
		return -1;
	FAB_ADD_TEST(s, test_mmu_create_invalid);
	FAB_ADD_TEST(s, test_mmu_total_bytes);
	FAB_ADD_TEST(s, test_mmu_dynamic_single_group);
	FAB_ADD_TEST(s, test_mmu_dynamic_two_groups);
	FAB_ADD_TEST(s, test_mmu_reserved_first);
	FAB_ADD_TEST(s, test_mmu_xoff_then_headroom_overrun);
	FAB_ADD_TEST(s, test_mmu_xon_threshold);
	FAB_ADD_TEST(s, test_mmu_release_returns_to_zero);
	FAB_ADD_TEST(s, test_mmu_lossy_static_drops);
	FAB_ADD_TEST(s, test_mmu_egress_limits);
	FAB_ADD_TEST(s, test_mmu_prio_map);
	FAB_ADD_TEST(s, test_mmu_check_xon_and_invalid);
	FAB_ADD_TEST(s, test_mmu_watermarks_reset);
	FAB_ADD_TEST(s, test_mmu_headroom_helper);
	FAB_ADD_TEST(s, test_mmu_runs_equal_packets);
	return 0;
}
