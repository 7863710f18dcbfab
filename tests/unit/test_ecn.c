/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * lib/ecn: the RED ramp (reference and fixed point), the step, and the
 * PRNG. Every expected value is worked out by hand or from an independent
 * implementation (the Python model in docs/modules/ecn.md, the reference
 * test vector of xoshiro128**); statistical checks use a fixed seed, so they
 * are deterministic, with bounds of five standard deviations.
 */

#include <errno.h>
#include <math.h>
#include <string.h>

#include <fab_ecn.h>

#include "fab_test.h"

/* HPCC simulator's 25G defaults: Kmin 100 KB, Kmax 400 KB, Pmax 0.2. */
#define KMIN 100000u
#define KMAX 400000u

static void
test_red_prob_reference(void)
{
	CU_ASSERT_EQUAL(fab_ecn_red_prob(0, KMIN, KMAX, 0.2), 0.0);
	CU_ASSERT_EQUAL(fab_ecn_red_prob(KMIN, KMIN, KMAX, 0.2), 0.0);
	CU_ASSERT_DOUBLE_EQUAL(fab_ecn_red_prob(KMIN + 1, KMIN, KMAX, 0.2),
		0.2 / 300000.0, 1e-15);
	CU_ASSERT_DOUBLE_EQUAL(fab_ecn_red_prob(175000, KMIN, KMAX, 0.2), 0.05, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(fab_ecn_red_prob(250000, KMIN, KMAX, 0.2), 0.1, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(fab_ecn_red_prob(325000, KMIN, KMAX, 0.2), 0.15, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(fab_ecn_red_prob(KMAX, KMIN, KMAX, 0.2), 0.2, 1e-12);
	CU_ASSERT_EQUAL(fab_ecn_red_prob(KMAX + 1, KMIN, KMAX, 0.2), 1.0);
	CU_ASSERT_EQUAL(fab_ecn_red_prob(UINT32_MAX, KMIN, KMAX, 0.2), 1.0);
	/* kmin == kmax: a step at kmin, no division by zero. */
	CU_ASSERT_EQUAL(fab_ecn_red_prob(5000, 5000, 5000, 0.3), 0.0);
	CU_ASSERT_EQUAL(fab_ecn_red_prob(5001, 5000, 5000, 0.3), 1.0);
}

static void
test_red_config_init(void)
{
	struct fab_ecn_red_config cfg;
	struct fab_ecn_red_params p = { .kmin_bytes = KMIN, .kmax_bytes = KMAX, .pmax = 0.2 };

	CU_ASSERT_EQUAL(fab_ecn_red_config_init(&cfg, &p), 0);
	CU_ASSERT_EQUAL(cfg.kmin_bytes, KMIN);
	CU_ASSERT_EQUAL(cfg.kmax_bytes, KMAX);
	CU_ASSERT_EQUAL(cfg.range_bytes, 300000u);
	/* 0.2 * 2^32 = 858993459.2 */
	CU_ASSERT_EQUAL(cfg.pmax_fixed, UINT64_C(858993459));

	/* 0.3 * 2^32 = 1288490188.8 rounds to nearest, not down. */
	p.pmax = 0.3;
	CU_ASSERT_EQUAL(fab_ecn_red_config_init(&cfg, &p), 0);
	CU_ASSERT_EQUAL(cfg.pmax_fixed, UINT64_C(1288490189));
	p.pmax = 1.0;
	CU_ASSERT_EQUAL(fab_ecn_red_config_init(&cfg, &p), 0);
	CU_ASSERT_EQUAL(cfg.pmax_fixed, FAB_ECN_PROB_ONE);
	p.pmax = 0.0;
	CU_ASSERT_EQUAL(fab_ecn_red_config_init(&cfg, &p), 0);
	CU_ASSERT_EQUAL(cfg.pmax_fixed, 0);
	p.kmin_bytes = p.kmax_bytes = 7000;
	CU_ASSERT_EQUAL(fab_ecn_red_config_init(&cfg, &p), 0);
	CU_ASSERT_EQUAL(cfg.range_bytes, 0);
}

static void
test_red_config_invalid(void)
{
	struct fab_ecn_red_config cfg = { .kmin_bytes = 11 };
	struct fab_ecn_red_params p = { .kmin_bytes = 2000, .kmax_bytes = 1000, .pmax = 0.1 };

	CU_ASSERT_EQUAL(fab_ecn_red_config_init(&cfg, &p), -EINVAL);
	p.kmin_bytes = 500;
	p.pmax = -0.01;
	CU_ASSERT_EQUAL(fab_ecn_red_config_init(&cfg, &p), -EINVAL);
	p.pmax = 1.01;
	CU_ASSERT_EQUAL(fab_ecn_red_config_init(&cfg, &p), -EINVAL);
	p.pmax = NAN;
	CU_ASSERT_EQUAL(fab_ecn_red_config_init(&cfg, &p), -EINVAL);
	CU_ASSERT_EQUAL(fab_ecn_red_config_init(NULL, &p), -EINVAL);
	CU_ASSERT_EQUAL(fab_ecn_red_config_init(&cfg, NULL), -EINVAL);
	/* A refused configuration leaves the old one alone. */
	CU_ASSERT_EQUAL(cfg.kmin_bytes, 11);
}

static void
half_ramp(struct fab_ecn_red_config *cfg)
{
	struct fab_ecn_red_params p = { .kmin_bytes = 1000, .kmax_bytes = 2000, .pmax = 0.5 };

	CU_ASSERT_FATAL(fab_ecn_red_config_init(cfg, &p) == 0);
}

static void
test_red_prob_fixed(void)
{
	struct fab_ecn_red_config cfg;

	half_ramp(&cfg);
	CU_ASSERT_EQUAL(fab_ecn_red_prob_fixed(&cfg, 0), 0);
	CU_ASSERT_EQUAL(fab_ecn_red_prob_fixed(&cfg, 1000), 0);
	/* ceil(2^31 * 1 / 1000) = ceil(2147483.648) */
	CU_ASSERT_EQUAL(fab_ecn_red_prob_fixed(&cfg, 1001), 2147484);
	CU_ASSERT_EQUAL(fab_ecn_red_prob_fixed(&cfg, 1500), UINT64_C(1) << 30);
	CU_ASSERT_EQUAL(fab_ecn_red_prob_fixed(&cfg, 2000), UINT64_C(1) << 31);
	CU_ASSERT_EQUAL(fab_ecn_red_prob_fixed(&cfg, 2001), FAB_ECN_PROB_ONE);
}

static void
test_red_decide_draws(void)
{
	struct fab_ecn_red_config cfg;
	struct fab_ecn_red_params one = { .kmin_bytes = 1000, .kmax_bytes = 2000, .pmax = 1.0 };
	struct fab_ecn_red_params zero = { .kmin_bytes = 1000, .kmax_bytes = 2000, .pmax = 0.0 };
	uint32_t q;

	half_ramp(&cfg);
	/* Outside the ramp the draw does not matter. */
	CU_ASSERT_FALSE(fab_ecn_red_decide(&cfg, 1000, 0));
	CU_ASSERT_FALSE(fab_ecn_red_decide(&cfg, 0, 0));
	CU_ASSERT_TRUE(fab_ecn_red_decide(&cfg, 2001, UINT32_MAX));
	/* Midpoint: p = 1/4, so draws below 2^30 mark. */
	CU_ASSERT_TRUE(fab_ecn_red_decide(&cfg, 1500, (1u << 30) - 1));
	CU_ASSERT_FALSE(fab_ecn_red_decide(&cfg, 1500, 1u << 30));
	/* At Kmax: p = Pmax = 1/2. */
	CU_ASSERT_TRUE(fab_ecn_red_decide(&cfg, 2000, (1u << 31) - 1));
	CU_ASSERT_FALSE(fab_ecn_red_decide(&cfg, 2000, 1u << 31));
	/* Just above Kmin: 2147483 * 1000 < 2^31 <= 2147484 * 1000. */
	CU_ASSERT_TRUE(fab_ecn_red_decide(&cfg, 1001, 2147483));
	CU_ASSERT_FALSE(fab_ecn_red_decide(&cfg, 1001, 2147484));
	/* The decision agrees with the exact probability at every depth. */
	for (q = 990; q <= 2010; q++) {
		uint64_t t = fab_ecn_red_prob_fixed(&cfg, q);

		if (t > 0)
			CU_ASSERT_TRUE(fab_ecn_red_decide(&cfg, q, (uint32_t)(t - 1)));
		if (t <= UINT32_MAX)
			CU_ASSERT_FALSE(fab_ecn_red_decide(&cfg, q, (uint32_t)t));
	}

	CU_ASSERT_FATAL(fab_ecn_red_config_init(&cfg, &one) == 0);
	CU_ASSERT_TRUE(fab_ecn_red_decide(&cfg, 2000, UINT32_MAX));
	CU_ASSERT_FALSE(fab_ecn_red_decide(&cfg, 1500, 1u << 31));
	CU_ASSERT_TRUE(fab_ecn_red_decide(&cfg, 1500, (1u << 31) - 1));
	CU_ASSERT_FATAL(fab_ecn_red_config_init(&cfg, &zero) == 0);
	CU_ASSERT_FALSE(fab_ecn_red_decide(&cfg, 2000, 0));
	CU_ASSERT_TRUE(fab_ecn_red_decide(&cfg, 2001, 0));
}

static void
test_red_mark_draws_only_in_ramp(void)
{
	struct fab_ecn_red_config cfg;
	struct fab_rng rng, before;
	unsigned int marked = 0;

	half_ramp(&cfg);
	fab_rng_seed(&rng, 5);
	before = rng;
	CU_ASSERT_FALSE(fab_ecn_red_mark(&cfg, 1000, &rng));
	CU_ASSERT_TRUE(fab_ecn_red_mark(&cfg, 2001, &rng));
	CU_ASSERT_EQUAL(memcmp(&rng, &before, sizeof(rng)), 0);
	/* Inside it, one draw: the generator's next output decides. */
	for (int i = 0; i < 100; i++) {
		bool expect = fab_ecn_red_decide(&cfg, 1500, fab_rng_next(&before));

		CU_ASSERT_EQUAL(fab_ecn_red_mark(&cfg, 1500, &rng), expect);
		CU_ASSERT_EQUAL(memcmp(&rng, &before, sizeof(rng)), 0);
		marked += expect;
	}
	/* p = 1/4: both outcomes occur in 100 draws. */
	CU_ASSERT(marked > 0 && marked < 100);
}

static void
test_step(void)
{
	CU_ASSERT_FALSE(fab_ecn_step_decide(0, 5000));
	CU_ASSERT_FALSE(fab_ecn_step_decide(4999, 5000));
	CU_ASSERT_FALSE(fab_ecn_step_decide(5000, 5000));
	CU_ASSERT_TRUE(fab_ecn_step_decide(5001, 5000));
	CU_ASSERT_TRUE(fab_ecn_step_decide(UINT32_MAX, 5000));
	CU_ASSERT_FALSE(fab_ecn_step_decide(0, 0));
	CU_ASSERT_TRUE(fab_ecn_step_decide(1, 0));
	CU_ASSERT_FALSE(fab_ecn_step_decide(UINT32_MAX, UINT32_MAX));
}

static void
test_rng_reference_vector(void)
{
	/* xoshiro128** from state {1, 2, 3, 4}: the authors' reference output. */
	static const uint32_t expect[] = {
		11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034,
		3734860849u, 3729100597u, 4258142804u,
	};
	struct fab_rng rng = { .s = { 1, 2, 3, 4 } };
	unsigned int i;

	for (i = 0; i < RTE_DIM(expect); i++)
		CU_ASSERT_EQUAL(fab_rng_next(&rng), expect[i]);
}

static void
test_rng_seeding(void)
{
	struct fab_rng rng;
	uint64_t sm = 0;

	/* splitmix64's first output from 0 (the published value). */
	CU_ASSERT_EQUAL(fab_rng_splitmix64(&sm), UINT64_C(0xe220a8397b1dcdaf));
	CU_ASSERT_EQUAL(sm, UINT64_C(0x9e3779b97f4a7c15));

	fab_rng_seed(&rng, 0);
	CU_ASSERT_EQUAL(rng.s[0], 0x7b1dcdafu);
	CU_ASSERT_EQUAL(rng.s[1], 0xe220a839u);
	CU_ASSERT_EQUAL(fab_rng_next(&rng), 0xdec9045du);
	CU_ASSERT_EQUAL(fab_rng_next(&rng), 0x9a089d75u);
	CU_ASSERT_EQUAL(fab_rng_next(&rng), 0xab77d362u);
	CU_ASSERT_EQUAL(fab_rng_next(&rng), 0xc3e16405u);

	fab_rng_seed(&rng, 42);
	CU_ASSERT_EQUAL(fab_rng_next(&rng), 0x69e85a2au);
	CU_ASSERT_EQUAL(fab_rng_next(&rng), 0xf843fad0u);

	fab_rng_seed_stream(&rng, 42, 7);
	CU_ASSERT_EQUAL(fab_rng_next(&rng), 0x134a4134u);
	CU_ASSERT_EQUAL(fab_rng_next(&rng), 0x9aab6b7bu);
}

static void
test_rng_determinism(void)
{
	struct fab_rng a, b, c, s1, s2;
	unsigned int i, same = 0, same_stream = 0;

	fab_rng_seed(&a, 123456789);
	fab_rng_seed(&b, 123456789);
	fab_rng_seed(&c, 123456790);
	fab_rng_seed_stream(&s1, 9, 1);
	fab_rng_seed_stream(&s2, 9, 2);
	for (i = 0; i < 10000; i++) {
		uint32_t x = fab_rng_next(&a);

		CU_ASSERT_EQUAL_FATAL(x, fab_rng_next(&b));
		same += x == fab_rng_next(&c);
		same_stream += fab_rng_next(&s1) == fab_rng_next(&s2);
	}
	/* Neighbouring seeds and streams give unrelated sequences. */
	CU_ASSERT_EQUAL(same, 0);
	CU_ASSERT_EQUAL(same_stream, 0);
}

static void
test_rng_below(void)
{
	static const uint32_t expect_big[] = {
		2803286853u, 1938191895u, 2157567625u, 2464746243u, 1164983971u,
		1218902080u, 1988353091u, 1877862858u,
	};
	struct fab_rng rng;
	uint32_t count[3] = { 0 };
	unsigned int i;

	/* (0xdec9045d * 10) >> 32 = 8 */
	fab_rng_seed(&rng, 0);
	CU_ASSERT_EQUAL(fab_rng_below(&rng, 10), 8);
	for (i = 0; i < 1000; i++) {
		CU_ASSERT_EQUAL_FATAL(fab_rng_below(&rng, 1), 0);
		CU_ASSERT_FATAL(fab_rng_below(&rng, 7) < 7);
		CU_ASSERT_FATAL(fab_rng_below(&rng, 1000) < 1000);
	}
	/*
	 * n = 3 * 2^30 rejects a quarter of the draws (those whose low word
	 * is below 2^32 mod n = 2^30); the seventh value here comes after a
	 * rejected draw (the Python model in docs/modules/ecn.md).
	 */
	fab_rng_seed(&rng, 0);
	for (i = 0; i < RTE_DIM(expect_big); i++)
		CU_ASSERT_EQUAL(fab_rng_below(&rng, 3u << 30), expect_big[i]);

	fab_rng_seed(&rng, 77);
	for (i = 0; i < 60000; i++)
		count[fab_rng_below(&rng, 3)]++;
	/* Mean 20000, standard deviation 115.5: five of them is 577. */
	for (i = 0; i < 3; i++) {
		CU_ASSERT(count[i] > 20000 - 577);
		CU_ASSERT(count[i] < 20000 + 577);
	}
}

/* Marked fraction at one depth over @p n draws of a seeded generator. */
static uint32_t
marks_at(const struct fab_ecn_red_config *cfg, uint32_t q, uint32_t n, uint64_t seed)
{
	struct fab_rng rng;
	uint32_t i, marked = 0;

	fab_rng_seed(&rng, seed);
	for (i = 0; i < n; i++)
		marked += fab_ecn_red_mark(cfg, q, &rng);
	return marked;
}

static void
test_red_marked_fraction(void)
{
	struct fab_ecn_red_params p = { .kmin_bytes = KMIN, .kmax_bytes = KMAX, .pmax = 0.2 };
	static const uint32_t depth[] = { 130000, 175000, 250000, 325000, 400000 };
	const uint32_t n = 100000;
	struct fab_ecn_red_config cfg;
	unsigned int i;

	CU_ASSERT_FATAL(fab_ecn_red_config_init(&cfg, &p) == 0);
	for (i = 0; i < RTE_DIM(depth); i++) {
		double prob = fab_ecn_red_prob(depth[i], KMIN, KMAX, 0.2);
		double mean = prob * n;
		double bound = 5.0 * sqrt(n * prob * (1.0 - prob));
		uint32_t marked = marks_at(&cfg, depth[i], n, 1 + i);

		CU_ASSERT(fabs((double)marked - mean) < bound);
	}
	CU_ASSERT_EQUAL(marks_at(&cfg, KMIN, n, 1), 0);
	CU_ASSERT_EQUAL(marks_at(&cfg, KMAX + 1, n, 1), n);
	/* Same seed, same count: the run is reproducible. */
	CU_ASSERT_EQUAL(marks_at(&cfg, 250000, n, 99), marks_at(&cfg, 250000, n, 99));
}

int
fab_suite_ecn(void)
{
	CU_pSuite s = fab_test_add_suite("ecn");

	if (s == NULL)
		return -1;
	FAB_ADD_TEST(s, test_red_prob_reference);
	FAB_ADD_TEST(s, test_red_config_init);
	FAB_ADD_TEST(s, test_red_config_invalid);
	FAB_ADD_TEST(s, test_red_prob_fixed);
	FAB_ADD_TEST(s, test_red_decide_draws);
	FAB_ADD_TEST(s, test_red_mark_draws_only_in_ramp);
	FAB_ADD_TEST(s, test_step);
	FAB_ADD_TEST(s, test_rng_reference_vector);
	FAB_ADD_TEST(s, test_rng_seeding);
	FAB_ADD_TEST(s, test_rng_determinism);
	FAB_ADD_TEST(s, test_rng_below);
	FAB_ADD_TEST(s, test_red_marked_fraction);
	return 0;
}
