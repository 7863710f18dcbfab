/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * FAB_ROUTE_COMPACT: rte_fib and rte_fib6 of the "dummy" type, whose lookup
 * walks the path-compressed binary trie of rte_rib / rte_rib6. Memory is a
 * node pool sized by max_routes, with no 2^24-entry first level: a fabric
 * of dozens of switches fits in a few megabytes.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_fib.h>
#include <rte_fib6.h>
#include <rte_rib.h>
#include <rte_rib6.h>

#include "fab_route_private.h"

static int
rib_create(struct fab_route *r, const struct fab_route_conf *conf)
{
	char name[FAB_ROUTE_NAMESIZE + 4];
	/*
	 * rte_fib gives its rib twice max_routes nodes: a path-compressed
	 * trie needs up to one branching node per prefix.
	 */
	struct rte_fib_conf c4 = {
		.type = RTE_FIB_DUMMY,
		.default_nh = FAB_ROUTE_MISS,
		.max_routes = (int)conf->max_routes,
	};

	snprintf(name, sizeof(name), "%s_4", conf->name);
	r->tbl4 = rte_fib_create(name, conf->socket_id, &c4);
	if (r->tbl4 == NULL)
		return -rte_errno;
	if (conf->ipv6) {
		struct rte_fib6_conf c6 = {
			.type = RTE_FIB6_DUMMY,
			.default_nh = FAB_ROUTE_MISS,
			.max_routes = (int)conf->max_routes,
		};

		snprintf(name, sizeof(name), "%s_6", conf->name);
		r->tbl6 = rte_fib6_create(name, conf->socket_id, &c6);
		if (r->tbl6 == NULL)
			return -rte_errno;
	}
	return 0;
}

static void
rib_free(struct fab_route *r)
{
	rte_fib6_free(r->tbl6);
	rte_fib_free(r->tbl4);
}

static bool
rib_exists4(struct fab_route *r, uint32_t prefix, uint8_t depth)
{
	return rte_rib_lookup_exact(rte_fib_get_rib(r->tbl4), prefix, depth) != NULL;
}

static int
rib_add4(struct fab_route *r, uint32_t prefix, uint8_t depth, uint64_t target)
{
	return rte_fib_add(r->tbl4, prefix, depth, target);
}

static int
rib_del4(struct fab_route *r, uint32_t prefix, uint8_t depth)
{
	return rte_fib_delete(r->tbl4, prefix, depth);
}

static void
rib_lookup4(const struct fab_route *r, const uint32_t *ips, uint64_t *targets,
		uint16_t n, uint64_t dflt)
{
	uint16_t i;

	/* rte_fib's prototype lacks const; it only reads the addresses. */
	rte_fib_lookup_bulk(r->tbl4, (uint32_t *)(uintptr_t)ips, targets, n);
	if (dflt != FAB_ROUTE_MISS)
		for (i = 0; i < n; i++)
			if (targets[i] == FAB_ROUTE_MISS)
				targets[i] = dflt;
}

static bool
rib_exists6(struct fab_route *r, const uint8_t prefix[16], uint8_t depth)
{
	return rte_rib6_lookup_exact(rte_fib6_get_rib(r->tbl6), prefix,
			depth) != NULL;
}

static int
rib_add6(struct fab_route *r, const uint8_t prefix[16], uint8_t depth,
		uint64_t target)
{
	return rte_fib6_add(r->tbl6, prefix, depth, target);
}

static int
rib_del6(struct fab_route *r, const uint8_t prefix[16], uint8_t depth)
{
	return rte_fib6_delete(r->tbl6, prefix, depth);
}

static void
rib_lookup6(const struct fab_route *r, const uint8_t (*ips)[16],
		uint64_t *targets, uint16_t n, uint64_t dflt)
{
	uint16_t i;

	rte_fib6_lookup_bulk(r->tbl6,
		(uint8_t (*)[RTE_FIB6_IPV6_ADDR_SIZE])(uintptr_t)ips, targets, n);
	if (dflt != FAB_ROUTE_MISS)
		for (i = 0; i < n; i++)
			if (targets[i] == FAB_ROUTE_MISS)
				targets[i] = dflt;
}

const struct fab_route_ops fab_route_rib_ops = {
	.create = rib_create,
	.free = rib_free,
	.exists4 = rib_exists4,
	.add4 = rib_add4,
	.del4 = rib_del4,
	.lookup4 = rib_lookup4,
	.exists6 = rib_exists6,
	.add6 = rib_add6,
	.del6 = rib_del6,
	.lookup6 = rib_lookup6,
};
