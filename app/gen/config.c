/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * The generator's configuration: hosts (local ones have a port), the NICs,
 * the seed and the jobs. nic and jobs take the keys of a scenario's
 * traffic.nic and traffic.jobs, so a job moves between rocefab and
 * rocefab-gen unchanged (ranks are placed by `hosts`, or on the first
 * `ranks` hosts of the list).
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <fab_collective.h>
#include <fab_yaml.h>

#include "fab_ecn.h"
#include "gen_app.h"

#define JOB_MAX_SIZES 64
#define JOB_MAX_ITERS 100000
#define JOB_MAX_BYTES (UINT64_C(1) << 40)
#define JOB_MAX_TIME_PS (UINT64_C(3600) * 1000000000000)
#define MAX_HOSTS 4096

struct ctx {
	struct gen_config *c;
	char *err;
	size_t errlen;
};


static const struct fab_yaml_node *
get(const struct fab_yaml_node *map, const char *key)
{
	return fab_yaml_map_get_set(map, key);
}

static int
get_u32(struct ctx *x, const struct fab_yaml_node *map, const char *key, uint64_t min,
		uint64_t max, uint32_t *out)
{
	const struct fab_yaml_node *n = get(map, key);
	uint64_t v;
	int ret;

	if (n == NULL)
		return 0;
	ret = fab_yaml_get_u64(n, min, max, &v, x->err, x->errlen);
	if (ret == 0)
		*out = (uint32_t)v;
	return ret;
}

static int
section(struct ctx *x, const struct fab_yaml_node *n, const char *const keys[])
{
	int ret;

	if (n == NULL)
		return 0;
	if ((ret = fab_yaml_expect(n, FAB_YAML_MAPPING, x->err, x->errlen)) < 0)
		return ret;
	return fab_yaml_check_keys(n, keys, x->err, x->errlen);
}

static int
parse_nic(struct ctx *x, const struct fab_yaml_node *nic)
{
	static const char *const keys[] = {
		"cc", "cc_args", "timeout", "retry", "ack_every", "window", "ooo_accept",
		"ooo_window", "cnp_dscp", NULL,
	};
	struct gen_config *c = x->c;
	struct fab_gen_nic_conf *nc = &c->nic;
	const struct fab_yaml_node *n;
	const char *str;
	uint32_t v;
	int ret;

	snprintf(c->cc, sizeof(c->cc), "cc-dcqcn");
	nc->retry_cnt = 0xff;
	nc->cnp_dscp = FAB_GEN_DEFAULT_CNP_DSCP;
	if ((ret = section(x, nic, keys)) < 0)
		return ret;
	if ((n = get(nic, "cc")) != NULL) {
		if ((ret = fab_yaml_get_str(n, &str, x->err, x->errlen)) < 0)
			return ret;
		/* A path is taken from the file's directory, as in scenarios. */
		if (strchr(str, '/') != NULL && str[0] != '/') {
			char *dir = fab_yaml_dir_of(c->path);

			ret = snprintf(c->cc, sizeof(c->cc), "%s%s%s", dir != NULL ? dir : "",
				dir != NULL && dir[0] != '\0' ? "/" : "", str);
			free(dir);
		} else {
			ret = snprintf(c->cc, sizeof(c->cc), "%s", str);
		}
		if (ret < 0 || (size_t)ret >= sizeof(c->cc))
			return fab_yaml_error(n, x->err, x->errlen, "too long");
	}
	if ((n = get(nic, "cc_args")) != NULL) {
		if ((ret = fab_yaml_get_str(n, &str, x->err, x->errlen)) < 0)
			return ret;
		if ((size_t)snprintf(c->cc_args, sizeof(c->cc_args), "%s", str) >=
				sizeof(c->cc_args))
			return fab_yaml_error(n, x->err, x->errlen, "too long");
		nc->cc_args = c->cc_args;
	}
	nc->cc = c->cc;
	v = 0;
	if ((ret = get_u32(x, nic, "timeout", 1, 31, &v)) < 0)
		return ret;
	nc->timeout = (uint8_t)v;
	v = 0xff;
	if ((ret = get_u32(x, nic, "retry", 0, 7, &v)) < 0)
		return ret;
	nc->retry_cnt = (uint8_t)v;
	if ((ret = get_u32(x, nic, "ack_every", 1, 65536, &nc->ack_every)) < 0 ||
			(ret = get_u32(x, nic, "window", 1, 1u << 22, &nc->window)) < 0 ||
			(ret = get_u32(x, nic, "ooo_window", 1, 4096, &nc->ooo_window)) < 0)
		return ret;
	v = nc->cnp_dscp;
	if ((ret = get_u32(x, nic, "cnp_dscp", 0, 63, &v)) < 0)
		return ret;
	nc->cnp_dscp = (uint8_t)v;
	if ((n = get(nic, "ooo_accept")) != NULL &&
			(ret = fab_yaml_get_bool(n, &nc->ooo_accept, x->err, x->errlen)) < 0)
		return ret;
	return 0;
}

static bool
valid_name(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n >= sizeof(((struct fab_gen_host_conf *)0)->name))
		return false;
	for (i = 0; i < n; i++) {
		char ch = s[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
				(ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.'))
			return false;
	}
	return true;
}

static int
parse_host(struct ctx *x, const struct fab_yaml_node *def, uint32_t i, const uint8_t *classes)
{
	static const char *const keys[] = { "name", "ip", "mac", "gw_mac", "rate", "port", NULL };
	struct gen_config *c = x->c;
	struct gen_host_def *h = &c->hosts[i];
	struct fab_gen_host_conf *hc = &h->conf;
	const struct fab_yaml_node *n;
	struct fab_ip_prefix pfx;
	const char *str;
	uint32_t k;
	int ret;

	if ((ret = fab_yaml_expect(def, FAB_YAML_MAPPING, x->err, x->errlen)) < 0 ||
			(ret = fab_yaml_check_keys(def, keys, x->err, x->errlen)) < 0)
		return ret;
	h->line = def->line;
	h->col = def->col;
	for (k = 0; keys[k] != NULL; k++)
		if (strcmp(keys[k], "rate") != 0 && strcmp(keys[k], "port") != 0 &&
				get(def, keys[k]) == NULL)
			return fab_yaml_error(def, x->err, x->errlen, "a host needs %s", keys[k]);
	n = get(def, "name");
	if ((ret = fab_yaml_get_str(n, &str, x->err, x->errlen)) < 0)
		return ret;
	if (!valid_name(str))
		return fab_yaml_error(n, x->err, x->errlen, "a host name is 1 to %zu letters, "
				"digits, '-', '_' or '.'", sizeof(hc->name) - 1);
	snprintf(hc->name, sizeof(hc->name), "%s", str);
	for (k = 0; k < i; k++)
		if (strcmp(c->hosts[k].conf.name, hc->name) == 0)
			return fab_yaml_error(n, x->err, x->errlen,
					"a second host named '%s' (first at %u:%u)", str,
					c->hosts[k].line, c->hosts[k].col);
	n = get(def, "ip");
	if ((ret = fab_yaml_get_prefix(n, &pfx, x->err, x->errlen)) < 0)
		return ret;
	if (pfx.depth != (pfx.l3 == FAB_L3_IPV4 ? 32 : 128))
		return fab_yaml_error(n, x->err, x->errlen, "an address, not a prefix");
	hc->l3 = pfx.l3;
	hc->ip = pfx.addr;
	for (k = 0; k < i; k++)
		if (c->hosts[k].conf.l3 == hc->l3 && memcmp(&c->hosts[k].conf.ip, &hc->ip,
				hc->l3 == FAB_L3_IPV4 ? 4 : 16) == 0)
			return fab_yaml_error(n, x->err, x->errlen,
					"host %s has the same address", c->hosts[k].conf.name);
	if ((ret = fab_yaml_get_mac(get(def, "mac"), true, &hc->mac, x->err, x->errlen)) < 0 ||
			(ret = fab_yaml_get_mac(get(def, "gw_mac"), true, &hc->gw_mac, x->err,
				x->errlen)) < 0)
		return ret;
	hc->rate_bps = UINT64_C(100000000000);
	if ((n = get(def, "rate")) != NULL &&
			(ret = fab_yaml_get_rate(n, 1000000, UINT64_C(1600000000000), &hc->rate_bps,
				x->err, x->errlen)) < 0)
		return ret;
	if ((n = get(def, "port")) != NULL) {
		if ((ret = fab_yaml_get_str(n, &str, x->err, x->errlen)) < 0)
			return ret;
		if (strlen(str) >= sizeof(h->port))
			return fab_yaml_error(n, x->err, x->errlen, "too long");
		snprintf(h->port, sizeof(h->port), "%s", str);
		for (k = 0; k < i; k++)
			if (strcmp(c->hosts[k].port, h->port) == 0)
				return fab_yaml_error(n, x->err, x->errlen,
						"port %s is already host %s's", str,
						c->hosts[k].conf.name);
	}
	memcpy(hc->dscp_to_class, classes, sizeof(hc->dscp_to_class));
	return 0;
}

static int
parse_sizes(struct ctx *x, const struct fab_yaml_node *def, struct gen_job_def *j)
{
	static const char *const keys[] = { "min", "max", "factor", "step", NULL };
	const struct fab_yaml_node *size = get(def, "size"), *sizes = get(def, "sizes");
	uint64_t min, max, factor = 0, step = 0, buf[JOB_MAX_SIZES];
	const struct fab_yaml_node *n;
	int ret, nb;

	if ((size == NULL) == (sizes == NULL))
		return fab_yaml_error(size != NULL ? sizes : def, x->err, x->errlen,
				size != NULL ? "give size or sizes, not both" :
				"a job needs size (bytes) or sizes (min, max, factor or step)");
	if (size != NULL) {
		if ((ret = fab_yaml_get_size(size, 1, JOB_MAX_BYTES, &min, x->err, x->errlen)) < 0)
			return ret;
		buf[0] = min;
		nb = 1;
	} else {
		if ((ret = section(x, sizes, keys)) < 0)
			return ret;
		n = get(sizes, "min");
		if (n == NULL || get(sizes, "max") == NULL)
			return fab_yaml_error(sizes, x->err, x->errlen, "sizes needs min and max");
		if ((ret = fab_yaml_get_size(n, 1, JOB_MAX_BYTES, &min, x->err, x->errlen)) < 0 ||
				(ret = fab_yaml_get_size(get(sizes, "max"), 1, JOB_MAX_BYTES, &max,
					x->err, x->errlen)) < 0)
			return ret;
		if (min > max)
			return fab_yaml_error(get(sizes, "max"), x->err, x->errlen,
					"max is below min");
		if ((n = get(sizes, "factor")) != NULL &&
				(ret = fab_yaml_get_u64(n, 2, 1024, &factor, x->err, x->errlen)) < 0)
			return ret;
		if ((n = get(sizes, "step")) != NULL &&
				(ret = fab_yaml_get_size(n, 1, JOB_MAX_BYTES, &step, x->err,
					x->errlen)) < 0)
			return ret;
		if (factor != 0 && step != 0)
			return fab_yaml_error(n, x->err, x->errlen, "give factor or step, not both");
		if (factor == 0 && step == 0)
			factor = 2;
		nb = fab_coll_sizes(min, max, factor, step, buf, JOB_MAX_SIZES);
		if (nb < 0 || nb > JOB_MAX_SIZES)
			return fab_yaml_error(sizes, x->err, x->errlen,
					"%d sizes; at most %u per job", nb, JOB_MAX_SIZES);
	}
	j->sizes = malloc((size_t)nb * sizeof(*j->sizes));
	if (j->sizes == NULL)
		return fab_yaml_error(def, x->err, x->errlen, "out of memory");
	memcpy(j->sizes, buf, (size_t)nb * sizeof(*j->sizes));
	j->conf.nb_sizes = (uint32_t)nb;
	j->conf.sizes = j->sizes;
	return 0;
}

static int
place_ranks(struct ctx *x, const struct fab_yaml_node *def, struct gen_job_def *j)
{
	const struct fab_yaml_node *hosts = get(def, "hosts"), *n;
	struct gen_config *c = x->c;
	uint32_t nranks, i, k;
	const char *str;
	int ret, idx;

	if (hosts != NULL) {
		if ((n = get(def, "ranks")) != NULL)
			return fab_yaml_error(fab_yaml_key_of(n), x->err, x->errlen,
					"hosts places every rank: no ranks with it");
		if ((ret = fab_yaml_expect(hosts, FAB_YAML_SEQUENCE, x->err, x->errlen)) < 0)
			return ret;
		nranks = hosts->count;
		if (nranks < 2)
			return fab_yaml_error(hosts, x->err, x->errlen,
					"a job needs at least two hosts");
	} else {
		if (c->nb_hosts < 2)
			return fab_yaml_error(def, x->err, x->errlen,
					"a job needs at least two hosts; the file has %u", c->nb_hosts);
		nranks = c->nb_hosts;
		if ((ret = get_u32(x, def, "ranks", 2, c->nb_hosts, &nranks)) < 0)
			return ret;
	}
	j->hosts = calloc(nranks, sizeof(*j->hosts));
	if (j->hosts == NULL)
		return fab_yaml_error(def, x->err, x->errlen, "out of memory");
	j->conf.coll.nranks = nranks;
	j->conf.hosts = j->hosts;
	for (i = 0; i < nranks; i++) {
		if (hosts == NULL) {
			j->hosts[i] = i;
			continue;
		}
		if ((ret = fab_yaml_get_str(hosts->items[i], &str, x->err, x->errlen)) < 0)
			return ret;
		idx = gen_config_host_by_name(c, str);
		if (idx < 0)
			return fab_yaml_error(hosts->items[i], x->err, x->errlen,
					"unknown host '%s' (not in hosts)", str);
		for (k = 0; k < i; k++)
			if (j->hosts[k] == (uint32_t)idx)
				return fab_yaml_error(hosts->items[i], x->err, x->errlen,
						"'%s' is listed twice", str);
		if (c->hosts[idx].conf.l3 != c->hosts[j->hosts[0]].conf.l3)
			return fab_yaml_error(hosts->items[i], x->err, x->errlen,
					"'%s' and '%s' are of different address families", str,
					c->hosts[j->hosts[0]].conf.name);
		j->hosts[i] = (uint32_t)idx;
	}
	return 0;
}

/* Every size must build: the pattern's own checks, reported at the job. */
static int
check_collective(struct ctx *x, const struct fab_yaml_node *def, const struct gen_job_def *j)
{
	const struct fab_yaml_node *at = get(def, "size") != NULL ? get(def, "size") :
		get(def, "sizes");
	uint32_t i;

	for (i = 0; i < j->conf.nb_sizes; i++) {
		struct fab_coll_conf cc = j->conf.coll;
		char why[200];
		struct fab_coll *co;

		cc.bytes = j->sizes[i];
		co = fab_coll_create(&cc, why, sizeof(why));
		if (co == NULL)
			return fab_yaml_error(at, x->err, x->errlen, "%s", why);
		fab_coll_free(co);
	}
	return 0;
}

static int
parse_job(struct ctx *x, const struct fab_yaml_node *def, uint32_t index)
{
	static const char *const keys[] = {
		"name", "collective", "ranks", "hosts", "size", "sizes", "warmup", "iters",
		"channels", "root", "chunk", "start", "dscp", "ect", "seed", NULL,
	};
	struct gen_config *c = x->c;
	struct gen_job_def *j = &c->jobs[index];
	struct fab_gen_job_conf *jc = &j->conf;
	const struct fab_yaml_node *n;
	const char *str;
	bool ect = true;
	uint32_t v, i;
	int ret, p;

	if ((ret = fab_yaml_expect(def, FAB_YAML_MAPPING, x->err, x->errlen)) < 0 ||
			(ret = fab_yaml_check_keys(def, keys, x->err, x->errlen)) < 0)
		return ret;
	c->nb_jobs = index + 1;
	j->line = def->line;
	j->col = def->col;
	snprintf(jc->name, sizeof(jc->name), "job%u", index);
	if ((n = get(def, "name")) != NULL) {
		if ((ret = fab_yaml_get_str(n, &str, x->err, x->errlen)) < 0)
			return ret;
		if (!valid_name(str) || strlen(str) >= sizeof(jc->name))
			return fab_yaml_error(n, x->err, x->errlen, "a job name is 1 to %zu "
					"letters, digits, '-', '_' or '.'", sizeof(jc->name) - 1);
		snprintf(jc->name, sizeof(jc->name), "%s", str);
	}
	for (i = 0; i < index; i++)
		if (strcmp(c->jobs[i].conf.name, jc->name) == 0)
			return fab_yaml_error(def, x->err, x->errlen,
					"a second job named '%s' (first at %u:%u)", jc->name,
					c->jobs[i].line, c->jobs[i].col);
	n = get(def, "collective");
	if (n == NULL)
		return fab_yaml_error(def, x->err, x->errlen,
				"a job needs a collective (all-reduce, all-gather, reduce-scatter, broadcast, all-to-all, all-reduce-tree, all-reduce-hd, incast, permutation)");
	if ((ret = fab_yaml_get_str(n, &str, x->err, x->errlen)) < 0)
		return ret;
	p = fab_coll_pattern_parse(str);
	if (p < 0)
		return fab_yaml_error(n, x->err, x->errlen,
				"unknown collective '%s'; known: all-reduce, all-gather, reduce-scatter, broadcast, all-to-all, all-reduce-tree, all-reduce-hd, incast, permutation",
				str);
	jc->coll.pattern = (enum fab_coll_pattern)p;
	if ((ret = place_ranks(x, def, j)) < 0)
		return ret;
	jc->iters = 1;
	jc->coll.channels = 1;
	jc->dscp = FAB_GEN_DEFAULT_DSCP;
	jc->coll.seed = c->seed ^ fab_rng_mix64(index);
	if ((ret = get_u32(x, def, "warmup", 0, JOB_MAX_ITERS, &jc->warmup)) < 0 ||
			(ret = get_u32(x, def, "iters", 1, JOB_MAX_ITERS, &jc->iters)) < 0 ||
			(ret = get_u32(x, def, "channels", 1, FAB_COLL_MAX_CHANNELS,
				&jc->coll.channels)) < 0 ||
			(ret = get_u32(x, def, "root", 0, jc->coll.nranks - 1, &jc->coll.root)) < 0)
		return ret;
	if ((n = get(def, "chunk")) != NULL &&
			(ret = fab_yaml_get_size(n, 1, JOB_MAX_BYTES, &jc->coll.chunk_bytes, x->err,
				x->errlen)) < 0)
		return ret;
	if ((n = get(def, "start")) != NULL &&
			(ret = fab_yaml_get_duration(n, 0, JOB_MAX_TIME_PS, &jc->start_ps, x->err,
				x->errlen)) < 0)
		return ret;
	v = jc->dscp;
	if ((ret = get_u32(x, def, "dscp", 0, 63, &v)) < 0)
		return ret;
	jc->dscp = (uint8_t)v;
	if ((n = get(def, "ect")) != NULL &&
			(ret = fab_yaml_get_bool(n, &ect, x->err, x->errlen)) < 0)
		return ret;
	jc->ecn = ect ? 2 : 0;
	if ((n = get(def, "seed")) != NULL &&
			(ret = fab_yaml_get_u64(n, 0, UINT64_MAX, &jc->coll.seed, x->err,
				x->errlen)) < 0)
		return ret;
	if ((ret = parse_sizes(x, def, j)) < 0)
		return ret;
	return check_collective(x, def, j);
}

static int
parse(struct ctx *x, const struct fab_yaml_node *root)
{
	static const char *const keys[] = { "hosts", "qos", "nic", "seed", "mtu", "jobs", NULL };
	static const char *const qos_keys[] = { "dscp_to_class", NULL };
	struct gen_config *c = x->c;
	const struct fab_yaml_node *n, *hosts, *jobs, *qos;
	uint8_t classes[64] = { 0 };
	uint64_t v;
	uint32_t i;
	int ret;

	if (root == NULL) {
		snprintf(x->err, x->errlen, "%s: error: the file is empty", c->path);
		return -EINVAL;
	}
	if ((ret = fab_yaml_expect(root, FAB_YAML_MAPPING, x->err, x->errlen)) < 0 ||
			(ret = fab_yaml_check_keys(root, keys, x->err, x->errlen)) < 0)
		return ret;
	c->seed = 1;
	if ((n = get(root, "seed")) != NULL &&
			(ret = fab_yaml_get_u64(n, 0, UINT64_MAX, &c->seed, x->err, x->errlen)) < 0)
		return ret;
	c->mtu = GEN_DEFAULT_MTU;
	if ((n = get(root, "mtu")) != NULL) {
		if ((ret = fab_yaml_get_u64(n, 256, 4096, &v, x->err, x->errlen)) < 0)
			return ret;
		if ((v & (v - 1)) != 0)
			return fab_yaml_error(n, x->err, x->errlen,
					"the RoCE MTU is 256, 512, 1024, 2048 or 4096, not %s", n->value);
		c->mtu = (uint32_t)v;
	}
	c->nic.mtu = c->mtu;
	/* The switches' default map: RoCE (26) lossless in class 3, CNPs (48) in class 6. */
	classes[26] = 3;
	classes[48] = 6;
	qos = get(root, "qos");
	if ((ret = section(x, qos, qos_keys)) < 0)
		return ret;
	if ((n = get(qos, "dscp_to_class")) != NULL &&
			(ret = fab_yaml_get_class_map(n, "DSCP", 64, classes, x->err, x->errlen)) < 0)
		return ret;
	if ((ret = parse_nic(x, get(root, "nic"))) < 0)
		return ret;
	hosts = get(root, "hosts");
	if (hosts == NULL)
		return fab_yaml_error(root, x->err, x->errlen, "hosts is required");
	if ((ret = fab_yaml_expect(hosts, FAB_YAML_SEQUENCE, x->err, x->errlen)) < 0)
		return ret;
	if (hosts->count == 0 || hosts->count > MAX_HOSTS)
		return fab_yaml_error(hosts, x->err, x->errlen, "1 to %u hosts", MAX_HOSTS);
	c->hosts = calloc(hosts->count, sizeof(*c->hosts));
	if (c->hosts == NULL)
		return fab_yaml_error(hosts, x->err, x->errlen, "out of memory");
	for (i = 0; i < hosts->count; i++) {
		c->nb_hosts = i + 1;
		if ((ret = parse_host(x, hosts->items[i], i, classes)) < 0)
			return ret;
	}
	jobs = get(root, "jobs");
	if (jobs == NULL)
		return fab_yaml_error(root, x->err, x->errlen, "jobs is required");
	if ((ret = fab_yaml_expect(jobs, FAB_YAML_SEQUENCE, x->err, x->errlen)) < 0)
		return ret;
	if (jobs->count == 0)
		return fab_yaml_error(jobs, x->err, x->errlen, "no job");
	c->jobs = calloc(jobs->count, sizeof(*c->jobs));
	if (c->jobs == NULL)
		return fab_yaml_error(jobs, x->err, x->errlen, "out of memory");
	for (i = 0; i < jobs->count; i++)
		if ((ret = parse_job(x, jobs->items[i], i)) < 0)
			return ret;
	return 0;
}

int
gen_config_load(const char *path, struct gen_config *c, char *err, size_t errlen)
{
	struct ctx x = { .c = c, .err = err, .errlen = errlen };
	struct fab_yaml_doc *doc;
	int ret;

	memset(c, 0, sizeof(*c));
	c->path = strdup(path);
	if (c->path == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	doc = fab_yaml_load_file(path, err, errlen);
	if (doc == NULL)
		return -1;
	ret = parse(&x, fab_yaml_root(doc));
	fab_yaml_free(doc);
	return ret < 0 ? -1 : 0;
}

void
gen_config_free(struct gen_config *c)
{
	uint32_t i;

	for (i = 0; c->jobs != NULL && i < c->nb_jobs; i++) {
		free(c->jobs[i].hosts);
		free(c->jobs[i].sizes);
	}
	free(c->jobs);
	free(c->hosts);
	free(c->path);
	memset(c, 0, sizeof(*c));
}

int
gen_config_host_by_name(const struct gen_config *c, const char *name)
{
	uint32_t i;

	for (i = 0; i < c->nb_hosts; i++)
		if (strcmp(c->hosts[i].conf.name, name) == 0)
			return (int)i;
	return -1;
}
