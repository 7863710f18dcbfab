/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * Input traces for the leaf of docs/examples/leaf.yaml: an N-to-1 incast in
 * which hosts h0, h1, h2 and a remote host behind uplink up0 each write one
 * RDMA message to h3 at 100 Gb/s, all starting at once. Four line-rate
 * senders into one 100G port build the queue that shows ECN marking and,
 * once the shared buffer's limit is crossed, PFC pauses.
 */

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "trace.h"

static uint32_t incast_bytes;
static int incast_sender;

static const char *const senders[] = { "h0", "h1", "h2", "up0" };
static const char *const silent[] = { "h3", "up1" };

static int
make_sender(struct trace_sample *s)
{
	struct fab_roce_addr a = {
		.src_mac = { { 0x02, 0x00, 0x00, 0x01, 0x00, (uint8_t)(1 + incast_sender) } },
		.dst_mac = { { 0x02, 0xfa, 0xb0, 0x01, 0x00, (uint8_t)incast_sender } },
		.l3 = FAB_L3_IPV4,
		.dscp = 26,
		.ecn = 2,
		.udp_src_port = (uint16_t)(49152 + incast_sender),
	};
	char src[32];

	if (incast_sender == 3) {
		/* The remote sender, 10.0.2.1, reaches this leaf through spine0. */
		snprintf(src, sizeof(src), "10.0.2.1");
		a.src_mac = (struct rte_ether_addr){ { 0x02, 0xfa, 0xb0, 0x10, 0x00, 0x00 } };
		a.dst_mac = (struct rte_ether_addr){ { 0x02, 0xfa, 0xb0, 0x01, 0x00, 0x04 } };
	} else {
		snprintf(src, sizeof(src), "10.0.1.%d", incast_sender + 1);
	}
	a.src_ip.v4 = inet_addr(src);
	a.dst_ip.v4 = inet_addr("10.0.1.4");
	trace_write_message(s, &a, 0x000300 + (uint32_t)incast_sender, 0, incast_bytes,
		0x7f0000000000ull);
	return 0;
}

static int
make_empty(struct trace_sample *s)
{
	(void)s;
	return 0;
}

int
trace_incast(const char *dir, uint32_t bytes)
{
	char path[4096];
	size_t i;

	incast_bytes = bytes;
	for (i = 0; i < sizeof(senders) / sizeof(senders[0]); i++) {
		incast_sender = (int)i;
		snprintf(path, sizeof(path), "%s/%s.rx.pcap", dir, senders[i]);
		if (trace_write_sample(path, make_sender) != 0)
			return 2;
	}
	for (i = 0; i < sizeof(silent) / sizeof(silent[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s.rx.pcap", dir, silent[i]);
		if (trace_write_sample(path, make_empty) != 0)
			return 2;
	}
	return 0;
}
