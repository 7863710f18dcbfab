/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef FAB_PORT_PRIV_H
#define FAB_PORT_PRIV_H

/* Shared by the files of lib/port only. */

#include <stdarg.h>

#include <rte_common.h>
#include <rte_log.h>

#include "fab_port.h"

extern int fab_port_logtype;

#define FAB_PORT_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, fab_port_logtype, "rocefab.port: " fmt "\n", \
		## __VA_ARGS__)

/*
 * The hot half first: the two burst functions are copied out of the ops
 * table so a burst costs one load and one indirect call.
 */
struct fab_port {
	uint16_t (*rx_burst)(void *backend, struct fab_port_stats *stats,
			uint64_t now, struct rte_mbuf **pkts, uint64_t *arrival_ps,
			uint16_t n);
	uint16_t (*tx_burst)(void *backend, struct fab_port_stats *stats,
			const uint64_t *tx_done_ps, struct rte_mbuf **pkts, uint16_t n);
	uint16_t (*tx_burst_bytes)(void *backend, struct fab_port_stats *stats,
			const uint64_t *tx_done_ps, struct rte_mbuf **pkts, uint16_t n,
			uint64_t bytes);
	void *backend;
	const struct fab_port_ops *ops;
	const uint64_t *next_rx_hint;  /* fab_port_set_next_rx_hint(); NULL: ask ops */
	struct fab_port_stats stats;

	/* Control path. */
	char name[FAB_PORT_NAME_MAX];
	struct rte_ether_addr mac;
	uint64_t rate_bps;
	uint32_t max_frame_len;
} __rte_cache_aligned;

/* Write a message to a caller's buffer (which may be NULL). */
void fab_port_err(char *err, size_t err_len, const char *fmt, ...)
	__rte_format_printf(3, 4);

#endif /* FAB_PORT_PRIV_H */
