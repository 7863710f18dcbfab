/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * cc-none: no congestion control. Every QP sends at line rate and the
 * notification point never answers a CE mark, so a fabric run with it
 * shows what PFC alone does.
 */

#include <stdlib.h>
#include <string.h>

#include <fab_plugin.h>

#define CC_NONE_NAME "cc-none"

struct cc_none_state {
	uint64_t line_rate_bps;
};

static void *
cc_none_create(const struct fab_cc_conf *conf)
{
	const struct fab_plugin_host *host = conf->host;
	struct cc_none_state *st;

	if (conf->args != NULL && conf->args[0] != '\0') {
		if (host != NULL)
			host->log(FAB_PLUGIN_LOG_ERR, CC_NONE_NAME,
				"takes no arguments, got '%s'", conf->args);
		return NULL;
	}
	if (conf->line_rate_bps == 0) {
		if (host != NULL)
			host->log(FAB_PLUGIN_LOG_ERR, CC_NONE_NAME,
				"line_rate_bps must be above 0");
		return NULL;
	}
	st = calloc(1, sizeof(*st));
	if (st == NULL)
		return NULL;
	st->line_rate_bps = conf->line_rate_bps;
	return st;
}

static void
cc_none_free(void *state)
{
	free(state);
}

static void
cc_none_flow_init(void *state, void *flow, uint64_t now_ps)
{
	RTE_SET_USED(state);
	RTE_SET_USED(now_ps);
	memset(flow, 0, sizeof(uint64_t));
}

static void
cc_none_on_events(void *state, const struct fab_cc_event *ev, uint16_t n, uint8_t *cnp)
{
	RTE_SET_USED(state);
	RTE_SET_USED(ev);
	memset(cnp, 0, n);
}

static uint64_t
cc_none_rate(void *state, void *flow, uint64_t now_ps)
{
	const struct cc_none_state *st = state;

	RTE_SET_USED(flow);
	RTE_SET_USED(now_ps);
	return st->line_rate_bps;
}

static const struct fab_cc_ops cc_none_ops = {
	.create = cc_none_create,
	.free = cc_none_free,
	/* The host wants a non-empty area; this policy keeps nothing in it. */
	.flow_size = 8,
	.flow_init = cc_none_flow_init,
	.on_events = cc_none_on_events,
	.rate = cc_none_rate,
};

FAB_PLUGIN_DEFINE(cc_none, CC_NONE_NAME, "1.0.0", FAB_PLUGIN_CC, &cc_none_ops,
	"no congestion control: line rate always, never a CNP");
