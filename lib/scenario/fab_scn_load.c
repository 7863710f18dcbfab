/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * Loading a scenario: the order of the steps (each may use only what the
 * steps before it built), the scenario and addressing sections, helpers
 * shared by the other files, freeing and lookups.
 */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include <rte_errno.h>
#include <rte_log.h>

#include "fab_ecn.h"
#include "fab_scn_priv.h"

RTE_LOG_REGISTER_DEFAULT(fab_scenario_logtype, INFO);
#define SCN_LOG(level, ...) \
	rte_log(RTE_LOG_ ## level, fab_scenario_logtype, "scenario: " __VA_ARGS__)

static const char *const top_keys[] = {
	"scenario", "topology", "profiles", "tiers", "addressing", "traffic", "run", NULL,
};

const struct fab_yaml_node *
scn_get(const struct fab_yaml_node *map, const char *key)
{
	return fab_yaml_map_get_set(map, key);
}

int
scn_section(struct scn_ctx *ctx, const struct fab_yaml_node *n, const char *const keys[])
{
	if (n == NULL)
		return 0;
	return fab_yaml_check_keys(n, keys, ctx->err, ctx->errlen);
}

int
scn_nomem(struct scn_ctx *ctx, const struct fab_yaml_node *n)
{
	fab_yaml_error(n, ctx->err, ctx->errlen, "out of memory");
	return -ENOMEM;
}

int
scn_check_name(struct scn_ctx *ctx, const struct fab_yaml_node *n, const char *s,
		bool port, const char *what)
{
	const char *chars = port ?
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-/" :
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-";

	/* "--" separates the ends of a link's name, ':' a node from its port. */
	if (s[0] == '\0' || strlen(s) >= FAB_CONF_NAME_LEN || s[strspn(s, chars)] != '\0' ||
			strstr(s, "--") != NULL)
		return fab_yaml_error(n, ctx->err, ctx->errlen,
				"'%s' is not a valid %s name (letters, digits and _.-%s, not '--'; at most %u)",
				s, what, port ? "/" : "", FAB_CONF_NAME_LEN - 1);
	return 0;
}

/* Compare the digit runs at *pa and *pb by value; advance both past them. */
static int
cmp_numbers(const char **pa, const char **pb)
{
	const char *a = *pa, *b = *pb;
	size_t la, lb;
	int c;

	while (*a == '0' && isdigit((unsigned char)a[1]))
		a++;
	while (*b == '0' && isdigit((unsigned char)b[1]))
		b++;
	for (la = 0; isdigit((unsigned char)a[la]); la++)
		;
	for (lb = 0; isdigit((unsigned char)b[lb]); lb++)
		;
	*pa = a + la;
	*pb = b + lb;
	if (la != lb)
		return la < lb ? -1 : 1;
	c = memcmp(a, b, la);
	return c < 0 ? -1 : c > 0 ? 1 : 0;
}

int
scn_natural_cmp(const char *a, const char *b)
{
	const char *pa = a, *pb = b;
	int c;

	while (*pa != '\0' && *pb != '\0') {
		if (isdigit((unsigned char)*pa) && isdigit((unsigned char)*pb)) {
			c = cmp_numbers(&pa, &pb);
			if (c != 0)
				return c;
			continue;
		}
		if (*pa != *pb)
			return (unsigned char)*pa < (unsigned char)*pb ? -1 : 1;
		pa++;
		pb++;
	}
	if (*pa != *pb)
		return *pa == '\0' ? -1 : 1;
	/* "h01" and "h1" are equal by value: order them by text so that the order is total. */
	c = strcmp(a, b);
	return c < 0 ? -1 : c > 0 ? 1 : 0;
}

uint64_t
scn_mix64(uint64_t x)
{
	return fab_rng_mix64(x);
}

uint64_t
scn_hash_name(uint64_t seed, const char *name)
{
	/* FNV-1a over the name, then mixed with the seed. */
	uint64_t h = UINT64_C(0xcbf29ce484222325);

	for (; *name != '\0'; name++) {
		h ^= (unsigned char)*name;
		h *= UINT64_C(0x100000001b3);
	}
	return scn_mix64(seed ^ scn_mix64(h));
}

/* The file's base name without its extension: the default scenario name. */
static void
default_name(const char *path, char *out, size_t len)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash != NULL ? slash + 1 : path;
	const char *dot = strrchr(base, '.');
	size_t n = dot != NULL && dot != base ? (size_t)(dot - base) : strlen(base);

	if (n >= len)
		n = len - 1;
	memcpy(out, base, n);
	out[n] = '\0';
	if (out[0] == '\0')
		snprintf(out, len, "scenario");
}

static int
parse_scenario(struct scn_ctx *ctx)
{
	static const char *const keys[] = { "name", "seed", NULL };
	const struct fab_yaml_node *sec = scn_get(ctx->root, "scenario"), *n;
	struct fab_scenario *s = ctx->s;
	const char *name;
	int ret;

	default_name(s->path, s->name, sizeof(s->name));
	s->seed = 1;
	ret = scn_section(ctx, sec, keys);
	if (ret < 0)
		return ret;
	n = scn_get(sec, "name");
	if (n != NULL) {
		ret = fab_yaml_get_str(n, &name, ctx->err, ctx->errlen);
		if (ret < 0)
			return ret;
		if (n->len >= sizeof(s->name) || strchr(name, '\n') != NULL)
			return fab_yaml_error(n, ctx->err, ctx->errlen,
					"a scenario name is one line of at most %zu characters",
					sizeof(s->name) - 1);
		strcpy(s->name, name);
	}
	n = scn_get(sec, "seed");
	if (n != NULL)
		return fab_yaml_get_u64(n, 0, UINT64_MAX, &s->seed, ctx->err, ctx->errlen);
	return 0;
}

static int
parse_addressing(struct scn_ctx *ctx)
{
	static const char *const keys[] = { "family", "base", NULL };
	static const char *const families[] = { "ipv4", "ipv6", NULL };
	const struct fab_yaml_node *sec = scn_get(ctx->root, "addressing"), *fam, *base;
	struct fab_scenario *s = ctx->s;
	unsigned int f = 0;
	int ret;

	ret = scn_section(ctx, sec, keys);
	if (ret < 0)
		return ret;
	fam = scn_get(sec, "family");
	if (fam != NULL && (ret = fab_yaml_get_enum(fam, families, &f, ctx->err,
			ctx->errlen)) < 0)
		return ret;
	base = scn_get(sec, "base");
	ctx->base_node = base;
	if (base != NULL) {
		ret = fab_yaml_get_prefix(base, &s->base, ctx->err, ctx->errlen);
		if (ret < 0)
			return ret;
		/* The base alone says the family; both must agree. */
		if (fam == NULL) {
			s->l3 = s->base.l3;
		} else if (s->base.l3 != (f == 0 ? FAB_L3_IPV4 : FAB_L3_IPV6)) {
			return fab_yaml_error(base, ctx->err, ctx->errlen,
					"'%s' is not an %s prefix (family is %s at %u:%u)",
					base->value, families[f], families[f], fam->line, fam->col);
		}
	} else {
		memset(&s->base, 0, sizeof(s->base));
		s->base.l3 = f == 0 ? FAB_L3_IPV4 : FAB_L3_IPV6;
		if (f == 0) {
			s->base.addr.v4 = htonl(UINT32_C(10) << 24);
			s->base.depth = 8;
		} else {
			s->base.addr.v6[0] = 0xfd;
			s->base.depth = 48;
		}
	}
	s->l3 = s->base.l3;
	return 0;
}

static void
free_raw(struct scn_ctx *ctx)
{
	free(ctx->rn);
	free(ctx->rn_by_name);
	free(ctx->rl);
	free(ctx->adj_start);
	free(ctx->adj);
	free(ctx->node_raw);
	free(ctx->link_raw);
	free(ctx->rf);
}

static int
scenario_from_doc(const struct fab_yaml_doc *doc, const char *base_dir,
		struct fab_scenario *s, char *err, size_t errlen)
{
	struct scn_ctx ctx;
	int ret;

	memset(&ctx, 0, sizeof(ctx));
	ctx.s = s;
	ctx.root = fab_yaml_root(doc);
	ctx.base_dir = base_dir;
	ctx.err = err;
	ctx.errlen = errlen;

	s->path = strdup(fab_yaml_doc_name(doc));
	if (s->path == NULL)
		return scn_nomem(&ctx, NULL);
	if (ctx.root == NULL || (ctx.root->type == FAB_YAML_SCALAR && ctx.root->is_null)) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "%s:1:1: error: the file is empty; "
				"a scenario needs at least a topology", s->path);
		return -EINVAL;
	}
	ret = fab_yaml_check_keys(ctx.root, top_keys, err, errlen);
	if (ret == 0)
		ret = parse_scenario(&ctx);
	if (ret == 0)
		ret = scn_parse_profiles(&ctx);
	if (ret == 0)
		ret = parse_addressing(&ctx);
	if (ret == 0)
		ret = scn_parse_topology(&ctx);
	if (ret == 0)
		ret = scn_check_graph(&ctx);
	if (ret == 0)
		ret = scn_build_model(&ctx);
	if (ret == 0)
		ret = scn_build_addresses(&ctx);
	if (ret == 0)
		ret = scn_build_switches(&ctx);
	if (ret == 0)
		ret = scn_parse_traffic(&ctx);
	if (ret == 0)
		ret = scn_parse_run(&ctx);
	if (ret == 0)
		ret = scn_finish_flows(&ctx);
	free_raw(&ctx);
	return ret;
}

static int
load_doc(struct fab_yaml_doc *doc, const char *base_dir, struct fab_scenario *out,
		char *err, size_t errlen)
{
	int ret;

	if (doc == NULL)
		return -rte_errno;
	ret = scenario_from_doc(doc, base_dir, out, err, errlen);
	if (ret < 0)
		fab_scenario_free(out);
	else
		SCN_LOG(DEBUG, "%s: '%s', %u switches, %u hosts, %u links, %u flows\n",
			out->path, out->name, out->nb_switches, out->nb_hosts, out->nb_links,
			out->nb_flows);
	fab_yaml_free(doc);
	return ret;
}

static int
load_common(const char *name, const char *text, const char *base_dir,
		struct fab_scenario *out, char *err, size_t errlen)
{
	struct fab_yaml_doc *doc;
	char *dir;
	int ret;

	if (out == NULL)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	if (name == NULL) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "error: no scenario given");
		return -EINVAL;
	}
	dir = base_dir != NULL ? strdup(base_dir) : fab_yaml_dir_of(name);
	if (dir == NULL) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "%s: error: out of memory", name);
		return -ENOMEM;
	}
	doc = text != NULL ? fab_yaml_load_string(name, text, err, errlen) :
		fab_yaml_load_file(name, err, errlen);
	ret = load_doc(doc, dir, out, err, errlen);
	free(dir);
	return ret;
}

int
fab_scenario_load(const char *path, struct fab_scenario *out, char *err, size_t errlen)
{
	return load_common(path, NULL, NULL, out, err, errlen);
}

int
fab_scenario_load_string(const char *name, const char *text, const char *base_dir,
		struct fab_scenario *out, char *err, size_t errlen)
{
	if (text == NULL) {
		if (out != NULL)
			memset(out, 0, sizeof(*out));
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "error: no scenario given");
		return -EINVAL;
	}
	return load_common(name, text, base_dir, out, err, errlen);
}

void
fab_scenario_free(struct fab_scenario *s)
{
	uint32_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nb_nodes && s->nodes != NULL; i++)
		free(s->nodes[i].ports);
	for (i = 0; i < s->nb_switches && s->switches != NULL; i++)
		fab_switch_conf_free(&s->switches[i].conf);
	free(s->nodes);
	free(s->switches);
	free(s->hosts);
	free(s->subnets);
	free(s->links);
	free(s->flows);
	for (i = 0; i < s->nb_jobs && s->jobs != NULL; i++) {
		free(s->jobs[i].hosts);
		free(s->jobs[i].sizes);
	}
	free(s->jobs);
	for (i = 0; i < s->nb_replays && s->replays != NULL; i++) {
		free(s->replays[i].path);
		free(s->replays[i].map);
	}
	free(s->replays);
	free(s->run.taps);
	free(s->path);
	memset(s, 0, sizeof(*s));
}

int
fab_scenario_node_by_name(const struct fab_scenario *s, const char *name)
{
	uint32_t lo = 0, hi;

	if (s == NULL || name == NULL)
		return -ENOENT;
	/* Nodes are sorted by scn_natural_cmp. */
	hi = s->nb_nodes;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = scn_natural_cmp(s->nodes[mid].name, name);

		if (c == 0)
			return (int)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -ENOENT;
}

int
fab_scenario_link_by_name(const struct fab_scenario *s, const char *name)
{
	const char *sep;
	char rev[FAB_SCN_LINK_NAME_LEN];
	uint32_t i;

	if (s == NULL || name == NULL)
		return -ENOENT;
	for (i = 0; i < s->nb_links; i++)
		if (strcmp(s->links[i].name, name) == 0)
			return (int)i;
	/* Written the other way round: "b:pb--a:pa". Names hold no "--". */
	sep = strstr(name, "--");
	if (sep == NULL || strlen(name) >= sizeof(rev))
		return -ENOENT;
	snprintf(rev, sizeof(rev), "%s--%.*s", sep + 2, (int)(sep - name), name);
	for (i = 0; i < s->nb_links; i++)
		if (strcmp(s->links[i].name, rev) == 0)
			return (int)i;
	return -ENOENT;
}
