/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * lib/switch in virtual time: a switch built from a configuration text over
 * pcap-file ports in a temporary directory, run event by event to the end,
 * its counters and output pcaps checked to the byte and the picosecond.
 * Every test also checks that each frame is accounted for exactly once.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_errno.h>
#include <rte_log.h>

#include "fab_route.h"
#include "fab_test.h"
#include "sw_fixture.h"

#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))
/* Wire time of a frame: (bytes + FCS, preamble, gap) * 8 bits at 10 ps (100G) or 40 ps (25G). */
#define W100(len) ((uint64_t)((len) + 24) * 80)
#define W25(len) ((uint64_t)((len) + 24) * 320)
/* 58 bytes of headers and ICRC around the payload of an IPv4 RDMA WRITE middle. */
#define V4_WRITE_LEN(payload) (58u + (payload))

static uint8_t fbuf[16384];
static char yaml[8192];

static struct swf_flow
flow4(uint8_t in_port, uint32_t dst, uint8_t dscp, uint16_t sport)
{
	struct swf_flow fl;

	memset(&fl, 0, sizeof(fl));
	fl.l3 = FAB_L3_IPV4;
	fl.src4 = IP4(10, 0, 1, 1);
	fl.dst4 = dst;
	fl.dscp = dscp;
	fl.ttl = 64;
	fl.sport = sport;
	fl.in_port = in_port;
	return fl;
}

static struct swf_flow
flow6(uint8_t in_port, uint16_t dst_tail_hi, uint16_t dst_last, uint8_t dscp, uint16_t sport)
{
	static const uint8_t pfx[6] = { 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00 };
	struct swf_flow fl;

	memset(&fl, 0, sizeof(fl));
	fl.l3 = FAB_L3_IPV6;
	memcpy(fl.src6, pfx, 6);
	fl.src6[5] = 1;
	fl.src6[15] = 1;
	memcpy(fl.dst6, pfx, 6);
	fl.dst6[4] = (uint8_t)(dst_tail_hi >> 8);
	fl.dst6[5] = (uint8_t)dst_tail_hi;
	fl.dst6[14] = (uint8_t)(dst_last >> 8);
	fl.dst6[15] = (uint8_t)dst_last;
	fl.dscp = dscp;
	fl.ttl = 64;
	fl.sport = sport;
	fl.in_port = in_port;
	return fl;
}

/* Build a write frame into fbuf and queue it on @p port's input. */
static uint32_t
add_write(struct swf *f, uint16_t port, const struct swf_flow *fl, uint32_t psn,
		uint32_t payload, uint64_t ts_ns)
{
	int len = swf_write(fbuf, sizeof(fbuf), fl, psn, payload);

	CU_ASSERT_FATAL(len > 0);
	swf_add(f, port, fbuf, (uint32_t)len, ts_ns);
	return (uint32_t)len;
}

static void
start_std(struct swf *f, const char *name, const char *extra)
{
	swf_yaml(yaml, sizeof(yaml), name, 7, extra);
	CU_ASSERT_EQUAL_FATAL(swf_start(f, yaml), 0);
}

/*
 * @p out must be @p in routed: destination MAC @p dst, source MAC @p src,
 * TTL or hop limit one less (IPv4 checksum updated), every other byte the
 * same, and a frame that still parses with a valid ICRC.
 */
static void
expect_routed(const uint8_t *in, uint32_t len, const struct swf_rec *out,
		const struct rte_ether_addr *dst, const struct rte_ether_addr *src)
{
	struct fab_pkt_meta mi, mo;
	uint8_t *exp = malloc(len);
	struct rte_mbuf *m;

	CU_ASSERT_PTR_NOT_NULL_FATAL(exp);
	CU_ASSERT_EQUAL_FATAL(fab_pkt_parse_buf(in, len, &mi), FAB_PKT_OK);
	memcpy(exp, in, len);
	memcpy(exp, dst->addr_bytes, 6);
	memcpy(exp + 6, src->addr_bytes, 6);
	if (mi.l3 == FAB_L3_IPV4) {
		exp[mi.l3_off + 8]--;
		swf_ipv4_csum(exp, mi.l3_off);
	} else {
		exp[mi.l3_off + 7]--;
	}
	CU_ASSERT_EQUAL_FATAL(out->len, len);
	CU_ASSERT(memcmp(out->data, exp, len) == 0);
	free(exp);

	CU_ASSERT_EQUAL_FATAL(fab_pkt_parse_buf(out->data, out->len, &mo), FAB_PKT_OK);
	CU_ASSERT_EQUAL(mo.kind, mi.kind);
	CU_ASSERT_EQUAL(mo.ttl, mi.ttl - 1);
	CU_ASSERT_EQUAL(mo.dscp, mi.dscp);
	CU_ASSERT_EQUAL(mo.ecn, mi.ecn);
	if (mo.kind != FAB_PKT_KIND_ROCE)
		return;
	/* Through an mbuf chain, as a receiver would check it. */
	m = fab_test_mbuf_from(out->data, out->len, 2048);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(fab_pkt_parse(m, &mo), FAB_PKT_OK);
	CU_ASSERT(fab_icrc_verify(m, &mo));
	rte_pktmbuf_free(m);
}

/* ------------------------------------------------------------------ */
/* Creation                                                            */
/* ------------------------------------------------------------------ */

static void
test_switch_invalid_create(void)
{
	struct fab_switch_params prm;
	struct fab_switch_conf noports;
	struct fab_port *null_ports[SWF_MAX_PORTS] = { NULL };
	struct swf f;
	char err[256];

	fab_switch_free(NULL);

	rte_errno = 0;
	err[0] = '\0';
	CU_ASSERT_PTR_NULL(fab_switch_create(NULL, err, sizeof(err)));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);
	CU_ASSERT(err[0] != '\0');
	/* No message buffer is fine too. */
	CU_ASSERT_PTR_NULL(fab_switch_create(NULL, NULL, 0));

	swf_begin(&f);
	start_std(&f, "inv", NULL);
	fab_switch_free(f.sw);
	f.sw = NULL;

	memset(&prm, 0, sizeof(prm));
	prm.conf = &f.conf;
	prm.ports = f.ports;
	prm.ctrl_pool = fab_test_pool;
	prm.route_backend = FAB_ROUTE_COMPACT;
	prm.queue_capacity = SWF_QUEUE_CAPACITY;
	prm.socket_id = SOCKET_ID_ANY;

	/* No configuration. */
	prm.conf = NULL;
	rte_errno = 0;
	CU_ASSERT_PTR_NULL(fab_switch_create(&prm, err, sizeof(err)));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);
	prm.conf = &f.conf;

	/* No control pool: the switch could not build PFC frames. */
	prm.ctrl_pool = NULL;
	rte_errno = 0;
	CU_ASSERT_PTR_NULL(fab_switch_create(&prm, err, sizeof(err)));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);
	prm.ctrl_pool = fab_test_pool;

	/* No port array, and an array whose ports were not created. */
	prm.ports = NULL;
	rte_errno = 0;
	CU_ASSERT_PTR_NULL(fab_switch_create(&prm, err, sizeof(err)));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);
	prm.ports = null_ports;
	rte_errno = 0;
	err[0] = '\0';
	CU_ASSERT_PTR_NULL(fab_switch_create(&prm, err, sizeof(err)));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "h0"));
	prm.ports = f.ports;

	/* A configuration without ports. */
	noports = f.conf;
	noports.nb_ports = 0;
	prm.conf = &noports;
	rte_errno = 0;
	err[0] = '\0';
	CU_ASSERT_PTR_NULL(fab_switch_create(&prm, err, sizeof(err)));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "ports"));
	prm.conf = &f.conf;

	/* Everything given: it works, and its accessors answer. */
	f.sw = fab_switch_create(&prm, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(f.sw);
	CU_ASSERT_EQUAL(fab_switch_nb_ports(f.sw), SWF_NB_PORTS);
	CU_ASSERT_PTR_EQUAL(fab_switch_port(f.sw, SWF_UP1), f.ports[SWF_UP1]);
	CU_ASSERT_PTR_NULL(fab_switch_port(f.sw, SWF_NB_PORTS));
	CU_ASSERT_STRING_EQUAL(fab_switch_ecn_plugin(f.sw), "ecn-red");
	CU_ASSERT_STRING_EQUAL(fab_switch_lb_plugin(f.sw), "lb-ecmp");
	CU_ASSERT(fab_switch_buffer_bytes(f.sw) >= f.conf.buffer.pool);
	CU_ASSERT(fab_switch_port_headroom(f.sw, SWF_H0) > 0);
	CU_ASSERT_EQUAL(fab_switch_port_headroom(f.sw, SWF_NB_PORTS), 0);
	CU_ASSERT(fab_switch_drained(f.sw));
	{
		struct fab_switch_port_stats s;
		struct fab_switch_port_sample sm;

		CU_ASSERT_EQUAL(fab_switch_port_stats(f.sw, SWF_NB_PORTS, 0, &s), -EINVAL);
		CU_ASSERT_EQUAL(fab_switch_port_stats(f.sw, 0, 0, NULL), -EINVAL);
		CU_ASSERT_EQUAL(fab_switch_port_stats(NULL, 0, 0, &s), -EINVAL);
		CU_ASSERT_EQUAL(fab_switch_port_sample(f.sw, SWF_NB_PORTS, 0, &sm), -EINVAL);
		CU_ASSERT_EQUAL(fab_switch_port_sample(f.sw, 0, 0, NULL), -EINVAL);
		CU_ASSERT_EQUAL(fab_switch_port_sample(NULL, 0, 0, &sm), -EINVAL);
	}
	/*
	 * The route tables are named after the switch: a second live switch of
	 * the same name is refused cleanly (the fabric names its switches apart).
	 */
	err[0] = '\0';
	rte_errno = 0;
	{
		uint32_t level = rte_log_get_global_level();

		/* rte_fib and lib/route log the clash; expected here. */
		rte_log_set_global_level(RTE_LOG_EMERG);
		CU_ASSERT_PTR_NULL(fab_switch_create(&prm, err, sizeof(err)));
		rte_log_set_global_level(level);
	}
	CU_ASSERT_EQUAL(rte_errno, EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "route table"));
	CU_ASSERT_STRING_EQUAL(fab_switch_drop_name(FAB_SW_DROP_NO_ROUTE), "no_route");
	CU_ASSERT_STRING_EQUAL(fab_switch_drop_name(FAB_SW_DROP_MAX), "invalid");
	swf_end(&f);
}

/*
 * An ECN policy that refuses its configuration (here ecn-red, which takes
 * no arguments) fails the switch's creation with a message, rather than
 * leaving its ports without marking.
 */
static void
test_switch_ecn_refusal_fails(void)
{
	struct swf f;

	swf_yaml(yaml, sizeof(yaml), "ecnref", 1, "ecn:\n  args: \"depth=3\"\n");
	swf_begin(&f);
	CU_ASSERT_NOT_EQUAL(swf_start(&f, yaml), 0);
	CU_ASSERT_PTR_NULL(f.sw);
	CU_ASSERT_PTR_NOT_NULL(strstr(f.err, "ecn plugin ecn-red refused its configuration"));
	swf_end(&f);
}

/* ------------------------------------------------------------------ */
/* Forwarding                                                          */
/* ------------------------------------------------------------------ */

static void
test_switch_forward_rewrite(void)
{
	struct rte_ether_addr dst, src, nh_mac = { { 0x02, 0, 0, 0, 0x0c, 0x0c } };
	struct swf_flow a = flow4(SWF_H0, IP4(10, 0, 1, 2), 26, 0xc001);
	struct swf_flow b = flow4(SWF_H0, IP4(10, 0, 1, 100), 0, 0xc002);
	uint8_t in_a[2048], in_b[2048];
	uint32_t la, lb;
	struct swf_rec *out;
	struct swf f;
	int n;

	a.ecn = 2; /* ECT(0), far below Kmin: passes unmarked */
	swf_begin(&f);
	la = add_write(&f, SWF_H0, &a, 100, 500, 0);
	memcpy(in_a, fbuf, la);
	lb = add_write(&f, SWF_H0, &b, 101, 64, 1000);
	memcpy(in_b, fbuf, lb);
	start_std(&f, "fwd", NULL);
	swf_run(&f);
	swf_check_conservation(&f);

	CU_ASSERT_EQUAL(f.st[SWF_H0].rx_pkts, 2);
	CU_ASSERT_EQUAL(f.st[SWF_H0].rx_bytes, la + lb);
	CU_ASSERT_EQUAL(f.st[SWF_H0].fwd_pkts, 2);
	CU_ASSERT_EQUAL(f.tot.drops, 0);
	CU_ASSERT_EQUAL(f.st[SWF_H1].tx_pkts, 2);
	CU_ASSERT_EQUAL(f.st[SWF_H1].tx_bytes, la + lb);
	CU_ASSERT_EQUAL(f.st[SWF_H1].tx_ctrl_pkts, 0);
	CU_ASSERT_EQUAL(f.tot.tx_pkts, 2);
	CU_ASSERT_EQUAL(f.tot.ecn_marked, 0);

	n = swf_output(&f, SWF_H1, &out);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	swf_port_mac(SWF_H1, &src);
	swf_peer_mac(SWF_H1, &dst);
	/* The route's next hop is the port's peer... */
	expect_routed(in_a, la, &out[0], &dst, &src);
	/* ...or the MAC the route names. */
	expect_routed(in_b, lb, &out[1], &nh_mac, &src);
	swf_free_recs(out, n);
	swf_end(&f);
}

static void
test_switch_ipv6_forward(void)
{
	struct swf_flow a = flow6(SWF_H0, 1, 2, 26, 0xc001);
	struct swf_flow hop1 = flow6(SWF_H0, 1, 2, 26, 0xc002);
	struct swf_flow miss = flow6(SWF_H0, 2, 1, 26, 0xc003);
	struct rte_ether_addr dst, src;
	uint8_t in_a[2048];
	struct swf_rec *out;
	struct swf f;
	uint32_t la;
	int n;

	hop1.ttl = 1;
	swf_begin(&f);
	la = add_write(&f, SWF_H0, &a, 1, 256, 0);
	memcpy(in_a, fbuf, la);
	add_write(&f, SWF_H0, &hop1, 2, 256, 1000);
	add_write(&f, SWF_H0, &miss, 3, 256, 2000);
	start_std(&f, "v6", NULL);
	swf_run(&f);
	swf_check_conservation(&f);

	CU_ASSERT_EQUAL(f.st[SWF_H0].rx_pkts, 3);
	CU_ASSERT_EQUAL(f.st[SWF_H0].fwd_pkts, 1);
	CU_ASSERT_EQUAL(f.st[SWF_H0].drop[FAB_SW_DROP_TTL], 1);
	CU_ASSERT_EQUAL(f.st[SWF_H0].drop[FAB_SW_DROP_NO_ROUTE], 1);
	CU_ASSERT_EQUAL(f.st[SWF_H0].drops, 2);
	/* DSCP 26 is class 3 on the egress. */
	CU_ASSERT_EQUAL(f.st[SWF_H1].max_queue_bytes[3], la);
	n = swf_output(&f, SWF_H1, &out);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	swf_port_mac(SWF_H1, &src);
	swf_peer_mac(SWF_H1, &dst);
	expect_routed(in_a, la, &out[0], &dst, &src);
	swf_free_recs(out, n);
	swf_end(&f);
}

/*
 * Through an idle switch a frame leaves at its arrival plus its wire time
 * at the egress rate; the pcap stamps the floor in nanoseconds. Frames that
 * arrive faster than the egress drains leave back to back.
 */
static void
test_switch_timestamps(void)
{
	struct swf_flow a = flow4(SWF_H0, IP4(10, 0, 1, 2), 0, 0xc001);
	/* 1006 bytes: 82400 ps at 100G, 329600 ps at 25G (not whole nanoseconds). */
	const uint32_t len = V4_WRITE_LEN(948);
	uint64_t arrival[4], done[4];
	struct swf_rec *out;
	struct swf f;
	int i, n;

	CU_ASSERT_EQUAL(W100(len), fab_wire_time_ps(len, SWF_G100));
	CU_ASSERT_EQUAL(W25(len), fab_wire_time_ps(len, SWF_G25));
	swf_begin(&f);
	/* Three records stamped together: the 100G input stretches them to line rate. */
	for (i = 0; i < 3; i++)
		CU_ASSERT_EQUAL(add_write(&f, SWF_H0, &a, (uint32_t)i, 948, 0), len);
	/* And one 10 us later, when the switch is idle again. */
	CU_ASSERT_EQUAL(add_write(&f, SWF_H0, &a, 3, 948, 10000), len);
	start_std(&f, "ts", NULL);
	swf_run(&f);
	swf_check_conservation(&f);

	arrival[0] = 0; /* the first record arrives at its own (relative) time */
	arrival[1] = arrival[0] + W100(len);
	arrival[2] = arrival[1] + W100(len);
	arrival[3] = 10000000;
	done[0] = arrival[0] + W25(len);
	for (i = 1; i < 4; i++)
		done[i] = RTE_MAX(arrival[i], done[i - 1]) + W25(len);
	CU_ASSERT_EQUAL(done[0], 329600);
	CU_ASSERT_EQUAL(done[2], 988800);
	CU_ASSERT_EQUAL(done[3], 10329600);

	n = swf_output(&f, SWF_H1, &out);
	CU_ASSERT_EQUAL_FATAL(n, 4);
	for (i = 0; i < 4; i++) {
		struct fab_pkt_meta mt;

		CU_ASSERT_EQUAL(out[i].ts_ns, done[i] / 1000);
		CU_ASSERT_EQUAL(fab_pkt_parse_buf(out[i].data, out[i].len, &mt), FAB_PKT_OK);
		CU_ASSERT_EQUAL(mt.psn, (uint32_t)i);
	}
	/* 329.6 ns is stamped 329, not rounded to 330. */
	CU_ASSERT_EQUAL(out[0].ts_ns, 329);
	swf_free_recs(out, n);
	/* The last event is the last frame's start; nothing is left after it. */
	CU_ASSERT_EQUAL(f.end_ps, arrival[3]);
	CU_ASSERT_EQUAL(f.st[SWF_H1].max_queue_bytes[0], 2 * len);
	swf_end(&f);
}

/* ------------------------------------------------------------------ */
/* Drops                                                               */
/* ------------------------------------------------------------------ */

static void
test_switch_drops(void)
{
	struct swf_flow ok = flow4(SWF_H0, IP4(10, 0, 1, 2), 0, 0xc001);
	struct swf_flow fl;
	struct rte_ether_addr dst, src;
	uint8_t *in_ttl2, *in_mtu, *in_jumbo;
	uint32_t l_ttl2, l_mtu, l_jumbo;
	struct swf_rec *out;
	struct swf f;
	uint64_t ts = 0;
	int n;

	in_ttl2 = malloc(16384);
	in_mtu = malloc(16384);
	in_jumbo = malloc(16384);
	CU_ASSERT_FATAL(in_ttl2 != NULL && in_mtu != NULL && in_jumbo != NULL);
	swf_begin(&f);

	/* No route, IPv4 and IPv6. */
	fl = flow4(SWF_H0, IP4(192, 168, 1, 1), 0, 1);
	add_write(&f, SWF_H0, &fl, 0, 64, ts += 1000);
	fl = flow6(SWF_H0, 2, 1, 0, 2);
	add_write(&f, SWF_H0, &fl, 0, 64, ts += 1000);

	/* TTL 1 and 0 expire; TTL 2 leaves with 1. */
	fl = ok;
	fl.ttl = 1;
	add_write(&f, SWF_H0, &fl, 0, 64, ts += 1000);
	fl.ttl = 0; /* the builder reads 0 as 64: patch the header */
	n = swf_write(fbuf, sizeof(fbuf), &fl, 0, 64);
	CU_ASSERT_FATAL(n > 0);
	fbuf[RTE_ETHER_HDR_LEN + 8] = 0;
	swf_ipv4_csum(fbuf, RTE_ETHER_HDR_LEN);
	swf_add(&f, SWF_H0, fbuf, (uint32_t)n, ts += 1000);
	fl.ttl = 2;
	l_ttl2 = add_write(&f, SWF_H0, &fl, 7, 64, ts += 1000);
	memcpy(in_ttl2, fbuf, l_ttl2);

	/* The MTU (9100) bounds the IP datagram: 9100 passes, 9104 is oversize. */
	l_mtu = add_write(&f, SWF_H0, &ok, 8, 9100 - 44, ts += 10000);
	CU_ASSERT_EQUAL(l_mtu, 9100 + RTE_ETHER_HDR_LEN);
	memcpy(in_mtu, fbuf, l_mtu);
	CU_ASSERT_EQUAL(add_write(&f, SWF_H0, &ok, 9, 9104 - 44, ts += 10000),
		9104 + RTE_ETHER_HDR_LEN);
	/* IPv6: 40 + payload length. */
	fl = flow6(SWF_H0, 1, 2, 0, 3);
	CU_ASSERT_EQUAL(add_write(&f, SWF_H0, &fl, 10, 9104 - 64, ts += 10000),
		9104 + RTE_ETHER_HDR_LEN);
	/* A jumbo frame well within the MTU. */
	l_jumbo = add_write(&f, SWF_H0, &ok, 11, 8940, ts += 10000);
	CU_ASSERT_EQUAL(l_jumbo, 8998);
	memcpy(in_jumbo, fbuf, l_jumbo);

	/* Not IP (ARP), and an unknown ethertype shorter than 60 bytes (a runt). */
	memset(fbuf, 0, 60);
	swf_port_mac(SWF_H0, (struct rte_ether_addr *)fbuf);
	swf_peer_mac(SWF_H0, (struct rte_ether_addr *)(fbuf + 6));
	fbuf[12] = 0x08;
	fbuf[13] = 0x06;
	swf_add(&f, SWF_H0, fbuf, 60, ts += 10000);
	fbuf[12] = 0x88;
	fbuf[13] = 0xb5;
	swf_add(&f, SWF_H0, fbuf, 40, ts += 1000);

	start_std(&f, "drops", NULL);
	swf_run(&f);
	swf_check_conservation(&f);

	CU_ASSERT_EQUAL(f.st[SWF_H0].rx_pkts, 11);
	CU_ASSERT_EQUAL(f.st[SWF_H0].drop[FAB_SW_DROP_NO_ROUTE], 2);
	CU_ASSERT_EQUAL(f.st[SWF_H0].drop[FAB_SW_DROP_TTL], 2);
	CU_ASSERT_EQUAL(f.st[SWF_H0].drop[FAB_SW_DROP_OVERSIZE], 2);
	CU_ASSERT_EQUAL(f.st[SWF_H0].drop[FAB_SW_DROP_NOT_IP], 1);
	CU_ASSERT_EQUAL(f.st[SWF_H0].drop_parse[FAB_PKT_DROP_RUNT], 1);
	CU_ASSERT_EQUAL(f.st[SWF_H0].drops, 8);
	CU_ASSERT_EQUAL(f.st[SWF_H0].fwd_pkts, 3);
	CU_ASSERT_EQUAL(f.tot.drops, 8);
	CU_ASSERT_EQUAL(f.st[SWF_H1].tx_pkts, 3);
	CU_ASSERT_EQUAL(f.st[SWF_H1].tx_bytes, l_ttl2 + l_mtu + l_jumbo);

	n = swf_output(&f, SWF_H1, &out);
	CU_ASSERT_EQUAL_FATAL(n, 3);
	swf_port_mac(SWF_H1, &src);
	swf_peer_mac(SWF_H1, &dst);
	expect_routed(in_ttl2, l_ttl2, &out[0], &dst, &src);
	CU_ASSERT_EQUAL(out[0].data[RTE_ETHER_HDR_LEN + 8], 1);
	expect_routed(in_mtu, l_mtu, &out[1], &dst, &src);
	expect_routed(in_jumbo, l_jumbo, &out[2], &dst, &src);
	swf_free_recs(out, n);
	swf_end(&f);
	free(in_ttl2);
	free(in_mtu);
	free(in_jumbo);
}

/*
 * A port that hands the switch everything queued on it in one burst (as a
 * DPDK ring or a busy NIC does) and keeps what the switch sends.
 */
struct burst_port {
	struct rte_mbuf *rx[FAB_SWITCH_BURST];
	uint16_t nrx, pos;
	uint64_t at;
	struct rte_mbuf *tx[64];
	uint16_t ntx;
};

static uint16_t
burst_rx(void *be, struct fab_port_stats *st, uint64_t now, struct rte_mbuf **pkts,
		uint64_t *arrival_ps, uint16_t n)
{
	struct burst_port *bp = be;
	uint16_t k = 0;

	while (k < n && bp->pos < bp->nrx && bp->at <= now) {
		if (arrival_ps != NULL)
			arrival_ps[k] = bp->at;
		st->rx_packets++;
		st->rx_bytes += rte_pktmbuf_pkt_len(bp->rx[bp->pos]);
		pkts[k++] = bp->rx[bp->pos++];
	}
	return k;
}

static uint16_t
burst_tx(void *be, struct fab_port_stats *st, const uint64_t *tx_done_ps,
		struct rte_mbuf **pkts, uint16_t n)
{
	struct burst_port *bp = be;
	uint16_t i;

	RTE_SET_USED(tx_done_ps);
	for (i = 0; i < n; i++) {
		if (bp->ntx == RTE_DIM(bp->tx)) {
			rte_pktmbuf_free(pkts[i]);
			st->tx_errors++;
			continue;
		}
		st->tx_packets++;
		st->tx_bytes += rte_pktmbuf_pkt_len(pkts[i]);
		bp->tx[bp->ntx++] = pkts[i];
	}
	return n;
}

static uint64_t
burst_next_rx(const void *be)
{
	const struct burst_port *bp = be;

	return bp->pos < bp->nrx ? bp->at : FAB_PORT_RX_NEVER;
}

static void
burst_free(void *be)
{
	RTE_SET_USED(be);
}

static const struct fab_port_ops burst_ops = {
	.kind = FAB_PORT_KIND_OTHER,
	.rx_burst = burst_rx,
	.tx_burst = burst_tx,
	.next_rx_ps = burst_next_rx,
	.free = burst_free,
};

/*
 * One burst whose frames go to two ports and two classes, with a frame that
 * has no route in the middle: ingress groups them into runs per egress
 * queue, and each frame must still land in its own port's and class's
 * queue, in order, with the unroutable one counted. (A pcap port cannot
 * show this: its arrivals are spaced at least a frame's wire time apart, so
 * each comes in a burst of its own.)
 */
static void
test_switch_one_burst_runs(void)
{
	static const struct { uint32_t dst; uint8_t dscp; } in[] = {
		{ IP4(10, 0, 1, 2), 26 }, { IP4(10, 0, 1, 2), 26 }, { IP4(10, 8, 0, 1), 26 },
		{ IP4(10, 0, 1, 2), 26 }, { IP4(10, 0, 1, 3), 26 }, { IP4(10, 0, 1, 2), 0 },
		{ IP4(10, 0, 1, 2), 26 },
	};
	static struct burst_port bp[SWF_NB_PORTS];
	struct fab_port *ports[SWF_NB_PORTS];
	struct fab_switch_port_stats st[SWF_NB_PORTS];
	struct fab_switch_conf conf;
	struct fab_switch_params prm;
	struct fab_switch *sw;
	uint32_t len[RTE_DIM(in)], c3_bytes = 0, next_psn3 = 0;
	char err[512];
	uint64_t t = 0;
	uint16_t p;
	int i;

	memset(bp, 0, sizeof(bp));
	swf_yaml(yaml, sizeof(yaml), "burst", 7, NULL);
	CU_ASSERT_EQUAL_FATAL(fab_switch_conf_load_string("burst.yaml", yaml, "/tmp", &conf,
		err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(conf.nb_ports, SWF_NB_PORTS);
	for (p = 0; p < SWF_NB_PORTS; p++) {
		struct fab_port_conf pc = {
			.name = conf.ports[p].name, .mac = conf.ports[p].mac,
			.rate_bps = conf.ports[p].rate_bps,
		};

		ports[p] = fab_port_create_ops(&pc, &burst_ops, &bp[p], 0, err, sizeof(err));
		CU_ASSERT_PTR_NOT_NULL_FATAL(ports[p]);
	}
	for (i = 0; i < (int)RTE_DIM(in); i++) {
		struct swf_flow fl = flow4(SWF_H0, in[i].dst, in[i].dscp, 7);
		int n = swf_write(fbuf, sizeof(fbuf), &fl, (uint32_t)i, 200 + 100 * (uint32_t)i);

		CU_ASSERT_FATAL(n > 0);
		len[i] = (uint32_t)n;
		bp[SWF_H0].rx[bp[SWF_H0].nrx] = fab_test_mbuf_from(fbuf, len[i], 4096);
		CU_ASSERT_PTR_NOT_NULL_FATAL(bp[SWF_H0].rx[bp[SWF_H0].nrx]);
		bp[SWF_H0].nrx++;
		if (in[i].dst == IP4(10, 0, 1, 2) && in[i].dscp == 26)
			c3_bytes += len[i];
	}
	bp[SWF_H0].at = 1000000;
	memset(&prm, 0, sizeof(prm));
	prm.conf = &conf;
	prm.ports = ports;
	prm.ctrl_pool = fab_test_pool;
	prm.route_backend = FAB_ROUTE_COMPACT;
	prm.queue_capacity = SWF_QUEUE_CAPACITY;
	prm.socket_id = SOCKET_ID_ANY;
	sw = fab_switch_create(&prm, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(sw);
	while (t != UINT64_MAX) {
		fab_switch_poll(sw, t);
		t = fab_switch_next_event(sw, t) == t ? t + 1 : fab_switch_next_event(sw, t);
	}
	for (p = 0; p < SWF_NB_PORTS; p++)
		CU_ASSERT_EQUAL(fab_switch_port_stats(sw, p, 10000000, &st[p]), 0);

	CU_ASSERT_EQUAL(st[SWF_H0].rx_pkts, RTE_DIM(in));
	CU_ASSERT_EQUAL(st[SWF_H0].drop[FAB_SW_DROP_NO_ROUTE], 1);
	CU_ASSERT_EQUAL(st[SWF_H0].fwd_pkts, RTE_DIM(in) - 1);
	/* Every frame of a class was queued before the first left. */
	CU_ASSERT_EQUAL(st[SWF_H1].max_queue_bytes[3], c3_bytes);
	CU_ASSERT_EQUAL(st[SWF_H1].max_queue_bytes[0], len[5]);
	CU_ASSERT_EQUAL(st[SWF_H2].max_queue_bytes[3], len[4]);
	CU_ASSERT_EQUAL_FATAL(bp[SWF_H1].ntx, 5);
	CU_ASSERT_EQUAL_FATAL(bp[SWF_H2].ntx, 1);

	/* Class 3 leaves h1 in arrival order: PSNs 0, 1, 3, 6; class 0 is PSN 5. */
	for (i = 0; i < bp[SWF_H1].ntx; i++) {
		struct fab_pkt_meta mt;

		CU_ASSERT_EQUAL_FATAL(fab_pkt_parse(bp[SWF_H1].tx[i], &mt), FAB_PKT_OK);
		if (mt.dscp != 26) {
			CU_ASSERT_EQUAL(mt.psn, 5);
			continue;
		}
		CU_ASSERT(mt.psn >= next_psn3 && mt.psn != 2 && mt.psn != 4 && mt.psn != 5);
		next_psn3 = mt.psn + 1;
	}
	CU_ASSERT_EQUAL(next_psn3, 7);
	{
		struct fab_pkt_meta mt;

		CU_ASSERT_EQUAL(fab_pkt_parse(bp[SWF_H2].tx[0], &mt), FAB_PKT_OK);
		CU_ASSERT_EQUAL(mt.psn, 4);
	}
	fab_switch_free(sw);
	for (p = 0; p < SWF_NB_PORTS; p++) {
		rte_pktmbuf_free_bulk(bp[p].tx, bp[p].ntx);
		fab_port_free(ports[p]);
	}
	fab_switch_conf_free(&conf);
}

/* An opcode the parser does not know. */
static uint8_t
unknown_opcode(void)
{
	unsigned int op;

	for (op = 0; op < 256; op++)
		if (fab_bth_opcode_info((uint8_t)op) == 0)
			return (uint8_t)op;
	CU_FAIL("every opcode is known");
	return 0;
}

/* Every malformed form is dropped under its own reason at the ingress port. */
static void
test_switch_malformed(void)
{
	struct swf_flow v4 = flow4(SWF_H0, IP4(10, 0, 1, 2), 0, 0xc001);
	struct swf_flow v6 = flow6(SWF_H0, 1, 2, 0, 0xc002);
	uint8_t base4[256], base6[256], fr[256];
	uint32_t l4, l6, bth;
	const uint32_t ip = RTE_ETHER_HDR_LEN, udp = RTE_ETHER_HDR_LEN + 20;
	uint64_t ts = 0;
	struct swf_rec *out;
	struct fab_pkt_meta mt;
	struct swf f;
	int n, r, first_psn = 1, last_psn = 2;

	l4 = (uint32_t)swf_write(base4, sizeof(base4), &v4, 0, 64);
	l6 = (uint32_t)swf_write(base6, sizeof(base6), &v6, 0, 64);
	bth = udp + 8;
	swf_begin(&f);
	add_write(&f, SWF_H0, &v4, (uint32_t)first_psn, 64, ts += 1000);

#define ADD(buf, len) swf_add(&f, SWF_H0, (buf), (len), ts += 1000)
	/* FAB_PKT_DROP_TRUNC_ETH */
	ADD(base4, 10);
	/* TRUNC_VLAN: a tag that ends after two bytes */
	memcpy(fr, base4, 12);
	fr[12] = 0x81;
	fr[13] = 0x00;
	fr[14] = 0;
	fr[15] = 100;
	ADD(fr, 16);
	/* VLAN_DEPTH: three tags */
	memcpy(fr, base4, 12);
	{
		static const uint8_t tags[12] = { 0x88, 0xa8, 0, 100, 0x81, 0, 0, 101,
			0x81, 0, 0, 102 };

		memcpy(fr + 12, tags, 12);
		memcpy(fr + 24, base4 + 12, l4 - 12);
		ADD(fr, l4 + 12);
	}
	/* TRUNC_IPV4 */
	ADD(base4, ip + 10);
	/* IP_VERSION */
	memcpy(fr, base4, l4);
	fr[ip] = 0x65;
	ADD(fr, l4);
	/* IPV4_IHL */
	memcpy(fr, base4, l4);
	fr[ip] = 0x44;
	ADD(fr, l4);
	/* IPV4_CHECKSUM */
	memcpy(fr, base4, l4);
	fr[ip + 10] ^= 0xff;
	ADD(fr, l4);
	/* IPV4_TOTAL_LEN: beyond the frame */
	memcpy(fr, base4, l4);
	fr[ip + 2] = 0x07;
	fr[ip + 3] = 0xd0;
	ADD(fr, l4);
	/* FRAGMENT: more fragments */
	memcpy(fr, base4, l4);
	fr[ip + 6] |= 0x20;
	swf_ipv4_csum(fr, ip);
	ADD(fr, l4);
	/* TRUNC_IPV6 */
	ADD(base6, ip + 20);
	/* IPV6_PAYLOAD_LEN */
	memcpy(fr, base6, l6);
	fr[ip + 4] = 0x13;
	fr[ip + 5] = 0x88;
	ADD(fr, l6);
	/* TRUNC_IPV6_EXT: a hop-by-hop header longer than the datagram */
	memcpy(fr, base6, l6);
	fr[ip + 6] = 0;
	fr[ip + 40 + 1] = 255;
	ADD(fr, l6);
	/* TRUNC_UDP: an IP datagram of 24 bytes in a padded frame */
	memcpy(fr, base4, l4);
	fr[ip + 2] = 0;
	fr[ip + 3] = 24;
	swf_ipv4_csum(fr, ip);
	ADD(fr, l4);
	/* UDP_LEN: below 8 */
	memcpy(fr, base4, l4);
	fr[udp + 4] = 0;
	fr[udp + 5] = 4;
	ADD(fr, l4);
	/* TRUNC_BTH: UDP length leaves 12 bytes for BTH and ICRC */
	memcpy(fr, base4, l4);
	fr[udp + 4] = 0;
	fr[udp + 5] = 20;
	ADD(fr, l4);
	/* BTH_OPCODE */
	memcpy(fr, base4, l4);
	fr[bth] = unknown_opcode();
	ADD(fr, l4);
	/* TRUNC_ROCE_EXT: WRITE ONLY (RETH) in a datagram with no room for it */
	n = swf_write(fr, sizeof(fr), &v4, 0, 0);
	CU_ASSERT_FATAL(n > 0);
	fr[bth] = FAB_OP_RC_WRITE_ONLY;
	ADD(fr, (uint32_t)n);
	/* TRUNC_MAC_CTRL: the opcode is cut */
	memcpy(fr, base4, 12);
	fr[12] = 0x88;
	fr[13] = 0x08;
	fr[14] = 0x01;
	ADD(fr, 15);
	/* RUNT: well formed, 40 bytes */
	memcpy(fr, base4, 12);
	fr[12] = 0x88;
	fr[13] = 0xb5;
	memset(fr + 14, 0, 26);
	ADD(fr, 40);
#undef ADD
	add_write(&f, SWF_H0, &v4, (uint32_t)last_psn, 64, ts += 1000);

	start_std(&f, "bad", NULL);
	swf_run(&f);
	swf_check_conservation(&f);

	for (r = 1; r < FAB_PKT_DROP_MAX; r++) {
		if (f.st[SWF_H0].drop_parse[r] != 1)
			fprintf(stderr, "reason %s counted %" PRIu64 " times\n",
				fab_pkt_drop_name((enum fab_pkt_drop)r),
				f.st[SWF_H0].drop_parse[r]);
		CU_ASSERT_EQUAL(f.st[SWF_H0].drop_parse[r], 1);
	}
	CU_ASSERT_EQUAL(f.st[SWF_H0].rx_pkts, FAB_PKT_DROP_MAX - 1 + 2);
	CU_ASSERT_EQUAL(f.st[SWF_H0].drops, FAB_PKT_DROP_MAX - 1);
	CU_ASSERT_EQUAL(f.st[SWF_H0].fwd_pkts, 2);
	/* The frames around the bad ones are forwarded, in order. */
	n = swf_output(&f, SWF_H1, &out);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_EQUAL(fab_pkt_parse_buf(out[0].data, out[0].len, &mt), FAB_PKT_OK);
	CU_ASSERT_EQUAL(mt.psn, (uint32_t)first_psn);
	CU_ASSERT_EQUAL(fab_pkt_parse_buf(out[1].data, out[1].len, &mt), FAB_PKT_OK);
	CU_ASSERT_EQUAL(mt.psn, (uint32_t)last_psn);
	swf_free_recs(out, n);
	swf_end(&f);
}

/* ------------------------------------------------------------------ */
/* MAC control                                                         */
/* ------------------------------------------------------------------ */

static void
test_switch_mac_control_consumed(void)
{
	uint16_t quanta[FAB_NUM_PRIO] = { 0 };
	struct rte_ether_addr peer;
	uint8_t fr[128];
	struct swf f;
	uint16_t p;
	int c, len;

	swf_peer_mac(SWF_H0, &peer);
	swf_begin(&f);
	/* PFC resuming priorities 3 and 4 (time 0), a PAUSE, another MAC control opcode. */
	len = fab_pfc_build(fr, sizeof(fr), &peer, 0x18, quanta);
	CU_ASSERT_EQUAL_FATAL(len, FAB_PFC_FRAME_LEN);
	swf_add(&f, SWF_H0, fr, (uint32_t)len, 0);
	len = fab_pause_build(fr, sizeof(fr), &peer, 1000);
	CU_ASSERT_EQUAL_FATAL(len, FAB_PFC_FRAME_LEN);
	swf_add(&f, SWF_H0, fr, (uint32_t)len, 1000);
	fr[14] = 0x00;
	fr[15] = 0x02;
	swf_add(&f, SWF_H0, fr, (uint32_t)len, 2000);
	/* A PFC frame addressed elsewhere is still a PFC frame to the switch. */
	quanta[3] = 0;
	len = fab_pfc_build(fr, sizeof(fr), &peer, 0x08, quanta);
	fr[0] = 0x02;
	swf_add(&f, SWF_H2, fr, (uint32_t)len, 0);
	start_std(&f, "ctl", NULL);
	swf_run(&f);
	swf_check_conservation(&f);

	CU_ASSERT_EQUAL(f.st[SWF_H0].rx_pkts, 3);
	CU_ASSERT_EQUAL(f.st[SWF_H0].consumed_pkts, 3);
	CU_ASSERT_EQUAL(f.st[SWF_H0].pfc_rx[3], 1);
	CU_ASSERT_EQUAL(f.st[SWF_H0].pfc_rx[4], 1);
	CU_ASSERT_EQUAL(f.st[SWF_H0].pfc_rx[0], 0);
	CU_ASSERT_EQUAL(f.st[SWF_H0].pause_rx, 1);
	CU_ASSERT_EQUAL(f.st[SWF_H2].consumed_pkts, 1);
	CU_ASSERT_EQUAL(f.st[SWF_H2].pfc_rx[3], 1);
	CU_ASSERT_EQUAL(f.tot.consumed_pkts, 4);
	CU_ASSERT_EQUAL(f.tot.fwd_pkts, 0);
	CU_ASSERT_EQUAL(f.tot.tx_pkts, 0);
	CU_ASSERT_EQUAL(f.tot.drops, 0);
	/* Never in a queue, never paused anything (time 0; PAUSE not honoured). */
	for (p = 0; p < SWF_NB_PORTS; p++)
		for (c = 0; c < FAB_NUM_PRIO; c++) {
			CU_ASSERT_EQUAL(f.st[p].max_queue_bytes[c], 0);
			CU_ASSERT_EQUAL(f.st[p].paused_ps[c], 0);
		}
	swf_end(&f);
}

/*
 * A PFC frame received on h1 holds h1's class 3 for exactly its pause time
 * at h1's rate while class 0 keeps flowing.
 */
static void
test_switch_pfc_pauses_egress_class(void)
{
	struct swf_flow c3 = flow4(SWF_H0, IP4(10, 0, 1, 2), 26, 0xc001);
	struct swf_flow c0 = flow4(SWF_H0, IP4(10, 0, 1, 2), 0, 0xc002);
	uint16_t quanta[FAB_NUM_PRIO] = { 0 };
	const uint64_t until = 100 * 512 * 40; /* 100 quanta of 512 bits at 25G */
	struct rte_ether_addr peer;
	struct fab_pkt_meta mt;
	uint32_t l3, l0;
	struct swf_rec *out;
	struct swf f;
	uint8_t fr[64];
	int n;

	CU_ASSERT_EQUAL(until, fab_pfc_quanta_to_ps(100, SWF_G25));
	swf_peer_mac(SWF_H1, &peer);
	quanta[3] = 100;
	swf_begin(&f);
	CU_ASSERT_EQUAL(fab_pfc_build(fr, sizeof(fr), &peer, 0x08, quanta), FAB_PFC_FRAME_LEN);
	swf_add(&f, SWF_H1, fr, FAB_PFC_FRAME_LEN, 0);
	l3 = add_write(&f, SWF_H0, &c3, 1, 940, 0);
	l0 = add_write(&f, SWF_H0, &c0, 2, 440, 0);
	start_std(&f, "pfc", NULL);
	swf_run(&f);
	swf_check_conservation(&f);

	n = swf_output(&f, SWF_H1, &out);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	/* Class 0 arrived second but leaves first, as soon as it arrives. */
	CU_ASSERT_EQUAL(fab_pkt_parse_buf(out[0].data, out[0].len, &mt), FAB_PKT_OK);
	CU_ASSERT_EQUAL(mt.psn, 2);
	CU_ASSERT_EQUAL(out[0].ts_ns, (W100(l0) + W25(l0)) / 1000);
	/* Class 3 starts exactly when the pause ends. */
	CU_ASSERT_EQUAL(fab_pkt_parse_buf(out[1].data, out[1].len, &mt), FAB_PKT_OK);
	CU_ASSERT_EQUAL(mt.psn, 1);
	CU_ASSERT_EQUAL(out[1].ts_ns, (until + W25(l3)) / 1000);
	swf_free_recs(out, n);
	CU_ASSERT_EQUAL(f.st[SWF_H1].pfc_rx[3], 1);
	CU_ASSERT_EQUAL(f.st[SWF_H1].consumed_pkts, 1);
	CU_ASSERT_EQUAL(f.st[SWF_H1].paused_ps[3], until);
	CU_ASSERT_EQUAL(f.st[SWF_H1].paused_ps[0], 0);
	CU_ASSERT_EQUAL(f.end_ps, until);
	swf_end(&f);
}

/* ------------------------------------------------------------------ */
/* Classification and scheduling                                       */
/* ------------------------------------------------------------------ */

static void
test_switch_classify(void)
{
	static const char qos[] =
		"qos:\n"
		"  dscp_to_class: { 26: 3, 48: 6, 10: 1 }\n"
		"  cnp_class: 5\n";
	struct swf_flow fl;
	uint64_t ts = 0;
	uint32_t l26, l48, l10, l0, l46, lcnp, lp4, lp5, lpu;
	struct swf f;
	int c, len;

	swf_begin(&f);
	/* h0 trusts DSCP; frames 10 us apart so each queue holds one at a time. */
	fl = flow4(SWF_H0, IP4(10, 0, 1, 2), 26, 1);
	l26 = add_write(&f, SWF_H0, &fl, 0, 900, ts += 10000);
	fl.dscp = 48;
	l48 = add_write(&f, SWF_H0, &fl, 0, 700, ts += 10000);
	fl.dscp = 10;
	l10 = add_write(&f, SWF_H0, &fl, 0, 500, ts += 10000);
	fl.dscp = 0;
	l0 = add_write(&f, SWF_H0, &fl, 0, 300, ts += 10000);
	fl.dscp = 46; /* not in the map: class 0, a smaller frame than l0 */
	l46 = add_write(&f, SWF_H0, &fl, 0, 100, ts += 10000);
	/* CNPs go to cnp_class whatever their DSCP. */
	fl = flow4(SWF_H0, IP4(10, 0, 1, 3), 0, 2);
	len = swf_cnp(fbuf, sizeof(fbuf), &fl);
	CU_ASSERT_FATAL(len > 0);
	lcnp = (uint32_t)len;
	swf_add(&f, SWF_H0, fbuf, lcnp, ts += 10000);
	fl.dscp = 26;
	CU_ASSERT_EQUAL(swf_cnp(fbuf, sizeof(fbuf), &fl), len);
	swf_add(&f, SWF_H0, fbuf, lcnp, ts += 10000);
	fl.dscp = 48;
	CU_ASSERT_EQUAL(swf_cnp(fbuf, sizeof(fbuf), &fl), len);
	swf_add(&f, SWF_H0, fbuf, lcnp, ts += 10000);

	/* h2 trusts PCP: the tag decides, DSCP does not; untagged is PCP 0. */
	fl = flow4(SWF_H2, IP4(10, 0, 1, 1), 0, 3);
	fl.vlan = true;
	fl.pcp = 4;
	lp4 = add_write(&f, SWF_H2, &fl, 0, 800, 0);
	fl.pcp = 5;
	fl.dscp = 26;
	lp5 = add_write(&f, SWF_H2, &fl, 0, 600, 10000);
	fl.vlan = false;
	fl.pcp = 0;
	lpu = add_write(&f, SWF_H2, &fl, 0, 400, 20000);

	start_std(&f, "cls", qos);
	swf_run(&f);
	swf_check_conservation(&f);
	CU_ASSERT_EQUAL(f.tot.drops, 0);

	CU_ASSERT_EQUAL(f.st[SWF_H1].tx_pkts, 5);
	for (c = 0; c < FAB_NUM_PRIO; c++) {
		uint64_t h1 = c == 3 ? l26 : c == 6 ? l48 : c == 1 ? l10 : c == 0 ? l0 : 0;
		uint64_t h2 = c == 5 ? lcnp : 0;
		uint64_t h0 = c == 4 ? lp4 : c == 5 ? lp5 : c == 0 ? lpu : 0;

		CU_ASSERT_EQUAL(f.st[SWF_H1].max_queue_bytes[c], h1);
		CU_ASSERT_EQUAL(f.st[SWF_H2].max_queue_bytes[c], h2);
		CU_ASSERT_EQUAL(f.st[SWF_H0].max_queue_bytes[c], h0);
	}
	CU_ASSERT(l46 < l0);
	CU_ASSERT_EQUAL(f.st[SWF_H2].tx_pkts, 3);
	CU_ASSERT_EQUAL(f.st[SWF_H0].tx_pkts, 3);
	swf_end(&f);
}

/*
 * CNPs (class 6, strict) overtake frames queued before them; the first
 * frame was already on the wire and finishes.
 */
static void
test_switch_strict_priority(void)
{
	struct swf_flow d0 = flow4(SWF_H0, IP4(10, 0, 1, 2), 0, 1);
	struct swf_flow d3 = flow4(SWF_H0, IP4(10, 0, 1, 2), 26, 2);
	struct fab_pkt_meta mt;
	struct swf_rec *out;
	uint32_t len, lcnp;
	struct swf f;
	int n;

	swf_begin(&f);
	len = add_write(&f, SWF_H0, &d0, 0, 948, 0);
	add_write(&f, SWF_H0, &d0, 1, 948, 0);
	add_write(&f, SWF_H0, &d3, 2, 948, 0);
	n = swf_cnp(fbuf, sizeof(fbuf), &d0);
	CU_ASSERT_FATAL(n > 0);
	lcnp = (uint32_t)n;
	swf_add(&f, SWF_H0, fbuf, lcnp, 0);
	start_std(&f, "prio", NULL);
	swf_run(&f);
	swf_check_conservation(&f);

	n = swf_output(&f, SWF_H1, &out);
	CU_ASSERT_EQUAL_FATAL(n, 4);
	CU_ASSERT_EQUAL(fab_pkt_parse_buf(out[0].data, out[0].len, &mt), FAB_PKT_OK);
	CU_ASSERT_EQUAL(mt.psn, 0);
	CU_ASSERT_EQUAL(out[0].ts_ns, W25(len) / 1000);
	CU_ASSERT_EQUAL(fab_pkt_parse_buf(out[1].data, out[1].len, &mt), FAB_PKT_OK);
	CU_ASSERT_EQUAL(mt.bth_opcode, FAB_OP_CNP);
	CU_ASSERT_EQUAL(out[1].ts_ns, (W25(len) + W25(lcnp)) / 1000);
	/* Then the two DWRR classes, one frame each. */
	CU_ASSERT_EQUAL(out[2].ts_ns, (2 * W25(len) + W25(lcnp)) / 1000);
	CU_ASSERT_EQUAL(out[3].ts_ns, (3 * W25(len) + W25(lcnp)) / 1000);
	swf_free_recs(out, n);
	CU_ASSERT_EQUAL(f.st[SWF_H1].max_queue_bytes[6], lcnp);
	CU_ASSERT_EQUAL(f.st[SWF_H1].max_queue_bytes[3], len);
	swf_end(&f);
}

/* ------------------------------------------------------------------ */
/* Buffer                                                              */
/* ------------------------------------------------------------------ */

/*
 * A lossy queue with a static limit tail-drops what does not fit; the drop
 * is counted at the egress port, before the frame is admitted.
 */
static void
test_switch_egress_limit(void)
{
	static const char buf_conf[] = "buffer: { egress: { lossy_static: 4000 } }\n";
	struct swf_flow d0 = flow4(SWF_H0, IP4(10, 0, 1, 2), 0, 1);
	const uint32_t n_in = 20, limit = 4000;
	uint32_t len = 0, i, admitted = 0, dropped = 0, queued = 0, k;
	uint64_t free_at = 0, ratio;
	struct swf f;

	swf_begin(&f);
	for (i = 0; i < n_in; i++)
		len = add_write(&f, SWF_H0, &d0, i, 940, 0);
	start_std(&f, "lim", buf_conf);
	swf_run(&f);
	swf_check_conservation(&f);

	/*
	 * The model: arrivals every W100, a departure starts every W25 = 4 W100;
	 * at a tie the arrival is handled first (ingress before egress).
	 */
	ratio = W25(len) / W100(len);
	CU_ASSERT_EQUAL_FATAL(W25(len), ratio * W100(len));
	for (k = 0; k < 4 * n_in; k++) {
		uint64_t t = k * W100(len);

		if (k < n_in) {
			if (queued + len <= limit) {
				queued += len;
				admitted++;
			} else {
				dropped++;
			}
		}
		if (free_at <= t && queued != 0) {
			queued -= len;
			free_at = t + W25(len);
		}
	}
	CU_ASSERT_EQUAL(admitted, 9);
	CU_ASSERT_EQUAL(dropped, 11);
	CU_ASSERT_EQUAL(f.st[SWF_H1].drop[FAB_SW_DROP_MMU_EGRESS], dropped);
	CU_ASSERT_EQUAL(f.st[SWF_H1].drops, dropped);
	CU_ASSERT_EQUAL(f.st[SWF_H0].drops, 0);
	CU_ASSERT_EQUAL(f.st[SWF_H0].fwd_pkts, admitted);
	CU_ASSERT_EQUAL(f.st[SWF_H1].tx_pkts, admitted);
	CU_ASSERT_EQUAL(f.st[SWF_H1].max_queue_bytes[0], 4 * len);
	swf_end(&f);
}

/* ------------------------------------------------------------------ */
/* PFC generation and the passive peer                                 */
/* ------------------------------------------------------------------ */

/* Decode the PFC frame of an output record, sent by port @p port. */
static void
expect_pfc(const struct swf_rec *r, uint16_t port, uint8_t enable, uint16_t q3)
{
	struct fab_pfc_frame pf;
	struct fab_pkt_meta mt;
	struct rte_ether_addr src;

	CU_ASSERT_EQUAL_FATAL(r->len, FAB_PFC_FRAME_LEN);
	CU_ASSERT_EQUAL_FATAL(fab_pkt_parse_buf(r->data, r->len, &mt), FAB_PKT_OK);
	CU_ASSERT_EQUAL_FATAL(mt.kind, FAB_PKT_KIND_PFC);
	CU_ASSERT_EQUAL_FATAL(fab_pfc_decode_buf(r->data, &mt, &pf), 0);
	CU_ASSERT_EQUAL(pf.enable, enable);
	CU_ASSERT_EQUAL(pf.quanta[3], q3);
	swf_port_mac(port, &src);
	CU_ASSERT(memcmp(r->data + 6, src.addr_bytes, 6) == 0);
}

/*
 * @p in (100G) overloads h1 (25G) on lossless class 3. The ingress group
 * (in, 3) has a static limit of 10000 bytes: the 11th frame held goes to
 * headroom and raises XOFF, which leaves by @p in at once; the pcap peer is
 * held until the group falls to its XON point, max(xon, limit - xon_offset)
 * = 6000 bytes, and the XON leaves then. Nothing is lost.
 *
 * Frames are 998 bytes: 81760 ps at 100G and 4 times that at 25G, so
 * arrivals come every tick of 81760 ps and departures start every 4 ticks.
 * The queue holds 3m frames after the departure at tick 4m, 3m + j at tick
 * 4m + j: 11 frames first at tick 14 (XOFF). The headroom frame leaves at
 * tick 16, then one frame per 4 ticks: 6 frames remain at tick 32 (XON).
 * Checks all that, and leaves the run in @p f for the caller.
 */
#define OVERLOAD_FRAMES 19
#define OVERLOAD_TICK W100(998)
#define OVERLOAD_T_XOFF (14 * OVERLOAD_TICK)
#define OVERLOAD_T_XON (32 * OVERLOAD_TICK)

static void
run_lossless_overload(struct swf *f, uint16_t in, const char *name)
{
	static const char conf[] =
		"buffer:\n"
		"  pool: 64KB\n"
		"  ingress: { static: 10000, xoff: 20000, xon: 2000, xon_offset: 4000 }\n";
	struct swf_flow d3 = flow4((uint8_t)in, IP4(10, 0, 1, 2), 26, 1);
	struct swf_rec *out;
	uint32_t i;
	int n;

	swf_begin(f);
	for (i = 0; i < OVERLOAD_FRAMES; i++)
		CU_ASSERT_EQUAL(add_write(f, in, &d3, i, 940, 0), 998);
	start_std(f, name, conf);
	swf_run(f);
	swf_check_conservation(f);

	CU_ASSERT_EQUAL(f->tot.drops, 0);
	CU_ASSERT_EQUAL(f->st[SWF_H1].tx_pkts, OVERLOAD_FRAMES);
	CU_ASSERT_EQUAL(f->st[SWF_H1].max_queue_bytes[3], 11 * 998);
	CU_ASSERT_EQUAL(f->st[in].pfc_tx[3], 2);
	CU_ASSERT_EQUAL(f->st[in].pfc_tx_xoff[3], 1);
	CU_ASSERT_EQUAL(f->st[in].tx_ctrl_pkts, 2);
	CU_ASSERT_EQUAL(f->st[in].tx_pkts, 2);
	CU_ASSERT_EQUAL(f->st[in].rx_held_ps, OVERLOAD_T_XON - OVERLOAD_T_XOFF);
	CU_ASSERT_EQUAL(f->tot.pfc_tx[4], 0);

	n = swf_output(f, in, &out);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	expect_pfc(&out[0], in, 0x08, 0xffff);
	CU_ASSERT_EQUAL(out[0].ts_ns, (OVERLOAD_T_XOFF + W100(FAB_PFC_FRAME_LEN)) / 1000);
	expect_pfc(&out[1], in, 0x08, 0);
	CU_ASSERT_EQUAL(out[1].ts_ns, (OVERLOAD_T_XON + W100(FAB_PFC_FRAME_LEN)) / 1000);
	swf_free_recs(out, n);
}

static void
test_switch_pfc_xoff_passive_peer(void)
{
	struct swf_rec *out;
	struct fab_pkt_meta mt;
	struct swf f;
	uint32_t i;
	int n;

	run_lossless_overload(&f, SWF_H0, "xoff");
	/* In order, and the first frame after the hold arrives one wire time after XON. */
	n = swf_output(&f, SWF_H1, &out);
	CU_ASSERT_EQUAL_FATAL(n, OVERLOAD_FRAMES);
	for (i = 0; i < OVERLOAD_FRAMES; i++) {
		CU_ASSERT_EQUAL(fab_pkt_parse_buf(out[i].data, out[i].len, &mt), FAB_PKT_OK);
		CU_ASSERT_EQUAL(mt.psn, i);
	}
	swf_free_recs(out, n);
	swf_end(&f);
}

/*
 * The same overload from up0 (port 3) instead of h0 (port 0). The release
 * that brings XON now happens in h1's egress (port 1) and the XON leaves by
 * a later port of the same egress pass: that pass must send it (up0's due
 * time read afresh after h1's egress), at the same times, with no second
 * poll at the same time.
 */
static void
test_switch_xon_in_the_same_pass(void)
{
	struct swf f;

	run_lossless_overload(&f, SWF_UP0, "xonpass");
	/* Every poll did all that was due at its time. */
	CU_ASSERT_EQUAL(f.repolls, 0);
	swf_end(&f);
}

/*
 * A lossless group whose headroom cannot take even one frame: the frame
 * that raises XOFF is dropped (buffer_headroom_overrun) and the group holds
 * nothing, so no release will ever bring XON. The switch must still resume
 * the peer (SAI's rule holds at once: nothing is used), not hold its input
 * and refresh the pause forever.
 */
static void
test_switch_headroom_overrun_resumes(void)
{
	static const char conf[] =
		"buffer:\n"
		"  pool: 64KB\n"
		"  ingress: { static: 500, xoff: 600, xon: 0 }\n";
	struct swf_flow d3 = flow4(SWF_H0, IP4(10, 0, 1, 2), 26, 1);
	struct swf_flow d0 = flow4(SWF_H0, IP4(10, 0, 1, 2), 0, 2);
	struct swf f;

	swf_begin(&f);
	add_write(&f, SWF_H0, &d3, 0, 940, 0);
	/* Small enough for the static limit, which lossy groups have too. */
	add_write(&f, SWF_H0, &d0, 1, 300, 1000);
	start_std(&f, "ovr", conf);
	swf_run(&f);
	swf_check_conservation(&f);

	CU_ASSERT(f.polls < 1000);
	CU_ASSERT_EQUAL(f.st[SWF_H0].drop[FAB_SW_DROP_MMU_HEADROOM], 1);
	CU_ASSERT_EQUAL(f.st[SWF_H0].drops, 1);
	/* The lossy frame behind it is not stuck behind a pause that never ends. */
	CU_ASSERT_EQUAL(f.st[SWF_H0].rx_pkts, 2);
	CU_ASSERT_EQUAL(f.st[SWF_H1].tx_pkts, 1);
	/* XOFF and XON at the same instant cancel: no PFC frame, no hold. */
	CU_ASSERT_EQUAL(f.st[SWF_H0].tx_ctrl_pkts, 0);
	CU_ASSERT_EQUAL(f.st[SWF_H0].rx_held_ps, 0);
	swf_end(&f);
}

/* ------------------------------------------------------------------ */
/* ECN                                                                 */
/* ------------------------------------------------------------------ */

/*
 * ecn-step on class 0 with K = 2000 bytes, 998-byte frames, the overload
 * of the PFC test (arrivals every tick, a departure every 4 ticks). At
 * enqueue a frame sees the bytes queued before it (frames whose
 * transmission started are gone; an arrival at a departure's tick is
 * handled first); at dequeue it sees the bytes it leaves behind.
 */
static void
run_ecn_step(const char *name, bool dequeue, const uint8_t *ecn_in, uint32_t n_in)
{
	char conf[256];
	struct swf_flow d0 = flow4(SWF_H0, IP4(10, 0, 1, 2), 0, 1);
	uint32_t q[64], head = 0, tail = 0, i, k, marked = 0;
	bool mark[64] = { false };
	uint64_t free_at = 0;
	const uint32_t len = 998, K = 2000;
	struct swf_rec *out;
	struct swf f;
	int n;

	snprintf(conf, sizeof(conf), "ecn: { plugin: ecn-step, mark_at: %s, "
		"classes: { 0: { k: %u } } }\n", dequeue ? "dequeue" : "enqueue", K);
	swf_begin(&f);
	for (i = 0; i < n_in; i++) {
		d0.ecn = ecn_in[i];
		add_write(&f, SWF_H0, &d0, i, 940, 0);
	}
	start_std(&f, name, conf);
	swf_run(&f);
	swf_check_conservation(&f);

	/* The model. */
	for (k = 0; k < 8 * n_in; k++) {
		uint64_t t = k * W100(len);

		if (k < n_in) {
			if (!dequeue && (tail - head) * len > K)
				mark[k] = true;
			q[tail++ % 64] = k;
		}
		if (free_at <= t && tail != head) {
			uint32_t id = q[head++ % 64];

			if (dequeue && (tail - head) * len > K)
				mark[id] = true;
			free_at = t + W25(len);
		}
	}
	n = swf_output(&f, SWF_H1, &out);
	CU_ASSERT_EQUAL_FATAL(n, (int)n_in);
	for (i = 0; i < n_in; i++) {
		struct fab_pkt_meta mt;
		uint8_t want = ecn_in[i];
		struct rte_mbuf *m;

		if (mark[i] && (want == 1 || want == 2)) {
			want = 3;
			marked++;
		}
		CU_ASSERT_EQUAL_FATAL(fab_pkt_parse_buf(out[i].data, out[i].len, &mt), FAB_PKT_OK);
		CU_ASSERT_EQUAL(mt.psn, i);
		if (mt.ecn != want)
			fprintf(stderr, "%s: frame %u: ecn %u, want %u\n", name, i, mt.ecn, want);
		CU_ASSERT_EQUAL(mt.ecn, want);
		CU_ASSERT_EQUAL(mt.ttl, 63);
		m = fab_test_mbuf_from(out[i].data, out[i].len, 2048);
		CU_ASSERT_PTR_NOT_NULL_FATAL(m);
		CU_ASSERT_EQUAL(fab_pkt_parse(m, &mt), FAB_PKT_OK);
		CU_ASSERT(fab_icrc_verify(m, &mt));
		rte_pktmbuf_free(m);
	}
	swf_free_recs(out, n);
	CU_ASSERT(marked > 0);
	CU_ASSERT_EQUAL(f.st[SWF_H1].ecn_marked, marked);
	CU_ASSERT_EQUAL(f.tot.ecn_marked, marked);
	swf_end(&f);
}

static void
test_switch_ecn_step_enqueue_dequeue(void)
{
	/* ECT(0) mostly; one ECT(1), Not-ECT and CE frame each where the queue is long. */
	uint8_t ecn[16];
	int i;

	for (i = 0; i < 16; i++)
		ecn[i] = 2;
	ecn[9] = 1;
	ecn[10] = 0;
	ecn[11] = 3;
	run_ecn_step("ecnenq", false, ecn, 16);
	run_ecn_step("ecndeq", true, ecn, 16);
}

/*
 * Three frames reach h1 at the same instant from three ports, and with the
 * shaper off leave in one burst. At enqueue the third sees the two before
 * it; at dequeue the first leaves the two after it behind (they left in
 * the same burst, but after it). K = 1500 bytes, frames of 998.
 */
static void
run_ecn_burst(bool dequeue, int want_marked)
{
	static const uint16_t in[3] = { SWF_H0, SWF_H2, SWF_UP0 };
	char conf[256];
	struct swf_rec *out;
	struct swf f;
	int i, n;

	snprintf(conf, sizeof(conf), "ecn: { plugin: ecn-step, mark_at: %s, "
		"classes: { 0: { k: 1500 } } }\n", dequeue ? "dequeue" : "enqueue");
	swf_begin(&f);
	for (i = 0; i < 3; i++) {
		struct swf_flow fl = flow4((uint8_t)in[i], IP4(10, 0, 1, 2), 0, 1);

		fl.ecn = 2;
		add_write(&f, in[i], &fl, (uint32_t)i, 940, 0);
	}
	f.unlimited_shaper = true;
	start_std(&f, dequeue ? "burstdq" : "burstenq", conf);
	swf_run(&f);
	swf_check_conservation(&f);
	CU_ASSERT_EQUAL(f.st[SWF_H1].ecn_marked, 1);
	n = swf_output(&f, SWF_H1, &out);
	CU_ASSERT_EQUAL_FATAL(n, 3);
	for (i = 0; i < 3; i++) {
		struct fab_pkt_meta mt;

		CU_ASSERT_EQUAL(fab_pkt_parse_buf(out[i].data, out[i].len, &mt), FAB_PKT_OK);
		/* In port order, all at once. */
		CU_ASSERT_EQUAL(mt.psn, (uint32_t)i);
		CU_ASSERT_EQUAL(out[i].ts_ns, 0);
		CU_ASSERT_EQUAL(mt.ecn, i == want_marked ? 3 : 2);
	}
	swf_free_recs(out, n);
	swf_end(&f);
}

static void
test_switch_ecn_burst_depth(void)
{
	run_ecn_burst(false, 2);
	run_ecn_burst(true, 0);
}

/* ------------------------------------------------------------------ */
/* PFC watchdog                                                        */
/* ------------------------------------------------------------------ */

/*
 * h1's peer pauses class 3 for 65535 quanta (1.34 ms at 25G) every 5 us
 * until 50 us. With the watchdog (detect 10 us, action drop) the stuck
 * queue is released at 10 us and its frames dropped at egress, and later
 * pauses are ignored; once no pause has come for the restore time (20 us)
 * the class is back to normal and forwards.
 */
static void
test_switch_pfc_watchdog_drop(void)
{
	static const char conf[] = "pfc: { watchdog: { detect: 10us, action: drop } }\n";
	struct swf_flow d3 = flow4(SWF_H0, IP4(10, 0, 1, 2), 26, 1);
	uint16_t quanta[FAB_NUM_PRIO] = { 0 };
	struct rte_ether_addr peer;
	struct fab_pkt_meta mt;
	struct swf_rec *out;
	uint8_t fr[64];
	uint32_t len;
	struct swf f;
	int i, n;

	swf_peer_mac(SWF_H1, &peer);
	quanta[3] = 0xffff;
	swf_begin(&f);
	CU_ASSERT_EQUAL(fab_pfc_build(fr, sizeof(fr), &peer, 0x08, quanta), FAB_PFC_FRAME_LEN);
	/* The storm: a fresh pause every 5 us until 50 us. */
	for (i = 0; i <= 10; i++)
		swf_add(&f, SWF_H1, fr, FAB_PFC_FRAME_LEN, (uint64_t)i * 5000);
	len = add_write(&f, SWF_H0, &d3, 0, 940, 0);
	add_write(&f, SWF_H0, &d3, 1, 940, 0);
	add_write(&f, SWF_H0, &d3, 2, 940, 0);
	/* During the storm, after detection: dropped at once, not paused again. */
	add_write(&f, SWF_H0, &d3, 3, 940, 30000);
	/* Long after the restoration (50 us + 20 us). */
	add_write(&f, SWF_H0, &d3, 4, 940, 100000);
	start_std(&f, "wd", conf);
	/* The storm is logged as a warning; keep the test output quiet. */
	rte_log_set_level_pattern("rocefab.switch", RTE_LOG_ERR);
	swf_run(&f);
	rte_log_set_level_pattern("rocefab.switch", RTE_LOG_WARNING);
	swf_check_conservation(&f);

	CU_ASSERT_EQUAL(f.st[SWF_H1].pfc_wd_storms, 1);
	CU_ASSERT_EQUAL(f.st[SWF_H1].pfc_rx[3], 11);
	CU_ASSERT_EQUAL(f.st[SWF_H1].consumed_pkts, 11);
	CU_ASSERT_EQUAL(f.st[SWF_H1].drop[FAB_SW_DROP_PFC_WATCHDOG], 4);
	CU_ASSERT_EQUAL(f.st[SWF_H1].drops, 4);
	CU_ASSERT_EQUAL(f.st[SWF_H0].fwd_pkts, 5);
	CU_ASSERT_EQUAL(f.st[SWF_H1].tx_pkts, 1);
	/* Paused from the PFC frame until the watchdog released the queue. */
	CU_ASSERT_EQUAL(f.st[SWF_H1].paused_ps[3], 10000000);
	n = swf_output(&f, SWF_H1, &out);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_EQUAL(fab_pkt_parse_buf(out[0].data, out[0].len, &mt), FAB_PKT_OK);
	CU_ASSERT_EQUAL(mt.psn, 4);
	CU_ASSERT_EQUAL(out[0].ts_ns, (100000000 + W25(len)) / 1000);
	swf_free_recs(out, n);
	swf_end(&f);
}

/* ------------------------------------------------------------------ */
/* ECMP                                                                */
/* ------------------------------------------------------------------ */

#define ECMP_V4_FLOWS 64
#define ECMP_V6_FLOWS 16
#define ECMP_FLOWS (ECMP_V4_FLOWS + ECMP_V6_FLOWS)
#define ECMP_ROUNDS 4

static struct swf_flow
ecmp_flow(int i)
{
	if (i < ECMP_V4_FLOWS)
		return flow4(SWF_H0, IP4(10, 9, i / 8, i % 8 + 1), 0, (uint16_t)(0xc000 + i));
	return flow6(SWF_H0, 9, (uint16_t)(i + 1), 0, (uint16_t)(0xc000 + i));
}

/*
 * Run the ECMP traffic through a switch with @p hash_seed; store the uplink
 * (0 or 1) each flow left by, -1 if it was split or lost.
 */
static void
run_ecmp(const char *name, uint64_t hash_seed, int *uplink)
{
	struct swf_rec *out;
	struct swf f;
	int counts[ECMP_FLOWS][2];
	int r, i, u, n;

	memset(counts, 0, sizeof(counts));
	swf_begin(&f);
	for (r = 0; r < ECMP_ROUNDS; r++)
		for (i = 0; i < ECMP_FLOWS; i++) {
			struct swf_flow fl = ecmp_flow(i);

			add_write(&f, SWF_H0, &fl, (uint32_t)r, 64, 0);
		}
	swf_yaml(yaml, sizeof(yaml), name, hash_seed, NULL);
	CU_ASSERT_EQUAL_FATAL(swf_start(&f, yaml), 0);
	swf_run(&f);
	swf_check_conservation(&f);
	CU_ASSERT_EQUAL(f.st[SWF_H0].fwd_pkts, ECMP_FLOWS * ECMP_ROUNDS);
	CU_ASSERT_EQUAL(f.st[SWF_UP0].tx_pkts + f.st[SWF_UP1].tx_pkts,
		ECMP_FLOWS * ECMP_ROUNDS);

	for (u = 0; u < 2; u++) {
		struct rte_ether_addr dst, src;

		swf_peer_mac(SWF_UP0 + u, &dst);
		swf_port_mac(SWF_UP0 + u, &src);
		n = swf_output(&f, (uint16_t)(SWF_UP0 + u), &out);
		for (i = 0; i < n; i++) {
			struct fab_pkt_meta mt;
			int id;

			CU_ASSERT_EQUAL_FATAL(fab_pkt_parse_buf(out[i].data, out[i].len, &mt),
				FAB_PKT_OK);
			CU_ASSERT(memcmp(out[i].data, dst.addr_bytes, 6) == 0);
			CU_ASSERT(memcmp(out[i].data + 6, src.addr_bytes, 6) == 0);
			id = rte_be_to_cpu_16(mt.key.src_port) - 0xc000;
			CU_ASSERT_FATAL(id >= 0 && id < ECMP_FLOWS);
			/* A flow's packets stay in order on its path. */
			CU_ASSERT_EQUAL(mt.psn, (uint32_t)counts[id][u]);
			counts[id][u]++;
		}
		swf_free_recs(out, n);
	}
	for (i = 0; i < ECMP_FLOWS; i++) {
		uplink[i] = -1;
		if (counts[i][0] == ECMP_ROUNDS && counts[i][1] == 0)
			uplink[i] = 0;
		else if (counts[i][1] == ECMP_ROUNDS && counts[i][0] == 0)
			uplink[i] = 1;
		CU_ASSERT(uplink[i] >= 0);
	}
	swf_end(&f);
}

static void
test_switch_ecmp(void)
{
	const uint64_t seed_a = UINT64_C(0x1234567890abcdef), seed_b = 0x42;
	int a[ECMP_FLOWS], b[ECMP_FLOWS], c[ECMP_FLOWS];
	int i, on_up1 = 0, v6_on_up1 = 0, differ = 0;
	struct fab_nh_group g;
	uint32_t members[2] = { 0, 1 };
	uint32_t seed32 = (uint32_t)(seed_a ^ (seed_a >> 32));

	run_ecmp("ecmpa", seed_a, a);
	run_ecmp("ecmpb", seed_b, b);
	run_ecmp("ecmpc", seed_a, c);

	/* The member is the lib/route bucket of the seeded 5-tuple hash. */
	CU_ASSERT_EQUAL_FATAL(fab_nh_group_init(&g, members, 2, 256), 0);
	for (i = 0; i < ECMP_FLOWS; i++) {
		struct swf_flow fl = ecmp_flow(i);
		struct fab_pkt_meta mt;
		int len = swf_write(fbuf, sizeof(fbuf), &fl, 0, 64);

		CU_ASSERT_EQUAL_FATAL(fab_pkt_parse_buf(fbuf, (uint32_t)len, &mt), FAB_PKT_OK);
		CU_ASSERT_EQUAL(a[i], fab_nh_group_select(&g, fab_flow_hash(&mt.key, seed32)));
		on_up1 += a[i] == 1;
		v6_on_up1 += i >= ECMP_V4_FLOWS && a[i] == 1;
		differ += a[i] != b[i];
		/* The same seed chooses the same, whatever the switch is called. */
		CU_ASSERT_EQUAL(a[i], c[i]);
	}
	/* Spread over both uplinks, IPv6 included. */
	CU_ASSERT(on_up1 >= ECMP_FLOWS / 4 && on_up1 <= 3 * ECMP_FLOWS / 4);
	CU_ASSERT(v6_on_up1 > 0 && v6_on_up1 < ECMP_V6_FLOWS);
	/* Another seed decorrelates: about half the flows move. */
	CU_ASSERT(differ >= ECMP_FLOWS / 4 && differ <= 3 * ECMP_FLOWS / 4);
}

int
fab_suite_switch(void)
{
	CU_pSuite s = fab_test_add_suite("switch");

	if (s == NULL)
		return -1;
	FAB_ADD_TEST(s, test_switch_invalid_create);
	FAB_ADD_TEST(s, test_switch_ecn_refusal_fails);
	FAB_ADD_TEST(s, test_switch_forward_rewrite);
	FAB_ADD_TEST(s, test_switch_ipv6_forward);
	FAB_ADD_TEST(s, test_switch_timestamps);
	FAB_ADD_TEST(s, test_switch_drops);
	FAB_ADD_TEST(s, test_switch_one_burst_runs);
	FAB_ADD_TEST(s, test_switch_malformed);
	FAB_ADD_TEST(s, test_switch_mac_control_consumed);
	FAB_ADD_TEST(s, test_switch_pfc_pauses_egress_class);
	FAB_ADD_TEST(s, test_switch_classify);
	FAB_ADD_TEST(s, test_switch_strict_priority);
	FAB_ADD_TEST(s, test_switch_egress_limit);
	FAB_ADD_TEST(s, test_switch_pfc_xoff_passive_peer);
	FAB_ADD_TEST(s, test_switch_xon_in_the_same_pass);
	FAB_ADD_TEST(s, test_switch_headroom_overrun_resumes);
	FAB_ADD_TEST(s, test_switch_ecn_step_enqueue_dequeue);
	FAB_ADD_TEST(s, test_switch_ecn_burst_depth);
	FAB_ADD_TEST(s, test_switch_pfc_watchdog_drop);
	FAB_ADD_TEST(s, test_switch_ecmp);
	return 0;
}
