/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * lib/pfc: TX, RX and watchdog state machines. Times are worked out by hand:
 * one quantum is 512 bit times, 5120 ps at 100G and 20,480 ps at 25G, so
 * 65535 quanta last 335,539,200 ps at 100G and 1,342,156,800 ps at 25G.
 */

#include <string.h>

#include <rte_errno.h>

#include "fab_pfc.h"
#include "fab_test.h"

#define G100 100000000000ULL
#define G25 25000000000ULL
#define PAUSE_100G 335539200ULL
#define PAUSE_25G 1342156800ULL

static struct fab_pfc_tx *
tx_new(uint64_t rate, uint64_t refresh_ps, uint8_t enable_mask)
{
	struct fab_pfc_tx_conf c = {
		.rate_bps = rate,
		.refresh_ps = refresh_ps,
		.enable_mask = enable_mask,
	};

	return fab_pfc_tx_create(&c);
}

static void
assert_frame(struct fab_pfc_tx *tx, uint64_t now, uint8_t want_enable,
		const uint16_t want_quanta[FAB_NUM_PRIO])
{
	uint8_t enable = 0xaa;
	uint16_t quanta[FAB_NUM_PRIO];
	unsigned int p;

	CU_ASSERT_TRUE(fab_pfc_tx_poll(tx, now, &enable, quanta));
	CU_ASSERT_EQUAL(enable, want_enable);
	for (p = 0; p < FAB_NUM_PRIO; p++)
		CU_ASSERT_EQUAL(quanta[p], want_quanta[p]);
}

static void
assert_no_frame(struct fab_pfc_tx *tx, uint64_t now)
{
	uint8_t enable = 0xaa;
	uint16_t quanta[FAB_NUM_PRIO];
	unsigned int p;

	memset(quanta, 0x55, sizeof(quanta));
	CU_ASSERT_FALSE(fab_pfc_tx_poll(tx, now, &enable, quanta));
	CU_ASSERT_EQUAL(enable, 0);
	for (p = 0; p < FAB_NUM_PRIO; p++)
		CU_ASSERT_EQUAL(quanta[p], 0);
}

static void
test_pfc_create_invalid(void)
{
	struct fab_pfc_rx_conf rc;
	struct fab_pfc_wd_conf wc;

	fab_pfc_tx_free(NULL);
	fab_pfc_rx_free(NULL);

	rte_errno = 0;
	CU_ASSERT_PTR_NULL(fab_pfc_tx_create(NULL));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);
	rte_errno = 0;
	CU_ASSERT_PTR_NULL(tx_new(0, 0, 0x08));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);
	/* A refresh as long as the pause lets the peer resume between refreshes. */
	rte_errno = 0;
	CU_ASSERT_PTR_NULL(tx_new(G100, PAUSE_100G, 0x08));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);

	rte_errno = 0;
	CU_ASSERT_PTR_NULL(fab_pfc_rx_create(NULL));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);
	memset(&rc, 0, sizeof(rc));
	rte_errno = 0;
	CU_ASSERT_PTR_NULL(fab_pfc_rx_create(&rc));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);
	rc.rate_bps = G100;
	rc.use_prio_map = true;
	rc.prio_to_class[2] = 8;
	rte_errno = 0;
	CU_ASSERT_PTR_NULL(fab_pfc_rx_create(&rc));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);

	memset(&wc, 0, sizeof(wc));
	CU_ASSERT_EQUAL(fab_pfc_wd_conf_check(NULL), -EINVAL);
	CU_ASSERT_EQUAL(fab_pfc_wd_conf_check(&wc), -EINVAL);
	wc.detect_ps = 1000;
	CU_ASSERT_EQUAL(fab_pfc_wd_conf_check(&wc), 0);
	wc.action = FAB_PFC_WD_ACTION_MAX;
	CU_ASSERT_EQUAL(fab_pfc_wd_conf_check(&wc), -EINVAL);
	wc.action = FAB_PFC_WD_FORWARD;
	wc.detect_ps = UINT64_MAX;
	CU_ASSERT_EQUAL(fab_pfc_wd_conf_check(&wc), -EINVAL);
}

static void
test_pfc_tx_defaults(void)
{
	struct fab_pfc_tx *tx;

	/* Default refresh: half of 65535 quanta at the port rate. */
	tx = tx_new(G100, 0, 0x18);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tx);
	CU_ASSERT_EQUAL(fab_pfc_tx_refresh_ps(tx), PAUSE_100G / 2);
	CU_ASSERT_EQUAL(fab_pfc_tx_refresh_ps(tx), 167769600);
	CU_ASSERT_EQUAL(fab_pfc_tx_next_event(tx), FAB_PFC_NEVER);
	fab_pfc_tx_free(tx);
	tx = tx_new(G25, 0, 0x18);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tx);
	CU_ASSERT_EQUAL(fab_pfc_tx_refresh_ps(tx), 671078400);
	fab_pfc_tx_free(tx);
}

static void
test_pfc_tx_xoff_frame_and_refresh(void)
{
	const uint16_t q3[FAB_NUM_PRIO] = { [3] = 0xffff };
	struct fab_pfc_tx_stats st;
	struct fab_pfc_tx *tx;
	uint64_t t;
	int i;

	tx = tx_new(G100, 1000000, 0x18);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tx);
	assert_no_frame(tx, 0);

	CU_ASSERT_EQUAL(fab_pfc_tx_xoff(tx, 3, 5000), 0);
	CU_ASSERT_TRUE(fab_pfc_tx_is_xoff(tx, 3));
	CU_ASSERT_EQUAL(fab_pfc_tx_next_event(tx), 5000);
	assert_no_frame(tx, 4999);
	assert_frame(tx, 5000, 0x08, q3);
	/* Sent: nothing more until the refresh, exactly refresh_ps later. */
	assert_no_frame(tx, 5000);
	CU_ASSERT_EQUAL(fab_pfc_tx_next_event(tx), 1005000);
	/* A second XOFF for a paused priority changes nothing. */
	CU_ASSERT_EQUAL(fab_pfc_tx_xoff(tx, 3, 6000), 0);
	CU_ASSERT_EQUAL(fab_pfc_tx_next_event(tx), 1005000);

	for (i = 1, t = 5000; i <= 4; i++) {
		t += 1000000;
		assert_no_frame(tx, t - 1);
		assert_frame(tx, t, 0x08, q3);
		CU_ASSERT_EQUAL(fab_pfc_tx_next_event(tx), t + 1000000);
	}
	/* A late poll sends at once and counts the next refresh from then. */
	assert_frame(tx, t + 1500000, 0x08, q3);
	CU_ASSERT_EQUAL(fab_pfc_tx_next_event(tx), t + 2500000);

	fab_pfc_tx_stats_get(tx, &st);
	CU_ASSERT_EQUAL(st.frames, 6);
	CU_ASSERT_EQUAL(st.pause[3], 6);
	CU_ASSERT_EQUAL(st.resume[3], 0);
	CU_ASSERT_EQUAL(st.pause[4], 0);
	fab_pfc_tx_free(tx);
}

static void
test_pfc_tx_xon_once(void)
{
	const uint16_t q3[FAB_NUM_PRIO] = { [3] = 0xffff };
	const uint16_t zero[FAB_NUM_PRIO] = { 0 };
	struct fab_pfc_tx_stats st;
	struct fab_pfc_tx *tx;

	tx = tx_new(G100, 0, 0x08);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tx);
	fab_pfc_tx_xoff(tx, 3, 0);
	assert_frame(tx, 0, 0x08, q3);
	CU_ASSERT_EQUAL(fab_pfc_tx_xon(tx, 3, 7000), 0);
	CU_ASSERT_FALSE(fab_pfc_tx_is_xoff(tx, 3));
	CU_ASSERT_EQUAL(fab_pfc_tx_next_event(tx), 7000);
	/* Priority 3 enabled with time 0, once. */
	assert_frame(tx, 7000, 0x08, zero);
	assert_no_frame(tx, 7000);
	assert_no_frame(tx, 10 * PAUSE_100G);
	CU_ASSERT_EQUAL(fab_pfc_tx_next_event(tx), FAB_PFC_NEVER);
	/* XON for a priority not paused sends nothing. */
	CU_ASSERT_EQUAL(fab_pfc_tx_xon(tx, 3, 8000), 0);
	assert_no_frame(tx, 8000);
	fab_pfc_tx_stats_get(tx, &st);
	CU_ASSERT_EQUAL(st.frames, 2);
	CU_ASSERT_EQUAL(st.pause[3], 1);
	CU_ASSERT_EQUAL(st.resume[3], 1);

	/* An XOFF withdrawn before any frame left is never sent, nor its XON. */
	fab_pfc_tx_xoff(tx, 3, 9000);
	fab_pfc_tx_xon(tx, 3, 9000);
	assert_no_frame(tx, 9000);
	CU_ASSERT_EQUAL(fab_pfc_tx_next_event(tx), FAB_PFC_NEVER);
	fab_pfc_tx_stats_get(tx, &st);
	CU_ASSERT_EQUAL(st.frames, 2);

	/* Only enabled priorities may send PFC. */
	CU_ASSERT_EQUAL(fab_pfc_tx_xoff(tx, 0, 0), -ENOTSUP);
	CU_ASSERT_EQUAL(fab_pfc_tx_xon(tx, 4, 0), -ENOTSUP);
	CU_ASSERT_EQUAL(fab_pfc_tx_xoff(tx, 8, 0), -EINVAL);
	CU_ASSERT_FALSE(fab_pfc_tx_is_xoff(tx, 8));
	fab_pfc_tx_free(tx);
}

static void
test_pfc_tx_coalescing(void)
{
	const uint16_t q34[FAB_NUM_PRIO] = { [3] = 0xffff, [4] = 0xffff };
	const uint16_t q3[FAB_NUM_PRIO] = { [3] = 0xffff };
	struct fab_pfc_tx_conf c = {
		.rate_bps = G100, .pause_quanta = 1000, .refresh_ps = 2000000,
		.enable_mask = 0x18,
	};
	const uint16_t q3_small[FAB_NUM_PRIO] = { [3] = 1000 };
	struct fab_pfc_tx_stats st;
	struct fab_pfc_tx *tx;

	tx = tx_new(G100, 1000000, 0x18);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tx);
	/* Two XOFFs before a poll: one frame with both. */
	fab_pfc_tx_xoff(tx, 3, 100);
	fab_pfc_tx_xoff(tx, 4, 200);
	assert_frame(tx, 200, 0x18, q34);
	CU_ASSERT_EQUAL(fab_pfc_tx_next_event(tx), 1000200);
	/* XON for 4 rides with a refresh of the standing pause of 3. */
	fab_pfc_tx_xon(tx, 4, 300000);
	assert_frame(tx, 300000, 0x18, q3);
	CU_ASSERT_EQUAL(fab_pfc_tx_next_event(tx), 1300000);
	/* A new XOFF for 4 later again carries 3 along. */
	fab_pfc_tx_xoff(tx, 4, 600000);
	assert_frame(tx, 600000, 0x18, q34);
	CU_ASSERT_EQUAL(fab_pfc_tx_next_event(tx), 1600000);
	fab_pfc_tx_stats_get(tx, &st);
	CU_ASSERT_EQUAL(st.frames, 3);
	CU_ASSERT_EQUAL(st.pause[3], 3);
	CU_ASSERT_EQUAL(st.pause[4], 2);
	CU_ASSERT_EQUAL(st.resume[4], 1);
	fab_pfc_tx_free(tx);

	/* A configured pause time is what the frame carries. */
	tx = fab_pfc_tx_create(&c);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tx);
	fab_pfc_tx_xoff(tx, 3, 0);
	assert_frame(tx, 0, 0x08, q3_small);
	fab_pfc_tx_free(tx);
	/* ... and a refresh beyond 1000 quanta (5.12 us at 100G) is refused. */
	c.refresh_ps = 5120000;
	CU_ASSERT_PTR_NULL(fab_pfc_tx_create(&c));
	c.refresh_ps = 5119999;
	tx = fab_pfc_tx_create(&c);
	CU_ASSERT_PTR_NOT_NULL(tx);
	fab_pfc_tx_free(tx);
}

static struct fab_pfc_rx *
rx_new(uint64_t rate, bool honor_pause)
{
	struct fab_pfc_rx_conf c = { .rate_bps = rate, .honor_pause = honor_pause };

	return fab_pfc_rx_create(&c);
}

static struct fab_pfc_frame
pfc_frame(uint8_t enable, uint8_t p1, uint16_t t1, uint8_t p2, uint16_t t2)
{
	struct fab_pfc_frame f;

	memset(&f, 0, sizeof(f));
	f.opcode = FAB_MAC_CTRL_PFC;
	f.enable = enable;
	f.quanta[p1] = t1;
	f.quanta[p2] = t2;
	return f;
}

static void
test_pfc_rx_until(void)
{
	struct fab_pfc_frame f = pfc_frame(0x08, 3, 65535, 0, 0);
	struct fab_pfc_rx_stats st;
	struct fab_pfc_rx *rx;
	uint64_t until[FAB_NUM_PRIO];
	uint8_t changed;
	unsigned int c;

	rx = rx_new(G100, false);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rx);
	CU_ASSERT_EQUAL(fab_pfc_rx_frame(rx, 1000000, &f, until, &changed), 0);
	CU_ASSERT_EQUAL(changed, 0x08);
	CU_ASSERT_EQUAL(until[3], 1000000 + 335539200);
	for (c = 0; c < FAB_NUM_PRIO; c++)
		if (c != 3)
			CU_ASSERT_EQUAL(until[c], 0);
	CU_ASSERT_EQUAL(fab_pfc_rx_paused_until(rx, 3), 336539200);
	CU_ASSERT_EQUAL(fab_pfc_rx_paused_until(rx, 4), 0);
	CU_ASSERT_EQUAL(fab_pfc_rx_next_event(rx, 1000000), 336539200);
	CU_ASSERT_EQUAL(fab_pfc_rx_next_event(rx, 336539200), FAB_PFC_NEVER);
	CU_ASSERT_EQUAL(fab_pfc_rx_paused_since(rx, 3, 2000000), 1000000);
	CU_ASSERT_EQUAL(fab_pfc_rx_paused_since(rx, 3, 336539200), FAB_PFC_NEVER);
	CU_ASSERT_EQUAL(fab_pfc_rx_paused_since(rx, 4, 2000000), FAB_PFC_NEVER);
	CU_ASSERT_EQUAL(fab_pfc_rx_last_pause(rx, 3), 1000000);
	CU_ASSERT_EQUAL(fab_pfc_rx_last_pause(rx, 4), FAB_PFC_NEVER);

	/* A resume (time 0) ends the pause at its arrival. */
	f = pfc_frame(0x08, 3, 0, 0, 0);
	CU_ASSERT_EQUAL(fab_pfc_rx_frame(rx, 3000000, &f, until, &changed), 0);
	CU_ASSERT_EQUAL(changed, 0x08);
	CU_ASSERT_EQUAL(until[3], 3000000);
	CU_ASSERT_EQUAL(fab_pfc_rx_paused_ps(rx, 3, 9000000), 2000000);
	CU_ASSERT_EQUAL(fab_pfc_rx_paused_since(rx, 3, 3000000), FAB_PFC_NEVER);
	CU_ASSERT_EQUAL(fab_pfc_rx_next_event(rx, 3000000), FAB_PFC_NEVER);
	/* A second resume changes nothing. */
	CU_ASSERT_EQUAL(fab_pfc_rx_frame(rx, 4000000, &f, NULL, &changed), 0);
	CU_ASSERT_EQUAL(changed, 0);
	fab_pfc_rx_stats_get(rx, &st);
	CU_ASSERT_EQUAL(st.pfc_frames, 3);
	CU_ASSERT_EQUAL(st.frames[3], 3);
	CU_ASSERT_EQUAL(st.pauses[3], 1);
	CU_ASSERT_EQUAL(st.resumes[3], 2);
	fab_pfc_rx_free(rx);

	/* 25G: 65535 quanta last 1,342,156,800 ps, one quantum 20,480 ps. */
	rx = rx_new(G25, false);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rx);
	f = pfc_frame(0x09, 3, 65535, 0, 1);
	CU_ASSERT_EQUAL(fab_pfc_rx_frame(rx, 0, &f, until, &changed), 0);
	CU_ASSERT_EQUAL(changed, 0x09);
	CU_ASSERT_EQUAL(until[3], PAUSE_25G);
	CU_ASSERT_EQUAL(until[0], 20480);
	CU_ASSERT_EQUAL(fab_pfc_rx_next_event(rx, 0), 20480);
	CU_ASSERT_EQUAL(fab_pfc_rx_next_event(rx, 20480), PAUSE_25G);
	/* A time for a priority whose enable bit is clear is not obeyed. */
	f = pfc_frame(0x00, 5, 100, 0, 0);
	CU_ASSERT_EQUAL(fab_pfc_rx_frame(rx, 0, &f, until, &changed), 0);
	CU_ASSERT_EQUAL(changed, 0);
	CU_ASSERT_EQUAL(until[5], 0);
	fab_pfc_rx_free(rx);
}

static void
test_pfc_rx_paused_time(void)
{
	struct fab_pfc_frame f = pfc_frame(0x01, 0, 65535, 0, 65535);
	struct fab_pfc_rx *rx;
	uint8_t changed;

	rx = rx_new(G100, false);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rx);
	/* A pause that runs out on its own counts whole. */
	fab_pfc_rx_frame(rx, 0, &f, NULL, NULL);
	CU_ASSERT_EQUAL(fab_pfc_rx_paused_ps(rx, 0, 100000000), 100000000);
	CU_ASSERT_EQUAL(fab_pfc_rx_paused_ps(rx, 0, 400000000), PAUSE_100G);
	/* A second, shorter one later adds its own length: 1000 quanta = 5,120,000 ps. */
	f.quanta[0] = 1000;
	fab_pfc_rx_frame(rx, 500000000, &f, NULL, &changed);
	CU_ASSERT_EQUAL(changed, 0x01);
	CU_ASSERT_EQUAL(fab_pfc_rx_paused_ps(rx, 0, 600000000), PAUSE_100G + 5120000);
	fab_pfc_rx_free(rx);

	/* A refresh before the end extends the same pause: one interval, one start. */
	rx = rx_new(G100, false);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rx);
	f.quanta[0] = 65535;
	fab_pfc_rx_frame(rx, 0, &f, NULL, NULL);
	fab_pfc_rx_frame(rx, 100000000, &f, NULL, &changed);
	CU_ASSERT_EQUAL(changed, 0x01);
	CU_ASSERT_EQUAL(fab_pfc_rx_paused_until(rx, 0), 100000000 + PAUSE_100G);
	CU_ASSERT_EQUAL(fab_pfc_rx_paused_since(rx, 0, 200000000), 0);
	/* A refresh landing exactly at the end continues it too. */
	fab_pfc_rx_frame(rx, 100000000 + PAUSE_100G, &f, NULL, NULL);
	CU_ASSERT_EQUAL(fab_pfc_rx_paused_since(rx, 0, 100000001 + PAUSE_100G), 0);
	CU_ASSERT_EQUAL(fab_pfc_rx_paused_ps(rx, 0, 100000000 + 3 * PAUSE_100G),
			100000000 + 2 * PAUSE_100G);
	fab_pfc_rx_free(rx);
}

static void
test_pfc_rx_pause_frames(void)
{
	struct fab_pfc_frame f;
	struct fab_pfc_rx_stats st;
	struct fab_pfc_rx *rx;
	uint64_t until[FAB_NUM_PRIO];
	uint8_t changed;
	unsigned int c;

	/* 802.3x PAUSE: only its first time field counts, for every class. */
	memset(&f, 0, sizeof(f));
	f.opcode = FAB_MAC_CTRL_PAUSE;
	f.enable = 0xff;
	f.quanta[0] = 100;

	rx = rx_new(G100, false);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rx);
	CU_ASSERT_EQUAL(fab_pfc_rx_frame(rx, 1000, &f, until, &changed), 0);
	CU_ASSERT_EQUAL(changed, 0);
	for (c = 0; c < FAB_NUM_PRIO; c++)
		CU_ASSERT_EQUAL(until[c], 0);
	fab_pfc_rx_stats_get(rx, &st);
	CU_ASSERT_EQUAL(st.pause_ignored, 1);
	CU_ASSERT_EQUAL(st.pause_frames, 0);
	fab_pfc_rx_free(rx);

	rx = rx_new(G100, true);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rx);
	CU_ASSERT_EQUAL(fab_pfc_rx_frame(rx, 1000, &f, until, &changed), 0);
	CU_ASSERT_EQUAL(changed, 0xff);
	/* 100 quanta at 100G = 512 ns. */
	for (c = 0; c < FAB_NUM_PRIO; c++)
		CU_ASSERT_EQUAL(until[c], 1000 + 512000);
	fab_pfc_rx_stats_get(rx, &st);
	CU_ASSERT_EQUAL(st.pause_ignored, 0);
	CU_ASSERT_EQUAL(st.pause_frames, 1);
	CU_ASSERT_EQUAL(st.pfc_frames, 0);

	/* Other opcodes and missing arguments are refused. */
	f.opcode = 0x0002;
	CU_ASSERT_EQUAL(fab_pfc_rx_frame(rx, 1000, &f, until, &changed), -EINVAL);
	CU_ASSERT_EQUAL(changed, 0);
	CU_ASSERT_EQUAL(fab_pfc_rx_frame(rx, 1000, NULL, until, &changed), -EINVAL);
	CU_ASSERT_EQUAL(fab_pfc_rx_frame(NULL, 1000, &f, until, &changed), -EINVAL);
	fab_pfc_rx_free(rx);
}

static void
test_pfc_rx_prio_map(void)
{
	struct fab_pfc_rx_conf c = {
		.rate_bps = G100,
		.use_prio_map = true,
		.prio_to_class = { 0, 1, 2, 5, 5, 3, 6, 7 },
		.ignore_mask = 0x01,
	};
	struct fab_pfc_frame f;
	struct fab_pfc_rx_stats st;
	struct fab_pfc_rx *rx;
	uint64_t until[FAB_NUM_PRIO];
	uint8_t changed;

	rx = fab_pfc_rx_create(&c);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rx);
	/* Priorities 3 and 4 share class 5: it waits for the longer, 200 quanta. */
	f = pfc_frame(0x18, 3, 100, 4, 200);
	CU_ASSERT_EQUAL(fab_pfc_rx_frame(rx, 0, &f, until, &changed), 0);
	CU_ASSERT_EQUAL(changed, 0x20);
	CU_ASSERT_EQUAL(until[5], 1024000);
	CU_ASSERT_EQUAL(until[3], 0);
	CU_ASSERT_EQUAL(until[4], 0);
	/* Resuming 4 leaves class 5 paused by 3 until 512,000. */
	f = pfc_frame(0x10, 4, 0, 0, 0);
	CU_ASSERT_EQUAL(fab_pfc_rx_frame(rx, 10000, &f, until, &changed), 0);
	CU_ASSERT_EQUAL(changed, 0x20);
	CU_ASSERT_EQUAL(until[5], 512000);
	CU_ASSERT_EQUAL(fab_pfc_rx_paused_since(rx, 5, 10000), 0);
	/* Priority 5 pauses class 3. */
	f = pfc_frame(0x20, 5, 1, 0, 0);
	CU_ASSERT_EQUAL(fab_pfc_rx_frame(rx, 0, &f, until, &changed), 0);
	CU_ASSERT_EQUAL(changed, 0x08);
	CU_ASSERT_EQUAL(until[3], 5120);
	/* Priority 0 is ignored: counted, not obeyed. */
	f = pfc_frame(0x01, 0, 65535, 0, 65535);
	CU_ASSERT_EQUAL(fab_pfc_rx_frame(rx, 0, &f, until, &changed), 0);
	CU_ASSERT_EQUAL(changed, 0);
	CU_ASSERT_EQUAL(until[0], 0);
	fab_pfc_rx_stats_get(rx, &st);
	CU_ASSERT_EQUAL(st.prio_ignored, 1);
	CU_ASSERT_EQUAL(st.frames[5], 3);
	CU_ASSERT_EQUAL(st.pauses[5], 2);
	CU_ASSERT_EQUAL(st.resumes[5], 1);
	CU_ASSERT_EQUAL(st.frames[0], 0);
	CU_ASSERT_EQUAL(st.pfc_frames, 4);
	fab_pfc_rx_free(rx);
}

static struct fab_pfc_wd_sample
wd_sample(uint64_t paused_since, uint64_t last_pause_rx, bool nonempty, bool progress)
{
	struct fab_pfc_wd_sample s = {
		.paused_since = paused_since,
		.last_pause_rx = last_pause_rx,
		.queue_nonempty = nonempty,
		.tx_progress = progress,
	};

	return s;
}

static void
test_pfc_watchdog(void)
{
	const uint64_t D = 200000000; /* 200 us */
	struct fab_pfc_wd_conf conf = { .detect_ps = D, .action = FAB_PFC_WD_DROP };
	struct fab_pfc_wd_sample s;
	struct fab_pfc_wd wd;

	CU_ASSERT_EQUAL(fab_pfc_wd_conf_check(&conf), 0);
	CU_ASSERT_EQUAL(fab_pfc_wd_restore_ps(&conf), 2 * D);
	fab_pfc_wd_init(&wd);
	CU_ASSERT_EQUAL(fab_pfc_wd_next_event(&wd, &conf), FAB_PFC_NEVER);

	s = wd_sample(FAB_PFC_NEVER, FAB_PFC_NEVER, true, true);
	CU_ASSERT_EQUAL(fab_pfc_wd_update(&wd, &conf, 0, &s), FAB_PFC_WD_NONE);
	/* Paused since 1000, queue stuck: a storm exactly D later. */
	s = wd_sample(1000, 1000, true, false);
	CU_ASSERT_EQUAL(fab_pfc_wd_update(&wd, &conf, 5000, &s), FAB_PFC_WD_NONE);
	CU_ASSERT_EQUAL(fab_pfc_wd_next_event(&wd, &conf), 1000 + D);
	CU_ASSERT_EQUAL(fab_pfc_wd_update(&wd, &conf, 999 + D, &s), FAB_PFC_WD_NONE);
	CU_ASSERT_FALSE(wd.stormed);
	CU_ASSERT_EQUAL(fab_pfc_wd_update(&wd, &conf, 1000 + D, &s), FAB_PFC_WD_DETECTED);
	CU_ASSERT_TRUE(wd.stormed);
	CU_ASSERT_EQUAL(wd.storms, 1);

	/* Pause frames keep coming: no restoration until 2D after the last one. */
	s = wd_sample(1000, 300000000, true, false);
	CU_ASSERT_EQUAL(fab_pfc_wd_update(&wd, &conf, 600000000, &s), FAB_PFC_WD_NONE);
	CU_ASSERT_EQUAL(fab_pfc_wd_next_event(&wd, &conf), 700000000);
	CU_ASSERT_EQUAL(fab_pfc_wd_update(&wd, &conf, 699999999, &s), FAB_PFC_WD_NONE);
	CU_ASSERT_EQUAL(fab_pfc_wd_update(&wd, &conf, 700000000, &s), FAB_PFC_WD_RESTORED);
	CU_ASSERT_FALSE(wd.stormed);
	CU_ASSERT_EQUAL(wd.restorations, 1);
	CU_ASSERT_EQUAL(fab_pfc_wd_next_event(&wd, &conf), FAB_PFC_NEVER);
	fab_pfc_wd_init(&wd);

	/* Progress while paused is no stall; the stall counts from the last good sample. */
	s = wd_sample(0, 0, true, true);
	CU_ASSERT_EQUAL(fab_pfc_wd_update(&wd, &conf, 50, &s), FAB_PFC_WD_NONE);
	CU_ASSERT_EQUAL(fab_pfc_wd_next_event(&wd, &conf), FAB_PFC_NEVER);
	s = wd_sample(0, 0, true, false);
	CU_ASSERT_EQUAL(fab_pfc_wd_update(&wd, &conf, 100, &s), FAB_PFC_WD_NONE);
	CU_ASSERT_EQUAL(fab_pfc_wd_next_event(&wd, &conf), 50 + D);
	CU_ASSERT_EQUAL(fab_pfc_wd_update(&wd, &conf, 49 + D, &s), FAB_PFC_WD_NONE);
	/* An empty paused queue is not a stall by default: the clock stops. */
	s = wd_sample(0, 0, false, false);
	CU_ASSERT_EQUAL(fab_pfc_wd_update(&wd, &conf, 49 + D, &s), FAB_PFC_WD_NONE);
	CU_ASSERT_EQUAL(fab_pfc_wd_update(&wd, &conf, 3 * D, &s), FAB_PFC_WD_NONE);
	CU_ASSERT_FALSE(wd.stormed);

	/* SONiC's reading: paused for D is a storm even when empty. */
	conf.detect_empty = true;
	conf.restore_ps = 1000;
	fab_pfc_wd_init(&wd);
	s = wd_sample(7000, 7000, false, false);
	CU_ASSERT_EQUAL(fab_pfc_wd_update(&wd, &conf, 8000, &s), FAB_PFC_WD_NONE);
	CU_ASSERT_EQUAL(fab_pfc_wd_update(&wd, &conf, 7000 + D, &s), FAB_PFC_WD_DETECTED);
	CU_ASSERT_EQUAL(fab_pfc_wd_next_event(&wd, &conf), 8000);
	CU_ASSERT_EQUAL(fab_pfc_wd_update(&wd, &conf, 7000 + D, &s), FAB_PFC_WD_RESTORED);
	/* Not paused at all: never a stall. */
	s = wd_sample(FAB_PFC_NEVER, 7000, true, false);
	CU_ASSERT_EQUAL(fab_pfc_wd_update(&wd, &conf, 10 * D, &s), FAB_PFC_WD_NONE);
	CU_ASSERT_EQUAL(wd.storms, 1);
}

int
fab_suite_pfc(void)
{
	CU_pSuite s = fab_test_add_suite("pfc");

	if (s == NULL)
		return -1;
	FAB_ADD_TEST(s, test_pfc_create_invalid);
	FAB_ADD_TEST(s, test_pfc_tx_defaults);
	FAB_ADD_TEST(s, test_pfc_tx_xoff_frame_and_refresh);
	FAB_ADD_TEST(s, test_pfc_tx_xon_once);
	FAB_ADD_TEST(s, test_pfc_tx_coalescing);
	FAB_ADD_TEST(s, test_pfc_rx_until);
	FAB_ADD_TEST(s, test_pfc_rx_paused_time);
	FAB_ADD_TEST(s, test_pfc_rx_pause_frames);
	FAB_ADD_TEST(s, test_pfc_rx_prio_map);
	FAB_ADD_TEST(s, test_pfc_watchdog);
	return 0;
}
