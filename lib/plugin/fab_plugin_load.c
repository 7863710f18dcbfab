/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * Finding, opening and checking plugins (after VPP's plugin.c): built-ins
 * by name first, then <dir>/fab_plugin_<name>.so along the search path.
 */

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <rte_errno.h>
#include <rte_log.h>

#include "fab_err.h"
#include "fab_plugin_private.h"

struct fab_plugin {
	const struct fab_plugin_desc *desc;
	void *dl;         /* NULL for a built-in */
	char path[];      /* "built-in" or the shared object's path */
};

/*
 * Size of the ABI 1.0 descriptor: no plugin of major 1 is smaller. When a
 * minor release appends members, this stays the 1.0 size.
 */
#define DESC_MIN_SIZE sizeof(struct fab_plugin_desc)


const char *
fab_plugin_kind_name(enum fab_plugin_kind kind)
{
	switch (kind) {
	case FAB_PLUGIN_ECN:
		return "ecn";
	case FAB_PLUGIN_LB:
		return "lb";
	case FAB_PLUGIN_CC:
		return "cc";
	}
	return "unknown";
}

/* "an ECN plugin": for messages. */
static const char *
kind_phrase(uint32_t kind)
{
	switch (kind) {
	case FAB_PLUGIN_ECN:
		return "an ECN";
	case FAB_PLUGIN_LB:
		return "a load-balancing";
	case FAB_PLUGIN_CC:
		return "a congestion-control";
	}
	return "an unknown";
}

static bool
kind_valid(uint32_t kind)
{
	return kind >= FAB_PLUGIN_ECN && kind <= FAB_PLUGIN_CC;
}

/* Names become file names: keep them to a safe alphabet. */
static bool
name_valid(const char *name)
{
	size_t i, len = strlen(name);

	if (len == 0 || len > FAB_PLUGIN_NAME_MAX)
		return false;
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
				(c >= '0' && c <= '9') || c == '-' || c == '_' ||
				(c == '.' && i > 0)))
			return false;
	}
	return true;
}

static bool
ops_complete(const struct fab_plugin_desc *desc)
{
	if (desc->ops == NULL)
		return false;
	if (desc->kind == FAB_PLUGIN_ECN) {
		const struct fab_ecn_ops *ops = desc->ops;

		return ops->create != NULL && ops->free != NULL && ops->decide != NULL;
	}
	if (desc->kind == FAB_PLUGIN_LB) {
		const struct fab_lb_ops *ops = desc->ops;

		return ops->create != NULL && ops->free != NULL && ops->select != NULL;
	}
	if (desc->kind == FAB_PLUGIN_CC) {
		const struct fab_cc_ops *ops = desc->ops;

		return ops->create != NULL && ops->free != NULL && ops->flow_size > 0 &&
			ops->flow_init != NULL && ops->on_events != NULL &&
			ops->rate != NULL;
	}
	return true;
}

/*
 * Check a descriptor, built-in or loaded. @p label names the plugin in
 * messages as the user asked for it: a descriptor of another ABI cannot
 * be trusted to have its name where ours is.
 */
static int
check_desc(const struct fab_plugin_desc *desc, const char *label,
		const char *expect_name, enum fab_plugin_kind kind,
		char *err, size_t errlen)
{
	if (desc->abi_major != FAB_PLUGIN_ABI_MAJOR ||
			desc->abi_minor > FAB_PLUGIN_ABI_MINOR) {
		fab_set_err(err, errlen, "plugin %s: ABI %u.%u, rocefab supports %u.%u%s",
			label, desc->abi_major, desc->abi_minor,
			FAB_PLUGIN_ABI_MAJOR, FAB_PLUGIN_ABI_MINOR,
			desc->abi_major == FAB_PLUGIN_ABI_MAJOR ?
			" (a newer minor needs a newer rocefab)" :
			" (rebuild the plugin against this rocefab)");
		return -ENOTSUP;
	}
	if (desc->size < DESC_MIN_SIZE) {
		fab_set_err(err, errlen,
			"plugin %s: descriptor of %u bytes, ABI %u.%u needs at least %zu",
			label, desc->size, desc->abi_major, desc->abi_minor,
			DESC_MIN_SIZE);
		return -ENOEXEC;
	}
	if (desc->name == NULL || !name_valid(desc->name) || desc->version == NULL) {
		fab_set_err(err, errlen, "plugin %s: descriptor has no valid name or version",
			label);
		return -ENOEXEC;
	}
	if (expect_name != NULL && strcmp(desc->name, expect_name) != 0) {
		fab_set_err(err, errlen, "plugin %s: the file declares the name '%s'",
			label, desc->name);
		return -ENOEXEC;
	}
	if (!kind_valid(desc->kind)) {
		fab_set_err(err, errlen, "plugin %s: unknown kind %u", label, desc->kind);
		return -ENOEXEC;
	}
	if (desc->kind != (uint32_t)kind) {
		fab_set_err(err, errlen, "plugin %s is %s plugin, but %s plugin is needed here",
			label, kind_phrase(desc->kind), kind_phrase(kind));
		return -EINVAL;
	}
	if (!ops_complete(desc)) {
		fab_set_err(err, errlen, "plugin %s: its %s ops table is incomplete",
			label, fab_plugin_kind_name(desc->kind));
		return -ENOEXEC;
	}
	return 0;
}

static struct fab_plugin *
handle_new(const struct fab_plugin_desc *desc, void *dl, const char *path)
{
	size_t len = strlen(path) + 1;
	struct fab_plugin *p = malloc(sizeof(*p) + len);

	if (p == NULL)
		return NULL;
	p->desc = desc;
	p->dl = dl;
	memcpy(p->path, path, len);
	return p;
}

/*
 * Build <dir>/fab_plugin_<name>.so in @p out. Returns 1 when the file
 * exists, 0 when it does not, -ENAMETOOLONG.
 */
static int
try_dir(const char *name, const char *dir, size_t dir_len, char *out, size_t outlen,
		char *err, size_t errlen)
{
	struct stat st;
	int n;

	if (dir_len == 0)
		return 0;
	n = snprintf(out, outlen, "%.*s/" FAB_PLUGIN_FILE_PREFIX "%s.so",
		(int)dir_len, dir, name);
	if (n < 0 || (size_t)n >= outlen) {
		fab_set_err(err, errlen, "plugin %s: path too long in '%.*s'",
			name, (int)dir_len, dir);
		return -ENAMETOOLONG;
	}
	return stat(out, &st) == 0;
}

static void
set_not_found(const char *name, const char *where, char *err, size_t errlen)
{
	fab_set_err(err, errlen,
		"plugin %s not found: not built in, and no " FAB_PLUGIN_FILE_PREFIX
		"%s.so in the plugin path '%s'", name, name, where);
}

/* The first directory of a colon-separated path that has the file wins, as with PATH. */
static int
search_colon_path(const char *name, const char *search_path, char *out, size_t outlen,
		char *err, size_t errlen)
{
	const char *dir = search_path;

	while (dir != NULL && *dir != '\0') {
		const char *colon = strchr(dir, ':');
		size_t dir_len = colon != NULL ? (size_t)(colon - dir) : strlen(dir);
		int ret = try_dir(name, dir, dir_len, out, outlen, err, errlen);

		if (ret != 0)
			return ret < 0 ? ret : 0;
		dir = colon != NULL ? colon + 1 : NULL;
	}
	set_not_found(name, search_path != NULL ? search_path : "", err, errlen);
	return -ENOENT;
}

/* The same over a list of directories (a directory may then hold a ':'). */
static int
search_dir_list(const char *name, const char *const *dirs, unsigned int n_dirs,
		char *out, size_t outlen, char *err, size_t errlen)
{
	char where[512];
	size_t used = 0;
	unsigned int i;

	for (i = 0; i < n_dirs; i++) {
		int ret;

		if (dirs[i] == NULL)
			continue;
		ret = try_dir(name, dirs[i], strlen(dirs[i]), out, outlen, err, errlen);
		if (ret != 0)
			return ret < 0 ? ret : 0;
	}
	where[0] = '\0';
	for (i = 0; i < n_dirs && used < sizeof(where); i++) {
		int n;

		if (dirs[i] == NULL)
			continue;
		n = snprintf(where + used, sizeof(where) - used, "%s%s",
			used > 0 ? ":" : "", dirs[i]);
		if (n < 0)
			break;
		used += (size_t)n;
	}
	set_not_found(name, where, err, errlen);
	return -ENOENT;
}

static struct fab_plugin *
load_file(const char *path, const char *label, const char *expect_name,
		enum fab_plugin_kind kind, char *err, size_t errlen)
{
	const struct fab_plugin_desc *desc;
	struct fab_plugin *p;
	struct stat st;
	void *dl;
	int ret;

	if (stat(path, &st) != 0) {
		fab_set_err(err, errlen, "plugin %s: cannot open %s: %s", label, path,
			strerror(errno));
		rte_errno = ENOENT;
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		fab_set_err(err, errlen, "plugin %s: %s is not a regular file", label, path);
		rte_errno = ELIBBAD;
		return NULL;
	}
	dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (dl == NULL) {
		fab_set_err(err, errlen, "plugin %s: cannot load %s: %s", label, path,
			dlerror());
		rte_errno = ELIBBAD;
		return NULL;
	}
	desc = dlsym(dl, FAB_PLUGIN_SYMBOL);
	if (desc == NULL) {
		fab_set_err(err, errlen,
			"plugin %s: %s exports no " FAB_PLUGIN_SYMBOL
			" (not a rocefab plugin?)", label, path);
		ret = -ENOEXEC;
		goto fail_close;
	}
	ret = check_desc(desc, label, expect_name, kind, err, errlen);
	if (ret < 0)
		goto fail_close;
	p = handle_new(desc, dl, path);
	if (p == NULL) {
		fab_set_err(err, errlen, "plugin %s: out of memory", label);
		ret = -ENOMEM;
		goto fail_close;
	}
	FAB_PLUGIN_LOG(INFO, "loaded %s %s (%s plugin, ABI %u.%u) from %s\n",
		desc->name, desc->version, fab_plugin_kind_name(desc->kind),
		desc->abi_major, desc->abi_minor, path);
	return p;

fail_close:
	dlclose(dl);
	rte_errno = -ret;
	return NULL;
}

/*
 * Everything before the directory search: arguments, paths, built-ins.
 * Returns 1 when @p *out is decided (a handle, or NULL with rte_errno set),
 * 0 when the caller must search its directories.
 */
static int
load_prologue(const char *name_or_path, enum fab_plugin_kind kind,
		struct fab_plugin **out, char *err, size_t errlen)
{
	const struct fab_plugin_desc *builtin;
	int ret;

	*out = NULL;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (name_or_path == NULL || name_or_path[0] == '\0') {
		fab_set_err(err, errlen, "no plugin named");
		rte_errno = EINVAL;
		return 1;
	}
	if (!kind_valid(kind)) {
		fab_set_err(err, errlen, "plugin %s: unknown kind %d asked for",
			name_or_path, (int)kind);
		rte_errno = EINVAL;
		return 1;
	}
	if (strchr(name_or_path, '/') != NULL) {
		*out = load_file(name_or_path, name_or_path, NULL, kind, err, errlen);
		return 1;
	}
	if (!name_valid(name_or_path)) {
		fab_set_err(err, errlen,
			"plugin name '%s' is not valid: use letters, digits, '-', '_' and '.'"
			" (at most %d), or give a path with a '/'",
			name_or_path, FAB_PLUGIN_NAME_MAX);
		rte_errno = EINVAL;
		return 1;
	}
	builtin = fab_plugin_builtin_find(name_or_path);
	if (builtin == NULL)
		return 0;
	ret = check_desc(builtin, name_or_path, NULL, kind, err, errlen);
	if (ret < 0) {
		rte_errno = -ret;
		return 1;
	}
	*out = handle_new(builtin, NULL, "built-in");
	if (*out == NULL) {
		fab_set_err(err, errlen, "plugin %s: out of memory", name_or_path);
		rte_errno = ENOMEM;
	}
	return 1;
}

struct fab_plugin *
fab_plugin_load(const char *name_or_path, const char *search_path,
		enum fab_plugin_kind kind, char *err, size_t errlen)
{
	char path[PATH_MAX];
	struct fab_plugin *p;
	int ret;

	if (load_prologue(name_or_path, kind, &p, err, errlen) != 0)
		return p;
	ret = search_colon_path(name_or_path, search_path, path, sizeof(path), err, errlen);
	if (ret < 0) {
		rte_errno = -ret;
		return NULL;
	}
	return load_file(path, name_or_path, name_or_path, kind, err, errlen);
}

struct fab_plugin *
fab_plugin_load_dirs(const char *name_or_path, const char *const *dirs,
		unsigned int n_dirs, enum fab_plugin_kind kind, char *err, size_t errlen)
{
	char path[PATH_MAX];
	struct fab_plugin *p;
	int ret;

	if (load_prologue(name_or_path, kind, &p, err, errlen) != 0)
		return p;
	if (dirs == NULL)
		n_dirs = 0;
	ret = search_dir_list(name_or_path, dirs, n_dirs, path, sizeof(path), err, errlen);
	if (ret < 0) {
		rte_errno = -ret;
		return NULL;
	}
	return load_file(path, name_or_path, name_or_path, kind, err, errlen);
}

void
fab_plugin_unload(struct fab_plugin *plugin)
{
	if (plugin == NULL)
		return;
	if (plugin->dl != NULL)
		dlclose(plugin->dl);
	free(plugin);
}

const struct fab_plugin_desc *
fab_plugin_get_desc(const struct fab_plugin *plugin)
{
	return plugin->desc;
}

const struct fab_ecn_ops *
fab_plugin_ecn_ops(const struct fab_plugin *plugin)
{
	if (plugin == NULL || plugin->desc->kind != FAB_PLUGIN_ECN)
		return NULL;
	return plugin->desc->ops;
}

uint32_t
fab_plugin_ecn_quiet_depth(const struct fab_plugin *plugin, const void *state, uint8_t cls)
{
	const struct fab_ecn_ops *ops = fab_plugin_ecn_ops(plugin);

	/* A 1.0 plugin's table ends before the member: never read past it. */
	if (ops == NULL || plugin->desc->abi_minor < 1 || ops->quiet_depth == NULL)
		return 0;
	return ops->quiet_depth(state, cls);
}

const struct fab_lb_ops *
fab_plugin_lb_ops(const struct fab_plugin *plugin)
{
	if (plugin == NULL || plugin->desc->kind != FAB_PLUGIN_LB)
		return NULL;
	return plugin->desc->ops;
}

const struct fab_cc_ops *
fab_plugin_cc_ops(const struct fab_plugin *plugin)
{
	if (plugin == NULL || plugin->desc->kind != FAB_PLUGIN_CC)
		return NULL;
	return plugin->desc->ops;
}

bool
fab_plugin_is_builtin(const struct fab_plugin *plugin)
{
	return plugin->dl == NULL;
}

const char *
fab_plugin_path(const struct fab_plugin *plugin)
{
	return plugin->path;
}
