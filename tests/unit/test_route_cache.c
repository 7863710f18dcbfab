/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * lib/route's cache of recent destinations (fab_route_conf.dest_cache):
 * every answer is the one the same object gives without a cache, before and
 * after each kind of route change, with colliding addresses and bursts
 * longer than the misses it looks up at once.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include <rte_errno.h>

#include "fab_route.h"
#include "fab_test.h"

#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | \
		(uint32_t)(c) << 8 | (uint32_t)(d))
/* Addresses looked up: more than one miss burst, on a cache of 16 entries. */
#define N_IPS 80
#define SMALL_CACHE 16

static struct fab_route *
cached_route(const char *name, uint32_t dest_cache)
{
	struct fab_route_conf conf = {
		.name = name,
		.socket_id = SOCKET_ID_ANY,
		.backend = FAB_ROUTE_COMPACT,
		.max_routes = 64,
		.max_nexthops = 8,
		.ipv6 = true,
		.dest_cache = dest_cache,
	};
	struct fab_route *r = fab_route_create(&conf);
	unsigned int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	for (i = 0; i < 8; i++) {
		struct fab_nexthop nh = { .port = (uint16_t)i };

		CU_ASSERT_EQUAL(fab_route_nh_add(r, &nh), (int)i);
	}
	return r;
}

/* Both objects answer every address alike, in bursts of @p burst. */
static void
agree4(const struct fab_route *plain, const struct fab_route *cached, const uint32_t *ips,
		uint16_t burst)
{
	uint64_t want[N_IPS], got[N_IPS];
	uint16_t i, n;

	fab_route_lookup_v4_bulk(plain, ips, want, N_IPS);
	for (i = 0; i < N_IPS; i += n) {
		n = (uint16_t)RTE_MIN(burst, N_IPS - i);
		fab_route_lookup_v4_bulk(cached, ips + i, got + i, n);
	}
	for (i = 0; i < N_IPS; i++)
		CU_ASSERT_EQUAL(got[i], want[i]);
}

static void
agree6(const struct fab_route *plain, const struct fab_route *cached,
		const uint8_t (*ips)[16], uint16_t burst)
{
	uint64_t want[N_IPS], got[N_IPS];
	uint16_t i, n;

	fab_route_lookup_v6_bulk(plain, ips, want, N_IPS);
	for (i = 0; i < N_IPS; i += n) {
		n = (uint16_t)RTE_MIN(burst, N_IPS - i);
		fab_route_lookup_v6_bulk(cached, ips + i, got + i, n);
	}
	for (i = 0; i < N_IPS; i++)
		CU_ASSERT_EQUAL(got[i], want[i]);
}

/* Look everything up in bursts of 64, 7 and 1 (filling and hitting the cache). */
static void
agree4_all(const struct fab_route *plain, const struct fab_route *cached, const uint32_t *ips)
{
	agree4(plain, cached, ips, 64);
	agree4(plain, cached, ips, 7);
	agree4(plain, cached, ips, 1);
}

static void
agree6_all(const struct fab_route *plain, const struct fab_route *cached,
		const uint8_t (*ips)[16])
{
	agree6(plain, cached, ips, 64);
	agree6(plain, cached, ips, 7);
	agree6(plain, cached, ips, 1);
}

/* The same change to both objects; both must accept it. */
#define BOTH(call_plain, call_cached) do { \
	CU_ASSERT_EQUAL(call_plain, 0); \
	CU_ASSERT_EQUAL(call_cached, 0); \
} while (0)

static void
test_route_cache_v4_follows_changes(void)
{
	struct fab_route *plain = cached_route("rc4_plain", 0);
	struct fab_route *cached = cached_route("rc4_cached", SMALL_CACHE);
	uint32_t ips[N_IPS];
	uint64_t t;
	unsigned int i;

	/* Inside and around 10.0.1.0/24, and elsewhere: many share a slot of 16. */
	for (i = 0; i < N_IPS; i++)
		ips[i] = i % 3 == 0 ? IP4(10, 0, 1, i) : i % 3 == 1 ? IP4(10, 0, 2, i) :
			IP4(192, 168, i, 1);
	agree4_all(plain, cached, ips);
	BOTH(fab_route_add_v4(plain, IP4(10, 0, 0, 0), 16, fab_route_target_nh(1)),
		fab_route_add_v4(cached, IP4(10, 0, 0, 0), 16, fab_route_target_nh(1)));
	agree4_all(plain, cached, ips);
	/* A longer prefix under addresses the cache holds now. */
	BOTH(fab_route_add_v4(plain, IP4(10, 0, 1, 0), 24, fab_route_target_nh(2)),
		fab_route_add_v4(cached, IP4(10, 0, 1, 0), 24, fab_route_target_nh(2)));
	agree4_all(plain, cached, ips);
	fab_route_lookup_v4_bulk(cached, &ips[0], &t, 1);
	CU_ASSERT_EQUAL(t, fab_route_target_nh(2));
	/* A default route, then its removal and the longer prefix's. */
	BOTH(fab_route_add_v4(plain, 0, 0, fab_route_target_nh(3)),
		fab_route_add_v4(cached, 0, 0, fab_route_target_nh(3)));
	agree4_all(plain, cached, ips);
	fab_route_lookup_v4_bulk(cached, &ips[2], &t, 1);
	CU_ASSERT_EQUAL(t, fab_route_target_nh(3));
	BOTH(fab_route_del_v4(plain, 0, 0), fab_route_del_v4(cached, 0, 0));
	agree4_all(plain, cached, ips);
	BOTH(fab_route_del_v4(plain, IP4(10, 0, 1, 0), 24),
		fab_route_del_v4(cached, IP4(10, 0, 1, 0), 24));
	agree4_all(plain, cached, ips);
	fab_route_lookup_v4_bulk(cached, &ips[0], &t, 1);
	CU_ASSERT_EQUAL(t, fab_route_target_nh(1));
	fab_route_lookup_v4_bulk(cached, &ips[2], &t, 1);
	CU_ASSERT_EQUAL(t, FAB_ROUTE_MISS);
	fab_route_free(plain);
	fab_route_free(cached);
}

static void
test_route_cache_v6_follows_changes(void)
{
	struct fab_route *plain = cached_route("rc6_plain", 0);
	struct fab_route *cached = cached_route("rc6_cached", SMALL_CACHE);
	uint8_t ips[N_IPS][16], p48[16], p64[16], any[16] = { 0 };
	const uint8_t (*cips)[16] = (const uint8_t (*)[16])ips;
	unsigned int i;

	CU_ASSERT_FATAL(inet_pton(AF_INET6, "2001:db8:1::", p48) == 1);
	CU_ASSERT_FATAL(inet_pton(AF_INET6, "2001:db8:1:5::", p64) == 1);
	for (i = 0; i < N_IPS; i++) {
		memcpy(ips[i], i % 2 == 0 ? p64 : p48, 16);
		ips[i][15] = (uint8_t)i;
		if (i % 5 == 0)
			ips[i][0] = 0xfd;
	}
	agree6_all(plain, cached, cips);
	BOTH(fab_route_add_v6(plain, p48, 48, fab_route_target_nh(4)),
		fab_route_add_v6(cached, p48, 48, fab_route_target_nh(4)));
	agree6_all(plain, cached, cips);
	BOTH(fab_route_add_v6(plain, p64, 64, fab_route_target_nh(5)),
		fab_route_add_v6(cached, p64, 64, fab_route_target_nh(5)));
	agree6_all(plain, cached, cips);
	BOTH(fab_route_add_v6(plain, any, 0, fab_route_target_nh(6)),
		fab_route_add_v6(cached, any, 0, fab_route_target_nh(6)));
	agree6_all(plain, cached, cips);
	BOTH(fab_route_del_v6(plain, p64, 64), fab_route_del_v6(cached, p64, 64));
	agree6_all(plain, cached, cips);
	BOTH(fab_route_del_v6(plain, any, 0), fab_route_del_v6(cached, any, 0));
	agree6_all(plain, cached, cips);
	fab_route_free(plain);
	fab_route_free(cached);
}

static void
test_route_cache_conf(void)
{
	struct fab_route_conf c = {
		.name = "rc_conf", .socket_id = SOCKET_ID_ANY,
		.backend = FAB_ROUTE_COMPACT, .max_routes = 8, .max_nexthops = 4,
	};
	struct fab_route *r;

	c.dest_cache = 3;
	CU_ASSERT_PTR_NULL(fab_route_create(&c));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);
	c.dest_cache = FAB_ROUTE_MAX_DEST_CACHE * 2;
	CU_ASSERT_PTR_NULL(fab_route_create(&c));
	c.dest_cache = FAB_ROUTE_MAX_DEST_CACHE;
	r = fab_route_create(&c);
	CU_ASSERT_PTR_NOT_NULL(r);
	fab_route_free(r);
	/* Also in front of the DIR24_8 backend, where it changes no answer either. */
	c.dest_cache = 1;
	c.backend = FAB_ROUTE_DIR24_8;
	r = fab_route_create(&c);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	{
		struct fab_nexthop nh = { .port = 0 };
		uint32_t ip[2] = { IP4(10, 1, 0, 1), IP4(10, 2, 0, 1) };
		uint64_t t[2];

		CU_ASSERT_EQUAL(fab_route_nh_add(r, &nh), 0);
		CU_ASSERT_EQUAL(fab_route_add_v4(r, IP4(10, 1, 0, 0), 16, fab_route_target_nh(0)), 0);
		/* One entry: the two addresses keep evicting each other. */
		fab_route_lookup_v4_bulk(r, ip, t, 2);
		fab_route_lookup_v4_bulk(r, ip, t, 2);
		CU_ASSERT_EQUAL(t[0], fab_route_target_nh(0));
		CU_ASSERT_EQUAL(t[1], FAB_ROUTE_MISS);
	}
	fab_route_free(r);
}

int
fab_suite_route_cache(void)
{
	CU_pSuite s = fab_test_add_suite("route_cache");

	if (s == NULL)
		return -1;
	FAB_ADD_TEST(s, test_route_cache_v4_follows_changes);
	FAB_ADD_TEST(s, test_route_cache_v6_follows_changes);
	FAB_ADD_TEST(s, test_route_cache_conf);
	return 0;
}
