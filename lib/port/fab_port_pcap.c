/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/* Backend 2: a pcap file pair in virtual time; opening, closing, control. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_malloc.h>

#include "fab_port_pcap_priv.h"

static uint64_t
pcap_next_rx_ps(const void *backend)
{
	const struct pcap_backend *b = backend;

	return b->pending ? fab_port_pcap_arrival(b) : FAB_PORT_RX_NEVER;
}

static bool
pcap_rx_eof(const void *backend)
{
	const struct pcap_backend *b = backend;

	return !b->pending;
}

static int
pcap_rx_hold(void *backend, uint64_t until_ps)
{
	struct pcap_backend *b = backend;

	/* Replaces the previous hold: the switch owns it and may shorten it. */
	b->held = true;
	b->hold_until_ps = until_ps;
	return 0;
}

static void
pcap_stats_read(void *backend, struct fab_port_stats *stats)
{
	const struct pcap_backend *b = backend;

	stats->rx_err_too_long += b->rx_err_too_long;
	stats->rx_err_snapped += b->rx_err_snapped;
	stats->rx_err_file += b->rx_err_file;
	stats->rx_errors += b->rx_err_too_long + b->rx_err_snapped + b->rx_err_file;
}

static const char *
pcap_last_error(const void *backend)
{
	const struct pcap_backend *b = backend;

	return b->last_error;
}

static void
pcap_free(void *backend)
{
	struct pcap_backend *b = backend;

	if (b == NULL)
		return;
	if (b->dumper != NULL) {
		if (fab_port_pcap_flush(b) != 0)
			FAB_PORT_LOG(ERR, "%s", b->last_error);
		pcap_dump_close(b->dumper);
	}
	if (b->tx_dead != NULL)
		pcap_close(b->tx_dead);
	if (b->rx != NULL)
		pcap_close(b->rx);
	rte_free(b->scratch);
	rte_free(b->segs);
	free(b->rx_path);
	free(b->tx_path);
	rte_free(b);
}

static const struct fab_port_ops pcap_ops = {
	.kind = FAB_PORT_KIND_PCAP,
	.rx_burst = fab_port_pcap_rx_burst,
	.tx_burst = fab_port_pcap_tx_burst,
	.next_rx_ps = pcap_next_rx_ps,
	.rx_eof = pcap_rx_eof,
	.rx_hold = pcap_rx_hold,
	.flush = fab_port_pcap_flush,
	.stats_read = pcap_stats_read,
	.last_error = pcap_last_error,
	.free = pcap_free,
};

static int
open_rx(const struct fab_port_pcap_conf *conf, struct pcap_backend *b,
		char *err, size_t err_len)
{
	const char *pname = conf->port.name;
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	uint32_t data_room;
	int link;

	data_room = rte_pktmbuf_data_room_size(conf->mempool);
	if (data_room <= RTE_PKTMBUF_HEADROOM) {
		fab_port_err(err, err_len, "port '%s': mbuf pool '%s' has no data room",
			pname, conf->mempool->name);
		return -EINVAL;
	}
	b->mempool = conf->mempool;
	b->seg_room = data_room - RTE_PKTMBUF_HEADROOM;
	b->segs = rte_zmalloc("fab_port_pcap_segs", sizeof(*b->segs) *
			((FAB_PORT_MAX_FRAME + b->seg_room - 1) / b->seg_room), 0);
	b->rx_path = strdup(conf->rx_path);
	if (b->segs == NULL || b->rx_path == NULL) {
		fab_port_err(err, err_len, "port '%s': out of memory", pname);
		return -ENOMEM;
	}
	errno = 0;
	b->rx = pcap_open_offline_with_tstamp_precision(conf->rx_path,
			PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (b->rx == NULL) {
		int rc = errno == ENOENT || errno == EACCES ? -errno : -EINVAL;

		fab_port_err(err, err_len, "port '%s': cannot read rx pcap '%s': %s",
			pname, conf->rx_path, errbuf);
		return rc;
	}
	link = pcap_datalink(b->rx);
	if (link != DLT_EN10MB) {
		fab_port_err(err, err_len,
			"port '%s': rx pcap '%s' has link type %s (%d); rocefab reads Ethernet (EN10MB) only",
			pname, conf->rx_path,
			pcap_datalink_val_to_name(link) ? pcap_datalink_val_to_name(link) : "?",
			link);
		return -EINVAL;
	}
	b->timing = conf->timing;
	b->start_ps = conf->start_ps;
	b->rate_bps = conf->port.rate_bps;
	fab_port_pcap_read_ahead(b);
	return 0;
}

static int
open_tx(const struct fab_port_pcap_conf *conf, struct pcap_backend *b,
		char *err, size_t err_len)
{
	const char *pname = conf->port.name;

	b->tx_path = strdup(conf->tx_path);
	b->scratch = rte_malloc("fab_port_pcap_scratch", FAB_PORT_MAX_FRAME, 0);
	if (b->scratch == NULL || b->tx_path == NULL) {
		fab_port_err(err, err_len, "port '%s': out of memory", pname);
		return -ENOMEM;
	}
	b->tx_dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB,
			FAB_PORT_PCAP_SNAPLEN, PCAP_TSTAMP_PRECISION_NANO);
	if (b->tx_dead == NULL) {
		fab_port_err(err, err_len, "port '%s': libpcap cannot make a writer", pname);
		return -ENOMEM;
	}
	errno = 0;
	b->dumper = pcap_dump_open(b->tx_dead, conf->tx_path);
	if (b->dumper == NULL) {
		int rc = errno != 0 ? -errno : -EINVAL;

		fab_port_err(err, err_len, "port '%s': cannot write tx pcap '%s': %s",
			pname, conf->tx_path, pcap_geterr(b->tx_dead));
		return rc;
	}
	b->tx_file = pcap_dump_file(b->dumper);
	return 0;
}

struct fab_port *
fab_port_create_pcap(const struct fab_port_pcap_conf *conf, char *err,
		size_t err_len)
{
	struct pcap_backend *b;
	const char *pname;
	uint32_t max_frame;
	int rc;

	if (conf == NULL || conf->port.name == NULL || conf->port.name[0] == '\0') {
		fab_port_err(err, err_len, "port: a name is required");
		rte_errno = EINVAL;
		return NULL;
	}
	pname = conf->port.name;
	if (conf->port.rate_bps == 0) {
		fab_port_err(err, err_len, "port '%s': a pcap port needs a line rate",
			pname);
		rte_errno = EINVAL;
		return NULL;
	}
	if (conf->timing != FAB_PORT_TIMING_TRACE &&
			conf->timing != FAB_PORT_TIMING_LINE_RATE) {
		fab_port_err(err, err_len, "port '%s': unknown timing %d", pname,
			(int)conf->timing);
		rte_errno = EINVAL;
		return NULL;
	}
	max_frame = conf->max_frame_len ? conf->max_frame_len : FAB_PORT_DEFAULT_MAX_FRAME;
	if (max_frame > FAB_PORT_MAX_FRAME) {
		fab_port_err(err, err_len,
			"port '%s': max_frame_len %u is over the %u a pcap port handles",
			pname, max_frame, FAB_PORT_MAX_FRAME);
		rte_errno = EINVAL;
		return NULL;
	}
	if (conf->rx_path != NULL && conf->mempool == NULL) {
		fab_port_err(err, err_len,
			"port '%s': reading '%s' needs an mbuf pool", pname, conf->rx_path);
		rte_errno = EINVAL;
		return NULL;
	}
	if (conf->rx_path != NULL && conf->tx_path != NULL &&
			strcmp(conf->rx_path, conf->tx_path) == 0) {
		fab_port_err(err, err_len,
			"port '%s': '%s' is both the rx and the tx pcap; writing would destroy the input",
			pname, conf->rx_path);
		rte_errno = EINVAL;
		return NULL;
	}
	b = rte_zmalloc("fab_port_pcap", sizeof(*b), RTE_CACHE_LINE_SIZE);
	if (b == NULL) {
		fab_port_err(err, err_len, "port '%s': out of memory", pname);
		rte_errno = ENOMEM;
		return NULL;
	}
	if (conf->rx_path != NULL) {
		rc = open_rx(conf, b, err, err_len);
		if (rc != 0)
			goto fail;
	}
	if (conf->tx_path != NULL) {
		rc = open_tx(conf, b, err, err_len);
		if (rc != 0)
			goto fail;
	}
	/* fab_port_create_ops() releases the backend if it fails. */
	return fab_port_create_ops(&conf->port, &pcap_ops, b, max_frame, err, err_len);

fail:
	pcap_free(b);
	rte_errno = -rc;
	return NULL;
}
