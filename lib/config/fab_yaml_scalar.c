/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/* Getters for strings, integers, numbers, booleans and words from a list. */

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fab_yaml.h"

int
fab_yaml_get_str(const struct fab_yaml_node *n, const char **out,
		char *err, size_t errlen)
{
	if (n == NULL || n->type != FAB_YAML_SCALAR || n->is_null)
		return fab_yaml_error(n, err, errlen, "expected a string, found %s",
				fab_yaml_type_name(n));
	*out = n->value;
	return 0;
}

/* A scalar's text, or an error naming what was expected. */
static int
scalar_text(const struct fab_yaml_node *n, const char *what, const char **text,
		char *err, size_t errlen)
{
	if (n == NULL || n->type != FAB_YAML_SCALAR || n->is_null)
		return fab_yaml_error(n, err, errlen, "expected %s, found %s", what,
				fab_yaml_type_name(n));
	*text = n->value;
	return 0;
}

/*
 * Decimal, or hexadecimal after 0x. Leading zeros stay decimal: YAML 1.1
 * would read 010 as octal, which no one writing a config means.
 */
static int
parse_magnitude(const char *s, uint64_t *out)
{
	int base = 10;
	uint64_t v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (*s == '\0')
		return -EINVAL;
	for (; *s != '\0'; s++) {
		unsigned int d;

		if (isdigit((unsigned char)*s))
			d = (unsigned int)(*s - '0');
		else if (base == 16 && isxdigit((unsigned char)*s))
			d = (unsigned int)(tolower((unsigned char)*s) - 'a' + 10);
		else
			return -EINVAL;
		if (v > (UINT64_MAX - d) / (uint64_t)base)
			return -ERANGE;
		v = v * (uint64_t)base + d;
	}
	*out = v;
	return 0;
}

int
fab_yaml_get_u64(const struct fab_yaml_node *n, uint64_t min, uint64_t max,
		uint64_t *out, char *err, size_t errlen)
{
	const char *s = NULL;
	uint64_t v;
	int ret;

	ret = scalar_text(n, "an integer", &s, err, errlen);
	if (ret < 0)
		return ret;
	ret = parse_magnitude(s[0] == '+' ? s + 1 : s, &v);
	if (ret == -EINVAL)
		return fab_yaml_error(n, err, errlen, "expected an integer, found '%s'", s);
	if (ret < 0 || v < min || v > max) {
		fab_yaml_error(n, err, errlen, "%s is out of range [%" PRIu64 ", %" PRIu64 "]",
				s, min, max);
		return -ERANGE;
	}
	*out = v;
	return 0;
}

int
fab_yaml_get_int(const struct fab_yaml_node *n, int64_t min, int64_t max,
		int64_t *out, char *err, size_t errlen)
{
	bool negative = false;
	const char *s = NULL, *digits;
	uint64_t mag;
	int64_t v = 0;
	int ret;

	ret = scalar_text(n, "an integer", &s, err, errlen);
	if (ret < 0)
		return ret;
	digits = s;
	if (*digits == '-' || *digits == '+') {
		negative = *digits == '-';
		digits++;
	}
	ret = parse_magnitude(digits, &mag);
	if (ret == -EINVAL)
		return fab_yaml_error(n, err, errlen, "expected an integer, found '%s'", s);
	if (ret == 0 && negative && mag <= (uint64_t)INT64_MAX + 1)
		v = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag;
	else if (ret == 0 && !negative && mag <= (uint64_t)INT64_MAX)
		v = (int64_t)mag;
	else
		ret = -ERANGE;
	if (ret < 0 || v < min || v > max) {
		fab_yaml_error(n, err, errlen, "%s is out of range [%" PRId64 ", %" PRId64 "]",
				s, min, max);
		return -ERANGE;
	}
	*out = v;
	return 0;
}

int
fab_yaml_get_double(const struct fab_yaml_node *n, double min, double max,
		double *out, char *err, size_t errlen)
{
	const char *s = NULL;
	char *end;
	double v;
	int ret;

	ret = scalar_text(n, "a number", &s, err, errlen);
	if (ret < 0)
		return ret;
	errno = 0;
	v = strtod(s, &end);
	/* strtod also takes "inf", "nan" and hex floats: only plain decimals here. */
	if (end == s || *end != '\0' || errno != 0 || !isfinite(v) ||
			strpbrk(s, "xXnNiI") != NULL || isspace((unsigned char)s[0]))
		return fab_yaml_error(n, err, errlen, "expected a number, found '%s'", s);
	if (v < min || v > max) {
		fab_yaml_error(n, err, errlen, "%s is out of range [%g, %g]", s, min, max);
		return -ERANGE;
	}
	*out = v;
	return 0;
}

int
fab_yaml_get_bool(const struct fab_yaml_node *n, bool *out, char *err, size_t errlen)
{
	static const char *const yes[] = { "true", "yes", "on" };
	static const char *const no[] = { "false", "no", "off" };
	const char *s = NULL;
	unsigned int i;
	int ret;

	ret = scalar_text(n, "a boolean (true or false)", &s, err, errlen);
	if (ret < 0)
		return ret;
	for (i = 0; i < RTE_DIM(yes); i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return fab_yaml_error(n, err, errlen,
			"expected a boolean (true or false), found '%s'", s);
}

int
fab_yaml_get_enum(const struct fab_yaml_node *n, const char *const names[],
		unsigned int *out, char *err, size_t errlen)
{
	char list[512];
	size_t pos = 0;
	const char *s = NULL;
	unsigned int i;

	if (n != NULL && n->type == FAB_YAML_SCALAR && !n->is_null) {
		s = n->value;
		for (i = 0; names[i] != NULL; i++) {
			if (strcmp(s, names[i]) == 0) {
				*out = i;
				return 0;
			}
		}
	}
	list[0] = '\0';
	for (i = 0; names[i] != NULL && pos < sizeof(list); i++) {
		int w = snprintf(list + pos, sizeof(list) - pos, "%s%s", i == 0 ? "" : ", ",
				names[i]);
		if (w > 0)
			pos += (size_t)w;
	}
	if (s == NULL)
		return fab_yaml_error(n, err, errlen, "expected one of: %s; found %s", list,
				fab_yaml_type_name(n));
	return fab_yaml_error(n, err, errlen, "expected one of: %s; found '%s'", list, s);
}
