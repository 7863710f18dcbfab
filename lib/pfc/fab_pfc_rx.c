/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/* The receiving side of PFC: how long each egress class is held paused. */

#include <errno.h>
#include <stdlib.h>

#include <rte_errno.h>

#include "fab_pfc.h"
#include "fab_pfc_private.h"

struct fab_pfc_rx {
	uint64_t rate_bps;
	bool honor_pause;
	uint8_t ignore_mask;
	uint8_t prio_to_class[FAB_NUM_PRIO];
	uint64_t prio_until[FAB_NUM_PRIO];
	/* Per class: the current (or last) pause interval [since, until]. */
	uint64_t until[FAB_NUM_PRIO];
	uint64_t since[FAB_NUM_PRIO];
	bool open[FAB_NUM_PRIO];          /* interval not yet added to paused_acc */
	uint64_t paused_acc[FAB_NUM_PRIO];
	uint64_t last_pause[FAB_NUM_PRIO];
	struct fab_pfc_rx_stats stats;
};

struct fab_pfc_rx *
fab_pfc_rx_create(const struct fab_pfc_rx_conf *conf)
{
	struct fab_pfc_rx *rx;
	unsigned int p;

	if (conf == NULL || conf->rate_bps == 0) {
		FAB_PFC_LOG(ERR, "rx: no configuration or rate 0\n");
		rte_errno = EINVAL;
		return NULL;
	}
	for (p = 0; p < FAB_NUM_PRIO; p++)
		if (conf->use_prio_map && conf->prio_to_class[p] >= FAB_NUM_PRIO) {
			FAB_PFC_LOG(ERR, "rx: priority %u maps to class %u\n",
				p, conf->prio_to_class[p]);
			rte_errno = EINVAL;
			return NULL;
		}
	rx = calloc(1, sizeof(*rx));
	if (rx == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	rx->rate_bps = conf->rate_bps;
	rx->honor_pause = conf->honor_pause;
	rx->ignore_mask = conf->ignore_mask;
	for (p = 0; p < FAB_NUM_PRIO; p++) {
		rx->prio_to_class[p] = conf->use_prio_map ? conf->prio_to_class[p] : (uint8_t)p;
		rx->last_pause[p] = FAB_PFC_NEVER;
	}
	return rx;
}

void
fab_pfc_rx_free(struct fab_pfc_rx *rx)
{
	free(rx);
}

/* Move a class's pause end to new_until (>= now), keeping the paused-time account. */
static void
class_set_until(struct fab_pfc_rx *rx, uint8_t cls, uint64_t now, uint64_t new_until)
{
	/* A refresh that lands exactly at the end continues the pause. */
	bool continuing = rx->open[cls] && rx->until[cls] >= now;

	if (continuing) {
		if (new_until > now) {
			rx->until[cls] = new_until;
			return;
		}
		rx->paused_acc[cls] += now - rx->since[cls];
		rx->until[cls] = now;
		rx->open[cls] = false;
		return;
	}
	if (rx->open[cls]) {
		rx->paused_acc[cls] += rx->until[cls] - rx->since[cls];
		rx->open[cls] = false;
	}
	if (new_until > now) {
		rx->since[cls] = now;
		rx->until[cls] = new_until;
		rx->open[cls] = true;
	}
}

int
fab_pfc_rx_frame(struct fab_pfc_rx *rx, uint64_t now, const struct fab_pfc_frame *f,
		uint64_t until_out[FAB_NUM_PRIO], uint8_t *changed_mask)
{
	uint8_t enable, touched = 0, changed = 0;
	unsigned int p, c;

	if (changed_mask != NULL)
		*changed_mask = 0;
	if (rx == NULL || f == NULL)
		return -EINVAL;
	if (f->opcode == FAB_MAC_CTRL_PFC) {
		rx->stats.pfc_frames++;
		enable = f->enable;
	} else if (f->opcode == FAB_MAC_CTRL_PAUSE) {
		if (!rx->honor_pause) {
			rx->stats.pause_ignored++;
			enable = 0;
		} else {
			rx->stats.pause_frames++;
			enable = 0xff;
		}
	} else {
		return -EINVAL;
	}

	for (p = 0; p < FAB_NUM_PRIO; p++) {
		uint8_t bit = (uint8_t)(1u << p);
		/* PAUSE has one time for all; lib/pkt repeats it, but do not rely on that. */
		uint16_t q = f->opcode == FAB_MAC_CTRL_PAUSE ? f->quanta[0] : f->quanta[p];
		uint8_t cls = rx->prio_to_class[p];

		if ((enable & bit) == 0)
			continue;
		if (rx->ignore_mask & bit) {
			rx->stats.prio_ignored++;
			continue;
		}
		rx->prio_until[p] = q != 0 ? now + fab_pfc_quanta_to_ps(q, rx->rate_bps) : now;
		touched |= (uint8_t)(1u << cls);
		rx->stats.frames[cls]++;
		if (q != 0) {
			rx->stats.pauses[cls]++;
			rx->last_pause[cls] = now;
		} else {
			rx->stats.resumes[cls]++;
		}
	}

	for (c = 0; c < FAB_NUM_PRIO; c++) {
		uint64_t new_until = now, old_end;

		if ((touched & (1u << c)) == 0)
			continue;
		/* A queue holding several priorities waits for the last of them. */
		for (p = 0; p < FAB_NUM_PRIO; p++)
			if (rx->prio_to_class[p] == c && rx->prio_until[p] > new_until)
				new_until = rx->prio_until[p];
		old_end = rx->until[c] > now ? rx->until[c] : now;
		if (old_end != new_until)
			changed |= (uint8_t)(1u << c);
		class_set_until(rx, (uint8_t)c, now, new_until);
	}

	if (until_out != NULL)
		for (c = 0; c < FAB_NUM_PRIO; c++)
			until_out[c] = rx->until[c];
	if (changed_mask != NULL)
		*changed_mask = changed;
	return 0;
}

uint64_t
fab_pfc_rx_paused_until(const struct fab_pfc_rx *rx, uint8_t cls)
{
	return cls < FAB_NUM_PRIO ? rx->until[cls] : 0;
}

uint64_t
fab_pfc_rx_paused_since(const struct fab_pfc_rx *rx, uint8_t cls, uint64_t now)
{
	if (cls >= FAB_NUM_PRIO || !rx->open[cls] || rx->until[cls] <= now)
		return FAB_PFC_NEVER;
	return rx->since[cls];
}

uint64_t
fab_pfc_rx_last_pause(const struct fab_pfc_rx *rx, uint8_t cls)
{
	return cls < FAB_NUM_PRIO ? rx->last_pause[cls] : FAB_PFC_NEVER;
}

uint64_t
fab_pfc_rx_paused_ps(const struct fab_pfc_rx *rx, uint8_t cls, uint64_t now)
{
	uint64_t end;

	if (cls >= FAB_NUM_PRIO)
		return 0;
	if (!rx->open[cls])
		return rx->paused_acc[cls];
	end = rx->until[cls] < now ? rx->until[cls] : now;
	return rx->paused_acc[cls] + (end > rx->since[cls] ? end - rx->since[cls] : 0);
}

uint64_t
fab_pfc_rx_next_event(const struct fab_pfc_rx *rx, uint64_t now)
{
	uint64_t next = FAB_PFC_NEVER;
	unsigned int c;

	for (c = 0; c < FAB_NUM_PRIO; c++)
		if (rx->until[c] > now && rx->until[c] < next)
			next = rx->until[c];
	return next;
}

void
fab_pfc_rx_stats_get(const struct fab_pfc_rx *rx, struct fab_pfc_rx_stats *out)
{
	*out = rx->stats;
}
