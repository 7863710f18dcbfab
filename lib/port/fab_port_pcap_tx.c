/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/* pcap output: each frame stamped with its virtual transmit-complete time. */

#include <errno.h>

#include "fab_port_pcap_priv.h"

#define PS_PER_NS 1000u
#define PS_PER_S 1000000000000ull

uint16_t
fab_port_pcap_tx_burst(void *backend, struct fab_port_stats *stats,
		const uint64_t *tx_done_ps, struct rte_mbuf **pkts, uint16_t n)
{
	struct pcap_backend *b = backend;
	uint16_t sent = 0, i;

	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		uint32_t len = m->pkt_len;
		struct pcap_pkthdr h;
		const void *data;
		uint64_t ps;

		if (b->dumper == NULL) {
			stats->tx_no_output++;
			rte_pktmbuf_free(m);
			continue;
		}
		/* Contiguous frames are written in place; chains via scratch. */
		data = len <= FAB_PORT_MAX_FRAME ?
			rte_pktmbuf_read(m, 0, len, b->scratch) : NULL;
		if (data == NULL) {
			stats->tx_errors++;
			rte_pktmbuf_free(m);
			continue;
		}
		ps = tx_done_ps != NULL ? tx_done_ps[i] : 0;
		/* A nanosecond file: tv_usec carries nanoseconds (floor). */
		h.ts.tv_sec = (time_t)(ps / PS_PER_S);
		h.ts.tv_usec = (suseconds_t)((ps % PS_PER_S) / PS_PER_NS);
		h.caplen = len;
		h.len = len;
		pcap_dump((u_char *)b->dumper, &h, data);
		if (ferror(b->tx_file)) {
			stats->tx_errors++;
		} else {
			sent++;
			stats->tx_bytes += len;
		}
		rte_pktmbuf_free(m);
	}
	stats->tx_packets += sent;
	return sent;
}

int
fab_port_pcap_flush(void *backend)
{
	struct pcap_backend *b = backend;

	if (b->dumper == NULL)
		return 0;
	if (pcap_dump_flush(b->dumper) != 0) {
		snprintf(b->last_error, sizeof(b->last_error),
			"tx pcap '%s': write failed", b->tx_path);
		return -EIO;
	}
	return 0;
}
