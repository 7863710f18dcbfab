/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * ecn-step: DCTCP's marking, a step at K per class: mark every ECT packet
 * that sees an instantaneous egress queue above K bytes. No randomness.
 */

#include <stdlib.h>

#include <fab_ecn.h>
#include <fab_plugin.h>

#define ECN_STEP_NAME "ecn-step"

struct ecn_step_state {
	/* UINT32_MAX for a disabled class: no queue is deeper, nothing marks. */
	uint32_t k_bytes[FAB_NUM_PRIO];
	bool enabled[FAB_NUM_PRIO];
};

static void *
ecn_step_create(const struct fab_ecn_conf *conf)
{
	struct ecn_step_state *st;
	unsigned int c;

	if (conf->args != NULL && conf->args[0] != '\0') {
		if (conf->host != NULL)
			conf->host->log(FAB_PLUGIN_LOG_ERR, ECN_STEP_NAME,
				"takes no arguments, got '%s'", conf->args);
		return NULL;
	}
	st = calloc(1, sizeof(*st));
	if (st == NULL)
		return NULL;
	for (c = 0; c < FAB_NUM_PRIO; c++) {
		st->enabled[c] = conf->cls[c].enabled;
		st->k_bytes[c] = conf->cls[c].enabled ? conf->cls[c].k_bytes : UINT32_MAX;
	}
	return st;
}

static void
ecn_step_free(void *state)
{
	free(state);
}

static void
ecn_step_decide(void *state, const uint8_t *cls, const uint32_t *queue_bytes,
		uint16_t n, uint8_t *mark)
{
	const struct ecn_step_state *st = state;
	uint16_t i;

	for (i = 0; i < n; i++) {
		uint8_t c = cls[i];

		mark[i] = c < FAB_NUM_PRIO && st->enabled[c] &&
			fab_ecn_step_decide(queue_bytes[i], st->k_bytes[c]);
	}
}

/* Nothing at or below K (UINT32_MAX for a disabled class). */
static uint32_t
ecn_step_quiet_depth(const void *state, uint8_t cls)
{
	const struct ecn_step_state *st = state;

	return cls < FAB_NUM_PRIO ? st->k_bytes[cls] : UINT32_MAX;
}

static const struct fab_ecn_ops ecn_step_ops = {
	.create = ecn_step_create,
	.free = ecn_step_free,
	.decide = ecn_step_decide,
	.quiet_depth = ecn_step_quiet_depth,
};

FAB_PLUGIN_DEFINE(ecn_step, ECN_STEP_NAME, "1.0.0", FAB_PLUGIN_ECN, &ecn_step_ops,
	"DCTCP-style step: mark when the instantaneous queue exceeds K per class");
