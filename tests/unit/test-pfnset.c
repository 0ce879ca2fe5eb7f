// SPDX-License-Identifier: GPL-2.0-or-later
/* The pfn set behind physical-order kpageflags reads. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "model/pfnset.h"

static void test_far_apart_pfns_cost_two_chunks(void **state)
{
	struct pfnset *s = malloc(sizeof(*s));

	(void)state;
	pfnset_init(s);
	assert_int_equal(pfnset_add(s, 7), 0);
	assert_int_equal(pfnset_add(s, 1ULL << 54), 0);   /* found by the fuzzer: was a 2^36-entry realloc */
	assert_int_equal(s->nchunks, 2);
	assert_true(pfnset_has(s, 7));
	assert_true(pfnset_has(s, 1ULL << 54));
	assert_false(pfnset_has(s, 8));
	assert_false(pfnset_has(s, (1ULL << 54) + 1));
	assert_int_equal(s->count, 2);
	pfnset_free(s);
	free(s);
}

static void test_windows_in_physical_order(void **state)
{
	static const uint64_t in[] = { 900000, 5, 3, 1ULL << 40, 4, 20, 902 };
	static uint32_t offs[65536];
	uint64_t pfn = 0, first, last;
	struct pfnset *s = malloc(sizeof(*s));
	size_t i;

	(void)state;
	pfnset_init(s);
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		assert_int_equal(pfnset_add(s, in[i]), 0);
	/* gap 8: 3,4,5 together; 20 alone (15 > 8); 902; 900000; 2^40 */
	assert_int_equal(pfnset_next_window(s, &pfn, 8, 65536, &first, &last, offs), 3);
	assert_int_equal(first, 3);
	assert_int_equal(last, 5);
	assert_int_equal(offs[0], 0);
	assert_int_equal(offs[2], 2);
	assert_true(pfnset_next_window(s, &pfn, 8, 65536, &first, &last, offs));
	assert_int_equal(first, 20);
	assert_int_equal(last, 20);
	assert_true(pfnset_next_window(s, &pfn, 8, 65536, &first, &last, offs));
	assert_int_equal(first, 902);
	assert_true(pfnset_next_window(s, &pfn, 8, 65536, &first, &last, offs));
	assert_int_equal(first, 900000);
	assert_true(pfnset_next_window(s, &pfn, 8, 65536, &first, &last, offs));
	assert_int_equal(first, 1ULL << 40);
	assert_false(pfnset_next_window(s, &pfn, 8, 65536, &first, &last, offs));
	pfnset_free(s);
	free(s);
}

static void test_window_length_is_capped(void **state)
{
	uint64_t pfn = 0, first, last, p;
	struct pfnset *s = malloc(sizeof(*s));
	uint32_t offs[64];

	(void)state;
	pfnset_init(s);
	for (p = 0; p < 100; p++)
		assert_int_equal(pfnset_add(s, p), 0);
	assert_int_equal(pfnset_next_window(s, &pfn, 8, 64, &first, &last, offs), 64);
	assert_int_equal(first, 0);
	assert_int_equal(last, 63);
	assert_int_equal(pfnset_next_window(s, &pfn, 8, 64, &first, &last, offs), 36);
	assert_int_equal(first, 64);
	assert_int_equal(last, 99);
	assert_int_equal(offs[35], 35);
	assert_int_equal(pfnset_next_window(s, &pfn, 8, 64, &first, &last, offs), 0);
	pfnset_free(s);
	free(s);
}

static void test_repeats_are_counted_then_refused(void **state)
{
	struct pfnset *s = malloc(sizeof(*s));
	uint64_t p, extra = 0;
	size_t i;
	int rc = 0;

	(void)state;
	pfnset_init(s);
	/* The zero page mapped 1000 times: one bit, 999 extra. */
	for (i = 0; i < 1000; i++)
		assert_int_equal(pfnset_add(s, 42), 0);
	assert_int_equal(s->count, 1);
	for (i = 0; i < PFNSET_DUPS; i++)
		if (s->dups[i].pfn == 42)
			extra = s->dups[i].extra;
	assert_int_equal(extra, 999);
	/* Too many distinct repeated pfns: -ENOSPC, so the caller flushes. */
	for (p = 1000; p < 1000 + PFNSET_DUPS && !rc; p++) {
		assert_int_equal(pfnset_add(s, p), 0);
		rc = pfnset_add(s, p);
	}
	assert_int_equal(rc, -ENOSPC);
	pfnset_free(s);
	free(s);
}

/* clear keeps the bitmaps; windows stop at end; the median splits the count. */
static void test_clear_window_to_median(void **state)
{
	static uint32_t offs[65536];
	struct pfnset *s = malloc(sizeof(*s));
	uint64_t pfn = 0, first, last, mid, p;
	size_t n, below = 0;

	(void)state;
	pfnset_init(s);
	for (p = 1000; p < 3000; p += 2)
		assert_int_equal(pfnset_add(s, p), 0);
	assert_int_equal(pfnset_add(s, 1000), 0);   /* a repeat */
	assert_int_equal(s->ndups, 1);
	mid = pfnset_median(s);
	assert_true(mid > 1000 && mid < 3000);
	while ((n = pfnset_next_window_to(s, &pfn, mid, 8, 65536, &first, &last, offs))) {
		assert_true(last < mid);
		below += n;
	}
	/* within one word of the exact half */
	assert_true(below >= 500 && below <= 500 + 32);
	pfn = mid;
	n = 0;
	while ((p = pfnset_next_window(s, &pfn, 8, 65536, &first, &last, offs))) {
		assert_true(first >= mid);
		n += p;
	}
	assert_int_equal(below + n, 1000);
	pfnset_clear(s);
	assert_int_equal(s->count, 0);
	assert_int_equal(s->ndups, 0);
	assert_int_equal(s->nchunks, 1);   /* kept for the next vma */
	assert_false(pfnset_has(s, 1000));
	pfn = 0;
	assert_int_equal(pfnset_next_window(s, &pfn, 8, 65536, &first, &last, offs), 0);
	assert_int_equal(pfnset_median(s), 0);
	assert_int_equal(pfnset_add(s, 1000), 0);   /* not a repeat any more */
	assert_int_equal(s->ndups, 0);
	pfn = 0;
	assert_int_equal(pfnset_next_window(s, &pfn, 8, 65536, &first, &last, offs), 1);
	assert_int_equal(first, 1000);
	pfnset_free(s);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_far_apart_pfns_cost_two_chunks),
		cmocka_unit_test(test_windows_in_physical_order),
		cmocka_unit_test(test_window_length_is_capped),
		cmocka_unit_test(test_repeats_are_counted_then_refused),
		cmocka_unit_test(test_clear_window_to_median),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
