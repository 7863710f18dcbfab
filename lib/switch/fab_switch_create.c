/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/* A switch from its configuration: the control-path half of lib/switch. */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_malloc.h>

#include "fab_ecn.h"
#include "fab_switch_private.h"

RTE_LOG_REGISTER(fab_switch_logtype, rocefab.switch, INFO);

int fab_switch_dynfield_offset = -1;

static int __rte_format_printf(3, 4)
fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int
register_dynfield(char *err, size_t errlen)
{
	static const struct rte_mbuf_dynfield desc = {
		.name = "rocefab_switch_meta",
		.size = sizeof(struct sw_mbuf_meta),
		.align = __alignof__(struct sw_mbuf_meta),
	};
	int off = rte_mbuf_dynfield_register(&desc);

	if (off < 0)
		return fail(err, errlen, "cannot register the mbuf field: %s",
			rte_strerror(rte_errno));
	fab_switch_dynfield_offset = off;
	return 0;
}

static struct fab_mmu_pg_profile
pg_profile(const struct fab_switch_conf *c, bool lossless, uint32_t headroom)
{
	const struct fab_conf_buffer *b = &c->buffer;
	struct fab_mmu_pg_profile pg = {
		.lossless = lossless,
		.th_mode = b->pg_static ? FAB_MMU_TH_STATIC : FAB_MMU_TH_DYNAMIC,
		.dynamic_th = b->pg_dynamic_th,
		.static_th_bytes = (uint32_t)RTE_MIN(b->pg_static_limit, UINT32_MAX),
		.reserved_bytes = (uint32_t)RTE_MIN(b->pg_reserved, UINT32_MAX),
	};

	if (lossless) {
		pg.xoff_bytes = headroom;
		pg.xon_bytes = (uint32_t)RTE_MIN(b->xon, UINT32_MAX);
		pg.xon_offset_bytes = (uint32_t)RTE_MIN(b->xon_offset, UINT32_MAX);
	}
	return pg;
}

static uint32_t
port_headroom(const struct fab_switch_conf *c, const struct fab_conf_port *cp)
{
	if (!c->buffer.xoff_auto)
		return (uint32_t)RTE_MIN(c->buffer.xoff, UINT32_MAX);
	/* The MTU here is the largest frame the peer may have on the wire. */
	return fab_mmu_headroom_bytes(cp->rate_bps, cp->cable_m, c->mtu + RTE_ETHER_HDR_LEN + RTE_VLAN_HLEN,
		(uint32_t)(c->buffer.peer_response_ps / 1000));
}

static int
build_mmu(struct fab_switch *sw, char *err, size_t errlen)
{
	const struct fab_switch_conf *c = sw->conf;
	struct fab_mmu_port_conf *pc = calloc(c->nb_ports, sizeof(*pc));
	struct fab_mmu_conf mc = {
		.nb_ports = c->nb_ports,
		.pool_bytes = c->buffer.pool,
	};
	uint16_t p;
	int cls;

	if (pc == NULL)
		return fail(err, errlen, "out of memory");
	for (p = 0; p < c->nb_ports; p++) {
		uint32_t hr = port_headroom(c, &c->ports[p]);

		for (cls = 0; cls < FAB_NUM_PRIO; cls++) {
			bool lossless = sw->pfc_enabled && (sw->lossless_mask >> cls) & 1;
			struct fab_mmu_queue_profile *q = &pc[p].queue[cls];

			pc[p].pg[cls] = pg_profile(c, lossless, hr);
			if (lossless) {
				/*
				 * Lossless traffic is held back by PFC at ingress, not
				 * dropped here. A queue may exceed the pool only by
				 * headroom bytes, which lie outside it: a limit of the
				 * whole pool (the default, SONiC's) means no limit.
				 */
				q->th_mode = c->buffer.egress_lossless_limit != 0 &&
					c->buffer.egress_lossless_limit < c->buffer.pool ?
					FAB_MMU_TH_STATIC : FAB_MMU_TH_UNLIMITED;
				q->static_th_bytes = (uint32_t)RTE_MIN(
					c->buffer.egress_lossless_limit, UINT32_MAX);
			} else if (c->buffer.egress_lossy_static) {
				q->th_mode = FAB_MMU_TH_STATIC;
				q->static_th_bytes = (uint32_t)RTE_MIN(
					c->buffer.egress_lossy_static_limit, UINT32_MAX);
			} else {
				q->th_mode = FAB_MMU_TH_DYNAMIC;
				q->dynamic_th = c->buffer.egress_lossy_dynamic_th;
			}
		}
		sw->ports[p].headroom = sw->pfc_enabled && sw->lossless_mask ? hr : 0;
	}
	mc.ports = pc;
	sw->mmu = fab_mmu_create(&mc);
	free(pc);
	if (sw->mmu == NULL)
		return fail(err, errlen, "%s: buffer configuration refused: %s",
			c->path, rte_strerror(rte_errno));
	return 0;
}

static bool
has_ipv6_routes(const struct fab_switch_conf *c)
{
	uint32_t r;

	for (r = 0; r < c->nb_routes; r++)
		if (c->routes[r].prefix.l3 == FAB_L3_IPV6)
			return true;
	return false;
}

static int
build_routes(struct fab_switch *sw, const struct fab_switch_params *prm,
		char *err, size_t errlen)
{
	const struct fab_switch_conf *c = sw->conf;
	struct fab_route_conf rc = {
		.name = c->name,
		.socket_id = prm->socket_id,
		.backend = prm->route_backend,
		.max_routes = RTE_MAX(c->nb_routes, 16u),
		.max_nexthops = RTE_MAX(c->nb_nexthops, 16u),
		.max_groups = RTE_MAX(c->nb_routes, 16u),
		.ipv6 = has_ipv6_routes(c),
		.group_buckets = (uint16_t)c->lb.buckets,
		.dest_cache = prm->route_dest_cache,
	};
	uint32_t *ids, r, k;
	int rc_add = 0;

	sw->route = fab_route_create(&rc);
	if (sw->route == NULL)
		return fail(err, errlen, "cannot create the route table: %s",
			rte_strerror(rte_errno));
	ids = calloc(c->nb_nexthops + 1, sizeof(*ids));
	if (ids == NULL)
		return fail(err, errlen, "out of memory");
	for (k = 0; k < c->nb_nexthops; k++) {
		struct fab_nexthop nh = {
			.port = c->nexthops[k].port,
			.dst_mac = c->nexthops[k].mac,
		};
		int id = fab_route_nh_add(sw->route, &nh);

		if (id < 0) {
			free(ids);
			return fail(err, errlen, "next hop %u: %s", k, strerror(-id));
		}
		ids[k] = (uint32_t)id;
	}
	for (r = 0; r < c->nb_routes; r++) {
		const struct fab_conf_route *cr = &c->routes[r];
		uint64_t target;

		if (cr->nb_nexthops == 1) {
			target = fab_route_target_nh(ids[cr->first_nexthop]);
		} else {
			int gid = fab_route_group_add(sw->route, &ids[cr->first_nexthop],
				cr->nb_nexthops);

			if (gid < 0) {
				rc_add = gid;
				goto bad;
			}
			target = fab_route_target_group((uint32_t)gid);
		}
		if (cr->prefix.l3 == FAB_L3_IPV4)
			rc_add = fab_route_add_v4(sw->route,
				rte_be_to_cpu_32(cr->prefix.addr.v4), cr->prefix.depth, target);
		else
			rc_add = fab_route_add_v6(sw->route, cr->prefix.addr.v6,
				cr->prefix.depth, target);
		if (rc_add < 0)
			goto bad;
	}
	free(ids);
	return 0;
bad:
	free(ids);
	return fail(err, errlen, "%s:%u:%u: route refused: %s", c->path,
		c->routes[r].line, c->routes[r].col, strerror(-rc_add));
}

static int
load_plugins(struct fab_switch *sw, char *err, size_t errlen)
{
	const struct fab_switch_conf *c = sw->conf;
	const char *const *dirs = (const char *const *)c->plugin_paths;
	char why[256];

	sw->ecn_plugin = fab_plugin_load_dirs(c->ecn.plugin, dirs, c->nb_plugin_paths,
		FAB_PLUGIN_ECN, why, sizeof(why));
	if (sw->ecn_plugin == NULL)
		return fail(err, errlen, "%s: ecn plugin: %s", c->path, why);
	sw->ecn_ops = fab_plugin_ecn_ops(sw->ecn_plugin);
	sw->lb_plugin = fab_plugin_load_dirs(c->lb.plugin, dirs, c->nb_plugin_paths,
		FAB_PLUGIN_LB, why, sizeof(why));
	if (sw->lb_plugin == NULL)
		return fail(err, errlen, "%s: lb plugin: %s", c->path, why);
	sw->lb_ops = fab_plugin_lb_ops(sw->lb_plugin);
	{
		struct fab_lb_conf lc = {
			.seed = c->seed,
			.hash_seed = (uint32_t)(c->hash_seed ^ (c->hash_seed >> 32)),
			.args = c->lb.args,
			.host = fab_plugin_host_default(),
		};

		sw->lb_state = sw->lb_ops->create(&lc);
		if (sw->lb_state == NULL)
			return fail(err, errlen, "%s: lb plugin %s refused its configuration",
				c->path, c->lb.plugin);
	}
	return 0;
}

/* The ECN state of egress port @p p: NULL without an enabled class; -EINVAL when the policy refuses. */
static int
ecn_create(struct fab_switch *sw, uint16_t p, void **state)
{
	const struct fab_switch_conf *c = sw->conf;
	const struct fab_conf_port *cp = &c->ports[p];
	struct fab_ecn_conf ec = {
		.args = c->ecn.args,
		.host = fab_plugin_host_default(),
	};
	bool any = false;
	int cls;

	/* One stream per egress port, so ports never share random draws. */
	ec.seed = fab_rng_splitmix64(&(uint64_t){ c->seed ^ (0x9e3779b97f4a7c15ull * (p + 1)) });
	for (cls = 0; cls < FAB_NUM_PRIO; cls++) {
		const struct fab_conf_ecn_class *e = &cp->ecn[cls];

		ec.cls[cls].enabled = e->enabled;
		ec.cls[cls].kmin_bytes = (uint32_t)RTE_MIN(e->kmin, UINT32_MAX);
		ec.cls[cls].kmax_bytes = (uint32_t)RTE_MIN(e->kmax, UINT32_MAX);
		ec.cls[cls].pmax = e->pmax;
		ec.cls[cls].k_bytes = (uint32_t)RTE_MIN(e->k, UINT32_MAX);
		any |= e->enabled;
	}
	*state = any ? sw->ecn_ops->create(&ec) : NULL;
	return any && *state == NULL ? -EINVAL : 0;
}

static uint32_t
queue_capacity(const struct fab_switch_params *prm)
{
	uint64_t frames;

	if (prm->queue_capacity != 0)
		return prm->queue_capacity;
	/*
	 * The MMU, not the ring, should limit a queue: room for the whole pool in
	 * frames of 512 bytes on average. Smaller frames filling one queue with
	 * the whole pool are counted as queue_full drops.
	 */
	frames = prm->conf->buffer.pool / 512 + 1024;
	frames = RTE_MIN(frames, (uint64_t)1 << 20);
	return (uint32_t)rte_align64pow2(frames);
}

static int
build_port(struct fab_switch *sw, const struct fab_switch_params *prm, uint16_t p,
		char *err, size_t errlen)
{
	const struct fab_switch_conf *c = sw->conf;
	const struct fab_conf_port *cp = &c->ports[p];
	struct sw_port *sp = &sw->ports[p];
	struct fab_sched_conf sc = {
		.name = cp->name,
		.socket_id = prm->socket_id,
		.rate_bps = prm->unlimited_shaper ? 0 : cp->rate_bps,
	};
	uint32_t cap = queue_capacity(prm);
	int cls;

	sp->port = prm->ports[p];
	if (sp->port == NULL)
		return fail(err, errlen, "port %s was not created", cp->name);
	sp->mac = cp->mac;
	sp->rate_bps = cp->rate_bps;
	sp->is_ethdev = fab_port_kind(sp->port) == FAB_PORT_KIND_ETHDEV;
	sp->passive = cp->peer_passive && sw->pfc_enabled;
	sp->trust = (uint8_t)cp->trust;
	for (cls = 0; cls < FAB_NUM_PRIO; cls++) {
		sc.cls[cls].capacity = cap;
		sc.cls[cls].weight = c->qos.weight[cls] != 0 ? c->qos.weight[cls] : 1;
		sc.cls[cls].strict = (c->qos.strict_mask >> cls) & 1;
		fab_pfc_wd_init(&sp->wd[cls]);
	}
	sp->sched = fab_sched_create(&sc);
	if (sp->sched == NULL)
		return fail(err, errlen, "port %s: scheduler refused: %s", cp->name,
			rte_strerror(rte_errno));

	{
		struct fab_pfc_rx_conf rx = {
			.rate_bps = cp->rate_bps,
			.honor_pause = c->pfc.honor_pause,
			/* Without PFC every received frame is counted and none obeyed. */
			.ignore_mask = sw->pfc_enabled ? 0 : 0xff,
		};

		sp->pfc_rx = fab_pfc_rx_create(&rx);
		if (sp->pfc_rx == NULL)
			return fail(err, errlen, "port %s: PFC receive state refused", cp->name);
	}
	if (sw->pfc_enabled && sw->lossless_mask != 0) {
		struct fab_pfc_tx_conf tx = {
			.rate_bps = cp->rate_bps,
			.pause_quanta = c->pfc.pause_quanta,
			.refresh_ps = c->pfc.refresh_auto ? 0 : c->pfc.refresh_ps,
			.enable_mask = sw->lossless_mask,
		};

		sp->pfc_tx = fab_pfc_tx_create(&tx);
		if (sp->pfc_tx == NULL)
			return fail(err, errlen, "port %s: PFC settings refused (refresh %llu ps)",
				cp->name, (unsigned long long)tx.refresh_ps);
	}
	for (cls = 0; cls < FAB_NUM_PRIO; cls++)
		sp->pg_of[cls] = fab_mmu_pg_of(sw->mmu, p, (uint8_t)cls);
	if (ecn_create(sw, p, &sp->ecn_state) < 0)
		return fail(err, errlen, "%s: port %s: ecn plugin %s refused its configuration",
			c->path, cp->name, fab_plugin_get_desc(sw->ecn_plugin)->name);
	/* Frames that see no deeper queue are not offered to the policy at all. */
	for (cls = 0; cls < FAB_NUM_PRIO; cls++)
		sp->ecn_quiet[cls] = sp->ecn_state == NULL ? UINT32_MAX :
			fab_plugin_ecn_quiet_depth(sw->ecn_plugin, sp->ecn_state, (uint8_t)cls);
	return 0;
}

static void
unbind_rx_due(struct fab_switch *sw, uint16_t n)
{
	uint16_t p;

	for (p = 0; p < n; p++)
		fab_port_bind_next_rx(sw->ports[p].port, NULL);
	sw->rx_due_bound = false;
}

/* All ports or none: one port that cannot (an ethdev, a pcap file) keeps the per-port path. */
static void
bind_rx_due(struct fab_switch *sw)
{
	uint16_t p;

	for (p = 0; p < sw->nb_ports; p++) {
		if (fab_port_bind_next_rx(sw->ports[p].port, &sw->rx_due[p]) != 0) {
			unbind_rx_due(sw, p);
			return;
		}
	}
	sw->rx_due_bound = true;
}

struct fab_switch *
fab_switch_create(const struct fab_switch_params *prm, char *err, size_t errlen)
{
	const struct fab_switch_conf *c;
	struct fab_switch *sw;
	uint16_t p;

	if (prm == NULL || prm->conf == NULL || prm->ports == NULL || prm->ctrl_pool == NULL) {
		fail(err, errlen, "switch parameters incomplete");
		rte_errno = EINVAL;
		return NULL;
	}
	c = prm->conf;
	if (c->nb_ports == 0) {
		fail(err, errlen, "%s: a switch needs ports", c->path);
		rte_errno = EINVAL;
		return NULL;
	}
	if (register_dynfield(err, errlen) < 0)
		return NULL;
	sw = calloc(1, sizeof(*sw));
	if (sw == NULL)
		goto nomem;
	sw->conf = c;
	sw->nb_ports = c->nb_ports;
	sw->ctrl_pool = prm->ctrl_pool;
	sw->mtu = c->mtu;
	memcpy(sw->dscp_to_class, c->qos.dscp_to_class, sizeof(sw->dscp_to_class));
	memcpy(sw->pcp_to_class, c->qos.pcp_to_class, sizeof(sw->pcp_to_class));
	sw->cnp_class = c->qos.cnp_class;
	sw->lossless_mask = c->qos.lossless_mask;
	sw->pfc_enabled = c->pfc.enabled;
	sw->mark_at_dequeue = c->ecn.mark_at == FAB_CONF_MARK_DEQUEUE;
	if (c->pfc.watchdog) {
		sw->wd_enabled = true;
		sw->wd_conf.detect_ps = c->pfc.watchdog_detect_ps;
		sw->wd_conf.restore_ps = c->pfc.watchdog_restore_ps;
		sw->wd_conf.action = (uint8_t)c->pfc.watchdog_action;
		if (fab_pfc_wd_conf_check(&sw->wd_conf) != 0) {
			fail(err, errlen, "%s: PFC watchdog settings refused", c->path);
			goto bad;
		}
	}
	/* Cache-aligned, so that each port's two hot lines are two lines. */
	sw->ports = aligned_alloc(RTE_CACHE_LINE_SIZE, c->nb_ports * sizeof(*sw->ports));
	if (sw->ports != NULL)
		memset(sw->ports, 0, c->nb_ports * sizeof(*sw->ports));
	sw->eg_due = calloc(c->nb_ports, sizeof(*sw->eg_due));
	sw->rx_due = calloc(c->nb_ports, sizeof(*sw->rx_due));
	sw->pfc_due = calloc(c->nb_ports, sizeof(*sw->pfc_due));
	if (sw->ports == NULL || sw->eg_due == NULL || sw->rx_due == NULL ||
			sw->pfc_due == NULL)
		goto nomem;
	if (load_plugins(sw, err, errlen) < 0 || build_routes(sw, prm, err, errlen) < 0 ||
			build_mmu(sw, err, errlen) < 0)
		goto bad;
	for (p = 0; p < c->nb_ports; p++)
		if (build_port(sw, prm, p, err, errlen) < 0)
			goto bad;
	for (p = 0; p < c->nb_ports; p++) {
		sw_pfc_due_update(sw, p);
		sw_eg_due_update(sw, p, 0);
	}
	bind_rx_due(sw);
	SW_LOG(INFO, "%s: %u ports, buffer %llu bytes, ecn %s, lb %s, route backend %s\n",
		c->name, c->nb_ports, (unsigned long long)fab_mmu_total_bytes(sw->mmu),
		c->ecn.plugin, c->lb.plugin, fab_route_backend_name(prm->route_backend));
	return sw;
nomem:
	fail(err, errlen, "out of memory");
bad:
	fab_switch_free(sw);
	rte_errno = EINVAL;
	return NULL;
}

void
fab_switch_free(struct fab_switch *sw)
{
	uint16_t p;

	if (sw == NULL)
		return;
	/* The ports outlive the switch: they must stop writing into rx_due. */
	unbind_rx_due(sw, sw->rx_due_bound ? sw->nb_ports : 0);
	for (p = 0; sw->ports != NULL && p < sw->nb_ports; p++) {
		struct sw_port *sp = &sw->ports[p];

		fab_sched_free(sp->sched);
		fab_pfc_tx_free(sp->pfc_tx);
		fab_pfc_rx_free(sp->pfc_rx);
		if (sp->ecn_state != NULL)
			sw->ecn_ops->free(sp->ecn_state);
	}
	free(sw->ports);
	free(sw->eg_due);
	free(sw->rx_due);
	free(sw->pfc_due);
	if (sw->lb_state != NULL)
		sw->lb_ops->free(sw->lb_state);
	fab_plugin_unload(sw->lb_plugin);
	fab_plugin_unload(sw->ecn_plugin);
	fab_route_free(sw->route);
	fab_mmu_free(sw->mmu);
	free(sw);
}
