/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * lb-spray: per-packet spraying, for comparison with ECMP. Each packet
 * takes a bucket of its group drawn from the policy's own seeded PRNG, so
 * a flow is spread over every member (in the proportions of the bucket
 * table, hence weights are honoured) and may arrive out of order.
 */

#include <stdlib.h>

#include <fab_ecn.h>
#include <fab_plugin.h>
#include <fab_route.h>

#define LB_SPRAY_NAME "lb-spray"

struct lb_spray_state {
	struct fab_rng rng;
};

static void *
lb_spray_create(const struct fab_lb_conf *conf)
{
	struct lb_spray_state *st;

	if (conf->args != NULL && conf->args[0] != '\0') {
		if (conf->host != NULL)
			conf->host->log(FAB_PLUGIN_LOG_ERR, LB_SPRAY_NAME,
				"takes no arguments, got '%s'", conf->args);
		return NULL;
	}
	st = calloc(1, sizeof(*st));
	if (st == NULL)
		return NULL;
	fab_rng_seed(&st->rng, conf->seed);
	return st;
}

static void
lb_spray_free(void *state)
{
	free(state);
}

static void
lb_spray_select(void *state, const struct fab_pkt_meta *const *pkts,
		const struct fab_nh_group *const *groups, uint16_t n, uint16_t *member)
{
	struct lb_spray_state *st = state;
	uint16_t i;

	RTE_SET_USED(pkts);
	for (i = 0; i < n; i++) {
		const struct fab_nh_group *g = groups[i];

		if (g->n_members <= 1) {
			member[i] = 0;
			continue;
		}
		/* A uniform bucket: the table size is a power of two, no bias. */
		member[i] = fab_nh_group_select(g, fab_rng_next(&st->rng));
	}
}

static const struct fab_lb_ops lb_spray_ops = {
	.create = lb_spray_create,
	.free = lb_spray_free,
	.select = lb_spray_select,
};

FAB_PLUGIN_DEFINE(lb_spray, LB_SPRAY_NAME, "1.0.0", FAB_PLUGIN_LB, &lb_spray_ops,
	"per-packet spraying over the group's buckets from a seeded PRNG");
