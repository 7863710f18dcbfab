/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * The host table handed to plugins: logging and the "key=value,..."
 * argument helpers, so a plugin needs no parser of its own.
 */

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_log.h>

#include "fab_plugin_private.h"

RTE_LOG_REGISTER(fab_plugin_logtype, rocefab.plugin, INFO);

/* Longest value or item the helpers copy out. */
#define ARG_VALUE_MAX 128

struct arg_item {
	const char *key;
	size_t key_len;
	const char *value;  /* NULL when the item has no '=' */
	size_t value_len;
	const char *item;
	size_t item_len;
};

static void
trim(const char **s, size_t *len)
{
	while (*len > 0 && isspace((unsigned char)**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && isspace((unsigned char)(*s)[*len - 1]))
		(*len)--;
}

/*
 * Split the next non-empty item off @p *cursor. Returns false at the end.
 */
static bool
next_item(const char **cursor, struct arg_item *it)
{
	const char *p = *cursor;

	while (p != NULL && *p != '\0') {
		const char *end = strchr(p, ',');
		size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
		const char *item = p;
		const char *eq;

		p = end != NULL ? end + 1 : NULL;
		trim(&item, &len);
		if (len == 0)
			continue;
		it->item = item;
		it->item_len = len;
		eq = memchr(item, '=', len);
		if (eq == NULL) {
			it->key = item;
			it->key_len = len;
			it->value = NULL;
			it->value_len = 0;
		} else {
			it->key = item;
			it->key_len = (size_t)(eq - item);
			it->value = eq + 1;
			it->value_len = len - it->key_len - 1;
			trim(&it->key, &it->key_len);
			trim(&it->value, &it->value_len);
		}
		*cursor = p;
		return true;
	}
	*cursor = NULL;
	return false;
}

/* Copy the value of @p key into @p buf. */
static int
find_value(const char *args, const char *key, char *buf, size_t buflen)
{
	const char *cursor = args;
	struct arg_item it;
	size_t key_len;

	if (key == NULL)
		return -EINVAL;
	key_len = strlen(key);
	while (next_item(&cursor, &it)) {
		if (it.key_len != key_len || memcmp(it.key, key, key_len) != 0)
			continue;
		if (it.value == NULL || it.value_len == 0 || it.value_len >= buflen)
			return -EINVAL;
		memcpy(buf, it.value, it.value_len);
		buf[it.value_len] = '\0';
		return 0;
	}
	return -ENOENT;
}

static int
host_arg_u64(const char *args, const char *key, uint64_t *value)
{
	char buf[ARG_VALUE_MAX];
	unsigned long long v;
	char *end;
	int base = 10;
	int ret;

	ret = find_value(args, key, buf, sizeof(buf));
	if (ret < 0)
		return ret;
	/* strtoull would accept "-1" and read "010" as octal: refuse both. */
	if (!isdigit((unsigned char)buf[0]))
		return -EINVAL;
	if (buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X'))
		base = 16;
	errno = 0;
	v = strtoull(buf, &end, base);
	if (errno != 0 || *end != '\0' || end == buf)
		return -EINVAL;
	*value = v;
	return 0;
}

static int
host_arg_double(const char *args, const char *key, double *value)
{
	char buf[ARG_VALUE_MAX];
	double v;
	char *end;
	int ret;

	ret = find_value(args, key, buf, sizeof(buf));
	if (ret < 0)
		return ret;
	errno = 0;
	v = strtod(buf, &end);
	if (errno != 0 || *end != '\0' || end == buf || !isfinite(v))
		return -EINVAL;
	*value = v;
	return 0;
}

static int
host_arg_check(const char *args, const char *const *keys, char *bad, size_t badlen)
{
	const char *cursor = args;
	struct arg_item it;

	while (next_item(&cursor, &it)) {
		bool known = false;
		size_t i;

		for (i = 0; it.value != NULL && keys != NULL && keys[i] != NULL; i++)
			if (strlen(keys[i]) == it.key_len &&
					memcmp(keys[i], it.key, it.key_len) == 0) {
				known = true;
				break;
			}
		if (!known) {
			if (bad != NULL && badlen > 0)
				snprintf(bad, badlen, "%.*s", (int)it.item_len, it.item);
			return -EINVAL;
		}
	}
	return 0;
}

static void __rte_format_printf(3, 4)
host_log(uint32_t level, const char *plugin, const char *fmt, ...)
{
	char line[512];
	size_t len;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	len = strlen(line);
	while (len > 0 && line[len - 1] == '\n')
		line[--len] = '\0';
	rte_log(level, fab_plugin_logtype, "rocefab.plugin: %s: %s\n",
		plugin != NULL ? plugin : "?", line);
}

static const struct fab_plugin_host default_host = {
	.abi_major = FAB_PLUGIN_ABI_MAJOR,
	.abi_minor = FAB_PLUGIN_ABI_MINOR,
	.size = sizeof(struct fab_plugin_host),
	.log = host_log,
	.arg_u64 = host_arg_u64,
	.arg_double = host_arg_double,
	.arg_check = host_arg_check,
};

const struct fab_plugin_host *
fab_plugin_host_default(void)
{
	return &default_host;
}
