/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef FAB_CC_H
#define FAB_CC_H

/**
 * @file
 * Congestion control of a host NIC: a plugin of kind FAB_PLUGIN_CC
 * (plugins/cc-dcqcn, plugins/cc-none, or a user's) with its state and
 * one state area per QP. The transport (lib/transport) reports what
 * happens to a QP; the generator (lib/gen) forwards it here as events and
 * paces each QP at fab_cc_rate().
 *
 * DCQCN (the default) is both halves: the notification point at the
 * receiver answers CE-marked packets with at most one CNP per interval per
 * QP; the reaction point at the sender cuts its rate on a CNP and recovers
 * by fast recovery, additive and hyper increase (docs/plugins.md and
 * ../shared/FACTS.md give the formulas and the defaults with sources).
 */

#include <stdint.h>

#include "fab_plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Name of the default policy. */
#define FAB_CC_DEFAULT "cc-dcqcn"

/** A congestion-control instance. */
struct fab_cc;

/**
 * Load the policy @p name (built-in first, then on @p plugin_path as
 * lib/plugin does) and create it.
 *
 * @param err
 *   Receives why it failed (unknown plugin, wrong kind or ABI, refused
 *   arguments).
 * @return the instance, or NULL with rte_errno set.
 */
struct fab_cc *fab_cc_create(const char *name, const char *plugin_path,
		const struct fab_cc_conf *conf, char *err, size_t errlen);

/** Free an instance (after its QP areas are no longer used); accepts NULL. */
void fab_cc_free(struct fab_cc *cc);

/** Bytes of one QP's state area (a multiple of 8, at least 8). */
uint32_t fab_cc_flow_size(const struct fab_cc *cc);

/** Initialise a QP's area (flow_size bytes, 8-aligned) at @p now_ps. */
void fab_cc_flow_init(struct fab_cc *cc, void *flow, uint64_t now_ps);

/** Pass @p n events (see struct fab_cc_event); cnp[i] as the ops say. */
void fab_cc_events(struct fab_cc *cc, const struct fab_cc_event *ev, uint16_t n,
		uint8_t *cnp);

/** A QP's rate now (bps). */
uint64_t fab_cc_rate(struct fab_cc *cc, void *flow, uint64_t now_ps);

/** The policy's name ("cc-dcqcn"). */
const char *fab_cc_name(const struct fab_cc *cc);

#ifdef __cplusplus
}
#endif

#endif /* FAB_CC_H */
