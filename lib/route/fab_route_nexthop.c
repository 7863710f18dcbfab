/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/* The next-hop and ECMP group tables of a route object. */

#include <errno.h>

#include "fab_route_private.h"

int
fab_route_nh_add(struct fab_route *r, const struct fab_nexthop *nh)
{
	if (r == NULL || nh == NULL)
		return -EINVAL;
	if (r->n_nexthops >= r->max_nexthops)
		return -ENOSPC;
	r->nexthops[r->n_nexthops] = *nh;
	return (int)r->n_nexthops++;
}

const struct fab_nexthop *
fab_route_nexthop(const struct fab_route *r, uint32_t id)
{
	if (r == NULL || id >= r->n_nexthops)
		return NULL;
	return &r->nexthops[id];
}

const struct fab_nexthop *
fab_route_nexthop_table(const struct fab_route *r)
{
	return r == NULL ? NULL : r->nexthops;
}

const struct fab_nh_group *
fab_route_group_table(const struct fab_route *r)
{
	return r == NULL ? NULL : r->groups;
}

static int
members_check(const struct fab_route *r, const uint32_t *nh_ids, uint16_t n)
{
	uint16_t i;

	if (nh_ids == NULL || n == 0 || n > FAB_NH_GROUP_MAX_MEMBERS)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (nh_ids[i] >= r->n_nexthops)
			return -ENOENT;
	return 0;
}

int
fab_route_group_add(struct fab_route *r, const uint32_t *nh_ids, uint16_t n)
{
	int ret;

	if (r == NULL)
		return -EINVAL;
	ret = members_check(r, nh_ids, n);
	if (ret < 0)
		return ret;
	if (r->n_groups >= r->max_groups)
		return -ENOSPC;
	ret = fab_nh_group_init(&r->groups[r->n_groups], nh_ids, n,
			r->group_buckets);
	if (ret < 0)
		return ret;
	return (int)r->n_groups++;
}

int
fab_route_group_set(struct fab_route *r, uint32_t gid, const uint32_t *nh_ids,
		uint16_t n)
{
	int ret;

	if (r == NULL)
		return -EINVAL;
	ret = members_check(r, nh_ids, n);
	if (ret < 0)
		return ret;
	if (gid >= r->n_groups)
		return -ENOENT;
	return fab_nh_group_init(&r->groups[gid], nh_ids, n, r->group_buckets);
}

const struct fab_nh_group *
fab_route_group(const struct fab_route *r, uint32_t gid)
{
	if (r == NULL || gid >= r->n_groups)
		return NULL;
	return &r->groups[gid];
}

int
fab_route_target_check(const struct fab_route *r, uint64_t target)
{
	uint32_t id;

	if ((target & ~(FAB_ROUTE_TARGET_GROUP | FAB_ROUTE_TARGET_ID_MASK)) != 0 ||
			target == FAB_ROUTE_MISS)
		return -EINVAL;
	id = fab_route_target_id(target);
	if (fab_route_target_is_group(target))
		return id < r->n_groups ? 0 : -ENOENT;
	return id < r->n_nexthops ? 0 : -ENOENT;
}
