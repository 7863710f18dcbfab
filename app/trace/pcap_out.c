/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#include <stdlib.h>

#include <pcap/pcap.h>

#include "trace.h"

struct trace_writer {
	pcap_t *dead;
	pcap_dumper_t *dump;
};

struct trace_writer *
trace_writer_open(const char *path)
{
	struct trace_writer *w = calloc(1, sizeof(*w));

	if (w == NULL)
		return NULL;
	w->dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 262144,
			PCAP_TSTAMP_PRECISION_NANO);
	if (w->dead == NULL) {
		free(w);
		return NULL;
	}
	w->dump = pcap_dump_open(w->dead, path);
	if (w->dump == NULL) {
		fprintf(stderr, "rocefab-trace: cannot write %s: %s\n", path,
			pcap_geterr(w->dead));
		pcap_close(w->dead);
		free(w);
		return NULL;
	}
	return w;
}

int
trace_writer_add(struct trace_writer *w, uint64_t t_ps, const void *frame, uint32_t len)
{
	struct pcap_pkthdr h;
	uint64_t ns = t_ps / 1000;

	h.ts.tv_sec = (time_t)(ns / 1000000000ull);
	h.ts.tv_usec = (suseconds_t)(ns % 1000000000ull); /* nanoseconds in a NANO dump */
	h.caplen = len;
	h.len = len;
	pcap_dump((u_char *)w->dump, &h, frame);
	return 0;
}

int
trace_writer_close(struct trace_writer *w)
{
	int rc = 0;

	if (w == NULL)
		return 0;
	if (pcap_dump_flush(w->dump) != 0)
		rc = -1;
	pcap_dump_close(w->dump);
	pcap_close(w->dead);
	free(w);
	return rc;
}
