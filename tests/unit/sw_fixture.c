/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/* The switch-in-a-directory fixture shared by test_switch.c and test_stats.c. */

#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_byteorder.h>
#include <rte_ip.h>

#include "fab_test.h"
#include "sw_fixture.h"

static const char *const std_names[SWF_NB_PORTS] = { "h0", "h1", "h2", "up0", "up1" };

/* Loop guard: no test needs this many events. */
#define SWF_MAX_POLLS 200000

void
swf_peer_mac(uint16_t i, struct rte_ether_addr *mac)
{
	static const uint8_t base[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x00 };

	memcpy(mac->addr_bytes, base, 6);
	if (i >= SWF_UP0)
		mac->addr_bytes[4] = (uint8_t)(0x0a + i - SWF_UP0);
	else
		mac->addr_bytes[5] = (uint8_t)(i + 1);
}

void
swf_port_mac(uint16_t i, struct rte_ether_addr *mac)
{
	static const uint8_t base[6] = { 0x02, 0xfa, 0xb0, 0x00, 0x00, 0x00 };

	memcpy(mac->addr_bytes, base, 6);
	mac->addr_bytes[5] = (uint8_t)i;
}

void
swf_yaml(char *buf, size_t cap, const char *name, uint64_t hash_seed, const char *extra)
{
	int n = snprintf(buf, cap,
		"switch: { name: %s, seed: 7, hash_seed: %" PRIu64 ", mac: \"02:fa:b0:00:00:00\" }\n"
		"ports:\n"
		"  - { name: h0, pcap: { rx: h0.rx.pcap, tx: h0.tx.pcap }, rate: 100G,\n"
		"      peer: { mac: \"02:00:00:00:00:01\" } }\n"
		"  - { name: h1, pcap: { rx: h1.rx.pcap, tx: h1.tx.pcap }, rate: 25G,\n"
		"      peer: { mac: \"02:00:00:00:00:02\" } }\n"
		"  - { name: h2, pcap: { rx: h2.rx.pcap, tx: h2.tx.pcap }, rate: 100G,\n"
		"      trust: pcp, peer: { mac: \"02:00:00:00:00:03\" } }\n"
		"  - { name: up0, pcap: { rx: up0.rx.pcap, tx: up0.tx.pcap }, rate: 100G,\n"
		"      peer: { mac: \"02:00:00:00:0a:00\" } }\n"
		"  - { name: up1, pcap: { rx: up1.rx.pcap, tx: up1.tx.pcap }, rate: 100G,\n"
		"      peer: { mac: \"02:00:00:00:0b:00\" } }\n"
		"routes:\n"
		"  - { prefix: 10.0.1.1/32, via: { port: h0 } }\n"
		"  - { prefix: 10.0.1.2/32, via: { port: h1 } }\n"
		"  - { prefix: 10.0.1.3/32, via: { port: h2 } }\n"
		"  - { prefix: 10.0.1.100/32, via: { port: h1, mac: \"02:00:00:00:0c:0c\" } }\n"
		"  - { prefix: 10.9.0.0/16, via: [ { port: up0 }, { port: up1 } ] }\n"
		"  - { prefix: \"2001:db8:1::2/128\", via: { port: h1 } }\n"
		"  - { prefix: \"2001:db8:9::/48\", via: [ { port: up0 }, { port: up1 } ] }\n"
		"%s",
		name, hash_seed, extra != NULL ? extra : "");

	CU_ASSERT_FATAL(n > 0 && (size_t)n < cap);
}

static void
in_path(const struct swf *f, const char *name, const char *suffix, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s/%s.%s.pcap", f->dir, name, suffix);
}

void
swf_begin(struct swf *f)
{
	uint16_t i;

	memset(f, 0, sizeof(*f));
	strcpy(f->dir, "/tmp/fab-swtest-XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(f->dir));
	f->dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 262144,
		PCAP_TSTAMP_PRECISION_NANO);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f->dead);
	f->nb_ports = SWF_NB_PORTS;
	for (i = 0; i < SWF_NB_PORTS; i++) {
		char path[256];

		f->names[i] = std_names[i];
		in_path(f, f->names[i], "rx", path, sizeof(path));
		f->in[i] = pcap_dump_open(f->dead, path);
		CU_ASSERT_PTR_NOT_NULL_FATAL(f->in[i]);
	}
}

void
swf_add(struct swf *f, uint16_t port, const void *frame, uint32_t len, uint64_t ts_ns)
{
	struct pcap_pkthdr h;

	CU_ASSERT_FATAL(port < f->nb_ports && f->in[port] != NULL);
	memset(&h, 0, sizeof(h));
	h.ts.tv_sec = (time_t)(ts_ns / 1000000000u);
	h.ts.tv_usec = (suseconds_t)(ts_ns % 1000000000u); /* nanosecond file */
	h.caplen = len;
	h.len = len;
	pcap_dump((u_char *)f->in[port], &h, frame);
}

static void
close_inputs(struct swf *f)
{
	uint16_t i;

	for (i = 0; i < SWF_MAX_PORTS; i++) {
		if (f->in[i] != NULL)
			pcap_dump_close(f->in[i]);
		f->in[i] = NULL;
	}
}

int
swf_start(struct swf *f, const char *yaml)
{
	struct fab_switch_params prm;
	uint16_t p;
	int rc;

	close_inputs(f);
	rc = fab_switch_conf_load_string("test.yaml", yaml, f->dir, &f->conf, f->err,
		sizeof(f->err));
	if (rc != 0) {
		fprintf(stderr, "swf: %s\n", f->err);
		return -1;
	}
	f->conf_loaded = true;
	CU_ASSERT_FATAL(f->conf.nb_ports <= SWF_MAX_PORTS);
	for (p = 0; p < f->conf.nb_ports; p++) {
		const struct fab_conf_port *cp = &f->conf.ports[p];
		struct fab_port_pcap_conf pc = {
			.port = { .name = cp->name, .mac = cp->mac, .rate_bps = cp->rate_bps },
			.rx_path = cp->pcap_rx,
			.tx_path = cp->pcap_tx,
			.timing = cp->pcap_timing == FAB_CONF_PCAP_LINE_RATE ?
				FAB_PORT_TIMING_LINE_RATE : FAB_PORT_TIMING_TRACE,
			.mempool = fab_test_pool,
			.max_frame_len = f->conf.mtu + RTE_ETHER_HDR_LEN + 2 * RTE_VLAN_HLEN,
		};

		f->ports[p] = fab_port_create_pcap(&pc, f->err, sizeof(f->err));
		if (f->ports[p] == NULL) {
			fprintf(stderr, "swf: port %s: %s\n", cp->name, f->err);
			return -1;
		}
	}
	memset(&prm, 0, sizeof(prm));
	prm.conf = &f->conf;
	prm.ports = f->ports;
	prm.ctrl_pool = fab_test_pool;
	prm.route_backend = FAB_ROUTE_COMPACT;
	prm.queue_capacity = SWF_QUEUE_CAPACITY;
	prm.socket_id = SOCKET_ID_ANY;
	prm.unlimited_shaper = f->unlimited_shaper;
	f->sw = fab_switch_create(&prm, f->err, sizeof(f->err));
	if (f->sw == NULL) {
		fprintf(stderr, "swf: switch: %s\n", f->err);
		return -1;
	}
	return 0;
}

void
swf_run(struct swf *f)
{
	uint64_t t = 0;
	uint16_t p;

	for (;;) {
		uint64_t nt;

		fab_switch_poll(f->sw, t);
		f->polls++;
		nt = fab_switch_next_event(f->sw, t);
		if (nt == UINT64_MAX)
			break;
		f->repolls += nt == t;
		CU_ASSERT_FATAL(nt >= t);
		if (f->polls >= SWF_MAX_POLLS) {
			CU_FAIL("the switch never went idle");
			break;
		}
		t = nt;
	}
	f->end_ps = t;
	CU_ASSERT(fab_switch_drained(f->sw));
	CU_ASSERT(fab_switch_queues_empty(f->sw));
	for (p = 0; p < f->nb_ports; p++) {
		CU_ASSERT_EQUAL(fab_switch_port_stats(f->sw, p, t, &f->st[p]), 0);
		swf_check_sample(f->sw, p, t, &f->st[p]);
		CU_ASSERT_EQUAL(fab_port_flush(f->ports[p]), 0);
	}
	fab_switch_total_stats(f->sw, t, &f->tot);
}

void
swf_check_sample(const struct fab_switch *sw, uint16_t p, uint64_t now,
		const struct fab_switch_port_stats *st)
{
	struct fab_switch_port_sample sm;
	int c;

	CU_ASSERT_EQUAL_FATAL(fab_switch_port_sample(sw, p, now, &sm), 0);
	CU_ASSERT_EQUAL(sm.tx_pkts, st->tx_pkts);
	CU_ASSERT_EQUAL(sm.tx_bytes, st->tx_bytes);
	CU_ASSERT_EQUAL(sm.ecn_marked, st->ecn_marked);
	CU_ASSERT_EQUAL(sm.drops, st->drops);
	for (c = 0; c < FAB_NUM_PRIO; c++) {
		CU_ASSERT_EQUAL(sm.pfc_tx[c], st->pfc_tx[c]);
		CU_ASSERT_EQUAL(sm.paused_ps[c], st->paused_ps[c]);
		CU_ASSERT_EQUAL(sm.queue_bytes[c], st->queue_bytes[c]);
		CU_ASSERT_EQUAL(sm.max_queue_bytes[c], st->max_queue_bytes[c]);
	}
}

static uint64_t
ingress_side_drops(const struct fab_switch_port_stats *s)
{
	uint64_t n = 0;
	int i;

	for (i = 0; i < FAB_PKT_DROP_MAX; i++)
		n += s->drop_parse[i];
	/* Every switch drop but the watchdog's happens before a frame is admitted. */
	for (i = 0; i < FAB_SW_DROP_MAX; i++)
		if (i != FAB_SW_DROP_PFC_WATCHDOG)
			n += s->drop[i];
	return n;
}

void
swf_check_conservation(const struct swf *f)
{
	uint64_t rx = 0, fwd = 0, consumed = 0, pre = 0, tx_data = 0, wd = 0, queued = 0;
	uint16_t p;
	int i;

	for (p = 0; p < f->nb_ports; p++) {
		const struct fab_switch_port_stats *s = &f->st[p];
		struct fab_port_stats ps;
		uint64_t all = 0;

		for (i = 0; i < FAB_PKT_DROP_MAX; i++)
			all += s->drop_parse[i];
		for (i = 0; i < FAB_SW_DROP_MAX; i++)
			all += s->drop[i];
		CU_ASSERT_EQUAL(s->drops, all);
		CU_ASSERT_EQUAL(s->drop_parse[FAB_PKT_OK], 0);
		rx += s->rx_pkts;
		fwd += s->fwd_pkts;
		consumed += s->consumed_pkts;
		pre += ingress_side_drops(s);
		tx_data += s->tx_pkts - s->tx_ctrl_pkts;
		wd += s->drop[FAB_SW_DROP_PFC_WATCHDOG];
		for (i = 0; i < FAB_NUM_PRIO; i++)
			queued += s->queue_bytes[i];
		/* The port saw what the switch counted. */
		CU_ASSERT_EQUAL(fab_port_stats(f->ports[p], &ps), 0);
		CU_ASSERT_EQUAL(ps.rx_packets, s->rx_pkts);
		CU_ASSERT_EQUAL(ps.rx_bytes, s->rx_bytes);
		CU_ASSERT_EQUAL(ps.tx_packets, s->tx_pkts);
		CU_ASSERT_EQUAL(ps.tx_bytes, s->tx_bytes);
		CU_ASSERT_EQUAL(ps.tx_errors, 0);
	}
	CU_ASSERT_EQUAL(queued, 0);
	CU_ASSERT_EQUAL(rx, fwd + consumed + pre);
	CU_ASSERT_EQUAL(fwd, tx_data + wd);
	CU_ASSERT_EQUAL(f->tot.rx_pkts, rx);
	CU_ASSERT_EQUAL(f->tot.fwd_pkts, fwd);
}

int
swf_output(const struct swf *f, uint16_t port, struct swf_rec **recs)
{
	char path[256], perr[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	struct swf_rec *r = NULL;
	int n = 0, cap = 0;
	pcap_t *pc;

	in_path(f, f->names[port], "tx", path, sizeof(path));
	pc = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, perr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pc);
	while (pcap_next_ex(pc, &h, &data) == 1) {
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			r = realloc(r, (size_t)cap * sizeof(*r));
			CU_ASSERT_PTR_NOT_NULL_FATAL(r);
		}
		CU_ASSERT_EQUAL(h->caplen, h->len);
		r[n].ts_ns = (uint64_t)h->ts.tv_sec * 1000000000u + (uint64_t)h->ts.tv_usec;
		r[n].len = h->caplen;
		r[n].data = malloc(h->caplen);
		CU_ASSERT_PTR_NOT_NULL_FATAL(r[n].data);
		memcpy(r[n].data, data, h->caplen);
		n++;
	}
	pcap_close(pc);
	*recs = r;
	return n;
}

void
swf_free_recs(struct swf_rec *recs, int n)
{
	int i;

	for (i = 0; i < n; i++)
		free(recs[i].data);
	free(recs);
}

static void
remove_dir(const char *dir)
{
	char path[512];
	struct dirent *d;
	DIR *dp = opendir(dir);

	if (dp == NULL)
		return;
	while ((d = readdir(dp)) != NULL) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		unlink(path);
	}
	closedir(dp);
	rmdir(dir);
}

void
swf_end(struct swf *f)
{
	uint16_t p;

	close_inputs(f);
	fab_switch_free(f->sw);
	f->sw = NULL;
	for (p = 0; p < SWF_MAX_PORTS; p++) {
		fab_port_free(f->ports[p]);
		f->ports[p] = NULL;
	}
	if (f->conf_loaded)
		fab_switch_conf_free(&f->conf);
	f->conf_loaded = false;
	if (f->dead != NULL)
		pcap_close(f->dead);
	f->dead = NULL;
	if (f->dir[0] != '\0')
		remove_dir(f->dir);
	f->dir[0] = '\0';
}

static void
flow_addr(const struct swf_flow *fl, struct fab_roce_addr *a)
{
	memset(a, 0, sizeof(*a));
	swf_port_mac(fl->in_port, &a->dst_mac);
	swf_peer_mac(fl->in_port, &a->src_mac);
	a->has_vlan = fl->vlan;
	a->vlan_tci = (uint16_t)((fl->pcp & 7) << 13 | 100);
	a->l3 = fl->l3;
	if (fl->l3 == FAB_L3_IPV4) {
		a->src_ip.v4 = rte_cpu_to_be_32(fl->src4);
		a->dst_ip.v4 = rte_cpu_to_be_32(fl->dst4);
	} else {
		memcpy(a->src_ip.v6, fl->src6, 16);
		memcpy(a->dst_ip.v6, fl->dst6, 16);
	}
	a->dscp = fl->dscp;
	a->ecn = fl->ecn;
	a->ttl = fl->ttl;
	a->udp_src_port = fl->sport;
}

int
swf_write(uint8_t *buf, uint32_t cap, const struct swf_flow *fl, uint32_t psn,
		uint32_t payload_len)
{
	struct fab_roce_addr a;
	uint8_t *payload = malloc(payload_len + 1);
	uint32_t i;
	int rc;

	if (payload == NULL)
		return -ENOMEM;
	for (i = 0; i < payload_len; i++)
		payload[i] = (uint8_t)(i * 7 + psn);
	flow_addr(fl, &a);
	rc = fab_pkt_build_write(buf, cap, &a, FAB_WRITE_MIDDLE, 0x1234, psn, false, NULL,
		payload, payload_len);
	free(payload);
	return rc;
}

int
swf_cnp(uint8_t *buf, uint32_t cap, const struct swf_flow *fl)
{
	struct fab_roce_addr a;

	flow_addr(fl, &a);
	return fab_pkt_build_cnp(buf, cap, &a, 0x4321);
}

void
swf_ipv4_csum(uint8_t *frame, uint32_t l3_off)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(frame + l3_off);

	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
}
