/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * lib/port: the pcap backend in virtual time (arrival times checked to the
 * picosecond), its error handling, and the ethdev backend over net_null,
 * net_ring and net_pcap vdevs plugged at run time.
 */

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pcap/pcap.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "fab_port.h"
#include "fab_test.h"

#define G100 100000000000ull
#define G25 25000000000ull
/* (bytes + 24) * 8 bits at 80 ps (100G) or 320 ps (25G) per byte. */
#define WIRE100_64 7040ull
#define WIRE100_1000 81920ull
#define WIRE25_1000 327680ull
#define WIRE100_3000 241920ull

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

struct rec {
	uint32_t sec;
	uint32_t frac;    /* microseconds or nanoseconds, as the file */
	uint32_t len;
	uint32_t caplen;  /* 0: len */
};

static uint8_t frame_buf[70000];
static uint8_t read_buf[70000];
static char err[512];

/* Byte @p off of test frame number @p idx. */
static uint8_t
frame_byte(unsigned int idx, uint32_t off)
{
	return (uint8_t)(idx * 37 + off * 13 + 1);
}

static void
fill_frame(unsigned int idx, uint32_t len)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		frame_buf[i] = frame_byte(idx, i);
}

static bool
frame_matches(const struct rte_mbuf *m, unsigned int idx, uint32_t len)
{
	const uint8_t *p;
	uint32_t i;

	if (m->pkt_len != len)
		return false;
	p = rte_pktmbuf_read(m, 0, len, read_buf);
	if (p == NULL)
		return false;
	for (i = 0; i < len; i++)
		if (p[i] != frame_byte(idx, i))
			return false;
	return true;
}

static void
make_dir(char *dir)
{
	strcpy(dir, "/tmp/fab-test-XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
}

static void
remove_dir(const char *dir)
{
	char path[512];
	struct dirent *d;
	DIR *dp = opendir(dir);

	if (dp == NULL)
		return;
	while ((d = readdir(dp)) != NULL) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		unlink(path);
	}
	closedir(dp);
	CU_ASSERT_EQUAL(rmdir(dir), 0);
}

static const char *
in_dir(const char *dir, const char *name, char *buf)
{
	sprintf(buf, "%s/%s", dir, name);
	return buf;
}

/* Write @p n records; frame i holds the bytes frame_byte(i, .). */
static int
write_pcap(const char *path, int precision, int dlt, const struct rec *r,
		unsigned int n)
{
	pcap_t *dead = pcap_open_dead_with_tstamp_precision(dlt, 262144, precision);
	pcap_dumper_t *d;
	unsigned int i;

	if (dead == NULL)
		return -1;
	d = pcap_dump_open(dead, path);
	if (d == NULL) {
		pcap_close(dead);
		return -1;
	}
	for (i = 0; i < n; i++) {
		struct pcap_pkthdr h;

		h.ts.tv_sec = r[i].sec;
		h.ts.tv_usec = r[i].frac;
		h.len = r[i].len;
		h.caplen = r[i].caplen ? r[i].caplen : r[i].len;
		fill_frame(i, h.caplen);
		pcap_dump((u_char *)d, &h, frame_buf);
	}
	pcap_dump_close(d);
	pcap_close(dead);
	return 0;
}

static long
file_size(const char *path)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (f == NULL)
		return -1;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fclose(f);
	return n;
}

static struct fab_port *
pcap_port(const char *rx, const char *tx, enum fab_port_timing timing,
		uint64_t rate, uint64_t start_ps)
{
	struct fab_port_pcap_conf c = {
		.port = { .name = "p0", .rate_bps = rate },
		.rx_path = rx,
		.tx_path = tx,
		.timing = timing,
		.start_ps = start_ps,
		.mempool = fab_test_pool,
	};
	struct fab_port *p = fab_port_create_pcap(&c, err, sizeof(err));

	if (p == NULL)
		fprintf(stderr, "\n  %s\n", err);
	return p;
}

static void
free_all(struct rte_mbuf **pkts, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		rte_pktmbuf_free(pkts[i]);
}

static struct fab_port_stats
stats_of(struct fab_port *p)
{
	struct fab_port_stats s;

	memset(&s, 0xff, sizeof(s));
	CU_ASSERT_EQUAL(fab_port_stats(p, &s), 0);
	return s;
}

/* ------------------------------------------------------------------ */
/* pcap backend                                                        */
/* ------------------------------------------------------------------ */

static void
test_pcap_invalid_create(void)
{
	struct fab_port_pcap_conf c = {
		.port = { .name = "bad0", .rate_bps = G100 },
		.rx_path = "/nonexistent/in.pcap",
		.mempool = NULL,
	};

	CU_ASSERT_PTR_NULL(fab_port_create_pcap(NULL, err, sizeof(err)));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);

	/* rx without a pool */
	CU_ASSERT_PTR_NULL(fab_port_create_pcap(&c, err, sizeof(err)));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "bad0"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "/nonexistent/in.pcap"));

	/* no rate */
	c.mempool = fab_test_pool;
	c.port.rate_bps = 0;
	CU_ASSERT_PTR_NULL(fab_port_create_pcap(&c, err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "rate"));

	/* unknown timing, frame limit beyond what a pcap port handles */
	c.port.rate_bps = G100;
	c.timing = (enum fab_port_timing)7;
	CU_ASSERT_PTR_NULL(fab_port_create_pcap(&c, err, sizeof(err)));
	c.timing = FAB_PORT_TIMING_TRACE;
	c.max_frame_len = FAB_PORT_MAX_FRAME + 1;
	CU_ASSERT_PTR_NULL(fab_port_create_pcap(&c, err, sizeof(err)));
	c.max_frame_len = 0;

	/* the same file for input and output would destroy the input */
	c.tx_path = c.rx_path;
	CU_ASSERT_PTR_NULL(fab_port_create_pcap(&c, err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "both"));

	/* a name is required; a NULL err buffer is allowed */
	c.tx_path = NULL;
	c.port.name = NULL;
	CU_ASSERT_PTR_NULL(fab_port_create_pcap(&c, NULL, 0));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);

	fab_port_free(NULL);
}

static void
test_pcap_missing_file(void)
{
	struct fab_port_pcap_conf c = {
		.port = { .name = "miss0", .rate_bps = G100 },
		.mempool = fab_test_pool,
	};
	char dir[64], path[128];

	make_dir(dir);
	c.rx_path = in_dir(dir, "absent.pcap", path);
	CU_ASSERT_PTR_NULL(fab_port_create_pcap(&c, err, sizeof(err)));
	CU_ASSERT_EQUAL(rte_errno, ENOENT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "miss0"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, path));

	/* an output in a directory that does not exist */
	c.rx_path = NULL;
	c.tx_path = "/nonexistent-dir/out.pcap";
	CU_ASSERT_PTR_NULL(fab_port_create_pcap(&c, err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "/nonexistent-dir/out.pcap"));
	remove_dir(dir);
}

static void
test_pcap_not_ethernet(void)
{
	const struct rec r[] = { { 1, 0, 64, 0 } };
	char dir[64], path[128];

	make_dir(dir);
	in_dir(dir, "raw.pcap", path);
	CU_ASSERT_EQUAL_FATAL(write_pcap(path, PCAP_TSTAMP_PRECISION_MICRO, DLT_RAW,
			r, 1), 0);
	CU_ASSERT_PTR_NULL(fab_port_create_pcap(&(struct fab_port_pcap_conf){
			.port = { .name = "raw0", .rate_bps = G100 },
			.rx_path = path, .mempool = fab_test_pool }, err, sizeof(err)));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "link type"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, path));
	remove_dir(dir);
}

static void
test_pcap_trace_timing_ns(void)
{
	/* Nanosecond file: offsets 0, 1000, 1234 and 5,000,000 ns. */
	const struct rec r[] = {
		{ 1700000000, 999999000, 64, 0 },
		{ 1700000001, 0, 64, 0 },
		{ 1700000001, 234, 64, 0 },
		{ 1700000001, 4999000, 64, 0 },
	};
	const uint64_t start = 3000000;
	struct rte_mbuf *pkts[32];
	uint64_t at[32];
	struct fab_port_stats s;
	struct rte_ether_addr mac;
	struct fab_port *p;
	char dir[64], path[128];

	make_dir(dir);
	in_dir(dir, "ns.pcap", path);
	CU_ASSERT_EQUAL_FATAL(write_pcap(path, PCAP_TSTAMP_PRECISION_NANO, DLT_EN10MB,
			r, 4), 0);
	p = pcap_port(path, NULL, FAB_PORT_TIMING_TRACE, G100, start);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(fab_port_kind(p), FAB_PORT_KIND_PCAP);
	CU_ASSERT_STRING_EQUAL(fab_port_kind_name(fab_port_kind(p)), "pcap");
	CU_ASSERT_STRING_EQUAL(fab_port_name(p), "p0");
	CU_ASSERT_EQUAL(fab_port_rate_bps(p), G100);
	CU_ASSERT_EQUAL(fab_port_max_frame_len(p), FAB_PORT_DEFAULT_MAX_FRAME);
	CU_ASSERT_STRING_EQUAL(fab_port_last_error(p), "");
	fab_port_mac(p, &mac);
	CU_ASSERT_EQUAL(mac.addr_bytes[0], 0x02);

	CU_ASSERT_FALSE(fab_port_rx_eof(p));
	CU_ASSERT_EQUAL(fab_port_next_rx_ps(p), start);
	CU_ASSERT_EQUAL(fab_port_rx_burst(p, start - 1, pkts, 32), 0);
	CU_ASSERT_EQUAL_FATAL(fab_port_rx_burst_ts(p, start, pkts, at, 32), 1);
	CU_ASSERT_EQUAL(at[0], start);
	CU_ASSERT_TRUE(frame_matches(pkts[0], 0, 64));
	free_all(pkts, 1);

	CU_ASSERT_EQUAL(fab_port_next_rx_ps(p), start + 1000000);
	CU_ASSERT_EQUAL_FATAL(fab_port_rx_burst_ts(p, start + 1234000, pkts, at, 32), 2);
	CU_ASSERT_EQUAL(at[0], start + 1000000);
	CU_ASSERT_EQUAL(at[1], start + 1234000);
	CU_ASSERT_TRUE(frame_matches(pkts[0], 1, 64));
	CU_ASSERT_TRUE(frame_matches(pkts[1], 2, 64));
	free_all(pkts, 2);

	CU_ASSERT_FALSE(fab_port_rx_eof(p));
	CU_ASSERT_EQUAL(fab_port_next_rx_ps(p), start + 5000000000ull);
	CU_ASSERT_EQUAL(fab_port_rx_burst(p, start + 5000000000ull - 1, pkts, 32), 0);
	CU_ASSERT_EQUAL_FATAL(fab_port_rx_burst_ts(p, UINT64_MAX - 1, pkts, at, 32), 1);
	CU_ASSERT_EQUAL(at[0], start + 5000000000ull);
	free_all(pkts, 1);
	CU_ASSERT_TRUE(fab_port_rx_eof(p));
	CU_ASSERT_EQUAL(fab_port_next_rx_ps(p), FAB_PORT_RX_NEVER);
	CU_ASSERT_EQUAL(fab_port_rx_burst(p, UINT64_MAX, pkts, 32), 0);

	s = stats_of(p);
	CU_ASSERT_EQUAL(s.rx_packets, 4);
	CU_ASSERT_EQUAL(s.rx_bytes, 256);
	CU_ASSERT_EQUAL(s.rx_errors, 0);
	CU_ASSERT_EQUAL(s.rx_nombuf, 0);
	CU_ASSERT_EQUAL(s.tx_packets, 0);
	fab_port_free(p);
	remove_dir(dir);
}

static void
test_pcap_trace_timing_us(void)
{
	/* Microsecond file: offsets 0, 3 us and 501 us across a second boundary. */
	const struct rec r[] = {
		{ 10, 999999, 100, 0 },
		{ 11, 2, 100, 0 },
		{ 11, 500, 100, 0 },
	};
	struct rte_mbuf *pkts[32];
	uint64_t at[32];
	struct fab_port *p;
	char dir[64], path[128];

	make_dir(dir);
	in_dir(dir, "us.pcap", path);
	CU_ASSERT_EQUAL_FATAL(write_pcap(path, PCAP_TSTAMP_PRECISION_MICRO, DLT_EN10MB,
			r, 3), 0);
	p = pcap_port(path, NULL, FAB_PORT_TIMING_TRACE, G25, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(fab_port_next_rx_ps(p), 0);
	CU_ASSERT_EQUAL_FATAL(fab_port_rx_burst_ts(p, UINT64_MAX, pkts, at, 32), 3);
	CU_ASSERT_EQUAL(at[0], 0);
	CU_ASSERT_EQUAL(at[1], 3000000);
	CU_ASSERT_EQUAL(at[2], 501000000);
	CU_ASSERT_TRUE(frame_matches(pkts[2], 2, 100));
	free_all(pkts, 3);
	CU_ASSERT_TRUE(fab_port_rx_eof(p));
	fab_port_free(p);
	remove_dir(dir);
}

static void
test_pcap_line_rate(void)
{
	/* Line rate ignores the timestamps, even decreasing ones. */
	const struct rec r1000[] = {
		{ 9, 0, 1000, 0 }, { 5, 0, 1000, 0 }, { 7, 0, 1000, 0 }, { 1, 0, 1000, 0 },
	};
	const struct rec mixed[] = { { 0, 0, 64, 0 }, { 0, 0, 1500, 0 } };
	struct rte_mbuf *pkts[32];
	uint64_t at[32];
	struct fab_port *p;
	char dir[64], path[128], path2[128];
	unsigned int i;

	make_dir(dir);
	in_dir(dir, "lr.pcap", path);
	CU_ASSERT_EQUAL_FATAL(write_pcap(path, PCAP_TSTAMP_PRECISION_MICRO, DLT_EN10MB,
			r1000, 4), 0);

	/* 100G: (1000 + 24) * 8 * 10 ps = 81,920 ps apart, from the start. */
	p = pcap_port(path, NULL, FAB_PORT_TIMING_LINE_RATE, G100, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(fab_port_next_rx_ps(p), WIRE100_1000);
	CU_ASSERT_EQUAL_FATAL(fab_port_rx_burst_ts(p, UINT64_MAX, pkts, at, 32), 4);
	for (i = 0; i < 4; i++) {
		CU_ASSERT_EQUAL(at[i], WIRE100_1000 * (i + 1));
		CU_ASSERT_TRUE(frame_matches(pkts[i], i, 1000));
	}
	free_all(pkts, 4);
	fab_port_free(p);

	/* 25G with a start offset: 327,680 ps apart. */
	p = pcap_port(path, NULL, FAB_PORT_TIMING_LINE_RATE, G25, 1000000);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(fab_port_rx_burst_ts(p, 1000000 + 2 * WIRE25_1000, pkts, at,
			32), 2);
	CU_ASSERT_EQUAL(at[0], 1000000 + WIRE25_1000);
	CU_ASSERT_EQUAL(at[1], 1000000 + 2 * WIRE25_1000);
	free_all(pkts, 2);
	CU_ASSERT_EQUAL(fab_port_next_rx_ps(p), 1000000 + 3 * WIRE25_1000);
	fab_port_free(p);

	/* Mixed sizes: each frame's own wire time. */
	in_dir(dir, "mixed.pcap", path2);
	CU_ASSERT_EQUAL_FATAL(write_pcap(path2, PCAP_TSTAMP_PRECISION_MICRO,
			DLT_EN10MB, mixed, 2), 0);
	p = pcap_port(path2, NULL, FAB_PORT_TIMING_LINE_RATE, G100, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL_FATAL(fab_port_rx_burst_ts(p, UINT64_MAX, pkts, at, 32), 2);
	CU_ASSERT_EQUAL(at[0], WIRE100_64);
	CU_ASSERT_EQUAL(at[1], WIRE100_64 + (1500 + 24) * 80);
	free_all(pkts, 2);
	fab_port_free(p);
	remove_dir(dir);
}

static void
test_pcap_burst_limit(void)
{
	const struct rec r[] = {
		{ 0, 0, 1000, 0 }, { 0, 0, 1000, 0 }, { 0, 0, 1000, 0 },
		{ 0, 0, 1000, 0 }, { 0, 0, 1000, 0 },
	};
	struct rte_mbuf *pkts[32];
	uint64_t at[32];
	struct fab_port *p;
	char dir[64], path[128];

	make_dir(dir);
	in_dir(dir, "b.pcap", path);
	CU_ASSERT_EQUAL_FATAL(write_pcap(path, PCAP_TSTAMP_PRECISION_MICRO, DLT_EN10MB,
			r, 5), 0);
	p = pcap_port(path, NULL, FAB_PORT_TIMING_LINE_RATE, G100, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL_FATAL(fab_port_rx_burst_ts(p, UINT64_MAX, pkts, at, 2), 2);
	CU_ASSERT_TRUE(frame_matches(pkts[0], 0, 1000));
	CU_ASSERT_TRUE(frame_matches(pkts[1], 1, 1000));
	free_all(pkts, 2);
	CU_ASSERT_EQUAL(fab_port_next_rx_ps(p), 3 * WIRE100_1000);
	CU_ASSERT_EQUAL_FATAL(fab_port_rx_burst_ts(p, UINT64_MAX, pkts, at, 32), 3);
	CU_ASSERT_EQUAL(at[0], 3 * WIRE100_1000);
	CU_ASSERT_EQUAL(at[2], 5 * WIRE100_1000);
	CU_ASSERT_TRUE(frame_matches(pkts[2], 4, 1000));
	free_all(pkts, 3);
	CU_ASSERT_TRUE(fab_port_rx_eof(p));
	fab_port_free(p);
	remove_dir(dir);
}

static void
test_pcap_stretch_dense_trace(void)
{
	/*
	 * Three frames stamped at the same nanosecond, one a millisecond later,
	 * one 10 ns after that (under one wire time), one stamped before the
	 * first: a 100G link delivers at most one 1000-byte frame per 81,920 ps.
	 */
	const struct rec r[] = {
		{ 100, 0, 1000, 0 },
		{ 100, 0, 1000, 0 },
		{ 100, 0, 1000, 0 },
		{ 100, 1000000, 1000, 0 },
		{ 100, 1000010, 1000, 0 },
		{ 50, 0, 1000, 0 },
	};
	struct rte_mbuf *pkts[32];
	uint64_t at[32];
	struct fab_port *p;
	char dir[64], path[128];

	make_dir(dir);
	in_dir(dir, "dense.pcap", path);
	CU_ASSERT_EQUAL_FATAL(write_pcap(path, PCAP_TSTAMP_PRECISION_NANO, DLT_EN10MB,
			r, 6), 0);
	p = pcap_port(path, NULL, FAB_PORT_TIMING_TRACE, G100, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL_FATAL(fab_port_rx_burst_ts(p, UINT64_MAX, pkts, at, 32), 6);
	CU_ASSERT_EQUAL(at[0], 0);
	CU_ASSERT_EQUAL(at[1], WIRE100_1000);
	CU_ASSERT_EQUAL(at[2], 2 * WIRE100_1000);
	CU_ASSERT_EQUAL(at[3], 1000000000ull);
	CU_ASSERT_EQUAL(at[4], 1000000000ull + WIRE100_1000);
	CU_ASSERT_EQUAL(at[5], 1000000000ull + 2 * WIRE100_1000);
	free_all(pkts, 6);
	fab_port_free(p);
	remove_dir(dir);
}

static void
test_pcap_hold(void)
{
	const struct rec r[] = {
		{ 0, 0, 1000, 0 }, { 0, 0, 1000, 0 }, { 0, 0, 1000, 0 },
		{ 0, 0, 1000, 0 }, { 0, 2000, 1000, 0 },
	};
	struct rte_mbuf *pkts[32];
	uint64_t at[32];
	struct fab_port *p;
	char dir[64], path[128];

	make_dir(dir);
	in_dir(dir, "hold.pcap", path);
	CU_ASSERT_EQUAL_FATAL(write_pcap(path, PCAP_TSTAMP_PRECISION_NANO, DLT_EN10MB,
			r, 5), 0);

	/* Line rate: the backlog waits for the hold, then comes back to back. */
	p = pcap_port(path, NULL, FAB_PORT_TIMING_LINE_RATE, G100, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(fab_port_rx_burst(p, WIRE100_1000, pkts, 32), 1);
	free_all(pkts, 1);
	CU_ASSERT_EQUAL(fab_port_rx_hold(p, 1000000), 0);
	CU_ASSERT_EQUAL(fab_port_next_rx_ps(p), 1000000 + WIRE100_1000);
	CU_ASSERT_EQUAL(fab_port_rx_burst(p, 1000000 + WIRE100_1000 - 1, pkts, 32), 0);
	/* a resume shortens the hold; a new pause extends it again */
	CU_ASSERT_EQUAL(fab_port_rx_hold(p, 500000), 0);
	CU_ASSERT_EQUAL(fab_port_next_rx_ps(p), 500000 + WIRE100_1000);
	CU_ASSERT_EQUAL(fab_port_rx_hold(p, 1000000), 0);
	CU_ASSERT_EQUAL_FATAL(fab_port_rx_burst_ts(p, UINT64_MAX, pkts, at, 32), 4);
	CU_ASSERT_EQUAL(at[0], 1000000 + WIRE100_1000);
	CU_ASSERT_EQUAL(at[1], 1000000 + 2 * WIRE100_1000);
	CU_ASSERT_EQUAL(at[2], 1000000 + 3 * WIRE100_1000);
	CU_ASSERT_EQUAL(at[3], 1000000 + 4 * WIRE100_1000);
	free_all(pkts, 4);
	CU_ASSERT_TRUE(fab_port_rx_eof(p));
	fab_port_free(p);

	/* Trace timing: a trace time later than the hold's end still rules. */
	p = pcap_port(path, NULL, FAB_PORT_TIMING_TRACE, G100, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	/* four frames stamped 0 arrive at 0, 81,920, 163,840 and 245,760 ps */
	CU_ASSERT_EQUAL(fab_port_rx_burst(p, 2 * WIRE100_1000, pkts, 32), 3);
	free_all(pkts, 3);
	CU_ASSERT_EQUAL(fab_port_next_rx_ps(p), 3 * WIRE100_1000);
	CU_ASSERT_EQUAL(fab_port_rx_hold(p, 300000), 0);
	CU_ASSERT_EQUAL(fab_port_next_rx_ps(p), 300000 + WIRE100_1000);
	CU_ASSERT_EQUAL(fab_port_rx_burst_ts(p, 300000 + WIRE100_1000, pkts, at, 32), 1);
	CU_ASSERT_EQUAL(at[0], 300000 + WIRE100_1000);
	free_all(pkts, 1);
	CU_ASSERT_EQUAL(fab_port_rx_hold(p, 1000000), 0);
	CU_ASSERT_EQUAL(fab_port_next_rx_ps(p), 2000000);
	fab_port_free(p);
	remove_dir(dir);
}

static void
test_pcap_jumbo_roundtrip(void)
{
	const struct rec r[] = { { 0, 0, 9000, 0 }, { 0, 0, 64, 0 } };
	const uint64_t done[2] = { 123456789ull, 2500000000123999ull };
	struct rte_mbuf *pkts[32];
	struct pcap_pkthdr *h;
	const u_char *data;
	struct fab_port_stats s;
	struct fab_port *p;
	char dir[64], in[128], out[128], ebuf[PCAP_ERRBUF_SIZE];
	uint32_t hdr[6];
	pcap_t *rd;
	FILE *f;

	make_dir(dir);
	in_dir(dir, "in.pcap", in);
	in_dir(dir, "out.pcap", out);
	CU_ASSERT_EQUAL_FATAL(write_pcap(in, PCAP_TSTAMP_PRECISION_MICRO, DLT_EN10MB,
			r, 2), 0);
	p = pcap_port(in, out, FAB_PORT_TIMING_LINE_RATE, G100, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL_FATAL(fab_port_rx_burst(p, UINT64_MAX, pkts, 32), 2);
	/* 2048-byte data rooms: 4 full segments and 808 bytes. */
	CU_ASSERT_EQUAL(pkts[0]->nb_segs, 5);
	CU_ASSERT_EQUAL(pkts[0]->pkt_len, 9000);
	CU_ASSERT_EQUAL(pkts[0]->data_len, 2048);
	CU_ASSERT_EQUAL(rte_pktmbuf_lastseg(pkts[0])->data_len, 808);
	CU_ASSERT_EQUAL(rte_mbuf_check(pkts[0], 1, NULL), 0);
	CU_ASSERT_TRUE(frame_matches(pkts[0], 0, 9000));
	CU_ASSERT_EQUAL(pkts[1]->nb_segs, 1);

	CU_ASSERT_EQUAL(fab_port_tx_burst(p, done, pkts, 2), 2);
	s = stats_of(p);
	CU_ASSERT_EQUAL(s.tx_packets, 2);
	CU_ASSERT_EQUAL(s.tx_bytes, 9064);
	CU_ASSERT_EQUAL(s.tx_errors, 0);
	fab_port_free(p); /* flushes */

	/* A nanosecond pcap (magic a1b23c4d), snaplen 262144, Ethernet. */
	f = fopen(out, "rb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(fread(hdr, sizeof(hdr), 1, f), 1);
	fclose(f);
	CU_ASSERT_EQUAL(hdr[0], 0xa1b23c4d);
	CU_ASSERT_EQUAL(hdr[4], FAB_PORT_PCAP_SNAPLEN);
	CU_ASSERT_EQUAL(hdr[5], DLT_EN10MB);

	rd = pcap_open_offline_with_tstamp_precision(out, PCAP_TSTAMP_PRECISION_NANO,
			ebuf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	CU_ASSERT_EQUAL_FATAL(pcap_next_ex(rd, &h, &data), 1);
	CU_ASSERT_EQUAL(h->ts.tv_sec, 0);
	CU_ASSERT_EQUAL(h->ts.tv_usec, 123456);
	CU_ASSERT_EQUAL(h->len, 9000);
	CU_ASSERT_EQUAL(h->caplen, 9000);
	fill_frame(0, 9000);
	CU_ASSERT_EQUAL(memcmp(data, frame_buf, 9000), 0);
	CU_ASSERT_EQUAL_FATAL(pcap_next_ex(rd, &h, &data), 1);
	CU_ASSERT_EQUAL(h->ts.tv_sec, 2500);
	CU_ASSERT_EQUAL(h->ts.tv_usec, 123);
	CU_ASSERT_EQUAL(h->len, 64);
	fill_frame(1, 64);
	CU_ASSERT_EQUAL(memcmp(data, frame_buf, 64), 0);
	CU_ASSERT_EQUAL(pcap_next_ex(rd, &h, &data), PCAP_ERROR_BREAK);
	pcap_close(rd);
	remove_dir(dir);
}

static void
test_pcap_tx_timestamps(void)
{
	/* whole nanoseconds, so the file holds them exactly */
	const uint64_t done[3] = { 82000, 1000000000000ull, 1000000082000ull };
	struct rte_mbuf *pkts[3];
	struct pcap_pkthdr *h;
	const u_char *data;
	struct fab_port *p;
	char dir[64], out[128], ebuf[PCAP_ERRBUF_SIZE];
	pcap_t *rd;
	unsigned int i;

	make_dir(dir);
	in_dir(dir, "tx.pcap", out);
	p = pcap_port(NULL, out, FAB_PORT_TIMING_TRACE, G100, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	/* no input: over from the start */
	CU_ASSERT_TRUE(fab_port_rx_eof(p));
	CU_ASSERT_EQUAL(fab_port_next_rx_ps(p), FAB_PORT_RX_NEVER);
	CU_ASSERT_EQUAL(fab_port_rx_burst(p, UINT64_MAX, pkts, 3), 0);
	for (i = 0; i < 3; i++) {
		fill_frame(i, 60 + i);
		pkts[i] = fab_test_mbuf_from(frame_buf, 60 + i, 2048);
		CU_ASSERT_PTR_NOT_NULL_FATAL(pkts[i]);
	}
	CU_ASSERT_EQUAL(fab_port_tx_burst(p, done, pkts, 3), 3);
	/* readable while the port is open once flushed */
	CU_ASSERT_EQUAL(fab_port_flush(p), 0);
	rd = pcap_open_offline_with_tstamp_precision(out, PCAP_TSTAMP_PRECISION_NANO,
			ebuf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	for (i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL_FATAL(pcap_next_ex(rd, &h, &data), 1);
		CU_ASSERT_EQUAL((uint64_t)h->ts.tv_sec * 1000000000000ull +
				(uint64_t)h->ts.tv_usec * 1000, done[i]);
		CU_ASSERT_EQUAL(h->len, 60 + i);
		fill_frame(i, 60 + i);
		CU_ASSERT_EQUAL(memcmp(data, frame_buf, 60 + i), 0);
	}
	CU_ASSERT_EQUAL(pcap_next_ex(rd, &h, &data), PCAP_ERROR_BREAK);
	pcap_close(rd);
	fab_port_free(p);
	remove_dir(dir);
}

static void
test_pcap_truncated_file(void)
{
	const struct rec r[] = {
		{ 0, 0, 100, 0 }, { 0, 1, 100, 0 }, { 0, 2, 100, 0 },
	};
	struct rte_mbuf *pkts[32];
	struct fab_port_stats s;
	struct fab_port *p;
	char dir[64], path[128];
	long size;

	make_dir(dir);
	in_dir(dir, "cut.pcap", path);

	/* Cut inside the third record's data. */
	CU_ASSERT_EQUAL_FATAL(write_pcap(path, PCAP_TSTAMP_PRECISION_MICRO, DLT_EN10MB,
			r, 3), 0);
	size = file_size(path);
	CU_ASSERT_EQUAL_FATAL(size, 24 + 3 * (16 + 100));
	CU_ASSERT_EQUAL_FATAL(truncate(path, size - 50), 0);
	p = pcap_port(path, NULL, FAB_PORT_TIMING_LINE_RATE, G100, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(fab_port_rx_burst(p, UINT64_MAX, pkts, 32), 2);
	CU_ASSERT_TRUE(frame_matches(pkts[1], 1, 100));
	free_all(pkts, 2);
	CU_ASSERT_TRUE(fab_port_rx_eof(p));
	CU_ASSERT_EQUAL(fab_port_next_rx_ps(p), FAB_PORT_RX_NEVER);
	CU_ASSERT_EQUAL(fab_port_rx_burst(p, UINT64_MAX, pkts, 32), 0);
	s = stats_of(p);
	CU_ASSERT_EQUAL(s.rx_packets, 2);
	CU_ASSERT_EQUAL(s.rx_err_file, 1);
	CU_ASSERT_EQUAL(s.rx_errors, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(fab_port_last_error(p), path));
	CU_ASSERT_PTR_NOT_NULL(strstr(fab_port_last_error(p), "after record 2"));
	fab_port_free(p);

	/* Cut inside the second record's header. */
	CU_ASSERT_EQUAL_FATAL(write_pcap(path, PCAP_TSTAMP_PRECISION_MICRO, DLT_EN10MB,
			r, 3), 0);
	CU_ASSERT_EQUAL_FATAL(truncate(path, 24 + 116 + 8), 0);
	p = pcap_port(path, NULL, FAB_PORT_TIMING_LINE_RATE, G100, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(fab_port_rx_burst(p, UINT64_MAX, pkts, 32), 1);
	free_all(pkts, 1);
	s = stats_of(p);
	CU_ASSERT_EQUAL(s.rx_err_file, 1);
	CU_ASSERT_TRUE(fab_port_rx_eof(p));
	fab_port_free(p);
	remove_dir(dir);
}

static void
test_pcap_corrupt_record(void)
{
	const struct rec r[] = { { 0, 0, 100, 0 }, { 0, 1, 100, 0 } };
	const uint32_t huge = 0x10000000;
	struct rte_mbuf *pkts[32];
	struct fab_port_stats s;
	struct fab_port *p;
	char dir[64], path[128];
	FILE *f;

	make_dir(dir);
	in_dir(dir, "bogus.pcap", path);
	CU_ASSERT_EQUAL_FATAL(write_pcap(path, PCAP_TSTAMP_PRECISION_MICRO, DLT_EN10MB,
			r, 2), 0);
	/* The second record claims 256 MB captured. */
	f = fopen(path, "r+b");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fseek(f, 24 + 116 + 8, SEEK_SET);
	CU_ASSERT_EQUAL(fwrite(&huge, 4, 1, f), 1);
	fclose(f);
	p = pcap_port(path, NULL, FAB_PORT_TIMING_LINE_RATE, G100, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(fab_port_rx_burst(p, UINT64_MAX, pkts, 32), 1);
	free_all(pkts, 1);
	s = stats_of(p);
	CU_ASSERT_EQUAL(s.rx_err_file, 1);
	CU_ASSERT_EQUAL(s.rx_errors, 1);
	CU_ASSERT_TRUE(fab_port_rx_eof(p));
	CU_ASSERT_PTR_NOT_NULL(strstr(fab_port_last_error(p), path));
	fab_port_free(p);
	remove_dir(dir);
}

static void
test_pcap_bad_records_skipped(void)
{
	const struct rec r[] = {
		{ 0, 0, 100, 0 },
		{ 0, 1000, 100, 60 },   /* caplen < len */
		{ 0, 2000, 70000, 0 },  /* over 65535 */
		{ 0, 3000, 100, 0 },
	};
	const struct rec first_bad[] = { { 0, 0, 100, 60 }, { 0, 5000, 100, 0 } };
	struct rte_mbuf *pkts[32];
	uint64_t at[32];
	struct fab_port_stats s;
	struct fab_port *p;
	char dir[64], path[128];

	make_dir(dir);
	in_dir(dir, "bad.pcap", path);
	CU_ASSERT_EQUAL_FATAL(write_pcap(path, PCAP_TSTAMP_PRECISION_NANO, DLT_EN10MB,
			r, 4), 0);
	p = pcap_port(path, NULL, FAB_PORT_TIMING_TRACE, G100, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL_FATAL(fab_port_rx_burst_ts(p, UINT64_MAX, pkts, at, 32), 2);
	CU_ASSERT_EQUAL(at[0], 0);
	CU_ASSERT_EQUAL(at[1], 3000000);
	CU_ASSERT_TRUE(frame_matches(pkts[0], 0, 100));
	CU_ASSERT_TRUE(frame_matches(pkts[1], 3, 100));
	free_all(pkts, 2);
	s = stats_of(p);
	CU_ASSERT_EQUAL(s.rx_packets, 2);
	CU_ASSERT_EQUAL(s.rx_err_snapped, 1);
	CU_ASSERT_EQUAL(s.rx_err_too_long, 1);
	CU_ASSERT_EQUAL(s.rx_err_file, 0);
	CU_ASSERT_EQUAL(s.rx_errors, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(fab_port_last_error(p), "record 3"));
	CU_ASSERT_TRUE(fab_port_rx_eof(p));
	fab_port_free(p);

	/* A skipped first record still sets the trace's origin. */
	CU_ASSERT_EQUAL_FATAL(write_pcap(path, PCAP_TSTAMP_PRECISION_NANO, DLT_EN10MB,
			first_bad, 2), 0);
	p = pcap_port(path, NULL, FAB_PORT_TIMING_TRACE, G100, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(fab_port_next_rx_ps(p), 5000000);
	CU_ASSERT_PTR_NOT_NULL(strstr(fab_port_last_error(p), "60 of 100"));
	fab_port_free(p);
	remove_dir(dir);
}

static void
test_pcap_empty_file(void)
{
	struct rte_mbuf *pkts[4];
	struct fab_port_stats s;
	struct fab_port *p;
	char dir[64], path[128], zero[128];
	FILE *f;

	make_dir(dir);
	in_dir(dir, "empty.pcap", path);
	CU_ASSERT_EQUAL_FATAL(write_pcap(path, PCAP_TSTAMP_PRECISION_MICRO, DLT_EN10MB,
			NULL, 0), 0);
	p = pcap_port(path, NULL, FAB_PORT_TIMING_TRACE, G100, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_TRUE(fab_port_rx_eof(p));
	CU_ASSERT_EQUAL(fab_port_next_rx_ps(p), FAB_PORT_RX_NEVER);
	CU_ASSERT_EQUAL(fab_port_rx_burst(p, UINT64_MAX, pkts, 4), 0);
	s = stats_of(p);
	CU_ASSERT_EQUAL(s.rx_packets, 0);
	CU_ASSERT_EQUAL(s.rx_errors, 0);
	fab_port_free(p);

	/* A zero-byte file is not a pcap. */
	in_dir(dir, "zero.pcap", zero);
	f = fopen(zero, "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fclose(f);
	CU_ASSERT_PTR_NULL(fab_port_create_pcap(&(struct fab_port_pcap_conf){
			.port = { .name = "zero0", .rate_bps = G100 },
			.rx_path = zero, .mempool = fab_test_pool }, err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, zero));
	remove_dir(dir);
}

static void
test_pcap_nombuf_retry(void)
{
	const struct rec r[] = { { 0, 0, 3000, 0 }, { 0, 0, 3000, 0 }, { 0, 0, 3000, 0 } };
	struct rte_mempool *tiny;
	struct rte_mbuf *pkts[32];
	uint64_t at[32];
	struct fab_port_stats s;
	struct fab_port *p;
	char dir[64], path[128];
	unsigned int i;

	/* Three mbufs; each frame needs two, so the second never fits beside the first. */
	tiny = rte_pktmbuf_pool_create("fab_port_tiny", 3, 0, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tiny);
	make_dir(dir);
	in_dir(dir, "nombuf.pcap", path);
	CU_ASSERT_EQUAL_FATAL(write_pcap(path, PCAP_TSTAMP_PRECISION_MICRO, DLT_EN10MB,
			r, 3), 0);
	p = fab_port_create_pcap(&(struct fab_port_pcap_conf){
			.port = { .name = "tiny0", .rate_bps = G100 },
			.rx_path = path, .timing = FAB_PORT_TIMING_LINE_RATE,
			.mempool = tiny }, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	for (i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL_FATAL(fab_port_rx_burst_ts(p, UINT64_MAX, pkts, at, 32), 1);
		/* the retried frame keeps its arrival time */
		CU_ASSERT_EQUAL(at[0], WIRE100_3000 * (i + 1));
		CU_ASSERT_TRUE(frame_matches(pkts[0], i, 3000));
		free_all(pkts, 1);
		s = stats_of(p);
		CU_ASSERT_EQUAL(s.rx_nombuf, i < 2 ? i + 1 : 2);
	}
	CU_ASSERT_TRUE(fab_port_rx_eof(p));
	s = stats_of(p);
	CU_ASSERT_EQUAL(s.rx_packets, 3);
	CU_ASSERT_EQUAL(s.rx_errors, 0);
	CU_ASSERT_EQUAL(rte_mempool_avail_count(tiny), 3);
	fab_port_free(p);
	rte_mempool_free(tiny);
	remove_dir(dir);
}

static void
test_pcap_no_output(void)
{
	struct rte_mbuf *pkts[2];
	struct fab_port_stats s;
	struct fab_port *p;
	unsigned int avail = rte_mempool_avail_count(fab_test_pool);
	struct rte_ether_addr mac = { { 0x02, 0, 0, 0, 0, 0x42 } }, got;

	p = fab_port_create_pcap(&(struct fab_port_pcap_conf){
			.port = { .name = "void0", .rate_bps = G25, .mac = mac },
			.max_frame_len = 9014 }, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	fab_port_mac(p, &got);
	CU_ASSERT_TRUE(rte_is_same_ether_addr(&got, &mac));
	CU_ASSERT_EQUAL(fab_port_max_frame_len(p), 9014);
	fill_frame(0, 64);
	pkts[0] = fab_test_mbuf_from(frame_buf, 64, 2048);
	pkts[1] = fab_test_mbuf_from(frame_buf, 64, 32);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pkts[0]);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pkts[1]);
	CU_ASSERT_EQUAL(fab_port_tx_burst(p, NULL, pkts, 2), 0);
	s = stats_of(p);
	CU_ASSERT_EQUAL(s.tx_no_output, 2);
	CU_ASSERT_EQUAL(s.tx_packets, 0);
	CU_ASSERT_EQUAL(s.tx_errors, 0);
	/* every mbuf handed over was freed */
	CU_ASSERT_EQUAL(rte_mempool_avail_count(fab_test_pool), avail);
	CU_ASSERT_EQUAL(fab_port_rx_hold(p, 5), 0);
	fab_port_free(p);
}

static void
test_pcap_count_records(void)
{
	const struct rec r[] = {
		{ 0, 0, 100, 0 }, { 0, 1, 100, 60 }, { 0, 2, 100, 0 },
		{ 0, 3, 100, 0 }, { 0, 4, 100, 0 },
	};
	char dir[64], path[128], missing[128];

	make_dir(dir);
	in_dir(dir, "count.pcap", path);
	CU_ASSERT_EQUAL_FATAL(write_pcap(path, PCAP_TSTAMP_PRECISION_MICRO, DLT_EN10MB,
			r, 5), 0);
	/* every record counts, as net_pcap delivers snapped ones too */
	CU_ASSERT_EQUAL(fab_pcap_count_records(path, err, sizeof(err)), 5);
	CU_ASSERT_STRING_EQUAL(err, "");
	CU_ASSERT_EQUAL(fab_pcap_count_records(path, NULL, 0), 5);

	/* cut in the fourth record: three complete ones, and a message */
	CU_ASSERT_EQUAL_FATAL(truncate(path, file_size(path) - 116 - 10), 0);
	CU_ASSERT_EQUAL(fab_pcap_count_records(path, err, sizeof(err)), 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, path));

	CU_ASSERT_EQUAL_FATAL(write_pcap(path, PCAP_TSTAMP_PRECISION_NANO, DLT_EN10MB,
			NULL, 0), 0);
	CU_ASSERT_EQUAL(fab_pcap_count_records(path, err, sizeof(err)), 0);

	in_dir(dir, "missing.pcap", missing);
	CU_ASSERT_EQUAL(fab_pcap_count_records(missing, err, sizeof(err)), -ENOENT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, missing));
	remove_dir(dir);
}

/* ------------------------------------------------------------------ */
/* Any backend through the ops table                                   */
/* ------------------------------------------------------------------ */

struct fake_backend {
	unsigned int rx_calls;
	uint64_t last_now;
	bool arrival_given;
	bool freed;
};

static uint16_t
fake_rx(void *backend, struct fab_port_stats *stats, uint64_t now,
		struct rte_mbuf **pkts __rte_unused, uint64_t *arrival_ps, uint16_t n)
{
	struct fake_backend *f = backend;

	f->rx_calls++;
	f->last_now = now;
	f->arrival_given = arrival_ps != NULL;
	stats->rx_packets += n;
	return 0;
}

static uint16_t
fake_tx(void *backend __rte_unused, struct fab_port_stats *stats,
		const uint64_t *tx_done_ps __rte_unused, struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t i;

	for (i = 0; i < n; i++)
		rte_pktmbuf_free(pkts[i]);
	stats->tx_packets += n;
	return n;
}

static void
fake_free(void *backend)
{
	((struct fake_backend *)backend)->freed = true;
}

static const struct fab_port_ops fake_ops = {
	.kind = FAB_PORT_KIND_LINK,
	.rx_burst = fake_rx,
	.tx_burst = fake_tx,
	.free = fake_free,
};

static void
test_port_ops_backend(void)
{
	struct fab_port_conf c = { .name = "link0", .rate_bps = G100 };
	struct fab_port_ops no_tx = fake_ops;
	struct fake_backend fb = { 0 };
	struct rte_ether_addr m1, m2, m3;
	struct fab_port *p, *q;
	struct rte_mbuf *pkts[4];
	uint64_t at[4];
	char longname[FAB_PORT_NAME_MAX + 1];

	p = fab_port_create_ops(&c, &fake_ops, &fb, 0, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(fab_port_kind(p), FAB_PORT_KIND_LINK);
	CU_ASSERT_STRING_EQUAL(fab_port_kind_name(FAB_PORT_KIND_LINK), "link");
	CU_ASSERT_STRING_EQUAL(fab_port_kind_name(FAB_PORT_KIND_MAX), "unknown");
	CU_ASSERT_EQUAL(fab_port_rx_burst(p, 42, pkts, 4), 0);
	CU_ASSERT_EQUAL(fb.last_now, 42);
	CU_ASSERT_FALSE(fb.arrival_given);
	CU_ASSERT_EQUAL(fab_port_rx_burst_ts(p, 43, pkts, at, 4), 0);
	CU_ASSERT_EQUAL(fb.rx_calls, 2);
	CU_ASSERT_TRUE(fb.arrival_given);
	CU_ASSERT_EQUAL(stats_of(p).rx_packets, 8);
	/* the defaults of the optional operations */
	CU_ASSERT_EQUAL(fab_port_next_rx_ps(p), FAB_PORT_RX_POLL);
	CU_ASSERT_FALSE(fab_port_rx_eof(p));
	CU_ASSERT_EQUAL(fab_port_rx_hold(p, 1), -ENOTSUP);
	CU_ASSERT_EQUAL(fab_port_flush(p), 0);
	CU_ASSERT_STRING_EQUAL(fab_port_last_error(p), "");
	CU_ASSERT_EQUAL(fab_port_ethdev_id(p), -ENOTSUP);
	CU_ASSERT_EQUAL(fab_port_max_frame_len(p), FAB_PORT_DEFAULT_MAX_FRAME);
	CU_ASSERT_EQUAL(fab_port_stats(p, NULL), -EINVAL);
	/* a backend without tx_burst_bytes gets the frames through tx_burst */
	CU_ASSERT_EQUAL_FATAL(rte_pktmbuf_alloc_bulk(fab_test_pool, pkts, 2), 0);
	CU_ASSERT_EQUAL(fab_port_tx_burst_bytes(p, NULL, pkts, 2, 12345), 2);
	CU_ASSERT_EQUAL(stats_of(p).tx_packets, 2);

	/* a MAC derived from the name: locally administered, reproducible */
	fab_port_mac(p, &m1);
	q = fab_port_create_ops(&c, &fake_ops, &fb, 9014, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	fab_port_mac(q, &m2);
	CU_ASSERT_EQUAL(fab_port_max_frame_len(q), 9014);
	fab_port_free(q);
	c.name = "link1";
	q = fab_port_create_ops(&c, &fake_ops, &fb, 0, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	fab_port_mac(q, &m3);
	fab_port_free(q);
	CU_ASSERT_EQUAL(m1.addr_bytes[0], 0x02);
	CU_ASSERT_TRUE(rte_is_same_ether_addr(&m1, &m2));
	CU_ASSERT_FALSE(rte_is_same_ether_addr(&m1, &m3));

	fb.freed = false;
	fab_port_free(p);
	CU_ASSERT_TRUE(fb.freed);

	/* invalid: missing operation, long name, no rate (backend released) */
	no_tx.tx_burst = NULL;
	CU_ASSERT_PTR_NULL(fab_port_create_ops(&c, &no_tx, &fb, 0, err, sizeof(err)));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);
	CU_ASSERT_PTR_NULL(fab_port_create_ops(&c, NULL, &fb, 0, err, sizeof(err)));
	memset(longname, 'x', FAB_PORT_NAME_MAX);
	longname[FAB_PORT_NAME_MAX] = '\0';
	c.name = longname;
	fb.freed = false;
	CU_ASSERT_PTR_NULL(fab_port_create_ops(&c, &fake_ops, &fb, 0, err, sizeof(err)));
	CU_ASSERT_TRUE(fb.freed);
	c.name = "link2";
	c.rate_bps = 0;
	fb.freed = false;
	CU_ASSERT_PTR_NULL(fab_port_create_ops(&c, &fake_ops, &fb, 0, err, sizeof(err)));
	CU_ASSERT_TRUE(fb.freed);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "link2"));
}

/* ------------------------------------------------------------------ */
/* ethdev backend                                                      */
/* ------------------------------------------------------------------ */

static struct fab_port *
ethdev_port(const char *device, const char *devargs, uint32_t max_frame)
{
	struct fab_port_ethdev_conf c = {
		.port = { .name = "e0" },
		.device = device,
		.devargs = devargs,
		.mempool = fab_test_pool,
		.max_frame_len = max_frame,
	};
	struct fab_port *p = fab_port_create_ethdev(&c, err, sizeof(err));

	if (p == NULL)
		fprintf(stderr, "\n  %s\n", err);
	return p;
}

static void
test_ethdev_invalid(void)
{
	struct fab_port_ethdev_conf c = {
		.port = { .name = "e9" },
		.device = "net_bogus0",
		.mempool = fab_test_pool,
	};
	uint16_t pid;

	CU_ASSERT_PTR_NULL(fab_port_create_ethdev(&c, err, sizeof(err)));
	CU_ASSERT_EQUAL(rte_errno, ENODEV);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "net_bogus0"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "e9"));

	/* no driver for it: the DPDK error is named */
	c.devargs = "net_bogus0";
	CU_ASSERT_PTR_NULL(fab_port_create_ethdev(&c, err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "net_bogus0"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "cannot plug"));

	/* an index with no port */
	c.device = "31";
	c.devargs = NULL;
	CU_ASSERT_PTR_NULL(fab_port_create_ethdev(&c, err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "index 31"));

	/* no pool; no conf */
	c.device = "net_null9";
	c.mempool = NULL;
	CU_ASSERT_PTR_NULL(fab_port_create_ethdev(&c, err, sizeof(err)));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);
	CU_ASSERT_PTR_NULL(fab_port_create_ethdev(NULL, err, sizeof(err)));

	/* a frame limit under a header: the device the port plugged is unplugged */
	c.mempool = fab_test_pool;
	c.devargs = "net_null9";
	c.max_frame_len = 10;
	CU_ASSERT_PTR_NULL(fab_port_create_ethdev(&c, err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "max_frame_len"));
	CU_ASSERT_NOT_EQUAL(rte_eth_dev_get_port_by_name("net_null9", &pid), 0);
}

static void
test_ethdev_null(void)
{
	struct rte_mbuf *pkts[8];
	struct rte_eth_stats es;
	struct fab_port_stats s;
	struct fab_port *p;
	uint64_t at[8];
	uint16_t pid;
	unsigned int i;

	p = ethdev_port("net_null0", "net_null0", 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(fab_port_kind(p), FAB_PORT_KIND_ETHDEV);
	CU_ASSERT_EQUAL(rte_eth_dev_get_port_by_name("net_null0", &pid), 0);
	CU_ASSERT_EQUAL(fab_port_ethdev_id(p), pid);
	/* rate 0 took the link speed the PMD reports */
	{
		struct rte_eth_link link;

		CU_ASSERT_EQUAL(rte_eth_link_get_nowait(pid, &link), 0);
		CU_ASSERT_EQUAL(fab_port_rate_bps(p), (uint64_t)link.link_speed * 1000000);
	}
	CU_ASSERT_EQUAL(fab_port_next_rx_ps(p), FAB_PORT_RX_POLL);
	CU_ASSERT_FALSE(fab_port_rx_eof(p));
	CU_ASSERT_EQUAL(fab_port_rx_hold(p, 1000), -ENOTSUP);
	/*
	 * net_null states no receive limit of its own, so its frames are bounded
	 * by the largest MTU DPDK allows (65535) plus the Ethernet header; an
	 * unknown device leaves the wish as it is.
	 */
	CU_ASSERT_EQUAL(fab_port_ethdev_frame_limit(pid, 9014), 9014);
	CU_ASSERT_EQUAL(fab_port_ethdev_frame_limit(pid, 100000), 65535 + 14);
	CU_ASSERT_EQUAL(fab_port_ethdev_frame_limit(RTE_MAX_ETHPORTS - 1, 100000), 100000);

	/* net_null makes a 64-byte frame for every buffer offered */
	CU_ASSERT_EQUAL_FATAL(fab_port_rx_burst_ts(p, 777, pkts, at, 8), 8);
	CU_ASSERT_EQUAL(at[7], 777);
	CU_ASSERT_EQUAL(fab_port_tx_burst(p, NULL, pkts, 5), 5);
	free_all(pkts + 5, 3);
	s = stats_of(p);
	CU_ASSERT_EQUAL(s.rx_packets, 8);
	CU_ASSERT_EQUAL(s.rx_bytes, 8 * 64);
	CU_ASSERT_EQUAL(s.tx_packets, 5);
	CU_ASSERT_EQUAL(s.tx_bytes, 5 * 64);
	CU_ASSERT_EQUAL(s.tx_errors, 0);
	CU_ASSERT_EQUAL(fab_port_ethdev_stats(p, &es), 0);
	CU_ASSERT_EQUAL(es.ipackets, 8);
	CU_ASSERT_EQUAL(es.opackets, 5);
	CU_ASSERT_EQUAL(es.imissed, 0);
	fab_port_free(p);

	/* freed and unplugged: the same device can be plugged again */
	CU_ASSERT_NOT_EQUAL(rte_eth_dev_get_port_by_name("net_null0", &pid), 0);
	for (i = 0; i < 2; i++) {
		p = ethdev_port("net_null0", "net_null0", 9014);
		CU_ASSERT_PTR_NOT_NULL_FATAL(p);
		CU_ASSERT_EQUAL(fab_port_max_frame_len(p), 9014);
		fab_port_free(p);
	}
}

static void
test_ethdev_by_index(void)
{
	struct fab_port_ethdev_conf c = {
		.port = { .name = "idx0", .rate_bps = G25 },
		.mempool = fab_test_pool,
	};
	struct rte_ether_addr dev_mac, mac;
	struct rte_eth_dev_info info;
	struct rte_device *dev;
	struct fab_port *p;
	char idx[8];
	uint16_t pid;

	CU_ASSERT_EQUAL_FATAL(rte_dev_probe("net_null1"), 0);
	CU_ASSERT_EQUAL_FATAL(rte_eth_dev_get_port_by_name("net_null1", &pid), 0);
	CU_ASSERT_EQUAL_FATAL(rte_eth_dev_info_get(pid, &info), 0);
	dev = info.device;
	rte_eth_macaddr_get(pid, &dev_mac);

	c.port_id = pid;
	p = fab_port_create_ethdev(&c, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(fab_port_ethdev_id(p), pid);
	CU_ASSERT_EQUAL(fab_port_rate_bps(p), G25);
	fab_port_mac(p, &mac);
	CU_ASSERT_TRUE(rte_is_same_ether_addr(&mac, &dev_mac));
	CU_ASSERT_STRING_EQUAL(fab_port_name(p), "idx0");
	fab_port_free(p);
	CU_ASSERT_EQUAL(rte_dev_remove(dev), 0);

	/* the index as a string */
	CU_ASSERT_EQUAL_FATAL(rte_dev_probe("net_null1"), 0);
	CU_ASSERT_EQUAL_FATAL(rte_eth_dev_get_port_by_name("net_null1", &pid), 0);
	CU_ASSERT_EQUAL_FATAL(rte_eth_dev_info_get(pid, &info), 0);
	dev = info.device;
	snprintf(idx, sizeof(idx), "%u", pid);
	c.device = idx;
	c.port_id = 0xffff;
	p = fab_port_create_ethdev(&c, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(fab_port_ethdev_id(p), pid);
	fab_port_free(p);
	CU_ASSERT_EQUAL(rte_dev_remove(dev), 0);
}

static void
test_ethdev_ring_loopback(void)
{
	struct rte_mbuf *pkts[32];
	struct fab_port_stats s;
	struct fab_port *p;
	unsigned int avail = rte_mempool_avail_count(fab_test_pool);
	uint64_t sent_total = 0, got = 0;
	uint16_t sent = 32, nb, i;
	unsigned int rounds = 0;

	/* A net_ring device made without arguments loops its tx ring to rx. */
	p = ethdev_port("net_ring0", "net_ring0", 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	for (i = 0; i < 4; i++) {
		fill_frame(i, 60 + 100 * i);
		pkts[i] = fab_test_mbuf_from(frame_buf, 60 + 100 * i, 2048);
		CU_ASSERT_PTR_NOT_NULL_FATAL(pkts[i]);
	}
	CU_ASSERT_EQUAL(fab_port_tx_burst(p, NULL, pkts, 4), 4);
	CU_ASSERT_EQUAL_FATAL(fab_port_rx_burst(p, 0, pkts, 32), 4);
	for (i = 0; i < 4; i++)
		CU_ASSERT_TRUE(frame_matches(pkts[i], i, 60 + 100 * i));
	free_all(pkts, 4);
	s = stats_of(p);
	CU_ASSERT_EQUAL(s.tx_packets, 4);
	CU_ASSERT_EQUAL(s.tx_bytes, 60 + 160 + 260 + 360);
	CU_ASSERT_EQUAL(s.rx_packets, 4);
	CU_ASSERT_EQUAL(s.rx_bytes, 60 + 160 + 260 + 360);

	/* Fill the ring: what the PMD does not take is freed and counted. */
	while (sent == 32 && rounds++ < 1000) {
		for (i = 0; i < 32; i++) {
			pkts[i] = fab_test_mbuf_from(frame_buf, 60, 2048);
			CU_ASSERT_PTR_NOT_NULL_FATAL(pkts[i]);
		}
		/* the caller's sum: what the PMD refuses comes off it */
		sent = fab_port_tx_burst_bytes(p, NULL, pkts, 32, 32 * 60);
		sent_total += sent;
	}
	CU_ASSERT_TRUE_FATAL(sent < 32);
	s = stats_of(p);
	CU_ASSERT_EQUAL(s.tx_errors, 32u - sent);
	CU_ASSERT_EQUAL(s.tx_packets, 4 + sent_total);
	CU_ASSERT_EQUAL(s.tx_bytes, 60 + 160 + 260 + 360 + 60 * sent_total);
	while ((nb = fab_port_rx_burst(p, 0, pkts, 32)) > 0) {
		got += nb;
		free_all(pkts, nb);
	}
	CU_ASSERT_EQUAL(got, sent_total);
	CU_ASSERT_EQUAL(rte_mempool_avail_count(fab_test_pool), avail);
	fab_port_free(p);
}

static void
test_ethdev_pcap_vdev(void)
{
	const struct rec r[] = { { 0, 0, 64, 0 }, { 0, 1, 9000, 0 }, { 0, 2, 1000, 0 } };
	struct rte_mbuf *pkts[32];
	struct pcap_pkthdr *h;
	const u_char *data;
	struct fab_port_stats s;
	struct rte_eth_stats es;
	struct fab_port *p;
	char dir[64], in[128], out[128], devargs[512], ebuf[PCAP_ERRBUF_SIZE];
	unsigned int got = 0, polls = 0, i;
	pcap_t *rd;

	make_dir(dir);
	in_dir(dir, "in.pcap", in);
	in_dir(dir, "out.pcap", out);
	CU_ASSERT_EQUAL_FATAL(write_pcap(in, PCAP_TSTAMP_PRECISION_MICRO, DLT_EN10MB,
			r, 3), 0);
	CU_ASSERT_EQUAL(fab_pcap_count_records(in, err, sizeof(err)), 3);
	snprintf(devargs, sizeof(devargs), "net_pcap0,rx_pcap=%s,tx_pcap=%s", in, out);
	p = ethdev_port("net_pcap0", devargs, 9014);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	/* Real time: poll a bounded number of times, assert only counts. */
	while (got < 3 && polls++ < 100000)
		got += fab_port_rx_burst(p, 0, pkts + got, (uint16_t)(32 - got));
	CU_ASSERT_EQUAL_FATAL(got, 3);
	for (i = 0; i < 3; i++)
		CU_ASSERT_TRUE(frame_matches(pkts[i], i, r[i].len));
	/* the jumbo frame arrived as a chain */
	CU_ASSERT_TRUE(pkts[1]->nb_segs > 1);
	CU_ASSERT_EQUAL(fab_port_tx_burst(p, NULL, pkts, 3), 3);
	s = stats_of(p);
	CU_ASSERT_EQUAL(s.rx_packets, 3);
	CU_ASSERT_EQUAL(s.rx_bytes, 64 + 9000 + 1000);
	CU_ASSERT_EQUAL(s.tx_packets, 3);
	CU_ASSERT_EQUAL(s.rx_nombuf, 0);
	/*
	 * net_pcap counts bytes itself, so rx_bytes above is its count (the
	 * port stopped summing); net_null and net_ring count none, and their
	 * tests above check the port's own sums.
	 */
	CU_ASSERT_EQUAL(fab_port_ethdev_stats(p, &es), 0);
	CU_ASSERT_EQUAL(es.ibytes, 64 + 9000 + 1000);
	CU_ASSERT_EQUAL(es.ibytes, s.rx_bytes);
	fab_port_free(p); /* closes the device, which closes its files */

	CU_ASSERT_EQUAL(fab_pcap_count_records(out, err, sizeof(err)), 3);
	rd = pcap_open_offline(out, ebuf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	CU_ASSERT_EQUAL(pcap_next_ex(rd, &h, &data), 1);
	CU_ASSERT_EQUAL_FATAL(pcap_next_ex(rd, &h, &data), 1);
	CU_ASSERT_EQUAL(h->caplen, 9000);
	fill_frame(1, 9000);
	CU_ASSERT_EQUAL(memcmp(data, frame_buf, 9000), 0);
	pcap_close(rd);
	remove_dir(dir);
}

int
fab_suite_port(void)
{
	CU_pSuite s = fab_test_add_suite("port");

	if (s == NULL)
		return -1;
	FAB_ADD_TEST(s, test_pcap_invalid_create);
	FAB_ADD_TEST(s, test_pcap_missing_file);
	FAB_ADD_TEST(s, test_pcap_not_ethernet);
	FAB_ADD_TEST(s, test_pcap_trace_timing_ns);
	FAB_ADD_TEST(s, test_pcap_trace_timing_us);
	FAB_ADD_TEST(s, test_pcap_line_rate);
	FAB_ADD_TEST(s, test_pcap_burst_limit);
	FAB_ADD_TEST(s, test_pcap_stretch_dense_trace);
	FAB_ADD_TEST(s, test_pcap_hold);
	FAB_ADD_TEST(s, test_pcap_jumbo_roundtrip);
	FAB_ADD_TEST(s, test_pcap_tx_timestamps);
	FAB_ADD_TEST(s, test_pcap_truncated_file);
	FAB_ADD_TEST(s, test_pcap_corrupt_record);
	FAB_ADD_TEST(s, test_pcap_bad_records_skipped);
	FAB_ADD_TEST(s, test_pcap_empty_file);
	FAB_ADD_TEST(s, test_pcap_nombuf_retry);
	FAB_ADD_TEST(s, test_pcap_no_output);
	FAB_ADD_TEST(s, test_pcap_count_records);
	FAB_ADD_TEST(s, test_port_ops_backend);
	FAB_ADD_TEST(s, test_ethdev_invalid);
	FAB_ADD_TEST(s, test_ethdev_null);
	FAB_ADD_TEST(s, test_ethdev_by_index);
	FAB_ADD_TEST(s, test_ethdev_ring_loopback);
	FAB_ADD_TEST(s, test_ethdev_pcap_vdev);
	return 0;
}
