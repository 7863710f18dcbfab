/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/* Backend 1: one rx and one tx queue of a DPDK ethdev, in real time. */

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_dev.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>

#include "fab_port_priv.h"

/* Where a port's rx_bytes come from. */
enum rx_bytes_source {
	RX_BYTES_UNKNOWN = 0,  /* until the first frame arrives */
	RX_BYTES_SUMMED,       /* the device counts none: sum each burst */
	RX_BYTES_DEVICE,       /* the device's ibytes */
};

struct ethdev_backend {
	uint16_t port_id;
	bool started;
	bool configured;
	uint8_t rx_bytes_from;       /* enum rx_bytes_source */
	/* The port plugged the device (conf->devargs): unplug it on free. */
	struct rte_device *plugged;
	char device[RTE_ETH_NAME_MAX_LEN];
};

/*
 * Most PMDs count the bytes they receive (ibytes); some (net_null and
 * net_ring in DPDK 22.11) do not. The first frames ask the device once: if
 * it counts, its count serves from then on and the switch's receive path
 * loses a pass over every mbuf (about 3% of its rate at 64 bytes).
 */
static __rte_noinline void
rx_count_bytes(struct ethdev_backend *e, struct fab_port_stats *stats,
		struct rte_mbuf **pkts, uint16_t nb)
{
	uint64_t bytes = 0;
	uint16_t i;

	if (e->rx_bytes_from == RX_BYTES_UNKNOWN) {
		struct rte_eth_stats es;

		e->rx_bytes_from = rte_eth_stats_get(e->port_id, &es) == 0 && es.ibytes != 0 ?
			RX_BYTES_DEVICE : RX_BYTES_SUMMED;
		if (e->rx_bytes_from == RX_BYTES_DEVICE)
			return;
	}
	for (i = 0; i < nb; i++)
		bytes += pkts[i]->pkt_len;
	stats->rx_bytes += bytes;
}

static uint16_t
ethdev_rx_burst(void *backend, struct fab_port_stats *stats, uint64_t now,
		struct rte_mbuf **pkts, uint64_t *arrival_ps, uint16_t n)
{
	struct ethdev_backend *e = backend;
	uint16_t nb, i;

	nb = rte_eth_rx_burst(e->port_id, 0, pkts, n);
	if (nb == 0)
		return 0;
	/* Real time: a frame is known to have arrived when it is polled. */
	if (arrival_ps != NULL)
		for (i = 0; i < nb; i++)
			arrival_ps[i] = now;
	stats->rx_packets += nb;
	if (e->rx_bytes_from != RX_BYTES_DEVICE)
		rx_count_bytes(e, stats, pkts, nb);
	return nb;
}

static uint16_t
ethdev_tx_burst_bytes(void *backend, struct fab_port_stats *stats,
		const uint64_t *tx_done_ps __rte_unused, struct rte_mbuf **pkts,
		uint16_t n, uint64_t bytes)
{
	const struct ethdev_backend *e = backend;
	uint16_t sent, i;

	sent = rte_eth_tx_burst(e->port_id, 0, pkts, n);
	for (i = sent; i < n; i++) {
		bytes -= pkts[i]->pkt_len;
		rte_pktmbuf_free(pkts[i]);
	}
	stats->tx_packets += sent;
	stats->tx_bytes += bytes;
	stats->tx_errors += n - sent;
	return sent;
}

static uint16_t
ethdev_tx_burst(void *backend, struct fab_port_stats *stats,
		const uint64_t *tx_done_ps, struct rte_mbuf **pkts, uint16_t n)
{
	uint64_t bytes = 0;
	uint16_t i;

	/* Summed before the call: a PMD may free what it sent at once. */
	for (i = 0; i < n; i++)
		bytes += pkts[i]->pkt_len;
	return ethdev_tx_burst_bytes(backend, stats, tx_done_ps, pkts, n, bytes);
}

static void
ethdev_stats_read(void *backend, struct fab_port_stats *stats)
{
	const struct ethdev_backend *e = backend;
	struct rte_eth_stats es;

	if (rte_eth_stats_get(e->port_id, &es) != 0)
		return;
	if (e->rx_bytes_from == RX_BYTES_DEVICE)
		stats->rx_bytes += es.ibytes;
	stats->rx_errors += es.ierrors;
	stats->rx_nombuf += es.rx_nombuf;
	stats->rx_missed += es.imissed;
}

/*
 * Stop, close and unplug. A failed creation closes only a device it plugged
 * itself: a device the EAL was given stays usable for another attempt.
 */
static void
ethdev_release(struct ethdev_backend *e, bool do_close)
{
	int rc;

	if (e == NULL)
		return;
	if (e->started) {
		rc = rte_eth_dev_stop(e->port_id);
		if (rc != 0)
			FAB_PORT_LOG(WARNING, "%s: cannot stop: %s", e->device,
				rte_strerror(-rc));
	}
	if ((do_close && e->configured) || e->plugged != NULL) {
		rc = rte_eth_dev_close(e->port_id);
		if (rc != 0)
			FAB_PORT_LOG(WARNING, "%s: cannot close: %s", e->device,
				rte_strerror(-rc));
	}
	if (e->plugged != NULL) {
		rc = rte_dev_remove(e->plugged);
		if (rc != 0)
			FAB_PORT_LOG(WARNING, "%s: cannot remove the device: %s",
				e->device, rte_strerror(-rc));
	}
	rte_free(e);
}

static void
ethdev_free(void *backend)
{
	ethdev_release(backend, true);
}

static const struct fab_port_ops ethdev_ops = {
	.kind = FAB_PORT_KIND_ETHDEV,
	.rx_burst = ethdev_rx_burst,
	.tx_burst = ethdev_tx_burst,
	.tx_burst_bytes = ethdev_tx_burst_bytes,
	.stats_read = ethdev_stats_read,
	.free = ethdev_free,
};

static bool
is_decimal(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* Find (or plug) the device; fills e->port_id, e->device and e->plugged. */
static int
ethdev_find(const struct fab_port_ethdev_conf *conf, struct ethdev_backend *e,
		char *err, size_t err_len)
{
	const char *pname = conf->port.name;
	uint16_t pid;
	int rc;

	if (conf->device == NULL || is_decimal(conf->device)) {
		unsigned long idx = conf->device == NULL ? conf->port_id :
			strtoul(conf->device, NULL, 10);

		if (idx >= RTE_MAX_ETHPORTS || !rte_eth_dev_is_valid_port((uint16_t)idx)) {
			fab_port_err(err, err_len,
				"port '%s': no DPDK port with index %lu (%u available)",
				pname, idx, rte_eth_dev_count_avail());
			return -ENODEV;
		}
		e->port_id = (uint16_t)idx;
		rte_eth_dev_get_name_by_port(e->port_id, e->device);
		return 0;
	}
	snprintf(e->device, sizeof(e->device), "%s", conf->device);
	if (rte_eth_dev_get_port_by_name(conf->device, &pid) == 0) {
		e->port_id = pid;
		return 0;
	}
	if (conf->devargs == NULL) {
		fab_port_err(err, err_len,
			"port '%s': no DPDK device named '%s' (give it to the EAL with -a or --vdev, or set devargs)",
			pname, conf->device);
		return -ENODEV;
	}
	rc = rte_dev_probe(conf->devargs);
	if (rc < 0) {
		fab_port_err(err, err_len,
			"port '%s': cannot plug device '%s' from '%s': %s",
			pname, conf->device, conf->devargs, rte_strerror(-rc));
		return rc;
	}
	if (rte_eth_dev_get_port_by_name(conf->device, &pid) != 0) {
		fab_port_err(err, err_len,
			"port '%s': plugging '%s' made no ethdev named '%s'",
			pname, conf->devargs, conf->device);
		/* Whatever it did make is not ours to know: leave it. */
		return -ENODEV;
	}
	e->port_id = pid;
	{
		struct rte_eth_dev_info info;

		if (rte_eth_dev_info_get(pid, &info) == 0)
			e->plugged = info.device;
	}
	return 0;
}

static int
ethdev_setup(const struct fab_port_ethdev_conf *conf, struct ethdev_backend *e,
		uint32_t max_frame, char *err, size_t err_len)
{
	const char *pname = conf->port.name;
	struct rte_eth_conf eth_conf;
	struct rte_eth_dev_info info;
	struct rte_eth_rxconf rxconf;
	struct rte_eth_txconf txconf;
	uint16_t nb_rxd = conf->nb_rx_desc ? conf->nb_rx_desc : FAB_PORT_DEFAULT_RX_DESC;
	uint16_t nb_txd = conf->nb_tx_desc ? conf->nb_tx_desc : FAB_PORT_DEFAULT_TX_DESC;
	uint32_t mtu, overhead, data_room;
	int socket, rc;

	rc = rte_eth_dev_info_get(e->port_id, &info);
	if (rc != 0) {
		fab_port_err(err, err_len, "port '%s': device '%s': no device info: %s",
			pname, e->device, rte_strerror(-rc));
		return rc;
	}
	if (max_frame <= RTE_ETHER_HDR_LEN) {
		fab_port_err(err, err_len, "port '%s': max_frame_len %u is too small",
			pname, max_frame);
		return -EINVAL;
	}
	mtu = max_frame - RTE_ETHER_HDR_LEN;
	if (mtu < info.min_mtu || mtu > info.max_mtu) {
		fab_port_err(err, err_len,
			"port '%s': device '%s' takes an MTU of %u to %u, not %u (max_frame_len %u)",
			pname, e->device, info.min_mtu, info.max_mtu, mtu, max_frame);
		return -EINVAL;
	}
	/* As ethdev computes it: what the device adds to the MTU on the wire. */
	if (info.max_mtu != UINT16_MAX && info.max_rx_pktlen > info.max_mtu)
		overhead = info.max_rx_pktlen - info.max_mtu;
	else
		overhead = RTE_ETHER_HDR_LEN + RTE_ETHER_CRC_LEN;

	memset(&eth_conf, 0, sizeof(eth_conf));
	eth_conf.rxmode.mtu = mtu;
	data_room = rte_pktmbuf_data_room_size(conf->mempool) - RTE_PKTMBUF_HEADROOM;
	if (mtu + overhead > data_room) {
		/*
		 * Jumbo frames must arrive as mbuf chains. Ask only a device that
		 * offers it: virtual PMDs such as net_pcap chain without being
		 * asked, and refuse offloads they do not list.
		 */
		if (info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_SCATTER)
			eth_conf.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_SCATTER;
		else
			FAB_PORT_LOG(INFO,
				"%s: frames up to %u bytes exceed one %u-byte mbuf and the device has no scattered rx",
				e->device, mtu + overhead, data_room);
	}
	/* Frames forwarded from other ports may be chains. */
	if (info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MULTI_SEGS)
		eth_conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_MULTI_SEGS;

	rc = rte_eth_dev_configure(e->port_id, 1, 1, &eth_conf);
	if (rc != 0) {
		fab_port_err(err, err_len, "port '%s': cannot configure device '%s': %s",
			pname, e->device, rte_strerror(-rc));
		return rc;
	}
	e->configured = true;
	rc = rte_eth_dev_adjust_nb_rx_tx_desc(e->port_id, &nb_rxd, &nb_txd);
	if (rc != 0) {
		fab_port_err(err, err_len,
			"port '%s': device '%s' takes no ring sizes near %u/%u: %s",
			pname, e->device, nb_rxd, nb_txd, rte_strerror(-rc));
		return rc;
	}
	socket = rte_eth_dev_socket_id(e->port_id);
	if (socket < 0)
		socket = (int)rte_socket_id();
	rxconf = info.default_rxconf;
	rxconf.offloads = eth_conf.rxmode.offloads;
	rc = rte_eth_rx_queue_setup(e->port_id, 0, nb_rxd, (unsigned int)socket,
			&rxconf, conf->mempool);
	if (rc != 0) {
		fab_port_err(err, err_len,
			"port '%s': cannot set up the rx queue of device '%s' (%u descriptors, pool '%s'): %s",
			pname, e->device, nb_rxd, conf->mempool->name, rte_strerror(-rc));
		return rc;
	}
	txconf = info.default_txconf;
	txconf.offloads = eth_conf.txmode.offloads;
	rc = rte_eth_tx_queue_setup(e->port_id, 0, nb_txd, (unsigned int)socket,
			&txconf);
	if (rc != 0) {
		fab_port_err(err, err_len,
			"port '%s': cannot set up the tx queue of device '%s' (%u descriptors): %s",
			pname, e->device, nb_txd, rte_strerror(-rc));
		return rc;
	}
	if (!conf->no_promiscuous) {
		rc = rte_eth_promiscuous_enable(e->port_id);
		if (rc != 0 && rc != -ENOTSUP)
			FAB_PORT_LOG(NOTICE, "%s: cannot enable promiscuous mode: %s",
				e->device, rte_strerror(-rc));
	}
	rc = rte_eth_dev_start(e->port_id);
	if (rc != 0) {
		fab_port_err(err, err_len, "port '%s': cannot start device '%s': %s",
			pname, e->device, rte_strerror(-rc));
		return rc;
	}
	e->started = true;
	return 0;
}

struct fab_port *
fab_port_create_ethdev(const struct fab_port_ethdev_conf *conf, char *err,
		size_t err_len)
{
	struct fab_port_conf pconf;
	struct ethdev_backend *e;
	struct fab_port *port;
	uint32_t max_frame;
	int rc;

	if (conf == NULL || conf->port.name == NULL || conf->port.name[0] == '\0') {
		fab_port_err(err, err_len, "port: a name is required");
		rte_errno = EINVAL;
		return NULL;
	}
	if (strlen(conf->port.name) >= FAB_PORT_NAME_MAX) {
		fab_port_err(err, err_len, "port '%s': name longer than %d characters",
			conf->port.name, FAB_PORT_NAME_MAX - 1);
		rte_errno = EINVAL;
		return NULL;
	}
	if (conf->mempool == NULL) {
		fab_port_err(err, err_len, "port '%s': an mbuf pool is required",
			conf->port.name);
		rte_errno = EINVAL;
		return NULL;
	}
	e = rte_zmalloc("fab_port_ethdev", sizeof(*e), 0);
	if (e == NULL) {
		fab_port_err(err, err_len, "port '%s': out of memory", conf->port.name);
		rte_errno = ENOMEM;
		return NULL;
	}
	rc = ethdev_find(conf, e, err, err_len);
	if (rc != 0)
		goto fail;
	max_frame = conf->max_frame_len ? conf->max_frame_len : FAB_PORT_DEFAULT_MAX_FRAME;
	rc = ethdev_setup(conf, e, max_frame, err, err_len);
	if (rc != 0)
		goto fail;

	pconf = conf->port;
	if (rte_is_zero_ether_addr(&pconf.mac))
		rte_eth_macaddr_get(e->port_id, &pconf.mac);
	if (pconf.rate_bps == 0) {
		struct rte_eth_link link;

		if (rte_eth_link_get_nowait(e->port_id, &link) == 0 &&
				link.link_speed != RTE_ETH_SPEED_NUM_NONE &&
				link.link_speed != RTE_ETH_SPEED_NUM_UNKNOWN)
			pconf.rate_bps = (uint64_t)link.link_speed * 1000000;
		if (pconf.rate_bps == 0) {
			fab_port_err(err, err_len,
				"port '%s': device '%s' reports no link speed: set a rate",
				pconf.name, e->device);
			rc = -EINVAL;
			goto fail;
		}
	}
	/* fab_port_create_ops() releases the backend if it fails. */
	port = fab_port_create_ops(&pconf, &ethdev_ops, e, max_frame, err, err_len);
	if (port != NULL)
		FAB_PORT_LOG(INFO, "%s: ethdev %s (port %u), max frame %u, %" PRIu64 " b/s",
			pconf.name, e->device, e->port_id, max_frame, pconf.rate_bps);
	return port;

fail:
	ethdev_release(e, false);
	rte_errno = -rc;
	return NULL;
}

int
fab_port_ethdev_stats(const struct fab_port *port, struct rte_eth_stats *stats)
{
	const struct ethdev_backend *e;

	if (port == NULL || stats == NULL)
		return -EINVAL;
	if (port->ops != &ethdev_ops)
		return -ENOTSUP;
	e = port->backend;
	return rte_eth_stats_get(e->port_id, stats);
}

int
fab_port_ethdev_id(const struct fab_port *port)
{
	if (port == NULL || port->ops != &ethdev_ops)
		return -ENOTSUP;
	return ((const struct ethdev_backend *)port->backend)->port_id;
}

uint32_t
fab_port_ethdev_frame_limit(uint16_t port_id, uint32_t want)
{
	struct rte_eth_dev_info info;
	uint32_t overhead, mtu;

	if (!rte_eth_dev_is_valid_port(port_id) || rte_eth_dev_info_get(port_id, &info) != 0)
		return want;
	if (info.max_mtu != UINT16_MAX && info.max_rx_pktlen > info.max_mtu)
		overhead = info.max_rx_pktlen - info.max_mtu;
	else
		overhead = RTE_ETHER_HDR_LEN + RTE_ETHER_CRC_LEN;
	if (info.max_rx_pktlen <= overhead)
		return want;
	mtu = RTE_MIN(info.max_rx_pktlen - overhead, (uint32_t)info.max_mtu);
	return RTE_MIN(want, mtu + RTE_ETHER_HDR_LEN);
}
