/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * lib/scenario and fab_switch_conf_from_profile(): the leaf/spine shorthand
 * expanded into exactly the expected nodes, ports, links, addresses, MACs
 * and routes (IPv4 and IPv6), explicit chains and ECMP over equal paths,
 * profiles and tiers, the traffic source, the run section, a model that does
 * not depend on the order of the file, the shipped examples, and every
 * validation with the line and column it reports.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fab_scenario.h"
#include <fab_collective.h>

#include "fab_test.h"

static char err[1024];

#define ASSERT_ERR(expected) \
	do { \
		CU_ASSERT_STRING_EQUAL(err, expected); \
		if (strcmp(err, expected) != 0) \
			fprintf(stderr, "\n  got:  %s\n  want: %s\n", err, expected); \
	} while (0)

static int
load(const char *text, struct fab_scenario *s)
{
	int ret;

	err[0] = '\0';
	ret = fab_scenario_load_string("t.yaml", text, NULL, s, err, sizeof(err));
	if (ret != 0)
		fprintf(stderr, "\n  load failed: %s\n", err);
	return ret;
}

/* Load "t.yaml" that must fail; err then holds the message. */
static int
load_bad(const char *text)
{
	struct fab_scenario s;
	int ret;

	err[0] = '\0';
	ret = fab_scenario_load_string("t.yaml", text, NULL, &s, err, sizeof(err));
	/* A failed load leaves the scenario zeroed. */
	CU_ASSERT_PTR_NULL(s.nodes);
	CU_ASSERT_PTR_NULL(s.switches);
	CU_ASSERT_PTR_NULL(s.path);
	CU_ASSERT_EQUAL(s.nb_nodes, 0);
	fab_scenario_free(&s);
	return ret;
}

static const char *
mac_str(const struct rte_ether_addr *m)
{
	static char buf[4][RTE_ETHER_ADDR_FMT_SIZE];
	static unsigned int k;
	char *b = buf[k++ % 4];

	snprintf(b, RTE_ETHER_ADDR_FMT_SIZE, "%02x:%02x:%02x:%02x:%02x:%02x",
			m->addr_bytes[0], m->addr_bytes[1], m->addr_bytes[2], m->addr_bytes[3],
			m->addr_bytes[4], m->addr_bytes[5]);
	return b;
}

static const char *
addr_str(uint8_t l3, const union fab_ip_addr *a)
{
	static char buf[4][64];
	static unsigned int k;
	char *b = buf[k++ % 4];

	fab_scenario_format_addr(l3, a, b, 64);
	return b;
}

static const struct fab_scn_switch *
sw_by_name(const struct fab_scenario *s, const char *name)
{
	int n = fab_scenario_node_by_name(s, name);

	CU_ASSERT_FATAL(n >= 0);
	CU_ASSERT_FATAL(s->nodes[n].kind == FAB_SCN_SWITCH);
	return &s->switches[s->nodes[n].index];
}

static const struct fab_scn_host *
host_by_name(const struct fab_scenario *s, const char *name)
{
	int n = fab_scenario_node_by_name(s, name);

	CU_ASSERT_FATAL(n >= 0);
	CU_ASSERT_FATAL(s->nodes[n].kind == FAB_SCN_HOST);
	return &s->hosts[s->nodes[n].index];
}

/*
 * Route @p r of @p c as "PREFIX/LEN via PORT MAC, PORT MAC", to compare
 * whole routes at once.
 */
static const char *
route_str(const struct fab_switch_conf *c, uint32_t r)
{
	static char buf[512];
	const struct fab_conf_route *rt = &c->routes[r];
	size_t pos;
	uint16_t k;

	pos = (size_t)snprintf(buf, sizeof(buf), "%s/%u via",
			addr_str(rt->prefix.l3, &rt->prefix.addr), rt->prefix.depth);
	for (k = 0; k < rt->nb_nexthops && pos < sizeof(buf); k++) {
		const struct fab_conf_nexthop *nh = &c->nexthops[rt->first_nexthop + k];

		pos += (size_t)snprintf(buf + pos, sizeof(buf) - pos, "%s %s %s",
				k == 0 ? "" : ",", c->ports[nh->port].name, mac_str(&nh->mac));
	}
	return buf;
}

#define ASSERT_ROUTE(c, r, expected) \
	do { \
		const char *got_ = route_str((c), (r)); \
		CU_ASSERT_STRING_EQUAL(got_, expected); \
		if (strcmp(got_, expected) != 0) \
			fprintf(stderr, "\n  route %u got:  %s\n  want: %s\n", (r), got_, expected); \
	} while (0)

static const char *const leaf_spine_2_4_4 =
	"scenario: { name: ls, seed: 5 }\n"
	"topology:\n"
	"  leaf_spine: { spines: 2, leaves: 4, hosts_per_leaf: 4, host_rate: 100G,\n"
	"                uplink_rate: 400G, delay: 2us, cable_m: 40 }\n";

/* ------------------------------------------------------------------ */
/* The leaf/spine shorthand                                             */
/* ------------------------------------------------------------------ */

static void
test_shorthand_nodes_links(void)
{
	struct fab_scenario s;
	const struct fab_scn_node *n;
	const struct fab_scn_link *l;
	uint32_t i;

	CU_ASSERT_EQUAL_FATAL(load(leaf_spine_2_4_4, &s), 0);
	CU_ASSERT_STRING_EQUAL(s.name, "ls");
	CU_ASSERT_EQUAL(s.seed, 5);
	CU_ASSERT_TRUE(s.leaf_spine);
	CU_ASSERT_EQUAL(s.spines, 2);
	CU_ASSERT_EQUAL(s.leaves, 4);
	CU_ASSERT_EQUAL(s.hosts_per_leaf, 4);
	CU_ASSERT_EQUAL(s.nb_nodes, 22);
	CU_ASSERT_EQUAL(s.nb_switches, 6);
	CU_ASSERT_EQUAL(s.nb_hosts, 16);
	CU_ASSERT_EQUAL(s.nb_links, 24);
	CU_ASSERT_EQUAL(s.nb_subnets, 4);
	CU_ASSERT_EQUAL(s.nb_flows, 0);

	/* Nodes in natural name order: hosts, leaves, spines. */
	CU_ASSERT_STRING_EQUAL(s.nodes[0].name, "h1_1");
	CU_ASSERT_STRING_EQUAL(s.nodes[3].name, "h1_4");
	CU_ASSERT_STRING_EQUAL(s.nodes[15].name, "h4_4");
	CU_ASSERT_STRING_EQUAL(s.nodes[16].name, "leaf1");
	CU_ASSERT_STRING_EQUAL(s.nodes[19].name, "leaf4");
	CU_ASSERT_STRING_EQUAL(s.nodes[20].name, "spine1");
	CU_ASSERT_STRING_EQUAL(s.nodes[21].name, "spine2");
	for (i = 0; i < 16; i++) {
		CU_ASSERT_EQUAL(s.nodes[i].kind, FAB_SCN_HOST);
		CU_ASSERT_EQUAL(s.nodes[i].nb_ports, 1);
	}
	for (i = 16; i < 22; i++)
		CU_ASSERT_EQUAL(s.nodes[i].kind, FAB_SCN_SWITCH);
	CU_ASSERT_STRING_EQUAL(s.switches[0].tier, "leaf");
	CU_ASSERT_STRING_EQUAL(s.switches[4].tier, "spine");
	CU_ASSERT_STRING_EQUAL(s.switches[0].profile, "");

	/* leaf2: its hosts in order, then the spines; each port knows its peer. */
	n = &s.nodes[17];
	CU_ASSERT_STRING_EQUAL(n->name, "leaf2");
	CU_ASSERT_EQUAL_FATAL(n->nb_ports, 6);
	CU_ASSERT_STRING_EQUAL(n->ports[0].name, "h2_1");
	CU_ASSERT_STRING_EQUAL(n->ports[3].name, "h2_4");
	CU_ASSERT_STRING_EQUAL(n->ports[4].name, "spine1");
	CU_ASSERT_STRING_EQUAL(n->ports[5].name, "spine2");
	CU_ASSERT_EQUAL(n->ports[2].peer_node, 6);          /* h2_3 */
	CU_ASSERT_EQUAL(n->ports[2].peer_port, 0);
	CU_ASSERT_EQUAL(n->ports[5].peer_node, 21);         /* spine2 */
	CU_ASSERT_EQUAL(n->ports[5].peer_port, 1);          /* spine2's port "leaf2" */
	CU_ASSERT_STRING_EQUAL(s.nodes[21].ports[1].name, "leaf2");
	CU_ASSERT_STRING_EQUAL(s.nodes[6].ports[0].name, "eth0");

	/* Links: host links first (by their host end), then leaf-spine. */
	l = &s.links[0];
	CU_ASSERT_STRING_EQUAL(l->name, "h1_1:eth0--leaf1:h1_1");
	CU_ASSERT_EQUAL(l->rate_bps, UINT64_C(100000000000));
	CU_ASSERT_EQUAL(l->delay_ps, UINT64_C(2000000));
	CU_ASSERT_EQUAL(l->cable_m, 40);
	CU_ASSERT_EQUAL(l->end[0].node, 0);
	CU_ASSERT_EQUAL(l->end[0].port, 0);
	CU_ASSERT_EQUAL(l->end[1].node, 16);
	CU_ASSERT_EQUAL(l->end[1].port, 0);
	CU_ASSERT_FALSE(l->tap);
	CU_ASSERT_STRING_EQUAL(s.links[15].name, "h4_4:eth0--leaf4:h4_4");
	l = &s.links[19];
	CU_ASSERT_STRING_EQUAL(l->name, "leaf2:spine2--spine2:leaf2");
	CU_ASSERT_EQUAL(l->rate_bps, UINT64_C(400000000000));
	CU_ASSERT_EQUAL(l->end[0].node, 17);
	CU_ASSERT_EQUAL(l->end[0].port, 5);
	CU_ASSERT_EQUAL(l->end[1].node, 21);
	CU_ASSERT_EQUAL(l->end[1].port, 1);
	CU_ASSERT_EQUAL(s.nodes[17].ports[5].link, 19);
	CU_ASSERT_EQUAL(s.nodes[17].ports[5].end, 0);
	CU_ASSERT_EQUAL(s.nodes[21].ports[1].link, 19);
	CU_ASSERT_EQUAL(s.nodes[21].ports[1].end, 1);
	CU_ASSERT_STRING_EQUAL(s.links[23].name, "leaf4:spine2--spine2:leaf4");

	CU_ASSERT_EQUAL(fab_scenario_link_by_name(&s, "leaf2:spine2--spine2:leaf2"), 19);
	CU_ASSERT_EQUAL(fab_scenario_link_by_name(&s, "spine2:leaf2--leaf2:spine2"), 19);
	CU_ASSERT_EQUAL(fab_scenario_link_by_name(&s, "leaf2:spine2--spine1:leaf2"), -ENOENT);
	CU_ASSERT_EQUAL(fab_scenario_node_by_name(&s, "leaf10"), -ENOENT);
	CU_ASSERT_EQUAL(fab_scenario_node_by_name(&s, "spine2"), 21);

	/* Run defaults. */
	CU_ASSERT_EQUAL(s.run.time, FAB_SCN_TIME_VIRTUAL);
	CU_ASSERT_TRUE(s.run.end_when_done);
	CU_ASSERT_EQUAL(s.run.sample_interval_ps, UINT64_C(10000000));
	CU_ASSERT_EQUAL(s.run.nb_taps, 0);
	CU_ASSERT_EQUAL(s.traffic_mtu, 4096);
	fab_scenario_free(&s);
	CU_ASSERT_PTR_NULL(s.nodes);
}

static void
test_shorthand_addresses(void)
{
	struct fab_scenario s;
	const struct fab_scn_host *h;
	const struct fab_scn_subnet *sn;
	uint32_t i;

	CU_ASSERT_EQUAL_FATAL(load(leaf_spine_2_4_4, &s), 0);
	CU_ASSERT_EQUAL(s.l3, FAB_L3_IPV4);
	CU_ASSERT_STRING_EQUAL(addr_str(s.l3, &s.base.addr), "10.0.0.0");
	CU_ASSERT_EQUAL(s.base.depth, 8);
	for (i = 0; i < 4; i++) {
		char want[32];

		sn = &s.subnets[i];
		snprintf(want, sizeof(want), "10.0.%u.0", i + 1);
		CU_ASSERT_STRING_EQUAL(addr_str(sn->prefix.l3, &sn->prefix.addr), want);
		CU_ASSERT_EQUAL(sn->prefix.depth, 24);
		CU_ASSERT_EQUAL(sn->sw_node, 16 + i);
		CU_ASSERT_EQUAL(sn->first_host, 4 * i);
		CU_ASSERT_EQUAL(sn->nb_hosts, 4);
		CU_ASSERT_EQUAL(s.switches[i].subnet, i);
	}
	CU_ASSERT_EQUAL(s.switches[4].subnet, FAB_SCN_NONE);

	h = host_by_name(&s, "h2_3");
	CU_ASSERT_EQUAL(h, &s.hosts[6]);
	CU_ASSERT_EQUAL(h->l3, FAB_L3_IPV4);
	CU_ASSERT_EQUAL(h->addr.v4, htonl(0x0a000203));
	CU_ASSERT_STRING_EQUAL(mac_str(&h->mac), "02:00:00:00:02:03");
	CU_ASSERT_EQUAL(h->subnet, 1);
	CU_ASSERT_EQUAL(h->rate_bps, UINT64_C(100000000000));
	CU_ASSERT_EQUAL(h->link, 6);
	CU_ASSERT_EQUAL(h->sw_node, 17);
	CU_ASSERT_EQUAL(h->sw_port, 2);
	/* leaf2 is switch 2: 02:fa:b0:00:02:PORT. */
	CU_ASSERT_STRING_EQUAL(mac_str(&h->gw_mac), "02:fa:b0:00:02:02");
	h = host_by_name(&s, "h4_4");
	CU_ASSERT_STRING_EQUAL(addr_str(h->l3, &h->addr), "10.0.4.4");
	CU_ASSERT_STRING_EQUAL(mac_str(&h->mac), "02:00:00:00:04:04");
	CU_ASSERT_STRING_EQUAL(addr_str(s.hosts[0].l3, &s.hosts[0].addr), "10.0.1.1");

	/* Seeds: from the scenario seed and the name, so stable and all different. */
	CU_ASSERT_NOT_EQUAL(s.nodes[0].seed, s.nodes[1].seed);
	CU_ASSERT_EQUAL(s.switches[0].conf.seed, s.nodes[16].seed);
	CU_ASSERT_EQUAL(s.switches[0].conf.hash_seed, s.nodes[16].seed);
	CU_ASSERT_NOT_EQUAL(s.switches[0].conf.hash_seed, s.switches[1].conf.hash_seed);
	fab_scenario_free(&s);
}

static void
test_shorthand_switch_confs(void)
{
	struct fab_scenario s;
	const struct fab_switch_conf *c;
	const struct fab_conf_port *p;

	CU_ASSERT_EQUAL_FATAL(load(leaf_spine_2_4_4, &s), 0);
	c = &sw_by_name(&s, "leaf3")->conf;
	CU_ASSERT_STRING_EQUAL(c->name, "leaf3");
	CU_ASSERT_EQUAL(c->time, FAB_CONF_TIME_VIRTUAL);
	CU_ASSERT_STRING_EQUAL(mac_str(&c->mac), "02:fa:b0:00:03:00");
	CU_ASSERT_EQUAL(c->mtu, 9100);
	CU_ASSERT_EQUAL_FATAL(c->nb_ports, 6);
	p = &c->ports[1];
	CU_ASSERT_STRING_EQUAL(p->name, "h3_2");
	CU_ASSERT_EQUAL(p->kind, FAB_CONF_PORT_LINK);
	CU_ASSERT_EQUAL(p->rate_bps, UINT64_C(100000000000));
	CU_ASSERT_STRING_EQUAL(mac_str(&p->mac), "02:fa:b0:00:03:01");
	CU_ASSERT_STRING_EQUAL(mac_str(&p->peer_mac), "02:00:00:00:03:02");
	CU_ASSERT_TRUE(p->peer_mac_set);
	CU_ASSERT_FALSE(p->peer_passive);
	CU_ASSERT_EQUAL(p->cable_m, 40);
	CU_ASSERT_PTR_NULL(p->dev_name);
	CU_ASSERT_PTR_NULL(p->pcap_rx);
	/* Defaults of the switch schema, ECN resolved at each port's rate. */
	CU_ASSERT_EQUAL(p->ecn[3].kmin, 400000);
	CU_ASSERT_TRUE(p->ecn[3].enabled);
	CU_ASSERT_FALSE(p->ecn[0].enabled);
	p = &c->ports[5];
	CU_ASSERT_STRING_EQUAL(p->name, "spine2");
	CU_ASSERT_EQUAL(p->rate_bps, UINT64_C(400000000000));
	CU_ASSERT_EQUAL(p->ecn[3].kmin, 1600000);
	/* spine2 is switch 6; its port 2 faces leaf3. */
	CU_ASSERT_STRING_EQUAL(mac_str(&p->peer_mac), "02:fa:b0:00:06:02");
	CU_ASSERT_EQUAL(c->qos.lossless_mask, 0x18);
	CU_ASSERT_STRING_EQUAL(c->lb.plugin, "lb-ecmp");
	CU_ASSERT_TRUE(c->pfc.enabled);
	fab_scenario_free(&s);
}

/* Every route of one leaf and one spine. */
static void
test_shorthand_routes(void)
{
	struct fab_scenario s;
	const struct fab_switch_conf *c;

	CU_ASSERT_EQUAL_FATAL(load(leaf_spine_2_4_4, &s), 0);
	c = &sw_by_name(&s, "leaf2")->conf;
	CU_ASSERT_EQUAL_FATAL(c->nb_routes, 7);
	CU_ASSERT_EQUAL(c->nb_nexthops, 10);
	ASSERT_ROUTE(c, 0, "10.0.1.0/24 via spine1 02:fa:b0:00:05:01, spine2 02:fa:b0:00:06:01");
	ASSERT_ROUTE(c, 1, "10.0.2.1/32 via h2_1 02:00:00:00:02:01");
	ASSERT_ROUTE(c, 2, "10.0.2.2/32 via h2_2 02:00:00:00:02:02");
	ASSERT_ROUTE(c, 3, "10.0.2.3/32 via h2_3 02:00:00:00:02:03");
	ASSERT_ROUTE(c, 4, "10.0.2.4/32 via h2_4 02:00:00:00:02:04");
	ASSERT_ROUTE(c, 5, "10.0.3.0/24 via spine1 02:fa:b0:00:05:01, spine2 02:fa:b0:00:06:01");
	ASSERT_ROUTE(c, 6, "10.0.4.0/24 via spine1 02:fa:b0:00:05:01, spine2 02:fa:b0:00:06:01");
	CU_ASSERT_EQUAL(c->routes[0].nb_nexthops, 2);
	CU_ASSERT_EQUAL(c->nexthops[c->routes[0].first_nexthop].port, 4);
	CU_ASSERT_EQUAL(c->nexthops[c->routes[0].first_nexthop + 1].port, 5);
	CU_ASSERT_EQUAL(c->routes[1].prefix.l3, FAB_L3_IPV4);

	c = &sw_by_name(&s, "spine1")->conf;
	CU_ASSERT_EQUAL_FATAL(c->nb_routes, 4);
	CU_ASSERT_EQUAL(c->nb_nexthops, 4);
	ASSERT_ROUTE(c, 0, "10.0.1.0/24 via leaf1 02:fa:b0:00:01:04");
	ASSERT_ROUTE(c, 1, "10.0.2.0/24 via leaf2 02:fa:b0:00:02:04");
	ASSERT_ROUTE(c, 2, "10.0.3.0/24 via leaf3 02:fa:b0:00:03:04");
	ASSERT_ROUTE(c, 3, "10.0.4.0/24 via leaf4 02:fa:b0:00:04:04");
	CU_ASSERT_STRING_EQUAL(mac_str(&c->mac), "02:fa:b0:00:05:00");
	fab_scenario_free(&s);
}

static void
test_shorthand_ipv6(void)
{
	struct fab_scenario s;
	const struct fab_scn_host *h;
	const struct fab_switch_conf *c;
	char text[1024];

	snprintf(text, sizeof(text), "%s%s", leaf_spine_2_4_4,
			"addressing: { family: ipv6, base: \"fd00::/48\" }\n");
	CU_ASSERT_EQUAL_FATAL(load(text, &s), 0);
	CU_ASSERT_EQUAL(s.l3, FAB_L3_IPV6);
	h = host_by_name(&s, "h2_3");
	CU_ASSERT_EQUAL(h->l3, FAB_L3_IPV6);
	CU_ASSERT_STRING_EQUAL(addr_str(h->l3, &h->addr), "fd00:0:0:2::3");
	CU_ASSERT_STRING_EQUAL(mac_str(&h->mac), "02:00:00:00:02:03");
	CU_ASSERT_STRING_EQUAL(addr_str(s.subnets[3].prefix.l3, &s.subnets[3].prefix.addr),
			"fd00:0:0:4::");
	CU_ASSERT_EQUAL(s.subnets[3].prefix.depth, 64);

	c = &sw_by_name(&s, "leaf1")->conf;
	CU_ASSERT_EQUAL_FATAL(c->nb_routes, 7);
	ASSERT_ROUTE(c, 0, "fd00:0:0:1::1/128 via h1_1 02:00:00:00:01:01");
	ASSERT_ROUTE(c, 3, "fd00:0:0:1::4/128 via h1_4 02:00:00:00:01:04");
	ASSERT_ROUTE(c, 4, "fd00:0:0:2::/64 via spine1 02:fa:b0:00:05:00, spine2 02:fa:b0:00:06:00");
	ASSERT_ROUTE(c, 6, "fd00:0:0:4::/64 via spine1 02:fa:b0:00:05:00, spine2 02:fa:b0:00:06:00");
	c = &sw_by_name(&s, "spine2")->conf;
	CU_ASSERT_EQUAL_FATAL(c->nb_routes, 4);
	ASSERT_ROUTE(c, 0, "fd00:0:0:1::/64 via leaf1 02:fa:b0:00:01:05");
	ASSERT_ROUTE(c, 3, "fd00:0:0:4::/64 via leaf4 02:fa:b0:00:04:05");
	fab_scenario_free(&s);

	/* The base alone says the family; a subnet number carries into the next octet. */
	snprintf(text, sizeof(text), "%s%s", leaf_spine_2_4_4,
			"addressing: { base: \"2001:db8:ab:ff00::/56\" }\n");
	CU_ASSERT_EQUAL_FATAL(load(text, &s), 0);
	CU_ASSERT_EQUAL(s.l3, FAB_L3_IPV6);
	CU_ASSERT_STRING_EQUAL(addr_str(s.hosts[15].l3, &s.hosts[15].addr),
			"2001:db8:ab:ff04::4");
	fab_scenario_free(&s);

	/* Another IPv4 base. */
	snprintf(text, sizeof(text), "%s%s", leaf_spine_2_4_4,
			"addressing: { family: ipv4, base: 192.168.0.0/16 }\n");
	CU_ASSERT_EQUAL_FATAL(load(text, &s), 0);
	CU_ASSERT_STRING_EQUAL(addr_str(s.hosts[5].l3, &s.hosts[5].addr), "192.168.2.2");
	fab_scenario_free(&s);
}

/* ------------------------------------------------------------------ */
/* Explicit topologies                                                  */
/* ------------------------------------------------------------------ */

static const char *const chain_text =
	"topology:\n"
	"  nodes:\n"
	"    - { name: h0, kind: host, rate: 25G }\n"
	"    - { name: s1, kind: switch }\n"
	"    - { name: s2, kind: switch }\n"
	"    - { name: s3, kind: switch }\n"
	"    - { name: s4, kind: switch }\n"
	"    - { name: h1, kind: host }\n"
	"  links:\n"
	"    - { a: h0, b: s1, delay: 500ns }\n"
	"    - { a: s1, b: s2 }\n"
	"    - { a: s2:east, b: s3:west, rate: 40G, delay: 0 }\n"
	"    - { a: s3, b: s4, cable_m: 100 }\n"
	"    - { a: s4, b: h1:nic0 }\n";

static void
test_chain(void)
{
	struct fab_scenario s;
	const struct fab_switch_conf *c;
	const struct fab_scn_host *h;

	CU_ASSERT_EQUAL_FATAL(load(chain_text, &s), 0);
	CU_ASSERT_FALSE(s.leaf_spine);
	CU_ASSERT_STRING_EQUAL(s.name, "t");          /* from the file name */
	CU_ASSERT_EQUAL(s.seed, 1);
	CU_ASSERT_EQUAL(s.nb_nodes, 6);
	CU_ASSERT_EQUAL(s.nb_switches, 4);
	CU_ASSERT_EQUAL(s.nb_hosts, 2);
	CU_ASSERT_EQUAL_FATAL(s.nb_links, 5);
	CU_ASSERT_EQUAL(s.nb_subnets, 2);
	CU_ASSERT_STRING_EQUAL(s.links[0].name, "h0:eth0--s1:h0");
	CU_ASSERT_EQUAL(s.links[0].rate_bps, UINT64_C(25000000000)); /* the host's rate */
	CU_ASSERT_EQUAL(s.links[0].delay_ps, 500000);
	CU_ASSERT_STRING_EQUAL(s.links[1].name, "h1:nic0--s4:h1");
	CU_ASSERT_EQUAL(s.links[1].rate_bps, UINT64_C(100000000000));
	CU_ASSERT_EQUAL(s.links[1].delay_ps, 1000000);        /* default 1us */
	CU_ASSERT_STRING_EQUAL(s.links[2].name, "s1:s2--s2:s1");
	CU_ASSERT_STRING_EQUAL(s.links[3].name, "s2:east--s3:west");
	CU_ASSERT_EQUAL(s.links[3].rate_bps, UINT64_C(40000000000));
	CU_ASSERT_EQUAL(s.links[3].delay_ps, 0);
	CU_ASSERT_STRING_EQUAL(s.links[4].name, "s3:s4--s4:s3");
	CU_ASSERT_EQUAL(s.links[4].cable_m, 100);
	CU_ASSERT_EQUAL(s.links[2].cable_m, 5);

	/* Switches with hosts get subnets in name order: s1 the first, s4 the second. */
	h = host_by_name(&s, "h0");
	CU_ASSERT_STRING_EQUAL(addr_str(h->l3, &h->addr), "10.0.1.1");
	CU_ASSERT_EQUAL(h->rate_bps, UINT64_C(25000000000));
	h = host_by_name(&s, "h1");
	CU_ASSERT_STRING_EQUAL(addr_str(h->l3, &h->addr), "10.0.2.1");
	CU_ASSERT_STRING_EQUAL(mac_str(&h->mac), "02:00:00:00:02:01");
	CU_ASSERT_STRING_EQUAL(mac_str(&h->gw_mac), "02:fa:b0:00:04:00");
	CU_ASSERT_STRING_EQUAL(s.nodes[h->node].ports[0].name, "nic0");

	c = &sw_by_name(&s, "s1")->conf;
	CU_ASSERT_EQUAL_FATAL(c->nb_ports, 2);
	CU_ASSERT_STRING_EQUAL(c->ports[0].name, "h0");
	CU_ASSERT_STRING_EQUAL(c->ports[1].name, "s2");
	CU_ASSERT_EQUAL(c->ports[0].rate_bps, UINT64_C(25000000000));
	CU_ASSERT_EQUAL_FATAL(c->nb_routes, 2);
	ASSERT_ROUTE(c, 0, "10.0.1.1/32 via h0 02:00:00:00:01:01");
	ASSERT_ROUTE(c, 1, "10.0.2.0/24 via s2 02:fa:b0:00:02:01");
	c = &sw_by_name(&s, "s2")->conf;
	CU_ASSERT_STRING_EQUAL(c->ports[0].name, "east");
	CU_ASSERT_STRING_EQUAL(c->ports[1].name, "s1");
	CU_ASSERT_EQUAL_FATAL(c->nb_routes, 2);
	ASSERT_ROUTE(c, 0, "10.0.1.0/24 via s1 02:fa:b0:00:01:01");
	ASSERT_ROUTE(c, 1, "10.0.2.0/24 via east 02:fa:b0:00:03:01");
	c = &sw_by_name(&s, "s3")->conf;
	CU_ASSERT_EQUAL_FATAL(c->nb_routes, 2);
	ASSERT_ROUTE(c, 0, "10.0.1.0/24 via west 02:fa:b0:00:02:00");
	ASSERT_ROUTE(c, 1, "10.0.2.0/24 via s4 02:fa:b0:00:04:01");
	CU_ASSERT_EQUAL(c->ports[0].cable_m, 100);
	c = &sw_by_name(&s, "s4")->conf;
	CU_ASSERT_EQUAL_FATAL(c->nb_routes, 2);
	ASSERT_ROUTE(c, 0, "10.0.1.0/24 via s3 02:fa:b0:00:03:00");
	ASSERT_ROUTE(c, 1, "10.0.2.1/32 via h1 02:00:00:00:02:01");
	fab_scenario_free(&s);
}

/* Shortest paths with every equal-cost next hop, parallel links included. */
static void
test_explicit_ecmp(void)
{
	static const char *const text =
		"topology:\n"
		"  nodes:\n"
		"    - { name: a, kind: host }\n"
		"    - { name: b, kind: host }\n"
		"    - { name: s1, kind: switch }\n"
		"    - { name: s2, kind: switch }\n"
		"    - { name: s3, kind: switch }\n"
		"    - { name: s4, kind: switch }\n"
		"    - { name: s5, kind: switch }\n"
		"  links:\n"
		"    - { a: a, b: s1 }\n"
		"    - { a: s1, b: s2 }\n"
		"    - { a: s1, b: s3 }\n"
		"    - { a: s2, b: s4 }\n"
		"    - { a: s3:p1, b: s4:p1 }\n"
		"    - { a: s3:p2, b: s4:p2 }\n"
		"    - { a: s4, b: b }\n"
		"    - { a: s5, b: s1 }\n";
	struct fab_scenario s;
	const struct fab_switch_conf *c;

	CU_ASSERT_EQUAL_FATAL(load(text, &s), 0);
	c = &sw_by_name(&s, "s1")->conf;
	CU_ASSERT_EQUAL_FATAL(c->nb_routes, 2);
	ASSERT_ROUTE(c, 0, "10.0.1.1/32 via a 02:00:00:00:01:01");
	ASSERT_ROUTE(c, 1, "10.0.2.0/24 via s2 02:fa:b0:00:02:00, s3 02:fa:b0:00:03:02");
	c = &sw_by_name(&s, "s3")->conf;
	CU_ASSERT_EQUAL_FATAL(c->nb_routes, 2);
	ASSERT_ROUTE(c, 0, "10.0.1.0/24 via s1 02:fa:b0:00:01:02");
	ASSERT_ROUTE(c, 1, "10.0.2.0/24 via p1 02:fa:b0:00:04:01, p2 02:fa:b0:00:04:02");
	c = &sw_by_name(&s, "s4")->conf;
	ASSERT_ROUTE(c, 0, "10.0.1.0/24 via p1 02:fa:b0:00:03:00, p2 02:fa:b0:00:03:01, s2 02:fa:b0:00:02:01");
	ASSERT_ROUTE(c, 1, "10.0.2.1/32 via b 02:00:00:00:02:01");
	/* A switch without hosts has no subnet but routes to every subnet. */
	c = &sw_by_name(&s, "s5")->conf;
	CU_ASSERT_EQUAL(sw_by_name(&s, "s5")->subnet, FAB_SCN_NONE);
	CU_ASSERT_EQUAL_FATAL(c->nb_routes, 2);
	ASSERT_ROUTE(c, 0, "10.0.1.0/24 via s1 02:fa:b0:00:01:03");
	ASSERT_ROUTE(c, 1, "10.0.2.0/24 via s1 02:fa:b0:00:01:03");
	fab_scenario_free(&s);
}

/* ------------------------------------------------------------------ */
/* Order independence                                                   */
/* ------------------------------------------------------------------ */

static const char *const order_a =
	"scenario: { name: o, seed: 9 }\n"
	"topology:\n"
	"  nodes:\n"
	"    - { name: h1, kind: host }\n"
	"    - { name: h2, kind: host }\n"
	"    - { name: h3, kind: host }\n"
	"    - { name: t1, kind: switch, profile: tor }\n"
	"    - { name: t2, kind: switch, profile: tor }\n"
	"    - { name: sp1, kind: switch }\n"
	"    - { name: sp2, kind: switch }\n"
	"  links:\n"
	"    - { a: h1, b: t1 }\n"
	"    - { a: h2, b: t1 }\n"
	"    - { a: h3, b: t2 }\n"
	"    - { a: t1, b: sp1, rate: 200G }\n"
	"    - { a: t1, b: sp2, rate: 200G }\n"
	"    - { a: t2, b: sp1, rate: 200G, delay: 3us }\n"
	"    - { a: t2, b: sp2, rate: 200G }\n"
	"profiles:\n"
	"  tor: { ecn: { classes: { 3: { kmin: 100KB, kmax: 200KB } } } }\n"
	"traffic:\n"
	"  flows:\n"
	"    - { from: h1, to: h3, bytes: 1MB }\n"
	"    - { from: h3, to: h2, bytes: 2MB, start: 5us }\n"
	"    - { from: h2, to: h3, bytes: 1MB, rate: 50G }\n"
	"  incast: { to: h1, count: 2, bytes: 64KB }\n"
	"run: { end: 1ms, tap: [t1:sp2--sp2:t1, h3:eth0--t2:h3] }\n";

/* The same scenario: sections, nodes, links, link ends, flows and taps reordered. */
static const char *const order_b =
	"run: { end: 1ms, tap: [t2:h3--h3:eth0, sp2:t1--t1:sp2] }\n"
	"traffic:\n"
	"  incast: { bytes: 64KB, count: 2, to: h1 }\n"
	"  flows:\n"
	"    - { from: h2, to: h3, bytes: 1MB, rate: 50G }\n"
	"    - { from: h3, to: h2, bytes: 2MB, start: 5us }\n"
	"    - { from: h1, to: h3, bytes: 1MB }\n"
	"profiles:\n"
	"  tor: { ecn: { classes: { 3: { kmax: 200KB, kmin: 100KB } } } }\n"
	"topology:\n"
	"  links:\n"
	"    - { a: sp2, b: t2, rate: 200G }\n"
	"    - { b: t1, a: h2 }\n"
	"    - { a: sp1, b: t2, delay: 3us, rate: 200G }\n"
	"    - { a: t2, b: h3 }\n"
	"    - { a: sp2, b: t1, rate: 200G }\n"
	"    - { a: t1, b: h1 }\n"
	"    - { a: sp1, b: t1, rate: 200G }\n"
	"  nodes:\n"
	"    - { name: sp2, kind: switch }\n"
	"    - { name: t2, kind: switch, profile: tor }\n"
	"    - { name: h3, kind: host }\n"
	"    - { kind: switch, name: sp1 }\n"
	"    - { name: h2, kind: host }\n"
	"    - { name: t1, profile: tor, kind: switch }\n"
	"    - { name: h1, kind: host }\n"
	"scenario: { seed: 9, name: o }\n";

static void
test_order_independence(void)
{
	struct fab_scenario a, b;
	char *ta, *tb;
	uint32_t i;

	CU_ASSERT_EQUAL_FATAL(load(order_a, &a), 0);
	CU_ASSERT_EQUAL_FATAL(load(order_b, &b), 0);
	CU_ASSERT_EQUAL(a.nb_flows, 5);
	CU_ASSERT_EQUAL(a.run.nb_taps, 2);
	ta = fab_scenario_format_topo(&a);
	tb = fab_scenario_format_topo(&b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ta);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tb);
	CU_ASSERT_STRING_EQUAL(ta, tb);
	/* The plain arrays too, byte for byte. */
	CU_ASSERT_EQUAL_FATAL(a.nb_links, b.nb_links);
	CU_ASSERT_EQUAL(memcmp(a.links, b.links, a.nb_links * sizeof(*a.links)), 0);
	CU_ASSERT_EQUAL_FATAL(a.nb_hosts, b.nb_hosts);
	CU_ASSERT_EQUAL(memcmp(a.hosts, b.hosts, a.nb_hosts * sizeof(*a.hosts)), 0);
	CU_ASSERT_EQUAL_FATAL(a.nb_flows, b.nb_flows);
	CU_ASSERT_EQUAL(memcmp(a.flows, b.flows, a.nb_flows * sizeof(*a.flows)), 0);
	CU_ASSERT_EQUAL(memcmp(a.run.taps, b.run.taps, a.run.nb_taps * sizeof(*a.run.taps)), 0);
	CU_ASSERT_EQUAL_FATAL(a.nb_nodes, b.nb_nodes);
	for (i = 0; i < a.nb_nodes; i++) {
		CU_ASSERT_STRING_EQUAL(a.nodes[i].name, b.nodes[i].name);
		CU_ASSERT_EQUAL(a.nodes[i].seed, b.nodes[i].seed);
		CU_ASSERT_EQUAL_FATAL(a.nodes[i].nb_ports, b.nodes[i].nb_ports);
		CU_ASSERT_EQUAL(memcmp(a.nodes[i].ports, b.nodes[i].ports,
				a.nodes[i].nb_ports * sizeof(*a.nodes[i].ports)), 0);
	}
	for (i = 0; i < a.nb_switches; i++) {
		const struct fab_switch_conf *ca = &a.switches[i].conf, *cb = &b.switches[i].conf;

		CU_ASSERT_EQUAL_FATAL(ca->nb_ports, cb->nb_ports);
		CU_ASSERT_EQUAL_FATAL(ca->nb_routes, cb->nb_routes);
		CU_ASSERT_EQUAL_FATAL(ca->nb_nexthops, cb->nb_nexthops);
		/* Ports hold the line of their link, which moved: compare the rest. */
		CU_ASSERT_EQUAL(ca->ports[0].rate_bps, cb->ports[0].rate_bps);
		CU_ASSERT_EQUAL(memcmp(ca->ports[0].ecn, cb->ports[0].ecn, sizeof(ca->ports[0].ecn)),
				0);
		CU_ASSERT_EQUAL(memcmp(ca->nexthops, cb->nexthops,
				ca->nb_nexthops * sizeof(*ca->nexthops)), 0);
		CU_ASSERT_EQUAL(ca->hash_seed, cb->hash_seed);
	}
	/* The profile reached t1 and t2 only. */
	CU_ASSERT_EQUAL(sw_by_name(&a, "t1")->conf.ports[0].ecn[3].kmin, 102400);
	CU_ASSERT_EQUAL(sw_by_name(&a, "sp1")->conf.ports[0].ecn[3].kmin, 800000);
	CU_ASSERT_STRING_EQUAL(sw_by_name(&a, "sp1")->profile, "");
	CU_ASSERT_STRING_EQUAL(sw_by_name(&a, "t2")->profile, "tor");
	free(ta);
	free(tb);
	fab_scenario_free(&a);
	fab_scenario_free(&b);
}

/* ------------------------------------------------------------------ */
/* Profiles                                                             */
/* ------------------------------------------------------------------ */

static void
test_tiers_and_profiles(void)
{
	static const char *const text =
		"topology: { leaf_spine: { spines: 1, leaves: 2, hosts_per_leaf: 1 } }\n"
		"profiles:\n"
		"  tor:\n"
		"    mtu: 4200\n"
		"    hash_seed: 77\n"
		"    qos: { lossless: [3] }\n"
		"    buffer: { pool: 8MB, ingress: { dynamic_th: -2 } }\n"
		"    pfc: { pause_quanta: 1000, watchdog: { detect: 1ms } }\n"
		"    lb: { plugin: lb-spray, buckets: 64 }\n"
		"  default:\n"
		"    ecn: { mark_at: dequeue }\n"
		"tiers: { leaf: tor }\n";
	struct fab_scenario s;
	const struct fab_switch_conf *c;

	CU_ASSERT_EQUAL_FATAL(load(text, &s), 0);
	c = &sw_by_name(&s, "leaf1")->conf;
	CU_ASSERT_STRING_EQUAL(sw_by_name(&s, "leaf1")->profile, "tor");
	CU_ASSERT_EQUAL(c->mtu, 4200);
	CU_ASSERT_EQUAL(c->hash_seed, 77);
	CU_ASSERT_EQUAL(c->seed, s.nodes[fab_scenario_node_by_name(&s, "leaf1")].seed);
	CU_ASSERT_EQUAL(c->qos.lossless_mask, 0x08);
	CU_ASSERT_EQUAL(c->buffer.pool, UINT64_C(8) << 20);
	CU_ASSERT_EQUAL(c->buffer.pg_dynamic_th, -2);
	CU_ASSERT_EQUAL(c->pfc.pause_quanta, 1000);
	CU_ASSERT_TRUE(c->pfc.watchdog);
	CU_ASSERT_EQUAL(c->pfc.watchdog_restore_ps, UINT64_C(2000000000));
	CU_ASSERT_STRING_EQUAL(c->lb.plugin, "lb-spray");
	CU_ASSERT_EQUAL(c->lb.buckets, 64);
	CU_ASSERT_FALSE(c->ports[0].ecn[4].enabled);    /* class 4 is no longer lossless */
	CU_ASSERT_EQUAL(c->ecn.mark_at, FAB_CONF_MARK_ENQUEUE);
	/* The spine has no tier profile: it takes the one named "default". */
	c = &sw_by_name(&s, "spine1")->conf;
	CU_ASSERT_STRING_EQUAL(sw_by_name(&s, "spine1")->profile, "default");
	CU_ASSERT_EQUAL(c->ecn.mark_at, FAB_CONF_MARK_DEQUEUE);
	CU_ASSERT_EQUAL(c->mtu, 9100);
	CU_ASSERT_EQUAL(c->buffer.pool, UINT64_C(16) << 20);
	CU_ASSERT_EQUAL(c->hash_seed, c->seed);
	fab_scenario_free(&s);
}

static void
test_conf_from_profile(void)
{
	struct fab_yaml_doc *d;
	struct fab_conf_port ports[2];
	struct fab_switch_conf base, c;
	const struct fab_yaml_node *root;

	memset(ports, 0, sizeof(ports));
	memset(&base, 0, sizeof(base));
	snprintf(base.name, sizeof(base.name), "sw9");
	base.seed = 11;
	base.hash_seed = 12;
	base.mac = (struct rte_ether_addr){ { 0x02, 0, 0, 0, 0, 9 } };
	base.time = FAB_CONF_TIME_AUTO;
	base.nb_ports = 2;
	base.ports = ports;
	snprintf(ports[0].name, sizeof(ports[0].name), "p0");
	ports[0].kind = FAB_CONF_PORT_LINK;
	ports[0].rate_bps = UINT64_C(100000000000);
	snprintf(ports[1].name, sizeof(ports[1].name), "p1");
	ports[1].kind = FAB_CONF_PORT_PCAP;
	ports[1].pcap_tx = (char *)"out.pcap";
	ports[1].rate_bps = UINT64_C(25000000000);
	ports[1].cable_m = 40;

	/* No profile: every default, ECN at each port's rate, the base's identity. */
	CU_ASSERT_EQUAL_FATAL(fab_switch_conf_from_profile(NULL, NULL, &base, &c, err,
			sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(c.name, "sw9");
	CU_ASSERT_EQUAL(c.seed, 11);
	CU_ASSERT_EQUAL(c.hash_seed, 12);
	CU_ASSERT_EQUAL(c.mac.addr_bytes[5], 9);
	CU_ASSERT_EQUAL(c.time, FAB_CONF_TIME_VIRTUAL);
	CU_ASSERT_EQUAL(c.mtu, 9100);
	CU_ASSERT_EQUAL_FATAL(c.nb_ports, 2);
	CU_ASSERT_PTR_NOT_EQUAL(c.ports, ports);
	CU_ASSERT_STRING_EQUAL(c.ports[1].pcap_tx, "out.pcap");
	CU_ASSERT_PTR_NOT_EQUAL(c.ports[1].pcap_tx, ports[1].pcap_tx);
	CU_ASSERT_EQUAL(c.ports[1].cable_m, 40);
	CU_ASSERT_EQUAL(c.ports[0].ecn[3].kmin, 400000);
	CU_ASSERT_EQUAL(c.ports[1].ecn[3].kmin, 100000);
	CU_ASSERT_EQUAL(c.ports[1].ecn[3].kmax, 400000);
	CU_ASSERT_EQUAL(c.nb_routes, 0);
	CU_ASSERT_STRING_EQUAL(c.ecn.args, "");
	fab_switch_conf_free(&c);

	/* A profile: sections as in a switch file; seed replaces the base's. */
	d = fab_yaml_load_string("p.yaml",
			"mtu: 1500\n"
			"seed: 3\n"
			"ecn: { plugin: ecn-step, classes: { 3: { k: 50KB }, 0: true } }\n"
			"plugins: { path: plug }\n", err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	root = fab_yaml_root(d);
	CU_ASSERT_EQUAL_FATAL(fab_switch_conf_from_profile(root, "/base", &base, &c, err,
			sizeof(err)), 0);
	CU_ASSERT_EQUAL(c.mtu, 1500);
	CU_ASSERT_EQUAL(c.seed, 3);
	CU_ASSERT_EQUAL(c.hash_seed, 12);
	CU_ASSERT_STRING_EQUAL(c.ecn.plugin, "ecn-step");
	CU_ASSERT_EQUAL(c.ports[0].ecn[3].k, 51200);
	CU_ASSERT_EQUAL(c.ports[1].ecn[3].k, 51200);
	CU_ASSERT_TRUE(c.ports[1].ecn[0].enabled);
	CU_ASSERT_EQUAL(c.ports[1].ecn[0].kmin, 100000);
	CU_ASSERT_EQUAL_FATAL(c.nb_plugin_paths, 1);
	CU_ASSERT_STRING_EQUAL(c.plugin_paths[0], "/base/plug");
	fab_switch_conf_free(&c);
	fab_yaml_free(d);

	/* Keys of a switch file that a profile cannot have, at their position. */
	d = fab_yaml_load_string("p.yaml", "qos: {}\nports: []\n", err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(fab_switch_conf_from_profile(fab_yaml_root(d), NULL, &base, &c, err,
			sizeof(err)), -EINVAL);
	ASSERT_ERR("p.yaml:2:1: error: unknown key 'ports'; allowed keys: mtu, seed, hash_seed, "
			"qos, buffer, ecn, pfc, lb, plugins");
	CU_ASSERT_PTR_NULL(c.ports);
	CU_ASSERT_EQUAL(c.nb_ports, 0);
	fab_yaml_free(d);

	/* Checks that need the ports' rates are made against the base's ports. */
	d = fab_yaml_load_string("p.yaml", "pfc:\n  refresh: 200us\n", err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	ports[1].rate_bps = UINT64_C(400000000000);
	CU_ASSERT_EQUAL(fab_switch_conf_from_profile(fab_yaml_root(d), NULL, &base, &c, err,
			sizeof(err)), -EINVAL);
	ASSERT_ERR("p.yaml:2:12: error: pfc.refresh: refresh 200us is not shorter than the "
			"pause it renews on port 'p1' (65535 quanta at 400G = 83.8848us)");
	CU_ASSERT_PTR_NULL(c.ports);
	fab_yaml_free(d);

	/* A DPDK device port makes "auto" time real. */
	ports[1].kind = FAB_CONF_PORT_DEV;
	ports[1].pcap_tx = NULL;
	ports[1].dev_name = (char *)"net_tap0";
	CU_ASSERT_EQUAL_FATAL(fab_switch_conf_from_profile(NULL, NULL, &base, &c, err,
			sizeof(err)), 0);
	CU_ASSERT_EQUAL(c.time, FAB_CONF_TIME_REAL);
	CU_ASSERT_STRING_EQUAL(c.ports[1].dev_name, "net_tap0");
	fab_switch_conf_free(&c);

	/* Invalid arguments. */
	CU_ASSERT_EQUAL(fab_switch_conf_from_profile(NULL, NULL, &base, NULL, err, sizeof(err)),
			-EINVAL);
	CU_ASSERT_EQUAL(fab_switch_conf_from_profile(NULL, NULL, NULL, &c, err, sizeof(err)),
			-EINVAL);
	ASSERT_ERR("error: no switch identity or ports given");
	base.ports = NULL;
	CU_ASSERT_EQUAL(fab_switch_conf_from_profile(NULL, NULL, &base, &c, err, sizeof(err)),
			-EINVAL);
	fab_switch_conf_free(&c);
}

/* ------------------------------------------------------------------ */
/* Traffic and run                                                      */
/* ------------------------------------------------------------------ */

static void
test_traffic(void)
{
	char text[2048];
	struct fab_scenario s;
	const struct fab_scn_flow *f;
	uint32_t i, sends[16], recvs[16];

	snprintf(text, sizeof(text), "%s%s", leaf_spine_2_4_4,
			"traffic:\n"
			"  mtu: 1024\n"
			"  flows:\n"
			"    - { from: h4_1, to: h1_1, bytes: 10KB, rate: 25G, start: 3us, dscp: 10, ect: false }\n"
			"    - { from: h1_2, to: h2_2 }\n"
			"  incast: [ { to: h3_4, count: 3, bytes: 1MB }, { to: h1_1, from: [h2_1, h4_4] } ]\n"
			"run: { end: 1ms }\n");
	CU_ASSERT_EQUAL_FATAL(load(text, &s), 0);
	CU_ASSERT_EQUAL(s.traffic_mtu, 1024);
	CU_ASSERT_EQUAL_FATAL(s.nb_flows, 7);
	/* Canonical order: by start, then source, then destination (host indexes). */
	f = &s.flows[0];
	CU_ASSERT_EQUAL(f->src, 1);                      /* h1_2 */
	CU_ASSERT_EQUAL(f->dst, 5);                      /* h2_2 */
	CU_ASSERT_EQUAL(f->bytes, 0);                    /* until the run ends */
	CU_ASSERT_EQUAL(f->rate_bps, UINT64_C(100000000000)); /* the host's rate */
	CU_ASSERT_EQUAL(f->start_ps, 0);
	CU_ASSERT_EQUAL(f->dscp, 26);
	CU_ASSERT_EQUAL(f->ecn, 2);
	CU_ASSERT_TRUE(f->udp_sport >= 0xc000);
	/* The incast of count 3 to h3_4 (index 11): the next three hosts, h4_1..h4_3. */
	CU_ASSERT_EQUAL(s.flows[1].src, 4);              /* h2_1 -> h1_1 */
	CU_ASSERT_EQUAL(s.flows[1].dst, 0);
	CU_ASSERT_EQUAL(s.flows[2].src, 12);
	CU_ASSERT_EQUAL(s.flows[2].dst, 11);
	CU_ASSERT_EQUAL(s.flows[2].bytes, UINT64_C(1) << 20);
	CU_ASSERT_EQUAL(s.flows[3].src, 13);
	CU_ASSERT_EQUAL(s.flows[4].src, 14);
	CU_ASSERT_EQUAL(s.flows[4].dst, 11);
	CU_ASSERT_EQUAL(s.flows[5].src, 15);             /* h4_4 -> h1_1 */
	CU_ASSERT_EQUAL(s.flows[5].dst, 0);
	f = &s.flows[6];
	CU_ASSERT_EQUAL(f->src, 12);
	CU_ASSERT_EQUAL(f->dst, 0);
	CU_ASSERT_EQUAL(f->bytes, 10240);
	CU_ASSERT_EQUAL(f->rate_bps, UINT64_C(25000000000));
	CU_ASSERT_EQUAL(f->start_ps, 3000000);
	CU_ASSERT_EQUAL(f->dscp, 10);
	CU_ASSERT_EQUAL(f->ecn, 0);
	CU_ASSERT_NOT_EQUAL(s.flows[2].udp_sport, s.flows[3].udp_sport);
	fab_scenario_free(&s);

	/* A permutation: every host sends once and receives once, never to itself. */
	snprintf(text, sizeof(text), "%s%s", leaf_spine_2_4_4,
			"traffic: { permutation: { bytes: 1MB, seed: 3 } }\n");
	CU_ASSERT_EQUAL_FATAL(load(text, &s), 0);
	CU_ASSERT_EQUAL_FATAL(s.nb_flows, 16);
	memset(sends, 0, sizeof(sends));
	memset(recvs, 0, sizeof(recvs));
	for (i = 0; i < 16; i++) {
		CU_ASSERT_NOT_EQUAL(s.flows[i].src, s.flows[i].dst);
		CU_ASSERT_EQUAL(s.flows[i].bytes, UINT64_C(1) << 20);
		sends[s.flows[i].src]++;
		recvs[s.flows[i].dst]++;
	}
	for (i = 0; i < 16; i++) {
		CU_ASSERT_EQUAL(sends[i], 1);
		CU_ASSERT_EQUAL(recvs[i], 1);
	}
	/* One cycle through all 16 hosts (Sattolo). */
	{
		uint32_t h = 0, steps = 0;

		do {
			h = s.flows[h].dst;             /* flows are sorted by source here */
			steps++;
		} while (h != 0 && steps < 20);
		CU_ASSERT_EQUAL(steps, 16);
	}
	fab_scenario_free(&s);
}

static void
test_run_section(void)
{
	char text[2048];
	struct fab_scenario s;

	snprintf(text, sizeof(text), "%s%s", leaf_spine_2_4_4,
			"run:\n"
			"  time: paced\n"
			"  end: 250us\n"
			"  sample_interval: 0\n"
			"  tap: [spine1:leaf4--leaf4:spine1, h1_1:eth0--leaf1:h1_1]\n");
	CU_ASSERT_EQUAL_FATAL(load(text, &s), 0);
	CU_ASSERT_EQUAL(s.run.time, FAB_SCN_TIME_PACED);
	CU_ASSERT_FALSE(s.run.end_when_done);
	CU_ASSERT_EQUAL(s.run.end_ps, UINT64_C(250000000));
	CU_ASSERT_EQUAL(s.run.sample_interval_ps, 0);
	CU_ASSERT_EQUAL_FATAL(s.run.nb_taps, 2);
	CU_ASSERT_EQUAL(s.run.taps[0], 0);
	CU_ASSERT_EQUAL(s.run.taps[1], 22);
	CU_ASSERT_STRING_EQUAL(s.links[22].name, "leaf4:spine1--spine1:leaf4");
	CU_ASSERT_TRUE(s.links[22].tap);
	CU_ASSERT_TRUE(s.links[0].tap);
	CU_ASSERT_FALSE(s.links[1].tap);
	fab_scenario_free(&s);
}

static void
test_summary(void)
{
	struct fab_scenario s;
	char line[256];
	char *topo;

	CU_ASSERT_EQUAL_FATAL(load(chain_text, &s), 0);
	fab_scenario_summary(&s, line, sizeof(line));
	CU_ASSERT_STRING_EQUAL(line, "t: 4 switches, 2 hosts, 5 links, 0 flows; ipv4 10.0.0.0/8; "
			"virtual time until done");
	topo = fab_scenario_format_topo(&s);
	CU_ASSERT_PTR_NOT_NULL_FATAL(topo);
	CU_ASSERT_PTR_NOT_NULL(strstr(topo, "\n  s2:east--s3:west  40G  delay 0  cable 5m\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(topo, "\n  s1:\n    10.0.1.1/32 via h0 (02:00:00:00:01:01)\n"
			"    10.0.2.0/24 via s2 (02:fa:b0:00:02:01)\n"));
	free(topo);
	fab_scenario_free(&s);
}

/* ------------------------------------------------------------------ */
/* The shipped examples                                                 */
/* ------------------------------------------------------------------ */

static void
load_example(const char *file, struct fab_scenario *s)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/docs/examples/%s", fab_test_source_root(), file);
	err[0] = '\0';
	CU_ASSERT_EQUAL_FATAL(fab_scenario_load(path, s, err, sizeof(err)), 0);
}

static void
test_examples(void)
{
	struct fab_scenario s;
	const struct fab_switch_conf *c;
	uint32_t i;

	load_example("incast.yaml", &s);
	CU_ASSERT_STRING_EQUAL(s.name, "incast");
	CU_ASSERT_EQUAL(s.spines, 2);
	CU_ASSERT_EQUAL(s.leaves, 4);
	CU_ASSERT_EQUAL(s.hosts_per_leaf, 4);
	CU_ASSERT_EQUAL(s.nb_hosts, 16);
	CU_ASSERT_EQUAL(s.nb_flows, 0);
	CU_ASSERT_EQUAL_FATAL(s.nb_jobs, 1);
	CU_ASSERT_EQUAL(s.jobs[0].pattern, FAB_COLL_INCAST);
	CU_ASSERT_EQUAL_FATAL(s.jobs[0].nranks, 9);
	CU_ASSERT_EQUAL(s.jobs[0].root, 0);
	CU_ASSERT_EQUAL(s.jobs[0].hosts[0], 0);         /* h1_1 receives */
	for (i = 1; i < 9; i++)
		CU_ASSERT_EQUAL(s.jobs[0].hosts[i], 3 + i);  /* h2_1 .. h3_4 send */
	CU_ASSERT_EQUAL_FATAL(s.jobs[0].nb_sizes, 1);
	CU_ASSERT_EQUAL(s.jobs[0].sizes[0], UINT64_C(2) << 20);
	CU_ASSERT_EQUAL(s.jobs[0].ecn, 2);
	CU_ASSERT_STRING_EQUAL(s.nic.cc, "cc-dcqcn");
	for (i = 0; i < s.nb_links; i++)
		CU_ASSERT_EQUAL(s.links[i].rate_bps, UINT64_C(100000000000));
	CU_ASSERT_EQUAL_FATAL(s.run.nb_taps, 1);
	CU_ASSERT_STRING_EQUAL(s.links[s.run.taps[0]].name, "h1_1:eth0--leaf1:h1_1");
	c = &sw_by_name(&s, "leaf1")->conf;
	CU_ASSERT_EQUAL(c->buffer.pool, UINT64_C(4) << 20);
	CU_ASSERT_EQUAL(c->buffer.pg_dynamic_th, -2);
	CU_ASSERT_TRUE((c->qos.lossless_mask >> c->qos.dscp_to_class[26]) & 1);
	fab_scenario_free(&s);

	load_example("chain.yaml", &s);
	CU_ASSERT_EQUAL(s.nb_switches, 4);
	CU_ASSERT_EQUAL(s.nb_hosts, 2);
	CU_ASSERT_EQUAL(s.nb_links, 5);
	CU_ASSERT_EQUAL(s.nb_flows, 1);
	fab_scenario_free(&s);

	load_example("permutation.yaml", &s);
	CU_ASSERT_EQUAL(s.l3, FAB_L3_IPV6);
	CU_ASSERT_EQUAL(s.nb_flows, 16);
	CU_ASSERT_STRING_EQUAL(sw_by_name(&s, "leaf1")->conf.lb.plugin, "lb-spray");
	CU_ASSERT_STRING_EQUAL(sw_by_name(&s, "spine1")->conf.lb.plugin, "lb-ecmp");
	fab_scenario_free(&s);
}

/* ------------------------------------------------------------------ */
/* Invalid calls                                                        */
/* ------------------------------------------------------------------ */

static void
test_invalid_calls(void)
{
	struct fab_scenario s;

	fab_scenario_free(NULL);
	memset(&s, 0, sizeof(s));
	fab_scenario_free(&s);
	CU_ASSERT_EQUAL(fab_scenario_load_string("t.yaml", NULL, NULL, &s, err, sizeof(err)),
			-EINVAL);
	ASSERT_ERR("error: no scenario given");
	CU_ASSERT_EQUAL(fab_scenario_load_string(NULL, "a: 1", NULL, &s, err, sizeof(err)),
			-EINVAL);
	CU_ASSERT_EQUAL(fab_scenario_load_string("t.yaml", "a: 1", NULL, NULL, err, sizeof(err)),
			-EINVAL);
	CU_ASSERT_EQUAL(fab_scenario_load("/nonexistent/x.yaml", &s, err, sizeof(err)), -ENOENT);
	CU_ASSERT_PTR_NULL(s.nodes);
	CU_ASSERT_EQUAL(fab_scenario_node_by_name(NULL, "x"), -ENOENT);
	CU_ASSERT_EQUAL(fab_scenario_link_by_name(NULL, "x"), -ENOENT);
}

/* ------------------------------------------------------------------ */
/* Validation: each error with its exact message and position           */
/* ------------------------------------------------------------------ */

struct bad_case {
	const char *text;
	const char *error;
};

#define LS "topology: { leaf_spine: { spines: 2, leaves: 2, hosts_per_leaf: 2 } }\n"
#define CHAIN_NODES \
	"topology:\n" \
	"  nodes:\n" \
	"    - { name: h0, kind: host }\n" \
	"    - { name: s1, kind: switch }\n" \
	"    - { name: s2, kind: switch }\n" \
	"    - { name: h1, kind: host }\n"
#define CHAIN_LINKS \
	"  links:\n" \
	"    - { a: h0, b: s1 }\n" \
	"    - { a: s1, b: s2 }\n" \
	"    - { a: s2, b: h1 }\n"

static const struct bad_case bad_cases[] = {
	/* The file. */
	{ "", "t.yaml:1:1: error: the file is empty; a scenario needs at least a topology" },
	{ "scenario: { name: x }\n",
	  "t.yaml:1:1: error: missing key 'topology'; give leaf_spine, or nodes and links" },
	/* Unknown keys, at every level. */
	{ LS "colour: blue\n",
	  "t.yaml:2:1: error: unknown key 'colour'; allowed keys: scenario, topology, profiles, "
	  "tiers, addressing, traffic, run" },
	{ "topology: { leaf_spine: { spines: 2, leaves: 2, hosts_per_leaf: 2, speed: 1 } }\n",
	  "t.yaml:1:68: error: topology.leaf_spine: unknown key 'speed'; allowed keys: spines, "
	  "leaves, hosts_per_leaf, host_rate, uplink_rate, delay, cable_m" },
	{ CHAIN_NODES "  links:\n    - { a: h0, b: s1, lenght: 3 }\n",
	  "t.yaml:8:23: error: topology.links[0]: unknown key 'lenght'; allowed keys: a, b, rate, "
	  "delay, cable_m" },
	{ LS "profiles:\n  p: { ecn: { clases: {} } }\n",
	  "t.yaml:3:15: error: profiles.p.ecn: unknown key 'clases'; allowed keys: plugin, mark_at, "
	  "args, classes" },
	{ LS "run: { stop: 1ms }\n",
	  "t.yaml:2:8: error: run: unknown key 'stop'; allowed keys: time, end, sample_interval, tap" },
	/* Wrong types. */
	{ "topology: { leaf_spine: { spines: two, leaves: 2, hosts_per_leaf: 2 } }\n",
	  "t.yaml:1:35: error: topology.leaf_spine.spines: expected an integer, found 'two'" },
	{ "topology: { leaf_spine: [1, 2] }\n",
	  "t.yaml:1:25: error: topology.leaf_spine: expected a mapping, found a sequence" },
	{ CHAIN_NODES "  links: { a: h0 }\n",
	  "t.yaml:7:10: error: topology.links: expected a sequence, found a mapping" },
	{ LS "run: { end: soon }\n",
	  "t.yaml:2:13: error: run.end: expected a duration (a number with ps, ns, us, ms or s), "
	  "found 'soon'" },
	{ LS "addressing: { family: ipv5 }\n",
	  "t.yaml:2:23: error: addressing.family: expected one of: ipv4, ipv6; found 'ipv5'" },
	/* Link ends. */
	{ CHAIN_NODES "  links:\n    - { a: h0 }\n",
	  "t.yaml:8:7: error: topology.links[0]: missing link end 'b'; a link needs a and b "
	  "(NODE:PORT or NODE)" },
	{ CHAIN_NODES "  links:\n    - { a: h0, b: s9:p1 }\n",
	  "t.yaml:8:19: error: topology.links[0].b: unknown node 's9'" },
	{ CHAIN_NODES "  links:\n    - { a: h0, b: ':p1' }\n",
	  "t.yaml:8:19: error: topology.links[0].b: ':p1' names no node; a link end is NODE:PORT "
	  "or NODE" },
	{ CHAIN_NODES "  links:\n    - { a: h0, b: 's1:' }\n",
	  "t.yaml:8:19: error: topology.links[0].b: '' is not a valid port name (letters, digits "
	  "and _.-/, not '--'; at most 31)" },
	{ CHAIN_NODES "  links:\n    - { a: h0, b: s1:a--b }\n",
	  "t.yaml:8:19: error: topology.links[0].b: 'a--b' is not a valid port name (letters, "
	  "digits and _.-/, not '--'; at most 31)" },
	{ CHAIN_NODES "  links:\n    - { a: s1:x, b: s1:y }\n",
	  "t.yaml:8:21: error: topology.links[0].b: a link from 's1' to itself" },
	{ CHAIN_NODES "  links:\n    - { a: h0, b: h1 }\n",
	  "t.yaml:8:7: error: topology.links[0]: a link between two hosts ('h0', 'h1'); hosts "
	  "attach to switches" },
	/* Duplicate names. */
	{ "topology:\n  nodes:\n    - { name: s1, kind: switch }\n    - { name: h0, kind: host }\n"
	  "    - name: s1\n      kind: host\n",
	  "t.yaml:5:13: error: topology.nodes[2].name: duplicate node name 's1' (first at 3:15)" },
	{ CHAIN_NODES CHAIN_LINKS "    - { a: s1, b: s2 }\n",
	  "t.yaml:11:12: error: topology.links[3].a: port 's1:s2' is already used by the link at "
	  "9:7; name the ports of parallel links (NODE:PORT)" },
	{ CHAIN_NODES CHAIN_LINKS "    - { a: s1:s2, b: s2:x }\n",
	  "t.yaml:11:12: error: topology.links[3].a: port 's1:s2' is already used by the link at "
	  "9:7" },
	{ LS "profiles:\n  p: {}\n  p: {}\n",
	  "t.yaml:4:3: error: duplicate key 'p' (first at 3:3)" },
	/* Impossible rates. */
	{ CHAIN_NODES "  links:\n    - { a: h0, b: s1, rate: 0 }\n",
	  "t.yaml:8:29: error: topology.links[0].rate: '0' is out of range [1M, 1.6T]" },
	{ "topology: { leaf_spine: { spines: 2, leaves: 2, hosts_per_leaf: 2, uplink_rate: 3.2T } }\n",
	  "t.yaml:1:81: error: topology.leaf_spine.uplink_rate: '3.2T' is out of range [1M, 1.6T]" },
	{ "topology:\n  nodes:\n    - { name: h0, kind: host, rate: 2T }\n",
	  "t.yaml:3:37: error: topology.nodes[0].rate: '2T' is out of range [1M, 1.6T]" },
	{ "topology:\n  nodes:\n    - { name: h0, kind: host, rate: 25G }\n"
	  "    - { name: s1, kind: switch }\n  links:\n    - { a: h0, b: s1, rate: 100G }\n",
	  "t.yaml:6:29: error: topology.links[0].rate: rate 100G contradicts node 'h0' (rate 25G "
	  "at 3:37)" },
	/* Zero-delay loops. */
	{ "topology:\n  nodes:\n    - { name: a, kind: switch }\n    - { name: b, kind: switch }\n"
	  "    - { name: c, kind: switch }\n"
	  "  links:\n    - { a: a, b: b, delay: 0 }\n    - { a: b, b: c, delay: 0ns }\n"
	  "    - { a: c, b: a, delay: 0 }\n",
	  "t.yaml:9:28: error: topology.links[2].delay: zero-delay loop a -- b -- c -- a: every "
	  "link in it has delay 0; give one of them a delay" },
	{ "topology:\n  nodes:\n    - { name: a, kind: switch }\n    - { name: b, kind: switch }\n"
	  "  links:\n    - { a: a:1, b: b:1, delay: 0 }\n    - { a: a:2, b: b:2, delay: 0 }\n",
	  "t.yaml:7:32: error: topology.links[1].delay: zero-delay loop b -- a -- b: every link in "
	  "it has delay 0; give one of them a delay" },
	{ "topology: { leaf_spine: { spines: 2, leaves: 2, hosts_per_leaf: 1, delay: 0 } }\n",
	  "t.yaml:1:75: error: topology.leaf_spine.delay: zero-delay loop spine2 -- leaf1 -- "
	  "spine1 -- leaf2 -- spine2: every link in it has delay 0; give one of them a delay" },
	/* Hosts and connectivity. */
	{ CHAIN_NODES CHAIN_LINKS "    - { a: h0:eth1, b: s2:h0 }\n",
	  "t.yaml:11:12: error: topology.links[3].a: host 'h0' has a second link (the first is at "
	  "8:7); a host has one NIC" },
	{ CHAIN_NODES "    - { name: s3, kind: switch }\n" CHAIN_LINKS,
	  "t.yaml:7:15: error: topology.nodes[4].name: node 's3' has no link" },
	{ CHAIN_NODES "    - { name: s3, kind: switch }\n    - { name: h3, kind: host }\n"
	  CHAIN_LINKS "    - { a: s3, b: h3 }\n",
	  "t.yaml:7:15: error: topology.nodes[4].name: node 's3' cannot reach 'h0': the topology "
	  "is in more than one piece" },
	{ "topology:\n  nodes:\n    - { name: h0, kind: host, profile: p }\n",
	  "t.yaml:3:31: error: topology.nodes[0]: host 'h0' has no profile (profiles configure "
	  "switches)" },
	{ "topology:\n  nodes:\n    - { name: s1 }\n",
	  "t.yaml:3:7: error: topology.nodes[0]: node 's1' needs a kind: switch or host" },
	{ "topology:\n  nodes:\n    - { name: s1, kind: switch, profile: tor }\n",
	  "t.yaml:3:42: error: topology.nodes[0].profile: unknown profile 'tor'; no profiles are "
	  "defined" },
	{ "topology:\n  nodes:\n    - { name: 's:1', kind: switch }\n",
	  "t.yaml:3:15: error: topology.nodes[0].name: 's:1' is not a valid node name (letters, "
	  "digits and _.-, not '--'; at most 31)" },
	/* Profiles and tiers. */
	{ LS "tiers: { leaf: tor }\n",
	  "t.yaml:2:16: error: tiers.leaf: unknown profile 'tor'; no profiles are defined" },
	{ LS "profiles: { a: {}, b: {} }\ntiers: { spine: c }\n",
	  "t.yaml:3:17: error: tiers.spine: unknown profile 'c'; profiles: a, b" },
	{ CHAIN_NODES CHAIN_LINKS "tiers: { leaf: x }\n",
	  "t.yaml:11:1: error: tiers apply to the leaf_spine shorthand; give each node its profile" },
	{ "topology:\n  leaf_spine: { spines: 1, leaves: 1, hosts_per_leaf: 1 }\n  nodes: []\n",
	  "t.yaml:3:3: error: topology: give leaf_spine, or nodes and links, not both" },
	{ LS "profiles:\n  p: { pfc: { pause_quanta: 0 } }\n",
	  "t.yaml:3:29: error: profiles.p.pfc.pause_quanta: 0 is out of range [1, 65535]" },
	{ LS "profiles:\n  default: { lb: { buckets: 1 } }\n",
	  "t.yaml:3:29: error: profiles.default.lb.buckets: switch 'leaf2' reaches 10.0.1.0/24 over "
	  "2 equal-cost next hops, more than lb.buckets = 1" },
	/* Shapes and addresses. */
	{ "topology: { leaf_spine: { spines: 2, leaves: 2, hosts_per_leaf: 255 } }\n",
	  "t.yaml:1:65: error: topology.leaf_spine.hosts_per_leaf: 255 is out of range [1, 254]" },
	{ "topology: { leaf_spine: { spines: 100, leaves: 2, hosts_per_leaf: 200 } }\n",
	  "t.yaml:1:35: error: topology.leaf_spine.spines: a leaf would have 300 ports "
	  "(hosts_per_leaf + spines); at most 256" },
	{ "topology: { leaf_spine: { leaves: 2, hosts_per_leaf: 2 } }\n",
	  "t.yaml:1:25: error: topology.leaf_spine: missing key 'spines'" },
	{ LS "addressing: { base: 10.0.0.0/23 }\n",
	  "t.yaml:2:21: error: addressing.base: 10.0.0.0/23 holds 1 subnets of hosts (/24), the "
	  "topology needs 2" },
	{ LS "addressing: { family: ipv6, base: 10.0.0.0/8 }\n",
	  "t.yaml:2:35: error: addressing.base: '10.0.0.0/8' is not an ipv6 prefix (family is "
	  "ipv6 at 2:23)" },
	/* Traffic. */
	{ LS "traffic: { flows: [ { from: h1_1, to: h9_9 } ] }\n",
	  "t.yaml:2:39: error: traffic.flows[0].to: unknown host 'h9_9'" },
	{ LS "traffic: { flows: [ { from: leaf1, to: h1_1 } ] }\n",
	  "t.yaml:2:29: error: traffic.flows[0].from: 'leaf1' is a switch, not a host" },
	{ LS "traffic: { flows: [ { from: h1_1, to: h1_1, bytes: 1KB } ] }\n",
	  "t.yaml:2:39: error: traffic.flows[0].to: a flow from 'h1_1' to itself" },
	{ LS "traffic: { flows: [ { from: h1_1, to: h2_1, bytes: 1KB, rate: 200G } ] }\n",
	  "t.yaml:2:63: error: traffic.flows[0].rate: rate 200G is above the link rate of host "
	  "'h1_1' (100G)" },
	{ LS "traffic: { incast: { to: h1_1, from: [h2_1, h9] } }\n",
	  "t.yaml:2:45: error: traffic.incast.from[1]: unknown host 'h9'" },
	{ LS "traffic: { incast: { to: h1_1, from: [h2_1, h1_1] } }\n",
	  "t.yaml:2:45: error: traffic.incast.from[1]: 'h1_1' is the receiver of this incast" },
	{ LS "traffic: { incast: { to: h1_1, from: [h2_1, h2_1] } }\n",
	  "t.yaml:2:45: error: traffic.incast.from[1]: 'h2_1' is listed twice" },
	{ LS "traffic: { incast: { to: h1_1, from: [h2_1], count: 1 } }\n",
	  "t.yaml:2:46: error: traffic.incast: give from or count, not both" },
	{ LS "traffic: { incast: { to: h1_1, count: 4, bytes: 1KB } }\n",
	  "t.yaml:2:39: error: traffic.incast.count: 4 is out of range [1, 3]" },
	{ LS "traffic: { flows: [ { from: h1_1, to: h2_1 } ] }\n",
	  "t.yaml:2:21: error: traffic.flows[0]: a flow without bytes never ends, so the run would "
	  "never be done; give it bytes, or run.end a duration" },
	{ LS "traffic: { flows: [ { from: h1_1, to: h2_1, start: 2ms } ] }\nrun: { end: 1ms }\n",
	  "t.yaml:2:21: error: traffic.flows[0]: a flow starting at 2ms, when the run has ended "
	  "(run.end 1ms at 3:13)" },
	{ LS "profiles: { default: { mtu: 1500 } }\ntraffic: { mtu: 2048 }\n",
	  "t.yaml:3:17: error: traffic.mtu: RoCE packets of 2048 bytes need an IP MTU of 2108; "
	  "switch 'leaf1' has 1500" },
	{ LS "profiles: { default: { mtu: 1500 } }\n",
	  "t.yaml:2:29: error: profiles.default.mtu: RoCE packets of 4096 bytes need an IP MTU of "
	  "4156; switch 'leaf1' has 1500" },
	{ LS "traffic: { mtu: 1000 }\n",
	  "t.yaml:2:17: error: traffic.mtu: the RoCE MTU is 256, 512, 1024, 2048 or 4096, not 1000" },
	/* Run. */
	{ LS "run: { tap: [leaf1:spine1--spine2:leaf1] }\n",
	  "t.yaml:2:14: error: run.tap[0]: unknown link 'leaf1:spine1--spine2:leaf1'; links are "
	  "named NODE:PORT--NODE:PORT, as rocefab topo lists them" },
	{ LS "run: { tap: [leaf1:spine1--spine1:leaf1, spine1:leaf1--leaf1:spine1] }\n",
	  "t.yaml:2:42: error: run.tap[1]: link 'leaf1:spine1--spine1:leaf1' is tapped twice "
	  "(first at 2:14)" },
	{ LS "run: { time: real }\n",
	  "t.yaml:2:14: error: run.time: expected one of: virtual, paced; found 'real'" },
};

/* An ECMP group wider than 64: 65 parallel links between two switches. */
static void
test_error_ecmp_width(void)
{
	char *text = malloc(16384);
	size_t pos;
	unsigned int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	pos = (size_t)snprintf(text, 16384,
			"topology:\n  nodes:\n"
			"    - { name: a, kind: host }\n    - { name: b, kind: host }\n"
			"    - { name: s1, kind: switch }\n    - { name: s2, kind: switch }\n"
			"  links:\n    - { a: a, b: s1 }\n    - { a: b, b: s2 }\n");
	for (i = 0; i < 65; i++)
		pos += (size_t)snprintf(text + pos, 16384 - pos,
				"    - { a: s1:p%u, b: s2:p%u }\n", i, i);
	CU_ASSERT_EQUAL(load_bad(text), -EINVAL);
	/* Subnet 10.0.1.0/24 (a, on s1) is routed first: s2 is the first to need 65. */
	ASSERT_ERR("t.yaml:6:15: error: topology.nodes[3].name: switch 's2' reaches 10.0.1.0/24 "
			"over 65 equal-cost next hops; an ECMP group holds at most 64");
	free(text);
}

/* The scale fabric: 8 spines, 16 leaves, 16 hosts per leaf. */
static void
test_scale_fabric(void)
{
	struct fab_scenario s;
	const struct fab_switch_conf *c;
	const struct fab_scn_host *h;

	CU_ASSERT_EQUAL_FATAL(load("topology: { leaf_spine: { spines: 8, leaves: 16, "
			"hosts_per_leaf: 16 } }\ntraffic: { permutation: { bytes: 64KB } }\n", &s), 0);
	CU_ASSERT_EQUAL(s.nb_nodes, 280);
	CU_ASSERT_EQUAL(s.nb_switches, 24);
	CU_ASSERT_EQUAL(s.nb_hosts, 256);
	CU_ASSERT_EQUAL(s.nb_links, 256 + 128);
	CU_ASSERT_EQUAL(s.nb_flows, 256);
	c = &sw_by_name(&s, "leaf16")->conf;
	CU_ASSERT_EQUAL(c->nb_ports, 24);
	CU_ASSERT_EQUAL_FATAL(c->nb_routes, 31);
	CU_ASSERT_EQUAL(c->nb_nexthops, 16 + 15 * 8);
	ASSERT_ROUTE(c, 0, "10.0.1.0/24 via spine1 02:fa:b0:00:11:0f, spine2 02:fa:b0:00:12:0f, "
			"spine3 02:fa:b0:00:13:0f, spine4 02:fa:b0:00:14:0f, spine5 02:fa:b0:00:15:0f, "
			"spine6 02:fa:b0:00:16:0f, spine7 02:fa:b0:00:17:0f, spine8 02:fa:b0:00:18:0f");
	ASSERT_ROUTE(c, 30, "10.0.16.16/32 via h16_16 02:00:00:00:10:10");
	c = &sw_by_name(&s, "spine8")->conf;
	CU_ASSERT_EQUAL_FATAL(c->nb_routes, 16);
	ASSERT_ROUTE(c, 15, "10.0.16.0/24 via leaf16 02:fa:b0:00:10:17");
	h = host_by_name(&s, "h10_2");
	CU_ASSERT_STRING_EQUAL(addr_str(h->l3, &h->addr), "10.0.10.2");
	fab_scenario_free(&s);
}

static void
test_errors(void)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(bad_cases); i++) {
		int ret = load_bad(bad_cases[i].text);

		CU_ASSERT(ret == -EINVAL || ret == -ERANGE);
		if (strcmp(err, bad_cases[i].error) != 0)
			fprintf(stderr, "\n  case %u\n  got:  %s\n  want: %s\n", i, err,
					bad_cases[i].error);
		CU_ASSERT_STRING_EQUAL(err, bad_cases[i].error);
	}
}

int
fab_suite_scenario(void)
{
	CU_pSuite s = fab_test_add_suite("scenario");

	if (s == NULL)
		return -1;
	FAB_ADD_TEST(s, test_shorthand_nodes_links);
	FAB_ADD_TEST(s, test_shorthand_addresses);
	FAB_ADD_TEST(s, test_shorthand_switch_confs);
	FAB_ADD_TEST(s, test_shorthand_routes);
	FAB_ADD_TEST(s, test_shorthand_ipv6);
	FAB_ADD_TEST(s, test_chain);
	FAB_ADD_TEST(s, test_explicit_ecmp);
	FAB_ADD_TEST(s, test_order_independence);
	FAB_ADD_TEST(s, test_tiers_and_profiles);
	FAB_ADD_TEST(s, test_conf_from_profile);
	FAB_ADD_TEST(s, test_traffic);
	FAB_ADD_TEST(s, test_run_section);
	FAB_ADD_TEST(s, test_summary);
	FAB_ADD_TEST(s, test_examples);
	FAB_ADD_TEST(s, test_invalid_calls);
	FAB_ADD_TEST(s, test_errors);
	FAB_ADD_TEST(s, test_error_ecmp_width);
	FAB_ADD_TEST(s, test_scale_fabric);
	return 0;
}
