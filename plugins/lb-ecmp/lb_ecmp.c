/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * lb-ecmp: the default load balancer, as ASICs and VPP's load_balance do
 * it: the 5-tuple hashed with the per-switch seed indexes the group's
 * power-of-two bucket table. A flow always takes one member; different
 * seeds on different tiers keep their choices independent. A group of one
 * member is not hashed at all.
 */

#include <stdlib.h>

#include <fab_plugin.h>
#include <fab_route.h>

#define LB_ECMP_NAME "lb-ecmp"

struct lb_ecmp_state {
	uint32_t hash_seed;
};

static void *
lb_ecmp_create(const struct fab_lb_conf *conf)
{
	struct lb_ecmp_state *st;

	if (conf->args != NULL && conf->args[0] != '\0') {
		if (conf->host != NULL)
			conf->host->log(FAB_PLUGIN_LOG_ERR, LB_ECMP_NAME,
				"takes no arguments, got '%s'", conf->args);
		return NULL;
	}
	st = calloc(1, sizeof(*st));
	if (st == NULL)
		return NULL;
	st->hash_seed = conf->hash_seed;
	return st;
}

static void
lb_ecmp_free(void *state)
{
	free(state);
}

static void
lb_ecmp_select(void *state, const struct fab_pkt_meta *const *pkts,
		const struct fab_nh_group *const *groups, uint16_t n, uint16_t *member)
{
	const struct lb_ecmp_state *st = state;
	uint16_t i;

	for (i = 0; i < n; i++) {
		const struct fab_nh_group *g = groups[i];

		if (g->n_members <= 1) {
			member[i] = 0;
			continue;
		}
		member[i] = fab_nh_group_select(g,
			fab_flow_hash(&pkts[i]->key, st->hash_seed));
	}
}

static const struct fab_lb_ops lb_ecmp_ops = {
	.create = lb_ecmp_create,
	.free = lb_ecmp_free,
	.select = lb_ecmp_select,
};

FAB_PLUGIN_DEFINE(lb_ecmp, LB_ECMP_NAME, "1.0.0", FAB_PLUGIN_LB, &lb_ecmp_ops,
	"ECMP: seeded 5-tuple hash into the group's bucket table");
