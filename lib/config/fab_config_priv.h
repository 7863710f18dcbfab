/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef FAB_CONFIG_PRIV_H
#define FAB_CONFIG_PRIV_H

/* Shared by the files that read the switch schema; not installed. */

#include "fab_config.h"

/* ECN settings of one class as written; NULL nodes were not written. */
struct conf_ecn_written {
	const struct fab_yaml_node *node;   /* the class's mapping */
	const struct fab_yaml_node *enabled;
	const struct fab_yaml_node *kmin;
	const struct fab_yaml_node *kmax;
	const struct fab_yaml_node *pmax;
	const struct fab_yaml_node *k;
	bool on;
	uint64_t kmin_bytes, kmax_bytes, k_bytes;
	double pmax_value;
};

/* State of one load. */
struct conf_ctx {
	struct fab_switch_conf *conf;
	const struct fab_yaml_node *root;
	const char *base_dir;     /* "" when paths stay as written */
	char *err;
	size_t errlen;
	const struct fab_yaml_node *time_node;
	const struct fab_yaml_node **port_nodes;     /* each port's mapping */
	const struct fab_yaml_node **port_kind_nodes; /* its dev or pcap value */
	struct conf_ecn_written ecn[FAB_NUM_PRIO];
};

/* The value under @p key, or NULL when absent or written empty (default). */
const struct fab_yaml_node *conf_get(const struct fab_yaml_node *map, const char *key);

/* Keys of a section, checked; an absent or empty section is an empty mapping. */
int conf_section(struct conf_ctx *ctx, const struct fab_yaml_node *n,
		const char *const keys[]);

/* strdup that reports ENOMEM at @p n. */
int conf_strdup(struct conf_ctx *ctx, const struct fab_yaml_node *n, const char *s,
		char **out);

/* @p path as written, or under ctx->base_dir when it is relative. */
int conf_path(struct conf_ctx *ctx, const struct fab_yaml_node *n, char **out);

/* A plugin name: lower-case letters, digits, '-' and '_'. */
int conf_plugin_name(struct conf_ctx *ctx, const struct fab_yaml_node *n, char *out);

/* A list of classes 0..7 as a bit mask. */
int conf_class_list(struct conf_ctx *ctx, const struct fab_yaml_node *n, uint8_t *mask);

/* Every default of the switch schema (docs/config.md). */
void conf_set_defaults(struct fab_switch_conf *c);

int conf_parse_ports(struct conf_ctx *ctx);
int conf_parse_qos(struct conf_ctx *ctx);
int conf_parse_buffer(struct conf_ctx *ctx);
int conf_parse_ecn(struct conf_ctx *ctx);
int conf_resolve_ecn(struct conf_ctx *ctx);
int conf_parse_pfc(struct conf_ctx *ctx);
int conf_parse_lb(struct conf_ctx *ctx);
int conf_parse_routes(struct conf_ctx *ctx);
int conf_parse_plugins(struct conf_ctx *ctx);

#endif /* FAB_CONFIG_PRIV_H */
