/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * The registry of the plugins linked into rocefab. Their sources are the
 * same files plugins/ builds into shared objects, compiled here with
 * FAB_PLUGIN_BUILTIN so each defines fab_plugin_builtin_<id> rather than
 * fab_plugin_descriptor (lib/plugin/meson.build).
 */

#include <string.h>

#include "fab_plugin_private.h"

extern const struct fab_plugin_desc fab_plugin_builtin_ecn_red;
extern const struct fab_plugin_desc fab_plugin_builtin_ecn_step;
extern const struct fab_plugin_desc fab_plugin_builtin_lb_ecmp;
extern const struct fab_plugin_desc fab_plugin_builtin_lb_spray;
extern const struct fab_plugin_desc fab_plugin_builtin_cc_dcqcn;
extern const struct fab_plugin_desc fab_plugin_builtin_cc_none;

static const struct fab_plugin_desc *const builtin_plugins[] = {
	&fab_plugin_builtin_ecn_red,
	&fab_plugin_builtin_ecn_step,
	&fab_plugin_builtin_lb_ecmp,
	&fab_plugin_builtin_lb_spray,
	&fab_plugin_builtin_cc_dcqcn,
	&fab_plugin_builtin_cc_none,
};

const struct fab_plugin_desc *
fab_plugin_builtin_get(unsigned int index)
{
	if (index >= RTE_DIM(builtin_plugins))
		return NULL;
	return builtin_plugins[index];
}

const struct fab_plugin_desc *
fab_plugin_builtin_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(builtin_plugins); i++)
		if (strcmp(builtin_plugins[i]->name, name) == 0)
			return builtin_plugins[i];
	return NULL;
}
