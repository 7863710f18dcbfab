/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/* Creation and teardown of a route object, and the backend choice. */

/* The log type's name, for RTE_LOG_REGISTER_DEFAULT. */
#define RTE_LOG_DEFAULT_LOGTYPE rocefab.route

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_malloc.h>

#include "fab_route_private.h"

RTE_LOG_REGISTER_DEFAULT(fab_route_logtype, INFO);

const char *
fab_route_backend_name(enum fab_route_backend backend)
{
	switch (backend) {
	case FAB_ROUTE_DIR24_8:
		return "dir24_8";
	case FAB_ROUTE_COMPACT:
		return "compact";
	default:
		return "unknown";
	}
}

static int
conf_check(const struct fab_route_conf *conf)
{
	uint16_t b = conf->group_buckets;

	if (conf->name == NULL || conf->name[0] == '\0')
		return -EINVAL;
	if (strnlen(conf->name, FAB_ROUTE_NAMESIZE) >= FAB_ROUTE_NAMESIZE)
		return -ENAMETOOLONG;
	if ((unsigned int)conf->backend >= FAB_ROUTE_BACKEND_MAX ||
			conf->max_routes == 0 ||
			conf->max_routes > FAB_ROUTE_MAX_ROUTES ||
			conf->max_nexthops == 0 ||
			conf->max_nexthops > FAB_ROUTE_MAX_IDS ||
			conf->max_groups > FAB_ROUTE_MAX_IDS)
		return -EINVAL;
	if (conf->dest_cache != 0 && (!rte_is_power_of_2(conf->dest_cache) ||
			conf->dest_cache > FAB_ROUTE_MAX_DEST_CACHE))
		return -EINVAL;
	if (b != 0 && (!rte_is_power_of_2(b) ||
			b < FAB_NH_GROUP_MIN_BUCKETS_PER_MEMBER ||
			b > FAB_NH_GROUP_MAX_BUCKETS))
		return -EINVAL;
	return 0;
}

struct fab_route *
fab_route_create(const struct fab_route_conf *conf)
{
	struct fab_route *r;
	int ret;

	if (conf == NULL) {
		rte_errno = EINVAL;
		return NULL;
	}
	ret = conf_check(conf);
	if (ret < 0) {
		FAB_ROUTE_LOG(ERR, "invalid configuration for '%s'\n",
			conf->name != NULL ? conf->name : "(null)");
		rte_errno = -ret;
		return NULL;
	}

	r = rte_zmalloc_socket("fab_route", sizeof(*r), RTE_CACHE_LINE_SIZE,
			conf->socket_id);
	if (r == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	strlcpy(r->name, conf->name, sizeof(r->name));
	r->backend = conf->backend;
	r->default4 = FAB_ROUTE_MISS;
	r->default6 = FAB_ROUTE_MISS;
	r->max_routes = conf->max_routes;
	r->max_nexthops = conf->max_nexthops;
	r->max_groups = conf->max_groups;
	r->group_buckets = conf->group_buckets != 0 ? conf->group_buckets :
		FAB_NH_GROUP_DEFAULT_BUCKETS;

	r->nexthops = rte_zmalloc_socket("fab_route_nh",
			sizeof(*r->nexthops) * conf->max_nexthops,
			RTE_CACHE_LINE_SIZE, conf->socket_id);
	if (r->nexthops == NULL) {
		ret = ENOMEM;
		goto fail;
	}
	if (conf->max_groups > 0) {
		r->groups = rte_zmalloc_socket("fab_route_groups",
				sizeof(*r->groups) * conf->max_groups,
				RTE_CACHE_LINE_SIZE, conf->socket_id);
		if (r->groups == NULL) {
			ret = ENOMEM;
			goto fail;
		}
	}
	r->ops = conf->backend == FAB_ROUTE_DIR24_8 ? &fab_route_lpm_ops :
		&fab_route_rib_ops;
	ret = -r->ops->create(r, conf);
	if (ret == 0)
		ret = -route_cache_create(r, conf->dest_cache, conf->ipv6, conf->socket_id);
	if (ret != 0)
		goto fail;
	return r;

fail:
	FAB_ROUTE_LOG(ERR, "cannot create '%s' (%s backend): %s\n", conf->name,
		fab_route_backend_name(conf->backend), rte_strerror(ret));
	fab_route_free(r);
	rte_errno = ret;
	return NULL;
}

void
fab_route_free(struct fab_route *r)
{
	if (r == NULL)
		return;
	route_cache_free(r);
	if (r->ops != NULL)
		r->ops->free(r);
	rte_free(r->groups);
	rte_free(r->nexthops);
	rte_free(r);
}

int
fab_route_info_get(const struct fab_route *r, struct fab_route_info *info)
{
	if (r == NULL || info == NULL)
		return -EINVAL;
	info->routes_v4 = r->n_routes4;
	info->routes_v6 = r->n_routes6;
	info->nexthops = r->n_nexthops;
	info->groups = r->n_groups;
	info->backend = r->backend;
	return 0;
}
