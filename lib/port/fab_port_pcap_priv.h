/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef FAB_PORT_PCAP_PRIV_H
#define FAB_PORT_PCAP_PRIV_H

/* The pcap file backend, shared by its rx, tx and control files. */

#include <stdio.h>

#include <pcap/pcap.h>

#include "fab_port_priv.h"

#define PCAP_BACKEND_MSG_MAX 512

struct pcap_backend {
	/* Input, with one record read ahead. */
	pcap_t *rx;
	const u_char *rec_data;     /* valid until the next pcap_next_ex() */
	uint32_t rec_len;
	uint64_t rec_base_ps;       /* its arrival, the hold aside */
	uint64_t rec_wire_ps;
	bool pending;               /* a record is read ahead: input not over */
	bool held;
	uint64_t hold_until_ps;
	bool have_prev;
	uint64_t prev_arrival_ps;
	bool have_first;
	int64_t first_ts_ns;
	uint64_t rec_no;            /* records read so far, skipped ones included */

	struct rte_mempool *mempool;
	uint32_t seg_room;          /* data bytes one mbuf holds */
	struct rte_mbuf **segs;     /* room for the longest chain */
	enum fab_port_timing timing;
	uint64_t start_ps;
	uint64_t rate_bps;

	/* Errors met on input; merged into the port's counters when read. */
	uint64_t rx_err_too_long;
	uint64_t rx_err_snapped;
	uint64_t rx_err_file;

	/* Output. */
	pcap_t *tx_dead;
	pcap_dumper_t *dumper;
	FILE *tx_file;
	uint8_t *scratch;           /* linearises chains: FAB_PORT_MAX_FRAME bytes */

	char *rx_path;
	char *tx_path;
	char last_error[PCAP_BACKEND_MSG_MAX];
};

/* Read the next valid record ahead, skipping and counting bad ones. */
void fab_port_pcap_read_ahead(struct pcap_backend *b);

/* Arrival of the record read ahead, the hold included. */
uint64_t fab_port_pcap_arrival(const struct pcap_backend *b);

uint16_t fab_port_pcap_rx_burst(void *backend, struct fab_port_stats *stats,
		uint64_t now, struct rte_mbuf **pkts, uint64_t *arrival_ps, uint16_t n);

uint16_t fab_port_pcap_tx_burst(void *backend, struct fab_port_stats *stats,
		const uint64_t *tx_done_ps, struct rte_mbuf **pkts, uint16_t n);

int fab_port_pcap_flush(void *backend);

#endif /* FAB_PORT_PCAP_PRIV_H */
