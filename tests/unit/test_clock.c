/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>

#include "fab_clock.h"
#include "fab_test.h"

/* A wall clock the test moves by hand. */
struct fake_wall {
	uint64_t ps;
	unsigned int reads;
};

static uint64_t
fake_wall_now(void *arg)
{
	struct fake_wall *w = arg;

	w->reads++;
	return w->ps;
}

/* floor(cycles * 10^12 / hz), computed the slow and obviously right way. */
static uint64_t
ref_cycles_to_ps(uint64_t cycles, uint64_t hz)
{
	return (uint64_t)((unsigned __int128)cycles * FAB_PS_PER_SEC / hz);
}

static void
test_create_invalid(void)
{
	struct fab_clock_conf conf;

	rte_errno = 0;
	CU_ASSERT_PTR_NULL(fab_clock_create(NULL));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);

	memset(&conf, 0, sizeof(conf));
	conf.mode = FAB_CLOCK_MODE_MAX;
	rte_errno = 0;
	CU_ASSERT_PTR_NULL(fab_clock_create(&conf));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);

	conf.mode = (enum fab_clock_mode)-1;
	rte_errno = 0;
	CU_ASSERT_PTR_NULL(fab_clock_create(&conf));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);

	fab_clock_free(NULL);
}

static void
test_virtual_set_advance(void)
{
	struct fab_clock_conf conf = { .mode = FAB_CLOCK_VIRTUAL, .start_ps = 1000 };
	struct fab_clock *c = fab_clock_create(&conf);

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(fab_clock_mode(c), FAB_CLOCK_VIRTUAL);
	CU_ASSERT_EQUAL(fab_clock_now(c), 1000);
	CU_ASSERT_EQUAL(fab_clock_set(c, 7040), 0);
	CU_ASSERT_EQUAL(fab_clock_now(c), 7040);
	/* Setting the same time again is allowed; going back is not. */
	CU_ASSERT_EQUAL(fab_clock_set(c, 7040), 0);
	CU_ASSERT_EQUAL(fab_clock_set(c, 7039), -EINVAL);
	CU_ASSERT_EQUAL(fab_clock_now(c), 7040);
	CU_ASSERT_EQUAL(fab_clock_advance(c, 960), 0);
	CU_ASSERT_EQUAL(fab_clock_now(c), 8000);
	CU_ASSERT_EQUAL(fab_clock_advance(c, 0), 0);
	CU_ASSERT_EQUAL(fab_clock_now(c), 8000);
	/* Wrapping would make time run backwards. */
	CU_ASSERT_EQUAL(fab_clock_advance(c, UINT64_MAX - 7999), -ERANGE);
	CU_ASSERT_EQUAL(fab_clock_now(c), 8000);
	CU_ASSERT_EQUAL(fab_clock_advance(c, UINT64_MAX - 8000), 0);
	CU_ASSERT_EQUAL(fab_clock_now(c), UINT64_MAX);
	/* Pacing belongs to PACED clocks only. */
	CU_ASSERT_EQUAL(fab_clock_pace(c, UINT64_MAX, NULL), -ENOTSUP);
	fab_clock_free(c);
}

static void
test_real_mode(void)
{
	struct fab_clock_conf conf = {
		.mode = FAB_CLOCK_REAL, .tsc_hz = 2994375000ull, .start_ps = 5000000000000ull,
	};
	struct fab_clock *c = fab_clock_create(&conf);
	uint64_t before, after, now, prev = 0;
	int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(fab_clock_set(c, 1), -ENOTSUP);
	CU_ASSERT_EQUAL(fab_clock_advance(c, 1), -ENOTSUP);
	for (i = 0; i < 100; i++) {
		/* now() must equal the conversion of a TSC read between the two. */
		before = rte_rdtsc() - c->tsc_base;
		now = fab_clock_now(c);
		after = rte_rdtsc() - c->tsc_base;
		CU_ASSERT(now >= conf.start_ps + ref_cycles_to_ps(before, conf.tsc_hz));
		CU_ASSERT(now <= conf.start_ps + ref_cycles_to_ps(after, conf.tsc_hz));
		CU_ASSERT(now >= prev);
		prev = now;
	}
	fab_clock_free(c);
}

static void
test_tsc_conversion_exact(void)
{
	/* 200 days at 4 GHz: close to the 2^64 ps (213.5 days) limit. */
	const uint64_t days200_4g = 200ull * 86400 * 4000000000ull;
	static const uint64_t hzs[] = {
		4000000000ull,  /* divides 10^12: one multiply */
		2400000000ull,  /* 1250 / 3 */
		2994375000ull,  /* a measured TSC: 1600000 / 4791 */
		2999999929ull,  /* prime: the 128-bit remainder path */
		1000000000000ull, /* 1 cycle = 1 ps */
	};
	struct fab_clock_tsc_conv conv;
	unsigned int i;

	CU_ASSERT_EQUAL(fab_clock_tsc_conv_init(&conv, 0), -EINVAL);

	CU_ASSERT_EQUAL(fab_clock_tsc_conv_init(&conv, 4000000000ull), 0);
	CU_ASSERT_EQUAL(conv.num, 250);
	CU_ASSERT_EQUAL(conv.den, 1);
	CU_ASSERT_EQUAL(fab_clock_cycles_to_ps(&conv, days200_4g), days200_4g * 250);
	CU_ASSERT_EQUAL(fab_clock_cycles_to_ps(&conv, days200_4g), 17280000000000000000ull);

	CU_ASSERT_EQUAL(fab_clock_tsc_conv_init(&conv, 2994375000ull), 0);
	CU_ASSERT_EQUAL(conv.num, 1600000);
	CU_ASSERT_EQUAL(conv.den, 4791);
	CU_ASSERT_FALSE(conv.wide);

	CU_ASSERT_EQUAL(fab_clock_tsc_conv_init(&conv, 2999999929ull), 0);
	CU_ASSERT_TRUE(conv.wide);

	for (i = 0; i < RTE_DIM(hzs); i++) {
		/* The largest cycle count whose result still fits 64 bits. */
		uint64_t top = (uint64_t)(((unsigned __int128)UINT64_MAX * hzs[i]) / FAB_PS_PER_SEC);
		static const uint64_t small[] = { 0, 1, 2, 4790, 4791, 4792, 18446744ull,
			18446745ull /* naive cycles * 10^12 overflows from here */ };
		unsigned int k;

		CU_ASSERT_EQUAL_FATAL(fab_clock_tsc_conv_init(&conv, hzs[i]), 0);
		for (k = 0; k < RTE_DIM(small); k++)
			CU_ASSERT_EQUAL(fab_clock_cycles_to_ps(&conv, small[k]),
				ref_cycles_to_ps(small[k], hzs[i]));
		for (k = 0; k < 64; k++) {
			uint64_t cyc = top - k * 7919;

			CU_ASSERT_EQUAL(fab_clock_cycles_to_ps(&conv, cyc),
				ref_cycles_to_ps(cyc, hzs[i]));
			cyc = top / (k + 2) + k;
			CU_ASSERT_EQUAL(fab_clock_cycles_to_ps(&conv, cyc),
				ref_cycles_to_ps(cyc, hzs[i]));
		}
	}
	/* One second of cycles is exactly 10^12 ps at any frequency. */
	CU_ASSERT_EQUAL(fab_clock_tsc_conv_init(&conv, 2999999929ull), 0);
	CU_ASSERT_EQUAL(fab_clock_cycles_to_ps(&conv, 2999999929ull), FAB_PS_PER_SEC);
	CU_ASSERT_EQUAL(fab_clock_cycles_to_ps(&conv, 2999999928ull), FAB_PS_PER_SEC - 334);
}

/* A 64-bit pseudo-random word (splitmix64), so that the test needs no libc PRNG state. */
static uint64_t
next_u64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/*
 * The conversion divides by multiplying with a reciprocal and correcting the
 * estimate: quotient and remainder must equal the division's for divisors
 * of every size (2 and up to 2^64 - 1) and dividends of every size, those
 * next to a multiple of the divisor included; and whole conversions must be
 * exact at random frequencies from 1 MHz to 1 THz and random cycle counts.
 */
static void
test_tsc_conversion_random(void)
{
	uint64_t st = 12345;
	int i;

	for (i = 0; i < 200000; i++) {
		struct fab_clock_tsc_conv conv;
		uint64_t d = next_u64(&st) >> (next_u64(&st) % 63), x, q, r;

		if (d < 2)
			d = 2;
		conv.den = d;
		conv.num = 1;
		conv.recip = (uint64_t)(((unsigned __int128)1 << 64) / d);
		x = next_u64(&st) >> (next_u64(&st) % 64);
		if (i % 4 == 1)
			x = (x / d) * d;              /* a multiple */
		else if (i % 4 == 2)
			x = (x / d) * d + d - 1;      /* just below the next one, when it fits */
		if (i % 4 == 2 && x < d - 1)
			x = d - 1;
		q = fab_clock_div_den(&conv, x, &r);
		CU_ASSERT_EQUAL_FATAL(q, x / d);
		CU_ASSERT_EQUAL_FATAL(r, x % d);
	}
	for (i = 0; i < 20000; i++) {
		struct fab_clock_tsc_conv conv;
		uint64_t hz = 1000000 + next_u64(&st) % (FAB_PS_PER_SEC - 1000000);
		uint64_t cyc = next_u64(&st) >> (next_u64(&st) % 64), top;

		if (i % 3 == 0)
			hz -= hz % 1000;                  /* whole kHz: the 64-bit remainder path */
		CU_ASSERT_EQUAL_FATAL(fab_clock_tsc_conv_init(&conv, hz), 0);
		top = (uint64_t)(((unsigned __int128)UINT64_MAX * hz) / FAB_PS_PER_SEC);
		if (cyc > top)
			cyc %= top + 1;
		CU_ASSERT_EQUAL_FATAL(fab_clock_cycles_to_ps(&conv, cyc), ref_cycles_to_ps(cyc, hz));
	}
}

static void
test_names_and_units(void)
{
	enum fab_clock_mode m = FAB_CLOCK_REAL;

	CU_ASSERT_STRING_EQUAL(fab_clock_mode_name(FAB_CLOCK_REAL), "real");
	CU_ASSERT_STRING_EQUAL(fab_clock_mode_name(FAB_CLOCK_VIRTUAL), "virtual");
	CU_ASSERT_STRING_EQUAL(fab_clock_mode_name(FAB_CLOCK_PACED), "paced");
	CU_ASSERT_STRING_EQUAL(fab_clock_mode_name(FAB_CLOCK_MODE_MAX), "unknown");
	CU_ASSERT_EQUAL(fab_clock_mode_from_name("paced", &m), 0);
	CU_ASSERT_EQUAL(m, FAB_CLOCK_PACED);
	CU_ASSERT_EQUAL(fab_clock_mode_from_name("virtual", &m), 0);
	CU_ASSERT_EQUAL(m, FAB_CLOCK_VIRTUAL);
	CU_ASSERT_EQUAL(fab_clock_mode_from_name("Real", &m), -EINVAL);
	CU_ASSERT_EQUAL(m, FAB_CLOCK_VIRTUAL);
	CU_ASSERT_EQUAL(fab_clock_mode_from_name(NULL, &m), -EINVAL);

	CU_ASSERT_EQUAL(fab_ps_to_ns(0), 0);
	CU_ASSERT_EQUAL(fab_ps_to_ns(999), 0);
	CU_ASSERT_EQUAL(fab_ps_to_ns(7040), 7);
	CU_ASSERT_EQUAL(fab_ps_to_ns(335544320), 335544);
	CU_ASSERT_EQUAL(fab_ns_to_ps(5), 5000);
	CU_ASSERT_EQUAL(fab_ns_to_ps(UINT64_MAX / 1000), UINT64_MAX / 1000 * 1000);
	CU_ASSERT_EQUAL(fab_ns_to_ps(UINT64_MAX / 1000 + 1), UINT64_MAX);
}

static void
test_paced(void)
{
	struct fake_wall wall = { .ps = 123456789 }; /* any origin */
	struct fab_clock_conf conf = {
		.mode = FAB_CLOCK_PACED, .start_ps = 1000000,
		.wall_now = fake_wall_now, .wall_arg = &wall, .slip_tolerance_ps = 100,
	};
	struct fab_clock_pace_stats st;
	struct fab_clock *c = fab_clock_create(&conf);
	uint64_t wait = 1;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(wall.reads, 1); /* the origin, read at creation */
	CU_ASSERT_EQUAL(fab_clock_now(c), 1000000);
	CU_ASSERT_EQUAL(fab_clock_lag_ps(c), 0);

	/* Ahead of the wall clock: wait exactly the difference, time stays. */
	CU_ASSERT_EQUAL(fab_clock_pace(c, 1000000 + 5000, &wait), -EAGAIN);
	CU_ASSERT_EQUAL(wait, 5000);
	CU_ASSERT_EQUAL(fab_clock_now(c), 1000000);
	wall.ps += 4999;
	CU_ASSERT_EQUAL(fab_clock_pace(c, 1000000 + 5000, &wait), -EAGAIN);
	CU_ASSERT_EQUAL(wait, 1);
	wall.ps += 1;
	CU_ASSERT_EQUAL(fab_clock_pace(c, 1000000 + 5000, &wait), 0);
	CU_ASSERT_EQUAL(wait, 0);
	CU_ASSERT_EQUAL(fab_clock_now(c), 1005000);
	CU_ASSERT_EQUAL(fab_clock_pace_stats(c, &st), 0);
	CU_ASSERT_EQUAL(st.paces, 1);
	CU_ASSERT_EQUAL(st.waits, 2);
	CU_ASSERT_EQUAL(st.slip_ps, 0);
	CU_ASSERT_EQUAL(st.late, 0);

	/* The simulation falls behind: it records the slip and does not jump. */
	wall.ps += 20000;
	CU_ASSERT_EQUAL(fab_clock_lag_ps(c), 20000);
	CU_ASSERT_EQUAL(fab_clock_pace(c, 1010000, &wait), 0);
	CU_ASSERT_EQUAL(fab_clock_now(c), 1010000);
	CU_ASSERT_EQUAL(fab_clock_pace_stats(c, &st), 0);
	CU_ASSERT_EQUAL(st.slip_ps, 15000);
	CU_ASSERT_EQUAL(st.max_slip_ps, 15000);
	CU_ASSERT_EQUAL(st.late, 1);
	/* A slip within tolerance is not late; max keeps the worst. */
	CU_ASSERT_EQUAL(fab_clock_pace(c, 1024950, NULL), 0);
	CU_ASSERT_EQUAL(fab_clock_pace_stats(c, &st), 0);
	CU_ASSERT_EQUAL(st.slip_ps, 50);
	CU_ASSERT_EQUAL(st.max_slip_ps, 15000);
	CU_ASSERT_EQUAL(st.late, 1);
	CU_ASSERT_EQUAL(st.paces, 3);
	CU_ASSERT_EQUAL(fab_clock_lag_ps(c), 50);

	/* Backwards is refused. */
	CU_ASSERT_EQUAL(fab_clock_pace(c, 1024949, &wait), -EINVAL);
	CU_ASSERT_EQUAL(fab_clock_now(c), 1024950);
	/* set/advance still work in PACED mode. */
	CU_ASSERT_EQUAL(fab_clock_advance(c, 50), 0);
	CU_ASSERT_EQUAL(fab_clock_now(c), 1025000);
	fab_clock_free(c);

	/* Pacing counters exist only for PACED clocks. */
	conf.mode = FAB_CLOCK_VIRTUAL;
	c = fab_clock_create(&conf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(fab_clock_pace_stats(c, &st), -ENOTSUP);
	CU_ASSERT_EQUAL(fab_clock_lag_ps(c), 0);
	fab_clock_free(c);
}

static void
test_paced_on_tsc(void)
{
	struct fab_clock_conf conf = {
		.mode = FAB_CLOCK_PACED, .tsc_hz = 1000000000000ull,
	};
	struct fab_clock *c = fab_clock_create(&conf);
	uint64_t wait = 0;
	int ret;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	/* A target far in the future must wait; the wait cannot exceed it. */
	ret = fab_clock_pace(c, UINT64_MAX / 2, &wait);
	CU_ASSERT_EQUAL(ret, -EAGAIN);
	CU_ASSERT(wait > 0 && wait <= UINT64_MAX / 2);
	/* Time 0 has always been reached. */
	CU_ASSERT_EQUAL(fab_clock_pace(c, 0, &wait), 0);
	CU_ASSERT_EQUAL(fab_clock_now(c), 0);
	fab_clock_free(c);
}

int
fab_suite_clock(void)
{
	CU_pSuite s = fab_test_add_suite("clock");

	if (s == NULL)
		return -1;
	FAB_ADD_TEST(s, test_create_invalid);
	FAB_ADD_TEST(s, test_virtual_set_advance);
	FAB_ADD_TEST(s, test_real_mode);
	FAB_ADD_TEST(s, test_tsc_conversion_exact);
	FAB_ADD_TEST(s, test_tsc_conversion_random);
	FAB_ADD_TEST(s, test_names_and_units);
	FAB_ADD_TEST(s, test_paced);
	FAB_ADD_TEST(s, test_paced_on_tsc);
	return 0;
}
