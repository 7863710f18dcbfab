/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/* The ECMP bucket table: a pure function, no EAL needed. */

#include <errno.h>
#include <string.h>

#include <rte_common.h>

#include "fab_route.h"

int
fab_nh_group_init(struct fab_nh_group *g, const uint32_t *members, uint16_t n,
		uint16_t min_buckets)
{
	uint32_t n_buckets, i;
	uint16_t m;

	if (g == NULL || members == NULL || n == 0 ||
			n > FAB_NH_GROUP_MAX_MEMBERS)
		return -EINVAL;
	if (min_buckets == 0)
		min_buckets = FAB_NH_GROUP_DEFAULT_BUCKETS;
	if (!rte_is_power_of_2(min_buckets) ||
			min_buckets < FAB_NH_GROUP_MIN_BUCKETS_PER_MEMBER ||
			min_buckets > FAB_NH_GROUP_MAX_BUCKETS)
		return -EINVAL;

	/*
	 * At least 16 buckets per member keeps the share of each member within
	 * 1/16 of the others whatever n is (64 members * 16 = 1024, the cap).
	 */
	n_buckets = RTE_MAX((uint32_t)min_buckets, rte_align32pow2(
			(uint32_t)n * FAB_NH_GROUP_MIN_BUCKETS_PER_MEMBER));

	memset(g, 0, sizeof(*g));
	g->n_members = n;
	g->bucket_mask = (uint16_t)(n_buckets - 1);
	memcpy(g->members, members, sizeof(*members) * n);
	/*
	 * Round-robin rather than contiguous runs: a later change of a few
	 * members can then be spread over the whole table, and bucket i's
	 * member does not depend on the high hash bits at all.
	 */
	for (i = 0, m = 0; i < n_buckets; i++) {
		g->buckets[i] = m;
		if (++m == n)
			m = 0;
	}
	return 0;
}
