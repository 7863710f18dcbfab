/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#include "fab_sched.h"
#include "fab_sched_private.h"

void
fab_sched_pause(struct fab_sched *s, uint8_t cls, uint64_t now, uint64_t until_ps)
{
	struct fab_sched_queue *q;

	if (cls >= FAB_NUM_PRIO)
		return;
	q = &s->cls[cls];
	/* Time must not run backwards here, or paused time would be counted twice. */
	if (now < q->pause_acct_from)
		now = q->pause_acct_from;

	/* Close the accounting up to now, then describe the pause from now on. */
	q->paused_ps += fab_sched_pause_open_ps(q, now);
	q->pause_acct_from = now;

	if (until_ps > now) {
		/*
		 * A refresh while paused keeps the original start: the class has
		 * been paused throughout. A new pause starts now, so frames that
		 * started earlier (released late by a catching-up shaper) are not
		 * held back by a pause that arrived after them.
		 */
		if (q->paused_until <= now)
			q->pause_start = now;
		q->paused_until = until_ps;
	} else if (q->paused_until > now) {
		q->paused_until = now;
	}
}
