/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * Every CUnit suite: FAB_SUITE(name, needs_eal). Each name has a function
 * fab_suite_<name>() in tests/unit/test_<name>.c and an entry in
 * tests/unit/meson.build. Suites that need mbufs or DPDK libraries ask for
 * the EAL; the runner then starts it with --no-huge --no-shconf.
 */
FAB_SUITE(pkt, true)
FAB_SUITE(icrc, true)
FAB_SUITE(pfc_frame, true)
