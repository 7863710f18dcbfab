/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * A direct-mapped cache of recent destinations in front of a backend
 * (fab_route_conf.dest_cache). The compact backend's lookup walks a binary
 * trie: a chain of dependent loads and data-dependent branches per address,
 * on the critical path of every frame. A switch sees few destinations at a
 * time, so one load and one compare answer most lookups. An entry holds the
 * final target (default route applied) and the generation it was filled in;
 * every change of a route bumps the generation, which empties the cache at
 * once without touching it.
 */

#include <errno.h>
#include <string.h>

#include <rte_malloc.h>

#include "fab_route_private.h"

struct fab_route_dc4 {
	uint32_t ip;
	uint32_t gen;
	uint64_t target;
};

struct fab_route_dc6 {
	uint8_t ip[16];
	uint64_t target;
	uint32_t gen;
	uint32_t pad;
};

/* Fibonacci hashing: the top bits of a multiple by 2^32 / phi. */
static inline uint32_t
slot_of(uint32_t key, uint32_t shift)
{
	/* 64-bit, so that one entry (a shift of 32) is slot 0. */
	return (uint32_t)((uint64_t)(uint32_t)(key * 2654435761u) >> shift);
}

static inline uint32_t
key6(const uint8_t ip[16])
{
	uint32_t w[4];

	memcpy(w, ip, sizeof(w));
	return w[0] ^ w[1] ^ w[2] ^ w[3];
}

int
route_cache_create(struct fab_route *r, uint32_t entries, bool ipv6, int socket_id)
{
	if (entries == 0)
		return 0;
	r->dc_shift = 32 - (uint32_t)rte_log2_u32(entries);
	r->dc_gen = 1;
	r->dc4 = rte_zmalloc_socket("fab_route_dc4", sizeof(*r->dc4) * entries,
		RTE_CACHE_LINE_SIZE, socket_id);
	if (r->dc4 == NULL)
		return -ENOMEM;
	if (ipv6) {
		r->dc6 = rte_zmalloc_socket("fab_route_dc6", sizeof(*r->dc6) * entries,
			RTE_CACHE_LINE_SIZE, socket_id);
		if (r->dc6 == NULL)
			return -ENOMEM;
	}
	r->dc_entries = entries;
	return 0;
}

void
route_cache_free(struct fab_route *r)
{
	rte_free(r->dc6);
	rte_free(r->dc4);
	r->dc6 = NULL;
	r->dc4 = NULL;
}

void
route_cache_invalidate(struct fab_route *r)
{
	if (r->dc4 == NULL)
		return;
	/* Generation 0 marks an empty entry: at the wrap, empty them for real. */
	if (++r->dc_gen == 0) {
		memset(r->dc4, 0, sizeof(*r->dc4) * r->dc_entries);
		if (r->dc6 != NULL)
			memset(r->dc6, 0, sizeof(*r->dc6) * r->dc_entries);
		r->dc_gen = 1;
	}
}

/* Look the misses up in the backend, answer them and fill their entries. */
static void
fill4(const struct fab_route *r, const uint32_t *ip, const uint16_t *at, uint16_t nm,
		uint64_t *targets)
{
	uint64_t t[FAB_ROUTE_CACHE_BURST];
	uint16_t k;

	r->ops->lookup4(r, ip, t, nm, r->default4);
	for (k = 0; k < nm; k++) {
		struct fab_route_dc4 *e = &r->dc4[slot_of(ip[k], r->dc_shift)];

		targets[at[k]] = t[k];
		e->ip = ip[k];
		e->gen = r->dc_gen;
		e->target = t[k];
	}
}

void
route_cache_lookup4(const struct fab_route *r, const uint32_t *ips, uint64_t *targets,
		uint16_t n)
{
	uint32_t miss_ip[FAB_ROUTE_CACHE_BURST];
	uint16_t miss_at[FAB_ROUTE_CACHE_BURST];
	uint16_t i, nm = 0;

	for (i = 0; i < n; i++) {
		const struct fab_route_dc4 *e = &r->dc4[slot_of(ips[i], r->dc_shift)];

		if (e->gen == r->dc_gen && e->ip == ips[i]) {
			targets[i] = e->target;
			continue;
		}
		miss_ip[nm] = ips[i];
		miss_at[nm++] = i;
		if (nm == FAB_ROUTE_CACHE_BURST) {
			fill4(r, miss_ip, miss_at, nm, targets);
			nm = 0;
		}
	}
	if (nm != 0)
		fill4(r, miss_ip, miss_at, nm, targets);
}

static void
fill6(const struct fab_route *r, const uint8_t (*ip)[16], const uint16_t *at, uint16_t nm,
		uint64_t *targets)
{
	uint64_t t[FAB_ROUTE_CACHE_BURST];
	uint16_t k;

	r->ops->lookup6(r, ip, t, nm, r->default6);
	for (k = 0; k < nm; k++) {
		struct fab_route_dc6 *e = &r->dc6[slot_of(key6(ip[k]), r->dc_shift)];

		targets[at[k]] = t[k];
		memcpy(e->ip, ip[k], 16);
		e->gen = r->dc_gen;
		e->target = t[k];
	}
}

void
route_cache_lookup6(const struct fab_route *r, const uint8_t (*ips)[16], uint64_t *targets,
		uint16_t n)
{
	uint8_t miss_ip[FAB_ROUTE_CACHE_BURST][16];
	uint16_t miss_at[FAB_ROUTE_CACHE_BURST];
	uint16_t i, nm = 0;

	for (i = 0; i < n; i++) {
		const struct fab_route_dc6 *e = &r->dc6[slot_of(key6(ips[i]), r->dc_shift)];

		if (e->gen == r->dc_gen && memcmp(e->ip, ips[i], 16) == 0) {
			targets[i] = e->target;
			continue;
		}
		memcpy(miss_ip[nm], ips[i], 16);
		miss_at[nm++] = i;
		if (nm == FAB_ROUTE_CACHE_BURST) {
			fill6(r, (const uint8_t (*)[16])miss_ip, miss_at, nm, targets);
			nm = 0;
		}
	}
	if (nm != 0)
		fill6(r, (const uint8_t (*)[16])miss_ip, miss_at, nm, targets);
}
