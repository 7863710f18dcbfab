/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * ecn-red: the default ECN policy. Per class, a RED-style ramp on the
 * instantaneous egress queue (DCQCN's congestion point): no mark at or
 * below Kmin, probability Pmax * (q - Kmin) / (Kmax - Kmin) up to Kmax,
 * every packet above Kmax. Draws come from the policy's own PRNG, seeded
 * from the config, and only inside the ramp.
 */

#include <stdlib.h>

#include <fab_ecn.h>
#include <fab_plugin.h>

#define ECN_RED_NAME "ecn-red"

struct ecn_red_state {
	struct fab_ecn_red_config cls[FAB_NUM_PRIO];
	bool enabled[FAB_NUM_PRIO];
	struct fab_rng rng;
};

static void *
ecn_red_create(const struct fab_ecn_conf *conf)
{
	const struct fab_plugin_host *host = conf->host;
	struct ecn_red_state *st;
	unsigned int c;

	if (conf->args != NULL && conf->args[0] != '\0') {
		if (host != NULL)
			host->log(FAB_PLUGIN_LOG_ERR, ECN_RED_NAME,
				"takes no arguments, got '%s'", conf->args);
		return NULL;
	}
	st = calloc(1, sizeof(*st));
	if (st == NULL)
		return NULL;
	for (c = 0; c < FAB_NUM_PRIO; c++) {
		const struct fab_ecn_class *cc = &conf->cls[c];
		struct fab_ecn_red_params params = {
			.kmin_bytes = cc->kmin_bytes,
			.kmax_bytes = cc->kmax_bytes,
			.pmax = cc->pmax,
		};

		st->enabled[c] = cc->enabled;
		if (!cc->enabled)
			continue;
		if (fab_ecn_red_config_init(&st->cls[c], &params) < 0) {
			if (host != NULL)
				host->log(FAB_PLUGIN_LOG_ERR, ECN_RED_NAME,
					"class %u: need kmin <= kmax and pmax in [0, 1],"
					" got kmin %u kmax %u pmax %g", c,
					cc->kmin_bytes, cc->kmax_bytes, cc->pmax);
			free(st);
			return NULL;
		}
	}
	fab_rng_seed(&st->rng, conf->seed);
	return st;
}

static void
ecn_red_free(void *state)
{
	free(state);
}

static void
ecn_red_decide(void *state, const uint8_t *cls, const uint32_t *queue_bytes,
		uint16_t n, uint8_t *mark)
{
	struct ecn_red_state *st = state;
	/*
	 * The generator is kept in a local for the burst: stores to mark[]
	 * (bytes, which may alias anything) would otherwise force it to be
	 * reloaded from and written back to memory at every packet.
	 */
	struct fab_rng rng = st->rng;
	uint16_t i;

	for (i = 0; i < n; i++) {
		uint8_t c = cls[i];

		if (c >= FAB_NUM_PRIO || !st->enabled[c]) {
			mark[i] = 0;
			continue;
		}
		mark[i] = fab_ecn_red_mark(&st->cls[c], queue_bytes[i], &rng);
	}
	st->rng = rng;
}

/* At or below Kmin the ramp neither marks nor draws. */
static uint32_t
ecn_red_quiet_depth(const void *state, uint8_t cls)
{
	const struct ecn_red_state *st = state;

	if (cls >= FAB_NUM_PRIO || !st->enabled[cls])
		return UINT32_MAX;
	return st->cls[cls].kmin_bytes;
}

static const struct fab_ecn_ops ecn_red_ops = {
	.create = ecn_red_create,
	.free = ecn_red_free,
	.decide = ecn_red_decide,
	.quiet_depth = ecn_red_quiet_depth,
};

FAB_PLUGIN_DEFINE(ecn_red, ECN_RED_NAME, "1.0.0", FAB_PLUGIN_ECN, &ecn_red_ops,
	"RED-style ramp: Kmin, Kmax, Pmax per class on the instantaneous queue");
