/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef FAB_ROUTE_PRIVATE_H
#define FAB_ROUTE_PRIVATE_H

#include <rte_log.h>

#include "fab_route.h"

extern int fab_route_logtype;

#define FAB_ROUTE_LOG(level, ...) \
	rte_log(RTE_LOG_ ## level, fab_route_logtype, "rocefab.route: " __VA_ARGS__)

struct fab_route;

/*
 * A prefix store. The generic code has already checked depth (1..32 or
 * 1..128; default routes never reach a backend), host bits and the target,
 * and counts routes itself; a backend only stores and looks up. Lookups
 * write @p dflt where no prefix matches.
 */
struct fab_route_ops {
	/** Create the IPv4 table, and the IPv6 one when conf->ipv6. */
	int (*create)(struct fab_route *r, const struct fab_route_conf *conf);
	/** Free whatever create() made, also after a failed create(). */
	void (*free)(struct fab_route *r);
	bool (*exists4)(struct fab_route *r, uint32_t prefix, uint8_t depth);
	int (*add4)(struct fab_route *r, uint32_t prefix, uint8_t depth,
		uint64_t target);
	int (*del4)(struct fab_route *r, uint32_t prefix, uint8_t depth);
	void (*lookup4)(const struct fab_route *r, const uint32_t *ips,
		uint64_t *targets, uint16_t n, uint64_t dflt);
	bool (*exists6)(struct fab_route *r, const uint8_t prefix[16], uint8_t depth);
	int (*add6)(struct fab_route *r, const uint8_t prefix[16], uint8_t depth,
		uint64_t target);
	int (*del6)(struct fab_route *r, const uint8_t prefix[16], uint8_t depth);
	void (*lookup6)(const struct fab_route *r, const uint8_t (*ips)[16],
		uint64_t *targets, uint16_t n, uint64_t dflt);
};

/** FAB_ROUTE_DIR24_8: rte_lpm and rte_lpm6. */
extern const struct fab_route_ops fab_route_lpm_ops;
/** FAB_ROUTE_COMPACT: rte_fib and rte_fib6 of the rib-based dummy type. */
extern const struct fab_route_ops fab_route_rib_ops;

struct fab_route {
	/* Read per burst. */
	const struct fab_route_ops *ops;
	void *tbl4;                  /**< the backend's IPv4 table */
	void *tbl6;                  /**< NULL without IPv6 */
	/*
	 * Default routes live here, not in the backends: DPDK's LPM tables
	 * take no /0, and 22.11's rte_fib DIR24_8 and TRIE corrupt their
	 * tables when a /0 changes under prefixes that cover everything.
	 */
	uint64_t default4;           /**< FAB_ROUTE_MISS when none */
	uint64_t default6;
	struct fab_nexthop *nexthops;
	struct fab_nh_group *groups;
	/* fab_route_cache.c: NULL without a destination cache. */
	struct fab_route_dc4 *dc4;
	struct fab_route_dc6 *dc6;   /* NULL without IPv6 too */
	uint32_t dc_gen;             /* entries of another generation are empty */
	uint32_t dc_shift;           /* 32 - log2(entries) */

	/* Control path. */
	uint32_t n_nexthops;
	uint32_t max_nexthops;
	uint32_t n_groups;
	uint32_t max_groups;
	uint32_t n_routes4;
	uint32_t n_routes6;
	uint32_t max_routes;
	uint16_t group_buckets;
	uint32_t dc_entries;
	enum fab_route_backend backend;
	char name[FAB_ROUTE_NAMESIZE];
};

/**
 * Whether @p target names an existing next hop or group.
 * @return 0, -EINVAL if malformed, -ENOENT if absent.
 */
int fab_route_target_check(const struct fab_route *r, uint64_t target);

/* fab_route_cache.c */
/* Misses looked up in the backend at once, at most. */
#define FAB_ROUTE_CACHE_BURST 32
struct fab_route_dc4;
struct fab_route_dc6;
int route_cache_create(struct fab_route *r, uint32_t entries, bool ipv6, int socket_id);
void route_cache_free(struct fab_route *r);
/* Every route change calls it: what the cache holds may be wrong now. */
void route_cache_invalidate(struct fab_route *r);
void route_cache_lookup4(const struct fab_route *r, const uint32_t *ips, uint64_t *targets,
		uint16_t n);
void route_cache_lookup6(const struct fab_route *r, const uint8_t (*ips)[16],
		uint64_t *targets, uint16_t n);

#endif /* FAB_ROUTE_PRIVATE_H */
