/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * Every CUnit suite: FAB_SUITE(name, needs_eal). Each name has a function
 * fab_suite_<name>() in tests/unit/test_<name>.c and an entry in
 * tests/unit/meson.build. Suites that need mbufs or DPDK libraries ask for
 * the EAL; the runner then starts it with --no-huge --no-shconf.
 */
FAB_SUITE(json, false)
FAB_SUITE(pkt, true)
FAB_SUITE(icrc, true)
FAB_SUITE(pkt_zc, true)
FAB_SUITE(pfc_frame, true)
FAB_SUITE(route, true)
FAB_SUITE(route_cache, true)
FAB_SUITE(ecn, false)
FAB_SUITE(plugin, false)
FAB_SUITE(port, true)
FAB_SUITE(mmu, false)
FAB_SUITE(pfc, false)
FAB_SUITE(clock, false)
FAB_SUITE(sched, true)
FAB_SUITE(config, false)
FAB_SUITE(switch, true)
FAB_SUITE(stats, true)
FAB_SUITE(link, true)
FAB_SUITE(fabric, true)
FAB_SUITE(scenario, false)
FAB_SUITE(run, true)
FAB_SUITE(collective, false)
FAB_SUITE(transport, true)
FAB_SUITE(cc, false)
FAB_SUITE(gen, true)
