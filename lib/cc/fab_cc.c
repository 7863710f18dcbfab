/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * Loading a congestion-control plugin and creating its state. The per-QP
 * calls are one indirect call each: the ops pointer is the first member so
 * the hot path touches one cache line.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_errno.h>

#include "fab_err.h"
#include "fab_cc.h"

struct fab_cc {
	const struct fab_cc_ops *ops;
	void *state;
	uint32_t flow_size;
	struct fab_plugin *plugin;
};


struct fab_cc *
fab_cc_create(const char *name, const char *plugin_path,
		const struct fab_cc_conf *conf, char *err, size_t errlen)
{
	struct fab_cc_conf c;
	struct fab_cc *cc;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (name == NULL || conf == NULL) {
		fab_set_err(err, errlen, "congestion control: no plugin name or no configuration");
		rte_errno = EINVAL;
		return NULL;
	}
	cc = calloc(1, sizeof(*cc));
	if (cc == NULL) {
		fab_set_err(err, errlen, "congestion control %s: out of memory", name);
		rte_errno = ENOMEM;
		return NULL;
	}
	/* The loader's message already names the plugin, and its kind when wrong. */
	cc->plugin = fab_plugin_load(name, plugin_path, FAB_PLUGIN_CC, err, errlen);
	if (cc->plugin == NULL)
		goto fail; /* rte_errno set by the loader */
	cc->ops = fab_plugin_cc_ops(cc->plugin);
	c = *conf;
	if (c.host == NULL)
		c.host = fab_plugin_host_default();
	cc->state = cc->ops->create(&c);
	if (cc->state == NULL) {
		fab_set_err(err, errlen,
			"congestion control %s refused its configuration (line rate %" PRIu64
			" bps, args '%s'); the log says why", name, conf->line_rate_bps,
			conf->args != NULL ? conf->args : "");
		rte_errno = EINVAL;
		goto fail;
	}
	cc->flow_size = RTE_ALIGN_CEIL(cc->ops->flow_size, 8);
	return cc;

fail:
	fab_plugin_unload(cc->plugin);
	free(cc);
	return NULL;
}

void
fab_cc_free(struct fab_cc *cc)
{
	if (cc == NULL)
		return;
	cc->ops->free(cc->state);
	fab_plugin_unload(cc->plugin);
	free(cc);
}

uint32_t
fab_cc_flow_size(const struct fab_cc *cc)
{
	return cc->flow_size;
}

void
fab_cc_flow_init(struct fab_cc *cc, void *flow, uint64_t now_ps)
{
	cc->ops->flow_init(cc->state, flow, now_ps);
}

void
fab_cc_events(struct fab_cc *cc, const struct fab_cc_event *ev, uint16_t n, uint8_t *cnp)
{
	cc->ops->on_events(cc->state, ev, n, cnp);
}

uint64_t
fab_cc_rate(struct fab_cc *cc, void *flow, uint64_t now_ps)
{
	return cc->ops->rate(cc->state, flow, now_ps);
}

const char *
fab_cc_name(const struct fab_cc *cc)
{
	return fab_plugin_get_desc(cc->plugin)->name;
}
