/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * Loading a switch configuration: defaults, the order in which sections are
 * read (a section may depend only on those read before it), the switch,
 * plugins and stats sections, and the checks that span sections.
 */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_log.h>

#include "fab_config_priv.h"

#define RTE_LOG_DEFAULT_LOGTYPE rocefab.config
RTE_LOG_REGISTER_DEFAULT(fab_config_logtype, INFO);
#define CONF_LOG(level, ...) \
	rte_log(RTE_LOG_ ## level, fab_config_logtype, "config: " __VA_ARGS__)

/* SONiC's default port MTU. */
#define CONF_DEFAULT_MTU 9100
#define CONF_MIN_MTU 68
#define CONF_MAX_MTU 9216

static const char *const top_keys[] = {
	"switch", "ports", "qos", "buffer", "ecn", "pfc", "lb", "plugins", "routes",
	"stats", NULL,
};

const char *
fab_conf_time_name(enum fab_conf_time time)
{
	switch (time) {
	case FAB_CONF_TIME_AUTO:
		return "auto";
	case FAB_CONF_TIME_REAL:
		return "real";
	case FAB_CONF_TIME_VIRTUAL:
		return "virtual";
	}
	return "?";
}

const struct fab_yaml_node *
conf_get(const struct fab_yaml_node *map, const char *key)
{
	return fab_yaml_map_get_set(map, key);
}

int
conf_section(struct conf_ctx *ctx, const struct fab_yaml_node *n, const char *const keys[])
{
	if (n == NULL)
		return 0;
	return fab_yaml_check_keys(n, keys, ctx->err, ctx->errlen);
}

int
conf_strdup(struct conf_ctx *ctx, const struct fab_yaml_node *n, const char *s, char **out)
{
	*out = strdup(s);
	if (*out != NULL)
		return 0;
	fab_yaml_error(n, ctx->err, ctx->errlen, "out of memory");
	return -ENOMEM;
}

int
conf_path(struct conf_ctx *ctx, const struct fab_yaml_node *n, char **out)
{
	const char *rel;
	size_t len;
	int ret;

	ret = fab_yaml_get_str(n, &rel, ctx->err, ctx->errlen);
	if (ret < 0)
		return ret;
	if (rel[0] == '\0')
		return fab_yaml_error(n, ctx->err, ctx->errlen, "expected a file name, found ''");
	if (rel[0] == '/' || ctx->base_dir[0] == '\0')
		return conf_strdup(ctx, n, rel, out);
	len = strlen(ctx->base_dir) + 1 + strlen(rel) + 1;
	*out = malloc(len);
	if (*out == NULL) {
		fab_yaml_error(n, ctx->err, ctx->errlen, "out of memory");
		return -ENOMEM;
	}
	snprintf(*out, len, "%s/%s", ctx->base_dir, rel);
	return 0;
}

int
conf_plugin_name(struct conf_ctx *ctx, const struct fab_yaml_node *n, char *out)
{
	const char *s;
	int ret;

	ret = fab_yaml_get_str(n, &s, ctx->err, ctx->errlen);
	if (ret < 0)
		return ret;
	if (s[0] == '\0' || strlen(s) >= FAB_CONF_PLUGIN_LEN ||
			s[strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-_")] != '\0')
		return fab_yaml_error(n, ctx->err, ctx->errlen,
				"'%s' is not a plugin name (lower-case letters, digits, '-' and '_'; at most %u)",
				s, FAB_CONF_PLUGIN_LEN - 1);
	strcpy(out, s);
	return 0;
}

int
conf_class_list(struct conf_ctx *ctx, const struct fab_yaml_node *n, uint8_t *mask)
{
	uint8_t m = 0;
	uint32_t i;
	int ret;

	ret = fab_yaml_expect(n, FAB_YAML_SEQUENCE, ctx->err, ctx->errlen);
	if (ret < 0)
		return ret;
	for (i = 0; i < n->count; i++) {
		uint64_t c;

		ret = fab_yaml_get_u64(n->items[i], 0, FAB_NUM_PRIO - 1, &c, ctx->err,
				ctx->errlen);
		if (ret < 0)
			return ret;
		if (m & (1u << c))
			return fab_yaml_error(n->items[i], ctx->err, ctx->errlen,
					"class %u is listed twice", (unsigned int)c);
		m |= (uint8_t)(1u << c);
	}
	*mask = m;
	return 0;
}

/* Names of switches and ports: what SONiC and Linux use ("Ethernet0", "eth1/1"). */
static int
get_name(struct conf_ctx *ctx, const struct fab_yaml_node *n, char *out)
{
	const char *s;
	int ret;

	ret = fab_yaml_get_str(n, &s, ctx->err, ctx->errlen);
	if (ret < 0)
		return ret;
	if (s[0] == '\0' || strlen(s) >= FAB_CONF_NAME_LEN ||
			s[strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				"0123456789_.:/-")] != '\0')
		return fab_yaml_error(n, ctx->err, ctx->errlen,
				"'%s' is not a valid name (letters, digits and _.:/-; at most %u)",
				s, FAB_CONF_NAME_LEN - 1);
	strcpy(out, s);
	return 0;
}

/*
 * Defaults, with their sources in docs/config.md. The DSCP map follows
 * NVIDIA's RoCE configuration (RoCE on DSCP 26 / priority 3, CNPs on DSCP 48
 * / priority 6); lossless 3 and 4 are SONiC's; the buffer values follow
 * SONiC's dynamic buffer model.
 */
void
conf_set_defaults(struct fab_switch_conf *c)
{
	unsigned int i;

	snprintf(c->name, sizeof(c->name), "rocefab");
	c->seed = 1;
	c->mtu = CONF_DEFAULT_MTU;
	c->time = FAB_CONF_TIME_AUTO;
	c->mac = (struct rte_ether_addr){ { 0x02, 0xfa, 0xb0, 0x00, 0x00, 0x00 } };

	c->qos.dscp_to_class[26] = 3;
	c->qos.dscp_to_class[48] = 6;
	for (i = 0; i < FAB_NUM_PRIO; i++) {
		c->qos.pcp_to_class[i] = (uint8_t)i;
		c->qos.weight[i] = 1;
	}
	c->qos.lossless_mask = 1u << 3 | 1u << 4;
	c->qos.strict_mask = 1u << 6;
	c->qos.cnp_class = 6;

	c->buffer.pool = UINT64_C(16) << 20;
	c->buffer.pg_reserved = 0;
	c->buffer.pg_dynamic_th = 0;
	c->buffer.xoff_auto = true;
	c->buffer.xon = 18432;
	c->buffer.xon_offset = 18432;
	c->buffer.peer_response_ps = UINT64_C(1000000);
	c->buffer.egress_lossy_dynamic_th = 3;
	c->buffer.egress_lossless_limit = c->buffer.pool;

	snprintf(c->ecn.plugin, sizeof(c->ecn.plugin), "ecn-red");
	c->ecn.mark_at = FAB_CONF_MARK_ENQUEUE;

	c->pfc.enabled = true;
	c->pfc.pause_quanta = 65535;
	c->pfc.refresh_auto = true;
	c->pfc.honor_pause = false;
	c->pfc.watchdog = false;
	c->pfc.watchdog_detect_ps = UINT64_C(200) * 1000000000;
	c->pfc.watchdog_restore_ps = UINT64_C(400) * 1000000000;
	c->pfc.watchdog_action = FAB_CONF_WD_DROP;

	snprintf(c->lb.plugin, sizeof(c->lb.plugin), "lb-ecmp");
	c->lb.buckets = 256;
}

static int
parse_switch(struct conf_ctx *ctx)
{
	static const char *const keys[] = {
		"name", "seed", "hash_seed", "mtu", "time", "mac", NULL,
	};
	static const char *const times[] = { "auto", "real", "virtual", NULL };
	const struct fab_yaml_node *sw = conf_get(ctx->root, "switch"), *n;
	struct fab_switch_conf *c = ctx->conf;
	uint64_t v;
	unsigned int t;
	int ret;

	ret = conf_section(ctx, sw, keys);
	if (ret < 0)
		return ret;
	n = conf_get(sw, "name");
	if (n != NULL && (ret = get_name(ctx, n, c->name)) < 0)
		return ret;
	n = conf_get(sw, "seed");
	if (n != NULL && (ret = fab_yaml_get_u64(n, 0, UINT64_MAX, &c->seed, ctx->err,
			ctx->errlen)) < 0)
		return ret;
	c->hash_seed = c->seed;
	n = conf_get(sw, "hash_seed");
	if (n != NULL && (ret = fab_yaml_get_u64(n, 0, UINT64_MAX, &c->hash_seed, ctx->err,
			ctx->errlen)) < 0)
		return ret;
	n = conf_get(sw, "mtu");
	if (n != NULL) {
		ret = fab_yaml_get_u64(n, CONF_MIN_MTU, CONF_MAX_MTU, &v, ctx->err, ctx->errlen);
		if (ret < 0)
			return ret;
		c->mtu = (uint32_t)v;
	}
	n = conf_get(sw, "time");
	if (n != NULL) {
		ret = fab_yaml_get_enum(n, times, &t, ctx->err, ctx->errlen);
		if (ret < 0)
			return ret;
		c->time = t == 0 ? FAB_CONF_TIME_AUTO : t == 1 ? FAB_CONF_TIME_REAL :
			FAB_CONF_TIME_VIRTUAL;
		ctx->time_node = n;
	}
	n = conf_get(sw, "mac");
	if (n != NULL && (ret = fab_yaml_get_mac(n, true, &c->mac, ctx->err, ctx->errlen)) < 0)
		return ret;
	return 0;
}

int
conf_parse_plugins(struct conf_ctx *ctx)
{
	static const char *const keys[] = { "path", NULL };
	const struct fab_yaml_node *pl = conf_get(ctx->root, "plugins"), *path;
	struct fab_switch_conf *c = ctx->conf;
	uint32_t i;
	int ret;

	ret = conf_section(ctx, pl, keys);
	if (ret < 0)
		return ret;
	path = conf_get(pl, "path");
	if (path == NULL)
		return 0;
	if (path->type == FAB_YAML_SCALAR) {
		c->plugin_paths = calloc(2, sizeof(*c->plugin_paths));
		if (c->plugin_paths == NULL) {
			fab_yaml_error(path, ctx->err, ctx->errlen, "out of memory");
			return -ENOMEM;
		}
		ret = conf_path(ctx, path, &c->plugin_paths[0]);
		if (ret == 0)
			c->nb_plugin_paths = 1;
		return ret;
	}
	ret = fab_yaml_expect(path, FAB_YAML_SEQUENCE, ctx->err, ctx->errlen);
	if (ret < 0)
		return ret;
	if (path->count > UINT16_MAX)
		return fab_yaml_error(path, ctx->err, ctx->errlen, "too many directories");
	c->plugin_paths = calloc(path->count + 1, sizeof(*c->plugin_paths));
	if (c->plugin_paths == NULL) {
		fab_yaml_error(path, ctx->err, ctx->errlen, "out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < path->count; i++) {
		ret = conf_path(ctx, path->items[i], &c->plugin_paths[i]);
		if (ret < 0)
			return ret;
		c->nb_plugin_paths++;
	}
	return 0;
}

static int
parse_stats(struct conf_ctx *ctx)
{
	static const char *const keys[] = { "interval", NULL };
	const struct fab_yaml_node *st = conf_get(ctx->root, "stats"), *n;
	int ret;

	ret = conf_section(ctx, st, keys);
	if (ret < 0)
		return ret;
	n = conf_get(st, "interval");
	if (n == NULL)
		return 0;
	return fab_yaml_get_duration(n, 0, UINT64_C(3600) * 1000000000000,
			&ctx->conf->stats_interval_ps, ctx->err, ctx->errlen);
}

/*
 * DPDK devices run in real time; pcap files in virtual time, or in real time
 * paced by the wall clock when asked. "auto" picks from the ports.
 */
static int
resolve_time(struct conf_ctx *ctx)
{
	struct fab_switch_conf *c = ctx->conf;
	uint16_t i, first_dev = UINT16_MAX, first_pcap = UINT16_MAX;

	for (i = 0; i < c->nb_ports; i++) {
		if (c->ports[i].kind == FAB_CONF_PORT_DEV && first_dev == UINT16_MAX)
			first_dev = i;
		if (c->ports[i].kind == FAB_CONF_PORT_PCAP && first_pcap == UINT16_MAX)
			first_pcap = i;
	}
	if (c->time == FAB_CONF_TIME_VIRTUAL && first_dev != UINT16_MAX)
		return fab_yaml_error(ctx->port_kind_nodes[first_dev], ctx->err, ctx->errlen,
				"port '%s' is a DPDK device, which cannot run in virtual time "
				"(switch.time is 'virtual' at %u:%u)",
				c->ports[first_dev].name, ctx->time_node->line,
				ctx->time_node->col);
	if (c->time == FAB_CONF_TIME_AUTO && first_dev != UINT16_MAX &&
			first_pcap != UINT16_MAX) {
		uint16_t later = RTE_MAX(first_dev, first_pcap);
		uint16_t earlier = RTE_MIN(first_dev, first_pcap);

		return fab_yaml_error(ctx->port_kind_nodes[later], ctx->err, ctx->errlen,
				"port '%s' is a %s but port '%s' is a %s; to mix them set "
				"switch.time to 'real' (pcap files then play at wall-clock pace)",
				c->ports[later].name,
				later == first_dev ? "DPDK device" : "pcap file",
				c->ports[earlier].name,
				earlier == first_dev ? "DPDK device" : "pcap file");
	}
	if (c->time == FAB_CONF_TIME_AUTO)
		c->time = first_dev != UINT16_MAX ? FAB_CONF_TIME_REAL : FAB_CONF_TIME_VIRTUAL;
	return 0;
}

void
fab_conf_ecn_default(uint64_t rate_bps, struct fab_conf_ecn_class *out)
{
	/* HPCC: 400 KB / 1600 KB at 100G with KB = 1000, i.e. 4000 and 16000 bytes per Gb/s. */
	out->enabled = true;
	out->kmin = rate_bps / 250000;
	out->kmax = rate_bps / 62500;
	out->pmax = 0.2;
	out->k = out->kmin;
}

static int
conf_from_doc(const struct fab_yaml_doc *doc, const char *base_dir,
		struct fab_switch_conf *c, char *err, size_t errlen)
{
	struct conf_ctx ctx;
	int ret;

	memset(&ctx, 0, sizeof(ctx));
	ctx.conf = c;
	ctx.root = fab_yaml_root(doc);
	ctx.base_dir = base_dir;
	ctx.err = err;
	ctx.errlen = errlen;

	if (ctx.root == NULL) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "%s:1:1: error: the file is empty; "
				"a switch needs at least a 'ports' list", fab_yaml_doc_name(doc));
		return -EINVAL;
	}
	ret = fab_yaml_check_keys(ctx.root, top_keys, err, errlen);
	if (ret < 0)
		return ret;
	ret = conf_strdup(&ctx, ctx.root, fab_yaml_doc_name(doc), &c->path);
	if (ret < 0)
		return ret;
	conf_set_defaults(c);

	ret = parse_switch(&ctx);
	if (ret == 0)
		ret = conf_parse_qos(&ctx);
	if (ret == 0)
		ret = conf_parse_ports(&ctx);
	if (ret == 0)
		ret = resolve_time(&ctx);
	if (ret == 0)
		ret = conf_parse_buffer(&ctx);
	if (ret == 0)
		ret = conf_parse_ecn(&ctx);
	if (ret == 0)
		ret = conf_resolve_ecn(&ctx);
	if (ret == 0)
		ret = conf_parse_pfc(&ctx);
	if (ret == 0)
		ret = conf_parse_lb(&ctx);
	if (ret == 0)
		ret = conf_parse_routes(&ctx);
	if (ret == 0)
		ret = conf_parse_plugins(&ctx);
	if (ret == 0)
		ret = parse_stats(&ctx);
	free(ctx.port_nodes);
	free(ctx.port_kind_nodes);
	return ret;
}

static int
load_doc(struct fab_yaml_doc *doc, const char *base_dir, struct fab_switch_conf *out,
		char *err, size_t errlen)
{
	int ret;

	if (doc == NULL)
		return -rte_errno;
	ret = conf_from_doc(doc, base_dir, out, err, errlen);
	if (ret < 0) {
		fab_switch_conf_free(out);
	} else {
		CONF_LOG(DEBUG, "%s: switch '%s', %u ports, %u routes, %s time\n",
			out->path, out->name, out->nb_ports, out->nb_routes,
			fab_conf_time_name(out->time));
	}
	fab_yaml_free(doc);
	return ret;
}

int
fab_switch_conf_load_string(const char *name, const char *text, const char *base_dir,
		struct fab_switch_conf *out, char *err, size_t errlen)
{
	char *dir;
	int ret;

	if (out == NULL)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	if (name == NULL || text == NULL) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "error: no configuration given");
		return -EINVAL;
	}
	dir = base_dir != NULL ? strdup(base_dir) : fab_yaml_dir_of(name);
	if (dir == NULL) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "%s: error: out of memory", name);
		return -ENOMEM;
	}
	ret = load_doc(fab_yaml_load_string(name, text, err, errlen), dir, out, err, errlen);
	free(dir);
	return ret;
}

int
fab_switch_conf_load(const char *path, struct fab_switch_conf *out, char *err, size_t errlen)
{
	char *dir;
	int ret;

	if (out == NULL)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	if (path == NULL) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "error: no configuration file given");
		return -EINVAL;
	}
	dir = fab_yaml_dir_of(path);
	if (dir == NULL) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "%s: error: out of memory", path);
		return -ENOMEM;
	}
	ret = load_doc(fab_yaml_load_file(path, err, errlen), dir, out, err, errlen);
	free(dir);
	return ret;
}

void
fab_switch_conf_free(struct fab_switch_conf *conf)
{
	uint32_t i;

	if (conf == NULL)
		return;
	for (i = 0; i < conf->nb_ports && conf->ports != NULL; i++) {
		free(conf->ports[i].dev_name);
		free(conf->ports[i].pcap_rx);
		free(conf->ports[i].pcap_tx);
	}
	free(conf->ports);
	if (conf->plugin_paths != NULL)
		for (i = 0; conf->plugin_paths[i] != NULL; i++)
			free(conf->plugin_paths[i]);
	free(conf->plugin_paths);
	free(conf->routes);
	free(conf->nexthops);
	free(conf->ecn.args);
	free(conf->lb.args);
	free(conf->path);
	memset(conf, 0, sizeof(*conf));
}

int
fab_switch_conf_port_by_name(const struct fab_switch_conf *conf, const char *name)
{
	uint16_t i;

	if (conf == NULL || name == NULL)
		return -ENOENT;
	for (i = 0; i < conf->nb_ports; i++)
		if (strcmp(conf->ports[i].name, name) == 0)
			return i;
	return -ENOENT;
}
