/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/* The sending side of PFC: which priorities we hold paused at the peer. */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>

#include "fab_pfc.h"
#include "fab_pfc_private.h"

RTE_LOG_REGISTER(fab_pfc_logtype, rocefab.pfc, INFO);

struct fab_pfc_tx {
	uint64_t refresh_ps;
	uint16_t pause_quanta;
	uint8_t enable_mask;
	uint8_t xoff_mask;       /* priorities held paused */
	uint8_t xoff_sent_mask;  /* of those, the ones the peer has been told */
	uint8_t xon_mask;        /* resumes waiting to be sent */
	/* Per priority: next refresh when held paused, else when its XON waits from. */
	uint64_t due[FAB_NUM_PRIO];
	/* The earliest of due[]: asked for at every event of every port, changed rarely. */
	uint64_t next_due;
	struct fab_pfc_tx_stats stats;
};

static void
update_next_due(struct fab_pfc_tx *tx)
{
	uint64_t next = FAB_PFC_NEVER;
	unsigned int p;

	for (p = 0; p < FAB_NUM_PRIO; p++)
		if (tx->due[p] < next)
			next = tx->due[p];
	tx->next_due = next;
}

struct fab_pfc_tx *
fab_pfc_tx_create(const struct fab_pfc_tx_conf *conf)
{
	struct fab_pfc_tx *tx;
	uint64_t pause_ps;
	unsigned int p;

	if (conf == NULL || conf->rate_bps == 0) {
		FAB_PFC_LOG(ERR, "tx: no configuration or rate 0\n");
		rte_errno = EINVAL;
		return NULL;
	}
	tx = calloc(1, sizeof(*tx));
	if (tx == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	tx->pause_quanta = conf->pause_quanta != 0 ? conf->pause_quanta :
			FAB_PFC_PAUSE_QUANTA_DEFAULT;
	pause_ps = fab_pfc_quanta_to_ps(tx->pause_quanta, conf->rate_bps);
	/* Half the pause leaves the peer a whole half to hear the refresh. */
	tx->refresh_ps = conf->refresh_ps != 0 ? conf->refresh_ps : pause_ps / 2;
	if (tx->refresh_ps == 0 || tx->refresh_ps >= pause_ps) {
		FAB_PFC_LOG(ERR, "tx: refresh %" PRIu64 " ps must be below the pause time %"
			PRIu64 " ps\n", tx->refresh_ps, pause_ps);
		free(tx);
		rte_errno = EINVAL;
		return NULL;
	}
	tx->enable_mask = conf->enable_mask;
	for (p = 0; p < FAB_NUM_PRIO; p++)
		tx->due[p] = FAB_PFC_NEVER;
	tx->next_due = FAB_PFC_NEVER;
	return tx;
}

void
fab_pfc_tx_free(struct fab_pfc_tx *tx)
{
	free(tx);
}

static int
check_prio(const struct fab_pfc_tx *tx, uint8_t prio)
{
	if (prio >= FAB_NUM_PRIO)
		return -EINVAL;
	if ((tx->enable_mask & (1u << prio)) == 0)
		return -ENOTSUP;
	return 0;
}

int
fab_pfc_tx_xoff(struct fab_pfc_tx *tx, uint8_t prio, uint64_t now)
{
	uint8_t bit = (uint8_t)(1u << prio);
	int ret = check_prio(tx, prio);

	if (ret < 0)
		return ret;
	if (tx->xoff_mask & bit)
		return 0;
	tx->xon_mask &= (uint8_t)~bit;
	tx->xoff_mask |= bit;
	tx->xoff_sent_mask &= (uint8_t)~bit;
	tx->due[prio] = now;
	update_next_due(tx);
	return 0;
}

int
fab_pfc_tx_xon(struct fab_pfc_tx *tx, uint8_t prio, uint64_t now)
{
	uint8_t bit = (uint8_t)(1u << prio);
	int ret = check_prio(tx, prio);

	if (ret < 0)
		return ret;
	if ((tx->xoff_mask & bit) == 0)
		return 0;
	tx->xoff_mask &= (uint8_t)~bit;
	if (tx->xoff_sent_mask & bit) {
		tx->xon_mask |= bit;
		tx->due[prio] = now;
	} else {
		/* The peer never heard the XOFF: telling it to resume is noise. */
		tx->due[prio] = FAB_PFC_NEVER;
	}
	tx->xoff_sent_mask &= (uint8_t)~bit;
	update_next_due(tx);
	return 0;
}

uint64_t
fab_pfc_tx_next_event(const struct fab_pfc_tx *tx)
{
	return tx->next_due;
}

bool
fab_pfc_tx_poll(struct fab_pfc_tx *tx, uint64_t now, uint8_t *enable,
		uint16_t quanta[FAB_NUM_PRIO])
{
	unsigned int p;

	*enable = 0;
	memset(quanta, 0, sizeof(uint16_t) * FAB_NUM_PRIO);
	if (fab_pfc_tx_next_event(tx) > now)
		return false;

	/*
	 * The frame goes out anyway, so it refreshes every standing pause, not
	 * only the one due: fewer frames, and the refreshes stay aligned.
	 */
	for (p = 0; p < FAB_NUM_PRIO; p++) {
		uint8_t bit = (uint8_t)(1u << p);

		if (tx->xoff_mask & bit) {
			*enable |= bit;
			quanta[p] = tx->pause_quanta;
			tx->due[p] = now + tx->refresh_ps;
			tx->stats.pause[p]++;
		} else if (tx->xon_mask & bit) {
			*enable |= bit;
			tx->due[p] = FAB_PFC_NEVER;
			tx->stats.resume[p]++;
		}
	}
	tx->xoff_sent_mask = tx->xoff_mask;
	tx->xon_mask = 0;
	tx->stats.frames++;
	update_next_due(tx);
	return true;
}

bool
fab_pfc_tx_is_xoff(const struct fab_pfc_tx *tx, uint8_t prio)
{
	return prio < FAB_NUM_PRIO && (tx->xoff_mask & (1u << prio)) != 0;
}

uint64_t
fab_pfc_tx_refresh_ps(const struct fab_pfc_tx *tx)
{
	return tx->refresh_ps;
}

void
fab_pfc_tx_stats_get(const struct fab_pfc_tx *tx, struct fab_pfc_tx_stats *out)
{
	*out = tx->stats;
}
