/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/* Getters for network values: MAC addresses, IP prefixes, code point maps. */

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fab_yaml.h"

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static bool
parse_mac(const char *s, struct rte_ether_addr *out)
{
	char sep = 0;
	unsigned int i;

	for (i = 0; i < RTE_ETHER_ADDR_LEN; i++) {
		int hi = hex_value(s[0]), lo = hi < 0 ? -1 : hex_value(s[1]);

		if (hi < 0 || lo < 0)
			return false;
		out->addr_bytes[i] = (uint8_t)(hi << 4 | lo);
		s += 2;
		if (i == RTE_ETHER_ADDR_LEN - 1)
			break;
		if (sep == 0 && (*s == ':' || *s == '-'))
			sep = *s;
		if (*s != sep)
			return false;
		s++;
	}
	return *s == '\0';
}

int
fab_yaml_get_mac(const struct fab_yaml_node *n, bool unicast,
		struct rte_ether_addr *out, char *err, size_t errlen)
{
	static const char expected[] = "a MAC address (like 02:00:00:00:00:01)";
	struct rte_ether_addr mac;

	if (n == NULL || n->type != FAB_YAML_SCALAR || n->is_null)
		return fab_yaml_error(n, err, errlen, "expected %s, found %s", expected,
				fab_yaml_type_name(n));
	if (!parse_mac(n->value, &mac))
		return fab_yaml_error(n, err, errlen, "expected %s, found '%s'", expected,
				n->value);
	if (unicast && !rte_is_unicast_ether_addr(&mac))
		return fab_yaml_error(n, err, errlen,
				"%s is a multicast address; a unicast one is needed here",
				n->value);
	if (unicast && rte_is_zero_ether_addr(&mac))
		return fab_yaml_error(n, err, errlen,
				"%s is the zero address; a unicast one is needed here", n->value);
	*out = mac;
	return 0;
}

int
fab_yaml_get_prefix(const struct fab_yaml_node *n, struct fab_ip_prefix *out,
		char *err, size_t errlen)
{
	static const char expected[] =
		"an IPv4 or IPv6 prefix (like 10.0.1.0/24 or 2001:db8::/64)";
	struct fab_ip_prefix pfx;
	char addr[INET6_ADDRSTRLEN + 1];
	const char *slash;
	unsigned int max_depth, depth, i;
	uint8_t *bytes;
	size_t addr_len;
	bool v6;

	if (n == NULL || n->type != FAB_YAML_SCALAR || n->is_null)
		return fab_yaml_error(n, err, errlen, "expected %s, found %s", expected,
				fab_yaml_type_name(n));
	slash = strchr(n->value, '/');
	addr_len = slash != NULL ? (size_t)(slash - n->value) : n->len;
	if (addr_len == 0 || addr_len >= sizeof(addr))
		return fab_yaml_error(n, err, errlen, "expected %s, found '%s'", expected,
				n->value);
	memcpy(addr, n->value, addr_len);
	addr[addr_len] = '\0';
	memset(&pfx, 0, sizeof(pfx));
	v6 = strchr(addr, ':') != NULL;
	if (inet_pton(v6 ? AF_INET6 : AF_INET, addr, v6 ? (void *)pfx.addr.v6 :
			(void *)&pfx.addr.v4) != 1)
		return fab_yaml_error(n, err, errlen, "expected %s, found '%s'", expected,
				n->value);
	pfx.l3 = v6 ? FAB_L3_IPV6 : FAB_L3_IPV4;
	max_depth = v6 ? 128 : 32;
	depth = max_depth;
	if (slash != NULL) {
		const char *d = slash + 1;

		if (*d == '\0' || strlen(d) > 3 || d[strspn(d, "0123456789")] != '\0')
			return fab_yaml_error(n, err, errlen, "expected %s, found '%s'",
					expected, n->value);
		depth = (unsigned int)atoi(d);
		if (depth > max_depth)
			return fab_yaml_error(n, err, errlen,
					"prefix length %u is out of range for %s [0, %u]",
					depth, v6 ? "IPv6" : "IPv4", max_depth);
	}
	pfx.depth = (uint8_t)depth;

	/* Host bits set usually means a typo in the address or the length. */
	bytes = v6 ? pfx.addr.v6 : (uint8_t *)&pfx.addr.v4;
	for (i = 0; i < max_depth / 8; i++) {
		unsigned int keep = depth >= (i + 1) * 8 ? 8 : depth > i * 8 ? depth - i * 8 : 0;
		uint8_t mask = (uint8_t)(0xff00u >> keep);

		if ((bytes[i] & (uint8_t)~mask) != 0) {
			char fixed[INET6_ADDRSTRLEN];
			unsigned int j;

			for (j = i; j < max_depth / 8; j++) {
				keep = depth >= (j + 1) * 8 ? 8 : depth > j * 8 ? depth - j * 8 : 0;
				bytes[j] &= (uint8_t)(0xff00u >> keep);
			}
			inet_ntop(v6 ? AF_INET6 : AF_INET, bytes, fixed, sizeof(fixed));
			return fab_yaml_error(n, err, errlen,
					"'%s' has bits set beyond the prefix length; did you mean %s/%u?",
					n->value, fixed, depth);
		}
	}
	*out = pfx;
	return 0;
}

/* "N" or "A-B", digits only. */
static bool
parse_code_range(const char *s, unsigned long *lo, unsigned long *hi)
{
	char *end;

	if (!isdigit((unsigned char)s[0]))
		return false;
	*lo = strtoul(s, &end, 10);
	if (*end == '\0') {
		*hi = *lo;
		return true;
	}
	if (*end != '-' || !isdigit((unsigned char)end[1]))
		return false;
	*hi = strtoul(end + 1, &end, 10);
	return *end == '\0';
}

int
fab_yaml_get_class_map(const struct fab_yaml_node *n, const char *what,
		unsigned int nb_codes, uint8_t *map, char *err, size_t errlen)
{
	const struct fab_yaml_node *first[64];
	uint8_t result[64];
	uint32_t i;
	int ret;

	if (nb_codes == 0 || nb_codes > RTE_DIM(result))
		return -EINVAL;
	ret = fab_yaml_expect(n, FAB_YAML_MAPPING, err, errlen);
	if (ret < 0)
		return ret;
	memset(first, 0, sizeof(first));
	memset(result, 0, sizeof(result));
	for (i = 0; i < n->count; i++) {
		const struct fab_yaml_node *key = n->keys[i];
		unsigned long lo, hi, c;
		uint64_t cls;

		if (!parse_code_range(key->value, &lo, &hi))
			return fab_yaml_error(key, err, errlen,
					"expected a %s value or range (like 26 or 0-7), found '%s'",
					what, key->value);
		if (hi >= nb_codes) {
			fab_yaml_error(key, err, errlen, "%s %lu is out of range [0, %u]",
					what, hi, nb_codes - 1);
			return -ERANGE;
		}
		if (lo > hi)
			return fab_yaml_error(key, err, errlen, "%s range '%s' is reversed",
					what, key->value);
		ret = fab_yaml_get_u64(n->items[i], 0, FAB_NUM_PRIO - 1, &cls, err, errlen);
		if (ret < 0)
			return ret;
		for (c = lo; c <= hi; c++) {
			if (first[c] != NULL)
				return fab_yaml_error(key, err, errlen,
						"%s %lu is mapped twice (first at %u:%u)",
						what, c, first[c]->line, first[c]->col);
			first[c] = key;
			result[c] = (uint8_t)cls;
		}
	}
	memcpy(map, result, nb_codes);
	return 0;
}
