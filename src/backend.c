// SPDX-License-Identifier: GPL-2.0-or-later
/* The table of DMA-mapping backends, and the IOVA allocator they share. */
#include <errno.h>
#include <string.h>

#include "backend.h"
#include "error.h"

/* A second backend adds one line here and its own backend-NAME.c. */
static const struct {
	const char *name;
	const struct backend_ops *ops;
} backends[] = {
	{ "type1", &backend_type1 },
};

const struct backend_ops *backend_find(const char *name)
{
	size_t i;

	/* auto: type1 is the only one built; iommufd takes over when it lands. */
	if (!strcmp(name, "auto"))
		name = "type1";
	for (i = 0; i < sizeof(backends) / sizeof(backends[0]); i++)
		if (!strcmp(backends[i].name, name))
			return backends[i].ops;
	if (!strcmp(name, "iommufd"))
		err_set(VP_EXIT_USAGE, "the iommufd backend is not built yet (it comes with its own issue); use --backend type1");
	else
		err_set(VP_EXIT_USAGE, "unknown backend '%s'; choose auto, type1 or iommufd", name);
	return NULL;
}

/*
 * Without the IOVA range capability (kernels before 5.4) assume a 39-bit
 * IOMMU (the smallest common VT-d width) minus the x86 MSI window, which
 * every x86 IOMMU reserves.
 */
static const struct iova_range fallback[] = {
	{ 0, 0xfedfffffULL },
	{ 0xfef00000ULL, (1ULL << 39) - 1 },
};

static int pick_in(const struct iova_range *r, size_t n, uint64_t *cursor, uint64_t size,
		   uint64_t align, uint64_t *iova)
{
	size_t i;

	for (i = 0; i < n; i++) {
		uint64_t start = r[i].start > *cursor ? r[i].start : *cursor;

		if (start > r[i].end)
			continue;
		start = (start + align - 1) & ~(align - 1);
		if (start < *cursor || start > r[i].end || r[i].end - start < size - 1)
			continue;
		*iova = start;
		*cursor = start + size;
		return 0;
	}
	return -ENOSPC;
}

int iova_pick(const struct backend_info *info, uint64_t *cursor, uint64_t size,
	      uint64_t align, uint64_t *iova)
{
	if (!size || !align || (align & (align - 1)))
		return -EINVAL;
	if (info->ranges_known)
		return pick_in(info->ranges, info->nranges, cursor, size, align, iova);
	return pick_in(fallback, sizeof(fallback) / sizeof(fallback[0]), cursor, size, align, iova);
}

bool iova_usable(const struct backend_info *info, uint64_t iova, uint64_t size)
{
	const struct iova_range *r = info->ranges_known ? info->ranges : fallback;
	size_t i, n = info->ranges_known ? info->nranges : sizeof(fallback) / sizeof(fallback[0]);

	if (!size || iova + size - 1 < iova)
		return false;
	for (i = 0; i < n; i++)
		if (iova >= r[i].start && iova + size - 1 <= r[i].end)
			return true;
	return false;
}
