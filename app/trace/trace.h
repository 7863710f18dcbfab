/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef ROCEFAB_TRACE_H
#define ROCEFAB_TRACE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <fab_pkt.h>

struct trace_writer;

/* One trace being written: its file, the time its wire is busy until, a frame buffer. */
struct trace_sample {
	struct trace_writer *w;
	uint64_t t_ps;
	uint8_t frame[10000];
	int frames;
};

/* Write @p len bytes as the next frame, after the previous one at 100 Gb/s. */
int trace_emit(struct trace_sample *s, const void *f, int len);
/* Payload bytes derived from (QPN, PSN), as the generator will write them. */
const uint8_t *trace_pattern(uint32_t qpn, uint32_t psn, uint32_t len);
/* One RDMA WRITE message in MTU-sized packets (4096); returns the next PSN. */
uint32_t trace_write_message(struct trace_sample *s, const struct fab_roce_addr *a,
		uint32_t qpn, uint32_t psn, uint32_t bytes, uint64_t vaddr);
/* Open @p path, run @p make on it, close. 0 or 2. */
int trace_write_sample(const char *path, int (*make)(struct trace_sample *s));

/* A nanosecond-precision pcap file (Wireshark reads it). NULL and a message on error. */
struct trace_writer *trace_writer_open(const char *path);
int trace_writer_add(struct trace_writer *w, uint64_t t_ps, const void *frame, uint32_t len);
int trace_writer_close(struct trace_writer *w);

struct decode_opts {
	bool quiet;     /* summary only */
	bool check;     /* exit 1 on any malformed frame or bad ICRC */
};

/* Decode every record of @p path to @p out. 0 clean, 1 findings, 2 error. */
int trace_decode(const char *path, const struct decode_opts *o, FILE *out);

/* Write the sample traces into @p dir. 0 or 2. */
int trace_samples(const char *dir);

/* Write the leaf example's incast inputs (h0, h1, h2, up0 -> h3) into @p dir. 0 or 2. */
int trace_incast(const char *dir, uint32_t bytes);

/* Write a catalogue of malformed and edge frames, each followed by a valid one. 0 or 2. */
int trace_malformed(const char *path);

#endif
