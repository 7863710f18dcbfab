/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * cc-dcqcn: DCQCN (Zhu et al., SIGCOMM 2015), both halves in one QP area.
 *
 * Notification point: a CE-marked packet makes a CNP unless one went out
 * for the QP less than cnp_interval ago.
 *
 * Reaction point: a CNP sets Rt = Rc, Rc = Rc * (1 - alpha / 2),
 * alpha = (1 - g) * alpha + g, and restarts the increase state. Each full
 * alpha period without a CNP multiplies alpha by (1 - g). Increase events
 * come from a timer (every T since the last cut or tick) and a byte counter
 * (every B bytes sent); each bumps its own count, then:
 *   max(t, b) <= F        fast recovery      Rc = (Rt + Rc) / 2
 *   min(t, b) >  F        hyper increase     Rt += (min(t, b) - F) * R_HAI,
 *                                            Rc = (Rt + Rc) / 2
 *   otherwise             additive increase  Rt += R_AI, Rc = (Rt + Rc) / 2
 * so the first F events after a cut are fast recovery.
 *
 * Rates are integer bits per second and the halving rounds up: Rc then
 * reaches Rt exactly instead of stalling one unit below it, and the rate
 * a QP reports is the same whichever order of calls led to it.
 *
 * The timers are lazy: every event and rate() first applies the ticks due
 * by its time, in order. A QP that never saw a CNP sends at line rate and
 * runs no timer, so its first cut uses alpha0; a QP back at Rc = Rt = line
 * rate skips the remaining ticks, which could not change anything until the
 * next CNP resets the counts. docs/plugins.md lists the parameters and the
 * sources of their defaults.
 */

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fab_plugin.h>

#define CC_DCQCN_NAME "cc-dcqcn"

#define PS_PER_US 1000000ULL
/* Past this many alpha periods pow() replaces the loop (no exactness needed: alpha ~ 0). */
#define ALPHA_LOOP_MAX 4096

struct dcqcn_params {
	uint64_t line_bps;
	uint64_t min_bps;
	uint64_t rai_bps;
	uint64_t rhai_bps;
	uint64_t byte_counter;
	uint64_t timer_ps;
	uint64_t alpha_period_ps;
	uint64_t cnp_interval_ps;
	uint64_t rdp_ps;       /* rate-decrease period: 0 = every CNP cuts */
	double g;
	double alpha0;
	uint32_t f;
};

/* One QP: reaction point, then notification point. 80 bytes. */
struct dcqcn_flow {
	uint64_t rc;           /* current rate, bps */
	uint64_t rt;           /* target rate, bps */
	double alpha;
	uint64_t timer_ps;     /* last increase-timer tick (or cut) */
	uint64_t alpha_ps;     /* last alpha update (cut or decay) */
	uint64_t cut_ps;       /* last cut */
	uint64_t bytes;        /* sent since the last byte-counter event */
	uint64_t np_cnp_ps;    /* last CNP the notification point sent */
	uint32_t t_cnt;
	uint32_t b_cnt;
	uint8_t cut;           /* the QP has been cut at least once */
	uint8_t np_sent;       /* np_cnp_ps is valid */
	uint8_t pad[6];
};

static const char *const dcqcn_keys[] = {
	"g", "alpha_period_us", "timer_us", "byte_counter", "f", "rai_mbps",
	"rhai_mbps", "min_rate_mbps", "cnp_interval_us", "rate_decrease_period_us",
	"alpha0", NULL,
};

static void __rte_format_printf(2, 3)
say(const struct fab_plugin_host *host, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	if (host == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	host->log(FAB_PLUGIN_LOG_ERR, CC_DCQCN_NAME, "%s", line);
}

/*
 * Read an optional double argument. Returns 0 (absent keeps *v), or -1
 * after logging.
 */
static int
get_double(const struct fab_cc_conf *conf, const char *key, double *v)
{
	int ret;

	if (conf->args == NULL || conf->host == NULL)
		return 0;
	ret = conf->host->arg_double(conf->args, key, v);
	if (ret == -ENOENT)
		return 0;
	if (ret < 0) {
		say(conf->host, "%s: not a number in '%s'", key, conf->args);
		return -1;
	}
	return 0;
}

static int
get_u64(const struct fab_cc_conf *conf, const char *key, uint64_t *v)
{
	int ret;

	if (conf->args == NULL || conf->host == NULL)
		return 0;
	ret = conf->host->arg_u64(conf->args, key, v);
	if (ret == -ENOENT)
		return 0;
	if (ret < 0) {
		say(conf->host, "%s: not an unsigned integer in '%s'", key, conf->args);
		return -1;
	}
	return 0;
}

/* A time in microseconds (fractions allowed) to picoseconds; -1 if out of range. */
static int
us_to_ps(double us, uint64_t *ps)
{
	if (!(us >= 0.0) || us > 1e9)
		return -1;
	*ps = (uint64_t)llround(us * (double)PS_PER_US);
	return 0;
}

static int
mbps_to_bps(double mbps, uint64_t *bps)
{
	if (!(mbps >= 0.0) || mbps > 1e9)
		return -1;
	*bps = (uint64_t)llround(mbps * 1e6);
	return 0;
}

/*
 * Defaults: the paper's g, alpha period, timer, byte counter and F; the
 * HPCC simulator's vendor-like R_AI and R_HAI (5 and 50 Mb/s per 25 Gb/s
 * of line rate) and minimum rate. docs/plugins.md gives the sources.
 */
static int
parse_params(const struct fab_cc_conf *conf, struct dcqcn_params *p)
{
	const struct fab_plugin_host *host = conf->host;
	double scale = (double)conf->line_rate_bps / 25e9;
	double alpha_period_us = 55, timer_us = 55, cnp_interval_us = 50, rdp_us = 0;
	double rai_mbps = 5 * scale, rhai_mbps = 50 * scale, min_mbps = 100;
	uint64_t f = 5;
	char bad[128];

	memset(p, 0, sizeof(*p));
	p->line_bps = conf->line_rate_bps;
	p->g = 1.0 / 256;
	p->alpha0 = 1.0;
	p->byte_counter = 10000000;
	if (conf->line_rate_bps == 0) {
		say(host, "line_rate_bps must be above 0");
		return -1;
	}
	if (conf->args != NULL && conf->args[0] != '\0') {
		if (host == NULL)
			return -1; /* cannot read them, and silently ignoring them would mislead */
		if (host->arg_check(conf->args, dcqcn_keys, bad, sizeof(bad)) < 0) {
			say(host, "unknown argument '%s' (known: g, alpha_period_us, timer_us,"
				" byte_counter, f, rai_mbps, rhai_mbps, min_rate_mbps,"
				" cnp_interval_us, rate_decrease_period_us, alpha0)", bad);
			return -1;
		}
	}
	if (get_double(conf, "g", &p->g) < 0 ||
			get_double(conf, "alpha0", &p->alpha0) < 0 ||
			get_double(conf, "alpha_period_us", &alpha_period_us) < 0 ||
			get_double(conf, "timer_us", &timer_us) < 0 ||
			get_double(conf, "cnp_interval_us", &cnp_interval_us) < 0 ||
			get_double(conf, "rate_decrease_period_us", &rdp_us) < 0 ||
			get_double(conf, "rai_mbps", &rai_mbps) < 0 ||
			get_double(conf, "rhai_mbps", &rhai_mbps) < 0 ||
			get_double(conf, "min_rate_mbps", &min_mbps) < 0 ||
			get_u64(conf, "byte_counter", &p->byte_counter) < 0 ||
			get_u64(conf, "f", &f) < 0)
		return -1;
	if (!(p->g > 0.0 && p->g <= 1.0)) {
		say(host, "g must be in (0, 1], got %g", p->g);
		return -1;
	}
	if (!(p->alpha0 >= 0.0 && p->alpha0 <= 1.0)) {
		say(host, "alpha0 must be in [0, 1], got %g", p->alpha0);
		return -1;
	}
	if (us_to_ps(alpha_period_us, &p->alpha_period_ps) < 0 || p->alpha_period_ps == 0 ||
			us_to_ps(timer_us, &p->timer_ps) < 0 || p->timer_ps == 0) {
		say(host, "alpha_period_us and timer_us must be above 0 (and at most 1e9),"
			" got %g and %g", alpha_period_us, timer_us);
		return -1;
	}
	if (us_to_ps(cnp_interval_us, &p->cnp_interval_ps) < 0 ||
			us_to_ps(rdp_us, &p->rdp_ps) < 0) {
		say(host, "cnp_interval_us and rate_decrease_period_us must be in [0, 1e9],"
			" got %g and %g", cnp_interval_us, rdp_us);
		return -1;
	}
	if (mbps_to_bps(rai_mbps, &p->rai_bps) < 0 || mbps_to_bps(rhai_mbps, &p->rhai_bps) < 0) {
		say(host, "rai_mbps and rhai_mbps must be in [0, 1e9], got %g and %g",
			rai_mbps, rhai_mbps);
		return -1;
	}
	if (mbps_to_bps(min_mbps, &p->min_bps) < 0 || p->min_bps == 0 ||
			p->min_bps > p->line_bps) {
		say(host, "min_rate_mbps must be above 0 and at most the line rate"
			" (%" PRIu64 " bps), got %g", p->line_bps, min_mbps);
		return -1;
	}
	if (p->byte_counter == 0) {
		say(host, "byte_counter must be above 0");
		return -1;
	}
	if (f == 0 || f > 1000000) {
		say(host, "f must be in [1, 1000000], got %" PRIu64, f);
		return -1;
	}
	p->f = (uint32_t)f;
	return 0;
}

static void *
dcqcn_create(const struct fab_cc_conf *conf)
{
	struct dcqcn_params *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	if (parse_params(conf, p) < 0) {
		free(p);
		return NULL;
	}
	return p;
}

static void
dcqcn_free(void *state)
{
	free(state);
}

static void
dcqcn_flow_init(void *state, void *flow, uint64_t now_ps)
{
	const struct dcqcn_params *p = state;
	struct dcqcn_flow *f = flow;

	memset(f, 0, sizeof(*f));
	f->rc = p->line_bps;
	f->rt = p->line_bps;
	f->alpha = p->alpha0;
	f->timer_ps = now_ps;
	f->alpha_ps = now_ps;
	f->cut_ps = now_ps;
}

static inline bool
at_line(const struct dcqcn_params *p, const struct dcqcn_flow *f)
{
	return f->rc == p->line_bps && f->rt == p->line_bps;
}

/* Rt += i * step, saturating at the line rate. */
static inline void
raise_target(const struct dcqcn_params *p, struct dcqcn_flow *f, uint64_t i, uint64_t step)
{
	uint64_t room = p->line_bps - f->rt;

	if (step != 0 && i > room / step)
		f->rt = p->line_bps;
	else
		f->rt += i * step;
}

/* One increase event, after its count was bumped. */
static inline void
increase(const struct dcqcn_params *p, struct dcqcn_flow *f)
{
	uint32_t hi = RTE_MAX(f->t_cnt, f->b_cnt);
	uint32_t lo = RTE_MIN(f->t_cnt, f->b_cnt);

	if (lo > p->f)
		raise_target(p, f, lo - p->f, p->rhai_bps);  /* hyper increase */
	else if (hi > p->f)
		raise_target(p, f, 1, p->rai_bps);           /* additive increase */
	/* else fast recovery: toward the target only */
	/* Rc <= Rt always, so the sum cannot overflow and rounds up to Rt. */
	f->rc = f->rc + (f->rt - f->rc + 1) / 2;
}

/* Alpha decay for the full periods due by @p now. */
static inline void
apply_alpha(const struct dcqcn_params *p, struct dcqcn_flow *f, uint64_t now)
{
	uint64_t k, i;

	/* A time before the last update (against the contract) must not wrap around. */
	if (now < f->alpha_ps || now - f->alpha_ps < p->alpha_period_ps)
		return;
	k = (now - f->alpha_ps) / p->alpha_period_ps;
	f->alpha_ps += k * p->alpha_period_ps;
	if (k <= ALPHA_LOOP_MAX) {
		for (i = 0; i < k; i++)
			f->alpha *= 1.0 - p->g;
	} else {
		f->alpha *= pow(1.0 - p->g, (double)k);
	}
}

/* Timer ticks due by @p now, oldest first. */
static inline void
apply_timer(const struct dcqcn_params *p, struct dcqcn_flow *f, uint64_t now)
{
	uint64_t k, i;

	if (now < f->timer_ps || now - f->timer_ps < p->timer_ps)
		return;
	k = (now - f->timer_ps) / p->timer_ps;
	f->timer_ps += k * p->timer_ps;
	/* Each tick is work the hardware timer would have done; at line rate none is left. */
	for (i = 0; i < k && !at_line(p, f); i++) {
		f->t_cnt++;
		increase(p, f);
	}
}

/* Bring a QP's timers up to @p now. */
static inline void
catch_up(const struct dcqcn_params *p, struct dcqcn_flow *f, uint64_t now)
{
	if (!f->cut)
		return;
	apply_alpha(p, f, now);
	apply_timer(p, f, now);
}

static inline void
on_cnp(const struct dcqcn_params *p, struct dcqcn_flow *f, uint64_t now)
{
	uint64_t rc;

	catch_up(p, f, now);
	if (f->cut && p->rdp_ps != 0 && now - f->cut_ps < p->rdp_ps)
		return; /* at most one cut per rate-decrease period */
	f->rt = f->rc;
	rc = (uint64_t)llround((double)f->rc * (1.0 - f->alpha / 2));
	f->rc = RTE_MAX(rc, p->min_bps);
	f->alpha = (1.0 - p->g) * f->alpha + p->g;
	f->t_cnt = 0;
	f->b_cnt = 0;
	f->bytes = 0;
	f->timer_ps = now;
	f->alpha_ps = now;
	f->cut_ps = now;
	f->cut = 1;
}

static inline void
on_tx(const struct dcqcn_params *p, struct dcqcn_flow *f, uint64_t now, uint32_t bytes)
{
	if (!f->cut)
		return;
	catch_up(p, f, now);
	f->bytes += bytes;
	while (f->bytes >= p->byte_counter) {
		f->bytes -= p->byte_counter;
		if (at_line(p, f)) {
			f->bytes %= p->byte_counter;
			break;
		}
		f->b_cnt++;
		increase(p, f);
	}
}

static inline uint8_t
on_ce(const struct dcqcn_params *p, struct dcqcn_flow *f, uint64_t now)
{
	if (f->np_sent && now - f->np_cnp_ps < p->cnp_interval_ps)
		return 0;
	f->np_sent = 1;
	f->np_cnp_ps = now;
	return 1;
}

static void
dcqcn_on_events(void *state, const struct fab_cc_event *ev, uint16_t n, uint8_t *cnp)
{
	const struct dcqcn_params *p = state;
	uint16_t i;

	for (i = 0; i < n; i++) {
		struct dcqcn_flow *f = ev[i].flow;

		cnp[i] = 0;
		switch (ev[i].kind) {
		case FAB_CC_EV_CE:
			cnp[i] = on_ce(p, f, ev[i].now_ps);
			break;
		case FAB_CC_EV_CNP:
			on_cnp(p, f, ev[i].now_ps);
			break;
		case FAB_CC_EV_TX:
			on_tx(p, f, ev[i].now_ps, ev[i].bytes);
			break;
		default:
			/* DCQCN reacts to neither ACKs, NAKs nor timeouts. */
			break;
		}
	}
}

static uint64_t
dcqcn_rate(void *state, void *flow, uint64_t now_ps)
{
	const struct dcqcn_params *p = state;
	struct dcqcn_flow *f = flow;

	catch_up(p, f, now_ps);
	return f->rc;
}

static const struct fab_cc_ops cc_dcqcn_ops = {
	.create = dcqcn_create,
	.free = dcqcn_free,
	.flow_size = sizeof(struct dcqcn_flow),
	.flow_init = dcqcn_flow_init,
	.on_events = dcqcn_on_events,
	.rate = dcqcn_rate,
};

FAB_PLUGIN_DEFINE(cc_dcqcn, CC_DCQCN_NAME, "1.0.0", FAB_PLUGIN_CC, &cc_dcqcn_ops,
	"DCQCN: CNP per interval at the receiver; cut, fast recovery, additive and"
	" hyper increase at the sender");
