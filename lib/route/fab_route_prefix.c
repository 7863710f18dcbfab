/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * Adding, deleting and looking up prefixes: the checks and counts common to
 * every backend, and the default routes, which no backend holds.
 */

#include <errno.h>

#include "fab_route_private.h"

static int
prefix4_check(uint32_t prefix, uint8_t depth)
{
	uint32_t host_mask;

	if (depth > 32)
		return -EINVAL;
	host_mask = depth == 32 ? 0 : UINT32_MAX >> depth;
	/* Host bits set usually mean a typo in a config: refuse, do not guess. */
	return (prefix & host_mask) != 0 ? -EINVAL : 0;
}

static int
prefix6_check(const uint8_t prefix[16], uint8_t depth)
{
	unsigned int i;

	if (prefix == NULL || depth > 128)
		return -EINVAL;
	for (i = depth / 8u; i < 16; i++) {
		uint8_t host_bits = i == depth / 8u ?
			(uint8_t)(0xffu >> (depth % 8)) : 0xff;

		if ((prefix[i] & host_bits) != 0)
			return -EINVAL;
	}
	return 0;
}

int
fab_route_add_v4(struct fab_route *r, uint32_t prefix, uint8_t depth,
		uint64_t target)
{
	int ret;

	if (r == NULL)
		return -EINVAL;
	ret = prefix4_check(prefix, depth);
	if (ret < 0)
		return ret;
	ret = fab_route_target_check(r, target);
	if (ret < 0)
		return ret;
	/* The backends would silently replace an existing prefix's target. */
	if (depth == 0 ? r->default4 != FAB_ROUTE_MISS :
			r->ops->exists4(r, prefix, depth))
		return -EEXIST;
	if (r->n_routes4 >= r->max_routes)
		return -ENOSPC;
	/* Before the change: a backend that fails half-way leaves no stale answer. */
	route_cache_invalidate(r);
	if (depth == 0) {
		r->default4 = target;
	} else {
		ret = r->ops->add4(r, prefix, depth, target);
		if (ret < 0)
			return ret;
	}
	r->n_routes4++;
	return 0;
}

int
fab_route_del_v4(struct fab_route *r, uint32_t prefix, uint8_t depth)
{
	int ret;

	if (r == NULL)
		return -EINVAL;
	ret = prefix4_check(prefix, depth);
	if (ret < 0)
		return ret;
	route_cache_invalidate(r);
	if (depth == 0) {
		if (r->default4 == FAB_ROUTE_MISS)
			return -ENOENT;
		r->default4 = FAB_ROUTE_MISS;
	} else {
		if (!r->ops->exists4(r, prefix, depth))
			return -ENOENT;
		ret = r->ops->del4(r, prefix, depth);
		if (ret < 0)
			return ret;
	}
	r->n_routes4--;
	return 0;
}

void
fab_route_lookup_v4_bulk(const struct fab_route *r, const uint32_t *ips,
		uint64_t *targets, uint16_t n)
{
	if (r->dc4 != NULL)
		route_cache_lookup4(r, ips, targets, n);
	else
		r->ops->lookup4(r, ips, targets, n, r->default4);
}

int
fab_route_add_v6(struct fab_route *r, const uint8_t prefix[16], uint8_t depth,
		uint64_t target)
{
	int ret;

	if (r == NULL)
		return -EINVAL;
	if (r->tbl6 == NULL)
		return -ENOTSUP;
	ret = prefix6_check(prefix, depth);
	if (ret < 0)
		return ret;
	ret = fab_route_target_check(r, target);
	if (ret < 0)
		return ret;
	if (depth == 0 ? r->default6 != FAB_ROUTE_MISS :
			r->ops->exists6(r, prefix, depth))
		return -EEXIST;
	if (r->n_routes6 >= r->max_routes)
		return -ENOSPC;
	route_cache_invalidate(r);
	if (depth == 0) {
		r->default6 = target;
	} else {
		ret = r->ops->add6(r, prefix, depth, target);
		if (ret < 0)
			return ret;
	}
	r->n_routes6++;
	return 0;
}

int
fab_route_del_v6(struct fab_route *r, const uint8_t prefix[16], uint8_t depth)
{
	int ret;

	if (r == NULL)
		return -EINVAL;
	if (r->tbl6 == NULL)
		return -ENOTSUP;
	ret = prefix6_check(prefix, depth);
	if (ret < 0)
		return ret;
	route_cache_invalidate(r);
	if (depth == 0) {
		if (r->default6 == FAB_ROUTE_MISS)
			return -ENOENT;
		r->default6 = FAB_ROUTE_MISS;
	} else {
		if (!r->ops->exists6(r, prefix, depth))
			return -ENOENT;
		ret = r->ops->del6(r, prefix, depth);
		if (ret < 0)
			return ret;
	}
	r->n_routes6--;
	return 0;
}

void
fab_route_lookup_v6_bulk(const struct fab_route *r, const uint8_t (*ips)[16],
		uint64_t *targets, uint16_t n)
{
	uint16_t i;

	if (r->tbl6 == NULL) {
		for (i = 0; i < n; i++)
			targets[i] = FAB_ROUTE_MISS;
		return;
	}
	if (r->dc6 != NULL)
		route_cache_lookup6(r, ips, targets, n);
	else
		r->ops->lookup6(r, ips, targets, n, r->default6);
}
