/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef ROCEFAB_TRACE_H
#define ROCEFAB_TRACE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct trace_writer;

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

/* Write a catalogue of malformed and edge frames, each followed by a valid one. 0 or 2. */
int trace_malformed(const char *path);

#endif
