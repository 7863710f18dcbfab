/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * lib/cc with cc-dcqcn and cc-none: loading (built-in and shared object),
 * refusals (wrong kind, unknown plugin, bad arguments), the notification
 * point's CNP pacing, the reaction point's cut, alpha decay, fast recovery,
 * additive and hyper increase, the byte counter, the clamps, lazy timers
 * against per-tick stepping, and a random history against a reference
 * model written here event by event.
 */

#include <errno.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_errno.h>

#include <fab_cc.h>
#include <fab_plugin.h>

#include "fab_test.h"

#define ERRLEN 512
#define US 1000000ULL            /* ps */
#define G100 100000000000ULL     /* bps */
#define FLOW_WORDS 32            /* 256 bytes: room for any policy here */

/* ------------------------------------------------------------------ */
/* Fixtures                                                            */
/* ------------------------------------------------------------------ */

static char plugin_dir[PATH_MAX];
static char last_log[512];

static void
locate_plugin_dir(void)
{
	char exe[PATH_MAX], up[PATH_MAX + 16];
	ssize_t n;

	if (plugin_dir[0] != '\0')
		return;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	CU_ASSERT_FATAL(n > 0);
	exe[n] = '\0';
	snprintf(up, sizeof(up), "%s/../../plugins", dirname(exe));
	CU_ASSERT_FATAL(realpath(up, plugin_dir) != NULL);
}

static void __rte_format_printf(3, 4)
capture_log(uint32_t level, const char *plugin, const char *fmt, ...)
{
	char line[400];
	va_list ap;

	RTE_SET_USED(level);
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	snprintf(last_log, sizeof(last_log), "%s: %s", plugin, line);
}

/* The default host with its log captured into last_log. */
static const struct fab_plugin_host *
capture_host(void)
{
	static struct fab_plugin_host h;

	h = *fab_plugin_host_default();
	h.log = capture_log;
	return &h;
}

static struct fab_cc_conf
conf_of(uint64_t line, const char *args)
{
	struct fab_cc_conf c = {
		.line_rate_bps = line,
		.mtu = 1024,
		.seed = 1,
		.args = args,
		.host = capture_host(),
	};

	return c;
}

static struct fab_cc *
cc_new(const char *name, uint64_t line, const char *args)
{
	struct fab_cc_conf c = conf_of(line, args);
	char err[ERRLEN];
	struct fab_cc *cc = fab_cc_create(name, NULL, &c, err, sizeof(err));

	if (cc == NULL)
		fprintf(stderr, "cc_new(%s, %s): %s\n", name, args ? args : "", err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cc);
	CU_ASSERT_FATAL(fab_cc_flow_size(cc) <= FLOW_WORDS * sizeof(uint64_t));
	return cc;
}

static bool
contains(const char *haystack, const char *needle)
{
	return strstr(haystack, needle) != NULL;
}

static uint8_t
event(struct fab_cc *cc, void *flow, uint32_t kind, uint64_t now, uint32_t bytes)
{
	struct fab_cc_event ev = {
		.flow = flow,
		.now_ps = now,
		.kind = kind,
		.bytes = bytes,
	};
	uint8_t cnp = 0xaa;

	fab_cc_events(cc, &ev, 1, &cnp);
	return cnp;
}

static void
cnp_at(struct fab_cc *cc, void *flow, uint64_t now)
{
	CU_ASSERT_EQUAL(event(cc, flow, FAB_CC_EV_CNP, now, 0), 0);
}

/* ceil((rt + rc) / 2), the halving the plugin documents. */
static uint64_t
halve(uint64_t rt, uint64_t rc)
{
	return (rt + rc + 1) / 2;
}

static uint64_t
cut_of(uint64_t rc, double alpha)
{
	return (uint64_t)llround((double)rc * (1.0 - alpha / 2));
}

/* ------------------------------------------------------------------ */
/* Loading and refusals                                                */
/* ------------------------------------------------------------------ */

static void
check_first_cut(struct fab_cc *cc)
{
	uint64_t flow[FLOW_WORDS];

	fab_cc_flow_init(cc, flow, 0);
	CU_ASSERT_EQUAL(fab_cc_rate(cc, flow, 0), G100);
	cnp_at(cc, flow, 10 * US);
	CU_ASSERT_EQUAL(fab_cc_rate(cc, flow, 10 * US), G100 / 2);
}

static void
test_load_builtin_and_so(void)
{
	char path[PATH_MAX + 64], err[ERRLEN];
	struct fab_cc_conf c = conf_of(G100, NULL);
	struct fab_plugin *p;
	struct fab_cc *cc;
	uint64_t flow[FLOW_WORDS];

	locate_plugin_dir();
	cc = cc_new(FAB_CC_DEFAULT, G100, NULL);
	CU_ASSERT_STRING_EQUAL(fab_cc_name(cc), "cc-dcqcn");
	CU_ASSERT_EQUAL(fab_cc_flow_size(cc) % 8, 0);
	CU_ASSERT(fab_cc_flow_size(cc) >= 64);
	check_first_cut(cc);
	fab_cc_free(cc);

	cc = cc_new("cc-none", G100, NULL);
	CU_ASSERT_STRING_EQUAL(fab_cc_name(cc), "cc-none");
	CU_ASSERT_EQUAL(fab_cc_flow_size(cc), 8);
	fab_cc_flow_init(cc, flow, 0);
	CU_ASSERT_EQUAL(fab_cc_rate(cc, flow, 5), G100);
	fab_cc_free(cc);
	fab_cc_free(NULL);

	/* The same plugins as shared objects, by path and by search path. */
	snprintf(path, sizeof(path), "%s/fab_plugin_cc-dcqcn.so", plugin_dir);
	cc = fab_cc_create(path, NULL, &c, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(cc);
	CU_ASSERT_STRING_EQUAL(fab_cc_name(cc), "cc-dcqcn");
	check_first_cut(cc);
	fab_cc_free(cc);
	p = fab_plugin_load(path, NULL, FAB_PLUGIN_CC, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_FALSE(fab_plugin_is_builtin(p));
	CU_ASSERT_PTR_NOT_NULL(fab_plugin_cc_ops(p));
	CU_ASSERT_PTR_NULL(fab_plugin_ecn_ops(p));
	CU_ASSERT_EQUAL(fab_plugin_cc_ops(p)->flow_size % 8, 0);
	fab_plugin_unload(p);

	snprintf(path, sizeof(path), "%s/fab_plugin_cc-none.so", plugin_dir);
	cc = fab_cc_create(path, "/nonexistent", &c, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(cc);
	CU_ASSERT_STRING_EQUAL(fab_cc_name(cc), "cc-none");
	fab_cc_flow_init(cc, flow, 0);
	cnp_at(cc, flow, 1);
	CU_ASSERT_EQUAL(fab_cc_rate(cc, flow, 2), G100);
	fab_cc_free(cc);
}

static void
test_refuse_wrong_kind_and_unknown(void)
{
	char path[PATH_MAX + 64], err[ERRLEN];
	struct fab_cc_conf c = conf_of(G100, NULL);

	locate_plugin_dir();
	CU_ASSERT_PTR_NULL(fab_cc_create("ecn-red", NULL, &c, err, sizeof(err)));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);
	CU_ASSERT_TRUE(contains(err, "ecn-red"));
	CU_ASSERT_TRUE(contains(err, "an ECN plugin"));
	CU_ASSERT_TRUE(contains(err, "a congestion-control plugin is needed"));

	CU_ASSERT_PTR_NULL(fab_cc_create("lb-spray", NULL, &c, err, sizeof(err)));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);
	CU_ASSERT_TRUE(contains(err, "lb-spray is a load-balancing plugin"));

	snprintf(path, sizeof(path), "%s/fab_plugin_ecn-step.so", plugin_dir);
	CU_ASSERT_PTR_NULL(fab_cc_create(path, NULL, &c, err, sizeof(err)));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);
	CU_ASSERT_TRUE(contains(err, "an ECN plugin"));

	CU_ASSERT_PTR_NULL(fab_cc_create("cc-timely", plugin_dir, &c, err, sizeof(err)));
	CU_ASSERT_EQUAL(rte_errno, ENOENT);
	CU_ASSERT_TRUE(contains(err, "cc-timely not found"));

	CU_ASSERT_PTR_NULL(fab_cc_create(NULL, NULL, &c, err, sizeof(err)));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);
	CU_ASSERT_PTR_NULL(fab_cc_create("cc-dcqcn", NULL, NULL, NULL, 0));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);
}

/* Create must fail, and the plugin's log line must contain @p why. */
static void
expect_refused(const char *name, uint64_t line, const char *args, const char *why)
{
	struct fab_cc_conf c = conf_of(line, args);
	char err[ERRLEN];

	last_log[0] = '\0';
	CU_ASSERT_PTR_NULL(fab_cc_create(name, NULL, &c, err, sizeof(err)));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);
	CU_ASSERT_TRUE(contains(err, "refused its configuration"));
	CU_ASSERT_TRUE(contains(err, name));
	if (!contains(last_log, why))
		fprintf(stderr, "args '%s': log '%s' lacks '%s'\n", args, last_log, why);
	CU_ASSERT_TRUE(contains(last_log, why));
	CU_ASSERT_TRUE(contains(last_log, name));
}

static void
test_refuse_bad_args(void)
{
	struct fab_cc *cc;

	expect_refused("cc-dcqcn", G100, "g=0.5,bogus=1", "unknown argument 'bogus=1'");
	expect_refused("cc-dcqcn", G100, "timer", "unknown argument 'timer'");
	expect_refused("cc-dcqcn", G100, "g=abc", "g: not a number");
	expect_refused("cc-dcqcn", G100, "g=0", "g must be in (0, 1]");
	expect_refused("cc-dcqcn", G100, "alpha0=1.5", "alpha0 must be in [0, 1]");
	expect_refused("cc-dcqcn", G100, "timer_us=0", "timer_us must be above 0");
	expect_refused("cc-dcqcn", G100, "alpha_period_us=-1", "alpha_period_us");
	expect_refused("cc-dcqcn", G100, "f=0", "f must be in");
	expect_refused("cc-dcqcn", G100, "f=-3", "f: not an unsigned integer");
	expect_refused("cc-dcqcn", G100, "byte_counter=0", "byte_counter must be above 0");
	expect_refused("cc-dcqcn", G100, "min_rate_mbps=0", "min_rate_mbps");
	expect_refused("cc-dcqcn", 1000000000ULL, "min_rate_mbps=1001", "min_rate_mbps");
	expect_refused("cc-dcqcn", G100, "rai_mbps=-5", "rai_mbps");
	expect_refused("cc-dcqcn", 0, NULL, "line_rate_bps");
	expect_refused("cc-none", G100, "x=1", "takes no arguments");
	expect_refused("cc-none", 0, NULL, "line_rate_bps");

	/* Every documented key at once is accepted. */
	cc = cc_new("cc-dcqcn", G100, "g=0.00390625,alpha_period_us=55,timer_us=55,"
		"byte_counter=10000000,f=5,rai_mbps=20,rhai_mbps=200,min_rate_mbps=100,"
		"cnp_interval_us=50,rate_decrease_period_us=0,alpha0=1");
	fab_cc_free(cc);
}

/* ------------------------------------------------------------------ */
/* Notification point                                                  */
/* ------------------------------------------------------------------ */

static void
test_np_cnp_interval(void)
{
	struct fab_cc *cc = cc_new("cc-dcqcn", G100, "cnp_interval_us=50");
	uint64_t a[FLOW_WORDS], b[FLOW_WORDS];
	struct fab_cc_event ev[64];
	uint8_t cnp[64];
	unsigned int i, n = 0;

	fab_cc_flow_init(cc, a, 0);
	fab_cc_flow_init(cc, b, 0);
	/*
	 * QP a: a CE every 10 us from t = 0. QP b: a CE every 20 us from 5 us.
	 * Interleaved in one burst, with a TX and an ACK between that must
	 * write 0.
	 */
	for (i = 0; i < 21; i++) {
		ev[n++] = (struct fab_cc_event){ .flow = a, .now_ps = i * 10 * US,
			.kind = FAB_CC_EV_CE };
		if (i % 2 == 0)
			ev[n++] = (struct fab_cc_event){ .flow = b,
				.now_ps = 5 * US + i * 10 * US, .kind = FAB_CC_EV_CE };
	}
	ev[n++] = (struct fab_cc_event){ .flow = a, .now_ps = 300 * US,
		.kind = FAB_CC_EV_TX, .bytes = 1000 };
	ev[n++] = (struct fab_cc_event){ .flow = a, .now_ps = 300 * US,
		.kind = FAB_CC_EV_ACK, .bytes = 1000 };
	memset(cnp, 0xaa, sizeof(cnp));
	fab_cc_events(cc, ev, (uint16_t)n, cnp);

	n = 0;
	for (i = 0; i < 21; i++) {
		/* a: CNPs at 0, 50, 100, 150, 200 us. */
		CU_ASSERT_EQUAL(cnp[n], i % 5 == 0 ? 1 : 0);
		n++;
		if (i % 2 == 0) {
			/* b at 5, 25, 45, 65, ...: CNPs at 5, 65, 125, 185 us. */
			unsigned int k = i / 2;

			CU_ASSERT_EQUAL(cnp[n], k % 3 == 0 ? 1 : 0);
			n++;
		}
	}
	CU_ASSERT_EQUAL(cnp[n], 0);
	CU_ASSERT_EQUAL(cnp[n + 1], 0);
	/* The notification point does not touch the reaction point's rate. */
	CU_ASSERT_EQUAL(fab_cc_rate(cc, a, 300 * US), G100);
	fab_cc_free(cc);

	/* Interval 0: every CE answers. */
	cc = cc_new("cc-dcqcn", G100, "cnp_interval_us=0");
	fab_cc_flow_init(cc, a, 0);
	for (i = 0; i < 5; i++)
		CU_ASSERT_EQUAL(event(cc, a, FAB_CC_EV_CE, 7 * US, 0), 1);
	fab_cc_free(cc);
}

/* ------------------------------------------------------------------ */
/* Reaction point                                                      */
/* ------------------------------------------------------------------ */

static void
test_rp_cut_and_alpha(void)
{
	const double g = 1.0 / 256;
	uint64_t f[FLOW_WORDS];
	double alpha1, alpha2;
	uint64_t rc, rt, t0 = 3 * US;
	struct fab_cc *cc;

	/* alpha0 = 1: half rate; alpha = (1-g)*1 + g = 1, so the next cut halves again. */
	cc = cc_new("cc-dcqcn", G100, NULL);
	fab_cc_flow_init(cc, f, 0);
	CU_ASSERT_EQUAL(fab_cc_rate(cc, f, t0), G100);
	cnp_at(cc, f, t0);
	CU_ASSERT_EQUAL(fab_cc_rate(cc, f, t0), 50000000000ULL);
	cnp_at(cc, f, t0);
	CU_ASSERT_EQUAL(fab_cc_rate(cc, f, t0), 25000000000ULL);
	fab_cc_free(cc);

	/* alpha0 = 0.5, timer out of the way: the decay alone. */
	cc = cc_new("cc-dcqcn", G100, "alpha0=0.5,timer_us=100000");
	fab_cc_flow_init(cc, f, 0);
	cnp_at(cc, f, t0);
	rc = cut_of(G100, 0.5);
	CU_ASSERT_EQUAL(rc, 75000000000ULL);
	CU_ASSERT_EQUAL(fab_cc_rate(cc, f, t0), rc);
	alpha1 = (1 - g) * 0.5 + g;
	/* 1 ps short of the alpha period: no decay yet. */
	cnp_at(cc, f, t0 + 55 * US - 1);
	rc = cut_of(rc, alpha1);
	CU_ASSERT_EQUAL(fab_cc_rate(cc, f, t0 + 55 * US), rc);
	alpha2 = (1 - g) * alpha1 + g;
	/* One full period after that cut: alpha decays once, then the cut. */
	cnp_at(cc, f, t0 + 55 * US - 1 + 55 * US);
	rc = cut_of(rc, alpha2 * (1 - g));
	CU_ASSERT_EQUAL(fab_cc_rate(cc, f, t0 + 110 * US), rc);
	/* Three periods: (1-g)^3. */
	alpha2 = (1 - g) * (alpha2 * (1 - g)) + g;
	cnp_at(cc, f, t0 + 110 * US - 1 + 165 * US);
	rc = cut_of(rc, alpha2 * (1 - g) * (1 - g) * (1 - g));
	CU_ASSERT_EQUAL(fab_cc_rate(cc, f, t0 + 300 * US), rc);
	fab_cc_free(cc);

	/* The rate-decrease period: one cut per 4 us, the CNPs between are absorbed. */
	cc = cc_new("cc-dcqcn", G100, "rate_decrease_period_us=4,timer_us=100000");
	fab_cc_flow_init(cc, f, 0);
	cnp_at(cc, f, t0);
	CU_ASSERT_EQUAL(fab_cc_rate(cc, f, t0), G100 / 2);
	cnp_at(cc, f, t0 + 1 * US);
	cnp_at(cc, f, t0 + 4 * US - 1);
	CU_ASSERT_EQUAL(fab_cc_rate(cc, f, t0 + 4 * US - 1), G100 / 2);
	cnp_at(cc, f, t0 + 4 * US);
	CU_ASSERT_EQUAL(fab_cc_rate(cc, f, t0 + 4 * US), G100 / 4);
	fab_cc_free(cc);

	/* The floor: cuts stop at min_rate. */
	cc = cc_new("cc-dcqcn", G100, "min_rate_mbps=1000");
	fab_cc_flow_init(cc, f, 0);
	rc = G100;
	rt = 0;
	for (int i = 0; i < 10; i++) {
		cnp_at(cc, f, t0);
		rt = rc;
		rc = RTE_MAX(rc / 2, 1000000000ULL);
		CU_ASSERT_EQUAL(fab_cc_rate(cc, f, t0), rc);
	}
	CU_ASSERT_EQUAL(rc, 1000000000ULL);
	CU_ASSERT_EQUAL(rt, 1000000000ULL);
	fab_cc_free(cc);
}

static void
test_rp_increase_sequence(void)
{
	const uint64_t T = 55 * US, rai = 20000000, t0 = 7 * US;
	struct fab_cc *cc = cc_new("cc-dcqcn", G100, NULL);
	uint64_t f[FLOW_WORDS];
	uint64_t rc, rt;
	unsigned int k;

	/* Two cuts at once: Rt = 50G, Rc = 25G, so additive increase shows in Rt. */
	fab_cc_flow_init(cc, f, 0);
	cnp_at(cc, f, t0);
	cnp_at(cc, f, t0);
	rt = 50000000000ULL;
	rc = 25000000000ULL;
	CU_ASSERT_EQUAL(fab_cc_rate(cc, f, t0 + T - 1), rc);
	for (k = 1; k <= 12; k++) {
		if (k <= 5) {
			rc = halve(rt, rc); /* fast recovery */
		} else {
			rt += rai;          /* additive: only the timer counts */
			rc = halve(rt, rc);
		}
		CU_ASSERT_EQUAL(fab_cc_rate(cc, f, t0 + k * T), rc);
		/* Nothing more until the next tick. */
		CU_ASSERT_EQUAL(fab_cc_rate(cc, f, t0 + (k + 1) * T - 1), rc);
	}
	/* Spot values, from the arithmetic by hand. */
	fab_cc_flow_init(cc, f, 0);
	cnp_at(cc, f, 0);
	cnp_at(cc, f, 0);
	CU_ASSERT_EQUAL(fab_cc_rate(cc, f, 1 * T), 37500000000ULL);
	CU_ASSERT_EQUAL(fab_cc_rate(cc, f, 5 * T), 49218750000ULL);
	CU_ASSERT_EQUAL(fab_cc_rate(cc, f, 6 * T), 49619375000ULL);
	fab_cc_free(cc);
}

static void
test_rp_byte_counter(void)
{
	/* Timer out of the way; B = 1 MB. */
	struct fab_cc *cc = cc_new("cc-dcqcn", G100,
		"timer_us=1000000,byte_counter=1000000,rai_mbps=100");
	uint64_t f[FLOW_WORDS], now = 10 * US;
	uint64_t rc = 50000000000ULL, rt = G100;
	unsigned int i, ev;

	fab_cc_flow_init(cc, f, 0);
	/* TX before any cut counts for nothing. */
	for (i = 0; i < 2000; i++)
		event(cc, f, FAB_CC_EV_TX, now, 1000);
	CU_ASSERT_EQUAL(fab_cc_rate(cc, f, now), G100);
	cnp_at(cc, f, now);
	CU_ASSERT_EQUAL(fab_cc_rate(cc, f, now), rc);
	for (ev = 1; ev <= 7; ev++) {
		for (i = 0; i < 999; i++)
			CU_ASSERT_EQUAL(event(cc, f, FAB_CC_EV_TX, ++now, 1000), 0);
		CU_ASSERT_EQUAL(fab_cc_rate(cc, f, now), rc);
		event(cc, f, FAB_CC_EV_TX, ++now, 1000);
		if (ev > 5)
			rt = RTE_MIN(rt + 100000000ULL, G100);
		rc = halve(rt, rc);
		CU_ASSERT_EQUAL(fab_cc_rate(cc, f, now), rc);
	}
	/* Rt was at line rate: additive increase could not raise it. */
	CU_ASSERT_EQUAL(rt, G100);
	/* One 2.5 MB event counts twice and keeps the remainder. */
	event(cc, f, FAB_CC_EV_TX, ++now, 2500000);
	rc = halve(rt, halve(rt, rc));
	CU_ASSERT_EQUAL(fab_cc_rate(cc, f, now), rc);
	event(cc, f, FAB_CC_EV_TX, ++now, 499999);
	CU_ASSERT_EQUAL(fab_cc_rate(cc, f, now), rc);
	event(cc, f, FAB_CC_EV_TX, ++now, 1);
	rc = halve(rt, rc);
	CU_ASSERT_EQUAL(fab_cc_rate(cc, f, now), rc);
	fab_cc_free(cc);
}

static void
test_rp_hyper_increase(void)
{
	/* F = 2, T = 10 us, B = 10 kB: one tick and one byte event per step. */
	struct fab_cc *cc = cc_new("cc-dcqcn", G100,
		"f=2,timer_us=10,byte_counter=10000,rai_mbps=10,rhai_mbps=1000");
	const uint64_t T = 10 * US, rai = 10000000, rhai = 1000000000;
	uint64_t f[FLOW_WORDS], rt = 50000000000ULL, rc = 25000000000ULL;
	unsigned int k;

	fab_cc_flow_init(cc, f, 0);
	cnp_at(cc, f, 0);
	cnp_at(cc, f, 0);
	for (k = 1; k <= 6; k++) {
		/* The tick first (t = k, b = k - 1), then the bytes (t = k, b = k). */
		event(cc, f, FAB_CC_EV_TX, k * T, 10000);
		switch (k) {
		case 1: /* (1,0) (1,1): fast recovery twice */
		case 2: /* (2,1) (2,2) */
			rc = halve(rt, rc);
			rc = halve(rt, rc);
			break;
		case 3: /* (3,2): additive; (3,3): hyper, i = 1 */
			rt += rai;
			rc = halve(rt, rc);
			rt += rhai;
			rc = halve(rt, rc);
			break;
		default: /* (k,k-1): hyper i = k-3; (k,k): hyper i = k-2 */
			rt += (k - 3) * rhai;
			rc = halve(rt, rc);
			rt += (k - 2) * rhai;
			rc = halve(rt, rc);
			break;
		}
		CU_ASSERT_EQUAL(fab_cc_rate(cc, f, k * T), rc);
	}
	CU_ASSERT_EQUAL(rt, 50000000000ULL + rai + 16 * rhai);
	/* Hyper increase clamps at line rate and the rate gets there exactly. */
	for (; k <= 60; k++)
		event(cc, f, FAB_CC_EV_TX, k * T, 10000);
	CU_ASSERT_EQUAL(fab_cc_rate(cc, f, k * T), G100);
	CU_ASSERT_EQUAL(fab_cc_rate(cc, f, 1000 * T), G100);
	fab_cc_free(cc);
}

/* ------------------------------------------------------------------ */
/* Lazy timers                                                         */
/* ------------------------------------------------------------------ */

static void
test_lazy_equals_stepping(void)
{
	const uint64_t T = 55 * US;
	struct fab_cc *cc = cc_new("cc-dcqcn", G100, "alpha0=0.7");
	uint64_t lazy[FLOW_WORDS], step[FLOW_WORDS], t, end = 40 * T + 17;
	uint64_t prev = 0;

	fab_cc_flow_init(cc, lazy, 0);
	fab_cc_flow_init(cc, step, 0);
	cnp_at(cc, lazy, 1 * US);
	cnp_at(cc, step, 1 * US);
	cnp_at(cc, lazy, 3 * US);
	cnp_at(cc, step, 3 * US);
	for (t = 3 * US; t <= end; t += T / 5) {
		uint64_t r = fab_cc_rate(cc, step, t);

		CU_ASSERT(r >= prev);
		CU_ASSERT(r <= G100);
		prev = r;
	}
	CU_ASSERT_EQUAL(fab_cc_rate(cc, lazy, end), fab_cc_rate(cc, step, end));
	CU_ASSERT(prev > G100 / 4);
	/* A cut after the lazy catch-up sees the same decayed alpha as the stepped one. */
	cnp_at(cc, lazy, end + 1);
	cnp_at(cc, step, end + 1);
	CU_ASSERT_EQUAL(fab_cc_rate(cc, lazy, end + 1), fab_cc_rate(cc, step, end + 1));

	/* Long idle: back to line rate exactly, and a query a second later is cheap and equal. */
	CU_ASSERT_EQUAL(fab_cc_rate(cc, lazy, 1000000 * US), G100);
	CU_ASSERT_EQUAL(fab_cc_rate(cc, lazy, UINT64_MAX / 2), G100);
	fab_cc_free(cc);
}

/* ------------------------------------------------------------------ */
/* Reference model                                                     */
/* ------------------------------------------------------------------ */

/*
 * DCQCN as the plugin documents it, written the plain way: a timer that
 * ticks at each multiple of T after the last cut, an alpha period clock,
 * one multiplication per elapsed period, no shortcuts.
 */
struct ref_params {
	uint64_t line, min, rai, rhai, B, T, P, cnp_iv, rdp;
	double g, alpha0;
	uint32_t F;
};

struct ref_qp {
	uint64_t rc, rt, next_tick, next_alpha, last_cut, bytes, np_last;
	double alpha;
	uint32_t t, b;
	bool cut, np_any;
};

static void
ref_init(const struct ref_params *p, struct ref_qp *q)
{
	memset(q, 0, sizeof(*q));
	q->rc = q->rt = p->line;
	q->alpha = p->alpha0;
}

static void
ref_inc(const struct ref_params *p, struct ref_qp *q)
{
	uint32_t hi = q->t > q->b ? q->t : q->b;
	uint32_t lo = q->t < q->b ? q->t : q->b;
	long double target = q->rt;

	if (hi <= p->F) {
		/* fast recovery */
	} else if (lo > p->F) {
		target += (long double)(lo - p->F) * p->rhai;
	} else {
		target += p->rai;
	}
	q->rt = target >= p->line ? p->line : (uint64_t)target;
	q->rc = (q->rc + q->rt + 1) / 2;
}

static void
ref_advance(const struct ref_params *p, struct ref_qp *q, uint64_t now)
{
	if (!q->cut)
		return;
	while (q->next_alpha <= now) {
		q->alpha *= 1.0 - p->g;
		q->next_alpha += p->P;
	}
	while (q->next_tick <= now) {
		q->t++;
		ref_inc(p, q);
		q->next_tick += p->T;
	}
}

static void
ref_cnp(const struct ref_params *p, struct ref_qp *q, uint64_t now)
{
	double r;

	ref_advance(p, q, now);
	if (q->cut && p->rdp > 0 && now < q->last_cut + p->rdp)
		return;
	q->rt = q->rc;
	r = round((double)q->rc * (1.0 - q->alpha / 2));
	q->rc = r < (double)p->min ? p->min : (uint64_t)r;
	q->alpha = (1.0 - p->g) * q->alpha + p->g;
	q->t = q->b = 0;
	q->bytes = 0;
	q->next_tick = now + p->T;
	q->next_alpha = now + p->P;
	q->last_cut = now;
	q->cut = true;
}

static void
ref_tx(const struct ref_params *p, struct ref_qp *q, uint64_t now, uint32_t bytes)
{
	if (!q->cut)
		return;
	ref_advance(p, q, now);
	q->bytes += bytes;
	while (q->bytes >= p->B) {
		q->bytes -= p->B;
		q->b++;
		ref_inc(p, q);
	}
}

static uint8_t
ref_ce(const struct ref_params *p, struct ref_qp *q, uint64_t now)
{
	if (q->np_any && now < q->np_last + p->cnp_iv)
		return 0;
	q->np_any = true;
	q->np_last = now;
	return 1;
}

static uint64_t
xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

#define REF_QPS 3

static void
run_against_reference(const char *args, const struct ref_params *p, uint64_t seed,
		unsigned int steps)
{
	struct fab_cc *cc = cc_new("cc-dcqcn", p->line, args);
	uint64_t flows[REF_QPS][FLOW_WORDS], now[REF_QPS] = { 0 };
	struct ref_qp ref[REF_QPS];
	unsigned int i, q, cuts = 0, mismatches = 0;
	uint64_t s = seed, lo_seen = p->line;

	for (q = 0; q < REF_QPS; q++) {
		fab_cc_flow_init(cc, flows[q], 0);
		ref_init(p, &ref[q]);
	}
	for (i = 0; i < steps; i++) {
		uint64_t r = xorshift(&s);
		struct fab_cc_event ev;
		uint8_t cnp = 0xaa, want = 0;
		uint64_t got, exp;
		unsigned int kind;

		q = r % REF_QPS;
		/* Gaps from 0 to ~40 us, now and then a long one. */
		now[q] += (r >> 8) % 16 == 0 ? ((r >> 12) % 2000) * US : ((r >> 12) % 40000) * 1000;
		memset(&ev, 0, sizeof(ev));
		ev.flow = flows[q];
		ev.now_ps = now[q];
		kind = (r >> 40) % 10;
		if (q == 0 && kind < 4)
			kind = 0; /* QP 0 is hammered: deep cuts */
		switch (kind) {
		case 0:
			ev.kind = FAB_CC_EV_CNP;
			ref_cnp(p, &ref[q], now[q]);
			cuts++;
			break;
		case 1:
			ev.kind = FAB_CC_EV_CE;
			want = ref_ce(p, &ref[q], now[q]);
			break;
		case 2:
			ev.kind = FAB_CC_EV_ACK;
			break;
		default:
			ev.kind = FAB_CC_EV_TX;
			ev.bytes = 64 + (uint32_t)((r >> 44) % 40000);
			ref_tx(p, &ref[q], now[q], ev.bytes);
			break;
		}
		fab_cc_events(cc, &ev, 1, &cnp);
		CU_ASSERT_EQUAL(cnp, want);
		/* Query only now and then, so the lazy path has ticks to catch up. */
		if ((r >> 50) % 4 != 0)
			continue;
		got = fab_cc_rate(cc, flows[q], now[q]);
		ref_advance(p, &ref[q], now[q]);
		exp = ref[q].rc;
		if ((got > exp ? got - exp : exp - got) > 1 && mismatches++ < 5)
			fprintf(stderr, "step %u qp %u t %" PRIu64 ": rate %" PRIu64
				", reference %" PRIu64 "\n", i, q, now[q], got, exp);
		CU_ASSERT(got <= exp + 1 && exp <= got + 1);
		CU_ASSERT(got >= p->min && got <= p->line);
		lo_seen = RTE_MIN(lo_seen, got);
	}
	CU_ASSERT_EQUAL(mismatches, 0);
	/* The history must have exercised cuts and deep recoveries. */
	CU_ASSERT(cuts > steps / 20);
	CU_ASSERT(lo_seen < p->line / 4);
	fab_cc_free(cc);
}

static void
test_reference_model(void)
{
	struct ref_params p = {
		.line = G100, .min = 100000000, .rai = 20000000, .rhai = 200000000,
		.B = 10000000, .T = 55 * US, .P = 55 * US, .cnp_iv = 50 * US, .rdp = 0,
		.g = 1.0 / 256, .alpha0 = 1.0, .F = 5,
	};

	/* The defaults at 100G. */
	run_against_reference(NULL, &p, 0x9e3779b97f4a7c15ULL, 20000);
	/* Everything changed, with a rate-decrease period and a small byte counter. */
	p = (struct ref_params){
		.line = 25000000000ULL, .min = 500000000, .rai = 40000000,
		.rhai = 400000000, .B = 150000, .T = 20 * US, .P = 15 * US,
		.cnp_iv = 4 * US, .rdp = 9 * US, .g = 1.0 / 16, .alpha0 = 0.3, .F = 3,
	};
	run_against_reference("g=0.0625,alpha_period_us=15,timer_us=20,byte_counter=150000,"
		"f=3,rai_mbps=40,rhai_mbps=400,min_rate_mbps=500,cnp_interval_us=4,"
		"rate_decrease_period_us=9,alpha0=0.3", &p, 12345, 20000);
}

/* ------------------------------------------------------------------ */
/* cc-none                                                             */
/* ------------------------------------------------------------------ */

static void
test_none(void)
{
	struct fab_cc *cc = cc_new("cc-none", 25000000000ULL, NULL);
	uint64_t f[FLOW_WORDS];
	struct fab_cc_event ev[4];
	uint8_t cnp[4];
	unsigned int i;

	fab_cc_flow_init(cc, f, 0);
	for (i = 0; i < 4; i++)
		ev[i] = (struct fab_cc_event){ .flow = f, .now_ps = i * US,
			.kind = i % 2 ? FAB_CC_EV_CE : FAB_CC_EV_CNP };
	memset(cnp, 0xaa, sizeof(cnp));
	fab_cc_events(cc, ev, 4, cnp);
	for (i = 0; i < 4; i++)
		CU_ASSERT_EQUAL(cnp[i], 0);
	CU_ASSERT_EQUAL(fab_cc_rate(cc, f, 4 * US), 25000000000ULL);
	CU_ASSERT_EQUAL(fab_cc_rate(cc, f, 1000000 * US), 25000000000ULL);
	fab_cc_free(cc);
}

int
fab_suite_cc(void)
{
	CU_pSuite s = fab_test_add_suite("cc");

	if (s == NULL)
		return -1;
	FAB_ADD_TEST(s, test_load_builtin_and_so);
	FAB_ADD_TEST(s, test_refuse_wrong_kind_and_unknown);
	FAB_ADD_TEST(s, test_refuse_bad_args);
	FAB_ADD_TEST(s, test_np_cnp_interval);
	FAB_ADD_TEST(s, test_rp_cut_and_alpha);
	FAB_ADD_TEST(s, test_rp_increase_sequence);
	FAB_ADD_TEST(s, test_rp_byte_counter);
	FAB_ADD_TEST(s, test_rp_hyper_increase);
	FAB_ADD_TEST(s, test_lazy_equals_stepping);
	FAB_ADD_TEST(s, test_reference_model);
	FAB_ADD_TEST(s, test_none);
	return 0;
}
