/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/* What every port does whatever its backend: creation, dispatch, counters. */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_malloc.h>

#define RTE_LOG_DEFAULT_LOGTYPE rocefab.port
#include "fab_port_priv.h"

RTE_LOG_REGISTER_DEFAULT(fab_port_logtype, INFO);

void
fab_port_err(char *err, size_t err_len, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || err_len == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, err_len, fmt, ap);
	va_end(ap);
}

/*
 * A MAC for ports that have none of their own: locally administered,
 * unicast, and a function of the name only, so runs are reproducible.
 */
static void
mac_from_name(const char *name, struct rte_ether_addr *mac)
{
	uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a, 64 bits */
	int i;

	for (; *name != '\0'; name++) {
		h ^= (uint8_t)*name;
		h *= 0x100000001b3ull;
	}
	mac->addr_bytes[0] = 0x02;
	for (i = 1; i < RTE_ETHER_ADDR_LEN; i++)
		mac->addr_bytes[i] = (uint8_t)(h >> (8 * (i - 1)));
}

struct fab_port *
fab_port_create_ops(const struct fab_port_conf *conf,
		const struct fab_port_ops *ops, void *backend, uint32_t max_frame_len,
		char *err, size_t err_len)
{
	struct fab_port *port;
	int rc = EINVAL;

	if (ops == NULL || ops->rx_burst == NULL || ops->tx_burst == NULL ||
			ops->free == NULL) {
		fab_port_err(err, err_len,
			"port: backend operations rx_burst, tx_burst and free are required");
		rte_errno = EINVAL;
		return NULL;
	}
	if (conf == NULL || conf->name == NULL || conf->name[0] == '\0') {
		fab_port_err(err, err_len, "port: a name is required");
		goto fail;
	}
	if (strlen(conf->name) >= FAB_PORT_NAME_MAX) {
		fab_port_err(err, err_len, "port '%s': name longer than %d characters",
			conf->name, FAB_PORT_NAME_MAX - 1);
		goto fail;
	}
	if (conf->rate_bps == 0) {
		fab_port_err(err, err_len, "port '%s': a line rate is required",
			conf->name);
		goto fail;
	}
	port = rte_zmalloc("fab_port", sizeof(*port), RTE_CACHE_LINE_SIZE);
	if (port == NULL) {
		fab_port_err(err, err_len, "port '%s': out of memory", conf->name);
		rc = ENOMEM;
		goto fail;
	}
	port->rx_burst = ops->rx_burst;
	port->tx_burst = ops->tx_burst;
	port->tx_burst_bytes = ops->tx_burst_bytes;
	port->backend = backend;
	port->ops = ops;
	strcpy(port->name, conf->name);
	if (rte_is_zero_ether_addr(&conf->mac))
		mac_from_name(conf->name, &port->mac);
	else
		port->mac = conf->mac;
	port->rate_bps = conf->rate_bps;
	port->max_frame_len = max_frame_len != 0 ?
		max_frame_len : FAB_PORT_DEFAULT_MAX_FRAME;
	return port;

fail:
	ops->free(backend);
	rte_errno = rc;
	return NULL;
}

void
fab_port_free(struct fab_port *port)
{
	if (port == NULL)
		return;
	port->ops->free(port->backend);
	rte_free(port);
}

uint16_t
fab_port_rx_burst(struct fab_port *port, uint64_t now, struct rte_mbuf **pkts,
		uint16_t n)
{
	return port->rx_burst(port->backend, &port->stats, now, pkts, NULL, n);
}

uint16_t
fab_port_rx_burst_ts(struct fab_port *port, uint64_t now, struct rte_mbuf **pkts,
		uint64_t *arrival_ps, uint16_t n)
{
	return port->rx_burst(port->backend, &port->stats, now, pkts, arrival_ps, n);
}

uint16_t
fab_port_tx_burst(struct fab_port *port, const uint64_t *tx_done_ps,
		struct rte_mbuf **pkts, uint16_t n)
{
	return port->tx_burst(port->backend, &port->stats, tx_done_ps, pkts, n);
}

uint16_t
fab_port_tx_burst_bytes(struct fab_port *port, const uint64_t *tx_done_ps,
		struct rte_mbuf **pkts, uint16_t n, uint64_t bytes)
{
	if (port->tx_burst_bytes == NULL)
		return port->tx_burst(port->backend, &port->stats, tx_done_ps, pkts, n);
	return port->tx_burst_bytes(port->backend, &port->stats, tx_done_ps, pkts, n, bytes);
}

void
fab_port_set_next_rx_hint(struct fab_port *port, const uint64_t *next_rx_ps)
{
	if (port != NULL)
		port->next_rx_hint = next_rx_ps;
}

int
fab_port_bind_next_rx(struct fab_port *port, uint64_t *slot)
{
	if (port == NULL)
		return -EINVAL;
	if (port->ops->bind_next_rx == NULL)
		return -ENOTSUP;
	port->next_rx_hint = port->ops->bind_next_rx(port->backend, slot);
	return 0;
}

uint64_t
fab_port_next_rx_ps(const struct fab_port *port)
{
	if (port->next_rx_hint != NULL)
		return *port->next_rx_hint;
	if (port->ops->next_rx_ps == NULL)
		return FAB_PORT_RX_POLL;
	return port->ops->next_rx_ps(port->backend);
}

bool
fab_port_rx_eof(const struct fab_port *port)
{
	if (port->ops->rx_eof == NULL)
		return false;
	return port->ops->rx_eof(port->backend);
}

int
fab_port_rx_hold(struct fab_port *port, uint64_t until_ps)
{
	if (port->ops->rx_hold == NULL)
		return -ENOTSUP;
	return port->ops->rx_hold(port->backend, until_ps);
}

int
fab_port_flush(struct fab_port *port)
{
	if (port->ops->flush == NULL)
		return 0;
	return port->ops->flush(port->backend);
}

int
fab_port_stats(struct fab_port *port, struct fab_port_stats *stats)
{
	if (port == NULL || stats == NULL)
		return -EINVAL;
	*stats = port->stats;
	if (port->ops->stats_read != NULL)
		port->ops->stats_read(port->backend, stats);
	return 0;
}

const char *
fab_port_name(const struct fab_port *port)
{
	return port->name;
}

enum fab_port_kind
fab_port_kind(const struct fab_port *port)
{
	return port->ops->kind;
}

const char *
fab_port_kind_name(enum fab_port_kind kind)
{
	static const char *const names[FAB_PORT_KIND_MAX] = {
		[FAB_PORT_KIND_ETHDEV] = "ethdev",
		[FAB_PORT_KIND_PCAP] = "pcap",
		[FAB_PORT_KIND_LINK] = "link",
		[FAB_PORT_KIND_OTHER] = "other",
	};

	if ((unsigned int)kind >= FAB_PORT_KIND_MAX)
		return "unknown";
	return names[kind];
}

void
fab_port_mac(const struct fab_port *port, struct rte_ether_addr *mac)
{
	*mac = port->mac;
}

uint64_t
fab_port_rate_bps(const struct fab_port *port)
{
	return port->rate_bps;
}

uint32_t
fab_port_max_frame_len(const struct fab_port *port)
{
	return port->max_frame_len;
}

const char *
fab_port_last_error(const struct fab_port *port)
{
	if (port->ops->last_error == NULL)
		return "";
	return port->ops->last_error(port->backend);
}
