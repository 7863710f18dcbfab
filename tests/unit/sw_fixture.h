/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef SW_FIXTURE_H
#define SW_FIXTURE_H

/*
 * A switch in a temporary directory, for the switch and stats suites: write
 * the input pcaps, load a configuration from text with that directory as
 * its base, create pcap ports and the switch (compact routes, small
 * queues), run it in virtual time to the end, and read the outputs back.
 */

#include <stdbool.h>
#include <stdint.h>

#include <pcap/pcap.h>

#include "fab_config.h"
#include "fab_pkt.h"
#include "fab_port.h"
#include "fab_switch.h"

#define SWF_MAX_PORTS 8
/* Frames per class queue in the tests: small, the EAL has 256 MB. */
#define SWF_QUEUE_CAPACITY 1024

/* Ports of the standard configuration (swf_yaml()). */
enum {
	SWF_H0 = 0,   /* 100G */
	SWF_H1,       /* 25G */
	SWF_H2,       /* 100G, trusts PCP */
	SWF_UP0,      /* 100G */
	SWF_UP1,      /* 100G */
	SWF_NB_PORTS,
};

#define SWF_G100 UINT64_C(100000000000)
#define SWF_G25 UINT64_C(25000000000)

struct swf {
	char dir[64];
	struct fab_switch_conf conf;
	bool conf_loaded;
	uint16_t nb_ports;
	const char *names[SWF_MAX_PORTS];
	pcap_t *dead;
	pcap_dumper_t *in[SWF_MAX_PORTS];
	struct fab_port *ports[SWF_MAX_PORTS];
	struct fab_switch *sw;
	bool unlimited_shaper;     /* set before swf_start() */
	uint64_t end_ps;          /* time of the last event */
	uint64_t polls;
	uint64_t repolls;         /* polls at the time of the poll before */
	struct fab_switch_port_stats st[SWF_MAX_PORTS]; /* at end_ps */
	struct fab_switch_port_stats tot;
	char err[1024];
};

/* One record of an output pcap. */
struct swf_rec {
	uint64_t ts_ns;
	uint32_t len;
	uint8_t *data;
};

/* What a test frame carries. Addresses in host order (v4). */
struct swf_flow {
	uint8_t l3;               /* FAB_L3_IPV4 or FAB_L3_IPV6 */
	uint32_t src4;
	uint32_t dst4;
	uint8_t src6[16];
	uint8_t dst6[16];
	uint8_t dscp;
	uint8_t ecn;
	uint8_t ttl;              /* 0: 64 */
	uint16_t sport;
	bool vlan;
	uint8_t pcp;
	uint8_t in_port;          /* the port it enters: sets the source MAC */
};

/* Host MAC behind standard port i (the frames' source, the routes' next hop). */
void swf_peer_mac(uint16_t i, struct rte_ether_addr *mac);
/* MAC of switch port i in the standard configuration. */
void swf_port_mac(uint16_t i, struct rte_ether_addr *mac);

/*
 * The standard configuration: five ports (enum above), routes
 *   10.0.1.1/32 h0, 10.0.1.2/32 h1, 10.0.1.3/32 h2,
 *   10.0.1.100/32 h1 via next-hop MAC 02:00:00:00:0c:0c,
 *   10.9.0.0/16 ECMP up0 up1, 2001:db8:1::2/128 h1, 2001:db8:9::/48 ECMP up0 up1,
 * and @p extra appended (top-level sections: qos, buffer, pfc ...).
 */
void swf_yaml(char *buf, size_t cap, const char *name, uint64_t hash_seed,
		const char *extra);

/* Temporary directory and empty input files for the standard ports. */
void swf_begin(struct swf *f);
/* Append a frame to port @p port's input, recorded at @p ts_ns. */
void swf_add(struct swf *f, uint16_t port, const void *frame, uint32_t len, uint64_t ts_ns);
/* Close the inputs, load @p yaml, create the ports and the switch. */
int swf_start(struct swf *f, const char *yaml);
/* Run in virtual time until nothing is left to do; read the counters; flush outputs. */
void swf_run(struct swf *f);
/* Check that fab_switch_port_sample() gives @p st's values for what it samples. */
void swf_check_sample(const struct fab_switch *sw, uint16_t p, uint64_t now,
		const struct fab_switch_port_stats *st);
/* Check that every frame is accounted for exactly once (CUnit assertions). */
void swf_check_conservation(const struct swf *f);
/* Read port @p port's output; returns the records (caller frees with swf_free_recs). */
int swf_output(const struct swf *f, uint16_t port, struct swf_rec **recs);
void swf_free_recs(struct swf_rec *recs, int n);
/* Free the switch, ports, configuration and directory. */
void swf_end(struct swf *f);

/* Frames. Return the length or a negative errno. */
int swf_write(uint8_t *buf, uint32_t cap, const struct swf_flow *fl, uint32_t psn,
		uint32_t payload_len);
int swf_cnp(uint8_t *buf, uint32_t cap, const struct swf_flow *fl);
/* Recompute the IPv4 header checksum of the frame's IP header at @p l3_off. */
void swf_ipv4_csum(uint8_t *frame, uint32_t l3_off);

/* Wire time at a rate, as lib/pkt computes it. */
static inline uint64_t
swf_wire(uint32_t len, uint64_t rate)
{
	return fab_wire_time_ps(len, rate);
}

#endif /* SW_FIXTURE_H */
