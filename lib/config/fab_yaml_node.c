/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/* Navigating the tree and reporting errors at a node. */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fab_yaml.h"

const char *
fab_yaml_type_name(const struct fab_yaml_node *n)
{
	if (n == NULL)
		return "nothing";
	switch (n->type) {
	case FAB_YAML_SCALAR:
		return n->is_null ? "an empty value" : "a scalar";
	case FAB_YAML_SEQUENCE:
		return "a sequence";
	case FAB_YAML_MAPPING:
		return "a mapping";
	}
	return "an unknown node";
}

/* Append the path of @p n to buf at *pos, counting what does not fit. */
static void
path_append(const struct fab_yaml_node *n, char *buf, size_t len, size_t *pos)
{
	const struct fab_yaml_node *p = n->parent;
	int w;

	if (p == NULL)
		return;
	path_append(p, buf, len, pos);
	if (n->is_key)
		return;
	if (p->type == FAB_YAML_SEQUENCE)
		w = snprintf(buf + RTE_MIN(*pos, len), len - RTE_MIN(*pos, len),
				"[%u]", n->index);
	else
		w = snprintf(buf + RTE_MIN(*pos, len), len - RTE_MIN(*pos, len),
				"%s%s", *pos == 0 ? "" : ".", n->key);
	if (w > 0)
		*pos += (size_t)w;
}

int
fab_yaml_path(const struct fab_yaml_node *n, char *buf, size_t len)
{
	size_t pos = 0;

	if (buf != NULL && len > 0)
		buf[0] = '\0';
	if (n == NULL)
		return 0;
	if (buf == NULL)
		len = 0;
	path_append(n, buf, len, &pos);
	return (int)pos;
}

int
fab_yaml_error(const struct fab_yaml_node *n, char *err, size_t errlen,
		const char *fmt, ...)
{
	char msg[768];
	char path[256];
	va_list ap;

	if (err == NULL || errlen == 0)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n == NULL) {
		snprintf(err, errlen, "error: %s", msg);
		return -EINVAL;
	}
	fab_yaml_path(n, path, sizeof(path));
	snprintf(err, errlen, "%s:%u:%u: error: %s%s%s", fab_yaml_doc_name(n->doc),
		n->line, n->col, path, path[0] != '\0' ? ": " : "", msg);
	return -EINVAL;
}

const struct fab_yaml_node *
fab_yaml_map_get(const struct fab_yaml_node *map, const char *key)
{
	uint32_t i;

	if (map == NULL || map->type != FAB_YAML_MAPPING || key == NULL)
		return NULL;
	for (i = 0; i < map->count; i++)
		if (strcmp(map->keys[i]->value, key) == 0)
			return map->items[i];
	return NULL;
}

const struct fab_yaml_node *
fab_yaml_map_get_set(const struct fab_yaml_node *map, const char *key)
{
	const struct fab_yaml_node *n = fab_yaml_map_get(map, key);

	return n != NULL && n->type == FAB_YAML_SCALAR && n->is_null ? NULL : n;
}

const struct fab_yaml_node *
fab_yaml_key_of(const struct fab_yaml_node *value)
{
	const struct fab_yaml_node *map;
	uint32_t i;

	if (value == NULL || value->key == NULL)
		return NULL;
	map = value->parent;
	for (i = 0; i < map->count; i++)
		if (map->items[i] == value)
			return map->keys[i];
	return NULL;
}

static const char *
expected_name(enum fab_yaml_type type)
{
	switch (type) {
	case FAB_YAML_SCALAR:
		return "a scalar";
	case FAB_YAML_SEQUENCE:
		return "a sequence";
	case FAB_YAML_MAPPING:
		return "a mapping";
	}
	return "?";
}

int
fab_yaml_expect(const struct fab_yaml_node *n, enum fab_yaml_type type,
		char *err, size_t errlen)
{
	if (n == NULL)
		return fab_yaml_error(n, err, errlen, "expected %s, found nothing",
				expected_name(type));
	if (n->type == type && !(type == FAB_YAML_SCALAR && n->is_null))
		return 0;
	return fab_yaml_error(n, err, errlen, "expected %s, found %s",
			expected_name(type), fab_yaml_type_name(n));
}

int
fab_yaml_check_keys(const struct fab_yaml_node *map, const char *const allowed[],
		char *err, size_t errlen)
{
	uint32_t i;
	int ret;

	ret = fab_yaml_expect(map, FAB_YAML_MAPPING, err, errlen);
	if (ret < 0)
		return ret;
	for (i = 0; i < map->count; i++) {
		const char *key = map->keys[i]->value;
		char list[512];
		size_t pos = 0;
		unsigned int j;

		for (j = 0; allowed[j] != NULL; j++)
			if (strcmp(allowed[j], key) == 0)
				break;
		if (allowed[j] != NULL)
			continue;
		list[0] = '\0';
		for (j = 0; allowed[j] != NULL && pos < sizeof(list); j++) {
			int w = snprintf(list + pos, sizeof(list) - pos, "%s%s",
					j == 0 ? "" : ", ", allowed[j]);
			if (w > 0)
				pos += (size_t)w;
		}
		return fab_yaml_error(map->keys[i], err, errlen,
				"unknown key '%s'; allowed keys: %s", key, list);
	}
	return 0;
}

char *
fab_yaml_dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t len;
	char *dir;

	if (slash == NULL)
		return strdup("");
	len = slash == path ? 1 : (size_t)(slash - path);
	dir = malloc(len + 1);
	if (dir == NULL)
		return NULL;
	memcpy(dir, path, len);
	dir[len] = '\0';
	return dir;
}
