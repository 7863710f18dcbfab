/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * lb-spray: per-packet spraying, for comparison with ECMP. A flow is spread
 * over every member of its group (in the proportions of the bucket table,
 * hence weights are honoured) and may arrive out of order.
 *
 * args "mode=rr" (the default): the packets of a group take its buckets in
 * turn, so members share them exactly, as round-robin sprayers (DRB) do and
 * queues stay within a frame or two of each other.
 * args "mode=random": each packet draws a bucket from the policy's seeded
 * PRNG; at full load the members' shares drift apart like a random walk.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <fab_ecn.h>
#include <fab_plugin.h>
#include <fab_route.h>

#define LB_SPRAY_NAME "lb-spray"

/* Turn counters, one per group, found by the group's address (a switch has few groups). */
#define LB_SPRAY_TURNS 256

struct lb_spray_state {
	bool random;
	struct fab_rng rng;
	uint32_t turn[LB_SPRAY_TURNS];
};

static void *
lb_spray_create(const struct fab_lb_conf *conf)
{
	struct lb_spray_state *st;
	bool random = false;

	if (conf->args != NULL && conf->args[0] != '\0') {
		if (strcmp(conf->args, "mode=random") == 0) {
			random = true;
		} else if (strcmp(conf->args, "mode=rr") != 0) {
			if (conf->host != NULL)
				conf->host->log(FAB_PLUGIN_LOG_ERR, LB_SPRAY_NAME,
					"takes mode=rr or mode=random, got '%s'", conf->args);
			return NULL;
		}
	}
	st = calloc(1, sizeof(*st));
	if (st == NULL)
		return NULL;
	st->random = random;
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
		if (st->random) {
			/* A uniform bucket: the table size is a power of two, no bias. */
			member[i] = fab_nh_group_select(g, fab_rng_next(&st->rng));
		} else {
			/* Buckets hold members round robin: walking them is round robin. */
			uint32_t *turn = &st->turn[((uintptr_t)g >> 6) % LB_SPRAY_TURNS];

			member[i] = fab_nh_group_select(g, (*turn)++);
		}
	}
}

static const struct fab_lb_ops lb_spray_ops = {
	.create = lb_spray_create,
	.free = lb_spray_free,
	.select = lb_spray_select,
};

FAB_PLUGIN_DEFINE(lb_spray, LB_SPRAY_NAME, "1.0.0", FAB_PLUGIN_LB, &lb_spray_ops,
	"per-packet spraying: round robin over the group's buckets, or random (mode=random)");
