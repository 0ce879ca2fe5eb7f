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

int pfn_census(const uint64_t *pfns, const bool *zero, size_t n, const struct pfn_ranges *movable,
	       struct pfn_census *out)
{
	uint64_t *v;
	size_t i, k = 0, j;

	memset(out, 0, sizeof(*out));
	v = malloc((n ? n : 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if (!pfns[i])
			continue;
		out->present += PAGE_4K;
		if (pfn_ranges_has(movable, pfns[i]))
			out->movable += PAGE_4K;
		/* The zero page repeats by design: it is not KSM sharing. */
		if (!zero || !zero[i])
			v[k++] = pfns[i];
	}
	qsort(v, k, sizeof(*v), cmp_u64);
	for (i = 0; i < k; i = j) {
		for (j = i + 1; j < k && v[j] == v[i]; j++)
			;
		if (j - i > 1)
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
