/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/* lib/run: scenario to fabric, summary.json, flows.csv, pcap taps, percentiles. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <inttypes.h>

#include <rte_errno.h>

#include "fab_test.h"
#include "fab_run.h"
#include "fab_run_csv.h"

/* Two hosts on one switch, 64 KiB in 1 KiB packets: 64 frames, nothing congests. */
static const char two_hosts[] =
	"scenario: { name: pair, seed: 3 }\n"
	"topology:\n"
	"  nodes:\n"
	"    - { name: h0, kind: host }\n"
	"    - { name: s1, kind: switch }\n"
	"    - { name: h1, kind: host }\n"
	"  links:\n"
	"    - { a: h0, b: s1, delay: 1us }\n"
	"    - { a: s1, b: h1, delay: 1us }\n"
	"traffic:\n"
	"  mtu: 1024\n"
	"  flows:\n"
	"    - { from: h0, to: h1, bytes: 64KB, rate: 100G, start: 0, dscp: 26, ect: true }\n"
	"run: { end: done, tap: [s1:h1--h1:eth0] }\n";

static void
load(struct fab_scenario *s, const char *text)
{
	char err[512] = "";
	int ret = fab_scenario_load_string("pair.yaml", text, "/tmp", s, err, sizeof(err));

	if (ret != 0)
		fprintf(stderr, "%s\n", err);
	CU_ASSERT_FATAL(ret == 0);
}

static void
test_percentile(void)
{
	const uint64_t v[10] = { 10, 20, 30, 40, 50, 60, 70, 80, 90, 100 };
	const uint64_t one[1] = { 7 };

	CU_ASSERT_EQUAL(fab_run_percentile(v, 10, 50), 50);
	CU_ASSERT_EQUAL(fab_run_percentile(v, 10, 99), 100);
	CU_ASSERT_EQUAL(fab_run_percentile(v, 10, 90), 90);
	CU_ASSERT_EQUAL(fab_run_percentile(v, 10, 91), 100);
	CU_ASSERT_EQUAL(fab_run_percentile(v, 10, 0), 10);
	CU_ASSERT_EQUAL(fab_run_percentile(v, 10, 250), 100);
	CU_ASSERT_EQUAL(fab_run_percentile(one, 1, 50), 7);
	CU_ASSERT_EQUAL(fab_run_percentile(NULL, 0, 50), 0);
}

static void
test_memory(void)
{
	struct fab_scenario s;
	uint64_t small, big;
	char *text;

	load(&s, two_hosts);
	small = fab_run_memory_bytes(&s);
	fab_scenario_free(&s);
	/*
	 * A bigger switch buffer needs no more EAL memory (frames live in
	 * pools of their own); a longer link does.
	 */
	text = malloc(sizeof(two_hosts) + 256);
	CU_ASSERT_FATAL(text != NULL);
	snprintf(text, sizeof(two_hosts) + 256, "%s", two_hosts);
	strcpy(strstr(text, "    - { name: s1, kind: switch }\n"),
		"    - { name: s1, kind: switch, profile: big }\n");
	strcat(text, strstr(two_hosts, "    - { name: h1, kind: host }\n"));
	strcat(text, "profiles: { big: { buffer: { pool: 32MB } } }\n");
	load(&s, text);
	big = fab_run_memory_bytes(&s);
	fab_scenario_free(&s);
	CU_ASSERT_EQUAL(big, small);
	/* A 1 ms link holds 142k minimum-size frames each way: 2 x 256k slots. */
	snprintf(text, sizeof(two_hosts) + 256, "%s", two_hosts);
	memcpy(strstr(text, "b: h1, delay: 1us"), "b: h1, delay: 1ms", 17);
	load(&s, text);
	big = fab_run_memory_bytes(&s);
	fab_scenario_free(&s);
	CU_ASSERT(big >= small + 2 * (UINT64_C(256) << 10) * 16);
	free(text);
	CU_ASSERT(small > (UINT64_C(96) << 20));
	CU_ASSERT(small < (UINT64_C(128) << 20));
}

static char *
slurp(FILE *f)
{
	long n;
	char *buf;

	fflush(f);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n)
		buf[0] = '\0';
	return buf;
}

static void
test_build_run_write(void)
{
	char err[512] = "", dir[] = "/tmp/fab-run-test-XXXXXX", path[512];
	struct fab_run_opts opts = { 0 };
	struct fab_run_info info = { .seed = 3, .wall_time_s = 0.5 };
	struct fab_run_taps *taps;
	struct fab_run_writer *w;
	struct fab_fabric_totals t;
	struct fab_fabric *fab;
	struct fab_scenario s;
	struct stat st;
	char *text;
	FILE *f;

	load(&s, two_hosts);
	CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
	fab = fab_run_build(&s, &opts, err, sizeof(err));
	CU_ASSERT_FATAL(fab != NULL);
	/* Handles are model indexes: nodes sorted by name. */
	CU_ASSERT_STRING_EQUAL(fab_fabric_node_name(fab, 0), "h0");
	CU_ASSERT_STRING_EQUAL(fab_fabric_node_name(fab, 1), "h1");
	CU_ASSERT_STRING_EQUAL(fab_fabric_node_name(fab, 2), "s1");
	CU_ASSERT_EQUAL(fab_fabric_nb_links(fab), 2);
	CU_ASSERT_EQUAL(fab_fabric_nb_flows(fab), 1);
	CU_ASSERT_FATAL(fab_fabric_start(fab) == 0);
	w = fab_run_writer_create(4096, 2);
	CU_ASSERT_FATAL(w != NULL);
	taps = fab_run_taps_open(&s, fab, w, dir, NULL, err, sizeof(err));
	CU_ASSERT_FATAL(taps != NULL);
	CU_ASSERT_EQUAL(fab_fabric_run(fab, UINT64_MAX), 0);
	CU_ASSERT_EQUAL(fab_run_taps_close(taps, fab), 0);
	CU_ASSERT_EQUAL(fab_run_writer_free(w), 0);
	CU_ASSERT_EQUAL(fab_fabric_totals(fab, &t), 0);
	CU_ASSERT_EQUAL(t.host_tx, 64);
	CU_ASSERT_EQUAL(t.host_rx, 64);
	CU_ASSERT_EQUAL(t.in_flight, 0);
	/*
	 * 64 frames of 14 + 20 + 8 + 12 + 1024 + 4 (ICRC) bytes, the first with a
	 * 16-byte RETH, each with a 16-byte record header; a 24-byte file header.
	 */
	snprintf(path, sizeof(path), "%s/h1:eth0--s1:h1.pcap", dir);
	CU_ASSERT_FATAL(stat(path, &st) == 0);
	CU_ASSERT_EQUAL(st.st_size, 24 + 64 * (16 + 1082) + 16);
	unlink(path);
	rmdir(dir);

	f = tmpfile();
	CU_ASSERT_FATAL(f != NULL);
	CU_ASSERT_EQUAL(fab_run_write_summary(f, &s, fab, &info), 0);
	text = slurp(f);
	fclose(f);
	CU_ASSERT_FATAL(text != NULL);
	CU_ASSERT(strstr(text, "\"scenario\": \"pair\",") != NULL);
	CU_ASSERT(strstr(text, "\"seed\": 3,") != NULL);
	CU_ASSERT(strstr(text, "\"wall_time_s\": 0.500000,") != NULL);
	CU_ASSERT(strstr(text, "\"packet_hops\": 64,") != NULL);
	CU_ASSERT(strstr(text, "{\"name\": \"h1\", \"peer\": \"h1:eth0\", \"link\": "
		"\"h1:eth0--s1:h1\", \"rate_bps\": 100000000000,") != NULL);
	CU_ASSERT(strstr(text, "\"tx_pkts\": 64, \"tx_bytes\": 69264,") != NULL);
	CU_ASSERT(strstr(text, "\"flows\": {\"count\": 1, \"done\": 1,") != NULL);
	CU_ASSERT(strstr(text, "\"drops\": 0, \"switch_drops\": 0,") != NULL);
	CU_ASSERT(strstr(text, "\"host_tx_frames\": 64, \"host_rx_frames\": 64, "
		"\"in_flight\": 0,") != NULL);
	free(text);

	f = tmpfile();
	CU_ASSERT_FATAL(f != NULL);
	CU_ASSERT_EQUAL(fab_run_write_flows(f, &s, fab), 0);
	text = slurp(f);
	fclose(f);
	CU_ASSERT_FATAL(text != NULL);
	{
		static const char head[] = "src,dst,bytes,start_ns,first_ns,last_ns,fct_ns,frames,"
			"ce_marked,job,round,transfer,src_rank,dst_rank,qpn,sport,retx_pkts,cnps,status\n"
			"h0,h1,65536,0,";

		CU_ASSERT(strncmp(text, head, sizeof(head) - 1) == 0);
	}
	/* A simple flow leaves the generator's columns empty. */
	CU_ASSERT(strstr(text, ",64,0" ",,,,,,,,,," "\n") != NULL);
	free(text);
	fab_fabric_free(fab);
	fab_scenario_free(&s);
}

static void
test_free_null(void)
{
	CU_ASSERT_EQUAL(fab_run_taps_close(NULL, NULL), 0);
	CU_ASSERT_EQUAL(fab_run_series_close(NULL), 0);
	CU_ASSERT_EQUAL(fab_run_taps_pfc_frames(NULL), 0);
}

/* A whole file back, NUL-terminated; *n its size. */
static char *
read_back(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long len;

	*n = 0;
	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = calloc(1, (size_t)len + 1);
		if (buf != NULL && fread(buf, 1, (size_t)len, f) == (size_t)len)
			*n = (size_t)len;
	}
	fclose(f);
	return buf;
}

/* The time series' rows: the text fprintf() gives for the same fields, or nothing at all. */
static void
test_csv_row_equals_printf(void)
{
	static const uint64_t edge[] = { 0, 1, 9, 10, 99, 999, 1000, 1001, 9999, 10000,
		123456789, UINT32_MAX, (uint64_t)UINT32_MAX + 1, UINT64_MAX / 10, UINT64_MAX - 1,
		UINT64_MAX };
	char dir[] = "/tmp/fab-csv-test-XXXXXX", path[512], big[FAB_CSV_ROW_MAX], *got;
	size_t cap = 4000 * 128 + 2 * FAB_CSV_ROW_MAX, len = 0, n;
	char *want = malloc(cap);
	uint64_t x = 0x9e3779b97f4a7c15ull;
	struct fab_run_writer *w;
	struct fab_run_file *f;
	struct fab_csv_row r;
	unsigned int i;

	CU_ASSERT_FATAL(want != NULL);
	CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/rows.csv", dir);
	/* Small chunks: rows cross them. */
	w = fab_run_writer_create(1000, 3);
	CU_ASSERT_FATAL(w != NULL);
	f = fab_run_file_open(w, path);
	CU_ASSERT_FATAL(f != NULL);
	for (i = 0; i < 4000; i++) {
		uint64_t a, b;

		if (i < RTE_DIM(edge) * RTE_DIM(edge)) {
			a = edge[i / RTE_DIM(edge)];
			b = edge[i % RTE_DIM(edge)];
		} else {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			/* Numbers of every length, not only 19 and 20 digits. */
			a = x >> (x & 63);
			b = x >> ((x >> 6) & 63);
		}
		len += (size_t)snprintf(want + len, cap - len, "%" PRIu64 ",leaf1,h1_1:eth0,%" PRIu64
			".%03" PRIu64 ",%" PRIu64 "\n", a, b / 1000u, b % 1000u, a ^ b);
		fab_csv_begin(&r);
		fab_csv_u64(&r, a);
		fab_csv_char(&r, ',');
		fab_csv_str(&r, "leaf1");
		fab_csv_next_str(&r, "h1_1:eth0");
		fab_csv_char(&r, ',');
		fab_csv_milli(&r, b);
		fab_csv_next_u64(&r, a ^ b);
		CU_ASSERT_EQUAL(fab_csv_end(&r, f), 0);
	}

	/* A row that does not fit is refused whole, never written cut short. */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	fab_csv_begin(&r);
	fab_csv_str(&r, "12,");
	fab_csv_str(&r, big);
	CU_ASSERT_EQUAL(fab_csv_end(&r, f), -EOVERFLOW);
	/* Exactly full, newline included, still goes out. */
	fab_csv_begin(&r);
	fab_csv_str(&r, big);
	CU_ASSERT_EQUAL(fab_csv_end(&r, f), 0);
	len += (size_t)snprintf(want + len, cap - len, "%s\n", big);
	CU_ASSERT_EQUAL(fab_run_file_close(f), 0);
	CU_ASSERT_EQUAL(fab_run_writer_free(w), 0);

	got = read_back(path, &n);
	CU_ASSERT_FATAL(got != NULL);
	CU_ASSERT_EQUAL(n, len);
	CU_ASSERT(n == len && memcmp(got, want, len) == 0);
	free(got);
	free(want);
	unlink(path);
	rmdir(dir);
}

/* Byte i of stream k: a pattern with no period near a chunk's size. */
static uint8_t
stream_byte(unsigned int k, size_t i)
{
	return (uint8_t)((i * 2654435761u) >> (13 + k) ^ (i / 251u) ^ k);
}

/*
 * The writer: files interleaved in chunks smaller than the writes, with two
 * chunks for three files so the loop waits for the thread, come out whole
 * and in order; a flush puts everything written so far on disk; freeing the
 * writer closes what is still open.
 */
static void
test_writer_order_flush_free(void)
{
	char dir[] = "/tmp/fab-writer-test-XXXXXX", path[3][512];
	struct fab_run_file *f[3];
	struct fab_run_writer *w;
	size_t off[3] = { 0, 0, 0 }, total = 300000, n;
	uint32_t x = 12345;
	unsigned int k;
	uint8_t buf[1500];
	struct stat st;

	CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
	w = fab_run_writer_create(777, 2);
	CU_ASSERT_FATAL(w != NULL);
	for (k = 0; k < 3; k++) {
		snprintf(path[k], sizeof(path[k]), "%s/f%u", dir, k);
		f[k] = fab_run_file_open(w, path[k]);
		CU_ASSERT_FATAL(f[k] != NULL);
	}
	while (off[0] < total || off[1] < total || off[2] < total) {
		size_t i, len;

		x = x * 1103515245u + 12345u;
		k = (x >> 16) % 3;
		len = RTE_MIN((size_t)((x >> 4) % sizeof(buf)) + 1, total - off[k]);
		for (i = 0; i < len; i++)
			buf[i] = stream_byte(k, off[k] + i);
		fab_run_file_write(f[k], buf, len);
		off[k] += len;
		if (off[0] == total / 2 && k == 0) {
			CU_ASSERT_EQUAL(fab_run_writer_flush(w), 0);
			CU_ASSERT(stat(path[0], &st) == 0 && (size_t)st.st_size == total / 2);
		}
	}
	CU_ASSERT_EQUAL(fab_run_writer_flush(w), 0);
	for (k = 0; k < 3; k++)
		CU_ASSERT(stat(path[k], &st) == 0 && (size_t)st.st_size == total);
	CU_ASSERT_EQUAL(fab_run_file_close(f[1]), 0);
	/* f[0] and f[2] are closed by the writer's free. */
	CU_ASSERT_EQUAL(fab_run_writer_free(w), 0);
	for (k = 0; k < 3; k++) {
		char *got = read_back(path[k], &n);
		size_t i, bad = 0;

		CU_ASSERT_FATAL(got != NULL);
		CU_ASSERT_EQUAL(n, total);
		for (i = 0; i < n; i++)
			bad += (uint8_t)got[i] != stream_byte(k, i);
		CU_ASSERT_EQUAL(bad, 0);
		free(got);
		unlink(path[k]);
	}
	rmdir(dir);
}

/* A file that cannot be written says so: at flush, at close, never silently. */
static void
test_writer_errors(void)
{
	static uint8_t block[64 << 10];
	struct fab_run_writer *w = fab_run_writer_create(16 << 10, 4);
	struct fab_run_file *f;
	unsigned int i;

	CU_ASSERT_FATAL(w != NULL);
	CU_ASSERT_PTR_NULL(fab_run_file_open(w, "/nonexistent-dir/x.pcap"));
	CU_ASSERT_EQUAL(rte_errno, ENOENT);
	CU_ASSERT_PTR_NULL(fab_run_file_open(NULL, "/tmp/x"));
	CU_ASSERT_PTR_NULL(fab_run_writer_create(0, 4));
	CU_ASSERT_PTR_NULL(fab_run_writer_create(4096, 1));
	f = fab_run_file_open(w, "/dev/full");
	CU_ASSERT_FATAL(f != NULL);
	for (i = 0; i < 16; i++)
		fab_run_file_write(f, block, sizeof(block));
	CU_ASSERT_EQUAL(fab_run_writer_flush(w), -ENOSPC);
	CU_ASSERT_EQUAL(fab_run_file_error(f), -ENOSPC);
	CU_ASSERT_EQUAL(fab_run_file_close(f), -ENOSPC);
	CU_ASSERT_EQUAL(fab_run_file_error(NULL), 0);
	CU_ASSERT_EQUAL(fab_run_file_close(NULL), 0);
	CU_ASSERT_EQUAL(fab_run_writer_free(w), 0);
	CU_ASSERT_EQUAL(fab_run_writer_free(NULL), 0);
	CU_ASSERT_EQUAL(fab_run_writer_flush(NULL), 0);
}

int
fab_suite_run(void)
{
	CU_pSuite s = fab_test_add_suite("run");

	if (s == NULL)
		return -1;
	FAB_ADD_TEST(s, test_percentile);
	FAB_ADD_TEST(s, test_memory);
	FAB_ADD_TEST(s, test_build_run_write);
	FAB_ADD_TEST(s, test_free_null);
	FAB_ADD_TEST(s, test_csv_row_equals_printf);
	FAB_ADD_TEST(s, test_writer_order_flush_free);
	FAB_ADD_TEST(s, test_writer_errors);
	return 0;
}
