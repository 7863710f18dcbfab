/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef FAB_SCHED_PRIVATE_H
#define FAB_SCHED_PRIVATE_H

#include <stdint.h>

#include <rte_log.h>

#include "fab_sched.h"

/** Picoseconds per second (lib/clock's FAB_PS_PER_SEC, without depending on it). */
#define FAB_PS_PER_SEC_SCHED 1000000000000ull

extern int fab_sched_logtype;

#define FAB_SCHED_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, fab_sched_logtype, "rocefab.sched: " fmt "\n", ##__VA_ARGS__)

/*
 * Pause time of @p q not yet added to paused_ps: the part of the current
 * pause between pause_acct_from and the earlier of its end and @p now.
 */
static inline uint64_t
fab_sched_pause_open_ps(const struct fab_sched_queue *q, uint64_t now)
{
	uint64_t end = RTE_MIN(q->paused_until, now);

	return end > q->pause_acct_from ? end - q->pause_acct_from : 0;
}

#endif /* FAB_SCHED_PRIVATE_H */
