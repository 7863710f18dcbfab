/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/* The ports section: one entry per port, in the order the switch numbers them. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_build_config.h>

#include "fab_config_priv.h"

/* RTE_DEV_NAME_MAX_LEN, without pulling in the device headers. */
#define CONF_DEV_NAME_MAX 64
/* SONiC's default cable length for a server-facing port. */
#define CONF_DEFAULT_CABLE_M 5
#define CONF_MAX_CABLE_M 10000
#define CONF_DEFAULT_RATE UINT64_C(100000000000)

static const char *const port_keys[] = {
	"name", "dev", "pcap", "rate", "mac", "peer", "cable_m", "trust", NULL,
};
static const char *const pcap_keys[] = { "rx", "tx", "timing", NULL };
static const char *const peer_keys[] = { "mac", "passive", NULL };
static const char *const timings[] = { "trace", "line-rate", NULL };
static const char *const trusts[] = { "dscp", "pcp", NULL };

/* Port i's MAC when not given: the switch MAC plus i, as a 48-bit number. */
static int
derive_mac(struct conf_ctx *ctx, const struct fab_yaml_node *n, uint16_t index,
		struct rte_ether_addr *out)
{
	const struct rte_ether_addr *base = &ctx->conf->mac;
	uint64_t v = 0;
	int i;

	for (i = 0; i < RTE_ETHER_ADDR_LEN; i++)
		v = v << 8 | base->addr_bytes[i];
	v += index;
	for (i = RTE_ETHER_ADDR_LEN - 1; i >= 0; i--) {
		out->addr_bytes[i] = (uint8_t)v;
		v >>= 8;
	}
	if (out->addr_bytes[0] != base->addr_bytes[0])
		return fab_yaml_error(n, ctx->err, ctx->errlen,
				"the switch MAC plus %u leaves its first octet; give this port a mac",
				index);
	return 0;
}

static int
parse_dev(struct conf_ctx *ctx, const struct fab_yaml_node *n, struct fab_conf_port *p)
{
	uint64_t index;
	int ret;

	p->kind = FAB_CONF_PORT_DEV;
	ret = fab_yaml_expect(n, FAB_YAML_SCALAR, ctx->err, ctx->errlen);
	if (ret < 0)
		return ret;
	if (n->value[strspn(n->value, "0123456789")] == '\0') {
		ret = fab_yaml_get_u64(n, 0, RTE_MAX_ETHPORTS - 1, &index, ctx->err,
				ctx->errlen);
		if (ret < 0)
			return ret;
		p->dev_index = (uint16_t)index;
		return 0;
	}
	if (n->len >= CONF_DEV_NAME_MAX || strchr(n->value, ' ') != NULL)
		return fab_yaml_error(n, ctx->err, ctx->errlen,
				"'%s' is not a DPDK device name (at most %u characters, no blanks)",
				n->value, CONF_DEV_NAME_MAX - 1);
	return conf_strdup(ctx, n, n->value, &p->dev_name);
}

static int
parse_pcap(struct conf_ctx *ctx, const struct fab_yaml_node *n, struct fab_conf_port *p)
{
	const struct fab_yaml_node *v;
	unsigned int t;
	int ret;

	p->kind = FAB_CONF_PORT_PCAP;
	ret = fab_yaml_check_keys(n, pcap_keys, ctx->err, ctx->errlen);
	if (ret < 0)
		return ret;
	v = conf_get(n, "rx");
	if (v != NULL && (ret = conf_path(ctx, v, &p->pcap_rx)) < 0)
		return ret;
	v = conf_get(n, "tx");
	if (v != NULL && (ret = conf_path(ctx, v, &p->pcap_tx)) < 0)
		return ret;
	if (p->pcap_rx == NULL && p->pcap_tx == NULL)
		return fab_yaml_error(n, ctx->err, ctx->errlen,
				"a pcap port needs rx (the file to read), tx (the file to write) or both");
	v = conf_get(n, "timing");
	if (v != NULL) {
		ret = fab_yaml_get_enum(v, timings, &t, ctx->err, ctx->errlen);
		if (ret < 0)
			return ret;
		p->pcap_timing = t == 0 ? FAB_CONF_PCAP_TRACE : FAB_CONF_PCAP_LINE_RATE;
	}
	return 0;
}

static int
parse_peer(struct conf_ctx *ctx, const struct fab_yaml_node *n, struct fab_conf_port *p)
{
	const struct fab_yaml_node *v;
	int ret;

	ret = fab_yaml_check_keys(n, peer_keys, ctx->err, ctx->errlen);
	if (ret < 0)
		return ret;
	v = conf_get(n, "mac");
	if (v != NULL) {
		ret = fab_yaml_get_mac(v, true, &p->peer_mac, ctx->err, ctx->errlen);
		if (ret < 0)
			return ret;
		p->peer_mac_set = true;
	}
	v = conf_get(n, "passive");
	if (v != NULL && (ret = fab_yaml_get_bool(v, &p->peer_passive, ctx->err,
			ctx->errlen)) < 0)
		return ret;
	return 0;
}

static int
parse_port(struct conf_ctx *ctx, const struct fab_yaml_node *n, uint16_t index)
{
	struct fab_switch_conf *c = ctx->conf;
	struct fab_conf_port *p = &c->ports[index];
	const struct fab_yaml_node *v, *dev, *pcap;
	const char *name;
	unsigned int t;
	uint64_t u;
	uint16_t i;
	int ret;

	ret = fab_yaml_check_keys(n, port_keys, ctx->err, ctx->errlen);
	if (ret < 0)
		return ret;
	p->line = n->line;
	p->col = n->col;
	ctx->port_nodes[index] = n;

	v = fab_yaml_map_get(n, "name");
	if (v == NULL)
		return fab_yaml_error(n, ctx->err, ctx->errlen, "a port needs a name");
	ret = fab_yaml_get_str(v, &name, ctx->err, ctx->errlen);
	if (ret < 0)
		return ret;
	if (v->len == 0 || v->len >= FAB_CONF_NAME_LEN ||
			v->value[strspn(v->value, "abcdefghijklmnopqrstuvwxyz"
				"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:/-")] != '\0')
		return fab_yaml_error(v, ctx->err, ctx->errlen,
				"'%s' is not a valid port name (letters, digits and _.:/-; at most %u)",
				v->value, FAB_CONF_NAME_LEN - 1);
	for (i = 0; i < index; i++)
		if (strcmp(c->ports[i].name, v->value) == 0)
			return fab_yaml_error(v, ctx->err, ctx->errlen,
					"duplicate port name '%s' (first at %u:%u)", v->value,
					c->ports[i].line, c->ports[i].col);
	strcpy(p->name, v->value);

	dev = conf_get(n, "dev");
	pcap = conf_get(n, "pcap");
	if (dev != NULL && pcap != NULL) {
		const struct fab_yaml_node *later = dev->line > pcap->line ||
			(dev->line == pcap->line && dev->col > pcap->col) ? dev : pcap;

		return fab_yaml_error(fab_yaml_key_of(later), ctx->err, ctx->errlen,
				"port '%s' has both dev and pcap; a port is either a DPDK device or a pcap file pair",
				p->name);
	}
	if (dev == NULL && pcap == NULL)
		return fab_yaml_error(n, ctx->err, ctx->errlen,
				"port '%s' needs dev (a DPDK device name or index) or pcap (rx/tx files)",
				p->name);
	ctx->port_kind_nodes[index] = dev != NULL ? dev : pcap;
	ret = dev != NULL ? parse_dev(ctx, dev, p) : parse_pcap(ctx, pcap, p);
	if (ret < 0)
		return ret;

	p->rate_bps = CONF_DEFAULT_RATE;
	v = conf_get(n, "rate");
	if (v != NULL && (ret = fab_yaml_get_rate(v, FAB_CONF_MIN_RATE, FAB_CONF_MAX_RATE,
			&p->rate_bps, ctx->err, ctx->errlen)) < 0)
		return ret;

	v = conf_get(n, "mac");
	if (v != NULL)
		ret = fab_yaml_get_mac(v, true, &p->mac, ctx->err, ctx->errlen);
	else
		ret = derive_mac(ctx, n, index, &p->mac);
	if (ret < 0)
		return ret;

	/* A pcap file cannot react to PFC: stand in for it unless told otherwise. */
	p->peer_passive = p->kind == FAB_CONF_PORT_PCAP;
	v = conf_get(n, "peer");
	if (v != NULL && (ret = parse_peer(ctx, v, p)) < 0)
		return ret;

	p->cable_m = CONF_DEFAULT_CABLE_M;
	v = conf_get(n, "cable_m");
	if (v != NULL) {
		ret = fab_yaml_get_u64(v, 0, CONF_MAX_CABLE_M, &u, ctx->err, ctx->errlen);
		if (ret < 0)
			return ret;
		p->cable_m = (uint32_t)u;
	}

	v = conf_get(n, "trust");
	if (v != NULL) {
		ret = fab_yaml_get_enum(v, trusts, &t, ctx->err, ctx->errlen);
		if (ret < 0)
			return ret;
		p->trust = t == 0 ? FAB_CONF_TRUST_DSCP : FAB_CONF_TRUST_PCP;
	}
	return 0;
}

int
conf_parse_ports(struct conf_ctx *ctx)
{
	const struct fab_yaml_node *ports = fab_yaml_map_get(ctx->root, "ports");
	struct fab_switch_conf *c = ctx->conf;
	uint32_t i;
	int ret;

	if (ports == NULL)
		return fab_yaml_error(ctx->root, ctx->err, ctx->errlen,
				"missing key 'ports'; a switch needs at least one port");
	ret = fab_yaml_expect(ports, FAB_YAML_SEQUENCE, ctx->err, ctx->errlen);
	if (ret < 0)
		return ret;
	if (ports->count == 0)
		return fab_yaml_error(ports, ctx->err, ctx->errlen,
				"a switch needs at least one port");
	if (ports->count > FAB_CONF_MAX_PORTS)
		return fab_yaml_error(ports->items[FAB_CONF_MAX_PORTS], ctx->err, ctx->errlen,
				"more than %u ports", FAB_CONF_MAX_PORTS);
	c->ports = calloc(ports->count, sizeof(*c->ports));
	ctx->port_nodes = calloc(ports->count, sizeof(*ctx->port_nodes));
	ctx->port_kind_nodes = calloc(ports->count, sizeof(*ctx->port_kind_nodes));
	if (c->ports == NULL || ctx->port_nodes == NULL || ctx->port_kind_nodes == NULL) {
		fab_yaml_error(ports, ctx->err, ctx->errlen, "out of memory");
		return -ENOMEM;
	}
	/* Counted from the start so that a failed load frees what was filled. */
	c->nb_ports = (uint16_t)ports->count;
	for (i = 0; i < ports->count; i++) {
		ret = parse_port(ctx, ports->items[i], (uint16_t)i);
		if (ret < 0)
			return ret;
	}
	return 0;
}
