// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests: --type parsing (map-mem.c) and the IOVA allocator (backend.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "map/backend.h"
#include "lib/error.h"
#include "map/mem.h"

static void test_spec_forms(void **state)
{
	struct mem_spec s;

	(void)state;
	assert_int_equal(mem_spec_parse("anon", &s), 0);
	assert_int_equal(s.type, MT_ANON);
	assert_int_equal(s.size, 0);
	assert_int_equal(s.flags, 0);
	assert_false(s.iova_set);
	assert_int_equal(mem_spec_parse("hugetlb1g", &s), 0);
	assert_int_equal(s.type, MT_HUGETLB1G);
	assert_int_equal(mem_spec_parse("thp:8M", &s), 0);
	assert_int_equal(s.type, MT_THP);
	assert_int_equal(s.size, 8ULL << 20);
	assert_int_equal(mem_spec_parse("zero:1M:rw", &s), 0);
	assert_int_equal(s.flags, BE_MAP_READ | BE_MAP_WRITE);
	assert_int_equal(mem_spec_parse("anon:ro", &s), 0);
	assert_int_equal(s.flags, BE_MAP_READ);
	assert_int_equal(s.size, 0);
	assert_int_equal(mem_spec_parse("anon:1M@0xfee00000", &s), 0);
	assert_true(s.iova_set);
	assert_int_equal(s.iova, 0xfee00000ULL);
	assert_int_equal(mem_spec_parse("bar", &s), 0);
	assert_int_equal(s.type, MT_BAR);
	assert_int_equal(s.bar, -1);
	assert_int_equal(mem_spec_parse("bar2:64K", &s), 0);
	assert_int_equal(s.bar, 2);
	assert_int_equal(s.size, 64 << 10);
	assert_string_equal(s.text, "bar2:64K");
}

static void test_spec_errors(void **state)
{
	static const char *const bad[] = {
		"", "foo", "bar6", "bar12", "anon:", "anon:4X", "anon:0", "anon:1M:rx",
		"anon:1M:ro:rw:4M", "anon@", "anon@zz", "anon:1M:2M",
	};
	struct mem_spec s;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err_clear();
		assert_int_equal(mem_spec_parse(bad[i], &s), -EINVAL);
		assert_int_equal(err_exit_code(), VP_EXIT_USAGE);
	}
	err_clear();
}

static void test_defaults(void **state)
{
	(void)state;
	assert_int_equal(mem_default_size(MT_ANON), 4ULL << 20);
	assert_int_equal(mem_default_size(MT_HUGETLB), 2ULL << 20);
	assert_int_equal(mem_default_size(MT_HUGETLB1G), 1ULL << 30);
	assert_int_equal(mem_default_size(MT_BAR), 0);
	assert_int_equal(mem_page_size(MT_HUGETLB1G), 1ULL << 30);
	assert_int_equal(mem_page_size(MT_FILE), 4096);
	assert_int_equal(mem_default_flags(MT_ZERO), BE_MAP_READ);
	assert_int_equal(mem_default_flags(MT_ANON), BE_MAP_READ | BE_MAP_WRITE);
}

/* The ranges 6.1 and 6.12 reported under QEMU's intel-iommu (vm-test-recipe). */
static struct backend_info vtd(void)
{
	struct backend_info bi;

	memset(&bi, 0, sizeof(bi));
	bi.ranges_known = true;
	bi.nranges = 2;
	bi.ranges[0].start = 0;
	bi.ranges[0].end = 0xfedfffffULL;
	bi.ranges[1].start = 0xfef00000ULL;
	bi.ranges[1].end = (1ULL << 39) - 1;
	return bi;
}

static void test_iova_pick(void **state)
{
	struct backend_info bi = vtd();
	uint64_t cursor = 1ULL << 20, iova;

	(void)state;
	assert_int_equal(iova_pick(&bi, &cursor, 4ULL << 20, 4ULL << 20, &iova), 0);
	assert_int_equal(iova, 4ULL << 20);
	assert_int_equal(cursor, 8ULL << 20);
	assert_int_equal(iova_pick(&bi, &cursor, 1ULL << 30, 1ULL << 30, &iova), 0);
	assert_int_equal(iova, 1ULL << 30);
	/* Something that would cross the MSI window goes past it. */
	cursor = 0xfec00000ULL;
	assert_int_equal(iova_pick(&bi, &cursor, 4ULL << 20, 4096, &iova), 0);
	assert_int_equal(iova, 0xfef00000ULL);
	assert_true(iova_usable(&bi, iova, 4ULL << 20));
	assert_false(iova_usable(&bi, 0xfee00000ULL, 1ULL << 20));
	assert_false(iova_usable(&bi, 0xfed00000ULL, 2ULL << 20));
	assert_true(iova_usable(&bi, 0, 4096));
	/* Out of space */
	cursor = (1ULL << 39) - 4096;
	assert_int_equal(iova_pick(&bi, &cursor, 8192, 4096, &iova), -ENOSPC);
	assert_int_equal(iova_pick(&bi, &cursor, 0, 4096, &iova), -EINVAL);
	assert_int_equal(iova_pick(&bi, &cursor, 4096, 3, &iova), -EINVAL);
}

static void test_iova_fallback(void **state)
{
	struct backend_info bi;
	uint64_t cursor = 0xfec00000ULL, iova;

	(void)state;
	memset(&bi, 0, sizeof(bi));
	/* No IOVA range capability: the MSI window is still avoided. */
	assert_int_equal(iova_pick(&bi, &cursor, 4ULL << 20, 4096, &iova), 0);
	assert_true(iova >= 0xfef00000ULL);
	assert_false(iova_usable(&bi, 0xfee00000ULL, 4096));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_forms),
		cmocka_unit_test(test_spec_errors),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_iova_pick),
		cmocka_unit_test(test_iova_fallback),
	};

	return cmocka_run_group_tests_name("map-spec", tests, NULL, NULL);
}
