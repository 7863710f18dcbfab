/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * Counting the records of a pcap: net_pcap in DPDK 22.11 signals no end of
 * file, so a real-time run knows its input has drained only by count.
 */

#include <errno.h>
#include <inttypes.h>

#include <pcap/pcap.h>

#include "fab_port_priv.h"

int64_t
fab_pcap_count_records(const char *path, char *err, size_t err_len)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	struct pcap_pkthdr *h;
	const u_char *data;
	int64_t count = 0;
	pcap_t *p;
	int rc;

	fab_port_err(err, err_len, "%s", "");
	if (path == NULL) {
		fab_port_err(err, err_len, "pcap: no file named");
		return -EINVAL;
	}
	errno = 0;
	p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO,
			errbuf);
	if (p == NULL) {
		rc = errno == ENOENT || errno == EACCES ? -errno : -EINVAL;
		fab_port_err(err, err_len, "pcap '%s': %s", path, errbuf);
		return rc;
	}
	while ((rc = pcap_next_ex(p, &h, &data)) == 1)
		count++;
	/* net_pcap stops at a damaged record too: what precedes it counts. */
	if (rc != PCAP_ERROR_BREAK)
		fab_port_err(err, err_len, "pcap '%s': after record %" PRId64 ": %s",
			path, count, pcap_geterr(p));
	pcap_close(p);
	return count;
}
