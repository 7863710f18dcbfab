/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * Ports mode: each local host on its DPDK port, in real time (the TSC in
 * picoseconds). Busy while there is work; when nothing is due, sleep until
 * the next event or 100 us at most, so that several DPDK processes share a
 * couple of cores.
 */

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_ethdev.h>

#include <fab_clock.h>

#include "gen_app.h"

#define MAX_SLEEP_PS UINT64_C(100000000)
/* Passes that find nothing to do before the loop starts sleeping. */
#define IDLE_PASSES 64

static uint16_t
port_tx(struct gen_app *a, struct gen_host *h, struct rte_mbuf **pkts, const uint64_t *done,
		uint16_t n)
{
	(void)a;
	return fab_port_tx_burst(h->port, done, pkts, n);
}

/* The largest frame an ethdev takes (as rocefab-switch asks af_packet). */
static uint32_t
ethdev_frame_limit(const char *dev, uint32_t want)
{
	uint16_t pid;
	char *end;
	unsigned long v = strtoul(dev, &end, 10);

	if (*dev != '\0' && *end == '\0')
		pid = (uint16_t)v;
	else if (rte_eth_dev_get_port_by_name(dev, &pid) != 0)
		return want;
	return fab_port_ethdev_frame_limit(pid, want);
}

int
gen_open_ports(struct gen_app *a)
{
	uint32_t i, want = fab_gen_max_frame_len(a->gen);

	for (i = 0; i < a->conf.nb_hosts; i++) {
		const struct gen_host_def *hd = &a->conf.hosts[i];
		struct gen_host *h = &a->hosts[i];
		struct fab_port_ethdev_conf ep = {
			.port = { .name = hd->conf.name, .mac = hd->conf.mac,
				.rate_bps = hd->conf.rate_bps },
			.device = hd->port,
			.mempool = a->pool,
		};
		char err[512];

		if (h->sched == NULL)
			continue;
		ep.max_frame_len = ethdev_frame_limit(hd->port, want);
		if (ep.max_frame_len < want) {
			fprintf(stderr, "%s:%u:%u: error: host %s: port %s takes frames of at most %u "
				"bytes, the jobs send %u (make mtu smaller)\n", a->conf.path,
				hd->line, hd->col, hd->conf.name, hd->port, ep.max_frame_len, want);
			return -1;
		}
		h->port = fab_port_create_ethdev(&ep, err, sizeof(err));
		if (h->port == NULL) {
			fprintf(stderr, "%s:%u:%u: error: host %s: %s\n", a->conf.path, hd->line,
				hd->col, hd->conf.name, err);
			return -1;
		}
	}
	return 0;
}

void
gen_close_ports(struct gen_app *a)
{
	uint32_t i;

	for (i = 0; a->hosts != NULL && i < a->conf.nb_hosts; i++) {
		fab_port_free(a->hosts[i].port);
		a->hosts[i].port = NULL;
	}
}

static double
wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint32_t
host_rx(struct gen_app *a, struct gen_host *h, uint64_t now)
{
	struct rte_mbuf *pkts[GEN_BURST];
	uint32_t total = 0;
	uint16_t nb, i;

	do {
		nb = fab_port_rx_burst(h->port, now, pkts, GEN_BURST);
		for (i = 0; i < nb; i++)
			gen_host_rx_frame(a, h, pkts[i], now);
		total += nb;
	} while (nb == GEN_BURST);
	return total;
}

int
gen_run_ports(struct gen_app *a)
{
	struct fab_clock_conf cc = { .mode = FAB_CLOCK_REAL };
	struct fab_clock *clk = fab_clock_create(&cc);
	uint64_t start, now, quiet_since = UINT64_MAX, idle = 0;
	double t0 = wall_now();
	uint32_t i;

	if (clk == NULL) {
		fprintf(stderr, GEN_PROG ": cannot create the clock\n");
		return -1;
	}
	a->tx = port_tx;
	a->ran = true;
	start = fab_clock_now(clk);
	now = start;
	/* The jobs start at their `start` from now on. */
	while (!gen_stop) {
		uint64_t next = UINT64_MAX;
		uint32_t work = 0;
		bool quiet = true;

		now = fab_clock_now(clk) - start;
		for (i = 0; i < a->conf.nb_hosts; i++) {
			struct gen_host *h = &a->hosts[i];

			if (h->sched == NULL)
				continue;
			work += host_rx(a, h, now);
			work += gen_host_step(a, h, now);
			next = RTE_MIN(next, gen_host_next_event(a, h, now));
			quiet = quiet && gen_host_idle(a, h, now);
		}
		if (a->o.duration_ps != 0 && now >= a->o.duration_ps)
			break;
		/*
		 * Done, and quiet: stay a little longer to answer a peer that
		 * lost our last ACK and retransmits.
		 */
		if (fab_gen_done(a->gen) && quiet && work == 0) {
			if (quiet_since == UINT64_MAX)
				quiet_since = now;
			else if (now - quiet_since >= a->o.linger_ps)
				break;
		} else {
			quiet_since = UINT64_MAX;
		}
		if (work != 0) {
			idle = 0;
			continue;
		}
		if (++idle < IDLE_PASSES)
			continue;
		if (next > now) {
			uint64_t d = RTE_MIN(next - now, MAX_SLEEP_PS);
			struct timespec ts = { 0, (long)(d / 1000) };

			nanosleep(&ts, NULL);
		}
	}
	a->end_ps = now;
	a->wall_s = wall_now() - t0;
	for (i = 0; i < a->conf.nb_hosts; i++)
		if (a->hosts[i].port != NULL)
			fab_port_flush(a->hosts[i].port);
	fab_clock_free(clk);
	return 0;
}
