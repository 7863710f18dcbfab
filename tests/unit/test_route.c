/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * lib/route: longest-prefix match on both backends against a naive
 * reference, next hops, ECMP bucket tables, and the statistics the switch
 * issue asks of the flow hash (chi-square uniformity per 5-tuple field,
 * independence between switches with different seeds).
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_malloc.h>

#include "fab_route.h"
#include "fab_test.h"

/* Chi-square critical values at p = 0.001. */
#define CHI2_DF1_P001 10.83
#define CHI2_DF3_P001 16.27
#define CHI2_DF9_P001 27.88

#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | \
		(uint32_t)(c) << 8 | (uint32_t)(d))

static const enum fab_route_backend backends[] = {
	FAB_ROUTE_DIR24_8, FAB_ROUTE_COMPACT,
};

/* xorshift64: the test's own deterministic random source. */
static uint64_t
xs64(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static struct fab_route *
route_new(const char *name, enum fab_route_backend backend, bool ipv6,
		uint32_t max_routes)
{
	struct fab_route_conf conf = {
		.name = name,
		.socket_id = SOCKET_ID_ANY,
		.backend = backend,
		.max_routes = max_routes,
		.max_nexthops = 64,
		.max_groups = 16,
		.ipv6 = ipv6,
	};

	return fab_route_create(&conf);
}

/* Next hops 0..n-1 on ports 0..n-1 with MAC 02:00:00:00:00:<id>. */
static void
add_nexthops(struct fab_route *r, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct fab_nexthop nh = {
			.port = (uint16_t)i,
			.dst_mac = { { 0x02, 0, 0, 0, 0, (uint8_t)i } },
		};

		CU_ASSERT_EQUAL(fab_route_nh_add(r, &nh), (int)i);
	}
}

static uint64_t
lookup4(const struct fab_route *r, uint32_t ip)
{
	uint64_t t = 0;

	fab_route_lookup_v4_bulk(r, &ip, &t, 1);
	return t;
}

static uint64_t
lookup6(const struct fab_route *r, const uint8_t ip[16])
{
	uint8_t a[1][16];
	uint64_t t = 0;

	memcpy(a[0], ip, 16);
	fab_route_lookup_v6_bulk(r, (const uint8_t (*)[16])a, &t, 1);
	return t;
}

static void
v6(uint8_t out[16], const char *text)
{
	CU_ASSERT_FATAL(inet_pton(AF_INET6, text, out) == 1);
}

/* ------------------------------------------------------------------ */

static void
test_route_create_invalid(void)
{
	struct fab_route_conf good = {
		.name = "rt_inv", .socket_id = SOCKET_ID_ANY,
		.backend = FAB_ROUTE_COMPACT, .max_routes = 8,
		.max_nexthops = 4, .max_groups = 2,
	};
	struct fab_route_conf c;
	struct fab_route *r, *dup;

	rte_errno = 0;
	CU_ASSERT_PTR_NULL(fab_route_create(NULL));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);

	c = good; c.name = NULL; rte_errno = 0;
	CU_ASSERT_PTR_NULL(fab_route_create(&c));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);
	c = good; c.name = ""; rte_errno = 0;
	CU_ASSERT_PTR_NULL(fab_route_create(&c));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);
	c = good; c.name = "twenty_chars_long_xx"; rte_errno = 0;
	CU_ASSERT_PTR_NULL(fab_route_create(&c));
	CU_ASSERT_EQUAL(rte_errno, ENAMETOOLONG);
	c = good; c.max_routes = 0; rte_errno = 0;
	CU_ASSERT_PTR_NULL(fab_route_create(&c));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);
	c = good; c.max_routes = FAB_ROUTE_MAX_ROUTES + 1; rte_errno = 0;
	CU_ASSERT_PTR_NULL(fab_route_create(&c));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);
	c = good; c.max_nexthops = 0; rte_errno = 0;
	CU_ASSERT_PTR_NULL(fab_route_create(&c));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);
	c = good; c.backend = FAB_ROUTE_BACKEND_MAX; rte_errno = 0;
	CU_ASSERT_PTR_NULL(fab_route_create(&c));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);
	c = good; c.group_buckets = 48; rte_errno = 0;
	CU_ASSERT_PTR_NULL(fab_route_create(&c));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);
	c = good; c.group_buckets = 8; rte_errno = 0;
	CU_ASSERT_PTR_NULL(fab_route_create(&c));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);
	c = good; c.group_buckets = 2048; rte_errno = 0;
	CU_ASSERT_PTR_NULL(fab_route_create(&c));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);

	/* The longest name allowed works; a second object may not reuse it. */
	c = good; c.name = "nineteen_chars_long"; c.ipv6 = true;
	r = fab_route_create(&c);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	rte_errno = 0;
	dup = fab_route_create(&c);
	CU_ASSERT_PTR_NULL(dup);
	CU_ASSERT_EQUAL(rte_errno, EEXIST);
	fab_route_free(dup);
	fab_route_free(r);
	/* Freed names are free again. */
	r = fab_route_create(&c);
	CU_ASSERT_PTR_NOT_NULL(r);
	fab_route_free(r);

	fab_route_free(NULL);
	CU_ASSERT_EQUAL(fab_route_info_get(NULL, NULL), -EINVAL);
	CU_ASSERT_STRING_EQUAL(fab_route_backend_name(FAB_ROUTE_DIR24_8), "dir24_8");
	CU_ASSERT_STRING_EQUAL(fab_route_backend_name(FAB_ROUTE_COMPACT), "compact");
	CU_ASSERT_STRING_EQUAL(fab_route_backend_name(FAB_ROUTE_BACKEND_MAX), "unknown");
}

static void
test_route_targets(void)
{
	/* Encoding is part of the API: plugins and the switch decode it inline. */
	CU_ASSERT_EQUAL(fab_route_target_nh(5), 5);
	CU_ASSERT_EQUAL(fab_route_target_group(5), (UINT64_C(1) << 20) | 5);
	CU_ASSERT_FALSE(fab_route_target_is_group(fab_route_target_nh(7)));
	CU_ASSERT_TRUE(fab_route_target_is_group(fab_route_target_group(7)));
	CU_ASSERT_EQUAL(fab_route_target_id(fab_route_target_group(7)), 7);
	CU_ASSERT_EQUAL(fab_route_target_id(fab_route_target_nh(9)), 9);
	CU_ASSERT_EQUAL(FAB_ROUTE_MISS, UINT64_MAX);
	/* The miss is no target of any next hop or group a route can hold. */
	CU_ASSERT_NOT_EQUAL(FAB_ROUTE_MISS,
		fab_route_target_group(FAB_ROUTE_MAX_IDS - 1));
	CU_ASSERT_NOT_EQUAL(FAB_ROUTE_MISS,
		fab_route_target_nh(FAB_ROUTE_MAX_IDS - 1));
}

/* /0, /8, /16, /24, /32 nested: each address takes the longest. */
static void
nested_v4(enum fab_route_backend backend)
{
	struct fab_route *r = route_new("rt_nest4", backend, false, 64);
	struct fab_route_info info;
	uint32_t members[2] = { 5, 6 };
	uint32_t ips[8];
	uint64_t t[8];
	int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	add_nexthops(r, 8);
	CU_ASSERT_EQUAL(fab_route_group_add(r, members, 2), 0);

	CU_ASSERT_EQUAL(fab_route_add_v4(r, 0, 0, fab_route_target_nh(0)), 0);
	CU_ASSERT_EQUAL(fab_route_add_v4(r, IP4(10, 0, 0, 0), 8,
			fab_route_target_nh(1)), 0);
	CU_ASSERT_EQUAL(fab_route_add_v4(r, IP4(10, 1, 0, 0), 16,
			fab_route_target_nh(2)), 0);
	CU_ASSERT_EQUAL(fab_route_add_v4(r, IP4(10, 1, 2, 0), 24,
			fab_route_target_group(0)), 0);
	CU_ASSERT_EQUAL(fab_route_add_v4(r, IP4(10, 1, 2, 3), 32,
			fab_route_target_nh(4)), 0);

	ips[0] = IP4(10, 1, 2, 3);
	ips[1] = IP4(10, 1, 2, 4);
	ips[2] = IP4(10, 1, 3, 1);
	ips[3] = IP4(10, 2, 0, 0);
	ips[4] = IP4(11, 0, 0, 0);
	ips[5] = IP4(10, 1, 2, 255);
	ips[6] = IP4(10, 255, 255, 255);
	ips[7] = IP4(9, 255, 255, 255);
	fab_route_lookup_v4_bulk(r, ips, t, 8);
	CU_ASSERT_EQUAL(t[0], fab_route_target_nh(4));
	CU_ASSERT_EQUAL(t[1], fab_route_target_group(0));
	CU_ASSERT_EQUAL(t[2], fab_route_target_nh(2));
	CU_ASSERT_EQUAL(t[3], fab_route_target_nh(1));
	CU_ASSERT_EQUAL(t[4], fab_route_target_nh(0));
	CU_ASSERT_EQUAL(t[5], fab_route_target_group(0));
	CU_ASSERT_EQUAL(t[6], fab_route_target_nh(1));
	CU_ASSERT_EQUAL(t[7], fab_route_target_nh(0));
	CU_ASSERT_EQUAL(fab_route_info_get(r, &info), 0);
	CU_ASSERT_EQUAL(info.routes_v4, 5);
	CU_ASSERT_EQUAL(info.nexthops, 8);
	CU_ASSERT_EQUAL(info.groups, 1);
	CU_ASSERT_EQUAL(info.backend, backend);

	/* Errors, none of which may change the table. */
	CU_ASSERT_EQUAL(fab_route_add_v4(r, IP4(10, 1, 0, 0), 16,
			fab_route_target_nh(3)), -EEXIST);
	CU_ASSERT_EQUAL(fab_route_add_v4(r, IP4(10, 1, 0, 1), 16,
			fab_route_target_nh(3)), -EINVAL);
	CU_ASSERT_EQUAL(fab_route_add_v4(r, IP4(10, 1, 2, 3), 33,
			fab_route_target_nh(3)), -EINVAL);
	CU_ASSERT_EQUAL(fab_route_add_v4(r, IP4(12, 0, 0, 0), 8,
			fab_route_target_nh(8)), -ENOENT);
	CU_ASSERT_EQUAL(fab_route_add_v4(r, IP4(12, 0, 0, 0), 8,
			fab_route_target_group(1)), -ENOENT);
	CU_ASSERT_EQUAL(fab_route_add_v4(r, IP4(12, 0, 0, 0), 8,
			FAB_ROUTE_MISS), -EINVAL);
	CU_ASSERT_EQUAL(fab_route_add_v4(r, IP4(12, 0, 0, 0), 8,
			UINT64_C(1) << 40), -EINVAL);
	CU_ASSERT_EQUAL(fab_route_add_v4(NULL, 0, 0, 0), -EINVAL);
	CU_ASSERT_EQUAL(fab_route_del_v4(r, IP4(10, 1, 2, 0), 25), -ENOENT);
	CU_ASSERT_EQUAL(fab_route_del_v4(r, IP4(10, 1, 2, 1), 24), -EINVAL);
	CU_ASSERT_EQUAL(fab_route_del_v4(NULL, 0, 0), -EINVAL);
	CU_ASSERT_EQUAL(lookup4(r, IP4(10, 1, 0, 9)), fab_route_target_nh(2));
	CU_ASSERT_EQUAL(lookup4(r, IP4(12, 0, 0, 1)), fab_route_target_nh(0));

	/* Deleting the /24 uncovers the /16, and the /32 inside stays. */
	CU_ASSERT_EQUAL(fab_route_del_v4(r, IP4(10, 1, 2, 0), 24), 0);
	CU_ASSERT_EQUAL(lookup4(r, IP4(10, 1, 2, 4)), fab_route_target_nh(2));
	CU_ASSERT_EQUAL(lookup4(r, IP4(10, 1, 2, 3)), fab_route_target_nh(4));
	/* Deleting the /32 too. */
	CU_ASSERT_EQUAL(fab_route_del_v4(r, IP4(10, 1, 2, 3), 32), 0);
	CU_ASSERT_EQUAL(lookup4(r, IP4(10, 1, 2, 3)), fab_route_target_nh(2));
	/* Without the default route, outside 10/8 is a miss. */
	CU_ASSERT_EQUAL(fab_route_del_v4(r, 0, 0), 0);
	CU_ASSERT_EQUAL(lookup4(r, IP4(11, 0, 0, 0)), FAB_ROUTE_MISS);
	CU_ASSERT_EQUAL(lookup4(r, IP4(10, 1, 2, 3)), fab_route_target_nh(2));
	CU_ASSERT_EQUAL(fab_route_info_get(r, &info), 0);
	CU_ASSERT_EQUAL(info.routes_v4, 2);
	/* A deleted prefix may be added again with another target. */
	CU_ASSERT_EQUAL(fab_route_add_v4(r, IP4(10, 1, 2, 0), 24,
			fab_route_target_nh(7)), 0);
	CU_ASSERT_EQUAL(lookup4(r, IP4(10, 1, 2, 3)), fab_route_target_nh(7));

	/* A table without IPv6 refuses IPv6 routes and misses every address. */
	for (i = 0; i < 8; i++)
		t[i] = 0;
	{
		uint8_t a[8][16];

		memset(a, 0, sizeof(a));
		CU_ASSERT_EQUAL(fab_route_add_v6(r, a[0], 0,
				fab_route_target_nh(0)), -ENOTSUP);
		CU_ASSERT_EQUAL(fab_route_del_v6(r, a[0], 0), -ENOTSUP);
		fab_route_lookup_v6_bulk(r, (const uint8_t (*)[16])a, t, 8);
	}
	for (i = 0; i < 8; i++)
		CU_ASSERT_EQUAL(t[i], FAB_ROUTE_MISS);
	fab_route_free(r);
}

static void
test_route_lpm_v4_nested(void)
{
	unsigned int b;

	for (b = 0; b < RTE_DIM(backends); b++)
		nested_v4(backends[b]);
}

static void
nested_v6(enum fab_route_backend backend)
{
	struct fab_route *r = route_new("rt_nest6", backend, true, 64);
	uint8_t p[16], a[6][16];
	uint64_t t[6];

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	add_nexthops(r, 8);

	v6(p, "::");
	CU_ASSERT_EQUAL(fab_route_add_v6(r, p, 0, fab_route_target_nh(0)), 0);
	v6(p, "2001:db8::");
	CU_ASSERT_EQUAL(fab_route_add_v6(r, p, 32, fab_route_target_nh(1)), 0);
	v6(p, "2001:db8:1::");
	CU_ASSERT_EQUAL(fab_route_add_v6(r, p, 48, fab_route_target_nh(2)), 0);
	v6(p, "2001:db8:1:2::");
	CU_ASSERT_EQUAL(fab_route_add_v6(r, p, 64, fab_route_target_nh(3)), 0);
	v6(p, "2001:db8:1:2::3");
	CU_ASSERT_EQUAL(fab_route_add_v6(r, p, 128, fab_route_target_nh(4)), 0);
	/* A depth off the byte grid: 2001:db8:1:2::/100 covers ...:0:0:0-fff:ffff. */
	v6(p, "2001:db8:1:2::");
	CU_ASSERT_EQUAL(fab_route_add_v6(r, p, 100, fab_route_target_nh(5)), 0);

	v6(a[0], "2001:db8:1:2::3");
	v6(a[1], "2001:db8:1:2::4");
	v6(a[2], "2001:db8:1:2:0:1:0:4");
	v6(a[3], "2001:db8:1:3::1");
	v6(a[4], "2001:db8:2::1");
	v6(a[5], "2002::1");
	fab_route_lookup_v6_bulk(r, (const uint8_t (*)[16])a, t, 6);
	CU_ASSERT_EQUAL(t[0], fab_route_target_nh(4));
	CU_ASSERT_EQUAL(t[1], fab_route_target_nh(5));
	CU_ASSERT_EQUAL(t[2], fab_route_target_nh(3));
	CU_ASSERT_EQUAL(t[3], fab_route_target_nh(2));
	CU_ASSERT_EQUAL(t[4], fab_route_target_nh(1));
	CU_ASSERT_EQUAL(t[5], fab_route_target_nh(0));

	v6(p, "2001:db8:1:2::");
	CU_ASSERT_EQUAL(fab_route_add_v6(r, p, 64, fab_route_target_nh(6)), -EEXIST);
	v6(p, "2001:db8:1:2::1");
	CU_ASSERT_EQUAL(fab_route_add_v6(r, p, 100, fab_route_target_nh(6)), -EINVAL);
	CU_ASSERT_EQUAL(fab_route_add_v6(r, p, 129, fab_route_target_nh(6)), -EINVAL);
	CU_ASSERT_EQUAL(fab_route_add_v6(r, NULL, 0, fab_route_target_nh(6)), -EINVAL);
	v6(p, "2001:db9::");
	CU_ASSERT_EQUAL(fab_route_add_v6(r, p, 32, fab_route_target_group(0)), -ENOENT);
	CU_ASSERT_EQUAL(fab_route_del_v6(r, p, 32), -ENOENT);

	/* Delete the /100 and the /64: the /48 shows through. */
	v6(p, "2001:db8:1:2::");
	CU_ASSERT_EQUAL(fab_route_del_v6(r, p, 100), 0);
	CU_ASSERT_EQUAL(lookup6(r, a[1]), fab_route_target_nh(3));
	CU_ASSERT_EQUAL(fab_route_del_v6(r, p, 64), 0);
	CU_ASSERT_EQUAL(lookup6(r, a[1]), fab_route_target_nh(2));
	CU_ASSERT_EQUAL(lookup6(r, a[0]), fab_route_target_nh(4));
	v6(p, "::");
	CU_ASSERT_EQUAL(fab_route_del_v6(r, p, 0), 0);
	CU_ASSERT_EQUAL(lookup6(r, a[5]), FAB_ROUTE_MISS);
	CU_ASSERT_EQUAL(lookup6(r, a[4]), fab_route_target_nh(1));
	/* IPv4 is independent of IPv6. */
	CU_ASSERT_EQUAL(lookup4(r, IP4(32, 1, 13, 184)), FAB_ROUTE_MISS);
	fab_route_free(r);
}

static void
test_route_lpm_v6_nested(void)
{
	unsigned int b;

	for (b = 0; b < RTE_DIM(backends); b++)
		nested_v6(backends[b]);
}

/*
 * Prefixes whose more specific routes reach the top of the address space,
 * and a /0 changed while longer prefixes cover everything: DPDK 22.11's
 * rte_fib DIR24_8 and TRIE overwrite every entry there (their range walk
 * wraps to 0). These are the cases that made lib/route use rte_lpm and keep
 * default routes apart.
 */
static void
test_route_default_full_cover(void)
{
	unsigned int b;

	for (b = 0; b < RTE_DIM(backends); b++) {
		struct fab_route *r = route_new("rt_cover", backends[b], true, 8);
		uint32_t ips[2] = { IP4(16, 0, 0, 0), IP4(144, 0, 0, 0) };
		uint8_t p[16], a[2][16];
		uint64_t t[2];

		CU_ASSERT_PTR_NOT_NULL_FATAL(r);
		add_nexthops(r, 6);
		/* 128/1 over 160/3 and 192/2, then without it again. */
		CU_ASSERT_EQUAL(fab_route_add_v4(r, IP4(192, 0, 0, 0), 2,
				fab_route_target_nh(4)), 0);
		CU_ASSERT_EQUAL(fab_route_add_v4(r, IP4(160, 0, 0, 0), 3,
				fab_route_target_nh(5)), 0);
		CU_ASSERT_EQUAL(fab_route_add_v4(r, IP4(128, 0, 0, 0), 1,
				fab_route_target_nh(3)), 0);
		CU_ASSERT_EQUAL(lookup4(r, IP4(16, 0, 0, 0)), FAB_ROUTE_MISS);
		CU_ASSERT_EQUAL(lookup4(r, IP4(144, 0, 0, 0)), fab_route_target_nh(3));
		CU_ASSERT_EQUAL(lookup4(r, IP4(160, 0, 0, 1)), fab_route_target_nh(5));
		CU_ASSERT_EQUAL(lookup4(r, UINT32_MAX), fab_route_target_nh(4));
		CU_ASSERT_EQUAL(fab_route_del_v4(r, IP4(128, 0, 0, 0), 1), 0);
		CU_ASSERT_EQUAL(lookup4(r, IP4(144, 0, 0, 0)), FAB_ROUTE_MISS);
		CU_ASSERT_EQUAL(lookup4(r, IP4(160, 0, 0, 1)), fab_route_target_nh(5));
		CU_ASSERT_EQUAL(lookup4(r, UINT32_MAX), fab_route_target_nh(4));
		CU_ASSERT_EQUAL(fab_route_del_v4(r, IP4(160, 0, 0, 0), 3), 0);
		CU_ASSERT_EQUAL(fab_route_del_v4(r, IP4(192, 0, 0, 0), 2), 0);

		/* A default route under two /1s that cover everything. */
		CU_ASSERT_EQUAL(fab_route_add_v4(r, 0, 1, fab_route_target_nh(2)), 0);
		CU_ASSERT_EQUAL(fab_route_add_v4(r, IP4(128, 0, 0, 0), 1,
				fab_route_target_nh(3)), 0);
		CU_ASSERT_EQUAL(fab_route_add_v4(r, 0, 0, fab_route_target_nh(1)), 0);
		fab_route_lookup_v4_bulk(r, ips, t, 2);
		CU_ASSERT_EQUAL(t[0], fab_route_target_nh(2));
		CU_ASSERT_EQUAL(t[1], fab_route_target_nh(3));
		CU_ASSERT_EQUAL(fab_route_add_v4(r, 0, 0, fab_route_target_nh(0)), -EEXIST);
		CU_ASSERT_EQUAL(fab_route_del_v4(r, 0, 0), 0);
		CU_ASSERT_EQUAL(fab_route_del_v4(r, 0, 0), -ENOENT);
		fab_route_lookup_v4_bulk(r, ips, t, 2);
		CU_ASSERT_EQUAL(t[0], fab_route_target_nh(2));
		CU_ASSERT_EQUAL(t[1], fab_route_target_nh(3));

		v6(p, "::");
		CU_ASSERT_EQUAL(fab_route_add_v6(r, p, 1, fab_route_target_nh(2)), 0);
		v6(p, "8000::");
		CU_ASSERT_EQUAL(fab_route_add_v6(r, p, 1, fab_route_target_nh(3)), 0);
		v6(p, "::");
		CU_ASSERT_EQUAL(fab_route_add_v6(r, p, 0, fab_route_target_nh(1)), 0);
		CU_ASSERT_EQUAL(fab_route_del_v6(r, p, 0), 0);
		v6(a[0], "1000::1");
		v6(a[1], "9000::1");
		fab_route_lookup_v6_bulk(r, (const uint8_t (*)[16])a, t, 2);
		CU_ASSERT_EQUAL(t[0], fab_route_target_nh(2));
		CU_ASSERT_EQUAL(t[1], fab_route_target_nh(3));
		fab_route_free(r);
	}
}

static void
test_route_miss_empty(void)
{
	unsigned int b, i;

	for (b = 0; b < RTE_DIM(backends); b++) {
		struct fab_route *r = route_new("rt_empty", backends[b], true, 4);
		uint32_t ips[4] = { 0, IP4(10, 0, 0, 1), IP4(127, 0, 0, 1), UINT32_MAX };
		uint8_t a[4][16];
		uint64_t t[4] = { 1, 2, 3, 4 };

		CU_ASSERT_PTR_NOT_NULL_FATAL(r);
		fab_route_lookup_v4_bulk(r, ips, t, 4);
		for (i = 0; i < 4; i++)
			CU_ASSERT_EQUAL(t[i], FAB_ROUTE_MISS);
		memset(a, 0, sizeof(a));
		memset(a[3], 0xff, 16);
		a[1][0] = 0x20;
		a[2][15] = 1;
		for (i = 0; i < 4; i++)
			t[i] = i;
		fab_route_lookup_v6_bulk(r, (const uint8_t (*)[16])a, t, 4);
		for (i = 0; i < 4; i++)
			CU_ASSERT_EQUAL(t[i], FAB_ROUTE_MISS);
		fab_route_free(r);
	}
}

/* max_routes, max_nexthops and max_groups are hard limits: -ENOSPC. */
static void
test_route_full(void)
{
	unsigned int b;

	for (b = 0; b < RTE_DIM(backends); b++) {
		struct fab_route_conf conf = {
			.name = "rt_full", .socket_id = SOCKET_ID_ANY,
			.backend = backends[b], .max_routes = 3,
			.max_nexthops = 2, .max_groups = 1, .ipv6 = true,
		};
		struct fab_route *r = fab_route_create(&conf);
		struct fab_nexthop nh = { .port = 1 };
		uint32_t m[2] = { 0, 1 };
		uint8_t p[16];
		int i;

		CU_ASSERT_PTR_NOT_NULL_FATAL(r);
		CU_ASSERT_EQUAL(fab_route_nh_add(r, &nh), 0);
		CU_ASSERT_EQUAL(fab_route_nh_add(r, &nh), 1);
		CU_ASSERT_EQUAL(fab_route_nh_add(r, &nh), -ENOSPC);
		CU_ASSERT_EQUAL(fab_route_nh_add(r, NULL), -EINVAL);
		CU_ASSERT_EQUAL(fab_route_group_add(r, m, 2), 0);
		CU_ASSERT_EQUAL(fab_route_group_add(r, m, 2), -ENOSPC);
		for (i = 0; i < 3; i++)
			CU_ASSERT_EQUAL(fab_route_add_v4(r, IP4(10, i, 0, 0), 16,
					fab_route_target_nh(0)), 0);
		CU_ASSERT_EQUAL(fab_route_add_v4(r, IP4(10, 3, 0, 0), 16,
				fab_route_target_nh(0)), -ENOSPC);
		/* The IPv6 table has its own budget. */
		for (i = 0; i < 3; i++) {
			v6(p, "fd00::");
			p[2] = (uint8_t)i;
			CU_ASSERT_EQUAL(fab_route_add_v6(r, p, 24,
					fab_route_target_group(0)), 0);
		}
		v6(p, "fd00:3000::");
		CU_ASSERT_EQUAL(fab_route_add_v6(r, p, 24,
				fab_route_target_group(0)), -ENOSPC);
		/* Room comes back after a delete. */
		CU_ASSERT_EQUAL(fab_route_del_v4(r, IP4(10, 1, 0, 0), 16), 0);
		CU_ASSERT_EQUAL(fab_route_add_v4(r, IP4(10, 3, 0, 0), 16,
				fab_route_target_nh(1)), 0);
		CU_ASSERT_EQUAL(lookup4(r, IP4(10, 3, 9, 9)), fab_route_target_nh(1));
		CU_ASSERT_EQUAL(lookup4(r, IP4(10, 1, 9, 9)), FAB_ROUTE_MISS);
		fab_route_free(r);
	}
}

/* ------------------------------------------------------------------ */
/* Both backends against a naive longest-prefix match                  */
/* ------------------------------------------------------------------ */

#define RAND_ROUTES 600
#define RAND_LOOKUPS 4096

struct route4 {
	uint32_t prefix;
	uint8_t depth;
	bool live;
	uint64_t target;
};

static uint64_t
ref_lookup4(const struct route4 *rt, unsigned int n, uint32_t ip)
{
	uint64_t best = FAB_ROUTE_MISS;
	int best_depth = -1;
	unsigned int i;

	for (i = 0; i < n; i++) {
		uint32_t mask = rt[i].depth == 0 ? 0 : UINT32_MAX << (32 - rt[i].depth);

		if (rt[i].live && (ip & mask) == rt[i].prefix &&
				rt[i].depth > best_depth) {
			best = rt[i].target;
			best_depth = rt[i].depth;
		}
	}
	return best;
}

static unsigned int
compare4(struct fab_route *ra, struct fab_route *rb, const struct route4 *rt,
		unsigned int n, uint64_t *seed, unsigned int *hits)
{
	static uint32_t ips[RAND_LOOKUPS];
	static uint64_t ta[RAND_LOOKUPS], tb[RAND_LOOKUPS];
	unsigned int i, bad = 0;

	for (i = 0; i < RAND_LOOKUPS; i++) {
		const struct route4 *q = &rt[xs64(seed) % n];
		uint32_t host = q->depth == 32 ? 0 :
			(uint32_t)xs64(seed) & (UINT32_MAX >> q->depth);

		switch (i % 4) {
		case 0:
			ips[i] = (uint32_t)xs64(seed);
			break;
		case 1:
			ips[i] = q->prefix; /* first address of a prefix */
			break;
		case 2:
			ips[i] = q->prefix | (q->depth == 32 ? 0 :
				UINT32_MAX >> q->depth); /* last address */
			break;
		default:
			ips[i] = q->prefix | host;
			break;
		}
	}
	fab_route_lookup_v4_bulk(ra, ips, ta, RAND_LOOKUPS);
	/* Odd burst sizes too: the vector paths have scalar tails. */
	fab_route_lookup_v4_bulk(rb, ips, tb, 7);
	fab_route_lookup_v4_bulk(rb, ips + 7, tb + 7, RAND_LOOKUPS - 7);
	for (i = 0; i < RAND_LOOKUPS; i++) {
		uint64_t want = ref_lookup4(rt, n, ips[i]);

		if (ta[i] != want || tb[i] != want)
			bad++;
		if (want != FAB_ROUTE_MISS)
			(*hits)++;
	}
	return bad;
}

static uint8_t
rand_depth(uint64_t *seed, uint8_t max)
{
	/* Mostly long prefixes, which exercise the tbl8 groups of rte_lpm(6). */
	uint64_t x = xs64(seed);

	return (uint8_t)((x & 3) == 0 ? x % (max + 1u) :
		max / 4 + (x >> 8) % (max - max / 4 + 1u));
}

static void
test_route_backends_agree_v4(void)
{
	static struct route4 rt[RAND_ROUTES];
	struct fab_route *ra = route_new("rt_agree_a", FAB_ROUTE_DIR24_8, false, 1000);
	struct fab_route *rb = route_new("rt_agree_b", FAB_ROUTE_COMPACT, false, 1000);
	uint32_t members[3] = { 1, 2, 3 };
	uint64_t seed = 0x2545f4914f6cdd1dull;
	unsigned int i, hits = 0, dups = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(ra);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rb);
	add_nexthops(ra, 64);
	add_nexthops(rb, 64);
	CU_ASSERT_EQUAL(fab_route_group_add(ra, members, 3), 0);
	CU_ASSERT_EQUAL(fab_route_group_add(rb, members, 3), 0);

	for (i = 0; i < RAND_ROUTES; i++) {
		uint8_t d = rand_depth(&seed, 32);
		/* Most prefixes inside 10/8 so that they nest and overlap. */
		uint32_t ip = (uint32_t)xs64(&seed);
		uint64_t x = xs64(&seed);
		uint32_t mask = d == 0 ? 0 : UINT32_MAX << (32 - d);
		int ea, eb;

		if (x % 8 != 0)
			ip = IP4(10, 0, 0, 0) | (ip & 0x00ffffff);
		rt[i].prefix = ip & mask;
		rt[i].depth = d;
		rt[i].target = x % 5 == 0 ? fab_route_target_group(0) :
			fab_route_target_nh((uint32_t)(x >> 8) % 64);
		ea = fab_route_add_v4(ra, rt[i].prefix, d, rt[i].target);
		eb = fab_route_add_v4(rb, rt[i].prefix, d, rt[i].target);
		CU_ASSERT_EQUAL(ea, eb);
		CU_ASSERT(ea == 0 || ea == -EEXIST);
		rt[i].live = ea == 0;
		dups += ea == -EEXIST;
	}
	CU_ASSERT_EQUAL(compare4(ra, rb, rt, RAND_ROUTES, &seed, &hits), 0);
	/* The set is not trivial: most lookups hit, and some prefixes repeat. */
	CU_ASSERT(hits > RAND_LOOKUPS / 2);
	CU_ASSERT(dups > 0);

	/* Delete every other route: shorter prefixes must show through. */
	for (i = 0; i < RAND_ROUTES; i += 2) {
		if (!rt[i].live)
			continue;
		CU_ASSERT_EQUAL(fab_route_del_v4(ra, rt[i].prefix, rt[i].depth), 0);
		CU_ASSERT_EQUAL(fab_route_del_v4(rb, rt[i].prefix, rt[i].depth), 0);
		rt[i].live = false;
	}
	hits = 0;
	CU_ASSERT_EQUAL(compare4(ra, rb, rt, RAND_ROUTES, &seed, &hits), 0);
	CU_ASSERT(hits > RAND_LOOKUPS / 4);
	fab_route_free(ra);
	fab_route_free(rb);
}

struct route6 {
	uint8_t prefix[16];
	uint8_t depth;
	bool live;
	uint64_t target;
};

static bool
covers6(const struct route6 *q, const uint8_t ip[16])
{
	unsigned int i;

	for (i = 0; i < q->depth / 8u; i++)
		if (ip[i] != q->prefix[i])
			return false;
	if (q->depth % 8 != 0) {
		uint8_t mask = (uint8_t)(0xff00u >> (q->depth % 8));

		if ((ip[i] & mask) != q->prefix[i])
			return false;
	}
	return true;
}

static uint64_t
ref_lookup6(const struct route6 *rt, unsigned int n, const uint8_t ip[16])
{
	uint64_t best = FAB_ROUTE_MISS;
	int best_depth = -1;
	unsigned int i;

	for (i = 0; i < n; i++)
		if (rt[i].live && rt[i].depth > best_depth && covers6(&rt[i], ip)) {
			best = rt[i].target;
			best_depth = rt[i].depth;
		}
	return best;
}

static void
mask6(uint8_t p[16], uint8_t depth)
{
	unsigned int i;

	for (i = 0; i < 16; i++) {
		if (depth >= 8 * (i + 1))
			continue;
		if (depth <= 8 * i)
			p[i] = 0;
		else
			p[i] &= (uint8_t)(0xff00u >> (depth - 8 * i));
	}
}

static unsigned int
compare6(struct fab_route *ra, struct fab_route *rb, const struct route6 *rt,
		unsigned int n, uint64_t *seed, unsigned int *hits)
{
	static uint8_t ips[RAND_LOOKUPS][16];
	static uint64_t ta[RAND_LOOKUPS], tb[RAND_LOOKUPS];
	unsigned int i, j, bad = 0;

	for (i = 0; i < RAND_LOOKUPS; i++) {
		const struct route6 *q = &rt[xs64(seed) % n];
		uint8_t host[16];

		for (j = 0; j < 16; j += 8) {
			uint64_t x = xs64(seed);

			memcpy(host + j, &x, 8);
		}
		if (i % 4 == 0) {
			memcpy(ips[i], host, 16);
			continue;
		}
		/* Inside q: its prefix bits, then random (or all-0/all-1) host bits. */
		if (i % 4 == 1)
			memset(host, 0, 16);
		else if (i % 4 == 2)
			memset(host, 0xff, 16);
		for (j = 0; j < 16; j++) {
			uint8_t keep;

			if (q->depth >= 8 * (j + 1))
				keep = 0xff;
			else if (q->depth <= 8 * j)
				keep = 0;
			else
				keep = (uint8_t)(0xff00u >> (q->depth - 8 * j));
			ips[i][j] = (uint8_t)((q->prefix[j] & keep) | (host[j] & ~keep));
		}
	}
	fab_route_lookup_v6_bulk(ra, (const uint8_t (*)[16])ips, ta, RAND_LOOKUPS);
	fab_route_lookup_v6_bulk(rb, (const uint8_t (*)[16])ips, tb, 5);
	fab_route_lookup_v6_bulk(rb, (const uint8_t (*)[16])(ips + 5), tb + 5,
		RAND_LOOKUPS - 5);
	for (i = 0; i < RAND_LOOKUPS; i++) {
		uint64_t want = ref_lookup6(rt, n, ips[i]);

		if (ta[i] != want || tb[i] != want)
			bad++;
		if (want != FAB_ROUTE_MISS)
			(*hits)++;
	}
	return bad;
}

static void
test_route_backends_agree_v6(void)
{
	static struct route6 rt[RAND_ROUTES];
	struct fab_route *ra = route_new("rt_agree6_a", FAB_ROUTE_DIR24_8, true, 1000);
	struct fab_route *rb = route_new("rt_agree6_b", FAB_ROUTE_COMPACT, true, 1000);
	uint32_t members[2] = { 4, 9 };
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	unsigned int i, j, hits = 0, dups = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(ra);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rb);
	add_nexthops(ra, 64);
	add_nexthops(rb, 64);
	CU_ASSERT_EQUAL(fab_route_group_add(ra, members, 2), 0);
	CU_ASSERT_EQUAL(fab_route_group_add(rb, members, 2), 0);

	for (i = 0; i < RAND_ROUTES; i++) {
		uint8_t d = rand_depth(&seed, 128);
		uint64_t x = xs64(&seed);
		int ea, eb;

		for (j = 0; j < 16; j += 8) {
			uint64_t y = xs64(&seed);

			memcpy(rt[i].prefix + j, &y, 8);
		}
		/* Most under 2001:db8::/32, with few distinct bits after it. */
		if (x % 8 != 0) {
			rt[i].prefix[0] = 0x20;
			rt[i].prefix[1] = 0x01;
			rt[i].prefix[2] = 0x0d;
			rt[i].prefix[3] = 0xb8;
			rt[i].prefix[4] &= 0x03;
			rt[i].prefix[7] &= 0x0f;
		}
		mask6(rt[i].prefix, d);
		rt[i].depth = d;
		rt[i].target = x % 5 == 0 ? fab_route_target_group(0) :
			fab_route_target_nh((uint32_t)(x >> 8) % 64);
		ea = fab_route_add_v6(ra, rt[i].prefix, d, rt[i].target);
		eb = fab_route_add_v6(rb, rt[i].prefix, d, rt[i].target);
		CU_ASSERT_EQUAL(ea, eb);
		CU_ASSERT(ea == 0 || ea == -EEXIST);
		rt[i].live = ea == 0;
		dups += ea == -EEXIST;
	}
	CU_ASSERT_EQUAL(compare6(ra, rb, rt, RAND_ROUTES, &seed, &hits), 0);
	CU_ASSERT(hits > RAND_LOOKUPS / 2);
	CU_ASSERT(dups > 0);

	for (i = 1; i < RAND_ROUTES; i += 2) {
		if (!rt[i].live)
			continue;
		CU_ASSERT_EQUAL(fab_route_del_v6(ra, rt[i].prefix, rt[i].depth), 0);
		CU_ASSERT_EQUAL(fab_route_del_v6(rb, rt[i].prefix, rt[i].depth), 0);
		rt[i].live = false;
	}
	hits = 0;
	CU_ASSERT_EQUAL(compare6(ra, rb, rt, RAND_ROUTES, &seed, &hits), 0);
	CU_ASSERT(hits > RAND_LOOKUPS / 4);
	fab_route_free(ra);
	fab_route_free(rb);
}

/* What docs/modules/route.md promises of each backend's memory. */
static size_t
heap_in_use(void)
{
	struct rte_malloc_socket_stats s;
	unsigned int i;
	size_t sum = 0;

	for (i = 0; i < rte_socket_count(); i++)
		if (rte_malloc_get_socket_stats(rte_socket_id_by_idx(i), &s) == 0)
			sum += s.heap_allocsz_bytes;
	return sum;
}

static size_t
footprint(enum fab_route_backend backend, bool ipv6)
{
	size_t before = heap_in_use(), after;
	struct fab_route *r = route_new("rt_mem", backend, ipv6, 1000);
	uint64_t seed = 7;
	unsigned int n = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	add_nexthops(r, 64);
	while (n < 1000) {
		uint32_t ip = (uint32_t)xs64(&seed) & 0xffffff00u;

		n += fab_route_add_v4(r, ip, 24, fab_route_target_nh(n % 64)) == 0;
	}
	after = heap_in_use();
	fab_route_free(r);
	CU_ASSERT_EQUAL(heap_in_use(), before);
	return after - before;
}

static void
test_route_memory(void)
{
	size_t dir4 = footprint(FAB_ROUTE_DIR24_8, false);
	size_t compact4 = footprint(FAB_ROUTE_COMPACT, false);
	size_t compact46 = footprint(FAB_ROUTE_COMPACT, true);

	/* tbl24 alone is 2^24 entries of 4 bytes. */
	CU_ASSERT(dir4 >= (size_t)64 << 20);
	CU_ASSERT(compact4 < (size_t)1 << 20);
	CU_ASSERT(compact46 < (size_t)2 << 20);
}

/* ------------------------------------------------------------------ */
/* Next hops and ECMP groups                                           */
/* ------------------------------------------------------------------ */

static void
check_balanced(const struct fab_nh_group *g, uint16_t n, uint32_t n_buckets)
{
	uint32_t count[FAB_NH_GROUP_MAX_MEMBERS] = { 0 };
	uint32_t i;

	CU_ASSERT_EQUAL(g->n_members, n);
	CU_ASSERT_EQUAL((uint32_t)g->bucket_mask + 1, n_buckets);
	for (i = 0; i < n_buckets; i++) {
		CU_ASSERT_FATAL(g->buckets[i] < n);
		count[g->buckets[i]]++;
	}
	for (i = 0; i < n; i++)
		CU_ASSERT(count[i] == n_buckets / n ||
			count[i] == (n_buckets + n - 1) / n);
}

static void
test_nh_group_fill(void)
{
	static const uint16_t mins[] = { 0, 16, 64, 256, 1024 };
	struct fab_nh_group g;
	uint32_t members[FAB_NH_GROUP_MAX_MEMBERS + 1];
	uint32_t i, k, want;
	uint16_t n;

	for (i = 0; i < RTE_DIM(members); i++)
		members[i] = 100 + i;

	/* Exact cases. */
	CU_ASSERT_EQUAL(fab_nh_group_init(&g, members, 3, 0), 0);
	CU_ASSERT_EQUAL(g.bucket_mask, 63);
	CU_ASSERT_EQUAL(g.buckets[0], 0);
	CU_ASSERT_EQUAL(g.buckets[1], 1);
	CU_ASSERT_EQUAL(g.buckets[2], 2);
	CU_ASSERT_EQUAL(g.buckets[3], 0);
	CU_ASSERT_EQUAL(g.buckets[63], 0); /* 22, 21, 21 buckets */
	CU_ASSERT_EQUAL(g.members[2], 102);
	CU_ASSERT_EQUAL(fab_nh_group_init(&g, members, 5, 0), 0);
	CU_ASSERT_EQUAL(g.bucket_mask, 127); /* 16 * 5 = 80 -> 128 */
	CU_ASSERT_EQUAL(fab_nh_group_init(&g, members, 64, 16), 0);
	CU_ASSERT_EQUAL(g.bucket_mask, 1023);
	CU_ASSERT_EQUAL(fab_nh_group_init(&g, members, 1, 0), 0);
	for (k = 0; k < 64; k++)
		CU_ASSERT_EQUAL(fab_nh_group_select(&g, k * 2654435761u), 0);

	for (n = 1; n <= FAB_NH_GROUP_MAX_MEMBERS; n++)
		for (i = 0; i < RTE_DIM(mins); i++) {
			uint32_t min = mins[i] == 0 ? FAB_NH_GROUP_DEFAULT_BUCKETS : mins[i];

			want = rte_align32pow2(16u * n);
			if (want < min)
				want = min;
			CU_ASSERT_EQUAL(fab_nh_group_init(&g, members, n, mins[i]), 0);
			check_balanced(&g, n, want);
			CU_ASSERT_EQUAL(memcmp(g.members, members,
					n * sizeof(members[0])), 0);
		}

	CU_ASSERT_EQUAL(fab_nh_group_init(&g, members, 0, 0), -EINVAL);
	CU_ASSERT_EQUAL(fab_nh_group_init(&g, members,
			FAB_NH_GROUP_MAX_MEMBERS + 1, 0), -EINVAL);
	CU_ASSERT_EQUAL(fab_nh_group_init(&g, NULL, 2, 0), -EINVAL);
	CU_ASSERT_EQUAL(fab_nh_group_init(NULL, members, 2, 0), -EINVAL);
	CU_ASSERT_EQUAL(fab_nh_group_init(&g, members, 2, 48), -EINVAL);
	CU_ASSERT_EQUAL(fab_nh_group_init(&g, members, 2, 8), -EINVAL);
	CU_ASSERT_EQUAL(fab_nh_group_init(&g, members, 2, 2048), -EINVAL);
}

static void
test_route_groups(void)
{
	struct fab_route_conf conf = {
		.name = "rt_groups", .socket_id = SOCKET_ID_ANY,
		.backend = FAB_ROUTE_COMPACT, .max_routes = 8,
		.max_nexthops = 80, .max_groups = 4, .group_buckets = 256,
	};
	struct fab_route *r = fab_route_create(&conf);
	uint32_t ids[FAB_NH_GROUP_MAX_MEMBERS + 1];
	const struct fab_nh_group *g;
	const struct fab_nexthop *nh;
	uint32_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	add_nexthops(r, 66);
	for (i = 0; i < RTE_DIM(ids); i++)
		ids[i] = i;

	nh = fab_route_nexthop(r, 65);
	CU_ASSERT_PTR_NOT_NULL_FATAL(nh);
	CU_ASSERT_EQUAL(nh->port, 65);
	CU_ASSERT_EQUAL(nh->dst_mac.addr_bytes[0], 0x02);
	CU_ASSERT_EQUAL(nh->dst_mac.addr_bytes[5], 65);
	CU_ASSERT_PTR_NULL(fab_route_nexthop(r, 66));
	CU_ASSERT_PTR_NULL(fab_route_nexthop(NULL, 0));

	CU_ASSERT_EQUAL(fab_route_group_add(r, ids, 0), -EINVAL);
	CU_ASSERT_EQUAL(fab_route_group_add(r, ids, FAB_NH_GROUP_MAX_MEMBERS + 1),
		-EINVAL);
	CU_ASSERT_EQUAL(fab_route_group_add(r, NULL, 2), -EINVAL);
	CU_ASSERT_EQUAL(fab_route_group_add(NULL, ids, 2), -EINVAL);
	ids[1] = 66;
	CU_ASSERT_EQUAL(fab_route_group_add(r, ids, 2), -ENOENT);
	ids[1] = 1;

	CU_ASSERT_EQUAL(fab_route_group_add(r, ids + 10, 4), 0);
	CU_ASSERT_EQUAL(fab_route_group_add(r, ids, FAB_NH_GROUP_MAX_MEMBERS), 1);
	g = fab_route_group(r, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	CU_ASSERT_EQUAL(g->n_members, 4);
	CU_ASSERT_EQUAL(g->bucket_mask, 255); /* the configured minimum */
	CU_ASSERT_EQUAL(g->members[0], 10);
	CU_ASSERT_EQUAL(g->members[3], 13);
	check_balanced(g, 4, 256);
	g = fab_route_group(r, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	CU_ASSERT_EQUAL(g->bucket_mask, 1023);
	CU_ASSERT_PTR_NULL(fab_route_group(r, 2));
	CU_ASSERT_PTR_NULL(fab_route_group(NULL, 0));

	/* A route to a group keeps following the group when its members change. */
	CU_ASSERT_EQUAL(fab_route_add_v4(r, IP4(10, 0, 0, 0), 8,
			fab_route_target_group(0)), 0);
	CU_ASSERT_EQUAL(fab_route_group_set(r, 0, ids + 20, 3), 0);
	g = fab_route_group(r, 0);
	CU_ASSERT_EQUAL(g->n_members, 3);
	CU_ASSERT_EQUAL(g->members[2], 22);
	check_balanced(g, 3, 256);
	CU_ASSERT_EQUAL(lookup4(r, IP4(10, 9, 9, 9)), fab_route_target_group(0));
	CU_ASSERT_EQUAL(fab_route_group_set(r, 2, ids, 3), -ENOENT);
	CU_ASSERT_EQUAL(fab_route_group_set(r, 0, ids, 0), -EINVAL);
	ids[0] = 99;
	CU_ASSERT_EQUAL(fab_route_group_set(r, 0, ids, 1), -ENOENT);

	/* The tables a forwarding loop indexes hold what the checked accessors return. */
	CU_ASSERT_PTR_NULL(fab_route_nexthop_table(NULL));
	CU_ASSERT_PTR_NULL(fab_route_group_table(NULL));
	for (i = 0; i < 66; i++)
		CU_ASSERT_PTR_EQUAL(&fab_route_nexthop_table(r)[i], fab_route_nexthop(r, i));
	for (i = 0; i < 2; i++)
		CU_ASSERT_PTR_EQUAL(&fab_route_group_table(r)[i], fab_route_group(r, i));
	fab_route_free(r);
}

/* ------------------------------------------------------------------ */
/* Flow hash                                                           */
/* ------------------------------------------------------------------ */

enum flow_field { F_SRC_IP, F_DST_IP, F_SRC_PORT, F_DST_PORT, F_PROTO, F_MAX };

static void
flow_base(struct fab_flow_key *k, bool is_v6)
{
	memset(k, 0, sizeof(*k));
	k->l3 = is_v6 ? FAB_L3_IPV6 : FAB_L3_IPV4;
	if (is_v6) {
		v6(k->src.v6, "fd00::1");
		v6(k->dst.v6, "fd00:0:0:1::1");
	} else {
		k->src.v4 = htonl(IP4(10, 0, 0, 1));
		k->dst.v4 = htonl(IP4(10, 1, 0, 1));
	}
	k->src_port = htons(49152);
	k->dst_port = htons(FAB_ROCE_UDP_PORT);
	k->proto = IPPROTO_UDP;
}

/* Flow i: the base flow with one field stepped i times, as real traffic does. */
static void
flow_vary(struct fab_flow_key *k, enum flow_field f, uint32_t i)
{
	uint32_t low;

	switch (f) {
	case F_SRC_IP:
	case F_DST_IP: {
		union fab_ip_addr *a = f == F_SRC_IP ? &k->src : &k->dst;

		if (k->l3 == FAB_L3_IPV4) {
			a->v4 = htonl(ntohl(a->v4) + i);
		} else {
			memcpy(&low, a->v6 + 12, 4);
			low = htonl(ntohl(low) + i);
			memcpy(a->v6 + 12, &low, 4);
		}
		break;
	}
	case F_SRC_PORT:
		k->src_port = htons((uint16_t)(49152 + i));
		break;
	case F_DST_PORT:
		k->dst_port = htons((uint16_t)(1024 + i));
		break;
	case F_PROTO:
		k->proto = (uint8_t)i;
		break;
	default:
		break;
	}
}

static double
chi2_uniform(const uint32_t *count, unsigned int k, uint32_t n)
{
	double e = (double)n / k, s = 0;
	unsigned int i;

	for (i = 0; i < k; i++)
		s += (count[i] - e) * (count[i] - e) / e;
	return s;
}

static void
test_flow_hash_known_answers(void)
{
	struct fab_flow_key k;

	/*
	 * Computed independently (bitwise CRC32C in Python, then fmix32): the
	 * hash must be the same on every machine for virtual time to be
	 * deterministic.
	 */
	memset(&k, 0, sizeof(k));
	k.l3 = FAB_L3_IPV4;
	k.src.v4 = htonl(IP4(10, 0, 0, 1));
	k.dst.v4 = htonl(IP4(10, 1, 0, 2));
	k.src_port = htons(49152);
	k.dst_port = htons(4791);
	k.proto = 17;
	CU_ASSERT_EQUAL(fab_flow_hash(&k, 0), 0xb1fd39cbu);
	CU_ASSERT_EQUAL(fab_flow_hash(&k, 0x5eed0001u), 0x1f769a48u);
	memset(&k, 0, sizeof(k));
	k.l3 = FAB_L3_IPV6;
	v6(k.src.v6, "fd00::1");
	v6(k.dst.v6, "fd00::2");
	k.src_port = htons(49152);
	k.dst_port = htons(4791);
	k.proto = 17;
	CU_ASSERT_EQUAL(fab_flow_hash(&k, 0x5eed0001u), 0x522d2097u);
	CU_ASSERT_EQUAL(fab_hash_fmix32(0), 0);
	CU_ASSERT_EQUAL(fab_hash_fmix32(1), 0x514e28b7u);
}

/*
 * Each field varied alone over 1000 flows (protocol over its 256 values)
 * spreads evenly over 4 members: chi-square, 3 degrees of freedom, p=0.001.
 * Also over 2 members, the smallest power of two.
 */
static void
test_flow_hash_uniform_per_field(void)
{
	static const uint32_t seeds[] = { 0x5eed0001u, 0xa5a5a5a5u, 0 };
	uint32_t members[4] = { 0, 1, 2, 3 };
	struct fab_nh_group g4, g2;
	unsigned int s, f, v;

	CU_ASSERT_EQUAL_FATAL(fab_nh_group_init(&g4, members, 4, 0), 0);
	CU_ASSERT_EQUAL_FATAL(fab_nh_group_init(&g2, members, 2, 0), 0);
	for (s = 0; s < RTE_DIM(seeds); s++)
		for (v = 0; v < 2; v++)
			for (f = 0; f < F_MAX; f++) {
				uint32_t n = f == F_PROTO ? 256 : 1000;
				uint32_t c4[4] = { 0 }, c2[2] = { 0 }, i;
				double x4, x2;

				for (i = 0; i < n; i++) {
					struct fab_flow_key k;
					uint32_t h;

					flow_base(&k, v == 1);
					flow_vary(&k, f, i);
					h = fab_flow_hash(&k, seeds[s]);
					c4[fab_nh_group_select(&g4, h)]++;
					c2[fab_nh_group_select(&g2, h)]++;
				}
				x4 = chi2_uniform(c4, 4, n);
				x2 = chi2_uniform(c2, 2, n);
				if (x4 >= CHI2_DF3_P001 || x2 >= CHI2_DF1_P001)
					fprintf(stderr, "seed %#x ipv%d field %u: chi2 %.2f / %.2f\n",
						seeds[s], v ? 6 : 4, f, x4, x2);
				CU_ASSERT(x4 < CHI2_DF3_P001);
				CU_ASSERT(x2 < CHI2_DF1_P001);
			}
}

static void
test_flow_hash_stable(void)
{
	uint32_t members[4] = { 0, 1, 2, 3 };
	static uint16_t first[1000];
	struct fab_nh_group g;
	uint32_t i, changed = 0;
	int pass;

	CU_ASSERT_EQUAL_FATAL(fab_nh_group_init(&g, members, 4, 0), 0);
	/* The same flow, rebuilt from scratch, always lands on the same member. */
	for (pass = 0; pass < 3; pass++)
		for (i = 0; i < 1000; i++) {
			uint32_t j = pass == 1 ? 999 - i : i;
			struct fab_flow_key k;
			uint16_t m;

			flow_base(&k, false);
			flow_vary(&k, F_SRC_PORT, j);
			m = fab_nh_group_select(&g, fab_flow_hash(&k, 42));
			if (pass == 0)
				first[j] = m;
			else
				CU_ASSERT_EQUAL(m, first[j]);
		}
	/* ... and a different seed moves about 3/4 of the flows. */
	for (i = 0; i < 1000; i++) {
		struct fab_flow_key k;

		flow_base(&k, false);
		flow_vary(&k, F_SRC_PORT, i);
		changed += fab_nh_group_select(&g, fab_flow_hash(&k, 43)) != first[i];
	}
	CU_ASSERT(changed > 650 && changed < 850);
}

/*
 * Two switches in a row (tiers), each choosing among 4 members. Over 4000
 * flows the joint table of their choices must be independent when their
 * seeds differ (chi-square test of independence, 9 degrees of freedom,
 * p=0.001), and fully dependent when they are equal (polarization).
 */
static double
chi2_joint(uint32_t t[4][4], uint32_t n)
{
	double row[4] = { 0 }, col[4] = { 0 }, s = 0;
	unsigned int a, b;

	for (a = 0; a < 4; a++)
		for (b = 0; b < 4; b++) {
			row[a] += t[a][b];
			col[b] += t[a][b];
		}
	for (a = 0; a < 4; a++)
		for (b = 0; b < 4; b++) {
			double e = row[a] * col[b] / n;

			s += (t[a][b] - e) * (t[a][b] - e) / e;
		}
	return s;
}

static void
joint_table(uint32_t t[4][4], uint32_t seed_a, uint32_t seed_b, bool random_flows)
{
	uint32_t members[4] = { 0, 1, 2, 3 };
	struct fab_nh_group g;
	uint64_t rs = 0x853c49e6748fea9bull;
	uint32_t i;

	memset(t, 0, sizeof(uint32_t) * 16);
	CU_ASSERT_EQUAL_FATAL(fab_nh_group_init(&g, members, 4, 0), 0);
	for (i = 0; i < 4000; i++) {
		struct fab_flow_key k;

		flow_base(&k, false);
		if (random_flows) {
			k.src.v4 = (uint32_t)xs64(&rs);
			k.dst.v4 = (uint32_t)xs64(&rs);
			k.src_port = (uint16_t)xs64(&rs);
		} else {
			/* RoCE: one host pair, the UDP source port is the entropy. */
			flow_vary(&k, F_SRC_PORT, i);
		}
		t[fab_nh_group_select(&g, fab_flow_hash(&k, seed_a))]
		 [fab_nh_group_select(&g, fab_flow_hash(&k, seed_b))]++;
	}
}

static void
test_flow_hash_seeds_independent(void)
{
	static const uint32_t pairs[][2] = {
		{ 1, 2 }, { 0x5eed0001u, 0x5eed0002u }, { 0, 0xffffffffu },
	};
	uint32_t t[4][4];
	unsigned int p, a, b, r;

	for (p = 0; p < RTE_DIM(pairs); p++)
		for (r = 0; r < 2; r++) {
			double x;

			joint_table(t, pairs[p][0], pairs[p][1], r == 1);
			x = chi2_joint(t, 4000);
			if (x >= CHI2_DF9_P001)
				fprintf(stderr, "seeds %#x/%#x: chi2 %.2f\n",
					pairs[p][0], pairs[p][1], x);
			CU_ASSERT(x < CHI2_DF9_P001);

			/* Equal seeds: every flow takes the same index at both tiers. */
			joint_table(t, pairs[p][0], pairs[p][0], r == 1);
			for (a = 0; a < 4; a++)
				for (b = 0; b < 4; b++)
					if (a != b)
						CU_ASSERT_EQUAL(t[a][b], 0);
			CU_ASSERT(chi2_joint(t, 4000) > CHI2_DF9_P001);
		}
}

int
fab_suite_route(void)
{
	CU_pSuite s = fab_test_add_suite("route");

	if (s == NULL)
		return -1;
	FAB_ADD_TEST(s, test_route_create_invalid);
	FAB_ADD_TEST(s, test_route_targets);
	FAB_ADD_TEST(s, test_route_lpm_v4_nested);
	FAB_ADD_TEST(s, test_route_lpm_v6_nested);
	FAB_ADD_TEST(s, test_route_default_full_cover);
	FAB_ADD_TEST(s, test_route_miss_empty);
	FAB_ADD_TEST(s, test_route_full);
	FAB_ADD_TEST(s, test_route_backends_agree_v4);
	FAB_ADD_TEST(s, test_route_backends_agree_v6);
	FAB_ADD_TEST(s, test_route_memory);
	FAB_ADD_TEST(s, test_nh_group_fill);
	FAB_ADD_TEST(s, test_route_groups);
	FAB_ADD_TEST(s, test_flow_hash_known_answers);
	FAB_ADD_TEST(s, test_flow_hash_uniform_per_field);
	FAB_ADD_TEST(s, test_flow_hash_stable);
	FAB_ADD_TEST(s, test_flow_hash_seeds_independent);
	return 0;
}
