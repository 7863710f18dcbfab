/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef FAB_ROUTE_H
#define FAB_ROUTE_H

/**
 * @file
 * Routing of one switch: longest-prefix match for IPv4 and IPv6 to a next
 * hop or an ECMP group, the next-hop and group tables, and the flow hash
 * that picks a group member.
 *
 * A route's target is a 64-bit value that either names a next hop
 * (fab_route_target_nh()) or an ECMP group (fab_route_target_group()); a
 * lookup that finds no route yields FAB_ROUTE_MISS. The prefix store is a
 * backend chosen at creation: DPDK's rte_lpm (DIR-24-8) and rte_lpm6 (fast,
 * 64 MB and more per address family) for a standalone switch, or the rib-based
 * rte_fib / rte_fib6 "dummy" type (well under a megabyte for a thousand
 * routes) for a fabric of many switches in one process. Both answer every
 * lookup identically.
 *
 * ECMP groups are the bucket tables ASICs and VPP's load_balance use: a
 * power-of-two array of member indexes filled round-robin, so choosing a
 * member is buckets[hash & mask]. The struct is public so that load-balancing
 * policies can read it on the hot path.
 *
 * Control functions (create, add, delete) are not thread-safe and must not
 * run while another lcore looks up in the same object.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_hash_crc.h>

#include "fab_pkt.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Longest name of a route object, including the terminating NUL. */
#define FAB_ROUTE_NAMESIZE 20

/** Largest number of members in one ECMP group. */
#define FAB_NH_GROUP_MAX_MEMBERS 64
/** Largest bucket table of one ECMP group. */
#define FAB_NH_GROUP_MAX_BUCKETS 1024
/** Each member gets at least this many buckets (the table grows to allow it). */
#define FAB_NH_GROUP_MIN_BUCKETS_PER_MEMBER 16
/** Bucket table size when the configuration leaves it 0. */
#define FAB_NH_GROUP_DEFAULT_BUCKETS 64

/** Largest route count per address family. */
#define FAB_ROUTE_MAX_ROUTES (1u << 24)

/*
 * Route targets. Bit 20 says "group", bits 0..19 carry the id: the value
 * fits the 21-bit next hop of rte_lpm6 and the 24 bits of rte_lpm, so the
 * fast backend stores targets as they are.
 */
/** Bit of a target that marks an ECMP group. */
#define FAB_ROUTE_TARGET_GROUP (UINT64_C(1) << 20)
/** Bits of a target that carry the next-hop or group id. */
#define FAB_ROUTE_TARGET_ID_MASK (FAB_ROUTE_TARGET_GROUP - 1)
/** Lookup result when no route covers the address. It is no valid target. */
#define FAB_ROUTE_MISS UINT64_MAX
/** Number of next hops, and of groups, a route object can hold at most. */
#define FAB_ROUTE_MAX_IDS ((uint32_t)FAB_ROUTE_TARGET_GROUP)

/** How the prefixes are stored. */
enum fab_route_backend {
	/** rte_lpm DIR-24-8 (IPv4) and rte_lpm6 (IPv6): 64 MB and up per family. */
	FAB_ROUTE_DIR24_8 = 0,
	/** rte_fib / rte_fib6 dummy type, a path-compressed binary trie: small. */
	FAB_ROUTE_COMPACT,
	FAB_ROUTE_BACKEND_MAX,
};

/** What fab_route_create() takes. */
/** Largest fab_route_conf.dest_cache. */
#define FAB_ROUTE_MAX_DEST_CACHE 65536

struct fab_route_conf {
	/** Unique among live route objects, at most FAB_ROUTE_NAMESIZE - 1 chars. */
	const char *name;
	/** NUMA socket of the tables, or SOCKET_ID_ANY. */
	int socket_id;
	enum fab_route_backend backend;
	/** Routes per address family, 1..FAB_ROUTE_MAX_ROUTES. */
	uint32_t max_routes;
	/** Next-hop table size, 1..FAB_ROUTE_MAX_IDS. */
	uint32_t max_nexthops;
	/** ECMP group table size, 0..FAB_ROUTE_MAX_IDS. */
	uint32_t max_groups;
	/** Also keep an IPv6 table; without it IPv6 lookups miss. */
	bool ipv6;
	/**
	 * Smallest bucket table of a group: a power of two from 16 to
	 * FAB_NH_GROUP_MAX_BUCKETS, or 0 for FAB_NH_GROUP_DEFAULT_BUCKETS.
	 */
	uint16_t group_buckets;
	/**
	 * Entries of a direct-mapped cache of recent destinations in front of
	 * the backend: 0 (none) or a power of two up to
	 * FAB_ROUTE_MAX_DEST_CACHE. Answers are the same; the compact
	 * backend's trie walk then runs only on a miss. Lookups then write to
	 * the object, so they must come from one lcore at a time (a fabric's
	 * switches run in one thread).
	 */
	uint32_t dest_cache;
};

/** Where a next hop sends a frame. */
struct fab_nexthop {
	uint16_t port;                 /**< egress port id */
	struct rte_ether_addr dst_mac; /**< the neighbour's MAC (source becomes the port's) */
};

/** An ECMP group: members and the bucket table that spreads flows over them. */
struct fab_nh_group {
	uint16_t n_members;
	uint16_t bucket_mask;      /**< n_buckets - 1 */
	uint32_t members[FAB_NH_GROUP_MAX_MEMBERS]; /**< next-hop ids */
	uint16_t buckets[FAB_NH_GROUP_MAX_BUCKETS]; /**< member index per bucket */
};

/** Sizes of a route object, for reports. */
struct fab_route_info {
	uint32_t routes_v4;
	uint32_t routes_v6;
	uint32_t nexthops;
	uint32_t groups;
	enum fab_route_backend backend;
};

struct fab_route;

/* ------------------------------------------------------------------ */
/* Targets                                                             */
/* ------------------------------------------------------------------ */

/** Target that sends to next hop @p id (below FAB_ROUTE_MAX_IDS). */
static inline uint64_t
fab_route_target_nh(uint32_t id)
{
	return (uint64_t)id & FAB_ROUTE_TARGET_ID_MASK;
}

/** Target that sends to ECMP group @p gid (below FAB_ROUTE_MAX_IDS). */
static inline uint64_t
fab_route_target_group(uint32_t gid)
{
	return FAB_ROUTE_TARGET_GROUP | ((uint64_t)gid & FAB_ROUTE_TARGET_ID_MASK);
}

/** Whether a lookup result names a group. Test FAB_ROUTE_MISS first. */
static inline bool
fab_route_target_is_group(uint64_t target)
{
	return (target & FAB_ROUTE_TARGET_GROUP) != 0;
}

/** The next-hop or group id a target carries. */
static inline uint32_t
fab_route_target_id(uint64_t target)
{
	return (uint32_t)(target & FAB_ROUTE_TARGET_ID_MASK);
}

/* ------------------------------------------------------------------ */
/* Flow hash and member choice (pure, no EAL needed)                   */
/* ------------------------------------------------------------------ */

/** Murmur3's 32-bit finaliser: every input bit flips each output bit with p ~ 1/2. */
static inline uint32_t
fab_hash_fmix32(uint32_t h)
{
	h ^= h >> 16;
	h *= UINT32_C(0x85ebca6b);
	h ^= h >> 13;
	h *= UINT32_C(0xc2b2ae35);
	h ^= h >> 16;
	return h;
}

/** One CRC-32C step over eight bytes (rte_hash_crc_8byte()'s value). */
static inline uint32_t
fab_flow_crc8(uint64_t data, uint32_t crc)
{
#ifdef __SSE4_2__
	/* The instruction itself: rte_hash_crc_8byte() asks at every call which one to use. */
	return (uint32_t)__builtin_ia32_crc32di(crc, data);
#else
	return rte_hash_crc_8byte(data, crc);
#endif
}

/**
 * Hash the 5-tuple of a flow (addresses, ports, protocol) for ECMP.
 *
 * CRC32C seeded with @p seed (one instruction per 4 or 8 bytes), then
 * murmur3's fmix32. CRC alone is linear: two seeds would give hashes that
 * differ by a constant XOR, and any bucket choice taken from them would be
 * one permutation of the other (polarization across tiers). The finaliser
 * is non-linear with full avalanche, which makes the low bits uniform when a
 * single field varies and independent between seeds.
 *
 * @p k->l3 selects IPv4 (4-byte addresses) or else IPv6 (16 bytes).
 *
 * @return the hash; equal keys and seeds always give equal hashes.
 */
static inline uint32_t
fab_flow_hash(const struct fab_flow_key *k, uint32_t seed)
{
	uint64_t ports_proto;
	uint32_t h = seed;

	/* Source and destination port and protocol: the low five bytes from src_port on. */
	RTE_BUILD_BUG_ON(offsetof(struct fab_flow_key, dst_port) !=
		offsetof(struct fab_flow_key, src_port) + 2 ||
		offsetof(struct fab_flow_key, proto) !=
		offsetof(struct fab_flow_key, src_port) + 4 ||
		offsetof(struct fab_flow_key, src_port) + 8 > sizeof(struct fab_flow_key));
#if RTE_BYTE_ORDER == RTE_LITTLE_ENDIAN
	memcpy(&ports_proto, &k->src_port, 8);
	ports_proto &= 0xffffffffffull;
#else
	ports_proto = (uint64_t)k->src_port | (uint64_t)k->dst_port << 16 |
		(uint64_t)k->proto << 32;
#endif
	if (k->l3 == FAB_L3_IPV4) {
		/* CRC-32C runs over bytes in order: one 8-byte step is the two 4-byte ones. */
		h = fab_flow_crc8((uint64_t)k->src.v4 | (uint64_t)k->dst.v4 << 32, h);
	} else {
		h = fab_flow_crc8(k->src.w[0], h);
		h = fab_flow_crc8(k->src.w[1], h);
		h = fab_flow_crc8(k->dst.w[0], h);
		h = fab_flow_crc8(k->dst.w[1], h);
	}
	h = fab_flow_crc8(ports_proto, h);
	return fab_hash_fmix32(h);
}

/**
 * Member index for a flow hash. A single-member group needs no hash: every
 * bucket holds 0, so callers may pass 0 and skip hashing when
 * g->n_members == 1.
 *
 * @return an index into g->members.
 */
static inline uint16_t
fab_nh_group_select(const struct fab_nh_group *g, uint32_t hash)
{
	return g->buckets[hash & g->bucket_mask];
}

/**
 * Fill a group: members, and a bucket table of
 * max(@p min_buckets, 16 * n rounded up to a power of two) buckets holding
 * member indexes round-robin, so each member owns floor or ceil of
 * n_buckets / n. A member listed twice gets twice the share (weighted ECMP).
 *
 * @param min_buckets a power of two from 16 to FAB_NH_GROUP_MAX_BUCKETS, or
 *   0 for FAB_NH_GROUP_DEFAULT_BUCKETS.
 * @return 0, or -EINVAL (no group, no members, more than
 *   FAB_NH_GROUP_MAX_MEMBERS, or a bad @p min_buckets).
 */
int fab_nh_group_init(struct fab_nh_group *g, const uint32_t *members, uint16_t n,
		uint16_t min_buckets);

/* ------------------------------------------------------------------ */
/* Route object                                                        */
/* ------------------------------------------------------------------ */

/**
 * Create a route object: an IPv4 table, an IPv6 table when conf->ipv6, and
 * empty next-hop and group tables. Needs the EAL (tables live in rte_malloc
 * memory).
 *
 * @return the object, or NULL with rte_errno set: EINVAL for a bad
 *   configuration, ENAMETOOLONG, EEXIST for a name in use, ENOMEM.
 */
struct fab_route *fab_route_create(const struct fab_route_conf *conf);

/** Free a route object and its tables. NULL is allowed. */
void fab_route_free(struct fab_route *r);

/**
 * Counts of routes, next hops and groups.
 *
 * @return 0, or -EINVAL.
 */
int fab_route_info_get(const struct fab_route *r, struct fab_route_info *info);

/**
 * Add a next hop.
 *
 * @return its id (0, 1, 2 ... in order of addition), or -EINVAL, or -ENOSPC
 *   when max_nexthops are in use.
 */
int fab_route_nh_add(struct fab_route *r, const struct fab_nexthop *nh);

/**
 * The next hop with id @p id, or NULL if there is none.
 */
const struct fab_nexthop *fab_route_nexthop(const struct fab_route *r, uint32_t id);

/**
 * The next-hop and group tables, indexed by id, for a forwarding loop whose
 * ids come from this object's own lookups (always valid: a route is
 * refused unless its target exists) and that would rather not check each
 * frame's. Both stay where they are for the object's life (they are sized
 * at creation by conf->max_nexthops and conf->max_groups).
 */
const struct fab_nexthop *fab_route_nexthop_table(const struct fab_route *r);
const struct fab_nh_group *fab_route_group_table(const struct fab_route *r);

/**
 * Add an ECMP group over next hops @p nh_ids (see fab_nh_group_init() for
 * the bucket table; its minimum size is conf->group_buckets).
 *
 * @return the group id (0, 1, 2 ... in order of addition), or -EINVAL for
 *   0 or more than FAB_NH_GROUP_MAX_MEMBERS members, -ENOENT for an unknown
 *   next hop, -ENOSPC when max_groups are in use.
 */
int fab_route_group_add(struct fab_route *r, const uint32_t *nh_ids, uint16_t n);

/**
 * Replace the members of group @p gid in place (a link went down or came
 * back); routes that point to the group follow at once. Must not run while
 * another lcore forwards with this object.
 *
 * @return 0, -EINVAL, -ENOENT for an unknown group or next hop.
 */
int fab_route_group_set(struct fab_route *r, uint32_t gid, const uint32_t *nh_ids,
		uint16_t n);

/**
 * The group with id @p gid, or NULL if there is none.
 */
const struct fab_nh_group *fab_route_group(const struct fab_route *r, uint32_t gid);

/**
 * Add an IPv4 route.
 *
 * @param prefix network address in host order; bits beyond @p depth must be 0.
 * @param depth prefix length 0..32; 0 is the default route.
 * @param target fab_route_target_nh() or fab_route_target_group().
 * @return 0; -EINVAL for a bad depth, host bits set or a malformed target;
 *   -ENOENT when the target's next hop or group does not exist; -EEXIST when
 *   the prefix is already routed (delete it first to change its target);
 *   -ENOSPC when max_routes are in use or the backend's tables are full.
 */
int fab_route_add_v4(struct fab_route *r, uint32_t prefix, uint8_t depth,
		uint64_t target);

/**
 * Delete an IPv4 route; addresses it covered fall back to the next shorter
 * prefix.
 *
 * @return 0, -EINVAL, or -ENOENT when the prefix is not routed.
 */
int fab_route_del_v4(struct fab_route *r, uint32_t prefix, uint8_t depth);

/**
 * Add an IPv6 route. Same rules as fab_route_add_v4(); depth is 0..128.
 *
 * @return as fab_route_add_v4(), or -ENOTSUP without an IPv6 table.
 */
int fab_route_add_v6(struct fab_route *r, const uint8_t prefix[16], uint8_t depth,
		uint64_t target);

/**
 * Delete an IPv6 route.
 *
 * @return 0, -EINVAL, -ENOENT, or -ENOTSUP without an IPv6 table.
 */
int fab_route_del_v6(struct fab_route *r, const uint8_t prefix[16], uint8_t depth);

/**
 * Longest-prefix match of a burst of IPv4 addresses (host order).
 * targets[i] gets the target of the longest prefix covering ips[i], or
 * FAB_ROUTE_MISS.
 */
void fab_route_lookup_v4_bulk(const struct fab_route *r, const uint32_t *ips,
		uint64_t *targets, uint16_t n);

/**
 * Longest-prefix match of a burst of IPv6 addresses (network byte order, as
 * on the wire). Every result is FAB_ROUTE_MISS without an IPv6 table.
 */
void fab_route_lookup_v6_bulk(const struct fab_route *r, const uint8_t (*ips)[16],
		uint64_t *targets, uint16_t n);

/** Printable name of a backend ("dir24_8", "compact"), or "unknown". */
const char *fab_route_backend_name(enum fab_route_backend backend);

#ifdef __cplusplus
}
#endif

#endif /* FAB_ROUTE_H */
