/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/* Ports and mbuf pools from the configuration. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_bus.h>
#include <rte_dev.h>
#include <rte_devargs.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "switch_app.h"

#define CTRL_MBUFS 1023

/*
 * Enough mbufs to fill the whole buffer (pool plus headroom) with frames of
 * 256 bytes on average, so that a lossless run does not run out of mbufs
 * before its buffer fills; rings and bursts in flight come on top. Buffers
 * full of smaller frames can exhaust it: an ethdev counts that as rx_nombuf
 * (a drop reason), a pcap port retries later and the run reports it.
 */
#define POOL_FRAME_BYTES 256
#define HEADROOM_ESTIMATE (128 * 1024)

static unsigned int
pool_size(const struct app *a)
{
	const struct fab_switch_conf *c = &a->conf;
	uint64_t headroom = (uint64_t)c->nb_ports * HEADROOM_ESTIMATE *
		(unsigned int)__builtin_popcount(c->qos.lossless_mask);
	uint64_t n = (c->buffer.pool + headroom) / POOL_FRAME_BYTES;

	n += (uint64_t)c->nb_ports * (FAB_PORT_DEFAULT_RX_DESC + FAB_PORT_DEFAULT_TX_DESC + 64);
	n = RTE_MIN(n, (uint64_t)(1u << 22));
	return (unsigned int)n;
}

int
app_create_pools(struct app *a)
{
	unsigned int n = pool_size(a);

	a->pool = rte_pktmbuf_pool_create("rocefab_rx", n, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
		(int)rte_socket_id());
	if (a->pool == NULL) {
		fprintf(stderr, "rocefab-switch: cannot create a pool of %u mbufs (%.0f MB) for "
			"a %llu-byte buffer: %s; give the EAL more memory (-m) or make "
			"buffer.pool smaller\n", n,
			(double)n * (RTE_MBUF_DEFAULT_BUF_SIZE + 128) / 1e6,
			(unsigned long long)a->conf.buffer.pool, rte_strerror(rte_errno));
		return -1;
	}
	a->ctrl_pool = rte_pktmbuf_pool_create("rocefab_ctrl", CTRL_MBUFS, 32, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, (int)rte_socket_id());
	if (a->ctrl_pool == NULL) {
		fprintf(stderr, "rocefab-switch: cannot create the control pool: %s\n",
			rte_strerror(rte_errno));
		return -1;
	}
	return 0;
}

/* Whether a devargs string holds KEY=... as one of its comma-separated items. */
static bool
has_arg(const char *args, const char *key)
{
	size_t n = strlen(key);
	const char *s = args;

	while (s != NULL) {
		if (strncmp(s, key, n) == 0 && s[n] == '=')
			return true;
		s = strchr(s, ',');
		if (s != NULL)
			s++;
	}
	return false;
}

/* The rx_pcap= file behind a net_pcap ethdev, to count its records (22.11's
 * net_pcap gives no end-of-file signal). */
static int64_t
expected_records(const struct fab_port *port, const char *name)
{
	struct rte_eth_dev_info info;
	const struct rte_devargs *da;
	char path[4096], err[256];
	const char *s, *e;
	size_t len;
	int64_t n;
	int id = fab_port_ethdev_id(port);

	if (id < 0 || rte_eth_dev_info_get((uint16_t)id, &info) != 0 || info.device == NULL)
		return -1;
	da = rte_dev_devargs(info.device);
	if (da == NULL || da->args == NULL)
		return -1;
	if (strstr(da->args, "infinite_rx=1") != NULL)
		return -1;
	if (strstr(da->args, "no-rx=1") != NULL || strncmp(rte_dev_name(info.device),
			"net_null", 8) == 0)
		return strstr(da->args, "no-rx=1") != NULL ? 0 : -1;
	s = strstr(da->args, "rx_pcap=");
	/* A net_pcap with no rx_pcap, rx_iface(_in) or iface has a dummy rx: no input. */
	if (s == NULL && strncmp(rte_dev_name(info.device), "net_pcap", 8) == 0 &&
			strstr(da->args, "rx_iface") == NULL && !has_arg(da->args, "iface"))
		return 0;
	if (s == NULL)
		return -1;
	s += strlen("rx_pcap=");
	e = strchr(s, ',');
	len = e != NULL ? (size_t)(e - s) : strlen(s);
	if (len >= sizeof(path))
		return -1;
	memcpy(path, s, len);
	path[len] = '\0';
	n = fab_pcap_count_records(path, err, sizeof(err));
	if (n < 0)
		fprintf(stderr, "rocefab-switch: port %s: cannot count %s: %s\n", name, path, err);
	return n;
}

/* The longest frame a configured device takes (lib/port asks the device). */
static uint32_t
ethdev_frame_limit(const struct fab_conf_port *cp, uint32_t want)
{
	uint16_t pid = cp->dev_index;

	if (cp->dev_name != NULL && rte_eth_dev_get_port_by_name(cp->dev_name, &pid) != 0)
		return want;
	return fab_port_ethdev_frame_limit(pid, want);
}

int
app_create_ports(struct app *a)
{
	const struct fab_switch_conf *c = &a->conf;
	uint16_t p;

	a->ports = calloc(c->nb_ports, sizeof(*a->ports));
	a->rx_expected = calloc(c->nb_ports, sizeof(*a->rx_expected));
	if (a->ports == NULL || a->rx_expected == NULL)
		return -1;
	for (p = 0; p < c->nb_ports; p++) {
		const struct fab_conf_port *cp = &c->ports[p];
		struct fab_port_conf pc = { .name = cp->name, .mac = cp->mac,
			.rate_bps = cp->rate_bps };
		/* The switch, not the device, judges oversize: let frames a little over in. */
		uint32_t max_frame = c->mtu + RTE_ETHER_HDR_LEN + 2 * RTE_VLAN_HLEN;
		char err[512];

		if (cp->kind == FAB_CONF_PORT_PCAP) {
			struct fab_port_pcap_conf pp = {
				.port = pc,
				.rx_path = cp->pcap_rx,
				.tx_path = cp->pcap_tx,
				.timing = cp->pcap_timing == FAB_CONF_PCAP_LINE_RATE ?
					FAB_PORT_TIMING_LINE_RATE : FAB_PORT_TIMING_TRACE,
				.mempool = a->pool,
				.max_frame_len = max_frame,
			};

			a->ports[p] = fab_port_create_pcap(&pp, err, sizeof(err));
			a->rx_expected[p] = -1;
		} else {
			char idx[8];
			struct fab_port_ethdev_conf ep = {
				.port = pc,
				.device = cp->dev_name,
				.mempool = a->pool,
				.max_frame_len = max_frame,
			};

			if (cp->dev_name == NULL) {
				snprintf(idx, sizeof(idx), "%u", cp->dev_index);
				ep.device = idx;
			}
			ep.max_frame_len = ethdev_frame_limit(cp, max_frame);
			if (ep.max_frame_len < max_frame)
				printf("rocefab-switch: port %s: device %s takes frames of at most "
					"%u bytes (mtu %u wants %u); it drops longer ones itself\n",
					cp->name, ep.device, ep.max_frame_len, c->mtu, max_frame);
			a->ports[p] = fab_port_create_ethdev(&ep, err, sizeof(err));
			if (a->ports[p] != NULL)
				a->rx_expected[p] = expected_records(a->ports[p], cp->name);
		}
		if (a->ports[p] == NULL) {
			fprintf(stderr, "%s:%u:%u: error: ports[%u]: %s\n", c->path, cp->line,
				cp->col, p, err);
			return -1;
		}
	}
	return 0;
}

void
app_free_ports(struct app *a)
{
	uint16_t p;

	for (p = 0; a->ports != NULL && p < a->conf.nb_ports; p++)
		fab_port_free(a->ports[p]);
	free(a->ports);
	free(a->rx_expected);
}

/*
 * Real time: an input is drained once received + errors + rx_nombuf reach the
 * records its file holds. Inputs we cannot count never drain this way.
 */
bool
app_inputs_drained(struct app *a)
{
	uint16_t p;

	for (p = 0; p < a->conf.nb_ports; p++) {
		struct fab_port_stats ps;
		uint64_t seen;

		if (fab_port_kind(a->ports[p]) != FAB_PORT_KIND_ETHDEV) {
			if (!fab_port_rx_eof(a->ports[p]))
				return false;
			continue;
		}
		if (a->rx_expected[p] < 0)
			return false;
		fab_port_stats(a->ports[p], &ps);
		/* rx_errors and rx_nombuf include the device's own counters. */
		seen = ps.rx_packets + ps.rx_errors + ps.rx_nombuf + ps.rx_missed;
		if (seen < (uint64_t)a->rx_expected[p])
			return false;
	}
	return true;
}
