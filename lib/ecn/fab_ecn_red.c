/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#include <errno.h>
#include <math.h>
#include <stddef.h>

#include "fab_ecn.h"

double
fab_ecn_red_prob(uint32_t q, uint32_t kmin, uint32_t kmax, double pmax)
{
	/* Same order of tests as the data path, so kmin == kmax is a step. */
	if (q <= kmin)
		return 0.0;
	if (q > kmax)
		return 1.0;
	return pmax * (double)(q - kmin) / (double)(kmax - kmin);
}

int
fab_ecn_red_config_init(struct fab_ecn_red_config *cfg,
		const struct fab_ecn_red_params *params)
{
	double scaled;

	if (cfg == NULL || params == NULL)
		return -EINVAL;
	/* !(x >= 0) also refuses NaN. */
	if (params->kmin_bytes > params->kmax_bytes ||
			!(params->pmax >= 0.0) || params->pmax > 1.0)
		return -EINVAL;

	scaled = nearbyint(params->pmax * (double)FAB_ECN_PROB_ONE);
	cfg->kmin_bytes = params->kmin_bytes;
	cfg->kmax_bytes = params->kmax_bytes;
	cfg->range_bytes = params->kmax_bytes - params->kmin_bytes;
	cfg->pmax_fixed = (uint64_t)scaled;
	return 0;
}

uint64_t
fab_ecn_red_prob_fixed(const struct fab_ecn_red_config *cfg, uint32_t q)
{
	uint64_t num;

	if (q <= cfg->kmin_bytes)
		return 0;
	if (q > cfg->kmax_bytes)
		return FAB_ECN_PROB_ONE;
	/*
	 * fab_ecn_red_decide() marks the draws r with
	 * r * range < pmax_fixed * (q - kmin): there are exactly
	 * ceil(pmax_fixed * (q - kmin) / range) of them.
	 */
	num = cfg->pmax_fixed * (uint64_t)(q - cfg->kmin_bytes);
	return (num + cfg->range_bytes - 1) / cfg->range_bytes;
}
