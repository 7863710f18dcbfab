/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * The traffic generator in the fabric: jobs are kept as added until start,
 * then handed to lib/gen with every host (all local: one process runs the
 * whole fabric). Generator hosts are numbered in node id order, so the
 * QPNs, PSNs and ports it derives do not depend on the order of adding.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>

#include "fab_fabric_private.h"

static char *
dup_or_null(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

int
fab_fabric_set_nic(struct fab_fabric *fab, const struct fab_gen_nic_conf *nic)
{
	char *copy[3];
	int i;

	if (fab == NULL || nic == NULL || fab->started)
		return -EINVAL;
	copy[0] = dup_or_null(nic->cc);
	copy[1] = dup_or_null(nic->cc_args);
	copy[2] = dup_or_null(nic->plugin_path);
	if ((nic->cc != NULL && copy[0] == NULL) || (nic->cc_args != NULL && copy[1] == NULL) ||
			(nic->plugin_path != NULL && copy[2] == NULL)) {
		for (i = 0; i < 3; i++)
			free(copy[i]);
		return fabric_fail(fab, -ENOMEM, "out of memory");
	}
	for (i = 0; i < 3; i++) {
		free(fab->nic_strings[i]);
		fab->nic_strings[i] = copy[i];
	}
	fab->nic = *nic;
	fab->nic.cc = copy[0];
	fab->nic.cc_args = copy[1];
	fab->nic.plugin_path = copy[2];
	return 0;
}

int
fab_fabric_add_job(struct fab_fabric *fab, const struct fab_gen_job_conf *conf)
{
	struct fabric_job *j;
	uint32_t i, n;

	if (fab == NULL || conf == NULL)
		return -EINVAL;
	if (fab->started)
		return fabric_fail(fab, -EINVAL, "job %s: the fabric has started", conf->name);
	n = conf->coll.nranks;
	if (n < 2 || conf->hosts == NULL || conf->nb_sizes == 0 || conf->sizes == NULL)
		return fabric_fail(fab, -EINVAL, "job %s: needs ranks and sizes", conf->name);
	for (i = 0; i < n; i++)
		if (conf->hosts[i] >= fab->nb_nodes ||
				fab->nodes[conf->hosts[i]]->kind != FAB_NODE_HOST)
			return fabric_fail(fab, -EINVAL, "job %s: rank %u is not on a host",
				conf->name, i);
	if (fab->nb_jobs == fab->cap_jobs) {
		uint32_t cap = fab->cap_jobs == 0 ? 4 : fab->cap_jobs * 2;
		struct fabric_job *grown = realloc(fab->jobs, cap * sizeof(*grown));

		if (grown == NULL)
			return fabric_fail(fab, -ENOMEM, "out of memory");
		fab->jobs = grown;
		fab->cap_jobs = cap;
	}
	j = &fab->jobs[fab->nb_jobs];
	memset(j, 0, sizeof(*j));
	j->conf = *conf;
	j->hosts = malloc(n * sizeof(*j->hosts));
	j->sizes = malloc(conf->nb_sizes * sizeof(*j->sizes));
	if (j->hosts == NULL || j->sizes == NULL) {
		free(j->hosts);
		free(j->sizes);
		return fabric_fail(fab, -ENOMEM, "out of memory");
	}
	memcpy(j->hosts, conf->hosts, n * sizeof(*j->hosts));
	memcpy(j->sizes, conf->sizes, conf->nb_sizes * sizeof(*j->sizes));
	j->conf.hosts = j->hosts;
	j->conf.sizes = j->sizes;
	return (int)fab->nb_jobs++;
}

void
fabric_jobs_free(struct fab_fabric *fab)
{
	uint32_t i;

	fab_gen_free(fab->gen);
	fab->gen = NULL;
	for (i = 0; i < fab->nb_jobs; i++) {
		free(fab->jobs[i].hosts);
		free(fab->jobs[i].sizes);
	}
	free(fab->jobs);
	for (i = 0; i < 3; i++)
		free(fab->nic_strings[i]);
	free(fab->gen_nodes);
}

/* The largest frame of a job: WRITE FIRST at the MTU, from any host of either family. */
uint32_t
fabric_jobs_max_frame(const struct fab_fabric *fab)
{
	struct fab_roce_addr a = { .l3 = FAB_L3_IPV6 };
	uint32_t mtu = fab->nic.mtu != 0 ? fab->nic.mtu : FAB_FABRIC_DEFAULT_MTU;

	if (fab->nb_jobs == 0)
		return 0;
	return fab_pkt_roce_frame_len(&a, FAB_OP_RC_WRITE_FIRST, mtu);
}

int
fabric_jobs_start(struct fab_fabric *fab)
{
	struct fab_gen_conf gc = {
		.seed = fab->conf.seed,
		.nic = fab->nic,
		.pool = fab->pool,
		.socket_id = fab->conf.socket_id,
	};
	uint32_t i, k, nb_hosts = 0;
	uint32_t *ranks = NULL;
	char err[512];
	int ret;

	for (i = 0; i < fab->nb_nodes; i++)
		fab->nodes[i]->gen_host = UINT32_MAX;
	if (fab->nb_jobs == 0)
		return 0;
	fab->gen = fab_gen_create(&gc, err, sizeof(err));
	fab->gen_nodes = calloc(fab->nb_nodes, sizeof(*fab->gen_nodes));
	if (fab->gen == NULL || fab->gen_nodes == NULL)
		return fabric_fail(fab, -ENOMEM, "generator: %s", fab->gen == NULL ? err :
			"out of memory");
	for (i = 0; i < fab->nb_nodes; i++) {
		struct fabric_node *n = fab->nodes[fab->by_id[i]];
		const struct fabric_port *fp;
		struct fab_gen_host_conf hc;

		if (n->kind != FAB_NODE_HOST)
			continue;
		fp = &n->ports[0];
		memset(&hc, 0, sizeof(hc));
		snprintf(hc.name, sizeof(hc.name), "%s", n->name);
		hc.l3 = n->host->conf.l3;
		hc.ip = n->host->conf.ip;
		hc.mac = n->host->conf.mac;
		hc.gw_mac = fab->nodes[fp->peer]->ports[fp->peer_port].mac;
		hc.rate_bps = n->host->conf.rate_bps;
		memcpy(hc.dscp_to_class, n->host->conf.dscp_to_class, sizeof(hc.dscp_to_class));
		hc.local = true;
		ret = fab_gen_add_host(fab->gen, &hc);
		if (ret < 0)
			return fabric_fail(fab, ret, "generator: host %s: %s", n->name,
				strerror(-ret));
		n->gen_host = (uint32_t)ret;
		n->host->gen = fab->gen;
		fab->gen_nodes[nb_hosts++] = fab->by_id[i];
	}
	for (i = 0; i < fab->nb_jobs; i++) {
		struct fab_gen_job_conf jc = fab->jobs[i].conf;

		free(ranks);
		ranks = calloc(jc.coll.nranks, sizeof(*ranks));
		if (ranks == NULL)
			return fabric_fail(fab, -ENOMEM, "out of memory");
		for (k = 0; k < jc.coll.nranks; k++)
			ranks[k] = fab->nodes[jc.hosts[k]]->gen_host;
		jc.hosts = ranks;
		ret = fab_gen_add_job(fab->gen, &jc, err, sizeof(err));
		if (ret < 0) {
			free(ranks);
			return fabric_fail(fab, ret, "%s", err);
		}
	}
	free(ranks);
	ret = fab_gen_start(fab->gen, 0, err, sizeof(err));
	if (ret < 0)
		return fabric_fail(fab, ret, "%s", err);
	return 0;
}

struct fab_gen *
fab_fabric_gen(const struct fab_fabric *fab)
{
	return fab != NULL && fab->started ? fab->gen : NULL;
}

int
fab_fabric_gen_host(const struct fab_fabric *fab, int node)
{
	if (fab == NULL || fab->gen == NULL || node < 0 || (uint32_t)node >= fab->nb_nodes ||
			fab->nodes[node]->gen_host == UINT32_MAX)
		return -EINVAL;
	return (int)fab->nodes[node]->gen_host;
}

int
fab_fabric_gen_node(const struct fab_fabric *fab, uint32_t gen_host)
{
	if (fab == NULL || fab->gen == NULL || gen_host >= fab_gen_nb_hosts(fab->gen))
		return -EINVAL;
	return (int)fab->gen_nodes[gen_host];
}
