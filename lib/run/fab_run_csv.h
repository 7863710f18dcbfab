/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef FAB_RUN_CSV_H
#define FAB_RUN_CSV_H

/*
 * A CSV row built in memory and written in one call. The time series write
 * a row per port and class at every sample, and fprintf() parsing its
 * format field by field took 40% of the default scenario's event loop;
 * these appenders give the same text (decimal integers, names as they
 * are) for a tenth of the instructions.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fab_run.h"

/* Names (at most 64 bytes each) and a dozen 20-digit numbers fit with room to spare. */
#define FAB_CSV_ROW_MAX 1024

struct fab_csv_row {
	size_t len;
	bool overflow;         /* something did not fit: the row is not written */
	char buf[FAB_CSV_ROW_MAX];
};

static inline void
fab_csv_begin(struct fab_csv_row *r)
{
	r->len = 0;
	r->overflow = false;
}

static inline void
fab_csv_bytes(struct fab_csv_row *r, const char *s, size_t n)
{
	if (n > sizeof(r->buf) - r->len) {
		r->overflow = true;
		return;
	}
	memcpy(r->buf + r->len, s, n);
	r->len += n;
}

static inline void
fab_csv_str(struct fab_csv_row *r, const char *s)
{
	fab_csv_bytes(r, s, strlen(s));
}

/*
 * Characters and numbers go straight into the row: a row has a dozen of
 * them, and a memcpy() call for each cost more than the digits.
 */
static inline void
fab_csv_char(struct fab_csv_row *r, char c)
{
	if (r->len >= sizeof(r->buf)) {
		r->overflow = true;
		return;
	}
	r->buf[r->len++] = c;
}

/* @p v in decimal, as "%" PRIu64 prints it. */
static inline void
fab_csv_u64(struct fab_csv_row *r, uint64_t v)
{
	uint64_t tens = 10;
	size_t n = 1;
	char *p;

	/* Digits: 10^19 is the largest power of ten a uint64_t holds. */
	while (n < 20 && v >= tens) {
		n++;
		tens = n < 20 ? tens * 10 : tens;
	}
	if (n > sizeof(r->buf) - r->len) {
		r->overflow = true;
		return;
	}
	r->len += n;
	p = r->buf + r->len;
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
}

/* @p milli thousandths as "%" PRIu64 ".%03" PRIu64 prints milli / 1000 and milli % 1000. */
static inline void
fab_csv_milli(struct fab_csv_row *r, uint64_t milli)
{
	uint64_t frac = milli % 1000u;

	fab_csv_u64(r, milli / 1000u);
	fab_csv_char(r, '.');
	fab_csv_char(r, (char)('0' + frac / 100u));
	fab_csv_char(r, (char)('0' + frac / 10u % 10u));
	fab_csv_char(r, (char)('0' + frac % 10u));
}

/* The next field: a comma, then @p s. */
static inline void
fab_csv_next_str(struct fab_csv_row *r, const char *s)
{
	fab_csv_char(r, ',');
	fab_csv_str(r, s);
}

/* The next field: a comma, then @p v in decimal. */
static inline void
fab_csv_next_u64(struct fab_csv_row *r, uint64_t v)
{
	fab_csv_char(r, ',');
	fab_csv_u64(r, v);
}

/* End the row with a newline and append it to @p f: 0, -EOVERFLOW (nothing written) or the file's error. */
static inline int
fab_csv_end(struct fab_csv_row *r, struct fab_run_file *f)
{
	fab_csv_char(r, '\n');
	if (r->overflow)
		return -EOVERFLOW;
	fab_run_file_write(f, r->buf, r->len);
	return fab_run_file_error(f);
}

#endif /* FAB_RUN_CSV_H */
