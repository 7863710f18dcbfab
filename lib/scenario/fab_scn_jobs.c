/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * traffic.nic and traffic.jobs: the generator's NICs and its jobs
 * (collectives swept over sizes, placed on hosts). Each size of each job is
 * built once here with lib/collective, so a size the pattern cannot run
 * (halving-doubling on 6 ranks, fewer bytes than ranks) is reported at its
 * place in the file.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fab_collective.h"
#include "fab_scn_priv.h"

#define JOB_DEFAULT_DSCP 26
/* lib/transport's and lib/gen's defaults, which come after this module. */
#define NIC_DEFAULT_TIMEOUT 14
#define NIC_DEFAULT_RETRY 7
#define NIC_DEFAULT_ACK_EVERY 16
#define NIC_DEFAULT_WINDOW (1u << 20)
#define NIC_DEFAULT_OOO_WINDOW 256
#define JOB_MAX_SIZES 64
#define JOB_MAX_ITERS 100000
/* Rounds (sizes x (warmup + iters)) of one job: each keeps a little state for the results. */
#define JOB_MAX_ROUNDS (1u << 20)
#define JOB_MAX_BYTES (UINT64_C(1) << 40)
#define JOB_MAX_TIME_PS (UINT64_C(3600) * 1000000000000)

static int
get_u32(struct scn_ctx *ctx, const struct fab_yaml_node *map, const char *key, uint64_t min,
		uint64_t max, uint32_t *out)
{
	const struct fab_yaml_node *n = scn_get(map, key);
	uint64_t v;
	int ret;

	if (n == NULL)
		return 0;
	ret = fab_yaml_get_u64(n, min, max, &v, ctx->err, ctx->errlen);
	if (ret == 0)
		*out = (uint32_t)v;
	return ret;
}

int
scn_parse_nic(struct scn_ctx *ctx, const struct fab_yaml_node *nic)
{
	static const char *const keys[] = {
		"cc", "cc_args", "timeout", "retry", "ack_every", "window", "ooo_accept",
		"ooo_window", "cnp_dscp", NULL,
	};
	struct fab_scn_nic *c = &ctx->s->nic;
	const struct fab_yaml_node *n;
	const char *str;
	uint32_t v;
	int ret;

	/* The documented defaults (docs/config.md), written out so topo shows them. */
	memset(c, 0, sizeof(*c));
	snprintf(c->cc, sizeof(c->cc), "cc-dcqcn");
	c->timeout = NIC_DEFAULT_TIMEOUT;
	c->retry_cnt = NIC_DEFAULT_RETRY;
	c->ack_every = NIC_DEFAULT_ACK_EVERY;
	c->window = NIC_DEFAULT_WINDOW;
	c->ooo_window = NIC_DEFAULT_OOO_WINDOW;
	c->cnp_dscp = 48;
	ret = scn_section(ctx, nic, keys);
	if (ret < 0 || nic == NULL)
		return ret;
	if ((n = scn_get(nic, "cc")) != NULL) {
		if ((ret = fab_yaml_get_str(n, &str, ctx->err, ctx->errlen)) < 0)
			return ret;
		/* A path is taken from the scenario's directory, as plugin paths are. */
		if (strchr(str, '/') != NULL && str[0] != '/' && ctx->base_dir != NULL &&
				ctx->base_dir[0] != '\0')
			ret = snprintf(c->cc, sizeof(c->cc), "%s/%s", ctx->base_dir, str);
		else
			ret = snprintf(c->cc, sizeof(c->cc), "%s", str);
		if (ret < 0 || (size_t)ret >= sizeof(c->cc))
			return fab_yaml_error(n, ctx->err, ctx->errlen, "too long");
	}
	if ((n = scn_get(nic, "cc_args")) != NULL) {
		if ((ret = fab_yaml_get_str(n, &str, ctx->err, ctx->errlen)) < 0)
			return ret;
		if ((size_t)snprintf(c->cc_args, sizeof(c->cc_args), "%s", str) >=
				sizeof(c->cc_args))
			return fab_yaml_error(n, ctx->err, ctx->errlen, "too long");
	}
	v = c->timeout;
	if ((ret = get_u32(ctx, nic, "timeout", 1, 31, &v)) < 0)
		return ret;
	c->timeout = (uint8_t)v;
	v = c->retry_cnt;
	if ((ret = get_u32(ctx, nic, "retry", 0, 7, &v)) < 0)
		return ret;
	c->retry_cnt = (uint8_t)v;
	if ((ret = get_u32(ctx, nic, "ack_every", 1, 65536, &c->ack_every)) < 0 ||
			(ret = get_u32(ctx, nic, "window", 1, 1u << 22, &c->window)) < 0 ||
			(ret = get_u32(ctx, nic, "ooo_window", 1, 4096, &c->ooo_window)) < 0)
		return ret;
	v = c->cnp_dscp;
	if ((ret = get_u32(ctx, nic, "cnp_dscp", 0, 63, &v)) < 0)
		return ret;
	c->cnp_dscp = (uint8_t)v;
	if ((n = scn_get(nic, "ooo_accept")) != NULL &&
			(ret = fab_yaml_get_bool(n, &c->ooo_accept, ctx->err, ctx->errlen)) < 0)
		return ret;
	return 0;
}

/* Ranks on hosts: listed, leaf by leaf, or round robin across the switches hosts hang on. */
static int
place_ranks(struct scn_ctx *ctx, const struct fab_yaml_node *def, struct fab_scn_job *j,
		const struct fab_yaml_node *hosts)
{
	const struct fab_scenario *s = ctx->s;
	uint32_t i, k;
	int ret;

	j->hosts = calloc(j->nranks, sizeof(*j->hosts));
	if (j->hosts == NULL)
		return scn_nomem(ctx, def);
	if (j->placement == FAB_SCN_PLACE_LIST) {
		for (i = 0; i < j->nranks; i++) {
			ret = scn_get_host(ctx, hosts->items[i], &j->hosts[i]);
			if (ret < 0)
				return ret;
			for (k = 0; k < i; k++)
				if (j->hosts[k] == j->hosts[i])
					return fab_yaml_error(hosts->items[i], ctx->err,
						ctx->errlen, "'%s' is listed twice",
						hosts->items[i]->value);
		}
		return 0;
	}
	if (j->placement == FAB_SCN_PLACE_LINEAR) {
		for (i = 0; i < j->nranks; i++)
			j->hosts[i] = i;
		return 0;
	}
	/* Round robin: one host from each subnet in turn, skipping subnets used up. */
	{
		uint32_t *taken = calloc(s->nb_subnets + 1, sizeof(*taken));
		uint32_t sn = 0;

		if (taken == NULL)
			return scn_nomem(ctx, def);
		for (i = 0; i < j->nranks; i++) {
			while (taken[sn] >= s->subnets[sn].nb_hosts)
				sn = (sn + 1) % s->nb_subnets;
			j->hosts[i] = s->subnets[sn].first_host + taken[sn]++;
			sn = (sn + 1) % s->nb_subnets;
		}
		free(taken);
	}
	return 0;
}

static int
parse_sizes(struct scn_ctx *ctx, const struct fab_yaml_node *def, struct fab_scn_job *j)
{
	static const char *const keys[] = { "min", "max", "factor", "step", NULL };
	const struct fab_yaml_node *size = scn_get(def, "size"), *sizes = scn_get(def, "sizes");
	uint64_t min, max, factor = 0, step = 0, buf[JOB_MAX_SIZES];
	const struct fab_yaml_node *n;
	int ret, nb;

	if ((size == NULL) == (sizes == NULL))
		return fab_yaml_error(size != NULL ? sizes : def, ctx->err, ctx->errlen,
				size != NULL ? "give size or sizes, not both" :
				"a job needs size (bytes) or sizes (min, max, factor or step)");
	if (size != NULL) {
		ret = fab_yaml_get_size(size, 1, JOB_MAX_BYTES, &min, ctx->err, ctx->errlen);
		if (ret < 0)
			return ret;
		j->sizes = malloc(sizeof(*j->sizes));
		if (j->sizes == NULL)
			return scn_nomem(ctx, size);
		j->sizes[0] = min;
		j->nb_sizes = 1;
		return 0;
	}
	if ((ret = fab_yaml_expect(sizes, FAB_YAML_MAPPING, ctx->err, ctx->errlen)) < 0 ||
			(ret = fab_yaml_check_keys(sizes, keys, ctx->err, ctx->errlen)) < 0)
		return ret;
	n = scn_get(sizes, "min");
	if (n == NULL || scn_get(sizes, "max") == NULL)
		return fab_yaml_error(sizes, ctx->err, ctx->errlen, "sizes needs min and max");
	if ((ret = fab_yaml_get_size(n, 1, JOB_MAX_BYTES, &min, ctx->err, ctx->errlen)) < 0 ||
			(ret = fab_yaml_get_size(scn_get(sizes, "max"), 1, JOB_MAX_BYTES, &max,
				ctx->err, ctx->errlen)) < 0)
		return ret;
	if (min > max)
		return fab_yaml_error(scn_get(sizes, "max"), ctx->err, ctx->errlen,
				"max is below min");
	if ((n = scn_get(sizes, "factor")) != NULL &&
			(ret = fab_yaml_get_u64(n, 2, 1024, &factor, ctx->err, ctx->errlen)) < 0)
		return ret;
	if ((n = scn_get(sizes, "step")) != NULL &&
			(ret = fab_yaml_get_size(n, 1, JOB_MAX_BYTES, &step, ctx->err,
				ctx->errlen)) < 0)
		return ret;
	if (factor != 0 && step != 0)
		return fab_yaml_error(n, ctx->err, ctx->errlen, "give factor or step, not both");
	if (factor == 0 && step == 0)
		factor = 2; /* nccl-tests' usual -f 2 */
	nb = fab_coll_sizes(min, max, factor, step, buf, JOB_MAX_SIZES);
	if (nb < 0 || nb > JOB_MAX_SIZES)
		return fab_yaml_error(sizes, ctx->err, ctx->errlen,
				"%d sizes; at most %u per job", nb, JOB_MAX_SIZES);
	j->sizes = malloc((size_t)nb * sizeof(*j->sizes));
	if (j->sizes == NULL)
		return scn_nomem(ctx, sizes);
	memcpy(j->sizes, buf, (size_t)nb * sizeof(*j->sizes));
	j->nb_sizes = (uint32_t)nb;
	return 0;
}

/* Every size must build: the pattern's own checks, reported at the job. */
static int
check_collective(struct scn_ctx *ctx, const struct fab_yaml_node *def,
		const struct fab_scn_job *j)
{
	const struct fab_yaml_node *at = scn_get(def, "size") != NULL ? scn_get(def, "size") :
		scn_get(def, "sizes");
	uint32_t i;

	for (i = 0; i < j->nb_sizes; i++) {
		struct fab_coll_conf cc = {
			.pattern = (enum fab_coll_pattern)j->pattern, .nranks = j->nranks,
			.bytes = j->sizes[i], .root = j->root, .channels = j->channels,
			.chunk_bytes = j->chunk_bytes, .seed = j->seed,
		};
		char why[200];
		struct fab_coll *c = fab_coll_create(&cc, why, sizeof(why));

		if (c == NULL)
			return fab_yaml_error(at, ctx->err, ctx->errlen, "%s", why);
		fab_coll_free(c);
	}
	return 0;
}

static int
parse_job(struct scn_ctx *ctx, const struct fab_yaml_node *def, uint32_t index)
{
	static const char *const keys[] = {
		"name", "collective", "ranks", "hosts", "placement", "size", "sizes", "warmup",
		"iters", "channels", "root", "chunk", "start", "dscp", "ect", "seed", NULL,
	};
	static const char *const placements[] = { "linear", "round-robin", NULL };
	struct fab_scenario *s = ctx->s;
	struct fab_scn_job *j = &s->jobs[index];
	const struct fab_yaml_node *n, *hosts;
	const char *str;
	unsigned int pl;
	bool ect = true;
	uint32_t v, i;
	int ret, p;

	if ((ret = fab_yaml_expect(def, FAB_YAML_MAPPING, ctx->err, ctx->errlen)) < 0 ||
			(ret = fab_yaml_check_keys(def, keys, ctx->err, ctx->errlen)) < 0)
		return ret;
	s->nb_jobs = index + 1;
	j->line = def->line;
	j->col = def->col;
	snprintf(j->name, sizeof(j->name), "job%u", index);
	if ((n = scn_get(def, "name")) != NULL) {
		if ((ret = fab_yaml_get_str(n, &str, ctx->err, ctx->errlen)) < 0)
			return ret;
		if ((ret = scn_check_name(ctx, n, str, false, "job")) < 0)
			return ret;
		snprintf(j->name, sizeof(j->name), "%s", str);
	}
	for (i = 0; i < index; i++)
		if (strcmp(s->jobs[i].name, j->name) == 0)
			return fab_yaml_error(def, ctx->err, ctx->errlen,
					"a second job named '%s' (first at %u:%u)", j->name,
					s->jobs[i].line, s->jobs[i].col);
	n = scn_get(def, "collective");
	if (n == NULL)
		return fab_yaml_error(def, ctx->err, ctx->errlen,
				"a job needs a collective (all-reduce, all-gather, reduce-scatter, broadcast, all-to-all, all-reduce-tree, all-reduce-hd, incast, permutation)");
	if ((ret = fab_yaml_get_str(n, &str, ctx->err, ctx->errlen)) < 0)
		return ret;
	p = fab_coll_pattern_parse(str);
	if (p < 0)
		return fab_yaml_error(n, ctx->err, ctx->errlen,
				"unknown collective '%s'; known: all-reduce, all-gather, reduce-scatter, broadcast, all-to-all, all-reduce-tree, all-reduce-hd, incast, permutation",
				str);
	j->pattern = (uint32_t)p;

	hosts = scn_get(def, "hosts");
	j->placement = FAB_SCN_PLACE_LINEAR;
	j->nranks = s->nb_hosts;
	if (hosts != NULL) {
		if ((n = scn_get(def, "ranks")) != NULL || (n = scn_get(def, "placement")) != NULL)
			return fab_yaml_error(fab_yaml_key_of(n), ctx->err, ctx->errlen,
					"hosts places every rank: no ranks or placement with it");
		if ((ret = fab_yaml_expect(hosts, FAB_YAML_SEQUENCE, ctx->err, ctx->errlen)) < 0)
			return ret;
		j->placement = FAB_SCN_PLACE_LIST;
		j->nranks = hosts->count;
		if (j->nranks < 2)
			return fab_yaml_error(hosts, ctx->err, ctx->errlen,
					"a job needs at least two hosts");
	} else {
		if (s->nb_hosts < 2)
			return fab_yaml_error(def, ctx->err, ctx->errlen,
					"a job needs at least two hosts; the topology has %u",
					s->nb_hosts);
		if ((ret = get_u32(ctx, def, "ranks", 2, s->nb_hosts, &j->nranks)) < 0)
			return ret;
		if ((n = scn_get(def, "placement")) != NULL) {
			if ((ret = fab_yaml_get_enum(n, placements, &pl, ctx->err, ctx->errlen)) < 0)
				return ret;
			j->placement = pl == 0 ? FAB_SCN_PLACE_LINEAR : FAB_SCN_PLACE_ROUND_ROBIN;
		}
	}
	j->iters = 1;
	j->channels = 1;
	j->dscp = JOB_DEFAULT_DSCP;
	j->seed = s->seed ^ scn_mix64(index);
	if ((ret = get_u32(ctx, def, "warmup", 0, JOB_MAX_ITERS, &j->warmup)) < 0 ||
			(ret = get_u32(ctx, def, "iters", 1, JOB_MAX_ITERS, &j->iters)) < 0 ||
			(ret = get_u32(ctx, def, "channels", 1, FAB_COLL_MAX_CHANNELS,
				&j->channels)) < 0 ||
			(ret = get_u32(ctx, def, "root", 0, j->nranks - 1, &j->root)) < 0)
		return ret;
	if ((n = scn_get(def, "chunk")) != NULL &&
			(ret = fab_yaml_get_size(n, 1, JOB_MAX_BYTES, &j->chunk_bytes, ctx->err,
				ctx->errlen)) < 0)
		return ret;
	if ((n = scn_get(def, "start")) != NULL &&
			(ret = fab_yaml_get_duration(n, 0, JOB_MAX_TIME_PS, &j->start_ps, ctx->err,
				ctx->errlen)) < 0)
		return ret;
	v = j->dscp;
	if ((ret = get_u32(ctx, def, "dscp", 0, 63, &v)) < 0)
		return ret;
	j->dscp = (uint8_t)v;
	if ((n = scn_get(def, "ect")) != NULL &&
			(ret = fab_yaml_get_bool(n, &ect, ctx->err, ctx->errlen)) < 0)
		return ret;
	j->ecn = ect ? 2 : 0;
	if ((n = scn_get(def, "seed")) != NULL &&
			(ret = fab_yaml_get_u64(n, 0, UINT64_MAX, &j->seed, ctx->err,
				ctx->errlen)) < 0)
		return ret;
	if ((ret = parse_sizes(ctx, def, j)) < 0)
		return ret;
	if ((uint64_t)j->nb_sizes * (j->warmup + j->iters) > JOB_MAX_ROUNDS)
		return fab_yaml_error(def, ctx->err, ctx->errlen,
				"%u sizes x (%u warm-up + %u iterations) is more than %u rounds",
				j->nb_sizes, j->warmup, j->iters, JOB_MAX_ROUNDS);
	if ((ret = place_ranks(ctx, def, j, hosts)) < 0)
		return ret;
	return check_collective(ctx, def, j);
}

int
scn_parse_jobs(struct scn_ctx *ctx, const struct fab_yaml_node *jobs)
{
	struct fab_scenario *s = ctx->s;
	uint32_t i;
	int ret;

	ret = fab_yaml_expect(jobs, FAB_YAML_SEQUENCE, ctx->err, ctx->errlen);
	if (ret < 0)
		return ret;
	s->jobs = calloc(jobs->count + 1, sizeof(*s->jobs));
	if (s->jobs == NULL)
		return scn_nomem(ctx, jobs);
	for (i = 0; i < jobs->count; i++) {
		ret = parse_job(ctx, jobs->items[i], i);
		if (ret < 0)
			return ret;
	}
	return 0;
}
