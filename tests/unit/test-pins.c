// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: src/model/pins.c (pfn identity: changed, KSM-shared, movable)
 * and the pure parsers of src/host/vmstat.c (/proc/vmstat pin counters,
 * /proc/zoneinfo's Movable zone).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "host/vmstat.h"
#include "model/pins.h"

static void test_vmstat(void **state)
{
	uint64_t a = 0, r = 0;

	(void)state;
	assert_int_equal(vmstat_parse_pins("nr_free_pages 100\nnr_foll_pin_acquired 2048\nnr_foll_pin_released 1024\npgfault 5\n", &a, &r), 0);
	assert_int_equal(a, 2048);
	assert_int_equal(r, 1024);
	/* a prefix of another name is not the counter */
	assert_int_equal(vmstat_parse_pins("xnr_foll_pin_acquired 1\nnr_foll_pin_acquired 7\nnr_foll_pin_released 3\n", &a, &r), 0);
	assert_int_equal(a, 7);
	assert_int_equal(vmstat_parse_pins("nr_free_pages 100\n", &a, &r), -ENOENT);
	assert_int_equal(vmstat_parse_pins("nr_foll_pin_acquired 1\n", &a, &r), -ENOENT);
}

static const char zoneinfo[] =
	"Node 0, zone      DMA\n  pages free     3977\n        spanned  4095\n  start_pfn:           1\n"
	"Node 0, zone    DMA32\n  pages free     1\n        spanned  258048\n  start_pfn:           4096\n"
	"Node 0, zone   Normal\n  pages free     0\n        spanned  0\n  start_pfn:           0\n"
	"Node 0, zone  Movable\n  pages free     100\n        spanned  131072\n  start_pfn:           393216\n"
	"Node 0, zone   Device\n  pages free     0\n        spanned  0\n  start_pfn:           0\n";

static void test_zoneinfo(void **state)
{
	struct pfn_ranges m;

	(void)state;
	assert_int_equal(zoneinfo_parse_movable(zoneinfo, &m), 0);
	assert_int_equal(m.n, 1);
	assert_int_equal(m.r[0].start, 393216);
	assert_int_equal(m.r[0].end, 393216 + 131072);
	assert_true(pfn_ranges_has(&m, 393216));
	assert_false(pfn_ranges_has(&m, 393216 + 131072));
	assert_false(pfn_ranges_has(&m, 4096));
	/* no movablecore=: an empty Movable zone or none */
	assert_int_equal(zoneinfo_parse_movable("Node 0, zone  Movable\n        spanned  0\n  start_pfn:           0\n", &m), 0);
	assert_int_equal(m.n, 0);
	assert_int_equal(zoneinfo_parse_movable("", &m), 0);
	assert_int_equal(m.n, 0);
}

static void test_census(void **state)
{
	/* 4 KSM pages shared 256 times each would be 1024; here 3 pages share one pfn */
	uint64_t pfns[8] = { 10, 77, 77, 77, 500000, 0, 5, 5 }, dups[4], zero[1] = { 5 };
	struct pfn_ranges mov = { .n = 1, .r = { { 400000, 600000 } } };
	struct pfn_census c;

	(void)state;
	/* only repeated pfns need their flags read: 5 and 77, sorted */
	assert_int_equal(pfn_dups(pfns, 8, dups, 4), 2);
	assert_int_equal(dups[0], 5);
	assert_int_equal(dups[1], 77);
	assert_int_equal(pfn_dups(pfns, 8, dups, 1), 1);
	assert_int_equal(pfn_census(pfns, 8, zero, 1, &mov, &c), 0);
	assert_int_equal(c.present, 7 * 4096);
	/* the zero page repeats but is not KSM */
	assert_int_equal(c.shared, 3 * 4096);
	assert_int_equal(c.movable, 4096);
	assert_int_equal(pfn_census(pfns, 8, NULL, 0, NULL, &c), 0);
	assert_int_equal(c.shared, 5 * 4096);
	assert_int_equal(c.movable, 0);
}

static void test_changed(void **state)
{
	uint64_t before[5] = { 1, 2, 0, 4, 5 }, after[5] = { 1, 9, 7, 4, 0 };

	(void)state;
	/* page 2 was not present before: a fault, not a change; page 4 vanished: changed */
	assert_int_equal(pfns_changed(before, after, 5), 2 * 4096);
	assert_int_equal(pfns_changed(before, before, 5), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vmstat),
		cmocka_unit_test(test_zoneinfo),
		cmocka_unit_test(test_census),
		cmocka_unit_test(test_changed),
	};

	return cmocka_run_group_tests_name("pins", tests, NULL, NULL);
}
