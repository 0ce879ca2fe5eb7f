// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model/pins.h"
#include "lib/util.h"

bool pfn_ranges_has(const struct pfn_ranges *m, uint64_t pfn)
{
	unsigned i;

	for (i = 0; m && i < m->n; i++)
		if (pfn >= m->r[i].start && pfn < m->r[i].end)
			return true;
	return false;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* A sorted copy of the present pfns, and its length. */
static uint64_t *sorted_present(const uint64_t *pfns, size_t n, size_t *k)
{
	uint64_t *v = malloc((n ? n : 1) * sizeof(*v));
	size_t i;

	*k = 0;
	if (!v)
		return NULL;
	for (i = 0; i < n; i++)
		if (pfns[i])
			v[(*k)++] = pfns[i];
	qsort(v, *k, sizeof(*v), cmp_u64);
	return v;
}

long pfn_dups(const uint64_t *pfns, size_t n, uint64_t *vals, size_t cap)
{
	size_t k, i, j, got = 0;
	uint64_t *v = sorted_present(pfns, n, &k);

	if (!v)
		return -ENOMEM;
	for (i = 0; i < k && got < cap; i = j) {
		for (j = i + 1; j < k && v[j] == v[i]; j++)
			;
		if (j - i > 1)
			vals[got++] = v[i];
	}
	free(v);
	return (long)got;
}

int pfn_census(const uint64_t *pfns, size_t n, const uint64_t *zero, size_t nzero,
	       const struct pfn_ranges *movable, struct pfn_census *out)
{
	size_t k, i, j;
	uint64_t *v = sorted_present(pfns, n, &k);

	memset(out, 0, sizeof(*out));
	if (!v)
		return -ENOMEM;
	out->present = k * PAGE_4K;
	for (i = 0; i < k; i = j) {
		for (j = i + 1; j < k && v[j] == v[i]; j++)
			;
		if (pfn_ranges_has(movable, v[i]))
			out->movable += (j - i) * PAGE_4K;
		/* The zero page repeats by design: it is not KSM sharing. */
		if (j - i > 1 && !(zero && bsearch(&v[i], zero, nzero, sizeof(*zero), cmp_u64)))
			out->shared += (j - i) * PAGE_4K;
	}
	free(v);
	return 0;
}

uint64_t pfns_changed(const uint64_t *before, const uint64_t *after, size_t n)
{
	uint64_t bytes = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (before[i] && after[i] != before[i])
			bytes += PAGE_4K;
	return bytes;
}
