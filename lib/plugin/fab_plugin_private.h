/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef FAB_PLUGIN_PRIVATE_H
#define FAB_PLUGIN_PRIVATE_H

#include "fab_plugin.h"

extern int fab_plugin_logtype;

#define FAB_PLUGIN_LOG(level, ...) \
	rte_log(RTE_LOG_ ## level, fab_plugin_logtype, "rocefab.plugin: " __VA_ARGS__)

/** The built-in plugin named @p name, or NULL. */
const struct fab_plugin_desc *fab_plugin_builtin_find(const char *name);

#endif /* FAB_PLUGIN_PRIVATE_H */
