/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef FAB_JSON_H
#define FAB_JSON_H

/**
 * @file
 * The pieces of JSON that rocefab's reports write by hand (summary.json,
 * switch.json, rocefab-gen's summary): strings escaped as RFC 8259 asks,
 * and arrays of counters. Reports stay plain fprintf() otherwise, so their
 * layout is what their code shows.
 */

#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Write @p s as a JSON string: quoted, with '"' and '\\' escaped and every
 * control character below 0x20 written as \\u00XX. NULL writes "".
 */
void fab_json_string(FILE *f, const char *s);

/** Write @p n counters, each divided by @p div (at least 1), as a JSON array. */
void fab_json_u64_array(FILE *f, const uint64_t *v, unsigned int n, uint64_t div);

#ifdef __cplusplus
}
#endif

#endif /* FAB_JSON_H */
