/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pfn identity around a DMA map, as pure functions over the pfns pagemap
 * gave before and after (0: not present or hidden): how many pages the
 * long-term pin replaced (unshared, COWed, migrated), which pages are
 * KSM-merged (a pfn the range maps more than once that is not the zero
 * page: 6.12's KPF_KSM is set on every anon page), which sit in ZONE_MOVABLE.
 */
#ifndef VP_PINS_H
#define VP_PINS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PFN_RANGES_MAX 16
struct pfn_ranges {
	unsigned n;
	struct { uint64_t start, end; } r[PFN_RANGES_MAX];   /* [start, end) */
};
bool pfn_ranges_has(const struct pfn_ranges *m, uint64_t pfn);

struct pfn_census {
	uint64_t present;   /* bytes with a visible pfn */
	uint64_t shared;    /* bytes whose pfn occurs more than once and is not a zero page */
	uint64_t movable;   /* bytes in the ranges given (ZONE_MOVABLE) */
};
/*
 * The pfns (values) that occur more than once among pfns[0..n), sorted,
 * at most cap of them: the only ones whose flags decide KSM or zero page.
 * Returns how many, or -ENOMEM.
 */
long pfn_dups(const uint64_t *pfns, size_t n, uint64_t *vals, size_t cap);
/* zero: sorted pfns that are a zero page (kpageflags ZERO_PAGE), not KSM sharing; may be NULL. */
int pfn_census(const uint64_t *pfns, size_t n, const uint64_t *zero, size_t nzero,
	       const struct pfn_ranges *movable, struct pfn_census *out);
/* Bytes present before (pfn != 0) whose pfn after differs. */
uint64_t pfns_changed(const uint64_t *before, const uint64_t *after, size_t n);

#endif
