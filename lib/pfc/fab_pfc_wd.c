/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/* PFC watchdog: storm detection and restoration for one lossless queue. */

#include <errno.h>

#include "fab_pfc.h"

int
fab_pfc_wd_conf_check(const struct fab_pfc_wd_conf *conf)
{
	if (conf == NULL || conf->detect_ps == 0 || conf->action >= FAB_PFC_WD_ACTION_MAX)
		return -EINVAL;
	/* The default restoration is twice detection; it must fit in 64 bits. */
	if (conf->restore_ps == 0 && conf->detect_ps > UINT64_MAX / 2)
		return -EINVAL;
	return 0;
}

uint64_t
fab_pfc_wd_restore_ps(const struct fab_pfc_wd_conf *conf)
{
	return conf->restore_ps != 0 ? conf->restore_ps : 2 * conf->detect_ps;
}

void
fab_pfc_wd_init(struct fab_pfc_wd *wd)
{
	wd->stormed = false;
	wd->stall_since = FAB_PFC_NEVER;
	wd->last_ok = 0;
	wd->last_pause_rx = FAB_PFC_NEVER;
	wd->storms = 0;
	wd->restorations = 0;
}

static bool
is_stall(const struct fab_pfc_wd_conf *conf, const struct fab_pfc_wd_sample *s)
{
	if (s->paused_since == FAB_PFC_NEVER)
		return false;
	if (s->queue_nonempty)
		return !s->tx_progress;
	return conf->detect_empty;
}

enum fab_pfc_wd_event
fab_pfc_wd_update(struct fab_pfc_wd *wd, const struct fab_pfc_wd_conf *conf,
		uint64_t now, const struct fab_pfc_wd_sample *s)
{
	wd->last_pause_rx = s->last_pause_rx;

	if (wd->stormed) {
		/* Restored once the peer has been quiet for the restoration time. */
		if (s->last_pause_rx != FAB_PFC_NEVER &&
		    now - s->last_pause_rx < fab_pfc_wd_restore_ps(conf))
			return FAB_PFC_WD_NONE;
		wd->stormed = false;
		wd->restorations++;
		wd->stall_since = FAB_PFC_NEVER;
		wd->last_ok = now;
		return FAB_PFC_WD_RESTORED;
	}

	if (!is_stall(conf, s)) {
		wd->stall_since = FAB_PFC_NEVER;
		wd->last_ok = now;
		return FAB_PFC_WD_NONE;
	}
	if (wd->stall_since == FAB_PFC_NEVER)
		wd->stall_since = s->paused_since > wd->last_ok ? s->paused_since : wd->last_ok;
	if (now - wd->stall_since < conf->detect_ps)
		return FAB_PFC_WD_NONE;
	wd->stormed = true;
	wd->storms++;
	wd->stall_since = FAB_PFC_NEVER;
	return FAB_PFC_WD_DETECTED;
}

uint64_t
fab_pfc_wd_next_event(const struct fab_pfc_wd *wd, const struct fab_pfc_wd_conf *conf)
{
	if (wd->stormed) {
		if (wd->last_pause_rx == FAB_PFC_NEVER)
			return 0;
		return wd->last_pause_rx + fab_pfc_wd_restore_ps(conf);
	}
	if (wd->stall_since != FAB_PFC_NEVER)
		return wd->stall_since + conf->detect_ps;
	return FAB_PFC_NEVER;
}
