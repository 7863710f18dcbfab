/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * FAB_ROUTE_DIR24_8: DPDK's rte_lpm (DIR-24-8, what l3fwd uses) and
 * rte_lpm6. Targets fit their next-hop fields (24 and 21 bits) unchanged.
 *
 * Not rte_fib DIR24_8 / rte_fib6 TRIE, although they are newer: in 22.11
 * DIR24_8 overwrites its whole table when a prefix is added or deleted whose
 * more specific prefixes reach the top of the address space (e.g. 128/1
 * over 160/3 and 192/2: its range walk wraps to 0, read as "everything"),
 * and the TRIE's tbl8 reservation count drifts under deletes until every
 * long prefix is refused with -ENOSPC. See docs/modules/route.md.
 */

#include <errno.h>
#include <stdio.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_lpm.h>
#include <rte_lpm6.h>

#include "fab_route_private.h"

/* One tbl8 group (256 entries) per /24 holding longer prefixes suffices. */
#define LPM4_TBL8_CAP (1u << 14)
/* A /128 may take 13 tbl8 groups of rte_lpm6 (bits 25..128 by 8). */
#define LPM6_TBL8_PER_ROUTE 13
#define LPM6_TBL8_CAP (1u << 16)
/* Lookups convert next hops to targets through a stack buffer this long. */
#define LPM_CHUNK 64

static int
lpm_create(struct fab_route *r, const struct fab_route_conf *conf)
{
	struct rte_lpm_config c4 = {
		.max_rules = conf->max_routes,
		.number_tbl8s = RTE_MIN(conf->max_routes, LPM4_TBL8_CAP),
	};
	char name[FAB_ROUTE_NAMESIZE + 4];

	snprintf(name, sizeof(name), "%s_4", conf->name);
	r->tbl4 = rte_lpm_create(name, conf->socket_id, &c4);
	if (r->tbl4 == NULL)
		return -rte_errno;
	if (conf->ipv6) {
		struct rte_lpm6_config c6 = {
			.max_rules = conf->max_routes,
			.number_tbl8s = (uint32_t)RTE_MIN(
				(uint64_t)conf->max_routes * LPM6_TBL8_PER_ROUTE,
				(uint64_t)LPM6_TBL8_CAP),
		};

		snprintf(name, sizeof(name), "%s_6", conf->name);
		r->tbl6 = rte_lpm6_create(name, conf->socket_id, &c6);
		if (r->tbl6 == NULL)
			return -rte_errno;
	}
	return 0;
}

static void
lpm_free(struct fab_route *r)
{
	rte_lpm6_free(r->tbl6);
	rte_lpm_free(r->tbl4);
}

static bool
lpm_exists4(struct fab_route *r, uint32_t prefix, uint8_t depth)
{
	uint32_t nh;

	return rte_lpm_is_rule_present(r->tbl4, prefix, depth, &nh) == 1;
}

static int
lpm_add4(struct fab_route *r, uint32_t prefix, uint8_t depth, uint64_t target)
{
	return rte_lpm_add(r->tbl4, prefix, depth, (uint32_t)target);
}

static int
lpm_del4(struct fab_route *r, uint32_t prefix, uint8_t depth)
{
	return rte_lpm_delete(r->tbl4, prefix, depth);
}

static void
lpm_lookup4(const struct fab_route *r, const uint32_t *ips, uint64_t *targets,
		uint16_t n, uint64_t dflt)
{
	const struct rte_lpm *lpm = r->tbl4;
	uint32_t hop[LPM_CHUNK];
	uint16_t done, i, m;

	for (done = 0; done < n; done += m) {
		m = RTE_MIN((uint16_t)(n - done), (uint16_t)LPM_CHUNK);
		rte_lpm_lookup_bulk(lpm, ips + done, hop, m);
		for (i = 0; i < m; i++)
			targets[done + i] = (hop[i] & RTE_LPM_LOOKUP_SUCCESS) ?
				(hop[i] & 0x00ffffffu) : dflt;
	}
}

static bool
lpm_exists6(struct fab_route *r, const uint8_t prefix[16], uint8_t depth)
{
	uint32_t nh;

	return rte_lpm6_is_rule_present(r->tbl6, prefix, depth, &nh) == 1;
}

static int
lpm_add6(struct fab_route *r, const uint8_t prefix[16], uint8_t depth,
		uint64_t target)
{
	return rte_lpm6_add(r->tbl6, prefix, depth, (uint32_t)target);
}

static int
lpm_del6(struct fab_route *r, const uint8_t prefix[16], uint8_t depth)
{
	return rte_lpm6_delete(r->tbl6, prefix, depth);
}

static void
lpm_lookup6(const struct fab_route *r, const uint8_t (*ips)[16],
		uint64_t *targets, uint16_t n, uint64_t dflt)
{
	int32_t hop[LPM_CHUNK];
	uint16_t done, i, m;

	for (done = 0; done < n; done += m) {
		m = RTE_MIN((uint16_t)(n - done), (uint16_t)LPM_CHUNK);
		/* rte_lpm6's prototype lacks const; it only reads the addresses. */
		rte_lpm6_lookup_bulk_func(r->tbl6,
			(uint8_t (*)[RTE_LPM6_IPV6_ADDR_SIZE])(uintptr_t)(ips + done),
			hop, m);
		for (i = 0; i < m; i++)
			targets[done + i] = hop[i] < 0 ? dflt : (uint64_t)hop[i];
	}
}

const struct fab_route_ops fab_route_lpm_ops = {
	.create = lpm_create,
	.free = lpm_free,
	.exists4 = lpm_exists4,
	.add4 = lpm_add4,
	.del4 = lpm_del4,
	.lookup4 = lpm_lookup4,
	.exists6 = lpm_exists6,
	.add6 = lpm_add6,
	.del6 = lpm_del6,
	.lookup6 = lpm_lookup6,
};
