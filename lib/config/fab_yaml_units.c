/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * Sizes, rates and durations with units. The arithmetic is exact: the number
 * is read as an integer mantissa and a count of decimals, multiplied by the
 * unit in 128 bits and divided by the power of ten, so "2.5ms" is exactly
 * 2500000000 ps and "0.3KB" is refused rather than rounded.
 */

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "fab_yaml.h"

__extension__ typedef unsigned __int128 u128;

/* 10^24 times the largest unit (10^12) still fits in 128 bits. */
#define NUMBER_MAX_DIGITS 24

#define PS_PER_NS UINT64_C(1000)
#define PS_PER_US UINT64_C(1000000)
#define PS_PER_MS UINT64_C(1000000000)
#define PS_PER_S UINT64_C(1000000000000)

struct unit {
	const char *name;
	uint64_t mult;
};

/* Case-insensitive, as tc(8): "kb" and "KB" are both 1024 bytes. */
static const struct unit size_units[] = {
	{ "", 1 }, { "b", 1 },
	{ "k", UINT64_C(1) << 10 }, { "kb", UINT64_C(1) << 10 }, { "kib", UINT64_C(1) << 10 },
	{ "m", UINT64_C(1) << 20 }, { "mb", UINT64_C(1) << 20 }, { "mib", UINT64_C(1) << 20 },
	{ "g", UINT64_C(1) << 30 }, { "gb", UINT64_C(1) << 30 }, { "gib", UINT64_C(1) << 30 },
	{ "t", UINT64_C(1) << 40 }, { "tb", UINT64_C(1) << 40 }, { "tib", UINT64_C(1) << 40 },
};

/* Case-sensitive: "ms" and "Ms" must not be confused. */
static const struct unit duration_units[] = {
	{ "ps", 1 }, { "ns", PS_PER_NS }, { "us", PS_PER_US }, { "\xc2\xb5s", PS_PER_US },
	{ "ms", PS_PER_MS }, { "s", PS_PER_S },
};

/* What may follow the multiplier of a rate; case-sensitive so that B (bytes) is refused. */
static const char *const rate_suffixes[] = { "", "bps", "b/s", "bit", "bit/s" };

/*
 * Read "123", "1.5" or ".5" into an integer mantissa and a count of
 * decimals; *end is left at the first character after the number.
 */
static int
parse_number(const char *s, u128 *mantissa, unsigned int *decimals, const char **end)
{
	unsigned int digits = 0, after_point = 0;
	bool point = false;
	u128 m = 0;

	for (;; s++) {
		if (*s == '.' && !point) {
			point = true;
			continue;
		}
		if (!isdigit((unsigned char)*s))
			break;
		if (++digits > NUMBER_MAX_DIGITS)
			return -ERANGE;
		m = m * 10 + (unsigned int)(*s - '0');
		if (point)
			after_point++;
	}
	if (digits == 0)
		return -EINVAL;
	*mantissa = m;
	*decimals = after_point;
	*end = s;
	return 0;
}

static int
scale_exact(u128 mantissa, unsigned int decimals, uint64_t mult, uint64_t *out)
{
	u128 v = mantissa * mult;
	u128 div = 1;
	unsigned int i;

	for (i = 0; i < decimals; i++)
		div *= 10;
	if (v % div != 0)
		return -EDOM;
	v /= div;
	if (v > UINT64_MAX)
		return -ERANGE;
	*out = (uint64_t)v;
	return 0;
}

/* The number, then optional blanks, then the unit text. */
static int
split_number(const char *text, u128 *mantissa, unsigned int *decimals, const char **unit)
{
	const char *end;
	int ret;

	if (text == NULL)
		return -EINVAL;
	ret = parse_number(text, mantissa, decimals, &end);
	if (ret < 0)
		return ret;
	while (*end == ' ')
		end++;
	*unit = end;
	return 0;
}

int
fab_parse_size(const char *text, uint64_t *bytes)
{
	unsigned int decimals, i;
	const char *unit;
	u128 mantissa;
	int ret;

	ret = split_number(text, &mantissa, &decimals, &unit);
	if (ret < 0)
		return ret;
	for (i = 0; i < RTE_DIM(size_units); i++)
		if (strcasecmp(unit, size_units[i].name) == 0)
			return scale_exact(mantissa, decimals, size_units[i].mult, bytes);
	return -EINVAL;
}

int
fab_parse_rate(const char *text, uint64_t *bps)
{
	static const char prefixes[] = "kmgt";
	static const uint64_t mults[] = {
		UINT64_C(1000), UINT64_C(1000000), UINT64_C(1000000000),
		UINT64_C(1000000000000),
	};
	unsigned int decimals, i;
	uint64_t mult = 1;
	const char *unit, *p;
	u128 mantissa;
	int ret;

	ret = split_number(text, &mantissa, &decimals, &unit);
	if (ret < 0)
		return ret;
	p = *unit != '\0' ? strchr(prefixes, tolower((unsigned char)*unit)) : NULL;
	if (p != NULL) {
		mult = mults[p - prefixes];
		unit++;
	}
	for (i = 0; i < RTE_DIM(rate_suffixes); i++)
		if (strcmp(unit, rate_suffixes[i]) == 0)
			return scale_exact(mantissa, decimals, mult, bps);
	return -EINVAL;
}

int
fab_parse_duration(const char *text, uint64_t *ps)
{
	unsigned int decimals, i;
	const char *unit;
	u128 mantissa;
	int ret;

	ret = split_number(text, &mantissa, &decimals, &unit);
	if (ret < 0)
		return ret;
	if (*unit == '\0') {
		/* Without a unit only zero is unambiguous. */
		if (mantissa != 0)
			return -EINVAL;
		*ps = 0;
		return 0;
	}
	for (i = 0; i < RTE_DIM(duration_units); i++)
		if (strcmp(unit, duration_units[i].name) == 0)
			return scale_exact(mantissa, decimals, duration_units[i].mult, ps);
	return -EINVAL;
}

/* value / unit with at most max_decimals decimals, trailing zeros trimmed. */
static int
format_scaled(char *buf, size_t len, uint64_t value, uint64_t unit,
		unsigned int max_decimals, const char *suffix)
{
	uint64_t whole = value / unit, rest = value % unit;
	char frac[24];
	unsigned int n = 0;

	while (rest != 0 && n < max_decimals) {
		u128 r = (u128)rest * 10;

		frac[n++] = (char)('0' + (unsigned int)(r / unit));
		rest = (uint64_t)(r % unit);
	}
	if (rest != 0)
		return -1;
	frac[n] = '\0';
	snprintf(buf, len, "%" PRIu64 "%s%s%s", whole, n > 0 ? "." : "", frac, suffix);
	return 0;
}

void
fab_format_size(uint64_t bytes, char *buf, size_t len)
{
	static const struct unit units[] = {
		{ "TB", UINT64_C(1) << 40 }, { "GB", UINT64_C(1) << 30 },
		{ "MB", UINT64_C(1) << 20 }, { "KB", UINT64_C(1) << 10 },
	};
	unsigned int i;

	for (i = 0; i < RTE_DIM(units); i++)
		if (bytes >= units[i].mult &&
				format_scaled(buf, len, bytes, units[i].mult, 3, units[i].name) == 0)
			return;
	snprintf(buf, len, "%" PRIu64 "B", bytes);
}

void
fab_format_rate(uint64_t bps, char *buf, size_t len)
{
	static const struct unit units[] = {
		{ "T", UINT64_C(1000000000000) }, { "G", UINT64_C(1000000000) },
		{ "M", UINT64_C(1000000) }, { "K", UINT64_C(1000) },
	};
	unsigned int i;

	for (i = 0; i < RTE_DIM(units); i++)
		if (bps >= units[i].mult &&
				format_scaled(buf, len, bps, units[i].mult, 3, units[i].name) == 0)
			return;
	snprintf(buf, len, "%" PRIu64, bps);
}

void
fab_format_duration(uint64_t ps, char *buf, size_t len)
{
	static const struct unit units[] = {
		{ "s", PS_PER_S }, { "ms", PS_PER_MS }, { "us", PS_PER_US },
		{ "ns", PS_PER_NS }, { "ps", 1 },
	};
	unsigned int i;

	if (ps == 0) {
		snprintf(buf, len, "0");
		return;
	}
	for (i = 0; i < RTE_DIM(units); i++)
		if (ps >= units[i].mult) {
			format_scaled(buf, len, ps, units[i].mult, 12, units[i].name);
			return;
		}
}

typedef int (*unit_parser)(const char *text, uint64_t *out);
typedef void (*unit_formatter)(uint64_t v, char *buf, size_t len);

struct unit_kind {
	const char *expected;  /* "expected %s, found ..." */
	const char *base;      /* "not a whole number of %s" */
	unit_parser parse;
	unit_formatter format;
};

static const struct unit_kind size_kind = {
	"a size (bytes, or a number with B, KB, MB, GB, KiB, MiB, GiB; 1KB = 1024 bytes)",
	"bytes", fab_parse_size, fab_format_size,
};

static const struct unit_kind rate_kind = {
	"a rate in bits per second (a number with K, M, G or T, optionally followed by "
	"bps, b/s or bit: 100G, 25Gbps, 10Gb/s)",
	"bits per second", fab_parse_rate, fab_format_rate,
};

static const struct unit_kind duration_kind = {
	"a duration (a number with ps, ns, us, ms or s)",
	"picoseconds", fab_parse_duration, fab_format_duration,
};

static int
get_with_unit(const struct fab_yaml_node *n, const struct unit_kind *kind,
		uint64_t min, uint64_t max, uint64_t *out, char *err, size_t errlen)
{
	char lo[32], hi[32];
	uint64_t v = 0;
	int ret;

	if (n == NULL || n->type != FAB_YAML_SCALAR || n->is_null)
		return fab_yaml_error(n, err, errlen, "expected %s, found %s", kind->expected,
				fab_yaml_type_name(n));
	ret = kind->parse(n->value, &v);
	if (ret == -EINVAL && kind == &duration_kind &&
			n->value[strspn(n->value, "0123456789.")] == '\0')
		return fab_yaml_error(n, err, errlen,
				"duration '%s' needs a unit (ps, ns, us, ms or s)", n->value);
	if (ret == -EINVAL)
		return fab_yaml_error(n, err, errlen, "expected %s, found '%s'", kind->expected,
				n->value);
	if (ret == -EDOM)
		return fab_yaml_error(n, err, errlen, "'%s' is not a whole number of %s",
				n->value, kind->base);
	kind->format(min, lo, sizeof(lo));
	kind->format(max, hi, sizeof(hi));
	if (ret == -ERANGE || v < min || v > max) {
		fab_yaml_error(n, err, errlen, "'%s' is out of range [%s, %s]", n->value, lo, hi);
		return -ERANGE;
	}
	*out = v;
	return 0;
}

int
fab_yaml_get_size(const struct fab_yaml_node *n, uint64_t min, uint64_t max,
		uint64_t *bytes, char *err, size_t errlen)
{
	return get_with_unit(n, &size_kind, min, max, bytes, err, errlen);
}

int
fab_yaml_get_rate(const struct fab_yaml_node *n, uint64_t min, uint64_t max,
		uint64_t *bps, char *err, size_t errlen)
{
	return get_with_unit(n, &rate_kind, min, max, bps, err, errlen);
}

int
fab_yaml_get_duration(const struct fab_yaml_node *n, uint64_t min, uint64_t max,
		uint64_t *ps, char *err, size_t errlen)
{
	return get_with_unit(n, &duration_kind, min, max, ps, err, errlen);
}
