/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#include <rte_cycles.h>

#include "fab_clock.h"

/* The wall clock expressed on the virtual time line: start_ps at creation. */
static uint64_t
wall_as_virtual(const struct fab_clock *c)
{
	uint64_t elapsed;

	if (c->wall_now != NULL)
		elapsed = c->wall_now(c->wall_arg) - c->wall_base;
	else
		elapsed = fab_clock_cycles_to_ps(&c->conv, rte_rdtsc() - c->tsc_base);
	return c->start_ps + elapsed;
}

int
fab_clock_pace(struct fab_clock *c, uint64_t target_ps, uint64_t *wait_ps)
{
	uint64_t wall, slip;

	if (wait_ps != NULL)
		*wait_ps = 0;
	if (c->mode != FAB_CLOCK_PACED)
		return -ENOTSUP;
	if (target_ps < c->virtual_ps)
		return -EINVAL;
	wall = wall_as_virtual(c);
	if (target_ps > wall) {
		c->pace.waits++;
		if (wait_ps != NULL)
			*wait_ps = target_ps - wall;
		return -EAGAIN;
	}
	/*
	 * Virtual time never jumps forward to catch up: that would change
	 * what the simulation computes. It only records how far behind it is.
	 */
	slip = wall - target_ps;
	c->virtual_ps = target_ps;
	c->pace.paces++;
	c->pace.slip_ps = slip;
	if (slip > c->pace.max_slip_ps)
		c->pace.max_slip_ps = slip;
	if (slip > c->slip_tolerance_ps)
		c->pace.late++;
	return 0;
}

uint64_t
fab_clock_lag_ps(const struct fab_clock *c)
{
	uint64_t wall;

	if (c->mode != FAB_CLOCK_PACED)
		return 0;
	wall = wall_as_virtual(c);
	return wall > c->virtual_ps ? wall - c->virtual_ps : 0;
}

int
fab_clock_pace_stats(const struct fab_clock *c, struct fab_clock_pace_stats *out)
{
	if (c->mode != FAB_CLOCK_PACED)
		return -ENOTSUP;
	*out = c->pace;
	return 0;
}
