/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_log.h>

#include "fab_clock.h"
#include "fab_clock_private.h"

RTE_LOG_REGISTER_DEFAULT(fab_clock_logtype, INFO);

static const char *const mode_names[FAB_CLOCK_MODE_MAX] = {
	[FAB_CLOCK_REAL] = "real",
	[FAB_CLOCK_VIRTUAL] = "virtual",
	[FAB_CLOCK_PACED] = "paced",
};

static uint64_t
gcd_u64(uint64_t a, uint64_t b)
{
	while (b != 0) {
		uint64_t r = a % b;

		a = b;
		b = r;
	}
	return a;
}

int
fab_clock_tsc_conv_init(struct fab_clock_tsc_conv *conv, uint64_t tsc_hz)
{
	uint64_t g;

	if (conv == NULL || tsc_hz == 0)
		return -EINVAL;
	/*
	 * Reducing 10^12 / hz keeps the common frequencies (whole or half
	 * gigahertz, or any multiple of a few kHz) on small operands, so the
	 * remainder product stays in 64 bits and costs one division.
	 */
	g = gcd_u64(FAB_PS_PER_SEC, tsc_hz);
	conv->num = FAB_PS_PER_SEC / g;
	conv->den = tsc_hz / g;
	conv->wide = conv->den > UINT64_MAX / conv->num;
	conv->recip = conv->den > 1 ? (uint64_t)(((unsigned __int128)1 << 64) / conv->den) : 0;
	return 0;
}

struct fab_clock *
fab_clock_create(const struct fab_clock_conf *conf)
{
	struct fab_clock *c;
	uint64_t hz;
	bool need_tsc;

	if (conf == NULL || (unsigned int)conf->mode >= FAB_CLOCK_MODE_MAX) {
		FAB_CLOCK_LOG(ERR, "invalid clock configuration");
		rte_errno = EINVAL;
		return NULL;
	}
	need_tsc = conf->mode == FAB_CLOCK_REAL ||
		(conf->mode == FAB_CLOCK_PACED && conf->wall_now == NULL);
	hz = conf->tsc_hz != 0 ? conf->tsc_hz : (need_tsc ? rte_get_tsc_hz() : 0);
	if (need_tsc && hz == 0) {
		FAB_CLOCK_LOG(ERR, "%s clock needs the TSC frequency: start the EAL or set tsc_hz",
			fab_clock_mode_name(conf->mode));
		rte_errno = EINVAL;
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (c == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	c->mode = conf->mode;
	c->start_ps = conf->start_ps;
	c->virtual_ps = conf->start_ps;
	c->slip_tolerance_ps = conf->slip_tolerance_ps;
	if (hz != 0)
		fab_clock_tsc_conv_init(&c->conv, hz);
	if (c->mode == FAB_CLOCK_PACED) {
		c->wall_now = conf->wall_now;
		c->wall_arg = conf->wall_arg;
		if (c->wall_now != NULL)
			c->wall_base = c->wall_now(c->wall_arg);
	}
	if (need_tsc)
		c->tsc_base = rte_rdtsc();
	return c;
}

void
fab_clock_free(struct fab_clock *c)
{
	free(c);
}

int
fab_clock_set(struct fab_clock *c, uint64_t t_ps)
{
	if (c->mode == FAB_CLOCK_REAL)
		return -ENOTSUP;
	if (t_ps < c->virtual_ps)
		return -EINVAL;
	c->virtual_ps = t_ps;
	return 0;
}

int
fab_clock_advance(struct fab_clock *c, uint64_t d_ps)
{
	if (c->mode == FAB_CLOCK_REAL)
		return -ENOTSUP;
	if (d_ps > UINT64_MAX - c->virtual_ps)
		return -ERANGE;
	c->virtual_ps += d_ps;
	return 0;
}

const char *
fab_clock_mode_name(enum fab_clock_mode mode)
{
	if ((unsigned int)mode >= FAB_CLOCK_MODE_MAX)
		return "unknown";
	return mode_names[mode];
}

int
fab_clock_mode_from_name(const char *name, enum fab_clock_mode *mode)
{
	unsigned int i;

	if (name == NULL || mode == NULL)
		return -EINVAL;
	for (i = 0; i < FAB_CLOCK_MODE_MAX; i++)
		if (strcmp(name, mode_names[i]) == 0) {
			*mode = (enum fab_clock_mode)i;
			return 0;
		}
	return -EINVAL;
}
